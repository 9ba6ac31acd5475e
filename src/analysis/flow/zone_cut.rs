//! Zones as cuts: the segments and nodes within a band of a zone.

use super::{Cut, FlowModel};
use crate::geodesy::ZoneIndex;
use crate::model::{Network, Zone};
use geo::BoundingRect;

/// Tolerance added to the band so that geometries that touch (distance computed as a few
/// micrometres by floating point) count as touching.
const TOUCH_M: f64 = 1e-3;

/// Segments and nodes within `band_m` metres of `zone` (0: touching or inside), as a [`Cut`],
/// with the geodesic distances of [`crate::geodesy`] (the same as
/// `geodesy::line_zone_distance(line, zone).distance_m` and `geodesy::point_zone_distance_m`,
/// with the zone's index built once instead of once per segment).
///
/// Exact distances are costly on long routes, so a segment or node whose lon/lat bounding box
/// lies clearly outside the zone's box widened by the band (see [`BandBox`]), or whose ECEF box
/// is farther than the band from the zone's (see `ZoneIndex::line_distance_within`, which also
/// covers the antimeridian, polar and wide-band cases `BandBox` leaves alone), is ruled out
/// first; neither test rules out anything within the band.
pub fn zone_cut(model: &FlowModel, net: &Network, zone: &Zone, band_m: f64) -> Cut {
    let idx = ZoneIndex::new(&zone.geometry);
    let bbox = BandBox::new(&zone.geometry, band_m);
    let reach = band_m + TOUCH_M;
    zone_cut_by(
        model,
        net,
        band_m,
        |line| {
            if bbox
                .as_ref()
                .is_some_and(|b| b.rules_out(line.bounding_rect()))
            {
                return f64::INFINITY;
            }
            idx.line_distance_within(line, reach)
                .map_or(f64::INFINITY, |d| d.distance_m)
        },
        |point| {
            if bbox
                .as_ref()
                .is_some_and(|b| b.rules_out(point.bounding_rect().into()))
            {
                return f64::INFINITY;
            }
            idx.point_distance_within(point, reach)
                .unwrap_or(f64::INFINITY)
        },
    )
}

/// A zone's lon/lat bounding box widened by a band, as a conservative prefilter: a geometry
/// whose box misses it is farther than the band from the zone. The widening over-covers the
/// band by half (a degree of latitude is at least 110.5 km; a degree of longitude at least
/// 111.3·cos φ km at the box's most poleward latitude φ), so geodesic curvature within a box
/// never matters. `None` (no prefilter) for empty zones, bands over 500 km, boxes reaching
/// beyond 80° of latitude or wider than 90° of longitude (antimeridian or polar cases).
pub struct BandBox {
    rect: geo::Rect<f64>,
}

impl BandBox {
    pub fn new(zone: &geo::Geometry<f64>, band_m: f64) -> Option<BandBox> {
        use geo::BoundingRect;
        let r = zone.bounding_rect()?;
        if band_m > 500_000.0 || !band_m.is_finite() {
            return None;
        }
        let dlat = band_m * 1.5 / 110_500.0 + 1e-6;
        let (lo, hi) = (r.min().y - dlat, r.max().y + dlat);
        let phi = lo.abs().max(hi.abs());
        if phi > 80.0 || r.width() > 90.0 {
            return None;
        }
        let dlon = band_m * 1.5 / (111_300.0 * phi.to_radians().cos()) + 1e-6;
        Some(BandBox {
            rect: geo::Rect::new(
                geo::coord! { x: r.min().x - dlon, y: lo },
                geo::coord! { x: r.max().x + dlon, y: hi },
            ),
        })
    }

    /// Is a geometry with this bounding box certainly farther than the band?
    pub fn rules_out(&self, other: Option<geo::Rect<f64>>) -> bool {
        let Some(o) = other else { return false };
        if o.width() > 90.0 {
            return false;
        }
        o.max().x < self.rect.min().x
            || o.min().x > self.rect.max().x
            || o.max().y < self.rect.min().y
            || o.min().y > self.rect.max().y
    }
}

/// [`zone_cut`] with the distance functions given: every whole segment whose line, and every
/// node whose point, lies within `band_m` metres.
pub fn zone_cut_by(
    model: &FlowModel,
    net: &Network,
    band_m: f64,
    line_distance_m: impl Fn(&geo::LineString<f64>) -> f64,
    point_distance_m: impl Fn(geo::Point<f64>) -> f64,
) -> Cut {
    let segs: Vec<usize> = net
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| line_distance_m(&s.line) <= band_m + TOUCH_M)
        .map(|(i, _)| i)
        .collect();
    let nodes: Vec<usize> = net
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| point_distance_m(n.point) <= band_m + TOUCH_M)
        .map(|(i, _)| i)
        .collect();
    model.cut(&segs, &nodes)
}

/// The ids of what a cut removes, in network order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CutIds {
    pub segments: Vec<String>,
    pub nodes: Vec<String>,
}

impl CutIds {
    /// The ids of the segments and nodes of `cut`.
    pub fn of(net: &Network, cut: &Cut) -> CutIds {
        CutIds {
            segments: cut
                .segments
                .iter()
                .filter_map(|&s| net.segments.get(s).map(|s| s.id.clone()))
                .collect(),
            nodes: cut
                .nodes
                .iter()
                .filter_map(|&n| net.nodes.get(n).map(|n| n.id.clone()))
                .collect(),
        }
    }
}
