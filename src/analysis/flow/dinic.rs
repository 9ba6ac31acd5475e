//! Maximum flow: Dinic's algorithm on the model's flat arrays, warm starts, and petgraph's
//! `dinics` as an independent cross-check.
//!
//! Complexity: O(V²E) in general (Dinic); on pipeline networks, which are mostly chains with few
//! parallel routes, the number of phases is small and each phase is a BFS plus blocking-flow DFS,
//! O(E) to O(VE).

use super::{CommodityNet, FlowModel, Target, Workspace, UNSET};
use std::collections::BTreeSet;

impl FlowModel {
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
}
