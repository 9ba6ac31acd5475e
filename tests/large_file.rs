//! A 200 MB network file loads, with memory proportional to its size.

use corridor::input::{load_network, LoadOptions, Source};
use std::fmt::Write;

/// Peak resident memory of this process in bytes (Linux), if known.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_200_mb_file_loads_with_memory_proportional_to_it() {
    // 10,000 lines of 1,000 vertices with six-decimal coordinates: about 200 MB of GeoJSON.
    let mut body = String::with_capacity(210 << 20);
    body.push_str(r#"{"type":"FeatureCollection","features":["#);
    for f in 0..10_000 {
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
    assert!(size > 200_000_000, "{size}");
    let src = Source::new("big.geojson", body.into_bytes());
    let before = peak_rss();
    let (net, _) = load_network(std::slice::from_ref(&src), LoadOptions::default()).unwrap();
    assert_eq!(net.segments.len(), 10_000);
    assert_eq!(net.segments[9_999].line.0.len(), 1_000);
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
