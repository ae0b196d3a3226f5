//! The payment codes on the rendered page, decoded the way a banking app reads
//! them: the PDF is rasterised with `pdftoppm` and the symbols are read with
//! `zbarimg`; every decoded field is compared with the verified invoice. The
//! comparison itself is shown to fail for an invoice with another amount or
//! reference, so these tests can fail.

use std::path::Path;
use std::process::Command;

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::payment::Reference;
use kravia_invoice::render::{RenderOptions, render};
use kravia_invoice::verify::{VerifiedInvoice, verify};
use kravia_invoice::{Brand, Money};

use crate::util::fixtures_dir;

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-h").output().is_ok()
}

fn invoice(case: &str) -> (VerifiedInvoice, Brand) {
    let dir = fixtures_dir().join(case);
    let tx =
        Transaction::from_json(&std::fs::read_to_string(dir.join("transaction.json")).unwrap())
            .unwrap();
    let s = std::fs::read_to_string(dir.join("session.json"))
        .ok()
        .map(|t| Session::from_json(&t).unwrap());
    let brand = Brand::load(&dir.join("brand.toml")).unwrap();
    (verify(&tx, s.as_ref(), &brand).unwrap(), brand)
}

/// Renders, rasterises page 1 at `dpi` and decodes `symbology` symbols.
fn decode(inv: &VerifiedInvoice, brand: &Brand, symbology: &str, dpi: u32) -> Option<Vec<String>> {
    if !(have("pdftoppm") && have("zbarimg")) {
        eprintln!(
            "note: pdftoppm/zbarimg missing (apt-get install poppler-utils zbar-tools); skipping decode"
        );
        return None;
    }
    let dir = crate::cli::tempdir();
    let pdf = dir.join("invoice.pdf");
    std::fs::write(&pdf, render(inv, brand, &RenderOptions::default()).unwrap()).unwrap();
    let prefix = dir.join("page");
    let st = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args([
            "--raw",
            "-q",
            "--nodbus",
            "-Sdisable",
            &format!("-S{symbology}.enable"),
        ])
        .arg(Path::new(&format!("{}.png", prefix.display())))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // --raw separates symbols by newlines; an EPC payload has newlines of its own,
    // so split on the symbol boundaries zbarimg leaves: each symbol ends in "\n".
    Some(if symbology == "qrcode" {
        vec![text.trim_end_matches('\n').to_string()]
    } else {
        text.lines().map(str::to_string).collect()
    })
}

/// Every EPC069-12 field that disagrees with the invoice.
fn epc_mismatches(payload: &str, inv: &VerifiedInvoice) -> Vec<String> {
    let l: Vec<&str> = payload.split('\n').collect();
    let get = |i: usize| l.get(i).copied().unwrap_or("");
    let mut bad = Vec::new();
    let mut want = |i: usize, what: &str, expected: String| {
        if get(i) != expected {
            bad.push(format!("{what}: {:?} != {expected:?}", get(i)));
        }
    };
    want(0, "service tag", "BCD".into());
    want(3, "identification", "SCT".into());
    want(
        4,
        "BIC",
        inv.payment
            .bic
            .as_ref()
            .map(|b| b.to_string())
            .unwrap_or_default(),
    );
    want(5, "name", inv.payment.payee_name.clone());
    want(
        6,
        "IBAN",
        inv.payment.iban.as_ref().unwrap().electronic().to_string(),
    );
    want(
        7,
        "amount",
        format!("EUR{}", inv.totals.to_pay.to_plain_string()),
    );
    let rf = match &inv.payment.reference {
        Reference::Fi(r) => r.to_rf().as_str().to_string(),
        Reference::Rf(r) => r.as_str().to_string(),
        other => other.as_str().to_string(),
    };
    want(9, "structured reference", rf);
    want(
        11,
        "due date",
        format!("ReqdExctnDt/{}", inv.due_date.format("%Y-%m-%d")),
    );
    bad
}

#[test]
fn epc_qr_on_the_finnish_invoice_carries_the_verified_payment() {
    let (inv, brand) = invoice("pub_ok_fi_b2c_eur_qr");
    let Some(found) = decode(&inv, &brand, "qrcode", 200) else {
        return;
    };
    let payload = found
        .iter()
        .find(|p| p.starts_with("BCD"))
        .expect("an EPC QR code on page 1");
    assert_eq!(
        epc_mismatches(payload, &inv),
        Vec::<String>::new(),
        "payload:\n{payload}"
    );
    // the same payload does not pass for another amount or reference
    let mut other = inv.clone();
    other.totals.to_pay = Money::from_minor(13150);
    assert!(!epc_mismatches(payload, &other).is_empty());
    let mut other = inv.clone();
    other.payment.reference = Reference::parse(kravia_invoice::Currency::Eur, "20260040").unwrap();
    assert!(!epc_mismatches(payload, &other).is_empty());
}

