//! Supply dependency: Türkiye's imports by year and supplier, their concentration (HHI, Shannon),
//! the pipeline/LNG split, the share that crosses a zone, and the N-1 indicator.
//!
//! The data are CSV files (`data/supply/`, or `--supply DIR`): `*_gas_imports.csv` and
//! `*_oil_imports.csv` (one row per year × supplier), `*_totals.csv` (the year's total),
//! `*_routes.csv` (which corridors carry a supplier's gas into the country) and `*_n1.csv` (the
//! terms of the N-1 formula). A year whose split is incomplete carries an explicit
//! `unattributed` row, never spread across suppliers; the measures below say what that leaves
//! uncertain instead of hiding it.

use crate::error::{DataError, DataErrors, Place};
use crate::load::Source;
use crate::model::{Commodity, Network, NodeKind, Zone};
use crate::topology::Topology;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The supplier name of remainders whose origin is not known.
pub const UNATTRIBUTED: &str = "unattributed";

/// One row of an imports file.
#[derive(Debug, Clone, Deserialize)]
pub struct ImportRow {
    pub country: String,
    pub year: i32,
    pub supplier: String,
    pub value: f64,
    pub unit: String,
    /// `pipeline`, `lng`, `mixed` (an unattributed remainder holding both) or `crude`.
    pub kind: String,
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub note: String,
}

/// One row of a totals file.
#[derive(Debug, Clone, Deserialize)]
pub struct TotalRow {
    pub country: String,
    pub year: i32,
    pub total: f64,
    pub unit: String,
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub note: String,
}

/// Which corridor carries a supplier's gas into the country, and where it enters.
#[derive(Debug, Clone, Deserialize)]
pub struct RouteRow {
    pub country: String,
    pub supplier: String,
    /// Empty for LNG (no pipeline corridor).
    pub corridor: String,
    pub entry_node: String,
    pub entry_name: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub source: String,
}

/// One input of the N-1 formula.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct N1Row {
    pub country: String,
    pub term: String,
    pub item: String,
    pub value: f64,
    pub unit: String,
    #[serde(default)]
    pub as_of: String,
    /// `yes` (enters the formula), `no` (context: a component, an alternative, a record) or
    /// `candidate` (for Im, the single largest infrastructure).
    #[serde(default)]
    pub in_formula: String,
    pub source: String,
    #[serde(default)]
    pub confidence: String,
    #[serde(default)]
    pub note: String,
}

/// Everything read from the supply folder.
#[derive(Debug, Clone, Default)]
pub struct SupplyData {
    /// (commodity, row)
    pub imports: Vec<(Commodity, ImportRow)>,
    pub totals: Vec<(Commodity, TotalRow)>,
    pub routes: Vec<RouteRow>,
    pub n1: Vec<N1Row>,
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn read_csv<T: for<'de> Deserialize<'de>>(src: &Source) -> Result<Vec<T>, DataError> {
    let mut rdr = csv::Reader::from_reader(src.bytes.as_slice());
    let headers: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .map_err(|e| {
            DataError::new(
                Place::file(&src.name),
                format!("cannot read the header row: {e}"),
            )
        })?;
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize::<T>().enumerate() {
        match rec {
            Ok(r) => out.push(r),
            Err(e) => {
                // Row numbers as a spreadsheet shows them: the header is row 1.
                let mut place = Place::file(&src.name);
                place.feature = Some(i + 2);
                let msg = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => match err.field() {
                        Some(f) => {
                            let name = headers
                                .get(f as usize)
                                .cloned()
                                .unwrap_or_else(|| format!("column {}", f + 1));
                            place.property = Some(name);
                            err.kind().to_string()
                        }
                        None => err.kind().to_string(),
                    },
                    _ => e.to_string(),
                };
                return Err(DataError::new(place, format!("row {}: {msg}", i + 2)));
            }
        }
    }
    Ok(out)
}

impl SupplyData {
    /// Reads the supply CSV files; files it does not know (entry points, monthly snapshots,
    /// READMEs) are left alone.
    pub fn load(sources: &[Source]) -> Result<SupplyData, DataErrors> {
        let mut d = SupplyData::default();
        let mut errors = Vec::new();
        for src in sources {
            let name = base_name(&src.name);
            let commodity = if name.contains("_gas_") {
                Commodity::Gas
            } else if name.contains("_oil_") {
                Commodity::Oil
            } else {
                Commodity::Unknown
            };
            let res = if name.ends_with("_imports.csv") {
                read_csv::<ImportRow>(src).and_then(|rows| {
                    for (i, r) in rows.iter().enumerate() {
                        if !r.value.is_finite() || r.value < 0.0 {
                            let mut place = Place::file(&src.name).with_property("value");
                            place.feature = Some(i + 2);
                            return Err(DataError::new(
                                place,
                                format!(
                                    "row {}: {} {}: value must be a number >= 0, found {}",
                                    i + 2,
                                    r.year,
                                    r.supplier,
                                    r.value
                                ),
                            ));
                        }
                    }
                    d.imports.extend(rows.into_iter().map(|r| (commodity, r)));
                    Ok(())
                })
            } else if name.ends_with("_totals.csv") {
                read_csv::<TotalRow>(src)
                    .map(|rows| d.totals.extend(rows.into_iter().map(|r| (commodity, r))))
            } else if name.ends_with("_routes.csv") {
                read_csv::<RouteRow>(src).map(|rows| d.routes.extend(rows))
            } else if name.ends_with("_n1.csv") {
                read_csv::<N1Row>(src).map(|rows| d.n1.extend(rows))
            } else {
                Ok(())
            };
            if let Err(e) = res {
                errors.push(e);
            }
        }
        DataErrors::or_ok(errors, d)
    }
}

