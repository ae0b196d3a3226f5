//! Rendering: a verified invoice → layout → read-back check → PDF bytes.
//!
//! [`render`] resolves the template (option, else the brand's `[invoice]
//! template`, else `classic`) and the locale (option, else the brand's
//! `[invoice] locale`, else the invoice's default), lays the invoice out, and
//! before a byte is written reads the drawn text back: the runs that carry a
//! payment-critical [`TextRole`] must say exactly what the verified invoice
//! says, formatted for the locale. A mismatch is a bug in the layout and stops
//! the render with [`RenderError::ReadBack`].
//!
//! [`Renderer::layout`] stops after the layout and returns the [`Document`], for
//! the text dump (`--dump-layout`) and the snapshot tests.

use crate::brand::Brand;
use crate::dintero::Envelope;
use crate::einvoice::EinvoiceError;
use crate::layout::{self, Document, LayoutError};
use crate::locale::Locale;
use crate::pdf::{Attachment, PdfError, PdfOptions};
use crate::template::{Template, TemplateError, TemplateSource};
use crate::verify::invoice::CustomerKind;
use crate::verify::invoice::VerifiedInvoice;
use crate::verify::{Code, Finding, VerifyOptions};

mod credit;
mod lost;
mod read_back;

pub use credit::read_back_credit;
pub use read_back::read_back;

/// What to render with; everything unset falls back to the brand, then to the
/// defaults.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// The template (`--template`); else the brand's, else `classic`.
    pub template: Option<TemplateSource>,
    /// The locale (`--locale`); else the brand's, else the invoice's default.
    pub locale: Option<Locale>,
    /// PDF output switches.
    pub pdf: PdfOptions,
    /// What [`Renderer::verify`] is told (the delivery date, `--delivery-date`).
    pub verify: VerifyOptions,
    /// Refuse an invoice in which a character had to be replaced because no
    /// font can draw it (`--strict-glyphs`): [`RenderError::GlyphReplaced`]
    /// instead of a PDF with the visible mark.
    pub strict_glyphs: bool,
}

/// Why an invoice could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The template could not be found, read or parsed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The layout failed (a character without a glyph, an unusable logo, …).
    #[error("layout: {0}")]
    Layout(#[from] LayoutError),
    /// The drawn text does not say what the verified invoice says: a bug in the
    /// layout. Nothing was written.
    #[error(
        "read-back check: the drawn {field} is {found:?}, expected {expected:?} (a layout bug; nothing was written)"
    )]
    ReadBack {
        /// Which value: `invoice number`, `reference`, `account`, `IBAN`,
        /// `due date`, `VAT per rate`, `total`, `amount to pay`, `virtual barcode`.
        field: &'static str,
        /// What the invoice says, formatted for the locale.
        expected: String,
        /// What was drawn (empty when nothing was).
        found: String,
    },
    /// Strict glyphs: the invoice has characters no font can draw (each
    /// `glyph_replaced` finding names the field and the code point). Nothing
    /// was written.
    #[error("strict glyphs: {}", glyph_list(.0))]
    GlyphReplaced(Vec<Finding>),
    /// Text the invoice says is lost on the page: a run off the page, two
    /// runs drawn over each other, or a field not drawn whole (a layout bug or
    /// a text longer than its place; nothing was written).
    #[error("read-back check{}: {what} (nothing was written)", on_page(*page))]
    Lost {
        /// The 1-based page, or 0 when not one page.
        page: usize,
        /// What is lost, and where.
        what: String,
    },
    /// The PDF backend failed.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// A PDF/A hybrid invoice: the UBL e-invoice to attach could not be
    /// made (e.g. a rule it would break). Nothing was written.
    #[error("PDF/A: the attached e-invoice: {0}")]
    Einvoice(#[from] EinvoiceError),
}

fn on_page(page: usize) -> String {
    if page == 0 {
        String::new()
    } else {
        format!(" on page {page}")
    }
}

