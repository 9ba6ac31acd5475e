//! The parallel parse (`features` cut into runs by `corridor::input::split`, runs parsed on all cores)
//! gives exactly the sequential parse's result, and never an answer of its own on bad input:
//! there it declines, and the sequential parse gives the error, so messages (serde's line and
//! column, the feature index) are the same whichever path a file takes.

use corridor::input::parse::{
    parse_collection, parse_collection_parallel, parse_collection_sequential, TopLevel,
};
use corridor::input::{load_network, LoadOptions, Source};
use std::fmt::Write;
use std::path::Path;

/// Run sizes to cut at: every comma, small, and larger than most test files.
const CHUNKS: [usize; 4] = [0, 1, 100, 100_000];

/// Debug output shows every float to the bit (`-0.0` included), so equal strings mean equal
/// results.
fn same(bytes: &[u8], what: &str) -> Option<()> {
    let seq = parse_collection_sequential("t.geojson", bytes);
    let seq_dbg = format!("{seq:?}");
    assert_eq!(
        format!("{:?}", parse_collection("t.geojson", bytes)),
        seq_dbg,
        "{what}: parse_collection differs from the sequential parse"
    );
    let mut taken = None;
    for chunk in CHUNKS {
        if let Some(par) = parse_collection_parallel("t.geojson", bytes, chunk) {
            assert!(
                seq.is_ok(),
                "{what}: the parallel parse accepted what the sequential one refuses: {seq_dbg}"
            );
            assert_eq!(
                format!("{:?}", Ok::<_, ()>(&par)),
                format!("{:?}", seq.as_ref().map_err(|_| ())),
                "{what}: chunk {chunk}"
            );
            taken = Some(());
        }
    }
    taken
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn fuzz_corpus_and_fixtures_parse_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = Vec::new();
    files_under(&root.join("fuzz/corpus"), &mut corpus);
    let mut fixtures = Vec::new();
    files_under(&root.join("tests/fixtures"), &mut fixtures);
    files_under(&root.join("data"), &mut fixtures);
    let all = corpus.iter().map(|p| (p, true));
    let mut parallel = 0;
    for (p, fuzz) in all.chain(fixtures.iter().map(|p| (p, false))) {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        // The loader corpus may start with an option byte; replay with and without it.
        let variants: &[&[u8]] = if fuzz {
            &[&bytes, bytes.get(1..).unwrap_or_default()]
        } else {
            &[&bytes]
        };
        for b in variants {
            let took = same(b, &p.display().to_string());
            let geojson = p.extension().is_some_and(|e| e == "geojson");
            // A single Feature or a bare geometry has no `features` array to cut.
            let collection = parse_collection_sequential("t.geojson", b)
                .is_ok_and(|c| c.top == TopLevel::FeatureCollection);
            if geojson && !fuzz && collection {
                assert!(took.is_some(), "{}: not parsed in parallel", p.display());
            }
            parallel += took.is_some() as usize;
        }
    }
    assert!(
        parallel > 20,
        "only {parallel} files took the parallel path"
    );
}

fn collection(before: &str, features: &[&str], after: &str) -> String {
    format!(
        r#"{{{before}"features":[{}]{after}}}"#,
        features.join(",\n ")
    )
}

const LINE: &str = r#"{"type":"Feature","properties":{"id":"a","corridor":"C"},"geometry":{"type":"LineString","coordinates":[[45,41],[46,41.5]]}}"#;

