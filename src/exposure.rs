//! Corridor × zone exposure: km inside, closest approach (point and chainage), km within each
//! distance band, co-location of corridors inside a zone, the exposed stretches as GeoJSON, and
//! the distance profile along a route.
//!
//! How it is computed, and why it holds the contract's accuracy (0.5 % or 0.2 km):
//! - Each corridor's segments, in file order, make one route at its own vertices; chainage
//!   accumulates the geodesic length of every edge from the upstream end of the first segment.
//!   The edges are grouped in blocks of a few kilometres ([`BLOCK`], [`BLOCK_M`]), each with an
//!   ECEF box grown by its edges' sagitta, so that the box's gap to a zone's box bounds the
//!   distance of everything in the block from below.
//! - Blocks within the widest band (plus [`NEAR_MARGIN_M`]) of a zone are densified along their
//!   geodesics to pieces of at most [`ROUTE_DENSIFY_M`] (250 m; once, shared by all zones), and
//!   every dense vertex gets its distance to the zone (from its ECEF chord distance to the
//!   zone's pieces, within about 10 cm of the geodesic one). Nothing else is densified, so the
//!   cost grows with the route length *near* each zone, not with all pairs.
//! - `within_km`: along each 250 m piece the distance is taken as linear between its ends; the
//!   part under the band is summed. The distance along a piece is 1-Lipschitz, so the error is a
//!   fraction of a piece where the band edge is crossed, far under 0.2 km per crossing.
//! - `min_distance_km`: near a zone, the pieces that could hold the minimum are searched exactly
//!   ([`ZoneIndex::piece_distance_by`]), meetings first in chainage order so that the reported
//!   meeting point is the one of least chainage; pieces are skipped only when a lower bound
//!   (chord to chord, turned into an arc: [`crate::nearest::geodesic_lower_bound`]) shows they
//!   cannot win. A route that comes nowhere near is searched by branch and bound on its blocks
//!   and edges: exact up to 100 km, and beyond that to within 0.1 % (the contract allows 0.5 %),
//!   where the distance along a route is flat near its minimum and an exact search would refine
//!   dozens of edges to move the thousandth of a percent.

use crate::geodesy::{densify, densify_edge, length_inside_m, length_m};
use crate::load::Source;
use crate::model::{Commodity, Network, Zone};
use crate::nearest::{
    aabb_gap, candidate_slack, dist3, ecef, geodesic_lower_bound, geodesic_upper_bound, grow,
    point_piece, sagitta, segment_intersection, LineZone, ZoneIndex, MEET_M, ROUTE_DENSIFY_M,
};
use crate::output::{self, round, Report};
use geo::{
    Bearing, BooleanOps, Destination, Distance, Geodesic, LineString, MultiLineString, Point,
};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{RTree, AABB};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Most samples `corridor profile` takes (a guard against a tiny `--step` exhausting memory).
pub const MAX_SAMPLES: usize = 1_000_000;

/// The default distance bands, km. They follow the reach of the weapons deployed along the
/// Armenia–Azerbaijan line, by approximate published ranges: 10 km for mortars and direct
/// fire, 20 km for tube artillery and the BM-21 Grad (about 20 km), 40 km for extended-range
/// rockets and the BM-27 Uragan class (about 35 km), 70 km for long-range rocket artillery of
/// the BM-30 Smerch class (about 70 km). The README gives the sources.
pub const DEFAULT_BANDS_KM: [f64; 4] = [10.0, 20.0, 40.0, 70.0];

/// Most route edges in one pruning block.
pub const BLOCK: usize = 32;

/// A block also ends once its edges' chords add up to this many metres, so that a block is a
/// few kilometres of route whatever the vertex spacing (one longer edge makes a block alone).
pub const BLOCK_M: f64 = 16_000.0;

/// Route blocks whose boxes are within the widest band plus this margin (metres) of a zone are
/// densified and measured vertex by vertex; the rest only bound the closest approach.
pub const NEAR_MARGIN_M: f64 = 2_000.0;

/// Beyond this distance the closest approach is refined to [`FAR_REL_TOL`], not exactly.
const FAR_M: f64 = 100_000.0;
/// Relative tolerance of far closest approaches (the contract allows 0.5 %).
const FAR_REL_TOL: f64 = 1e-3;

/// The tolerance to which a closest approach of `d` metres is refined: exact within
/// [`FAR_M`], [`FAR_REL_TOL`] beyond.
fn tolerance(d: f64) -> f64 {
    if d > FAR_M && d.is_finite() {
        FAR_REL_TOL * d
    } else {
        0.0
    }
}

/// A route (a corridor's segments in file order) prepared for zone queries.
///
/// The route is kept at its own vertices, cut into blocks of a few kilometres with ECEF boxes;
/// a block is densified to [`ROUTE_DENSIFY_M`] pieces only when some zone comes near it (and
/// then once for all zones), so a network of millions of vertices costs one geodesic length per
/// edge plus the parts near zones.
#[derive(Debug, Clone)]
pub struct RouteGeom {
    pts: Vec<Point<f64>>,
    ecef: Vec<[f64; 3]>,
    /// Chainage of each vertex, metres.
    ch: Vec<f64>,
    /// Edge k joins vertex `edges[k]` and `edges[k] + 1`.
    edges: Vec<usize>,
    /// Geodesic length of each edge, metres.
    elen: Vec<f64>,
    blocks: Vec<Block>,
    /// Each segment's vertices and blocks (for clipping by polygons).
    lines: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    /// Total geodesic length, metres.
    pub length_m: f64,
}

/// A run of consecutive edges of one segment.
#[derive(Debug, Clone)]
struct Block {
    edges: std::ops::Range<usize>,
    /// ECEF box of its vertices grown by the largest sagitta of its edges: it holds the
    /// geodesic edges themselves, so its gap to a zone's box bounds their distance from below.
    env: AABB<[f64; 3]>,
    dense: OnceLock<Dense>,
}

