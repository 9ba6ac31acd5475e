//! Helpers shared by the benchmark examples (`workload`, `flow_support`); a directory without a
//! `main.rs`, so Cargo does not build it as an example of its own.

/// Prints `error: msg` and exits with status 1.
pub fn fail(msg: String) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1)
}

/// The median (the upper one of an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
