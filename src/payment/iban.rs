//! IBAN (ISO 13616).
//!
//! Validation: ASCII letters and digits only, a two-letter country code, two
//! check digits, a BBAN whose length and character classes match that
//! country's entry in the SWIFT IBAN registry (via the `iban_validate` crate,
//! generated from the registry: all SEPA countries, the Nordics, GB, CH and the
//! rest), MOD 97-10 = 1, and for Norway also the MOD11 check of the embedded
//! account number.

use std::fmt;

use super::bban::NoAccount;
use super::check_digit::{mod97, mod97_check_digits};
use super::{IdError, group_left, shown, strip};
use crate::country::Country;

const ID: &str = "IBAN";

/// A valid IBAN, kept in electronic form (no spaces, upper case).
///
/// ```
/// use kravia_invoice::payment::Iban;
/// let iban = Iban::parse("no93 8601 1117 947").unwrap();
/// assert_eq!(iban.electronic(), "NO9386011117947");
/// assert_eq!(iban.to_string(), "NO93 8601 1117 947");
/// assert!(Iban::parse("FI2112345600000786").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Iban {
    value: String,
    country: Country,
}

impl Iban {
    /// Parses an IBAN: trims, removes whitespace, upper-cases ASCII letters,
    /// then checks the country's length and BBAN structure, the MOD 97-10
    /// check digits (02–98) and, for NO, the account number's MOD11.
    ///
    /// ```
    /// use kravia_invoice::payment::Iban;
    /// assert!(Iban::parse("SE45 5000 0000 0583 9825 7466").is_ok());
    /// assert!(Iban::parse("NO93 8601 1117 94").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Iban, IdError> {
        let v = strip(s, char::is_whitespace).to_ascii_uppercase();
        if v.is_empty() {
            return Err(IdError::Empty { id: ID });
        }
        if let Some((i, c)) = v
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_alphanumeric())
        {
            return Err(IdError::Char {
                id: ID,
                value: shown(&v),
                found: c,
                position: i + 1,
                expected: "a letter or a digit",
            });
        }
        // ASCII from here on.
        if v.len() < 5 || v.len() > 34 {
            return Err(IdError::Length {
                id: ID,
                value: shown(&v),
                len: v.len(),
                expected: "5 to 34",
            });
        }
        let b = v.as_bytes();
        if !b[0].is_ascii_alphabetic() || !b[1].is_ascii_alphabetic() {
            return Err(invalid(&v, "does not start with a two-letter country code"));
        }
        if !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
            return Err(invalid(
                &v,
                "the 3rd and 4th characters must be check digits",
            ));
        }
        let (cc, rest) = v.split_at(2);
        let (cd, bban) = rest.split_at(2);
        let expected = mod97_check_digits(cc, bban).unwrap_or(0);
        check_structure(&v, cc, bban, expected)?;
        let valid = mod97(&format!("{bban}{cc}{cd}")) == Some(1);
        if !valid || !(2..=98).contains(&cd.parse::<u32>().unwrap_or(0)) {
            return Err(IdError::Check {
                id: ID,
                value: v,
                detail: format!("MOD 97-10 (expects {expected:02})"),
            });
        }
        if cc == "NO"
            && let Err(e) = NoAccount::parse(bban)
        {
            return Err(invalid(&v, &format!("embedded account number: {e}")));
        }
        let country = Country::parse(cc).unwrap_or(Country::Other([b[0], b[1]]));
        Ok(Iban { value: v, country })
    }

    /// Builds an IBAN from a country code and a BBAN (whitespace, dots and
    /// hyphens removed, letters upper-cased) by computing the check digits;
    /// the result is then validated like [`Iban::parse`].
    ///
    /// ```
    /// use kravia_invoice::payment::Iban;
    /// assert_eq!(Iban::from_bban("NO", "8601.11.17947").unwrap().electronic(), "NO9386011117947");
    /// assert!(Iban::from_bban("NO", "86011117949").is_err());
    /// ```
    pub fn from_bban(country_code: &str, bban: &str) -> Result<Iban, IdError> {
        let cc = country_code.trim().to_ascii_uppercase();
        let b = strip(bban, |c| c == '.' || c == '-' || c.is_whitespace()).to_ascii_uppercase();
        if cc.len() != 2 || !cc.bytes().all(|c| c.is_ascii_uppercase()) {
            return Err(invalid(&cc, "is not a two-letter country code"));
        }
        if b.is_empty() {
            return Err(IdError::Empty { id: ID });
        }
        match mod97_check_digits(&cc, &b) {
            Some(cd) => Iban::parse(&format!("{cc}{cd:02}{b}")),
            None => Iban::parse(&format!("{cc}00{b}")),
        }
    }

    /// The country of the IBAN (its first two letters).
    pub fn country(&self) -> Country {
        self.country
    }

    /// The two check digits: `93`.
    pub fn check_digits(&self) -> &str {
        &self.value[2..4]
    }

    /// The BBAN, the domestic account number after the check digits:
    /// `86011117947`.
    pub fn bban(&self) -> &str {
        &self.value[4..]
    }

    /// The electronic form, no spaces: `NO9386011117947`.
    pub fn electronic(&self) -> &str {
        &self.value
    }

    /// Whether this IBAN's BBAN is the account number `bban`, once both are
    /// reduced to ASCII letters and digits (case-insensitive). Used for the
    /// `iban_account_mismatch` check.
    ///
    /// ```
    /// use kravia_invoice::payment::Iban;
    /// let iban = Iban::parse("NO7315039966678").unwrap();
    /// assert!(iban.carries_bban("1503.99.66678"));
    /// assert!(!iban.carries_bban("1503.60.12347"));
    /// ```
    pub fn carries_bban(&self, bban: &str) -> bool {
        let given = bban
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase());
        self.bban().chars().eq(given)
    }
}

