//! `completions`: a shell completion script from the clap definitions.

use clap::CommandFactory;

use crate::cli::args::{Cli, CompletionsArgs};
use crate::cli::exit::Outcome;
use crate::cli::output::Printer;

/// Runs `completions`: the script on stdout.
pub fn run(args: &CompletionsArgs, out: &mut Printer) -> Outcome {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "kravia-invoice", &mut script);
    match out.stdout_bytes(&script) {
        Ok(()) => Outcome::Done,
        // A closed pipe (`| head`) ends quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Done,
        Err(e) => out.fatal(false, &format!("writing the completion script: {e}")),
    }
}
