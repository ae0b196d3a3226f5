//! Declarative invoice templates: what the page looks like, not what it says.
//!
//! A template is a TOML file (documented key by key in `templates/README.md`)
//! that chooses margins, font sizes, colours, the line table's columns, whether
//! unit prices are shown including or excluding VAT, and which payment codes
//! are drawn. The legal content is not optional: every template prints the
//! same facts, and a template whose table lacks a legally required column is
//! rejected.
//!
//! Two templates are built in (`classic` and `compact`, embedded with
//! `include_str!`); [`Template::load`] reads a user's file. The label texts of
//! the four languages are in [`Labels`].
//!
//! ```
//! use kravia_invoice::template::Template;
//! let classic = Template::builtin("classic").unwrap();
//! assert_eq!(classic.name, "classic");
//! let err = Template::parse("mine.toml", "[template]\nnmae = \"x\"").unwrap_err();
//! assert!(err.to_string().starts_with("template mine.toml: line 2: "));
//! ```

mod labels;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::color::Rgb;

pub use labels::Labels;

const CLASSIC: &str = include_str!("../../templates/classic.toml");
const COMPACT: &str = include_str!("../../templates/compact.toml");

/// The built-in templates: `(name, TOML text)`.
pub const BUILTIN: [(&str, &str); 2] = [("classic", CLASSIC), ("compact", COMPACT)];

/// Where a template comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    /// A built-in template by name (`classic`, `compact`).
    Builtin(String),
    /// A template file.
    File(PathBuf),
}

impl TemplateSource {
    /// Reads a `--template` value or a brand's `[invoice] template`: a built-in
    /// name (with or without `.toml`), else a file path.
    ///
    /// ```
    /// use kravia_invoice::template::TemplateSource;
    /// assert_eq!(TemplateSource::from_arg("compact"), TemplateSource::Builtin("compact".into()));
    /// assert!(matches!(TemplateSource::from_arg("my/own.toml"), TemplateSource::File(_)));
    /// ```
    pub fn from_arg(value: &str) -> TemplateSource {
        let name = value.trim();
        let bare = name.strip_suffix(".toml").unwrap_or(name);
        if BUILTIN.iter().any(|(n, _)| *n == bare) && !Path::new(name).exists() {
            TemplateSource::Builtin(bare.to_string())
        } else {
            TemplateSource::File(PathBuf::from(name))
        }
    }

    /// Loads the template.
    ///
    /// # Errors
    ///
    /// An unknown built-in name, an unreadable file, or an invalid template.
    pub fn load(&self) -> Result<Template, TemplateError> {
        match self {
            TemplateSource::Builtin(name) => Template::builtin(name),
            TemplateSource::File(path) => Template::load(path),
        }
    }
}

impl fmt::Display for TemplateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateSource::Builtin(name) => f.write_str(name),
            TemplateSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Why a template (or a label file) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// No built-in template has this name.
    #[error(
        "unknown template {name:?} (built in: classic, compact; or give the path of a .toml file)"
    )]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The template file could not be read.
    #[error("reading template {path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The TOML is malformed, has an unknown or missing key, or a bad value.
    #[error("template {file}: {}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Invalid {
        /// The file (`compact.toml`, a user's path, `labels/nb.toml`).
        file: String,
        /// The 1-based line of the offending key or value, when known.
        line: Option<usize>,
        /// What is wrong, naming the field.
        message: String,
    },
}

/// A parsed, checked template. Lengths are millimetres, font sizes points.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// `[template]`: name and description.
    #[serde(rename = "template")]
    pub info: TemplateInfo,
    /// `[page]`: margins.
    pub page: PageSpec,
    /// `[text]`: font sizes.
    pub text: TextSpec,
    /// `[colors]`: text and rule colours.
    pub colors: ColorSpec,
    /// `[header]`: band, logo, title, parties.
    pub header: HeaderSpec,
    /// `[table]`: the line table.
    pub table: TableSpec,
    /// `[summary]`: VAT summary and totals.
    pub summary: SummarySpec,
    /// `[payment]`: the payment block and its codes.
    pub payment: PaymentSpec,
    /// `[footer]`: the footer on every page.
    pub footer: FooterSpec,
    /// The template's name (`classic`), copied from `[template] name`.
    #[serde(skip)]
    pub name: String,
}

