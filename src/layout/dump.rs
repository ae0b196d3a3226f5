//! A stable, readable text form of a [`Document`]: the snapshot format of the
//! tests and the output of `--dump-layout`.
//!
//! One line per item, positions and sizes rounded to 0.1 pt, colours as hex,
//! text quoted with every character that is not plainly visible escaped
//! (`\u{202F}`), so a snapshot diff shows exactly what moved or changed:
//!
//! ```text
//! document pages=1 images=1
//! metadata title="KJ65C-190025" author="Lysverket Interiør AS" created=1780185600 ident="849749943 KJ65C-190025"
//! page 1 595.3x841.9 items=153
//!   rect 0.0,0.0 595.3x14.2 fill=#8A5A00
//!   text 51.0,74.4 bold 24.0 #8A5A00 "Faktura"
//!   text 386.2,120.3 mono 12.0 #1F2328 reference "003075434963"
//!   line 51.0,300.0 544.3,300.0 #D3D8DE 0.6
//!   image 51.0,45.4 60.0x18.0 #0
//!   rects 412 fill=#000000 bbox 380.1,500.2 90.7x90.7 fnv=9a3c12ef
//! ```
//!
//! Runs of 8 or more consecutive plain filled rectangles of one colour (the
//! modules of a QR code, the bars of a barcode) are folded into one `rects`
//! line with their count, bounding box and an FNV-1a hash of their rounded
//! geometry: any change to a single module changes the hash.

use std::fmt::Write as _;

use super::document::{Artifact, Document, Item, Rect, Role, TextRole};
use crate::color::Rgb;
use crate::font::FontFace;

/// The text dump of `doc`.
///
/// ```
/// use kravia_invoice::layout::{dump::dump, Document};
/// let doc = Document { pages: vec![], images: vec![], metadata: Default::default() };
/// assert!(dump(&doc).starts_with("document pages=0 images=0\n"));
/// ```
pub fn dump(doc: &Document) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let m = &doc.metadata;
    let _ = writeln!(
        out,
        "document pages={} images={}",
        doc.pages.len(),
        doc.images.len()
    );
    let _ = writeln!(
        out,
        "metadata title={} author={} subject={} created={} ident={}",
        quote(&m.title),
        quote(&m.author),
        quote(&m.subject),
        m.created_unix,
        quote(&m.ident)
    );
    for (i, img) in doc.images.iter().enumerate() {
        let _ = writeln!(
            out,
            "image #{i} {}x{} px {} fnv={:08x}",
            img.width,
            img.height,
            if img.has_alpha { "rgba" } else { "rgb" },
            fnv(&img.pixels)
        );
    }
    for (pi, page) in doc.pages.iter().enumerate() {
        let _ = writeln!(
            out,
            "page {} {}x{} items={}",
            pi + 1,
            n(page.width.0),
            n(page.height.0),
            page.items.len()
        );
        let items = &page.items;
        let mut i = 0;
        while i < items.len() {
            let run = foldable_run(&items[i..]);
            if run >= 8 {
                fold(&mut out, &items[i..i + run]);
                i += run;
                continue;
            }
            item(&mut out, &items[i]);
            i += 1;
        }
    }
    out
}

fn plain_fill(item: &Item) -> Option<Rgb> {
    match item {
        Item::Rect(Rect {
            fill: Some(c),
            stroke: None,
            ..
        }) => Some(*c),
        _ => None,
    }
}

/// How many items from the start are plain filled rectangles of one colour.
fn foldable_run(items: &[Item]) -> usize {
    let Some(first) = items.first().and_then(plain_fill) else {
        return 0;
    };
    items
        .iter()
        .take_while(|it| plain_fill(it) == Some(first))
        .count()
}

fn fold(out: &mut String, items: &[Item]) {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    let mut bytes = Vec::with_capacity(items.len() * 16);
    let mut fill = Rgb::BLACK;
    for it in items {
        if let Item::Rect(r) = it {
            x0 = x0.min(r.x.0);
            y0 = y0.min(r.y.0);
            x1 = x1.max(r.x.0 + r.width.0);
            y1 = y1.max(r.y.0 + r.height.0);
            fill = r.fill.unwrap_or(fill);
            for v in [r.x.0, r.y.0, r.width.0, r.height.0] {
                bytes.extend_from_slice(&((v * 100.0).round() as i64).to_le_bytes());
            }
        }
    }
    let _ = writeln!(
        out,
        "  rects {} fill={} bbox {},{} {}x{} fnv={:08x}",
        items.len(),
        hex(fill),
        n(x0),
        n(y0),
        n(x1 - x0),
        n(y1 - y0),
        fnv(&bytes)
    );
}

