//! Corridor summaries: commodity, nameplate capacity, measured and nominal length, per-country km.

use crate::geodesy::{country_split, length_m};
use crate::model::round;
use crate::model::{Commodity, Country, GeometryKind, Network, Segment};
use foldhash::{HashMap, HashMapExt};
use geo::{coord, BoundingRect, Intersects, LineString, Rect};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// One corridor as `corridor routes` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub corridor: String,
    pub commodity: Commodity,
    /// Nameplate: the largest capacity stated on the corridor's segments (normalised unit).
    pub capacity: Option<f64>,
    pub capacity_unit: Option<&'static str>,
    /// Measured: the sum of geodesic lengths of the segments, km.
    pub length_km: f64,
    /// The operator's length: the sum of the segments' `nominal_length_km`, if any states one.
    pub nominal_length_km: Option<f64>,
    /// ISO3 → km, with `unassigned` for length outside every basemap country.
    pub countries: BTreeMap<String, f64>,
    pub segments: usize,
    /// `mapped`, `schematic`, `mixed` or null when the segments do not say.
    pub geometry: Option<&'static str>,
    /// `planned` when the capacity comes from a planned expansion (only with `--include-planned`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_status: Option<&'static str>,
}

/// Summarises every corridor of `net`, in order of first appearance (corridors in parallel; the
/// segments grouped in one pass, so many corridors cost no more than a few).
pub fn routes(net: &Network, countries: &[Country]) -> Vec<Route> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: HashMap<&str, Vec<&Segment>> = HashMap::new();
    for s in &net.segments {
        groups
            .entry(s.corridor.as_str())
            .or_insert_with(|| {
                order.push(s.corridor.as_str());
                Vec::new()
            })
            .push(s);
    }
    let nameplates = net.nameplates();
    let boxes: Vec<Rect<f64>> = countries
        .iter()
        .filter_map(|c| c.geometry.bounding_rect())
        .collect();
    order
        .par_iter()
        .map(|&c| {
            let segs = &groups[c];
            let (commodity, capacity) = nameplates
                .get(c)
                .copied()
                .unwrap_or((Commodity::Unknown, None));
            let nominal: Vec<f64> = segs.iter().filter_map(|s| s.nominal_length_km).collect();
            let length_total_m: f64 = segs.iter().map(|s| length_m(&s.line)).sum();
            let length = length_total_m / 1000.0;
            let lines: Vec<_> = segs.iter().map(|s| &s.line).collect();
            let split = split_by_country(&lines, length_total_m, countries, &boxes)
                .into_iter()
                .map(|(k, v)| (k, round(v, 3)))
                .collect();
            let kinds: Vec<Option<GeometryKind>> = segs.iter().map(|s| s.geometry_kind).collect();
            let geometry = if kinds.iter().all(|k| *k == Some(GeometryKind::Mapped)) {
                Some("mapped")
            } else if kinds.iter().all(|k| *k == Some(GeometryKind::Schematic)) {
                Some("schematic")
            } else if kinds.iter().all(Option::is_none) {
                None
            } else {
                Some("mixed")
            };
            Route {
                corridor: c.to_string(),
                commodity,
                capacity: capacity.map(|v| round(v, 3)),
                // A unit only with a value: `capacity: null` never comes with one.
                capacity_unit: (commodity != Commodity::Unknown && capacity.is_some())
                    .then(|| commodity.unit()),
                length_km: round(length, 3),
                nominal_length_km: (!nominal.is_empty()).then(|| round(nominal.iter().sum(), 3)),
                countries: split,
                segments: segs.len(),
                geometry,
                capacity_status: None,
            }
        })
        .collect()
}

/// [`country_split`], without densifying lines that no country's box comes near: those lie
/// wholly outside the basemap, so their whole length is `unassigned` (what `country_split`
/// itself returns for them). "Near" is the lines' lon/lat box grown by half the largest span of
/// any edge (a geodesic edge strays from its ends' box by less than that). `total_m` is the
/// lines' length, summed as `country_split` sums it.
fn split_by_country(
    lines: &[&LineString<f64>],
    total_m: f64,
    countries: &[Country],
    boxes: &[Rect<f64>],
) -> BTreeMap<String, f64> {
    let near = lines.iter().any(|l| {
        let Some(b) = l.bounding_rect() else {
            return false;
        };
        let span =
            l.0.windows(2)
                .map(|w| (w[1].x - w[0].x).abs().max((w[1].y - w[0].y).abs()))
                .fold(0.0, f64::max);
        let m = span / 2.0 + 0.01;
        let grown = Rect::new(
            coord! { x: b.min().x - m, y: b.min().y - m },
            coord! { x: b.max().x + m, y: b.max().y + m },
        );
        boxes.iter().any(|c| c.intersects(&grown))
    });
    if near {
        return country_split(lines, countries);
    }
    let mut km = BTreeMap::new();
    if total_m > 1.0 {
        km.insert("unassigned".to_string(), total_m / 1000.0);
    }
    km
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{embedded, load_countries};
    use geo::line_string;

    #[test]
    fn lines_far_from_the_basemap_split_as_country_split_splits_them() {
        let countries = load_countries(&embedded::basemap()).unwrap();
        let boxes: Vec<Rect<f64>> = countries
            .iter()
            .filter_map(|c| c.geometry.bounding_rect())
            .collect();
        let lines = [
            // Argentina, the Gulf of Mexico, and a 2,000 km edge north of the basemap's box
            // (the geodesic bulges poleward, away from it).
            line_string![(x: -68.8, y: -32.9), (x: -70.6, y: -33.4)],
            line_string![(x: -93.25, y: 29.42), (x: -93.26, y: 29.40), (x: -93.3, y: 29.1)],
            line_string![(x: 10.0, y: 48.0), (x: 40.0, y: 48.5)],
            // And lines in or across the basemap, for which country_split itself is called.
            line_string![(x: 44.0, y: 40.0), (x: 46.0, y: 41.0)],
            line_string![(x: 0.0, y: 40.0), (x: 60.0, y: 40.0)],
        ];
        for l in &lines {
            let total: f64 = length_m(l);
            assert_eq!(
                split_by_country(&[l], total, &countries, &boxes),
                country_split(&[l], &countries),
                "{l:?}"
            );
        }
    }
}
