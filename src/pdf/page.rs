//! One layout page → one printpdf page of [`Op`]s.
//!
//! Layout coordinates are points from the top-left corner, y down; PDF's are
//! from the bottom-left, y up. Every coordinate is converted once to integer
//! hundredths of a point (`round(v × 100)`), flipped in integers, and printed
//! as `k / 100`, so the file holds short decimals (`841.89`, never
//! `841.8900146`) and float noise cannot change a byte.
//!
//! Redundant state is not repeated: the fill and stroke colours, line width
//! and font/size are tracked across the page (they are graphics state and
//! survive `BT`/`ET`), and consecutive text runs share one text object, each
//! positioned with a relative `Td`.

use printpdf::{
    Color, DictItem, Line as PLine, LinePoint, Op, PaintMode, PdfFontHandle, PdfPage, Point,
    Polygon, PolygonRing, Pt as PPt, Rect as PRect, TextItem, WindingOrder, XObjectId,
    XObjectTransform,
};

use super::PdfError;
use super::fonts::{draws_space, resource_name};
use super::tags::{Owner, Tree};
use crate::color::Rgb;
use crate::font::FontFace;
use crate::layout::document::{Artifact, Image, Item, Line, Page, Path, Rect, TextRun};

/// Integer hundredths of a point.
type Hund = i64;

/// The printpdf id of image `index` of the document.
pub(super) fn image_id(index: usize) -> XObjectId {
    XObjectId(format!("Im{index}"))
}

/// Converts one page (`number` is 1-based, for errors). With `tags` (the
/// document's structure tree), every drawn item is wrapped in marked content
/// for its owner; the second value then holds each item's MCID (`u32::MAX`
/// for none), else it is empty.
pub(super) fn build(
    number: usize,
    page: &Page,
    tags: Option<&Tree>,
) -> Result<(PdfPage, Vec<u32>), PdfError> {
    let width = to_hund(page.width.0);
    let height = to_hund(page.height.0);
    let (Some(width), Some(height)) = (width, height) else {
        return Err(PdfError::PageSize {
            page: number,
            width: page.width.0,
            height: page.height.0,
        });
    };
    if width <= 0 || height <= 0 {
        return Err(PdfError::PageSize {
            page: number,
            width: page.width.0,
            height: page.height.0,
        });
    }
    let mut w = Writer {
        page: number,
        item: 0,
        height,
        ops: Vec::with_capacity(page.items.len() * 3 + 8),
        fill: None,
        stroke: None,
        line_width: None,
        font: None,
        text_at: None,
        marks: tags.map(|tree| Marks {
            tree,
            owners: tree.owners(number - 1),
            owner: Owner::Marker,
            open: None,
            in_text: false,
            mcid: 0,
            next_mcid: 0,
            item_mcids: vec![u32::MAX; page.items.len()],
        }),
    };
    for (i, item) in page.items.iter().enumerate() {
        w.item = i;
        if let Some(m) = &mut w.marks {
            m.owner = m.owners.get(i).copied().unwrap_or(Owner::Marker);
        }
        match item {
            Item::Text(run) => w.text(run)?,
            Item::Rect(rect) => w.rect(rect)?,
            Item::Line(line) => w.line(line)?,
            Item::Image(image) => w.image(image)?,
            Item::Path(path) => w.path(path)?,
            Item::Begin(_) | Item::End => {}
        }
    }
    w.end_text();
    w.close_mark();
    let mcids = w.marks.take().map(|m| m.item_mcids).unwrap_or_default();
    let media = PRect {
        x: PPt(0.0),
        y: PPt(0.0),
        width: pt(width),
        height: pt(height),
        mode: None,
        winding_order: None,
    };
    Ok((
        PdfPage {
            media_box: media.clone(),
            trim_box: media.clone(),
            crop_box: media,
            ops: w.ops,
        },
        mcids,
    ))
}

