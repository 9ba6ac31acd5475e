//! Geodesic measures on the WGS84 ellipsoid (Karney's algorithms through geo's [`Geodesic`]).
//!
//! Nothing here measures in planar degrees or in a projection: every length is a sum of
//! geodesics between vertices, and polygon clipping runs on lines densified along those
//! geodesics (every [`DENSIFY_M`] metres) so that treating a short piece as straight in lon/lat
//! moves the clipped lengths by far less than the 0.5 % the contract allows.
//!
//! | module | what |
//! |---|---|
//! | this file | lengths, distances, densification, clipping by polygons, per-country split |
//! | [`ecef`] | ECEF coordinates and the chord/box bounds on geodesic distances |
//! | `balls` | geodesic ball trees: triangle-inequality bounds that stay tight up to the antipode |
//! | [`nearest`] | point ↔ geodesic piece and point ↔ line searches, one-off line ↔ zone queries |
//! | [`zone_index`] | a zone of any geometry prepared for repeated nearest-point queries |
//! | [`route_index`] | a corridor's route prepared for repeated zone queries (exposure, profiles) |
//! | [`buffer`] | the area within a geodesic distance of a zone, as polygons (distance bands for maps) |

pub(crate) mod balls;
pub mod buffer;
pub mod ecef;
pub mod nearest;
pub mod route_index;
pub mod zone_index;

pub use buffer::band_polygon;
pub use ecef::{ecef, geodesic_lower_bound, geodesic_upper_bound};
pub use nearest::{
    line_zone_distance, point_line_distance_m, point_piece, point_zone_distance_m, LineZone,
    Nearest, MEET_M,
};
pub(crate) use route_index::{Near, Piece, PieceSet};
pub use route_index::{RouteGeom, BLOCK, BLOCK_M, FAR_M, NEAR_MARGIN_M, ROUTE_DENSIFY_M};
pub use zone_index::{ZoneIndex, ZONE_DENSIFY_M};

use crate::model::Country;
use geo::{
    BooleanOps, BoundingRect, Distance, Geodesic, Intersects, Length, LineString, MultiLineString,
    MultiPolygon, Point, Rect,
};
use std::collections::BTreeMap;

/// Spacing of the densified route used for clipping, in metres.
pub const DENSIFY_M: f64 = 500.0;

/// Geodesic distance between two lon/lat points, in metres.
///
/// ```
/// use geo::Point;
/// // Sofia to Plovdiv, 132.675 km on WGS84 (geographiclib).
/// let d = corridor::geodesy::distance_m(Point::new(23.319941, 42.698334), Point::new(24.742168, 42.136097));
/// assert!((d - 132_675.5018).abs() < 0.01);
/// ```
pub fn distance_m(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic.distance(a, b)
}

/// Edges up to this long (chord, metres) are measured from their chord
/// ([`edge_length_m`]).
const CHORD_EDGE_M: f64 = 10_000.0;

/// The geodesic length (metres) of the edge from `a` to `b`, whose ECEF coordinates are `ea`,
/// `eb`: for an edge up to [`CHORD_EDGE_M`], from its chord c as the arc of the normal section
/// through it, c (1 + c²k²/24 + 3c⁴k⁴/640) with k the normal curvature in the chord's direction
/// at its middle (cos²α/M + sin²α/N); otherwise by Karney's inverse problem ([`distance_m`]).
/// On an edge that short the normal section and the geodesic differ in length by less than
/// 1e-13 m, and the curvature's change along the edge moves the c³ term by a part in 10⁷, so
/// the length is Karney's to the nanometre of the chord's own rounding (tested from 1 mm to
/// 10 km at every latitude and azimuth), at a few multiplications and square roots instead of
/// an iterative inverse problem.
pub fn edge_length_m(a: Point<f64>, b: Point<f64>, ea: [f64; 3], eb: [f64; 3]) -> f64 {
    use ecef::{WGS84_A as A, WGS84_E2 as E2};
    let d = [eb[0] - ea[0], eb[1] - ea[1], eb[2] - ea[2]];
    let c2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    let c = c2.sqrt();
    if c > CHORD_EDGE_M || !c.is_finite() {
        return distance_m(a, b);
    }
    if c == 0.0 {
        return 0.0;
    }
    // The ellipsoid's normal at the chord's middle (normalised (x, y, z / (1 − e²))): its z is
    // sin φ there.
    let m = [
        (ea[0] + eb[0]) / 2.0,
        (ea[1] + eb[1]) / 2.0,
        (ea[2] + eb[2]) / 2.0 / (1.0 - E2),
    ];
    let mn = (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]).sqrt();
    let u = [m[0] / mn, m[1] / mn, m[2] / mn];
    let sin2 = u[2] * u[2];
    let w2 = 1.0 - E2 * sin2;
    let rn = A / w2.sqrt();
    let rm = A * (1.0 - E2) / (w2 * w2.sqrt());
    // The chord's horizontal part and its north component (north: (ẑ − sin φ u) / cos φ).
    let dv = d[0] * u[0] + d[1] * u[1] + d[2] * u[2];
    let h2 = (c2 - dv * dv).max(0.0);
    let cos2 = 1.0 - sin2;
    let k = if h2 > 0.0 && cos2 > 1e-18 {
        let dn = (d[2] - u[2] * dv) / cos2.sqrt();
        let n2 = (dn * dn).min(h2);
        (n2 / rm + (h2 - n2) / rn) / h2
    } else {
        1.0 / rn
    };
    let x = c * k;
    c * (1.0 + x * x / 24.0 + 3.0 * x.powi(4) / 640.0)
}

