//! CSV: one row per item; a nested object becomes dotted columns (`countries.AZE`).
//!
//! Columns keep the order of the rows' keys; the dotted columns of one parent stay together,
//! sorted (numerically when every key is a number: `within_km.10, within_km.20, …`). Where a row
//! has the parent but not the key (a corridor with no km in a country, a year without a supplier)
//! and the column holds numbers, the cell is `0`; where the row has no parent at all, it is blank.

use anyhow::Result;
use serde_json::{Map, Value};

/// The rows as CSV.
pub(super) fn render(rows: &[Map<String, Value>]) -> Result<String> {
    let columns = columns(rows);
    let numeric = |parent: &str, key: &str| {
        rows.iter().any(|r| {
            r.get(parent)
                .and_then(Value::as_object)
                .and_then(|m| m.get(key))
                .is_some_and(Value::is_number)
        })
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().map(Column::name))?;
    for row in rows {
        let rec: Vec<String> = columns
            .iter()
            .map(|c| match c {
                Column::Top(k) => row.get(k).map(scalar).unwrap_or_default(),
                Column::Sub(p, k) => match row.get(p) {
                    Some(Value::Object(m)) => match m.get(k) {
                        Some(v) => scalar(v),
                        None if numeric(p, k) => "0".to_string(),
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
/// of it, together and sorted.
fn columns(rows: &[Map<String, Value>]) -> Vec<Column> {
    // Parents (and plain keys) in order of first appearance.
    let mut order: Vec<(String, bool)> = Vec::new();
    for row in rows {
        for (k, v) in row {
            let nested = v.is_object();
            match order.iter_mut().find(|(o, _)| o == k) {
                Some(entry) => entry.1 |= nested,
                None => order.push((k.clone(), nested)),
            }
        }
    }
    let mut out = Vec::new();
    for (k, nested) in order {
        if !nested {
            out.push(Column::Top(k));
            continue;
        }
        let mut subs: Vec<String> = Vec::new();
        for row in rows {
            if let Some(Value::Object(m)) = row.get(&k) {
                for s in m.keys() {
                    if !subs.contains(s) {
                        subs.push(s.clone());
                    }
                }
            }
        }
        if subs.iter().all(|s| s.parse::<f64>().is_ok()) {
            subs.sort_by(|a, b| {
                let (x, y): (f64, f64) = (a.parse().unwrap_or(0.0), b.parse().unwrap_or(0.0));
                x.total_cmp(&y)
            });
        } else {
            subs.sort();
        }
        out.extend(subs.into_iter().map(|s| Column::Sub(k.clone(), s)));
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
