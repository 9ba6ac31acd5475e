//! Exposure on networks other than the default one (issue 18).
//!
//! 1. `synth_b_*`: the seeded synthetic network of issue 18 (`tests/fixtures/exposure-synth-b/`,
//!    2,000 segments and 12 zones; the reference values in its `expected.md` were computed with
//!    pyproj geodesics and shapely, the route densified along its geodesics). Every item there
//!    must agree within the README's accuracy.
//! 2. `exposure_matches_brute_force_on_random_networks`: random seeded networks (branching,
//!    reversed, detached and T-joined lines; every zone geometry type: polygons with holes,
//!    multipolygons, lines, multilines, points, multipoints; zones near and far; bands of 1 to
//!    200 km) against a straightforward computation written here from geo's geodesics alone:
//!    every line densified every [`RSTEP`] metres along its geodesics, each sample's distance
//!    to the zone (0 inside a polygon) from the zone's boundary densified every [`ZSTEP`]
//!    metres, bands and inside lengths integrated over the samples, chainage as the shortest
//!    path along the corridor's own lines (Dijkstra on the samples).

use corridor::analysis::exposure::{exposure, Exposure};
use corridor::input::{load_network, load_zones, LoadOptions, Source};
use corridor::model::Network;
use geo::{
    Bearing, Densify, Destination, Distance, Geodesic, Geometry, Intersects, LineString,
    MultiPolygon, Point, Polygon,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::path::Path;

const SYNTH_B: &str = "tests/fixtures/exposure-synth-b";

/// The README's accuracy: 0.5 % or 0.2 km, whichever is larger.
fn within_contract(got: f64, want: f64) -> bool {
    (got - want).abs() <= 0.2f64.max(0.005 * want.abs())
}

/// The items of `expected.md`: (corridor, zone, field, value before the fix, reference).
fn expected_items() -> Vec<(String, String, String, f64, f64)> {
    let text = std::fs::read_to_string(format!("{SYNTH_B}/expected.md")).unwrap();
    let mut items = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | corridor | zone | field | corridor gives | reference |
        if cells.len() == 7 && cells[1].starts_with('C') && cells[2].starts_with('Z') {
            items.push((
                cells[1].to_string(),
                cells[2].to_string(),
                cells[3].to_string(),
                cells[4].parse().unwrap(),
                cells[5].parse().unwrap(),
            ));
        }
    }
    items
}

fn field(r: &Exposure, f: &str) -> f64 {
    match f.strip_prefix("within_km.") {
        Some(band) => r.within_km.get(band.parse().unwrap()).unwrap(),
        None if f == "inside_km" => r.inside_km,
        None if f == "min_distance_km" => r.min_distance_km.unwrap(),
        None => panic!("unknown field {f}"),
    }
}

/// The synth-b network, only the corridors named (the test stays cheap), with every segment the
/// file holds: the reference measured all of them, whatever their `decommissioned` year (the CLI
/// without `--year` leaves out segments that state one; see the README's `--year`).
fn synth_b(corridors: &BTreeSet<String>) -> (Network, Vec<corridor::model::Zone>) {
    let read = |f: &str| Source::read(Path::new(&format!("{SYNTH_B}/{f}"))).unwrap();
    let mut net = load_network(&[read("network.geojson")], LoadOptions::default())
        .unwrap()
        .0;
    net.segments.retain(|s| corridors.contains(&s.corridor));
    net.nodes.clear();
    (net, load_zones(&[read("zones.geojson")]).unwrap())
}

