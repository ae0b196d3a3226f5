//! The invoice facts (number, dates, delivery date and place, references)
//! and the amount-to-pay callout.
//!
//! Structure: each is a section; each label with its value is one paragraph
//! ("Fakturanummer KJ65C-190025"), so a reader hears them together.

use super::document::{Item, Role, TextRole};
use super::text::{self, Font};
use super::{Ctx, LayoutError, mm, rect};
use crate::font::FontFace;
use crate::money::Money;

/// The invoice facts: number, dates, delivery, references. Returns the height.
pub(super) fn meta_block(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let inv = ctx.invoice;
    let l = ctx.labels;
    let mut rows: Vec<(&str, String, TextRole, &str)> = match &ctx.credit {
        Some(c) => super::credit::fact_rows(ctx, c),
        None => vec![
            (
                &l.invoice_number,
                inv.invoice_number.clone(),
                TextRole::InvoiceNumber,
                "invoice_number",
            ),
            (
                &l.invoice_date,
                ctx.locale.format_date(inv.issue_date),
                TextRole::Plain,
                "issue_date",
            ),
            (
                &l.due_date,
                ctx.locale.format_date(inv.due_date),
                TextRole::DueDate,
                "due_date",
            ),
            (
                &l.delivery_date,
                ctx.locale.format_date(inv.delivery.date),
                TextRole::Plain,
                "delivery.date",
            ),
            (
                &l.delivery_place,
                inv.delivery.place.one_line(ctx.seller.country),
                TextRole::Plain,
                "delivery.place",
            ),
        ],
    };
    if let Some(r) = inv.buyer.customer_reference.as_deref() {
        rows.push((
            &l.customer_reference,
            r.to_string(),
            TextRole::Plain,
            "buyer.customer_reference",
        ));
    }
    if let Some(r) = inv.merchant_reference.as_deref() {
        rows.push((
            &l.order_reference,
            r.to_string(),
            TextRole::Plain,
            "merchant_reference",
        ));
    }
    if let Some(r) = inv.case_number.as_deref() {
        rows.push((
            &l.case_number,
            r.to_string(),
            TextRole::Plain,
            "case_number",
        ));
    }
    let label_font = ctx.body().with_color(ctx.muted);
    let value_font = ctx.body();
    let label_w = rows
        .iter()
        .map(|(label, ..)| text::width(ctx.fonts, label_font.face, label_font.size, label))
        .fold(0.0f32, f32::max)
        + value_font.size * 1.3;
    let label_w = label_w.min(w * 0.55);
    let value_x = x + label_w;
    let value_w = w - label_w;
    let mut h = 0.0;
    items.push(Item::Begin(Role::Section));
    for (label, value, role, field) in rows {
        let top = y + h;
        items.push(Item::Begin(Role::Paragraph));
        let label_h = ctx.paragraph(
            items,
            x,
            top,
            label_w - value_font.size * 0.5,
            label_font,
            label,
            "label",
        )?;
        let vf = if role == TextRole::InvoiceNumber || role == TextRole::CreditNumber {
            value_font.with_face(FontFace::Bold)
        } else {
            value_font
        };
        let value_h = if role == TextRole::Plain {
            // Beside its label; a long value (a delivery place of several
            // address lines) that would take more than three lines there
            // goes under it, the column wide, when that saves lines.
            let lines_in =
                |width: f32| text::wrap(ctx.fonts, vf.face, vf.size, &value, width).len();
            let beside = lines_in(value_w);
            if beside > 3 && lines_in(w) + 1 < beside {
                let below = top + label_h;
                label_h + ctx.paragraph(items, x, below, w, vf, &value, field)?
            } else {
                ctx.paragraph(items, value_x, top, value_w, vf, &value, field)?
            }
        } else {
            // One run (the read-back check reads it whole): beside its label,
            // smaller if need be; under it, the column wide, when even the
            // smallest size does not fit beside it.
            let face = text::face_for(vf.face, &value, field)?;
            if text::width(ctx.fonts, face, vf.size * 0.6, &value) <= value_w {
                let size = text::fit_size(ctx.fonts, face, vf.size, &value, value_w);
                ctx.run(items, value_x, top, vf.with_size(size), &value, role, field)?;
                ctx.lh(vf.size)
            } else {
                let size = text::fit_size(ctx.fonts, face, vf.size, &value, w);
                let below = top + label_h;
                ctx.run(items, x, below, vf.with_size(size), &value, role, field)?;
                label_h + ctx.lh(vf.size)
            }
        };
        items.push(Item::End);
        h += label_h.max(value_h);
    }
    items.push(Item::End);
    Ok(h)
}

/// The amount to pay and the due date in a tinted box. Returns the height.
pub(super) fn callout(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    if let Some(c) = &ctx.credit {
        return super::credit::callout(ctx, c, items, (x, y, w));
    }
    let fill = ctx.fill(ctx.template.header.callout_fill);
    let pad = mm(4.0);
    let mut inner = vec![Item::Begin(Role::Section), Item::Begin(Role::Paragraph)];
    let (ix, iw) = (x + pad, w - 2.0 * pad);
    let mut h = pad;
    let totals = &ctx.invoice.totals;
    let cur = ctx.invoice.currency;
    let paid = totals.to_pay <= Money::ZERO;
    let label = ctx.body().with_color(ctx.muted);
    let title = if paid {
        &ctx.labels.paid_in_full
    } else {
        &ctx.labels.to_pay
    };
    let title_font = if paid {
        ctx.body().with_face(FontFace::Bold).with_color(ctx.accent)
    } else {
        label
    };
    h += ctx.paragraph(&mut inner, ix, y + h, iw, title_font, title, "label")?;
    let amount = ctx.locale.format_money(totals.to_pay, cur);
    let big = Font {
        face: FontFace::Bold,
        size: text::fit_size(
            ctx.fonts,
            FontFace::Bold,
            ctx.template.text.to_pay * 1.5,
            &amount,
            iw,
        ),
        color: ctx.text,
    };
    ctx.run(
        &mut inner,
        ix,
        y + h,
        big,
        &amount,
        TextRole::AmountToPay,
        "totals.to_pay",
    )?;
    h += ctx.lh(big.size);
    inner.push(Item::End);
    inner.push(Item::Begin(Role::Paragraph));
    let due = ctx.locale.format_date(ctx.invoice.due_date);
    let lw = ctx.run(
        &mut inner,
        ix,
        y + h,
        label,
        &ctx.labels.due_date,
        TextRole::Plain,
        "label",
    )?;
    let df = ctx.body().with_face(FontFace::Bold);
    ctx.run(
        &mut inner,
        ix + lw + label.size * 0.6,
        y + h,
        df,
        &due,
        TextRole::DueDate,
        "due_date",
    )?;
    inner.push(Item::End);
    inner.push(Item::End);
    h += ctx.lh(label.size) + pad;
    if fill.is_some() {
        rect(items, (x, y, w, h), fill, None);
    } else {
        rect(items, (x, y, w, h), None, Some((ctx.rule, 0.75)));
    }
    rect(items, (x, y, mm(1.2), h), Some(ctx.accent), None);
    items.append(&mut inner);
    Ok(h)
}
