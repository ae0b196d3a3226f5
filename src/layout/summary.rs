//! The VAT summary per rate and the totals (excl. VAT, VAT, incl. VAT, paid,
//! to pay), side by side, as one block at the origin.
//!
//! Structure: the VAT summary is a section with its heading and a table
//! (rate, basis, VAT); the totals a section of paragraphs, each a label with
//! its amount.

use super::document::{Item, Role, TextRole};
use super::text::{self, Font};
use super::{Block, Ctx, LayoutError, group, hline, mm, rect, table};
use crate::font::FontFace;
use crate::money::Money;

/// The VAT summary (left) and the totals (right).
pub(crate) fn block(ctx: &Ctx) -> Result<Block, LayoutError> {
    let mut items = Vec::new();
    let left_h = group(&mut items, Role::Section, |items| {
        vat_summary(ctx, items, ctx.width * 0.48)
    })?;
    let x = ctx.width * 0.54;
    let right_h = group(&mut items, Role::Section, |items| {
        totals(ctx, items, x, ctx.width - x)
    })?;
    Ok(Block {
        items,
        height: left_h.max(right_h),
    })
}

fn vat_summary(ctx: &Ctx, items: &mut Vec<Item>, w: f32) -> Result<f32, LayoutError> {
    let size = ctx.template.text.totals;
    let font = Font {
        face: FontFace::Regular,
        size,
        color: ctx.text,
    };
    let head = ctx.heading();
    let lh = ctx.lh(size);
    let mut y = 0.0;
    group(items, Role::Heading(2), |items| {
        ctx.run(
            items,
            0.0,
            y,
            head,
            &ctx.labels.vat_summary.to_uppercase(),
            TextRole::Plain,
            "label",
        )
    })?;
    y += ctx.lh(head.size) + head.size * 0.3;
    // Columns: rate | basis | VAT, numbers right-aligned.
    let (c1, c2) = (w * 0.62, w);
    let muted = font
        .with_color(ctx.muted)
        .with_size(ctx.template.text.small);
    let mh = ctx.lh(muted.size);
    items.push(Item::Begin(Role::Table));
    items.push(Item::Begin(Role::TableHead));
    items.push(Item::Begin(Role::Row));
    group(items, Role::HeaderCell, |items| {
        ctx.run(
            items,
            0.0,
            y,
            muted,
            &ctx.labels.vat_rate,
            TextRole::Plain,
            "label",
        )
    })?;
    group(items, Role::HeaderCell, |items| {
        ctx.run_right(
            items,
            c1,
            y,
            muted,
            &ctx.labels.vat_basis,
            TextRole::Plain,
            "label",
        )
    })?;
    group(items, Role::HeaderCell, |items| {
        ctx.run_right(
            items,
            c2,
            y,
            muted,
            &ctx.labels.vat_amount,
            TextRole::Plain,
            "label",
        )
    })?;
    items.push(Item::End);
    items.push(Item::End);
    items.push(Item::Begin(Role::TableBody));
    y += mh + 1.5;
    hline(items, 0.0, w, y - 0.75, ctx.rule, 0.5);
    for (i, v) in ctx.invoice.vat.iter().enumerate() {
        let field = format!("vat[{i}]");
        items.push(Item::Begin(Role::Row));
        group(items, Role::Cell, |items| {
            ctx.run(
                items,
                0.0,
                y,
                font,
                &ctx.locale.format_rate(v.rate),
                TextRole::Plain,
                &field,
            )
        })?;
        group(items, Role::Cell, |items| {
            ctx.run_right(
                items,
                c1,
                y,
                font,
                &ctx.locale.format_amount(v.net),
                TextRole::Plain,
                &field,
            )
        })?;
        group(items, Role::Cell, |items| {
            ctx.run_right(
                items,
                c2,
                y,
                font,
                &ctx.locale.format_amount(v.vat),
                TextRole::VatAmount,
                &field,
            )
        })?;
        items.push(Item::End);
        y += lh;
    }
    items.push(Item::End);
    items.push(Item::End);
    if let Some(reason) = ctx.invoice.vat_exemption_reason.as_deref() {
        // Under the VAT summary, where the 0 % row is: "MVA-fritak: …".
        y += mm(1.5);
        let note = ctx.small().with_color(ctx.text);
        let t = format!("{}: {reason}", ctx.labels.vat_exemption);
        items.push(Item::Begin(Role::Paragraph));
        y += ctx.paragraph(items, 0.0, y, w, note, &t, "vat_exemption_reason")?;
        items.push(Item::End);
    }
    if !ctx.invoice.order_discounts.is_empty() {
        y += mm(3.0);
        let note = ctx.small();
        y += group(items, Role::Paragraph, |items| {
            ctx.paragraph(
                items,
                0.0,
                y,
                w,
                note.with_face(FontFace::Bold),
                &ctx.labels.order_discounts,
                "label",
            )
        })?;
        for (i, d) in ctx.invoice.order_discounts.iter().enumerate() {
            let t = table::discount_text(ctx, d);
            y += group(items, Role::Paragraph, |items| {
                ctx.paragraph(items, 0.0, y, w, note, &t, &format!("order_discounts[{i}]"))
            })?;
        }
    }
    Ok(y)
}

