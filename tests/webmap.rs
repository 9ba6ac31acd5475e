//! `corridor map`: one self-contained HTML file of the exposure, on the default data.
//!
//! The default pages (English and Indonesian) are rendered once, in process, from one run of
//! the analyses (`webmap::MapResults`, as `corridor map` does; `tests/report.rs` runs the binary
//! on the default data, whose `report` writes the same `map.html`, and its slow tier compares
//! two such runs byte for byte). Structural checks always
//! run: the HTML skeleton, the embedded data (GeoJSON, counts, coordinates to 6 decimals), the
//! size, the Indonesian labels, reproducible bytes (the binary, twice, on a small network). The browser
//! checks run when a Chromium is installed (`/usr/bin/chromium`, `chromium` on the PATH, or the
//! path in `CORRIDOR_CHROMIUM`); without one they are skipped with a message, unless
//! `CORRIDOR_REQUIRE_BROWSER=1` (as in `.ci/run`), which makes a missing browser a failure.
//! They open the page in headless Chromium with its own flags (`--dump-dom`, `--screenshot`) and
//! check: the page draws (its ready flag and counts, and the SVG paths in the DOM), no console
//! message or script error, no network request (every host unresolvable, the net log read, the
//! page's Content-Security-Policy), a click on BTC opens its popup with its length, a node popup
//! in Indonesian, and a screenshot that is not blank. The pages and screenshots stay under
//! `target/tmp/webmap/` to look at.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const MAX_BYTES: usize = 5_000_000;

/// Where the tests leave their pages and screenshots.
fn out_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("webmap");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A page written by the real binary: its path, text and parsed data.
struct Page {
    path: PathBuf,
    html: String,
    data: Value,
}

fn write_page(args: &[&str], name: &str) -> Page {
    let path = out_dir().join(name);
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(args)
        .arg("--out")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&path).unwrap();
    let data = data_of(&html);
    Page { path, html, data }
}

/// The default map in English and in Indonesian, rendered once for every test here.
fn pages() -> &'static [Page; 2] {
    use corridor::analysis::exposure::DEFAULT_BANDS_KM;
    use corridor::figures::{FigureData, Lang};
    use corridor::webmap::{render, MapOptions, MapResults};
    static P: OnceLock<[Page; 2]> = OnceLock::new();
    P.get_or_init(|| {
        let data = FigureData::default_dataset().unwrap();
        let results = MapResults::compute(&data, &DEFAULT_BANDS_KM).unwrap();
        [(Lang::En, "map-en.html"), (Lang::Id, "map-id.html")].map(|(lang, name)| {
            let opts = MapOptions {
                lang,
                ..Default::default()
            };
            let html = render(&data, &results.analyses(), &opts).unwrap();
            let path = out_dir().join(name);
            std::fs::write(&path, &html).unwrap();
            let data = data_of(&html);
            Page { path, html, data }
        })
    })
}

fn en() -> &'static Page {
    &pages()[0]
}

fn id() -> &'static Page {
    &pages()[1]
}

/// The JSON between `const DATA = ` and the `;` that ends its script.
fn data_of(html: &str) -> Value {
    let start = html.find("const DATA = ").expect("DATA in the page") + "const DATA = ".len();
    let end = start + html[start..].find(";\n</script>").expect("end of DATA");
    serde_json::from_str(&html[start..end]).expect("DATA parses as JSON")
}

fn features<'a>(data: &'a Value, key: &str) -> &'a Vec<Value> {
    data[key]["features"]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not a FeatureCollection"))
}

/// Every number in a GeoJSON `coordinates` array.
fn coordinates(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        Value::Array(a) => a.iter().for_each(|x| coordinates(x, out)),
        _ => panic!("not a coordinate: {v}"),
    }
}

fn geometry_coordinates(g: &Value, out: &mut Vec<f64>) {
    if let Some(gs) = g["geometries"].as_array() {
        gs.iter().for_each(|x| geometry_coordinates(x, out));
    } else {
        coordinates(&g["coordinates"], out);
    }
}

