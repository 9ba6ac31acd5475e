//! Mapping features onto the model, for the three schemas corridor reads:
//!
//! - `corridor`: the contract's own schema. Strict: a missing required property, a wrong type,
//!   a negative capacity or an unknown unit is an error.
//! - `gem`: Global Energy Monitor tracker route files (`ProjectID`, `PipelineName`, `Fuel`,
//!   `Capacity` + `CapacityUnits`, `StartYear1`, `StopYear`, `Status`, `LengthKnownKm`; `--` and
//!   empty strings mean missing), and the Europe Gas Tracker's (`project`, `type`, `capacity` +
//!   `units`, `start_year`, `status`).
//! - `osm`: OpenStreetMap-derived lines (`name`, `operator`, `substance`, `man_made=pipeline`).
//!
//! In the `gem` and `osm` schemas a value that cannot be mapped is left out and reported as a
//! warning for `corridor check`, never guessed.
//!
//! One file per schema ([`corridor`], [`gem`], [`osm`]); this file detects the schema and holds
//! what they share.

mod corridor;
mod gem;
mod osm;

use corridor::{attrs_corridor, node_corridor};
use gem::{attrs_gem, node_gem};
use osm::attrs_osm;

use crate::error::{DataError, Place, Problem, Severity};
use crate::input::parse::RawFeature;
use crate::input::props::{Prop, Properties};
use crate::model::{CapacityUnit, Commodity, Direction, GeometryKind, Node, Segment};
use geo::{Geometry, LineString};
use rayon::prelude::*;
use serde_json::Value;

/// Which property schema a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Schema {
    /// The contract's schema (`corridor`, `commodity`, `capacity`, ...).
    Corridor,
    /// Global Energy Monitor tracker files.
    Gem,
    /// OpenStreetMap-derived lines.
    Osm,
}

impl Schema {
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Corridor => "corridor",
            Schema::Gem => "gem",
            Schema::Osm => "osm",
        }
    }
}

/// Guesses a file's schema from its members, and says why.
pub fn detect(crs: Option<&str>, features: &[RawFeature]) -> (Schema, &'static str) {
    let has = |k: &str| features.iter().any(|f| f.properties.contains_key(k));
    if has("corridor") {
        (Schema::Corridor, "features carry `corridor`")
    } else if has("ProjectID") || has("PipelineName") || (has("project") && has("units")) {
        (
            Schema::Gem,
            "features carry Global Energy Monitor tracker properties",
        )
    } else if has("man_made") || has("substance") || has("@id") {
        (Schema::Osm, "features carry OpenStreetMap tags")
    } else if crs.is_some() && !has("kind") {
        (
            Schema::Gem,
            "a legacy CRS84 `crs` member and no schema properties, as in GEM route files",
        )
    } else {
        (Schema::Corridor, "no other schema recognised")
    }
}

/// The result of mapping one file.
#[derive(Debug, Default)]
pub struct Mapped {
    pub segments: Vec<Segment>,
    pub nodes: Vec<Node>,
    /// Warnings and notes (errors go to `errors`).
    pub problems: Vec<Problem>,
    pub errors: Vec<DataError>,
}

/// Options that apply while mapping.
#[derive(Debug, Clone, Copy, Default)]
pub struct MapOptions {
    /// The commodity of lines that state none; a line that states another one is an error.
    pub default_commodity: Option<Commodity>,
}

/// Maps the features of one file. Ids are not yet generated or checked for uniqueness: that is
/// done across all files by the loader.
///
/// The features are taken by value so that their lines move into the segments rather than being
/// copied (the geometry is most of a network's memory). Runs of features are mapped on all cores
/// and put back together in file order, so errors and warnings come in the same order as from a
/// sequential pass.
pub fn map_features(
    file: &str,
    schema: Schema,
    mut features: Vec<RawFeature>,
    opts: MapOptions,
) -> Mapped {
    let stem = file_stem(file);
    let parts: Vec<Mapped> = features
        .par_chunks_mut(MAP_RUN)
        .map(|run| {
            let mut out = Mapped {
                segments: Vec::with_capacity(run.len()),
                ..Mapped::default()
            };
            for f in run {
                map_feature(file, &stem, schema, opts, f, &mut out);
            }
            out
        })
        .collect();
    let mut out = Mapped::default();
    out.segments
        .reserve_exact(parts.iter().map(|p| p.segments.len()).sum());
    for p in parts {
        out.segments.extend(p.segments);
        out.nodes.extend(p.nodes);
        out.problems.extend(p.problems);
        out.errors.extend(p.errors);
    }
    out
}

/// Features per parallel task in [`map_features`].
const MAP_RUN: usize = 2048;

