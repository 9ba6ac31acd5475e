//! The data model: pipeline segments, nodes and zones, with capacities normalised to one unit
//! per commodity (bcm/y for gas and hydrogen, kb/d for oil and products, Mt/y for CO2).

mod history;

pub use history::{
    normalise_unit, CapacityHistory, CapacityStep, PlannedUse, StepOwner, StepStatus, Vintage,
    LNG_BCM_PER_MT,
};

use geo::{Geometry, LineString, Point};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// What a line or node carries. Lines of different commodities never connect.
///
/// The set is the trackers' fuels: crude oil and natural gas liquids (`oil`), natural gas
/// (`gas`), refined petroleum products (`products`: gasoline, diesel, jet fuel, fuel oil),
/// hydrogen and carbon dioxide (`co2`, carbon capture and enhanced oil recovery lines). Each has
/// one unit every quantity is normalised to ([`Commodity::unit`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Commodity {
    Oil,
    Gas,
    Products,
    Hydrogen,
    Co2,
    /// A line loaded without a commodity: usable by the geometric commands only.
    #[default]
    Unknown,
}

impl Commodity {
    /// Every commodity a line can carry, in the order reports list them.
    pub const KNOWN: [Commodity; 5] = [
        Commodity::Oil,
        Commodity::Gas,
        Commodity::Products,
        Commodity::Hydrogen,
        Commodity::Co2,
    ];

    /// The names [`Commodity::parse`] accepts.
    pub const NAMES: [&'static str; 5] = ["oil", "gas", "products", "hydrogen", "co2"];

    pub fn parse(s: &str) -> Option<Commodity> {
        match s {
            "oil" => Some(Commodity::Oil),
            "gas" => Some(Commodity::Gas),
            "products" => Some(Commodity::Products),
            "hydrogen" => Some(Commodity::Hydrogen),
            "co2" => Some(Commodity::Co2),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Commodity::Oil => "oil",
            Commodity::Gas => "gas",
            Commodity::Products => "products",
            Commodity::Hydrogen => "hydrogen",
            Commodity::Co2 => "co2",
            Commodity::Unknown => "unknown",
        }
    }

    /// The unit every quantity of this commodity is normalised to: volumes of gas and hydrogen
    /// in bcm/y, liquids in kb/d, CO2 by mass in Mt/y.
    pub fn unit(self) -> &'static str {
        match self {
            Commodity::Oil | Commodity::Products => "kb/d",
            Commodity::Gas | Commodity::Hydrogen => "bcm/y",
            Commodity::Co2 => "Mt/y",
            Commodity::Unknown => "",
        }
    }
}

impl fmt::Display for Commodity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Barrels of crude per tonne used for `Mt/y` → `kb/d` (the contract's 7.33 bbl/t).
pub const BARRELS_PER_TONNE: f64 = 7.33;

/// Cubic metres in a cubic foot: 0.3048³, exact by the definition of the international foot.
pub const CUBIC_METRES_PER_CUBIC_FOOT: f64 = 0.028_316_846_592;

/// Days in a year for per-day → per-year conversions.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// A capacity unit, with its factor to the normalised unit of each commodity it can measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityUnit {
    /// Billion cubic metres a year.
    BcmPerYear,
    /// Million cubic metres a day (also written MMSCMD, MMcm/d).
    McmPerDay,
    /// Million (standard) cubic feet a day (MMcf/d, MMscf/d).
    MmcfPerDay,
    /// Billion cubic feet a day.
    BcfPerDay,
    /// Thousand barrels a day.
    KbPerDay,
    /// Barrels a day (b/d, bpd).
    BarrelsPerDay,
    /// Barrels of oil equivalent a day.
    BoePerDay,
    /// Million tonnes a year (Mtpa).
    MtPerYear,
}

impl CapacityUnit {
    /// The canonical spellings, which the corridor schema's `capacity_unit` takes.
    pub const ALL: [&'static str; 8] = [
        "bcm/y", "mcm/d", "MMcf/d", "bcf/d", "kb/d", "b/d", "boe/d", "Mt/y",
    ];

