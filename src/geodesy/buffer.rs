//! The area within a geodesic distance of a zone (a "band"), as lon/lat polygons for drawing.
//!
//! How: the distance to the zone is sampled on a lon/lat grid over the zone's box grown by the
//! band (cells of about an eighth of the band), and the band's edge is traced by marching
//! squares. Every vertex of the result lies on the true edge: where a grid edge crosses it, the
//! crossing is found by regula falsi on the chord distance turned into an arc and confirmed on
//! the exact geodesic distance ([`ZoneIndex::nearest`]), to within half a metre. Between two
//! vertices the outline is a straight lon/lat segment a cell long, which departs from the
//! curved edge by about cell²/8r (r the edge's radius of curvature, at least the band): about
//! 20 m for a 10 km band, 140 m for a 70 km one. Which side of the edge a grid point lies on
//! comes from the cheap chord distance where it decides the side unambiguously (a chord is
//! within metres of the geodesic at these ranges), from the exact distance elsewhere, and,
//! along a row, from the last point measured wherever that distance, give or take the gap
//! between the two points, leaves no doubt (so most points far from the edge cost nothing).
//!
//! Limits: the grid is cut at ±85° of latitude and at the antimeridian; bands that reach beyond
//! are drawn up to there.

use super::ecef::{dist3, ecef, geodesic_lower_bound, geodesic_upper_bound};
use super::zone_index::ZoneIndex;
use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rayon::prelude::*;
use std::collections::HashMap;

/// Most grid points one band samples (the cell grows beyond this).
const MAX_POINTS: f64 = 250_000.0;

