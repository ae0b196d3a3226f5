//! The line table: a header row and one block per invoice line (with its
//! discounts under it), each measured so pagination can place whole rows.
//!
//! Structure: the header block is the table's head, one row of header cells;
//! each line's block is a row with a cell per column (the description cell
//! holds its wrapped lines and discount notes). Pagination opens and closes
//! the table around them.

use super::document::{Item, Role, TextRole};
use super::text::{self, Font};
use super::{Block, Ctx, LayoutError, hline, mm, rect};
use crate::font::FontFace;
use crate::template::{Align, ColumnField};
use crate::verify::invoice::{Discount, Line, LineKind};

/// Column positions, relative to the text area's left edge.
pub(crate) struct Geometry {
    cols: Vec<Col>,
    pad_x: f32,
    pad_y: f32,
}

struct Col {
    field: ColumnField,
    align: Align,
    x: f32,
    w: f32,
}

impl Geometry {
    pub fn new(ctx: &Ctx) -> Geometry {
        let mut x = 0.0;
        let cols = ctx
            .template
            .table
            .columns
            .iter()
            .map(|c| {
                let w = ctx.width * c.width / 100.0;
                let col = Col {
                    field: c.field,
                    align: c.align,
                    x,
                    w,
                };
                x += w;
                col
            })
            .collect();
        Geometry {
            cols,
            pad_x: ctx.template.text.table * 0.45,
            pad_y: mm(ctx.template.table.row_padding),
        }
    }

    /// The x and width of a cell's text.
    fn inner(&self, c: &Col) -> (f32, f32) {
        (c.x + self.pad_x, (c.w - 2.0 * self.pad_x).max(1.0))
    }
}

fn header_label<'l>(ctx: &'l Ctx, field: ColumnField) -> &'l str {
    let l = ctx.labels;
    match field {
        ColumnField::Description => &l.col_description,
        ColumnField::ItemId => &l.col_item_id,
        ColumnField::Quantity => &l.col_quantity,
        ColumnField::UnitPrice if ctx.prices_incl => &l.col_unit_price_incl,
        ColumnField::UnitPrice => &l.col_unit_price_excl,
        ColumnField::VatRate => &l.col_vat_rate,
        ColumnField::VatAmount => &l.col_vat_amount,
        ColumnField::Net => &l.col_net,
        ColumnField::Amount if ctx.prices_incl => &l.col_amount,
        ColumnField::Amount => &l.col_net,
    }
}

/// Draws `line` (one run) in a cell by its alignment.
#[allow(clippy::too_many_arguments)]
fn cell_run(
    ctx: &Ctx,
    items: &mut Vec<Item>,
    (x, w): (f32, f32),
    align: Align,
    top: f32,
    font: Font,
    line: &str,
    role: TextRole,
    field: &str,
) -> Result<(), LayoutError> {
    let face = text::face_for(font.face, line, field)?;
    let tw = text::width(ctx.fonts, face, font.size, line);
    let x = match align {
        Align::Left => x,
        Align::Right => x + w - tw,
        Align::Center => x + (w - tw) / 2.0,
    };
    ctx.run(items, x, top, font.with_face(face), line, role, field)?;
    Ok(())
}

/// The header row at the origin.
pub(crate) fn header(ctx: &Ctx, g: &Geometry) -> Result<Block, LayoutError> {
    let fill = ctx.fill(ctx.template.table.header_fill);
    let font = Font {
        face: FontFace::Bold,
        size: ctx.template.text.table_header,
        color: ctx
            .template
            .table
            .header_text
            .resolve(ctx.accent, fill.unwrap_or(crate::color::Rgb::WHITE)),
    };
    let lh = ctx.lh(font.size);
    let pad_y = g.pad_y.max(mm(1.2));
    let wrapped: Vec<Vec<String>> = g
        .cols
        .iter()
        .map(|c| {
            let label = header_label(ctx, c.field);
            let face = text::face_for(font.face, label, "label")?;
            Ok(text::wrap(ctx.fonts, face, font.size, label, g.inner(c).1))
        })
        .collect::<Result<_, LayoutError>>()?;
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    let height = lines as f32 * lh + 2.0 * pad_y;
    let mut items = Vec::new();
    match fill {
        Some(f) => rect(&mut items, (0.0, 0.0, ctx.width, height), Some(f), None),
        None => hline(&mut items, 0.0, ctx.width, height, ctx.text, 0.8),
    }
    items.push(Item::Begin(Role::TableHead));
    items.push(Item::Begin(Role::Row));
    for (c, lines_of) in g.cols.iter().zip(&wrapped) {
        // Bottom-align multi-line headers so the last lines share a baseline.
        let top = pad_y + (lines - lines_of.len()) as f32 * lh;
        items.push(Item::Begin(Role::HeaderCell));
        for (i, l) in lines_of.iter().enumerate() {
            cell_run(
                ctx,
                &mut items,
                g.inner(c),
                c.align,
                top + i as f32 * lh,
                font,
                l,
                TextRole::Plain,
                "label",
            )?;
        }
        items.push(Item::End);
    }
    items.push(Item::End);
    items.push(Item::End);
    Ok(Block { items, height })
}

