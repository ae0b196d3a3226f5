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
use crate::font::{FontChain, FontError};
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
    /// template, font directory) were resolved against its folder.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Where text finds a face for characters the bundled fonts lack: the
    /// `[style] font_dir` (loaded by [`Brand::load`]), then the system's fonts
    /// unless `[style] system_fonts = false`.
    #[serde(skip)]
    pub fonts: FontChain,
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
    /// A directory of font files (`.ttf`, `.otf`, `.ttc`) for scripts the
    /// bundled fonts lack (CJK, Arabic, Hebrew, Thai, …), relative to the
    /// brand file; searched before the system's fonts.
    pub font_dir: Option<PathBuf>,
    /// Whether the system's fonts (`/usr/share/fonts`, `/usr/local/share/fonts`)
    /// are searched after the bundled ones and `font_dir`; default `true`.
    pub system_fonts: Option<bool>,
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
    /// Why lines at 0 % VAT carry no VAT (e.g. `Omsetning av bøker er fritatt
    /// etter merverdiavgiftsloven § 6-4`), printed on every invoice that has
    /// such a line. Required for Swedish and Finnish sellers once an invoice has
    /// a 0 % line (`missing_exemption_reason`); a warning for Norwegian ones.
    pub vat_exemption_reason: Option<String>,
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
    /// The font directory could not be read.
    #[error("brand file {}: [style] font_dir: {source}", brand.display())]
    Fonts {
        /// The brand file.
        brand: PathBuf,
        /// What went wrong.
        source: FontError,
    },
    /// The logo could not be read or decoded.
    #[error(
        "brand file {}: [style] logo {}: {source}: give a PNG or SVG file (the path is relative to the brand file's folder), or remove the logo line",
        brand.display(),
        logo.display()
    )]
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
        let mut brand: Brand = toml::from_str(text).map_err(|e| BrandError::Syntax {
            path: None,
            message: syntax_message(text, &e),
        })?;
        if brand.style.system_fonts == Some(false) {
            brand.fonts = FontChain::bundled_only();
        }
        Ok(brand)
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
        if let Some(dir) = &brand.style.font_dir {
            let full = base.join(dir);
            brand.fonts = FontChain::new(Some(&full), brand.style.system_fonts != Some(false))
                .map_err(|source| BrandError::Fonts {
                    brand: path.to_path_buf(),
                    source,
                })?;
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

/// A TOML error as the user can act on it: where (line, column, the
/// `[table]` and key), the line itself with the spot marked, and for an
/// unknown key the closest known one and the keys the table takes.
///
/// ```text
/// line 3, column 1: unknown key `organisation_number` in [seller]
///   |
/// 3 | organisation_number = "849749943"
///   | ^^^^^^^^^^^^^^^^^^^
/// did you mean `organization_number`? [seller] takes: name, organization_number, …
/// ```
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim_end();
    let Some(span) = e.span() else {
        return message.to_string();
    };
    let start = (0..=span.start.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..start];
    let line_no = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let line = text[line_start..].lines().next().unwrap_or("");
    let marked = text
        .get(start..span.end.min(line_start + line.len()).max(start))
        .map_or(1, |m| m.chars().count().max(1));
    // The table the line sits in: the last `[header]` above it.
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let is_header = line.trim_start().starts_with('[');
    let key = line.split('=').next().unwrap_or("").trim();

    let (what, hint) = match unknown_field(message) {
        Some((name, known)) => {
            let suggestion = crate::template::closest(&name, &known);
            if is_header || table.is_none() {
                let tables = known.iter().map(|k| format!("[{k}]")).collect::<Vec<_>>();
                (
                    format!("unknown table [{name}]"),
                    match suggestion {
                        Some(k) => format!(
                            "did you mean [{k}]? The brand file has the tables {}",
                            tables.join(", ")
                        ),
                        None => format!(
                            "the brand file has the tables {}: rename or remove this one",
                            tables.join(", ")
                        ),
                    },
                )
            } else {
                let t = table.as_deref().unwrap_or("");
                (
                    format!("unknown key `{name}` in [{t}]"),
                    match suggestion {
                        Some(k) => format!("did you mean `{k}`? [{t}] takes: {}", known.join(", ")),
                        None => format!(
                            "[{t}] takes: {}; rename or remove this key",
                            known.join(", ")
                        ),
                    },
                )
            }
        }
        None => {
            let place = match (&table, is_header || key.is_empty()) {
                (Some(t), false) => format!("[{t}] {key}: "),
                (None, false) => format!("{key}: "),
                _ => String::new(),
            };
            (format!("{place}{message}"), String::new())
        }
    };
    let gutter = " ".repeat(line_no.to_string().len());
    let pad = " ".repeat(column - 1);
    let mut out = format!(
        "line {line_no}, column {column}: {what}\n{gutter} |\n{line_no} | {line}\n{gutter} | {pad}{}",
        "^".repeat(marked)
    );
    if !hint.is_empty() {
        out.push('\n');
        out.push_str(&hint);
    }
    out
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`
/// or `b`", "expected `a`", "there are no fields"): the field and the known
/// names.
fn unknown_field(message: &str) -> Option<(String, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let known = rest.split('`').skip(1).step_by(2).collect::<Vec<&str>>();
    Some((name.to_string(), known))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../tests/fixtures/pub_ok_no_b2b_three_rates/brand.toml");

    fn error(text: &str) -> String {
        Brand::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_mistyped_key_shows_the_line_and_the_closest_key() {
        let text = FIXTURE.replace("organization_number", "organisation_number");
        let e = error(&text);
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(
            lines[0], "brand file: line 3, column 1: unknown key `organisation_number` in [seller]",
            "{e}"
        );
        assert_eq!(lines[1], "  |");
        assert_eq!(lines[2], "3 | organisation_number = \"849749943\"");
        assert_eq!(lines[3], "  | ^^^^^^^^^^^^^^^^^^^");
        assert!(
            lines[4].starts_with("did you mean `organization_number`? [seller] takes: name, organization_number, vat_registered"),
            "{e}"
        );
    }

    #[test]
    fn a_key_with_no_near_name_lists_the_table_keys() {
        let e = error("[style]\naccent = \"#123456\"\nbackground = \"red\"\n");
        assert!(e.contains("unknown key `background` in [style]"), "{e}");
        assert!(
            e.contains(
                "[style] takes: accent, logo, font_dir, system_fonts; rename or remove this key"
            ),
            "{e}"
        );
        assert!(e.contains("3 | background = \"red\""), "{e}");
    }

    #[test]
    fn a_mistyped_table_is_named_as_a_table() {
        let e = error("[seler]\nname = \"A\"\n");
        assert!(e.contains("line 1, column 2: unknown table [seler]"), "{e}");
        assert!(e.contains("did you mean [seller]?"), "{e}");
    }

    #[test]
    fn a_bad_value_names_table_and_key() {
        let e = error("[seller]\nname = \"A\"\nvat_registered = \"yes\"\n");
        assert!(
            e.contains("line 3, column 18: [seller] vat_registered: invalid type"),
            "{e}"
        );
        assert!(
            e.contains("\n3 | vat_registered = \"yes\"\n  |                  ^^^^^"),
            "{e}"
        );
    }
}
