//! Unit tests of the cross-checks against the shared fixtures and perturbations
//! of them.

use super::*;
use crate::dintero::{Session, Transaction};

const TX: &str = include_str!("../../tests/fixtures/pub_ok_no_b2b_three_rates/transaction.json");
const SESSION: &str = include_str!("../../tests/fixtures/pub_ok_no_b2b_three_rates/session.json");
const BRAND: &str = include_str!("../../tests/fixtures/pub_ok_no_b2b_three_rates/brand.toml");

fn docs() -> (serde_json::Value, serde_json::Value) {
    (
        serde_json::from_str(TX).unwrap(),
        serde_json::from_str(SESSION).unwrap(),
    )
}

fn run(tx: &serde_json::Value, s: &serde_json::Value) -> Result<VerifiedInvoice, Report> {
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(&s.to_string()).unwrap();
    let brand = Brand::parse(BRAND).unwrap();
    verify(&tx, Some(&s), &brand)
}

fn codes(r: &Report) -> Vec<&'static str> {
    r.errors.iter().map(|e| e.code.as_str()).collect()
}

#[test]
fn no_b2b_fixture_verifies_with_exact_totals() {
    let (tx, s) = docs();
    let inv = run(&tx, &s).unwrap();
    assert_eq!(inv.invoice_number, "KJ65C-190025");
    assert_eq!(inv.totals.gross, Money::from_minor(782_400));
    assert_eq!(inv.totals.vat, Money::from_minor(129_105));
    assert_eq!(inv.totals.net, Money::from_minor(782_400 - 129_105));
    assert_eq!(inv.totals.to_pay, Money::from_minor(782_400));
    assert_eq!(inv.lines.len(), 4);
    assert_eq!(inv.lines[3].kind, LineKind::Shipping);
    assert_eq!(inv.vat.len(), 3);
    assert_eq!(inv.vat[0].rate.to_string(), "25");
    assert_eq!(inv.vat[0].vat, Money::from_minor(94_860 + 1_980));
    // unit price = net / quantity, half away from zero: (474300 - 94860) / 2
    assert_eq!(inv.lines[0].unit_price_net, Money::from_minor(189_720));
    assert_eq!(inv.issue_date.to_string(), "2026-05-31");
    assert_eq!(inv.due_date.to_string(), "2026-06-14");
    assert!(!inv.dates_derived);
    assert_eq!(inv.kind, CustomerKind::Business);
    assert!(!inv.prices_incl_vat);
    assert_eq!(inv.seller.name, "Lysverket Interiør AS");
}

#[test]
fn amount_perturbation_is_amount_mismatch() {
    let (mut tx, s) = docs();
    tx["amount"] = 782_401.into();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["amount_mismatch"]);
    assert_eq!(r.errors[0].path, "transaction.amount");
    assert!(
        r.errors[0].message.contains("782 401"),
        "{}",
        r.errors[0].message
    );
}

#[test]
fn order_total_perturbation_is_reported_with_both_numbers() {
    let (mut tx, mut s) = docs();
    s["order"]["amount"] = 782_000.into();
    tx["amount"] = 782_000.into();
    let r = run(&tx, &s).unwrap_err();
    assert!(codes(&r).contains(&"order_total_mismatch"), "{r}");
    let f = r
        .errors
        .iter()
        .find(|e| e.code == Code::OrderTotalMismatch)
        .unwrap();
    assert_eq!(f.path, "session.order.amount");
    assert_eq!(
        f.message,
        "items + shipping = 782 400, order.amount = 782 000"
    );
}

#[test]
fn line_vat_perturbation_names_the_line() {
    let (mut tx, mut s) = docs();
    s["order"]["items"][1]["vat_amount"] = 1_763.into();
    tx["items"][1]["vat_amount"] = 1_763.into();
    let r = run(&tx, &s).unwrap_err();
    assert!(codes(&r).contains(&"vat_mismatch"));
    assert!(
        r.errors
            .iter()
            .any(|e| e.path == "session.order.items[1].vat_amount"),
        "{r}"
    );
}

#[test]
fn one_minor_unit_of_rounding_is_allowed() {
    let (mut tx, mut s) = docs();
    // 13500 × 15 / 115 = 1760.87: both 1760 and 1761 are within one øre
    s["order"]["items"][1]["vat_amount"] = 1_760.into();
    tx["items"][1]["vat_amount"] = 1_760.into();
    s["order"]["vat_amount"] = 129_104.into();
    assert!(run(&tx, &s).is_ok());
}

