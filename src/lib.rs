//! corridor: energy-corridor network analysis.
//!
//! Pipeline routes are read from GeoJSON ([`load`], [`parse`], [`schema`]) into a [`model`],
//! joined into a graph ([`topology`]), and analysed: corridor lengths ([`routes`]), exposure to
//! zones ([`exposure`], [`nearest`]), deliverability under disruption ([`flow`]), and import
//! dependency ([`supply`]). Every length and distance is geodesic on WGS84 ([`geodesy`]).
//! Reports go out through [`output`] and [`figures`]; [`cli`] is the command line.
//!
//! ```
//! use corridor::load::{embedded, load_network, load_countries, LoadOptions};
//!
//! // The default dataset is embedded in the library.
//! let (net, _) = load_network(&embedded::network(), LoadOptions::default()).unwrap();
//! let countries = load_countries(&embedded::basemap()).unwrap();
//! let btc = corridor::routes::routes(&net, &countries)
//!     .into_iter()
//!     .find(|r| r.corridor == "BTC")
//!     .unwrap();
//! // BP gives 1,768 km; GEM's traced route measures about 1,654 km on the ellipsoid.
//! assert!((btc.length_km - 1654.3).abs() < 1.0);
//! ```

pub mod check;
pub mod cli;
pub mod commands;
pub mod error;
pub mod exposure;
pub mod figures;
pub mod flow;
pub mod geodesy;
pub mod load;
pub mod model;
pub mod nearest;
pub mod output;
pub mod parse;
pub mod props;
pub mod routes;
pub mod schema;
pub mod split;
pub mod supply;
pub mod synthetic;
pub mod topology;
