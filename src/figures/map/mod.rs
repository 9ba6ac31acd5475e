//! The two maps: the region from the Caspian to Italy, and the Ganja gap close-up.
//!
//! Projection: plate carrée with the horizontal scale multiplied by cos(mean latitude), so shapes
//! are right at the map's middle latitude. It is for drawing only: the scale bar, the distance
//! bands and every labelled distance are geodesic (WGS84), computed by the analyses.

//! One file per map ([`region`], [`ganja`]) over the [`projection`]; this file holds what both
//! draw (countries, graticule, scale bar, corridor styles, labels that avoid each other).

pub mod ganja;
mod projection;
pub mod region;

pub(crate) use projection::clip_segment;
pub(crate) use projection::dist as projection_dist;
use projection::{coords, exteriors, outlines, Proj, Pt};

use super::data::Ctx;
use super::layout::Doc;
use super::render::{H, V};
use super::style::{self, pt};
use crate::geodesy::distance_m;
use crate::geodesy::ZoneIndex;
use crate::model::{Commodity, Country, NodeKind, Zone};
use anyhow::Result;
use geo::{Centroid, Contains, Geometry, Point};
use plotters::style::RGBAColor;

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
/// Returns the box it covers (labels keep off it).
fn scale_bar(d: &mut Doc, pr: &Proj, at: Pt, lat: f64, km: f64, ctx: &Ctx) -> (Pt, Pt) {
    // A round length near a fifth of the map's width (`km` on the default canvas).
    let km = {
        let lon0 = pr.lon.0;
        let span = distance_m(Point::new(lon0, lat), Point::new(pr.lon.1, lat)) / 1000.0;
        let want = span * 0.2;
        let mag = 10f64.powf(want.log10().floor());
        let nice = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .filter(|v| *v <= want * 1.05)
            .fold(mag, f64::max);
        if (nice - km).abs() / km < 0.6 {
            km
        } else {
            nice
        }
    };
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
    let unit = format!("km ({})", ctx.l.p("geodesic", "geodesik"));
    let backing = (
        (at.0 - pad, at.1 - h - d.px(pt::TICK) * 1.5 - pad),
        (
            at.0 + w + pad * 2.0 + d.width(&unit, pt::NOTE),
            at.1 + h + pad,
        ),
    );
    d.rect(
        backing.0,
        backing.1,
        Some(RGBAColor(255, 255, 255, 0.85)),
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
    // The middle figure only where it keeps clear of its neighbours.
    let mid_fits = w / 2.0 > d.width(&l.num(km, 0), pt::NOTE) + d.px(pt::NOTE) * 0.5;
    for (x, v) in [(at.0, 0.0), (at.0 + w / 2.0, km / 2.0), (at.0 + w, km)] {
        if v == km / 2.0 && !mid_fits {
            continue;
        }
        d.text(
            (x, at.1 - h - d.px(pt::NOTE) * 0.2),
            &l.num(v, 0),
            pt::NOTE,
            H::Center,
            V::Bottom,
        );
    }
    d.text((at.0 + w + pad, at.1), &unit, pt::NOTE, H::Left, V::Center);
    backing
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
        // The figures draw the default network's oil and gas; other commodities as unknown.
        Commodity::Products | Commodity::Hydrogen | Commodity::Co2 | Commodity::Unknown => (
            style::GREY_TEXT,
            d.c.pt(w_pt),
            Some((d.c.pt(1.0), d.c.pt(1.0))),
        ),
    }
}

/// Schematic routes: thin and dotted in the commodity's colour, whatever their capacity.
fn schematic_style(d: &Doc, c: Commodity) -> (RGBAColor, f64, Option<(f64, f64)>) {
    let col = style::line_colour(c);
    (col, d.c.pt(0.9), Some((d.c.pt(0.9), d.c.pt(1.4))))
}

fn boxes_overlap(a: (Pt, Pt), b: (Pt, Pt)) -> bool {
    a.0 .0 < b.1 .0 && b.0 .0 < a.1 .0 && a.0 .1 < b.1 .1 && b.0 .1 < a.1 .1
}

/// Whether the segment a–b passes within `buf` of the box (tested against the box grown by
/// `buf`, which holds every point within `buf` of it).
pub(crate) fn segment_hits_box(a: Pt, b: Pt, bx: (Pt, Pt), buf: f64) -> bool {
    clip_segment(
        a,
        b,
        (bx.0 .0 - buf, bx.1 .0 + buf),
        (bx.0 .1 - buf, bx.1 .1 + buf),
    )
    .is_some()
}

/// The least distance from a point to a box (0 inside).
fn point_box_distance(p: Pt, bx: (Pt, Pt)) -> f64 {
    let dx = (bx.0 .0 - p.0).max(0.0).max(p.0 - bx.1 .0);
    let dy = (bx.0 .1 - p.1).max(0.0).max(p.1 - bx.1 .1);
    (dx * dx + dy * dy).sqrt()
}

