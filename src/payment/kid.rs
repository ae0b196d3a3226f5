//! Norwegian KID (kundeidentifikasjonsnummer): the payment reference on a
//! Norwegian invoice.
//!
//! 2–25 characters: digits, the last one a MOD10 (Luhn) or MOD11 check
//! character; MOD11 writes `-` when its remainder is 1. The payee's bank
//! agreement decides which modulus a KID uses, so [`Kid::parse`] accepts either
//! and [`Kid::modulus`] says which one verifies.

use std::fmt;

use super::check_digit::{luhn_digit, mod11_kid_char};
use super::{IdError, non_digit, shown, strip};

const ID: &str = "KID";
const LENGTHS: &str = "2 to 25";
const MIN: usize = 2;
const MAX: usize = 25;

/// The check-digit scheme a KID uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modulus {
    /// MOD10 (Luhn): weights 2, 1, 2, 1, … from the right.
    Mod10,
    /// MOD11: weights 2, 3, 4, 5, 6, 7, 2, … from the right; check `-` when the
    /// remainder is 1.
    Mod11,
}

impl fmt::Display for Modulus {
    /// `MOD10` or `MOD11`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Modulus::Mod10 => "MOD10",
            Modulus::Mod11 => "MOD11",
        })
    }
}

/// A valid Norwegian KID.
///
/// ```
/// use kravia_invoice::payment::{Kid, Modulus};
/// let kid = Kid::parse(" 000123 202600425 ").unwrap();
/// assert_eq!(kid.as_str(), "000123202600425");
/// assert_eq!(kid.modulus(), Modulus::Mod10);
/// assert!(Kid::parse("2345674").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Kid {
    value: String,
    modulus: Modulus,
}

impl Kid {
    /// Parses a KID: trims, removes whitespace inside, then requires 2–25
    /// characters, all digits but a final `-`, and a last character that is the
    /// MOD10 or the MOD11 check of the rest. MOD10 is reported when both verify.
    ///
    /// ```
    /// use kravia_invoice::payment::{Kid, Modulus};
    /// assert_eq!(Kid::parse("1000005-").unwrap().modulus(), Modulus::Mod11);
    /// assert!(Kid::parse("00307543497").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Kid, IdError> {
        let v = strip(s, char::is_whitespace);
        if v.is_empty() {
            return Err(IdError::Empty { id: ID });
        }
        // Everything but a final '-' must be an ASCII digit.
        let body_len = if v.ends_with('-') {
            v.len() - 1
        } else {
            v.len()
        };
        if let Some(e) = non_digit(ID, &v[..body_len]) {
            return Err(match e {
                IdError::Char {
                    found, position, ..
                } => IdError::Char {
                    id: ID,
                    value: shown(&v),
                    found,
                    position,
                    expected: "a digit (or a final '-')",
                },
                e => e,
            });
        }
        // ASCII from here on: bytes are characters.
        if v.len() < MIN || v.len() > MAX {
            return Err(IdError::Length {
                id: ID,
                value: shown(&v),
                len: v.len(),
                expected: LENGTHS,
            });
        }
        if kid_mod10_valid(&v) {
            return Ok(Kid {
                value: v,
                modulus: Modulus::Mod10,
            });
        }
        if kid_mod11_valid(&v) {
            return Ok(Kid {
                value: v,
                modulus: Modulus::Mod11,
            });
        }
        let payload = &v[..v.len() - 1];
        let m11 = mod11_kid_char(payload).unwrap_or('?');
        let detail = if v.ends_with('-') {
            format!("MOD11 (expects {m11})")
        } else {
            let m10 = luhn_digit(payload).map_or('?', |d| char::from(b'0' + d));
            format!("MOD10 (expects {m10}) or MOD11 (expects {m11})")
        };
        Err(IdError::Check {
            id: ID,
            value: v,
            detail,
        })
    }

    /// Builds a MOD10 KID from a payload of 1–24 ASCII digits by appending its
    /// Luhn check digit.
    ///
    /// ```
    /// use kravia_invoice::payment::Kid;
    /// assert_eq!(Kid::with_mod10("1234").unwrap().as_str(), "12344");
    /// assert!(Kid::with_mod10("12a4").is_err());
    /// ```
    pub fn with_mod10(payload: &str) -> Result<Kid, IdError> {
        check_payload(payload)?;
        let d = luhn_digit(payload).ok_or(IdError::Empty { id: ID })?;
        Ok(Kid {
            value: format!("{payload}{d}"),
            modulus: Modulus::Mod10,
        })
    }

    /// Builds a MOD11 KID from a payload of 1–24 ASCII digits by appending its
    /// MOD11 check character, which is `-` when the remainder is 1 (banks that
    /// refuse such KIDs need a different payload).
    ///
    /// ```
    /// use kravia_invoice::payment::Kid;
    /// assert_eq!(Kid::with_mod11("1234").unwrap().as_str(), "12343");
    /// assert_eq!(Kid::with_mod11("1000005").unwrap().as_str(), "1000005-");
    /// assert!(Kid::with_mod11("").is_err());
    /// ```
    pub fn with_mod11(payload: &str) -> Result<Kid, IdError> {
        check_payload(payload)?;
        let c = mod11_kid_char(payload).ok_or(IdError::Empty { id: ID })?;
        Ok(Kid {
            value: format!("{payload}{c}"),
            modulus: Modulus::Mod11,
        })
    }

    /// The KID as digits (and a possible final `-`), without spaces.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The modulus whose check verifies; [`Modulus::Mod10`] when both do.
    pub fn modulus(&self) -> Modulus {
        self.modulus
    }
}

