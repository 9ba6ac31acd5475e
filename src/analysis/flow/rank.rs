//! N-1 and N-2: every element removed singly (and pairs among the worst), ranked by the loss of
//! total deliverability.

use super::scenario::{check_band, loss, share, MarketLoss};
use super::{zone_cut, Cut, ElementKind, FlowModel, Target, Workspace};
use crate::analysis::RequestError;
use crate::model::{Commodity, Network, Zone};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// An element that can be removed, with its cut.
#[derive(Debug, Clone)]
pub struct Element {
    pub kind: ElementKind,
    pub id: String,
    /// Index in `Network::segments`/`nodes` or in the zone list.
    pub index: usize,
    pub cut: Cut,
}

/// Every element of the kinds asked for (segments and nodes of oil/gas; zones as given), in a
/// stable order: kind, then input order.
pub fn elements(
    model: &FlowModel,
    net: &Network,
    zones: &[Zone],
    kinds: &[ElementKind],
    band_m: f64,
) -> Vec<Element> {
    let mut out = Vec::new();
    if kinds.contains(&ElementKind::Segment) {
        for (i, s) in net.segments.iter().enumerate() {
            if s.commodity != Commodity::Unknown {
                out.push(Element {
                    kind: ElementKind::Segment,
                    id: s.id.clone(),
                    index: i,
                    cut: model.cut(&[i], &[]),
                });
            }
        }
    }
    if kinds.contains(&ElementKind::Node) {
        for (i, n) in net.nodes.iter().enumerate() {
            out.push(Element {
                kind: ElementKind::Node,
                id: n.id.clone(),
                index: i,
                cut: model.cut(&[], &[i]),
            });
        }
    }
    if kinds.contains(&ElementKind::Zone) {
        let cuts: Vec<Cut> = zones
            .par_iter()
            .map(|z| zone_cut(model, net, z, band_m))
            .collect();
        for (i, (z, cut)) in zones.iter().zip(cuts).enumerate() {
            out.push(Element {
                kind: ElementKind::Zone,
                id: z.id.clone(),
                index: i,
                cut,
            });
        }
    }
    out
}

/// One row of `corridor rank`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RankRow {
    pub kind: ElementKind,
    pub id: String,
    pub commodity: Commodity,
    pub lost: f64,
    pub lost_share: f64,
    pub unit: &'static str,
    /// The rank of this loss within its commodity (1: the worst); exact ties share a rank.
    pub rank: usize,
    /// How many elements of the commodity share this loss (1: no tie).
    pub tied: usize,
}

/// Elements of one commodity whose single loss is the same (an exact tie: e.g. every segment
/// and node on a line that is a market's only route).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TieGroup {
    pub commodity: Commodity,
    pub rank: usize,
    pub lost: f64,
    pub lost_share: f64,
    pub unit: &'static str,
    /// How many elements share the loss.
    pub elements: usize,
    /// `kind:id` of each, in ranking order.
    pub ids: Vec<String>,
}

/// Are two losses the same (to float noise)?
fn same_loss(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Orders rows by commodity (in `commodities` order), then as [`rank`] does within one, and
/// numbers each commodity's loss levels: exact ties share a rank, and `tied` counts them.
fn rank_per_commodity(rows: &mut [RankRow], commodities: &[Commodity]) {
    let ci = |c: Commodity| {
        commodities
            .iter()
            .position(|x| *x == c)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by_key(|r| ci(r.commodity));
    let mut start = 0;
    while start < rows.len() {
        let c = rows[start].commodity;
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| r.commodity == c)
                .count();
        let mut i = start;
        let mut level = 0;
        while i < end {
            level += 1;
            let j = i + rows[i..end]
                .iter()
                .take_while(|r| same_loss(r.lost, rows[i].lost))
                .count();
            for r in &mut rows[i..j] {
                r.rank = level;
                r.tied = j - i;
            }
            i = j;
        }
        start = end;
    }
}

/// The rows' exact ties as groups, in ranking order (a commodity's groups in rank order).
pub fn tie_groups(rows: &[RankRow]) -> Vec<TieGroup> {
    let mut out: Vec<TieGroup> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(g) if g.commodity == r.commodity && g.rank == r.rank => {
                g.elements += 1;
                g.ids.push(label(r.kind, &r.id));
            }
            _ => out.push(TieGroup {
                commodity: r.commodity,
                rank: r.rank,
                lost: r.lost,
                lost_share: r.lost_share,
                unit: r.unit,
                elements: 1,
                ids: vec![label(r.kind, &r.id)],
            }),
        }
    }
    out
}

