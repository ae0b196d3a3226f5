//! Integration tests: one binary, one module per concern.

mod architecture;
mod cli;
mod client;
mod fixtures;
mod properties;
mod robustness;
mod util;
