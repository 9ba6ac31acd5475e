//! `corridor profile`: distance to one zone sampled along one corridor.

use crate::analysis::profile::{prepare, profile_with_progress, ProfileQuery};
use crate::cli::{inputs, progress, settings, write_report, Settings, TABLE_JSON_CSV};
use crate::geodesy::ZoneIndex;
use crate::input::Source;
use crate::report;
use anyhow::Result;

pub fn run(s: &Settings, corridor: &str, zone: &str, step: f64) -> Result<i32> {
    settings::step(step)?;
    let (net, net_srcs) = inputs::network(s)?;
    let (zones, zone_srcs) = inputs::zones(s)?;
    let query = ProfileQuery {
        corridor,
        zone,
        step_km: step,
    };
    let p = prepare(&net, &zones, query)?;
    let bar = progress::bar(s.quiet, p.samples as u64);
    bar.set_message("samples");
    let samples = profile_with_progress(&p.route, &ZoneIndex::new(&p.zone.geometry), step, &|n| {
        bar.inc(n)
    });
    bar.finish_and_clear();
    let sources: Vec<&Source> = net_srcs.iter().chain(&zone_srcs).collect();
    let rep = report::exposure::profile_report(&samples, &sources, s.year, query);
    write_report(s, &rep, &TABLE_JSON_CSV)?;
    Ok(0)
}
