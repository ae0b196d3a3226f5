//! Credit notes through the one pipeline: [`Renderer::render_credit`] lays the
//! credit note out, reads the drawn text back ([`read_back_credit`]) and only
//! then writes the PDF.
//!
//! The e-invoice: the PEPPOL BIS 3 `CreditNote` (UBL type 381, with a
//! `BillingReference` to the credited invoice) is written from the same
//! [`VerifiedCreditNote`] by
//! [`einvoice::credit_note_ubl`](crate::einvoice::credit_note_ubl): its
//! `invoice` is the credited invoice as verified (parties, currency, number
//! and date for the `BillingReference`), `lines`/`vat`/`totals` are what is
//! credited, as positive amounts the way UBL credit notes state them.

use crate::dintero::Envelope;
use crate::layout::{self, Document, TextRole};
use crate::locale::Locale;
use crate::verify::credit::VerifiedCreditNote;

use super::{RenderError, Renderer};

impl Renderer {
    /// The locale a credit note is rendered in.
    pub fn locale_for_credit(&self, note: &VerifiedCreditNote) -> Locale {
        self.locale.unwrap_or(note.locale)
    }

    /// Verifies a voided transaction's documents for a credit note numbered
    /// `credit_number` against this renderer's brand.
    ///
    /// # Errors
    ///
    /// The [`Report`](crate::Report) of every failed check.
    pub fn verify_credit(
        &self,
        documents: &Envelope,
        credit_number: &str,
    ) -> Result<VerifiedCreditNote, crate::Report> {
        crate::verify::verify_credit(
            &documents.transaction,
            documents.session.as_ref(),
            &self.brand,
            credit_number,
        )
    }

    /// Lays the credit note out, without the read-back check or the PDF.
    ///
    /// # Errors
    ///
    /// Layout errors.
    pub fn layout_credit(&self, note: &VerifiedCreditNote) -> Result<Document, RenderError> {
        let locale = self.locale_for_credit(note);
        Ok(layout::layout_credit(
            note,
            &self.brand,
            &self.template,
            locale,
        )?)
    }

    /// Renders the credit note as PDF bytes: layout, read-back check, PDF.
    ///
    /// # Errors
    ///
    /// Layout errors; [`RenderError::ReadBack`] when the drawn text disagrees
    /// with the credit note; PDF errors.
    ///
    /// ```
    /// use kravia_invoice::dintero::Envelope;
    /// use kravia_invoice::render::{Renderer, RenderOptions};
    /// use kravia_invoice::Brand;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/");
    /// let renderer = Renderer::new(Brand::load(format!("{dir}brand.toml").as_ref())?, RenderOptions::default())?;
    /// let tx = std::fs::read_to_string(format!("{dir}transaction.json"))?
    ///     .replace(r#""status": "AUTHORIZED""#, r#""status": "AUTHORIZATION_VOIDED""#);
    /// let session = std::fs::read_to_string(format!("{dir}session.json"))?;
    /// let doc = Envelope::from_json(&format!(r#"{{"transaction": {tx}, "session": {session}}}"#))?;
    /// let note = renderer.verify_credit(&doc, "KN-1001")?;
    /// let pdf = renderer.render_credit(&note)?;
    /// assert!(pdf.starts_with(b"%PDF-"));
    /// # Ok(()) }
    /// ```
    pub fn render_credit(&self, note: &VerifiedCreditNote) -> Result<Vec<u8>, RenderError> {
        let locale = self.locale_for_credit(note);
        let doc = layout::layout_credit(note, &self.brand, &self.template, locale)?;
        read_back_credit(&doc, note, locale)?;
        Ok(crate::pdf::write(&doc, &self.pdf)?)
    }

    /// The credit note's layout as the text dump of `--dump-layout`.
    ///
    /// # Errors
    ///
    /// Layout errors.
    pub fn dump_layout_credit(&self, note: &VerifiedCreditNote) -> Result<String, RenderError> {
        Ok(layout::dump::dump(&self.layout_credit(note)?))
    }
}