/// A block densified to pieces of at most [`ROUTE_DENSIFY_M`]; piece i joins points i and i+1.
#[derive(Debug, Clone)]
struct Dense {
    pts: Vec<Point<f64>>,
    ecef: Vec<[f64; 3]>,
    ch: Vec<f64>,
    plen: Vec<f64>,
}

impl Dense {
    /// Point at fraction `t` of piece `k` (along its geodesic).
    fn at(&self, k: usize, t: f64) -> Point<f64> {
        along(self.pts[k], self.pts[k + 1], t * self.plen[k])
    }

    fn piece(&self, k: usize) -> Piece {
        Piece {
            a: self.pts[k],
            b: self.pts[k + 1],
            ea: self.ecef[k],
            eb: self.ecef[k + 1],
            len: self.plen[k],
        }
    }
}

/// The point `s` metres from `a` along the geodesic towards `b`.
fn along(a: Point<f64>, b: Point<f64>, s: f64) -> Point<f64> {
    if s <= 0.0 {
        a
    } else {
        Geodesic.destination(a, Geodesic.bearing(a, b), s)
    }
}

/// One short geodesic route piece, with its ends in ECEF.
#[derive(Debug, Clone, Copy)]
struct Piece {
    a: Point<f64>,
    b: Point<f64>,
    ea: [f64; 3],
    eb: [f64; 3],
    len: f64,
}

/// The densified blocks of a route near one zone, with each dense vertex's distances to it.
struct Near<'r> {
    blocks: Vec<NearBlock<'r>>,
}

struct NearBlock<'r> {
    /// Index of the block in the route.
    bi: usize,
    dense: &'r Dense,
    /// Chord (ECEF straight-line) distance of each dense vertex: a lower bound on `g`.
    c: Vec<f64>,
    /// Geodesic distance of each dense vertex to the zone (0 inside), from its chord distance
    /// (see [`RouteGeom::near`]).
    g: Vec<f64>,
}

impl Near<'_> {
    /// The least vertex distance (the closest approach to within centimetres), infinite if none.
    fn upper(&self) -> f64 {
        self.blocks
            .iter()
            .flat_map(|b| b.g.iter().copied())
            .fold(f64::INFINITY, f64::min)
    }

    /// Every piece with its block's position in `blocks` and its index in the block, in
    /// chainage order.
    fn pieces(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| (0..b.dense.plen.len()).map(move |k| (i, k)))
    }
}

impl RouteGeom {
    /// Prepares the route made of `lines` in order (chainage runs through them in that order).
    pub fn new(lines: &[LineString<f64>]) -> RouteGeom {
        let mut r = RouteGeom {
            pts: Vec::new(),
            ecef: Vec::new(),
            ch: Vec::new(),
            edges: Vec::new(),
            elen: Vec::new(),
            blocks: Vec::new(),
            lines: Vec::new(),
            length_m: 0.0,
        };
        let mut total = 0.0;
        for line in lines {
            let start = r.pts.len();
            for (i, c) in line.0.iter().enumerate() {
                let p = Point(*c);
                let e = ecef(p);
                if i > 0 {
                    let len = Geodesic.distance(r.pts[start + i - 1], p);
                    r.edges.push(start + i - 1);
                    r.elen.push(len);
                    total += len;
                }
                r.pts.push(p);
                r.ecef.push(e);
                r.ch.push(total);
            }
            r.lines.push((start..r.pts.len(), 0..0));
        }
        r.length_m = total;
        let mut k = 0;
        while k < r.edges.len() {
            // A block never spans two segments, so its edges join contiguous vertices.
            let mut end = k + 1;
            let mut run = dist3(r.ecef[r.edges[k]], r.ecef[r.edges[k] + 1]);
            while end < r.edges.len()
                && end - k < BLOCK
                && run < BLOCK_M
                && r.edges[end] == r.edges[end - 1] + 1
            {
                run += dist3(r.ecef[r.edges[end]], r.ecef[r.edges[end] + 1]);
                end += 1;
            }
            let sag = r.elen[k..end]
                .iter()
                .map(|l| sagitta(*l))
                .fold(0.0, f64::max);
            let env = AABB::from_points(r.ecef[r.edges[k]..=r.edges[end - 1] + 1].iter());
            r.blocks.push(Block {
                edges: k..end,
                env: grow(env, sag),
                dense: OnceLock::new(),
            });
            k = end;
        }
        // Each segment's blocks (blocks never span two segments).
        for (vs, bs) in &mut r.lines {
            let first = r
                .blocks
                .partition_point(|b| r.edges[b.edges.start] < vs.start);
            let last = r
                .blocks
                .partition_point(|b| r.edges[b.edges.start] < vs.end);
            *bs = first..last;
        }
        r
    }

    /// The vertices of block `bi` (its edges join consecutive ones).
    fn block_vertices(&self, bi: usize) -> std::ops::RangeInclusive<usize> {
        let e = &self.blocks[bi].edges;
        self.edges[e.start]..=self.edges[e.end - 1] + 1
    }

    /// Block `bi` densified (computed on first use, then shared by every zone).
    fn dense(&self, bi: usize) -> &Dense {
        self.blocks[bi].dense.get_or_init(|| {
            let vs = self.block_vertices(bi);
            let start = *vs.start();
            let mut pts = vec![self.pts[start]];
            let mut plen = Vec::new();
            for k in self.blocks[bi].edges.clone() {
                let u = self.edges[k];
                let (a, b) = (self.pts[u], self.pts[u + 1]);
                densify_edge(a, b, self.elen[k], ROUTE_DENSIFY_M, &mut pts, &mut plen);
            }
            let mut ch = Vec::with_capacity(pts.len());
            let mut s = self.ch[start];
            ch.push(s);
            for l in &plen {
                s += l;
                ch.push(s);
            }
            Dense {
                ecef: pts.iter().map(|p| ecef(*p)).collect(),
                pts,
                ch,
                plen,
            }
        })
    }

