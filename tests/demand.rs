//! Deliverability against demand: what reaches a market is at most what it consumes
//! (data/supply/demand.csv), reported beside the technical maximum, and disruption losses are
//! losses of served demand where the demand is known.

mod common;
use common::run_json;

fn market<'a>(v: &'a serde_json::Value, member: &str, name: &str) -> &'a serde_json::Value {
    v[member]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["market"] == name)
        .unwrap_or_else(|| panic!("{name} in {member}"))
}

#[test]
fn deliverable_is_served_demand_beside_the_technical_maximum() {
    let v = run_json(&["flow", "--year", "2016", "--format", "json"]);
    // Georgia 2016: 2.261 bcm consumed (GNERC), against SCP's 7.41 bcm/y to its offtake.
    let ge = market(&v, "markets", "Georgia");
    assert!(
        (ge["demand"].as_f64().unwrap() - 2.261).abs() < 1e-9,
        "{ge}"
    );
    assert!(
        (ge["deliverable"].as_f64().unwrap() - 2.261).abs() < 1e-9,
        "{ge}"
    );
    assert_eq!(ge["served_share"].as_f64().unwrap(), 1.0);
    assert!(
        (ge["capacity_to_market"].as_f64().unwrap() - 7.41).abs() < 1e-9,
        "{ge}"
    );
    // Türkiye 2016: 46.0 bcm (EMRA via AA, computed); the network can bring far more.
    let tr = market(&v, "markets", "Türkiye");
    assert!(
        (tr["deliverable"].as_f64().unwrap() - 46.0).abs() < 1e-9,
        "{tr}"
    );
    assert!(tr["capacity_to_market"].as_f64().unwrap() > 46.0);
    let notes: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("served demand")),
        "{notes:?}"
    );
}

#[test]
fn losses_say_whether_they_are_of_served_demand_or_capacity() {
    let v = run_json(&["disrupt", "--zone", "ganja-gap", "--format", "json"]);
    let tr = market(&v, "markets", "Türkiye");
    assert_eq!(tr["basis"], "served demand");
    // Greece's consumption is published in TWh only: its loss is of capacity, and says so.
    let gr = market(&v, "markets", "Greece");
    assert_eq!(gr["basis"], "capacity");
    assert!(gr["demand"].is_null());
    // Georgia's loss is bounded by what it consumes, not by SCP's 23.4 bcm/y.
    let ge = market(&v, "markets", "Georgia");
    assert!(ge["lost"].as_f64().unwrap() < 23.4, "{ge}");
    assert_eq!(ge["lost"], ge["demand"]);
}
