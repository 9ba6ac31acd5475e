//! Network flow: deliverability to markets, disruption scenarios, N-1/N-2 ranking and Monte Carlo.
//!
//! # The flow network
//!
//! [`FlowModel::new`] turns a [`Topology`] into one flat flow network, built once and reused for
//! every scenario: a scenario never rebuilds anything, it only switches arcs off (a mask in a
//! per-thread [`Workspace`]). Per commodity (oil, gas) there is a super-source and a super-sink:
//!
//! * one arc super-source → vertex per **supply node** (capacity = its `supply`); a vertex holding
//!   several supply nodes gets several arcs, so the capacities add up and each node can be cut on
//!   its own;
//! * one arc pair per **segment piece** (capacity = the segment's capacity; `direction: both`
//!   gives an undirected arc, i.e. that capacity either way);
//! * one arc vertex → super-sink per **market node** (capacity = its `demand`, unbounded if absent).
//!
//! Commodities never mix: the topology already gives them disjoint vertices, and each commodity
//! has its own source and sink.
//!
//! **Segments without a capacity** get capacity 0. A pipe whose throughput is unknown cannot be
//! credited with any deliverable volume: treating it as unbounded would invent supply routes
//! (a GEM route file without capacities would make every market look fully supplied), while 0
//! gives a lower bound the analyst can trust. Every such segment is listed in
//! [`FlowModel::notes`], which the commands print, so the gap is visible rather than silent.
//!
//! # What cutting an element means
//!
//! * a **segment**: all its pieces;
//! * a **supply or market node**: its own injection or offtake arc. A market on the line (TANAP's
//!   Eskişehir offtake) failing does not stop transit to the markets beyond it;
//! * any **other node** (station, terminal, border, junction): the site itself, i.e. every arc
//!   touching its vertices — nothing passes a failed compressor station or terminal;
//! * a **zone**: every whole segment and node within the band of the zone.
//!
//! # Max flow
//!
//! Dinic's algorithm on flat arrays (CSR adjacency, arcs in pairs `2p`/`2p+1`, flow stored once
//! per pair so unbounded capacities never produce `∞ − ∞`). Floating-point residuals below a
//! tolerance scaled to the largest finite capacity count as saturated. The result is
//! deterministic: arcs are visited in a fixed order, independent of threads.
//!
//! Two exact shortcuts keep N-1, N-2 and Monte Carlo cheap: removing arcs that carry no flow in
//! a maximum-flow solution cannot lower the maximum (that flow stays feasible), so such a
//! scenario's loss is exactly 0 without solving; only scenarios that touch a used arc are solved,
//! and those start from the baseline flow with the cut arcs' flow cancelled
//! ([`FlowModel::max_flow_warm`]) rather than from zero. N-1 over 10^4 edges takes about a
//! second; 10^5 Monte Carlo runs on the default network a fraction of one.

use crate::model::{Commodity, Direction, Network, NodeKind, Zone};
use crate::topology::Topology;
use geo::BoundingRect;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Default per-run failure probability of each segment and node in `simulate` when neither the
/// data (`failure_prob`) nor `--p-default` says otherwise. It is an illustrative stress level
/// (one element in a hundred out in a given run), not an estimate of real outage rates.
pub const DEFAULT_P_FAILURE: f64 = 0.01;

const UNSET: u32 = u32::MAX;

/// An error in a flow request (unknown ids, bad probabilities): a message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FlowError(pub String);

/// The kind of element a scenario removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ElementKind {
    Segment,
    Node,
    Zone,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Segment => "segment",
            ElementKind::Node => "node",
            ElementKind::Zone => "zone",
        }
    }
}

/// A market as reports group it: the `market` name and a commodity.
#[derive(Debug, Clone)]
pub struct Market {
    pub name: String,
    pub commodity: Commodity,
    /// Index into [`FlowModel::commodities`].
    commodity_index: usize,
    /// Arc pairs vertex → super-sink of this market's nodes.
    sink_pairs: Vec<u32>,
}

/// The per-commodity part of the model.
#[derive(Debug, Clone)]
struct CommodityNet {
    commodity: Commodity,
    source: u32,
    sink: u32,
    /// Every vertex → super-sink pair of this commodity.
    sink_pairs: Vec<u32>,
    supply_total: f64,
}

/// What a max-flow run should deliver to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// All markets of the commodity (index into [`FlowModel::commodities`]) at once.
    All(usize),
    /// One market (index into [`FlowModel::markets`]) alone.
    Market(usize),
}

/// A set of removed elements, resolved to arc pairs (sorted, unique).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cut {
    pub pairs: Vec<u32>,
    /// Indices into `Network::segments`.
    pub segments: Vec<usize>,
    /// Indices into `Network::nodes`.
    pub nodes: Vec<usize>,
}

impl Cut {
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty() && self.nodes.is_empty()
    }
}

/// The flow network of a [`Network`], built once (see the module docs).
#[derive(Debug, Clone)]
pub struct FlowModel {
    n: usize,
    /// CSR: arcs leaving vertex v are `adj[start[v]..start[v+1]]`.
    start: Vec<u32>,
    adj: Vec<u32>,
    /// Head of each arc (two per pair: `2p` forward, `2p+1` backward).
    to: Vec<u32>,
    /// Capacity of each arc (∞ for unbounded markets; the backward arc of a one-way pair is 0).
    cap: Vec<f64>,
    eps: f64,
    commodities: Vec<CommodityNet>,
    markets: Vec<Market>,
    segment_pairs: Vec<Vec<u32>>,
    node_pairs: Vec<Vec<u32>>,
    segment_ids: Vec<String>,
    node_ids: Vec<String>,
    segment_commodity: Vec<Commodity>,
    node_commodities: Vec<Vec<Commodity>>,
    notes: Vec<String>,
}

/// Scratch space for max-flow runs; one per thread, reused across scenarios.
#[derive(Debug, Clone)]
pub struct Workspace {
    flow: Vec<f64>,
    off: Vec<bool>,
    level: Vec<u32>,
    it: Vec<u32>,
    queue: Vec<u32>,
    path: Vec<u32>,
}

impl Workspace {
    pub fn new(model: &FlowModel) -> Workspace {
        Workspace {
            flow: vec![0.0; model.cap.len() / 2],
            off: vec![false; model.cap.len() / 2],
            level: vec![UNSET; model.n],
            it: vec![0; model.n],
            queue: Vec::with_capacity(model.n),
            path: Vec::new(),
        }
    }
}

fn usable(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite() && *x > 0.0)
}

struct Builder {
    n: usize,
    tail: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<f64>,
}

impl Builder {
    fn pair(&mut self, a: u32, b: u32, fwd: f64, back: f64) -> u32 {
        let p = (self.to.len() / 2) as u32;
        self.tail.push(a);
        self.to.push(b);
        self.cap.push(fwd);
        self.tail.push(b);
        self.to.push(a);
        self.cap.push(back);
        p
    }
}

