//! The analyses behind the figures, run once per figure set, and the CSV writer.

use super::i18n::L;
use super::layout::Doc;
use super::render::Canvas;
use super::{FigureOptions, BORDER_ZONE};
use crate::analysis::exposure::{self, Exposure, DEFAULT_BANDS_KM};
use crate::analysis::flow::FlowModel;
use crate::analysis::routes::Route;
use crate::analysis::supply::{self, SupplyOptions, YearRow};
use crate::input::supply::SupplyData;
use crate::input::{embedded, load_countries, load_network, load_zones, LoadOptions, Source};
use crate::model::Commodity;
use crate::model::{Country, Network, Zone};
use anyhow::{anyhow, Result};
use std::sync::OnceLock;

/// Everything the figures draw from: the network (as it stood in `year`), zones, basemap
/// countries and supply data, with their sources for the manifest's `meta` and source lines.
#[derive(Debug, Clone)]
pub struct FigureData {
    pub network: Network,
    pub zones: Vec<Zone>,
    pub countries: Vec<Country>,
    pub supply: SupplyData,
    pub network_sources: Vec<Source>,
    pub zone_sources: Vec<Source>,
    pub basemap_sources: Vec<Source>,
    pub supply_sources: Vec<Source>,
    pub year: Option<i32>,
    /// Snapping distance for the flow topology, metres.
    pub snap_m: f64,
}

impl FigureData {
    /// Loads the given sources (any data error is returned, naming file and feature).
    #[allow(clippy::too_many_arguments)]
    pub fn load(
        network_sources: Vec<Source>,
        zone_sources: Vec<Source>,
        basemap_sources: Vec<Source>,
        supply_sources: Vec<Source>,
        opts: LoadOptions,
        year: Option<i32>,
        snap_m: f64,
    ) -> Result<FigureData> {
        let (network, _) = load_network(&network_sources, opts)?;
        FigureData::new(
            network.in_year(year),
            network_sources,
            zone_sources,
            basemap_sources,
            supply_sources,
            year,
            snap_m,
        )
    }

    /// The figures' data around a network already loaded (and filtered to the year); the zones,
    /// basemap and supply are loaded from their sources.
    pub fn new(
        network: Network,
        network_sources: Vec<Source>,
        zone_sources: Vec<Source>,
        basemap_sources: Vec<Source>,
        supply_sources: Vec<Source>,
        year: Option<i32>,
        snap_m: f64,
    ) -> Result<FigureData> {
        let zones = load_zones(&zone_sources)?;
        let countries = load_countries(&basemap_sources)?;
        let supply = SupplyData::load(&supply_sources)?;
        Ok(FigureData {
            network,
            zones,
            countries,
            supply,
            network_sources,
            zone_sources,
            basemap_sources,
            supply_sources,
            year,
            snap_m,
        })
    }

    /// The embedded default dataset.
    pub fn default_dataset() -> Result<FigureData> {
        FigureData::load(
            embedded::network(),
            embedded::zones(),
            embedded::basemap(),
            embedded::supply(),
            LoadOptions::default(),
            None,
            crate::topology::DEFAULT_SNAP_M,
        )
    }

    /// The zone a figure needs; the error names the figure.
    pub(crate) fn zone(&self, id: &str, figure: &str) -> Result<&Zone> {
        crate::analysis::find_zone(&self.zones, id).map_err(|e| {
            anyhow!("figure {figure} needs the zone {id:?}, which the zone files do not have: {e} (choose other figures with --only)")
        })
    }

    /// A short description of a set of inputs for a source line: the data folders of the
    /// embedded dataset, or the file names given.
    pub(crate) fn describe(sources: &[Source]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for s in sources {
            let p = match s.name.strip_prefix("embedded:") {
                Some(path) => match path.rsplit_once('/') {
                    Some((dir, _)) => dir.to_string(),
                    None => path.to_string(),
                },
                None => s
                    .name
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(&s.name)
                    .to_string(),
            };
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        parts.join(", ")
    }
}

/// Analyses a caller has already run on the same [`FigureData`] (`corridor report` runs them
/// for its tables and its map too): the figures use them instead of running them again. Each
/// must be exactly what the figures would compute themselves; `None` computes it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Analyses<'a> {
    /// [`crate::analysis::routes::routes`] of the data's network and basemap countries.
    pub routes: Option<&'a [Route]>,
    /// [`crate::geodesy::band_polygon`] of the border zone ([`BORDER_ZONE`]) at each of
    /// [`DEFAULT_BANDS_KM`], in that order.
    pub border_bands: Option<&'a [geo::MultiPolygon<f64>]>,
}