/// `[template]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateInfo {
    /// Short name.
    pub name: String,
    /// One sentence for people.
    pub description: String,
}

/// `[page]`: margins of the A4 page in millimetres.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// Top margin (below the header band).
    #[serde(deserialize_with = "ranged::<500, 6000, _>")]
    pub margin_top: f32,
    /// Bottom margin (below the footer).
    #[serde(deserialize_with = "ranged::<500, 6000, _>")]
    pub margin_bottom: f32,
    /// Left margin.
    #[serde(deserialize_with = "ranged::<500, 6000, _>")]
    pub margin_left: f32,
    /// Right margin.
    #[serde(deserialize_with = "ranged::<500, 6000, _>")]
    pub margin_right: f32,
}

/// `[text]`: font sizes in points.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSpec {
    /// Body text: parties, meta, totals labels.
    #[serde(deserialize_with = "ranged::<600, 1600, _>")]
    pub body: f32,
    /// Small print: footer, legal lines, discount notes.
    #[serde(deserialize_with = "ranged::<500, 1200, _>")]
    pub small: f32,
    /// The title ("Faktura").
    #[serde(deserialize_with = "ranged::<1000, 4000, _>")]
    pub title: f32,
    /// Block headings ("Faktureres til").
    #[serde(deserialize_with = "ranged::<500, 1600, _>")]
    pub heading: f32,
    /// Line table rows.
    #[serde(deserialize_with = "ranged::<600, 1400, _>")]
    pub table: f32,
    /// Line table header.
    #[serde(deserialize_with = "ranged::<500, 1400, _>")]
    pub table_header: f32,
    /// Totals and VAT summary.
    #[serde(deserialize_with = "ranged::<600, 1600, _>")]
    pub totals: f32,
    /// The amount to pay in the totals.
    #[serde(deserialize_with = "ranged::<700, 2400, _>")]
    pub to_pay: f32,
    /// Payment values (KID, account): large and clear.
    #[serde(deserialize_with = "ranged::<800, 2400, _>")]
    pub payment: f32,
    /// Line height as a multiple of the font size.
    #[serde(deserialize_with = "ranged::<100, 250, _>")]
    pub line_spacing: f32,
}

/// `[colors]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColorSpec {
    /// Body text.
    pub text: Color,
    /// Labels and secondary text.
    pub muted: Color,
    /// Hairlines.
    pub rule: Color,
    /// The accent when the brand sets none.
    pub accent_default: Color,
}

/// How the parties (seller, buyer) and the invoice facts are arranged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parties {
    /// Seller, then buyer on the left; invoice facts and the amount-to-pay
    /// callout on the right.
    Stacked,
    /// Three columns side by side: buyer, seller, invoice facts.
    Columns,
}

/// `[header]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    /// Height of the band across the top of every page, mm (0 = none).
    #[serde(deserialize_with = "ranged::<0, 3000, _>")]
    pub band: f32,
    /// The band's colour.
    pub band_color: Color,
    /// Whether to draw the brand's logo.
    pub logo: bool,
    /// The logo's largest width, mm.
    #[serde(deserialize_with = "ranged::<500, 10000, _>")]
    pub logo_max_width: f32,
    /// The logo's largest height, mm.
    #[serde(deserialize_with = "ranged::<500, 4000, _>")]
    pub logo_max_height: f32,
    /// The title's colour.
    pub title_color: Color,
    /// Whether the title is printed in capitals.
    pub title_uppercase: bool,
    /// Arrangement of the parties.
    pub parties: Parties,
    /// Whether to show the amount to pay and the due date in a box on the first page.
    pub callout: bool,
    /// The callout's fill.
    pub callout_fill: Fill,
}

