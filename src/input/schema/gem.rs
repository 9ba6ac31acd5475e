//! Global Energy Monitor tracker route files and the Europe Gas Tracker's: lenient; a value that
//! cannot be mapped is left out and reported as a warning, never guessed.

use super::{loose, loose_number, loose_year, Attrs};
use crate::error::{DataError, Problem, Severity};
use crate::input::parse::RawFeature;
use crate::model::{CapacityUnit, Commodity, Direction, GeometryKind, Node, NodeKind};
use geo::Geometry;

/// Maps GEM's fuel names.
fn gem_commodity(fuel: &str) -> Option<Commodity> {
    let f = fuel.to_ascii_lowercase();
    let first = f.split([',', ';']).next().unwrap_or("").trim();
    match first {
        "oil" | "crude oil" | "crude" | "oil products" | "ngl" => Some(Commodity::Oil),
        "gas" | "natural gas" | "gas_pipeline" | "lng_terminal" => Some(Commodity::Gas),
        _ => None,
    }
}

/// GEM capacity units → a normalised value, where the unit is one we can convert exactly.
fn gem_capacity(value: f64, unit: &str) -> Option<(f64, Commodity)> {
    let u = unit.trim().to_ascii_lowercase();
    let (v, c) = match u.as_str() {
        "bpd" | "b/d" | "bbl/d" | "boe/d" => {
            (CapacityUnit::BarrelsPerDay.normalise(value), Commodity::Oil)
        }
        "kb/d" | "kbpd" | "kbd" => (value, Commodity::Oil),
        "mt/y" | "mtpa oil" | "mt/yr" => (CapacityUnit::MtPerYear.normalise(value), Commodity::Oil),
        "bcm/y" | "bcm/yr" | "bcm/year" | "bcm" => (value, Commodity::Gas),
        "mcm/d" | "mcm/day" => (CapacityUnit::McmPerDay.normalise(value), Commodity::Gas),
        // 1 million cubic feet = 28,316.846592 m³ (exact by definition of the foot).
        "mmcf/d" | "mmcfd" | "mmscfd" => (value * 28_316.846_592 * 365.25 / 1.0e9, Commodity::Gas),
        _ => return None,
    };
    Some((v, c))
}

