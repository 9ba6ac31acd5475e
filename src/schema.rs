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

use crate::error::{DataError, Place, Problem, Severity};
use crate::model::{CapacityUnit, Commodity, Direction, GeometryKind, Node, NodeKind, Segment};
use crate::parse::RawFeature;
use crate::props::{Prop, Properties};
use geo::{Geometry, LineString};
use rayon::prelude::*;
use serde_json::Value;

/// Which property schema a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
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
    /// Sets the commodity of every line (`--commodity`).
    pub commodity: Option<Commodity>,
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
    if let Some(c) = opts.commodity {
        attrs.commodity = c;
    }
    if attrs.commodity == Commodity::Unknown {
        out.problems.push(Problem::new(
            &f.place(file),
            Severity::Warning,
            "no commodity: the line loads for the geometric commands (routes, exposure, profile) but takes no part in flow or supply analyses (set `commodity` or pass --commodity)",
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

fn attrs_corridor(file: &str, f: &RawFeature) -> Result<Attrs, Vec<DataError>> {
    let mut p = Props::new(file, f);
    let id = p.id();
    let corridor = p.required_string("corridor");
    let name = p.string("name");
    let commodity = match p.string("commodity") {
        None => Commodity::Unknown,
        Some(c) => match Commodity::parse(&c) {
            Some(c) => c,
            None => {
                p.err(
                    "commodity",
                    format!("unknown commodity {c:?}: expected \"oil\" or \"gas\""),
                );
                Commodity::Unknown
            }
        },
    };
    let capacity = p.quantity("capacity", "capacity_unit");
    if let Some((_, unit)) = capacity {
        if commodity != Commodity::Unknown && unit.commodity() != commodity {
            p.err(
                "capacity_unit",
                format!("a {} unit on a {} line", unit.commodity(), commodity),
            );
        }
    }
    let direction = match p.string("direction").as_deref() {
        None | Some("forward") => Direction::Forward,
        Some("both") => Direction::Both,
        Some(d) => {
            p.err(
                "direction",
                format!("expected \"forward\" or \"both\", found {d:?}"),
            );
            Direction::Forward
        }
    };
    let commissioned = p.year("commissioned");
    let decommissioned = p.year("decommissioned");
    let status = p.string("status");
    let nominal_length_km = p.non_negative("nominal_length_km");
    let source = p.string("source");
    let failure_prob = p.probability("failure_prob");
    let geometry_kind = match p.get("geometry") {
        Some(Prop::String("mapped")) => Some(GeometryKind::Mapped),
        Some(Prop::String("schematic")) => Some(GeometryKind::Schematic),
        Some(v) => {
            p.err(
                "geometry",
                format!("expected \"mapped\" or \"schematic\", found {v}"),
            );
            None
        }
        None => None,
    };
    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    Ok(Attrs {
        id,
        corridor: corridor.unwrap_or_default(),
        name,
        commodity,
        capacity: capacity.map(|c| c.0),
        direction,
        commissioned,
        decommissioned,
        status,
        nominal_length_km,
        source,
        geometry_kind,
        failure_prob,
    })
}

fn node_corridor(file: &str, f: &RawFeature) -> Result<Node, DataError> {
    let mut p = Props::new(file, f);
    let id = p.id();
    if id.is_none() && p.errors.is_empty() {
        p.err(
            "id",
            "missing required property (every node needs a unique id)",
        );
    }
    let name = p.string("name");
    let kind = match p.required_string("kind") {
        Some(k) => match NodeKind::parse(&k) {
            Some(k) => Some(k),
            None => {
                p.err(
                    "kind",
                    format!(
                        "unknown node kind {k:?}: expected one of {}",
                        NodeKind::ALL.join(", ")
                    ),
                );
                None
            }
        },
        None => None,
    };
    let commodity = match p.string("commodity") {
        None => None,
        Some(c) => match Commodity::parse(&c) {
            Some(c) => Some(c),
            None => {
                p.err(
                    "commodity",
                    format!("unknown commodity {c:?}: expected \"oil\" or \"gas\""),
                );
                None
            }
        },
    };
    let needs_commodity = matches!(kind, Some(NodeKind::Supply | NodeKind::Market));
    if needs_commodity && commodity.is_none() && p.get("commodity").is_none() {
        p.err(
            "commodity",
            "missing: supply and market nodes need `commodity`",
        );
    }
    let supply = p.quantity("supply", "supply_unit");
    if kind == Some(NodeKind::Supply) && supply.is_none() && p.get("supply").is_none() {
        p.err(
            "supply",
            "missing: a supply node needs `supply` and `supply_unit`",
        );
    }
    let demand = p.quantity("demand", "demand_unit");
    for (q, key) in [(supply, "supply_unit"), (demand, "demand_unit")] {
        if let (Some((_, unit)), Some(c)) = (q, commodity) {
            if unit.commodity() != c {
                p.err(key, format!("a {} unit on a {} node", unit.commodity(), c));
            }
        }
    }
    let market = p.string("market");
    if kind == Some(NodeKind::Market) && market.is_none() && p.get("market").is_none() {
        p.err(
            "market",
            "missing: a market node needs `market` (the market name reports group by)",
        );
    }
    let country = p.string("country");
    let commissioned = p.year("commissioned");
    let decommissioned = p.year("decommissioned");
    let failure_prob = p.probability("failure_prob");
    if !p.errors.is_empty() {
        let mut errs = p.errors;
        return Err(errs.remove(0));
    }
    let Some(Geometry::Point(point)) = f.geometry else {
        return Err(DataError::new(
            f.place(file).with_property("geometry"),
            "expected a Point",
        ));
    };
    Ok(Node {
        id: id.unwrap_or_default(),
        name,
        kind: kind.unwrap_or(NodeKind::Junction),
        commodity,
        supply: supply.map(|s| s.0),
        demand: demand.map(|d| d.0),
        market,
        country,
        commissioned,
        decommissioned,
        failure_prob,
        point,
        file: file.to_string(),
        feature: f.index,
    })
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

/// Maps GEM's fuel names.
fn gem_commodity(fuel: &str) -> Option<Commodity> {
    let f = fuel.to_ascii_lowercase();
    let first = f.split([',', ';']).next().unwrap_or("").trim();
    match first {
        "oil" | "crude oil" | "crude" | "oil products" | "ngl" => Some(Commodity::Oil),
        "gas" | "natural gas" | "gas_pipeline" | "lng_terminal" => Some(Commodity::Gas),
        _ => None,
    }
}

/// GEM capacity units → a normalised value, where the unit is one we can convert exactly.
fn gem_capacity(value: f64, unit: &str) -> Option<(f64, Commodity)> {
    let u = unit.trim().to_ascii_lowercase();
    let (v, c) = match u.as_str() {
        "bpd" | "b/d" | "bbl/d" | "boe/d" => {
            (CapacityUnit::BarrelsPerDay.normalise(value), Commodity::Oil)
        }
        "kb/d" | "kbpd" | "kbd" => (value, Commodity::Oil),
        "mt/y" | "mtpa oil" | "mt/yr" => (CapacityUnit::MtPerYear.normalise(value), Commodity::Oil),
        "bcm/y" | "bcm/yr" | "bcm/year" | "bcm" => (value, Commodity::Gas),
        "mcm/d" | "mcm/day" => (CapacityUnit::McmPerDay.normalise(value), Commodity::Gas),
        // 1 million cubic feet = 28,316.846592 m³ (exact by definition of the foot).
        "mmcf/d" | "mmcfd" | "mmscfd" => (value * 28_316.846_592 * 365.25 / 1.0e9, Commodity::Gas),
        _ => return None,
    };
    Some((v, c))
}

fn attrs_gem(file: &str, f: &RawFeature, stem: &str, problems: &mut Vec<Problem>) -> Attrs {
    let p = &f.properties;
    let place = f.place(file);
    let warn = |problems: &mut Vec<Problem>, key: &str, msg: String| {
        problems.push(Problem::new(
            &place.clone().with_property(key),
            Severity::Warning,
            msg,
        ));
    };
    let egt = p.contains_key("project");
    let corridor = loose(p, "PipelineName")
        .or_else(|| loose(p, "project"))
        .or_else(|| loose(p, "ProjectID"))
        .unwrap_or_else(|| stem.to_string());
    let name = loose(p, "SegmentName")
        .or_else(|| loose(p, "Name"))
        .or_else(|| loose(p, "unit"));
    let fuel_key = if egt { "type" } else { "Fuel" };
    let commodity = match loose(p, fuel_key) {
        Some(fuel) => gem_commodity(&fuel).unwrap_or_else(|| {
            warn(
                problems,
                fuel_key,
                format!("fuel {fuel:?} is neither oil nor gas: commodity left unknown"),
            );
            Commodity::Unknown
        }),
        None => Commodity::Unknown,
    };
    let (cap_key, unit_key) = if egt {
        ("capacity", "units")
    } else {
        ("Capacity", "CapacityUnits")
    };
    let capacity = match (loose(p, cap_key), loose(p, unit_key)) {
        (Some(v), Some(u)) => {
            match loose_number(&v) {
                Some(v) if v >= 0.0 => match gem_capacity(v, &u) {
                    Some((c, unit_commodity))
                        if commodity == Commodity::Unknown || unit_commodity == commodity =>
                    {
                        Some(c)
                    }
                    Some((_, uc)) => {
                        warn(
                            problems,
                            unit_key,
                            format!("a {uc} unit {u:?} on a {commodity} line: capacity not mapped"),
                        );
                        None
                    }
                    None => {
                        warn(problems, unit_key, format!("capacity unit {u:?} is not one corridor converts: capacity not mapped"));
                        None
                    }
                },
                _ => {
                    warn(
                        problems,
                        cap_key,
                        format!("capacity {v:?} is not a non-negative number: not mapped"),
                    );
                    None
                }
            }
        }
        (Some(v), None) => {
            warn(
                problems,
                unit_key,
                format!("capacity {v:?} has no unit: not mapped"),
            );
            None
        }
        _ => None,
    };
    let year_key = if egt { "start_year" } else { "StartYear1" };
    let commissioned = loose(p, year_key).and_then(|y| {
        let parsed = loose_year(&y);
        if parsed.is_none() {
            warn(
                problems,
                year_key,
                format!("{y:?} is not a year: commissioning year not mapped"),
            );
        }
        parsed
    });
    let decommissioned = loose(p, "StopYear").and_then(|y| {
        let parsed = loose_year(&y);
        if parsed.is_none() {
            warn(
                problems,
                "StopYear",
                format!("{y:?} is not a year: not mapped"),
            );
        }
        parsed
    });
    let status = loose(p, "Status").or_else(|| loose(p, "status"));
    let nominal_length_km = loose(p, "LengthKnownKm").and_then(|v| {
        let n = loose_number(&v).filter(|n| *n >= 0.0);
        if n.is_none() {
            warn(
                problems,
                "LengthKnownKm",
                format!("{v:?} is not a length in km: not mapped"),
            );
        }
        n
    });
    let source = Some(match loose(p, "ProjectID") {
        Some(pid) => format!("Global Energy Monitor tracker, project {pid}"),
        None => "Global Energy Monitor tracker".to_string(),
    });
    let geometry_kind = loose(p, "RouteType").map(|r| {
        if r.to_ascii_lowercase().contains("mapped") {
            GeometryKind::Mapped
        } else {
            GeometryKind::Schematic
        }
    });
    Attrs {
        id: None,
        corridor,
        name,
        commodity,
        capacity,
        direction: Direction::Forward,
        commissioned,
        decommissioned,
        status,
        nominal_length_km,
        source,
        geometry_kind,
        failure_prob: None,
    }
}

fn node_gem(file: &str, f: &RawFeature, problems: &mut Vec<Problem>) -> Result<Node, DataError> {
    let p = &f.properties;
    let place = f.place(file);
    let name = loose(p, "project")
        .or_else(|| loose(p, "PipelineName"))
        .or_else(|| loose(p, "Name"));
    let id = f.id.clone().or_else(|| name.clone()).ok_or_else(|| {
        DataError::new(
            place.clone().with_property("project"),
            "a point with no name or id cannot become a node",
        )
    })?;
    let ty = loose(p, "type").unwrap_or_default();
    let commodity = gem_commodity(&ty);
    problems.push(Problem::new(
        &place,
        Severity::Info,
        format!("point read as a `terminal` node {id:?} without supply capacity (GEM gives terminal capacity, not send-out)"),
    ));
    let Some(Geometry::Point(point)) = f.geometry else {
        return Err(DataError::new(
            place.with_property("geometry"),
            "expected a Point",
        ));
    };
    Ok(Node {
        id,
        name,
        kind: NodeKind::Terminal,
        commodity,
        supply: None,
        demand: None,
        market: None,
        country: None,
        commissioned: loose(p, "start_year").and_then(|y| loose_year(&y)),
        decommissioned: None,
        failure_prob: None,
        point,
        file: file.to_string(),
        feature: f.index,
    })
}

fn attrs_osm(file: &str, f: &RawFeature, stem: &str, problems: &mut Vec<Problem>) -> Attrs {
    let p = &f.properties;
    let place = f.place(file);
    let corridor = loose(p, "name")
        .or_else(|| loose(p, "name:en"))
        .unwrap_or_else(|| stem.to_string());
    let commodity = match loose(p, "substance") {
        Some(s) => match s.as_str() {
            "gas" | "natural_gas" | "cng" => Commodity::Gas,
            "oil" | "crude_oil" => Commodity::Oil,
            other => {
                problems.push(Problem::new(
                    &place.clone().with_property("substance"),
                    Severity::Warning,
                    format!("substance {other:?} is neither oil nor gas: commodity left unknown"),
                ));
                Commodity::Unknown
            }
        },
        None => Commodity::Unknown,
    };
    if let Some(c) = loose(p, "capacity") {
        problems.push(Problem::new(
            &place.clone().with_property("capacity"),
            Severity::Warning,
            format!("OpenStreetMap capacity {c:?} has no machine-readable unit: not mapped"),
        ));
    }
    Attrs {
        id: None,
        corridor,
        name: loose(p, "name").or_else(|| loose(p, "name:en")),
        commodity,
        capacity: None,
        direction: Direction::Forward,
        commissioned: None,
        decommissioned: None,
        status: None,
        nominal_length_km: None,
        source: Some(match loose(p, "@id") {
            Some(osm) => format!("© OpenStreetMap contributors ({osm})"),
            None => "© OpenStreetMap contributors".to_string(),
        }),
        geometry_kind: Some(GeometryKind::Mapped),
        failure_prob: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gem_numbers_and_years() {
        assert_eq!(loose_number("1,200,000.00"), Some(1_200_000.0));
        assert_eq!(loose_year("2006"), Some(2006));
        assert_eq!(loose_year("2"), None);
        assert_eq!(
            gem_capacity(1_200_000.0, "bpd"),
            Some((1200.0, Commodity::Oil))
        );
        assert_eq!(gem_commodity("Oil, NGL"), Some(Commodity::Oil));
        assert_eq!(file_stem("a/b/GEM_P0644.geojson"), "GEM_P0644");
    }
}
