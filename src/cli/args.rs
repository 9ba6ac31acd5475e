//! The command line's flags and commands (clap). Nothing else in the crate sees these types:
//! [`super::settings`] turns them into validated settings once.

use crate::analysis::exposure::DEFAULT_BANDS_KM;
use crate::analysis::flow::{ElementKind, DEFAULT_P_FAILURE};
use crate::figures::{Lang, DEFAULT_DPI};
use crate::input::schema::Schema;
use crate::model::Commodity;
use crate::topology::DEFAULT_SNAP_M;
use crate::write::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version = concat!(
        env!("CARGO_PKG_VERSION"),
        " (embedded dataset sha256 ",
        env!("CORRIDOR_DATASET_SHA256"),
        ")"
    ),
    about = "Energy-corridor network analysis: geodesic lengths and exposure, max-flow disruption, supply dependency",
    long_about = "Energy-corridor network analysis for the South Caucasus pipelines (BTC, SCP, TANAP, TAP, Baku–Supsa) \
and Türkiye's gas import routes. Without --network/--zones every command runs on the default dataset embedded in the binary."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Network GeoJSON file(s) or folder(s) instead of the default dataset (repeatable, several paths per flag; a folder: every .geojson/.json under it, sorted)
    #[arg(long, global = true, value_name = "PATH", num_args = 1..)]
    pub network: Vec<PathBuf>,
    /// Zone GeoJSON file(s) instead of the default zones (repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    pub zones: Vec<PathBuf>,
    /// Network GeoJSON file(s) added to the default dataset (or to --network) (repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    pub add_network: Vec<PathBuf>,
    /// Zone GeoJSON file(s) added to the default zones (or to --zones) (repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    pub add_zones: Vec<PathBuf>,
    /// Folder of supply CSV files instead of the default supply data
    #[arg(long, global = true, value_name = "DIR")]
    pub supply: Option<PathBuf>,
    /// The network as it stood that year, with that year's capacities (refused outside the years the data cover)
    #[arg(
        long,
        global = true,
        value_name = "YEAR",
        allow_negative_numbers = true
    )]
    pub year: Option<i32>,
    /// With --year: include the dated planned expansions (labelled as planned in every output)
    #[arg(long, global = true)]
    pub include_planned: bool,
    /// Capacity-history CSV file(s) for --year (the embedded one applies to the embedded network)
    #[arg(long, global = true, value_name = "PATH")]
    pub capacity_history: Vec<PathBuf>,
    /// Output format (table by default)
    #[arg(long, global = true, value_enum)]
    pub format: Option<FormatArg>,
    /// Write there instead of standard output (atomically); for `report`, the output folder
    #[arg(long, global = true, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// No progress bars or terminal summaries
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Property schema of the network files (detected per file by default)
    #[arg(long, global = true, value_enum)]
    pub schema: Option<SchemaArg>,
    /// Only this commodity: its lines, markets, ranking and (for `supply`) imports; gas by default for `supply`
    #[arg(long, global = true, value_enum)]
    pub commodity: Option<CommodityArg>,
    /// The commodity of network lines that state none (a line stating another one is an error)
    #[arg(long, global = true, value_enum, value_name = "COMMODITY")]
    pub default_commodity: Option<CommodityArg>,
    /// A tracker's attribute table (CSV, or GEM's .xlsx) keyed by ProjectID: fills what the network files lack
    #[arg(long, global = true, value_name = "FILE")]
    pub attributes: Option<PathBuf>,
    /// Snapping distance for joining line ends and nodes, in metres
    #[arg(long, global = true, value_name = "M", allow_negative_numbers = true, default_value_t = DEFAULT_SNAP_M)]
    pub snap: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommodityArg {
    Oil,
    Gas,
    Products,
    Hydrogen,
    Co2,
}

