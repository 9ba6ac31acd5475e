//! `corridor exposure` / `corridor profile` and the library behind them, with real values:
//! closed-form cases on the equator and meridians (both geodesics), values computed independently
//! with python geographiclib (tests/fixtures/exposure/reference.py), and the GEM routes of BTC
//! and SCP against the Natural Earth 5.1.1 Armenia–Azerbaijan border.

use assert_cmd::Command;
use corridor::analysis::exposure::measure;
use corridor::geodesy::RouteGeom;
use corridor::geodesy::{line_zone_distance, point_zone_distance_m, ZoneIndex};
use geo::{line_string, polygon, Geometry, LineString, MultiPolygon, Point};
use serde_json::Value;

/// One degree of the equator, a·π/180 (WGS84 a = 6,378,137 m).
const EQ_DEG: f64 = 111_319.490_793_273_58;

const FIX: &str = "tests/fixtures/exposure";

fn fixture_args() -> Vec<String> {
    let mut a = Vec::new();
    for n in ["GEM_P0644", "GEM_P0759", "GEM_P0643"] {
        a.push("--network".to_string());
        a.push(format!("{FIX}/{n}.geojson"));
    }
    for z in ["borders", "districts", "ganja-gap"] {
        a.push("--zones".to_string());
        a.push(format!("{FIX}/{z}.geojson"));
    }
    a
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("corridor")
        .unwrap()
        .args(fixture_args())
        .args(args)
        .output()
        .unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn row<'a>(v: &'a Value, corridor: &str, zone: &str) -> &'a Value {
    v["exposure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["corridor"] == corridor && r["zone"] == zone)
        .unwrap_or_else(|| panic!("{corridor} × {zone} missing"))
}

const BTC: &str = "Baku-Tbilisi-Ceyhan Pipeline";
const SCP: &str = "GEM_P0759";
const WREP: &str = "Baku-Supsa Oil Pipeline";

// Published check (chokepoint.md, on Natural Earth 4.1): BTC's closest approach to the
// Armenia–Azerbaijan border is 15.0 km at 41.117N 45.541E; on NE 5.1.1 expect 14.5–15.5.
// Independent brute force (reference.py: 100 m samples, geographiclib, ternary search):
// BTC 15.039 km at 45.54073E 41.11668N, SCP 10.443 km at 45.19906E 41.26826N.
#[test]
fn btc_and_scp_closest_approach_to_the_armenian_border() {
    let v = json_of(&["exposure", "--format", "json", "--zone", "arm-aze-border"]);
    let btc = row(&v, BTC, "arm-aze-border");
    let d = btc["min_distance_km"].as_f64().unwrap();
    assert!((14.5..=15.5).contains(&d), "{btc}");
    assert!((d - 15.039).abs() < 0.05, "{btc}");
    assert!(
        (btc["lat"].as_f64().unwrap() - 41.117).abs() < 0.01,
        "{btc}"
    );
    assert!(
        (btc["lon"].as_f64().unwrap() - 45.541).abs() < 0.01,
        "{btc}"
    );
    assert_eq!(btc["inside_km"], 0.0);
    // within_km against the brute force (reference.py, 100 m samples): 44.446, 161.509, 225.971.
    for (band, expect) in [("20", 44.446), ("40", 161.509), ("70", 225.971)] {
        let w = btc["within_km"][band].as_f64().unwrap();
        assert!(
            (w - expect).abs() <= 0.2f64.max(expect * 0.005),
            "{band}: {w} vs {expect}"
        );
    }
    let scp = row(&v, SCP, "arm-aze-border");
    let d = scp["min_distance_km"].as_f64().unwrap();
    assert!((d - 10.443).abs() < 0.05, "{scp}");
    // reference.py: 61.247, 117.902, 227.966.
    for (band, expect) in [("20", 61.247), ("40", 117.902), ("70", 227.966)] {
        let w = scp["within_km"][band].as_f64().unwrap();
        assert!(
            (w - expect).abs() <= 0.2f64.max(expect * 0.005),
            "{band}: {w} vs {expect}"
        );
    }
    // Bands narrower than the closest approach hold nothing.
    assert_eq!(btc["within_km"]["10"], 0.0);
    assert!(scp["within_km"]["20"].as_f64().unwrap() > 0.0);
}

