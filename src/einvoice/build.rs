//! `VerifiedInvoice` → [`Document`] (an `Invoice`) and `VerifiedCreditNote`
//! → [`Document`] (a `CreditNote`): every value of the UBL decided here, and
//! the only file of the module that reads the verified types.
//!
//! Two facts come from the verified invoice as the PDF prints them, each
//! through one accessor:
//!
//! * [`delivery`]: the delivery date and place (BG-13): the caller's date,
//!   else the issue date (verify warns `assumed`), and the session's shipping
//!   address, else the billing address.
//! * [`exemption_reason`]: why a 0 % line is exempt (the brand's
//!   `vat_exemption_reason`). Without one a 0 % line of a VAT-registered seller
//!   is zero rated (category `Z`), warning `assumed-zero-rated`; with a reason
//!   it is exempt (`E`, BR-E-10 satisfied).

use std::borrow::Cow;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::country::Country;
use crate::money::{Currency, Money, VatRate};
use crate::template::CreditLabels;
use crate::verify::credit::{Credits, VerifiedCreditNote};
use crate::verify::invoice::{
    Account, Discount, Line, LineKind, PlaceSource, VatSummary, VerifiedInvoice,
};

use super::model::{
    Address, Allowance, Attachment, Contact, Delivery, DocKind, DocLine, Document, MonetaryTotal,
    Party, PaymentMeans, SchemeId, TaxCategory, TaxCode, TaxSubtotal,
};
use super::{Finding, Severity, eas};

/// UN/ECE Rec 20 "each": Dintero lines carry no unit.
const UNIT_EACH: &str = "EA";
/// UNCL5189 "Discount".
pub(crate) const DISCOUNT_REASON_CODE: &str = "95";
/// The largest difference allowed between quantity × written unit price and
/// the line's amount before allowances (PEPPOL-EN16931-R120 allows 0.02).
const PRICE_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

const BUYER: &str = "session.order.billing_address";

fn push(
    f: &mut Vec<Finding>,
    rule: &'static str,
    severity: Severity,
    path: impl Into<String>,
    message: impl Into<String>,
) {
    f.push(Finding {
        rule,
        severity,
        path: path.into(),
        message: message.into(),
    });
}

/// What an invoice and a credit note of it share: the parties, the
/// references and the delivery of the (credited) invoice.
struct Common<'a> {
    seller: Party<'a>,
    buyer: Party<'a>,
    buyer_reference: Option<Cow<'a, str>>,
    sales_order_id: Option<Cow<'a, str>>,
    delivery: Option<Delivery<'a>>,
}

fn common<'a>(inv: &'a VerifiedInvoice, f: &mut Vec<Finding>) -> Common<'a> {
    let seller = seller(inv, f);
    let buyer = buyer(inv, f);
    let buyer_reference = match (
        inv.buyer.customer_reference.as_deref(),
        inv.merchant_reference.as_deref(),
    ) {
        (Some(r), _) => Some(text(|| format!("{BUYER}.customer_reference"), r, f)),
        (None, Some(r)) => Some(text(|| "session.order.merchant_reference".into(), r, f)),
        (None, None) => {
            push(
                f,
                "PEPPOL-EN16931-R003",
                Severity::Error,
                format!("{BUYER}.customer_reference"),
                "an e-invoice needs a buyer reference: the buyer's customer_reference, \
                 else the order's merchant_reference; the session has neither",
            );
            None
        }
    };
    let sales_order_id = inv
        .merchant_reference
        .as_deref()
        .map(|r| text(|| "session.order.merchant_reference".into(), r, f));
    let delivery = delivery(inv, &buyer.address, f);
    Common {
        seller,
        buyer,
        buyer_reference,
        sales_order_id,
        delivery,
    }
}

