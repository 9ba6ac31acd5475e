//! The two maps: the region from the Caspian to Italy, and the Ganja gap close-up.
//!
//! Projection: plate carrée with the horizontal scale multiplied by cos(mean latitude), so shapes
//! are right at the map's middle latitude. It is for drawing only: the scale bar, the distance
//! bands and every labelled distance are geodesic (WGS84), computed by the analyses.

use super::data::{cell, Ctx};
use super::layout::{triangle, Doc, Swatch};
use super::render::{Prim, H, V};
use super::style::{self, pt};
use super::{Built, BORDER_ZONE, GAP_ZONE};
use crate::geodesy::distance_m;
use crate::model::{Commodity, Country, NodeKind, Zone};
use crate::nearest::ZoneIndex;
use anyhow::Result;
use geo::{BoundingRect, Centroid, Contains, Geometry, Point};
use plotters::style::RGBAColor;
use rayon::prelude::*;

type Pt = (f64, f64);

/// A dash pattern (dash, gap) in pixels; `None` for a solid line.
type Dash = Option<(f64, f64)>;

/// A lon/lat box and where it sits on the canvas.
#[derive(Debug, Clone, Copy)]
struct Proj {
    lon: (f64, f64),
    lat: (f64, f64),
    x0: f64,
    y0: f64,
    /// Pixels per degree of longitude and latitude.
    kx: f64,
    ky: f64,
}

impl Proj {
    /// Fits the box into `w` × `h` pixels at (x0, y0), keeping the cos(mean latitude) aspect.
    fn fit(lon: (f64, f64), lat: (f64, f64), x0: f64, y0: f64, w: f64, h: f64) -> Proj {
        let c = ((lat.0 + lat.1) / 2.0).to_radians().cos();
        let ky = (w / ((lon.1 - lon.0) * c)).min(h / (lat.1 - lat.0));
        Proj {
            lon,
            lat,
            x0,
            y0,
            kx: ky * c,
            ky,
        }
    }

    fn w(&self) -> f64 {
        (self.lon.1 - self.lon.0) * self.kx
    }

    fn h(&self) -> f64 {
        (self.lat.1 - self.lat.0) * self.ky
    }

    fn p(&self, q: Pt) -> Pt {
        (
            self.x0 + (q.0 - self.lon.0) * self.kx,
            self.y0 + (self.lat.1 - q.1) * self.ky,
        )
    }

    fn inside(&self, q: Pt) -> bool {
        q.0 >= self.lon.0 && q.0 <= self.lon.1 && q.1 >= self.lat.0 && q.1 <= self.lat.1
    }

    /// Clips a polyline (lon/lat) to the box; returns the projected visible pieces.
    fn line(&self, pts: &[Pt]) -> Vec<Vec<Pt>> {
        let mut out: Vec<Vec<Pt>> = Vec::new();
        let mut cur: Vec<Pt> = Vec::new();
        for w in pts.windows(2) {
            match clip_segment(w[0], w[1], self.lon, self.lat) {
                Some((a, b)) => {
                    let (pa, pb) = (self.p(a), self.p(b));
                    if cur.last().is_none_or(|l| dist(*l, pa) > 0.5) {
                        if cur.len() >= 2 {
                            out.push(std::mem::take(&mut cur));
                        }
                        cur = vec![pa];
                    }
                    cur.push(pb);
                }
                None => {
                    if cur.len() >= 2 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                }
            }
        }
        if cur.len() >= 2 {
            out.push(cur);
        }
        out
    }

