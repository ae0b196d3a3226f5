//! Layout: turns a verified invoice into pages of positioned text runs, lines,
//! rectangles and images, in points. Pure: no PDF types, no I/O.

pub mod document;

pub use document::{Document, FontFace, Item, Page, Pt, Rgb, TextRole};
