//! Document identity: the stable hash, the trailer `/ID`, the `/Info`
//! dictionary and PDF dates. Nothing here reads a clock or a random source.
//!
//! The `/ID` pair is written as a placeholder of zeros, the file is
//! serialized, and the placeholder is then overwritten in place with
//!
//! * first (permanent) id: hash of `metadata.ident` (of the file when `ident`
//!   is empty), so every rendering of one invoice shares it;
//! * second (changing) id: hash of `metadata.ident` and every other byte of the
//!   file, so any change to the content changes it.

use lopdf::{Dictionary, Object, StringFormat};

use super::PdfError;
use crate::layout::document::Metadata;

/// A small 128-bit non-cryptographic hash with fixed constants: the same bytes
/// give the same value on every platform, process and version of Rust (unlike
/// `std`'s `RandomState`/`DefaultHasher`). Two multiply-rotate lanes over
/// 64-bit little-endian words, finished with the MurmurHash3 64-bit mixer.
#[derive(Clone, Debug)]
pub(crate) struct StableHasher {
    a: u64,
    b: u64,
    len: u64,
    tail: [u8; 8],
    tail_len: usize,
}

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

impl StableHasher {
    /// A hasher with the fixed seeds.
    pub(crate) fn new() -> StableHasher {
        StableHasher {
            a: 0x6B72_6176_6961_2D31, // "kravia-1"
            b: 0x7064_662D_6964_2D31, // "pdf-id-1"
            len: 0,
            tail: [0; 8],
            tail_len: 0,
        }
    }

    #[inline]
    fn mix(&mut self, w: u64) {
        self.a = (self.a ^ w).wrapping_mul(K1).rotate_left(29);
        self.b = (self.b ^ w.rotate_left(32))
            .wrapping_add(self.a)
            .wrapping_mul(K2)
            .rotate_left(31);
    }

    /// Feeds bytes.
    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        self.len = self.len.wrapping_add(bytes.len() as u64);
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(bytes.len());
            let (head, rest) = bytes.split_at(take);
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(head);
            self.tail_len += take;
            bytes = rest;
            if self.tail_len < 8 {
                return;
            }
            let w = u64::from_le_bytes(self.tail);
            self.mix(w);
            self.tail_len = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    /// The 128-bit digest as two words.
    pub(crate) fn finish128(mut self) -> [u64; 2] {
        let mut last = [0u8; 8];
        last[..self.tail_len].copy_from_slice(&self.tail[..self.tail_len]);
        let len = self.len;
        self.mix(u64::from_le_bytes(last) ^ len.rotate_left(56));
        let a = fmix64(self.a ^ len);
        let b = fmix64(self.b.wrapping_add(a));
        [a, b]
    }

    /// The digest as 16 bytes (big-endian words).
    pub(crate) fn finish_bytes(self) -> [u8; 16] {
        let [a, b] = self.finish128();
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&a.to_be_bytes());
        out[8..].copy_from_slice(&b.to_be_bytes());
        out
    }
}

fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    k ^= k >> 33;
    k = k.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    k ^ (k >> 33)
}

/// The placeholder written for each `/ID` string before the file is hashed.
pub(super) const ID_PLACEHOLDER: [u8; 16] = [0; 16];

/// Overwrites the two zero `/ID` strings in the trailer of `pdf` with the
/// identity hashes (see the module docs).
pub(super) fn patch_file_id(pdf: &mut [u8], ident: &str) -> Result<(), PdfError> {
    // `<` 32 zeros `>`: the hex strings, in the trailer or in the dictionary
    // of a cross-reference stream (whose binary data follows it).
    let mut needle = [b'0'; 34];
    needle[0] = b'<';
    needle[33] = b'>';
    let second = rfind(pdf, &needle, pdf.len())
        .ok_or_else(|| PdfError::Structure("trailer /ID placeholder not found".into()))?
        + 1;
    let first = rfind(pdf, &needle, second - 1)
        .ok_or_else(|| PdfError::Structure("trailer /ID placeholder not found".into()))?
        + 1;

    let mut content = StableHasher::new();
    content.update(ident.as_bytes());
    content.update(&[0xFF]);
    content.update(pdf);
    let changing = content.finish_bytes();
    let permanent = if ident.is_empty() {
        changing
    } else {
        let mut h = StableHasher::new();
        h.update(ident.as_bytes());
        h.finish_bytes()
    };
    write_hex(&mut pdf[first..first + 32], &permanent);
    write_hex(&mut pdf[second..second + 32], &changing);
    Ok(())
}

fn rfind(hay: &[u8], needle: &[u8], end: usize) -> Option<usize> {
    let hay = hay.get(..end)?;
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn write_hex(out: &mut [u8], bytes: &[u8; 16]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 0x0F)];
    }
}

/// `/Creator` and `xmp:CreatorTool`.
pub(super) const CREATOR: &str = "kravia-invoice";

/// `/Producer` and `pdf:Producer`.
pub(super) const PRODUCER: &str = concat!(
    "kravia-invoice ",
    env!("CARGO_PKG_VERSION"),
    " (printpdf 0.12.8)"
);

