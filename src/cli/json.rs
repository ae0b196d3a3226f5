//! The JSON documents the command line prints (serialise only).
//!
//! `check --json` (and `render --json`, on failure):
//!
//! ```json
//! {"ok": false, "invoice_number": "A1B2C-000042",
//!  "errors":   [{"code": "order_total_mismatch", "path": "session.order.amount", "message": "…"}],
//!  "warnings": [{"code": "dates_derived", "path": "transaction.events", "message": "…"}]}
//! ```
//!
//! Any failure that is not about the documents (exit 1):
//! `{"ok": false, "fatal": "<message>", "errors": [], "warnings": []}`.

use serde::Serialize;

use kravia_invoice::verify::Finding;

/// The outcome of verifying one invoice.
#[derive(Debug, Serialize)]
pub struct CheckDoc<'a> {
    /// Whether every check passed.
    pub ok: bool,
    /// The invoice number, `null` when there is none.
    pub invoice_number: Option<&'a str>,
    /// Failed checks.
    pub errors: &'a [Finding],
    /// Warnings.
    pub warnings: &'a [Finding],
    /// Where the PDF went (render only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<&'a str>,
}

/// A failure that is not about the documents.
#[derive(Debug, Serialize)]
pub struct FatalDoc<'a> {
    /// Always false.
    pub ok: bool,
    /// What went wrong.
    pub fatal: &'a str,
    /// Always empty.
    pub errors: [(); 0],
    /// Always empty.
    pub warnings: [(); 0],
}

impl<'a> FatalDoc<'a> {
    /// A fatal document for `message`.
    pub fn new(message: &'a str) -> FatalDoc<'a> {
        FatalDoc {
            ok: false,
            fatal: message,
            errors: [],
            warnings: [],
        }
    }
}

/// One JSON line.
pub fn to_line<T: Serialize>(doc: &T) -> String {
    serde_json::to_string(doc).unwrap_or_else(|e| {
        format!(
            "{{\"ok\":false,\"fatal\":\"cannot write JSON: {e}\",\"errors\":[],\"warnings\":[]}}"
        )
    })
}

/// The outcome of a credit note (`credit-note --json`): as [`CheckDoc`], with
/// the credit note's own number.
#[derive(Debug, Serialize)]
pub struct CreditDoc<'a> {
    /// Whether every check passed.
    pub ok: bool,
    /// The credited invoice's number, `null` when there is none.
    pub invoice_number: Option<&'a str>,
    /// The credit note's number, as given.
    pub credit_number: &'a str,
    /// Failed checks.
    pub errors: &'a [Finding],
    /// Warnings.
    pub warnings: &'a [Finding],
    /// Where the PDF went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<&'a str>,
}
