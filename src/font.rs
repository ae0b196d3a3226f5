//! The font faces and their metrics, and the fallback chain that finds a face
//! for any character.
//!
//! Four faces ship inside the binary (`include_bytes!`), pre-subset once with
//! fonttools (see `fonts/README.md`):
//!
//! | [`FontFace`]          | file                                    | covers |
//! |-----------------------|-----------------------------------------|--------|
//! | [`FontFace::Regular`] | `fonts/NotoSans-Regular.subset.ttf`     | all Latin (incl. Vietnamese, Sámi, Icelandic, Polish), Greek, Cyrillic, combining marks, punctuation, currency, U+FFFD |
//! | [`FontFace::Bold`]    | `fonts/NotoSans-Bold.subset.ttf`        | the same |
//! | [`FontFace::Mono`]    | `fonts/NotoSansMono-Regular.subset.ttf` | European Latin (references, IBAN, barcode digits) |
//! | [`FontFace::Emoji`]   | `fonts/NotoEmoji-Regular.subset.ttf`    | monochrome emoji and pictographs |
//!
//! All are Noto (SIL Open Font License 1.1, no reserved font names). Noto Sans
//! has no U+2212 MINUS SIGN (Noto Sans Mono has): write negative amounts with
//! U+002D.
//!
//! Other scripts (CJK, Arabic, Hebrew, Thai, …) come from a [`FontChain`]: the
//! brand's font directory (`[style] font_dir`), then the system's fonts
//! (`/usr/share/fonts`, `/usr/local/share/fonts`). Faces loaded from files are
//! [`FontFace::Extra`], registered once per process.
//!
//! [`fonts`] parses the bundled faces once per process with `ttf-parser` and
//! keeps, per face, a table of glyph ids and advances for every mapped
//! character, so measuring text is a table lookup and an integer sum.
//!
//! ```
//! use kravia_invoice::font::fonts;
//! use kravia_invoice::font::FontFace;
//!
//! let regular = fonts().face(FontFace::Regular);
//! assert!(regular.first_missing("Beløp å betale: 1\u{202F}234,50 € · Nguyễn · Αθήνα · Москва").is_none());
//! let width = regular.text_width("Faktura", 10.0); // points at 10 pt
//! assert!(width > 30.0 && width < 40.0);
//! assert!(fonts().face(FontFace::Emoji).has_glyph('🎁'));
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// Which font face a text run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontFace {
    /// The regular face.
    Regular,
    /// The bold face.
    Bold,
    /// A monospaced face, for payment references and the virtual barcode digits.
    Mono,
    /// The bundled monochrome emoji and pictograph face.
    Emoji,
    /// A face loaded from a font file (brand font directory or system fonts),
    /// by its number in this process's registry.
    Extra(u16),
}

/// The Regular face program (Noto Sans Regular 2.004, European Latin subset).
static REGULAR_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Regular.subset.ttf");
/// The Bold face program (Noto Sans Bold 2.004, European Latin subset).
static BOLD_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Bold.subset.ttf");
/// The Mono face program (Noto Sans Mono Regular 2.006, European Latin subset).
static MONO_TTF: &[u8] = include_bytes!("../fonts/NotoSansMono-Regular.subset.ttf");
/// The Emoji face program (Noto Emoji 3.002 at weight 400, monochrome).
static EMOJI_TTF: &[u8] = include_bytes!("../fonts/NotoEmoji-Regular.subset.ttf");

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

/// The bundled faces, parsed once, and the faces loaded since; get it with
/// [`fonts`].
#[derive(Debug)]
pub struct FontSet {
    regular: Face,
    bold: Face,
    mono: Face,
    emoji: Face,
}

impl FontSet {
    /// The face for a [`FontFace`]. An [`FontFace::Extra`] number that was
    /// never registered (impossible for numbers a [`FontChain`] handed out)
    /// gives the regular face.
    pub fn face(&self, face: FontFace) -> &Face {
        match face {
            FontFace::Regular => &self.regular,
            FontFace::Bold => &self.bold,
            FontFace::Mono => &self.mono,
            FontFace::Emoji => &self.emoji,
            FontFace::Extra(i) => registry()
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(usize::from(i))
                .copied()
                .unwrap_or(&self.regular),
        }
    }
}

