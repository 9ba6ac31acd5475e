//! GeoJSON for the page: geometries with coordinates rounded to 6 decimals (about 0.1 m),
//! consecutive duplicates (after rounding) dropped, degenerate parts left out, and features and
//! collections serialised in a fixed key order.

use crate::model::round;
use geo::{Coord, Geometry, LineString, Polygon};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Decimals of every coordinate in the page.
pub const DECIMALS: i32 = 6;

type Pos = [f64; 2];

/// A geometry ready to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Geom {
    Point(Pos),
    MultiPoint(Vec<Pos>),
    LineString(Vec<Pos>),
    MultiLineString(Vec<Vec<Pos>>),
    Polygon(Vec<Vec<Pos>>),
    MultiPolygon(Vec<Vec<Vec<Pos>>>),
    Collection(Vec<Geom>),
}

fn pos(c: Coord<f64>) -> Pos {
    [round(c.x, DECIMALS), round(c.y, DECIMALS)]
}

/// A line's rounded positions without consecutive repeats; `None` below two positions.
pub fn line(l: &LineString<f64>) -> Option<Vec<Pos>> {
    let mut out: Vec<Pos> = Vec::with_capacity(l.0.len());
    for c in &l.0 {
        let p = pos(*c);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    (out.len() >= 2).then_some(out)
}

/// A ring's rounded positions, closed, without consecutive repeats; `None` when fewer than
/// three distinct positions are left.
fn ring(l: &LineString<f64>) -> Option<Vec<Pos>> {
    let mut out = line(l)?;
    if out.first() != out.last() {
        let first = out[0];
        out.push(first);
    }
    (out.len() >= 4).then_some(out)
}

fn polygon(p: &Polygon<f64>) -> Option<Vec<Vec<Pos>>> {
    let mut rings = vec![ring(p.exterior())?];
    rings.extend(p.interiors().iter().filter_map(ring));
    Some(rings)
}

/// Lines as a LineString (one part) or a MultiLineString; `None` when no part is left.
pub fn lines<'a>(ls: impl IntoIterator<Item = &'a LineString<f64>>) -> Option<Geom> {
    let mut parts: Vec<Vec<Pos>> = ls.into_iter().filter_map(line).collect();
    match parts.len() {
        0 => None,
        1 => parts.pop().map(Geom::LineString),
        _ => Some(Geom::MultiLineString(parts)),
    }
}

/// Polygons as a MultiPolygon; `None` when none is left.
pub fn polygons<'a>(ps: impl IntoIterator<Item = &'a Polygon<f64>>) -> Option<Geom> {
    let parts: Vec<_> = ps.into_iter().filter_map(polygon).collect();
    (!parts.is_empty()).then_some(Geom::MultiPolygon(parts))
}

/// Any geometry (lines, rectangles and triangles become line strings and polygons); `None` when
/// nothing drawable is left.
pub fn geometry(g: &Geometry<f64>) -> Option<Geom> {
    match g {
        Geometry::Point(p) => Some(Geom::Point(pos(p.0))),
        Geometry::MultiPoint(mp) => {
            let v: Vec<Pos> = mp.0.iter().map(|p| pos(p.0)).collect();
            (!v.is_empty()).then_some(Geom::MultiPoint(v))
        }
        Geometry::Line(l) => line(&LineString(vec![l.start, l.end])).map(Geom::LineString),
        Geometry::LineString(l) => line(l).map(Geom::LineString),
        Geometry::MultiLineString(ml) => {
            let v: Vec<Vec<Pos>> = ml.0.iter().filter_map(line).collect();
            (!v.is_empty()).then_some(Geom::MultiLineString(v))
        }
        Geometry::Polygon(p) => polygon(p).map(Geom::Polygon),
        Geometry::MultiPolygon(mp) => polygons(&mp.0),
        Geometry::Rect(r) => polygon(&r.to_polygon()).map(Geom::Polygon),
        Geometry::Triangle(t) => polygon(&t.to_polygon()).map(Geom::Polygon),
        Geometry::GeometryCollection(gc) => {
            let v: Vec<Geom> = gc.0.iter().filter_map(geometry).collect();
            (!v.is_empty()).then_some(Geom::Collection(v))
        }
    }
}

impl Serialize for Geom {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        match self {
            Geom::Point(c) => {
                m.serialize_entry("type", "Point")?;
                m.serialize_entry("coordinates", c)?;
            }
            Geom::MultiPoint(c) => {
                m.serialize_entry("type", "MultiPoint")?;
                m.serialize_entry("coordinates", c)?;
            }
            Geom::LineString(c) => {
                m.serialize_entry("type", "LineString")?;
                m.serialize_entry("coordinates", c)?;
            }
            Geom::MultiLineString(c) => {
                m.serialize_entry("type", "MultiLineString")?;
                m.serialize_entry("coordinates", c)?;
            }
            Geom::Polygon(c) => {
                m.serialize_entry("type", "Polygon")?;
                m.serialize_entry("coordinates", c)?;
            }
            Geom::MultiPolygon(c) => {
                m.serialize_entry("type", "MultiPolygon")?;
                m.serialize_entry("coordinates", c)?;
            }
            Geom::Collection(g) => {
                m.serialize_entry("type", "GeometryCollection")?;
                m.serialize_entry("geometries", g)?;
            }
        }
        m.end()
    }
}

/// A GeoJSON Feature: `type`, `properties`, `geometry`.
#[derive(Debug, Clone)]
pub struct Feature<P> {
    pub properties: P,
    pub geometry: Geom,
}

impl<P: Serialize> Serialize for Feature<P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("type", "Feature")?;
        m.serialize_entry("properties", &self.properties)?;
        m.serialize_entry("geometry", &self.geometry)?;
        m.end()
    }
}

/// A GeoJSON FeatureCollection.
#[derive(Debug, Clone)]
pub struct Collection<P>(pub Vec<Feature<P>>);

impl<P> Default for Collection<P> {
    fn default() -> Self {
        Collection(Vec::new())
    }
}

impl<P> Collection<P> {
    /// Adds a feature when its geometry has something to draw.
    pub fn push(&mut self, properties: P, geometry: Option<Geom>) {
        if let Some(geometry) = geometry {
            self.0.push(Feature {
                properties,
                geometry,
            });
        }
    }
}

impl<P: Serialize> Serialize for Collection<P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("type", "FeatureCollection")?;
        m.serialize_entry("features", &self.0)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon};

    #[test]
    fn rounds_and_drops_repeats() {
        let l = line_string![(x: 45.12345649, y: 40.0), (x: 45.1234565, y: 40.00000001), (x: 46.0, y: 41.0)];
        assert_eq!(
            line(&l).unwrap(),
            vec![[45.123456, 40.0], [45.123457, 40.0], [46.0, 41.0]]
        );
        let dot = line_string![(x: 1.0, y: 1.0), (x: 1.0000000001, y: 1.0)];
        assert!(line(&dot).is_none());
        assert!(lines([&dot]).is_none());
    }

    #[test]
    fn rings_stay_closed_and_valid() {
        let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)];
        let g = geometry(&Geometry::Polygon(p)).unwrap();
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(
            json,
            r#"{"type":"Polygon","coordinates":[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]]}"#
        );
        let sliver = polygon![(x: 0.0, y: 0.0), (x: 1e-9, y: 0.0), (x: 0.0, y: 1e-9)];
        assert!(geometry(&Geometry::Polygon(sliver)).is_none());
    }
}
