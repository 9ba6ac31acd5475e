//! `corridor check`: validates files and reports what the loader and the topology pass found.
//!
//! Network files are loaded with the schema detected per file (or the one chosen), zone and basemap
//! files are recognised by their content. Every problem names the file, the feature and, where
//! there is one, the property. The topology report lists the joins made, T-junction splits,
//! dangling ends, and segments that reach no supply or no market.

use crate::error::{Place, Problem, Severity};
use crate::input::diagnose::every_error;
use crate::input::parse::parse_collection;
use crate::input::supply::SupplyData;
use crate::input::{load_countries, load_history, load_network, load_zones, LoadOptions, Source};
use crate::model::{count, Network, NodeKind};
use crate::topology::{self, Port};
use geo::Geometry;
use serde::Serialize;

/// What kind of file `check` thinks it is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Network,
    Zones,
    Basemap,
    /// A supply CSV file (`data/supply/`).
    Supply,
    /// A capacity history (`data/network/capacity_history.csv`).
    History,
}

/// Recognises zone and basemap files by their content; everything else is a network file.
pub fn file_kind(src: &Source) -> FileKind {
    let lower = src.name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        return if lower.contains("capacity_history") || lower.contains("capacity-history") {
            FileKind::History
        } else {
            FileKind::Supply
        };
    }
    let Ok(coll) = parse_collection(&src.name, &src.bytes) else {
        return FileKind::Network;
    };
    if coll.features.is_empty() {
        return FileKind::Network;
    }
    let has = |k: &str| coll.features.iter().all(|f| f.properties.contains_key(k));
    let areal = coll.features.iter().all(|f| {
        matches!(
            f.geometry,
            Some(Geometry::Polygon(_)) | Some(Geometry::MultiPolygon(_))
        )
    });
    if areal && (has("iso_a3") || has("ISO_A3")) {
        return FileKind::Basemap;
    }
    let zone_like = coll.features.iter().all(|f| {
        let kind = f.properties.get("kind").and_then(|k| k.as_str());
        !f.properties.contains_key("corridor")
            && kind.is_some_and(|k| {
                NodeKind::parse(k).is_none() || !matches!(f.geometry, Some(Geometry::Point(_)))
            })
    });
    if zone_like {
        FileKind::Zones
    } else {
        FileKind::Network
    }
}

/// The result of checking: the problems, and the counts of what was read.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub problems: Vec<Problem>,
    pub summary: CheckSummary,
}

impl CheckResult {
    /// The number of problems of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }
}

/// What `check` read: files, zones, countries, and (when network files loaded) the network and
/// its topology report; then the counts of errors and warnings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckSummary {
    pub files: usize,
    pub zones: usize,
    pub countries: usize,
    #[serde(flatten)]
    pub network: Option<NetworkSummary>,
    pub errors: usize,
    pub warnings: usize,
}

/// The network part of a [`CheckSummary`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetworkSummary {
    pub segments: usize,
    pub nodes: usize,
    pub corridors: usize,
    pub joins: usize,
    pub splits: usize,
    pub dangling_ends: usize,
    pub no_supply: usize,
    pub no_market: usize,
    pub snap_m: f64,
}

