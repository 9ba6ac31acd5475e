//! `map-region`: countries, corridors by commodity and capacity, supplies, markets, zones.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::{triangle, Swatch};
use crate::figures::render::{Prim, H, V};
use crate::figures::style::{self, pt};
use crate::figures::{Built, GAP_ZONE};

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
    let bounds = ((pr.x0, pr.y0), (pr.x0 + pr.w(), pr.y0 + pr.h()));
    let mut placed: Vec<(Pt, Pt)> = Vec::new();
    // Country and sea names first (they yield to nothing, corridors' labels yield to them).
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
    for (iso, name, lon, lat) in NAMES {
        let present = iso.is_empty() || ctx.d.countries.iter().any(|c| c.iso3 == iso);
        if present && pr.inside((lon, lat)) {
            let colour = if iso.is_empty() {
                RGBAColor(60, 100, 140, 1.0)
            } else {
                style::GREY_TEXT
            };
            let text = l.place(name);
            let at = pr.p((lon, lat));
            let w = d.width(&text, pt::NOTE);
            let h = d.px(pt::NOTE);
            d.text_full(
                at,
                &text,
                pt::NOTE,
                colour,
                H::Center,
                V::Center,
                false,
                true,
                false,
            );
            placed.push((
                (at.0 - w / 2.0, at.1 - h / 2.0),
                (at.0 + w / 2.0, at.1 + h / 2.0),
            ));
        }
    }
    // Zones: polygons lightly filled, lines drawn.
    for z in &ctx.d.zones {
        let strong = z.id == GAP_ZONE;
        for r in exteriors(&z.geometry) {
            if let Some(pp) = pr.ring(&r) {
                let fill = if strong {
                    RGBAColor(204, 121, 167, 0.75)
                } else {
                    RGBAColor(204, 121, 167, 0.25)
                };
                d.fill(pp, fill);
            }
        }
        if is_line_zone(z) {
            for o in outlines(&z.geometry) {
                for piece in pr.line(&o) {
                    d.line(piece, RGBAColor(120, 40, 90, 1.0), d.c.pt(0.8));
                }
            }
        }
    }
    // The close-up's extent.
    if let Some(r) = pr.ring(&[(44.8, 40.4), (46.6, 40.4), (46.6, 41.6), (44.8, 41.6)]) {
        let mut closed = r.clone();
        closed.push(r[0]);
        d.line(closed, style::INK, d.c.pt(0.6));
    }
    // Corridors: widest first, gas then oil on top (oil is dashed, so gas shows through).
    let net = &ctx.d.network;
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
    for i in order {
        let s = &net.segments[i];
        let (col, w, dash) = corridor_style(&d, s.commodity, width_pt(s.commodity, s.capacity));
        for piece in pr.line(&coords(&s.line)) {
            match dash {
                Some(ds) => d.dashed(piece, col, w, ds),
                None => d.line(piece, col, w),
            }
        }
    }
    // Nodes: supplies as triangles, markets as rings.
    let mut table = Vec::new();
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
            }
            NodeKind::Market if pr.inside(q) => {
                d.prims.push(Prim::Circle {
                    c: pr.p(q),
                    r: d.px(2.0),
                    fill: Some(style::WHITE),
                    stroke: Some((col, d.c.pt(1.1))),
                });
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
    // Corridor labels where they fit: try points along each route, keep the first clear one.
    let routes = crate::analysis::routes::routes(net, &ctx.d.countries);
    for r in &routes {
        let segs: Vec<&crate::model::Segment> = net
            .segments
            .iter()
            .filter(|s| s.corridor == r.corridor)
            .collect();
        let pts: Vec<Pt> = segs.iter().flat_map(|s| coords(&s.line)).collect();
        let visible: Vec<Pt> = pts.iter().copied().filter(|q| pr.inside(*q)).collect();
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
        if !visible.is_empty() {
            for f in [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9] {
                let q = visible[((visible.len() - 1) as f64 * f).round() as usize];
                let c = pr.p(q);
                let off = d.px(pt::NOTE) * 1.3;
                if [(c.0, c.1 - off), (c.0, c.1 + off)].iter().any(|at| {
                    place_label(
                        &mut d,
                        &mut placed,
                        bounds,
                        *at,
                        &r.corridor,
                        pt::NOTE,
                        colour,
                        true,
                    )
                }) {
                    break;
                }
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
    let sb_at = (
        pr.x0 + d.px(pt::TICK) * 1.5,
        pr.y0 + pr.h() - d.px(pt::TICK) * 1.6,
    );
    scale_bar(&mut d, &pr, sb_at, 35.0, 500.0, ctx);
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
            Swatch::Line(RGBAColor(120, 40, 90, 1.0), d.c.pt(0.8), None),
        ),
        (
            l.p("extent of the close-up map", "cakupan peta perbesaran")
                .into(),
            Swatch::Box(style::WHITE),
        ),
    ];
    let ly = pr.y0 + pr.h() + d.px(pt::TICK) * 2.0;
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
    let lx = d.m
        + d.width(
            l.p(
                "Line width: design capacity",
                "Tebal garis: kapasitas rancangan",
            ),
            pt::LEGEND,
        ) * 1.1
        + d.px(pt::LEGEND);
    let end = d.legend_row(lx, right, ly, &legend);
    d.finish_at(end, &ctx.source_map());
    let caption = l.caption_map_region();
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
