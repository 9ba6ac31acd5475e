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
use projection::{coords, exteriors, outlines, Proj, Pt};

use super::data::Ctx;
use super::layout::Doc;
use super::render::{H, V};
use super::style::{self, pt};
use crate::geodesy::distance_m;
use crate::geodesy::ZoneIndex;
use crate::model::{Commodity, Country, NodeKind, Zone};
use anyhow::Result;
use geo::{BoundingRect, Centroid, Contains, Geometry, Point};
use plotters::style::RGBAColor;
use rayon::prelude::*;

/// A dash pattern (dash, gap) in pixels; `None` for a solid line.
type Dash = Option<(f64, f64)>;

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
        // The figures draw the default network's oil and gas; other commodities as unknown.
        Commodity::Products | Commodity::Hydrogen | Commodity::Co2 | Commodity::Unknown => (
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
