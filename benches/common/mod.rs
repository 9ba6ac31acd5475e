//! Shared by the benches: the sizes to run and the seeded synthetic inputs
//! (`corridor::synthetic`), generated once under `$CORRIDOR_BENCH_DIR` (default
//! `target/bench-data`) and reused by `bench/compare.py`.
#![allow(dead_code)]

use corridor::input::{load_network, load_zones, LoadOptions, Source};
use corridor::model::{Network, Zone};

/// `CORRIDOR_BENCH_FULL=1` adds the heaviest sizes.
pub fn full() -> bool {
    std::env::var_os("CORRIDOR_BENCH_FULL").is_some_and(|s| s == "1")
}

/// 10^3, 10^4, 10^5, and `full_max` with `CORRIDOR_BENCH_FULL=1`; only 10^3 with
/// `CORRIDOR_BENCH_SMOKE=1` (the CI smoke run: `cargo test --features bench --benches`).
pub fn sizes(full_max: Option<usize>) -> Vec<usize> {
    if std::env::var_os("CORRIDOR_BENCH_SMOKE").is_some_and(|s| s == "1") {
        return vec![1_000];
    }
    let mut v = vec![1_000, 10_000, 100_000];
    if let (true, Some(m)) = (full(), full_max) {
        v.push(m);
    }
    v
}

/// The network file of `n` segments (seed 1), read into memory.
pub fn network_source(n: usize) -> Source {
    let dir = corridor::synthetic::bench_dir();
    let (net, _) = corridor::synthetic::ensure_files(&dir, n, 50, 1).expect("bench data");
    Source::read(&net).expect("bench data")
}

/// The network of `n` segments and its 50 zones, loaded.
pub fn inputs(n: usize) -> (Network, Vec<Zone>) {
    let dir = corridor::synthetic::bench_dir();
    let (net, zones) = corridor::synthetic::ensure_files(&dir, n, 50, 1).expect("bench data");
    let net = load_network(
        &[Source::read(&net).expect("bench data")],
        LoadOptions::default(),
    )
    .expect("bench data")
    .0;
    let zones = load_zones(&[Source::read(&zones).expect("bench data")]).expect("bench data");
    (net, zones)
}
