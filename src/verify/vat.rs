//! The invoice lines and their VAT: per line within one minor unit of
//! `amount × vat / (100 + vat)`, and Σ line VAT = the order's `vat_amount`.

use rust_decimal::Decimal;

use crate::dintero::{DiscountLine, Item, Order, ShippingOption};
use crate::money::{Money, Quantity, VatRate};

use super::{Code, Discount, Findings, Input, Line, LineKind, VatSummary, grouped, m};

/// What a line and a shipping option have in common, for the checks.
struct Raw<'a> {
    path: String,
    kind: LineKind,
    line_id: Option<&'a str>,
    item_id: Option<&'a str>,
    description: Option<String>,
    quantity: Option<Decimal>,
    amount: Option<i64>,
    vat_amount: Option<i64>,
    vat: Option<Decimal>,
    gross_amount: Option<i64>,
    discounts: &'a [DiscountLine],
}

fn raw_item<'a>(input: &Input<'_>, i: usize, item: &'a Item) -> Raw<'a> {
    Raw {
        path: input.order_path(&format!("items[{i}]")),
        kind: LineKind::Item,
        line_id: item.line_id.as_deref(),
        item_id: item.id.as_deref(),
        description: item.description.clone(),
        quantity: item.quantity,
        amount: item.amount,
        vat_amount: item.vat_amount,
        vat: item.vat,
        gross_amount: item.gross_amount,
        discounts: item.discount_lines.as_deref().unwrap_or(&[]),
    }
}

fn raw_shipping<'a>(input: &Input<'_>, s: &'a ShippingOption) -> Raw<'a> {
    let description = match (s.title.as_deref(), s.description.as_deref()) {
        (Some(t), _) => Some(t.to_string()),
        (None, Some(d)) => Some(d.to_string()),
        (None, None) => s.operator.clone(),
    };
    Raw {
        path: input.order_path("shipping_option"),
        kind: LineKind::Shipping,
        line_id: s.line_id.as_deref(),
        item_id: s.id.as_deref(),
        description,
        quantity: Some(Decimal::ONE),
        amount: s.amount,
        vat_amount: s.vat_amount,
        vat: s.vat,
        gross_amount: None,
        discounts: &[],
    }
}

/// The order's lines (items, then the shipping option), each checked.
pub(super) fn lines(input: &Input<'_>, f: &mut Findings) -> Vec<Line> {
    let mut raws: Vec<Raw<'_>> = input
        .order
        .items
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, item)| raw_item(input, i, item))
        .collect();
    if let Some(s) = &input.order.shipping_option {
        raws.push(raw_shipping(input, s));
    }
    if raws.is_empty() {
        f.error(
            Code::OrderTotalMismatch,
            input.order_path("items"),
            "the order has no lines",
        );
    }
    raws.iter().filter_map(|r| line(r, f)).collect()
}

