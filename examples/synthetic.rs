//! Writes a seeded synthetic network and zone file (see `corridor::synthetic`), for benchmarks
//! and `bench/compare.py`:
//!
//! ```text
//! cargo run --release --example synthetic -- SEGMENTS [ZONES=50] [SEED=1] [DIR=target/bench-data]
//! ```
//!
//! Prints the two paths, network first. Existing files of the same name are reused.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, default: u64| -> u64 {
        match args.get(i) {
            None => default,
            Some(s) => s.replace('_', "").parse().unwrap_or_else(|_| {
                eprintln!("usage: synthetic SEGMENTS [ZONES] [SEED] [DIR]: {s:?} is not a number");
                std::process::exit(2)
            }),
        }
    };
    let segments = num(0, 1_000) as usize;
    let zones = num(1, 50) as usize;
    let seed = num(2, 1);
    let dir = args
        .get(3)
        .map(PathBuf::from)
        .unwrap_or_else(corridor::synthetic::bench_dir);
    match corridor::synthetic::ensure_files(&dir, segments, zones, seed) {
        Ok((n, z)) => {
            println!("{}", n.display());
            println!("{}", z.display());
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1)
        }
    }
}
