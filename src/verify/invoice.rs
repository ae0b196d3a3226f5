//! [`VerifiedInvoice`]: the normalised, cross-checked invoice that the renderer draws.
//!
//! Every field comes from the session (the source of truth) after `verify` has
//! proved that the transaction agrees with it. Construction is private to
//! `verify`, so holding a `VerifiedInvoice` is proof that the checks passed.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::country::Country;
use crate::locale::Locale;
use crate::money::{Currency, Money, Quantity, VatRate};
use crate::payment::code128::Bar;
use crate::payment::qr::QrMatrix;
use crate::payment::{Bic, Iban, NoAccount, OrgNumber, Reference};

use super::report::Finding;

/// Business or consumer invoice (`kravia.invoice_b2b` / `kravia.invoice_b2c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    /// A business buyer: prices shown excluding VAT by default.
    Business,
    /// A consumer: prices shown including VAT by default.
    Consumer,
}

/// An invoice whose data has passed every cross-check.
///
/// Obtain one with [`crate::verify::verify`]; it cannot be built otherwise
/// (`#[non_exhaustive]` forbids construction outside this crate).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct VerifiedInvoice {
    /// Kravia's invoice number, `"KJ65C-190025"`.
    pub invoice_number: String,
    /// Business or consumer.
    pub kind: CustomerKind,
    /// The currency of every amount.
    pub currency: Currency,
    /// Invoice (issue) date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Whether any date was derived rather than read from Kravia's event metadata.
    pub dates_derived: bool,
    /// The merchant's order reference.
    pub merchant_reference: Option<String>,
    /// Kravia's case number, when an event carries it.
    pub case_number: Option<String>,
    /// The seller, from the brand file, checked.
    pub seller: Seller,
    /// The buyer, from the session's billing address.
    pub buyer: Buyer,
    /// The lines: the session's items, then the shipping option.
    pub lines: Vec<Line>,
    /// Order-level discounts, for information: already reflected in the lines.
    pub order_discounts: Vec<Discount>,
    /// VAT per rate, highest rate first.
    pub vat: Vec<VatSummary>,
    /// Totals.
    pub totals: Totals,
    /// Where and how to pay.
    pub payment: PaymentDetails,
    /// The payment codes the invoice carries (none when nothing is left to pay).
    pub codes: PaymentCodes,
    /// The default locale: the brand's, else the buyer country's.
    pub locale: Locale,
    /// Whether unit prices are shown including VAT (B2C) or excluding it (B2B).
    pub prices_incl_vat: bool,
    /// Non-fatal findings (e.g. `dates_derived`).
    pub warnings: Vec<Finding>,
}

/// The seller, checked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Seller {
    /// Legal name.
    pub name: String,
    /// Organisation number (valid for `country`).
    pub org_number: OrgNumber,
    /// The seller's country (brand, else the session's merchant country, else NO).
    pub country: Country,
    /// Whether VAT registered.
    pub vat_registered: bool,
    /// NO: the register name, e.g. `Foretaksregisteret`.
    pub register: Option<String>,
    /// SE/FI: VAT number (given or derived); NO: none (the `MVA` suffix is used).
    pub vat_number: Option<String>,
    /// SE: approved for F-tax.
    pub f_skatt: bool,
    /// Street address.
    pub address_line: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Postal place.
    pub postal_place: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// The legal lines the invoice prints for the seller, in order.
    pub legal: Vec<LegalLine>,
}

/// One legal line about the seller; the layout adds the label in the
/// invoice's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum LegalLine {
    /// The organisation number as printed, `988 077 917 MVA` (NO, VAT
    /// registered), `556677-8899` (SE); labelled "Org.nr".
    OrgNumber(String),
    /// The Finnish business id, `1234567-8`; labelled "Y-tunnus".
    BusinessId(String),
    /// The VAT number, `SE556677889901`; labelled with the VAT number label.
    VatNumber(String),
    /// The register, `Foretaksregisteret`, printed as given.
    Register(String),
    /// SE: approved for F-tax; printed as the locale's "Godkänd för F-skatt".
    FSkatt,
}

/// The buyer, from the session's billing address (email and phone may come from
/// the session's customer).
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Buyer {
    /// Company name (B2B).
    pub business_name: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Organisation number (B2B).
    pub org_number: Option<OrgNumber>,
    /// The buyer's reference ("Deres ref.", PO number).
    pub customer_reference: Option<String>,
    /// Cost centre.
    pub cost_center: Option<String>,
    /// c/o line.
    pub co_address: Option<String>,
    /// Street address.
    pub address_line: Option<String>,
    /// Second address line.
    pub address_line_2: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Postal place.
    pub postal_place: Option<String>,
    /// Country.
    pub country: Option<Country>,
    /// Email.
    pub email: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
}

