//! Property tests (proptest) for the geometry and flow invariants:
//! - geodesic length is additive when a line is split at a vertex or inside a geodesic edge;
//! - the per-country split sums to the route's length;
//! - `within_km` grows with the band, never exceeds the route, and covers `inside_km`;
//! - max-flow deliverability never exceeds the supply, a cut never increases it, and no market
//!   alone receives more than all markets at once.

use corridor::analysis::exposure::measure;
use corridor::analysis::flow::{self, FlowModel};
use corridor::geodesy::RouteGeom;
use corridor::geodesy::ZoneIndex;
use corridor::geodesy::{country_split, length_m};
use corridor::model::Country;
use corridor::topology::{build, DEFAULT_SNAP_M};
use geo::{
    Coord, Destination, Distance, Geodesic, Geometry, LineString, MultiPolygon, Point, Polygon,
};
use proptest::prelude::*;

/// A line of 2–30 vertices in a 6° box around the South Caucasus, steps up to ~30 km.
fn line() -> impl Strategy<Value = LineString<f64>> {
    (
        (40.0..46.0f64, 38.0..44.0f64),
        prop::collection::vec((-0.3..0.3f64, -0.3..0.3f64), 1..30),
    )
        .prop_map(|((x, y), steps)| {
            let mut pts = vec![Coord { x, y }];
            for (dx, dy) in steps {
                let last = pts[pts.len() - 1];
                pts.push(Coord {
                    x: last.x + dx,
                    y: last.y + dy,
                });
            }
            LineString::from(pts)
        })
}

fn square(cx: f64, cy: f64, r: f64) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![
            (cx - r, cy - r),
            (cx + r, cy - r),
            (cx + r, cy + r),
            (cx - r, cy + r),
            (cx - r, cy - r),
        ]),
        vec![],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn length_is_additive_at_vertices(l in line(), k in 0usize..30) {
        let k = k % l.0.len();
        let (a, b) = (LineString::from(l.0[..=k].to_vec()), LineString::from(l.0[k..].to_vec()));
        let whole = length_m(&l);
        prop_assert!((length_m(&a) + length_m(&b) - whole).abs() <= 1e-9 * whole.max(1.0));
    }

    #[test]
    fn length_is_additive_inside_a_geodesic_edge(
        x in 40.0..46.0f64, y in 38.0..44.0f64, az in -180.0..180.0f64,
        len in 1.0..500_000.0f64, t in 0.0..1.0f64,
    ) {
        // Split the geodesic a→b at a point on it: the two geodesics add up to the whole.
        let a = Point::new(x, y);
        let b = Geodesic.destination(a, az, len);
        let p = Geodesic.destination(a, az, t * len);
        let whole = length_m(&LineString::from(vec![a.0, b.0]));
        let parts = length_m(&LineString::from(vec![a.0, p.0, b.0]));
        prop_assert!((parts - whole).abs() < 1e-6 * whole.max(1.0), "{parts} vs {whole}");
        prop_assert!((Geodesic.distance(a, b) - len).abs() < 1e-6 * len);
    }

    #[test]
    fn country_split_sums_to_length(l in line(), cx in 41.0..45.0f64, cy in 39.0..43.0f64, r in 0.1..2.0f64) {
        // Two countries side by side, covering some of the line; the rest is unassigned.
        let countries = vec![
            Country { iso3: "AAA".into(), name: "A".into(), geometry: MultiPolygon(vec![square(cx - r, cy, r)]) },
            Country { iso3: "BBB".into(), name: "B".into(), geometry: MultiPolygon(vec![square(cx + r, cy, r)]) },
        ];
        let split = country_split(&[&l], &countries);
        let sum_km: f64 = split.values().sum();
        let km = length_m(&l) / 1000.0;
        // The contract's accuracy: 0.5 % or 0.2 km, whichever is larger (unassigned is omitted
        // when under a metre).
        prop_assert!((sum_km - km).abs() <= (0.005 * km).max(0.2), "{split:?} vs {km}");
    }

    #[test]
    fn within_km_is_monotone_in_the_band(
        l in line(), cx in 40.0..46.0f64, cy in 38.0..44.0f64, r in 0.01..0.5f64, kind in 0u8..3,
        mut bands in prop::collection::vec(0.5..150.0f64, 1..6),
    ) {
        let zone = match kind {
            0 => Geometry::Polygon(square(cx, cy, r)),
            1 => Geometry::LineString(LineString::from(vec![(cx - r, cy), (cx + r, cy + r)])),
            _ => Geometry::Point(Point::new(cx, cy)),
        };
        let route = RouteGeom::new(std::slice::from_ref(&l));
        let m = measure(&route, &ZoneIndex::new(&zone), &bands);
        bands.sort_by(f64::total_cmp);
        let total = length_m(&l);
        let tol = (0.005 * total).max(200.0);
        let mut prev = m.inside_m - tol;
        for (b, w) in &m.within_m {
            prop_assert!(*w >= prev - 1e-6, "band {b}: {w} < {prev} ({:?})", m.within_m);
            prop_assert!(*w <= total + tol, "band {b}: {w} > route {total}");
            prev = *w;
        }
        // Where the route comes within a band of the zone, something is within that band.
        for (b, w) in &m.within_m {
            if m.closest.distance_m < b * 1000.0 - 1.0 {
                prop_assert!(*w >= 0.0);
            } else if m.closest.distance_m > b * 1000.0 + tol {
                prop_assert!(*w <= tol, "band {b}: {w} m within, closest {}", m.closest.distance_m);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn flow_invariants(edges in 20usize..400, seed in 0u64..1_000_000, cut_seed in 0u64..1000, k in 1usize..10) {
        let net = corridor::synthetic::grid_network(edges, seed);
        let m = FlowModel::new(&net, &build(&net, DEFAULT_SNAP_M));
        let (markets, totals) = flow::flow(&m);
        let eps = 1e-6;
        for t in &totals {
            // The total never exceeds the supply behind it.
            prop_assert!(t.deliverable <= t.supply + eps, "{t:?}");
            prop_assert!(t.deliverable >= 0.0);
            // No market alone receives more than all markets at once.
            for mk in markets.iter().filter(|mk| mk.commodity == t.commodity) {
                prop_assert!(mk.deliverable <= t.deliverable + eps, "{mk:?} > {t:?}");
            }
        }
        // Cutting segments and nodes never increases deliverability, per market or in total.
        let n = net.segments.len().max(1);
        let segs: Vec<usize> = (0..k).map(|i| (cut_seed as usize + 7919 * i) % n).collect();
        let nodes: Vec<usize> = if net.nodes.is_empty() { vec![] } else { vec![cut_seed as usize % net.nodes.len()] };
        let cut = m.cut(&segs, &nodes);
        let (dm, dt) = flow::disrupt(&m, &cut);
        for r in dm.iter().chain(&dt) {
            prop_assert!(r.disrupted <= r.baseline + eps, "{r:?}");
            prop_assert!(r.lost >= 0.0 && r.lost <= r.baseline + eps, "{r:?}");
            prop_assert!((0.0..=1.0 + eps).contains(&r.lost_share), "{r:?}");
        }
        // A bigger cut never delivers more than a smaller one.
        let bigger = m.union(&cut, &m.cut(&[(cut_seed as usize * 31) % n], &[]));
        let (_, dt2) = flow::disrupt(&m, &bigger);
        for (a, b) in dt.iter().zip(&dt2) {
            prop_assert!(b.disrupted <= a.disrupted + eps, "{a:?} vs {b:?}");
        }
    }
}
