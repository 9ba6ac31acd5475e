//! OpenStreetMap-derived lines (`name`, `operator`, `substance`, `man_made=pipeline`): lenient.

use super::{commodity_of, loose, Attrs};
use crate::error::{Problem, Severity};
use crate::input::parse::RawFeature;
use crate::model::{Commodity, GeometryKind};

pub(super) fn attrs_osm(file: &str, f: &RawFeature, problems: &mut Vec<Problem>) -> Attrs {
    let p = &f.properties;
    let place = f.place(file);
    let name = loose(p, "name").or_else(|| loose(p, "name:en"));
    let substance = loose(p, "substance").map(|s| ("substance", s)).or_else(|| {
        loose(p, "seamark:pipeline_submarine:product")
            .map(|s| ("seamark:pipeline_submarine:product", s))
    });
    let commodity = match substance {
        Some((key, s)) => commodity_of(&s).unwrap_or_else(|| {
            problems.push(Problem::new(
                &place.clone().with_property(key),
                Severity::Warning,
                format!(
                    "substance {s:?} is not a commodity corridor reads ({}): commodity left unknown",
                    Commodity::NAMES.join(", ")
                ),
            ));
            Commodity::Unknown
        }),
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
        corridor: name.clone().unwrap_or_default(),
        name,
        commodity,
        source: Some(match loose(p, "@id") {
            Some(osm) => format!("© OpenStreetMap contributors ({osm})"),
            None => "© OpenStreetMap contributors".to_string(),
        }),
        geometry_kind: Some(GeometryKind::Mapped),
        ..Attrs::default()
    }
}