/// A lon/lat point with its ECEF coordinates ([`ecef::ecef`]).
pub type Vertex = (Point<f64>, [f64; 3]);

/// A line being densified ([`densify_edge`]): its points, their ECEF coordinates and the length
/// of each piece between them.
#[derive(Debug, Clone, Default)]
pub struct DenseLine {
    pub pts: Vec<Point<f64>>,
    pub ecef: Vec<[f64; 3]>,
    pub plen: Vec<f64>,
}

/// [`densify`] for the geodesic between `a` and `b` (each a point with its ECEF coordinates;
/// `len` the geodesic's length), appending the points after `a` up to and including `b`, their
/// ECEF coordinates and each piece's length to `out`.
///
/// An edge up to [`CHORD_EDGE_M`] long is cut along its chord instead of by Karney's direct
/// problem: the chord point at the fraction that the points' arc fractions make on the
/// osculating circle (`(1 + tan((2s − 1)θ) / tan θ) / 2` for arc fraction `s` and half-angle `θ`,
/// from the chord's ratio to the length) is projected onto the ellipsoid along its normal
/// (Bowring's formula, as [`ecef::from_ecef`]; its sines and cosines also give the point's ECEF
/// coordinates without more trigonometry). On an edge that short the normal section through the chord and the geodesic
/// are less than a micrometre apart and the circle holds the arc to a part in 10⁷ of its
/// sagitta, so the points are geo's `Densify` points to within a few micrometres (tested from
/// 1 m to 10 km at every latitude and azimuth) at a fraction of the cost: one inverse problem
/// per edge and one direct problem per point were the larger part of exposure's work near
/// zones. Longer edges get geo's points bit for bit.
pub fn densify_edge((a, ea): Vertex, (b, eb): Vertex, len: f64, max_m: f64, out: &mut DenseLine) {
    use geographiclib_rs::{capability as caps, GeodesicLine, InverseGeodesic};
    let n = pieces(len, max_m);
    let frac = 1.0 / n;
    let count = n as u64;
    if count > 1 && len <= CHORD_EDGE_M {
        let d = [eb[0] - ea[0], eb[1] - ea[1], eb[2] - ea[2]];
        let c = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        // c / len = sin θ / θ = 1 − θ²/6 + θ⁴/120: θ² = 6x (1 + 3x/10) to a part in 10⁷ of θ.
        let x = (1.0 - c / len).max(0.0);
        let theta = (6.0 * x * (1.0 + 0.3 * x)).sqrt();
        let tan_theta = theta.tan();
        for i in 1..count {
            let s = frac * i as f64;
            let t = if tan_theta > 1e-12 {
                0.5 * (1.0 + ((2.0 * s - 1.0) * theta).tan() / tan_theta)
            } else {
                s
            };
            let (p, e) = ecef::to_surface([ea[0] + t * d[0], ea[1] + t * d[1], ea[2] + t * d[2]]);
            out.pts.push(p);
            out.ecef.push(e);
        }
    } else if count > 1 {
        // What geo's `point_at_ratio_between` computes for each point (an inverse for the
        // azimuth, then a direct problem, which builds this same line), once per edge.
        let g = nearest::wgs84();
        let (total, azi1, _, _): (f64, f64, f64, f64) = g.inverse(a.y(), a.x(), b.y(), b.x());
        let mask = caps::LATITUDE | caps::LONGITUDE | caps::DISTANCE_IN;
        let line = GeodesicLine::new(g, a.y(), a.x(), azi1, Some(mask), None, None);
        for i in 1..count {
            let (_, lat, lon, ..) = line._gen_position(false, total * (frac * i as f64), mask);
            let p = Point::new(lon, lat);
            out.pts.push(p);
            out.ecef.push(ecef::ecef(p));
        }
    }
    out.pts.push(b);
    out.ecef.push(eb);
    for _ in 0..count {
        out.plen.push(len * frac);
    }
}