#[test]
fn one_self_contained_html_file() {
    let p = en();
    let h = &p.html;
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"));
    assert!(h.trim_end().ends_with("</body>\n</html>"));
    for tag in [
        "<html", "<head>", "</head>", "<body>", "</body>", "</html>", "<title>",
    ] {
        assert_eq!(h.matches(tag).count(), 1, "{tag}");
    }
    // Everything inline: no external script, stylesheet, image, frame or font.
    for bad in [
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "@font-face",
        "src=\"http",
    ] {
        assert!(!h.contains(bad), "{bad}");
    }
    assert!(h.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;"
    ));
    for ph in ["/*LEAFLET_CSS*/", "/*LEAFLET_JS*/", "/*DATA*/"] {
        assert!(!h.contains(ph), "{ph} left in the page");
    }
    // Leaflet is inlined with its licence beside it.
    assert!(h.contains("Leaflet 1.9.4, a JS library for interactive maps"));
    assert!(h.contains("BSD 2-Clause License") && h.contains("Volodymyr Agafonkin"));
    // The only URL strings are the SVG namespace and comments (none is fetched: see the
    // browser test).
    let known = [
        "http://www.w3.org/2000/svg",
        "https://leafletjs.com",
        "https://bugs.chromium.org/p/chromium/issues/detail?id=600120",
        "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
    ];
    for (i, _) in h.match_indices("://") {
        let from = h[..i]
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |k| k + 1);
        let to = i + h[i..]
            .find(|c: char| c.is_whitespace() || "\"'()<>`,".contains(c))
            .unwrap_or(h.len() - i);
        let url = h[from..to].trim_end_matches(['.', ';']);
        assert!(
            known.iter().any(|k| url.starts_with(k)),
            "unexpected URL in the page: {url}"
        );
    }
    assert!(
        h.len() < MAX_BYTES,
        "map.html is {} bytes, over {MAX_BYTES}",
        h.len()
    );
    eprintln!("map.html on the default data: {} bytes", h.len());
}

