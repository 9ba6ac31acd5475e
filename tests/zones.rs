//! The whole Armenian border, not only the Armenia–Azerbaijan line: the embedded zones hold the
//! Armenia–Türkiye border and Armenia's territory (derived from the Natural Earth basemap), and
//! exposure names each zone by its id.

mod common;
use common::run_json;

fn row<'a>(v: &'a serde_json::Value, corridor: &str, zone: &str) -> &'a serde_json::Value {
    v["exposure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["corridor"] == corridor && r["zone"] == zone)
        .unwrap_or_else(|| panic!("{corridor} × {zone}"))
}

#[test]
fn armenia_turkiye_border_and_armenias_territory() {
    let v = run_json(&[
        "exposure",
        "--zone",
        "arm-tur-border",
        "--zone",
        "armenia",
        "--zone",
        "arm-aze-border",
        "--format",
        "json",
    ]);
    // TANAP runs about 44 km from Armenia, along the Armenia–Türkiye border (closed since 1993).
    let t = row(&v, "TANAP", "arm-tur-border");
    assert!(
        (t["min_distance_km"].as_f64().unwrap() - 44.5).abs() < 0.5,
        "{t}"
    );
    assert_eq!(
        row(&v, "TANAP", "armenia")["min_distance_km"],
        t["min_distance_km"]
    );
    // BTC within 70 km of Armenia: about twice its length within 70 km of the Armenia–Azerbaijan
    // border alone (465 against 226 km).
    let whole = row(&v, "BTC", "armenia")["within_km"]["70"]
        .as_f64()
        .unwrap();
    let line = row(&v, "BTC", "arm-aze-border")["within_km"]["70"]
        .as_f64()
        .unwrap();
    assert!(
        (whole - 465.3).abs() < 2.0 && (line - 225.9).abs() < 2.0,
        "{whole} {line}"
    );
    // The nearest point of Armenia to BTC is on the Armenia–Azerbaijan line (15.0 km).
    assert_eq!(
        row(&v, "BTC", "armenia")["min_distance_km"],
        row(&v, "BTC", "arm-aze-border")["min_distance_km"]
    );
}
