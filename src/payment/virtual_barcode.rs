//! The Finnish virtual bank barcode (virtuaaliviivakoodi), Finance Finland
//! *Bank Bar Code Guide* 5.3: 54 digits that payers type or scan into their
//! bank, printed as text and as Code 128 subset C bars
//! ([`code128c_bars`](super::code128c_bars)).
//!
//! | version | layout |
//! |---|---|
//! | 4 (Finnish reference) | `4` · IBAN digits (16) · euros (6) · cents (2) · `000` · reference (20, zero-padded) · `YYMMDD` |
//! | 5 (RF reference) | `5` · IBAN digits (16) · euros (6) · cents (2) · RF check digits (2) · RF body (21, zero-padded) · `YYMMDD` |
//!
//! The due date is `000000` when there is none.

use chrono::{Datelike, NaiveDate};

use super::IdError;
use super::iban::Iban;
use super::reference::Reference;
use crate::country::Country;
use crate::money::Money;

const PAYLOAD: &str = "virtual barcode";
/// 999 999.99 € in cents.
const MAX_CENTS: i64 = 99_999_999;

/// The 54-digit Finnish virtual bank barcode for a payment to a Finnish
/// `iban` of `amount` euros (0 to 999 999.99; zero means "open amount") with a
/// Finnish reference (version 4) or a numeric RF reference (version 5), and an
/// optional due date (years 2000–2099).
///
/// Fails for a non-Finnish IBAN, a KID or OCR reference, an RF reference with
/// letters, a negative or too large amount, or a due date outside 2000–2099.
///
/// ```
/// use chrono::NaiveDate;
/// use kravia_invoice::{Currency, Money};
/// use kravia_invoice::payment::{virtual_barcode, Iban, Reference};
/// let iban = Iban::parse("FI2912367300207619").unwrap();
/// let reference = Reference::parse(Currency::Eur, "6039527574").unwrap();
/// let due = NaiveDate::from_ymd_opt(2026, 6, 26);
/// assert_eq!(
///     virtual_barcode(&iban, Money::from_minor(13149), &reference, due).unwrap(),
///     "429123673002076190001314900000000000006039527574260626"
/// );
/// let too_much = Money::from_minor(100_000_000);
/// assert!(virtual_barcode(&iban, too_much, &reference, due).is_err());
/// ```
pub fn virtual_barcode(
    iban: &Iban,
    amount: Money,
    reference: &Reference,
    due: Option<NaiveDate>,
) -> Result<String, IdError> {
    if iban.country() != Country::Fi {
        return Err(error(format!(
            "only a Finnish IBAN can be used, not {}",
            iban.electronic()
        )));
    }
    let cents = amount.minor();
    if cents < 0 {
        return Err(error(format!(
            "amount {} is negative",
            amount.to_plain_string()
        )));
    }
    if cents > MAX_CENTS {
        return Err(error(format!(
            "the amount {} EUR is more than the 999 999.99 EUR it can carry",
            grouped_euros(cents)
        )));
    }
    let (version, reference_field) = match reference {
        Reference::Fi(r) => ('4', format!("000{:0>20}", r.as_str())),
        Reference::Rf(r) if r.is_numeric() => {
            ('5', format!("{}{:0>21}", r.check_digits(), r.body()))
        }
        Reference::Rf(r) => {
            return Err(error(format!(
                "RF reference {} has letters; version 5 needs digits",
                r.as_str()
            )));
        }
        Reference::Kid(_) | Reference::Ocr(_) => {
            return Err(error(format!(
                "reference {} is not a Finnish or RF reference",
                reference.as_str()
            )));
        }
    };
    let due = match due {
        None => "000000".to_string(),
        Some(d) if (2000..=2099).contains(&d.year()) => d.format("%y%m%d").to_string(),
        Some(d) => return Err(error(format!("due date {d} is outside 2000 to 2099"))),
    };
    // A Finnish IBAN is FI + 16 digits (checked by Iban::parse).
    let code = format!(
        "{version}{}{cents:08}{reference_field}{due}",
        &iban.electronic()[2..]
    );
    if code.len() != 54 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(format!("built {code:?}, which is not 54 digits")));
    }
    Ok(code)
}

/// Cents as euros in groups of three, for messages: `100000000` → `1 000 000.00`.
fn grouped_euros(cents: i64) -> String {
    let digits = (cents / 100).unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{out}.{:02}", (cents % 100).unsigned_abs())
}