#[test]
fn data_is_geojson_of_every_corridor_node_and_zone() {
    use corridor::input::{embedded, load_countries, load_network, load_zones, LoadOptions};
    let d = &en().data;
    let (net, _) = load_network(&embedded::network(), LoadOptions::default()).unwrap();
    let zones = load_zones(&embedded::zones()).unwrap();
    let countries = load_countries(&embedded::basemap()).unwrap();
    let corridors = net.corridors();
    assert_eq!(d["lang"], "en");
    assert_eq!(d["focus_zone"], "arm-aze-border");
    assert!(d["attribution"].as_str().unwrap().contains(
        "Natural Earth; Global Energy Monitor (CC BY 4.0); © OpenStreetMap contributors (ODbL)"
    ));
    assert_eq!(features(d, "countries").len(), countries.len());
    assert_eq!(features(d, "corridors").len(), corridors.len());
    assert_eq!(features(d, "nodes").len(), net.nodes.len());
    assert_eq!(features(d, "zones").len(), zones.len());
    // Four bands per zone, a closest point per corridor × zone.
    assert_eq!(features(d, "bands").len(), 4 * zones.len());
    assert_eq!(features(d, "closest").len(), corridors.len() * zones.len());
    assert!(features(d, "stretches").len() > 100);
    // Every feature is GeoJSON with coordinates rounded to 6 decimals.
    let mut n = 0;
    for key in [
        "countries",
        "corridors",
        "nodes",
        "zones",
        "bands",
        "stretches",
        "closest",
    ] {
        for f in features(d, key) {
            assert_eq!(f["type"], "Feature");
            let mut cs = Vec::new();
            geometry_coordinates(&f["geometry"], &mut cs);
            assert!(!cs.is_empty(), "{key}: {f}");
            for c in cs {
                assert_eq!((c * 1e6).round() / 1e6, c, "{key}: {c}");
                n += 1;
            }
        }
    }
    assert!(n > 50_000, "{n} coordinates");
    // No number in the page's data has more than 6 decimals where coordinates are.
    // BTC: what its popup shows.
    let btc = features(d, "corridors")
        .iter()
        .find(|f| f["properties"]["id"] == "BTC")
        .unwrap();
    let p = &btc["properties"];
    assert_eq!(p["commodity"], "oil");
    assert_eq!(p["capacity"], 1200.0);
    assert_eq!(p["capacity_unit"], "kb/d");
    assert!((p["length_km"].as_f64().unwrap() - 1654.3).abs() < 1.0);
    assert!(p["countries"]["AZE"].as_f64().unwrap() > 400.0);
    assert_eq!(
        p["part_geometry"].as_array().unwrap().len(),
        btc["geometry"]["coordinates"].as_array().unwrap().len()
    );
    let exp = p["exposure"].as_array().unwrap();
    assert_eq!(exp.len(), zones.len());
    let border = exp.iter().find(|e| e["zone"] == "arm-aze-border").unwrap();
    assert!((border["min_distance_km"].as_f64().unwrap() - 15.0).abs() < 0.1);
    assert_eq!(
        border["within_km"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["10", "20", "40", "70"]
    );
    // Nodes carry what cutting them costs: Kipoi cuts TAP's markets off.
    let kipoi = features(d, "nodes")
        .iter()
        .find(|f| f["properties"]["id"] == "kipoi")
        .unwrap();
    let losses = kipoi["properties"]["cut_losses"].as_array().unwrap();
    assert!(losses
        .iter()
        .any(|m| m["market"] == "Italy" && m["lost_share"] == 1.0));
    // Bands: the area within each distance of each zone.
    for b in features(d, "bands") {
        assert!(
            b["geometry"]["type"] == "MultiPolygon",
            "{}",
            b["properties"]
        );
    }
}

#[test]
fn node_losses_are_those_of_disrupt() {
    // The map's per-market losses of a node are `corridor disrupt --node`'s.
    let d = &en().data;
    let out = Command::cargo_bin("corridor")
        .unwrap()
        .args(["disrupt", "--node", "kipoi", "--format", "json"])
        .output()
        .unwrap();
    let rep: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kipoi = features(d, "nodes")
        .iter()
        .find(|f| f["properties"]["id"] == "kipoi")
        .unwrap();
    let mut want: Vec<(String, f64)> = rep["markets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["lost"].as_f64().unwrap() > 0.0005)
        .map(|m| {
            (
                m["market"].as_str().unwrap().to_string(),
                m["lost"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut got: Vec<(String, f64)> = kipoi["properties"]["cut_losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["market"].as_str().unwrap().to_string(),
                m["lost"].as_f64().unwrap(),
            )
        })
        .collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.0, w.0);
        assert!((g.1 - w.1).abs() < 1e-3, "{g:?} vs {w:?}");
    }
}

#[test]
fn indonesian_labels_and_names() {
    let (e, i) = (&en().data, &id().data);
    assert_eq!(i["lang"], "id");
    assert!(id().html.contains("const DATA = {\"lang\":\"id\""));
    let l = &i["labels"];
    assert_eq!(l["title"], "Koridor energi: peta keterpaparan");
    assert_eq!(l["layer_bands"], "Pita jarak");
    assert_eq!(l["commodities"]["oil"], "Minyak");
    assert_eq!(l["units"]["bcm/y"], "miliar m³/tahun");
    assert_eq!(l["units"]["kb/d"], "ribu barel/hari");
    assert_eq!(l["node_kinds"]["market"], "Pasar");
    assert!(i["attribution"]
        .as_str()
        .unwrap()
        .contains("© kontributor OpenStreetMap (ODbL)"));
    // The same keys in both languages, every value translated or deliberately the same.
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&e["labels"]), keys(l));
    let zone = |d: &Value, id: &str| {
        features(d, "zones")
            .iter()
            .find(|f| f["properties"]["id"] == id)
            .unwrap()["properties"]["name"]
            .clone()
    };
    assert_eq!(zone(i, "arm-aze-border"), "Perbatasan Armenia–Azerbaijan");
    assert_eq!(zone(i, "ganja-gap"), "Celah Ganja");
    assert_eq!(zone(e, "ganja-gap"), "Ganja gap");
    // Only words change: the geometry and the numbers are the same.
    for key in ["countries", "corridors", "bands", "stretches", "closest"] {
        for (a, b) in features(e, key).iter().zip(features(i, key)) {
            assert_eq!(a["geometry"], b["geometry"], "{key}");
        }
    }
}

