//! The payment block: how to pay, by currency, with the payment codes the
//! template asks for.
//!
//! - NOK: amount, due date, KID and account number large and clear, then IBAN,
//!   BIC and payee. No QR code (no Norwegian standard is in use).
//! - SEK: amount, due date, OCR number, the Bankgiro or Plusgiro number when
//!   the payment detail is one, else the IBAN; BIC, payee, and the Swedish
//!   payment QR code (UsingQR) when the template lists `se_qr`. A bank
//!   account's internal BBAN is never printed as an account number.
//! - EUR: amount, due date, reference (Finnish groups of five, or RF), IBAN,
//!   BIC (no domestic account number), payee, the EPC QR code (`epc_qr`, level M, 4-module quiet zone, at
//!   least 25 mm of modules) and, for a Finnish IBAN, the 54-digit virtual
//!   bank barcode as text and as Code 128 subset C bars (`fi_barcode`).
//!
//! Which codes the invoice carries is decided, and each code built, by
//! `verify` ([`PaymentCodes`](crate::verify::PaymentCodes)); this block draws
//! those the template lists, and nothing else.
//!
//! With nothing left to pay the block says the invoice is paid, keeps the
//! reference and the account, and draws no code.
//!
//! Structure: a section with its heading; each label with its value is a
//! paragraph; each code is a figure whose alternative text says what it
//! encodes, in the invoice's language ("EPC QR: Maksettava 131,49 EUR,
//! Saaja Kravia, …").

use super::document::{Item, Role, TextRole};
use super::text::{self, Font};
use super::{Block, Ctx, LayoutError, group, mm, rect};
use crate::color::Rgb;
use crate::font::FontFace;
use crate::money::{Currency, Money};
use crate::payment::code128::Bar;
use crate::payment::qr::QrMatrix;
use crate::template::PaymentCode;
use crate::verify::invoice::{Account, BankBarcode};

/// Quiet zone on each side of the Code 128 symbol, in X-dimensions (the
/// standard asks for at least 10).
const BARCODE_QUIET: f32 = 15.0;
/// Quiet zone around a QR code, in modules (ISO/IEC 18004).
const QR_QUIET: usize = 4;

/// One label-over-value cell of the grid.
struct Cell {
    label: String,
    value: String,
    role: TextRole,
    font: Font,
    field: &'static str,
}

