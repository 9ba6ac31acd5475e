//! Global Energy Monitor tracker route files and the Europe Gas Tracker's: lenient; a value that
//! cannot be mapped is left out and reported as a warning, never guessed.
//!
//! GEM's columns are read under their full names and as a shapefile round trip cuts them to ten
//! characters (`PipelineNa`, `SegmentNam`, `CapacityUn`, `LengthKnow`, `LengthKn_1`, ...).
//! The same mapping reads the rows of the tracker's attribute table (`--attributes`).

use super::generic;
use super::{first_loose, first_name, loose, loose_number, loose_year, Attrs, Quantity};
use crate::error::{Problem, Severity};
use crate::input::parse::RawFeature;
use crate::input::props::Properties;
use crate::model::{CapacityUnit, Commodity, GeometryKind, Node, NodeKind};
use geo::Point;

/// A GEM column under its full name, then as a shapefile cuts it.
const PIPELINE_NAME: [&str; 2] = ["PipelineName", "PipelineNa"];
const SEGMENT_NAME: [&str; 2] = ["SegmentName", "SegmentNam"];
const CAPACITY_UNITS: [&str; 2] = ["CapacityUnits", "CapacityUn"];
/// GEM's derived capacity column, in bcm/y (gas and hydrogen lines only).
const CAPACITY_BCM: [&str; 2] = ["CapacityBcm/y", "CapacityBc"];
/// The known length in km (`LengthKnownKm`; in the older cut set `LengthKn_2`).
const LENGTH_KM: [&str; 2] = ["LengthKnownKm", "LengthKn_2"];
/// The known length as stated, with its unit (`LengthKnown` + `LengthKnownUnits`; cut:
/// `LengthKnow` + `LengthKn_1`; the newer cut set has `LengthKnow` in km and no unit column).
const LENGTH_RAW: [&str; 2] = ["LengthKnown", "LengthKnow"];
const LENGTH_UNITS: [&str; 2] = ["LengthKnownUnits", "LengthKn_1"];

/// Maps GEM's fuel names (`Gas`, `Oil`, `Oil, NGL`, `Hydrogen`, ...; the Europe Gas Tracker's
/// `gas_pipeline`, `lng_terminal`).
fn gem_commodity(fuel: &str) -> Option<Commodity> {
    generic::commodity_of(fuel)
}