/// Checks files. Each file is loaded on its own first (so every file's errors are reported);
/// the network files that load are then put together for the topology report.
pub fn check(sources: &[Source], opts: LoadOptions, snap_m: f64) -> CheckResult {
    let mut problems = Vec::new();
    let mut good_network: Vec<Source> = Vec::new();
    let mut zones = 0;
    let mut countries = 0;
    for src in sources {
        match file_kind(src) {
            FileKind::Zones => match load_zones(std::slice::from_ref(src)) {
                Ok(z) => {
                    zones += z.len();
                    problems.push(Problem::new(
                        &Place::file(&src.name),
                        Severity::Info,
                        format!(
                            "zone file: {} ({})",
                            count(z.len(), "zone"),
                            z.iter()
                                .map(|z| z.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                Err(_) => problems.extend(
                    every_error(src, |s| load_zones(std::slice::from_ref(s)))
                        .iter()
                        .map(Problem::from),
                ),
            },
            FileKind::Basemap => match load_countries(std::slice::from_ref(src)) {
                Ok(c) => {
                    countries += c.len();
                    problems.push(Problem::new(
                        &Place::file(&src.name),
                        Severity::Info,
                        format!("basemap file: {}", count(c.len(), "country")),
                    ));
                }
                Err(errs) => problems.extend(errs.0.iter().map(Problem::from)),
            },
            FileKind::Supply => match SupplyData::load(std::slice::from_ref(src)) {
                Ok(d) => {
                    let counts = [
                        (d.imports.len(), "import row"),
                        (d.totals.len(), "yearly total"),
                        (d.routes.len(), "route"),
                        (d.n1.len(), "N-1 input"),
                        (d.demand.len(), "demand row"),
                    ];
                    let read: Vec<String> = counts
                        .iter()
                        .filter(|(n, _)| *n > 0)
                        .map(|(n, what)| count(*n, what))
                        .collect();
                    let message = if read.is_empty() {
                        "supply file not read by any command (kept as reference data)".to_string()
                    } else {
                        format!("supply file: {}", read.join(", "))
                    };
                    problems.push(Problem::new(
                        &Place::file(&src.name),
                        Severity::Info,
                        message,
                    ));
                }
                Err(errs) => problems.extend(errs.0.iter().map(Problem::from)),
            },
            FileKind::History => match load_history(std::slice::from_ref(src)) {
                Ok(h) => problems.push(Problem::new(
                    &Place::file(&src.name),
                    Severity::Info,
                    format!("capacity history: {}", count(h.steps.len(), "step")),
                )),
                Err(errs) => problems.extend(errs.0.iter().map(Problem::from)),
            },
            // Alone, a file is loaded only for its errors (the attribute join adds none).
            // Every error of a refused file, feature by feature (not only the first).
            FileKind::Network => {
                let errs = every_error(src, |s| {
                    load_network(
                        std::slice::from_ref(s),
                        LoadOptions {
                            attributes: None,
                            ..opts.clone()
                        },
                    )
                });
                if errs.is_empty() {
                    good_network.push(src.clone());
                } else {
                    problems.extend(errs.iter().map(Problem::from));
                }
            }
        }
    }
    let mut network = None;
    if !good_network.is_empty() {
        match load_network(&good_network, opts) {
            Ok((net, report)) => {
                problems.extend(report.problems);
                let topo = topology::build(&net, snap_m);
                topology_problems(&net, &topo, &mut problems);
                network = Some(NetworkSummary {
                    segments: net.segments.len(),
                    nodes: net.nodes.len(),
                    corridors: net.corridors().len(),
                    joins: topo.joins.len(),
                    splits: topo.splits.len(),
                    dangling_ends: topo.dangling.len(),
                    no_supply: topo.no_supply.len(),
                    no_market: topo.no_market.len(),
                    snap_m,
                });
            }
            // Only cross-file problems (duplicate ids across files) can show up here.
            Err(errs) => problems.extend(errs.0.iter().map(Problem::from)),
        }
    }
    let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
    let summary = CheckSummary {
        files: sources.len(),
        zones,
        countries,
        network,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
    };
    CheckResult {
        problems: group_identical(problems),
        summary,
    }
}

/// More than this many identical problems of one file (same severity and message, different
/// features) are listed as one.
pub const GROUP_OVER: usize = 5;

/// Identical problems of one file (the same severity and message for many features: "no
/// commodity" on each of 167 lines) as one problem, where the first of them stood: "167
/// features: no commodity ... (features 0, 1, 2, 3, 4, … 1450)". The summary still counts each.
pub fn group_identical(problems: Vec<Problem>) -> Vec<Problem> {
    use std::collections::BTreeMap;
    let key = |p: &Problem| (p.file.clone(), p.severity, p.message.clone());
    let mut count: BTreeMap<(String, Severity, String), Vec<usize>> = BTreeMap::new();
    for p in &problems {
        if let Some(f) = p.feature {
            count.entry(key(p)).or_default().push(f);
        }
    }
    if count.values().all(|v| v.len() <= GROUP_OVER) {
        return problems;
    }
    let mut out = Vec::with_capacity(problems.len());
    for p in problems {
        if p.feature.is_none() {
            out.push(p);
            continue;
        }
        let k = key(&p);
        match count.get_mut(&k) {
            Some(features) if features.len() > GROUP_OVER => {
                const SHOWN: usize = 5;
                let n = features.len();
                let mut distinct = features.clone();
                distinct.sort_unstable();
                distinct.dedup();
                let k = distinct.len();
                let mut list: Vec<String> =
                    distinct.iter().take(SHOWN).map(|f| f.to_string()).collect();
                if k > SHOWN {
                    list.push(format!("… {}", distinct[k - 1]));
                }
                let count = if n == k {
                    format!("{k} features")
                } else {
                    format!("{n} times in {k} feature(s)")
                };
                out.push(Problem {
                    file: p.file,
                    feature: None,
                    id: None,
                    property: p.property.clone(),
                    severity: p.severity,
                    message: format!("{count}: {} (features {})", p.message, list.join(", ")),
                });
                // The others of the group are left out.
                features.clear();
            }
            Some(features) if features.is_empty() => {}
            _ => out.push(p),
        }
    }
    out
}

fn port_name(net: &Network, p: &Port) -> String {
    match p {
        Port::Start(s) => format!("start of {}", net.segments[*s].id),
        Port::End(s) => format!("end of {}", net.segments[*s].id),
        Port::Split(s) => format!("a split of {}", net.segments[*s].id),
        Port::Node(n) => format!("node {}", net.nodes[*n].id),
    }
}

fn seg_place(net: &Network, s: usize) -> Place {
    let seg = &net.segments[s];
    Place::feature(&seg.file, seg.feature, Some(&seg.id))
}

fn topology_problems(net: &Network, topo: &topology::Topology, problems: &mut Vec<Problem>) {
    for j in &topo.joins {
        let first = &j.ports[0];
        let place = match first {
            Port::Start(s) | Port::End(s) | Port::Split(s) => seg_place(net, *s),
            Port::Node(n) => Place::feature(
                &net.nodes[*n].file,
                net.nodes[*n].feature,
                Some(&net.nodes[*n].id),
            ),
        };
        let names: Vec<String> = j.ports.iter().map(|p| port_name(net, p)).collect();
        problems.push(Problem::new(
            &place,
            Severity::Info,
            format!(
                "{} join: {} (within {:.0} m)",
                j.commodity,
                names.join(", "),
                j.spread_m
            ),
        ));
    }
    for (s, port, d) in &topo.splits {
        problems.push(Problem::new(
            &seg_place(net, *s),
            Severity::Info,
            format!(
                "split at a T-junction with {} ({d:.0} m from the line)",
                port_name(net, port)
            ),
        ));
    }
    for (s, end) in &topo.dangling {
        let seg = &net.segments[*s];
        let c = if *end {
            seg.line.0[seg.line.0.len() - 1]
        } else {
            seg.line.0[0]
        };
        problems.push(Problem::new(
            &seg_place(net, *s),
            Severity::Warning,
            format!(
                "dangling {}: [{:.5}, {:.5}] joins no other line or node within {} m",
                if *end { "end" } else { "start" },
                c.x,
                c.y,
                topo.snap_m
            ),
        ));
    }
    for s in &topo.no_supply {
        problems.push(Problem::new(
            &seg_place(net, *s),
            Severity::Warning,
            "reaches no supply: no supply node feeds this segment",
        ));
    }
    for s in &topo.no_market {
        problems.push(Problem::new(
            &seg_place(net, *s),
            Severity::Warning,
            "reaches no market: flow through this segment reaches no market node",
        ));
    }
    for (s, seg) in net.segments.iter().enumerate() {
        if crate::geodesy::length_m(&seg.line) == 0.0 {
            problems.push(Problem::new(
                &seg_place(net, s),
                Severity::Warning,
                "zero-length segment",
            ));
        }
    }
    for (n, node) in net.nodes.iter().enumerate() {
        // A supply joined to a market at the same place (an LNG terminal feeding the grid at its
        // regasification plant) is connected even without a line.
        let partner = match node.kind {
            NodeKind::Supply => Some(NodeKind::Market),
            NodeKind::Market => Some(NodeKind::Supply),
            _ => None,
        };
        let connected = topo.node_vertices[n].iter().any(|v| {
            topo.graph.neighbors_undirected(*v).next().is_some()
                || topo.graph[*v]
                    .nodes
                    .iter()
                    .any(|&m| Some(net.nodes[m].kind) == partner)
        });
        if !connected && partner.is_some() {
            problems.push(Problem::new(
                &Place::feature(&node.file, node.feature, Some(&node.id)),
                Severity::Warning,
                format!(
                    "{:?} node is not within {} m of any line of its commodity",
                    node.kind, topo.snap_m
                )
                .to_lowercase(),
            ));
        }
    }
}
