//! `corridor exposure` (rows, co-location, the exposed stretches as GeoJSON) and
//! `corridor profile`.

use super::{meta, notes_member, to_rows, Report};
use crate::analysis::exposure::{Exposure, ExposureResult, StretchKind};
use crate::analysis::profile::{ProfileQuery, Sample};
use crate::geodesy::length_m;
use crate::input::Source;
use crate::model::{round, Zone};
use geo::LineString;
use serde_json::{json, Map, Value};

/// What `corridor exposure` writes, per format.
#[derive(Debug, Clone)]
pub struct ExposureOutput {
    /// For json and csv: rows under `exposure`, `colocation` as zone → pairs.
    pub report: Report,
    /// For the table: the exposure block, then co-location as a second block (one row per pair).
    pub table: Report,
    /// For geojson: the exposed stretches.
    pub geojson: String,
}

/// Builds the `corridor exposure` outputs from the result for `zones` and `bands_km` (sorted
/// ascending, each once).
pub fn report(
    r: &ExposureResult,
    sources: &[&Source],
    year: Option<i32>,
    zones: &[&Zone],
    bands_km: &[f64],
    notes: &[String],
) -> ExposureOutput {
    let meta = meta(
        "exposure",
        sources,
        year,
        json!({"zones": zones.iter().map(|z| &z.id).collect::<Vec<_>>(), "bands_km": bands_km}),
    );
    let rows = to_rows(&r.rows);
    let mut coloc = Map::new();
    let mut coloc_rows = Vec::new();
    for (zone, pairs) in &r.colocation {
        coloc.insert(
            zone.clone(),
            serde_json::to_value(pairs).unwrap_or(Value::Null),
        );
        for p in pairs {
            coloc_rows.push(json!({"zone": zone, "a": p.a, "b": p.b, "min_distance_km": p.min_distance_km, "lon": p.lon, "lat": p.lat}));
        }
    }
    let report = Report {
        meta: meta.clone(),
        member: "exposure",
        rows: rows.clone(),
        extra: [("colocation", Value::Object(coloc))]
            .into_iter()
            .chain(notes_member(notes.to_vec()))
            .collect(),
        table_columns: None,
    };
    let table = Report {
        meta,
        member: "exposure",
        rows,
        extra: [("colocation", Value::Array(coloc_rows))]
            .into_iter()
            .chain(notes_member(notes.to_vec()))
            .collect(),
        table_columns: Some(vec![
            "corridor",
            "zone",
            "inside_km",
            "min_distance_km",
            "lon",
            "lat",
            "chainage_km",
            "within_km",
            "capacity",
            "capacity_unit",
        ]),
    };
    ExposureOutput {
        report,
        table,
        geojson: stretches_geojson(r),
    }
}

/// A row's properties with nested objects flattened to dotted keys (`within_km.10`), as
/// GIS software reads them.
fn flat_props(row: &Exposure) -> Map<String, Value> {
    let mut m = Map::new();
    if let Ok(Value::Object(o)) = serde_json::to_value(row) {
        for (k, v) in o {
            match v {
                Value::Object(inner) => {
                    for (k2, v2) in inner {
                        m.insert(format!("{k}.{k2}"), v2);
                    }
                }
                other => {
                    m.insert(k, other);
                }
            }
        }
    }
    m
}

fn feature(
    l: &LineString<f64>,
    props: &Map<String, Value>,
    kind: &str,
    band: Option<f64>,
) -> Value {
    let mut p = props.clone();
    p.insert("kind".into(), json!(kind));
    p.insert("band_km".into(), json!(band));
    p.insert("length_km".into(), json!(round(length_m(l) / 1000.0, 3)));
    let coords: Vec<[f64; 2]> = l.0.iter().map(|c| [round(c.x, 7), round(c.y, 7)]).collect();
    json!({"type": "Feature", "properties": p, "geometry": {"type": "LineString", "coordinates": coords}})
}

/// A FeatureCollection of the exposed stretches (RFC 7946: WGS84 lon/lat, no `crs` member),
/// each with its row's keys, `kind` (`within` or `inside`), `band_km` and `length_km`.
pub fn stretches_geojson(r: &ExposureResult) -> String {
    let mut props: Vec<Option<Map<String, Value>>> = vec![None; r.rows.len()];
    let features: Vec<Value> = r
        .stretches
        .iter()
        .map(|s| {
            let p = props[s.row].get_or_insert_with(|| flat_props(&r.rows[s.row]));
            match s.kind {
                StretchKind::Within(b) => feature(&s.line, p, "within", Some(b)),
                StretchKind::Inside => feature(&s.line, p, "inside", None),
            }
        })
        .collect();
    let mut s =
        serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": features}))
            .unwrap_or_default();
    s.push('\n');
    s
}

/// The `corridor profile` report.
pub fn profile_report(
    samples: &[Sample],
    sources: &[&Source],
    year: Option<i32>,
    query: ProfileQuery,
) -> Report {
    Report {
        meta: meta(
            "profile",
            sources,
            year,
            json!({"corridor": query.corridor, "zone": query.zone, "step_km": query.step_km}),
        ),
        member: "profile",
        rows: to_rows(samples),
        extra: vec![],
        table_columns: None,
    }
}
