//! `--commodity` is a filter (only that commodity's lines, markets and ranking), never a relabel;
//! `--default-commodity` gives a commodity to lines that state none, and refuses lines that
//! state another.

mod common;
use common::run_json;

use assert_cmd::Command;

fn rows<'a>(v: &'a serde_json::Value, member: &str) -> &'a Vec<serde_json::Value> {
    v[member].as_array().expect("rows")
}

#[test]
fn commodity_filters_routes_flow_and_rank() {
    let gas = run_json(&["routes", "--commodity", "gas", "--format", "json"]);
    let ids: Vec<&str> = rows(&gas, "routes")
        .iter()
        .map(|r| r["corridor"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"BTC") && !ids.contains(&"WREP"), "{ids:?}");
    assert!(ids.contains(&"SCP") && ids.contains(&"TANAP"), "{ids:?}");
    assert!(rows(&gas, "routes").iter().all(|r| r["commodity"] == "gas"));

    let oil = run_json(&["flow", "--commodity", "oil", "--format", "json"]);
    let markets = rows(&oil, "markets");
    assert!(!markets.is_empty());
    assert!(
        markets.iter().all(|m| m["commodity"] == "oil"),
        "{markets:?}"
    );
    // The oil markets keep their deliverability: filtering is not relabelling.
    let ceyhan = markets
        .iter()
        .find(|m| m["market"] == "Ceyhan export")
        .expect("Ceyhan");
    assert!(ceyhan["deliverable"].as_f64().unwrap() > 1000.0);

    let rank = run_json(&["rank", "--commodity", "gas", "--format", "json"]);
    let ranking = rows(&rank, "ranking");
    assert!(!ranking.is_empty());
    assert!(
        ranking.iter().all(|r| r["commodity"] == "gas"),
        "{ranking:?}"
    );
}

fn file(body: &str) -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new()
        .suffix(".geojson")
        .tempfile()
        .expect("temp file");
    std::fs::write(f.path(), body).expect("write");
    f
}

const LINE_NO_COMMODITY: &str = r#"{"type":"Feature","properties":{"id":"a","corridor":"X"},"geometry":{"type":"LineString","coordinates":[[44,41],[44.5,41.2]]}}"#;
const LINE_OIL: &str = r#"{"type":"Feature","properties":{"id":"b","corridor":"Y","commodity":"oil"},"geometry":{"type":"LineString","coordinates":[[45,41],[45.5,41.2]]}}"#;

#[test]
fn default_commodity_fills_lines_without_one_and_refuses_contradictions() {
    let f = file(&format!(
        r#"{{"type":"FeatureCollection","features":[{LINE_NO_COMMODITY}]}}"#
    ));
    let path = f.path().to_str().unwrap();
    let v = run_json(&[
        "routes",
        "--network",
        path,
        "--default-commodity",
        "gas",
        "--format",
        "json",
    ]);
    assert_eq!(rows(&v, "routes")[0]["commodity"], "gas");
    // Without the default the line has no commodity.
    let v = run_json(&["routes", "--network", path, "--format", "json"]);
    assert_eq!(rows(&v, "routes")[0]["commodity"], "unknown");

    let f = file(&format!(
        r#"{{"type":"FeatureCollection","features":[{LINE_NO_COMMODITY},{LINE_OIL}]}}"#
    ));
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--default-commodity", "gas", "--network"])
        .arg(f.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("commodity") && err.contains("oil") && err.contains("feature 1"),
        "{err}"
    );
}
