//! Swedish Bankgiro and Plusgiro numbers.
//!
//! Both are digits whose last is a Luhn check over the whole number; a
//! Bankgiro number has 7 or 8 digits, a Plusgiro number 2 to 8.

use std::fmt;

use super::check_digit::{luhn_digit, split_last_digit};
use super::{IdError, require_digits, shown, strip};

const BG_ID: &str = "Bankgiro number";
const PG_ID: &str = "Plusgiro number";

/// Parses digits with hyphens and whitespace removed, of `min..=max` digits,
/// with a Luhn check digit.
fn parse_luhn(
    id: &'static str,
    s: &str,
    min: usize,
    max: usize,
    lengths: &'static str,
) -> Result<String, IdError> {
    let v = strip(s, |c| c == '-' || c.is_whitespace());
    require_digits(id, &v, min, max, lengths)?;
    let Some((payload, check)) = split_last_digit(&v) else {
        return Err(IdError::Empty { id });
    };
    let expected = luhn_digit(payload).unwrap_or(0);
    if expected != check {
        return Err(IdError::Check {
            id,
            value: shown(&v),
            detail: format!("Luhn (expects {expected})"),
        });
    }
    Ok(v)
}

/// A valid Swedish Bankgiro number: 7 or 8 digits, Luhn.
///
/// ```
/// use kravia_invoice::payment::Bankgiro;
/// let bg = Bankgiro::parse("5402-9681").unwrap();
/// assert_eq!(bg.as_str(), "54029681");
/// assert_eq!(bg.to_string(), "5402-9681");
/// assert!(Bankgiro::parse("5402-9682").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bankgiro(String);

impl Bankgiro {
    /// Parses a Bankgiro number: trims, removes hyphens and whitespace, then
    /// requires 7 or 8 ASCII digits with a Luhn check digit.
    ///
    /// ```
    /// use kravia_invoice::payment::Bankgiro;
    /// assert!(Bankgiro::parse("991-2346").is_ok());
    /// assert!(Bankgiro::parse("123-456").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Bankgiro, IdError> {
        parse_luhn(BG_ID, s, 7, 8, "7 or 8").map(Bankgiro)
    }

    /// The digits, without the hyphen.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bankgiro {
    /// Printed form, a hyphen before the last four digits: `5402-9681`,
    /// `991-2346`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.0.split_at(self.0.len() - 4);
        write!(f, "{a}-{b}")
    }
}

/// A valid Swedish Plusgiro number: 2 to 8 digits, Luhn.
///
/// ```
/// use kravia_invoice::payment::Plusgiro;
/// let pg = Plusgiro::parse("28 65 43-4").unwrap();
/// assert_eq!(pg.as_str(), "2865434");
/// assert_eq!(pg.to_string(), "28 65 43-4");
/// assert!(Plusgiro::parse("2865435").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Plusgiro(String);

impl Plusgiro {
    /// Parses a Plusgiro number: trims, removes hyphens and whitespace, then
    /// requires 2 to 8 ASCII digits with a Luhn check digit.
    ///
    /// ```
    /// use kravia_invoice::payment::Plusgiro;
    /// assert!(Plusgiro::parse("2865434").is_ok());
    /// assert!(Plusgiro::parse("123456789").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Plusgiro, IdError> {
        parse_luhn(PG_ID, s, 2, 8, "2 to 8").map(Plusgiro)
    }

    /// The digits, without spaces or hyphen.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Plusgiro {
    /// Printed form: pairs from the right, a hyphen before the check digit:
    /// `28 65 43-4`, `1 23-4`, `12-3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (body, check) = self.0.split_at(self.0.len() - 1);
        let head = body.len() % 2;
        let mut parts: Vec<&str> = Vec::new();
        if head > 0 {
            parts.push(&body[..head]);
        }
        let mut i = head;
        while i < body.len() {
            parts.push(&body[i..i + 2]);
            i += 2;
        }
        write!(f, "{}-{check}", parts.join(" "))
    }
}

