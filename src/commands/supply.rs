//! `corridor supply` and `corridor supply n1`.

use crate::cli::{load_opts, network_sources, to_rows, zone_sources, Cli};
use crate::error::{DataError, Place};
use crate::load::{embedded, load_network, load_zones, LoadOptions, Source};
use crate::model::{Commodity, Network, NodeKind, Zone};
use crate::output::{meta, round, Report};
use crate::supply::{self, SupplyData, SupplyOptions};
use crate::topology;
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Options of the `supply` command.
#[derive(Debug, Clone)]
pub struct SupplyArgs {
    pub country: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub zone: String,
    pub band_km: f64,
}

/// The supply CSV files: `--supply DIR`, or the embedded ones.
pub fn supply_sources(dir: Option<&Path>) -> Result<Vec<Source>> {
    let Some(dir) = dir else {
        return Ok(embedded::supply());
    };
    let rd = std::fs::read_dir(dir).map_err(|e| {
        DataError::new(
            Place::file(&dir.display().to_string()),
            format!("cannot read the supply folder: {e}"),
        )
    })?;
    let mut paths: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!("{}: no CSV files in the supply folder", dir.display());
    }
    paths
        .iter()
        .map(|p| Source::read(p).map_err(Into::into))
        .collect()
}

fn validate(args: &SupplyArgs) -> Result<()> {
    if !args.band_km.is_finite() || args.band_km < 0.0 {
        bail!("--band must be a distance in km >= 0, got {}", args.band_km);
    }
    if let (Some(f), Some(t)) = (args.from, args.to) {
        if f > t {
            bail!("--from {f} is after --to {t}");
        }
    }
    Ok(())
}

/// What `supply` and `supply n1` read, loaded once ([`load`]) and shared when both run.
pub struct Loaded {
    data: SupplyData,
    supply_srcs: Vec<Source>,
    net_srcs: Vec<Source>,
    network: Network,
    zone_srcs: Vec<Source>,
    zone: Zone,
}

impl Loaded {
    /// Every file read, for `meta.inputs`.
    fn inputs(&self) -> Vec<&Source> {
        self.supply_srcs
            .iter()
            .chain(&self.net_srcs)
            .chain(&self.zone_srcs)
            .collect()
    }
}

/// Reads the supply tables, the network (every year, every commodity) and the zone of `args`.
pub fn load(cli: &Cli, args: &SupplyArgs) -> Result<Loaded> {
    validate(args)?;
    let supply_srcs = supply_sources(cli.supply.as_deref())?;
    let data = SupplyData::load(&supply_srcs)?;
    let net_srcs = network_sources(cli)?;
    // For `supply`, --commodity picks the imports, not the commodity of the network's lines.
    let opts = LoadOptions {
        commodity: None,
        ..load_opts(cli)
    };
    let (network, _) = load_network(&net_srcs, opts)?;
    let zone_srcs = zone_sources(&cli.zones)?;
    let zones = load_zones(&zone_srcs)?;
    let zone = supply::zone(&zones, &args.zone).cloned().ok_or_else(|| {
        let mut ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
        ids.sort_unstable();
        anyhow!(
            "unknown zone id {:?}; valid zone ids: {}",
            args.zone,
            ids.join(", ")
        )
    })?;
    Ok(Loaded {
        data,
        supply_srcs,
        net_srcs,
        network,
        zone_srcs,
        zone,
    })
}

/// Ids of the segments and nodes within `band_m` of the zone, on the whole network (the same
/// rule and code as `disrupt`); distances do not change with the year, so this runs once.
fn cut_ids(
    net: &Network,
    zone: &Zone,
    band_m: f64,
    snap_m: f64,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let topo = topology::build(net, snap_m);
    let model = crate::flow::FlowModel::new(net, &topo);
    let c = crate::flow::zone_cut(&model, net, zone, band_m);
    (
        c.segments
            .iter()
            .map(|&s| net.segments[s].id.clone())
            .collect(),
        c.nodes.iter().map(|&n| net.nodes[n].id.clone()).collect(),
    )
}

/// LNG terminals: supply nodes named as LNG or FSRU terminals.
fn is_lng_terminal(n: &crate::model::Node) -> bool {
    let text = format!("{} {}", n.id, n.name.as_deref().unwrap_or("")).to_lowercase();
    n.kind == NodeKind::Supply && (text.contains("lng") || text.contains("fsru"))
}

