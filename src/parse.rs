//! Reading GeoJSON FeatureCollections: one pass over the bytes with serde, coordinates checked as
//! they arrive, and every error naming the file, the feature and the member at fault.
//!
//! The whole file is parsed into compact [`RawFeature`]s (memory proportional to the input); the
//! schema modules then map their properties onto the model.
//!
//! Large files are parsed on all cores: [`crate::split`] cuts the `features` array into runs of
//! whole features, each run is parsed on its own, and the rest of the document (`type`, `crs`,
//! foreign members) is parsed with an empty array in place of the features. That path only ever
//! answers with a success; at the first sign of trouble (any error, anything the splitter does
//! not vouch for) the file is parsed again sequentially, so that every message (serde's line and
//! column included) is exactly that of the sequential parse.

use crate::error::{DataError, Place};
use crate::props::{Prop, Properties};
use crate::split::{split_features, FeatureSplit};
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::cell::Cell;
use std::fmt;
use std::sync::Mutex;

/// A feature as read, before any schema is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFeature {
    /// 0-based index in the file's `features` array.
    pub index: usize,
    /// The feature-level `id` member (string, or a number written as a string).
    pub id: Option<String>,
    pub geometry: Option<Geometry<f64>>,
    pub properties: Properties,
}

impl RawFeature {
    /// The id a message should name: the feature's `id`, else its `id` property.
    pub fn display_id(&self) -> Option<String> {
        self.id.clone().or_else(|| match self.properties.get("id") {
            Some(Prop::String(s)) => Some(s.to_string()),
            Some(Prop::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }

    pub fn place(&self, file: &str) -> Place {
        Place::feature(file, self.index, self.display_id().as_deref())
    }
}

/// A parsed file: the legacy `crs` name if there was one, and the features.
#[derive(Debug, Clone, PartialEq)]
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

/// Below this size a file is parsed sequentially: splitting would cost more than it saves.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// Parses a GeoJSON FeatureCollection. `file` is the name used in messages.
pub fn parse_collection(file: &str, bytes: &[u8]) -> Result<RawCollection, DataError> {
    let threads = rayon::current_num_threads();
    if bytes.len() >= PARALLEL_MIN_BYTES && threads > 1 {
        // Enough runs per thread for the threads to finish together.
        let chunk = (bytes.len() / (16 * threads)).clamp(64 << 10, 1 << 20);
        if let Some(c) = parse_collection_parallel(file, bytes, chunk) {
            return Ok(c);
        }
    }
    parse_collection_sequential(file, bytes)
}

/// The sequential parse: the reference for every result and every message.
#[doc(hidden)]
pub fn parse_collection_sequential(file: &str, bytes: &[u8]) -> Result<RawCollection, DataError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::new(
            Place::file(file),
            "the file is empty: expected a GeoJSON FeatureCollection",
        ));
    }
    let (top, feature) = parse_top(file, bytes);
    match top {
        Ok(t) => finish(file, t),
        Err(e) => {
            let mut place = Place::file(file);
            place.feature = feature;
            let msg = if e.is_eof() {
                format!("the file ends too early (truncated?): {e}")
            } else if e.is_syntax() {
                format!("malformed JSON: {e}")
            } else {
                format!("{e}")
            };
            Err(DataError::new(place, msg))
        }
    }
}

/// The parallel parse, with runs of about `chunk_bytes` bytes of features. `None` when the file
/// does not parse cleanly this way (an error anywhere, or a layout [`split_features`] does not
/// vouch for): the caller then parses sequentially, which gives the result or the exact error.
///
/// Why a success is the sequential result: the first run starts right after the `[` the
/// sequential parse reads as `features`; if a run parses completely (inside `[[`…`]]`, at the
/// same depth as in the file) and the byte after it is a comma, the sequential parse reads the
/// same features and then finds the next run starting at a feature; the last run ends at a `]`,
/// where it too would close the array. So even a cut in the wrong place could only cost a
/// sequential re-parse, never a different answer.
#[doc(hidden)]
pub fn parse_collection_parallel(
    file: &str,
    bytes: &[u8],
    chunk_bytes: usize,
) -> Option<RawCollection> {
    // Runs are parsed on the other threads while this one goes on scanning; then the document
    // with `[]` for the features array: `type`, `crs` and any other member are parsed (and
    // checked) exactly as in the whole file.
    let runs: Mutex<Vec<(usize, Option<Vec<RawFeature>>)>> = Mutex::new(Vec::new());
    let skim: Mutex<Option<Top>> = Mutex::new(None);
    let split = rayon::scope(|s| {
        let split = split_features(bytes, chunk_bytes, |k, range| {
            let runs = &runs;
            s.spawn(move |_| {
                let parsed = bytes.get(range).and_then(|run| parse_run(file, run));
                if let Ok(mut runs) = runs.lock() {
                    runs.push((k, parsed));
                }
            });
        })?;
        let top = parse_skim(file, bytes, &split);
        if let Ok(mut skim) = skim.lock() {
            *skim = top;
        }
        Some(split)
    })?;
    let top = skim.into_inner().ok()?;
    let mut runs = runs.into_inner().ok()?;
    runs.sort_unstable_by_key(|r| r.0);
    if runs.len() != split.chunks.len() || runs.iter().enumerate().any(|(k, r)| r.0 != k) {
        return None;
    }
    let runs = runs.into_iter().map(|r| r.1).collect::<Option<Vec<_>>>();
    let (mut top, runs) = (top?, runs?);
    match &top.features {
        Some(f) if f.features.is_empty() && f.error.is_none() => {}
        _ => return None,
    }
    let mut features = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    for run in runs {
        for mut f in run {
            f.index = features.len();
            features.push(f);
        }
    }
    top.features = Some(Features {
        features,
        error: None,
    });
    finish(file, top).ok()
}

