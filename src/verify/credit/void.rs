//! The credit checks: the credit note's number, whether and how the
//! transaction was voided, and what is credited.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::dintero::{Event, Item};
use crate::money::{Money, Quantity, VatRate};

use super::split::{proportional, split_by_weight};
use super::{CreditBasis, CreditLine, CreditTotals, Credited, Credits};
use crate::verify::capture::created;
use crate::verify::invoice::{Line, VatSummary};
use crate::verify::status::shown;
use crate::verify::{Code, Findings, Pieces, m};

/// Where the credit note's own number is reported.
const NUMBER: &str = "credit_number";

/// Runs the credit checks on the checked pieces of the invoice; returns what
/// is credited when every credit check passed (the invoice's own checks may
/// still have failed: the caller decides).
pub(super) fn credited(p: &Pieces<'_>, number: &str, f: &mut Findings) -> Option<Credited> {
    let how = voided(p, f);
    let number = credit_number(p, number, f);
    let collected = collection_started(p, f);
    let how = how?;
    let totals = p.totals?;
    let open = totals.gross.checked_sub(totals.paid)?;
    let before = f.errors.len();
    let (basis, lines) = match how {
        Voided::Whole(event) => (CreditBasis::WholeInvoice, whole(p, event, open, f)),
        Voided::Event(i) => {
            let event = p.input.tx.events.get(i)?;
            let amount = voided_amount(i, event, open, f);
            match event.items.as_deref().filter(|items| !items.is_empty()) {
                Some(items) => (
                    CreditBasis::VoidItems,
                    amount.and_then(|a| void_items(p, i, items, a, f)),
                ),
                None => (
                    CreditBasis::VoidSplit,
                    amount.and_then(|a| rate_shares(p, i, a, f)),
                ),
            }
        }
    };
    let void_event = how.event();
    let date = credit_date(p, void_event, f);
    if f.errors.len() > before || !collected {
        return None;
    }
    let lines = lines?;
    let vat = vat_per_rate(&lines);
    let totals = CreditTotals {
        net: lines.iter().map(|l| l.net).sum(),
        vat: lines.iter().map(|l| l.vat_amount).sum(),
        gross: lines.iter().map(|l| l.amount).sum(),
    };
    Some(Credited {
        number: number?,
        date: date?,
        basis,
        void_event,
        lines,
        vat,
        totals,
    })
}

/// The credit note's own number: not empty, not the invoice number.
fn credit_number(p: &Pieces<'_>, number: &str, f: &mut Findings) -> Option<String> {
    let n = number.trim();
    if n.is_empty() {
        f.error(
            Code::InvalidCreditNumber,
            NUMBER,
            "the credit note has no number: it needs its own number in the seller's series",
        );
        return None;
    }
    if let Some(c) = n.chars().find(|c| c.is_control()) {
        f.error(
            Code::InvalidCreditNumber,
            NUMBER,
            format!(
                "{n:?} contains the control character U+{:04X}",
                u32::from(c)
            ),
        );
        return None;
    }
    if let Some(inv) = p.invoice_number
        && inv.trim().eq_ignore_ascii_case(n)
    {
        f.error(
            Code::InvalidCreditNumber,
            NUMBER,
            format!(
                "{n:?} is the number of the invoice it credits: a credit note has its own number in the seller's series"
            ),
        );
        return None;
    }
    Some(n.to_string())
}

/// How the transaction was voided.
#[derive(Clone, Copy, Debug)]
enum Voided {
    /// AUTHORIZATION_VOIDED; the newest successful VOID event, if any.
    Whole(Option<usize>),
    /// A successful VOID event (the newest) on a transaction that is not
    /// AUTHORIZATION_VOIDED.
    Event(usize),
}

impl Voided {
    fn event(self) -> Option<usize> {
        match self {
            Voided::Whole(e) => e,
            Voided::Event(i) => Some(i),
        }
    }
}

/// The newest successful VOID event (by `created_at`, then position).
fn newest_void(events: &[Event]) -> Option<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_successful("VOID"))
        .max_by(|a, b| created(a.1).cmp(&created(b.1)).then(a.0.cmp(&b.0)))
        .map(|(i, _)| i)
}

