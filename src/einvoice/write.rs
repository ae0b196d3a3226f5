//! [`Document`] → UBL 2.1 XML bytes with quick-xml: elements in the order of
//! the UBL schema, two-space indentation, no timestamps or generated ids, so
//! the same document always gives the same bytes.
//!
//! The parts (party, VAT breakdown, totals, line, payment) are separate
//! functions shared by both document kinds; [`DocKind`] decides the root
//! element, the type code, where the due date goes, the `BillingReference`
//! and the line element names (`InvoiceLine`/`InvoicedQuantity` or
//! `CreditNoteLine`/`CreditedQuantity`).

use std::io;

use base64::Engine as _;
use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::money::{Currency, Money};

use super::build::DISCOUNT_REASON_CODE;
use super::model::{
    Address, Allowance, CUSTOMIZATION_ID, DocKind, DocLine, Document, MonetaryTotal, PROFILE_ID,
    Party, PaymentMeans, TaxCategory, TaxCode, TaxSubtotal,
};

const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The XML writer with the few shapes UBL needs.
struct X {
    w: Writer<Vec<u8>>,
    currency: &'static str,
}

impl X {
    fn open(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::Start(BytesStart::new(name)))
    }

    fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut s = BytesStart::new(name);
        for a in attrs {
            s.push_attribute(*a);
        }
        self.w.write_event(Event::Start(s))
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>`; nothing for empty text (PEPPOL-EN16931-R008
    /// forbids empty elements, and empty text carries no fact).
    fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.leaf_with(name, &[], text)
    }

    fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.open_with(name, attrs)?;
        self.w.write_event(Event::Text(BytesText::new(text)))?;
        self.close(name)
    }

    fn opt(&mut self, name: &str, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(t) => self.leaf(name, t),
            None => Ok(()),
        }
    }

    /// An amount with its currency, two decimals.
    fn amount(&mut self, name: &str, m: Money) -> io::Result<()> {
        let currency = self.currency;
        self.leaf_with(name, &[("currencyID", currency)], &m.to_plain_string())
    }

    /// An ISO 8601 date, `2026-05-31` (`NaiveDate`'s `Display`).
    fn date(&mut self, name: &str, d: NaiveDate) -> io::Result<()> {
        self.leaf(name, &d.to_string())
    }

    /// `<outer><inner>text</inner></outer>`.
    fn wrapped(&mut self, outer: &str, inner: &str, text: &str) -> io::Result<()> {
        self.open(outer)?;
        self.leaf(inner, text)?;
        self.close(outer)
    }
}

fn currency_code(c: Currency) -> &'static str {
    c.code()
}

/// Serialises `doc`.
pub(crate) fn document(doc: &Document<'_>) -> io::Result<Vec<u8>> {
    let pdf_len = doc
        .attachment
        .as_ref()
        .map_or(0, |a| a.pdf.len() * 4 / 3 + 4);
    let capacity = 4096 + doc.lines.len() * 1024 + pdf_len;
    let mut x = X {
        w: Writer::new_with_indent(Vec::with_capacity(capacity), b' ', 2),
        currency: currency_code(doc.currency),
    };
    x.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let (root, ns) = match doc.kind {
        DocKind::Invoice => ("Invoice", NS_INVOICE),
        DocKind::CreditNote { .. } => ("CreditNote", NS_CREDIT_NOTE),
    };
    x.open_with(
        root,
        &[("xmlns", ns), ("xmlns:cac", NS_CAC), ("xmlns:cbc", NS_CBC)],
    )?;
    x.leaf("cbc:CustomizationID", CUSTOMIZATION_ID)?;
    x.leaf("cbc:ProfileID", PROFILE_ID)?;
    x.leaf("cbc:ID", &doc.id)?;
    x.date("cbc:IssueDate", doc.issue_date)?;
    match &doc.kind {
        DocKind::Invoice => {
            if let Some(d) = doc.due_date {
                x.date("cbc:DueDate", d)?;
            }
            x.leaf("cbc:InvoiceTypeCode", "380")?;
        }
        DocKind::CreditNote { .. } => x.leaf("cbc:CreditNoteTypeCode", "381")?,
    }
    x.leaf("cbc:DocumentCurrencyCode", x.currency)?;
    x.opt("cbc:BuyerReference", doc.buyer_reference.as_deref())?;
    if let Some(so) = doc.sales_order_id.as_deref() {
        // BT-14 needs an order reference; `NA` stands for "no purchase order".
        x.open("cac:OrderReference")?;
        x.leaf("cbc:ID", "NA")?;
        x.leaf("cbc:SalesOrderID", so)?;
        x.close("cac:OrderReference")?;
    }
    if let DocKind::CreditNote {
        invoice_number,
        invoice_date,
    } = &doc.kind
    {
        x.open("cac:BillingReference")?;
        x.open("cac:InvoiceDocumentReference")?;
        x.leaf("cbc:ID", invoice_number)?;
        x.date("cbc:IssueDate", *invoice_date)?;
        x.close("cac:InvoiceDocumentReference")?;
        x.close("cac:BillingReference")?;
    }
    if let Some(a) = &doc.attachment {
        x.open("cac:AdditionalDocumentReference")?;
        x.leaf("cbc:ID", &a.id)?;
        x.open("cac:Attachment")?;
        x.open_with(
            "cbc:EmbeddedDocumentBinaryObject",
            &[("mimeCode", "application/pdf"), ("filename", &a.filename)],
        )?;
        // Base64 needs no escaping: written as is.
        let b64 = base64::engine::general_purpose::STANDARD.encode(a.pdf);
        x.w.write_event(Event::Text(BytesText::from_escaped(b64)))?;
        x.close("cbc:EmbeddedDocumentBinaryObject")?;
        x.close("cac:Attachment")?;
        x.close("cac:AdditionalDocumentReference")?;
    }
    x.open("cac:AccountingSupplierParty")?;
    party(&mut x, &doc.seller)?;
    x.close("cac:AccountingSupplierParty")?;
    x.open("cac:AccountingCustomerParty")?;
    party(&mut x, &doc.buyer)?;
    x.close("cac:AccountingCustomerParty")?;
    if let Some(p) = doc.payee.as_deref() {
        x.open("cac:PayeeParty")?;
        x.wrapped("cac:PartyName", "cbc:Name", p)?;
        x.close("cac:PayeeParty")?;
    }
    if let Some(d) = &doc.delivery {
        x.open("cac:Delivery")?;
        if let Some(date) = d.date {
            x.date("cbc:ActualDeliveryDate", date)?;
        }
        if let Some(a) = &d.address {
            x.open("cac:DeliveryLocation")?;
            address(&mut x, "cac:Address", a)?;
            x.close("cac:DeliveryLocation")?;
        }
        x.close("cac:Delivery")?;
    }
    let due_in_payment = match doc.kind {
        DocKind::CreditNote { .. } => doc.due_date,
        DocKind::Invoice => None,
    };
    for (i, p) in doc.payment.iter().enumerate() {
        // UBL-SR-45: the due date at most once.
        payment_means(&mut x, p, due_in_payment.filter(|_| i == 0))?;
    }
    if let Some(terms) = doc.payment_terms.as_deref() {
        x.wrapped("cac:PaymentTerms", "cbc:Note", terms)?;
    }
    tax_total(&mut x, doc.tax_total, &doc.tax)?;
    monetary_total(&mut x, &doc.totals)?;
    let (line_tag, quantity_tag) = match doc.kind {
        DocKind::Invoice => ("cac:InvoiceLine", "cbc:InvoicedQuantity"),
        DocKind::CreditNote { .. } => ("cac:CreditNoteLine", "cbc:CreditedQuantity"),
    };
    for l in &doc.lines {
        line(&mut x, l, line_tag, quantity_tag)?;
    }
    x.close(root)?;
    let mut out = x.w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn party(x: &mut X, p: &Party<'_>) -> io::Result<()> {
    x.open("cac:Party")?;
    if let Some(e) = &p.endpoint {
        x.leaf_with("cbc:EndpointID", &[("schemeID", e.scheme)], &e.id)?;
    }
    x.wrapped("cac:PartyName", "cbc:Name", &p.name)?;
    address(x, "cac:PostalAddress", &p.address)?;
    if let Some(v) = p.vat_id.as_deref() {
        tax_scheme(x, v, "VAT")?;
    }
    if let Some(t) = p.tax_registration.as_deref() {
        tax_scheme(x, t, "TAX")?;
    }
    x.open("cac:PartyLegalEntity")?;
    x.leaf("cbc:RegistrationName", &p.name)?;
    if let Some(l) = &p.legal_id {
        x.leaf_with("cbc:CompanyID", &[("schemeID", l.scheme)], &l.id)?;
    }
    x.close("cac:PartyLegalEntity")?;
    let c = &p.contact;
    if c.name.is_some() || c.phone.is_some() || c.email.is_some() {
        x.open("cac:Contact")?;
        x.opt("cbc:Name", c.name.as_deref())?;
        x.opt("cbc:Telephone", c.phone.as_deref())?;
        x.opt("cbc:ElectronicMail", c.email.as_deref())?;
        x.close("cac:Contact")?;
    }
    x.close("cac:Party")
}

fn tax_scheme(x: &mut X, company_id: &str, scheme: &str) -> io::Result<()> {
    x.open("cac:PartyTaxScheme")?;
    x.leaf("cbc:CompanyID", company_id)?;
    x.wrapped("cac:TaxScheme", "cbc:ID", scheme)?;
    x.close("cac:PartyTaxScheme")
}

fn address(x: &mut X, tag: &str, a: &Address<'_>) -> io::Result<()> {
    x.open(tag)?;
    x.opt("cbc:StreetName", a.street.as_deref())?;
    x.opt("cbc:AdditionalStreetName", a.additional.as_deref())?;
    x.opt("cbc:CityName", a.city.as_deref())?;
    x.opt("cbc:PostalZone", a.postal_zone.as_deref())?;
    if let Some(l) = a.line3.as_deref() {
        x.wrapped("cac:AddressLine", "cbc:Line", l)?;
    }
    if let Some(c) = a.country {
        x.wrapped("cac:Country", "cbc:IdentificationCode", c.code())?;
    }
    x.close(tag)
}

fn payment_means(x: &mut X, p: &PaymentMeans<'_>, due: Option<NaiveDate>) -> io::Result<()> {
    x.open("cac:PaymentMeans")?;
    x.leaf("cbc:PaymentMeansCode", p.code)?;
    if let Some(d) = due {
        x.date("cbc:PaymentDueDate", d)?;
    }
    x.leaf("cbc:PaymentID", &p.payment_id)?;
    x.open("cac:PayeeFinancialAccount")?;
    x.leaf("cbc:ID", &p.account)?;
    x.opt("cbc:Name", p.account_name.as_deref())?;
    if let Some(bic) = p.bic.as_deref() {
        x.wrapped("cac:FinancialInstitutionBranch", "cbc:ID", bic)?;
    }
    x.close("cac:PayeeFinancialAccount")?;
    x.close("cac:PaymentMeans")
}

/// A VAT category; `with_reason` for the breakdown (BG-23), not for lines.
fn tax_category(x: &mut X, tag: &str, c: &TaxCategory<'_>, with_reason: bool) -> io::Result<()> {
    x.open(tag)?;
    x.leaf("cbc:ID", c.code.as_str())?;
    if c.code != TaxCode::O {
        x.leaf("cbc:Percent", &c.rate.to_string())?;
    }
    if with_reason {
        x.opt("cbc:TaxExemptionReasonCode", c.exemption_code)?;
        x.opt("cbc:TaxExemptionReason", c.exemption_reason.as_deref())?;
    }
    x.wrapped("cac:TaxScheme", "cbc:ID", "VAT")?;
    x.close(tag)
}

fn tax_total(x: &mut X, total: Money, subtotals: &[TaxSubtotal<'_>]) -> io::Result<()> {
    x.open("cac:TaxTotal")?;
    x.amount("cbc:TaxAmount", total)?;
    for s in subtotals {
        x.open("cac:TaxSubtotal")?;
        x.amount("cbc:TaxableAmount", s.taxable)?;
        x.amount("cbc:TaxAmount", s.tax)?;
        tax_category(x, "cac:TaxCategory", &s.category, true)?;
        x.close("cac:TaxSubtotal")?;
    }
    x.close("cac:TaxTotal")
}

fn monetary_total(x: &mut X, t: &MonetaryTotal) -> io::Result<()> {
    x.open("cac:LegalMonetaryTotal")?;
    x.amount("cbc:LineExtensionAmount", t.line_extension)?;
    x.amount("cbc:TaxExclusiveAmount", t.tax_exclusive)?;
    x.amount("cbc:TaxInclusiveAmount", t.tax_inclusive)?;
    if t.prepaid != Money::ZERO {
        x.amount("cbc:PrepaidAmount", t.prepaid)?;
    }
    x.amount("cbc:PayableAmount", t.payable)?;
    x.close("cac:LegalMonetaryTotal")
}

fn allowance(x: &mut X, a: &Allowance<'_>) -> io::Result<()> {
    x.open("cac:AllowanceCharge")?;
    x.leaf("cbc:ChargeIndicator", "false")?;
    x.leaf("cbc:AllowanceChargeReasonCode", DISCOUNT_REASON_CODE)?;
    x.leaf("cbc:AllowanceChargeReason", &a.reason)?;
    if let Some((p, _)) = a.percent_of {
        x.leaf("cbc:MultiplierFactorNumeric", &p.to_string())?;
    }
    x.amount("cbc:Amount", a.amount)?;
    if let Some((_, base)) = a.percent_of {
        x.amount("cbc:BaseAmount", base)?;
    }
    x.close("cac:AllowanceCharge")
}

fn line(x: &mut X, l: &DocLine<'_>, tag: &str, quantity_tag: &str) -> io::Result<()> {
    x.open(tag)?;
    x.leaf("cbc:ID", &l.id.to_string())?;
    x.leaf_with(
        quantity_tag,
        &[("unitCode", l.unit_code)],
        &l.quantity.normalize().to_string(),
    )?;
    x.amount("cbc:LineExtensionAmount", l.net)?;
    for a in &l.allowances {
        allowance(x, a)?;
    }
    x.open("cac:Item")?;
    x.leaf("cbc:Name", &l.name)?;
    if let Some(id) = l.seller_item_id.as_deref() {
        x.wrapped("cac:SellersItemIdentification", "cbc:ID", id)?;
    }
    tax_category(x, "cac:ClassifiedTaxCategory", &l.category, false)?;
    x.close("cac:Item")?;
    x.open("cac:Price")?;
    let currency = x.currency;
    x.leaf_with(
        "cbc:PriceAmount",
        &[("currencyID", currency)],
        &l.price.to_string(),
    )?;
    x.close("cac:Price")?;
    x.close(tag)
}