/// The area within `band_m` metres (geodesic, WGS84) of the zone, as polygons with holes in
/// lon/lat; empty for an empty zone or a band that is not positive.
///
/// ```
/// use corridor::geodesy::{band_polygon, ZoneIndex};
/// use geo::{Area, Contains, Geometry, Point};
///
/// // 10 km around a point on the equator: a disc. Points 9.9 km away are inside it, 10.1 km
/// // away outside, in every direction.
/// let zone = ZoneIndex::new(&Geometry::Point(Point::new(30.0, 0.0)));
/// let band = band_polygon(&zone, 10_000.0);
/// assert_eq!(band.0.len(), 1);
/// let deg = 1.0 / 111.32; // about a kilometre, in degrees at the equator
/// for (dx, dy) in [(1.0, 0.0), (0.0, 1.0), (-0.7071, 0.7071), (0.0, -1.0)] {
///     assert!(band.contains(&Point::new(30.0 + 9.9 * deg * dx, 9.9 * deg * dy)));
///     assert!(!band.contains(&Point::new(30.0 + 10.1 * deg * dx, 10.1 * deg * dy)));
/// }
/// ```
pub fn band_polygon(zone: &ZoneIndex, band_m: f64) -> MultiPolygon<f64> {
    let Some((lo, hi)) = zone.lonlat_bounds() else {
        return MultiPolygon(vec![]);
    };
    if !(band_m > 0.0 && band_m.is_finite()) {
        return MultiPolygon(vec![]);
    }
    let grid = Grid::new(lo, hi, band_m);
    let d = band_m;
    // Which grid points lie within the band: the chord distance where it decides, the geodesic
    // where it does not. Along a row, a point whose side follows from the last point measured
    // is not measured: the chord distance changes by at most the straight-line distance
    // between the two points, so far from the edge most points are decided without a query.
    let inside: Vec<bool> = (0..grid.ny)
        .into_par_iter()
        .flat_map_iter(|j| {
            let mut row = Vec::with_capacity(grid.nx);
            let mut last: Option<([f64; 3], f64)> = None;
            for i in 0..grid.nx {
                let p = grid.point(i, j);
                let e = ecef(p);
                if let Some((el, cl)) = last {
                    let step = dist3(e, el);
                    if geodesic_lower_bound(cl - step) > d + 2.0 {
                        row.push(false);
                        continue;
                    }
                    if geodesic_upper_bound(cl + step) < d - 2.0 {
                        row.push(true);
                        continue;
                    }
                }
                let c = zone.chord_distance(p, e);
                last = Some((e, c));
                row.push(
                    if geodesic_lower_bound(c) > d + 1.0 || geodesic_upper_bound(c) < d - 1.0 {
                        c <= d
                    } else {
                        zone.nearest(p).0 <= d
                    },
                );
            }
            row
        })
        .collect();
    let inside = |i: usize, j: usize| inside[j * grid.nx + i];
    // Crossing points, one per grid edge that the band's edge crosses (shared by both cells).
    let mut segments: HashMap<Edge, Edge> = HashMap::new();
    let mut crossings: Vec<Edge> = Vec::new();
    for j in 0..grid.ny - 1 {
        for i in 0..grid.nx - 1 {
            // Corners counter-clockwise from bottom-left; edge k runs from corner k to k+1.
            let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let ins = c.map(|(a, b)| inside(a, b));
            let edge = |k: usize| Edge::between(c[k], c[(k + 1) % 4]);
            let out_of: Vec<usize> = (0..4).filter(|&k| ins[k] && !ins[(k + 1) % 4]).collect();
            let into: Vec<usize> = (0..4).filter(|&k| !ins[k] && ins[(k + 1) % 4]).collect();
            let pairs: Vec<(usize, usize)> = match (out_of.as_slice(), into.as_slice()) {
                ([a], [b]) => vec![(*a, *b)],
                ([a, b], [_, _]) => {
                    // A saddle: the centre decides whether the inside corners connect.
                    let centre = grid.centre(i, j);
                    let centre_in = zone.nearest(centre).0 <= d;
                    let step = if centre_in { 1 } else { 3 };
                    vec![(*a, (a + step) % 4), (*b, (b + step) % 4)]
                }
                _ => vec![],
            };
            // Each segment runs from where the boundary leaves the inside to where it enters,
            // so the inside lies on its left.
            for (a, b) in pairs {
                segments.insert(edge(a), edge(b));
                crossings.push(edge(a));
            }
        }
    }
    let points: HashMap<Edge, Coord<f64>> = crossings
        .par_iter()
        .map(|e| (*e, grid.crossing(zone, d, *e)))
        .collect();
    // Rings: follow each chain of segments until it closes.
    let mut rings: Vec<LineString<f64>> = Vec::new();
    let mut done: std::collections::HashSet<Edge> = std::collections::HashSet::new();
    let mut starts = crossings.clone();
    starts.sort_unstable();
    for start in starts {
        if done.contains(&start) {
            continue;
        }
        let mut ring = Vec::new();
        let mut e = start;
        while done.insert(e) {
            ring.push(points[&e]);
            match segments.get(&e) {
                Some(next) => e = *next,
                None => break,
            }
        }
        if ring.len() >= 3 {
            ring.push(ring[0]);
            rings.push(LineString(ring));
        }
    }
    assemble(rings)
}

/// Exterior rings (counter-clockwise: the inside on their left) with the holes (clockwise) that
/// lie in them.
fn assemble(rings: Vec<LineString<f64>>) -> MultiPolygon<f64> {
    let mut outer: Vec<(f64, Polygon<f64>)> = Vec::new();
    let mut holes: Vec<LineString<f64>> = Vec::new();
    for r in rings {
        let a = signed_area(&r);
        if a > 0.0 {
            outer.push((a, Polygon::new(r, vec![])));
        } else {
            holes.push(r);
        }
    }
    // Smallest exterior first, so that a hole goes to the innermost ring around it.
    outer.sort_by(|a, b| a.0.total_cmp(&b.0));
    for h in holes {
        let Some(first) = h.0.first().copied() else {
            continue;
        };
        if let Some((_, p)) = outer
            .iter_mut()
            .find(|(_, p)| p.contains(&Point::from(first)))
        {
            p.interiors_push(h);
        }
    }
    MultiPolygon(outer.into_iter().map(|(_, p)| p).collect())
}