impl fmt::Display for Kid {
    /// The KID as given, without spaces (the electronic form is also the
    /// printed one).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

fn check_payload(payload: &str) -> Result<(), IdError> {
    super::require_digits(ID, payload, MIN - 1, MAX - 1, "1 to 24 (payload)")
}

/// Whether `kid` (exactly as given, no trimming) is a KID of 2–25 characters
/// whose last digit is the MOD10 (Luhn) check of the others.
///
/// ```
/// use kravia_invoice::payment::kid::kid_mod10_valid;
/// assert!(kid_mod10_valid("12344"));
/// assert!(!kid_mod10_valid("12343"));
/// ```
pub fn kid_mod10_valid(kid: &str) -> bool {
    if kid.len() < MIN || kid.len() > MAX {
        return false;
    }
    match super::check_digit::split_last_digit(kid) {
        Some((payload, check)) => luhn_digit(payload) == Some(check),
        None => false,
    }
}

/// Whether `kid` (exactly as given, no trimming) is a KID of 2–25 characters
/// whose last character is the MOD11 check (digit or `-`) of the others.
///
/// ```
/// use kravia_invoice::payment::kid::kid_mod11_valid;
/// assert!(kid_mod11_valid("12343"));
/// assert!(kid_mod11_valid("1000005-"));
/// assert!(!kid_mod11_valid("12344"));
/// ```
pub fn kid_mod11_valid(kid: &str) -> bool {
    if kid.len() < MIN || kid.len() > MAX || !kid.is_ascii() {
        return false;
    }
    let (payload, last) = kid.split_at(kid.len() - 1);
    match mod11_kid_char(payload) {
        Some(c) => last.starts_with(c),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kid_published_vectors_are_accepted() {
        for (kid, m) in [
            ("12344", Modulus::Mod10),
            ("12343", Modulus::Mod11),
            ("2345676", Modulus::Mod10),
            // Valid under both moduli: MOD10 is reported.
            ("12345678903", Modulus::Mod10),
            ("1000005-", Modulus::Mod11),
            ("23456783", Modulus::Mod10),
            ("23456788", Modulus::Mod11),
            ("000123202600425", Modulus::Mod10),
            ("00012320260042-", Modulus::Mod11),
            ("000123202600438", Modulus::Mod11),
            ("000123202600433", Modulus::Mod10),
        ] {
            let k = Kid::parse(kid).unwrap_or_else(|e| panic!("{kid}: {e}"));
            assert_eq!(k.modulus(), m, "{kid}");
            assert_eq!(k.as_str(), kid);
            assert_eq!(k.to_string(), kid);
        }
    }

    #[test]
    fn kid_builders_match_published_vectors() {
        assert_eq!(Kid::with_mod10("1234").unwrap().as_str(), "12344");
        assert_eq!(Kid::with_mod11("1234").unwrap().as_str(), "12343");
        assert_eq!(Kid::with_mod10("2345678").unwrap().as_str(), "23456783");
        assert_eq!(Kid::with_mod11("2345678").unwrap().as_str(), "23456788");
        assert_eq!(
            Kid::with_mod10("00012320260042").unwrap().as_str(),
            "000123202600425"
        );
        assert_eq!(
            Kid::with_mod11("00012320260042").unwrap().as_str(),
            "00012320260042-"
        );
        assert_eq!(
            Kid::with_mod11("00012320260043").unwrap().as_str(),
            "000123202600438"
        );
        assert_eq!(Kid::with_mod11("1000005").unwrap().as_str(), "1000005-");
    }

    #[test]
    fn kid_valid_under_both_moduli_reports_mod10() {
        assert!(kid_mod10_valid("12345678903") && kid_mod11_valid("12345678903"));
        assert!(kid_mod11_valid("000123202600438") && !kid_mod10_valid("000123202600438"));
    }

    #[test]
    fn kid_invalid_under_both_moduli_is_rejected() {
        assert!(!kid_mod10_valid("2345674") && !kid_mod11_valid("2345674"));
        assert!(matches!(Kid::parse("2345674"), Err(IdError::Check { .. })));
        assert!(Kid::parse("100030").is_err());
    }

    #[test]
    fn kid_mismatch_message_names_both_expected_digits() {
        let e = Kid::parse("00307543497").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"KID "00307543497": check digit does not match MOD10 (expects 6) or MOD11 (expects 4)"#
        );
        let e = Kid::parse("1000006-").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"KID "1000006-": check digit does not match MOD11 (expects 8)"#
        );
    }

