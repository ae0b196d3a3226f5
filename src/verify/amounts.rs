//! Identity (session id, merchant reference), currency and order totals.

use crate::money::{Currency, Money};

use super::status::shown;
use super::{Code, Findings, Input, Line, Totals, grouped};

/// The transaction must belong to the session.
pub(super) fn identity(input: &Input<'_>, f: &mut Findings) {
    if let Some(sid) = input.tx.session_id.as_deref()
        && sid != input.session.id
    {
        f.error(
            Code::SessionMismatch,
            "transaction.session_id",
            format!(
                "transaction belongs to session {sid:?}, the session is {:?}",
                input.session.id
            ),
        );
    }
    let tx_ref = input.tx.merchant_reference.as_deref();
    let order_ref = input.order.merchant_reference.as_deref();
    if tx_ref.is_some() && order_ref.is_some() && tx_ref != order_ref {
        f.error(
            Code::SessionMismatch,
            "transaction.merchant_reference",
            format!(
                "transaction has {}, {} has {}",
                shown(tx_ref),
                input.order_path("merchant_reference"),
                shown(order_ref)
            ),
        );
    }
}

/// Transaction and order currencies agree and are supported.
pub(super) fn currency(input: &Input<'_>, f: &mut Findings) -> Option<Currency> {
    let order = input.order.currency.as_deref().map(str::trim);
    let tx = input.tx.currency.as_deref().map(str::trim);
    if let (Some(t), Some(o)) = (tx, order)
        && !t.eq_ignore_ascii_case(o)
    {
        f.error(
            Code::CurrencyMismatch,
            "transaction.currency",
            format!("transaction is in {t}, the order in {o}"),
        );
    }
    let (path, code) = match (order, tx) {
        (Some(o), _) => (input.order_path("currency"), Some(o)),
        (None, Some(t)) => ("transaction.currency".to_string(), Some(t)),
        (None, None) => (input.order_path("currency"), None),
    };
    match code.map(str::parse::<Currency>) {
        Some(Ok(c)) => Some(c),
        _ => {
            f.error(
                Code::UnsupportedCurrency,
                path,
                format!("expected NOK, SEK or EUR, found {}", shown(code)),
            );
            None
        }
    }
}

/// Transaction amount = order amount = Σ items + shipping.
pub(super) fn totals(input: &Input<'_>, f: &mut Findings) {
    let order_amount = input.order.amount;
    match (input.tx.amount, order_amount) {
        (Some(t), Some(o)) if t != o => f.error(
            Code::AmountMismatch,
            "transaction.amount",
            format!(
                "transaction.amount = {}, {} = {}",
                grouped(t),
                input.order_path("amount"),
                grouped(o)
            ),
        ),
        (None, _) => f.error(
            Code::AmountMismatch,
            "transaction.amount",
            "the transaction has no amount",
        ),
        _ => {}
    }
    // `None`: a line has no amount; `Some(None)`: the sum overflows.
    let items: Option<Option<i64>> = input
        .order
        .items
        .iter()
        .flatten()
        .map(|i| i.amount)
        .try_fold(Some(0i64), |acc, a| {
            Some(acc.and_then(|s| s.checked_add(a?)))
        });
    let shipping = match &input.order.shipping_option {
        Some(s) => s.amount,
        None => Some(0),
    };
    let Some(order_amount) = order_amount else {
        f.error(
            Code::OrderTotalMismatch,
            input.order_path("amount"),
            "the order has no amount",
        );
        return;
    };
    match (items, shipping) {
        (Some(None), Some(_)) => f.error(
            Code::OrderTotalMismatch,
            input.order_path("items"),
            "the items' amounts add up to more than any order can be (overflow)",
        ),
        (Some(Some(i)), Some(s)) => match i.checked_add(s) {
            Some(sum) if sum == order_amount => {}
            Some(sum) => f.error(
                Code::OrderTotalMismatch,
                input.order_path("amount"),
                format!(
                    "items + shipping = {}, order.amount = {}",
                    grouped(sum),
                    grouped(order_amount)
                ),
            ),
            None => f.error(
                Code::OrderTotalMismatch,
                input.order_path("amount"),
                "items + shipping overflow",
            ),
        },
        _ => {
            // Lines without an amount are reported by the VAT checks; say so here too
            // because the total cannot be proved.
            f.error(
                Code::OrderTotalMismatch,
                input.order_path("items"),
                "a line has no amount, so items + shipping cannot be added up",
            );
        }
    }
}

/// The totals from the verified lines: gross = order amount, VAT = Σ line VAT.
pub(super) fn summary(input: &Input<'_>, lines: &[Line], paid: Money) -> Option<Totals> {
    let gross = Money::from_minor(input.order.amount?);
    let vat = lines
        .iter()
        .try_fold(Money::ZERO, |acc, l| acc.checked_add(l.vat_amount))?;
    Some(Totals {
        net: gross.checked_sub(vat)?,
        vat,
        gross,
        paid,
        to_pay: gross.checked_sub(paid)?,
    })
}
