//! Exposure (`corridor::analysis::exposure::exposure`: every corridor × zone, min distance with closest
//! point and chainage, inside_km and within_km for the default bands 10/20/40/70 km):
//!
//! - `exposure/segments_x50_zones/N`: seeded synthetic networks (`corridor::synthetic`:
//!   corridors of 100 segments × 24 vertices) against 50 zones (25 polygons, 12–13 border-like
//!   lines, 12 points), at 10^3, 10^4 and 10^5 segments; `CORRIDOR_BENCH_FULL=1` adds 10^6
//!   (about a minute).
//! - `exposure_gem/…`: two real files of Global Energy Monitor's route repository
//!   (`tests/fixtures/gem-real/`, CC BY 4.0, see its README) against the default zones embedded
//!   in the binary (`data/zones`, 18 zones), as `corridor exposure --network FILE` runs them:
//!   `gas-pipelines/P1287` (Argentina and Chile, 75,226 vertices, about 14,000 km from the
//!   zones: it ran for more than 20 minutes before the far search used geodesic balls, issue
//!   12) and `liquid-pipelines/P1240` (Allen – Puerto Rosales, 23 MultiLineStrings).
//!
//! Run: `cargo bench --features bench --bench exposure`. With `CORRIDOR_BENCH_SMOKE=1` (CI) the
//! synthetic group runs only 10^3 and both GEM files run once each.

use corridor::analysis::exposure::{exposure, DEFAULT_BANDS_KM};
use corridor::input::{embedded, load_network, load_zones, LoadOptions, Source};
use corridor::model::Zone;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::Path;
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

/// GEM's files, by path under `tests/fixtures/gem-real/` (the folder gives the commodity).
const GEM: [&str; 2] = [
    "gas-pipelines/P1287.geojson",
    "liquid-pipelines/P1240.geojson",
];

fn bench_gem(c: &mut Criterion) {
    let zones = load_zones(&embedded::zones()).expect("embedded zones");
    let zs: Vec<&Zone> = zones.iter().collect();
    let mut g = c.benchmark_group("exposure_gem");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for rel in GEM {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/gem-real")
            .join(rel);
        let src = Source::read(&path).expect("GEM fixture");
        let net = load_network(std::slice::from_ref(&src), LoadOptions::default())
            .expect("GEM fixture")
            .0;
        let name = Path::new(rel).file_stem().unwrap().to_string_lossy();
        g.bench_function(BenchmarkId::new("default_zones", &name), |b| {
            b.iter(|| {
                std::hint::black_box(exposure(&net, &zs, &DEFAULT_BANDS_KM, false).rows.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_gem);
criterion_main!(benches);
