//! A zone of any geometry type prepared for repeated geodesic nearest-point queries.
//!
//! Every geodesic edge of the zone is densified (every [`ZONE_DENSIFY_M`]) and each short piece
//! stored as a 3-D chord (in an R-tree; a small zone's in runs scanned box by box), so the
//! nearest chords are found first and then refined along their own geodesics
//! ([`super::point_piece`]). Polygon interiors count as distance 0:
//! containment is an even-odd ray test on the densified rings, indexed by an R-tree of ring edges.
//!
//! Far from the zone (beyond [`BALL_M`]) chord bounds are too loose to prune (see
//! [`super::balls`]): there the pieces are also held in a tree of geodesic balls (built on first
//! use), searched by branch and bound with the triangle inequality ([`ZoneIndex::nearest_tol`],
//! and the far closest approach of [`super::RouteGeom`]).

use super::balls::{piece_bound, Ball, BallTree, Bound};
use super::ecef::{
    aabb_gap, candidate_slack, dist3, ecef, from_ecef, geodesic_lower_bound, grow, sagitta,
    segment_segment_distance, RHO_MIN_M,
};
use super::nearest::{point_piece, segment_intersection, GeoPiece, LineZone, MEET_M};
use super::{densify, lonlat_box};
use geo::{
    Bearing, BoundingRect, Coord, Destination, Distance, Geodesic, Geometry, InterpolatePoint,
    LineString, MultiPolygon, Point, Polygon, Rect,
};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{Envelope, RTree, AABB};
use std::collections::{BinaryHeap, HashMap};
use std::sync::OnceLock;

/// Spacing (metres) to which zone edges are densified along their geodesics before indexing.
/// Small enough that a chord departs from its geodesic by centimetres, large enough to keep
/// border files of thousands of kilometres at a few thousand pieces.
pub const ZONE_DENSIFY_M: f64 = 2_000.0;

/// Beyond this distance (metres) nearest-point and closest-approach searches bound distances
/// with geodesic balls ([`super::balls`]) instead of chords: the arc over a chord undershoots
/// the geodesic by metres at 1,000 km, 1.3 km at 5,000 km and 21 km at 10,600 km, more than the
/// far tolerance, where chord bounds stop pruning (a 50-vertex line took 0.2 s at 8,000 km and
/// 7 s at 14,500 km). Below 5,000 km chords prune well and are cheaper than balls (exposure of
/// the synthetic 10^5 network: 5.9 s with the switch at 5,000 km, 12.0 s at 2,000 km).
pub const BALL_M: f64 = 5_000_000.0;

type Chord = GeomWithData<RLine<[f64; 3]>, usize>;
type Edge2 = GeomWithData<RLine<[f64; 2]>, usize>;

/// One polygon prepared for even-odd containment tests.
#[derive(Debug, Clone)]
struct PolyIndex {
    bbox: Rect<f64>,
    edges: RTree<Edge2>,
}

