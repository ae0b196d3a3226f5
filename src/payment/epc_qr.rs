//! The EPC QR code ("GiroCode", EPC069-12): a SEPA credit transfer in a QR
//! code, for EUR invoices.
//!
//! The payload is up to 12 lines joined by `\n`, trailing empty lines left
//! out:
//!
//! | # | element | here |
//! |---|---|---|
//! | 1 | service tag | `BCD` |
//! | 2 | version | `001` with a BIC, `002` without |
//! | 3 | character set | `1` (UTF-8) |
//! | 4 | identification | `SCT` |
//! | 5 | BIC | the BIC, or empty |
//! | 6 | beneficiary name | 1–70 characters (longer names are cut) |
//! | 7 | IBAN | electronic form |
//! | 8 | amount | `EUR131.49`, 0.01–999 999 999.99; empty when zero |
//! | 9 | purpose | empty |
//! | 10 | structured remittance | the RF reference (a Finnish reference is converted) |
//! | 11 | unstructured remittance | the text, only when there is no reference; ≤ 140 characters |
//! | 12 | beneficiary-to-originator info | `ReqdExctnDt/YYYY-MM-DD` when a due date is given (Finnish practice) |
//!
//! The whole payload must fit 331 bytes (QR version 13 at level M, which
//! EPC069-12 requires: encode it with [`Ec::M`](super::qr::Ec::M)).

use chrono::NaiveDate;

use super::IdError;
use super::bic::Bic;
use super::iban::Iban;
use super::reference::Reference;
use crate::money::Money;

const PAYLOAD: &str = "EPC QR";
const MAX_BYTES: usize = 331;
const MAX_NAME: usize = 70;
const MAX_TEXT: usize = 140;
/// 999 999 999.99 in cents.
const MAX_CENTS: i64 = 99_999_999_999;

/// A SEPA credit transfer to encode as an EPC QR code.
///
/// ```
/// use kravia_invoice::{Currency, Money};
/// use kravia_invoice::payment::{Bic, EpcTransfer, Iban, Reference};
/// let iban = Iban::parse("FI2112345600000785").unwrap();
/// let bic = Bic::parse("NDEAFIHH").unwrap();
/// let reference = Reference::parse(Currency::Eur, "20260040").unwrap();
/// let t = EpcTransfer {
///     bic: Some(&bic),
///     name: "Kravia Oy",
///     iban: &iban,
///     amount: Money::from_minor(123_456),
///     reference: Some(&reference),
///     text: None,
///     due: chrono::NaiveDate::from_ymd_opt(2026, 3, 15),
/// };
/// assert_eq!(
///     t.payload().unwrap(),
///     "BCD\n001\n1\nSCT\nNDEAFIHH\nKravia Oy\nFI2112345600000785\nEUR1234.56\n\nRF4520260040\n\nReqdExctnDt/2026-03-15"
/// );
/// let nameless = EpcTransfer { name: " ", ..t };
/// assert!(nameless.payload().is_err());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct EpcTransfer<'a> {
    /// The beneficiary's bank; with it the payload is version 001, without it
    /// 002.
    pub bic: Option<&'a Bic>,
    /// The beneficiary's name (1–70 characters; longer names are cut).
    pub name: &'a str,
    /// The beneficiary's account.
    pub iban: &'a Iban,
    /// The amount in euro cents; zero leaves the amount open.
    pub amount: Money,
    /// The structured reference: an RF reference, or a Finnish reference
    /// (converted to RF). A KID or an OCR number is refused: pass it in `text`.
    pub reference: Option<&'a Reference>,
    /// Unstructured remittance text, used only when there is no `reference`.
    pub text: Option<&'a str>,
    /// The due date, written as `ReqdExctnDt/YYYY-MM-DD` in element 12.
    pub due: Option<NaiveDate>,
}

