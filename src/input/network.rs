//! Network files (any of the four schemas) into one [`Network`]: parse, detect the schema, map
//! the properties, join the attribute table, generate missing ids and check that ids are unique.

use super::attributes::Attributes;
use super::parse::{parse_collection_runs, RawFeature, TopLevel};
use super::schema::{self, AttributeJoin, FolderHint, MapOptions, Mapped, Schema};
use super::Source;
use crate::error::{DataError, DataErrors, Place, Problem, Severity};
use crate::model::{Commodity, Network};
use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::Arc;

/// What loading the network produced beyond the network itself: which schema each file was
/// read with (and why), the warnings and notes for `check`, and the notes the commands print
/// with their results (features skipped, commodities from folder names, the attribute join).
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub schemas: Vec<(String, Schema, String)>,
    pub problems: Vec<Problem>,
    /// What a reader of the results should know about the input (empty for files in the
    /// corridor schema with nothing skipped).
    pub notes: Vec<String>,
    /// Features skipped because they have no geometry.
    pub skipped: usize,
}

/// Options for [`load_network`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Force a schema instead of detecting it per file.
    pub schema: Option<Schema>,
    /// The commodity of lines that state none (a line stating another one is an error).
    pub default_commodity: Option<Commodity>,
    /// The tracker's attribute table (`--attributes`), joined to the lenient schemas' features
    /// by ProjectID.
    pub attributes: Option<Arc<Attributes>>,
}

/// One file, read and mapped.
struct Loaded {
    name: String,
    schema: Schema,
    why: String,
    weak: bool,
    top: TopLevel,
    hint: Option<FolderHint>,
    mapped: Mapped,
}

/// Reads and maps one file.
///
/// A file in the corridor schema is mapped run by run as the parse goes (each run of features
/// on the thread that parsed it), and the runs' segments are put in place in file order as soon
/// as the runs before them are in, so that neither the features' properties nor a second copy of
/// the segments ever all sit in memory beside the segments. The schema is the corridor one as
/// soon as any feature carries `corridor` ([`schema::detect`]'s first rule), and it maps every
/// feature on its own. Runs without `corridor` are kept as parsed until one with it comes (then
/// they are mapped in the corridor schema too); if none does, the file's schema is detected
/// from all of its features and they are mapped as before.
fn load_one(
    src: &Source,
    opts: &LoadOptions,
    join: Option<&AttributeJoin>,
) -> Result<Loaded, DataError> {
    let hint = schema::folder_hint(&src.name);
    let map_opts = MapOptions {
        default_commodity: opts.default_commodity,
        hint,
        join,
    };
    let forced = opts.schema;
    let corridor_run = |features: &[RawFeature]| match forced {
        Some(s) => s == Schema::Corridor,
        None => features
            .iter()
            .any(|f| f.properties.contains_key("corridor")),
    };
    let map = |features: Vec<RawFeature>| {
        schema::map_features(&src.name, Schema::Corridor, features, map_opts)
    };
    let early = |features: Vec<RawFeature>| -> Result<Mapped, Vec<RawFeature>> {
        if corridor_run(&features) {
            Ok(map(features))
        } else {
            Err(features)
        }
    };
    let fold = |acc: &mut Runs, run: Result<Mapped, Vec<RawFeature>>| match run {
        Ok(m) => {
            if !acc.corridor {
                acc.corridor = true;
                for raw in std::mem::take(&mut acc.raw) {
                    acc.mapped.append(map(raw));
                }
            }
            acc.mapped.append(m);
        }
        Err(raw) if acc.corridor => acc.mapped.append(map(raw)),
        Err(raw) => acc.raw.push(raw),
    };
    let (coll, runs) = parse_collection_runs(&src.name, &src.bytes, &early, &fold)?;
    let (schema, why, weak, mapped) = if runs.corridor {
        let why = match forced {
            Some(_) => "chosen with --schema",
            None => "features carry `corridor`",
        };
        let mut mapped = runs.mapped;
        mapped.segments.shrink_to_fit();
        (Schema::Corridor, why.to_string(), false, mapped)
    } else {
        let mut features = Vec::with_capacity(runs.raw.iter().map(Vec::len).sum());
        for r in runs.raw {
            features.extend(r);
        }
        let (schema, why, weak) = match forced {
            Some(s) => (s, "chosen with --schema".to_string(), false),
            None => {
                let d = schema::detect(&features);
                (d.schema, d.why.to_string(), d.weak)
            }
        };
        let mapped = schema::map_features(&src.name, schema, features, map_opts);
        (schema, why, weak, mapped)
    };
    Ok(Loaded {
        name: src.name.clone(),
        schema,
        why,
        weak,
        top: coll.top,
        hint,
        mapped,
    })
}

