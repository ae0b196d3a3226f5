//! Text measuring, glyph checks and line wrapping, on the bundled font metrics.
//!
//! Measuring is a table lookup per character in [`crate::font`]; nothing here
//! allocates per character. Wrapping is greedy on ordinary spaces (no-break
//! spaces never break); a word wider than the column is broken between
//! characters, so no text is ever cut off.

use super::LayoutError;
use crate::color::Rgb;
use crate::font::FontFace;
use crate::font::fonts;

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
pub(crate) fn width(face: FontFace, size: f32, text: &str) -> f32 {
    fonts().face(face).text_width(text, size)
}

/// The face that draws every character of `text`: `face` itself, else another
/// bundled face that has them all.
///
/// # Errors
///
/// [`LayoutError::MissingGlyph`] naming the first character that no bundled
/// face can draw (or, if each character is drawable by some face but none
/// draws them all, the first one `face` lacks), with `field` and the text.
pub(crate) fn face_for(face: FontFace, text: &str, field: &str) -> Result<FontFace, LayoutError> {
    let set = fonts();
    let Some(missing) = set.face(face).first_missing(text) else {
        return Ok(face);
    };
    for other in [FontFace::Regular, FontFace::Bold, FontFace::Mono] {
        if other != face && set.face(other).first_missing(text).is_none() {
            return Ok(other);
        }
    }
    let all = [FontFace::Regular, FontFace::Bold, FontFace::Mono];
    let ch = text
        .chars()
        .find(|&c| all.iter().all(|&f| !set.face(f).has_glyph(c)))
        .unwrap_or(missing);
    Err(LayoutError::MissingGlyph {
        ch,
        field: field.to_string(),
        text: text.to_string(),
    })
}

/// Splits `text` into lines no wider than `max` points at `font`.
///
/// Breaks at ordinary spaces and after hyphens; `\n` forces a break; a word
/// wider than `max` is broken between characters. Never returns no lines.
pub(crate) fn wrap(face: FontFace, size: f32, text: &str, max: f32) -> Vec<String> {
    let f = fonts().face(face);
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
    face: FontFace,
    size: f32,
    parts: &[String],
    sep: &str,
    max: f32,
) -> Vec<String> {
    let f = fonts().face(face);
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
            let mut pieces = wrap(face, size, part, max);
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
pub(crate) fn fit_size(face: FontFace, size: f32, text: &str, max: f32) -> f32 {
    let w = width(face, size, text);
    if w <= max || w <= 0.0 {
        return size;
    }
    (size * max / w).max(size * 0.6)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESC: &str = "Skreddersydd kontorpult i heltre eik med elektrisk høydejustering, kabelkanal, \
        integrert trådløs lader og skuff med lås — levert og montert på første etasje, inkludert \
        bortkjøring av emballasje og gammel pult";

    #[test]
    fn long_norwegian_description_wraps_within_its_column() {
        assert!(DESC.chars().count() >= 200, "{}", DESC.chars().count());
        let max = 200.0;
        let lines = wrap(FontFace::Regular, 8.5, DESC, max);
        assert!(lines.len() >= 4, "{lines:?}");
        for l in &lines {
            assert!(width(FontFace::Regular, 8.5, l) <= max + 0.01, "{l}");
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
        let lines = wrap(FontFace::Bold, 10.0, word, 60.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), word);
        for l in &lines {
            assert!(width(FontFace::Bold, 10.0, l) <= 60.01);
        }
    }

    #[test]
    fn no_break_spaces_do_not_break() {
        let t = "Sum 1\u{202F}234\u{202F}567,00\u{A0}NOK";
        let lines = wrap(
            FontFace::Regular,
            9.0,
            t,
            width(
                FontFace::Regular,
                9.0,
                "1\u{202F}234\u{202F}567,00\u{A0}NOK",
            ) + 5.0,
        );
        assert_eq!(lines, ["Sum", "1\u{202F}234\u{202F}567,00\u{A0}NOK"]);
    }

    #[test]
    fn missing_glyph_names_the_character_and_field() {
        let e = face_for(FontFace::Regular, "Tekanne 漢", "lines[0].description").unwrap_err();
        let s = e.to_string();
        assert!(s.contains("U+6F22"), "{s}");
        assert!(s.contains("lines[0].description"), "{s}");
        assert_eq!(
            face_for(FontFace::Bold, "Åkle i ull", "x").unwrap(),
            FontFace::Bold
        );
    }
}
