//! Supply dependency: Türkiye's imports by year and supplier, their concentration (HHI, Shannon),
//! the pipeline/LNG split, the share that crosses a zone, and the N-1 indicator.
//!
//! The data are CSV files ([`crate::input::supply`]): `*_gas_imports.csv` and
//! `*_oil_imports.csv` (one row per year × supplier), `*_totals.csv` (the year's total),
//! `*_routes.csv` (which corridors carry a supplier's gas into the country) and `*_n1.csv` (the
//! terms of the N-1 formula). A year whose split is incomplete carries an explicit
//! `unattributed` row, never spread across suppliers; the measures below say what that leaves
//! uncertain instead of hiding it.
//!
//! [`exposure`]: which imports cross a zone; [`n1`]: the N-1 indicator.

mod exposure;
mod n1;

pub use exposure::*;
pub use n1::*;

use crate::input::supply::{ImportRow, SupplyData};
use crate::model::Commodity;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The least share of a year's imports named suppliers must cover for its HHI and Shannon index
/// to be reported: below it they are `null` (the bounds stay).
pub const MIN_COVERED_SHARE: f64 = 0.5;

/// The supplier name of remainders whose origin is not known.
pub const UNATTRIBUTED: &str = "unattributed";

/// Supplier concentration of a set of volumes: HHI (sum of squared percentage shares, 0–10,000)
/// and Shannon's H = −Σ p ln p.
///
/// ```
/// use corridor::analysis::supply::{hhi, shannon};
/// assert_eq!(hhi(&[1.0]), 10_000.0);
/// assert!((hhi(&[1.0, 1.0]) - 5_000.0).abs() < 1e-9);
/// assert!((hhi(&[30.0, 30.0, 20.0, 20.0]) - 2_600.0).abs() < 1e-9);
/// assert!((shannon(&[1.0, 1.0, 1.0]) - 3f64.ln()).abs() < 1e-12);
/// ```
pub fn hhi(volumes: &[f64]) -> f64 {
    let total: f64 = volumes.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    volumes.iter().map(|v| (100.0 * v / total).powi(2)).sum()
}

/// Shannon entropy of the shares of `volumes` (natural log); see [`hhi`].
pub fn shannon(volumes: &[f64]) -> f64 {
    let total: f64 = volumes.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    volumes
        .iter()
        .filter(|v| **v > 0.0)
        .map(|v| {
            let p = v / total;
            -p * p.ln()
        })
        .sum()
}

/// One year of `corridor supply`.
#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub year: i32,
    /// The year's total imports (from the totals file, else the sum of the rows).
    pub total: f64,
    pub unit: String,
    /// Supplier → share of the total (an `unattributed` remainder is its own entry).
    pub shares: BTreeMap<String, f64>,
    /// HHI with each named remainder (`unattributed`, `LNG (unspecified)`) counted as one supplier;
    /// `null` when named suppliers cover less than [`MIN_COVERED_SHARE`] of the year (a number
    /// there would mostly describe the gap: the bounds and `covered_share` say what is known).
    pub hhi: Option<f64>,
    /// Shannon H with the same convention; `null` with `hhi`.
    pub shannon: Option<f64>,
    /// Share of the year's imports whose route crosses the zone (surely: remainders of unknown
    /// route are not counted); `null` where no route data exist for the commodity.
    pub exposed_share: Option<f64>,
    /// Bounds of the HHI over the unknown remainder: split among infinitely many small suppliers
    /// (`min`) or all belonging to the largest named supplier (`max`). Equal to `hhi` when the
    /// year is fully attributed.
    pub hhi_min: f64,
    pub hhi_max: f64,
    /// Upper bound of `exposed_share`: remainders of unknown route counted as exposed.
    pub exposed_share_max: Option<f64>,
    /// Shares by kind: `pipeline`, `lng`, `mixed` (remainders holding both), `crude`.
    pub by_kind: BTreeMap<String, f64>,
    /// Share of the total not attributed to a named supplier (`unattributed` rows plus LNG of
    /// unspecified origin).
    pub unattributed_share: f64,
    /// Share of the total attributed to named suppliers (1 − `unattributed_share`).
    pub covered_share: f64,
    /// `totals file` or `sum of rows`.
    pub total_basis: &'static str,
}

