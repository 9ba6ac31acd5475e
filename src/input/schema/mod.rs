//! Mapping features onto the model, for the four schemas corridor reads:
//!
//! - `corridor`: the contract's own schema. Strict: a missing required property, a wrong type,
//!   a negative capacity or an unknown unit is an error. It applies only to files that use it:
//!   a `corridor` property on a feature, or a node `kind` on a point.
//! - `gem`: Global Energy Monitor tracker route files (`ProjectID`, `PipelineName`, `Fuel`,
//!   `Capacity` + `CapacityUnits`, `StartYear1`, `StopYear`, `Status`, `LengthKnownKm`, also cut
//!   to 10 characters by a shapefile round trip: `PipelineNa`, `CapacityUn`, ...; `--` and empty
//!   strings mean missing), and the Europe Gas Tracker's (`project`, `type`, `capacity` +
//!   `units`, `start_year`, `status`).
//! - `osm`: OpenStreetMap-derived lines (`name`, `operator`, `substance`, `man_made=pipeline`).
//! - `generic`: anything else — a regulator's or a company's layer, a drawing tool's export, a
//!   file with no properties at all: a name and a commodity are read from common fields
//!   ([`generic`]), everything else is left out.
//!
//! In the lenient schemas (all but `corridor`) a value that cannot be mapped is left out and
//! reported as a warning for `corridor check`, never guessed; a feature without geometry (GEM's
//! placeholder for a project with no traced route) is skipped with a warning; points become
//! `station` nodes (GEM's compressor-station files), with generated ids. What the file does not
//! say may come from the tracker's attribute table (`--attributes`, joined by ProjectID) and, for
//! the commodity only, from the name of the folder the file is in (GEM's `gas-pipelines`,
//! `liquid-pipelines`, `hydrogen-pipelines`), in that order.
//!
//! One file per schema ([`corridor`], [`gem`], [`osm`], [`generic`]); this file detects the
//! schema and holds what they share: the join with the attribute table, the commodity of last
//! resort and the normalisation of capacities once the commodity is known.

mod corridor;
mod gem;
mod generic;
mod osm;

pub use generic::commodity_of;

use corridor::{attrs_corridor, node_corridor};
use gem::{attrs_gem, node_egt};
use generic::{attrs_generic, station_name};
use osm::attrs_osm;

use crate::error::{DataError, Place, Problem, Severity};
use crate::input::attributes::Attributes;
use crate::input::parse::RawFeature;
use crate::input::props::{Prop, Properties};
use crate::model::{CapacityUnit, Commodity, Direction, GeometryKind, Node, NodeKind, Segment};
use foldhash::{HashMap, HashMapExt};
use geo::{Geometry, LineString, Point};
use rayon::prelude::*;
use serde_json::Value;
use std::sync::Arc;

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
    /// Any other file: names and commodities from common fields.
    Generic,
}

impl Schema {
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Corridor => "corridor",
            Schema::Gem => "gem",
            Schema::Osm => "osm",
            Schema::Generic => "generic",
        }
    }
}

/// A detected schema, why, and whether the guess is weak (nothing in the file is read by any
/// schema: `check` then suggests `--schema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    pub schema: Schema,
    pub why: &'static str,
    pub weak: bool,
}

/// GEM tracker columns (full, and as a shapefile cuts them) that mark a file as GEM's.
const GEM_COLUMNS: [&str; 9] = [
    "PipelineName",
    "PipelineNa",
    "SegmentName",
    "SegmentNam",
    "CapacityUnits",
    "CapacityUn",
    "StartYear1",
    "LengthKnownKm",
    "CapacityBcm/y",
];

/// OpenStreetMap tags (and the members of OSM exports) that mark a file as OSM's.
const OSM_TAGS: [&str; 5] = ["man_made", "substance", "@id", "osm_id", "osm_type"];

