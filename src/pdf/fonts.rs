//! Per-document font subsets, written as Type0 / CIDFontType2 fonts.
//!
//! For every face a document uses, the glyphs of its text runs are collected
//! (one table lookup per character) and the bundled program is cut down to
//! them with typst's `subsetter`: `.notdef` first, then the used glyphs in
//! ascending bundled id, numbered 1, 2, 3, … (composite components follow).
//! The font is written the way printpdf writes external fonts — Type0,
//! Identity-H, CIDFontType2 with `/CIDToGIDMap /Identity`, `/W` widths, a
//! `/ToUnicode` CMap, and a descriptor with `/FontFile2` — under the name
//! `ABCDEF+NotoSans-Regular`, the tag being six capitals derived from the
//! glyph set (ISO 32000-1 9.6.4), so `pdffonts` reports `emb yes sub yes uni
//! yes` and text extracts exactly, U+202F included.
//!
//! Without its `text_layout` feature printpdf never subsets (it embeds the
//! whole program) and it rebuilds the widths and CMap on every save; so the
//! font objects are built here instead, once per (face, glyph set): a subset
//! is a pure function of that key, and it is cached per process with its
//! objects already compressed. A cache hit costs a few clones; the cache is
//! bounded and cleared when full, which changes speed, never bytes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::PdfError;
use super::identity::StableHasher;
use super::tags::Tree;
use crate::font::FontFace;
use crate::font::fonts;
use crate::layout::document::{Document, Item};

/// The resource name (`/F1 12 Tf`) of a face: `F1`–`F4` for the bundled
/// faces, one derived from the program for a loaded face; fixed, so no
/// printpdf random ids and no dependence on load order.
pub(super) fn resource_name(face: FontFace) -> &'static str {
    fonts().face(face).resource_name()
}

/// One face's subset: glyph mapping and ready-made PDF objects.
#[derive(Debug)]
pub(super) struct Subset {
    /// `ABCDEF+NotoSans-Regular`: the subset tag and PostScript name.
    pub base_font: String,
    /// Character → subset glyph id, for every character of the glyph set.
    #[cfg_attr(not(test), allow(dead_code))]
    pub char_to_gid: Vec<(char, u16)>,
    /// Bundled glyph id → subset glyph id (0 = not in the subset).
    pub remap: Vec<u16>,
    /// The subset TrueType program, and compressed.
    program: (Vec<u8>, Vec<u8>),
    /// The `/ToUnicode` CMap, and compressed.
    to_unicode: (Vec<u8>, Vec<u8>),
    /// The FontDescriptor without `/FontFile2`.
    descriptor: Dictionary,
    /// The `/CIDSet` bit string: one set bit per glyph of the subset program
    /// (CIDs 0‥n−1, Identity mapping).
    cid_set: Vec<u8>,
    /// The CIDFontType2 dictionary without `/FontDescriptor`.
    cid_font: Dictionary,
    /// Subset glyph id → advance in font units, for tests.
    #[cfg_attr(not(test), allow(dead_code))]
    widths: Vec<u16>,
    /// Whether the program has CFF outlines (embedded as /FontFile3 /OpenType).
    cff: bool,
}

impl Subset {
    /// Adds the font's objects to `doc`; returns the Type0 font's id. With
    /// `cid_set` the descriptor gets a `/CIDSet` (required by PDF/A-1 for
    /// subset CID fonts, allowed when correct by PDF/A-2 and -3).
    pub(super) fn add_to(
        &self,
        doc: &mut lopdf::Document,
        compress: bool,
        cid_set: bool,
    ) -> ObjectId {
        let cff = self.cff;
        let stream = |pair: &(Vec<u8>, Vec<u8>), length1: bool| {
            let mut dict = Dictionary::new();
            if length1 && cff {
                dict.set("Subtype", Object::Name(b"OpenType".to_vec()));
            } else if length1 {
                dict.set("Length1", pair.0.len() as i64);
            }
            if compress {
                dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                Stream::new(dict, pair.1.clone()).with_compression(false)
            } else {
                Stream::new(dict, pair.0.clone()).with_compression(false)
            }
        };
        let program = doc.add_object(stream(&self.program, true));
        let mut descriptor = self.descriptor.clone();
        descriptor.set(
            if self.cff { "FontFile3" } else { "FontFile2" },
            Object::Reference(program),
        );
        if cid_set {
            let set = doc.add_object(
                Stream::new(Dictionary::new(), self.cid_set.clone()).with_compression(false),
            );
            descriptor.set("CIDSet", Object::Reference(set));
        }
        let descriptor = doc.add_object(descriptor);
        let mut cid_font = self.cid_font.clone();
        cid_font.set("FontDescriptor", Object::Reference(descriptor));
        let to_unicode = doc.add_object(stream(&self.to_unicode, false));
        let name = Object::Name(self.base_font.as_bytes().to_vec());
        let mut type0 = Dictionary::new();
        type0.set("Type", Object::Name(b"Font".to_vec()));
        type0.set("Subtype", Object::Name(b"Type0".to_vec()));
        type0.set("BaseFont", name);
        type0.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        type0.set(
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(cid_font)]),
        );
        type0.set("ToUnicode", Object::Reference(to_unicode));
        doc.add_object(type0)
    }
}

