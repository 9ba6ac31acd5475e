//! The closest approach of a route to a zone: near (pieces searched exactly, meetings in
//! chainage order) and far (branch and bound over blocks and edges), and the least distance
//! between two routes' pieces (co-location).

use super::*;

impl RouteGeom {
    /// Least geodesic distance from the route to the zone (see [`super::line_zone_distance`]).
    ///
    /// ```
    /// use corridor::geodesy::{RouteGeom, ZoneIndex};
    /// use geo::{line_string, Geometry, Point};
    ///
    /// // A route north along the meridian 45° E from 40° to 42° N, and a point zone at 43° N on
    /// // the same meridian: the closest point is the route's end, one meridian degree away,
    /// // 111,083.004 m (python geographiclib, Geodesic.WGS84.Inverse(42, 45, 43, 45)).
    /// let route = RouteGeom::new(&[line_string![(x: 45.0, y: 40.0), (x: 45.0, y: 42.0)]]);
    /// let zone = ZoneIndex::new(&Geometry::Point(Point::new(45.0, 43.0)));
    /// let m = route.min_distance(&zone);
    /// assert!((m.distance_m - 111_083.004).abs() < 0.01);
    /// assert!((m.chainage_m - route.length_m).abs() < 0.01);
    /// ```
    pub fn min_distance(&self, z: &ZoneIndex) -> LineZone {
        self.closest(z, &self.near(z, NEAR_MARGIN_M, &[]), NEAR_MARGIN_M)
    }

    /// The closest approach, from the near blocks when they hold a vertex within `radius_m`
    /// (then no other block can come closer), else by branch and bound over all blocks.
    pub(crate) fn closest(&self, z: &ZoneIndex, near: &Near, radius_m: f64) -> LineZone {
        let none = LineZone {
            distance_m: f64::INFINITY,
            point: self
                .pts
                .first()
                .copied()
                .unwrap_or(Point::new(f64::NAN, f64::NAN)),
            chainage_m: 0.0,
            zone_point: Point::new(f64::NAN, f64::NAN),
        };
        if self.edges.is_empty() {
            // Routes of single points only.
            let mut best = none;
            for (v, p) in self.pts.iter().enumerate() {
                let (d, q) = z.nearest(*p);
                if d < best.distance_m {
                    best = LineZone {
                        distance_m: d,
                        point: *p,
                        chainage_m: self.chainage(self.line_of(v), self.ch[v]),
                        zone_point: q,
                    };
                }
            }
            return best;
        }
        // (The vertex distances may understate by centimetres: a metre of margin.)
        if near.upper() + 1.0 <= radius_m {
            self.closest_near(z, near, none)
        } else {
            self.closest_far(z, none)
        }
    }

