//! Payment references: the KID (NOK), the OCR number (SEK), the Finnish
//! reference and the RF creditor reference (EUR), and [`Reference`], which
//! picks the scheme by currency.

mod fi;
mod rf;

use std::fmt;

use super::IdError;
use super::kid::Kid;
use super::ocr::Ocr;
use crate::money::Currency;

pub use fi::FiReference;
pub use rf::RfReference;

/// The payment reference of an invoice: a KID for NOK, an OCR number for SEK,
/// a Finnish or an RF reference for EUR.
///
/// ```
/// use kravia_invoice::Currency;
/// use kravia_invoice::payment::Reference;
/// let r = Reference::parse(Currency::Eur, "RF4520260040").unwrap();
/// assert_eq!(r.to_string(), "RF45 2026 0040");
/// assert!(Reference::parse(Currency::Nok, "2345674").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reference {
    /// Norwegian KID (NOK).
    Kid(Kid),
    /// Swedish OCR number (SEK).
    Ocr(Ocr),
    /// Finnish reference number (EUR).
    Fi(FiReference),
    /// ISO 11649 RF creditor reference (EUR).
    Rf(RfReference),
}

impl Reference {
    /// Parses the reference scheme of `currency`: NOK a [`Kid`], SEK an
    /// [`Ocr`], EUR an [`RfReference`] when it starts with `RF` (any case),
    /// else a [`FiReference`].
    ///
    /// ```
    /// use kravia_invoice::Currency;
    /// use kravia_invoice::payment::Reference;
    /// assert!(matches!(Reference::parse(Currency::Eur, "2026 0040"), Ok(Reference::Fi(_))));
    /// assert!(Reference::parse(Currency::Sek, "12350").is_err());
    /// ```
    pub fn parse(currency: Currency, s: &str) -> Result<Reference, IdError> {
        match currency {
            Currency::Nok => Kid::parse(s).map(Reference::Kid),
            Currency::Sek => Ocr::parse(s).map(Reference::Ocr),
            Currency::Eur => {
                let t = s.trim_start().as_bytes();
                if t.len() >= 2 && t[..2].eq_ignore_ascii_case(b"RF") {
                    RfReference::parse(s).map(Reference::Rf)
                } else {
                    FiReference::parse(s).map(Reference::Fi)
                }
            }
        }
    }

    /// The electronic form: KID and OCR digits, Finnish reference digits, RF
    /// without spaces.
    pub fn as_str(&self) -> &str {
        match self {
            Reference::Kid(k) => k.as_str(),
            Reference::Ocr(o) => o.as_str(),
            Reference::Fi(r) => r.as_str(),
            Reference::Rf(r) => r.as_str(),
        }
    }
}

impl fmt::Display for Reference {
    /// The printed form: KID and OCR as given, Finnish references in groups of
    /// five from the right, RF in groups of four.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reference::Kid(k) => k.fmt(f),
            Reference::Ocr(o) => o.fmt(f),
            Reference::Fi(r) => r.fmt(f),
            Reference::Rf(r) => r.fmt(f),
        }
    }
}