/// Whether unit prices are shown including or excluding VAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceMode {
    /// The invoice's default: B2B excluding VAT, B2C including.
    Auto,
    /// Including VAT.
    InclVat,
    /// Excluding VAT.
    ExclVat,
}

/// A column of the line table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnField {
    /// What was sold (wraps). Required.
    Description,
    /// The product id / SKU.
    ItemId,
    /// Quantity. Required.
    Quantity,
    /// Unit price (incl. or excl. VAT per `prices`). Required.
    UnitPrice,
    /// VAT rate. Required.
    VatRate,
    /// The line's VAT amount.
    VatAmount,
    /// The line's amount excluding VAT.
    Net,
    /// The line's amount including VAT, as given. Required.
    Amount,
}

impl ColumnField {
    /// The name used in templates: `unit_price`.
    pub const fn name(self) -> &'static str {
        match self {
            ColumnField::Description => "description",
            ColumnField::ItemId => "item_id",
            ColumnField::Quantity => "quantity",
            ColumnField::UnitPrice => "unit_price",
            ColumnField::VatRate => "vat_rate",
            ColumnField::VatAmount => "vat_amount",
            ColumnField::Net => "net",
            ColumnField::Amount => "amount",
        }
    }

    /// The columns every template must have (the law asks for them).
    pub const REQUIRED: [ColumnField; 5] = [
        ColumnField::Description,
        ColumnField::Quantity,
        ColumnField::UnitPrice,
        ColumnField::VatRate,
        ColumnField::Amount,
    ];
}

/// Horizontal alignment within a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right (numbers).
    Right,
}

/// One column of the line table.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// What the column shows.
    pub field: ColumnField,
    /// Share of the text width, percent (all columns add up to 100).
    #[serde(deserialize_with = "ranged::<300, 10000, _>")]
    pub width: f32,
    /// Alignment.
    pub align: Align,
}

/// `[table]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Unit prices incl. or excl. VAT.
    pub prices: PriceMode,
    /// Header row fill.
    pub header_fill: Fill,
    /// Header row text colour (`auto`: black or white, whichever reads on the fill).
    pub header_text: Color,
    /// Fill of every second row.
    pub zebra: Fill,
    /// Whether a hairline separates rows.
    pub rules: bool,
    /// Space above and below each row's text, mm.
    #[serde(deserialize_with = "ranged::<0, 500, _>")]
    pub row_padding: f32,
    /// The columns, left to right.
    pub columns: Vec<Column>,
}

/// `[summary]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummarySpec {
    /// Fill behind the amount-to-pay row of the totals.
    pub to_pay_fill: Fill,
}

/// A payment code that a template may draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentCode {
    /// The EPC QR code (EUR invoices).
    EpcQr,
    /// The Finnish virtual barcode, as digits and Code 128 bars (EUR, Finnish IBAN).
    FiBarcode,
    /// The Swedish payment QR code, UsingQR (SEK invoices).
    SeQr,
}

/// Where the payment block sits on its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentPosition {
    /// At the foot of the page, like a paper giro (it still never leaves the
    /// page of the totals).
    Bottom,
    /// Right under the totals.
    AfterTotals,
}

/// `[payment]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentSpec {
    /// Which payment codes to draw when the invoice's currency allows them.
    pub codes: Vec<PaymentCode>,
    /// The block's frame colour.
    pub frame: Fill,
    /// The block's background.
    pub fill: Fill,
    /// Side of a payment QR code including its 4-module quiet zone, mm
    /// (the modules alone are always at least 25 mm wide).
    #[serde(deserialize_with = "ranged::<3000, 6000, _>")]
    pub qr_size: f32,
    /// The Code 128 X-dimension (narrowest bar), mm; narrowed towards 0.25 mm
    /// only if the symbol would not fit.
    #[serde(deserialize_with = "ranged::<25, 60, _>")]
    pub barcode_module: f32,
    /// Where the block goes: at the foot of the last page, or right under
    /// the totals.
    pub position: PaymentPosition,
    /// Bar height, mm.
    #[serde(deserialize_with = "ranged::<1300, 3000, _>")]
    pub barcode_height: f32,
}

