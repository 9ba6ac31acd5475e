//! The contract's own schema (`corridor`, `commodity`, `capacity`, ...). Strict: a missing
//! required property, a wrong type, a negative capacity or an unknown unit is an error.

use super::{Attrs, Props};
use crate::error::DataError;
use crate::input::parse::RawFeature;
use crate::input::props::Prop;
use crate::model::{Commodity, Direction, GeometryKind, Node, NodeKind};
use geo::Geometry;

pub(super) fn attrs_corridor(file: &str, f: &RawFeature) -> Result<Attrs, Vec<DataError>> {
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
                    format!(
                        "unknown commodity {c:?}: expected one of {}",
                        Commodity::NAMES.join(", ")
                    ),
                );
                Commodity::Unknown
            }
        },
    };
    let capacity = p.quantity("capacity", "capacity_unit", commodity);
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
        capacity,
        direction,
        commissioned,
        decommissioned,
        status,
        nominal_length_km,
        source,
        geometry_kind,
        failure_prob,
        quantity: None,
        commodity_weak: false,
    })
}

pub(super) fn node_corridor(file: &str, f: &RawFeature) -> Result<Node, DataError> {
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
                    format!(
                        "unknown commodity {c:?}: expected one of {}",
                        Commodity::NAMES.join(", ")
                    ),
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
    let node_commodity = commodity.unwrap_or(Commodity::Unknown);
    let supply = p.quantity("supply", "supply_unit", node_commodity);
    if kind == Some(NodeKind::Supply) && supply.is_none() && p.get("supply").is_none() {
        p.err(
            "supply",
            "missing: a supply node needs `supply` and `supply_unit`",
        );
    }
    let demand = p.quantity("demand", "demand_unit", node_commodity);
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
        supply,
        demand,
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
