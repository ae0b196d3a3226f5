//! Organisation numbers and the VAT numbers derived from them.
//!
//! * Norway (organisasjonsnummer): 9 digits, MOD11 with weights 3, 2, 7, 6, 5,
//!   4, 3, 2; shown `988 077 917`; VAT `NO988077917MVA`.
//! * Sweden (organisationsnummer): 10 digits, Luhn, third digit ≥ 2; or the
//!   12-digit form: `16` + a 10-digit organisation number, or `18`/`19`/`20` +
//!   a personnummer (sole traders; month 01–12 ⇒ third digit of the ten ≤ 1),
//!   Luhn on the last ten; shown `556677-8899` (the last ten); VAT `SE` + ten
//!   digits + `01`.
//! * Finland (Y-tunnus): 7 digits + check digit, weights 7, 9, 10, 5, 8, 4, 2,
//!   remainder 1 never issued; shown `1234567-8`; VAT `FI` + the 8 digits.
//! * Any other country: accepted as given (trimmed, not empty), unchecked.

use std::fmt;

use super::check_digit::{luhn_valid, mod11_digit_from_remainder, weighted_mod11};
use super::{IdError, require_digits, shown, strip};
use crate::country::Country;

const NO_ID: &str = "Norwegian organisation number";
const SE_ID: &str = "Swedish organisation number";
const FI_ID: &str = "Finnish business ID";
const OTHER_ID: &str = "organisation number";

const NO_WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
const FI_WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

/// A valid organisation number of a country.
///
/// ```
/// use kravia_invoice::Country;
/// use kravia_invoice::payment::OrgNumber;
/// let n = OrgNumber::parse(Country::No, "988 077 917").unwrap();
/// assert_eq!(n.to_string(), "988 077 917");
/// assert_eq!(n.vat_number().as_deref(), Some("NO988077917MVA"));
/// assert!(OrgNumber::parse(Country::No, "988077918").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrgNumber {
    country: Country,
    digits: String,
}

impl OrgNumber {
    /// Parses the organisation number of `country`: trims and removes spaces
    /// and hyphens (for NO, SE and FI), then applies that country's rule (see
    /// the module docs). Other countries' numbers are kept as given, trimmed.
    ///
    /// ```
    /// use kravia_invoice::Country;
    /// use kravia_invoice::payment::OrgNumber;
    /// assert!(OrgNumber::parse(Country::Se, "556036-0793").is_ok());
    /// assert!(OrgNumber::parse(Country::Se, "850730-1234").is_err());
    /// assert!(OrgNumber::parse(Country::Fi, "2077474-0").is_ok());
    /// assert!(OrgNumber::parse(Country::Fi, "2077474-1").is_err());
    /// ```
    pub fn parse(country: Country, s: &str) -> Result<OrgNumber, IdError> {
        let digits = match country {
            Country::No => parse_no(s)?,
            Country::Se => parse_se(s)?,
            Country::Fi => parse_fi(s)?,
            Country::Other(_) => {
                let v = s.trim();
                if v.is_empty() {
                    return Err(IdError::Empty { id: OTHER_ID });
                }
                v.to_string()
            }
        };
        Ok(OrgNumber { country, digits })
    }

    /// The country whose rule the number passed.
    pub fn country(&self) -> Country {
        self.country
    }

    /// The number without separators: NO 9 digits, SE 10 or 12 digits as
    /// given, FI 8 digits; other countries as given (trimmed).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The VAT number: NO `NO` + 9 digits + `MVA`, SE `SE` + the 10-digit
    /// number + `01`, FI `FI` + 8 digits; `None` for other countries.
    ///
    /// ```
    /// use kravia_invoice::Country;
    /// use kravia_invoice::payment::OrgNumber;
    /// let n = OrgNumber::parse(Country::Se, "165560360793").unwrap();
    /// assert_eq!(n.vat_number().as_deref(), Some("SE556036079301"));
    /// ```
    pub fn vat_number(&self) -> Option<String> {
        match self.country {
            Country::No => Some(format!("NO{}MVA", self.digits)),
            Country::Se => Some(format!("SE{}01", self.last_ten())),
            Country::Fi => Some(format!("FI{}", self.digits)),
            Country::Other(_) => None,
        }
    }