/// The document for `inv`; what cannot be written (or breaks a rule the
/// writer relies on) is pushed to `f`.
pub(crate) fn document<'a>(
    inv: &'a VerifiedInvoice,
    pdf: Option<&'a [u8]>,
    f: &mut Vec<Finding>,
) -> Document<'a> {
    let c = common(inv, f);
    let lines = lines(inv, f);
    let tax = vat_breakdown(inv, &inv.vat);
    let payee = match inv.payment.payee_name.trim() {
        "" => None,
        p if inv.seller.name == p => None,
        p => Some(text(|| "brand.invoice.payee_name".into(), p, f)),
    };
    Document {
        kind: DocKind::Invoice,
        id: text(
            || "transaction.metadata[\"kravia:invoice_number\"]".into(),
            &inv.invoice_number,
            f,
        ),
        issue_date: inv.issue_date,
        due_date: Some(inv.due_date),
        currency: inv.currency,
        buyer_reference: c.buyer_reference,
        sales_order_id: c.sales_order_id,
        attachment: pdf.map(|pdf| Attachment {
            id: Cow::Borrowed(inv.invoice_number.as_str()),
            filename: format!("{}.pdf", safe_file_stem(&inv.invoice_number)),
            pdf,
        }),
        delivery: c.delivery,
        seller: c.seller,
        buyer: c.buyer,
        payee,
        payment: payment(inv, f),
        payment_terms: None,
        tax_total: inv.totals.vat,
        tax,
        totals: MonetaryTotal {
            line_extension: inv.totals.net,
            tax_exclusive: inv.totals.net,
            tax_inclusive: inv.totals.gross,
            prepaid: inv.totals.paid,
            payable: inv.totals.to_pay,
        },
        lines,
    }
}

/// The PEPPOL BIS 3 `CreditNote` (type 381) for `note`: the credited
/// invoice's parties, references and delivery, a `BillingReference` to the
/// invoice (number and issue date), and what is credited as positive amounts
/// (the BIS 3 credit-note convention): the credited lines, VAT per rate and
/// totals of the verified credit note, exact to the minor unit. Nothing is
/// paid: no payment means, no payee; the payment terms (BT-20) say so in the
/// credit note's language, as the PDF does.
pub(crate) fn credit_document<'a>(
    note: &'a VerifiedCreditNote,
    labels: &CreditLabels,
    pdf: Option<&'a [u8]>,
    f: &mut Vec<Finding>,
) -> Document<'a> {
    let inv = &note.invoice;
    let c = common(inv, f);
    let lines = credit_lines(note, labels, f);
    let tax = vat_breakdown(inv, &note.vat);
    let payee = inv.payment.payee_name.trim();
    let terms = format!(
        "{} {}",
        labels.nothing_to_pay,
        labels.payment_returned(
            &inv.invoice_number,
            if payee.is_empty() {
                &inv.seller.name
            } else {
                payee
            }
        )
    );
    Document {
        kind: DocKind::CreditNote {
            invoice_number: text(
                || "transaction.metadata[\"kravia:invoice_number\"]".into(),
                &inv.invoice_number,
                f,
            )
            .into_owned(),
            invoice_date: inv.issue_date,
        },
        id: text(|| "--number".into(), &note.credit_number, f),
        issue_date: note.issue_date,
        due_date: None,
        currency: inv.currency,
        buyer_reference: c.buyer_reference,
        sales_order_id: c.sales_order_id,
        attachment: pdf.map(|pdf| Attachment {
            id: Cow::Borrowed(note.credit_number.as_str()),
            filename: format!("{}.pdf", safe_file_stem(&note.credit_number)),
            pdf,
        }),
        delivery: c.delivery,
        seller: c.seller,
        buyer: c.buyer,
        payee: None,
        payment: Vec::new(),
        payment_terms: Some(Cow::Owned(terms.chars().filter(|c| xml_char(*c)).collect())),
        tax_total: note.totals.vat,
        tax,
        totals: MonetaryTotal {
            line_extension: note.totals.net,
            tax_exclusive: note.totals.net,
            tax_inclusive: note.totals.gross,
            prepaid: Money::ZERO,
            payable: note.totals.gross,
        },
        lines,
    }
}

/// One VAT breakdown per rate, in the given order (highest rate first).
fn vat_breakdown<'a>(inv: &'a VerifiedInvoice, vat: &[VatSummary]) -> Vec<TaxSubtotal<'a>> {
    vat.iter()
        .map(|v| TaxSubtotal {
            taxable: v.net,
            tax: v.vat,
            category: tax_category(inv, v.rate),
        })
        .collect()
}