/// `[footer]`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FooterSpec {
    /// Whether to print the brand's `[invoice] footer` text.
    pub text: bool,
    /// Whether to repeat the seller's name, address and registration on every page.
    pub seller_line: bool,
    /// Whether a hairline separates the footer from the page.
    pub rule: bool,
}

/// A colour in a template: `"#1A1A1A"`, `"accent"`, `"accent 12%"` (the accent
/// mixed with white) or `"auto"` (black or white, whichever reads on the fill
/// below it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// A fixed colour.
    Rgb(Rgb),
    /// The brand's accent (or the template's `accent_default`).
    Accent,
    /// The accent at this percentage over white (1–99).
    Tint(u8),
    /// Black or white, by contrast with the fill below.
    Auto,
}

impl Color {
    /// The colour to draw, given the accent and the fill below (for `auto`).
    pub fn resolve(self, accent: Rgb, below: Rgb) -> Rgb {
        match self {
            Color::Rgb(c) => c,
            Color::Accent => accent,
            Color::Tint(p) => accent.tint(p),
            Color::Auto => below.contrasting_text(),
        }
    }
}

/// An optional colour: a [`Color`] or `"none"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill(pub Option<Color>);

fn parse_color(s: &str) -> Result<Color, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("accent") {
        return Ok(Color::Accent);
    }
    if t.eq_ignore_ascii_case("auto") {
        return Ok(Color::Auto);
    }
    if let Some(rest) = t
        .strip_prefix("accent")
        .or_else(|| t.strip_prefix("Accent"))
    {
        let pct = rest.trim().strip_suffix('%').map(str::trim);
        if let Some(p) = pct
            .and_then(|p| p.parse::<u8>().ok())
            .filter(|p| (1..=99).contains(p))
        {
            return Ok(Color::Tint(p));
        }
    }
    if let Some(c) = t
        .strip_prefix('#')
        .filter(|h| h.len() == 6)
        .and_then(Rgb::from_hex_digits)
    {
        return Ok(Color::Rgb(c));
    }
    Err(format!(
        "{s:?} is not a colour (expected \"#RRGGBB\", \"accent\", \"accent 12%\" or \"auto\")"
    ))
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
        let s = String::deserialize(d)?;
        parse_color(&s).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Fill {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fill, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().eq_ignore_ascii_case("none") {
            return Ok(Fill(None));
        }
        parse_color(&s)
            .map(|c| Fill(Some(c)))
            .map_err(|m| de::Error::custom(format!("{m} or \"none\"")))
    }
}

/// A number within `[LO/100, HI/100]`.
fn ranged<'de, const LO: i32, const HI: i32, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    let v = f64::deserialize(d)?;
    let (lo, hi) = (f64::from(LO) / 100.0, f64::from(HI) / 100.0);
    if !(lo..=hi).contains(&v) {
        return Err(de::Error::custom(format!(
            "{v} is out of range (expected {lo} to {hi})"
        )));
    }
    Ok(v as f32)
}

