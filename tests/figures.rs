//! `corridor figures`: every figure renders (SVG, PNG at the stated size, PDF with its fonts
//! embedded, CSV), the manifest's hashes match the files, two runs give identical bytes (four
//! figures here, every one in the slow tier: `cargo test -- --ignored`; also with no fonts
//! configured), Indonesian labels appear with `--lang id`, the data behind the supply and
//! exposure charts match golden files, and the layout rules hold: map labels clear of each
//! other, of drawn lines and of markers; category labels apart; value axes fitted to their data;
//! no text under 7 pt at single and double column widths.

use assert_cmd::Command;
use corridor::figures::{
    layouts, write_figures, FigureData, FigureLayout, FigureOptions, Lang, Manifest, FIGURE_IDS,
};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;
use tempfile::TempDir;

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn data() -> &'static FigureData {
    static DATA: OnceLock<FigureData> = OnceLock::new();
    DATA.get_or_init(|| FigureData::default_dataset().expect("the embedded dataset loads"))
}

/// One full English run on the default dataset, shared by the tests that only read it.
fn english() -> &'static (TempDir, Manifest) {
    static RUN: OnceLock<(TempDir, Manifest)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let m = write_figures(data(), dir.path(), &FigureOptions::default()).expect("figures");
        (dir, m)
    })
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_figure_renders_at_print_size() {
    let (dir, m) = english();
    let ids: Vec<&str> = m.figures.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, FIGURE_IDS.to_vec());
    assert_eq!((m.dpi, m.width_mm, m.lang), (300, 170.0, "en"));
    for f in &m.figures {
        // 170 mm at 300 dpi.
        assert_eq!(f.width_px, 2008, "{}", f.id);
        let png = read(dir.path(), &f.files.png);
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().expect("PNG decodes");
        let info = reader.info();
        assert_eq!(
            (info.width, info.height),
            (f.width_px, f.height_px),
            "{}",
            f.id
        );
        let dims = info.pixel_dims.expect("pHYs chunk");
        assert_eq!(dims.xppu, 11811, "300 dpi in pixels per metre");
        assert!(f.height_px > 600, "{} is {} px high", f.id, f.height_px);
        let svg = String::from_utf8(read(dir.path(), &f.files.svg)).expect("SVG is UTF-8");
        assert!(svg.contains("width=\"170mm\""), "{}: physical width", f.id);
        // Text as the embedded font's outlines: nothing for a viewer to look up.
        assert!(
            !svg.contains("<text") && !svg.contains("font-family"),
            "{}",
            f.id
        );
        assert!(svg.contains("<path id=\"r"), "{}: glyph outlines", f.id);
        assert!(svg.contains("corridor v"), "{}: source line", f.id);
        let pdf = read(dir.path(), &f.files.pdf);
        assert!(pdf.starts_with(b"%PDF-"), "{}", f.id);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"), "{}: font embedded", f.id);
        assert!(
            text.contains("+DejaVuSans"),
            "{}: subset of DejaVu Sans",
            f.id
        );
        assert!(text.contains("/ToUnicode"), "{}", f.id);
        assert!(!text.contains("/CreationDate") && !text.contains("/ModDate"));
        let csv = String::from_utf8(read(dir.path(), &f.data)).expect("CSV is UTF-8");
        assert!(csv.lines().count() >= 2, "{}: data rows", f.id);
        assert!(!f.caption.is_empty() && !f.title.is_empty());
    }
    let on_disk: Manifest = manifest_from(dir.path());
    assert_eq!(on_disk.figures.len(), FIGURE_IDS.len());
}

