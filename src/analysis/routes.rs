//! Corridor summaries: commodity, nameplate capacity, measured and nominal length, per-country km.

use crate::geodesy::{country_split, length_m};
use crate::model::round;
use crate::model::{Commodity, Country, GeometryKind, Network};
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

/// Summarises every corridor of `net`, in order of first appearance.
pub fn routes(net: &Network, countries: &[Country]) -> Vec<Route> {
    net.corridors()
        .into_iter()
        .map(|c| {
            let segs: Vec<_> = net.segments.iter().filter(|s| s.corridor == c).collect();
            let (commodity, capacity) = net.corridor_nameplate(c);
            let nominal: Vec<f64> = segs.iter().filter_map(|s| s.nominal_length_km).collect();
            let length: f64 = segs.iter().map(|s| length_m(&s.line)).sum::<f64>() / 1000.0;
            let lines: Vec<_> = segs.iter().map(|s| &s.line).collect();
            let split = country_split(&lines, countries)
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
                capacity_unit: (commodity != Commodity::Unknown).then(|| commodity.unit()),
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
