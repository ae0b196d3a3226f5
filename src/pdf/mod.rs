//! The PDF backend: draws a laid-out [`Document`] with printpdf 0.12.8 and
//! returns the file's bytes.
//!
//! ```text
//! Document ─► tags::Tree::build (structure groups → elements, owner per item)
//!    │
//!    ├─► page::build ─► Vec<printpdf::Op> per page (y flipped, 0.01 pt grid,
//!    │                  │ marked content BDC/EMC per owner)
//!    │                  │ content::encode (byte-identical to printpdf's
//!    │                  ▼ own serialization of these ops; tested)
//!    │               content streams
//!    ├─► fonts::Usage ─► fonts::subset (subsetter; Type0 objects, cached)
//!    ├─► image::add (XObject + SMask, cached)
//!    └─► printpdf::PdfDocument::to_lopdf_document (catalog, page tree, pages)
//!                   │
//!                   ▼ lopdf: fonts, images, contents, /Info, compression,
//!                   │ structure tree, XMP, output intent, attachments
//!                 writer::save (tagged: object stream + xref stream)
//!                   or lopdf save (untagged) ─► /ID from the bytes ─► Vec<u8>
//! ```
//!
//! printpdf provides the drawing model (its [`Op`]s) and the document
//! skeleton (catalog, page tree, page boxes, resource dictionaries). Three of
//! its save-time steps are replaced, measured on the one-page reference
//! invoice of `benches/pdf.rs` against a 0.5 ms budget for the whole write:
//! `to_lopdf_document` on the real ops and fonts took ≈0.9 ms (ops → lopdf
//! operations, per-character glyph collection, font objects rebuilt every
//! save) and lopdf's level-9 Flate ≈0.8 ms. Now: ops are serialized by
//! `content.rs` (≈0.1 ms, byte-identical to printpdf's output for the same
//! ops, tested), fonts are subset and written by `fonts.rs` once per glyph
//! set (printpdf embeds whole programs without its `text_layout` feature),
//! and `stream.rs` compresses at levels chosen per stream kind.
//!
//! * **Fonts** are subset per document to the glyphs actually drawn and
//!   embedded as Type0/CIDFontType2 (Identity-H) with `/W` widths and a
//!   `/ToUnicode` CMap, under a `ABCDEF+NotoSans-Regular` subset name, so text
//!   extracts, copies and searches exactly (æøå, €, U+202F included).
//! * **Determinism**: the same [`Document`] gives the same bytes, in one
//!   process, across processes and on any number of threads. Resource names
//!   are fixed (`/F1` Regular, `/F2` Bold, `/F3` Mono, `/Im{n}` images)
//!   instead of printpdf's counter-based ids; coordinates are rounded to
//!   0.01 pt in integers; dates come from `metadata.created_unix`; the
//!   trailer `/ID` is a hash of `metadata.ident` and the file content
//!   (`identity.rs`). The per-process caches (font subsets, encoded images)
//!   are pure functions of their keys and change speed, never bytes.
//! * **Images**: RGB, or RGBA with the alpha channel as a soft mask (`/SMask`).
//! * **Metadata**: `/Title`, `/Author`, `/Subject` from [`Metadata`], `/Creator`
//!   `kravia-invoice`, creation and modification date (`D:…+00'00'`); no empty
//!   `GTS_PDFXVersion` (which made `pdfinfo` report PDF/X).
//! * **Tagged PDF/UA-1** ([`PdfOptions::tagged`], `tags.rs`, `writer.rs`):
//!   the structure tree from the layout's groups, marked content, `/Lang`,
//!   `/MarkInfo`, XMP with `pdfuaid`; non-stream objects in one compressed
//!   object stream.
//! * **PDF/A-3** ([`PdfOptions::pdfa`], `pdfa.rs`, `xmp.rs`): an XMP packet
//!   with `pdfaid` (level A when tagged, else B) whose values equal the
//!   `/Info` entries, an sRGB output intent (the profile in `assets/icc/`), a
//!   `/CIDSet` per font.
//! * **Attachments** ([`PdfOptions::attachments`], `attach.rs`): embedded
//!   files listed as associated files (`/AF`, `/AFRelationship`) and in the
//!   `/EmbeddedFiles` name tree, e.g. the UBL of a hybrid e-invoice.
//!
//! [`Metadata`]: crate::layout::document::Metadata
//! [`Op`]: printpdf::Op

