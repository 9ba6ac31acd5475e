//! Bytes → model: input files (from disk or the embedded default dataset), the GeoJSON reader,
//! the property schemas, and the loaders of networks, zones, basemap countries and supply tables.
//!
//! | module | what |
//! |---|---|
//! | [`source`] | a file's bytes and name, its SHA-256; the embedded dataset |
//! | [`parse`] | one serde pass over a GeoJSON document (FeatureCollection, Feature or geometry): crs check, coordinate validation, errors naming the feature; large files in parallel runs |
//! | [`split`] | cuts the `features` array into runs of whole features for the parallel parse |
//! | [`props`] | a feature's properties as read, compactly |
//! | [`schema`] | detection and the four schemas (`corridor`, `gem`, `osm`, `generic`) mapping properties to segments and nodes |
//! | [`attributes`] | a tracker's attribute table (CSV or spreadsheet) keyed by ProjectID, for `--attributes` |
//! | [`diagnose`] | every error of a refused file, feature by feature (for `check`) |
//! | [`network`] | network files → one [`Network`](crate::model::Network), ids generated and checked |
//! | [`zones`] | zone files and basemap countries |
//! | [`supply`] | the supply CSV tables |
//! | [`history`] | capacity histories by year (`data/network/capacity_history.csv`) |
//!
//! Architecture invariant: this layer reads and validates; it never measures. `serde_json` is
//! used here only to read.

pub mod attributes;
pub mod diagnose;
pub mod history;
pub mod network;
pub mod parse;
pub mod props;
pub mod schema;
pub mod source;
pub mod split;
pub mod supply;
pub mod zones;

pub use attributes::Attributes;
pub use history::load_history;
pub use network::{load_network, LoadOptions, LoadReport};
pub use source::{embedded, Source};
pub use zones::{load_countries, load_zones};
