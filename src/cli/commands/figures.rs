//! `corridor figures`: load every input (the embedded dataset unless files are given), write the
//! figures and the manifest under `--out` (default `output/figures`), list what was written.

use crate::cli::{inputs, Settings, UsageError};
use crate::figures::{self, FigureOptions, Lang};
use anyhow::Result;
use std::path::PathBuf;

pub fn run(s: &Settings, lang: Lang, only: &[String], dpi: u32, width_mm: f64) -> Result<i32> {
    let opts = FigureOptions {
        lang,
        only: (!only.is_empty()).then(|| only.to_vec()),
        dpi,
        width_mm,
    };
    // Check the ids before loading anything, so a typo fails fast.
    figures::select(opts.only.as_deref()).map_err(|e| UsageError(e.to_string()))?;
    let data = inputs::figure_data(s)?;
    let dir = s
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output/figures"));
    let manifest = figures::write_figures(&data, &dir, &opts)?;
    if !s.quiet {
        for f in &manifest.figures {
            println!(
                "{:<18} {} {} {}",
                f.id,
                dir.join(&f.files.svg).display(),
                dir.join(&f.files.png).display(),
                dir.join(&f.data).display()
            );
        }
        println!("manifest: {}", dir.join("manifest.json").display());
    }
    Ok(0)
}
