//! Reading the documents and the brand file, with errors that name the file.

use std::path::Path;

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};

use super::args::DocArgs;

/// The documents of one invoice, parsed.
pub struct Docs {
    /// The transaction.
    pub transaction: Transaction,
    /// The separately given session, if any.
    pub session: Option<Session>,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// Reads and parses `--transaction` and `--session`.
pub fn docs(args: &DocArgs) -> Result<Docs, String> {
    let text = read(&args.transaction)?;
    let transaction = Transaction::from_json(&text)
        .map_err(|e| format!("{}: {e}", args.transaction.display()))?;
    let session = match &args.session {
        Some(p) => {
            let text = read(p)?;
            Some(Session::from_json(&text).map_err(|e| format!("{}: {e}", p.display()))?)
        }
        None => None,
    };
    if session.is_none() && transaction.session.is_none() {
        return Err(format!(
            "{}: the transaction does not embed its session: pass --session S.json (or fetch the transaction with ?includes=session)",
            args.transaction.display()
        ));
    }
    Ok(Docs {
        transaction,
        session,
    })
}

/// Reads the brand file (and its logo).
pub fn brand(path: &Path) -> Result<Brand, String> {
    Brand::load(path).map_err(|e| e.to_string())
}
