//! The file writer of tagged output: every object that is not a stream —
//! the catalog, pages, fonts' dictionaries, and the hundred or more small
//! structure elements of a tagged page — goes into one Flate-compressed
//! object stream, with a compressed cross-reference stream (PDF 1.5+; PDF/A-2
//! and -3 allow both).
//!
//! lopdf's own object-stream writer serializes every object three times and
//! builds a fresh compressor per stream (≈0.5–8 ms per one-page invoice,
//! measured), and leaves the cross-reference stream uncompressed (7 bytes per
//! object); this one writes each object once, compresses with the reused
//! per-thread compressor of `stream.rs`, and predicts the cross-reference rows
//! (PNG Up) before compressing them. Objects keep the numbers they have in
//! the lopdf document (no renumbering pass); numbers no object uses are free
//! entries. Structure elements arrive already serialized (`tags.rs`).
//!
//! Without compression (`PdfOptions::compress = false`) every object is
//! written plainly with a classic cross-reference table, for reading.

use lopdf::{Dictionary, Object, StringFormat};

use super::PdfError;
use super::stream::{LEVEL_OBJECTS, deflate};

/// A non-stream object already serialized, by object number.
pub(super) type Raw = (u32, Vec<u8>);

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Writes the document: `lo`'s objects and the `raw` ones (numbers not used
/// by `lo`), the trailer entries `Root`, `Info` and `ID` of `lo.trailer`.
pub(super) fn save(
    lo: &lopdf::Document,
    mut raw: Vec<Raw>,
    packed: bool,
) -> Result<Vec<u8>, PdfError> {
    raw.sort_unstable_by_key(|(id, _)| *id);
    let max_lo = lo.objects.keys().map(|(id, _)| *id).max().unwrap_or(0);
    let max_raw = raw.last().map_or(0, |(id, _)| *id);
    // Numbers 0 … size−1 in the body, then the object stream, then the xref stream.
    let size = max_lo.max(max_raw) + 1;
    let mut out = Vec::with_capacity(32 * 1024);
    out.extend_from_slice(b"%PDF-");
    out.extend_from_slice(lo.version.as_bytes());
    out.extend_from_slice(b"\n%\xBB\xAD\xC0\xDE\n");

    let mut entries = vec![Entry::Free; size as usize + 2];
    let mut packed_objects: Vec<(u32, usize)> = Vec::new();
    let mut body = Vec::with_capacity(16 * 1024);
    // lopdf's objects and the raw ones, merged by number.
    let mut raws = raw.iter().peekable();
    let mut put = |id: u32,
                   out: &mut Vec<u8>,
                   body: &mut Vec<u8>,
                   obj: Option<&Object>,
                   bytes: Option<&[u8]>| {
        let is_stream = matches!(obj, Some(Object::Stream(_)));
        if packed && !is_stream {
            packed_objects.push((id, body.len()));
            match (obj, bytes) {
                (Some(o), _) => object(body, o),
                (None, Some(b)) => body.extend_from_slice(b),
                (None, None) => {}
            }
            body.push(b'\n');
        } else {
            entries[id as usize] = Entry::At(out.len() as u64);
            uint(out, u64::from(id));
            out.extend_from_slice(b" 0 obj\n");
            match (obj, bytes) {
                (Some(Object::Stream(s)), _) => {
                    let mut d = s.dict.clone();
                    d.set("Length", s.content.len() as i64);
                    dict(out, &d);
                    out.extend_from_slice(b"stream\n");
                    out.extend_from_slice(&s.content);
                    out.extend_from_slice(b"\nendstream");
                }
                (Some(o), _) => object(out, o),
                (None, Some(b)) => out.extend_from_slice(b),
                (None, None) => {}
            }
            out.extend_from_slice(b"\nendobj\n");
        }
    };
    for (&(id, generation), obj) in &lo.objects {
        if generation != 0 {
            return Err(PdfError::Structure(format!(
                "object {id} has generation {generation}"
            )));
        }
        while let Some((rid, bytes)) = raws.next_if(|(rid, _)| *rid < id) {
            put(*rid, &mut out, &mut body, None, Some(bytes));
        }
        put(id, &mut out, &mut body, Some(obj), None);
    }
    for (rid, bytes) in raws {
        put(*rid, &mut out, &mut body, None, Some(bytes));
    }

    let mut trailer = Dictionary::new();
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(v) = lo.trailer.get(key) {
            trailer.set(key, v.clone());
        }
    }
    if !packed {
        let xref_at = out.len();
        out.extend_from_slice(b"xref\n0 ");
        uint(&mut out, u64::from(size));
        out.push(b'\n');
        for (i, e) in entries.iter().take(size as usize).enumerate() {
            let line = match e {
                Entry::At(offset) => format!("{offset:010} 00000 n\r\n"),
                _ if i == 0 => "0000000000 65535 f\r\n".to_owned(),
                _ => "0000000000 00000 f\r\n".to_owned(),
            };
            out.extend_from_slice(line.as_bytes());
        }
        trailer.set("Size", i64::from(size));
        out.extend_from_slice(b"trailer\n");
        dict(&mut out, &trailer);
        finish(&mut out, xref_at);
        return Ok(out);
    }

    // The object stream: "number offset" pairs, then the objects.
    let stm_id = size;
    let mut head = Vec::with_capacity(packed_objects.len() * 10);
    for (i, (id, offset)) in packed_objects.iter().enumerate() {
        entries[*id as usize] = Entry::In(stm_id, i as u32);
        uint(&mut head, u64::from(*id));
        head.push(b' ');
        uint(&mut head, *offset as u64);
        head.push(b' ');
    }
    let mut content = head;
    let first = content.len();
    content.extend_from_slice(&body);
    let packed_content = deflate(&content, LEVEL_OBJECTS)?;
    entries[stm_id as usize] = Entry::At(out.len() as u64);
    uint(&mut out, u64::from(stm_id));
    out.extend_from_slice(b" 0 obj\n<</Type/ObjStm/N ");
    uint(&mut out, packed_objects.len() as u64);
    out.extend_from_slice(b"/First ");
    uint(&mut out, first as u64);
    out.extend_from_slice(b"/Filter/FlateDecode/Length ");
    uint(&mut out, packed_content.len() as u64);
    out.extend_from_slice(b">>stream\n");
    out.extend_from_slice(&packed_content);
    out.extend_from_slice(b"\nendstream\nendobj\n");

    // The cross-reference stream: type (1 byte), offset or object-stream
    // number (w bytes), generation or index (2 bytes); rows PNG-Up predicted.
    let xref_id = stm_id + 1;
    let xref_at = out.len() as u64;
    entries[xref_id as usize] = Entry::At(xref_at);
    let w: usize = if xref_at < 1 << 16 {
        2
    } else if xref_at < 1 << 24 {
        3
    } else {
        4
    };
    let columns = 1 + w + 2;
    let mut rows = Vec::with_capacity(entries.len() * (columns + 1));
    let mut prev = vec![0u8; columns];
    let mut row = vec![0u8; columns];
    for (i, e) in entries.iter().enumerate() {
        let (kind, field, last): (u8, u64, u16) = match e {
            Entry::Free if i == 0 => (0, 0, 0xFFFF),
            Entry::Free => (0, 0, 0),
            Entry::At(offset) => (1, *offset, 0),
            Entry::In(stm, index) => (2, u64::from(*stm), u16::try_from(*index).unwrap_or(0)),
        };
        row[0] = kind;
        for k in 0..w {
            row[1 + k] = (field >> (8 * (w - 1 - k))) as u8;
        }
        row[1 + w..].copy_from_slice(&last.to_be_bytes());
        rows.push(2); // PNG Up
        rows.extend(row.iter().zip(&prev).map(|(a, b)| a.wrapping_sub(*b)));
        std::mem::swap(&mut prev, &mut row);
    }
    let rows = deflate(&rows, LEVEL_OBJECTS)?;
    uint(&mut out, u64::from(xref_id));
    out.extend_from_slice(b" 0 obj\n");
    trailer.set("Type", Object::Name(b"XRef".to_vec()));
    trailer.set("Size", i64::from(xref_id + 1));
    trailer.set(
        "W",
        Object::Array(vec![1.into(), (w as i64).into(), 2.into()]),
    );
    trailer.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let mut parms = Dictionary::new();
    parms.set("Columns", columns as i64);
    parms.set("Predictor", 12);
    trailer.set("DecodeParms", Object::Dictionary(parms));
    trailer.set("Length", rows.len() as i64);
    dict(&mut out, &trailer);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&rows);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    finish(&mut out, xref_at as usize);
    Ok(out)
}

