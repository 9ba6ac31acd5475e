//! A route (a corridor's segments) prepared for repeated zone queries: closest approach, length
//! within a distance of a zone, length inside its polygons, stretches, points by chainage.
//!
//! How it works, and why it holds the contract's accuracy (0.5 % or 0.2 km):
//! - The segments, in file order, make one route at its own vertices. Chainage is the length of
//!   the shortest path along the corridor's own lines from its start (the first vertex of its
//!   first segment): line ends within [`JOIN_M`] of another line's end or interior join it there
//!   (T-junctions), so that a branch's chainage runs from the junction where it leaves the trunk,
//!   not from the end of the lines before it in the file. Lines that the start cannot reach begin
//!   at the largest chainage reached before them ([`RouteGeom::chainage`]). For a corridor whose
//!   segments follow one another this is the plain running length. The edges are grouped in
//!   blocks of a few kilometres ([`BLOCK`], [`BLOCK_M`]), each with an ECEF box grown by its
//!   edges' sagitta, so that the box's gap to a zone's box bounds the distance of everything in
//!   the block from below.
//! - Blocks within a radius of a zone ([`RouteGeom::near`]) are densified along their geodesics to
//!   pieces of at most [`ROUTE_DENSIFY_M`] (250 m; once, shared by all zones), and the dense
//!   vertices get their distance to the zone (from their ECEF chord distance to the zone's
//!   pieces, within about 10 cm of the geodesic one); those whose distance cannot have crossed
//!   a band edge or the zone's boundary since the last one measured (the chord distance is
//!   1-Lipschitz along the route) are skipped, which changes no band, stretch or closest
//!   approach (see [`RouteGeom::near`]). Nothing else is densified, so the cost grows with the
//!   route length *near* each zone, not with all pairs.
//! - Length within a distance: along each 250 m piece the distance is taken as linear between
//!   its ends; the part under the band is summed. The distance along a piece is 1-Lipschitz, so
//!   the error is a fraction of a piece where the band edge is crossed.
//! - Closest approach: near a zone, the pieces that could hold the minimum are searched exactly
//!   ([`ZoneIndex::piece_distance_by`]), meetings first in order of chainage so that the
//!   reported meeting point is the one of least chainage; pieces are skipped only when a lower bound
//!   (chord to chord, turned into an arc: [`geodesic_lower_bound`]) shows they cannot win. A
//!   route that comes nowhere near is searched by branch and bound on its blocks and edges:
//!   exact up to 100 km, and beyond that to within 0.1 %, where the distance along a route is
//!   flat near its minimum and an exact search would refine dozens of edges to move the
//!   thousandth of a percent.

use super::balls::BallTree;
use super::ecef::{
    aabb_gap, candidate_slack, chord_of_arc, dist3, ecef, geodesic_lower_bound,
    geodesic_upper_bound, grow, sagitta, segment_segment_distance,
};
use super::nearest::{point_piece, segment_intersection, LineZone, MEET_M};
use super::zone_index::{ZoneIndex, BALL_M};
use super::{densify, densify_edge, edge_length_m, length_inside_m, lonlat_box, pieces, DenseLine};
use geo::{
    Bearing, BooleanOps, Destination, Distance, Geodesic, LineString, MultiLineString, Point,
};
use rstar::primitives::{GeomWithData, Line as RLine, Rectangle};
use rstar::{RTree, AABB};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Spacing (metres) of route pieces for the per-vertex distance integration. 250 m keeps the
/// linear interpolation of distance along a piece accurate to far better than the contract's
/// 0.2 km.
pub const ROUTE_DENSIFY_M: f64 = 250.0;

/// Most route edges in one pruning block.
pub const BLOCK: usize = 32;

/// A block also ends once its edges' chords add up to this many metres, so that a block is a
/// few kilometres of route whatever the vertex spacing (one longer edge makes a block alone).
pub const BLOCK_M: f64 = 16_000.0;

