//! `corridor map`: load the network, zones and basemap (the embedded dataset unless files are
//! given), run the analyses the map shows, and write the page to `--out` (default
//! `output/map.html`).

use crate::cli::{inputs, progress, settings, Settings};
use crate::figures::Lang;
use crate::usage;
use crate::webmap::{self, MapOptions};
use crate::write::write_atomic;
use anyhow::Result;
use std::path::PathBuf;

/// Where the map goes without `--out`.
pub const DEFAULT_OUT: &str = "output/map.html";

pub fn run(s: &Settings, lang: Lang, bands: &[f64], focus: Option<&str>) -> Result<i32> {
    settings::bands(bands)?;
    if let Some(f) = s.format {
        usage!(
            "--format {} is not available for this command (it writes one HTML file)",
            f.as_str()
        );
    }
    let data = inputs::figure_data(s)?;
    if let Some(z) = focus {
        if let Err(e) = crate::analysis::find_zone(&data.zones, z) {
            usage!("--focus: {e}");
        }
    }
    let path = s.out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let bar = progress::spinner(s.quiet, "drawing the map".into());
    let opts = MapOptions {
        lang,
        focus_zone: focus.map(str::to_string),
    };
    let html = webmap::build(&data, bands, &opts);
    bar.finish_and_clear();
    let html = html?;
    write_atomic(&path, html.as_bytes())?;
    if !s.quiet {
        println!(
            "map: {} ({:.2} MB)",
            path.display(),
            html.len() as f64 / 1e6
        );
    }
    Ok(0)
}