#[derive(Clone, Copy, Debug)]
enum Entry {
    Free,
    /// In the file at this offset.
    At(u64),
    /// In object stream `.0` at index `.1`.
    In(u32, u32),
}

fn finish(out: &mut Vec<u8>, xref_at: usize) {
    out.extend_from_slice(b"startxref\n");
    uint(out, xref_at as u64);
    out.extend_from_slice(b"\n%%EOF\n");
}

/// Writes a non-negative integer.
pub(super) fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

/// `N 0 R`.
pub(super) fn reference(out: &mut Vec<u8>, id: u32) {
    uint(out, u64::from(id));
    out.extend_from_slice(b" 0 R");
}

/// Whether `o` must be separated by a space from a name or object before it.
fn needs_space(o: &Object) -> bool {
    matches!(
        o,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

/// Writes `/name`, escaping what a name cannot hold as `#XX`.
pub(super) fn name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.push(b'#');
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0F)]);
        } else {
            out.push(b);
        }
    }
}

/// Writes a string: literal with `\`, `(`, `)` and CR escaped, or hex.
pub(super) fn string(out: &mut Vec<u8>, bytes: &[u8], format: StringFormat) {
    match format {
        StringFormat::Literal => {
            out.push(b'(');
            for &b in bytes {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        StringFormat::Hexadecimal => {
            out.push(b'<');
            for &b in bytes {
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0x0F)]);
            }
            out.push(b'>');
        }
    }
}

