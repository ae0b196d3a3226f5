//! The bundled font faces and their metrics.
//!
//! Three faces ship inside the binary (`include_bytes!`), pre-subset once with
//! fonttools to a European Latin repertoire (see `fonts/README.md`):
//!
//! | [`FontFace`]          | file                                   |
//! |-----------------------|----------------------------------------|
//! | [`FontFace::Regular`] | `fonts/NotoSans-Regular.subset.ttf`    |
//! | [`FontFace::Bold`]    | `fonts/NotoSans-Bold.subset.ttf`       |
//! | [`FontFace::Mono`]    | `fonts/NotoSansMono-Regular.subset.ttf`|
//!
//! All three are Noto (SIL Open Font License 1.1, no reserved font names), cover
//! ASCII, Latin-1, Latin Extended-A, `€ – — ‘ ’ “ ” • …` and the spaces U+00A0
//! (no-break), U+2009 (thin) and U+202F (narrow no-break), each with a glyph of
//! its own. Noto Sans has no U+2212 MINUS SIGN (Noto Sans Mono has): write
//! negative amounts with U+002D or check with [`Face::has_glyph`].
//!
//! [`fonts`] parses the faces once per process with `ttf-parser` and keeps, per
//! face, a table of glyph ids and advances for every mapped character, so
//! measuring text is a table lookup and an integer sum, never a `cmap` walk.
//!
//! ```
//! use kravia_invoice::font::fonts;
//! use kravia_invoice::font::FontFace;
//!
//! let regular = fonts().face(FontFace::Regular);
//! assert!(regular.first_missing("Beløp å betale: 1\u{202F}234,50 €").is_none());
//! let width = regular.text_width("Faktura", 10.0); // points at 10 pt
//! assert!(width > 30.0 && width < 40.0);
//! ```

use std::sync::OnceLock;

/// Which bundled font face a text run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontFace {
    /// The regular face.
    Regular,
    /// The bold face.
    Bold,
    /// A monospaced face, for payment references and the virtual barcode digits.
    Mono,
}

/// The Regular face program (Noto Sans Regular 2.004, European Latin subset).
static REGULAR_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Regular.subset.ttf");
/// The Bold face program (Noto Sans Bold 2.004, European Latin subset).
static BOLD_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Bold.subset.ttf");
/// The Mono face program (Noto Sans Mono Regular 2.006, European Latin subset).
static MONO_TTF: &[u8] = include_bytes!("../fonts/NotoSansMono-Regular.subset.ttf");

/// Characters below this code point are looked up in a direct-indexed table
/// (ASCII, Latin-1 and Latin Extended-A); the few others by binary search.
const DIRECT: usize = 0x180;

/// One mapped character: its glyph and advance in font units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Glyph {
    /// Glyph id; 0 (`.notdef`) means "not mapped".
    gid: u16,
    /// Horizontal advance in font units.
    advance: u16,
}

/// The three bundled faces, parsed once; get it with [`fonts`].
#[derive(Debug)]
pub struct FontSet {
    regular: Face,
    bold: Face,
    mono: Face,
}

impl FontSet {
    /// The face for a layout [`FontFace`].
    pub fn face(&self, face: FontFace) -> &Face {
        match face {
            FontFace::Regular => &self.regular,
            FontFace::Bold => &self.bold,
            FontFace::Mono => &self.mono,
        }
    }
}

/// One parsed font face: character → glyph table, advances and vertical metrics.
///
/// Metrics are in em (1.0 = the font size) unless a method says "font units".
#[derive(Debug)]
pub struct Face {
    data: &'static [u8],
    postscript_name: String,
    units_per_em: u16,
    ascender: i16,
    descender: i16,
    cap_height: i16,
    bbox: [i16; 4],
    weight: u16,
    italic_angle: f32,
    /// Indexed by code point for `c < DIRECT`.
    direct: Vec<Glyph>,
    /// Sorted by code point, for `c >= DIRECT`.
    other: Vec<(char, Glyph)>,
    /// Advance per glyph id, font units.
    advances: Vec<u16>,
    /// The (first) character mapped to each glyph id, for ToUnicode maps.
    glyph_chars: Vec<Option<char>>,
    /// Why the face could not be parsed, if it could not (then it maps nothing).
    parse_error: Option<String>,
}

/// The bundled faces, parsed on first use (about 0.1 ms) and shared by all threads.
pub fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet {
        regular: Face::parse(REGULAR_TTF, "NotoSans-Regular"),
        bold: Face::parse(BOLD_TTF, "NotoSans-Bold"),
        mono: Face::parse(MONO_TTF, "NotoSansMono-Regular"),
    })
}

