//! Deliverability and disruption: max flow to each market alone and to all markets at once,
//! with and without a cut.

use super::{zone_cut, Cut, CutIds, FlowModel, Target, Workspace};
use crate::analysis::{find_zone, RequestError};
use crate::model::{Commodity, Network, Zone};
use rayon::prelude::*;
use serde::Serialize;

impl FlowModel {
    /// Deliverability of every market alone (in [`FlowModel::markets`] order) and the total per
    /// commodity (in [`FlowModel::commodities`] order), with `cut` removed.
    pub fn deliverability(&self, ws: &mut Workspace, cut: &Cut) -> (Vec<f64>, Vec<f64>) {
        // Every market alone and every commodity's total are independent max flows from
        // scratch: solved in parallel, one workspace per thread (`ws` serves the markets' first
        // labels). The markets of a commodity share those labels (one breadth-first search for
        // all of them: see `preflow::StartLabels`), computed while the totals are solved.
        let (totals, markets) = rayon::join(
            || {
                (0..self.commodities.len())
                    .into_par_iter()
                    .map_init(
                        || Workspace::new(self),
                        |w, ci| self.max_flow(w, Target::All(ci), &cut.pairs, None),
                    )
                    .collect::<Vec<f64>>()
            },
            || {
                let labels: Vec<_> = (0..self.commodities.len())
                    .map(|ci| {
                        let markets = self.markets.iter().filter(|m| m.commodity_index == ci);
                        if markets.count() > 1 {
                            self.start_labels(ws, ci, &cut.pairs)
                        } else {
                            None
                        }
                    })
                    .collect();
                (0..self.markets.len())
                    .into_par_iter()
                    .map_init(
                        || Workspace::new(self),
                        |w, m| {
                            let ci = self.markets[m].commodity_index;
                            self.market_value(w, m, &cut.pairs, labels[ci].as_ref())
                        },
                    )
                    .collect::<Vec<f64>>()
            },
        );
        (markets, totals)
    }
}

/// `lost / baseline`, 0 when the baseline is 0.
pub fn share(lost: f64, baseline: f64) -> f64 {
    if baseline > 0.0 {
        lost / baseline
    } else {
        0.0
    }
}

/// Clamps tiny negative or positive float noise to 0 and never reports a gain as a negative loss.
pub(super) fn loss(baseline: f64, disrupted: f64, eps: f64) -> f64 {
    let l = baseline - disrupted;
    if l <= eps {
        0.0
    } else {
        l
    }
}

/// One row of `corridor flow`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MarketFlow {
    pub market: String,
    pub commodity: Commodity,
    /// What reaches the market alone: up to its demand where the demand is known, else the
    /// technical maximum (`capacity_to_market`).
    pub deliverable: f64,
    pub unit: &'static str,
    /// The market's demand (null: not known for the year).
    pub demand: Option<f64>,
    /// `deliverable / demand` (null without a demand).
    pub served_share: Option<f64>,
    /// The most the network brings to the market alone, demand aside.
    pub capacity_to_market: f64,
}

/// One total of `corridor flow`: all markets of a commodity at once, and the supply behind it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Total {
    pub commodity: Commodity,
    /// All markets at once, each up to its demand where known.
    pub deliverable: f64,
    pub supply: f64,
    pub unit: &'static str,
    /// All markets at once, demand aside.
    pub capacity_to_market: f64,
}

/// Deliverability per market (each alone) and the totals.
pub fn flow(model: &FlowModel) -> (Vec<MarketFlow>, Vec<Total>) {
    let mut ws = Workspace::new(model);
    let (m, t) = model.deliverability(&mut ws, &Cut::default());
    // The technical maximum: the same without demand caps (the same numbers without demand).
    let (cm, ct) = if model.has_demand() {
        model.uncapped().deliverability(&mut ws, &Cut::default())
    } else {
        (m.clone(), t.clone())
    };
    let markets = model
        .markets
        .iter()
        .zip(m)
        .zip(cm)
        .map(|((mk, d), cap)| MarketFlow {
            market: mk.name.clone(),
            commodity: mk.commodity,
            deliverable: d,
            unit: mk.commodity.unit(),
            demand: mk.demand,
            served_share: mk.demand.map(|dem| share(d, dem)),
            capacity_to_market: cap,
        })
        .collect();
    let totals = model
        .commodities
        .iter()
        .zip(t)
        .zip(ct)
        .map(|((c, d), cap)| Total {
            commodity: c.commodity,
            deliverable: d,
            supply: c.supply_total,
            unit: c.commodity.unit(),
            capacity_to_market: cap,
        })
        .collect();
    (markets, totals)
}

