//! `corridor supply` and `corridor supply n1` on the default data: EPDK's 2023 figures, HHI
//! consistent with the shares, an exposed share that follows the network, and the N-1 terms.

mod common;

use assert_cmd::Command;
use serde_json::Value;

use common::run_json as run;

fn year(v: &Value, y: i64) -> &Value {
    v["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == y)
        .unwrap()
}

#[test]
fn epdk_2023_total_shares_and_hhi() {
    let v = run(&["supply", "--format", "json"]);
    let y = year(&v, 2023);
    // EPDK 2023 natural gas market report: 50.48 bcm, Russia 42.27 %, Azerbaijan 20.32 %.
    assert_eq!(y["total"].as_f64().unwrap(), 50.48);
    assert!((y["shares"]["Russia"].as_f64().unwrap() - 0.4227).abs() < 0.00005);
    assert!((y["shares"]["Azerbaijan"].as_f64().unwrap() - 0.2032).abs() < 0.00005);
    // HHI is the sum of squared percentage shares of the same rows.
    let shares: Vec<f64> = y["shares"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| s.as_f64().unwrap())
        .collect();
    let sum: f64 = shares.iter().sum();
    assert!((sum - 1.0).abs() < 1e-5, "shares sum to {sum}");
    let hhi: f64 = shares.iter().map(|s| (100.0 * s).powi(2)).sum();
    assert!((y["hhi"].as_f64().unwrap() - hhi).abs() < 0.5);
    // And within the range computed by hand from the published shares (2,525–2,543).
    assert!((2525.0..=2543.0).contains(&y["hhi"].as_f64().unwrap()));
    assert_eq!(y["unit"], "bcm");
}

#[test]
fn every_year_shares_sum_to_one() {
    let v = run(&["supply", "--format", "json"]);
    for y in v["years"].as_array().unwrap() {
        let sum: f64 = y["shares"]
            .as_object()
            .unwrap()
            .values()
            .map(|s| s.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 0.001, "{}: {sum}", y["year"]);
        match y["hhi"].as_f64() {
            Some(h) => {
                assert!(y["hhi_min"].as_f64().unwrap() <= h + 1e-6);
                assert!(h <= y["hhi_max"].as_f64().unwrap() + 1e-6);
            }
            // Not reported: named suppliers cover less than half of the year.
            None => assert!(y["covered_share"].as_f64().unwrap() < 0.5, "{y}"),
        }
    }
}

#[test]
fn a_year_with_an_unattributed_remainder_says_so() {
    let v = run(&[
        "supply", "--format", "json", "--from", "2012", "--to", "2012",
    ]);
    let y = year(&v, 2012);
    let u = y["shares"]["unattributed"].as_f64().unwrap();
    assert!(u > 0.5, "{u}");
    // Remainders: `unattributed` plus LNG whose origin no source gives.
    let lng = y["shares"]["LNG (unspecified)"].as_f64().unwrap_or(0.0);
    assert!((y["unattributed_share"].as_f64().unwrap() - (u + lng)).abs() < 2e-6);
    // Russia and Azerbaijan are inside the remainder: the HHI bounds are wide apart.
    assert!(y["hhi_max"].as_f64().unwrap() - y["hhi_min"].as_f64().unwrap() > 5000.0);
}

#[test]
fn exposed_share_2020_is_azerbaijans_share() {
    let v = run(&[
        "supply", "--format", "json", "--from", "2020", "--to", "2020",
    ]);
    let y = year(&v, 2020);
    let az = y["shares"]["Azerbaijan"].as_f64().unwrap();
    assert!(az > 0.2);
    assert_eq!(y["exposed_share"].as_f64().unwrap(), az);
    // The 2020 remainder is LNG, which does not cross the gap: the bound is tight.
    assert_eq!(y["exposed_share_max"].as_f64().unwrap(), az);
    let through: Vec<&str> = v["corridors_through_zone"]["2020"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for c in ["SCP", "TANAP", "BTC"] {
        assert!(through.contains(&c), "{through:?}");
    }
    for c in ["BLUE-STREAM", "TURKSTREAM", "IRAN-TR"] {
        assert!(!through.contains(&c), "{through:?}");
    }
}

#[test]
fn exposed_share_follows_the_network() {
    // Without SCP in the data nothing carries Azerbaijani gas through the gap.
    let mut args = vec![
        "supply", "--format", "json", "--from", "2020", "--to", "2020",
    ];
    let files: Vec<String> = std::fs::read_dir("data/network")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".geojson") && !p.ends_with("scp.geojson"))
        .collect();
    for f in &files {
        args.push("--network");
        args.push(f);
    }
    let v = run(&args);
    assert_eq!(year(&v, 2020)["exposed_share"].as_f64().unwrap(), 0.0);
    // A zone far from every corridor: nothing is exposed.
    let v = run(&[
        "supply", "--format", "json", "--from", "2020", "--to", "2020", "--zone", "gadabay",
    ]);
    assert_eq!(year(&v, 2020)["exposed_share"].as_f64().unwrap(), 0.0);
}

