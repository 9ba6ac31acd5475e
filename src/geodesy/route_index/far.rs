//! The closest approach of a zone beyond [`BALL_M`]: branch and bound on two trees of
//! geodesic balls, the route's edges against the zone's pieces.
//!
//! Chord bounds cannot prune there (see [`crate::geodesy::balls`]); the triangle inequality can,
//! at any distance up to the antipode:
//! - a pair of balls (one over route edges, one over zone pieces) holds no two points nearer
//!   than d(c_route, c_zone) − r_route − r_zone; both centres are vertices, so that distance is
//!   also a true route-to-zone distance, a candidate; the search starts from the route vertex
//!   of least chord distance in the blocks nearest the zone (its true distance to a zone point);
//! - a pair whose ECEF boxes (kept by nodes of eight items or more, and for single edges and
//!   pieces) or, for an edge against a piece, whose chords show that it cannot reach or tie the
//!   best is skipped without a geodesic problem: it could offer nothing;
//! - pairs are opened least bound first (the larger ball split), down to one route edge against
//!   one zone piece, until no pair can beat the best by more than the tolerance;
//! - for an edge u→w against a piece a→b, the four vertex distances are measured (each a
//!   candidate); the distance to a piece is 1-Lipschitz along it, so the piece can come nearer
//!   to u than (d(u,a) + d(u,b) − len)/2 and only then is it searched along its geodesic
//!   ([`point_piece`]); likewise the edge against each of a and b. Two geodesic pieces that do
//!   not cross are nearest at an end of one of them, so these four searches find the pair's
//!   least distance.
//!
//! The work depends on how the route and the zone are shaped near their closest approach, not
//! on how far apart they are. The result is refined to [`tolerance`] like every far closest
//! approach, is a true distance between a route point and a zone point, and does not depend on
//! the thread count (the search is sequential and ordered).

use super::*;
use crate::geodesy::balls::{piece_bound, Ball, BallTree, Bound};
use crate::geodesy::zone_index::ZoneBalls;
use std::collections::{BinaryHeap, HashSet};

/// A candidate closest approach: the route point (on the line of route vertex `v`, at
/// position `pos`), its distance and the zone point.
#[derive(Debug, Clone, Copy)]
struct Cand {
    d: f64,
    point: Point<f64>,
    v: usize,
    pos: f64,
    zone_point: Point<f64>,
}

struct FarSearch<'a> {
    route: &'a RouteGeom,
    zb: &'a ZoneBalls,
    /// Distances between route vertices and zone vertices measured so far.
    vv: HashMap<u64, f64>,
    /// (route vertex, piece) and (zone vertex, edge) pairs already searched.
    searched: HashSet<(bool, u32, u32)>,
    best: Cand,
    /// The chainage of the best, once asked for (ties go to the least chainage).
    best_ch: Option<f64>,
}