/// The description as printed: shipping lines say so.
fn description(ctx: &Ctx, line: &Line) -> String {
    let d = line.description.trim();
    if line.kind == LineKind::Shipping {
        let label = &ctx.labels.shipping;
        if d.is_empty() {
            return label.clone();
        }
        if !d.to_lowercase().starts_with(&label.to_lowercase()) {
            return format!("{label}: {d}");
        }
    }
    d.to_string()
}

/// A discount under its line: `Avtalerabatt 15 %: -837,00 (trukket fra i beløpet)`.
pub(crate) fn discount_text(ctx: &Ctx, d: &Discount) -> String {
    let name = match d
        .description
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(desc) => desc.to_string(),
        None => match d.percentage {
            Some(p) => format!(
                "{} {}",
                ctx.labels.discount,
                ctx.locale.format_decimal(p)
                    + if ctx.locale == crate::locale::Locale::En {
                        "%"
                    } else {
                        "\u{A0}%"
                    }
            ),
            None => ctx.labels.discount.clone(),
        },
    };
    let amount = ctx.locale.format_money(-d.amount, ctx.invoice.currency);
    format!("{name}: {amount} ({})", ctx.labels.discount_included)
}

fn cell_value(ctx: &Ctx, field: ColumnField, line: &Line) -> String {
    let loc = ctx.locale;
    match field {
        ColumnField::Description => description(ctx, line),
        ColumnField::ItemId => line.item_id.clone().unwrap_or_default(),
        ColumnField::Quantity => loc.format_quantity(line.quantity),
        ColumnField::UnitPrice if ctx.prices_incl => loc.format_amount(line.unit_price_gross),
        ColumnField::UnitPrice => loc.format_amount(line.unit_price_net),
        ColumnField::VatRate => loc.format_rate(line.vat_rate),
        ColumnField::VatAmount => loc.format_amount(line.vat_amount),
        ColumnField::Net => loc.format_amount(line.net),
        ColumnField::Amount if ctx.prices_incl => loc.format_amount(line.amount),
        ColumnField::Amount => loc.format_amount(line.net),
    }
}

