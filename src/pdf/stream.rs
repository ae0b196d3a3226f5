//! Stream compression.
//!
//! lopdf's `Document::compress` uses zlib level 9 (`Compression::best`), which
//! costs several times level 6 for a few per cent of size on content streams.
//! Streams are compressed here instead, once, at [`LEVEL`].

use std::io::Write;

use lopdf::{Document, Object};

use super::PdfError;

/// The zlib level for every stream we compress.
pub(super) const LEVEL: u32 = 6;

/// zlib-compresses `data` at [`LEVEL`].
pub(super) fn deflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut e = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 3 + 64),
        flate2::Compression::new(LEVEL),
    );
    e.write_all(data)?;
    Ok(e.finish()?)
}

/// Compresses every stream that has no filter yet and gets smaller by it.
pub(super) fn compress_all(doc: &mut Document) -> Result<(), PdfError> {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let packed = deflate(&stream.content)?;
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
    Ok(())
}