    /// A canonical spelling (the corridor schema's, exact).
    pub fn parse(s: &str) -> Option<CapacityUnit> {
        match s {
            "bcm/y" => Some(CapacityUnit::BcmPerYear),
            "mcm/d" => Some(CapacityUnit::McmPerDay),
            "MMcf/d" => Some(CapacityUnit::MmcfPerDay),
            "bcf/d" => Some(CapacityUnit::BcfPerDay),
            "kb/d" => Some(CapacityUnit::KbPerDay),
            "b/d" => Some(CapacityUnit::BarrelsPerDay),
            "boe/d" => Some(CapacityUnit::BoePerDay),
            "Mt/y" => Some(CapacityUnit::MtPerYear),
            _ => None,
        }
    }

    /// A unit as trackers and regulators write it (case, spaces and the `s` of "standard" do
    /// not matter): `MMcf/d`, `MMscf/d`, `MMSCFD`, `bcf/d`, `mcm/d`, `MMSCMD`, `bcm/y`,
    /// `bcm/yr`, `Mtpa`, `bpd`, `b/d`, `kb/d`, `boe/d`, ...
    ///
    /// ```
    /// use corridor::model::CapacityUnit;
    /// assert_eq!(CapacityUnit::parse_loose("MMscf/d"), Some(CapacityUnit::MmcfPerDay));
    /// assert_eq!(CapacityUnit::parse_loose(" MMSCMD "), Some(CapacityUnit::McmPerDay));
    /// assert_eq!(CapacityUnit::parse_loose("Mtpa"), Some(CapacityUnit::MtPerYear));
    /// assert_eq!(CapacityUnit::parse_loose("mb/d"), None); // thousand or million? not guessed
    /// ```
    pub fn parse_loose(s: &str) -> Option<CapacityUnit> {
        let u: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Some(match u.as_str() {
            "bcm/y" | "bcm/yr" | "bcm/year" | "bcm/a" | "bcma" | "bcm" | "bcmy" | "bcm/annum"
            | "bcmpa" => CapacityUnit::BcmPerYear,
            "mcm/d" | "mcm/day" | "mcmd" | "mmcm/d" | "mmcmd" | "mmscm/d" | "mmscmd"
            | "mmscm/day" | "mmm3/d" | "millionm3/d" => CapacityUnit::McmPerDay,
            "mmcf/d" | "mmcfd" | "mmscf/d" | "mmscfd" | "mmcf/day" | "mmscf/day" => {
                CapacityUnit::MmcfPerDay
            }
            "bcf/d" | "bcfd" | "bscf/d" | "bscfd" | "bcf/day" => CapacityUnit::BcfPerDay,
            "kb/d" | "kbpd" | "kbd" | "kbbl/d" | "kbbl/day" => CapacityUnit::KbPerDay,
            "b/d" | "bpd" | "bbl/d" | "bbl/day" | "bbld" | "bopd" | "barrels/day"
            | "barrelsperday" => CapacityUnit::BarrelsPerDay,
            "boe/d" | "boepd" | "boed" | "boe/day" => CapacityUnit::BoePerDay,
            "mt/y" | "mtpa" | "mt/yr" | "mt/a" | "mta" | "mt/year" | "mtpaoil" | "mtoe/y" => {
                CapacityUnit::MtPerYear
            }
            _ => return None,
        })
    }

    /// The commodity a quantity in this unit is taken for when the line does not say (the
    /// corridor schema's lines without `commodity`).
    pub fn commodity(self) -> Commodity {
        match self {
            CapacityUnit::BcmPerYear
            | CapacityUnit::McmPerDay
            | CapacityUnit::MmcfPerDay
            | CapacityUnit::BcfPerDay => Commodity::Gas,
            _ => Commodity::Oil,
        }
    }