/// One N-2 row: two elements removed together.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PairRow {
    pub first: String,
    pub second: String,
    pub commodity: Commodity,
    pub lost: f64,
    pub lost_share: f64,
    /// The pair's loss minus the two single losses: > 0 where the two elements back each other
    /// up (each alone costs little, together they cut a market off); < 0 where they overlap
    /// (both sit on the same route, so the second adds less than its own loss).
    pub interaction: f64,
    pub unit: &'static str,
}

/// Per commodity: the total deliverability and what the worst single element and worst pair take.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RankSummary {
    pub commodity: Commodity,
    pub total: f64,
    pub unit: &'static str,
    pub worst_single: Option<String>,
    pub worst_single_lost: f64,
    pub worst_single_share: f64,
    pub worst_pair: Option<String>,
    pub worst_pair_lost: f64,
    pub worst_pair_share: f64,
}

/// The result of [`rank`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub rows: Vec<RankRow>,
    pub pairs: Vec<PairRow>,
    pub summary: Vec<RankSummary>,
}

/// `kind:id`, how pairs name their elements.
fn label(kind: ElementKind, id: &str) -> String {
    format!("{}:{id}", kind.as_str())
}

/// Losses of total deliverability when `cut` is removed, per commodity index, using the
/// baseline's used arcs to skip scenarios that cannot lose anything.
fn total_losses(
    model: &FlowModel,
    ws: &mut Workspace,
    b: &Baseline,
    cut: &Cut,
    cis: &[usize],
) -> Vec<(usize, f64)> {
    cis.iter()
        .map(|&ci| {
            let touches = cut.pairs.iter().any(|&p| b.used[ci][p as usize]);
            let l = if touches {
                let d =
                    model.max_flow_keyed(ws, Target::All(ci), &cut.pairs, &b.flows[ci], (b.id, ci));
                loss(b.values[ci], d, model.eps)
            } else {
                0.0
            };
            (ci, l)
        })
        .collect()
}

/// Maximum flows with nothing cut, per target: values, the pairs they use, the flows themselves.
pub(super) struct Baseline {
    /// Unique per baseline in the process: with the target's index, the key of its flow in
    /// warm solves ([`FlowModel::max_flow_keyed`]).
    pub(super) id: u64,
    pub(super) values: Vec<f64>,
    pub(super) used: Vec<Vec<bool>>,
    pub(super) flows: Vec<Vec<f64>>,
}

/// The baselines of `targets`, solved in parallel (each is a cold solve of its own).
pub(super) fn baseline(model: &FlowModel, targets: &[Target]) -> Baseline {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut b = Baseline {
        id: NEXT.fetch_add(1, Ordering::Relaxed),
        values: Vec::new(),
        used: Vec::new(),
        flows: Vec::new(),
    };
    let solved: Vec<(f64, Vec<f64>)> = targets
        .par_iter()
        .map_init(
            || Workspace::new(model),
            |ws, &t| model.baseline_flow(ws, t),
        )
        .collect();
    for (v, f) in solved {
        b.values.push(v);
        b.used.push(f.iter().map(|x| x.abs() > model.eps).collect());
        b.flows.push(f);
    }
    b
}

/// N-1 over `elements` (every one listed, zero losses too), sorted by lost share of the
/// commodity's total (the same order as the loss within a commodity, and comparable across
/// commodities whose units differ), then loss, then kind and id; `pairs_k > 0` adds N-2 over
/// every pair among the `pairs_k` worst single elements of each commodity. Parallel over
/// elements; the result does not depend on the number of threads.
pub fn rank(model: &FlowModel, elements: &[Element], pairs_k: usize) -> Ranking {
    rank_with_progress(model, elements, pairs_k, &|_| {})
}

