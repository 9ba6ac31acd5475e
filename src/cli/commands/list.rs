//! `corridor list zones|corridors|segments|nodes|markets|figures`: what the data hold.

use crate::analysis::routes::routes;
use crate::cli::args::ListWhat;
use crate::cli::{inputs, write_report, Settings, TABLE_JSON_CSV};
use crate::figures::{self, FigureOptions};
use crate::input::{embedded, load_countries, Source};
use crate::model::NodeKind;
use crate::report::list::{self, MarketRow};
use anyhow::Result;

pub fn run(s: &Settings, what: ListWhat) -> Result<i32> {
    let report = match what {
        ListWhat::Zones => {
            let (zones, srcs) = inputs::zones(s)?;
            list::zones(&zones, &srcs.iter().collect::<Vec<_>>(), s.year)
        }
        ListWhat::Corridors => {
            let (net, srcs) = inputs::network(s)?;
            let countries = load_countries(&embedded::basemap())?;
            let r = routes(&net, &countries);
            list::corridors(&r, &net, &srcs.iter().collect::<Vec<_>>(), s.year)
        }
        ListWhat::Segments => {
            let (net, srcs) = inputs::network(s)?;
            list::segments(&net, &srcs.iter().collect::<Vec<_>>(), s.year)
        }
        ListWhat::Nodes => {
            let (net, srcs) = inputs::network(s)?;
            list::nodes(&net, &srcs.iter().collect::<Vec<_>>(), s.year)
        }
        ListWhat::Markets => {
            let (net, mut srcs) = inputs::network(s)?;
            let demand = inputs::demand(s)?;
            let mut rows: Vec<MarketRow> = Vec::new();
            for n in net.nodes.iter().filter(|n| n.kind == NodeKind::Market) {
                let name = n.market.clone().unwrap_or_else(|| n.id.clone());
                let commodity = n.commodity.unwrap_or(crate::model::Commodity::Unknown);
                match rows
                    .iter_mut()
                    .find(|r| r.market == name && r.commodity == commodity)
                {
                    Some(r) => r.nodes.push(n.id.clone()),
                    None => {
                        let d = demand
                            .demands
                            .iter()
                            .find(|d| d.market == name && d.commodity == commodity);
                        rows.push(MarketRow {
                            market: name,
                            commodity,
                            nodes: vec![n.id.clone()],
                            demand: d.map(|d| d.demand),
                            demand_year: d.map(|d| d.year),
                            demand_source: d.map(|d| d.source.clone()),
                        });
                    }
                }
            }
            rows.sort_by(|a, b| (a.commodity, &a.market).cmp(&(b.commodity, &b.market)));
            srcs.extend(demand.sources);
            list::markets(&rows, &srcs.iter().collect::<Vec<&Source>>(), s.year)
        }
        ListWhat::Figures => {
            let data = inputs::figure_data(s)?;
            let caps = figures::captions(&data, &FigureOptions::default());
            let srcs: Vec<&Source> = data
                .network_sources
                .iter()
                .chain(&data.zone_sources)
                .collect();
            list::figures(&caps, &srcs, s.year)
        }
    };
    write_report(s, &report, &TABLE_JSON_CSV)?;
    Ok(0)
}