/// Serialised as the reference in electronic form.
impl serde::Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::digit_substitutions;
    use proptest::prelude::*;

    #[test]
    fn fi_reference_published_vectors() {
        assert_eq!(
            FiReference::with_check("1234561").unwrap().as_str(),
            "12345614"
        );
        assert_eq!(
            FiReference::with_check("2026004").unwrap().as_str(),
            "20260040"
        );
        for ok in [
            "2348236",
            "11112",
            "1234567907",
            "868516259619897",
            "55958 22432 94671",
            "69 87567 20834 35364",
            "6039527574",
        ] {
            assert!(FiReference::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn fi_reference_display_groups_of_five_from_the_right() {
        let r = FiReference::parse("868516259619897").unwrap();
        assert_eq!(r.to_string(), "86851 62596 19897");
        let r = FiReference::parse("69 87567 20834 35364").unwrap();
        assert_eq!(r.as_str(), "69875672083435364");
        assert_eq!(r.to_string(), "69 87567 20834 35364");
        let r = FiReference::parse("20260040").unwrap();
        assert_eq!(r.to_string(), "202 60040");
        let r = FiReference::parse("00011112").unwrap();
        assert_eq!(r.as_str(), "00011112");
        assert_eq!(r.to_string(), "11112");
    }

    #[test]
    fn fi_reference_bad_check_is_rejected() {
        let e = FiReference::parse("12345615").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"Finnish reference "12345615": check digit does not match 7-3-1 (expects 4)"#
        );
    }

    #[test]
    fn fi_reference_bad_input_is_rejected() {
        assert!(matches!(FiReference::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(
            FiReference::parse("112"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            FiReference::parse(&"1".repeat(21)),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            FiReference::parse("0000"),
            Err(IdError::Invalid { .. })
        ));
        assert!(matches!(
            FiReference::parse("1111-2"),
            Err(IdError::Char { .. })
        ));
        assert!(FiReference::parse("١٢٣٤٥").is_err());
        assert!(FiReference::with_check("000").is_err());
        assert!(FiReference::with_check(&"1".repeat(20)).is_err());
    }

    #[test]
    fn fi_reference_to_rf_published_vectors() {
        let rf = FiReference::parse("2348236").unwrap().to_rf();
        assert_eq!(rf.as_str(), "RF332348236");
        assert_eq!(rf.to_string(), "RF33 2348 236");
        let rf = FiReference::parse("20260040").unwrap().to_rf();
        assert_eq!(rf.as_str(), "RF4520260040");
        let rf = FiReference::parse("0020260040").unwrap().to_rf();
        assert_eq!(rf.as_str(), "RF4520260040");
        let rf = FiReference::parse("868516259619897").unwrap().to_rf();
        assert_eq!(rf.to_string(), "RF09 8685 1625 9619 897");
        let rf = FiReference::parse("559582243294671").unwrap().to_rf();
        assert_eq!(rf.to_string(), "RF06 5595 8224 3294 671");
        let rf = FiReference::parse("11112").unwrap().to_rf();
        assert_eq!(rf.as_str(), "RF9811112");
    }

    #[test]
    fn rf_published_vectors() {
        for ok in [
            "RF332348236",
            "RF4520260040",
            "RF9811112",
            "RF18539007547034",
            "RF18 5390 0754 7034",
            "rf09 8685 1625 9619 897",
        ] {
            assert!(RfReference::parse(ok).is_ok(), "{ok}");
        }
        let rf = RfReference::parse("RF18539007547034").unwrap();
        assert_eq!(rf.to_string(), "RF18 5390 0754 7034");
        assert_eq!(rf.check_digits(), "18");
        assert_eq!(rf.body(), "539007547034");
        assert!(rf.is_numeric());
        assert_eq!(
            RfReference::from_body("12345 12345").unwrap().as_str(),
            "RF451234512345"
        );
        assert_eq!(
            RfReference::from_body("20260040").unwrap().as_str(),
            "RF4520260040"
        );
    }

    #[test]
    fn rf_alphanumeric_body_is_accepted_and_not_numeric() {
        let rf = RfReference::from_body("inv2026a").unwrap();
        assert_eq!(rf.body(), "INV2026A");
        assert!(!rf.is_numeric());
        assert_eq!(RfReference::parse(rf.as_str()).unwrap(), rf);
    }

    #[test]
    fn rf_bad_check_is_rejected() {
        let e = RfReference::parse("RF17539007547034").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"RF reference "RF17539007547034": check digit does not match MOD 97-10 (expects 18)"#
        );
    }

    #[test]
    fn rf_check_digits_out_of_range_are_rejected() {
        // 98 and 01 are the same mod 97; only 02..=98 are ever issued.
        assert!(RfReference::parse("RF9811112").is_ok());
        assert!(RfReference::parse("RF0111112").is_err());
    }

    #[test]
    fn rf_bad_input_is_rejected() {
        assert!(matches!(RfReference::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(
            RfReference::parse("RF18"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            RfReference::parse(&format!("RF18{}", "1".repeat(22))),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            RfReference::parse("XX18539007547034"),
            Err(IdError::Invalid { .. })
        ));
        assert!(matches!(
            RfReference::parse("RFA8539007547034"),
            Err(IdError::Char { position: 3, .. })
        ));
        assert!(matches!(
            RfReference::parse("RF18-5390"),
            Err(IdError::Char { .. })
        ));
        assert!(RfReference::parse("RF١٢٣٤٥").is_err());
        assert!(RfReference::from_body(&"1".repeat(22)).is_err());
        assert!(RfReference::from_body("ÄB").is_err());
    }

    #[test]
    fn reference_parse_by_currency() {
        assert!(matches!(
            Reference::parse(Currency::Nok, "1000005-"),
            Ok(Reference::Kid(_))
        ));
        assert!(matches!(
            Reference::parse(Currency::Sek, "2026004206"),
            Ok(Reference::Ocr(_))
        ));
        assert!(matches!(
            Reference::parse(Currency::Eur, "6039527574"),
            Ok(Reference::Fi(_))
        ));
        assert!(matches!(
            Reference::parse(Currency::Eur, " rf45 2026 0040"),
            Ok(Reference::Rf(_))
        ));
        assert!(Reference::parse(Currency::Eur, "RF17539007547034").is_err());
        assert!(Reference::parse(Currency::Nok, "").is_err());
        assert!(Reference::parse(Currency::Eur, "R").is_err());
        assert!(Reference::parse(Currency::Eur, "١٢٣").is_err());
    }

    #[test]
    fn reference_as_str_and_display() {
        let r = Reference::parse(Currency::Eur, "868516259619897").unwrap();
        assert_eq!(r.as_str(), "868516259619897");
        assert_eq!(r.to_string(), "86851 62596 19897");
        let r = Reference::parse(Currency::Eur, "RF4520260040").unwrap();
        assert_eq!(r.as_str(), "RF4520260040");
        assert_eq!(r.to_string(), "RF45 2026 0040");
        let r = Reference::parse(Currency::Nok, "000123 202600425").unwrap();
        assert_eq!(r.as_str(), "000123202600425");
        assert_eq!(r.to_string(), "000123202600425");
        let r = Reference::parse(Currency::Sek, "2026004206").unwrap();
        assert_eq!(r.to_string(), "2026004206");
    }

    proptest! {
        #[test]
        fn fi_reference_built_always_parses(base in "[0-9]{3,19}") {
            prop_assume!(base.bytes().any(|b| b != b'0'));
            let r = FiReference::with_check(&base).unwrap();
            prop_assert_eq!(FiReference::parse(r.as_str()).unwrap(), r.clone());
            // The printed form drops leading zeros; when 4 or more digits are
            // left it parses back to the same printed form.
            let printed = r.to_string();
            if printed.replace(' ', "").len() >= 4 {
                prop_assert_eq!(FiReference::parse(&printed).unwrap().to_string(), printed);
            }
            let rf = r.to_rf();
            prop_assert_eq!(RfReference::parse(rf.as_str()).unwrap(), rf.clone());
            prop_assert!(rf.is_numeric());
        }

        #[test]
        fn fi_reference_any_digit_substitution_is_rejected(base in "[0-9]{3,19}") {
            prop_assume!(base.bytes().any(|b| b != b'0'));
            let r = FiReference::with_check(&base).unwrap();
            for t in digit_substitutions(r.as_str()) {
                prop_assert!(FiReference::parse(&t).is_err(), "{} from {}", t, r.as_str());
            }
        }

        #[test]
        fn rf_built_always_parses(body in "[0-9A-Za-z]{1,21}") {
            let rf = RfReference::from_body(&body).unwrap();
            prop_assert_eq!(RfReference::parse(rf.as_str()).unwrap(), rf.clone());
            prop_assert_eq!(RfReference::parse(&rf.to_string()).unwrap(), rf.clone());
            prop_assert_eq!(rf.body(), body.to_ascii_uppercase());
        }

        #[test]
        fn rf_any_digit_substitution_is_rejected(body in "[0-9A-Z]{1,21}") {
            let rf = RfReference::from_body(&body).unwrap();
            for t in digit_substitutions(rf.as_str()) {
                prop_assert!(RfReference::parse(&t).is_err(), "{} from {}", t, rf.as_str());
            }
        }

        #[test]
        fn reference_parse_never_panics(s in any::<String>()) {
            for c in [Currency::Nok, Currency::Sek, Currency::Eur] {
                let _ = Reference::parse(c, &s);
            }
            let _ = RfReference::from_body(&s);
            let _ = FiReference::with_check(&s);
        }
    }
}
