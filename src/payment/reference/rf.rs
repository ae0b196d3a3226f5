//! The ISO 11649 creditor reference (RF), mod 97.

use std::fmt;

use crate::payment::check_digit::{mod97, mod97_check_digits};
use crate::payment::{IdError, group_left, shown, strip};

const RF_ID: &str = "RF reference";

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
pub struct RfReference(pub(super) String);

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
        if let Some(e) = crate::payment::non_digit(RF_ID, cd) {
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
