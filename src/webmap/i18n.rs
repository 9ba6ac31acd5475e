//! Every word the map shows, in English and Indonesian: the page's labels (the `labels` object
//! of the page's data), the attribution line, and the display names of corridors, zones,
//! countries and markets. Units, commodities and the place names the figures share come from
//! [`crate::figures::i18n`], so a word is translated once for both.

use crate::figures::i18n::L;
use crate::figures::Lang;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The page's UI strings: (key, English, Indonesian). `{name}` placeholders are filled by the
/// page. The keys are the data contract's (`assets/map/CONTRACT.md`).
const LABELS: &[(&str, &str, &str)] = &[
    (
        "title",
        "Energy corridors: exposure map",
        "Koridor energi: peta keterpaparan",
    ),
    ("layer_countries", "Countries", "Negara"),
    ("layer_corridors_gas", "Gas corridors", "Koridor gas"),
    ("layer_corridors_oil", "Oil corridors", "Koridor minyak"),
    ("layer_corridors_other", "Other corridors", "Koridor lain"),
    ("layer_zones", "Zones", "Zona"),
    ("layer_bands", "Distance bands", "Pita jarak"),
    ("layer_stretches", "Exposed stretches", "Ruas terpapar"),
    ("layer_closest", "Closest points", "Titik terdekat"),
    ("layer_nodes", "Nodes", "Simpul"),
    (
        "focus_heading",
        "Bands, stretches and closest points of",
        "Pita, ruas dan titik terdekat dari",
    ),
    ("focus_all", "all zones", "semua zona"),
    ("legend_title", "Legend", "Keterangan"),
    (
        "legend_width",
        "Line width: capacity",
        "Tebal garis: kapasitas",
    ),
    (
        "legend_schematic",
        "Schematic route (approximate)",
        "Rute skematis (perkiraan)",
    ),
    ("legend_bands", "Distance from the zone", "Jarak dari zona"),
    ("legend_zone_area", "Zone (area)", "Zona (wilayah)"),
    (
        "legend_zone_territory",
        "Zone (a whole territory)",
        "Zona (seluruh wilayah)",
    ),
    ("legend_zone_line", "Zone (line)", "Zona (garis)"),
    ("legend_zone_point", "Zone (point)", "Zona (titik)"),
    (
        "legend_stretch_within",
        "Exposed stretch (within a band)",
        "Ruas terpapar (dalam pita)",
    ),
    (
        "legend_stretch_inside",
        "Stretch inside the zone",
        "Ruas di dalam zona",
    ),
    (
        "legend_closest",
        "Closest point to the zone",
        "Titik terdekat ke zona",
    ),
    ("popup_commodity", "Commodity", "Komoditas"),
    ("popup_capacity", "Capacity", "Kapasitas"),
    ("popup_length", "Length", "Panjang"),
    ("popup_route", "Route", "Rute"),
    ("popup_countries", "Length by country", "Panjang per negara"),
    ("popup_exposure", "Exposure", "Keterpaparan"),
    ("popup_zone", "Zone", "Zona"),
    ("popup_inside", "Inside", "Di dalam"),
    ("popup_min_distance", "Closest", "Terdekat"),
    ("popup_within", "≤ {band} km", "≤ {band} km"),
    ("popup_kind", "Kind", "Jenis"),
    ("popup_id", "ID", "ID"),
    ("popup_country", "Country", "Negara"),
    (
        "popup_cut",
        "If this node is cut",
        "Jika simpul ini terputus",
    ),
    ("popup_market", "Market", "Pasar"),
    ("popup_lost", "Lost", "Hilang"),
    ("popup_share", "Share", "Porsi"),
    ("popup_cut_total", "All markets", "Semua pasar"),
    (
        "popup_no_loss",
        "Cutting it costs no market anything.",
        "Tidak ada pasar yang kehilangan pasokan.",
    ),
    (
        "popup_closest",
        "Closest point of {corridor} to {zone}",
        "Titik terdekat {corridor} ke {zone}",
    ),
    ("popup_distance", "Distance", "Jarak"),
    (
        "popup_band",
        "Within {band} km of {zone}",
        "Dalam {band} km dari {zone}",
    ),
    (
        "popup_stretch_within",
        "{corridor}: within {band} km of {zone}",
        "{corridor}: dalam {band} km dari {zone}",
    ),
    (
        "popup_stretch_inside",
        "{corridor}: inside {zone}",
        "{corridor}: di dalam {zone}",
    ),
    (
        "unassigned",
        "at sea / outside the basemap",
        "di laut / di luar peta dasar",
    ),
    ("geometry_mapped", "mapped", "terpetakan"),
    (
        "geometry_schematic",
        "schematic (approximate)",
        "skematis (perkiraan)",
    ),
    ("geometry_mixed", "partly schematic", "sebagian skematis"),
    ("no_data", "no data", "tidak ada data"),
];