/// Which corridors carry flow through the zone in the network as it stood in `year`, and
/// whether every LNG terminal is cut. `cut` holds the ids from [`cut_ids`].
fn through_zone(
    net: &Network,
    year: Option<i32>,
    cut: &(BTreeSet<String>, BTreeSet<String>),
    snap_m: f64,
) -> (BTreeSet<String>, bool) {
    let n = net.in_year(year);
    let topo = topology::build(&n, snap_m);
    let segs: Vec<usize> = (0..n.segments.len())
        .filter(|&i| cut.0.contains(&n.segments[i].id))
        .collect();
    let nodes: Vec<usize> = (0..n.nodes.len())
        .filter(|&i| cut.1.contains(&n.nodes[i].id))
        .collect();
    let through = supply::corridors_through(&n, &topo, &segs, &nodes);
    let lng: Vec<usize> = (0..n.nodes.len())
        .filter(|&i| is_lng_terminal(&n.nodes[i]))
        .collect();
    let lng_cut = !lng.is_empty() && lng.iter().all(|i| nodes.contains(i));
    (through, lng_cut)
}

fn commodity(cli: &Cli) -> Commodity {
    cli.commodity.map(Commodity::from).unwrap_or(Commodity::Gas)
}

/// `corridor supply`.
pub fn supply_report(cli: &Cli, args: &SupplyArgs) -> Result<Report> {
    supply_report_from(cli, args, &load(cli, args)?)
}

/// [`supply_report`] on inputs already [`load`]ed.
pub fn supply_report_from(cli: &Cli, args: &SupplyArgs, l: &Loaded) -> Result<Report> {
    let commodity = commodity(cli);
    let opts = SupplyOptions {
        country: args.country.clone(),
        commodity,
        from: args.from,
        to: args.to,
    };
    let routes: Vec<_> = l
        .data
        .routes
        .iter()
        .filter(|r| r.country == args.country)
        .cloned()
        .collect();
    let band_m = args.band_km * 1000.0;
    // One topology per year: the network changes with commissioning years.
    let mut cache: BTreeMap<i32, (BTreeSet<String>, bool)> = BTreeMap::new();
    let years_present: BTreeSet<i32> = l
        .data
        .imports
        .iter()
        .map(|(_, r)| r.year)
        .filter(|y| args.from.is_none_or(|f| *y >= f) && args.to.is_none_or(|t| *y <= t))
        .collect();
    if commodity == Commodity::Gas && !routes.is_empty() {
        let ids = cut_ids(&l.network, &l.zone, band_m, cli.snap);
        for y in years_present {
            cache.insert(y, through_zone(&l.network, Some(y), &ids, cli.snap));
        }
    }
    let exposure = |y: i32, supplier: &str, kind: &str| -> Option<bool> {
        let (through, lng_cut) = cache.get(&y)?;
        supply::supplier_exposed(&routes, &args.country, through, *lng_cut, supplier, kind)
    };
    let has_routes = commodity == Commodity::Gas && !routes.is_empty();
    let rows = supply::years(
        &l.data,
        &opts,
        if has_routes { Some(&exposure) } else { None },
    );
    if rows.is_empty() {
        bail!(
            "no {} import data for {} in the supply data{}",
            commodity,
            args.country,
            match (args.from, args.to) {
                (None, None) => String::new(),
                _ => format!(" between {:?} and {:?}", args.from, args.to),
            }
        );
    }
    let mut items = to_rows(&rows);
    for item in &mut items {
        for key in [
            "total",
            "hhi",
            "shannon",
            "hhi_min",
            "hhi_max",
            "exposed_share",
            "exposed_share_max",
            "unattributed_share",
        ] {
            if let Some(Value::Number(n)) = item.get(key) {
                let digits = if key.starts_with("hhi") { 1 } else { 6 };
                let v = round(n.as_f64().unwrap_or(0.0), digits);
                item.insert(key.into(), json!(v));
            }
        }
        for key in ["shares", "by_kind"] {
            if let Some(Value::Object(m)) = item.get_mut(key) {
                for v in m.values_mut() {
                    if let Some(f) = v.as_f64() {
                        *v = json!(round(f, 6));
                    }
                }
            }
        }
    }
    let inputs = l.inputs();
    let exposed_corridors: BTreeMap<String, Vec<String>> = cache
        .iter()
        .map(|(y, (c, _))| (y.to_string(), c.iter().cloned().collect()))
        .collect();
    Ok(Report {
        meta: meta(
            "supply",
            &inputs,
            cli.year,
            json!({"country": args.country, "commodity": commodity.as_str(), "from": args.from, "to": args.to,
                   "zone": args.zone, "band_km": args.band_km, "snap_m": cli.snap}),
        ),
        member: "years",
        rows: items,
        extra: vec![
            (
                "notes",
                json!([
                    "shares are of the year's total; `unattributed` is the part of the total no source splits by supplier",
                    "hhi and shannon count each remainder (unattributed, LNG of unspecified origin) as one supplier; hhi_min splits it infinitely, hhi_max gives it to the largest named supplier",
                    "exposed_share: imports whose route crosses the zone (the corridor or a line feeding it passes within the band), derived from the network as it stood that year; exposed_share_max adds remainders whose route is unknown",
                ]),
            ),
            ("corridors_through_zone", json!(exposed_corridors)),
        ],
        table_columns: Some(vec!["year", "total", "unit", "hhi", "hhi_min", "hhi_max", "shannon", "exposed_share", "exposed_share_max", "unattributed_share", "shares"]),
    })
}

