//! The interactive map (`corridor map`, and `map.html` from `corridor report`): one
//! self-contained HTML file that opens offline in any current browser.
//!
//! The page is `assets/map/template.html` with three placeholders filled in: Leaflet's
//! stylesheet and script (Leaflet 1.9.4, BSD-2-Clause, vendored under `assets/leaflet/` and
//! embedded in the binary at build time) and `DATA`, the map's content as one JSON object of
//! GeoJSON FeatureCollections: the basemap countries, the corridors (one feature per corridor,
//! its segments as parts, with length, country split, capacity and exposure to every zone), the
//! nodes (with what cutting each costs each market), the zones, the distance bands of each zone,
//! the exposed stretches and each corridor's closest point to each zone. `assets/map/CONTRACT.md`
//! describes that object key by key and what the page does with it.
//!
//! Offline: no tile, font, image or script is loaded from anywhere; a Content-Security-Policy
//! in the page makes the browser refuse any request the page might attempt.
//!
//! Reproducible: the same data give the same bytes (keys in a fixed order, coordinates rounded to
//! 6 decimals, numbers in serde_json's shortest round-trip form, no clock, no random id).
//!
//! Measures are the analyses' own (geodesic on WGS84); the page only draws them (Leaflet's Web
//! Mercator is for display, and its scale bar is Leaflet's).

mod geojson;
pub mod i18n;

use crate::analysis::exposure::{
    band_key, exposure, validate_bands, Exposure, ExposureResult, StretchKind,
};
use crate::analysis::flow::{
    elements, market_demands, market_losses, rank, ElementKind, FlowModel, MarketLoss, RankRow,
};
use crate::analysis::routes::{routes, Route};
use crate::analysis::sorted_bands;
use crate::figures::{FigureData, Lang, BORDER_ZONE};
use crate::geodesy::{band_polygon, length_m, ZoneIndex};
use crate::input::Source;
use crate::model::{round, Commodity, GeometryKind, Network, NodeKind, Segment, Zone};
use crate::write::write_atomic;
use anyhow::{bail, Result};
use geo::{LineString, MultiPolygon, Simplify};
use geojson::{Collection, Geom};
use i18n::Labels;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The page template: markup, the page's own CSS and script, three placeholders.
pub const TEMPLATE: &str = include_str!("../../assets/map/template.html");
/// Leaflet's script, as published on the npm registry (`leaflet@1.9.4`, `dist/leaflet.js`).
pub const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
/// Leaflet's stylesheet (`dist/leaflet.css`).
pub const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");
/// Leaflet's licence (BSD-2-Clause), repeated in the template beside the inlined code.
pub const LEAFLET_LICENSE: &str = include_str!("../../assets/leaflet/LICENSE");
/// The Leaflet version embedded.
pub const LEAFLET_VERSION: &str = "1.9.4";

/// The placeholders of [`TEMPLATE`], each present exactly once.
const PLACEHOLDERS: [&str; 3] = ["/*LEAFLET_CSS*/", "/*LEAFLET_JS*/", "/*DATA*/"];

/// Exposed stretches are densified every 250 m by the exposure analysis; for drawing, the
/// vertices within this distance (degrees, about 1 m) of the line through their neighbours are
/// dropped (Ramer–Douglas–Peucker). Lengths are measured before.
pub const STRETCH_SIMPLIFY_DEG: f64 = 1e-5;

/// How to draw the map.
#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// Language of every label.
    pub lang: Lang,
    /// The zone whose bands, stretches and closest points are shown when the page opens
    /// (`None`: the Armenia–Azerbaijan border when the zones have it, else all zones). The page
    /// switches zones with a select.
    pub focus_zone: Option<String>,
}

/// The analyses the map shows, computed once: [`MapAnalyses::compute`], or borrowed from a run
/// that has them already (`corridor report`).
#[derive(Debug, Clone, Copy)]
pub struct MapAnalyses<'a> {
    /// `corridor routes`: length, country split, capacity and geometry kind per corridor.
    pub routes: &'a [Route],
    /// `corridor exposure` of every corridor × every zone of the data, with the stretches.
    pub exposure: &'a ExposureResult,
    /// The bands of `exposure`, km.
    pub bands_km: &'a [f64],
    /// Per node of the network (same order): what cutting it alone costs each market
    /// ([`market_losses`]).
    pub node_losses: &'a [Vec<MarketLoss>],
    /// N-1 rows (`corridor rank`); the rows of nodes give what cutting each costs all markets.
    pub ranking: &'a [RankRow],
    /// The distance bands of every zone ([`band_areas`]).
    pub band_areas: &'a [BandArea],
}