fn to_hund(v: f32) -> Option<Hund> {
    // Round half away from zero, like `f64::round`, without the libm call.
    let x = f64::from(v) * 100.0;
    v.is_finite().then(|| (x + 0.5f64.copysign(x)) as Hund)
}

/// `k / 100` as the nearest `f32`, which prints as the short decimal.
fn pt(k: Hund) -> PPt {
    PPt(k as f32 / 100.0)
}

/// An sRGB byte as a PDF colour component, rounded to 3 decimals (`0.102`):
/// still 255 distinct values, and short in the file.
fn component(v: u8) -> f32 {
    let milli = (u32::from(v) * 1000 + 127) / 255;
    milli as f32 / 1000.0
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: component(c.0),
        g: component(c.1),
        b: component(c.2),
        icc_profile: None,
    })
}

struct Writer<'t> {
    page: usize,
    item: usize,
    /// Page height, for the flip.
    height: Hund,
    ops: Vec<Op>,
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    line_width: Option<Hund>,
    font: Option<(FontFace, Hund)>,
    /// Inside `BT`: the start of the current text line (PDF coordinates).
    text_at: Option<(Hund, Hund)>,
    /// Marked content, when the document is tagged.
    marks: Option<Marks<'t>>,
}

/// The marked-content state of a page.
struct Marks<'t> {
    tree: &'t Tree,
    /// Every item's owner.
    owners: &'t [Owner],
    /// The current item's owner.
    owner: Owner,
    /// The owner of the open marked-content sequence.
    open: Option<Owner>,
    /// Whether the open sequence began inside `BT` (then it ends before `ET`).
    in_text: bool,
    /// The open sequence's MCID.
    mcid: u32,
    next_mcid: u32,
    /// Per item: its MCID, `u32::MAX` for none.
    item_mcids: Vec<u32>,
}

