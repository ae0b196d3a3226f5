//! Verification: every cross-check between the transaction, the session and the
//! brand, and the only way to obtain a [`VerifiedInvoice`].
//!
//! Each file checks one group of fields and pushes [`Finding`]s into one list, so a
//! [`Report`] names every problem at once, each with a contract [`Code`], the path
//! of the offending field as written in the input, and the expected and found
//! values. Nothing is drawn until all checks pass.
//!
//! ```
//! use kravia_invoice::dintero::{Session, Transaction};
//! use kravia_invoice::verify::{verify, Code};
//! let tx = Transaction::from_json(r#"{"id": "T1", "payment_product_type": "card"}"#).unwrap();
//! let session = Session::from_json(r#"{"id": "S1"}"#).unwrap();
//! // `check` needs no brand file and returns the report of every finding;
//! // `verify` needs the brand (the seller) and returns the invoice.
//! let report = kravia_invoice::verify::check(&tx, Some(&session), None);
//! assert!(!report.is_ok());
//! assert!(report.codes().contains(&Code::UnsupportedPaymentProduct));
//! ```

mod amounts;
mod billing;
mod capture;
pub mod code;
mod codes;
pub mod credit;
mod dates;
mod delivery;
mod exemption;
mod glyphs;
mod identifiers;
pub mod invoice;
mod lines;
mod printable;
pub mod report;
mod seller;
mod status;
mod vat;

pub use code::Code;
pub use credit::{VerifiedCreditNote, verify_credit};
pub use invoice::{
    Account, BankBarcode, Buyer, CustomerKind, Delivery, DeliveryPlace, Discount, LegalLine, Line,
    LineKind, PaymentCodes, PaymentDetails, PaymentQr, PlaceSource, Seller, Totals, VatSummary,
    VerifiedInvoice,
};
pub use report::{Finding, Report};

use chrono::NaiveDate;

use crate::brand::Brand;
use crate::country::Country;
use crate::dintero::{Order, Session, Transaction};
use crate::locale::Locale;
use crate::money::Money;

/// The findings collected so far.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
}

impl Findings {
    fn error(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Finding::new(code, path, message));
    }

    fn warn(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Finding::new(code, path, message));
    }
}

/// What the checks read: the transaction, the session and where it sits in the
/// input (`session` or `transaction.session`), and the brand.
pub(crate) struct Input<'a> {
    tx: &'a Transaction,
    session: &'a Session,
    order: &'a Order,
    /// `"session"` or `"transaction.session"`.
    sp: &'static str,
    brand: Option<&'a Brand>,
}

impl Input<'_> {
    /// The path of a field of the order: `session.order.items[1].vat_amount`.
    fn order_path(&self, rest: &str) -> String {
        if rest.is_empty() {
            format!("{}.order", self.sp)
        } else {
            format!("{}.order.{rest}", self.sp)
        }
    }
}

/// What the caller knows that the documents do not say.
///
/// ```
/// use kravia_invoice::verify::VerifyOptions;
/// let options = VerifyOptions {
///     delivery_date: "2026-05-28".parse().ok(),
///     ..VerifyOptions::default()
/// };
/// assert!(options.delivery_date.is_some());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// When the goods or services were delivered (`--delivery-date`). Without
    /// it the invoice date is printed as the delivery date, with an `assumed`
    /// warning.
    pub delivery_date: Option<NaiveDate>,
}

/// Checks that `transaction` and `session` agree, that every payment detail is
/// valid and that the brand's seller is complete; returns the normalised
/// invoice, or a report listing every failure.
///
/// `session` is the session document when given separately; it wins over a
/// session embedded in the transaction (`?includes=session`), which is used
/// otherwise.
///
/// # Errors
///
/// A [`Report`] with at least one error when any check fails.
pub fn verify(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: &Brand,
) -> Result<VerifiedInvoice, Report> {
    verify_with(transaction, session, brand, &VerifyOptions::default())
}

/// [`verify`] with the caller's [`VerifyOptions`] (the delivery date).
///
/// # Errors
///
/// A [`Report`] with at least one error when any check fails.
pub fn verify_with(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: &Brand,
    options: &VerifyOptions,
) -> Result<VerifiedInvoice, Report> {
    match run(transaction, session, Some(brand), options) {
        Outcome::Invoice(invoice) => Ok(*invoice),
        Outcome::Report(report) => Err(report),
    }
}

