//! The fuzz harnesses, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`) and the
//! corpus replay in `cargo test` (`tests/fuzz_corpus.rs`, `tests/fuzz_regressions.rs`), so CI
//! replays exactly what the fuzzer ran. Neither may panic, whatever the bytes.
#![allow(dead_code)]

use corridor::input::schema::Schema;
use corridor::input::{load_network, load_zones, LoadOptions, Source};
use corridor::model::Commodity;

/// The loader: the sequential and parallel parses (which must agree), `load_network` with the
/// schema and commodity options picked by the first byte, `load_zones`, and the topology of any
/// network that loads.
pub fn loader(data: &[u8]) {
    let (opt, bytes) = match data.split_first() {
        Some((b, rest)) if *b < 0x20 => (*b, rest),
        _ => (0, data),
    };
    let schema = match opt & 3 {
        1 => Some(Schema::Corridor),
        2 => Some(Schema::Gem),
        3 => Some(Schema::Osm),
        _ => None,
    };
    let commodity = match (opt >> 2) & 3 {
        1 => Some(Commodity::Gas),
        2 => Some(Commodity::Oil),
        _ => None,
    };
    let seq = corridor::input::parse::parse_collection_sequential("fuzz.geojson", bytes);
    // The parallel parse (cut into runs of 1 or 64 bytes, bit 4 of the option byte) answers only
    // with a success, and then with exactly what the sequential parse read (Debug shows every
    // float to the bit).
    let cut = if opt & 0x10 == 0 { 1 } else { 64 };
    if let Some(par) = corridor::input::parse::parse_collection_parallel("fuzz.geojson", bytes, cut)
    {
        assert_eq!(
            format!("{:?}", Ok::<_, ()>(&par)),
            format!("{:?}", seq.as_ref().map_err(|_| ())),
            "parallel and sequential parses differ"
        );
    }
    let src = Source::new("fuzz.geojson", bytes.to_vec());
    if let Ok((net, _report)) = load_network(
        std::slice::from_ref(&src),
        LoadOptions {
            schema,
            default_commodity: commodity,
            ..LoadOptions::default()
        },
    ) {
        let topo = corridor::topology::build(&net, corridor::topology::DEFAULT_SNAP_M);
        std::hint::black_box(&topo);
    }
    let _ = load_zones(std::slice::from_ref(&src));
}

/// `check` on one file, or on two (split at the first NUL byte).
pub fn check(data: &[u8]) {
    let sources: Vec<Source> = match data.iter().position(|&b| b == 0) {
        Some(i) => vec![
            Source::new("a.geojson", data[..i].to_vec()),
            Source::new("b.geojson", data[i + 1..].to_vec()),
        ],
        None => vec![Source::new("a.geojson", data.to_vec())],
    };
    let r = corridor::analysis::check::check(
        &sources,
        LoadOptions::default(),
        corridor::topology::DEFAULT_SNAP_M,
    );
    std::hint::black_box(r.problems.len());
}
