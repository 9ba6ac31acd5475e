//! Reading GeoJSON FeatureCollections: one pass over the bytes with serde, coordinates checked as
//! they arrive, and every error naming the file, the feature and the member at fault.
//!
//! The whole file is parsed into compact [`RawFeature`]s (memory proportional to the input); the
//! schema modules then map their properties onto the model.

use crate::error::{DataError, Place};
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;

/// A feature as read, before any schema is applied.
#[derive(Debug, Clone)]
pub struct RawFeature {
    /// 0-based index in the file's `features` array.
    pub index: usize,
    /// The feature-level `id` member (string, or a number written as a string).
    pub id: Option<String>,
    pub geometry: Option<Geometry<f64>>,
    pub properties: Map<String, Value>,
}

impl RawFeature {
    /// The id a message should name: the feature's `id`, else its `id` property.
    pub fn display_id(&self) -> Option<String> {
        self.id.clone().or_else(|| match self.properties.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }

    pub fn place(&self, file: &str) -> Place {
        Place::feature(file, self.index, self.display_id().as_deref())
    }
}

/// A parsed file: the legacy `crs` name if there was one, and the features.
#[derive(Debug, Clone)]
pub struct RawCollection {
    pub crs: Option<String>,
    pub features: Vec<RawFeature>,
}

/// CRS names that mean WGS84 longitude/latitude.
const WGS84_NAMES: [&str; 6] = [
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "CRS84",
    "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326",
    "urn:ogc:def:crs:EPSG:4326",
];

/// Parses a GeoJSON FeatureCollection. `file` is the name used in messages.
pub fn parse_collection(file: &str, bytes: &[u8]) -> Result<RawCollection, DataError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::new(
            Place::file(file),
            "the file is empty: expected a GeoJSON FeatureCollection",
        ));
    }
    let counter = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let top = TopSeed { counter: &counter }
        .deserialize(&mut de)
        .and_then(|t| {
            de.end()?;
            Ok(t)
        });
    let top = match top {
        Ok(t) => t,
        Err(e) => {
            let mut place = Place::file(file);
            place.feature = counter.get();
            let msg = if e.is_eof() {
                format!("the file ends too early (truncated?): {e}")
            } else if e.is_syntax() {
                format!("malformed JSON: {e}")
            } else {
                format!("{e}")
            };
            return Err(DataError::new(place, msg));
        }
    };
    match top.ty.as_deref() {
        Some("FeatureCollection") => {}
        Some(t @ ("Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon"
        | "MultiPolygon" | "GeometryCollection")) => {
            return Err(DataError::new(
                Place::file(file).with_property("type"),
                format!("found a bare {t} geometry: expected a FeatureCollection (wrap the geometry in a Feature inside a FeatureCollection)"),
            ))
        }
        Some("Feature") => {
            return Err(DataError::new(
                Place::file(file).with_property("type"),
                "found a single Feature: expected a FeatureCollection",
            ))
        }
        Some(t) => {
            return Err(DataError::new(
                Place::file(file).with_property("type"),
                format!("unknown GeoJSON type {t:?}: expected a FeatureCollection"),
            ))
        }
        None => {
            return Err(DataError::new(
                Place::file(file).with_property("type"),
                "missing `type`: expected a GeoJSON FeatureCollection",
            ))
        }
    }
    let crs = match top.crs {
        None | Some(Value::Null) => None,
        Some(v) => Some(check_crs(file, &v)?),
    };
    let features = top.features.ok_or_else(|| {
        DataError::new(
            Place::file(file).with_property("features"),
            "a FeatureCollection needs a `features` array",
        )
    })?;
    let mut out = Vec::with_capacity(features.len());
    for (index, f) in features.into_iter().enumerate() {
        out.push(f.into_raw(file, index)?);
    }
    Ok(RawCollection { crs, features: out })
}