/// The payment block at the origin, `ctx.width` wide.
pub(crate) fn block(ctx: &Ctx) -> Result<Block, LayoutError> {
    let inv = ctx.invoice;
    let p = &inv.payment;
    let cur = inv.currency;
    let paid = inv.totals.to_pay <= Money::ZERO;
    let codes = &ctx.template.payment.codes;
    let pad = mm(4.0);
    let inner_w = ctx.width - 2.0 * pad;
    let mut items = vec![Item::Begin(Role::Section)];

    // The codes verify built, where the template asks for them.
    let wants = |c: PaymentCode| codes.contains(&c);
    let qr = match cur {
        Currency::Eur if wants(PaymentCode::EpcQr) => inv.codes.epc_qr.as_ref(),
        Currency::Sek if wants(PaymentCode::SeQr) => inv.codes.se_qr.as_ref(),
        _ => None,
    }
    .map(|q| &q.matrix);
    let barcode = inv
        .codes
        .fi_barcode
        .as_ref()
        .filter(|_| wants(PaymentCode::FiBarcode));

    // QR geometry: at least 25 mm of modules, the template's size overall.
    let qr_geom = qr.as_ref().map(|m| {
        let n = m.size as f32;
        let total = mm(ctx.template.payment.qr_size);
        let module = (total / (n + 2.0 * QR_QUIET as f32)).max(mm(25.0) / n);
        (m, module, module * (n + 2.0 * QR_QUIET as f32))
    });
    let qr_w = qr_geom.map_or(0.0, |(_, _, side)| side + mm(4.0));

    let mut y = pad;
    let head = ctx.heading().with_color(ctx.accent);
    group(&mut items, Role::Heading(2), |items| {
        ctx.run(
            items,
            pad,
            y,
            head,
            &ctx.labels.payment_heading.to_uppercase(),
            TextRole::Plain,
            "label",
        )
    })?;
    y += ctx.lh(head.size) + mm(1.0);
    if paid {
        let f = ctx.body().with_face(FontFace::Bold).with_color(ctx.accent);
        y += group(&mut items, Role::Paragraph, |items| {
            ctx.paragraph(
                items,
                pad,
                y,
                inner_w - qr_w,
                f,
                &ctx.labels.paid_in_full,
                "label",
            )
        })?;
        y += group(&mut items, Role::Paragraph, |items| {
            ctx.paragraph(
                items,
                pad,
                y,
                inner_w - qr_w,
                ctx.small(),
                &ctx.labels.paid_in_full_note,
                "label",
            )
        })?;
        y += mm(2.0);
    }

    // The grid.
    let big = Font {
        face: FontFace::Bold,
        size: ctx.template.text.payment,
        color: ctx.text,
    };
    let mono = big.with_face(FontFace::Mono);
    let second = Font {
        face: FontFace::Regular,
        size: ctx.template.text.body * 1.1,
        color: ctx.text,
    };
    let second_mono = second.with_face(FontFace::Mono);
    let l = ctx.labels;
    let reference_label = match cur {
        Currency::Nok => &l.kid,
        Currency::Sek => &l.ocr,
        Currency::Eur => &l.reference,
    };
    let cell = |label: &str, value: String, role, font, field| Cell {
        label: label.to_string(),
        value,
        role,
        font,
        field,
    };
    let mut primary = vec![
        cell(
            &l.to_pay,
            ctx.locale.format_money(inv.totals.to_pay, cur),
            TextRole::AmountToPay,
            big,
            "totals.to_pay",
        ),
        cell(
            &l.due_date,
            ctx.locale.format_date(inv.due_date),
            TextRole::DueDate,
            big,
            "due_date",
        ),
        cell(
            reference_label,
            p.reference.to_string(),
            TextRole::Reference,
            mono,
            "payment.reference",
        ),
    ];
    let mut secondary = Vec::new();
    let account = p.account.as_ref().map(|a| {
        let font = if matches!(a, Account::No(_)) || cur != Currency::Eur {
            mono
        } else {
            second_mono
        };
        let label = match a {
            Account::Bankgiro(_) => &l.bankgiro,
            Account::Plusgiro(_) => &l.plusgiro,
            Account::No(_) | Account::Other(_) => &l.account_number,
        };
        cell(
            label,
            a.to_string(),
            TextRole::Account,
            font,
            "payment.account",
        )
    });
    let iban = p
        .iban
        .as_ref()
        .map(|i| (i.to_string(), i.electronic().to_string()));
    let iban_cell = |font| {
        iban.as_ref().map(|(printed, _)| {
            cell(
                &l.iban,
                printed.clone(),
                TextRole::Iban,
                font,
                "payment.iban",
            )
        })
    };
    let bic = p.bic.as_ref().map(|b| {
        cell(
            &l.bic,
            b.to_string(),
            TextRole::Plain,
            second_mono,
            "payment.bic",
        )
    });
    // EUR payers key in the IBAN, so it leads; NOK leads with the account
    // number and SEK with the Bankgiro or Plusgiro number when there is one.
    // A Swedish or Finnish bank account is printed as its IBAN only (verify
    // leaves no national account for it).
    match (cur, account) {
        (Currency::Nok | Currency::Sek, Some(account)) => {
            primary.push(account);
            secondary.extend(iban_cell(second_mono));
            secondary.extend(bic);
        }
        (_, account) => {
            primary.extend(iban_cell(mono));
            secondary.extend(bic);
            secondary.extend(account);
        }
    }
    secondary.push(cell(
        &l.payee,
        p.payee_name.clone(),
        TextRole::Plain,
        second,
        "payment.payee_name",
    ));

    let grid_w = inner_w - qr_w;
    y += grid(ctx, &mut items, (pad, y, grid_w), &primary)?;
    y += mm(1.5);
    y += grid(ctx, &mut items, (pad, y, grid_w), &secondary)?;
    let note = l.payee_note.replace("{seller}", &ctx.seller.name);
    y += mm(1.0);
    y += group(&mut items, Role::Paragraph, |items| {
        ctx.paragraph(
            items,
            pad,
            y,
            grid_w,
            ctx.small(),
            &note,
            "label payee_note",
        )
    })?;

    // The QR code at the top right, with its caption.
    if let Some((m, module, side)) = qr_geom {
        let x = ctx.width - pad - side;
        let top = pad * 0.5;
        items.push(Item::Begin(Role::Figure(qr_alt(ctx))));
        draw_qr(&mut items, m, (x, top), module);
        items.push(Item::End);
        let small = ctx.small();
        let face = text::face_for(small.face, &l.scan_to_pay, "label")?;
        let cw = text::width(ctx.fonts, face, small.size, &l.scan_to_pay);
        // Below the quiet zone (ISO/IEC 18004: 4 modules free of any mark):
        // the caption's tallest glyph starts where the white square ends.
        let ascender = crate::font::fonts().face(face).ascender();
        let cap_base = top + side + ascender * small.size;
        ctx.run_at(
            &mut items,
            x + (side - cw) / 2.0,
            cap_base,
            small,
            &l.scan_to_pay,
            TextRole::Plain,
            "label",
        )?;
        y = y.max(cap_base + (ctx.lh(small.size) - ctx.cap * small.size) / 2.0);
    }

    // The Finnish bank barcode: digits, then bars, across the block.
    if let Some(BankBarcode { digits, bars }) = barcode {
        y += mm(3.0);
        let small = ctx.small();
        items.push(Item::Begin(Role::Paragraph));
        ctx.run(
            &mut items,
            pad,
            y,
            small,
            &l.virtual_barcode,
            TextRole::Plain,
            "label",
        )?;
        y += ctx.lh(small.size);
        let df = Font {
            face: FontFace::Mono,
            size: ctx.template.text.body,
            color: ctx.text,
        };
        let size = text::fit_size(ctx.fonts, FontFace::Mono, df.size, digits, inner_w);
        ctx.run(
            &mut items,
            pad,
            y,
            df.with_size(size),
            digits,
            TextRole::VirtualBarcode,
            "virtual barcode",
        )?;
        items.push(Item::End);
        y += ctx.lh(df.size) + mm(1.5);
        let alt = format!("{} (Code 128): {digits}", l.virtual_barcode);
        y += group(&mut items, Role::Figure(alt), |items| {
            draw_barcode(ctx, items, bars, (pad, y, inner_w))
        })?;
    }
    y += pad;
    items.push(Item::End);

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

/// Lays cells out left to right, wrapping to a new row when the width is used;
/// returns the height.
fn grid(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x0, y0, w): (f32, f32, f32),
    cells: &[Cell],
) -> Result<f32, LayoutError> {
    let label_font = ctx.small();
    let gap = mm(7.0);
    let (mut x, mut y, mut row_h) = (x0, y0, 0.0f32);
    for c in cells {
        let face = text::face_for(c.font.face, &c.value, c.field)?;
        let lface = text::face_for(label_font.face, &c.label, "label")?;
        let vw = text::width(ctx.fonts, face, c.font.size, &c.value);
        let lw = text::width(ctx.fonts, lface, label_font.size, &c.label);
        let cw = vw.max(lw).min(w);
        if x > x0 && x + cw > x0 + w {
            x = x0;
            y += row_h + mm(1.5);
            row_h = 0.0;
        }
        items.push(Item::Begin(Role::Paragraph));
        ctx.run(items, x, y, label_font, &c.label, TextRole::Plain, "label")?;
        let lh = ctx.lh(label_font.size);
        let size = text::fit_size(ctx.fonts, face, c.font.size, &c.value, w);
        ctx.run(
            items,
            x,
            y + lh,
            c.font.with_face(face).with_size(size),
            &c.value,
            c.role,
            c.field,
        )?;
        items.push(Item::End);
        row_h = row_h.max(lh + ctx.lh(c.font.size));
        x += cw + gap;
    }
    Ok(y + row_h - y0)
}

