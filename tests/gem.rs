//! Global Energy Monitor route files load without `--schema`, and what cannot be mapped is
//! reported by `check`, not guessed.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;

fn check_json(files: &[&str]) -> (bool, Value) {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["check", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    (
        out.status.success(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn every_reference_gem_file_loads_without_schema() {
    let mut files: Vec<String> = fs::read_dir("tests/fixtures/gem")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".geojson"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 14);
    for f in &files {
        let (ok, v) = check_json(&[f]);
        let errors: Vec<&Value> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["severity"] == "error")
            .collect();
        assert!(ok && errors.is_empty(), "{f}: {errors:?}");
        assert!(v["summary"]["segments"].as_u64().unwrap() >= 1, "{f}");
    }
}

#[test]
fn unmapped_values_are_reported() {
    // P0759 carries no fuel (only a drawing tool's `id` and `Name`, read by the generic schema):
    // the lines load as `unknown` and check warns.
    let (_, v) = check_json(&["tests/fixtures/gem/GEM_P0759.geojson"]);
    let msgs: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(msgs.iter().any(|m| m.contains("no commodity")), "{msgs:?}");
    assert!(
        msgs.iter().any(|m| m.contains("generic schema")),
        "{msgs:?}"
    );
    // The Europe Gas Tracker's start_year "2" is not a year: reported, not guessed.
    let (_, v) =
        check_json(&["tests/fixtures/gem/GEM_europe_gas_tracker_turkey_caucasus_subset.geojson"]);
    let msgs: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("start_year") && m.contains("not a year")),
        "{msgs:?}"
    );
}

#[test]
fn an_unseen_gem_file_loads_the_same_way() {
    // A tracker file written here, never seen by the code: placeholders, thousands separators,
    // a unit in capitals, a MultiLineString in two parts that join end to end.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("GEM_P9999.geojson");
    fs::write(
        &path,
        r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features":[{"type":"Feature","properties":{"ProjectID":"P9999","PipelineName":"Test Crude Line","SegmentName":"--",
        "Fuel":"Oil","Capacity":"250,000.00","CapacityUnits":"BPD","StartYear1":"2011","StopYear":"","Status":"operating",
        "LengthKnownKm":"--"},
        "geometry":{"type":"MultiLineString","coordinates":[[[40.0,40.0],[40.5,40.0]],[[40.5,40.0],[41.0,40.0]]]}}]}"#,
    )
    .unwrap();
    let p = path.display().to_string();
    let (ok, v) = check_json(&[&p]);
    assert!(ok, "{v}");
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--format", "json", "--network", &p])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["routes"][0];
    assert_eq!(r["corridor"], "Test Crude Line");
    assert_eq!(r["commodity"], "oil");
    assert_eq!(r["capacity"].as_f64().unwrap(), 250.0);
    assert!(r["nominal_length_km"].is_null(), "`--` means missing");
    assert_eq!(r["segments"], 2);
    // Independent: geographiclib Inverse(40,40 → 40,40.5) + Inverse(40,40.5 → 40,41)
    // = 85,393.745 m.
    let len = r["length_km"].as_f64().unwrap();
    assert!((len - 85.393745).abs() < 0.0005, "{len}");
}
