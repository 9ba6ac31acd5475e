//! Rendering [`Report`]s (table, JSON, CSV) and writing files atomically.
//!
//! None of the writers knows anything about pipelines: they see rows of ordered JSON objects.

mod atomic;
mod csv_rows;
mod table;

pub use atomic::{emit, write_atomic, Background};

use crate::report::Report;
use anyhow::Result;
use serde_json::{Map, Value};

/// Output formats the contract names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Geojson,
}

impl Format {
    /// The name users write (`--format json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Geojson => "geojson",
        }
    }
}

impl Report {
    pub fn json(&self) -> String {
        let mut obj = Map::new();
        obj.insert("meta".into(), self.meta.clone());
        obj.insert(
            self.member.into(),
            Value::Array(self.rows.iter().cloned().map(Value::Object).collect()),
        );
        for (k, v) in &self.extra {
            obj.insert((*k).into(), v.clone());
        }
        let mut s = serde_json::to_string_pretty(&Value::Object(obj)).unwrap_or_default();
        s.push('\n');
        s
    }

    /// CSV: one row per item; nested objects become dotted columns (`countries.AZE`).
    pub fn csv(&self) -> Result<String> {
        csv_rows::render(&self.rows)
    }

    /// A plain aligned table for the terminal.
    pub fn table(&self) -> String {
        table::render(self)
    }

    /// The report in `format` (GeoJSON is not a report format: the table is given).
    pub fn render(&self, format: Format) -> Result<String> {
        Ok(match format {
            Format::Json => self.json(),
            Format::Csv => self.csv()?,
            Format::Table | Format::Geojson => self.table(),
        })
    }
}
