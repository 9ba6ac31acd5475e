//! The N-1 infrastructure indicator (Regulation (EU) 2017/1938, Annex II): the standard case
//! from the data, and the common-mode case where everything through a zone fails together.

use crate::analysis::flow::{disrupt, zone_cut, FlowModel};
use crate::analysis::RequestError;
use crate::input::supply::{N1Row, SupplyData};
use crate::model::{Commodity, Network, NodeKind, Zone};
use crate::topology;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One term of the N-1 formula with the rows it is made of.
#[derive(Debug, Clone, Serialize)]
pub struct N1Term {
    pub term: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub items: Vec<N1Row>,
}

/// The N-1 indicator, standard or common-mode.
#[derive(Debug, Clone, Serialize)]
pub struct N1Result {
    /// `standard` (Im = the single largest infrastructure) or `common-mode` (Im = the whole
    /// entry capacity that depends on one zone).
    pub case: String,
    pub n1_percent: f64,
    pub epm: f64,
    pub pm: f64,
    pub sm: f64,
    pub lngm: f64,
    pub im: f64,
    pub dmax: f64,
    pub unit: &'static str,
    /// What Im is.
    pub im_item: String,
}

/// Citation of the formula.
pub const N1_SOURCE: &str = "Regulation (EU) 2017/1938, Annex II (N-1 formula), Official Journal L 280, 28.10.2017; text at legislation.gov.uk/eur/2017/1938/annex/II";

/// The terms of the N-1 formula for `country` from the rows marked `in_formula = yes`, all in
/// mcm/d: EPm (technical capacity of entry points), Pm (maximal technical production
/// capability), Sm (maximal technical storage deliverability), LNGm (maximal technical LNG
/// send-out), Dmax (total demand on a day of exceptionally high demand, 1 in 20 years), and the
/// Im candidates (the single largest infrastructure is the largest of them).
pub fn n1_terms(data: &SupplyData, country: &str) -> Result<(Vec<N1Term>, Option<N1Row>), String> {
    let rows: Vec<&N1Row> = data.n1.iter().filter(|r| r.country == country).collect();
    if rows.is_empty() {
        return Err(format!("no N-1 inputs for {country} in the supply data"));
    }
    let meaning = |t: &str| {
        match t {
        "EPm" => "technical capacity of entry points (other than production, storage and LNG)",
        "Pm" => "maximal technical production capability",
        "Sm" => "maximal technical storage deliverability",
        "LNGm" => "maximal technical LNG facility send-out",
        _ => "total daily demand on a day of exceptionally high demand (statistically once in 20 years)",
    }
    };
    let mut terms = Vec::new();
    for term in ["EPm", "Pm", "Sm", "LNGm", "Dmax"] {
        let items: Vec<N1Row> = rows
            .iter()
            .filter(|r| r.term == term && r.in_formula == "yes")
            .map(|r| (*r).clone())
            .collect();
        for r in &items {
            if r.unit != "mcm/d" {
                return Err(format!(
                    "N-1 input {} {} is in {}, expected mcm/d",
                    r.term, r.item, r.unit
                ));
            }
        }
        if term == "Dmax" && items.is_empty() {
            return Err(format!(
                "no Dmax (peak-day demand) for {country}: N-1 cannot be computed"
            ));
        }
        terms.push(N1Term {
            term: match term {
                "EPm" => "EPm",
                "Pm" => "Pm",
                "Sm" => "Sm",
                "LNGm" => "LNGm",
                _ => "Dmax",
            },
            value: items.iter().fold(0.0, |s, r| s + r.value),
            unit: "mcm/d",
            meaning: meaning(term),
            items,
        });
    }
    let im = rows
        .iter()
        .filter(|r| r.term == "Im_candidate" && r.unit == "mcm/d")
        .max_by(|a, b| a.value.total_cmp(&b.value).then(b.item.cmp(&a.item)))
        .map(|r| (*r).clone());
    Ok((terms, im))
}

