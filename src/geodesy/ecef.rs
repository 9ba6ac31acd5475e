//! Earth-centred, earth-fixed (ECEF) coordinates on WGS84 and the bounds they give.
//!
//! A chord between two surface points is never longer than the geodesic between them, and a
//! geodesic departs from its chord by at most its sagitta: so 3-D boxes and chord distances give
//! cheap, exact lower bounds on geodesic distances ([`geodesic_lower_bound`], [`aabb_gap`],
//! [`sagitta`]). The R-trees of [`super::ZoneIndex`] and [`super::RouteGeom`] are built on them.

use geo::Point;
use rstar::AABB;

/// WGS84's semi-major axis (metres), flattening and first eccentricity squared.
pub(crate) const WGS84_A: f64 = 6_378_137.0;
pub(crate) const WGS84_F: f64 = 1.0 / 298.257_223_563;
pub(crate) const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// ECEF coordinates (metres) of a lon/lat point on the WGS84 ellipsoid surface.
pub fn ecef(p: Point<f64>) -> [f64; 3] {
    let e2 = WGS84_E2;
    let (lat, lon) = (p.y().to_radians(), p.x().to_radians());
    let n = WGS84_A / (1.0 - e2 * lat.sin().powi(2)).sqrt();
    [
        n * lat.cos() * lon.cos(),
        n * lat.cos() * lon.sin(),
        n * (1.0 - e2) * lat.sin(),
    ]
}

/// The lon/lat of the surface point below (or above) an ECEF point near the surface (Bowring's
/// formula, millimetre-accurate within kilometres of the ellipsoid).
pub fn from_ecef(e: [f64; 3]) -> Point<f64> {
    let (_, num, den) = bowring(e);
    surface_point(e, num, den)
}

/// [`from_ecef`]'s surface point, with its ECEF coordinates ([`ecef`] of it, to rounding)
/// computed from the same sines and cosines instead of by trigonometry again.
pub(crate) fn to_surface(e: [f64; 3]) -> (Point<f64>, [f64; 3]) {
    let (p, num, den) = bowring(e);
    let r = (num * num + den * den).sqrt();
    let (sin_lat, cos_lat) = (num / r, den / r);
    let (cos_lon, sin_lon) = if p > 0.0 {
        (e[0] / p, e[1] / p)
    } else {
        (1.0, 0.0)
    };
    let n = WGS84_A / (1.0 - WGS84_E2 * sin_lat * sin_lat).sqrt();
    (
        surface_point(e, num, den),
        [
            n * cos_lat * cos_lon,
            n * cos_lat * sin_lon,
            n * (1.0 - WGS84_E2) * sin_lat,
        ],
    )
}

/// The lon/lat of the surface point below `e` from Bowring's latitude tangent `num / den`.
fn surface_point(e: [f64; 3], num: f64, den: f64) -> Point<f64> {
    Point::new(e[1].atan2(e[0]).to_degrees(), num.atan2(den).to_degrees())
}

/// Bowring's formula for the latitude of the surface point below (or above) `e`: its distance
/// from the axis p, and the latitude's tangent as a ratio (num / den).
fn bowring(e: [f64; 3]) -> (f64, f64, f64) {
    let a = WGS84_A;
    let b = a * (1.0 - WGS84_F);
    let e2 = WGS84_E2;
    let ep2 = (a * a - b * b) / (b * b);
    let p = (e[0] * e[0] + e[1] * e[1]).sqrt();
    // Bowring's auxiliary angle θ = atan2(z a, p b), its sine and cosine taken from the two
    // sides instead of by trigonometry.
    let (za, pb) = (e[2] * a, p * b);
    let h = (za * za + pb * pb).sqrt();
    let (sin_t, cos_t) = if h > 0.0 {
        (za / h, pb / h)
    } else {
        (0.0, 1.0)
    };
    (
        p,
        e[2] + ep2 * b * sin_t.powi(3),
        p - e2 * a * cos_t.powi(3),
    )
}

