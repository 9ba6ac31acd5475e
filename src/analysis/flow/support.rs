//! Lower bounds on the *support* of a maximum flow: how many solver pairs must carry flow in
//! every maximum flow (or maximum preflow) to a target, by layered cuts. A benchmark measure
//! (issue 17): if this bound grows faster than the network, no exact algorithm that builds a
//! (pre)flow can keep up with the network's size, and time per unit of the bound is the fair
//! scaling measure.
//!
//! # The argument
//!
//! Work on the solver's network for the target (after series reduction, other markets' sink
//! pairs switched off for a market alone); `s`, `t` its super-source and super-sink, `F` the
//! max-flow value. Take breadth-first distances `d(v)` to `t` backwards over arcs of positive
//! capacity, never through `s`, and the layers `S_k = {v : d(v) ≤ k}` (`t ∈ S_k`, `s ∉ S_k`).
//!
//! * Every arc `u → v` of positive capacity with `u ≠ s` has `d(u) ≤ d(v) + 1`. So an arc that
//!   enters `S_k` (`v ∈ S_k`, `u ∉ S_k`) goes from layer `k + 1` to layer `k` exactly, and the
//!   sets of arcs entering the different `S_k` are disjoint. A pair has at most one arc that
//!   enters any layer (its two arcs cannot both go one layer down).
//! * For a flow, or a preflow (excess ≥ 0 at every vertex but `s`) that brings `F` into `t`, the
//!   net flow into `S_k` is `F` plus the excess inside, so at least `F`. Arcs from `s` into
//!   `S_k` bring at most `s_k`, the sum of their capacities; the rest, at least `F − s_k`, comes
//!   over arcs entering `S_k`, each at most its capacity. So at least as many pairs carry flow
//!   across that boundary as the fewest entering arcs whose capacities add up to `F − s_k`
//!   (largest first; an unbounded arc carries anything), and together they carry at least
//!   `F − s_k`.
//! * The pairs at `s` send out at least `F` (net): at least the fewest of them whose capacities
//!   out of `s` add up to `F`. They are none of the pairs above (those never start at `s`).
//!
//! Summed over `k` (and `s`'s term), that is a lower bound on the number of pairs with nonzero
//! flow, and `Σ_k max(0, F − s_k) + F` a lower bound on `Σ_p |f_p|` (flow × pairs).
//!
//! The same on the reversed network (distances *from* `s` forwards, never through `t`, arcs into
//! `t` playing the part of the supply, `t`'s term last) bounds every flow, and every *reverse*
//! preflow (deficits instead of excess), which is what push–relabel from a market's end builds
//! ([`LayerBound`] names the two). A flow obeys both, so the larger of the two is a bound on
//! flows; the smaller holds for preflows of either direction as well.
//!
//! # The exact least flow × pairs
//!
//! [`FlowModel::min_cost_bound`] computes `W_min`, the least `Σ_p |f_p|` of any maximum flow,
//! exactly: a minimum-cost maximum flow with every arc costing 1 per unit. Every maximum flow
//! contains one without cycles on a subset of its pairs, and every maximum preflow of either
//! direction contains a maximum flow (decompose it into paths and cycles and keep the paths from
//! `s` to `t`), so `W_min` bounds them all, and so does the support bound it gives: in a flow
//! without cycles a pair carries at most `F`, its capacity, all the capacity into its tail and
//! all the capacity out of its head, so at least as many pairs carry flow as the fewest such
//! amounts that add up to `W_min`. The layered `W` are at most `W_min` (tested).
//!
//! Counting is in solver pairs (`2p`/`2p + 1`, after series reduction): a pair carrying flow
//! either way counts once. A reduced pair stands for a chain of built pairs that all carry its
//! flow, so support in built pairs is at least as large.

use super::{FlowModel, Target, Workspace, UNSET};

