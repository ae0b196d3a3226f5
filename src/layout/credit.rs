//! Credit notes: the same page as the invoice (header, parties, line table,
//! VAT summary, footer) with the credit note's own title, facts and totals,
//! and a notice that nothing is to be paid in place of the payment block.
//!
//! [`layout_credit`] draws a [`VerifiedCreditNote`]. The table and the VAT
//! summary draw the credit note *as shown*: an invoice view whose lines, VAT
//! per rate and totals are the credited amounts negated (a rate share is
//! described "Kreditering av faktura {number}" in the document's language).
//! That view never leaves this module; the blocks that differ ask
//! [`Ctx::credit`] and call the functions here:
//!
//! - the title (Kreditnota / Kreditfaktura / Hyvityslasku / Credit note) and
//!   the continuation header carry the credit note's number
//!   ([`TextRole::CreditNumber`]);
//! - the facts: the credit note's number and date, the credited invoice's
//!   number ([`TextRole::InvoiceNumber`]) and date, the references;
//! - under the header, "Krediterer faktura {number} av {date}";
//! - the totals: net and VAT credited, and the total credited
//!   ([`TextRole::Total`]), all negative;
//! - no payment block, reference, account or code: a notice says that nothing
//!   is to be paid and that a payment already made is returned by the payee
//!   (Kravia).

use super::document::{self, Document, Item, TextRole};
use super::text::{self, Font};
use super::{Block, Ctx, LayoutError, hline, mm, pagination, rect, round_document};
use crate::brand::Brand;
use crate::font::FontFace;
use crate::locale::Locale;
use crate::money::Money;
use crate::template::{CreditLabels, Template};
use crate::verify::PaymentCodes;
use crate::verify::credit::{CreditLine, Credits, VerifiedCreditNote};
use crate::verify::invoice::{Line, LineKind, Totals, VatSummary, VerifiedInvoice};

/// The credit note a [`Ctx`] draws, with its labels.
#[derive(Clone, Copy)]
pub(crate) struct Credit<'a> {
    /// The credit note.
    pub note: &'a VerifiedCreditNote,
    /// Its labels in the document's language.
    pub labels: &'static CreditLabels,
}

/// Lays out `note` on A4 pages with `template`, in `locale`.
///
/// Pure: the same arguments give the same [`Document`].
///
/// # Errors
///
/// As [`layout`](super::layout): a character without a glyph, a block that
/// does not fit.
pub fn layout_credit(
    note: &VerifiedCreditNote,
    brand: &Brand,
    template: &Template,
    locale: Locale,
) -> Result<Document, LayoutError> {
    let labels = CreditLabels::get(locale)?;
    let shown = shown(note, labels);
    let credit = Credit { note, labels };
    let ctx = Ctx::new(&shown, brand, template, locale, Some(credit))?;
    let mut doc = pagination::paginate(&ctx)?;
    doc.metadata = document::Metadata {
        title: note.credit_number.clone(),
        author: ctx.seller.name.clone(),
        subject: format!(
            "{} {} ({})",
            labels.title,
            note.credit_number,
            labels.credits_invoice(
                &note.invoice.invoice_number,
                &locale.format_date(note.invoice.issue_date)
            )
        ),
        created_unix: note
            .issue_date
            .and_hms_opt(0, 0, 0)
            .map_or(0, |d| d.and_utc().timestamp()),
        ident: format!("{} {}", ctx.seller.org_number.digits(), note.credit_number),
        lang: locale.code().to_string(),
    };
    round_document(&mut doc);
    Ok(doc)
}

/// The credit note as the table and the VAT summary draw it: the credited
/// invoice with the credited lines, VAT and totals negated, nothing paid or
/// to pay, no discounts or payment codes.
fn shown(note: &VerifiedCreditNote, labels: &CreditLabels) -> VerifiedInvoice {
    let mut inv = note.invoice.clone();
    let number = inv.invoice_number.clone();
    inv.lines = note
        .lines
        .iter()
        .map(|l| shown_line(l, labels, &number))
        .collect();
    inv.vat = note
        .vat
        .iter()
        .map(|v| VatSummary {
            rate: v.rate,
            net: -v.net,
            vat: -v.vat,
            gross: -v.gross,
        })
        .collect();
    inv.totals = Totals {
        net: -note.totals.net,
        vat: -note.totals.vat,
        gross: -note.totals.gross,
        paid: Money::ZERO,
        to_pay: Money::ZERO,
    };
    inv.order_discounts = Vec::new();
    inv.codes = PaymentCodes::default();
    inv
}

