//! The backend-neutral page model that `layout` produces and `pdf` draws.
//!
//! A [`Document`] is a list of [`Page`]s; a page is a size plus positioned
//! [`Item`]s in points, origin at the **top-left** corner, y growing downwards
//! (the PDF backend flips it). Nothing here knows Dintero, PDF or printpdf.
//! Coordinates are `f32` points rounded to 0.01 pt by the layout so that float
//! noise cannot change output bytes.
//!
//! **Structure.** What the items *mean* — for screen readers and the tagged
//! PDF's structure tree — is said by [`Item::Begin`]`(`[`Role`]`)` …
//! [`Item::End`] pairs around them: a heading, a paragraph, a table with its
//! rows and (header) cells, a figure with its alternative text, a section, or
//! an artifact (decoration, pagination). The groups nest, may continue across
//! pages (a table) and are read in stream order, which is the reading order.
//! Text outside any group, or directly in a section, table or row, is read as
//! a paragraph of its own; rectangles, lines, images and paths outside a
//! figure are decoration.

use crate::color::Rgb;
use crate::font::FontFace;
use crate::logo::Raster;

/// A length in PostScript points (1/72 inch).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Pt(pub f32);

impl Pt {
    /// Millimetres to points.
    pub fn from_mm(mm: f32) -> Pt {
        Pt(mm * 72.0 / 25.4)
    }
}

/// The role of a text run: what it says, for the read-back check and the dump.
///
/// Most runs are [`TextRole::Plain`]; the payment-critical values carry a role so
/// that the drawn text can be compared with the verified invoice before writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextRole {
    /// Ordinary text.
    Plain,
    /// The invoice number.
    InvoiceNumber,
    /// The payment reference (KID, OCR, Finnish reference or RF).
    Reference,
    /// The account number in national form.
    Account,
    /// The IBAN in groups of four.
    Iban,
    /// The due date.
    DueDate,
    /// The total VAT of one rate (the rate is in the text of a neighbouring run).
    VatAmount,
    /// The invoice total (gross).
    Total,
    /// The amount to pay.
    AmountToPay,
    /// The 54-digit Finnish virtual barcode, as text.
    VirtualBarcode,
    /// A line's amount excluding VAT (B2B lines), in the line table.
    LineNet,
    /// A line's amount including VAT (B2C lines), in the line table.
    LineGross,
    /// A credit note's own number.
    CreditNumber,
}

/// One run of text on one baseline, never wrapped by the backend.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    /// Left end of the baseline.
    pub x: Pt,
    /// The baseline, from the top of the page.
    pub y: Pt,
    /// The face.
    pub face: FontFace,
    /// Font size.
    pub size: Pt,
    /// Fill colour.
    pub color: Rgb,
    /// The text; every character has a glyph in `face` (checked by layout).
    pub text: String,
    /// What the text is.
    pub role: TextRole,
}

/// A filled and/or stroked rectangle.
#[derive(Clone, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: Pt,
    /// Top edge.
    pub y: Pt,
    /// Width.
    pub width: Pt,
    /// Height.
    pub height: Pt,
    /// Fill colour, if filled.
    pub fill: Option<Rgb>,
    /// Stroke colour and line width, if stroked.
    pub stroke: Option<(Rgb, Pt)>,
}

/// A straight line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Start x.
    pub x1: Pt,
    /// Start y.
    pub y1: Pt,
    /// End x.
    pub x2: Pt,
    /// End y.
    pub y2: Pt,
    /// Colour.
    pub color: Rgb,
    /// Line width.
    pub width: Pt,
}

/// A raster image (the brand logo), decoded to 8-bit RGB or RGBA pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Left edge.
    pub x: Pt,
    /// Top edge.
    pub y: Pt,
    /// Drawn width.
    pub width: Pt,
    /// Drawn height.
    pub height: Pt,
    /// Which of the document's images (index into [`Document::images`]).
    pub image: usize,
}

/// A vector drawing (an SVG logo, converted to paths by layout), drawn as filled
/// polygons in its own box.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// Closed polygons, each a list of points in page coordinates.
    pub polygons: Vec<Vec<(Pt, Pt)>>,
    /// Fill colour.
    pub fill: Rgb,
}

