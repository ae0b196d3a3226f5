//! Norwegian account numbers (kontonummer, the Norwegian BBAN).
//!
//! 11 digits `BBBB.KK.NNNNC`: a 4-digit bank register number, a 2-digit account
//! group and 5 digits whose last is a MOD11 check digit over the first ten with
//! weights 5, 4, 3, 2, 7, 6, 5, 4, 3, 2; remainder 0 ⇒ 0, remainder 1 ⇒ no such
//! account can exist, else 11 − remainder. Swedish and Finnish domestic account
//! numbers have no check here (they print as given).

use std::fmt;

use super::check_digit::{mod11_digit_from_remainder, weighted_mod11};
use super::{IdError, require_digits, shown, strip};

const ID: &str = "Norwegian account number";
const WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// A valid Norwegian account number.
///
/// ```
/// use kravia_invoice::payment::NoAccount;
/// let a = NoAccount::parse("1503.60.12347").unwrap();
/// assert_eq!(a.as_str(), "15036012347");
/// assert_eq!(a.to_string(), "1503.60.12347");
/// assert!(NoAccount::parse("8601.11.17949").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoAccount(String);

impl NoAccount {
    /// Parses a Norwegian account number: trims, removes dots and whitespace,
    /// then requires 11 ASCII digits with a valid MOD11 check digit.
    ///
    /// ```
    /// use kravia_invoice::payment::NoAccount;
    /// assert!(NoAccount::parse("8601 11 17947").is_ok());
    /// assert!(NoAccount::parse("8601111794").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<NoAccount, IdError> {
        let v = strip(s, |c| c == '.' || c.is_whitespace());
        require_digits(ID, &v, 11, 11, "11")?;
        match check_digit(&v[..10]) {
            Some(d) if d == v.as_bytes()[10] - b'0' => Ok(NoAccount(v)),
            Some(d) => Err(IdError::Check {
                id: ID,
                value: v,
                detail: format!("MOD11 (expects {d})"),
            }),
            None => Err(no_check_digit(&v)),
        }
    }

    /// Builds an account number from its first ten ASCII digits by appending
    /// the MOD11 check digit; fails when no check digit exists (remainder 1).
    ///
    /// ```
    /// use kravia_invoice::payment::NoAccount;
    /// assert_eq!(NoAccount::with_check("8601111794").unwrap().as_str(), "86011117947");
    /// assert!(NoAccount::with_check("1234567004").is_err());
    /// ```
    pub fn with_check(first10: &str) -> Result<NoAccount, IdError> {
        require_digits(ID, first10, 10, 10, "10 (without the check digit)")?;
        match check_digit(first10) {
            Some(d) => Ok(NoAccount(format!("{first10}{d}"))),
            None => Err(no_check_digit(first10)),
        }
    }

    /// The 11 digits, without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NoAccount {
    /// Printed form `BBBB.KK.NNNNN`: `8601.11.17947`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{}.{}.{}", &s[..4], &s[4..6], &s[6..])
    }
}

/// The MOD11 check digit of ten ASCII digits; `None` when the remainder is 1.
fn check_digit(first10: &str) -> Option<u8> {
    weighted_mod11(first10, &WEIGHTS).and_then(mod11_digit_from_remainder)
}

fn no_check_digit(v: &str) -> IdError {
    IdError::Invalid {
        id: ID,
        value: shown(v),
        reason: "no such account can exist (MOD11 remainder 1)".to_string(),
    }
}

/// Serialised as its 11 digits.
impl serde::Serialize for NoAccount {
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
    fn no_account_published_vectors() {
        let a = NoAccount::with_check("8601111794").unwrap();
        assert_eq!(a.as_str(), "86011117947");
        assert_eq!(a.to_string(), "8601.11.17947");
        for ok in [
            "86011117947",
            "12345678903",
            "1503.60.12347",
            "15039966678",
            "8601 11 17947",
        ] {
            assert!(NoAccount::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn no_account_wrong_check_digit_is_rejected() {
        let e = NoAccount::parse("86011117949").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"Norwegian account number "86011117949": check digit does not match MOD11 (expects 7)"#
        );
    }

    #[test]
    fn no_account_remainder_one_has_no_check_digit() {
        let e = NoAccount::with_check("1234567004").unwrap_err();
        assert!(matches!(e, IdError::Invalid { .. }), "{e}");
        for d in 0..=9 {
            assert!(NoAccount::parse(&format!("1234567004{d}")).is_err());
        }
    }

    #[test]
    fn no_account_bad_input_is_rejected() {
        assert!(matches!(NoAccount::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(
            NoAccount::parse(" .. "),
            Err(IdError::Empty { .. })
        ));
        assert!(matches!(
            NoAccount::parse("8601111794"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            NoAccount::parse("860111179470"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            NoAccount::parse("8601-11-17947"),
            Err(IdError::Char { .. })
        ));
        assert!(NoAccount::parse("١٢٣٤٥٦٧٨٩٠١").is_err());
        assert!(NoAccount::parse(&"1".repeat(10_000)).is_err());
        assert!(NoAccount::with_check("860111179").is_err());
    }

    proptest! {
        #[test]
        fn no_account_built_always_parses(first10 in "[0-9]{10}") {
            if let Ok(a) = NoAccount::with_check(&first10) {
                prop_assert_eq!(NoAccount::parse(a.as_str()).unwrap(), a.clone());
                prop_assert_eq!(NoAccount::parse(&a.to_string()).unwrap(), a);
            } else {
                prop_assert!(check_digit(&first10).is_none());
            }
        }

        #[test]
        fn no_account_any_digit_substitution_is_rejected(first10 in "[0-9]{10}") {
            if let Ok(a) = NoAccount::with_check(&first10) {
                for t in digit_substitutions(a.as_str()) {
                    prop_assert!(NoAccount::parse(&t).is_err(), "{} from {}", t, a.as_str());
                }
            }
        }

        #[test]
        fn no_account_parse_never_panics(s in any::<String>()) {
            let _ = NoAccount::parse(&s);
            let _ = NoAccount::with_check(&s);
        }
    }
}
