//! The files a command reads: the user's (`--network`, `--zones`, `--supply`) or the embedded
//! default dataset, loaded with the settings' options.

use super::progress;
use super::settings::Settings;
use crate::analysis::flow::{market_demands, MarketDemand};
use crate::error::{DataError, DataErrors, Place};
use crate::figures::FigureData;
use crate::input::supply::SupplyData;
use crate::input::{embedded, load_history, load_network, load_zones, supply, LoadReport, Source};
use crate::model::{CapacityHistory, Network, Vintage, Zone};
use crate::usage;
use anyhow::Result;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Reads every file (on all cores); all errors are collected.
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

/// The network files of the settings (folders expanded), or the embedded ones.
pub fn network_sources(s: &Settings) -> Result<Vec<Source>, DataErrors> {
    let mut out = if s.network.is_empty() {
        embedded::network()
    } else {
        read_all(&expand(&s.network)?)?
    };
    out.extend(read_all(&expand(&s.add_network)?)?);
    Ok(out)
}

/// The zone files of the settings, or the embedded ones.
pub fn zone_sources(s: &Settings) -> Result<Vec<Source>, DataErrors> {
    let mut out = if s.zones.is_empty() {
        embedded::zones()
    } else {
        read_all(&s.zones)?
    };
    out.extend(read_all(&s.add_zones)?);
    Ok(out)
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

/// The capacity histories of the settings: the embedded one for the embedded network, and the
/// files of `--capacity-history`.
pub fn history(s: &Settings) -> Result<CapacityHistory, DataErrors> {
    let mut sources = if s.network.is_empty() {
        embedded::history()
    } else {
        Vec::new()
    };
    sources.extend(read_all(&s.capacity_history)?);
    load_history(&sources)
}

/// The first and last years the inputs state: commissioning years, capacity steps, supply
/// years and the N-1 inputs' dates.
pub fn data_years(
    net: &Network,
    history: &CapacityHistory,
    supply: Option<&SupplyData>,
) -> Option<(i32, i32)> {
    let mut years: Vec<i32> = Vec::new();
    for r in [net.years(), history.years()].into_iter().flatten() {
        years.extend([r.0, r.1]);
    }
    if let Some(d) = supply {
        years.extend(d.imports.iter().map(|(_, r)| r.year));
        years.extend(
            d.n1.iter()
                .filter_map(|r| r.as_of.get(..4).and_then(|y| y.parse::<i32>().ok())),
        );
    }
    Some((*years.iter().min()?, *years.iter().max()?))
}

/// Refuses a `--year` outside the years the data cover (bad usage, exit 2); later years pass
/// with `--include-planned`, as the network planned for them.
pub fn check_year(s: &Settings, range: Option<(i32, i32)>) -> Result<()> {
    let Some(y) = s.year else {
        return Ok(());
    };
    let Some((first, last)) = range else {
        usage!("--year {y}: the inputs state no years (no commissioning years, capacity history or supply data)");
    };
    if y < first {
        usage!("--year {y} is before the data: they cover {first}–{last}");
    }
    if y > last && !s.include_planned {
        usage!(
            "--year {y} is after the data: they cover {first}–{last} (--include-planned shows the network with the dated planned expansions for later years)"
        );
    }
    Ok(())
}

/// The network of the settings as it stood in `--year` with that year's capacities (see
/// [`Network::vintage`]), only the commodity asked for, with its sources.
pub fn vintage(s: &Settings) -> Result<(Vintage, Vec<Source>)> {
    vintage_with_report(s).map(|(v, src, _)| (v, src))
}

/// [`vintage`] with the loader's report, whose notes the commands print with their results.
pub fn vintage_with_report(s: &Settings) -> Result<(Vintage, Vec<Source>, LoadReport)> {
    let sources = network_sources(s)?;
    let (all, report) = load_with_report(s, &sources)?;
    let history = history(s)?;
    if s.year.is_some() {
        let supply = SupplyData::load(&supply_sources(s)?)?;
        check_year(s, data_years(&all, &history, Some(&supply)))?;
    }
    let mut v = all.vintage(s.year, &history, s.include_planned);
    v.network = s.filter(v.network);
    Ok((v, sources, report))
}

/// [`vintage`]'s network.
pub fn network(s: &Settings) -> Result<(Network, Vec<Source>)> {
    vintage(s).map(|(v, src)| (v.network, src))
}

/// Each market's demand for `--year` (or its latest), the markets left without one and why, and
/// the files read.
pub struct Demand {
    pub demands: Vec<MarketDemand>,
    pub gaps: Vec<(String, String)>,
    pub sources: Vec<Source>,
}

/// The demand that caps what reaches a market in every flow analysis.
pub fn demand(s: &Settings) -> Result<Demand> {
    let sources: Vec<Source> = supply_sources(s)?
        .into_iter()
        .filter(|src| src.name.ends_with("demand.csv"))
        .collect();
    let data = SupplyData::load(&sources)?;
    let (demands, gaps) = market_demands(&data.demand, s.year);
    Ok(Demand {
        demands,
        gaps,
        sources,
    })
}

/// The notes that say which demand capped which market, and which markets had none.
pub fn demand_notes(
    demands: &[MarketDemand],
    gaps: &[(String, String)],
    markets: &[String],
) -> Vec<String> {
    let mut notes = Vec::new();
    let used: Vec<String> = demands
        .iter()
        .filter(|d| markets.contains(&d.market))
        .map(|d| {
            format!(
                "{} {} bcm ({}, {}, {})",
                d.market, d.demand, d.year, d.source, d.confidence
            )
        })
        .collect();
    if !used.is_empty() {
        notes.push(format!(
            "demand caps what reaches these markets (deliverable and losses are of served demand): {}",
            used.join("; ")
        ));
    }
    let missing: Vec<String> = markets
        .iter()
        .filter(|m| !demands.iter().any(|d| &d.market == *m))
        .map(|m| match gaps.iter().find(|g| &g.0 == m) {
            Some((_, why)) => format!("{m} ({why})"),
            None => format!("{m} (no demand data)"),
        })
        .collect();
    if !missing.is_empty() {
        notes.push(format!(
            "no demand for {}: deliverable and losses there are of capacity (the technical maximum)",
            missing.join("; ")
        ));
    }
    notes
}

/// Notes on a vintage for the outputs: capacities taken from planned steps, and elements the
/// history leaves without a capacity that year.
pub fn vintage_notes(s: &Settings, v: &Vintage) -> Vec<String> {
    let mut notes = Vec::new();
    if !v.planned.is_empty() {
        let items: Vec<String> = v
            .planned
            .iter()
            .map(|p| {
                format!(
                    "{} {} {:.2} from {} ({})",
                    p.element,
                    p.id,
                    p.capacity,
                    p.from.map_or("an undated step".into(), |y| y.to_string()),
                    p.source
                )
            })
            .collect();
        notes.push(format!(
            "PLANNED capacities in {}: {} (status planned, not in operation)",
            s.year.unwrap_or_default(),
            items.join("; ")
        ));
    }
    if !v.gaps.is_empty() {
        notes.push(format!(
            "no capacity in {} in the capacity history for {} (a gap: they carry nothing that year)",
            s.year.unwrap_or_default(),
            v.gaps.join(", ")
        ));
    }
    notes
}

/// The zones of the settings, with their sources.
pub fn zones(s: &Settings) -> Result<(Vec<Zone>, Vec<Source>)> {
    let sources = zone_sources(s)?;
    let zones = load_zones(&sources)?;
    Ok((zones, sources))
}

/// Everything the figures draw on: the network (as of `--year`), zones, basemap and supply.
pub fn figure_data(s: &Settings) -> Result<FigureData> {
    let (v, network_sources) = vintage(s)?;
    FigureData::new(
        v.network,
        network_sources,
        zone_sources(s)?,
        embedded::basemap(),
        supply_sources(s)?,
        s.year,
        s.snap_m,
    )
}