fn glyph_list(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{} ({})", f.message, f.path))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The template to use: `options`, else the brand's `[invoice] template`, else `classic`.
///
/// # Errors
///
/// An unknown built-in name, an unreadable file or an invalid template.
pub fn resolve_template(brand: &Brand, options: &RenderOptions) -> Result<Template, TemplateError> {
    match (&options.template, &brand.invoice.template) {
        (Some(source), _) | (None, Some(source)) => source.load(),
        (None, None) => Template::builtin("classic"),
    }
}

/// The locale to use: `options`, else the brand's `[invoice] locale`, else the
/// invoice's default.
///
pub fn resolve_locale(invoice: &VerifiedInvoice, brand: &Brand, options: &RenderOptions) -> Locale {
    options
        .locale
        .or(brand.invoice.locale)
        .unwrap_or(invoice.locale)
}

/// A prepared renderer: the brand (with its decoded logo), the template and
/// the output options resolved once, then used for any number of invoices,
/// from any number of threads (`Renderer` is `Send + Sync`).
///
/// Every way of producing an invoice PDF (`render`, `batch`, `fetch`, the
/// HTTP service) goes through [`Renderer::render`]: layout, read-back check,
/// PDF bytes.
///
/// ```
/// use kravia_invoice::dintero::Envelope;
/// use kravia_invoice::render::{Renderer, RenderOptions};
/// use kravia_invoice::{Brand, verify};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
/// let brand = Brand::load(format!("{dir}brand.toml").as_ref())?;
/// let renderer = Renderer::new(brand, RenderOptions::default())?;
/// let tx = std::fs::read_to_string(format!("{dir}transaction.json"))?;
/// let session = std::fs::read_to_string(format!("{dir}session.json"))?;
/// let doc = Envelope::from_json(&format!(r#"{{"transaction": {tx}, "session": {session}}}"#))?;
/// let invoice = renderer.verify(&doc)?;
/// let pdf = renderer.render(&invoice)?;
/// assert!(pdf.starts_with(b"%PDF-"));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Renderer {
    brand: Brand,
    template: Template,
    /// `--locale`, else the brand's; `None`: the invoice's own default.
    locale: Option<Locale>,
    pdf: PdfOptions,
    verify: VerifyOptions,
    strict_glyphs: bool,
}

impl Renderer {
    /// Resolves the template (option, else the brand's, else `classic`) and
    /// the locale (option, else the brand's, else each invoice's default).
    ///
    /// # Errors
    ///
    /// [`RenderError::Template`] for an unknown, unreadable or invalid template.
    pub fn new(brand: Brand, options: RenderOptions) -> Result<Renderer, RenderError> {
        let template = resolve_template(&brand, &options)?;
        Ok(Renderer {
            locale: options.locale.or(brand.invoice.locale),
            brand,
            template,
            pdf: options.pdf,
            verify: options.verify,
            strict_glyphs: options.strict_glyphs,
        })
    }

    /// The brand.
    pub fn brand(&self) -> &Brand {
        &self.brand
    }

    /// The template.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The locale an invoice is rendered in.
    pub fn locale_for(&self, invoice: &VerifiedInvoice) -> Locale {
        self.locale.unwrap_or(invoice.locale)
    }

    /// Verifies one invoice's documents against this renderer's brand.
    ///
    /// # Errors
    ///
    /// The [`Report`](crate::Report) of every failed check.
    pub fn verify(&self, documents: &Envelope) -> Result<VerifiedInvoice, crate::Report> {
        crate::verify::verify_with(
            &documents.transaction,
            documents.session.as_ref(),
            &self.brand,
            &self.verify,
        )
    }

    /// Lays the invoice out, without the read-back check or the PDF.
    ///
    /// # Errors
    ///
    /// Layout errors.
    pub fn layout(&self, invoice: &VerifiedInvoice) -> Result<Document, RenderError> {
        let locale = self.locale_for(invoice);
        Ok(layout::layout(
            invoice,
            &self.brand,
            &self.template,
            locale,
        )?)
    }

    /// The layout as the text dump of `--dump-layout` (every page, item and
    /// position).
    ///
    /// # Errors
    ///
    /// Layout errors.
    pub fn dump_layout(&self, invoice: &VerifiedInvoice) -> Result<String, RenderError> {
        Ok(layout::dump::dump(&self.layout(invoice)?))
    }