    /// The blocks within `radius_m` of `z`, densified, with every dense vertex's distances.
    ///
    /// A vertex's geodesic distance is taken from its chord distance to the zone's pieces as
    /// the arc over that chord ([`geodesic_lower_bound`]) rather than by one more inverse
    /// geodesic problem per vertex: the zone's 2 km chords lie within 8 cm of its geodesic
    /// edges, and the arc is within 2 % of c³/24ρ² of the geodesic (7 mm at 70 km), so the value
    /// is within about 10 cm of the exact distance at band distances, far inside the
    /// interpolation error of the 250 m pieces. Closest approaches are still searched exactly.
    fn near(&self, z: &ZoneIndex, radius_m: f64) -> Near<'_> {
        let blocks = (0..self.blocks.len())
            .filter(|&bi| aabb_gap(&self.blocks[bi].env, &z.envelope) <= radius_m)
            .map(|bi| {
                let dense = self.dense(bi);
                let c: Vec<f64> = dense
                    .pts
                    .iter()
                    .zip(&dense.ecef)
                    .map(|(p, e)| z.chord_distance(*p, *e))
                    .collect();
                let g = c.iter().map(|c| geodesic_lower_bound(*c)).collect();
                NearBlock { bi, dense, c, g }
            })
            .collect();
        Near { blocks }
    }

    /// Least geodesic distance from the route to the zone (see [`crate::nearest::line_zone_distance`]).
    pub fn min_distance(&self, z: &ZoneIndex) -> LineZone {
        self.closest(z, &self.near(z, NEAR_MARGIN_M), NEAR_MARGIN_M)
    }

    /// The closest approach, from the near blocks when they hold a vertex within `radius_m`
    /// (then no other block can come closer), else by branch and bound over all blocks.
    fn closest(&self, z: &ZoneIndex, near: &Near, radius_m: f64) -> LineZone {
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
                        chainage_m: self.ch[v],
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
    /// ([`ZoneIndex::piece_distance_by`]), meetings first in chainage order so that the meeting
    /// point reported is the one of least chainage.
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
        // Candidate pieces with their lower bound, in chainage order. Chord distance to the
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
        let eval = |(i, k): (usize, usize)| {
            let b = &near.blocks[i];
            let d = b.dense;
            let mut nearest = |p: Point<f64>| {
                let v = if p == d.pts[k] { k } else { k + 1 };
                *ends
                    .borrow_mut()
                    .entry((i, v))
                    .or_insert_with(|| z.nearest(p))
            };
            let (dist, q, off, zq) = z.piece_distance_by(
                d.pts[k],
                d.pts[k + 1],
                b.c[k],
                b.c[k + 1],
                0.0,
                &mut nearest,
            );
            LineZone {
                distance_m: dist,
                point: q,
                chainage_m: d.ch[k] + off,
                zone_point: zq,
            }
        };
        for &(lb, at) in &cands {
            if lb <= MEET_M {
                let r = eval(at);
                if r.distance_m == 0.0 {
                    return r;
                }
            }
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
                        chainage_m: self.ch[v],
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
            if d < best.distance_m - 1e-6
                || (d <= best.distance_m + 1e-6 && self.ch[u] + off < best.chainage_m)
            {
                best = LineZone {
                    distance_m: d,
                    point: q,
                    chainage_m: self.ch[u] + off,
                    zone_point: zq,
                };
            }
        }
        best
    }

    /// The parts (fractions `t0..t1`) of a piece within `d`, with distance linear along it.
    fn piece_within(gu: f64, gv: f64, d: f64) -> Option<(f64, f64)> {
        if gu.is_nan() || gv.is_nan() {
            return None;
        }
        match (gu <= d, gv <= d) {
            (true, true) => Some((0.0, 1.0)),
            (false, false) => None,
            (true, false) => Some((0.0, (d - gu) / (gv - gu))),
            (false, true) => Some(((gu - d) / (gu - gv), 1.0)),
        }
    }

    /// Length (m) of the route within `d` metres of the zone, from the near blocks (a band
    /// never reaches beyond them).
    fn within_m(near: &Near, d: f64) -> f64 {
        near.pieces()
            .filter_map(|(i, k)| {
                let b = &near.blocks[i];
                Self::piece_within(b.g[k], b.g[k + 1], d)
                    .map(|(t0, t1)| (t1 - t0) * b.dense.plen[k])
            })
            .sum()
    }

    /// The route parts within `d` as polylines.
    fn stretches(&self, near: &Near, d: f64) -> Vec<LineString<f64>> {
        let mut out: Vec<LineString<f64>> = Vec::new();
        let mut cur: Vec<Point<f64>> = Vec::new();
        // The route vertex where the current polyline ends, if it ends on a whole piece.
        let mut last_end: Option<(usize, usize)> = None;
        let flush = |cur: &mut Vec<Point<f64>>, out: &mut Vec<LineString<f64>>| {
            if cur.len() >= 2 {
                out.push(LineString::from(std::mem::take(cur)));
            }
            cur.clear();
        };
        for (i, k) in near.pieces() {
            let b = &near.blocks[i];
            let Some((t0, t1)) = Self::piece_within(b.g[k], b.g[k + 1], d) else {
                continue;
            };
            // The piece starts where the last one ended: the same dense vertex, or the first
            // vertex of the block after the one that ended on its last vertex.
            let start = if k == 0 {
                b.bi.checked_sub(1)
                    .filter(|p| {
                        *self.block_vertices(*p).end() == *self.block_vertices(b.bi).start()
                    })
                    .map(|p| (p, self.dense(p).plen.len()))
            } else {
                Some((b.bi, k))
            };
            let continues = t0 == 0.0 && start.is_some() && last_end == start && !cur.is_empty();
            if !continues {
                flush(&mut cur, &mut out);
                cur.push(b.dense.at(k, t0));
            }
            cur.push(b.dense.at(k, t1));
            last_end = (t1 >= 1.0).then_some((b.bi, k + 1));
            if t1 < 1.0 {
                flush(&mut cur, &mut out);
            }
        }
        flush(&mut cur, &mut out);
        out
    }

    /// Pieces "in" the zone: at least one end inside a polygon (`polygons`), else both ends
    /// within `band_m`.
    fn pieces_in(near: &Near, polygons: bool, band_m: f64) -> Vec<Piece> {
        near.pieces()
            .filter(|&(i, k)| {
                let b = &near.blocks[i];
                if polygons {
                    b.c[k] == 0.0 || b.c[k + 1] == 0.0
                } else {
                    b.g[k] <= band_m && b.g[k + 1] <= band_m
                }
            })
            .map(|(i, k)| near.blocks[i].dense.piece(k))
            .collect()
    }

    /// The segments that may enter the zone's polygons, densified.
    fn dense_lines_touching(&self, z: &ZoneIndex) -> Vec<LineString<f64>> {
        self.lines
            .iter()
            .filter(|(_, bs)| {
                self.blocks[bs.clone()]
                    .iter()
                    .any(|b| aabb_gap(&b.env, &z.envelope) <= 0.0)
            })
            .map(|(vs, _)| {
                let line =
                    LineString::from(self.pts[vs.clone()].iter().map(|p| p.0).collect::<Vec<_>>());
                densify(&line, ROUTE_DENSIFY_M)
            })
            .collect()
    }

    /// Length (m) inside the zone's polygons.
    fn inside_m(&self, z: &ZoneIndex) -> f64 {
        self.dense_lines_touching(z)
            .iter()
            .map(|l| length_inside_m(l, &z.area))
            .sum()
    }

    /// Sample along the route at chainage `s` metres.
    fn point_at_chainage(&self, s: f64) -> Option<Point<f64>> {
        if self.edges.is_empty() {
            return self.pts.first().copied();
        }
        let k = self
            .edges
            .partition_point(|&u| self.ch[u] <= s)
            .saturating_sub(1);
        let u = self.edges[k];
        let off = (s - self.ch[u]).clamp(0.0, self.elen[k]);
        Some(if off >= self.elen[k] {
            self.pts[u + 1]
        } else {
            along(self.pts[u], self.pts[u + 1], off)
        })
    }
}