/// A lower bound on the support of every maximum flow to a target from one family of layered
/// cuts (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LayerBound {
    /// Layers with flow left to cross (`F − s_k` above float dust).
    pub layers: usize,
    /// Solver pairs that must carry flow (the end term included).
    pub pairs: usize,
    /// `Σ_p |f_p|` that every maximum flow reaches at least (the end term included).
    pub flow_pairs: f64,
}

/// Lower bounds on the support of maximum flows to one target, and the support of the flow the
/// crate's own solver finds ([`FlowModel::baseline_flow`]), for comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SupportBound {
    /// The max-flow value `F`.
    pub value: f64,
    /// Layers by distance to the sink: holds for every maximum flow, and every maximum preflow
    /// pushed from the source.
    pub to_sink: LayerBound,
    /// Layers by distance from the source: holds for every maximum flow, and every maximum
    /// preflow pulled from the sink (push–relabel on the reversed network).
    pub from_source: LayerBound,
    /// Pairs that carry flow in the solver's flow, and `Σ_p |f_p|` of it.
    pub used_pairs: usize,
    pub used_flow_pairs: f64,
}

/// The exact least `Σ_p |f_p|` of any maximum flow to a target, and the support bound it gives:
/// in a maximum flow without cycles (every maximum flow contains one, on a subset of its
/// pairs), a pair carries at most the value `F`, its capacity, what its tail can take in (all
/// capacity into it) and what its head can give out, so at least as many pairs carry flow as
/// the fewest such amounts that add up to `flow_pairs`. A maximum
/// preflow (either direction) contains a maximum flow too, so both bound preflows as well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinCostBound {
    /// The max-flow value the minimum-cost flow reaches (`F`).
    pub value: f64,
    /// The least `Σ_p |f_p|` of any maximum flow.
    pub flow_pairs: f64,
    /// Pairs every maximum flow uses at least.
    pub pairs: usize,
}

impl SupportBound {
    /// The bound for flows: the larger of the two families.
    pub fn pairs(&self) -> usize {
        self.to_sink.pairs.max(self.from_source.pairs)
    }

    /// `Σ_p |f_p|` every maximum flow reaches: the larger of the two families.
    pub fn flow_pairs(&self) -> f64 {
        self.to_sink.flow_pairs.max(self.from_source.flow_pairs)
    }
}

impl FlowModel {
    /// Lower bounds on how many solver pairs carry flow in every maximum flow to `target` with
    /// nothing cut (see [`crate::analysis::flow::SupportBound`] and the `support` module docs),
    /// beside the support of the solver's own flow. One whole solve plus two breadth-first
    /// searches. `None` for an unknown target.
    pub fn support_bound(&self, ws: &mut Workspace, target: Target) -> Option<SupportBound> {
        let (source, sink, off) = self.ends(target)?;
        let (value, flow) = self.baseline_flow(ws, target);
        let (used_pairs, used_flow_pairs) = self.support_of(&flow);
        Some(SupportBound {
            value,
            to_sink: self.layered(&off, sink, source, 0, value),
            from_source: self.layered(&off, source, sink, 1, value),
            used_pairs,
            used_flow_pairs,
        })
    }