/// Guesses a file's schema from its features' properties, and says why.
///
/// In order: `corridor` if a feature carries `corridor` or a point carries a node `kind`; `gem`
/// if features carry GEM tracker columns (or the Europe Gas Tracker's `project` + `units`);
/// `osm` if they carry OpenStreetMap tags; `gem` if they carry a `ProjectID`; else `generic`.
pub fn detect(features: &[RawFeature]) -> Detection {
    let has = |k: &str| features.iter().any(|f| f.properties.contains_key(k));
    let any = |keys: &[&str]| keys.iter().any(|k| has(k));
    let det = |schema, why| Detection {
        schema,
        why,
        weak: false,
    };
    let node_kind = features.iter().any(|f| {
        matches!(f.geometry, Some(Geometry::Point(_)))
            && f.properties
                .get("kind")
                .and_then(Prop::as_str)
                .is_some_and(|k| NodeKind::parse(k).is_some())
    });
    if has("corridor") {
        det(Schema::Corridor, "features carry `corridor`")
    } else if node_kind {
        det(
            Schema::Corridor,
            "points carry a node `kind` (supply, market, station, ...)",
        )
    } else if any(&GEM_COLUMNS) || (has("project") && has("units")) {
        det(
            Schema::Gem,
            "features carry Global Energy Monitor tracker columns",
        )
    } else if any(&OSM_TAGS)
        || features
            .iter()
            .any(|f| f.properties.keys().any(|k| k.starts_with("seamark:")))
    {
        det(Schema::Osm, "features carry OpenStreetMap tags")
    } else if has("ProjectID") {
        det(
            Schema::Gem,
            "features carry a Global Energy Monitor `ProjectID`",
        )
    } else if features.iter().all(|f| {
        f.properties
            .keys()
            .all(|k| matches!(f.properties.get(k), Some(Prop::Null)))
    }) {
        det(Schema::Generic, "no properties: lines take the file's name")
    } else if generic::reads_any(features) {
        det(
            Schema::Generic,
            "no schema's own properties; names and commodities read from common fields",
        )
    } else {
        Detection {
            schema: Schema::Generic,
            why: "no property any schema reads: lines take the file's name",
            weak: true,
        }
    }
}

/// The commodity a file's folder names, for lines and points nothing else gives one to: GEM's
/// route repository keeps its files in `gas-pipelines`, `liquid-pipelines` (crude oil and other
/// liquids) and `hydrogen-pipelines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderHint {
    pub commodity: Commodity,
    pub folder: &'static str,
}

/// The [`FolderHint`] of a file, from the folder it is in.
pub fn folder_hint(file: &str) -> Option<FolderHint> {
    let mut parts = file.rsplit(['/', '\\']);
    parts.next()?;
    let folder = parts.next()?;
    let (commodity, folder) = match folder {
        "gas-pipelines" => (Commodity::Gas, "gas-pipelines"),
        "liquid-pipelines" => (Commodity::Oil, "liquid-pipelines"),
        "hydrogen-pipelines" => (Commodity::Hydrogen, "hydrogen-pipelines"),
        _ => return None,
    };
    Some(FolderHint { commodity, folder })
}

/// The GEM project a file name stands for: `P0123.geojson` and `P0123-compressor-stations.geojson`
/// are project `P0123` (a `P` and four or more digits, then the end or a `-`, `_`, `.` or space).
pub fn file_project(stem: &str) -> Option<String> {
    let rest = stem.strip_prefix('P')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest.as_bytes().get(digits);
    (digits >= 4 && matches!(after, None | Some(b'-' | b'_' | b'.' | b' ')))
        .then(|| stem[..1 + digits].to_string())
}

/// The attribute table, mapped once with the gem schema's rules: what each project's row says.
#[derive(Debug, Default)]
pub struct AttributeJoin {
    pub file: String,
    rows: HashMap<String, (Attrs, Vec<Problem>)>,
    /// ProjectIDs in the table's order.
    pub projects: Vec<String>,
}

