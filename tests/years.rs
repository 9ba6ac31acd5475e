//! `--year` gives one vintage everywhere: the network of that year with that year's capacities
//! (data/network/capacity_history.csv), the supply of that year, and a refusal (exit 2) for a
//! year outside the data; planned expansions only with `--include-planned`, labelled as such.

mod common;
use common::run_json;

use assert_cmd::Command;

fn corridor(v: &serde_json::Value, id: &str) -> Option<serde_json::Value> {
    v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["corridor"] == id)
        .cloned()
}

fn status(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn capacities_follow_the_year() {
    // SCP ran at its original 7.41 bcm/y (SGC) until the SCPx expansion of 2018.
    let v = run_json(&["routes", "--year", "2010", "--format", "json"]);
    let scp = corridor(&v, "SCP").expect("SCP in 2010");
    assert!(
        (scp["capacity"].as_f64().unwrap() - 7.41).abs() < 1e-9,
        "{scp}"
    );
    assert!(corridor(&v, "TANAP").is_none());
    let v = run_json(&["routes", "--year", "2019", "--format", "json"]);
    assert_eq!(corridor(&v, "SCP").unwrap()["capacity"], 23.4);
    // BTC: 1.0 mb/d until the drag-reducing agent of March 2009.
    let v = run_json(&["routes", "--year", "2007", "--format", "json"]);
    assert_eq!(corridor(&v, "BTC").unwrap()["capacity"], 1000.0);

    // Flow sees the same capacities: Georgia's offtake from SCP in 2010 is at most 7.41.
    let v = run_json(&["flow", "--year", "2010", "--format", "json"]);
    let georgia = v["markets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["market"] == "Georgia")
        .expect("Georgia");
    assert!(
        georgia["deliverable"].as_f64().unwrap() <= 7.41 + 1e-9,
        "{georgia}"
    );
}

#[test]
fn years_outside_the_data_are_refused() {
    let (code, err) = status(&["routes", "--year", "1900"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("1988"), "{err}");
    let (code, err) = status(&["flow", "--year", "2090"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--include-planned"), "{err}");
    let (code, _) = status(&["routes", "--include-planned"]);
    assert_eq!(code, Some(2));
    // The N-1 inputs describe the present: a past year is refused, never mixed.
    let (code, err) = status(&["supply", "n1", "--year", "1990"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn planned_expansions_only_when_asked_and_labelled() {
    let v = run_json(&[
        "routes",
        "--year",
        "2030",
        "--include-planned",
        "--format",
        "json",
    ]);
    // TAP's first expansion step (binding commitments for 1 Jan 2026): 11.2 bcm/y, planned.
    let tap = corridor(&v, "TAP").unwrap();
    assert!(
        (tap["capacity"].as_f64().unwrap() - 11.2).abs() < 1e-9,
        "{tap}"
    );
    assert_eq!(tap["capacity_status"], "planned");
    assert!(corridor(&v, "SCP")
        .unwrap()
        .get("capacity_status")
        .is_none());
    let notes = v["notes"].as_array().expect("notes").clone();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("PLANNED") && n.as_str().unwrap().contains("TAP")),
        "{notes:?}"
    );
    // The same year's network without the opt-in is refused rather than shown as the present.
    let (code, _) = status(&["routes", "--year", "2030"]);
    assert_eq!(code, Some(2));
}

#[test]
fn supply_honours_the_year() {
    let v = run_json(&["supply", "--year", "2015", "--format", "json"]);
    let years: Vec<i64> = v["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, vec![2015]);
    let (code, _) = status(&["supply", "--year", "2015", "--from", "2016"]);
    assert_eq!(code, Some(2));
}