    /// The least `Σ_p |f_p|` of any maximum flow to `target` with nothing cut, exactly (a
    /// minimum-cost maximum flow, every arc costing 1 per unit), and the support bound it gives
    /// (see [`MinCostBound`]). Successive shortest paths, one Dijkstra search per augmenting
    /// path: slow on large networks (seconds at 10^5 segments), for benchmarks and checks.
    /// `None` for an unknown target, or one whose maximum is unbounded (a path of unbounded
    /// capacity from an unbounded supply).
    pub fn min_cost_bound(&self, target: Target) -> Option<MinCostBound> {
        let (source, sink, off) = self.ends(target)?;
        let (value, arc_flow) = self.min_cost_flow(&off, source as usize, sink as usize)?;
        let flow_pairs: f64 = arc_flow.iter().sum();
        // What a pair can carry in a flow without cycles: at most the whole value, its arc's
        // capacity, all that can enter its tail (unless the source) and all that can leave its
        // head (unless the sink), the larger of its two ways.
        let cap = |a: usize| if off[a / 2] { 0.0 } else { self.cap[a] };
        let (mut into, mut out_of) = (vec![0.0; self.n], vec![0.0; self.n]);
        for a in 0..self.cap.len() {
            into[self.to[a] as usize] += cap(a);
            out_of[self.to[a ^ 1] as usize] += cap(a);
        }
        let most = |a: usize| {
            let (u, v) = (self.to[a ^ 1], self.to[a]);
            let mut c = cap(a).min(value);
            if u != source {
                c = c.min(into[u as usize]);
            }
            if v != sink {
                c = c.min(out_of[v as usize]);
            }
            c
        };
        let mut caps: Vec<f64> = (0..self.cap.len() / 2)
            .map(|p| most(2 * p).max(most(2 * p + 1)))
            .filter(|&c| c > 0.0)
            .collect();
        let tol = self.eps * 1e3 * (1.0 + flow_pairs / value.max(1.0));
        let pairs = if value > self.eps * 1e3 {
            fewest(&mut caps, flow_pairs - tol)
        } else {
            0
        };
        Some(MinCostBound {
            value,
            flow_pairs,
            pairs,
        })
    }

    /// The source, sink and switched-off pairs (other markets' sink pairs) of `target`.
    fn ends(&self, target: Target) -> Option<(u32, u32, Vec<bool>)> {
        let (cn, only) = self.resolve(target)?;
        let mut off = vec![false; self.cap.len() / 2];
        if let Some(own) = only {
            for &p in cn.sink_pairs.iter().filter(|p| !own.contains(p)) {
                off[p as usize] = true;
            }
        }
        Some((cn.source, cn.sink, off))
    }

