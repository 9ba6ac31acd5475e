//! The supply tables (CSV): imports by year and supplier, yearly totals, the routes that carry
//! each supplier's gas into a country, and the terms of the N-1 formula.
//!
//! The data are CSV files (`data/supply/`, or a folder of the user's): `*_gas_imports.csv` and
//! `*_oil_imports.csv` (one row per year × supplier), `*_totals.csv` (the year's total),
//! `*_routes.csv` (which corridors carry a supplier's gas into the country), `*_n1.csv` (the
//! terms of the N-1 formula) and `*demand.csv` (each market's consumption by year). Files it
//! does not know are left alone.

use super::Source;
use crate::error::{DataError, DataErrors, Place};
use crate::model::Commodity;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One row of an imports file.
#[derive(Debug, Clone, Deserialize)]
pub struct ImportRow {
    pub country: String,
    pub year: i32,
    pub supplier: String,
    pub value: f64,
    pub unit: String,
    /// `pipeline`, `lng`, `mixed` (an unattributed remainder holding both) or `crude`.
    pub kind: String,
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub note: String,
}

/// One row of a totals file.
#[derive(Debug, Clone, Deserialize)]
pub struct TotalRow {
    pub country: String,
    pub year: i32,
    pub total: f64,
    pub unit: String,
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub note: String,
}

/// Which corridor carries a supplier's gas into the country, and where it enters.
#[derive(Debug, Clone, Deserialize)]
pub struct RouteRow {
    pub country: String,
    pub supplier: String,
    /// Empty for LNG (no pipeline corridor).
    pub corridor: String,
    pub entry_node: String,
    pub entry_name: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub source: String,
}

/// One input of the N-1 formula.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct N1Row {
    pub country: String,
    pub term: String,
    pub item: String,
    pub value: f64,
    pub unit: String,
    #[serde(default)]
    pub as_of: String,
    /// `yes` (enters the formula), `no` (context: a component, an alternative, a record) or
    /// `candidate` (for Im, the single largest infrastructure).
    #[serde(default)]
    pub in_formula: String,
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub note: String,
}

/// One market's consumption in a year (`demand.csv`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct DemandRow {
    pub country: String,
    /// The network's market name (the `market` of its market nodes).
    pub market: String,
    pub year: i32,
    pub commodity: String,
    pub demand: f64,
    /// `bcm` for gas volumes; energy units (`TWh`) are kept as published.
    pub unit: String,
    pub source_key: String,
    #[serde(default)]
    pub confidence: String,
}

/// Everything read from the supply folder.
#[derive(Debug, Clone, Default)]
pub struct SupplyData {
    /// (commodity, row)
    pub imports: Vec<(Commodity, ImportRow)>,
    pub totals: Vec<(Commodity, TotalRow)>,
    pub routes: Vec<RouteRow>,
    pub n1: Vec<N1Row>,
    pub demand: Vec<DemandRow>,
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

pub(crate) fn read_csv<T: for<'de> Deserialize<'de>>(src: &Source) -> Result<Vec<T>, DataError> {
    let mut rdr = csv::Reader::from_reader(src.bytes.as_slice());
    let headers: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .map_err(|e| {
            DataError::new(
                Place::file(&src.name),
                format!("cannot read the header row: {e}"),
            )
        })?;
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize::<T>().enumerate() {
        match rec {
            Ok(r) => out.push(r),
            Err(e) => {
                // Row numbers as a spreadsheet shows them: the header is row 1.
                let mut place = Place::file(&src.name);
                place.feature = Some(i + 2);
                let msg = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => match err.field() {
                        Some(f) => {
                            let name = headers
                                .get(f as usize)
                                .cloned()
                                .unwrap_or_else(|| format!("column {}", f + 1));
                            place.property = Some(name);
                            err.kind().to_string()
                        }
                        None => err.kind().to_string(),
                    },
                    _ => e.to_string(),
                };
                return Err(DataError::new(place, format!("row {}: {msg}", i + 2)));
            }
        }
    }
    Ok(out)
}

impl SupplyData {
    /// Reads the supply CSV files; files it does not know (entry points, monthly snapshots,
    /// READMEs) are left alone.
    pub fn load(sources: &[Source]) -> Result<SupplyData, DataErrors> {
        let mut d = SupplyData::default();
        let mut errors = Vec::new();
        for src in sources {
            let name = base_name(&src.name);
            let commodity = if name.contains("_gas_") {
                Commodity::Gas
            } else if name.contains("_oil_") {
                Commodity::Oil
            } else {
                Commodity::Unknown
            };
            let res = if name.ends_with("_imports.csv") {
                read_csv::<ImportRow>(src).and_then(|rows| {
                    for (i, r) in rows.iter().enumerate() {
                        if !r.value.is_finite() || r.value < 0.0 {
                            let mut place = Place::file(&src.name).with_property("value");
                            place.feature = Some(i + 2);
                            return Err(DataError::new(
                                place,
                                format!(
                                    "row {}: {} {}: value must be a number >= 0, found {}",
                                    i + 2,
                                    r.year,
                                    r.supplier,
                                    r.value
                                ),
                            ));
                        }
                    }
                    d.imports.extend(rows.into_iter().map(|r| (commodity, r)));
                    Ok(())
                })
            } else if name.ends_with("_totals.csv") {
                read_csv::<TotalRow>(src)
                    .map(|rows| d.totals.extend(rows.into_iter().map(|r| (commodity, r))))
            } else if name.ends_with("_routes.csv") {
                read_csv::<RouteRow>(src).map(|rows| d.routes.extend(rows))
            } else if name.ends_with("_n1.csv") {
                read_csv::<N1Row>(src).map(|rows| d.n1.extend(rows))
            } else if name.ends_with("demand.csv") {
                read_csv::<DemandRow>(src).and_then(|rows| {
                    if let Some((i, r)) = rows
                        .iter()
                        .enumerate()
                        .find(|(_, r)| !(r.demand.is_finite() && r.demand >= 0.0))
                    {
                        let mut place = Place::file(&src.name).with_property("demand");
                        place.feature = Some(i + 2);
                        return Err(DataError::new(
                            place,
                            format!(
                                "row {}: demand must be a number >= 0, found {}",
                                i + 2,
                                r.demand
                            ),
                        ));
                    }
                    d.demand.extend(rows);
                    Ok(())
                })
            } else {
                Ok(())
            };
            if let Err(e) = res {
                errors.push(e);
            }
        }
        DataErrors::or_ok(errors, d)
    }
}

/// The supply CSV files of a folder (`*.csv`, sorted by name); an unreadable or empty folder is
/// an error naming it.
pub fn sources_in_dir(dir: &Path) -> Result<Vec<Source>, DataErrors> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        DataError::new(
            Place::file(&dir.display().to_string()),
            format!("cannot read the supply folder: {e}"),
        )
    })?;
    let mut paths: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(DataError::new(
            Place::file(&dir.display().to_string()),
            "no CSV files in the supply folder",
        )
        .into());
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in &paths {
        match Source::read(p) {
            Ok(s) => out.push(s),
            Err(e) => errors.push(e),
        }
    }
    DataErrors::or_ok(errors, out)
}
