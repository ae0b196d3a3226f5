//! Arbitrary, truncated and mistyped input never panics: it parses to an error
//! that names the problem, or verifies to a report.

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::verify::verify;
use proptest::prelude::*;
use serde_json::Value;

use crate::util::fixtures_dir;

fn load(case: &str, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixtures_dir().join(case).join(file)).unwrap())
        .unwrap()
}

/// Every path (object key or array index) in a JSON document.
fn paths(v: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(PathStep::Key(k.clone()));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                prefix.push(PathStep::Index(i));
                out.push(prefix.clone());
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Key(k) => cur.get_mut(k)?,
            PathStep::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some(cur)
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(Value::String(String::new())),
        Just(Value::Bool(true)),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        Just(serde_json::json!(1e300)),
        Just(serde_json::json!(-9223372036854775808i64)),
        Just(serde_json::json!(18446744073709551615u64)),
        Just(serde_json::json!(0.5)),
        Just(serde_json::json!(-1)),
        Just(Value::String("١٢٣".into())),
        any::<i64>().prop_map(Value::from),
        "[\\PC]{0,12}".prop_map(Value::String),
    ]
}

/// Parses and verifies, asserting only that nothing panics and that every
/// outcome is well-formed.
fn exercise(tx: &str, session: &str) {
    let brand = Brand::parse(include_str!(
        "../fixtures/pub_ok_no_b2b_three_rates/brand.toml"
    ))
    .unwrap();
    match (Transaction::from_json(tx), Session::from_json(session)) {
        (Ok(t), Ok(s)) => match verify(&t, Some(&s), &brand) {
            Ok(inv) => assert!(!inv.invoice_number.is_empty()),
            Err(r) => {
                assert!(!r.errors.is_empty());
                for e in &r.errors {
                    assert!(!e.path.is_empty() && !e.message.is_empty());
                }
            }
        },
        (Err(e), _) | (_, Err(e)) => assert!(!e.to_string().is_empty()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn mutated_documents_never_panic(
        which in 0usize..4,
        pick in any::<prop::sample::Index>(),
        value in replacement(),
        delete in any::<bool>(),
    ) {
        let cases = ["pub_ok_no_b2b_three_rates", "pub_ok_fi_b2c_eur_qr", "pub_ok_se_b2b_sek", "pub_err_vat_mismatch"];
        let case = cases[which];
        let mut tx = load(case, "transaction.json");
        let mut s = load(case, "session.json");
        let target = if pick.index(2) == 0 { &mut tx } else { &mut s };
        let mut all = Vec::new();
        paths(target, &mut Vec::new(), &mut all);
        let path = pick.get(&all).clone();
        if delete {
            if let Some((last, parent)) = path.split_last()
                && let Some(p) = at(target, parent)
            {
                match (p, last) {
                    (Value::Object(m), PathStep::Key(k)) => { m.remove(k); }
                    (Value::Array(a), PathStep::Index(i)) if *i < a.len() => { a.remove(*i); }
                    _ => {}
                }
            }
        } else if let Some(slot) = at(target, &path) {
            *slot = value;
        }
        exercise(&tx.to_string(), &s.to_string());
    }

    #[test]
    fn truncated_documents_never_panic(cut in any::<prop::sample::Index>()) {
        let tx = load("pub_ok_no_b2b_three_rates", "transaction.json").to_string();
        let s = load("pub_ok_no_b2b_three_rates", "session.json").to_string();
        let n = cut.index(tx.len());
        let mut end = n;
        while !tx.is_char_boundary(end) { end -= 1; }
        exercise(&tx[..end], &s);
        let mut end = cut.index(s.len());
        while !s.is_char_boundary(end) { end -= 1; }
        exercise(&tx, &s[..end]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        exercise(&text, &text);
    }
}

#[test]
fn truncated_input_on_the_command_line_exits_1() {
    let dir = crate::cli::tempdir();
    let full =
        std::fs::read_to_string(fixtures_dir().join("pub_ok_no_b2b_three_rates/transaction.json"))
            .unwrap();
    let t = dir.join("t.json");
    std::fs::write(&t, &full[..full.len() / 2]).unwrap();
    let out = crate::util::check_against_fixture_session(&t);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["fatal"].as_str().unwrap().contains("EOF"), "{doc}");
}