/// The lon/lat box of pieces given by their two ends (for planar crossing tests).
pub(crate) fn lonlat_box(
    pieces: impl Iterator<Item = (Point<f64>, Point<f64>)>,
) -> rstar::AABB<[f64; 2]> {
    let corners: Vec<[f64; 2]> = pieces
        .flat_map(|(a, b)| [[a.x(), a.y()], [b.x(), b.y()]])
        .collect();
    rstar::AABB::from_points(corners.iter())
}

/// How many pieces [`densify_edge`] cuts an edge of `len` metres into: ⌈len / max_m⌉, at least
/// one.
pub(crate) fn pieces(len: f64, max_m: f64) -> f64 {
    (len / max_m).ceil().max(1.0)
}

/// Each edge of `line` with both ends as (point, ECEF coordinates), each vertex converted once.
fn ecef_edges(line: &LineString<f64>) -> impl Iterator<Item = (Vertex, Vertex)> + '_ {
    let mut before: Option<Vertex> = None;
    line.points().filter_map(move |p| {
        let here = (p, ecef::ecef(p));
        before.replace(here).map(|a| (a, here))
    })
}

/// Length of a lon/lat line as the sum of geodesics between its vertices, in metres.
pub fn length_m(line: &LineString<f64>) -> f64 {
    Geodesic.length(line)
}

/// The line with extra vertices on the geodesics between its vertices, at most `max_m` apart:
/// geo's [`Densify`] for [`Geodesic`], with edges up to [`CHORD_EDGE_M`] measured
/// ([`edge_length_m`]) and cut ([`densify_edge`]) from their chords, to micrometres of its
/// points.
pub fn densify(line: &LineString<f64>, max_m: f64) -> LineString<f64> {
    let Some(first) = line.0.first() else {
        return LineString::new(Vec::new());
    };
    let mut out = DenseLine::default();
    out.pts.push(Point(*first));
    for (a, b) in ecef_edges(line) {
        let len = edge_length_m(a.0, b.0, a.1, b.1);
        densify_edge(a, b, len, max_m, &mut out);
    }
    LineString::from(out.pts.into_iter().map(|p| p.0).collect::<Vec<_>>())
}

/// Length of `line` inside `area`, in metres: the densified line is clipped by the polygons and
/// the pieces are measured geodesically ([`edge_length_m`]).
pub fn length_inside_m(dense: &LineString<f64>, area: &MultiPolygon<f64>) -> f64 {
    let (Some(lb), Some(ab)) = (dense.bounding_rect(), area.bounding_rect()) else {
        return 0.0;
    };
    if !lb.intersects(&ab) {
        return 0.0;
    }
    let clipped = area.clip(&MultiLineString(vec![dense.clone()]), false);
    // The clipped pieces are at most a densified piece long: measured from their chords.
    clipped
        .0
        .iter()
        .map(|l| {
            ecef_edges(l)
                .map(|(a, b)| edge_length_m(a.0, b.0, a.1, b.1))
                .sum::<f64>()
        })
        .sum()
}