/// Maps one feature, taking its line geometry.
fn map_feature(
    file: &str,
    stem: &str,
    schema: Schema,
    opts: MapOptions,
    f: &mut RawFeature,
    out: &mut Mapped,
) {
    match &f.geometry {
        None => {
            out.errors.push(DataError::new(
                f.place(file).with_property("geometry"),
                "the feature has no geometry",
            ));
            return;
        }
        Some(Geometry::LineString(_) | Geometry::MultiLineString(_)) => {}
        Some(Geometry::Point(_)) => {
            let res = match schema {
                Schema::Corridor => node_corridor(file, f),
                Schema::Gem => node_gem(file, f, &mut out.problems),
                Schema::Osm => Err(DataError::new(
                    f.place(file).with_property("geometry"),
                    "points in OpenStreetMap-schema files are not read (give nodes in the corridor schema)",
                )),
            };
            match res {
                Ok(n) => out.nodes.push(n),
                Err(e) if schema == Schema::Osm => {
                    out.problems
                        .push(Problem::new(&e.place, Severity::Warning, e.message))
                }
                Err(e) => out.errors.push(e),
            }
            return;
        }
        Some(other) => {
            out.errors.push(DataError::new(
                f.place(file).with_property("geometry"),
                format!(
                    "a network file holds LineString/MultiLineString segments and Point nodes, found a {}",
                    geometry_name(other)
                ),
            ));
            return;
        }
    }
    let attrs = match schema {
        Schema::Corridor => attrs_corridor(file, f),
        Schema::Gem => Ok(attrs_gem(file, f, stem, &mut out.problems)),
        Schema::Osm => Ok(attrs_osm(file, f, stem, &mut out.problems)),
    };
    let mut attrs = match attrs {
        Ok(a) => a,
        Err(errs) => {
            out.errors.extend(errs);
            return;
        }
    };
    if let Some(c) = opts.default_commodity {
        if attrs.commodity == Commodity::Unknown {
            attrs.commodity = c;
        } else if attrs.commodity != c {
            out.errors.push(DataError::new(
                f.place(file).with_property("commodity"),
                format!(
                    "the line carries {}, which contradicts the default commodity given ({c}) for lines that state none",
                    attrs.commodity
                ),
            ));
            return;
        }
    }
    if attrs.commodity == Commodity::Unknown {
        out.problems.push(Problem::new(
            &f.place(file),
            Severity::Warning,
            "no commodity: the line loads for the geometric commands (routes, exposure, profile) but takes no part in flow or supply analyses (set `commodity`, or give a default commodity for the file)",
        ));
    }
    let lines = match f.geometry.take() {
        Some(Geometry::LineString(l)) => vec![l],
        Some(Geometry::MultiLineString(m)) => m.0,
        // Not reached: the geometry was matched above.
        other => {
            f.geometry = other;
            return;
        }
    };
    if let Some(e) = crosses_antimeridian(&lines) {
        out.errors
            .push(DataError::new(f.place(file).with_property("geometry"), e));
        return;
    }
    let parts = lines.len();
    for (k, l) in lines.into_iter().enumerate() {
        // The last part takes the attributes, the others copy them.
        let last = k + 1 == parts;
        let id = match &mut attrs.id {
            Some(id) if parts > 1 => format!("{id}#{}", k + 1),
            Some(id) => std::mem::take(id),
            // Filled in by the loader.
            None => String::new(),
        };
        out.segments.push(Segment {
            id,
            corridor: take_last(&mut attrs.corridor, last),
            name: take_last(&mut attrs.name, last),
            commodity: attrs.commodity,
            capacity: attrs.capacity,
            direction: attrs.direction,
            commissioned: attrs.commissioned,
            decommissioned: attrs.decommissioned,
            status: take_last(&mut attrs.status, last),
            // A multi-part feature states its length once: keep it on the first part.
            nominal_length_km: if k == 0 {
                attrs.nominal_length_km
            } else {
                None
            },
            source: take_last(&mut attrs.source, last),
            geometry_kind: attrs.geometry_kind,
            failure_prob: attrs.failure_prob,
            line: l,
            file: file.to_string(),
            feature: f.index,
        });
    }
}

/// `v` itself for the last user, a copy for the others.
fn take_last<T: Clone + Default>(v: &mut T, last: bool) -> T {
    if last {
        std::mem::take(v)
    } else {
        v.clone()
    }
}

fn crosses_antimeridian(lines: &[LineString<f64>]) -> Option<String> {
    for l in lines {
        for w in l.0.windows(2) {
            if (w[1].x - w[0].x).abs() > 180.0 {
                return Some(format!(
                    "the line crosses the antimeridian between [{}, {}] and [{}, {}]: corridor does not handle such lines; split the line at ±180° (RFC 7946 §3.1.9)",
                    w[0].x, w[0].y, w[1].x, w[1].y
                ));
            }
        }
    }
    None
}

pub fn geometry_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

/// The file name without folders and extension, used as a corridor name of last resort.
pub fn file_stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let base = base.strip_prefix("embedded:").unwrap_or(base);
    match base.find('.') {
        Some(i) if i > 0 => base[..i].to_string(),
        _ => base.to_string(),
    }
}

