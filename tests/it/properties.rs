//! Generated consistent orders verify; any single perturbed amount, rate or
//! identifier fails with the matching code.

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::payment::{Iban, Kid, NoAccount};
use kravia_invoice::verify::Code;
use proptest::prelude::*;
use serde_json::{Value, json};

/// VAT rates in basis points of a percent (2550 = 25.5 %).
pub(crate) const RATES_BP: [i64; 8] = [0, 600, 1000, 1200, 1350, 1500, 2500, 2550];

fn rate_json(bp: i64) -> Value {
    serde_json::from_str(&format!(
        "{}",
        rust_decimal::Decimal::new(bp, 2).normalize()
    ))
    .unwrap()
}

/// VAT contained in `amount` at `bp`, rounded half away from zero, computed
/// independently of the library in i128.
fn vat_of(amount: i64, bp: i64) -> i64 {
    let num = i128::from(amount) * i128::from(bp);
    let den = 10_000i128 + i128::from(bp);
    let q = num / den;
    let r = num % den;
    (if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }) as i64
}

#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub(crate) lines: Vec<(i64, usize, u32)>, // amount, rate index, quantity
    pub(crate) shipping: Option<i64>,
    kid_payload: String,
    account_payload: String,
}

pub(crate) fn order() -> impl Strategy<Value = Order> {
    (
        prop::collection::vec(
            (1_000i64..5_000_000, 0usize..RATES_BP.len(), 1u32..20),
            1..7,
        ),
        prop::option::of(1_000i64..50_000),
        "[0-9]{5,20}",
        "[1-9][0-9]{9}",
    )
        .prop_map(|(lines, shipping, kid_payload, account_payload)| Order {
            lines,
            shipping,
            kid_payload,
            account_payload,
        })
}

/// The documents for an order; `None` when the account payload has no check digit.
pub(crate) fn documents(o: &Order) -> Option<(Value, Value)> {
    let account = NoAccount::with_check(&o.account_payload).ok()?;
    let iban = Iban::from_bban("NO", account.as_str()).ok()?;
    let kid = Kid::with_mod10(&o.kid_payload).ok()?;
    let mut items = Vec::new();
    let mut total = 0i64;
    let mut vat_total = 0i64;
    for (i, (amount, ri, q)) in o.lines.iter().enumerate() {
        let bp = RATES_BP[*ri];
        let vat = vat_of(*amount, bp);
        total += amount;
        vat_total += vat;
        items.push(
            json!({"id": format!("SKU-{i}"), "line_id": format!("{}", i + 1),
            "description": format!("Vare nr. {i} – blåbær"), "quantity": q, "amount": amount,
            "vat_amount": vat, "vat": rate_json(bp)}),
        );
    }
    let mut tx_items = items.clone();
    let shipping = o.shipping.map(|a| {
        let vat = vat_of(a, 2500);
        total += a;
        vat_total += vat;
        tx_items.push(
            json!({"id": "ship", "line_id": "shipping-1", "description": "Frakt",
            "quantity": 1, "amount": a, "vat_amount": vat, "vat": 25}),
        );
        json!({"id": "ship", "line_id": "shipping-1", "amount": a, "vat_amount": vat, "vat": 25,
            "title": "Frakt", "operator": "Bring"})
    });
    let billing = json!({"first_name": "Åse", "last_name": "Ødegård", "business_name": "Fjord AS",
        "organization_number": "989645668", "address_line": "Gata 1", "postal_code": "0150",
        "postal_place": "Oslo", "country": "NO", "email": "a@b.no", "phone_number": "+4790000000"});
    let capture_items: Vec<Value> = tx_items
        .iter()
        .map(|i| json!({"line_id": i["line_id"], "amount": i["amount"], "quantity": i["quantity"]}))
        .collect();
    let mut order = json!({"amount": total, "currency": "NOK", "vat_amount": vat_total,
        "merchant_reference": "ORD-1", "items": items, "billing_address": billing});
    if let Some(s) = shipping {
        order["shipping_option"] = s;
    }
    let session = json!({"id": "S.1", "order": order});
    let tx = json!({"id": "T.1", "session_id": "S.1", "payment_product_type": "kravia.invoice_b2b",
        "amount": total, "currency": "NOK", "merchant_reference": "ORD-1", "status": "AUTHORIZED",
        "items": tx_items, "billing_address": billing,
        "metadata": {"kravia:invoice_number": "A1B2C-000042",
            "kravia:payment_details:kid": kid.as_str(),
            "kravia:payment_details:bank_account:bban": account.as_str(),
            "kravia:payment_details:bank_account:iban": iban.electronic(),
            "kravia:payment_details:bank_account:swift": "DNBANOKK"},
        "events": [{"event": "INITIATE_CAPTURE", "success": true, "amount": total,
            "created_at": "2026-05-04T10:02:17.930Z", "items": capture_items,
            "metadata": {"kravia:invoice_date": "2026-05-04", "kravia:invoice_due_date": "2026-05-18",
                "kravia:invoice_number": "A1B2C-000042"}}]});
    Some((tx, session))
}

