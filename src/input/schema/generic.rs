//! The generic schema: files that are neither ours nor GEM's nor OpenStreetMap's — a regulator's
//! or a company's layer, a drawing tool's export, a file without properties. Lenient: a name, a
//! segment name, a commodity, a capacity with its unit, a status and a length in km are read
//! from the fields such layers commonly use (below); nothing else is guessed, and a value in a
//! commodity field that names no commodity is reported.
//!
//! The commodity vocabulary ([`commodity_of`]) is shared by every lenient schema (GEM's `Fuel`,
//! OpenStreetMap's `substance`).

use super::gem;
use super::{first_loose, first_name, loose, loose_name, loose_number, Attrs, Quantity};
use crate::error::{Place, Problem, Severity};
use crate::input::parse::RawFeature;
use crate::input::props::{Prop, Properties};
use crate::model::{CapacityUnit, Commodity};

/// Fields that name a pipeline: each names its feature's corridor.
pub(super) const PIPELINE_KEYS: [&str; 17] = [
    "PipelineName",
    "PipelineNa",
    "Pipeline_Name",
    "PIPELINE_NAME",
    "PIPELINENAME",
    "PIPELINE_N",
    "Pipel_Name",
    "PIPE_NAME",
    "PIPELINE",
    "Pipeline",
    "PrjName",
    "ProjectName",
    "Project_Name",
    "DUCTO",
    "nombre_gasoducto",
    "NMOleoduto",
    "Nome_Dut_1",
];

/// Plain name fields (`name`, `Name`, `NAME`, `NOMBRE`, ...): they name the file's corridor when
/// every feature that has one has the same; when they differ they name segments (a layer's
/// sections, laterals, ways), and the corridor is the project (the file's name).
pub(super) const NAME_KEYS: [&str; 20] = [
    "LineName",
    "LINE_NAME",
    "RouteName",
    "ROUTE_NAME",
    "ENGROUTENAME",
    "NOMBRE",
    "Nombre",
    "nombre",
    "NOME",
    "Nome",
    "Nom",
    "NOM",
    "name",
    "Name",
    "NAME",
    "name:en",
    "NAME_EN",
    "full_name",
    "official_name",
    "Label",
];

/// Do the features that carry a plain name all carry the same one (so that it names the file's
/// pipeline)?
pub(super) fn plain_names_agree(features: &[RawFeature]) -> bool {
    let mut seen: Option<String> = None;
    for f in features {
        if f.geometry.is_none() {
            continue;
        }
        if let Some(n) = first_name(&f.properties, &NAME_KEYS) {
            match &seen {
                None => seen = Some(n),
                Some(s) if *s == n => {}
                Some(_) => return false,
            }
        }
    }
    true
}

/// Fields that name a segment of the pipeline.
const SEGMENT_KEYS: [&str; 9] = [
    "SegmentName",
    "SegmentNam",
    "Segment_Name",
    "SEGMENT",
    "Segment",
    "TRAMO",
    "Tramo",
    "TRECHO",
    "Trecho",
];

/// Fields whose value is a commodity: a value that names none is reported.
const COMMODITY_KEYS: [&str; 36] = [
    "Fuel",
    "fuel",
    "FUEL",
    "fuel_type",
    "FuelType",
    "Product",
    "product",
    "PRODUCT",
    "Products",
    "Productos",
    "PRODUCTOS",
    "Produtos",
    "PRODUTOS",
    "produto",
    "Produto",
    "ProductTyp",
    "ProductType",
    "Commodity",
    "commodity",
    "COMMODITY",
    "COMMODITY1",
    "Commod2",
    "Commodity_FRA",
    "substance",
    "SUBSTANCE",
    "SUBSTANCE1",
    "Substance",
    "FLUID",
    "Fluid",
    "fluid",
    "COMBUSTIBL",
    "Combustible",
    "COMBUSTIBLE",
    "PROD_CODE",
    "seamark:pipeline_submarine:product",
    "Medium",
];