/// `corridor supply n1`.
pub fn n1_report(cli: &Cli, args: &SupplyArgs) -> Result<Report> {
    n1_report_from(cli, args, &load(cli, args)?)
}

/// [`n1_report`] on inputs already [`load`]ed.
pub fn n1_report_from(cli: &Cli, args: &SupplyArgs, l: &Loaded) -> Result<Report> {
    let (terms, im) = supply::n1_terms(&l.data, &args.country).map_err(|e| anyhow!(e))?;
    let im = im.ok_or_else(|| {
        anyhow!(
            "no Im candidates (single largest infrastructure) for {} in the N-1 data",
            args.country
        )
    })?;
    let standard = supply::n1_result(
        &terms,
        "standard",
        im.value,
        &format!("{} ({})", im.item, im.source),
    );
    // Common mode: everything that reaches the country's market through the zone fails together.
    // Its size is taken from the network: the loss of the country's deliverability (max flow)
    // when every segment and node within the band of the zone is cut.
    let net = l.network.in_year(cli.year);
    let market = market_name(&net, &args.country).ok_or_else(|| {
        anyhow!(
            "no gas market node in the network has country {}",
            args.country
        )
    })?;
    let topo = topology::build(&net, cli.snap);
    let model = crate::flow::FlowModel::new(&net, &topo);
    let zone_cut = crate::flow::zone_cut(&model, &net, &l.zone, args.band_km * 1000.0);
    let (markets, _) = crate::flow::disrupt(&model, &zone_cut);
    let lost_bcm_y = markets
        .iter()
        .find(|m| m.market == market && m.commodity == Commodity::Gas)
        .map_or(0.0, |m| m.lost);
    let lost_mcm_d = lost_bcm_y * 1000.0 / 365.25;
    let through: Vec<String> = {
        let c: BTreeSet<String> = zone_cut
            .segments
            .iter()
            .map(|&s| net.segments[s].corridor.clone())
            .collect();
        c.into_iter().collect()
    };
    let common = supply::n1_result(
        &terms,
        "common-mode",
        lost_mcm_d,
        &format!(
            "every line within {} km of {} fails at once ({}): {market}'s gas deliverability falls by {:.2} bcm/y = {:.1} mcm/d (max flow on the network{})",
            args.band_km,
            args.zone,
            through.join(", "),
            lost_bcm_y,
            lost_mcm_d,
            cli.year.map(|y| format!(" of {y}")).unwrap_or_default()
        ),
    );
    let mut rows = to_rows(&[standard, common]);
    for r in &mut rows {
        for (k, v) in r.iter_mut() {
            if let Some(f) = v.as_f64() {
                if k != "case" {
                    *v = json!(round(f, 3));
                }
            }
        }
    }
    let inputs = l.inputs();
    Ok(Report {
        meta: meta(
            "supply n1",
            &inputs,
            cli.year,
            json!({"country": args.country, "zone": args.zone, "band_km": args.band_km, "snap_m": cli.snap}),
        ),
        member: "n1",
        rows,
        extra: vec![
            ("formula", json!({"n1": "N-1 [%] = 100 × (EPm + Pm + Sm + LNGm − Im) / Dmax", "source": supply::N1_SOURCE})),
            (
                "terms",
                Value::Array(
                    terms
                        .iter()
                        .map(|t| {
                            let made_of: Vec<String> = t.items.iter().map(|r| format!("{} {} {}", r.item, r.value, r.unit)).collect();
                            json!({"term": t.term, "value": round(t.value, 3), "unit": t.unit, "meaning": t.meaning,
                                   "made_of": if made_of.is_empty() { "nothing: counted in EPm or not sourced".to_string() } else { made_of.join(" + ") }})
                        })
                        .collect(),
                ),
            ),
            (
                "inputs",
                Value::Array(
                    terms
                        .iter()
                        .flat_map(|t| t.items.iter())
                        .map(|r| json!({"term": r.term, "item": r.item, "value": r.value, "unit": r.unit, "as_of": r.as_of, "source": r.source, "confidence": r.confidence}))
                        .collect(),
                ),
            ),
            ("im_standard", serde_json::to_value(&im).unwrap_or(Value::Null)),
        ],
        table_columns: Some(vec!["case", "n1_percent", "epm", "pm", "sm", "lngm", "im", "dmax", "unit", "im_item"]),
    })
}

/// The market name of the country's gas market nodes (the most common one).
fn market_name(net: &Network, country: &str) -> Option<String> {
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
