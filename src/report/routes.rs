//! `corridor routes`: one row per corridor.

use super::{meta, notes_member, to_rows, Report};
use crate::analysis::routes::Route;
use crate::input::schema::Schema;
use crate::input::Source;
use serde_json::json;

/// The `routes` report: `sources` are the network files read; `notes` what the loader says
/// about them (features skipped, commodities from folder names, ...).
pub fn report(
    routes: &[Route],
    sources: &[&Source],
    year: Option<i32>,
    snap_m: f64,
    schema: Option<Schema>,
    notes: &[String],
) -> Report {
    let mut columns = vec![
        "corridor",
        "commodity",
        "capacity",
        "capacity_unit",
        "length_km",
        "nominal_length_km",
        "segments",
        "geometry",
        "countries",
    ];
    if routes.iter().any(|r| r.capacity_status.is_some()) {
        columns.push("capacity_status");
    }
    Report {
        meta: meta(
            "routes",
            sources,
            year,
            json!({"snap_m": snap_m, "schema": schema.map(|s| s.as_str())}),
        ),
        member: "routes",
        rows: to_rows(routes),
        extra: notes_member(notes.to_vec()),
        table_columns: Some(columns),
    }
}
