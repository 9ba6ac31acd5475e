//! Exposure (`corridor::analysis::exposure::exposure`: every corridor × zone, min distance with closest
//! point and chainage, inside_km and within_km for the default bands 10/20/40/70 km) on seeded
//! synthetic networks (`corridor::synthetic`: corridors of 100 segments × 24 vertices) against
//! 50 zones (25 polygons, 12–13 border-like lines, 12 points), at 10^3, 10^4 and 10^5 segments;
//! `CORRIDOR_BENCH_FULL=1` adds 10^6 (about a minute). Run: `cargo bench --features bench --bench exposure`.

use corridor::analysis::exposure::{exposure, DEFAULT_BANDS_KM};
use corridor::model::Zone;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::time::Duration;

mod common;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("exposure");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for n in common::sizes(Some(1_000_000)) {
        let (net, zones) = common::inputs(n);
        let zs: Vec<&Zone> = zones.iter().collect();
        g.bench_with_input(BenchmarkId::new("segments_x50_zones", n), &n, |b, _| {
            b.iter(|| {
                std::hint::black_box(exposure(&net, &zs, &DEFAULT_BANDS_KM, false).rows.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
