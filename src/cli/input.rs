//! Reading the documents and the brand file, with errors that name the file.

use std::path::Path;

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Envelope, Session, Shape, Transaction};
use kravia_invoice::error::{Error, ErrorKind, ResultExt};
use kravia_invoice::render::{RenderOptions, Renderer};

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
/// "session"}` envelope; `-` for standard input) and `--session`. A session
/// given where the transaction belongs, or the reverse, is a usage error that
/// says so.
pub fn docs(args: &DocArgs) -> Result<Docs, Error> {
    let text = read(&args.transaction)?;
    let shown = if args.transaction.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        args.transaction.display().to_string()
    };
    let session_text = match &args.session {
        Some(p) => Some((read(p)?, p.display().to_string())),
        None => None,
    };
    let envelope = Envelope::is_envelope(&text);
    let swapped = if envelope {
        envelope_swap_message(&text, &shown)
    } else {
        let t = Shape::with_telltale(&text);
        let (s, s_name) = match &session_text {
            Some((s_text, name)) => (Shape::with_telltale(s_text), format!("--session {name}")),
            None => ((Shape::Unknown, ""), String::new()),
        };
        swap_message(t, s, &format!("--transaction {shown}"), &s_name).map(|m| {
            match (&session_text, t.0, s.0) {
                (Some((_, name)), Shape::Session, Shape::Transaction) => {
                    format!("{m}: run again with --transaction {name} --session {shown}")
                }
                _ => m,
            }
        })
    };
    if let Some(message) = swapped {
        return Err(Error::new(ErrorKind::Usage, message));
    }
    let (transaction, enveloped) = if envelope {
        let e = Envelope::from_json(&text).context(ErrorKind::Input, shown.as_str())?;
        (e.transaction, e.session)
    } else {
        let t = Transaction::from_json(&text).context(ErrorKind::Input, shown.as_str())?;
        (t, None)
    };
    let session = match session_text {
        Some((text, name)) => Some(Session::from_json(&text).context(ErrorKind::Input, name)?),
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

/// [`swap_message`] for a `{"transaction", "session"}` document named `label`.
pub fn envelope_swap_message(text: &str, label: &str) -> Option<String> {
    let (t, s) = Shape::of_envelope(text);
    swap_message(
        t,
        s,
        &format!("{label}: its \"transaction\""),
        "its \"session\"",
    )
    .map(|m| {
        if (t.0, s.0) == (Shape::Session, Shape::Transaction) {
            format!("{m}: swap the two members")
        } else {
            m
        }
    })
}

/// When the documents are in each other's place, what to say: `t` is the
/// shape (and telltale key) of what was given as the transaction, named
/// `t_name`; `s` the same for the session (`Shape::Unknown` when none).
pub fn swap_message(
    t: (Shape, &str),
    s: (Shape, &str),
    t_name: &str,
    s_name: &str,
) -> Option<String> {
    match (t.0, s.0) {
        (Shape::Session, Shape::Transaction) => Some(format!(
            "{t_name} and {s_name} are swapped: the first is a checkout session (it has `{}`), the second a transaction (it has `{}`)",
            t.1, s.1
        )),
        (Shape::Session, _) => Some(format!(
            "{t_name} is a checkout session (it has `{}`), not a transaction: give the transaction (GET /v1/transactions/{{id}}) there, and this document as the session",
            t.1
        )),
        (_, Shape::Transaction) => Some(format!(
            "{s_name} is a transaction (it has `{}`), not a checkout session: give it as the transaction, and the session (GET /v1/sessions/{{id}}) as the session",
            s.1
        )),
        _ => None,
    }
}

/// Reads the brand file (and its logo).
pub fn brand(path: &Path) -> Result<Brand, Error> {
    Ok(Brand::load(path)?)
}

/// The prepared renderer; a template error names where the template was
/// chosen (`--template fancy`, or the brand file's `[invoice] template`).
pub fn renderer(brand: Brand, options: RenderOptions) -> Result<Renderer, Error> {
    let origin = match (&options.template, &brand.invoice.template, &brand.path) {
        (Some(t), _, _) => format!("--template {t}"),
        (None, Some(_), Some(p)) => format!("brand file {}: [invoice] template", p.display()),
        (None, Some(_), None) => "[invoice] template".to_string(),
        (None, None, _) => "template".to_string(),
    };
    // Preparing resolves only the template, so every error here is about it.
    Renderer::new(brand, options).map_err(|e| Error::from(e).context(origin))
}
