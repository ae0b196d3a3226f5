//! PNG decoding for brand logos.
//!
//! [`decode_png`] turns a PNG file into a [`Raster`] of 8-bit RGB or RGBA
//! pixels, the only two layouts the PDF backend draws: palettes and grey are
//! expanded to RGB, 16-bit samples are stripped to 8 bits, `tRNS` becomes an
//! alpha channel, and an alpha channel that is opaque everywhere is dropped
//! (so the PDF needs no soft mask). Images larger than
//! [`MAX_SIDE`]×[`MAX_SIDE`] pixels are refused before any pixel is decoded.

use std::io::Cursor;

use super::Raster;

/// The largest accepted width or height in pixels.
pub const MAX_SIDE: u32 = 4096;

/// Why a PNG could not be turned into a [`Raster`].
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The bytes are not a PNG the decoder can read.
    #[error("png decoding failed: {0}")]
    Decode(#[from] png::DecodingError),
    /// The image is wider or taller than [`MAX_SIDE`].
    #[error("png image of {width}×{height} pixels exceeds the {max}×{max} limit")]
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The limit per side.
        max: u32,
    },
    /// The image has no pixels.
    #[error("png image has zero width or height ({width}×{height})")]
    Empty {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The decoder produced a pixel layout that cannot be normalised.
    #[error("png image has unsupported colour type {0:?} after expansion")]
    UnsupportedColor(png::ColorType),
}

/// Decodes a PNG into 8-bit RGB, or RGBA when it has any non-opaque pixel.
pub fn decode_png(bytes: &[u8]) -> Result<Raster, RasterError> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let (width, height) = {
        let info = decoder.read_header_info()?;
        (info.width, info.height)
    };
    if width == 0 || height == 0 {
        return Err(RasterError::Empty { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(RasterError::TooLarge {
            width,
            height,
            max: MAX_SIDE,
        });
    }
    let mut reader = decoder.read_info()?;
    let size = reader.output_buffer_size().ok_or(RasterError::TooLarge {
        width,
        height,
        max: MAX_SIDE,
    })?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf)?;
    buf.truncate(frame.buffer_size());
    let pixels = (frame.width as usize) * (frame.height as usize);

    let (pixels, has_alpha) = match (frame.color_type, frame.bit_depth) {
        (png::ColorType::Rgb, png::BitDepth::Eight) => (buf, false),
        (png::ColorType::Rgba, png::BitDepth::Eight) => {
            if buf.chunks_exact(4).all(|p| p[3] == 255) {
                (strip_alpha(&buf, pixels), false)
            } else {
                (buf, true)
            }
        }
        (png::ColorType::Grayscale, png::BitDepth::Eight) => {
            let mut out = Vec::with_capacity(pixels * 3);
            for &g in &buf {
                out.extend_from_slice(&[g, g, g]);
            }
            (out, false)
        }
        (png::ColorType::GrayscaleAlpha, png::BitDepth::Eight) => {
            let opaque = buf.chunks_exact(2).all(|p| p[1] == 255);
            let mut out = Vec::with_capacity(pixels * if opaque { 3 } else { 4 });
            for p in buf.chunks_exact(2) {
                out.extend_from_slice(&[p[0], p[0], p[0]]);
                if !opaque {
                    out.push(p[1]);
                }
            }
            (out, !opaque)
        }
        (other, _) => return Err(RasterError::UnsupportedColor(other)),
    };
    Ok(Raster {
        width: frame.width,
        height: frame.height,
        pixels,
        has_alpha,
    })
}

fn strip_alpha(rgba: &[u8], pixels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixels * 3);
    for p in rgba.chunks_exact(4) {
        out.extend_from_slice(&p[..3]);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Encodes a PNG in memory (tests and benches build their logos this way).
    pub(crate) fn encode_png(
        width: u32,
        height: u32,
        color: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
        palette: Option<(&[u8], Option<&[u8]>)>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, width, height);
            enc.set_color(color);
            enc.set_depth(depth);
            if let Some((plte, trns)) = palette {
                enc.set_palette(plte.to_vec());
                if let Some(t) = trns {
                    enc.set_trns(t.to_vec());
                }
            }
            let mut w = enc.write_header().unwrap();
            w.write_image_data(data).unwrap();
        }
        out
    }

    #[test]
    fn rgb_passes_through() {
        let data: Vec<u8> = (0..2 * 2 * 3).map(|i| i as u8 * 10).collect();
        let png = encode_png(2, 2, png::ColorType::Rgb, png::BitDepth::Eight, &data, None);
        let r = decode_png(&png).unwrap();
        assert_eq!((r.width, r.height, r.has_alpha), (2, 2, false));
        assert_eq!(r.pixels, data);
    }

    #[test]
    fn rgba_keeps_alpha_only_when_needed() {
        let translucent = [255, 0, 0, 128, 0, 255, 0, 255];
        let r = decode_png(&encode_png(
            2,
            1,
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &translucent,
            None,
        ))
        .unwrap();
        assert!(r.has_alpha);
        assert_eq!(r.pixels, translucent);

        let opaque = [255, 0, 0, 255, 0, 255, 0, 255];
        let r = decode_png(&encode_png(
            2,
            1,
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &opaque,
            None,
        ))
        .unwrap();
        assert!(!r.has_alpha);
        assert_eq!(r.pixels, [255, 0, 0, 0, 255, 0]);
    }

    #[test]
    fn grey_palette_and_16_bit_are_expanded() {
        let r = decode_png(&encode_png(
            2,
            1,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            &[0, 200],
            None,
        ))
        .unwrap();
        assert_eq!(r.pixels, [0, 0, 0, 200, 200, 200]);

        let r = decode_png(&encode_png(
            2,
            1,
            png::ColorType::GrayscaleAlpha,
            png::BitDepth::Eight,
            &[10, 0, 20, 255],
            None,
        ))
        .unwrap();
        assert!(r.has_alpha);
        assert_eq!(r.pixels, [10, 10, 10, 0, 20, 20, 20, 255]);

        // 1-bit palette with a transparent entry.
        let r = decode_png(&encode_png(
            8,
            1,
            png::ColorType::Indexed,
            png::BitDepth::One,
            &[0b1010_0000],
            Some((&[0, 0, 255, 255, 255, 0], Some(&[0]))),
        ))
        .unwrap();
        assert!(r.has_alpha);
        assert_eq!(&r.pixels[..8], &[255, 255, 0, 255, 0, 0, 255, 0]);
        assert_eq!(r.pixels.len(), 8 * 4);

        // 16-bit RGB is stripped to the high bytes.
        let r = decode_png(&encode_png(
            1,
            1,
            png::ColorType::Rgb,
            png::BitDepth::Sixteen,
            &[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc],
            None,
        ))
        .unwrap();
        assert_eq!(r.pixels, [0x12, 0x56, 0x9a]);
    }

    #[test]
    fn rejects_garbage_and_oversized_images() {
        let e = decode_png(b"not a png").unwrap_err();
        assert!(e.to_string().starts_with("png decoding failed"), "{e}");
        let wide = encode_png(
            MAX_SIDE + 1,
            1,
            png::ColorType::Grayscale,
            png::BitDepth::One,
            &vec![0u8; (MAX_SIDE as usize + 1).div_ceil(8)],
            None,
        );
        let e = decode_png(&wide).unwrap_err();
        assert!(
            matches!(e, RasterError::TooLarge { width: 4097, .. }),
            "{e}"
        );
        assert_eq!(
            e.to_string(),
            "png image of 4097×1 pixels exceeds the 4096×4096 limit"
        );
    }
}
