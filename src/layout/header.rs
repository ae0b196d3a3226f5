//! The first page's header (logo, title, seller, buyer, invoice facts, the
//! amount-to-pay callout), the slimmer header of continuation pages, the
//! accent band and the footer of every page.

use super::document::{Item, TextRole};
use super::text::{self, Font};
use super::{Ctx, LayoutError, hline, logo, mm, rect};
use crate::country::Country;
use crate::font::FontFace;
use crate::logo::Raster;
use crate::money::Money;
use crate::payment::OrgNumber;
use crate::template::Parties;
use crate::verify::invoice::{CustomerKind, LegalLine};

/// The accent band across the top of a page, if the template has one.
pub(crate) fn band(ctx: &Ctx, items: &mut Vec<Item>) {
    let h = mm(ctx.t.header.band);
    if h > 0.0 {
        let fill = ctx.t.header.band_color.resolve(ctx.accent, ctx.accent);
        rect(items, (0.0, 0.0, ctx.page_w, h), Some(fill), None);
    }
}

/// The seller's legal lines (decided by `verify`), labelled in the locale.
pub(crate) fn seller_legal(ctx: &Ctx) -> Vec<String> {
    let l = ctx.l;
    ctx.seller
        .legal
        .iter()
        .map(|line| match line {
            LegalLine::OrgNumber(n) => format!("{} {n}", l.org_number),
            LegalLine::BusinessId(n) => format!("{} {n}", l.business_id_fi),
            LegalLine::VatNumber(v) => format!("{} {v}", l.vat_number),
            LegalLine::Register(r) => r.clone(),
            LegalLine::FSkatt => l.f_skatt.clone(),
        })
        .collect()
}

/// `5003 Bergen` from the parts that are there (verify has trimmed them and
/// dropped blank ones).
fn postal(code: Option<&str>, place: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [code, place].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A column of lines at `(x, y)`, `w` wide, that wraps and keeps its height.
struct Column<'c, 'a> {
    ctx: &'c Ctx<'a>,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Column<'_, '_> {
    fn line(
        &mut self,
        items: &mut Vec<Item>,
        font: Font,
        text: &str,
        field: &str,
    ) -> Result<(), LayoutError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        self.h += self
            .ctx
            .paragraph(items, self.x, self.y + self.h, self.w, font, text, field)?;
        Ok(())
    }

    fn heading(&mut self, items: &mut Vec<Item>, text: &str) -> Result<(), LayoutError> {
        let font = self.ctx.heading();
        self.line(items, font, &text.to_uppercase(), "label")?;
        self.h += font.size * 0.3;
        Ok(())
    }
}

fn seller_block(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
    heading: bool,
    name: bool,
) -> Result<f32, LayoutError> {
    let s = ctx.seller;
    let mut col = Column {
        ctx,
        x,
        y,
        w,
        h: 0.0,
    };
    if heading {
        col.heading(items, &ctx.l.seller_heading)?;
    }
    let body = ctx.body();
    if name {
        col.line(
            items,
            body.with_face(FontFace::Bold),
            &s.name,
            "seller.name",
        )?;
    }
    if let Some(a) = s.address_line.as_deref() {
        col.line(items, body, a, "seller.address_line")?;
    }
    if let Some(p) = postal(s.postal_code.as_deref(), s.postal_place.as_deref()) {
        col.line(items, body, &p, "seller.postal_place")?;
    }
    col.h += body.size * 0.35;
    let small = ctx.small().with_size(body.size * 0.9);
    for legal in seller_legal(ctx) {
        col.line(
            items,
            small.with_color(ctx.text),
            &legal,
            "seller.organization_number",
        )?;
    }
    for (value, field) in [
        (&s.email, "seller.email"),
        (&s.phone, "seller.phone"),
        (&s.website, "seller.website"),
    ] {
        if let Some(v) = value.as_deref() {
            col.line(items, small, v, field)?;
        }
    }
    Ok(col.h)
}

fn buyer_block(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let b = &ctx.inv.buyer;
    let mut col = Column {
        ctx,
        x,
        y,
        w,
        h: 0.0,
    };
    col.heading(items, &ctx.l.buyer_heading)?;
    let body = ctx.body();
    let big = body.with_face(FontFace::Bold).with_size(body.size * 1.1);
    col.line(items, big, &b.display_name(), "buyer.name")?;
    if b.business_name.is_some()
        && let Some(person) = b.person_name()
    {
        col.line(
            items,
            body,
            &format!("{} {person}", ctx.l.attention),
            "buyer.name",
        )?;
    }
    if let Some(co) = b.co_address.as_deref() {
        let co = if co.to_lowercase().starts_with("c/o") {
            co.to_string()
        } else {
            format!("c/o {co}")
        };
        col.line(items, body, &co, "buyer.co_address")?;
    }
    for (value, field) in [
        (&b.address_line, "buyer.address_line"),
        (&b.address_line_2, "buyer.address_line_2"),
    ] {
        if let Some(v) = value.as_deref() {
            col.line(items, body, v, field)?;
        }
    }
    if let Some(p) = postal(b.postal_code.as_deref(), b.postal_place.as_deref()) {
        col.line(items, body, &p, "buyer.postal_place")?;
    }
    if let Some(c) = b.country.filter(|c| *c != ctx.seller.country) {
        col.line(items, body, c.code(), "buyer.country")?;
    }
    if ctx.inv.kind == CustomerKind::Business
        && let Some(org) = &b.org_number
    {
        col.h += body.size * 0.35;
        let text = format!("{} {}", buyer_org_label(ctx, org), org);
        col.line(items, body, &text, "buyer.organization_number")?;
    }
    Ok(col.h)
}

/// "Y-tunnus" for a Finnish business id, else the locale's "Org.nr".
fn buyer_org_label<'l>(ctx: &'l Ctx, org: &OrgNumber) -> &'l str {
    match org.country() {
        Country::Fi => &ctx.l.business_id_fi,
        _ => &ctx.l.org_number,
    }
}

