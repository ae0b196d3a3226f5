//! The Finnish reference number (viitenumero), 7-3-1 check digit.

use std::fmt;

use super::RfReference;
use crate::payment::check_digit::{fi_731_digit, mod97_check_digits, split_last_digit};
use crate::payment::{IdError, require_digits, shown, strip};

const FI_ID: &str = "Finnish reference";

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
pub struct FiReference(pub(super) String);

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
