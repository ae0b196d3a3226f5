//! Brand logos, decoded once when the brand loads.
//!
//! A logo is a PNG ([`Raster`]: 8-bit RGB or RGBA pixels, see [`png`]) or an
//! SVG ([`VectorLogo`]: filled polygons, see [`svg`]). [`Logo::load`] reads the
//! file (a regular file of at most [`MAX_LOGO_BYTES`]) and decodes it, so a
//! broken logo is an error when the brand file is loaded, naming the logo,
//! never a surprise at render time.
//!
//! ```
//! use kravia_invoice::logo::Logo;
//! let svg = br##"<svg viewBox="0 0 10 10"><rect width="10" height="10" fill="#1F4E79"/></svg>"##;
//! assert!(matches!(Logo::decode(svg, "logo.svg"), Ok(Logo::Svg(_))));
//! assert!(Logo::decode(b"GIF89a", "logo.gif").is_err());
//! ```

pub mod png;
pub mod svg;

use std::path::Path;

pub use svg::VectorLogo;

/// The largest logo file read, in bytes (4 MiB).
pub const MAX_LOGO_BYTES: u64 = 4 << 20;

/// Decoded pixels of a raster image.
#[derive(Clone, Debug, PartialEq)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 3` bytes of RGB, or `× 4` of RGBA when `has_alpha`.
    pub pixels: Vec<u8>,
    /// Whether `pixels` carries an alpha channel.
    pub has_alpha: bool,
}

/// A decoded logo.
#[derive(Clone, Debug, PartialEq)]
pub enum Logo {
    /// A PNG, decoded to pixels.
    Png(Raster),
    /// An SVG, flattened to filled polygons.
    Svg(VectorLogo),
}

/// Why a logo could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogoError {
    /// The file could not be read (missing, not a regular file, too large).
    #[error("{0}")]
    Read(#[from] crate::file::ReadError),
    /// The PNG could not be decoded.
    #[error(transparent)]
    Png(#[from] png::RasterError),
    /// The SVG is not UTF-8.
    #[error("the SVG is not UTF-8 text")]
    SvgEncoding,
    /// The SVG has no view box (or width and height) or no filled shape the
    /// reader can draw (rect, circle, ellipse, polygon, polyline, path).
    #[error(
        "the SVG has no viewBox (or width and height) or no filled rect, circle, ellipse, polygon, polyline or path to draw"
    )]
    SvgUnreadable,
    /// Neither a PNG nor an SVG.
    #[error("not a PNG or SVG file")]
    UnknownFormat,
}

impl Logo {
    /// Reads and decodes the logo file at `path`.
    ///
    /// # Errors
    ///
    /// [`LogoError`]: unreadable, not a regular file, over [`MAX_LOGO_BYTES`],
    /// or not a PNG or SVG this crate can draw.
    pub fn load(path: &Path) -> Result<Logo, LogoError> {
        let bytes = crate::file::read_regular(path, MAX_LOGO_BYTES)?;
        let name = path.to_string_lossy();
        Logo::decode(&bytes, &name)
    }

    /// Decodes logo bytes; `name` (a file name) decides SVG by its extension
    /// when the bytes do not.
    ///
    /// # Errors
    ///
    /// [`LogoError`] when the bytes are not a PNG or SVG this crate can draw.
    pub fn decode(bytes: &[u8], name: &str) -> Result<Logo, LogoError> {
        let svg_name = name.to_ascii_lowercase().ends_with(".svg");
        let head = trim_ascii_start(bytes);
        if svg_name || head.starts_with(b"<svg") || head.starts_with(b"<?xml") {
            let text = std::str::from_utf8(bytes).map_err(|_| LogoError::SvgEncoding)?;
            return VectorLogo::parse(text)
                .map(Logo::Svg)
                .ok_or(LogoError::SvgUnreadable);
        }
        if bytes.starts_with(b"\x89PNG") {
            return Ok(Logo::Png(png::decode_png(bytes)?));
        }
        Err(LogoError::UnknownFormat)
    }
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}
