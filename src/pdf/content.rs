//! A fast serializer for the printpdf [`Op`]s the page builder emits.
//!
//! printpdf turns every op into lopdf `Operation`s (a `String` operator and a
//! `Vec` of operands each), formats every number through `f32`'s `Display`,
//! collects glyphs into a `BTreeMap<u16, String>` with one allocation per
//! character, and only then encodes the stream. This module writes the same
//! operators straight into one byte buffer:
//!
//! * numbers that are `k / 100` (page geometry) or `k / 1000` (colours) are
//!   printed from integers, exactly as `Display` would print them; others
//!   fall back to `Display`;
//! * text is written as the hex Identity-H glyph string printpdf would write,
//!   looking glyphs up through a table indexed by the bundled glyph id.
//!
//! Only the ops `page.rs` emits are supported; anything else is an error, not
//! a silent omission. A test serializes the same ops with printpdf and checks
//! the streams are byte-identical.

use std::io::Write;

use printpdf::{Color, DictItem, Op, PaintMode, PdfFontHandle, TextItem, WindingOrder};

use super::PdfError;
use super::fonts::resource_name;
use crate::font::FontFace;
use crate::font::fonts;

/// Face glyph id → subset glyph id, per face (0 = not in the subset).
#[derive(Debug, Default)]
pub(super) struct GlyphMaps<'a> {
    maps: Vec<(FontFace, &'a [u16])>,
}

impl<'a> GlyphMaps<'a> {
    /// Uses `remap` (indexed by the face's glyph id) for `face`.
    pub(super) fn set(&mut self, face: FontFace, remap: &'a [u16]) {
        self.maps.push((face, remap));
    }

    fn map(&self, face: FontFace) -> &'a [u16] {
        self.maps
            .iter()
            .find(|(f, _)| *f == face)
            .map_or(&[], |(_, m)| *m)
    }

    fn face_of(&self, resource: &str) -> Option<FontFace> {
        self.maps
            .iter()
            .map(|(f, _)| *f)
            .find(|f| resource_name(*f) == resource)
    }
}

fn unsupported(what: &str) -> PdfError {
    PdfError::Structure(format!("content encoder: unsupported {what}"))
}

/// Writes `v` as lopdf would (`f32` `Display`), without the formatter when
/// `v` is `k / 100` (page geometry, see `page.rs`) or `k / 1000` (colours).
fn num(out: &mut Vec<u8>, v: f32) {
    if let Some(k) = scaled(v, 100.0) {
        fixed(out, k, 100);
    } else if let Some(k) = scaled(v, 1000.0) {
        fixed(out, k, 1000);
    } else {
        let _ = write!(out, "{v}");
    }
}

/// `k` when `v` is exactly the `f32` nearest to `k / scale`.
#[inline]
fn scaled(v: f32, scale: f32) -> Option<i32> {
    let x = v * scale;
    // Also rejects NaN and infinities.
    if !x.is_finite() || x.abs() >= 1.0e7 {
        return None;
    }
    // Round half away from zero without a libm call.
    let k = (x + 0.5f32.copysign(x)) as i32;
    (k as f32 / scale == v).then_some(k)
}

/// Writes `k / scale` (scale 100 or 1000) with trailing zeros trimmed.
fn fixed(out: &mut Vec<u8>, k: i32, scale: u32) {
    if k < 0 {
        out.push(b'-');
    }
    let m = k.unsigned_abs();
    uint(out, u64::from(m / scale));
    let mut frac = m % scale;
    if frac == 0 {
        return;
    }
    out.push(b'.');
    let mut div = scale / 10;
    while frac != 0 {
        out.push(b'0' + (frac / div) as u8);
        frac %= div;
        div /= 10;
    }
}

fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// `/Name`, with the bytes a name cannot hold written `#XX` (as lopdf does).
fn name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.push(b'#');
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0F)]);
        } else {
            out.push(b);
        }
    }
}