/// Whether the transaction was voided, and how; `not_voided` when not.
fn voided(p: &Pieces<'_>, f: &mut Findings) -> Option<Voided> {
    let tx = p.input.tx;
    let status = tx.status.as_deref().map(str::trim);
    let void = newest_void(&tx.events);
    if status == Some("AUTHORIZATION_VOIDED") {
        return Some(Voided::Whole(void));
    }
    if let Some(i) = void {
        return Some(Voided::Event(i));
    }
    let failed = tx
        .events
        .iter()
        .position(|e| e.kind().as_deref() == Some("VOID"));
    f.error(
        Code::NotVoided,
        "transaction.status",
        format!(
            "the status is {} and no VOID event succeeded{}: nothing to credit",
            shown(status),
            match failed {
                Some(i) => format!(" (transaction.events[{i}] failed)"),
                None => String::new(),
            }
        ),
    );
    None
}

/// A credit note credits an invoice that was issued: collection must have
/// started before the void.
fn collection_started(p: &Pieces<'_>, f: &mut Findings) -> bool {
    if p.collection.is_some() {
        return true;
    }
    f.error(
        Code::CollectionNotStarted,
        "transaction.events",
        "no successful INITIATE_CAPTURE or CAPTURE event: collection never started, so no invoice was issued and there is nothing to credit",
    );
    false
}

/// AUTHORIZATION_VOIDED: every invoice line. The void cancels what is unpaid,
/// so nothing may have been paid, and a VOID amount may not exceed it.
fn whole(
    p: &Pieces<'_>,
    event: Option<usize>,
    open: Money,
    f: &mut Findings,
) -> Option<Vec<CreditLine>> {
    let totals = p.totals?;
    if totals.paid != Money::ZERO {
        f.error(
            Code::VoidMismatch,
            "transaction.status",
            format!(
                "AUTHORIZATION_VOIDED cancels the whole invoice of {}, but {} of it is recorded as paid: a void cancels only what is unpaid",
                m(totals.gross),
                m(totals.paid)
            ),
        );
    }
    if let Some(i) = event
        && let Some(e) = p.input.tx.events.get(i)
    {
        if let Some(a) = e.amount.map(Money::from_minor) {
            if a > open {
                f.error(
                    Code::VoidMismatch,
                    format!("transaction.events[{i}].amount"),
                    format!(
                        "the VOID event voids {}, more than the {} of the invoice that is unpaid",
                        m(a),
                        m(open)
                    ),
                );
            } else if a != totals.gross {
                f.warn(
                    Code::Assumed,
                    format!("transaction.events[{i}].amount"),
                    format!(
                        "the VOID event names {}, but the status AUTHORIZATION_VOIDED cancels the whole invoice: all of {} is credited",
                        m(a),
                        m(totals.gross)
                    ),
                );
            }
        }
        for (k, item) in e.items.iter().flatten().enumerate() {
            let path = format!("transaction.events[{i}].items[{k}].line_id");
            match present(item.line_id.as_deref()) {
                Some(id) if is_order_line(p, id) => {}
                id => not_a_line(p, path, id, f),
            }
        }
    }
    Some(p.lines.iter().map(whole_line).collect())
}

fn whole_line(l: &Line) -> CreditLine {
    CreditLine {
        credits: Credits::Line {
            line_id: l.line_id.clone(),
            line_kind: l.kind,
        },
        item_id: l.item_id.clone(),
        description: Some(l.description.clone()),
        quantity: l.quantity,
        vat_rate: l.vat_rate,
        amount: l.amount,
        vat_amount: l.vat_amount,
        net: l.net,
        unit_price_net: l.unit_price_net,
        unit_price_gross: l.unit_price_gross,
    }
}

/// The amount a VOID event voids: its `amount`, else the unpaid remainder;
/// more than zero and at most what is unpaid.
fn voided_amount(i: usize, e: &Event, open: Money, f: &mut Findings) -> Option<Money> {
    let path = format!("transaction.events[{i}].amount");
    let amount = e.amount.map_or(open, Money::from_minor);
    if amount <= Money::ZERO {
        let message = if e.amount.is_some() {
            format!("the VOID event voids {}: nothing to credit", m(amount))
        } else {
            "the VOID event names no amount and nothing of the invoice is unpaid: nothing to credit"
                .to_string()
        };
        f.error(Code::VoidMismatch, path, message);
        return None;
    }
    if amount > open {
        f.error(
            Code::VoidMismatch,
            path,
            format!(
                "the VOID event voids {}, more than the {} of the invoice that is unpaid",
                m(amount),
                m(open)
            ),
        );
        return None;
    }
    Some(amount)
}

/// A field's text, trimmed; `None` when absent or blank.
fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// Whether `id` is the `line_id` of one of the order's lines (checked or not).
fn is_order_line(p: &Pieces<'_>, id: &str) -> bool {
    let order = p.input.order;
    order
        .items
        .iter()
        .flatten()
        .filter_map(|i| present(i.line_id.as_deref()))
        .chain(
            order
                .shipping_option
                .iter()
                .filter_map(|s| present(s.line_id.as_deref())),
        )
        .any(|l| l == id)
}

