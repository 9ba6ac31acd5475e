//! The analyses: typed results from the model, nothing else.
//!
//! Architecture invariant: nothing here knows how results are shown or asked for. No module
//! under `analysis/` imports `clap`, `indicatif`, `serde_json::Value`, [`crate::report`],
//! [`crate::write`], [`crate::cli`] or [`crate::figures`]; long runs report progress through a
//! callback (`&dyn Fn(u64)`), and errors ([`RequestError`]) name ids and values, never a
//! command-line flag (the CLI adds the flag where it knows one).

pub mod check;
pub mod exposure;
pub mod flow;
pub mod profile;
pub mod routes;
pub mod supply;

use crate::model::{Network, Zone};
use geo::LineString;

/// A request an analysis cannot answer as asked (an unknown id, a value out of range): a
/// message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RequestError(pub String);

/// The error for an id that is not among `valid`: names the kind of id and lists the valid ones,
/// sorted.
pub fn unknown_id<'a>(
    what: &str,
    id: &str,
    valid: impl IntoIterator<Item = &'a str>,
) -> RequestError {
    let mut ids: Vec<&str> = valid.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    RequestError(format!(
        "unknown {what} id {id:?}; valid {what} ids: {}",
        ids.join(", ")
    ))
}

/// Finds a zone by id; the error lists the valid ids.
pub fn find_zone<'a>(zones: &'a [Zone], id: &str) -> Result<&'a Zone, RequestError> {
    zones
        .iter()
        .find(|z| z.id == id)
        .ok_or_else(|| unknown_id("zone", id, zones.iter().map(|z| z.id.as_str())))
}

/// The zones named by `ids` in that order (all of them when `ids` is empty).
pub fn select_zones<'a>(zones: &'a [Zone], ids: &[String]) -> Result<Vec<&'a Zone>, RequestError> {
    if ids.is_empty() {
        return Ok(zones.iter().collect());
    }
    ids.iter().map(|id| find_zone(zones, id)).collect()
}

/// The lines of a corridor's segments, in file order; the error lists the valid corridor ids.
pub fn find_corridor_lines(
    net: &Network,
    corridor: &str,
) -> Result<Vec<LineString<f64>>, RequestError> {
    let lines: Vec<LineString<f64>> = net
        .segments
        .iter()
        .filter(|s| s.corridor == corridor)
        .map(|s| s.line.clone())
        .collect();
    if lines.is_empty() {
        return Err(unknown_id("corridor", corridor, net.corridors()));
    }
    Ok(lines)
}

/// The bands (km) ascending, each once, as every output lists them.
pub fn sorted_bands(bands_km: &[f64]) -> Vec<f64> {
    let mut bands = bands_km.to_vec();
    bands.sort_by(f64::total_cmp);
    bands.dedup();
    bands
}
