//! The command line: parse, run, decide the exit status.

pub mod args;
pub mod command;
pub mod exit;
pub mod input;
pub mod json;
pub mod output;
pub mod ubl;

use std::ffi::OsString;

use clap::Parser;

use args::{Cli, Command};
use exit::Outcome;
use output::Printer;

/// Runs the command line on `argv`.
pub fn run(argv: Vec<OsString>) -> Outcome {
    let wants_json = argv.iter().any(|a| a == "--json");
    let mut out = Printer::default();
    let cli = match Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    Outcome::Failed
                } else {
                    Outcome::Done
                };
            }
            if wants_json {
                // clap's message up to the usage block, on one line.
                let text = e.render().to_string();
                let message: Vec<&str> = text
                    .lines()
                    .take_while(|l| !l.trim_start().starts_with("Usage:"))
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                let message = message.join(" ");
                return out.fatal(
                    true,
                    &format!("usage: {}", message.trim_start_matches("error: ")),
                );
            }
            let _ = e.print();
            return Outcome::Failed;
        }
    };
    match &cli.command {
        Command::Check(a) => command::check::run(a, &mut out),
        Command::Render(a) => command::render::run(a, &mut out),
        Command::Fetch(a) => command::fetch::run(a, &mut out),
        Command::Batch(a) => command::batch::run(a, &mut out),
        Command::Serve(a) => command::serve::run(a, &mut out),
        Command::Jobs(a) => command::jobs::run(a, &mut out),
        Command::CreditNote(a) => command::credit_note::run(a, &mut out),
    }
}