/// A file's runs as [`load_one`] folds them: mapped in the corridor schema once a run shows it
/// is one, else kept as parsed.
#[derive(Default)]
struct Runs {
    corridor: bool,
    mapped: Mapped,
    raw: Vec<Vec<RawFeature>>,
}

/// Loads network files into one [`Network`]. Every data error in every file is collected; if
/// there is any, they are returned together and nothing is loaded. Files are read on all cores
/// and put together in the order given.
pub fn load_network(
    sources: &[Source],
    opts: LoadOptions,
) -> Result<(Network, LoadReport), DataErrors> {
    let join = opts.attributes.as_deref().map(AttributeJoin::new);
    let loaded: Vec<Result<Loaded, DataError>> = sources
        .par_iter()
        .map(|src| load_one(src, &opts, join.as_ref()))
        .collect();
    let mut net = Network::default();
    let mut report = LoadReport::default();
    let mut errors = Vec::new();
    let mut unnamed_nodes: Vec<(usize, String)> = Vec::new();
    // For the notes: files per schema, hinted lines per folder, files of skipped features.
    let mut by_schema: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut hinted: BTreeMap<&'static str, (usize, Commodity)> = BTreeMap::new();
    let mut skipped_files = 0usize;
    let mut renamed_files = 0usize;
    let mut stations = (0usize, 0usize);
    let mut projects_seen: HashSet<String> = HashSet::default();
    let mut no_row: Vec<String> = Vec::new();
    for l in loaded {
        let l = match l {
            Ok(l) => l,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let file = Place::file(&l.name);
        report
            .schemas
            .push((l.name.clone(), l.schema, l.why.clone()));
        *by_schema.entry(l.schema.as_str()).or_default() += 1;
        let mut msg = format!("read with the {} schema ({})", l.schema.as_str(), l.why);
        if l.weak {
            msg.push_str(
                "; if the file follows one of corridor's schemas, say which with --schema corridor|gem|osm",
            );
        }
        report
            .problems
            .push(Problem::new(&file, Severity::Info, msg));
        match l.top {
            TopLevel::FeatureCollection => {}
            TopLevel::Feature => report.problems.push(Problem::new(
                &file,
                Severity::Info,
                "a single Feature (not a FeatureCollection), read as a collection of one feature",
            )),
            TopLevel::Geometry => report.problems.push(Problem::new(
                &file,
                Severity::Info,
                "a bare geometry (not a FeatureCollection), read as one feature without properties",
            )),
        }
        let mut mapped = l.mapped;
        errors.append(&mut mapped.errors);
        report.problems.append(&mut mapped.problems);
        if mapped.skipped > 0 {
            report.skipped += mapped.skipped;
            skipped_files += 1;
            if mapped.segments.is_empty() && mapped.nodes.is_empty() {
                report.problems.push(Problem::new(
                    &file,
                    Severity::Warning,
                    format!(
                        "no feature has a geometry ({} placeholder(s)): the file adds nothing to the network",
                        mapped.skipped
                    ),
                ));
            }
        }
        if mapped.renamed > 0 {
            renamed_files += 1;
        }
        if mapped.stations > 0 {
            stations.0 += mapped.stations;
            stations.1 += 1;
            report.problems.push(Problem::new(
                &file,
                Severity::Info,
                format!(
                    "{} point(s) read as `station` nodes, with ids {}-1, {}-2, …",
                    mapped.stations,
                    schema::file_stem(&l.name),
                    schema::file_stem(&l.name)
                ),
            ));
        }
        if let (Some(h), true) = (l.hint, mapped.hinted > 0) {
            report.problems.push(Problem::new(
                &file,
                Severity::Info,
                format!(
                    "{} line(s) or point(s) take the commodity {} from the folder name {} (nothing in the file{} says)",
                    mapped.hinted,
                    h.commodity,
                    h.folder,
                    if join.is_some() { " or the attributes" } else { "" }
                ),
            ));
            let e = hinted.entry(h.folder).or_insert((0, h.commodity));
            e.0 += mapped.hinted;
        }
        if let Some(join) = &join {
            let has_lines_or_points = !mapped.segments.is_empty() || !mapped.nodes.is_empty();
            for p in &mapped.projects {
                if join.contains(p) {
                    if projects_seen.insert(p.clone()) {
                        report.problems.extend(join.problems(p).iter().cloned());
                    }
                } else if has_lines_or_points {
                    projects_seen.insert(p.clone());
                    no_row.push(p.clone());
                    report.problems.push(Problem::new(
                        &file,
                        Severity::Warning,
                        format!("project {p} has no row in the attributes {}", join.file),
                    ));
                }
            }
        }
        let base = net.nodes.len();
        unnamed_nodes.extend(mapped.unnamed_nodes.into_iter().map(|(i, s)| (base + i, s)));
        if net.segments.is_empty() {
            // The first file's segments as they are, not copied.
            net.segments = mapped.segments;
        } else {
            net.segments.append(&mut mapped.segments);
        }
        net.nodes.append(&mut mapped.nodes);
    }
    assign_node_ids(&mut net, &unnamed_nodes);
    assign_ids(&mut net, &mut errors);
    if let (Some(join), Some(table)) = (&join, &opts.attributes) {
        report.problems.extend(table.problems.iter().cloned());
        let unused: Vec<&str> = join
            .projects
            .iter()
            .filter(|p| !projects_seen.contains(p.as_str()))
            .map(String::as_str)
            .collect();
        if !unused.is_empty() {
            const SHOWN: usize = 20;
            report.problems.push(Problem::new(
                &Place::file(&join.file),
                Severity::Info,
                format!(
                    "{} row(s) have no route among the network files: {}{}",
                    unused.len(),
                    unused
                        .iter()
                        .take(SHOWN)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if unused.len() > SHOWN { ", …" } else { "" }
                ),
            ));
        }
        let joined = projects_seen.len() - no_row.len();
        report.notes.push(format!(
            "attributes {}: {joined} project(s) of the network files found a row, {} did not; {} row(s) have no route",
            join.file,
            no_row.len(),
            unused.len()
        ));
    }
    // Notes, only where there is something to say.
    if by_schema.keys().any(|s| *s != "corridor") {
        let list: Vec<String> = by_schema.iter().map(|(s, n)| format!("{s} {n}")).collect();
        report.notes.push(format!(
            "files read per schema: {} (`check` says which schema read each file, and why)",
            list.join(", ")
        ));
    }
    if report.skipped > 0 {
        report.notes.push(format!(
            "{} feature(s) without geometry (null, or empty coordinates) skipped in {skipped_files} file(s)",
            report.skipped
        ));
    }
    if !hinted.is_empty() {
        let list: Vec<String> = hinted
            .iter()
            .map(|(folder, (n, c))| format!("{n} in {folder} → {c}"))
            .collect();
        report.notes.push(format!(
            "commodity taken from the folder name where nothing else gives one (a weak hint): {}",
            list.join(", ")
        ));
    }
    if stations.0 > 0 {
        report.notes.push(format!(
            "{} point(s) in {} file(s) read as `station` nodes (compressor stations; ids generated from the file name)",
            stations.0, stations.1
        ));
    }
    if renamed_files > 0 {
        report.notes.push(format!(
            "{renamed_files} file(s) carry a ProjectID other than their file name's: their lines are read as the file name's project (`check` lists them)"
        ));
    }
    if net.segments.is_empty() && net.nodes.is_empty() && !sources.is_empty() && errors.is_empty() {
        report.notes.push(
            "the network is empty: no feature of the files has a geometry (placeholders only)"
                .to_string(),
        );
    }
    DataErrors::or_ok(errors, (net, report))
}

/// Generates `{file}-{n}` ids for the points of the lenient schemas (n from 1 per file stem, in
/// file order, skipping ids already taken).
fn assign_node_ids(net: &mut Network, unnamed: &[(usize, String)]) {
    if unnamed.is_empty() {
        return;
    }
    let generated: Vec<(usize, String)> = {
        let taken: HashSet<&str> = net
            .nodes
            .iter()
            .filter(|n| !n.id.is_empty())
            .map(|n| n.id.as_str())
            .collect();
        let mut counters: HashMap<&str, usize> = HashMap::new();
        unnamed
            .iter()
            .map(|(i, stem)| {
                let n = counters.entry(stem).or_insert(0);
                loop {
                    *n += 1;
                    let id = format!("{stem}-{n}");
                    if !taken.contains(id.as_str()) {
                        break (*i, id);
                    }
                }
            })
            .collect()
    };
    for (i, id) in generated {
        if let Some(n) = net.nodes.get_mut(i) {
            n.id = id;
        }
    }
}

/// Generates `{corridor}-{n}` ids for segments without one (n counts from 1 per corridor, in
/// file order) and checks that segment ids and node ids are unique.
fn assign_ids(net: &mut Network, errors: &mut Vec<DataError>) {
    // Only files without ids need the set of the explicit ones (the ids are generated against
    // it first, then stored, so the set can borrow them).
    if net.segments.iter().any(|s| s.id.is_empty()) {
        let generated: Vec<(usize, String)> = {
            let explicit: HashSet<&str> = net
                .segments
                .iter()
                .filter(|s| !s.id.is_empty())
                .map(|s| s.id.as_str())
                .collect();
            let mut counters: HashMap<&str, usize> = HashMap::new();
            let mut generated = Vec::new();
            for (i, s) in net.segments.iter().enumerate() {
                if !s.id.is_empty() {
                    continue;
                }
                let n = counters.entry(&s.corridor).or_insert(0);
                loop {
                    *n += 1;
                    let id = format!("{}-{}", s.corridor, n);
                    if !explicit.contains(id.as_str()) {
                        generated.push((i, id));
                        break;
                    }
                }
            }
            generated
        };
        for (i, id) in generated {
            if let Some(s) = net.segments.get_mut(i) {
                s.id = id;
            }
        }
    }
    duplicate_ids(
        "segment",
        net.segments.len(),
        |i| {
            let s = &net.segments[i];
            (s.id.as_str(), &*s.file, s.feature)
        },
        errors,
    );
    duplicate_ids(
        "node",
        net.nodes.len(),
        |i| {
            let n = &net.nodes[i];
            (n.id.as_str(), n.file.as_str(), n.feature)
        },
        errors,
    );
}

/// An error for each of the `n` items (`item(i)`: id, file, feature) whose id an earlier one
/// used, naming where that one was read.
fn duplicate_ids<'a>(
    what: &str,
    n: usize,
    item: impl Fn(usize) -> (&'a str, &'a str, usize),
    errors: &mut Vec<DataError>,
) {
    for (i, before) in repeats(n, |i| item(i).0) {
        let ((id, file, feature), (_, bfile, bfeature)) = (item(i), item(before));
        errors.push(DataError::new(
            Place::feature(file, feature, Some(id)).with_property("id"),
            format!("duplicate {what} id {id:?}: also used by {bfile} feature {bfeature}"),
        ));
    }
}

/// The ids among `n` (`id(i)` for i in 0..n) that were used before: (i, the last index before
/// i with the same id), by i. By sorting hashes rather than filling a hash map of the ids: at a
/// million segments the map took ~90 MB at the loader's peak, the hashes 16 MB.
fn repeats<'a>(n: usize, id: impl Fn(usize) -> &'a str) -> Vec<(usize, usize)> {
    let state = foldhash::fast::FixedState::default();
    let mut keys: Vec<(u64, usize)> = (0..n).map(|i| (state.hash_one(id(i)), i)).collect();
    keys.par_sort_unstable();
    let mut out = Vec::new();
    for group in keys.chunk_by(|a, b| a.0 == b.0) {
        for (j, &(_, i)) in group.iter().enumerate().skip(1) {
            // Hashes that collide without the ids being equal are skipped.
            if let Some(&(_, before)) = group[..j].iter().rev().find(|k| id(k.1) == id(i)) {
                out.push((i, before));
            }
        }
    }
    out.sort_unstable();
    out
}
