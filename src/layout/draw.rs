//! Drawing helpers shared by the blocks: a block's items and height,
//! rectangles and rules, moving a block into place, and rounding every
//! coordinate to 0.01 pt (one walk over each item's points).

use super::document::{Axis, Document, Item, Line as RuleLine, Pt, Rect, Role};
use crate::color::Rgb;

/// Items laid out at the origin, and their height; placed with [`translate`].
#[derive(Debug, Default)]
pub(crate) struct Block {
    /// The items, top-left at (0, 0).
    pub items: Vec<Item>,
    /// The height.
    pub height: f32,
}

/// A filled and/or stroked rectangle.
pub(crate) fn rect(
    items: &mut Vec<Item>,
    (x, y, w, h): (f32, f32, f32, f32),
    fill: Option<Rgb>,
    stroke: Option<(Rgb, f32)>,
) {
    items.push(Item::Rect(Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(w),
        height: Pt(h),
        fill,
        stroke: stroke.map(|(c, w)| (c, Pt(w))),
    }));
}

/// A horizontal rule.
pub(crate) fn hline(items: &mut Vec<Item>, x1: f32, x2: f32, y: f32, color: Rgb, width: f32) {
    items.push(Item::Line(RuleLine {
        x1: Pt(x1),
        y1: Pt(y),
        x2: Pt(x2),
        y2: Pt(y),
        color,
        width: Pt(width),
    }));
}

/// Draws what `f` draws inside a structure group of `role` (see
/// [`Role`]): `Begin(role)`, the items, `End`.
pub(crate) fn group<T, E>(
    items: &mut Vec<Item>,
    role: Role,
    f: impl FnOnce(&mut Vec<Item>) -> Result<T, E>,
) -> Result<T, E> {
    items.push(Item::Begin(role));
    let out = f(items)?;
    items.push(Item::End);
    Ok(out)
}

/// Moves items by `(dx, dy)`.
pub(crate) fn translate(items: &mut [Item], dx: f32, dy: f32) {
    for item in items {
        item.walk_mut(&mut |p, axis| match axis {
            Axis::X => p.0 += dx,
            Axis::Y => p.0 += dy,
            Axis::Length => {}
        });
    }
}

/// Rounds to 0.01 pt, so float noise cannot change output bytes.
pub(crate) fn round(v: f32) -> f32 {
    let r = (f64::from(v) * 100.0).round() / 100.0;
    // -0.0 prints differently from 0.0.
    if r == 0.0 { 0.0 } else { r as f32 }
}

/// Rounds every coordinate and length of the document to 0.01 pt.
pub(crate) fn round_document(doc: &mut Document) {
    for page in &mut doc.pages {
        page.width.0 = round(page.width.0);
        page.height.0 = round(page.height.0);
        for item in &mut page.items {
            item.walk_mut(&mut |p, _| p.0 = round(p.0));
        }
    }
}