    #[test]
    fn kid_spaces_are_trimmed_and_removed() {
        assert_eq!(Kid::parse(" 1234 4\t").unwrap().as_str(), "12344");
    }

    #[test]
    fn kid_wrong_length_is_rejected() {
        let e = Kid::parse(&format!("{}0", "1".repeat(25))).unwrap_err();
        assert!(matches!(e, IdError::Length { len: 26, .. }), "{e}");
        assert!(matches!(
            Kid::parse("0"),
            Err(IdError::Length { len: 1, .. })
        ));
        assert!(Kid::with_mod10(&"1".repeat(25)).is_err());
        assert!(Kid::with_mod10("").is_err());
        let huge = "1".repeat(1_000_000);
        let e = Kid::parse(&huge).unwrap_err();
        assert!(e.to_string().len() < 200);
    }

    #[test]
    fn kid_empty_non_digits_and_unicode_are_rejected() {
        assert_eq!(Kid::parse(""), Err(IdError::Empty { id: "KID" }));
        assert_eq!(Kid::parse("   "), Err(IdError::Empty { id: "KID" }));
        assert!(matches!(
            Kid::parse("12a44"),
            Err(IdError::Char {
                found: 'a',
                position: 3,
                ..
            })
        ));
        assert!(Kid::parse("١٢٣").is_err());
        assert!(Kid::parse("12-3").is_err());
        assert!(Kid::parse("-").is_err());
        assert!(Kid::parse("--").is_err());
        assert!(!kid_mod10_valid("١٢٣"));
        assert!(!kid_mod11_valid("١٢٣"));
        assert!(!kid_mod11_valid("1٣-"));
        assert!(Kid::with_mod11("١٢٣").is_err());
    }

    #[test]
    fn kid_mod10_dash_is_never_valid() {
        assert!(!kid_mod10_valid("1000005-"));
    }

    /// Every string with one character replaced by another digit (or `-` for
    /// the MOD11 check position).
    fn substitutions(s: &str, with_dash_at_end: bool) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in s.char_indices() {
            let last = i == s.len() - 1;
            let mut alts: Vec<char> = ('0'..='9').collect();
            if last && with_dash_at_end {
                alts.push('-');
            }
            for a in alts {
                if a != c {
                    let mut t = s.to_string();
                    t.replace_range(i..i + 1, &a.to_string());
                    out.push(t);
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn kid_mod10_built_always_parses(payload in "[0-9]{1,24}") {
            let k = Kid::with_mod10(&payload).unwrap();
            prop_assert!(kid_mod10_valid(k.as_str()));
            let p = Kid::parse(k.as_str()).unwrap();
            prop_assert_eq!(p.modulus(), Modulus::Mod10);
            prop_assert_eq!(p, k);
        }

        #[test]
        fn kid_mod11_built_always_parses(payload in "[0-9]{1,24}") {
            let k = Kid::with_mod11(&payload).unwrap();
            prop_assert!(kid_mod11_valid(k.as_str()));
            prop_assert!(Kid::parse(k.as_str()).is_ok());
        }

        #[test]
        fn kid_mod10_any_digit_substitution_is_rejected(payload in "[0-9]{1,24}") {
            let k = Kid::with_mod10(&payload).unwrap();
            for t in substitutions(k.as_str(), false) {
                prop_assert!(!kid_mod10_valid(&t), "{} from {}", t, k);
            }
        }

        #[test]
        fn kid_mod11_any_digit_substitution_is_rejected(payload in "[0-9]{1,24}") {
            let k = Kid::with_mod11(&payload).unwrap();
            for t in substitutions(k.as_str(), true) {
                prop_assert!(!kid_mod11_valid(&t), "{} from {}", t, k);
            }
        }

        #[test]
        fn kid_parse_never_panics(s in any::<String>()) {
            let _ = Kid::parse(&s);
            let _ = kid_mod10_valid(&s);
            let _ = kid_mod11_valid(&s);
        }

        #[test]
        fn kid_parse_never_panics_on_near_misses(s in "[0-9 \\-١٢]{0,30}") {
            if let Ok(k) = Kid::parse(&s) {
                prop_assert!(kid_mod10_valid(k.as_str()) || kid_mod11_valid(k.as_str()));
            }
        }
    }
}
