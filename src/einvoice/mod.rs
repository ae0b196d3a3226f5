//! E-invoices: a PEPPOL BIS Billing 3.0 UBL 2.1 `Invoice` (EHF 3 for Norwegian
//! sellers) from a [`VerifiedInvoice`], for B2B invoices of NO, SE and FI
//! sellers in NOK, SEK and EUR.
//!
//! Same floor as `pdf`: it reads a verified invoice and knows nothing of
//! Dintero. Three steps, each in its own file:
//!
//! ```text
//! VerifiedInvoice ──build──► Document (EN 16931 terms, every value decided)
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
//! | `Delivery` (BG-13) | delivery date and place: not carried by the verified invoice yet, so the issue date and the billing address (warning `assumed-delivery`) |
//! | `PaymentMeans` | per account the PDF shows: NOK the Norwegian account (code 30), the IBAN (code 30; EUR code 58, SEPA) with the BIC; `PaymentID` the KID / OCR / reference |
//! | `TaxTotal` | VAT per rate of the verified invoice: S per rate, Z (or E with reason, O) at 0 % |
//! | `LegalMonetaryTotal` | net, gross, paid (`PrepaidAmount`) and amount to pay of the verified invoice |
//! | `InvoiceLine` | each line (items, then shipping): quantity (`EA`), net amount, discounts as allowances net of VAT, net unit price |
//!
//! Facts the verified invoice does not carry yet (delivery date and place,
//! the exemption reason of a 0 % line) are read through one accessor each in
//! `build.rs`, with the fallback documented there and a warning finding.

mod build;
mod eas;
pub(crate) mod model;
mod rules;
mod write;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::Serialize;

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
    /// (`assumed-delivery`, `assumed-zero-rated`, `xml-character`).
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
        "invoice {invoice_number}: no e-invoice for a buyer without an organisation number \
         (session.order.billing_address.organization_number is missing; PEPPOL needs it for \
         the buyer's electronic address)"
    )]
    MissingBuyerOrganisationNumber {
        /// The invoice.
        invoice_number: String,
    },
    /// The UBL would break these rules.
    #[error("invoice {invoice_number}: the e-invoice would break {}", list(.findings))]
    Invalid {
        /// The invoice.
        invoice_number: String,
        /// The errors (and the warnings, after them).
        findings: Vec<Finding>,
    },
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
    let number = || invoice.invoice_number.clone();
    if invoice.buyer.org_number.is_none() {
        return Err(EinvoiceError::MissingBuyerOrganisationNumber {
            invoice_number: number(),
        });
    }
    let mut findings = Vec::new();
    let doc = build::document(invoice, attached_pdf, &mut findings);
    rules::preflight(&doc, &mut findings);
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Err(EinvoiceError::Invalid {
            invoice_number: number(),
            findings: sorted(findings),
        });
    }
    Ok(write::document(&doc)?)
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