/// Options of [`years`].
#[derive(Debug, Clone)]
pub struct SupplyOptions {
    pub country: String,
    pub commodity: Commodity,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// Exposure of each supplier's routes in a year: supplier → exposed? (`None`: unknown).
pub type RouteExposure<'a> = dyn Fn(i32, &str, &str) -> Option<bool> + 'a;

/// Computes the per-year rows. `exposure(year, supplier, kind)` says whether a supplier's
/// imports that year cross the zone (`None`: not known).
pub fn years(
    data: &SupplyData,
    opts: &SupplyOptions,
    exposure: Option<&RouteExposure<'_>>,
) -> Vec<YearRow> {
    let rows: Vec<&ImportRow> = data
        .imports
        .iter()
        .filter(|(c, r)| *c == opts.commodity && r.country == opts.country)
        .map(|(_, r)| r)
        .filter(|r| opts.from.is_none_or(|f| r.year >= f) && opts.to.is_none_or(|t| r.year <= t))
        .collect();
    let years: BTreeSet<i32> = rows.iter().map(|r| r.year).collect();
    let mut out = Vec::new();
    for y in years {
        let yr: Vec<&&ImportRow> = rows.iter().filter(|r| r.year == y).collect();
        let sum: f64 = yr.iter().map(|r| r.value).sum();
        let total_row = data
            .totals
            .iter()
            .find(|(c, t)| *c == opts.commodity && t.country == opts.country && t.year == y);
        let (total, basis) = match total_row {
            Some((_, t)) => (t.total, "totals file"),
            None => (sum, "sum of rows"),
        };
        if total <= 0.0 {
            continue;
        }
        let mut by_supplier: BTreeMap<String, f64> = BTreeMap::new();
        let mut by_kind: BTreeMap<String, f64> = BTreeMap::new();
        for r in &yr {
            *by_supplier.entry(r.supplier.clone()).or_default() += r.value;
            *by_kind.entry(r.kind.clone()).or_default() += r.value / total;
        }
        let named: Vec<f64> = by_supplier
            .iter()
            .filter(|(s, _)| !is_remainder(s))
            .map(|(_, v)| *v)
            .collect();
        let remainder: f64 = by_supplier
            .iter()
            .filter(|(s, _)| is_remainder(s))
            .map(|(_, v)| v)
            .sum();
        let volumes: Vec<f64> = by_supplier.values().copied().collect();
        // Shares are taken over the stated total; rows may fall a rounding hair short of it.
        let scale = if sum > 0.0 { sum / total } else { 1.0 };
        let h = hhi(&volumes) * scale * scale;
        let h_min = named
            .iter()
            .map(|v| (100.0 * v / total).powi(2))
            .sum::<f64>();
        let h_max = {
            let mut n = named.clone();
            n.sort_by(|a, b| b.total_cmp(a));
            if let Some(first) = n.first_mut() {
                *first += remainder;
            } else {
                n.push(remainder);
            }
            n.iter().map(|v| (100.0 * v / total).powi(2)).sum::<f64>()
        };
        let (exposed, exposed_max) = match exposure {
            None => (None, None),
            Some(f) => {
                let mut lo = 0.0;
                let mut hi = 0.0;
                for r in &yr {
                    match f(y, &r.supplier, &r.kind) {
                        Some(true) => {
                            lo += r.value;
                            hi += r.value;
                        }
                        Some(false) => {}
                        None => hi += r.value,
                    }
                }
                (Some(lo / total), Some(hi / total))
            }
        };
        let covered = 1.0 - remainder / total >= MIN_COVERED_SHARE;
        out.push(YearRow {
            year: y,
            total,
            unit: yr.first().map(|r| r.unit.clone()).unwrap_or_default(),
            shares: by_supplier
                .iter()
                .map(|(k, v)| (k.clone(), v / total))
                .collect(),
            hhi: covered.then_some(h),
            shannon: covered.then(|| shannon(&volumes)),
            exposed_share: exposed,
            hhi_min: h_min,
            hhi_max: h_max,
            exposed_share_max: exposed_max,
            by_kind,
            unattributed_share: remainder / total,
            covered_share: 1.0 - remainder / total,
            total_basis: basis,
        });
    }
    out
}

/// Rows that stand for volumes of unknown origin.
pub(super) fn is_remainder(supplier: &str) -> bool {
    supplier == UNATTRIBUTED || supplier.contains("unspecified")
}
#[cfg(test)]
mod tests {
    use super::*;

