//! Cold maximum flows by push–relabel: highest-label selection, global relabelling and the gap
//! heuristic (after Cherkassky and Goldberg's HIPR), on the model's flat arrays.
//!
//! **Phase 1** finds a maximum *preflow*. The arcs leaving the start are saturated and excess is
//! pushed downhill along residual arcs; labels are residual distances to the goal, recomputed
//! exactly by a breadth-first search from it whenever the relabelling work since the last one
//! exceeds twice what that search cost. A vertex alone at its label (a *gap*) takes every vertex
//! above it out of play: none of them can reach the goal any more. What reaches the goal is the
//! max flow value. It runs on residual capacities per adjacency slot (`FlowModel::slot_head`,
//! `slot_twin`), so a scan reads two arrays in order and a push touches two numbers.
//!
//! **Phase 2**, when a flow is wanted (warm starts and used arcs need one), returns the excess
//! stranded in phase 1 to where it came from with the same machinery on the flow itself: a
//! vertex may only push *against* the flow that reached it, so the flow on every arc only
//! shrinks. Then flow cycles are cancelled ([`FlowModel::cancel_cycles`]), which leaves paths
//! from source to sink only and so fewer arcs that carry flow (fewer N-1 scenarios to solve).
//!
//! **Direction.** Either end can be the start: [`FlowModel::push_relabel`] runs forwards from
//! the source or on the reversed network from the sink (excess is then a deficit pulled towards
//! the source). A market alone can take only a part of all supply; pushed from the source, the
//! rest floods the network before it is found stranded, while pulled from the market only what
//! the market takes moves (on the synthetic grid at 10^5 segments, 4–8 times fewer discharges).
//!
//! Why not Dinic for cold solves: on a meshed grid Dinic needs one breadth-first search over most
//! of the network per distinct augmenting-path length (about 70 at 10^5 segments), and finds each
//! augmenting path by a depth-first walk along its whole length.

use super::{FlowModel, Workspace};

const NIL: u32 = u32::MAX;

/// Labels are recomputed once the relabelling work (arcs scanned, plus [`RELABEL_COST`] per
/// relabel) exceeds this many times the vertices and arcs the last recomputation visited.
const GLOBAL_FREQ: usize = 2;
/// Fixed cost charged per relabel, in scanned arcs (HIPR's `BETA`).
const RELABEL_COST: usize = 12;

/// Scratch of [`FlowModel::push_relabel`] and [`FlowModel::cancel_cycles`], sized on first use
/// (warm solves never need it).
#[derive(Debug, Clone, Default)]
pub(super) struct Preflow {
    /// Label of each vertex: a lower bound on its residual distance to the goal; `n`: none.
    lab: Vec<u32>,
    exc: Vec<f64>,
    /// Current arc (adjacency slot).
    cur: Vec<u32>,
    /// Every labelled vertex, per label (doubly linked), for the gap heuristic.
    first: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    /// Active vertices (excess, label below `n`) per label: a stack each.
    afirst: Vec<u32>,
    anext: Vec<u32>,
    /// The vertices labelled since the labels were last forgotten (to forget them).
    seen: Vec<u32>,
    /// Vertices whose excess may be nonzero (to reset them).
    held: Vec<u32>,
    /// Phase 1's residual capacity per adjacency slot.
    res: Vec<f64>,
    /// Cycle cancelling: 0 unvisited, 1 on the walk, 2 done; the walk (vertices, arcs).
    colour: Vec<u8>,
    walk: Vec<u32>,
    arcs: Vec<u32>,
}

impl Preflow {
    fn fit(&mut self, n: usize, slots: usize) {
        if self.lab.len() != n || self.res.len() != slots {
            *self = Preflow {
                lab: vec![n as u32; n],
                exc: vec![0.0; n],
                cur: vec![0; n],
                first: vec![NIL; n + 1],
                next: vec![NIL; n],
                prev: vec![NIL; n],
                afirst: vec![NIL; n + 1],
                anext: vec![NIL; n],
                seen: Vec::new(),
                held: Vec::new(),
                res: vec![0.0; slots],
                colour: vec![0; n],
                walk: Vec::new(),
                arcs: Vec::new(),
            };
        }
    }
}