/// Splits lines by country: ISO3 → km, with the length outside every polygon under `unassigned`
/// (only when it is more than a metre). Countries are tested in the order given.
pub fn country_split(lines: &[&LineString<f64>], countries: &[Country]) -> BTreeMap<String, f64> {
    let boxes: Vec<Option<Rect<f64>>> = countries
        .iter()
        .map(|c| c.geometry.bounding_rect())
        .collect();
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    let mut total = 0.0;
    for line in lines {
        total += length_m(line);
        let dense = densify(line, DENSIFY_M);
        let Some(lb) = dense.bounding_rect() else {
            continue;
        };
        for (c, b) in countries.iter().zip(&boxes) {
            if b.is_some_and(|b| b.intersects(&lb)) {
                let inside = length_inside_m(&dense, &c.geometry);
                if inside > 0.0 {
                    *out.entry(c.iso3.clone()).or_insert(0.0) += inside;
                }
            }
        }
    }
    let assigned: f64 = out.values().sum();
    let unassigned = total - assigned;
    let mut km: BTreeMap<String, f64> = out.into_iter().map(|(k, v)| (k, v / 1000.0)).collect();
    if unassigned > 1.0 {
        km.insert("unassigned".to_string(), unassigned / 1000.0);
    }
    km
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Densify;
    use geo::{line_string, polygon};

    /// Each edge densified by [`densify_edge`] against geo's [`densify`] of it: the same number
    /// of points, bit for bit on edges longer than [`CHORD_EDGE_M`], within `tol_m` of geo's
    /// points on shorter ones; pieces of len/n adding up to the line's geodesic length.
    fn check_densify_edge(line: &LineString<f64>, max: f64, tol_m: f64) -> f64 {
        let want = Geodesic.densify(line, max);
        let mut out = DenseLine::default();
        out.pts.push(Point(line.0[0]));
        out.ecef.push(ecef::ecef(out.pts[0]));
        let mut long = vec![false];
        for w in line.0.windows(2) {
            let (a, b) = (Point(w[0]), Point(w[1]));
            let len = Geodesic.distance(a, b);
            let before = out.pts.len();
            densify_edge((a, ecef::ecef(a)), (b, ecef::ecef(b)), len, max, &mut out);
            long.extend((before..out.pts.len()).map(|_| len > CHORD_EDGE_M));
        }
        // Each point's ECEF coordinates are its own, to rounding.
        for (p, e) in out.pts.iter().zip(&out.ecef) {
            assert!(ecef::dist3(ecef::ecef(*p), *e) < 1e-6, "{p:?}");
        }
        let DenseLine { pts: got, plen, .. } = out;
        assert_eq!(got.len(), want.0.len(), "max {max}");
        assert_eq!(plen.len(), got.len() - 1);
        let mut worst: f64 = 0.0;
        for ((g, w), long) in got.iter().zip(&want.0).zip(&long) {
            if *long {
                assert_eq!(g.0, *w, "max {max}");
            } else {
                let off = Geodesic.distance(*g, Point(*w));
                worst = worst.max(off);
                assert!(off < tol_m, "{g:?} is {off} m from geo's {w:?} (max {max})");
            }
        }
        let (total, want_total) = (plen.iter().sum::<f64>(), length_m(line));
        assert!(
            (total - want_total).abs() < 1e-6 + 1e-11 * want_total,
            "{total} m against {want_total} m"
        );
        for (w, l) in got.windows(2).zip(&plen) {
            assert!((Geodesic.distance(w[0], w[1]) - l).abs() < 1e-5);
        }
        worst
    }

    #[test]
    fn densify_edge_is_geo_densify() {
        let pts = [
            (45.0, 40.0),
            (45.003, 40.001),
            (46.2, 41.7),
            (46.2, 41.7),
            (30.0, 39.0),
            (-10.0, 60.0),
            (-10.0001, 60.0),
            (-10.08, 60.05),
            (179.99, 0.0),
            (-179.99, 0.01),
        ];
        let line = LineString::from(pts.to_vec());
        for max in [250.0, 2_000.0, 123_456.0] {
            check_densify_edge(&line, max, 5e-6);
        }
    }

    /// A geodesic edge from a random point (latitude within ±`max_lat`) in a random direction,
    /// 10^x metres long for x drawn from `log_len`: its ends and length.
    fn random_edge(
        rng: &mut rand_chacha::ChaCha8Rng,
        max_lat: f64,
        log_len: std::ops::Range<f64>,
    ) -> (Point<f64>, Point<f64>, f64) {
        use geo::Destination;
        use rand::Rng;
        let a = Point::new(
            rng.random_range(-180.0..180.0),
            rng.random_range(-max_lat..max_lat),
        );
        let len = 10f64.powf(rng.random_range(log_len));
        let b = Geodesic.destination(a, rng.random_range(0.0..360.0), len);
        (a, b, len)
    }

    // Short edges cut along their chords: within a few micrometres of geo's (Karney's) points at
    // every latitude and azimuth, from a metre to 10 km, into 2 to 40 pieces.
    #[test]
    fn short_edges_densified_along_their_chords() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut worst: f64 = 0.0;
        for _ in 0..3_000 {
            let (a, b, len) = random_edge(&mut rng, 89.9, 0.0..4.0);
            let max = len / rng.random_range(1.01..40.0);
            worst = worst.max(check_densify_edge(&LineString(vec![a.0, b.0]), max, 5e-6));
        }
        eprintln!("worst {worst:e} m");
    }

    // Short edges from their chord: within a nanometre of Karney's geodesic, at every latitude
    // and azimuth, from a millimetre to 10 km (and Karney's beyond).
    #[test]
    fn short_edges_from_their_chords() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut worst: f64 = 0.0;
        for i in 0..100_000 {
            let (a, b, _) = random_edge(&mut rng, 90.0, -3.0..if i % 10 == 0 { 5.5 } else { 4.0 });
            let want = Geodesic.distance(a, b);
            let got = edge_length_m(a, b, ecef::ecef(a), ecef::ecef(b));
            worst = worst.max((got - want).abs());
            assert!((got - want).abs() < 1e-8, "{a:?} {b:?}: {got} vs {want}");
        }
        eprintln!("worst {worst:e}");
    }

    // Reference values from GeographicLib's GeodSolve (WGS84), computed independently:
    // `echo "41 45 41 46" | GeodSolve -i` → s12 = 84,184.9 m along the parallel's endpoints.
    #[test]
    fn one_degree_of_longitude_at_41n() {
        let d = distance_m(Point::new(45.0, 41.0), Point::new(46.0, 41.0));
        // Closed form for the parallel arc: a cos φ / sqrt(1 - e² sin² φ) × Δλ = 84,137 m; the
        // geodesic is slightly shorter than the parallel arc (it bows poleward).
        let a = 6_378_137.0_f64;
        let e2 = 0.006_694_379_990_14_f64;
        let phi = 41.0_f64.to_radians();
        let parallel = a * phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt() * 1.0_f64.to_radians();
        assert!(
            d < parallel && parallel - d < 1.0,
            "d={d} parallel={parallel}"
        );
    }

    #[test]
    fn meridian_degree_matches_closed_form() {
        // Meridian arc 40°–41° N: ∫ a(1−e²)/(1−e² sin²φ)^{3/2} dφ, Simpson's rule.
        let a = 6_378_137.0_f64;
        let e2 = 0.006_694_379_990_14_f64;
        let m = |p: f64| a * (1.0 - e2) / (1.0 - e2 * p.sin().powi(2)).powf(1.5);
        let (p0, p1) = (40.0_f64.to_radians(), 41.0_f64.to_radians());
        let n = 100;
        let h = (p1 - p0) / n as f64;
        let mut s = m(p0) + m(p1);
        for i in 1..n {
            s += m(p0 + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        let arc = s * h / 3.0;
        let d = distance_m(Point::new(45.0, 40.0), Point::new(45.0, 41.0));
        assert!((d - arc).abs() < 0.01, "d={d} arc={arc}");
    }

    #[test]
    fn clipping_a_meridian_line_by_a_box() {
        // A line along 45°E from 40°N to 42°N, a box from 40.5°N to 41.5°N: inside is the
        // meridian arc 40.5–41.5, 111,061 m (closed-form integral as above, to 1 m).
        let line = line_string![(x: 45.0, y: 40.0), (x: 45.0, y: 42.0)];
        let area = MultiPolygon(vec![polygon![
            (x: 44.0, y: 40.5), (x: 46.0, y: 40.5), (x: 46.0, y: 41.5), (x: 44.0, y: 41.5), (x: 44.0, y: 40.5)
        ]]);
        let inside = length_inside_m(&densify(&line, DENSIFY_M), &area);
        let expected = distance_m(Point::new(45.0, 40.5), Point::new(45.0, 41.5));
        assert!(
            (inside - expected).abs() < 1.0,
            "inside={inside} expected={expected}"
        );
        assert!((expected - 111_061.0).abs() < 50.0, "{expected}");
    }

    #[test]
    fn split_puts_the_rest_in_unassigned() {
        let line = line_string![(x: 45.0, y: 40.0), (x: 45.0, y: 42.0)];
        let c = Country {
            iso3: "AZE".into(),
            name: "box".into(),
            geometry: MultiPolygon(vec![polygon![
                (x: 44.0, y: 39.0), (x: 46.0, y: 39.0), (x: 46.0, y: 41.0), (x: 44.0, y: 41.0), (x: 44.0, y: 39.0)
            ]]),
        };
        let split = country_split(&[&line], &[c]);
        let total = length_m(&line) / 1000.0;
        assert!((split["AZE"] + split["unassigned"] - total).abs() < 1e-6);
        assert!(
            (split["AZE"] - distance_m(Point::new(45.0, 40.0), Point::new(45.0, 41.0)) / 1000.0)
                .abs()
                < 0.001
        );
    }
}
