//! Loads a network file and reports the load time, throughput and peak memory (Linux VmHWM),
//! for BENCHMARKS.md:
//!
//! ```text
//! cargo run --release --example load_peak -- FILE
//! ```
//!
//! Prints: bytes, seconds, MB/s, peak RSS after reading the file, peak RSS after loading, and the
//! growth of the peak per byte of input (the model's footprint plus the parser's transient one),
//! and the resident memory once the file's bytes are dropped (the model, with whatever heap the
//! allocator kept).

use corridor::input::{load_network, LoadOptions, Source};
use std::time::Instant;

fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb * 1024)
}

fn rss(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with(key))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb * 1024)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_peak FILE");
        std::process::exit(2)
    };
    let src = match Source::read(std::path::Path::new(&path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    };
    let size = src.bytes.len() as f64;
    let before = peak_rss();
    let t = Instant::now();
    let net = match load_network(std::slice::from_ref(&src), LoadOptions::default()) {
        Ok((net, _)) => net,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1)
        }
    };
    let secs = t.elapsed().as_secs_f64();
    let after = peak_rss();
    // What stays: the model (and the heap the parse freed but the allocator keeps).
    let resident = rss("VmRSS:");
    drop(src);
    let model = rss("VmRSS:");
    println!(
        "{path}: {} segments, {:.1} MB in {secs:.3} s = {:.0} MB/s; peak RSS {:.0} MB with the file read, {:.0} MB after loading: +{:.2} bytes of peak RSS per byte of input (file itself excluded); resident {:.0} MB after loading, {:.0} MB once the file's bytes are dropped ({:.2} bytes per byte of input)",
        net.segments.len(),
        size / 1e6,
        size / 1e6 / secs,
        before as f64 / 1e6,
        after as f64 / 1e6,
        (after.saturating_sub(before)) as f64 / size,
        resident as f64 / 1e6,
        model as f64 / 1e6,
        model as f64 / size
    );
}