impl EpcTransfer<'_> {
    /// The EPC QR payload (see the module docs for the lines).
    ///
    /// Fails when the name is empty, the amount is negative or above
    /// 999 999 999.99, the reference is a KID or an OCR number, or the payload
    /// exceeds 331 bytes. Control characters in the name and text become
    /// spaces; a name over 70 and a text over 140 characters are cut at a
    /// character boundary.
    pub fn payload(&self) -> Result<String, IdError> {
        let name = clean(self.name, MAX_NAME);
        if name.is_empty() {
            return Err(error("beneficiary name is empty".to_string()));
        }
        let cents = self.amount.minor();
        if cents < 0 {
            return Err(error(format!(
                "amount {} is negative",
                self.amount.to_plain_string()
            )));
        }
        if cents > MAX_CENTS {
            return Err(error(format!(
                "amount {} is above 999999999.99",
                self.amount.to_plain_string()
            )));
        }
        let amount = if cents == 0 {
            String::new()
        } else {
            format!("EUR{}", self.amount.to_plain_string())
        };
        let structured = match self.reference {
            None => String::new(),
            Some(Reference::Rf(r)) => r.as_str().to_string(),
            Some(Reference::Fi(r)) => r.to_rf().as_str().to_string(),
            Some(r @ (Reference::Kid(_) | Reference::Ocr(_))) => {
                return Err(error(format!(
                    "reference {} is not an RF or Finnish reference; pass it as text",
                    r.as_str()
                )));
            }
        };
        let text = match (self.reference, self.text) {
            (None, Some(t)) => clean(t, MAX_TEXT),
            _ => String::new(),
        };
        let info = self
            .due
            .map(|d| format!("ReqdExctnDt/{}", d.format("%Y-%m-%d")))
            .unwrap_or_default();
        let (version, bic) = match self.bic {
            Some(b) => ("001", b.as_str()),
            None => ("002", ""),
        };
        let mut lines = vec![
            "BCD",
            version,
            "1",
            "SCT",
            bic,
            &name,
            self.iban.electronic(),
            &amount,
            "",
            &structured,
            &text,
            &info,
        ];
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let payload = lines.join("\n");
        if payload.len() > MAX_BYTES {
            return Err(error(format!(
                "payload is {} bytes, more than {MAX_BYTES}",
                payload.len()
            )));
        }
        Ok(payload)
    }
}

/// `s` trimmed, control characters (line breaks) turned into spaces, cut to
/// `max` characters.
fn clean(s: &str, max: usize) -> String {
    s.trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_string()
}