fn nums(out: &mut Vec<u8>, vs: &[f32], op: &[u8]) {
    for v in vs {
        num(out, *v);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

fn color(out: &mut Vec<u8>, col: &Color, stroke: bool) -> Result<(), PdfError> {
    match col {
        Color::Rgb(c) => nums(out, &[c.r, c.g, c.b], if stroke { b"RG" } else { b"rg" }),
        Color::Greyscale(g) => nums(out, &[g.percent], if stroke { b"G" } else { b"g" }),
        Color::Cmyk(_) | Color::SpotColor(_) => return Err(unsupported("cmyk colour")),
    }
    Ok(())
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn fill_op(mode: PaintMode, winding: WindingOrder, closed_path: bool) -> &'static [u8] {
    let even_odd = matches!(winding, WindingOrder::EvenOdd);
    match (mode, even_odd) {
        (PaintMode::Fill, false) => b"f",
        (PaintMode::Fill, true) => b"f*",
        (PaintMode::Stroke, _) => b"S",
        // printpdf: rectangles use B/B*, closed polygons b/b*.
        (PaintMode::FillStroke, false) => {
            if closed_path {
                b"b"
            } else {
                b"B"
            }
        }
        (PaintMode::FillStroke, true) => {
            if closed_path {
                b"b*"
            } else {
                b"B*"
            }
        }
        (PaintMode::Clip, false) => b"W\nn",
        (PaintMode::Clip, true) => b"W*\nn",
    }
}

/// Serializes `ops` as a content stream.
pub(super) fn encode(ops: &[Op], glyphs: &GlyphMaps<'_>) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::with_capacity(ops.len() * 24 + 64);
    let mut face: Option<FontFace> = None;
    for op in ops {
        match op {
            Op::SaveGraphicsState => out.extend_from_slice(b"q\n"),
            Op::RestoreGraphicsState => out.extend_from_slice(b"Q\n"),
            Op::StartTextSection => out.extend_from_slice(b"BT\n"),
            Op::EndTextSection => out.extend_from_slice(b"ET\n"),
            Op::SetFillColor { col } => color(&mut out, col, false)?,
            Op::SetOutlineColor { col } => color(&mut out, col, true)?,
            Op::SetOutlineThickness { pt } => nums(&mut out, &[pt.0], b"w"),
            Op::SetFont { font, size } => {
                let PdfFontHandle::External(id) = font else {
                    return Err(unsupported("builtin font"));
                };
                face = Some(
                    glyphs
                        .face_of(&id.0)
                        .ok_or_else(|| unsupported("font resource"))?,
                );
                out.push(b'/');
                out.extend_from_slice(id.0.as_bytes());
                out.push(b' ');
                nums(&mut out, &[size.0], b"Tf");
            }
            Op::SetTextCursor { pos } => nums(&mut out, &[pos.x.0, pos.y.0], b"Td"),
            Op::ShowText { items } => {
                let face = face.ok_or_else(|| unsupported("text before a font"))?;
                let [TextItem::Text(text)] = items.as_slice() else {
                    return Err(unsupported("text items other than one string"));
                };
                let (font, map) = (fonts().face(face), glyphs.map(face));
                out.reserve(text.len() * 4 + 8);
                out.push(b'<');
                for c in text.chars() {
                    let g = font
                        .glyph_id(c)
                        .and_then(|g| map.get(usize::from(g)).copied())
                        .filter(|&g| g != 0)
                        .ok_or_else(|| {
                            PdfError::Structure(format!(
                                "content encoder: {c:?} is not in the {face:?} subset"
                            ))
                        })?;
                    let h = |shift: u16| HEX[usize::from((g >> shift) & 0xF)];
                    out.extend_from_slice(&[h(12), h(8), h(4), h(0)]);
                }
                out.extend_from_slice(b"> Tj\n");
            }
            Op::DrawRectangle { rectangle: r } => {
                nums(&mut out, &[r.x.0, r.y.0, r.width.0, r.height.0], b"re");
                let Some(mode) = r.mode else {
                    return Err(unsupported("rectangle without paint mode"));
                };
                let winding = r.winding_order.unwrap_or(WindingOrder::NonZero);
                out.extend_from_slice(fill_op(mode, winding, false));
                out.push(b'\n');
            }
            Op::DrawLine { line } => {
                for (i, p) in line.points.iter().enumerate() {
                    if p.bezier {
                        return Err(unsupported("bezier line"));
                    }
                    nums(
                        &mut out,
                        &[p.p.x.0, p.p.y.0],
                        if i == 0 { b"m" } else { b"l" },
                    );
                }
                if line.points.is_empty() {
                    continue;
                }
                out.extend_from_slice(if line.is_closed { b"h\nS\n" } else { b"S\n" });
            }
            Op::DrawPolygon { polygon } => {
                if polygon.rings.is_empty() {
                    continue;
                }
                for ring in &polygon.rings {
                    for (i, p) in ring.points.iter().enumerate() {
                        if p.bezier {
                            return Err(unsupported("bezier polygon"));
                        }
                        nums(
                            &mut out,
                            &[p.p.x.0, p.p.y.0],
                            if i == 0 { b"m" } else { b"l" },
                        );
                    }
                }
                out.extend_from_slice(b"h\n");
                out.extend_from_slice(fill_op(polygon.mode, polygon.winding_order, true));
                out.push(b'\n');
            }
            Op::UseXobject { id, transform: t } => {
                if !t.no_auto_scale || t.rotate.is_some() || t.dpi.is_some() {
                    return Err(unsupported("image transform"));
                }
                let (sx, sy) = (t.scale_x.unwrap_or(1.0), t.scale_y.unwrap_or(1.0));
                let (tx, ty) = (
                    t.translate_x.map_or(0.0, |v| v.0),
                    t.translate_y.map_or(0.0, |v| v.0),
                );
                out.extend_from_slice(b"q\n");
                nums(&mut out, &[sx, 0.0, 0.0, sy, tx, ty], b"cm");
                out.push(b'/');
                out.extend_from_slice(id.0.as_bytes());
                out.extend_from_slice(b" Do\nQ\n");
            }
            Op::BeginMarkedContent { tag } => {
                name(&mut out, tag.as_bytes());
                out.extend_from_slice(b" BMC\n");
            }
            Op::BeginMarkedContentWithProperties { tag, properties } => {
                name(&mut out, tag.as_bytes());
                out.push(b' ');
                let DictItem::Dict { map } = properties else {
                    return Err(unsupported(
                        "marked-content properties other than a dictionary",
                    ));
                };
                out.extend_from_slice(b"<<");
                for (key, value) in map {
                    name(&mut out, key.as_bytes());
                    match value {
                        DictItem::Int(n) => {
                            out.push(b' ');
                            if *n < 0 {
                                out.push(b'-');
                            }
                            uint(&mut out, n.unsigned_abs());
                        }
                        DictItem::Name(n) => name(&mut out, n),
                        _ => return Err(unsupported("marked-content property value")),
                    }
                }
                out.extend_from_slice(b">> BDC\n");
            }
            Op::EndMarkedContent => out.extend_from_slice(b"EMC\n"),
            _ => return Err(unsupported("operator")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: f32) -> String {
        let mut out = Vec::new();
        num(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_print_like_display() {
        for v in [
            0.0f32, 1.0, -1.0, 0.5, 0.102, 841.89, -481.62, 12.345, 0.001, 1e-7, 1.23456, 595.28,
            100000.5, -0.25,
        ] {
            assert_eq!(s(v), v.to_string(), "{v}");
        }
        for k in -100_000i32..100_000 {
            let v = k as f32 / 100.0;
            assert_eq!(s(v), v.to_string(), "{k}");
            let v = k as f32 / 1000.0;
            assert_eq!(s(v), v.to_string(), "{k}");
        }
        for k in (-10_000_000i32..10_000_000).step_by(997) {
            let v = k as f32 / 100.0;
            assert_eq!(s(v), v.to_string(), "{k}");
        }
    }
}