/// The measures of one route against one zone, in metres.
#[derive(Debug, Clone)]
pub struct Measures {
    /// Length inside the zone's polygons (0 without polygons).
    pub inside_m: f64,
    /// Closest approach (distance infinite for an empty zone or route).
    pub closest: LineZone,
    /// (band in km, length within it in metres), bands ascending.
    pub within_m: Vec<(f64, f64)>,
}

/// The bands (km) ascending, each once, as every output lists them.
fn sorted_bands(bands_km: &[f64]) -> Vec<f64> {
    let mut bands = bands_km.to_vec();
    bands.sort_by(f64::total_cmp);
    bands.dedup();
    bands
}

/// Measures `route` against `zone` for the bands (km).
pub fn measure(route: &RouteGeom, zone: &ZoneIndex, bands_km: &[f64]) -> Measures {
    measure_near(route, zone, &sorted_bands(bands_km)).0
}

fn measure_near<'r>(route: &'r RouteGeom, z: &ZoneIndex, bands: &[f64]) -> (Measures, Near<'r>) {
    let radius = bands.last().copied().unwrap_or(0.0) * 1000.0 + NEAR_MARGIN_M;
    let near = route.near(z, radius);
    let closest = route.closest(z, &near, radius);
    // Only a route that meets the zone can run inside it.
    let inside_m = if z.has_polygons() && closest.distance_m == 0.0 {
        route.inside_m(z)
    } else {
        0.0
    };
    let within_m = bands
        .iter()
        .map(|b| (*b, RouteGeom::within_m(&near, b * 1000.0)))
        .collect();
    (
        Measures {
            inside_m,
            closest,
            within_m,
        },
        near,
    )
}

/// One row of `corridor exposure`.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    pub corridor: String,
    pub zone: String,
    pub inside_km: f64,
    /// Null when the zone or route is empty.
    pub min_distance_km: Option<f64>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub chainage_km: Option<f64>,
    /// Band (as written, `"10"`, `"2.5"`) → km of route within it.
    pub within_km: Map<String, Value>,
    pub capacity: Option<f64>,
    pub capacity_unit: Option<&'static str>,
}

/// One pair of corridors inside a zone.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub min_distance_km: f64,
    /// The point on `a` closest to `b`.
    pub lon: f64,
    pub lat: f64,
}

/// Everything `corridor exposure` computes.
#[derive(Debug, Clone, Default)]
pub struct ExposureResult {
    pub rows: Vec<Exposure>,
    /// Zone id → pairs of corridors that cross it (zones in input order).
    pub colocation: Vec<(String, Vec<Pair>)>,
    /// GeoJSON features of the exposed stretches (when asked for).
    pub stretches: Vec<Value>,
}

/// A band value as written without trailing zeros: `10`, `2.5`.
pub fn band_key(b: f64) -> String {
    format!("{b}")
}

/// A corridor's nameplate as reported: the largest capacity on segments of its dominant
/// commodity, and that commodity's unit.
fn nameplate((commodity, cap): (Commodity, Option<f64>)) -> (Option<f64>, Option<&'static str>) {
    (
        cap.map(|v| round(v, 3)),
        (commodity != Commodity::Unknown).then(|| commodity.unit()),
    )
}

