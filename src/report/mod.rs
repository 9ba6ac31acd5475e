//! Typed results → [`Report`]s: the rows of a command under its contract's data member, the
//! `meta` member, and the extra members (totals, notes, co-location, ...).
//!
//! One file per command family; each turns an analysis result into the contract's rows and
//! members. [`crate::write`] then renders a report as a table, JSON or CSV.
//!
//! Architecture invariant: reports are built from typed results only; nothing here computes an
//! analysis or reads a file.

pub mod check;
pub mod exposure;
pub mod flow;
pub mod list;
pub mod routes;
pub mod summary;
pub mod supply;

use crate::input::Source;
use serde_json::{json, Map, Value};

/// Serialises items into the ordered JSON objects a [`Report`] holds as rows.
pub fn to_rows<T: serde::Serialize>(items: &[T]) -> Vec<Map<String, Value>> {
    items
        .iter()
        .filter_map(|i| match serde_json::to_value(i) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        })
        .collect()
}

/// The `meta` member: tool, version, command, inputs with their SHA-256, year and options.
pub fn meta(command: &str, inputs: &[&Source], year: Option<i32>, options: Value) -> Value {
    json!({
        "tool": "corridor",
        "version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "inputs": inputs.iter().map(|s| json!({"path": s.name, "sha256": s.sha256()})).collect::<Vec<_>>(),
        "year": year,
        "options": options,
    })
}

/// What a command produced.
#[derive(Debug, Clone)]
pub struct Report {
    pub meta: Value,
    /// The contract's data member name (`routes`, `problems`, ...).
    pub member: &'static str,
    pub rows: Vec<Map<String, Value>>,
    /// Further members for JSON (e.g. a summary); shown as extra blocks in the table.
    pub extra: Vec<(&'static str, Value)>,
    /// Column order for the table (defaults to the first row's keys).
    pub table_columns: Option<Vec<&'static str>>,
}

/// Values in flow and supply outputs are rounded to 6 decimals (well below any capacity's
/// precision), so float noise never shows.
pub(crate) fn r6(v: f64) -> f64 {
    crate::model::round(v, 6)
}

/// A data member of rows, for the extra members of a report.
pub(crate) fn rows_value<T: serde::Serialize>(items: &[T]) -> Value {
    Value::Array(to_rows(items).into_iter().map(Value::Object).collect())
}

/// A `notes` member when there are notes.
pub(crate) fn notes_member(notes: Vec<String>) -> Vec<(&'static str, Value)> {
    if notes.is_empty() {
        vec![]
    } else {
        vec![("notes", json!(notes))]
    }
}
