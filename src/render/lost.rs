//! The read-back check's second half: nothing the invoice says is lost on the
//! page. Every text run lies on its page, no two runs overlap (a field that
//! runs past its place, into the footer or off the page, overlaps or leaves
//! it), and every text field of the invoice is found in the drawn text, in
//! order for the lines, so a word cut off anywhere is caught.
//!
//! Runs are measured with the fonts' metrics: a run's box spans its advance
//! width in its face, and from the bundled regular face's cap height above
//! the baseline to a fifth of the size below it (where the ink of ordinary
//! text lies), so lines set at their line height never touch.

use crate::font::{FontFace, fonts};
use crate::layout::document::TextRun;
use crate::layout::{Document, Item, has_rtl};
use crate::verify::credit::VerifiedCreditNote;
use crate::verify::invoice::VerifiedInvoice;

use super::RenderError;

/// How far runs may touch, or reach over the page edge, in points (rounding
/// of coordinates to 0.01 pt, kerning-free advances).
const SLACK: f32 = 0.3;

/// A run's box on its page.
#[derive(Clone, Copy, Debug)]
struct Bounds {
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
}

fn bounds(t: &TextRun) -> Bounds {
    let set = fonts();
    let size = t.size.0;
    // The height of the bundled regular face's capitals for every face: a
    // fallback face's own metrics (an Arabic or CJK font from the system)
    // say nothing about where the layout set its lines.
    let cap = set.face(FontFace::Regular).cap_height();
    Bounds {
        left: t.x.0,
        right: t.x.0 + set.face(t.face).text_width(&t.text, size),
        top: t.y.0 - cap * size,
        bottom: t.y.0 + 0.2 * size,
    }
}

fn shown(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Every run on its page, and no two overlapping.
fn placement(doc: &Document) -> Result<(), RenderError> {
    for (p, page) in doc.pages.iter().enumerate() {
        let mut runs: Vec<(Bounds, &TextRun)> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) if !t.text.trim().is_empty() => Some((bounds(t), t)),
                _ => None,
            })
            .collect();
        for (b, t) in &runs {
            if b.left < -SLACK
                || b.top < -SLACK
                || b.right > page.width.0 + SLACK
                || b.bottom > page.height.0 + SLACK
            {
                return Err(RenderError::Lost {
                    page: p + 1,
                    what: format!("{:?} runs off the page", shown(&t.text)),
                });
            }
        }
        // A sweep down the page: only runs whose vertical extents meet are
        // compared, so this is n log n for ordinary pages.
        runs.sort_by(|a, b| a.0.top.total_cmp(&b.0.top));
        let mut active: Vec<(Bounds, &TextRun)> = Vec::new();
        for (b, t) in runs {
            active.retain(|(a, _)| a.bottom > b.top + SLACK);
            for (a, u) in &active {
                let across = a.right.min(b.right) - a.left.max(b.left);
                let down = a.bottom.min(b.bottom) - a.top.max(b.top);
                if across > SLACK && down > SLACK {
                    return Err(RenderError::Lost {
                        page: p + 1,
                        what: format!("{:?} is drawn over {:?}", shown(&t.text), shown(&u.text)),
                    });
                }
            }
            active.push((b, t));
        }
    }
    Ok(())
}

/// `text` without white space (wrapping turns spaces into line breaks).
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Texts searched anywhere: (name, text).
type Anywhere<'a> = Vec<(&'static str, &'a str)>;
/// Texts searched in order: (field, text).
type InOrder<'a> = Vec<(String, &'a str)>;