/// How a map label looks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LabelStyle {
    pub points: f64,
    pub colour: RGBAColor,
    pub bold: bool,
    pub italic: bool,
    /// A backing box under the text (the label's box), or none.
    pub backing: Option<RGBAColor>,
}

impl LabelStyle {
    pub fn plain(points: f64, colour: RGBAColor) -> LabelStyle {
        LabelStyle {
            points,
            colour,
            bold: false,
            italic: false,
            backing: Some(RGBAColor(255, 255, 255, 0.8)),
        }
    }
}

/// Label placement by a simple collision search: each label tries candidate positions in order
/// and takes the first whose box stays inside the frame and clear of every label placed before,
/// every registered line (by its half-width plus a clearance) and every marker; a label placed
/// away from its anchor gets a leader line, which later labels avoid too. Everything placed or
/// avoided goes into the figure's layout record, so the tests can check the rules.
pub(crate) struct Placer {
    frame: (Pt, Pt),
    boxes: Vec<(Pt, Pt)>,
    lines: Vec<(Vec<Pt>, f64, (Pt, Pt))>,
    marks: Vec<(Pt, f64)>,
}

fn bbox(pts: &[Pt]) -> (Pt, Pt) {
    let mut b = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for p in pts {
        b.0 .0 = b.0 .0.min(p.0);
        b.0 .1 = b.0 .1.min(p.1);
        b.1 .0 = b.1 .0.max(p.0);
        b.1 .1 = b.1 .1.max(p.1);
    }
    b
}

impl Placer {
    pub fn new(frame: (Pt, Pt)) -> Placer {
        Placer {
            frame,
            boxes: Vec::new(),
            lines: Vec::new(),
            marks: Vec::new(),
        }
    }

    /// A drawn line labels must keep `buf` pixels away from.
    pub fn line(&mut self, d: &mut Doc, pts: &[Pt], buf: f64) {
        if pts.len() < 2 {
            return;
        }
        self.lines.push((pts.to_vec(), buf, bbox(pts)));
        d.record.lines.push((pts.to_vec(), buf));
    }

    /// A marker (centre, radius) labels must not cover.
    pub fn mark(&mut self, d: &mut Doc, c: Pt, r: f64) {
        self.marks.push((c, r));
        d.record.marks.push((c, r));
    }

    /// A box nothing may overlap (the scale bar).
    pub fn block(&mut self, d: &mut Doc, b: (Pt, Pt)) {
        self.boxes.push(b);
        d.record.labels.push((String::new(), b.0, b.1));
    }

    fn fits(&self, b: (Pt, Pt)) -> bool {
        let f = self.frame;
        if b.0 .0 < f.0 .0 || b.1 .0 > f.1 .0 || b.0 .1 < f.0 .1 || b.1 .1 > f.1 .1 {
            return false;
        }
        if self.boxes.iter().any(|p| boxes_overlap(*p, b)) {
            return false;
        }
        if self
            .marks
            .iter()
            .any(|(c, r)| point_box_distance(*c, b) < *r + 0.5)
        {
            return false;
        }
        self.lines.iter().all(|(pts, buf, lb)| {
            let grown = (
                (lb.0 .0 - buf, lb.0 .1 - buf),
                (lb.1 .0 + buf, lb.1 .1 + buf),
            );
            !boxes_overlap(grown, b)
                || !pts
                    .windows(2)
                    .any(|w| segment_hits_box(w[0], w[1], b, *buf))
        })
    }

    /// The box of `text` centred on `c` (the text's box plus a small pad).
    fn box_at(d: &Doc, text: &str, st: &LabelStyle, c: Pt) -> (Pt, Pt) {
        let w = if st.bold {
            d.width_bold(text, st.points)
        } else {
            d.width(text, st.points)
        };
        let em = d.px(st.points);
        let pad = em * 0.15;
        let h = em * (crate::figures::text::BOX_ABOVE + crate::figures::text::BOX_BELOW);
        (
            (c.0 - w / 2.0 - pad, c.1 - h / 2.0 - pad),
            (c.0 + w / 2.0 + pad, c.1 + h / 2.0 + pad),
        )
    }

    /// Size of a label's box.
    pub fn size(d: &Doc, text: &str, st: &LabelStyle) -> (f64, f64) {
        let b = Placer::box_at(d, text, st, (0.0, 0.0));
        (b.1 .0 - b.0 .0, b.1 .1 - b.0 .1)
    }