fn dict(out: &mut Vec<u8>, d: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in d {
        name(out, key);
        if needs_space(value) {
            out.push(b' ');
        }
        object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// Writes a direct object (a stream only as its dictionary's content would
/// be wrong: streams are written by [`save`]).
fn object(out: &mut Vec<u8>, o: &Object) {
    match o {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(true) => out.extend_from_slice(b"true"),
        Object::Boolean(false) => out.extend_from_slice(b"false"),
        Object::Integer(n) => int(out, *n),
        Object::Real(r) => {
            use std::io::Write as _;
            let _ = write!(out, "{r}");
        }
        Object::Name(n) => name(out, n),
        Object::String(bytes, format) => string(out, bytes, *format),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_space(item) {
                    out.push(b' ');
                }
                object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => dict(out, d),
        Object::Stream(s) => dict(out, &s.dict),
        Object::Reference((id, _)) => reference(out, *id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn objects_serialize_like_pdf() {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Page".to_vec()));
        d.set("N", 3);
        d.set("R", Object::Reference((12, 0)));
        d.set(
            "A",
            Object::Array(vec![
                1.into(),
                Object::Real(0.5),
                Object::Name(b"x y".to_vec()),
            ]),
        );
        d.set(
            "S",
            Object::String(b"a(b)\\c".to_vec(), StringFormat::Literal),
        );
        d.set(
            "H",
            Object::String(vec![0xFE, 0xFF], StringFormat::Hexadecimal),
        );
        let mut out = Vec::new();
        object(&mut out, &Object::Dictionary(d));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<</Type/Page/N 3/R 12 0 R/A[1 0.5/x#20y]/S(a\\(b\\)\\\\c)/H<FEFF>>>"
        );
    }

    #[test]
    fn packed_and_plain_files_load_the_same() {
        let mut lo = lopdf::Document::with_version("1.7");
        let pages = lo.new_object_id();
        let page = lo.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
        });
        lo.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1},
            ),
        );
        let gap = lo.new_object_id(); // never used: a free entry
        let raw_id = lo.new_object_id().0;
        let catalog = lo.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages, "X" => Object::Reference((raw_id, 0))});
        lo.trailer.set("Root", catalog);
        let raw = vec![(raw_id, b"<</Raw true>>".to_vec())];
        for packed in [true, false] {
            let bytes = save(&lo, raw.clone(), packed).unwrap();
            let back = lopdf::Document::load_mem(&bytes).unwrap();
            assert_eq!(back.get_pages().len(), 1, "packed {packed}");
            let raw_back = back.get_dictionary((raw_id, 0)).unwrap();
            assert!(raw_back.get(b"Raw").unwrap().as_bool().unwrap());
            assert!(back.get_object(gap).is_err(), "free");
        }
    }
}