/// The parties' and references' texts as the layout prints them, searched
/// anywhere; `delivery`: with the delivery place (not on a credit note).
fn party_fields(inv: &VerifiedInvoice, delivery: bool) -> Anywhere<'_> {
    let s = &inv.seller;
    let b = &inv.buyer;
    let p = &inv.delivery.place;
    let mut header: Anywhere<'_> = vec![
        ("invoice number", inv.invoice_number.as_str()),
        ("seller name", s.name.as_str()),
    ];
    let optional: [(&'static str, Option<&String>); 17] = [
        ("merchant reference", inv.merchant_reference.as_ref()),
        ("case number", inv.case_number.as_ref()),
        ("seller address", s.address_line.as_ref()),
        ("seller postal code", s.postal_code.as_ref()),
        ("seller postal place", s.postal_place.as_ref()),
        ("seller email", s.email.as_ref()),
        ("seller phone", s.phone.as_ref()),
        ("seller website", s.website.as_ref()),
        ("buyer business name", b.business_name.as_ref()),
        ("buyer first name", b.first_name.as_ref()),
        ("buyer last name", b.last_name.as_ref()),
        ("buyer reference", b.customer_reference.as_ref()),
        ("buyer c/o", b.co_address.as_ref()),
        ("buyer address", b.address_line.as_ref()),
        ("buyer address line 2", b.address_line_2.as_ref()),
        ("buyer postal code", b.postal_code.as_ref()),
        ("buyer postal place", b.postal_place.as_ref()),
    ];
    header.extend(
        optional
            .into_iter()
            .filter_map(|(name, v)| v.map(|v| (name, v.as_str()))),
    );
    if delivery {
        let place: [(&'static str, Option<&String>); 5] = [
            ("delivery place c/o", p.co_address.as_ref()),
            ("delivery address", p.address_line.as_ref()),
            ("delivery address line 2", p.address_line_2.as_ref()),
            ("delivery postal code", p.postal_code.as_ref()),
            ("delivery postal place", p.postal_place.as_ref()),
        ];
        header.extend(
            place
                .into_iter()
                .filter_map(|(name, v)| v.map(|v| (name, v.as_str()))),
        );
    }
    header
}

/// The invoice's line texts, searched in order.
fn line_fields(inv: &VerifiedInvoice) -> InOrder<'_> {
    let mut lines = Vec::new();
    for (i, l) in inv.lines.iter().enumerate() {
        lines.push((format!("lines[{i}].description"), l.description.as_str()));
        for (j, d) in l.discounts.iter().enumerate() {
            if let Some(desc) = d.description.as_deref() {
                lines.push((format!("lines[{i}].discounts[{j}].description"), desc));
            }
        }
    }
    lines
}

/// The drawn text without white space, page after page, and where page 1
/// ends in it.
fn drawn_text(doc: &Document) -> (String, usize) {
    let mut all = String::new();
    let mut first_page_end = 0;
    for (p, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Text(t) = item {
                all.extend(t.text.chars().filter(|c| !c.is_whitespace()));
            }
        }
        if p == 0 {
            first_page_end = all.len();
        }
    }
    (all, first_page_end)
}

/// Whether `text` is drawn whole in `hay`: as written; for text with
/// right-to-left characters, every character of it is drawn (as often as it
/// occurs in it). Such text is drawn in visual order line by line, after
/// wrapping, so its right-to-left stretches are mirrored and may be moved
/// apart from the rest of their line: the order cannot be compared, only
/// that nothing is missing.
fn found_in(hay: &str, text: &str) -> bool {
    if !has_rtl(text) {
        return hay.contains(&squeezed(text));
    }
    // Each character's count in `text`, then found off in one pass over `hay`.
    let mut want: Vec<(char, usize)> = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        match want.iter_mut().find(|(d, _)| *d == c) {
            Some((_, n)) => *n += 1,
            None => want.push((c, 1)),
        }
    }
    for c in hay.chars() {
        if let Some(i) = want.iter().position(|(d, _)| *d == c) {
            want[i].1 -= 1;
            if want[i].1 == 0 {
                want.swap_remove(i);
                if want.is_empty() {
                    return true;
                }
            }
        }
    }
    want.is_empty()
}

/// Every text field is in the drawn text: `header` anywhere, `lines` in order.
fn completeness(
    doc: &Document,
    header: Anywhere<'_>,
    lines: InOrder<'_>,
) -> Result<(), RenderError> {
    let (all, first_page_end) = drawn_text(doc);
    for (name, text) in header {
        // Nearly always on the first page; the rest is searched only if not.
        if !found_in(&all[..first_page_end], text) && !found_in(&all, text) {
            return Err(RenderError::Lost {
                page: 0,
                what: format!("the {name} {:?} is not drawn whole", shown(text)),
            });
        }
    }
    let mut from = 0;
    for (name, text) in lines {
        if has_rtl(text) {
            if found_in(&all, text) {
                continue;
            }
        } else {
            let want = squeezed(text);
            if let Some(at) = all.get(from..).and_then(|rest| rest.find(&want)) {
                from += at + want.len();
                continue;
            }
        }
        return Err(RenderError::Lost {
            page: 0,
            what: format!("{name} {:?} is not drawn whole", shown(text)),
        });
    }
    Ok(())
}

/// Nothing of the invoice is lost: see the module docs.
pub(super) fn check(doc: &Document, inv: &VerifiedInvoice) -> Result<(), RenderError> {
    placement(doc)?;
    completeness(doc, party_fields(inv, true), line_fields(inv))
}

/// Nothing of the credit note is lost: its runs placed as an invoice's, the
/// credited invoice's parties and references and the credited lines'
/// descriptions drawn whole.
pub(super) fn check_credit(doc: &Document, note: &VerifiedCreditNote) -> Result<(), RenderError> {
    placement(doc)?;
    let mut header = party_fields(&note.invoice, false);
    header.push(("credit note number", note.credit_number.as_str()));
    let lines = note
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            l.description
                .as_deref()
                .map(|d| (format!("lines[{i}].description"), d))
        })
        .collect();
    completeness(doc, header, lines)
}
