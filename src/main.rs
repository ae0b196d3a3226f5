//! The `kravia-invoice` command line: a thin shell over the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os().collect()).into()
}
