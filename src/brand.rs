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
//! // Colours and locales are checked when the file is read, naming the key:
//! let err = Brand::parse("[invoice]\nlocale = \"de\"").unwrap_err().to_string();
//! assert!(err.contains("locale") && err.contains("de"), "{err}");
//! assert!(Brand::parse("[style]\naccent = \"#12345\"").is_err());
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::color::Rgb;
use crate::locale::Locale;
use crate::logo::{Logo, LogoError};
use crate::template::TemplateSource;

/// The largest brand file read, in bytes.
pub const MAX_BRAND_BYTES: u64 = 1 << 20;

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
    /// The logo named by `[style] logo`, decoded by [`Brand::load`].
    #[serde(skip)]
    pub logo: Option<Logo>,
    /// The brand file, set by [`Brand::load`]; relative paths in it (logo,
    /// template) were resolved against its folder.
    #[serde(skip)]
    pub path: Option<PathBuf>,
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
    /// Accent colour, written `#RRGGBB`.
    #[serde(default, deserialize_with = "accent")]
    pub accent: Option<Rgb>,
    /// Logo file (PNG or SVG), relative to the brand file.
    pub logo: Option<PathBuf>,
}

/// The `[invoice]` table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceSettings {
    /// `nb`, `sv`, `fi` or `en`; default from the buyer's country.
    #[serde(default, deserialize_with = "locale")]
    pub locale: Option<Locale>,
    /// A built-in template name, or a template file (relative to the brand
    /// file once loaded).
    #[serde(default, deserialize_with = "template")]
    pub template: Option<TemplateSource>,
    /// A line printed at the bottom of every page.
    pub footer: Option<String>,
    /// Account holder named in the payment block and the payment codes; default `Kravia`.
    pub payee_name: Option<String>,
}

/// Why a brand file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrandError {
    /// The file could not be read.
    #[error("brand file: {0}")]
    Read(#[from] crate::file::ReadError),
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("brand file{}: {message}", at(path.as_deref()))]
    Syntax {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The logo could not be read or decoded.
    #[error("brand file {}: [style] logo {}: {source}", brand.display(), logo.display())]
    Logo {
        /// The brand file.
        brand: PathBuf,
        /// The logo file.
        logo: PathBuf,
        /// What went wrong.
        source: LogoError,
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

    /// Reads and parses a brand file, resolves the logo and template paths
    /// against its folder, and decodes the logo.
    ///
    /// # Errors
    ///
    /// Unreadable file, malformed TOML, or a logo that cannot be read or decoded
    /// (the error names the brand file and the logo).
    pub fn load(path: &Path) -> Result<Brand, BrandError> {
        let bytes = crate::file::read_regular(path, MAX_BRAND_BYTES)?;
        let text = String::from_utf8(bytes).map_err(|_| BrandError::Syntax {
            path: Some(path.to_path_buf()),
            message: "the file is not UTF-8 text".into(),
        })?;
        let mut brand = Brand::parse(&text).map_err(|e| match e {
            BrandError::Syntax { message, .. } => BrandError::Syntax {
                path: Some(path.to_path_buf()),
                message,
            },
            other => other,
        })?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        brand.path = Some(path.to_path_buf());
        if let Some(TemplateSource::File(p)) = &mut brand.invoice.template
            && p.is_relative()
        {
            *p = base.join(&*p);
        }
        if let Some(logo) = &brand.style.logo {
            let full = base.join(logo);
            brand.logo = Some(Logo::load(&full).map_err(|source| BrandError::Logo {
                brand: path.to_path_buf(),
                logo: full.clone(),
                source,
            })?);
        }
        Ok(brand)
    }
}

fn accent<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rgb>, D::Error> {
    let s = String::deserialize(d)?;
    let hex = s.trim().strip_prefix('#').unwrap_or(s.trim());
    (hex.len() == 6)
        .then(|| Rgb::from_hex_digits(hex))
        .flatten()
        .map(Some)
        .ok_or_else(|| {
            serde::de::Error::custom(format!("{s:?} is not a colour of the form \"#1F4E79\""))
        })
}

fn locale<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Locale>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(serde::de::Error::custom)
}

fn template<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TemplateSource>, D::Error> {
    let s = String::deserialize(d)?;
    Ok((!s.trim().is_empty()).then(|| TemplateSource::from_arg(&s)))
}
