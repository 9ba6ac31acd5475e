//! Files of Global Energy Monitor's route repository as they are (`tests/fixtures/gem-real/`, one
//! or more per kind the repository holds): each loads with `routes --network FILE`, with the
//! right name and commodity, or as an empty network when it holds only placeholders; nothing is
//! silently dropped (segments = the line parts of the file).

mod common;

use assert_cmd::Command;
use corridor::input::{load_network, LoadOptions, Source};
use corridor::model::{Commodity, NodeKind};
use serde_json::Value;
use std::path::Path;

const DIR: &str = "tests/fixtures/gem-real";

fn path(rel: &str) -> String {
    format!("{DIR}/{rel}")
}

fn routes(args: &[&str]) -> Value {
    let mut all = vec!["routes", "--format", "json", "-q"];
    all.extend_from_slice(args);
    common::run_json(&all)
}

fn check(files: &[&str]) -> (bool, Value) {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["check", "--format", "json", "-q"])
        .args(files)
        .output()
        .unwrap();
    (
        out.status.success(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn messages(v: &Value) -> Vec<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect()
}

fn load(rel: &str) -> corridor::model::Network {
    let p = path(rel);
    let src = Source::read(Path::new(&p)).unwrap();
    load_network(&[src], LoadOptions::default()).unwrap().0
}

/// Line parts as the file holds them, counted independently of corridor's loader: LineStrings
/// with two or more positions, and each such part of a MultiLineString.
fn line_parts(v: &Value) -> usize {
    let feats: Vec<&Value> = match v["type"].as_str() {
        Some("FeatureCollection") => v["features"].as_array().unwrap().iter().collect(),
        _ => vec![v],
    };
    feats
        .iter()
        .map(|f| {
            let g = &f["geometry"];
            let c = g["coordinates"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            match g["type"].as_str() {
                Some("LineString") => usize::from(c.len() >= 2),
                Some("MultiLineString") => c
                    .iter()
                    .filter(|p| p.as_array().is_some_and(|p| p.len() >= 2))
                    .count(),
                _ => 0,
            }
        })
        .sum()
}

/// A sample file, a corridor it must list with that corridor's commodity, and its corridors in all.
type Case = (&'static str, Option<(&'static str, &'static str)>, usize);

#[test]
fn every_sample_loads_with_its_name_and_commodity() {
    let cases: [Case; 13] = [
        (
            "gas-pipelines/P0061.geojson",
            Some(("Double E Pipeline", "gas")),
            1,
        ),
        ("gas-pipelines/P0149.geojson", Some(("P0149", "gas")), 1),
        ("gas-pipelines/P0152-compressor-stations.geojson", None, 0),
        ("gas-pipelines/P0153.geojson", None, 0),
        ("gas-pipelines/P0160.geojson", Some(("P0160", "gas")), 1),
        (
            "gas-pipelines/P0259.geojson",
            Some(("Tennessee Gas Pipeline - Line 100/4", "gas")),
            99,
        ),
        (
            "gas-pipelines/P0466.geojson",
            Some(("Hassi R'Mel-Arzew Gas Pipeline", "gas")),
            1,
        ),
        ("gas-pipelines/P0739.geojson", Some(("P0739", "gas")), 1),
        ("gas-pipelines/P1254-compressor-stations.geojson", None, 0),
        ("gas-pipelines/P1287.geojson", Some(("P1287", "gas")), 1),
        ("gas-pipelines/P6683.geojson", Some(("P6683", "gas")), 1),
        ("hydrogen-pipelines/P4403.geojson", None, 0),
        (
            "liquid-pipelines/P1240.geojson",
            Some(("Allen - Puerto Rosales", "oil")),
            1,
        ),
    ];
    for (rel, want, n) in cases {
        let p = path(rel);
        let v = routes(&["--network", &p]);
        let rs = v["routes"].as_array().unwrap();
        assert_eq!(rs.len(), n, "{rel}: {:?}", v["routes"]);
        if let Some((name, commodity)) = want {
            let r = rs
                .iter()
                .find(|r| r["corridor"] == name)
                .unwrap_or_else(|| panic!("{rel}: no corridor {name}"));
            assert_eq!(r["commodity"], commodity, "{rel}");
        }
        let doc: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let segments: u64 = rs.iter().map(|r| r["segments"].as_u64().unwrap()).sum();
        assert_eq!(
            segments as usize,
            line_parts(&doc),
            "{rel}: nothing dropped"
        );
        let (ok, c) = check(&[&p]);
        assert!(ok, "{rel}: {:?}", messages(&c));
        assert!(
            messages(&c).iter().any(|m| m.starts_with("read with the ")),
            "{rel}: check says which schema read it"
        );
    }
}

#[test]
fn capacities_in_the_units_trackers_write() {
    // 1,350 MMscf/d × 28,316.846592 m³ × 365.25 / 1e9 = 13.963 bcm/y.
    let v = routes(&["--network", &path("gas-pipelines/P0061.geojson")]);
    assert_eq!(v["routes"][0]["capacity"].as_f64().unwrap(), 13.963);
    assert_eq!(v["routes"][0]["capacity_unit"], "bcm/y");
    // Columns cut to 10 characters: `CapacityUn` gives the unit (652.33 MMcf/d; GEM's own
    // `CapacityBc` column says 6.75), `LengthKnow` the length.
    let v = routes(&["--network", &path("gas-pipelines/P0466.geojson")]);
    let r = &v["routes"][0];
    assert_eq!(r["capacity"].as_f64().unwrap(), 6.747);
    assert_eq!(r["nominal_length_km"].as_f64().unwrap(), 509.0);
    // No capacity: no unit either.
    let v = routes(&["--network", &path("gas-pipelines/P0160.geojson")]);
    assert!(v["routes"][0]["capacity"].is_null());
    assert!(v["routes"][0]["capacity_unit"].is_null());
}

#[test]
fn placeholders_load_as_an_empty_network_and_say_so() {
    for rel in [
        "gas-pipelines/P0153.geojson",
        "hydrogen-pipelines/P4403.geojson",
    ] {
        let p = path(rel);
        let v = routes(&["--network", &p]);
        assert!(v["routes"].as_array().unwrap().is_empty());
        let notes: Vec<&str> = v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(
            notes.iter().any(|n| n.contains("the network is empty")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("1 feature(s) without geometry")),
            "{notes:?}"
        );
        let (ok, c) = check(&[&p]);
        assert!(ok);
        assert!(messages(&c)
            .iter()
            .any(|m| m.contains("no geometry (null): the feature is skipped")));
    }
    // Lines mixed with placeholders: the lines load, the placeholders are counted.
    let v = routes(&["--network", &path("gas-pipelines/P0739.geojson")]);
    assert_eq!(v["routes"][0]["segments"], 3);
    assert!(v["notes"].as_array().unwrap().iter().any(|n| n
        .as_str()
        .unwrap()
        .starts_with("4 feature(s) without geometry")));
    // An empty coordinate array is a null geometry (RFC 7946 §3.1).
    let (_, c) = check(&[&path("gas-pipelines/P6683.geojson")]);
    assert!(messages(&c)
        .iter()
        .any(|m| m.contains("an empty LineString (no coordinates): the feature is skipped")));
}

#[test]
fn a_single_feature_and_a_bare_geometry_are_collections_of_one() {
    let (ok, c) = check(&[&path("gas-pipelines/P0149.geojson")]);
    assert!(ok);
    assert!(messages(&c)
        .iter()
        .any(|m| m.contains("a single Feature (not a FeatureCollection)")));
    assert_eq!(c["summary"]["segments"], 98);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bare.geojson");
    std::fs::write(
        &p,
        r#"{"type":"MultiLineString","coordinates":[[[44,40],[44.5,40.2]],[[44.5,40.2],[45,40.1]]]}"#,
    )
    .unwrap();
    let p = p.display().to_string();
    let v = routes(&["--network", &p]);
    assert_eq!(v["routes"][0]["corridor"], "bare");
    assert_eq!(v["routes"][0]["segments"], 2);
}

#[test]
fn compressor_stations_are_station_nodes() {
    let net = load("gas-pipelines/P0152-compressor-stations.geojson");
    assert_eq!(net.nodes.len(), 59);
    assert!(net.segments.is_empty());
    let n = &net.nodes[0];
    assert_eq!(n.kind, NodeKind::Station);
    assert_eq!(n.name.as_deref(), Some("LOREED (REED CITY)"));
    assert_eq!(n.commodity, Some(Commodity::Gas));
    assert_eq!(n.id, "P0152-compressor-stations-1");
    // MultiPoints with `"id": null` and no name: one node per point, ids generated.
    let net = load("gas-pipelines/P1254-compressor-stations.geojson");
    assert_eq!(net.nodes.len(), 8);
    let ids: Vec<&str> = net.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids[0], "P1254-compressor-stations-1");
    assert_eq!(ids[7], "P1254-compressor-stations-8");
    assert!(net.nodes.iter().all(|n| n.name.is_none()));
}

#[test]
fn the_generic_schema_reads_other_layers() {
    // Spanish field names: the pipeline in `DUCTO`, its sections in `TRAMO`, the commodity in
    // `TIPO_DUCTO` ("Oleoducto").
    let net = load("liquid-pipelines/P1240.geojson");
    assert_eq!(net.segments.len(), 24);
    assert!(net
        .segments
        .iter()
        .all(|s| s.corridor == "Allen - Puerto Rosales" && s.commodity == Commodity::Oil));
    assert_eq!(
        net.segments[0].name.as_deref(),
        Some("Algarrobo-Salitral L1")
    );
    // A layer of two sources: 416 unnamed Argentine lines and 14 Chilean ones, each with a
    // `NOMBRE` of its own. Names that differ name segments, not the pipeline: one corridor,
    // the file's project. `COMBUSTIBL: GAS NATURAL` gives the Chilean lines their commodity, the
    // folder the others', and `check` says so.
    let net = load("gas-pipelines/P1287.geojson");
    assert!(net.segments.iter().all(|s| s.corridor == "P1287"));
    let named: std::collections::BTreeSet<usize> = net
        .segments
        .iter()
        .filter(|s| s.name.is_some())
        .map(|s| s.feature)
        .collect();
    assert_eq!(named.len(), 14);
    let (_, c) = check(&[&path("gas-pipelines/P1287.geojson")]);
    let m = messages(&c);
    assert!(
        m.iter().any(|m| m.starts_with(
            "416 line(s) or point(s) take the commodity gas from the folder name gas-pipelines"
        )),
        "{m:?}"
    );
    // Identical problems are grouped, not printed 433 times.
    assert!(
        m.iter()
            .any(|m| m.starts_with("433 times in 430 feature(s): reaches no supply")),
        "{m:?}"
    );
    assert!(m.len() < 120, "{} problems listed", m.len());
}

#[test]
fn the_whole_folder_loads_as_one_network() {
    // A folder, and several paths after one flag, as a shell glob gives them.
    let v = routes(&["--network", DIR]);
    let segs: u64 = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["segments"].as_u64().unwrap())
        .sum();
    let mut parts = 0;
    let mut files = Vec::new();
    for sub in ["gas-pipelines", "hydrogen-pipelines", "liquid-pipelines"] {
        for e in std::fs::read_dir(path(sub)).unwrap() {
            let p = e.unwrap().path();
            let doc: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            parts += line_parts(&doc);
            files.push(p.display().to_string());
        }
    }
    assert_eq!(segs as usize, parts);
    files.sort();
    let mut args = vec!["--network"];
    args.extend(files.iter().map(String::as_str));
    let w = routes(&args);
    assert_eq!(w["routes"], v["routes"]);
    assert_eq!(
        w["meta"]["inputs"], v["meta"]["inputs"],
        "the folder is read sorted"
    );
}