mod attach;
mod content;
mod fonts;
mod identity;
mod image;
mod page;
mod pdfa;
mod stream;
mod tags;
#[cfg(test)]
mod tests;
mod writer;
mod xmp;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{PdfDocument, PdfParseErrorSeverity, PdfSaveOptions, PdfWarnMsg};

use crate::font::FontFace;
use crate::layout::document::{Document, Item};

pub use attach::{AfRelationship, Attachment};
#[doc(hidden)]
pub use fonts::clear_subset_cache;

/// Output switches for [`write`].
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Flate-compress content streams, font programs, CMaps and attachments
    /// (default `true`). `false` leaves them readable for debugging; images
    /// and the ICC profile are always compressed.
    pub compress: bool,
    /// Write a PDF/A-3 archive file (ISO 19005-3): XMP metadata with
    /// `pdfaid`, an sRGB output intent, Info and XMP agreeing; conformance
    /// level A when tagged, else B (default `false`).
    pub pdfa: bool,
    /// Write a tagged PDF/UA-1 file (ISO 14289-1): the structure tree from the
    /// layout's groups, marked content, `/Lang`, `/MarkInfo`, XMP with
    /// `pdfuaid` (default `true`). `false` writes the untagged file (and
    /// ignores the groups).
    pub tagged: bool,
    /// Files to embed as associated files of the document (`/AF`), e.g. the
    /// UBL e-invoice of a hybrid invoice ([`Attachment::xml`]).
    pub attachments: Vec<Attachment>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            compress: true,
            pdfa: false,
            tagged: true,
            attachments: Vec::new(),
        }
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
    /// An attachment cannot be embedded.
    #[error("pdf: attachment {name:?}: {reason}")]
    Attachment {
        /// The attachment's file name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
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
    attach::validate(&options.attachments)?;
    let tree = if options.tagged {
        Some(tags::Tree::build(doc)?)
    } else {
        None
    };
    let usage = fonts::Usage::collect(doc, tree.as_ref())?;
    let images_used = images_used(doc)?;

    // 1. Fonts: one subset per used face.
    let mut subsets = Vec::new();
    for face in usage.faces() {
        let glyphs = usage.glyphs(face);
        if !glyphs.is_empty() {
            subsets.push((face, fonts::subset(face, glyphs)?));
        }
    }
    let mut glyph_maps = content::GlyphMaps::default();
    for (face, subset) in &subsets {
        glyph_maps.set(*face, &subset.remap);
    }

    // 2. Pages: layout items → printpdf ops → content streams, with marked
    //    content for the structure tree when tagged.
    let mut contents = Vec::with_capacity(doc.pages.len());
    let mut pages = Vec::with_capacity(doc.pages.len());
    let mut mcids = Vec::with_capacity(doc.pages.len());
    for (i, p) in doc.pages.iter().enumerate() {
        let (mut page, page_mcids) = page::build(i + 1, p, tree.as_ref())?;
        contents.push(content::encode(&page.ops, &glyph_maps)?);
        page.ops.clear();
        pages.push(page);
        mcids.push(page_mcids);
    }

    // 3. printpdf: the document skeleton.
    let mut pdf = PdfDocument::new(&doc.metadata.title);
    pdf.pages = pages;
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

    // 4. Fill it in with lopdf.
    set_contents(&mut lo, contents)?;
    let resources = Resources::find(&lo)?;
    let mut font_dict = Dictionary::new();
    for (face, subset) in &subsets {
        let id = subset.add_to(&mut lo, options.compress, options.pdfa);
        font_dict.set(fonts::resource_name(*face), Object::Reference(id));
    }
    lo.objects
        .insert(resources.fonts, Object::Dictionary(font_dict));
    let mut xobjects = Dictionary::new();
    for &index in &images_used {
        let id = image::add(&mut lo, &doc.images[index])?;
        xobjects.set(page::image_id(index).0, Object::Reference(id));
    }
    lo.objects
        .insert(resources.xobjects, Object::Dictionary(xobjects));
    drop_empty_resources(&mut lo, &resources);
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
    let mut catalog = Catalog::default();
    let mut raw = Vec::new();
    if let Some(tree) = &tree {
        let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
        let (root, elems) = tree.write(&mut lo, &page_ids, &mcids)?;
        catalog.struct_tree = Some(root);
        raw = elems;
        catalog.lang = Some(doc.metadata.lang.as_str()).filter(|l| !l.is_empty());
    }
    if options.pdfa {
        catalog.output_intents = Some(pdfa::output_intents(&mut lo)?);
    }
    if options.pdfa || options.tagged {
        let claims = xmp::Claims {
            pdfa: options
                .pdfa
                .then_some((3, if options.tagged { 'A' } else { 'B' })),
            pdfua: options.tagged,
        };
        let packet = xmp::packet(&doc.metadata, claims, &doc.metadata.lang)?;
        catalog.metadata = Some(pdfa::metadata_stream(&mut lo, packet));
    }
    catalog.files = attach::add(
        &mut lo,
        &options.attachments,
        doc.metadata.created_unix,
        options.compress,
    )?;
    set_catalog(&mut lo, catalog)?;
    lo.version = "1.7".into();
    let placeholder = Object::String(identity::ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![placeholder.clone(), placeholder]));

    // 5. Serialize, then derive the /ID from the bytes. A tagged file keeps
    //    its many small structure elements in a compressed object stream.
    let mut out = if tree.is_some() {
        writer::save(&lo, raw, options.compress)?
    } else {
        lo.renumber_objects();
        let mut out = Vec::with_capacity(32 * 1024);
        lo.save_to(&mut out)?;
        out
    };
    identity::patch_file_id(&mut out, &doc.metadata.ident)?;
    Ok(out)
}

