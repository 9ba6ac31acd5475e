//! Glue between the command line and the analyses, for commands whose inputs span several
//! sources (network, zones, supply data).

pub mod report;
pub mod supply;
