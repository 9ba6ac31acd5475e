//! OpenStreetMap-derived lines (`name`, `operator`, `substance`, `man_made=pipeline`): lenient.

use super::{loose, Attrs};
use crate::error::{Problem, Severity};
use crate::input::parse::RawFeature;
use crate::model::{Commodity, Direction, GeometryKind};

pub(super) fn attrs_osm(
    file: &str,
    f: &RawFeature,
    stem: &str,
    problems: &mut Vec<Problem>,
) -> Attrs {
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