/// Twice the signed area (shoelace, lon/lat): positive counter-clockwise.
fn signed_area(r: &LineString<f64>) -> f64 {
    r.0.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

/// A grid edge, by its two grid points (lower index first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Edge((usize, usize), (usize, usize));

impl Edge {
    fn between(a: (usize, usize), b: (usize, usize)) -> Edge {
        if (a.1, a.0) <= (b.1, b.0) {
            Edge(a, b)
        } else {
            Edge(b, a)
        }
    }
}

/// The sampling grid: `nx` × `ny` points from (`x0`, `y0`) by (`dx`, `dy`) degrees.
struct Grid {
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
    nx: usize,
    ny: usize,
}

impl Grid {
    /// A grid over the box `lo`–`hi` grown by the band and two cells, with cells of about an
    /// eighth of the band (at most [`MAX_POINTS`] points).
    fn new(lo: Coord<f64>, hi: Coord<f64>, band_m: f64) -> Grid {
        // A degree of latitude is at least 110.5 km; a degree of longitude at least
        // 111.3·cos φ km at the box's most poleward latitude φ: the grown box holds the band.
        let pad_lat = band_m / 110_500.0;
        let pole = (hi.y + pad_lat).abs().max((lo.y - pad_lat).abs()).min(85.0);
        let pad_lon = band_m / (111_300.0 * pole.to_radians().cos());
        let mut cell_m = band_m / 8.0;
        let (w_m, h_m) = (
            (hi.x - lo.x + 2.0 * pad_lon) * 111_300.0 * pole.to_radians().cos().max(0.05),
            (hi.y - lo.y + 2.0 * pad_lat) * 110_500.0,
        );
        if (w_m / cell_m) * (h_m / cell_m) > MAX_POINTS {
            cell_m = ((w_m * h_m) / MAX_POINTS).sqrt();
        }
        let dy = cell_m / 110_500.0;
        let dx = cell_m / (111_300.0 * pole.to_radians().cos().max(0.05));
        let x0 = (lo.x - pad_lon - 2.0 * dx).max(-180.0);
        let y0 = (lo.y - pad_lat - 2.0 * dy).max(-85.0);
        let x1 = (hi.x + pad_lon + 2.0 * dx).min(180.0);
        let y1 = (hi.y + pad_lat + 2.0 * dy).min(85.0);
        Grid {
            x0,
            y0,
            dx,
            dy,
            nx: (((x1 - x0) / dx).ceil() as usize + 1).max(2),
            ny: (((y1 - y0) / dy).ceil() as usize + 1).max(2),
        }
    }

    fn point(&self, i: usize, j: usize) -> Point<f64> {
        Point::new(self.x0 + i as f64 * self.dx, self.y0 + j as f64 * self.dy)
    }

    fn centre(&self, i: usize, j: usize) -> Point<f64> {
        Point::new(
            self.x0 + (i as f64 + 0.5) * self.dx,
            self.y0 + (j as f64 + 0.5) * self.dy,
        )
    }

    /// Where the band's edge crosses grid edge `e`, to within half a metre of the exact
    /// geodesic distance. The root is first found on the cheap chord distance turned into an
    /// arc ([`geodesic_lower_bound`]: at the bands' ranges within a metre of the geodesic
    /// distance, and within millimetres at 10 km) and then checked once on the exact distance;
    /// where that check fails, regula falsi runs on the exact distance as the only search.
    fn crossing(&self, zone: &ZoneIndex, d: f64, e: Edge) -> Coord<f64> {
        let (pa, pb) = (self.point(e.0 .0, e.0 .1), self.point(e.1 .0, e.1 .1));
        let at = |t: f64| {
            Point::new(
                pa.x() + (pb.x() - pa.x()) * t,
                pa.y() + (pb.y() - pa.y()) * t,
            )
        };
        let len_m = (self.dx * 111_300.0).max(self.dy * 110_500.0);
        let f = |t: f64| zone.nearest(at(t)).0 - d;
        let approx = |t: f64| {
            let p = at(t);
            geodesic_lower_bound(zone.chord_distance(p, ecef(p))) - d
        };
        let (ca, cb) = (approx(0.0), approx(1.0));
        if ca.is_finite() && cb.is_finite() && (ca > 0.0) != (cb > 0.0) {
            let t = illinois(&approx, ca, cb, len_m, 0.05);
            // Confirmed by bounds from the nearest chord where they are tight enough (the
            // same test as the exact distance's, at a tenth of its cost), else exactly.
            if let Some((lo, hi)) = zone.distance_bracket(at(t)) {
                if (lo - d).abs() < 0.5 && (hi - d).abs() < 0.5 {
                    return at(t).0;
                }
            }
            if f(t).abs() < 0.5 {
                return at(t).0;
            }
        }
        // The ends are on opposite sides (their classification is exact); inside is f <= 0.
        let (fa, fb) = (f(0.0), f(1.0));
        if fa == 0.0 {
            return pa.0;
        }
        if fb == 0.0 {
            return pb.0;
        }
        if !(fa.is_finite() && fb.is_finite()) || (fa > 0.0) == (fb > 0.0) {
            return at(0.5).0;
        }
        at(illinois(&f, fa, fb, len_m, 0.5)).0
    }
}

/// Regula falsi (Illinois) for the root of `f` on [0, 1], where `f(0) = fa` and `f(1) = fb`
/// have opposite signs: the first `t` with `|f(t)| < tol`, or where the bracket is under `tol`
/// metres of an edge `len_m` long.
fn illinois(f: &impl Fn(f64) -> f64, mut fa: f64, mut fb: f64, len_m: f64, tol: f64) -> f64 {
    let (mut a, mut b) = (0.0, 1.0);
    let mut side = 0;
    for _ in 0..60 {
        let t = (a * fb - b * fa) / (fb - fa);
        let ft = f(t);
        if ft.abs() < tol || (b - a) * len_m < tol {
            return t;
        }
        if (ft > 0.0) == (fb > 0.0) {
            b = t;
            fb = ft;
            if side == -1 {
                fa /= 2.0;
            }
            side = -1;
        } else {
            a = t;
            fa = ft;
            if side == 1 {
                fb /= 2.0;
            }
            side = 1;
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, Destination, Distance, Geodesic, Geometry};

    // Every vertex of the band lies on its edge: its exact distance to the zone is the band,
    // to the half metre of the root search.
    #[test]
    fn vertices_lie_on_the_band_edge() {
        let zone = ZoneIndex::new(&Geometry::LineString(line_string![
            (x: 45.0, y: 40.5), (x: 45.4, y: 41.0), (x: 45.2, y: 41.3), (x: 45.9, y: 41.2)
        ]));
        for band in [5_000.0, 20_000.0, 70_000.0] {
            let p = band_polygon(&zone, band);
            assert_eq!(p.0.len(), 1, "{band}");
            let mut n = 0;
            for ring in std::iter::once(p.0[0].exterior()).chain(p.0[0].interiors()) {
                for c in &ring.0 {
                    let d = zone.nearest(Point::from(*c)).0;
                    assert!((d - band).abs() < 1.0, "{band}: {d}");
                    n += 1;
                }
            }
            assert!(n > 50, "{band}: {n} vertices");
        }
    }

    // A ring zone with a band narrower than its half-width has a hole; points at known
    // geodesic distances fall on the right sides.
    #[test]
    fn holes_and_sides_against_geodesics() {
        let centre = Point::new(44.0, 40.0);
        let ring: Vec<Coord<f64>> = (0..=72)
            .map(|k| Geodesic.destination(centre, k as f64 * 5.0, 50_000.0).0)
            .collect();
        let zone = ZoneIndex::new(&Geometry::LineString(LineString(ring)));
        let band = band_polygon(&zone, 10_000.0);
        assert_eq!(band.0.len(), 1);
        assert_eq!(band.0[0].interiors().len(), 1, "a hole around the centre");
        for az in [0.0, 33.0, 90.0, 200.0, 301.0] {
            for (r, want) in [
                (30_000.0, false),
                (41_000.0, true),
                (59_000.0, true),
                (61_000.0, false),
            ] {
                let p = Geodesic.destination(centre, az, r);
                assert_eq!(band.contains(&p), want, "az {az} r {r}");
            }
        }
        assert!(Geodesic.distance(centre, centre) == 0.0);
        assert!(!band.contains(&centre));
    }

    #[test]
    fn empty_zone_or_band_gives_nothing() {
        let empty = ZoneIndex::new(&Geometry::GeometryCollection(geo::GeometryCollection(
            vec![],
        )));
        assert!(band_polygon(&empty, 10_000.0).0.is_empty());
        let zone = ZoneIndex::new(&Geometry::Point(Point::new(0.0, 0.0)));
        assert!(band_polygon(&zone, 0.0).0.is_empty());
    }
}
