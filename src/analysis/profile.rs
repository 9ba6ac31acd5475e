//! The distance to a zone sampled along a corridor by chainage (`corridor profile`).

use super::{find_corridor_lines, find_zone, RequestError};
use crate::geodesy::{RouteGeom, ZoneIndex};
use crate::model::{round, Network, Zone};
use rayon::prelude::*;

/// Most samples a profile takes (a guard against a tiny step exhausting memory).
pub const MAX_SAMPLES: usize = 1_000_000;

/// One sample of `corridor profile`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sample {
    pub chainage_km: f64,
    pub lon: f64,
    pub lat: f64,
    pub distance_km: f64,
}

/// Distance to the zone sampled along the route at multiples of `step_km` of chainage, plus the
/// route's end; each sample's distance is exact ([`ZoneIndex::nearest`]). On a corridor of
/// several lines that do not follow one another, the samples run through its lines one after
/// another in file order, each with its own chainage ([`RouteGeom`]).
pub fn profile(route: &RouteGeom, zone: &ZoneIndex, step_km: f64) -> Vec<Sample> {
    profile_with_progress(route, zone, step_km, &|_| {})
}

/// The chainages (m) a profile samples: multiples of `step_m`, and the end.
pub fn sample_chainages(length_m: f64, step_m: f64) -> Vec<f64> {
    let mut at: Vec<f64> = Vec::new();
    if step_m > 0.0 && step_m.is_finite() {
        let n = (length_m / step_m).floor() as usize;
        at.extend((0..=n).map(|i| i as f64 * step_m));
    }
    if at.last().is_none_or(|l| length_m - l > 1e-6) {
        at.push(length_m);
    }
    at
}

/// [`profile`], calling `progress(1)` after each sample.
pub fn profile_with_progress(
    route: &RouteGeom,
    zone: &ZoneIndex,
    step_km: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Sample> {
    let at = sample_chainages(route.length_m, step_km * 1000.0);
    at.par_iter()
        .filter_map(|&s| {
            progress(1);
            let (p, ch) = route.point_at_chainage(s)?;
            let d = zone.nearest(p).0;
            Some(Sample {
                chainage_km: round(ch / 1000.0, 3),
                lon: round(p.x(), 6),
                lat: round(p.y(), 6),
                distance_km: round(d / 1000.0, 3),
            })
        })
        .collect()
}

/// What `corridor profile` samples: the distance to `zone` along `corridor` every `step_km`.
#[derive(Debug, Clone, Copy)]
pub struct ProfileQuery<'a> {
    pub corridor: &'a str,
    pub zone: &'a str,
    pub step_km: f64,
}

/// A profile ready to run: the route, the zone and the number of samples it will take.
pub struct PreparedProfile<'a> {
    pub route: RouteGeom,
    pub zone: &'a Zone,
    pub samples: usize,
}

/// Checks a profile query against the network and zones and prepares its route.
pub fn prepare<'a>(
    net: &Network,
    zones: &'a [Zone],
    query: ProfileQuery,
) -> Result<PreparedProfile<'a>, RequestError> {
    let ProfileQuery {
        corridor,
        zone,
        step_km,
    } = query;
    if !(step_km.is_finite() && step_km > 0.0) {
        return Err(RequestError(format!(
            "the sample step must be a positive distance in km, got {step_km}"
        )));
    }
    let lines = find_corridor_lines(net, corridor)?;
    let zone = find_zone(zones, zone)?;
    let route = RouteGeom::new(&lines);
    let n = route.length_m / (step_km * 1000.0);
    if n > MAX_SAMPLES as f64 {
        return Err(RequestError(format!(
            "a step of {step_km} km would sample {corridor} ({:.1} km) {n:.0} times; use a step of at least {:.3} km",
            route.length_m / 1000.0,
            route.length_m / 1000.0 / MAX_SAMPLES as f64
        )));
    }
    let samples = sample_chainages(route.length_m, step_km * 1000.0).len();
    Ok(PreparedProfile {
        route,
        zone,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, Geometry, Point};

    #[test]
    fn profile_samples_at_multiples_and_the_end() {
        let r = RouteGeom::new(&[line_string![(x: 45.0, y: 40.0), (x: 45.0, y: 42.0)]]);
        let z = ZoneIndex::new(&Geometry::Point(Point::new(45.0, 43.0)));
        let p = profile(&r, &z, 50.0);
        assert_eq!(p[0].chainage_km, 0.0);
        assert_eq!(p[1].chainage_km, 50.0);
        let last = p.last().map(|s| s.chainage_km).unwrap_or_default();
        assert!((last - r.length_m / 1000.0).abs() < 1e-3);
        // Distance falls as the route heads north to the point.
        assert!(p.windows(2).all(|w| w[1].distance_km < w[0].distance_km));
    }
}
