//! Integration tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod architecture;
mod batch;
mod cli;
mod client;
mod client_hardening;
mod codes;
mod credit;
mod einvoice;
mod einvoice_credit;
mod einvoice_rules;
mod fixtures;
mod glyphs;
mod hardening;
mod pdf_text;
mod pdfa;
mod pipeline;
mod pipeline_support;
mod properties;
mod robustness;
mod serve;
mod serve_support;
mod snapshots;
mod tagged;
mod terminal;
mod util;