/// Line ends of a corridor within this many metres of another of its lines (an end or the
/// interior) join it there for chainage: the default snapping distance of the topology.
pub const JOIN_M: f64 = crate::topology::DEFAULT_SNAP_M;

/// Route blocks whose boxes are within the widest band plus this margin (metres) of a zone are
/// densified and measured vertex by vertex; the rest only bound the closest approach.
pub const NEAR_MARGIN_M: f64 = 2_000.0;

/// Beyond this distance the closest approach is refined to [`FAR_REL_TOL`], not exactly.
pub const FAR_M: f64 = 100_000.0;
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
    /// Position of each vertex: the length of the lines before it in file order, metres (the
    /// chainage of a corridor that runs as one line; see [`RouteGeom::chainage`]).
    ch: Vec<f64>,
    /// Edge k joins vertex `edges[k]` and `edges[k] + 1`.
    edges: Vec<usize>,
    /// Geodesic length of each edge, metres ([`edge_length_m`]).
    elen: Vec<f64>,
    blocks: Vec<Block>,
    /// Each segment's vertices and blocks (for clipping by polygons).
    lines: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    /// Each line's chainage keys, (position, chainage) by position: its ends and the junctions
    /// on it; chainage between two keys is the shorter way from either ([`RouteGeom::chainage`]).
    keys: Vec<Vec<(f64, f64)>>,
    /// Total geodesic length, metres.
    pub length_m: f64,
    /// The edges as geodesic balls, for zones beyond [`BALL_M`] (built on first use).
    balls: OnceLock<BallTree>,
}

/// A run of consecutive edges of one segment.
#[derive(Debug, Clone)]
struct Block {
    edges: std::ops::Range<usize>,
    /// ECEF box of its vertices grown by the largest sagitta of its edges: it holds the
    /// geodesic edges themselves, so its gap to a zone's box bounds their distance from below.
    env: AABB<[f64; 3]>,
    /// Boxed: most blocks are never densified, and an empty `OnceLock<Dense>` would take
    /// the whole `Dense` in every block.
    dense: OnceLock<Box<Dense>>,
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

/// The fraction along the 3-D segment `p0`–`p1` of its point nearest `e` (0 for a point).
fn chord_fraction(p0: [f64; 3], p1: [f64; 3], e: [f64; 3]) -> f64 {
    let d = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]];
    let dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    if dd <= 0.0 {
        return 0.0;
    }
    let t = ((e[0] - p0[0]) * d[0] + (e[1] - p0[1]) * d[1] + (e[2] - p0[2]) * d[2]) / dd;
    t.clamp(0.0, 1.0)
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
pub(crate) struct Piece {
    a: Point<f64>,
    b: Point<f64>,
    ea: [f64; 3],
    eb: [f64; 3],
    len: f64,
}

/// The densified blocks of a route near one zone, with each dense vertex's distances to it.
pub(crate) struct Near<'r> {
    blocks: Vec<NearBlock<'r>>,
    /// The distance bands (metres) the skipped vertices were placed for.
    bands: Vec<f64>,
}

struct NearBlock<'r> {
    /// Index of the block in the route.
    bi: usize,
    dense: &'r Dense,
    /// Chord (ECEF straight-line) distance of each dense vertex: a lower bound on `g`. For a
    /// vertex skipped by [`RouteGeom::near`], a lower bound on it.
    c: Vec<f64>,
    /// Geodesic distance of each dense vertex to the zone (0 inside), from its chord distance
    /// (see [`RouteGeom::near`]); for a skipped vertex, that of the measured vertex before it,
    /// on the same side of every band edge.
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
    /// route order.
    fn pieces(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.blocks
            .iter()
            .enumerate()
            .flat_map(|(i, b)| (0..b.dense.plen.len()).map(move |k| (i, k)))
    }
}

