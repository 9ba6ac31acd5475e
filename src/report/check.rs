//! `corridor check`: one row per problem, and the summary of what was read.

use super::{meta, to_rows, Report};
use crate::analysis::check::CheckResult;
use crate::input::Source;
use serde_json::json;

/// The `check` report of the files `sources`.
pub fn report(result: &CheckResult, sources: &[&Source], year: Option<i32>, snap_m: f64) -> Report {
    Report {
        meta: meta("check", sources, year, json!({"snap_m": snap_m})),
        member: "problems",
        rows: to_rows(&result.problems),
        extra: vec![(
            "summary",
            serde_json::to_value(&result.summary).unwrap_or_default(),
        )],
        table_columns: Some(vec!["severity", "file", "feature", "id", "message"]),
    }
}
