//! Raw arguments → validated settings, once. Commands read [`Settings`], never the raw [`Cli`];
//! values are checked here with messages that name the flag (the analyses below check again,
//! naming no flag).

use super::args::Cli;
use crate::input::schema::Schema;
use crate::input::{Attributes, LoadOptions, Source};
use crate::model::{Commodity, Network};
use crate::usage;
use crate::write::Format;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The global options, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Network files instead of the embedded dataset (empty: the embedded one).
    pub network: Vec<PathBuf>,
    /// Zone files instead of the embedded zones (empty: the embedded ones).
    pub zones: Vec<PathBuf>,
    /// Network files added to the default dataset (or to `network`).
    pub add_network: Vec<PathBuf>,
    /// Zone files added to the default zones (or to `zones`).
    pub add_zones: Vec<PathBuf>,
    /// A folder of supply CSV files instead of the embedded tables.
    pub supply: Option<PathBuf>,
    pub year: Option<i32>,
    /// Dated planned expansions count in `year`'s capacities.
    pub include_planned: bool,
    /// Capacity histories besides the embedded one (which applies to the embedded network).
    pub capacity_history: Vec<PathBuf>,
    pub format: Option<Format>,
    pub out: Option<PathBuf>,
    pub quiet: bool,
    pub schema: Option<Schema>,
    /// Only this commodity (`--commodity`).
    pub commodity: Option<Commodity>,
    /// The commodity of lines that state none (`--default-commodity`).
    pub default_commodity: Option<Commodity>,
    /// The attribute table of `--attributes`, read once.
    pub attributes: Option<Arc<Attributes>>,
    pub snap_m: f64,
}

impl Settings {
    /// Checks the global options, and reads the attribute table.
    pub fn new(cli: &Cli) -> Result<Settings> {
        if cli.include_planned && cli.year.is_none() {
            usage!("--include-planned needs --year: planned expansions are dated, and only those dated on or before the year count");
        }
        let format = out_format(cli.out.as_deref(), cli.format.map(Format::from))?;
        if !cli.snap.is_finite() || cli.snap < 0.0 {
            usage!("--snap must be a distance in metres >= 0, got {}", cli.snap);
        }
        let attributes = match &cli.attributes {
            Some(path) => Some(Arc::new(Attributes::parse(&Source::read(path)?)?)),
            None => None,
        };
        Ok(Settings {
            network: cli.network.clone(),
            zones: cli.zones.clone(),
            add_network: cli.add_network.clone(),
            add_zones: cli.add_zones.clone(),
            supply: cli.supply.clone(),
            year: cli.year,
            include_planned: cli.include_planned,
            capacity_history: cli.capacity_history.clone(),
            format,
            out: cli.out.clone(),
            quiet: cli.quiet,
            schema: cli.schema.map(Schema::from),
            commodity: cli.commodity.map(Commodity::from),
            default_commodity: cli.default_commodity.map(Commodity::from),
            attributes,
            snap_m: cli.snap,
        })
    }

    /// The network with only the commodity asked for (`--commodity`), or as it is.
    pub fn filter(&self, net: Network) -> Network {
        match self.commodity {
            Some(c) => net.only(c),
            None => net,
        }
    }

    /// How network files are read.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            schema: self.schema,
            default_commodity: self.default_commodity,
            attributes: self.attributes.clone(),
        }
    }
}

/// The format of `--out PATH`: `--format` if given, else the path's extension (`.json`,
/// `.csv`, `.geojson`); an extension that contradicts `--format` is bad usage, and so is a
/// folder that does not exist (nothing creates it silently).
fn out_format(out: Option<&Path>, format: Option<Format>) -> Result<Option<Format>> {
    let Some(out) = out else {
        return Ok(format);
    };
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            usage!(
                "--out {}: the folder {} does not exist",
                out.display(),
                parent.display()
            );
        }
    }
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let by_ext = match ext.as_deref() {
        Some("json") => Some(Format::Json),
        Some("csv") => Some(Format::Csv),
        Some("geojson") => Some(Format::Geojson),
        _ => None,
    };
    match (format, by_ext) {
        (Some(f), Some(e)) if f != e => usage!(
            "--out {} ends in .{} but --format is {}",
            out.display(),
            ext.unwrap_or_default(),
            f.as_str()
        ),
        (Some(f), _) => Ok(Some(f)),
        (None, e) => Ok(e),
    }
}

/// `--band`: a distance in km ≥ 0.
pub fn band(km: f64) -> Result<f64> {
    if !km.is_finite() || km < 0.0 {
        usage!("--band must be a distance in km >= 0, got {km}");
    }
    Ok(km)
}

/// `--bands`: at least one, each positive and finite.
pub fn bands(bands: &[f64]) -> Result<()> {
    if bands.is_empty() {
        usage!("--bands needs at least one distance in km, e.g. --bands 10,20,40,70");
    }
    if let Some(b) = bands.iter().find(|b| !(b.is_finite() && **b > 0.0)) {
        usage!("--bands must be positive finite distances in km, got {b}");
    }
    Ok(())
}

/// `--step`: a positive distance in km.
pub fn step(km: f64) -> Result<f64> {
    if !(km.is_finite() && km > 0.0) {
        usage!("--step must be a positive distance in km, got {km}");
    }
    Ok(km)
}

/// `--p-default`: a probability.
pub fn p_default(p: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&p) {
        usage!("--p-default must lie between 0 and 1, got {p}");
    }
    Ok(p)
}

/// `--runs`: at least one.
pub fn runs(n: u64) -> Result<u64> {
    if n == 0 {
        usage!("--runs must be at least 1");
    }
    Ok(n)
}

/// `--zone-prob ID=P`.
pub fn zone_prob(s: &str) -> Result<(String, f64)> {
    let Some((id, p)) = s.rsplit_once('=') else {
        usage!("--zone-prob {s:?}: expected ID=P, e.g. ganja-gap=0.05");
    };
    let Ok(p) = p.trim().parse::<f64>() else {
        usage!("--zone-prob {s:?}: {p:?} is not a number");
    };
    if !(0.0..=1.0).contains(&p) {
        usage!("--zone-prob {s:?}: the probability must lie between 0 and 1");
    }
    Ok((id.trim().to_string(), p))
}

/// `--commodity` for `supply`: the supply tables hold gas and crude imports.
pub fn supply_commodity(c: Option<Commodity>) -> Result<()> {
    match c {
        None | Some(Commodity::Gas | Commodity::Oil) => Ok(()),
        Some(c) => usage!(
            "--commodity {c}: `supply` reads gas or oil imports (the supply tables hold no other)"
        ),
    }
}

/// `--from`/`--to`: an ordered span.
pub fn span(from: Option<i32>, to: Option<i32>) -> Result<()> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            usage!("--from {f} is after --to {t}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_prob_parses_and_rejects() {
        assert_eq!(
            zone_prob("ganja-gap=0.05").unwrap(),
            ("ganja-gap".to_string(), 0.05)
        );
        assert!(zone_prob("ganja-gap").is_err());
        assert!(zone_prob("x=1.5").is_err());
        assert!(zone_prob("x=abc").is_err());
    }
}
