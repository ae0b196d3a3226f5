//! Unit tests of the module's pieces on hand-built invoices; the integration
//! tests (`tests/it/einvoice*.rs`) read whole documents back.

use super::*;
use crate::money::Money;
use crate::testkit::{fi_b2c, no_b2b, se_b2b};

#[test]
fn b2b_invoices_have_no_errors() {
    for inv in [no_b2b(), se_b2b()] {
        let findings = check(&inv);
        assert!(
            findings.iter().all(|f| f.severity == Severity::Warning),
            "{findings:#?}"
        );
        let xml = ubl(&inv, None).unwrap();
        assert!(xml.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    }
}

#[test]
fn a_consumer_invoice_gets_no_ubl() {
    let inv = fi_b2c();
    let e = ubl(&inv, None).unwrap_err();
    assert!(
        matches!(e, EinvoiceError::MissingBuyerOrganisationNumber { .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("session.order.billing_address.organization_number"),
        "{e}"
    );
    let findings = check(&inv);
    assert_eq!(findings[0].rule, "PEPPOL-EN16931-R010");
    assert_eq!(
        findings[0].path,
        "session.order.billing_address.organization_number"
    );
}

#[test]
fn the_same_invoice_gives_the_same_bytes() {
    let inv = no_b2b();
    let pdf = b"%PDF-1.7 not really".as_slice();
    assert_eq!(ubl(&inv, Some(pdf)).unwrap(), ubl(&inv, Some(pdf)).unwrap());
}

#[test]
fn a_broken_vat_sum_is_refused_with_its_rule() {
    let mut inv = no_b2b();
    inv.totals.vat += Money::from_minor(1);
    let e = ubl(&inv, None).unwrap_err();
    let EinvoiceError::Invalid { findings, .. } = &e else {
        panic!("{e}")
    };
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"BR-CO-14"), "{rules:?}");
    assert!(rules.contains(&"BR-CO-15"), "{rules:?}");
    assert!(e.to_string().contains("BR-CO-14"), "{e}");
}

use std::borrow::Cow;

use crate::country::Country;
use crate::payment::OrgNumber;
use crate::testkit::{finish, line};
use crate::verify::invoice::LineKind;

use super::model::{DocKind, TaxCode};

/// With `KRAVIA_STORE=1`, keeps the XML in `target/einvoice-dev/` for the
/// official schematron (see the README).
fn store(name: &str, xml: &[u8]) {
    if std::env::var_os("KRAVIA_STORE").is_some() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/einvoice-dev");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), xml).unwrap();
    }
}

fn errors(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect()
}

/// NO B2B with a 0 % line.
fn with_zero_rate() -> crate::VerifiedInvoice {
    let mut inv = no_b2b();
    inv.lines.insert(
        3,
        line("5", LineKind::Item, "Avisabonnement", "1", 39_900, 0, "0"),
    );
    finish(&mut inv);
    inv
}

/// The document of `inv` after `edit`, preflighted and written.
fn edited(
    inv: &crate::VerifiedInvoice,
    edit: impl FnOnce(&mut model::Document<'_>),
) -> (Vec<Finding>, Vec<u8>) {
    let mut findings = Vec::new();
    let mut doc = build::document(inv, None, &mut findings);
    edit(&mut doc);
    findings.clear();
    rules::preflight(&doc, &mut findings);
    (findings, write::document(&doc).unwrap())
}

#[test]
fn zero_rated_lines_are_z_with_a_warning() {
    let inv = with_zero_rate();
    let findings = check(&inv);
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    let w = findings
        .iter()
        .find(|f| f.rule == "assumed-zero-rated")
        .unwrap();
    assert_eq!(w.path, "session.order.items[3].vat");
    let xml = String::from_utf8(ubl(&inv, None).unwrap()).unwrap();
    assert!(xml.contains("<cbc:ID>Z</cbc:ID>"));
    store("no-zero-rated.xml", xml.as_bytes());
}

#[test]
fn exempt_lines_carry_their_reason() {
    let inv = with_zero_rate();
    let reason = "Unntatt etter mval. § 3-6";
    let exempt = |doc: &mut model::Document<'_>| {
        for c in doc
            .lines
            .iter_mut()
            .map(|l| &mut l.category)
            .chain(doc.tax.iter_mut().map(|t| &mut t.category))
            .filter(|c| c.code == TaxCode::Z)
        {
            c.code = TaxCode::E;
            c.exemption_reason = Some(Cow::Borrowed(reason));
        }
    };
    let (findings, xml) = edited(&inv, exempt);
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(
        text.contains("<cbc:TaxExemptionReason>Unntatt etter mval. § 3-6</cbc:TaxExemptionReason>")
    );
    store("no-exempt.xml", &xml);
    // BR-E-10: without the reason the rule fires.
    let (findings, _) = edited(&inv, |doc| {
        exempt(doc);
        for t in &mut doc.tax {
            t.category.exemption_reason = None;
        }
    });
    assert_eq!(errors(&findings), ["BR-E-10"]);
}

