//! One feature as serde reads it ([`FeatureIn`]) and its conversion to a [`RawFeature`]: the
//! geometry of any RFC 7946 type, every coordinate checked (finite, within lon/lat range), errors
//! naming the feature and the property.

use super::RawFeature;
use crate::error::{DataError, Place};
use crate::input::props::Properties;
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::cell::Cell;
use std::fmt;

#[derive(Deserialize)]
pub(super) struct FeatureIn {
    #[serde(rename = "type")]
    ty: Option<String>,
    id: Option<Value>,
    geometry: Option<GeometryIn>,
    properties: Option<Properties>,
}

#[derive(Deserialize)]
struct GeometryIn {
    #[serde(rename = "type")]
    ty: String,
    coordinates: Option<Coords>,
    geometries: Option<Vec<GeometryIn>>,
}

/// Nested coordinate arrays, read without knowing the depth in advance.
#[derive(Debug)]
enum Coords {
    Num(f64),
    /// A position: x, y, and how many numbers it had.
    Pos(f64, f64, usize),
    /// A non-empty array of positions of two or more numbers each (a line, a ring, the points
    /// of a MultiPoint), read straight into the vertex list the geometry keeps. Equivalent to a
    /// `List` of `Pos(x, y, 2)`: beyond two, the count of numbers makes no difference.
    Line(Vec<Coord<f64>>),
    List(Vec<Coords>),
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Coords;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("numbers or arrays of coordinates")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Coords, E> {
                Ok(Coords::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Coords, E> {
                Ok(Coords::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Coords, E> {
                Ok(Coords::Num(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
                // A position (`[x, y]`, perhaps with more numbers) is read without allocating,
                // and an array of positions straight into vertices: this runs once per vertex.
                let first = match seq.next_element::<Coords>()? {
                    None => return Ok(Coords::List(Vec::new())),
                    Some(c) => c,
                };
                let mut items: Vec<Coords> = match first {
                    Coords::Num(x) => {
                        let (mut y, mut n) = (f64::NAN, 1usize);
                        // Numbers after the first two (z, m), kept only to rebuild a mixed list.
                        let mut more: Vec<f64> = Vec::new();
                        loop {
                            match seq.next_element::<Coords>()? {
                                None => return Ok(Coords::Pos(x, y, n)),
                                Some(Coords::Num(v)) => {
                                    if n == 1 {
                                        y = v;
                                    } else {
                                        more.push(v);
                                    }
                                    n += 1;
                                }
                                Some(other) => {
                                    // Numbers mixed with arrays: kept as a list, as read.
                                    let mut items = vec![Coords::Num(x)];
                                    if n >= 2 {
                                        items.push(Coords::Num(y));
                                    }
                                    items.extend(more.into_iter().map(Coords::Num));
                                    items.push(other);
                                    break items;
                                }
                            }
                        }
                    }
                    Coords::Pos(x, y, n) if n >= 2 => {
                        // Collected in a buffer kept from line to line, then copied out at its
                        // exact length: no reallocation as the line grows, no spare capacity.
                        let mut buf = LINE_BUFFER.take();
                        buf.clear();
                        buf.push(Coord { x, y });
                        let end = loop {
                            match seq.next_element::<Coords>() {
                                Ok(Some(Coords::Pos(x, y, n))) if n >= 2 => {
                                    buf.push(Coord { x, y })
                                }
                                other => break other,
                            }
                        };
                        let pts = buf.to_vec();
                        if buf.capacity() <= 1 << 16 {
                            LINE_BUFFER.set(buf);
                        }
                        match end? {
                            None => return Ok(Coords::Line(pts)),
                            Some(other) => {
                                // Something else among the positions: a list, as read.
                                let mut items = as_positions(pts);
                                items.push(other);
                                items
                            }
                        }
                    }
                    other => vec![other],
                };
                while let Some(c) = seq.next_element::<Coords>()? {
                    items.push(c);
                }
                Ok(Coords::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

thread_local! {
    /// The vertices of the line [`Coords`] is reading (a nested line, in malformed input, takes
    /// a buffer of its own). Not kept once grown past 64 k vertices.
    static LINE_BUFFER: Cell<Vec<Coord<f64>>> = const { Cell::new(Vec::new()) };
}

/// The positions of a [`Coords::Line`] as the list they stand for.
fn as_positions(pts: Vec<Coord<f64>>) -> Vec<Coords> {
    pts.into_iter().map(|c| Coords::Pos(c.x, c.y, 2)).collect()
}

impl FeatureIn {
    /// A single Feature document from its members (read as text by the top-level pass).
    pub(super) fn from_members(
        id: Option<&RawValue>,
        geometry: Option<&RawValue>,
        properties: Option<&RawValue>,
    ) -> Result<FeatureIn, serde_json::Error> {
        Ok(FeatureIn {
            ty: Some("Feature".to_string()),
            id: id.map(|v| serde_json::from_str(v.get())).transpose()?,
            geometry: geometry
                .map(|v| serde_json::from_str::<Option<GeometryIn>>(v.get()))
                .transpose()?
                .flatten(),
            properties: properties
                .map(|v| serde_json::from_str::<Option<Properties>>(v.get()))
                .transpose()?
                .flatten(),
        })
    }

    /// A bare geometry document as a feature without properties.
    pub(super) fn bare_geometry(
        ty: String,
        coordinates: Option<&RawValue>,
        geometries: Option<&RawValue>,
    ) -> Result<FeatureIn, serde_json::Error> {
        Ok(FeatureIn {
            ty: Some("Feature".to_string()),
            id: None,
            geometry: Some(GeometryIn {
                ty,
                coordinates: coordinates
                    .map(|v| serde_json::from_str::<Option<Coords>>(v.get()))
                    .transpose()?
                    .flatten(),
                geometries: geometries
                    .map(|v| serde_json::from_str::<Option<Vec<GeometryIn>>>(v.get()))
                    .transpose()?
                    .flatten(),
            }),
            properties: None,
        })
    }

    pub(super) fn into_raw(self, file: &str, index: usize) -> Result<RawFeature, DataError> {
        let id = match &self.id {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                return Err(DataError::new(
                    Place::feature(file, index, None).with_property("id"),
                    "a feature `id` must be a string or a number",
                ))
            }
        };
        let properties = self.properties.unwrap_or_default();
        let mut raw = RawFeature {
            index,
            id,
            geometry: None,
            empty_geometry: None,
            properties,
        };
        match self.ty.as_deref() {
            Some("Feature") => {}
            other => {
                return Err(DataError::new(
                    raw.place(file).with_property("type"),
                    format!("expected a Feature, found type {other:?}"),
                ))
            }
        }
        if let Some(g) = self.geometry {
            if g.is_empty() {
                raw.empty_geometry = Some(g.ty);
            } else {
                let geometry = g.into_geo(&|| raw.place(file).with_property("geometry"))?;
                raw.geometry = Some(geometry);
            }
        }
        Ok(raw)
    }
}

impl GeometryIn {
    /// A geometry with an empty `coordinates` array (or a GeometryCollection with no member):
    /// RFC 7946 §3.1 lets a reader take it as a null geometry.
    fn is_empty(&self) -> bool {
        if self.ty == "GeometryCollection" {
            matches!(&self.geometries, Some(g) if g.is_empty())
        } else {
            matches!(&self.coordinates, Some(Coords::List(c)) if c.is_empty())
        }
    }

    /// `place` makes the place errors name: only called when there is an error to report.
    fn into_geo(self, place: &dyn Fn() -> Place) -> Result<Geometry<f64>, DataError> {
        let err = |m: String| DataError::new(place(), m);
        if self.ty == "GeometryCollection" {
            let parts = self
                .geometries
                .ok_or_else(|| err("a GeometryCollection needs `geometries`".into()))?;
            let mut out = Vec::with_capacity(parts.len());
            for p in parts {
                out.push(p.into_geo(place)?);
            }
            return Ok(Geometry::GeometryCollection(GeometryCollection(out)));
        }
        let known = [
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
        ];
        if !known.contains(&self.ty.as_str()) {
            return Err(err(format!(
                "unknown geometry type {:?}: expected one of {}",
                self.ty,
                known.join(", ")
            )));
        }
        let c = self
            .coordinates
            .ok_or_else(|| err(format!("a {} needs `coordinates`", self.ty)))?;
        Ok(match self.ty.as_str() {
            "Point" => Geometry::Point(Point(position(&c, place)?)),
            "MultiPoint" => Geometry::MultiPoint(MultiPoint(
                positions(c, place, "MultiPoint")?
                    .into_iter()
                    .map(Point)
                    .collect(),
            )),
            "LineString" => Geometry::LineString(line(c, place)?),
            "MultiLineString" => Geometry::MultiLineString(MultiLineString(
                list(c, place, "MultiLineString")?
                    .into_iter()
                    .map(|l| line(l, place))
                    .collect::<Result<_, _>>()?,
            )),
            "Polygon" => Geometry::Polygon(polygon(c, place)?),
            _ => Geometry::MultiPolygon(MultiPolygon(
                list(c, place, "MultiPolygon")?
                    .into_iter()
                    .map(|p| polygon(p, place))
                    .collect::<Result<_, _>>()?,
            )),
        })
    }
}

/// The members of an array of coordinates (`what` names the geometry in the message).
fn list(c: Coords, place: &dyn Fn() -> Place, what: &str) -> Result<Vec<Coords>, DataError> {
    match c {
        Coords::List(v) => Ok(v),
        Coords::Line(v) => Ok(as_positions(v)),
        _ => Err(DataError::new(
            place(),
            format!("the coordinates of a {what} must be nested arrays"),
        )),
    }
}

/// An array of positions, each checked in order as [`position`] checks it.
fn positions(
    c: Coords,
    place: &dyn Fn() -> Place,
    what: &str,
) -> Result<Vec<Coord<f64>>, DataError> {
    match c {
        Coords::Line(pts) => {
            for p in &pts {
                checked(p.x, p.y, place)?;
            }
            Ok(pts)
        }
        c => list(c, place, what)?
            .iter()
            .map(|p| position(p, place))
            .collect(),
    }
}

fn position(c: &Coords, place: &dyn Fn() -> Place) -> Result<Coord<f64>, DataError> {
    match c {
        Coords::Pos(x, y, n) => {
            if *n < 2 {
                return Err(DataError::new(
                    place(),
                    format!("a position needs at least two numbers (longitude, latitude), found {n}"),
                ));
            }
            checked(*x, *y, place)
        }
        Coords::Num(_) => Err(DataError::new(
            place(),
            "expected a position array [longitude, latitude], found a bare number",
        )),
        Coords::List(v) if v.is_empty() => Err(DataError::new(
            place(),
            "a position needs at least two numbers (longitude, latitude), found an empty array",
        )),
        Coords::List(_) | Coords::Line(_) => Err(DataError::new(
            place(),
            "expected a position [longitude, latitude], found a nested array (wrong geometry type?)",
        )),
    }
}

/// A position's longitude and latitude, checked.
fn checked(x: f64, y: f64, place: &dyn Fn() -> Place) -> Result<Coord<f64>, DataError> {
    if !x.is_finite() || !y.is_finite() {
        return Err(DataError::new(
            place(),
            format!("position [{x}, {y}] is not a pair of finite numbers"),
        ));
    }
    if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
        return Err(DataError::new(
            place(),
            format!(
                "position [{x}, {y}] is outside longitude -180..180 / latitude -90..90: corridor reads WGS84 lon/lat only (projected coordinates, or latitude and longitude swapped?)"
            ),
        ));
    }
    Ok(Coord { x, y })
}

fn line(c: Coords, place: &dyn Fn() -> Place) -> Result<LineString<f64>, DataError> {
    let pts = positions(c, place, "LineString")?;
    if pts.len() < 2 {
        return Err(DataError::new(
            place(),
            format!(
                "a LineString needs at least two positions, found {}",
                pts.len()
            ),
        ));
    }
    Ok(LineString(pts))
}

fn ring(c: Coords, place: &dyn Fn() -> Place) -> Result<LineString<f64>, DataError> {
    let pts = positions(c, place, "Polygon ring")?;
    if pts.len() < 4 {
        return Err(DataError::new(
            place(),
            format!(
                "a polygon ring needs at least four positions, found {}",
                pts.len()
            ),
        ));
    }
    if pts.first() != pts.last() {
        return Err(DataError::new(
            place(),
            "unclosed polygon ring: the first and last positions must be identical (RFC 7946 §3.1.6)",
        ));
    }
    Ok(LineString(pts))
}

fn polygon(c: Coords, place: &dyn Fn() -> Place) -> Result<Polygon<f64>, DataError> {
    let rings = list(c, place, "Polygon")?
        .into_iter()
        .map(|r| ring(r, place))
        .collect::<Result<Vec<_>, _>>()?;
    let mut it = rings.into_iter();
    let exterior = it
        .next()
        .ok_or_else(|| DataError::new(place(), "a Polygon needs at least one ring"))?;
    Ok(Polygon::new(exterior, it.collect()))
}
