//! BIC (ISO 9362, "SWIFT code").
//!
//! 8 or 11 characters: 4 letters (bank), 2 letters (country), 2 letters or
//! digits (location), and optionally 3 letters or digits (branch).

use std::fmt;

use super::{IdError, shown, strip};

const ID: &str = "BIC";

/// A valid BIC, upper case.
///
/// ```
/// use kravia_invoice::payment::Bic;
/// let bic = Bic::parse("dnbanokk").unwrap();
/// assert_eq!(bic.as_str(), "DNBANOKK");
/// assert_eq!(bic.country_code(), "NO");
/// assert!(Bic::parse("DNB1NOKK").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bic(String);

impl Bic {
    /// Parses a BIC: trims, removes whitespace, upper-cases ASCII letters,
    /// then requires 8 or 11 characters of the form `AAAA CC LL [BBB]`
    /// (A, C letters; L, B letters or digits).
    ///
    /// ```
    /// use kravia_invoice::payment::Bic;
    /// assert!(Bic::parse("DNBANOKKXXX").is_ok());
    /// assert!(Bic::parse("DNBANOK").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Bic, IdError> {
        let v = strip(s, char::is_whitespace).to_ascii_uppercase();
        if v.is_empty() {
            return Err(IdError::Empty { id: ID });
        }
        for (i, c) in v.chars().enumerate() {
            let (ok, expected) = if i < 6 {
                (c.is_ascii_uppercase(), "a letter")
            } else {
                (
                    c.is_ascii_uppercase() || c.is_ascii_digit(),
                    "a letter or a digit",
                )
            };
            if !ok {
                return Err(IdError::Char {
                    id: ID,
                    value: shown(&v),
                    found: c,
                    position: i + 1,
                    expected,
                });
            }
        }
        if v.len() != 8 && v.len() != 11 {
            return Err(IdError::Length {
                id: ID,
                value: shown(&v),
                len: v.len(),
                expected: "8 or 11",
            });
        }
        Ok(Bic(v))
    }

    /// The BIC, upper case, no spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The four-letter bank code: `DNBA`.
    pub fn bank_code(&self) -> &str {
        &self.0[..4]
    }

    /// The two-letter country code: `NO`.
    pub fn country_code(&self) -> &str {
        &self.0[4..6]
    }

    /// The two-character location code: `KK`.
    pub fn location_code(&self) -> &str {
        &self.0[6..8]
    }

    /// The three-character branch code, when given: `XXX`.
    pub fn branch_code(&self) -> Option<&str> {
        self.0.get(8..11)
    }
}

impl fmt::Display for Bic {
    /// The BIC as it is written, upper case without spaces: `DNBANOKK`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Serialised as the BIC: `"DNBANOKK"`.
impl serde::Serialize for Bic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bic_published_vectors() {
        for ok in [
            "DNBANOKK",
            "NDEAFIHH",
            "ESSESESS",
            "DNBANOKKXXX",
            "BIENNOK1",
        ] {
            let b = Bic::parse(ok).unwrap();
            assert_eq!(b.to_string(), ok);
        }
        assert!(matches!(
            Bic::parse("DNBANOK"),
            Err(IdError::Length { len: 7, .. })
        ));
        assert!(matches!(
            Bic::parse("DNB1NOKK"),
            Err(IdError::Char {
                found: '1',
                position: 4,
                ..
            })
        ));
    }

    #[test]
    fn bic_parts() {
        let b = Bic::parse(" dnba no kk xxx ").unwrap();
        assert_eq!(b.as_str(), "DNBANOKKXXX");
        assert_eq!(b.bank_code(), "DNBA");
        assert_eq!(b.country_code(), "NO");
        assert_eq!(b.location_code(), "KK");
        assert_eq!(b.branch_code(), Some("XXX"));
        assert_eq!(Bic::parse("NDEAFIHH").unwrap().branch_code(), None);
    }

    #[test]
    fn bic_bad_input_is_rejected() {
        assert!(matches!(Bic::parse(""), Err(IdError::Empty { .. })));
        assert!(Bic::parse("DNBANOKKXX").is_err());
        assert!(Bic::parse("DNBANOKKXXXX").is_err());
        assert!(Bic::parse("DNBAN1KK").is_err());
        assert!(Bic::parse("DNBANOK-").is_err());
        assert!(Bic::parse("DNBANOKÅ").is_err());
        assert!(Bic::parse("١٢٣٤٥٦٧٨").is_err());
        assert!(Bic::parse(&"A".repeat(10_000)).is_err());
    }

    proptest! {
        #[test]
        fn bic_well_formed_always_parses(b in "[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?") {
            let bic = Bic::parse(&b).unwrap();
            prop_assert_eq!(bic.as_str(), b.as_str());
        }

        #[test]
        fn bic_parse_never_panics(s in any::<String>()) {
            let _ = Bic::parse(&s);
        }
    }
}
