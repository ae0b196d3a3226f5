//! The EN 16931 document as this crate writes it: the business terms (BT-…)
//! and groups (BG-…) of one PEPPOL BIS Billing 3.0 document, with every value
//! already decided, so the writer only serialises and the rules only check.
//!
//! The model is document-kind neutral: an `Invoice` (type 380) and a
//! `CreditNote` (type 381, with a `BillingReference` to the invoice) share
//! parties, payment, VAT breakdown, totals and lines; [`DocKind`] holds what
//! differs. All amounts are positive for an invoice and, by UBL convention,
//! for a credit note too.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::country::Country;
use crate::money::{Currency, Money, VatRate};

/// `cbc:CustomizationID` (BT-24) of PEPPOL BIS Billing 3.0.
pub(crate) const CUSTOMIZATION_ID: &str =
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
/// `cbc:ProfileID` (BT-23): billing process 01.
pub(crate) const PROFILE_ID: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// Invoice or credit note, with what only one of them has.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DocKind {
    /// `Invoice`, `InvoiceTypeCode` 380, `cbc:DueDate` at document level.
    Invoice,
    /// `CreditNote`, `CreditNoteTypeCode` 381, the due date (if any) in
    /// `PaymentMeans/PaymentDueDate`, and a `BillingReference` (BG-3) to the
    /// invoice it corrects.
    CreditNote {
        /// The credited invoice's number (BT-25).
        invoice_number: String,
        /// The credited invoice's issue date (BT-26).
        invoice_date: NaiveDate,
    },
}

/// A scheme-qualified identifier: `schemeID="0192"` + `988077917`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SchemeId<'a> {
    /// The ISO 6523 ICD / EAS code.
    pub scheme: &'static str,
    /// The identifier in that scheme's form.
    pub id: Cow<'a, str>,
}

/// A postal address (BG-5, BG-8, BG-15).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Address<'a> {
    /// Address line 1 (`StreetName`).
    pub street: Option<Cow<'a, str>>,
    /// Address line 2 (`AdditionalStreetName`).
    pub additional: Option<Cow<'a, str>>,
    /// Address line 3 (`AddressLine/Line`), e.g. `c/o …`.
    pub line3: Option<Cow<'a, str>>,
    /// City.
    pub city: Option<Cow<'a, str>>,
    /// Post code.
    pub postal_zone: Option<Cow<'a, str>>,
    /// Country; required by BR-09/BR-11/BR-57.
    pub country: Option<Country>,
}

/// Contact details (BG-6, BG-9).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Contact<'a> {
    /// A person's name.
    pub name: Option<Cow<'a, str>>,
    /// Telephone.
    pub phone: Option<Cow<'a, str>>,
    /// Email.
    pub email: Option<Cow<'a, str>>,
}

/// Seller (BG-4) or buyer (BG-7).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Party<'a> {
    /// Electronic address (BT-34/BT-49) with its EAS scheme.
    pub endpoint: Option<SchemeId<'a>>,
    /// Trading name (`PartyName/Name`) and legal name (`RegistrationName`).
    pub name: Cow<'a, str>,
    /// Postal address.
    pub address: Address<'a>,
    /// VAT identifier (BT-31/BT-48), with its country prefix.
    pub vat_id: Option<Cow<'a, str>>,
    /// Tax registration text under the `TAX` scheme (BT-32): `Foretaksregisteret`
    /// (NO-R-002) or `Godkänd för F-skatt` (SE-R-005).
    pub tax_registration: Option<Cow<'a, str>>,
    /// Legal registration identifier (BT-30/BT-47).
    pub legal_id: Option<SchemeId<'a>>,
    /// Contact.
    pub contact: Contact<'a>,
}

/// VAT category code (UNCL5305 subset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum TaxCode {
    /// Standard rated (any rate above 0).
    S,
    /// Zero rated goods.
    Z,
    /// Exempt from VAT: needs an exemption reason (BR-E-10).
    E,
    /// Not subject to VAT (seller not VAT registered): no rate, no VAT number.
    O,
}

impl TaxCode {
    /// The code as written.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TaxCode::S => "S",
            TaxCode::Z => "Z",
            TaxCode::E => "E",
            TaxCode::O => "O",
        }
    }
}

/// A VAT category with its rate and, for E and O, the exemption reason.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TaxCategory<'a> {
    /// The category.
    pub code: TaxCode,
    /// The rate (written for every category but O).
    pub rate: VatRate,
    /// Exemption reason code (BT-121), e.g. `VATEX-EU-O`.
    pub exemption_code: Option<&'static str>,
    /// Exemption reason text (BT-120).
    pub exemption_reason: Option<Cow<'a, str>>,
}

