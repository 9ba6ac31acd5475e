//! `corridor routes`.

use crate::analysis::routes::routes;
use crate::cli::{inputs, write_report, Settings, TABLE_JSON_CSV};
use crate::input::{embedded, load_countries, Source};
use crate::report;
use anyhow::Result;

pub fn run(s: &Settings) -> Result<i32> {
    let (net, sources, loaded) = inputs::network_with_report(s)?;
    let countries = load_countries(&embedded::basemap())?;
    let r = routes(&net, &countries);
    let srcs: Vec<&Source> = sources.iter().collect();
    let rep = report::routes::report(&r, &srcs, s.year, s.snap_m, s.schema, &loaded.notes);
    write_report(s, &rep, &TABLE_JSON_CSV)?;
    Ok(0)
}
