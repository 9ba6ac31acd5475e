//! Loading on seeded synthetic networks (`corridor::synthetic`: corridors of 100 segments of 24
//! vertices, ≈ 775 bytes of GeoJSON per segment) at 10^3, 10^4 and 10^5 segments, with criterion
//! throughput in bytes (so the report shows MB/s):
//! - `load/N`: `load_network` (the serde pass, schema mapping, ids);
//! - `load_length/N`: the same plus every segment's geodesic length (the Python comparison's
//!   "load + length" workload);
//! - `load_topology/N`: the same plus `topology::build` (snapping, T-splits, the graph).
//!
//! `CORRIDOR_BENCH_FULL=1 cargo bench --features bench --bench load` adds 10^6 segments (a 775 MB file, about a
//! minute per benchmark). Files are generated once under `$CORRIDOR_BENCH_DIR` (default
//! `target/bench-data`). Peak memory is measured separately: `cargo run --release --example
//! load_peak -- FILE` (see BENCHMARKS.md).

use corridor::input::{load_network, LoadOptions};
use corridor::topology::{build, DEFAULT_SNAP_M};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for n in common::sizes(Some(1_000_000)) {
        let src = common::network_source(n);
        g.throughput(Throughput::Bytes(src.bytes.len() as u64));
        let srcs = std::slice::from_ref(&src);
        g.bench_with_input(BenchmarkId::new("load", n), &n, |b, _| {
            b.iter(|| black_box(load_network(srcs, LoadOptions::default()).map(|r| r.0)))
        });
        g.bench_with_input(BenchmarkId::new("load_length", n), &n, |b, _| {
            b.iter(|| {
                let net = load_network(srcs, LoadOptions::default())
                    .map(|r| r.0)
                    .unwrap_or_default();
                let km: f64 = net
                    .segments
                    .par_iter()
                    .map(|s| corridor::geodesy::length_m(&s.line))
                    .sum::<f64>()
                    / 1000.0;
                black_box(km)
            })
        });
        {
            g.bench_with_input(BenchmarkId::new("load_topology", n), &n, |b, _| {
                b.iter(|| {
                    let net = load_network(srcs, LoadOptions::default())
                        .map(|r| r.0)
                        .unwrap_or_default();
                    black_box(build(&net, DEFAULT_SNAP_M).graph.edge_count())
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