impl Buyer {
    /// The person's full name, `"Kari Nordmann"`, when any part is known.
    pub fn person_name(&self) -> Option<String> {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// The name to address: the company for B2B, else the person.
    pub fn display_name(&self) -> String {
        self.business_name
            .clone()
            .or_else(|| self.person_name())
            .unwrap_or_default()
    }
}

/// Whether a line is an order item or the shipping option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// An order item.
    Item,
    /// The shipping option.
    Shipping,
}

/// One invoice line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    /// Dintero's `line_id`.
    pub line_id: String,
    /// Item or shipping.
    pub kind: LineKind,
    /// The product id / SKU, when given.
    pub item_id: Option<String>,
    /// What was sold (for shipping: the option's title).
    pub description: String,
    /// Quantity (may be a decimal).
    pub quantity: Quantity,
    /// VAT rate.
    pub vat_rate: VatRate,
    /// Line total including VAT, after discounts: authoritative, printed as given.
    pub amount: Money,
    /// The line's VAT.
    pub vat_amount: Money,
    /// `amount − vat_amount`.
    pub net: Money,
    /// `net ÷ quantity`, rounded half away from zero.
    pub unit_price_net: Money,
    /// `amount ÷ quantity`, rounded half away from zero.
    pub unit_price_gross: Money,
    /// The amount before discounts, when Dintero gives it.
    pub gross_before_discount: Option<Money>,
    /// Discounts on this line (positive amounts, already deducted from `amount`).
    pub discounts: Vec<Discount>,
}

/// A discount, as information.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Discount {
    /// Its description, e.g. `"Avtalerabatt 15 %"`.
    pub description: Option<String>,
    /// The amount (positive).
    pub amount: Money,
    /// The percentage, when given.
    pub percentage: Option<Decimal>,
}

/// VAT for one rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct VatSummary {
    /// The rate.
    pub rate: VatRate,
    /// Σ net of the lines at this rate.
    pub net: Money,
    /// Σ VAT of the lines at this rate.
    pub vat: Money,
    /// Σ amount of the lines at this rate.
    pub gross: Money,
}

/// The invoice's totals.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// Total excluding VAT.
    pub net: Money,
    /// Total VAT (= the order's `vat_amount`).
    pub vat: Money,
    /// Total including VAT (= the order's `amount`).
    pub gross: Money,
    /// Already paid (successful CAPTURE events after the collection event).
    pub paid: Money,
    /// Amount to pay: `gross − paid`.
    pub to_pay: Money,
}

/// The bank account in its national form.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Account {
    /// A Norwegian account number (checked, printed `1503.60.12347`).
    No(NoAccount),
    /// Another country's account, printed as given.
    Other(String),
}

impl std::fmt::Display for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Account::No(a) => write!(f, "{a}"),
            Account::Other(s) => f.write_str(s),
        }
    }
}

/// Where and how to pay (Kravia's account; Kravia collects for the seller).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentDetails {
    /// KID (NOK), OCR (SEK), Finnish reference or RF (EUR).
    pub reference: Reference,
    /// The account in national form, when a BBAN is given.
    pub account: Option<Account>,
    /// The IBAN, when given.
    pub iban: Option<Iban>,
    /// The BIC, when given.
    pub bic: Option<Bic>,
    /// The account holder to name: the brand's `payee_name`, default `Kravia`.
    pub payee_name: String,
}

/// The payment codes an invoice carries, decided and built by `verify`.
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct PaymentCodes {
    /// EUR: the EPC QR code (SEPA credit transfer).
    pub epc_qr: Option<PaymentQr>,
    /// SEK: the Swedish payment QR code (UsingQR).
    pub se_qr: Option<PaymentQr>,
    /// EUR to a Finnish IBAN: the virtual bank barcode.
    pub fi_barcode: Option<BankBarcode>,
}

/// A payment QR code: its payload and the encoded symbol (level M).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentQr {
    /// The text the code carries.
    pub payload: String,
    /// The symbol's modules, without the quiet zone.
    #[serde(skip)]
    pub matrix: QrMatrix,
}

/// The Finnish virtual bank barcode: its 54 digits and Code 128 C bars.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BankBarcode {
    /// The 54 digits, printed under the bars.
    pub digits: String,
    /// The bars and spaces, start to stop, without quiet zones.
    #[serde(skip)]
    pub bars: Vec<Bar>,
}
