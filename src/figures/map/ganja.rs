//! `map-ganja`: the Ganja gap and Tovuz with the distance bands of the Armenia–Azerbaijan border.

use super::*;
use crate::figures::data::{cell, Ctx};
use crate::figures::layout::Swatch;
use crate::figures::render::{Prim, H, V};
use crate::figures::style::{self, pt};
use crate::figures::{Built, BORDER_ZONE, GAP_ZONE};

/// The band of a grid cell's centre. The chord (straight-line) distance is a lower bound on
/// the geodesic one and within a fraction of a percent of it at these ranges, so it decides
/// every cell that is not near a band edge; the exact geodesic distance decides the rest.
/// The shading is thus exactly the geodesic classification, at a fraction of the cost.
fn cell_band(zi: &ZoneIndex, p: Point<f64>) -> Option<usize> {
    let chord_km = zi.chord_distance(p, crate::geodesy::ecef(p)) / 1000.0;
    let bands = crate::analysis::exposure::DEFAULT_BANDS_KM;
    let ambiguous = bands
        .iter()
        .any(|b| chord_km <= *b && chord_km * 1.01 + 0.1 >= *b);
    if ambiguous {
        band_of(zi.nearest(p).0 / 1000.0)
    } else {
        band_of(chord_km)
    }
}

/// `top` (with its alpha) over an opaque `base`.
fn blend(top: RGBAColor, base: RGBAColor) -> RGBAColor {
    let a = top.3;
    let m = |t: u8, b: u8| (t as f64 * a + b as f64 * (1.0 - a)).round() as u8;
    RGBAColor(m(top.0, base.0), m(top.1, base.1), m(top.2, base.2), 1.0)
}

/// Index of the band a distance (km) falls in, nearest first.
fn band_of(km: f64) -> Option<usize> {
    crate::analysis::exposure::DEFAULT_BANDS_KM
        .iter()
        .position(|b| km <= *b)
}

