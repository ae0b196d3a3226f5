//! Putting the blocks on pages.
//!
//! The first page takes the header; rows of the line table follow and flow to
//! continuation pages, each starting with the slim header and the table header
//! again. A page that continues says so under its last row. The VAT summary,
//! totals and payment block are one unit: when it does not fit under the last
//! row it moves to a new page whole. Footers ("page N of M") are drawn last,
//! once the page count is known.
//!
//! Structure: the line table is one table from its first row to its last,
//! across pages; its header row on continuation pages and the "continues"
//! note are pagination artifacts.

use crate::template::PaymentPosition;

use super::document::{Artifact, Document, Item, Page, Pt, Role, TextRole};
use super::{
    Block, Ctx, LayoutError, credit, footer, group, header, hline, mm, payment_block, summary,
    table, translate,
};
use crate::logo::Raster;

/// Lays out the whole document (without metadata).
pub(crate) fn paginate(ctx: &Ctx) -> Result<Document, LayoutError> {
    let mut images: Vec<Raster> = Vec::new();
    let footer_h = footer::footer_height(ctx)?;
    // Content may go down to here.
    let bottom = ctx.page_h - mm(ctx.template.page.margin_bottom) - footer_h - mm(4.0);
    let note = ctx.small();
    let note_h = ctx.lh(note.size) + mm(1.5);

    let mut pages: Vec<Vec<Item>> = Vec::new();
    let mut page = Vec::with_capacity(256);
    header::band(ctx, &mut page);
    let mut y = header::first_page(ctx, &mut page, &mut images)?;
    if let Some(c) = &ctx.credit {
        y = credit::reference_line(ctx, c, &mut page, y)?;
    }

    // The height a continuation page offers below its header.
    let mut probe = Vec::new();
    let cont_top = header::continuation(ctx, &mut probe)?;

    let geometry = table::Geometry::new(ctx);
    let table_head = table::header(ctx, &geometry)?;
    let max_row = bottom - cont_top - table_head.height - note_h;
    if max_row < ctx.lh(ctx.template.text.table) * 3.0 {
        return Err(LayoutError::DoesNotFit {
            what: "the line table",
        });
    }
    let rows = table::rows(ctx, &geometry, max_row)?;

    let new_page = |pages: &mut Vec<Vec<Item>>, page: &mut Vec<Item>| -> Result<f32, LayoutError> {
        pages.push(std::mem::take(page));
        header::band(ctx, page);
        header::continuation(ctx, page)
    };
    let place = |page: &mut Vec<Item>, block: &Block, y: f32| {
        let mut items = block.items.clone();
        translate(&mut items, ctx.left, y);
        page.append(&mut items);
    };

    // The table header must not stand alone at the foot of a page.
    let first_h = rows.first().map_or(0.0, |r| r.height);
    if y + table_head.height + first_h > bottom - note_h {
        y = new_page(&mut pages, &mut page)?;
    }
    page.push(Item::Begin(Role::Table));
    place(&mut page, &table_head, y);
    page.push(Item::Begin(Role::TableBody));
    y += table_head.height;
    for row in &rows {
        if y + row.height > bottom - note_h {
            hline(&mut page, ctx.left, ctx.right, y, ctx.rule, 0.6);
            group(&mut page, Role::Artifact(Artifact::Pagination), |page| {
                ctx.run_right(
                    page,
                    ctx.right,
                    y + mm(1.5),
                    note,
                    &ctx.labels.continued_next,
                    TextRole::Plain,
                    "label",
                )
            })?;
            y = new_page(&mut pages, &mut page)?;
            page.push(Item::Begin(Role::Artifact(Artifact::Pagination)));
            place(&mut page, &table_head, y);
            page.push(Item::End);
            y += table_head.height;
        }
        place(&mut page, row, y);
        y += row.height;
    }
    page.push(Item::End);
    page.push(Item::End);
    hline(&mut page, ctx.left, ctx.right, y, ctx.rule, 0.6);

    // The summary and the payment block: one unit, never split.
    let sum = summary::block(ctx)?;
    // A credit note asks for no payment: a notice takes the block's place.
    let pay = match &ctx.credit {
        Some(c) => credit::notice(ctx, c)?,
        None => payment_block::block(ctx)?,
    };
    let gap_before = mm(6.0);
    let gap_between = mm(7.0);
    let unit_h = sum.height + gap_between + pay.height;
    if y + gap_before + unit_h > bottom {
        y = new_page(&mut pages, &mut page)?;
        if y + unit_h > bottom {
            return Err(LayoutError::DoesNotFit {
                what: "the totals and payment block",
            });
        }
    } else {
        y += gap_before;
    }
    place(&mut page, &sum, y);
    y += sum.height + gap_between;
    // On a roomy page the payment block may sit at the foot, where a paper
    // giro would be; it never leaves the page of the totals.
    let pay_y = match ctx.template.payment.position {
        PaymentPosition::Bottom => y.max(bottom - pay.height),
        PaymentPosition::AfterTotals => y,
    };
    place(&mut page, &pay, pay_y);
    pages.push(page);

    let m = pages.len();
    let mut out = Vec::with_capacity(m);
    for (i, mut items) in pages.into_iter().enumerate() {
        footer::footer(ctx, &mut items, i + 1, m)?;
        out.push(Page {
            width: Pt(ctx.page_w),
            height: Pt(ctx.page_h),
            items,
        });
    }
    Ok(Document {
        pages: out,
        images,
        metadata: Default::default(),
    })
}
