//! Publication figures (`corridor figures`): maps, supply charts, exposure, profiles, disruption
//! and ranking, each as SVG, PNG (at print resolution) and PDF (vector, fonts embedded) with the
//! CSV of the data behind it, the captions as `captions.md` and `captions.tex`, and a
//! `manifest.json` listing files, hashes and captions.
//!
//! Call [`write_figures`] with a [`FigureData`] (see [`FigureData::load`] or
//! [`FigureData::default_dataset`]). Everything is deterministic: two runs on the same inputs
//! write the same bytes.
//!
//! Plotting uses a plate carrée projection with the horizontal scale corrected by the cosine of
//! the map's mean latitude; this affects drawing only. Every measure shown (distances, lengths,
//! bands, the scale bar) is computed geodesically on the WGS84 ellipsoid by the analyses.

mod captions;
mod charts;
mod data;
pub mod i18n;
mod layout;
mod manifest;
mod map;
mod registry;
mod render;
pub mod style;
mod text;

pub use data::{Analyses, FigureData};
pub use i18n::Lang;
pub use layout::{AxisFit, Record};
pub use manifest::{FigureEntry, Manifest};
pub use registry::{available, Figure, FIGURES, FIGURE_IDS};

use crate::input::Source;
use crate::write::write_atomic;
use anyhow::{bail, Result};
use render::{Canvas, Prim};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Zone ids the figures rely on (the contract's ids of the default dataset).
pub const BORDER_ZONE: &str = "arm-aze-border";
pub const GAP_ZONE: &str = "ganja-gap";
pub const TOVUZ_ZONE: &str = "tovuz";

/// Default print resolution and width: 300 dpi on a 170 mm text block (a full-width figure in
/// most journals).
pub const DEFAULT_DPI: u32 = 300;
pub const DEFAULT_WIDTH_MM: f64 = 170.0;
/// Journal column widths: `--width single` and `--width double`.
pub const SINGLE_COLUMN_MM: f64 = 85.0;
pub const DOUBLE_COLUMN_MM: f64 = 170.0;
/// The narrowest and widest figure the layouts are made for.
pub const MIN_WIDTH_MM: f64 = 80.0;
pub const MAX_WIDTH_MM: f64 = 600.0;

/// Parses a `--width` value: `single` (85 mm), `double` (170 mm) or millimetres.
pub fn parse_width(s: &str) -> std::result::Result<f64, String> {
    let v = match s.trim() {
        "single" => SINGLE_COLUMN_MM,
        "double" => DOUBLE_COLUMN_MM,
        other => other
            .trim_end_matches("mm")
            .parse::<f64>()
            .map_err(|_| format!("expected single, double or a width in mm, got {s:?}"))?,
    };
    if !(v.is_finite() && (MIN_WIDTH_MM..=MAX_WIDTH_MM).contains(&v)) {
        return Err(format!(
            "width must be between {MIN_WIDTH_MM} and {MAX_WIDTH_MM} mm, got {v}"
        ));
    }
    Ok(v)
}

/// How to write the figures.
#[derive(Debug, Clone)]
pub struct FigureOptions {
    pub lang: Lang,
    /// Only these ids (all when `None`); unknown ids are an error listing the valid ones.
    pub only: Option<Vec<String>>,
    pub dpi: u32,
    pub width_mm: f64,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            lang: Lang::En,
            only: None,
            dpi: DEFAULT_DPI,
            width_mm: DEFAULT_WIDTH_MM,
        }
    }
}

/// One built figure: the display list, its canvas, the data behind it.
pub(crate) struct Built {
    pub canvas: Canvas,
    pub prims: Vec<Prim>,
    pub record: layout::Record,
    pub title: String,
    pub caption: String,
    pub csv: String,
}

