//! Swedish OCR number (OCR-referens): the payment reference on a Swedish
//! invoice paid by Bankgiro or Plusgiro.
//!
//! 2–25 digits, the last a Luhn (10-modul) check digit over the others. A
//! payee's Bankgirot agreement may also require a length digit (second to
//! last = total length mod 10); it is not required here but is accepted and can
//! be asked for with [`Ocr::has_length_digit`].

use std::fmt;

use super::check_digit::{luhn_digit, split_last_digit};
use super::{IdError, require_digits, shown, strip};

const ID: &str = "OCR number";

/// A valid Swedish OCR number.
///
/// ```
/// use kravia_invoice::payment::Ocr;
/// assert_eq!(Ocr::parse("2026 0042 06").unwrap().as_str(), "2026004206");
/// assert!(Ocr::parse("12350").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ocr(String);

impl Ocr {
    /// Parses an OCR number: trims, removes whitespace inside, then requires
    /// 2–25 ASCII digits whose last is the Luhn check of the others.
    ///
    /// ```
    /// use kravia_invoice::payment::Ocr;
    /// assert!(Ocr::parse("1230").is_ok());
    /// assert!(Ocr::parse("1231").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Ocr, IdError> {
        let v = strip(s, char::is_whitespace);
        require_digits(ID, &v, 2, 25, "2 to 25")?;
        let Some((payload, check)) = split_last_digit(&v) else {
            return Err(IdError::Empty { id: ID });
        };
        let expected = luhn_digit(payload);
        if expected != Some(check) {
            return Err(IdError::Check {
                id: ID,
                value: shown(&v),
                detail: format!("Luhn (expects {})", expected.unwrap_or(0)),
            });
        }
        Ok(Ocr(v))
    }

    /// Builds an OCR number from a payload of 1–24 ASCII digits by appending
    /// its Luhn check digit (no length digit).
    ///
    /// ```
    /// use kravia_invoice::payment::Ocr;
    /// assert_eq!(Ocr::with_luhn("123").unwrap().as_str(), "1230");
    /// assert!(Ocr::with_luhn("12 3").is_err());
    /// ```
    pub fn with_luhn(payload: &str) -> Result<Ocr, IdError> {
        require_digits(ID, payload, 1, 24, "1 to 24 (payload)")?;
        let d = luhn_digit(payload).ok_or(IdError::Empty { id: ID })?;
        Ok(Ocr(format!("{payload}{d}")))
    }

    /// Builds an OCR number with a length digit: the payload (1–23 ASCII
    /// digits), then (total length mod 10), then the Luhn check digit over
    /// both.
    ///
    /// ```
    /// use kravia_invoice::payment::Ocr;
    /// assert_eq!(Ocr::with_length_and_luhn("20260042").unwrap().as_str(), "2026004206");
    /// assert!(Ocr::with_length_and_luhn("").is_err());
    /// ```
    pub fn with_length_and_luhn(payload: &str) -> Result<Ocr, IdError> {
        require_digits(ID, payload, 1, 23, "1 to 23 (payload)")?;
        let with_len = format!("{payload}{}", (payload.len() + 2) % 10);
        let d = luhn_digit(&with_len).ok_or(IdError::Empty { id: ID })?;
        Ok(Ocr(format!("{with_len}{d}")))
    }

    /// The OCR number as digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the second-to-last digit is a valid length digit (the total
    /// length mod 10). Only meaningful for payees whose agreement uses one.
    pub fn has_length_digit(&self) -> bool {
        let b = self.0.as_bytes();
        b.len() >= 3 && usize::from(b[b.len() - 2] - b'0') == b.len() % 10
    }
}

impl fmt::Display for Ocr {
    /// The digits as given, without spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ocr_published_vectors() {
        assert_eq!(Ocr::with_luhn("123").unwrap().as_str(), "1230");
        assert_eq!(Ocr::with_length_and_luhn("123").unwrap().as_str(), "12351");
        assert_eq!(
            Ocr::with_length_and_luhn("20260042").unwrap().as_str(),
            "2026004206"
        );
        for ok in ["1230", "12351", "2026004206"] {
            let o = Ocr::parse(ok).unwrap();
            assert_eq!(o.to_string(), ok);
        }
        assert!(Ocr::parse("12351").unwrap().has_length_digit());
        assert!(Ocr::parse("2026004206").unwrap().has_length_digit());
        assert!(!Ocr::parse("1230").unwrap().has_length_digit());
    }

    #[test]
    fn ocr_bad_luhn_is_rejected_with_expected_digit() {
        let e = Ocr::parse("12350").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"OCR number "12350": check digit does not match Luhn (expects 1)"#
        );
    }

    #[test]
    fn ocr_empty_non_digits_long_and_unicode_are_rejected() {
        assert!(matches!(Ocr::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(Ocr::parse("12a0"), Err(IdError::Char { .. })));
        assert!(matches!(Ocr::parse("0"), Err(IdError::Length { .. })));
        assert!(matches!(
            Ocr::parse(&"0".repeat(26)),
            Err(IdError::Length { len: 26, .. })
        ));
        assert!(Ocr::parse("١٢٣").is_err());
        assert!(Ocr::parse("123-0").is_err());
        assert!(Ocr::with_luhn(&"1".repeat(25)).is_err());
    }

    proptest! {
        #[test]
        fn ocr_built_always_parses(payload in "[0-9]{1,24}") {
            let o = Ocr::with_luhn(&payload).unwrap();
            prop_assert_eq!(Ocr::parse(o.as_str()).unwrap(), o);
        }

        #[test]
        fn ocr_with_length_built_always_parses(payload in "[0-9]{1,23}") {
            let o = Ocr::with_length_and_luhn(&payload).unwrap();
            prop_assert!(o.has_length_digit());
            prop_assert!(Ocr::parse(o.as_str()).is_ok());
        }

        #[test]
        fn ocr_any_digit_substitution_is_rejected(payload in "[0-9]{1,24}") {
            let o = Ocr::with_luhn(&payload).unwrap();
            for t in crate::payment::digit_substitutions(o.as_str()) {
                prop_assert!(Ocr::parse(&t).is_err(), "{} from {}", t, o);
            }
        }

        #[test]
        fn ocr_parse_never_panics(s in any::<String>()) {
            let _ = Ocr::parse(&s);
        }
    }
}
