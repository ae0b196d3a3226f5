//! [`Ctx`]: what every block builder shares — the invoice, the template's
//! values resolved to points and colours, the labels of the locale — and the
//! text-drawing helpers that check every glyph.

use super::TextRole;
use super::document::{Item, Pt, TextRun};
use super::text::{self, Font};
use super::{A4_HEIGHT, A4_WIDTH, LayoutError};
use crate::brand::Brand;
use crate::color::Rgb;
use crate::font::{FontFace, fonts};
use crate::locale::Locale;
use crate::template::{Labels, PriceMode, Template};
use crate::verify::invoice::{Seller, VerifiedInvoice};

/// Everything the block builders share: the invoice, the resolved template
/// values in points and colours, and the labels.
pub(crate) struct Ctx<'a> {
    /// The invoice being laid out.
    pub invoice: &'a VerifiedInvoice,
    /// Its seller.
    pub seller: &'a Seller,
    /// The brand (logo, footer text).
    pub brand: &'a Brand,
    /// The template.
    pub template: &'a Template,
    /// The labels in the invoice's language.
    pub labels: &'static Labels,
    /// The language and number format.
    pub locale: Locale,
    /// The accent colour (the brand's, else the template's default).
    pub accent: Rgb,
    /// Body text colour.
    pub text: Rgb,
    /// Secondary text colour.
    pub muted: Rgb,
    /// Rule colour.
    pub rule: Rgb,
    /// Page width.
    pub page_w: f32,
    /// Page height.
    pub page_h: f32,
    /// Left edge of the text area.
    pub left: f32,
    /// Right edge of the text area.
    pub right: f32,
    /// Width of the text area.
    pub width: f32,
    /// Top of the content (below the band).
    pub top: f32,
    /// Whether unit prices include VAT.
    pub prices_incl: bool,
    /// Cap height of the regular face, em.
    pub cap: f32,
    /// The credit note drawn, when this is one (`invoice` is then its view
    /// with the credited amounts negated; see `credit.rs`).
    pub credit: Option<super::credit::Credit<'a>>,
}

/// Millimetres to points.
pub(crate) fn mm(v: f32) -> f32 {
    Pt::from_mm(v).0
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        inv: &'a VerifiedInvoice,
        brand: &'a Brand,
        t: &'a Template,
        loc: Locale,
        credit: Option<super::credit::Credit<'a>>,
    ) -> Result<Ctx<'a>, LayoutError> {
        let seller = &inv.seller;
        let fallback = Rgb(0x1F, 0x4E, 0x79);
        let default_accent = t.colors.accent_default.resolve(fallback, Rgb::WHITE);
        let accent = brand.style.accent.unwrap_or(default_accent);
        let l = Labels::get(loc)?;
        let c = |c: crate::template::Color| c.resolve(accent, Rgb::WHITE);
        let left = mm(t.page.margin_left);
        let right = A4_WIDTH - mm(t.page.margin_right);
        Ok(Ctx {
            invoice: inv,
            seller,
            brand,
            template: t,
            labels: l,
            locale: loc,
            accent,
            text: c(t.colors.text),
            muted: c(t.colors.muted),
            rule: c(t.colors.rule),
            page_w: A4_WIDTH,
            page_h: A4_HEIGHT,
            left,
            right,
            width: right - left,
            top: mm(t.page.margin_top),
            prices_incl: match t.table.prices {
                PriceMode::Auto => inv.prices_incl_vat,
                PriceMode::InclVat => true,
                PriceMode::ExclVat => false,
            },
            cap: fonts().face(FontFace::Regular).cap_height(),
            credit,
        })
    }

    /// Line height for a font size.
    pub fn lh(&self, size: f32) -> f32 {
        size * self.template.text.line_spacing
    }

    /// The baseline of a line whose box starts at `top`: capitals centred in
    /// the line box.
    pub fn baseline(&self, top: f32, size: f32) -> f32 {
        top + self.lh(size) / 2.0 + self.cap * size / 2.0
    }

    /// Body text.
    pub fn body(&self) -> Font {
        Font {
            face: FontFace::Regular,
            size: self.template.text.body,
            color: self.text,
        }
    }

    /// Small print.
    pub fn small(&self) -> Font {
        Font {
            face: FontFace::Regular,
            size: self.template.text.small,
            color: self.muted,
        }
    }

    /// Block headings.
    pub fn heading(&self) -> Font {
        Font {
            face: FontFace::Bold,
            size: self.template.text.heading,
            color: self.muted,
        }
    }

    /// A fill colour from the template, if any.
    pub fn fill(&self, f: crate::template::Fill) -> Option<Rgb> {
        f.0.map(|c| c.resolve(self.accent, Rgb::WHITE))
    }

    /// Draws `text` in one run with its line box's top at `top`; returns its width.
    #[allow(clippy::too_many_arguments)]
    pub fn run(
        &self,
        items: &mut Vec<Item>,
        x: f32,
        top: f32,
        font: Font,
        text: &str,
        role: TextRole,
        field: &str,
    ) -> Result<f32, LayoutError> {
        self.run_at(
            items,
            x,
            self.baseline(top, font.size),
            font,
            text,
            role,
            field,
        )
    }

    /// Draws `text` in one run on the baseline `baseline`; returns its width.
    #[allow(clippy::too_many_arguments)]
    pub fn run_at(
        &self,
        items: &mut Vec<Item>,
        x: f32,
        baseline: f32,
        font: Font,
        text: &str,
        role: TextRole,
        field: &str,
    ) -> Result<f32, LayoutError> {
        if text.is_empty() {
            return Ok(0.0);
        }
        let face = text::face_for(font.face, text, field)?;
        items.push(Item::Text(TextRun {
            x: Pt(x),
            y: Pt(baseline),
            face,
            size: Pt(font.size),
            color: font.color,
            text: text.to_string(),
            role,
        }));
        Ok(text::width(face, font.size, text))
    }

    /// Draws `text` in one run ending at `right`.
    #[allow(clippy::too_many_arguments)]
    pub fn run_right(
        &self,
        items: &mut Vec<Item>,
        right: f32,
        top: f32,
        font: Font,
        text: &str,
        role: TextRole,
        field: &str,
    ) -> Result<f32, LayoutError> {
        let face = text::face_for(font.face, text, field)?;
        let w = text::width(face, font.size, text);
        self.run(
            items,
            right - w,
            top,
            font.with_face(face),
            text,
            role,
            field,
        )
    }

    /// Draws `text` wrapped to `w`; returns the height used.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &self,
        items: &mut Vec<Item>,
        x: f32,
        top: f32,
        w: f32,
        font: Font,
        text: &str,
        field: &str,
    ) -> Result<f32, LayoutError> {
        let face = text::face_for(font.face, text, field)?;
        let lines = text::wrap(face, font.size, text, w);
        let lh = self.lh(font.size);
        for (i, line) in lines.iter().enumerate() {
            self.run(
                items,
                x,
                top + lh * i as f32,
                font.with_face(face),
                line,
                TextRole::Plain,
                field,
            )?;
        }
        Ok(lh * lines.len() as f32)
    }
}