    /// Renders the invoice as PDF bytes: layout, read-back check, PDF.
    ///
    /// # Errors
    ///
    /// Layout errors; [`RenderError::ReadBack`] when the drawn text disagrees
    /// with the invoice; PDF errors.
    pub fn render(&self, invoice: &VerifiedInvoice) -> Result<Vec<u8>, RenderError> {
        self.render_in(invoice, None)
    }

    /// [`Renderer::render`] in `locale` when given (a per-request choice),
    /// else in the renderer's.
    ///
    /// # Errors
    ///
    /// As [`Renderer::render`].
    pub fn render_in(
        &self,
        invoice: &VerifiedInvoice,
        locale: Option<Locale>,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_attached(invoice, locale, &[])
    }

    /// [`Renderer::render`] with `attachments` embedded as associated files
    /// after those of the options, e.g. the invoice's own UBL e-invoice in a
    /// PDF/A-3 hybrid invoice.
    ///
    /// # Errors
    ///
    /// As [`Renderer::render`]; [`PdfError::Attachment`] for an attachment
    /// that cannot be embedded.
    pub fn render_with_attachments(
        &self,
        invoice: &VerifiedInvoice,
        attachments: &[Attachment],
    ) -> Result<Vec<u8>, RenderError> {
        self.render_attached(invoice, None, attachments)
    }

    /// The invoice PDF as `render`, `batch` and the service write it:
    /// [`Renderer::render`], except that with PDF/A on ([`PdfOptions::pdfa`])
    /// a business invoice becomes a hybrid invoice: its PEPPOL BIS 3 / EHF
    /// UBL ([`einvoice::ubl`](crate::einvoice::ubl), without a PDF inside)
    /// is attached as an associated file ([`hybrid_attachment`]: `/AF`,
    /// `AFRelationship /Alternative`, `text/xml`, `<invoice number>.xml`).
    /// A consumer invoice's PDF/A, and any PDF without PDF/A, has no
    /// attachment beyond the options'.
    ///
    /// ```
    /// use kravia_invoice::dintero::Envelope;
    /// use kravia_invoice::render::{Renderer, RenderOptions};
    /// use kravia_invoice::Brand;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
    /// let mut options = RenderOptions::default();
    /// options.pdf.pdfa = true;
    /// let renderer = Renderer::new(Brand::load(format!("{dir}brand.toml").as_ref())?, options)?;
    /// let tx = std::fs::read_to_string(format!("{dir}transaction.json"))?;
    /// let session = std::fs::read_to_string(format!("{dir}session.json"))?;
    /// let doc = Envelope::from_json(&format!(r#"{{"transaction": {tx}, "session": {session}}}"#))?;
    /// let invoice = renderer.verify(&doc)?;
    /// let pdf = renderer.render_hybrid(&invoice)?;
    /// // The plain PDF/A, without the attached UBL, is smaller.
    /// assert!(pdf.len() > renderer.render(&invoice)?.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Renderer::render`]; [`RenderError::Einvoice`] when the UBL of a
    /// business invoice cannot be made (the rules it would break; `check`
    /// lists them).
    pub fn render_hybrid(&self, invoice: &VerifiedInvoice) -> Result<Vec<u8>, RenderError> {
        match self.hybrid_attachment(invoice)? {
            Some(a) => self.render_attached(invoice, None, std::slice::from_ref(&a)),
            None => self.render(invoice),
        }
    }

    /// The attachment [`Renderer::render_hybrid`] adds: `None` without PDF/A
    /// or for a consumer invoice.
    ///
    /// # Errors
    ///
    /// [`RenderError::Einvoice`] when the UBL cannot be made.
    pub fn hybrid_attachment(
        &self,
        invoice: &VerifiedInvoice,
    ) -> Result<Option<Attachment>, RenderError> {
        if !self.pdf.pdfa || invoice.kind != CustomerKind::Business {
            return Ok(None);
        }
        let xml = crate::einvoice::ubl(invoice, None)?;
        Ok(Some(hybrid_attachment(&invoice.invoice_number, xml)))
    }

