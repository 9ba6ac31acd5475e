//! `corridor list`: what the data hold, one row per zone, corridor, segment, node, market or
//! figure.

use super::{meta, Report};
use crate::analysis::routes::Route;
use crate::input::Source;
use crate::model::{Network, Zone};
use serde_json::{json, Map, Value};

fn report(
    what: &'static str,
    sources: &[&Source],
    year: Option<i32>,
    rows: Vec<Value>,
    columns: Vec<&'static str>,
) -> Report {
    Report {
        meta: meta("list", sources, year, json!({ "what": what })),
        member: what,
        rows: rows
            .into_iter()
            .filter_map(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .collect::<Vec<Map<String, Value>>>(),
        extra: vec![],
        table_columns: Some(columns),
    }
}

fn geometry_type(g: &geo::Geometry<f64>) -> &'static str {
    crate::input::schema::geometry_name(g)
}

/// Zones: id, name, kind and geometry type.
pub fn zones(zones: &[Zone], sources: &[&Source], year: Option<i32>) -> Report {
    let rows = zones
        .iter()
        .map(|z| json!({"id": z.id, "name": z.name, "kind": z.kind, "geometry": geometry_type(&z.geometry)}))
        .collect();
    report(
        "zones",
        sources,
        year,
        rows,
        vec!["id", "kind", "name", "geometry"],
    )
}

/// Corridors: commodity, nameplate capacity, the years their segments state, geometry (mapped or
/// schematic), length and the sources their segments cite.
pub fn corridors(
    routes: &[Route],
    net: &Network,
    sources: &[&Source],
    year: Option<i32>,
) -> Report {
    let rows = routes
        .iter()
        .map(|r| {
            let segs: Vec<_> = net
                .segments
                .iter()
                .filter(|s| s.corridor == r.corridor)
                .collect();
            let from = segs.iter().filter_map(|s| s.commissioned).min();
            let to = segs.iter().filter_map(|s| s.decommissioned).max();
            let mut cited: Vec<&str> = segs.iter().filter_map(|s| s.source.as_deref()).collect();
            cited.sort_unstable();
            cited.dedup();
            json!({"corridor": r.corridor, "commodity": r.commodity, "capacity": r.capacity,
                   "capacity_unit": r.capacity_unit, "from": from, "to": to, "geometry": r.geometry,
                   "length_km": r.length_km, "segments": r.segments, "source": cited.join("; ")})
        })
        .collect();
    report(
        "corridors",
        sources,
        year,
        rows,
        vec![
            "corridor",
            "commodity",
            "capacity",
            "capacity_unit",
            "from",
            "to",
            "geometry",
            "length_km",
            "segments",
            "source",
        ],
    )
}

/// Segments: id, corridor, commodity, capacity, direction, years, status, geometry, source.
pub fn segments(net: &Network, sources: &[&Source], year: Option<i32>) -> Report {
    let rows = net
        .segments
        .iter()
        .map(|s| {
            json!({"id": s.id, "corridor": s.corridor, "name": s.name, "commodity": s.commodity,
                   "capacity": s.capacity, "capacity_unit": s.capacity.map(|_| s.commodity.unit()),
                   "direction": s.direction, "commissioned": s.commissioned,
                   "decommissioned": s.decommissioned, "status": s.status.as_deref(),
                   "geometry": s.geometry_kind, "source": s.source})
        })
        .collect();
    report(
        "segments",
        sources,
        year,
        rows,
        vec![
            "id",
            "corridor",
            "commodity",
            "capacity",
            "capacity_unit",
            "commissioned",
            "decommissioned",
            "geometry",
        ],
    )
}

/// Nodes: id, kind, name, commodity, country, market, supply, years.
pub fn nodes(net: &Network, sources: &[&Source], year: Option<i32>) -> Report {
    let rows = net
        .nodes
        .iter()
        .map(|n| {
            json!({"id": n.id, "kind": n.kind, "name": n.name, "commodity": n.commodity,
                   "country": n.country, "market": n.market, "supply": n.supply,
                   "commissioned": n.commissioned, "decommissioned": n.decommissioned,
                   "lon": n.point.x(), "lat": n.point.y()})
        })
        .collect();
    report(
        "nodes",
        sources,
        year,
        rows,
        vec![
            "id",
            "kind",
            "commodity",
            "country",
            "market",
            "supply",
            "name",
        ],
    )
}

/// One market as `list markets` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MarketRow {
    pub market: String,
    pub commodity: crate::model::Commodity,
    /// Its market nodes.
    pub nodes: Vec<String>,
    /// The demand used for it (bcm/y), the year and source; null where there is none.
    pub demand: Option<f64>,
    pub demand_year: Option<i32>,
    pub demand_source: Option<String>,
}

/// Markets: name, commodity, its nodes, and the demand that caps it.
pub fn markets(markets: &[MarketRow], sources: &[&Source], year: Option<i32>) -> Report {
    let rows = markets
        .iter()
        .map(|m| serde_json::to_value(m).unwrap_or_default())
        .collect();
    report(
        "markets",
        sources,
        year,
        rows,
        vec![
            "market",
            "commodity",
            "demand",
            "demand_year",
            "demand_source",
            "nodes",
        ],
    )
}

/// Figures: id, title and caption.
pub fn figures(
    figs: &[(String, String, String)],
    sources: &[&Source],
    year: Option<i32>,
) -> Report {
    let rows = figs
        .iter()
        .map(|(id, title, caption)| json!({"id": id, "title": title, "caption": caption}))
        .collect();
    report(
        "figures",
        sources,
        year,
        rows,
        vec!["id", "title", "caption"],
    )
}
