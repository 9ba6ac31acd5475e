//! `corridor figures`: every figure renders (SVG, PNG at the stated size, CSV), the manifest's
//! hashes match the files, two runs give identical bytes, Indonesian labels appear with
//! `--lang id`, and the data behind the supply and exposure charts match golden files.

use assert_cmd::Command;
use corridor::figures::{write_figures, FigureData, FigureOptions, Lang, Manifest, FIGURE_IDS};
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
        assert!(svg.contains("font-family=\"DejaVu Sans\""), "{}", f.id);
        assert!(svg.contains("corridor v"), "{}: source line", f.id);
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
            sha256_hex(&read(dir.path(), &f.data)),
            f.sha256.data,
            "{}",
            f.id
        );
    }
}

#[test]
fn two_runs_are_byte_identical() {
    let (first, _) = english();
    let second = TempDir::new().expect("temp dir");
    write_figures(data(), second.path(), &FigureOptions::default()).expect("figures");
    let mut names: Vec<String> = std::fs::read_dir(first.path())
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), FIGURE_IDS.len() * 3 + 1, "{names:?}");
    for n in &names {
        assert!(
            read(first.path(), n) == read(second.path(), n),
            "{n} differs between runs"
        );
    }
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
    assert!(imports.contains("Tidak teratribusi"));
    assert!(imports.contains("Sumber:"));
    assert!(svg(&id, "profile-btc.svg").contains("Jarak ke perbatasan Armenia–Azerbaijan (km)"));
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