    /// The closest approach among the near blocks' dense pieces: every piece that could hold
    /// it (chord lower bound within the slack of the best chord) is searched exactly
    /// ([`ZoneIndex::piece_distance_by`]), meetings first, in order of the least chainage each
    /// piece can hold, so that the meeting point reported is the one of least chainage.
    fn closest_near(&self, z: &ZoneIndex, near: &Near, mut best: LineZone) -> LineZone {
        let best_c = near
            .blocks
            .iter()
            .flat_map(|b| b.c.iter().copied())
            .fold(f64::INFINITY, f64::min);
        if !best_c.is_finite() {
            return best;
        }
        let limit = best_c + candidate_slack(best_c);
        // Candidate pieces with their lower bound, in route order. Chord distance to the
        // zone is 1-Lipschitz along a piece and bounds the geodesic distance from below, so at
        // offset t the distance is at least max(cu - t, cv - (len - t)) >= (cu + cv - len) / 2.
        let cands: Vec<(f64, (usize, usize))> = near
            .pieces()
            .filter_map(|(i, k)| {
                let b = &near.blocks[i];
                let lb = (b.c[k] + b.c[k + 1] - b.dense.plen[k]) / 2.0;
                (lb <= limit).then_some((lb, (i, k)))
            })
            .collect();
        // Adjacent pieces share ends: each end's exact distance to the zone is computed once.
        type Ends = HashMap<(usize, usize), (f64, Point<f64>)>;
        let ends: RefCell<Ends> = Default::default();
        // Searched from its end `b` (`rev`), a piece gives the meeting point nearest that end.
        let eval_from = |(i, k): (usize, usize), rev: bool| {
            let b = &near.blocks[i];
            let d = b.dense;
            let mut nearest = |p: Point<f64>| {
                let v = if p == d.pts[k] { k } else { k + 1 };
                *ends
                    .borrow_mut()
                    .entry((i, v))
                    .or_insert_with(|| z.nearest(p))
            };
            let (ka, kb) = if rev { (k + 1, k) } else { (k, k + 1) };
            let (dist, q, off, zq) =
                z.piece_distance_by(d.pts[ka], d.pts[kb], b.c[ka], b.c[kb], 0.0, &mut nearest);
            let pos = if rev { d.ch[ka] - off } else { d.ch[ka] + off };
            LineZone {
                distance_m: dist,
                point: q,
                chainage_m: self.chainage(self.block_line(b.bi), pos),
                zone_point: zq,
            }
        };
        let eval = |at: (usize, usize)| eval_from(at, false);
        // Meetings, in order of the least chainage on each piece; on a piece whose chainage
        // does not grow all along it (a branch reached from its far end, or the far side of a
        // loop), the meeting nearest either end may come first.
        let mut meets: Vec<(f64, bool, (usize, usize))> = cands
            .iter()
            .filter(|c| c.0 <= MEET_M)
            .map(|&(_, (i, k))| {
                let (b, l) = (&near.blocks[i], self.block_line(near.blocks[i].bi));
                let (pa, pb) = (b.dense.ch[k], b.dense.ch[k + 1]);
                let rising = self.chainage(l, pb) - self.chainage(l, pa) >= pb - pa - 1e-6;
                (self.least_chainage(l, pa, pb), rising, (i, k))
            })
            .collect();
        meets.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        let mut met: Option<LineZone> = None;
        for (least, rising, at) in meets {
            if met.is_some_and(|m| least >= m.chainage_m) {
                break;
            }
            let first = [false, true].into_iter().take(if rising { 1 } else { 2 });
            for r in first.map(|rev| eval_from(at, rev)) {
                if r.distance_m == 0.0 && met.is_none_or(|m| r.chainage_m < m.chainage_m) {
                    met = Some(r);
                }
            }
        }
        if let Some(m) = met {
            return m;
        }
        let mut sorted = cands;
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (lb, (i, k)) in sorted {
            // Far from the zone the distance along the route is flat near its minimum, so many
            // pieces come close to the best; there a result within the tolerance is enough.
            let tol = tolerance(best.distance_m);
            if geodesic_lower_bound(lb) > best.distance_m - tol {
                break;
            }
            // The Lipschitz bound above can be half a piece short; the chord-to-chord one is
            // tight to metres and spares the exact search of pieces that cannot win.
            let (b, p) = (&near.blocks[i], near.blocks[i].dense.piece(k));
            if best.distance_m.is_finite()
                && b.c[k] > 0.0
                && b.c[k + 1] > 0.0
                && z.piece_lower_bound(p.ea, p.eb, p.len, best.distance_m) > best.distance_m - tol
            {
                continue;
            }
            let r = eval((i, k));
            if r.distance_m < best.distance_m - 1e-6
                || (r.distance_m <= best.distance_m + 1e-6 && r.chainage_m < best.chainage_m)
            {
                best = r;
            }
        }
        best
    }

