//! Lower bounds on the support of maximum flows (issue 17): for every market alone and every
//! commodity's total, the max-flow value F, the layered-cut lower bounds on the solver pairs that
//! every maximum flow uses (L) and on `Σ_p |f_p|` (W), the same for the solver's own flow, and
//! the time of one cold solve of the value (median of REPS).
//!
//! ```text
//! cargo run --release --example flow_support -- NETWORK [REPS=5]
//! ```
//!
//! Columns: `L_sink`/`W_sink` from layers by distance to the sink (bound every maximum flow and
//! every maximum preflow pushed from the source), `L_src`/`W_src` from layers by distance from
//! the source (every maximum flow and every maximum preflow pulled from the sink), `L`/`W` the
//! larger of each (every maximum flow), `used`/`used_W` the solver's flow
//! (`FlowModel::baseline_flow`), `solve_s` the time of `FlowModel::max_flow` for the value.
//! `W_min` is the least `Σ_p |f_p|` of any maximum flow, exactly (a minimum-cost maximum
//! flow), and `L_min` the pairs it forces (`FlowModel::min_cost_bound`; slow, seconds at 10^5
//! segments). The last line is JSON with the sums over markets, the totals and the median time of the
//! whole deliverability workload (`flow::flow`, as `workload flow` times it).

use corridor::analysis::flow::{self, FlowModel, MinCostBound, SupportBound, Target, Workspace};
use corridor::input::{load_network, LoadOptions, Source};
use corridor::topology::{build, DEFAULT_SNAP_M};
use std::path::Path;
use std::time::Instant;

mod common;
use common::{fail, median};

/// The median time of `reps` cold solves of the value of `target`.
fn solve_time(m: &FlowModel, ws: &mut Workspace, target: Target, reps: usize) -> f64 {
    let times = (0..reps)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(m.max_flow(ws, target, &[], None));
            t.elapsed().as_secs_f64()
        })
        .collect();
    median(times)
}

fn row(name: &str, b: &SupportBound, mc: &MinCostBound, secs: f64) {
    println!(
        "{name:<14} {:>10.3} {:>7} {:>7} {:>7} {:>11.1} {:>11.1} {:>7} {:>11.1} {:>7} {:>11.1} {:>10.6}",
        b.value,
        b.to_sink.pairs,
        b.from_source.pairs,
        b.pairs(),
        b.to_sink.flow_pairs,
        b.from_source.flow_pairs,
        mc.pairs,
        mc.flow_pairs,
        b.used_pairs,
        b.used_flow_pairs,
        secs
    );
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.is_empty() {
        eprintln!("usage: flow_support NETWORK [REPS]");
        std::process::exit(2)
    }
    let reps: usize = a.get(1).and_then(|s| s.parse().ok()).unwrap_or(5).max(1);
    let src = Source::read(Path::new(&a[0])).unwrap_or_else(|e| fail(e.to_string()));
    let net = load_network(&[src], LoadOptions::default())
        .unwrap_or_else(|e| fail(e.to_string()))
        .0;
    let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
    let mut ws = Workspace::new(&m);
    println!(
        "{}: {} segments, {} solver arcs ({} as built)",
        a[0],
        net.segments.len(),
        m.solver_arc_count(),
        m.arc_count()
    );
    println!(
        "{:<14} {:>10} {:>7} {:>7} {:>7} {:>11} {:>11} {:>7} {:>11} {:>7} {:>11} {:>10}",
        "target",
        "F",
        "L_sink",
        "L_src",
        "L",
        "W_sink",
        "W_src",
        "L_min",
        "W_min",
        "used",
        "used_W",
        "solve_s"
    );
    let (mut sum_l, mut sum_w, mut sum_used, mut sum_used_w, mut sum_s) = (0, 0.0, 0, 0.0, 0.0);
    let (mut sum_lmin, mut sum_wmin) = (0, 0.0);
    let mut min_cost_s = 0.0;
    let mut min_cost = |target| {
        let t = Instant::now();
        let mc = m.min_cost_bound(target).expect("a target");
        min_cost_s += t.elapsed().as_secs_f64();
        mc
    };
    for (i, mk) in m.markets().iter().enumerate() {
        let target = Target::Market(i);
        let b = m.support_bound(&mut ws, target).expect("a market");
        let mc = min_cost(target);
        let secs = solve_time(&m, &mut ws, target, reps);
        row(
            &format!("{} {}", mk.name, mk.commodity.as_str()),
            &b,
            &mc,
            secs,
        );
        sum_lmin += mc.pairs;
        sum_wmin += mc.flow_pairs;
        sum_l += b.pairs();
        sum_w += b.flow_pairs();
        sum_used += b.used_pairs;
        sum_used_w += b.used_flow_pairs;
        sum_s += secs;
    }
    let mut totals = Vec::new();
    for (ci, c) in m.commodities().iter().enumerate() {
        let target = Target::All(ci);
        let b = m.support_bound(&mut ws, target).expect("a commodity");
        let mc = min_cost(target);
        let secs = solve_time(&m, &mut ws, target, reps);
        row(&format!("all {}", c.as_str()), &b, &mc, secs);
        totals.push(format!(
            "{{\"commodity\":\"{}\",\"F\":{},\"L\":{},\"W\":{},\"L_min\":{},\"W_min\":{},\"used\":{},\"used_W\":{},\"solve_s\":{secs}}}",
            c.as_str(),
            b.value,
            b.pairs(),
            b.flow_pairs(),
            mc.pairs,
            mc.flow_pairs,
            b.used_pairs,
            b.used_flow_pairs
        ));
    }
    let times = (0..reps)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(flow::flow(&m));
            t.elapsed().as_secs_f64()
        })
        .collect();
    let deliverability = median(times);
    println!(
        "{{\"segments\":{},\"markets\":{},\"sum_L\":{sum_l},\"sum_W\":{sum_w},\"sum_L_min\":{sum_lmin},\"sum_W_min\":{sum_wmin},\"sum_used\":{sum_used},\"sum_used_W\":{sum_used_w},\"sum_solve_s\":{sum_s},\"totals\":[{}],\"deliverability_s\":{deliverability},\"min_cost_s\":{min_cost_s},\"threads\":{}}}",
        net.segments.len(),
        m.markets().len(),
        totals.join(","),
        rayon::current_num_threads()
    );
}