/// The prepared routes of every corridor, in order of first appearance, with their segments in
/// file order (one pass over the segments, so many corridors cost no more than a few).
pub fn prepare_routes(net: &Network) -> Vec<(String, RouteGeom)> {
    let mut order: Vec<String> = Vec::new();
    let mut lines: std::collections::HashMap<&str, Vec<LineString<f64>>> = Default::default();
    for s in &net.segments {
        lines
            .entry(s.corridor.as_str())
            .or_insert_with(|| {
                order.push(s.corridor.clone());
                Vec::new()
            })
            .push(s.line.clone());
    }
    order
        .into_par_iter()
        .map(|c| {
            let g = RouteGeom::new(lines.get(c.as_str()).map_or(&[][..], |v| v.as_slice()));
            (c, g)
        })
        .collect()
}

/// Computes exposure for every corridor of `net` × every zone of `zones`, with `bands_km`
/// (positive, finite; sorted ascending on output). Results do not depend on the thread count:
/// every corridor × zone is computed independently and collected in input order.
pub fn exposure(
    net: &Network,
    zones: &[&Zone],
    bands_km: &[f64],
    with_stretches: bool,
) -> ExposureResult {
    exposure_with_progress(
        net,
        zones,
        bands_km,
        with_stretches,
        &indicatif::ProgressBar::hidden(),
    )
}

