//! Publication figures (`corridor figures`): maps, supply charts, exposure, profiles, disruption
//! and ranking, each as SVG and PNG at print resolution with the CSV of the data behind it, and a
//! `manifest.json` listing files, hashes and captions.
//!
//! Call [`write_figures`] with a [`FigureData`] (see [`FigureData::load`] or
//! [`FigureData::default_dataset`]). Everything is deterministic: two runs on the same inputs
//! write the same bytes.
//!
//! Plotting uses a plate carrée projection with the horizontal scale corrected by the cosine of
//! the map's mean latitude; this affects drawing only. Every measure shown (distances, lengths,
//! bands, the scale bar) is computed geodesically on the WGS84 ellipsoid by the analyses.

mod charts;
mod data;
pub mod i18n;
mod layout;
mod manifest;
mod map;
mod registry;
mod render;
pub mod style;

pub use data::FigureData;
pub use i18n::Lang;
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

/// Default print resolution and width: 300 dpi on a 170 mm text block (a full-width figure in
/// most journals).
pub const DEFAULT_DPI: u32 = 300;
pub const DEFAULT_WIDTH_MM: f64 = 170.0;

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
    if !(opts.dpi >= 36 && opts.dpi <= 1200) {
        bail!("dpi must be between 36 and 1200, got {}", opts.dpi);
    }
    // Below about 150 mm the fixed point sizes no longer fit the year axes and legends; a
    // single-column figure needs its own layout, which these are not.
    if !(opts.width_mm.is_finite() && (150.0..=600.0).contains(&opts.width_mm)) {
        bail!(
            "width must be between 150 and 600 mm (full text width), got {}",
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
    let ctx = data::Ctx::new(data, opts);
    // Build every figure first (in parallel: each is independent and the order of the results
    // is the order of `ids`), so a failing figure leaves no partial set behind.
    use rayon::prelude::*;
    let built: Vec<Result<(&str, Built)>> = ids
        .par_iter()
        .map(|id| build(&ctx, id).map(|b| (*id, b)))
        .collect();
    let built: Vec<(&str, Built)> = built.into_iter().collect::<Result<_>>()?;
    let rendered: Vec<Result<(String, Vec<u8>)>> = built
        .par_iter()
        .map(|(_, b)| {
            Ok((
                render::svg(&b.canvas, &b.prims)?,
                render::png(&b.canvas, &b.prims)?,
            ))
        })
        .collect();
    let mut entries = Vec::new();
    for ((id, b), r) in built.iter().zip(rendered) {
        let (svg, png) = r?;
        let svg_name = format!("{id}.svg");
        let png_name = format!("{id}.png");
        let csv_name = format!("{id}.csv");
        write_atomic(&out_dir.join(&svg_name), svg.as_bytes())?;
        write_atomic(&out_dir.join(&png_name), &png)?;
        write_atomic(&out_dir.join(&csv_name), b.csv.as_bytes())?;
        entries.push(FigureEntry {
            id: id.to_string(),
            title: b.title.clone(),
            files: manifest::Files {
                svg: svg_name,
                png: png_name,
            },
            sha256: manifest::Hashes {
                svg: sha256_hex(svg.as_bytes()),
                png: sha256_hex(&png),
                data: sha256_hex(b.csv.as_bytes()),
            },
            caption: b.caption.clone(),
            data: csv_name,
            width_px: b.canvas.w,
            height_px: b.canvas.h,
            width_mm: b.canvas.width_mm,
            height_mm: crate::model::round(b.canvas.height_mm(), 2),
        });
    }
    let sources: Vec<&Source> = data
        .network_sources
        .iter()
        .chain(&data.zone_sources)
        .chain(&data.basemap_sources)
        .chain(&data.supply_sources)
        .collect();
    let m = Manifest::new(&sources, data.year, opts, entries);
    write_atomic(&out_dir.join("manifest.json"), m.json().as_bytes())?;
    Ok(m)
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