/// One parsed font face: character → glyph table, advances and vertical metrics.
///
/// Metrics are in em (1.0 = the font size) unless a method says "font units".
#[derive(Debug)]
pub struct Face {
    data: &'static [u8],
    /// The face's number in a font collection (0 for a single font file).
    index: u32,
    /// Whether the outlines are CFF (PostScript) rather than TrueType.
    cff: bool,
    /// The PDF resource name, `F1`; loaded faces get one derived from the
    /// program, so it does not depend on load order.
    resource: String,
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
        regular: Face::parse(REGULAR_TTF, "NotoSans-Regular", "F1"),
        bold: Face::parse(BOLD_TTF, "NotoSans-Bold", "F2"),
        mono: Face::parse(MONO_TTF, "NotoSansMono-Regular", "F3"),
        emoji: Face::parse(EMOJI_TTF, "NotoEmoji-Regular", "F4"),
    })
}

impl Face {
    /// Parses a bundled face. A face that fails to parse (impossible for the
    /// committed files, which the tests parse) maps no character, so layout's
    /// glyph check reports every character instead of the process panicking.
    fn parse(data: &'static [u8], fallback_name: &str, resource: &str) -> Face {
        match ttf_parser::Face::parse(data, 0) {
            Ok(face) => Face::from_ttf(data, 0, &face, fallback_name, resource.to_owned()),
            Err(e) => Face {
                data,
                index: 0,
                cff: false,
                resource: resource.to_owned(),
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

    fn from_ttf(
        data: &'static [u8],
        index: u32,
        face: &ttf_parser::Face<'_>,
        fallback_name: &str,
        resource: String,
    ) -> Face {
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
            index,
            cff: face.tables().cff.is_some(),
            resource,
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

    /// The font program (the pre-subset TrueType file as bundled, or the
    /// font file as loaded; see [`Face::collection_index`]).
    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    /// The face's number in its font file (a collection may hold several).
    pub fn collection_index(&self) -> u32 {
        self.index
    }

    /// Whether the outlines are CFF (an OpenType `.otf`) rather than TrueType.
    pub fn is_cff(&self) -> bool {
        self.cff
    }

    /// The PDF resource name of the face (`F1` … `F4` for the bundled faces).
    pub fn resource_name(&self) -> &str {
        &self.resource
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

/// The faces loaded from files in this process, by [`FontFace::Extra`] number.
/// Append-only; each face's program is kept for the life of the process.
fn registry() -> &'static RwLock<Vec<&'static Face>> {
    static REGISTRY: OnceLock<RwLock<Vec<&'static Face>>> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(Vec::new()))
}

/// Characters a face maps, as sorted inclusive code point ranges.
type Ranges = Vec<(u32, u32)>;

/// A face of a font file: the file, its number in the file, what it covers.
type IndexedFace = (PathBuf, u32, Ranges);

/// Loaded faces by file and collection index (`None`: could not be loaded).
type LoadedFaces = Mutex<HashMap<(PathBuf, u32), Option<FontFace>>>;

/// The faces already loaded, by file and collection index.
fn loaded() -> &'static LoadedFaces {
    static LOADED: OnceLock<LoadedFaces> = OnceLock::new();
    LOADED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The largest font file read (a CJK collection is about 20–40 MB).
const MAX_FONT_BYTES: u64 = 64 << 20;

/// Why a font directory could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FontError {
    /// The directory could not be listed.
    #[error("font directory {}: {source}", dir.display())]
    Dir {
        /// The directory.
        dir: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A font file in it could not be read or parsed.
    #[error("font file {}: {message}", file.display())]
    File {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Reads a font file (bounded) and keeps its bytes for the life of the process.
fn read_font(path: &Path) -> Result<&'static [u8], String> {
    let bytes = crate::file::read_regular(path, MAX_FONT_BYTES).map_err(|e| e.to_string())?;
    Ok(Box::leak(bytes.into_boxed_slice()))
}

/// Loads face `index` of the font file `path` (once per process) and returns
/// its [`FontFace::Extra`]; `None` when it cannot be read or parsed.
fn load_face(path: &Path, index: u32, data: Option<&'static [u8]>) -> Option<FontFace> {
    let key = (path.to_path_buf(), index);
    let mut map = loaded().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = map.get(&key) {
        return *known;
    }
    let made = (|| {
        let data = match data {
            Some(d) => d,
            None => read_font(path).ok()?,
        };
        let parsed = ttf_parser::Face::parse(data, index).ok()?;
        // The resource name hashes the program, so it is the same in every process.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in data.len().to_le_bytes().iter().chain(&index.to_le_bytes()) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        for b in data.iter().step_by(997) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let face = Face::from_ttf(data, index, &parsed, &name, format!("FX{:08X}", h as u32));
        let face: &'static Face = Box::leak(Box::new(face));
        let mut reg = registry().write().unwrap_or_else(|e| e.into_inner());
        let n = u16::try_from(reg.len()).ok()?;
        reg.push(face);
        Some(FontFace::Extra(n))
    })();
    map.insert(key, made);
    made
}

/// The faces of every font file in `dir` (`.ttf`, `.otf`, `.ttc`, `.otc`),
/// recursively, in path order: `(path, collection index, characters)`.
fn index_dir(dir: &Path, out: &mut Vec<IndexedFace>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            let _ = index_dir(&path, out);
            continue;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
            continue;
        }
        let Ok(data) = crate::file::read_regular(&path, MAX_FONT_BYTES) else {
            continue;
        };
        let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        for index in 0..count {
            if let Ok(face) = ttf_parser::Face::parse(&data, index) {
                out.push((path.clone(), index, coverage(&face)));
            }
        }
    }
    Ok(())
}

/// The characters a face maps, as sorted inclusive ranges.
fn coverage(face: &ttf_parser::Face<'_>) -> Ranges {
    let mut cps = Vec::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables {
            if sub.is_unicode() {
                sub.codepoints(|cp| {
                    if face
                        .glyph_index(char::from_u32(cp).unwrap_or('\0'))
                        .is_some_and(|g| g.0 != 0)
                    {
                        cps.push(cp);
                    }
                });
            }
        }
    }
    cps.sort_unstable();
    cps.dedup();
    let mut ranges: Ranges = Vec::new();
    for cp in cps {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == cp => *end = cp,
            _ => ranges.push((cp, cp)),
        }
    }
    ranges
}

fn covers(ranges: &[(u32, u32)], c: char) -> bool {
    let cp = u32::from(c);
    ranges
        .binary_search_by(|&(a, b)| {
            if b < cp {
                std::cmp::Ordering::Less
            } else if a > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Where the system keeps its fonts.
pub const SYSTEM_FONT_DIRS: [&str; 2] = ["/usr/share/fonts", "/usr/local/share/fonts"];

/// The system's font faces and what they cover, indexed on first need.
struct SystemFonts {
    faces: Vec<IndexedFace>,
    /// Character → the face that draws it (or none), as resolved so far.
    resolved: Mutex<HashMap<char, Option<FontFace>>>,
}

fn system_fonts() -> &'static SystemFonts {
    static SYSTEM: OnceLock<SystemFonts> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let mut faces = Vec::new();
        for d in SYSTEM_FONT_DIRS {
            let _ = index_dir(Path::new(d), &mut faces);
        }
        SystemFonts {
            faces,
            resolved: Mutex::new(HashMap::new()),
        }
    })
}

impl SystemFonts {
    fn resolve(&self, c: char) -> Option<FontFace> {
        let mut cache = self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = cache.get(&c) {
            return *known;
        }
        let found = self
            .faces
            .iter()
            .filter(|(_, _, ranges)| covers(ranges, c))
            .find_map(|(path, index, _)| load_face(path, *index, None));
        cache.insert(c, found);
        found
    }
}

/// Where text finds a face for a character its own face cannot draw: the
/// bundled faces, the brand's font directory, then the system's fonts.
///
/// ```
/// use kravia_invoice::font::{FontChain, FontFace};
/// let chain = FontChain::bundled_only();
/// assert_eq!(chain.resolve(FontFace::Mono, 'ễ'), Some(FontFace::Regular));
/// assert_eq!(chain.resolve(FontFace::Bold, '🎁'), Some(FontFace::Emoji));
/// assert_eq!(chain.resolve(FontFace::Regular, '\u{10FFFD}'), None);
/// ```
#[derive(Clone, Debug)]
pub struct FontChain {
    /// The faces of the brand's font directory, in path order.
    dir: Arc<Vec<(FontFace, Ranges)>>,
    /// Whether the system's fonts are searched.
    system: bool,
}

impl Default for FontChain {
    /// The bundled faces, then the system's fonts.
    fn default() -> FontChain {
        FontChain {
            dir: Arc::new(Vec::new()),
            system: true,
        }
    }
}

impl FontChain {
    /// The bundled faces only.
    pub fn bundled_only() -> FontChain {
        FontChain {
            dir: Arc::new(Vec::new()),
            system: false,
        }
    }

    /// The bundled faces, the font files in `dir` (when given; every `.ttf`,
    /// `.otf`, `.ttc` and `.otc`, recursively, in path order), then the
    /// system's fonts when `system`.
    ///
    /// # Errors
    ///
    /// [`FontError::Dir`] when `dir` cannot be listed, [`FontError::File`]
    /// when a font file in it cannot be parsed.
    pub fn new(dir: Option<&Path>, system: bool) -> Result<FontChain, FontError> {
        let mut faces = Vec::new();
        if let Some(dir) = dir {
            let mut found = Vec::new();
            index_dir(dir, &mut found).map_err(|source| FontError::Dir {
                dir: dir.to_path_buf(),
                source,
            })?;
            for (path, index, ranges) in found {
                let face = load_face(&path, index, None).ok_or_else(|| FontError::File {
                    file: path.clone(),
                    message: "not a usable TrueType or OpenType font".into(),
                })?;
                faces.push((face, ranges));
            }
        }
        Ok(FontChain {
            dir: Arc::new(faces),
            system,
        })
    }

    /// Whether the system's fonts are searched.
    pub fn uses_system_fonts(&self) -> bool {
        self.system
    }

    /// The face that draws `c` for text set in `primary`: `primary` itself,
    /// another bundled text face, the emoji face, a face of the brand's font
    /// directory, a system face; `None` when no face can draw it.
    pub fn resolve(&self, primary: FontFace, c: char) -> Option<FontFace> {
        let set = fonts();
        if set.face(primary).has_glyph(c) {
            return Some(primary);
        }
        for f in [
            FontFace::Regular,
            FontFace::Bold,
            FontFace::Mono,
            FontFace::Emoji,
        ] {
            if f != primary && set.face(f).has_glyph(c) {
                return Some(f);
            }
        }
        if let Some((f, _)) = self.dir.iter().find(|(_, r)| covers(r, c)) {
            return Some(*f);
        }
        if self.system && !c.is_control() {
            return system_fonts().resolve(c);
        }
        None
    }

    /// Whether some face can draw `c`.
    pub fn can_draw(&self, c: char) -> bool {
        self.resolve(FontFace::Regular, c).is_some()
    }

    /// The width of `text` in points at `size`, each character measured in
    /// the face that draws it (a character no face draws is measured as
    /// [`REPLACEMENT`]).
    pub fn text_width(&self, primary: FontFace, text: &str, size: f32) -> f32 {
        let set = fonts();
        let p = set.face(primary);
        // The common case: the primary face draws it all.
        if p.first_missing(text).is_none() {
            return p.text_width(text, size);
        }
        let mut total = 0.0f64;
        for c in text.chars() {
            let (face, c) = match self.resolve(primary, c) {
                Some(f) => (set.face(f), c),
                None => (p, REPLACEMENT),
            };
            total += f64::from(face.advance(c).unwrap_or(0.0)) * f64::from(size);
        }
        total as f32
    }

    /// Splits `text` into runs of one face each, in order; a character no face
    /// draws becomes [`REPLACEMENT`] in the primary face.
    pub fn segments(&self, primary: FontFace, text: &str) -> Vec<(FontFace, String)> {
        let mut out: Vec<(FontFace, String)> = Vec::new();
        for c in text.chars() {
            let (face, c) = match self.resolve(primary, c) {
                Some(f) => (f, c),
                None => (primary_with_replacement(primary), REPLACEMENT),
            };
            match out.last_mut() {
                Some((f, s)) if *f == face => s.push(c),
                _ => out.push((face, c.to_string())),
            }
        }
        out
    }
}

/// The mark drawn for a character that no face can draw: U+FFFD REPLACEMENT
/// CHARACTER (in the regular and bold faces).
pub const REPLACEMENT: char = '\u{FFFD}';

/// The face that draws [`REPLACEMENT`] for text in `primary`.
fn primary_with_replacement(primary: FontFace) -> FontFace {
    if fonts().face(primary).has_glyph(REPLACEMENT) {
        primary
    } else {
        FontFace::Regular
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [FontFace; 3] = [FontFace::Regular, FontFace::Bold, FontFace::Mono];
    const ALL4: [FontFace; 4] = [
        FontFace::Regular,
        FontFace::Bold,
        FontFace::Mono,
        FontFace::Emoji,
    ];

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
    fn text_faces_cover_every_european_script_and_emoji_has_its_face() {
        let scripts = "Nguyễn Thị Phương Thảo ắằẳẵặ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỷỹỵ Đđ \
            Zażółć gęślą jaźń Þórður Guðjónsson Ŋŧđžǯǥǩʒ Ș ș Ț ț \
            Αθήνα ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ άέήίόύώϊϋΐΰ \
            Москва Київ ґєїі Ўў Ђђ Љљ Њњ Ћћ Џџ Ӂӂ Әә Өө Үү ₽ ₴ \u{FFFD}";
        for f in [FontFace::Regular, FontFace::Bold] {
            assert_eq!(fonts().face(f).first_missing(scripts), None, "{f:?}");
        }
        let emoji = fonts().face(FontFace::Emoji);
        assert_eq!(emoji.parse_error(), None);
        assert_eq!(emoji.first_missing("🎁❤👍🏽😀🚀🍕🎄☃✔\u{FE0F}\u{200D}"), None);
        assert!(!emoji.has_glyph('A') && !emoji.has_glyph('7'));
        // The invisible parts of emoji sequences take no room.
        assert_eq!(emoji.advance('\u{FE0F}'), Some(0.0));
        let chain = FontChain::bundled_only();
        assert_eq!(
            chain.resolve(FontFace::Regular, 'ы'),
            Some(FontFace::Regular)
        );
        assert_eq!(chain.resolve(FontFace::Mono, 'ы'), Some(FontFace::Regular));
        assert_eq!(chain.resolve(FontFace::Bold, '🎁'), Some(FontFace::Emoji));
        assert_eq!(chain.resolve(FontFace::Regular, '漢'), None);
        assert_eq!(
            chain.segments(FontFace::Bold, "Gave 🎁!"),
            [
                (FontFace::Bold, "Gave ".to_string()),
                (FontFace::Emoji, "🎁".to_string()),
                (FontFace::Bold, "!".to_string())
            ]
        );
        assert_eq!(
            chain.segments(FontFace::Regular, "a\u{10FFFD}"),
            [(FontFace::Regular, "a\u{FFFD}".to_string())]
        );
        // Resource names are fixed for the bundled faces.
        let names: Vec<&str> = [
            FontFace::Regular,
            FontFace::Bold,
            FontFace::Mono,
            FontFace::Emoji,
        ]
        .iter()
        .map(|f| fonts().face(*f).resource_name())
        .collect();
        assert_eq!(names, ["F1", "F2", "F3", "F4"]);
    }

    #[test]
    fn a_font_dir_adds_its_faces_to_the_chain() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts");
        let chain = FontChain::new(Some(&dir), false).unwrap();
        let face = chain.resolve(FontFace::Regular, 'ש').unwrap();
        assert!(matches!(face, FontFace::Extra(_)), "{face:?}");
        assert!(fonts().face(face).postscript_name().contains("Hebrew"));
        assert!(fonts().face(face).resource_name().starts_with("FX"));
        // Loaded once: the same face again.
        let again = FontChain::new(Some(&dir), false).unwrap();
        assert_eq!(again.resolve(FontFace::Bold, 'ש'), Some(face));
        assert!(FontChain::new(Some(&dir.join("nope")), false).is_err());
    }

    #[test]
    fn spaces_have_glyphs_of_their_own() {
        // Distinct glyphs matter: the ToUnicode map is keyed by glyph, so two
        // characters sharing one glyph would extract as the same character.
        for f in ALL4 {
            let face = fonts().face(f);
            let mut seen = std::collections::BTreeMap::new();
            for c in face.chars() {
                let gid = face.glyph_id(c).unwrap_or(0);
                if let Some(prev) = seen.insert(gid, c) {
                    panic!("{f:?}: {prev:?} and {c:?} share glyph {gid}");
                }
            }
            for c in [' ', '\u{00A0}', '\u{2009}', '\u{202F}'] {
                assert!(
                    f == FontFace::Emoji || face.has_glyph(c),
                    "{f:?} lacks {c:?}"
                );
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