    /// The last ten digits of a Swedish number (the whole of anything else).
    fn last_ten(&self) -> &str {
        let n = self.digits.len();
        if self.country == Country::Se && n == 12 {
            &self.digits[2..]
        } else {
            &self.digits
        }
    }
}

impl fmt::Display for OrgNumber {
    /// NO `988 077 917`, SE `556677-8899` (the last ten digits), FI
    /// `1234567-8`, others as given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.digits;
        match self.country {
            Country::No => write!(f, "{} {} {}", &d[..3], &d[3..6], &d[6..]),
            Country::Se => {
                let t = self.last_ten();
                write!(f, "{}-{}", &t[..6], &t[6..])
            }
            Country::Fi => write!(f, "{}-{}", &d[..7], &d[7..]),
            Country::Other(_) => f.write_str(d),
        }
    }
}

fn separators(c: char) -> bool {
    c == '-' || c.is_whitespace()
}

fn parse_no(s: &str) -> Result<String, IdError> {
    let v = strip(s, separators);
    require_digits(NO_ID, &v, 9, 9, "9")?;
    let expected = weighted_mod11(&v[..8], &NO_WEIGHTS).and_then(mod11_digit_from_remainder);
    match expected {
        Some(d) if d == v.as_bytes()[8] - b'0' => Ok(v),
        Some(d) => Err(IdError::Check {
            id: NO_ID,
            value: v,
            detail: format!("MOD11 (expects {d})"),
        }),
        None => Err(IdError::Invalid {
            id: NO_ID,
            value: v,
            reason: "no such number can exist (MOD11 remainder 1)".to_string(),
        }),
    }
}

fn parse_se(s: &str) -> Result<String, IdError> {
    let v = strip(s, separators);
    require_digits(SE_ID, &v, 10, 12, "10 or 12")?;
    let ten = match v.len() {
        10 => {
            if v.as_bytes()[2] < b'2' {
                return Err(IdError::Invalid {
                    id: SE_ID,
                    value: v,
                    reason: "third digit must be 2 or more".to_string(),
                });
            }
            &v[..]
        }
        12 => {
            let ten = &v[2..];
            let third = ten.as_bytes()[2];
            match &v[..2] {
                "16" if third >= b'2' => ten,
                "16" => {
                    return Err(IdError::Invalid {
                        id: SE_ID,
                        value: v,
                        reason: "after 16 the third digit must be 2 or more".to_string(),
                    });
                }
                "18" | "19" | "20" if third <= b'1' => ten,
                "18" | "19" | "20" => {
                    return Err(IdError::Invalid {
                        id: SE_ID,
                        value: v,
                        reason: "after 18, 19 or 20 a personnummer must follow (month 01 to 12)"
                            .to_string(),
                    });
                }
                _ => {
                    return Err(IdError::Invalid {
                        id: SE_ID,
                        value: v,
                        reason: "a 12-digit number must start with 16, 18, 19 or 20".to_string(),
                    });
                }
            }
        }
        n => {
            return Err(IdError::Length {
                id: SE_ID,
                value: v,
                len: n,
                expected: "10 or 12",
            });
        }
    };
    if !luhn_valid(ten) {
        let expected = super::check_digit::luhn_digit(&ten[..9]).unwrap_or(0);
        return Err(IdError::Check {
            id: SE_ID,
            value: shown(&v),
            detail: format!("Luhn (expects {expected})"),
        });
    }
    Ok(v)
}

fn parse_fi(s: &str) -> Result<String, IdError> {
    let v = strip(s, separators);
    require_digits(FI_ID, &v, 8, 8, "8 (7 + check digit)")?;
    let expected = weighted_mod11(&v[..7], &FI_WEIGHTS).and_then(mod11_digit_from_remainder);
    match expected {
        Some(d) if d == v.as_bytes()[7] - b'0' => Ok(v),
        Some(d) => Err(IdError::Check {
            id: FI_ID,
            value: v,
            detail: format!("MOD11 (expects {d})"),
        }),
        None => Err(IdError::Invalid {
            id: FI_ID,
            value: v,
            reason: "never issued (MOD11 remainder 1)".to_string(),
        }),
    }
}