/// The manifest as written (compared field by field with the returned one).
fn manifest_from(dir: &Path) -> Manifest {
    let v: serde_json::Value =
        serde_json::from_slice(&read(dir, "manifest.json")).expect("manifest is JSON");
    assert_eq!(v["meta"]["command"], "figures");
    assert!(v["meta"]["inputs"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    let (_, m) = english();
    for (i, f) in m.figures.iter().enumerate() {
        let j = &v["figures"][i];
        assert_eq!(j["id"], f.id.as_str());
        assert_eq!(j["files"]["svg"], f.files.svg.as_str());
        assert_eq!(j["files"]["png"], f.files.png.as_str());
        assert_eq!(j["files"]["pdf"], f.files.pdf.as_str());
        assert_eq!(j["sha256"]["pdf"], f.sha256.pdf.as_str());
        assert_eq!(j["data"], f.data.as_str());
        assert_eq!(j["caption"], f.caption.as_str());
        assert_eq!(j["sha256"]["png"], f.sha256.png.as_str());
    }
    assert_eq!(v["dpi"], 300);
    assert_eq!(v["width_mm"], 170.0);
    m.clone()
}

#[test]
fn manifest_hashes_match_the_files() {
    let (dir, m) = english();
    for f in &m.figures {
        assert_eq!(
            sha256_hex(&read(dir.path(), &f.files.svg)),
            f.sha256.svg,
            "{}",
            f.id
        );
        assert_eq!(
            sha256_hex(&read(dir.path(), &f.files.png)),
            f.sha256.png,
            "{}",
            f.id
        );
        assert_eq!(
            sha256_hex(&read(dir.path(), &f.files.pdf)),
            f.sha256.pdf,
            "{}",
            f.id
        );
        assert_eq!(
            sha256_hex(&read(dir.path(), &f.data)),
            f.sha256.data,
            "{}",
            f.id
        );
    }
    assert_eq!(
        sha256_hex(&read(dir.path(), &m.captions.markdown)),
        m.captions.sha256_markdown
    );
    assert_eq!(
        sha256_hex(&read(dir.path(), &m.captions.latex)),
        m.captions.sha256_latex
    );
}

/// A second run of `only` (every figure when `None`) writes the same bytes as the shared
/// English run.
fn second_run_is_byte_identical(only: Option<&[&str]>) {
    let (first, _) = english();
    let second = TempDir::new().expect("temp dir");
    let opts = FigureOptions {
        only: only.map(|ids| ids.iter().map(|s| s.to_string()).collect()),
        ..FigureOptions::default()
    };
    write_figures(data(), second.path(), &opts).expect("figures");
    let mut names: Vec<String> = std::fs::read_dir(second.path())
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| (n != "manifest.json" && !n.starts_with("captions.")) || only.is_none())
        .collect();
    names.sort();
    let figures = only.map_or(FIGURE_IDS.len(), <[&str]>::len);
    // svg, png, pdf, csv per figure; manifest.json, captions.md, captions.tex for a full set.
    assert_eq!(
        names.len(),
        figures * 4 + if only.is_none() { 3 } else { 0 },
        "{names:?}"
    );
    for n in &names {
        assert!(
            read(first.path(), n) == read(second.path(), n),
            "{n} differs between runs"
        );
    }
}

#[test]
fn two_runs_are_byte_identical() {
    // A map and three charts (SVG, PNG at 300 dpi, CSV each); every figure in the slow tier.
    second_run_is_byte_identical(Some(&[
        "map-region",
        "supply-shares-hhi",
        "profile-btc",
        "rank-top",
    ]));
}

#[test]
#[ignore = "slow tier (cargo test -- --ignored): a second run of every figure"]
fn two_full_runs_are_byte_identical() {
    second_run_is_byte_identical(None);
}

#[test]
fn golden_supply_and_exposure_data() {
    let (dir, _) = english();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/figures");
    for name in ["supply-imports.csv", "exposure-bands.csv"] {
        let got = String::from_utf8(read(dir.path(), name)).expect("UTF-8");
        let want = std::fs::read_to_string(fixtures.join(name)).expect("fixture");
        assert_eq!(
            got, want,
            "{name} differs from tests/fixtures/figures/{name}"
        );
    }
}

/// The chart data agree with the analyses themselves, not only with the golden files.
#[test]
fn data_match_the_analyses() {
    let (dir, _) = english();
    let d = data();
    // Exposure: every corridor × band, the same km as `exposure`.
    let zone = d
        .zones
        .iter()
        .find(|z| z.id == "arm-aze-border")
        .expect("zone");
    let rows = corridor::analysis::exposure::exposure(
        &d.network,
        &[zone],
        &[10.0, 20.0, 40.0, 70.0],
        false,
    )
    .rows;
    let csv = String::from_utf8(read(dir.path(), "exposure-bands.csv")).expect("UTF-8");
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.expect("row");
        let e = rows
            .iter()
            .find(|e| e.corridor == rec[0])
            .expect("corridor");
        let band: f64 = rec[2].parse().expect("band");
        let want = e.within_km.get(band).expect("km");
        let got: f64 = rec[3].parse().expect("number");
        assert!(
            (got - want).abs() < 1e-9,
            "{} {}: {got} vs {want}",
            &rec[0],
            &rec[2]
        );
        n += 1;
    }
    assert_eq!(n, rows.len() * 4);
    // Supply: volumes sum to each year's total, shares as `supply` computes them.
    let years = corridor::analysis::supply::years(
        &d.supply,
        &corridor::analysis::supply::SupplyOptions {
            country: "TUR".into(),
            commodity: corridor::model::Commodity::Gas,
            from: None,
            to: None,
        },
        None,
    );
    let csv = String::from_utf8(read(dir.path(), "supply-imports.csv")).expect("UTF-8");
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let mut sums = std::collections::BTreeMap::<i32, f64>::new();
    for rec in rdr.records() {
        let rec = rec.expect("row");
        let year: i32 = rec[0].parse().expect("year");
        let y = years.iter().find(|y| y.year == year).expect("year");
        let share: f64 = rec[3].parse().expect("share");
        assert!((share - y.shares[&rec[1]]).abs() < 1e-6);
        *sums.entry(year).or_default() += rec[2].parse::<f64>().expect("volume");
    }
    for y in &years {
        let total_shares: f64 = y.shares.values().sum();
        assert!(
            (sums[&y.year] - y.total * total_shares).abs() < 1e-4,
            "{}",
            y.year
        );
    }
    // Disruption: the Ganja gap takes Georgia's gas and both oil exports (the default data).
    let csv = String::from_utf8(read(dir.path(), "disruption-ganja.csv")).expect("UTF-8");
    assert!(csv.contains("Georgia,gas,23.4,0,23.4,1,bcm/y"), "{csv}");
}