/// The area within a distance of a zone (geodesic, WGS84; the zone included).
#[derive(Debug, Clone)]
pub struct BandArea {
    /// Index of the zone in the zone list.
    pub zone: usize,
    pub band_km: f64,
    pub area: MultiPolygon<f64>,
}

/// The area within each band of each zone ([`band_polygon`]), zone by zone, bands ascending.
pub fn band_areas(zones: &[Zone], bands_km: &[f64]) -> Vec<BandArea> {
    let bands = sorted_bands(bands_km);
    let idx: Vec<ZoneIndex> = zones
        .par_iter()
        .map(|z| ZoneIndex::new(&z.geometry))
        .collect();
    let jobs: Vec<(usize, f64)> = (0..zones.len())
        .flat_map(|z| bands.iter().map(move |b| (z, *b)))
        .collect();
    jobs.par_iter()
        .map(|&(zone, band_km)| BandArea {
            zone,
            band_km,
            area: band_polygon(&idx[zone], band_km * 1000.0),
        })
        .collect()
}

/// The analyses of [`MapAnalyses`], owned.
#[derive(Debug, Clone)]
pub struct MapResults {
    pub routes: Vec<Route>,
    pub exposure: ExposureResult,
    pub bands_km: Vec<f64>,
    pub node_losses: Vec<Vec<MarketLoss>>,
    pub ranking: Vec<RankRow>,
    pub band_areas: Vec<BandArea>,
}

impl MapResults {
    /// Runs every analysis the map shows on `data` (bands in km, positive).
    pub fn compute(data: &FigureData, bands_km: &[f64]) -> Result<MapResults> {
        validate_bands(bands_km)?;
        let bands = sorted_bands(bands_km);
        let net = &data.network;
        let zones: Vec<&Zone> = data.zones.iter().collect();
        let (((routes, exposure), (node_losses, ranking)), band_areas) = rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || routes(net, &data.countries),
                            || exposure(net, &zones, &bands, true),
                        )
                    },
                    || node_cuts(&flow_model(data), data),
                )
            },
            || band_areas(&data.zones, &bands),
        );
        Ok(MapResults {
            routes,
            exposure,
            bands_km: bands,
            node_losses,
            ranking,
            band_areas,
        })
    }

    pub fn analyses(&self) -> MapAnalyses<'_> {
        MapAnalyses {
            routes: &self.routes,
            exposure: &self.exposure,
            bands_km: &self.bands_km,
            node_losses: &self.node_losses,
            ranking: &self.ranking,
            band_areas: &self.band_areas,
        }
    }
}

/// The flow model of `data`'s network as `disrupt` and `rank` use it: markets capped by their
/// demand in the data's year where the supply data give one.
pub fn flow_model(data: &FigureData) -> FlowModel {
    let net = &data.network;
    let model = FlowModel::new(net, &crate::topology::build(net, data.snap_m));
    let (demands, _) = market_demands(&data.supply.demand, data.year);
    model.with_demand(&demands)
}

/// What cutting each node of `data`'s network costs: per market ([`node_market_losses`]) and
/// in total (the N-1 rows of nodes).
pub fn node_cuts(model: &FlowModel, data: &FigureData) -> (Vec<Vec<MarketLoss>>, Vec<RankRow>) {
    rayon::join(
        || node_market_losses(model, &data.network),
        || {
            let els = elements(model, &data.network, &[], &[ElementKind::Node], 0.0);
            rank(model, &els, 0).rows
        },
    )
}

/// Per node of `net` (in its order): what cutting that node alone costs each market
/// ([`market_losses`]).
pub fn node_market_losses(model: &FlowModel, net: &Network) -> Vec<Vec<MarketLoss>> {
    let els = elements(model, net, &[], &[ElementKind::Node], 0.0);
    let mut by_node = vec![Vec::new(); net.nodes.len()];
    for (e, l) in els.iter().zip(market_losses(model, &els)) {
        by_node[e.index] = l;
    }
    by_node
}

/// Computes the analyses and renders the page.
pub fn build(data: &FigureData, bands_km: &[f64], opts: &MapOptions) -> Result<String> {
    let r = MapResults::compute(data, bands_km)?;
    render(data, &r.analyses(), opts)
}

