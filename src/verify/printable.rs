//! What the invoice prints must fit on the page, so that `check` predicts
//! `render` and nothing is lost on the page:
//!
//! - every text the invoice prints (parties, references, line and discount
//!   descriptions, the brand's footer, payee and exemption reason) must be no
//!   longer than its place on the page allows (`text_too_long`, limits in
//!   characters below): the layout wraps long texts, but a party block or the
//!   facts beside it have one page to fill;
//! - every amount printed (order, lines, unit prices, gross amounts,
//!   discounts, VAT per rate) must be within ±999 999 999.99
//!   (`amount_too_large`), the most the layout's columns hold.
//!
//! Characters no font can draw are not refused here: `glyphs` replaces them
//! with a visible mark and warns (`glyph_replaced`), exactly as the layout
//! draws them.
//!
//! Each finding names the field as written in the input (or the brand file).
//! The checks are linear in the number of lines.

use crate::dintero::metadata::{self, Metadata};

use super::{Code, Findings, Input, grouped, present};

/// The largest amount printed, in minor units: 999 999 999.99.
pub(crate) const MAX_AMOUNT: i64 = 99_999_999_999;

/// Limits, in characters, per kind of field: room for real names and
/// addresses, while every field at its limit (in the widest letters) still
/// fits its place with every built-in template (`tests/it/hardening.rs`).
const NAME: usize = 80;
const PERSON: usize = 40;
const ADDRESS: usize = 60;
const POSTAL_CODE: usize = 12;
const PLACE: usize = 40;
const REFERENCE: usize = 40;
const NUMBER: usize = 30;
const CONTACT: usize = 60;
const DESCRIPTION: usize = 500;
const DISCOUNT: usize = 100;
const FOOTER: usize = 200;
const EXEMPTION: usize = 300;
/// The EPC QR code's limit for the payee's name.
const PAYEE: usize = 70;