pub(super) fn attrs_gem(
    file: &str,
    f: &RawFeature,
    stem: &str,
    problems: &mut Vec<Problem>,
) -> Attrs {
    let p = &f.properties;
    let place = f.place(file);
    let warn = |problems: &mut Vec<Problem>, key: &str, msg: String| {
        problems.push(Problem::new(
            &place.clone().with_property(key),
            Severity::Warning,
            msg,
        ));
    };
    let egt = p.contains_key("project");
    let corridor = loose(p, "PipelineName")
        .or_else(|| loose(p, "project"))
        .or_else(|| loose(p, "ProjectID"))
        .unwrap_or_else(|| stem.to_string());
    let name = loose(p, "SegmentName")
        .or_else(|| loose(p, "Name"))
        .or_else(|| loose(p, "unit"));
    let fuel_key = if egt { "type" } else { "Fuel" };
    let commodity = match loose(p, fuel_key) {
        Some(fuel) => gem_commodity(&fuel).unwrap_or_else(|| {
            warn(
                problems,
                fuel_key,
                format!("fuel {fuel:?} is neither oil nor gas: commodity left unknown"),
            );
            Commodity::Unknown
        }),
        None => Commodity::Unknown,
    };
    let (cap_key, unit_key) = if egt {
        ("capacity", "units")
    } else {
        ("Capacity", "CapacityUnits")
    };
    let capacity = match (loose(p, cap_key), loose(p, unit_key)) {
        (Some(v), Some(u)) => {
            match loose_number(&v) {
                Some(v) if v >= 0.0 => match gem_capacity(v, &u) {
                    Some((c, unit_commodity))
                        if commodity == Commodity::Unknown || unit_commodity == commodity =>
                    {
                        Some(c)
                    }
                    Some((_, uc)) => {
                        warn(
                            problems,
                            unit_key,
                            format!("a {uc} unit {u:?} on a {commodity} line: capacity not mapped"),
                        );
                        None
                    }
                    None => {
                        warn(problems, unit_key, format!("capacity unit {u:?} is not one corridor converts: capacity not mapped"));
                        None
                    }
                },
                _ => {
                    warn(
                        problems,
                        cap_key,
                        format!("capacity {v:?} is not a non-negative number: not mapped"),
                    );
                    None
                }
            }
        }
        (Some(v), None) => {
            warn(
                problems,
                unit_key,
                format!("capacity {v:?} has no unit: not mapped"),
            );
            None
        }
        _ => None,
    };
    let year_key = if egt { "start_year" } else { "StartYear1" };
    let commissioned = loose(p, year_key).and_then(|y| {
        let parsed = loose_year(&y);
        if parsed.is_none() {
            warn(
                problems,
                year_key,
                format!("{y:?} is not a year: commissioning year not mapped"),
            );
        }
        parsed
    });
    let decommissioned = loose(p, "StopYear").and_then(|y| {
        let parsed = loose_year(&y);
        if parsed.is_none() {
            warn(
                problems,
                "StopYear",
                format!("{y:?} is not a year: not mapped"),
            );
        }
        parsed
    });
    let status = loose(p, "Status").or_else(|| loose(p, "status"));
    let nominal_length_km = loose(p, "LengthKnownKm").and_then(|v| {
        let n = loose_number(&v).filter(|n| *n >= 0.0);
        if n.is_none() {
            warn(
                problems,
                "LengthKnownKm",
                format!("{v:?} is not a length in km: not mapped"),
            );
        }
        n
    });
    let source = Some(match loose(p, "ProjectID") {
        Some(pid) => format!("Global Energy Monitor tracker, project {pid}"),
        None => "Global Energy Monitor tracker".to_string(),
    });
    let geometry_kind = loose(p, "RouteType").map(|r| {
        if r.to_ascii_lowercase().contains("mapped") {
            GeometryKind::Mapped
        } else {
            GeometryKind::Schematic
        }
    });
    Attrs {
        id: None,
        corridor,
        name,
        commodity,
        capacity,
        direction: Direction::Forward,
        commissioned,
        decommissioned,
        status,
        nominal_length_km,
        source,
        geometry_kind,
        failure_prob: None,
    }
}

pub(super) fn node_gem(
    file: &str,
    f: &RawFeature,
    problems: &mut Vec<Problem>,
) -> Result<Node, DataError> {
    let p = &f.properties;
    let place = f.place(file);
    let name = loose(p, "project")
        .or_else(|| loose(p, "PipelineName"))
        .or_else(|| loose(p, "Name"));
    let id = f.id.clone().or_else(|| name.clone()).ok_or_else(|| {
        DataError::new(
            place.clone().with_property("project"),
            "a point with no name or id cannot become a node",
        )
    })?;
    let ty = loose(p, "type").unwrap_or_default();
    let commodity = gem_commodity(&ty);
    problems.push(Problem::new(
        &place,
        Severity::Info,
        format!("point read as a `terminal` node {id:?} without supply capacity (GEM gives terminal capacity, not send-out)"),
    ));
    let Some(Geometry::Point(point)) = f.geometry else {
        return Err(DataError::new(
            place.with_property("geometry"),
            "expected a Point",
        ));
    };
    Ok(Node {
        id,
        name,
        kind: NodeKind::Terminal,
        commodity,
        supply: None,
        demand: None,
        market: None,
        country: None,
        commissioned: loose(p, "start_year").and_then(|y| loose_year(&y)),
        decommissioned: None,
        failure_prob: None,
        point,
        file: file.to_string(),
        feature: f.index,
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::schema::file_stem;

    #[test]
    fn gem_numbers_and_years() {
        assert_eq!(loose_number("1,200,000.00"), Some(1_200_000.0));
        assert_eq!(loose_year("2006"), Some(2006));
        assert_eq!(loose_year("2"), None);
        assert_eq!(
            gem_capacity(1_200_000.0, "bpd"),
            Some((1200.0, Commodity::Oil))
        );
        assert_eq!(gem_commodity("Oil, NGL"), Some(Commodity::Oil));
        assert_eq!(file_stem("a/b/GEM_P0644.geojson"), "GEM_P0644");
    }
}
