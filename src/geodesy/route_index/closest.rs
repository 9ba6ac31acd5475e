//! The closest approach of a route to a zone: near (pieces searched exactly, meetings in
//! chainage order) and far (branch and bound over blocks and edges), and the least distance
//! between two routes' pieces (co-location).

use super::*;
use rstar::Envelope;

/// Blocks whose vertices seed the far search on balls ([`RouteGeom::closest_balls`]).
const SEED_BLOCKS: usize = 2;

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
            // Beyond the reach of chord bounds: geodesic balls, from the vertex of least chord
            // distance in the blocks whose boxes come nearest (a true distance to a point of
            // the zone, within chord bounds' reach of the least, so that the search prunes
            // from its first step).
            let seed = order
                .iter()
                .take(SEED_BLOCKS)
                .flat_map(|&(_, bi)| self.block_vertices(bi))
                .map(|v| (z.chord_distance(self.pts[v], self.ecef[v]), v))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .map(|(_, v)| {
                    let (_, g, q) = z.fast_nearest(self.pts[v], self.ecef[v]);
                    (v, g, q)
                });
            return self.closest_balls(z, best, seed);
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

/// Pieces in one box of a [`PieceSet`].
const SET_BLOCK: usize = 16;

/// The pieces of one route near a zone, prepared for [`PieceSet::distance`] to the pieces of
/// other routes: runs of [`SET_BLOCK`] consecutive pieces with the ECEF box of their chords and
/// the lon/lat box of their segments, which prune whole runs before any piece is looked at.
pub(crate) struct PieceSet<'p> {
    pieces: &'p [Piece],
    /// (ECEF box, lon/lat box) of each run.
    boxes: Vec<RunBoxes>,
}

/// The ECEF box of a run's chords and the lon/lat box of its segments.
type RunBoxes = (AABB<[f64; 3]>, AABB<[f64; 2]>);

/// Least distance from a point to a 3-D box.
fn box_distance(b: &AABB<[f64; 3]>, e: &[f64; 3]) -> f64 {
    b.distance_2(e).sqrt()
}

impl<'p> PieceSet<'p> {
    pub(crate) fn new(pieces: &'p [Piece]) -> PieceSet<'p> {
        let boxes = pieces
            .chunks(SET_BLOCK)
            .map(|run| {
                let e = AABB::from_points(run.iter().flat_map(|p| [&p.ea, &p.eb]));
                (e, lonlat_box(run.iter().map(|p| (p.a, p.b))))
            })
            .collect();
        PieceSet { pieces, boxes }
    }

    /// The pieces of run `r` with their indices.
    fn run(&self, r: usize) -> impl Iterator<Item = (usize, &Piece)> + '_ {
        let start = r * SET_BLOCK;
        let end = (start + SET_BLOCK).min(self.pieces.len());
        (start..end).map(move |k| (k, &self.pieces[k]))
    }

    /// The chord of this set nearest the ECEF point `e`: (chord distance, piece). Exact ties go
    /// to the piece of least index.
    fn nearest_chord(&self, e: &[f64; 3]) -> Option<(f64, usize)> {
        // The run whose box is nearest first, then every other run whose box is not farther
        // than the best chord so far (ties included, for the least index): the runs a search in
        // order of box distance would open, without sorting them.
        let gap = |r: usize| box_distance(&self.boxes[r].0, e);
        let (_, first) = (0..self.boxes.len())
            .map(|r| (gap(r), r))
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        let mut best: Option<(f64, usize)> = None;
        let scan = |r: usize, best: &mut Option<(f64, usize)>| {
            for (k, p) in self.run(r) {
                let c = dist3(RLine::new(p.ea, p.eb).nearest_point(e), *e);
                if best.is_none_or(|b| c < b.0 || (c == b.0 && k < b.1)) {
                    *best = Some((c, k));
                }
            }
        };
        scan(first, &mut best);
        for r in 0..self.boxes.len() {
            if r != first && best.is_none_or(|b| gap(r) <= b.0) {
                scan(r, &mut best);
            }
        }
        best
    }

