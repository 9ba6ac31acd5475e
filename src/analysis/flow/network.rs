//! The flow network: built once from a topology, with per-commodity super-sources and sinks,
//! and the resolution of removed elements (segments, nodes) to the arc pairs they switch off.

use super::{ElementKind, UNSET};
use crate::analysis::{unknown_id, RequestError};
use crate::model::{Commodity, Direction, Network, NodeKind};
use crate::topology::Topology;
use std::collections::{BTreeMap, BTreeSet};

/// A market as reports group it: the `market` name and a commodity.
#[derive(Debug, Clone)]
pub struct Market {
    pub name: String,
    pub commodity: Commodity,
    /// Index into [`FlowModel::commodities`].
    pub(super) commodity_index: usize,
    /// The market's arc pair to the super-sink (from its own vertex, which every market node of
    /// the market feeds): its capacity is the market's demand, unbounded where unknown.
    pub(super) sink_pairs: Vec<u32>,
    /// The market's vertex.
    pub(super) vertex: u32,
    /// The market's demand, when one is set ([`FlowModel::with_demand`]).
    pub demand: Option<f64>,
}

/// The per-commodity part of the model.
#[derive(Debug, Clone)]
pub(crate) struct CommodityNet {
    pub(super) commodity: Commodity,
    pub(super) source: u32,
    pub(super) sink: u32,
    /// Every vertex → super-sink pair of this commodity.
    pub(super) sink_pairs: Vec<u32>,
    pub(super) supply_total: f64,
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
    pub(super) n: usize,
    /// The solver's network: the built network after series reduction (see [`reduce`]). Every
    /// pair index below (cuts, sink pairs, flows, masks) is one of its pairs.
    /// CSR: arcs leaving vertex v are `adj[start[v]..start[v+1]]`.
    pub(super) start: Vec<u32>,
    pub(super) adj: Vec<u32>,
    /// Per adjacency slot `k`: the head of its arc `adj[k]`, and the slot of that arc's twin;
    /// per arc, its slot (for push–relabel, which keeps residual capacities by slot).
    pub(super) slot_head: Vec<u32>,
    pub(super) slot_twin: Vec<u32>,
    pub(super) arc_slot: Vec<u32>,
    /// Head of each arc (two per pair: `2p` forward, `2p+1` backward).
    pub(super) to: Vec<u32>,
    /// Capacity of each arc (∞ for unbounded markets; the backward arc of a one-way pair is 0).
    pub(super) cap: Vec<f64>,
    pub(super) eps: f64,
    /// The most vertices a detour search may reach (see `dinic::FlowModel::detour`).
    pub(super) detour_budget: usize,
    /// The network as built, before reduction (heads and capacities per arc), and the solver
    /// pair each of its pairs became ([`UNSET`]: dropped, it can carry no flow): for the
    /// independent cross-check [`FlowModel::max_flow_petgraph`] and [`FlowModel::arc_count`].
    pub(super) built_to: Vec<u32>,
    pub(super) built_cap: Vec<f64>,
    pub(super) built_pair: Vec<u32>,
    pub(super) commodities: Vec<CommodityNet>,
    pub(super) markets: Vec<Market>,
    pub(super) segment_pairs: Vec<Vec<u32>>,
    pub(super) node_pairs: Vec<Vec<u32>>,
    pub(super) segment_ids: Vec<String>,
    pub(super) node_ids: Vec<String>,
    pub(super) segment_commodity: Vec<Commodity>,
    pub(super) node_commodities: Vec<Vec<Commodity>>,
    pub(super) notes: Vec<String>,
}

/// Scratch space for max-flow runs; one per thread, reused across scenarios.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub(super) flow: Vec<f64>,
    pub(super) off: Vec<bool>,
    pub(super) level: Vec<u32>,
    pub(super) it: Vec<u32>,
    pub(super) queue: Vec<u32>,
    pub(super) path: Vec<u32>,
    /// Position + 1 of each vertex on the current flow walk (0: not on it; all 0 between walks).
    pub(super) pos: Vec<u32>,
    /// Bidirectional search: the search each vertex was last reached in from the source side
    /// and from the sink side (`stamp` numbers searches), the arc it was reached by, the queues.
    pub(super) fwd: Vec<u32>,
    pub(super) bwd: Vec<u32>,
    pub(super) pf: Vec<u32>,
    pub(super) pb: Vec<u32>,
    pub(super) qf: Vec<u32>,
    pub(super) qb: Vec<u32>,
    pub(super) stamp: u32,
    /// The baseline `flow` holds between keyed warm solves ([`FlowModel::max_flow_keyed`]), and
    /// the journal of pairs a keyed solve changed (`touched`, kept while `journal`).
    pub(super) holds: Option<super::dinic::WarmKey>,
    pub(super) journal: bool,
    pub(super) touched: Vec<u32>,
    /// Push–relabel's scratch, sized on its first cold solve.
    pub(super) pre: super::preflow::Preflow,
}