    /// A minimum-cost maximum flow from `s` to `t` (pairs in `off` switched off), every arc
    /// costing 1 per unit: successive shortest paths with potentials (Dijkstra, stopped at `t`;
    /// vertices it did not settle move up by `t`'s distance, which keeps reduced costs ≥ 0 on
    /// every residual arc). Returns the value and the flow per arc (`2p`, `2p + 1` separately;
    /// a minimum never uses both); `None` if a path of unbounded capacity reaches `t`.
    fn min_cost_flow(&self, off: &[bool], s: usize, t: usize) -> Option<(f64, Vec<f64>)> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        const INF: i64 = i64::MAX;
        let cap = |a: usize| if off[a / 2] { 0.0 } else { self.cap[a] };
        let eps = self.eps;
        let mut g = vec![0.0; self.cap.len()];
        let mut pi = vec![0i64; self.n];
        let mut dist = vec![INF; self.n];
        let mut done = vec![false; self.n];
        // How each vertex was reached: the arc, and whether by cancelling its twin's flow.
        let mut via = vec![(u32::MAX, false); self.n];
        let mut heap = BinaryHeap::new();
        let mut seen: Vec<u32> = Vec::new();
        let mut value = 0.0;
        loop {
            for &v in &seen {
                dist[v as usize] = INF;
                done[v as usize] = false;
            }
            seen.clear();
            heap.clear();
            dist[s] = 0;
            seen.push(s as u32);
            heap.push(Reverse((0i64, s as u32)));
            while let Some(Reverse((du, u))) = heap.pop() {
                let u = u as usize;
                if done[u] || du > dist[u] {
                    continue;
                }
                done[u] = true;
                if u == t {
                    break;
                }
                for k in self.start[u]..self.start[u + 1] {
                    let a = self.adj[k as usize] as usize;
                    let v = self.to[a] as usize;
                    // Cancelling flow on the twin v → u costs −1; more flow on a costs +1.
                    for (cancel, res, cost) in [(true, g[a ^ 1], -1), (false, cap(a) - g[a], 1)] {
                        if res <= eps || done[v] {
                            continue;
                        }
                        let dv = du + cost + pi[u] - pi[v];
                        debug_assert!(dv >= du, "negative reduced cost");
                        if dv < dist[v] {
                            if dist[v] == INF {
                                seen.push(v as u32);
                            }
                            dist[v] = dv;
                            via[v] = (a as u32, cancel);
                            heap.push(Reverse((dv, v as u32)));
                        }
                    }
                }
            }
            if !done[t] {
                break;
            }
            let dt = dist[t];
            for (v, p) in pi.iter_mut().enumerate() {
                *p += if done[v] { dist[v] } else { dt };
            }
            // The bottleneck of the path, then the augmentation.
            let mut d = f64::INFINITY;
            let mut v = t;
            while v != s {
                let (a, cancel) = via[v];
                let a = a as usize;
                d = d.min(if cancel { g[a ^ 1] } else { cap(a) - g[a] });
                v = self.to[a ^ 1] as usize;
            }
            if !d.is_finite() {
                // An unbounded path: no finite maximum (an unbounded supply). The caller gets
                // the value so far, which is not a maximum: say so rather than bound from it.
                return None;
            }
            let mut v = t;
            while v != s {
                let (a, cancel) = via[v];
                let a = a as usize;
                if cancel {
                    g[a ^ 1] = (g[a ^ 1] - d).max(0.0);
                } else {
                    g[a] += d;
                }
                v = self.to[a ^ 1] as usize;
            }
            value += d;
        }
        Some((value, g))
    }

    /// Pairs whose flow is above the solver's tolerance, and `Σ_p |f_p|`.
    fn support_of(&self, flow: &[f64]) -> (usize, f64) {
        let used = flow.iter().filter(|f| f.abs() > self.eps).count();
        (used, flow.iter().map(|f| f.abs()).sum())
    }

    /// The layered bound towards `goal`, never through `start`, for max-flow value `value`:
    /// `rev` 0 on the network (goal the sink), 1 on its reverse (goal the source; arc `a` keeps
    /// its ends and takes its twin's capacity). Pairs in `off` carry nothing.
    fn layered(&self, off: &[bool], goal: u32, start: u32, rev: usize, value: f64) -> LayerBound {
        let cap = |a: usize| if off[a / 2] { 0.0 } else { self.cap[a ^ rev] };
        let tol = self.eps * 1e3;
        // Distances to the goal: backwards over arcs of positive capacity, never through start.
        let mut d = vec![UNSET; self.n];
        d[goal as usize] = 0;
        let mut queue = vec![goal];
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            let v = v as usize;
            for k in self.start[v]..self.start[v + 1] {
                // Slot k holds arc v → u; its twin is u → v.
                let a = self.adj[k as usize] as usize;
                let u = self.to[a] as usize;
                if u != start as usize && d[u] == UNSET && cap(a ^ 1) > 0.0 {
                    d[u] = d[v] + 1;
                    queue.push(u as u32);
                }
            }
        }
        let depth = queue.iter().map(|&v| d[v as usize]).max().unwrap_or(0) as usize;
        // Per layer k: capacities of the arcs entering S_k, and of start's arcs into layer k.
        let mut entering: Vec<Vec<f64>> = vec![Vec::new(); depth + 1];
        let mut supply = vec![0.0; depth + 1];
        let mut from_start = Vec::new();
        for b in 0..self.to.len() {
            let c = cap(b);
            if c <= 0.0 {
                continue;
            }
            let (u, v) = (self.to[b ^ 1] as usize, self.to[b] as usize);
            if u == start as usize {
                from_start.push(c);
                if d[v] != UNSET {
                    supply[d[v] as usize] += c;
                }
            } else if d[v] != UNSET && u != v {
                debug_assert!(d[u] != UNSET && d[u] <= d[v] + 1, "not a BFS layering");
                if d[u] == d[v] + 1 {
                    entering[d[v] as usize].push(c);
                }
            }
        }
        let mut out = LayerBound::default();
        if value <= tol {
            return out;
        }
        let mut inside = 0.0;
        for (k, caps) in entering.iter_mut().enumerate() {
            inside += supply[k];
            let need = value - inside;
            if need > tol {
                out.layers += 1;
                out.pairs += fewest(caps, need - tol);
                out.flow_pairs += need;
            }
        }
        out.pairs += fewest(&mut from_start, value - tol);
        out.flow_pairs += value;
        out
    }
}

