//! E-invoices: a PEPPOL BIS Billing 3.0 UBL 2.1 `Invoice` (EHF 3 for Norwegian
//! sellers) from a [`VerifiedInvoice`], and a `CreditNote` (type 381) from a
//! [`VerifiedCreditNote`], for B2B documents of NO, SE and FI sellers in NOK,
//! SEK and EUR.
//!
//! Same floor as `pdf`: it reads verified types only and knows nothing of
//! Dintero. Three steps, each in its own file:
//!
//! ```text
//! VerifiedInvoice    ──build──► Document (EN 16931 terms, every value decided)
//! VerifiedCreditNote ──┘
//!                              │ rules: preflight findings (BR-…, PEPPOL-…, NO-R-…, SE-R-…)
//!                              ▼
//!                            write ──► UBL XML bytes (quick-xml, deterministic)
//! ```
//!
//! * [`ubl`] writes the document, optionally with the rendered PDF embedded
//!   (`AdditionalDocumentReference`, base64, byte-identical); it refuses (with
//!   [`EinvoiceError`]) an invoice whose UBL would break a rule, so it never
//!   writes a document the PEPPOL network would reject for a fact we hold.
//! * [`check`] returns those findings without writing, for `check`.
//! * [`credit_note_ubl`] writes the `CreditNote` of a verified credit note
//!   (see its docs for what differs from the invoice); [`check_credit_note`]
//!   returns its findings.
//!
//! What goes where (BT = EN 16931 business term):
//!
//! | UBL | from |
//! |---|---|
//! | `ID` (BT-1), `IssueDate`, `DueDate` | invoice number, issue and due date |
//! | `BuyerReference` (BT-10) | the buyer's `customer_reference`, else the merchant's order reference |
//! | `OrderReference/SalesOrderID` (BT-14) | the merchant's order reference |
//! | seller `EndpointID`, `PartyLegalEntity/CompanyID` | organisation number in the scheme of the seller's country: NO `0192`, SE `0007` (ten digits), FI `0216` OVT (`0037` + Y-tunnus) as address and `0037` as registration |
//! | seller `PartyTaxScheme` VAT | NO `NO…MVA`, SE/FI the VAT number; none when not VAT registered (category O) |
//! | seller `PartyTaxScheme` TAX | NO the register (`Foretaksregisteret`), SE `Godkänd för F-skatt` |
//! | buyer | business name, organisation number (EAS of the buyer's country), address, contact person |
//! | `PayeeParty` (BG-10) | the payee named in the payment block (Kravia), when it is not the seller |
//! | `Delivery` (BG-13) | delivery date and place as the PDF prints them: the caller's delivery date (else the issue date, verify warns `assumed`), the shipping address (else the billing address) |
//! | `PaymentMeans` | per account the PDF shows: NOK the Norwegian account (code 30), the IBAN (code 30; EUR code 58, SEPA) with the BIC; `PaymentID` the KID / OCR / reference |
//! | `TaxTotal` | VAT per rate of the verified invoice: S per rate, Z (or E with reason, O) at 0 % |
//! | `LegalMonetaryTotal` | net, gross, paid (`PrepaidAmount`) and amount to pay of the verified invoice |
//! | `InvoiceLine` | each line (items, then shipping): quantity (`EA`), net amount, discounts as allowances net of VAT, net unit price |
//!
//! The delivery and the exemption reason of a 0 % line are read through one
//! accessor each in `build.rs`, with their fallbacks documented there.

mod build;
mod eas;
pub(crate) mod model;
mod rules;
mod write;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;

use crate::locale::Locale;
use crate::template::{CreditLabels, TemplateError};
use crate::verify::credit::VerifiedCreditNote;
use crate::verify::invoice::VerifiedInvoice;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The UBL would be rejected (a fatal rule) or cannot be written.
    Error,
    /// The UBL is valid, but a fact was assumed or a recommendation is not met.
    Warning,
}

