//! Chainage along a corridor's own lines: the shortest path from the start of its first line,
//! across joined ends and T-junctions (see the module docs of [`super`]).

use super::*;

impl RouteGeom {
    /// The chainage keys of every line (see [`RouteGeom::keys`]): a graph whose nodes are the
    /// lines' ends and junctions, joined along each line by its length between them and across
    /// lines, at no length, where an end lies within [`JOIN_M`] of another line's end, or of its
    /// interior away from its ends (a T-junction, as in [`crate::topology`]);
    /// Dijkstra from the start of the first line; each line the start cannot reach, in file
    /// order, is rooted at its first vertex at the largest chainage reached so far.
    pub(super) fn chainage_keys(&self) -> Vec<Vec<(f64, f64)>> {
        // Nodes: (line, position); each line's two ends first (2l, 2l + 1), junctions after.
        let mut nodes: Vec<(usize, f64)> = Vec::new();
        for (vs, _) in &self.lines {
            let (a, b) = match (vs.start, vs.end.checked_sub(1)) {
                (a, Some(b)) if b >= a => (self.ch[a], self.ch[b]),
                _ => (f64::NAN, f64::NAN),
            };
            nodes.push((nodes.len() / 2, a));
            nodes.push((nodes.len() / 2, b));
        }
        let mut joins: Vec<(usize, usize)> = Vec::new();
        let ends: Vec<(usize, usize)> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, (vs, _))| !vs.is_empty())
            .flat_map(|(l, (vs, _))| [(2 * l, vs.start), (2 * l + 1, vs.end - 1)])
            .collect();
        let end_tree = RTree::bulk_load(
            ends.iter()
                .map(|&(n, v)| GeomWithData::new(self.ecef[v], n))
                .collect::<Vec<_>>(),
        );
        let block_tree = RTree::bulk_load(
            self.blocks
                .iter()
                .enumerate()
                .map(|(i, b)| GeomWithData::new(Rectangle::from_aabb(b.env), i))
                .collect::<Vec<_>>(),
        );
        for &(n, v) in &ends {
            let (l, e) = (n / 2, self.ecef[v]);
            // Ends of lines (chords are within nanometres of geodesics at a kilometre).
            for m in end_tree.locate_within_distance(e, JOIN_M * JOIN_M) {
                if m.data / 2 != l {
                    joins.push((n, m.data));
                }
            }
            // The nearest point of each other line, if within JOIN_M and not near its ends.
            let reach = AABB::from_corners(
                [e[0] - JOIN_M, e[1] - JOIN_M, e[2] - JOIN_M],
                [e[0] + JOIN_M, e[1] + JOIN_M, e[2] + JOIN_M],
            );
            // line → (chord distance, edge, fraction along its chord)
            let mut best: HashMap<usize, (f64, usize, f64)> = HashMap::new();
            for b in block_tree.locate_in_envelope_intersecting(&reach) {
                let m = self.block_line(b.data);
                if m == l {
                    continue;
                }
                for k in self.blocks[b.data].edges.clone() {
                    let u = self.edges[k];
                    let (p0, p1) = (self.ecef[u], self.ecef[u + 1]);
                    let t = chord_fraction(p0, p1, e);
                    let foot = [
                        p0[0] + (p1[0] - p0[0]) * t,
                        p0[1] + (p1[1] - p0[1]) * t,
                        p0[2] + (p1[2] - p0[2]) * t,
                    ];
                    let c = dist3(foot, e);
                    // A geodesic edge departs from its chord by up to its sagitta.
                    if c <= JOIN_M + sagitta(self.elen[k]) && best.get(&m).is_none_or(|x| c < x.0) {
                        best.insert(m, (c, k, t));
                    }
                }
            }
            let mut found: Vec<(usize, (f64, usize, f64))> = best.into_iter().collect();
            found.sort_by_key(|x| x.0);
            for (m, (c, k, t)) in found {
                let (vs, _) = &self.lines[m];
                // Near an end of that line the end rule joins them instead (as the topology).
                if dist3(e, self.ecef[vs.start]) <= JOIN_M
                    || dist3(e, self.ecef[vs.end - 1]) <= JOIN_M
                {
                    continue;
                }
                let u = self.edges[k];
                let off = if self.elen[k] > 5_000.0 {
                    // Long edges bow away from their chords: the geodesic foot and distance.
                    let (d, _, s) = point_piece(self.pts[v], self.pts[u], self.pts[u + 1]);
                    if d > JOIN_M {
                        continue;
                    }
                    s
                } else if c <= JOIN_M {
                    t * self.elen[k]
                } else {
                    continue;
                };
                let pos = self.ch[u] + off;
                if pos <= self.ch[vs.start] || pos >= self.ch[vs.end - 1] {
                    continue; // one of its ends: joined above if within reach
                }
                nodes.push((m, pos));
                joins.push((n, nodes.len() - 1));
            }
        }
        // Along each line, between consecutive nodes.
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nodes.len()];
        let mut on_line: Vec<Vec<usize>> = vec![Vec::new(); self.lines.len()];
        for (i, (l, p)) in nodes.iter().enumerate() {
            if !p.is_nan() {
                on_line[*l].push(i);
            }
        }
        for ids in &mut on_line {
            ids.sort_by(|a, b| nodes[*a].1.total_cmp(&nodes[*b].1).then(a.cmp(b)));
            for w in ids.windows(2) {
                let len = nodes[w[1]].1 - nodes[w[0]].1;
                adj[w[0]].push((w[1], len));
                adj[w[1]].push((w[0], len));
            }
        }
        for (a, b) in joins {
            adj[a].push((b, 0.0));
            adj[b].push((a, 0.0));
        }
        let mut dist = vec![f64::INFINITY; nodes.len()];
        let mut heap: std::collections::BinaryHeap<(std::cmp::Reverse<u64>, usize)> =
            Default::default();
        // Non-negative f64 order as integer order of their bits.
        let key = |d: f64| std::cmp::Reverse(d.to_bits());
        let mut reached = 0.0f64;
        for (l, ids) in on_line.iter().enumerate() {
            if ids.is_empty() || dist[2 * l].is_finite() {
                continue;
            }
            dist[2 * l] = reached;
            heap.push((key(reached), 2 * l));
            // The lines this root reaches (each line is reached from one root only).
            let mut touched: Vec<usize> = Vec::new();
            while let Some((std::cmp::Reverse(bits), u)) = heap.pop() {
                let du = f64::from_bits(bits);
                if du > dist[u] {
                    continue;
                }
                touched.push(nodes[u].0);
                for &(v, w) in &adj[u] {
                    if du + w < dist[v] {
                        dist[v] = du + w;
                        heap.push((key(dist[v]), v));
                    }
                }
            }
            // The largest chainage reached: at a node, or between two (the farthest point
            // from both ends of a loop).
            touched.sort_unstable();
            touched.dedup();
            for ids in touched.iter().map(|&m| &on_line[m]) {
                for w in ids.windows(2) {
                    let (a, b) = (dist[w[0]], dist[w[1]]);
                    if a.is_finite() && b.is_finite() {
                        reached = reached.max((a + b + nodes[w[1]].1 - nodes[w[0]].1) / 2.0);
                    }
                }
                for &i in ids {
                    if dist[i].is_finite() {
                        reached = reached.max(dist[i]);
                    }
                }
            }
        }
        on_line
            .iter()
            .map(|ids| {
                let mut k: Vec<(f64, f64)> = ids.iter().map(|&i| (nodes[i].1, dist[i])).collect();
                k.dedup_by(|b, a| {
                    if a.0 == b.0 {
                        a.1 = a.1.min(b.1);
                        true
                    } else {
                        false
                    }
                });
                k
            })
            .collect()
    }

    /// The line that block `bi` belongs to (blocks never span two lines).
    pub(super) fn block_line(&self, bi: usize) -> usize {
        self.line_of(self.edges[self.blocks[bi].edges.start])
    }

    /// The line that vertex `v` belongs to.
    pub(super) fn line_of(&self, v: usize) -> usize {
        self.lines
            .partition_point(|(vs, _)| vs.end <= v)
            .min(self.lines.len().saturating_sub(1))
    }

    /// The chainage of the point at position `pos` on line `l` (see [`RouteGeom::ch`]): the
    /// length of the shortest path to it from the corridor's start along the corridor's lines,
    /// reached through the key before it or the one after it on its line.
    pub(super) fn chainage(&self, l: usize, pos: f64) -> f64 {
        let Some(keys) = self.keys.get(l).filter(|k| !k.is_empty()) else {
            return 0.0;
        };
        let i = keys.partition_point(|k| k.0 <= pos);
        let before = i.checked_sub(1).map(|j| keys[j]);
        let after = keys.get(i).copied();
        match (before, after) {
            (Some(a), Some(b)) => (a.1 + (pos - a.0)).min(b.1 + (b.0 - pos)),
            (Some(a), None) => a.1 + (pos - a.0).max(0.0),
            (None, Some(b)) => b.1 + (b.0 - pos).max(0.0),
            (None, None) => 0.0,
        }
    }

    /// The least chainage on line `l` between positions `p0` and `p1`: at one of them or at a
    /// key between (chainage has slope ±1 between keys and peaks only between them).
    pub(super) fn least_chainage(&self, l: usize, p0: f64, p1: f64) -> f64 {
        let inner = self.keys.get(l).map_or(f64::INFINITY, |k| {
            k.iter()
                .filter(|x| x.0 > p0 && x.0 < p1)
                .map(|x| x.1)
                .fold(f64::INFINITY, f64::min)
        });
        self.chainage(l, p0).min(self.chainage(l, p1)).min(inner)
    }
}
