//! Replays the committed fuzz corpus (`fuzz/corpus/{loader,check}`) through the same harnesses
//! the cargo-fuzz targets run (`tests/common/fuzz.rs`), so plain `cargo test` (and CI, without a
//! nightly toolchain) checks that none of those inputs panics.

mod common;

use std::path::Path;

fn replay(dir: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for p in entries {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let r = std::panic::catch_unwind(|| run(&bytes));
        assert!(r.is_ok(), "{} panicked", p.display());
        n += 1;
    }
    assert!(n > 0, "no corpus under {}", dir.display());
}

#[test]
fn loader_corpus_replays_without_panics() {
    replay("fuzz/corpus/loader", common::fuzz::loader);
}

#[test]
fn check_corpus_replays_without_panics() {
    replay("fuzz/corpus/check", common::fuzz::check);
}