impl Template {
    /// A built-in template by name (`classic`, `compact`; `.toml` optional).
    ///
    /// # Errors
    ///
    /// [`TemplateError::Unknown`] for another name.
    pub fn builtin(name: &str) -> Result<Template, TemplateError> {
        let bare = name.strip_suffix(".toml").unwrap_or(name);
        // Built-in templates are parsed once per process; renders clone them.
        static PARSED: std::sync::OnceLock<Vec<Result<Template, TemplateError>>> =
            std::sync::OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(n, text)| Template::parse(&format!("{n}.toml"), text))
                .collect()
        });
        let i = BUILTIN
            .iter()
            .position(|(n, _)| *n == bare)
            .ok_or_else(|| TemplateError::Unknown {
                name: name.to_string(),
            })?;
        parsed.get(i).cloned().unwrap_or_else(|| {
            Err(TemplateError::Unknown {
                name: name.to_string(),
            })
        })
    }

    /// Reads and parses a template file.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Read`] or [`TemplateError::Invalid`].
    pub fn load(path: &Path) -> Result<Template, TemplateError> {
        let text = std::fs::read_to_string(path).map_err(|e| TemplateError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Template::parse(&path.display().to_string(), &text)
    }

    /// Parses and checks template text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Invalid`] with the line and the field: malformed TOML,
    /// an unknown or missing key, a value out of range, a table without a
    /// legally required column, a column twice, or widths that do not add up
    /// to 100.
    pub fn parse(file: &str, text: &str) -> Result<Template, TemplateError> {
        let mut t: Template = parse_toml(file, text)?;
        t.name = t.info.name.clone();
        t.check(file, text)?;
        Ok(t)
    }

    fn check(&self, file: &str, text: &str) -> Result<(), TemplateError> {
        let invalid = |message: String| TemplateError::Invalid {
            file: file.to_string(),
            line: line_of_key(text, "table", "columns"),
            message,
        };
        let cols = &self.table.columns;
        for required in ColumnField::REQUIRED {
            if !cols.iter().any(|c| c.field == required) {
                return Err(invalid(format!(
                    "[table] columns: the column {:?} is missing (invoices must show description, quantity, unit price, VAT rate and amount)",
                    required.name()
                )));
            }
        }
        for (i, c) in cols.iter().enumerate() {
            if cols[..i].iter().any(|d| d.field == c.field) {
                return Err(invalid(format!(
                    "[table] columns: the column {:?} appears twice",
                    c.field.name()
                )));
            }
        }
        let sum: f32 = cols.iter().map(|c| c.width).sum();
        if (sum - 100.0).abs() > 0.5 {
            return Err(invalid(format!(
                "[table] columns: the widths add up to {sum}, expected 100"
            )));
        }
        if self.page.margin_top < self.header.band + 5.0 {
            return Err(TemplateError::Invalid {
                file: file.to_string(),
                line: line_of_key(text, "page", "margin_top"),
                message: format!(
                    "[page] margin_top: {} mm leaves no room below the {} mm header band (need at least {} mm)",
                    self.page.margin_top,
                    self.header.band,
                    self.header.band + 5.0
                ),
            });
        }
        Ok(())
    }
}

/// Parses TOML into `T`, turning the parser's error into one line that names
/// the file, the line, the table and key, and what is wrong.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, TemplateError> {
    toml::from_str(text).map_err(|e| {
        let start = e.span().map(|s| s.start.min(text.len()));
        let line = start.map(|s| text[..s].matches('\n').count() + 1);
        let message = e.message().trim().replace('\n', " ");
        let field = start.and_then(|s| field_at(text, s));
        let message = match field {
            // "unknown field `colum`" names the field already.
            Some((_, key)) if message.contains(&format!("`{key}`")) => message,
            Some((f, _)) => format!("{f}: {message}"),
            _ => message,
        };
        TemplateError::Invalid {
            file: file.to_string(),
            line,
            message,
        }
    })
}

/// `[table] zebra`: the table header and key of the line holding byte `at`.
fn field_at(text: &str, at: usize) -> Option<(String, String)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| {
            !k.is_empty() && !k.starts_with('[') && !k.starts_with('#') && !k.contains('{')
        });
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_string());
    match (table, key) {
        (Some(t), Some(k)) => Some((format!("{t} {k}"), k)),
        (None, Some(k)) => Some((k.clone(), k)),
        _ => None,
    }
}

