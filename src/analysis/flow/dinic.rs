//! Maximum flow: the entry points, warm starts (local detours, unrouting, bidirectional
//! augmenting searches, then Dinic's algorithm), and petgraph's `dinics` as an independent
//! cross-check. Cold solves are push–relabel's (`preflow`); Dinic stays for what is left after a
//! warm start, where its phases batch the last augmenting paths, and as the fallback of a cold
//! solve that push–relabel declines (an unbounded supply).
//!
//! Complexity: O(V²E) in general (Dinic); on pipeline networks, which are mostly chains with few
//! parallel routes, the number of phases is small and each phase is a BFS plus blocking-flow DFS,
//! O(E) to O(VE).

use super::preflow::StartLabels;
use super::{CommodityNet, FlowModel, Target, Workspace, UNSET};

/// What names a baseline flow in keyed warm solves: a baseline id and a target's index in it.
pub(super) type WarmKey = (u64, usize);

/// Augmenting paths [`FlowModel::reroute`] finds one at a time before it hands over to Dinic.
const REROUTE_PATHS: usize = 64;

/// The most vertices one search of [`FlowModel::detour`] may reach: this many, or a quarter of
/// the vertices of the solver's network if that is more ([`FlowModel::detour_budget`]).
pub(super) const DETOUR_VERTICES: usize = 512;
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
        let v = self.solve(ws, target, cut, None, used.is_some(), None);
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
        let v = self.solve(ws, target, &[], None, true, None);
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
            return self.solve(ws, target, cut, None, false, None);
        }
        self.solve(ws, target, cut, Some((base, None)), false, None)
    }

    /// [`FlowModel::max_flow_warm`] for callers that solve many scenarios against the same few
    /// baselines (N-1, N-2, Monte Carlo): `key` names `base` for as long as it lives (a
    /// baseline id and the target's index in it). The workspace keeps the flow of the last key
    /// it solved and undoes a scenario's changes from a journal instead of copying the whole
    /// baseline in and out, so a scenario costs what it changes, not the size of the network.
    pub(super) fn max_flow_keyed(
        &self,
        ws: &mut Workspace,
        target: Target,
        cut: &[u32],
        base: &[f64],
        key: WarmKey,
    ) -> f64 {
        if base.len() != ws.flow.len() {
            return self.solve(ws, target, cut, None, false, None);
        }
        self.solve(ws, target, cut, Some((base, Some(key))), false, None)
    }

    /// The commodity network a target draws on, and for one market the sink pairs it may use
    /// (`None`: every market of the commodity). `None` for an unknown target.
    pub(super) fn resolve(&self, target: Target) -> Option<(&CommodityNet, Option<&[u32]>)> {
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

    /// The max-flow value of market `m` alone with the (sorted) pairs `cut` removed, solved
    /// cold from `labels` (from [`FlowModel::start_labels`] for its commodity and the same cut;
    /// other labels are ignored).
    pub(super) fn market_value(
        &self,
        ws: &mut Workspace,
        m: usize,
        cut: &[u32],
        labels: Option<&StartLabels>,
    ) -> f64 {
        self.solve(ws, Target::Market(m), cut, None, false, labels)
    }

    /// The max flow of `target` with `cut` removed, cold or from a warm start. `whole`: leave a
    /// flow in `ws.flow` (a cold solve may otherwise leave a maximum preflow there). `labels`:
    /// push–relabel's first labels, used when they are for a market's commodity and this cut.
    fn solve(
        &self,
        ws: &mut Workspace,
        target: Target,
        cut: &[u32],
        warm: Option<(&[f64], Option<WarmKey>)>,
        whole: bool,
        labels: Option<&StartLabels>,
    ) -> f64 {
        let Some((cn, only)) = self.resolve(target) else {
            return 0.0;
        };
        let held = ws.holds.take();
        if let Some(only) = only {
            for &p in &cn.sink_pairs {
                if !only.contains(&p) {
                    ws.off[p as usize] = true;
                }
            }
        }
        let mut cold = true;
        // Whether a warm start lost any flow (else it is still a maximum: see below).
        let mut lost = false;
        if let Some((base, key)) = warm {
            if key.is_none() || held != key {
                ws.flow.copy_from_slice(base);
            }
            ws.journal = key.is_some();
            ws.touched.clear();
            cold = false;
            // Cut pairs are switched off one at a time: while one is cancelled the others may
            // still carry (and give back) flow, so the flow that reached it always has a way
            // back.
            let tol = self.eps * 1e3;
            for &p in cut {
                let phi = ws.flow[p as usize];
                ws.off[p as usize] = true;
                ws.flow[p as usize] = 0.0;
                ws.note(p);
                if phi.abs() <= self.eps {
                    continue;
                }
                let (a, amount) = if phi > 0.0 {
                    (2 * p as usize, phi)
                } else {
                    (2 * p as usize + 1, -phi)
                };
                let (u, v) = (self.to[a ^ 1], self.to[a]);
                // What cannot go round the cut arc goes back to the source and the sink.
                let amount = amount - self.detour(ws, u as usize, v as usize, amount);
                if amount <= self.eps {
                    continue;
                }
                lost = true;
                if u != cn.source && self.unroute(ws, u, cn.source, amount, true) < amount - tol {
                    cold = true;
                }
                if !cold
                    && v != cn.sink
                    && self.unroute(ws, v, cn.sink, amount, false) < amount - tol
                {
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

        let mut into_sink = None;
        if cold {
            ws.journal = false;
            // Push–relabel (`preflow`): a market alone from its end, all markets from the source.
            // Except for the flow (not only the value) to all markets at once, N-1's baseline:
            // every pair that carries it is a scenario N-1 must solve, and Dinic's shortest
            // augmenting paths spread less than push–relabel's flow (synthetic grid, 10^5
            // segments: 6,500 pairs against 10,500, for 60 ms against 8 ms; N-1 then runs in
            // 0.23–0.40 s against 0.40–0.47 s). A market alone is another matter: Dinic takes
            // 20–50 times as long there, far more than a tighter flow saves any later solve.
            let all = matches!(target, Target::All(_));
            if !(whole && all) {
                let labels = match target {
                    Target::Market(m) => labels
                        .filter(|l| l.commodity == self.markets[m].commodity_index && l.cut == cut),
                    Target::All(_) => None,
                };
                into_sink = self.push_relabel(ws, cn.source, cn.sink, whole, !all, labels);
            }
            if into_sink.is_none() {
                ws.flow.iter_mut().for_each(|f| *f = 0.0);
                self.dinic(ws, cn.source, cn.sink, f64::INFINITY, false);
            }
        } else if lost {
            self.reroute(ws, cn.source, cn.sink);
        }
        // Else every cut pair's flow went round it: the flow still has the baseline's value, the
        // most any network with less in it can carry, so it is a maximum as it stands.
        // The value: push–relabel's, or the net flow out of the source.
        let value = into_sink.unwrap_or_else(|| {
            let s = cn.source as usize;
            let mut value = 0.0;
            for k in self.start[s]..self.start[s + 1] {
                let a = self.adj[k as usize] as usize;
                let f = ws.flow[a / 2];
                value += if a & 1 == 0 { f } else { -f };
            }
            value
        });
        for &p in cut {
            ws.off[p as usize] = false;
        }
        if only.is_some() {
            for &p in &cn.sink_pairs {
                ws.off[p as usize] = false;
            }
        }
        // Back to the baseline for the next scenario of the same key.
        if let Some((base, Some(key))) = warm {
            if ws.journal && ws.touched.len() < ws.flow.len() / 4 {
                for &p in &ws.touched {
                    ws.flow[p as usize] = base[p as usize];
                }
            } else {
                ws.flow.copy_from_slice(base);
            }
            ws.holds = Some(key);
        }
        ws.journal = false;
        ws.touched.clear();
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

    /// Takes up to `amount` of flow off paths that carry it between `from` and `end`: backwards
    /// along arcs that bring flow into `from` up to `end` (the source) when `upstream`, else
    /// forwards along arcs that take flow out of `from` down to `end` (the sink). `from` holds
    /// that much excess (or deficit) and flow is conserved everywhere else, so such paths exist:
    /// each walk follows only arcs that carry flow, and a walk that comes back to a vertex of its
    /// own has found a cycle of flow, which it cancels (that changes no value) before going on.
    /// Every walk thus zeroes an arc or ends the work, and costs its length, not the size of
    /// the network. Returns what it cancelled (less than `amount` only when float dust leaves a
    /// vertex without a usable arc, which the caller answers by solving cold).
    fn unroute(&self, ws: &mut Workspace, from: u32, end: u32, amount: f64, upstream: bool) -> f64 {
        // Flow along arc `a` in the walk's direction: into its tail (upstream) or out of it.
        let carried = |ws: &Workspace, a: usize| -> f64 {
            let f = ws.flow[a / 2];
            let out = if a & 1 == 0 { f } else { -f };
            if upstream {
                -out
            } else {
                out
            }
        };
        // Less of it along `a`, by `f`.
        let lessen = |ws: &mut Workspace, a: usize, f: f64| {
            let d = if upstream { f } else { -f };
            if a & 1 == 0 {
                ws.flow[a / 2] += d;
            } else {
                ws.flow[a / 2] -= d;
            }
            ws.note((a / 2) as u32);
        };
        let mut done = 0.0;
        let mut ok = true;
        while ok && amount - done > self.eps {
            ws.path.clear();
            ws.qb.clear();
            ws.qb.push(from);
            ws.pos[from as usize] = 1;
            let mut u = from as usize;
            ok = loop {
                if u == end as usize {
                    break true;
                }
                let mut next = None;
                for k in self.start[u]..self.start[u + 1] {
                    let a = self.adj[k as usize] as usize;
                    if carried(ws, a) > self.eps {
                        next = Some(a);
                        break;
                    }
                }
                let Some(a) = next else { break false };
                let v = self.to[a] as usize;
                let at = ws.pos[v] as usize;
                if at != 0 {
                    // A cycle: the walk's arcs from v on, and a. Cancel it, go on from v.
                    let mut c = carried(ws, a);
                    for &b in &ws.path[at - 1..] {
                        c = c.min(carried(ws, b as usize));
                    }
                    lessen(ws, a, c);
                    for i in at - 1..ws.path.len() {
                        let b = ws.path[i] as usize;
                        lessen(ws, b, c);
                    }
                    for &w in &ws.qb[at..] {
                        ws.pos[w as usize] = 0;
                    }
                    ws.qb.truncate(at);
                    ws.path.truncate(at - 1);
                    u = v;
                    continue;
                }
                ws.path.push(a as u32);
                ws.qb.push(v as u32);
                ws.pos[v] = ws.qb.len() as u32;
                u = v;
            };
            for &w in &ws.qb {
                ws.pos[w as usize] = 0;
            }
            if ok {
                let mut f = amount - done;
                for &a in &ws.path {
                    f = f.min(carried(ws, a as usize));
                }
                for i in 0..ws.path.len() {
                    let a = ws.path[i] as usize;
                    lessen(ws, a, f);
                }
                done += f;
            }
        }
        done
    }

    /// Augments a nearly maximum flow (a warm start whose cut flow was cancelled) to a maximum:
    /// shortest augmenting paths found by a BFS from both ends at once, always growing the
    /// side with the smaller frontier, so each search (and the last one, which proves there is
    /// no path) costs about the smaller of the two residual regions rather than the region
    /// reachable from the source. That matters: a market alone is usually cut off near the
    /// market (almost every vertex is reachable from the source), all markets at once near the
    /// supplies. After [`REROUTE_PATHS`] paths the rest is left to Dinic, whose phases batch
    /// many paths.
    fn reroute(&self, ws: &mut Workspace, s: u32, t: u32) {
        // Dinic, if it comes to that, grows its levels from the side the searches found smaller.
        let mut reverse = false;
        for _ in 0..REROUTE_PATHS {
            let (found, from_s, from_t) = self.meet(ws, s as usize, t as usize, usize::MAX);
            reverse = from_t < from_s;
            let Some(x) = found else {
                return;
            };
            if self.push_found(ws, s as usize, t as usize, x, f64::INFINITY) <= self.eps {
                break;
            }
        }
        self.dinic(ws, s, t, f64::INFINITY, reverse);
    }

    /// Pushes as much as the path through `x` that [`FlowModel::meet`] found allows (at most
    /// `limit`) from `s` to `t`; returns what it pushed.
    fn push_found(&self, ws: &mut Workspace, s: usize, t: usize, x: usize, limit: f64) -> f64 {
        ws.path.clear();
        let mut v = x;
        while v != s {
            let a = ws.pf[v];
            ws.path.push(a);
            v = self.to[(a ^ 1) as usize] as usize;
        }
        ws.path.reverse();
        let mut u = x;
        while u != t {
            let a = ws.pb[u];
            ws.path.push(a);
            u = self.to[a as usize] as usize;
        }
        let mut f = limit;
        for &a in &ws.path {
            f = f.min(self.residual(ws, a as usize));
        }
        if !f.is_finite() || f <= self.eps {
            return 0.0;
        }
        for i in 0..ws.path.len() {
            let a = ws.path[i] as usize;
            if a & 1 == 0 {
                ws.flow[a / 2] += f;
            } else {
                ws.flow[a / 2] -= f;
            }
            ws.note((a / 2) as u32);
        }
        f
    }

    /// Sends up to `amount` from `u` to `v` around a cut arc, through residual paths found by
    /// searches of at most [`FlowModel::detour_budget`] vertices: a pipeline grid usually has a
    /// way round a missing link nearby, and flow kept that way need not be taken back to the
    /// source and sent again from it. The budget grows with the network because the searches
    /// a failed detour leads to (from the source and the sink, for every augmenting path) do:
    /// on the synthetic grid at 10^5 segments, a budget of 512 left 3,250 of 62,800 cut flows
    /// of 1,000 Monte Carlo runs to them, 20,000 searches reaching 82 million vertices, against
    /// 1,560 cut flows and 1,540 searches (3.2 million) with a quarter of the network. Returns
    /// what it sent.
    fn detour(&self, ws: &mut Workspace, u: usize, v: usize, amount: f64) -> f64 {
        let mut sent = 0.0;
        while amount - sent > self.eps {
            let (found, _, _) = self.meet(ws, u, v, self.detour_budget);
            let Some(x) = found else { break };
            let f = self.push_found(ws, u, v, x, amount - sent);
            if f <= self.eps {
                break;
            }
            sent += f;
        }
        sent
    }

    /// Bidirectional BFS over residual arcs: a vertex reached from `s` (parent arcs `pf`) and
    /// from `t` backwards (arcs `pb` towards `t`), or `None` when one side runs out first; with
    /// how many vertices each side reached.
    fn meet(
        &self,
        ws: &mut Workspace,
        s: usize,
        t: usize,
        budget: usize,
    ) -> (Option<usize>, usize, usize) {
        ws.stamp = ws.stamp.wrapping_add(1);
        if ws.stamp == 0 {
            ws.fwd.iter_mut().for_each(|x| *x = 0);
            ws.bwd.iter_mut().for_each(|x| *x = 0);
            ws.stamp = 1;
        }
        let st = ws.stamp;
        ws.fwd[s] = st;
        ws.bwd[t] = st;
        ws.qf.clear();
        ws.qb.clear();
        ws.qf.push(s as u32);
        ws.qb.push(t as u32);
        let (mut hf, mut hb) = (0, 0);
        loop {
            let (nf, nb) = (ws.qf.len() - hf, ws.qb.len() - hb);
            if nf == 0 || nb == 0 || ws.qf.len() + ws.qb.len() > budget {
                return (None, ws.qf.len(), ws.qb.len());
            }
            if nf <= nb {
                let end = ws.qf.len();
                while hf < end {
                    let u = ws.qf[hf] as usize;
                    hf += 1;
                    for k in self.start[u]..self.start[u + 1] {
                        let a = self.adj[k as usize] as usize;
                        let v = self.to[a] as usize;
                        if ws.fwd[v] != st && self.residual(ws, a) > self.eps {
                            ws.fwd[v] = st;
                            ws.pf[v] = a as u32;
                            if ws.bwd[v] == st {
                                return (Some(v), ws.qf.len(), ws.qb.len());
                            }
                            ws.qf.push(v as u32);
                        }
                    }
                }
            } else {
                let end = ws.qb.len();
                while hb < end {
                    let v = ws.qb[hb] as usize;
                    hb += 1;
                    for k in self.start[v]..self.start[v + 1] {
                        let b = self.adj[k as usize] as usize;
                        let u = self.to[b] as usize;
                        // The arc u → v is b's twin.
                        if ws.bwd[u] != st && self.residual(ws, b ^ 1) > self.eps {
                            ws.bwd[u] = st;
                            ws.pb[u] = (b ^ 1) as u32;
                            if ws.fwd[u] == st {
                                return (Some(u), ws.qf.len(), ws.qb.len());
                            }
                            ws.qb.push(u as u32);
                        }
                    }
                }
            }
        }
    }

    /// Dinic from `s` to `t`, pushing at most `limit`; returns what it pushed. Only the
    /// vertices a phase reaches are touched (levels are reset through the BFS queue), so a
    /// search that stays local costs what it visits, not the size of the network.
    pub(super) fn dinic(
        &self,
        ws: &mut Workspace,
        s: u32,
        t: u32,
        limit: f64,
        reverse: bool,
    ) -> f64 {
        let mut total = 0.0;
        let (s_us, t_us) = (s as usize, t as usize);
        let result = loop {
            if limit - total <= self.eps {
                break total;
            }
            // Levels by BFS over arcs with residual capacity: from s (distance from s) or, when
            // `reverse`, from t backwards (distance to t).
            for &v in &ws.queue {
                ws.level[v as usize] = UNSET;
            }
            ws.queue.clear();
            let (root, goal) = if reverse { (t_us, s_us) } else { (s_us, t_us) };
            ws.level[root] = 0;
            ws.it[root] = self.start[root];
            ws.queue.push(root as u32);
            let mut qi = 0;
            while qi < ws.queue.len() {
                let u = ws.queue[qi] as usize;
                qi += 1;
                // Vertices at the goal's level or deeper cannot lie on a shortest path.
                if ws.level[goal] != UNSET && ws.level[u] >= ws.level[goal] {
                    break;
                }
                for k in self.start[u]..self.start[u + 1] {
                    let b = self.adj[k as usize] as usize;
                    let v = self.to[b] as usize;
                    // Forwards the arc u → v is b; backwards it is v → u, b's twin.
                    let a = if reverse { b ^ 1 } else { b };
                    if ws.level[v] == UNSET && self.residual(ws, a) > self.eps {
                        ws.level[v] = ws.level[u] + 1;
                        ws.it[v] = self.start[v];
                        ws.queue.push(v as u32);
                    }
                }
            }
            if ws.level[goal] == UNSET {
                break total;
            }
            loop {
                let f = self.augment(ws, s, t, limit - total, reverse);
                if f <= self.eps {
                    break;
                }
                total += f;
                if limit - total <= self.eps {
                    break;
                }
            }
        };
        for &v in &ws.queue {
            ws.level[v as usize] = UNSET;
        }
        ws.queue.clear();
        result
    }

    /// One augmenting path in the level graph (iterative DFS with current-arc pointers).
    fn augment(&self, ws: &mut Workspace, s: u32, t: u32, limit: f64, reverse: bool) -> f64 {
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
                    ws.note((a / 2) as u32);
                }
                return f;
            }
            let end = self.start[u + 1];
            let mut next = None;
            while ws.it[u] < end {
                let a = self.adj[ws.it[u] as usize] as usize;
                let v = self.to[a] as usize;
                // One level further from s, or one level closer to t when levels are reversed.
                let next_level = if reverse {
                    ws.level[v] != UNSET && ws.level[v] + 1 == ws.level[u]
                } else {
                    ws.level[v] != UNSET && ws.level[v] == ws.level[u] + 1
                };
                if next_level && self.residual(ws, a) > self.eps {
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

    /// Checks that `flow` (one number per solver pair, as [`FlowModel::baseline_flow`] returns
    /// it) is a maximum flow of `target` with the pairs of `cut` removed: within every capacity
    /// both ways, nothing on a cut pair (nor on another market's sink pair), conserved at every
    /// vertex but the source and the sink, and with no augmenting path left (no residual path from
    /// the source to the sink). Float dust up to 1000 times the solver's tolerance is allowed.
    /// Returns the flow's value, or what is wrong: for tests and verification.
    pub fn check_flow(&self, target: Target, cut: &[u32], flow: &[f64]) -> Result<f64, String> {
        let Some((cn, only)) = self.resolve(target) else {
            return Err(format!("unknown target {target:?}"));
        };
        if flow.len() != self.cap.len() / 2 {
            return Err(format!(
                "{} pair flows for {} pairs",
                flow.len(),
                self.cap.len() / 2
            ));
        }
        let tol = self.eps * 1e3;
        let mut off = vec![false; flow.len()];
        for &p in cut {
            off[p as usize] = true;
        }
        if let Some(only) = only {
            for &p in &cn.sink_pairs {
                if !only.contains(&p) {
                    off[p as usize] = true;
                }
            }
        }
        let mut net = vec![0.0; self.n];
        for (p, &f) in flow.iter().enumerate() {
            if !f.is_finite() {
                return Err(format!("pair {p}: flow {f}"));
            }
            if off[p] && f != 0.0 {
                return Err(format!("pair {p} is removed but carries {f}"));
            }
            if f > self.cap[2 * p] + tol || -f > self.cap[2 * p + 1] + tol {
                return Err(format!(
                    "pair {p}: flow {f} beyond its capacities {} / {}",
                    self.cap[2 * p],
                    self.cap[2 * p + 1]
                ));
            }
            net[self.to[2 * p + 1] as usize] -= f;
            net[self.to[2 * p] as usize] += f;
        }
        for (v, &x) in net.iter().enumerate() {
            if v != cn.source as usize && v != cn.sink as usize && x.abs() > tol {
                return Err(format!("vertex {v}: {x} more in than out"));
            }
        }
        let residual = |a: usize| {
            let p = a / 2;
            if off[p] {
                0.0
            } else if a & 1 == 0 {
                self.cap[a] - flow[p]
            } else {
                self.cap[a] + flow[p]
            }
        };
        let mut seen = vec![false; self.n];
        let mut queue = vec![cn.source];
        seen[cn.source as usize] = true;
        while let Some(u) = queue.pop() {
            let u = u as usize;
            for k in self.start[u]..self.start[u + 1] {
                let a = self.adj[k as usize] as usize;
                let v = self.to[a] as usize;
                if !seen[v] && residual(a) > self.eps {
                    if v == cn.sink as usize {
                        return Err("an augmenting path is left: not a maximum".into());
                    }
                    seen[v] = true;
                    queue.push(v as u32);
                }
            }
        }
        Ok(-net[cn.source as usize])
    }

    /// The same maximum flow computed by petgraph's `dinics` (an independent implementation)
    /// on the network as built, before series reduction, for verification: a built pair is
    /// left out when the solver pair that stands for it is in `cut` (or is another market's
    /// sink pair). Unbounded capacities become a finite bound larger than any flow.
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
        for q in 0..self.built_cap.len() / 2 {
            let pu = self.built_pair[q];
            if pu != UNSET {
                if cut.contains(&pu) {
                    continue;
                }
                if let Some(only) = only {
                    if cn.sink_pairs.contains(&pu) && !only.contains(&pu) {
                        continue;
                    }
                }
            }
            for a in [2 * q, 2 * q + 1] {
                let c = if self.built_cap[a].is_finite() {
                    self.built_cap[a]
                } else {
                    big
                };
                if c > 0.0 {
                    g.add_edge(
                        NodeIndex::new(self.built_to[a ^ 1] as usize),
                        NodeIndex::new(self.built_to[a] as usize),
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