/// Fields that may hold a commodity among other things (`Type: "Gas pipeline"` but also
/// `Type: "Lateral"`): read when the value names one, silent otherwise.
const KIND_KEYS: [&str; 9] = [
    "Type",
    "TYPE",
    "type",
    "Tipo",
    "TIPO",
    "TIPO_DUCTO",
    "FEATURE_TYPE",
    "feature_type",
    "PrjType",
];

/// Capacity fields, and the fields that give their unit.
const CAPACITY_KEYS: [&str; 6] = [
    "Capacity",
    "capacity",
    "CAPACITY",
    "Cap",
    "CAPACIDAD",
    "Capacidad",
];
const UNIT_KEYS: [&str; 11] = [
    "CapacityUnits",
    "CapacityUn",
    "Units",
    "UNITS",
    "units",
    "Unit",
    "ProductUni",
    "CapUnits",
    "Capacity_Unit",
    "capacity_unit",
    "CAP_UNITS",
];

/// Fields that give a length in km (the unit is in the name).
const LENGTH_KM_KEYS: [&str; 8] = [
    "LengthKnownKm",
    "LONG_KM",
    "longitud_km",
    "Longitud_km",
    "LONGITUD_KM",
    "LENGTH_KM",
    "Length_km",
    "length_km",
];

const STATUS_KEYS: [&str; 5] = ["Status", "status", "STATUS", "ESTADO", "Estado"];

/// Does any feature carry a field this schema reads?
pub(super) fn reads_any(features: &[RawFeature]) -> bool {
    let groups: [&[&str]; 7] = [
        &PIPELINE_KEYS,
        &NAME_KEYS,
        &SEGMENT_KEYS,
        &COMMODITY_KEYS,
        &KIND_KEYS,
        &CAPACITY_KEYS,
        &LENGTH_KM_KEYS,
    ];
    features.iter().any(|f| {
        groups
            .iter()
            .any(|g| g.iter().any(|k| f.properties.contains_key(k)))
    })
}

/// Lower case with the accents of Latin scripts taken off (`Petróleo` → `petroleo`).
fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            '₂' => '2',
            c => c,
        })
        .collect()
}

/// The commodity a value names, in the words trackers, regulators and OpenStreetMap use (English,
/// Spanish, Portuguese, French, German). A list (`Oil, NGL`, `Natural Gas / LNG`) counts by its
/// first item that names one.
///
/// - hydrogen: `hydrogen`, `H2`, `hidrógeno`, `hydrogène`, `Wasserstoff`
/// - co2: `CO2`, `carbon dioxide`, `dióxido de carbono`
/// - products (refined): `products`, `gasoline`, `diesel`, `jet fuel`, `kerosene`, `naphtha`,
///   OSM's `fuel`, `derivados`, `claros`, `poliducto` (a multi-product line), `combustoleoducto`
/// - oil (crude oil and natural gas liquids): `oil`, `crude`, `petróleo`, `oleoducto`, `NGL`,
///   `LPG`/`GLP`, `propane`, `butane`, `ethane`, `Y-grade`, `HVL`, `condensate`, `hydrocarbons`
/// - gas: `gas`, `natural gas`, `gaz`, `gasoducto`, `LNG`, `CNG`, `methane`, `Erdgas`
///
/// ```
/// use corridor::input::schema::commodity_of;
/// use corridor::model::Commodity;
/// assert_eq!(commodity_of("Natural Gas"), Some(Commodity::Gas));
/// assert_eq!(commodity_of("PETROLEO CRUDO"), Some(Commodity::Oil));
/// assert_eq!(commodity_of("Diesel,Gasoline"), Some(Commodity::Products));
/// assert_eq!(commodity_of("Liquid Petroleum Gas"), Some(Commodity::Oil));
/// assert_eq!(commodity_of("Hydrogen"), Some(Commodity::Hydrogen));
/// assert_eq!(commodity_of("Lateral"), None);
/// ```
pub fn commodity_of(value: &str) -> Option<Commodity> {
    let v = fold(value);
    v.split([',', ';', '/', '+', '&', '|'])
        .find_map(|item| classify(item.trim()))
}