/// Runs every check of [`verify`] and returns the report: no errors when the
/// documents would verify. Without a brand the seller checks are skipped
/// (and with them the Swedish QR code, which names the seller).
/// # Example
///
/// See the module docs.
pub fn check(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: Option<&Brand>,
) -> Report {
    check_with(transaction, session, brand, &VerifyOptions::default())
}

/// [`check`] with the caller's [`VerifyOptions`].
pub fn check_with(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: Option<&Brand>,
    options: &VerifyOptions,
) -> Report {
    match run(transaction, session, brand, options) {
        Outcome::Invoice(invoice) => Report {
            invoice_number: Some(invoice.invoice_number.clone()),
            errors: Vec::new(),
            warnings: invoice.warnings,
        },
        Outcome::Report(report) => report,
    }
}

/// What [`run`] ends with: the invoice, or the report (with errors, or only
/// warnings when checked without a brand).
pub(crate) enum Outcome {
    Invoice(Box<VerifiedInvoice>),
    Report(Report),
}

/// What a run of the checks is for: an invoice to send, or the invoice a
/// credit note credits (its status is voided, it carries no payment codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    Invoice,
    Credit,
}

/// The checked pieces of the invoice, handed to the checks of a [`Purpose`]
/// that add to the invoice's (the credit note's, in `credit`).
pub(crate) struct Pieces<'x> {
    input: &'x Input<'x>,
    /// The collection event's index in `transaction.events`.
    collection: Option<usize>,
    /// The lines that passed their checks.
    lines: &'x [Line],
    /// VAT per rate over those lines, highest rate first.
    vat: &'x [VatSummary],
    /// Net, VAT, gross, paid and to pay, when the order has an amount.
    totals: Option<&'x Totals>,
    /// The invoice number, when there is one.
    invoice_number: Option<&'x str>,
    /// The verified invoice date, when the dates passed.
    issue_date: Option<chrono::NaiveDate>,
    /// The seller's country (for its time zone).
    seller_country: Country,
}

fn run(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: Option<&Brand>,
    options: &VerifyOptions,
) -> Outcome {
    run_for(
        transaction,
        session,
        brand,
        options,
        Purpose::Invoice,
        &mut |_, _| {},
    )
}

