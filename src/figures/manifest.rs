//! `manifest.json`: per figure its id, files, SHA-256 hashes, caption and data file, plus the
//! print resolution, so a manuscript build can check it includes what was generated.

use super::FigureOptions;
use crate::input::Source;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Files {
    pub svg: String,
    pub png: String,
    pub pdf: String,
}

/// SHA-256 (lower-case hex) of each file of a figure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hashes {
    pub svg: String,
    pub png: String,
    pub pdf: String,
    /// Of the CSV named by `data`.
    pub data: String,
}

/// One figure in the manifest.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FigureEntry {
    pub id: String,
    pub title: String,
    pub files: Files,
    pub sha256: Hashes,
    pub caption: String,
    /// The CSV of the data behind the figure.
    pub data: String,
    pub width_px: u32,
    pub height_px: u32,
    pub width_mm: f64,
    pub height_mm: f64,
}

/// The manifest of one `corridor figures` run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Manifest {
    pub meta: Value,
    pub lang: &'static str,
    pub dpi: u32,
    pub width_mm: f64,
    pub figures: Vec<FigureEntry>,
    /// The captions files written beside the figures.
    pub captions: Captions,
}

/// `captions.md` and `captions.tex`, with their hashes.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Captions {
    pub markdown: String,
    pub latex: String,
    pub sha256_markdown: String,
    pub sha256_latex: String,
}

impl Manifest {
    pub fn new(
        sources: &[&Source],
        year: Option<i32>,
        opts: &FigureOptions,
        figures: Vec<FigureEntry>,
    ) -> Manifest {
        let meta = crate::report::meta(
            "figures",
            sources,
            year,
            serde_json::json!({
                "lang": opts.lang.as_str(),
                "only": opts.only,
                "dpi": opts.dpi,
                "width_mm": opts.width_mm,
            }),
        );
        Manifest {
            meta,
            lang: opts.lang.as_str(),
            dpi: opts.dpi,
            width_mm: opts.width_mm,
            figures,
            captions: Captions::default(),
        }
    }

    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}