/// What the payment QR code of the invoice encodes, as its alternative text,
/// labelled in the invoice's language: the EPC QR code (EUR) carries the
/// amount, payee, IBAN and reference; the Swedish one (SEK) also the account
/// and the due date.
fn qr_alt(ctx: &Ctx) -> String {
    let inv = ctx.invoice;
    let p = &inv.payment;
    let l = ctx.labels;
    let cur = inv.currency;
    let mut parts = vec![
        format!(
            "{} {}",
            l.to_pay,
            ctx.locale.format_money(inv.totals.to_pay, cur)
        ),
        format!("{} {}", l.payee, p.payee_name),
    ];
    match (&p.iban, &p.account) {
        (Some(iban), _) => parts.push(format!("{} {iban}", l.iban)),
        (None, Some(account)) => parts.push(format!("{} {account}", l.account_number)),
        (None, None) => {}
    }
    let (name, reference_label) = match cur {
        Currency::Sek => ("QR (UsingQR)", &l.ocr),
        Currency::Eur => ("EPC QR", &l.reference),
        Currency::Nok => ("QR", &l.kid),
    };
    parts.push(format!("{reference_label} {}", p.reference));
    if cur == Currency::Sek {
        parts.push(format!(
            "{} {}",
            l.due_date,
            ctx.locale.format_date(inv.due_date)
        ));
    }
    format!("{name}: {}", parts.join(", "))
}