/// Serialised in its printed form, `5402-9681`.
impl serde::Serialize for Bankgiro {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Serialised in its printed form, `28 65 43-4`.
impl serde::Serialize for Plusgiro {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::digit_substitutions;
    use proptest::prelude::*;

    #[test]
    fn bankgiro_published_vectors() {
        let bg = Bankgiro::parse("5402-9681").unwrap();
        assert_eq!(bg.to_string(), "5402-9681");
        assert_eq!(Bankgiro::parse("54029681").unwrap(), bg);
        let bg = Bankgiro::parse("991-2346").unwrap();
        assert_eq!(bg.to_string(), "991-2346");
        assert_eq!(bg.as_str(), "9912346");
        assert!(Bankgiro::parse("5536-7742").is_ok());
    }

    #[test]
    fn bankgiro_wrong_check_digit_is_rejected() {
        let e = Bankgiro::parse("5402-9682").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"Bankgiro number "54029682": check digit does not match Luhn (expects 1)"#
        );
    }

    #[test]
    fn bankgiro_bad_input_is_rejected() {
        assert!(matches!(Bankgiro::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(Bankgiro::parse("-"), Err(IdError::Empty { .. })));
        assert!(matches!(
            Bankgiro::parse("12345"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            Bankgiro::parse("123456789"),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            Bankgiro::parse("5402.9681"),
            Err(IdError::Char { .. })
        ));
        assert!(Bankgiro::parse("١٢٣٤-٥٦٧٨").is_err());
    }

    #[test]
    fn plusgiro_published_vectors() {
        let pg = Plusgiro::parse("2865434").unwrap();
        assert_eq!(pg.to_string(), "28 65 43-4");
        assert!(Plusgiro::parse("2865435").is_err());
    }

    #[test]
    fn plusgiro_display_for_each_length() {
        // Luhn-valid numbers of 2..=8 digits.
        for (n, shown) in [
            ("18", "1-8"),
            ("125", "12-5"),
            ("1230", "1 23-0"),
            ("12344", "12 34-4"),
            ("123455", "1 23 45-5"),
            ("2865434", "28 65 43-4"),
            ("12345674", "1 23 45 67-4"),
        ] {
            let pg = Plusgiro::parse(n).unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_eq!(pg.to_string(), shown);
            assert_eq!(Plusgiro::parse(shown).unwrap(), pg);
        }
    }

    #[test]
    fn plusgiro_bad_input_is_rejected() {
        assert!(matches!(Plusgiro::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(Plusgiro::parse("0"), Err(IdError::Length { .. })));
        assert!(matches!(
            Plusgiro::parse("28a5434"),
            Err(IdError::Char { .. })
        ));
        assert!(Plusgiro::parse("١٢").is_err());
    }

    proptest! {
        #[test]
        fn bankgiro_built_always_parses_and_substitutions_fail(payload in "[0-9]{6,7}") {
            let d = luhn_digit(&payload).unwrap();
            let s = format!("{payload}{d}");
            let bg = Bankgiro::parse(&s).unwrap();
            prop_assert_eq!(Bankgiro::parse(&bg.to_string()).unwrap(), bg);
            for t in digit_substitutions(&s) {
                prop_assert!(Bankgiro::parse(&t).is_err());
            }
        }

        #[test]
        fn plusgiro_built_always_parses_and_substitutions_fail(payload in "[0-9]{1,7}") {
            let d = luhn_digit(&payload).unwrap();
            let s = format!("{payload}{d}");
            let pg = Plusgiro::parse(&s).unwrap();
            prop_assert_eq!(Plusgiro::parse(&pg.to_string()).unwrap(), pg);
            for t in digit_substitutions(&s) {
                prop_assert!(Plusgiro::parse(&t).is_err());
            }
        }

        #[test]
        fn giro_parse_never_panics(s in any::<String>()) {
            let _ = Bankgiro::parse(&s);
            let _ = Plusgiro::parse(&s);
        }
    }
}