/// Supplier concentration of a set of volumes: HHI (sum of squared percentage shares, 0–10,000)
/// and Shannon's H = −Σ p ln p.
///
/// ```
/// use corridor::supply::{hhi, shannon};
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
    /// HHI with each named remainder (`unattributed`, `LNG (unspecified)`) counted as one supplier.
    pub hhi: f64,
    /// Shannon H with the same convention.
    pub shannon: f64,
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
        out.push(YearRow {
            year: y,
            total,
            unit: yr.first().map(|r| r.unit.clone()).unwrap_or_default(),
            shares: by_supplier
                .iter()
                .map(|(k, v)| (k.clone(), v / total))
                .collect(),
            hhi: h,
            shannon: shannon(&volumes),
            exposed_share: exposed,
            hhi_min: h_min,
            hhi_max: h_max,
            exposed_share_max: exposed_max,
            by_kind,
            unattributed_share: remainder / total,
            total_basis: basis,
        });
    }
    out
}

/// Rows that stand for volumes of unknown origin.
fn is_remainder(supplier: &str) -> bool {
    supplier == UNATTRIBUTED || supplier.contains("unspecified")
}

/// The corridors whose flow crosses a zone: a corridor crosses it when one of its segments is
/// cut (within the band), or when the cut leaves one of its segments, fed before, with no supply
/// upstream (its gas came through the zone). `cut_segments` and `cut_nodes` are indices into
/// `net`.
pub fn corridors_through(
    net: &Network,
    topo: &Topology,
    cut_segments: &[usize],
    cut_nodes: &[usize],
) -> BTreeSet<String> {
    let cut_s: HashSet<usize> = cut_segments.iter().copied().collect();
    let cut_n: HashSet<usize> = cut_nodes.iter().copied().collect();
    let before = fed_segments(net, topo, &HashSet::new(), &HashSet::new());
    let after = fed_segments(net, topo, &cut_s, &cut_n);
    net.segments
        .iter()
        .enumerate()
        .filter(|(s, seg)| {
            seg.commodity != Commodity::Unknown && (cut_s.contains(s) || (before[*s] && !after[*s]))
        })
        .map(|(_, seg)| seg.corridor.clone())
        .collect()
}

/// For each segment: does supply reach every piece of it, with the given segments and nodes
/// removed?
fn fed_segments(
    net: &Network,
    topo: &Topology,
    cut_s: &HashSet<usize>,
    cut_n: &HashSet<usize>,
) -> Vec<bool> {
    use petgraph::visit::EdgeRef;
    let g = &topo.graph;
    let blocked = |v: petgraph::graph::NodeIndex| g[v].nodes.iter().any(|n| cut_n.contains(n));
    let mut seen: HashSet<petgraph::graph::NodeIndex> = HashSet::new();
    let mut queue = std::collections::VecDeque::new();
    for v in g.node_indices() {
        let vx = &g[v];
        let supplies = vx.nodes.iter().any(|&n| {
            net.nodes[n].kind == NodeKind::Supply && net.nodes[n].commodity == Some(vx.commodity)
        });
        if supplies && !blocked(v) && seen.insert(v) {
            queue.push_back(v);
        }
    }
    while let Some(v) = queue.pop_front() {
        for e in g
            .edges_directed(v, petgraph::Direction::Outgoing)
            .chain(g.edges_directed(v, petgraph::Direction::Incoming))
        {
            let piece = e.weight();
            if cut_s.contains(&piece.segment) {
                continue;
            }
            let forward = e.source() == v;
            if !forward && piece.direction != crate::model::Direction::Both {
                continue;
            }
            let w = if forward { e.target() } else { e.source() };
            if !blocked(w) && seen.insert(w) {
                queue.push_back(w);
            }
        }
    }
    (0..net.segments.len())
        .map(|s| {
            !cut_s.contains(&s)
                && !topo.segment_edges[s].is_empty()
                && topo.segment_edges[s].iter().all(|&e| {
                    g.edge_endpoints(e).is_some_and(|(a, b)| {
                        seen.contains(&a)
                            || (g[e].direction == crate::model::Direction::Both
                                && seen.contains(&b))
                    })
                })
        })
        .collect()
}

/// Whether a supplier's imports cross the zone, given the corridors that do: all its routes
/// through the zone → `Some(true)`; none → `Some(false)`; some → `None` (volumes per route are
/// not known). Remainders take the routes of their kind where the kind is LNG (LNG terminals);
/// a pipeline or mixed remainder of unknown origin is unknown.
pub fn supplier_exposed(
    routes: &[RouteRow],
    country: &str,
    through: &BTreeSet<String>,
    lng_exposed: bool,
    supplier: &str,
    kind: &str,
) -> Option<bool> {
    let mine: Vec<&RouteRow> = routes
        .iter()
        .filter(|r| r.country == country && r.supplier == supplier)
        .collect();
    if mine.is_empty() {
        return match kind {
            "lng" => Some(lng_exposed),
            _ => None,
        };
    }
    let flags: Vec<bool> = mine
        .iter()
        .map(|r| {
            if r.corridor.is_empty() {
                lng_exposed
            } else {
                through.contains(&r.corridor)
            }
        })
        .collect();
    if flags.iter().all(|f| *f) {
        Some(true)
    } else if flags.iter().all(|f| !*f) {
        Some(false)
    } else {
        None
    }
}

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
/// assert_eq!(corridor::supply::n1_formula(60.0, 10.0, 20.0, 30.0, 40.0, 100.0), 80.0);
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

/// A zone by id, for the messages of this module.
pub fn zone<'a>(zones: &'a [Zone], id: &str) -> Option<&'a Zone> {
    zones.iter().find(|z| z.id == id)
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
        assert!((y.hhi - 2600.0).abs() < 1e-9);
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