/// The fewest of `caps` whose sum reaches `need`, taken largest first (all of them if even
/// their sum falls short, which a correct max-flow value rules out).
fn fewest(caps: &mut [f64], need: f64) -> usize {
    if need <= 0.0 {
        return 0;
    }
    caps.sort_unstable_by(|a, b| b.total_cmp(a));
    let mut sum = 0.0;
    for (i, &c) in caps.iter().enumerate() {
        sum += c;
        if sum >= need {
            return i + 1;
        }
    }
    caps.len()
}

#[cfg(test)]
mod tests {
    use super::super::preflow::tests::random_model;
    use super::super::{FlowModel, MinCostBound, Target, Workspace};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Checks `b` and the minimum-cost bound `mc` against a maximum flow `flow` of the same
    /// target: every bound at most its support and its `Σ |f|`. Returns whether the layered
    /// flow bound is tight.
    fn holds(
        m: &FlowModel,
        b: &super::SupportBound,
        mc: &MinCostBound,
        flow: &[f64],
        what: &str,
    ) -> bool {
        let (used, sum) = m.support_of(flow);
        let tol = 1e-9 * sum.max(1.0);
        for (name, l) in [("to_sink", b.to_sink), ("from_source", b.from_source)] {
            assert!(
                l.pairs <= used,
                "{what}: {name} bound {} > {used} pairs used",
                l.pairs
            );
            assert!(
                l.flow_pairs <= mc.flow_pairs + tol,
                "{what}: {name} bound {} > the least flow × pairs {}",
                l.flow_pairs,
                mc.flow_pairs
            );
        }
        assert!(mc.pairs <= used, "{what}: {} > {used} pairs used", mc.pairs);
        assert!(
            mc.flow_pairs <= sum + tol,
            "{what}: least flow × pairs {} > {sum} of a maximum flow",
            mc.flow_pairs
        );
        assert!(
            (mc.value - b.value).abs() <= 1e-9 * b.value.max(1.0),
            "{what}: min-cost value {} against {}",
            mc.value,
            b.value
        );
        b.pairs() == used
    }

    fn bound(m: &FlowModel, target: Target) -> super::SupportBound {
        let mut ws = Workspace::new(m);
        m.support_bound(&mut ws, target).expect("known target")
    }

    /// A path s → 1 → 2 → 3 → 4 → 5 → t of capacity 10 is one chain: series reduction makes it
    /// one solver pair s → t (capacity 10), so F = 10 needs that one pair: L = 1, W = 10.
    #[test]
    fn a_path_is_one_solver_pair() {
        let pairs: Vec<_> = (0..6).map(|i| (i, i + 1, 10.0, 0.0)).collect();
        let m = FlowModel::from_pairs(7, 0, 6, &pairs);
        assert_eq!(m.solver_arc_count(), 2);
        let b = bound(&m, Target::All(0));
        assert_eq!(b.value, 10.0);
        // to_sink: S_0 = {t}; the pair s → t is supply into S_0 (s_0 = 10, nothing left to
        // cross), and s's term needs 1 pair for 10.
        assert_eq!((b.to_sink.pairs, b.to_sink.flow_pairs), (1, 10.0));
        assert_eq!((b.from_source.pairs, b.from_source.flow_pairs), (1, 10.0));
        assert_eq!((b.used_pairs, b.used_flow_pairs), (1, 10.0));
    }