    /// Converts a value in this unit to the normalised unit of the commodity it measures by
    /// default ([`CapacityUnit::commodity`]).
    ///
    /// ```
    /// use corridor::model::CapacityUnit;
    /// assert_eq!(CapacityUnit::BarrelsPerDay.normalise(1_200_000.0), 1200.0);
    /// // 1e6 t / 365.25 d × 7.33 bbl/t = 20,068 b/d: the contract's "20.1 kb/d".
    /// assert!((CapacityUnit::MtPerYear.normalise(1.0) - 20.068).abs() < 0.001);
    /// assert!((CapacityUnit::McmPerDay.normalise(100.0) - 36.525).abs() < 1e-9);
    /// ```
    pub fn normalise(self, v: f64) -> f64 {
        self.normalise_for(v, self.commodity()).unwrap_or(v)
    }

    /// Converts a value in this unit to `commodity`'s normalised unit ([`Commodity::unit`]), or
    /// says why it cannot: the unit measures something else, or the conversion would need a
    /// property of the fluid the file does not give.
    ///
    /// ```
    /// use corridor::model::{CapacityUnit, Commodity};
    /// // GEM's own column for P0466 reads 652.33 MMcf/d as 6.75 bcm/y.
    /// let v = CapacityUnit::MmcfPerDay.normalise_for(652.33, Commodity::Gas).unwrap();
    /// assert!((v - 6.747).abs() < 0.001);
    /// assert_eq!(CapacityUnit::MtPerYear.normalise_for(2.5, Commodity::Co2), Ok(2.5));
    /// assert!(CapacityUnit::BarrelsPerDay.normalise_for(1.0, Commodity::Gas).is_err());
    /// ```
    pub fn normalise_for(self, v: f64, commodity: Commodity) -> Result<f64, &'static str> {
        use CapacityUnit as U;
        use Commodity as C;
        // Million and billion cubic feet → billion cubic metres a year: volumes as stated, at
        // the tracker's standard conditions (no temperature correction).
        let mmcf_d = CUBIC_METRES_PER_CUBIC_FOOT * DAYS_PER_YEAR / 1000.0;
        match (commodity, self) {
            (C::Unknown, u) => u.normalise_for(v, u.commodity()),
            (C::Gas | C::Hydrogen, U::BcmPerYear) => Ok(v),
            (C::Gas | C::Hydrogen, U::McmPerDay) => Ok(v * DAYS_PER_YEAR / 1000.0),
            (C::Gas | C::Hydrogen, U::MmcfPerDay) => Ok(v * mmcf_d),
            (C::Gas | C::Hydrogen, U::BcfPerDay) => Ok(v * 1000.0 * mmcf_d),
            (C::Gas | C::Hydrogen, U::KbPerDay | U::BarrelsPerDay | U::BoePerDay) => {
                Err("a liquids (barrel) unit, not one for a gas")
            }
            (C::Gas | C::Hydrogen, U::MtPerYear) => Err(
                "a mass unit: tonnes to cubic metres needs the gas's density, which the file does not give",
            ),
            (C::Oil | C::Products, U::KbPerDay) => Ok(v),
            (C::Oil | C::Products, U::BarrelsPerDay) => Ok(v / 1000.0),
            // A barrel of oil equivalent is a barrel of crude by definition.
            (C::Oil, U::BoePerDay) => Ok(v / 1000.0),
            // Mt/y → t/d → bbl/d → kb/d.
            (C::Oil, U::MtPerYear) => Ok(v * 1.0e6 / DAYS_PER_YEAR * BARRELS_PER_TONNE / 1000.0),
            (C::Products, U::BoePerDay) => Err(
                "barrels of oil equivalent measure energy, not a volume of products",
            ),
            (C::Products, U::MtPerYear) => Err(
                "tonnes to barrels of products depends on the product (6.7 to 8.5 bbl/t): not converted",
            ),
            (C::Oil | C::Products, _) => Err("a gas (volume) unit, not one for liquids"),
            (C::Co2, U::MtPerYear) => Ok(v),
            (C::Co2, _) => Err(
                "CO2 is counted by mass (Mt/y); a volume needs the CO2's density, which the file does not give",
            ),
        }
    }
}

