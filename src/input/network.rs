//! Network files (any of the three schemas) into one [`Network`]: parse, detect the schema, map
//! the properties, generate missing ids and check that ids are unique.

use super::parse::parse_collection;
use super::schema::{self, MapOptions, Schema};
use super::Source;
use crate::error::{DataError, DataErrors, Place, Problem, Severity};
use crate::model::{Commodity, Network};
use foldhash::{HashMap, HashMapExt, HashSet};

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
    /// The commodity of lines that state none (a line stating another one is an error).
    pub default_commodity: Option<Commodity>,
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
            Some(s) => (s, "chosen by the user, not detected".to_string()),
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
                default_commodity: opts.default_commodity,
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