impl FarSearch<'_> {
    /// Pairs whose bound is at or above this cannot beat the best by more than the tolerance.
    fn threshold(&self) -> f64 {
        self.best.d - tolerance(self.best.d) / 2.0
    }

    fn offer(&mut self, c: Cand) {
        let r = self.route;
        if c.d < self.best.d - 1e-6 {
            self.best = c;
            self.best_ch = None;
        } else if c.d <= self.best.d + 1e-6 {
            let b = self.best;
            let bch = *self
                .best_ch
                .get_or_insert_with(|| r.chainage(r.line_of(b.v), b.pos));
            let ch = r.chainage(r.line_of(c.v), c.pos);
            if ch < bch {
                self.best = c;
                self.best_ch = Some(ch);
            }
        }
    }

    /// The distance between route vertex `u` and zone vertex `z` (a candidate itself).
    fn vv(&mut self, u: u32, z: u32) -> f64 {
        let key = (u as u64) << 32 | z as u64;
        if let Some(d) = self.vv.get(&key) {
            return *d;
        }
        let (p, q) = (self.route.pts[u as usize], self.zb.vpts[z as usize]);
        let d = Geodesic.distance(p, q);
        self.vv.insert(key, d);
        self.offer(Cand {
            d,
            point: p,
            v: u as usize,
            pos: self.route.ch[u as usize],
            zone_point: q,
        });
        d
    }

    /// Queues route node `a` against zone node `b` if their bound can beat the best; a route
    /// edge against a zone piece is measured at once ([`FarSearch::items`]).
    fn pair(
        &mut self,
        rt: &BallTree,
        a: usize,
        b: usize,
        heap: &mut BinaryHeap<Bound<(u32, u32)>>,
    ) {
        let (na, nb) = (rt.nodes[a], self.zb.tree.nodes[b]);
        let (ra, rz) = (na.ball, nb.ball);
        // The chord bound first: it costs no geodesic problem.
        if geodesic_lower_bound(dist3(ra.e, rz.e)) - ra.r - rz.r >= self.threshold() {
            return;
        }
        // Where both sides keep the box of their items, the gap between the boxes bounds the
        // pair from below (as an arc) far more tightly than the balls. A pair that cannot reach
        // the best (nor tie it) offers nothing: it is skipped without measuring it (what is
        // measured and offered is otherwise as it would be, so the result does not change).
        let route_box = match na.item() {
            Some(k) => {
                let u = self.route.edges[k];
                let env = AABB::from_points([&self.route.ecef[u], &self.route.ecef[u + 1]]);
                Some(grow(env, sagitta(self.route.elen[k])))
            }
            None => rt.node_box(a).copied(),
        };
        let zone_box = match nb.item() {
            Some(q) => {
                let [za, zb] = self.zb.pv[q];
                let (ea, eb) = (self.zb.vecef[za as usize], self.zb.vecef[zb as usize]);
                Some(grow(
                    AABB::from_points([&ea, &eb]),
                    sagitta(self.zb.plen[q]),
                ))
            }
            None => self.zb.tree.node_box(b).copied(),
        };
        if let (Some(ba), Some(bz)) = (route_box, zone_box) {
            if geodesic_lower_bound(aabb_gap(&ba, &bz)) > self.best.d + 1e-6 {
                return;
            }
        }
        // Against one edge or one piece, the bound of the piece from the centre of the other
        // ball ([`piece_bound`]) is tighter than the piece's own ball.
        let lb = match (na.item(), nb.item()) {
            (Some(k), Some(q)) => {
                // An edge against a piece: their chords, less both sagittas, as an arc, bound
                // the pair from below far more tightly than the balls, and cost no geodesic
                // problem. A pair that cannot reach the best (nor tie it) offers nothing: it is
                // skipped without measuring it (what is measured and offered is otherwise as it
                // would be, so the result does not change).
                let u = self.route.edges[k];
                let [za, zb] = self.zb.pv[q];
                let c = segment_segment_distance(
                    self.route.ecef[u],
                    self.route.ecef[u + 1],
                    self.zb.vecef[za as usize],
                    self.zb.vecef[zb as usize],
                );
                let sag = sagitta(self.route.elen[k]) + sagitta(self.zb.plen[q]);
                if geodesic_lower_bound((c - sag).max(0.0)) > self.best.d + 1e-6 {
                    return;
                }
                self.items(k, q);
                return;
            }
            (None, Some(q)) => {
                let [za, zb] = self.zb.pv[q];
                let (da, db) = (self.vv(ra.anchor, za), self.vv(ra.anchor, zb));
                piece_bound(da, db, self.zb.plen[q]) - ra.r
            }
            (Some(k), None) => {
                let u = self.route.edges[k] as u32;
                let (du, dw) = (self.vv(u, rz.anchor), self.vv(u + 1, rz.anchor));
                piece_bound(du, dw, self.route.elen[k]) - rz.r
            }
            (None, None) => self.vv(ra.anchor, rz.anchor) - ra.r - rz.r,
        };
        if lb < self.threshold() {
            heap.push(Bound(lb, (a as u32, b as u32)));
        }
    }

    /// Route edge `k` against zone piece `q` (see the module docs).
    fn items(&mut self, k: usize, q: usize) {
        let r = self.route;
        let (u, w) = (r.edges[k], r.edges[k] + 1);
        let [za, zb] = self.zb.pv[q];
        let (plen, elen) = (self.zb.plen[q], r.elen[k]);
        let (ua, ub) = (self.vv(u as u32, za), self.vv(u as u32, zb));
        let (wa, wb) = (self.vv(w as u32, za), self.vv(w as u32, zb));
        if plen > 0.0 {
            let (a, b) = (self.zb.vpts[za as usize], self.zb.vpts[zb as usize]);
            for (x, xa, xb) in [(u, ua, ub), (w, wa, wb)] {
                if piece_bound(xa, xb, plen) < self.threshold()
                    && self.searched.insert((false, x as u32, q as u32))
                {
                    let (d, zq, _) = point_piece(r.pts[x], a, b);
                    self.offer(Cand {
                        d,
                        point: r.pts[x],
                        v: x,
                        pos: r.ch[x],
                        zone_point: zq,
                    });
                }
            }
        }
        if elen > 0.0 {
            let ends = if za == zb {
                &[(za, ua, wa)][..]
            } else {
                &[(za, ua, wa), (zb, ub, wb)][..]
            };
            for &(z, du, dw) in ends {
                if piece_bound(du, dw, elen) < self.threshold()
                    && self.searched.insert((true, z, k as u32))
                {
                    let zp = self.zb.vpts[z as usize];
                    let (d, x, s) = point_piece(zp, r.pts[u], r.pts[w]);
                    self.offer(Cand {
                        d,
                        point: x,
                        v: u,
                        pos: r.ch[u] + s,
                        zone_point: zp,
                    });
                }
            }
        }
    }
}