/// Compares a credit note's role-tagged runs with the credit note.
///
/// Its own number, the credited invoice's number and the total credited
/// (negative) must each be drawn at least once and every run of that role must
/// read exactly so; the VAT amounts must be exactly the credited VAT per rate,
/// negative; and nothing of a payment may be drawn (no reference, account,
/// IBAN, due date, amount to pay or barcode). Then nothing may be lost, as
/// on an invoice: every run on its page, none drawn over another, the
/// parties, references and credited lines' descriptions drawn whole.
///
/// # Errors
///
/// [`RenderError::ReadBack`] naming the first value that disagrees;
/// [`RenderError::Lost`] naming the first text lost.
pub fn read_back_credit(
    doc: &Document,
    note: &VerifiedCreditNote,
    locale: Locale,
) -> Result<(), RenderError> {
    let drawn: Vec<(TextRole, &str)> = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            layout::Item::Text(t) if t.role != TextRole::Plain => Some((t.role, t.text.as_str())),
            _ => None,
        })
        .collect();
    let runs = |role: TextRole| -> Vec<&str> {
        drawn
            .iter()
            .filter(|(r, _)| *r == role)
            .map(|(_, t)| *t)
            .collect()
    };
    let every = |field: &'static str, role: TextRole, expected: String| {
        let found = runs(role);
        match found.iter().find(|t| **t != expected) {
            Some(bad) => Err(RenderError::ReadBack {
                field,
                expected,
                found: (*bad).to_string(),
            }),
            None if found.is_empty() => Err(RenderError::ReadBack {
                field,
                expected,
                found: String::new(),
            }),
            None => Ok(()),
        }
    };
    let cur = note.invoice.currency;
    every(
        "credit note number",
        TextRole::CreditNumber,
        note.credit_number.clone(),
    )?;
    every(
        "credited invoice number",
        TextRole::InvoiceNumber,
        note.invoice.invoice_number.clone(),
    )?;
    every(
        "total credited",
        TextRole::Total,
        locale.format_money(-note.totals.gross, cur),
    )?;

    let mut expected: Vec<String> = note
        .vat
        .iter()
        .map(|v| locale.format_amount(-v.vat))
        .collect();
    let mut found: Vec<String> = runs(TextRole::VatAmount)
        .into_iter()
        .map(str::to_string)
        .collect();
    expected.sort();
    found.sort();
    if expected != found {
        return Err(RenderError::ReadBack {
            field: "credited VAT per rate",
            expected: expected.join(" | "),
            found: found.join(" | "),
        });
    }

    for (role, field) in [
        (TextRole::Reference, "reference"),
        (TextRole::Account, "account"),
        (TextRole::Iban, "IBAN"),
        (TextRole::DueDate, "due date"),
        (TextRole::AmountToPay, "amount to pay"),
        (TextRole::VirtualBarcode, "virtual barcode"),
    ] {
        if let Some(bad) = runs(role).first() {
            return Err(RenderError::ReadBack {
                field,
                expected: String::new(),
                found: (*bad).to_string(),
            });
        }
    }
    super::lost::check_credit(doc, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Item;
    use crate::render::RenderOptions;
    use crate::template::{BUILTIN, TemplateSource};
    use crate::testkit::{CREDIT_FIXTURES, credit_fixture};

    fn renderer(brand: &crate::brand::Brand, template: &str, locale: Locale) -> Renderer {
        Renderer::new(
            brand.clone(),
            RenderOptions {
                template: Some(TemplateSource::Builtin(template.into())),
                locale: Some(locale),
                ..RenderOptions::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn every_credit_case_template_and_locale_renders_the_same_bytes_twice() {
        for case in CREDIT_FIXTURES {
            let (note, brand) = credit_fixture(case);
            for (name, _) in BUILTIN {
                for loc in Locale::ALL {
                    let r = renderer(&brand, name, loc);
                    let a = r.render_credit(&note).unwrap();
                    assert!(a.starts_with(b"%PDF-"));
                    assert!(a == r.render_credit(&note).unwrap(), "{case} {name} {loc}");
                }
            }
        }
    }

    #[test]
    fn read_back_credit_detects_a_tampered_or_extra_run() {
        let (note, brand) = credit_fixture("credit_ok_full_void_no_b2b");
        let doc = renderer(&brand, "classic", Locale::Nb)
            .layout_credit(&note)
            .unwrap();
        read_back_credit(&doc, &note, Locale::Nb).unwrap();
        let tamper = |role: TextRole, to: &str| {
            let mut d = doc.clone();
            let run = d.pages[0]
                .items
                .iter_mut()
                .find_map(|i| match i {
                    Item::Text(t) if t.role == role => Some(t),
                    _ => None,
                })
                .unwrap();
            run.text = to.into();
            read_back_credit(&d, &note, Locale::Nb).unwrap_err()
        };
        for (role, field) in [
            (TextRole::CreditNumber, "credit note number"),
            (TextRole::InvoiceNumber, "credited invoice number"),
            (TextRole::Total, "total credited"),
            (TextRole::VatAmount, "credited VAT per rate"),
        ] {
            match tamper(role, "1") {
                RenderError::ReadBack { field: f, .. } => assert_eq!(f, field),
                other => panic!("{other}"),
            }
        }
        // a positive total (the amount not negated) is caught
        let e = tamper(TextRole::Total, "7\u{202F}824,00\u{A0}NOK");
        assert!(
            matches!(&e, RenderError::ReadBack { expected, .. } if expected.starts_with('-')),
            "{e}"
        );
        // a payment detail must not be drawn at all
        for role in [TextRole::Reference, TextRole::AmountToPay, TextRole::Iban] {
            let mut d = doc.clone();
            for i in &mut d.pages[0].items {
                if let Item::Text(t) = i
                    && t.text == "Denne kreditnotaen skal ikke betales."
                {
                    t.role = role;
                }
            }
            assert!(
                matches!(
                    read_back_credit(&d, &note, Locale::Nb),
                    Err(RenderError::ReadBack { .. })
                ),
                "{role:?}"
            );
        }
        // nothing named: the credit number removed everywhere
        let mut d = doc.clone();
        for p in &mut d.pages {
            p.items
                .retain(|i| !matches!(i, Item::Text(t) if t.role == TextRole::CreditNumber));
        }
        assert!(matches!(
            read_back_credit(&d, &note, Locale::Nb),
            Err(RenderError::ReadBack {
                field: "credit note number",
                ..
            })
        ));
    }
}