fn bin() -> Command {
    Command::cargo_bin("corridor").expect("binary")
}

#[test]
fn indonesian_labels_with_lang_id() {
    let en = TempDir::new().expect("temp dir");
    let id = TempDir::new().expect("temp dir");
    let only = "supply-imports,profile-btc,disruption-ganja";
    bin()
        .args(["figures", "--only", only, "-q", "--out"])
        .arg(en.path())
        .assert()
        .success();
    bin()
        .args(["figures", "--lang", "id", "--only", only, "-q", "--out"])
        .arg(id.path())
        .assert()
        .success();
    let svg = |dir: &TempDir, name: &str| String::from_utf8(read(dir.path(), name)).expect("UTF-8");
    let imports = svg(&id, "supply-imports.svg");
    assert!(imports.contains("Impor gas Türkiye menurut pemasok"));
    assert!(imports.contains("miliar m³ per tahun"));
    assert!(imports.contains("Pemasok tidak dilaporkan"));
    assert!(!imports.contains("teratribusi"));
    assert!(imports.contains("Sumber:"));
    // The axis title (possibly on two lines).
    let profile = svg(&id, "profile-btc.svg");
    assert!(profile.contains("Jarak ke perbatasan") && profile.contains("Armenia–Azerbaijan (km)"));
    let disruption = svg(&id, "disruption-ganja.svg");
    assert!(disruption.contains("ribu barel/hari"));
    assert!(disruption.contains("Yunani"));
    assert!(!disruption.contains("Greece"));
    // The SVG escapes the apostrophe.
    assert!(svg(&en, "supply-imports.svg").contains("gas imports by supplier"));
    for name in [
        "supply-imports.svg",
        "supply-imports.png",
        "profile-btc.svg",
    ] {
        assert!(read(en.path(), name) != read(id.path(), name), "{name}");
    }
    // The data behind a chart do not depend on the language.
    assert_eq!(
        read(en.path(), "supply-imports.csv"),
        read(id.path(), "supply-imports.csv")
    );
    let m: serde_json::Value =
        serde_json::from_slice(&read(id.path(), "manifest.json")).expect("JSON");
    assert_eq!(m["lang"], "id");
    assert_eq!(m["figures"].as_array().map(Vec::len), Some(3));
    assert!(m["figures"][0]["caption"]
        .as_str()
        .is_some_and(|c| c.contains("miliar m³ per tahun")));
}