#[test]
fn json_keys_monotonic_bands_and_colocation() {
    let v = json_of(&["exposure", "--format", "json", "--bands", "2.5,10,20,40,70"]);
    assert!(v["meta"].is_object());
    let rows = v["exposure"].as_array().unwrap();
    assert_eq!(rows.len(), 3 * 11, "3 corridors × 11 zones");
    for r in rows {
        for k in [
            "corridor",
            "zone",
            "inside_km",
            "min_distance_km",
            "lon",
            "lat",
            "chainage_km",
            "within_km",
            "capacity",
            "capacity_unit",
        ] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        let w = r["within_km"].as_object().unwrap();
        let keys: Vec<&str> = w.keys().map(String::as_str).collect();
        assert_eq!(keys, ["2.5", "10", "20", "40", "70"]);
        let vals: Vec<f64> = w.values().map(|x| x.as_f64().unwrap()).collect();
        assert!(vals.windows(2).all(|p| p[0] <= p[1]), "{r}");
        // Inside a polygon is within every band.
        assert!(r["inside_km"].as_f64().unwrap() <= vals[0] + 0.2, "{r}");
        if r["inside_km"].as_f64().unwrap() > 0.0 {
            assert_eq!(r["min_distance_km"], 0.0, "{r}");
        }
    }
    // Both BTC and SCP run through the Tovuz district.
    for c in [BTC, SCP] {
        assert!(row(&v, c, "tovuz")["inside_km"].as_f64().unwrap() > 10.0);
    }
    // The three run side by side through the Ganja gap.
    let gap = v["colocation"]["ganja-gap"].as_array().unwrap();
    assert_eq!(gap.len(), 3, "{gap:?}");
    let mut names: Vec<&str> = gap
        .iter()
        .flat_map(|p| [p["a"].as_str().unwrap(), p["b"].as_str().unwrap()])
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names, [WREP, BTC, SCP]);
}

#[test]
fn inside_never_exceeds_the_route_length() {
    let v = json_of(&["exposure", "--format", "json"]);
    let routes = Command::cargo_bin("corridor")
        .unwrap()
        .args(fixture_args())
        .args(["routes", "--format", "json"])
        .output()
        .unwrap();
    let routes: Value = serde_json::from_slice(&routes.stdout).unwrap();
    for r in v["exposure"].as_array().unwrap() {
        let len = routes["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["corridor"] == r["corridor"])
            .unwrap()["length_km"]
            .as_f64()
            .unwrap();
        assert!(r["inside_km"].as_f64().unwrap() <= len + 1e-9);
        assert!(
            r["within_km"]["70"].as_f64().unwrap() <= len + 1e-3,
            "{r} {len}"
        );
        assert!(r["chainage_km"].as_f64().unwrap() <= len + 1e-3);
    }
}

#[test]
fn geojson_is_a_feature_collection_of_linestrings() {
    let out = run(&[
        "exposure",
        "--format",
        "geojson",
        "--zone",
        "tovuz",
        "--zone",
        "arm-aze-border",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert!(v.get("crs").is_none());
    let feats = v["features"].as_array().unwrap();
    assert!(!feats.is_empty());
    let mut kinds = std::collections::BTreeSet::new();
    for f in feats {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "LineString");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(c.len() >= 2);
        for p in c {
            let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y));
        }
        let props = f["properties"].as_object().unwrap();
        assert!(
            props.values().all(|v| !v.is_object() && !v.is_array()),
            "flat: {props:?}"
        );
        for k in [
            "corridor",
            "zone",
            "kind",
            "band_km",
            "min_distance_km",
            "within_km.10",
        ] {
            assert!(props.contains_key(k), "{k}");
        }
        kinds.insert(props["kind"].as_str().unwrap().to_string());
    }
    assert!(kinds.contains("inside") && kinds.contains("within"));
    // The geojson parses with the geojson crate too.
    let gj: geojson::GeoJson = String::from_utf8_lossy(&out.stdout).parse().unwrap();
    assert!(matches!(gj, geojson::GeoJson::FeatureCollection(_)));
}

