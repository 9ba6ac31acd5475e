//! `corridor report`: the main job writes every table and prints the numbers that matter;
//! a second, quiet run prints nothing and writes the same bytes (slow tier: `cargo test --
//! --ignored`, as it is a second full run; the kills of `report` in `tests/atomic.rs` compare
//! whole runs too).

mod common;
use common::files;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tempfile::TempDir;

/// One `report --out DIR` run shared by the tests: the folder, its files and the summary.
fn first_run() -> &'static (TempDir, BTreeMap<String, Vec<u8>>, String) {
    static RUN: OnceLock<(TempDir, BTreeMap<String, Vec<u8>>, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        let a = tempfile::tempdir().unwrap();
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .args(["report", "--out"])
            .arg(a.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary = String::from_utf8(out.stdout).unwrap();
        let fa = files(a.path());
        (a, fa, summary)
    })
}

#[test]
fn report_writes_every_table() {
    let (_, fa, summary) = first_run();
    for needle in [
        "closest to the Armenia–Azerbaijan border",
        "If the Ganja gap is cut",
        "Worst single elements",
        "N-1 standard",
        "HHI",
        "Monte Carlo",
    ] {
        assert!(
            summary.contains(needle),
            "summary lacks {needle:?}:\n{summary}"
        );
    }
    for name in [
        "routes.json",
        "routes.csv",
        "check.json",
        "exposure.json",
        "exposure.csv",
        "exposure.geojson",
        "profile-btc.csv",
        "flow.json",
        "disrupt-ganja-gap.json",
        "rank.csv",
        "supply.json",
        "supply-n1.json",
        "map.html",
        "simulate.json",
        "summary.txt",
    ] {
        assert!(
            fa.contains_key(name),
            "{name} missing: {:?}",
            fa.keys().collect::<Vec<_>>()
        );
    }
    // The interactive map: one self-contained page, well under 5 MB on the default data.
    let map = String::from_utf8(fa["map.html"].clone()).unwrap();
    assert!(map.starts_with("<!DOCTYPE html>") && map.contains("const DATA = {\"lang\":\"en\""));
    assert!(map.len() < 5_000_000, "map.html is {} bytes", map.len());
    assert!(summary.contains("Interactive map (opens offline):"));
    // summary.txt is the terminal summary (which adds the folder to its last line).
    let saved = String::from_utf8(fa["summary.txt"].clone()).unwrap();
    assert!(
        summary.starts_with(saved.trim_end()),
        "{saved}\n---\n{summary}"
    );
    // The Monte Carlo is seeded, its parameters in meta.
    let sim: serde_json::Value = serde_json::from_slice(&fa["simulate.json"]).unwrap();
    assert_eq!(sim["meta"]["options"]["seed"], 2020);
    assert_eq!(sim["meta"]["options"]["runs"], 10000);
    // JSON tables are what the single commands print.
    let routes: serde_json::Value = serde_json::from_slice(&fa["routes.json"]).unwrap();
    let direct = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--format", "json"])
        .output()
        .unwrap();
    let direct: serde_json::Value = serde_json::from_slice(&direct.stdout).unwrap();
    assert_eq!(routes, direct);
}

#[test]
#[ignore = "slow tier (cargo test -- --ignored): a second full report run"]
fn report_is_quiet_and_reproducible() {
    let (_, fa, _) = first_run();
    let b = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["report", "-q", "--out"])
        .arg(b.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let fb = files(b.path());
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in fa {
        assert!(v == &fb[k], "{k} differs between runs");
    }
}