#[test]
fn only_rejects_unknown_ids() {
    let out = TempDir::new().expect("temp dir");
    bin()
        .args(["figures", "--only", "map-region,nope", "--out"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown figure id \"nope\""))
        .stderr(predicates::str::contains("map-ganja"));
    assert!(!out.path().join("manifest.json").exists());
}

#[test]
fn missing_zone_is_a_clear_error() {
    let dir = TempDir::new().expect("temp dir");
    let zones = dir.path().join("zones.geojson");
    std::fs::write(
        &zones,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x","name":"X","kind":"k"},"geometry":{"type":"Point","coordinates":[45,41]}}]}"#,
    )
    .expect("write");
    bin()
        .args(["figures", "--only", "exposure-bands", "--zones"])
        .arg(&zones)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("arm-aze-border"));
}

#[test]
fn lang_is_an_enum() {
    assert_eq!(Lang::Id.as_str(), "id");
    bin().args(["figures", "--lang", "fr"]).assert().code(2);
}

/// A machine without fonts: with fontconfig pointed at nothing and no font folders, the binary
/// writes the same bytes as the library run (every glyph comes from the embedded faces).
#[test]
fn no_system_fonts_needed() {
    let (first, _) = english();
    let out = TempDir::new().expect("temp dir");
    let empty = TempDir::new().expect("temp dir");
    bin()
        .args([
            "figures",
            "--only",
            "map-ganja,supply-imports",
            "-q",
            "--out",
        ])
        .arg(out.path())
        .env("FONTCONFIG_FILE", "/dev/null")
        .env("FONTCONFIG_PATH", empty.path())
        .env("XDG_DATA_DIRS", empty.path())
        .env("HOME", empty.path())
        .assert()
        .success();
    for n in [
        "map-ganja.svg",
        "map-ganja.png",
        "map-ganja.pdf",
        "supply-imports.pdf",
    ] {
        assert!(
            read(first.path(), n) == read(out.path(), n),
            "{n} differs without system fonts"
        );
    }
}

#[test]
fn captions_files_hold_every_figure() {
    let (dir, m) = english();
    let md = String::from_utf8(read(dir.path(), "captions.md")).expect("UTF-8");
    let tex = String::from_utf8(read(dir.path(), "captions.tex")).expect("UTF-8");
    assert_eq!(tex.matches("\\caption[").count(), FIGURE_IDS.len());
    for f in &m.figures {
        assert!(md.contains(&format!("## {} — ", f.id)), "{}", f.id);
        assert!(
            tex.contains(&format!("\\label{{fig:{}}}", f.id)),
            "{}",
            f.id
        );
    }
    // Escaped for LaTeX: no bare per cent sign or underscore in the paragraphs.
    for line in tex.lines().filter(|l| l.starts_with("\\caption")) {
        let bare = line.replace("\\%", "").replace("\\_", "");
        assert!(!bare.contains('%') && !bare.contains('_'), "{line}");
    }
}

/// The source line under a figure names the datasets it draws, read from the data.
#[test]
fn attribution_follows_the_data_drawn() {
    let (dir, _) = english();
    let svg = |n: &str| String::from_utf8(read(dir.path(), n)).expect("UTF-8");
    let region = svg("map-region.svg");
    for want in [
        "Natural Earth",
        "Global Energy Monitor (CC BY 4.0)",
        "© OpenStreetMap contributors (ODbL)",
    ] {
        assert!(region.contains(want), "map-region lacks {want}");
    }
    // BTC's route is GEM's own trace: no OpenStreetMap geometry in its profile.
    let btc = svg("profile-btc.svg");
    assert!(btc.contains("Global Energy Monitor") && !btc.contains("OpenStreetMap"));
    // The supply charts draw no geometry.
    let imports = svg("supply-imports.svg");
    assert!(!imports.contains("OpenStreetMap") && !imports.contains("Global Energy Monitor"));
}