#[test]
fn csv_has_dotted_band_columns_and_table_has_colocation() {
    let out = run(&["exposure", "--format", "csv", "--zone", "ganja-gap"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let header = text.lines().next().unwrap();
    for c in [
        "corridor",
        "zone",
        "inside_km",
        "within_km.10",
        "within_km.70",
        "capacity_unit",
    ] {
        assert!(header.split(',').any(|h| h == c), "{c} in {header}");
    }
    assert_eq!(text.lines().count(), 1 + 3);
    let out = run(&["exposure", "--zone", "ganja-gap"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("colocation:"), "{text}");
}

#[test]
fn bad_ids_and_options_are_usage_errors() {
    // Exit status 2: bad usage (unknown ids, values out of range), as clap does for its own.
    let out = run(&["exposure", "--zone", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nowhere") && err.contains("arm-aze-border") && err.contains("tovuz"),
        "{err}"
    );
    for b in ["0", "-5", "10,inf", "NaN"] {
        let out = run(&["exposure", &format!("--bands={b}")]);
        assert_eq!(out.status.code(), Some(2), "--bands {b}");
    }
    let out = run(&["exposure", "--bands", "ten"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["profile", "--corridor", "NOPE", "--zone", "tovuz"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(BTC));
    let out = run(&["profile", "--corridor", SCP, "--zone", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "profile",
        "--corridor",
        SCP,
        "--zone",
        "tovuz",
        "--step",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn profile_samples_by_chainage() {
    let v = json_of(&[
        "profile",
        "--format",
        "json",
        "--corridor",
        BTC,
        "--zone",
        "arm-aze-border",
        "--step",
        "5",
    ]);
    let p = v["profile"].as_array().unwrap();
    for (i, s) in p.iter().take(p.len() - 1).enumerate() {
        assert!((s["chainage_km"].as_f64().unwrap() - 5.0 * i as f64).abs() < 1e-9);
    }
    let min = p
        .iter()
        .map(|s| s["distance_km"].as_f64().unwrap())
        .fold(f64::INFINITY, f64::min);
    // Sampled every 5 km, the profile's minimum is near (never below) the closest approach.
    assert!((15.039..15.6).contains(&(min + 1e-3)), "{min}");
    let ex = json_of(&["exposure", "--format", "json", "--zone", "arm-aze-border"]);
    let ch = row(&ex, BTC, "arm-aze-border")["chainage_km"]
        .as_f64()
        .unwrap();
    let near = p
        .iter()
        .min_by(|a, b| {
            a["distance_km"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["distance_km"].as_f64().unwrap())
        })
        .unwrap();
    assert!((near["chainage_km"].as_f64().unwrap() - ch).abs() <= 5.0);
}

// ---- hand-made geometry, closed form ----

fn equator(lon0: f64, lon1: f64) -> LineString<f64> {
    line_string![(x: lon0, y: 0.0), (x: lon1, y: 0.0)]
}

#[test]
fn route_touching_a_zone_at_one_point() {
    // A triangle standing on the equator route by one vertex at lon 1°.
    let tri = Geometry::Polygon(
        polygon![(x: 1.0, y: 0.0), (x: 1.5, y: 1.0), (x: 0.5, y: 1.0), (x: 1.0, y: 0.0)],
    );
    let r = line_zone_distance(&equator(0.0, 2.0), &tri);
    assert_eq!(r.distance_m, 0.0);
    assert!((r.chainage_m - EQ_DEG).abs() < 0.5, "{r:?}");
    let m = measure(
        &RouteGeom::new(&[equator(0.0, 2.0)]),
        &ZoneIndex::new(&tri),
        &[10.0],
    );
    assert!(m.inside_m < 1.0, "{m:?}");
}

#[test]
fn point_and_line_zones() {
    // Point 0.5° north of the equator route: the meridian arc 0–0.5°, 55,287.152 m
    // (geographiclib: Geodesic.WGS84.Inverse(0, 1, 0.5, 1)['s12']).
    let pt = Geometry::Point(Point::new(1.0, 0.5));
    let r = line_zone_distance(&equator(0.0, 3.0), &pt);
    assert!((r.distance_m - 55_287.152).abs() < 0.01, "{r:?}");
    assert!((r.chainage_m - EQ_DEG).abs() < 0.01);
    // A meridian line zone at lon 3° and a route ending at lon 2°: a·1°, at the route's end.
    let mer = Geometry::LineString(line_string![(x: 3.0, y: -1.0), (x: 3.0, y: 1.0)]);
    let route = equator(0.0, 2.0);
    let r = line_zone_distance(&route, &mer);
    assert!((r.distance_m - EQ_DEG).abs() < 0.01, "{r:?}");
    assert!((r.chainage_m - 2.0 * EQ_DEG).abs() < 0.01);
    // within d: the last (d − a·1°) of the route; inside: 0 for a line zone.
    let m = measure(
        &RouteGeom::new(&[route]),
        &ZoneIndex::new(&mer),
        &[100.0, 150.0, 250.0],
    );
    assert_eq!(m.inside_m, 0.0);
    assert_eq!(m.within_m[0].1, 0.0);
    assert!(
        (m.within_m[1].1 - (150_000.0 - EQ_DEG)).abs() < 1.0,
        "{m:?}"
    );
    assert!(
        (m.within_m[2].1 - (250_000.0 - EQ_DEG)).abs() < 1.0,
        "{m:?}"
    );
    // A route crossing the line zone meets it where it crosses.
    let r = line_zone_distance(&equator(0.0, 5.0), &mer);
    assert_eq!(r.distance_m, 0.0);
    assert!((r.chainage_m - 3.0 * EQ_DEG).abs() < 0.5, "{r:?}");
}

// Chainage on a branching corridor (README, Measures): the shortest path along the corridor's
// own lines from its start. A trunk along the equator from lon 0 to 3; a branch leaving its
// interior at lon 1 northward along the meridian (digitised either way); a detached line at
// lon 10-11. The equator and meridians are geodesics: a·1° along the equator, and the meridian
// arc (geographiclib) up the branch.
#[test]
fn chainage_along_a_branching_corridor() {
    let trunk = equator(0.0, 3.0);
    let arc = |lat: f64| corridor::geodesy::distance_m(Point::new(1.0, 0.0), Point::new(1.0, lat));
    let at = |lines: &[LineString<f64>], p: Point<f64>| {
        let m = measure(
            &RouteGeom::new(lines),
            &ZoneIndex::new(&Geometry::Point(p)),
            &[10.0],
        );
        assert!(m.closest.distance_m < 0.01, "{m:?}");
        m.closest.chainage_m
    };
    for branch in [
        line_string![(x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 2.0)],
        line_string![(x: 1.0, y: 2.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)],
    ] {
        let lines = [trunk.clone(), branch, equator(10.0, 11.0)];
        // On the trunk: its running length.
        assert!((at(&lines, Point::new(2.5, 0.0)) - 2.5 * EQ_DEG).abs() < 0.5);
        // On the branch: from the junction, not from the trunk's end (3·a·1° + …).
        let ch = at(&lines, Point::new(1.0, 1.5));
        assert!((ch - (EQ_DEG + arc(1.5))).abs() < 0.5, "{ch}");
        // The detached line begins at the largest chainage reached before it (the trunk's end).
        let ch = at(&lines, Point::new(10.5, 0.0));
        assert!((ch - 3.5 * EQ_DEG).abs() < 0.5, "{ch}");
    }
}

#[test]
fn multipolygon_with_a_hole() {
    // A: lon 1–4 with a hole lon 2–3 (lat ±0.5); B: lon 6–7. The equator route 0–10 runs a·1°
    // in each of A's two rims and in B; every equator point is exactly its equatorial arc from
    // the nearest meridian side.
    let zone = Geometry::MultiPolygon(MultiPolygon(vec![
        polygon!(
            exterior: [(x: 1.0, y: -1.0), (x: 4.0, y: -1.0), (x: 4.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: -1.0)],
            interiors: [[(x: 2.0, y: -0.5), (x: 3.0, y: -0.5), (x: 3.0, y: 0.5), (x: 2.0, y: 0.5), (x: 2.0, y: -0.5)]],
        ),
        polygon![(x: 6.0, y: -1.0), (x: 7.0, y: -1.0), (x: 7.0, y: 1.0), (x: 6.0, y: 1.0), (x: 6.0, y: -1.0)],
    ]));
    let route = RouteGeom::new(&[equator(0.0, 10.0)]);
    let m = measure(&route, &ZoneIndex::new(&zone), &[10.0, 20.0]);
    assert!((m.inside_m - 3.0 * EQ_DEG).abs() < 2.0, "{m:?}");
    assert_eq!(m.closest.distance_m, 0.0);
    assert!((m.closest.chainage_m - EQ_DEG).abs() < 0.5);
    // 3 rims + 10 km on each side of A and of B, + 10 km inside the hole from each of its sides.
    for (i, d) in [10_000.0, 20_000.0].iter().enumerate() {
        let expect = 3.0 * EQ_DEG + 6.0 * d;
        assert!((m.within_m[i].1 - expect).abs() < 5.0, "{d}: {m:?}");
    }
    // In the hole's middle the nearest side is the hole's north or south edge, ~0.5° of
    // meridian (geographiclib Inverse(0, 2.5, 0.5, 2.5) = 55,287.152 m; the edge is a geodesic
    // bowing a hair poleward between lon 2 and 3, so allow 50 m).
    let d = point_zone_distance_m(Point::new(2.5, 0.0), &zone);
    assert!((d - 55_287.152).abs() < 50.0, "{d}");
    assert_eq!(point_zone_distance_m(Point::new(1.5, 0.0), &zone), 0.0);
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let run_with = |n: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap();
        pool.install(|| {
            let out = Command::cargo_bin("corridor")
                .unwrap()
                .env("RAYON_NUM_THREADS", n.to_string())
                .args(fixture_args())
                .args(["exposure", "--format", "json"])
                .output()
                .unwrap();
            let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
            v["meta"] = Value::Null;
            v
        })
    };
    assert_eq!(run_with(1), run_with(2));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        // Random routes near a random box: bands never shrink as they widen, inside ≤ length,
        // and the closest approach is never beaten by any route vertex (exact point distances).
        #[test]
        fn bands_monotone_and_min_is_a_lower_bound(
            x0 in 40.0f64..41.0, y0 in 40.0f64..41.0,
            steps in proptest::collection::vec((-0.2f64..0.2, -0.2f64..0.2), 1..12),
            bx in 40.3f64..40.8, by in 40.3f64..40.8, w in 0.05f64..0.5,
        ) {
            let mut pts = vec![(x0, y0)];
            for (dx, dy) in steps {
                let (x, y) = pts[pts.len() - 1];
                pts.push((x + dx, y + dy));
            }
            let line: LineString<f64> = pts.into();
            let zone = Geometry::Polygon(polygon![
                (x: bx, y: by), (x: bx + w, y: by), (x: bx + w, y: by + w), (x: bx, y: by + w), (x: bx, y: by)
            ]);
            let route = RouteGeom::new(std::slice::from_ref(&line));
            let m = measure(&route, &ZoneIndex::new(&zone), &[1.0, 5.0, 10.0, 20.0, 70.0]);
            // Clipping (i_overlay's fixed-point arithmetic) may add micrometres.
            prop_assert!(m.inside_m <= route.length_m * (1.0 + 1e-8) + 1e-6);
            prop_assert!(m.within_m.windows(2).all(|p| p[0].1 <= p[1].1 + 1e-9));
            prop_assert!(m.within_m.iter().all(|(_, w)| *w <= route.length_m * (1.0 + 1e-8) + 1e-6));
            for c in &line.0 {
                let d = point_zone_distance_m(Point(*c), &zone);
                prop_assert!(m.closest.distance_m <= d + 1e-3, "{} > {}", m.closest.distance_m, d);
            }
            if m.inside_m > 1.0 {
                prop_assert_eq!(m.closest.distance_m, 0.0);
            }
        }
    }
}