impl FlowModel {
    /// Builds the flow network of `net` from its topology (`topology::build(net, snap)`).
    pub fn new(net: &Network, topo: &Topology) -> FlowModel {
        let g = &topo.graph;
        let nv = g.node_count();
        let present: BTreeSet<Commodity> = g
            .node_weights()
            .map(|v| v.commodity)
            .filter(|c| *c != Commodity::Unknown)
            .collect();
        let mut b = Builder {
            n: nv,
            tail: Vec::new(),
            to: Vec::new(),
            cap: Vec::new(),
        };
        let mut commodities: Vec<CommodityNet> = Vec::new();
        for c in [Commodity::Oil, Commodity::Gas] {
            if present.contains(&c) {
                commodities.push(CommodityNet {
                    commodity: c,
                    source: b.n as u32,
                    sink: b.n as u32 + 1,
                    sink_pairs: Vec::new(),
                    supply_total: 0.0,
                });
                b.n += 2;
            }
        }
        let present_list: Vec<Commodity> = commodities.iter().map(|c| c.commodity).collect();
        let ci_of = |c: Commodity| present_list.iter().position(|x| *x == c);
        let mut notes = Vec::new();
        let mut segment_pairs = vec![Vec::new(); net.segments.len()];
        let mut uncapacitated = Vec::new();
        for e in g.edge_indices() {
            let Some((a, z)) = g.edge_endpoints(e) else {
                continue;
            };
            let piece = &g[e];
            if g[a].commodity == Commodity::Unknown || a == z {
                continue;
            }
            let c = match usable(piece.capacity) {
                Some(c) => c,
                None => {
                    if piece.capacity.is_none() {
                        uncapacitated.push(piece.segment);
                    }
                    0.0
                }
            };
            let back = if piece.direction == Direction::Both {
                c
            } else {
                0.0
            };
            let p = b.pair(a.index() as u32, z.index() as u32, c, back);
            if let Some(sp) = segment_pairs.get_mut(piece.segment) {
                sp.push(p);
            }
        }
        uncapacitated.sort_unstable();
        uncapacitated.dedup();
        if !uncapacitated.is_empty() {
            let ids: Vec<&str> = uncapacitated
                .iter()
                .filter_map(|&s| net.segments.get(s).map(|s| s.id.as_str()))
                .collect();
            notes.push(format!(
                "{} segment(s) have no capacity and carry nothing (capacity 0): {}",
                ids.len(),
                ids.join(", ")
            ));
        }
        let mut node_pairs = vec![Vec::new(); net.nodes.len()];
        let mut node_commodities = vec![Vec::new(); net.nodes.len()];
        let mut market_index: BTreeMap<(String, Commodity), usize> = BTreeMap::new();
        let mut markets: Vec<Market> = Vec::new();
        let mut blockers: Vec<(usize, u32)> = Vec::new();
        for (n, node) in net.nodes.iter().enumerate() {
            let verts = topo.node_vertices.get(n).cloned().unwrap_or_default();
            for v in verts {
                let c = g[v].commodity;
                let Some(ci) = ci_of(c) else { continue };
                if !node_commodities[n].contains(&c) {
                    node_commodities[n].push(c);
                }
                let v = v.index() as u32;
                match node.kind {
                    NodeKind::Supply => {
                        if let Some(s) = usable(node.supply) {
                            let p = b.pair(commodities[ci].source, v, s, 0.0);
                            commodities[ci].supply_total += s;
                            node_pairs[n].push(p);
                        }
                    }
                    NodeKind::Market => {
                        let d = usable(node.demand).unwrap_or(f64::INFINITY);
                        let cap = if node.demand.is_some() && usable(node.demand).is_none() {
                            0.0
                        } else {
                            d
                        };
                        let p = b.pair(v, commodities[ci].sink, cap, 0.0);
                        commodities[ci].sink_pairs.push(p);
                        node_pairs[n].push(p);
                        let name = node.market.clone().unwrap_or_else(|| node.id.clone());
                        let k = *market_index.entry((name.clone(), c)).or_insert_with(|| {
                            markets.push(Market {
                                name,
                                commodity: c,
                                commodity_index: ci,
                                sink_pairs: Vec::new(),
                            });
                            markets.len() - 1
                        });
                        markets[k].sink_pairs.push(p);
                    }
                    _ => blockers.push((n, v)),
                }
            }
            if node.commodity.is_some() && node_commodities[n].is_empty() {
                if let Some(c) = node.commodity {
                    if ci_of(c).is_some() {
                        node_commodities[n].push(c);
                    }
                }
            }
        }
        // Sites block every arc that touches them.
        let mut incident: Vec<Vec<u32>> = vec![Vec::new(); b.n];
        for (a, &t) in b.tail.iter().enumerate() {
            incident[t as usize].push((a / 2) as u32);
        }
        for (n, v) in blockers {
            node_pairs[n].extend_from_slice(&incident[v as usize]);
        }
        for np in &mut node_pairs {
            np.sort_unstable();
            np.dedup();
        }
        // Markets in a stable order: commodity, then name.
        let mut order: Vec<usize> = (0..markets.len()).collect();
        order.sort_by(|&x, &y| {
            (markets[x].commodity, &markets[x].name).cmp(&(markets[y].commodity, &markets[y].name))
        });
        let markets: Vec<Market> = order.into_iter().map(|i| markets[i].clone()).collect();
        // CSR adjacency.
        let mut deg = vec![0u32; b.n + 1];
        for &t in &b.tail {
            deg[t as usize + 1] += 1;
        }
        for i in 0..b.n {
            deg[i + 1] += deg[i];
        }
        let start = deg.clone();
        let mut fill = deg;
        let mut adj = vec![0u32; b.tail.len()];
        for (a, &t) in b.tail.iter().enumerate() {
            adj[fill[t as usize] as usize] = a as u32;
            fill[t as usize] += 1;
        }
        let scale = b
            .cap
            .iter()
            .copied()
            .filter(|c| c.is_finite())
            .fold(1.0, f64::max);
        FlowModel {
            n: b.n,
            start,
            adj,
            to: b.to,
            cap: b.cap,
            eps: scale * 1e-10,
            commodities,
            markets,
            segment_pairs,
            node_pairs,
            segment_ids: net.segments.iter().map(|s| s.id.clone()).collect(),
            node_ids: net.nodes.iter().map(|n| n.id.clone()).collect(),
            segment_commodity: net.segments.iter().map(|s| s.commodity).collect(),
            node_commodities,
            notes,
        }
    }

    /// The commodities with a flow network (oil before gas).
    pub fn commodities(&self) -> Vec<Commodity> {
        self.commodities.iter().map(|c| c.commodity).collect()
    }

    /// Markets by commodity then name.
    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    /// Caveats about the data (e.g. segments without capacity), for the commands to print.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The sum of all supply nodes' `supply` of commodity index `ci`.
    pub fn supply_total(&self, ci: usize) -> f64 {
        self.commodities.get(ci).map_or(0.0, |c| c.supply_total)
    }

    /// Number of arcs (two per pair), for benchmarks and sanity checks.
    pub fn arc_count(&self) -> usize {
        self.cap.len()
    }