/// Phase 1's first labels, before any push: exact residual distances to the goal and the lists
/// of vertices per label. Every market of a commodity alone, solved from its own end with the
/// same cut, starts from the same ones: the goal is the commodity's source, and the sink arcs
/// that tell the markets apart touch only the sink, which is never labelled. So one
/// breadth-first search serves them all ([`FlowModel::start_labels`]) instead of one per market
/// (on the synthetic grid at 10^5 segments each search visits ~30,000 vertices, and a market's
/// solve makes two or three).
#[derive(Debug, Clone)]
pub(super) struct StartLabels {
    /// What they were computed for: a commodity and the cut pairs (sorted).
    pub(super) commodity: usize,
    pub(super) cut: Vec<u32>,
    lab: Vec<u32>,
    cur: Vec<u32>,
    first: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    seen: Vec<u32>,
    dmax: usize,
    budget: usize,
}

/// The residual network a phase works on, by adjacency slot.
trait Arcs {
    /// Residual capacity of slot `k`.
    fn res(&self, m: &FlowModel, k: usize) -> f64;
    /// Residual capacity of the twin of slot `k` (the arc from its head back to its tail).
    fn res_back(&self, m: &FlowModel, k: usize) -> f64;
    /// Sends `d` along slot `k`.
    fn send(&mut self, m: &FlowModel, k: usize, d: f64);
}

/// Phase 1: residual capacities per slot, of the network or of its reverse.
struct Slots<'a>(&'a mut [f64]);

impl Arcs for Slots<'_> {
    #[inline]
    fn res(&self, _: &FlowModel, k: usize) -> f64 {
        self.0[k]
    }
    #[inline]
    fn res_back(&self, m: &FlowModel, k: usize) -> f64 {
        self.0[m.slot_twin[k] as usize]
    }
    #[inline]
    fn send(&mut self, m: &FlowModel, k: usize, d: f64) {
        self.0[k] -= d;
        self.0[m.slot_twin[k] as usize] += d;
    }
}

/// Phase 2: a slot's residual capacity is the flow on its twin (of the network, or of its
/// reverse when `rev`), so pushes only take flow back.
struct Cancel<'a> {
    flow: &'a mut [f64],
    rev: bool,
}

impl Cancel<'_> {
    /// Flow along arc `b` of the network.
    #[inline]
    fn out(&self, b: usize) -> f64 {
        let f = self.flow[b / 2];
        if b & 1 == 0 {
            f
        } else {
            -f
        }
    }
    /// The arc of the network whose flow slot `k`'s residual is: its twin's (forwards), or
    /// its own (on the reverse, where slot `k` stands for the reverse of its twin).
    #[inline]
    fn carrier(&self, m: &FlowModel, k: usize) -> usize {
        m.adj[k] as usize ^ (!self.rev) as usize
    }
}

impl Arcs for Cancel<'_> {
    #[inline]
    fn res(&self, m: &FlowModel, k: usize) -> f64 {
        self.out(self.carrier(m, k)).max(0.0)
    }
    #[inline]
    fn res_back(&self, m: &FlowModel, k: usize) -> f64 {
        self.out(self.carrier(m, k) ^ 1).max(0.0)
    }
    #[inline]
    fn send(&mut self, m: &FlowModel, k: usize, d: f64) {
        let b = self.carrier(m, k);
        if b & 1 == 0 {
            self.flow[b / 2] -= d;
        } else {
            self.flow[b / 2] += d;
        }
    }
}

/// One phase of push–relabel: excess goes to `goal`; `other` is never labelled nor active.
struct Phase<'a, A: Arcs> {
    m: &'a FlowModel,
    arcs: A,
    pr: &'a mut Preflow,
    goal: usize,
    other: usize,
    /// The label of vertices that cannot reach the goal (`n`).
    dead: u32,
    /// Highest label with possibly active vertices; highest label with any vertex.
    amax: usize,
    dmax: usize,
    /// Relabelling work since the last global relabelling, and the work that calls for one.
    work: usize,
    budget: usize,
}

impl<'a, A: Arcs> Phase<'a, A> {
    /// A phase towards `goal` on `arcs` (`other`: the far end, never labelled), with nothing
    /// labelled or active yet.
    fn new(m: &'a FlowModel, arcs: A, pr: &'a mut Preflow, goal: usize, other: usize) -> Self {
        Phase {
            m,
            arcs,
            pr,
            goal,
            other,
            dead: m.n as u32,
            amax: 0,
            dmax: 0,
            work: 0,
            budget: 0,
        }
    }
}