fn error(reason: String) -> IdError {
    IdError::Payload {
        payload: PAYLOAD,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::payment::qr::{Ec, encode};
    use crate::payment::{Kid, RfReference};

    fn fi_iban() -> Iban {
        Iban::parse("FI2112345600000785").unwrap()
    }

    #[test]
    fn notes_example_1_finnish_style_with_bic_rf_and_due_date() {
        let iban = fi_iban();
        let bic = Bic::parse("NDEAFIHH").unwrap();
        let r = Reference::parse(Currency::Eur, "RF4520260040").unwrap();
        let t = EpcTransfer {
            bic: Some(&bic),
            name: "Kravia Oy",
            iban: &iban,
            amount: Money::from_minor(123_456),
            reference: Some(&r),
            text: None,
            due: NaiveDate::from_ymd_opt(2026, 3, 15),
        };
        let p = t.payload().unwrap();
        assert_eq!(
            p,
            "BCD\n001\n1\nSCT\nNDEAFIHH\nKravia Oy\nFI2112345600000785\nEUR1234.56\n\nRF4520260040\n\nReqdExctnDt/2026-03-15"
        );
        assert_eq!(p.len(), 100);
        assert_eq!(encode(&p, Ec::M).unwrap().version(), 6);
        // The same with the Finnish reference converted.
        let fi = Reference::parse(Currency::Eur, "20260040").unwrap();
        let t2 = EpcTransfer {
            reference: Some(&fi),
            ..t
        };
        assert_eq!(t2.payload().unwrap(), p);
    }

    #[test]
    fn notes_example_2_no_bic_unstructured_text() {
        let iban = fi_iban();
        let t = EpcTransfer {
            bic: None,
            name: "Kravia Oy",
            iban: &iban,
            amount: Money::from_minor(50_000),
            reference: None,
            text: Some("Lasku 2026-0042"),
            due: None,
        };
        let p = t.payload().unwrap();
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\n\nKravia Oy\nFI2112345600000785\nEUR500.00\n\n\nLasku 2026-0042"
        );
        assert_eq!(encode(&p, Ec::M).unwrap().version(), 5);
    }

    #[test]
    fn fixture_like_payload() {
        let iban = Iban::parse("FI2912367300207619").unwrap();
        let r = Reference::parse(Currency::Eur, "6039527574").unwrap();
        let t = EpcTransfer {
            bic: None,
            name: "Kravia",
            iban: &iban,
            amount: Money::from_minor(13_149),
            reference: Some(&r),
            text: Some("ignored when there is a reference"),
            due: NaiveDate::from_ymd_opt(2026, 6, 26),
        };
        let rf = crate::payment::FiReference::parse("6039527574")
            .unwrap()
            .to_rf();
        assert_eq!(
            t.payload().unwrap(),
            format!(
                "BCD\n002\n1\nSCT\n\nKravia\nFI2912367300207619\nEUR131.49\n\n{}\n\nReqdExctnDt/2026-06-26",
                rf.as_str()
            )
        );
    }

    #[test]
    fn zero_amount_and_nothing_else_omits_trailing_elements() {
        let iban = fi_iban();
        let t = EpcTransfer {
            bic: None,
            name: "Kravia Oy",
            iban: &iban,
            amount: Money::ZERO,
            reference: None,
            text: None,
            due: None,
        };
        assert_eq!(
            t.payload().unwrap(),
            "BCD\n002\n1\nSCT\n\nKravia Oy\nFI2112345600000785"
        );
    }

    #[test]
    fn long_name_is_cut_at_a_char_boundary_and_newlines_removed() {
        let iban = fi_iban();
        let long = "Ö".repeat(80);
        let t = EpcTransfer {
            bic: None,
            name: &long,
            iban: &iban,
            amount: Money::from_minor(1),
            reference: None,
            text: Some("line 1\nline 2"),
            due: None,
        };
        let p = t.payload().unwrap();
        let lines: Vec<&str> = p.split('\n').collect();
        assert_eq!(lines[5].chars().count(), 70);
        assert_eq!(lines[7], "EUR0.01");
        assert_eq!(lines[10], "line 1 line 2");
        assert_eq!(lines.len(), 11);
    }

    #[test]
    fn bad_transfers_are_rejected() {
        let iban = fi_iban();
        let base = EpcTransfer {
            bic: None,
            name: "Kravia Oy",
            iban: &iban,
            amount: Money::from_minor(100),
            reference: None,
            text: None,
            due: None,
        };
        assert!(EpcTransfer { name: "", ..base }.payload().is_err());
        assert!(EpcTransfer { name: "\n", ..base }.payload().is_err());
        assert!(
            EpcTransfer {
                amount: Money::from_minor(-1),
                ..base
            }
            .payload()
            .is_err()
        );
        assert!(
            EpcTransfer {
                amount: Money::from_minor(100_000_000_000),
                ..base
            }
            .payload()
            .is_err()
        );
        let ok_max = EpcTransfer {
            amount: Money::from_minor(99_999_999_999),
            ..base
        };
        assert!(ok_max.payload().unwrap().contains("EUR999999999.99"));
        let kid = Reference::Kid(Kid::parse("12344").unwrap());
        let e = EpcTransfer {
            reference: Some(&kid),
            ..base
        }
        .payload()
        .unwrap_err();
        assert!(e.to_string().starts_with("EPC QR: reference 12344"), "{e}");
    }

    #[test]
    fn over_331_bytes_is_rejected() {
        let iban = fi_iban();
        let name = "Ä".repeat(70); // 140 bytes
        let text = "€".repeat(140); // 420 bytes
        let t = EpcTransfer {
            bic: None,
            name: &name,
            iban: &iban,
            amount: Money::from_minor(100),
            reference: None,
            text: Some(&text),
            due: None,
        };
        let e = t.payload().unwrap_err();
        assert!(e.to_string().contains("more than 331"), "{e}");
    }

    #[test]
    fn alphanumeric_rf_is_used_as_is() {
        let iban = fi_iban();
        let r = Reference::Rf(RfReference::from_body("INV42").unwrap());
        let t = EpcTransfer {
            bic: None,
            name: "Kravia Oy",
            iban: &iban,
            amount: Money::from_minor(100),
            reference: Some(&r),
            text: None,
            due: None,
        };
        let p = t.payload().unwrap();
        assert!(p.ends_with(&format!("\n\n{}", r.as_str())), "{p}");
    }
}
