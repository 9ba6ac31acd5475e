//! Which schema reads a file, and what the lenient schemas make of what trackers and regulators
//! write: someone else's file is never refused for lacking our `corridor`; units as trackers
//! write them; commodities beyond oil and gas, with flow per commodity; the commodity of the
//! folder as a last resort; files whose ProjectID is not their name; the attribute table;
//! identical warnings grouped by `check`.

mod common;

use assert_cmd::Command;
use corridor::analysis::flow::{FlowModel, Target, Workspace};
use corridor::input::{load_network, Attributes, LoadOptions, Source};
use corridor::model::{Commodity, Network};
use corridor::topology::{build, DEFAULT_SNAP_M};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

fn fc(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// A line from 40°E to 41°E at latitude `lat` (one per feature, apart from the others).
fn line(lat: f64, props: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"LineString","coordinates":[[40,{lat}],[41,{lat}]]}}}}"#
    )
}

fn point(lon: f64, lat: f64, props: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
    )
}

fn load_str(name: &str, body: &str) -> Network {
    load_network(
        &[Source::new(name, body.as_bytes().to_vec())],
        LoadOptions::default(),
    )
    .unwrap()
    .0
}

fn write(dir: &Path, rel: &str, body: &str) -> String {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

fn check(args: &[&str]) -> (bool, Vec<String>) {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["check", "--format", "json", "-q"])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    (out.status.success(), m)
}