/// Checks one printed text at `path` (trimmed, as the invoice prints it).
fn text(f: &mut Findings, path: &str, value: Option<&str>, max: usize) {
    let Some(value) = present(value) else {
        return;
    };
    let n = value.chars().count();
    if n > max {
        f.error(
            Code::TextTooLong,
            path,
            format!(
                "{n} characters, more than the {max} the invoice can print here ({:?})",
                shorten(value)
            ),
        );
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// An amount printed at `path` must be within ±[`MAX_AMOUNT`].
pub(super) fn amount(f: &mut Findings, path: &str, minor: i64) {
    if minor.unsigned_abs() > MAX_AMOUNT.unsigned_abs() {
        f.error(
            Code::AmountTooLarge,
            path,
            format!(
                "{} is more than the 999 999 999.99 an invoice can print",
                grouped(minor)
            ),
        );
    }
}

/// Every text the invoice prints, and the order's amounts.
pub(super) fn check(input: &Input<'_>, f: &mut Findings) {
    let order = input.order;
    if let Some(a) = order.amount {
        amount(f, &input.order_path("amount"), a);
    }
    text(
        f,
        &input.order_path("merchant_reference"),
        order.merchant_reference.as_deref(),
        REFERENCE,
    );
    if let Some(a) = &order.billing_address {
        let fields: [(&str, Option<&str>, usize); 10] = [
            ("business_name", a.business_name.as_deref(), NAME),
            ("first_name", a.first_name.as_deref(), PERSON),
            ("last_name", a.last_name.as_deref(), PERSON),
            (
                "customer_reference",
                a.customer_reference.as_deref(),
                REFERENCE,
            ),
            ("co_address", a.co_address.as_deref(), ADDRESS),
            ("address_line", a.address_line.as_deref(), ADDRESS),
            ("address_line_2", a.address_line_2.as_deref(), ADDRESS),
            ("postal_code", a.postal_code.as_deref(), POSTAL_CODE),
            ("postal_place", a.postal_place.as_deref(), PLACE),
            (
                "organization_number",
                a.organization_number.as_deref(),
                NUMBER,
            ),
        ];
        for (name, value, max) in fields {
            let path = input.order_path(&format!("billing_address.{name}"));
            text(f, &path, value, max);
        }
    }
    // The delivery place printed (from the shipping address when there is one).
    if let Some(a) = &order.shipping_address {
        let fields: [(&str, Option<&str>, usize); 5] = [
            ("co_address", a.co_address.as_deref(), ADDRESS),
            ("address_line", a.address_line.as_deref(), ADDRESS),
            ("address_line_2", a.address_line_2.as_deref(), ADDRESS),
            ("postal_code", a.postal_code.as_deref(), POSTAL_CODE),
            ("postal_place", a.postal_place.as_deref(), PLACE),
        ];
        for (name, value, max) in fields {
            let path = input.order_path(&format!("shipping_address.{name}"));
            text(f, &path, value, max);
        }
    }
    for (i, item) in order.items.iter().flatten().enumerate() {
        // The description printed: the description, else the item id, else
        // the line id.
        let (field, value) = match (
            present(item.description.as_deref()),
            present(item.id.as_deref()),
        ) {
            (Some(d), _) => ("description", Some(d)),
            (None, Some(id)) => ("id", Some(id)),
            (None, None) => ("line_id", item.line_id.as_deref()),
        };
        if too_long(value, DESCRIPTION) || too_long(item.id.as_deref(), REFERENCE) {
            let base = input.order_path(&format!("items[{i}]"));
            text(f, &format!("{base}.{field}"), value, DESCRIPTION);
            if field != "id" {
                text(f, &format!("{base}.id"), item.id.as_deref(), REFERENCE);
            }
        }
        for (j, d) in item.discount_lines.iter().flatten().enumerate() {
            let path = input.order_path(&format!("items[{i}].discount_lines[{j}].description"));
            text(f, &path, d.description.as_deref(), DISCOUNT);
        }
    }
    if let Some(s) = &order.shipping_option {
        let (field, value) = match (s.title.as_deref(), s.description.as_deref()) {
            (Some(t), _) => ("title", Some(t)),
            (None, Some(d)) => ("description", Some(d)),
            (None, None) => ("operator", s.operator.as_deref()),
        };
        let path = input.order_path(&format!("shipping_option.{field}"));
        text(f, &path, value, DESCRIPTION);
    }
    for (j, d) in order.discount_lines.iter().flatten().enumerate() {
        let path = input.order_path(&format!("discount_lines[{j}].description"));
        text(f, &path, d.description.as_deref(), DISCOUNT);
        if let Some(a) = d.amount {
            amount(
                f,
                &input.order_path(&format!("discount_lines[{j}].amount")),
                a,
            );
        }
    }
    // Kravia's numbers: drawn in one run.
    let tx_meta = |key: &str| Metadata::path("transaction.metadata", key);
    if let Ok(n) = input.tx.metadata.text(metadata::INVOICE_NUMBER) {
        text(f, &tx_meta(metadata::INVOICE_NUMBER), n.as_deref(), NUMBER);
    }
    for (i, e) in input.tx.events.iter().enumerate() {
        for key in [metadata::INVOICE_NUMBER, metadata::CASE_NUMBER] {
            if let Ok(Some(v)) = e.metadata.text(key) {
                let path = Metadata::path(&format!("transaction.events[{i}].metadata"), key);
                text(f, &path, Some(&v), NUMBER);
            }
        }
    }
    // The brand's texts, when there is a brand.
    let Some(brand) = input.brand else {
        return;
    };
    let s = &brand.seller;
    let seller: [(&str, Option<&str>, usize); 10] = [
        ("name", s.name.as_deref(), NAME),
        (
            "organization_number",
            s.organization_number.as_deref(),
            NUMBER,
        ),
        ("register", s.register.as_deref(), REFERENCE),
        ("address_line", s.address_line.as_deref(), ADDRESS),
        ("postal_code", s.postal_code.as_deref(), POSTAL_CODE),
        ("postal_place", s.postal_place.as_deref(), PLACE),
        ("email", s.email.as_deref(), CONTACT),
        ("phone", s.phone.as_deref(), CONTACT),
        ("website", s.website.as_deref(), CONTACT),
        ("vat_number", s.vat_number.as_deref(), NUMBER),
    ];
    for (name, value, max) in seller {
        text(f, &format!("brand.seller.{name}"), value, max);
    }
    let i = &brand.invoice;
    text(f, "brand.invoice.footer", i.footer.as_deref(), FOOTER);
    text(
        f,
        "brand.invoice.payee_name",
        i.payee_name.as_deref(),
        PAYEE,
    );
    text(
        f,
        "brand.invoice.vat_exemption_reason",
        i.vat_exemption_reason.as_deref(),
        EXEMPTION,
    );
}

/// Whether `value` would fail [`text`] (to build paths only when needed).
fn too_long(value: Option<&str>, max: usize) -> bool {
    present(value).is_some_and(|v| v.chars().count() > max)
}