/// The glyphs each face uses, as flags indexed by the face's glyph id.
#[derive(Debug, Default)]
pub(super) struct Usage {
    used: Vec<(FontFace, Vec<bool>)>,
}

impl Usage {
    /// Collects the glyphs of every text run, failing on a character the
    /// run's face cannot draw; with `tags`, the space of the runs drawn with a
    /// trailing space too.
    pub(super) fn collect(doc: &Document, tags: Option<&Tree>) -> Result<Usage, PdfError> {
        let set = fonts();
        let mut usage = Usage::default();
        for (p, page) in doc.pages.iter().enumerate() {
            for (i, item) in page.items.iter().enumerate() {
                let Item::Text(run) = item else { continue };
                let face = set.face(run.face);
                let slot = match usage.used.iter().position(|(f, _)| *f == run.face) {
                    Some(k) => k,
                    None => {
                        usage.used.push((run.face, vec![false; face.glyph_count()]));
                        usage.used.len() - 1
                    }
                };
                let used = &mut usage.used[slot].1;
                for c in run.text.chars() {
                    let gid = face.glyph_id(c).ok_or_else(|| PdfError::MissingGlyph {
                        page: p + 1,
                        item: i,
                        ch: c,
                        face: run.face,
                    })?;
                    if let Some(flag) = used.get_mut(usize::from(gid)) {
                        *flag = true;
                    }
                }
                if tags.is_some_and(|t| t.spaced(p, i))
                    && draws_space(run.face)
                    && let Some(gid) = face.glyph_id(' ')
                    && let Some(flag) = used.get_mut(usize::from(gid))
                {
                    *flag = true;
                }
            }
        }
        Ok(usage)
    }

    /// The faces used, in resource-name order (`F1` … `F4`, then loaded faces).
    pub(super) fn faces(&self) -> Vec<FontFace> {
        let mut faces: Vec<FontFace> = self.used.iter().map(|(f, _)| *f).collect();
        faces.sort_by_key(|f| {
            let name = resource_name(*f);
            (name.len(), name)
        });
        faces
    }