/// Parses the document with `[]` in place of the features array.
fn parse_skim(file: &str, bytes: &[u8], split: &FeatureSplit) -> Option<Top> {
    let rest = bytes.get(split.close + 1..)?;
    let mut skim = Vec::with_capacity(split.open + 2 + rest.len());
    skim.extend_from_slice(bytes.get(..split.open)?);
    skim.extend_from_slice(b"[]");
    skim.extend_from_slice(rest);
    parse_top(file, &skim).0.ok()
}

/// One serde pass over a whole document: its top-level object, and the index of the feature
/// being read when it failed (if one was).
fn parse_top(file: &str, bytes: &[u8]) -> (Result<Top, serde_json::Error>, Option<usize>) {
    let counter = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let top = TopSeed {
        file,
        counter: &counter,
    }
    .deserialize(&mut de)
    .and_then(|t| {
        de.end()?;
        Ok(t)
    });
    (top, counter.get())
}

thread_local! {
    /// The buffer [`parse_run`] copies a run into, kept from one run to the next.
    static RUN_BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Parses one run of whole features (`f, f, ..., f`, as cut by [`split_features`]) as the
/// elements of `[[ ... ]]`: inside two arrays the features sit at the same nesting depth as in
/// the file, so serde_json's depth limit applies exactly as it does there. Indices are relative
/// to the run. `None` on any error, or if the run holds no feature (a stray comma).
fn parse_run(file: &str, run: &[u8]) -> Option<Vec<RawFeature>> {
    let mut buf = RUN_BUFFER.take();
    let parsed = parse_wrapped(file, run, &mut buf);
    // Kept unless one huge feature made it huge: threads outlive the file.
    if buf.capacity() <= 4 << 20 {
        RUN_BUFFER.set(buf);
    }
    parsed
}

fn parse_wrapped(file: &str, run: &[u8], buf: &mut Vec<u8>) -> Option<Vec<RawFeature>> {
    buf.clear();
    buf.extend_from_slice(b"[[");
    buf.extend_from_slice(run);
    buf.extend_from_slice(b"]]");
    let mut de = serde_json::Deserializer::from_slice(buf);
    let counter = Cell::new(None);
    let features = WrappedSeed(FeaturesSeed {
        file,
        counter: &counter,
    })
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    if features.error.is_some() || features.features.is_empty() {
        return None;
    }
    Some(features.features)
}

/// The checks made once the document has been read, in the order the messages are given.
fn finish(file: &str, top: Top) -> Result<RawCollection, DataError> {
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
    if let Some(e) = features.error {
        return Err(e);
    }
    Ok(RawCollection {
        crs,
        features: features.features,
    })
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
    features: Option<Features>,
}

/// The features of one `features` array, converted as they are read (so that a feature's
/// intermediate form never outlives it), and the first feature that could not be: its error
/// is reported only once the whole document has parsed, as a syntax error further on wins.
struct Features {
    features: Vec<RawFeature>,
    error: Option<DataError>,
}

struct TopSeed<'a> {
    file: &'a str,
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
                        file: self.file,
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
    file: &'a str,
    counter: &'a Cell<Option<usize>>,
}

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_> {
    type Value = Features;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_> {
    type Value = Features;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Features {
            features: Vec::new(),
            error: None,
        };
        let mut index = 0;
        loop {
            self.counter.set(Some(index));
            match seq.next_element::<FeatureIn>()? {
                Some(f) => {
                    // After the first bad feature the rest are only parsed (for syntax errors).
                    if out.error.is_none() {
                        match f.into_raw(self.file, index) {
                            Ok(raw) => out.features.push(raw),
                            Err(e) => out.error = Some(e),
                        }
                    }
                    index += 1;
                }
                None => break,
            }
        }
        self.counter.set(None);
        Ok(out)
    }
}

/// `[[f, ..., f]]`, for [`parse_run`]: an array holding exactly one array of features.
struct WrappedSeed<'a>(FeaturesSeed<'a>);

impl<'de> DeserializeSeed<'de> for WrappedSeed<'_> {
    type Value = Features;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for WrappedSeed<'_> {
    type Value = Features;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array holding the array of Features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let features = seq
            .next_element_seed(self.0)?
            .ok_or_else(|| de::Error::invalid_length(0, &"one array"))?;
        // A `]` inside the run closed the inner array early: refuse, do not skip.
        match seq.next_element::<Never>()? {
            None => Ok(features),
            Some(never) => match never {},
        }
    }
}

/// A value that is never accepted.
enum Never {}

impl<'de> Deserialize<'de> for Never {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(de::Error::custom("unexpected element"))
    }
}

#[derive(Deserialize)]
struct FeatureIn {
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
            let geometry = g.into_geo(&|| raw.place(file).with_property("geometry"))?;
            raw.geometry = Some(geometry);
        }
        Ok(raw)
    }
}

impl GeometryIn {
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
