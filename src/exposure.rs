//! Corridor × zone exposure: km inside, closest approach (point and chainage), km within each
//! distance band, co-location of corridors inside a zone, the exposed stretches as GeoJSON, and
//! the distance profile along a route.
//!
//! How it is computed, and why it holds the contract's accuracy (0.5 % or 0.2 km):
//! - Each corridor's segments, in file order, are densified along their geodesics to pieces of at
//!   most [`ROUTE_DENSIFY_M`] (250 m); chainage accumulates along them from the upstream end of
//!   the first segment.
//! - Per zone, every route vertex that can matter gets its distance to the zone
//!   ([`ZoneIndex::fast_distance`]: R-tree candidate in ECEF, then a geodesic distance). Vertices
//!   are visited in blocks of [`BLOCK`] pieces, each with an ECEF bounding box; a block whose box
//!   is farther from the zone's box than the widest band and than the best distance found so far
//!   is never visited (branch and bound), so cost grows with the route length *near* each zone,
//!   not with all pairs.
//! - `within_km`: along each 250 m piece the distance is taken as linear between its ends; the
//!   part under the band is summed. The distance along a piece is 1-Lipschitz, so the error is a
//!   fraction of a piece where the band edge is crossed, far under 0.2 km per crossing.
//! - `min_distance_km`: the pieces that could hold the minimum (lower bound: least end distance
//!   minus the piece length) are searched exactly ([`ZoneIndex::piece_distance`]), in chainage
//!   order for meetings so that the reported meeting point is the one of least chainage.