fn item(out: &mut String, item: &Item) {
    match item {
        Item::Text(t) => {
            let face = match t.face {
                FontFace::Regular => "regular",
                FontFace::Bold => "bold",
                FontFace::Mono => "mono",
                FontFace::Emoji => "emoji",
                FontFace::Extra(_) => crate::font::fonts().face(t.face).postscript_name(),
            };
            let role = match t.role {
                TextRole::Plain => "",
                TextRole::InvoiceNumber => " invoice_number",
                TextRole::Reference => " reference",
                TextRole::Account => " account",
                TextRole::Iban => " iban",
                TextRole::DueDate => " due_date",
                TextRole::VatAmount => " vat_amount",
                TextRole::Total => " total",
                TextRole::CreditNumber => " credit_number",
                TextRole::AmountToPay => " amount_to_pay",
                TextRole::VirtualBarcode => " virtual_barcode",
                TextRole::LineNet => " line_net",
                TextRole::LineGross => " line_gross",
            };
            let _ = writeln!(
                out,
                "  text {},{} {face} {} {}{role} {}",
                n(t.x.0),
                n(t.y.0),
                n(t.size.0),
                hex(t.color),
                quote(&t.text)
            );
        }
        Item::Rect(r) => {
            let _ = write!(
                out,
                "  rect {},{} {}x{}",
                n(r.x.0),
                n(r.y.0),
                n(r.width.0),
                n(r.height.0)
            );
            if let Some(f) = r.fill {
                let _ = write!(out, " fill={}", hex(f));
            }
            if let Some((c, w)) = r.stroke {
                let _ = write!(out, " stroke={} {}", hex(c), n(w.0));
            }
            out.push('\n');
        }
        Item::Line(l) => {
            let _ = writeln!(
                out,
                "  line {},{} {},{} {} {}",
                n(l.x1.0),
                n(l.y1.0),
                n(l.x2.0),
                n(l.y2.0),
                hex(l.color),
                n(l.width.0)
            );
        }
        Item::Image(i) => {
            let _ = writeln!(
                out,
                "  image {},{} {}x{} #{}",
                n(i.x.0),
                n(i.y.0),
                n(i.width.0),
                n(i.height.0),
                i.image
            );
        }
        Item::Path(p) => {
            let points: usize = p.polygons.iter().map(Vec::len).sum();
            let mut bytes = Vec::with_capacity(points * 16);
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for (x, y) in p.polygons.iter().flatten() {
                x0 = x0.min(x.0);
                y0 = y0.min(y.0);
                x1 = x1.max(x.0);
                y1 = y1.max(y.0);
                bytes.extend_from_slice(&((x.0 * 100.0).round() as i64).to_le_bytes());
                bytes.extend_from_slice(&((y.0 * 100.0).round() as i64).to_le_bytes());
            }
            let _ = writeln!(
                out,
                "  path polygons={} points={points} fill={} bbox {},{} {}x{} fnv={:08x}",
                p.polygons.len(),
                hex(p.fill),
                n(x0),
                n(y0),
                n(x1 - x0),
                n(y1 - y0),
                fnv(&bytes)
            );
        }
        Item::Begin(role) => {
            let what = match role {
                Role::Section => "section".to_string(),
                Role::Heading(level) => format!("heading {level}"),
                Role::Paragraph => "paragraph".to_string(),
                Role::Table => "table".to_string(),
                Role::TableHead => "table_head".to_string(),
                Role::TableBody => "table_body".to_string(),
                Role::Row => "row".to_string(),
                Role::HeaderCell => "header_cell".to_string(),
                Role::Cell => "cell".to_string(),
                Role::Figure(alt) => format!("figure {}", quote(alt)),
                Role::Artifact(Artifact::Layout) => "artifact layout".to_string(),
                Role::Artifact(Artifact::Pagination) => "artifact pagination".to_string(),
            };
            let _ = writeln!(out, "  begin {what}");
        }
        Item::End => out.push_str("  end\n"),
    }
}

/// A number rounded to 0.1, always with one decimal, never `-0.0`.
fn n(v: f32) -> String {
    let r = (f64::from(v) * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:.1}")
}

fn hex(c: Rgb) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Quoted, with `"` and `\` escaped and every control, format or non-ASCII
/// space character written as `\u{XXXX}`.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' ' => out.push(' '),
            c if c.is_control()
                || c.is_whitespace()
                || ('\u{200B}'..='\u{200F}').contains(&c)
                || c == '\u{FEFF}' =>
            {
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// 32-bit FNV-1a.
fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::document::{Page, Pt, TextRun};

    // The snapshots of whole invoices (every fixture × template × locale, with
    // the text read back from the PDF) are in `tests/it/snapshots.rs`.

    #[test]
    fn one_line_per_item_with_escapes() {
        let doc = Document {
            pages: vec![Page {
                width: Pt(595.28),
                height: Pt(841.89),
                items: vec![Item::Text(TextRun {
                    x: Pt(51.02),
                    y: Pt(-0.01),
                    face: FontFace::Mono,
                    size: Pt(12.0),
                    color: Rgb(0x1F, 0x23, 0x28),
                    text: "1\u{202F}234,00\u{A0}NOK \"x\"".into(),
                    role: TextRole::AmountToPay,
                })],
            }],
            images: vec![],
            metadata: Default::default(),
        };
        let d = dump(&doc);
        assert!(d.contains("page 1 595.3x841.9 items=1\n"), "{d}");
        assert!(
            d.contains("  text 51.0,0.0 mono 12.0 #1F2328 amount_to_pay \"1\\u{202F}234,00\\u{00A0}NOK \\\"x\\\"\"\n"),
            "{d}"
        );
    }

    #[test]
    fn runs_of_rects_fold_into_one_line() {
        let rect = |x: f32| {
            Item::Rect(Rect {
                x: Pt(x),
                y: Pt(10.0),
                width: Pt(1.0),
                height: Pt(2.0),
                fill: Some(Rgb::BLACK),
                stroke: None,
            })
        };
        let items: Vec<Item> = (0..10).map(|i| rect(i as f32 * 2.0)).collect();
        let page = |items| Page {
            width: Pt(1.0),
            height: Pt(1.0),
            items,
        };
        let doc = |items| Document {
            pages: vec![page(items)],
            images: vec![],
            metadata: Default::default(),
        };
        let a = dump(&doc(items.clone()));
        assert!(
            a.contains("  rects 10 fill=#000000 bbox 0.0,10.0 19.0x2.0 fnv="),
            "{a}"
        );
        let mut moved = items;
        moved[3] = rect(6.5);
        assert_ne!(a, dump(&doc(moved)));
    }
}