/// Which way a segment may carry flow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Along the vertex order only.
    #[default]
    Forward,
    /// Either way.
    Both,
}

/// How a segment's geometry was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GeometryKind {
    Mapped,
    Schematic,
}

/// One pipeline segment: a single connected line (multi-part features are split into parts).
#[derive(Debug, Clone)]
pub struct Segment {
    pub id: String,
    pub corridor: String,
    pub name: Option<String>,
    pub commodity: Commodity,
    /// Normalised capacity ([`Commodity::unit`]); `None` when not given.
    pub capacity: Option<f64>,
    pub direction: Direction,
    pub commissioned: Option<i32>,
    pub decommissioned: Option<i32>,
    /// As the file states it; shared by the segments of one run of features that state the
    /// same status (a network's lines mostly say `operating`).
    pub status: Option<Arc<str>>,
    pub nominal_length_km: Option<f64>,
    pub source: Option<String>,
    pub geometry_kind: Option<GeometryKind>,
    /// Probability that the segment fails in one Monte Carlo run (`failure_prob`), if given.
    pub failure_prob: Option<f64>,
    /// Geometry in WGS84 lon/lat, vertex order = flow direction.
    pub line: LineString<f64>,
    /// Where it was read from (file and feature index). The file's name is shared by all its
    /// segments (a network of a million segments kept a million copies of it).
    pub file: Arc<str>,
    pub feature: usize,
}

/// The commodity most of `segs` carry (ties in the order of [`Commodity`]) and the largest capacity stated
/// on those of that commodity.
fn nameplate<'a>(segs: impl Iterator<Item = &'a Segment>) -> (Commodity, Option<f64>) {
    let segs: Vec<&Segment> = segs.collect();
    let mut counts: std::collections::BTreeMap<Commodity, usize> = Default::default();
    for s in &segs {
        *counts.entry(s.commodity).or_default() += 1;
    }
    let commodity = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| *c)
        .unwrap_or(Commodity::Unknown);
    let capacity = segs
        .iter()
        .filter(|s| s.commodity == commodity)
        .filter_map(|s| s.capacity)
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    (commodity, capacity)
}

/// Is something commissioned in `commissioned` and decommissioned in `decommissioned` part of the
/// network in `year` (commissioned on or before it and not yet decommissioned)? Without a year,
/// everything the files hold counts: commissioning and decommissioning years select a vintage
/// only when a year is asked for (a decommissioning year in the future is no reason to leave a
/// line out of today's network, nor is one in the past a reason to leave it out of the files'
/// network).
pub fn operating_in(
    commissioned: Option<i32>,
    decommissioned: Option<i32>,
    year: Option<i32>,
) -> bool {
    match year {
        Some(y) => commissioned.is_none_or(|c| c <= y) && decommissioned.is_none_or(|d| d > y),
        None => true,
    }
}

impl Segment {
    /// Is this segment part of the network in `year`? See [`operating_in`].
    pub fn operating_in(&self, year: Option<i32>) -> bool {
        operating_in(self.commissioned, self.decommissioned, year)
    }
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Supply,
    Market,
    Terminal,
    Station,
    Border,
    Junction,
}

impl NodeKind {
    pub const ALL: [&'static str; 6] = [
        "supply", "market", "terminal", "station", "border", "junction",
    ];

    pub fn parse(s: &str) -> Option<NodeKind> {
        match s {
            "supply" => Some(NodeKind::Supply),
            "market" => Some(NodeKind::Market),
            "terminal" => Some(NodeKind::Terminal),
            "station" => Some(NodeKind::Station),
            "border" => Some(NodeKind::Border),
            "junction" => Some(NodeKind::Junction),
            _ => None,
        }
    }
}

