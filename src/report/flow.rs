//! `corridor flow`, `disrupt`, `rank` and `simulate`: the contract's rows and extra members.
//! Values are rounded to 6 decimals (well below any capacity's precision), so float noise never
//! shows.

use super::{meta, notes_member, r6 as r, rows_value, to_rows, Report};
use crate::analysis::flow::{
    tie_groups, Disruption, Distribution, ElementKind, MarketFlow, MarketLoss, PairRow, RankRow,
    RankSummary, Ranking, Simulation, Total, MARKET_LOSS_COLUMNS,
};
use crate::input::Source;
use serde_json::{json, Map, Value};

/// What every flow report's `meta` says: the files read, the year, the snapping distance.
#[derive(Debug, Clone, Copy)]
pub struct FlowMeta<'a> {
    pub sources: &'a [&'a Source],
    pub year: Option<i32>,
    pub snap_m: f64,
}

/// `corridor flow`: `markets` rows and the `total` per commodity.
pub fn flow_report(
    m: FlowMeta,
    markets: &[MarketFlow],
    totals: &[Total],
    notes: &[String],
) -> Report {
    let markets: Vec<MarketFlow> = markets
        .iter()
        .map(|x| MarketFlow {
            deliverable: r(x.deliverable),
            demand: x.demand.map(r),
            served_share: x.served_share.map(r),
            capacity_to_market: r(x.capacity_to_market),
            ..x.clone()
        })
        .collect();
    let totals: Vec<Total> = totals
        .iter()
        .map(|t| Total {
            deliverable: r(t.deliverable),
            supply: r(t.supply),
            capacity_to_market: r(t.capacity_to_market),
            ..t.clone()
        })
        .collect();
    let mut extra = vec![("total", rows_value(&totals))];
    extra.extend(notes_member(notes.to_vec()));
    Report {
        meta: meta("flow", m.sources, m.year, json!({"snap_m": m.snap_m})),
        member: "markets",
        rows: to_rows(&markets),
        extra,
        table_columns: Some(vec![
            "market",
            "commodity",
            "deliverable",
            "unit",
            "demand",
            "served_share",
            "capacity_to_market",
        ]),
    }
}

fn rounded_loss(m: &MarketLoss) -> MarketLoss {
    MarketLoss {
        baseline: r(m.baseline),
        disrupted: r(m.disrupted),
        lost: r(m.lost),
        lost_share: r(m.lost_share),
        demand: m.demand.map(r),
        ..m.clone()
    }
}

/// What a disruption request asked for, for `meta.options`.
#[derive(Debug, Clone, Copy)]
pub struct DisruptOptions<'a> {
    pub zones: &'a [String],
    pub band_km: f64,
    pub segments: &'a [String],
    pub nodes: &'a [String],
}

/// `corridor disrupt`: baseline, disrupted, lost and lost_share per market; `cut` lists what
/// was removed, `total` the same for all markets at once.
pub fn disrupt_report(m: FlowMeta, o: DisruptOptions, d: &Disruption, notes: &[String]) -> Report {
    let markets: Vec<MarketLoss> = d.markets.iter().map(rounded_loss).collect();
    let totals: Vec<MarketLoss> = d.totals.iter().map(rounded_loss).collect();
    let mut cut_v = serde_json::to_value(&d.cut).unwrap_or_default();
    if let Value::Object(obj) = &mut cut_v {
        if !d.by_zone.is_empty() {
            let by_zone: Map<String, Value> = d
                .by_zone
                .iter()
                .map(|(z, c)| (z.clone(), serde_json::to_value(c).unwrap_or_default()))
                .collect();
            obj.insert("zones".into(), Value::Object(by_zone));
        }
    }
    let mut notes = notes.to_vec();
    if d.cut.segments.is_empty() && d.cut.nodes.is_empty() {
        notes.push(
            "nothing was cut: no segment or node lies within the band of the zones given".into(),
        );
    }
    let mut extra = vec![("cut", cut_v), ("total", rows_value(&totals))];
    extra.extend(notes_member(notes));
    Report {
        meta: meta(
            "disrupt",
            m.sources,
            m.year,
            json!({"snap_m": m.snap_m, "zones": o.zones, "band_km": o.band_km, "segments": o.segments, "nodes": o.nodes}),
        ),
        member: "markets",
        rows: to_rows(&markets),
        extra,
        table_columns: Some(
            MARKET_LOSS_COLUMNS
                .iter()
                .copied()
                .chain(["basis"])
                .collect(),
        ),
    }
}

/// What a ranking request asked for, for `meta.options`.
#[derive(Debug, Clone, Copy)]
pub struct RankOptions {
    pub kind: Option<ElementKind>,
    pub top: Option<usize>,
    pub pairs: usize,
    pub band_km: f64,
}

/// `corridor rank`: every element removed singly (`ranking`, each commodity ranked on its own,
/// exact ties sharing a `rank`; with `top`, the worst `top` loss levels of each commodity),
/// the ties as `groups`, N-2 over the top `pairs` (`pairs`), and per commodity the share the
/// worst single and worst pair take (`summary`).
pub fn rank_report(m: FlowMeta, o: RankOptions, ranking: &Ranking, notes: &[String]) -> Report {
    rank_reports(m, o, ranking, notes).0
}

