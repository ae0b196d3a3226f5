//! The read-back check: before a byte is written, the runs that carry a
//! payment-critical [`TextRole`] must say exactly what the verified invoice
//! says, formatted for the locale.

use crate::layout::{self, Document, TextRole};
use crate::locale::Locale;
use crate::verify::invoice::VerifiedInvoice;

use super::RenderError;

/// Compares the document's role-tagged runs with the invoice.
///
/// Each of invoice number, reference, due date, total and amount to pay must
/// be drawn at least once, and every run with that role must read exactly as
/// formatted from the invoice; the account and the IBAN likewise when the
/// invoice has them (and must not be drawn when it has not); the VAT amounts
/// must be exactly one per rate; the line table's amounts must be the lines'
/// net amounts (B2B) or gross amounts (B2C), one per line in order; a drawn
/// virtual barcode must be the one computed from the invoice. Then nothing
/// may be lost: every run lies on its page, no two runs overlap, and every
/// text field of the invoice (parties, references, line and discount
/// descriptions) is drawn whole.
///
/// # Errors
///
/// [`RenderError::ReadBack`] naming the first value that disagrees;
/// [`RenderError::Lost`] naming the first text lost.
pub fn read_back(
    doc: &Document,
    invoice: &VerifiedInvoice,
    locale: Locale,
) -> Result<(), RenderError> {
    // A value set in more than one face is drawn as consecutive runs on one
    // baseline with the same role: read them as one.
    let mut drawn: Vec<(TextRole, f32, String)> = Vec::new();
    for page in &doc.pages {
        let mut prev_role = TextRole::Plain;
        for item in &page.items {
            let layout::Item::Text(t) = item else {
                prev_role = TextRole::Plain;
                continue;
            };
            if t.role != TextRole::Plain {
                match drawn.last_mut() {
                    Some((r, y, text)) if prev_role == t.role && *r == t.role && *y == t.y.0 => {
                        text.push_str(&t.text);
                    }
                    _ => drawn.push((t.role, t.y.0, t.text.clone())),
                }
            }
            prev_role = t.role;
        }
    }
    let runs = |role: TextRole| {
        drawn
            .iter()
            .filter(move |(r, _, _)| *r == role)
            .map(|(_, _, t)| t.as_str())
    };
    let one = |field: &'static str,
               role: TextRole,
               expected: Option<String>|
     -> Result<(), RenderError> {
        let mut found = runs(role).peekable();
        match expected {
            Some(exp) => {
                if found.peek().is_none() {
                    return Err(RenderError::ReadBack {
                        field,
                        expected: exp,
                        found: String::new(),
                    });
                }
                if let Some(bad) = found.find(|t| *t != exp) {
                    return Err(RenderError::ReadBack {
                        field,
                        expected: exp,
                        found: bad.to_string(),
                    });
                }
            }
            None => {
                if let Some(bad) = found.next() {
                    return Err(RenderError::ReadBack {
                        field,
                        expected: String::new(),
                        found: bad.to_string(),
                    });
                }
            }
        }
        Ok(())
    };
    let cur = invoice.currency;
    let p = &invoice.payment;
    let t = &invoice.totals;
    one(
        "invoice number",
        TextRole::InvoiceNumber,
        Some(invoice.invoice_number.clone()),
    )?;
    one(
        "reference",
        TextRole::Reference,
        Some(p.reference.to_string()),
    )?;
    one(
        "account",
        TextRole::Account,
        p.account.as_ref().map(ToString::to_string),
    )?;
    one(
        "IBAN",
        TextRole::Iban,
        p.iban.as_ref().map(ToString::to_string),
    )?;
    one(
        "due date",
        TextRole::DueDate,
        Some(locale.format_date(invoice.due_date)),
    )?;
    one(
        "total",
        TextRole::Total,
        Some(locale.format_money(t.gross, cur)),
    )?;
    one(
        "amount to pay",
        TextRole::AmountToPay,
        Some(locale.format_money(t.to_pay, cur)),
    )?;

    let mut expected: Vec<String> = invoice
        .vat
        .iter()
        .map(|v| locale.format_amount(v.vat))
        .collect();
    let mut found: Vec<String> = runs(TextRole::VatAmount).map(str::to_string).collect();
    expected.sort();
    found.sort();
    if expected != found {
        return Err(RenderError::ReadBack {
            field: "VAT per rate",
            expected: expected.join(" | "),
            found: found.join(" | "),
        });
    }

    // The line table's amounts, in order: net (B2B) or gross (B2C), one per
    // line, never both kinds.
    let net: Vec<&str> = runs(TextRole::LineNet).collect();
    let gross: Vec<&str> = runs(TextRole::LineGross).collect();
    let (field, found, expected): (&'static str, &[&str], Vec<String>) =
        match (net.is_empty(), gross.is_empty()) {
            (false, true) => (
                "line amounts excl. VAT",
                &net,
                invoice
                    .lines
                    .iter()
                    .map(|l| locale.format_amount(l.net))
                    .collect(),
            ),
            (true, _) => (
                "line amounts incl. VAT",
                &gross,
                invoice
                    .lines
                    .iter()
                    .map(|l| locale.format_amount(l.amount))
                    .collect(),
            ),
            (false, false) => {
                return Err(RenderError::ReadBack {
                    field: "line amounts",
                    expected: "one kind (excl. or incl. VAT)".into(),
                    found: "both".into(),
                });
            }
        };
    if found.len() != expected.len() || found.iter().zip(&expected).any(|(f, e)| f != e) {
        return Err(RenderError::ReadBack {
            field,
            expected: expected.join(" | "),
            found: found.join(" | "),
        });
    }

    if runs(TextRole::VirtualBarcode).next().is_some() {
        let exp = invoice
            .codes
            .fi_barcode
            .as_ref()
            .map(|b| b.digits.clone())
            .unwrap_or_default();
        one("virtual barcode", TextRole::VirtualBarcode, Some(exp))?;
    }
    // And nothing else the invoice says is lost on the page.
    super::lost::check(doc, invoice)
}
