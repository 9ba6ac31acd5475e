//! Flow on seeded synthetic networks (`corridor::synthetic`, the same files as the load and
//! exposure benches and `bench/compare.py`; gas corridors of 100 segments meeting at junctions,
//! 1 + N/500 supplies, 4 markets), at 10^3, 10^4 and 10^5 segments:
//! - `deliverability/N`: every market alone and the total (`flow::flow`);
//! - `rank_n1/N`: N-1 over every segment and node (`flow::rank`);
//! - `rank_zones/N`: the cuts of the 50 zones (`flow::elements` for zones: geodesic distances)
//!   and their ranking;
//! - `simulate_1k_runs/N`: 1,000 Monte Carlo runs, every element failing with p = 0.001.
//!
//! `rank_n1/100000` and `simulate_1k_runs/100000` run only with `CORRIDOR_BENCH_FULL=1` (each
//! takes minutes). Run: `cargo bench --features bench --bench flow`.

use corridor::analysis::flow::{self, ElementKind, FlowModel, SimConfig};
use corridor::topology::{build, DEFAULT_SNAP_M};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

mod common;

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in common::sizes(None) {
        let (net, zones) = common::inputs(n);
        let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
        let heavy = n <= 10_000 || common::full();
        g.bench_function(format!("deliverability/{n}"), |b| {
            b.iter(|| black_box(flow::flow(&m)))
        });
        if heavy {
            let els = flow::elements(
                &m,
                &net,
                &[],
                &[ElementKind::Segment, ElementKind::Node],
                0.0,
            );
            g.bench_function(format!("rank_n1/{n}"), |b| {
                b.iter(|| black_box(flow::rank(&m, &els, 0)))
            });
        }
        g.bench_function(format!("rank_zones/{n}"), |b| {
            b.iter(|| {
                let els = flow::elements(&m, &net, &zones, &[ElementKind::Zone], 0.0);
                black_box(flow::rank(&m, &els, 0))
            })
        });
        if heavy {
            let cfg = SimConfig::uniform(&net, 1_000, 3, 0.001);
            g.bench_function(format!("simulate_1k_runs/{n}"), |b| {
                b.iter(|| black_box(flow::simulate(&m, &cfg, &|_| {})))
            });
        }
    }
    g.finish();
}

criterion_group!(flow_benches, benches);
criterion_main!(flow_benches);
