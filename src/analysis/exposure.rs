//! Corridor × zone exposure: km inside, closest approach (point and chainage), km within each
//! distance band, co-location of corridors inside a zone, and the exposed stretches.
//!
//! The geometry lives in [`RouteGeom`] and [`ZoneIndex`], whose module docs say how each measure
//! is computed and why it holds the contract's accuracy (0.5 % or 0.2 km); this module runs every
//! corridor × zone pair in parallel and assembles the typed results, which
//! [`crate::report::exposure`] turns into tables and GeoJSON.

use super::{sorted_bands, RequestError};
use crate::geodesy::{LineZone, Piece, PieceSet, RouteGeom, ZoneIndex, NEAR_MARGIN_M};
use crate::model::{round, Commodity, Network, Zone};
use geo::{LineString, Point};
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The default distance bands, km. They follow the reach of the weapons deployed along the
/// Armenia–Azerbaijan line, by approximate published ranges: 10 km for mortars and direct
/// fire, 20 km for tube artillery and the BM-21 Grad (about 20 km), 40 km for extended-range
/// rockets and the BM-27 Uragan class (about 35 km), 70 km for long-range rocket artillery of
/// the BM-30 Smerch class (about 70 km). The README gives the sources.
pub const DEFAULT_BANDS_KM: [f64; 4] = [10.0, 20.0, 40.0, 70.0];

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
///
/// ```
/// use corridor::analysis::exposure::measure;
/// use corridor::geodesy::{RouteGeom, ZoneIndex};
/// use geo::{line_string, Geometry, Point};
///
/// // A route along the equator from 0° to 3° E and a point 0.5° north of 1° E: the closest
/// // approach is level with the point, the meridian arc of 0.5°: 55,287.152 m (python
/// // geographiclib 2.x, Geodesic.WGS84.Inverse).
/// let route = RouteGeom::new(&[line_string![(x: 0.0, y: 0.0), (x: 3.0, y: 0.0)]]);
/// let zone = ZoneIndex::new(&Geometry::Point(Point::new(1.0, 0.5)));
/// let m = measure(&route, &zone, &[10.0, 70.0]);
/// assert!((m.closest.distance_m - 55_287.152).abs() < 0.01);
/// // Nothing of the route lies within 10 km; within 70 km lies the stretch from 0.614312° to
/// // 1.385688° E, 85.869 km (geographiclib, by bisection on the distance to the point).
/// assert_eq!(m.within_m[0], (10.0, 0.0));
/// assert!((m.within_m[1].1 / 1000.0 - 85.869).abs() < 0.05);
/// ```
pub fn measure(route: &RouteGeom, zone: &ZoneIndex, bands_km: &[f64]) -> Measures {
    measure_near(route, zone, &sorted_bands(bands_km)).0
}

fn measure_near<'r>(
    route: &'r RouteGeom,
    z: &ZoneIndex,
    bands: &[f64],
) -> (Measures, crate::geodesy::Near<'r>) {
    let radius = bands.last().copied().unwrap_or(0.0) * 1000.0 + NEAR_MARGIN_M;
    let bands_m: Vec<f64> = bands.iter().map(|b| b * 1000.0).collect();
    let near = route.near(z, radius, &bands_m);
    let closest = route.closest(z, &near, radius);
    // Only a route that meets the zone can run inside it.
    let inside_m = if z.has_polygons() && closest.distance_m == 0.0 {
        route.inside_m(z)
    } else {
        0.0
    };
    let within_m = bands
        .iter()
        .copied()
        .zip(RouteGeom::within_each_m(&near, &bands_m))
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

/// Km of route within each band, bands ascending; serialised as a map from the band as written
/// (`"10"`, `"2.5"`) to km, in that order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BandLengths(pub Vec<(f64, f64)>);

impl BandLengths {
    /// Km within the band `band_km`, if it was measured.
    pub fn get(&self, band_km: f64) -> Option<f64> {
        self.0.iter().find(|(b, _)| *b == band_km).map(|(_, v)| *v)
    }
}

impl Serialize for BandLengths {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (b, km) in &self.0 {
            m.serialize_entry(&band_key(*b), km)?;
        }
        m.end()
    }
}

/// One row of `corridor exposure`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exposure {
    pub corridor: String,
    pub zone: String,
    pub inside_km: f64,
    /// Null when the zone or route is empty.
    pub min_distance_km: Option<f64>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub chainage_km: Option<f64>,
    /// Band → km of route within it.
    pub within_km: BandLengths,
    pub capacity: Option<f64>,
    pub capacity_unit: Option<&'static str>,
}

/// One pair of corridors inside a zone.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub min_distance_km: f64,
    /// The point on `a` closest to `b`.
    pub lon: f64,
    pub lat: f64,
}

/// What an exposed stretch is: route within a band of the zone, or inside its polygons.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StretchKind {
    /// Within this band, km.
    Within(f64),
    Inside,
}

/// A part of a route exposed to a zone.
#[derive(Debug, Clone)]
pub struct Stretch {
    /// The row of [`ExposureResult::rows`] (corridor × zone) it belongs to.
    pub row: usize,
    pub kind: StretchKind,
    pub line: LineString<f64>,
}

/// Everything `corridor exposure` computes.
#[derive(Debug, Clone, Default)]
pub struct ExposureResult {
    pub rows: Vec<Exposure>,
    /// Zone id → pairs of corridors that cross it (zones in input order).
    pub colocation: Vec<(String, Vec<Pair>)>,
    /// The exposed stretches (when asked for), row by row, bands ascending, then inside.
    pub stretches: Vec<Stretch>,
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
    route_lines(net)
        .into_par_iter()
        .map(|(c, lines)| (c, RouteGeom::new(&lines)))
        .collect()
}

