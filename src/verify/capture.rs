//! The collection event and the payments recorded after it.
//!
//! The collection event is the successful INITIATE_CAPTURE (merchant delivery:
//! Kravia starts collecting), or without one the first successful CAPTURE. It
//! must cover the whole order. Later CAPTURE events record what the customer
//! has paid, and may be partial: each is a non-negative amount, and together
//! they are at most the order.

use chrono::{DateTime, FixedOffset};

use crate::dintero::{Event, Transaction};
use crate::money::Money;

use super::lines::compare_lines;
use super::{Code, Findings, Input, grouped, m};

/// The index of the collection event in `transaction.events`.
pub(super) fn collection_event(tx: &Transaction) -> Option<usize> {
    tx.events
        .iter()
        .position(|e| e.is_successful("INITIATE_CAPTURE"))
        .or_else(|| tx.events.iter().position(|e| e.is_successful("CAPTURE")))
}

pub(super) fn created(e: &Event) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(e.created_at.as_deref()?.trim()).ok()
}

/// Checks the collection event against the order and returns what has been paid.
pub(super) fn check(input: &Input<'_>, collection: Option<usize>, f: &mut Findings) -> Money {
    let events = &input.tx.events;
    let Some(ci) = collection else {
        return Money::ZERO;
    };
    let Some(ce) = events.get(ci) else {
        return Money::ZERO;
    };
    let path = format!("transaction.events[{ci}]");
    if let (Some(a), Some(o)) = (ce.amount, input.order.amount)
        && a != o
    {
        f.error(
            Code::CaptureMismatch,
            format!("{path}.amount"),
            format!(
                "the collection event ({}) is for {}, {} = {}",
                ce.kind().unwrap_or_default(),
                grouped(a),
                input.order_path("amount"),
                grouped(o)
            ),
        );
    }
    if let Some(items) = &ce.items {
        compare_lines(
            input,
            items,
            &format!("{path}.items"),
            Code::CaptureMismatch,
            false,
            f,
        );
    }

    // Payments: CAPTUREs after an INITIATE_CAPTURE, or every CAPTURE without one.
    let initiated = ce.is_successful("INITIATE_CAPTURE");
    let start = created(ce);
    let mut paid = Money::ZERO;
    for (i, e) in events.iter().enumerate() {
        if !e.is_successful("CAPTURE") {
            continue;
        }
        let after = !initiated
            || match (start, created(e)) {
                (Some(s), Some(t)) => t > s,
                _ => i > ci,
            };
        if !after {
            continue;
        }
        // A payment is a non-negative amount; together they are at most the
        // order (a negative one would print more to pay than was ordered).
        let path = format!("transaction.events[{i}].amount");
        let amount = match e.amount {
            Some(a) if a >= 0 => Money::from_minor(a),
            Some(a) => {
                f.error(
                    Code::CaptureMismatch,
                    path,
                    format!("a payment (CAPTURE) of {} is negative", grouped(a)),
                );
                continue;
            }
            None => {
                f.error(
                    Code::CaptureMismatch,
                    path,
                    "the payment (CAPTURE) has no amount",
                );
                continue;
            }
        };
        let Some(sum) = paid.checked_add(amount) else {
            f.error(
                Code::CaptureMismatch,
                path,
                "the payments (CAPTURE) add up to more than any order can be",
            );
            return paid;
        };
        paid = sum;
        if let Some(o) = input.order.amount
            && paid.minor() > o
        {
            f.error(
                Code::CaptureMismatch,
                path,
                format!(
                    "payments add up to {}, more than the order amount {}",
                    m(paid),
                    grouped(o)
                ),
            );
            return paid;
        }
    }
    paid
}