/// One VAT breakdown (BG-23).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TaxSubtotal<'a> {
    /// Taxable amount (BT-116).
    pub taxable: Money,
    /// VAT amount (BT-117).
    pub tax: Money,
    /// Category and rate.
    pub category: TaxCategory<'a>,
}

/// Document totals (BG-22).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct MonetaryTotal {
    /// Σ line net amounts (BT-106).
    pub line_extension: Money,
    /// Total without VAT (BT-109).
    pub tax_exclusive: Money,
    /// Total with VAT (BT-112).
    pub tax_inclusive: Money,
    /// Paid amount (BT-113), written when not zero.
    pub prepaid: Money,
    /// Amount due (BT-115).
    pub payable: Money,
}

/// A line allowance (BG-27): a discount, net of VAT.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Allowance<'a> {
    /// Reason text (BT-139).
    pub reason: Cow<'a, str>,
    /// Amount without VAT (BT-136).
    pub amount: Money,
    /// Percentage (BT-138) and base amount (BT-137), only when both are
    /// known and agree with the amount (PEPPOL-EN16931-R040/R041/R042).
    pub percent_of: Option<(Decimal, Money)>,
}

/// One document line (BG-25).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DocLine<'a> {
    /// Line identifier (BT-126): 1, 2, … in invoice order.
    pub id: usize,
    /// Invoiced quantity (BT-129), negative for a negative line.
    pub quantity: Decimal,
    /// Unit of measure (BT-130), UN/ECE Rec 20.
    pub unit_code: &'static str,
    /// Net amount (BT-131).
    pub net: Money,
    /// Allowances (discounts) on the line.
    pub allowances: Vec<Allowance<'a>>,
    /// Item name (BT-153).
    pub name: Cow<'a, str>,
    /// Seller's item identifier (BT-155).
    pub seller_item_id: Option<Cow<'a, str>>,
    /// VAT category of the line (BG-30).
    pub category: TaxCategory<'a>,
    /// Item net price (BT-146), in major units, as many decimals as needed.
    pub price: Decimal,
}

/// A payment instruction (BG-16) with its account (BG-17).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PaymentMeans<'a> {
    /// UNCL4461: `30` credit transfer, `58` SEPA credit transfer.
    pub code: &'static str,
    /// Remittance information (BT-83): KID, OCR, reference.
    pub payment_id: Cow<'a, str>,
    /// Account identifier (BT-84): a BBAN or an IBAN.
    pub account: Cow<'a, str>,
    /// Account name (BT-85): who holds it.
    pub account_name: Option<Cow<'a, str>>,
    /// BIC (BT-86).
    pub bic: Option<Cow<'a, str>>,
}

/// Delivery information (BG-13).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Delivery<'a> {
    /// Actual delivery date (BT-72).
    pub date: Option<NaiveDate>,
    /// Deliver-to address (BG-15).
    pub address: Option<Address<'a>>,
}

/// The attached rendition (BG-24).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Attachment<'a> {
    /// Supporting document reference (BT-122).
    pub id: Cow<'a, str>,
    /// The file name (`filename` attribute).
    pub filename: String,
    /// The PDF bytes, written base64.
    pub pdf: &'a [u8],
}

/// One EN 16931 document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Document<'a> {
    /// Invoice or credit note.
    pub kind: DocKind,
    /// Document number (BT-1).
    pub id: Cow<'a, str>,
    /// Issue date (BT-2).
    pub issue_date: NaiveDate,
    /// Due date (BT-9).
    pub due_date: Option<NaiveDate>,
    /// Currency (BT-5).
    pub currency: Currency,
    /// Buyer reference (BT-10).
    pub buyer_reference: Option<Cow<'a, str>>,
    /// The seller's order reference (BT-14, `OrderReference/SalesOrderID`).
    pub sales_order_id: Option<Cow<'a, str>>,
    /// The attached PDF.
    pub attachment: Option<Attachment<'a>>,
    /// Seller.
    pub seller: Party<'a>,
    /// Buyer.
    pub buyer: Party<'a>,
    /// Payee name (BT-59) when someone other than the seller is paid.
    pub payee: Option<Cow<'a, str>>,
    /// Delivery.
    pub delivery: Option<Delivery<'a>>,
    /// Payment instructions, the preferred first (none for a credit note:
    /// nothing is paid).
    pub payment: Vec<PaymentMeans<'a>>,
    /// Payment terms (BT-20, `PaymentTerms/Note`): a credit note's "nothing
    /// to pay" text, which also satisfies BR-CO-25 for its positive amount.
    pub payment_terms: Option<Cow<'a, str>>,
    /// Total VAT (BT-110).
    pub tax_total: Money,
    /// VAT breakdown, one per category and rate.
    pub tax: Vec<TaxSubtotal<'a>>,
    /// Totals.
    pub totals: MonetaryTotal,
    /// Lines.
    pub lines: Vec<DocLine<'a>>,
}
