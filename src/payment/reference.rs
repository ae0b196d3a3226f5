//! Finnish reference numbers (viitenumero), ISO 11649 creditor references
//! (RF) and [`Reference`], the payment reference of an invoice by currency.

use std::fmt;

use super::check_digit::{fi_731_digit, mod97, mod97_check_digits, split_last_digit};
use super::kid::Kid;
use super::ocr::Ocr;
use super::{IdError, group_left, require_digits, shown, strip};
use crate::money::Currency;

const FI_ID: &str = "Finnish reference";
const RF_ID: &str = "RF reference";

/// A valid Finnish reference number (viitenumero): 4–20 digits, the last a
/// 7-3-1 check digit (weights 7, 3, 1, 7, … from the right of the rest, check =
/// (10 − sum mod 10) mod 10). An all-zero number is not a reference and is
/// rejected.
///
/// ```
/// use kravia_invoice::payment::FiReference;
/// let r = FiReference::parse("86851 62596 19897").unwrap();
/// assert_eq!(r.as_str(), "868516259619897");
/// assert_eq!(r.to_string(), "86851 62596 19897");
/// assert!(FiReference::parse("12345615").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FiReference(String);

impl FiReference {
    /// Parses a Finnish reference number: trims, removes whitespace inside,
    /// then requires 4–20 ASCII digits, not all zero, with a valid 7-3-1 check
    /// digit.
    ///
    /// ```
    /// use kravia_invoice::payment::FiReference;
    /// assert!(FiReference::parse("1234 5614").is_ok());
    /// assert!(FiReference::parse("123").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<FiReference, IdError> {
        let v = strip(s, char::is_whitespace);
        require_digits(FI_ID, &v, 4, 20, "4 to 20")?;
        if v.bytes().all(|b| b == b'0') {
            return Err(IdError::Invalid {
                id: FI_ID,
                value: shown(&v),
                reason: "is zero".to_string(),
            });
        }
        let Some((payload, check)) = split_last_digit(&v) else {
            return Err(IdError::Empty { id: FI_ID });
        };
        let expected = fi_731_digit(payload).unwrap_or(0);
        if expected != check {
            return Err(IdError::Check {
                id: FI_ID,
                value: v,
                detail: format!("7-3-1 (expects {expected})"),
            });
        }
        Ok(FiReference(v))
    }

    /// Builds a Finnish reference number from a base of 3–19 ASCII digits (not
    /// all zero) by appending its 7-3-1 check digit.
    ///
    /// ```
    /// use kravia_invoice::payment::FiReference;
    /// assert_eq!(FiReference::with_check("2026004").unwrap().as_str(), "20260040");
    /// assert!(FiReference::with_check("12").is_err());
    /// ```
    pub fn with_check(base: &str) -> Result<FiReference, IdError> {
        require_digits(FI_ID, base, 3, 19, "3 to 19 (base)")?;
        let d = fi_731_digit(base).ok_or(IdError::Empty { id: FI_ID })?;
        FiReference::parse(&format!("{base}{d}"))
    }

    /// The digits as given (leading zeros kept), without spaces: the
    /// electronic form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same reference as an ISO 11649 RF reference (leading zeros dropped,
    /// which leaves the check digits unchanged): `20260040` → `RF4520260040`.
    ///
    /// ```
    /// use kravia_invoice::payment::FiReference;
    /// let rf = FiReference::parse("2348236").unwrap().to_rf();
    /// assert_eq!(rf.as_str(), "RF332348236");
    /// ```
    pub fn to_rf(&self) -> RfReference {
        let body = self.0.trim_start_matches('0');
        // A valid reference is never all zeros, and its at most 20 digits fit
        // the 21 allowed; the body is digits, so the check digits always exist.
        let cd = mod97_check_digits("RF", body).unwrap_or(0);
        RfReference(format!("RF{cd:02}{body}"))
    }
}

