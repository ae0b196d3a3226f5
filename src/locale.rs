//! Locales: which language the labels are in and how numbers, money and dates
//! are written for people.
//!
//! | | nb | sv | fi | en |
//! |---|---|---|---|---|
//! | money | `7 824,00 NOK` | `7 824,00 SEK` | `7 824,00 EUR` | `7,824.00 NOK` |
//! | date | `18.05.2026` | `2026-05-18` | `18.5.2026` | `2026-05-18` |
//! | VAT rate | `25,5 %` | `25,5 %` | `25,5 %` | `25.5%` |
//! | quantity | `2,5` | `2,5` | `2,5` | `2.5` |
//!
//! The thousands separator of nb, sv and fi is U+202F NARROW NO-BREAK SPACE, and
//! the space before `%` and before the currency code is U+00A0 NO-BREAK SPACE, so
//! that an amount is never broken across lines. Negative amounts start with a
//! hyphen-minus. Money is formatted from integer minor units and never passes
//! through a float.
//!
//! The label texts (what "Invoice" is called) live with the templates, in
//! `templates/labels/`, read by the `template` module.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::country::Country;
use crate::money::{Currency, Money, Quantity, VatRate};

/// U+202F NARROW NO-BREAK SPACE: the thousands separator of nb, sv and fi.
pub const THIN_SPACE: char = '\u{202F}';
/// U+00A0 NO-BREAK SPACE: between a number and its unit (`%`, currency code).
pub const NO_BREAK_SPACE: char = '\u{A0}';

/// The four invoice languages.
///
/// ```
/// use kravia_invoice::locale::Locale;
/// assert_eq!("sv".parse::<Locale>().unwrap(), Locale::Sv);
/// assert!("de".parse::<Locale>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Locale {
    /// Norwegian Bokmål.
    Nb,
    /// Swedish.
    Sv,
    /// Finnish.
    Fi,
    /// English.
    En,
}

impl Locale {
    /// All locales, in a fixed order.
    pub const ALL: [Locale; 4] = [Locale::Nb, Locale::Sv, Locale::Fi, Locale::En];

    /// The locale for a buyer in `country`: NO nb, SE sv, FI fi, others en.
    pub fn for_country(country: Option<Country>) -> Locale {
        match country {
            Some(Country::No) => Locale::Nb,
            Some(Country::Se) => Locale::Sv,
            Some(Country::Fi) => Locale::Fi,
            _ => Locale::En,
        }
    }

    /// The decimal separator: `,` for nb, sv and fi, `.` for en.
    pub const fn decimal_separator(self) -> char {
        match self {
            Locale::En => '.',
            _ => ',',
        }
    }

    /// The thousands separator: U+202F for nb, sv and fi, `,` for en.
    pub const fn thousands_separator(self) -> char {
        match self {
            Locale::En => ',',
            _ => THIN_SPACE,
        }
    }

    /// An amount without its currency, two decimals, thousands grouped:
    /// nb `7 824,00` (U+202F between the groups), en `7,824.00`.
    ///
    /// ```
    /// use kravia_invoice::{locale::Locale, Money};
    /// assert_eq!(Locale::Nb.format_amount(Money::from_minor(782_400)), "7\u{202F}824,00");
    /// assert_eq!(Locale::En.format_amount(Money::from_minor(-5)), "-0.05");
    /// ```
    pub fn format_amount(self, amount: Money) -> String {
        let minor = amount.minor();
        let abs = minor.unsigned_abs();
        let mut out = String::with_capacity(24);
        if minor < 0 {
            out.push('-');
        }
        push_grouped(&mut out, abs / 100, self.thousands_separator());
        out.push(self.decimal_separator());
        let cents = abs % 100;
        out.push(char::from(b'0' + (cents / 10) as u8));
        out.push(char::from(b'0' + (cents % 10) as u8));
        out
    }

    /// An amount with its ISO currency code after a no-break space:
    /// nb `7 824,00 NOK`, en `7,824.00 NOK`.
    ///
    /// ```
    /// use kravia_invoice::{locale::Locale, Currency, Money};
    /// let m = Money::from_minor(13_149);
    /// assert_eq!(Locale::Fi.format_money(m, Currency::Eur), "131,49\u{A0}EUR");
    /// assert_eq!(Locale::En.format_money(m, Currency::Eur), "131.49\u{A0}EUR");
    /// ```
    pub fn format_money(self, amount: Money, currency: Currency) -> String {
        let mut out = self.format_amount(amount);
        out.push(NO_BREAK_SPACE);
        out.push_str(currency.code());
        out
    }

    /// A date: nb `18.05.2026`, fi `18.5.2026`, sv and en `2026-05-18`.
    ///
    /// ```
    /// use kravia_invoice::locale::Locale;
    /// let d = chrono::NaiveDate::from_ymd_opt(2026, 5, 8).unwrap();
    /// assert_eq!(Locale::Nb.format_date(d), "08.05.2026");
    /// assert_eq!(Locale::Fi.format_date(d), "8.5.2026");
    /// assert_eq!(Locale::Sv.format_date(d), "2026-05-08");
    /// ```
    pub fn format_date(self, date: NaiveDate) -> String {
        let (y, m, d) = (date.year(), date.month(), date.day());
        match self {
            Locale::Nb => format!("{d:02}.{m:02}.{y:04}"),
            Locale::Fi => format!("{d}.{m}.{y:04}"),
            Locale::Sv | Locale::En => format!("{y:04}-{m:02}-{d:02}"),
        }
    }

