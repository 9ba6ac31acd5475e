//! The command line an analyst expects: discovery (`list`, `explain`, completions, the man page,
//! examples in `--help`), the ecosystem's habits (exit status 2 for bad usage, `--out` rules,
//! formats from the extension, negative numbers), and readable tables and CSV.

mod common;
use common::run_json;

use assert_cmd::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_usage_exits_2_and_bad_data_exits_1() {
    for args in [
        &["routes", "--nope"][..],
        &["exposure", "--zone", "atlantis"],
        &["disrupt", "--node", "nowhere"],
        &["profile", "--corridor", "NOPE", "--zone", "tovuz"],
        &["routes", "--format", "geojson"],
        &["exposure", "--bands", "0"],
        &["simulate", "--runs", "0", "--seed", "1"],
        &["routes", "--year", "1900"],
        &["figures", "--only", "nope"],
        &["explain", "nothing-like-it"],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // Negative numbers reach the checks, which name the flag.
    let (code, _, err) = run(&["exposure", "--bands", "-5"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--bands must be positive"), "{err}");
    let (code, _, err) = run(&["simulate", "--runs", "-4", "--seed", "1"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("at least 1"), "{err}");
    // Bad data is 1.
    let f = tempfile::Builder::new()
        .suffix(".geojson")
        .tempfile()
        .unwrap();
    std::fs::write(f.path(), "{ not json").unwrap();
    let (code, _, _) = run(&["routes", "--network", f.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
}

#[test]
fn no_rust_internals_in_messages() {
    let (code, _, err) = run(&["supply", "--from", "2030"]);
    assert_eq!(code, Some(2));
    assert!(!err.contains("Some(") && !err.contains("None"), "{err}");
    assert!(err.contains("from 2030"), "{err}");
}

#[test]
fn out_rules() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist is an error naming it; nothing is created.
    let missing = dir.path().join("no/such/folder/r.json");
    let (code, _, err) = run(&["routes", "--out", missing.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no/such/folder"), "{err}");
    assert!(!dir.path().join("no").exists());
    // The format follows the extension.
    let json = dir.path().join("routes.json");
    let (code, _, _) = run(&["routes", "--out", json.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(v["routes"].is_array());
    let csv = dir.path().join("routes.csv");
    run(&["routes", "--out", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .starts_with("corridor,"));
    // An extension that contradicts --format is bad usage.
    let (code, _, err) = run(&["routes", "--format", "json", "--out", csv.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn tables_and_csv_read_well() {
    // lon/lat to 5 decimals (one decimal would be 10 km).
    let (_, table, _) = run(&["exposure", "--zone", "tovuz", "--corridor", "BTC"]);
    let row = table.lines().nth(2).unwrap();
    assert!(
        row.contains("45.87495") && row.contains("40.96685"),
        "{table}"
    );
    // No empty blocks: cutting a node lists nodes, and no empty `segments:` line.
    let (_, table, _) = run(&["disrupt", "--node", "kipoi"]);
    assert!(table.contains("nodes: kipoi"), "{table}");
    assert!(
        !table.contains("segments: \n") && !table.contains("segments:\n"),
        "{table}"
    );
    // "1 zone", not "1 zones".
    let (_, table, _) = run(&["check"]);
    assert!(table.contains("zone file: 1 zone (ganja-gap)"), "{table}");
    assert!(!table.contains("1 zones"));
    // CSV: a parent's dotted columns together and sorted, 0 where a row lacks the key.
    let (_, csv, _) = run(&["routes", "--format", "csv"]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let countries: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("countries."))
        .map(|(i, _)| i)
        .collect();
    assert!(countries.windows(2).all(|w| w[1] == w[0] + 1), "{header:?}");
    let names: Vec<&str> = countries.iter().map(|&i| header[i]).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let btc: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("BTC,"))
        .unwrap()
        .split(',')
        .collect();
    let rus = header.iter().position(|h| *h == "countries.RUS").unwrap();
    assert_eq!(btc[rus], "0");
}

#[test]
fn version_names_the_dataset() {
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, Some(0));
    let digest = out
        .split("sha256 ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n']);
    assert_eq!(digest.len(), 64, "{out}");
    assert!(digest.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn list_explain_completions_man_and_examples() {
    let zones = run_json(&["list", "zones", "--format", "json"]);
    let z = zones["zones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["id"] == "ganja-gap")
        .unwrap();
    assert_eq!(z["kind"], "chokepoint");
    let corridors = run_json(&["list", "corridors", "--format", "json"]);
    let btc = corridors["corridors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["corridor"] == "BTC")
        .unwrap();
    assert_eq!(btc["commodity"], "oil");
    assert_eq!(btc["from"], 2006);
    assert_eq!(btc["geometry"], "mapped");
    assert!(btc["source"].as_str().unwrap().contains("P0644"));
    for what in ["segments", "nodes", "markets"] {
        let v = run_json(&["list", what, "--format", "json"]);
        assert!(!v[what].as_array().unwrap().is_empty(), "{what}");
    }
    let figs = run_json(&["list", "figures", "--format", "json"]);
    let f = figs["figures"].as_array().unwrap();
    assert_eq!(f.len(), 9);
    assert!(f.iter().all(|x| !x["caption"].as_str().unwrap().is_empty()));

    let e = run_json(&["explain", "BTC", "--format", "json"]);
    assert!((e["corridor"][0]["length_km"].as_f64().unwrap() - 1654.3).abs() < 0.1);
    assert!(e["exposure"].as_array().unwrap().len() > 5);
    assert!(e["cutting_it_costs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["market"] == "Ceyhan export"));
    assert!(e["capacity_history"].as_array().unwrap().len() >= 2);
    let e = run_json(&["explain", "kipoi", "--format", "json"]);
    assert_eq!(e["node"][0]["kind"], "junction");

    let (code, bash, _) = run(&["completions", "bash"]);
    assert_eq!(code, Some(0));
    assert!(bash.contains("corridor") && bash.contains("--network"));
    let (_, zsh, _) = run(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef corridor"));
    let (code, man, _) = run(&["man"]);
    assert_eq!(code, Some(0));
    assert!(man.contains(".TH corridor 1") && man.contains("exposure"));
    for cmd in [
        "routes", "exposure", "flow", "rank", "supply", "figures", "explain",
    ] {
        let (_, help, _) = run(&[cmd, "--help"]);
        assert!(help.contains("Examples:\n  corridor "), "{cmd}: {help}");
    }
}

#[test]
fn add_network_and_corridor_filter() {
    let f = tempfile::Builder::new()
        .suffix(".geojson")
        .tempfile()
        .unwrap();
    std::fs::write(
        f.path(),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x-1","corridor":"EXTRA","commodity":"gas","capacity":5,"capacity_unit":"bcm/y"},"geometry":{"type":"LineString","coordinates":[[44.5,41.5],[45.0,41.7]]}}]}"#,
    )
    .unwrap();
    let v = run_json(&[
        "routes",
        "--add-network",
        f.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let ids: Vec<&str> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["corridor"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"BTC") && ids.contains(&"EXTRA"), "{ids:?}");
    let v = run_json(&[
        "exposure",
        "--corridor",
        "BTC",
        "--corridor",
        "SCP",
        "--format",
        "json",
    ]);
    let mut seen: Vec<&str> = v["exposure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["corridor"].as_str().unwrap())
        .collect();
    seen.dedup();
    assert_eq!(seen, vec!["BTC", "SCP"]);
}