    /// Resolves removed segment and node indices to a [`Cut`].
    pub fn cut(&self, segments: &[usize], nodes: &[usize]) -> Cut {
        let mut pairs = Vec::new();
        let mut segs: Vec<usize> = segments
            .iter()
            .copied()
            .filter(|&s| s < self.segment_pairs.len())
            .collect();
        segs.sort_unstable();
        segs.dedup();
        let mut ns: Vec<usize> = nodes
            .iter()
            .copied()
            .filter(|&n| n < self.node_pairs.len())
            .collect();
        ns.sort_unstable();
        ns.dedup();
        for &s in &segs {
            pairs.extend_from_slice(&self.segment_pairs[s]);
        }
        for &n in &ns {
            pairs.extend_from_slice(&self.node_pairs[n]);
        }
        pairs.sort_unstable();
        pairs.dedup();
        Cut {
            pairs,
            segments: segs,
            nodes: ns,
        }
    }

    /// Resolves ids; an unknown id is an error that lists the valid ones.
    pub fn cut_by_ids(&self, segments: &[String], nodes: &[String]) -> Result<Cut, FlowError> {
        let seg = lookup(&self.segment_ids, segments, "segment")?;
        let nod = lookup(&self.node_ids, nodes, "node")?;
        Ok(self.cut(&seg, &nod))
    }

    /// The union of two cuts.
    pub fn union(&self, a: &Cut, b: &Cut) -> Cut {
        let segs: Vec<usize> = a.segments.iter().chain(&b.segments).copied().collect();
        let nodes: Vec<usize> = a.nodes.iter().chain(&b.nodes).copied().collect();
        self.cut(&segs, &nodes)
    }

    /// Maximum flow to `target` with the arcs of `cut` removed. If `used` is given, it receives
    /// the arc pairs that carry flow in the solution found.
    pub fn max_flow(
        &self,
        ws: &mut Workspace,
        target: Target,
        cut: &[u32],
        used: Option<&mut Vec<u32>>,
    ) -> f64 {
        let v = self.solve(ws, target, cut, None);
        if let Some(used) = used {
            used.clear();
            for (p, f) in ws.flow.iter().enumerate() {
                if f.abs() > self.eps {
                    used.push(p as u32);
                }
            }
        }
        v
    }

    /// A maximum flow to `target` with nothing cut, as a flow per arc pair: the warm start of
    /// [`FlowModel::max_flow_warm`].
    pub fn baseline_flow(&self, ws: &mut Workspace, target: Target) -> (f64, Vec<f64>) {
        let v = self.solve(ws, target, &[], None);
        (v, ws.flow.clone())
    }

    /// The same value as [`FlowModel::max_flow`], starting from `base` (a maximum flow to the
    /// same target with nothing cut, from [`FlowModel::baseline_flow`]). The flow on each cut
    /// pair is cancelled by pushing its excess back to the source and its deficit back from the
    /// sink through the residual graph (always possible: the flow that reached the arc came
    /// from the source and went on to the sink), which leaves a feasible flow; Dinic then
    /// augments it to a maximum. A cut on a few arcs thus costs a few local searches instead of
    /// a full solve.
    pub fn max_flow_warm(
        &self,
        ws: &mut Workspace,
        target: Target,
        cut: &[u32],
        base: &[f64],
    ) -> f64 {
        if base.len() != ws.flow.len() {
            return self.solve(ws, target, cut, None);
        }
        self.solve(ws, target, cut, Some(base))
    }

    /// The commodity network a target draws on, and for one market the sink pairs it may use
    /// (`None`: every market of the commodity). `None` for an unknown target.
    fn resolve(&self, target: Target) -> Option<(&CommodityNet, Option<&[u32]>)> {
        match target {
            Target::All(ci) => Some((self.commodities.get(ci)?, None)),
            Target::Market(m) => {
                let mk = self.markets.get(m)?;
                Some((
                    self.commodities.get(mk.commodity_index)?,
                    Some(&mk.sink_pairs),
                ))
            }
        }
    }

    fn solve(&self, ws: &mut Workspace, target: Target, cut: &[u32], warm: Option<&[f64]>) -> f64 {
        let Some((cn, only)) = self.resolve(target) else {
            return 0.0;
        };
        if let Some(only) = only {
            for &p in &cn.sink_pairs {
                if !only.contains(&p) {
                    ws.off[p as usize] = true;
                }
            }
        }
        let mut cold = true;
        if let Some(base) = warm {
            ws.flow.copy_from_slice(base);
            cold = false;
            // Cut pairs are switched off one at a time: while one is cancelled the others may
            // still carry (and give back) flow, so the flow that reached it always has a
            // residual way back.
            for &p in cut {
                let phi = ws.flow[p as usize];
                ws.off[p as usize] = true;
                ws.flow[p as usize] = 0.0;
                if phi.abs() <= self.eps {
                    continue;
                }
                let (a, amount) = if phi > 0.0 {
                    (2 * p as usize, phi)
                } else {
                    (2 * p as usize + 1, -phi)
                };
                let (u, v) = (self.to[a ^ 1], self.to[a]);
                let tol = self.eps * 1e3;
                if u != cn.source && self.dinic(ws, u, cn.source, amount) < amount - tol {
                    cold = true;
                }
                if v != cn.sink && self.dinic(ws, cn.sink, v, amount) < amount - tol {
                    cold = true;
                }
                if cold {
                    // Not expected; a safety net that keeps the result exact.
                    break;
                }
            }
        }
        for &p in cut {
            ws.off[p as usize] = true;
        }
        if cold {
            ws.flow.iter_mut().for_each(|f| *f = 0.0);
        }
        self.dinic(ws, cn.source, cn.sink, f64::INFINITY);
        // The value: net flow out of the source.
        let s = cn.source as usize;
        let mut value = 0.0;
        for k in self.start[s]..self.start[s + 1] {
            let a = self.adj[k as usize] as usize;
            let f = ws.flow[a / 2];
            value += if a & 1 == 0 { f } else { -f };
        }
        for &p in cut {
            ws.off[p as usize] = false;
        }
        if only.is_some() {
            for &p in &cn.sink_pairs {
                ws.off[p as usize] = false;
            }
        }
        value
    }

    #[inline]
    fn residual(&self, ws: &Workspace, a: usize) -> f64 {
        let p = a / 2;
        if ws.off[p] {
            0.0
        } else if a & 1 == 0 {
            self.cap[a] - ws.flow[p]
        } else {
            self.cap[a] + ws.flow[p]
        }
    }

    /// Dinic from `s` to `t`, pushing at most `limit`; returns what it pushed.
    fn dinic(&self, ws: &mut Workspace, s: u32, t: u32, limit: f64) -> f64 {
        let mut total = 0.0;
        loop {
            if limit - total <= self.eps {
                return total;
            }
            // Levels by BFS over arcs with residual capacity.
            ws.level.iter_mut().for_each(|l| *l = UNSET);
            ws.queue.clear();
            ws.level[s as usize] = 0;
            ws.queue.push(s);
            let mut qi = 0;
            while qi < ws.queue.len() {
                let u = ws.queue[qi] as usize;
                qi += 1;
                // Vertices at t's level or deeper cannot lie on a shortest path to t.
                if ws.level[t as usize] != UNSET && ws.level[u] >= ws.level[t as usize] {
                    break;
                }
                for k in self.start[u]..self.start[u + 1] {
                    let a = self.adj[k as usize] as usize;
                    let v = self.to[a] as usize;
                    if ws.level[v] == UNSET && self.residual(ws, a) > self.eps {
                        ws.level[v] = ws.level[u] + 1;
                        ws.queue.push(v as u32);
                    }
                }
            }
            if ws.level[t as usize] == UNSET {
                return total;
            }
            for v in 0..self.n {
                ws.it[v] = self.start[v];
            }
            loop {
                let f = self.augment(ws, s, t, limit - total);
                if f <= self.eps {
                    break;
                }
                total += f;
                if limit - total <= self.eps {
                    return total;
                }
            }
        }
    }