/// The invoice facts: number, dates, references. Returns the height.
fn meta_block(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let inv = ctx.inv;
    let l = ctx.l;
    let mut rows: Vec<(&str, String, TextRole, &str)> = vec![
        (
            &l.invoice_number,
            inv.invoice_number.clone(),
            TextRole::InvoiceNumber,
            "invoice_number",
        ),
        (
            &l.invoice_date,
            ctx.loc.format_date(inv.issue_date),
            TextRole::Plain,
            "issue_date",
        ),
        (
            &l.due_date,
            ctx.loc.format_date(inv.due_date),
            TextRole::DueDate,
            "due_date",
        ),
    ];
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
        .map(|(label, ..)| text::width(label_font.face, label_font.size, label))
        .fold(0.0f32, f32::max)
        + value_font.size * 1.3;
    let label_w = label_w.min(w * 0.55);
    let value_x = x + label_w;
    let value_w = w - label_w;
    let mut h = 0.0;
    for (label, value, role, field) in rows {
        let top = y + h;
        let label_h = ctx.paragraph(
            items,
            x,
            top,
            label_w - value_font.size * 0.5,
            label_font,
            label,
            "label",
        )?;
        let vf = if role == TextRole::InvoiceNumber {
            value_font.with_face(FontFace::Bold)
        } else {
            value_font
        };
        let value_h = if role == TextRole::Plain {
            ctx.paragraph(items, value_x, top, value_w, vf, &value, field)?
        } else {
            let face = text::face_for(vf.face, &value, field)?;
            let size = text::fit_size(face, vf.size, &value, value_w);
            ctx.run(items, value_x, top, vf.with_size(size), &value, role, field)?;
            ctx.lh(vf.size)
        };
        h += label_h.max(value_h);
    }
    Ok(h)
}