impl Face {
    /// Parses a bundled face. A face that fails to parse (impossible for the
    /// committed files, which the tests parse) maps no character, so layout's
    /// glyph check reports every character instead of the process panicking.
    fn parse(data: &'static [u8], fallback_name: &str) -> Face {
        match ttf_parser::Face::parse(data, 0) {
            Ok(face) => Face::from_ttf(data, &face, fallback_name),
            Err(e) => Face {
                data,
                postscript_name: fallback_name.to_owned(),
                units_per_em: 1000,
                ascender: 0,
                descender: 0,
                cap_height: 0,
                bbox: [0; 4],
                weight: 400,
                italic_angle: 0.0,
                direct: vec![Glyph::default(); DIRECT],
                other: Vec::new(),
                advances: Vec::new(),
                glyph_chars: Vec::new(),
                parse_error: Some(format!("bundled font {fallback_name}: {e}")),
            },
        }
    }

    fn from_ttf(data: &'static [u8], face: &ttf_parser::Face<'_>, fallback_name: &str) -> Face {
        let num_glyphs = face.number_of_glyphs();
        let advances: Vec<u16> = (0..num_glyphs)
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();

        let mut codepoints = std::collections::BTreeSet::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if sub.is_unicode() {
                    sub.codepoints(|cp| {
                        codepoints.insert(cp);
                    });
                }
            }
        }
        let mut direct = vec![Glyph::default(); DIRECT];
        let mut other = Vec::new();
        let mut glyph_chars = vec![None; usize::from(num_glyphs)];
        for cp in codepoints {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let Some(gid) = face.glyph_index(c) else {
                continue;
            };
            if gid.0 == 0 {
                continue;
            }
            if let Some(slot @ None) = glyph_chars.get_mut(usize::from(gid.0)) {
                *slot = Some(c);
            }
            let glyph = Glyph {
                gid: gid.0,
                advance: advances.get(usize::from(gid.0)).copied().unwrap_or(0),
            };
            match direct.get_mut(cp as usize) {
                Some(slot) => *slot = glyph,
                None => other.push((c, glyph)),
            }
        }

        let postscript_name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| fallback_name.to_owned());
        let bb = face.global_bounding_box();
        Face {
            data,
            postscript_name,
            units_per_em: face.units_per_em(),
            ascender: face.ascender(),
            descender: face.descender(),
            cap_height: face.capital_height().unwrap_or(face.ascender()),
            bbox: [bb.x_min, bb.y_min, bb.x_max, bb.y_max],
            weight: face.weight().to_number(),
            italic_angle: face.italic_angle(),
            direct,
            other,
            advances,
            glyph_chars,
            parse_error: None,
        }
    }

    #[inline]
    fn lookup(&self, c: char) -> Option<Glyph> {
        let g = match self.direct.get(c as usize) {
            Some(g) => *g,
            None => {
                let i = self.other.binary_search_by_key(&c, |(k, _)| *k).ok()?;
                self.other.get(i)?.1
            }
        };
        (g.gid != 0).then_some(g)
    }

    /// The glyph id of `c`, or `None` when the face has no glyph for it.
    pub fn glyph_id(&self, c: char) -> Option<u16> {
        self.lookup(c).map(|g| g.gid)
    }

    /// Whether the face has a glyph for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.lookup(c).is_some()
    }

    /// The advance of `c` in em (1.0 = the font size), or `None` without a glyph.
    pub fn advance(&self, c: char) -> Option<f32> {
        self.lookup(c)
            .map(|g| f32::from(g.advance) / f32::from(self.units_per_em))
    }

    /// The width of `text` in points at font size `size` (no kerning, as drawn).
    /// Characters without a glyph count as 0.
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.lookup(c).map_or(0, |g| u32::from(g.advance)))
            .sum();
        // One multiplication of an exact integer sum: deterministic, no drift.
        (f64::from(units) * f64::from(size) / f64::from(self.units_per_em)) as f32
    }

    /// The first character of `text` the face has no glyph for.
    pub fn first_missing(&self, text: &str) -> Option<char> {
        text.chars().find(|&c| !self.has_glyph(c))
    }

    /// The ascender in em (positive, above the baseline).
    pub fn ascender(&self) -> f32 {
        f32::from(self.ascender) / f32::from(self.units_per_em)
    }

    /// The descender in em (negative, below the baseline).
    pub fn descender(&self) -> f32 {
        f32::from(self.descender) / f32::from(self.units_per_em)
    }

    /// The height of capital letters in em.
    pub fn cap_height(&self) -> f32 {
        f32::from(self.cap_height) / f32::from(self.units_per_em)
    }

    /// The font program (the pre-subset TrueType file as bundled).
    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    /// The PostScript name from the `name` table, e.g. `NotoSans-Regular`.
    pub fn postscript_name(&self) -> &str {
        &self.postscript_name
    }

    /// Font units per em (1000 for the bundled Noto faces).
    pub fn units_per_em(&self) -> u16 {
        self.units_per_em
    }

    /// Every character the face has a glyph for, in code point order.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        let direct = self
            .direct
            .iter()
            .enumerate()
            .filter(|(_, g)| g.gid != 0)
            .filter_map(|(cp, _)| char::from_u32(cp as u32));
        direct.chain(self.other.iter().map(|(c, _)| *c))
    }

    /// Why the bundled program failed to parse, if it did (never, for the
    /// committed files: the tests check it).
    pub fn parse_error(&self) -> Option<&str> {
        self.parse_error.as_deref()
    }

    /// The advance of glyph `gid` in font units.
    pub(crate) fn glyph_advance_units(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// The number of glyphs in the bundled program.
    pub(crate) fn glyph_count(&self) -> usize {
        self.advances.len()
    }

    /// The character glyph `gid` was first mapped from.
    pub(crate) fn char_of_glyph(&self, gid: u16) -> Option<char> {
        self.glyph_chars.get(usize::from(gid)).copied().flatten()
    }

    /// Raw ascender, descender, cap height in font units.
    pub(crate) fn vertical_units(&self) -> (i16, i16, i16) {
        (self.ascender, self.descender, self.cap_height)
    }

    /// The font bounding box `[x_min, y_min, x_max, y_max]` in font units.
    pub(crate) fn bbox_units(&self) -> [i16; 4] {
        self.bbox
    }

    /// The OS/2 weight class (400 regular, 700 bold).
    pub(crate) fn weight_class(&self) -> u16 {
        self.weight
    }

    /// The italic angle in degrees (0 for the bundled upright faces).
    pub(crate) fn italic_angle(&self) -> f32 {
        self.italic_angle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [FontFace; 3] = [FontFace::Regular, FontFace::Bold, FontFace::Mono];

    /// What the brief promises every face covers.
    fn required() -> String {
        let mut s: String = (0x20u32..0x7f)
            .chain(0xa0..0x180)
            .filter_map(char::from_u32)
            .collect();
        s.push_str("æøåÆØÅäöÄÖ€–—‘’“”•…\u{202F}\u{00A0}\u{2009}");
        s
    }

    #[test]
    fn faces_parse_and_cover_the_nordic_repertoire() {
        for f in ALL {
            let face = fonts().face(f);
            assert_eq!(face.parse_error(), None, "{f:?}");
            assert_eq!(face.units_per_em(), 1000);
            assert_eq!(face.first_missing(&required()), None, "{f:?}");
        }
        assert_eq!(
            fonts().face(FontFace::Regular).postscript_name(),
            "NotoSans-Regular"
        );
        assert_eq!(
            fonts().face(FontFace::Bold).postscript_name(),
            "NotoSans-Bold"
        );
        assert_eq!(
            fonts().face(FontFace::Mono).postscript_name(),
            "NotoSansMono-Regular"
        );
    }

    #[test]
    fn spaces_have_glyphs_of_their_own() {
        // Distinct glyphs matter: the ToUnicode map is keyed by glyph, so two
        // characters sharing one glyph would extract as the same character.
        for f in ALL {
            let face = fonts().face(f);
            let mut seen = std::collections::BTreeMap::new();
            for c in face.chars() {
                let gid = face.glyph_id(c).unwrap_or(0);
                if let Some(prev) = seen.insert(gid, c) {
                    panic!("{f:?}: {prev:?} and {c:?} share glyph {gid}");
                }
            }
            for c in [' ', '\u{00A0}', '\u{2009}', '\u{202F}'] {
                assert!(face.has_glyph(c), "{f:?} lacks {c:?}");
            }
        }
    }

    #[test]
    fn metrics_are_sane() {
        let r = fonts().face(FontFace::Regular);
        assert!(r.ascender() > 0.9 && r.ascender() < 1.2, "{}", r.ascender());
        assert!(
            r.descender() < -0.2 && r.descender() > -0.4,
            "{}",
            r.descender()
        );
        assert!(r.cap_height() > 0.6 && r.cap_height() < 0.8);
        assert_eq!(r.advance(' '), Some(0.26));
        assert_eq!(r.advance('\u{202F}'), Some(0.166));
        assert_eq!(r.advance('\u{0001}'), None);
        assert_eq!(r.glyph_id('\u{4E16}'), None);
        // Text width is the exact sum of advances.
        let w: f32 = "Beløp".chars().filter_map(|c| r.advance(c)).sum();
        assert!((r.text_width("Beløp", 1.0) - w).abs() < 1e-5);
        assert_eq!(r.text_width("a\u{4E16}", 10.0), r.text_width("a", 10.0));
        assert_eq!(r.first_missing("ab\u{4E16}c"), Some('\u{4E16}'));
        // Mono is monospaced over digits and the spaces.
        let m = fonts().face(FontFace::Mono);
        for c in "0123456789 \u{202F}".chars() {
            assert_eq!(m.advance(c), Some(0.6), "{c:?}");
        }
        assert!(fonts().face(FontFace::Bold).text_width("Sum", 10.0) > r.text_width("Sum", 10.0));
        assert!(r.data().len() > 10_000);
    }
}