    /// One augmenting path in the level graph (iterative DFS with current-arc pointers).
    fn augment(&self, ws: &mut Workspace, s: u32, t: u32, limit: f64) -> f64 {
        ws.path.clear();
        let mut u = s as usize;
        loop {
            if u == t as usize {
                let mut f = limit;
                for &a in &ws.path {
                    f = f.min(self.residual(ws, a as usize));
                }
                if !f.is_finite() {
                    // Only possible if every arc of the path is unbounded; supplies are finite,
                    // so this is unreachable, but never push ∞.
                    return 0.0;
                }
                for i in 0..ws.path.len() {
                    let a = ws.path[i] as usize;
                    if a & 1 == 0 {
                        ws.flow[a / 2] += f;
                    } else {
                        ws.flow[a / 2] -= f;
                    }
                }
                return f;
            }
            let end = self.start[u + 1];
            let mut next = None;
            while ws.it[u] < end {
                let a = self.adj[ws.it[u] as usize] as usize;
                let v = self.to[a] as usize;
                if ws.level[v] != UNSET
                    && ws.level[v] == ws.level[u] + 1
                    && self.residual(ws, a) > self.eps
                {
                    next = Some((a, v));
                    break;
                }
                ws.it[u] += 1;
            }
            match next {
                Some((a, v)) => {
                    ws.path.push(a as u32);
                    u = v;
                }
                None => {
                    // Dead end: prune the vertex and retreat.
                    ws.level[u] = UNSET;
                    match ws.path.pop() {
                        None => return 0.0,
                        Some(a) => {
                            u = self.to[(a ^ 1) as usize] as usize;
                            ws.it[u] += 1;
                        }
                    }
                }
            }
        }
    }

    /// The same maximum flow computed by petgraph's `dinics` (an independent implementation),
    /// for verification. Unbounded capacities become a finite bound larger than any flow.
    pub fn max_flow_petgraph(&self, target: Target, cut: &[u32]) -> f64 {
        use petgraph::graph::{DiGraph, NodeIndex};
        let Some((cn, only)) = self.resolve(target) else {
            return 0.0;
        };
        let big = cn.supply_total * 2.0 + 1.0;
        let mut g: DiGraph<(), f64> = DiGraph::new();
        for _ in 0..self.n {
            g.add_node(());
        }
        let cut: BTreeSet<u32> = cut.iter().copied().collect();
        for p in 0..self.cap.len() / 2 {
            let pu = p as u32;
            if cut.contains(&pu) {
                continue;
            }
            if let Some(only) = only {
                if cn.sink_pairs.contains(&pu) && !only.contains(&pu) {
                    continue;
                }
            }
            for a in [2 * p, 2 * p + 1] {
                let c = if self.cap[a].is_finite() {
                    self.cap[a]
                } else {
                    big
                };
                if c > 0.0 {
                    g.add_edge(
                        NodeIndex::new(self.to[a ^ 1] as usize),
                        NodeIndex::new(self.to[a] as usize),
                        c,
                    );
                }
            }
        }
        petgraph::algo::dinics(
            &g,
            NodeIndex::new(cn.source as usize),
            NodeIndex::new(cn.sink as usize),
        )
        .0
    }

    /// Deliverability of every market alone (in [`FlowModel::markets`] order) and the total per
    /// commodity (in [`FlowModel::commodities`] order), with `cut` removed.
    pub fn deliverability(&self, ws: &mut Workspace, cut: &Cut) -> (Vec<f64>, Vec<f64>) {
        // Every market alone and every commodity's total are independent max flows from
        // scratch: solved in parallel, one workspace per thread (`ws` serves the first).
        let targets: Vec<Target> = (0..self.markets.len())
            .map(Target::Market)
            .chain((0..self.commodities.len()).map(Target::All))
            .collect();
        let (first, rest) = match targets.split_first() {
            Some((f, r)) => (Some(*f), r),
            None => (None, &[][..]),
        };
        let (v0, mut values) = rayon::join(
            || first.map(|t| self.max_flow(ws, t, &cut.pairs, None)),
            || {
                rest.par_iter()
                    .map_init(
                        || Workspace::new(self),
                        |w, t| self.max_flow(w, *t, &cut.pairs, None),
                    )
                    .collect::<Vec<f64>>()
            },
        );
        if let Some(v) = v0 {
            values.insert(0, v);
        }
        let t = values.split_off(self.markets.len());
        (values, t)
    }

    /// The commodities an element can affect, for ranking rows.
    fn element_commodities(&self, kind: ElementKind, index: usize) -> Vec<usize> {
        let all: Vec<usize> = (0..self.commodities.len()).collect();
        let pick = |cs: &[Commodity]| -> Vec<usize> {
            all.iter()
                .copied()
                .filter(|&i| cs.contains(&self.commodities[i].commodity))
                .collect()
        };
        match kind {
            ElementKind::Segment => pick(&[self.segment_commodity[index]]),
            ElementKind::Node => {
                let cs = &self.node_commodities[index];
                if cs.is_empty() {
                    Vec::new()
                } else {
                    pick(cs)
                }
            }
            ElementKind::Zone => all,
        }
    }
}