/// N-1 = 100 × (EPm + Pm + Sm + LNGm − Im) / Dmax.
///
/// ```
/// // A worked example: 100 × (60 + 10 + 20 + 30 − 40) / 100 = 80 %.
/// assert_eq!(corridor::analysis::supply::n1_formula(60.0, 10.0, 20.0, 30.0, 40.0, 100.0), 80.0);
/// ```
pub fn n1_formula(epm: f64, pm: f64, sm: f64, lngm: f64, im: f64, dmax: f64) -> f64 {
    100.0 * (epm + pm + sm + lngm - im) / dmax
}

/// The N-1 result for a given Im.
pub fn n1_result(terms: &[N1Term], case: &str, im: f64, im_item: &str) -> N1Result {
    let v = |t: &str| terms.iter().find(|x| x.term == t).map_or(0.0, |x| x.value);
    let (epm, pm, sm, lngm, dmax) = (v("EPm"), v("Pm"), v("Sm"), v("LNGm"), v("Dmax"));
    N1Result {
        case: case.to_string(),
        n1_percent: n1_formula(epm, pm, sm, lngm, im, dmax),
        epm,
        pm,
        sm,
        lngm,
        im,
        dmax,
        unit: "mcm/d",
        im_item: im_item.to_string(),
    }
}

/// The market name of the country's gas market nodes (the most common one).
pub fn market_name(net: &Network, country: &str) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &net.nodes {
        if n.kind == NodeKind::Market
            && n.commodity == Some(Commodity::Gas)
            && n.country.as_deref() == Some(country)
        {
            if let Some(m) = &n.market {
                *counts.entry(m.as_str()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, c)| *c)
        .map(|(m, _)| m.to_string())
}

/// The N-1 indicator of a country, standard and common-mode.
#[derive(Debug, Clone)]
pub struct N1Cases {
    pub terms: Vec<N1Term>,
    /// The single largest infrastructure of the standard case.
    pub im: N1Row,
    pub standard: N1Result,
    pub common: N1Result,
}

/// N-1 for `country`: the standard case from the data, and the common-mode case where
/// everything that reaches the country's market through the zone fails together. Its size is
/// taken from `net` (the network as of the year asked for): the loss of the country's gas
/// deliverability (max flow) when every segment and node within the band of the zone is cut.
pub fn n1_cases(
    data: &SupplyData,
    net: &Network,
    country: &str,
    zone: &Zone,
    band_km: f64,
    snap_m: f64,
    year: Option<i32>,
) -> Result<N1Cases, RequestError> {
    let (terms, im) = n1_terms(data, country).map_err(RequestError)?;
    let im = im.ok_or_else(|| {
        RequestError(format!(
            "no Im candidates (single largest infrastructure) for {country} in the N-1 data"
        ))
    })?;
    let standard = n1_result(
        &terms,
        "standard",
        im.value,
        &format!("{} ({})", im.item, im.source),
    );
    let market = market_name(net, country).ok_or_else(|| {
        RequestError(format!(
            "no gas market node in the network has country {country}"
        ))
    })?;
    let topo = topology::build(net, snap_m);
    let model = FlowModel::new(net, &topo);
    let cut = zone_cut(&model, net, zone, band_km * 1000.0);
    let (markets, _) = disrupt(&model, &cut);
    let lost_bcm_y = markets
        .iter()
        .find(|m| m.market == market && m.commodity == Commodity::Gas)
        .map_or(0.0, |m| m.lost);
    let lost_mcm_d = lost_bcm_y * 1000.0 / 365.25;
    let through: BTreeSet<&str> = cut
        .segments
        .iter()
        .map(|&s| net.segments[s].corridor.as_str())
        .collect();
    let common = n1_result(
        &terms,
        "common-mode",
        lost_mcm_d,
        &format!(
            "every line within {} km of {} fails at once ({}): {market}'s gas deliverability falls by {:.2} bcm/y = {:.1} mcm/d (max flow on the network{})",
            band_km,
            zone.id,
            through.into_iter().collect::<Vec<_>>().join(", "),
            lost_bcm_y,
            lost_mcm_d,
            year.map(|y| format!(" of {y}")).unwrap_or_default()
        ),
    );
    Ok(N1Cases {
        terms,
        im,
        standard,
        common,
    })
}
