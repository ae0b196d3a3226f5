//! Stream compression.
//!
//! lopdf's `Document::compress` uses zlib level 9 (`Compression::best`) on
//! every stream of every save. Streams are compressed here instead, with
//! flate2's zlib-rs backend (a port of zlib-ng; at level 2 its output for
//! these streams is within 3% of miniz_oxide's level 2, in 45–85% of the
//! time) and levels chosen by how often the work is repeated. Measured on
//! the 2-core reference machine, one compressor reused per thread:
//!
//! * content streams, every write: [`LEVEL_CONTENT`] = 2. The NO invoice's
//!   12 KB of operators: 3,135 bytes in ≈50 µs (miniz level 2: 3,156 bytes in
//!   ≈70 µs; level 1, static codes: 4,394 bytes); the Swedish one's 34 KB (its
//!   QR code is ≈800 rectangles): 7,137 bytes in ≈150 µs;
//! * the object stream and the cross-reference stream, every write:
//!   [`LEVEL_OBJECTS`] = 2 (8.6 KB of objects: 2,665 bytes in ≈40 µs);
//! * font subsets, once per new glyph set (which in practice means most
//!   invoices for the Regular face, whose glyphs follow names and
//!   addresses): [`LEVEL_FONT`] = 2;
//! * images, once per logo per process: [`LEVEL_IMAGE`] = 9;
//! * attached files, every write (a hybrid invoice's UBL): [`LEVEL_ATTACHMENT`]
//!   = 2.
//!
//! The XMP metadata stream is left unfiltered (see `pdfa::metadata_stream`).

use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Document, Object};

use super::PdfError;

/// The zlib level for font programs and CMaps (cached per glyph set).
pub(super) const LEVEL_FONT: u32 = 2;

/// The zlib level for image samples (cached per image).
pub(super) const LEVEL_IMAGE: u32 = 9;

/// The zlib level for content streams, compressed on every write.
pub(super) const LEVEL_CONTENT: u32 = 2;

/// The zlib level for attached files, compressed on every write.
pub(super) const LEVEL_ATTACHMENT: u32 = 2;

/// The zlib level of the object stream and the cross-reference stream,
/// compressed on every write.
pub(super) const LEVEL_OBJECTS: u32 = 2;

/// zlib-compresses `data` at `level`.
///
/// The compressor (its window and hash tables, a few hundred KB) is kept
/// per thread and reset between uses instead of being allocated and zeroed
/// for every stream; a reset compressor produces exactly the bytes a new one
/// would.
pub(super) fn deflate(data: &[u8], level: u32) -> Result<Vec<u8>, PdfError> {
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cell| {
        let mut pool = cell.borrow_mut();
        let i = match pool.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                pool.push((level, Compress::new(Compression::new(level), true)));
                pool.len() - 1
            }
        };
        let c = &mut pool[i].1;
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        loop {
            let consumed = c.total_in() as usize;
            let status = c
                .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
                .map_err(|e| PdfError::Io(std::io::Error::other(e)))?;
            match status {
                Status::StreamEnd => break,
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(256)),
            }
        }
        Ok(out)
    })
}

/// Compresses (at [`LEVEL_CONTENT`]) every stream that has no filter yet and
/// gets smaller by it.
pub(super) fn compress_all(doc: &mut Document) -> Result<(), PdfError> {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let packed = deflate(&stream.content, LEVEL_CONTENT)?;
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn deflate_round_trips_and_is_repeatable() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * 31 % 97) as u8).collect();
        for level in [LEVEL_CONTENT, LEVEL_FONT, LEVEL_IMAGE] {
            let a = deflate(&data, level).unwrap();
            let b = deflate(&data, level).unwrap();
            assert_eq!(a, b);
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&a[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data);
            // Same bytes as a fresh encoder.
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
            std::io::Write::write_all(&mut e, &data).unwrap();
            assert_eq!(e.finish().unwrap(), a);
        }
        assert!(!deflate(b"", LEVEL_CONTENT).unwrap().is_empty());
    }
}
