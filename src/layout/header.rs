//! The first page's header (logo, title, the parties and the facts side by
//! side or stacked, the amount-to-pay callout), the slimmer header of
//! continuation pages, and the accent band.
//!
//! Structure: the first page's header is a section holding the logo (a
//! figure named after the seller), the title (heading 1), the parties and the
//! facts; a continuation page's header repeats what page 1 said, so it is a
//! pagination artifact.

use super::document::{Artifact, Item, Role, TextRole};
use super::text::{self, Font};
use super::{Ctx, LayoutError, group, hline, logo, mm, rect};
use crate::font::FontFace;
use crate::logo::Raster;
use crate::template::Parties;

use super::facts::{callout, meta_block};
use super::parties::{buyer_block, seller_block};

/// The accent band across the top of a page, if the template has one.
pub(crate) fn band(ctx: &Ctx, items: &mut Vec<Item>) {
    let h = mm(ctx.template.header.band);
    if h > 0.0 {
        let fill = ctx
            .template
            .header
            .band_color
            .resolve(ctx.accent, ctx.accent);
        rect(items, (0.0, 0.0, ctx.page_w, h), Some(fill), None);
    }
}

/// Draws the first page's header; returns the y where the line table may start.
pub(crate) fn first_page(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    images: &mut Vec<Raster>,
) -> Result<f32, LayoutError> {
    group(items, Role::Section, |items| header(ctx, items, images))
}

fn header(ctx: &Ctx, items: &mut Vec<Item>, images: &mut Vec<Raster>) -> Result<f32, LayoutError> {
    let t = ctx.template;
    let y = ctx.top;
    // Row A: logo (or the seller's name as a word mark) and the title.
    let mut logo_h = 0.0;
    let mut word_mark = false;
    if t.header.logo
        && let Some(logo) = &ctx.brand.logo
    {
        let max = (mm(t.header.logo_max_width), mm(t.header.logo_max_height));
        let start = items.len();
        items.push(Item::Begin(Role::Figure(ctx.seller.name.clone())));
        logo_h = logo::draw(logo, items, images, (ctx.left, y), max)?.1;
        if items.len() == start + 1 {
            items.truncate(start);
        } else {
            items.push(Item::End);
        }
    }
    if logo_h == 0.0 {
        let font = Font {
            face: FontFace::Bold,
            size: t.text.title * 0.6,
            color: ctx.text,
        };
        let max_w = ctx.width * 0.55;
        let size = text::fit_size(
            ctx.fonts,
            FontFace::Bold,
            font.size,
            &ctx.seller.name,
            max_w,
        );
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
        ctx.title().to_uppercase()
    } else {
        ctx.title().to_string()
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
    let tw = text::width(ctx.fonts, face, title_font.size, &title);
    let title_base = y + ctx.cap * t.text.title;
    group(items, Role::Heading(1), |items| {
        ctx.run_at(
            items,
            ctx.right - tw,
            title_base,
            title_font,
            &title,
            TextRole::Plain,
            "label",
        )
    })?;
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
    group(items, Role::Artifact(Artifact::Pagination), |items| {
        continuation_header(ctx, items)
    })
}

fn continuation_header(ctx: &Ctx, items: &mut Vec<Item>) -> Result<f32, LayoutError> {
    let y = ctx.top;
    let body = ctx.body();
    let bold = body.with_face(FontFace::Bold);
    let mut x = ctx.left;
    x += ctx.run(items, x, y, bold, ctx.title(), TextRole::Plain, "label")?;
    x += bold.size * 0.35;
    let (number, role) = ctx.number();
    x += ctx.run(items, x, y, bold, number, role, "invoice_number")?;
    x += bold.size * 0.35;
    let cont = format!("({})", ctx.labels.continued);
    x += ctx.run(
        items,
        x,
        y,
        body.with_color(ctx.muted),
        &cont,
        TextRole::Plain,
        "label",
    )?;
    // The seller's name at the right, smaller if need be; on a line of its
    // own when even that does not fit beside the rest.
    let name = &ctx.seller.name;
    let face = text::face_for(body.face, name, "seller.name")?;
    let beside = ctx.right - x - bold.size;
    let (top, room) = if text::width(ctx.fonts, face, body.size * 0.6, name) <= beside {
        (y, beside)
    } else {
        (y + ctx.lh(body.size), ctx.width)
    };
    let size = text::fit_size(ctx.fonts, face, body.size, name, room);
    ctx.run_right(
        items,
        ctx.right,
        top,
        body.with_color(ctx.muted).with_size(size),
        name,
        TextRole::Plain,
        "seller.name",
    )?;
    let y = top + ctx.lh(body.size) + mm(1.5);
    hline(items, ctx.left, ctx.right, y, ctx.rule, 0.6);
    Ok(y + mm(5.0))
}