/// One reason the UBL would be invalid (or a warning about it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule: an official id (`BR-CO-15`, `PEPPOL-EN16931-R010`,
    /// `NO-R-001`, `SE-R-006`) or, for what no official rule names, one of ours
    /// (`assumed-zero-rated`, `xml-character`).
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The field it is about, as in the input (`session.order.billing_address.organization_number`,
    /// `brand.seller.vat_number`, `session.order.items[2].vat_amount`).
    pub path: String,
    /// What is wrong, with the values involved.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.rule, self.path, self.message)
    }
}

/// Why no UBL was written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EinvoiceError {
    /// A consumer invoice: PEPPOL needs the buyer's organisation number for
    /// the buyer's electronic address (PEPPOL-EN16931-R010).
    #[error(
        "{document}: no e-invoice for a buyer without an organisation number \
         (session.order.billing_address.organization_number is missing; PEPPOL needs it for \
         the buyer's electronic address)"
    )]
    MissingBuyerOrganisationNumber {
        /// The document: `invoice KJ65C-190025`, `credit note KN-1 (of invoice KJ65C-190025)`.
        document: String,
    },
    /// The UBL would break these rules.
    #[error("{document}: the e-invoice would break {}", list(.findings))]
    Invalid {
        /// The document: `invoice KJ65C-190025`, `credit note KN-1 (of invoice KJ65C-190025)`.
        document: String,
        /// The errors (and the warnings, after them).
        findings: Vec<Finding>,
    },
    /// The credit note's embedded label texts could not be read (a build
    /// defect).
    #[error("credit-note labels: {0}")]
    Labels(#[from] TemplateError),
    /// The XML writer failed.
    #[error("writing the UBL XML: {0}")]
    Xml(#[from] std::io::Error),
}

fn list(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The PEPPOL BIS Billing 3.0 UBL `Invoice` of a verified invoice, with the
/// rendered PDF embedded when `attached_pdf` is given (byte-identical, base64
/// in `AdditionalDocumentReference/Attachment`). The bytes are deterministic:
/// the same invoice and PDF give the same XML.
///
/// ```
/// # use kravia_invoice::dintero::{Session, Transaction};
/// # use kravia_invoice::{Brand, verify};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
/// # let tx = Transaction::from_json(&std::fs::read_to_string(format!("{dir}transaction.json"))?)?;
/// # let session = Session::from_json(&std::fs::read_to_string(format!("{dir}session.json"))?)?;
/// # let brand = Brand::load(format!("{dir}brand.toml").as_ref())?;
/// let invoice = verify(&tx, Some(&session), &brand)?;
/// let xml = kravia_invoice::einvoice::ubl(&invoice, None)?;
/// let text = String::from_utf8(xml)?;
/// assert!(text.contains("<cbc:ID>KJ65C-190025</cbc:ID>"));
/// assert!(text.contains(r#"<cbc:PayableAmount currencyID="NOK">7824.00</cbc:PayableAmount>"#));
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// [`EinvoiceError::MissingBuyerOrganisationNumber`] for a consumer invoice and
/// [`EinvoiceError::Invalid`] listing every rule the document would break
/// (the errors of [`check`]).
pub fn ubl(
    invoice: &VerifiedInvoice,
    attached_pdf: Option<&[u8]>,
) -> Result<Vec<u8>, EinvoiceError> {
    let document = || format!("invoice {}", invoice.invoice_number);
    if invoice.buyer.org_number.is_none() {
        return Err(EinvoiceError::MissingBuyerOrganisationNumber {
            document: document(),
        });
    }
    let mut findings = Vec::new();
    let doc = build::document(invoice, attached_pdf, &mut findings);
    finish(&doc, findings, document)
}

/// Preflight, then write, or the errors.
fn finish(
    doc: &model::Document<'_>,
    mut findings: Vec<Finding>,
    document: impl FnOnce() -> String,
) -> Result<Vec<u8>, EinvoiceError> {
    rules::preflight(doc, &mut findings);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(EinvoiceError::Invalid {
            document: document(),
            findings: sorted(findings),
        });
    }
    Ok(write::document(doc)?)
}

/// The PEPPOL BIS Billing 3.0 UBL `CreditNote` (`CreditNoteTypeCode` 381) of
/// a verified credit note, with the rendered credit-note PDF embedded when
/// `attached_pdf` is given; deterministic bytes, like [`ubl`].
///
/// * `BillingReference/InvoiceDocumentReference`: the credited invoice's
///   number and issue date (BG-3);
/// * parties, buyer reference, order reference and delivery: the credited
///   invoice's, as in its `Invoice`;
/// * lines, VAT per rate and totals: what is credited, as positive amounts
///   (the BIS 3 credit-note convention; the PDF prints them negative), exact
///   to the minor unit: `LineExtensionAmount` = credited net,
///   `TaxInclusiveAmount` = `PayableAmount` = the credited gross;
/// * no `PaymentMeans` and no `PayeeParty` (nothing is paid); instead
///   `PaymentTerms/Note` says so in `locale` (BT-20, which BR-CO-25 asks for
///   when the amount is positive).
///
/// ```
/// # use kravia_invoice::dintero::{Session, Transaction};
/// # use kravia_invoice::{Brand, locale::Locale, verify::verify_credit};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
/// # let mut tx = Transaction::from_json(&std::fs::read_to_string(format!("{dir}transaction.json"))?)?;
/// # let session = Session::from_json(&std::fs::read_to_string(format!("{dir}session.json"))?)?;
/// # let brand = Brand::load(format!("{dir}brand.toml").as_ref())?;
/// tx.status = Some("AUTHORIZATION_VOIDED".into());
/// let note = verify_credit(&tx, Some(&session), &brand, "KN-1001")?;
/// let xml = kravia_invoice::einvoice::credit_note_ubl(&note, Locale::Nb, None)?;
/// let text = String::from_utf8(xml)?;
/// assert!(text.contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"));
/// assert!(text.contains("<cbc:ID>KJ65C-190025</cbc:ID>")); // the BillingReference
/// assert!(text.contains(r#"<cbc:PayableAmount currencyID="NOK">7824.00</cbc:PayableAmount>"#));
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As [`ubl`]: [`EinvoiceError::MissingBuyerOrganisationNumber`] for a
/// consumer's credit note, [`EinvoiceError::Invalid`] with every rule it
/// would break.
pub fn credit_note_ubl(
    note: &VerifiedCreditNote,
    locale: Locale,
    attached_pdf: Option<&[u8]>,
) -> Result<Vec<u8>, EinvoiceError> {
    let document = || {
        format!(
            "credit note {} (of invoice {})",
            note.credit_number, note.invoice.invoice_number
        )
    };
    if note.invoice.buyer.org_number.is_none() {
        return Err(EinvoiceError::MissingBuyerOrganisationNumber {
            document: document(),
        });
    }
    let labels = CreditLabels::get(locale)?;
    let mut findings = Vec::new();
    let doc = build::credit_document(note, labels, attached_pdf, &mut findings);
    finish(&doc, findings, document)
}

/// What would make the `CreditNote` of `note` invalid, errors first; as
/// [`check`] for an invoice.
///
/// # Errors
///
/// [`EinvoiceError::Labels`] when the embedded label texts are broken (a
/// build defect).
pub fn check_credit_note(
    note: &VerifiedCreditNote,
    locale: Locale,
) -> Result<Vec<Finding>, EinvoiceError> {
    let labels = CreditLabels::get(locale)?;
    let mut findings = Vec::new();
    let doc = build::credit_document(note, labels, None, &mut findings);
    rules::preflight(&doc, &mut findings);
    Ok(sorted(findings))
}

/// What would make the UBL of `invoice` invalid, errors first, then warnings
/// (assumed facts). Empty when [`ubl`] would write it without remark.
///
/// A consumer invoice gives one error (PEPPOL-EN16931-R010, the buyer's
/// organisation number).
pub fn check(invoice: &VerifiedInvoice) -> Vec<Finding> {
    let mut findings = Vec::new();
    let doc = build::document(invoice, None, &mut findings);
    rules::preflight(&doc, &mut findings);
    sorted(findings)
}

/// Errors first, each group in the order found.
fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| f.severity != Severity::Error);
    findings
}