    /// Clips a ring (lon/lat) to the box (Sutherland–Hodgman) and projects it.
    fn ring(&self, ring: &[Pt]) -> Option<Vec<Pt>> {
        let mut poly: Vec<Pt> = ring.to_vec();
        let edges: [(usize, f64, bool); 4] = [
            (0, self.lon.0, true),
            (0, self.lon.1, false),
            (1, self.lat.0, true),
            (1, self.lat.1, false),
        ];
        for (axis, v, keep_ge) in edges {
            let inside = |p: &Pt| {
                let c = if axis == 0 { p.0 } else { p.1 };
                if keep_ge {
                    c >= v
                } else {
                    c <= v
                }
            };
            let mut next = Vec::with_capacity(poly.len());
            for i in 0..poly.len() {
                let a = poly[i];
                let b = poly[(i + 1) % poly.len()];
                let (ia, ib) = (inside(&a), inside(&b));
                if ia {
                    next.push(a);
                }
                if ia != ib {
                    let (ca, cb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
                    let t = (v - ca) / (cb - ca);
                    next.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            poly = next;
            if poly.len() < 3 {
                return None;
            }
        }
        Some(poly.iter().map(|q| self.p(*q)).collect())
    }
}

fn dist(a: Pt, b: Pt) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Liang–Barsky clipping of one segment to a lon/lat box.
pub(super) fn clip_segment(a: Pt, b: Pt, lon: (f64, f64), lat: (f64, f64)) -> Option<(Pt, Pt)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - lon.0),
        (dx, lon.1 - a.0),
        (-dy, a.1 - lat.0),
        (dy, lat.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

fn coords(l: &geo::LineString<f64>) -> Vec<Pt> {
    l.0.iter().map(|c| (c.x, c.y)).collect()
}

/// Exterior rings of a geometry's polygons.
fn exteriors(g: &Geometry<f64>) -> Vec<Vec<Pt>> {
    match g {
        Geometry::Polygon(p) => vec![coords(p.exterior())],
        Geometry::MultiPolygon(m) => m.0.iter().map(|p| coords(p.exterior())).collect(),
        Geometry::GeometryCollection(c) => c.0.iter().flat_map(exteriors).collect(),
        _ => vec![],
    }
}

/// Lines of a geometry: line parts, and every polygon ring as an outline.
fn outlines(g: &Geometry<f64>) -> Vec<Vec<Pt>> {
    match g {
        Geometry::LineString(l) => vec![coords(l)],
        Geometry::MultiLineString(m) => m.0.iter().map(coords).collect(),
        Geometry::Polygon(p) => std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(coords)
            .collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(coords)
                .collect()
        }
        Geometry::GeometryCollection(c) => c.0.iter().flat_map(outlines).collect(),
        _ => vec![],
    }
}

fn is_line_zone(z: &Zone) -> bool {
    matches!(
        z.geometry,
        Geometry::LineString(_) | Geometry::MultiLineString(_)
    )
}

fn draw_countries(d: &mut Doc, pr: &Proj, countries: &[Country], fill: &dyn Fn(&str) -> RGBAColor) {
    for c in countries {
        for p in &c.geometry.0 {
            if let Some(r) = pr.ring(&coords(p.exterior())) {
                d.fill(r, fill(&c.iso3));
            }
        }
    }
    for c in countries {
        for p in &c.geometry.0 {
            for piece in pr.line(&coords(p.exterior())) {
                d.line(piece, style::LAND_EDGE, d.c.pt(0.4));
            }
        }
    }
}

/// Graticule lines inside the map and degree labels outside its left and bottom edges.
fn graticule(d: &mut Doc, pr: &Proj, ctx: &Ctx, step_lon: f64, step_lat: f64, dec: usize) {
    let l = &ctx.l;
    let colour = RGBAColor(90, 90, 90, 0.35);
    let first = (pr.lon.0 / step_lon).ceil() as i64;
    let last = (pr.lon.1 / step_lon + 1e-9).floor() as i64;
    for i in first..=last {
        let lon = i as f64 * step_lon;
        let a = pr.p((lon, pr.lat.0));
        let b = pr.p((lon, pr.lat.1));
        d.line(vec![a, b], colour, d.c.pt(0.35));
        d.text(
            (a.0, a.1 + d.px(pt::TICK) * 0.35),
            &lon_label(l, lon, dec),
            pt::TICK,
            H::Center,
            V::Top,
        );
    }
    let first = (pr.lat.0 / step_lat).ceil() as i64;
    let last = (pr.lat.1 / step_lat + 1e-9).floor() as i64;
    for i in first..=last {
        let lat = i as f64 * step_lat;
        let a = pr.p((pr.lon.0, lat));
        let b = pr.p((pr.lon.1, lat));
        d.line(vec![a, b], colour, d.c.pt(0.35));
        // The bottom corner belongs to the first longitude label.
        if (lat - pr.lat.0).abs() < 1e-9 {
            continue;
        }
        d.text(
            (a.0 - d.px(pt::TICK) * 0.35, a.1),
            &lat_label(l, lat, dec),
            pt::TICK,
            H::Right,
            V::Center,
        );
    }
    let (x1, y1) = (pr.x0 + pr.w(), pr.y0 + pr.h());
    d.rect(
        (pr.x0, pr.y0),
        (x1, y1),
        None,
        Some((style::INK, d.c.pt(0.6))),
    );
}

fn lon_label(l: &super::i18n::L, v: f64, dec: usize) -> String {
    let s = l.lon(v);
    if dec == 0 {
        return s;
    }
    // `lon` prints whole degrees; close-ups need decimals.
    let hemi = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    format!("{}{hemi}", l.num(v.abs(), dec))
}

fn lat_label(l: &super::i18n::L, v: f64, dec: usize) -> String {
    let s = l.lat(v.round());
    let hemi = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    format!("{}{hemi}", l.num(v.abs(), dec))
}

/// A scale bar of `km` kilometres at `lat`, its left end at pixel `at`; the length on the map
/// comes from the geodesic distance along the parallel (bisection on the longitude span).
fn scale_bar(d: &mut Doc, pr: &Proj, at: Pt, lat: f64, km: f64, ctx: &Ctx) {
    let lon0 = pr.lon.0 + (at.0 - pr.x0) / pr.kx;
    let (mut lo, mut hi) = (0.0, 30.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if distance_m(Point::new(lon0, lat), Point::new(lon0 + mid, lat)) < km * 1000.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let w = lo * pr.kx;
    let h = d.px(pt::TICK) * 0.35;
    let pad = d.px(pt::TICK) * 0.5;
    d.rect(
        (at.0 - pad, at.1 - h - d.px(pt::TICK) * 1.5 - pad),
        (at.0 + w + pad * 4.0, at.1 + h + pad),
        Some(RGBAColor(255, 255, 255, 0.8)),
        None,
    );
    d.rect(
        (at.0, at.1 - h),
        (at.0 + w / 2.0, at.1 + h),
        Some(style::INK),
        None,
    );
    d.rect(
        (at.0 + w / 2.0, at.1 - h),
        (at.0 + w, at.1 + h),
        Some(style::WHITE),
        Some((style::INK, d.c.pt(0.5))),
    );
    d.rect(
        (at.0, at.1 - h),
        (at.0 + w, at.1 + h),
        None,
        Some((style::INK, d.c.pt(0.5))),
    );
    let l = &ctx.l;
    for (x, v) in [(at.0, 0.0), (at.0 + w / 2.0, km / 2.0), (at.0 + w, km)] {
        d.text(
            (x, at.1 - h - d.px(pt::NOTE) * 0.2),
            &l.num(v, 0),
            pt::NOTE,
            H::Center,
            V::Bottom,
        );
    }
    d.text(
        (at.0 + w + pad, at.1),
        &format!("km ({})", l.p("geodesic", "geodesik")),
        pt::NOTE,
        H::Left,
        V::Center,
    );
}

/// Line width (pt) by capacity: area-like √ scaling against fixed references, so the legend
/// holds for any network (gas: 32 bcm/y, oil: 1,200 kb/d reach 2.1 pt).
fn width_pt(c: Commodity, cap: Option<f64>) -> f64 {
    let reference = match c {
        Commodity::Oil => 1200.0,
        _ => 32.0,
    };
    match cap {
        Some(v) if v > 0.0 => 0.5 + 1.6 * (v / reference).min(1.5).sqrt(),
        _ => 0.5,
    }
}

fn corridor_style(d: &Doc, c: Commodity, w_pt: f64) -> (RGBAColor, f64, Option<(f64, f64)>) {
    match c {
        Commodity::Oil => (
            style::OIL,
            d.c.pt(w_pt),
            Some((d.c.pt(3.0 + w_pt), d.c.pt(1.6 + w_pt * 0.4))),
        ),
        Commodity::Gas => (style::GAS, d.c.pt(w_pt), None),
        Commodity::Unknown => (
            style::GREY_TEXT,
            d.c.pt(w_pt),
            Some((d.c.pt(1.0), d.c.pt(1.0))),
        ),
    }
}

fn boxes_overlap(a: (Pt, Pt), b: (Pt, Pt)) -> bool {
    a.0 .0 < b.1 .0 && b.0 .0 < a.1 .0 && a.0 .1 < b.1 .1 && b.0 .1 < a.1 .1
}

/// A label with a light backing box, placed only where it overlaps no earlier label.
#[allow(clippy::too_many_arguments)]
fn place_label(
    d: &mut Doc,
    placed: &mut Vec<(Pt, Pt)>,
    bounds: (Pt, Pt),
    at: Pt,
    text: &str,
    points: f64,
    colour: RGBAColor,
    bold: bool,
) -> bool {
    let w = d.width(text, points) + d.px(points) * 0.4;
    let h = d.px(points) * 1.15;
    let b = (
        (at.0 - w / 2.0, at.1 - h / 2.0),
        (at.0 + w / 2.0, at.1 + h / 2.0),
    );
    if b.0 .0 < bounds.0 .0 || b.1 .0 > bounds.1 .0 || b.0 .1 < bounds.0 .1 || b.1 .1 > bounds.1 .1
    {
        return false;
    }
    if placed.iter().any(|p| boxes_overlap(*p, b)) {
        return false;
    }
    d.rect(b.0, b.1, Some(RGBAColor(255, 255, 255, 0.78)), None);
    d.text_full(
        at,
        text,
        points,
        colour,
        H::Center,
        V::Center,
        bold,
        false,
        false,
    );
    placed.push(b);
    true
}

/// `map-region`: countries, corridors by commodity and capacity, supplies, markets, zones.
pub fn region(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let mut d = Doc::new(ctx.canvas(112.0));
    let title = l
        .p(
            "Energy corridors from the Caspian to Italy",
            "Koridor energi dari Laut Kaspia hingga Italia",
        )
        .to_string();
    let top = d.title(&title) + d.px(pt::TICK) * 0.6;
    let left = d.m + d.width("46°N", pt::TICK) + d.px(pt::TICK) * 1.2;
    let right = d.c.w as f64 - d.m;
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
    let routes = crate::routes::routes(net, &ctx.d.countries);
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
            Commodity::Unknown => style::GREY_TEXT,
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
    d.c.h = (end + d.px(pt::SOURCE) * 2.2 + d.m).ceil() as u32;
    d.source(&ctx.source_map());
    let caption = match l.lang {
        super::Lang::En => "Energy corridors between the Caspian and Italy: gas pipelines in blue (solid) and oil pipelines in \
            vermillion (dashed), line width by design capacity; triangles mark supplies, rings markets; the purple area is \
            the Ganja gap and the Azerbaijani districts around it, the rectangle the extent of the close-up map. Plate \
            carrée projection with the horizontal scale corrected by cos 40° (for drawing only: the scale bar, at 35°N, \
            and all distances are geodesic on WGS84). Basemap: Natural Earth.".to_string(),
        super::Lang::Id => "Koridor energi antara Laut Kaspia dan Italia: pipa gas berwarna biru (garis utuh) dan pipa minyak \
            berwarna jingga kemerahan (garis putus-putus), tebal garis menurut kapasitas rancangan; segitiga menandai \
            sumber pasokan, lingkaran menandai pasar; area ungu adalah Celah Ganja dan distrik-distrik Azerbaijan di \
            sekitarnya, persegi panjang menandai cakupan peta perbesaran. Proyeksi plate carrée dengan skala horizontal \
            dikoreksi cos 40° (hanya untuk penggambaran: skala batang, pada 35° LU, dan semua jarak bersifat geodesik \
            pada WGS84). Peta dasar: Natural Earth.".to_string(),
    };
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

/// The band of a grid cell's centre. The chord (straight-line) distance is a lower bound on
/// the geodesic one and within a fraction of a percent of it at these ranges, so it decides
/// every cell that is not near a band edge; the exact geodesic distance decides the rest.
/// The shading is thus exactly the geodesic classification, at a fraction of the cost.
fn cell_band(zi: &ZoneIndex, p: Point<f64>) -> Option<usize> {
    let chord_km = zi.chord_distance(p, crate::nearest::ecef(p)) / 1000.0;
    let bands = crate::exposure::DEFAULT_BANDS_KM;
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
    crate::exposure::DEFAULT_BANDS_KM
        .iter()
        .position(|b| km <= *b)
}

/// `map-ganja`: the Ganja gap and Tovuz with the distance bands of the Armenian border, BTC, SCP
/// and Baku–Supsa and their closest points.
pub fn ganja(ctx: &Ctx) -> Result<Built> {
    let l = &ctx.l;
    let border = ctx.d.zone(BORDER_ZONE, "map-ganja")?;
    let exposure = ctx.border_exposure("map-ganja")?;
    let mut d = Doc::new(ctx.canvas(122.0));
    let title = l
        .p(
            "The Ganja gap and Tovuz: corridors near the Armenian border",
            "Celah Ganja dan Tovuz: koridor di dekat perbatasan Armenia",
        )
        .to_string();
    let top = d.title(&title) + d.px(pt::TICK) * 0.9;
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
        d.text_full(
            (lx, y),
            line,
            pt::LEGEND,
            style::INK,
            H::Left,
            V::Top,
            true,
            false,
            false,
        );
        y += d.px(pt::LEGEND) * 1.3;
    }
    let bands: Vec<(String, Swatch)> = crate::exposure::DEFAULT_BANDS_KM
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
    d.c.h = (end + d.px(pt::SOURCE) * 2.2 + d.m).ceil() as u32;
    d.source(&ctx.source_map());
    let caption = match l.lang {
        super::Lang::En => "The Ganja gap and the Tovuz district: shading marks land within 10, 20, 40 and 70 km of the \
            Armenia–Azerbaijan border (geodesic distance on WGS84, evaluated on a 0.5 mm grid); BTC (oil), SCP (gas) \
            and the Western Route Export Pipeline (WREP, Baku–Supsa, oil) with their closest points to the border and \
            the distance. Plate carrée projection corrected by cos 41° (drawing only). Borders and districts: \
            data/zones; countries: Natural Earth.".to_string(),
        super::Lang::Id => "Celah Ganja dan distrik Tovuz: arsiran menandai daratan dalam jarak 10, 20, 40 dan 70 km dari \
            perbatasan Armenia–Azerbaijan (jarak geodesik pada WGS84, dihitung pada grid 0,5 mm); BTC (minyak), SCP \
            (gas) dan Western Route Export Pipeline (WREP, Baku–Supsa, minyak) beserta titik terdekatnya ke perbatasan \
            dan jaraknya. Proyeksi plate carrée dikoreksi cos 41° (hanya untuk penggambaran). Perbatasan dan distrik: \
            data/zones; negara: Natural Earth.".to_string(),
    };
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
