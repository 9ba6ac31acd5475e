//! corridor: energy-corridor network analysis.
//!
//! Data flows one way. Pipeline routes are read from GeoJSON ([`input`]) into a [`model`],
//! joined into a graph ([`topology`]), and analysed ([`analysis`]): corridor lengths, exposure
//! to zones, deliverability under disruption, and import dependency. Every length and distance
//! is geodesic on WGS84 ([`geodesy`]). Typed results become [`report`]s, rendered and written by
//! [`write`], or drawn by [`figures`]; [`cli`] is the command line.
//!
//! ```
//! use corridor::input::{embedded, load_network, load_countries, LoadOptions};
//!
//! // The default dataset is embedded in the library.
//! let (net, _) = load_network(&embedded::network(), LoadOptions::default()).unwrap();
//! let countries = load_countries(&embedded::basemap()).unwrap();
//! let btc = corridor::analysis::routes::routes(&net, &countries)
//!     .into_iter()
//!     .find(|r| r.corridor == "BTC")
//!     .unwrap();
//! // BP gives 1,768 km; GEM's traced route measures about 1,654 km on the ellipsoid.
//! assert!((btc.length_km - 1654.3).abs() < 1.0);
//! ```

pub mod analysis;
pub mod cli;
pub mod error;
pub mod figures;
pub mod geodesy;
pub mod input;
pub mod model;
pub mod report;
pub mod synthetic;
pub mod topology;
pub mod webmap;
pub mod write;