/// Euclidean distance between two ECEF points.
pub fn dist3(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// Least Euclidean distance between the 3-D segments `p0`–`p1` and `q0`–`q1` (either may be a
/// point), by the clamped closest-points construction of Ericson, *Real-Time Collision
/// Detection* (2005), §5.1.9.
pub fn segment_segment_distance(p0: [f64; 3], p1: [f64; 3], q0: [f64; 3], q1: [f64; 3]) -> f64 {
    let sub = |a: [f64; 3], b: [f64; 3]| [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
    let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    let (d1, d2, r) = (sub(p1, p0), sub(q1, q0), sub(p0, q0));
    let (a, e, f) = (dot(d1, d1), dot(d2, d2), dot(d2, r));
    let (s, t);
    if a <= f64::EPSILON && e <= f64::EPSILON {
        return dist3(p0, q0);
    }
    if a <= f64::EPSILON {
        s = 0.0;
        t = (f / e).clamp(0.0, 1.0);
    } else {
        let c = dot(d1, r);
        if e <= f64::EPSILON {
            t = 0.0;
            s = (-c / a).clamp(0.0, 1.0);
        } else {
            let b = dot(d1, d2);
            let denom = a * e - b * b;
            let s0 = if denom > 0.0 {
                ((b * f - c * e) / denom).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let t0 = (b * s0 + f) / e;
            if t0 < 0.0 {
                t = 0.0;
                s = (-c / a).clamp(0.0, 1.0);
            } else if t0 > 1.0 {
                t = 1.0;
                s = ((b - c) / a).clamp(0.0, 1.0);
            } else {
                t = t0;
                s = s0;
            }
        }
    }
    let cp = [p0[0] + d1[0] * s, p0[1] + d1[1] * s, p0[2] + d1[2] * s];
    let cq = [q0[0] + d2[0] * t, q0[1] + d2[1] * t, q0[2] + d2[2] * t];
    dist3(cp, cq)
}

/// Least Euclidean distance between two 3-D boxes (0 when they overlap): a lower bound on the
/// geodesic distance between anything inside them, since a chord is never longer than the
/// geodesic between its ends.
pub fn aabb_gap(a: &AABB<[f64; 3]>, b: &AABB<[f64; 3]>) -> f64 {
    let (al, au, bl, bu) = (a.lower(), a.upper(), b.lower(), b.upper());
    let mut s = 0.0;
    for i in 0..3 {
        let gap = (bl[i] - au[i]).max(al[i] - bu[i]).max(0.0);
        s += gap * gap;
    }
    s.sqrt()
}

/// Smallest radius of curvature of the WGS84 ellipsoid, b²/a (m).
pub const RHO_MIN_M: f64 = 6_335_439.3;
/// Largest radius of curvature of the WGS84 ellipsoid, a²/b (m).
pub const RHO_MAX_M: f64 = 6_399_593.6;

/// A lower bound on the geodesic distance between two surface points `c` metres apart in a
/// straight line: the arc over that chord of a sphere of the ellipsoid's largest radius of
/// curvature, 2ρ·asin(c/2ρ) (a flatter arc is shorter). Checked against geographiclib on 200,000
/// random pairs: never above the geodesic, and within 0.08 % of it from 1,000 to 6,000 km.
pub fn geodesic_lower_bound(c: f64) -> f64 {
    if c > 0.0 && c.is_finite() {
        2.0 * RHO_MAX_M * (c / (2.0 * RHO_MAX_M)).min(1.0).asin()
    } else {
        c
    }
}

/// The chord under an arc of `g` metres on the sphere of [`geodesic_lower_bound`]: the inverse
/// of that bound, so that `geodesic_lower_bound(c) <= g` exactly when `c <= chord_of_arc(g)`
/// (to rounding).
pub fn chord_of_arc(g: f64) -> f64 {
    if g <= 0.0 {
        g
    } else {
        2.0 * RHO_MAX_M
            * (g / (2.0 * RHO_MAX_M))
                .min(std::f64::consts::FRAC_PI_2)
                .sin()
    }
}

/// An upper bound on the geodesic length of an edge whose ends are `c` metres apart in a
/// straight line: c + c³/20ρ² with the smallest radius of curvature (the sphere's series
/// c + c³/24ρ² + 3c⁵/640ρ⁴ + … with room to spare), up to 3,000 km; beyond, the longest
/// geodesic there is (half a meridian).
pub fn geodesic_upper_bound(c: f64) -> f64 {
    if c > 3.0e6 {
        HALF_MERIDIAN_M
    } else {
        c + c * c * c / (20.0 * RHO_MIN_M * RHO_MIN_M) + 1e-6
    }
}

/// Half the length of a WGS84 meridian (m), the longest geodesic between two points.
const HALF_MERIDIAN_M: f64 = 20_003_931.46;

/// How far (m) a geodesic of length `len` can depart from its chord, with a metre to spare.
pub fn sagitta(len: f64) -> f64 {
    len * len / (8.0 * RHO_MIN_M) + 1.0
}

/// `env` grown by `g` metres on every side.
pub fn grow(env: AABB<[f64; 3]>, g: f64) -> AABB<[f64; 3]> {
    let (lo, hi) = (env.lower(), env.upper());
    AABB::from_corners(
        [lo[0] - g, lo[1] - g, lo[2] - g],
        [hi[0] + g, hi[1] + g, hi[2] + g],
    )
}

/// Chord tolerance when collecting candidates. A geodesic of length s has a chord of about
/// s − s³/24ρ², where the radius of curvature ρ varies by about 1 % with latitude and direction
/// on WGS84; so two zone points at chord distances within chord·(chord/R)²/200 (+ 1 m for the
/// centimetre sagitta of the zone chords) of each other could swap order geodesically. Every
/// piece within that slack of the best chord is refined geodesically.
pub fn candidate_slack(chord: f64) -> f64 {
    let r = chord / 6.3e6;
    chord * r * r / 200.0 + 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Geodesic};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_point(rng: &mut ChaCha8Rng) -> Point<f64> {
        Point::new(
            rng.random_range(-180.0..180.0),
            rng.random_range(-85.0..85.0),
        )
    }

    // The chord-to-arc bound is what lets far zones be skipped: it must never exceed the
    // geodesic, and must be tight enough to skip them (within 0.1 % from 1,000 to 6,000 km).
    #[test]
    fn arc_bound_never_exceeds_the_geodesic() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut worst_rel: f64 = 0.0;
        for i in 0..20_000 {
            let p = random_point(&mut rng);
            let q = if i % 2 == 0 {
                random_point(&mut rng)
            } else {
                let d = 10f64.powf(rng.random_range(-3.0..1.5));
                Point::new(
                    p.x() + rng.random_range(-d..d),
                    (p.y() + rng.random_range(-d..d)).clamp(-89.0, 89.0),
                )
            };
            let (g, c) = (Geodesic.distance(p, q), dist3(ecef(p), ecef(q)));
            let lb = geodesic_lower_bound(c);
            assert!(lb <= g + 1e-6, "{p:?} {q:?}: {lb} > {g}");
            assert!(geodesic_upper_bound(c) >= g - 1e-6, "{p:?} {q:?}");
            if (1.0e6..6.0e6).contains(&g) {
                worst_rel = worst_rel.max((g - lb) / g);
            }
        }
        assert!(worst_rel < 1e-3, "{worst_rel}");
    }

    #[test]
    fn segment_distance_matches_sampling() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut v = || {
            [
                rng.random_range(-5.0..5.0),
                rng.random_range(-5.0..5.0),
                rng.random_range(-5.0..5.0),
            ]
        };
        for _ in 0..200 {
            let (p0, p1, q0, q1) = (v(), v(), v(), v());
            let d = segment_segment_distance(p0, p1, q0, q1);
            let at = |a: [f64; 3], b: [f64; 3], t: f64| {
                [
                    a[0] + (b[0] - a[0]) * t,
                    a[1] + (b[1] - a[1]) * t,
                    a[2] + (b[2] - a[2]) * t,
                ]
            };
            let n = 400;
            let mut sampled = f64::INFINITY;
            for i in 0..=n {
                for j in 0..=n {
                    let (s, t) = (i as f64 / n as f64, j as f64 / n as f64);
                    sampled = sampled.min(dist3(at(p0, p1, s), at(q0, q1, t)));
                }
            }
            // Sampling never beats the true minimum, and comes within a sample step of it.
            assert!(d <= sampled + 1e-12, "{d} {sampled}");
            assert!(sampled - d < 0.05, "{d} {sampled}");
        }
        // Degenerate cases: a point against a segment, two points, parallel segments.
        assert!(
            (segment_segment_distance([0.0; 3], [0.0; 3], [1.0, -1.0, 0.0], [1.0, 1.0, 0.0]) - 1.0)
                .abs()
                < 1e-12
        );
        assert!(
            (segment_segment_distance([0.0; 3], [0.0; 3], [3.0, 4.0, 0.0], [3.0, 4.0, 0.0]) - 5.0)
                .abs()
                < 1e-12
        );
        assert!(
            (segment_segment_distance([0.0; 3], [1.0, 0.0, 0.0], [0.5, 2.0, 0.0], [3.0, 2.0, 0.0])
                - 2.0)
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn ecef_round_trip() {
        for (lon, lat) in [(45.5, 41.1), (-120.0, -33.0), (179.9, 89.0), (0.0, 0.0)] {
            let p = Point::new(lon, lat);
            let q = from_ecef(ecef(p));
            assert!(Geodesic.distance(p, q) < 1e-3, "{p:?} {q:?}");
        }
    }
}