fn not_a_line(p: &Pieces<'_>, path: String, id: Option<&str>, f: &mut Findings) {
    let ids: Vec<String> = p.lines.iter().map(|l| format!("{:?}", l.line_id)).collect();
    let message = match id {
        Some(id) => format!(
            "{id:?} is not a line of the invoice (its lines: {})",
            ids.join(", ")
        ),
        None => "the voided item names no line_id".to_string(),
    };
    f.error(Code::VoidMismatch, path, message);
}

/// The VOID event's items, each (a part of) an invoice line; they must add up
/// to the voided amount.
fn void_items(
    p: &Pieces<'_>,
    ev: usize,
    items: &[Item],
    amount: Money,
    f: &mut Findings,
) -> Option<Vec<CreditLine>> {
    let base = format!("transaction.events[{ev}].items");
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out: Vec<(usize, CreditLine)> = Vec::new();
    let mut sum = Money::ZERO;
    let mut complete = true;
    for (k, item) in items.iter().enumerate() {
        let here = format!("{base}[{k}]");
        let id = present(item.line_id.as_deref());
        let Some((pos, line)) = id.and_then(|id| {
            p.lines
                .iter()
                .enumerate()
                .find(|(_, l)| l.line_id.trim() == id)
        }) else {
            complete = false;
            match id {
                // A line of the order that failed its own checks is reported there.
                Some(id) if is_order_line(p, id) => {}
                _ => not_a_line(p, format!("{here}.line_id"), id, f),
            }
            continue;
        };
        if !seen.insert(line.line_id.as_str()) {
            f.error(
                Code::VoidMismatch,
                format!("{here}.line_id"),
                format!("line {:?} is voided twice in one event", line.line_id),
            );
            complete = false;
            continue;
        }
        match item_line(line, item, &here, f) {
            Some(c) => {
                sum = sum.checked_add(c.amount)?;
                out.push((pos, c));
            }
            None => complete = false,
        }
    }
    if !complete {
        return None;
    }
    if sum != amount {
        f.error(
            Code::VoidMismatch,
            base,
            format!(
                "the voided items add up to {}, the voided amount is {}",
                m(sum),
                m(amount)
            ),
        );
        return None;
    }
    out.sort_by_key(|(pos, _)| *pos);
    Some(out.into_iter().map(|(_, c)| c).collect())
}

/// One VOID item as a credit of its invoice line: never more than the line
/// invoiced, at the line's VAT rate.
fn item_line(line: &Line, item: &Item, here: &str, f: &mut Findings) -> Option<CreditLine> {
    let Some(a) = item.amount.map(Money::from_minor) else {
        f.error(
            Code::VoidMismatch,
            format!("{here}.amount"),
            format!("the voided item of line {:?} has no amount", line.line_id),
        );
        return None;
    };
    let within = if line.amount > Money::ZERO {
        a > Money::ZERO && a <= line.amount
    } else {
        a == line.amount
    };
    if !within {
        f.error(
            Code::VoidMismatch,
            format!("{here}.amount"),
            format!(
                "voids {} of line {:?}, which was invoiced at {}",
                m(a),
                line.line_id,
                m(line.amount)
            ),
        );
        return None;
    }
    let whole = a == line.amount;
    let quantity = match item.quantity {
        None if whole => line.quantity,
        None => Quantity::ONE,
        Some(q) => match Quantity::new(q) {
            Some(q) if q <= line.quantity => q,
            _ => {
                f.error(
                    Code::VoidMismatch,
                    format!("{here}.quantity"),
                    format!(
                        "voids a quantity of {q} of line {:?}, which invoiced {}",
                        line.line_id, line.quantity
                    ),
                );
                return None;
            }
        },
    };
    if let Some(v) = item.vat
        && VatRate::new(v) != Some(line.vat_rate)
    {
        f.error(
            Code::VoidMismatch,
            format!("{here}.vat"),
            format!(
                "the voided item is at {v} % VAT, line {:?} at {} %",
                line.line_id, line.vat_rate
            ),
        );
        return None;
    }
    let invoiced_share = if whole {
        Some(line.vat_amount)
    } else {
        proportional(line.vat_amount, a, line.amount)
    };
    let vat = match item.vat_amount.map(Money::from_minor) {
        None => invoiced_share?,
        Some(v) => {
            let fits = line.vat_rate.vat_matches(a, v, 1)
                && v.minor().unsigned_abs() <= line.vat_amount.minor().unsigned_abs();
            if !fits {
                f.error(
                    Code::VoidMismatch,
                    format!("{here}.vat_amount"),
                    format!(
                        "the voided item's VAT {} does not belong to {} at {} % (line {:?} invoiced {} VAT)",
                        m(v),
                        m(a),
                        line.vat_rate,
                        line.line_id,
                        m(line.vat_amount)
                    ),
                );
                return None;
            }
            v
        }
    };
    credit_line(
        Credits::Line {
            line_id: line.line_id.clone(),
            line_kind: line.kind,
        },
        Some(line),
        quantity,
        line.vat_rate,
        a,
        vat,
    )
}

