//! Bad input ends with exit status 1 and a message naming the file, the feature and the
//! property; never a panic. Also: nothing half-written is left behind.

use assert_cmd::Command;
use std::fs;
use std::path::PathBuf;

struct Case {
    name: &'static str,
    body: String,
    /// Substrings the message must contain (besides the file name).
    expect: &'static [&'static str],
}

fn fc(features: &str) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
}

fn line(props: &str) -> String {
    format!(
        r#"{{"type":"Feature","geometry":{{"type":"LineString","coordinates":[[45,41],[46,41]]}},"properties":{{{props}}}}}"#
    )
}

fn cases() -> Vec<Case> {
    let ok = r#""id":"a","corridor":"X","commodity":"gas","capacity":1,"capacity_unit":"bcm/y""#;
    vec![
        Case { name: "malformed.geojson", body: r#"{"type":"FeatureCollection","features":[}"#.into(), expect: &["malformed JSON", "line 1"] },
        Case { name: "truncated.geojson", body: fc(&line(ok))[..60].to_string(), expect: &["ends too early"] },
        Case { name: "empty.geojson", body: String::new(), expect: &["empty"] },
        Case { name: "topology.geojson", body: r#"{"type":"Topology","objects":{}}"#.into(), expect: &["unknown GeoJSON type \"Topology\"", "property `type`"] },
        // One position is no line (an empty array would be read as no geometry, RFC 7946 §3.1).
        Case {
            name: "one_position.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[45,41]]},"properties":{"name":"X"}}"#),
            expect: &["feature 0", "at least two positions, found 1"],
        },
        Case {
            name: "unknown_geometry.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"Curve","coordinates":[[45,41],[46,41]]},"properties":{}}"#),
            expect: &["feature 0", "unknown geometry type", "property `geometry`"],
        },
        Case {
            name: "short_position.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[45],[46,41]]},"properties":{"corridor":"X"}}"#),
            expect: &["feature 0", "at least two numbers"],
        },
        Case {
            name: "nan.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[45,NaN],[46,41]]},"properties":{"corridor":"X"}}"#),
            expect: &["feature 0", "malformed JSON"],
        },
        Case {
            name: "out_of_range.geojson",
            body: fc(r#"{"type":"Feature","id":"p","geometry":{"type":"LineString","coordinates":[[4500000,4100000],[46,41]]},"properties":{"corridor":"X"}}"#),
            expect: &["feature 0", "\"p\"", "outside longitude"],
        },
        Case {
            name: "lat_out_of_range.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[45,91],[46,41]]},"properties":{"corridor":"X"}}"#),
            expect: &["outside longitude -180..180 / latitude -90..90"],
        },
        Case {
            name: "projected.geojson",
            body: r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32638"}},"features":[]}"#.into(),
            expect: &["property `crs`", "32638", "not supported"],
        },
        Case {
            name: "unclosed.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[45,41],[46,41],[46,42],[45,42]]]},"properties":{"corridor":"X"}}"#),
            expect: &["feature 0", "unclosed polygon ring"],
        },
        Case { name: "duplicate_ids.geojson", body: fc(&format!("{},{}", line(ok), line(ok))), expect: &["feature 1", "duplicate segment id \"a\""] },
        // The corridor schema is strict with a file that uses it; a file that never names a
        // `corridor` is someone else's, read by the generic schema (tests/schemas.rs).
        Case { name: "missing_corridor.geojson", body: fc(&format!("{},{}", line(ok), line(r#""id":"b""#))), expect: &["feature 1", "property `corridor`", "missing required"] },
        Case {
            name: "wrong_type.geojson",
            body: fc(&line(r#""id":"a","corridor":"X","capacity":"lots","capacity_unit":"bcm/y""#)),
            expect: &["property `capacity`", "expected a number, found a string"],
        },
        Case {
            name: "negative_capacity.geojson",
            body: fc(&line(r#""id":"a","corridor":"X","commodity":"gas","capacity":-5,"capacity_unit":"bcm/y""#)),
            expect: &["property `capacity`", "must be >= 0"],
        },
        Case {
            name: "unknown_unit.geojson",
            body: fc(&line(r#""id":"a","corridor":"X","commodity":"gas","capacity":5,"capacity_unit":"m3/h""#)),
            expect: &["property `capacity_unit`", "unknown unit \"m3/h\""],
        },
        Case {
            name: "wrong_unit_family.geojson",
            body: fc(&line(r#""id":"a","corridor":"X","commodity":"gas","capacity":5,"capacity_unit":"kb/d""#)),
            expect: &["property `capacity_unit`", "kb/d\" on a gas line"],
        },
        Case {
            name: "bad_year.geojson",
            body: fc(&line(r#""id":"a","corridor":"X","commissioned":"2006""#)),
            expect: &["property `commissioned`", "expected a year"],
        },
        Case {
            name: "bad_probability.geojson",
            body: fc(&line(r#""id":"a","corridor":"X","failure_prob":1.5"#)),
            expect: &["property `failure_prob`", "between 0 and 1"],
        },
        Case {
            name: "supply_without_value.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[45,41]},"properties":{"id":"s","kind":"supply","commodity":"gas"}}"#),
            expect: &["\"s\"", "property `supply`"],
        },
        Case {
            name: "antimeridian.geojson",
            body: fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[179.5,60],[-179.5,60]]},"properties":{"corridor":"X"}}"#),
            expect: &["antimeridian"],
        },
    ]
}

fn write(dir: &tempfile::TempDir, c: &Case) -> PathBuf {
    let p = dir.path().join(c.name);
    fs::write(&p, &c.body).unwrap();
    p
}

#[test]
fn every_bad_input_exits_1_with_a_placed_message() {
    let dir = tempfile::tempdir().unwrap();
    for c in cases() {
        let p = write(&dir, &c);
        // `routes` stops with the message on standard error.
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .args(["routes", "--network"])
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", c.name);
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(!text.contains("panicked"), "{}: {text}", c.name);
        assert!(
            text.contains(c.name),
            "{}: message does not name the file: {text}",
            c.name
        );
        for e in c.expect {
            assert!(text.contains(e), "{}: expected {e:?} in: {text}", c.name);
        }
        // `check` lists the same problem as data, with the feature as a field.
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .args(["check", "--format", "json"])
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", c.name);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<&serde_json::Value> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["severity"] == "error")
            .collect();
        assert!(!errors.is_empty(), "{}", c.name);
        let e = errors[0];
        assert!(e["file"].as_str().unwrap().ends_with(c.name));
        for want in c.expect {
            if let Some(n) = want.strip_prefix("feature ") {
                assert_eq!(e["feature"].to_string(), n, "{}", c.name);
            } else if want.starts_with('"') {
                assert_eq!(e["id"].to_string(), *want, "{}", c.name);
            } else if !want.starts_with("line ") {
                assert!(
                    e["message"].as_str().unwrap().contains(want),
                    "{}: {want:?} not in {e}",
                    c.name
                );
            }
        }
    }
}

#[test]
fn a_missing_file_is_named() {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--network", "no/such/file.geojson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.geojson"));
}

#[test]
fn bad_usage_exits_2() {
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_failed_run_leaves_an_existing_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("routes.json");
    fs::write(&out_path, "previous result").unwrap();
    let bad = dir.path().join("bad.geojson");
    fs::write(&bad, "{").unwrap();
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--format", "json", "--network"])
        .arg(&bad)
        .arg("--out")
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&out_path).unwrap(), "previous result");
    // No temporary file is left behind either.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn out_writes_the_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    // The folder must exist: `--out` in a missing folder is refused (exit 2).
    fs::create_dir(dir.path().join("sub")).unwrap();
    let out_path = dir.path().join("sub/routes.csv");
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["routes", "--format", "csv", "--out"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(fs::read_to_string(&out_path)
        .unwrap()
        .starts_with("corridor,"));
}

/// `check` lists every problem of a file, the malformed features included, each with file,
/// feature, id and property (issue 14): loading stops at the first malformed feature, check
/// reads on feature by feature.
#[test]
fn check_lists_every_problem_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("four.geojson");
    let feat = |id: &str, extra: &str, geom: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"corridor":"A","id":"{id}"{extra}}},"geometry":{geom}}}"#
        )
    };
    let line = |a: &str| format!(r#"{{"type":"LineString","coordinates":{a}}}"#);
    let feats = [
        feat("a1", r#","commodity":"gas""#, &line("[[45,41],[46,41]]")),
        feat("a2", r#","commodity":"gas""#, &line("[[46,41],[200,41]]")),
        feat(
            "a3",
            r#","commodity":"gas""#,
            r#"{"type":"Polygon","coordinates":[[[46,41],[47,41],[47,42],[46,41]]]}"#,
        ),
        feat("a1", r#","commodity":"gas""#, &line("[[47,41],[48,41]]")),
        feat("a5", r#","commodity":"gas""#, &line("[[48,41],[49,95]]")),
        feat("a6", r#","commodity":"plasma""#, &line("[[49,41],[50,41]]")),
    ];
    fs::write(&path, fc(&feats.join(","))).unwrap();
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["check", "--format", "json", "--network"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<(u64, String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| {
            (
                p["feature"].as_u64().unwrap(),
                p["id"].as_str().unwrap().to_string(),
                p["property"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        (1, "a2", "geometry"),
        (2, "a3", "geometry"),
        (3, "a1", "id"),
        (4, "a5", "geometry"),
        (5, "a6", "commodity"),
    ];
    let want: Vec<(u64, String, String)> = want
        .iter()
        .map(|(f, i, p)| (*f, i.to_string(), p.to_string()))
        .collect();
    assert_eq!(errors, want);
    assert_eq!(v["summary"]["errors"], 5);
}