// Every item of expected.md (21 corridor × zone items, 41 values) within 0.5 % or 0.2 km.
#[test]
fn synth_b_every_expected_item_within_the_contract() {
    let items = expected_items();
    assert_eq!(items.len(), 41, "expected.md lists 41 values");
    let mut corridors: BTreeSet<String> = items.iter().map(|i| i.0.clone()).collect();
    corridors.insert("C00000B".into());
    let (net, zones) = synth_b(&corridors);
    let zs: Vec<_> = zones.iter().collect();
    let rows = exposure(&net, &zs, &[10.0, 20.0, 40.0, 70.0], false).rows;
    let row = |c: &str, z: &str| {
        rows.iter()
            .find(|r| r.corridor == c && r.zone == z)
            .unwrap_or_else(|| panic!("{c} × {z} missing"))
    };
    let mut bad = Vec::new();
    for (c, z, f, _, want) in &items {
        let got = field(row(c, z), f);
        if !within_contract(got, *want) {
            bad.push(format!("{c} × {z} {f}: {got} vs {want}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // C00000B's closest point to most zones is its far end, (46.339843 E, 45.173886 N); a
    // shortest path from its start along its own lines is 368.6 km long (issue 18).
    let mut seen = 0;
    for z in &zones {
        let r = row("C00000B", &z.id);
        if r.lon == Some(46.339843) && r.lat == Some(45.173886) {
            seen += 1;
            let ch = r.chainage_km.unwrap();
            assert!((ch - 368.6).abs() < 0.06, "{}: {ch}", z.id);
        }
    }
    assert!(seen >= 8, "{seen}");
}

// ---- the brute force ----

/// Route sample spacing (m) of the brute force.
const RSTEP: f64 = 100.0;
/// Zone boundary densification (m) of the brute force.
const ZSTEP: f64 = 100.0;
/// Line ends within this of another line join it (the default `--snap`).
const SNAP: f64 = 1_000.0;

fn ecef(p: Point<f64>) -> [f64; 3] {
    let (a, f) = (6_378_137.0, 1.0 / 298.257_223_563);
    let e2: f64 = f * (2.0 - f);
    let (lat, lon) = (p.y().to_radians(), p.x().to_radians());
    let n = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
    [
        n * lat.cos() * lon.cos(),
        n * lat.cos() * lon.sin(),
        n * (1.0 - e2) * lat.sin(),
    ]
}

fn chord(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// A zone as the brute force sees it: its boundary as points every [`ZSTEP`] metres along its
/// geodesics (and its points), and its polygons with rings densified along their geodesics.
struct BruteZone {
    verts: RTree<GeomWithData<[f64; 3], usize>>,
    pts: Vec<Point<f64>>,
    area: MultiPolygon<f64>,
    bbox: Option<geo::Rect<f64>>,
}

impl BruteZone {
    fn new(g: &Geometry<f64>) -> BruteZone {
        fn walk(
            g: &Geometry<f64>,
            lines: &mut Vec<LineString<f64>>,
            polys: &mut Vec<Polygon<f64>>,
        ) {
            match g {
                Geometry::Point(p) => lines.push(LineString::from(vec![p.0])),
                Geometry::MultiPoint(m) => {
                    lines.extend(m.0.iter().map(|p| LineString::from(vec![p.0])))
                }
                Geometry::LineString(l) => lines.push(l.clone()),
                Geometry::MultiLineString(m) => lines.extend(m.0.iter().cloned()),
                Geometry::Polygon(p) => polys.push(p.clone()),
                Geometry::MultiPolygon(m) => polys.extend(m.0.iter().cloned()),
                Geometry::GeometryCollection(c) => c.0.iter().for_each(|g| walk(g, lines, polys)),
                other => panic!("not generated: {other:?}"),
            }
        }
        let (mut lines, mut polys) = (Vec::new(), Vec::new());
        walk(g, &mut lines, &mut polys);
        let dense = |l: &LineString<f64>| Geodesic.densify(l, ZSTEP);
        let mut pts: Vec<Point<f64>> = Vec::new();
        for l in lines.iter().chain(
            polys
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())),
        ) {
            pts.extend(dense(l).0.iter().map(|c| Point(*c)));
        }
        // For containment, rings every kilometre along their geodesics: a straight lon/lat
        // segment that short departs from the geodesic by millimetres.
        let coarse = |l: &LineString<f64>| Geodesic.densify(l, 1_000.0);
        let polys: Vec<Polygon<f64>> = polys
            .iter()
            .map(|p| {
                Polygon::new(
                    coarse(p.exterior()),
                    p.interiors().iter().map(coarse).collect(),
                )
            })
            .collect();
        let verts = RTree::bulk_load(
            pts.iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(ecef(*p), i))
                .collect(),
        );
        let area = MultiPolygon(polys);
        BruteZone {
            verts,
            pts,
            bbox: geo::BoundingRect::bounding_rect(&area),
            area,
        }
    }

    fn inside(&self, p: Point<f64>) -> bool {
        self.bbox.is_some_and(|b| b.intersects(&p)) && self.area.intersects(&p)
    }

    /// Least geodesic distance from `p` (outside the polygons) to a boundary point: every point
    /// in order of chord distance until the chord exceeds the best geodesic (chords are never
    /// longer than geodesics), so the minimum over all of them.
    fn distance(&self, p: Point<f64>, e: [f64; 3]) -> f64 {
        let mut best = f64::INFINITY;
        for (v, d2) in self.verts.nearest_neighbor_iter_with_distance_2(&e) {
            if d2.sqrt() >= best {
                break;
            }
            best = best.min(Geodesic.distance(p, self.pts[v.data]));
        }
        best
    }
}

/// A corridor's lines sampled every [`RSTEP`] metres along their geodesics.
struct Samples {
    pts: Vec<Point<f64>>,
    ecef: Vec<[f64; 3]>,
    /// Sample index ranges of each line.
    lines: Vec<std::ops::Range<usize>>,
    /// Geodesic length of the piece from sample i to i + 1 (0 across lines).
    plen: Vec<f64>,
    /// Chainage of each sample: shortest path from the corridor's start along its lines.
    ch: Vec<f64>,
    /// A line end lies near the join distance of another line (600–1,400 m): the join is a
    /// matter of metres, so the chainage is not checked.
    ambiguous: bool,
}

impl Samples {
    fn new(lines: &[LineString<f64>]) -> Samples {
        let mut s = Samples {
            pts: Vec::new(),
            ecef: Vec::new(),
            lines: Vec::new(),
            plen: Vec::new(),
            ch: Vec::new(),
            ambiguous: false,
        };
        for l in lines {
            let start = s.pts.len();
            let d = Geodesic.densify(l, RSTEP);
            for (i, c) in d.0.iter().enumerate() {
                if i > 0 {
                    let len = Geodesic.distance(s.pts[s.pts.len() - 1], Point(*c));
                    s.plen.push(len);
                }
                s.pts.push(Point(*c));
                s.ecef.push(ecef(Point(*c)));
            }
            s.plen.push(0.0);
            s.lines.push(start..s.pts.len());
        }
        s.chainage();
        s
    }

    /// Dijkstra on the samples: consecutive samples of a line are joined by their piece; a line
    /// end joins, at no length, every other line's end within [`SNAP`], and the nearest point of every other line whose ends are both farther (a T-junction: a
    /// node on that line's piece, found by golden-section search along its geodesic). Lines the
    /// start cannot reach begin, in file order, at the largest chainage reached so far.
    fn chainage(&mut self) {
        let n = self.pts.len();
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for r in &self.lines {
            for i in r.start..r.end.saturating_sub(1) {
                adj[i].push((i + 1, self.plen[i]));
                adj[i + 1].push((i, self.plen[i]));
            }
        }
        let link = |adj: &mut Vec<Vec<(usize, f64)>>, a: usize, b: usize, w: f64| {
            adj[a].push((b, w));
            adj[b].push((a, w));
        };
        let lines = self.lines.clone();
        // Junction nodes on pieces: (piece, offset along it, node).
        let mut virt: Vec<(usize, f64, usize)> = Vec::new();
        for (li, r) in lines.iter().enumerate() {
            if r.is_empty() {
                continue;
            }
            for end in [r.start, r.end - 1] {
                let p = self.pts[end];
                for (lj, q) in lines.iter().enumerate() {
                    if q.is_empty() {
                        continue;
                    }
                    let mut near_end = false;
                    for j in [q.start, q.end - 1] {
                        let d = Geodesic.distance(p, self.pts[j]);
                        self.ambiguous |= (d - SNAP).abs() < 5.0;
                        if d <= SNAP {
                            near_end = true;
                            if lj != li {
                                link(&mut adj, end, j, 0.0);
                            }
                        }
                    }
                    if lj == li || near_end || q.len() < 2 {
                        continue;
                    }
                    let e = self.ecef[end];
                    let j = q
                        .clone()
                        .min_by(|a, b| chord(self.ecef[*a], e).total_cmp(&chord(self.ecef[*b], e)))
                        .unwrap();
                    // (distance, first sample of the piece, offset along it)
                    let mut best = (f64::INFINITY, j, 0.0);
                    for i in [j.saturating_sub(1).max(q.start), j.min(q.end - 2)] {
                        let (a, len) = (self.pts[i], self.plen[i]);
                        let az = Geodesic.bearing(a, self.pts[i + 1]);
                        let f = |t: f64| Geodesic.distance(p, Geodesic.destination(a, az, t));
                        let (mut lo, mut hi) = (0.0, len);
                        for _ in 0..60 {
                            let (m1, m2) = (lo + (hi - lo) * 0.382, hi - (hi - lo) * 0.382);
                            if f(m1) < f(m2) {
                                hi = m2;
                            } else {
                                lo = m1;
                            }
                        }
                        let t = (lo + hi) / 2.0;
                        for (d, t) in [(f(t), t), (f(0.0), 0.0), (f(len), len)] {
                            if d < best.0 {
                                best = (d, i, t);
                            }
                        }
                    }
                    let (d, i, t) = best;
                    self.ambiguous |= (d - SNAP).abs() < 5.0;
                    if d <= SNAP {
                        // A node at the foot, on the piece from sample i to i + 1.
                        adj.push(Vec::new());
                        let v = adj.len() - 1;
                        link(&mut adj, v, end, 0.0);
                        link(&mut adj, v, i, t);
                        link(&mut adj, v, i + 1, self.plen[i] - t);
                        virt.push((i, t, v));
                    }
                }
            }
        }
        let n = adj.len();
        let mut d = vec![f64::INFINITY; n];
        let mut heap = BinaryHeap::new();
        #[derive(PartialEq)]
        struct Item(f64, usize);
        impl Eq for Item {}
        impl PartialOrd for Item {
            fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for Item {
            fn cmp(&self, o: &Self) -> std::cmp::Ordering {
                o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
            }
        }
        for r in self.lines.clone() {
            if r.is_empty() || d[r.start].is_finite() {
                continue;
            }
            // The largest chainage of any point reached: between two nodes a and b, x apart
            // along a line, it peaks at (a + b + x) / 2.
            let mut root = d
                .iter()
                .copied()
                .filter(|x| x.is_finite())
                .fold(0.0, f64::max);
            for q in &lines {
                for i in q.start..q.end.saturating_sub(1) {
                    let mut stops = vec![(0.0, d[i])];
                    stops.extend(virt.iter().filter(|x| x.0 == i).map(|x| (x.1, d[x.2])));
                    stops.push((self.plen[i], d[i + 1]));
                    stops.sort_by(|a, b| a.0.total_cmp(&b.0));
                    for w in stops.windows(2) {
                        if w[0].1.is_finite() && w[1].1.is_finite() {
                            root = root.max((w[0].1 + w[1].1 + w[1].0 - w[0].0) / 2.0);
                        }
                    }
                }
            }
            d[r.start] = root;
            heap.push(Item(root, r.start));
            while let Some(Item(du, u)) = heap.pop() {
                if du > d[u] {
                    continue;
                }
                for &(v, w) in &adj[u] {
                    if du + w < d[v] {
                        d[v] = du + w;
                        heap.push(Item(d[v], v));
                    }
                }
            }
        }
        d.truncate(self.pts.len());
        self.ch = d;
    }

    /// The sample nearest `p` (by chord).
    fn nearest(&self, p: Point<f64>) -> usize {
        let e = ecef(p);
        (0..self.pts.len())
            .min_by(|a, b| chord(self.ecef[*a], e).total_cmp(&chord(self.ecef[*b], e)))
            .unwrap()
    }
}

/// What the brute force measures for one corridor × zone (metres).
struct Brute {
    inside: f64,
    min: f64,
    within: Vec<f64>,
    is_inside: Vec<bool>,
}

fn brute(s: &Samples, z: &BruteZone, bands_m: &[f64]) -> Brute {
    let n = s.pts.len();
    let mut is_inside = vec![false; n];
    // Exact distances at some samples; at the others (`exact` false), the distance of the
    // sample before them that vouches for them, and a lower bound.
    let mut dist = vec![0.0; n];
    let mut lower = vec![0.0; n];
    let mut exact = vec![false; n];
    for r in &s.lines {
        let mut i = r.start;
        while i < r.end {
            // The distance is 1-Lipschitz along the route: the samples after i within `margin`
            // of it lie on the same side of every band and of every polygon's boundary (the
            // boundary points are ZSTEP apart: a sample spacing of slack), so only samples
            // where something may change are measured.
            let inside = z.inside(s.pts[i]);
            let clear = z.distance(s.pts[i], s.ecef[i]);
            let d = if inside { 0.0 } else { clear };
            (is_inside[i], dist[i], lower[i], exact[i]) = (inside, d, d, true);
            let margin = bands_m.iter().map(|b| (d - b).abs()).fold(clear, f64::min) - ZSTEP;
            let mut j = i + 1;
            let mut run = 0.0;
            // Sample j is vouched for when it and the sample after it are within the margin.
            while j + 1 < r.end && run + s.plen[j - 1] + s.plen[j] < margin {
                run += s.plen[j - 1];
                (is_inside[j], dist[j], lower[j]) = (inside, d, (d - run).max(0.0));
                j += 1;
            }
            i = j;
        }
    }
    // The minimum: the exact distances, then every vouched sample whose bound is below them.
    let mut min = (0..n)
        .filter(|i| exact[*i])
        .map(|i| dist[i])
        .fold(f64::INFINITY, f64::min);
    let mut order: Vec<usize> = (0..n).filter(|i| !exact[*i]).collect();
    order.sort_by(|a, b| lower[*a].total_cmp(&lower[*b]));
    for i in order {
        if lower[i] >= min {
            break;
        }
        min = min.min(z.distance(s.pts[i], s.ecef[i]));
    }
    let mut within = vec![0.0; bands_m.len()];
    let mut inside = 0.0;
    for r in &s.lines {
        for i in r.start..r.end.saturating_sub(1) {
            let (u, v, len) = (dist[i], dist[i + 1], s.plen[i]);
            for (w, b) in within.iter_mut().zip(bands_m) {
                let f = match (u <= *b, v <= *b) {
                    (true, true) => 1.0,
                    (false, false) => 0.0,
                    (true, false) => (b - u) / (v - u),
                    (false, true) => (u - b) / (u - v),
                };
                *w += f * len;
            }
            inside += match (is_inside[i], is_inside[i + 1]) {
                (true, true) => len,
                (false, false) => 0.0,
                (a_in, _) => {
                    // Bisection along the piece's geodesic for where it crosses the boundary.
                    let (a, b) = (s.pts[i], s.pts[i + 1]);
                    let az = Geodesic.bearing(a, b);
                    let (mut lo, mut hi) = (0.0, len);
                    for _ in 0..14 {
                        let mid = (lo + hi) / 2.0;
                        if z.inside(Geodesic.destination(a, az, mid)) == a_in {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    let t = (lo + hi) / 2.0;
                    if a_in {
                        t
                    } else {
                        len - t
                    }
                }
            };
        }
    }
    Brute {
        inside,
        min,
        within,
        is_inside,
    }
}

// ---- random networks ----

fn walk(rng: &mut ChaCha8Rng, start: Point<f64>, n: usize, step: (f64, f64)) -> Vec<Point<f64>> {
    let mut h: f64 = rng.random_range(0.0..360.0);
    let mut pts = vec![start];
    for _ in 1..n {
        h += rng.random_range(-50.0..50.0);
        let d = rng.random_range(step.0..step.1);
        pts.push(Geodesic.destination(pts[pts.len() - 1], h, d));
    }
    pts
}

fn line(pts: &[Point<f64>]) -> LineString<f64> {
    LineString::from(pts.iter().map(|p| p.0).collect::<Vec<_>>())
}

/// A corridor of 1–4 lines: the first from `origin`, each next one continuing the last (a
/// gap of up to 300 m), branching at a vertex of an earlier line, leaving an earlier line's
/// interior (a T-junction), running backwards into an earlier line's vertex, or detached.
fn corridor(rng: &mut ChaCha8Rng, origin: Point<f64>) -> Vec<LineString<f64>> {
    let mut lines: Vec<Vec<Point<f64>>> = Vec::new();
    let parts = rng.random_range(1..=4);
    for j in 0..parts {
        let n = rng.random_range(2..=8);
        let step = (1_000.0, rng.random_range(5_000.0..20_000.0));
        let pts = if j == 0 {
            walk(rng, origin, n, step)
        } else {
            let earlier = &lines[rng.random_range(0..lines.len())];
            let last = *lines[j - 1].last().unwrap();
            match rng.random_range(0..5) {
                0 => {
                    let gap = rng.random_range(0.0..300.0);
                    let start = Geodesic.destination(last, rng.random_range(0.0..360.0), gap);
                    walk(rng, start, n, step)
                }
                1 => {
                    let v = earlier[rng.random_range(0..earlier.len())];
                    walk(rng, v, n, step)
                }
                2 if earlier.len() >= 2 => {
                    let k = rng.random_range(0..earlier.len() - 1);
                    let (a, b) = (earlier[k], earlier[k + 1]);
                    let t = rng.random_range(0.2..0.8) * Geodesic.distance(a, b);
                    let foot = Geodesic.destination(a, Geodesic.bearing(a, b), t);
                    walk(rng, foot, n, step)
                }
                3 => {
                    let v = earlier[rng.random_range(0..earlier.len())];
                    let mut w = walk(rng, v, n, step);
                    w.reverse();
                    w
                }
                _ => {
                    let start = Geodesic.destination(
                        last,
                        rng.random_range(0.0..360.0),
                        rng.random_range(20_000.0..80_000.0),
                    );
                    walk(rng, start, n, step)
                }
            }
        };
        lines.push(pts);
    }
    lines.iter().map(|l| line(l)).collect()
}

fn star(rng: &mut ChaCha8Rng, c: Point<f64>, r: f64, n: usize) -> LineString<f64> {
    let mut pts: Vec<Point<f64>> = (0..n)
        .map(|i| {
            let az = 360.0 * i as f64 / n as f64;
            Geodesic.destination(c, az, r * rng.random_range(0.75..1.25))
        })
        .collect();
    pts.push(pts[0]);
    line(&pts)
}

fn holed(rng: &mut ChaCha8Rng, c: Point<f64>, r: f64) -> Polygon<f64> {
    let (n, m, f) = (
        rng.random_range(8..=24),
        rng.random_range(6..=12),
        rng.random_range(0.15..0.45),
    );
    let ext = star(rng, c, r, n);
    let hole = star(rng, c, r * f, m);
    Polygon::new(ext, vec![hole])
}

/// A zone of geometry type `ty` around `c`.
fn zone(rng: &mut ChaCha8Rng, ty: usize, c: Point<f64>) -> Geometry<f64> {
    let r = rng.random_range(5_000.0..60_000.0);
    match ty {
        0 => Geometry::Polygon(holed(rng, c, r)),
        1 => {
            let far = Geodesic.destination(c, rng.random_range(0.0..360.0), r * 3.5);
            let n = rng.random_range(5..=16);
            let second = Polygon::new(star(rng, far, r, n), vec![]);
            Geometry::MultiPolygon(MultiPolygon(vec![holed(rng, c, r), second]))
        }
        2 => {
            let n = rng.random_range(3..=15);
            Geometry::LineString(line(&walk(rng, c, n, (5_000.0, 40_000.0))))
        }
        3 => Geometry::MultiLineString(geo::MultiLineString(
            (0..2)
                .map(|_| {
                    let n = rng.random_range(2..=8);
                    line(&walk(rng, c, n, (5_000.0, 40_000.0)))
                })
                .collect(),
        )),
        4 => Geometry::Point(c),
        _ => Geometry::MultiPoint(geo::MultiPoint({
            let n = rng.random_range(2..=5);
            (0..n)
                .map(|_| {
                    Geodesic.destination(
                        c,
                        rng.random_range(0.0..360.0),
                        rng.random_range(0.0..60_000.0),
                    )
                })
                .collect()
        })),
    }
}

const ZONE_TYPES: [&str; 6] = [
    "polygon with a hole",
    "multipolygon",
    "line",
    "multiline",
    "point",
    "multipoint",
];

struct Case {
    corridors: Vec<Vec<LineString<f64>>>,
    /// (zone, its type, far)
    zones: Vec<(Geometry<f64>, usize, bool)>,
    bands: Vec<f64>,
}

/// Case `i`: 1–3 corridors, two zones whose types and nearness cycle with `i` (so that every
/// type is met near and far every 12 cases), bands of 1–200 km.
fn case(i: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(0x18_0000 + i);
    let origin = Point::new(
        rng.random_range(-150.0..150.0),
        rng.random_range(-65.0..65.0),
    );
    let corridors: Vec<_> = (0..rng.random_range(1..=3))
        .map(|_| {
            let o = Geodesic.destination(
                origin,
                rng.random_range(0.0..360.0),
                rng.random_range(0.0..60_000.0),
            );
            corridor(&mut rng, o)
        })
        .collect();
    let vertices: Vec<Point<f64>> = corridors
        .iter()
        .flatten()
        .flat_map(|l| l.0.iter().map(|c| Point(*c)))
        .collect();
    let zones = (0..2u64)
        .map(|k| {
            let ty = ((2 * i + k) % 6) as usize;
            let far = (i / 3 + k) % 4 == 3;
            let anchor = vertices[rng.random_range(0..vertices.len())];
            let c = loop {
                let d = if far {
                    rng.random_range(300_000.0..2_500_000.0)
                } else {
                    rng.random_range(0.0..120_000.0)
                };
                let c = Geodesic.destination(anchor, rng.random_range(0.0..360.0), d);
                if c.y().abs() < 75.0 && c.x().abs() < 170.0 {
                    break c;
                }
            };
            (zone(&mut rng, ty, c), ty, far)
        })
        .collect();
    let mut bands: Vec<f64> = (0..rng.random_range(1..=4))
        .map(|_| (rng.random_range(1.0..200.0f64) * 10.0).round() / 10.0)
        .collect();
    if rng.random_bool(0.25) {
        bands.push(1.0);
    }
    if rng.random_bool(0.25) {
        bands.push(200.0);
    }
    bands.sort_by(f64::total_cmp);
    bands.dedup();
    Case {
        corridors,
        zones,
        bands,
    }
}

fn coords(l: &LineString<f64>) -> Value {
    json!(l.0.iter().map(|c| [c.x, c.y]).collect::<Vec<_>>())
}

fn geometry_json(g: &Geometry<f64>) -> Value {
    let poly = |p: &Polygon<f64>| {
        let mut rings = vec![coords(p.exterior())];
        rings.extend(p.interiors().iter().map(coords));
        json!(rings)
    };
    match g {
        Geometry::Point(p) => json!({"type": "Point", "coordinates": [p.x(), p.y()]}),
        Geometry::MultiPoint(m) => {
            json!({"type": "MultiPoint", "coordinates": m.0.iter().map(|p| [p.x(), p.y()]).collect::<Vec<_>>()})
        }
        Geometry::LineString(l) => json!({"type": "LineString", "coordinates": coords(l)}),
        Geometry::MultiLineString(m) => {
            json!({"type": "MultiLineString", "coordinates": m.0.iter().map(coords).collect::<Vec<_>>()})
        }
        Geometry::Polygon(p) => json!({"type": "Polygon", "coordinates": poly(p)}),
        Geometry::MultiPolygon(m) => {
            json!({"type": "MultiPolygon", "coordinates": m.0.iter().map(poly).collect::<Vec<_>>()})
        }
        other => panic!("not generated: {other:?}"),
    }
}

/// The case as the files `corridor exposure` reads, loaded the ordinary way.
fn load(c: &Case) -> (Network, Vec<corridor::model::Zone>) {
    let mut feats = Vec::new();
    for (ci, lines) in c.corridors.iter().enumerate() {
        for (j, l) in lines.iter().enumerate() {
            feats.push(json!({"type": "Feature",
                "properties": {"id": format!("C{ci}-{j}"), "corridor": format!("C{ci}"), "commodity": "gas"},
                "geometry": {"type": "LineString", "coordinates": coords(l)}}));
        }
    }
    let net = json!({"type": "FeatureCollection", "features": feats}).to_string();
    let zones: Vec<Value> = c
        .zones
        .iter()
        .enumerate()
        .map(|(k, (g, ty, _))| {
            json!({"type": "Feature",
                "properties": {"id": format!("Z{k}"), "name": ZONE_TYPES[*ty], "kind": "test"},
                "geometry": geometry_json(g)})
        })
        .collect();
    let zones = json!({"type": "FeatureCollection", "features": zones}).to_string();
    let net = load_network(
        &[Source::new("net.geojson", net.into_bytes())],
        LoadOptions::default(),
    )
    .unwrap()
    .0;
    let zones = load_zones(&[Source::new("zones.geojson", zones.into_bytes())]).unwrap();
    (net, zones)
}

/// Everything that disagrees between `corridor exposure` and the brute force on case `i`.
fn check_case(i: u64, seen: &mut BTreeMap<(usize, bool), usize>) -> Vec<String> {
    let c = case(i);
    let (net, zones) = load(&c);
    let zs: Vec<_> = zones.iter().collect();
    let rows = exposure(&net, &zs, &c.bands, false).rows;
    let bands_m: Vec<f64> = c.bands.iter().map(|b| b * 1000.0).collect();
    let mut bad = Vec::new();
    for (ci, lines) in c.corridors.iter().enumerate() {
        let s = Samples::new(lines);
        for (zi, (g, ty, far)) in c.zones.iter().enumerate() {
            *seen.entry((*ty, *far)).or_default() += 1;
            let tag = format!("case {i} C{ci} × Z{zi} ({}, far {far})", ZONE_TYPES[*ty]);
            let z = BruteZone::new(g);
            let b = brute(&s, &z, &bands_m);
            let r = rows
                .iter()
                .find(|r| r.corridor == format!("C{ci}") && r.zone == format!("Z{zi}"))
                .unwrap();
            for (k, band) in c.bands.iter().enumerate() {
                let got = r.within_km.get(*band).unwrap();
                let want = b.within[k] / 1000.0;
                if !within_contract(got, want) {
                    bad.push(format!("{tag}: within_km.{band} {got} vs {want:.3}"));
                }
            }
            if !within_contract(r.inside_km, b.inside / 1000.0) {
                bad.push(format!(
                    "{tag}: inside_km {} vs {:.3}",
                    r.inside_km,
                    b.inside / 1000.0
                ));
            }
            // The brute minimum is a true distance (sample to boundary point), so never below
            // the least one; it exceeds it by at most about half a sample spacing on each side.
            let got = r.min_distance_km.unwrap() * 1000.0;
            if got > b.min * 1.001 + 1.0 || got < b.min - RSTEP - 1.0 {
                bad.push(format!("{tag}: min_distance {got:.1} m vs {:.1} m", b.min));
            }
            // The chainage is that of the point reported: the shortest path along the
            // corridor's lines to the nearest sample (within half a spacing).
            let p = Point::new(r.lon.unwrap(), r.lat.unwrap());
            let k = s.nearest(p);
            let off = Geodesic.distance(p, s.pts[k]);
            let got_ch = r.chainage_km.unwrap() * 1000.0;
            if off > RSTEP {
                bad.push(format!(
                    "{tag}: closest point {p:?} is {off:.0} m off the route"
                ));
            } else if !s.ambiguous && (got_ch - s.ch[k]).abs() > off + 5.0 {
                bad.push(format!(
                    "{tag}: chainage {got_ch:.1} m vs {:.1} m at the nearest sample ({off:.0} m away)",
                    s.ch[k]
                ));
            }
            // Where a route runs into a polygon, the point reported is the meeting of least
            // chainage: no inside sample comes before it.
            if b.min == 0.0 && !s.ambiguous {
                let first = (0..s.pts.len())
                    .filter(|i| b.is_inside[*i])
                    .map(|i| s.ch[i])
                    .fold(f64::INFINITY, f64::min);
                if got_ch > first + 1.0 {
                    bad.push(format!(
                        "{tag}: meeting at chainage {got_ch:.1} m, but the route is inside at {first:.1} m"
                    ));
                }
            }
        }
    }
    bad
}

/// How many random cases `cargo test` runs (`CORRIDOR_SYNTH_CASES` for more; the seeds are
/// fixed, case i is the same everywhere).
fn cases() -> u64 {
    std::env::var("CORRIDOR_SYNTH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

#[test]
fn exposure_matches_brute_force_on_random_networks() {
    let mut seen = BTreeMap::new();
    let mut bad = Vec::new();
    for i in 0..cases() {
        bad.extend(check_case(i, &mut seen));
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // Every zone geometry type was met both near and far.
    for (ty, name) in ZONE_TYPES.iter().enumerate() {
        for far in [false, true] {
            assert!(
                seen.get(&(ty, far)).copied().unwrap_or(0) > 0,
                "{name} far {far} never generated"
            );
        }
    }
}

// Every corridor × zone of synth-b (636 items, every segment) against the brute force above:
// about a minute in release (`cargo test --release --test exposure_synth -- --ignored`).
#[test]
#[ignore]
fn synth_b_every_item_against_brute_force() {
    let read = |f: &str| Source::read(Path::new(&format!("{SYNTH_B}/{f}"))).unwrap();
    let net = load_network(&[read("network.geojson")], LoadOptions::default())
        .unwrap()
        .0;
    let zones = load_zones(&[read("zones.geojson")]).unwrap();
    let zs: Vec<_> = zones.iter().collect();
    let bands = [10.0, 20.0, 40.0, 70.0];
    let bands_m: Vec<f64> = bands.iter().map(|b| b * 1000.0).collect();
    let rows = exposure(&net, &zs, &bands, false).rows;
    let bz: Vec<BruteZone> = zones.iter().map(|z| BruteZone::new(&z.geometry)).collect();
    let mut bad = Vec::new();
    for c in net.corridors() {
        let lines: Vec<LineString<f64>> = net
            .segments
            .iter()
            .filter(|s| s.corridor == c)
            .map(|s| s.line.clone())
            .collect();
        let s = Samples::new(&lines);
        for (z, b) in zones.iter().zip(&bz) {
            let r = rows
                .iter()
                .find(|r| r.corridor == c && r.zone == z.id)
                .unwrap();
            let br = brute(&s, b, &bands_m);
            for (k, band) in bands.iter().enumerate() {
                let got = r.within_km.get(*band).unwrap();
                if !within_contract(got, br.within[k] / 1000.0) {
                    bad.push(format!(
                        "{c} × {}: within_km.{band} {got} vs {}",
                        z.id,
                        br.within[k] / 1000.0
                    ));
                }
            }
            if !within_contract(r.inside_km, br.inside / 1000.0) {
                bad.push(format!(
                    "{c} × {}: inside_km {} vs {}",
                    z.id,
                    r.inside_km,
                    br.inside / 1000.0
                ));
            }
            let got = r.min_distance_km.unwrap() * 1000.0;
            if got > br.min * 1.001 + 1.0 || got < br.min - RSTEP - 1.0 {
                bad.push(format!("{c} × {}: min {got} vs {}", z.id, br.min));
            }
            let p = Point::new(r.lon.unwrap(), r.lat.unwrap());
            let k = s.nearest(p);
            let off = Geodesic.distance(p, s.pts[k]);
            let ch = r.chainage_km.unwrap() * 1000.0;
            if !s.ambiguous && (off > RSTEP || (ch - s.ch[k]).abs() > off + 5.0) {
                bad.push(format!(
                    "{c} × {}: chainage {ch} vs {} ({off} m off)",
                    z.id, s.ch[k]
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

// The same items through the command line, as the issue ran it: without `--year`, every segment
// of the files counts (decommissioning years select a vintage only when a year is asked for).
#[test]
fn synth_b_command_line_agrees_with_the_reference() {
    let out = assert_cmd::Command::cargo_bin("corridor")
        .unwrap()
        .args(["exposure", "--format", "json", "-q", "--network"])
        .arg(format!("{SYNTH_B}/network.geojson"))
        .arg("--zones")
        .arg(format!("{SYNTH_B}/zones.geojson"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["exposure"].as_array().unwrap();
    let row = |c: &str, z: &str| {
        rows.iter()
            .find(|r| r["corridor"] == c && r["zone"] == z)
            .unwrap_or_else(|| panic!("{c} × {z}"))
    };
    for (c, z, f, _, want) in expected_items() {
        let r = row(&c, &z);
        let got = match f.strip_prefix("within_km.") {
            Some(band) => r["within_km"][band].as_f64().unwrap(),
            None => r[f.as_str()].as_f64().unwrap(),
        };
        assert!(within_contract(got, want), "{c} × {z} {f}: {got} vs {want}");
    }
    // C00000B's closest point to most zones, at chainage 368.6 km along its own lines.
    let b = row("C00000B", "Z0000");
    assert!((b["lon"].as_f64().unwrap() - 46.339843).abs() < 1e-5, "{b}");
    assert!(
        (b["chainage_km"].as_f64().unwrap() - 368.553).abs() < 0.01,
        "{b}"
    );
}
