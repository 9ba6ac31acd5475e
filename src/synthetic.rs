//! Seeded synthetic inputs for benchmarks, fuzzing seeds and property tests: contract-schema
//! GeoJSON networks of any size (10^3 to 10^6 segments and beyond) with realistic many-vertex
//! lines, and zone files. Not part of the command-line interface; `cargo run --release --example
//! synthetic` writes the files that `bench/compare.py` feeds to the Python stack.
//!
//! The network is a set of corridors, each a random walk of [`SEGMENTS_PER_CORRIDOR`] steps over
//! a lon/lat grid of junctions. Every step is one gas segment from one junction to a neighbouring
//! one (including diagonals), drawn as a gently meandering line of [`VERTICES_PER_SEGMENT`]
//! vertices whose ends sit exactly on the junctions, so segments meet end to end (parallel
//! corridors share junctions, as real corridors do at hubs). The grid is sized so that junctions
//! stay several kilometres apart (more than the 1 km default snap) at every size: its cells
//! shrink from 0.25° at 10^3 segments to about 0.06° at 10^6, over a box that grows up to 60° of
//! longitude × 30° of latitude (10°E–70°E, 25°N–55°N). Supply and market nodes sit on junctions.
//!
//! The same `(segments, seed)` always gives the same bytes.
//!
//! [`grid_network`] is the other generator: a dense in-memory grid of two-point segments with
//! random capacities, for the max-flow tests (cross-checks with petgraph, property tests).

use crate::model::{Commodity, Direction, Network, Node, NodeKind, Segment};
use geo::{LineString, Point};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Segments per corridor (the length of each random walk).
pub const SEGMENTS_PER_CORRIDOR: usize = 100;
/// Vertices of every segment line.
pub const VERTICES_PER_SEGMENT: usize = 24;

/// The junction grid for a network of `segments` segments.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    pub rows: i64,
    pub cols: i64,
    /// Cell size in degrees (the same in longitude and latitude).
    pub cell: f64,
    pub lon0: f64,
    pub lat0: f64,
}

impl Grid {
    pub fn for_segments(segments: usize) -> Grid {
        // About 4 grid edges per junction (with diagonals) and two walks' worth of reuse: a grid
        // of segments/2 junctions, twice as wide as high.
        let junctions = (segments as f64 / 2.0).max(50.0);
        let rows = (junctions / 2.0).sqrt().ceil() as i64;
        let cols = 2 * rows;
        let cell = (30.0 / rows as f64).min(0.25);
        let lat0 = 40.0 - cell * rows as f64 / 2.0;
        let lon0 = 40.0 - cell * cols as f64 / 2.0;
        Grid {
            rows,
            cols,
            cell,
            lon0,
            lat0,
        }
    }

    pub fn point(&self, i: i64, j: i64) -> (f64, f64) {
        (
            self.lon0 + i as f64 * self.cell,
            self.lat0 + j as f64 * self.cell,
        )
    }

    /// The lon/lat box of the grid: (min lon, min lat, max lon, max lat).
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        let (x1, y1) = self.point(self.cols - 1, self.rows - 1);
        (self.lon0, self.lat0, x1, y1)
    }
}

