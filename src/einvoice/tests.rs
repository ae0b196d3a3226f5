//! Unit tests of the module's pieces on hand-built invoices; the integration
//! tests (`tests/it/einvoice*.rs`) read whole documents back.

use super::*;
use crate::layout::testdata::{fi_b2c, no_b2b, se_b2b};
use crate::money::Money;

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