#[test]
fn transaction_line_differences_are_session_mismatch() {
    let (mut tx, s) = docs();
    tx["items"][2]["quantity"] = 4.into();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["session_mismatch"]);
    assert_eq!(r.errors[0].path, "transaction.items[2].quantity");
    let (mut tx, s) = docs();
    tx["items"].as_array_mut().unwrap().pop();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["session_mismatch"]);
    assert!(r.errors[0].message.contains("shipping-1"));
}

#[test]
fn capture_event_must_cover_the_order() {
    let (mut tx, s) = docs();
    tx["events"][1]["amount"] = 700_000.into();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["capture_mismatch"]);
    assert_eq!(r.errors[0].path, "transaction.events[1].amount");
}

#[test]
fn invoice_number_mismatch_points_at_the_event() {
    let (mut tx, s) = docs();
    tx["events"][0]["metadata"]["kravia:invoice_number"] = "KJ65C-190026".into();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["invoice_number_mismatch"]);
    assert_eq!(
        r.errors[0].path,
        "transaction.events[0].metadata[\"kravia:invoice_number\"]"
    );
}

#[test]
fn every_failure_is_reported_at_once() {
    let (mut tx, mut s) = docs();
    tx["status"] = "AUTHORIZATION_VOIDED".into();
    tx["currency"] = "SEK".into();
    tx["metadata"]["kravia:payment_details:kid"] = "003075434964".into();
    tx["metadata"]["kravia:payment_details:bank_account:swift"] = "DNB".into();
    s["order"]["billing_address"]["email"] = serde_json::Value::Null;
    s["customer"] = serde_json::json!({});
    tx["billing_address"]["email"] = serde_json::Value::Null;
    let r = run(&tx, &s).unwrap_err();
    let c = codes(&r);
    for want in [
        "not_invoiceable",
        "currency_mismatch",
        "invalid_kid",
        "invalid_bic",
        "missing_billing_field",
    ] {
        assert!(c.contains(&want), "{want} missing from {c:?}");
    }
}

#[test]
fn missing_dates_are_derived_with_a_warning() {
    let (mut tx, s) = docs();
    for e in tx["events"].as_array_mut().unwrap() {
        let m = e["metadata"].as_object_mut().unwrap();
        m.remove("kravia:invoice_date");
        m.remove("kravia:invoice_due_date");
    }
    let inv = run(&tx, &s).unwrap();
    // INITIATE_CAPTURE at 2026-05-31T10:19Z is 12:19 in Oslo: same day
    assert_eq!(inv.issue_date.to_string(), "2026-05-31");
    assert_eq!(inv.due_date.to_string(), "2026-06-14");
    assert!(inv.dates_derived);
    assert_eq!(inv.warnings[0].code, Code::DatesDerived);
}

#[test]
fn derived_issue_date_uses_the_sellers_time_zone() {
    let (mut tx, s) = docs();
    tx["events"][1]["created_at"] = "2026-05-31T22:30:00Z".into();
    let m = tx["events"][1]["metadata"].as_object_mut().unwrap();
    m.remove("kravia:invoice_date");
    let inv = run(&tx, &s).unwrap();
    assert_eq!(inv.issue_date.to_string(), "2026-06-01");
}

#[test]
fn due_before_issue_is_invalid_dates() {
    let (mut tx, s) = docs();
    tx["events"][1]["metadata"]["kravia:invoice_due_date"] = "2026-05-01".into();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["invalid_dates"]);
    let (mut tx, s) = docs();
    tx["events"][1]["metadata"]["kravia:invoice_date"] = "31.05.2026".into();
    let r = run(&tx, &s).unwrap_err();
    assert_eq!(codes(&r), ["invalid_dates"]);
}

#[test]
fn metadata_numbers_are_read_as_text() {
    let (mut tx, s) = docs();
    tx["metadata"]["kravia:payment_details:bank_account:bban"] = 15_039_966_678u64.into();
    assert!(run(&tx, &s).is_ok());
}

#[test]
fn embedded_session_paths_say_transaction_session() {
    let (mut tx, mut s) = docs();
    s["order"]["vat_amount"] = 1.into();
    tx["session"] = s;
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let r = super::check(&tx, None, None);
    assert_eq!(r.errors[0].path, "transaction.session.order.vat_amount");
}

