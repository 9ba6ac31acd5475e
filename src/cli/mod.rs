//! The command line: the only place that knows clap, flags, progress bars and standard output.
//!
//! [`args`] defines the flags and commands; [`settings`] validates them once; each command in
//! [`commands`] loads its inputs ([`inputs`]), runs one analysis, builds its report and hands it
//! to a writer.

pub mod args;
pub mod commands;
pub mod inputs;
pub mod progress;
pub mod settings;

pub use args::{Cli, Command, SupplyCommand};
pub use settings::Settings;

use crate::analysis::RequestError;
use crate::error::DataErrors;
use crate::report::Report;
use crate::write::{emit, Format};
use anyhow::Result;
use clap::Parser;

/// Bad usage: an option value out of range, a format the command does not write, a year outside
/// the data. Exits with status 2, as do the analyses' [`RequestError`]s (unknown ids, values they
/// cannot take); bad data and failed runs exit with 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Returns a [`UsageError`] from a format string: `usage!("--bands must be positive")`.
#[macro_export]
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err($crate::cli::UsageError(format!($($arg)*)).into())
    };
}

/// The exit status for an error: 2 for bad usage, 1 for bad data or a failed run.
pub fn exit_status(e: &anyhow::Error) -> i32 {
    if e.downcast_ref::<UsageError>().is_some() || e.downcast_ref::<RequestError>().is_some() {
        2
    } else {
        1
    }
}

/// Writes `report` in the format asked for (a table by default), to `--out` or standard output;
/// a format outside `allowed` is an error listing the ones that are.
pub fn write_report(s: &Settings, report: &Report, allowed: &[Format]) -> Result<()> {
    let format = s.format.unwrap_or(Format::Table);
    if !allowed.contains(&format) {
        usage!(
            "--format {} is not available for this command (use one of: {})",
            format.as_str(),
            allowed
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    emit(s.out.as_deref(), &report.render(format)?)
}

/// The formats of every command that writes one report.
pub const TABLE_JSON_CSV: [Format; 3] = [Format::Table, Format::Json, Format::Csv];

/// Runs the command line. Returns the process exit status for commands (like `check`) whose
/// findings decide it; errors are returned for `main` to print.
pub fn run(cli: Cli) -> Result<i32> {
    let s = Settings::new(&cli)?;
    match &cli.command {
        Command::Routes => commands::routes::run(&s),
        Command::Check { files } => commands::check::run(&s, files),
        Command::Report => commands::report::run(&s),
        Command::Flow => commands::flow::flow(&s),
        Command::Disrupt {
            zone,
            band,
            segment,
            node,
        } => commands::flow::disrupt(&s, zone, *band, segment, node),
        Command::Rank {
            kind,
            top,
            pairs,
            band,
        } => commands::flow::rank(&s, kind.map(Into::into), *top, *pairs, *band),
        Command::Simulate {
            runs,
            seed,
            p_default,
            zone_prob,
            band,
        } => commands::flow::simulate(&s, *runs as u64, *seed as u64, *p_default, zone_prob, *band),
        Command::Exposure {
            zone,
            corridor,
            bands,
        } => commands::exposure::run(&s, zone, corridor, bands),
        Command::List { what } => commands::list::run(&s, *what),
        Command::Explain { id } => commands::explain::run(&s, id),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "corridor", &mut out);
            emit(s.out.as_deref(), &String::from_utf8_lossy(&out))?;
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            emit(s.out.as_deref(), &String::from_utf8_lossy(&out))?;
            Ok(0)
        }
        Command::Supply {
            command,
            country,
            from,
            to,
            zone,
            band,
        } => {
            let args = commands::supply::SupplyArgs {
                country: country.clone(),
                from: *from,
                to: *to,
                zone: zone.clone(),
                band_km: *band,
            };
            match command {
                None => commands::supply::supply(&s, &args),
                Some(SupplyCommand::N1) => commands::supply::n1(&s, &args),
            }
        }
        Command::Profile {
            corridor,
            zone,
            step,
        } => commands::profile::run(&s, corridor, zone, *step),
        Command::Figures {
            lang,
            only,
            dpi,
            width_mm,
        } => commands::figures::run(&s, (*lang).into(), only, *dpi, *width_mm),
    }
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
            exit_status(&e)
        }
    }
}
