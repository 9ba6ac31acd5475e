//! Which imports cross a zone: the corridors whose flow passes through it in the network of a
//! year, the suppliers whose routes use them, and the exposed share of each year's imports.

use super::{years, SupplyOptions, YearRow};
use crate::analysis::flow::{zone_cut, CutIds, FlowModel};
use crate::analysis::RequestError;
use crate::input::supply::{RouteRow, SupplyData};
use crate::model::{Commodity, Network, Node, NodeKind, Zone};
use crate::topology::{self, Topology};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The corridors whose flow crosses a zone: a corridor crosses it when one of its segments is
/// cut (within the band), or when the cut leaves one of its segments, fed before, with no supply
/// upstream (its gas came through the zone). `cut_segments` and `cut_nodes` are indices into
/// `net`.
pub fn corridors_through(
    net: &Network,
    topo: &Topology,
    cut_segments: &[usize],
    cut_nodes: &[usize],
) -> BTreeSet<String> {
    let cut_s: HashSet<usize> = cut_segments.iter().copied().collect();
    let cut_n: HashSet<usize> = cut_nodes.iter().copied().collect();
    let before = fed_segments(net, topo, &HashSet::new(), &HashSet::new());
    let after = fed_segments(net, topo, &cut_s, &cut_n);
    net.segments
        .iter()
        .enumerate()
        .filter(|(s, seg)| {
            seg.commodity != Commodity::Unknown && (cut_s.contains(s) || (before[*s] && !after[*s]))
        })
        .map(|(_, seg)| seg.corridor.clone())
        .collect()
}

/// For each segment: does supply reach every piece of it, with the given segments and nodes
/// removed?
fn fed_segments(
    net: &Network,
    topo: &Topology,
    cut_s: &HashSet<usize>,
    cut_n: &HashSet<usize>,
) -> Vec<bool> {
    use petgraph::visit::EdgeRef;
    let g = &topo.graph;
    let blocked = |v: petgraph::graph::NodeIndex| g[v].nodes.iter().any(|n| cut_n.contains(n));
    let mut seen: HashSet<petgraph::graph::NodeIndex> = HashSet::new();
    let mut queue = std::collections::VecDeque::new();
    for v in g.node_indices() {
        let vx = &g[v];
        let supplies = vx.nodes.iter().any(|&n| {
            net.nodes[n].kind == NodeKind::Supply && net.nodes[n].commodity == Some(vx.commodity)
        });
        if supplies && !blocked(v) && seen.insert(v) {
            queue.push_back(v);
        }
    }
    while let Some(v) = queue.pop_front() {
        for e in g
            .edges_directed(v, petgraph::Direction::Outgoing)
            .chain(g.edges_directed(v, petgraph::Direction::Incoming))
        {
            let piece = e.weight();
            if cut_s.contains(&piece.segment) {
                continue;
            }
            let forward = e.source() == v;
            if !forward && piece.direction != crate::model::Direction::Both {
                continue;
            }
            let w = if forward { e.target() } else { e.source() };
            if !blocked(w) && seen.insert(w) {
                queue.push_back(w);
            }
        }
    }
    (0..net.segments.len())
        .map(|s| {
            !cut_s.contains(&s)
                && !topo.segment_edges[s].is_empty()
                && topo.segment_edges[s].iter().all(|&e| {
                    g.edge_endpoints(e).is_some_and(|(a, b)| {
                        seen.contains(&a)
                            || (g[e].direction == crate::model::Direction::Both
                                && seen.contains(&b))
                    })
                })
        })
        .collect()
}

/// How a zone stands across one year's network: the corridors whose flow passes through it, the
/// corridors that exist that year, and whether every LNG terminal is cut.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneCrossing {
    pub through: BTreeSet<String>,
    pub present: BTreeSet<String>,
    pub lng_cut: bool,
}

/// Whether a supplier's imports cross the zone in a year: all its routes that exist that year
/// through the zone → `Some(true)`; none → `Some(false)`; some → `None` (volumes per route are
/// not known). A route over a corridor not yet built (or no longer operating) carried nothing
/// that year and does not count (Azerbaijan's gas before 2018 came only through SCP, TANAP
/// opened in 2018). Remainders take the routes of their kind where the kind is LNG (LNG
/// terminals); a pipeline or mixed remainder of unknown origin is unknown.
pub fn supplier_exposed(
    routes: &[RouteRow],
    country: &str,
    zone: &ZoneCrossing,
    supplier: &str,
    kind: &str,
) -> Option<bool> {
    let mine: Vec<&RouteRow> = routes
        .iter()
        .filter(|r| r.country == country && r.supplier == supplier)
        .filter(|r| r.corridor.is_empty() || zone.present.contains(&r.corridor))
        .collect();
    if mine.is_empty() {
        return match kind {
            "lng" => Some(zone.lng_cut),
            _ => None,
        };
    }
    let flags: Vec<bool> = mine
        .iter()
        .map(|r| {
            if r.corridor.is_empty() {
                zone.lng_cut
            } else {
                zone.through.contains(&r.corridor)
            }
        })
        .collect();
    if flags.iter().all(|f| *f) {
        Some(true)
    } else if flags.iter().all(|f| !*f) {
        Some(false)
    } else {
        None
    }
}

