//! `corridor routes` on the default dataset and on GEM files: measured lengths against an
//! independent geodesic computation and against the operators' published figures.

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn routes_json(args: &[&str]) -> Value {
    let mut all = vec!["routes", "--format", "json"];
    all.extend_from_slice(args);
    common::run_json(&all)
}

fn route<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["corridor"] == id)
        .unwrap_or_else(|| panic!("corridor {id} missing"))
}

#[test]
fn default_dataset_lists_every_corridor_with_its_keys() {
    let v = routes_json(&[]);
    assert_eq!(v["meta"]["tool"], "corridor");
    assert!(!v["meta"]["inputs"].as_array().unwrap().is_empty());
    for id in [
        "BTC",
        "SCP",
        "TANAP",
        "TAP",
        "WREP",
        "BLUE-STREAM",
        "TURKSTREAM",
        "TRANS-BALKAN",
        "IRAN-TR",
    ] {
        let r = route(&v, id);
        for key in [
            "corridor",
            "commodity",
            "capacity",
            "capacity_unit",
            "length_km",
            "nominal_length_km",
            "countries",
            "segments",
        ] {
            assert!(r.get(key).is_some(), "{id} lacks {key}");
        }
        assert!(
            r["capacity"].as_f64().unwrap() > 0.0,
            "{id} has no capacity"
        );
        assert!(r["segments"].as_u64().unwrap() >= 1);
        let unit = r["capacity_unit"].as_str().unwrap();
        match r["commodity"].as_str().unwrap() {
            "oil" => assert_eq!(unit, "kb/d"),
            "gas" => assert_eq!(unit, "bcm/y"),
            other => panic!("{id} commodity {other}"),
        }
        // The per-country split adds up to the measured length.
        let sum: f64 = r["countries"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        let len = r["length_km"].as_f64().unwrap();
        assert!(
            (sum - len).abs() < 0.01 * len.max(1.0),
            "{id}: countries sum {sum} vs length {len}"
        );
    }
}

#[test]
fn btc_length_and_country_split_match_the_operator() {
    // BP / BTC Co: 1,768 km = Azerbaijan 443 + Georgia 249 + Türkiye 1,076.
    let v = routes_json(&[]);
    let btc = route(&v, "BTC");
    let len = btc["length_km"].as_f64().unwrap();
    assert!((len - 1768.0).abs() / 1768.0 < 0.07, "BTC {len} km");
    assert_eq!(btc["nominal_length_km"].as_f64().unwrap(), 1768.0);
    assert_eq!(
        btc["capacity"].as_f64().unwrap(),
        1200.0,
        "1.2 million b/d since 2009"
    );
    let c = &btc["countries"];
    for (iso, km) in [("AZE", 443.0), ("GEO", 249.0), ("TUR", 1076.0)] {
        let share = c[iso].as_f64().unwrap() / len;
        let published = km / 1768.0;
        assert!(
            (share - published).abs() < 0.03,
            "{iso}: {share} vs {published}"
        );
    }
}

#[test]
fn tap_length_matches_the_operator() {
    let v = routes_json(&[]);
    let len = route(&v, "TAP")["length_km"].as_f64().unwrap();
    assert!((len - 878.0).abs() / 878.0 < 0.05, "TAP {len} km");
}

#[test]
fn gem_lengths_agree_with_geographiclib() {
    // Independent figures: Python geographiclib 2.0 (Karney), WGS84, summing
    // Geodesic.WGS84.Inverse over consecutive vertices of the same files:
    // GEM_P0644 (BTC) 1654.3492677 km, GEM_P0724 (TAP) 868.8760010 km, GEM_P0759 (SCP) 662.9791082 km.
    for (file, expected) in [
        ("tests/fixtures/gem/GEM_P0644.geojson", 1654.3492677),
        ("tests/fixtures/gem/GEM_P0724.geojson", 868.8760010),
        ("tests/fixtures/gem/GEM_P0759.geojson", 662.9791082),
    ] {
        let v = routes_json(&["--network", file]);
        let total: f64 = v["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["length_km"].as_f64().unwrap())
            .sum();
        assert!(
            (total - expected).abs() < 0.005,
            "{file}: {total} vs {expected}"
        );
    }
}

#[test]
fn gem_btc_reads_capacity_fuel_and_length() {
    let v = routes_json(&["--network", "tests/fixtures/gem/GEM_P0644.geojson"]);
    let r = route(&v, "Baku-Tbilisi-Ceyhan Pipeline");
    assert_eq!(r["commodity"], "oil");
    // "1,200,000.00" bpd → 1200 kb/d.
    assert_eq!(r["capacity"].as_f64().unwrap(), 1200.0);
    assert_eq!(r["nominal_length_km"].as_f64().unwrap(), 1768.0);
    assert_eq!(r["geometry"], "mapped");
}

#[test]
fn year_filter_drops_later_corridors() {
    // TANAP (2018), TAP (2020) and TurkStream (2020) did not exist in 2010; BTC (2006) did.
    let v = routes_json(&["--year", "2010"]);
    let ids: Vec<&str> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["corridor"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"BTC"));
    for later in ["TANAP", "TAP", "TURKSTREAM"] {
        assert!(!ids.contains(&later), "{later} in 2010: {ids:?}");
    }
    assert_eq!(v["meta"]["year"], 2010);
}

#[test]
fn csv_has_one_row_per_corridor_and_dotted_country_columns() {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "countries.AZE"), "{headers:?}");
    assert!(headers.iter().any(|h| h == "length_km"));
    let json = routes_json(&[]);
    assert_eq!(
        rdr.records().count(),
        json["routes"].as_array().unwrap().len()
    );
}