    /// Layout, read-back check and PDF, with `attachments` after the options'.
    fn render_attached(
        &self,
        invoice: &VerifiedInvoice,
        locale: Option<Locale>,
        attachments: &[Attachment],
    ) -> Result<Vec<u8>, RenderError> {
        if self.strict_glyphs {
            let replaced: Vec<Finding> = invoice
                .warnings
                .iter()
                .filter(|w| w.code == Code::GlyphReplaced)
                .cloned()
                .collect();
            if !replaced.is_empty() {
                return Err(RenderError::GlyphReplaced(replaced));
            }
        }
        let locale = locale.unwrap_or_else(|| self.locale_for(invoice));
        let doc = layout::layout(invoice, &self.brand, &self.template, locale)?;
        read_back(&doc, invoice, locale)?;
        if attachments.is_empty() {
            return Ok(crate::pdf::write(&doc, &self.pdf)?);
        }
        let mut pdf = self.pdf.clone();
        pdf.attachments.extend_from_slice(attachments);
        Ok(crate::pdf::write(&doc, &pdf)?)
    }
}

/// The UBL e-invoice `xml` of invoice `number` as the associated file of a
/// PDF/A-3 hybrid invoice: `<number>.xml` (characters a file name cannot
/// hold become `_`), `text/xml`, `AFRelationship /Alternative`.
pub fn hybrid_attachment(number: &str, xml: Vec<u8>) -> Attachment {
    let stem: String = number
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let stem = if stem.trim().is_empty() {
        "e-invoice".to_string()
    } else {
        stem
    };
    Attachment::xml(
        format!("{stem}.xml"),
        format!("EN 16931 e-invoice (PEPPOL BIS Billing 3.0 UBL 2.1) of invoice {number}"),
        xml,
    )
}

/// Renders one invoice: [`Renderer::new`] then [`Renderer::render`]. For more
/// than one invoice, prepare a [`Renderer`] once.
///
/// # Errors
///
/// As [`Renderer::new`] and [`Renderer::render`].
pub fn render(
    invoice: &VerifiedInvoice,
    brand: &Brand,
    options: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    Renderer::new(brand.clone(), options.clone())?.render(invoice)
}