/// Renders the page, then writes it atomically to `path`.
pub fn write_map(
    data: &FigureData,
    analyses: &MapAnalyses,
    opts: &MapOptions,
    path: &Path,
) -> Result<()> {
    let html = render(data, analyses, opts)?;
    write_atomic(path, html.as_bytes())
}

/// The page: the template with Leaflet and the data filled in.
pub fn render(data: &FigureData, a: &MapAnalyses, opts: &MapOptions) -> Result<String> {
    let page = page_data(data, a, opts)?;
    let json = serde_json::to_string(&page)?;
    // The page's language is also set by its script; written here it holds before any runs.
    Ok(assemble(&json)?.replacen(
        "<html lang=\"en\">",
        &format!("<html lang=\"{}\">", opts.lang.as_str()),
        1,
    ))
}

/// Fills the template's placeholders in one pass (text inserted for one is never searched for
/// another). `<` in the JSON (only ever inside strings) becomes `\u003c`, so no name can close
/// the script element or open a comment.
pub fn assemble(data_json: &str) -> Result<String> {
    let data = data_json.replace('<', "\\u003c");
    let mut at: Vec<(usize, &str, &str)> = Vec::new();
    for (ph, text) in PLACEHOLDERS
        .iter()
        .zip([LEAFLET_CSS, LEAFLET_JS, data.as_str()])
    {
        let found: Vec<usize> = TEMPLATE.match_indices(ph).map(|(i, _)| i).collect();
        if found.len() != 1 {
            bail!(
                "the map template holds {ph} {} times, not once",
                found.len()
            );
        }
        at.push((found[0], ph, text));
    }
    at.sort_by_key(|x| x.0);
    let mut out = String::with_capacity(TEMPLATE.len() + LEAFLET_JS.len() + data.len() + 20_000);
    let mut pos = 0;
    for (i, ph, text) in at {
        out.push_str(&TEMPLATE[pos..i]);
        out.push_str(text);
        pos = i + ph.len();
    }
    out.push_str(&TEMPLATE[pos..]);
    Ok(out)
}

// ------------------------------------------------------------------------------------------
// The DATA object (see assets/map/CONTRACT.md), keys in the order written.

#[derive(Serialize)]
struct PageData {
    lang: &'static str,
    labels: Labels,
    attribution: &'static str,
    focus_zone: Option<String>,
    meta: serde_json::Value,
    countries: Collection<CountryProps>,
    corridors: Collection<CorridorProps>,
    nodes: Collection<NodeProps>,
    zones: Collection<ZoneProps>,
    bands: Collection<BandProps>,
    stretches: Collection<StretchProps>,
    closest: Collection<ClosestProps>,
}

#[derive(Serialize)]
struct CountryProps {
    iso_a3: String,
    name: String,
}

#[derive(Serialize)]
struct CorridorProps {
    id: String,
    name: String,
    commodity: Commodity,
    capacity: Option<f64>,
    capacity_unit: Option<&'static str>,
    length_km: f64,
    countries: BTreeMap<String, f64>,
    geometry: Option<&'static str>,
    part_geometry: Vec<&'static str>,
    exposure: Vec<ZoneExposure>,
}

#[derive(Serialize)]
struct ZoneExposure {
    zone: String,
    zone_name: String,
    inside_km: f64,
    min_distance_km: Option<f64>,
    within_km: BTreeMapInOrder,
}

/// `{band: km}` with the bands as the CLI writes them, ascending.
struct BTreeMapInOrder(Vec<(String, f64)>);

impl Serialize for BTreeMapInOrder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct NodeProps {
    id: String,
    name: String,
    kind: NodeKind,
    commodity: Option<Commodity>,
    country: Option<String>,
    cut_losses: Vec<CutLoss>,
    cut_total: Vec<CutTotal>,
}

#[derive(Serialize)]
struct CutLoss {
    market: String,
    commodity: Commodity,
    lost: f64,
    lost_share: f64,
    unit: &'static str,
}

#[derive(Serialize)]
struct CutTotal {
    commodity: Commodity,
    lost: f64,
    lost_share: f64,
    unit: &'static str,
}

#[derive(Serialize)]
struct ZoneProps {
    id: String,
    name: String,
    kind: String,
}

#[derive(Serialize)]
struct BandProps {
    zone: String,
    band_km: f64,
}

#[derive(Serialize)]
struct StretchProps {
    corridor: String,
    zone: String,
    kind: &'static str,
    band_km: Option<f64>,
    length_km: f64,
}