fn codes(tx: &Value, s: &Value) -> Result<(), Vec<Code>> {
    let tx = Transaction::from_json(&tx.to_string()).unwrap();
    let s = Session::from_json(&s.to_string()).unwrap();
    let report = kravia_invoice::verify::check(&tx, Some(&s), None);
    if report.is_ok() {
        Ok(())
    } else {
        Err(report.errors.iter().map(|e| e.code).collect())
    }
}

/// Replaces the digit at `pos` (mod the number of digits) with another digit.
fn bump_digit(s: &str, pos: usize, by: u32) -> String {
    let digits: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let at = digits[pos % digits.len()];
    s.char_indices()
        .map(|(i, c)| {
            if i == at {
                char::from_digit((c.to_digit(10).unwrap() + 1 + by % 9) % 10, 10).unwrap()
            } else {
                c
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn consistent_orders_verify(o in order()) {
        let Some((tx, s)) = documents(&o) else { return Ok(()) };
        prop_assert_eq!(codes(&tx, &s), Ok(()));
    }

    #[test]
    fn a_single_perturbation_fails_with_its_code(
        o in order(), which in 0usize..12, pick in any::<prop::sample::Index>(), by in 0u32..9
    ) {
        let Some((mut tx, mut s)) = documents(&o) else { return Ok(()) };
        let n = o.lines.len();
        let k = pick.index(n);
        let meta = |tx: &mut Value, key: &str| -> String {
            tx["metadata"][key].as_str().unwrap().to_string()
        };
        let want = match which {
            0 => { // a line amount in the session only
                let a = s["order"]["items"][k]["amount"].as_i64().unwrap();
                s["order"]["items"][k]["amount"] = (a + 1 + i64::from(by)).into();
                Code::OrderTotalMismatch
            }
            1 => { // a line's VAT, in both documents
                let v = s["order"]["items"][k]["vat_amount"].as_i64().unwrap() + 2 + i64::from(by);
                s["order"]["items"][k]["vat_amount"] = v.into();
                tx["items"][k]["vat_amount"] = v.into();
                Code::VatMismatch
            }
            2 => { // a line's rate, in both documents
                let bp = RATES_BP[o.lines[k].1] + 500;
                s["order"]["items"][k]["vat"] = rate_json(bp);
                tx["items"][k]["vat"] = rate_json(bp);
                Code::VatMismatch
            }
            3 => {
                let a = tx["amount"].as_i64().unwrap();
                tx["amount"] = (a - 1 - i64::from(by)).into();
                Code::AmountMismatch
            }
            4 => {
                let kid = meta(&mut tx, "kravia:payment_details:kid");
                let bad = bump_digit(&kid, pick.index(kid.len()), by);
                prop_assume!(Kid::parse(&bad).is_err()); // the other modulus may pass by chance
                tx["metadata"]["kravia:payment_details:kid"] = bad.into();
                Code::InvalidKid
            }
            5 => {
                let acc = meta(&mut tx, "kravia:payment_details:bank_account:bban");
                tx["metadata"]["kravia:payment_details:bank_account:bban"] =
                    bump_digit(&acc, pick.index(11), by).into();
                Code::InvalidAccountNumber
            }
            6 => {
                let iban = meta(&mut tx, "kravia:payment_details:bank_account:iban");
                tx["metadata"]["kravia:payment_details:bank_account:iban"] =
                    bump_digit(&iban, pick.index(13), by).into();
                Code::InvalidIban
            }
            7 => {
                let q = tx["items"][k]["quantity"].as_u64().unwrap();
                tx["items"][k]["quantity"] = (q + 1).into();
                Code::SessionMismatch
            }
            8 => {
                let v = s["order"]["vat_amount"].as_i64().unwrap();
                s["order"]["vat_amount"] = (v + 1).into();
                Code::VatMismatch
            }
            9 => {
                tx["events"][0]["metadata"]["kravia:invoice_number"] = "A1B2C-000043".into();
                Code::InvoiceNumberMismatch
            }
            10 => {
                tx["events"][0]["metadata"]["kravia:invoice_due_date"] = "2026-05-03".into();
                Code::InvalidDates
            }
            _ => {
                let a = tx["events"][0]["amount"].as_i64().unwrap();
                tx["events"][0]["amount"] = (a - 1).into();
                Code::CaptureMismatch
            }
        };
        match codes(&tx, &s) {
            Ok(()) => prop_assert!(false, "perturbation {} verified", which),
            Err(c) => prop_assert!(c.contains(&want), "perturbation {} gave {:?}, wanted {:?}", which, c, want),
        }
    }
}