/// [`exposure`], advancing `bar` by one for each corridor × zone measured.
pub fn exposure_with_progress(
    net: &Network,
    zones: &[&Zone],
    bands_km: &[f64],
    with_stretches: bool,
    bar: &indicatif::ProgressBar,
) -> ExposureResult {
    let bands = sorted_bands(bands_km);
    let band_min_m = bands.first().copied().unwrap_or(0.0) * 1000.0;
    let routes = prepare_routes(net);
    let all_plates = net.nameplates();
    let plates: Vec<(Option<f64>, Option<&'static str>)> = routes
        .iter()
        .map(|(c, _)| {
            nameplate(
                all_plates
                    .get(c.as_str())
                    .copied()
                    .unwrap_or((Commodity::Unknown, None)),
            )
        })
        .collect();
    let idx: Vec<ZoneIndex> = zones
        .par_iter()
        .map(|z| ZoneIndex::new(&z.geometry))
        .collect();
    let pairs: Vec<(usize, usize)> = (0..routes.len())
        .flat_map(|r| (0..zones.len()).map(move |z| (r, z)))
        .collect();
    struct Cell {
        row: Exposure,
        /// The pieces that make the corridor a member of the zone's co-location (empty when
        /// it is not one).
        members: Vec<Piece>,
        feats: Vec<Value>,
    }
    bar.set_length(pairs.len() as u64);
    bar.set_message("corridor × zone");
    let cells: Vec<Cell> = pairs
        .par_iter()
        .map(|&(ri, zi)| {
            bar.inc(1);
            let (cid, route) = &routes[ri];
            let (z, zone) = (&idx[zi], zones[zi]);
            let (mm, near) = measure_near(route, z, &bands);
            let m = mm.closest;
            let mut within = Map::new();
            for (b, w) in &mm.within_m {
                within.insert(band_key(*b), json!(round(w / 1000.0, 3)));
            }
            let (capacity, capacity_unit) = plates[ri];
            let fin = m.distance_m.is_finite();
            let row = Exposure {
                corridor: cid.clone(),
                zone: zone.id.clone(),
                inside_km: round(mm.inside_m / 1000.0, 3),
                min_distance_km: fin.then(|| round(m.distance_m / 1000.0, 3)),
                lon: fin.then(|| round(m.point.x(), 6)),
                lat: fin.then(|| round(m.point.y(), 6)),
                chainage_km: fin.then(|| round(m.chainage_m / 1000.0, 3)),
                within_km: within,
                capacity,
                capacity_unit,
            };
            let mut feats = Vec::new();
            if with_stretches {
                let props = flat_props(&row);
                for b in &bands {
                    for l in route.stretches(&near, b * 1000.0) {
                        feats.push(feature(&l, &props, "within", Some(*b)));
                    }
                }
                if z.has_polygons() && m.distance_m == 0.0 {
                    let lines = route.dense_lines_touching(z);
                    let clipped = z.area.clip(&MultiLineString(lines), false);
                    for l in clipped.0.iter().filter(|l| l.0.len() >= 2) {
                        feats.push(feature(l, &props, "inside", None));
                    }
                }
            }
            // Co-location: a corridor crossing a polygon zone, or within the narrowest band of
            // any other zone.
            let polys = z.has_polygons();
            let crosses = if polys {
                row.inside_km > 0.0
            } else {
                row.min_distance_km
                    .is_some_and(|d| d * 1000.0 <= band_min_m)
            };
            let members = if crosses {
                RouteGeom::pieces_in(&near, polys, band_min_m)
            } else {
                Vec::new()
            };
            Cell {
                row,
                members,
                feats,
            }
        })
        .collect();
    // Co-location per zone.
    let colocation: Vec<(String, Vec<Pair>)> = (0..zones.len())
        .into_par_iter()
        .map(|zi| {
            let members: Vec<(usize, &[Piece])> = (0..routes.len())
                .map(|ri| (ri, cells[ri * zones.len() + zi].members.as_slice()))
                .filter(|(_, p)| !p.is_empty())
                .collect();
            let mut out = Vec::new();
            for i in 0..members.len() {
                for j in i + 1..members.len() {
                    let (ra, pa) = &members[i];
                    let (rb, pb) = &members[j];
                    if let Some((d, p)) = pieces_distance(pa, pb) {
                        out.push(Pair {
                            a: routes[*ra].0.clone(),
                            b: routes[*rb].0.clone(),
                            min_distance_km: round(d / 1000.0, 3),
                            lon: round(p.x(), 6),
                            lat: round(p.y(), 6),
                        });
                    }
                }
            }
            (zones[zi].id.clone(), out)
        })
        .collect();
    let mut res = ExposureResult {
        colocation,
        ..Default::default()
    };
    for c in cells {
        res.rows.push(c.row);
        res.stretches.extend(c.feats);
    }
    res
}

/// Least geodesic distance between the pieces `pa` of one route and `pb` of another, with the
/// point on the first. Candidates come from ECEF R-trees (vertex → nearest chord both ways, and
/// lon/lat crossings); the best are refined geodesically with [`point_piece`].
fn pieces_distance(pa: &[Piece], pb: &[Piece]) -> Option<(f64, Point<f64>)> {
    let tree = |ps: &[Piece]| {
        RTree::bulk_load(
            ps.iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(RLine::new(p.ea, p.eb), i))
                .collect::<Vec<_>>(),
        )
    };
    // Crossings first (least chainage on a).
    let flat_b = RTree::bulk_load(
        pb.iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(RLine::new([p.a.x(), p.a.y()], [p.b.x(), p.b.y()]), i))
            .collect::<Vec<_>>(),
    );
    for p in pa {
        let env = AABB::from_corners([p.a.x(), p.a.y()], [p.b.x(), p.b.y()]);
        let hit = flat_b
            .locate_in_envelope_intersecting(&env)
            .filter_map(|e| segment_intersection(p.a, p.b, pb[e.data].a, pb[e.data].b))
            .min_by(f64::total_cmp);
        if let Some(t) = hit {
            return Some((0.0, along(p.a, p.b, t * p.len)));
        }
    }
    let (ta, tb) = (tree(pa), tree(pb));
    // (chord, query point, index of the piece on the other route, is the query on a)
    let mut cands: Vec<(f64, Point<f64>, usize, bool)> = Vec::new();
    let mut push =
        |ps: &[Piece], other: &RTree<GeomWithData<RLine<[f64; 3]>, usize>>, on_a: bool| {
            for p in ps {
                for (v, e) in [(p.a, p.ea), (p.b, p.eb)] {
                    if let Some(n) = other.nearest_neighbor(&e) {
                        let q = n.geom().nearest_point(&e);
                        cands.push((dist3(q, e), v, n.data, on_a));
                    }
                }
            }
        };
    push(pa, &tb, true);
    push(pb, &ta, false);
    cands.sort_by(|x, y| x.0.total_cmp(&y.0));
    let best_c = cands.first()?.0;
    let mut best: Option<(f64, Point<f64>)> = None;
    for (c, p, k, on_a) in cands.into_iter().take(64) {
        if c > best_c + ROUTE_DENSIFY_M + 1.0 {
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

fn flat_props(row: &Exposure) -> Map<String, Value> {
    let mut m = Map::new();
    if let Ok(Value::Object(o)) = serde_json::to_value(row) {
        for (k, v) in o {
            match v {
                Value::Object(inner) => {
                    for (k2, v2) in inner {
                        m.insert(format!("{k}.{k2}"), v2);
                    }
                }
                other => {
                    m.insert(k, other);
                }
            }
        }
    }
    m
}

fn feature(
    l: &LineString<f64>,
    props: &Map<String, Value>,
    kind: &str,
    band: Option<f64>,
) -> Value {
    let mut p = props.clone();
    p.insert("kind".into(), json!(kind));
    p.insert("band_km".into(), json!(band));
    p.insert("length_km".into(), json!(round(length_m(l) / 1000.0, 3)));
    let coords: Vec<[f64; 2]> = l.0.iter().map(|c| [round(c.x, 7), round(c.y, 7)]).collect();
    json!({"type": "Feature", "properties": p, "geometry": {"type": "LineString", "coordinates": coords}})
}

/// A FeatureCollection of the exposed stretches (RFC 7946: WGS84 lon/lat, no `crs` member).
pub fn stretches_geojson(features: &[Value]) -> String {
    let mut s =
        serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": features}))
            .unwrap_or_default();
    s.push('\n');
    s
}

/// One sample of `corridor profile`.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub chainage_km: f64,
    pub lon: f64,
    pub lat: f64,
    pub distance_km: f64,
}

/// Distance to the zone sampled along the route at multiples of `step_km` of chainage, plus the
/// route's end; each sample's distance is exact ([`ZoneIndex::nearest`]).
pub fn profile(route: &RouteGeom, zone: &ZoneIndex, step_km: f64) -> Vec<Sample> {
    profile_with_progress(route, zone, step_km, &indicatif::ProgressBar::hidden())
}

/// [`profile`], advancing `bar` by one for each sample.
pub fn profile_with_progress(
    route: &RouteGeom,
    zone: &ZoneIndex,
    step_km: f64,
    bar: &indicatif::ProgressBar,
) -> Vec<Sample> {
    let step = step_km * 1000.0;
    let mut at: Vec<f64> = Vec::new();
    if step > 0.0 && step.is_finite() {
        let n = (route.length_m / step).floor() as usize;
        at.extend((0..=n).map(|i| i as f64 * step));
    }
    if at.last().is_none_or(|l| route.length_m - l > 1e-6) {
        at.push(route.length_m);
    }
    bar.set_length(at.len() as u64);
    bar.set_message("samples");
    at.par_iter()
        .filter_map(|&s| {
            bar.inc(1);
            let p = route.point_at_chainage(s)?;
            let d = zone.nearest(p).0;
            Some(Sample {
                chainage_km: round(s / 1000.0, 3),
                lon: round(p.x(), 6),
                lat: round(p.y(), 6),
                distance_km: round(d / 1000.0, 3),
            })
        })
        .collect()
}

/// Checks `--bands`: at least one, each positive and finite.
pub fn validate_bands(bands: &[f64]) -> anyhow::Result<()> {
    if bands.is_empty() {
        anyhow::bail!("--bands needs at least one distance in km, e.g. --bands 10,20,40,70");
    }
    if let Some(b) = bands.iter().find(|b| !(b.is_finite() && **b > 0.0)) {
        anyhow::bail!("--bands must be positive finite distances in km, got {b}");
    }
    Ok(())
}

/// The zones named by `ids` (all of them when `ids` is empty), or an error listing the valid ids.
pub fn select_zones<'a>(zones: &'a [Zone], ids: &[String]) -> anyhow::Result<Vec<&'a Zone>> {
    if ids.is_empty() {
        return Ok(zones.iter().collect());
    }
    ids.iter()
        .map(|id| {
            zones.iter().find(|z| &z.id == id).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown zone {id:?}; valid zone ids: {}",
                    zones
                        .iter()
                        .map(|z| z.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        })
        .collect()
}

