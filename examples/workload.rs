//! The Rust side of `bench/compare.py`: runs one workload on a network (and zone) file, `reps`
//! times after loading, and prints one JSON line with the median wall time and checksums that the
//! Python side must reproduce.
//!
//! ```text
//! cargo run --release --example workload -- load|exposure|flow|rank|simulate NETWORK ZONES|default [REPS=5] [--rows]
//! ```
//!
//! NETWORK is any network file the CLI reads (a synthetic one, or a real file such as GEM's
//! `tests/fixtures/gem-real/gas-pipelines/P1287.geojson`, read under its own path as
//! `--network` reads it); ZONES is a zone file, or `default` for the zones embedded in the binary
//! (`data/zones`, what `corridor exposure` uses without `--zones`).
//!
//! - `load`: `load_network` + every segment's geodesic length (the time includes reading from
//!   the page cache); checksum: total km.
//! - `exposure`: every corridor × zone with the default bands; checksums: the sum of
//!   min_distance_km and of within_km["70"]; with `--rows`, also every pair as
//!   `[corridor, zone, min_distance_km, lon, lat]` (`"rows"`; lon/lat: the closest point on the
//!   route), for a pair-by-pair comparison (`bench/compare.py --gem`).
//! - `flow`: deliverability of every market alone and of the total (`flow::flow`); checksum: the
//!   sum of the totals' deliverability.
//! - `rank`: N-1 over every segment and node (`flow::elements` + `flow::rank`); checksums: the
//!   baseline total deliverability and the sum of losses.
//! - `simulate`: 1,000 Monte Carlo runs, every segment and node failing with p = 0.001, seed 3
//!   (the `simulate_1k_runs` bench); checksum: the sum over markets of the mean loss.

use corridor::analysis::exposure::{exposure, DEFAULT_BANDS_KM};
use corridor::analysis::flow::{self, ElementKind, FlowModel};
use corridor::input::{embedded, load_network, load_zones, LoadOptions, Source};
use corridor::model::Zone;
use corridor::topology::{build, DEFAULT_SNAP_M};
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

mod common;
use common::{fail, median};

fn main() {
    let (flags, a): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|s| s.starts_with("--"));
    let rows = flags.iter().any(|f| f == "--rows");
    if a.len() < 3 || flags.iter().any(|f| f != "--rows") {
        eprintln!(
            "usage: workload load|exposure|flow|rank|simulate NETWORK ZONES|default [REPS] [--rows]"
        );
        std::process::exit(2)
    }
    let reps: usize = a.get(3).and_then(|s| s.parse().ok()).unwrap_or(5).max(1);
    let read = |p: &str| Source::read(Path::new(p)).unwrap_or_else(|e| fail(e.to_string()));
    let load = |p: &str| {
        load_network(&[read(p)], LoadOptions::default())
            .unwrap_or_else(|e| fail(e.to_string()))
            .0
    };
    let mut times = Vec::new();
    let out = match a[0].as_str() {
        "load" => {
            let mut km = 0.0;
            for _ in 0..reps {
                let t = Instant::now();
                let net = load(&a[1]);
                km = net
                    .segments
                    .par_iter()
                    .map(|s| corridor::geodesy::length_m(&s.line))
                    .sum::<f64>()
                    / 1000.0;
                times.push(t.elapsed().as_secs_f64());
            }
            format!("\"total_km\":{km}")
        }
        "exposure" => {
            let net = load(&a[1]);
            let zone_sources = if a[2] == "default" {
                embedded::zones()
            } else {
                vec![read(&a[2])]
            };
            let zones = load_zones(&zone_sources).unwrap_or_else(|e| fail(e.to_string()));
            let zs: Vec<&Zone> = zones.iter().collect();
            let mut sums = (0.0, 0.0, 0);
            let mut pairs = Vec::new();
            for _ in 0..reps {
                let t = Instant::now();
                let r = exposure(&net, &zs, &DEFAULT_BANDS_KM, false);
                times.push(t.elapsed().as_secs_f64());
                sums = (
                    r.rows.iter().filter_map(|e| e.min_distance_km).sum(),
                    r.rows.iter().filter_map(|e| e.within_km.get(70.0)).sum(),
                    r.rows.len(),
                );
                if rows {
                    pairs = r
                        .rows
                        .iter()
                        .map(|e| {
                            (
                                e.corridor.clone(),
                                e.zone.clone(),
                                e.min_distance_km,
                                e.lon,
                                e.lat,
                            )
                        })
                        .collect();
                }
            }
            let rows = if rows {
                format!(",\"rows\":{}", serde_json::to_string(&pairs).expect("rows"))
            } else {
                String::new()
            };
            format!(
                "\"pairs\":{},\"sum_min_distance_km\":{},\"sum_within_70_km\":{}{rows}",
                sums.2, sums.0, sums.1
            )
        }
        "flow" => {
            let net = load(&a[1]);
            let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
            let mut total = 0.0;
            for _ in 0..reps {
                let t = Instant::now();
                total = flow::flow(&m).1.iter().map(|t| t.deliverable).sum();
                times.push(t.elapsed().as_secs_f64());
            }
            format!("\"deliverable_total\":{total}")
        }
        "rank" => {
            let net = load(&a[1]);
            let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
            let base: f64 = flow::flow(&m).1.iter().map(|t| t.deliverable).sum();
            let mut sums = (0.0, 0);
            for _ in 0..reps {
                let t = Instant::now();
                let els = flow::elements(
                    &m,
                    &net,
                    &[],
                    &[ElementKind::Segment, ElementKind::Node],
                    0.0,
                );
                let r = flow::rank(&m, &els, 0);
                times.push(t.elapsed().as_secs_f64());
                sums = (r.rows.iter().map(|r| r.lost).sum(), r.rows.len());
            }
            format!(
                "\"elements\":{},\"baseline\":{base},\"sum_lost\":{}",
                sums.1, sums.0
            )
        }
        "simulate" => {
            let net = load(&a[1]);
            let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
            let cfg = flow::SimConfig::uniform(&net, 1_000, 3, 0.001);
            let mut mean = 0.0;
            for _ in 0..reps {
                let t = Instant::now();
                let d = flow::simulate(&m, &cfg, &|_| {});
                times.push(t.elapsed().as_secs_f64());
                mean = d.iter().map(|d| d.mean_lost).sum();
            }
            format!("\"runs\":1000,\"sum_mean_lost\":{mean}")
        }
        w => fail(format!("unknown workload {w:?}")),
    };
    println!(
        "{{\"workload\":\"{}\",\"reps\":{reps},\"median_s\":{},\"threads\":{},{out}}}",
        a[0],
        median(times),
        rayon::current_num_threads()
    );
}