fn classify(item: &str) -> Option<Commodity> {
    let words: Vec<&str> = item
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let has = |w: &str| words.contains(&w);
    let any = |ws: &[&str]| ws.iter().any(|w| has(w));
    if any(&[
        "hydrogen",
        "h2",
        "hidrogeno",
        "hydrogene",
        "wasserstoff",
        "hidrogenio",
    ]) {
        return Some(Commodity::Hydrogen);
    }
    if has("co2") || (has("carbon") && has("dioxide")) || has("dioxido") {
        return Some(Commodity::Co2);
    }
    // Liquefied petroleum gas is a natural gas liquid, not gas.
    if any(&["lpg", "glp"]) || (has("petroleum") && has("gas")) {
        return Some(Commodity::Oil);
    }
    if has("fuel") && has("gas") {
        return Some(Commodity::Gas);
    }
    if any(&[
        "products",
        "product",
        "gasoline",
        "gasolina",
        "gasolinas",
        "diesel",
        "jet",
        "kerosene",
        "kerosine",
        "naphtha",
        "fuel",
        "fuels",
        "refined",
        "derivados",
        "claros",
        "poliducto",
        "poliductos",
        "polyduct",
        "multiproduct",
        "combustoleoducto",
    ]) {
        return Some(Commodity::Products);
    }
    if any(&[
        "oil",
        "crude",
        "petroleo",
        "petroleum",
        "petrole",
        "oleoducto",
        "oleoductos",
        "oleoduto",
        "oleodutos",
        "oleoduc",
        "ngl",
        "ngls",
        "propane",
        "propano",
        "propanoducto",
        "butane",
        "butano",
        "isobutane",
        "ethane",
        "etano",
        "hvl",
        "condensate",
        "condensado",
        "hydrocarbons",
        "erdol",
    ]) || (has("y") && has("grade"))
    {
        return Some(Commodity::Oil);
    }
    if any(&[
        "gas",
        "gases",
        "gaz",
        "gasoducto",
        "gasoductos",
        "gasoduto",
        "gasodutos",
        "gazoduc",
        "lng",
        "cng",
        "methane",
        "erdgas",
        "naturalgas",
        "natgas",
    ]) {
        return Some(Commodity::Gas);
    }
    None
}

/// The commodity a feature's fields name: the first commodity field that names one, else the
/// first kind field that does (then `true`: a weak reading — a drawing tool's `Type: "Gas
/// pipeline"` on a hydrogen line). A commodity field that names none is reported (when no other
/// field names one).
pub(super) fn commodity(
    file: &str,
    f: &RawFeature,
    problems: &mut Vec<Problem>,
) -> Option<(Commodity, bool)> {
    let p = &f.properties;
    let mut unread: Option<(&str, String)> = None;
    for k in COMMODITY_KEYS {
        let Some(v) = loose(p, k) else { continue };
        match commodity_of(&v) {
            Some(c) => return Some((c, false)),
            None => {
                unread.get_or_insert((k, v));
            }
        }
    }
    if let Some(c) = KIND_KEYS
        .iter()
        .find_map(|k| loose(p, k).and_then(|v| commodity_of(&v)))
    {
        return Some((c, true));
    }
    if let Some((k, v)) = unread {
        problems.push(Problem::new(
            &f.place(file).with_property(k),
            Severity::Warning,
            format!(
                "{v:?} is not a commodity corridor reads ({}): commodity left unknown",
                Commodity::NAMES.join(", ")
            ),
        ));
    }
    None
}

/// A capacity: a capacity field with a unit field, or a value that carries its unit
/// (`"1.8 (BCFD)"`, `"31.5 bcm"`). A capacity without a unit is reported, never guessed.
pub(super) fn quantity(
    p: &Properties,
    place: &Place,
    problems: &mut Vec<Problem>,
) -> Option<Quantity> {
    let (key, v) = first_loose(p, &CAPACITY_KEYS)?;
    if first_loose(p, &UNIT_KEYS).is_some() {
        return gem::quantity(p, key, &UNIT_KEYS, place, problems);
    }
    if let Some(Prop::String(s)) = p.get(key) {
        let s = s.trim();
        let cut = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(s.len());
        let (num, unit) = s.split_at(cut);
        let unit = unit.trim().trim_start_matches('(').trim_end_matches(')');
        if let (Some(value), Some(u)) = (loose_number(num), CapacityUnit::parse_loose(unit)) {
            return Some(Quantity {
                value,
                unit: u,
                unit_text: unit.to_string(),
                unit_key: key,
            });
        }
    }
    problems.push(Problem::new(
        &place.clone().with_property(key),
        Severity::Warning,
        format!("capacity {v:?} has no unit corridor converts: not mapped"),
    ));
    None
}

