//! Progress bars and spinners on standard error, hidden with `--quiet` or when standard error is
//! not a terminal (piped output stays clean). Analyses take a callback; these are the bars
//! behind it.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar of `len` steps (hidden when `quiet` or not on a terminal).
pub fn bar(quiet: bool, len: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({eta})") {
        bar.set_style(style);
    }
    bar
}

/// A spinner with a message and the elapsed time (hidden when `quiet` or not on a terminal).
pub fn spinner(quiet: bool, message: String) -> ProgressBar {
    let bar = bar(quiet, 0);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
