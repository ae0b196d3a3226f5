//! The exit status, decided here and nowhere else.
//!
//! 0 done; 2 the documents disagree or a payment detail is invalid (no PDF is
//! written); 1 anything else: usage and argument errors, unreadable or malformed
//! input or brand file, I/O, network; 130 `batch` was interrupted (Ctrl-C) and
//! stopped cleanly.

use std::process::ExitCode;

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done.
    Done,
    /// The documents disagree or a payment detail is invalid.
    Rejected,
    /// Anything else went wrong.
    Failed,
    /// Stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP, cleanly: 130, as a
    /// shell reports a process killed by SIGINT.
    Interrupted,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::Rejected => ExitCode::from(2),
            Outcome::Failed => ExitCode::from(1),
            Outcome::Interrupted => ExitCode::from(130),
        }
    }
}