use crate::geodesy::{densify, length_inside_m, length_m};
use crate::load::Source;
use crate::model::{Commodity, Network, Zone};
use crate::nearest::{
    aabb_gap, candidate_slack, ecef, point_piece, segment_intersection, LineZone, ZoneIndex,
    MEET_M, ROUTE_DENSIFY_M,
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

/// Most samples `corridor profile` takes (a guard against a tiny `--step` exhausting memory).
pub const MAX_SAMPLES: usize = 1_000_000;

/// Pieces per pruning block.
pub const BLOCK: usize = 32;

/// The default distance bands, km. They follow the reach of the weapons deployed along the
/// Armenia–Azerbaijan line, by approximate published ranges: 10 km for mortars and direct
/// fire, 20 km for tube artillery and the BM-21 Grad (about 20 km), 40 km for extended-range
/// rockets and the BM-27 Uragan class (about 35 km), 70 km for long-range rocket artillery of
/// the BM-30 Smerch class (about 70 km). The README gives the sources.
pub const DEFAULT_BANDS_KM: [f64; 4] = [10.0, 20.0, 40.0, 70.0];

/// A route (a corridor's segments in file order) densified and prepared for zone queries.
#[derive(Debug, Clone)]
pub struct RouteGeom {
    pts: Vec<Point<f64>>,
    ecef: Vec<[f64; 3]>,
    /// Chainage of each vertex, metres.
    ch: Vec<f64>,
    /// Piece k joins vertex `pieces[k]` and `pieces[k] + 1`.
    pieces: Vec<usize>,
    plen: Vec<f64>,
    /// Runs of pieces with their ECEF bounding box.
    blocks: Vec<(std::ops::Range<usize>, AABB<[f64; 3]>)>,
    /// The densified segments, for clipping.
    dense: Vec<LineString<f64>>,
    /// Total geodesic length, metres.
    pub length_m: f64,
}

/// Per-vertex distances to one zone (NaN where a vertex was never visited).
struct Scan {
    /// Chord (ECEF straight-line) distance: a lower bound on the geodesic one.
    c: Vec<f64>,
    /// Geodesic distance (computed for vertices of blocks within the widest band, and whenever a
    /// vertex improves on the best so far).
    g: Vec<f64>,
}

impl RouteGeom {
    /// Prepares the route made of `lines` in order (chainage runs through them in that order).
    pub fn new(lines: &[LineString<f64>]) -> RouteGeom {
        let mut r = RouteGeom {
            pts: Vec::new(),
            ecef: Vec::new(),
            ch: Vec::new(),
            pieces: Vec::new(),
            plen: Vec::new(),
            blocks: Vec::new(),
            dense: Vec::new(),
            length_m: 0.0,
        };
        let mut total = 0.0;
        for line in lines {
            let d = densify(line, ROUTE_DENSIFY_M);
            let start = r.pts.len();
            for (i, c) in d.0.iter().enumerate() {
                let p = Point(*c);
                if i > 0 {
                    let len = Geodesic.distance(r.pts[start + i - 1], p);
                    r.pieces.push(start + i - 1);
                    r.plen.push(len);
                    total += len;
                }
                r.pts.push(p);
                r.ecef.push(ecef(p));
                r.ch.push(total);
            }
            r.dense.push(d);
        }
        r.length_m = total;
        let mut k = 0;
        while k < r.pieces.len() {
            // A block never spans two segments, so its pieces are contiguous vertices.
            let mut end = k + 1;
            while end < r.pieces.len() && end - k < BLOCK && r.pieces[end] == r.pieces[end - 1] + 1
            {
                end += 1;
            }
            let env = AABB::from_points((r.pieces[k]..=r.pieces[end - 1] + 1).map(|v| &r.ecef[v]));
            r.blocks.push((k..end, env));
            k = end;
        }
        r
    }

    /// Visits the vertices that matter for `z`: all within `band_max_m` (geodesic computed) and
    /// enough others to bound the minimum (branch and bound on block boxes).
    fn scan(&self, z: &ZoneIndex, band_max_m: f64) -> Scan {
        let n = self.pts.len();
        let mut s = Scan {
            c: vec![f64::NAN; n],
            g: vec![f64::NAN; n],
        };
        let mut order: Vec<(f64, usize)> = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, (_, env))| (aabb_gap(env, &z.envelope), i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut best_g = f64::INFINITY;
        for (lb, bi) in order {
            if lb > band_max_m && lb > best_g {
                break;
            }
            let range = &self.blocks[bi].0;
            for v in self.pieces[range.start]..=self.pieces[range.end - 1] + 1 {
                if !s.c[v].is_nan() {
                    continue;
                }
                if lb <= band_max_m {
                    let (c, g) = z.fast_distance(self.pts[v], self.ecef[v]);
                    s.c[v] = c;
                    s.g[v] = g;
                    best_g = best_g.min(g);
                } else {
                    let c = z.chord_distance(self.pts[v], self.ecef[v]);
                    s.c[v] = c;
                    if c < best_g {
                        let g = z.fast_distance(self.pts[v], self.ecef[v]).1;
                        s.g[v] = g;
                        best_g = best_g.min(g);
                    }
                }
            }
        }
        s
    }

    /// Least geodesic distance from the route to the zone (see [`crate::nearest::line_zone_distance`]).
    pub fn min_distance(&self, z: &ZoneIndex) -> LineZone {
        let s = self.scan(z, 0.0);
        self.min_from_scan(z, &s)
    }

    fn min_from_scan(&self, z: &ZoneIndex, s: &Scan) -> LineZone {
        /// Largest radius of curvature of the WGS84 ellipsoid, a²/b (m).
        const RHO_MAX_M: f64 = 6_399_593.6;
        /// Beyond this distance the closest approach is refined to FAR_REL_TOL, not exactly.
        const FAR_M: f64 = 100_000.0;
        const FAR_REL_TOL: f64 = 1e-3;
        let mut best = LineZone {
            distance_m: f64::INFINITY,
            point: self
                .pts
                .first()
                .copied()
                .unwrap_or(Point::new(f64::NAN, f64::NAN)),
            chainage_m: 0.0,
            zone_point: Point::new(f64::NAN, f64::NAN),
        };
        let upper =
            s.g.iter()
                .copied()
                .filter(|g| !g.is_nan())
                .fold(f64::INFINITY, f64::min);
        if !upper.is_finite() {
            return best;
        }
        // Pieces whose chord lower bound is within the slack of the best vertex chord.
        let best_c =
            s.c.iter()
                .copied()
                .filter(|c| !c.is_nan())
                .fold(f64::INFINITY, f64::min);
        let limit = best_c + candidate_slack(best_c);
        if self.pieces.is_empty() {
            // Routes of single points only.
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
        // Candidate pieces with their lower bound, in chainage order.
        let cands: Vec<(f64, usize)> = (0..self.pieces.len())
            .filter_map(|k| {
                let u = self.pieces[k];
                let (cu, cv) = (s.c[u], s.c[u + 1]);
                if cu.is_nan() || cv.is_nan() {
                    return None;
                }
                // Chord distance to the zone is 1-Lipschitz along the piece and bounds the
                // geodesic distance from below, so at offset t the distance is at least
                // max(cu - t, cv - (len - t)) >= (cu + cv - len) / 2.
                let lb = (cu + cv - self.plen[k]) / 2.0;
                (lb <= limit).then_some((lb, k))
            })
            .collect();
        // Adjacent pieces share ends: each end's exact distance to the zone is computed once.
        let ends: std::cell::RefCell<std::collections::HashMap<usize, (f64, Point<f64>)>> =
            Default::default();
        let eval = |k: usize| {
            let u = self.pieces[k];
            let mut near = |p: Point<f64>| {
                let v = if p == self.pts[u] { u } else { u + 1 };
                *ends.borrow_mut().entry(v).or_insert_with(|| z.nearest(p))
            };
            let (d, q, off, zq) =
                z.piece_distance_by(self.pts[u], self.pts[u + 1], s.c[u], s.c[u + 1], &mut near);
            LineZone {
                distance_m: d,
                point: q,
                chainage_m: self.ch[u] + off,
                zone_point: zq,
            }
        };
        // Meetings first, in chainage order: the first one found is the one of least chainage.
        for &(lb, k) in &cands {
            if lb <= MEET_M {
                let r = eval(k);
                if r.distance_m == 0.0 {
                    return r;
                }
            }
        }
        let mut sorted = cands;
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (lb, k) in sorted {
            // A chord c bounds the geodesic from below by at least the arc of a sphere of the
            // largest radius of curvature, c + c³/24ρ². Far from the zone the distance along the
            // route is flat near its minimum, so many pieces come close to the best; there a
            // result within FAR_REL_TOL of the minimum is enough (the contract allows 0.5 %), and
            // refining stops once no piece can beat the best by more than that.
            let lb_geo = lb + lb * lb * lb / (24.0 * RHO_MAX_M * RHO_MAX_M);
            let tol = if best.distance_m > FAR_M {
                FAR_REL_TOL * best.distance_m
            } else {
                0.0
            };
            if lb_geo > best.distance_m - tol {
                break;
            }
            let r = eval(k);
            if r.distance_m < best.distance_m - 1e-6
                || (r.distance_m <= best.distance_m + 1e-6 && r.chainage_m < best.chainage_m)
            {
                best = r;
            }
        }
        best
    }

    /// Length (m) within each band (m) given geodesic vertex distances; the parts of each piece
    /// (fractions `t0..t1`) within `d`, with distance linear along the piece.
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

    fn within_m(&self, s: &Scan, d: f64) -> f64 {
        (0..self.pieces.len())
            .filter_map(|k| {
                let u = self.pieces[k];
                Self::piece_within(s.g[u], s.g[u + 1], d).map(|(a, b)| (b - a) * self.plen[k])
            })
            .sum()
    }

    /// Point at fraction `t` of piece `k` (along its geodesic).
    fn at(&self, k: usize, t: f64) -> Point<f64> {
        let u = self.pieces[k];
        let (a, b) = (self.pts[u], self.pts[u + 1]);
        if t <= 0.0 {
            a
        } else if t >= 1.0 {
            b
        } else {
            Geodesic.destination(a, Geodesic.bearing(a, b), t * self.plen[k])
        }
    }

    /// The route parts within `d` as polylines.
    fn stretches(&self, s: &Scan, d: f64) -> Vec<LineString<f64>> {
        let mut out: Vec<LineString<f64>> = Vec::new();
        let mut cur: Vec<Point<f64>> = Vec::new();
        let mut last_end: Option<usize> = None;
        for k in 0..self.pieces.len() {
            let u = self.pieces[k];
            let Some((t0, t1)) = Self::piece_within(s.g[u], s.g[u + 1], d) else {
                continue;
            };
            let continues = t0 == 0.0 && last_end == Some(u) && !cur.is_empty();
            if !continues {
                if cur.len() >= 2 {
                    out.push(LineString::from(std::mem::take(&mut cur)));
                }
                cur.clear();
                cur.push(self.at(k, t0));
            }
            cur.push(self.at(k, t1));
            last_end = (t1 >= 1.0).then_some(u + 1);
            if t1 < 1.0 {
                if cur.len() >= 2 {
                    out.push(LineString::from(std::mem::take(&mut cur)));
                }
                cur.clear();
            }
        }
        if cur.len() >= 2 {
            out.push(LineString::from(cur));
        }
        out
    }

    /// Pieces "in" the zone: at least one end inside a polygon (`polygons`), else both ends
    /// within `band_m`.
    fn pieces_in(&self, s: &Scan, polygons: bool, band_m: f64) -> Vec<usize> {
        (0..self.pieces.len())
            .filter(|&k| {
                let u = self.pieces[k];
                if polygons {
                    s.c[u] == 0.0 || s.c[u + 1] == 0.0
                } else {
                    s.g[u] <= band_m && s.g[u + 1] <= band_m
                }
            })
            .collect()
    }

    /// Sample along the route at chainage `s` metres.
    fn point_at_chainage(&self, s: f64) -> Option<Point<f64>> {
        if self.pieces.is_empty() {
            return self.pts.first().copied();
        }
        let k = self
            .pieces
            .partition_point(|&u| self.ch[u] <= s)
            .saturating_sub(1);
        let u = self.pieces[k];
        let t = if self.plen[k] > 0.0 {
            ((s - self.ch[u]) / self.plen[k]).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Some(self.at(k, t))
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

/// Measures `route` against `zone` for the bands (km).
pub fn measure(route: &RouteGeom, zone: &ZoneIndex, bands_km: &[f64]) -> Measures {
    let mut bands = bands_km.to_vec();
    bands.sort_by(f64::total_cmp);
    bands.dedup();
    measure_scan(route, zone, &bands).0
}

fn measure_scan(route: &RouteGeom, z: &ZoneIndex, bands: &[f64]) -> (Measures, Scan) {
    let band_max_m = bands.last().copied().unwrap_or(0.0) * 1000.0;
    let scan = route.scan(z, band_max_m);
    let closest = route.min_from_scan(z, &scan);
    let inside_m = if z.has_polygons() {
        route
            .dense
            .iter()
            .map(|l| length_inside_m(l, &z.area))
            .sum::<f64>()
    } else {
        0.0
    };
    let within_m = bands
        .iter()
        .map(|b| (*b, route.within_m(&scan, b * 1000.0)))
        .collect();
    (
        Measures {
            inside_m,
            closest,
            within_m,
        },
        scan,
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

/// The corridor's nameplate: the largest capacity on segments of its dominant commodity.
fn nameplate(net: &Network, corridor: &str) -> (Option<f64>, Option<&'static str>) {
    let (commodity, cap) = net.corridor_nameplate(corridor);
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
    let mut bands: Vec<f64> = bands_km.to_vec();
    bands.sort_by(f64::total_cmp);
    bands.dedup();
    let band_min_m = bands.first().copied().unwrap_or(0.0) * 1000.0;
    let routes = prepare_routes(net);
    let plates: Vec<(Option<f64>, Option<&'static str>)> =
        routes.iter().map(|(c, _)| nameplate(net, c)).collect();
    let idx: Vec<ZoneIndex> = zones
        .par_iter()
        .map(|z| ZoneIndex::new(&z.geometry))
        .collect();
    let pairs: Vec<(usize, usize)> = (0..routes.len())
        .flat_map(|r| (0..zones.len()).map(move |z| (r, z)))
        .collect();
    struct Cell {
        row: Exposure,
        scan: Scan,
        feats: Vec<Value>,
    }
    let cells: Vec<Cell> = pairs
        .par_iter()
        .map(|&(ri, zi)| {
            let (cid, route) = &routes[ri];
            let (z, zone) = (&idx[zi], zones[zi]);
            let (mm, scan) = measure_scan(route, z, &bands);
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
                    for l in route.stretches(&scan, b * 1000.0) {
                        feats.push(feature(&l, &props, "within", Some(*b)));
                    }
                }
                if z.has_polygons() {
                    let clipped = z.area.clip(&MultiLineString(route.dense.clone()), false);
                    for l in clipped.0.iter().filter(|l| l.0.len() >= 2) {
                        feats.push(feature(l, &props, "inside", None));
                    }
                }
            }
            Cell { row, scan, feats }
        })
        .collect();
    // Co-location per zone.
    let colocation: Vec<(String, Vec<Pair>)> = (0..zones.len())
        .into_par_iter()
        .map(|zi| {
            let z = &idx[zi];
            let polys = z.has_polygons();
            let members: Vec<(usize, Vec<usize>)> = (0..routes.len())
                .filter_map(|ri| {
                    let cell = &cells[ri * zones.len() + zi];
                    let crosses = if polys {
                        cell.row.inside_km > 0.0
                    } else {
                        cell.row
                            .min_distance_km
                            .is_some_and(|d| d * 1000.0 <= band_min_m)
                    };
                    crosses.then(|| (ri, routes[ri].1.pieces_in(&cell.scan, polys, band_min_m)))
                })
                .filter(|(_, p)| !p.is_empty())
                .collect();
            let mut out = Vec::new();
            for i in 0..members.len() {
                for j in i + 1..members.len() {
                    let (ra, pa) = &members[i];
                    let (rb, pb) = &members[j];
                    if let Some((d, p)) = pieces_distance(&routes[*ra].1, pa, &routes[*rb].1, pb) {
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

/// Least geodesic distance between pieces `pa` of route `a` and pieces `pb` of route `b`, with
/// the point on `a`. Candidates come from ECEF R-trees (vertex → nearest chord both ways, and
/// lon/lat crossings); the best are refined geodesically with [`point_piece`].
fn pieces_distance(
    a: &RouteGeom,
    pa: &[usize],
    b: &RouteGeom,
    pb: &[usize],
) -> Option<(f64, Point<f64>)> {
    let tree = |r: &RouteGeom, ps: &[usize]| {
        RTree::bulk_load(
            ps.iter()
                .map(|&k| {
                    GeomWithData::new(RLine::new(r.ecef[r.pieces[k]], r.ecef[r.pieces[k] + 1]), k)
                })
                .collect::<Vec<_>>(),
        )
    };
    // Crossings first (least chainage on a).
    let flat_b = RTree::bulk_load(
        pb.iter()
            .map(|&k| {
                let u = b.pieces[k];
                GeomWithData::new(
                    RLine::new(
                        [b.pts[u].x(), b.pts[u].y()],
                        [b.pts[u + 1].x(), b.pts[u + 1].y()],
                    ),
                    k,
                )
            })
            .collect::<Vec<_>>(),
    );
    for &k in pa {
        let u = a.pieces[k];
        let (p0, p1) = (a.pts[u], a.pts[u + 1]);
        let env = AABB::from_corners([p0.x(), p0.y()], [p1.x(), p1.y()]);
        let hit = flat_b
            .locate_in_envelope_intersecting(&env)
            .filter_map(|e| {
                let v = b.pieces[e.data];
                segment_intersection(p0, p1, b.pts[v], b.pts[v + 1])
            })
            .min_by(f64::total_cmp);
        if let Some(t) = hit {
            return Some((0.0, a.at(k, t)));
        }
    }
    let (ta, tb) = (tree(a, pa), tree(b, pb));
    // (chord, query point, route owning the piece, piece, is the query on a)
    let mut cands: Vec<(f64, Point<f64>, usize, bool)> = Vec::new();
    let mut push = |r: &RouteGeom,
                    ps: &[usize],
                    other: &RTree<GeomWithData<RLine<[f64; 3]>, usize>>,
                    on_a: bool| {
        for &k in ps {
            for v in [r.pieces[k], r.pieces[k] + 1] {
                if let Some(n) = other.nearest_neighbor(&r.ecef[v]) {
                    let q = n.geom().nearest_point(&r.ecef[v]);
                    let c = ((q[0] - r.ecef[v][0]).powi(2)
                        + (q[1] - r.ecef[v][1]).powi(2)
                        + (q[2] - r.ecef[v][2]).powi(2))
                    .sqrt();
                    cands.push((c, r.pts[v], n.data, on_a));
                }
            }
        }
    };
    push(a, pa, &tb, true);
    push(b, pb, &ta, false);
    cands.sort_by(|x, y| x.0.total_cmp(&y.0));
    let best_c = cands.first()?.0;
    let mut best: Option<(f64, Point<f64>)> = None;
    for (c, p, k, on_a) in cands.into_iter().take(64) {
        if c > best_c + ROUTE_DENSIFY_M + 1.0 {
            break;
        }
        let (d, point_on_a) = if on_a {
            let v = b.pieces[k];
            (point_piece(p, b.pts[v], b.pts[v + 1]).0, p)
        } else {
            let u = a.pieces[k];
            let (d, q, _) = point_piece(p, a.pts[u], a.pts[u + 1]);
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
    let step = step_km * 1000.0;
    let mut at: Vec<f64> = Vec::new();
    if step > 0.0 && step.is_finite() {
        let n = (route.length_m / step).floor() as usize;
        at.extend((0..=n).map(|i| i as f64 * step));
    }
    if at.last().is_none_or(|l| route.length_m - l > 1e-6) {
        at.push(route.length_m);
    }
    at.par_iter()
        .filter_map(|&s| {
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
) -> anyhow::Result<ExposureOutput> {
    validate_bands(bands_km)?;
    let r = exposure(net, zones, bands_km, with_stretches);
    let mut bands: Vec<f64> = bands_km.to_vec();
    bands.sort_by(f64::total_cmp);
    bands.dedup();
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

/// Builds the `corridor profile` report: distance to `zone_id` along `corridor_id`.
pub fn profile_report(
    net: &Network,
    sources: &[&Source],
    year: Option<i32>,
    zones: &[Zone],
    corridor_id: &str,
    zone_id: &str,
    step_km: f64,
) -> anyhow::Result<Report> {
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
        samples = profile(&route, &ZoneIndex::new(&z.geometry), step_km);
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
        let s = r.scan(&z, 50_000.0);
        let clipped: f64 = r.dense.iter().map(|l| length_inside_m(l, &z.area)).sum();
        assert!((clipped - a1).abs() < 1.0, "{clipped}");
        for d in [2_500.0, 10_000.0, 50_000.0] {
            let w = r.within_m(&s, d);
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

    #[test]
    fn band_keys_without_trailing_zeros() {
        assert_eq!(band_key(10.0), "10");
        assert_eq!(band_key(2.5), "2.5");
        assert_eq!(band_key(70.0), "70");
    }
}