/// A line's attributes from GEM's columns (or a row of the attribute table). What GEM's columns
/// do not give (a file with a `ProjectID` and a source layer's fields) is read as the generic
/// schema reads it.
pub(super) fn attrs_gem(file: &str, f: &RawFeature, problems: &mut Vec<Problem>) -> Attrs {
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
    let corridor = first_name(p, &PIPELINE_NAME)
        .or_else(|| loose(p, "project"))
        .unwrap_or_default();
    let name = first_name(p, &SEGMENT_NAME)
        .or_else(|| first_name(p, &["Name"]))
        .or_else(|| loose(p, "unit"));
    let fuel_key = if egt { "type" } else { "Fuel" };
    let (commodity, commodity_weak) = match loose(p, fuel_key) {
        Some(fuel) => (
            gem_commodity(&fuel).unwrap_or_else(|| {
                warn(
                    problems,
                    fuel_key,
                    format!(
                        "fuel {fuel:?} is not a commodity corridor reads ({}): commodity left unknown",
                        Commodity::NAMES.join(", ")
                    ),
                );
                Commodity::Unknown
            }),
            false,
        ),
        None => generic::commodity(file, f, problems).unwrap_or((Commodity::Unknown, false)),
    };
    let quantity = if egt {
        quantity(p, "capacity", &["units"], &place, problems)
    } else {
        // What cannot be read of `Capacity` is reported only if GEM's bcm/y column does not
        // give the capacity instead.
        let mut found = Vec::new();
        let q = match loose(p, "Capacity") {
            Some(_) => quantity(p, "Capacity", &CAPACITY_UNITS, &place, &mut found),
            None => generic::quantity(p, &place, &mut found),
        };
        match (q, bcm_column(p)) {
            (Some(q), _) => {
                problems.extend(found);
                Some(q)
            }
            (None, Some(b)) => Some(b),
            (None, None) => {
                problems.extend(found);
                None
            }
        }
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
    let geometry_kind = loose(p, "RouteType").map(|r| {
        if r.to_ascii_lowercase().contains("mapped") {
            GeometryKind::Mapped
        } else {
            GeometryKind::Schematic
        }
    });
    Attrs {
        corridor,
        name,
        commodity,
        commodity_weak,
        quantity,
        commissioned,
        decommissioned,
        status,
        nominal_length_km: length_km(p, &place, problems),
        geometry_kind,
        ..Attrs::default()
    }
}

/// A capacity column with the first of its unit columns; what cannot be read is reported.
pub(super) fn quantity(
    p: &Properties,
    cap_key: &'static str,
    unit_keys: &[&'static str],
    place: &crate::error::Place,
    problems: &mut Vec<Problem>,
) -> Option<Quantity> {
    let v = loose(p, cap_key)?;
    let warn = |problems: &mut Vec<Problem>, key: &str, msg: String| {
        problems.push(Problem::new(
            &place.clone().with_property(key),
            Severity::Warning,
            msg,
        ));
    };
    let Some(value) = loose_number(&v).filter(|v| *v >= 0.0) else {
        warn(
            problems,
            cap_key,
            format!("capacity {v:?} is not a non-negative number: not mapped"),
        );
        return None;
    };
    let Some((unit_key, u)) = first_loose(p, unit_keys) else {
        warn(
            problems,
            unit_keys.first().copied().unwrap_or(cap_key),
            format!("capacity {v:?} has no unit: not mapped"),
        );
        return None;
    };
    match CapacityUnit::parse_loose(&u) {
        Some(unit) => Some(Quantity {
            value,
            unit,
            unit_text: u,
            unit_key,
        }),
        None => {
            warn(
                problems,
                unit_key,
                format!("capacity unit {u:?} is not one corridor converts: capacity not mapped"),
            );
            None
        }
    }
}

/// GEM's derived `CapacityBcm/y` column, when the capacity itself is not given.
fn bcm_column(p: &Properties) -> Option<Quantity> {
    let (key, v) = first_loose(p, &CAPACITY_BCM)?;
    let value = loose_number(&v).filter(|v| *v >= 0.0)?;
    Some(Quantity {
        value,
        unit: CapacityUnit::BcmPerYear,
        unit_text: "bcm/y".to_string(),
        unit_key: key,
    })
}

/// The known length in km: `LengthKnownKm`, else `LengthKnown` in km or miles.
fn length_km(
    p: &Properties,
    place: &crate::error::Place,
    problems: &mut Vec<Problem>,
) -> Option<f64> {
    let warn = |problems: &mut Vec<Problem>, key: &str, msg: String| {
        problems.push(Problem::new(
            &place.clone().with_property(key),
            Severity::Warning,
            msg,
        ));
    };
    if let Some((key, v)) = first_loose(p, &LENGTH_KM) {
        let n = loose_number(&v).filter(|n| *n >= 0.0);
        if n.is_none() {
            warn(
                problems,
                key,
                format!("{v:?} is not a length in km: not mapped"),
            );
        }
        return n;
    }
    let (key, v) = first_loose(p, &LENGTH_RAW)?;
    let Some(n) = loose_number(&v).filter(|n| *n >= 0.0) else {
        warn(problems, key, format!("{v:?} is not a length: not mapped"));
        return None;
    };
    match first_loose(p, &LENGTH_UNITS) {
        None => Some(n),
        Some((_, u)) if u.eq_ignore_ascii_case("km") => Some(n),
        Some((_, u)) if ["mi", "mile", "miles"].contains(&u.to_ascii_lowercase().as_str()) => {
            // The international mile, 1,609.344 m.
            Some(n * 1.609_344)
        }
        Some((ukey, u)) => {
            warn(
                problems,
                ukey,
                format!("length unit {u:?} is neither km nor miles: length not mapped"),
            );
            None
        }
    }
}

/// A Europe Gas Tracker point (`project`, `type`): a `terminal` node named after the project.
/// Returns the node and whether it has an id of its own (else the loader generates one).
pub(super) fn node_egt(
    file: &str,
    f: &RawFeature,
    point: Point<f64>,
    problems: &mut Vec<Problem>,
) -> (Node, bool) {
    let p = &f.properties;
    let place = f.place(file);
    let name = loose(p, "project")
        .or_else(|| loose(p, "PipelineName"))
        .or_else(|| loose(p, "Name"));
    let id = f.id.clone().or_else(|| name.clone());
    let ty = loose(p, "type").unwrap_or_default();
    let commodity = gem_commodity(&ty);
    problems.push(Problem::new(
        &place,
        Severity::Info,
        format!(
            "point read as a `terminal` node {:?} without supply capacity (GEM gives terminal capacity, not send-out)",
            id.as_deref().or(name.as_deref()).unwrap_or("(generated id)")
        ),
    ));
    let named = id.is_some();
    (
        Node {
            id: id.unwrap_or_default(),
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
        },
        named,
    )
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
            CapacityUnit::parse_loose("BPD")
                .unwrap()
                .normalise_for(1_200_000.0, Commodity::Oil),
            Ok(1200.0)
        );
        assert_eq!(gem_commodity("Oil, NGL"), Some(Commodity::Oil));
        assert_eq!(gem_commodity("Hydrogen"), Some(Commodity::Hydrogen));
        assert_eq!(file_stem("a/b/GEM_P0644.geojson"), "GEM_P0644");
    }

    #[test]
    fn truncated_columns_read_like_full_ones() {
        let full = Properties::from_strings([
            ("ProjectID", "P0466"),
            ("PipelineName", "Hassi R'Mel-Arzew Gas Pipeline"),
            ("SegmentName", "Mainline"),
            ("Fuel", "Gas"),
            ("Capacity", "652.33"),
            ("CapacityUnits", "MMcf/d"),
            ("LengthKnownKm", "509"),
        ]);
        let cut = Properties::from_strings([
            ("ProjectID", "P0466"),
            ("PipelineNa", "Hassi R'Mel-Arzew Gas Pipeline"),
            ("SegmentNam", "Mainline"),
            ("Fuel", "Gas"),
            ("Capacity", "652.33"),
            ("CapacityUn", "MMcf/d"),
            ("LengthKnow", "509"),
        ]);
        let read = |p: Properties| {
            let f = RawFeature {
                index: 0,
                id: None,
                geometry: None,
                empty_geometry: None,
                properties: p,
            };
            let mut problems = Vec::new();
            let a = attrs_gem("t.geojson", &f, &mut problems);
            assert!(problems.is_empty(), "{problems:?}");
            let q = a.quantity.unwrap();
            (
                a.corridor,
                a.name,
                a.commodity,
                q.unit,
                q.value,
                a.nominal_length_km,
            )
        };
        let a = read(full);
        assert_eq!(a, read(cut));
        assert_eq!(a.0, "Hassi R'Mel-Arzew Gas Pipeline");
        assert_eq!(a.3, CapacityUnit::MmcfPerDay);
        assert_eq!(a.5, Some(509.0));
    }
}
