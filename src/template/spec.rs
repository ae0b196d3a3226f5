//! The template's sections as parsed: page, text, colours, header, table,
//! summary, payment and footer.

use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::{Color, Fill};

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
