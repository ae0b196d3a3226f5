//! Integration tests: one binary, one module per concern.

mod cli;
mod fixtures;
mod robustness;
mod util;