impl Workspace {
    /// Runs `f` with the pairs `pairs` switched off, then switches them back on.
    pub(super) fn with_off<R>(&mut self, pairs: &[u32], f: impl FnOnce(&mut Self) -> R) -> R {
        for &p in pairs {
            self.off[p as usize] = true;
        }
        let r = f(self);
        for &p in pairs {
            self.off[p as usize] = false;
        }
        r
    }

    /// Notes that the flow of pair `p` changed (for the journal of a keyed warm solve).
    #[inline]
    pub(super) fn note(&mut self, p: u32) {
        if self.journal {
            self.touched.push(p);
        }
    }
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
            pos: vec![0; model.n],
            fwd: vec![0; model.n],
            bwd: vec![0; model.n],
            pf: vec![0; model.n],
            pb: vec![0; model.n],
            qf: Vec::new(),
            qb: Vec::new(),
            stamp: 0,
            holds: None,
            journal: false,
            touched: Vec::new(),
            pre: Default::default(),
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
    ///
    /// ```
    /// use corridor::analysis::flow::{FlowModel, Target, Workspace};
    /// use corridor::input::{load_network, LoadOptions, Source};
    ///
    /// // A supply of 30 bcm/y, a 20 bcm/y pipe to a station, a 12 bcm/y pipe on to the market:
    /// // worked by hand, the most that reaches the market is the narrower pipe, 12 bcm/y.
    /// let geojson = r#"{"type": "FeatureCollection", "features": [
    ///   {"type": "Feature", "properties": {"id": "s", "kind": "supply", "commodity": "gas", "supply": 30, "supply_unit": "bcm/y"},
    ///    "geometry": {"type": "Point", "coordinates": [0, 0]}},
    ///   {"type": "Feature", "properties": {"id": "j", "kind": "station", "commodity": "gas"},
    ///    "geometry": {"type": "Point", "coordinates": [0.1, 0]}},
    ///   {"type": "Feature", "properties": {"id": "m", "kind": "market", "commodity": "gas", "market": "Town"},
    ///    "geometry": {"type": "Point", "coordinates": [0.2, 0]}},
    ///   {"type": "Feature", "properties": {"id": "a-1", "corridor": "A", "commodity": "gas", "capacity": 20, "capacity_unit": "bcm/y"},
    ///    "geometry": {"type": "LineString", "coordinates": [[0, 0], [0.1, 0]]}},
    ///   {"type": "Feature", "properties": {"id": "a-2", "corridor": "A", "commodity": "gas", "capacity": 12, "capacity_unit": "bcm/y"},
    ///    "geometry": {"type": "LineString", "coordinates": [[0.1, 0], [0.2, 0]]}}
    /// ]}"#;
    /// let src = Source::new("doc.geojson", geojson.as_bytes().to_vec());
    /// let (net, _) = load_network(&[src], LoadOptions::default()).unwrap();
    /// let model = FlowModel::new(&net, &corridor::topology::build(&net, 1000.0));
    /// let mut ws = Workspace::new(&model);
    /// assert!((model.max_flow(&mut ws, Target::Market(0), &[], None) - 12.0).abs() < 1e-9);
    /// // Cutting the station stops everything.
    /// let cut = model.cut_by_ids(&[], &["j".to_string()]).unwrap();
    /// assert_eq!(model.max_flow(&mut ws, Target::Market(0), &cut.pairs, None), 0.0);
    /// ```
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
        for c in Commodity::KNOWN {
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
                "{} without a capacity carry nothing (capacity 0): {}",
                crate::model::count(ids.len(), "segment"),
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
                        // Each market has a vertex of its own between its nodes and the sink, so
                        // that a cap on the whole market (its demand) is one arc.
                        let name = node.market.clone().unwrap_or_else(|| node.id.clone());
                        let k = *market_index.entry((name.clone(), c)).or_insert_with(|| {
                            let mv = b.n as u32;
                            b.n += 1;
                            let sp = b.pair(mv, commodities[ci].sink, f64::INFINITY, 0.0);
                            commodities[ci].sink_pairs.push(sp);
                            markets.push(Market {
                                name,
                                commodity: c,
                                commodity_index: ci,
                                sink_pairs: vec![sp],
                                vertex: mv,
                                demand: None,
                            });
                            markets.len() - 1
                        });
                        let p = b.pair(v, markets[k].vertex, cap, 0.0);
                        node_pairs[n].push(p);
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
        drop(incident);
        // Series reduction; every list of pairs moves to the reduced network.
        // Super-sources and sinks stay, and so does each market's own vertex, so that its arc to
        // the sink stays one pair of its own: demand caps it later (`with_demand`).
        let mut keep = vec![false; b.n];
        for c in &commodities {
            keep[c.source as usize] = true;
            keep[c.sink as usize] = true;
        }
        for m in &markets {
            keep[m.vertex as usize] = true;
        }
        let red = reduce(&b.to, &b.cap, &keep);
        let remap = |ps: &mut Vec<u32>| {
            for p in ps.iter_mut() {
                *p = red.pair[*p as usize];
            }
            ps.retain(|&p| p != UNSET);
            ps.sort_unstable();
            ps.dedup();
        };
        for ps in segment_pairs.iter_mut().chain(node_pairs.iter_mut()) {
            remap(ps);
        }
        for c in &mut commodities {
            remap(&mut c.sink_pairs);
        }
        for m in &mut markets {
            remap(&mut m.sink_pairs);
        }
        // Markets in a stable order: commodity, then name.
        let mut order: Vec<usize> = (0..markets.len()).collect();
        order.sort_by(|&x, &y| {
            (markets[x].commodity, &markets[x].name).cmp(&(markets[y].commodity, &markets[y].name))
        });
        let markets: Vec<Market> = order.into_iter().map(|i| markets[i].clone()).collect();
        FlowModel {
            commodities,
            markets,
            segment_pairs,
            node_pairs,
            segment_ids: net.segments.iter().map(|s| s.id.clone()).collect(),
            node_ids: net.nodes.iter().map(|n| n.id.clone()).collect(),
            segment_commodity: net.segments.iter().map(|s| s.commodity).collect(),
            node_commodities,
            notes,
            ..FlowModel::solver(b, red)
        }
    }