/// Draws a QR code with its quiet zone, top-left at `at`: a white square, then
/// one rectangle per horizontal run of dark modules.
fn draw_qr(items: &mut Vec<Item>, m: &QrMatrix, at: (f32, f32), module: f32) {
    let q = QR_QUIET as f32 * module;
    let side = module * (m.size + 2 * QR_QUIET) as f32;
    rect(items, (at.0, at.1, side, side), Some(Rgb::WHITE), None);
    for row in 0..m.size {
        let mut col = 0;
        while col < m.size {
            if !m.is_dark(col, row) {
                col += 1;
                continue;
            }
            let start = col;
            while col < m.size && m.is_dark(col, row) {
                col += 1;
            }
            let x = at.0 + q + start as f32 * module;
            let y = at.1 + q + row as f32 * module;
            rect(
                items,
                (x, y, (col - start) as f32 * module, module),
                Some(Rgb::BLACK),
                None,
            );
        }
    }
}

/// Draws Code 128 `bars` in `(x, y, w)` with their quiet zones; returns the height.
fn draw_barcode(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    bars: &[Bar],
    (x0, y0, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let modules: u32 = bars.iter().map(|b| u32::from(b.modules)).sum();
    let span = modules as f32 + 2.0 * BARCODE_QUIET;
    let mut x_dim = mm(ctx.template.payment.barcode_module);
    if span * x_dim > w {
        x_dim = w / span;
        if x_dim < mm(0.25) {
            return Err(LayoutError::DoesNotFit {
                what: "the Finnish bank barcode at 0.25 mm per module",
            });
        }
    }
    let h = mm(ctx.template.payment.barcode_height);
    // White behind the symbol and its quiet zones, in case the block is filled.
    rect(items, (x0, y0, span * x_dim, h), Some(Rgb::WHITE), None);
    let mut m = 0u32;
    for b in bars {
        if b.dark {
            let x = x0 + (BARCODE_QUIET + m as f32) * x_dim;
            rect(
                items,
                (x, y0, f32::from(b.modules) * x_dim, h),
                Some(Rgb::BLACK),
                None,
            );
        }
        m += u32::from(b.modules);
    }
    Ok(h)
}
