//! Reading GeoJSON documents: one pass over the bytes with serde, coordinates checked as they
//! arrive, and every error naming the file, the feature and the member at fault.
//!
//! Every RFC 7946 document is read as a collection of features: a FeatureCollection as it is, a
//! single Feature or a bare geometry as a collection of one feature. A geometry that is `null`,
//! or whose `coordinates` array is empty (RFC 7946 §3.1: "may be interpreted as null"), is read
//! as no geometry; the schema layer skips such features with a warning.
//!
//! The file is parsed into compact [`RawFeature`]s (memory proportional to the input); the
//! schema modules then map their properties onto the model. [`parse_collection_runs`] hands the
//! features over run by run as the parallel parse goes, so that a loader can map each run on the
//! thread that parsed it and put the results together in file order as they come in.
//!
//! Large files are parsed on all cores: [`crate::input::split`] cuts the `features` array into runs of
//! whole features, each run is parsed on its own, and the rest of the document (`type`, `crs`,
//! foreign members) is parsed with an empty array in place of the features. That path only ever
//! answers with a success; at the first sign of trouble (any error, anything the splitter does
//! not vouch for) the file is parsed again sequentially, so that every message (serde's line and
//! column included) is exactly that of the sequential parse.

use crate::error::{DataError, Place};
use crate::input::props::{Prop, Properties};
use crate::input::split::{split_features, FeatureSplit};
use geo::Geometry;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
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
    /// When the geometry member was a geometry with empty `coordinates` (read as no geometry):
    /// its type, for messages.
    pub empty_geometry: Option<String>,
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
    /// What the document was.
    pub top: TopLevel,
}

/// The kind of GeoJSON document a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopLevel {
    FeatureCollection,
    /// A single Feature, read as a collection of one feature.
    Feature,
    /// A bare geometry, read as one feature without properties.
    Geometry,
}

/// The geometry types of RFC 7946.
const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

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
    let (mut coll, features) = parse_collection_runs(file, bytes, &|f| f, &append)?;
    coll.features = features;
    Ok(coll)
}

/// [`parse_collection`], handing the features to `then` run by run as they are parsed (on the
/// thread that parsed them, so that a run's features can be turned into something more compact
/// before the next runs are read), and what `then` made of each run to `fold`, in file order,
/// as soon as the runs before it are in (so that its result can be put in place and freed while
/// later runs are parsed): the collection comes back without its features, and what was folded.
/// A file parsed sequentially is one run. Features carry their index in the file, as in
/// [`parse_collection`].
pub fn parse_collection_runs<T: Send, A: Default + Send>(
    file: &str,
    bytes: &[u8],
    then: &(dyn Fn(Vec<RawFeature>) -> T + Sync),
    fold: &(dyn Fn(&mut A, T) + Sync),
) -> Result<(RawCollection, A), DataError> {
    let threads = rayon::current_num_threads();
    if bytes.len() >= PARALLEL_MIN_BYTES && threads > 1 {
        // Enough runs per thread for the threads to finish together.
        let chunk = (bytes.len() / (16 * threads)).clamp(64 << 10, 1 << 20);
        if let Some(c) = parse_runs_parallel(file, bytes, chunk, then, fold) {
            return Ok(c);
        }
    }
    let mut coll = parse_collection_sequential(file, bytes)?;
    let mut acc = A::default();
    fold(&mut acc, then(std::mem::take(&mut coll.features)));
    Ok((coll, acc))
}

/// Runs of features put back together.
fn append(all: &mut Vec<RawFeature>, run: Vec<RawFeature>) {
    if all.is_empty() {
        *all = run;
    } else {
        all.extend(run);
    }
}

/// The sequential parse: the reference for every result and every message.
#[doc(hidden)]
pub fn parse_collection_sequential(file: &str, bytes: &[u8]) -> Result<RawCollection, DataError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::new(
            Place::file(file),
            "the file is empty: expected a GeoJSON FeatureCollection, Feature or geometry",
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
    let (mut coll, features) = parse_runs_parallel(file, bytes, chunk_bytes, &|f| f, &append)?;
    coll.features = features;
    Some(coll)
}

