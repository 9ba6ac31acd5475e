//! `corridor supply` and `corridor supply n1`.

use crate::analysis::find_zone;
use crate::analysis::supply::{
    n1_cases, supply_years, N1Cases, SupplyOptions as Query, SupplyQuery, SupplyYears,
};
use crate::cli::{inputs, settings, write_report, Settings, TABLE_JSON_CSV};
use crate::input::supply::SupplyData;
use crate::input::{load_network, Source};
use crate::model::{CapacityHistory, Commodity, Network, Zone};
use crate::report::supply::SupplyMeta;
use crate::report::{self, Report};
use crate::usage;
use anyhow::Result;

/// Options of the `supply` command.
#[derive(Debug, Clone)]
pub struct SupplyArgs {
    pub country: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub zone: String,
    pub band_km: f64,
}

/// What `supply` and `supply n1` read, loaded once ([`SupplyInputs::new`]) and shared when both run.
pub struct SupplyInputs {
    pub data: SupplyData,
    supply_srcs: Vec<Source>,
    net_srcs: Vec<Source>,
    /// The network of every year and commodity.
    pub network: Network,
    zone_srcs: Vec<Source>,
    pub zone: Zone,
    pub history: CapacityHistory,
}

impl SupplyInputs {
    /// Reads the supply tables, the network (every year, every commodity) and the zone of `a`.
    pub fn new(s: &Settings, a: &SupplyArgs) -> Result<SupplyInputs> {
        settings::band(a.band_km)?;
        settings::span(a.from, a.to)?;
        settings::supply_commodity(s.commodity)?;
        let supply_srcs = inputs::supply_sources(s)?;
        let data = SupplyData::load(&supply_srcs)?;
        let net_srcs = inputs::network_sources(s)?;
        // For `supply`, --commodity picks the imports, not the commodity of the network's lines.
        let (network, _) = load_network(&net_srcs, s.load_options())?;
        let history = inputs::history(s)?;
        inputs::check_year(s, inputs::data_years(&network, &history, Some(&data)))?;
        let (zones, zone_srcs) = inputs::zones(s)?;
        let zone = find_zone(&zones, &a.zone)?.clone();
        Ok(SupplyInputs {
            history,
            data,
            supply_srcs,
            net_srcs,
            network,
            zone_srcs,
            zone,
        })
    }

    /// Every file read, for `meta.inputs`.
    pub fn inputs(&self) -> Vec<&Source> {
        self.supply_srcs
            .iter()
            .chain(&self.net_srcs)
            .chain(&self.zone_srcs)
            .collect()
    }
}

fn options<'a>(s: &Settings, a: &'a SupplyArgs) -> SupplyMeta<'a> {
    SupplyMeta {
        country: &a.country,
        commodity: s.commodity.unwrap_or(Commodity::Gas),
        from: a.from,
        to: a.to,
        zone: &a.zone,
        band_km: a.band_km,
        snap_m: s.snap_m,
    }
}

/// The years `supply` covers: `--from`/`--to`, or `--year` alone (a year outside
/// `--from`/`--to` is bad usage).
fn span(s: &Settings, a: &SupplyArgs) -> Result<(Option<i32>, Option<i32>)> {
    let Some(y) = s.year else {
        return Ok((a.from, a.to));
    };
    if a.from.is_some_and(|f| y < f) || a.to.is_some_and(|t| y > t) {
        usage!("--year {y} lies outside --from/--to; give one or the other");
    }
    Ok((Some(y), Some(y)))
}

/// The query of `supply` for the arguments.
pub fn query<'a>(s: &Settings, a: &SupplyArgs, l: &'a SupplyInputs) -> Result<SupplyQuery<'a>> {
    let (from, to) = span(s, a)?;
    Ok(SupplyQuery {
        options: Query {
            country: a.country.clone(),
            commodity: s.commodity.unwrap_or(Commodity::Gas),
            from,
            to,
        },
        zone: &l.zone,
        band_m: a.band_km * 1000.0,
        snap_m: s.snap_m,
    })
}

/// The `supply` report of `years`, computed on inputs already loaded.
pub fn supply_report(
    s: &Settings,
    a: &SupplyArgs,
    l: &SupplyInputs,
    years: &SupplyYears,
) -> Report {
    report::supply::supply_report(years, &l.inputs(), s.year, options(s, a))
}

/// The `supply n1` cases and report on inputs already loaded.
pub fn n1_report(s: &Settings, a: &SupplyArgs, l: &SupplyInputs) -> Result<(Report, N1Cases)> {
    if let Some(y) = s.year {
        // The N-1 inputs describe the present, gathered from sources of several dates: only the
        // year of the latest of them is honoured.
        let dated: std::collections::BTreeSet<i32> = l
            .data
            .n1
            .iter()
            .filter(|r| r.country == a.country)
            .filter_map(|r| r.as_of.get(..4).and_then(|y| y.parse().ok()))
            .collect();
        match (dated.first(), dated.last()) {
            (Some(first), Some(last)) if y != *last => usage!(
                "--year {y}: the N-1 inputs for {} describe the present, from sources dated {first}–{last}; only --year {last} (or none) uses them",
                a.country
            ),
            (None, _) => usage!("--year {y}: there are no N-1 inputs for {}", a.country),
            _ => {}
        }
    }
    let net = l
        .network
        .vintage(s.year, &l.history, s.include_planned)
        .network;
    let cases = n1_cases(
        &l.data, &net, &a.country, &l.zone, a.band_km, s.snap_m, s.year,
    )?;
    let rep = report::supply::n1_report(&cases, &l.inputs(), s.year, options(s, a));
    Ok((rep, cases))
}

pub fn supply(s: &Settings, a: &SupplyArgs) -> Result<i32> {
    let l = SupplyInputs::new(s, a)?;
    let years = supply_years(&l.data, &l.network, &query(s, a, &l)?)?;
    write_report(s, &supply_report(s, a, &l, &years), &TABLE_JSON_CSV)?;
    Ok(0)
}

pub fn n1(s: &Settings, a: &SupplyArgs) -> Result<i32> {
    let l = SupplyInputs::new(s, a)?;
    write_report(s, &n1_report(s, a, &l)?.0, &TABLE_JSON_CSV)?;
    Ok(0)
}
