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
//!   pieces of at most [`ROUTE_DENSIFY_M`] (250 m; once, shared by all zones), and every dense
//!   vertex gets its distance to the zone (from its ECEF chord distance to the zone's pieces,
//!   within about 10 cm of the geodesic one). Nothing else is densified, so the cost grows with
//!   the route length *near* each zone, not with all pairs.
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

use super::ecef::{
    aabb_gap, candidate_slack, dist3, ecef, geodesic_lower_bound, geodesic_upper_bound, grow,
    sagitta,
};
use super::nearest::{point_piece, segment_intersection, LineZone, MEET_M};
use super::zone_index::ZoneIndex;
use super::{densify, densify_edge, length_inside_m};
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
    /// Geodesic length of each edge, metres.
    elen: Vec<f64>,
    blocks: Vec<Block>,
    /// Each segment's vertices and blocks (for clipping by polygons).
    lines: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    /// Each line's chainage keys, (position, chainage) by position: its ends and the junctions
    /// on it; chainage between two keys is the shorter way from either ([`RouteGeom::chainage`]).
    keys: Vec<Vec<(f64, f64)>>,
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
    pub fn new(lines: &[LineString<f64>]) -> RouteGeom {
        let mut r = RouteGeom {
            pts: Vec::new(),
            ecef: Vec::new(),
            ch: Vec::new(),
            edges: Vec::new(),
            elen: Vec::new(),
            blocks: Vec::new(),
            lines: Vec::new(),
            keys: Vec::new(),
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
        r.keys = r.chainage_keys();
        r
    }

    /// The chainage keys of every line (see [`RouteGeom::keys`]): a graph whose nodes are the
    /// lines' ends and junctions, joined along each line by its length between them and across
    /// lines, at no length, where an end lies within [`JOIN_M`] of another line's end, or of its
    /// interior away from its ends (a T-junction, as in [`crate::topology`]);
    /// Dijkstra from the start of the first line; each line the start cannot reach, in file
    /// order, is rooted at its first vertex at the largest chainage reached so far.
    fn chainage_keys(&self) -> Vec<Vec<(f64, f64)>> {
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
    fn block_line(&self, bi: usize) -> usize {
        self.line_of(self.edges[self.blocks[bi].edges.start])
    }

    /// The line that vertex `v` belongs to.
    fn line_of(&self, v: usize) -> usize {
        self.lines
            .partition_point(|(vs, _)| vs.end <= v)
            .min(self.lines.len().saturating_sub(1))
    }

    /// The chainage of the point at position `pos` on line `l` (see [`RouteGeom::ch`]): the
    /// length of the shortest path to it from the corridor's start along the corridor's lines,
    /// reached through the key before it or the one after it on its line.
    fn chainage(&self, l: usize, pos: f64) -> f64 {
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
    fn least_chainage(&self, l: usize, p0: f64, p1: f64) -> f64 {
        let inner = self.keys.get(l).map_or(f64::INFINITY, |k| {
            k.iter()
                .filter(|x| x.0 > p0 && x.0 < p1)
                .map(|x| x.1)
                .fold(f64::INFINITY, f64::min)
        });
        self.chainage(l, p0).min(self.chainage(l, p1)).min(inner)
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
    pub(crate) fn near(&self, z: &ZoneIndex, radius_m: f64) -> Near<'_> {
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
        self.closest(z, &self.near(z, NEAR_MARGIN_M), NEAR_MARGIN_M)
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
    pub(crate) fn within_m(near: &Near, d: f64) -> f64 {
        near.pieces()
            .filter_map(|(i, k)| {
                let b = &near.blocks[i];
                Self::piece_within(b.g[k], b.g[k + 1], d)
                    .map(|(t0, t1)| (t1 - t0) * b.dense.plen[k])
            })
            .sum()
    }

    /// The route parts within `d` as polylines.
    pub(crate) fn stretches(&self, near: &Near, d: f64) -> Vec<LineString<f64>> {
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

/// Least geodesic distance between the pieces `pa` of one route and `pb` of another, with the
/// point on the first. Candidates come from ECEF R-trees (vertex → nearest chord both ways, and
/// lon/lat crossings); the best are refined geodesically with [`point_piece`].
pub(crate) fn pieces_distance(pa: &[Piece], pb: &[Piece]) -> Option<(f64, Point<f64>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon, Geometry};

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
}