/// One positioned thing on a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Text.
    Text(TextRun),
    /// A rectangle (also every QR module run and barcode bar).
    Rect(Rect),
    /// A line.
    Line(Line),
    /// A raster image.
    Image(Image),
    /// Filled polygons.
    Path(Path),
    /// Opens a structure group: the items up to the matching [`Item::End`]
    /// are this role's content. Draws nothing.
    Begin(Role),
    /// Closes the innermost open [`Item::Begin`]. Draws nothing.
    End,
}

/// What a group of items is to a reader (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A section of related content: the header, a party, the facts, the
    /// totals, the payment block.
    Section,
    /// A heading; level 1 is the document's title, 2 a block's heading.
    Heading(u8),
    /// A paragraph, e.g. one address line, or a label with its value.
    Paragraph,
    /// A table.
    Table,
    /// The header rows of a table.
    TableHead,
    /// The body rows of a table.
    TableBody,
    /// A table row.
    Row,
    /// A header cell (the column's label).
    HeaderCell,
    /// A data cell.
    Cell,
    /// A picture or a machine-readable code, with the text that says what it
    /// shows or encodes (the logo: the seller's name; a QR code: the payment).
    Figure(String),
    /// Not content: decoration, or pagination (page numbers, repeated
    /// headers, "continued" notes). Everything inside is skipped by readers.
    Artifact(Artifact),
}

/// The kind of an [`Role::Artifact`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Artifact {
    /// Rules, backgrounds, frames.
    Layout,
    /// Page numbers, running headers and footers, repeated table headers.
    Pagination,
}

/// One page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Page width.
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// What is drawn, in drawing order.
    pub items: Vec<Item>,
}

/// Document-level facts the backend writes as metadata; no clock is read.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Metadata {
    /// Title (the invoice number).
    pub title: String,
    /// Author (the seller).
    pub author: String,
    /// Subject line.
    pub subject: String,
    /// Creation date as seconds since the Unix epoch (from the invoice date).
    pub created_unix: i64,
    /// A stable identity for the file ID (e.g. seller org number + invoice number).
    pub ident: String,
    /// The language of the text, a BCP 47 tag (`nb`, `sv`, `fi`, `en`);
    /// empty when unknown.
    pub lang: String,
}

/// A laid-out document, ready to be drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Images referenced by [`Item::Image`].
    pub images: Vec<Raster>,
    /// Metadata.
    pub metadata: Metadata,
}

/// What a coordinate of an item measures, for [`Item::walk_mut`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// A horizontal position.
    X,
    /// A vertical position.
    Y,
    /// A width, height, size or line width.
    Length,
}

impl Item {
    /// Calls `f` on every coordinate and length of the item, with what it is:
    /// the one walk behind moving and rounding.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Pt, Axis)) {
        match self {
            Item::Text(t) => {
                f(&mut t.x, Axis::X);
                f(&mut t.y, Axis::Y);
                f(&mut t.size, Axis::Length);
            }
            Item::Rect(r) => {
                f(&mut r.x, Axis::X);
                f(&mut r.y, Axis::Y);
                f(&mut r.width, Axis::Length);
                f(&mut r.height, Axis::Length);
                if let Some((_, w)) = &mut r.stroke {
                    f(w, Axis::Length);
                }
            }
            Item::Line(l) => {
                f(&mut l.x1, Axis::X);
                f(&mut l.y1, Axis::Y);
                f(&mut l.x2, Axis::X);
                f(&mut l.y2, Axis::Y);
                f(&mut l.width, Axis::Length);
            }
            Item::Image(i) => {
                f(&mut i.x, Axis::X);
                f(&mut i.y, Axis::Y);
                f(&mut i.width, Axis::Length);
                f(&mut i.height, Axis::Length);
            }
            Item::Path(p) => {
                for poly in &mut p.polygons {
                    for (x, y) in poly {
                        f(x, Axis::X);
                        f(y, Axis::Y);
                    }
                }
            }
            Item::Begin(_) | Item::End => {}
        }
    }
}