impl From<CommodityArg> for Commodity {
    fn from(c: CommodityArg) -> Self {
        match c {
            CommodityArg::Oil => Commodity::Oil,
            CommodityArg::Gas => Commodity::Gas,
            CommodityArg::Products => Commodity::Products,
            CommodityArg::Hydrogen => Commodity::Hydrogen,
            CommodityArg::Co2 => Commodity::Co2,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every corridor: commodity, capacity, measured and nominal length, km per country
    #[command(
        after_help = "Examples:\n  corridor routes\n  corridor routes --year 2010 --format csv --out routes-2010.csv\n  corridor routes --network GEM_P0644.geojson --format json | jq '.routes[]'"
    )]
    Routes,
    /// Validate files and report the topology: joins, splits, dangling ends, unreachable segments
    #[command(
        after_help = "Examples:\n  corridor check\n  corridor check my_pipelines.geojson zones.geojson\n  corridor check --format json my.geojson | jq '.summary'"
    )]
    Check {
        /// Files or folders to check (network, zone or basemap GeoJSON); default: the embedded dataset
        files: Vec<PathBuf>,
    },
    /// The main job: run every analysis on the data, print a summary, write every table under the output folder
    #[command(
        after_help = "Examples:\n  corridor report\n  corridor report --out output-2019 --year 2019\n  corridor report --lang id\n  corridor report -q --out /tmp/run"
    )]
    Report {
        /// Language of the figures' labels, legends and captions (the tables do not change)
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Deliverability: max flow from all supplies to each market alone, and to all markets at once
    #[command(
        after_help = "Examples:\n  corridor flow\n  corridor flow --year 2016 --format json\n  corridor flow --commodity gas --format csv --out flow.csv"
    )]
    Flow,
    /// Baseline vs disrupted deliverability per market with zones, segments and/or nodes cut
    #[command(group(clap::ArgGroup::new("cut").required(true).multiple(true).args(["zone", "segment", "node"])))]
    #[command(
        after_help = "Examples:\n  corridor disrupt --zone ganja-gap\n  corridor disrupt --zone arm-aze-border --band 20\n  corridor disrupt --segment TANAP-2 --node kipoi --format json"
    )]
    Disrupt {
        /// Cut every whole segment and node within --band of this zone (repeatable)
        #[arg(long, value_name = "ID")]
        zone: Vec<String>,
        /// Band around zones, km (0: touching or inside)
        #[arg(
            long,
            value_name = "KM",
            allow_negative_numbers = true,
            default_value_t = 0.0
        )]
        band: f64,
        /// Cut this segment (repeatable)
        #[arg(long, value_name = "ID")]
        segment: Vec<String>,
        /// Cut this node (repeatable)
        #[arg(long, value_name = "ID")]
        node: Vec<String>,
    },
    /// N-1 (and N-2 with --pairs): every element removed singly, ranked by the loss of total deliverability
    #[command(
        after_help = "Examples:\n  corridor rank --top 10\n  corridor rank --kind node --top 5 --pairs 5\n  corridor rank --commodity gas --format csv --out rank.csv"
    )]
    Rank {
        /// Only this kind of element (default: segments, nodes and zones)
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Show only the N worst loss levels of each commodity (exact ties count once)
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one)]
        top: Option<usize>,
        /// Also remove every pair among the K worst single elements (N-2)
        #[arg(long, value_name = "K", allow_negative_numbers = true, value_parser = whole_number, default_value_t = 0)]
        pairs: usize,
        /// Band around zones, km (0: touching or inside)
        #[arg(
            long,
            value_name = "KM",
            allow_negative_numbers = true,
            default_value_t = 0.0
        )]
        band: f64,
    },
    /// Monte Carlo over independent failures of segments, nodes and zone events: loss distribution per market
    #[command(
        after_help = "Examples:\n  corridor simulate --runs 10000 --seed 7\n  corridor simulate --runs 100000 --seed 7 --zone-prob ganja-gap=0.05\n  corridor simulate --runs 1000 --seed 1 --p-default 0.02 --format json"
    )]
    Simulate {
        /// Number of runs
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = at_least_one)]
        runs: usize,
        /// Random seed (the same seed gives the same numbers on any machine and thread count)
        #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = whole_number)]
        seed: usize,
        /// Failure probability per run of every segment and node
        #[arg(long, value_name = "P", allow_negative_numbers = true, default_value_t = DEFAULT_P_FAILURE)]
        p_default: f64,
        /// A zone event: everything within --band of zone ID fails with probability P (repeatable)
        #[arg(long, value_name = "ID=P")]
        zone_prob: Vec<String>,
        /// Band around zones, km (0: touching or inside)
        #[arg(
            long,
            value_name = "KM",
            allow_negative_numbers = true,
            default_value_t = 0.0
        )]
        band: f64,
    },
    /// Exposure of every corridor to each zone: km inside, closest approach, km within distance bands, co-location
    #[command(
        after_help = "Examples:\n  corridor exposure --zone arm-aze-border --zone tovuz\n  corridor exposure --corridor BTC --bands 5,10,20,40,70\n  corridor exposure --zone ganja-gap --format geojson --out exposed.geojson"
    )]
    Exposure {
        /// Only this zone (repeatable; default: every zone)
        #[arg(long, value_name = "ID")]
        zone: Vec<String>,
        /// Only this corridor (repeatable; default: every corridor)
        #[arg(long, value_name = "ID")]
        corridor: Vec<String>,
        /// Distance bands, km, comma-separated
        #[arg(long, value_name = "KM,...", allow_negative_numbers = true, value_delimiter = ',', default_values_t = DEFAULT_BANDS_KM)]
        bands: Vec<f64>,
    },
    /// Imports by year (Türkiye by default): supplier shares, HHI, Shannon, pipeline/LNG split, share crossing a zone
    #[command(
        after_help = "Examples:\n  corridor supply\n  corridor supply --from 2015 --to 2024 --format csv\n  corridor supply n1 --zone ganja-gap"
    )]
    Supply {
        #[command(subcommand)]
        command: Option<SupplyCommand>,
        /// Importing country, ISO 3166-1 alpha-3
        #[arg(long, global = true, value_name = "ISO3", default_value = "TUR")]
        country: String,
        /// First year
        #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
        from: Option<i32>,
        /// Last year
        #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
        to: Option<i32>,
        /// Imports whose route crosses this zone count as exposed (the common mode of `supply n1`)
        #[arg(long, global = true, value_name = "ID", default_value = "ganja-gap")]
        zone: String,
        /// Band around the zone, km (0: touching or inside)
        #[arg(
            long,
            global = true,
            value_name = "KM",
            allow_negative_numbers = true,
            default_value_t = 0.0
        )]
        band: f64,
    },
    /// Distance to a zone sampled along a corridor by chainage
    #[command(
        after_help = "Examples:\n  corridor profile --corridor BTC --zone arm-aze-border\n  corridor profile --corridor SCP --zone tovuz --step 0.5 --format csv --out scp-tovuz.csv"
    )]
    Profile {
        /// The corridor id (e.g. BTC)
        #[arg(long, value_name = "ID")]
        corridor: String,
        /// The zone id (e.g. arm-aze-border)
        #[arg(long, value_name = "ID")]
        zone: String,
        /// Sample spacing along the route, km
        #[arg(
            long,
            value_name = "KM",
            allow_negative_numbers = true,
            default_value_t = 1.0
        )]
        step: f64,
    },
    /// What the data hold: zones, corridors, segments, nodes, markets or figures
    #[command(
        after_help = "Examples:\n  corridor list zones\n  corridor list corridors --year 2010\n  corridor list figures --format json"
    )]
    List {
        /// What to list
        #[arg(value_enum)]
        what: ListWhat,
    },
    /// Everything corridor knows about one corridor, zone or node, on one screen
    #[command(
        after_help = "Examples:\n  corridor explain BTC\n  corridor explain ganja-gap\n  corridor explain kipoi --format json"
    )]
    Explain {
        /// A corridor, zone or node id (e.g. BTC, ganja-gap, kipoi)
        id: String,
    },
    /// Shell completions on standard output (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  corridor completions bash > ~/.local/share/bash-completion/completions/corridor\n  corridor completions zsh > ~/.zfunc/_corridor\n  corridor completions fish > ~/.config/fish/completions/corridor.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on standard output
    #[command(
        after_help = "Examples:\n  corridor man > corridor.1 && man ./corridor.1\n  corridor man | gzip > ~/.local/share/man/man1/corridor.1.gz"
    )]
    Man,
    /// Publication figures (SVG, PNG at print resolution, PDF), the CSV behind each, captions.md/.tex and manifest.json; --out is the folder (default output/figures)
    #[command(
        after_help = "Examples:\n  corridor figures\n  corridor figures --lang id --out figures-id\n  corridor figures --only map-ganja,supply-imports\n  corridor figures --width single --dpi 600"
    )]
    Figures {
        /// Language of every label, legend and caption
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Only these figure ids, comma-separated (e.g. map-region,rank-top)
        #[arg(long, value_name = "ID,...", value_delimiter = ',')]
        only: Vec<String>,
        /// Print resolution, dots per inch
        #[arg(long, value_name = "DPI", default_value_t = DEFAULT_DPI)]
        dpi: u32,
        /// Printed width of every figure: single (85 mm column), double (170 mm) or millimetres
        #[arg(long = "width", visible_alias = "width-mm", value_name = "single|double|MM", allow_negative_numbers = true, default_value = "double", value_parser = crate::figures::parse_width)]
        width_mm: f64,
    },
    /// An interactive map of the exposure in one self-contained HTML file that opens offline; --out is the file (default output/map.html)
    Map {
        /// Language of every label
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Distance bands, km, comma-separated
        #[arg(long, value_name = "KM,...", value_delimiter = ',', default_values_t = DEFAULT_BANDS_KM)]
        bands: Vec<f64>,
        /// The zone whose bands, stretches and closest points the page shows first (default: arm-aze-border when present, else all zones)
        #[arg(long, value_name = "ID")]
        focus: Option<String>,
    },
}