/// Line attributes common to all schemas.
#[derive(Debug, Clone)]
struct Attrs {
    id: Option<String>,
    corridor: String,
    name: Option<String>,
    commodity: Commodity,
    capacity: Option<f64>,
    direction: Direction,
    commissioned: Option<i32>,
    decommissioned: Option<i32>,
    status: Option<String>,
    nominal_length_km: Option<f64>,
    source: Option<String>,
    geometry_kind: Option<GeometryKind>,
    failure_prob: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// Strict typed access for the corridor schema.

struct Props<'a> {
    file: &'a str,
    f: &'a RawFeature,
    errors: Vec<DataError>,
}

impl<'a> Props<'a> {
    fn new(file: &'a str, f: &'a RawFeature) -> Self {
        Props {
            file,
            f,
            errors: Vec::new(),
        }
    }

    fn place(&self, key: &str) -> Place {
        self.f.place(self.file).with_property(key)
    }

    fn err(&mut self, key: &str, msg: impl Into<String>) {
        let p = self.place(key);
        self.errors.push(DataError::new(p, msg));
    }

    fn get(&self, key: &str) -> Option<Prop<'a>> {
        match self.f.properties.get(key) {
            None | Some(Prop::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Prop::String(s) => Some(s.to_string()),
            v => {
                self.err(key, format!("expected a string, found {}", type_name(v)));
                None
            }
        }
    }

    fn required_string(&mut self, key: &str) -> Option<String> {
        let v = self.string(key);
        match v {
            Some(s) if s.trim().is_empty() => {
                self.err(key, "must not be empty");
                None
            }
            None if self.get(key).is_none() => {
                self.err(key, "missing required property");
                None
            }
            other => other,
        }
    }

    fn number(&mut self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Prop::Number(n) => n.as_f64(),
            v => {
                self.err(key, format!("expected a number, found {}", type_name(v)));
                None
            }
        }
    }

    fn non_negative(&mut self, key: &str) -> Option<f64> {
        let v = self.number(key)?;
        if v < 0.0 {
            self.err(key, format!("must be >= 0, found {v}"));
            return None;
        }
        Some(v)
    }

    fn probability(&mut self, key: &str) -> Option<f64> {
        let v = self.number(key)?;
        if !(0.0..=1.0).contains(&v) {
            self.err(
                key,
                format!("must be a probability between 0 and 1, found {v}"),
            );
            return None;
        }
        Some(v)
    }

    fn year(&mut self, key: &str) -> Option<i32> {
        match self.get(key)? {
            Prop::Number(n) => match n.as_i64() {
                Some(y) if (1800..=2200).contains(&y) => Some(y as i32),
                _ => {
                    self.err(
                        key,
                        format!("expected a year (an integer such as 2006), found {n}"),
                    );
                    None
                }
            },
            v => {
                self.err(
                    key,
                    format!(
                        "expected a year (an integer such as 2006), found {}",
                        type_name(v)
                    ),
                );
                None
            }
        }
    }

    /// A quantity with its unit property (`capacity` + `capacity_unit`), normalised.
    fn quantity(&mut self, key: &str, unit_key: &str) -> Option<(f64, CapacityUnit)> {
        let v = self.non_negative(key);
        let unit = self.string(unit_key);
        match (v, unit) {
            (Some(v), Some(u)) => match CapacityUnit::parse(&u) {
                Some(unit) => Some((unit.normalise(v), unit)),
                None => {
                    self.err(
                        unit_key,
                        format!(
                            "unknown unit {u:?}: expected one of {}",
                            CapacityUnit::ALL.join(", ")
                        ),
                    );
                    None
                }
            },
            (Some(_), None) => {
                if self.get(unit_key).is_none() {
                    self.err(unit_key, format!("`{key}` is given without `{unit_key}`"));
                }
                None
            }
            _ => None,
        }
    }

    fn id(&mut self) -> Option<String> {
        if let Some(id) = &self.f.id {
            return Some(id.clone());
        }
        match self.get("id")? {
            Prop::String(s) if !s.trim().is_empty() => Some(s.to_string()),
            Prop::Number(n) => Some(n.to_string()),
            v => {
                self.err(
                    "id",
                    format!("expected a non-empty string, found {}", type_name(v)),
                );
                None
            }
        }
    }
}

fn type_name(v: Prop) -> &'static str {
    match v {
        Prop::Null => "null",
        Prop::Bool(_) => "a boolean",
        Prop::Number(_) => "a number",
        Prop::String(_) => "a string",
        Prop::Other(v) => value_type_name(v),
    }
}

fn value_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient access for GEM and OSM: placeholders mean missing, unmappable values are reported.

/// A property as a trimmed string; GEM's `--`, empty strings and nulls are missing.
fn loose(props: &Properties, key: &str) -> Option<String> {
    match props.get(key)? {
        Prop::String(s) => {
            let s = s.trim();
            (!s.is_empty() && s != "--" && s != "-").then(|| s.to_string())
        }
        Prop::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number that may carry thousands separators (`"1,200,000.00"`).
fn loose_number(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    cleaned.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn loose_year(s: &str) -> Option<i32> {
    let y = s.trim().trim_end_matches(".0").parse::<i32>().ok()?;
    (1800..=2200).contains(&y).then_some(y)
}