impl<A: Arcs> Phase<'_, A> {
    #[inline]
    fn gain(&mut self, v: usize, d: f64) {
        let pr = &mut *self.pr;
        if pr.exc[v] == 0.0 {
            pr.held.push(v as u32);
        }
        pr.exc[v] += d;
    }

    #[inline]
    fn activate(&mut self, v: usize) {
        let l = self.pr.lab[v] as usize;
        self.pr.anext[v] = self.pr.afirst[l];
        self.pr.afirst[l] = v as u32;
        self.amax = self.amax.max(l);
    }

    #[inline]
    fn list_insert(&mut self, v: usize, l: usize) {
        let pr = &mut *self.pr;
        let f = pr.first[l];
        pr.next[v] = f;
        pr.prev[v] = NIL;
        if f != NIL {
            pr.prev[f as usize] = v as u32;
        }
        pr.first[l] = v as u32;
        self.dmax = self.dmax.max(l);
    }

    #[inline]
    fn list_remove(&mut self, v: usize, l: usize) {
        let pr = &mut *self.pr;
        let (p, n) = (pr.prev[v], pr.next[v]);
        if p == NIL {
            pr.first[l] = n;
        } else {
            pr.next[p as usize] = n;
        }
        if n != NIL {
            pr.prev[n as usize] = p;
        }
    }

    /// Forgets every label (all `dead` again) and empties every list.
    fn unlabel(&mut self) {
        let pr = &mut *self.pr;
        for &v in &pr.seen {
            pr.lab[v as usize] = self.dead;
        }
        pr.seen.clear();
        for l in 0..=self.dmax.max(self.amax) {
            pr.first[l] = NIL;
            pr.afirst[l] = NIL;
        }
        self.amax = 0;
        self.dmax = 0;
    }

    /// Exact labels: residual distances to the goal, by a breadth-first search backwards from
    /// it; vertices it does not reach are dead (their excess waits for phase 2). Rebuilds the
    /// lists.
    fn global_relabel(&mut self) {
        self.unlabel();
        let (m, eps) = (self.m, self.m.eps);
        self.pr.lab[self.goal] = 0;
        self.pr.seen.push(self.goal as u32);
        let mut scanned = 0;
        let mut i = 0;
        while i < self.pr.seen.len() {
            let v = self.pr.seen[i] as usize;
            i += 1;
            let lv = self.pr.lab[v] + 1;
            let (lo, hi) = (m.start[v] as usize, m.start[v + 1] as usize);
            scanned += hi - lo;
            for k in lo..hi {
                let u = m.slot_head[k] as usize;
                if self.pr.lab[u] == self.dead && u != self.other && self.arcs.res_back(m, k) > eps
                {
                    self.pr.lab[u] = lv;
                    self.pr.cur[u] = m.start[u];
                    self.pr.seen.push(u as u32);
                    self.list_insert(u, lv as usize);
                    if self.pr.exc[u] > eps {
                        self.activate(u);
                    }
                }
            }
        }
        self.work = 0;
        self.budget = GLOBAL_FREQ * (self.pr.seen.len() + scanned);
    }

    /// Relabels `u` (in no active stack) to one more than its lowest residual neighbour, or,
    /// when it is alone at its label (a gap: nothing above can reach the goal any more), kills
    /// it and every vertex above it.
    fn relabel(&mut self, u: usize) {
        let m = self.m;
        let d = self.pr.lab[u] as usize;
        if self.pr.first[d] == u as u32 && self.pr.next[u] == NIL {
            for l in d..=self.dmax {
                let mut v = self.pr.first[l];
                while v != NIL {
                    self.pr.lab[v as usize] = self.dead;
                    v = self.pr.next[v as usize];
                }
                self.pr.first[l] = NIL;
                self.pr.afirst[l] = NIL;
            }
            self.dmax = d - 1;
            self.amax = self.amax.min(d - 1);
            return;
        }
        self.list_remove(u, d);
        let (lo, hi) = (m.start[u], m.start[u + 1]);
        self.work += (hi - lo) as usize + RELABEL_COST;
        let mut best = self.dead;
        let mut at = lo;
        for k in lo..hi {
            let l = self.pr.lab[m.slot_head[k as usize] as usize] + 1;
            if l < best && self.arcs.res(m, k as usize) > m.eps {
                best = l;
                at = k;
            }
        }
        self.pr.lab[u] = best;
        if best < self.dead {
            self.pr.cur[u] = at;
            self.list_insert(u, best as usize);
        }
    }

    /// Pushes `u`'s excess downhill, relabelling it as often as needed, until it has none left
    /// or is dead.
    fn discharge(&mut self, u: usize) {
        let (m, eps) = (self.m, self.m.eps);
        let end = m.start[u + 1];
        loop {
            let lu = self.pr.lab[u];
            let mut k = self.pr.cur[u];
            while k < end {
                let v = m.slot_head[k as usize] as usize;
                if self.pr.lab[v] + 1 == lu {
                    let r = self.arcs.res(m, k as usize);
                    if r > eps {
                        let e = self.pr.exc[u];
                        let d = if r < e { r } else { e };
                        self.arcs.send(m, k as usize, d);
                        self.pr.exc[u] = e - d;
                        let was = self.pr.exc[v];
                        self.gain(v, d);
                        if v != self.goal && was <= eps && self.pr.exc[v] > eps {
                            self.activate(v);
                        }
                        if self.pr.exc[u] <= eps {
                            self.pr.cur[u] = k;
                            return;
                        }
                    }
                }
                k += 1;
            }
            self.relabel(u);
            if self.pr.lab[u] >= self.dead {
                return;
            }
        }
    }

    /// The labels of `sl` instead of a global relabelling, and the vertices with excess that
    /// they label activated in the order that relabelling would have (its search order).
    fn restore(&mut self, sl: &StartLabels) {
        let eps = self.m.eps;
        let pr = &mut *self.pr;
        pr.lab.copy_from_slice(&sl.lab);
        pr.cur.copy_from_slice(&sl.cur);
        pr.first.copy_from_slice(&sl.first);
        pr.next.copy_from_slice(&sl.next);
        pr.prev.copy_from_slice(&sl.prev);
        pr.seen.clear();
        pr.seen.extend_from_slice(&sl.seen);
        self.dmax = sl.dmax;
        self.amax = 0;
        self.work = 0;
        self.budget = sl.budget;
        let (dead, goal) = (self.dead, self.goal);
        let live = |pr: &Preflow, v: usize| v != goal && pr.lab[v] < dead && pr.exc[v] > eps;
        let held = std::mem::take(&mut self.pr.held);
        // Several are activated in search order (every labelled vertex is in `seen`); one alone
        // needs no order, and the few vertices with excess are cheaper to look through.
        let n = held.iter().filter(|&&v| live(self.pr, v as usize)).count();
        let order: &[u32] = if n > 1 { &sl.seen } else { &held };
        for &v in order {
            if live(self.pr, v as usize) {
                self.activate(v as usize);
            }
        }
        self.pr.held = held;
    }

    /// Discharges active vertices, highest label first, until none is left; starts from the
    /// labels of `start` when given (they must be this phase's first labels), else from a
    /// global relabelling.
    fn run(&mut self, start: Option<&StartLabels>) {
        match start {
            Some(sl) => self.restore(sl),
            None => self.global_relabel(),
        }
        loop {
            while self.amax > 0 && self.pr.afirst[self.amax] == NIL {
                self.amax -= 1;
            }
            let u = self.pr.afirst[self.amax];
            if u == NIL {
                break;
            }
            let u = u as usize;
            self.pr.afirst[self.amax] = self.pr.anext[u];
            self.discharge(u);
            if self.work > self.budget {
                self.global_relabel();
            }
        }
        self.unlabel();
    }
}