/// The credited lines: quantity, net amount and net unit price of each
/// (a negative line with a negative quantity and a positive price, as on an
/// invoice); a line that credits a share of a rate is named
/// "Kreditering av faktura …" in the credit note's language.
fn credit_lines<'a>(
    note: &'a VerifiedCreditNote,
    labels: &CreditLabels,
    f: &mut Vec<Finding>,
) -> Vec<DocLine<'a>> {
    let inv = &note.invoice;
    let mut assumed_zero = false;
    let mut out = Vec::with_capacity(note.lines.len());
    for (i, l) in note.lines.iter().enumerate() {
        let path = || match &l.credits {
            Credits::Line { line_id, .. } => inv
                .lines
                .iter()
                .position(|x| &x.line_id == line_id)
                .map_or_else(|| format!("credit.lines[{i}]"), |k| line_path(inv, k)),
            Credits::RateShare => format!("credit.lines[{i}]"),
        };
        let category = tax_category(inv, l.vat_rate);
        if category.code == TaxCode::Z && !assumed_zero {
            assumed_zero = true;
            push(
                f,
                "assumed-zero-rated",
                Severity::Warning,
                format!("{}.vat", path()),
                "0 % lines are written as zero rated (VAT category Z): no exemption reason is \
                 known that would make them exempt (E)",
            );
        }
        let quantity = if l.net < Money::ZERO {
            -l.quantity.value()
        } else {
            l.quantity.value()
        };
        let Some(price) = unit_price(l.net, quantity) else {
            push(
                f,
                "PEPPOL-EN16931-R120",
                Severity::Error,
                format!("{}.amount", path()),
                "the unit price overflows",
            );
            continue;
        };
        let name = match l.description.as_deref() {
            Some(d) => text(|| format!("{}.description", path()), d, f),
            None => Cow::Owned(
                labels
                    .line_description(&inv.invoice_number)
                    .chars()
                    .filter(|c| xml_char(*c))
                    .collect(),
            ),
        };
        out.push(DocLine {
            id: i + 1,
            quantity,
            unit_code: UNIT_EACH,
            net: l.net,
            allowances: Vec::new(),
            name,
            seller_item_id: l
                .item_id
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| text(|| format!("{}.id", path()), s, f)),
            category,
            price,
        });
    }
    out
}

/// `[A-Za-z0-9._-]` kept, anything else `_` (the `batch` file-name rule).
fn safe_file_stem(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() { "_".into() } else { out }
}

/// Whether XML 1.0 can carry `c`.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// A text value; a character XML cannot carry is an error naming the field.
fn text<'a>(path: impl FnOnce() -> String, s: &'a str, f: &mut Vec<Finding>) -> Cow<'a, str> {
    match s.chars().find(|c| !xml_char(*c)) {
        None => Cow::Borrowed(s),
        Some(c) => {
            push(
                f,
                "xml-character",
                Severity::Error,
                path(),
                format!(
                    "U+{:04X} (a control character) cannot be written in XML",
                    u32::from(c)
                ),
            );
            Cow::Owned(s.chars().filter(|c| xml_char(*c)).collect())
        }
    }
}

fn opt_text<'a>(path: &str, s: Option<&'a str>, f: &mut Vec<Finding>) -> Option<Cow<'a, str>> {
    s.map(|s| text(|| path.to_string(), s, f))
}

