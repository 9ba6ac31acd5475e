//! `corridor routes`.

use crate::analysis::routes::routes;
use crate::cli::{inputs, write_report, Settings, TABLE_JSON_CSV};
use crate::input::{embedded, load_countries, Source};
use crate::report;
use anyhow::Result;

pub fn run(s: &Settings) -> Result<i32> {
    let (v, sources, loaded) = inputs::vintage_with_report(s)?;
    let countries = load_countries(&embedded::basemap())?;
    let mut r = routes(&v.network, &countries);
    for route in &mut r {
        if v.planned
            .iter()
            .any(|p| p.corridor.as_deref() == Some(&route.corridor))
        {
            route.capacity_status = Some("planned");
        }
    }
    let srcs: Vec<&Source> = sources.iter().collect();
    let mut notes = loaded.notes;
    notes.extend(inputs::vintage_notes(s, &v));
    let rep = report::routes::report(&r, &srcs, s.year, s.snap_m, s.schema, &notes);
    write_report(s, &rep, &TABLE_JSON_CSV)?;
    Ok(0)
}