/// Node kinds: (kind, English, Indonesian).
const NODE_KINDS: &[(&str, &str, &str)] = &[
    ("supply", "Supply", "Pasokan"),
    ("market", "Market", "Pasar"),
    ("junction", "Junction", "Percabangan"),
    ("border", "Border crossing", "Titik lintas batas"),
    ("station", "Compressor station", "Stasiun kompresor"),
    ("terminal", "Terminal", "Terminal"),
];

/// Zone kinds of the default zones: (kind, English, Indonesian). Other kinds show as written.
const ZONE_KINDS: &[(&str, &str, &str)] = &[
    ("border", "Border", "Perbatasan"),
    ("district", "District", "Distrik"),
    ("chokepoint", "Chokepoint", "Titik sempit"),
    ("territory", "Territory", "Wilayah"),
];

/// Display names of the default dataset's corridors: (id, English, Indonesian). Other
/// corridors are shown by their id.
const CORRIDORS: &[(&str, &str, &str)] = &[
    (
        "BTC",
        "Baku–Tbilisi–Ceyhan (BTC)",
        "Baku–Tbilisi–Ceyhan (BTC)",
    ),
    (
        "SCP",
        "South Caucasus Pipeline (SCP)",
        "Pipa Kaukasus Selatan (SCP)",
    ),
    (
        "TANAP",
        "Trans-Anatolian Pipeline (TANAP)",
        "Pipa Trans-Anatolia (TANAP)",
    ),
    (
        "TAP",
        "Trans Adriatic Pipeline (TAP)",
        "Pipa Trans-Adriatik (TAP)",
    ),
    (
        "WREP",
        "Western Route Export Pipeline (Baku–Supsa)",
        "Pipa Ekspor Rute Barat (Baku–Supsa)",
    ),
    ("BLUE-STREAM", "Blue Stream", "Blue Stream"),
    ("TURKSTREAM", "TurkStream", "TurkStream"),
    (
        "TRANS-BALKAN",
        "Trans-Balkan line (Malkoçlar–Ankara)",
        "Jalur Trans-Balkan (Malkoçlar–Ankara)",
    ),
    (
        "IRAN-TR",
        "Iran–Türkiye (Tabriz–Ankara)",
        "Iran–Türkiye (Tabriz–Ankara)",
    ),
    (
        "TURKGOZU-ERZURUM",
        "Türkgözü–Erzurum (BOTAŞ)",
        "Türkgözü–Erzurum (BOTAŞ)",
    ),
];

/// Country names the figures' [`L::place`] does not translate: (Natural Earth name, English,
/// Indonesian). Natural Earth's "Turkey" is shown as the country's own name, as everywhere else
/// in corridor.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("Turkey", "Türkiye", "Türkiye"),
    ("Bosnia and Herz.", "Bosnia and Herz.", "Bosnia dan Herz."),
    ("Croatia", "Croatia", "Kroasia"),
    ("Cyprus", "Cyprus", "Siprus"),
    ("Hungary", "Hungary", "Hongaria"),
    ("Iraq", "Iraq", "Irak"),
    ("North Macedonia", "North Macedonia", "Makedonia Utara"),
    ("Syria", "Syria", "Suriah"),
    ("Ukraine", "Ukraine", "Ukraina"),
    ("Vatican", "Vatican", "Vatikan"),
];

fn pick(
    table: &[(&str, &'static str, &'static str)],
    key: &str,
    lang: Lang,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, id)| L::new(lang).p(en, id))
}

/// The attribution line under the map (after "Leaflet").
pub fn attribution(lang: Lang) -> &'static str {
    L::new(lang).p(
        "Natural Earth; Global Energy Monitor (CC BY 4.0); © OpenStreetMap contributors (ODbL)",
        "Natural Earth; Global Energy Monitor (CC BY 4.0); © kontributor OpenStreetMap (ODbL)",
    )
}