/// `map-ganja`: the Ganja gap and Tovuz with the distance bands of the Armenia–Azerbaijan border, BTC, SCP
/// and Baku–Supsa and their closest points.
pub fn build(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let border = ctx.d.zone(BORDER_ZONE, "map-ganja")?;
    let exposure = ctx.border_exposure("map-ganja")?;
    let title = l.title("map-ganja");
    let (mut d, top) = ctx.start(122.0, &title);
    let top = top + d.px(pt::TICK) * 0.9;
    let legend_w = d.c.mm(52.0);
    let left = d.m + d.width("41.6°N", pt::TICK) + d.px(pt::TICK) * 1.0;
    let right = d.c.w as f64 - d.m - legend_w;
    let (lon, lat) = ((44.8, 46.6), (40.4, 41.6));
    // The map takes the width left of the legend; the canvas height follows (set below).
    let pr = Proj::fit(lon, lat, left, top, right - left, f64::MAX);
    // Land tints: Armenia and Georgia slightly apart from Azerbaijan.
    let tint_of = |iso: &str| match iso {
        "ARM" => RGBAColor(230, 226, 216, 1.0),
        "GEO" => RGBAColor(240, 240, 236, 1.0),
        _ => style::LAND,
    };
    let boxed: Vec<&Country> = ctx
        .d
        .countries
        .iter()
        .filter(|c| {
            c.geometry.bounding_rect().is_some_and(|r| {
                r.min().x <= lon.1 && r.max().x >= lon.0 && r.min().y <= lat.1 && r.max().y >= lat.0
            })
        })
        .collect();
    // Distance bands: a grid of cells shaded by their exact geodesic distance to the border,
    // each cell's colour the band's tint blended over its country's land colour (opaque, so
    // neighbouring cells can overlap at pixel edges without seams); runs of equal cells in a
    // row merge into one rectangle.
    let zi = ZoneIndex::new(&border.geometry);
    let (nx, ny) = (
        ((pr.w() / d.c.mm(0.5)).ceil() as usize).max(10),
        ((pr.h() / d.c.mm(0.5)).ceil() as usize).max(10),
    );
    let (dlon, dlat) = ((lon.1 - lon.0) / nx as f64, (lat.1 - lat.0) / ny as f64);
    let grid: Vec<Vec<(Option<usize>, RGBAColor)>> = (0..ny)
        .into_par_iter()
        .map(|j| {
            let la = lat.1 - (j as f64 + 0.5) * dlat;
            (0..nx)
                .map(|i| {
                    let lo = lon.0 + (i as f64 + 0.5) * dlon;
                    let p = Point::new(lo, la);
                    let base = boxed
                        .iter()
                        .find(|c| c.geometry.contains(&p))
                        .map_or(style::LAND, |c| tint_of(&c.iso3));
                    let band = cell_band(&zi, p);
                    (band, band.map_or(base, |b| blend(style::BANDS[b], base)))
                })
                .collect()
        })
        .collect();
    for (j, row) in grid.iter().enumerate() {
        let mut i = 0;
        while i < nx {
            let b = row[i].1;
            let mut k = i + 1;
            while k < nx && row[k].1 == b {
                k += 1;
            }
            let a = pr.p((lon.0 + i as f64 * dlon, lat.1 - j as f64 * dlat));
            let c = pr.p((lon.0 + k as f64 * dlon, lat.1 - (j + 1) as f64 * dlat));
            d.rect(a, c, Some(b), None);
            i = k;
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
    // Districts: outlines and names.
    let bounds = ((pr.x0, pr.y0), (pr.x0 + pr.w(), pr.y0 + pr.h()));
    let mut placed: Vec<(Pt, Pt)> = Vec::new();
    let district_edge = RGBAColor(70, 70, 70, 0.9);
    let districts: Vec<&Zone> = ctx
        .d
        .zones
        .iter()
        .filter(|z| z.id != GAP_ZONE && !is_line_zone(z))
        .collect();
    for z in &districts {
        for o in outlines(&z.geometry) {
            for piece in pr.line(&o) {
                d.dashed(
                    piece,
                    district_edge,
                    d.c.pt(0.5),
                    (d.c.pt(2.0), d.c.pt(1.0)),
                );
            }
        }
    }
    // The Ganja gap.
    let gap = ctx.d.zones.iter().find(|z| z.id == GAP_ZONE);
    if let Some(g) = gap {
        for o in outlines(&g.geometry) {
            for piece in pr.line(&o) {
                d.line(piece, style::INK, d.c.pt(1.3));
            }
        }
    }
    // Borders: Armenia–Azerbaijan bold, Georgia's dashed.
    for z in ctx.d.zones.iter().filter(|z| is_line_zone(z)) {
        let main = z.id == BORDER_ZONE;
        for o in outlines(&z.geometry) {
            for piece in pr.line(&o) {
                if main {
                    d.line(piece, RGBAColor(120, 40, 90, 1.0), d.c.pt(1.4));
                } else {
                    d.dashed(
                        piece,
                        RGBAColor(60, 60, 60, 1.0),
                        d.c.pt(1.0),
                        (d.c.pt(4.0), d.c.pt(1.5)),
                    );
                }
            }
        }
    }
    // Corridors of the close-up, each its own colour and dash.
    let shown: [(&str, RGBAColor, Dash); 3] = [
        ("SCP", style::GAS, None),
        ("BTC", style::OIL, Some((d.c.pt(5.0), d.c.pt(2.0)))),
        ("WREP", style::INK, Some((d.c.pt(1.0), d.c.pt(1.6)))),
    ];
    // BTC and Baku–Supsa share a right of way for long stretches: BTC is drawn wide and
    // Baku–Supsa as a fine dotted line on top, so both stay visible where they coincide.
    let canvas = d.c;
    let corridor_width = |id: &str| match id {
        "BTC" => canvas.pt(2.4),
        "WREP" => canvas.pt(1.0),
        _ => canvas.pt(1.8),
    };
    for (id, col, dash) in shown {
        let w = corridor_width(id);
        for s in ctx.d.network.segments.iter().filter(|s| s.corridor == id) {
            for piece in pr.line(&coords(&s.line)) {
                match dash {
                    Some(ds) => d.dashed(piece, col, w, ds),
                    None => d.line(piece, col, w),
                }
            }
        }
    }
    // Country names, then district names where they fit.
    for (iso, name, q) in [
        ("ARM", "ARMENIA", (45.1, 40.55)),
        ("GEO", "GEORGIA", (45.35, 41.5)),
        ("AZE", "AZERBAIJAN", (46.3, 40.5)),
    ] {
        if ctx.d.countries.iter().any(|c| c.iso3 == iso) {
            place_label(
                &mut d,
                &mut placed,
                bounds,
                pr.p(q),
                &l.place(name),
                pt::NOTE,
                style::GREY_TEXT,
                true,
            );
        }
    }
    if let Some(c) = gap.and_then(|g| g.geometry.centroid()) {
        let q = (c.x(), c.y());
        if pr.inside(q) {
            place_label(
                &mut d,
                &mut placed,
                bounds,
                pr.p(q),
                &l.place("Ganja gap"),
                pt::NOTE,
                style::INK,
                true,
            );
        }
    }
    for z in &districts {
        if let Some(c) = z.geometry.centroid() {
            let q = (c.x(), c.y());
            if pr.inside(q) {
                place_label(
                    &mut d,
                    &mut placed,
                    bounds,
                    pr.p(q),
                    &z.name,
                    pt::NOTE,
                    style::INK,
                    z.id == "tovuz",
                );
            }
        }
    }
    // Closest points, labelled in a column to their east with leaders.
    let mut table = Vec::new();
    let mut marks: Vec<(Pt, String)> = Vec::new();
    for (id, _, _) in shown {
        if let Some(e) = exposure.iter().find(|e| e.corridor == id) {
            if let (Some(dk), Some(lo), Some(la)) = (e.min_distance_km, e.lon, e.lat) {
                table.push(vec![
                    e.corridor.clone(),
                    e.zone.clone(),
                    cell(dk, 3),
                    cell(lo, 6),
                    cell(la, 6),
                    e.chainage_km.map(|v| cell(v, 3)).unwrap_or_default(),
                ]);
                if pr.inside((lo, la)) {
                    marks.push((pr.p((lo, la)), format!("{id} {} km", l.num(dk, 1))));
                }
            }
        }
    }
    marks.sort_by(|a, b| a.0 .1.total_cmp(&b.0 .1).then(a.1.cmp(&b.1)));
    let step = d.px(pt::NOTE) * 1.6;
    let col_x = marks.iter().map(|m| m.0 .0).fold(f64::MIN, f64::max) + d.c.mm(9.0);
    let mut ly = marks
        .first()
        .map(|m| m.0 .1 - step * (marks.len() as f64 - 1.0) / 2.0)
        .unwrap_or(0.0);
    for (p, text) in &marks {
        let w = d.width(text, pt::NOTE);
        let at = (col_x, ly);
        d.line(
            vec![*p, (at.0 - d.px(pt::NOTE) * 0.3, at.1)],
            style::INK,
            d.c.pt(0.5),
        );
        d.rect(
            (at.0 - d.px(pt::NOTE) * 0.25, at.1 - d.px(pt::NOTE) * 0.6),
            (
                at.0 + w + d.px(pt::NOTE) * 0.25,
                at.1 + d.px(pt::NOTE) * 0.6,
            ),
            Some(RGBAColor(255, 255, 255, 0.85)),
            None,
        );
        d.text_full(
            at,
            text,
            pt::NOTE,
            style::INK,
            H::Left,
            V::Center,
            true,
            false,
            false,
        );
        ly += step;
    }
    for (p, _) in &marks {
        d.prims.push(Prim::Circle {
            c: *p,
            r: d.px(1.8),
            fill: Some(style::WHITE),
            stroke: Some((style::INK, d.c.pt(0.9))),
        });
    }
    graticule(&mut d, &pr, ctx, 0.4, 0.2, 1);
    let sb = (
        pr.x0 + d.px(pt::TICK) * 1.2,
        pr.y0 + pr.h() - d.px(pt::TICK) * 1.3,
    );
    scale_bar(&mut d, &pr, sb, 40.5, 20.0, ctx);
    // Legend column on the right.
    let lx = pr.x0 + pr.w() + d.c.mm(4.0);
    let mut y = pr.y0;
    for line in [
        l.p("Distance to the", "Jarak ke perbatasan"),
        l.p("Armenia–Azerbaijan border", "Armenia–Azerbaijan"),
    ] {
        d.heading((lx, y), line, pt::LEGEND);
        y += d.px(pt::LEGEND) * 1.3;
    }
    let bands: Vec<(String, Swatch)> = crate::analysis::exposure::DEFAULT_BANDS_KM
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (
                format!("≤ {} km", l.num(*b, 0)),
                Swatch::Box(blend(style::BANDS[i], style::LAND)),
            )
        })
        .collect();
    y = d.legend_column(lx, y, &bands) + d.px(pt::LEGEND);
    let lines: Vec<(String, Swatch)> = vec![
        (
            l.p("BTC (oil)", "BTC (minyak)").into(),
            Swatch::Line(style::OIL, d.c.pt(2.4), Some((d.c.pt(5.0), d.c.pt(2.0)))),
        ),
        (
            l.p("SCP (gas)", "SCP (gas)").into(),
            Swatch::Line(style::GAS, d.c.pt(1.8), None),
        ),
        (
            l.p("WREP, Baku–Supsa (oil)", "WREP, Baku–Supsa (minyak)")
                .into(),
            Swatch::Line(style::INK, d.c.pt(1.0), Some((d.c.pt(1.0), d.c.pt(1.6)))),
        ),
        (
            l.p("closest point, distance", "titik terdekat, jarak")
                .into(),
            Swatch::Dot(style::WHITE),
        ),
        (
            l.p("Armenia–Azerbaijan border", "perbatasan Armenia–Azerbaijan")
                .into(),
            Swatch::Line(RGBAColor(120, 40, 90, 1.0), d.c.pt(1.4), None),
        ),
        (
            l.p("Georgia's borders", "perbatasan Georgia").into(),
            Swatch::Line(
                RGBAColor(60, 60, 60, 1.0),
                d.c.pt(1.0),
                Some((d.c.pt(4.0), d.c.pt(1.5))),
            ),
        ),
        (
            l.p("Ganja gap", "Celah Ganja").into(),
            Swatch::Line(style::INK, d.c.pt(1.3), None),
        ),
        (
            l.p("district boundary", "batas distrik").into(),
            Swatch::Line(district_edge, d.c.pt(0.5), Some((d.c.pt(2.0), d.c.pt(1.0)))),
        ),
    ];
    let end = d
        .legend_column(lx, y, &lines)
        .max(pr.y0 + pr.h() + d.px(pt::TICK) * 1.6);
    d.finish_at(end, &ctx.source_map());
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