/// Writes a contract-schema network GeoJSON of exactly `segments` line features (plus supply and
/// market point features) to `w`.
pub fn write_network(w: &mut impl Write, segments: usize, seed: u64) -> io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let g = Grid::for_segments(segments);
    let mut buf = String::with_capacity(1 << 16);
    buf.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut first = true;
    let mut k = 0usize;
    let mut corridor = 0usize;
    while k < segments {
        corridor += 1;
        let capacity = rng.random_range(5..=60) as f64;
        let both = rng.random_bool(0.2);
        let (mut i, mut j) = (rng.random_range(0..g.cols), rng.random_range(0..g.rows));
        let mut heading: i64 = rng.random_range(0..8);
        let steps = SEGMENTS_PER_CORRIDOR.min(segments - k);
        for n in 0..steps {
            // A walk that mostly keeps its heading, turning by 45° now and then, and turning back
            // at the edges of the grid.
            heading = (heading + [0, 0, 0, 0, 1, 7][rng.random_range(0..6usize)]) % 8;
            let (mut di, mut dj) = DIRS[heading as usize];
            if !(0..g.cols).contains(&(i + di)) || !(0..g.rows).contains(&(j + dj)) {
                heading = (heading + 4) % 8;
                (di, dj) = DIRS[heading as usize];
            }
            let (i2, j2) = ((i + di).clamp(0, g.cols - 1), (j + dj).clamp(0, g.rows - 1));
            if !first {
                buf.push_str(",\n");
            }
            first = false;
            write!(
                buf,
                "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"s{k}\",\"corridor\":\"C{corridor}\",\"name\":\"Corridor {corridor} segment {}\",\"commodity\":\"gas\",\"capacity\":{capacity},\"capacity_unit\":\"bcm/y\",\"direction\":\"{}\",\"status\":\"operating\"}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[",
                n + 1,
                if both { "both" } else { "forward" }
            )
            .map_err(io::Error::other)?;
            let (a, b) = (g.point(i, j), g.point(i2, j2));
            // A meander across the straight line, zero at both ends (at most a tenth of a cell).
            let amp = rng.random_range(-0.1..0.1) * g.cell;
            let waves = rng.random_range(1..=3) as f64;
            let (nx, ny) = (-(b.1 - a.1), b.0 - a.0);
            let norm = (nx * nx + ny * ny).sqrt().max(1e-12);
            for v in 0..VERTICES_PER_SEGMENT {
                let t = v as f64 / (VERTICES_PER_SEGMENT - 1) as f64;
                let off = amp * (std::f64::consts::PI * waves * t).sin();
                let (x, y) = if v == 0 {
                    a
                } else if v + 1 == VERTICES_PER_SEGMENT {
                    b
                } else {
                    (
                        a.0 + t * (b.0 - a.0) + off * nx / norm,
                        a.1 + t * (b.1 - a.1) + off * ny / norm,
                    )
                };
                if v > 0 {
                    buf.push(',');
                }
                write!(buf, "[{x:.6},{y:.6}]").map_err(io::Error::other)?;
            }
            buf.push_str("]}}");
            if buf.len() > 1 << 15 {
                w.write_all(buf.as_bytes())?;
                buf.clear();
            }
            (i, j) = (i2, j2);
            k += 1;
        }
    }
    // Supplies and markets on junctions: 1 + segments/500 supplies, twice as many market nodes in
    // four markets, every other one with a demand cap.
    let supplies = 1 + segments / 500;
    for n in 0..supplies * 3 {
        let (x, y) = g.point(rng.random_range(0..g.cols), rng.random_range(0..g.rows));
        let props = if n < supplies {
            format!(
                "\"id\":\"n{n}\",\"kind\":\"supply\",\"commodity\":\"gas\",\"supply\":{},\"supply_unit\":\"bcm/y\"",
                rng.random_range(50..=500)
            )
        } else if n % 2 == 0 {
            format!(
                "\"id\":\"n{n}\",\"kind\":\"market\",\"commodity\":\"gas\",\"market\":\"M{}\",\"demand\":{},\"demand_unit\":\"bcm/y\"",
                n % 4,
                rng.random_range(10..=200)
            )
        } else {
            format!(
                "\"id\":\"n{n}\",\"kind\":\"market\",\"commodity\":\"gas\",\"market\":\"M{}\"",
                n % 4
            )
        };
        write!(
            buf,
            ",\n{{\"type\":\"Feature\",\"properties\":{{{props}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x:.6},{y:.6}]}}}}"
        )
        .map_err(io::Error::other)?;
    }
    buf.push_str("\n]}\n");
    w.write_all(buf.as_bytes())
}

const DIRS: [(i64, i64); 8] = [
    (1, 0),
    (1, 1),
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
    (0, -1),
    (1, -1),
];

/// The network of [`write_network`] as bytes.
pub fn network_geojson(segments: usize, seed: u64) -> Vec<u8> {
    let mut v = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_network(&mut v, segments, seed);
    v
}

/// Writes `count` zones over the grid of a `segments`-segment network: polygons (districts,
/// chokepoints: 60-vertex rings 10–40 km across), border-like lines (200-vertex meanders about
/// 100 km long) and points, in the ratio 2:1:1.
pub fn write_zones(w: &mut impl Write, segments: usize, count: usize, seed: u64) -> io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5a5a_5a5a);
    let g = Grid::for_segments(segments);
    let (x0, y0, x1, y1) = g.bbox();
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for z in 0..count {
        let (cx, cy) = (rng.random_range(x0..x1), rng.random_range(y0..y1));
        let (kind, geom) = match z % 4 {
            0 | 1 => {
                let r = rng.random_range(0.05..0.2);
                let mut c = String::new();
                for i in 0..=60 {
                    let a = (i % 60) as f64 / 60.0 * std::f64::consts::TAU;
                    let rr = r * (1.0 + 0.25 * (3.0 * a).sin());
                    if i > 0 {
                        c.push(',');
                    }
                    let _ = write!(c, "[{:.6},{:.6}]", cx + rr * a.cos(), cy + rr * a.sin());
                }
                (
                    "district",
                    format!("{{\"type\":\"Polygon\",\"coordinates\":[[{c}]]}}"),
                )
            }
            2 => {
                let mut c = String::new();
                let (mut x, mut y) = (cx, cy);
                let mut h: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                for i in 0..200 {
                    if i > 0 {
                        c.push(',');
                    }
                    let _ = write!(c, "[{x:.6},{y:.6}]");
                    h += rng.random_range(-0.3..0.3);
                    x += 0.005 * h.cos();
                    y += 0.005 * h.sin();
                }
                (
                    "border",
                    format!("{{\"type\":\"LineString\",\"coordinates\":[{c}]}}"),
                )
            }
            _ => (
                "chokepoint",
                format!("{{\"type\":\"Point\",\"coordinates\":[{cx:.6},{cy:.6}]}}"),
            ),
        };
        let _ = write!(
            s,
            "{}{{\"type\":\"Feature\",\"properties\":{{\"id\":\"z{z}\",\"name\":\"Zone {z}\",\"kind\":\"{kind}\"}},\"geometry\":{geom}}}",
            if z > 0 { ",\n" } else { "" }
        );
    }
    s.push_str("\n]}\n");
    w.write_all(s.as_bytes())
}

