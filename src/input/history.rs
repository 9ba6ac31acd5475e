//! Capacity histories (`data/network/capacity_history.csv`): a segment's, node's or corridor's
//! capacity over spans of years, operating or planned, with its source.
//!
//! Columns: `element_kind` (`segment`, `node`, `corridor`), `id`, `from_year`, `to_year`
//! (inclusive; empty: open, or undated for a planned step), `capacity`, `unit` (`bcm/y`,
//! `mcm/d`, `Mt/y`, `kb/d`, `b/d`), `status` (`operating`, `planned`), `source_key`,
//! `confidence`; further columns (dates, notes) are for people.

use super::supply::read_csv;
use super::Source;
use crate::error::{DataError, DataErrors, Place};
use crate::model::{CapacityHistory, CapacityStep, StepOwner, StepStatus};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row {
    element_kind: String,
    id: String,
    from_year: Option<i32>,
    to_year: Option<i32>,
    capacity: f64,
    unit: String,
    status: String,
    source_key: String,
    confidence: String,
}

/// Reads capacity-history files; every bad row of every file is reported.
pub fn load_history(sources: &[Source]) -> Result<CapacityHistory, DataErrors> {
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    for src in sources {
        let rows: Vec<Row> = match read_csv(src) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for (i, r) in rows.into_iter().enumerate() {
            let place = |prop: &str| {
                let mut p = Place::file(&src.name).with_property(prop);
                p.feature = Some(i + 2);
                p
            };
            let owner = match r.element_kind.as_str() {
                "segment" => StepOwner::Segment,
                "node" => StepOwner::Node,
                "corridor" => StepOwner::Corridor,
                other => {
                    errors.push(DataError::new(
                        place("element_kind"),
                        format!("expected segment, node or corridor, found {other:?}"),
                    ));
                    continue;
                }
            };
            let status = match r.status.as_str() {
                "operating" => StepStatus::Operating,
                "planned" => StepStatus::Planned,
                other => {
                    errors.push(DataError::new(
                        place("status"),
                        format!("expected operating or planned, found {other:?}"),
                    ));
                    continue;
                }
            };
            if !(r.capacity.is_finite() && r.capacity >= 0.0) {
                errors.push(DataError::new(
                    place("capacity"),
                    format!("a capacity must be a number >= 0, found {}", r.capacity),
                ));
                continue;
            }
            if !["bcm/y", "mcm/d", "Mt/y", "kb/d", "b/d"].contains(&r.unit.as_str()) {
                errors.push(DataError::new(
                    place("unit"),
                    format!(
                        "unknown unit {:?} (expected bcm/y, mcm/d, Mt/y, kb/d or b/d)",
                        r.unit
                    ),
                ));
                continue;
            }
            if let (Some(f), Some(t)) = (r.from_year, r.to_year) {
                if f > t {
                    errors.push(DataError::new(
                        place("to_year"),
                        format!("from_year {f} is after to_year {t}"),
                    ));
                    continue;
                }
            }
            if r.from_year.is_none() && status == StepStatus::Operating {
                errors.push(DataError::new(
                    place("from_year"),
                    "an operating step needs the year it started",
                ));
                continue;
            }
            steps.push(CapacityStep {
                owner,
                id: r.id,
                from: r.from_year,
                to: r.to_year,
                value: r.capacity,
                unit: r.unit,
                status,
                source: r.source_key,
                confidence: r.confidence,
            });
        }
    }
    DataErrors::or_ok(errors, CapacityHistory { steps })
}
