//! Payment identifiers and payment codes: pure functions, no I/O.
//!
//! Every Nordic identifier an invoice carries has a type here with the same trio
//! (see `shared/notes/style-anchors.md` §3):
//!
//! * `parse` validates and normalises input (trims, drops the separators people
//!   type) and is the only way to get a value, so a value of the type is always
//!   valid;
//! * `Display` writes the national printed form, `as_str` the electronic form;
//! * a check-digit builder (`with_mod10`, `with_check`, `from_body`, …) that makes
//!   a valid number from its payload, used by property tests and by anyone who
//!   issues references.
//!
//! | type | scheme |
//! |---|---|
//! | [`Kid`] | Norwegian KID, MOD10 or MOD11 |
//! | [`Ocr`] | Swedish OCR number, Luhn |
//! | [`FiReference`] | Finnish reference number (viitenumero), 7-3-1 |
//! | [`RfReference`] | ISO 11649 creditor reference |
//! | [`Reference`] | the payment reference of an invoice, by currency |
//! | [`NoAccount`] | Norwegian account number (BBAN), MOD11 |
//! | [`Bankgiro`], [`Plusgiro`] | Swedish giro numbers, Luhn |
//! | [`Iban`] | ISO 13616 IBAN, per-country structure from the IBAN registry |
//! | [`Bic`] | ISO 9362 BIC |
//! | [`OrgNumber`] | NO / SE / FI organisation numbers and VAT numbers |
//!
//! Payment codes built from them: the EPC QR payload ([`EpcTransfer`]), the
//! Swedish UsingQR payload ([`SeQr`]), the Finnish virtual bank barcode
//! ([`virtual_barcode()`]) with its Code 128 subset C bars ([`code128c_bars`]),
//! and a QR matrix encoder ([`qr::encode`]).
//!
//! Every parser and builder fails with an [`IdError`] whose message names the
//! identifier, shows the value and says what is wrong.

pub mod bban;
pub mod bic;
pub mod check_digit;
pub mod code128;
pub mod epc_qr;
pub mod giro;
pub mod iban;
pub mod kid;
pub mod ocr;
pub mod org_number;
pub mod qr;
pub mod reference;
pub mod se_qr;
pub mod virtual_barcode;

pub use bban::NoAccount;
pub use bic::Bic;
pub use code128::{Bar, code128c_bars, code128c_symbols};
pub use epc_qr::EpcTransfer;
pub use giro::{Bankgiro, Plusgiro};
pub use iban::Iban;
pub use kid::{Kid, Modulus};
pub use ocr::Ocr;
pub use org_number::OrgNumber;
pub use qr::{Ec, QrMatrix};
pub use reference::{FiReference, Reference, RfReference};
pub use se_qr::{SePaymentAccount, SeQr};
pub use virtual_barcode::virtual_barcode;

