//! The maps' projection: plate carrée with the horizontal scale multiplied by cos(mean latitude),
//! so shapes are right at the map's middle latitude, and clipping to the map's frame. It is for
//! drawing only: every labelled distance is geodesic (WGS84), computed by the analyses.

use geo::Geometry;

pub(super) type Pt = (f64, f64);

/// A lon/lat box and where it sits on the canvas.
#[derive(Debug, Clone, Copy)]
pub(super) struct Proj {
    pub(super) lon: (f64, f64),
    pub(super) lat: (f64, f64),
    pub(super) x0: f64,
    pub(super) y0: f64,
    /// Pixels per degree of longitude and latitude.
    pub(super) kx: f64,
    pub(super) ky: f64,
}

impl Proj {
    /// Fits the box into `w` × `h` pixels at (x0, y0), keeping the cos(mean latitude) aspect.
    pub(super) fn fit(lon: (f64, f64), lat: (f64, f64), x0: f64, y0: f64, w: f64, h: f64) -> Proj {
        let c = ((lat.0 + lat.1) / 2.0).to_radians().cos();
        let ky = (w / ((lon.1 - lon.0) * c)).min(h / (lat.1 - lat.0));
        Proj {
            lon,
            lat,
            x0,
            y0,
            kx: ky * c,
            ky,
        }
    }

    pub(super) fn w(&self) -> f64 {
        (self.lon.1 - self.lon.0) * self.kx
    }

    pub(super) fn h(&self) -> f64 {
        (self.lat.1 - self.lat.0) * self.ky
    }

    pub(super) fn p(&self, q: Pt) -> Pt {
        (
            self.x0 + (q.0 - self.lon.0) * self.kx,
            self.y0 + (self.lat.1 - q.1) * self.ky,
        )
    }

    /// Canvas pixels back to lon/lat.
    pub(super) fn unproject(&self, p: Pt) -> Pt {
        (
            self.lon.0 + (p.0 - self.x0) / self.kx,
            self.lat.1 - (p.1 - self.y0) / self.ky,
        )
    }

    pub(super) fn inside(&self, q: Pt) -> bool {
        q.0 >= self.lon.0 && q.0 <= self.lon.1 && q.1 >= self.lat.0 && q.1 <= self.lat.1
    }

    /// Clips a polyline (lon/lat) to the box; returns the projected visible pieces.
    pub(super) fn line(&self, pts: &[Pt]) -> Vec<Vec<Pt>> {
        clipped_runs(pts, self.lon, self.lat, |q| self.p(q), dist)
    }

    /// Clips a ring (lon/lat) to the box (Sutherland–Hodgman) and projects it.
    pub(super) fn ring(&self, ring: &[Pt]) -> Option<Vec<Pt>> {
        let mut poly: Vec<Pt> = ring.to_vec();
        let edges: [(usize, f64, bool); 4] = [
            (0, self.lon.0, true),
            (0, self.lon.1, false),
            (1, self.lat.0, true),
            (1, self.lat.1, false),
        ];
        for (axis, v, keep_ge) in edges {
            let inside = |p: &Pt| {
                let c = if axis == 0 { p.0 } else { p.1 };
                if keep_ge {
                    c >= v
                } else {
                    c <= v
                }
            };
            let mut next = Vec::with_capacity(poly.len());
            for i in 0..poly.len() {
                let a = poly[i];
                let b = poly[(i + 1) % poly.len()];
                let (ia, ib) = (inside(&a), inside(&b));
                if ia {
                    next.push(a);
                }
                if ia != ib {
                    let (ca, cb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
                    let t = (v - ca) / (cb - ca);
                    next.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            poly = next;
            if poly.len() < 3 {
                return None;
            }
        }
        Some(poly.iter().map(|q| self.p(*q)).collect())
    }
}

/// The visible pieces of a polyline clipped to the box `xr` × `yr`, each vertex mapped by `to`:
/// a piece is cut where the clipped segments do not meet (`gap` of the mapped points over half
/// a unit), and pieces of fewer than two points are dropped.
pub(crate) fn clipped_runs(
    pts: &[Pt],
    xr: (f64, f64),
    yr: (f64, f64),
    to: impl Fn(Pt) -> Pt,
    gap: impl Fn(Pt, Pt) -> f64,
) -> Vec<Vec<Pt>> {
    let mut out: Vec<Vec<Pt>> = Vec::new();
    let mut cur: Vec<Pt> = Vec::new();
    for w in pts.windows(2) {
        match clip_segment(w[0], w[1], xr, yr) {
            Some((a, b)) => {
                let (pa, pb) = (to(a), to(b));
                if cur.last().is_none_or(|l| gap(*l, pa) > 0.5) {
                    if cur.len() >= 2 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur = vec![pa];
                }
                cur.push(pb);
            }
            None => {
                if cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

pub(crate) fn dist(a: Pt, b: Pt) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Liang–Barsky clipping of one segment to a lon/lat box.
pub(crate) fn clip_segment(a: Pt, b: Pt, lon: (f64, f64), lat: (f64, f64)) -> Option<(Pt, Pt)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - lon.0),
        (dx, lon.1 - a.0),
        (-dy, a.1 - lat.0),
        (dy, lat.1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

pub(super) fn coords(l: &geo::LineString<f64>) -> Vec<Pt> {
    l.0.iter().map(|c| (c.x, c.y)).collect()
}

/// Exterior rings of a geometry's polygons.
pub(super) fn exteriors(g: &Geometry<f64>) -> Vec<Vec<Pt>> {
    match g {
        Geometry::Polygon(p) => vec![coords(p.exterior())],
        Geometry::MultiPolygon(m) => m.0.iter().map(|p| coords(p.exterior())).collect(),
        Geometry::GeometryCollection(c) => c.0.iter().flat_map(exteriors).collect(),
        _ => vec![],
    }
}

/// Lines of a geometry: line parts, and every polygon ring as an outline.
pub(super) fn outlines(g: &Geometry<f64>) -> Vec<Vec<Pt>> {
    match g {
        Geometry::LineString(l) => vec![coords(l)],
        Geometry::MultiLineString(m) => m.0.iter().map(coords).collect(),
        Geometry::Polygon(p) => std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(coords)
            .collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(coords)
                .collect()
        }
        Geometry::GeometryCollection(c) => c.0.iter().flat_map(outlines).collect(),
        _ => vec![],
    }
}
