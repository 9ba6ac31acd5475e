//! `corridor report`: the main job. Runs every analysis on the data (the default dataset unless
//! `--network`/`--zones`/`--supply` say otherwise), writes every table as JSON and CSV, the
//! exposed stretches as GeoJSON and the figures under the output folder, and prints the numbers
//! that matter.

use crate::cli::{figure_data, load_opts, network_sources, routes_report_for, zone_sources, Cli};
use crate::commands::supply::{n1_report_from, supply_report_from, SupplyArgs};
use crate::error::Severity;
use crate::load::Source;
use crate::output::{write_atomic, Report};
use anyhow::Result;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// The zone whose disruption the report studies, and the border the exposure summary quotes.
const CHOKEPOINT: &str = "ganja-gap";
const BORDER: &str = "arm-aze-border";

fn write_pair(dir: &Path, stem: &str, report: &Report, written: &mut Vec<PathBuf>) -> Result<()> {
    for (ext, text) in [("json", report.json()), ("csv", report.csv()?)] {
        let path = dir.join(format!("{stem}.{ext}"));
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(())
}

fn num(row: &Map<String, Value>, key: &str) -> f64 {
    row.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

fn text<'a>(row: &'a Map<String, Value>, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Runs the report; returns the exit status.
pub fn run(cli: &Cli) -> Result<i32> {
    let dir = cli.out.clone().unwrap_or_else(|| PathBuf::from("output"));
    let steps = 10;
    let bar = crate::output::progress_bar(cli.quiet);
    bar.set_length(steps);
    let step = |msg: &'static str| {
        bar.set_message(msg);
        bar.inc(1);
    };
    step("loading");
    // One load of everything serves the tables and the figures.
    let data = figure_data(cli, network_sources(cli)?, zone_sources(&cli.zones)?)?;
    let (network, zones, countries) = (&data.network, &data.zones, &data.countries);
    let (net_srcs, zone_srcs) = (&data.network_sources, &data.zone_sources);
    let sources: Vec<&Source> = net_srcs.iter().chain(zone_srcs).collect();

    // The figures are independent of the tables: draw them on the other core meanwhile.
    let (tables, figures) = rayon::join(
        || -> Result<_> {
            let mut written = Vec::new();
            step("routes");
            let routes = routes_report_for(cli, network, net_srcs, countries);
            write_pair(&dir, "routes", &routes, &mut written)?;

            step("check");
            let mut check_srcs = net_srcs.clone();
            check_srcs.extend(zone_srcs.iter().cloned());
            let checked = crate::check::check(&check_srcs, load_opts(cli), cli.snap);
            let check_report = Report {
                meta: crate::output::meta(
                    "check",
                    &check_srcs.iter().collect::<Vec<_>>(),
                    cli.year,
                    serde_json::json!({"snap_m": cli.snap}),
                ),
                member: "problems",
                rows: crate::cli::to_rows(&checked.problems),
                extra: vec![("summary", checked.summary.clone())],
                table_columns: None,
            };
            write_pair(&dir, "check", &check_report, &mut written)?;

            step("exposure");
            let all_zones: Vec<&crate::model::Zone> = zones.iter().collect();
            let exposure = crate::exposure::exposure_report(
                network,
                &sources,
                cli.year,
                &all_zones,
                &crate::exposure::DEFAULT_BANDS_KM,
                true,
                &indicatif::ProgressBar::hidden(),
            )?;
            write_pair(&dir, "exposure", &exposure.report, &mut written)?;
            let path = dir.join("exposure.geojson");
            write_atomic(&path, exposure.geojson.as_bytes())?;
            written.push(path);

            step("profiles");
            let has_zone = |id: &str| zones.iter().any(|z| z.id == id);
            let corridors = network.corridors();
            for c in ["BTC", "SCP"] {
                if corridors.contains(&c) && has_zone(BORDER) {
                    let p = crate::exposure::profile_report(
                        network,
                        &sources,
                        cli.year,
                        zones,
                        crate::exposure::ProfileQuery {
                            corridor: c,
                            zone: BORDER,
                            step_km: 1.0,
                        },
                        &indicatif::ProgressBar::hidden(),
                    )?;
                    write_pair(
                        &dir,
                        &format!("profile-{}", c.to_lowercase()),
                        &p,
                        &mut written,
                    )?;
                }
            }

            step("flow");
            // The report has its own bar; one flow model serves flow, disrupt and rank.
            let inputs = crate::flow::commands::Inputs::new(
                network,
                sources.clone(),
                cli.year,
                cli.snap,
                indicatif::ProgressBar::hidden(),
            );
            let flow = crate::flow::commands::flow_report(&inputs);
            write_pair(&dir, "flow", &flow, &mut written)?;
            let disrupt = if has_zone(CHOKEPOINT) {
                let d = crate::flow::commands::disrupt_report(
                    &inputs,
                    zones,
                    &[CHOKEPOINT.to_string()],
                    0.0,
                    &[],
                    &[],
                )?;
                write_pair(&dir, &format!("disrupt-{CHOKEPOINT}"), &d, &mut written)?;
                Some(d)
            } else {
                None
            };

            step("rank");
            let rank = crate::flow::commands::rank_report(&inputs, zones, None, None, 5, 0.0)?;
            write_pair(&dir, "rank", &rank, &mut written)?;

            step("supply");
            let args = SupplyArgs {
                country: "TUR".into(),
                from: None,
                to: None,
                zone: CHOKEPOINT.into(),
                band_km: 0.0,
            };
            let (supply, n1) = if has_zone(CHOKEPOINT) {
                let loaded = crate::commands::supply::load(cli, &args)?;
                let s = supply_report_from(cli, &args, &loaded)?;
                write_pair(&dir, "supply", &s, &mut written)?;
                let n = n1_report_from(cli, &args, &loaded)?;
                write_pair(&dir, "supply-n1", &n, &mut written)?;
                (Some(s), Some(n))
            } else {
                (None, None)
            };

            Ok((
                routes, checked, exposure, disrupt, rank, supply, n1, written,
            ))
        },
        || {
            let r = report_figures(&data, &dir);
            step("figures");
            r
        },
    );
    let (routes, checked, exposure, disrupt, rank, supply, n1, mut written) = tables?;
    let (figure_files, skipped) = figures?;
    written.extend(figure_files);
    bar.finish_and_clear();
    if !cli.quiet && !skipped.is_empty() {
        eprintln!(
            "figures skipped for want of their inputs: {}",
            skipped.join(", ")
        );
    }
    if !cli.quiet {
        print_summary(
            &dir,
            &routes,
            &checked.summary,
            &exposure.report,
            disrupt.as_ref(),
            &rank,
            supply.as_ref(),
            n1.as_ref(),
            &written,
        );
    }
    let errors = checked
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    Ok(if errors > 0 { 1 } else { 0 })
}

/// The figures of the report, for the zones and corridors the data have; returns the files
/// written and the figures skipped for want of their inputs.
fn report_figures(
    data: &crate::figures::FigureData,
    dir: &Path,
) -> Result<(Vec<PathBuf>, Vec<&'static str>)> {
    let has_zone = |id: &str| data.zones.iter().any(|z| z.id == id);
    let corridors = data.network.corridors();
    let mut written = Vec::new();
    // Each figure needs its inputs (the border and the gap among the zones, BTC and SCP in the
    // network, Türkiye's gas imports); the ones whose inputs are missing are skipped and named.
    let needs: [(&str, &[&str], &[&str]); 9] = [
        ("map-region", &[], &[]),
        ("map-ganja", &[BORDER], &[]),
        ("supply-imports", &[], &[]),
        ("supply-shares-hhi", &[], &[]),
        ("exposure-bands", &[BORDER], &[]),
        ("profile-btc", &[BORDER], &["BTC"]),
        ("profile-scp", &[BORDER], &["SCP"]),
        ("disruption-ganja", &[CHOKEPOINT], &[]),
        ("rank-top", &[], &[]),
    ];
    let (figure_ids, skipped): (Vec<&'static str>, Vec<&'static str>) = needs
        .iter()
        .filter(|(id, _, _)| crate::figures::FIGURE_IDS.contains(id))
        .map(|(id, z, c)| {
            (
                *id,
                z.iter().all(|z| has_zone(z)) && c.iter().all(|c| corridors.contains(c)),
            )
        })
        .fold((Vec::new(), Vec::new()), |(mut ok, mut no), (id, fine)| {
            if fine {
                ok.push(id);
            } else {
                no.push(id);
            }
            (ok, no)
        });
    let options = crate::figures::FigureOptions {
        only: Some(figure_ids.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    };
    let fig_dir = dir.join("figures");
    let manifest = crate::figures::write_figures(data, &fig_dir, &options)?;
    for f in &manifest.figures {
        written.extend([
            fig_dir.join(&f.files.svg),
            fig_dir.join(&f.files.png),
            fig_dir.join(&f.data),
        ]);
    }
    written.push(fig_dir.join("manifest.json"));

    Ok((written, skipped))
}

#[allow(clippy::too_many_arguments)]
fn print_summary(
    dir: &Path,
    routes: &Report,
    check: &Value,
    exposure: &Report,
    disrupt: Option<&Report>,
    rank: &Report,
    supply: Option<&Report>,
    n1: Option<&Report>,
    written: &[PathBuf],
) {
    println!("corridor report\n");
    println!(
        "Network: {} corridors, {} segments, {} nodes; check: {} errors, {} warnings",
        routes.rows.len(),
        check["segments"],
        check["nodes"],
        check["errors"],
        check["warnings"]
    );

    println!("\nExposure (geodesic, WGS84):");
    for r in &exposure.rows {
        let zone = text(r, "zone");
        let corridor = text(r, "corridor");
        if zone == BORDER && ["BTC", "SCP", "WREP"].contains(&corridor) {
            let within = r.get("within_km").and_then(Value::as_object);
            let w20 = within
                .and_then(|w| w.get("20"))
                .and_then(Value::as_f64)
                .unwrap_or(f64::NAN);
            println!(
                "  {corridor:<5} closest to the Armenian border {:.1} km (at {:.3}N {:.3}E, km {:.0} of the route); {:.1} km of route within 20 km",
                num(r, "min_distance_km"),
                num(r, "lat"),
                num(r, "lon"),
                num(r, "chainage_km"),
                w20
            );
        }
    }
    for r in &exposure.rows {
        if ["ganja-gap", "tovuz"].contains(&text(r, "zone")) && num(r, "inside_km") > 0.0 {
            println!(
                "  {:<5} {:.1} km inside {}",
                text(r, "corridor"),
                num(r, "inside_km"),
                text(r, "zone")
            );
        }
    }

    if let Some(d) = disrupt {
        println!("\nIf the Ganja gap is cut (every line and node touching it):");
        for r in &d.rows {
            if num(r, "lost") > 0.0 || text(r, "market") == "Türkiye" {
                println!(
                    "  {:<14} loses {:>7.1} of {:>7.1} {} ({:.0} %)",
                    text(r, "market"),
                    num(r, "lost"),
                    num(r, "baseline"),
                    text(r, "unit"),
                    100.0 * num(r, "lost_share")
                );
            }
        }
    }

    println!("\nWorst single elements (loss of total deliverability):");
    for r in rank.rows.iter().take(5) {
        println!(
            "  {:<8} {:<22} {:>7.1} {} ({:.0} % of {})",
            text(r, "kind"),
            text(r, "id"),
            num(r, "lost"),
            text(r, "unit"),
            100.0 * num(r, "lost_share"),
            text(r, "commodity")
        );
    }

    if let Some(s) = supply {
        if let Some(last) = s.rows.last() {
            let shares = last.get("shares").and_then(Value::as_object);
            let mut top: Vec<(String, f64)> = shares
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                        .collect()
                })
                .unwrap_or_default();
            top.sort_by(|a, b| b.1.total_cmp(&a.1));
            let top: Vec<String> = top
                .iter()
                .take(4)
                .map(|(k, v)| format!("{k} {:.1} %", 100.0 * v))
                .collect();
            println!(
                "\nTürkiye's gas imports {}: {:.2} bcm; {}; HHI {:.0} (range {:.0}–{:.0}); {:.1} % crosses the Ganja gap",
                last.get("year").map(Value::to_string).unwrap_or_default(),
                num(last, "total"),
                top.join(", "),
                num(last, "hhi"),
                num(last, "hhi_min"),
                num(last, "hhi_max"),
                100.0 * num(last, "exposed_share")
            );
        }
    }
    if let Some(n) = n1 {
        for r in &n.rows {
            println!(
                "  N-1 {:<12} {:.1} % (Im = {:.1} mcm/d)",
                text(r, "case"),
                num(r, "n1_percent"),
                num(r, "im")
            );
        }
    }

    println!("\nWrote {} files under {}", written.len(), dir.display());
}
