//! CSV: one row per item; a nested object becomes dotted columns (`countries.AZE`).

use anyhow::Result;
use serde_json::{Map, Value};

/// The rows as CSV, columns in order of first appearance.
pub(super) fn render(rows: &[Map<String, Value>]) -> Result<String> {
    let flat: Vec<Vec<(String, String)>> = rows.iter().map(flatten).collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &flat {
        for (k, _) in row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns)?;
    for row in &flat {
        let rec: Vec<&str> = columns
            .iter()
            .map(|c| {
                row.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("")
            })
            .collect();
        w.write_record(rec)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn flatten(row: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in row {
        match v {
            Value::Object(m) => {
                for (k2, v2) in m {
                    out.push((format!("{k}.{k2}"), scalar(v2)));
                }
            }
            other => out.push((k.clone(), scalar(other))),
        }
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
