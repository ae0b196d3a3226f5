//! Unit tests of the credit checks on the NO B2B fixture, voided in the ways
//! Kravia voids.

use serde_json::{Value, json};

use super::*;
use crate::dintero::{Session, Transaction};

const TX: &str = include_str!("../../../tests/fixtures/pub_ok_no_b2b_three_rates/transaction.json");
const SESSION: &str =
    include_str!("../../../tests/fixtures/pub_ok_no_b2b_three_rates/session.json");
const BRAND: &str = include_str!("../../../tests/fixtures/pub_ok_no_b2b_three_rates/brand.toml");

fn docs() -> (Value, Value) {
    (
        serde_json::from_str(TX).unwrap(),
        serde_json::from_str(SESSION).unwrap(),
    )
}

fn run(tx: &Value, s: &Value, number: &str) -> Result<VerifiedCreditNote, Report> {
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(&s.to_string()).unwrap();
    let brand = Brand::parse(BRAND).unwrap();
    verify_credit(&tx, Some(&s), &brand, number)
}

fn codes(r: &Report) -> Vec<&'static str> {
    r.errors.iter().map(|e| e.code.as_str()).collect()
}

fn push_event(tx: &mut Value, event: Value) {
    tx["events"].as_array_mut().unwrap().push(event);
}

/// The fixture after a full void (AUTHORIZED → AUTHORIZATION_VOIDED).
fn fully_voided() -> (Value, Value) {
    let (mut tx, s) = docs();
    tx["status"] = "AUTHORIZATION_VOIDED".into();
    push_event(
        &mut tx,
        json!({"event": "VOID", "success": true, "amount": 782_400,
               "transaction_status": "AUTHORIZATION_VOIDED",
               "created_at": "2026-06-03T22:30:00Z"}),
    );
    (tx, s)
}

/// The fixture with 200 000 paid, then the rest voided by `void`.
fn partly_paid_then(void: Value) -> (Value, Value) {
    let (mut tx, s) = docs();
    tx["status"] = "PARTIALLY_CAPTURED".into();
    push_event(
        &mut tx,
        json!({"event": "CAPTURE", "success": true, "amount": 200_000,
               "transaction_status": "PARTIALLY_CAPTURED",
               "created_at": "2026-06-05T09:00:00Z"}),
    );
    push_event(&mut tx, void);
    (tx, s)
}

#[test]
fn full_void_credits_the_whole_invoice_line_by_line() {
    let (tx, s) = fully_voided();
    let c = run(&tx, &s, " KN-1001 ").unwrap();
    assert_eq!(c.credit_number, "KN-1001");
    assert_eq!(c.basis, CreditBasis::WholeInvoice);
    assert_eq!(c.void_event, Some(2));
    // 22:30 UTC on 3 June is 4 June in Oslo.
    assert_eq!(c.issue_date.to_string(), "2026-06-04");
    assert_eq!(c.invoice.invoice_number, "KJ65C-190025");
    assert_eq!(c.lines.len(), 4);
    for (cl, l) in c.lines.iter().zip(&c.invoice.lines) {
        assert_eq!(cl.amount, l.amount);
        assert_eq!(cl.vat_amount, l.vat_amount);
        assert_eq!(cl.quantity, l.quantity);
        assert_eq!(cl.description.as_deref(), Some(l.description.as_str()));
    }
    assert_eq!(c.totals.gross, Money::from_minor(782_400));
    assert_eq!(c.totals.vat, Money::from_minor(129_105));
    assert_eq!(c.vat, c.invoice.vat);
    // a credit note asks for no payment: no codes were built
    assert_eq!(c.invoice.codes, crate::verify::PaymentCodes::default());
}

