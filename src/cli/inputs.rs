//! The files a command reads: the user's (`--network`, `--zones`, `--supply`) or the embedded
//! default dataset, loaded with the settings' options.

use super::progress;
use super::settings::Settings;
use crate::error::{DataError, DataErrors, Place};
use crate::figures::FigureData;
use crate::input::{embedded, load_network, load_zones, supply, LoadReport, Source};
use crate::model::{Network, Zone};
use anyhow::Result;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Reads every file; all errors are collected.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<Source>, DataErrors> {
    let read: Vec<Result<Source, DataError>> = paths.par_iter().map(|p| Source::read(p)).collect();
    let mut out = Vec::with_capacity(read.len());
    let mut errs = Vec::new();
    for r in read {
        match r {
            Ok(s) => out.push(s),
            Err(e) => errs.push(e),
        }
    }
    DataErrors::or_ok(errs, out)
}

/// The GeoJSON files of `paths`: a file as it is, a folder as every `.geojson` and `.json` file
/// under it (recursively, sorted by path; hidden files and folders left out). A folder without
/// any is an error.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DataErrors> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = geojson_under(p, &mut found) {
                errs.push(DataError::new(
                    Place::file(&p.display().to_string()),
                    format!("cannot read the folder: {e}"),
                ));
                continue;
            }
            if found.is_empty() {
                errs.push(DataError::new(
                    Place::file(&p.display().to_string()),
                    "the folder holds no .geojson or .json file",
                ));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    DataErrors::or_ok(errs, out)
}

fn geojson_under(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            geojson_under(&p, out)?;
        } else {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".geojson") || lower.ends_with(".json") {
                out.push(p);
            }
        }
    }
    Ok(())
}

/// The network files of the settings, or the embedded ones.
pub fn network_sources(s: &Settings) -> Result<Vec<Source>, DataErrors> {
    if s.network.is_empty() {
        Ok(embedded::network())
    } else {
        read_all(&expand(&s.network)?)
    }
}

/// The zone files of the settings, or the embedded ones.
pub fn zone_sources(s: &Settings) -> Result<Vec<Source>, DataErrors> {
    if s.zones.is_empty() {
        Ok(embedded::zones())
    } else {
        read_all(&s.zones)
    }
}

/// The supply CSV files of the settings' folder, or the embedded ones.
pub fn supply_sources(s: &Settings) -> Result<Vec<Source>, DataErrors> {
    match &s.supply {
        Some(dir) => supply::sources_in_dir(dir),
        None => Ok(embedded::supply()),
    }
}

/// Loads network files with the settings' options (every year); a spinner says so while files
/// of more than 20 MB are read.
pub fn load_all_years(s: &Settings, sources: &[Source]) -> Result<Network, DataErrors> {
    load_with_report(s, sources).map(|(net, _)| net)
}

/// [`load_all_years`] with what the loader reports (schemas, notes).
pub fn load_with_report(
    s: &Settings,
    sources: &[Source],
) -> Result<(Network, LoadReport), DataErrors> {
    let bytes: usize = sources.iter().map(|s| s.bytes.len()).sum();
    let bar = progress::spinner(
        s.quiet || bytes < 20_000_000,
        format!("loading {:.0} MB of GeoJSON", bytes as f64 / 1e6),
    );
    let r = load_network(sources, s.load_options());
    bar.finish_and_clear();
    r
}

/// The network of the settings as it stood in `--year`, with its sources.
pub fn network(s: &Settings) -> Result<(Network, Vec<Source>)> {
    let (net, sources, _) = network_with_report(s)?;
    Ok((net, sources))
}

/// [`network`] with the loader's report, whose notes the commands print with their results.
pub fn network_with_report(s: &Settings) -> Result<(Network, Vec<Source>, LoadReport)> {
    let sources = network_sources(s)?;
    let (net, report) = load_with_report(s, &sources)?;
    Ok((net.in_year(s.year), sources, report))
}

/// The zones of the settings, with their sources.
pub fn zones(s: &Settings) -> Result<(Vec<Zone>, Vec<Source>)> {
    let sources = zone_sources(s)?;
    let zones = load_zones(&sources)?;
    Ok((zones, sources))
}

/// Everything the figures draw on: the network (as of `--year`), zones, basemap and supply.
pub fn figure_data(s: &Settings) -> Result<FigureData> {
    FigureData::load(
        network_sources(s)?,
        zone_sources(s)?,
        embedded::basemap(),
        supply_sources(s)?,
        s.load_options(),
        s.year,
        s.snap_m,
    )
}