impl fmt::Display for Iban {
    /// The paper form: groups of four, `NO93 8601 1117 947`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&group_left(&self.value, 4))
    }
}

fn invalid(v: &str, reason: &str) -> IdError {
    IdError::Invalid {
        id: ID,
        value: shown(v),
        reason: reason.to_string(),
    }
}

/// Checks the country code and the BBAN's length and structure against the
/// IBAN registry, independently of the check digits (it asks `iban_validate`
/// about the same BBAN with correct check digits).
fn check_structure(v: &str, cc: &str, bban: &str, expected: u32) -> Result<(), IdError> {
    let corrected = format!("{cc}{expected:02}{bban}");
    match corrected.parse::<::iban::Iban>() {
        Ok(_) => Ok(()),
        Err(::iban::ParseIbanError::UnknownCountry(_)) => Err(invalid(
            v,
            &format!("unknown country code {cc} (not in the IBAN registry)"),
        )),
        Err(_) => Err(invalid(
            v,
            &format!(
                "{} characters do not match the {cc} IBAN format of the IBAN registry",
                v.len()
            ),
        )),
    }
}

/// Serialised in electronic form, without spaces.
impl serde::Serialize for Iban {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.electronic())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::digit_substitutions;
    use proptest::prelude::*;

    #[test]
    fn iban_published_vectors() {
        for ok in [
            "FI2112345600000785",
            "SE4550000000058398257466",
            "DE89370400440532013000",
            "NO9386011117947",
            "FI2912367300207619",
            "SE3550000000054910000003",
            "NO7315039966678",
            "FI79 4405 2020 0360 82",
            "FI58 1017 1000 0001 22",
            "FI02 5000 4640 0013 02",
            "FI37 1590 3000 0007 76",
            "GB29 NWBK 6016 1331 9268 19",
            "CH93 0076 2011 6238 5295 7",
            "DK50 0040 0440 1162 43",
            "IS14 0159 2600 7654 5510 7303 39",
        ] {
            assert!(Iban::parse(ok).is_ok(), "{ok}: {:?}", Iban::parse(ok));
        }
    }

    #[test]
    fn iban_accessors_and_display() {
        let i = Iban::parse("NO9386011117947").unwrap();
        assert_eq!(i.country(), Country::No);
        assert_eq!(i.check_digits(), "93");
        assert_eq!(i.bban(), "86011117947");
        assert_eq!(i.to_string(), "NO93 8601 1117 947");
        let i = Iban::parse("de89 3704 0044 0532 0130 00").unwrap();
        assert_eq!(i.country(), Country::Other(*b"DE"));
        assert_eq!(i.electronic(), "DE89370400440532013000");
        assert_eq!(i.to_string(), "DE89 3704 0044 0532 0130 00");
        assert_eq!(
            Iban::parse("FI2112345600000785").unwrap().country(),
            Country::Fi
        );
        assert_eq!(
            Iban::parse("SE4550000000058398257466").unwrap().country(),
            Country::Se
        );
    }

    #[test]
    fn iban_from_bban_builds_check_digits() {
        assert_eq!(
            Iban::from_bban("NO", "86011117947").unwrap().electronic(),
            "NO9386011117947"
        );
        assert_eq!(
            Iban::from_bban("fi", "12345600000785")
                .unwrap()
                .electronic(),
            "FI2112345600000785"
        );
        assert_eq!(
            Iban::from_bban("GB", "nwbk60161331926819")
                .unwrap()
                .electronic(),
            "GB29NWBK60161331926819"
        );
        assert!(Iban::from_bban("NO", "8601111794").is_err());
        assert!(Iban::from_bban("XX", "123456").is_err());
        assert!(Iban::from_bban("N", "86011117947").is_err());
        assert!(Iban::from_bban("NO", "").is_err());
        assert!(Iban::from_bban("NO", "ÆØÅ").is_err());
    }

    #[test]
    fn iban_carries_bban_examples() {
        let fi = Iban::parse("FI2912367300207619").unwrap();
        assert!(fi.carries_bban("12367300207619"));
        assert!(fi.carries_bban("1236 7300 2076 19"));
        assert!(!fi.carries_bban("12367300207618"));
        assert!(!fi.carries_bban("1236730020761"));
        let se = Iban::parse("SE3550000000054910000003").unwrap();
        assert!(se.carries_bban("50000000054910000003"));
        assert!(!se.carries_bban("5491-0000003"));
        let no = Iban::parse("NO7315039966678").unwrap();
        assert!(no.carries_bban("15039966678"));
        assert!(no.carries_bban("1503.99.66678"));
        assert!(!no.carries_bban(""));
        let gb = Iban::parse("GB29NWBK60161331926819").unwrap();
        assert!(gb.carries_bban("nwbk 6016 1331 9268 19"));
    }

    #[test]
    fn iban_wrong_check_digits_are_rejected() {
        let e = Iban::parse("FI2112345600000786").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"IBAN "FI2112345600000786": check digit does not match MOD 97-10 (expects 91)"#
        );
    }

    #[test]
    fn iban_no_with_bad_account_check_is_rejected() {
        // mod 97 is fine, the account's MOD11 is not (stdnum's example).
        let e = Iban::parse("NO23 8601 1117 946").unwrap_err();
        assert!(matches!(e, IdError::Invalid { .. }), "{e}");
        assert!(e.to_string().contains("embedded account number"), "{e}");
    }

    #[test]
    fn iban_wrong_length_for_country_is_rejected() {
        let e = Iban::parse("NO938601111794").unwrap_err();
        assert!(e.to_string().contains("NO IBAN format"), "{e}");
        // A Finnish BBAN must be digits.
        assert!(Iban::parse("FI21 1234 5600 000A 85").is_err());
        assert!(Iban::parse("SE455000000005839825746").is_err());
    }

    #[test]
    fn iban_bad_input_is_rejected() {
        assert!(matches!(Iban::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(Iban::parse("NO9"), Err(IdError::Length { .. })));
        assert!(matches!(
            Iban::parse(&"A".repeat(35)),
            Err(IdError::Length { .. })
        ));
        assert!(matches!(
            Iban::parse("NO93-8601"),
            Err(IdError::Char { .. })
        ));
        assert!(matches!(
            Iban::parse("1293860111179"),
            Err(IdError::Invalid { .. })
        ));
        assert!(matches!(
            Iban::parse("NOA386011117947"),
            Err(IdError::Invalid { .. })
        ));
        assert!(matches!(
            Iban::parse("XX9386011117947"),
            Err(IdError::Invalid { .. })
        ));
        assert!(Iban::parse("NO٩٣86011117947").is_err());
        assert!(Iban::parse(&"NO93".repeat(10_000)).is_err());
    }

    #[test]
    fn iban_check_digits_outside_02_98_are_rejected() {
        // Find a BBAN whose canonical check digits are 98, so 01 is also valid
        // mod 97, and make sure 01 is refused.
        let bban = (0..10_000u32)
            .map(|i| format!("{i:014}"))
            .find(|b| mod97_check_digits("FI", b) == Some(98))
            .unwrap();
        assert!(Iban::parse(&format!("FI98{bban}")).is_ok());
        assert_eq!(mod97(&format!("{bban}FI01")), Some(1));
        assert!(Iban::parse(&format!("FI01{bban}")).is_err());
    }

    fn bban_strategy() -> impl Strategy<Value = (String, String)> {
        prop_oneof![
            "[0-9]{10}".prop_filter_map("no check digit", |p| NoAccount::with_check(&p)
                .ok()
                .map(|a| ("NO".to_string(), a.as_str().to_string()))),
            "[0-9]{14}".prop_map(|b| ("FI".to_string(), b)),
            "[0-9]{20}".prop_map(|b| ("SE".to_string(), b)),
            "[0-9]{18}".prop_map(|b| ("DE".to_string(), b)),
            "[0-9]{14}".prop_map(|b| ("DK".to_string(), b)),
            "[A-Z]{4}[0-9]{14}".prop_map(|b| ("GB".to_string(), b)),
            "[0-9]{5}[0-9A-Z]{12}".prop_map(|b| ("CH".to_string(), b)),
        ]
    }

    proptest! {
        #[test]
        fn iban_built_always_parses((cc, bban) in bban_strategy()) {
            let i = Iban::from_bban(&cc, &bban).unwrap();
            prop_assert_eq!(i.bban(), bban.as_str());
            prop_assert!(i.carries_bban(&bban));
            prop_assert_eq!(Iban::parse(i.electronic()).unwrap(), i.clone());
            prop_assert_eq!(Iban::parse(&i.to_string()).unwrap(), i);
        }

        #[test]
        fn iban_any_digit_substitution_is_rejected((cc, bban) in bban_strategy()) {
            let i = Iban::from_bban(&cc, &bban).unwrap();
            for t in digit_substitutions(i.electronic()) {
                prop_assert!(Iban::parse(&t).is_err(), "{} from {}", t, i.electronic());
            }
        }

        #[test]
        fn iban_parse_never_panics(s in any::<String>()) {
            let _ = Iban::parse(&s);
            let _ = Iban::from_bban(&s, &s);
        }
    }
}