/// [`rank`], calling `progress(1)` after each element (there are `elements.len()` of them).
pub fn rank_with_progress(
    model: &FlowModel,
    elements: &[Element],
    pairs_k: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Ranking {
    let targets: Vec<Target> = (0..model.commodities.len()).map(Target::All).collect();
    let bl = baseline(model, &targets);
    let base = &bl.values;
    let per: Vec<Vec<(usize, f64)>> = elements
        .par_iter()
        .map_init(
            || Workspace::new(model),
            |ws, e| {
                let cis = model.element_commodities(e.kind, e.index);
                let losses = total_losses(model, ws, &bl, &e.cut, &cis);
                progress(1);
                losses
            },
        )
        .collect();
    let mut rows: Vec<(usize, RankRow)> = Vec::new();
    for (ei, (e, losses)) in elements.iter().zip(&per).enumerate() {
        for &(ci, l) in losses {
            let c = model.commodities[ci].commodity;
            rows.push((
                ei,
                RankRow {
                    kind: e.kind,
                    id: e.id.clone(),
                    commodity: c,
                    lost: l,
                    lost_share: share(l, base[ci]),
                    unit: c.unit(),
                    rank: 0,
                    tied: 0,
                },
            ));
        }
    }
    let order = |a: &RankRow, b: &RankRow| {
        b.lost_share
            .total_cmp(&a.lost_share)
            .then(b.lost.total_cmp(&a.lost))
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id))
            .then(a.commodity.cmp(&b.commodity))
    };
    rows.sort_by(|a, b| order(&a.1, &b.1));
    // N-2, per commodity, over that commodity's top K elements: pairs picked across commodities
    // would be swamped by whichever commodity's elements rank first.
    let mut combos: Vec<(usize, usize, usize)> = Vec::new();
    for ci in 0..model.commodities.len() {
        let c = model.commodities[ci].commodity;
        let top: Vec<usize> = rows
            .iter()
            .filter(|(_, r)| r.commodity == c)
            .map(|(ei, _)| *ei)
            .take(pairs_k)
            .collect();
        for i in 0..top.len() {
            for j in i + 1..top.len() {
                combos.push((ci, top[i], top[j]));
            }
        }
    }
    let single = |ei: usize, ci: usize| -> f64 {
        per[ei]
            .iter()
            .find(|(c, _)| *c == ci)
            .map_or(0.0, |(_, l)| *l)
    };
    let pair_losses: Vec<f64> = combos
        .par_iter()
        .map_init(
            || Workspace::new(model),
            |ws, &(ci, a, b)| {
                let cut = model.union(&elements[a].cut, &elements[b].cut);
                total_losses(model, ws, &bl, &cut, &[ci])
                    .first()
                    .map_or(0.0, |x| x.1)
            },
        )
        .collect();
    let mut pairs: Vec<PairRow> = Vec::new();
    for (&(ci, a, b), &l) in combos.iter().zip(&pair_losses) {
        let c = model.commodities[ci].commodity;
        let x = l - single(a, ci) - single(b, ci);
        pairs.push(PairRow {
            first: label(elements[a].kind, &elements[a].id),
            second: label(elements[b].kind, &elements[b].id),
            commodity: c,
            lost: l,
            lost_share: share(l, base[ci]),
            interaction: if x.abs() <= model.eps { 0.0 } else { x },
            unit: c.unit(),
        });
    }
    pairs.sort_by(|a, b| {
        b.lost_share
            .total_cmp(&a.lost_share)
            .then(b.lost.total_cmp(&a.lost))
            .then(a.first.cmp(&b.first))
            .then(a.second.cmp(&b.second))
            .then(a.commodity.cmp(&b.commodity))
    });
    let mut rows: Vec<RankRow> = rows.into_iter().map(|(_, r)| r).collect();
    let order: Vec<Commodity> = model.commodities.iter().map(|c| c.commodity).collect();
    rank_per_commodity(&mut rows, &order);
    let summary = model
        .commodities
        .iter()
        .enumerate()
        .map(|(ci, cn)| {
            let c = cn.commodity;
            let ws1 = rows.iter().find(|r| r.commodity == c && r.lost > 0.0);
            let wp = pairs.iter().find(|r| r.commodity == c && r.lost > 0.0);
            RankSummary {
                commodity: c,
                total: base[ci],
                unit: c.unit(),
                worst_single: ws1.map(|r| label(r.kind, &r.id)),
                worst_single_lost: ws1.map_or(0.0, |r| r.lost),
                worst_single_share: ws1.map_or(0.0, |r| r.lost_share),
                worst_pair: wp.map(|r| format!("{} + {}", r.first, r.second)),
                worst_pair_lost: wp.map_or(0.0, |r| r.lost),
                worst_pair_share: wp.map_or(0.0, |r| r.lost_share),
            }
        })
        .collect();
    Ranking {
        rows,
        pairs,
        summary,
    }
}

