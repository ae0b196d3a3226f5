//! The PDF backend: draws a laid-out [`Document`] with printpdf 0.12.8 and
//! returns the file's bytes.
//!
//! ```text
//! Document ──► fonts::Usage (glyphs per face) ──► fonts::subset (subsetter, cached)
//!    │                                                  │
//!    └─► page::build (Item → printpdf Op, y flipped) ───┴─► printpdf::PdfDocument
//!                                                            │ to_lopdf_document
//!                         post-processing in lopdf  ◄────────┘
//!   (font programs, images, Info, catalog, compression, /ID) ──► bytes
//! ```
//!
//! * **Fonts** are subset per document to the glyphs actually drawn and
//!   embedded as Type0/CIDFontType2 (Identity-H) with `/W` widths and a
//!   `/ToUnicode` CMap, under a `ABCDEF+NotoSans-Regular` subset name, so text
//!   extracts, copies and searches exactly (æøå, €, U+202F included). See
//!   [`fonts`](self) in `fonts.rs`.
//! * **Determinism**: the same [`Document`] gives the same bytes, in one
//!   process, across processes and on any number of threads. Resource names
//!   are fixed (`/F1` Regular, `/F2` Bold, `/F3` Mono, `/Im{n}` images) instead
//!   of printpdf's counter-based ids; coordinates are rounded to 0.01 pt in
//!   integers; dates come from `metadata.created_unix`; the trailer `/ID` is a
//!   hash of `metadata.ident` and the file content (`identity.rs`). The
//!   per-process caches (font subsets, encoded images) are pure functions of
//!   their keys and change speed, never bytes.
//! * **Images**: RGB, or RGBA with the alpha channel as a soft mask (`/SMask`).
//! * **Metadata**: `/Title`, `/Author`, `/Subject` from [`Metadata`], `/Creator`
//!   `kravia-invoice`, creation and modification date; no empty
//!   `GTS_PDFXVersion` (which made `pdfinfo` report PDF/X).
//!
//! [`Metadata`]: crate::layout::document::Metadata

mod fonts;
mod identity;
mod image;
mod page;
mod stream;
#[cfg(test)]
mod tests;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{PdfDocument, PdfParseErrorSeverity, PdfSaveOptions, PdfWarnMsg};

use crate::font;
use crate::layout::FontFace;
use crate::layout::document::{Document, Item};

#[doc(hidden)]
pub use fonts::clear_subset_cache;

/// Output switches for [`write`].
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Flate-compress content streams, font programs and CMaps (default
    /// `true`). `false` leaves them readable for debugging; images are always
    /// compressed.
    pub compress: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions { compress: true }
    }
}

/// Why a document could not be written. Page numbers are 1-based; item
/// numbers are indices into `Page::items`.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document has no pages.
    #[error("pdf: the document has no pages")]
    NoPages,
    /// A page size is not positive and finite.
    #[error("pdf: page {page} has size {width}×{height} pt, which is not positive and finite")]
    PageSize {
        /// Page number (1-based).
        page: usize,
        /// Width in points.
        width: f32,
        /// Height in points.
        height: f32,
    },
    /// A coordinate or size is NaN or infinite.
    #[error("pdf: page {page}, item {item}: {what} is not a finite number")]
    NonFinite {
        /// Page number (1-based).
        page: usize,
        /// Index into the page's items.
        item: usize,
        /// Which value.
        what: &'static str,
    },
    /// A text run contains a character its face has no glyph for.
    #[error("pdf: page {page}, item {item}: the {face:?} font has no glyph for {ch:?}")]
    MissingGlyph {
        /// Page number (1-based).
        page: usize,
        /// Index into the page's items.
        item: usize,
        /// The character.
        ch: char,
        /// The face of the run.
        face: FontFace,
    },
    /// An image item refers to an image the document does not have.
    #[error("pdf: page {page}, item {item}: image {index} does not exist ({count} images)")]
    ImageIndex {
        /// Page number (1-based).
        page: usize,
        /// Index into the page's items.
        item: usize,
        /// The referenced index.
        index: usize,
        /// How many images the document has.
        count: usize,
    },
    /// An image's pixel buffer does not match its size.
    #[error(
        "pdf: image {index}: {width}×{height} pixels of {layout} need {expected} bytes, found {found}"
    )]
    RasterSize {
        /// Index into `Document::images`.
        index: usize,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// `RGB` or `RGBA`.
        layout: &'static str,
        /// Bytes needed.
        expected: u64,
        /// Bytes present.
        found: usize,
    },
    /// The font subsetter failed.
    #[error("pdf: subsetting the {face:?} font failed: {message}")]
    Subset {
        /// The face.
        face: FontFace,
        /// The subsetter's message.
        message: String,
    },
    /// printpdf reported an error while building the document.
    #[error("pdf: printpdf reported: {0}")]
    Printpdf(String),
    /// The creation time cannot be written as a PDF date.
    #[error("pdf: creation time {0} (unix seconds) is outside the years 0–9999")]
    Date(i64),
    /// The document printpdf produced does not have the expected shape.
    #[error("pdf: unexpected document structure: {0}")]
    Structure(String),
    /// Compressing or serializing failed.
    #[error("pdf: writing the file failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes `doc` as a PDF file.
