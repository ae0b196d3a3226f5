//! Embedded files as associated files (PDF 2.0 14.13, ISO 19005-3 6.8).
//!
//! Each [`Attachment`] becomes
//!
//! * an embedded-file stream: `/Type /EmbeddedFile`, `/Subtype` the MIME type
//!   (`/text#2Fxml`), `/Params << /Size … /ModDate … >>`, Flate-compressed;
//! * a file specification: `/F` and `/UF` (the name), `/Desc`,
//!   `/AFRelationship`, `/EF << /F … /UF … >>`;
//! * an entry in the catalog's `/AF` array (in the order given) and in the
//!   `/Names /EmbeddedFiles` name tree (sorted by name, as name trees must
//!   be), so both PDF/A-3 readers and ordinary viewers' attachment panes find
//!   it.
//!
//! The modification date is the document's (`Metadata::created_unix`), never
//! the clock, so the bytes stay deterministic.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::PdfError;
use super::identity::{pdf_date, text_string};

/// How an attached file relates to the document (`/AFRelationship`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AfRelationship {
    /// The original source the document was made from.
    Source,
    /// Data the document's content is a rendering of (e.g. a table's values).
    Data,
    /// An equivalent representation of the whole document: the e-invoice XML
    /// of a hybrid (PDF/A-3 + XML) invoice.
    #[default]
    Alternative,
    /// Supplementary material.
    Supplement,
    /// None of the above.
    Unspecified,
}

impl AfRelationship {
    /// The PDF name (`Alternative`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AfRelationship::Source => "Source",
            AfRelationship::Data => "Data",
            AfRelationship::Alternative => "Alternative",
            AfRelationship::Supplement => "Supplement",
            AfRelationship::Unspecified => "Unspecified",
        }
    }
}

/// A file to embed in the PDF as an associated file of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The file name readers show and save under, e.g. `KJ65C-190025.xml`:
    /// not empty, no `/`, `\` or control characters, at most 255 characters.
    pub name: String,
    /// The MIME type, e.g. `text/xml`.
    pub mime: String,
    /// A description (`/Desc`), e.g. "EHF 3 invoice (UBL 2.1)".
    pub description: String,
    /// How the file relates to the document.
    pub relationship: AfRelationship,
    /// The file's bytes.
    pub data: Vec<u8>,
}

impl Attachment {
    /// An XML file (`text/xml`) that is an alternative representation of the
    /// document, such as the UBL e-invoice of a hybrid invoice.
    pub fn xml(
        name: impl Into<String>,
        description: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> Attachment {
        Attachment {
            name: name.into(),
            mime: "text/xml".into(),
            description: description.into(),
            relationship: AfRelationship::Alternative,
            data: data.into(),
        }
    }

    fn check(&self) -> Result<(), PdfError> {
        let bad = |reason: &str| PdfError::Attachment {
            name: self.name.clone(),
            reason: reason.to_owned(),
        };
        if self.name.trim().is_empty() {
            return Err(bad("the file name is empty"));
        }
        if self.name.chars().count() > 255 {
            return Err(bad("the file name is longer than 255 characters"));
        }
        if self
            .name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
        {
            return Err(bad(
                "the file name contains '/', '\\' or a control character",
            ));
        }
        let token = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
        };
        match self.mime.split_once('/') {
            Some((ty, sub)) if token(ty) && token(sub) => Ok(()),
            _ => Err(bad(&format!(
                "MIME type {:?} is not of the form type/subtype",
                self.mime
            ))),
        }
    }
}

/// Checks every attachment and that no two share a name.
pub(super) fn validate(attachments: &[Attachment]) -> Result<(), PdfError> {
    for (i, a) in attachments.iter().enumerate() {
        a.check()?;
        if attachments[..i].iter().any(|b| b.name == a.name) {
            return Err(PdfError::Attachment {
                name: a.name.clone(),
                reason: "two attachments have this name".into(),
            });
        }
    }
    Ok(())
}

/// Adds the attachments' objects; returns the `/AF` array and the
/// `/EmbeddedFiles` name tree for the catalog (`None` when there are none).
pub(super) fn add(
    lo: &mut lopdf::Document,
    attachments: &[Attachment],
    created_unix: i64,
    compress: bool,
) -> Result<Option<(Object, Object)>, PdfError> {
    if attachments.is_empty() {
        return Ok(None);
    }
    let date = Object::String(pdf_date(created_unix)?.into_bytes(), StringFormat::Literal);
    let mut specs: Vec<(Vec<u8>, ObjectId)> = Vec::with_capacity(attachments.len());
    for a in attachments {
        let mut params = Dictionary::new();
        params.set("Size", a.data.len() as i64);
        params.set("ModDate", date.clone());
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
        dict.set("Subtype", Object::Name(a.mime.as_bytes().to_vec()));
        dict.set("Params", Object::Dictionary(params));
        let content = if compress {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            super::stream::deflate(&a.data, super::stream::LEVEL_ATTACHMENT)?
        } else {
            a.data.clone()
        };
        let file = lo.add_object(Stream::new(dict, content).with_compression(false));

        let name = text_string(&a.name);
        let mut ef = Dictionary::new();
        ef.set("F", Object::Reference(file));
        ef.set("UF", Object::Reference(file));
        let mut spec = Dictionary::new();
        spec.set("Type", Object::Name(b"Filespec".to_vec()));
        spec.set("F", name.clone());
        spec.set("UF", name.clone());
        spec.set("Desc", text_string(&a.description));
        spec.set(
            "AFRelationship",
            Object::Name(a.relationship.as_str().as_bytes().to_vec()),
        );
        spec.set("EF", Object::Dictionary(ef));
        let spec_id = lo.add_object(spec);
        let key = match name {
            Object::String(bytes, _) => bytes,
            _ => a.name.as_bytes().to_vec(),
        };
        specs.push((key, spec_id));
    }
    let af = Object::Array(specs.iter().map(|(_, id)| Object::Reference(*id)).collect());
    // A name tree's keys are sorted by their bytes (PDF 32000-1 7.9.6).
    specs.sort();
    let mut names = Vec::with_capacity(specs.len() * 2);
    for (key, id) in specs {
        let format = if key.starts_with(&[0xFE, 0xFF]) {
            StringFormat::Hexadecimal
        } else {
            StringFormat::Literal
        };
        names.push(Object::String(key, format));
        names.push(Object::Reference(id));
    }
    let mut tree = Dictionary::new();
    tree.set("Names", Object::Array(names));
    Ok(Some((af, Object::Dictionary(tree))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_mime_types_are_checked() {
        let ok = Attachment::xml("KJ65C-190025.xml", "UBL", b"<Invoice/>".to_vec());
        validate(std::slice::from_ref(&ok)).unwrap();
        for (name, mime, reason) in [
            ("", "text/xml", "empty"),
            ("../x.xml", "text/xml", "'/'"),
            ("a\u{7}.xml", "text/xml", "control"),
            ("a.xml", "textxml", "type/subtype"),
            ("a.xml", "text/x ml", "type/subtype"),
        ] {
            let a = Attachment {
                name: name.into(),
                mime: mime.into(),
                ..ok.clone()
            };
            let e = validate(&[a]).unwrap_err();
            assert!(e.to_string().contains(reason), "{name:?} {mime:?}: {e}");
        }
        let e = validate(&[ok.clone(), ok.clone()]).unwrap_err();
        assert!(e.to_string().contains("two attachments"), "{e}");
        assert!(
            e.to_string()
                .starts_with("pdf: attachment \"KJ65C-190025.xml\": "),
            "{e}"
        );
    }
}