    /// A model of the built network `b` and its reduction `red` for the solvers (adjacency,
    /// capacities, tolerance, detour budget, the built network for cross-checks), with no
    /// commodities, markets or elements: the constructors fill those in.
    fn solver(b: Builder, red: Reduced) -> FlowModel {
        let csr = Csr::new(b.n, &red);
        let detour_budget = csr.detour_budget();
        let scale = b
            .cap
            .iter()
            .copied()
            .filter(|c| c.is_finite())
            .fold(1.0, f64::max);
        FlowModel {
            n: b.n,
            start: csr.start,
            adj: csr.adj,
            slot_head: csr.slot_head,
            slot_twin: csr.slot_twin,
            arc_slot: csr.arc_slot,
            to: red.to,
            cap: red.cap,
            eps: scale * 1e-10,
            detour_budget,
            built_to: b.to,
            built_cap: b.cap,
            built_pair: red.pair,
            commodities: Vec::new(),
            markets: Vec::new(),
            segment_pairs: Vec::new(),
            node_pairs: Vec::new(),
            segment_ids: Vec::new(),
            node_ids: Vec::new(),
            segment_commodity: Vec::new(),
            node_commodities: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The commodities with a flow network, in the order of [`Commodity::KNOWN`] (oil, gas,
    /// products, hydrogen, CO2).
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

    /// Number of arcs (two per pair) of the network as built, for benchmarks and sanity checks.
    pub fn arc_count(&self) -> usize {
        self.built_cap.len()
    }

    /// Number of arcs (two per pair) the solver works on, after series reduction.
    pub fn solver_arc_count(&self) -> usize {
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
    pub fn cut_by_ids(&self, segments: &[String], nodes: &[String]) -> Result<Cut, RequestError> {
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

    /// The commodities an element can affect, for ranking rows.
    pub(super) fn element_commodities(&self, kind: ElementKind, index: usize) -> Vec<usize> {
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

/// The adjacency of a reduced network (see [`FlowModel::start`] and the slot arrays).
struct Csr {
    start: Vec<u32>,
    adj: Vec<u32>,
    slot_head: Vec<u32>,
    slot_twin: Vec<u32>,
    arc_slot: Vec<u32>,
}

impl Csr {
    /// [`super::dinic::DETOUR_VERTICES`], or a quarter of the vertices with an arc if more.
    fn detour_budget(&self) -> usize {
        let used = self.start.windows(2).filter(|w| w[1] > w[0]).count();
        super::dinic::DETOUR_VERTICES.max(used / 4)
    }

    fn new(n: usize, red: &Reduced) -> Csr {
        let mut start = vec![0u32; n + 1];
        for &t in &red.tail {
            start[t as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut adj = vec![0u32; red.tail.len()];
        for (a, &t) in red.tail.iter().enumerate() {
            adj[fill[t as usize] as usize] = a as u32;
            fill[t as usize] += 1;
        }
        let mut arc_slot = vec![0u32; adj.len()];
        for (k, &a) in adj.iter().enumerate() {
            arc_slot[a as usize] = k as u32;
        }
        let slot_head = adj.iter().map(|&a| red.to[a as usize]).collect();
        let slot_twin = adj.iter().map(|&a| arc_slot[a as usize ^ 1]).collect();
        Csr {
            start,
            adj,
            slot_head,
            slot_twin,
            arc_slot,
        }
    }
}

#[cfg(test)]
impl FlowModel {
    /// A one-commodity model straight from arc pairs `(tail, head, capacity, back capacity)` on
    /// vertices `0..n`, from `s` to `t`, series-reduced like every model: for the solvers' tests
    /// on random networks.
    pub(super) fn from_pairs(
        n: usize,
        s: u32,
        t: u32,
        pairs: &[(u32, u32, f64, f64)],
    ) -> FlowModel {
        let mut b = Builder {
            n,
            tail: Vec::new(),
            to: Vec::new(),
            cap: Vec::new(),
        };
        for &(x, y, c, back) in pairs {
            b.pair(x, y, c, back);
        }
        let mut keep = vec![false; n];
        keep[s as usize] = true;
        keep[t as usize] = true;
        let red = reduce(&b.to, &b.cap, &keep);
        let mut sink_pairs: Vec<u32> = (0..pairs.len())
            .filter(|&q| b.to[2 * q] == t || b.to[2 * q + 1] == t)
            .map(|q| red.pair[q])
            .filter(|&p| p != UNSET)
            .collect();
        sink_pairs.sort_unstable();
        sink_pairs.dedup();
        let supply_total = (0..pairs.len())
            .map(|q| {
                let mut c = 0.0;
                if b.to[2 * q + 1] == s {
                    c += b.cap[2 * q];
                }
                if b.to[2 * q] == s {
                    c += b.cap[2 * q + 1];
                }
                c
            })
            .sum();
        FlowModel {
            commodities: vec![CommodityNet {
                commodity: Commodity::Gas,
                source: s,
                sink: t,
                sink_pairs,
                supply_total,
            }],
            ..FlowModel::solver(b, red)
        }
    }
}

fn lookup(valid: &[String], wanted: &[String], what: &str) -> Result<Vec<usize>, RequestError> {
    wanted
        .iter()
        .map(|w| {
            valid
                .iter()
                .position(|v| v == w)
                .ok_or_else(|| unknown_id(what, w, valid.iter().map(String::as_str)))
        })
        .collect()
}

/// A network after series reduction: arcs in pairs as in [`FlowModel`] (`tail` per arc), and
/// for every pair of the network it came from, the pair that stands for it ([`UNSET`]: none).
struct Reduced {
    tail: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<f64>,
    pair: Vec<u32>,
}

/// Series reduction of the network of arcs `to`/`cap` (pairs `2p`/`2p+1`, the tail of arc `a`
/// being `to[a ^ 1]`); vertices marked in `keep` (super-sources and sinks) stay.
///
/// - A pair that can carry nothing (no capacity either way, or a loop) is dropped.
/// - A vertex left with one pair is a dead end: conservation keeps that pair's flow at 0, so it
///   is dropped too, repeatedly (a spur of a dead end is a dead end).
/// - A vertex left with exactly two pairs is the middle of a chain: every maximal chain
///   x – v1 – … – vk – z becomes one pair x → z whose capacity each way is the least of its
///   pairs' capacities that way (flow through a chain is one number, bounded by every link).
///   A chain that closes on itself (x = z) carries nothing and is dropped.
///
/// Max flows are unchanged: a flow of the reduced network is a flow of the built one (the same
/// amount on every pair of a chain) and back. So are cuts: cutting any pair of a chain cuts the
/// chain, which is what the reduced pair does; a dropped pair's cut changes nothing. Pipelines
/// are mostly chains of junctions and stations, so this removes most vertices of real networks
/// (and a quarter of the synthetic grid's); the mapping is exact because it is per pair.
fn reduce(to: &[u32], cap: &[f64], keep: &[bool]) -> Reduced {
    let n = keep.len();
    let pairs = to.len() / 2;
    let tail = |p: usize| to[2 * p + 1] as usize;
    let head = |p: usize| to[2 * p] as usize;
    let mut alive: Vec<bool> = (0..pairs)
        .map(|p| tail(p) != head(p) && (cap[2 * p] > 0.0 || cap[2 * p + 1] > 0.0))
        .collect();
    // Incidence (CSR over alive pairs) and degrees.
    let mut first = vec![0u32; n + 1];
    for p in (0..pairs).filter(|&p| alive[p]) {
        first[tail(p) + 1] += 1;
        first[head(p) + 1] += 1;
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    let mut inc = vec![0u32; first[n] as usize];
    let mut fill = first.clone();
    for p in (0..pairs).filter(|&p| alive[p]) {
        for v in [tail(p), head(p)] {
            inc[fill[v] as usize] = p as u32;
            fill[v] += 1;
        }
    }
    let mut deg: Vec<u32> = (0..n).map(|v| first[v + 1] - first[v]).collect();
    let other = |p: usize, v: usize| if tail(p) == v { head(p) } else { tail(p) };
    // Dead ends, repeatedly.
    let mut stack: Vec<usize> = (0..n).filter(|&v| !keep[v] && deg[v] == 1).collect();
    while let Some(v) = stack.pop() {
        if deg[v] != 1 {
            continue;
        }
        let Some(&p) = inc[first[v] as usize..first[v + 1] as usize]
            .iter()
            .find(|&&p| alive[p as usize])
        else {
            continue;
        };
        let p = p as usize;
        alive[p] = false;
        deg[v] = 0;
        let w = other(p, v);
        deg[w] -= 1;
        if !keep[w] && deg[w] == 1 {
            stack.push(w);
        }
    }
    let inner = |v: usize| !keep[v] && deg[v] == 2;
    let mut out = Reduced {
        tail: Vec::new(),
        to: Vec::new(),
        cap: Vec::new(),
        pair: vec![UNSET; pairs],
    };
    let mut chain: Vec<(usize, bool)> = Vec::new();
    for x in (0..n).filter(|&x| !inner(x)) {
        for k in first[x]..first[x + 1] {
            let p0 = inc[k as usize] as usize;
            if !alive[p0] || out.pair[p0] != UNSET {
                continue;
            }
            // Walk the chain from x through vertices of degree 2.
            chain.clear();
            let (mut u, mut p) = (x, p0);
            let z = loop {
                chain.push((p, tail(p) == u));
                let v = other(p, u);
                if !inner(v) {
                    break v;
                }
                let next = inc[first[v] as usize..first[v + 1] as usize]
                    .iter()
                    .map(|&q| q as usize)
                    .find(|&q| alive[q] && q != p);
                match next {
                    Some(q) => (u, p) = (v, q),
                    None => break v,
                }
            };
            if z == x {
                // A loop back to x: mark it seen, it carries nothing.
                for &(q, _) in &chain {
                    out.pair[q] = UNSET - 1;
                }
                continue;
            }
            let (mut fwd, mut back) = (f64::INFINITY, f64::INFINITY);
            for &(q, along) in &chain {
                let (f, b) = if along {
                    (cap[2 * q], cap[2 * q + 1])
                } else {
                    (cap[2 * q + 1], cap[2 * q])
                };
                fwd = fwd.min(f);
                back = back.min(b);
            }
            // The reduced pair runs the way its first link was built (x → z unless that link
            // points at x), so a chain of one pair keeps its arcs as built: a market's sink pair
            // stays market → sink, the arc `with_demand` caps.
            let (a, z, fwd, back) = if chain[0].1 {
                (x, z, fwd, back)
            } else {
                (z, x, back, fwd)
            };
            let r = (out.to.len() / 2) as u32;
            out.tail.extend([a as u32, z as u32]);
            out.to.extend([z as u32, a as u32]);
            out.cap.extend([fwd, back]);
            for &(q, _) in &chain {
                out.pair[q] = r;
            }
        }
    }
    for p in out.pair.iter_mut() {
        if *p == UNSET - 1 {
            *p = UNSET;
        }
    }
    out
}