/// The 1-based line of `key` inside `[table]`.
fn line_of_key(text: &str, table: &str, key: &str) -> Option<usize> {
    let header = format!("[{table}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.starts_with('[') {
            inside = l.split('#').next().map(str::trim) == Some(header.as_str());
            continue;
        }
        if inside && l.split_once('=').is_some_and(|(k, _)| k.trim() == key) {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_parse_and_check() {
        for (name, _) in BUILTIN {
            let t = Template::builtin(name).unwrap();
            assert_eq!(t.name, name);
            assert!(t.table.columns.len() >= 5);
        }
        assert_eq!(Template::builtin("compact.toml").unwrap().name, "compact");
    }

    #[test]
    fn unknown_builtin_is_an_error() {
        let e = Template::builtin("fancy").unwrap_err();
        assert!(matches!(e, TemplateError::Unknown { .. }));
        assert!(e.to_string().contains("\"fancy\""));
    }

    fn with(replace: &str, by: &str) -> String {
        assert!(COMPACT.contains(replace), "{replace}");
        COMPACT.replacen(replace, by, 1)
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn unknown_field_names_line_and_field() {
        let text = with("rules = ", "colum = 3\nrules = ");
        let line = line_of(&text, "colum = 3");
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "template compact.toml: line {line}: unknown field `colum`"
            )),
            "{e}"
        );
    }

    #[test]
    fn bad_colour_names_line_and_field() {
        let text = with("zebra = \"none\"", "zebra = \"pink\"");
        let line = line_of(&text, "zebra = \"pink\"");
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "template compact.toml: line {line}: [table] zebra: "
            )),
            "{e}"
        );
        assert!(e.contains("\"pink\" is not a colour"), "{e}");
    }

    #[test]
    fn out_of_range_number_is_rejected() {
        let text = with("barcode_module = 0.33", "barcode_module = 0.2");
        let line = line_of(&text, "barcode_module = 0.2");
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "template compact.toml: line {line}: [payment] barcode_module: "
            )),
            "{e}"
        );
        assert!(e.contains("out of range"), "{e}");
    }

    #[test]
    fn missing_required_column_is_rejected() {
        let t = Template::builtin("compact").unwrap();
        let text: String = COMPACT
            .lines()
            .filter(|l| !l.contains("\"vat_rate\""))
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(text.lines().count(), COMPACT.lines().count());
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("[table] columns: the column \"vat_rate\" is missing"),
            "{e}"
        );
        assert!(
            e.contains(&format!("line {}", line_of(&text, "columns = ["))),
            "{e}"
        );
        drop(t);
    }

    #[test]
    fn widths_must_add_up_to_100() {
        let t = Template::builtin("compact").unwrap();
        let desc = t.table.columns[0].width;
        let text = with(
            &format!("width = {desc}"),
            &format!("width = {}", desc + 5.0),
        );
        let e = Template::parse("compact.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the widths add up to 105, expected 100"), "{e}");
    }

    #[test]
    fn colours_parse() {
        assert_eq!(
            parse_color("#1f4E79"),
            Ok(Color::Rgb(Rgb(0x1F, 0x4E, 0x79)))
        );
        assert_eq!(parse_color("accent"), Ok(Color::Accent));
        assert_eq!(parse_color("accent 12%"), Ok(Color::Tint(12)));
        assert_eq!(parse_color("auto"), Ok(Color::Auto));
        assert!(parse_color("accent 0%").is_err());
        assert!(parse_color("#12345").is_err());
        assert_eq!(Rgb(0, 0, 0).tint(10), Rgb(230, 230, 230));
        assert_eq!(Rgb(0x1F, 0x4E, 0x79).contrasting_text(), Rgb::WHITE);
        assert_ne!(Rgb(0xFF, 0xE0, 0x60).contrasting_text(), Rgb::WHITE);
    }

    #[test]
    fn template_source_from_arg() {
        assert_eq!(
            TemplateSource::from_arg("classic.toml"),
            TemplateSource::Builtin("classic".into())
        );
        assert_eq!(
            TemplateSource::from_arg("/no/such/dir/x.toml"),
            TemplateSource::File(PathBuf::from("/no/such/dir/x.toml"))
        );
        let e = TemplateSource::from_arg("/no/such/dir/x.toml")
            .load()
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("reading template /no/such/dir/x.toml: "),
            "{e}"
        );
    }
}