/// A line's attributes from the common fields; `names_agree`: see [`plain_names_agree`].
pub(super) fn attrs_generic(
    file: &str,
    f: &RawFeature,
    names_agree: bool,
    problems: &mut Vec<Problem>,
) -> Attrs {
    let p = &f.properties;
    let place = f.place(file);
    let length = first_loose(p, &LENGTH_KM_KEYS).and_then(|(k, v)| {
        let n = loose_number(&v).filter(|n| *n >= 0.0);
        if n.is_none() {
            problems.push(Problem::new(
                &place.clone().with_property(k),
                Severity::Warning,
                format!("{v:?} is not a length in km: not mapped"),
            ));
        }
        n
    });
    let (commodity, commodity_weak) =
        commodity(file, f, problems).unwrap_or((Commodity::Unknown, false));
    let plain = first_name(p, &NAME_KEYS);
    let (corridor, name) = match first_name(p, &PIPELINE_KEYS) {
        Some(pipeline) => (pipeline, first_name(p, &SEGMENT_KEYS).or(plain)),
        None if names_agree => (plain.unwrap_or_default(), first_name(p, &SEGMENT_KEYS)),
        None => (String::new(), first_name(p, &SEGMENT_KEYS).or(plain)),
    };
    Attrs {
        corridor,
        name,
        commodity,
        commodity_weak,
        quantity: quantity(p, &place, problems),
        status: STATUS_KEYS.iter().find_map(|k| loose_name(p, k)),
        nominal_length_km: length,
        ..Attrs::default()
    }
}

/// A station's name (HIFLD's compressor layer: `NAME`).
pub(super) fn station_name(p: &Properties) -> Option<String> {
    first_name(
        p,
        &[
            "NAME",
            "Name",
            "name",
            "STATION_NAME",
            "StationName",
            "COMP_NAME",
            "NOMBRE",
            "Nombre",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabularies_of_the_route_repository() {
        use Commodity::*;
        for (v, c) in [
            ("Natural Gas", Some(Gas)),
            ("Gas", Some(Gas)),
            ("GAS NATURAL", Some(Gas)),
            ("Natural Gas / LNG", Some(Gas)),
            ("Gaz", Some(Gas)),
            ("Gas pipeline", Some(Gas)),
            ("NATURAL GAS COMPRESSOR STATION", Some(Gas)),
            ("gas_pipeline", Some(Gas)),
            ("Crude Oil", Some(Oil)),
            ("Oil", Some(Oil)),
            ("Oil, NGL", Some(Oil)),
            ("CRUDE", Some(Oil)),
            ("HVL", Some(Oil)),
            ("Oleoducto", Some(Oil)),
            ("PETRÓLEO", Some(Oil)),
            ("MEZCLA PROPANO-BUTANO LICUADO", Some(Oil)),
            ("y-grade", Some(Oil)),
            ("ngl", Some(Oil)),
            ("Poliducto", Some(Products)),
            ("Combustoleoducto", Some(Products)),
            ("Derivados de petróleo", Some(Products)),
            ("Claros/GLP", Some(Products)),
            ("fuel", Some(Products)),
            ("Oil Products", Some(Products)),
            ("Hydrogen", Some(Hydrogen)),
            ("H2", Some(Hydrogen)),
            ("CO2", Some(Co2)),
            ("Carbon Dioxide", Some(Co2)),
            ("Fresh Water", None),
            ("ethylene", None),
            ("1", None),
            ("Mainline", None),
            ("G/C", None),
        ] {
            assert_eq!(commodity_of(v), c, "{v}");
        }
    }
}