pub fn write(doc: &Document, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    if doc.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let usage = fonts::Usage::collect(doc)?;
    let images_used = images_used(doc)?;

    // 1. printpdf: pages of ops, fonts under fixed ids.
    let mut pdf = PdfDocument::new(&doc.metadata.title);
    let mut subsets = Vec::new();
    for face in fonts::FACES {
        let glyphs = usage.glyphs(face);
        if glyphs.is_empty() {
            continue;
        }
        let subset = fonts::subset(face, glyphs)?;
        pdf.resources.fonts.map.insert(
            fonts::font_id(face),
            fonts::printpdf_font(font::fonts().face(face), &subset),
        );
        subsets.push((face, subset));
    }
    pdf.pages = doc
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| page::build(i + 1, p))
        .collect::<Result<_, _>>()?;

    let save = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings: Vec<PdfWarnMsg> = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    let errors: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| format!("page {}, op {}: {}", w.page, w.op_id, w.msg))
        .collect();
    if !errors.is_empty() {
        return Err(PdfError::Printpdf(errors.join("; ")));
    }

    // 2. Post-processing.
    let resources = Resources::find(&lo)?;
    for (face, subset) in &subsets {
        finish_font(&mut lo, &resources, *face, subset, options.compress)?;
    }
    let mut xobjects = Dictionary::new();
    for &index in &images_used {
        let id = image::add(&mut lo, &doc.images[index])?;
        xobjects.set(page::image_id(index).0, Object::Reference(id));
    }
    lo.objects
        .insert(resources.xobjects, Object::Dictionary(xobjects));
    drop_empty_resources(&mut lo, &resources, !images_used.is_empty());
    if options.compress {
        stream::compress_all(&mut lo)?;
    }
    let info = Object::Dictionary(identity::info_dict(&doc.metadata)?);
    match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            lo.objects.insert(id, info);
        }
        Err(_) => {
            let id = lo.add_object(info);
            lo.trailer.set("Info", Object::Reference(id));
        }
    }
    set_catalog(&mut lo)?;
    lo.version = "1.7".into();
    let placeholder = Object::String(identity::ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    lo.renumber_objects();

    let mut out = Vec::with_capacity(32 * 1024);
    lo.save_to(&mut out)?;
    identity::patch_file_id(&mut out, &doc.metadata.ident)?;
    Ok(out)
}

/// The images the pages draw, ascending; checks indices and pixel buffers.
fn images_used(doc: &Document) -> Result<Vec<usize>, PdfError> {
    let mut used = vec![false; doc.images.len()];
    for (p, page) in doc.pages.iter().enumerate() {
        for (i, item) in page.items.iter().enumerate() {
            if let Item::Image(img) = item {
                match used.get_mut(img.image) {
                    Some(flag) => *flag = true,
                    None => {
                        return Err(PdfError::ImageIndex {
                            page: p + 1,
                            item: i,
                            index: img.image,
                            count: doc.images.len(),
                        });
                    }
                }
            }
        }
    }
    let used: Vec<usize> = (0..used.len()).filter(|&i| used[i]).collect();
    for &i in &used {
        image::validate(i, &doc.images[i])?;
    }
    Ok(used)
}

/// The shared resource dictionaries printpdf references from every page.
struct Resources {
    fonts: ObjectId,
    xobjects: ObjectId,
    extgstates: ObjectId,
    shadings: ObjectId,
}

fn structure(what: &str) -> PdfError {
    PdfError::Structure(what.to_owned())
}

