//! `fetch`: read the transaction from Dintero (capture it with `--capture`),
//! wait for the payment details, verify, render and write atomically.
//!
//! Credentials come from `DINTERO_ACCOUNT_ID`, `DINTERO_CLIENT_ID` and
//! `DINTERO_CLIENT_SECRET`; the secret and tokens are never printed.

use std::io::IsTerminal;
use std::time::Duration;

use kravia_invoice::client::{
    BASE_URL_VAR, BlockingClient, Credentials, DinteroClient, FetchError, FetchOptions,
};
use kravia_invoice::render::{RenderOptions, Renderer};

use crate::cli::args::FetchArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::output::Printer;

/// Runs `fetch`.
pub fn run(args: &FetchArgs, out: &mut Printer) -> Outcome {
    out.json_to_stderr = args.output.as_os_str() == "-";
    let brand = match input::brand(&args.brand) {
        Ok(b) => b,
        Err(e) => return out.fatal(args.json, &e),
    };
    let credentials = match Credentials::from_env() {
        Ok(c) => c,
        Err(e) => return out.fatal(args.json, &e),
    };
    let mut builder = DinteroClient::builder(credentials);
    let base = args.base_url.clone().or_else(|| {
        std::env::var(BASE_URL_VAR)
            .ok()
            .filter(|s| !s.trim().is_empty())
    });
    if let Some(base) = base {
        builder = builder.base_url(base);
    }
    let client = match builder.build().and_then(BlockingClient::try_from) {
        Ok(c) => c,
        Err(e) => return out.fatal(args.json, &e),
    };
    let options = FetchOptions {
        capture: args.capture,
        wait: Duration::from_secs(args.wait),
    };
    if !args.json && std::io::stderr().is_terminal() {
        out.stderr_line(&format!(
            "fetching transaction {} from {}{}",
            args.transaction_id,
            client.client().base_url(),
            if args.capture {
                " (capturing it if collection has not started)"
            } else {
                ""
            }
        ));
    }
    let renderer = match Renderer::new(brand, RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => return out.fatal(args.json, &e),
    };
    let fetched = match client.fetch_and_render(&args.transaction_id, &options, &renderer) {
        Ok(f) => f,
        Err(FetchError::Rejected(report)) => return out.rejected(args.json, &report),
        Err(e) => return out.fatal(args.json, &e),
    };
    if fetched.captured && !args.json {
        out.stderr_line(&format!(
            "captured transaction {}: Kravia has started collection",
            fetched.transaction.id
        ));
    }
    out.deliver(args.json, &args.output, &fetched.pdf, &fetched.invoice)
}