/// Why an identifier or a payment payload was rejected.
///
/// Messages are lower-case, name the identifier, show the offending value (cut
/// to 40 characters) and say what is wrong:
///
/// ```
/// use kravia_invoice::payment::Kid;
/// let err = Kid::parse("00307543497").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"KID "00307543497": check digit does not match MOD10 (expects 6) or MOD11 (expects 4)"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Nothing but whitespace or separators was given.
    #[error("{id} is empty")]
    Empty {
        /// The identifier, such as `"KID"`.
        id: &'static str,
    },
    /// The input has a character the identifier does not allow.
    #[error(
        "{id} {value:?}: {found:?} at position {position} is not allowed (expected {expected})"
    )]
    Char {
        /// The identifier, such as `"KID"`.
        id: &'static str,
        /// The offending input (normalised, cut to 40 characters).
        value: String,
        /// The character that is not allowed.
        found: char,
        /// Its 1-based position in `value`.
        position: usize,
        /// What is allowed there, such as `"a digit"`.
        expected: &'static str,
    },
    /// The input has the wrong number of characters.
    #[error("{id} {value:?}: {len} characters, expected {expected}")]
    Length {
        /// The identifier, such as `"KID"`.
        id: &'static str,
        /// The offending input (normalised, cut to 40 characters).
        value: String,
        /// Its length in characters.
        len: usize,
        /// The allowed lengths, such as `"2 to 25"`.
        expected: &'static str,
    },
    /// The check digit (or check digits) do not match.
    #[error("{id} {value:?}: check digit does not match {detail}")]
    Check {
        /// The identifier, such as `"KID"`.
        id: &'static str,
        /// The offending input (normalised, cut to 40 characters).
        value: String,
        /// Which scheme and what it expects, such as `"MOD11 (expects 5)"`.
        detail: String,
    },
    /// Any other structural problem (unknown country, a payload with no
    /// possible check digit, a reference of the wrong kind, …).
    #[error("{id} {value:?}: {reason}")]
    Invalid {
        /// The identifier, such as `"IBAN"`.
        id: &'static str,
        /// The offending input (normalised, cut to 40 characters).
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// A payment payload (EPC QR, UsingQR, virtual barcode, Code 128, QR
    /// matrix) cannot be built from the given data.
    #[error("{payload}: {reason}")]
    Payload {
        /// The payload, such as `"EPC QR"`.
        payload: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// The longest value an error message shows, in characters.
const SHOWN_MAX: usize = 40;

/// A value as shown in an error message: cut to [`SHOWN_MAX`] characters.
pub(crate) fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN_MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// `s` trimmed and without any of the characters for which `drop` is true.
pub(crate) fn strip(s: &str, drop: impl Fn(char) -> bool) -> String {
    s.trim().chars().filter(|&c| !drop(c)).collect()
}

/// The first character of `s` that is not an ASCII digit, as a [`IdError::Char`].
pub(crate) fn non_digit(id: &'static str, s: &str) -> Option<IdError> {
    s.chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, c)| IdError::Char {
            id,
            value: shown(s),
            found: c,
            position: i + 1,
            expected: "a digit",
        })
}

/// Checks that `s` is only ASCII digits and `min..=max` long.
pub(crate) fn require_digits(
    id: &'static str,
    s: &str,
    min: usize,
    max: usize,
    expected: &'static str,
) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty { id });
    }
    if let Some(e) = non_digit(id, s) {
        return Err(e);
    }
    // All ASCII now: bytes are characters.
    if s.len() < min || s.len() > max {
        return Err(IdError::Length {
            id,
            value: shown(s),
            len: s.len(),
            expected,
        });
    }
    Ok(())
}

