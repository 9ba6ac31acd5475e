//! CSV: one row per item; a nested object becomes dotted columns (`countries.AZE`).
//!
//! Columns keep the order of the rows' keys; the dotted columns of one parent stay together,
//! sorted (numerically when every key is a number: `within_km.10, within_km.20, …`). Where a row
//! has the parent but not the key (a corridor with no km in a country, a year without a supplier)
//! and the column holds numbers, the cell is `0`; where the row has no parent at all, it is blank.

use anyhow::Result;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The rows as CSV. Linear in the cells: which sub-columns hold numbers is found in one pass.
pub(super) fn render(rows: &[Map<String, Value>]) -> Result<String> {
    let columns = columns(rows);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().map(|(c, _)| c.name()))?;
    for row in rows {
        let rec: Vec<String> = columns
            .iter()
            .map(|(c, numeric)| match c {
                Column::Top(k) => row.get(k).map(scalar).unwrap_or_default(),
                Column::Sub(p, k) => match row.get(p) {
                    Some(Value::Object(m)) => match m.get(k) {
                        Some(v) => scalar(v),
                        None if *numeric => "0".to_string(),
                        None => String::new(),
                    },
                    _ => String::new(),
                },
            })
            .collect();
        w.write_record(rec)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A CSV column: a top-level key, or a key of a nested object.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Top(String),
    Sub(String, String),
}

impl Column {
    fn name(&self) -> String {
        match self {
            Column::Top(k) => k.clone(),
            Column::Sub(p, k) => format!("{p}.{k}"),
        }
    }
}

/// The columns: top-level keys in order of first appearance, each nested object's keys in place
/// of it, together and sorted; with each sub-column, whether some row holds a number in it.
fn columns(rows: &[Map<String, Value>]) -> Vec<(Column, bool)> {
    // Parents (and plain keys) in order of first appearance.
    let mut order: Vec<(String, bool)> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        for (k, v) in row {
            let nested = v.is_object();
            match seen.get(k.as_str()) {
                Some(&i) => order[i].1 |= nested,
                None => {
                    seen.insert(k, order.len());
                    order.push((k.clone(), nested));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (k, nested) in order {
        if !nested {
            out.push((Column::Top(k), false));
            continue;
        }
        // Each key of the nested objects, and whether any row holds a number under it.
        let mut subs: HashMap<&str, bool> = HashMap::new();
        for row in rows {
            if let Some(Value::Object(m)) = row.get(&k) {
                for (s, v) in m {
                    *subs.entry(s).or_insert(false) |= v.is_number();
                }
            }
        }
        let mut subs: Vec<(&str, bool)> = subs.into_iter().collect();
        if subs.iter().all(|(s, _)| s.parse::<f64>().is_ok()) {
            subs.sort_by(|a, b| {
                let (x, y): (f64, f64) = (a.0.parse().unwrap_or(0.0), b.0.parse().unwrap_or(0.0));
                x.total_cmp(&y).then(a.0.cmp(b.0))
            });
        } else {
            subs.sort();
        }
        out.extend(
            subs.into_iter()
                .map(|(s, numeric)| (Column::Sub(k.clone(), s.to_string()), numeric)),
        );
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(v: Value) -> Vec<Map<String, Value>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_object().unwrap().clone())
            .collect()
    }

    #[test]
    fn dotted_columns_grouped_sorted_and_zero_filled() {
        let r = rows(json!([
            {"id": "a", "km": {"TUR": 2.5, "AZE": 1.0}, "bands": {"70": 1, "10": 0}, "n": 1},
            {"id": "b", "km": {"GEO": 3.0}, "bands": {"10": 2, "70": 4, "5": 1}, "n": null},
            {"id": "c", "km": null, "bands": {}, "n": 0},
        ]));
        let csv = render(&r).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "id,km.AZE,km.GEO,km.TUR,bands.5,bands.10,bands.70,n"
        );
        assert_eq!(lines[1], "a,1.0,0,2.5,0,0,1,1");
        assert_eq!(lines[2], "b,0,3.0,0,1,2,4,");
        assert_eq!(lines[3], "c,,,,0,0,0,0");
    }
}
