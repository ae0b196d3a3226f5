//! Credit notes for voided invoices: [`verify_credit`] and the
//! [`VerifiedCreditNote`] it alone builds.
//!
//! Kravia refunds nothing; `POST /v1/transactions/{id}/void` cancels an
//! invoice (AUTHORIZED → AUTHORIZATION_VOIDED) or what is left of it
//! (PARTIALLY_CAPTURED). A buyer who already holds the invoice needs a credit
//! note that references it. The credited invoice is verified exactly as for the
//! invoice (the same session, the same `kravia:*` metadata, every check of
//! [`verify`](super::verify) except the status, which must be voided here),
//! then:
//!
//! - `not_voided`: no successful VOID event and the status is not
//!   AUTHORIZATION_VOIDED: nothing to credit;
//! - `collection_not_started`: voided before collection started: no invoice
//!   was issued;
//! - `void_mismatch`: the voided amount exceeds what was invoiced and not paid,
//!   or the VOID event's items are not invoice lines (or credit a line more
//!   than it invoiced, or do not add up to the voided amount);
//! - `invalid_credit_number`: the credit note's own number is empty or equal to
//!   the invoice number.
//!
//! Every finding is reported at once, in one [`Report`].
//!
//! What is credited ([`CreditBasis`]):
//!
//! - AUTHORIZATION_VOIDED (after collection started): the whole invoice, line
//!   by line;
//! - a successful VOID event otherwise (a PARTIALLY_CAPTURED transaction): the
//!   voided amount (the event's `amount`; absent, the unpaid remainder), as the
//!   event's items when it names them, else split over the invoice's VAT rates
//!   in proportion to their gross amounts, exact to the minor unit by largest
//!   remainder ([`split_by_weight`]), one line per rate.
//!
//! Amounts in a credit note are what is credited, as positive numbers; the
//! documents print them negative. The VAT of a part of a line or rate is the
//! invoiced VAT in proportion (`vat × part / whole`, half away from zero), so a
//! credit never takes back more VAT than was invoiced and crediting the whole
//! takes back exactly the invoiced VAT.
//!
//! ```
//! use kravia_invoice::dintero::{Session, Transaction};
//! use kravia_invoice::verify::{verify_credit, Code};
//! use kravia_invoice::Brand;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
//! let mut tx = Transaction::from_json(&std::fs::read_to_string(format!("{dir}transaction.json"))?)?;
//! let session = Session::from_json(&std::fs::read_to_string(format!("{dir}session.json"))?)?;
//! let brand = Brand::load(format!("{dir}brand.toml").as_ref())?;
//!
//! // Not voided: nothing to credit, and the number must be the seller's own.
//! let report = verify_credit(&tx, Some(&session), &brand, "KJ65C-190025").unwrap_err();
//! assert!(report.codes().contains(&Code::NotVoided));
//! assert!(report.codes().contains(&Code::InvalidCreditNumber));
//!
//! tx.status = Some("AUTHORIZATION_VOIDED".into());
//! let credit = verify_credit(&tx, Some(&session), &brand, "KN-1001")?;
//! assert_eq!(credit.totals.gross, credit.invoice.totals.gross);
//! assert_eq!(credit.lines.len(), credit.invoice.lines.len());
//! # Ok(()) }
//! ```

mod split;
mod void;

use chrono::NaiveDate;
use serde::Serialize;

pub use split::split_by_weight;

use crate::brand::Brand;
use crate::dintero::{Session, Transaction};
use crate::locale::Locale;
use crate::money::{Money, Quantity, VatRate};

use super::invoice::{LineKind, VatSummary, VerifiedInvoice};
use super::report::{Finding, Report};
use super::{Code, Outcome, Purpose, run_for};

/// What a credit note credits, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditBasis {
    /// The status is AUTHORIZATION_VOIDED: the whole invoice, line by line.
    WholeInvoice,
    /// A VOID event that names its items: those items, each at its invoice
    /// line's VAT rate.
    VoidItems,
    /// A VOID event without items: the voided amount split over the invoice's
    /// VAT rates in proportion to their gross amounts, one line per rate.
    VoidSplit,
}

/// What one credit line takes back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Credits {
    /// (A part of) the invoice line with this `line_id`.
    Line {
        /// The invoice line's `line_id`.
        line_id: String,
        /// Item or shipping.
        line_kind: LineKind,
    },
    /// The invoice's share at this line's VAT rate (documents describe it as
    /// "Kreditering av faktura {number}" in their language).
    RateShare,
}

/// One credited line. Amounts are what is credited (positive for an invoice
/// line with a positive amount); documents print them negative.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreditLine {
    /// What it takes back.
    pub credits: Credits,
    /// The invoice line's product id / SKU, when given.
    pub item_id: Option<String>,
    /// The invoice line's description; `None` for a [`Credits::RateShare`].
    pub description: Option<String>,
    /// The quantity credited: the VOID item's, else the invoice line's when
    /// the whole line is credited, else 1.
    pub quantity: Quantity,
    /// The VAT rate (the invoice line's, or the rate of the share).
    pub vat_rate: VatRate,
    /// Credited amount including VAT.
    pub amount: Money,
    /// Credited VAT.
    pub vat_amount: Money,
    /// `amount − vat_amount`.
    pub net: Money,
    /// `net ÷ quantity`, rounded half away from zero.
    pub unit_price_net: Money,
    /// `amount ÷ quantity`, rounded half away from zero.
    pub unit_price_gross: Money,
}