    /// The closest approach of a route that comes nowhere near the zone, on the route's own
    /// edges: blocks in order of their boxes' distance, each giving chord lower bounds per edge
    /// and one geodesic upper bound, until no block can beat the best; then the candidate edges
    /// in order of their lower bounds are searched exactly, to [`tolerance`].
    fn closest_far(&self, z: &ZoneIndex, mut best: LineZone) -> LineZone {
        let mut order: Vec<(f64, usize)> = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| (geodesic_lower_bound(aabb_gap(&b.env, &z.envelope)), i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if order.first().is_some_and(|o| o.0 > BALL_M) {
            // Beyond the reach of chord bounds: geodesic balls.
            return self.closest_balls(z, best);
        }
        let mut upper = f64::INFINITY;
        // (lower bound, edge, chord distance of its ends)
        let mut cands: Vec<(f64, usize, f64, f64)> = Vec::new();
        for (lb, bi) in order {
            if lb > upper - tolerance(upper) / 2.0 {
                break;
            }
            let vs = self.block_vertices(bi);
            let first = *vs.start();
            let c: Vec<f64> = vs
                .map(|v| z.chord_distance(self.pts[v], self.ecef[v]))
                .collect();
            if let Some((i, _)) = c
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
            {
                let v = first + i;
                let (_, g, q) = z.fast_nearest(self.pts[v], self.ecef[v]);
                if g < upper {
                    upper = g;
                    // A true distance from a route vertex to a zone point: the search below
                    // starts from it and stops once nothing can beat it by the tolerance.
                    best = LineZone {
                        distance_m: g,
                        point: self.pts[v],
                        chainage_m: self.chainage(self.line_of(v), self.ch[v]),
                        zone_point: q,
                    };
                }
            }
            for k in self.blocks[bi].edges.clone() {
                let (cu, cv) = (c[self.edges[k] - first], c[self.edges[k] + 1 - first]);
                let len = geodesic_upper_bound(dist3(
                    self.ecef[self.edges[k]],
                    self.ecef[self.edges[k] + 1],
                ))
                .max(self.elen[k]);
                cands.push((geodesic_lower_bound((cu + cv - len) / 2.0), k, cu, cv));
            }
        }
        if !upper.is_finite() {
            // An empty zone: nothing to be near.
            return best;
        }
        cands.retain(|x| x.0 <= upper);
        cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        // Half the tolerance for pruning edges, half for searching each one.
        let tol = tolerance(upper) / 2.0;
        let mut ends: HashMap<usize, (f64, Point<f64>)> = HashMap::new();
        for (lb, k, cu, cv) in cands {
            if lb > best.distance_m - tolerance(best.distance_m) / 2.0 {
                break;
            }
            let u = self.edges[k];
            let len = self.elen[k];
            let bound = z.piece_lower_bound(self.ecef[u], self.ecef[u + 1], len, best.distance_m);
            if bound > best.distance_m - tolerance(best.distance_m) / 2.0 {
                continue;
            }
            let mut nearest = |p: Point<f64>| {
                let v = if p == self.pts[u] { u } else { u + 1 };
                *ends.entry(v).or_insert_with(|| z.nearest_tol(p, tol))
            };
            let (d, q, off, zq) =
                z.piece_distance_by(self.pts[u], self.pts[u + 1], cu, cv, tol, &mut nearest);
            let ch = self.chainage(self.line_of(u), self.ch[u] + off);
            if d < best.distance_m - 1e-6 || (d <= best.distance_m + 1e-6 && ch < best.chainage_m) {
                best = LineZone {
                    distance_m: d,
                    point: q,
                    chainage_m: ch,
                    zone_point: zq,
                };
            }
        }
        best
    }
}

/// The pieces of one route near a zone, prepared for [`PieceSet::distance`] to the pieces of
/// other routes: R-trees of their ECEF chords and of their lon/lat segments, and their distinct
/// ends (consecutive pieces share one).
pub(crate) struct PieceSet<'p> {
    pieces: &'p [Piece],
    chords: RTree<GeomWithData<RLine<[f64; 3]>, usize>>,
    flat: RTree<GeomWithData<RLine<[f64; 2]>, usize>>,
    /// Each piece end in order (a, b of piece 0, a, b of piece 1, …) as an index into `ends`.
    end_of: Vec<usize>,
    /// The distinct ends: (lon/lat, ECEF).
    ends: Vec<(Point<f64>, [f64; 3])>,
}