    /// The glyph ids `face` uses, ascending (empty when unused).
    pub(super) fn glyphs(&self, face: FontFace) -> Vec<u16> {
        self.used
            .iter()
            .find(|(f, _)| *f == face)
            .map(|(_, used)| {
                used.iter()
                    .enumerate()
                    .filter(|(_, used)| **used)
                    .filter_map(|(gid, _)| u16::try_from(gid).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Whether `face` has a space glyph: a tagged run's trailing space (which
/// separates words for text extraction) is drawn only in a face that has
/// one, such as every bundled text face but not the emoji face.
pub(super) fn draws_space(face: FontFace) -> bool {
    fonts().face(face).glyph_id(' ').is_some()
}

type CacheKey = (FontFace, Vec<u16>);

/// How many subsets the process keeps before starting over.
const CACHE_LIMIT: usize = 256;

fn cache() -> &'static Mutex<HashMap<CacheKey, Arc<Subset>>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Arc<Subset>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Empties the per-process font subset cache. Output bytes never depend on
/// it; benchmarks use it to time the cold path.
#[doc(hidden)]
pub fn clear_subset_cache() {
    cache().lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// The subset of `face` for `glyphs` (bundled ids, ascending, non-empty),
/// from the cache or freshly made.
pub(super) fn subset(face: FontFace, glyphs: Vec<u16>) -> Result<Arc<Subset>, PdfError> {
    let key = (face, glyphs);
    if let Some(hit) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(Arc::clone(hit));
    }
    let made = Arc::new(make_subset(key.0, &key.1)?);
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key, Arc::clone(&made));
    Ok(made)
}

fn make_subset(face_id: FontFace, glyphs: &[u16]) -> Result<Subset, PdfError> {
    let face = fonts().face(face_id);
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut char_to_gid = Vec::with_capacity(glyphs.len());
    let mut remap = vec![0u16; face.glyph_count()];
    let mut widths = vec![face.glyph_advance_units(0)];
    for &gid in glyphs {
        let new = remapper.remap(gid);
        if let Some(slot) = remap.get_mut(usize::from(gid)) {
            *slot = new;
        }
        widths.push(face.glyph_advance_units(gid));
        if let Some(c) = face.char_of_glyph(gid) {
            char_to_gid.push((c, new));
        }
    }
    let program =
        subsetter::subset(face.data(), face.collection_index(), &remapper).map_err(|e| {
            PdfError::Subset {
                face: face_id,
                message: e.to_string(),
            }
        })?;
    let num_glyphs = ttf_parser::Face::parse(&program, 0)
        .map_err(|e| PdfError::Subset {
            face: face_id,
            message: format!("the subset does not parse: {e}"),
        })?
        .number_of_glyphs();
    let mut cid_set = vec![0u8; usize::from(num_glyphs).div_ceil(8)];
    for gid in 0..usize::from(num_glyphs) {
        cid_set[gid / 8] |= 0x80 >> (gid % 8);
    }

    // The tag: six capitals derived from the face and glyph set.
    let mut h = StableHasher::new();
    h.update(face.postscript_name().as_bytes());
    for g in glyphs {
        h.update(&g.to_le_bytes());
    }
    let mut bits = h.finish128()[0];
    let mut base_font = String::with_capacity(7 + face.postscript_name().len());
    for _ in 0..6 {
        base_font.push(char::from(b'A' + (bits % 26) as u8));
        bits /= 26;
    }
    base_font.push('+');
    base_font.push_str(face.postscript_name());

    let upm = f64::from(face.units_per_em().max(1));
    let scale = |v: i64| (v as f64 * 1000.0 / upm).round() as i64;
    let (ascent, descent, cap_height) = face.vertical_units();
    let [x_min, y_min, x_max, y_max] = face.bbox_units();
    let italic = face.italic_angle();
    let fixed_pitch = face_id == FontFace::Mono;
    // Flags (ISO 32000-1 Table 123): nonsymbolic, fixed pitch, italic.
    let flags = 32 | i64::from(fixed_pitch) | if italic != 0.0 { 64 } else { 0 };
    // No table holds StemV; estimate it from the weight class as producers do.
    let stem_v = 50 + (f64::from(face.weight_class()) / 65.0).powi(2).round() as i64;
    let name = Object::Name(base_font.as_bytes().to_vec());

    let mut descriptor = Dictionary::new();
    descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
    descriptor.set("FontName", name.clone());
    descriptor.set("Flags", flags);
    descriptor.set(
        "FontBBox",
        Object::Array(
            [x_min, y_min, x_max, y_max]
                .iter()
                .map(|v| Object::Integer(scale(i64::from(*v))))
                .collect(),
        ),
    );
    descriptor.set("ItalicAngle", Object::Real(italic));
    descriptor.set("Ascent", scale(i64::from(ascent)));
    descriptor.set("Descent", scale(i64::from(descent)));
    descriptor.set("CapHeight", scale(i64::from(cap_height)));
    descriptor.set("StemV", stem_v);

    let mut system_info = Dictionary::new();
    system_info.set(
        "Registry",
        Object::String(b"Adobe".to_vec(), StringFormat::Literal),
    );
    system_info.set(
        "Ordering",
        Object::String(b"Identity".to_vec(), StringFormat::Literal),
    );
    system_info.set("Supplement", 0);
    let mut cid_font = Dictionary::new();
    cid_font.set("Type", Object::Name(b"Font".to_vec()));
    // TrueType outlines: CIDFontType2 with /FontFile2; CFF outlines (an
    // OpenType .otf from a font directory): CIDFontType0 with /FontFile3.
    let subtype: &[u8] = if face.is_cff() {
        b"CIDFontType0"
    } else {
        b"CIDFontType2"
    };
    cid_font.set("Subtype", Object::Name(subtype.to_vec()));
    cid_font.set("BaseFont", name);
    cid_font.set("CIDSystemInfo", Object::Dictionary(system_info));
    // Subset glyph ids are 0..n, so one run covers every width.
    let w: Vec<Object> = widths
        .iter()
        .map(|&adv| Object::Integer(scale(i64::from(adv))))
        .collect();
    cid_font.set("DW", 1000);
    cid_font.set(
        "W",
        Object::Array(vec![Object::Integer(0), Object::Array(w)]),
    );
    if !face.is_cff() {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }

    let cmap = to_unicode_cmap(&char_to_gid).into_bytes();
    let program_deflated = super::stream::deflate(&program, super::stream::LEVEL_FONT)?;
    let cmap_deflated = super::stream::deflate(&cmap, super::stream::LEVEL_FONT)?;
    Ok(Subset {
        base_font,
        char_to_gid,
        remap,
        program: (program, program_deflated),
        to_unicode: (cmap, cmap_deflated),
        descriptor,
        cid_set,
        cid_font,
        widths,
        cff: face.is_cff(),
    })
}

/// A ToUnicode CMap mapping each subset glyph id (the Identity-H code) to
/// its character (UTF-16BE), in `bfchar` blocks of at most 100 entries.
fn to_unicode_cmap(char_to_gid: &[(char, u16)]) -> String {
    let mut by_gid: Vec<(u16, char)> = char_to_gid.iter().map(|&(c, g)| (g, c)).collect();
    by_gid.sort_unstable();
    let mut s = String::with_capacity(400 + by_gid.len() * 16);
    s.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in by_gid.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            let _ = write!(s, "<{gid:04X}> <");
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(s, "{u:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// The printpdf font printpdf itself would embed for a subset (a hand-built
/// `ParsedFont` whose cmap points at subset glyph ids); the test comparing
/// our content streams with printpdf's uses it.
#[cfg(test)]
pub(super) fn printpdf_font(face: FontFace, subset: &Subset) -> printpdf::PdfFont {
    let f = fonts().face(face);
    let (ascent, descent, _) = f.vertical_units();
    printpdf::PdfFont::new(printpdf::ParsedFont {
        original_bytes: subset.program.0.clone(),
        font_index: 0,
        font_name: Some(subset.base_font.clone()),
        codepoint_to_glyph: subset
            .char_to_gid
            .iter()
            .map(|&(c, g)| (u32::from(c), g))
            .collect(),
        glyph_widths: (0u16..).zip(subset.widths.iter().copied()).collect(),
        units_per_em: f.units_per_em(),
        font_metrics: printpdf::FontMetrics { ascent, descent },
        font_type: printpdf::FontType::TrueType,
        pdf_font_metrics: printpdf::PdfFontMetricsStub::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_maps_subset_ids_to_utf16() {
        let s = to_unicode_cmap(&[('\u{202F}', 2), ('A', 1), ('😀', 3)]);
        assert!(
            s.contains(
                "3 beginbfchar\n<0001> <0041>\n<0002> <202F>\n<0003> <D83DDE00>\nendbfchar\n"
            ),
            "{s}"
        );
    }

    #[test]
    fn subsets_are_small_and_tagged() {
        let face = fonts().face(FontFace::Regular);
        let glyphs: Vec<u16> = "Beløp €\u{202F}"
            .chars()
            .filter_map(|c| face.glyph_id(c))
            .collect();
        let mut sorted = glyphs.clone();
        sorted.sort_unstable();
        let s = make_subset(FontFace::Regular, &sorted).unwrap();
        assert!(s.program.0.len() < 4000, "{}", s.program.0.len());
        assert_eq!(s.base_font.len(), "ABCDEF+NotoSans-Regular".len());
        assert!(s.base_font.ends_with("+NotoSans-Regular"));
        assert_eq!(s.char_to_gid.len(), 8);
        let parsed = ttf_parser::Face::parse(&s.program.0, 0).unwrap();
        for (c, g) in &s.char_to_gid {
            let orig = face.glyph_id(*c).unwrap();
            assert_eq!(
                parsed.glyph_hor_advance(ttf_parser::GlyphId(*g)),
                Some(face.glyph_advance_units(orig)),
                "{c:?}"
            );
        }
        // Same glyph set, same tag; another set, another tag.
        let again = make_subset(FontFace::Regular, &sorted).unwrap();
        assert_eq!(s.base_font, again.base_font);
        assert_eq!(s.program, again.program);
        let other = make_subset(FontFace::Regular, &sorted[1..]).unwrap();
        assert_ne!(s.base_font, other.base_font);
        // CIDSet: one bit for each of the program's 9 glyphs (.notdef + 8).
        assert_eq!(parsed.number_of_glyphs(), 9);
        assert_eq!(s.cid_set, [0xFF, 0x80]);
    }
}