/// The columns of a [`MarketLoss`] row, in the contract's order (the `disrupt` table and the
/// data behind the disruption figure).
pub const MARKET_LOSS_COLUMNS: [&str; 7] = [
    "market",
    "commodity",
    "baseline",
    "disrupted",
    "lost",
    "lost_share",
    "unit",
];

/// One row of `corridor disrupt`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MarketLoss {
    pub market: String,
    pub commodity: Commodity,
    pub baseline: f64,
    pub disrupted: f64,
    pub lost: f64,
    pub lost_share: f64,
    pub unit: &'static str,
    /// What the loss is a loss of: `served demand` where the market's demand is known (losses
    /// beyond what the market uses do not count), else `capacity` (the technical maximum).
    pub basis: &'static str,
    /// The market's demand (null: unknown, or a total).
    pub demand: Option<f64>,
}

/// Baseline and disrupted deliverability per market, plus the same for the totals (market name
/// `all markets`).
pub fn disrupt(model: &FlowModel, cut: &Cut) -> (Vec<MarketLoss>, Vec<MarketLoss>) {
    let mut ws = Workspace::new(model);
    let (bm, bt) = model.deliverability(&mut ws, &Cut::default());
    let (dm, dt) = model.deliverability(&mut ws, cut);
    let row = |name: &str, c: Commodity, b: f64, d: f64, demand: Option<f64>, basis| {
        let lost = loss(b, d, model.eps);
        MarketLoss {
            market: name.to_string(),
            commodity: c,
            baseline: b,
            disrupted: b - lost,
            lost,
            lost_share: share(lost, b),
            unit: c.unit(),
            basis,
            demand,
        }
    };
    let basis = |demand: Option<f64>| {
        if demand.is_some() {
            "served demand"
        } else {
            "capacity"
        }
    };
    let markets = model
        .markets
        .iter()
        .enumerate()
        .map(|(i, mk)| {
            row(
                &mk.name,
                mk.commodity,
                bm[i],
                dm[i],
                mk.demand,
                basis(mk.demand),
            )
        })
        .collect();
    let totals = model
        .commodities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let capped = model
                .markets
                .iter()
                .any(|m| m.commodity == c.commodity && m.demand.is_some());
            let b = if capped {
                "served demand where known"
            } else {
                "capacity"
            };
            row("all markets", c.commodity, bt[i], dt[i], None, b)
        })
        .collect();
    (markets, totals)
}

/// What `disrupt` removes: zones (everything within a band of each), segments and nodes by id.
#[derive(Debug, Clone, Default)]
pub struct DisruptRequest<'a> {
    pub zones: &'a [String],
    pub band_km: f64,
    pub segments: &'a [String],
    pub nodes: &'a [String],
}

/// The result of [`disrupt_by`]: losses per market and in total, what was cut.
#[derive(Debug, Clone)]
pub struct Disruption {
    pub markets: Vec<MarketLoss>,
    pub totals: Vec<MarketLoss>,
    /// Everything removed.
    pub cut: CutIds,
    /// What each zone removed, in the order asked.
    pub by_zone: Vec<(String, CutIds)>,
}

/// Resolves a [`DisruptRequest`] against the network and zones and runs [`disrupt`]; unknown ids
/// and a negative band are errors.
pub fn disrupt_by(
    model: &FlowModel,
    net: &Network,
    zones: &[Zone],
    req: &DisruptRequest,
) -> Result<Disruption, RequestError> {
    check_band(req.band_km)?;
    let mut cut = model.cut_by_ids(req.segments, req.nodes)?;
    let mut by_zone = Vec::new();
    for id in req.zones {
        let z = find_zone(zones, id)?;
        let zc = zone_cut(model, net, z, req.band_km * 1000.0);
        by_zone.push((id.clone(), CutIds::of(net, &zc)));
        cut = model.union(&cut, &zc);
    }
    let (markets, totals) = disrupt(model, &cut);
    Ok(Disruption {
        markets,
        totals,
        cut: CutIds::of(net, &cut),
        by_zone,
    })
}

/// A band around zones must be a distance in km ≥ 0.
pub(crate) fn check_band(band_km: f64) -> Result<(), RequestError> {
    if !band_km.is_finite() || band_km < 0.0 {
        return Err(RequestError(format!(
            "a band must be a distance in km >= 0, got {band_km}"
        )));
    }
    Ok(())
}
