//! A plain aligned table for the terminal: numbers right-aligned, extra members as blocks below.

use crate::report::Report;
use serde_json::{Map, Value};

/// The report as a table, then each extra member as a block.
pub(super) fn render(report: &Report) -> String {
    let columns: Vec<String> = match &report.table_columns {
        Some(c) => c.iter().map(|s| s.to_string()).collect(),
        None => report
            .rows
            .first()
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default(),
    };
    let mut out = render_table(&columns, &report.rows);
    for (k, v) in &report.extra {
        // An empty member says nothing: no block, not even its name.
        if is_empty(v) {
            continue;
        }
        out.push('\n');
        out.push_str(&format!("{k}:\n"));
        match v {
            Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
                let rows: Vec<Map<String, Value>> = items
                    .iter()
                    .filter_map(|i| i.as_object().cloned())
                    .collect();
                let cols: Vec<String> = rows[0].keys().cloned().collect();
                out.push_str(&render_table(&cols, &rows));
            }
            Value::Object(m) => {
                for (k, v) in m.iter().filter(|(_, v)| !is_empty(v)) {
                    out.push_str(&format!("  {k}: {}\n", cell(v)));
                }
            }
            other => out.push_str(&format!("  {}\n", cell(other))),
        }
    }
    out
}

fn render_table(columns: &[String], rows: &[Map<String, Value>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.get(c).map(|v| cell_in(c, v)).unwrap_or_default())
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = columns
        .iter()
        .map(|c| {
            rows.iter()
                .all(|r| matches!(r.get(c), Some(Value::Number(_)) | Some(Value::Null) | None))
        })
        .collect();
    let mut out = String::new();
    let line = |vals: &[String], out: &mut String| {
        let parts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let pad = widths[i].saturating_sub(v.chars().count());
                if numeric[i] {
                    format!("{}{v}", " ".repeat(pad))
                } else {
                    format!("{v}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(columns, &mut out);
    line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
        &mut out,
    );
    for r in &cells {
        line(r, &mut out);
    }
    out
}

/// Whether a value shows nothing: null, an empty array or object, or an object of such.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.values().all(is_empty),
        _ => false,
    }
}

/// A value as a cell of `column`: longitudes and latitudes to 5 decimals (about a metre; one
/// decimal would be 10 km), everything else as [`cell`].
fn cell_in(column: &str, v: &Value) -> String {
    match v {
        Value::Number(n) if matches!(column, "lon" | "lat") => n
            .as_f64()
            .map_or_else(|| n.to_string(), |f| format!("{f:.5}")),
        _ => cell(v),
    }
}

/// A value as a table cell: numbers to one decimal unless they are integers.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(f)) if f.abs() < 1.0 && f != 0.0 => format!("{f:.3}"),
            (_, Some(f)) => format!("{f:.1}"),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => a.iter().map(cell).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k} {}", cell(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