fn totals(ctx: &Ctx, items: &mut Vec<Item>, x: f32, w: f32) -> Result<f32, LayoutError> {
    if let Some(c) = &ctx.credit {
        return super::credit::totals(ctx, c, items, x, w);
    }
    let t = &ctx.invoice.totals;
    let cur = ctx.invoice.currency;
    let loc = ctx.locale;
    let size = ctx.template.text.totals;
    let font = Font {
        face: FontFace::Regular,
        size,
        color: ctx.text,
    };
    let label = font.with_color(ctx.muted);
    let lh = ctx.lh(size);
    let right = x + w;
    let head = ctx.heading();
    // Level with the VAT summary's first row.
    let mut y = ctx.lh(head.size) + head.size * 0.3 + ctx.lh(ctx.template.text.small) + 1.5;
    let rows: [(&str, Money, TextRole, Font); 2] = [
        (&ctx.labels.total_net, t.net, TextRole::Plain, font),
        (&ctx.labels.total_vat, t.vat, TextRole::Plain, font),
    ];
    for (l, m, role, f) in rows {
        items.push(Item::Begin(Role::Paragraph));
        ctx.run(items, x, y, label, l, TextRole::Plain, "label")?;
        ctx.run_right(
            items,
            right,
            y,
            f,
            &loc.format_money(m, cur),
            role,
            "totals",
        )?;
        items.push(Item::End);
        y += lh;
    }
    hline(items, x, right, y + 1.0, ctx.rule, 0.5);
    y += 2.5;
    let bold = font.with_face(FontFace::Bold);
    items.push(Item::Begin(Role::Paragraph));
    ctx.run(
        items,
        x,
        y,
        bold,
        &ctx.labels.total_gross,
        TextRole::Plain,
        "label",
    )?;
    ctx.run_right(
        items,
        right,
        y,
        bold,
        &loc.format_money(t.gross, cur),
        TextRole::Total,
        "totals.gross",
    )?;
    items.push(Item::End);
    y += lh;
    if t.paid != Money::ZERO {
        items.push(Item::Begin(Role::Paragraph));
        ctx.run(
            items,
            x,
            y,
            label,
            &ctx.labels.paid,
            TextRole::Plain,
            "label",
        )?;
        ctx.run_right(
            items,
            right,
            y,
            font,
            &loc.format_money(-t.paid, cur),
            TextRole::Plain,
            "totals.paid",
        )?;
        items.push(Item::End);
        y += lh;
    }
    y += mm(1.5);
    let big = Font {
        face: FontFace::Bold,
        size: ctx.template.text.to_pay,
        color: ctx.text,
    };
    let amount = loc.format_money(t.to_pay, cur);
    let pad = mm(2.0);
    let bh = ctx.lh(big.size) + 2.0 * pad * 0.6;
    match ctx.fill(ctx.template.summary.to_pay_fill) {
        Some(fill) => rect(items, (x - pad, y, w + pad, bh), Some(fill), None),
        None => {
            hline(items, x, right, y, ctx.text, 0.8);
            hline(items, x, right, y + bh, ctx.text, 0.8);
        }
    }
    let ty = y + pad * 0.6;
    let size = text::fit_size(ctx.fonts, FontFace::Bold, big.size, &amount, w * 0.6);
    items.push(Item::Begin(Role::Paragraph));
    ctx.run(
        items,
        x,
        ty,
        big,
        &ctx.labels.to_pay,
        TextRole::Plain,
        "label",
    )?;
    ctx.run_right(
        items,
        right - pad * 0.5,
        ty,
        big.with_size(size),
        &amount,
        TextRole::AmountToPay,
        "totals.to_pay",
    )?;
    items.push(Item::End);
    y += bh;
    if t.to_pay <= Money::ZERO {
        y += mm(1.5);
        let f = bold.with_color(ctx.accent);
        ctx.run_right(
            items,
            right,
            y,
            f,
            &ctx.labels.paid_in_full,
            TextRole::Plain,
            "label",
        )?;
        y += lh;
    }
    Ok(y)
}