#[test]
fn partial_void_without_items_is_split_by_largest_remainder() {
    // No amount: the unpaid remainder, 782 400 − 200 000 = 582 400.
    let (tx, s) = partly_paid_then(json!({"name": "void", "success": true,
        "created_at": "2026-06-06T08:00:00Z"}));
    let c = run(&tx, &s, "KN-1002").unwrap();
    assert_eq!(c.basis, CreditBasis::VoidSplit);
    assert_eq!(c.totals.gross, Money::from_minor(582_400));
    // 25 %: 484 200, 15 %: 13 500, 12 %: 284 700 of 782 400.
    // 582 400 × 484 200 / 782 400 = 360 426.99…, × 13 500 → 10 049.07…,
    // × 284 700 → 211 923.92…: the floors add up to 582 398, and the two
    // units left go to the largest remainders, 25 % (.99) and 12 % (.92).
    let got: Vec<(String, i64, i64)> = c
        .lines
        .iter()
        .map(|l| {
            (
                l.vat_rate.to_string(),
                l.amount.minor(),
                l.vat_amount.minor(),
            )
        })
        .collect();
    // VAT in proportion to the invoiced VAT of each rate:
    // 96 840 × 360 427 / 484 200 = 72 085.4 → 72 085; 1 761 × 10 049 / 13 500
    // = 1 310.8… → 1 311; 30 504 × 211 924 / 284 700 = 22 706.46… → 22 706.
    assert_eq!(
        got,
        [
            ("25".to_string(), 360_427, 72_085),
            ("15".to_string(), 10_049, 1_311),
            ("12".to_string(), 211_924, 22_706),
        ]
    );
    assert!(
        c.lines
            .iter()
            .all(|l| l.credits == Credits::RateShare && l.description.is_none())
    );
    assert_eq!(c.vat.len(), 3);
    assert_eq!(c.totals.vat, Money::from_minor(72_085 + 1_311 + 22_706));
    assert_eq!(c.issue_date.to_string(), "2026-06-06");
}

#[test]
fn partial_void_with_items_credits_those_lines() {
    let (tx, s) = partly_paid_then(json!({"event": "VOID", "success": true,
        "amount": 104_800, "created_at": "2026-06-06T08:00:00Z",
        "items": [{"line_id": "shipping-1", "amount": 9_900},
                  {"line_id": "3", "amount": 94_900, "quantity": 1}]}));
    let c = run(&tx, &s, "KN-1003").unwrap();
    assert_eq!(c.basis, CreditBasis::VoidItems);
    // invoice order: line 3, then shipping
    let ids: Vec<&Credits> = c.lines.iter().map(|l| &l.credits).collect();
    assert_eq!(
        ids,
        [
            &Credits::Line {
                line_id: "3".into(),
                line_kind: LineKind::Item
            },
            &Credits::Line {
                line_id: "shipping-1".into(),
                line_kind: LineKind::Shipping
            },
        ]
    );
    // a third of line 3 (284 700, VAT 30 504): VAT 30 504 / 3 = 10 168
    assert_eq!(c.lines[0].amount, Money::from_minor(94_900));
    assert_eq!(c.lines[0].vat_amount, Money::from_minor(10_168));
    assert_eq!(c.lines[0].quantity, Quantity::ONE);
    // the whole shipping line: its own VAT and quantity
    assert_eq!(c.lines[1].vat_amount, Money::from_minor(1_980));
    assert_eq!(c.totals.gross, Money::from_minor(104_800));
    assert_eq!(c.vat.len(), 2);
}

#[test]
fn a_transaction_that_was_never_voided_has_nothing_to_credit() {
    let (tx, s) = docs();
    let r = run(&tx, &s, "KJ65C-190025").unwrap_err();
    // every finding at once: not voided, and the number is the invoice's
    assert_eq!(codes(&r), ["not_voided", "invalid_credit_number"]);
    assert_eq!(r.errors[0].path, "transaction.status");
    assert_eq!(r.errors[1].path, "credit_number");
    assert_eq!(r.invoice_number.as_deref(), Some("KJ65C-190025"));
    // a failed VOID does not count
    let (mut tx, s) = docs();
    push_event(
        &mut tx,
        json!({"event": "VOID", "success": false, "created_at": "2026-06-06T08:00:00Z"}),
    );
    let r = run(&tx, &s, "KN-1").unwrap_err();
    assert_eq!(codes(&r), ["not_voided"]);
    assert!(r.errors[0].message.contains("events[2] failed"), "{r}");
}

#[test]
fn a_void_larger_than_the_open_amount_is_void_mismatch() {
    let (tx, s) = partly_paid_then(json!({"event": "VOID", "success": true,
        "amount": 600_000, "created_at": "2026-06-06T08:00:00Z"}));
    let r = run(&tx, &s, "KN-1004").unwrap_err();
    assert_eq!(codes(&r), ["void_mismatch"]);
    assert_eq!(r.errors[0].path, "transaction.events[3].amount");
    assert!(
        r.errors[0].message.contains("600 000") && r.errors[0].message.contains("582 400"),
        "{}",
        r.errors[0].message
    );
    // nothing unpaid and no amount: nothing to void
    let (mut tx, s) = partly_paid_then(json!({"event": "VOID", "success": true}));
    tx["events"][2]["amount"] = 782_400.into();
    let r = run(&tx, &s, "KN-1004").unwrap_err();
    assert_eq!(codes(&r), ["void_mismatch"]);
}