/// Groups `s` in chunks of `n` characters from the left, separated by a space.
/// `s` must be ASCII.
pub(crate) fn group_left(s: &str, n: usize) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / n);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && i % n == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Every string made from `s` by replacing one ASCII digit with another digit
/// (non-digit positions are left alone). For the "any one-digit change is
/// rejected" property tests.
#[cfg(test)]
pub(crate) fn digit_substitutions(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, b) in s.bytes().enumerate() {
        if !b.is_ascii_digit() {
            continue;
        }
        for d in b'0'..=b'9' {
            if d != b {
                let mut t = s.as_bytes().to_vec();
                t[i] = d;
                if let Ok(t) = String::from_utf8(t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_substitutions_changes_one_digit() {
        let v = digit_substitutions("1a2");
        assert_eq!(v.len(), 18);
        assert!(v.contains(&"0a2".to_string()));
        assert!(v.contains(&"1a9".to_string()));
    }

    #[test]
    fn shown_cuts_long_values_at_a_char_boundary() {
        let long = "ø".repeat(100);
        let s = shown(&long);
        assert_eq!(s.chars().count(), SHOWN_MAX + 1);
        assert!(s.ends_with('…'));
        assert_eq!(shown("123"), "123");
    }

    #[test]
    fn group_left_groups_of_four() {
        assert_eq!(group_left("NO9386011117947", 4), "NO93 8601 1117 947");
        assert_eq!(group_left("", 4), "");
        assert_eq!(group_left("RF45", 4), "RF45");
    }

    /// The identifiers of the shared fixtures (`shared/fixtures/cases/*`):
    /// (case, currency, seller country, seller org number, buyer org number,
    /// BBAN, IBAN, BIC, KID/reference, whether the case expects an identifier
    /// finding and which).
    #[test]
    fn shared_fixture_identifiers_agree_with_expect_json() {
        use crate::country::Country;
        use crate::money::Currency;
        type Case<'a> = (
            &'a str,
            Currency,
            Country,
            &'a str,
            Option<&'a str>,
            &'a str,
            &'a str,
            &'a str,
            &'a str,
            Option<&'a str>,
        );
        let cases: [Case; 10] = [
            (
                "pub_err_amount_mismatch",
                Currency::Nok,
                Country::No,
                "877279464",
                None,
                "97753511397",
                "NO3697753511397",
                "NDEANOKK",
                "008002853078",
                None,
            ),
            (
                "pub_err_collection_not_started",
                Currency::Nok,
                Country::No,
                "968792377",
                None,
                "86016994288",
                "NO4086016994288",
                "DABANO22",
                "003547388532",
                None,
            ),
            (
                "pub_err_invalid_iban",
                Currency::Nok,
                Country::No,
                "989562983",
                None,
                "32015419201",
                "NO8332015419201",
                "SPRONO22",
                "1366698680349",
                Some("invalid_iban"),
            ),
            (
                "pub_err_invalid_kid",
                Currency::Nok,
                Country::No,
                "876056941",
                None,
                "97759257018",
                "NO7897759257018",
                "NDEANOKK",
                "298686145710",
                Some("invalid_kid"),
            ),
            (
                "pub_err_missing_billing_field",
                Currency::Nok,
                Country::No,
                "950272392",
                None,
                "32018469730",
                "NO4132018469730",
                "SPRONO22",
                "005117510802587",
                None,
            ),
            (
                "pub_err_vat_mismatch",
                Currency::Nok,
                Country::No,
                "927463911",
                None,
                "97755680536",
                "NO4097755680536",
                "NDEANOKK",
                "0094628338371",
                None,
            ),
            (
                "pub_ok_fi_b2c_eur_qr",
                Currency::Eur,
                Country::Fi,
                "2392340-6",
                None,
                "12367300207619",
                "FI2912367300207619",
                "NDEAFIHH",
                "6039527574",
                None,
            ),
            (
                "pub_ok_no_b2b_three_rates",
                Currency::Nok,
                Country::No,
                "849749943",
                Some("989645668"),
                "15039966678",
                "NO7315039966678",
                "DNBANOKK",
                "003075434963",
                None,
            ),
            (
                "pub_ok_no_b2c_captured_embedded",
                Currency::Nok,
                Country::No,
                "996241769",
                None,
                "86016355382",
                "NO2286016355382",
                "DABANO22",
                "805095668655812",
                None,
            ),
            (
                "pub_ok_se_b2b_sek",
                Currency::Sek,
                Country::Se,
                "557273-6329",
                Some("5593898199"),
                "50000000054910000003",
                "SE3550000000054910000003",
                "ESSESESS",
                "7889456690",
                None,
            ),
        ];
        for (case, currency, country, seller, buyer, bban, iban, bic, kid, finding) in cases {
            assert!(OrgNumber::parse(country, seller).is_ok(), "{case}: seller");
            if let Some(b) = buyer {
                assert!(OrgNumber::parse(country, b).is_ok(), "{case}: buyer");
            }
            if country == Country::No {
                assert!(NoAccount::parse(bban).is_ok(), "{case}: bban");
            }
            assert!(Bic::parse(bic).is_ok(), "{case}: bic");
            let iban = Iban::parse(iban);
            assert_eq!(
                iban.is_err(),
                finding == Some("invalid_iban"),
                "{case}: {iban:?}"
            );
            if let Ok(iban) = iban {
                assert!(iban.carries_bban(bban), "{case}: carries");
            }
            let r = Reference::parse(currency, kid);
            assert_eq!(r.is_err(), finding == Some("invalid_kid"), "{case}: {r:?}");
        }
    }

    #[test]
    fn require_digits_rejects_unicode_digits() {
        let e = require_digits("KID", "١٢٣", 2, 25, "2 to 25").unwrap_err();
        assert!(matches!(e, IdError::Char { position: 1, .. }), "{e}");
    }
}