fn lookup(valid: &[String], wanted: &[String], what: &str) -> Result<Vec<usize>, FlowError> {
    let mut out = Vec::new();
    for w in wanted {
        match valid.iter().position(|v| v == w) {
            Some(i) => out.push(i),
            None => {
                let mut ids: Vec<&str> = valid.iter().map(String::as_str).collect();
                ids.sort_unstable();
                return Err(FlowError(format!(
                    "unknown {what} id {w:?}; valid {what} ids: {}",
                    ids.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// Tolerance added to the band so that geometries that touch (distance computed as a few
/// micrometres by floating point) count as touching.
const TOUCH_M: f64 = 1e-3;

/// Segments and nodes within `band_m` metres of `zone` (0: touching or inside), as a [`Cut`],
/// with the geodesic distances of [`crate::nearest`] (the same as
/// `nearest::line_zone_distance(line, zone).distance_m` and `nearest::point_zone_distance_m`,
/// with the zone's index built once instead of once per segment).
///
/// Exact distances are costly on long routes, so a segment or node whose lon/lat bounding box
/// lies clearly outside the zone's box widened by the band (see [`BandBox`]), or whose ECEF box
/// is farther than the band from the zone's (see `ZoneIndex::line_distance_within`, which also
/// covers the antimeridian, polar and wide-band cases `BandBox` leaves alone), is ruled out
/// first; neither test rules out anything within the band.
pub fn zone_cut(model: &FlowModel, net: &Network, zone: &Zone, band_m: f64) -> Cut {
    let idx = crate::nearest::ZoneIndex::new(&zone.geometry);
    let bbox = BandBox::new(&zone.geometry, band_m);
    let reach = band_m + TOUCH_M;
    zone_cut_by(
        model,
        net,
        band_m,
        |line| {
            if bbox
                .as_ref()
                .is_some_and(|b| b.rules_out(line.bounding_rect()))
            {
                return f64::INFINITY;
            }
            idx.line_distance_within(line, reach)
                .map_or(f64::INFINITY, |d| d.distance_m)
        },
        |point| {
            if bbox
                .as_ref()
                .is_some_and(|b| b.rules_out(point.bounding_rect().into()))
            {
                return f64::INFINITY;
            }
            idx.point_distance_within(point, reach)
                .unwrap_or(f64::INFINITY)
        },
    )
}

/// A zone's lon/lat bounding box widened by a band, as a conservative prefilter: a geometry
/// whose box misses it is farther than the band from the zone. The widening over-covers the
/// band by half (a degree of latitude is at least 110.5 km; a degree of longitude at least
/// 111.3·cos φ km at the box's most poleward latitude φ), so geodesic curvature within a box
/// never matters. `None` (no prefilter) for empty zones, bands over 500 km, boxes reaching
/// beyond 80° of latitude or wider than 90° of longitude (antimeridian or polar cases).
pub struct BandBox {
    rect: geo::Rect<f64>,
}

impl BandBox {
    pub fn new(zone: &geo::Geometry<f64>, band_m: f64) -> Option<BandBox> {
        use geo::BoundingRect;
        let r = zone.bounding_rect()?;
        if band_m > 500_000.0 || !band_m.is_finite() {
            return None;
        }
        let dlat = band_m * 1.5 / 110_500.0 + 1e-6;
        let (lo, hi) = (r.min().y - dlat, r.max().y + dlat);
        let phi = lo.abs().max(hi.abs());
        if phi > 80.0 || r.width() > 90.0 {
            return None;
        }
        let dlon = band_m * 1.5 / (111_300.0 * phi.to_radians().cos()) + 1e-6;
        Some(BandBox {
            rect: geo::Rect::new(
                geo::coord! { x: r.min().x - dlon, y: lo },
                geo::coord! { x: r.max().x + dlon, y: hi },
            ),
        })
    }

    /// Is a geometry with this bounding box certainly farther than the band?
    pub fn rules_out(&self, other: Option<geo::Rect<f64>>) -> bool {
        let Some(o) = other else { return false };
        if o.width() > 90.0 {
            return false;
        }
        o.max().x < self.rect.min().x
            || o.min().x > self.rect.max().x
            || o.max().y < self.rect.min().y
            || o.min().y > self.rect.max().y
    }
}

/// [`zone_cut`] with the distance functions given: every whole segment whose line, and every
/// node whose point, lies within `band_m` metres.
pub fn zone_cut_by(
    model: &FlowModel,
    net: &Network,
    band_m: f64,
    line_distance_m: impl Fn(&geo::LineString<f64>) -> f64,
    point_distance_m: impl Fn(geo::Point<f64>) -> f64,
) -> Cut {
    let segs: Vec<usize> = net
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| line_distance_m(&s.line) <= band_m + TOUCH_M)
        .map(|(i, _)| i)
        .collect();
    let nodes: Vec<usize> = net
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| point_distance_m(n.point) <= band_m + TOUCH_M)
        .map(|(i, _)| i)
        .collect();
    model.cut(&segs, &nodes)
}

/// Finds a zone by id; the error lists the valid ids.
pub fn find_zone<'a>(zones: &'a [Zone], id: &str) -> Result<&'a Zone, FlowError> {
    zones.iter().find(|z| z.id == id).ok_or_else(|| {
        let mut ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
        ids.sort_unstable();
        FlowError(format!(
            "unknown zone id {id:?}; valid zone ids: {}",
            ids.join(", ")
        ))
    })
}

/// `lost / baseline`, 0 when the baseline is 0.
pub fn share(lost: f64, baseline: f64) -> f64 {
    if baseline > 0.0 {
        lost / baseline
    } else {
        0.0
    }
}

/// Clamps tiny negative or positive float noise to 0 and never reports a gain as a negative loss.
fn loss(baseline: f64, disrupted: f64, eps: f64) -> f64 {
    let l = baseline - disrupted;
    if l <= eps {
        0.0
    } else {
        l
    }
}

/// One row of `corridor flow`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MarketFlow {
    pub market: String,
    pub commodity: Commodity,
    pub deliverable: f64,
    pub unit: &'static str,
}

/// One total of `corridor flow`: all markets of a commodity at once, and the supply behind it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Total {
    pub commodity: Commodity,
    pub deliverable: f64,
    pub supply: f64,
    pub unit: &'static str,
}

/// Deliverability per market (each alone) and the totals.
pub fn flow(model: &FlowModel) -> (Vec<MarketFlow>, Vec<Total>) {
    let mut ws = Workspace::new(model);
    let (m, t) = model.deliverability(&mut ws, &Cut::default());
    let markets = model
        .markets
        .iter()
        .zip(m)
        .map(|(mk, d)| MarketFlow {
            market: mk.name.clone(),
            commodity: mk.commodity,
            deliverable: d,
            unit: mk.commodity.unit(),
        })
        .collect();
    let totals = model
        .commodities
        .iter()
        .zip(t)
        .map(|(c, d)| Total {
            commodity: c.commodity,
            deliverable: d,
            supply: c.supply_total,
            unit: c.commodity.unit(),
        })
        .collect();
    (markets, totals)
}

/// The columns of a [`MarketLoss`] row, in the contract's order (the `disrupt` table and the
/// data behind the disruption figure).
pub const MARKET_LOSS_COLUMNS: [&str; 7] = [
    "market",
    "commodity",
    "baseline",
    "disrupted",
    "lost",
    "lost_share",
    "unit",
];

/// One row of `corridor disrupt`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MarketLoss {
    pub market: String,
    pub commodity: Commodity,
    pub baseline: f64,
    pub disrupted: f64,
    pub lost: f64,
    pub lost_share: f64,
    pub unit: &'static str,
}

/// Baseline and disrupted deliverability per market, plus the same for the totals (market name
/// `all markets`).
pub fn disrupt(model: &FlowModel, cut: &Cut) -> (Vec<MarketLoss>, Vec<MarketLoss>) {
    let mut ws = Workspace::new(model);
    let (bm, bt) = model.deliverability(&mut ws, &Cut::default());
    let (dm, dt) = model.deliverability(&mut ws, cut);
    let row = |name: &str, c: Commodity, b: f64, d: f64| {
        let lost = loss(b, d, model.eps);
        MarketLoss {
            market: name.to_string(),
            commodity: c,
            baseline: b,
            disrupted: b - lost,
            lost,
            lost_share: share(lost, b),
            unit: c.unit(),
        }
    };
    let markets = model
        .markets
        .iter()
        .enumerate()
        .map(|(i, mk)| row(&mk.name, mk.commodity, bm[i], dm[i]))
        .collect();
    let totals = model
        .commodities
        .iter()
        .enumerate()
        .map(|(i, c)| row("all markets", c.commodity, bt[i], dt[i]))
        .collect();
    (markets, totals)
}

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
                let d = model.max_flow_warm(ws, Target::All(ci), &cut.pairs, &b.flows[ci]);
                loss(b.values[ci], d, model.eps)
            } else {
                0.0
            };
            (ci, l)
        })
        .collect()
}