#[test]
fn two_runs_write_the_same_bytes() {
    // On a small network (two runs on the default data are compared by the slow tier of
    // tests/report.rs, whose `report` writes map.html too); it also shows the map works on other
    // data: no default zone, so every zone is shown.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flow");
    let net = fixtures.join("commodities.geojson");
    let zones = fixtures.join("zones.geojson");
    let args = [
        "map",
        "-q",
        "--network",
        net.to_str().unwrap(),
        "--zones",
        zones.to_str().unwrap(),
        "--bands",
        "5,25",
    ];
    let a = write_page(&args, "map-small-a.html");
    let b = write_page(&args, "map-small-b.html");
    assert!(a.html == b.html, "two runs differ");
    assert_eq!(a.data["focus_zone"], Value::Null);
    assert!(!features(&a.data, "corridors").is_empty());
    let zones = features(&a.data, "zones").len();
    assert_eq!(features(&a.data, "bands").len(), 2 * zones);
}

#[test]
fn bad_requests_fail_with_a_message() {
    for (args, needle) in [
        (vec!["map", "--focus", "nowhere"], "--focus"),
        (vec!["map", "--bands", "0"], "--bands"),
        (vec!["map", "--format", "json"], "--format json"),
    ] {
        let out = Command::cargo_bin("corridor")
            .unwrap()
            .args(&args)
            .arg("--out")
            .arg(out_dir().join("never.html"))
            .output()
            .unwrap();
        // Bad usage: exit status 2.
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// In a real browser.

/// The Chromium to test with, or why there is none (a failure with CORRIDOR_REQUIRE_BROWSER=1).
fn chromium() -> Option<PathBuf> {
    // CORRIDOR_CHROMIUM, when set, is the only candidate (a path that does not exist means no
    // browser: the way to try the skip).
    let found = match std::env::var_os("CORRIDOR_CHROMIUM") {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => (|| {
            let fixed = Path::new("/usr/bin/chromium");
            if fixed.exists() {
                return Some(fixed.to_path_buf());
            }
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|d| {
                    ["chromium", "chromium-browser"]
                        .into_iter()
                        .map(move |n| d.join(n))
                })
                .find(|p| p.is_file())
        })(),
    };
    if found.is_none() {
        let required = std::env::var("CORRIDOR_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "CORRIDOR_REQUIRE_BROWSER=1 but no Chromium was found (/usr/bin/chromium, chromium on the PATH, or CORRIDOR_CHROMIUM)"
        );
        eprintln!(
            "skipped: no Chromium found (install Debian's `chromium`, or set CORRIDOR_CHROMIUM); \
             set CORRIDOR_REQUIRE_BROWSER=1 to make this a failure"
        );
    }
    found
}

/// What a headless Chromium run left: standard output and error.
struct Run {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium with a fresh profile, no background services, and `args`; kills it
/// after 90 s.
fn chrome(bin: &Path, args: &[String]) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on their own threads so that neither can fill up and block the browser.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {args:?} did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Run {
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
    }
}

fn url(path: &Path, fragment: &str) -> String {
    format!("file://{}{fragment}", path.display())
}

/// The `data-*` attributes of `<body>` in a dumped DOM.
fn body_attrs(dom: &str) -> std::collections::BTreeMap<String, String> {
    let start = dom.find("<body").expect("a body");
    let tag = &dom[start..start + dom[start..].find('>').unwrap()];
    let mut out = std::collections::BTreeMap::new();
    for part in tag.split(" data-").skip(1) {
        if let Some((k, v)) = part.split_once("=\"") {
            out.insert(
                k.to_string(),
                v[..v.find('"').unwrap_or(v.len())].to_string(),
            );
        }
    }
    out
}

/// The visible text of the first popup of `kind` and `id` in a dumped DOM.
fn popup_text(dom: &str, kind: &str, id: &str) -> Option<String> {
    let open = format!("<div class=\"corridor-popup\" data-kind=\"{kind}\" data-id=\"{id}\">");
    let start = dom.find(&open)?;
    let end = start + dom[start..].find("</div></div>")?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in dom[start..end].chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(
        text.replace("&amp;", "&")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Lines a page's console or script errors leave in Chromium's log (`--enable-logging=stderr
/// --v=0` logs console messages as `CONSOLE`, uncaught exceptions as `Uncaught`).
fn console_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect()
}

/// Hosts named in a Chromium net log that are not Chromium's own services (which it contacts
/// despite the flags, whatever the page) nor the resolver's ~NOTFOUND.
fn page_hosts(netlog: &str) -> Vec<String> {
    let mut hosts = std::collections::BTreeSet::new();
    for key in ["\"url\":\"", "\"host\":\"", "\"original_url\":\""] {
        for (i, _) in netlog.match_indices(key) {
            let v = &netlog[i + key.len()..];
            let v = &v[..v.find('"').unwrap_or(v.len())];
            let v = v.split_once("://").map_or(v, |x| x.1);
            let host = v.split(['/', ':', '?']).next().unwrap_or("").to_lowercase();
            hosts.insert(host);
        }
    }
    let own = [
        "google.com",
        "googleapis.com",
        "gstatic.com",
        "gvt1.com",
        "googleusercontent.com",
    ];
    hosts
        .into_iter()
        .filter(|h| {
            !h.is_empty()
                && h != "~notfound"
                && !own.iter().any(|o| h == o || h.ends_with(&format!(".{o}")))
        })
        .collect()
}

#[test]
fn browser_draws_offline_and_a_click_on_btc_opens_its_popup() {
    let Some(bin) = chromium() else { return };
    let (page, page_id) = (en(), id());
    let dir = out_dir();
    let netlog = dir.join("netlog.json");
    let control_log = dir.join("netlog-control.json");
    // A control page that does fetch (a tile image and a script error) shows that the checks
    // below would see it.
    let control = dir.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><img src=\"https://tile.openstreetmap.org/0/0/0.png\">\
         <script>console.error('control'); undefinedFunction();</script></body></html>",
    )
    .unwrap();
    let offline = |log: &Path| {
        vec![
            "--enable-logging=stderr".to_string(),
            "--v=0".to_string(),
            "--host-resolver-rules=MAP * ~NOTFOUND".to_string(),
            format!("--log-net-log={}", log.display()),
        ]
    };
    let started = Instant::now();
    let (main, (node, ctrl)) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            let mut args = offline(&netlog);
            args.extend(["--window-size=1400,900".into(), "--dump-dom".into()]);
            args.push(url(&page.path, "#click=BTC"));
            chrome(&bin, &args)
        });
        let b = s.spawn(|| {
            let args = [
                "--window-size=1400,900".to_string(),
                "--dump-dom".to_string(),
                url(&page_id.path, "#node=kipoi"),
            ];
            chrome(&bin, &args)
        });
        let c = s.spawn(|| {
            let mut args = offline(&control_log);
            args.extend(["--dump-dom".into(), url(&control, "")]);
            chrome(&bin, &args)
        });
        (a.join().unwrap(), (b.join().unwrap(), c.join().unwrap()))
    });
    eprintln!("three headless runs in {:?}", started.elapsed());

    // The page drew everything in the data.
    let dom = &main.stdout;
    let attrs = body_attrs(dom);
    assert_eq!(
        attrs.get("ready").map(String::as_str),
        Some("1"),
        "{attrs:?}"
    );
    assert!(!attrs.contains_key("error"), "script error: {attrs:?}");
    for key in [
        "countries",
        "corridors",
        "nodes",
        "zones",
        "bands",
        "stretches",
        "closest",
    ] {
        assert_eq!(
            attrs.get(key).map(String::as_str),
            Some(features(&page.data, key).len().to_string().as_str()),
            "data-{key}"
        );
    }
    // ... as SVG paths: every corridor part, every zone, every country, the focus zone's bands.
    let count = |class: &str| {
        dom.match_indices(&format!("class=\"{class} leaflet-interactive\""))
            .count()
            + dom.match_indices(&format!("class=\"{class}\"")).count()
    };
    let parts: usize = features(&page.data, "corridors")
        .iter()
        .map(|f| f["properties"]["part_geometry"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        count("cm-corridor") + count("cm-corridor cm-schematic"),
        parts
    );
    assert_eq!(count("cm-zone"), features(&page.data, "zones").len());
    assert_eq!(count("cm-country"), features(&page.data, "countries").len());
    assert_eq!(count("cm-band"), 4, "the four bands of the focus zone");

    // A click on BTC, where BTC is the element under the pointer, opened its popup.
    assert!(
        attrs
            .get("clicked")
            .is_some_and(|c| c.starts_with("corridor:BTC@")),
        "{attrs:?}"
    );
    let text = popup_text(dom, "corridor", "BTC").expect("BTC's popup in the DOM");
    for needle in [
        "Baku–Tbilisi–Ceyhan (BTC)",
        "Length 1,654.3 km",
        "Capacity 1,200 kb/d",
        "Azerbaijan (AZE)",
        "Armenia–Azerbaijan border",
        "≤ 70 km",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} not in BTC's popup: {text}"
        );
    }

    // No console message, no script error, no request: with every host unresolvable the page
    // still drew, and the net log names no host of the page's.
    assert!(
        console_lines(&main.stderr).is_empty(),
        "console: {:?}",
        console_lines(&main.stderr)
    );
    let hosts = page_hosts(&std::fs::read_to_string(&netlog).unwrap_or_default());
    assert!(hosts.is_empty(), "the page requested {hosts:?}");
    // The control page's request and errors are seen.
    assert!(
        console_lines(&ctrl.stderr).len() >= 2,
        "control: {}",
        ctrl.stderr
    );
    let control_hosts = page_hosts(&std::fs::read_to_string(&control_log).unwrap_or_default());
    assert!(
        control_hosts.contains(&"tile.openstreetmap.org".to_string()),
        "control: {control_hosts:?}"
    );

    // Indonesian: a node's popup with what cutting it costs each market.
    let attrs = body_attrs(&node.stdout);
    assert_eq!(attrs.get("lang").map(String::as_str), Some("id"));
    assert_eq!(attrs.get("open").map(String::as_str), Some("node:kipoi"));
    let text = popup_text(&node.stdout, "node", "kipoi").expect("Kipoi's popup");
    for needle in [
        "Jenis Percabangan",
        "Jika simpul ini terputus",
        "Pasar",
        "Italia",
        "100%",
    ] {
        assert!(text.contains(needle), "{needle:?} not in: {text}");
    }
    assert!(console_lines(&node.stderr).is_empty());
}