fn layouts_at(width_mm: f64, lang: Lang) -> Vec<FigureLayout> {
    let opts = FigureOptions {
        width_mm,
        lang,
        ..FigureOptions::default()
    };
    layouts(data(), &opts).expect("layouts")
}

fn default_layouts() -> &'static [FigureLayout] {
    static L: OnceLock<Vec<FigureLayout>> = OnceLock::new();
    L.get_or_init(|| layouts_at(170.0, Lang::En))
}

type Rect = ((f64, f64), (f64, f64));

fn overlap(a: Rect, b: Rect) -> bool {
    a.0 .0 < b.1 .0 && b.0 .0 < a.1 .0 && a.0 .1 < b.1 .1 && b.0 .1 < a.1 .1
}

fn point_segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l2 = dx * dx + dy * dy;
    let t = if l2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// Exact distance between a segment and a rectangle (0 when they meet): when they do not meet,
/// the least of the endpoints' distances to the box and the corners' distances to the segment.
fn segment_box_distance(a: (f64, f64), b: (f64, f64), r: Rect) -> f64 {
    // Do they meet? Clip the segment to the box (Liang–Barsky).
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let mut meets = true;
    for (p, q) in [
        (-dx, a.0 - r.0 .0),
        (dx, r.1 .0 - a.0),
        (-dy, a.1 - r.0 .1),
        (dy, r.1 .1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                meets = false;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    if meets && t0 <= t1 {
        return 0.0;
    }
    let pd = |p: (f64, f64)| {
        let dx = (r.0 .0 - p.0).max(0.0).max(p.0 - r.1 .0);
        let dy = (r.0 .1 - p.1).max(0.0).max(p.1 - r.1 .1);
        (dx * dx + dy * dy).sqrt()
    };
    let corners = [r.0, (r.1 .0, r.0 .1), r.1, (r.0 .0, r.1 .1)];
    corners
        .iter()
        .map(|c| point_segment_distance(*c, a, b))
        .chain([pd(a), pd(b)])
        .fold(f64::MAX, f64::min)
}

fn check_map_labels(f: &FigureLayout) {
    let r = &f.record;
    assert!(r.labels.len() >= 5, "{}: {} labels", f.id, r.labels.len());
    let boxes: Vec<(&str, Rect)> = r
        .labels
        .iter()
        .map(|(t, a, b)| (t.as_str(), (*a, *b)))
        .collect();
    // No label box overlaps another.
    for (i, (ta, a)) in boxes.iter().enumerate() {
        for (tb, b) in &boxes[i + 1..] {
            assert!(!overlap(*a, *b), "{}: {ta:?} overlaps {tb:?}", f.id);
        }
    }
    for (t, bx) in boxes.iter().filter(|(t, _)| !t.is_empty()) {
        // No label sits on a drawn line (within its half-width and clearance).
        for (pts, buf) in &r.lines {
            for w in pts.windows(2) {
                let dist = segment_box_distance(w[0], w[1], *bx);
                assert!(
                    dist >= buf - 0.01,
                    "{}: {t:?} is {dist:.1} px from a line (needs {buf:.1})",
                    f.id
                );
            }
        }
        // Nor on a marker.
        for (c, rad) in &r.marks {
            let dx = (bx.0 .0 - c.0).max(0.0).max(c.0 - bx.1 .0);
            let dy = (bx.0 .1 - c.1).max(0.0).max(c.1 - bx.1 .1);
            assert!(
                (dx * dx + dy * dy).sqrt() >= rad - 0.01,
                "{}: {t:?} covers a marker",
                f.id
            );
        }
    }
}

#[test]
fn map_labels_never_collide() {
    for f in default_layouts()
        .iter()
        .filter(|f| f.id.starts_with("map-"))
    {
        check_map_labels(f);
    }
    // The close-up names every district it shows, the gap and the closest points.
    let ganja = default_layouts()
        .iter()
        .find(|f| f.id == "map-ganja")
        .expect("map-ganja");
    let texts: Vec<&str> = ganja.record.labels.iter().map(|l| l.0.as_str()).collect();
    for want in [
        "Tovuz",
        "Ganja gap",
        "BTC 15.0 km",
        "SCP 10.4 km",
        "10 km",
        "70 km",
    ] {
        assert!(texts.contains(&want), "map-ganja lacks {want:?}: {texts:?}");
    }
    let region = default_layouts()
        .iter()
        .find(|f| f.id == "map-region")
        .expect("map-region");
    let texts: Vec<&str> = region.record.labels.iter().map(|l| l.0.as_str()).collect();
    for want in ["BTC", "TANAP", "TURKGOZU-ERZURUM", "Dörtyol FSRU"] {
        assert!(
            texts.contains(&want),
            "map-region lacks {want:?}: {texts:?}"
        );
    }
}

#[test]
fn category_labels_never_run_together() {
    for lang in [Lang::En, Lang::Id] {
        let set = if lang == Lang::En {
            default_layouts().to_vec()
        } else {
            // The charts (the maps have no category axes).
            let opts = FigureOptions {
                lang,
                only: Some(
                    FIGURE_IDS
                        .iter()
                        .filter(|id| !id.starts_with("map-"))
                        .map(|s| s.to_string())
                        .collect(),
                ),
                ..FigureOptions::default()
            };
            layouts(data(), &opts).expect("layouts")
        };
        for f in &set {
            let t = &f.record.ticks;
            for (i, a) in t.iter().enumerate() {
                for b in &t[i + 1..] {
                    assert!(
                        !overlap((a.1, a.2), (b.1, b.2)),
                        "{} ({lang:?}): {:?} runs into {:?}",
                        f.id,
                        a.0,
                        b.0
                    );
                }
            }
        }
    }
}

#[test]
fn value_axes_fit_their_data() {
    for f in default_layouts() {
        for a in &f.record.axes {
            assert!(a.hi >= a.data_max - 1e-9, "{} {}: {a:?}", f.id, a.name);
            // The first tick at or above the data: less than one step of headroom.
            assert!(
                a.hi - a.data_max < a.step + 1e-9,
                "{} {}: axis to {} for data to {}",
                f.id,
                a.name,
                a.hi,
                a.data_max
            );
        }
    }
    let axes = |id: &str| {
        default_layouts()
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.record.axes.clone())
            .expect("figure")
    };
    // supply-imports: a maximum of 58.7 bcm gets an axis to 60, not 80.
    let imports = axes("supply-imports");
    assert_eq!(imports[0].hi, 60.0, "{imports:?}");
    // profile-btc: the chainage axis ends near where the route leaves the 300 km range.
    let btc = axes("profile-btc");
    let ch = btc.iter().find(|a| a.name == "chainage").expect("chainage");
    assert!(ch.hi < 1_100.0, "{ch:?}");
}

#[test]
fn legible_at_single_and_double_column() {
    for width in [85.0, 170.0] {
        let set = if width == 170.0 {
            default_layouts().to_vec()
        } else {
            layouts_at(width, Lang::En)
        };
        assert_eq!(set.len(), FIGURE_IDS.len());
        for f in &set {
            let px = width / 25.4 * f.dpi as f64;
            assert!((f.width_px as f64 - px).abs() <= 1.0, "{}", f.id);
            let min = f.text_pt.iter().copied().fold(f64::MAX, f64::min);
            assert!(
                min >= 7.0 - 1e-9,
                "{} at {width} mm: text of {min:.2} pt",
                f.id
            );
            let thin = f.line_pt.iter().copied().fold(f64::MAX, f64::min);
            assert!(thin >= 0.25, "{} at {width} mm: line of {thin:.2} pt", f.id);
        }
        if width == 85.0 {
            for f in set.iter().filter(|f| f.id.starts_with("map-")) {
                check_map_labels(f);
            }
            for f in &set {
                let t = &f.record.ticks;
                for (i, a) in t.iter().enumerate() {
                    for b in &t[i + 1..] {
                        assert!(
                            !overlap((a.1, a.2), (b.1, b.2)),
                            "{} single: {a:?} {b:?}",
                            f.id
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn hhi_gaps_where_attribution_is_missing() {
    let (_, m) = english();
    let f = m
        .figures
        .iter()
        .find(|f| f.id == "supply-shares-hhi")
        .expect("figure");
    // 2010 and 2012 have no attributed volume at all: gaps, named in the caption.
    assert!(
        f.caption.contains("2010") && f.caption.contains("2012"),
        "{}",
        f.caption
    );
}
