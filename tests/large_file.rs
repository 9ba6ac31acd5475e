//! A large network file loads, with memory proportional to its size: 20 MB in the first tier,
//! 200 MB in the slow tier (`cargo test -- --ignored`).

use corridor::input::{load_network, LoadOptions, Source};
use std::fmt::Write;
use std::sync::Mutex;

/// Peak resident memory is per process: the two sizes never measure at the same time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Peak resident memory of this process in bytes (Linux), if known.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// `lines` lines of 1,000 vertices with six-decimal coordinates (about 20 kB of GeoJSON each)
/// load, and the peak grows by less than 3x the file.
fn loads_with_memory_proportional_to_it(lines: usize) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut body = String::with_capacity(lines * 21_000 + 1024);
    body.push_str(r#"{"type":"FeatureCollection","features":["#);
    for f in 0..lines {
        if f > 0 {
            body.push(',');
        }
        write!(body, r#"{{"type":"Feature","properties":{{"id":"s{f}","corridor":"C{}","commodity":"gas","capacity":1.5,"capacity_unit":"bcm/y"}},"geometry":{{"type":"LineString","coordinates":["#, f % 50).unwrap();
        let lat0 = 30.0 + (f % 300) as f64 * 0.05;
        for v in 0..1_000 {
            if v > 0 {
                body.push(',');
            }
            write!(
                body,
                "[{:.6},{:.6}]",
                20.0 + v as f64 * 0.013_731,
                lat0 + (v % 7) as f64 * 0.000_917
            )
            .unwrap();
        }
        body.push_str("]}}");
    }
    body.push_str("]}");
    let size = body.len() as u64;
    assert!(size > lines as u64 * 20_000, "{size}");
    let src = Source::new("big.geojson", body.into_bytes());
    let before = peak_rss();
    let (net, _) = load_network(std::slice::from_ref(&src), LoadOptions::default()).unwrap();
    assert_eq!(net.segments.len(), lines);
    assert_eq!(net.segments[lines - 1].line.0.len(), 1_000);
    if let (Some(before), Some(after)) = (before, peak_rss()) {
        // The file is held once (the test's own copy), the parsed features once more; the model
        // keeps 16 bytes per vertex against ~22 bytes of text. Allow 3x the file on top.
        let grown = after.saturating_sub(before);
        assert!(
            grown < 3 * size,
            "peak grew by {grown} bytes for a {size}-byte file"
        );
    }
}

#[test]
fn a_20_mb_file_loads_with_memory_proportional_to_it() {
    // Over the parallel parse's 1 MB threshold, cut into runs on every core like the big one.
    loads_with_memory_proportional_to_it(1_000);
}

#[test]
#[ignore = "slow tier (cargo test -- --ignored): builds and loads 200 MB"]
fn a_200_mb_file_loads_with_memory_proportional_to_it() {
    loads_with_memory_proportional_to_it(10_000);
}