    fn draw(&mut self, d: &mut Doc, text: &str, st: &LabelStyle, b: (Pt, Pt)) {
        if let Some(bg) = st.backing {
            d.rect(b.0, b.1, Some(bg), None);
        }
        let em = d.px(st.points);
        // The box's middle is the text's: baseline at top + pad + BOX_ABOVE em.
        let base = b.0 .1 + em * 0.15 + em * crate::figures::text::BOX_ABOVE;
        d.text_full(
            ((b.0 .0 + b.1 .0) / 2.0, base - em * 0.729 / 2.0),
            text,
            st.points,
            st.colour,
            H::Center,
            V::Center,
            st.bold,
            st.italic,
            false,
        );
        self.boxes.push(b);
        d.record.labels.push((text.to_string(), b.0, b.1));
    }

    /// Places `text` at the first of `centres` that fits; returns its box.
    pub fn at_first(
        &mut self,
        d: &mut Doc,
        text: &str,
        st: &LabelStyle,
        centres: &[Pt],
    ) -> Option<(Pt, Pt)> {
        let b = centres
            .iter()
            .map(|c| Placer::box_at(d, text, st, *c))
            .find(|b| self.fits(*b))?;
        self.draw(d, text, st, b);
        Some(b)
    }

    /// Labels a point feature (a marker of radius `r` at `c`): the eight positions around it,
    /// then the same farther out with a leader line from the marker to the label.
    pub fn near_point(
        &mut self,
        d: &mut Doc,
        text: &str,
        st: &LabelStyle,
        c: Pt,
        r: f64,
    ) -> Option<(Pt, Pt)> {
        let (w, h) = Placer::size(d, text, st);
        let gap = d.px(st.points) * 0.25;
        let dirs: [(f64, f64); 8] = [
            (1.0, 0.0),
            (-1.0, 0.0),
            (0.7, -0.7),
            (-0.7, -0.7),
            (0.7, 0.7),
            (-0.7, 0.7),
            (0.0, -1.0),
            (0.0, 1.0),
        ];
        let centre = |dist: f64, (dx, dy): (f64, f64)| {
            (c.0 + dx * (dist + w / 2.0), c.1 + dy * (dist + h / 2.0))
        };
        for k in 0..8 {
            let dist = r + gap + k as f64 * d.px(st.points) * 1.2;
            for dir in dirs {
                let b = Placer::box_at(d, text, st, centre(dist, dir));
                if !self.fits(b) {
                    continue;
                }
                if k > 0 {
                    // A leader from the marker's edge to just short of the box.
                    let q = nearest_on_box(c, b);
                    let len = projection_dist(c, q);
                    let lw = d.c.pt(0.5);
                    // The leader stops short of the box by more than its own clearance.
                    let short = lw + 1.5;
                    if len > r + short + 1.0 {
                        let u = ((q.0 - c.0) / len, (q.1 - c.1) / len);
                        let a = (c.0 + u.0 * r, c.1 + u.1 * r);
                        let z = (q.0 - u.0 * short, q.1 - u.1 * short);
                        let leader = vec![a, z];
                        // The leader keeps clear of the labels already placed (by its own
                        // clearance), and later labels keep off it.
                        if self.boxes.iter().any(|bx| segment_hits_box(a, z, *bx, lw)) {
                            continue;
                        }
                        d.line(leader.clone(), style::INK, lw);
                        self.draw(d, text, st, b);
                        self.line(d, &leader, lw);
                        return Some(b);
                    }
                }
                self.draw(d, text, st, b);
                return Some(b);
            }
        }
        None
    }

    /// Labels a line (pixel polyline): positions along it, from its middle outwards, just
    /// beside it on either side (then a little farther), each accepted only where `own` says
    /// the line is the nearest of its kind (so a label never reads as another line's).
    pub fn along(
        &mut self,
        d: &mut Doc,
        text: &str,
        st: &LabelStyle,
        line: &[Pt],
        clearance: f64,
        own: &dyn Fn(Pt) -> bool,
    ) -> Option<(Pt, Pt)> {
        if line.is_empty() {
            return None;
        }
        let (_, h) = Placer::size(d, text, st);
        let mut centres = Vec::new();
        let n = 32;
        for k in 1..=2 {
            for i in 0..n {
                // From the middle outwards.
                let f = 0.5 + ((i + 1) / 2) as f64 / n as f64 * if i % 2 == 0 { 1.0 } else { -1.0 };
                let q = line[((line.len() - 1) as f64 * f.clamp(0.0, 1.0)).round() as usize];
                let off = clearance + h / 2.0 + (k - 1) as f64 * h * 0.6;
                centres.push((q.0, q.1 - off));
                centres.push((q.0, q.1 + off));
            }
        }
        let centres: Vec<Pt> = centres.into_iter().filter(|c| own(*c)).collect();
        self.at_first(d, text, st, &centres)
    }