    /// An exact decimal in the locale's form, thousands grouped, without
    /// trailing zeros: nb `1 234,5`, en `1,234.5`.
    pub fn format_decimal(self, value: Decimal) -> String {
        let text = value.normalize().to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut out = String::with_capacity(text.len() + 4);
        out.push_str(sign);
        let sep = self.thousands_separator();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(self.decimal_separator());
            out.push_str(frac);
        }
        out
    }

    /// A quantity: nb `2,5`, en `2.5`; whole numbers have no decimals.
    pub fn format_quantity(self, quantity: Quantity) -> String {
        self.format_decimal(quantity.value())
    }

    /// A VAT rate: nb, sv and fi `25,5 %` (no-break space), en `25.5%`.
    ///
    /// ```
    /// use kravia_invoice::{locale::Locale, VatRate};
    /// let r: VatRate = "25.5".parse().unwrap();
    /// assert_eq!(Locale::Fi.format_rate(r), "25,5\u{A0}%");
    /// assert_eq!(Locale::En.format_rate(r), "25.5%");
    /// ```
    pub fn format_rate(self, rate: VatRate) -> String {
        let mut out = self.format_decimal(rate.percent());
        if self != Locale::En {
            out.push(NO_BREAK_SPACE);
        }
        out.push('%');
        out
    }

    /// The short code, `"nb"`.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::Nb => "nb",
            Locale::Sv => "sv",
            Locale::Fi => "fi",
            Locale::En => "en",
        }
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Locale, UnknownLocale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" | "nb-no" | "nb_no" => Ok(Locale::Nb),
            "sv" | "sv-se" | "sv_se" => Ok(Locale::Sv),
            "fi" | "fi-fi" | "fi_fi" => Ok(Locale::Fi),
            "en" | "en-gb" | "en-us" | "en_gb" | "en_us" => Ok(Locale::En),
            _ => Err(UnknownLocale(s.to_string())),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Pushes a non-negative integer with its thousands grouped by `sep`.
fn push_grouped(out: &mut String, value: u64, sep: char) {
    let digits = value.to_string();
    let n = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
}

/// A locale name that is not one of nb, sv, fi, en.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown locale {0:?} (expected nb, sv, fi or en)")]
pub struct UnknownLocale(pub String);

/// Serialised as its code: `"nb"`.
impl serde::Serialize for Locale {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(minor: i64) -> Money {
        Money::from_minor(minor)
    }

    /// Shows U+202F as `_` and U+00A0 as `~` so the vectors are readable.
    fn visible(s: String) -> String {
        s.replace(THIN_SPACE, "_").replace(NO_BREAK_SPACE, "~")
    }

    #[test]
    fn money_vectors_per_locale() {
        let cases: &[(i64, &str, &str)] = &[
            (0, "0,00", "0.00"),
            (5, "0,05", "0.05"),
            (-5, "-0,05", "-0.05"),
            (100, "1,00", "1.00"),
            (99_999, "999,99", "999.99"),
            (100_000, "1_000,00", "1,000.00"),
            (782_400, "7_824,00", "7,824.00"),
            (-782_400, "-7_824,00", "-7,824.00"),
            (12_345_678_901, "123_456_789,01", "123,456,789.01"),
            (
                i64::MIN,
                "-92_233_720_368_547_758,08",
                "-92,233,720,368,547,758.08",
            ),
        ];
        for &(minor, nordic, en) in cases {
            for l in [Locale::Nb, Locale::Sv, Locale::Fi] {
                assert_eq!(visible(l.format_amount(m(minor))), nordic, "{l} {minor}");
            }
            assert_eq!(Locale::En.format_amount(m(minor)), en, "en {minor}");
        }
    }

    #[test]
    fn money_with_currency_code() {
        assert_eq!(
            visible(Locale::Nb.format_money(m(782_400), Currency::Nok)),
            "7_824,00~NOK"
        );
        assert_eq!(
            visible(Locale::Sv.format_money(m(-615_400), Currency::Sek)),
            "-6_154,00~SEK"
        );
        assert_eq!(
            visible(Locale::En.format_money(m(0), Currency::Eur)),
            "0.00~EUR"
        );
    }

    #[test]
    fn date_vectors_per_locale() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 18).unwrap();
        assert_eq!(Locale::Nb.format_date(d), "18.05.2026");
        assert_eq!(Locale::Fi.format_date(d), "18.5.2026");
        assert_eq!(Locale::Sv.format_date(d), "2026-05-18");
        assert_eq!(Locale::En.format_date(d), "2026-05-18");
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert_eq!(Locale::Nb.format_date(d), "02.01.2026");
        assert_eq!(Locale::Fi.format_date(d), "2.1.2026");
        assert_eq!(Locale::En.format_date(d), "2026-01-02");
    }

    #[test]
    fn rate_and_quantity_vectors() {
        let r = |s: &str| s.parse::<VatRate>().unwrap();
        assert_eq!(visible(Locale::Fi.format_rate(r("25.5"))), "25,5~%");
        assert_eq!(visible(Locale::Nb.format_rate(r("25"))), "25~%");
        assert_eq!(visible(Locale::Sv.format_rate(r("0"))), "0~%");
        assert_eq!(visible(Locale::Fi.format_rate(r("13.50"))), "13,5~%");
        assert_eq!(Locale::En.format_rate(r("25.5")), "25.5%");
        assert_eq!(Locale::En.format_rate(r("12")), "12%");
        let q = |s: &str| s.parse::<Quantity>().unwrap();
        assert_eq!(Locale::Nb.format_quantity(q("2.5")), "2,5");
        assert_eq!(Locale::En.format_quantity(q("2.50")), "2.5");
        assert_eq!(Locale::Sv.format_quantity(q("3")), "3");
        assert_eq!(visible(Locale::Nb.format_quantity(q("1500"))), "1_500");
        assert_eq!(Locale::En.format_quantity(q("12345.125")), "12,345.125");
        assert_eq!(Locale::Fi.format_quantity(q("0.001")), "0,001");
    }
}
