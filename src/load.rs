//! Loading input files into the model: network files (any of the three schemas), zone files and
//! the basemap, from disk or from the embedded default dataset.

use crate::error::{DataError, DataErrors, Place, Problem, Severity};
use crate::model::{Commodity, Country, Network, Zone};
use crate::parse::{parse_collection, RawCollection};
use crate::props::Prop;
use crate::schema::{self, MapOptions, Schema};
use foldhash::{HashMap, HashMapExt, HashSet};
use geo::{Geometry, MultiPolygon};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

/// An input file's bytes and the name used for it in messages and in `meta.inputs`.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub bytes: Vec<u8>,
    /// The SHA-256 once computed: every report's `meta.inputs` quotes it, and `report` writes a
    /// dozen of them for the same files.
    digest: OnceLock<String>,
}

impl Source {
    /// A file's bytes under the name used for it in messages.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Source {
        Source {
            name: name.into(),
            bytes,
            digest: OnceLock::new(),
        }
    }

    /// Reads a file from disk; the error names the file.
    pub fn read(path: &Path) -> Result<Source, DataError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            DataError::new(Place::file(&name), format!("cannot read the file: {e}"))
        })?;
        Ok(Source::new(name, bytes))
    }

    /// An embedded file of the default dataset, named `embedded:data/...`.
    pub fn embedded(path: &str, bytes: &[u8]) -> Source {
        Source::new(format!("embedded:{path}"), bytes.to_vec())
    }

    /// SHA-256 of the bytes, lower-case hex (computed once).
    pub fn sha256(&self) -> String {
        self.digest
            .get_or_init(|| {
                let digest = Sha256::digest(&self.bytes);
                digest.iter().map(|b| format!("{b:02x}")).collect()
            })
            .clone()
    }
}

/// What loading the network produced beyond the network itself: which schema each file was
/// read with (and why), and the warnings and notes for `check`.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub schemas: Vec<(String, Schema, String)>,
    pub problems: Vec<Problem>,
}

/// Options for [`load_network`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Force a schema instead of detecting it per file.
    pub schema: Option<Schema>,
    /// Set the commodity of every line.
    pub commodity: Option<Commodity>,
}

/// Loads network files into one [`Network`]. Every data error in every file is collected; if
/// there is any, they are returned together and nothing is loaded.
pub fn load_network(
    sources: &[Source],
    opts: LoadOptions,
) -> Result<(Network, LoadReport), DataErrors> {
    let mut net = Network::default();
    let mut report = LoadReport::default();
    let mut errors = Vec::new();
    for src in sources {
        let coll = match parse_collection(&src.name, &src.bytes) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let (schema, why) = match opts.schema {
            Some(s) => (s, "chosen with --schema".to_string()),
            None => {
                let (s, why) = schema::detect(coll.crs.as_deref(), &coll.features);
                (s, why.to_string())
            }
        };
        report.schemas.push((src.name.clone(), schema, why.clone()));
        if schema != Schema::Corridor {
            report.problems.push(Problem::new(
                &Place::file(&src.name),
                Severity::Info,
                format!("read with the {} schema ({why})", schema.as_str()),
            ));
        }
        let mapped = schema::map_features(
            &src.name,
            schema,
            coll.features,
            MapOptions {
                commodity: opts.commodity,
            },
        );
        errors.extend(mapped.errors);
        report.problems.extend(mapped.problems);
        if net.segments.is_empty() {
            // The first file's segments as they are, not copied.
            net.segments = mapped.segments;
        } else {
            net.segments.extend(mapped.segments);
        }
        net.nodes.extend(mapped.nodes);
    }
    assign_ids(&mut net, &mut errors);
    DataErrors::or_ok(errors, (net, report))
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
    let mut seen: HashMap<&str, (&str, usize)> = HashMap::with_capacity(net.segments.len());
    for s in &net.segments {
        if let Some((file, feature)) = seen.insert(&s.id, (&s.file, s.feature)) {
            errors.push(DataError::new(
                Place::feature(&s.file, s.feature, Some(&s.id)).with_property("id"),
                format!(
                    "duplicate segment id {:?}: also used by {file} feature {feature}",
                    s.id
                ),
            ));
        }
    }
    let mut seen: HashMap<&str, (&str, usize)> = HashMap::new();
    for n in &net.nodes {
        if let Some((file, feature)) = seen.insert(&n.id, (&n.file, n.feature)) {
            errors.push(DataError::new(
                Place::feature(&n.file, n.feature, Some(&n.id)).with_property("id"),
                format!(
                    "duplicate node id {:?}: also used by {file} feature {feature}",
                    n.id
                ),
            ));
        }
    }
}