/// The credit note's totals (what is credited, positive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CreditTotals {
    /// Credited excluding VAT.
    pub net: Money,
    /// Credited VAT.
    pub vat: Money,
    /// Credited including VAT: the voided amount.
    pub gross: Money,
}

/// A credit note whose credited invoice and voided amount have passed every
/// check.
///
/// Obtain one with [`verify_credit`]; it cannot be built otherwise
/// (`#[non_exhaustive]`).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct VerifiedCreditNote {
    /// The credit note's own number (the seller's series), trimmed.
    pub credit_number: String,
    /// The credit note's date: the day of the VOID event in the seller's time
    /// zone.
    pub issue_date: NaiveDate,
    /// What is credited, and why.
    pub basis: CreditBasis,
    /// The VOID event's index in `transaction.events`, when there is one.
    pub void_event: Option<usize>,
    /// The credited invoice, verified exactly as for the invoice (without
    /// payment codes: a credit note asks for no payment).
    pub invoice: VerifiedInvoice,
    /// The credited lines, in the invoice's line order (or rate order).
    pub lines: Vec<CreditLine>,
    /// Credited VAT per rate, highest rate first.
    pub vat: Vec<VatSummary>,
    /// The totals credited.
    pub totals: CreditTotals,
    /// The default locale: the invoice's.
    pub locale: Locale,
    /// Non-fatal findings: the invoice's and the credit note's.
    pub warnings: Vec<Finding>,
}

/// What the credit checks found to credit (built before the invoice is known
/// to pass).
#[derive(Debug)]
struct Credited {
    number: String,
    date: NaiveDate,
    basis: CreditBasis,
    void_event: Option<usize>,
    lines: Vec<CreditLine>,
    vat: Vec<VatSummary>,
    totals: CreditTotals,
}

/// Whether `transaction` was voided (its status is AUTHORIZATION_VOIDED, or
/// it has a successful VOID event): what gets a credit note rather than an
/// invoice. A cheap look at the transaction alone; [`verify_credit`] does the
/// checks.
///
/// ```
/// use kravia_invoice::dintero::Transaction;
/// use kravia_invoice::verify::credit::is_voided;
/// let tx = |json: &str| Transaction::from_json(json).unwrap();
/// assert!(is_voided(&tx(r#"{"id": "T", "status": "AUTHORIZATION_VOIDED"}"#)));
/// assert!(is_voided(&tx(r#"{"id": "T", "status": "PARTIALLY_CAPTURED",
///     "events": [{"name": "VOID", "success": true}]}"#)));
/// assert!(!is_voided(&tx(r#"{"id": "T", "status": "AUTHORIZED",
///     "events": [{"event": "VOID", "success": false}]}"#)));
/// ```
pub fn is_voided(transaction: &Transaction) -> bool {
    transaction.status.as_deref().map(str::trim) == Some("AUTHORIZATION_VOIDED")
        || transaction.events.iter().any(|e| e.is_successful("VOID"))
}

/// Verifies the invoice that a voided transaction carried exactly as
/// [`verify`](super::verify) does (except that its status must be voided),
/// decides what is credited and checks it, and checks the credit note's own
/// `credit_number`; returns the credit note, or a report of every finding.
///
/// # Errors
///
/// A [`Report`] with at least one error when any check fails; its
/// `invoice_number` is the credited invoice's.
pub fn verify_credit(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: &Brand,
    credit_number: &str,
) -> Result<VerifiedCreditNote, Report> {
    let mut credited: Option<Credited> = None;
    let outcome = run_for(
        transaction,
        session,
        Some(brand),
        Purpose::Credit,
        &mut |pieces, f| credited = void::credited(pieces, credit_number, f),
    );
    match (outcome, credited) {
        (Outcome::Invoice(invoice), Some(c)) => {
            let invoice = *invoice;
            Ok(VerifiedCreditNote {
                credit_number: c.number,
                issue_date: c.date,
                basis: c.basis,
                void_event: c.void_event,
                locale: invoice.locale,
                warnings: invoice.warnings.clone(),
                lines: c.lines,
                vat: c.vat,
                totals: c.totals,
                invoice,
            })
        }
        (Outcome::Invoice(invoice), None) => Err(Report {
            // Every path that credits nothing records an error; this guards
            // the invariant rather than trusting it.
            invoice_number: Some(invoice.invoice_number.clone()),
            errors: vec![Finding::new(
                Code::VoidMismatch,
                "transaction",
                "nothing to credit could be determined",
            )],
            warnings: invoice.warnings,
        }),
        (Outcome::Report(report), _) => Err(report),
    }
}

#[cfg(test)]
mod tests;