/// The zones of [`write_zones`] as bytes.
pub fn zones_geojson(segments: usize, count: usize, seed: u64) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = write_zones(&mut v, segments, count, seed);
    v
}

/// The network and zone files for `(segments, zones, seed)` under `dir`, written there first if
/// they are not there yet (named `net-{segments}-s{seed}.geojson`, `zones-{segments}-{zones}-s{seed}.geojson`;
/// written atomically, so an interrupted run never leaves a truncated file to be reused).
pub fn ensure_files(
    dir: &Path,
    segments: usize,
    zones: usize,
    seed: u64,
) -> anyhow::Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir)?;
    let net = dir.join(format!("net-{segments}-s{seed}.geojson"));
    if !net.exists() {
        crate::write::write_atomic(&net, &network_geojson(segments, seed))?;
    }
    let zp = dir.join(format!("zones-{segments}-{zones}-s{seed}.geojson"));
    if !zp.exists() {
        crate::write::write_atomic(&zp, &zones_geojson(segments, zones, seed))?;
    }
    Ok((net, zp))
}

/// Where benchmarks keep generated files: `$CORRIDOR_BENCH_DIR`, else `target/bench-data` under
/// the crate.
pub fn bench_dir() -> PathBuf {
    std::env::var_os("CORRIDOR_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"))
}

/// An in-memory gas network for max-flow tests: about `edges` two-point segments on a square grid (0.05° spacing, so
/// the 1 km snap joins only coincident ends), between grid points at most two cells apart,
/// with capacities 1–100, a fifth of them bidirectional, 1 + edges/500 supplies and twice as
/// many market nodes in 4 named markets (every other one with a demand cap). The same seed
/// always gives the same network.
pub fn grid_network(edges: usize, seed: u64) -> Network {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let side = ((edges as f64 / 3.0).sqrt().ceil() as i64).max(3);
    let pt = |i: i64, j: i64| Point::new(40.0 + i as f64 * 0.05, 38.0 + j as f64 * 0.05);
    let mut net = Network::default();
    for k in 0..edges {
        let (i, j) = (rng.random_range(0..side), rng.random_range(0..side));
        let (di, dj) = loop {
            let d = (rng.random_range(-2..=2i64), rng.random_range(-2..=2i64));
            // Only steps whose segment passes no other grid point (gcd 1) and are non-zero.
            if d != (0, 0) && gcd(d.0.abs(), d.1.abs()) == 1 {
                break d;
            }
        };
        let (i2, j2) = ((i + di).clamp(0, side - 1), (j + dj).clamp(0, side - 1));
        if (i2, j2) == (i, j) {
            continue;
        }
        net.segments.push(Segment {
            id: format!("e{k}"),
            corridor: "SYN".into(),
            name: None,
            commodity: Commodity::Gas,
            capacity: Some(rng.random_range(1..=100) as f64),
            direction: if rng.random_bool(0.2) {
                Direction::Both
            } else {
                Direction::Forward
            },
            commissioned: None,
            decommissioned: None,
            status: None,
            nominal_length_km: None,
            source: None,
            geometry_kind: None,
            failure_prob: None,
            line: LineString::from(vec![pt(i, j), pt(i2, j2)]),
            file: "synthetic".into(),
            feature: k,
        });
    }
    let supplies = 1 + edges / 500;
    for k in 0..supplies * 3 {
        let (i, j) = (rng.random_range(0..side), rng.random_range(0..side));
        let supply = k < supplies;
        net.nodes.push(Node {
            id: format!("n{k}"),
            name: None,
            kind: if supply {
                NodeKind::Supply
            } else {
                NodeKind::Market
            },
            commodity: Some(Commodity::Gas),
            supply: supply.then(|| rng.random_range(50..=500) as f64),
            demand: (!supply && k % 2 == 0).then(|| rng.random_range(10..=200) as f64),
            market: (!supply).then(|| format!("M{}", k % 4)),
            country: None,
            commissioned: None,
            decommissioned: None,
            failure_prob: None,
            point: pt(i, j),
            file: "synthetic".into(),
            feature: k,
        });
    }
    net
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{load_network, load_zones, LoadOptions, Source};

    #[test]
    fn loads_with_the_counts_asked_for_and_is_deterministic() {
        let bytes = network_geojson(1_000, 7);
        assert_eq!(bytes, network_geojson(1_000, 7));
        let src = Source::new("syn.geojson", bytes);
        let (net, _) = load_network(&[src], LoadOptions::default()).expect("synthetic loads");
        assert_eq!(net.segments.len(), 1_000);
        assert_eq!(net.corridors().len(), 10);
        assert!(net
            .segments
            .iter()
            .all(|s| s.line.0.len() == VERTICES_PER_SEGMENT));
        let zs = Source::new("z.geojson", zones_geojson(1_000, 50, 7));
        assert_eq!(load_zones(&[zs]).expect("zones load").len(), 50);
    }
}
