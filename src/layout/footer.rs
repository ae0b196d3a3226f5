//! The footer of every page: the brand's footer text, the seller line and
//! "page n of m".
//!
//! Structure: the page number is a pagination artifact on every page. The
//! footer text is read once: on the last page it is a section (a paragraph
//! per footer line, however it wraps), after the payment block; on the pages
//! before, it is a running footer, a pagination artifact.

use super::document::{Artifact, Item, Role, TextRole};
use super::text::{self, Font};
use super::{Ctx, LayoutError, group, hline, mm};
use crate::font::FontFace;

use super::parties::{postal, seller_legal};

/// The footer text lines (brand footer, seller line) and their fonts.
fn footer_lines(ctx: &Ctx) -> Vec<(Vec<String>, Font, &'static str)> {
    let mut out = Vec::new();
    let small = ctx.small();
    if ctx.template.footer.text
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
    if ctx.template.footer.seller_line {
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
    text::width(ctx.fonts, s.face, s.size, &ctx.labels.page_of(pages, pages))
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
    let label = ctx.labels.page_of(n, m);
    let reserve = page_label_width(ctx, m.max(99)) + mm(6.0);
    let text_w = ctx.width - reserve;
    // Wrap first (between the parts of a line where possible), then draw
    // from the bottom margin up.
    let mut wrapped = Vec::new();
    for (k, (parts, font, field)) in footer_lines(ctx).into_iter().enumerate() {
        let mut face = font.face;
        for part in &parts {
            face = text::face_for(face, part, field)?;
        }
        for line in text::wrap_parts(ctx.fonts, face, font.size, &parts, FOOTER_SEP, text_w) {
            wrapped.push((line, font.with_face(face), k));
        }
    }
    let content_h: f32 = wrapped
        .iter()
        .map(|(_, f, _)| ctx.lh(f.size))
        .sum::<f32>()
        .max(ctx.lh(small.size));
    let gap = mm(2.5);
    let bottom = ctx.page_h - mm(ctx.template.page.margin_bottom);
    let top = bottom - content_h;
    if ctx.template.footer.rule {
        hline(items, ctx.left, ctx.right, top - gap, ctx.rule, 0.6);
    }
    let mut y = top;
    let role = if n < m {
        Role::Artifact(Artifact::Pagination)
    } else {
        Role::Section
    };
    group(items, role, |items| {
        let mut paragraph = None;
        for (line, font, k) in &wrapped {
            if paragraph != Some(*k) {
                if paragraph.is_some() {
                    items.push(Item::End);
                }
                items.push(Item::Begin(Role::Paragraph));
                paragraph = Some(*k);
            }
            ctx.run(items, ctx.left, y, *font, line, TextRole::Plain, "footer")?;
            y += ctx.lh(font.size);
        }
        if paragraph.is_some() {
            items.push(Item::End);
        }
        Ok::<_, LayoutError>(())
    })?;
    group(items, Role::Artifact(Artifact::Pagination), |items| {
        ctx.run_right(
            items,
            ctx.right,
            top,
            small,
            &label,
            TextRole::Plain,
            "label",
        )
    })?;
    Ok(content_h + gap)
}