impl RouteGeom {
    /// Prepares the route made of `lines` in order (chainage runs through them in that order).
    pub fn new<L: std::borrow::Borrow<LineString<f64>>>(lines: &[L]) -> RouteGeom {
        // Every vector at its exact length: a route of a million-segment network holds tens of
        // millions of vertices, and growth by doubling would leave a third of that unused.
        let vertices: usize = lines.iter().map(|l| l.borrow().0.len()).sum();
        let edges = vertices - lines.iter().filter(|l| !l.borrow().0.is_empty()).count();
        let mut r = RouteGeom {
            pts: Vec::with_capacity(vertices),
            ecef: Vec::with_capacity(vertices),
            ch: Vec::with_capacity(vertices),
            edges: Vec::with_capacity(edges),
            elen: Vec::with_capacity(edges),
            blocks: Vec::new(),
            lines: Vec::with_capacity(lines.len()),
            keys: Vec::new(),
            length_m: 0.0,
            balls: OnceLock::new(),
        };
        let mut total = 0.0;
        for line in lines {
            let line = line.borrow();
            let start = r.pts.len();
            for (i, c) in line.0.iter().enumerate() {
                let p = Point(*c);
                let e = ecef(p);
                if i > 0 {
                    let u = start + i - 1;
                    let len = edge_length_m(r.pts[u], p, r.ecef[u], e);
                    r.edges.push(u);
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
        r.blocks.shrink_to_fit();
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
        r.keys = r.chainage_keys();
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
            // Every vector at its final length.
            let n: usize = self.blocks[bi]
                .edges
                .clone()
                .map(|k| pieces(self.elen[k], ROUTE_DENSIFY_M) as usize)
                .sum();
            let mut out = DenseLine {
                pts: Vec::with_capacity(n + 1),
                ecef: Vec::with_capacity(n + 1),
                plen: Vec::with_capacity(n),
            };
            out.pts.push(self.pts[start]);
            out.ecef.push(self.ecef[start]);
            for k in self.blocks[bi].edges.clone() {
                let u = self.edges[k];
                let (a, b) = (
                    (self.pts[u], self.ecef[u]),
                    (self.pts[u + 1], self.ecef[u + 1]),
                );
                densify_edge(a, b, self.elen[k], ROUTE_DENSIFY_M, &mut out);
            }
            let DenseLine { pts, ecef, plen } = out;
            let mut ch = Vec::with_capacity(pts.len());
            let mut s = self.ch[start];
            ch.push(s);
            for l in &plen {
                s += l;
                ch.push(s);
            }
            Box::new(Dense {
                ecef,
                pts,
                ch,
                plen,
            })
        })
    }

    /// The blocks within `radius_m` of `z`, densified, with every dense vertex's distances, for
    /// the distance bands `bands_m` (metres: [`RouteGeom::within_m`], [`RouteGeom::stretches`]
    /// and [`RouteGeom::pieces_in`] answer for these only) and the closest approach.
    ///
    /// A vertex's geodesic distance is taken from its chord distance to the zone's pieces as
    /// the arc over that chord ([`geodesic_lower_bound`]) rather than by one more inverse
    /// geodesic problem per vertex: the zone's 2 km chords lie within 8 cm of its geodesic
    /// edges, and the arc is within 2 % of c³/24ρ² of the geodesic (7 mm at 70 km), so the value
    /// is within about 10 cm of the exact distance at band distances, far inside the
    /// interpolation error of the 250 m pieces. Closest approaches are still searched exactly.
    ///
    /// Not every vertex is measured. The chord distance is 1-Lipschitz along the route (a
    /// chord is never longer than the route between its ends), so from a vertex at chord
    /// distance c the vertices less than |c − C| further along are on the same side of the
    /// chord C of every band edge, and, less than c (minus the zone's
    /// [`ZoneIndex::boundary_slack`]) further along, outside the zone's polygons as it is: each
    /// piece among them is wholly within a band or wholly outside it, exactly as if its ends had
    /// been measured. Those vertices are skipped and hold the lower bound the measured vertices
    /// on either side give them (and the arc of the one before them), unless a piece among
    /// them could hold the closest approach (its lower bound within the slack of the least
    /// chord distance measured): such runs are measured whole. So every piece that
    /// [`RouteGeom::closest`] searches has both ends measured, and every band, stretch and
    /// co-location piece is what measuring every vertex would give.
    pub(crate) fn near(&self, z: &ZoneIndex, radius_m: f64, bands_m: &[f64]) -> Near<'_> {
        // Each band edge as a chord: a vertex is within the band exactly when its chord is
        // within this (the arc is increasing), to the rounding that CUT_SLACK_M covers.
        const CUT_SLACK_M: f64 = 0.01;
        let cuts: Vec<f64> = bands_m.iter().map(|b| chord_of_arc(*b)).collect();
        let inside_slack = 1.0 + 2.0 * z.boundary_slack();
        // How far along the route from a vertex at chord distance c the vertices stay on its
        // side of every band edge and of the zone's polygons (0: measure the next one).
        let reach = |c: f64| {
            if c.is_nan() || c <= 0.0 || c.is_infinite() {
                return 0.0;
            }
            cuts.iter()
                .map(|t| (c - t).abs() - CUT_SLACK_M)
                .fold(c - inside_slack, f64::min)
                .max(0.0)
        };
        let measure = |d: &Dense, k: usize| z.chord_distance(d.pts[k], d.ecef[k]);
        // The vertices measured by the skipping pass, block after block (each block's first
        // and last among them), and where each block's start in that list.
        let mut measured: Vec<u32> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut blocks: Vec<NearBlock> = (0..self.blocks.len())
            .filter(|&bi| aabb_gap(&self.blocks[bi].env, &z.envelope) <= radius_m)
            .map(|bi| {
                let dense = self.dense(bi);
                let n = dense.pts.len();
                starts.push(measured.len());
                // NaN: not measured (yet).
                let mut c = vec![f64::NAN; n];
                let mut k = 0;
                loop {
                    c[k] = measure(dense, k);
                    measured.push(k as u32);
                    if k + 1 >= n {
                        break;
                    }
                    let to = dense.ch[k] + reach(c[k]);
                    let mut j = k + 1;
                    while j + 1 < n && dense.ch[j + 1] <= to {
                        j += 1;
                    }
                    k = j;
                }
                NearBlock {
                    bi,
                    dense,
                    c,
                    g: Vec::new(),
                }
            })
            .collect();
        starts.push(measured.len());
        // Block `bn`'s measured vertices.
        let measured_in = |bn: usize| {
            measured[starts[bn]..starts[bn + 1]]
                .iter()
                .map(|&k| k as usize)
        };
        // The lower bound of each vertex of a skipped run (i, j) from its measured ends.
        let bound = |d: &Dense, c: &[f64], i: usize, j: usize, k: usize| {
            (c[i] - (d.ch[k] - d.ch[i]))
                .max(c[j] - (d.ch[j] - d.ch[k]))
                .max(f64::MIN_POSITIVE)
        };
        // Skipped runs as (a lower bound on the lower bounds of their pieces, block, first and
        // last measured vertex). Between measured vertices i and j the bounds above are at
        // least (c_i + c_j − (ch_j − ch_i))/2, where the two cones meet, and a piece's lower
        // bound (c_k + c_k+1 − len)/2 is at least that less half a piece.
        let mut runs: Vec<(f64, usize, usize, usize)> = Vec::new();
        let mut best_c = f64::INFINITY;
        for (bn, b) in blocks.iter().enumerate() {
            let d = b.dense;
            let mut prev: Option<usize> = None;
            for j in measured_in(bn) {
                best_c = best_c.min(b.c[j]);
                if let Some(i) = prev.filter(|&i| j > i + 1) {
                    let meet = (b.c[i] + b.c[j] - (d.ch[j] - d.ch[i])) / 2.0;
                    runs.push((meet - ROUTE_DENSIFY_M / 2.0, bn, i, j));
                }
                prev = Some(j);
            }
        }
        runs.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (lb, bn, i, j) in runs {
            if lb > best_c + candidate_slack(best_c) {
                break;
            }
            let b = &mut blocks[bn];
            for k in i + 1..j {
                b.c[k] = measure(b.dense, k);
                best_c = best_c.min(b.c[k]);
            }
        }
        for (bn, b) in blocks.iter_mut().enumerate() {
            // Runs between measured vertices are now either measured whole (by the search
            // above) or skipped whole.
            let mut g: Vec<f64> = Vec::with_capacity(b.c.len());
            let mut prev: Option<usize> = None;
            for j in measured_in(bn) {
                if let Some(i) = prev {
                    if j > i + 1 && b.c[i + 1].is_nan() {
                        // A skipped vertex is on the side of every band edge of the one
                        // measured before it.
                        let gi = g[i];
                        for k in i + 1..j {
                            b.c[k] = bound(b.dense, &b.c, i, j, k);
                            g.push(gi);
                        }
                    } else {
                        g.extend(b.c[i + 1..j].iter().map(|c| geodesic_lower_bound(*c)));
                    }
                }
                g.push(geodesic_lower_bound(b.c[j]));
                prev = Some(j);
            }
            debug_assert_eq!(g.len(), b.c.len());
            b.g = g;
        }
        Near {
            blocks,
            bands: bands_m.to_vec(),
        }
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
    #[cfg(test)]
    pub(crate) fn within_m(near: &Near, d: f64) -> f64 {
        Self::within_each_m(near, &[d])[0]
    }

    /// Length (m) of the route within each distance of `ds` (metres, bands of this `Near`) of
    /// the zone, from the near blocks, in one pass over their pieces.
    pub(crate) fn within_each_m(near: &Near, ds: &[f64]) -> Vec<f64> {
        debug_assert!(
            ds.iter().all(|d| near.bands.contains(d)),
            "{ds:?} m: not bands of this Near"
        );
        // From −0.0, as `Iterator::sum` starts, so that the sums are its own bit for bit.
        let mut sums = vec![-0.0; ds.len()];
        for b in &near.blocks {
            for (k, len) in b.dense.plen.iter().enumerate() {
                for (sum, d) in sums.iter_mut().zip(ds) {
                    if let Some((t0, t1)) = Self::piece_within(b.g[k], b.g[k + 1], *d) {
                        *sum += (t1 - t0) * len;
                    }
                }
            }
        }
        sums
    }

    /// The route parts within `d` as polylines.
    pub(crate) fn stretches(&self, near: &Near, d: f64) -> Vec<LineString<f64>> {
        debug_assert!(near.bands.contains(&d), "{d} m is not a band of this Near");
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
    pub(crate) fn pieces_in(near: &Near, polygons: bool, band_m: f64) -> Vec<Piece> {
        debug_assert!(polygons || near.bands.contains(&band_m));
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
            .map(|(vs, bs)| {
                // The segment densified: its blocks' dense points one after another (each
                // block starts where the one before it ends), the points of [`densify`] bit for
                // bit, computed once for every zone.
                if bs.is_empty() {
                    let line = LineString::from(
                        self.pts[vs.clone()].iter().map(|p| p.0).collect::<Vec<_>>(),
                    );
                    return densify(&line, ROUTE_DENSIFY_M);
                }
                let mut pts: Vec<geo::Coord<f64>> = Vec::new();
                for bi in bs.clone() {
                    let d = &self.dense(bi).pts;
                    let skip = usize::from(!pts.is_empty());
                    pts.extend(d[skip..].iter().map(|p| p.0));
                }
                LineString::from(pts)
            })
            .collect()
    }

    /// Length (m) inside the zone's polygons.
    pub(crate) fn inside_m(&self, z: &ZoneIndex) -> f64 {
        self.dense_lines_touching(z)
            .iter()
            .map(|l| length_inside_m(l, &z.area))
            .sum()
    }

    /// The parts of the route inside the zone's polygons (densified, then clipped).
    pub(crate) fn inside_lines(&self, z: &ZoneIndex) -> Vec<LineString<f64>> {
        let lines = self.dense_lines_touching(z);
        z.area
            .clip(&MultiLineString(lines), false)
            .0
            .into_iter()
            .filter(|l| l.0.len() >= 2)
            .collect()
    }

    /// The point `s` metres along the route (its lines one after another in file order; for a
    /// corridor that runs as one line, the point at chainage `s`), with its chainage.
    pub(crate) fn point_at_chainage(&self, s: f64) -> Option<(Point<f64>, f64)> {
        if self.edges.is_empty() {
            return self.pts.first().map(|p| (*p, 0.0));
        }
        let k = self
            .edges
            .partition_point(|&u| self.ch[u] <= s)
            .saturating_sub(1);
        let u = self.edges[k];
        let off = (s - self.ch[u]).clamp(0.0, self.elen[k]);
        let ch = self.chainage(self.line_of(u), self.ch[u] + off);
        Some(if off >= self.elen[k] {
            (self.pts[u + 1], ch)
        } else {
            (along(self.pts[u], self.pts[u + 1], off), ch)
        })
    }
}

mod chainage;
mod closest;
mod far;

pub(crate) use closest::PieceSet;

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon, Geometry, MultiPoint, Polygon};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    impl RouteGeom {
        /// [`RouteGeom::near`] as it was before vertices were skipped: every dense vertex
        /// measured.
        fn near_every_vertex(&self, z: &ZoneIndex, radius_m: f64, bands_m: &[f64]) -> Near<'_> {
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
            Near {
                blocks,
                bands: bands_m.to_vec(),
            }
        }
    }

    // (co-location before PieceSet: the trees built for every pair, every candidate refined)
    /// Least geodesic distance between the pieces `pa` of one route and `pb` of another, with the
    /// point on the first. Candidates come from ECEF R-trees (vertex → nearest chord both ways, and
    /// lon/lat crossings); the best are refined geodesically with [`point_piece`].
    fn pieces_distance_before(pa: &[Piece], pb: &[Piece]) -> Option<(f64, Point<f64>)> {
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
                .map(|(i, p)| {
                    GeomWithData::new(RLine::new([p.a.x(), p.a.y()], [p.b.x(), p.b.y()]), i)
                })
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

    // PieceSet gives what the pairwise search before it gave: the same least distance (the
    // refinement now stops once chords show that no candidate can win) and the same point.
    #[test]
    fn piece_sets_agree_with_the_pairwise_search() {
        let mut rng = ChaCha8Rng::seed_from_u64(31);
        let mut met = 0;
        for case in 0..60 {
            let start = Point::new(rng.random_range(-60.0..60.0), rng.random_range(-60.0..60.0));
            let z = ZoneIndex::new(&Geometry::Point(start));
            let routes: Vec<RouteGeom> = (0..3)
                .map(|_| {
                    let s = Geodesic.destination(start, rng.random_range(0.0..360.0), 15_000.0);
                    let n = rng.random_range(2..40);
                    RouteGeom::new(&[walk(&mut rng, s, n)])
                })
                .collect();
            let nears: Vec<Near> = routes
                .iter()
                .map(|r| r.near(&z, 42_000.0, &[40_000.0]))
                .collect();
            let pieces: Vec<Vec<Piece>> = nears
                .iter()
                .map(|n| RouteGeom::pieces_in(n, false, 40_000.0))
                .collect();
            let sets: Vec<PieceSet> = pieces.iter().map(|p| PieceSet::new(p)).collect();
            for i in 0..3 {
                for j in 0..3 {
                    if i == j || pieces[i].is_empty() || pieces[j].is_empty() {
                        continue;
                    }
                    let want = pieces_distance_before(&pieces[i], &pieces[j]).unwrap();
                    let got = sets[i].distance(&sets[j]).unwrap();
                    assert!(
                        (got.0 - want.0).abs() < 1e-6,
                        "{case} {i} {j}: {got:?} vs {want:?}"
                    );
                    assert_eq!(got.1, want.1, "{case} {i} {j}");
                    if got.0 == 0.0 {
                        met += 1;
                    }
                }
            }
        }
        assert!(met > 5, "{met}");
    }

    // The segments clipped for `inside_km` are their blocks' dense points one after another:
    // geo's densified segments, bit for bit.
    #[test]
    fn dense_lines_are_geo_densify() {
        let mut rng = ChaCha8Rng::seed_from_u64(37);
        for _ in 0..40 {
            let start = Point::new(rng.random_range(-60.0..60.0), rng.random_range(-60.0..60.0));
            let lines: Vec<LineString<f64>> = (0..rng.random_range(1..4))
                .map(|_| {
                    let n = rng.random_range(1..90);
                    walk(&mut rng, start, n)
                })
                .collect();
            let r = RouteGeom::new(&lines);
            let z = ZoneIndex::new(&Geometry::Polygon(Polygon::new(
                LineString::from(vec![
                    (start.x() - 3.0, start.y() - 3.0),
                    (start.x() + 3.0, start.y() - 3.0),
                    (start.x() + 3.0, start.y() + 3.0),
                    (start.x() - 3.0, start.y() + 3.0),
                    (start.x() - 3.0, start.y() - 3.0),
                ]),
                vec![],
            )));
            let want: Vec<LineString<f64>> =
                lines.iter().map(|l| densify(l, ROUTE_DENSIFY_M)).collect();
            assert_eq!(r.dense_lines_touching(&z), want);
        }
    }

    /// A random walk of `n` vertices from `start`, steps of 0.3–6 km.
    fn walk(rng: &mut ChaCha8Rng, start: Point<f64>, n: usize) -> LineString<f64> {
        let mut p = start;
        let mut az: f64 = rng.random_range(0.0..360.0);
        let mut pts = vec![p.0];
        for _ in 1..n {
            az += rng.random_range(-40.0..40.0);
            p = Geodesic.destination(p, az, rng.random_range(300.0..6_000.0));
            pts.push(p.0);
        }
        LineString::from(pts)
    }

    fn random_zone(rng: &mut ChaCha8Rng, at: Point<f64>) -> Geometry<f64> {
        let ring = |rng: &mut ChaCha8Rng, c: Point<f64>, r: f64| {
            let n = rng.random_range(5..40);
            let mut pts: Vec<_> = (0..n)
                .map(|i| {
                    let az = 360.0 * i as f64 / n as f64;
                    Geodesic
                        .destination(c, az, r * rng.random_range(0.3..1.0))
                        .0
                })
                .collect();
            pts.push(pts[0]);
            LineString::from(pts)
        };
        match rng.random_range(0..4) {
            0 => {
                let r = rng.random_range(2_000.0..60_000.0);
                let hole = ring(rng, at, r * 0.2);
                Geometry::Polygon(Polygon::new(ring(rng, at, r), vec![hole]))
            }
            1 => {
                let r = rng.random_range(2_000.0..60_000.0);
                Geometry::Polygon(Polygon::new(ring(rng, at, r), vec![]))
            }
            2 => {
                let n = rng.random_range(2..60);
                Geometry::LineString(walk(rng, at, n))
            }
            _ => Geometry::MultiPoint(MultiPoint(
                (0..rng.random_range(1..5))
                    .map(|_| Geodesic.destination(at, rng.random_range(0.0..360.0), 20_000.0))
                    .collect(),
            )),
        }
    }

    // Skipping vertices changes nothing: every band length, stretch, co-location piece and
    // closest approach is what measuring every dense vertex gives, bit for bit, on random
    // meandering routes against zones of every type, near and crossing, with random bands.
    #[test]
    fn skipping_vertices_changes_nothing() {
        let mut rng = ChaCha8Rng::seed_from_u64(29);
        let mut seen = (0, 0, 0);
        for case in 0..120 {
            let start = Point::new(rng.random_range(-60.0..60.0), rng.random_range(-60.0..60.0));
            let lines: Vec<LineString<f64>> = (0..rng.random_range(1..4))
                .map(|_| {
                    let s = Geodesic.destination(start, rng.random_range(0.0..360.0), 5_000.0);
                    let n = rng.random_range(2..120);
                    walk(&mut rng, s, n)
                })
                .collect();
            let r = RouteGeom::new(&lines);
            let at = Geodesic.destination(
                start,
                rng.random_range(0.0..360.0),
                rng.random_range(0.0..120_000.0),
            );
            let g = random_zone(&mut rng, at);
            let mut bands: Vec<f64> = (0..rng.random_range(1..5))
                .map(|_| rng.random_range(200.0..90_000.0f64).round())
                .collect();
            bands.sort_by(f64::total_cmp);
            bands.dedup();
            // Small zones scan runs of chords; the same zone with R-trees (as a large zone is
            // searched) must skip as safely, and find the same closest approach.
            let radius = bands.last().unwrap() + NEAR_MARGIN_M;
            let mut closest = Vec::new();
            for z in [ZoneIndex::new(&g), ZoneIndex::with_trees(&g)] {
                let (fast, full) = (
                    r.near(&z, radius, &bands),
                    r.near_every_vertex(&z, radius, &bands),
                );
                let measured: usize = fast
                    .blocks
                    .iter()
                    .zip(&full.blocks)
                    .map(|(a, b)| a.c.iter().zip(&b.c).filter(|(x, y)| x == y).count())
                    .sum();
                let all: usize = full.blocks.iter().map(|b| b.c.len()).sum();
                seen.0 += measured;
                seen.1 += all;
                assert_eq!(fast.upper(), full.upper(), "{case}");
                for &d in &bands {
                    assert_eq!(
                        RouteGeom::within_m(&fast, d),
                        RouteGeom::within_m(&full, d),
                        "{case}: {d}"
                    );
                    assert_eq!(r.stretches(&fast, d), r.stretches(&full, d), "{case}: {d}");
                }
                for polys in [false, true] {
                    let key =
                        |ps: Vec<Piece>| -> Vec<_> { ps.iter().map(|p| (p.a, p.b)).collect() };
                    assert_eq!(
                        key(RouteGeom::pieces_in(&fast, polys, bands[0])),
                        key(RouteGeom::pieces_in(&full, polys, bands[0])),
                        "{case}"
                    );
                }
                let (a, b) = (r.closest(&z, &fast, radius), r.closest(&z, &full, radius));
                assert!(
                    a.distance_m.to_bits() == b.distance_m.to_bits()
                        && a.point == b.point
                        && a.chainage_m.to_bits() == b.chainage_m.to_bits(),
                    "{case}: {a:?} vs {b:?}"
                );
                if a.distance_m == 0.0 {
                    seen.2 += 1;
                }
                closest.push(a);
            }
            assert!(
                (closest[0].distance_m - closest[1].distance_m).abs()
                    <= 1e-9 * closest[1].distance_m.max(1.0),
                "{case}: {closest:?}"
            );
        }
        // Most vertices are skipped, and some routes meet their zones.
        assert!(seen.0 * 2 < seen.1 && seen.2 > 10, "{seen:?}");
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
        let near = r.near(&z, 50_000.0, &[2_500.0, 10_000.0, 50_000.0]);
        let clipped = r.inside_m(&z);
        assert!((clipped - a1).abs() < 1.0, "{clipped}");
        for d in [2_500.0, 10_000.0, 50_000.0] {
            let w = RouteGeom::within_m(&near, d);
            assert!((w - a1 - 2.0 * d).abs() < 1.0, "{d}: {w}");
        }
    }
}
