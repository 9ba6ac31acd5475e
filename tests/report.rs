//! `corridor report`: the main job writes every table and prints the numbers that matter;
//! a second run writes the same bytes.

mod common;
use common::files;

use assert_cmd::Command;

#[test]
fn report_writes_every_table_and_is_reproducible() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
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
    let fa = files(a.path());
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
        "simulate.json",
        "summary.txt",
    ] {
        assert!(
            fa.contains_key(name),
            "{name} missing: {:?}",
            fa.keys().collect::<Vec<_>>()
        );
    }
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
    // Quiet and reproducible.
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
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between runs");
    }
}