#[test]
fn n1_prints_every_term_with_its_source() {
    let v = run(&["supply", "n1", "--format", "json"]);
    let rows = v["n1"].as_array().unwrap();
    let std = rows.iter().find(|r| r["case"] == "standard").unwrap();
    let cm = rows.iter().find(|r| r["case"] == "common-mode").unwrap();
    // 100 × (EPm + Pm + Sm + LNGm − Im) / Dmax, recomputed from the printed terms.
    for r in [std, cm] {
        let f = |k: &str| r[k].as_f64().unwrap();
        let n1 = 100.0 * (f("epm") + f("pm") + f("sm") + f("lngm") - f("im")) / f("dmax");
        assert!((n1 - f("n1_percent")).abs() < 0.01, "{r}");
    }
    // Standard Im: the largest single entry (Blue Stream at Durusu, 16 bcm/y = 43.836 mcm/d).
    assert_eq!(std["im"].as_f64().unwrap(), 43.836);
    // Common mode: the loss when the Ganja gap is cut is larger than any single entry.
    assert!(cm["im"].as_f64().unwrap() > std["im"].as_f64().unwrap());
    assert!(cm["n1_percent"].as_f64().unwrap() < std["n1_percent"].as_f64().unwrap());
    for t in v["terms"].as_array().unwrap() {
        assert!(t["made_of"].is_string());
    }
    assert!(v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| !i["source"].as_str().unwrap().is_empty()));
    assert!(v["formula"]["source"]
        .as_str()
        .unwrap()
        .contains("2017/1938"));
}

#[test]
fn unknown_zone_is_a_clear_error() {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["supply", "--zone", "atlantis"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("atlantis") && err.contains("ganja-gap"),
        "{err}"
    );
}

#[test]
fn oil_imports_have_no_route_data_yet() {
    let v = run(&["supply", "--format", "json", "--commodity", "oil"]);
    let y = year(&v, 2015);
    assert!((y["total"].as_f64().unwrap() - 25.064776).abs() < 1e-6);
    assert!(y["exposed_share"].is_null());
}

// Before TANAP (2018) Azerbaijan's gas reached Türkiye only through SCP and the Türkgözü–Erzurum
// line, both through the Ganja gap: its whole share is exposed (EPDK 2015: 12.8 %), and a route
// over a corridor not yet built does not make the answer unknown.
#[test]
fn exposed_share_before_tanap_is_azerbaijans_share() {
    let v = run(&[
        "supply", "--format", "json", "--from", "2007", "--to", "2017",
    ]);
    for y in 2015..=2016 {
        let row = year(&v, y);
        let az = row["shares"]["Azerbaijan"].as_f64().unwrap();
        assert!(az > 0.12, "{y}: {az}");
        assert_eq!(row["exposed_share"].as_f64().unwrap(), az, "{y}");
        let through: Vec<&str> = v["corridors_through_zone"][y.to_string()]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(
            through.contains(&"SCP") && !through.contains(&"TANAP"),
            "{through:?}"
        );
    }
    // 2015: EPDK's 6.17 of 48.4 bcm.
    assert!((year(&v, 2015)["exposed_share"].as_f64().unwrap() - 0.128).abs() < 0.002);
}

// Where named suppliers cover less than half of a year, HHI and Shannon are not numbers to
// quote: 2010 and 2012 are wholly unattributed, and read null with their bounds (0–10,000) and
// the covered share, instead of HHI 10,000 and Shannon 0.
#[test]
fn concentration_is_null_where_attribution_is_missing() {
    let v = run(&[
        "supply", "--format", "json", "--from", "2010", "--to", "2013",
    ]);
    for y in [2010, 2012] {
        let row = year(&v, y);
        assert!(row["hhi"].is_null() && row["shannon"].is_null(), "{row}");
        assert_eq!(row["covered_share"].as_f64().unwrap(), 0.0);
        assert_eq!(row["hhi_max"].as_f64().unwrap(), 10000.0);
    }
    // 2013: Russia and Iran cover 77 %: the index is reported, within its bounds.
    let row = year(&v, 2013);
    let h = row["hhi"].as_f64().unwrap();
    assert!(row["hhi_min"].as_f64().unwrap() <= h && h <= row["hhi_max"].as_f64().unwrap());
    assert!(row["covered_share"].as_f64().unwrap() > 0.5);
}