/// What every figure builder gets: the inputs, the language, the print settings, and the
/// shared analyses (given, or computed on first use; builders run in parallel).
pub struct Ctx<'a> {
    pub d: &'a FigureData,
    pub l: L,
    pub opts: &'a FigureOptions,
    given: Analyses<'a>,
    exposure: OnceLock<Result<Vec<Exposure>, String>>,
    model: OnceLock<FlowModel>,
}

impl<'a> Ctx<'a> {
    pub fn new(d: &'a FigureData, opts: &'a FigureOptions) -> Ctx<'a> {
        Ctx::with(d, opts, Analyses::default())
    }

    /// A context that uses the analyses `given` instead of running them.
    pub fn with(d: &'a FigureData, opts: &'a FigureOptions, given: Analyses<'a>) -> Ctx<'a> {
        Ctx {
            d,
            l: L::new(opts.lang),
            opts,
            given,
            exposure: OnceLock::new(),
            model: OnceLock::new(),
        }
    }

    /// Every corridor's summary (`corridor routes`): given, or computed here.
    pub fn routes(&self) -> std::borrow::Cow<'a, [Route]> {
        match self.given.routes {
            Some(r) => std::borrow::Cow::Borrowed(r),
            None => std::borrow::Cow::Owned(crate::analysis::routes::routes(
                &self.d.network,
                &self.d.countries,
            )),
        }
    }

    /// The distance bands of the border zone `border` ([`DEFAULT_BANDS_KM`], in order) as
    /// polygons: given, or computed here.
    pub fn border_bands(&self, border: &Zone) -> std::borrow::Cow<'a, [geo::MultiPolygon<f64>]> {
        use rayon::prelude::*;
        match self.given.border_bands {
            Some(b) if b.len() == DEFAULT_BANDS_KM.len() => std::borrow::Cow::Borrowed(b),
            _ => {
                let zi = crate::geodesy::ZoneIndex::new(&border.geometry);
                std::borrow::Cow::Owned(
                    DEFAULT_BANDS_KM
                        .par_iter()
                        .map(|b| crate::geodesy::band_polygon(&zi, b * 1000.0))
                        .collect(),
                )
            }
        }
    }

    /// A canvas of the configured width and `height_mm`.
    pub fn canvas(&self, height_mm: f64) -> Canvas {
        // Heights are given for the default width; wider figures keep the proportions,
        // narrower ones keep the height (text sizes are fixed in points, so squeezing the
        // height would squeeze the plots between them).
        let h = height_mm * (self.opts.width_mm / super::DEFAULT_WIDTH_MM).max(1.0);
        Canvas::new(self.opts.width_mm, h, self.opts.dpi)
    }

    /// The start every figure shares: a canvas `height_mm` tall at the configured width, with
    /// the title drawn; returns the document and the y just below the title.
    pub fn start(&self, height_mm: f64, title: &str) -> (Doc, f64) {
        let mut d = Doc::new(self.canvas(height_mm));
        let y = d.title(title);
        (d, y)
    }

    /// Exposure of every corridor to the Armenia–Azerbaijan border, default bands.
    pub fn border_exposure(&self, figure: &str) -> Result<&[Exposure]> {
        let zone = self.d.zone(BORDER_ZONE, figure)?;
        let r = self.exposure.get_or_init(|| {
            Ok(exposure::exposure(&self.d.network, &[zone], &DEFAULT_BANDS_KM, false).rows)
        });
        r.as_deref().map_err(|e| anyhow!("{e}"))
    }

    /// The flow model of the network.
    pub fn model(&self) -> &FlowModel {
        self.model.get_or_init(|| {
            let topo = crate::topology::build(&self.d.network, self.d.snap_m);
            FlowModel::new(&self.d.network, &topo)
        })
    }

    /// Türkiye's gas imports by year (the `corridor supply` rows).
    pub fn supply_years(&self, figure: &str) -> Result<Vec<YearRow>> {
        let rows = supply::years(
            &self.d.supply,
            &SupplyOptions {
                country: "TUR".into(),
                commodity: Commodity::Gas,
                from: None,
                to: None,
            },
            None,
        );
        if rows.is_empty() {
            anyhow::bail!(
                "figure {figure} needs Türkiye's gas imports (TUR, *_gas_imports.csv) in the supply data"
            );
        }
        Ok(rows)
    }

    fn version(&self) -> String {
        format!("corridor v{}", env!("CARGO_PKG_VERSION"))
    }

    /// The datasets behind what a figure draws, with their licences, read from the data
    /// themselves: the `source` text of the segments used (Global Energy Monitor's trackers,
    /// OpenStreetMap ways), the zone files' sources, and the basemap (Natural Earth).
    pub fn attribution(&self, segments: bool, zones: bool, basemap: bool) -> String {
        self.attribution_of(|_| segments, zones, basemap)
    }

    /// [`Ctx::attribution`] for the segments `drawn` picks.
    pub fn attribution_of(
        &self,
        drawn: impl Fn(&crate::model::Segment) -> bool,
        zones: bool,
        basemap: bool,
    ) -> String {
        let l = &self.l;
        let mut text = String::new();
        for s in self.d.network.segments.iter().filter(|s| drawn(s)) {
            if let Some(src) = &s.source {
                text.push_str(src);
                text.push('\n');
            }
        }
        let mut natural_earth = basemap;
        if zones {
            for z in &self.d.zone_sources {
                let b = String::from_utf8_lossy(&z.bytes);
                natural_earth |= b.contains("Natural Earth");
                text.push_str(&b);
            }
        }
        let gem = text.contains("GEM") || text.contains("Global Energy Monitor");
        let osm = text.contains("OSM") || text.contains("OpenStreetMap");
        let mut parts: Vec<String> = Vec::new();
        if natural_earth {
            parts.push(
                l.p(
                    "Natural Earth (public domain)",
                    "Natural Earth (domain publik)",
                )
                .into(),
            );
        }
        if gem {
            parts.push("Global Energy Monitor (CC BY 4.0)".into());
        }
        if osm {
            parts.push(
                l.p(
                    "© OpenStreetMap contributors (ODbL)",
                    "© kontributor OpenStreetMap (ODbL)",
                )
                .into(),
            );
        }
        parts.join("; ")
    }

    fn with_attribution(&self, attribution: String, rest: String) -> String {
        if attribution.is_empty() {
            self.l.source(&rest)
        } else {
            self.l.source(&format!("{attribution}; {rest}"))
        }
    }

    /// Source line for maps: basemap, zones and the network as drawn.
    pub fn source_map(&self) -> String {
        self.source_map_of(|_| true)
    }

    /// [`Ctx::source_map`] for a map that draws the segments `drawn` picks.
    pub fn source_map_of(&self, drawn: impl Fn(&crate::model::Segment) -> bool) -> String {
        let l = &self.l;
        self.with_attribution(
            self.attribution_of(drawn, true, true),
            format!(
                "{}, {}, {} ({}); {}",
                FigureData::describe(&self.d.basemap_sources),
                FigureData::describe(&self.d.network_sources),
                FigureData::describe(&self.d.zone_sources),
                l.p("see data/SOURCES.md", "lihat data/SOURCES.md"),
                self.version()
            ),
        )
    }

    /// Source line for the supply charts.
    pub fn source_supply(&self) -> String {
        let l = &self.l;
        l.source(&format!(
            "{} {} ({}); {}",
            l.p(
                "EPDK/BOTAŞ annual reports, IEA and press figures compiled in",
                "laporan tahunan EPDK/BOTAŞ, IEA dan angka pers yang dihimpun dalam"
            ),
            FigureData::describe(&self.d.supply_sources),
            l.p("see data/SOURCES.md", "lihat data/SOURCES.md"),
            self.version()
        ))
    }

    /// Source line for geodesic measures (routes against zones), for the corridors `drawn`
    /// picks.
    pub fn source_geodesic(&self, drawn: impl Fn(&crate::model::Segment) -> bool) -> String {
        let l = &self.l;
        self.with_attribution(
            self.attribution_of(drawn, true, false),
            format!(
                "{} {}, {} ({}); {}",
                l.p(
                    "geodesic computation on WGS84 from",
                    "perhitungan geodesik pada WGS84 dari"
                ),
                FigureData::describe(&self.d.network_sources),
                FigureData::describe(&self.d.zone_sources),
                l.p("see data/SOURCES.md", "lihat data/SOURCES.md"),
                self.version()
            ),
        )
    }

    /// Source line for flow results (the network; zones where they are cut).
    pub fn source_flow(&self, zones: bool) -> String {
        let l = &self.l;
        self.with_attribution(
            self.attribution(true, zones, false),
            format!(
                "{} {} ({}); {}",
                l.p(
                    "maximum flow over design capacities in",
                    "aliran maksimum atas kapasitas rancangan dalam"
                ),
                FigureData::describe(&self.d.network_sources),
                l.p("see data/SOURCES.md", "lihat data/SOURCES.md"),
                self.version()
            ),
        )
    }
}

/// A CSV document from a header and rows (RFC 4180 quoting by the `csv` crate).
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(r)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A number for a CSV cell: rounded to `digits`, shortest form, no `-0`.
pub fn cell(v: f64, digits: i32) -> String {
    format!("{}", crate::model::round(v, digits))
}
