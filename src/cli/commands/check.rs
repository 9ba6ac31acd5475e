//! `corridor check`: exits 1 when it finds an error.

use crate::analysis::check::check;
use crate::cli::{inputs, write_report, Settings, TABLE_JSON_CSV};
use crate::error::Severity;
use crate::input::{embedded, Source};
use crate::report;
use anyhow::Result;
use std::path::PathBuf;

pub fn run(s: &Settings, files: &[PathBuf]) -> Result<i32> {
    let sources = if files.is_empty() {
        let mut v = inputs::network_sources(s)?;
        if s.network.is_empty() {
            v.extend(embedded::zones());
            v.extend(embedded::basemap());
            v.extend(embedded::supply());
            v.extend(embedded::history());
        }
        v
    } else {
        inputs::read_all(&inputs::expand(files)?)?
    };
    let result = check(&sources, s.load_options(), s.snap_m);
    let srcs: Vec<&Source> = sources.iter().collect();
    let rep = report::check::report(&result, &srcs, s.year, s.snap_m);
    write_report(s, &rep, &TABLE_JSON_CSV)?;
    Ok(if result.count(Severity::Error) > 0 {
        1
    } else {
        0
    })
}