fn seller<'a>(inv: &'a VerifiedInvoice, f: &mut Vec<Finding>) -> Party<'a> {
    let s = &inv.seller;
    let endpoint = eas::endpoint(&s.org_number);
    if endpoint.is_none() {
        push(
            f,
            "PEPPOL-EN16931-R020",
            Severity::Error,
            "brand.seller.country",
            format!(
                "no electronic address scheme is known for a seller in {}: e-invoices are made for NO, SE and FI sellers",
                s.country.code()
            ),
        );
    }
    let vat_id = match (s.vat_registered, s.country) {
        (false, _) => None,
        // NO-R-001: NO + the organisation number + MVA, from the checked number.
        (true, Country::No) => s.org_number.vat_number().map(Cow::Owned),
        (true, _) => match &s.vat_number {
            Some(v) => Some(text(|| "brand.seller.vat_number".into(), v, f)),
            None => s.org_number.vat_number().map(Cow::Owned),
        },
    };
    let tax_registration = match s.country {
        Country::No => opt_text("brand.seller.register", s.register.as_deref(), f),
        Country::Se if s.f_skatt => Some(Cow::Borrowed("Godkänd för F-skatt")),
        _ => None,
    };
    Party {
        legal_id: eas::legal_id(&s.org_number),
        endpoint,
        name: text(|| "brand.seller.name".into(), &s.name, f),
        address: Address {
            street: opt_text("brand.seller.address_line", s.address_line.as_deref(), f),
            additional: None,
            line3: None,
            city: opt_text("brand.seller.postal_place", s.postal_place.as_deref(), f),
            postal_zone: opt_text("brand.seller.postal_code", s.postal_code.as_deref(), f),
            country: Some(s.country),
        },
        vat_id,
        tax_registration,
        contact: Contact {
            name: None,
            phone: opt_text("brand.seller.phone", s.phone.as_deref(), f),
            email: opt_text("brand.seller.email", s.email.as_deref(), f),
        },
    }
}

fn buyer<'a>(inv: &'a VerifiedInvoice, f: &mut Vec<Finding>) -> Party<'a> {
    let b = &inv.buyer;
    let endpoint: Option<SchemeId<'a>> = match &b.org_number {
        None => {
            push(
                f,
                "PEPPOL-EN16931-R010",
                Severity::Error,
                format!("{BUYER}.organization_number"),
                "the buyer has no organisation number (a consumer invoice): an e-invoice \
                 addresses the buyer by its organisation number",
            );
            None
        }
        Some(org) => {
            let id = eas::endpoint(org);
            if id.is_none() {
                push(
                    f,
                    "PEPPOL-EN16931-R010",
                    Severity::Error,
                    format!("{BUYER}.country"),
                    format!(
                        "no electronic address scheme is known for a buyer in {}: e-invoices go to NO, SE and FI buyers",
                        org.country().code()
                    ),
                );
            }
            id
        }
    };
    let name = match &b.business_name {
        Some(n) => text(|| format!("{BUYER}.business_name"), n, f),
        None => {
            push(
                f,
                "BR-07",
                Severity::Error,
                format!("{BUYER}.business_name"),
                "an e-invoice needs the buyer's registered name; the billing address has no business_name",
            );
            Cow::Owned(b.display_name())
        }
    };
    if b.country.is_none() {
        push(
            f,
            "BR-11",
            Severity::Error,
            format!("{BUYER}.country"),
            "an e-invoice needs the buyer's country",
        );
    }
    let person = b.person_name();
    Party {
        legal_id: b.org_number.as_ref().and_then(eas::legal_id),
        endpoint,
        name,
        address: address(
            BUYER,
            [
                b.address_line.as_deref(),
                b.address_line_2.as_deref(),
                b.co_address.as_deref(),
                b.postal_place.as_deref(),
                b.postal_code.as_deref(),
            ],
            b.country,
            f,
        ),
        vat_id: None,
        tax_registration: None,
        contact: Contact {
            name: person.map(|p| {
                let t = text(|| format!("{BUYER}.first_name"), &p, f);
                Cow::Owned(t.into_owned())
            }),
            phone: opt_text(
                &format!("{BUYER}.phone_number"),
                b.phone_number.as_deref(),
                f,
            ),
            email: opt_text(&format!("{BUYER}.email"), b.email.as_deref(), f),
        },
    }
}