/// What `corridor list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Zones,
    Corridors,
    Segments,
    Nodes,
    Markets,
    Figures,
}

#[derive(Debug, Subcommand)]
pub enum SupplyCommand {
    /// The N-1 infrastructure indicator (EU Regulation 2017/1938, Annex II), standard and common-mode for --zone
    N1,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
    Geojson,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Geojson => Format::Geojson,
        }
    }
}

/// `--schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaArg {
    /// The contract's schema (`corridor`, `commodity`, `capacity`, ...).
    Corridor,
    /// Global Energy Monitor tracker files.
    Gem,
    /// OpenStreetMap-derived lines.
    Osm,
    /// Any other layer: names and commodities from common fields.
    Generic,
}

impl From<SchemaArg> for Schema {
    fn from(s: SchemaArg) -> Schema {
        match s {
            SchemaArg::Corridor => Schema::Corridor,
            SchemaArg::Gem => Schema::Gem,
            SchemaArg::Osm => Schema::Osm,
            SchemaArg::Generic => Schema::Generic,
        }
    }
}

/// `rank --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Segment,
    Node,
    Zone,
}

impl From<KindArg> for ElementKind {
    fn from(k: KindArg) -> ElementKind {
        match k {
            KindArg::Segment => ElementKind::Segment,
            KindArg::Node => ElementKind::Node,
            KindArg::Zone => ElementKind::Zone,
        }
    }
}

/// `figures --lang`, `map --lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Id,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Id => Lang::Id,
        }
    }
}

/// A whole number ≥ 1 (`--runs`, `--top`), with a message a person reads.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i128>() {
        Ok(n) if n >= 1 && n <= usize::MAX as i128 => Ok(n as usize),
        Ok(_) => Err("must be a whole number of at least 1".into()),
        Err(_) => Err(format!("{s:?} is not a whole number")),
    }
}

/// A whole number ≥ 0 (`--pairs`, `--seed`).
fn whole_number(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i128>() {
        Ok(n) if n >= 0 && n <= usize::MAX as i128 => Ok(n as usize),
        Ok(_) => Err("must be a whole number of at least 0".into()),
        Err(_) => Err(format!("{s:?} is not a whole number")),
    }
}
