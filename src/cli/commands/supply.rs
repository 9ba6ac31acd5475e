//! `corridor supply` and `corridor supply n1`.

use crate::analysis::find_zone;
use crate::analysis::supply::{
    n1_cases, supply_years, N1Cases, SupplyOptions as Query, SupplyQuery, SupplyYears,
};
use crate::cli::{inputs, settings, write_report, Settings, TABLE_JSON_CSV};
use crate::input::supply::SupplyData;
use crate::input::{load_network, LoadOptions, Source};
use crate::model::{Commodity, Network, Zone};
use crate::report::supply::SupplyMeta;
use crate::report::{self, Report};
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
        let opts = LoadOptions {
            commodity: None,
            ..s.load_options()
        };
        let (network, _) = load_network(&net_srcs, opts)?;
        let (zones, zone_srcs) = inputs::zones(s)?;
        let zone = find_zone(&zones, &a.zone)?.clone();
        Ok(SupplyInputs {
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

/// The query of `supply` for the arguments.
pub fn query<'a>(s: &Settings, a: &SupplyArgs, l: &'a SupplyInputs) -> SupplyQuery<'a> {
    SupplyQuery {
        options: Query {
            country: a.country.clone(),
            commodity: s.commodity.unwrap_or(Commodity::Gas),
            from: a.from,
            to: a.to,
        },
        zone: &l.zone,
        band_m: a.band_km * 1000.0,
        snap_m: s.snap_m,
    }
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
    let net = l.network.in_year(s.year);
    let cases = n1_cases(
        &l.data, &net, &a.country, &l.zone, a.band_km, s.snap_m, s.year,
    )?;
    let rep = report::supply::n1_report(&cases, &l.inputs(), s.year, options(s, a));
    Ok((rep, cases))
}

pub fn supply(s: &Settings, a: &SupplyArgs) -> Result<i32> {
    let l = SupplyInputs::new(s, a)?;
    let years = supply_years(&l.data, &l.network, &query(s, a, &l))?;
    write_report(s, &supply_report(s, a, &l, &years), &TABLE_JSON_CSV)?;
    Ok(0)
}

pub fn n1(s: &Settings, a: &SupplyArgs) -> Result<i32> {
    let l = SupplyInputs::new(s, a)?;
    write_report(s, &n1_report(s, a, &l)?.0, &TABLE_JSON_CSV)?;
    Ok(0)
}