/// [`rank_report`], and the table's view of it: one row per loss level of each commodity,
/// ties in one row (`elements`, the first ids).
pub fn rank_reports(
    m: FlowMeta,
    o: RankOptions,
    ranking: &Ranking,
    notes: &[String],
) -> (Report, Report) {
    let mut ranked: Vec<RankRow> = ranking
        .rows
        .iter()
        .map(|x| RankRow {
            lost: r(x.lost),
            lost_share: r(x.lost_share),
            ..x.clone()
        })
        .collect();
    if let Some(n) = o.top {
        // The worst `n` loss levels of each commodity: exact ties count once.
        ranked.retain(|x| x.rank <= n);
    }
    let pairs: Vec<PairRow> = ranking
        .pairs
        .iter()
        .map(|x| PairRow {
            lost: r(x.lost),
            lost_share: r(x.lost_share),
            interaction: r(x.interaction),
            ..x.clone()
        })
        .collect();
    let summary: Vec<RankSummary> = ranking
        .summary
        .iter()
        .map(|x| RankSummary {
            total: r(x.total),
            worst_single_lost: r(x.worst_single_lost),
            worst_single_share: r(x.worst_single_share),
            worst_pair_lost: r(x.worst_pair_lost),
            worst_pair_share: r(x.worst_pair_share),
            ..x.clone()
        })
        .collect();
    let groups = tie_groups(&ranked);
    let mut extra = vec![
        ("summary", rows_value(&summary)),
        ("groups", rows_value(&groups)),
    ];
    if o.pairs > 0 {
        extra.push(("pairs", rows_value(&pairs)));
    }
    extra.extend(notes_member(notes.to_vec()));
    let report = Report {
        meta: meta(
            "rank",
            m.sources,
            m.year,
            json!({"snap_m": m.snap_m, "kind": o.kind.map(|k| k.as_str()), "top": o.top, "pairs": o.pairs, "band_km": o.band_km}),
        ),
        member: "ranking",
        rows: to_rows(&ranked),
        extra,
        table_columns: None,
    };
    let table_rows = groups
        .iter()
        .map(|g| {
            let shown: Vec<&str> = g.ids.iter().take(3).map(String::as_str).collect();
            let ids = if g.ids.len() > shown.len() {
                format!("{} … (+{})", shown.join(", "), g.ids.len() - shown.len())
            } else {
                shown.join(", ")
            };
            json!({"commodity": g.commodity, "rank": g.rank, "lost": g.lost, "lost_share": g.lost_share,
                   "unit": g.unit, "elements": g.elements, "ids": ids})
        })
        .filter_map(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .collect();
    let mut table_extra: Vec<(&'static str, Value)> = report
        .extra
        .iter()
        .filter(|(k, _)| *k != "groups")
        .cloned()
        .collect();
    table_extra.retain(|(k, _)| *k != "summary");
    table_extra.insert(0, ("summary", rows_value(&summary)));
    let table = Report {
        meta: report.meta.clone(),
        member: "ranking",
        rows: table_rows,
        extra: table_extra,
        table_columns: Some(vec![
            "commodity",
            "rank",
            "lost",
            "lost_share",
            "unit",
            "elements",
            "ids",
        ]),
    };
    (report, table)
}

/// What a Monte Carlo request asked for, for `meta.options`.
#[derive(Debug, Clone, Copy)]
pub struct SimulateOptions<'a> {
    pub runs: u64,
    pub seed: u64,
    pub p_default: f64,
    pub zone_probs: &'a [(String, f64)],
    pub band_km: f64,
}

/// `corridor simulate`: the loss distribution per market; `notes` say how many elements had
/// their own failure probability.
pub fn simulate_report(
    m: FlowMeta,
    o: SimulateOptions,
    s: &Simulation,
    notes: &[String],
) -> Report {
    let dist: Vec<Distribution> = s
        .distribution
        .iter()
        .map(|d| Distribution {
            baseline: r(d.baseline),
            mean_lost: r(d.mean_lost),
            p50: r(d.p50),
            p95: r(d.p95),
            p99: r(d.p99),
            p_any_loss: r(d.p_any_loss),
            ..d.clone()
        })
        .collect();
    let mut notes = notes.to_vec();
    notes.push(format!(
        "every segment and node fails independently in each run: {} elements with their own \
         `failure_prob`, the others with probability {} (--p-default)",
        s.own_probs, o.p_default
    ));
    let zone_meta: Map<String, Value> = o
        .zone_probs
        .iter()
        .map(|(id, p)| (id.clone(), json!(p)))
        .collect();
    Report {
        meta: meta(
            "simulate",
            m.sources,
            m.year,
            json!({"snap_m": m.snap_m, "runs": o.runs, "seed": o.seed, "p_default": o.p_default,
                   "zone_prob": zone_meta, "band_km": o.band_km,
                   "rng": "ChaCha8, seeded from seed, stream = run index"}),
        ),
        member: "distribution",
        rows: to_rows(&dist),
        extra: notes_member(notes),
        table_columns: Some(vec![
            "market",
            "commodity",
            "baseline",
            "mean_lost",
            "p50",
            "p95",
            "p99",
            "p_any_loss",
            "runs",
            "unit",
        ]),
    }
}