impl FlowModel {
    /// A maximum flow from `s` to `t` by push–relabel (see the module docs), from zero flow;
    /// `ws.off` masks arcs. With `whole`, `ws.flow` ends as a flow without cycles; otherwise
    /// its contents are unspecified (only the value is wanted). `backward`: run on the reversed
    /// network, from `t`. Returns the value, or `None` when this solver cannot answer (an
    /// unbounded supply, an arc unbounded both ways, or float dust that left more than a trace
    /// of excess stranded): the caller then solves with Dinic.
    pub(super) fn push_relabel(
        &self,
        ws: &mut Workspace,
        s: u32,
        t: u32,
        whole: bool,
        backward: bool,
        start: Option<&StartLabels>,
    ) -> Option<f64> {
        let (s, t) = (s as usize, t as usize);
        let (from, to) = if backward { (t, s) } else { (s, t) };
        // No flow exceeds what the source's arcs carry: an unbounded arc at the start (a
        // market's arc to the sink) starts with that much.
        let mut bound = 0.0;
        for k in self.start[s]..self.start[s + 1] {
            let a = self.adj[k as usize] as usize;
            if !ws.off[a / 2] {
                bound += self.cap[a];
            }
        }
        if !bound.is_finite() {
            return None;
        }
        let mut pr = std::mem::take(&mut ws.pre);
        pr.fit(self.n, self.adj.len());
        let mut res = std::mem::take(&mut pr.res);
        let flip = backward as usize;
        self.fill_residuals(ws, &mut res, flip);
        let mut phase = Phase::new(self, Slots(&mut res), &mut pr, to, from);
        for k in self.start[from] as usize..self.start[from + 1] as usize {
            let r = phase.arcs.0[k].min(bound);
            if r > self.eps {
                phase.arcs.send(self, k, r);
                phase.gain(self.slot_head[k] as usize, r);
            }
        }
        phase.run(start);
        // Flow along arc `a` of the network, from the residual capacities: its own where its
        // capacity is finite, else its twin's (a market's arc to the sink is unbounded one way
        // and 0 the other).
        let residual = |a: usize| res[self.arc_slot[a ^ flip] as usize];
        let out = |a: usize| -> Option<f64> {
            if self.cap[a].is_finite() {
                Some(self.cap[a] - residual(a))
            } else if self.cap[a ^ 1].is_finite() {
                Some(residual(a ^ 1) - self.cap[a ^ 1])
            } else {
                None
            }
        };
        let mut answer = None;
        if !whole {
            // What reached `to`: net flow into the sink, or out of the source when backward.
            let mut value = 0.0;
            let mut ok = true;
            for k in self.start[to]..self.start[to + 1] {
                let a = self.adj[k as usize] as usize;
                if ws.off[a / 2] {
                    continue;
                }
                match out(a) {
                    Some(f) => value += if backward { f } else { -f },
                    None => ok = false,
                }
            }
            answer = ok.then_some(value);
        } else {
            let mut ok = true;
            for (p, f) in ws.flow.iter_mut().enumerate() {
                *f = if ws.off[p] {
                    0.0
                } else {
                    out(2 * p).unwrap_or_else(|| {
                        ok = false;
                        0.0
                    })
                };
            }
            if ok {
                let arcs = Cancel {
                    flow: &mut ws.flow,
                    rev: backward,
                };
                let mut phase = Phase::new(self, arcs, &mut pr, from, to);
                phase.run(None);
                let tol = self.eps * 1e3;
                ok = pr.held.iter().all(|&v| {
                    v as usize == s || v as usize == t || pr.exc[v as usize].abs() <= tol
                });
            }
            if ok {
                cancel_cycles(self, &mut pr, &mut ws.flow);
                let mut value = 0.0;
                for k in self.start[s]..self.start[s + 1] {
                    let a = self.adj[k as usize] as usize;
                    let f = ws.flow[a / 2];
                    value += if a & 1 == 0 { f } else { -f };
                }
                answer = Some(value);
            }
        }
        for &v in &pr.held {
            pr.exc[v as usize] = 0.0;
        }
        pr.held.clear();
        pr.res = res;
        ws.pre = pr;
        answer
    }

