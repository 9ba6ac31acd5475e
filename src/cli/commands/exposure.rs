//! `corridor exposure`: every corridor × the chosen zones; geojson writes the exposed
//! stretches, the table adds co-location as a second block.

use crate::analysis::exposure::exposure_with_progress;
use crate::analysis::{select_zones, sorted_bands, unknown_id};
use crate::cli::{inputs, progress, settings, write_report, Settings};
use crate::input::Source;
use crate::report;
use crate::write::{emit, Format};
use anyhow::Result;

pub fn run(s: &Settings, zone_ids: &[String], corridors: &[String], bands: &[f64]) -> Result<i32> {
    settings::bands(bands)?;
    let (v, net_srcs, loaded) = inputs::vintage_with_report(s)?;
    let mut net = v.network;
    if !corridors.is_empty() {
        let present = net.corridors();
        if let Some(c) = corridors.iter().find(|c| !present.contains(&c.as_str())) {
            return Err(unknown_id("corridor", c, present).into());
        }
        net.segments.retain(|seg| corridors.contains(&seg.corridor));
    }
    let (zones, zone_srcs) = inputs::zones(s)?;
    let chosen = select_zones(&zones, zone_ids)?;
    let format = s.format.unwrap_or(Format::Table);
    let bar = progress::bar(s.quiet, (net.corridors().len() * chosen.len()) as u64);
    bar.set_message("corridor × zone");
    let result = exposure_with_progress(&net, &chosen, bands, format == Format::Geojson, &|n| {
        bar.inc(n)
    });
    bar.finish_and_clear();
    let sources: Vec<&Source> = net_srcs.iter().chain(&zone_srcs).collect();
    let out = report::exposure::report(
        &result,
        &sources,
        s.year,
        &chosen,
        &sorted_bands(bands),
        &loaded.notes,
    );
    match format {
        Format::Geojson => emit(s.out.as_deref(), &out.geojson)?,
        Format::Table => emit(s.out.as_deref(), &out.table.table())?,
        _ => write_report(s, &out.report, &[Format::Json, Format::Csv])?,
    }
    Ok(0)
}