/// A point of the network: a supply, a market, a station, a border crossing...
#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub name: Option<String>,
    pub kind: NodeKind,
    /// `None`: serves both commodities.
    pub commodity: Option<Commodity>,
    /// Normalised supply (most this source can inject).
    pub supply: Option<f64>,
    /// Normalised demand cap; `None` = unbounded.
    pub demand: Option<f64>,
    pub market: Option<String>,
    pub country: Option<String>,
    /// Years the node entered and left service (an LNG terminal opened in 2016), for `--year`.
    pub commissioned: Option<i32>,
    pub decommissioned: Option<i32>,
    /// Probability that the node fails in one Monte Carlo run (`failure_prob`), if given.
    pub failure_prob: Option<f64>,
    pub point: Point<f64>,
    pub file: String,
    pub feature: usize,
}

/// An area or line of interest: a chokepoint, a district, a border.
#[derive(Debug, Clone)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub geometry: Geometry<f64>,
}

/// A country polygon from the basemap, for the per-country split.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso3: String,
    pub name: String,
    pub geometry: geo::MultiPolygon<f64>,
}

/// Everything loaded from the network files.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub segments: Vec<Segment>,
    pub nodes: Vec<Node>,
}

impl Network {
    /// The network as it stood in `year` (see [`operating_in`]): segments and nodes.
    pub fn in_year(&self, year: Option<i32>) -> Network {
        Network {
            segments: self
                .segments
                .iter()
                .filter(|s| s.operating_in(year))
                .cloned()
                .collect(),
            nodes: self
                .nodes
                .iter()
                .filter(|n| operating_in(n.commissioned, n.decommissioned, year))
                .cloned()
                .collect(),
        }
    }

    /// Only the segments of `commodity`, and the nodes that serve it (theirs or any).
    pub fn only(self, commodity: Commodity) -> Network {
        Network {
            segments: self
                .segments
                .into_iter()
                .filter(|s| s.commodity == commodity)
                .collect(),
            nodes: self
                .nodes
                .into_iter()
                .filter(|n| n.commodity.is_none_or(|c| c == commodity))
                .collect(),
        }
    }

    /// A corridor's commodity (the one most of its segments carry; ties in the order of [`Commodity`]) and
    /// its nameplate capacity (the largest capacity stated on its segments of that commodity).
    pub fn corridor_nameplate(&self, corridor: &str) -> (Commodity, Option<f64>) {
        nameplate(self.segments.iter().filter(|s| s.corridor == corridor))
    }

    /// [`Network::corridor_nameplate`] of every corridor, in one pass over the segments.
    pub fn nameplates(&self) -> std::collections::HashMap<&str, (Commodity, Option<f64>)> {
        let mut by: std::collections::HashMap<&str, Vec<&Segment>> = Default::default();
        for s in &self.segments {
            by.entry(s.corridor.as_str()).or_default().push(s);
        }
        by.into_iter()
            .map(|(c, segs)| (c, nameplate(segs.into_iter())))
            .collect()
    }

    /// Corridor ids in order of first appearance.
    pub fn corridors(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.segments
            .iter()
            .map(|s| s.corridor.as_str())
            .filter(|c| seen.insert(*c))
            .collect()
    }
}

/// `n` and the noun, singular or plural: `1 zone`, `3 zones`, `1 country`, `2 countries`.
///
/// ```
/// use corridor::model::count;
/// assert_eq!(count(1, "zone"), "1 zone");
/// assert_eq!(count(3, "zone"), "3 zones");
/// assert_eq!(count(2, "country"), "2 countries");
/// assert_eq!(count(0, "segment"), "0 segments");
/// ```
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {noun}s")
    }
}

/// Rounds to `digits` decimals for output (lengths in km to the metre, shares to 1e-6); never
/// gives `-0`.
///
/// ```
/// assert_eq!(corridor::model::round(1654.33349, 3), 1654.333);
/// assert_eq!(corridor::model::round(-0.0000001, 6), 0.0);
/// ```
pub fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (v * f).round() / f;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}