impl<'p> PieceSet<'p> {
    pub(crate) fn new(pieces: &'p [Piece]) -> PieceSet<'p> {
        let chords = RTree::bulk_load(
            pieces
                .iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(RLine::new(p.ea, p.eb), i))
                .collect::<Vec<_>>(),
        );
        let flat = RTree::bulk_load(
            pieces
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    GeomWithData::new(RLine::new([p.a.x(), p.a.y()], [p.b.x(), p.b.y()]), i)
                })
                .collect::<Vec<_>>(),
        );
        let mut ends: Vec<(Point<f64>, [f64; 3])> = Vec::new();
        let mut end_of = Vec::with_capacity(2 * pieces.len());
        for p in pieces {
            for (v, e) in [(p.a, p.ea), (p.b, p.eb)] {
                if ends.last().is_none_or(|l| l.0 != v) {
                    ends.push((v, e));
                }
                end_of.push(ends.len() - 1);
            }
        }
        PieceSet {
            pieces,
            chords,
            flat,
            end_of,
            ends,
        }
    }

    /// Each piece end of this set (in order, shared ends repeated) with its nearest chord of
    /// `other`: (chord distance, the end, that chord's piece).
    fn nearest_in(&self, other: &PieceSet) -> Vec<(f64, Point<f64>, usize)> {
        let near: Vec<Option<(f64, usize)>> = self
            .ends
            .iter()
            .map(|(_, e)| {
                other
                    .chords
                    .nearest_neighbor(e)
                    .map(|n| (dist3(n.geom().nearest_point(e), *e), n.data))
            })
            .collect();
        self.end_of
            .iter()
            .filter_map(|&i| near[i].map(|(c, k)| (c, self.ends[i].0, k)))
            .collect()
    }

    /// Least geodesic distance between these pieces and `other`'s, with the point on these.
    /// Crossings first (the one of least chainage here); otherwise candidates from the R-trees
    /// (each piece end → the nearest chord of the other set, both ways), refined geodesically
    /// with [`point_piece`] in order of chord distance while a candidate's chord, turned into a
    /// geodesic lower bound, can still beat the best.
    pub(crate) fn distance(&self, other: &PieceSet) -> Option<(f64, Point<f64>)> {
        let (pa, pb) = (self.pieces, other.pieces);
        for p in pa {
            let env = AABB::from_corners([p.a.x(), p.a.y()], [p.b.x(), p.b.y()]);
            let hit = other
                .flat
                .locate_in_envelope_intersecting(&env)
                .filter_map(|e| segment_intersection(p.a, p.b, pb[e.data].a, pb[e.data].b))
                .min_by(f64::total_cmp);
            if let Some(t) = hit {
                return Some((0.0, along(p.a, p.b, t * p.len)));
            }
        }
        // (chord, query point, index of the piece on the other set, is the query on self)
        let mut cands: Vec<(f64, Point<f64>, usize, bool)> = Vec::new();
        cands.extend(
            self.nearest_in(other)
                .into_iter()
                .map(|(c, v, k)| (c, v, k, true)),
        );
        cands.extend(
            other
                .nearest_in(self)
                .into_iter()
                .map(|(c, v, k)| (c, v, k, false)),
        );
        cands.sort_by(|x, y| x.0.total_cmp(&y.0));
        let best_c = cands.first()?.0;
        let mut best: Option<(f64, Point<f64>)> = None;
        for (c, p, k, on_a) in cands.into_iter().take(64) {
            if c > best_c + ROUTE_DENSIFY_M + 1.0 {
                break;
            }
            // A piece's geodesic lies within its sagitta of its chord (pieces are at most
            // ROUTE_DENSIFY_M long): a candidate whose chord says it is farther than the best
            // cannot win, nor can any after it.
            let lb = geodesic_lower_bound((c - sagitta(ROUTE_DENSIFY_M)).max(0.0));
            if best.is_some_and(|(bd, _)| lb > bd) {
                break;
            }
            let (d, point_on_a) = if on_a {
                (point_piece(p, pb[k].a, pb[k].b).0, p)
            } else {
                let (d, q, _) = point_piece(p, pa[k].a, pa[k].b);
                (d, q)
            };
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, point_on_a));
            }
        }
        best
    }
}