/// One block per line, at the origin. A line taller than `max_h` is split
/// into several blocks between its description lines.
pub(crate) fn rows(ctx: &Ctx, g: &Geometry, max_h: f32) -> Result<Vec<Block>, LayoutError> {
    let font = Font {
        face: FontFace::Regular,
        size: ctx.template.text.table,
        color: ctx.text,
    };
    let note = Font {
        face: FontFace::Regular,
        size: ctx.template.text.small,
        color: ctx.muted,
    };
    let zebra = ctx.fill(ctx.template.table.zebra);
    let mut blocks = Vec::with_capacity(ctx.invoice.lines.len());
    let mut field = String::new();
    for (i, line) in ctx.invoice.lines.iter().enumerate() {
        // The wrapped pieces of text per column.
        let mut cells: Vec<Vec<Piece>> = Vec::with_capacity(g.cols.len());
        let mut desc_col = 0;
        for (ci, c) in g.cols.iter().enumerate() {
            use std::fmt::Write as _;
            field.clear();
            let _ = write!(field, "lines[{i}].{}", c.field.name());
            let value = cell_value(ctx, c.field, line);
            let (_, w) = g.inner(c);
            let mut pieces = Vec::new();
            match c.field {
                ColumnField::Description | ColumnField::ItemId => {
                    let face = text::face_for(font.face, &value, &field)?;
                    for l in text::wrap(ctx.fonts, face, font.size, &value, w) {
                        pieces.push(Piece::new(ctx, font.with_face(face), l, 0.0));
                    }
                    if c.field == ColumnField::Description {
                        desc_col = ci;
                        let indent = note.size;
                        for (di, d) in line.discounts.iter().enumerate() {
                            let t = discount_text(ctx, d);
                            let f = format!("lines[{i}].discounts[{di}]");
                            let face = text::face_for(note.face, &t, &f)?;
                            for l in text::wrap(ctx.fonts, face, note.size, &t, w - indent) {
                                pieces.push(Piece::new(ctx, note.with_face(face), l, indent));
                            }
                        }
                    }
                }
                _ => {
                    let face = text::face_for(font.face, &value, &field)?;
                    let size = text::fit_size(ctx.fonts, face, font.size, &value, w);
                    let mut p = Piece::new(ctx, font.with_face(face).with_size(size), value, 0.0);
                    // A shrunk number keeps the row's baseline and line height.
                    p.dy = ctx.baseline(0.0, font.size) - ctx.baseline(0.0, size);
                    if c.field == ColumnField::Amount {
                        p.role = if ctx.prices_incl {
                            TextRole::LineGross
                        } else {
                            TextRole::LineNet
                        };
                    }
                    p.lh = ctx.lh(font.size);
                    pieces.push(p);
                }
            }
            cells.push(pieces);
        }
        // Split into parts no taller than `max_h` (only a description of
        // extraordinary length needs this).
        let desc_len = cells.get(desc_col).map_or(0, Vec::len);
        let mut start = 0;
        loop {
            let first = start == 0;
            let mut h = 0.0f32;
            let mut end = start;
            if let Some(desc) = cells.get(desc_col) {
                while end < desc.len() {
                    let lh = desc[end].lh;
                    if end > start && h + lh + 2.0 * g.pad_y > max_h {
                        break;
                    }
                    h += lh;
                    end += 1;
                }
            }
            if first {
                for (ci, cell) in cells.iter().enumerate() {
                    if ci != desc_col {
                        h = h.max(cell.iter().map(|p| p.lh).sum());
                    }
                }
            }
            let height = h + 2.0 * g.pad_y;
            let mut items = Vec::new();
            if let Some(z) = zebra.filter(|_| i % 2 == 1) {
                rect(&mut items, (0.0, 0.0, ctx.width, height), Some(z), None);
            }
            items.push(Item::Begin(Role::Row));
            for (ci, (c, cell)) in g.cols.iter().zip(&cells).enumerate() {
                let range = match (ci == desc_col, first) {
                    (true, _) => start..end,
                    (false, true) => 0..cell.len(),
                    (false, false) => 0..0,
                };
                let (x, w) = g.inner(c);
                let mut top = g.pad_y;
                items.push(Item::Begin(Role::Cell));
                for p in &cell[range] {
                    let area = (x + p.indent, w - p.indent);
                    cell_run(
                        ctx,
                        &mut items,
                        area,
                        c.align,
                        top + p.dy,
                        p.font,
                        &p.text,
                        p.role,
                        "lines",
                    )?;
                    top += p.lh;
                }
                items.push(Item::End);
            }
            items.push(Item::End);
            if ctx.template.table.rules {
                hline(&mut items, 0.0, ctx.width, height, ctx.rule, 0.5);
            }
            blocks.push(Block { items, height });
            start = end;
            if start >= desc_len {
                break;
            }
        }
    }
    Ok(blocks)
}

/// One line of a cell.
struct Piece {
    font: Font,
    text: String,
    /// Line height.
    lh: f32,
    /// Left indent (discount notes).
    indent: f32,
    /// Vertical shift of the baseline (shrunk numbers).
    dy: f32,
    /// What the text is (line amounts are read back).
    role: TextRole,
}

impl Piece {
    fn new(ctx: &Ctx, font: Font, text: String, indent: f32) -> Piece {
        Piece {
            lh: ctx.lh(font.size),
            font,
            text,
            indent,
            dy: 0.0,
            role: TextRole::Plain,
        }
    }
}