#[test]
fn browser_screenshot_is_not_blank() {
    let Some(bin) = chromium() else { return };
    let page = en();
    let shot = out_dir().join("map-ganja.png");
    let _ = std::fs::remove_file(&shot);
    chrome(
        &bin,
        &[
            "--window-size=1400,900".to_string(),
            format!("--screenshot={}", shot.display()),
            url(&page.path, "#view=41.0,45.6,8.5"),
        ],
    );
    let decoder = png::Decoder::new(std::fs::File::open(&shot).expect("a screenshot"));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1400, 900));
    let channels = info.color_type.samples();
    assert!(channels >= 3);
    let px: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    // Not blank: the luminance varies, many colours are used, and the map's own colours are
    // there (land, the gas corridors' blue, the oil corridors' vermillion, the bands' purple).
    let lum: Vec<f64> = px
        .iter()
        .map(|p| 0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64)
        .collect();
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let sd = (lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64).sqrt();
    assert!(sd > 10.0, "luminance sd {sd:.1}: a blank screenshot?");
    let distinct: std::collections::HashSet<[u8; 3]> = px.iter().copied().collect();
    assert!(distinct.len() > 500, "{} colours", distinct.len());
    let near = |want: [u8; 3]| {
        px.iter()
            .filter(|p| (0..3).all(|k| (p[k] as i32 - want[k] as i32).abs() <= 12))
            .count()
    };
    for (name, rgb) in [
        ("land", [244, 242, 236]),
        ("gas blue", [0, 114, 178]),
        ("oil vermillion", [213, 94, 0]),
    ] {
        assert!(near(rgb) > 200, "{name}: {} pixels", near(rgb));
    }
    eprintln!("screenshot: {}", shot.display());
}
