//! One file per subcommand.

pub mod batch;
pub mod check;
pub mod completions;
pub mod credit_note;
pub mod fetch;
pub mod jobs;
pub mod man;
pub mod render;
pub mod serve;
