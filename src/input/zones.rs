//! Zone files and the basemap's country polygons.

use super::parse::{parse_collection, RawCollection, RawFeature};
use super::props::Prop;
use super::Source;
use crate::error::{DataError, DataErrors};
use crate::model::{Country, Zone};
use foldhash::{HashMap, HashMapExt};
use geo::{Geometry, MultiPolygon};

fn string_prop(
    coll_file: &str,
    f: &RawFeature,
    key: &str,
    required: bool,
) -> Result<Option<String>, DataError> {
    match f.properties.get(key) {
        Some(Prop::String(s)) if !s.trim().is_empty() => Ok(Some(s.to_string())),
        Some(Prop::Number(n)) if key == "id" => Ok(Some(n.to_string())),
        None | Some(Prop::Null) if !required => Ok(None),
        None | Some(Prop::Null) => Err(DataError::new(
            f.place(coll_file).with_property(key),
            "missing required property",
        )),
        Some(v) => Err(DataError::new(
            f.place(coll_file).with_property(key),
            format!("expected a non-empty string, found {v}"),
        )),
    }
}

/// Loads zone files: features of any geometry type with a unique `id`, a `name` and a `kind`.
pub fn load_zones(sources: &[Source]) -> Result<Vec<Zone>, DataErrors> {
    let mut zones: Vec<Zone> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for src in sources {
        let coll: RawCollection = match parse_collection(&src.name, &src.bytes) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for f in &coll.features {
            let id = match f.id.clone().map(Ok).unwrap_or_else(|| {
                string_prop(&src.name, f, "id", true).map(|o| o.unwrap_or_default())
            }) {
                Ok(id) => id,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let name = string_prop(&src.name, f, "name", false);
            let kind = string_prop(&src.name, f, "kind", false);
            let (name, kind) = match (name, kind) {
                (Ok(n), Ok(k)) => (n.unwrap_or_else(|| id.clone()), k.unwrap_or_default()),
                (Err(e), _) | (_, Err(e)) => {
                    errors.push(e);
                    continue;
                }
            };
            let Some(geometry) = f.geometry.clone() else {
                errors.push(DataError::new(
                    f.place(&src.name).with_property("geometry"),
                    "the zone has no geometry",
                ));
                continue;
            };
            if let Some(other) = seen.insert(id.clone(), src.name.clone()) {
                errors.push(DataError::new(
                    f.place(&src.name).with_property("id"),
                    format!("duplicate zone id {id:?} (also in {other})"),
                ));
                continue;
            }
            zones.push(Zone {
                id,
                name,
                kind,
                geometry,
            });
        }
    }
    DataErrors::or_ok(errors, zones)
}

/// Loads basemap countries (`iso_a3` or `ISO_A3`/`ADM0_A3`, `name`; Polygon or MultiPolygon).
pub fn load_countries(sources: &[Source]) -> Result<Vec<Country>, DataErrors> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for src in sources {
        let coll = match parse_collection(&src.name, &src.bytes) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for f in &coll.features {
            let iso =
                ["iso_a3", "ISO_A3", "ADM0_A3"]
                    .iter()
                    .find_map(|k| match f.properties.get(k) {
                        Some(Prop::String(s)) if s.len() == 3 && s != "-99" => Some(s.to_string()),
                        _ => None,
                    });
            let Some(iso3) = iso else {
                errors.push(DataError::new(
                    f.place(&src.name).with_property("iso_a3"),
                    "missing ISO 3166-1 alpha-3 code",
                ));
                continue;
            };
            let name = match f.properties.get("name") {
                Some(Prop::String(s)) => s.to_string(),
                _ => iso3.clone(),
            };
            let geometry = match &f.geometry {
                Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
                Some(Geometry::MultiPolygon(m)) => m.clone(),
                _ => {
                    errors.push(DataError::new(
                        f.place(&src.name).with_property("geometry"),
                        "a country must be a Polygon or MultiPolygon",
                    ));
                    continue;
                }
            };
            out.push(Country {
                iso3,
                name,
                geometry,
            });
        }
    }
    DataErrors::or_ok(errors, out)
}
