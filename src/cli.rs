//! The command line: argument definitions (clap) and the dispatch from commands to analyses and
//! writers. Each command loads its inputs, runs one analysis and hands a [`Report`] to a writer.

use crate::check::check;
use crate::error::{DataErrors, Severity};
use crate::load::{embedded, load_countries, load_network, load_zones, LoadOptions, Source};
use crate::model::{Commodity, Country, Network, Zone};
use crate::output::{emit, meta, Format, Report};
use crate::routes::routes;
use crate::schema::Schema;
use crate::topology::DEFAULT_SNAP_M;
use anyhow::{bail, Result};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version,
    about = "Energy-corridor network analysis: geodesic lengths and exposure, max-flow disruption, supply dependency",
    long_about = "Energy-corridor network analysis for the South Caucasus pipelines (BTC, SCP, TANAP, TAP, Baku–Supsa) \
and Türkiye's gas import routes. Without --network/--zones every command runs on the default dataset embedded in the binary."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Network GeoJSON file(s) instead of the default dataset (repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    pub network: Vec<PathBuf>,
    /// Zone GeoJSON file(s) instead of the default zones (repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    pub zones: Vec<PathBuf>,
    /// Folder of supply CSV files instead of the default supply data
    #[arg(long, global = true, value_name = "DIR")]
    pub supply: Option<PathBuf>,
    /// The network as it stood that year: segments commissioned on or before it and not yet decommissioned
    #[arg(long, global = true, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Output format (table by default)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Write there instead of standard output (atomically); for `report`, the output folder
    #[arg(long, global = true, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// No progress bars or terminal summaries
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Property schema of the network files (detected per file by default)
    #[arg(long, global = true, value_enum)]
    pub schema: Option<Schema>,
    /// Set the commodity of every line of the network files given (for `supply`: which imports, default gas)
    #[arg(long, global = true, value_enum)]
    pub commodity: Option<CommodityArg>,
    /// Snapping distance for joining line ends and nodes, in metres
    #[arg(long, global = true, value_name = "M", default_value_t = DEFAULT_SNAP_M)]
    pub snap: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommodityArg {
    Oil,
    Gas,
}

impl From<CommodityArg> for Commodity {
    fn from(c: CommodityArg) -> Self {
        match c {
            CommodityArg::Oil => Commodity::Oil,
            CommodityArg::Gas => Commodity::Gas,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every corridor: commodity, capacity, measured and nominal length, km per country
    Routes,
    /// Validate files and report the topology: joins, splits, dangling ends, unreachable segments
    Check {
        /// Files to check (network, zone or basemap GeoJSON); default: the embedded dataset
        files: Vec<PathBuf>,
    },
    /// The main job: run every analysis on the data, print a summary, write every table under the output folder
    Report,
    /// Deliverability: max flow from all supplies to each market alone, and to all markets at once
    Flow,
    /// Baseline vs disrupted deliverability per market with zones, segments and/or nodes cut
    #[command(group(clap::ArgGroup::new("cut").required(true).multiple(true).args(["zone", "segment", "node"])))]
    Disrupt {
        /// Cut every whole segment and node within --band of this zone (repeatable)
        #[arg(long, value_name = "ID")]
        zone: Vec<String>,
        /// Band around zones, km (0: touching or inside)
        #[arg(long, value_name = "KM", default_value_t = 0.0)]
        band: f64,
        /// Cut this segment (repeatable)
        #[arg(long, value_name = "ID")]
        segment: Vec<String>,
        /// Cut this node (repeatable)
        #[arg(long, value_name = "ID")]
        node: Vec<String>,
    },
    /// N-1 (and N-2 with --pairs): every element removed singly, ranked by the loss of total deliverability
    Rank {
        /// Only this kind of element (default: segments, nodes and zones)
        #[arg(long, value_enum)]
        kind: Option<crate::flow::ElementKind>,
        /// Show only the N worst elements
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Also remove every pair among the K worst single elements (N-2)
        #[arg(long, value_name = "K", default_value_t = 0)]
        pairs: usize,
        /// Band around zones, km (0: touching or inside)
        #[arg(long, value_name = "KM", default_value_t = 0.0)]
        band: f64,
    },
    /// Monte Carlo over independent failures of segments, nodes and zone events: loss distribution per market
    Simulate {
        /// Number of runs
        #[arg(long, value_name = "N")]
        runs: u64,
        /// Random seed (the same seed gives the same numbers on any machine and thread count)
        #[arg(long, value_name = "S")]
        seed: u64,
        /// Failure probability per run of every segment and node
        #[arg(long, value_name = "P", default_value_t = crate::flow::DEFAULT_P_FAILURE)]
        p_default: f64,
        /// A zone event: everything within --band of zone ID fails with probability P (repeatable)
        #[arg(long, value_name = "ID=P")]
        zone_prob: Vec<String>,
        /// Band around zones, km (0: touching or inside)
        #[arg(long, value_name = "KM", default_value_t = 0.0)]
        band: f64,
    },
    /// Exposure of every corridor to each zone: km inside, closest approach, km within distance bands, co-location
    Exposure {
        /// Only this zone (repeatable; default: every zone)
        #[arg(long, value_name = "ID")]
        zone: Vec<String>,
        /// Distance bands, km, comma-separated
        #[arg(long, value_name = "KM,...", value_delimiter = ',', default_values_t = crate::exposure::DEFAULT_BANDS_KM)]
        bands: Vec<f64>,
    },
    /// Imports by year (Türkiye by default): supplier shares, HHI, Shannon, pipeline/LNG split, share crossing a zone
    Supply {
        #[command(subcommand)]
        command: Option<SupplyCommand>,
        /// Importing country, ISO 3166-1 alpha-3
        #[arg(long, global = true, value_name = "ISO3", default_value = "TUR")]
        country: String,
        /// First year
        #[arg(long, value_name = "YEAR")]
        from: Option<i32>,
        /// Last year
        #[arg(long, value_name = "YEAR")]
        to: Option<i32>,
        /// Imports whose route crosses this zone count as exposed (the common mode of `supply n1`)
        #[arg(long, global = true, value_name = "ID", default_value = "ganja-gap")]
        zone: String,
        /// Band around the zone, km (0: touching or inside)
        #[arg(long, global = true, value_name = "KM", default_value_t = 0.0)]
        band: f64,
    },
    /// Distance to a zone sampled along a corridor by chainage
    Profile {
        /// The corridor id (e.g. BTC)
        #[arg(long, value_name = "ID")]
        corridor: String,
        /// The zone id (e.g. arm-aze-border)
        #[arg(long, value_name = "ID")]
        zone: String,
        /// Sample spacing along the route, km
        #[arg(long, value_name = "KM", default_value_t = 1.0)]
        step: f64,
    },
    /// Publication figures (SVG + PNG at print resolution), the CSV behind each, and manifest.json; --out is the folder (default output/figures)
    Figures {
        /// Language of every label, legend and caption
        #[arg(long, value_enum, default_value = "en")]
        lang: crate::figures::Lang,
        /// Only these figure ids, comma-separated (e.g. map-region,rank-top)
        #[arg(long, value_name = "ID,...", value_delimiter = ',')]
        only: Vec<String>,
        /// Print resolution, dots per inch
        #[arg(long, value_name = "DPI", default_value_t = crate::figures::DEFAULT_DPI)]
        dpi: u32,
        /// Physical width of every figure, mm
        #[arg(long, value_name = "MM", default_value_t = crate::figures::DEFAULT_WIDTH_MM)]
        width_mm: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum SupplyCommand {
    /// The N-1 infrastructure indicator (EU Regulation 2017/1938, Annex II), standard and common-mode for --zone
    N1,
}

/// Inputs as loaded for a command.
struct Inputs {
    network_sources: Vec<Source>,
    network: Network,
    countries: Vec<Country>,
}

pub(crate) fn load_opts(cli: &Cli) -> LoadOptions {
    LoadOptions {
        schema: cli.schema,
        commodity: cli.commodity.map(Commodity::from),
    }
}

/// Loads the network files with the command line's options; a spinner says so while files of
/// more than 20 MB are read (hidden with `--quiet` or when stderr is not a terminal).
pub(crate) fn load_net(cli: &Cli, sources: &[Source]) -> Result<Network, DataErrors> {
    let bytes: usize = sources.iter().map(|s| s.bytes.len()).sum();
    let bar = crate::output::progress_bar(cli.quiet || bytes < 20_000_000);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(format!("loading {:.0} MB of GeoJSON", bytes as f64 / 1e6));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let r = load_network(sources, load_opts(cli));
    bar.finish_and_clear();
    r.map(|(net, _)| net)
}

/// Everything the figures draw on, with the command line's options: the network (as of
/// `--year`), zones, basemap and supply tables.
pub(crate) fn figure_data(
    cli: &Cli,
    network: Vec<Source>,
    zones: Vec<Source>,
) -> Result<crate::figures::FigureData> {
    crate::figures::FigureData::load(
        network,
        zones,
        embedded::basemap(),
        crate::commands::supply::supply_sources(cli.supply.as_deref())?,
        load_opts(cli),
        cli.year,
        cli.snap,
    )
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<Source>, DataErrors> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for p in paths {
        match Source::read(p) {
            Ok(s) => out.push(s),
            Err(e) => errs.push(e),
        }
    }
    DataErrors::or_ok(errs, out)
}

pub(crate) fn network_sources(cli: &Cli) -> Result<Vec<Source>, DataErrors> {
    if cli.network.is_empty() {
        Ok(embedded::network())
    } else {
        read_all(&cli.network)
    }
}

/// The zones of the command line, or the default ones.
pub fn zone_sources(cli_zones: &[PathBuf]) -> Result<Vec<Source>, DataErrors> {
    if cli_zones.is_empty() {
        Ok(embedded::zones())
    } else {
        read_all(cli_zones)
    }
}

fn load_inputs(cli: &Cli) -> Result<Inputs> {
    let network_sources = network_sources(cli)?;
    let network = load_net(cli, &network_sources)?;
    let network = network.in_year(cli.year);
    let countries = load_countries(&embedded::basemap())?;
    Ok(Inputs {
        network_sources,
        network,
        countries,
    })
}

#[allow(dead_code)]
fn load_zone_list(cli: &Cli) -> Result<Vec<Zone>> {
    Ok(load_zones(&zone_sources(&cli.zones)?)?)
}

fn validate(cli: &Cli) -> Result<()> {
    if !cli.snap.is_finite() || cli.snap < 0.0 {
        bail!("--snap must be a distance in metres >= 0, got {}", cli.snap);
    }
    Ok(())
}

pub(crate) use crate::output::to_rows;

fn write_report(cli: &Cli, report: &Report, allowed: &[Format]) -> Result<()> {
    let format = cli.format.unwrap_or(Format::Table);
    if !allowed.contains(&format) {
        bail!(
            "--format {} is not available for this command (use one of: {})",
            format
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default(),
            allowed
                .iter()
                .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let text = match format {
        Format::Json => report.json(),
        Format::Csv => report.csv()?,
        _ => report.table(),
    };
    emit(cli.out.as_deref(), &text)
}

fn routes_report(cli: &Cli, inputs: &Inputs) -> Report {
    routes_report_for(
        cli,
        &inputs.network,
        &inputs.network_sources,
        &inputs.countries,
    )
}

/// The `routes` report of a loaded network.
pub(crate) fn routes_report_for(
    cli: &Cli,
    network: &Network,
    sources: &[Source],
    countries: &[Country],
) -> Report {
    let r = routes(network, countries);
    Report {
        meta: meta(
            "routes",
            &sources.iter().collect::<Vec<_>>(),
            cli.year,
            json!({"snap_m": cli.snap, "schema": cli.schema.map(|s| s.as_str())}),
        ),
        member: "routes",
        rows: to_rows(&r),
        extra: vec![],
        table_columns: Some(vec![
            "corridor",
            "commodity",
            "capacity",
            "capacity_unit",
            "length_km",
            "nominal_length_km",
            "segments",
            "geometry",
            "countries",
        ]),
    }
}

/// Runs the command line. Returns the process exit status for commands (like `check`) whose
/// findings decide it; errors are returned for `main` to print.
pub fn run(cli: Cli) -> Result<i32> {
    validate(&cli)?;
    match &cli.command {
        Command::Routes => {
            let inputs = load_inputs(&cli)?;
            write_report(
                &cli,
                &routes_report(&cli, &inputs),
                &[Format::Table, Format::Json, Format::Csv],
            )?;
            Ok(0)
        }
        Command::Check { files } => {
            let sources = if files.is_empty() {
                let mut s = network_sources(&cli)?;
                if cli.network.is_empty() {
                    s.extend(embedded::zones());
                    s.extend(embedded::basemap());
                    s.extend(embedded::supply());
                }
                s
            } else {
                read_all(files)?
            };
            let result = check(&sources, load_opts(&cli), cli.snap);
            let errors = result
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            let report = Report {
                meta: meta(
                    "check",
                    &sources.iter().collect::<Vec<_>>(),
                    cli.year,
                    json!({"snap_m": cli.snap}),
                ),
                member: "problems",
                rows: to_rows(&result.problems),
                extra: vec![("summary", result.summary)],
                table_columns: Some(vec!["severity", "file", "feature", "id", "message"]),
            };
            write_report(&cli, &report, &[Format::Table, Format::Json, Format::Csv])?;
            Ok(if errors > 0 { 1 } else { 0 })
        }
        Command::Report => crate::commands::report::run(&cli),
        Command::Flow
        | Command::Disrupt { .. }
        | Command::Rank { .. }
        | Command::Simulate { .. } => flow_command(&cli),
        Command::Exposure { zone, bands } => exposure_command(&cli, zone, bands),
        Command::Supply {
            command,
            country,
            from,
            to,
            zone,
            band,
        } => {
            let args = crate::commands::supply::SupplyArgs {
                country: country.clone(),
                from: *from,
                to: *to,
                zone: zone.clone(),
                band_km: *band,
            };
            let report = match command {
                None => crate::commands::supply::supply_report(&cli, &args)?,
                Some(SupplyCommand::N1) => crate::commands::supply::n1_report(&cli, &args)?,
            };
            write_report(&cli, &report, &[Format::Table, Format::Json, Format::Csv])?;
            Ok(0)
        }
        Command::Profile {
            corridor,
            zone,
            step,
        } => profile_command(&cli, corridor, zone, *step),
        Command::Figures {
            lang,
            only,
            dpi,
            width_mm,
        } => figures_command(&cli, *lang, only, *dpi, *width_mm),
    }
}

/// `figures`: load every input (the embedded dataset unless files are given), write the figures
/// and the manifest under `--out` (default `output/figures`), list what was written.
fn figures_command(
    cli: &Cli,
    lang: crate::figures::Lang,
    only: &[String],
    dpi: u32,
    width_mm: f64,
) -> Result<i32> {
    let opts = crate::figures::FigureOptions {
        lang,
        only: (!only.is_empty()).then(|| only.to_vec()),
        dpi,
        width_mm,
    };
    // Check the ids before loading anything, so a typo fails fast.
    crate::figures::select(opts.only.as_deref())?;
    let data = figure_data(cli, network_sources(cli)?, zone_sources(&cli.zones)?)?;
    let dir = cli
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output/figures"));
    let manifest = crate::figures::write_figures(&data, &dir, &opts)?;
    if !cli.quiet {
        for f in &manifest.figures {
            println!(
                "{:<18} {} {} {}",
                f.id,
                dir.join(&f.files.svg).display(),
                dir.join(&f.files.png).display(),
                dir.join(&f.data).display()
            );
        }
        println!("manifest: {}", dir.join("manifest.json").display());
    }
    Ok(0)
}

/// `exposure`: every corridor × the chosen zones; geojson writes the exposed stretches, the
/// table adds co-location as a second block.
fn exposure_command(cli: &Cli, zone_ids: &[String], bands: &[f64]) -> Result<i32> {
    crate::exposure::validate_bands(bands)?;
    let network_sources = network_sources(cli)?;
    let network = load_net(cli, &network_sources)?;
    let network = network.in_year(cli.year);
    let zone_srcs = zone_sources(&cli.zones)?;
    let zones = load_zones(&zone_srcs)?;
    let chosen = crate::exposure::select_zones(&zones, zone_ids)?;
    let format = cli.format.unwrap_or(Format::Table);
    let bar = crate::output::progress_bar(cli.quiet);
    let out = crate::exposure::exposure_report(
        &network,
        &network_sources.iter().chain(&zone_srcs).collect::<Vec<_>>(),
        cli.year,
        &chosen,
        bands,
        format == Format::Geojson,
        &bar,
    )?;
    bar.finish_and_clear();
    match format {
        Format::Geojson => emit(cli.out.as_deref(), &out.geojson)?,
        Format::Table => emit(cli.out.as_deref(), &out.table.table())?,
        _ => write_report(cli, &out.report, &[Format::Json, Format::Csv])?,
    }
    Ok(0)
}

/// `profile`: distance to one zone sampled along one corridor.
fn profile_command(cli: &Cli, corridor: &str, zone: &str, step: f64) -> Result<i32> {
    let network_sources = network_sources(cli)?;
    let network = load_net(cli, &network_sources)?;
    let network = network.in_year(cli.year);
    let zone_srcs = zone_sources(&cli.zones)?;
    let zones = load_zones(&zone_srcs)?;
    let bar = crate::output::progress_bar(cli.quiet);
    let report = crate::exposure::profile_report(
        &network,
        &network_sources.iter().chain(&zone_srcs).collect::<Vec<_>>(),
        cli.year,
        &zones,
        crate::exposure::ProfileQuery {
            corridor,
            zone,
            step_km: step,
        },
        &bar,
    )?;
    bar.finish_and_clear();
    write_report(cli, &report, &[Format::Table, Format::Json, Format::Csv])?;
    Ok(0)
}

/// `flow`, `disrupt`, `rank` and `simulate`: load the network (and zones where needed), run the
/// analysis in [`crate::flow::commands`], write the report.
fn flow_command(cli: &Cli) -> Result<i32> {
    use crate::flow::commands::{self, SimulateArgs};
    let network_sources = network_sources(cli)?;
    let network = load_net(cli, &network_sources)?;
    let network = network.in_year(cli.year);
    let needs_zones = match &cli.command {
        Command::Disrupt { zone, .. } => !zone.is_empty(),
        Command::Rank { kind, .. } => kind.is_none_or(|k| k == crate::flow::ElementKind::Zone),
        Command::Simulate { zone_prob, .. } => !zone_prob.is_empty(),
        _ => false,
    };
    let zone_srcs = if needs_zones {
        zone_sources(&cli.zones)?
    } else {
        Vec::new()
    };
    let zones = load_zones(&zone_srcs)?;
    let inputs = commands::Inputs::new(
        &network,
        network_sources.iter().chain(&zone_srcs).collect(),
        cli.year,
        cli.snap,
        crate::output::progress_bar(cli.quiet),
    );
    let report = match &cli.command {
        Command::Disrupt {
            zone,
            band,
            segment,
            node,
        } => commands::disrupt_report(&inputs, &zones, zone, *band, segment, node)?,
        Command::Rank {
            kind,
            top,
            pairs,
            band,
        } => commands::rank_report(&inputs, &zones, *kind, *top, *pairs, *band)?,
        Command::Simulate {
            runs,
            seed,
            p_default,
            zone_prob,
            band,
        } => {
            let bar = if *runs < 1000 {
                indicatif::ProgressBar::hidden()
            } else {
                crate::output::progress_bar(cli.quiet)
            };
            bar.set_length(*runs);
            let args = SimulateArgs {
                runs: *runs,
                seed: *seed,
                p_default: *p_default,
                zone_probs: zone_prob,
                band_km: *band,
            };
            let r = commands::simulate_report(&inputs, &zones, &args, &|n| bar.inc(n))?;
            bar.finish_and_clear();
            r
        }
        _ => commands::flow_report(&inputs),
    };
    write_report(cli, &report, &[Format::Table, Format::Json, Format::Csv])?;
    Ok(0)
}

/// Parses the arguments and runs; used by `main`.
pub fn main_with_args() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(errs) = e.downcast_ref::<DataErrors>() {
                eprintln!("error: {errs}");
            } else {
                eprintln!("error: {e:#}");
            }
            1
        }
    }
}