/// Every field of a Finnish virtual barcode (version 4) that disagrees.
fn barcode_mismatches(code: &str, inv: &VerifiedInvoice) -> Vec<String> {
    let mut bad = Vec::new();
    if code.len() != 54 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return vec![format!("not 54 digits: {code:?}")];
    }
    let iban = inv.payment.iban.as_ref().unwrap().electronic().to_string();
    let (euros, cents) = inv.totals.to_pay.split();
    let checks = [
        ("version", &code[0..1], "4".to_string()),
        ("IBAN digits", &code[1..17], iban[2..].to_string()),
        ("euros", &code[17..23], format!("{euros:06}")),
        ("cents", &code[23..25], format!("{cents:02}")),
        ("reserve", &code[25..28], "000".to_string()),
        (
            "reference",
            &code[28..48],
            format!("{:0>20}", inv.payment.reference.as_str()),
        ),
        (
            "due date",
            &code[48..54],
            inv.due_date.format("%y%m%d").to_string(),
        ),
    ];
    for (what, got, want) in checks {
        if got != want {
            bad.push(format!("{what}: {got} != {want}"));
        }
    }
    bad
}

#[test]
fn virtual_barcode_on_the_finnish_invoice_carries_the_verified_payment() {
    let (inv, brand) = invoice("pub_ok_fi_b2c_eur_qr");
    let Some(found) = decode(&inv, &brand, "code128", 300) else {
        return;
    };
    assert_eq!(found.len(), 1, "one Code 128 symbol: {found:?}");
    assert_eq!(barcode_mismatches(&found[0], &inv), Vec::<String>::new());
    let mut other = inv.clone();
    other.totals.to_pay = Money::from_minor(13148);
    assert!(!barcode_mismatches(&found[0], &other).is_empty());
    let mut other = inv.clone();
    other.due_date = other.due_date.succ_opt().unwrap();
    assert!(!barcode_mismatches(&found[0], &other).is_empty());
}

/// Every UsingQR field that disagrees with the invoice.
fn se_qr_mismatches(payload: &str, inv: &VerifiedInvoice) -> Vec<String> {
    let v: serde_json::Value = match serde_json::from_str(payload) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let mut bad = Vec::new();
    let mut want = |key: &str, expected: serde_json::Value| {
        if v[key] != expected {
            bad.push(format!("{key}: {} != {expected}", v[key]));
        }
    };
    want("uqr", 1.into());
    want("tp", 1.into());
    want("iref", inv.payment.reference.as_str().into());
    want("ddt", inv.due_date.format("%Y%m%d").to_string().into());
    want("idt", inv.issue_date.format("%Y%m%d").to_string().into());
    want("cur", "SEK".into());
    want("nme", inv.payment.payee_name.clone().into());
    if let Some(iban) = &inv.payment.iban {
        want("pt", "IBAN".into());
        want("acc", iban.electronic().into());
    }
    // `due` is a JSON number with two decimals: compare its text exactly.
    let due_text = payload
        .split("\"due\":")
        .nth(1)
        .and_then(|rest| rest.split([',', '}']).next())
        .unwrap_or("");
    let want_due = inv.totals.to_pay.to_plain_string();
    if due_text != want_due {
        bad.push(format!("due: {due_text} != {want_due}"));
    }
    bad
}

#[test]
fn swedish_qr_carries_the_verified_payment() {
    let (inv, brand) = invoice("pub_ok_se_b2b_sek");
    let Some(found) = decode(&inv, &brand, "qrcode", 200) else {
        return;
    };
    let payload = found
        .iter()
        .find(|p| p.starts_with('{'))
        .expect("a UsingQR code on page 1");
    assert_eq!(
        se_qr_mismatches(payload, &inv),
        Vec::<String>::new(),
        "payload: {payload}"
    );
    let mut other = inv.clone();
    other.totals.to_pay = Money::from_minor(615_401);
    assert!(!se_qr_mismatches(payload, &other).is_empty());
}

#[test]
fn norwegian_and_paid_invoices_carry_no_payment_code() {
    for case in [
        "pub_ok_no_b2b_three_rates",
        "pub_ok_no_b2c_captured_embedded",
    ] {
        let (inv, brand) = invoice(case);
        let Some(found) = decode(&inv, &brand, "qrcode", 200) else {
            return;
        };
        assert!(
            found.iter().all(|s| s.is_empty()),
            "{case}: unexpected code {found:?}"
        );
    }
}