/// Serialised as its digits.
impl serde::Serialize for OrgNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::check_digit::luhn_digit;
    use crate::payment::digit_substitutions;
    use proptest::prelude::*;

    #[test]
    fn no_org_number_published_vectors() {
        for ok in ["988077917", "123456785", "995525828", "995 525 828"] {
            assert!(OrgNumber::parse(Country::No, ok).is_ok(), "{ok}");
        }
        // The CONTRACT's brand example is only a placeholder: its check digit
        // would be 5 (python-stdnum agrees).
        assert!(OrgNumber::parse(Country::No, "998877665").is_err());
        let e = OrgNumber::parse(Country::No, "988077918").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"Norwegian organisation number "988077918": check digit does not match MOD11 (expects 7)"#
        );
        let n = OrgNumber::parse(Country::No, "995525828").unwrap();
        assert_eq!(n.to_string(), "995 525 828");
        assert_eq!(n.digits(), "995525828");
        assert_eq!(n.country(), Country::No);
        assert_eq!(n.vat_number().as_deref(), Some("NO995525828MVA"));
    }

    #[test]
    fn se_org_number_published_vectors() {
        for ok in [
            "556036-0793",
            "5560360793",
            "165560360793",
            "16556036-0793",
            "212000-0142",
            "1234567897",
        ] {
            assert!(OrgNumber::parse(Country::Se, ok).is_ok(), "{ok}");
        }
        for bad in ["556036-0794", "195560360793", "850730-1234"] {
            assert!(OrgNumber::parse(Country::Se, bad).is_err(), "{bad}");
        }
        let n = OrgNumber::parse(Country::Se, "556036-0793").unwrap();
        assert_eq!(n.to_string(), "556036-0793");
        assert_eq!(n.digits(), "5560360793");
        assert_eq!(n.vat_number().as_deref(), Some("SE556036079301"));
        let n = OrgNumber::parse(Country::Se, "165560360793").unwrap();
        assert_eq!(n.to_string(), "556036-0793");
        assert_eq!(n.digits(), "165560360793");
    }

    #[test]
    fn se_org_number_twelve_digit_personnummer_is_accepted() {
        // 19 + a personnummer (sole trader): month 08, Luhn over the last ten.
        let ten = format!("811218987{}", luhn_digit("811218987").unwrap());
        let n = OrgNumber::parse(Country::Se, &format!("19{ten}")).unwrap();
        assert_eq!(n.to_string(), format!("{}-{}", &ten[..6], &ten[6..]));
        // A ten-digit personnummer alone is not an organisation number.
        assert!(OrgNumber::parse(Country::Se, &ten).is_err());
        // 17 is no century prefix.
        assert!(OrgNumber::parse(Country::Se, "175560360793").is_err());
        // 16 + a personnummer-like number is not a legal person.
        assert!(OrgNumber::parse(Country::Se, &format!("16{ten}")).is_err());
        assert!(OrgNumber::parse(Country::Se, "55603607931").is_err());
    }

    #[test]
    fn fi_business_id_published_vectors() {
        for ok in ["2077474-0", "0112038-9", "1572860-0", "20774740"] {
            assert!(OrgNumber::parse(Country::Fi, ok).is_ok(), "{ok}");
        }
        assert!(OrgNumber::parse(Country::Fi, "2077474-1").is_err());
        let n = OrgNumber::parse(Country::Fi, "2077474-0").unwrap();
        assert_eq!(n.to_string(), "2077474-0");
        assert_eq!(n.digits(), "20774740");
        assert_eq!(n.vat_number().as_deref(), Some("FI20774740"));
    }

    #[test]
    fn other_country_is_accepted_as_given() {
        let dk = Country::parse("DK").unwrap();
        let n = OrgNumber::parse(dk, "  DK 12345678 ").unwrap();
        assert_eq!(n.digits(), "DK 12345678");
        assert_eq!(n.to_string(), "DK 12345678");
        assert_eq!(n.vat_number(), None);
        assert!(matches!(
            OrgNumber::parse(dk, "  "),
            Err(IdError::Empty { .. })
        ));
    }

    #[test]
    fn org_number_bad_input_is_rejected() {
        for c in [Country::No, Country::Se, Country::Fi] {
            assert!(matches!(
                OrgNumber::parse(c, ""),
                Err(IdError::Empty { .. })
            ));
            assert!(OrgNumber::parse(c, "١٢٣٤٥٦٧٨٩").is_err());
            assert!(OrgNumber::parse(c, "12345678a").is_err());
            assert!(OrgNumber::parse(c, &"1".repeat(100)).is_err());
            assert!(OrgNumber::parse(c, "1234").is_err());
        }
        assert!(OrgNumber::parse(Country::No, "NO998877665MVA").is_err());
        assert!(OrgNumber::parse(Country::Se, "55603607").is_err());
        assert!(OrgNumber::parse(Country::Fi, "207747-40").is_ok());
    }

    #[test]
    fn no_org_number_remainder_one_is_rejected() {
        let base = (0..1000u32)
            .map(|i| format!("12345{i:03}"))
            .find(|b| weighted_mod11(b, &NO_WEIGHTS) == Some(1))
            .unwrap();
        for d in 0..=9 {
            let e = OrgNumber::parse(Country::No, &format!("{base}{d}")).unwrap_err();
            assert!(matches!(e, IdError::Invalid { .. }), "{e}");
        }
    }

    fn build_no(first8: &str) -> Option<String> {
        let d = weighted_mod11(first8, &NO_WEIGHTS).and_then(mod11_digit_from_remainder)?;
        Some(format!("{first8}{d}"))
    }

    fn build_fi(first7: &str) -> Option<String> {
        let d = weighted_mod11(first7, &FI_WEIGHTS).and_then(mod11_digit_from_remainder)?;
        Some(format!("{first7}{d}"))
    }

    proptest! {
        #[test]
        fn no_org_number_built_parses_and_substitutions_fail(first8 in "[0-9]{8}") {
            if let Some(n) = build_no(&first8) {
                let o = OrgNumber::parse(Country::No, &n).unwrap();
                prop_assert_eq!(OrgNumber::parse(Country::No, &o.to_string()).unwrap(), o);
                for t in digit_substitutions(&n) {
                    prop_assert!(OrgNumber::parse(Country::No, &t).is_err(), "{} from {}", t, n);
                }
            }
        }

        #[test]
        fn se_org_number_built_parses_and_substitutions_fail(first9 in "[0-9]{2}[2-9][0-9]{6}") {
            let n = format!("{first9}{}", luhn_digit(&first9).unwrap());
            let o = OrgNumber::parse(Country::Se, &n).unwrap();
            prop_assert_eq!(OrgNumber::parse(Country::Se, &o.to_string()).unwrap(), o);
            let sixteen = format!("16{n}");
            prop_assert!(OrgNumber::parse(Country::Se, &sixteen).is_ok());
            for t in digit_substitutions(&n) {
                prop_assert!(OrgNumber::parse(Country::Se, &t).is_err(), "{} from {}", t, n);
            }
        }

        #[test]
        fn fi_business_id_built_parses_and_substitutions_fail(first7 in "[0-9]{7}") {
            if let Some(n) = build_fi(&first7) {
                let o = OrgNumber::parse(Country::Fi, &n).unwrap();
                prop_assert_eq!(OrgNumber::parse(Country::Fi, &o.to_string()).unwrap(), o);
                for t in digit_substitutions(&n) {
                    prop_assert!(OrgNumber::parse(Country::Fi, &t).is_err(), "{} from {}", t, n);
                }
            }
        }

        #[test]
        fn org_number_parse_never_panics(s in any::<String>()) {
            for c in [Country::No, Country::Se, Country::Fi, Country::Other(*b"DK")] {
                let _ = OrgNumber::parse(c, &s);
            }
        }
    }
}
