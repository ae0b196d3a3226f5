//! Finding codes: one variant per row of the contract's cross-check table, plus
//! the warning codes.

use std::fmt;

use serde::Serialize;

/// What a finding is about. The `snake_case` strings are the contract's codes and
/// never change.
///
/// ```
/// use kravia_invoice::verify::Code;
/// assert_eq!(Code::OrderTotalMismatch.as_str(), "order_total_mismatch");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Code {
    /// `payment_product_type` is not `kravia.invoice_b2b` or `kravia.invoice_b2c`.
    UnsupportedPaymentProduct,
    /// The status is not AUTHORIZED, PARTIALLY_CAPTURED or CAPTURED.
    NotInvoiceable,
    /// AUTHORIZED with no successful INITIATE_CAPTURE or CAPTURE event.
    CollectionNotStarted,
    /// Transaction and session do not belong together, or their lines/addresses differ.
    SessionMismatch,
    /// Transaction and order currencies differ.
    CurrencyMismatch,
    /// The currency is not NOK, SEK or EUR.
    UnsupportedCurrency,
    /// The transaction amount differs from the order amount.
    AmountMismatch,
    /// Σ items + shipping differs from the order amount.
    OrderTotalMismatch,
    /// A line's VAT disagrees with its rate, or Σ line VAT differs from the order's.
    VatMismatch,
    /// The collection event's amount or lines differ from the order.
    CaptureMismatch,
    /// No `kravia:invoice_number`.
    MissingInvoiceNumber,
    /// Metadata and event invoice numbers differ.
    InvoiceNumberMismatch,
    /// No KID, or neither a BBAN nor an IBAN.
    MissingPaymentDetails,
    /// The payment reference fails its scheme.
    InvalidKid,
    /// The BBAN fails its country's check.
    InvalidAccountNumber,
    /// The IBAN fails ISO 13616.
    InvalidIban,
    /// The IBAN does not carry the BBAN.
    IbanAccountMismatch,
    /// The SWIFT/BIC is malformed.
    InvalidBic,
    /// A date does not parse, or the due date is before the issue date.
    InvalidDates,
    /// A required billing field is absent.
    MissingBillingField,
    /// The buyer's organisation number fails its country rule.
    InvalidOrganizationNumber,
    /// The brand's seller lacks a name or has an invalid organisation number.
    InvalidSeller,
    /// A line at 0 % VAT and no exemption reason in the brand file (an error
    /// for Swedish and Finnish sellers, a warning for Norwegian ones).
    MissingExemptionReason,
    /// Credit note: no successful VOID event and the status is not
    /// AUTHORIZATION_VOIDED, so nothing is to be credited.
    NotVoided,
    /// Credit note: the voided amount exceeds what was invoiced and not paid,
    /// or its items are not invoice lines.
    VoidMismatch,
    /// Credit note: its number is empty, or equal to the invoice number.
    InvalidCreditNumber,
    /// A line's `gross_amount` minus its discounts is not its `amount`, or a
    /// discount is negative, missing or larger than the order.
    DiscountMismatch,
    /// An amount printed (the order, a line, a unit price, a gross amount, a
    /// discount, VAT per rate) is beyond ±999 999 999.99, more than the
    /// invoice's columns hold.
    AmountTooLarge,
    /// A printed text is longer than its place on the invoice allows (limits
    /// per kind of field, in characters: names 80, a person's first and last
    /// name 40 each, address lines 60, postal code 12, place 40, references
    /// 40, invoice and case numbers 30, e-mail/phone/web 60, line descriptions
    /// 500, discount descriptions 100, the brand's footer 200, payee 70, VAT
    /// exemption reason 300). The message gives the count and the limit.
    TextTooLong,
    /// Warning: a date was derived rather than read from Kravia's metadata.
    DatesDerived,
    /// Warning: a character that no font face can draw was replaced by a
    /// visible mark (U+FFFD); the message names the code point. An error
    /// under `--strict-glyphs` (`check` reports it, `render` refuses).
    GlyphReplaced,
    /// Warning: something was ignored or assumed (the message says what).
    Assumed,
}

impl Code {
    /// The contract string, `"vat_mismatch"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::UnsupportedPaymentProduct => "unsupported_payment_product",
            Code::NotInvoiceable => "not_invoiceable",
            Code::CollectionNotStarted => "collection_not_started",
            Code::SessionMismatch => "session_mismatch",
            Code::CurrencyMismatch => "currency_mismatch",
            Code::UnsupportedCurrency => "unsupported_currency",
            Code::AmountMismatch => "amount_mismatch",
            Code::OrderTotalMismatch => "order_total_mismatch",
            Code::VatMismatch => "vat_mismatch",
            Code::CaptureMismatch => "capture_mismatch",
            Code::MissingInvoiceNumber => "missing_invoice_number",
            Code::InvoiceNumberMismatch => "invoice_number_mismatch",
            Code::MissingPaymentDetails => "missing_payment_details",
            Code::InvalidKid => "invalid_kid",
            Code::InvalidAccountNumber => "invalid_account_number",
            Code::InvalidIban => "invalid_iban",
            Code::IbanAccountMismatch => "iban_account_mismatch",
            Code::InvalidBic => "invalid_bic",
            Code::InvalidDates => "invalid_dates",
            Code::MissingBillingField => "missing_billing_field",
            Code::InvalidOrganizationNumber => "invalid_organization_number",
            Code::InvalidSeller => "invalid_seller",
            Code::MissingExemptionReason => "missing_exemption_reason",
            Code::NotVoided => "not_voided",
            Code::VoidMismatch => "void_mismatch",
            Code::InvalidCreditNumber => "invalid_credit_number",
            Code::DiscountMismatch => "discount_mismatch",
            Code::AmountTooLarge => "amount_too_large",
            Code::TextTooLong => "text_too_long",
            Code::DatesDerived => "dates_derived",
            Code::GlyphReplaced => "glyph_replaced",
            Code::Assumed => "assumed",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