/// N-1 per market: for each element, what removing it alone costs each market on its own (the
/// `disrupt` rows of that element with a loss), markets in [`FlowModel::markets`] order.
///
/// The same numbers as [`super::disrupt`] with the element's cut, found as [`rank`] finds its
/// totals: one baseline flow per market, and only the elements that touch an arc it uses are
/// solved (warm-started from it); the others lose exactly nothing. Markets are taken one at a
/// time, so memory stays at one baseline flow whatever the number of markets. Parallel over
/// elements; the result does not depend on the number of threads.
pub fn market_losses(model: &FlowModel, elements: &[Element]) -> Vec<Vec<MarketLoss>> {
    let mut out: Vec<Vec<MarketLoss>> = vec![Vec::new(); elements.len()];
    let reach: Vec<Vec<usize>> = elements
        .iter()
        .map(|e| model.element_commodities(e.kind, e.index))
        .collect();
    let mut ws = Workspace::new(model);
    for (mi, mk) in model.markets.iter().enumerate() {
        let (base, flow) = model.baseline_flow(&mut ws, Target::Market(mi));
        let used: Vec<bool> = flow.iter().map(|f| f.abs() > model.eps).collect();
        let lost: Vec<f64> = elements
            .par_iter()
            .zip(&reach)
            .map_init(
                || Workspace::new(model),
                |ws, (e, cis)| {
                    let touches = cis.contains(&mk.commodity_index)
                        && e.cut.pairs.iter().any(|&p| used[p as usize]);
                    if !touches {
                        return 0.0;
                    }
                    let d = model.max_flow_warm(ws, Target::Market(mi), &e.cut.pairs, &flow);
                    loss(base, d, model.eps)
                },
            )
            .collect();
        for (ei, l) in lost.into_iter().enumerate() {
            if l > 0.0 {
                out[ei].push(MarketLoss {
                    market: mk.name.clone(),
                    commodity: mk.commodity,
                    baseline: base,
                    disrupted: base - l,
                    lost: l,
                    lost_share: share(l, base),
                    unit: mk.commodity.unit(),
                    basis: if mk.demand.is_some() {
                        "served demand"
                    } else {
                        "capacity"
                    },
                    demand: mk.demand,
                });
            }
        }
    }
    out
}

/// N-1 (and N-2 over the `pairs_k` worst) over the elements of `kind` (segments, nodes and
/// zones when `None`), zones cut with everything within `band_km`; `progress(1)` after each
/// element.
pub fn rank_by(
    model: &FlowModel,
    net: &Network,
    zones: &[Zone],
    kind: Option<ElementKind>,
    pairs_k: usize,
    band_km: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ranking, RequestError> {
    check_band(band_km)?;
    let els = elements(model, net, zones, &kinds(kind), band_km * 1000.0);
    Ok(rank_with_progress(model, &els, pairs_k, progress))
}

/// The kinds a ranking covers: the one asked for, or segments, nodes and zones.
pub fn kinds(kind: Option<ElementKind>) -> Vec<ElementKind> {
    match kind {
        Some(k) => vec![k],
        None => vec![ElementKind::Segment, ElementKind::Node, ElementKind::Zone],
    }
}
