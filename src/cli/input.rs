//! Reading the documents and the brand file, with errors that name the file.

use std::path::Path;

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Envelope, Session, Transaction};
use kravia_invoice::error::{Error, ErrorKind, ResultExt};

use super::args::DocArgs;

/// The documents of one invoice, parsed.
pub struct Docs {
    /// The transaction.
    pub transaction: Transaction,
    /// The separately given session, if any.
    pub session: Option<Session>,
}

/// The largest input document read, in bytes (64 MiB).
const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

fn read(path: &Path) -> Result<String, Error> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(std::io::stdin().lock(), MAX_DOCUMENT_BYTES),
            &mut text,
        )
        .context(ErrorKind::Input, "reading standard input")?;
        return Ok(text);
    }
    Ok(kravia_invoice::file::read_regular_text(
        path,
        MAX_DOCUMENT_BYTES,
    )?)
}

/// Reads and parses `--transaction` (a transaction or a `{"transaction",
/// "session"}` envelope; `-` for standard input) and `--session`.
pub fn docs(args: &DocArgs) -> Result<Docs, Error> {
    let text = read(&args.transaction)?;
    let shown = if args.transaction.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        args.transaction.display().to_string()
    };
    let (transaction, enveloped) = if Envelope::is_envelope(&text) {
        let e = Envelope::from_json(&text).context(ErrorKind::Input, shown.as_str())?;
        (e.transaction, e.session)
    } else {
        let t = Transaction::from_json(&text).context(ErrorKind::Input, shown.as_str())?;
        (t, None)
    };
    let session = match &args.session {
        Some(p) => {
            let text = read(p)?;
            Some(
                Session::from_json(&text)
                    .with_context(ErrorKind::Input, || p.display().to_string())?,
            )
        }
        None => enveloped,
    };
    if session.is_none() && transaction.session.is_none() {
        return Err(Error::new(
            ErrorKind::Input,
            format!(
                "{shown}: the transaction does not embed its session: pass --session S.json (or fetch the transaction with ?includes=session)"
            ),
        ));
    }
    Ok(Docs {
        transaction,
        session,
    })
}

/// Reads the brand file (and its logo).
pub fn brand(path: &Path) -> Result<Brand, Error> {
    Ok(Brand::load(path)?)
}