fn shown_line(l: &CreditLine, labels: &CreditLabels, number: &str) -> Line {
    let (line_id, kind) = match &l.credits {
        Credits::Line { line_id, line_kind } => (line_id.clone(), *line_kind),
        Credits::RateShare => (format!("vat-{}", l.vat_rate), LineKind::Item),
    };
    Line {
        line_id,
        kind,
        item_id: l.item_id.clone(),
        description: l
            .description
            .clone()
            .unwrap_or_else(|| labels.line_description(number)),
        quantity: l.quantity,
        vat_rate: l.vat_rate,
        amount: -l.amount,
        vat_amount: -l.vat_amount,
        net: -l.net,
        unit_price_net: -l.unit_price_net,
        unit_price_gross: -l.unit_price_gross,
        gross_before_discount: None,
        discounts: Vec::new(),
    }
}

impl Ctx<'_> {
    /// The document's title: "Faktura", or the credit note's "Kreditnota".
    pub(crate) fn title(&self) -> &str {
        match &self.credit {
            Some(c) => &c.labels.title,
            None => &self.labels.invoice,
        }
    }

    /// The document's number and its role (for the continuation header).
    pub(crate) fn number(&self) -> (&str, TextRole) {
        match &self.credit {
            Some(c) => (&c.note.credit_number, TextRole::CreditNumber),
            None => (&self.invoice.invoice_number, TextRole::InvoiceNumber),
        }
    }
}

/// One row of the facts block: label, value, role, field.
pub(crate) type FactRow<'l> = (&'l str, String, TextRole, &'static str);

/// The credit note's facts: its number and date, the credited invoice's
/// number and date (the references follow, as on the invoice).
pub(crate) fn fact_rows<'l>(ctx: &'l Ctx, c: &Credit<'l>) -> Vec<FactRow<'l>> {
    let note = c.note;
    vec![
        (
            c.labels.credit_number.as_str(),
            note.credit_number.clone(),
            TextRole::CreditNumber,
            "credit_number",
        ),
        (
            c.labels.credit_date.as_str(),
            ctx.locale.format_date(note.issue_date),
            TextRole::Plain,
            "credit_date",
        ),
        (
            c.labels.credited_invoice.as_str(),
            note.invoice.invoice_number.clone(),
            TextRole::InvoiceNumber,
            "invoice_number",
        ),
        (
            c.labels.credited_invoice_date.as_str(),
            ctx.locale.format_date(note.invoice.issue_date),
            TextRole::Plain,
            "invoice.issue_date",
        ),
    ]
}

/// "Krediterer faktura {number} av {date}" across the page under the header;
/// returns the y below it.
pub(crate) fn reference_line(
    ctx: &Ctx,
    c: &Credit,
    items: &mut Vec<Item>,
    y: f32,
) -> Result<f32, LayoutError> {
    let inv = &c.note.invoice;
    let text = c
        .labels
        .credits_invoice(&inv.invoice_number, &ctx.locale.format_date(inv.issue_date));
    let font = ctx
        .body()
        .with_face(FontFace::Bold)
        .with_size(ctx.template.text.body * 1.15);
    let h = ctx.paragraph(
        items,
        ctx.left,
        y,
        ctx.width,
        font,
        &text,
        "credits_invoice",
    )?;
    Ok(y + h + mm(4.0))
}

/// The callout of the credit note: the amount credited and that nothing is
/// to be paid, in the invoice callout's box. Returns the height.
pub(crate) fn callout(
    ctx: &Ctx,
    c: &Credit,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let fill = ctx.fill(ctx.template.header.callout_fill);
    let pad = mm(4.0);
    let mut inner = Vec::new();
    let (ix, iw) = (x + pad, w - 2.0 * pad);
    let mut h = pad;
    let label = ctx.body().with_color(ctx.muted);
    h += ctx.paragraph(
        &mut inner,
        ix,
        y + h,
        iw,
        label,
        &c.labels.amount_credited,
        "label",
    )?;
    let amount = ctx
        .locale
        .format_money(-c.note.totals.gross, ctx.invoice.currency);
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
        TextRole::Total,
        "totals.gross",
    )?;
    h += ctx.lh(big.size);
    let f = ctx.body().with_face(FontFace::Bold).with_color(ctx.accent);
    h += ctx.paragraph(
        &mut inner,
        ix,
        y + h,
        iw,
        f,
        &c.labels.nothing_to_pay,
        "label",
    )?;
    h += pad;
    if fill.is_some() {
        rect(items, (x, y, w, h), fill, None);
    } else {
        rect(items, (x, y, w, h), None, Some((ctx.rule, 0.75)));
    }
    rect(items, (x, y, mm(1.2), h), Some(ctx.accent), None);
    items.append(&mut inner);
    Ok(h)
}

