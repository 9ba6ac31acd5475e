//! `corridor supply` and `corridor supply n1`.

use super::{meta, to_rows, Report};
use crate::analysis::supply::{N1Cases, SupplyYears, N1_SOURCE};
use crate::input::Source;
use crate::model::{round, Commodity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What a supply request asked for, for `meta.options`.
#[derive(Debug, Clone, Copy)]
pub struct SupplyMeta<'a> {
    pub country: &'a str,
    pub commodity: Commodity,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub zone: &'a str,
    pub band_km: f64,
    pub snap_m: f64,
}

/// The `supply` report: a row per year; shares and shares-derived measures rounded to 1e-6,
/// HHI to 0.1.
pub fn supply_report(
    s: &SupplyYears,
    sources: &[&Source],
    year: Option<i32>,
    o: SupplyMeta,
) -> Report {
    let mut items = to_rows(&s.rows);
    for item in &mut items {
        for key in [
            "total",
            "hhi",
            "shannon",
            "hhi_min",
            "hhi_max",
            "exposed_share",
            "exposed_share_max",
            "unattributed_share",
            "covered_share",
        ] {
            if let Some(Value::Number(n)) = item.get(key) {
                let digits = if key.starts_with("hhi") { 1 } else { 6 };
                let v = round(n.as_f64().unwrap_or(0.0), digits);
                item.insert(key.into(), json!(v));
            }
        }
        for key in ["shares", "by_kind"] {
            if let Some(Value::Object(m)) = item.get_mut(key) {
                for v in m.values_mut() {
                    if let Some(f) = v.as_f64() {
                        *v = json!(round(f, 6));
                    }
                }
            }
        }
    }
    let exposed_corridors: BTreeMap<String, Vec<String>> = s
        .corridors_through_zone
        .iter()
        .map(|(y, c)| (y.to_string(), c.iter().cloned().collect()))
        .collect();
    Report {
        meta: meta(
            "supply",
            sources,
            year,
            json!({"country": o.country, "commodity": o.commodity.as_str(), "from": o.from, "to": o.to,
                   "zone": o.zone, "band_km": o.band_km, "snap_m": o.snap_m}),
        ),
        member: "years",
        rows: items,
        extra: vec![
            (
                "notes",
                json!([
                    "shares are of the year's total; `unattributed` is the part of the total no source splits by supplier",
                    "hhi and shannon count each remainder (unattributed, LNG of unspecified origin) as one supplier; hhi_min splits it infinitely, hhi_max gives it to the largest named supplier",
                    "exposed_share: imports whose route crosses the zone (the corridor or a line feeding it passes within the band), derived from the network as it stood that year; exposed_share_max adds remainders whose route is unknown",
                ]),
            ),
            ("corridors_through_zone", json!(exposed_corridors)),
        ],
        table_columns: Some(vec!["year", "total", "unit", "hhi", "hhi_min", "hhi_max", "shannon", "exposed_share", "exposed_share_max", "unattributed_share", "shares"]),
    }
}

/// The `supply n1` report: the standard and common-mode cases, the formula, its terms and
/// inputs.
pub fn n1_report(n: &N1Cases, sources: &[&Source], year: Option<i32>, o: SupplyMeta) -> Report {
    let mut rows = to_rows(&[&n.standard, &n.common]);
    for r in &mut rows {
        for (k, v) in r.iter_mut() {
            if let Some(f) = v.as_f64() {
                if k != "case" {
                    *v = json!(round(f, 3));
                }
            }
        }
    }
    let terms = &n.terms;
    Report {
        meta: meta(
            "supply n1",
            sources,
            year,
            json!({"country": o.country, "zone": o.zone, "band_km": o.band_km, "snap_m": o.snap_m}),
        ),
        member: "n1",
        rows,
        extra: vec![
            ("formula", json!({"n1": "N-1 [%] = 100 × (EPm + Pm + Sm + LNGm − Im) / Dmax", "source": N1_SOURCE})),
            (
                "terms",
                Value::Array(
                    terms
                        .iter()
                        .map(|t| {
                            let made_of: Vec<String> = t.items.iter().map(|r| format!("{} {} {}", r.item, r.value, r.unit)).collect();
                            json!({"term": t.term, "value": round(t.value, 3), "unit": t.unit, "meaning": t.meaning,
                                   "made_of": if made_of.is_empty() { "nothing: counted in EPm or not sourced".to_string() } else { made_of.join(" + ") }})
                        })
                        .collect(),
                ),
            ),
            (
                "inputs",
                Value::Array(
                    terms
                        .iter()
                        .flat_map(|t| t.items.iter())
                        .map(|r| json!({"term": r.term, "item": r.item, "value": r.value, "unit": r.unit, "as_of": r.as_of, "source": r.source, "confidence": r.confidence}))
                        .collect(),
                ),
            ),
            ("im_standard", serde_json::to_value(&n.im).unwrap_or(Value::Null)),
        ],
        table_columns: Some(vec!["case", "n1_percent", "epm", "pm", "sm", "lngm", "im", "dmax", "unit", "im_item"]),
    }
}
