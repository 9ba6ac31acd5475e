//! Flow benchmarks on seeded synthetic networks (`corridor::flow::synthetic`): deliverability
//! (every market alone and the total) and N-1 ranking at 10^3 and 10^4 edges, and 10^4 Monte
//! Carlo runs on a small network. Run with `cargo bench --bench flow`.

use corridor::flow::{self, synthetic, ElementKind, FlowModel, SimConfig};
use corridor::topology::{build, DEFAULT_SNAP_M};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn model(edges: usize) -> (corridor::model::Network, FlowModel) {
    let net = synthetic::network(edges, 11);
    let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
    (net, m)
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for edges in [1_000, 10_000] {
        let (net, m) = model(edges);
        g.bench_function(format!("deliverability/{edges}"), |b| {
            b.iter(|| black_box(flow::flow(&m)))
        });
        let els = flow::elements(
            &m,
            &net,
            &[],
            &[ElementKind::Segment, ElementKind::Node],
            0.0,
        );
        g.bench_function(format!("rank_n1/{edges}"), |b| {
            b.iter(|| black_box(flow::rank(&m, &els, 0)))
        });
    }
    let (net, m) = model(200);
    let cfg = SimConfig::uniform(&net, 10_000, 3, 0.01);
    g.bench_function("simulate_10k_runs/200", |b| {
        b.iter(|| black_box(flow::simulate(&m, &cfg, &|_| {})))
    });
    g.finish();
}

criterion_group!(flow_benches, benches);
criterion_main!(flow_benches);
