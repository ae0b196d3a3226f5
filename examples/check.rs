//! Verify the bundled example documents with the library and print the outcome.
//!
//! `cargo run --example check`

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::{Brand, verify};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let tx = Transaction::from_json(&std::fs::read_to_string(dir.join("transaction.json"))?)?;
    let session = Session::from_json(&std::fs::read_to_string(dir.join("session.json"))?)?;
    let brand = Brand::load(&dir.join("brand.toml"))?;
    match verify(&tx, Some(&session), &brand) {
        Ok(invoice) => {
            println!(
                "invoice {} verified: {} {} to pay by {}",
                invoice.invoice_number, invoice.currency, invoice.totals.to_pay, invoice.due_date
            );
            for vat in &invoice.vat {
                println!("  VAT {:>5} %: {} on {}", vat.rate, vat.vat, vat.net);
            }
        }
        Err(report) => println!("{report}"),
    }
    Ok(())
}
