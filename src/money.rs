//! Money, currencies and VAT rates.
//!
//! Money is always an integer number of minor units (øre, öre, cent): [`Money`]
//! wraps an `i64` and never becomes a float. VAT rates and quantities are exact
//! decimals ([`VatRate`], [`Quantity`]), so `25.5 %` is `25.5`, not
//! `25.499999…`. Formatting for people lives in `locale`, not here.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// An amount in minor units of some currency (1 NOK = 100 øre).
///
/// ```
/// use kravia_invoice::Money;
/// let a = Money::from_minor(640_720);
/// assert_eq!(a.minor(), 640_720);
/// assert_eq!((a - Money::from_minor(720)).minor(), 640_000);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// Money from a count of minor units.
    pub const fn from_minor(minor: i64) -> Money {
        Money(minor)
    }

    /// The count of minor units.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// Whole major units (truncated toward zero) and the remaining minor units,
    /// both non-negative for a non-negative amount: `12345` → `(123, 45)`.
    pub const fn split(self) -> (i64, i64) {
        (self.0 / 100, self.0 % 100)
    }

    /// Checked addition: `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Checked subtraction: `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// The amount as an exact decimal in major units (`12345` → `123.45`).
    pub fn to_major_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Plain machine form with a dot and two decimals: `123.45`, `-0.05`.
    ///
    /// This is the form payment payloads (EPC QR, UsingQR) use; it is not for people.
    pub fn to_plain_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    /// The plain machine form, `123.45`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_plain_string())
    }
}

/// The currencies a Kravia invoice can be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Currency {
    /// Norwegian krone.
    Nok,
    /// Swedish krona.
    Sek,
    /// Euro.
    Eur,
}

impl Currency {
    /// The ISO 4217 code, `"NOK"`.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Nok => "NOK",
            Currency::Sek => "SEK",
            Currency::Eur => "EUR",
        }
    }
}

impl FromStr for Currency {
    type Err = UnsupportedCurrency;