#[test]
fn someone_elses_file_is_never_asked_for_corridor() {
    // A regulator's layer: no `corridor`, no GEM or OSM keys.
    let body = fc(&[
        line(
            40.0,
            r#""Pipeline_Name":"Alpha Line","Commodity":"Natural gas""#,
        ),
        line(40.5, r#""Pipeline_Name":"Beta Line","Product":"Crude Oil""#),
        line(41.0, r#""OBJECTID":7"#),
    ]);
    let net = load_str("regulator.geojson", &body);
    let got: Vec<(&str, Commodity)> = net
        .segments
        .iter()
        .map(|s| (s.corridor.as_str(), s.commodity))
        .collect();
    assert_eq!(
        got,
        [
            ("Alpha Line", Commodity::Gas),
            ("Beta Line", Commodity::Oil),
            ("regulator", Commodity::Unknown)
        ]
    );
    // Properties that no schema reads: loaded, and `check` suggests --schema.
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "mine.geojson",
        &fc(&[line(40.0, r#""id":"a","kind_of_thing":"x""#)]),
    );
    let (ok, m) = check(&[&p]);
    assert!(ok, "{m:?}");
    assert!(
        m.iter()
            .any(|m| m.contains("generic schema") && m.contains("--schema")),
        "{m:?}"
    );
    assert!(!m.iter().any(|m| m.contains("`corridor`")), "{m:?}");
}

#[test]
fn units_as_trackers_and_regulators_write_them() {
    // (commodity, value, unit, expected in the commodity's unit)
    let mmcf = 28_316.846_592 * 365.25 / 1e9;
    let cases: [(&str, f64, &str, f64); 14] = [
        ("Gas", 100.0, "MMcf/d", 100.0 * mmcf),
        ("Gas", 100.0, "MMscf/d", 100.0 * mmcf),
        ("Gas", 2.0, "bcf/d", 2000.0 * mmcf),
        ("Gas", 30.0, "mcm/d", 30.0 * 0.36525),
        ("Gas", 30.0, "MMSCMD", 30.0 * 0.36525),
        ("Gas", 16.0, "bcm/y", 16.0),
        ("Gas", 16.0, "bcm/yr", 16.0),
        ("Oil", 1.0, "Mtpa", 1e6 / 365.25 * 7.33 / 1000.0),
        ("Oil", 1_200_000.0, "bpd", 1200.0),
        ("Oil", 1_200_000.0, "b/d", 1200.0),
        ("Oil", 450.0, "kb/d", 450.0),
        ("Oil", 100_000.0, "boe/d", 100.0),
        ("Hydrogen", 5.0, "bcm/y", 5.0),
        ("CO2", 2.5, "Mtpa", 2.5),
    ];
    let feats: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, (fuel, v, u, _))| {
            line(
                40.0 + i as f64 * 0.1,
                &format!(r#""Name":"L{i}","Fuel":"{fuel}","Capacity":{v},"Units":"{u}""#),
            )
        })
        .collect();
    let net = load_str("units.geojson", &fc(&feats));
    for (s, (_, _, u, want)) in net.segments.iter().zip(cases) {
        let got = s.capacity.unwrap_or_else(|| panic!("{u}: not mapped"));
        assert!(
            (got - want).abs() < 1e-9 * want.max(1.0),
            "{u}: {got} vs {want}"
        );
    }
    // A value without a known unit, or without a unit, is reported and left out; so is a unit
    // that measures something else.
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bad-units.geojson",
        &fc(&[
            line(
                40.0,
                r#""Name":"A","Fuel":"Gas","Capacity":"123","Units":"m3/h""#,
            ),
            line(40.1, r#""Name":"B","Fuel":"Gas","Capacity":"123""#),
            line(
                40.2,
                r#""Name":"C","Fuel":"Gas","Capacity":"5","Units":"bpd""#,
            ),
            line(
                40.3,
                r#""Name":"D","Fuel":"Products","Capacity":"5","Units":"Mtpa""#,
            ),
        ]),
    );
    let (ok, m) = check(&[&p]);
    assert!(ok);
    for want in [
        "capacity unit \"m3/h\" is not one corridor converts",
        "capacity \"123\" has no unit",
        "capacity 5 \"bpd\" on a gas line not mapped",
        "capacity 5 \"Mtpa\" on a products line not mapped",
    ] {
        assert!(m.iter().any(|m| m.contains(want)), "{want}: {m:?}");
    }
    let v = common::run_json(&["routes", "--format", "json", "--network", &p]);
    for r in v["routes"].as_array().unwrap() {
        assert!(
            r["capacity"].is_null() && r["capacity_unit"].is_null(),
            "{r}"
        );
    }
}

#[test]
fn hydrogen_co2_and_products_load_and_flow_per_commodity() {
    // Each commodity: a supply of 10, a 4-unit line, a market. Oil and gas are here too, so
    // that their results are seen unchanged beside the others.
    let mut feats = Vec::new();
    for (i, (c, unit)) in [
        ("oil", "kb/d"),
        ("gas", "bcm/y"),
        ("products", "kb/d"),
        ("hydrogen", "bcm/y"),
        ("co2", "Mt/y"),
    ]
    .iter()
    .enumerate()
    {
        let lat = 40.0 + i as f64;
        feats.push(point(
            40.0,
            lat,
            &format!(
                r#""id":"s-{c}","kind":"supply","commodity":"{c}","supply":10,"supply_unit":"{unit}""#
            ),
        ));
        feats.push(point(
            41.0,
            lat,
            &format!(r#""id":"m-{c}","kind":"market","commodity":"{c}","market":"M""#),
        ));
        feats.push(line(
            lat,
            &format!(
                r#""id":"l-{c}","corridor":"{c}-line","commodity":"{c}","capacity":4,"capacity_unit":"{unit}""#
            ),
        ));
    }
    let net = load_str("five.geojson", &fc(&feats));
    let model = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
    assert_eq!(model.commodities(), Commodity::KNOWN.to_vec());
    let mut ws = Workspace::new(&model);
    for (ci, _) in Commodity::KNOWN.iter().enumerate() {
        assert_eq!(model.max_flow(&mut ws, Target::All(ci), &[], None), 4.0);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "five.geojson", &fc(&feats));
    let v = common::run_json(&["flow", "--format", "json", "--network", &file]);
    let rows: Vec<(&str, &str, f64)> = v["markets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["commodity"].as_str().unwrap(),
                r["unit"].as_str().unwrap(),
                r["deliverable"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("oil", "kb/d", 4.0),
            ("gas", "bcm/y", 4.0),
            ("products", "kb/d", 4.0),
            ("hydrogen", "bcm/y", 4.0),
            ("co2", "Mt/y", 4.0)
        ]
    );
    // The geometric commands take them as any line.
    let routes = common::run_json(&["routes", "--format", "json", "--network", &file]);
    let r = &routes["routes"][4];
    assert_eq!(
        (r["corridor"].as_str(), r["commodity"].as_str()),
        (Some("co2-line"), Some("co2"))
    );
    assert_eq!(r["capacity_unit"], "Mt/y");
}

#[test]
fn the_folder_names_the_commodity_only_when_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let h = write(
        dir.path(),
        "hydrogen-pipelines/P4000.geojson",
        &fc(&[
            line(40.0, ""),
            // A drawing tool's template says "Gas pipeline": hydrogen is a gas, the folder wins.
            line(40.5, r#""Type":"Gas pipeline","Name":"H2 Line""#),
        ]),
    );
    let l = write(
        dir.path(),
        "liquid-pipelines/P4001.geojson",
        &fc(&[
            line(41.0, r#""ProjectID":"P4001""#),
            // The file says gas: the folder does not overrule it.
            line(41.5, r#""ProjectID":"P4001","Fuel":"Gas""#),
        ]),
    );
    let v = common::run_json(&["routes", "--format", "json", "--network", &h, &l]);
    let got: Vec<(&str, &str)> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["corridor"].as_str().unwrap(),
                r["commodity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("P4000", "hydrogen"),
            ("H2 Line", "hydrogen"),
            ("P4001", "oil")
        ],
        "{v}"
    );
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("2 in hydrogen-pipelines → hydrogen"),
        "{notes}"
    );
    assert!(notes.contains("1 in liquid-pipelines → oil"), "{notes}");
    let net = load_network(
        &[Source::read(Path::new(&l)).unwrap()],
        LoadOptions::default(),
    )
    .unwrap()
    .0;
    assert_eq!(net.segments[1].commodity, Commodity::Gas);
}

#[test]
fn a_projectid_other_than_the_file_name_does_not_merge_files() {
    let dir = tempfile::tempdir().unwrap();
    // GEM's P0412 carries ProjectID P0425, as P0425 does.
    let a = write(
        dir.path(),
        "P0412.geojson",
        &fc(&[line(40.0, r#""ProjectID":"P0425""#)]),
    );
    let b = write(
        dir.path(),
        "P0425.geojson",
        &fc(&[line(41.0, r#""ProjectID":"P0425""#)]),
    );
    let v = common::run_json(&["routes", "--format", "json", "--network", &a, &b]);
    let names: Vec<&str> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["corridor"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["P0412", "P0425"]);
    let (_, m) = check(&[&a, &b]);
    assert!(
        m.iter()
            .any(|m| m.contains("ProjectID \"P0425\", not the file name's P0412")),
        "{m:?}"
    );
}

#[test]
fn identical_warnings_are_grouped() {
    let dir = tempfile::tempdir().unwrap();
    let feats: Vec<String> = (0..10).map(|i| line(40.0 + i as f64, "")).collect();
    let p = write(dir.path(), "lines.geojson", &fc(&feats));
    let (_, m) = check(&[&p]);
    assert!(
        m.iter().any(|m| m
            .starts_with("10 features: no commodity: the line loads for the geometric commands")
            && m.ends_with("(features 0, 1, 2, 3, 4, … 9)")),
        "{m:?}"
    );
    assert_eq!(
        m.iter().filter(|m| m.contains("no commodity")).count(),
        1,
        "{m:?}"
    );
}

#[test]
fn the_attribute_table_fills_what_the_route_files_lack() {
    let fix = "tests/fixtures/gem-attributes";
    let mut outs = Vec::new();
    for table in ["attributes.csv", "attributes.xlsx"] {
        let attrs = format!("{fix}/{table}");
        let v = common::run_json(&[
            "routes",
            "--format",
            "json",
            "--network",
            &format!("{fix}/routes"),
            "--attributes",
            &attrs,
        ]);
        let rows: Vec<(String, String, Value, Value)> = v["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["corridor"].as_str().unwrap().to_string(),
                    r["commodity"].as_str().unwrap().to_string(),
                    r["capacity"].clone(),
                    r["nominal_length_km"].clone(),
                )
            })
            .collect();
        // P9001: the row's name, fuel and 1,000 MMcf/d (10.343 bcm/y); its own length (100 km)
        // wins over the row's. P9002 (no properties, the project from its file name): name,
        // oil, 200,000 bpd, 55.5 km. P9003: no row.
        assert_eq!(
            rows,
            [
                (
                    "Test Gas Line".to_string(),
                    "gas".to_string(),
                    Value::from(10.343),
                    Value::from(100.0)
                ),
                (
                    "Test Crude Line".to_string(),
                    "oil".to_string(),
                    Value::from(200.0),
                    Value::from(55.5)
                ),
                (
                    "P9003".to_string(),
                    "unknown".to_string(),
                    Value::Null,
                    Value::Null
                ),
            ],
            "{table}"
        );
        let (ok, m) = check(&[&format!("{fix}/routes"), "--attributes", &attrs]);
        assert!(ok, "{m:?}");
        assert!(
            m.iter()
                .any(|m| m.contains("project P9003 has no row in the attributes")),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|m| m == "1 row(s) have no route among the network files: P9004"),
            "{m:?}"
        );
        outs.push(rows);
    }
    // The library: the table read once, shared by the loads.
    let table =
        Attributes::parse(&Source::read(Path::new(&format!("{fix}/attributes.xlsx"))).unwrap())
            .unwrap();
    assert_eq!(table.rows().len(), 3);
    let src = Source::read(Path::new(&format!("{fix}/routes/P9002.geojson"))).unwrap();
    let (net, report) = load_network(
        &[src],
        LoadOptions {
            attributes: Some(Arc::new(table)),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(net.segments[0].corridor, "Test Crude Line");
    assert!(report
        .notes
        .iter()
        .any(|n| n.contains("1 project(s) of the network files found a row")));
}

#[test]
fn supply_reads_only_gas_or_oil_imports() {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["supply", "--commodity", "hydrogen"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "bad usage");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--commodity hydrogen"));
}
