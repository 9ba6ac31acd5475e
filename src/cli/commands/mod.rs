//! One file per command: load the inputs, run the analysis, build the report, write it.

pub mod check;
pub mod explain;
pub mod exposure;
pub mod figures;
pub mod flow;
pub mod list;
pub mod profile;
pub mod report;
pub mod routes;
pub mod supply;