/// Renders one credit note: [`Renderer::new`] then
/// [`Renderer::render_credit`]. For more than one, prepare a [`Renderer`] once.
///
/// # Errors
///
/// As [`Renderer::new`] and [`Renderer::render_credit`].
pub fn render_credit(
    note: &crate::verify::VerifiedCreditNote,
    brand: &Brand,
    options: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    Renderer::new(brand.clone(), options.clone())?.render_credit(note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::TextRole;
    use crate::template::BUILTIN;
    use crate::testkit::{FIXTURES, brand, fi_b2c, fixture, no_b2b, no_many_lines, se_b2b};

    fn options(template: &str, locale: Locale) -> RenderOptions {
        RenderOptions {
            template: Some(TemplateSource::Builtin(template.into())),
            locale: Some(locale),
            ..RenderOptions::default()
        }
    }

    /// With `KRAVIA_STORE=1`, keeps the PDF in `target/store/` for viewing.
    fn store(name: &str, bytes: &[u8]) {
        if std::env::var_os("KRAVIA_STORE").is_some() {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/store");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }

    #[test]
    fn every_template_and_locale_renders_the_same_bytes_twice() {
        for (name, _) in BUILTIN {
            for loc in Locale::ALL {
                for (what, inv) in [
                    ("no", no_b2b()),
                    ("fi", fi_b2c()),
                    ("se", se_b2b()),
                    ("long", no_many_lines(140)),
                ] {
                    let a = render(&inv, &brand(), &options(name, loc)).unwrap();
                    assert!(a.starts_with(b"%PDF-"));
                    let b = render(&inv, &brand(), &options(name, loc)).unwrap();
                    assert!(a == b, "{name} {loc} {what}: not deterministic");
                    store(&format!("{what}-{name}-{loc}.pdf"), &a);
                }
            }
        }
    }

    #[test]
    fn every_fixture_renders_with_every_template() {
        for case in FIXTURES {
            let (inv, brand) = fixture(case);
            for (name, _) in BUILTIN {
                let o = RenderOptions {
                    template: Some(TemplateSource::Builtin(name.into())),
                    ..RenderOptions::default()
                };
                let pdf = render(&inv, &brand, &o).unwrap();
                store(&format!("{case}-{name}.pdf"), &pdf);
            }
        }
    }

    #[test]
    fn read_back_detects_a_tampered_run() {
        let inv = no_b2b();
        let doc = Renderer::new(brand(), RenderOptions::default())
            .unwrap()
            .layout(&inv)
            .unwrap();
        read_back(&doc, &inv, Locale::Nb).unwrap();
        let tamper = |role: TextRole, to: &str| {
            let mut d = doc.clone();
            let run = d.pages[0]
                .items
                .iter_mut()
                .find_map(|i| match i {
                    layout::Item::Text(t) if t.role == role => Some(t),
                    _ => None,
                })
                .unwrap();
            run.text = to.into();
            read_back(&d, &inv, Locale::Nb).unwrap_err()
        };
        let e = tamper(TextRole::Reference, "003075434964");
        assert!(
            matches!(&e, RenderError::ReadBack { field: "reference", expected, found }
                if expected == "003075434963" && found == "003075434964"),
            "{e}"
        );
        for (role, field) in [
            (TextRole::InvoiceNumber, "invoice number"),
            (TextRole::Account, "account"),
            (TextRole::Iban, "IBAN"),
            (TextRole::DueDate, "due date"),
            (TextRole::VatAmount, "VAT per rate"),
            (TextRole::Total, "total"),
            (TextRole::AmountToPay, "amount to pay"),
            (TextRole::LineNet, "line amounts excl. VAT"),
        ] {
            match tamper(role, "1") {
                RenderError::ReadBack { field: f, .. } => assert_eq!(f, field),
                other => panic!("{other}"),
            }
        }
        // A value that is not drawn at all is caught too.
        let mut d = doc.clone();
        for p in &mut d.pages {
            p.items
                .retain(|i| !matches!(i, layout::Item::Text(t) if t.role == TextRole::Account));
        }
        let e = read_back(&d, &inv, Locale::Nb).unwrap_err();
        assert!(
            matches!(
                e,
                RenderError::ReadBack {
                    field: "account",
                    ..
                }
            ),
            "{e}"
        );
        // The barcode digits of a Finnish invoice are checked as well.
        let fi = fi_b2c();
        let mut d = Renderer::new(brand(), options("classic", Locale::Fi))
            .unwrap()
            .layout(&fi)
            .unwrap();
        read_back(&d, &fi, Locale::Fi).unwrap();
        for p in &mut d.pages {
            for i in &mut p.items {
                if let layout::Item::Text(t) = i
                    && t.role == TextRole::VirtualBarcode
                {
                    t.text.replace_range(20..21, "9");
                }
            }
        }
        let e = read_back(&d, &fi, Locale::Fi).unwrap_err();
        assert!(
            matches!(
                e,
                RenderError::ReadBack {
                    field: "virtual barcode",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn template_and_locale_resolve_option_then_brand_then_default() {
        let inv = no_b2b();
        let mut b = brand();
        assert_eq!(
            resolve_template(&b, &RenderOptions::default())
                .unwrap()
                .name,
            "classic"
        );
        assert_eq!(
            resolve_locale(&inv, &b, &RenderOptions::default()),
            Locale::Nb
        );
        b.invoice.template = Some(TemplateSource::Builtin("compact".into()));
        b.invoice.locale = Some(Locale::En);
        assert_eq!(
            resolve_template(&b, &RenderOptions::default())
                .unwrap()
                .name,
            "compact"
        );
        assert_eq!(
            resolve_locale(&inv, &b, &RenderOptions::default()),
            Locale::En
        );
        let o = options("classic", Locale::Sv);
        assert_eq!(resolve_template(&b, &o).unwrap().name, "classic");
        assert_eq!(resolve_locale(&inv, &b, &o), Locale::Sv);
        b.invoice.template = Some(TemplateSource::File("/no/such/template.toml".into()));
        let e = render(&inv, &b, &options("nope", Locale::Nb)).unwrap_err();
        assert!(
            matches!(e, RenderError::Template(TemplateError::Unknown { .. })),
            "{e}"
        );
    }
}