/// An address from its parts (street, additional line, c/o, city, postal
/// code), each checked as XML text under `<base>.<field>`.
fn address<'a>(
    base: &str,
    [street, additional, co, city, postal]: [Option<&'a str>; 5],
    country: Option<Country>,
    f: &mut Vec<Finding>,
) -> Address<'a> {
    Address {
        street: opt_text(&format!("{base}.address_line"), street, f),
        additional: opt_text(&format!("{base}.address_line_2"), additional, f),
        line3: opt_text(&format!("{base}.co_address"), co, f),
        city: opt_text(&format!("{base}.postal_place"), city, f),
        postal_zone: opt_text(&format!("{base}.postal_code"), postal, f),
        country,
    }
}

/// The delivery date and place (BG-13), as the PDF prints them: the
/// caller's delivery date (else the issue date; verify has warned `assumed`)
/// and the session's shipping address (else the billing address).
fn delivery<'a>(
    inv: &'a VerifiedInvoice,
    _buyer_address: &Address<'a>,
    f: &mut Vec<Finding>,
) -> Option<Delivery<'a>> {
    let p = &inv.delivery.place;
    let base = match p.source {
        PlaceSource::ShippingAddress => "session.order.shipping_address",
        PlaceSource::BillingAddress => "session.order.billing_address",
    };
    let country = p.country.or(inv.buyer.country);
    let address = country.is_some().then(|| {
        address(
            base,
            [
                p.address_line.as_deref(),
                p.address_line_2.as_deref(),
                p.co_address.as_deref(),
                p.postal_place.as_deref(),
                p.postal_code.as_deref(),
            ],
            country,
            f,
        )
    });
    Some(Delivery {
        date: Some(inv.delivery.date),
        address,
    })
}

/// Why a 0 % line is exempt from VAT (BT-120): the brand's
/// `[invoice] vat_exemption_reason`, which verify requires of Swedish and
/// Finnish sellers with a 0 % line. Without one: zero rated (`Z`).
fn exemption_reason(inv: &VerifiedInvoice, _rate: VatRate) -> Option<&str> {
    inv.vat_exemption_reason.as_deref()
}

/// The VAT category of the lines at `rate`.
fn tax_category(inv: &VerifiedInvoice, rate: VatRate) -> TaxCategory<'_> {
    let registered = inv.seller.vat_registered;
    let (code, exemption_code, exemption_reason) = if !rate.is_zero() {
        (TaxCode::S, None, None)
    } else if !registered {
        (TaxCode::O, Some("VATEX-EU-O"), None)
    } else {
        match exemption_reason(inv, rate) {
            Some(r) => (TaxCode::E, None, Some(Cow::Borrowed(r))),
            None => (TaxCode::Z, None, None),
        }
    };
    TaxCategory {
        code,
        rate,
        exemption_code,
        exemption_reason,
    }
}

/// Where a line came from, as in the input.
fn line_path(inv: &VerifiedInvoice, index: usize) -> String {
    let items_before = inv.lines[..index]
        .iter()
        .filter(|l| l.kind == LineKind::Item)
        .count();
    match inv.lines.get(index).map(|l| l.kind) {
        Some(LineKind::Shipping) => "session.order.shipping_option".into(),
        _ => format!("session.order.items[{items_before}]"),
    }
}

fn lines<'a>(inv: &'a VerifiedInvoice, f: &mut Vec<Finding>) -> Vec<DocLine<'a>> {
    let mut assumed_zero = false;
    let mut out = Vec::with_capacity(inv.lines.len());
    for (i, l) in inv.lines.iter().enumerate() {
        let category = tax_category(inv, l.vat_rate);
        if category.code == TaxCode::Z && !assumed_zero {
            assumed_zero = true;
            push(
                f,
                "assumed-zero-rated",
                Severity::Warning,
                format!("{}.vat", line_path(inv, i)),
                "0 % lines are written as zero rated (VAT category Z): no exemption reason is \
                 known that would make them exempt (E)",
            );
        }
        if let Some(line) = line(inv, i, l, category, f) {
            out.push(line);
        }
    }
    out
}

