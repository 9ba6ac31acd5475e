//! Exposure on a seeded synthetic network: 10^3 and 10^4 segments (20-vertex lines ≈ 6 km each,
//! in corridors of 100 segments) × 10 zones (4 polygons, 3 border-like lines, 3 points) over a
//! 10° × 6° box around the South Caucasus. Run: `cargo bench --bench exposure`.

use corridor::exposure::{measure, RouteGeom, DEFAULT_BANDS_KM};
use corridor::nearest::ZoneIndex;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use geo::{Coord, Geometry, LineString, Point, Polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

fn walk(rng: &mut ChaCha8Rng, n: usize, step_deg: f64) -> LineString<f64> {
    let mut x = rng.random_range(40.0..50.0);
    let mut y = rng.random_range(38.0..44.0);
    let mut heading: f64 = rng.random_range(0.0..std::f64::consts::TAU);
    let mut pts = Vec::with_capacity(n);
    for _ in 0..n {
        pts.push(Coord { x, y });
        heading += rng.random_range(-0.3..0.3);
        x += step_deg * heading.cos();
        y += step_deg * heading.sin();
    }
    LineString::from(pts)
}

fn zones(rng: &mut ChaCha8Rng) -> Vec<Geometry<f64>> {
    let mut z = Vec::new();
    for _ in 0..4 {
        let (cx, cy) = (rng.random_range(41.0..49.0), rng.random_range(39.0..43.0));
        let ring: Vec<Coord<f64>> = (0..=40)
            .map(|i| {
                let a = i as f64 / 40.0 * std::f64::consts::TAU;
                let r = 0.2 + 0.05 * (3.0 * a).sin();
                Coord {
                    x: cx + r * a.cos(),
                    y: cy + r * a.sin(),
                }
            })
            .collect();
        z.push(Geometry::Polygon(Polygon::new(
            LineString::from(ring),
            vec![],
        )));
    }
    for _ in 0..3 {
        z.push(Geometry::LineString(walk(rng, 200, 0.01)));
    }
    for _ in 0..3 {
        z.push(Geometry::Point(Point::new(
            rng.random_range(40.0..50.0),
            rng.random_range(38.0..44.0),
        )));
    }
    z
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("exposure");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let segs: Vec<LineString<f64>> = (0..n).map(|_| walk(&mut rng, 20, 0.003)).collect();
        let zs = zones(&mut rng);
        g.bench_with_input(BenchmarkId::new("segments_x10_zones", n), &n, |b, _| {
            b.iter(|| {
                let routes: Vec<RouteGeom> = segs.par_chunks(100).map(RouteGeom::new).collect();
                let idx: Vec<ZoneIndex> = zs.iter().map(ZoneIndex::new).collect();
                let pairs: Vec<(usize, usize)> = (0..routes.len())
                    .flat_map(|r| (0..idx.len()).map(move |z| (r, z)))
                    .collect();
                let total: f64 = pairs
                    .par_iter()
                    .map(|&(r, z)| {
                        let m = measure(&routes[r], &idx[z], &DEFAULT_BANDS_KM);
                        m.within_m.last().map_or(0.0, |w| w.1) + m.closest.distance_m
                    })
                    .sum();
                std::hint::black_box(total)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