/// A corridor's display name: the default dataset's corridors by name, others by their id.
pub fn corridor_name(id: &str, lang: Lang) -> String {
    pick(CORRIDORS, id, lang).unwrap_or(id).to_string()
}

/// A zone's name in the language: the default zones' patterns (`X border`, `X district`,
/// `X (territory)`) and names translated, anything else as given.
pub fn zone_name(name: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    match name {
        "Ganja gap" => return L::new(lang).place(name),
        "Ganja municipality" => return "Kota Ganja".into(),
        _ => {}
    }
    if let Some(x) = name.strip_suffix(" border") {
        format!("Perbatasan {x}")
    } else if let Some(x) = name.strip_suffix(" district") {
        format!("Distrik {x}")
    } else if let Some(x) = name.strip_suffix(" (territory)") {
        format!("{x} (wilayah)")
    } else {
        name.to_string()
    }
}

/// A basemap country's name in the language.
pub fn country_name(name: &str, lang: Lang) -> String {
    pick(COUNTRIES, name, lang)
        .map(str::to_string)
        .unwrap_or_else(|| L::new(lang).place(name))
}

/// A market's name in the language (the figures' place names).
pub fn market_name(name: &str, lang: Lang) -> String {
    L::new(lang).place(name)
}

/// The `labels` object of the page's data: every UI string, then the commodities, node kinds,
/// zone kinds and units, in a fixed order.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub lang: Lang,
}

impl Labels {
    pub fn new(lang: Lang) -> Labels {
        Labels { lang }
    }
}

/// A nested `{key: text}` object.
struct Group<'a>(Vec<(&'a str, String)>);

impl Serialize for Group<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = L::new(self.lang);
        let group = |t: &[(&'static str, &'static str, &'static str)]| {
            Group(
                t.iter()
                    .map(|(k, en, id)| (*k, l.p(en, id).to_string()))
                    .collect(),
            )
        };
        let mut m = s.serialize_map(None)?;
        for (k, en, id) in LABELS {
            m.serialize_entry(k, l.p(en, id))?;
        }
        m.serialize_entry(
            "commodities",
            &Group(vec![
                ("gas", l.commodity("gas")),
                ("oil", l.commodity("oil")),
            ]),
        )?;
        m.serialize_entry("node_kinds", &group(NODE_KINDS))?;
        m.serialize_entry("zone_kinds", &group(ZONE_KINDS))?;
        m.serialize_entry(
            "units",
            &Group(vec![
                ("bcm/y", l.unit("bcm/y")),
                ("kb/d", l.unit("kb/d")),
                ("km", "km".to_string()),
            ]),
        )?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_in_both_languages() {
        for (k, en, id) in LABELS.iter().chain(NODE_KINDS).chain(ZONE_KINDS) {
            assert!(!en.is_empty() && !id.is_empty(), "{k}");
        }
        let en = serde_json::to_value(Labels::new(Lang::En)).unwrap();
        let id = serde_json::to_value(Labels::new(Lang::Id)).unwrap();
        assert_eq!(en["title"], "Energy corridors: exposure map");
        assert_eq!(id["title"], "Koridor energi: peta keterpaparan");
        assert_eq!(id["units"]["bcm/y"], "miliar m³/tahun");
        assert_eq!(id["commodities"]["oil"], "Minyak");
        assert_eq!(
            en.as_object().unwrap().keys().collect::<Vec<_>>(),
            id.as_object().unwrap().keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            zone_name("Armenia–Azerbaijan border", Lang::Id),
            "Perbatasan Armenia–Azerbaijan"
        );
        assert_eq!(zone_name("Tovuz district", Lang::Id), "Distrik Tovuz");
        assert_eq!(zone_name("Ganja gap", Lang::Id), "Celah Ganja");
        assert_eq!(zone_name("Ganja gap", Lang::En), "Ganja gap");
        assert_eq!(country_name("Turkey", Lang::En), "Türkiye");
        assert_eq!(country_name("Greece", Lang::Id), "Yunani");
        assert_eq!(
            corridor_name("SCP", Lang::Id),
            "Pipa Kaukasus Selatan (SCP)"
        );
        assert_eq!(corridor_name("X-1", Lang::En), "X-1");
        assert_eq!(market_name("Ceyhan export", Lang::Id), "Ekspor Ceyhan");
    }
}
