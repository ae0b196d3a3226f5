//! PDF/A-3 (ISO 19005-3) additions: the sRGB output intent and the XMP
//! metadata stream.
//!
//! What else PDF/A asks of a file the writer already does for every file:
//! every font embedded (subset TrueType with `/ToUnicode`), a trailer `/ID`,
//! no encryption, JavaScript or actions, no clock in the dates, PDF 1.7. The
//! colours are all DeviceRGB, which the output intent makes unambiguous
//! (6.2.4.3): its profile is the free sRGB profile shipped in
//! `assets/icc/` (Zlib licence, see its README).
//!
//! Cost: the profile is compressed once per process; per file the additions
//! are one XMP packet (string formatting) and two small dictionaries.

use std::sync::OnceLock;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::PdfError;

/// The sRGB ICC profile (ICC v2.3, 6,922 bytes; `assets/icc/README.md`).
pub(super) static SRGB_ICC: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

/// The output condition the profile stands for.
const SRGB_ID: &[u8] = b"sRGB IEC61966-2.1";

fn srgb_deflated() -> Result<&'static [u8], PdfError> {
    static PACKED: OnceLock<Vec<u8>> = OnceLock::new();
    if let Some(p) = PACKED.get() {
        return Ok(p);
    }
    let packed = super::stream::deflate(SRGB_ICC, super::stream::LEVEL_IMAGE)?;
    Ok(PACKED.get_or_init(|| packed))
}

/// Adds the ICC stream and returns the `/OutputIntents` array.
pub(super) fn output_intents(lo: &mut lopdf::Document) -> Result<Object, PdfError> {
    let mut icc = Dictionary::new();
    icc.set("N", 3);
    icc.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let icc = lo.add_object(Stream::new(icc, srgb_deflated()?.to_vec()).with_compression(false));
    let literal = |b: &[u8]| Object::String(b.to_vec(), StringFormat::Literal);
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", literal(SRGB_ID));
    intent.set("Info", literal(SRGB_ID));
    intent.set("RegistryName", literal(b"http://www.color.org"));
    intent.set("DestOutputProfile", Object::Reference(icc));
    Ok(Object::Array(vec![Object::Dictionary(intent)]))
}

/// Adds the XMP packet as the `/Metadata` stream and returns its id.
///
/// The stream is never filtered: PDF/A forbids it (ISO 19005-3 6.6.2.1), and
/// the XMP specification (part 3, storage in files) asks for packets that
/// tools which do not read PDF can find by scanning the bytes. Unfiltered it
/// costs about 0.7 KB more than deflated, and no compression time per write.
pub(super) fn metadata_stream(lo: &mut lopdf::Document, xmp: Vec<u8>) -> ObjectId {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Metadata".to_vec()));
    d.set("Subtype", Object::Name(b"XML".to_vec()));
    lo.add_object(Stream::new(d, xmp).with_compression(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_the_shipped_srgb_v2() {
        assert_eq!(SRGB_ICC.len(), 6922);
        // Header: size, 'acsp' signature, version 2.x, RGB data, XYZ PCS.
        assert_eq!(
            u32::from_be_bytes([SRGB_ICC[0], SRGB_ICC[1], SRGB_ICC[2], SRGB_ICC[3]]),
            6922
        );
        assert_eq!(&SRGB_ICC[36..40], b"acsp");
        assert_eq!(SRGB_ICC[8], 2);
        assert_eq!(&SRGB_ICC[16..20], b"RGB ");
        assert_eq!(&SRGB_ICC[20..24], b"XYZ ");
        let packed = srgb_deflated().unwrap();
        assert!(packed.len() < 3000, "{}", packed.len());
    }
}