fn check_crs(file: &str, v: &Value) -> Result<String, DataError> {
    let place = Place::file(file).with_property("crs");
    let name = v
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            DataError::new(
                place.clone(),
                "a legacy `crs` member must be {\"type\":\"name\",\"properties\":{\"name\":...}}; only CRS84 / EPSG:4326 are accepted",
            )
        })?;
    if WGS84_NAMES.contains(&name) {
        Ok(name.to_string())
    } else {
        Err(DataError::new(
            place,
            format!(
                "coordinate reference system {name:?} is not supported: corridor reads WGS84 longitude/latitude only (CRS84 / EPSG:4326); reproject the file first, e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`"
            ),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Deserialization

struct Top {
    ty: Option<String>,
    crs: Option<Value>,
    features: Option<Vec<FeatureIn>>,
}

struct TopSeed<'a> {
    counter: &'a Cell<Option<usize>>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON object (FeatureCollection)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Top {
            ty: None,
            crs: None,
            features: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => top.ty = Some(map.next_value::<String>()?),
                "crs" => top.crs = Some(map.next_value::<Value>()?),
                "features" => {
                    top.features = Some(map.next_value_seed(FeaturesSeed {
                        counter: self.counter,
                    })?)
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(top)
    }
}

struct FeaturesSeed<'a> {
    counter: &'a Cell<Option<usize>>,
}

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_> {
    type Value = Vec<FeatureIn>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_> {
    type Value = Vec<FeatureIn>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.counter.set(Some(out.len()));
            match seq.next_element::<FeatureIn>()? {
                Some(f) => out.push(f),
                None => break,
            }
        }
        self.counter.set(None);
        Ok(out)
    }
}

#[derive(Deserialize)]
struct FeatureIn {
    #[serde(rename = "type")]
    ty: Option<String>,
    id: Option<Value>,
    geometry: Option<GeometryIn>,
    properties: Option<Map<String, Value>>,
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
                // A position (`[x, y]`, perhaps with more numbers) is read without allocating:
                // this runs once per vertex, and was the loader's hottest allocation.
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

impl FeatureIn {
    fn into_raw(self, file: &str, index: usize) -> Result<RawFeature, DataError> {
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
            raw.geometry = Some(g.into_geo(&raw.place(file).with_property("geometry"))?);
        }
        Ok(raw)
    }
}

impl GeometryIn {
    fn into_geo(self, place: &Place) -> Result<Geometry<f64>, DataError> {
        let err = |m: String| DataError::new(place.clone(), m);
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
                list(&c, place, "MultiPoint")?
                    .iter()
                    .map(|p| position(p, place).map(Point))
                    .collect::<Result<_, _>>()?,
            )),
            "LineString" => Geometry::LineString(line(&c, place)?),
            "MultiLineString" => Geometry::MultiLineString(MultiLineString(
                list(&c, place, "MultiLineString")?
                    .iter()
                    .map(|l| line(l, place))
                    .collect::<Result<_, _>>()?,
            )),
            "Polygon" => Geometry::Polygon(polygon(&c, place)?),
            _ => Geometry::MultiPolygon(MultiPolygon(
                list(&c, place, "MultiPolygon")?
                    .iter()
                    .map(|p| polygon(p, place))
                    .collect::<Result<_, _>>()?,
            )),
        })
    }
}

fn list<'a>(c: &'a Coords, place: &Place, what: &str) -> Result<&'a [Coords], DataError> {
    match c {
        Coords::List(v) => Ok(v),
        _ => Err(DataError::new(
            place.clone(),
            format!("the coordinates of a {what} must be nested arrays"),
        )),
    }
}