    /// A path whose every step is two parallel pairs (so no vertex is a chain link and nothing
    /// is reduced): s → 1 (supply `supply`), then 1 ⇉ 2 ⇉ 3 ⇉ 4 ⇉ 5 ⇉ t with capacities
    /// `steps[i]`, and a second supply `near` into vertex 4 if positive.
    fn ladder(supply: f64, steps: [[f64; 2]; 5], near: f64) -> FlowModel {
        let mut pairs = vec![(0, 1, supply, 0.0)];
        for (i, caps) in steps.iter().enumerate() {
            for &c in caps {
                pairs.push((i as u32 + 1, i as u32 + 2, c, 0.0));
            }
        }
        if near > 0.0 {
            pairs.push((0, 4, near, 0.0));
        }
        FlowModel::from_pairs(7, 0, 6, &pairs)
    }

    /// Two parallel pairs of 6 must both carry flow to get 10 across.
    #[test]
    fn parallel_pairs_are_all_needed_when_one_is_too_small() {
        let m = ladder(10.0, [[6.0, 6.0]; 5], 0.0);
        assert_eq!(m.solver_arc_count(), 22);
        let b = bound(&m, Target::All(0));
        assert_eq!(b.value, 10.0);
        // to_sink: d(t) = 0, d(5) = 1, …, d(1) = 5; the supply enters at layer 5 (s_5 = 10).
        // Layers k = 0..4 each need F − s_k = 10 across two pairs of 6: 2 pairs, 10 each.
        // s's term: one pair of 10. L = 5·2 + 1 = 11, W = 5·10 + 10 = 60.
        assert_eq!(b.to_sink.layers, 5);
        assert_eq!((b.to_sink.pairs, b.to_sink.flow_pairs), (11, 60.0));
        // from_source: T_0 = {s} (1 pair of 10), T_1..T_4 leave over 1 ⇉ 2 … 4 ⇉ 5 (2 each),
        // T_5 holds vertex 5, whose arcs into t (6 + 6 ≥ 10) end it; t's term: 2 pairs.
        // L = 1 + 4·2 + 2 = 11, W = 60.
        assert_eq!((b.from_source.pairs, b.from_source.flow_pairs), (11, 60.0));
        // Every maximum flow uses all 11 pairs, 10 through each step: the bound is tight.
        assert_eq!((b.used_pairs, b.used_flow_pairs), (11, 60.0));
        // The least Σ|f| is 60 too; capacities alone (10 + 9·6 = 64 ≥ 60) ask for 10 pairs.
        let mc = m.min_cost_bound(Target::All(0)).expect("commodity 0");
        assert_eq!((mc.value, mc.flow_pairs, mc.pairs), (10.0, 60.0, 10));
        // One step of 10 + 3 needs one pair only (largest first): L = 10, while a flow may
        // still split over both.
        let m = ladder(
            10.0,
            [[6.0, 6.0], [6.0, 6.0], [10.0, 3.0], [6.0, 6.0], [6.0, 6.0]],
            0.0,
        );
        let b = bound(&m, Target::All(0));
        assert_eq!((b.to_sink.pairs, b.from_source.pairs), (10, 10));
        assert!(b.used_pairs >= 10);
    }