    /// Residual capacities per slot of the network (`flip` 0) or of its reverse (1), with the
    /// pairs masked in `ws.off` switched off.
    fn fill_residuals(&self, ws: &Workspace, res: &mut [f64], flip: usize) {
        for (k, r) in res.iter_mut().enumerate() {
            let a = self.adj[k] as usize;
            *r = if ws.off[a / 2] {
                0.0
            } else {
                self.cap[a ^ flip]
            };
        }
    }

    /// The first labels of [`FlowModel::push_relabel`] for any market of commodity `ci` alone
    /// with the (sorted) pairs `cut` switched off, solved from its own end: see
    /// [`StartLabels`]. `None` for an unknown commodity.
    pub(super) fn start_labels(
        &self,
        ws: &mut Workspace,
        ci: usize,
        cut: &[u32],
    ) -> Option<StartLabels> {
        let cn = self.commodities.get(ci)?;
        let (s, t) = (cn.source as usize, cn.sink as usize);
        let mut pr = std::mem::take(&mut ws.pre);
        pr.fit(self.n, self.adj.len());
        let mut res = std::mem::take(&mut pr.res);
        ws.with_off(cut, |ws| self.fill_residuals(ws, &mut res, 1));
        let mut phase = Phase::new(self, Slots(&mut res), &mut pr, s, t);
        // Nothing holds excess yet, so nothing is activated.
        phase.global_relabel();
        let p = &*phase.pr;
        let labels = StartLabels {
            commodity: ci,
            cut: cut.to_vec(),
            lab: p.lab.clone(),
            cur: p.cur.clone(),
            first: p.first.clone(),
            next: p.next.clone(),
            prev: p.prev.clone(),
            seen: p.seen.clone(),
            dmax: phase.dmax,
            budget: phase.budget,
        };
        phase.unlabel();
        pr.res = res;
        ws.pre = pr;
        Some(labels)
    }

