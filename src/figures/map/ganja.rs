//! `map-ganja`: the Ganja gap and Tovuz with the distance bands of the Armenia–Azerbaijan border.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::Swatch;
use crate::figures::render::Prim;
use crate::figures::style::{self, pt};
use crate::figures::{Built, BORDER_ZONE, GAP_ZONE};
use crate::model::GeometryKind;

/// Line styles of the close-up, one per kind of line, so none can be taken for another.
struct Styles {
    border: (RGBAColor, f64),
    georgia: (RGBAColor, f64, (f64, f64)),
    gap: (RGBAColor, f64, (f64, f64)),
    district: (RGBAColor, f64, (f64, f64)),
}

/// A corridor as drawn: id, pixel pieces, look (colour, width, dash), drawn beside a host.
type Drawn = (
    String,
    Vec<Vec<Pt>>,
    (RGBAColor, f64, Option<(f64, f64)>),
    bool,
);

/// The corridors of the close-up: colour, width, dash.
fn corridor_look(d: &Doc, c: Commodity, schematic: bool) -> (RGBAColor, f64, Option<(f64, f64)>) {
    let col = style::line_colour(c);
    if schematic {
        return (col, d.c.pt(0.9), Some((d.c.pt(0.9), d.c.pt(1.3))));
    }
    match c {
        Commodity::Oil => (col, d.c.pt(2.0), Some((d.c.pt(4.5), d.c.pt(1.8)))),
        _ => (col, d.c.pt(1.8), None),
    }
}