fn error(reason: String) -> IdError {
    IdError::Payload {
        payload: PAYLOAD,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;
    use crate::payment::code128c_symbols;

    fn vb(iban: &str, cents: i64, reference: &str, due: Option<(i32, u32, u32)>) -> String {
        let iban = Iban::parse(iban).unwrap();
        let r = Reference::parse(Currency::Eur, reference).unwrap();
        let due = due.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        virtual_barcode(&iban, Money::from_minor(cents), &r, due).unwrap()
    }

    #[test]
    fn guide_version_4_examples() {
        assert_eq!(
            vb(
                "FI79 4405 2020 0360 82",
                488315,
                "86851 62596 19897",
                Some((2010, 6, 12))
            ),
            "479440520200360820048831500000000868516259619897100612"
        );
        assert_eq!(
            vb(
                "FI58 1017 1000 0001 22",
                48299,
                "55958 22432 94671",
                Some((2012, 1, 31))
            ),
            "458101710000001220004829900000000559582243294671120131"
        );
        assert_eq!(
            vb(
                "FI02 5000 4640 0013 02",
                69380,
                "69 87567 20834 35364",
                Some((2011, 7, 24))
            ),
            "402500046400013020006938000000069875672083435364110724"
        );
    }

    #[test]
    fn guide_version_5_examples() {
        assert_eq!(
            vb(
                "FI79 4405 2020 0360 82",
                488315,
                "RF09 8685 1625 9619 897",
                Some((2010, 6, 12))
            ),
            "579440520200360820048831509000000868516259619897100612"
        );
        assert_eq!(
            vb(
                "FI58 1017 1000 0001 22",
                48299,
                "RF06 5595 8224 3294 671",
                Some((2010, 1, 31))
            ),
            "558101710000001220004829906000000559582243294671100131"
        );
    }

    #[test]
    fn akselinurmio_examples() {
        assert_eq!(
            vb("FI37 1590 3000 0007 76", 0, "11112", None),
            "437159030000007760000000000000000000000000011112000000"
        );
        assert_eq!(
            vb(
                "FI37 1590 3000 0007 76",
                110,
                "RF9811112",
                Some((2017, 1, 1))
            ),
            "537159030000007760000011098000000000000000011112170101"
        );
    }

    #[test]
    fn own_vectors() {
        let v4 = vb(
            "FI2112345600000785",
            123456,
            "20260040",
            Some((2026, 3, 15)),
        );
        assert_eq!(v4, "421123456000007850012345600000000000000020260040260315");
        assert_eq!(code128c_symbols(&v4).unwrap()[28], 74);
        assert_eq!(
            vb(
                "FI2112345600000785",
                123456,
                "RF4520260040",
                Some((2026, 3, 15))
            ),
            "521123456000007850012345645000000000000020260040260315"
        );
    }

    #[test]
    fn fixture_vector() {
        assert_eq!(
            vb(
                "FI2912367300207619",
                13149,
                "6039527574",
                Some((2026, 6, 26))
            ),
            "429123673002076190001314900000000000006039527574260626"
        );
    }

    #[test]
    fn largest_amount_is_accepted_and_above_is_rejected() {
        let iban = Iban::parse("FI2912367300207619").unwrap();
        let r = Reference::parse(Currency::Eur, "6039527574").unwrap();
        let ok = virtual_barcode(&iban, Money::from_minor(99_999_999), &r, None).unwrap();
        assert_eq!(&ok[17..25], "99999999");
        let e = virtual_barcode(&iban, Money::from_minor(100_000_000), &r, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "virtual barcode: the amount 1 000 000.00 EUR is more than the 999 999.99 EUR it can carry"
        );
        assert!(virtual_barcode(&iban, Money::from_minor(-1), &r, None).is_err());
    }

    #[test]
    fn non_finnish_iban_is_rejected() {
        let iban = Iban::parse("DE89370400440532013000").unwrap();
        let r = Reference::parse(Currency::Eur, "6039527574").unwrap();
        assert!(virtual_barcode(&iban, Money::from_minor(100), &r, None).is_err());
    }

    #[test]
    fn kid_ocr_and_alphanumeric_rf_are_rejected() {
        let iban = Iban::parse("FI2912367300207619").unwrap();
        for r in [
            Reference::parse(Currency::Nok, "12344").unwrap(),
            Reference::parse(Currency::Sek, "1230").unwrap(),
            Reference::Rf(crate::payment::RfReference::from_body("INV42").unwrap()),
        ] {
            assert!(virtual_barcode(&iban, Money::from_minor(100), &r, None).is_err());
        }
    }

    #[test]
    fn due_date_outside_century_is_rejected() {
        let iban = Iban::parse("FI2912367300207619").unwrap();
        let r = Reference::parse(Currency::Eur, "6039527574").unwrap();
        let d = NaiveDate::from_ymd_opt(1999, 12, 31);
        assert!(virtual_barcode(&iban, Money::from_minor(100), &r, d).is_err());
        let d = NaiveDate::from_ymd_opt(2100, 1, 1);
        assert!(virtual_barcode(&iban, Money::from_minor(100), &r, d).is_err());
    }
}
