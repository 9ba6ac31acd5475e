//! The terminal summary of `corridor report`: the numbers that matter, from the typed results.

use crate::analysis::check::CheckSummary;
use crate::analysis::exposure::Exposure;
use crate::analysis::flow::{tie_groups, Disruption, RankRow, Simulation};
use crate::analysis::supply::{N1Cases, YearRow};
use crate::model::round;
use std::fmt::Write as _;

/// The zone whose disruption the report studies, and the border the exposure summary quotes.
pub const CHOKEPOINT: &str = "ganja-gap";
pub const BORDER: &str = "arm-aze-border";

/// Everything the summary quotes.
pub struct Summary<'a> {
    pub corridors: usize,
    pub check: &'a CheckSummary,
    pub exposure: &'a [Exposure],
    pub disruption: Option<&'a Disruption>,
    pub ranking: &'a [RankRow],
    /// The Monte Carlo and its parameters: runs, seed, element failure probability, the Ganja
    /// gap's event probability.
    pub simulation: Option<(&'a Simulation, u64, u64, f64, f64)>,
    pub supply: Option<&'a [YearRow]>,
    pub n1: Option<&'a N1Cases>,
    pub files_written: usize,
}

fn opt(v: Option<usize>) -> String {
    v.map_or_else(|| "null".to_string(), |n| n.to_string())
}

/// The summary as text, one line per fact.
pub fn render(s: &Summary) -> String {
    let mut o = String::new();
    let net = s.check.network.as_ref();
    let _ = writeln!(o, "corridor report\n");
    let _ = writeln!(
        o,
        "Network: {} corridors, {} segments, {} nodes; check: {} errors, {} warnings",
        s.corridors,
        opt(net.map(|n| n.segments)),
        opt(net.map(|n| n.nodes)),
        s.check.errors,
        s.check.warnings
    );

    let _ = writeln!(o, "\nExposure (geodesic, WGS84):");
    for r in s.exposure {
        if r.zone == BORDER && ["BTC", "SCP", "WREP"].contains(&r.corridor.as_str()) {
            let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
            let _ = writeln!(
                o,
                "  {:<5} closest to the Armenia–Azerbaijan border {:.1} km (at {:.3}N {:.3}E, km {:.0} of the route); {:.1} km of route within 20 km",
                r.corridor,
                nan(r.min_distance_km),
                nan(r.lat),
                nan(r.lon),
                nan(r.chainage_km),
                nan(r.within_km.get(20.0))
            );
        }
    }
    for r in s.exposure {
        if ["ganja-gap", "tovuz"].contains(&r.zone.as_str()) && r.inside_km > 0.0 {
            let _ = writeln!(
                o,
                "  {:<5} {:.1} km inside {}",
                r.corridor, r.inside_km, r.zone
            );
        }
    }

    if let Some(d) = s.disruption {
        let _ = writeln!(
            o,
            "\nIf the Ganja gap is cut (every line and node touching it):"
        );
        for m in &d.markets {
            let lost = round(m.lost, 6);
            if lost > 0.0 || m.market == "Türkiye" {
                let _ = writeln!(
                    o,
                    "  {:<14} loses {:>7.1} of {:>7.1} {} ({:.0} %; {})",
                    m.market,
                    lost,
                    round(m.baseline, 6),
                    m.unit,
                    100.0 * round(m.lost_share, 6),
                    if m.demand.is_some() {
                        "of its served demand"
                    } else {
                        "of capacity: demand unknown"
                    }
                );
            }
        }
    }

    let _ = writeln!(
        o,
        "\nWorst single elements per commodity (loss of total deliverability; exact ties in one line):"
    );
    let groups = tie_groups(s.ranking);
    let mut commodities = Vec::new();
    for g in &groups {
        if !commodities.contains(&g.commodity) {
            commodities.push(g.commodity);
        }
    }
    for c in commodities {
        for g in groups
            .iter()
            .filter(|g| g.commodity == c && g.lost > 0.0)
            .take(3)
        {
            let who = if g.elements == 1 {
                g.ids[0].clone()
            } else {
                let shown: Vec<&str> = g.ids.iter().take(3).map(String::as_str).collect();
                format!(
                    "{} elements each ({}{})",
                    g.elements,
                    shown.join(", "),
                    if g.elements > 3 { ", …" } else { "" }
                )
            };
            let _ = writeln!(
                o,
                "  {:<4} {:>7.1} {} ({:.0} % of {c}): {who}",
                c.as_str(),
                round(g.lost, 6),
                g.unit,
                100.0 * round(g.lost_share, 6),
            );
        }
    }

    if let Some((sim, runs, seed, p, zp)) = s.simulation {
        let _ = writeln!(
            o,
            "\nMonte Carlo ({runs} runs, seed {seed}; each segment and node fails with p = {p}, the Ganja gap with p = {zp}):"
        );
        for d in &sim.distribution {
            if d.p_any_loss > 0.0 {
                let _ = writeln!(
                    o,
                    "  {:<14} mean loss {:>6.2} {}, p95 {:>7.1}, p99 {:>7.1}; some loss in {:.1} % of runs",
                    d.market,
                    round(d.mean_lost, 6),
                    d.unit,
                    round(d.p95, 6),
                    round(d.p99, 6),
                    100.0 * round(d.p_any_loss, 6)
                );
            }
        }
    }

    if let Some(last) = s.supply.and_then(|rows| rows.last()) {
        let mut top: Vec<(&String, f64)> =
            last.shares.iter().map(|(k, v)| (k, round(*v, 6))).collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1));
        let top: Vec<String> = top
            .iter()
            .take(4)
            .map(|(k, v)| format!("{k} {:.1} %", 100.0 * v))
            .collect();
        let _ = writeln!(
            o,
            "\nTürkiye's gas imports {}: {:.2} bcm; {}; HHI {} (range {:.0}–{:.0}); {:.1} % crosses the Ganja gap",
            last.year,
            round(last.total, 6),
            top.join(", "),
            last.hhi
                .map_or("not reported (too little attributed)".to_string(), |h| format!("{:.0}", round(h, 1))),
            round(last.hhi_min, 1),
            round(last.hhi_max, 1),
            100.0 * last.exposed_share.map_or(f64::NAN, |v| round(v, 6))
        );
    }
    if let Some(n) = s.n1 {
        for r in [&n.standard, &n.common] {
            let _ = writeln!(
                o,
                "  N-1 {:<12} {:.1} % (Im = {:.1} mcm/d)",
                r.case,
                round(r.n1_percent, 3),
                round(r.im, 3)
            );
        }
    }

    let _ = writeln!(o, "\nWrote {} files", s.files_written);
    o
}
