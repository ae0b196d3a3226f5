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
    kravia_invoice::file::read_text(path, kravia_invoice::file::MAX_DOCUMENT_BYTES)
        .map_err(|e| format!("reading {e}"))
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
    let brand = Brand::load(path).map_err(|e| e.to_string())?;
    brand
        .accent()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(l) = brand.invoice.locale.as_deref() {
        l.parse::<kravia_invoice::locale::Locale>()
            .map_err(|e| format!("{}: [invoice] locale: {e}", path.display()))?;
    }
    Ok(brand)
}