impl fmt::Display for FiReference {
    /// Printed form: groups of five digits counted from the right, leading
    /// zeros dropped: `86851 62596 19897`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.trim_start_matches('0');
        let head = s.len() % 5;
        let mut first = true;
        if head > 0 {
            f.write_str(&s[..head])?;
            first = false;
        }
        for chunk in s.as_bytes()[head..].chunks(5) {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

/// A valid ISO 11649 creditor reference: `RF`, two check digits, then 1–21
/// letters or digits, with (body ‖ `RF` ‖ check digits) mod 97 = 1.
///
/// ```
/// use kravia_invoice::payment::RfReference;
/// let rf = RfReference::parse("rf45 2026 0040").unwrap();
/// assert_eq!(rf.as_str(), "RF4520260040");
/// assert_eq!(rf.to_string(), "RF45 2026 0040");
/// assert!(RfReference::parse("RF17539007547034").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RfReference(String);

impl RfReference {
    /// Parses an RF reference: trims, removes whitespace, upper-cases ASCII
    /// letters, then requires `RF`, two check digits (02–98) and a body of 1–21
    /// ASCII letters or digits that together satisfy MOD 97-10.
    ///
    /// ```
    /// use kravia_invoice::payment::RfReference;
    /// assert!(RfReference::parse("RF18 5390 0754 7034").is_ok());
    /// assert!(RfReference::parse("RF18").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<RfReference, IdError> {
        let v = strip(s, char::is_whitespace).to_ascii_uppercase();
        if v.is_empty() {
            return Err(IdError::Empty { id: RF_ID });
        }
        if let Some((i, c)) = v
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            return Err(IdError::Char {
                id: RF_ID,
                value: shown(&v),
                found: c,
                position: i + 1,
                expected: "a letter or a digit",
            });
        }
        // ASCII from here on.
        if !v.starts_with("RF") {
            return Err(IdError::Invalid {
                id: RF_ID,
                value: shown(&v),
                reason: "does not start with RF".to_string(),
            });
        }
        if v.len() < 5 || v.len() > 25 {
            return Err(IdError::Length {
                id: RF_ID,
                value: shown(&v),
                len: v.len(),
                expected: "5 to 25",
            });
        }
        let (cd, body) = v[2..].split_at(2);
        if let Some(e) = super::non_digit(RF_ID, cd) {
            return Err(match e {
                IdError::Char {
                    found, position, ..
                } => IdError::Char {
                    id: RF_ID,
                    value: shown(&v),
                    found,
                    position: position + 2,
                    expected: "a check digit",
                },
                e => e,
            });
        }
        let expected = mod97_check_digits("RF", body).unwrap_or(0);
        let valid = mod97(&format!("{body}RF{cd}")) == Some(1);
        if !valid || !(2..=98).contains(&cd.parse::<u32>().unwrap_or(0)) {
            return Err(IdError::Check {
                id: RF_ID,
                value: v,
                detail: format!("MOD 97-10 (expects {expected:02})"),
            });
        }
        Ok(RfReference(v))
    }

    /// Builds an RF reference from a body of 1–21 letters or digits
    /// (whitespace removed, letters upper-cased) by computing its check digits.
    ///
    /// ```
    /// use kravia_invoice::payment::RfReference;
    /// assert_eq!(RfReference::from_body("2348236").unwrap().as_str(), "RF332348236");
    /// assert!(RfReference::from_body("").is_err());
    /// ```
    pub fn from_body(body: &str) -> Result<RfReference, IdError> {
        let b = strip(body, char::is_whitespace).to_ascii_uppercase();
        if b.is_empty() {
            return Err(IdError::Empty { id: RF_ID });
        }
        if let Some((i, c)) = b
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            return Err(IdError::Char {
                id: RF_ID,
                value: shown(&b),
                found: c,
                position: i + 1,
                expected: "a letter or a digit",
            });
        }
        if b.len() > 21 {
            return Err(IdError::Length {
                id: RF_ID,
                value: shown(&b),
                len: b.len(),
                expected: "1 to 21 (body)",
            });
        }
        let cd = mod97_check_digits("RF", &b).ok_or(IdError::Empty { id: RF_ID })?;
        RfReference::parse(&format!("RF{cd:02}{b}"))
    }

    /// The electronic form, no spaces: `RF4520260040`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The body after `RF` and the check digits: `20260040`.
    pub fn body(&self) -> &str {
        &self.0[4..]
    }

    /// The two check digits: `45`.
    pub fn check_digits(&self) -> &str {
        &self.0[2..4]
    }

    /// Whether the body is all digits (required by the Finnish virtual
    /// barcode, version 5).
    pub fn is_numeric(&self) -> bool {
        self.body().bytes().all(|b| b.is_ascii_digit())
    }
}

impl fmt::Display for RfReference {
    /// Printed form: groups of four, `RF45 2026 0040`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&group_left(&self.0, 4))
    }
}

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
