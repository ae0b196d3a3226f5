//! The transaction's own copies of the order: its `items` (the session's items
//! plus the shipping option, matched by `line_id`) and its `billing_address`.

use std::collections::{HashMap, HashSet};

use crate::dintero::{DiscountLine, Item};

use super::status::shown;
use super::{Code, Findings, Input};

/// One expected line: from the session's items or its shipping option.
struct Expected<'a> {
    /// The index in the session's items; `None` for the shipping option.
    index: Option<usize>,
    line_id: Option<&'a str>,
    amount: Option<i64>,
    quantity: Option<rust_decimal::Decimal>,
    vat: Option<rust_decimal::Decimal>,
    vat_amount: Option<i64>,
    gross_amount: Option<i64>,
    discounts: &'a [DiscountLine],
}

impl Expected<'_> {
    /// Where the line is in the session (only built for a message).
    fn path(&self, input: &Input<'_>) -> String {
        match self.index {
            Some(i) => input.order_path(&format!("items[{i}]")),
            None => input.order_path("shipping_option"),
        }
    }
}

/// The session's lines as the transaction should carry them.
fn expected<'a>(input: &'a Input<'_>) -> Vec<Expected<'a>> {
    let mut out: Vec<Expected<'a>> = input
        .order
        .items
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, it)| Expected {
            index: Some(i),
            line_id: it.line_id.as_deref(),
            amount: it.amount,
            quantity: it.quantity,
            vat: it.vat,
            vat_amount: it.vat_amount,
            gross_amount: it.gross_amount,
            discounts: it.discount_lines.as_deref().unwrap_or(&[]),
        })
        .collect();
    if let Some(s) = &input.order.shipping_option {
        out.push(Expected {
            index: None,
            line_id: s.line_id.as_deref(),
            amount: s.amount,
            quantity: Some(rust_decimal::Decimal::ONE),
            vat: s.vat,
            vat_amount: s.vat_amount,
            gross_amount: None,
            discounts: &[],
        });
    }
    out
}

/// The transaction's `items` are the session's items plus shipping, line by line.
pub(super) fn transaction_lines(input: &Input<'_>, f: &mut Findings) {
    let Some(items) = &input.tx.items else {
        return;
    };
    compare_lines(
        input,
        items,
        "transaction.items",
        Code::SessionMismatch,
        true,
        f,
    );
}

/// Compares `items` (at `path`) with the session's lines by `line_id`: missing
/// and extra lines, and different amounts or quantities (and, when `full`, VAT
/// rates and amounts, gross amounts and discount lines), each reported under
/// `code`.
pub(super) fn compare_lines(
    input: &Input<'_>,
    items: &[Item],
    path: &str,
    code: Code,
    full: bool,
    f: &mut Findings,
) {
    let expected = expected(input);
    // By line_id (the first line with an id, as a lookup from the front would
    // find): linear in the number of lines.
    let mut by_id: HashMap<&str, &Expected<'_>> = HashMap::with_capacity(expected.len());
    for e in &expected {
        if let Some(id) = e.line_id {
            by_id.entry(id).or_insert(e);
        }
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        // Paths are built only for a message: most lines have none.
        let here = || format!("{path}[{k}]");
        let Some(id) = item.line_id.as_deref() else {
            f.error(
                code,
                format!("{}.line_id", here()),
                "the line has no line_id",
            );
            continue;
        };
        seen.insert(id);
        let Some(exp) = by_id.get(id).copied() else {
            f.error(
                code,
                here(),
                format!("line_id {id:?} is not in the session's order"),
            );
            continue;
        };
        let mut diff = |field: &str, found: String, want: String| {
            f.error(
                code,
                format!("{}.{field}", here()),
                format!("{found} here, {want} in {}.{field}", exp.path(input)),
            );
        };
        if item.amount != exp.amount {
            diff("amount", opt(item.amount), opt(exp.amount));
        }
        let one = rust_decimal::Decimal::ONE;
        // Decimals compare by value (2.50 == 2.5).
        if item.quantity.unwrap_or(one) != exp.quantity.unwrap_or(one) {
            diff("quantity", optd(item.quantity), optd(exp.quantity));
        }
        if full {
            if item.vat != exp.vat {
                diff("vat", optd(item.vat), optd(exp.vat));
            }
            if item.vat_amount != exp.vat_amount {
                diff("vat_amount", opt(item.vat_amount), opt(exp.vat_amount));
            }
            // Printed under the line: the gross amount and every discount.
            if item.gross_amount != exp.gross_amount {
                diff(
                    "gross_amount",
                    opt(item.gross_amount),
                    opt(exp.gross_amount),
                );
            }
            let found = item.discount_lines.as_deref().unwrap_or(&[]);
            if !found.is_empty() || !exp.discounts.is_empty() {
                compare_discounts(&here(), found, exp, &exp.path(input), code, f);
            }
        }
    }
    for exp in &expected {
        let Some(id) = exp.line_id else { continue };
        if !seen.contains(id) {
            f.error(
                code,
                path.to_string(),
                format!("line_id {id:?} ({}) is missing", exp.path(input)),
            );
        }
    }
}

/// The transaction's discount lines of one line against the session's, one by
/// one: amount, percentage and description (all printed).
fn compare_discounts(
    here: &str,
    found: &[DiscountLine],
    exp: &Expected<'_>,
    exp_path: &str,
    code: Code,
    f: &mut Findings,
) {
    if found.len() != exp.discounts.len() {
        f.error(
            code,
            format!("{here}.discount_lines"),
            format!(
                "{} discount line(s) here, {} in {}.discount_lines",
                found.len(),
                exp.discounts.len(),
                exp_path
            ),
        );
        return;
    }
    for (j, (a, b)) in found.iter().zip(exp.discounts).enumerate() {
        let at = |field: &str| format!("{here}.discount_lines[{j}].{field}");
        let there = |field: &str| format!("{exp_path}.discount_lines[{j}].{field}");
        if a.amount != b.amount {
            f.error(
                code,
                at("amount"),
                format!(
                    "{} here, {} in {}",
                    opt(a.amount),
                    opt(b.amount),
                    there("amount")
                ),
            );
        }
        if a.percentage != b.percentage {
            f.error(
                code,
                at("percentage"),
                format!(
                    "{} here, {} in {}",
                    optd(a.percentage),
                    optd(b.percentage),
                    there("percentage")
                ),
            );
        }
        let (da, db) = (
            super::present(a.description.as_deref()),
            super::present(b.description.as_deref()),
        );
        if da != db {
            f.error(
                code,
                at("description"),
                format!(
                    "{} here, {} in {}",
                    shown(da),
                    shown(db),
                    there("description")
                ),
            );
        }
    }
}

fn opt(v: Option<i64>) -> String {
    v.map(super::grouped).unwrap_or_else(|| "nothing".into())
}

fn optd(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "nothing".into())
}

/// The transaction's billing address, when it has one, equals the session's.
pub(super) fn billing_address(input: &Input<'_>, f: &mut Findings) {
    let Some(tx) = &input.tx.billing_address else {
        return;
    };
    let empty = crate::dintero::Address::default();
    let session = input.order.billing_address.as_ref().unwrap_or(&empty);
    for ((name, a), (_, b)) in tx.fields().into_iter().zip(session.fields()) {
        if super::present(a) != super::present(b) {
            f.error(
                Code::SessionMismatch,
                format!("transaction.billing_address.{name}"),
                format!(
                    "{} here, {} in {}",
                    shown(a),
                    shown(b),
                    input.order_path(&format!("billing_address.{name}"))
                ),
            );
        }
    }
}