/// What `corridor exposure` writes, per format.
#[derive(Debug, Clone)]
pub struct ExposureOutput {
    /// For json and csv: rows under `exposure`, `colocation` as zone → pairs.
    pub report: Report,
    /// For the table: the exposure block, then co-location as a second block (one row per pair).
    pub table: Report,
    /// For geojson: the exposed stretches.
    pub geojson: String,
}

/// Builds the `corridor exposure` outputs.
pub fn exposure_report(
    net: &Network,
    sources: &[&Source],
    year: Option<i32>,
    zones: &[&Zone],
    bands_km: &[f64],
    with_stretches: bool,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<ExposureOutput> {
    validate_bands(bands_km)?;
    let r = exposure_with_progress(net, zones, bands_km, with_stretches, bar);
    let bands = sorted_bands(bands_km);
    let meta = output::meta(
        "exposure",
        sources,
        year,
        json!({"zones": zones.iter().map(|z| &z.id).collect::<Vec<_>>(), "bands_km": bands}),
    );
    let rows: Vec<Map<String, Value>> = r
        .rows
        .iter()
        .filter_map(|e| match serde_json::to_value(e) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        })
        .collect();
    let mut coloc = Map::new();
    let mut coloc_rows = Vec::new();
    for (zone, pairs) in &r.colocation {
        coloc.insert(
            zone.clone(),
            serde_json::to_value(pairs).unwrap_or(Value::Null),
        );
        for p in pairs {
            coloc_rows.push(json!({"zone": zone, "a": p.a, "b": p.b, "min_distance_km": p.min_distance_km, "lon": p.lon, "lat": p.lat}));
        }
    }
    let report = Report {
        meta: meta.clone(),
        member: "exposure",
        rows: rows.clone(),
        extra: vec![("colocation", Value::Object(coloc))],
        table_columns: None,
    };
    let table = Report {
        meta,
        member: "exposure",
        rows,
        extra: vec![("colocation", Value::Array(coloc_rows))],
        table_columns: Some(vec![
            "corridor",
            "zone",
            "inside_km",
            "min_distance_km",
            "lon",
            "lat",
            "chainage_km",
            "within_km",
            "capacity",
            "capacity_unit",
        ]),
    };
    Ok(ExposureOutput {
        report,
        table,
        geojson: stretches_geojson(&r.stretches),
    })
}

/// What `corridor profile` samples: the distance to `zone` along `corridor` every `step_km`.
#[derive(Debug, Clone, Copy)]
pub struct ProfileQuery<'a> {
    pub corridor: &'a str,
    pub zone: &'a str,
    pub step_km: f64,
}