/// The segments and nodes within `band_m` of the zone, on the whole network (the same rule and
/// code as `disrupt`); distances do not change with the year, so this runs once.
pub fn zone_element_ids(net: &Network, zone: &Zone, band_m: f64, snap_m: f64) -> CutIds {
    let topo = topology::build(net, snap_m);
    let model = FlowModel::new(net, &topo);
    CutIds::of(net, &zone_cut(&model, net, zone, band_m))
}

/// LNG terminals: supply nodes named as LNG or FSRU terminals.
fn is_lng_terminal(n: &Node) -> bool {
    let text = format!("{} {}", n.id, n.name.as_deref().unwrap_or("")).to_lowercase();
    n.kind == NodeKind::Supply && (text.contains("lng") || text.contains("fsru"))
}

/// How the zone stands in the network as it stood in `year`: which corridors carry flow through
/// it, which exist, and whether every LNG terminal is cut. `cut` holds the ids from
/// [`zone_element_ids`].
pub fn through_zone(net: &Network, year: Option<i32>, cut: &CutIds, snap_m: f64) -> ZoneCrossing {
    let n = net.in_year(year);
    let topo = topology::build(&n, snap_m);
    let cut_segments: HashSet<&str> = cut.segments.iter().map(String::as_str).collect();
    let cut_nodes: HashSet<&str> = cut.nodes.iter().map(String::as_str).collect();
    let segs: Vec<usize> = (0..n.segments.len())
        .filter(|&i| cut_segments.contains(n.segments[i].id.as_str()))
        .collect();
    let nodes: Vec<usize> = (0..n.nodes.len())
        .filter(|&i| cut_nodes.contains(n.nodes[i].id.as_str()))
        .collect();
    let through = corridors_through(&n, &topo, &segs, &nodes);
    let lng: Vec<usize> = (0..n.nodes.len())
        .filter(|&i| is_lng_terminal(&n.nodes[i]))
        .collect();
    let lng_cut = !lng.is_empty() && lng.iter().all(|i| nodes.contains(i));
    ZoneCrossing {
        through,
        present: n.segments.iter().map(|s| s.corridor.clone()).collect(),
        lng_cut,
    }
}

/// What [`supply_years`] asks: a country's imports of a commodity over a span of years, and the
/// zone (with a band) whose crossing makes them exposed.
#[derive(Debug, Clone)]
pub struct SupplyQuery<'a> {
    pub options: SupplyOptions,
    pub zone: &'a Zone,
    pub band_m: f64,
    pub snap_m: f64,
}

/// The `supply` analysis: a row per year, and per year the corridors through the zone.
#[derive(Debug, Clone)]
pub struct SupplyYears {
    pub rows: Vec<YearRow>,
    /// Year → corridors that carry flow through the zone (gas with route data only).
    pub corridors_through_zone: BTreeMap<i32, BTreeSet<String>>,
}

/// Imports by year with their exposure to the zone, derived from the network of each year
/// (`net` holds every year). An empty result is an error naming what is missing.
pub fn supply_years(
    data: &SupplyData,
    net: &Network,
    q: &SupplyQuery,
) -> Result<SupplyYears, RequestError> {
    let o = &q.options;
    let routes: Vec<RouteRow> = data
        .routes
        .iter()
        .filter(|r| r.country == o.country)
        .cloned()
        .collect();
    // One topology per year: the network changes with commissioning years.
    let mut cache: BTreeMap<i32, ZoneCrossing> = BTreeMap::new();
    let years_present: BTreeSet<i32> = data
        .imports
        .iter()
        .map(|(_, r)| r.year)
        .filter(|y| o.from.is_none_or(|f| *y >= f) && o.to.is_none_or(|t| *y <= t))
        .collect();
    let has_routes = o.commodity == Commodity::Gas && !routes.is_empty();
    if has_routes {
        let ids = zone_element_ids(net, q.zone, q.band_m, q.snap_m);
        // The years are independent: one topology each, built in parallel.
        use rayon::prelude::*;
        cache = years_present
            .par_iter()
            .map(|&y| (y, through_zone(net, Some(y), &ids, q.snap_m)))
            .collect();
    }
    let exposure = |y: i32, supplier: &str, kind: &str| -> Option<bool> {
        supplier_exposed(&routes, &o.country, cache.get(&y)?, supplier, kind)
    };
    let rows = years(data, o, if has_routes { Some(&exposure) } else { None });
    if rows.is_empty() {
        let span = match (o.from, o.to) {
            (None, None) => String::new(),
            (Some(f), None) => format!(" from {f}"),
            (None, Some(t)) => format!(" up to {t}"),
            (Some(f), Some(t)) => format!(" between {f} and {t}"),
        };
        return Err(RequestError(format!(
            "no {} import data for {} in the supply data{span}",
            o.commodity, o.country
        )));
    }
    Ok(SupplyYears {
        rows,
        corridors_through_zone: cache.into_iter().map(|(y, z)| (y, z.through)).collect(),
    })
}