    /// A supply close to the sink lowers what must cross the layers beyond it.
    #[test]
    fn a_supply_near_the_sink_lowers_the_bound() {
        // Steps of 10 + 5; one supply of 12 at vertex 1: F = 12, every step needs both pairs
        // (10 < 12): L = 5·2 + 1 = 11, W = 5·12 + 12 = 72.
        let m = ladder(12.0, [[10.0, 5.0]; 5], 0.0);
        let b = bound(&m, Target::All(0));
        assert_eq!(
            (b.value, b.to_sink.pairs, b.to_sink.flow_pairs),
            (12.0, 11, 72.0)
        );
        // The same 12 as 8 at vertex 1 and 4 at vertex 4 (layer 2 by distance to t):
        // S_0, S_1 need 12 (2 pairs each), S_2..S_4 hold the 4 and need 8 (one pair of 10
        // each), S_5 holds vertex 1; s's term: 8 + 4 = 12, 2 pairs.
        // L = 2 + 2 + 3·1 + 2 = 9, W = 12 + 12 + 3·8 + 12 = 60.
        let m = ladder(8.0, [[10.0, 5.0]; 5], 4.0);
        let b = bound(&m, Target::All(0));
        assert_eq!(b.value, 12.0);
        assert_eq!((b.to_sink.pairs, b.to_sink.flow_pairs), (9, 60.0));
        // from_source: T_0 = {s}: 2 pairs; vertex 4 is at distance 1 from s too, so T_1 = {s,
        // 1, 4} leaves over 1 ⇉ 2 and 4 ⇉ 5 (caps 10, 5, 10, 5: two pairs for 12); T_2 holds
        // 2 and 5, and 5's arcs into t (15) end it. t's term: 2 pairs for 12.
        // L = 2 + 2 + 2 = 6, W = 12 + 12 + 12 = 36: weaker here.
        assert_eq!((b.from_source.pairs, b.from_source.flow_pairs), (6, 36.0));
        assert_eq!(b.pairs(), 9);
        // The least Σ|f|: 4 from vertex 4 over two steps and s's pair, 8 from vertex 1 over
        // five steps and s's pair: 4·3 + 8·6 = 60. What pairs can carry: 10 on the big pairs
        // of the last four steps, 8 on s → 1 and on 1 → 2's big pair (vertex 1 takes in 8),
        // 5 or 4 on the rest: 4·10 + 2·8 = 56 < 60, so at least 7 pairs.
        let mc = m.min_cost_bound(Target::All(0)).expect("commodity 0");
        assert_eq!((mc.value, mc.flow_pairs, mc.pairs), (12.0, 60.0, 7));
        assert!(holds(&m, &b, &mc, &best_flow(&m), "near supply"));
    }

    /// The solver's flow for commodity 0 of a test model (all markets).
    fn best_flow(m: &FlowModel) -> Vec<f64> {
        let mut ws = Workspace::new(m);
        m.baseline_flow(&mut ws, Target::All(0)).1
    }