impl AttributeJoin {
    pub fn new(table: &Attributes) -> AttributeJoin {
        let mut rows = HashMap::with_capacity(table.rows().len());
        let mut projects = Vec::with_capacity(table.rows().len());
        for r in table.rows() {
            let f = RawFeature {
                index: 0,
                id: None,
                geometry: None,
                empty_geometry: None,
                properties: r.props.clone(),
            };
            let mut problems = Vec::new();
            let attrs = attrs_gem(&table.file, &f, &mut problems);
            for p in &mut problems {
                p.feature = None;
                p.id = Some(r.project.clone());
                p.message = format!("{}: {}", r.at, p.message);
            }
            projects.push(r.project.clone());
            rows.insert(r.project.clone(), (attrs, problems));
        }
        AttributeJoin {
            file: table.file.clone(),
            rows,
            projects,
        }
    }

    pub fn contains(&self, project: &str) -> bool {
        self.rows.contains_key(project)
    }

    /// What mapping a project's row found unmappable (reported once the row is used).
    pub fn problems(&self, project: &str) -> &[Problem] {
        self.rows.get(project).map_or(&[], |r| &r.1)
    }

    fn attrs(&self, project: &str) -> Option<&Attrs> {
        self.rows.get(project).map(|r| &r.0)
    }
}

/// The result of mapping one file.
#[derive(Debug, Default)]
pub struct Mapped {
    pub segments: Vec<Segment>,
    pub nodes: Vec<Node>,
    /// Nodes whose id the loader generates: (index into `nodes`, the id's stem).
    pub unnamed_nodes: Vec<(usize, String)>,
    /// Warnings and notes (errors go to `errors`).
    pub problems: Vec<Problem>,
    pub errors: Vec<DataError>,
    /// Features skipped because they have no geometry (null, or empty coordinates).
    pub skipped: usize,
    /// Lines and points that took their commodity from the folder name.
    pub hinted: usize,
    /// Features whose ProjectID differs from the file name's (they take the file name's).
    pub renamed: usize,
    /// Points read as `station` nodes.
    pub stations: usize,
    /// The GEM projects of the file's features (for the attribute join), sorted.
    pub projects: Vec<String>,
    /// The statuses the segments so far share ([`Mapped::status`]).
    statuses: Vec<Arc<str>>,
}

impl Mapped {
    /// `s` as a status shared with the earlier segments that state the same one (a few
    /// distinct statuses are kept; free text beyond them is not shared).
    fn status(&mut self, s: String) -> Arc<str> {
        if let Some(a) = self.statuses.iter().find(|a| ***a == *s) {
            return a.clone();
        }
        let a: Arc<str> = s.into();
        if self.statuses.len() < 16 {
            self.statuses.push(a.clone());
        }
        a
    }
}

/// Options that apply while mapping.
#[derive(Debug, Clone, Copy, Default)]
pub struct MapOptions<'a> {
    /// The commodity of lines that state none; a line that states another one is an error.
    pub default_commodity: Option<Commodity>,
    /// The commodity of the file's folder, for what says nothing else (lenient schemas only).
    pub hint: Option<FolderHint>,
    /// The attribute table (`--attributes`), joined by ProjectID (lenient schemas only).
    pub join: Option<&'a AttributeJoin>,
}

/// What every feature of one file shares while it is mapped.
struct FileCtx<'a> {
    file: &'a str,
    /// The file's name as its segments share it.
    shared_file: Arc<str>,
    stem: String,
    /// The project the file name stands for ([`file_project`]).
    project: Option<String>,
    schema: Schema,
    opts: MapOptions<'a>,
    /// For each project, the first feature holding a line (which alone takes the project's
    /// length from the attribute table).
    first_line: HashMap<String, usize>,
    /// Generic schema: the plain names of the file's features agree, and so name its corridor.
    names_agree: bool,
}