    /// Parses an ISO 4217 code (case-insensitive) of a supported currency.
    ///
    /// ```
    /// use kravia_invoice::Currency;
    /// assert_eq!("nok".parse::<Currency>().unwrap(), Currency::Nok);
    /// assert!("USD".parse::<Currency>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Currency, UnsupportedCurrency> {
        match s.trim().to_ascii_uppercase().as_str() {
            "NOK" => Ok(Currency::Nok),
            "SEK" => Ok(Currency::Sek),
            "EUR" => Ok(Currency::Eur),
            _ => Err(UnsupportedCurrency(s.to_string())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A currency code that kravia-invoice does not support (only NOK, SEK and EUR).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsupported currency {0:?} (expected NOK, SEK or EUR)")]
pub struct UnsupportedCurrency(pub String);

/// A VAT rate in percent, exact: `25`, `15`, `25.5`, `13.5`.
///
/// ```
/// use kravia_invoice::{Money, VatRate};
/// let r: VatRate = "25.5".parse().unwrap();
/// assert_eq!(r.to_string(), "25.5");
/// // VAT contained in a gross amount of 125.50 at 25.5 % is 25.50
/// assert_eq!(r.vat_of_gross(Money::from_minor(12550)), Some(Money::from_minor(2550)));
/// assert!("-1".parse::<VatRate>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VatRate(Decimal);

impl VatRate {
    /// 0 %.
    pub const ZERO: VatRate = VatRate(Decimal::ZERO);

    /// A rate from an exact decimal percentage; `None` when negative or 100 % or more.
    pub fn new(percent: Decimal) -> Option<VatRate> {
        if percent.is_sign_negative() && !percent.is_zero() || percent >= Decimal::ONE_HUNDRED {
            return None;
        }
        Some(VatRate(percent.normalize()))
    }

    /// The percentage as an exact decimal.
    pub fn percent(self) -> Decimal {
        self.0
    }

    /// Whether the rate is 0 %.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// The VAT contained in a gross amount, `gross × rate / (100 + rate)`, rounded
    /// half away from zero to the minor unit. `None` on overflow.
    pub fn vat_of_gross(self, gross: Money) -> Option<Money> {
        let g = Decimal::from(gross.minor());
        let v = g
            .checked_mul(self.0)?
            .checked_div(Decimal::ONE_HUNDRED.checked_add(self.0)?)?;
        let r = v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(r).ok().map(Money::from_minor)
    }

    /// Whether `vat` is the VAT of `gross` at this rate within `tolerance` minor
    /// units, computed exactly: `|vat × (100 + r) − gross × r| ≤ tolerance × (100 + r)`.
    pub fn vat_matches(self, gross: Money, vat: Money, tolerance: i64) -> bool {
        let r = self.0;
        let hundred_r = Decimal::ONE_HUNDRED + r;
        let lhs = Decimal::from(vat.minor()).checked_mul(hundred_r);
        let rhs = Decimal::from(gross.minor()).checked_mul(r);
        let tol = Decimal::from(tolerance).checked_mul(hundred_r);
        match (lhs, rhs, tol) {
            (Some(l), Some(rr), Some(t)) => match l.checked_sub(rr) {
                Some(d) => d.abs() <= t,
                None => false,
            },
            _ => false,
        }
    }
}

impl FromStr for VatRate {
    type Err = InvalidDecimal;
    fn from_str(s: &str) -> Result<VatRate, InvalidDecimal> {
        let d = Decimal::from_str(s.trim()).map_err(|_| InvalidDecimal(s.to_string()))?;
        VatRate::new(d).ok_or_else(|| InvalidDecimal(s.to_string()))
    }
}

impl fmt::Display for VatRate {
    /// The percentage without trailing zeros: `25`, `25.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

/// A line quantity, exact: `2`, `2.5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(Decimal);

impl Quantity {
    /// One.
    pub const ONE: Quantity = Quantity(Decimal::ONE);

    /// A quantity from an exact decimal; `None` unless it is greater than zero.
    pub fn new(q: Decimal) -> Option<Quantity> {
        (q > Decimal::ZERO).then(|| Quantity(q.normalize()))
    }

    /// The quantity as an exact decimal.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// `amount ÷ quantity`, rounded half away from zero to the minor unit; `None`
    /// on overflow.
    ///
    /// ```
    /// use kravia_invoice::{Money, Quantity};
    /// let q: Quantity = "3".parse().unwrap();
    /// assert_eq!(q.unit_price(Money::from_minor(100)), Some(Money::from_minor(33)));
    /// let q: Quantity = "2.5".parse().unwrap();
    /// assert_eq!(q.unit_price(Money::from_minor(1001)), Some(Money::from_minor(400)));
    /// ```
    pub fn unit_price(self, amount: Money) -> Option<Money> {
        let v = Decimal::from(amount.minor()).checked_div(self.0)?;
        let r = v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(r).ok().map(Money::from_minor)
    }
}

impl FromStr for Quantity {
    type Err = InvalidDecimal;
    fn from_str(s: &str) -> Result<Quantity, InvalidDecimal> {
        let d = Decimal::from_str(s.trim()).map_err(|_| InvalidDecimal(s.to_string()))?;
        Quantity::new(d).ok_or_else(|| InvalidDecimal(s.to_string()))
    }
}

impl fmt::Display for Quantity {
    /// Without trailing zeros: `2`, `2.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

/// Text that is not a decimal in the allowed range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a valid decimal here")]
pub struct InvalidDecimal(pub String);

/// Serialised as an integer of minor units (øre, cents): `782400`.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

/// Serialised as its ISO 4217 code: `"NOK"`.
impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Serialised as exact decimal text: `"25"`, `"12.5"`.
impl serde::Serialize for VatRate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Serialised as exact decimal text: `"2.5"`.
impl serde::Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vat_rate_25_point_5_is_exact() {
        let r: VatRate = "25.5".parse().unwrap();
        assert_eq!(r.percent(), Decimal::new(255, 1));
        assert!(r.vat_matches(Money::from_minor(11970), Money::from_minor(2432), 1));
        assert!(!r.vat_matches(Money::from_minor(11970), Money::from_minor(2434), 1));
    }

    #[test]
    fn vat_of_gross_rounds_half_away_from_zero() {
        let r: VatRate = "15".parse().unwrap();
        // 11600 * 15 / 115 = 1513.04…
        assert_eq!(
            r.vat_of_gross(Money::from_minor(11600)),
            Some(Money::from_minor(1513))
        );
        let r: VatRate = "25".parse().unwrap();
        // 2 * 25 / 125 = 0.4 → 0 ; 5*25/125 = 1
        assert_eq!(
            r.vat_of_gross(Money::from_minor(2)),
            Some(Money::from_minor(0))
        );
        assert_eq!(
            r.vat_of_gross(Money::from_minor(-10)),
            Some(Money::from_minor(-2))
        );
    }

    #[test]
    fn plain_string_has_two_decimals() {
        assert_eq!(Money::from_minor(13149).to_plain_string(), "131.49");
        assert_eq!(Money::from_minor(5).to_plain_string(), "0.05");
        assert_eq!(Money::from_minor(-5).to_plain_string(), "-0.05");
    }

    proptest! {
        #[test]
        fn computed_vat_always_matches(gross in -10_000_000_000i64..10_000_000_000, bp in 0u32..9999) {
            let rate = VatRate::new(Decimal::new(i64::from(bp), 2)).unwrap();
            let vat = rate.vat_of_gross(Money::from_minor(gross)).unwrap();
            prop_assert!(rate.vat_matches(Money::from_minor(gross), vat, 1));
            prop_assert!(!rate.vat_matches(Money::from_minor(gross), vat + Money::from_minor(2), 1));
        }
    }
}