impl RouteGeom {
    /// The route's edges as geodesic balls (built on first use, then shared by every zone):
    /// each edge's ball is centred on its first vertex with its length as radius.
    fn edge_balls(&self) -> &BallTree {
        self.balls.get_or_init(|| {
            let items: Vec<Ball> = self
                .edges
                .iter()
                .enumerate()
                .map(|(k, &u)| Ball {
                    c: self.pts[u],
                    e: self.ecef[u],
                    r: self.elen[k],
                    anchor: u as u32,
                })
                .collect();
            // Each edge's box: its ends grown by its sagitta (it holds the geodesic edge).
            let edge_box = |k: usize| {
                let u = self.edges[k];
                let env = AABB::from_points([&self.ecef[u], &self.ecef[u + 1]]);
                Some(grow(env, sagitta(self.elen[k])))
            };
            BallTree::with_boxes(&items, &edge_box)
        })
    }

    /// The closest approach of a zone beyond [`BALL_M`] (see the module docs); `none` if the
    /// route has no edge or the zone is empty. `seed`, if given, is a first candidate: route
    /// vertex, its true distance to the zone point given.
    pub(super) fn closest_balls(
        &self,
        z: &ZoneIndex,
        none: LineZone,
        seed: Option<(usize, f64, Point<f64>)>,
    ) -> LineZone {
        let rt = self.edge_balls();
        let zb = z.balls();
        if rt.root().is_none() || zb.tree.root().is_none() {
            return none;
        }
        let mut s = FarSearch {
            route: self,
            zb,
            vv: HashMap::new(),
            searched: HashSet::new(),
            best: Cand {
                d: f64::INFINITY,
                point: none.point,
                v: 0,
                pos: 0.0,
                zone_point: none.zone_point,
            },
            best_ch: None,
        };
        if let Some((v, d, q)) = seed.filter(|s| s.1.is_finite()) {
            s.offer(Cand {
                d,
                point: self.pts[v],
                v,
                pos: self.ch[v],
                zone_point: q,
            });
        }
        let mut heap = BinaryHeap::new();
        s.pair(rt, 0, 0, &mut heap);
        while let Some(Bound(lb, (a, b))) = heap.pop() {
            if lb >= s.threshold() {
                break;
            }
            let (a, b) = (a as usize, b as usize);
            let (na, nb) = (rt.nodes[a], zb.tree.nodes[b]);
            // Split the larger ball (a single edge or piece is never split).
            let split_route = match (na.item(), nb.item()) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                _ => na.ball.r >= nb.ball.r,
            };
            if split_route {
                for k in na.kids() {
                    s.pair(rt, k, b, &mut heap);
                }
            } else {
                for k in nb.kids() {
                    s.pair(rt, a, k, &mut heap);
                }
            }
        }
        let b = s.best;
        LineZone {
            distance_m: b.d,
            point: b.point,
            chainage_m: self.chainage(self.line_of(b.v), b.pos),
            zone_point: b.zone_point,
        }
    }
}