#[test]
fn void_items_must_be_invoice_lines_within_what_they_invoiced() {
    let void = |items: Value, amount: i64| {
        partly_paid_then(json!({"event": "VOID", "success": true, "amount": amount,
            "created_at": "2026-06-06T08:00:00Z", "items": items}))
    };
    let check = |(tx, s): (Value, Value), path: &str| {
        let r = run(&tx, &s, "KN-1").unwrap_err();
        assert_eq!(codes(&r), ["void_mismatch"], "{r}");
        assert_eq!(r.errors[0].path, path, "{r}");
    };
    check(
        void(json!([{"line_id": "9", "amount": 100}]), 100),
        "transaction.events[3].items[0].line_id",
    );
    check(
        void(json!([{"line_id": "2", "amount": 13_501}]), 13_501),
        "transaction.events[3].items[0].amount",
    );
    check(
        void(
            json!([{"line_id": "2", "amount": 13_500, "quantity": 4}]),
            13_500,
        ),
        "transaction.events[3].items[0].quantity",
    );
    check(
        void(
            json!([{"line_id": "2", "amount": 13_500, "vat": 25}]),
            13_500,
        ),
        "transaction.events[3].items[0].vat",
    );
    check(
        void(
            json!([{"line_id": "2", "amount": 4_500, "vat_amount": 900}]),
            4_500,
        ),
        "transaction.events[3].items[0].vat_amount",
    );
    check(
        void(json!([{"line_id": "2", "amount": 13_500}]), 13_000),
        "transaction.events[3].items",
    );
    check(
        void(
            json!([{"line_id": "2", "amount": 500}, {"line_id": "2", "amount": 500}]),
            1_000,
        ),
        "transaction.events[3].items[1].line_id",
    );
}

#[test]
fn voided_before_collection_started_credits_nothing() {
    let (mut tx, s) = fully_voided();
    tx["events"].as_array_mut().unwrap().remove(1);
    let r = run(&tx, &s, "KN-1").unwrap_err();
    assert!(codes(&r).contains(&"collection_not_started"), "{r}");
}

#[test]
fn invoice_checks_and_credit_checks_are_reported_together() {
    let (tx, mut s) = partly_paid_then(json!({"event": "VOID", "success": true,
        "amount": 900_000, "created_at": "2026-06-06T08:00:00Z"}));
    s["order"]["vat_amount"] = 129_000.into();
    let r = run(&tx, &s, "").unwrap_err();
    assert_eq!(
        codes(&r),
        ["vat_mismatch", "invalid_credit_number", "void_mismatch"],
        "{r}"
    );
}

#[test]
fn a_full_void_with_payments_or_a_larger_amount_is_void_mismatch() {
    let (mut tx, s) = fully_voided();
    tx["events"][2]["amount"] = 782_401.into();
    let r = run(&tx, &s, "KN-1").unwrap_err();
    assert_eq!(codes(&r), ["void_mismatch"]);
    assert_eq!(r.errors[0].path, "transaction.events[2].amount");

    let (mut tx, s) = fully_voided();
    push_event(
        &mut tx,
        json!({"event": "CAPTURE", "success": true, "amount": 1_000,
               "created_at": "2026-06-02T08:00:00Z"}),
    );
    let r = run(&tx, &s, "KN-1").unwrap_err();
    assert!(codes(&r).contains(&"void_mismatch"), "{r}");

    // a smaller VOID amount: the status rules, with a warning
    let (mut tx, s) = fully_voided();
    tx["events"][2]["amount"] = 1_000.into();
    let c = run(&tx, &s, "KN-1").unwrap();
    assert_eq!(c.totals.gross, Money::from_minor(782_400));
    assert!(c.warnings.iter().any(|w| w.code == Code::Assumed));
}

#[test]
fn a_void_dated_before_the_invoice_is_invalid_dates() {
    let (mut tx, s) = fully_voided();
    tx["events"][2]["created_at"] = "2026-05-20T08:00:00Z".into();
    let r = run(&tx, &s, "KN-1").unwrap_err();
    assert_eq!(codes(&r), ["invalid_dates"]);
    assert_eq!(r.errors[0].path, "transaction.events[2].created_at");
}

#[test]
fn a_voided_transaction_is_still_not_invoiceable() {
    let (tx, s) = fully_voided();
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(&s.to_string()).unwrap();
    let r = crate::verify::verify(&tx, Some(&s), &Brand::parse(BRAND).unwrap()).unwrap_err();
    assert_eq!(codes(&r), ["not_invoiceable"]);
}