/// Maximum flows with nothing cut, per target: values, the pairs they use, the flows themselves.
struct Baseline {
    values: Vec<f64>,
    used: Vec<Vec<bool>>,
    flows: Vec<Vec<f64>>,
}

fn baseline(model: &FlowModel, ws: &mut Workspace, targets: &[Target]) -> Baseline {
    let mut b = Baseline {
        values: Vec::new(),
        used: Vec::new(),
        flows: Vec::new(),
    };
    for &t in targets {
        let (v, f) = model.baseline_flow(ws, t);
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
    rank_with_progress(model, elements, pairs_k, &indicatif::ProgressBar::hidden())
}

/// [`rank`], ticking `bar` once per element (its length is set to the number of elements).
pub fn rank_with_progress(
    model: &FlowModel,
    elements: &[Element],
    pairs_k: usize,
    bar: &indicatif::ProgressBar,
) -> Ranking {
    bar.set_length(elements.len() as u64);
    let mut ws = Workspace::new(model);
    let targets: Vec<Target> = (0..model.commodities.len()).map(Target::All).collect();
    let bl = baseline(model, &mut ws, &targets);
    let base = &bl.values;
    let per: Vec<Vec<(usize, f64)>> = elements
        .par_iter()
        .map_init(
            || Workspace::new(model),
            |ws, e| {
                let cis = model.element_commodities(e.kind, e.index);
                let losses = total_losses(model, ws, &bl, &e.cut, &cis);
                bar.inc(1);
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
    let rows: Vec<RankRow> = rows.into_iter().map(|(_, r)| r).collect();
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

/// Monte Carlo settings. Probabilities are per run, independent across elements.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub runs: u64,
    pub seed: u64,
    /// Failure probability of each segment (by index in `Network::segments`).
    pub segment_p: Vec<f64>,
    /// Failure probability of each node (by index in `Network::nodes`).
    pub node_p: Vec<f64>,
    /// Zone events: id, probability, and what the event cuts.
    pub zones: Vec<(String, f64, Cut)>,
}

impl SimConfig {
    /// Every segment and node failing with `p`, no zone events.
    pub fn uniform(net: &Network, runs: u64, seed: u64, p: f64) -> SimConfig {
        SimConfig {
            runs,
            seed,
            segment_p: vec![p; net.segments.len()],
            node_p: vec![p; net.nodes.len()],
            zones: Vec::new(),
        }
    }

    /// Rejects probabilities outside [0, 1] and zero runs.
    pub fn validate(&self) -> Result<(), FlowError> {
        if self.runs == 0 {
            return Err(FlowError("--runs must be at least 1".into()));
        }
        let bad = |p: f64| !(0.0..=1.0).contains(&p);
        if self.segment_p.iter().chain(&self.node_p).any(|&p| bad(p)) {
            return Err(FlowError(
                "failure probabilities must lie between 0 and 1".into(),
            ));
        }
        for (id, p, _) in &self.zones {
            if bad(*p) {
                return Err(FlowError(format!(
                    "zone {id:?}: probability {p} is not between 0 and 1"
                )));
            }
        }
        Ok(())
    }
}

/// One row of `corridor simulate`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Distribution {
    pub market: String,
    pub commodity: Commodity,
    pub baseline: f64,
    pub mean_lost: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub p_any_loss: f64,
    pub runs: u64,
    pub unit: &'static str,
}

/// The RNG of run `run`: ChaCha8 seeded from `seed`, on stream `run`. Each run's draws depend
/// only on (seed, run), never on which thread runs it or in what order.
pub fn run_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// The elements that fail in run `run` (segments, nodes, zone indices). Every element draws one
/// number in a fixed order, whatever its probability, so streams stay aligned.
pub fn run_failures(cfg: &SimConfig, run: u64) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut rng = run_rng(cfg.seed, run);
    let mut pick = |ps: &mut dyn Iterator<Item = f64>| -> Vec<usize> {
        let mut out = Vec::new();
        for (i, p) in ps.enumerate() {
            let x: f64 = rng.random();
            if x < p {
                out.push(i);
            }
        }
        out
    };
    let s = pick(&mut cfg.segment_p.iter().copied());
    let n = pick(&mut cfg.node_p.iter().copied());
    let z = pick(&mut cfg.zones.iter().map(|z| z.1));
    (s, n, z)
}

/// Nearest-rank percentile of `n` values of which `n - nonzero.len()` are 0 and `nonzero` is
/// sorted ascending.
fn percentile(nonzero: &[f64], n: u64, q: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let k = ((q * n as f64).ceil() as u64).clamp(1, n);
    let zeros = n - nonzero.len() as u64;
    if k <= zeros {
        0.0
    } else {
        nonzero
            .get((k - zeros - 1) as usize)
            .copied()
            .unwrap_or(0.0)
    }
}

/// Runs the Monte Carlo. `progress` is called with the number of runs just finished. Runs are
/// processed in parallel in fixed chunks and reduced in run order, so the numbers are identical
/// for any thread count. Percentiles are nearest-rank.
pub fn simulate(
    model: &FlowModel,
    cfg: &SimConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Distribution> {
    let targets: Vec<Target> = (0..model.markets.len()).map(Target::Market).collect();
    let mut ws = Workspace::new(model);
    let bl = baseline(model, &mut ws, &targets);
    let (base, used) = (&bl.values, &bl.used);
    const CHUNK: u64 = 1024;
    let chunks = cfg.runs.div_ceil(CHUNK);
    let results: Vec<Vec<(u32, f64)>> = (0..chunks)
        .into_par_iter()
        .map_init(
            || Workspace::new(model),
            |ws, ch| {
                let lo = ch * CHUNK;
                let hi = (lo + CHUNK).min(cfg.runs);
                let mut out = Vec::new();
                for run in lo..hi {
                    let (s, n, z) = run_failures(cfg, run);
                    if s.is_empty() && n.is_empty() && z.is_empty() {
                        continue;
                    }
                    let mut cut = model.cut(&s, &n);
                    for zi in z {
                        cut = model.union(&cut, &cfg.zones[zi].2);
                    }
                    for (m, mask) in used.iter().enumerate() {
                        if !cut.pairs.iter().any(|&p| mask[p as usize]) {
                            continue;
                        }
                        let d =
                            model.max_flow_warm(ws, Target::Market(m), &cut.pairs, &bl.flows[m]);
                        let l = loss(base[m], d, model.eps);
                        if l > 0.0 {
                            out.push((m as u32, l));
                        }
                    }
                }
                progress(hi - lo);
                out
            },
        )
        .collect();
    let mut per_market: Vec<Vec<f64>> = vec![Vec::new(); model.markets.len()];
    for chunk in &results {
        for &(m, l) in chunk {
            per_market[m as usize].push(l);
        }
    }
    model
        .markets
        .iter()
        .enumerate()
        .map(|(m, mk)| {
            // Summed in run order, so the mean is bit-for-bit reproducible.
            let sum: f64 = per_market[m].iter().sum();
            let mut sorted = per_market[m].clone();
            sorted.sort_by(f64::total_cmp);
            Distribution {
                market: mk.name.clone(),
                commodity: mk.commodity,
                baseline: base[m],
                mean_lost: sum / cfg.runs as f64,
                p50: percentile(&sorted, cfg.runs, 0.50),
                p95: percentile(&sorted, cfg.runs, 0.95),
                p99: percentile(&sorted, cfg.runs, 0.99),
                p_any_loss: sorted.len() as f64 / cfg.runs as f64,
                runs: cfg.runs,
                unit: mk.commodity.unit(),
            }
        })
        .collect()
}

/// The segments and nodes of a cut as `{"segments": [...], "nodes": [...]}` ids.
pub fn cut_ids(net: &Network, cut: &Cut) -> serde_json::Value {
    serde_json::json!({
        "segments": cut.segments.iter().filter_map(|&s| net.segments.get(s).map(|s| s.id.clone())).collect::<Vec<_>>(),
        "nodes": cut.nodes.iter().filter_map(|&n| net.nodes.get(n).map(|n| n.id.clone())).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_nearest_rank_with_implicit_zeros() {
        // 10 runs, 8 zeros and losses 1, 3.
        let nz = [1.0, 3.0];
        assert_eq!(percentile(&nz, 10, 0.5), 0.0);
        assert_eq!(percentile(&nz, 10, 0.9), 1.0);
        assert_eq!(percentile(&nz, 10, 0.95), 3.0);
        assert_eq!(percentile(&nz, 10, 1.0), 3.0);
    }

    #[test]
    fn rng_streams_depend_only_on_seed_and_run() {
        let a: f64 = run_rng(7, 3).random();
        let b: f64 = run_rng(7, 3).random();
        let c: f64 = run_rng(7, 4).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}

/// Report builders for the `flow`, `disrupt`, `rank` and `simulate` commands (the CLI loads the
/// inputs, these run the analysis and shape the contract's rows and extra members).
pub mod commands {
    use super::*;
    use crate::load::Source;
    use crate::output::{meta, round, Report};
    use crate::topology;
    use serde_json::{json, Map, Value};

    /// What every flow command starts from.
    pub struct Inputs<'a> {
        pub net: &'a Network,
        /// Network (and, where used, zone) files, for `meta.inputs`.
        pub sources: Vec<&'a Source>,
        pub year: Option<i32>,
        pub snap_m: f64,
        /// Progress of the long analyses (`rank`); hidden when nobody watches.
        pub progress: indicatif::ProgressBar,
        /// The flow model, built on first use and shared by every report made from these inputs.
        model: std::sync::OnceLock<FlowModel>,
    }

    impl<'a> Inputs<'a> {
        pub fn new(
            net: &'a Network,
            sources: Vec<&'a Source>,
            year: Option<i32>,
            snap_m: f64,
            progress: indicatif::ProgressBar,
        ) -> Inputs<'a> {
            Inputs {
                net,
                sources,
                year,
                snap_m,
                progress,
                model: std::sync::OnceLock::new(),
            }
        }

        /// The flow model of the network (topology with the snapping distance given), built
        /// once.
        pub fn model(&self) -> &FlowModel {
            self.model
                .get_or_init(|| FlowModel::new(self.net, &topology::build(self.net, self.snap_m)))
        }
    }

    /// Values in the output are rounded to 6 decimals (well below any capacity's precision), so
    /// float noise never shows.
    fn r(v: f64) -> f64 {
        round(v, 6)
    }

    use crate::output::to_rows as rows;

    fn notes_member(notes: Vec<String>) -> Vec<(&'static str, Value)> {
        if notes.is_empty() {
            vec![]
        } else {
            vec![("notes", json!(notes))]
        }
    }

    /// `corridor flow`: `markets` rows and the `total` per commodity.
    pub fn flow_report(inp: &Inputs) -> Report {
        let model = inp.model();
        let (markets, totals) = flow(model);
        let markets: Vec<MarketFlow> = markets
            .into_iter()
            .map(|m| MarketFlow {
                deliverable: r(m.deliverable),
                ..m
            })
            .collect();
        let totals: Vec<Total> = totals
            .into_iter()
            .map(|t| Total {
                deliverable: r(t.deliverable),
                supply: r(t.supply),
                ..t
            })
            .collect();
        let mut extra = vec![(
            "total",
            Value::Array(rows(&totals).into_iter().map(Value::Object).collect()),
        )];
        extra.extend(notes_member(model.notes().to_vec()));
        Report {
            meta: meta(
                "flow",
                &inp.sources,
                inp.year,
                json!({"snap_m": inp.snap_m}),
            ),
            member: "markets",
            rows: rows(&markets),
            extra,
            table_columns: Some(vec!["market", "commodity", "deliverable", "unit"]),
        }
    }

    /// `corridor disrupt`: baseline, disrupted, lost and lost_share per market; `cut` lists what
    /// was removed, `total` the same for all markets at once.
    pub fn disrupt_report(
        inp: &Inputs,
        zones: &[Zone],
        zone_ids: &[String],
        band_km: f64,
        segments: &[String],
        nodes: &[String],
    ) -> Result<Report, FlowError> {
        if !band_km.is_finite() || band_km < 0.0 {
            return Err(FlowError(format!(
                "--band must be a distance in km >= 0, got {band_km}"
            )));
        }
        let model = inp.model();
        let mut cut = model.cut_by_ids(segments, nodes)?;
        let mut by_zone = Map::new();
        for id in zone_ids {
            let z = find_zone(zones, id)?;
            let zc = zone_cut(model, inp.net, z, band_km * 1000.0);
            by_zone.insert(id.clone(), cut_ids(inp.net, &zc));
            cut = model.union(&cut, &zc);
        }
        let (markets, totals) = disrupt(model, &cut);
        let fix = |m: MarketLoss| MarketLoss {
            baseline: r(m.baseline),
            disrupted: r(m.disrupted),
            lost: r(m.lost),
            lost_share: r(m.lost_share),
            ..m
        };
        let markets: Vec<MarketLoss> = markets.into_iter().map(fix).collect();
        let totals: Vec<MarketLoss> = totals.into_iter().map(fix).collect();
        let mut cut_v = cut_ids(inp.net, &cut);
        if let Value::Object(m) = &mut cut_v {
            if !by_zone.is_empty() {
                m.insert("zones".into(), Value::Object(by_zone));
            }
        }
        let mut notes = model.notes().to_vec();
        if cut.is_empty() {
            notes.push(
                "nothing was cut: no segment or node lies within the band of the zones given"
                    .into(),
            );
        }
        let mut extra = vec![
            ("cut", cut_v),
            (
                "total",
                Value::Array(rows(&totals).into_iter().map(Value::Object).collect()),
            ),
        ];
        extra.extend(notes_member(notes));
        Ok(Report {
            meta: meta(
                "disrupt",
                &inp.sources,
                inp.year,
                json!({"snap_m": inp.snap_m, "zones": zone_ids, "band_km": band_km, "segments": segments, "nodes": nodes}),
            ),
            member: "markets",
            rows: rows(&markets),
            extra,
            table_columns: Some(MARKET_LOSS_COLUMNS.to_vec()),
        })
    }

    /// `corridor rank`: every element removed singly (`ranking`), N-2 over the top `pairs_k`
    /// (`pairs`), and per commodity the share the worst single and worst pair take (`summary`).
    pub fn rank_report(
        inp: &Inputs,
        zones: &[Zone],
        kind: Option<ElementKind>,
        top: Option<usize>,
        pairs_k: usize,
        band_km: f64,
    ) -> Result<Report, FlowError> {
        if !band_km.is_finite() || band_km < 0.0 {
            return Err(FlowError(format!(
                "--band must be a distance in km >= 0, got {band_km}"
            )));
        }
        let model = inp.model();
        let kinds = match kind {
            Some(k) => vec![k],
            None => vec![ElementKind::Segment, ElementKind::Node, ElementKind::Zone],
        };
        let els = elements(model, inp.net, zones, &kinds, band_km * 1000.0);
        let ranking = rank_with_progress(model, &els, pairs_k, &inp.progress);
        inp.progress.finish_and_clear();
        let mut ranked: Vec<RankRow> = ranking
            .rows
            .into_iter()
            .map(|x| RankRow {
                lost: r(x.lost),
                lost_share: r(x.lost_share),
                ..x
            })
            .collect();
        if let Some(n) = top {
            ranked.truncate(n);
        }
        let pairs: Vec<PairRow> = ranking
            .pairs
            .into_iter()
            .map(|x| PairRow {
                lost: r(x.lost),
                lost_share: r(x.lost_share),
                interaction: r(x.interaction),
                ..x
            })
            .collect();
        let summary: Vec<RankSummary> = ranking
            .summary
            .into_iter()
            .map(|x| RankSummary {
                total: r(x.total),
                worst_single_lost: r(x.worst_single_lost),
                worst_single_share: r(x.worst_single_share),
                worst_pair_lost: r(x.worst_pair_lost),
                worst_pair_share: r(x.worst_pair_share),
                ..x
            })
            .collect();
        let mut extra = vec![(
            "summary",
            Value::Array(rows(&summary).into_iter().map(Value::Object).collect()),
        )];
        if pairs_k > 0 {
            extra.push((
                "pairs",
                Value::Array(rows(&pairs).into_iter().map(Value::Object).collect()),
            ));
        }
        extra.extend(notes_member(model.notes().to_vec()));
        Ok(Report {
            meta: meta(
                "rank",
                &inp.sources,
                inp.year,
                json!({"snap_m": inp.snap_m, "kind": kind.map(|k| k.as_str()), "top": top, "pairs": pairs_k, "band_km": band_km}),
            ),
            member: "ranking",
            rows: rows(&ranked),
            extra,
            table_columns: Some(vec![
                "kind",
                "id",
                "commodity",
                "lost",
                "lost_share",
                "unit",
            ]),
        })
    }

    /// Parses `ID=P`.
    pub fn parse_zone_prob(s: &str) -> Result<(String, f64), FlowError> {
        let (id, p) = s.rsplit_once('=').ok_or_else(|| {
            FlowError(format!(
                "--zone-prob {s:?}: expected ID=P, e.g. ganja-gap=0.05"
            ))
        })?;
        let p: f64 = p
            .trim()
            .parse()
            .map_err(|_| FlowError(format!("--zone-prob {s:?}: {p:?} is not a number")))?;
        if !(0.0..=1.0).contains(&p) {
            return Err(FlowError(format!(
                "--zone-prob {s:?}: the probability must lie between 0 and 1"
            )));
        }
        Ok((id.trim().to_string(), p))
    }

    /// Monte Carlo options of `corridor simulate`.
    pub struct SimulateArgs<'a> {
        pub runs: u64,
        pub seed: u64,
        pub p_default: f64,
        pub zone_probs: &'a [String],
        pub band_km: f64,
    }

    /// `corridor simulate`: the loss distribution per market. Every segment and node fails with
    /// its own `failure_prob` where the data give one, else with `--p-default`; the output says
    /// how many had their own in `notes`.
    pub fn simulate_report(
        inp: &Inputs,
        zones: &[Zone],
        a: &SimulateArgs,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Report, FlowError> {
        if !(0.0..=1.0).contains(&a.p_default) {
            return Err(FlowError(format!(
                "--p-default must lie between 0 and 1, got {}",
                a.p_default
            )));
        }
        if !a.band_km.is_finite() || a.band_km < 0.0 {
            return Err(FlowError(format!(
                "--band must be a distance in km >= 0, got {}",
                a.band_km
            )));
        }
        let model = inp.model();
        let mut cfg = SimConfig::uniform(inp.net, a.runs, a.seed, a.p_default);
        // An element's own `failure_prob` overrides --p-default.
        for (p, s) in cfg.segment_p.iter_mut().zip(&inp.net.segments) {
            if let Some(own) = s.failure_prob {
                *p = own;
            }
        }
        for (p, n) in cfg.node_p.iter_mut().zip(&inp.net.nodes) {
            if let Some(own) = n.failure_prob {
                *p = own;
            }
        }
        let own_probs = inp
            .net
            .segments
            .iter()
            .filter(|s| s.failure_prob.is_some())
            .count()
            + inp
                .net
                .nodes
                .iter()
                .filter(|n| n.failure_prob.is_some())
                .count();
        let mut zone_meta = Map::new();
        for s in a.zone_probs {
            let (id, p) = parse_zone_prob(s)?;
            let z = find_zone(zones, &id)?;
            zone_meta.insert(id.clone(), json!(p));
            cfg.zones
                .push((id, p, zone_cut(model, inp.net, z, a.band_km * 1000.0)));
        }
        cfg.validate()?;
        let dist: Vec<Distribution> = simulate(model, &cfg, progress)
            .into_iter()
            .map(|d| Distribution {
                baseline: r(d.baseline),
                mean_lost: r(d.mean_lost),
                p50: r(d.p50),
                p95: r(d.p95),
                p99: r(d.p99),
                p_any_loss: r(d.p_any_loss),
                ..d
            })
            .collect();
        let mut notes = model.notes().to_vec();
        notes.push(format!(
            "every segment and node fails independently in each run: {own_probs} elements with their own \
             `failure_prob`, the others with probability {} (--p-default)",
            a.p_default
        ));
        Ok(Report {
            meta: meta(
                "simulate",
                &inp.sources,
                inp.year,
                json!({"snap_m": inp.snap_m, "runs": a.runs, "seed": a.seed, "p_default": a.p_default,
                       "zone_prob": zone_meta, "band_km": a.band_km,
                       "rng": "ChaCha8, seeded from seed, stream = run index"}),
            ),
            member: "distribution",
            rows: rows(&dist),
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
        })
    }
}