/// The totals of the credit note, right of the VAT summary: net and VAT
/// credited, and the total credited in the to-pay box's place. Returns the
/// height.
pub(crate) fn totals(
    ctx: &Ctx,
    c: &Credit,
    items: &mut Vec<Item>,
    x: f32,
    w: f32,
) -> Result<f32, LayoutError> {
    let t = &c.note.totals;
    let cur = ctx.invoice.currency;
    let loc = ctx.locale;
    let font = Font {
        face: FontFace::Regular,
        size: ctx.template.text.totals,
        color: ctx.text,
    };
    let label = font.with_color(ctx.muted);
    let lh = ctx.lh(font.size);
    let right = x + w;
    let head = ctx.heading();
    // Level with the VAT summary's first row.
    let mut y = ctx.lh(head.size) + head.size * 0.3 + ctx.lh(ctx.template.text.small) + 1.5;
    for (l, m, field) in [
        (&ctx.labels.total_net, t.net, "totals.net"),
        (&ctx.labels.total_vat, t.vat, "totals.vat"),
    ] {
        ctx.run(items, x, y, label, l, TextRole::Plain, "label")?;
        ctx.run_right(
            items,
            right,
            y,
            font,
            &loc.format_money(-m, cur),
            TextRole::Plain,
            field,
        )?;
        y += lh;
    }
    y += mm(1.5);
    let big = Font {
        face: FontFace::Bold,
        size: ctx.template.text.to_pay,
        color: ctx.text,
    };
    let amount = loc.format_money(-t.gross, cur);
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
    let size = text::fit_size(ctx.fonts, FontFace::Bold, big.size, &amount, w * 0.55);
    ctx.run(
        items,
        x,
        ty,
        big,
        &c.labels.total_credited,
        TextRole::Plain,
        "label",
    )?;
    ctx.run_right(
        items,
        right - pad * 0.5,
        ty,
        big.with_size(size),
        &amount,
        TextRole::Total,
        "totals.gross",
    )?;
    Ok(y + bh)
}

/// In place of the payment block: nothing is to be paid, and a payment
/// already made is returned by the payee.
pub(crate) fn notice(ctx: &Ctx, c: &Credit) -> Result<Block, LayoutError> {
    let pad = mm(4.0);
    let inner_w = ctx.width - 2.0 * pad;
    let mut items = Vec::new();
    let mut y = pad;
    let head = ctx.heading().with_color(ctx.accent);
    ctx.run(
        &mut items,
        pad,
        y,
        head,
        &c.labels.nothing_to_pay_heading.to_uppercase(),
        TextRole::Plain,
        "label",
    )?;
    y += ctx.lh(head.size) + mm(1.0);
    let bold = ctx.body().with_face(FontFace::Bold);
    y += ctx.paragraph(
        &mut items,
        pad,
        y,
        inner_w,
        bold,
        &c.labels.nothing_to_pay,
        "label",
    )?;
    let returned = c.labels.payment_returned(
        &c.note.invoice.invoice_number,
        &c.note.invoice.payment.payee_name,
    );
    y += ctx.paragraph(
        &mut items,
        pad,
        y,
        inner_w,
        ctx.body(),
        &returned,
        "payment_returned",
    )?;
    y += pad;
    let frame = ctx.fill(ctx.template.payment.frame);
    let fill = ctx.fill(ctx.template.payment.fill);
    let mut out = Vec::with_capacity(items.len() + 1);
    if frame.is_some() || fill.is_some() {
        rect(
            &mut out,
            (0.0, 0.0, ctx.width, y),
            fill,
            frame.map(|c| (c, 0.9)),
        );
    }
    out.append(&mut items);
    Ok(Block {
        items: out,
        height: y,
    })
}
