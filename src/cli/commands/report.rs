//! `corridor report`: the main job. Runs every analysis on the data (the default dataset unless
//! `--network`/`--zones`/`--supply` say otherwise), writes every table as JSON and CSV, the
//! exposed stretches as GeoJSON, the figures and the interactive map (`map.html`) under the
//! output folder, and prints the numbers that matter.

use super::supply::{n1_report, query, supply_report, SupplyArgs, SupplyInputs};
use crate::analysis::check::check;
use crate::analysis::exposure::{exposure, DEFAULT_BANDS_KM};
use crate::analysis::flow::{
    self, disrupt_by, rank_by, simulate_by, DisruptRequest, FlowModel, SimulateRequest,
    DEFAULT_P_FAILURE,
};
use crate::analysis::profile::{prepare, profile, ProfileQuery};
use crate::analysis::routes::routes;
use crate::analysis::supply::supply_years;
use crate::cli::{inputs, progress, Settings, UsageError};
use crate::error::Severity;
use crate::figures::{self, FigureData, FigureOptions};
use crate::geodesy::ZoneIndex;
use crate::input::Source;
use crate::model::Zone;
use crate::report::exposure::profile_report;
use crate::report::flow::{
    disrupt_report, flow_report, rank_report, simulate_report, DisruptOptions, FlowMeta,
    RankOptions, SimulateOptions,
};
use crate::report::summary::{Summary, BORDER, CHOKEPOINT};
use crate::report::{self, Report};
use crate::topology;
use crate::webmap::{self, MapAnalyses, MapOptions};
use crate::write::{write_atomic, Background};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The report's Monte Carlo: runs, seed, and the Ganja gap's event probability per run (an
/// illustrative stress level, like the default element failure probability, not an estimate).
const SIM_RUNS: u64 = 10_000;
const SIM_SEED: u64 = 2020;
const SIM_ZONE_PROB: f64 = 0.05;

/// Queues `{stem}.json` and `{stem}.csv` of `report` on the writer `io`.
fn write_pair(
    io: &Background,
    dir: &Path,
    stem: &str,
    report: &Report,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    for (ext, text) in [("json", report.json()), ("csv", report.csv()?)] {
        let path = dir.join(format!("{stem}.{ext}"));
        io.write(path.clone(), text.into_bytes());
        written.push(path);
    }
    Ok(())
}

/// Runs the report; returns the exit status.
pub fn run(s: &Settings, lang: crate::figures::Lang) -> Result<i32> {
    let dir = s.out.clone().unwrap_or_else(|| PathBuf::from("output"));
    let bar = progress::bar(s.quiet, 11);
    let step = |msg: &'static str| {
        bar.set_message(msg);
        bar.inc(1);
    };
    step("loading");
    // One load of everything serves the tables and the figures.
    let data = inputs::figure_data(s)?;
    let (network, zones, countries) = (&data.network, &data.zones, &data.countries);
    let (net_srcs, zone_srcs) = (&data.network_sources, &data.zone_sources);
    let sources: Vec<&Source> = net_srcs.iter().chain(zone_srcs).collect();
    let net_only: Vec<&Source> = net_srcs.iter().collect();
    let has_zone = |id: &str| zones.iter().any(|z| z.id == id);

    // The analyses that tables, figures and map share, run once: the routes (the summary table,
    // the region map's labels, the map's corridors) and the zones' distance bands (the map's
    // bands, the Ganja figure's).
    let (routes, band_areas) = rayon::join(
        || routes(network, countries),
        || webmap::band_areas(zones, &DEFAULT_BANDS_KM),
    );
    let border_bands: Option<Vec<geo::MultiPolygon<f64>>> = zones
        .iter()
        .position(|z| z.id == figures::BORDER_ZONE)
        .map(|i| {
            band_areas
                .iter()
                .filter(|b| b.zone == i)
                .map(|b| b.area.clone())
                .collect()
        });
    let shared = figures::Analyses {
        routes: Some(&routes),
        border_bands: border_bands.as_deref(),
    };

    // The tables' files and the map are written on a thread of their own (each is synced to
    // disk), while the analyses go on.
    let io = Background::new();
    // The figures are independent of the tables and the map: draw them on the other core
    // meanwhile.
    let (tables, figures) = rayon::join(
        || -> Result<_> {
            let mut written = Vec::new();
            step("routes");
            let rep = report::routes::report(&routes, &net_only, s.year, s.snap_m, s.schema, &[]);
            write_pair(&io, &dir, "routes", &rep, &mut written)?;

            step("check");
            let check_srcs: Vec<Source> = net_srcs.iter().chain(zone_srcs).cloned().collect();
            let checked = check(&check_srcs, s.load_options(), s.snap_m);
            let rep = report::check::report(&checked, &sources, s.year, s.snap_m);
            write_pair(&io, &dir, "check", &rep, &mut written)?;

            step("exposure");
            let all_zones: Vec<&Zone> = zones.iter().collect();
            let exposed = exposure(network, &all_zones, &DEFAULT_BANDS_KM, true);
            let out = report::exposure::report(
                &exposed,
                &sources,
                s.year,
                &all_zones,
                &DEFAULT_BANDS_KM,
                &[],
            );
            write_pair(&io, &dir, "exposure", &out.report, &mut written)?;
            let path = dir.join("exposure.geojson");
            io.write(path.clone(), out.geojson.into_bytes());
            written.push(path);

            step("profiles");
            let corridors = network.corridors();
            for c in ["BTC", "SCP"] {
                if corridors.contains(&c) && has_zone(BORDER) {
                    let query = ProfileQuery {
                        corridor: c,
                        zone: BORDER,
                        step_km: 1.0,
                    };
                    let p = prepare(network, zones, query)?;
                    let samples = profile(&p.route, &ZoneIndex::new(&p.zone.geometry), 1.0);
                    let rep = profile_report(&samples, &sources, s.year, query);
                    let stem = format!("profile-{}", c.to_lowercase());
                    write_pair(&io, &dir, &stem, &rep, &mut written)?;
                }
            }

            step("flow");
            // One flow model serves flow, disrupt and rank; demand caps the markets where known.
            let model = FlowModel::new(network, &topology::build(network, s.snap_m));
            let inputs::Demand {
                demands: demand,
                gaps,
                sources: demand_srcs,
            } = inputs::demand(s)?;
            let gas_markets: Vec<String> = model
                .markets()
                .iter()
                .filter(|m| m.commodity == crate::model::Commodity::Gas)
                .map(|m| m.name.clone())
                .collect();
            let mut notes = model.notes().to_vec();
            notes.extend(inputs::demand_notes(&demand, &gaps, &gas_markets));
            let model = model.with_demand(&demand);
            let flow_sources: Vec<&Source> = sources.iter().copied().chain(&demand_srcs).collect();
            let m = FlowMeta {
                sources: &flow_sources,
                year: s.year,
                snap_m: s.snap_m,
            };
            let (markets, totals) = flow::flow(&model);
            let rep = flow_report(m, &markets, &totals, &notes);
            write_pair(&io, &dir, "flow", &rep, &mut written)?;
            let disruption = if has_zone(CHOKEPOINT) {
                let zone_ids = [CHOKEPOINT.to_string()];
                let req = DisruptRequest {
                    zones: &zone_ids,
                    ..Default::default()
                };
                let d = disrupt_by(&model, network, zones, &req)?;
                let o = DisruptOptions {
                    zones: &zone_ids,
                    band_km: 0.0,
                    segments: &[],
                    nodes: &[],
                };
                let rep = disrupt_report(m, o, &d, &notes);
                write_pair(
                    &io,
                    &dir,
                    &format!("disrupt-{CHOKEPOINT}"),
                    &rep,
                    &mut written,
                )?;
                Some(d)
            } else {
                None
            };

            step("rank");
            let ranking = rank_by(&model, network, zones, None, 5, 0.0, &|_| {})?;
            let o = RankOptions {
                kind: None,
                top: None,
                pairs: 5,
                band_km: 0.0,
            };
            let rep = rank_report(m, o, &ranking, &notes);
            write_pair(&io, &dir, "rank", &rep, &mut written)?;
            // For the map: what cutting each node costs each market.
            let node_losses = webmap::node_market_losses(&model, network);

            step("simulate");
            // Seeded, so the same numbers on any machine: the parameters are in meta.
            let zone_probs: Vec<(String, f64)> = if has_zone(CHOKEPOINT) {
                vec![(CHOKEPOINT.to_string(), SIM_ZONE_PROB)]
            } else {
                Vec::new()
            };
            let req = SimulateRequest {
                runs: SIM_RUNS,
                seed: SIM_SEED,
                p_default: DEFAULT_P_FAILURE,
                zone_probs: &zone_probs,
                band_km: 0.0,
            };
            let sim = simulate_by(&model, network, zones, &req, &|_| {})?;
            let o = SimulateOptions {
                runs: SIM_RUNS,
                seed: SIM_SEED,
                p_default: DEFAULT_P_FAILURE,
                zone_probs: &zone_probs,
                band_km: 0.0,
            };
            let rep = simulate_report(m, o, &sim, &notes);
            write_pair(&io, &dir, "simulate", &rep, &mut written)?;

            step("supply");
            let args = SupplyArgs {
                country: "TUR".into(),
                from: None,
                to: None,
                zone: CHOKEPOINT.into(),
                band_km: 0.0,
            };
            let (supply, n1) = if has_zone(CHOKEPOINT) {
                let loaded = SupplyInputs::new(s, &args)?;
                let years =
                    supply_years(&loaded.data, &loaded.network, &query(s, &args, &loaded)?)?;
                let rep = supply_report(s, &args, &loaded, &years);
                write_pair(&io, &dir, "supply", &rep, &mut written)?;
                // N-1 inputs describe the present: a report of another year has none.
                let cases = match n1_report(s, &args, &loaded) {
                    Ok((rep, cases)) => {
                        write_pair(&io, &dir, "supply-n1", &rep, &mut written)?;
                        Some(cases)
                    }
                    Err(e) if e.downcast_ref::<UsageError>().is_some() => None,
                    Err(e) => return Err(e),
                };
                (Some(years), cases)
            } else {
                (None, None)
            };

            step("map");
            // The map shows the analyses above.
            let map_path = dir.join("map.html");
            let analyses = MapAnalyses {
                routes: &routes,
                exposure: &exposed,
                bands_km: &DEFAULT_BANDS_KM,
                node_losses: &node_losses,
                ranking: &ranking.rows,
                band_areas: &band_areas,
            };
            let map_options = MapOptions {
                lang,
                ..MapOptions::default()
            };
            let html = webmap::render(&data, &analyses, &map_options)?;
            io.write(map_path.clone(), html.into_bytes());
            written.push(map_path.clone());
            Ok((
                map_path,
                checked,
                exposed,
                (disruption, sim),
                ranking,
                supply,
                n1,
                written,
            ))
        },
        || {
            let r = report_figures(&data, &dir, lang, shared);
            step("figures");
            r
        },
    );
    let (map_path, checked, exposed, (disruption, sim), ranking, supply, n1, mut written) = tables?;
    let (figure_files, skipped) = figures?;
    written.extend(figure_files);
    io.finish()?;
    bar.finish_and_clear();
    if !s.quiet && !skipped.is_empty() {
        eprintln!(
            "figures skipped for want of their inputs: {}",
            skipped.join(", ")
        );
    }
    // The summary is also a file (summary.txt), which counts among the files written.
    let summary_path = dir.join("summary.txt");
    written.push(summary_path.clone());
    let text = report::summary::render(&Summary {
        corridors: routes.len(),
        check: &checked.summary,
        exposure: &exposed.rows,
        disruption: disruption.as_ref(),
        ranking: &ranking.rows,
        simulation: Some((&sim, SIM_RUNS, SIM_SEED, DEFAULT_P_FAILURE, SIM_ZONE_PROB)),
        supply: supply.as_ref().map(|y| y.rows.as_slice()),
        n1: n1.as_ref(),
        files_written: written.len(),
    });
    write_atomic(&summary_path, text.as_bytes())?;
    if !s.quiet {
        print!("{}", text.trim_end());
        println!(" under {}", dir.display());
        println!("Interactive map (opens offline): {}", map_path.display());
    }
    Ok(if checked.count(Severity::Error) > 0 {
        1
    } else {
        0
    })
}

/// The figures of the report, for the zones and corridors the data have; returns the files
/// written and the figures skipped for want of their inputs.
fn report_figures(
    data: &FigureData,
    dir: &Path,
    lang: crate::figures::Lang,
    shared: figures::Analyses,
) -> Result<(Vec<PathBuf>, Vec<&'static str>)> {
    let (ids, skipped) = figures::available(data);
    let options = FigureOptions {
        lang,
        only: Some(ids.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    let fig_dir = dir.join("figures");
    let manifest = figures::write_figures_with(data, &fig_dir, &options, shared)?;
    let mut written = Vec::new();
    for f in &manifest.figures {
        written.extend([
            fig_dir.join(&f.files.svg),
            fig_dir.join(&f.files.png),
            fig_dir.join(&f.files.pdf),
            fig_dir.join(&f.data),
        ]);
    }
    written.push(fig_dir.join(&manifest.captions.markdown));
    written.push(fig_dir.join(&manifest.captions.latex));
    written.push(fig_dir.join("manifest.json"));
    Ok((written, skipped))
}
