//! `map-region`: countries, corridors by commodity and capacity, supplies, markets, zones.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{triangle, Swatch};
use crate::figures::render::{Prim, H, V};
use crate::figures::style::{self, pt};
use crate::figures::{Built, BORDER_ZONE, GAP_ZONE};

/// `map-region`: countries, corridors by commodity and capacity, supplies, markets, zones.
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let title = l.title("map-region");
    let (mut d, top) = ctx.start(112.0, &title);
    let top = top + d.px(pt::TICK) * 0.6;
    let left = d.m + d.width("46°N", pt::TICK) + d.px(pt::TICK) * 1.2;
    let right = d.right();
    // The map takes the full width; the canvas height follows from it (set below).
    let pr = Proj::fit(
        (12.0, 52.0),
        (34.0, 46.0),
        left,
        top,
        right - left,
        f64::MAX,
    );
    let sea = pr.ring(&[(12.0, 34.0), (52.0, 34.0), (52.0, 46.0), (12.0, 46.0)]);
    if let Some(s) = sea {
        d.fill(s, style::SEA);
    }
    draw_countries(&mut d, &pr, &ctx.d.countries, &|_| style::LAND);
    graticule(&mut d, &pr, ctx, 5.0, 2.0, 0);
    let frame = ((pr.x0, pr.y0), (pr.x0 + pr.w(), pr.y0 + pr.h()));
    let mut placer = Placer::new(frame);
    // Country and sea names, placed last (after everything they must keep off).
    const NAMES: [(&str, &str, f64, f64); 14] = [
        ("TUR", "Türkiye", 34.5, 39.2),
        ("GEO", "Georgia", 43.4, 42.35),
        ("AZE", "Azerbaijan", 48.0, 41.3),
        ("ARM", "Armenia", 44.6, 39.95),
        ("IRN", "Iran", 49.0, 36.2),
        ("RUS", "Russia", 43.5, 45.3),
        ("GRC", "Greece", 22.0, 39.6),
        ("ITA", "Italy", 15.3, 41.3),
        ("BGR", "Bulgaria", 25.2, 42.75),
        ("ALB", "Albania", 20.05, 41.35),
        ("ROU", "Romania", 25.5, 45.4),
        ("", "Black Sea", 34.0, 43.3),
        ("", "Caspian Sea", 50.0, 43.6),
        ("", "Mediterranean Sea", 26.5, 34.6),
    ];
    // Zones by kind: the gap strongly filled, districts lightly, territories outlined; the
    // Armenia–Azerbaijan border solid and other border zones dashed.
    let zone_purple = RGBAColor(120, 40, 90, 1.0);
    let mut kinds_drawn: Vec<&str> = Vec::new();
    for z in &ctx.d.zones {
        let fill = match z.kind.as_str() {
            _ if z.id == GAP_ZONE => Some(RGBAColor(204, 121, 167, 0.75)),
            "district" | "municipality" => Some(RGBAColor(204, 121, 167, 0.3)),
            _ => None,
        };
        if let Some(f) = fill {
            for r in exteriors(&z.geometry) {
                if let Some(pp) = pr.ring(&r) {
                    d.fill(pp, f);
                }
            }
        } else if !is_line_zone(z) {
            for o in outlines(&z.geometry) {
                for piece in pr.line(&o) {
                    d.dashed(
                        piece.clone(),
                        zone_purple,
                        d.c.pt(0.6),
                        (d.c.pt(1.2), d.c.pt(1.2)),
                    );
                    {
                        let buf = d.c.pt(0.3) + d.c.pt(0.6);
                        placer.line(&mut d, &piece, buf);
                    }
                }
            }
            if !kinds_drawn.contains(&"territory") {
                kinds_drawn.push("territory");
            }
        }
        if is_line_zone(z) {
            for o in outlines(&z.geometry) {
                for piece in pr.line(&o) {
                    if z.id == BORDER_ZONE {
                        d.line(piece.clone(), zone_purple, d.c.pt(1.0));
                    } else {
                        d.dashed(
                            piece.clone(),
                            zone_purple,
                            d.c.pt(0.7),
                            (d.c.pt(2.5), d.c.pt(1.2)),
                        );
                        if !kinds_drawn.contains(&"border") {
                            kinds_drawn.push("border");
                        }
                    }
                    {
                        let buf = d.c.pt(0.5) + d.c.pt(0.6);
                        placer.line(&mut d, &piece, buf);
                    }
                }
            }
        }
    }
    // The close-up's extent.
    if let Some(r) = pr.ring(&[(44.8, 40.4), (46.6, 40.4), (46.6, 41.6), (44.8, 41.6)]) {
        let mut closed = r.clone();
        closed.push(r[0]);
        d.line(closed.clone(), style::INK, d.c.pt(0.6));
        {
            let buf = d.c.pt(0.3) + d.c.pt(0.6);
            placer.line(&mut d, &closed, buf);
        }
    }
    // Corridors: widest first, gas then oil on top (oil is dashed, so gas shows through);
    // schematic segments thin and dotted; a corridor on another's trace moved beside it.
    let net = &ctx.d.network;
    let shared = shared_traces(net);
    let host_verts = |host: &str| -> std::collections::BTreeSet<(u64, u64)> {
        net.segments
            .iter()
            .filter(|s| s.corridor == host)
            .flat_map(|s| s.line.0.iter().map(|c| (c.x.to_bits(), c.y.to_bits())))
            .collect()
    };
    let mut order: Vec<usize> = (0..net.segments.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (&net.segments[a], &net.segments[b]);
        (sb.commodity == Commodity::Gas)
            .cmp(&(sa.commodity == Commodity::Gas))
            .then(
                width_pt(sb.commodity, sb.capacity).total_cmp(&width_pt(sa.commodity, sa.capacity)),
            )
            .then(a.cmp(&b))
    });
    let mut corridor_px: std::collections::BTreeMap<String, Vec<Vec<Pt>>> = Default::default();
    let mut any_schematic = false;
    for i in order {
        let s = &net.segments[i];
        let schematic = s.geometry_kind == Some(crate::model::GeometryKind::Schematic);
        any_schematic |= schematic;
        let (col, w, dash) = if schematic {
            schematic_style(&d, s.commodity)
        } else {
            corridor_style(&d, s.commodity, width_pt(s.commodity, s.capacity))
        };
        let px: Vec<Pt> = s.line.0.iter().map(|c| pr.p((c.x, c.y))).collect();
        let px = match shared.iter().find(|(g, _)| *g == s.corridor) {
            Some((_, host)) => {
                let hv = host_verts(host);
                let on: Vec<bool> = s
                    .line
                    .0
                    .iter()
                    .map(|c| hv.contains(&(c.x.to_bits(), c.y.to_bits())))
                    .collect();
                offset_line(&px, &on, d.c.pt(2.2))
            }
            None => px,
        };
        for piece in clip_px(&px, frame) {
            match dash {
                Some(ds) => d.dashed(piece.clone(), col, w, ds),
                None => d.line(piece.clone(), col, w),
            }
            {
                let buf = w / 2.0 + d.c.pt(0.8);
                placer.line(&mut d, &piece, buf);
            }
            corridor_px
                .entry(s.corridor.clone())
                .or_default()
                .push(piece);
        }
    }
    // Nodes: supplies as triangles, markets as rings.
    let mut table = Vec::new();
    let mut supply_labels: Vec<(Pt, String)> = Vec::new();
    for n in &net.nodes {
        let q = (n.point.x(), n.point.y());
        let col = match n.commodity {
            Some(Commodity::Oil) => style::OIL,
            _ => style::GAS,
        };
        match n.kind {
            NodeKind::Supply if pr.inside(q) => {
                let c = pr.p(q);
                let t = triangle(c.0, c.1, d.px(3.2));
                d.fill(t.clone(), col);
                let mut closed = t.clone();
                closed.push(t[0]);
                d.line(closed, style::INK, d.c.pt(0.5));
                {
                    let buf = d.px(3.2);
                    placer.mark(&mut d, c, buf);
                }
                let name = crate::figures::charts::short_name(n.name.as_deref().unwrap_or(&n.id));
                if !supply_labels
                    .iter()
                    .any(|(p, t): &(Pt, String)| *t == name || projection_dist(*p, c) < d.px(1.0))
                {
                    supply_labels.push((c, name));
                }
            }
            NodeKind::Market if pr.inside(q) => {
                d.prims.push(Prim::Circle {
                    c: pr.p(q),
                    r: d.px(2.0),
                    fill: Some(style::WHITE),
                    stroke: Some((col, d.c.pt(1.1))),
                });
                {
                    let buf = d.px(2.0) + d.c.pt(0.55);
                    placer.mark(&mut d, pr.p(q), buf);
                }
            }
            _ => continue,
        }
        table.push(vec![
            match n.kind {
                NodeKind::Supply => "supply".to_string(),
                _ => "market".to_string(),
            },
            n.id.clone(),
            n.commodity
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            n.market.clone().unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            cell(n.point.x(), 6),
            cell(n.point.y(), 6),
        ]);
    }
    // The scale bar, then the labels: corridors along their lines, supplies and LNG
    // terminals beside their markers (with leaders where crowded), then countries and seas.
    let sb_at = (
        pr.x0 + d.px(pt::TICK) * 1.5,
        pr.y0 + pr.h() - d.px(pt::TICK) * 1.6,
    );
    let sb_box = scale_bar(&mut d, &pr, sb_at, 35.0, 500.0, ctx);
    placer.block(&mut d, sb_box);
    let routes = ctx.routes();
    for r in routes.iter() {
        let segs: Vec<&crate::model::Segment> = net
            .segments
            .iter()
            .filter(|s| s.corridor == r.corridor)
            .collect();
        let commodity = segs
            .first()
            .map(|s| s.commodity)
            .unwrap_or(Commodity::Unknown);
        let colour = match commodity {
            Commodity::Oil => RGBAColor(160, 70, 0, 1.0),
            Commodity::Gas => RGBAColor(0, 80, 130, 1.0),
            Commodity::Products | Commodity::Hydrogen | Commodity::Co2 | Commodity::Unknown => {
                style::GREY_TEXT
            }
        };
        let text = if shared.iter().any(|(g, _)| *g == r.corridor) {
            format!("{} ({})", r.corridor, l.p("approx.", "perkiraan"))
        } else {
            r.corridor.clone()
        };
        let st = LabelStyle {
            bold: true,
            ..LabelStyle::plain(pt::NOTE, colour)
        };
        let pieces = corridor_px.get(&r.corridor).cloned().unwrap_or_default();
        let longest = pieces
            .iter()
            .max_by_key(|p| p.len())
            .cloned()
            .unwrap_or_default();
        let clear = d.c.pt(1.5);
        let me = r.corridor.clone();
        let own = |c: Pt| {
            let mine = pieces
                .iter()
                .map(|p| point_line_distance(c, p))
                .fold(f64::MAX, f64::min);
            corridor_px
                .iter()
                .filter(|(k, _)| **k != me)
                .flat_map(|(_, v)| v.iter())
                .all(|p| point_line_distance(c, p) > mine)
        };
        let mut placed = placer
            .along(&mut d, &text, &st, &longest, clear, &own)
            .is_some();
        for p in &pieces {
            if placed {
                break;
            }
            placed = placer.along(&mut d, &text, &st, p, clear, &own).is_some();
        }
        if !placed {
            if let Some(q) = longest.get(longest.len() / 2) {
                let r = d.c.pt(1.0);
                placer.near_point(&mut d, &text, &st, *q, r);
            }
        }
        table.push(vec![
            "corridor".into(),
            r.corridor.clone(),
            commodity.as_str().into(),
            String::new(),
            segs.iter()
                .filter_map(|s| s.capacity)
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))
                .map(|v| cell(v, 3))
                .unwrap_or_default(),
            if commodity == Commodity::Unknown {
                String::new()
            } else {
                commodity.unit().into()
            },
            cell(
                width_pt(
                    commodity,
                    segs.iter()
                        .filter_map(|s| s.capacity)
                        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v)))),
                ),
                2,
            ),
            String::new(),
            String::new(),
        ]);
    }
    let tri = d.px(3.2);
    for (c, name) in &supply_labels {
        placer.near_point(
            &mut d,
            name,
            &LabelStyle::plain(pt::NOTE, style::INK),
            *c,
            tri,
        );
    }
    let name_step = d.px(pt::NOTE) * 1.2;
    for (iso, name, lon, lat) in NAMES {
        let present = iso.is_empty() || ctx.d.countries.iter().any(|c| c.iso3 == iso);
        if present && pr.inside((lon, lat)) {
            let colour = if iso.is_empty() {
                RGBAColor(60, 100, 140, 1.0)
            } else {
                style::GREY_TEXT
            };
            let st = LabelStyle {
                italic: true,
                backing: None,
                ..LabelStyle::plain(pt::NOTE, colour)
            };
            // A country's name stays inside the country, a sea's off the land.
            let inside = |px: Pt| {
                let q = pr.unproject(px);
                let p = Point::new(q.0, q.1);
                match ctx.d.countries.iter().find(|c| c.iso3 == iso) {
                    Some(c) => c.geometry.contains(&p),
                    None => !ctx.d.countries.iter().any(|c| c.geometry.contains(&p)),
                }
            };
            placer.area(
                &mut d,
                &l.place(name),
                &st,
                pr.p((lon, lat)),
                name_step,
                8,
                &inside,
            );
        }
    }
    // Legend under the map.
    let gw = |c, v| corridor_style(&d, c, width_pt(c, Some(v)));
    let entry = |(c, w, ds): (RGBAColor, f64, Option<(f64, f64)>)| Swatch::Line(c, w, ds);
    let legend: Vec<(String, Swatch)> = vec![
        (
            format!("{} 10 {}", l.p("gas", "gas"), l.unit("bcm/y")),
            entry(gw(Commodity::Gas, 10.0)),
        ),
        (
            format!("{} 30 {}", l.p("gas", "gas"), l.unit("bcm/y")),
            entry(gw(Commodity::Gas, 30.0)),
        ),
        (
            format!("{} 150 {}", l.p("oil", "minyak"), l.unit("kb/d")),
            entry(gw(Commodity::Oil, 150.0)),
        ),
        (
            format!(
                "{} {} {}",
                l.p("oil", "minyak"),
                l.num(1200.0, 0),
                l.unit("kb/d")
            ),
            entry(gw(Commodity::Oil, 1200.0)),
        ),
        (
            l.p(
                "schematic route (straight or inferred line)",
                "rute skematis (garis lurus atau perkiraan)",
            )
            .into(),
            Swatch::Line(
                style::GAS,
                schematic_style(&d, Commodity::Gas).1,
                schematic_style(&d, Commodity::Gas).2,
            ),
        ),
        (
            l.p("supply", "sumber pasokan").into(),
            Swatch::Triangle(style::GAS),
        ),
        (l.p("market", "pasar").into(), Swatch::Dot(style::WHITE)),
        (
            l.p("Ganja gap", "Celah Ganja").into(),
            Swatch::Box(RGBAColor(204, 121, 167, 0.75)),
        ),
        (
            l.p("districts", "distrik").into(),
            Swatch::Box(RGBAColor(204, 121, 167, 0.25)),
        ),
        (
            l.p("Armenia–Azerbaijan border", "perbatasan Armenia–Azerbaijan")
                .into(),
            Swatch::Line(zone_purple, d.c.pt(1.0), None),
        ),
        (
            l.p("extent of the close-up map", "cakupan peta perbesaran")
                .into(),
            Swatch::Box(style::WHITE),
        ),
    ];
    let mut legend = legend;
    if kinds_drawn.contains(&"border") {
        legend.push((
            l.p("other borders (data/zones)", "perbatasan lain (data/zones)")
                .into(),
            Swatch::Line(zone_purple, d.c.pt(0.7), Some((d.c.pt(2.5), d.c.pt(1.2)))),
        ));
    }
    if kinds_drawn.contains(&"territory") {
        legend.push((
            l.p("territories (data/zones)", "wilayah (data/zones)")
                .into(),
            Swatch::Line(zone_purple, d.c.pt(0.6), Some((d.c.pt(1.2), d.c.pt(1.2)))),
        ));
    }
    if !any_schematic {
        let schematic = l.p(
            "schematic route (straight or inferred line)",
            "rute skematis (garis lurus atau perkiraan)",
        );
        legend.retain(|(t, _)| t != schematic);
    }
    let mut ly = pr.y0 + pr.h() + d.px(pt::TICK) * 2.0;
    d.text_full(
        (d.m, ly + d.px(pt::LEGEND) * 0.85),
        l.p(
            "Line width: design capacity",
            "Tebal garis: kapasitas rancangan",
        ),
        pt::LEGEND,
        style::INK,
        H::Left,
        V::Center,
        true,
        false,
        false,
    );
    // The legend beside its heading on a wide canvas, under it on a narrow one.
    let lx = if d.c.width_mm >= 140.0 {
        d.m + d.width_bold(
            l.p(
                "Line width: design capacity",
                "Tebal garis: kapasitas rancangan",
            ),
            pt::LEGEND,
        ) + d.px(pt::LEGEND) * 1.2
    } else {
        ly += d.px(pt::LEGEND) * 1.6;
        d.m
    };
    let end = d.legend_row(lx, right, ly, &legend);
    d.finish_at(end, &ctx.source_map());
    let mut schematic: Vec<String> = net
        .segments
        .iter()
        .filter(|s| s.geometry_kind == Some(crate::model::GeometryKind::Schematic))
        .map(|s| s.corridor.clone())
        .collect();
    schematic.dedup();
    let caption = l.caption_map_region(&schematic, &shared);
    d.built(
        title,
        caption,
        &[
            "layer",
            "id",
            "commodity",
            "market",
            "capacity",
            "unit",
            "width_pt",
            "lon",
            "lat",
        ],
        &table,
    )
}