/// Builds the `corridor profile` report: distance to `zone_id` along `corridor_id`.
pub fn profile_report(
    net: &Network,
    sources: &[&Source],
    year: Option<i32>,
    zones: &[Zone],
    query: ProfileQuery,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Report> {
    let ProfileQuery {
        corridor: corridor_id,
        zone: zone_id,
        step_km,
    } = query;
    if !(step_km.is_finite() && step_km > 0.0) {
        anyhow::bail!("--step must be a positive distance in km, got {step_km}");
    }
    let corridors = net.corridors();
    if !corridors.contains(&corridor_id) {
        anyhow::bail!(
            "unknown corridor {corridor_id:?}; valid corridor ids: {}",
            corridors.join(", ")
        );
    }
    let zone = select_zones(zones, &[zone_id.to_string()])?;
    let lines: Vec<LineString<f64>> = net
        .segments
        .iter()
        .filter(|s| s.corridor == corridor_id)
        .map(|s| s.line.clone())
        .collect();
    let route = RouteGeom::new(&lines);
    let n = route.length_m / (step_km * 1000.0);
    if n > MAX_SAMPLES as f64 {
        anyhow::bail!(
            "--step {step_km} km would sample {corridor_id} ({:.1} km) {n:.0} times; use a step of at least {:.3} km",
            route.length_m / 1000.0,
            route.length_m / 1000.0 / MAX_SAMPLES as f64
        );
    }
    let mut samples = Vec::new();
    for z in zone {
        samples = profile_with_progress(&route, &ZoneIndex::new(&z.geometry), step_km, bar);
    }
    Ok(Report {
        meta: output::meta(
            "profile",
            sources,
            year,
            json!({"corridor": corridor_id, "zone": zone_id, "step_km": step_km}),
        ),
        member: "profile",
        rows: samples
            .iter()
            .filter_map(|e| match serde_json::to_value(e) {
                Ok(Value::Object(m)) => Some(m),
                _ => None,
            })
            .collect(),
        extra: vec![],
        table_columns: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon, Geometry};

    fn meridian_route() -> RouteGeom {
        RouteGeom::new(&[line_string![(x: 45.0, y: 40.0), (x: 45.0, y: 42.0)]])
    }

    // A meridian route and a meridian line zone 0.5° east at the equator would be closed form;
    // at 41°N the distance between two meridians varies, so use a point zone: the closest
    // approach to a point east of a meridian route is level with it... only on the equator.
    #[test]
    fn equator_route_and_point_zone() {
        let r = RouteGeom::new(&[line_string![(x: 0.0, y: 0.0), (x: 3.0, y: 0.0)]]);
        let z = ZoneIndex::new(&Geometry::Point(Point::new(1.0, 0.5)));
        let m = r.min_distance(&z);
        // Meridian arc 0–0.5°: geodesy closed form (see geodesy.rs) ≈ 55,287.9 m.
        let arc = Geodesic.distance(Point::new(1.0, 0.0), Point::new(1.0, 0.5));
        assert!((m.distance_m - arc).abs() < 0.05, "{m:?} {arc}");
        assert!((m.chainage_m - 6_378_137.0 * 1f64.to_radians()).abs() < 0.05);
    }

    // Closed form: a route along the equator through a box whose sides are meridians (both are
    // geodesics, so the answer does not depend on how polygon edges are interpreted). The
    // route meets the box at lon 1° (chainage a·1°), runs a·1° = 111,319.49 m inside, and any
    // equator point at arc x from a side is exactly x from the box.
    #[test]
    fn crossing_a_box_meets_at_least_chainage() {
        let a1 = 6_378_137.0 * 1f64.to_radians();
        let r = RouteGeom::new(&[line_string![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0)]]);
        let z = ZoneIndex::new(&Geometry::Polygon(polygon![
            (x: 1.0, y: -1.0), (x: 2.0, y: -1.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: -1.0)
        ]));
        let m = r.min_distance(&z);
        assert_eq!(m.distance_m, 0.0);
        assert!((m.chainage_m - a1).abs() < 0.5, "{m:?}");
        assert!((m.point.x() - 1.0).abs() < 1e-5);
        let near = r.near(&z, 50_000.0);
        let clipped = r.inside_m(&z);
        assert!((clipped - a1).abs() < 1.0, "{clipped}");
        for d in [2_500.0, 10_000.0, 50_000.0] {
            let w = RouteGeom::within_m(&near, d);
            assert!((w - a1 - 2.0 * d).abs() < 1.0, "{d}: {w}");
        }
    }

    #[test]
    fn profile_samples_at_multiples_and_the_end() {
        let r = meridian_route();
        let z = ZoneIndex::new(&Geometry::Point(Point::new(45.0, 43.0)));
        let p = profile(&r, &z, 50.0);
        assert_eq!(p[0].chainage_km, 0.0);
        assert_eq!(p[1].chainage_km, 50.0);
        let last = p.last().map(|s| s.chainage_km).unwrap_or_default();
        assert!((last - r.length_m / 1000.0).abs() < 1e-3);
        // Distance falls as the route heads north to the point.
        assert!(p.windows(2).all(|w| w[1].distance_km < w[0].distance_km));
    }

    /// Least distance from `route` to the point `z`, by sampling every 20 m along it.
    fn brute_force(lines: &[LineString<f64>], z: Point<f64>) -> f64 {
        lines
            .iter()
            .flat_map(|l| densify(l, 20.0).0)
            .map(|c| Geodesic.distance(Point(c), z))
            .fold(f64::INFINITY, f64::min)
    }

    // A meandering route against point zones at increasing distances: up to 100 km the closest
    // approach is exact (the 20 m sampling is within a millimetre of the minimum there); beyond,
    // it is a true distance to the zone within 0.1 % of the minimum.
    #[test]
    fn closest_approach_near_and_far_against_brute_force() {
        let lines = vec![
            line_string![(x: 40.0, y: 40.0), (x: 40.3, y: 40.1), (x: 40.35, y: 40.4), (x: 40.8, y: 40.45)],
            line_string![(x: 40.8, y: 40.45), (x: 41.5, y: 40.2), (x: 42.0, y: 40.6)],
        ];
        let r = RouteGeom::new(&lines);
        let mut seen = (0, 0);
        for z in [
            Point::new(40.5, 40.6),
            Point::new(41.0, 41.1),
            Point::new(41.1, 41.0),
            Point::new(41.2, 41.3),
            Point::new(44.0, 43.0),
            Point::new(30.0, 50.0),
        ] {
            let zi = ZoneIndex::new(&Geometry::Point(z));
            let got = r.min_distance(&zi);
            let want = brute_force(&lines, z);
            if want > FAR_M {
                seen.1 += 1;
                assert!(
                    got.distance_m >= want - 0.5 && got.distance_m <= want * 1.001,
                    "{z:?}: {got:?} vs {want}"
                );
            } else {
                seen.0 += 1;
                assert!(
                    (got.distance_m - want).abs() < 0.01,
                    "{z:?}: {got:?} vs {want}"
                );
            }
            // The reported point is where the distance is measured from.
            assert!(
                (Geodesic.distance(got.point, z) - got.distance_m).abs() < 0.01,
                "{z:?}"
            );
            // The exposure rows (which search from the bands' blocks) agree.
            let m = measure(&r, &zi, &DEFAULT_BANDS_KM);
            assert!(
                (m.closest.distance_m - got.distance_m).abs() < 1e-3 * (1.0 + got.distance_m / 1e5)
            );
        }
        assert!(seen.0 >= 3 && seen.1 >= 2, "{seen:?}");
    }

    #[test]
    fn empty_zone_is_infinitely_far() {
        let r = meridian_route();
        let z = ZoneIndex::new(&Geometry::GeometryCollection(geo::GeometryCollection(
            vec![],
        )));
        let m = measure(&r, &z, &DEFAULT_BANDS_KM);
        assert!(m.closest.distance_m.is_infinite());
        assert_eq!(m.inside_m, 0.0);
        assert!(m.within_m.iter().all(|(_, w)| *w == 0.0));
    }

    #[test]
    fn band_keys_without_trailing_zeros() {
        assert_eq!(band_key(10.0), "10");
        assert_eq!(band_key(2.5), "2.5");
        assert_eq!(band_key(70.0), "70");
    }
}