/// The runs of the parallel parse that are in, folded in file order as far as they go.
struct InOrder<T, A> {
    /// The next run to fold, and the index its first feature must have.
    next: usize,
    index: usize,
    /// Runs parsed before some run ahead of them: (first feature's index, features, result).
    waiting: std::collections::BTreeMap<usize, (usize, usize, Option<T>)>,
    acc: A,
    /// No run failed, and each started where the one before it ended.
    ok: bool,
}

/// [`parse_collection_parallel`] with each run's features handed to `then` on the thread that
/// parsed them, and the results folded in file order as they come in; the collection without
/// its features, and what was folded.
fn parse_runs_parallel<T: Send, A: Default + Send>(
    file: &str,
    bytes: &[u8],
    chunk_bytes: usize,
    then: &(dyn Fn(Vec<RawFeature>) -> T + Sync),
    fold: &(dyn Fn(&mut A, T) + Sync),
) -> Option<(RawCollection, A)> {
    // Runs are parsed on the other threads while this one goes on scanning; then the document
    // with `[]` for the features array: `type`, `crs` and any other member are parsed (and
    // checked) exactly as in the whole file.
    let order: Mutex<InOrder<T, A>> = Mutex::new(InOrder {
        next: 0,
        index: 0,
        waiting: Default::default(),
        acc: A::default(),
        ok: true,
    });
    let skim: Mutex<Option<Top>> = Mutex::new(None);
    let split = rayon::scope_fifo(|s| {
        let split = split_features(bytes, chunk_bytes, |k, range, first| {
            let order = &order;
            s.spawn_fifo(move |_| {
                let parsed = bytes.get(range).and_then(|run| parse_run(file, run, first));
                let len = parsed.as_ref().map_or(0, Vec::len);
                let done = parsed.map(then);
                let Ok(mut o) = order.lock() else { return };
                o.waiting.insert(k, (first, len, done));
                loop {
                    let next = o.next;
                    let Some((first, len, done)) = o.waiting.remove(&next) else {
                        break;
                    };
                    o.next += 1;
                    match done {
                        Some(t) if o.ok && first == o.index => {
                            o.index += len;
                            fold(&mut o.acc, t);
                        }
                        _ => o.ok = false,
                    }
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
    let order = order.into_inner().ok()?;
    if !order.ok || order.next != split.chunks.len() || !order.waiting.is_empty() {
        return None;
    }
    let mut top = top?;
    match &top.features {
        Some(f) if f.features.is_empty() && f.error.is_none() => {}
        _ => return None,
    }
    top.features = Some(Features {
        features: Vec::new(),
        error: None,
    });
    finish(file, top).ok().map(|c| (c, order.acc))
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
/// the file, so serde_json's depth limit applies exactly as it does there. Indices count from
/// `first`. `None` on any error, or if the run holds no feature (a stray comma).
fn parse_run(file: &str, run: &[u8], first: usize) -> Option<Vec<RawFeature>> {
    let mut buf = RUN_BUFFER.take();
    let parsed = parse_wrapped(file, run, first, &mut buf);
    // Kept unless one huge feature made it huge: threads outlive the file.
    if buf.capacity() <= 4 << 20 {
        RUN_BUFFER.set(buf);
    }
    parsed
}

fn parse_wrapped(
    file: &str,
    run: &[u8],
    first: usize,
    buf: &mut Vec<u8>,
) -> Option<Vec<RawFeature>> {
    buf.clear();
    buf.extend_from_slice(b"[[");
    buf.extend_from_slice(run);
    buf.extend_from_slice(b"]]");
    let mut de = serde_json::Deserializer::from_slice(buf);
    let counter = Cell::new(None);
    let features = WrappedSeed(FeaturesSeed {
        file,
        counter: &counter,
        first,
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
    let kind = match top.ty.as_deref() {
        Some("FeatureCollection") => TopLevel::FeatureCollection,
        Some("Feature") => TopLevel::Feature,
        Some(t) if GEOMETRY_TYPES.contains(&t) => TopLevel::Geometry,
        Some(t) => {
            return Err(DataError::new(
                Place::file(file).with_property("type"),
                format!(
                "unknown GeoJSON type {t:?}: expected a FeatureCollection, a Feature or a geometry"
            ),
            ))
        }
        None => {
            return Err(DataError::new(
                Place::file(file).with_property("type"),
                "missing `type`: expected a GeoJSON FeatureCollection, Feature or geometry",
            ))
        }
    };
    if kind != TopLevel::FeatureCollection && top.features.is_some() {
        let t = top.ty.as_deref().unwrap_or_default();
        return Err(DataError::new(
            Place::file(file).with_property("type"),
            format!("a {t} with a `features` array: a FeatureCollection mislabelled? (a {t} has no `features`)"),
        ));
    }
    let crs = match top.crs {
        None | Some(Value::Null) => None,
        Some(v) => Some(check_crs(file, &v)?),
    };
    let features = match kind {
        TopLevel::FeatureCollection => {
            let features = top.features.ok_or_else(|| {
                DataError::new(
                    Place::file(file).with_property("features"),
                    "a FeatureCollection needs a `features` array",
                )
            })?;
            if let Some(e) = features.error {
                return Err(e);
            }
            features.features
        }
        TopLevel::Feature => {
            let f = FeatureIn::from_members(
                top.id.as_deref(),
                top.geometry.as_deref(),
                top.properties.as_deref(),
            )
            .map_err(|e| DataError::new(Place::feature(file, 0, None), format!("{e}")))?;
            vec![f.into_raw(file, 0)?]
        }
        TopLevel::Geometry => {
            let ty = top.ty.unwrap_or_default();
            let f =
                FeatureIn::bare_geometry(ty, top.coordinates.as_deref(), top.geometries.as_deref())
                    .map_err(|e| {
                        DataError::new(
                            Place::feature(file, 0, None).with_property("geometry"),
                            format!("{e}"),
                        )
                    })?;
            vec![f.into_raw(file, 0)?]
        }
    };
    Ok(RawCollection {
        crs,
        features,
        top: kind,
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
    // The members of a single Feature or a bare geometry, kept as text until `type` says what
    // the document is (members come in any order; a FeatureCollection may carry them as foreign
    // members, which are not read).
    id: Option<Box<RawValue>>,
    geometry: Option<Box<RawValue>>,
    properties: Option<Box<RawValue>>,
    coordinates: Option<Box<RawValue>>,
    geometries: Option<Box<RawValue>>,
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
        f.write_str("a GeoJSON object (FeatureCollection, Feature or geometry)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Top {
            ty: None,
            crs: None,
            features: None,
            id: None,
            geometry: None,
            properties: None,
            coordinates: None,
            geometries: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => top.ty = Some(map.next_value::<String>()?),
                "crs" => top.crs = Some(map.next_value::<Value>()?),
                "features" => {
                    top.features = Some(map.next_value_seed(FeaturesSeed {
                        file: self.file,
                        counter: self.counter,
                        first: 0,
                    })?)
                }
                "id" => top.id = Some(map.next_value()?),
                "geometry" => top.geometry = Some(map.next_value()?),
                "properties" => top.properties = Some(map.next_value()?),
                "coordinates" => top.coordinates = Some(map.next_value()?),
                "geometries" => top.geometries = Some(map.next_value()?),
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
    /// The index of the array's first feature in the file (a run's, in the parallel parse).
    first: usize,
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
        let mut index = self.first;
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

mod feature;

use feature::FeatureIn;

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