    /// Labels an area around `c`: the centre, then rings of positions farther out, each
    /// accepted only if `inside` says so.
    #[allow(clippy::too_many_arguments)]
    pub fn area(
        &mut self,
        d: &mut Doc,
        text: &str,
        st: &LabelStyle,
        c: Pt,
        step: f64,
        rings: usize,
        inside: &dyn Fn(Pt) -> bool,
    ) -> Option<(Pt, Pt)> {
        let mut centres = vec![c];
        for k in 1..=rings {
            let r = step * k as f64;
            for j in 0..(8 * k) {
                let a = j as f64 / (8 * k) as f64 * std::f64::consts::TAU;
                centres.push((c.0 + r * a.cos(), c.1 + r * a.sin()));
            }
        }
        let centres: Vec<Pt> = centres.into_iter().filter(|p| inside(*p)).collect();
        self.at_first(d, text, st, &centres)
    }
}

/// The least distance from a point to a pixel polyline.
pub(crate) fn point_line_distance(p: Pt, line: &[Pt]) -> f64 {
    line.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let l2 = dx * dx + dy * dy;
            let t = if l2 == 0.0 {
                0.0
            } else {
                (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
            };
            projection_dist(p, (a.0 + t * dx, a.1 + t * dy))
        })
        .fold(f64::MAX, f64::min)
}

fn nearest_on_box(p: Pt, b: (Pt, Pt)) -> Pt {
    (p.0.clamp(b.0 .0, b.1 .0), p.1.clamp(b.0 .1, b.1 .1))
}

/// Corridors that share another's traced line: the guest (the one with the smaller nameplate
/// capacity) and its host, with the guest's vertices that coincide with the host's. Found
/// from the geometry (identical vertices over at least ten points), not from ids: Global Energy
/// Monitor drew Baku–Supsa on BTC's trace in Azerbaijan (data/SOURCES.md), so WREP's position
/// there is approximate and the maps draw it beside BTC.
pub(crate) fn shared_traces(net: &crate::model::Network) -> Vec<(String, String)> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut verts: BTreeMap<&str, BTreeSet<(u64, u64)>> = BTreeMap::new();
    for s in &net.segments {
        let v = verts.entry(s.corridor.as_str()).or_default();
        for c in &s.line.0 {
            v.insert((c.x.to_bits(), c.y.to_bits()));
        }
    }
    let cap = |c: &str| {
        net.segments
            .iter()
            .filter(|s| s.corridor == c)
            .filter_map(|s| s.capacity)
            .fold(0.0, f64::max)
    };
    let commodity = |c: &str| {
        net.segments
            .iter()
            .find(|s| s.corridor == c)
            .map(|s| s.commodity)
    };
    let names: Vec<&str> = verts.keys().copied().collect();
    let mut out = Vec::new();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            if commodity(a) != commodity(b) {
                continue;
            }
            let shared = verts[a].intersection(&verts[b]).count();
            if shared >= 10 {
                let (guest, host) = if cap(a) < cap(b) || (cap(a) == cap(b) && a > b) {
                    (a, b)
                } else {
                    (b, a)
                };
                out.push((guest.to_string(), host.to_string()));
            }
        }
    }
    out
}

/// A pixel polyline moved sideways by `offset` pixels at the vertices `on` marks (a vertex
/// normal is the mean of its two edges'); unmarked vertices stay.
pub(crate) fn offset_line(pts: &[Pt], on: &[bool], offset: f64) -> Vec<Pt> {
    let n = pts.len();
    (0..n)
        .map(|i| {
            if !on[i] {
                return pts[i];
            }
            let edge = |a: Pt, b: Pt| {
                let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                let l = (dx * dx + dy * dy).sqrt();
                if l == 0.0 {
                    (0.0, 0.0)
                } else {
                    (-dy / l, dx / l)
                }
            };
            let n0 = if i > 0 {
                edge(pts[i - 1], pts[i])
            } else {
                (0.0, 0.0)
            };
            let n1 = if i + 1 < n {
                edge(pts[i], pts[i + 1])
            } else {
                (0.0, 0.0)
            };
            let (mx, my) = (n0.0 + n1.0, n0.1 + n1.1);
            let l = (mx * mx + my * my).sqrt();
            if l == 0.0 {
                return pts[i];
            }
            // Keep the offset distance at sharp bends (within reason).
            let cos = (l / 2.0).max(0.5);
            (
                pts[i].0 + mx / l * offset / cos,
                pts[i].1 + my / l * offset / cos,
            )
        })
        .collect()
}

/// Clips a pixel polyline to a pixel box; returns the visible pieces.
pub(crate) fn clip_px(pts: &[Pt], b: (Pt, Pt)) -> Vec<Vec<Pt>> {
    projection::clipped_runs(
        pts,
        (b.0 .0, b.1 .0),
        (b.0 .1, b.1 .1),
        |q| q,
        |l, a| (l.0 - a.0).abs() + (l.1 - a.1).abs(),
    )
}