    /// A market alone in a model built from a network: the doc example of `FlowModel::new`
    /// (supply 30, pipes of 20 and 12 to the market) reduces to s → market vertex (12) and the
    /// market's unbounded arc to t: F = 12 needs both, L = 2, W = 24.
    #[test]
    fn a_market_alone_counts_its_sink_pair() {
        use crate::input::{load_network, LoadOptions, Source};
        let geojson = r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"id": "s", "kind": "supply", "commodity": "gas", "supply": 30, "supply_unit": "bcm/y"},
           "geometry": {"type": "Point", "coordinates": [0, 0]}},
          {"type": "Feature", "properties": {"id": "j", "kind": "station", "commodity": "gas"},
           "geometry": {"type": "Point", "coordinates": [0.1, 0]}},
          {"type": "Feature", "properties": {"id": "m", "kind": "market", "commodity": "gas", "market": "Town"},
           "geometry": {"type": "Point", "coordinates": [0.2, 0]}},
          {"type": "Feature", "properties": {"id": "a-1", "corridor": "A", "commodity": "gas", "capacity": 20, "capacity_unit": "bcm/y"},
           "geometry": {"type": "LineString", "coordinates": [[0, 0], [0.1, 0]]}},
          {"type": "Feature", "properties": {"id": "a-2", "corridor": "A", "commodity": "gas", "capacity": 12, "capacity_unit": "bcm/y"},
           "geometry": {"type": "LineString", "coordinates": [[0.1, 0], [0.2, 0]]}}
        ]}"#;
        let src = Source::new("t.geojson", geojson.as_bytes().to_vec());
        let (net, _) = load_network(&[src], LoadOptions::default()).expect("loads");
        let m = FlowModel::new(&net, &crate::topology::build(&net, 1000.0));
        assert_eq!(m.solver_arc_count(), 4);
        for target in [Target::Market(0), Target::All(0)] {
            let b = bound(&m, target);
            assert_eq!(b.value, 12.0);
            assert_eq!((b.to_sink.pairs, b.to_sink.flow_pairs), (2, 24.0));
            assert_eq!((b.from_source.pairs, b.from_source.flow_pairs), (2, 24.0));
            assert_eq!((b.used_pairs, b.used_flow_pairs), (2, 24.0));
        }
        let mut ws = Workspace::new(&m);
        assert!(m.support_bound(&mut ws, Target::Market(1)).is_none());
    }

    /// On 600 random networks (unbounded sink arcs, pairs both ways, pairs at the source and
    /// sink), both bounds stay at or below the support and `Σ |f|` of four maximum flows:
    /// the solver's own, Dinic's, and push–relabel's from either end. And they are not empty:
    /// every network that carries flow has a bound ≥ 2, and some flows meet it exactly.
    #[test]
    fn bounds_hold_on_random_networks() {
        let mut rng = ChaCha8Rng::seed_from_u64(23);
        let (mut carried, mut tight) = (0, 0);
        for i in 0..600 {
            let m = random_model(&mut rng);
            let b = bound(&m, Target::All(0));
            if b.value > 0.0 {
                carried += 1;
                assert!(
                    b.to_sink.pairs >= 1 && b.from_source.pairs >= 1,
                    "{i}: {b:?}"
                );
            }
            let mut ws = Workspace::new(&m);
            let (s, t) = (m.commodities[0].source, m.commodities[0].sink);
            let mut flows = vec![("solver", best_flow(&m))];
            ws.flow.iter_mut().for_each(|f| *f = 0.0);
            m.dinic(&mut ws, s, t, f64::INFINITY, false);
            flows.push(("dinic", ws.flow.clone()));
            for back in [false, true] {
                m.push_relabel(&mut ws, s, t, true, back, None)
                    .expect("finite supplies");
                flows.push(("push-relabel", ws.flow.clone()));
            }
            let mc = m.min_cost_bound(Target::All(0)).expect("commodity 0");
            for (what, f) in &flows {
                let v = m
                    .check_flow(Target::All(0), &[], f)
                    .expect("a maximum flow");
                assert!((v - b.value).abs() <= 1e-9 * v.max(1.0), "{i} {what}");
                if holds(&m, &b, &mc, f, &format!("network {i}, {what}")) {
                    tight += 1;
                }
            }
        }
        assert!(carried > 400, "{carried}");
        assert!(tight > 300, "{tight}");
    }

    /// On synthetic grid networks built like real ones (supplies, market vertices, node caps),
    /// every market alone and the total: the bounds stay at or below the solver's flow.
    #[test]
    fn bounds_hold_on_synthetic_grids() {
        for (edges, seed) in [(300, 1), (1000, 2), (3000, 3)] {
            let net = crate::synthetic::grid_network(edges, seed);
            let m = FlowModel::new(&net, &crate::topology::build(&net, 1000.0));
            let mut ws = Workspace::new(&m);
            let mut targets: Vec<Target> = (0..m.markets().len()).map(Target::Market).collect();
            targets.push(Target::All(0));
            for target in targets {
                let b = m.support_bound(&mut ws, target).expect("known target");
                let (_, f) = m.baseline_flow(&mut ws, target);
                let mc = m.min_cost_bound(target).expect("known target");
                holds(&m, &b, &mc, &f, &format!("grid {edges}, {target:?}"));
                assert!(b.value > 0.0 && b.pairs() >= 2, "{target:?}: {b:?}");
            }
        }
    }
}