#[test]
fn a_seller_not_registered_for_vat_writes_category_o() {
    let mut inv = no_b2b();
    inv.lines = vec![
        line("1", LineKind::Item, "Konsulenttime", "2", 200_000, 0, "0"),
        line("2", LineKind::Item, "Reise", "1", 15_050, 0, "0"),
    ];
    finish(&mut inv);
    inv.seller.vat_registered = false;
    let findings = check(&inv);
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    let xml = ubl(&inv, None).unwrap();
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(text.contains("<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>"));
    assert!(!text.contains("MVA</cbc:CompanyID>"));
    store("no-not-vat-registered.xml", &xml);
    // With a VAT line too, BR-S-02 (no VAT number) and BR-O-11 (mixed) fire.
    let mut mixed = inv.clone();
    mixed
        .lines
        .push(line("3", LineKind::Item, "Vare", "1", 12_500, 2_500, "25"));
    finish(&mut mixed);
    let rules = errors(&check(&mixed));
    assert!(
        rules.contains(&"BR-S-02") && rules.contains(&"BR-O-11"),
        "{rules:?}"
    );
}

#[test]
fn the_writer_makes_a_credit_note_from_the_same_parts() {
    let inv = no_b2b();
    let (findings, xml) = edited(&inv, |doc| {
        doc.kind = DocKind::CreditNote {
            invoice_number: doc.id.to_string(),
            invoice_date: doc.issue_date,
        };
        doc.id = Cow::Borrowed("KN-2026-0001");
    });
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(text.contains(
        "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""
    ));
    assert!(text.contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"));
    assert!(text.contains("<cac:InvoiceDocumentReference>\n      <cbc:ID>KJ65C-190025</cbc:ID>"));
    assert!(text.contains("<cbc:CreditedQuantity unitCode=\"EA\">2</cbc:CreditedQuantity>"));
    assert!(!text.contains("<cbc:DueDate>") && text.contains("<cbc:PaymentDueDate>2026-06-14"));
    store("no-credit-note.xml", &xml);
}

#[test]
fn preflight_names_each_broken_rule() {
    let base = no_b2b();
    let case = |edit: &dyn Fn(&mut crate::VerifiedInvoice)| {
        let mut inv = base.clone();
        edit(&mut inv);
        check(&inv)
    };
    let rules = |f: Vec<Finding>| errors(&f).join(",");
    // BR-S-09: VAT per rate more than 1.00 from taxable × rate, everything
    // else consistent (the lines' rounded VAT drifted).
    let drift = |minor: i64| {
        move |i: &mut crate::VerifiedInvoice| {
            let d = Money::from_minor(minor);
            i.lines[0].vat_amount += d;
            i.lines[0].net -= d;
            i.vat[0].vat += d;
            i.vat[0].net -= d;
            i.totals.vat += d;
            i.totals.net -= d;
        }
    };
    // 25 %: taxable 3873.60, VAT 968.40. Moving 0.80 from net to VAT gives
    // 3872.80 × 25 % = 968.20 against 969.20: 1.00 off, not below 1.
    assert_eq!(rules(case(&drift(80))), "BR-S-09");
    assert_eq!(rules(case(&drift(-80))), "BR-S-09");
    // 0.79 gives 969.19 against 968.20: 0.99 off, within the tolerance.
    assert_eq!(rules(case(&drift(79))), "");
    assert_eq!(rules(case(&drift(-79))), "");
    // BR-S-08: the taxable amount of a rate is not the sum of its lines.
    assert!(rules(case(&|i| i.vat[1].net += Money::from_minor(1))).contains("BR-S-08"));
    // BR-CO-16: the amount due must be the total less what was paid.
    assert_eq!(
        rules(case(&|i| i.totals.paid = Money::from_minor(10_000))),
        "BR-CO-16"
    );
    // BR-CO-10: Σ line net.
    assert!(rules(case(&|i| i.lines[1].net += Money::from_minor(1))).starts_with("BR-CO-10"));
    // PEPPOL-EN16931-R003: no buyer reference at all.
    assert_eq!(
        rules(case(&|i| {
            i.buyer.customer_reference = None;
            i.merchant_reference = None;
        })),
        "PEPPOL-EN16931-R003"
    );
    // R010: a buyer in a country without a known scheme.
    assert_eq!(
        rules(case(&|i| {
            let dk = Country::parse("DK").unwrap();
            i.buyer.country = Some(dk);
            i.buyer.org_number = Some(OrgNumber::parse(dk, "12345678").unwrap());
        })),
        "PEPPOL-EN16931-R010"
    );
    // BR-07 and BR-11: the buyer's name and country.
    assert_eq!(
        rules(case(&|i| {
            i.buyer.business_name = None;
            i.buyer.country = None;
        })),
        "BR-07,BR-11"
    );
    // SE-R-006: a Swedish seller's rates; SE-R-001: its VAT number.
    let se = se_b2b();
    let mut bad = se.clone();
    bad.lines[0].vat_rate = "15".parse().unwrap();
    finish(&mut bad);
    assert!(rules(check(&bad)).contains("SE-R-006"));
    let mut bad = se.clone();
    bad.seller.vat_number = Some("SE55727363290".into());
    assert_eq!(rules(check(&bad)), "SE-R-001");
    // BR-CO-09: a VAT number without its country prefix.
    let mut bad = se;
    bad.seller.vat_number = Some("557273632901".into());
    assert_eq!(rules(check(&bad)), "BR-CO-09");
    // A control character XML cannot carry names its field.
    let f = case(&|i| i.lines[1].description = "Eple\u{1}most".into());
    assert_eq!(errors(&f), ["xml-character"]);
    assert_eq!(f[0].path, "session.order.items[1].description");
    // BR-61: no account at all.
    assert_eq!(
        rules(case(&|i| {
            i.payment.account = None;
            i.payment.iban = None;
        })),
        "BR-61"
    );
}

#[test]
fn a_negative_line_has_a_negative_quantity_and_a_positive_price() {
    let mut inv = no_b2b();
    inv.lines.insert(
        3,
        line(
            "9",
            LineKind::Item,
            "Returnert emballasje",
            "2",
            -5_000,
            -1_000,
            "25",
        ),
    );
    finish(&mut inv);
    assert!(errors(&check(&inv)).is_empty());
    let xml = String::from_utf8(ubl(&inv, None).unwrap()).unwrap();
    assert!(xml.contains("<cbc:InvoicedQuantity unitCode=\"EA\">-2</cbc:InvoicedQuantity>"));
    assert!(xml.contains("<cbc:PriceAmount currencyID=\"NOK\">20.00</cbc:PriceAmount>"));
    store("no-negative-line.xml", xml.as_bytes());
}

mod generated {
    use super::*;
    use crate::money::VatRate;
    use crate::verify::invoice::Discount;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// A line: quantity (hundredths), gross amount (minor units), rate index,
    /// discount (amount, percentage).
    type Spec = (i64, i64, u8, Option<(i64, u8)>);

    fn lines() -> impl Strategy<Value = Vec<Spec>> {
        proptest::collection::vec(
            (
                1i64..50_000,
                -20_000i64..5_000_000,
                0u8..4,
                proptest::option::of((1i64..2_000_000, 1u8..60)),
            ),
            1..40,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any verified-shaped invoice gives a UBL whose lines, VAT and totals
        /// keep the rules (BR-S-09 excepted: many lines' rounded VAT may drift
        /// more than 1.00, which `check` reports), and whose line prices
        /// multiply back to the line amounts.
        #[test]
        fn generated_invoices_keep_the_rules(spec in lines()) {
            let rates = ["25", "15", "12", "0"];
            let mut inv = no_b2b();
            inv.lines = spec
                .iter()
                .enumerate()
                .map(|(i, (q, gross, r, disc))| {
                    let rate: VatRate = rates[usize::from(*r)].parse().unwrap();
                    let vat = rate.vat_of_gross(Money::from_minor(*gross)).unwrap();
                    let qty = Decimal::new(*q, 2).normalize().to_string();
                    let mut l = line(&i.to_string(), LineKind::Item, "Vare", &qty, *gross, vat.minor(), rates[usize::from(*r)]);
                    if let (Some((d, p)), true) = (disc, *gross > 0) {
                        l.discounts.push(Discount {
                            description: None,
                            amount: Money::from_minor(*d),
                            percentage: Some(Decimal::from(*p)),
                        });
                    }
                    l
                })
                .collect();
            finish(&mut inv);
            let findings = check(&inv);
            let errs: Vec<&str> = errors(&findings).into_iter().filter(|r| *r != "BR-S-09").collect();
            prop_assert!(errs.is_empty(), "{findings:#?}");
            if errors(&findings).is_empty() {
                let xml = String::from_utf8(ubl(&inv, None).unwrap()).unwrap();
                let doc = roxmltree::Document::parse(&xml).unwrap();
                let lines: Vec<_> = doc
                    .root_element()
                    .children()
                    .filter(|n| n.tag_name().name() == "InvoiceLine")
                    .collect();
                prop_assert_eq!(lines.len(), inv.lines.len());
                for (x, l) in lines.iter().zip(&inv.lines) {
                    let get = |name: &str| -> Decimal {
                        x.descendants()
                            .filter(|n| n.tag_name().name() == name)
                            .map(|n| n.text().unwrap().parse::<Decimal>().unwrap())
                            .sum()
                    };
                    let computed = get("InvoicedQuantity") * get("PriceAmount") - get("Amount");
                    prop_assert!((computed - l.net.to_major_decimal()).abs() <= Decimal::new(1, 3));
                    prop_assert!(get("PriceAmount") >= Decimal::ZERO);
                }
            }
        }
    }
}
