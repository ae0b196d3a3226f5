//! The voided amount split over the invoice's VAT rates in proportion to their
//! gross amounts, exact to the minor unit (largest remainder).
//!
//! Each rate first gets the floor of its exact share `amount × gross / Σ gross`;
//! the minor units left over go one each to the rates with the largest
//! remainders (ties: the higher rate, i.e. the earlier one). The leftover is
//! the sum of the fractional parts, so it is smaller than the number of rates
//! with a remainder: only a rate whose exact share is not whole gets a unit,
//! and `floor(x) + 1 ≤ gross` whenever `x < gross`. So the shares add up to the
//! amount exactly and, when the amount is at most the invoiced total, no rate
//! is credited more than it invoiced.
//!
//! A rate whose lines add up to zero or less (a rate holding only a discount
//! line) takes no share: its weight is zero.

use crate::money::Money;

/// Splits `amount` over `weights` in proportion, exact to the minor unit.
///
/// Weights of zero or less get nothing. `None` when `amount` is negative,
/// when it is positive and no weight is, or when it exceeds the sum of the
/// positive weights (the split would credit some weight more than itself).
///
/// ```
/// use kravia_invoice::money::Money;
/// use kravia_invoice::verify::credit::split_by_weight;
/// let m = Money::from_minor;
/// // 100.00 over three rates invoiced 100.00 each: 33.34 + 33.33 + 33.33
/// assert_eq!(
///     split_by_weight(m(10_000), &[m(10_000), m(10_000), m(10_000)]),
///     Some(vec![m(3_334), m(3_333), m(3_333)])
/// );
/// assert_eq!(split_by_weight(m(301), &[m(100), m(200)]), None);
/// ```
pub fn split_by_weight(amount: Money, weights: &[Money]) -> Option<Vec<Money>> {
    let amount = i128::from(amount.minor());
    if amount < 0 {
        return None;
    }
    let w: Vec<i128> = weights
        .iter()
        .map(|w| i128::from(w.minor().max(0)))
        .collect();
    let total: i128 = w.iter().sum();
    if amount > total {
        return None;
    }
    if amount == 0 {
        return Some(vec![Money::ZERO; weights.len()]);
    }
    // total ≥ amount > 0 here.
    let mut shares: Vec<i128> = w.iter().map(|wi| amount * wi / total).collect();
    let remainders: Vec<i128> = w.iter().map(|wi| amount * wi % total).collect();
    let leftover = amount - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..w.len()).filter(|&i| remainders[i] > 0).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    let leftover = usize::try_from(leftover).ok()?;
    if leftover > order.len() {
        return None;
    }
    for &i in order.iter().take(leftover) {
        shares[i] += 1;
    }
    shares
        .into_iter()
        .map(|s| i64::try_from(s).ok().map(Money::from_minor))
        .collect()
}

/// `value × part / whole`, rounded half away from zero: the VAT that belongs
/// to a part of a line or rate, in proportion to the VAT invoiced on the whole.
/// `None` when `whole` is zero or the result overflows.
pub(crate) fn proportional(value: Money, part: Money, whole: Money) -> Option<Money> {
    let (v, p, w) = (
        i128::from(value.minor()),
        i128::from(part.minor()),
        i128::from(whole.minor()),
    );
    if w == 0 {
        return None;
    }
    let num = v * p;
    let (q, r) = (num / w, num % w);
    let rounded = if 2 * r.abs() >= w.abs() {
        q + if (num < 0) != (w < 0) { -1 } else { 1 }
    } else {
        q
    };
    i64::try_from(rounded).ok().map(Money::from_minor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(v: i64) -> Money {
        Money::from_minor(v)
    }

    #[test]
    fn known_splits() {
        // 782 400 invoiced at 25 % (484 200), 15 % (13 500), 12 % (284 700);
        // 100 000 voided.
        let s = split_by_weight(m(100_000), &[m(484_200), m(13_500), m(284_700)]).unwrap();
        // exact: 61 886.50…, 1 725.46…, 36 388.02… → floors 61 886 + 1 725 + 36 388
        // = 99 999; the one unit left goes to the largest remainder (25 %).
        assert_eq!(s, vec![m(61_887), m(1_725), m(36_388)]);
        assert_eq!(
            split_by_weight(m(1), &[m(1), m(1)]).unwrap(),
            vec![m(1), m(0)]
        );
        assert_eq!(
            split_by_weight(m(5), &[m(10), m(-4), m(0)]).unwrap(),
            vec![m(5), m(0), m(0)]
        );
        assert_eq!(split_by_weight(m(0), &[m(10)]).unwrap(), vec![m(0)]);
        assert_eq!(split_by_weight(m(1), &[m(0)]), None);
        assert_eq!(split_by_weight(m(-1), &[m(10)]), None);
        assert_eq!(split_by_weight(m(11), &[m(10)]), None);
        // the whole amount gives every rate exactly its gross
        assert_eq!(
            split_by_weight(m(30), &[m(7), m(23)]).unwrap(),
            vec![m(7), m(23)]
        );
    }

    #[test]
    fn proportional_rounds_half_away_from_zero() {
        assert_eq!(proportional(m(3), m(1), m(2)), Some(m(2))); // 1.5 → 2
        assert_eq!(proportional(m(-3), m(1), m(2)), Some(m(-2)));
        assert_eq!(proportional(m(10), m(1), m(3)), Some(m(3))); // 3.33
        assert_eq!(proportional(m(10), m(3), m(3)), Some(m(10)));
        assert_eq!(proportional(m(10), m(3), m(0)), None);
    }

    proptest! {
        #[test]
        fn shares_add_up_and_never_exceed_their_weight(
            weights in prop::collection::vec(-1_000_000i64..50_000_000, 1..8),
            pick in 0u64..=u64::MAX,
        ) {
            let weights: Vec<Money> = weights.into_iter().map(m).collect();
            let total: i64 = weights.iter().map(|w| w.minor().max(0)).sum();
            let amount = if total == 0 { 0 } else { (pick % (total as u64 + 1)) as i64 };
            let shares = split_by_weight(m(amount), &weights).unwrap();
            prop_assert_eq!(shares.iter().map(|s| s.minor()).sum::<i64>(), amount);
            for (s, w) in shares.iter().zip(&weights) {
                prop_assert!(s.minor() >= 0);
                prop_assert!(s.minor() <= w.minor().max(0), "{} > {}", s, w);
                // within one unit of the exact share: |s × Σ − amount × w| < Σ
                let exact = i128::from(amount) * i128::from(w.minor().max(0));
                let got = i128::from(s.minor()) * i128::from(total.max(1));
                prop_assert!((got - exact).abs() < i128::from(total.max(1)));
            }
        }

        #[test]
        fn more_than_the_total_is_refused(
            weights in prop::collection::vec(1i64..1_000_000, 1..6),
            extra in 1i64..1_000,
        ) {
            let total: i64 = weights.iter().sum();
            let weights: Vec<Money> = weights.into_iter().map(m).collect();
            prop_assert_eq!(split_by_weight(m(total + extra), &weights), None);
        }
    }
}