/// Checks `--only` ids; `None` means every figure.
pub fn select(only: Option<&[String]>) -> Result<Vec<&'static str>> {
    let Some(only) = only else {
        return Ok(FIGURE_IDS.to_vec());
    };
    for id in only {
        if registry::figure(id).is_none() {
            bail!(
                "unknown figure id {id:?}; valid ids: {}",
                FIGURE_IDS.join(", ")
            );
        }
    }
    Ok(FIGURE_IDS
        .iter()
        .copied()
        .filter(|f| only.iter().any(|o| o == f))
        .collect())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Renders the chosen figures into `out_dir` (`{id}.svg`, `{id}.png`, `{id}.csv`) and writes
/// `manifest.json`; every file is written atomically. Returns the manifest.
pub fn write_figures(data: &FigureData, out_dir: &Path, opts: &FigureOptions) -> Result<Manifest> {
    write_figures_with(data, out_dir, opts, Analyses::default())
}

/// [`write_figures`] with analyses the caller has already run on `data` (see [`Analyses`]).
pub fn write_figures_with(
    data: &FigureData,
    out_dir: &Path,
    opts: &FigureOptions,
    given: Analyses,
) -> Result<Manifest> {
    if !(opts.dpi >= 36 && opts.dpi <= 1200) {
        bail!("dpi must be between 36 and 1200, got {}", opts.dpi);
    }
    // Text sizes are fixed in points at the printed size; the layouts reflow from a single
    // column (85 mm) up.
    if !(opts.width_mm.is_finite() && (MIN_WIDTH_MM..=MAX_WIDTH_MM).contains(&opts.width_mm)) {
        bail!(
            "width must be between {MIN_WIDTH_MM} and {MAX_WIDTH_MM} mm, got {}",
            opts.width_mm
        );
    }
    // Each PNG is rendered in memory (3 bytes a pixel): keep the widest canvas sane.
    let width_px = opts.width_mm / 25.4 * opts.dpi as f64;
    if width_px > 12_000.0 {
        bail!(
            "{} mm at {} dpi is {width_px:.0} pixels wide; keep it at most 12,000 (e.g. 170 mm at 600 dpi)",
            opts.width_mm,
            opts.dpi
        );
    }
    let ids = select(opts.only.as_deref())?;
    let ctx = data::Ctx::with(data, opts, given);
    // Build every figure first (in parallel: each is independent and the order of the results
    // is the order of `ids`), so a failing figure leaves no partial set behind.
    use rayon::prelude::*;
    let built: Vec<Result<(&str, Built)>> = ids
        .par_iter()
        .map(|id| build(&ctx, id).map(|b| (*id, b)))
        .collect();
    let built: Vec<(&str, Built)> = built.into_iter().collect::<Result<_>>()?;
    // Each figure is rendered and its files written (each flushed to disk before it is renamed
    // into place) as soon as it is ready, in parallel; the entries keep the order of `ids`.
    let entries: Vec<Result<FigureEntry>> = built
        .par_iter()
        .map(|(id, b)| {
            let (svg, (png, pdf)) = rayon::join(
                || render::svg(&b.canvas, &b.prims),
                || {
                    rayon::join(
                        || render::png(&b.canvas, &b.prims),
                        || render::pdf(&b.canvas, &b.prims, &b.title),
                    )
                },
            );
            let (svg, png, pdf) = (svg?, png?, pdf?);
            let svg_name = format!("{id}.svg");
            let png_name = format!("{id}.png");
            let pdf_name = format!("{id}.pdf");
            let csv_name = format!("{id}.csv");
            write_atomic(&out_dir.join(&svg_name), svg.as_bytes())?;
            write_atomic(&out_dir.join(&png_name), &png)?;
            write_atomic(&out_dir.join(&pdf_name), &pdf)?;
            write_atomic(&out_dir.join(&csv_name), b.csv.as_bytes())?;
            Ok(FigureEntry {
                id: id.to_string(),
                title: b.title.clone(),
                files: manifest::Files {
                    svg: svg_name,
                    png: png_name,
                    pdf: pdf_name,
                },
                sha256: manifest::Hashes {
                    svg: sha256_hex(svg.as_bytes()),
                    png: sha256_hex(&png),
                    pdf: sha256_hex(&pdf),
                    data: sha256_hex(b.csv.as_bytes()),
                },
                caption: b.caption.clone(),
                data: csv_name,
                width_px: b.canvas.w,
                height_px: b.canvas.h,
                width_mm: b.canvas.width_mm,
                height_mm: crate::model::round(b.canvas.height_mm(), 2),
            })
        })
        .collect();
    let entries: Vec<FigureEntry> = entries.into_iter().collect::<Result<_>>()?;
    let sources: Vec<&Source> = data
        .network_sources
        .iter()
        .chain(&data.zone_sources)
        .chain(&data.basemap_sources)
        .chain(&data.supply_sources)
        .collect();
    let mut m = Manifest::new(&sources, data.year, opts, entries);
    let (md, tex) = captions::render(&m, opts.lang);
    write_atomic(&out_dir.join(captions::MD), md.as_bytes())?;
    write_atomic(&out_dir.join(captions::TEX), tex.as_bytes())?;
    m.captions = manifest::Captions {
        markdown: captions::MD.into(),
        latex: captions::TEX.into(),
        sha256_markdown: sha256_hex(md.as_bytes()),
        sha256_latex: sha256_hex(tex.as_bytes()),
    };
    write_atomic(&out_dir.join("manifest.json"), m.json().as_bytes())?;
    Ok(m)
}