impl FileCtx<'_> {
    /// A feature's project: its `ProjectID` unless the file name says another (then the file
    /// name's, so that files loaded together never merge), else the file name's.
    fn project_of(&self, f: &RawFeature) -> Option<String> {
        if self.schema == Schema::Corridor {
            return None;
        }
        match (loose(&f.properties, "ProjectID"), &self.project) {
            (_, Some(file)) => Some(file.clone()),
            (Some(p), None) => Some(p),
            (None, None) => None,
        }
    }
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
    let mut ctx = FileCtx {
        file,
        shared_file: Arc::from(file),
        project: file_project(&stem),
        stem,
        schema,
        opts: if schema == Schema::Corridor {
            MapOptions {
                default_commodity: opts.default_commodity,
                hint: None,
                join: None,
            }
        } else {
            opts
        },
        first_line: HashMap::new(),
        names_agree: schema == Schema::Generic && generic::plain_names_agree(&features),
    };
    let mut head = Mapped::default();
    if schema != Schema::Corridor {
        // ProjectIDs other than the file name's, once per value.
        let mut others: Vec<(String, usize, usize)> = Vec::new();
        for f in &features {
            let own = loose(&f.properties, "ProjectID");
            if let (Some(own), Some(fp)) = (&own, &ctx.project) {
                if own != fp && f.geometry.is_some() {
                    head.renamed += 1;
                    match others.iter_mut().find(|o| &o.0 == own) {
                        Some(o) => o.2 += 1,
                        None => others.push((own.clone(), f.index, 1)),
                    }
                }
            }
            if let Some(p) = ctx.project_of(f) {
                if matches!(
                    f.geometry,
                    Some(Geometry::LineString(_) | Geometry::MultiLineString(_))
                ) {
                    ctx.first_line.entry(p.clone()).or_insert(f.index);
                }
                if f.geometry.is_some() && !head.projects.contains(&p) {
                    head.projects.push(p);
                }
            }
        }
        head.projects.sort();
        for (own, first, n) in others {
            let fp = ctx.project.clone().unwrap_or_default();
            head.problems.push(Problem::new(
                &Place::file(file).with_property("ProjectID"),
                Severity::Warning,
                format!(
                    "{n} feature(s) (the first is feature {first}) carry ProjectID {own:?}, not the file name's {fp}: they are read as project {fp} (GEM names each route file after its project), so that files loaded together do not merge"
                ),
            ));
        }
    }
    let ctx = &ctx;
    let parts: Vec<Mapped> = features
        .par_chunks_mut(MAP_RUN)
        .map(|run| {
            let mut out = Mapped {
                segments: Vec::with_capacity(run.len()),
                ..Mapped::default()
            };
            for f in run {
                map_feature(ctx, f, &mut out);
            }
            out
        })
        .collect();
    concat(head, parts)
}

/// Runs of one file's features, mapped, put back together in file order after `head` (what
/// the file as a whole gave: its projects and their warnings).
fn concat(head: Mapped, parts: Vec<Mapped>) -> Mapped {
    let mut out = head;
    out.segments
        .reserve_exact(parts.iter().map(|p| p.segments.len()).sum());
    for p in parts {
        out.append(p);
    }
    out
}

impl Mapped {
    /// Appends the next run of the same file (mapped without the file-wide `head` of
    /// [`map_features`]: its projects and their warnings).
    pub fn append(&mut self, p: Mapped) {
        let base = self.nodes.len();
        if self.segments.capacity() == 0 {
            // The first run's vector as it is, not copied.
            self.segments = p.segments;
        } else {
            self.segments.extend(p.segments);
        }
        self.nodes.extend(p.nodes);
        self.unnamed_nodes
            .extend(p.unnamed_nodes.into_iter().map(|(i, s)| (base + i, s)));
        self.problems.extend(p.problems);
        self.errors.extend(p.errors);
        self.skipped += p.skipped;
        self.hinted += p.hinted;
        self.stations += p.stations;
    }
}