impl PolyIndex {
    fn new(p: &Polygon<f64>) -> Option<PolyIndex> {
        let bbox = p.bounding_rect()?;
        let mut edges = Vec::new();
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for (i, w) in ring.0.windows(2).enumerate() {
                edges.push(GeomWithData::new(
                    RLine::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                    i,
                ));
            }
        }
        Some(PolyIndex {
            bbox,
            edges: RTree::bulk_load(edges),
        })
    }

    /// Even-odd test: a ray from `p` towards +lon crosses the rings an odd number of times.
    fn contains(&self, p: Point<f64>) -> bool {
        let (x, y) = (p.x(), p.y());
        if x < self.bbox.min().x
            || x > self.bbox.max().x
            || y < self.bbox.min().y
            || y > self.bbox.max().y
        {
            return false;
        }
        let ray = AABB::from_corners([x, y], [self.bbox.max().x + 1.0, y]);
        let mut inside = false;
        for e in self.edges.locate_in_envelope_intersecting(&ray) {
            let (a, b) = (e.geom().from, e.geom().to);
            if (a[1] > y) != (b[1] > y) {
                let xc = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                if x < xc {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// A zone prepared for repeated nearest-point queries: its geodesic edges densified and indexed
/// as ECEF chords, its vertices indexed, its polygons prepared for containment tests.
#[derive(Debug, Clone)]
pub struct ZoneIndex {
    /// Densified pieces (lon/lat ends); an isolated point is a piece from itself to itself.
    pieces: Vec<(Point<f64>, Point<f64>)>,
    /// How the pieces are searched: scans of runs of chords, or R-trees.
    search: Search,
    /// Each piece's first vertex, then each piece's last (the vertex numbering of
    /// [`Search::Trees`]'s `vertices`).
    vertex_points: Vec<Point<f64>>,
    polys: Vec<PolyIndex>,
    /// The densified polygons, for clipping (`inside_km`).
    pub area: MultiPolygon<f64>,
    /// ECEF bounding box of everything.
    pub envelope: AABB<[f64; 3]>,
    /// The pieces as geodesic balls, for far queries (built on first use).
    far: OnceLock<ZoneBalls>,
    /// See [`ZoneIndex::boundary_slack`].
    boundary_slack: f64,
}

/// A zone's pieces prepared for far queries: their vertices numbered once (consecutive pieces
/// share theirs), and a tree of geodesic balls over the pieces.
#[derive(Debug, Clone)]
pub(crate) struct ZoneBalls {
    /// Each piece's ball: centre its first vertex, radius its length.
    pub tree: BallTree,
    /// The zone's vertices.
    pub vpts: Vec<Point<f64>>,
    /// The zone's vertices in ECEF.
    pub vecef: Vec<[f64; 3]>,
    /// Each piece's two vertices (equal for an isolated point).
    pub pv: Vec<[u32; 2]>,
    /// Each piece's length (0 for a point).
    pub plen: Vec<f64>,
}

fn collect(
    g: &Geometry<f64>,
    lines: &mut Vec<LineString<f64>>,
    points: &mut Vec<Point<f64>>,
    polys: &mut Vec<Polygon<f64>>,
) {
    match g {
        Geometry::Point(p) => points.push(*p),
        Geometry::MultiPoint(m) => points.extend(m.0.iter().copied()),
        Geometry::Line(l) => lines.push(LineString::from(vec![l.start, l.end])),
        Geometry::LineString(l) => lines.push(l.clone()),
        Geometry::MultiLineString(m) => lines.extend(m.0.iter().cloned()),
        Geometry::Polygon(p) => polys.push(p.clone()),
        Geometry::MultiPolygon(m) => polys.extend(m.0.iter().cloned()),
        Geometry::Rect(r) => polys.push(r.to_polygon()),
        Geometry::Triangle(t) => polys.push(t.to_polygon()),
        Geometry::GeometryCollection(c) => {
            for g in &c.0 {
                collect(g, lines, points, polys);
            }
        }
    }
}

/// Consecutive pieces per run of [`ChordRuns`].
const RUN: usize = 8;
/// Zones of up to this many runs of chords are searched by [`ChordRuns`], larger ones by the
/// R-tree.
const MAX_RUNS: usize = 64;

/// A small zone's chords in runs of [`RUN`] consecutive pieces (neighbours along its lines and
/// rings), each run with its box. The nearest chord to a point is found by measuring the run
/// whose box is nearest, then every run whose box is nearer than the best chord so far: for a
/// zone of tens or hundreds of pieces this scan of a few boxes and one or two runs costs a
/// fraction of the R-tree's best-first search (a heap of nodes), and exposure measures one point
/// per dense route vertex near each zone. It finds the chord of least squared distance, as the
/// R-tree does (to the rounding of the projection onto the chord).
#[derive(Debug, Clone)]
struct ChordRuns {
    /// Each run's box, lower and upper corners.
    boxes: Vec<([f64; 3], [f64; 3])>,
    /// Each run's lon/lat box (of its pieces' ends).
    flat_boxes: Vec<AABB<[f64; 2]>>,
    chords: Vec<RunChord>,
    /// Each chord's exact ends.
    lines: Vec<RLine<[f64; 3]>>,
}

/// How a zone's pieces are found near a point. A small zone (up to [`MAX_RUNS`] runs of
/// [`RUN`] pieces: the districts, borders and chokepoints exposure meets) is scanned run by
/// run: building three R-trees for a few hundred pieces costs more than every query it would
/// answer in an exposure run (their bulk loads were 5 % of exposure at 10^3 segments × 50
/// zones), and a scan of a few run boxes answers each query as fast. Larger zones (long
/// borders, countries) get the R-trees. (A polygon's ring edges keep their own R-tree, for
/// containment: [`PolyIndex`].)
#[derive(Debug, Clone)]
enum Search {
    Runs(ChordRuns),
    Trees {
        /// Each piece's chord.
        chords: RTree<Chord>,
        /// Pieces as planar lon/lat segments, for crossing tests.
        flat: RTree<Edge2>,
        /// Both ends of every chord, numbered as `vertex_points`.
        vertices: RTree<GeomWithData<[f64; 3], usize>>,
    },
}

/// A chord from `a` to `a + d`, with 1/|d|² (0 for a point).
#[derive(Debug, Clone, Copy)]
struct RunChord {
    a: [f64; 3],
    d: [f64; 3],
    inv: f64,
}

impl RunChord {
    /// Squared distance from `e` and the chord's point nearest it.
    #[inline]
    fn nearest(&self, e: [f64; 3]) -> (f64, [f64; 3]) {
        let (a, d) = (self.a, self.d);
        let t = (((e[0] - a[0]) * d[0] + (e[1] - a[1]) * d[1] + (e[2] - a[2]) * d[2]) * self.inv)
            .clamp(0.0, 1.0);
        let q = [a[0] + t * d[0], a[1] + t * d[1], a[2] + t * d[2]];
        let d2 = (q[0] - e[0]).powi(2) + (q[1] - e[1]).powi(2) + (q[2] - e[2]).powi(2);
        (d2, q)
    }
}

impl ChordRuns {
    /// Runs of the zone's chords (one per piece, in order, with the pieces' lon/lat ends);
    /// `None` for a zone with no pieces or more than `max_runs` (at most [`MAX_RUNS`]) runs of
    /// them.
    fn new(
        lines: &[RLine<[f64; 3]>],
        pieces: &[(Point<f64>, Point<f64>)],
        max_runs: usize,
    ) -> Option<ChordRuns> {
        if lines.is_empty() || lines.len() > RUN * max_runs.min(MAX_RUNS) {
            return None;
        }
        let chords: Vec<RunChord> = lines
            .iter()
            .map(|l| {
                let (a, b) = (l.from, l.to);
                let d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
                let dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                RunChord {
                    a,
                    d,
                    inv: if dd > 0.0 { 1.0 / dd } else { 0.0 },
                }
            })
            .collect();
        // The boxes hold both the chords as `RunChord` draws them and their exact ends.
        let boxes = chords
            .chunks(RUN)
            .zip(lines.chunks(RUN))
            .map(|(run, ends)| {
                let mut lo = [f64::INFINITY; 3];
                let mut hi = [f64::NEG_INFINITY; 3];
                for (c, l) in run.iter().zip(ends) {
                    for i in 0..3 {
                        for u in [c.a[i], c.a[i] + c.d[i], l.to[i]] {
                            lo[i] = lo[i].min(u);
                            hi[i] = hi[i].max(u);
                        }
                    }
                }
                (lo, hi)
            })
            .collect();
        let flat_boxes = pieces
            .chunks(RUN)
            .map(|run| lonlat_box(run.iter().copied()))
            .collect();
        Some(ChordRuns {
            boxes,
            flat_boxes,
            chords,
            lines: lines.to_vec(),
        })
    }

    /// The pieces of run `r`.
    fn run(&self, r: usize) -> std::ops::Range<usize> {
        r * RUN..((r + 1) * RUN).min(self.chords.len())
    }

    /// Squared distance from `e` to the box of run `r`.
    #[inline]
    fn gap2(&self, r: usize, e: [f64; 3]) -> f64 {
        let (lo, hi) = self.boxes[r];
        let mut g = 0.0;
        for k in 0..3 {
            let o = (lo[k] - e[k]).max(e[k] - hi[k]).max(0.0);
            g += o * o;
        }
        g
    }

    /// The pieces of the runs whose box is within `r` of `e`.
    fn pieces_near(&self, e: [f64; 3], r: f64) -> impl Iterator<Item = usize> + '_ {
        let r2 = r * r;
        (0..self.boxes.len())
            .filter(move |&b| self.gap2(b, e) <= r2)
            .flat_map(|b| self.run(b))
    }

    /// The chords within `r` of `e`: (squared distance, piece), in piece order.
    fn within(&self, e: [f64; 3], r: f64) -> impl Iterator<Item = (f64, usize)> + '_ {
        self.pieces_near(e, r).filter_map(move |k| {
            let d2 = self.chords[k].nearest(e).0;
            (d2.sqrt() <= r).then_some((d2, k))
        })
    }

    /// The nearest chord to `e`: its distance, its point nearest `e` and its piece's index.
    fn nearest(&self, e: [f64; 3]) -> Option<(f64, [f64; 3], usize)> {
        let mut gap = [0.0; MAX_RUNS];
        let mut first = 0;
        for i in 0..self.boxes.len() {
            let g = self.gap2(i, e);
            gap[i] = g;
            if g < gap[first] {
                first = i;
            }
        }
        let mut best = (f64::INFINITY, e, usize::MAX);
        let scan = |r: usize, best: &mut (f64, [f64; 3], usize)| {
            for k in self.run(r) {
                let (d2, q) = self.chords[k].nearest(e);
                if d2 < best.0 {
                    *best = (d2, q, k);
                }
            }
        };
        scan(first, &mut best);
        for (r, g) in gap.iter().enumerate().take(self.boxes.len()) {
            if r != first && *g < best.0 {
                scan(r, &mut best);
            }
        }
        (best.2 != usize::MAX).then(|| (best.0.sqrt(), best.1, best.2))
    }
}

impl ZoneIndex {
    /// Prepares a zone of any geometry type. An empty geometry gives an index whose distances are
    /// all infinite.
    ///
    /// ```
    /// use corridor::geodesy::ZoneIndex;
    /// use geo::{polygon, Geometry, Point};
    ///
    /// // A 1° box on the equator (its sides are meridians and the equator, all geodesics). A point
    /// // on the equator 1° east of it is one equatorial degree from its corner:
    /// // 6,378,137 m × π/180 = 111,319.491 m. A point inside is at distance 0.
    /// let z = ZoneIndex::new(&Geometry::Polygon(polygon![
    ///     (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)
    /// ]));
    /// let (d, closest) = z.nearest(Point::new(2.0, 0.0));
    /// assert!((d - 111_319.491).abs() < 0.01);
    /// assert!((closest.x() - 1.0).abs() < 1e-6 && closest.y().abs() < 1e-6);
    /// assert_eq!(z.nearest(Point::new(0.5, 0.5)).0, 0.0);
    /// ```
    pub fn new(zone: &Geometry<f64>) -> ZoneIndex {
        Self::with_runs_up_to(zone, MAX_RUNS)
    }

    /// The zone with R-trees whatever its size, for tests of the searches a large zone uses.
    #[cfg(test)]
    pub(crate) fn with_trees(zone: &Geometry<f64>) -> ZoneIndex {
        Self::with_runs_up_to(zone, 0)
    }

    /// [`ZoneIndex::new`], scanning runs of chords for zones of up to `max_runs` runs (0: R-trees
    /// for every zone, which the tests compare the scans with).
    fn with_runs_up_to(zone: &Geometry<f64>, max_runs: usize) -> ZoneIndex {
        let (mut lines, mut points, mut polys) = (Vec::new(), Vec::new(), Vec::new());
        collect(zone, &mut lines, &mut points, &mut polys);
        let dense_polys: Vec<Polygon<f64>> = polys
            .iter()
            .map(|p| {
                Polygon::new(
                    densify(p.exterior(), ZONE_DENSIFY_M),
                    p.interiors()
                        .iter()
                        .map(|r| densify(r, ZONE_DENSIFY_M))
                        .collect(),
                )
            })
            .collect();
        let mut pieces = Vec::new();
        for p in &points {
            pieces.push((*p, *p));
        }
        let ring_lines = dense_polys.iter().flat_map(|p| {
            std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
        });
        for l in lines
            .iter()
            .map(|l| densify(l, ZONE_DENSIFY_M))
            .chain(ring_lines)
        {
            match l.0.len() {
                0 => {}
                1 => pieces.push((Point(l.0[0]), Point(l.0[0]))),
                _ => pieces.extend(l.0.windows(2).map(|w| (Point(w[0]), Point(w[1])))),
            }
        }
        // Each piece's chord: every vertex converted to ECEF once, for the chords' R-tree and
        // runs, the vertices' R-tree and the envelope.
        let chord_lines: Vec<RLine<[f64; 3]>> = pieces
            .iter()
            .map(|(a, b)| RLine::new(ecef(*a), ecef(*b)))
            .collect();
        let mut vertex_points: Vec<Point<f64>> = pieces.iter().map(|p| p.0).collect();
        vertex_points.extend(pieces.iter().map(|p| p.1));
        // In the order of `vertex_points`.
        let vertex_ecef: Vec<[f64; 3]> = chord_lines
            .iter()
            .map(|l| l.from)
            .chain(chord_lines.iter().map(|l| l.to))
            .collect();
        let search = match ChordRuns::new(&chord_lines, &pieces, max_runs) {
            Some(runs) => Search::Runs(runs),
            None => Search::Trees {
                chords: RTree::bulk_load(
                    chord_lines
                        .iter()
                        .enumerate()
                        .map(|(i, l)| GeomWithData::new(*l, i))
                        .collect(),
                ),
                flat: RTree::bulk_load(
                    pieces
                        .iter()
                        .enumerate()
                        .map(|(i, (a, b))| {
                            GeomWithData::new(RLine::new([a.x(), a.y()], [b.x(), b.y()]), i)
                        })
                        .collect(),
                ),
                vertices: RTree::bulk_load(
                    vertex_ecef
                        .iter()
                        .enumerate()
                        .map(|(i, e)| GeomWithData::new(*e, i))
                        .collect(),
                ),
            },
        };
        let envelope = if pieces.is_empty() {
            AABB::from_point([f64::INFINITY; 3])
        } else {
            let env = AABB::from_points(vertex_ecef.iter());
            // The surface inside a polygon bulges outward beyond the chords between its
            // boundary vertices by up to D²/8R: grow the box by that much so that it bounds the
            // polygon's interior too.
            grow(env, sagitta(dist3(env.lower(), env.upper())))
        };
        // How far the polygons' edges as the containment test draws them (straight in lon/lat)
        // depart from their chords: at the middle of each edge, where a bowed line departs
        // most.
        let boundary_slack = dense_polys
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.0.windows(2))
            .map(|w| {
                let (a, b) = (ecef(Point(w[0])), ecef(Point(w[1])));
                let m = ecef(Point::new((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0));
                dist3(m, RLine::new(a, b).nearest_point(&m))
            })
            .fold(0.0, f64::max);
        ZoneIndex {
            pieces,
            search,
            vertex_points,
            polys: dense_polys.iter().filter_map(PolyIndex::new).collect(),
            area: MultiPolygon(dense_polys),
            envelope,
            far: OnceLock::new(),
            boundary_slack,
        }
    }

    /// The pieces as geodesic balls (built on first use, then shared).
    pub(crate) fn balls(&self) -> &ZoneBalls {
        self.far.get_or_init(|| {
            let mut vpts: Vec<Point<f64>> = Vec::new();
            let mut pv: Vec<[u32; 2]> = Vec::with_capacity(self.pieces.len());
            let mut plen = Vec::with_capacity(self.pieces.len());
            let mut items = Vec::with_capacity(self.pieces.len());
            for (i, &(a, b)) in self.pieces.iter().enumerate() {
                let va = match pv.last() {
                    Some(prev) if self.pieces[i - 1].1 == a => prev[1],
                    _ => {
                        vpts.push(a);
                        (vpts.len() - 1) as u32
                    }
                };
                let vb = if a == b {
                    va
                } else {
                    vpts.push(b);
                    (vpts.len() - 1) as u32
                };
                let ea = ecef(a);
                let len = if a == b { 0.0 } else { Geodesic.distance(a, b) };
                pv.push([va, vb]);
                plen.push(len);
                items.push(Ball {
                    c: a,
                    e: ea,
                    r: len,
                    anchor: va,
                });
            }
            // Each piece's box: its ends grown by its sagitta (it holds the geodesic piece).
            let piece_box = |i: usize| {
                let (a, b) = self.pieces[i];
                Some(grow(
                    AABB::from_points([&ecef(a), &ecef(b)]),
                    sagitta(plen[i]),
                ))
            };
            ZoneBalls {
                tree: BallTree::with_boxes(&items, &piece_box),
                vecef: vpts.iter().map(|p| ecef(*p)).collect(),
                vpts,
                pv,
                plen,
            }
        })
    }

    /// [`ZoneIndex::nearest_tol`] for a point outside every polygon, by branch and bound on the
    /// zone's balls: a ball whose centre is `d` from `p` holds nothing nearer than `d − r`, and
    /// every centre is a zone vertex, so `d` is a true distance. A piece is searched along its
    /// geodesic ([`point_piece`]) only if the bound its ends give ([`piece_bound`]) can beat the
    /// best by more than `tol`.
    fn nearest_balls(&self, p: Point<f64>, tol: f64) -> (f64, Point<f64>) {
        let zb = self.balls();
        let Some(root) = zb.tree.root() else {
            return (f64::INFINITY, p);
        };
        let e = ecef(p);
        let mut known: HashMap<u32, f64> = HashMap::new();
        let mut dist = |v: u32| {
            *known
                .entry(v)
                .or_insert_with(|| Geodesic.distance(p, zb.vpts[v as usize]))
        };
        let d0 = dist(root.ball.anchor);
        let mut best = (d0, root.ball.c);
        let mut heap = BinaryHeap::new();
        heap.push(Bound(d0 - root.ball.r, 0usize));
        while let Some(Bound(lb, n)) = heap.pop() {
            if lb >= best.0 - tol {
                break;
            }
            let node = zb.tree.nodes[n];
            if let Some(i) = node.item() {
                let [va, vb] = zb.pv[i];
                let (da, db) = (dist(va), dist(vb));
                for (d, v) in [(da, va), (db, vb)] {
                    if d < best.0 {
                        best = (d, zb.vpts[v as usize]);
                    }
                }
                if zb.plen[i] > 0.0 && piece_bound(da, db, zb.plen[i]) < best.0 - tol {
                    let (a, b) = self.pieces[i];
                    let (d, q, _) = point_piece(p, a, b);
                    if d < best.0 {
                        best = (d, q);
                    }
                }
                continue;
            }
            for k in node.kids() {
                let b = zb.tree.nodes[k].ball;
                // The chord bound first: it costs no geodesic problem.
                if geodesic_lower_bound(dist3(e, b.e)) - b.r >= best.0 - tol {
                    continue;
                }
                let d = dist(b.anchor);
                if d < best.0 {
                    best = (d, b.c);
                }
                if d - b.r < best.0 - tol {
                    heap.push(Bound(d - b.r, k));
                }
            }
        }
        best
    }

    /// How far (metres) the boundary that [`ZoneIndex::contains`] tests against (the densified
    /// rings, straight in lon/lat between their vertices) departs from the zone's chords, as
    /// measured at the middle of each ring edge: about 8 cm (1 + tan φ) for 2 km edges at
    /// latitude φ, and huge for an edge across the antimeridian. A point at chord distance c
    /// from the zone is inside exactly as every point less than c minus about this away.
    pub fn boundary_slack(&self) -> f64 {
        self.boundary_slack
    }

    /// Does the zone have any polygon (so that `inside_km` can be non-zero)?
    pub fn has_polygons(&self) -> bool {
        !self.polys.is_empty()
    }

    /// Is `p` inside one of the zone's polygons (holes excluded)?
    pub fn contains(&self, p: Point<f64>) -> bool {
        self.polys.iter().any(|poly| poly.contains(p))
    }

    /// Chord (straight 3-D) distance from an ECEF point to the zone's boundary pieces and the
    /// closest chord point; 0 for points inside a polygon is *not* applied here.
    fn nearest_chord(&self, e: [f64; 3]) -> Option<(f64, [f64; 3], usize)> {
        match &self.search {
            Search::Runs(runs) => runs.nearest(e),
            Search::Trees { chords, .. } => {
                let n = chords.nearest_neighbor(&e)?;
                let q = n.geom().nearest_point(&e);
                Some((dist3(e, q), q, n.data))
            }
        }
    }

    /// A quick distance from a route vertex: 0 inside a polygon; otherwise the chord distance to
    /// the nearest zone piece (a lower bound), the geodesic distance to that chord point mapped
    /// back to the ellipsoid, and that point — `(chord_m, geodesic_m, zone_point)`. The geodesic
    /// distance is a true distance to a point of the zone (within centimetres of its boundary),
    /// so it bounds the exact distance from above.
    pub fn fast_nearest(&self, p: Point<f64>, e: [f64; 3]) -> (f64, f64, Point<f64>) {
        if self.contains(p) {
            return (0.0, 0.0, p);
        }
        match self.nearest_chord(e) {
            Some((c, q, _)) => {
                let q = from_ecef(q);
                if c < MEET_M {
                    (c, c, q)
                } else {
                    (c, Geodesic.distance(p, q).max(c), q)
                }
            }
            None => (f64::INFINITY, f64::INFINITY, p),
        }
    }

    /// The lon/lat box of the zone's (densified) geometry: lower-left and upper-right corners;
    /// `None` for an empty zone.
    pub fn lonlat_bounds(&self) -> Option<(Coord<f64>, Coord<f64>)> {
        let mut it = self.pieces.iter().flat_map(|(a, b)| [a.0, b.0]);
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), c| {
            (
                Coord {
                    x: lo.x.min(c.x),
                    y: lo.y.min(c.y),
                },
                Coord {
                    x: hi.x.max(c.x),
                    y: hi.y.max(c.y),
                },
            )
        }))
    }

    /// Chord distance only (0 inside a polygon): a cheap lower bound on the geodesic distance.
    pub fn chord_distance(&self, p: Point<f64>, e: [f64; 3]) -> f64 {
        if self.contains(p) {
            return 0.0;
        }
        self.nearest_chord(e).map_or(f64::INFINITY, |x| x.0)
    }

    /// Bounds on the geodesic distance from `p` to the zone from its nearest chord alone, at
    /// the cost of one geodesic problem or three instead of a search along pieces: below, the
    /// arc over the chord distance less the chord's sagitta (the piece lies within it of its
    /// chord); above, the exact distance to the piece's point at the chord's closest point (a
    /// true zone point). Near a zone the two are centimetres apart. `None` inside a polygon
    /// (where the distance is 0) or for an empty zone.
    pub(crate) fn distance_bracket(&self, p: Point<f64>) -> Option<(f64, f64)> {
        if self.contains(p) {
            return None;
        }
        // Every piece is at most ZONE_DENSIFY_M long, so within this of its chord (+1 cm).
        const SAGITTA_M: f64 = ZONE_DENSIFY_M * ZONE_DENSIFY_M / (8.0 * RHO_MIN_M) + 0.01;
        let (c, q, i) = self.nearest_chord(ecef(p))?;
        let (a, b) = self.pieces[i];
        let (ea, eb) = (ecef(a), ecef(b));
        let chord = dist3(ea, eb);
        let zone_point = if chord > 0.0 {
            Geodesic.point_at_ratio_between(a, b, (dist3(ea, q) / chord).clamp(0.0, 1.0))
        } else {
            a
        };
        let lower = geodesic_lower_bound((c - SAGITTA_M).max(0.0));
        Some((lower, Geodesic.distance(p, zone_point)))
    }

    /// Exact geodesic distance from `p` to the zone and the zone's closest point (0 and `p`
    /// itself inside a polygon).
    pub fn nearest(&self, p: Point<f64>) -> (f64, Point<f64>) {
        self.nearest_tol(p, 0.0)
    }

    /// [`ZoneIndex::nearest`] to within `tol` metres: candidate pieces that cannot beat the
    /// best by more than `tol` are not searched (0 searches every candidate: exact).
    pub fn nearest_tol(&self, p: Point<f64>, tol: f64) -> (f64, Point<f64>) {
        if self.contains(p) {
            return (0.0, p);
        }
        let e = ecef(p);
        let mut best = (f64::INFINITY, p);
        // The chords in order of distance (ties: by piece for runs): all of them from the tree,
        // lazily; from runs, those within the slack of the nearest (the loop stops there).
        let cands: Box<dyn Iterator<Item = (f64, usize)> + '_> = match &self.search {
            Search::Trees { chords, .. } => Box::new(
                chords
                    .nearest_neighbor_iter_with_distance_2(&e)
                    .map(|(n, d2)| (d2.sqrt(), n.data)),
            ),
            Search::Runs(runs) => {
                let Some((c0, _, _)) = runs.nearest(e) else {
                    return best;
                };
                let mut v: Vec<(f64, usize)> = runs.within(e, c0 + candidate_slack(c0)).collect();
                v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                Box::new(v.into_iter().map(|(d2, k)| (d2.sqrt(), k)))
            }
        };
        let mut limit = f64::INFINITY;
        for (c, piece) in cands {
            if c > limit {
                break;
            }
            if limit.is_infinite() {
                if geodesic_lower_bound(c) > BALL_M {
                    return self.nearest_balls(p, tol);
                }
                limit = c + candidate_slack(c);
            }
            // The zone's geodesic pieces lie within centimetres of their chords.
            if tol > 0.0 && geodesic_lower_bound(c - 1.0) > best.0 - tol {
                break;
            }
            let (a, b) = self.pieces[piece];
            let (d, q, _) = point_piece(p, a, b);
            if d < best.0 {
                best = (d, q);
            }
        }
        best
    }

    /// A cheap lower bound (metres) on the geodesic distance from `line` to the zone: the gap
    /// between the zone's ECEF envelope and the box of the line's vertices, grown by the sagitta
    /// of its longest edge (a geodesic departs from its chord by at most L²/8ρ) and a metre, so
    /// that the box holds the whole geodesic line. Chords are never longer than geodesics, so
    /// the gap never exceeds the true distance. 0 (no bound) for an empty line or edges over
    /// 1,000 km.
    pub fn line_lower_bound_m(&self, line: &LineString<f64>) -> f64 {
        let mut pts = line.0.iter().map(|c| ecef(Point(*c)));
        let Some(first) = pts.next() else {
            return 0.0;
        };
        let (mut lo, mut hi, mut prev, mut longest) = (first, first, first, 0.0f64);
        for e in pts {
            for i in 0..3 {
                lo[i] = lo[i].min(e[i]);
                hi[i] = hi[i].max(e[i]);
            }
            longest = longest.max(dist3(prev, e));
            prev = e;
        }
        if longest > 1.0e6 || !longest.is_finite() {
            return 0.0;
        }
        let env = grow(AABB::from_corners(lo, hi), sagitta(longest));
        let gap = aabb_gap(&env, &self.envelope);
        if gap.is_finite() {
            gap
        } else {
            0.0
        }
    }

    /// Least geodesic distance between `line` and the zone, as
    /// [`line_zone_distance`] (which builds the index for one call: to measure many lines
    /// against one zone, build the index once and call this).
    pub fn line_distance(&self, line: &LineString<f64>) -> LineZone {
        super::RouteGeom::new(std::slice::from_ref(line)).min_distance(self)
    }

    /// [`ZoneIndex::line_distance`] if the line may lie within `band_m` metres of the zone;
    /// `None`, without the exact (costly) computation, if a cheap bound shows it is farther.
    pub fn line_distance_within(&self, line: &LineString<f64>, band_m: f64) -> Option<LineZone> {
        if self.line_lower_bound_m(line) > band_m {
            return None;
        }
        Some(self.line_distance(line))
    }

    /// Exact geodesic distance from `p` to the zone, if it may be within `band_m` metres (as
    /// [`ZoneIndex::line_distance_within`] for a point).
    pub fn point_distance_within(&self, p: Point<f64>, band_m: f64) -> Option<f64> {
        let e = ecef(p);
        let gap = aabb_gap(&AABB::from_point(e), &self.envelope);
        if gap.is_finite() && gap > band_m {
            return None;
        }
        Some(self.nearest(p).0)
    }

    /// A lower bound (metres) on the geodesic distance between the zone and the geodesic piece
    /// whose ends are `ea`, `eb` in ECEF and whose length is `len`, tight to a few metres; or
    /// anything above `within` when the piece is farther than that. It is the least 3-D
    /// distance between the piece's chord and the zone's chords, less both sagittas, as an arc
    /// ([`geodesic_lower_bound`]). Pieces inside a polygon are not detected: callers test
    /// their ends first.
    pub fn piece_lower_bound(&self, ea: [f64; 3], eb: [f64; 3], len: f64, within: f64) -> f64 {
        let mid = [
            (ea[0] + eb[0]) / 2.0,
            (ea[1] + eb[1]) / 2.0,
            (ea[2] + eb[2]) / 2.0,
        ];
        // Every zone point within `within` of the piece is within this of its midpoint.
        let reach = within + len / 2.0 + sagitta(len) + sagitta(ZONE_DENSIFY_M);
        let c = match &self.search {
            Search::Trees { chords, .. } => chords
                .locate_within_distance(mid, reach * reach)
                .map(|z| segment_segment_distance(ea, eb, z.geom().from, z.geom().to))
                .fold(reach, f64::min),
            Search::Runs(runs) => runs
                .within(mid, reach)
                .map(|(_, k)| {
                    segment_segment_distance(ea, eb, runs.lines[k].from, runs.lines[k].to)
                })
                .fold(reach, f64::min),
        };
        geodesic_lower_bound((c - sagitta(len) - sagitta(ZONE_DENSIFY_M)).max(0.0))
    }

    /// Zone vertices within chord distance `r` of ECEF point `e`.
    fn vertices_near(&self, e: [f64; 3], r: f64) -> Box<dyn Iterator<Item = Point<f64>> + '_> {
        match &self.search {
            Search::Trees { vertices, .. } => Box::new(
                vertices
                    .locate_within_distance(e, r * r)
                    .map(|v| self.vertex_points[v.data]),
            ),
            Search::Runs(runs) => {
                let n = self.pieces.len();
                Box::new(runs.pieces_near(e, r).flat_map(move |k| {
                    let l = &runs.lines[k];
                    [(l.from, k), (l.to, n + k)]
                        .into_iter()
                        .filter(move |(v, _)| {
                            (v[0] - e[0]).powi(2) + (v[1] - e[1]).powi(2) + (v[2] - e[2]).powi(2)
                                <= r * r
                        })
                        .map(|(_, i)| self.vertex_points[i])
                }))
            }
        }
    }

    /// Where the lon/lat segment `a`→`b` first crosses a zone piece: the parameter along it.
    fn first_crossing(&self, a: Point<f64>, b: Point<f64>) -> Option<f64> {
        let env = AABB::from_corners([a.x(), a.y()], [b.x(), b.y()]);
        let cross = |k: usize| {
            let (q0, q1) = self.pieces[k];
            segment_intersection(a, b, q0, q1)
        };
        match &self.search {
            Search::Trees { flat, .. } => flat
                .locate_in_envelope_intersecting(&env)
                .filter_map(|z| cross(z.data))
                .min_by(f64::total_cmp),
            Search::Runs(runs) => (0..runs.flat_boxes.len())
                .filter(|&r| runs.flat_boxes[r].intersects(&env))
                .flat_map(|r| runs.run(r))
                .filter(|&k| {
                    let (q0, q1) = self.pieces[k];
                    AABB::from_corners([q0.x(), q0.y()], [q1.x(), q1.y()]).intersects(&env)
                })
                .filter_map(cross)
                .min_by(f64::total_cmp),
        }
    }

    /// Exact least distance between the short geodesic route piece `a`→`b` and the zone, given
    /// the chord distances `ca`, `cb` of its ends (for the search radius). Returns the distance,
    /// the route point, its offset from `a` (metres) and the zone point. Where they meet, the
    /// meeting point nearest `a` is returned.
    pub fn piece_distance(
        &self,
        a: Point<f64>,
        b: Point<f64>,
        ca: f64,
        cb: f64,
    ) -> (f64, Point<f64>, f64, Point<f64>) {
        self.piece_distance_by(a, b, ca, cb, 0.0, &mut |p| self.nearest(p))
    }

    /// [`ZoneIndex::piece_distance`] to within `tol` metres (0: exact), with the ends'
    /// [`ZoneIndex::nearest`] supplied by `nearest` (called with `a`, then `b`), so that a caller
    /// refining adjacent pieces, which share ends, can compute each end once.
    pub fn piece_distance_by(
        &self,
        a: Point<f64>,
        b: Point<f64>,
        ca: f64,
        cb: f64,
        tol: f64,
        nearest: &mut dyn FnMut(Point<f64>) -> (f64, Point<f64>),
    ) -> (f64, Point<f64>, f64, Point<f64>) {
        if self.contains(a) {
            return (0.0, a, 0.0, a);
        }
        let piece = GeoPiece::new(a, b);
        let len = piece.len();
        if let Some(t) = self.first_crossing(a, b) {
            let q = if len > 0.0 {
                Geodesic.destination(a, Geodesic.bearing(a, b), t * len)
            } else {
                a
            };
            return (0.0, q, t * len, q);
        }
        let (da, qa) = nearest(a);
        let (db, qb) = nearest(b);
        let mut best = if db < da {
            (db, b, len, qb)
        } else {
            (da, a, 0.0, qa)
        };
        let (ea, eb) = (ecef(a), ecef(b));
        let mid = [
            (ea[0] + eb[0]) / 2.0,
            (ea[1] + eb[1]) / 2.0,
            (ea[2] + eb[2]) / 2.0,
        ];
        // A zone vertex can beat the ends only if its chord distance to the piece's chord is
        // within the slack of the ends' chord distance to the zone (chords are never longer
        // than geodesics; the piece's chord departs from its geodesic by centimetres).
        let cmin = ca.min(cb);
        let limit = cmin + candidate_slack(cmin);
        let chord = RLine::new(ea, eb);
        for v in self.vertices_near(mid, limit + len + 1.0) {
            let ev = ecef(v);
            let cv = dist3(ev, chord.nearest_point(&ev));
            if cv > limit || (tol > 0.0 && geodesic_lower_bound(cv - 1.0) > best.0 - tol) {
                continue;
            }
            let (d, q, s) = piece.nearest(v);
            if d < best.0 - 1e-9 || (d <= best.0 + 1e-9 && s < best.2) {
                best = (d, q, s, v);
            }
        }
        if best.0 < MEET_M {
            best.0 = 0.0;
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    // Small zones are searched by scanning runs of chords instead of R-trees: every query must
    // answer as the trees do (the same candidates, in the same order but for exact ties).
    #[test]
    fn run_scans_answer_as_the_trees() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let mut zones: Vec<Geometry<f64>> = vec![
            Geometry::Point(Point::new(45.3, 41.2)),
            Geometry::Polygon(polygon![
                (x: 45.0, y: 41.0), (x: 45.6, y: 41.1), (x: 45.9, y: 41.5), (x: 45.2, y: 41.6), (x: 45.0, y: 41.0)
            ]),
        ];
        // A wiggly border of 150 short edges, a ring of 60 vertices with a hole, and a 3-point
        // multipoint: every geometry the run scans serve.
        let mut line = vec![(44.8, 40.9)];
        for _ in 0..150 {
            let (x, y) = *line.last().unwrap();
            line.push((
                x + rng.random_range(0.0..0.01),
                y + rng.random_range(-0.01..0.01),
            ));
        }
        zones.push(Geometry::LineString(LineString::from(line)));
        let ring = |r: f64| {
            LineString::from(
                (0..=60)
                    .map(|i| {
                        let a = (i % 60) as f64 / 60.0 * std::f64::consts::TAU;
                        let rr = r * (1.0 + 0.25 * (3.0 * a).sin());
                        (45.4 + rr * a.cos(), 41.3 + rr * a.sin())
                    })
                    .collect::<Vec<_>>(),
            )
        };
        zones.push(Geometry::Polygon(Polygon::new(ring(0.3), vec![ring(0.1)])));
        zones.push(Geometry::MultiPoint(geo::MultiPoint::from(vec![
            (45.0, 41.0),
            (45.5, 41.5),
            (46.0, 41.0),
        ])));
        // Two parallel lines 0.2° apart: from the midline both are candidates.
        zones.push(Geometry::MultiLineString(geo::MultiLineString(vec![
            LineString::from(vec![(45.0, 41.1), (45.4, 41.1), (45.8, 41.1)]),
            LineString::from(vec![(45.0, 41.3), (45.4, 41.3), (45.8, 41.3)]),
        ])));
        let sorted = |mut v: Vec<Point<f64>>| {
            v.sort_by(|a, b| a.x().total_cmp(&b.x()).then(a.y().total_cmp(&b.y())));
            v
        };
        let mut multi = 0;
        for g in &zones {
            let (runs, trees) = (
                ZoneIndex::with_runs_up_to(g, MAX_RUNS),
                ZoneIndex::with_runs_up_to(g, 0),
            );
            assert!(matches!(runs.search, Search::Runs(_)));
            assert!(matches!(trees.search, Search::Trees { .. }));
            for _ in 0..400 {
                let p = Point::new(rng.random_range(44.5..46.5), rng.random_range(40.5..42.0));
                let (d1, q1) = runs.nearest(p);
                let (d2, q2) = trees.nearest(p);
                assert!((d1 - d2).abs() <= 1e-9, "{g:?} {p:?}: {d1} vs {d2}");
                assert!(
                    Geodesic.distance(q1, q2) <= 1e-6 || (d1 - d2).abs() <= 1e-9,
                    "{p:?}"
                );
                let e = ecef(p);
                let (c1, c2) = (
                    runs.nearest_chord(e).unwrap().0,
                    trees.nearest_chord(e).unwrap().0,
                );
                assert!((c1 - c2).abs() <= 1e-9 * c2.max(1.0), "{p:?}: {c1} vs {c2}");
                // The candidate sets themselves, not only the answers they lead to.
                let (
                    Search::Runs(r),
                    Search::Trees {
                        chords, vertices, ..
                    },
                ) = (&runs.search, &trees.search)
                else {
                    unreachable!()
                };
                // nearest_tol's: every chord within the slack of the nearest.
                let limit = c2 + candidate_slack(c2);
                let mut from_runs: Vec<usize> = r.within(e, limit).map(|(_, k)| k).collect();
                let mut from_tree: Vec<usize> = chords
                    .nearest_neighbor_iter_with_distance_2(&e)
                    .take_while(|(_, d2)| d2.sqrt() <= limit)
                    .map(|(n, _)| n.data)
                    .collect();
                from_runs.sort();
                from_tree.sort();
                assert_eq!(from_runs, from_tree, "{p:?}");
                multi += usize::from(from_tree.len() > 1);
                // Chords and zone vertices within a random radius.
                let rad = rng.random_range(0.0..60_000.0);
                let mut within_runs: Vec<usize> = r.within(e, rad).map(|(_, k)| k).collect();
                let mut within_tree: Vec<usize> = chords
                    .locate_within_distance(e, rad * rad)
                    .map(|c| c.data)
                    .collect();
                within_runs.sort();
                within_tree.sort();
                assert_eq!(within_runs, within_tree, "{p:?} {rad}");
                assert_eq!(
                    sorted(runs.vertices_near(e, rad).collect()),
                    sorted(trees.vertices_near(e, rad).collect()),
                    "{p:?} {rad}"
                );
                assert_eq!(
                    vertices.locate_within_distance(e, rad * rad).count(),
                    runs.vertices_near(e, rad).count()
                );
                let tol = rng.random_range(0.0..50.0);
                let (t1, t2) = (runs.nearest_tol(p, tol).0, trees.nearest_tol(p, tol).0);
                assert!(
                    (t1 - t2).abs() <= tol + 1e-9,
                    "{p:?} tol {tol}: {t1} vs {t2}"
                );
                // A short piece from p: crossing, nearest point and lower bound.
                let b = Point::new(
                    p.x() + rng.random_range(-0.02..0.02),
                    p.y() + rng.random_range(-0.02..0.02),
                );
                let (ca, cb) = (
                    runs.chord_distance(p, ecef(p)),
                    runs.chord_distance(b, ecef(b)),
                );
                let (ta, tb) = (
                    trees.chord_distance(p, ecef(p)),
                    trees.chord_distance(b, ecef(b)),
                );
                assert!(
                    (ca - ta).abs() <= 1e-9 * ta.max(1.0) && (cb - tb).abs() <= 1e-9 * tb.max(1.0)
                );
                let r1 = runs.piece_distance(p, b, ca, cb);
                let r2 = trees.piece_distance(p, b, ca, cb);
                assert!(
                    (r1.0 - r2.0).abs() <= 1e-9,
                    "{p:?}->{b:?}: {r1:?} vs {r2:?}"
                );
                assert!(
                    (r1.2 - r2.2).abs() <= 1e-6,
                    "{p:?}->{b:?}: {r1:?} vs {r2:?}"
                );
                let (ea, eb) = (ecef(p), ecef(b));
                let len = Geodesic.distance(p, b);
                let within = rng.random_range(0.0..30_000.0);
                let (l1, l2) = (
                    runs.piece_lower_bound(ea, eb, len, within),
                    trees.piece_lower_bound(ea, eb, len, within),
                );
                assert!((l1 - l2).abs() <= 1e-9 * l2.max(1.0), "{l1} vs {l2}");
            }
        }
        // Queries with more than one candidate, which only a complete candidate set answers.
        assert!(multi > 100, "{multi}");
    }

    // The chord bracket decides band crossings: it must hold the exact distance, and near the
    // zone it must be tight (centimetres), or it would never decide anything.
    #[test]
    fn distance_bracket_holds_the_exact_distance() {
        let zones = [
            ZoneIndex::new(&Geometry::Polygon(polygon![
                (x: 45.0, y: 41.0), (x: 45.6, y: 41.1), (x: 45.9, y: 41.5), (x: 45.2, y: 41.6), (x: 45.0, y: 41.0)
            ])),
            ZoneIndex::new(&Geometry::LineString(LineString::from(vec![
                (44.0, 40.0),
                (44.9, 40.4),
                (45.1, 41.3),
            ]))),
            ZoneIndex::new(&Geometry::Point(Point::new(46.0, 40.5))),
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut widest: f64 = 0.0;
        for _ in 0..3_000 {
            let p = Point::new(rng.random_range(43.0..47.5), rng.random_range(39.0..42.5));
            for z in &zones {
                let exact = z.nearest(p).0;
                match z.distance_bracket(p) {
                    None => assert_eq!(exact, 0.0, "{p:?}"),
                    Some((lo, hi)) => {
                        assert!(
                            lo <= exact + 1e-6 && exact <= hi + 1e-6,
                            "{p:?}: {lo} {exact} {hi}"
                        );
                        if exact < 200_000.0 {
                            widest = widest.max(hi - lo);
                        }
                    }
                }
            }
        }
        assert!(widest < 0.5, "the bracket is {widest} m wide within 200 km");
    }

    // The piece bound prunes exact searches: it must stay under the exact distance.
    #[test]
    fn piece_bound_is_below_the_exact_distance() {
        let z = ZoneIndex::new(&Geometry::Polygon(polygon![
            (x: 45.0, y: 41.0), (x: 45.6, y: 41.1), (x: 45.9, y: 41.5), (x: 45.2, y: 41.6), (x: 45.0, y: 41.0)
        ]));
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..300 {
            let a = Point::new(rng.random_range(40.0..50.0), rng.random_range(38.0..44.0));
            let az = rng.random_range(0.0..360.0);
            let len = 10f64.powf(rng.random_range(1.0..4.0));
            let b = Geodesic.destination(a, az, len);
            if z.contains(a) || z.contains(b) {
                continue;
            }
            let (ca, cb) = (z.chord_distance(a, ecef(a)), z.chord_distance(b, ecef(b)));
            let exact = z.piece_distance(a, b, ca, cb).0;
            let lb = z.piece_lower_bound(ecef(a), ecef(b), Geodesic.distance(a, b), exact + 1.0);
            assert!(lb <= exact + 1e-6, "{a:?} {b:?}: {lb} > {exact}");
            assert!(exact - lb < 10.0, "{a:?} {b:?}: {lb} vs {exact}");
        }
    }
}
