//! `corridor flow`, `disrupt`, `rank` and `simulate`: load the network (and the zones where
//! the command uses them), build the flow model once, run the analysis, write the report.

use crate::analysis::flow::{
    self, disrupt_by, simulate_by, DisruptRequest, ElementKind, FlowModel, SimulateRequest,
};
use crate::cli::{inputs, progress, settings, write_report, Settings, TABLE_JSON_CSV};
use crate::input::Source;
use crate::model::{Network, Zone};
use crate::report::flow::{
    disrupt_report, flow_report, rank_reports, simulate_report, DisruptOptions, FlowMeta,
    RankOptions, SimulateOptions,
};
use crate::topology;
use crate::write::{emit, Format};
use anyhow::Result;

/// What every flow command starts from.
struct FlowInputs {
    net: Network,
    zones: Vec<Zone>,
    sources: Vec<Source>,
    model: FlowModel,
    /// The model's notes, then the vintage's (planned capacities, gaps).
    notes: Vec<String>,
}

impl FlowInputs {
    /// The network (as of `--year`), the zones when `with_zones` (their files then count as
    /// inputs), and the flow model.
    fn new(s: &Settings, with_zones: bool) -> Result<FlowInputs> {
        let (v, mut sources) = inputs::vintage(s)?;
        let mut notes = inputs::vintage_notes(s, &v);
        let net = v.network;
        let zones = if with_zones {
            let (zones, zone_srcs) = inputs::zones(s)?;
            sources.extend(zone_srcs);
            zones
        } else {
            Vec::new()
        };
        let model = FlowModel::new(&net, &topology::build(&net, s.snap_m));
        notes.splice(0..0, model.notes().iter().cloned());
        // Demand caps every market where it is known (gas only: no oil demand in the data).
        let inputs::Demand {
            demands: demand,
            gaps,
            sources: demand_srcs,
        } = inputs::demand(s)?;
        let markets: Vec<String> = model
            .markets()
            .iter()
            .filter(|m| m.commodity == crate::model::Commodity::Gas)
            .map(|m| m.name.clone())
            .collect();
        notes.extend(inputs::demand_notes(&demand, &gaps, &markets));
        let model = model.with_demand(&demand);
        sources.extend(demand_srcs);
        Ok(FlowInputs {
            net,
            zones,
            sources,
            model,
            notes,
        })
    }

    fn write(
        &self,
        s: &Settings,
        make: impl FnOnce(FlowMeta) -> crate::report::Report,
    ) -> Result<i32> {
        let srcs: Vec<&Source> = self.sources.iter().collect();
        let m = FlowMeta {
            sources: &srcs,
            year: s.year,
            snap_m: s.snap_m,
        };
        write_report(s, &make(m), &TABLE_JSON_CSV)?;
        Ok(0)
    }
}

pub fn flow(s: &Settings) -> Result<i32> {
    let l = FlowInputs::new(s, false)?;
    let (markets, totals) = flow::flow(&l.model);
    l.write(s, |m| flow_report(m, &markets, &totals, &l.notes))
}

pub fn disrupt(
    s: &Settings,
    zones: &[String],
    band: f64,
    segments: &[String],
    nodes: &[String],
) -> Result<i32> {
    settings::band(band)?;
    let l = FlowInputs::new(s, !zones.is_empty())?;
    let req = DisruptRequest {
        zones,
        band_km: band,
        segments,
        nodes,
    };
    let d = disrupt_by(&l.model, &l.net, &l.zones, &req)?;
    let o = DisruptOptions {
        zones,
        band_km: band,
        segments,
        nodes,
    };
    l.write(s, |m| disrupt_report(m, o, &d, &l.notes))
}

pub fn rank(
    s: &Settings,
    kind: Option<ElementKind>,
    top: Option<usize>,
    pairs: usize,
    band: f64,
) -> Result<i32> {
    settings::band(band)?;
    let l = FlowInputs::new(s, kind.is_none_or(|k| k == ElementKind::Zone))?;
    let els = flow::elements(
        &l.model,
        &l.net,
        &l.zones,
        &flow::kinds(kind),
        band * 1000.0,
    );
    let bar = progress::bar(s.quiet, els.len() as u64);
    let ranking = flow::rank_with_progress(&l.model, &els, pairs, &|n| bar.inc(n));
    bar.finish_and_clear();
    let o = RankOptions {
        kind,
        top,
        pairs,
        band_km: band,
    };
    let srcs: Vec<&Source> = l.sources.iter().collect();
    let m = FlowMeta {
        sources: &srcs,
        year: s.year,
        snap_m: s.snap_m,
    };
    let (report, table) = rank_reports(m, o, &ranking, &l.notes);
    match s.format.unwrap_or(Format::Table) {
        Format::Table => emit(s.out.as_deref(), &table.table())?,
        _ => write_report(s, &report, &[Format::Json, Format::Csv])?,
    }
    Ok(0)
}

pub fn simulate(
    s: &Settings,
    runs: u64,
    seed: u64,
    p_default: f64,
    zone_prob: &[String],
    band: f64,
) -> Result<i32> {
    settings::p_default(p_default)?;
    settings::band(band)?;
    let zone_probs = zone_prob
        .iter()
        .map(|z| settings::zone_prob(z))
        .collect::<Result<Vec<_>>>()?;
    settings::runs(runs)?;
    let l = FlowInputs::new(s, !zone_prob.is_empty())?;
    let bar = progress::bar(s.quiet || runs < 1000, runs);
    let req = SimulateRequest {
        runs,
        seed,
        p_default,
        zone_probs: &zone_probs,
        band_km: band,
    };
    let sim = simulate_by(&l.model, &l.net, &l.zones, &req, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    let o = SimulateOptions {
        runs,
        seed,
        p_default,
        zone_probs: &zone_probs,
        band_km: band,
    };
    l.write(s, |m| simulate_report(m, o, &sim, &l.notes))
}
