//! Text measuring and line wrapping, on real font metrics.
//!
//! Measuring is a table lookup per character in [`crate::font`]; a character
//! the run's face lacks is measured in the face of the [`FontChain`] that
//! draws it (and one no face draws as the replacement mark), exactly as
//! [`super::Ctx::run_at`] will draw it. Wrapping is greedy on ordinary spaces (no-break
//! spaces never break); a word wider than the column is broken between
//! characters, so no text is ever cut off.

use super::LayoutError;
use crate::color::Rgb;
use crate::font::{FontChain, FontFace};

/// A face, a size and a colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Font {
    /// The face.
    pub face: FontFace,
    /// Size, points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
}

impl Font {
    /// The same font in another face.
    pub fn with_face(self, face: FontFace) -> Font {
        Font { face, ..self }
    }

    /// The same font at another size.
    pub fn with_size(self, size: f32) -> Font {
        Font { size, ..self }
    }

    /// The same font in another colour.
    pub fn with_color(self, color: Rgb) -> Font {
        Font { color, ..self }
    }
}

/// The width of `text` in points.
pub(crate) fn width(chain: &FontChain, face: FontFace, size: f32, text: &str) -> f32 {
    chain.text_width(face, text, size)
}

/// The face a run of `text` is set in: `face`. Characters it lacks are drawn
/// in the face of the font chain that has them (see `Ctx::run_at`), and a
/// character no face has is replaced by a visible mark, so this never fails;
/// the `Result` keeps the call sites' shape.
pub(crate) fn face_for(face: FontFace, _text: &str, _field: &str) -> Result<FontFace, LayoutError> {
    Ok(face)
}