/// `map-ganja`: the Ganja gap and Tovuz with the distance bands of the Armenian border, the
/// corridors that pass there and their closest points.
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let border = ctx.d.zone(BORDER_ZONE, "map-ganja")?;
    let exposure = ctx.border_exposure("map-ganja")?;
    let title = l.title("map-ganja");
    let (mut d, top) = ctx.start(122.0, &title);
    let top = top + d.px(pt::TICK) * 0.9;
    // The legend sits right of the map on a wide canvas, under it on a narrow one.
    let side_legend = d.c.width_mm >= 140.0;
    let legend_w = if side_legend { d.c.mm(56.0) } else { 0.0 };
    let left = d.m + d.width("41.6°N", pt::TICK) + d.px(pt::TICK) * 1.0;
    let right = d.c.w as f64 - d.m - legend_w;
    let (lon, lat) = ((44.8, 46.6), (40.4, 41.6));
    let pr = Proj::fit(lon, lat, left, top, right - left, f64::MAX);
    let frame = ((pr.x0, pr.y0), (pr.x0 + pr.w(), pr.y0 + pr.h()));
    let styles = Styles {
        border: (RGBAColor(120, 40, 90, 1.0), d.c.pt(1.5)),
        georgia: (
            RGBAColor(70, 70, 70, 1.0),
            d.c.pt(0.9),
            (d.c.pt(2.2), d.c.pt(1.4)),
        ),
        gap: (style::INK, d.c.pt(1.6), (d.c.pt(9.0), d.c.pt(1.6))),
        district: (
            RGBAColor(60, 60, 60, 0.9),
            d.c.pt(0.6),
            (d.c.pt(0.6), d.c.pt(1.2)),
        ),
    };
    // Land and sea.
    let tint_of = |iso: &str| match iso {
        "ARM" => RGBAColor(232, 229, 220, 1.0),
        "GEO" => RGBAColor(246, 246, 242, 1.0),
        _ => style::LAND,
    };
    if let Some(s) = pr.ring(&[
        (lon.0, lat.0),
        (lon.1, lat.0),
        (lon.1, lat.1),
        (lon.0, lat.1),
    ]) {
        d.fill(s, style::SEA);
    }
    draw_countries(&mut d, &pr, &ctx.d.countries, &tint_of);
    // Distance bands: the geodesic buffers of the border as vector polygons (every vertex on
    // the band's edge, computed by geodesy::band_polygon), clipped to the frame, outermost
    // first so each nearer band lies on the farther one.
    let zi = ZoneIndex::new(&border.geometry);
    let bands = crate::analysis::exposure::DEFAULT_BANDS_KM;
    let polys = ctx.border_bands(border);
    for (i, mp) in polys.iter().enumerate().rev() {
        for poly in &mp.0 {
            let mut rings = Vec::new();
            if let Some(r) = pr.ring(&coords(poly.exterior())) {
                rings.push(r);
                for h in poly.interiors() {
                    if let Some(r) = pr.ring(&coords(h)) {
                        rings.push(r);
                    }
                }
                d.prims.push(Prim::Area {
                    rings,
                    color: style::BANDS[i],
                });
            }
        }
    }
    // Country outlines over the bands.
    for c in &ctx.d.countries {
        for p in &c.geometry.0 {
            for piece in pr.line(&coords(p.exterior())) {
                d.line(piece, style::LAND_EDGE, d.c.pt(0.5));
            }
        }
    }
    let mut placer = Placer::new(frame);
    let districts: Vec<&Zone> = ctx
        .d
        .zones
        .iter()
        .filter(|z| matches!(z.kind.as_str(), "district" | "municipality"))
        .collect();
    let (dc, dw, dd) = styles.district;
    for z in &districts {
        for o in outlines(&z.geometry) {
            for piece in pr.line(&o) {
                d.dashed(piece.clone(), dc, dw, dd);
                {
                    let buf = dw / 2.0 + d.c.pt(0.6);
                    placer.line(&mut d, &piece, buf);
                }
            }
        }
    }
    let gap = ctx.d.zones.iter().find(|z| z.id == GAP_ZONE);
    if let Some(g) = gap {
        let (gc, gw, gd) = styles.gap;
        for o in outlines(&g.geometry) {
            for piece in pr.line(&o) {
                d.dashed(piece.clone(), gc, gw, gd);
                {
                    let buf = gw / 2.0 + d.c.pt(0.8);
                    placer.line(&mut d, &piece, buf);
                }
            }
        }
    }
    // Borders: Armenia–Azerbaijan solid purple, Georgia's long dashes, others as Georgia's.
    for z in ctx.d.zones.iter().filter(|z| is_line_zone(z)) {
        for o in outlines(&z.geometry) {
            for piece in pr.line(&o) {
                if z.id == BORDER_ZONE {
                    d.line(piece.clone(), styles.border.0, styles.border.1);
                    {
                        let buf = styles.border.1 / 2.0 + d.c.pt(0.8);
                        placer.line(&mut d, &piece, buf);
                    }
                } else {
                    let (c, w, ds) = styles.georgia;
                    d.dashed(piece.clone(), c, w, ds);
                    {
                        let buf = w / 2.0 + d.c.pt(0.8);
                        placer.line(&mut d, &piece, buf);
                    }
                }
            }
        }
    }
    // Corridors that reach the frame, each on a white casing; a corridor drawn on another's
    // trace (see shared_traces) is moved beside it there and marked approximate.
    let net = &ctx.d.network;
    let shared = shared_traces(net);
    let mut shown: Vec<&str> = Vec::new();
    for s in &net.segments {
        let visible = s.line.0.iter().any(|c| pr.inside((c.x, c.y)));
        if visible && !shown.contains(&s.corridor.as_str()) {
            shown.push(&s.corridor);
        }
    }
    // Widest first, so the thin ones stay on top.
    shown.sort_by(|a, b| {
        let w = |c: &str| {
            net.segments
                .iter()
                .find(|s| s.corridor == c)
                .map(|s| corridor_look(&d, s.commodity, false).1)
                .unwrap_or(0.0)
        };
        w(b).total_cmp(&w(a)).then(a.cmp(b))
    });
    let mut drawn: Vec<Drawn> = Vec::new();
    for id in &shown {
        let guest_of = shared.iter().find(|(g, _)| g == id).map(|(_, h)| h.clone());
        let host_verts: std::collections::BTreeSet<(u64, u64)> = match &guest_of {
            Some(h) => net
                .segments
                .iter()
                .filter(|s| &s.corridor == h)
                .flat_map(|s| s.line.0.iter().map(|c| (c.x.to_bits(), c.y.to_bits())))
                .collect(),
            None => Default::default(),
        };
        let mut pieces = Vec::new();
        let mut look = None;
        for s in net.segments.iter().filter(|s| &s.corridor == id) {
            let schematic = s.geometry_kind == Some(GeometryKind::Schematic);
            // A guest is thinner and dotted in a darker shade, so it reads apart from its host.
            let lk = if guest_of.is_some() {
                (
                    RGBAColor(120, 50, 0, 1.0),
                    d.c.pt(1.2),
                    Some((d.c.pt(1.2), d.c.pt(1.0))),
                )
            } else {
                corridor_look(&d, s.commodity, schematic)
            };
            look = Some(lk);
            let px: Vec<Pt> = s.line.0.iter().map(|c| pr.p((c.x, c.y))).collect();
            let on: Vec<bool> = s
                .line
                .0
                .iter()
                .map(|c| host_verts.contains(&(c.x.to_bits(), c.y.to_bits())))
                .collect();
            let moved = if guest_of.is_some() {
                offset_line(&px, &on, d.c.pt(2.6))
            } else {
                px
            };
            pieces.extend(clip_px(&moved, frame));
        }
        if let Some(lk) = look {
            drawn.push((id.to_string(), pieces, lk, guest_of.is_some()));
        }
    }
    for (_, pieces, (_, w, _), _) in &drawn {
        for p in pieces {
            d.line(p.clone(), RGBAColor(255, 255, 255, 0.9), w + d.c.pt(1.2));
        }
    }
    for (_, pieces, (c, w, ds), _) in &drawn {
        for p in pieces {
            match ds {
                Some(ds) => d.dashed(p.clone(), *c, *w, *ds),
                None => d.line(p.clone(), *c, *w),
            }
            {
                let buf = w / 2.0 + d.c.pt(1.0);
                placer.line(&mut d, p, buf);
            }
        }
    }
    // Closest points to the border.
    let mut table = Vec::new();
    let mut marks: Vec<(Pt, String)> = Vec::new();
    for id in &shown {
        if let Some(e) = exposure.iter().find(|e| &e.corridor == id) {
            if let (Some(dk), Some(lo), Some(la)) = (e.min_distance_km, e.lon, e.lat) {
                table.push(vec![
                    e.corridor.clone(),
                    e.zone.clone(),
                    cell(dk, 3),
                    cell(lo, 6),
                    cell(la, 6),
                    e.chainage_km.map(|v| cell(v, 3)).unwrap_or_default(),
                ]);
                if pr.inside((lo, la)) && dk <= 70.0 {
                    marks.push((pr.p((lo, la)), format!("{id} {} km", l.num(dk, 1))));
                }
            }
        }
    }
    let mark_r = d.px(1.9);
    for (p, _) in &marks {
        d.prims.push(Prim::Circle {
            c: *p,
            r: mark_r,
            fill: Some(style::WHITE),
            stroke: Some((style::INK, d.c.pt(0.9))),
        });
        {
            let buf = mark_r + d.c.pt(0.5);
            placer.mark(&mut d, *p, buf);
        }
    }
    graticule(&mut d, &pr, ctx, 0.4, 0.2, 1);
    let sb = (
        pr.x0 + d.px(pt::TICK) * 1.2,
        pr.y0 + pr.h() - d.px(pt::TICK) * 1.3,
    );
    let sb_box = scale_bar(&mut d, &pr, sb, 40.5, 20.0, ctx);
    placer.block(&mut d, sb_box);
    // Labels, most important first: the closest points, the gap, the bands, the districts, the
    // countries.
    let bold = |pts: f64, c: RGBAColor| LabelStyle {
        bold: true,
        ..LabelStyle::plain(pts, c)
    };
    for (p, text) in &marks {
        placer.near_point(&mut d, text, &bold(pt::NOTE, style::INK), *p, mark_r);
    }
    let step = d.px(pt::NOTE) * 1.2;
    let contains = |g: &geo::Geometry<f64>, px: Pt| {
        let q = pr.unproject(px);
        g.contains(&Point::new(q.0, q.1))
    };
    // The gap and Tovuz are named inside their outline, or beside it with a leader where
    // nothing inside is clear.
    if let Some(g) = gap {
        if let Some(c) = g.geometry.centroid() {
            let text = l.place("Ganja gap");
            let st = bold(pt::NOTE, style::INK);
            let at = pr.p((c.x(), c.y()));
            if placer
                .area(&mut d, &text, &st, at, step, 10, &|px| {
                    contains(&g.geometry, px)
                })
                .is_none()
            {
                placer.near_point(&mut d, &text, &st, at, 0.0);
            }
        }
    }
    // Band labels on the bands themselves, just inside each band's outer edge.
    for (i, mp) in polys.iter().enumerate() {
        let text = format!("{} km", l.num(bands[i], 0));
        let st = LabelStyle {
            backing: Some(RGBAColor(255, 255, 255, 0.75)),
            ..LabelStyle::plain(pt::NOTE, style::INK)
        };
        let inner = if i > 0 { Some(&polys[i - 1]) } else { None };
        let mut centres: Vec<Pt> = Vec::new();
        for poly in &mp.0 {
            let ext = coords(poly.exterior());
            let n = ext.len().max(1);
            for k in 0..48 {
                let q = ext[(k * n / 48).min(n - 1)];
                if !pr.inside(q) {
                    continue;
                }
                // A step in from the edge, towards the border.
                let (_, near) = zi.nearest(Point::new(q.0, q.1));
                let pq = pr.p(q);
                let pn = pr.p((near.x(), near.y()));
                let len = projection_dist(pq, pn).max(1e-9);
                let inset = d.px(pt::NOTE) * 1.1;
                let c = (
                    pq.0 + (pn.0 - pq.0) / len * inset,
                    pq.1 + (pn.1 - pq.1) / len * inset,
                );
                let lonlat = pr.unproject(c);
                let in_band = mp.contains(&Point::new(lonlat.0, lonlat.1))
                    && inner.is_none_or(|m| !m.contains(&Point::new(lonlat.0, lonlat.1)));
                if in_band {
                    centres.push(c);
                }
            }
        }
        placer.at_first(&mut d, &text, &st, &centres);
    }
    for z in &districts {
        if let Some(c) = z.geometry.centroid() {
            let q = (c.x(), c.y());
            if pr.inside(q) {
                let st = if z.id == crate::figures::TOVUZ_ZONE {
                    bold(pt::NOTE, style::INK)
                } else {
                    LabelStyle::plain(pt::NOTE, style::INK)
                };
                let placed = placer.area(&mut d, &z.name, &st, pr.p(q), step, 10, &|px| {
                    contains(&z.geometry, px)
                });
                if placed.is_none() && z.id == crate::figures::TOVUZ_ZONE {
                    placer.near_point(&mut d, &z.name, &st, pr.p(q), 0.0);
                }
            }
        }
    }
    for (iso, name, q) in [
        ("ARM", "ARMENIA", (45.1, 40.55)),
        ("GEO", "GEORGIA", (45.35, 41.5)),
        ("AZE", "AZERBAIJAN", (46.3, 40.5)),
    ] {
        if let Some(c) = ctx.d.countries.iter().find(|c| c.iso3 == iso) {
            let geom = geo::Geometry::MultiPolygon(c.geometry.clone());
            placer.area(
                &mut d,
                &l.place(name),
                &bold(pt::NOTE, style::GREY_TEXT),
                pr.p(q),
                step,
                12,
                &|px| contains(&geom, px),
            );
        }
    }
    // Legend: right of the map, or under it.
    let band_entries: Vec<(String, Swatch)> = bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                format!("≤ {} km", l.num(*b, 0)),
                Swatch::Box(style::BANDS[i]),
            )
        })
        .collect();
    let mut lines: Vec<(String, Swatch)> = Vec::new();
    for (id, _, (c, w, ds), guest) in drawn.iter().rev() {
        let commodity = net
            .segments
            .iter()
            .find(|s| &s.corridor == id)
            .map(|s| s.commodity)
            .unwrap_or(Commodity::Unknown);
        let what = l.commodity_lower(commodity.as_str());
        let label = if *guest {
            let host = shared
                .iter()
                .find(|(g, _)| g == id)
                .map(|(_, h)| h.as_str())
                .unwrap_or("");
            format!("{id} ({what}), {}", l.approximate_beside(host))
        } else {
            format!("{id} ({what})")
        };
        lines.push((label, Swatch::Line(*c, *w, *ds)));
    }
    lines.extend([
        (
            l.p("closest point, distance", "titik terdekat, jarak")
                .into(),
            Swatch::Dot(style::WHITE),
        ),
        (
            l.p("Armenia–Azerbaijan border", "perbatasan Armenia–Azerbaijan")
                .into(),
            Swatch::Line(styles.border.0, styles.border.1, None),
        ),
        (
            l.p("Georgia's borders", "perbatasan Georgia").into(),
            Swatch::Line(styles.georgia.0, styles.georgia.1, Some(styles.georgia.2)),
        ),
        (
            l.p("Ganja gap (outline)", "Celah Ganja (batas)").into(),
            Swatch::Line(styles.gap.0, styles.gap.1, Some(styles.gap.2)),
        ),
        (
            l.p("district boundary", "batas distrik").into(),
            Swatch::Line(
                styles.district.0,
                styles.district.1,
                Some(styles.district.2),
            ),
        ),
    ]);
    let heading = [
        l.p("Distance to the", "Jarak ke perbatasan"),
        l.p("Armenia–Azerbaijan border", "Armenia–Azerbaijan"),
    ];
    let end = if side_legend {
        let lx = pr.x0 + pr.w() + d.c.mm(4.0);
        let mut y = pr.y0;
        for line in heading {
            d.heading((lx, y), line, pt::LEGEND);
            y += d.px(pt::LEGEND) * 1.3;
        }
        y = d.legend_column(lx, y, &band_entries) + d.px(pt::LEGEND);
        d.legend_column_wrapped(lx, y, &lines, d.c.w as f64 - d.m)
            .max(pr.y0 + pr.h() + d.px(pt::TICK) * 2.4)
    } else {
        let mut y = pr.y0 + pr.h() + d.px(pt::TICK) * 2.6;
        d.heading(
            (d.m, y),
            &format!("{} {}", heading[0], heading[1]),
            pt::LEGEND,
        );
        y += d.px(pt::LEGEND) * 1.2;
        y = d.legend_row(d.m, d.c.w as f64 - d.m, y, &band_entries);
        d.legend_row(d.m, d.c.w as f64 - d.m, y, &lines)
    };
    d.finish_at(
        end,
        &ctx.source_map_of(|s| shown.contains(&s.corridor.as_str())),
    );
    let caption = l.caption_map_ganja();
    d.built(
        title,
        caption,
        &[
            "corridor",
            "zone",
            "min_distance_km",
            "lon",
            "lat",
            "chainage_km",
        ],
        &table,
    )
}