    fn row(year: i32, supplier: &str, value: f64, kind: &str) -> (Commodity, ImportRow) {
        (
            Commodity::Gas,
            ImportRow {
                country: "TUR".into(),
                year,
                supplier: supplier.into(),
                value,
                unit: "bcm".into(),
                kind: kind.into(),
                source: "test".into(),
                confidence: String::new(),
                note: String::new(),
            },
        )
    }

    fn opts() -> SupplyOptions {
        SupplyOptions {
            country: "TUR".into(),
            commodity: Commodity::Gas,
            from: None,
            to: None,
        }
    }

    #[test]
    fn shares_sum_to_one_and_hhi_bounds_bracket_the_remainder() {
        let data = SupplyData {
            imports: vec![
                row(2020, "A", 30.0, "pipeline"),
                row(2020, "B", 30.0, "pipeline"),
                row(2020, "C", 20.0, "lng"),
                row(2020, UNATTRIBUTED, 20.0, "lng"),
            ],
            ..Default::default()
        };
        let y = &years(&data, &opts(), None)[0];
        assert!((y.shares.values().sum::<f64>() - 1.0).abs() < 1e-12);
        // 30/30/20/20 → 2,600 with the remainder as one supplier.
        assert!((y.hhi.unwrap() - 2600.0).abs() < 1e-9);
        // Fragmented remainder: 900 + 900 + 400 = 2,200. Merged into A: 2,500 + 900 + 400 = 3,800.
        assert!((y.hhi_min - 2200.0).abs() < 1e-9);
        assert!((y.hhi_max - 3800.0).abs() < 1e-9);
        assert!((y.unattributed_share - 0.2).abs() < 1e-12);
        assert!((y.by_kind["lng"] - 0.4).abs() < 1e-12);
        assert_eq!(y.total_basis, "sum of rows");
    }

    #[test]
    fn n1_worked_example() {
        // EPm 495 (all entry incl. LNG), Pm 10, Sm 75 + 40, Dmax 330, Im 43.836:
        // 100 × (495 + 10 + 115 − 43.836) / 330 = 174.595... %
        let v = n1_formula(495.0, 10.0, 115.0, 0.0, 43.836, 330.0);
        assert!((v - 174.595_151_515).abs() < 1e-6, "{v}");
    }

    #[test]
    fn exposure_bounds_follow_the_route_answers() {
        let data = SupplyData {
            imports: vec![
                row(2020, "Azerbaijan", 10.0, "pipeline"),
                row(2020, "Russia", 50.0, "pipeline"),
                row(2020, UNATTRIBUTED, 40.0, "mixed"),
            ],
            ..Default::default()
        };
        let f = |_y: i32, s: &str, _k: &str| match s {
            "Azerbaijan" => Some(true),
            "Russia" => Some(false),
            _ => None,
        };
        let y = &years(&data, &opts(), Some(&f))[0];
        assert_eq!(y.exposed_share, Some(0.1));
        assert_eq!(y.exposed_share_max, Some(0.5));
    }
}
