//! The brand file: the seller's legal facts and the invoice's look.
//!
//! Seller facts are not in Dintero's data, and Norwegian, Swedish and Finnish
//! law require them on the invoice, so the merchant supplies them in a small
//! TOML file (see the crate README for every key). Unknown keys are errors, so
//! a typo never silently drops a legal detail.
//!
//! ```
//! use kravia_invoice::brand::Brand;
//! let brand = Brand::parse(r#"
//!     [seller]
//!     name = "Kontorutstyr Vest AS"
//!     organization_number = "998877665"
//! "#).unwrap();
//! assert_eq!(brand.seller.name.as_deref(), Some("Kontorutstyr Vest AS"));
//! assert!(Brand::parse("[seller]\nnmae = \"x\"").is_err());
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::layout::document::Raster;

/// A parsed brand file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// The seller (required keys: `name`, `organization_number`).
    #[serde(default)]
    pub seller: SellerFacts,
    /// The look.
    #[serde(default)]
    pub style: Style,
    /// Invoice settings.
    #[serde(default)]
    pub invoice: InvoiceSettings,
    /// The logo named by `[style] logo`, loaded by [`Brand::load`].
    #[serde(skip)]
    pub logo: Option<Logo>,
    /// The folder of the brand file, set by [`Brand::load`]: relative paths in
    /// the file (logo, template) are resolved against it.
    #[serde(skip)]
    pub base_dir: Option<PathBuf>,
}

/// The `[seller]` table, as written; `verify` checks it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SellerFacts {
    /// Legal name.
    pub name: Option<String>,
    /// Organisation number in any usual form; checked with the seller's country rule.
    pub organization_number: Option<String>,
    /// Whether the seller is VAT registered (NO: prints `MVA` after the number).
    #[serde(default)]
    pub vat_registered: bool,
    /// Register name printed after the number (NO: `Foretaksregisteret`).
    pub register: Option<String>,
    /// Street address.
    pub address_line: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Postal place.
    pub postal_place: Option<String>,
    /// ISO 3166 alpha-2 country; default the session's merchant country, else `NO`.
    pub country: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// SE/FI: the VAT number; derived from the org number when absent.
    pub vat_number: Option<String>,
    /// SE: prints "Godkänd för F-skatt".
    #[serde(default)]
    pub f_skatt: bool,
}

/// The `[style]` table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    /// Accent colour, `#RRGGBB`.
    pub accent: Option<String>,
    /// Logo file (PNG or SVG), relative to the brand file.
    pub logo: Option<PathBuf>,
}

/// The `[invoice]` table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceSettings {
    /// `nb`, `sv`, `fi` or `en`; default from the buyer's country.
    pub locale: Option<String>,
    /// A template name from `templates/`, or a path to a template file.
    pub template: Option<String>,
    /// A line printed at the bottom of every page.
    pub footer: Option<String>,
    /// Account holder named in the payment block and the payment codes; default `Kravia`.
    pub payee_name: Option<String>,
}

/// A loaded logo.
#[derive(Clone, Debug, PartialEq)]
pub enum Logo {
    /// A PNG, decoded.
    Png(Raster),
    /// An SVG document's text.
    Svg(String),
}

/// Why a brand file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrandError {
    /// The file could not be read.
    #[error("reading brand file {}: {}", path.display(), source.reason())]
    Read {
        /// The file.
        path: PathBuf,
        /// What failed: not a regular file, too large, an I/O error.
        source: crate::file::FileError,
    },
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("brand file{}: {message}", at(path.as_deref()))]
    Syntax {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The logo could not be read or decoded.
    #[error("brand file: [style] logo {path}: {message}")]
    Logo {
        /// The logo file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

fn at(path: Option<&Path>) -> String {
    path.map(|p| format!(" {}", p.display()))
        .unwrap_or_default()
}

impl Brand {
    /// Parses brand TOML text; the logo is not loaded (see [`Brand::load`]).
    ///
    /// # Errors
    ///
    /// [`BrandError::Syntax`] with line and column for malformed TOML, an
    /// unknown key or a value of the wrong type.
    pub fn parse(text: &str) -> Result<Brand, BrandError> {
        toml::from_str(text).map_err(|e| BrandError::Syntax {
            path: None,
            message: e.to_string().trim_end().replace('\n', " "),
        })
    }

    /// Reads and parses a brand file and loads its logo (relative to the file).
    ///
    /// # Errors
    ///
    /// Unreadable file, malformed TOML, or a logo that cannot be read or decoded.
    pub fn load(path: &Path) -> Result<Brand, BrandError> {
        let text =
            crate::file::read_text(path, crate::file::MAX_TEMPLATE_BYTES).map_err(|source| {
                BrandError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        let mut brand = Brand::parse(&text).map_err(|e| match e {
            BrandError::Syntax { message, .. } => BrandError::Syntax {
                path: Some(path.to_path_buf()),
                message,
            },
            other => other,
        })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        brand.base_dir = Some(base.clone());
        if let Some(logo) = brand.style.logo.clone() {
            let full = base.join(&logo);
            brand.logo = Some(load_logo(&full)?);
        }
        Ok(brand)
    }

    /// The accent colour, parsed from `#RRGGBB` (or `RRGGBB`).
    ///
    /// # Errors
    ///
    /// A message naming `[style] accent` when the value is not six hex digits.
    pub fn accent(&self) -> Result<Option<crate::layout::Rgb>, String> {
        let Some(s) = self.style.accent.as_deref() else {
            return Ok(None);
        };
        let hex = s.trim().trim_start_matches('#');
        let ok = hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).ok();
        match (ok, byte(0), byte(2), byte(4)) {
            (true, Some(r), Some(g), Some(b)) => Ok(Some(crate::layout::Rgb(r, g, b))),
            _ => Err(format!(
                "[style] accent {s:?} is not a colour of the form \"#1F4E79\""
            )),
        }
    }
}

fn load_logo(path: &Path) -> Result<Logo, BrandError> {
    let err = |message: String| BrandError::Logo {
        path: path.to_path_buf(),
        message,
    };
    // Only a regular file, and not without bound (`/dev/zero`, a FIFO).
    let bytes = crate::file::read_regular(path, crate::file::MAX_LOGO_BYTES)
        .map_err(|e| err(e.reason()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "svg" || bytes.starts_with(b"<svg") || bytes.starts_with(b"<?xml") {
        let text = String::from_utf8(bytes).map_err(|_| err("SVG is not UTF-8".into()))?;
        return Ok(Logo::Svg(text));
    }
    if bytes.starts_with(b"\x89PNG") {
        return crate::raster::decode_png(&bytes)
            .map(Logo::Png)
            .map_err(|e| err(e.to_string()));
    }
    Err(err("not a PNG or SVG file".into()))
}
