//! Integration tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod architecture;
mod batch;
mod cli;
mod client;
mod codes;
mod fixtures;
mod pdf_text;
mod pdfa;
mod properties;
mod robustness;
mod snapshots;
mod tagged;
mod util;
