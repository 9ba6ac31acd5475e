//! Market demand as a cap on what reaches a market: the flow a market can use is at most what it
//! consumes, so deliverability and disruption losses are measured against served demand where the
//! demand is known, and against the technical maximum (capacity to the market) where it is not.

use super::FlowModel;
use crate::input::supply::DemandRow;
use crate::model::Commodity;
use serde::Serialize;

/// A market's demand in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarketDemand {
    pub market: String,
    pub commodity: Commodity,
    /// Normalised: bcm/y for gas.
    pub demand: f64,
    pub year: i32,
    pub source: String,
    pub confidence: String,
}

/// The demands of `year` (exactly that year's rows), or without a year each market's latest;
/// rows in energy units (TWh) have no sourced conversion to volumes and stay gaps. Returns the
/// demands and, per market left without one, why.
pub fn market_demands(
    rows: &[DemandRow],
    year: Option<i32>,
) -> (Vec<MarketDemand>, Vec<(String, String)>) {
    let mut out: Vec<MarketDemand> = Vec::new();
    let mut gaps: Vec<(String, String)> = Vec::new();
    let mut markets: Vec<&str> = rows.iter().map(|r| r.market.as_str()).collect();
    markets.sort_unstable();
    markets.dedup();
    for m in markets {
        let mine: Vec<&DemandRow> = rows
            .iter()
            .filter(|r| r.market == m && r.commodity == "gas")
            .filter(|r| year.is_none_or(|y| r.year == y))
            .collect();
        let usable = mine
            .iter()
            .filter(|r| r.unit == "bcm")
            .max_by_key(|r| r.year);
        match usable {
            Some(r) => out.push(MarketDemand {
                market: m.to_string(),
                commodity: Commodity::Gas,
                demand: r.demand,
                year: r.year,
                source: r.source_key.clone(),
                confidence: r.confidence.clone(),
            }),
            None => {
                let why = match mine.iter().max_by_key(|r| r.year) {
                    Some(r) => format!(
                        "published in {} only ({}), with no sourced conversion to bcm",
                        r.unit, r.year
                    ),
                    None => match year {
                        Some(y) => format!("no figure for {y}"),
                        None => "no figure".to_string(),
                    },
                };
                gaps.push((m.to_string(), why));
            }
        }
    }
    (out, gaps)
}

impl FlowModel {
    /// A copy whose markets take at most their demand (markets without one stay unbounded).
    pub fn with_demand(&self, demands: &[MarketDemand]) -> FlowModel {
        let mut m = self.clone();
        for mk in &mut m.markets {
            mk.demand = demands
                .iter()
                .find(|d| d.market == mk.name && d.commodity == mk.commodity)
                .map(|d| d.demand);
        }
        m.apply_market_caps();
        m
    }

    /// A copy with no market capped by demand: the technical maximum.
    pub fn uncapped(&self) -> FlowModel {
        let mut m = self.clone();
        for mk in &mut m.markets {
            mk.demand = None;
        }
        m.apply_market_caps();
        m
    }

    /// Whether any market is capped by its demand.
    pub fn has_demand(&self) -> bool {
        self.markets.iter().any(|m| m.demand.is_some())
    }

    fn apply_market_caps(&mut self) {
        for mk in &self.markets {
            for &p in &mk.sink_pairs {
                self.cap[2 * p as usize] = mk.demand.unwrap_or(f64::INFINITY);
            }
        }
        let scale = self
            .cap
            .iter()
            .copied()
            .filter(|c| c.is_finite())
            .fold(1.0, f64::max);
        self.eps = scale * 1e-10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(market: &str, year: i32, demand: f64, unit: &str) -> DemandRow {
        DemandRow {
            country: "X".into(),
            market: market.into(),
            year,
            commodity: "gas".into(),
            demand,
            unit: unit.into(),
            source_key: "s".into(),
            confidence: "high".into(),
        }
    }

    #[test]
    fn a_year_or_the_latest_and_energy_units_are_gaps() {
        let rows = vec![
            row("A", 2020, 40.0, "bcm"),
            row("A", 2022, 45.0, "bcm"),
            row("B", 2022, 60.0, "TWh"),
        ];
        let (d, gaps) = market_demands(&rows, None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].market.as_str(), d[0].demand, d[0].year),
            ("A", 45.0, 2022)
        );
        assert_eq!(gaps.len(), 1);
        assert!(gaps[0].1.contains("TWh"));
        let (d, gaps) = market_demands(&rows, Some(2020));
        assert_eq!(d[0].demand, 40.0);
        assert!(gaps[0].1.contains("2020"));
        let (d, _) = market_demands(&rows, Some(2021));
        assert!(d.is_empty());
    }
}