/// Every check of the invoice, then `more` (the purpose's own checks) on the
/// checked pieces, into one list of findings.
pub(crate) fn run_for(
    transaction: &Transaction,
    session: Option<&Session>,
    brand: Option<&Brand>,
    options: &VerifyOptions,
    purpose: Purpose,
    more: &mut dyn FnMut(&Pieces<'_>, &mut Findings),
) -> Outcome {
    let (session, sp) = match (session, transaction.session.as_deref()) {
        (Some(s), _) => (s, "session"),
        (None, Some(s)) => (s, "transaction.session"),
        (None, None) => {
            return Outcome::Report(Report {
                invoice_number: None,
                errors: vec![Finding::new(
                    Code::SessionMismatch,
                    "transaction.session",
                    "no session: give the session document, or fetch the transaction with ?includes=session",
                )],
                warnings: Vec::new(),
            });
        }
    };
    let empty = Order::default();
    let input = Input {
        tx: transaction,
        session,
        order: session.order.as_ref().unwrap_or(&empty),
        sp,
        brand,
    };
    let mut f = Findings::default();

    let kind = status::product(&input, &mut f);
    if purpose == Purpose::Invoice {
        // A credit note's status is voided; `credit` checks it instead.
        status::status(&input, &mut f);
    }
    let collection = capture::collection_event(transaction);
    status::collection_started(&input, collection, &mut f);
    if amounts::identity(&input, &mut f) == amounts::Identity::Foreign {
        // The session of another transaction: that one finding, not the
        // dozens of follow-on differences between two unrelated documents.
        let invoice_number = identifiers::invoice_number(&input, &mut Findings::default());
        return Outcome::Report(Report {
            invoice_number,
            errors: f.errors,
            warnings: f.warnings,
        });
    }
    let currency = amounts::currency(&input, &mut f);
    amounts::totals(&input, &mut f);
    let lines = vat::lines(&input, &mut f);
    let vat = vat::order_vat(&input, &lines, &mut f);
    vat::check_order_discounts(&input, &mut f);
    printable::check(&input, &mut f);
    lines::transaction_lines(&input, &mut f);
    lines::billing_address(&input, &mut f);
    let paid = capture::check(&input, collection, &mut f);
    let invoice_number = identifiers::invoice_number(&input, &mut f);
    let seller = seller::seller(&input, &mut f);
    let seller_country = seller::country(&input);
    let payment = identifiers::payment_details(&input, currency, &mut f);
    let dates = dates::dates(&input, collection, kind, seller_country, &mut f);
    let buyer = billing::buyer(&input, kind, &mut f);
    let delivery = delivery::delivery(
        &input,
        options.delivery_date,
        dates.as_ref().map(|d| d.issue),
        // A credit note credits an invoice already delivered: no warning.
        purpose == Purpose::Invoice,
        &mut f,
    );
    let vat_exemption_reason = exemption::reason(&input, &lines, seller_country, &mut f);

    let totals = amounts::summary(&input, &lines, paid);
    if let Some(t) = &totals {
        printable::amount(&mut f, &input.order_path("vat_amount"), t.vat.minor());
        printable::amount(&mut f, &input.order_path("amount"), t.net.minor());
    }
    more(
        &Pieces {
            input: &input,
            collection,
            lines: &lines,
            vat: &vat,
            totals: totals.as_ref(),
            invoice_number: invoice_number.as_deref(),
            issue_date: dates.as_ref().map(|d| d.issue),
            seller_country,
        },
        &mut f,
    );
    let codes = match (&payment, &totals, currency, &dates) {
        // A credit note asks for no payment: no codes.
        _ if purpose == Purpose::Credit => PaymentCodes::default(),
        (Some(payment), Some(totals), Some(currency), Some(dates)) => codes::codes(
            &codes::Facts {
                currency,
                payment,
                to_pay: totals.to_pay,
                vat: totals.vat,
                issue_date: dates.issue,
                due_date: dates.due,
                seller: seller.as_ref(),
            },
            &mut f,
        ),
        _ => PaymentCodes::default(),
    };
    match (
        f.errors.is_empty(),
        kind,
        currency,
        invoice_number.clone(),
        payment,
        dates,
        totals,
        seller,
        delivery,
    ) {
        (
            true,
            Some(kind),
            Some(currency),
            Some(number),
            Some(payment),
            Some(dates),
            Some(totals),
            Some(seller),
            Some(delivery),
        ) => {
            let brand_locale = brand.and_then(|b| b.invoice.locale);
            let mut invoice = VerifiedInvoice {
                invoice_number: number,
                kind,
                currency,
                issue_date: dates.issue,
                due_date: dates.due,
                delivery,
                dates_derived: dates.derived,
                merchant_reference: clean(input.order.merchant_reference.as_deref()),
                case_number: dates.case_number,
                seller,
                locale: brand_locale.unwrap_or_else(|| Locale::for_country(buyer.country)),
                buyer,
                order_discounts: vat::order_discounts(input.order),
                lines,
                vat,
                vat_exemption_reason,
                totals,
                payment,
                codes,
                prices_incl_vat: kind == CustomerKind::Consumer,
                warnings: Vec::new(),
            };
            let default_chain = crate::font::FontChain::default();
            let chain = brand.map_or(&default_chain, |b| &b.fonts);
            glyphs::clean(&mut invoice, &input, chain, &mut f);
            invoice.warnings = f.warnings;
            Outcome::Invoice(Box::new(invoice))
        }
        _ => {
            if f.errors.is_empty() && brand.is_some() {
                // Every path that leaves a piece missing records an error; this
                // guards the invariant rather than trusting it.
                f.error(
                    Code::SessionMismatch,
                    "transaction",
                    "the documents are incomplete",
                );
            }
            Outcome::Report(Report {
                invoice_number,
                errors: f.errors,
                warnings: f.warnings,
            })
        }
    }
}

/// A field's text without surrounding white space; `None` when absent or blank.
pub(crate) fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// [`present`], owned.
pub(crate) fn clean(v: Option<&str>) -> Option<String> {
    present(v).map(str::to_string)
}

/// Minor units grouped in threes for messages: `640720` → `640 720`.
pub(crate) fn grouped(minor: i64) -> String {
    let digits = minor.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if minor < 0 { format!("-{out}") } else { out }
}

/// [`grouped`] for a [`Money`].
pub(crate) fn m(money: Money) -> String {
    grouped(money.minor())
}

#[cfg(test)]
mod tests;