fn utc(unix: i64) -> Result<chrono::DateTime<chrono::Utc>, PdfError> {
    use chrono::Datelike;
    let t = chrono::DateTime::from_timestamp(unix, 0).ok_or(PdfError::Date(unix))?;
    if !(0..=9999).contains(&t.year()) {
        return Err(PdfError::Date(unix));
    }
    Ok(t)
}

/// A PDF date (`D:YYYYMMDDHHmmSS+00'00'`, UTC) for seconds since the Unix
/// epoch. The offset is written out rather than as `Z`: PDFBox Preflight
/// reads `Z` as a mismatch with the XMP date.
pub(super) fn pdf_date(unix: i64) -> Result<String, PdfError> {
    Ok(utc(unix)?.format("D:%Y%m%d%H%M%S+00'00'").to_string())
}

/// The same instant as an XMP date (`YYYY-MM-DDTHH:mm:ss+00:00`).
pub(super) fn xmp_date(unix: i64) -> Result<String, PdfError> {
    Ok(utc(unix)?.format("%Y-%m-%dT%H:%M:%S+00:00").to_string())
}

/// A PDF text string: a literal when printable ASCII, else UTF-16BE with BOM.
pub(super) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = Vec::with_capacity(2 + 2 * s.len());
        bytes.extend_from_slice(&[0xFE, 0xFF]);
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// The document information dictionary (no `Trapped`, no empty
/// `GTS_PDFXVersion`, which made `pdfinfo` call every file PDF/X).
pub(super) fn info_dict(meta: &Metadata) -> Result<Dictionary, PdfError> {
    let date = pdf_date(meta.created_unix)?;
    let mut d = Dictionary::new();
    if !meta.title.is_empty() {
        d.set("Title", text_string(&meta.title));
    }
    if !meta.author.is_empty() {
        d.set("Author", text_string(&meta.author));
    }
    if !meta.subject.is_empty() {
        d.set("Subject", text_string(&meta.subject));
    }
    d.set("Creator", text_string(CREATOR));
    d.set("Producer", text_string(PRODUCER));
    d.set(
        "CreationDate",
        Object::String(date.clone().into_bytes(), StringFormat::Literal),
    );
    d.set(
        "ModDate",
        Object::String(date.into_bytes(), StringFormat::Literal),
    );
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(parts: &[&[u8]]) -> [u64; 2] {
        let mut h = StableHasher::new();
        for p in parts {
            h.update(p);
        }
        h.finish128()
    }

    #[test]
    fn hash_is_stable_and_split_independent() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = hash(&[&data]);
        for cut in [0, 1, 7, 8, 9, 15, 500, 999, 1000] {
            let (a, b) = data.split_at(cut);
            assert_eq!(hash(&[a, b]), whole, "cut {cut}");
        }
        // Pinned: the value must never change across platforms or releases,
        // or every stored PDF hash changes with it.
        assert_eq!(
            format!("{:016x}{:016x}", whole[0], whole[1]),
            "e975863ee28b41a565646cb9156b4cf4"
        );
        assert_ne!(hash(&[b"a"]), hash(&[b"a\0"]));
        assert_ne!(hash(&[b""]), hash(&[b"\0"]));
        assert_ne!(hash(&[b"ab"]), hash(&[b"ba"]));
    }

    #[test]
    fn dates_are_utc_pdf_dates() {
        assert_eq!(pdf_date(0).unwrap(), "D:19700101000000+00'00'");
        assert_eq!(pdf_date(1_717_243_199).unwrap(), "D:20240601115959+00'00'");
        assert_eq!(
            xmp_date(1_717_243_199).unwrap(),
            "2024-06-01T11:59:59+00:00"
        );
        assert!(matches!(pdf_date(i64::MAX), Err(PdfError::Date(_))));
        assert!(matches!(xmp_date(-62_167_219_201), Err(PdfError::Date(_))));
    }

    #[test]
    fn text_strings() {
        assert_eq!(
            text_string("Faktura 1"),
            Object::String(b"Faktura 1".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            text_string("Ø"),
            Object::String(vec![0xFE, 0xFF, 0x00, 0xD8], StringFormat::Hexadecimal)
        );
    }

    #[test]
    fn patches_both_ids() {
        let mut pdf =
            b"xx/ID [<00000000000000000000000000000000> <00000000000000000000000000000000>]"
                .to_vec();
        patch_file_id(&mut pdf, "NO123:42").unwrap();
        let s = String::from_utf8(pdf.clone()).unwrap();
        assert!(!s.contains(&"0".repeat(32)), "{s}");
        let mut again =
            b"xx/ID [<00000000000000000000000000000000> <00000000000000000000000000000000>]"
                .to_vec();
        patch_file_id(&mut again, "NO123:42").unwrap();
        assert_eq!(pdf, again);
        let mut other =
            b"xx/ID [<00000000000000000000000000000000> <00000000000000000000000000000000>]"
                .to_vec();
        patch_file_id(&mut other, "NO123:43").unwrap();
        assert_ne!(pdf, other);
    }
}
