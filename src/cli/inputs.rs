//! The files a command reads: the user's (`--network`, `--zones`, `--supply`) or the embedded
//! default dataset, loaded with the settings' options.

use super::progress;
use super::settings::Settings;
use crate::error::DataErrors;
use crate::figures::FigureData;
use crate::input::{embedded, load_network, load_zones, supply, Source};
use crate::model::{Network, Zone};
use anyhow::Result;
use std::path::PathBuf;

/// Reads every file; all errors are collected.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<Source>, DataErrors> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in paths {
        match Source::read(p) {
            Ok(s) => out.push(s),
            Err(e) => errs.push(e),
        }
    }
    DataErrors::or_ok(errs, out)
}

/// The network files of the settings, or the embedded ones.
pub fn network_sources(s: &Settings) -> Result<Vec<Source>, DataErrors> {
    if s.network.is_empty() {
        Ok(embedded::network())
    } else {
        read_all(&s.network)
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
    let bytes: usize = sources.iter().map(|s| s.bytes.len()).sum();
    let bar = progress::spinner(
        s.quiet || bytes < 20_000_000,
        format!("loading {:.0} MB of GeoJSON", bytes as f64 / 1e6),
    );
    let r = load_network(sources, s.load_options());
    bar.finish_and_clear();
    r.map(|(net, _)| net)
}

/// The network of the settings as it stood in `--year`, with its sources.
pub fn network(s: &Settings) -> Result<(Network, Vec<Source>)> {
    let sources = network_sources(s)?;
    let net = load_all_years(s, &sources)?.in_year(s.year);
    Ok((s.filter(net), sources))
}

/// The zones of the settings, with their sources.
pub fn zones(s: &Settings) -> Result<(Vec<Zone>, Vec<Source>)> {
    let sources = zone_sources(s)?;
    let zones = load_zones(&sources)?;
    Ok((zones, sources))
}

/// Everything the figures draw on: the network (as of `--year`), zones, basemap and supply.
pub fn figure_data(s: &Settings) -> Result<FigureData> {
    let mut data = FigureData::load(
        network_sources(s)?,
        zone_sources(s)?,
        embedded::basemap(),
        supply_sources(s)?,
        s.load_options(),
        s.year,
        s.snap_m,
    )?;
    data.network = s.filter(data.network);
    Ok(data)
}