fn line<'a>(
    inv: &'a VerifiedInvoice,
    index: usize,
    l: &'a Line,
    category: TaxCategory<'a>,
    f: &mut Vec<Finding>,
) -> Option<DocLine<'a>> {
    let path = || line_path(inv, index);
    let mut allowances = Vec::new();
    for (k, d) in l.discounts.iter().enumerate() {
        if d.amount <= Money::ZERO {
            continue;
        }
        match allowance(l, d, &path, k, f) {
            Some(a) => allowances.push(a),
            None => return None,
        }
    }
    let allowed: Money = allowances.iter().map(|a: &Allowance<'_>| a.amount).sum();
    let base = l.net.checked_add(allowed)?;
    // A negative line is written with a negative quantity and a positive price
    // (BR-27: the item net price is never negative).
    let quantity = if l.net < Money::ZERO {
        -l.quantity.value()
    } else {
        l.quantity.value()
    };
    let Some(price) = unit_price(base, quantity) else {
        push(
            f,
            "PEPPOL-EN16931-R120",
            Severity::Error,
            format!("{}.amount", path()),
            "the unit price overflows",
        );
        return None;
    };
    // One allowance with a percentage: state it with its base when they agree.
    if let ([a], [d]) = (allowances.as_mut_slice(), l.discounts.as_slice())
        && let Some(p) = d.percentage
        && percent_agrees(base, p, a.amount)
    {
        a.percent_of = Some((p.normalize(), base));
    }
    Some(DocLine {
        id: index + 1,
        quantity,
        unit_code: UNIT_EACH,
        net: l.net,
        allowances,
        name: text(|| format!("{}.description", path()), &l.description, f),
        seller_item_id: l
            .item_id
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| text(|| format!("{}.id", path()), s, f)),
        category,
        price,
    })
}

/// A discount (VAT included, as Dintero gives it) as an allowance net of VAT.
fn allowance<'a>(
    l: &Line,
    d: &'a Discount,
    path: &impl Fn() -> String,
    k: usize,
    f: &mut Vec<Finding>,
) -> Option<Allowance<'a>> {
    let Some(vat) = l.vat_rate.vat_of_gross(d.amount) else {
        push(
            f,
            "BR-41",
            Severity::Error,
            format!("{}.discount_lines[{k}].amount", path()),
            "the discount's VAT overflows",
        );
        return None;
    };
    let reason = match d.description.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => text(
            || format!("{}.discount_lines[{k}].description", path()),
            s,
            f,
        ),
        _ => Cow::Borrowed("Discount"),
    };
    Some(Allowance {
        reason,
        amount: d.amount.checked_sub(vat)?,
        percent_of: None,
    })
}

/// `base × percent / 100` is `amount` within one minor unit (PEPPOL-EN16931-R040
/// allows 0.02).
fn percent_agrees(base: Money, percent: Decimal, amount: Money) -> bool {
    let Some(v) = Decimal::from(base.minor())
        .checked_mul(percent)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
    else {
        return false;
    };
    v.checked_sub(Decimal::from(amount.minor()))
        .is_some_and(|d| d.abs() <= Decimal::ONE)
}

/// `base ÷ quantity` in major units with the fewest decimals (at least two)
/// that make `quantity × price` equal `base` within 0.001.
pub(crate) fn unit_price(base: Money, quantity: Decimal) -> Option<Decimal> {
    let base = base.to_major_decimal();
    let exact = base.checked_div(quantity)?;
    for dp in 2..=10 {
        let p = exact.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        if p.checked_mul(quantity)?.checked_sub(base)?.abs() <= PRICE_TOLERANCE {
            return Some(at_least_two_decimals(p));
        }
    }
    Some(at_least_two_decimals(exact.round_dp_with_strategy(
        10,
        RoundingStrategy::MidpointAwayFromZero,
    )))
}

fn at_least_two_decimals(d: Decimal) -> Decimal {
    let mut n = d.normalize();
    if n.scale() < 2 {
        n.rescale(2);
    }
    n
}