/// What the layout of one figure decided, for tests and checks: its canvas, the layout record
/// (value axes against their data, map labels with the lines and markers they keep clear of,
/// category labels) and the size of every text in points as printed.
#[derive(Debug, Clone)]
pub struct FigureLayout {
    pub id: String,
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: u32,
    pub record: Record,
    pub text_pt: Vec<f64>,
    /// Line widths in points as printed.
    pub line_pt: Vec<f64>,
}

/// Lays out the chosen figures without writing anything.
pub fn layouts(data: &FigureData, opts: &FigureOptions) -> Result<Vec<FigureLayout>> {
    let ids = select(opts.only.as_deref())?;
    let ctx = data::Ctx::new(data, opts);
    use rayon::prelude::*;
    let built: Vec<Result<FigureLayout>> = ids
        .par_iter()
        .map(|id| {
            let b = build(&ctx, id)?;
            let k = 72.0 / b.canvas.dpi as f64;
            let text_pt = b
                .prims
                .iter()
                .filter_map(|p| match p {
                    Prim::Text { px, .. } => Some(px * k),
                    _ => None,
                })
                .collect();
            let line_pt = b
                .prims
                .iter()
                .filter_map(|p| match p {
                    Prim::Line { width, .. } => Some(width * k),
                    _ => None,
                })
                .collect();
            Ok(FigureLayout {
                id: id.to_string(),
                width_px: b.canvas.w,
                height_px: b.canvas.h,
                dpi: b.canvas.dpi,
                record: b.record,
                text_pt,
                line_pt,
            })
        })
        .collect();
    built.into_iter().collect()
}

/// Every figure's id, title and caption for `data` (built, not rendered); a figure the data
/// cannot draw says why in place of its caption.
pub fn captions(data: &FigureData, opts: &FigureOptions) -> Vec<(String, String, String)> {
    let ctx = data::Ctx::new(data, opts);
    use rayon::prelude::*;
    FIGURES
        .par_iter()
        .map(|f| match (f.build)(&ctx) {
            Ok(b) => (f.id.to_string(), b.title, b.caption),
            Err(e) => (
                f.id.to_string(),
                String::new(),
                format!("not available: {e}"),
            ),
        })
        .collect()
}

fn build(ctx: &data::Ctx, id: &str) -> Result<Built> {
    match registry::figure(id) {
        Some(f) => (f.build)(ctx),
        None => bail!("unknown figure id {id:?}"),
    }
}