/// Splits `text` into lines no wider than `max` points at `font`.
///
/// Breaks at ordinary spaces and after hyphens; `\n` forces a break; a word
/// wider than `max` is broken between characters. Never returns no lines.
pub(crate) fn wrap(
    chain: &FontChain,
    face: FontFace,
    size: f32,
    text: &str,
    max: f32,
) -> Vec<String> {
    let f = Measure { chain, face };
    let space = f.text_width(" ", size);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0f32;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let w = f.text_width(word, size);
            let sep = if line.is_empty() { 0.0 } else { space };
            if line_w + sep + w <= max + 0.01 {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if w <= max + 0.01 {
                line.push_str(word);
                line_w = w;
                continue;
            }
            // A word wider than the column: break between characters,
            // preferring a break after a hyphen or slash.
            for c in word.chars() {
                let cw = f.text_width(c.encode_utf8(&mut [0u8; 4]), size);
                if line_w + cw > max + 0.01 && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += cw;
            }
        }
        lines.push(line);
    }
    // Keep the text of trailing empty paragraphs out of the layout.
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Joins `parts` with `sep` into lines no wider than `max`, breaking only
/// between parts; a part wider than `max` on its own is wrapped by [`wrap`].
pub(crate) fn wrap_parts(
    chain: &FontChain,
    face: FontFace,
    size: f32,
    parts: &[String],
    sep: &str,
    max: f32,
) -> Vec<String> {
    let f = Measure { chain, face };
    let sep_w = f.text_width(sep, size);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0f32;
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let w = f.text_width(part, size);
        if !line.is_empty() && line_w + sep_w + w <= max + 0.01 {
            line.push_str(sep);
            line.push_str(part);
            line_w += sep_w + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= max + 0.01 {
            line.push_str(part);
            line_w = w;
        } else {
            let mut pieces = wrap(chain, face, size, part, max);
            line = pieces.pop().unwrap_or_default();
            line_w = f.text_width(&line, size);
            lines.extend(pieces);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The largest size ≤ `size` (and ≥ 60 % of it) at which `text` fits in `max`;
/// used for values that must stay on one line (amounts, identifiers).
pub(crate) fn fit_size(chain: &FontChain, face: FontFace, size: f32, text: &str, max: f32) -> f32 {
    let w = width(chain, face, size, text);
    if w <= max || w <= 0.0 {
        return size;
    }
    (size * max / w).max(size * 0.6)
}

/// Whether `text` has right-to-left characters (or embeddings/isolates that
/// start a right-to-left run), which the layout draws in visual order.
pub(crate) fn has_rtl(text: &str) -> bool {
    use unicode_bidi::{BidiClass, bidi_class};
    // Nothing below U+0590 (Hebrew) is right-to-left: most text is decided
    // without a table lookup.
    text.chars().any(|c| {
        c >= '\u{0590}'
            && matches!(
                bidi_class(c),
                BidiClass::R | BidiClass::AL | BidiClass::RLE | BidiClass::RLO | BidiClass::RLI
            )
    })
}

/// `text` in visual order (left to right on the page) when it has
/// right-to-left characters; `None` when it has none (the common case, no
/// allocation). Uses the Unicode bidirectional algorithm (UAX #9) with the
/// paragraph direction taken from the first strong character; no shaping.
pub(crate) fn visual_order(text: &str) -> Option<String> {
    if !has_rtl(text) {
        return None;
    }
    let info = unicode_bidi::BidiInfo::new(text, None);
    let mut out = String::with_capacity(text.len());
    for para in &info.paragraphs {
        out.push_str(&info.reorder_line(para, para.range.clone()));
    }
    Some(out)
}

/// A face with its fallback chain, measuring as drawn.
struct Measure<'c> {
    chain: &'c FontChain,
    face: FontFace,
}

impl Measure<'_> {
    fn text_width(&self, text: &str, size: f32) -> f32 {
        self.chain.text_width(self.face, text, size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static B: std::sync::LazyLock<FontChain> = std::sync::LazyLock::new(FontChain::bundled_only);

    const DESC: &str = "Skreddersydd kontorpult i heltre eik med elektrisk høydejustering, kabelkanal, \
        integrert trådløs lader og skuff med lås — levert og montert på første etasje, inkludert \
        bortkjøring av emballasje og gammel pult";

    #[test]
    fn long_norwegian_description_wraps_within_its_column() {
        assert!(DESC.chars().count() >= 200, "{}", DESC.chars().count());
        let max = 200.0;
        let lines = wrap(&B, FontFace::Regular, 8.5, DESC, max);
        assert!(lines.len() >= 4, "{lines:?}");
        for l in &lines {
            assert!(width(&B, FontFace::Regular, 8.5, l) <= max + 0.01, "{l}");
        }
        // Nothing is cut: the words come back in order.
        assert_eq!(
            lines.join(" "),
            DESC.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn a_word_wider_than_the_column_is_broken_not_cut() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitänsmütze";
        let lines = wrap(&B, FontFace::Bold, 10.0, word, 60.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), word);
        for l in &lines {
            assert!(width(&B, FontFace::Bold, 10.0, l) <= 60.01);
        }
    }

    #[test]
    fn no_break_spaces_do_not_break() {
        let t = "Sum 1\u{202F}234\u{202F}567,00\u{A0}NOK";
        let lines = wrap(
            &B,
            FontFace::Regular,
            9.0,
            t,
            width(
                &B,
                FontFace::Regular,
                9.0,
                "1\u{202F}234\u{202F}567,00\u{A0}NOK",
            ) + 5.0,
        );
        assert_eq!(lines, ["Sum", "1\u{202F}234\u{202F}567,00\u{A0}NOK"]);
    }

    #[test]
    fn other_faces_measure_what_the_primary_lacks() {
        // The emoji is measured in the emoji face, not as nothing.
        let plain = width(&B, FontFace::Regular, 10.0, "Julegave  eske");
        let gift = width(&B, FontFace::Regular, 10.0, "Julegave 🎁 eske");
        assert!(gift > plain + 5.0, "{plain} {gift}");
        // A character no face draws is measured as the replacement mark.
        let r = width(&B, FontFace::Regular, 10.0, "\u{FFFD}");
        assert!(r > 0.0);
        assert_eq!(width(&B, FontFace::Regular, 10.0, "\u{10FFFD}"), r);
    }
}
