//! The `corridor` binary: a thin shell over the library (see `corridor::cli`).

fn main() {
    std::process::exit(corridor::cli::main_with_args());
}
