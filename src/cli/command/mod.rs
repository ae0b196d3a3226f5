//! One file per subcommand.

pub mod batch;
pub mod check;
pub mod credit_note;
pub mod fetch;
pub mod jobs;
pub mod render;
pub mod serve;