/// Puts our content streams in place of printpdf's (empty) ones.
fn set_contents(lo: &mut lopdf::Document, contents: Vec<Vec<u8>>) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    if pages.len() != contents.len() {
        return Err(structure("page count changed"));
    }
    for (page, bytes) in pages.into_iter().zip(contents) {
        let id = lo
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(Object::as_reference)
            .map_err(|_| structure("page has no /Contents reference"))?;
        match lo.objects.get_mut(&id) {
            Some(Object::Stream(s)) => s.set_content(bytes),
            _ => return Err(structure("page /Contents is not a stream")),
        }
    }
    Ok(())
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

/// Removes the empty `/ExtGState`, `/Shading` (and, without images,
/// `/XObject`) dictionaries printpdf puts on every page.
fn drop_empty_resources(lo: &mut lopdf::Document, res: &Resources) {
    let mut drop: Vec<(&[u8], ObjectId)> = Vec::new();
    for (key, id) in [
        (&b"ExtGState"[..], res.extgstates),
        (b"Shading", res.shadings),
        (b"XObject", res.xobjects),
    ] {
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
        if let Ok(p) = lo.get_dictionary_mut(page)
            && p.get(b"Annots")
                .and_then(Object::as_array)
                .is_ok_and(|a| a.is_empty())
        {
            p.remove(b"Annots");
        }
    }
    for (_, id) in drop {
        lo.objects.remove(&id);
    }
}

/// What goes into the catalog besides printpdf's entries.
#[derive(Default)]
struct Catalog<'a> {
    /// `/StructTreeRoot` (and `/MarkInfo`).
    struct_tree: Option<ObjectId>,
    /// `/Lang`.
    lang: Option<&'a str>,
    /// `/OutputIntents`.
    output_intents: Option<Object>,
    /// `/Metadata`.
    metadata: Option<ObjectId>,
    /// `/AF` and the `/EmbeddedFiles` name tree.
    files: Option<(Object, Object)>,
}

/// Sets `/ViewerPreferences << /DisplayDocTitle true >>` and the entries of
/// `extra` on the catalog.
fn set_catalog(lo: &mut lopdf::Document, extra: Catalog<'_>) -> Result<(), PdfError> {
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
    if let Some(root) = extra.struct_tree {
        catalog.set("StructTreeRoot", Object::Reference(root));
        let mut mark = Dictionary::new();
        mark.set("Marked", true);
        catalog.set("MarkInfo", Object::Dictionary(mark));
    }
    if let Some(lang) = extra.lang {
        catalog.set("Lang", identity::text_string(lang));
    }
    if let Some(intents) = extra.output_intents {
        catalog.set("OutputIntents", intents);
    }
    if let Some(id) = extra.metadata {
        catalog.set("Metadata", Object::Reference(id));
    }
    if let Some((af, tree)) = extra.files {
        catalog.set("AF", af);
        let mut names = Dictionary::new();
        names.set("EmbeddedFiles", tree);
        catalog.set("Names", Object::Dictionary(names));
    }
    Ok(())
}