#[test]
fn seller_without_valid_org_number_is_invalid_seller() {
    let (tx, s) = docs();
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(&s.to_string()).unwrap();
    let brand =
        Brand::parse("[seller]\nname = \"X AS\"\norganization_number = \"849749944\"").unwrap();
    let r = verify(&tx, Some(&s), &brand).unwrap_err();
    assert_eq!(codes(&r), ["invalid_seller"]);
    assert_eq!(r.errors[0].path, "brand.seller.organization_number");
    // without a brand the seller checks are skipped
    assert!(super::check(&tx, Some(&s), None).is_ok());
}

#[test]
fn an_unbarcodable_finnish_invoice_says_why_in_a_warning() {
    let tx: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/pub_ok_fi_b2c_eur_qr/transaction.json"
    ))
    .unwrap();
    let mut tx = tx;
    tx["metadata"]["kravia:payment_details:kid"] = "RF47ABC123".into();
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(include_str!(
        "../../tests/fixtures/pub_ok_fi_b2c_eur_qr/session.json"
    ))
    .unwrap();
    let inv = super::check(&tx, Some(&s), None);
    assert!(inv.is_ok());
    assert_eq!(inv.warnings.len(), 1, "{:?}", inv.warnings);
    assert_eq!(inv.warnings[0].code, Code::Assumed);
    assert!(inv.warnings[0].message.contains("RF47ABC123"));
    // the fixture itself (numeric reference, 131.49 EUR) has no such warning
    let tx = Transaction::from_json(include_str!(
        "../../tests/fixtures/pub_ok_fi_b2c_eur_qr/transaction.json"
    ))
    .unwrap();
    assert!(super::check(&tx, Some(&s), None).warnings.is_empty());
}

/// The FI fixture, verified with its own brand after `edit` changes the transaction.
fn fi_verified(edit: impl FnOnce(&mut serde_json::Value)) -> Result<VerifiedInvoice, Report> {
    let mut tx: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/pub_ok_fi_b2c_eur_qr/transaction.json"
    ))
    .unwrap();
    edit(&mut tx);
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(include_str!(
        "../../tests/fixtures/pub_ok_fi_b2c_eur_qr/session.json"
    ))
    .unwrap();
    let brand = Brand::parse(include_str!(
        "../../tests/fixtures/pub_ok_fi_b2c_eur_qr/brand.toml"
    ))
    .unwrap();
    verify(&tx, Some(&s), &brand)
}

#[test]
fn verify_decides_and_builds_the_payment_codes() {
    let inv = fi_verified(|_| {}).unwrap();
    let epc = inv
        .codes
        .epc_qr
        .as_ref()
        .expect("EPC QR for EUR with an IBAN");
    assert!(
        epc.payload.starts_with("BCD\n001\n1\nSCT\n"),
        "{}",
        epc.payload
    );
    assert!(epc.payload.contains("EUR131.49"), "{}", epc.payload);
    assert!(epc.matrix.size >= 21);
    let bar = inv
        .codes
        .fi_barcode
        .as_ref()
        .expect("barcode for a Finnish IBAN");
    assert_eq!(
        bar.digits,
        "429123673002076190001314900000000000006039527574260626"
    );
    assert!(!bar.bars.is_empty());
    assert!(inv.codes.se_qr.is_none());
    // the legal lines are decided here too: Y-tunnus and ALV-numero
    assert_eq!(
        inv.seller.legal[..2],
        [
            super::LegalLine::BusinessId("2392340-6".into()),
            super::LegalLine::VatNumber("FI23923406".into())
        ]
    );
    // and the whole bill serialises
    let json = serde_json::to_value(&inv).unwrap();
    assert_eq!(json["totals"]["gross"], 13149);
    assert_eq!(json["codes"]["fi_barcode"]["digits"], bar.digits.as_str());
}

#[test]
fn a_paid_invoice_carries_no_payment_code() {
    let inv = fi_verified(|tx| {
        tx["status"] = "CAPTURED".into();
        tx["events"].as_array_mut().unwrap().push(
            serde_json::json!({"event": "CAPTURE", "success": true, "amount": 13149,
                "created_at": "2026-06-20T10:00:00Z"}),
        );
    })
    .unwrap();
    assert_eq!(inv.totals.to_pay.minor(), 0);
    assert_eq!(inv.codes, super::PaymentCodes::default());
}