fn position(c: &Coords, place: &Place) -> Result<Coord<f64>, DataError> {
    match c {
        Coords::Pos(x, y, n) => {
            if *n < 2 {
                return Err(DataError::new(
                    place.clone(),
                    format!("a position needs at least two numbers (longitude, latitude), found {n}"),
                ));
            }
            if !x.is_finite() || !y.is_finite() {
                return Err(DataError::new(
                    place.clone(),
                    format!("position [{x}, {y}] is not a pair of finite numbers"),
                ));
            }
            if !(-180.0..=180.0).contains(x) || !(-90.0..=90.0).contains(y) {
                return Err(DataError::new(
                    place.clone(),
                    format!(
                        "position [{x}, {y}] is outside longitude -180..180 / latitude -90..90: corridor reads WGS84 lon/lat only (projected coordinates, or latitude and longitude swapped?)"
                    ),
                ));
            }
            Ok(Coord { x: *x, y: *y })
        }
        Coords::Num(_) => Err(DataError::new(
            place.clone(),
            "expected a position array [longitude, latitude], found a bare number",
        )),
        Coords::List(v) if v.is_empty() => Err(DataError::new(
            place.clone(),
            "a position needs at least two numbers (longitude, latitude), found an empty array",
        )),
        Coords::List(_) => Err(DataError::new(
            place.clone(),
            "expected a position [longitude, latitude], found a nested array (wrong geometry type?)",
        )),
    }
}

fn line(c: &Coords, place: &Place) -> Result<LineString<f64>, DataError> {
    let pts = list(c, place, "LineString")?
        .iter()
        .map(|p| position(p, place))
        .collect::<Result<Vec<_>, _>>()?;
    if pts.len() < 2 {
        return Err(DataError::new(
            place.clone(),
            format!(
                "a LineString needs at least two positions, found {}",
                pts.len()
            ),
        ));
    }
    Ok(LineString(pts))
}

fn ring(c: &Coords, place: &Place) -> Result<LineString<f64>, DataError> {
    let pts = list(c, place, "Polygon ring")?
        .iter()
        .map(|p| position(p, place))
        .collect::<Result<Vec<_>, _>>()?;
    if pts.len() < 4 {
        return Err(DataError::new(
            place.clone(),
            format!(
                "a polygon ring needs at least four positions, found {}",
                pts.len()
            ),
        ));
    }
    if pts.first() != pts.last() {
        return Err(DataError::new(
            place.clone(),
            "unclosed polygon ring: the first and last positions must be identical (RFC 7946 §3.1.6)",
        ));
    }
    Ok(LineString(pts))
}

fn polygon(c: &Coords, place: &Place) -> Result<Polygon<f64>, DataError> {
    let rings = list(c, place, "Polygon")?
        .iter()
        .map(|r| ring(r, place))
        .collect::<Result<Vec<_>, _>>()?;
    let mut it = rings.into_iter();
    let exterior = it
        .next()
        .ok_or_else(|| DataError::new(place.clone(), "a Polygon needs at least one ring"))?;
    Ok(Polygon::new(exterior, it.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<RawCollection, DataError> {
        parse_collection("t.geojson", s.as_bytes())
    }

    #[test]
    fn reads_points_lines_and_ids() {
        let c = parse(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[45.5,41.1,300]},"properties":{"a":1}},
            {"type":"Feature","geometry":{"type":"LineString","coordinates":[[45,41],[46,41.5]]},"properties":null}]}"#).unwrap();
        assert_eq!(c.features.len(), 2);
        assert_eq!(c.features[0].id.as_deref(), Some("7"));
        assert!(
            matches!(c.features[1].geometry, Some(Geometry::LineString(ref l)) if l.0.len() == 2)
        );
    }

    #[test]
    fn errors_name_the_feature() {
        let e = parse(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[45,41]},"properties":{}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[45,"x"]},"properties":{}}]}"#).unwrap_err();
        assert_eq!(e.place.feature, Some(1), "{e}");
        let e = parse(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[245,41]},"properties":{}}]}"#).unwrap_err();
        assert_eq!(e.place.feature, Some(0));
        assert_eq!(e.place.id.as_deref(), Some("a"));
        assert!(e.message.contains("outside longitude"), "{e}");
    }

    #[test]
    fn crs_is_checked() {
        let ok = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#;
        assert!(parse(ok).is_ok());
        let bad = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}"#;
        let e = parse(bad).unwrap_err();
        assert_eq!(e.place.property.as_deref(), Some("crs"));
        assert!(e.message.contains("3857"));
    }
}
