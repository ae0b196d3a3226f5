//! The parties: the seller's block (name, address, legal lines, contact) and
//! the buyer's (name, address, organisation number, reference).
//!
//! Structure: each block is a section, its heading a heading 2 and each of
//! its lines a paragraph (one, however it wraps).

use super::document::{Item, Role};
use super::text::Font;
use super::{Ctx, LayoutError, group};
use crate::country::Country;
use crate::font::FontFace;
use crate::payment::OrgNumber;
use crate::verify::invoice::{CustomerKind, LegalLine};

/// The seller's legal lines (decided by `verify`), labelled in the locale.
pub(crate) fn seller_legal(ctx: &Ctx) -> Vec<String> {
    let l = ctx.labels;
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
pub(super) fn postal(code: Option<&str>, place: Option<&str>) -> Option<String> {
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
        self.h += group(items, Role::Paragraph, |items| {
            self.ctx
                .paragraph(items, self.x, self.y + self.h, self.w, font, text, field)
        })?;
        Ok(())
    }

    fn heading(&mut self, items: &mut Vec<Item>, text: &str) -> Result<(), LayoutError> {
        let font = self.ctx.heading();
        let text = text.to_uppercase();
        if !text.trim().is_empty() {
            self.h += group(items, Role::Heading(2), |items| {
                self.ctx
                    .paragraph(items, self.x, self.y + self.h, self.w, font, &text, "label")
            })?;
        }
        self.h += font.size * 0.3;
        Ok(())
    }
}

pub(super) fn seller_block(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
    heading: bool,
    name: bool,
) -> Result<f32, LayoutError> {
    group(items, Role::Section, |items| {
        seller_lines(ctx, items, (x, y, w), heading, name)
    })
}

fn seller_lines(
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
        col.heading(items, &ctx.labels.seller_heading)?;
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

pub(super) fn buyer_block(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    area: (f32, f32, f32),
) -> Result<f32, LayoutError> {
    group(items, Role::Section, |items| buyer_lines(ctx, items, area))
}

fn buyer_lines(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, y, w): (f32, f32, f32),
) -> Result<f32, LayoutError> {
    let b = &ctx.invoice.buyer;
    let mut col = Column {
        ctx,
        x,
        y,
        w,
        h: 0.0,
    };
    col.heading(items, &ctx.labels.buyer_heading)?;
    let body = ctx.body();
    let big = body.with_face(FontFace::Bold).with_size(body.size * 1.1);
    col.line(items, big, &b.display_name(), "buyer.name")?;
    if b.business_name.is_some()
        && let Some(person) = b.person_name()
    {
        col.line(
            items,
            body,
            &format!("{} {person}", ctx.labels.attention),
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
    if ctx.invoice.kind == CustomerKind::Business
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
        Country::Fi => &ctx.labels.business_id_fi,
        _ => &ctx.labels.org_number,
    }
}
