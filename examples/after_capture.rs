//! What a merchant backend calls right after checkout, for Kravia invoices
//! with merchant delivery (`invoice_channel: "merchant"`).
//!
//! ```text
//! export DINTERO_ACCOUNT_ID=T12345678        # T test, P production
//! export DINTERO_CLIENT_ID=…                 # an API client of that account
//! export DINTERO_CLIENT_SECRET=…
//! # export DINTERO_BASE_URL=https://checkout.dintero.com/v1   (the default)
//! cargo run --example after_capture -- <transaction id> [brand.toml] [out.pdf]
//! ```
//!
//! It captures the transaction unless collection has already started (a
//! transaction is never captured twice), waits up to two minutes for Kravia's
//! payment details, verifies the transaction against its checkout session,
//! renders the invoice and writes it. The merchant then delivers that PDF to
//! the buyer. A rejected invoice (exit 2) lists every finding; nothing is
//! written then.
//!
//! An async backend calls `kravia_invoice::client::fetch_and_render` with a
//! shared `DinteroClient` instead; this example uses the blocking client.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use kravia_invoice::Brand;
use kravia_invoice::client::{BlockingClient, FetchError, FetchOptions};
use kravia_invoice::render::{RenderOptions, Renderer};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(transaction_id) = args.next() else {
        eprintln!("usage: after_capture <transaction id> [brand.toml] [out.pdf]");
        return ExitCode::from(1);
    };
    let brand_path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/brand.toml")
    });
    let out_path = args.next().map(PathBuf::from);

    let brand = match Brand::load(&brand_path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    // Credentials from the environment; the secret never appears in Debug or errors.
    let client = match BlockingClient::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(120),
    };
    let renderer = match Renderer::new(brand, RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    match client.fetch_and_render(&transaction_id, &options, &renderer) {
        Ok(fetched) => {
            let out = out_path.unwrap_or_else(|| {
                PathBuf::from(format!("{}.pdf", fetched.invoice.invoice_number))
            });
            if let Err(e) = std::fs::write(&out, &fetched.pdf) {
                eprintln!("writing {}: {e}", out.display());
                return ExitCode::from(1);
            }
            println!(
                "invoice {} ({} {} due {}){} written to {}",
                fetched.invoice.invoice_number,
                fetched.invoice.currency,
                fetched.invoice.totals.to_pay,
                fetched.invoice.due_date,
                if fetched.captured {
                    ", captured now"
                } else {
                    ""
                },
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(FetchError::Rejected(report)) => {
            // The documents disagree: do not deliver an invoice; fix the order.
            eprintln!("{report}");
            ExitCode::from(2)
        }
        Err(e) => {
            // Network, credentials, payment details not there yet: try again later.
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