/// Features per parallel task in [`map_features`].
const MAP_RUN: usize = 2048;

/// Maps one feature, taking its line geometry.
fn map_feature(ctx: &FileCtx, f: &mut RawFeature, out: &mut Mapped) {
    let file = ctx.file;
    let schema = ctx.schema;
    match &f.geometry {
        None => {
            let what = match &f.empty_geometry {
                Some(t) => format!("an empty {t} (no coordinates)"),
                None => "no geometry (null)".to_string(),
            };
            out.problems.push(Problem::new(
                &f.place(file).with_property("geometry"),
                Severity::Warning,
                format!("{what}: the feature is skipped"),
            ));
            out.skipped += 1;
            return;
        }
        Some(Geometry::LineString(_) | Geometry::MultiLineString(_)) => {}
        Some(Geometry::Point(_) | Geometry::MultiPoint(_)) if schema != Schema::Corridor => {
            points(ctx, f, out);
            return;
        }
        Some(Geometry::Point(_)) => {
            match node_corridor(file, f) {
                Ok(n) => out.nodes.push(n),
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
        Schema::Gem => Ok(attrs_gem(file, f, &mut out.problems)),
        Schema::Osm => Ok(attrs_osm(file, f, &mut out.problems)),
        Schema::Generic => Ok(attrs_generic(file, f, ctx.names_agree, &mut out.problems)),
    };
    let mut attrs = match attrs {
        Ok(a) => a,
        Err(errs) => {
            out.errors.extend(errs);
            return;
        }
    };
    if schema != Schema::Corridor {
        let project = ctx.project_of(f);
        if let (Some(p), Some(join)) = (&project, ctx.opts.join) {
            if let Some(row) = join.attrs(p) {
                let first = ctx.first_line.get(p) == Some(&f.index);
                attrs.fill_from(row, first);
            }
        }
        if schema == Schema::Gem && attrs.source.is_none() {
            attrs.source = Some(match &project {
                Some(p) => format!("Global Energy Monitor tracker, project {p}"),
                None => "Global Energy Monitor tracker".to_string(),
            });
        }
        if attrs.corridor.is_empty() {
            attrs.corridor = project.unwrap_or_else(|| ctx.stem.clone());
        }
    }
    if let Some(c) = ctx.opts.default_commodity {
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
    } else if let Some(h) = ctx.opts.hint {
        if hint_applies(attrs.commodity, attrs.commodity_weak, h) {
            attrs.commodity = h.commodity;
            out.hinted += 1;
        }
    }
    if let Some(q) = attrs.quantity.take() {
        attrs.capacity = q.normalise(attrs.commodity, &f.place(file), &mut out.problems);
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
        let status = take_last(&mut attrs.status, last).map(|s| out.status(s));
        out.segments.push(Segment {
            id,
            corridor: take_last(&mut attrs.corridor, last),
            name: take_last(&mut attrs.name, last),
            commodity: attrs.commodity,
            capacity: attrs.capacity,
            direction: attrs.direction,
            commissioned: attrs.commissioned,
            decommissioned: attrs.decommissioned,
            status,
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
            file: ctx.shared_file.clone(),
            feature: f.index,
        });
    }
}

/// Points and MultiPoints of the lenient schemas: the Europe Gas Tracker's terminals, else
/// `station` nodes (GEM's compressor-station files), one per point, named from the usual name
/// fields; ids are generated by the loader (`{file}-{n}`). OpenStreetMap points (valves, pig
/// launchers, markers) are not nodes: skipped with a warning.
fn points(ctx: &FileCtx, f: &RawFeature, out: &mut Mapped) {
    let file = ctx.file;
    if ctx.schema == Schema::Osm {
        out.problems.push(Problem::new(
            &f.place(file).with_property("geometry"),
            Severity::Warning,
            "points in OpenStreetMap-schema files (valves, markers, ...) are not read: the feature is skipped",
        ));
        return;
    }
    if ctx.schema == Schema::Gem && f.properties.contains_key("project") {
        if let Some(Geometry::Point(p)) = f.geometry {
            let (n, named) = node_egt(file, f, p, &mut out.problems);
            if !named {
                out.unnamed_nodes.push((out.nodes.len(), ctx.stem.clone()));
            }
            out.nodes.push(n);
            return;
        }
    }
    let pts: Vec<Point<f64>> = match &f.geometry {
        Some(Geometry::Point(p)) => vec![*p],
        Some(Geometry::MultiPoint(m)) => m.0.clone(),
        _ => return,
    };
    let name = station_name(&f.properties);
    let read = generic::commodity(file, f, &mut out.problems);
    let mut commodity = read.map(|r| r.0);
    if let (Some(c), None) = (ctx.opts.default_commodity, commodity) {
        commodity = Some(c);
    } else if let Some(h) = ctx.opts.hint {
        let (c, weak) = read.unwrap_or((Commodity::Unknown, false));
        if hint_applies(c, weak, h) {
            commodity = Some(h.commodity);
            out.hinted += 1;
        }
    }
    for point in pts {
        out.stations += 1;
        out.unnamed_nodes.push((out.nodes.len(), ctx.stem.clone()));
        out.nodes.push(Node {
            id: String::new(),
            name: name.clone(),
            kind: NodeKind::Station,
            commodity,
            supply: None,
            demand: None,
            market: None,
            country: None,
            commissioned: None,
            decommissioned: None,
            failure_prob: None,
            point,
            file: file.to_string(),
            feature: f.index,
        });
    }
}

/// Whether the folder's commodity replaces what was read: when nothing was, or when only a kind
/// field said "gas" of a line in the hydrogen folder (hydrogen is a gas: the drawing tool's
/// `Type: "Gas pipeline"` does not contradict the folder).
fn hint_applies(read: Commodity, weak: bool, hint: FolderHint) -> bool {
    read == Commodity::Unknown
        || (weak && read == Commodity::Gas && hint.commodity == Commodity::Hydrogen)
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
#[derive(Debug, Clone, Default)]
struct Attrs {
    id: Option<String>,
    /// Empty when the file names no pipeline (the project or the file name is used).
    corridor: String,
    name: Option<String>,
    commodity: Commodity,
    /// The commodity was read from a kind field (`Type: "Gas pipeline"`), not a commodity field.
    commodity_weak: bool,
    /// Normalised (the corridor schema); the lenient schemas give a [`Quantity`] instead.
    capacity: Option<f64>,
    /// A capacity as written, normalised once the line's commodity is known.
    quantity: Option<Quantity>,
    direction: Direction,
    commissioned: Option<i32>,
    decommissioned: Option<i32>,
    status: Option<String>,
    nominal_length_km: Option<f64>,
    source: Option<String>,
    geometry_kind: Option<GeometryKind>,
    failure_prob: Option<f64>,
}

impl Attrs {
    /// Fills what the file left empty from the attribute table's row of the project; the
    /// project's length only on its first line (`first`), as the row states it once.
    fn fill_from(&mut self, row: &Attrs, first: bool) {
        if self.corridor.is_empty() {
            self.corridor.clone_from(&row.corridor);
        }
        self.name = self.name.take().or_else(|| row.name.clone());
        let replace =
            self.commodity == Commodity::Unknown || (self.commodity_weak && !row.commodity_weak);
        if replace && row.commodity != Commodity::Unknown {
            self.commodity = row.commodity;
            self.commodity_weak = row.commodity_weak;
        }
        if self.quantity.is_none() && self.capacity.is_none() {
            self.quantity.clone_from(&row.quantity);
        }
        self.commissioned = self.commissioned.or(row.commissioned);
        self.decommissioned = self.decommissioned.or(row.decommissioned);
        self.status = self.status.take().or_else(|| row.status.clone());
        if first {
            self.nominal_length_km = self.nominal_length_km.or(row.nominal_length_km);
        }
        self.geometry_kind = self.geometry_kind.or(row.geometry_kind);
    }
}

/// A capacity as a lenient schema read it: the value, its unit, and the properties they came
/// from (for messages).
#[derive(Debug, Clone)]
struct Quantity {
    value: f64,
    unit: CapacityUnit,
    unit_text: String,
    unit_key: &'static str,
}

impl Quantity {
    /// The value in `commodity`'s normalised unit; `None`, with a warning, when the unit does not
    /// measure that commodity or the commodity is unknown.
    fn normalise(
        &self,
        commodity: Commodity,
        place: &Place,
        problems: &mut Vec<Problem>,
    ) -> Option<f64> {
        let warn = |problems: &mut Vec<Problem>, msg: String| {
            problems.push(Problem::new(
                &place.clone().with_property(self.unit_key),
                Severity::Warning,
                msg,
            ))
        };
        if commodity == Commodity::Unknown {
            warn(
                problems,
                format!(
                    "capacity {} {:?} not mapped: the line's commodity is unknown (a unit alone does not say it)",
                    self.value, self.unit_text
                ),
            );
            return None;
        }
        match self.unit.normalise_for(self.value, commodity) {
            Ok(v) => Some(v),
            Err(why) => {
                warn(
                    problems,
                    format!(
                        "capacity {} {:?} on a {commodity} line not mapped: {why}",
                        self.value, self.unit_text
                    ),
                );
                None
            }
        }
    }
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

    /// A quantity with its unit property (`capacity` + `capacity_unit`), normalised for
    /// `commodity` (for a line or node without one, the commodity its unit measures).
    fn quantity(&mut self, key: &str, unit_key: &str, commodity: Commodity) -> Option<f64> {
        let v = self.non_negative(key);
        let unit = self.string(unit_key);
        match (v, unit) {
            (Some(v), Some(u)) => match CapacityUnit::parse(&u) {
                Some(unit) => match unit.normalise_for(v, commodity) {
                    Ok(n) => Some(n),
                    Err(why) => {
                        let what = if self.f.geometry.as_ref().is_some_and(|g| {
                            matches!(g, Geometry::Point(_) | Geometry::MultiPoint(_))
                        }) {
                            "node"
                        } else {
                            "line"
                        };
                        self.err(unit_key, format!("{u:?} on a {commodity} {what}: {why}"));
                        None
                    }
                },
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
// Lenient access (gem, osm, generic): placeholders mean missing, unmappable values are reported.

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

/// The first of `keys` with a value ([`loose`]), and its key.
fn first_loose(props: &Properties, keys: &[&'static str]) -> Option<(&'static str, String)> {
    keys.iter().find_map(|k| loose(props, k).map(|v| (*k, v)))
}

/// Values that stand for "no name" in the layers GEM collected.
const NO_NAME: [&str; 9] = [
    "n/a",
    "na",
    "none",
    "null",
    "unknown",
    "sin informacion",
    "sin información",
    "sem denominação",
    "sem denominacao",
];

/// A name: a string that is not a placeholder, nor only digits (a code, not a name).
fn loose_name(props: &Properties, key: &str) -> Option<String> {
    let s = match props.get(key)? {
        Prop::String(s) => s.trim(),
        _ => return None,
    };
    let placeholder = s.is_empty()
        || s.chars().all(|c| !c.is_alphanumeric())
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        || NO_NAME.contains(&s.to_lowercase().as_str());
    (!placeholder).then(|| s.to_string())
}

/// The first of `keys` holding a name ([`loose_name`]).
fn first_name(props: &Properties, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| loose_name(props, k))
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
