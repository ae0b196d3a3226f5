//! The label texts of credit notes in the four languages, from
//! `templates/labels/credit/*.toml`: embedded, parsed once per process, every
//! key required in every language.

use std::sync::OnceLock;

use serde::Deserialize;

use super::TemplateError;
use super::error::parse_toml;
use crate::locale::Locale;

/// Every label a credit note prints beyond the invoice's [`Labels`](super::Labels),
/// in one language.
///
/// The keys and their meaning are documented in `templates/README.md`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // one field per key of templates/labels/credit/*.toml, documented there
pub struct CreditLabels {
    pub title: String,
    pub credit_number: String,
    pub credit_date: String,
    pub credited_invoice: String,
    pub credited_invoice_date: String,
    pub credits_invoice: String,
    pub line_description: String,
    pub total_credited: String,
    pub amount_credited: String,
    pub nothing_to_pay_heading: String,
    pub nothing_to_pay: String,
    pub payment_returned: String,
}

const NB: &str = include_str!("../../templates/labels/credit/nb.toml");
const SV: &str = include_str!("../../templates/labels/credit/sv.toml");
const FI: &str = include_str!("../../templates/labels/credit/fi.toml");
const EN: &str = include_str!("../../templates/labels/credit/en.toml");

impl CreditLabels {
    /// The embedded credit-note labels of `locale`, parsed once.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Invalid`] if an embedded label file is malformed (a
    /// build defect that the unit tests catch).
    ///
    /// ```
    /// use kravia_invoice::{locale::Locale, template::CreditLabels};
    /// assert_eq!(CreditLabels::get(Locale::Nb).unwrap().title, "Kreditnota");
    /// assert_eq!(CreditLabels::get(Locale::Fi).unwrap().title, "Hyvityslasku");
    /// ```
    pub fn get(locale: Locale) -> Result<&'static CreditLabels, TemplateError> {
        static CELLS: [OnceLock<Result<CreditLabels, TemplateError>>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        let (index, file, text) = match locale {
            Locale::Nb => (0, "labels/credit/nb.toml", NB),
            Locale::Sv => (1, "labels/credit/sv.toml", SV),
            Locale::Fi => (2, "labels/credit/fi.toml", FI),
            Locale::En => (3, "labels/credit/en.toml", EN),
        };
        match CELLS[index].get_or_init(|| parse_toml(file, text)) {
            Ok(labels) => Ok(labels),
            Err(e) => Err(e.clone()),
        }
    }

    /// "Krediterer faktura {number} av {date}", filled in.
    pub fn credits_invoice(&self, number: &str, date: &str) -> String {
        self.credits_invoice
            .replace("{number}", number)
            .replace("{date}", date)
    }

    /// "Kreditering av faktura {number}", filled in.
    pub fn line_description(&self, number: &str) -> String {
        self.line_description.replace("{number}", number)
    }

    /// "… is returned by {payee}", filled in.
    pub fn payment_returned(&self, number: &str, payee: &str) -> String {
        self.payment_returned
            .replace("{number}", number)
            .replace("{payee}", payee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_four_files_parse_with_their_placeholders() {
        for l in Locale::ALL {
            let c = CreditLabels::get(l).unwrap();
            assert!(
                c.credits_invoice.contains("{number}") && c.credits_invoice.contains("{date}"),
                "{l}"
            );
            assert!(c.line_description.contains("{number}"), "{l}");
            assert!(
                c.payment_returned.contains("{number}") && c.payment_returned.contains("{payee}"),
                "{l}"
            );
        }
    }

    #[test]
    fn titles_and_references_per_language() {
        let titles: Vec<&str> = Locale::ALL
            .iter()
            .map(|l| CreditLabels::get(*l).unwrap().title.as_str())
            .collect();
        assert_eq!(
            titles,
            ["Kreditnota", "Kreditfaktura", "Hyvityslasku", "Credit note"]
        );
        let nb = CreditLabels::get(Locale::Nb).unwrap();
        assert_eq!(
            nb.credits_invoice("KJ65C-190025", "31.05.2026"),
            "Krediterer faktura KJ65C-190025 av 31.05.2026"
        );
        assert_eq!(nb.line_description("A-1"), "Kreditering av faktura A-1");
    }
}
