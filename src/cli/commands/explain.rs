//! `corridor explain ID`: everything corridor knows about one corridor, zone or node — its
//! length and country split, capacity history, exposure to every zone, what cutting it costs each
//! market, and its sources — in one report.

use crate::analysis::exposure::{exposure, DEFAULT_BANDS_KM};
use crate::analysis::flow::{disrupt, FlowModel};
use crate::analysis::routes::routes;
use crate::analysis::RequestError;
use crate::cli::{inputs, write_report, Settings, TABLE_JSON_CSV};
use crate::input::{embedded, load_countries, Source};
use crate::model::StepOwner;
use crate::report::{meta, r6, to_rows, Report};
use crate::topology;
use anyhow::Result;
use serde_json::{json, Value};

pub fn run(s: &Settings, id: &str) -> Result<i32> {
    let (v, net_srcs) = inputs::vintage(s)?;
    let net = v.network;
    let (zones, zone_srcs) = inputs::zones(s)?;
    let history = inputs::history(s)?;
    let demand = inputs::demand(s)?;
    let model = FlowModel::new(&net, &topology::build(&net, s.snap_m)).with_demand(&demand.demands);
    let sources: Vec<&Source> = net_srcs
        .iter()
        .chain(&zone_srcs)
        .chain(&demand.sources)
        .collect();

    let is_corridor = net.corridors().contains(&id);
    let zone = zones.iter().find(|z| z.id == id);
    let node = net.nodes.iter().position(|n| n.id == id);
    let (kind, row, cut, exposure_rows, steps, cited): (
        &str,
        Value,
        _,
        Vec<Value>,
        Vec<Value>,
        Vec<String>,
    ) = if is_corridor {
        let countries = load_countries(&embedded::basemap())?;
        let route = routes(&net, &countries)
            .into_iter()
            .find(|r| r.corridor == id)
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .unwrap_or_default();
        let segs: Vec<usize> = (0..net.segments.len())
            .filter(|&i| net.segments[i].corridor == id)
            .collect();
        let cut = model.cut(&segs, &[]);
        let all: Vec<&crate::model::Zone> = zones.iter().collect();
        let mut only = net.clone();
        only.segments.retain(|seg| seg.corridor == id);
        let ex = exposure(&only, &all, &DEFAULT_BANDS_KM, false);
        let seg_ids: Vec<&str> = segs.iter().map(|&i| net.segments[i].id.as_str()).collect();
        let steps = history
            .steps
            .iter()
            .filter(|st| {
                (st.owner == StepOwner::Corridor && st.id == id)
                    || (st.owner == StepOwner::Segment && seg_ids.contains(&st.id.as_str()))
            })
            .map(step_value)
            .collect();
        let mut cited: Vec<String> = segs
            .iter()
            .filter_map(|&i| net.segments[i].source.clone())
            .collect();
        cited.sort();
        cited.dedup();
        ("corridor", route, cut, to_values(&ex.rows), steps, cited)
    } else if let Some(z) = zone {
        let cut = crate::analysis::flow::zone_cut(&model, &net, z, 0.0);
        let ex = exposure(&net, &[z], &DEFAULT_BANDS_KM, false);
        let row = json!({"id": z.id, "name": z.name, "kind": z.kind,
                             "geometry": crate::input::schema::geometry_name(&z.geometry)});
        (
            "zone",
            row,
            cut,
            to_values(&ex.rows),
            Vec::new(),
            Vec::new(),
        )
    } else if let Some(n) = node {
        let nd = &net.nodes[n];
        let cut = model.cut(&[], &[n]);
        let row = json!({"id": nd.id, "name": nd.name, "kind": nd.kind, "commodity": nd.commodity,
                             "country": nd.country, "market": nd.market, "supply": nd.supply.map(r6),
                             "commissioned": nd.commissioned, "lon": nd.point.x(), "lat": nd.point.y()});
        let steps = history
            .steps
            .iter()
            .filter(|st| st.owner == StepOwner::Node && st.id == id)
            .map(step_value)
            .collect();
        ("node", row, cut, Vec::new(), steps, Vec::new())
    } else {
        let mut known: Vec<&str> = net.corridors();
        known.extend(zones.iter().map(|z| z.id.as_str()));
        known.extend(net.nodes.iter().map(|n| n.id.as_str()));
        known.sort_unstable();
        return Err(RequestError(format!(
                "{id:?} is not a corridor, zone or node id; try `corridor list corridors`, `list zones` or `list nodes` (ids: {})",
                known.join(", ")
            ))
            .into());
    };
    let (markets, _) = disrupt(&model, &cut);
    let losses: Vec<Value> = markets
        .iter()
        .filter(|m| m.lost > 0.0)
        .map(|m| {
            json!({"market": m.market, "commodity": m.commodity, "lost": r6(m.lost),
                   "of": r6(m.baseline), "lost_share": r6(m.lost_share), "unit": m.unit, "basis": m.basis})
        })
        .collect();
    let mut extra: Vec<(&'static str, Value)> = vec![
        ("cutting_it_costs", Value::Array(losses)),
        ("exposure", Value::Array(exposure_rows)),
        ("capacity_history", Value::Array(steps)),
    ];
    if !cited.is_empty() {
        extra.push(("sources", json!(cited)));
    }
    let report = Report {
        meta: meta("explain", &sources, s.year, json!({"id": id, "kind": kind})),
        member: kind_member(kind),
        rows: to_rows(&[row]),
        extra,
        table_columns: None,
    };
    write_report(s, &report, &TABLE_JSON_CSV)?;
    Ok(0)
}

fn kind_member(kind: &str) -> &'static str {
    match kind {
        "corridor" => "corridor",
        "zone" => "zone",
        _ => "node",
    }
}

fn to_values<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .map(|i| serde_json::to_value(i).unwrap_or_default())
        .collect()
}

fn step_value(st: &crate::model::CapacityStep) -> Value {
    json!({"element": match st.owner { StepOwner::Segment => "segment", StepOwner::Node => "node", StepOwner::Corridor => "corridor" },
           "id": st.id, "from": st.from, "to": st.to, "capacity": st.value, "unit": st.unit,
           "status": st.status, "source": st.source, "confidence": st.confidence})
}
