//! Every character the invoice prints must be drawable: the bundled faces, the
//! brand's font directory and the system's fonts ([`FontChain`]) are searched,
//! and only a character that no face can draw is replaced by a visible mark
//! (U+FFFD) with a `glyph_replaced` warning naming the field and the code
//! point. Control characters (tabs, line breaks) become spaces.
//!
//! The renderer's `strict_glyphs` option turns a replacement into an error.

use crate::font::{FontChain, REPLACEMENT};
use crate::verify::invoice::{LegalLine, LineKind, PlaceSource, VerifiedInvoice};

use super::{Code, Findings, Input};

/// Cleans one field in place, warning once per replaced character.
fn field(chain: &FontChain, text: &mut String, path: &str, f: &mut Findings) {
    if text
        .chars()
        .all(|c| !c.is_control() && (c.is_ascii() || chain.can_draw(c)))
    {
        return;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
        } else if c.is_ascii() || chain.can_draw(c) {
            out.push(c);
        } else {
            f.warn(
                Code::GlyphReplaced,
                path,
                format!(
                    "no font can draw U+{:04X} {c:?}{}; it is printed as {REPLACEMENT}",
                    u32::from(c),
                    unicode_name_hint(c)
                ),
            );
            out.push(REPLACEMENT);
        }
    }
    *text = out;
}

fn opt(chain: &FontChain, text: &mut Option<String>, path: &str, f: &mut Findings) {
    if let Some(t) = text {
        field(chain, t, path, f);
    }
}

/// A hint at the script, for the message.
fn unicode_name_hint(c: char) -> &'static str {
    match u32::from(c) {
        0x0590..=0x05FF => " (Hebrew)",
        0x0600..=0x06FF | 0x0750..=0x077F => " (Arabic)",
        0x0E00..=0x0E7F => " (Thai)",
        0x3040..=0x30FF => " (Japanese kana)",
        0x3400..=0x9FFF | 0x20000..=0x2FFFF => " (CJK ideograph)",
        0xAC00..=0xD7AF => " (Hangul)",
        0xE000..=0xF8FF | 0xF0000..=0x10FFFF => " (private use)",
        _ => "",
    }
}

/// Checks and cleans every text of `inv` against `chain`; `brand_footer` is
/// checked too (the layout replaces the same characters when it draws it).
pub(super) fn clean(
    inv: &mut VerifiedInvoice,
    input: &Input<'_>,
    chain: &FontChain,
    f: &mut Findings,
) {
    let o = |rest: &str| input.order_path(rest);
    field(
        chain,
        &mut inv.invoice_number,
        "transaction.metadata[\"kravia:invoice_number\"]",
        f,
    );
    opt(
        chain,
        &mut inv.merchant_reference,
        &o("merchant_reference"),
        f,
    );
    opt(chain, &mut inv.case_number, "transaction.events", f);

    let s = &mut inv.seller;
    field(chain, &mut s.name, "brand.seller.name", f);
    for (v, p) in [
        (&mut s.address_line, "brand.seller.address_line"),
        (&mut s.postal_code, "brand.seller.postal_code"),
        (&mut s.postal_place, "brand.seller.postal_place"),
        (&mut s.email, "brand.seller.email"),
        (&mut s.phone, "brand.seller.phone"),
        (&mut s.website, "brand.seller.website"),
        (&mut s.register, "brand.seller.register"),
        (&mut s.vat_number, "brand.seller.vat_number"),
    ] {
        opt(chain, v, p, f);
    }
    for l in &mut s.legal {
        match l {
            LegalLine::Register(r) => field(chain, r, "brand.seller.register", f),
            LegalLine::VatNumber(v) => field(chain, v, "brand.seller.vat_number", f),
            LegalLine::OrgNumber(_) | LegalLine::BusinessId(_) | LegalLine::FSkatt => {}
        }
    }

    let b = &mut inv.buyer;
    for (v, name) in [
        (&mut b.business_name, "business_name"),
        (&mut b.first_name, "first_name"),
        (&mut b.last_name, "last_name"),
        (&mut b.customer_reference, "customer_reference"),
        (&mut b.cost_center, "cost_center"),
        (&mut b.co_address, "co_address"),
        (&mut b.address_line, "address_line"),
        (&mut b.address_line_2, "address_line_2"),
        (&mut b.postal_code, "postal_code"),
        (&mut b.postal_place, "postal_place"),
        (&mut b.email, "email"),
        (&mut b.phone_number, "phone_number"),
    ] {
        opt(chain, v, &o(&format!("billing_address.{name}")), f);
    }

    let mut item = 0;
    for line in &mut inv.lines {
        let base = match line.kind {
            LineKind::Item => {
                item += 1;
                o(&format!("items[{}]", item - 1))
            }
            LineKind::Shipping => o("shipping_option"),
        };
        let desc = match line.kind {
            LineKind::Item => "description",
            LineKind::Shipping => "title",
        };
        field(chain, &mut line.description, &format!("{base}.{desc}"), f);
        opt(chain, &mut line.item_id, &format!("{base}.id"), f);
        for (j, d) in line.discounts.iter_mut().enumerate() {
            opt(
                chain,
                &mut d.description,
                &format!("{base}.discount_lines[{j}].description"),
                f,
            );
        }
    }
    for (j, d) in inv.order_discounts.iter_mut().enumerate() {
        opt(
            chain,
            &mut d.description,
            &o(&format!("discount_lines[{j}].description")),
            f,
        );
    }

    let p = &mut inv.delivery.place;
    let addr = match p.source {
        PlaceSource::ShippingAddress => "shipping_address",
        PlaceSource::BillingAddress => "billing_address",
    };
    for (v, name) in [
        (&mut p.co_address, "co_address"),
        (&mut p.address_line, "address_line"),
        (&mut p.address_line_2, "address_line_2"),
        (&mut p.postal_code, "postal_code"),
        (&mut p.postal_place, "postal_place"),
    ] {
        opt(chain, v, &o(&format!("{addr}.{name}")), f);
    }

    field(
        chain,
        &mut inv.payment.payee_name,
        "brand.invoice.payee_name",
        f,
    );
    opt(
        chain,
        &mut inv.vat_exemption_reason,
        "brand.invoice.vat_exemption_reason",
        f,
    );
    if let Some(footer) = input.brand.and_then(|b| b.invoice.footer.clone()) {
        let mut footer = footer;
        field(chain, &mut footer, "brand.invoice.footer", f);
    }
}