    /// The candidates of the search from this set's piece ends to `other`'s chords whose chord
    /// could be within `window` of the least one: (chord, order of the end among this set's,
    /// the end, the other set's piece). Runs whose box is farther than the least chord found so
    /// far plus `window` from every box of `other` are not queried; `best` is that least chord,
    /// lowered as ends are.
    fn candidates(
        &self,
        other: &PieceSet,
        window: f64,
        best: &mut f64,
    ) -> Vec<(f64, usize, Point<f64>, usize)> {
        let mut order: Vec<(f64, usize)> = self
            .boxes
            .iter()
            .enumerate()
            .map(|(r, b)| {
                let gap = other
                    .boxes
                    .iter()
                    .map(|o| aabb_gap(&b.0, &o.0))
                    .fold(f64::INFINITY, f64::min);
                (gap, r)
            })
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut out = Vec::new();
        for (gap, r) in order {
            if gap > *best + window {
                break;
            }
            // The last end queried and its answer.
            let mut prev: Option<Point<f64>> = None;
            let mut n: Option<(f64, usize)> = None;
            for (k, p) in self.run(r) {
                for (i, (v, e)) in [(p.a, p.ea), (p.b, p.eb)].into_iter().enumerate() {
                    // Consecutive pieces share an end: query it once.
                    if prev != Some(v) {
                        n = other.nearest_chord(&e);
                    }
                    prev = Some(v);
                    if let Some((c, j)) = n {
                        *best = best.min(c);
                        out.push((c, 2 * k + i, v, j));
                    }
                }
            }
        }
        out
    }

    /// Least geodesic distance between these pieces and `other`'s, with the point on these.
    /// Crossings first (the one of least chainage here); otherwise candidates (each piece end →
    /// the nearest chord of the other set, both ways) within [`ROUTE_DENSIFY_M`] of the least
    /// chord, refined geodesically with [`point_piece`] in order of chord distance while a
    /// candidate's chord, turned into a geodesic lower bound, can still beat the best.
    pub(crate) fn distance(&self, other: &PieceSet) -> Option<(f64, Point<f64>)> {
        let (pa, pb) = (self.pieces, other.pieces);
        for (r, (_, fa)) in self.boxes.iter().enumerate() {
            let hits: Vec<usize> = (0..other.boxes.len())
                .filter(|&o| other.boxes[o].1.intersects(fa))
                .collect();
            if hits.is_empty() {
                continue;
            }
            for (_, p) in self.run(r) {
                let env = AABB::from_corners([p.a.x(), p.a.y()], [p.b.x(), p.b.y()]);
                let hit = hits
                    .iter()
                    .filter(|&&o| other.boxes[o].1.intersects(&env))
                    .flat_map(|&o| other.run(o))
                    .filter(|(_, q)| {
                        AABB::from_corners([q.a.x(), q.a.y()], [q.b.x(), q.b.y()]).intersects(&env)
                    })
                    .filter_map(|(_, q)| segment_intersection(p.a, p.b, q.a, q.b))
                    .min_by(f64::total_cmp);
                if let Some(t) = hit {
                    return Some((0.0, along(p.a, p.b, t * p.len)));
                }
            }
        }
        // Only candidates within this of the least chord are refined.
        let window = ROUTE_DENSIFY_M + 1.0;
        let mut best_c = f64::INFINITY;
        // (chord, query on self, order of the end, the end, the other set's piece), in the order
        // of the search before the runs: self's ends, then other's, by chord distance.
        let mut cands: Vec<(f64, bool, usize, Point<f64>, usize)> = Vec::new();
        let from_a = self.candidates(other, window, &mut best_c);
        let from_b = other.candidates(self, window, &mut best_c);
        cands.extend(from_a.into_iter().map(|(c, o, v, k)| (c, true, o, v, k)));
        cands.extend(from_b.into_iter().map(|(c, o, v, k)| (c, false, o, v, k)));
        cands.sort_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
        let best_c = cands.first()?.0;
        let mut best: Option<(f64, Point<f64>)> = None;
        for (c, on_a, _, p, k) in cands.into_iter().take(64) {
            if c > best_c + window {
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