    /// Cancels every cycle of flow in `ws.flow`: see [`cancel_cycles`].
    #[cfg(test)]
    pub(super) fn cancel_cycles(&self, ws: &mut Workspace) -> usize {
        let mut pr = std::mem::take(&mut ws.pre);
        pr.fit(self.n, self.adj.len());
        let c = cancel_cycles(self, &mut pr, &mut ws.flow);
        ws.pre = pr;
        c
    }
}

/// Cancels every cycle of `flow`: a depth-first walk along arcs that carry flow; meeting the walk
/// again closes a cycle, whose least flow is taken off all its arcs, and the walk backs up to the
/// first arc that emptied. Values are unchanged and the flow is left as paths from source to sink
/// (a flow cycle serves no market, yet would make every scenario that cuts it look worth
/// solving). Returns the number of cycles cancelled.
fn cancel_cycles(m: &FlowModel, pr: &mut Preflow, flow: &mut [f64]) -> usize {
    let eps = m.eps;
    let out = |flow: &[f64], a: usize| -> f64 {
        let f = flow[a / 2];
        if a & 1 == 0 {
            f
        } else {
            -f
        }
    };
    let mut cycles = 0;
    for root in 0..m.n {
        if pr.colour[root] != 0 {
            continue;
        }
        pr.colour[root] = 1;
        pr.cur[root] = m.start[root];
        // `lab` holds each walked vertex's place on the walk.
        pr.lab[root] = 0;
        pr.walk.push(root as u32);
        while let Some(&u) = pr.walk.last() {
            let u = u as usize;
            let end = m.start[u + 1];
            let mut k = pr.cur[u];
            let mut step = None;
            while k < end {
                let a = m.adj[k as usize] as usize;
                let v = m.to[a] as usize;
                if pr.colour[v] != 2 && out(flow, a) > eps {
                    step = Some((a, v));
                    break;
                }
                k += 1;
            }
            pr.cur[u] = k;
            let Some((a, v)) = step else {
                pr.colour[u] = 2;
                pr.walk.pop();
                pr.arcs.pop();
                continue;
            };
            if pr.colour[v] == 0 {
                pr.colour[v] = 1;
                pr.cur[v] = m.start[v];
                pr.lab[v] = pr.walk.len() as u32;
                pr.walk.push(v as u32);
                pr.arcs.push(a as u32);
                continue;
            }
            // v is on the walk: the cycle is the walk's arcs from v on, then a.
            cycles += 1;
            let at = pr.lab[v] as usize;
            pr.arcs.push(a as u32);
            let mut d = f64::INFINITY;
            for &b in &pr.arcs[at..] {
                d = d.min(out(flow, b as usize));
            }
            let mut emptied = None;
            for (i, &b) in pr.arcs[at..].iter().enumerate() {
                let b = b as usize;
                let f = out(flow, b) - d;
                let f = if f <= eps { 0.0 } else { f };
                flow[b / 2] = if b & 1 == 0 { f } else { -f };
                if f == 0.0 && emptied.is_none() {
                    emptied = Some(at + i);
                }
            }
            // Back to the tail of the first arc emptied; the walk beyond it is unvisited again.
            let j = emptied.unwrap_or(pr.arcs.len() - 1);
            for &w in &pr.walk[j + 1..] {
                pr.colour[w as usize] = 0;
            }
            pr.walk.truncate(j + 1);
            pr.arcs.truncate(j);
        }
    }
    pr.colour.iter_mut().for_each(|c| *c = 0);
    pr.lab.iter_mut().for_each(|l| *l = m.n as u32);
    cycles
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{FlowModel, Target, Workspace};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A capacity: whole numbers, tenths (float dust in every sum) or any positive number.
    fn capacity(rng: &mut ChaCha8Rng) -> f64 {
        match rng.random_range(0..10) {
            0..=4 => rng.random_range(1..=60) as f64,
            5..=7 => rng.random_range(1..=600) as f64 / 10.0,
            _ => rng.random_range(0.01..80.0),
        }
    }

    /// A random network on `n` vertices from 0 (the source) to `n - 1` (the sink): supplies out
    /// of the source, sink arcs (some unbounded, as unbounded markets are), and pairs between
    /// any two vertices, the source and sink included, one way, both ways or dead.
    pub(in crate::analysis::flow) fn random_model(rng: &mut ChaCha8Rng) -> FlowModel {
        let n: u32 = rng.random_range(3..40);
        let (s, t) = (0, n - 1);
        let inner = |rng: &mut ChaCha8Rng| rng.random_range(1..n - 1);
        let mut pairs = Vec::new();
        for _ in 0..rng.random_range(1..6) {
            pairs.push((s, inner(rng), capacity(rng), 0.0));
        }
        for _ in 0..rng.random_range(1..6) {
            let c = if rng.random_bool(0.4) {
                f64::INFINITY
            } else {
                capacity(rng)
            };
            pairs.push((inner(rng), t, c, 0.0));
        }
        for _ in 0..rng.random_range(0..4 * n) {
            let (x, y) = (rng.random_range(0..n), rng.random_range(0..n));
            let c = if rng.random_bool(0.1) {
                0.0
            } else {
                capacity(rng)
            };
            let back = match rng.random_range(0..3) {
                0 => c,
                1 => capacity(rng),
                _ => 0.0,
            };
            pairs.push((x, y, c, back));
        }
        FlowModel::from_pairs(n as usize, s, t, &pairs)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// Whether the arcs that carry flow form no cycle (Kahn's algorithm).
    fn acyclic(m: &FlowModel, flow: &[f64]) -> bool {
        let mut indeg = vec![0usize; m.n];
        let carries = |a: usize| {
            let f = flow[a / 2];
            (if a & 1 == 0 { f } else { -f }) > m.eps
        };
        for a in 0..m.to.len() {
            if carries(a) {
                indeg[m.to[a] as usize] += 1;
            }
        }
        let mut queue: Vec<usize> = (0..m.n).filter(|&v| indeg[v] == 0).collect();
        let mut done = 0;
        while let Some(u) = queue.pop() {
            done += 1;
            for k in m.start[u]..m.start[u + 1] {
                let a = m.adj[k as usize] as usize;
                if carries(a) {
                    let v = m.to[a] as usize;
                    indeg[v] -= 1;
                    if indeg[v] == 0 {
                        queue.push(v);
                    }
                }
            }
        }
        done == m.n
    }

    /// Push–relabel with `cut` switched off, from either end, for the value or a whole flow.
    fn pr(m: &FlowModel, ws: &mut Workspace, cut: &[u32], whole: bool, back: bool) -> f64 {
        let (s, t) = (m.commodities[0].source, m.commodities[0].sink);
        let v = ws.with_off(cut, |ws| m.push_relabel(ws, s, t, whole, back, None));
        v.expect("push-relabel answers on finite supplies")
    }

    fn dinic(m: &FlowModel, ws: &mut Workspace, cut: &[u32]) -> Vec<f64> {
        let (s, t) = (m.commodities[0].source, m.commodities[0].sink);
        ws.with_off(cut, |ws| {
            ws.flow.iter_mut().for_each(|f| *f = 0.0);
            m.dinic(ws, s, t, f64::INFINITY, false);
        });
        ws.flow.clone()
    }

    /// Each of the `pairs` pairs with probability 0.15, sorted.
    fn random_cut(rng: &mut ChaCha8Rng, pairs: usize) -> Vec<u32> {
        (0..pairs as u32)
            .filter(|_| rng.random_bool(0.15))
            .collect()
    }

    /// On 600 random networks, each with a few random cuts: push–relabel from either end, for
    /// the value and for a whole flow, gives petgraph's value and Dinic's; whole flows are
    /// maximum flows (capacities, conservation, nothing on cut pairs, no augmenting path) without
    /// cycles; and cancelling the cycles of Dinic's flows keeps them maximum flows.
    #[test]
    fn push_relabel_agrees_with_petgraph_and_dinic_on_random_networks() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let mut nonzero = 0;
        for _ in 0..600 {
            let m = random_model(&mut rng);
            let mut ws = Workspace::new(&m);
            let pairs = m.cap.len() / 2;
            let mut cuts = vec![Vec::new()];
            for _ in 0..3 {
                cuts.push(random_cut(&mut rng, pairs));
            }
            for cut in &cuts {
                let want = m.max_flow_petgraph(Target::All(0), cut);
                if want > 0.0 {
                    nonzero += 1;
                }
                let d = dinic(&m, &mut ws, cut);
                let dv = m.check_flow(Target::All(0), cut, &d).expect("Dinic's flow");
                assert!(close(dv, want), "Dinic {dv} petgraph {want}");
                for back in [false, true] {
                    let v = pr(&m, &mut ws, cut, false, back);
                    assert!(close(v, want), "value, back {back}: {v} petgraph {want}");
                    let v = pr(&m, &mut ws, cut, true, back);
                    assert!(close(v, want), "flow, back {back}: {v} petgraph {want}");
                    let f = ws.flow.clone();
                    let fv = m
                        .check_flow(Target::All(0), cut, &f)
                        .unwrap_or_else(|e| panic!("back {back}, cut {cut:?}: {e}"));
                    assert!(close(fv, want), "flow value {fv} petgraph {want}");
                    assert!(acyclic(&m, &f), "back {back}: a flow cycle is left");
                }
                ws.flow.copy_from_slice(&d);
                m.cancel_cycles(&mut ws);
                let f = ws.flow.clone();
                let cv = m.check_flow(Target::All(0), cut, &f).expect("cancelled");
                assert!(close(cv, want) && acyclic(&m, &f));
            }
        }
        assert!(nonzero > 1000, "most networks carry something: {nonzero}");
    }

    /// Shared first labels change nothing: on 300 random networks with random cuts, a run
    /// from the sink's end that starts from [`FlowModel::start_labels`] gives the same value
    /// and the same flow, bit for bit, as one that labels the network itself, whatever sink
    /// pairs are switched off besides (as for a market alone).
    #[test]
    fn shared_start_labels_give_the_same_solve() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let mut compared = 0;
        for _ in 0..300 {
            let m = random_model(&mut rng);
            let mut ws = Workspace::new(&m);
            let pairs = m.cap.len() / 2;
            let cn = &m.commodities[0];
            let (s, t) = (cn.source, cn.sink);
            for _ in 0..3 {
                let cut = random_cut(&mut rng, pairs);
                let labels = m.start_labels(&mut ws, 0, &cut).expect("commodity 0");
                // Some sink pairs off besides the cut, as for one market alone.
                let off: Vec<u32> = cn
                    .sink_pairs
                    .iter()
                    .copied()
                    .filter(|_| rng.random_bool(0.3))
                    .chain(cut.iter().copied())
                    .collect();
                for whole in [false, true] {
                    let mut run = |l| {
                        let v = ws.with_off(&off, |ws| m.push_relabel(ws, s, t, whole, true, l));
                        (v, ws.flow.clone())
                    };
                    let (a, fa) = run(None);
                    let (b, fb) = run(Some(&labels));
                    assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "cut {cut:?}");
                    if whole {
                        let bits = |f: &[f64]| f.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&fa), bits(&fb), "cut {cut:?}");
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared >= 1800);
    }

    /// A flow cycle beside the source–sink paths is cancelled; the paths' flow stays.
    #[test]
    fn cycles_are_cancelled_and_paths_kept() {
        // 0 → 1 → 3 (5) and 0 → 1 → 2 → 3 (1); pairs 1 → 2 and 2 → 1 can hold a cycle.
        let m = FlowModel::from_pairs(
            4,
            0,
            3,
            &[
                (0, 1, 6.0, 0.0),
                (1, 3, 5.0, 0.0),
                (1, 2, 4.0, 0.0),
                (2, 1, 4.0, 0.0),
                (1, 2, 1.0, 0.0),
                (2, 3, 1.0, 0.0),
            ],
        );
        let mut ws = Workspace::new(&m);
        assert_eq!(pr(&m, &mut ws, &[], true, false), 6.0);
        assert!(acyclic(&m, &ws.flow));
        let (p12, p21) = (m.built_pair[2] as usize, m.built_pair[3] as usize);
        assert_ne!(p12, p21);
        ws.flow[p12] += 3.0;
        ws.flow[p21] += 3.0;
        assert!(!acyclic(&m, &ws.flow));
        assert_eq!(m.check_flow(Target::All(0), &[], &ws.flow), Ok(6.0));
        assert_eq!(m.cancel_cycles(&mut ws), 1);
        assert!(acyclic(&m, &ws.flow));
        assert_eq!(m.check_flow(Target::All(0), &[], &ws.flow), Ok(6.0));
        // A flow that is not maximum, or breaks a capacity, is reported.
        ws.flow.iter_mut().for_each(|f| *f = 0.0);
        assert!(m.check_flow(Target::All(0), &[], &ws.flow).is_err());
        ws.flow[m.built_pair[1] as usize] = 7.0;
        assert!(m.check_flow(Target::All(0), &[], &ws.flow).is_err());
    }
}
