//! The label texts of the four invoice languages, from `templates/labels/*.toml`.
//!
//! The files are embedded in the binary and parsed once per process. Every key
//! is required in every language, so a label cannot go missing in one of them
//! (the unit tests parse all four).

use std::sync::OnceLock;

use serde::Deserialize;

use super::TemplateError;
use crate::locale::Locale;

/// Every label an invoice prints, in one language.
///
/// The keys and their meaning are documented in `templates/README.md`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // one field per key of templates/labels/*.toml, documented there
pub struct Labels {
    pub invoice: String,
    pub invoice_number: String,
    pub invoice_date: String,
    pub due_date: String,
    pub customer_reference: String,
    pub order_reference: String,
    pub case_number: String,
    pub seller_heading: String,
    pub buyer_heading: String,
    pub attention: String,
    pub email: String,
    pub phone: String,
    pub org_number: String,
    pub business_id_fi: String,
    pub vat_number: String,
    pub f_skatt: String,

    pub col_description: String,
    pub col_item_id: String,
    pub col_quantity: String,
    pub col_unit_price_excl: String,
    pub col_unit_price_incl: String,
    pub col_vat_rate: String,
    pub col_vat_amount: String,
    pub col_net: String,
    pub col_amount: String,
    pub shipping: String,
    pub discount: String,
    pub discount_included: String,
    pub order_discounts: String,
    pub continued: String,
    pub continued_next: String,

    pub vat_summary: String,
    pub vat_rate: String,
    pub vat_basis: String,
    pub vat_amount: String,
    pub total_net: String,
    pub total_vat: String,
    pub total_gross: String,
    pub paid: String,
    pub to_pay: String,
    pub paid_in_full: String,
    pub paid_in_full_note: String,

    pub payment_heading: String,
    pub kid: String,
    pub ocr: String,
    pub reference: String,
    pub account_number: String,
    pub iban: String,
    pub bic: String,
    pub payee: String,
    pub payee_note: String,
    pub scan_to_pay: String,
    pub virtual_barcode: String,
    pub page: String,
}

const NB: &str = include_str!("../../templates/labels/nb.toml");
const SV: &str = include_str!("../../templates/labels/sv.toml");
const FI: &str = include_str!("../../templates/labels/fi.toml");
const EN: &str = include_str!("../../templates/labels/en.toml");

impl Labels {
    /// The embedded labels of `locale`, parsed once.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Invalid`] if an embedded label file is malformed (a
    /// build defect that the unit tests catch).
    ///
    /// ```
    /// use kravia_invoice::{locale::Locale, template::Labels};
    /// assert_eq!(Labels::get(Locale::Nb).unwrap().to_pay, "Å betale");
    /// assert_eq!(Labels::get(Locale::Fi).unwrap().due_date, "Eräpäivä");
    /// ```
    pub fn get(locale: Locale) -> Result<&'static Labels, TemplateError> {
        static CELLS: [OnceLock<Result<Labels, TemplateError>>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        let (index, file, text) = match locale {
            Locale::Nb => (0, "labels/nb.toml", NB),
            Locale::Sv => (1, "labels/sv.toml", SV),
            Locale::Fi => (2, "labels/fi.toml", FI),
            Locale::En => (3, "labels/en.toml", EN),
        };
        match CELLS[index].get_or_init(|| super::error::parse_toml(file, text)) {
            Ok(labels) => Ok(labels),
            Err(e) => Err(e.clone()),
        }
    }

    /// "Page N of M" in this language.
    pub fn page_of(&self, n: usize, m: usize) -> String {
        self.page
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_four_label_files_parse() {
        for l in Locale::ALL {
            let labels = Labels::get(l).unwrap();
            assert!(!labels.invoice.is_empty());
            assert!(labels.page.contains("{n}") && labels.page.contains("{m}"));
            assert!(labels.payee_note.contains("{seller}"), "{l}");
        }
    }

    #[test]
    fn domain_wording_per_language() {
        let nb = Labels::get(Locale::Nb).unwrap();
        assert_eq!(
            [
                &nb.invoice,
                &nb.invoice_number,
                &nb.invoice_date,
                &nb.due_date
            ],
            ["Faktura", "Fakturanummer", "Fakturadato", "Forfallsdato"]
        );
        assert_eq!(
            [&nb.kid, &nb.account_number, &nb.to_pay],
            ["KID", "Kontonummer", "Å betale"]
        );
        assert_eq!(
            [&nb.total_net, &nb.customer_reference],
            ["Sum eks. MVA", "Deres ref."]
        );
        let sv = Labels::get(Locale::Sv).unwrap();
        assert_eq!(
            [
                &sv.invoice_date,
                &sv.due_date,
                &sv.ocr,
                &sv.to_pay,
                &sv.vat_amount,
                &sv.vat_number
            ],
            [
                "Fakturadatum",
                "Förfallodatum",
                "OCR-nummer",
                "Att betala",
                "Moms",
                "Momsreg.nr"
            ]
        );
        assert_eq!(sv.f_skatt, "Godkänd för F-skatt");
        let fi = Labels::get(Locale::Fi).unwrap();
        assert_eq!(
            [
                &fi.invoice,
                &fi.invoice_number,
                &fi.invoice_date,
                &fi.due_date,
                &fi.reference
            ],
            [
                "Lasku",
                "Laskun numero",
                "Laskun päivämäärä",
                "Eräpäivä",
                "Viitenumero"
            ]
        );
        assert_eq!(
            [&fi.to_pay, &fi.vat_amount, &fi.business_id_fi],
            ["Maksettava", "ALV", "Y-tunnus"]
        );
        assert_eq!(fi.iban, "Saajan tilinumero (IBAN)");
        assert_eq!(Labels::get(Locale::En).unwrap().invoice, "Invoice");
    }

    #[test]
    fn page_n_of_m_per_language() {
        let page = |l| Labels::get(l).unwrap().page_of(1, 2);
        assert_eq!(page(Locale::Nb), "Side 1 av 2");
        assert_eq!(page(Locale::Sv), "Sida 1 av 2");
        assert_eq!(page(Locale::Fi), "Sivu 1/2");
        assert_eq!(page(Locale::En), "Page 1 of 2");
    }
}