fn line(r: &Raw<'_>, f: &mut Findings) -> Option<Line> {
    let Some(amount) = r.amount.map(Money::from_minor) else {
        f.error(
            Code::OrderTotalMismatch,
            format!("{}.amount", r.path),
            "the line has no amount",
        );
        return None;
    };
    let (rate, vat_amount) = match (r.vat, r.vat_amount) {
        (None, None) => (VatRate::ZERO, Money::ZERO),
        (Some(_), None) => {
            f.error(
                Code::VatMismatch,
                format!("{}.vat_amount", r.path),
                "the line has a VAT rate but no vat_amount",
            );
            return None;
        }
        (None, Some(v)) => {
            f.error(
                Code::VatMismatch,
                format!("{}.vat", r.path),
                format!("the line has vat_amount {} but no VAT rate", grouped(v)),
            );
            return None;
        }
        (Some(rate), Some(v)) => {
            let Some(rate) = VatRate::new(rate) else {
                f.error(
                    Code::VatMismatch,
                    format!("{}.vat", r.path),
                    format!("VAT rate {rate} is not between 0 and 100"),
                );
                return None;
            };
            let vat = Money::from_minor(v);
            if !rate.vat_matches(amount, vat, 1) {
                let expected = rate
                    .vat_of_gross(amount)
                    .map(m)
                    .unwrap_or_else(|| "(overflow)".into());
                f.error(
                    Code::VatMismatch,
                    format!("{}.vat_amount", r.path),
                    format!(
                        "{} × {rate} / (100 + {rate}) = {expected}, vat_amount = {}",
                        m(amount),
                        m(vat)
                    ),
                );
                return None;
            }
            (rate, vat)
        }
    };
    let quantity = match r.quantity {
        None => Quantity::ONE,
        Some(q) => match Quantity::new(q) {
            Some(q) => q,
            None => {
                f.error(
                    Code::SessionMismatch,
                    format!("{}.quantity", r.path),
                    format!("quantity {q} is not greater than zero"),
                );
                return None;
            }
        },
    };
    let net = amount.checked_sub(vat_amount)?;
    let Some(line_id) = r.line_id.filter(|s| !s.trim().is_empty()) else {
        f.error(
            Code::SessionMismatch,
            format!("{}.line_id", r.path),
            "the line has no line_id, so capture lines cannot be matched to it",
        );
        return None;
    };
    let (Some(unit_price_net), Some(unit_price_gross)) =
        (quantity.unit_price(net), quantity.unit_price(amount))
    else {
        f.error(
            Code::OrderTotalMismatch,
            format!("{}.amount", r.path),
            "the unit price overflows",
        );
        return None;
    };
    discounts_add_up(r, f);
    // Every amount printed for the line fits its column.
    for (field, minor) in [
        ("amount", Some(amount.minor())),
        ("amount", Some(unit_price_net.minor())),
        ("amount", Some(unit_price_gross.minor())),
        ("gross_amount", r.gross_amount),
    ] {
        if let Some(m) = minor
            && m.unsigned_abs() > super::printable::MAX_AMOUNT.unsigned_abs()
        {
            let what = if field == "amount" && m != amount.minor() {
                "the unit price"
            } else {
                field
            };
            f.error(
                Code::AmountTooLarge,
                format!("{}.{field}", r.path),
                format!(
                    "{what} {} is more than the 999 999 999.99 an invoice can print",
                    grouped(m)
                ),
            );
        }
    }
    for (j, d) in r.discounts.iter().enumerate() {
        if let Some(a) = d.amount {
            super::printable::amount(f, &format!("{}.discount_lines[{j}].amount", r.path), a);
        }
    }
    let description = super::present(r.description.as_deref())
        .or(r.item_id)
        .unwrap_or(line_id)
        .to_string();
    Some(Line {
        line_id: line_id.to_string(),
        kind: r.kind,
        item_id: r.item_id.map(str::to_string),
        description,
        quantity,
        vat_rate: rate,
        amount,
        vat_amount,
        net,
        unit_price_net,
        unit_price_gross,
        gross_before_discount: r.gross_amount.map(Money::from_minor),
        discounts: r.discounts.iter().map(discount).collect(),
    })
}

/// A discount's amount (present, non-negative) and percentage (0 to 100);
/// reports at `path` and returns the amount when it is usable.
fn discount_amount(d: &DiscountLine, path: &str, f: &mut Findings) -> Option<i64> {
    if let Some(p) = d.percentage
        && !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&p)
    {
        f.error(
            Code::DiscountMismatch,
            format!("{path}.percentage"),
            format!("discount percentage {p} is not between 0 and 100"),
        );
    }
    match d.amount {
        Some(a) if a >= 0 => Some(a),
        Some(a) => {
            f.error(
                Code::DiscountMismatch,
                format!("{path}.amount"),
                format!(
                    "discount amount {} is negative (a discount is written as a positive amount)",
                    grouped(a)
                ),
            );
            None
        }
        None => {
            f.error(
                Code::DiscountMismatch,
                format!("{path}.amount"),
                "the discount line has no amount",
            );
            None
        }
    }
}