impl Resources {
    fn find(lo: &lopdf::Document) -> Result<Resources, PdfError> {
        let first = lo
            .get_pages()
            .into_values()
            .next()
            .ok_or_else(|| structure("no page objects"))?;
        let page = lo
            .get_dictionary(first)
            .map_err(|_| structure("page is not a dictionary"))?;
        let res_id = page
            .get(b"Resources")
            .and_then(Object::as_reference)
            .map_err(|_| structure("page has no /Resources reference"))?;
        let res = lo
            .get_dictionary(res_id)
            .map_err(|_| structure("page /Resources is not a dictionary"))?;
        let get = |key: &[u8]| {
            res.get(key).and_then(Object::as_reference).map_err(|_| {
                structure(&format!(
                    "page resources lack /{}",
                    String::from_utf8_lossy(key)
                ))
            })
        };
        Ok(Resources {
            fonts: get(b"Font")?,
            xobjects: get(b"XObject")?,
            extgstates: get(b"ExtGState")?,
            shadings: get(b"Shading")?,
        })
    }
}

/// Puts the (cached, pre-compressed) font program in place and fixes the
/// descriptor's `/CapHeight` (printpdf writes the ascent there).
fn finish_font(
    lo: &mut lopdf::Document,
    res: &Resources,
    face: FontFace,
    subset: &fonts::Subset,
    compress: bool,
) -> Result<(), PdfError> {
    let name = fonts::resource_name(face);
    let missing = || structure(&format!("font /{name} is incomplete"));
    let type0 = lo
        .get_dictionary(res.fonts)
        .and_then(|d| d.get(name.as_bytes()))
        .and_then(Object::as_reference)
        .map_err(|_| missing())?;
    let descriptor = lo
        .get_dictionary(type0)
        .and_then(|d| d.get(b"DescendantFonts"))
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|d| d.as_dict().ok())
        .and_then(|d| d.get(b"FontDescriptor").ok())
        .and_then(|r| r.as_reference().ok())
        .ok_or_else(missing)?;
    let upm = f32::from(font::fonts().face(face).units_per_em());
    let (_, _, cap) = font::fonts().face(face).vertical_units();
    let cap = (f32::from(cap) * 1000.0 / upm).round() as i64;
    let desc = lo.get_dictionary_mut(descriptor).map_err(|_| missing())?;
    desc.set("CapHeight", cap);
    let program = desc
        .get(b"FontFile2")
        .and_then(Object::as_reference)
        .map_err(|_| missing())?;
    if compress {
        let Some(Object::Stream(s)) = lo.objects.get_mut(&program) else {
            return Err(missing());
        };
        s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        s.set_content(subset.deflated.clone());
        s.allows_compression = false;
    }
    Ok(())
}

/// Removes the empty `/ExtGState`, `/Shading` (and, without images,
/// `/XObject`) dictionaries printpdf puts on every page.
fn drop_empty_resources(lo: &mut lopdf::Document, res: &Resources, keep_xobjects: bool) {
    let mut drop: Vec<(&[u8], ObjectId)> = Vec::new();
    for (key, id) in [
        (&b"ExtGState"[..], res.extgstates),
        (b"Shading", res.shadings),
        (b"XObject", res.xobjects),
    ] {
        if key == b"XObject" && keep_xobjects {
            continue;
        }
        if lo.get_dictionary(id).is_ok_and(|d| d.is_empty()) {
            drop.push((key, id));
        }
    }
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    for page in pages {
        let Ok(res_id) = lo
            .get_dictionary(page)
            .and_then(|p| p.get(b"Resources"))
            .and_then(Object::as_reference)
        else {
            continue;
        };
        if let Ok(d) = lo.get_dictionary_mut(res_id) {
            for (key, _) in &drop {
                d.remove(key);
            }
        }
        // Pages carry an empty /Annots array too.
        if let Ok(p) = lo.get_dictionary_mut(page) {
            if p.get(b"Annots")
                .and_then(Object::as_array)
                .is_ok_and(|a| a.is_empty())
            {
                p.remove(b"Annots");
            }
        }
    }
    for (_, id) in drop {
        lo.objects.remove(&id);
    }
}

/// Sets `/ViewerPreferences << /DisplayDocTitle true >>` on the catalog.
fn set_catalog(lo: &mut lopdf::Document) -> Result<(), PdfError> {
    let root = lo
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| structure("trailer has no /Root"))?;
    let catalog = lo
        .get_dictionary_mut(root)
        .map_err(|_| structure("/Root is not a dictionary"))?;
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", true);
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    Ok(())
}
