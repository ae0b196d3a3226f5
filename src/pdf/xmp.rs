//! The XMP metadata packet (ISO 16684-1) of the catalog's `/Metadata` stream.
//!
//! Written by hand from a fixed template: every property that has a
//! counterpart in the `/Info` dictionary holds exactly the same value
//! (`dc:title` = `/Title`, `dc:creator` = `/Author`, `dc:description` =
//! `/Subject`, `xmp:CreatorTool` = `/Creator`, `pdf:Producer` = `/Producer`,
//! `xmp:CreateDate`/`ModifyDate` = `/CreationDate`/`/ModDate`), as PDF/A
//! (ISO 19005-3 6.6.3) and PDF/UA (ISO 14289-1 7.1) require. Attributes use
//! double quotes (some checkers reject single ones), there is no padding and
//! no `bytes` attribute, and nothing depends on a clock.
//!
//! `pdfuaid` is not one of the schemas PDF/A predefines, so when both
//! identifications are written the packet also declares it in a
//! `pdfaExtension` schema (ISO 19005-3 6.6.2.3).

use std::fmt::Write as _;

use super::PdfError;
use super::identity::{CREATOR, PRODUCER, xmp_date};
use crate::layout::document::Metadata;

/// What the packet identifies the file as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Claims {
    /// `pdfaid:part` and `pdfaid:conformance` (`3`, `B` or `A`).
    pub pdfa: Option<(u8, char)>,
    /// `pdfuaid:part 1`.
    pub pdfua: bool,
}

/// The XMP packet for `meta` with `claims`; `lang` tags the title and
/// description (`x-default` is always written).
pub(super) fn packet(meta: &Metadata, claims: Claims, lang: &str) -> Result<Vec<u8>, PdfError> {
    let date = xmp_date(meta.created_unix)?;
    let mut s = String::with_capacity(2048);
    s.push_str("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    s.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    s.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    if claims.pdfa.is_some() && claims.pdfua {
        // First, so that a reader meets the declaration before the property.
        s.push_str(PDFUA_EXTENSION);
    }
    s.push_str(
        "<rdf:Description rdf:about=\"\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"",
    );
    if claims.pdfa.is_some() {
        s.push_str(" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    }
    if claims.pdfua {
        s.push_str(" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    }
    s.push_str(">\n<dc:format>application/pdf</dc:format>\n");
    let alt = |s: &mut String, prop: &str, value: &str| {
        let _ = write!(s, "<dc:{prop}><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        escape(s, value);
        s.push_str("</rdf:li>");
        if !lang.is_empty() && lang != "x-default" {
            s.push_str("<rdf:li xml:lang=\"");
            escape(s, lang);
            s.push_str("\">");
            escape(s, value);
            s.push_str("</rdf:li>");
        }
        let _ = writeln!(s, "</rdf:Alt></dc:{prop}>");
    };
    if !meta.title.is_empty() {
        alt(&mut s, "title", &meta.title);
    }
    if !meta.author.is_empty() {
        s.push_str("<dc:creator><rdf:Seq><rdf:li>");
        escape(&mut s, &meta.author);
        s.push_str("</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if !meta.subject.is_empty() {
        alt(&mut s, "description", &meta.subject);
    }
    if !lang.is_empty() {
        s.push_str("<dc:language><rdf:Bag><rdf:li>");
        escape(&mut s, lang);
        s.push_str("</rdf:li></rdf:Bag></dc:language>\n");
    }
    s.push_str("<xmp:CreatorTool>");
    escape(&mut s, CREATOR);
    s.push_str("</xmp:CreatorTool>\n");
    for prop in ["CreateDate", "ModifyDate", "MetadataDate"] {
        let _ = writeln!(s, "<xmp:{prop}>{date}</xmp:{prop}>");
    }
    s.push_str("<pdf:Producer>");
    escape(&mut s, PRODUCER);
    s.push_str("</pdf:Producer>\n");
    if let Some((part, conformance)) = claims.pdfa {
        let _ = writeln!(
            s,
            "<pdfaid:part>{part}</pdfaid:part>\n<pdfaid:conformance>{conformance}</pdfaid:conformance>"
        );
    }
    if claims.pdfua {
        s.push_str("<pdfuaid:part>1</pdfuaid:part>\n");
    }
    s.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
    Ok(s.into_bytes())
}

/// The `pdfaExtension` declaration of the `pdfuaid` schema, in a description
/// of its own.
const PDFUA_EXTENSION: &str = "<rdf:Description rdf:about=\"\" \
xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n";

/// Appends `text` as XML character data: `& < > "` escaped, and characters
/// XML 1.0 cannot carry (C0 controls other than tab/newline/CR, U+FFFE/FFFF)
/// replaced by U+FFFD, so the packet always parses.
pub(super) fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Metadata {
        Metadata {
            title: "KJ65C-190025".into(),
            author: "Lysverket Interiør & Sønn AS".into(),
            subject: "Faktura <KJ65C-190025>".into(),
            created_unix: 1_780_185_600,
            ident: String::new(),
            lang: "nb".into(),
        }
    }

    #[test]
    fn packet_has_the_claims_and_escapes_text() {
        let p = packet(
            &meta(),
            Claims {
                pdfa: Some((3, 'B')),
                pdfua: false,
            },
            "nb",
        )
        .unwrap();
        let s = String::from_utf8(p).unwrap();
        assert!(s.contains("<pdfaid:part>3</pdfaid:part>"), "{s}");
        assert!(s.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(s.contains("<rdf:li>Lysverket Interiør &amp; Sønn AS</rdf:li>"));
        assert!(s.contains(">Faktura &lt;KJ65C-190025&gt;<"));
        assert!(s.contains("<xmp:CreateDate>2026-05-31T00:00:00+00:00</xmp:CreateDate>"));
        assert!(s.contains("<rdf:li xml:lang=\"nb\">KJ65C-190025</rdf:li>"));
        assert!(!s.contains("pdfuaid"), "{s}");
        assert!(!s.contains('\''), "single quotes: {s}");
        assert!(s.starts_with("<?xpacket begin=\"\u{FEFF}\""));
        assert!(s.ends_with("<?xpacket end=\"r\"?>"));
    }

    #[test]
    fn pdfua_with_pdfa_declares_the_extension_schema() {
        let s = String::from_utf8(
            packet(
                &meta(),
                Claims {
                    pdfa: Some((3, 'A')),
                    pdfua: true,
                },
                "",
            )
            .unwrap(),
        )
        .unwrap();
        assert!(s.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(s.contains("<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"));
        let only_ua = String::from_utf8(
            packet(
                &meta(),
                Claims {
                    pdfa: None,
                    pdfua: true,
                },
                "",
            )
            .unwrap(),
        )
        .unwrap();
        assert!(only_ua.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(!only_ua.contains("pdfaExtension") && !only_ua.contains("pdfaid"));
    }

    #[test]
    fn control_characters_cannot_break_the_xml() {
        let mut s = String::new();
        escape(&mut s, "a\u{1}b\u{FFFF}c\td");
        assert_eq!(s, "a\u{FFFD}b\u{FFFD}c\td");
    }
}
