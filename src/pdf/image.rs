//! Raster images (logos) as image XObjects.
//!
//! Pages draw an image with printpdf's `UseXobject` op under the fixed name
//! `/Im{n}` (n = index into `Document::images`); the XObject itself is written
//! here, straight into the lopdf document, because printpdf would deflate the
//! pixels again on every save (milliseconds for a logo). RGB becomes an 8-bit
//! `/DeviceRGB` image; **RGBA keeps its transparency as a `/SMask`** (an 8-bit
//! `/DeviceGray` soft mask), so a logo on a coloured band stays correct.
//! Samples are PNG-predicted (`/Predictor 15`, per-row filter chosen by the
//! usual minimum-sum heuristic) and Flate-compressed.
//!
//! Encoded images are cached per process (the last eight, compared byte for
//! byte), so a brand's logo is encoded once.

use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{Dictionary, Document, Object, Stream};

use super::PdfError;
use crate::logo::Raster;

/// An encoded image: colour stream and optional soft mask, both deflated.
#[derive(Debug)]
struct Encoded {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    has_alpha: bool,
    color: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

const CACHE_LIMIT: usize = 8;

/// Encoded images, oldest first.
type Cache = Mutex<Vec<Arc<Encoded>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

/// Checks that `raster` holds exactly `width × height` pixels of its layout.
pub(super) fn validate(index: usize, raster: &Raster) -> Result<(), PdfError> {
    let channels: usize = if raster.has_alpha { 4 } else { 3 };
    let expected = (raster.width as usize)
        .checked_mul(raster.height as usize)
        .and_then(|n| n.checked_mul(channels));
    if raster.width == 0 || raster.height == 0 || expected != Some(raster.pixels.len()) {
        return Err(PdfError::RasterSize {
            index,
            width: raster.width,
            height: raster.height,
            layout: if raster.has_alpha { "RGBA" } else { "RGB" },
            expected: u64::from(raster.width)
                .saturating_mul(u64::from(raster.height))
                .saturating_mul(channels as u64),
            found: raster.pixels.len(),
        });
    }
    Ok(())
}

fn encoded(raster: &Raster) -> Result<Arc<Encoded>, PdfError> {
    // A handful of entries: comparing the pixels outright (memcmp) is cheaper
    // than hashing them, and exact.
    let same = |e: &Encoded| {
        e.width == raster.width
            && e.height == raster.height
            && e.has_alpha == raster.has_alpha
            && e.pixels == raster.pixels
    };
    {
        let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache.iter().find(|e| same(e)) {
            return Ok(Arc::clone(hit));
        }
    }
    let width = raster.width as usize;
    let (color, alpha) = if raster.has_alpha {
        let mut rgb = Vec::with_capacity(raster.pixels.len() / 4 * 3);
        let mut a = Vec::with_capacity(raster.pixels.len() / 4);
        for p in raster.pixels.chunks_exact(4) {
            rgb.extend_from_slice(&p[..3]);
            a.push(p[3]);
        }
        (rgb, Some(a))
    } else {
        (raster.pixels.clone(), None)
    };
    let color = super::stream::deflate(&predict(&color, width, 3), super::stream::LEVEL_IMAGE)?;
    let alpha = match alpha {
        Some(a) => Some(super::stream::deflate(
            &predict(&a, width, 1),
            super::stream::LEVEL_IMAGE,
        )?),
        None => None,
    };
    let made = Arc::new(Encoded {
        width: raster.width,
        height: raster.height,
        pixels: raster.pixels.clone(),
        has_alpha: raster.has_alpha,
        color,
        alpha,
    });
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHE_LIMIT {
        cache.remove(0);
    }
    cache.push(Arc::clone(&made));
    Ok(made)
}

/// PNG-style prediction: each row is prefixed with the filter type (0 None,
/// 1 Sub, 2 Up, 4 Paeth) that gives the smallest sum of absolute residuals.
fn predict(samples: &[u8], width: usize, bpp: usize) -> Vec<u8> {
    let stride = width * bpp;
    let rows = samples.len() / stride.max(1);
    let mut out = Vec::with_capacity(samples.len() + rows);
    let zero = vec![0u8; stride];
    let mut candidates: [Vec<u8>; 4] = std::array::from_fn(|_| Vec::with_capacity(stride));
    for r in 0..rows {
        let row = &samples[r * stride..(r + 1) * stride];
        let up = if r == 0 {
            &zero[..]
        } else {
            &samples[(r - 1) * stride..r * stride]
        };
        for c in candidates.iter_mut() {
            c.clear();
        }
        for i in 0..stride {
            let a = if i >= bpp { row[i - bpp] } else { 0 };
            let b = up[i];
            let c = if i >= bpp { up[i - bpp] } else { 0 };
            let x = row[i];
            candidates[0].push(x);
            candidates[1].push(x.wrapping_sub(a));
            candidates[2].push(x.wrapping_sub(b));
            candidates[3].push(x.wrapping_sub(paeth(a, b, c)));
        }
        let cost =
            |v: &Vec<u8>| -> u64 { v.iter().map(|&b| u64::from((b as i8).unsigned_abs())).sum() };
        let mut best = 0;
        for k in 1..4 {
            if cost(&candidates[k]) < cost(&candidates[best]) {
                best = k;
            }
        }
        out.push([0u8, 1, 2, 4][best]);
        out.extend_from_slice(&candidates[best]);
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn image_dict(width: u32, height: u32, color_space: &str, colors: i64) -> Dictionary {
    let mut parms = Dictionary::new();
    parms.set("Predictor", 15);
    parms.set("Colors", colors);
    parms.set("BitsPerComponent", 8);
    parms.set("Columns", i64::from(width));
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Image".to_vec()));
    d.set("Width", i64::from(width));
    d.set("Height", i64::from(height));
    d.set("ColorSpace", Object::Name(color_space.as_bytes().to_vec()));
    d.set("BitsPerComponent", 8);
    d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    d.set("DecodeParms", Object::Dictionary(parms));
    d
}

/// Adds image `raster` to `doc` and returns the XObject's object id.
pub(super) fn add(doc: &mut Document, raster: &Raster) -> Result<lopdf::ObjectId, PdfError> {
    let e = encoded(raster)?;
    let mut dict = image_dict(e.width, e.height, "DeviceRGB", 3);
    if let Some(alpha) = &e.alpha {
        let mask = image_dict(e.width, e.height, "DeviceGray", 1);
        let mask_id = doc.add_object(Stream::new(mask, alpha.clone()).with_compression(false));
        dict.set("SMask", Object::Reference(mask_id));
    }
    Ok(doc.add_object(Stream::new(dict, e.color.clone()).with_compression(false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unpredict(data: &[u8], width: usize, bpp: usize) -> Vec<u8> {
        let stride = width * bpp;
        let mut out: Vec<u8> = Vec::new();
        for (r, row) in data.chunks(stride + 1).enumerate() {
            let (ty, row) = (row[0], &row[1..]);
            for i in 0..stride {
                let a = if i >= bpp {
                    out[r * stride + i - bpp]
                } else {
                    0
                };
                let b = if r > 0 { out[(r - 1) * stride + i] } else { 0 };
                let c = if r > 0 && i >= bpp {
                    out[(r - 1) * stride + i - bpp]
                } else {
                    0
                };
                let v = match ty {
                    0 => row[i],
                    1 => row[i].wrapping_add(a),
                    2 => row[i].wrapping_add(b),
                    4 => row[i].wrapping_add(paeth(a, b, c)),
                    _ => panic!("filter {ty}"),
                };
                out.push(v);
            }
        }
        out
    }

    #[test]
    fn prediction_round_trips() {
        let (w, h) = (7, 5);
        let px: Vec<u8> = (0..w * h * 3).map(|i| ((i * 37) ^ (i / 5)) as u8).collect();
        assert_eq!(unpredict(&predict(&px, w, 3), w, 3), px);
        let grey: Vec<u8> = (0..w * h).map(|i| (i * 3) as u8).collect();
        assert_eq!(unpredict(&predict(&grey, w, 1), w, 1), grey);
    }

    #[test]
    fn bad_buffers_are_refused() {
        let r = Raster {
            width: 2,
            height: 2,
            pixels: vec![0; 11],
            has_alpha: false,
        };
        let e = validate(0, &r).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pdf: image 0: 2×2 pixels of RGB need 12 bytes, found 11"
        );
    }
}