/// Every corridor's lines, in order of first appearance, with its segments in file order. The
/// lines are borrowed from the network, not copied: [`RouteGeom::new`] keeps its own vertices.
fn route_lines(net: &Network) -> Vec<(String, Vec<&LineString<f64>>)> {
    let mut at: std::collections::HashMap<&str, usize> = Default::default();
    let mut out: Vec<(String, Vec<&LineString<f64>>)> = Vec::new();
    for s in &net.segments {
        let i = *at.entry(s.corridor.as_str()).or_insert_with(|| {
            out.push((s.corridor.clone(), Vec::new()));
            out.len() - 1
        });
        out[i].1.push(&s.line);
    }
    out
}

/// Checks distance bands: at least one, each positive and finite.
pub fn validate_bands(bands: &[f64]) -> Result<(), RequestError> {
    if bands.is_empty() {
        return Err(RequestError(
            "at least one distance band in km is needed, e.g. 10,20,40,70".into(),
        ));
    }
    if let Some(b) = bands.iter().find(|b| !(b.is_finite() && **b > 0.0)) {
        return Err(RequestError(format!(
            "distance bands must be positive finite distances in km, got {b}"
        )));
    }
    Ok(())
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
    exposure_with_progress(net, zones, bands_km, with_stretches, &|_| {})
}

/// [`exposure`], calling `progress(1)` after each corridor × zone pair measured (there are
/// `net.corridors().len() × zones.len()` of them).
pub fn exposure_with_progress(
    net: &Network,
    zones: &[&Zone],
    bands_km: &[f64],
    with_stretches: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> ExposureResult {
    let bands = sorted_bands(bands_km);
    let band_min_m = bands.first().copied().unwrap_or(0.0) * 1000.0;
    // Only the lines here: each route is prepared where it is measured (below).
    let routes = route_lines(net);
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
    struct Cell {
        row: Exposure,
        /// The pieces that make the corridor a member of the zone's co-location (empty when
        /// it is not one).
        members: Vec<Piece>,
        stretches: Vec<(StretchKind, LineString<f64>)>,
    }
    let cell = |ri: usize, route: &RouteGeom, zi: usize| {
        progress(1);
        let cid = &routes[ri].0;
        let (z, zone) = (&idx[zi], zones[zi]);
        let (mm, near) = measure_near(route, z, &bands);
        let m = mm.closest;
        let within = mm
            .within_m
            .iter()
            .map(|(b, w)| (*b, round(w / 1000.0, 3)))
            .collect();
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
            within_km: BandLengths(within),
            capacity,
            capacity_unit,
        };
        let mut stretches = Vec::new();
        if with_stretches {
            for b in &bands {
                for l in route.stretches(&near, b * 1000.0) {
                    stretches.push((StretchKind::Within(*b), l));
                }
            }
            if z.has_polygons() && m.distance_m == 0.0 {
                for l in route.inside_lines(z) {
                    stretches.push((StretchKind::Inside, l));
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
            stretches,
        }
    };
    // Each corridor's route is prepared by the task that measures it and dropped once measured
    // against every zone: a prepared route takes several times the memory of its lines (ECEF
    // vertices, lengths, blocks, dense points near zones), so preparing them all first would
    // hold that for the whole network at once. Its zones are nested parallel tasks: rayon's
    // work stealing keeps both cores busy without a barrier between corridors, while only the
    // routes of the corridors in progress (a few per thread) are alive at once.
    let nz = zones.len();
    let cells: Vec<Cell> = routes
        .par_iter()
        .enumerate()
        .map(|(ri, (_, lines))| {
            let route = RouteGeom::new(lines);
            (0..nz)
                .into_par_iter()
                .map(|zi| cell(ri, &route, zi))
                .collect::<Vec<Cell>>()
        })
        .collect::<Vec<Vec<Cell>>>()
        .into_iter()
        .flatten()
        .collect();
    // Co-location per zone.
    let colocation: Vec<(String, Vec<Pair>)> = (0..zones.len())
        .into_par_iter()
        .map(|zi| {
            let members: Vec<(usize, PieceSet)> = (0..routes.len())
                .map(|ri| (ri, cells[ri * zones.len() + zi].members.as_slice()))
                .filter(|(_, p)| !p.is_empty())
                .map(|(ri, p)| (ri, PieceSet::new(p)))
                .collect();
            let mut out = Vec::new();
            for i in 0..members.len() {
                for j in i + 1..members.len() {
                    let (ra, pa) = &members[i];
                    let (rb, pb) = &members[j];
                    if let Some((d, p)) = pa.distance(pb) {
                        out.push(pair(&routes[*ra].0, &routes[*rb].0, d, p));
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
    for (i, c) in cells.into_iter().enumerate() {
        res.rows.push(c.row);
        res.stretches
            .extend(
                c.stretches
                    .into_iter()
                    .map(|(kind, line)| Stretch { row: i, kind, line }),
            );
    }
    res
}

fn pair(a: &str, b: &str, d: f64, p: Point<f64>) -> Pair {
    Pair {
        a: a.to_string(),
        b: b.to_string(),
        min_distance_km: round(d / 1000.0, 3),
        lon: round(p.x(), 6),
        lat: round(p.y(), 6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::{densify, FAR_M};
    use geo::{line_string, Distance, Geodesic, Geometry};

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
        let r = RouteGeom::new(&[line_string![(x: 45.0, y: 40.0), (x: 45.0, y: 42.0)]]);
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

    #[test]
    fn band_lengths_serialise_in_band_order() {
        let b = BandLengths(vec![(5.0, 1.0), (10.0, 2.5), (40.0, 3.0)]);
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"5":1.0,"10":2.5,"40":3.0}"#
        );
    }
}