/// A line's discounts are non-negative and, with a `gross_amount`, add up:
/// `gross_amount − Σ discounts = amount` (both are printed under the line).
fn discounts_add_up(r: &Raw<'_>, f: &mut Findings) {
    let mut sum = Some(0i64);
    for (j, d) in r.discounts.iter().enumerate() {
        let a = discount_amount(d, &format!("{}.discount_lines[{j}]", r.path), f);
        sum = match (sum, a) {
            (Some(s), Some(a)) => s.checked_add(a),
            _ => None,
        };
    }
    let (Some(gross), Some(amount)) = (r.gross_amount, r.amount) else {
        return;
    };
    let Some(sum) = sum else {
        return; // a bad discount is reported above
    };
    if gross.checked_sub(sum) != Some(amount) {
        f.error(
            Code::DiscountMismatch,
            format!("{}.gross_amount", r.path),
            format!(
                "gross_amount {} − discounts {} ≠ amount {}",
                grouped(gross),
                grouped(sum),
                grouped(amount)
            ),
        );
    }
}

/// Order-level discounts (printed for information): each non-negative and
/// within the order, and together no more than the order.
pub(super) fn check_order_discounts(input: &Input<'_>, f: &mut Findings) {
    let order = input.order.amount.unwrap_or(0).max(0);
    let mut sum = 0i64;
    for (j, d) in input.order.discount_lines.iter().flatten().enumerate() {
        let path = input.order_path(&format!("discount_lines[{j}]"));
        let Some(a) = discount_amount(d, &path, f) else {
            continue;
        };
        sum = sum.saturating_add(a);
        if sum > order {
            f.error(
                Code::DiscountMismatch,
                format!("{path}.amount"),
                format!(
                    "the order's discounts add up to {}, more than the order amount {}",
                    grouped(sum),
                    grouped(order)
                ),
            );
            return;
        }
    }
}

fn discount(d: &DiscountLine) -> Discount {
    Discount {
        description: d.description.clone(),
        amount: Money::from_minor(d.amount.unwrap_or(0)),
        percentage: d.percentage,
    }
}

/// Order-level discount lines, for information.
pub(super) fn order_discounts(order: &Order) -> Vec<Discount> {
    order
        .discount_lines
        .iter()
        .flatten()
        .map(discount)
        .collect()
}

/// Σ line VAT = `order.vat_amount`; returns VAT per rate, highest rate first.
pub(super) fn order_vat(input: &Input<'_>, lines: &[Line], f: &mut Findings) -> Vec<VatSummary> {
    let mut per_rate: Vec<VatSummary> = Vec::new();
    for l in lines {
        match per_rate.iter_mut().find(|s| s.rate == l.vat_rate) {
            Some(s) => {
                s.net += l.net;
                s.vat += l.vat_amount;
                s.gross += l.amount;
            }
            None => per_rate.push(VatSummary {
                rate: l.vat_rate,
                net: l.net,
                vat: l.vat_amount,
                gross: l.amount,
            }),
        }
    }
    per_rate.sort_by_key(|s| std::cmp::Reverse(s.rate));
    for s in &per_rate {
        for v in [s.net, s.vat, s.gross] {
            super::printable::amount(f, &input.order_path("items"), v.minor());
        }
    }
    // Σ over the order's own vat_amount fields, not only the lines that passed, so
    // one bad line is not reported twice under different numbers.
    let sum: Money = input
        .order
        .items
        .iter()
        .flatten()
        .map(|i| i.vat_amount)
        .chain(input.order.shipping_option.iter().map(|s| s.vat_amount))
        .map(|v| Money::from_minor(v.unwrap_or(0)))
        .sum();
    match input.order.vat_amount {
        Some(v) if v == sum.minor() => {}
        Some(v) => f.error(
            Code::VatMismatch,
            input.order_path("vat_amount"),
            format!(
                "the lines' VAT adds up to {}, order.vat_amount = {}",
                m(sum),
                grouped(v)
            ),
        ),
        None => f.error(
            Code::VatMismatch,
            input.order_path("vat_amount"),
            format!(
                "the order has no vat_amount (the lines' VAT adds up to {})",
                m(sum)
            ),
        ),
    }
    per_rate
}