fn payment<'a>(inv: &'a VerifiedInvoice, f: &mut Vec<Finding>) -> Vec<PaymentMeans<'a>> {
    let p = &inv.payment;
    let payment_id = Cow::Borrowed(p.reference.as_str());
    let holder = || {
        let n = p.payee_name.trim();
        (!n.is_empty()).then_some(Cow::Borrowed(n))
    };
    let mut out = Vec::new();
    if let (Currency::Nok, Some(Account::No(a))) = (inv.currency, &p.account) {
        out.push(PaymentMeans {
            code: "30",
            payment_id: payment_id.clone(),
            account: Cow::Borrowed(a.as_str()),
            account_name: holder(),
            bic: None,
        });
    }
    // A Swedish Bankgiro or Plusgiro number: code 30 with the branch
    // `SE:BANKGIRO` / `SE:PLUSGIRO` (PEPPOL SE-R-007..011), digits only.
    let giro = match &p.account {
        Some(Account::Bankgiro(bg)) => Some((bg.as_str(), "SE:BANKGIRO")),
        Some(Account::Plusgiro(pg)) => Some((pg.as_str(), "SE:PLUSGIRO")),
        _ => None,
    };
    if let Some((digits, branch)) = giro {
        out.push(PaymentMeans {
            code: "30",
            payment_id: payment_id.clone(),
            account: Cow::Borrowed(digits),
            account_name: holder(),
            bic: Some(Cow::Borrowed(branch)),
        });
    }
    if let Some(iban) = &p.iban {
        out.push(PaymentMeans {
            code: if inv.currency == Currency::Eur {
                "58"
            } else {
                "30"
            },
            payment_id: payment_id.clone(),
            account: Cow::Borrowed(iban.electronic()),
            account_name: holder(),
            bic: p.bic.as_ref().map(|b| Cow::Borrowed(b.as_str())),
        });
    }
    if out.is_empty()
        && let Some(a) = &p.account
    {
        let account = match a {
            Account::No(n) => Cow::Borrowed(n.as_str()),
            Account::Bankgiro(n) => Cow::Borrowed(n.as_str()),
            Account::Plusgiro(n) => Cow::Borrowed(n.as_str()),
            Account::Other(s) => Cow::Owned(s.split_whitespace().collect::<String>()),
        };
        out.push(PaymentMeans {
            code: "30",
            payment_id,
            account,
            account_name: holder(),
            bic: p.bic.as_ref().map(|b| Cow::Borrowed(b.as_str())),
        });
    }
    if out.is_empty() {
        push(
            f,
            "BR-61",
            Severity::Error,
            "transaction.metadata[\"kravia:payment_details:bank_account:bban\"]",
            "an e-invoice paid by credit transfer needs the payee's account; there is neither an account number nor an IBAN",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn unit_price_uses_the_fewest_decimals_that_add_up() {
        let m = Money::from_minor;
        assert_eq!(
            unit_price(m(446_400), d("2")).unwrap().to_string(),
            "2232.00"
        );
        assert_eq!(unit_price(m(11_739), d("3")).unwrap().to_string(), "39.13");
        // 100.00 / 3 = 33.333…: 3 × 33.333 = 99.999, within 0.001.
        assert_eq!(unit_price(m(10_000), d("3")).unwrap().to_string(), "33.333");
        assert_eq!(unit_price(m(1_001), d("2.5")).unwrap().to_string(), "4.004");
        assert_eq!(unit_price(m(-5_000), d("-1")).unwrap().to_string(), "50.00");
        for (base, q) in [
            (12_345_i64, "7"),
            (99_999, "13"),
            (1, "3"),
            (250_000, "0.3"),
        ] {
            let p = unit_price(m(base), d(q)).unwrap();
            let err = (p * d(q) - m(base).to_major_decimal()).abs();
            assert!(err <= PRICE_TOLERANCE, "{base} / {q} = {p}");
        }
    }

    #[test]
    fn percentages_must_agree_with_the_amount() {
        let m = Money::from_minor;
        assert!(percent_agrees(m(446_400), d("15"), m(66_960)));
        assert!(percent_agrees(m(1_000), d("33.33"), m(333)));
        assert!(!percent_agrees(m(446_400), d("15"), m(66_962)));
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(safe_file_stem("KJ65C-190025"), "KJ65C-190025");
        assert_eq!(safe_file_stem("2026/05 #1"), "2026_05__1");
        assert_eq!(safe_file_stem(""), "_");
    }
}