#[derive(Serialize)]
struct ClosestProps {
    corridor: String,
    zone: String,
    min_distance_km: Option<f64>,
    chainage_km: Option<f64>,
}

fn page_data(data: &FigureData, a: &MapAnalyses, opts: &MapOptions) -> Result<PageData> {
    let lang = opts.lang;
    let net = &data.network;
    let zones = &data.zones;
    let zone_ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
    let focus_zone = match &opts.focus_zone {
        Some(z) => {
            crate::analysis::find_zone(zones, z)?;
            Some(z.clone())
        }
        None => zone_ids
            .contains(&BORDER_ZONE)
            .then(|| BORDER_ZONE.to_string()),
    };
    let bands = sorted_bands(a.bands_km);

    let mut countries = Collection::default();
    for c in &data.countries {
        countries.push(
            CountryProps {
                iso_a3: c.iso3.clone(),
                name: i18n::country_name(&c.name, lang),
            },
            geojson::polygons(&c.geometry.0),
        );
    }

    // Corridors: one feature per corridor (routes order), its segments as parts. Segments and
    // exposure rows by corridor, in one pass each.
    let mut segs_of: HashMap<&str, Vec<&Segment>> = HashMap::new();
    for s in &net.segments {
        segs_of.entry(s.corridor.as_str()).or_default().push(s);
    }
    let mut rows_of: HashMap<&str, Vec<&Exposure>> = HashMap::new();
    for e in &a.exposure.rows {
        rows_of.entry(e.corridor.as_str()).or_default().push(e);
    }
    let zone_names: HashMap<&str, String> = zones
        .iter()
        .map(|z| (z.id.as_str(), i18n::zone_name(&z.name, lang)))
        .collect();
    let zone_name = |id: &str| -> String {
        zone_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    let mut corridors = Collection::default();
    for r in a.routes {
        let segs: Vec<&Segment> = segs_of
            .get(r.corridor.as_str())
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|s| geojson::line(&s.line).is_some())
            .collect();
        let part_geometry = segs
            .iter()
            .map(|s| match s.geometry_kind {
                Some(GeometryKind::Schematic) => "schematic",
                _ => "mapped",
            })
            .collect();
        let exposure = rows_of
            .get(r.corridor.as_str())
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|e| ZoneExposure {
                zone: e.zone.clone(),
                zone_name: zone_name(&e.zone),
                inside_km: e.inside_km,
                min_distance_km: e.min_distance_km,
                within_km: BTreeMapInOrder(
                    e.within_km
                        .0
                        .iter()
                        .map(|(b, km)| (band_key(*b), *km))
                        .collect(),
                ),
            })
            .collect();
        let geometry = geojson::lines(segs.iter().map(|s| &s.line)).map(|g| match g {
            // Always a MultiLineString, one part per segment, so parts match `part_geometry`.
            Geom::LineString(l) => Geom::MultiLineString(vec![l]),
            g => g,
        });
        corridors.push(
            CorridorProps {
                id: r.corridor.clone(),
                name: i18n::corridor_name(&r.corridor, lang),
                commodity: r.commodity,
                capacity: r.capacity,
                capacity_unit: r.capacity_unit,
                length_km: r.length_km,
                countries: r.countries.clone(),
                geometry: r.geometry,
                part_geometry,
                exposure,
            },
            geometry,
        );
    }

    // Nodes, with what cutting each costs each market and all markets.
    let mut totals_of: HashMap<&str, Vec<&RankRow>> = HashMap::new();
    for r in a.ranking.iter().filter(|r| r.kind == ElementKind::Node) {
        totals_of.entry(r.id.as_str()).or_default().push(r);
    }
    let mut nodes = Collection::default();
    for (i, n) in net.nodes.iter().enumerate() {
        let mut cut_losses: Vec<CutLoss> = a
            .node_losses
            .get(i)
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|m| round(m.lost, 3) > 0.0)
            .map(|m| CutLoss {
                market: i18n::market_name(&m.market, lang),
                commodity: m.commodity,
                lost: round(m.lost, 3),
                lost_share: round(m.lost_share, 6),
                unit: m.unit,
            })
            .collect();
        cut_losses.sort_by(|x, y| {
            x.commodity
                .as_str()
                .cmp(y.commodity.as_str())
                .then(y.lost.total_cmp(&x.lost))
                .then(x.market.cmp(&y.market))
        });
        let mut cut_total: Vec<CutTotal> = totals_of
            .get(n.id.as_str())
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|r| round(r.lost, 3) > 0.0)
            .map(|r| CutTotal {
                commodity: r.commodity,
                lost: round(r.lost, 3),
                lost_share: round(r.lost_share, 6),
                unit: r.unit,
            })
            .collect();
        cut_total.sort_by(|x, y| x.commodity.as_str().cmp(y.commodity.as_str()));
        nodes.push(
            NodeProps {
                id: n.id.clone(),
                name: n.name.clone().unwrap_or_else(|| n.id.clone()),
                kind: n.kind,
                commodity: n.commodity.filter(|c| *c != Commodity::Unknown),
                country: n.country.clone(),
                cut_losses,
                cut_total,
            },
            geojson::geometry(&geo::Geometry::Point(n.point)),
        );
    }

    let mut zone_fc = Collection::default();
    for z in zones {
        zone_fc.push(
            ZoneProps {
                id: z.id.clone(),
                name: i18n::zone_name(&z.name, lang),
                kind: z.kind.clone(),
            },
            geojson::geometry(&z.geometry),
        );
    }

    // Distance bands: the area within each band of each zone (geodesic), zone by zone.
    let mut band_fc = Collection::default();
    for b in a.band_areas {
        let Some(zone) = zones.get(b.zone) else {
            continue;
        };
        band_fc.push(
            BandProps {
                zone: zone.id.clone(),
                band_km: b.band_km,
            },
            geojson::polygons(&b.area.0),
        );
    }

    // Exposed stretches, measured as computed, drawn without the densification vertices.
    let mut stretches = Collection::default();
    for s in &a.exposure.stretches {
        let row = &a.exposure.rows[s.row];
        let (kind, band_km) = match s.kind {
            StretchKind::Within(b) => ("within", Some(b)),
            StretchKind::Inside => ("inside", None),
        };
        let simple: LineString<f64> = s.line.simplify(STRETCH_SIMPLIFY_DEG);
        stretches.push(
            StretchProps {
                corridor: row.corridor.clone(),
                zone: row.zone.clone(),
                kind,
                band_km,
                length_km: round(length_m(&s.line) / 1000.0, 3),
            },
            geojson::lines([&simple]),
        );
    }

    // The closest point of every corridor to every zone.
    let mut closest = Collection::default();
    for e in &a.exposure.rows {
        let (Some(lon), Some(lat)) = (e.lon, e.lat) else {
            continue;
        };
        closest.push(
            ClosestProps {
                corridor: e.corridor.clone(),
                zone: e.zone.clone(),
                min_distance_km: e.min_distance_km,
                chainage_km: e.chainage_km,
            },
            geojson::geometry(&geo::Geometry::Point(geo::Point::new(lon, lat))),
        );
    }

    let inputs: Vec<&Source> = data
        .network_sources
        .iter()
        .chain(&data.zone_sources)
        .chain(&data.basemap_sources)
        .collect();
    let meta = crate::report::meta(
        "map",
        &inputs,
        data.year,
        serde_json::json!({
            "lang": lang.as_str(),
            "bands_km": bands,
            "snap_m": data.snap_m,
            "leaflet": LEAFLET_VERSION,
        }),
    );
    Ok(PageData {
        lang: lang.as_str(),
        labels: Labels::new(lang),
        attribution: i18n::attribution(lang),
        focus_zone,
        meta,
        countries,
        corridors,
        nodes,
        zones: zone_fc,
        bands: band_fc,
        stretches,
        closest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_has_each_placeholder_once() {
        for ph in PLACEHOLDERS {
            assert_eq!(TEMPLATE.matches(ph).count(), 1, "{ph}");
        }
        // The inserted texts cannot close their elements.
        assert!(!LEAFLET_CSS.contains("</style"));
        assert!(!LEAFLET_JS.contains("</script"));
        assert!(LEAFLET_JS.contains(&format!("Leaflet {LEAFLET_VERSION}")));
        assert!(LEAFLET_LICENSE.contains("BSD 2-Clause"));
        assert!(TEMPLATE.contains(&format!("Leaflet {LEAFLET_VERSION}")));
    }

    #[test]
    fn assembly_escapes_and_fills_once() {
        let html = assemble(r#"{"name":"</script><!-- /*DATA*/"}"#).unwrap();
        assert!(html.contains(r#"const DATA = {"name":"\u003c/script>\u003c!-- /*DATA*/"};"#));
        assert!(!html.contains("/*LEAFLET_JS*/"));
        assert_eq!(
            html.matches("</script>").count(),
            TEMPLATE.matches("</script>").count()
        );
    }
}
