//! Per-document font subsets and their printpdf resources.
//!
//! For every face a document uses, the glyphs of its text runs are collected
//! (one table lookup per character), the bundled program is cut down to those
//! glyphs with typst's `subsetter` (glyph 0 `.notdef` first, then the used
//! glyphs in ascending original id), and the result is handed to printpdf as a
//! hand-built `ParsedFont` whose cmap maps each character straight to its
//! *subset* glyph id. printpdf then writes the Type0/CIDFontType2 font with
//! Identity-H, `/W` widths and a `/ToUnicode` CMap over exactly those glyphs;
//! without its `text_layout` feature it does no subsetting of its own, and it
//! never parses the font (no `ParsedFont::from_bytes` per document).
//!
//! Subsets are a pure function of (face, glyph set), so they are cached per
//! process together with their Flate-compressed program; a cache hit saves the
//! subsetting and the compression. The cache is bounded and cleared when full,
//! which changes speed, never bytes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::{FontId, FontMetrics, FontType, ParsedFont, PdfFont, PdfFontMetricsStub};

use super::PdfError;
use super::identity::StableHasher;
use crate::font::{Face, fonts};
use crate::layout::FontFace;
use crate::layout::document::{Document, Item};

/// The faces in resource order.
pub(super) const FACES: [FontFace; 3] = [FontFace::Regular, FontFace::Bold, FontFace::Mono];

/// The resource name (`/F1 12 Tf`) of a face; fixed, so no printpdf random ids.
pub(super) fn resource_name(face: FontFace) -> &'static str {
    match face {
        FontFace::Regular => "F1",
        FontFace::Bold => "F2",
        FontFace::Mono => "F3",
    }
}

/// One face's subset: program, glyph mapping and subset tag.
#[derive(Debug)]
pub(super) struct Subset {
    /// The subset TrueType program.
    pub program: Vec<u8>,
    /// `program`, zlib-compressed (what `/FontFile2` holds when compressing).
    pub deflated: Vec<u8>,
    /// `ABCDEF+NotoSans-Regular`: the subset tag and PostScript name.
    pub base_font: String,
    /// Character → subset glyph id, for every character the document uses.
    pub char_to_gid: Vec<(char, u16)>,
    /// Subset glyph id → advance in font units.
    pub widths: Vec<(u16, u16)>,
}

/// The glyphs each face uses, as flags indexed by original glyph id.
#[derive(Debug, Default)]
pub(super) struct Usage {
    used: [Vec<bool>; 3],
}

impl Usage {
    /// Collects the glyphs of every text run, failing on a character the
    /// run's face cannot draw.
    pub(super) fn collect(doc: &Document) -> Result<Usage, PdfError> {
        let set = fonts();
        let mut usage = Usage::default();
        for (slot, face) in usage.used.iter_mut().zip(FACES) {
            *slot = vec![false; set.face(face).glyph_count()];
        }
        for (p, page) in doc.pages.iter().enumerate() {
            for (i, item) in page.items.iter().enumerate() {
                let Item::Text(run) = item else { continue };
                let face = set.face(run.face);
                let used = &mut usage.used[face_index(run.face)];
                for c in run.text.chars() {
                    let gid = face.glyph_id(c).ok_or(PdfError::MissingGlyph {
                        page: p + 1,
                        item: i,
                        ch: c,
                        face: run.face,
                    })?;
                    if let Some(flag) = used.get_mut(usize::from(gid)) {
                        *flag = true;
                    }
                }
            }
        }
        Ok(usage)
    }

    /// The original glyph ids `face` uses, ascending (empty when unused).
    pub(super) fn glyphs(&self, face: FontFace) -> Vec<u16> {
        self.used[face_index(face)]
            .iter()
            .enumerate()
            .filter(|(_, used)| **used)
            .filter_map(|(gid, _)| u16::try_from(gid).ok())
            .collect()
    }
}

fn face_index(face: FontFace) -> usize {
    match face {
        FontFace::Regular => 0,
        FontFace::Bold => 1,
        FontFace::Mono => 2,
    }
}

type CacheKey = (FontFace, Vec<u16>);

/// How many subsets the process keeps before starting over.
const CACHE_LIMIT: usize = 256;

fn cache() -> &'static Mutex<HashMap<CacheKey, Arc<Subset>>> {
    static CACHE: OnceLock<Mutex<HashMap<CacheKey, Arc<Subset>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Empties the subset cache (benchmarks use it to time the cold path).
#[doc(hidden)]
pub fn clear_subset_cache() {
    cache().lock().unwrap_or_else(|e| e.into_inner()).clear();
}

/// The subset of `face` for `glyphs` (original ids, ascending, non-empty),
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
    let mut widths = Vec::with_capacity(glyphs.len() + 1);
    widths.push((0, face.glyph_advance_units(0)));
    for &gid in glyphs {
        let new = remapper.remap(gid);
        widths.push((new, face.glyph_advance_units(gid)));
        if let Some(c) = face.char_of_glyph(gid) {
            char_to_gid.push((c, new));
        }
    }
    let program = subsetter::subset(face.data(), 0, &remapper).map_err(|e| PdfError::Subset {
        face: face_id,
        message: e.to_string(),
    })?;
    let deflated = super::stream::deflate(&program)?;

    // The tag: six capitals derived from the face and glyph set (ISO 32000-1 9.6.4).
    let mut h = StableHasher::new();
    h.update(face.postscript_name().as_bytes());
    for g in glyphs {
        h.update(&g.to_le_bytes());
    }
    let mut bits = h.finish128()[0];
    let mut tag = String::with_capacity(7 + face.postscript_name().len());
    for _ in 0..6 {
        tag.push(char::from(b'A' + (bits % 26) as u8));
        bits /= 26;
    }
    tag.push('+');
    tag.push_str(face.postscript_name());
    Ok(Subset {
        program,
        deflated,
        base_font: tag,
        char_to_gid,
        widths,
    })
}

/// The printpdf font for a subset: a hand-built `ParsedFont` (no parsing)
/// whose cmap points at subset glyph ids.
pub(super) fn printpdf_font(face: &Face, subset: &Subset) -> PdfFont {
    let (ascent, descent, _) = face.vertical_units();
    let [x_min, y_min, x_max, y_max] = face.bbox_units();
    let upm = face.units_per_em();
    let codepoint_to_glyph: BTreeMap<u32, u16> = subset
        .char_to_gid
        .iter()
        .map(|&(c, g)| (u32::from(c), g))
        .collect();
    let glyph_widths: BTreeMap<u16, u16> = subset.widths.iter().copied().collect();
    let italic = face.italic_angle();
    PdfFont::new(ParsedFont {
        original_bytes: subset.program.clone(),
        font_index: 0,
        font_name: Some(subset.base_font.clone()),
        codepoint_to_glyph,
        glyph_widths,
        units_per_em: upm,
        font_metrics: FontMetrics { ascent, descent },
        font_type: FontType::TrueType,
        pdf_font_metrics: PdfFontMetricsStub {
            units_per_em: upm,
            x_min,
            y_min,
            x_max,
            y_max,
            // printpdf derives /ItalicAngle from the caret slope.
            caret_slope_rise: if italic == 0.0 { 1 } else { 1000 },
            caret_slope_run: if italic == 0.0 {
                0
            } else {
                (-(italic.to_radians().tan()) * 1000.0).round() as i16
            },
            us_weight_class: face.weight_class(),
        },
    })
}

/// The fixed printpdf font id of a face.
pub(super) fn font_id(face: FontFace) -> FontId {
    FontId(resource_name(face).to_owned())
}