#[test]
fn tricky_strings_members_and_nesting_parse_the_same() {
    let tricky = [
        // Brackets, braces, commas and escaped quotes inside strings.
        r#"{"type":"Feature","properties":{"corridor":"],[{\"x\":1},","name":"\\","n2":"\\\"]"},"geometry":{"type":"Point","coordinates":[45,41]}}"#,
        // Nested arrays and objects in properties, unicode escapes, numbers of every kind.
        r#"{"type":"Feature","id":-0.0,"properties":{"a":[[1,[2,[3]]],{"b":[{},[]]}],"u":"\u005d\u0022","f":-0.0,"g":1e-320,"big":18446744073709551615,"neg":-9223372036854775808},"geometry":null}"#,
        // Members in any order, foreign members, a GeometryCollection.
        r#"{"geometry":{"geometries":[{"coordinates":[1,2],"type":"Point"}],"type":"GeometryCollection"},"bbox":[1,2,3,4],"type":"Feature","properties":null,"x":{"features":[]}}"#,
        // Features as arrays (serde accepts a struct as a sequence).
        r#"["Feature", null, {"type":"LineString","coordinates":[[1,2],[3,4,5]]}, {"k":"v"}]"#,
        // Mixed positions, z values, a MultiPolygon.
        r#"{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0,7],[1,1],[0,0]]]]}}"#,
        LINE,
    ];
    let crs = r#""crs":{"type":"name","properties":{"name":"EPSG:4326","features":[1]}},"#;
    let cases = [
        collection(r#""type":"FeatureCollection","#, &tricky, ""),
        collection(r#""type":"FeatureCollection","#, &tricky, r#","crs":null,"name":"[x]""#),
        collection(crs, &tricky, r#","type":"FeatureCollection""#),
        collection(r#""type":"FeatureCollection","#, &tricky, &format!(",{}", &crs[..crs.len() - 1])),
        // Whitespace everywhere JSON allows it.
        format!(
            " \n{{ \"type\" : \"FeatureCollection\" ,\r\n\t\"features\" : [ \n{} \n , \n{} ] \n}}\n ",
            tricky[0], tricky[1]
        ),
        collection(r#""type":"FeatureCollection","#, &[], ""),
        r#"{"type":"FeatureCollection","features":[  ]}"#.to_string(),
    ];
    for (k, c) in cases.iter().enumerate() {
        assert!(
            same(c.as_bytes(), &format!("case {k}: {c}")).is_some(),
            "case {k}: {c}"
        );
    }
}

#[test]
fn bad_input_gets_the_sequential_error() {
    let ok = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[45,41]}}"#;
    let bad = [
        // Syntax errors in one run or another.
        collection(
            r#""type":"FeatureCollection","#,
            &[ok, ok, "{\"type\":}", ok],
            "",
        ),
        collection(r#""type":"FeatureCollection","#, &[ok, ok, ok, ""], ""),
        collection(r#""type":"FeatureCollection","#, &[ok, "", ok], ""),
        format!(r#"{{"type":"FeatureCollection","features":[{ok},{ok}"#),
        format!(r#"{{"type":"FeatureCollection","features":[{ok},{ok}]"#),
        format!(r#"{{"type":"FeatureCollection","features":[{ok},{ok}]}} x"#),
        format!(r#"{{"type":"FeatureCollection","features":[{ok}],"x":[}}"#),
        format!(r#"{{"type":"FeatureCollection","features":[{ok}]]}}"#),
        format!(r#"{{"type":"FeatureCollection","features":[{ok},{{"a":"]"}}]}}"#),
        format!(r#"{{"type":"FeatureCollection","features":[{ok}, {{"a":1e400}}]}}"#),
        // Semantic errors: the first bad feature is named, after any syntax error.
        collection(
            r#""type":"FeatureCollection","#,
            &[
                ok,
                ok,
                r#"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[245,41]}}"#,
                r#"{"type":"Nope"}"#,
            ],
            "",
        ),
        collection(
            r#""type":"FeatureCollection","#,
            &[ok, r#"{"type":"Nope"}"#, ok],
            r#","crs":{"type":"name","properties":{"name":"EPSG:3857"}}"#,
        ),
        collection(
            r#""type":"FeatureCollection","#,
            &[
                ok,
                r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,"x"]}}"#,
            ],
            "",
        ),
        collection(r#""type":"Feature","#, &[ok], ""),
        collection("", &[ok], ""),
        // Duplicate members: the last `features` wins, serde refuses duplicate fields.
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Nope"}}],"features":[{ok}]}}"#
        ),
        format!(r#"{{"type":"FeatureCollection","features":[{ok}],"feat\u0075res":[{ok},{ok}]}}"#),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","type":"Feature"}]}"#
            .to_string(),
        format!(r#"{{"type":"FeatureCollection","features":[{ok}, 7]}}"#),
        format!(r#"[{ok}]"#),
        String::new(),
    ];
    for (k, c) in bad.iter().enumerate() {
        let what = format!("case {k}: {c}");
        same(c.as_bytes(), &what);
        // These that parse are duplicate-key cases only; the rest must be refused.
        if k < bad.len() - 6 {
            assert!(
                parse_collection_sequential("t.geojson", c.as_bytes()).is_err(),
                "{what}"
            );
        }
    }
}

/// A feature nested `depth` arrays deep in its properties.
fn deep(depth: usize) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"p":{}1{}}},"geometry":null}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

#[test]
fn the_depth_limit_is_the_same_inside_runs() {
    // serde_json refuses 128 levels of nesting: top object, features array, feature object,
    // properties object, then the arrays. Around the limit both paths must agree.
    let mut refused = 0;
    for depth in 118..130 {
        let c = collection(
            r#""type":"FeatureCollection","#,
            &[LINE, &deep(depth), LINE],
            "",
        );
        same(c.as_bytes(), &format!("depth {depth}"));
        refused += parse_collection_sequential("t.geojson", c.as_bytes()).is_err() as usize;
    }
    assert!(refused > 0 && refused < 12, "{refused}");
}

/// A collection of `n` lines, about 200 bytes each, with `bad` (if any) replacing feature `at`.
fn big(n: usize, bad: Option<(usize, &str)>) -> String {
    let mut s = String::from(r#"{"type":"FeatureCollection","features":["#);
    for f in 0..n {
        if f > 0 {
            s.push_str(",\n");
        }
        match bad {
            Some((at, b)) if at == f => s.push_str(b),
            _ => write!(
                s,
                r#"{{"type":"Feature","properties":{{"id":"s{f}","corridor":"C{}","commodity":"gas"}},"geometry":{{"type":"LineString","coordinates":[[{}.125,41.5],[{}.25,-41.75,3]]}}}}"#,
                f % 7,
                f % 170,
                f % 170
            )
            .unwrap(),
        }
    }
    s.push_str("]}");
    s
}

#[test]
fn a_large_file_takes_the_parallel_path_and_errors_name_the_same_feature() {
    // Just over the parallel parse's 1 MiB threshold (about 170 bytes a feature).
    let n = 7_000;
    let good = big(n, None);
    assert!(good.len() > 1 << 20, "{}", good.len());
    assert!(parse_collection_parallel("t.geojson", good.as_bytes(), 64 << 10).is_some());
    same(good.as_bytes(), "large file");
    for (at, bad) in [
        (
            0,
            r#"{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Point","coordinates":[45,91]}}"#,
        ),
        (
            n / 2 + 3,
            r#"{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Point","coordinates":[45,91]}}"#,
        ),
        (
            n - 1,
            r#"{"type":"Feature","properties":{"id":7},"geometry":{"type":"LineString","coordinates":[[45,41]]}}"#,
        ),
        (
            n / 3,
            r#"{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Point","coordinates":[45,41,]}}"#,
        ),
        (
            n / 3,
            r#"{"type":"Feature","properties":{"id":"x", "corridor":"a]b"},"geometry":{"type":"Point","coordinates":[45,41]}"#,
        ),
    ] {
        let text = big(n, Some((at, bad)));
        let what = format!("bad feature {at}");
        same(text.as_bytes(), &what);
        let e = parse_collection("big.geojson", text.as_bytes()).unwrap_err();
        let seq = parse_collection_sequential("big.geojson", text.as_bytes()).unwrap_err();
        assert_eq!(e.to_string(), seq.to_string(), "{what}");
        assert_eq!(e.place.feature, Some(at), "{what}: {e}");
    }
    // Through the loader: the same network either way.
    let src = Source::new("big.geojson", good.into_bytes());
    let (net, _) = load_network(std::slice::from_ref(&src), LoadOptions::default()).unwrap();
    assert_eq!(net.segments.len(), n);
    assert_eq!(net.segments[n - 1].id, format!("s{}", n - 1));
    assert_eq!(net.segments[n - 1].feature, n - 1);
}