fn credit_line(
    credits: Credits,
    line: Option<&Line>,
    quantity: Quantity,
    vat_rate: VatRate,
    amount: Money,
    vat_amount: Money,
) -> Option<CreditLine> {
    let net = amount.checked_sub(vat_amount)?;
    Some(CreditLine {
        credits,
        item_id: line.and_then(|l| l.item_id.clone()),
        description: line.map(|l| l.description.clone()),
        quantity,
        vat_rate,
        amount,
        vat_amount,
        net,
        unit_price_net: quantity.unit_price(net)?,
        unit_price_gross: quantity.unit_price(amount)?,
    })
}

/// The voided amount over the invoice's VAT rates by their gross amounts,
/// one line per rate that gets a share.
fn rate_shares(
    p: &Pieces<'_>,
    ev: usize,
    amount: Money,
    f: &mut Findings,
) -> Option<Vec<CreditLine>> {
    let weights: Vec<Money> = p.vat.iter().map(|v| v.gross).collect();
    let Some(shares) = split_by_weight(amount, &weights) else {
        f.error(
            Code::VoidMismatch,
            format!("transaction.events[{ev}].amount"),
            format!(
                "{} cannot be split over the invoice's VAT rates without crediting a rate more than it invoiced",
                m(amount)
            ),
        );
        return None;
    };
    p.vat
        .iter()
        .zip(shares)
        .filter(|(_, share)| *share != Money::ZERO)
        .map(|(rate, share)| {
            let vat = if share == rate.gross {
                rate.vat
            } else {
                proportional(rate.vat, share, rate.gross)?
            };
            credit_line(
                Credits::RateShare,
                None,
                Quantity::ONE,
                rate.rate,
                share,
                vat,
            )
        })
        .collect()
}

/// Credited VAT per rate, highest rate first.
fn vat_per_rate(lines: &[CreditLine]) -> Vec<VatSummary> {
    let mut out: Vec<VatSummary> = Vec::new();
    for l in lines {
        match out.iter_mut().find(|s| s.rate == l.vat_rate) {
            Some(s) => {
                s.net += l.net;
                s.vat += l.vat_amount;
                s.gross += l.amount;
            }
            None => out.push(VatSummary {
                rate: l.vat_rate,
                net: l.net,
                vat: l.vat_amount,
                gross: l.amount,
            }),
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.rate));
    out
}

/// The credit note's date: the VOID event's day in the seller's time zone;
/// without one, the newest dated event's, else the invoice date (each with a
/// warning). Never before the invoice date.
fn credit_date(p: &Pieces<'_>, void: Option<usize>, f: &mut Findings) -> Option<NaiveDate> {
    let tz = p
        .seller_country
        .time_zone()
        .unwrap_or(chrono_tz::Europe::Oslo);
    let events = &p.input.tx.events;
    let day = |t: DateTime<FixedOffset>| t.with_timezone(&tz).date_naive();
    let issue = p.issue_date?;
    let (path, date) = match void.and_then(|i| Some((i, created(events.get(i)?)?))) {
        Some((i, t)) => (format!("transaction.events[{i}].created_at"), day(t)),
        None => {
            let newest = events
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((created(e)?, i)))
                .max();
            match newest {
                Some((t, i)) => {
                    f.warn(
                        Code::Assumed,
                        "transaction.events",
                        format!(
                            "no dated VOID event: the credit note is dated from transaction.events[{i}] ({})",
                            day(t)
                        ),
                    );
                    (format!("transaction.events[{i}].created_at"), day(t))
                }
                None => {
                    f.warn(
                        Code::Assumed,
                        "transaction.events",
                        format!("no dated event: the credit note takes the invoice date {issue}"),
                    );
                    return Some(issue);
                }
            }
        }
    };
    if date < issue {
        f.error(
            Code::InvalidDates,
            path,
            format!("the void ({date}) is dated before the invoice it credits ({issue})"),
        );
        return None;
    }
    Some(date)
}