impl Writer<'_> {
    fn coord(&self, v: f32, what: &'static str) -> Result<Hund, PdfError> {
        to_hund(v).ok_or(PdfError::NonFinite {
            page: self.page,
            item: self.item,
            what,
        })
    }

    /// A layout y (from the top) as PDF y (from the bottom).
    fn flip(&self, y: Hund) -> Hund {
        self.height - y
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.fill = Some(c);
            self.ops.push(Op::SetFillColor { col: color(c) });
        }
    }

    fn set_stroke(&mut self, c: Rgb, width: Hund) {
        if self.stroke != Some(c) {
            self.stroke = Some(c);
            self.ops.push(Op::SetOutlineColor { col: color(c) });
        }
        if self.line_width != Some(width) {
            self.line_width = Some(width);
            self.ops.push(Op::SetOutlineThickness { pt: pt(width) });
        }
    }

    fn end_text(&mut self) {
        if self.text_at.take().is_some() {
            // A sequence begun inside this text object ends inside it.
            if let Some(m) = &mut self.marks
                && m.open.is_some()
                && m.in_text
            {
                m.open = None;
                self.ops.push(Op::EndMarkedContent);
            }
            self.ops.push(Op::EndTextSection);
        }
    }

    /// Ends the open marked-content sequence (after `ET` when it began
    /// outside the text object).
    fn close_mark(&mut self) {
        let Some(m) = &mut self.marks else { return };
        if m.open.take().is_some() {
            if !m.in_text && self.text_at.take().is_some() {
                self.ops.push(Op::EndTextSection);
            }
            self.ops.push(Op::EndMarkedContent);
        }
    }

    /// Called by every drawing method just before it emits its operators:
    /// puts the item in a marked-content sequence of its owner, opening one
    /// when the owner changes. Text goes inside `BT` (the sequence opens in
    /// the text object, so runs share it); graphics outside.
    fn enter(&mut self, text: bool) {
        let Some(m) = &self.marks else { return };
        let owner = m.owner;
        if owner == Owner::Marker {
            return;
        }
        if !text {
            self.end_text();
        }
        let same = self.marks.as_ref().is_some_and(|m| m.open == Some(owner));
        if !same {
            self.close_mark();
            if text && self.text_at.is_none() {
                self.ops.push(Op::StartTextSection);
                self.text_at = Some((0, 0));
            }
            let in_text = self.text_at.is_some();
            let Some(m) = &mut self.marks else { return };
            let op = match owner {
                Owner::Elem(e) => {
                    m.mcid = m.next_mcid;
                    m.next_mcid += 1;
                    let mut map = std::collections::BTreeMap::new();
                    map.insert("MCID".to_owned(), DictItem::Int(i64::from(m.mcid)));
                    Op::BeginMarkedContentWithProperties {
                        tag: m.tree.kind_name(e).to_owned(),
                        properties: DictItem::Dict { map },
                    }
                }
                Owner::Artifact(Artifact::Pagination) => {
                    let mut map = std::collections::BTreeMap::new();
                    map.insert("Type".to_owned(), DictItem::Name(b"Pagination".to_vec()));
                    Op::BeginMarkedContentWithProperties {
                        tag: "Artifact".to_owned(),
                        properties: DictItem::Dict { map },
                    }
                }
                Owner::Artifact(Artifact::Layout) | Owner::Marker => Op::BeginMarkedContent {
                    tag: "Artifact".to_owned(),
                },
            };
            m.open = Some(owner);
            m.in_text = in_text;
            self.ops.push(op);
        }
        if let Some(m) = &mut self.marks
            && let Owner::Elem(_) = owner
            && let Some(slot) = m.item_mcids.get_mut(self.item)
        {
            *slot = m.mcid;
        }
    }

    fn text(&mut self, run: &TextRun) -> Result<(), PdfError> {
        if run.text.is_empty() {
            return Ok(());
        }
        let x = self.coord(run.x.0, "text x")?;
        let y = self.coord(run.y.0, "text baseline")?;
        let size = self.coord(run.size.0, "font size")?;
        let y = self.flip(y);
        self.enter(true);
        let (from_x, from_y) = match self.text_at {
            Some(at) => at,
            None => {
                self.ops.push(Op::StartTextSection);
                (0, 0)
            }
        };
        if self.font != Some((run.face, size)) {
            self.font = Some((run.face, size));
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(printpdf::FontId(resource_name(run.face).to_owned())),
                size: pt(size),
            });
        }
        self.set_fill(run.color);
        // `Td` moves relative to the start of the previous line of this text
        // object; integer deltas keep the printed numbers short and exact.
        self.ops.push(Op::SetTextCursor {
            pos: Point {
                x: pt(x - from_x),
                y: pt(y - from_y),
            },
        });
        self.text_at = Some((x, y));
        let spaced = self
            .marks
            .as_ref()
            .is_some_and(|m| m.tree.spaced(self.page - 1, self.item))
            && draws_space(run.face);
        let text = if spaced {
            let mut t = String::with_capacity(run.text.len() + 1);
            t.push_str(&run.text);
            t.push(' ');
            t
        } else {
            run.text.clone()
        };
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text)],
        });
        Ok(())
    }

    fn rect(&mut self, r: &Rect) -> Result<(), PdfError> {
        let mode = match (r.fill, r.stroke) {
            (None, None) => return Ok(()),
            (Some(_), None) => PaintMode::Fill,
            (None, Some(_)) => PaintMode::Stroke,
            (Some(_), Some(_)) => PaintMode::FillStroke,
        };
        let x = self.coord(r.x.0, "rectangle x")?;
        let y = self.coord(r.y.0, "rectangle y")?;
        let w = self.coord(r.width.0, "rectangle width")?;
        let h = self.coord(r.height.0, "rectangle height")?;
        let stroke = match r.stroke {
            Some((c, width)) => Some((c, self.coord(width.0, "stroke width")?)),
            None => None,
        };
        self.enter(false);
        self.end_text();
        if let Some(c) = r.fill {
            self.set_fill(c);
        }
        if let Some((c, width)) = stroke {
            self.set_stroke(c, width);
        }
        self.ops.push(Op::DrawRectangle {
            rectangle: PRect {
                x: pt(x),
                y: pt(self.flip(y + h)),
                width: pt(w),
                height: pt(h),
                mode: Some(mode),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
        Ok(())
    }

    fn line(&mut self, l: &Line) -> Result<(), PdfError> {
        let x1 = self.coord(l.x1.0, "line x1")?;
        let y1 = self.coord(l.y1.0, "line y1")?;
        let x2 = self.coord(l.x2.0, "line x2")?;
        let y2 = self.coord(l.y2.0, "line y2")?;
        let width = self.coord(l.width.0, "line width")?;
        self.enter(false);
        self.end_text();
        self.set_stroke(l.color, width);
        let point = |x: Hund, y: Hund| LinePoint {
            p: Point { x: pt(x), y: pt(y) },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: PLine {
                points: vec![point(x1, self.flip(y1)), point(x2, self.flip(y2))],
                is_closed: false,
            },
        });
        Ok(())
    }

    fn image(&mut self, img: &Image) -> Result<(), PdfError> {
        let x = self.coord(img.x.0, "image x")?;
        let y = self.coord(img.y.0, "image y")?;
        let w = self.coord(img.width.0, "image width")?;
        let h = self.coord(img.height.0, "image height")?;
        self.enter(false);
        self.end_text();
        // The image XObject is the unit square; scale it to the box and move
        // it to the box's bottom-left corner. printpdf wraps it in `q … Q`.
        self.ops.push(Op::UseXobject {
            id: image_id(img.image),
            transform: XObjectTransform {
                translate_x: Some(pt(x)),
                translate_y: Some(pt(self.flip(y + h))),
                rotate: None,
                scale_x: Some(pt(w).0),
                scale_y: Some(pt(h).0),
                dpi: None,
                no_auto_scale: true,
            },
        });
        Ok(())
    }

    fn path(&mut self, path: &Path) -> Result<(), PdfError> {
        let mut rings = Vec::with_capacity(path.polygons.len());
        for polygon in &path.polygons {
            if polygon.len() < 2 {
                continue;
            }
            let mut points = Vec::with_capacity(polygon.len());
            for (x, y) in polygon {
                let x = self.coord(x.0, "path x")?;
                let y = self.coord(y.0, "path y")?;
                points.push(LinePoint {
                    p: Point {
                        x: pt(x),
                        y: pt(self.flip(y)),
                    },
                    bezier: false,
                });
            }
            rings.push(PolygonRing { points });
        }
        if rings.is_empty() {
            return Ok(());
        }
        self.enter(false);
        self.end_text();
        self.set_fill(path.fill);
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hundredths_print_short() {
        for (v, s) in [
            (841.89f32, "841.89"),
            (0.01, "0.01"),
            (595.28, "595.28"),
            (12.5, "12.5"),
        ] {
            let k = to_hund(v).unwrap();
            assert_eq!(pt(k).0.to_string(), s);
        }
        assert_eq!(to_hund(f32::NAN), None);
        assert_eq!(to_hund(f32::INFINITY), None);
        for (v, k) in [
            (0.00125f32, 0),
            (0.125, 13),
            (-0.125, -13),
            (0.004, 0),
            (-12.345, -1235),
            (1e6, 100_000_000),
        ] {
            assert_eq!(to_hund(v), Some(k), "{v}");
        }
        // Flip in integers: 841.89 − 100.07 = 741.82 exactly.
        assert_eq!(pt(84189 - 10007).0.to_string(), "741.82");
    }

    #[test]
    fn colour_components_are_short_and_distinct() {
        assert_eq!(component(0), 0.0);
        assert_eq!(component(255), 1.0);
        assert_eq!(component(26).to_string(), "0.102");
        let all: std::collections::BTreeSet<u32> =
            (0..=255u8).map(|v| component(v).to_bits()).collect();
        assert_eq!(all.len(), 256);
    }
}