/// The amount to pay and the due date in a tinted box. Returns the height.
fn callout(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let fill = ctx.fill(ctx.t.header.callout_fill);
    let pad = mm(4.0);
    let mut inner = Vec::new();
    let (ix, iw) = (x + pad, w - 2.0 * pad);
    let mut h = pad;
    let totals = &ctx.inv.totals;
    let cur = ctx.inv.currency;
    let paid = totals.to_pay <= Money::ZERO;
    let label = ctx.body().with_color(ctx.muted);
    let title = if paid {
        &ctx.l.paid_in_full
    } else {
        &ctx.l.to_pay
    };
    let title_font = if paid {
        ctx.body().with_face(FontFace::Bold).with_color(ctx.accent)
    } else {
        label
    };
    h += ctx.paragraph(&mut inner, ix, y + h, iw, title_font, title, "label")?;
    let amount = ctx.loc.format_money(totals.to_pay, cur);
    let big = Font {
        face: FontFace::Bold,
        size: text::fit_size(FontFace::Bold, ctx.t.text.to_pay * 1.5, &amount, iw),
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
    let due = ctx.loc.format_date(ctx.inv.due_date);
    let lw = ctx.run(
        &mut inner,
        ix,
        y + h,
        label,
        &ctx.l.due_date,
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

/// Draws the first page's header; returns the y where the line table may start.
pub(crate) fn first_page(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    images: &mut Vec<Raster>,
) -> Result<f32, LayoutError> {
    let t = ctx.t;
    let y = ctx.top;
    // Row A: logo (or the seller's name as a word mark) and the title.
    let mut logo_h = 0.0;
    let mut word_mark = false;
    if t.header.logo
        && let Some(logo) = &ctx.brand.logo
    {
        let max = (mm(t.header.logo_max_width), mm(t.header.logo_max_height));
        logo_h = logo::draw(logo, items, images, (ctx.left, y), max)?.1;
    }
    if logo_h == 0.0 {
        let font = Font {
            face: FontFace::Bold,
            size: t.text.title * 0.6,
            color: ctx.text,
        };
        let max_w = ctx.width * 0.55;
        let size = text::fit_size(FontFace::Bold, font.size, &ctx.seller.name, max_w);
        let base = y + ctx.cap * t.text.title;
        ctx.run_at(
            items,
            ctx.left,
            base,
            font.with_size(size),
            &ctx.seller.name,
            TextRole::Plain,
            "seller.name",
        )?;
        logo_h = ctx.cap * t.text.title;
        word_mark = true;
    }
    let title = if t.header.title_uppercase {
        ctx.l.invoice.to_uppercase()
    } else {
        ctx.l.invoice.clone()
    };
    let title_font = Font {
        face: FontFace::Bold,
        size: t.text.title,
        color: t
            .header
            .title_color
            .resolve(ctx.accent, crate::color::Rgb::WHITE),
    };
    let face = text::face_for(FontFace::Bold, &title, "label invoice")?;
    let tw = text::width(face, title_font.size, &title);
    let title_base = y + ctx.cap * t.text.title;
    ctx.run_at(
        items,
        ctx.right - tw,
        title_base,
        title_font,
        &title,
        TextRole::Plain,
        "label",
    )?;
    let row_a = logo_h.max(ctx.cap * t.text.title);
    let mut y = y
        + row_a
        + mm(match (t.header.parties, word_mark) {
            (Parties::Stacked, false) => 8.0,
            (Parties::Stacked, true) => 4.0,
            (Parties::Columns, _) => 6.0,
        });

    match t.header.parties {
        Parties::Stacked => {
            let w1 = ctx.width * 0.5;
            let x2 = ctx.left + ctx.width * 0.56;
            let w2 = ctx.right - x2;
            let hs = seller_block(ctx, items, (ctx.left, y, w1), false, !word_mark)?;
            let hm = meta_block(ctx, items, (x2, y, w2))?;
            y += hs.max(hm) + mm(7.0);
            let hb = buyer_block(ctx, items, (ctx.left, y, w1))?;
            let hc = if t.header.callout {
                callout(ctx, items, (x2, y, w2))?
            } else {
                0.0
            };
            y += hb.max(hc);
        }
        Parties::Columns => {
            let gap = mm(4.0);
            let w = (ctx.width - 2.0 * gap) / 3.0;
            let x2 = ctx.left + w + gap;
            let x3 = x2 + w + gap;
            let hb = buyer_block(ctx, items, (ctx.left, y, w))?;
            let hs = seller_block(ctx, items, (x2, y, w), true, true)?;
            // The facts start level with the first line under the headings.
            let dy = ctx.lh(t.text.heading) + t.text.heading * 0.3;
            let hm = meta_block(ctx, items, (x3, y + dy, w))? + dy;
            let hc = if t.header.callout {
                callout(ctx, items, (x3, y + hm + mm(3.0), w))? + mm(3.0)
            } else {
                0.0
            };
            y += hb.max(hs).max(hm + hc);
        }
    }
    Ok(y + mm(8.0))
}

/// The header of a continuation page; returns the y where content may start.
pub(crate) fn continuation(ctx: &Ctx, items: &mut Vec<Item>) -> Result<f32, LayoutError> {
    let y = ctx.top;
    let body = ctx.body();
    let bold = body.with_face(FontFace::Bold);
    let mut x = ctx.left;
    x += ctx.run(items, x, y, bold, &ctx.l.invoice, TextRole::Plain, "label")?;
    x += bold.size * 0.35;
    x += ctx.run(
        items,
        x,
        y,
        bold,
        &ctx.inv.invoice_number,
        TextRole::InvoiceNumber,
        "invoice_number",
    )?;
    x += bold.size * 0.35;
    let cont = format!("({})", ctx.l.continued);
    ctx.run(
        items,
        x,
        y,
        body.with_color(ctx.muted),
        &cont,
        TextRole::Plain,
        "label",
    )?;
    ctx.run_right(
        items,
        ctx.right,
        y,
        body.with_color(ctx.muted),
        &ctx.seller.name,
        TextRole::Plain,
        "seller.name",
    )?;
    let y = y + ctx.lh(body.size) + mm(1.5);
    hline(items, ctx.left, ctx.right, y, ctx.rule, 0.6);
    Ok(y + mm(5.0))
}

/// The footer text lines (brand footer, seller line) and their fonts.
fn footer_lines(ctx: &Ctx) -> Vec<(Vec<String>, Font, &'static str)> {
    let mut out = Vec::new();
    let small = ctx.small();
    if ctx.t.footer.text
        && let Some(f) = ctx
            .brand
            .invoice
            .footer
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
    {
        out.push((
            vec![f.to_string()],
            small.with_color(ctx.text).with_face(FontFace::Bold),
            "brand footer",
        ));
    }
    if ctx.t.footer.seller_line {
        let s = ctx.seller;
        let mut parts = vec![s.name.clone()];
        let addr: Vec<String> = [
            s.address_line.as_deref().map(str::to_string),
            postal(s.postal_code.as_deref(), s.postal_place.as_deref()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !addr.is_empty() {
            parts.push(addr.join(", "));
        }
        parts.extend(seller_legal(ctx));
        for v in [&s.email, &s.phone, &s.website] {
            if let Some(v) = v.as_deref() {
                parts.push(v.to_string());
            }
        }
        out.push((parts, small, "seller"));
    }
    out
}

/// Between the parts of the footer's seller line.
const FOOTER_SEP: &str = "  ·  ";

/// The widest page label, to reserve its room on every page.
fn page_label_width(ctx: &Ctx, pages: usize) -> f32 {
    let s = ctx.small();
    text::width(s.face, s.size, &ctx.l.page_of(pages, pages))
}

/// The footer's height (from its top rule to the bottom margin).
pub(crate) fn footer_height(ctx: &Ctx) -> Result<f32, LayoutError> {
    let mut scratch = Vec::new();
    footer(ctx, &mut scratch, 999, 999)
}

/// Draws the footer of page `n` of `m`; returns its height.
pub(crate) fn footer(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    n: usize,
    m: usize,
) -> Result<f32, LayoutError> {
    let small = ctx.small();
    let label = ctx.l.page_of(n, m);
    let reserve = page_label_width(ctx, m.max(99)) + mm(6.0);
    let text_w = ctx.width - reserve;
    // Wrap first (between the parts of a line where possible), then draw
    // from the bottom margin up.
    let mut wrapped = Vec::new();
    for (parts, font, field) in footer_lines(ctx) {
        let mut face = font.face;
        for part in &parts {
            face = text::face_for(face, part, field)?;
        }
        for line in text::wrap_parts(face, font.size, &parts, FOOTER_SEP, text_w) {
            wrapped.push((line, font.with_face(face)));
        }
    }
    let content_h: f32 = wrapped
        .iter()
        .map(|(_, f)| ctx.lh(f.size))
        .sum::<f32>()
        .max(ctx.lh(small.size));
    let gap = mm(2.5);
    let bottom = ctx.page_h - mm(ctx.t.page.margin_bottom);
    let top = bottom - content_h;
    if ctx.t.footer.rule {
        hline(items, ctx.left, ctx.right, top - gap, ctx.rule, 0.6);
    }
    let mut y = top;
    for (line, font) in &wrapped {
        ctx.run(items, ctx.left, y, *font, line, TextRole::Plain, "footer")?;
        y += ctx.lh(font.size);
    }
    ctx.run_right(
        items,
        ctx.right,
        top,
        small,
        &label,
        TextRole::Plain,
        "label",
    )?;
    Ok(content_h + gap)
}