fn string_prop(
    coll_file: &str,
    f: &crate::parse::RawFeature,
    key: &str,
    required: bool,
) -> Result<Option<String>, DataError> {
    match f.properties.get(key) {
        Some(Prop::String(s)) if !s.trim().is_empty() => Ok(Some(s.to_string())),
        Some(Prop::Number(n)) if key == "id" => Ok(Some(n.to_string())),
        None | Some(Prop::Null) if !required => Ok(None),
        None | Some(Prop::Null) => Err(DataError::new(
            f.place(coll_file).with_property(key),
            "missing required property",
        )),
        Some(v) => Err(DataError::new(
            f.place(coll_file).with_property(key),
            format!("expected a non-empty string, found {v}"),
        )),
    }
}

/// Loads zone files: features of any geometry type with a unique `id`, a `name` and a `kind`.
pub fn load_zones(sources: &[Source]) -> Result<Vec<Zone>, DataErrors> {
    let mut zones: Vec<Zone> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for src in sources {
        let coll: RawCollection = match parse_collection(&src.name, &src.bytes) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for f in &coll.features {
            let id = match f.id.clone().map(Ok).unwrap_or_else(|| {
                string_prop(&src.name, f, "id", true).map(|o| o.unwrap_or_default())
            }) {
                Ok(id) => id,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let name = string_prop(&src.name, f, "name", false);
            let kind = string_prop(&src.name, f, "kind", false);
            let (name, kind) = match (name, kind) {
                (Ok(n), Ok(k)) => (n.unwrap_or_else(|| id.clone()), k.unwrap_or_default()),
                (Err(e), _) | (_, Err(e)) => {
                    errors.push(e);
                    continue;
                }
            };
            let Some(geometry) = f.geometry.clone() else {
                errors.push(DataError::new(
                    f.place(&src.name).with_property("geometry"),
                    "the zone has no geometry",
                ));
                continue;
            };
            if let Some(other) = seen.insert(id.clone(), src.name.clone()) {
                errors.push(DataError::new(
                    f.place(&src.name).with_property("id"),
                    format!("duplicate zone id {id:?} (also in {other})"),
                ));
                continue;
            }
            zones.push(Zone {
                id,
                name,
                kind,
                geometry,
            });
        }
    }
    DataErrors::or_ok(errors, zones)
}

/// Loads basemap countries (`iso_a3` or `ISO_A3`/`ADM0_A3`, `name`; Polygon or MultiPolygon).
pub fn load_countries(sources: &[Source]) -> Result<Vec<Country>, DataErrors> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for src in sources {
        let coll = match parse_collection(&src.name, &src.bytes) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for f in &coll.features {
            let iso =
                ["iso_a3", "ISO_A3", "ADM0_A3"]
                    .iter()
                    .find_map(|k| match f.properties.get(k) {
                        Some(Prop::String(s)) if s.len() == 3 && s != "-99" => Some(s.to_string()),
                        _ => None,
                    });
            let Some(iso3) = iso else {
                errors.push(DataError::new(
                    f.place(&src.name).with_property("iso_a3"),
                    "missing ISO 3166-1 alpha-3 code",
                ));
                continue;
            };
            let name = match f.properties.get("name") {
                Some(Prop::String(s)) => s.to_string(),
                _ => iso3.clone(),
            };
            let geometry = match &f.geometry {
                Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
                Some(Geometry::MultiPolygon(m)) => m.clone(),
                _ => {
                    errors.push(DataError::new(
                        f.place(&src.name).with_property("geometry"),
                        "a country must be a Polygon or MultiPolygon",
                    ));
                    continue;
                }
            };
            out.push(Country {
                iso3,
                name,
                geometry,
            });
        }
    }
    DataErrors::or_ok(errors, out)
}

/// The default dataset embedded in the binary.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

    use super::Source;

    fn sources(files: &[(&str, &[u8])]) -> Vec<Source> {
        files.iter().map(|(p, b)| Source::embedded(p, b)).collect()
    }

    pub fn network() -> Vec<Source> {
        sources(NETWORK)
    }
    pub fn zones() -> Vec<Source> {
        sources(ZONES)
    }
    pub fn basemap() -> Vec<Source> {
        sources(BASEMAP)
    }
    pub fn supply() -> Vec<Source> {
        sources(SUPPLY)
    }
}
