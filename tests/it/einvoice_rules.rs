//! The CEN EN 16931 and PEPPOL BIS 3 business rules that our UBL depends on,
//! written again here over the parsed XML (roxmltree), so CI (which cannot
//! fetch the official schematron) still checks them. One test per rule, named
//! by its id: every B2B case's UBL passes it, and a broken document (a shared
//! example that breaks exactly that rule, or our UBL with one value changed)
//! fails it. The tolerances are the official ones (see the `.sch` sources).

use roxmltree::{Document, Node};
use rust_decimal::{Decimal, RoundingStrategy};

use kravia_invoice::Country;
use kravia_invoice::payment::OrgNumber;
use kravia_invoice::payment::check_digit::luhn_valid;

use super::einvoice::{at, b2b, child, children, einvoice_dir, made, text};

fn dec(n: Option<&str>) -> Decimal {
    n.map(str::trim)
        .and_then(|s| s.parse().ok())
        .unwrap_or(Decimal::ZERO)
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Σ of a decimal at `path` under each node.
fn sum<'a, 'i: 'a>(nodes: impl Iterator<Item = Node<'a, 'i>>, path: &str) -> Decimal {
    nodes.map(|n| dec(text(n, path))).sum()
}

/// Every rule of this file that `xml` (an `Invoice` or a `CreditNote`)
/// breaks, by id.
pub fn broken(xml: &str) -> Vec<&'static str> {
    let doc = Document::parse(xml).unwrap();
    let r = doc.root_element();
    let mut out = Vec::new();
    let mut fail = |rule: &'static str, ok: bool| {
        if !ok && !out.contains(&rule) {
            out.push(rule);
        }
    };
    let credit_note = r.tag_name().name() == "CreditNote";
    let (line_tag, quantity_tag) = if credit_note {
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
    } else {
        ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    };
    let lines: Vec<Node> = children(r, line_tag).collect();
    let t = at(r, "cac:LegalMonetaryTotal");
    let total = |p: &str| t.map(|t| dec(text(t, p))).unwrap_or_default();
    let tax_totals: Vec<Node> = children(r, "cac:TaxTotal").collect();
    let tax = tax_totals
        .iter()
        .copied()
        .find(|t| child(*t, "cac:TaxSubtotal").is_some());
    let subtotals: Vec<Node> = tax
        .map(|t| children(t, "cac:TaxSubtotal").collect())
        .unwrap_or_default();
    let doc_allowances = || {
        children(r, "cac:AllowanceCharge")
            .filter(|a| text(*a, "cbc:ChargeIndicator") == Some("false"))
    };
    let doc_charges = || {
        children(r, "cac:AllowanceCharge")
            .filter(|a| text(*a, "cbc:ChargeIndicator") == Some("true"))
    };

    // BR-04: an invoice type code (`CreditNoteTypeCode` in a credit note).
    let type_code = if credit_note {
        text(r, "cbc:CreditNoteTypeCode")
    } else {
        text(r, "cbc:InvoiceTypeCode")
    };
    fail("BR-04", type_code.is_some());
    // PEPPOL-EN16931-P0101: a credit note's type code in billing process 01.
    if credit_note && let Some(code) = type_code {
        fail(
            "PEPPOL-EN16931-P0101",
            ["381", "396", "81", "83", "532"].contains(&code.trim()),
        );
    }
    // BR-55: each preceding-invoice reference names the invoice.
    for b in children(r, "cac:BillingReference") {
        fail(
            "BR-55",
            text(b, "cac:InvoiceDocumentReference/cbc:ID").is_some_and(|t| !t.trim().is_empty()),
        );
    }
    // PEPPOL-EN16931-R003: buyer reference or order reference.
    fail(
        "PEPPOL-EN16931-R003",
        child(r, "cbc:BuyerReference").is_some() || at(r, "cac:OrderReference/cbc:ID").is_some(),
    );
    // R010 / R020: both electronic addresses.
    fail(
        "PEPPOL-EN16931-R010",
        at(r, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID").is_some(),
    );
    fail(
        "PEPPOL-EN16931-R020",
        at(r, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID").is_some(),
    );
    // PEPPOL-EN16931-R008: no empty elements.
    fail(
        "PEPPOL-EN16931-R008",
        r.descendants()
            .filter(|n| n.is_element() && !n.children().any(|c| c.is_element()))
            .all(|n| n.text().is_some_and(|t| !t.trim().is_empty())),
    );
    // PEPPOL-EN16931-R053: one tax total with subtotals.
    fail(
        "PEPPOL-EN16931-R053",
        tax_totals
            .iter()
            .filter(|t| child(**t, "cac:TaxSubtotal").is_some())
            .count()
            == 1,
    );
    // PEPPOL-EN16931-R051 and BR-DEC-*: every amount in the document currency,
    // with at most two decimals (unit prices excepted).
    let currency = text(r, "cbc:DocumentCurrencyCode").unwrap_or("");
    for n in r
        .descendants()
        .filter(|n| n.attribute("currencyID").is_some())
    {
        fail(
            "PEPPOL-EN16931-R051",
            n.attribute("currencyID") == Some(currency),
        );
        if n.tag_name().name() != "PriceAmount" && n.tag_name().name() != "BaseAmount" {
            let decimals = n
                .text()
                .unwrap_or("")
                .split_once('.')
                .map_or(0, |(_, d)| d.len());
            fail("BR-DEC", decimals <= 2);
        }
    }
    // Identifiers: PEPPOL-COMMON-R041 (0192, MOD11) and R049 (0007, Luhn).
    for n in r.descendants().filter(|n| {
        matches!(n.tag_name().name(), "EndpointID" | "CompanyID" | "ID")
            && n.attribute("schemeID").is_some()
    }) {
        let v = n.text().unwrap_or("").trim();
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        match n.attribute("schemeID") {
            Some("0192") => fail(
                "PEPPOL-COMMON-R041",
                digits && v.len() == 9 && OrgNumber::parse(Country::No, v).is_ok(),
            ),
            Some("0007") => fail(
                "PEPPOL-COMMON-R049",
                digits && v.len() == 10 && luhn_valid(v),
            ),
            _ => {}
        }
    }
    // NO-R-001 (and the NO-R-002 warning): a Norwegian seller's VAT number and register.
    let seller = at(r, "cac:AccountingSupplierParty/cac:Party");
    let seller_country =
        seller.and_then(|s| text(s, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"));
    if let (Some(s), Some("NO")) = (seller, seller_country) {
        let scheme = |id: &str| {
            children(s, "cac:PartyTaxScheme")
                .find(|p| text(*p, "cac:TaxScheme/cbc:ID") == Some(id))
                .and_then(|p| text(p, "cbc:CompanyID"))
        };
        if let Some(v) = scheme("VAT").filter(|v| v.starts_with("NO")) {
            fail(
                "NO-R-001",
                v.len() == 14
                    && v.ends_with("MVA")
                    && OrgNumber::parse(Country::No, &v[2..11]).is_ok(),
            );
        }
        fail("NO-R-002", scheme("TAX") == Some("Foretaksregisteret"));
    }
    // BR-61: credit transfer needs the payee's account.
    for pm in children(r, "cac:PaymentMeans") {
        if matches!(text(pm, "cbc:PaymentMeansCode"), Some("30" | "58" | "31")) {
            fail(
                "BR-61",
                at(pm, "cac:PayeeFinancialAccount/cbc:ID").is_some(),
            );
        }
    }
    // BR-CO-10: Σ line net.
    let line_sum = round2(sum(lines.iter().copied(), "cbc:LineExtensionAmount"));
    fail("BR-CO-10", total("cbc:LineExtensionAmount") == line_sum);
    // BR-CO-11 / 12: document allowances and charges.
    let allowances = round2(sum(doc_allowances(), "cbc:Amount"));
    let charges = round2(sum(doc_charges(), "cbc:Amount"));
    fail("BR-CO-11", total("cbc:AllowanceTotalAmount") == allowances);
    fail("BR-CO-12", total("cbc:ChargeTotalAmount") == charges);
    // BR-CO-13: without VAT = lines − allowances + charges.
    fail(
        "BR-CO-13",
        total("cbc:TaxExclusiveAmount")
            == round2(
                total("cbc:LineExtensionAmount") - total("cbc:AllowanceTotalAmount")
                    + total("cbc:ChargeTotalAmount"),
            ),
    );
    // BR-CO-14: VAT = Σ VAT per category.
    let vat = tax
        .map(|t| dec(text(t, "cbc:TaxAmount")))
        .unwrap_or_default();
    fail(
        "BR-CO-14",
        vat == round2(sum(subtotals.iter().copied(), "cbc:TaxAmount")),
    );
    // BR-CO-15: with VAT = without VAT + VAT.
    fail(
        "BR-CO-15",
        total("cbc:TaxInclusiveAmount") == round2(total("cbc:TaxExclusiveAmount") + vat),
    );
    // BR-CO-16: due = with VAT − paid + rounding.
    fail(
        "BR-CO-16",
        total("cbc:PayableAmount")
            == round2(
                total("cbc:TaxInclusiveAmount") - total("cbc:PrepaidAmount")
                    + total("cbc:PayableRoundingAmount"),
            ),
    );
    // BR-CO-25: an amount due needs a due date or payment terms.
    fail(
        "BR-CO-25",
        total("cbc:PayableAmount") <= Decimal::ZERO
            || child(r, "cbc:DueDate").is_some()
            || at(r, "cac:PaymentTerms/cbc:Note").is_some(),
    );
    // VAT breakdown per category: BR-S-08/09, BR-Z-08/09, BR-E-08/09/10.
    for s in &subtotals {
        let code = text(*s, "cac:TaxCategory/cbc:ID").unwrap_or("");
        let rate = dec(text(*s, "cac:TaxCategory/cbc:Percent"));
        let taxable = dec(text(*s, "cbc:TaxableAmount"));
        let amount = dec(text(*s, "cbc:TaxAmount"));
        let in_category = |l: &&Node| {
            text(**l, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") == Some(code)
                && (code != "S"
                    || dec(text(**l, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent")) == rate)
        };
        let net = sum(
            lines.iter().filter(in_category).copied(),
            "cbc:LineExtensionAmount",
        );
        match code {
            "S" => {
                // The official tolerance: within one unit either way.
                fail("BR-S-08", (taxable - net).abs() < Decimal::ONE);
                let expected = round2(taxable.abs() * rate / Decimal::ONE_HUNDRED);
                fail("BR-S-09", (amount.abs() - expected).abs() < Decimal::ONE);
            }
            "Z" => {
                fail("BR-Z-08", taxable == net);
                fail("BR-Z-09", amount == Decimal::ZERO);
            }
            "E" => {
                fail("BR-E-08", taxable == net);
                fail("BR-E-09", amount == Decimal::ZERO);
                fail(
                    "BR-E-10",
                    at(*s, "cac:TaxCategory/cbc:TaxExemptionReason").is_some()
                        || at(*s, "cac:TaxCategory/cbc:TaxExemptionReasonCode").is_some(),
                );
            }
            _ => {}
        }
    }
    // Lines: PEPPOL-EN16931-R120 (net = quantity × price − allowances, 0.02)
    // and BR-27 (price not negative).
    for l in &lines {
        let q = dec(text(*l, quantity_tag));
        let price = dec(text(*l, "cac:Price/cbc:PriceAmount"));
        let base = at(*l, "cac:Price/cbc:BaseQuantity").map_or(Decimal::ONE, |b| dec(b.text()));
        let allowed = round2(sum(
            children(*l, "cac:AllowanceCharge")
                .filter(|a| text(*a, "cbc:ChargeIndicator") == Some("false")),
            "cbc:Amount",
        ));
        let charged = round2(sum(
            children(*l, "cac:AllowanceCharge")
                .filter(|a| text(*a, "cbc:ChargeIndicator") == Some("true")),
            "cbc:Amount",
        ));
        let computed = q * (price / base) + charged - allowed;
        let net = dec(text(*l, "cbc:LineExtensionAmount"));
        fail(
            "PEPPOL-EN16931-R120",
            (net - computed).abs() <= Decimal::new(2, 2),
        );
        fail("BR-27", price >= Decimal::ZERO);
    }
    out
}

pub fn example(name: &str) -> String {
    std::fs::read_to_string(einvoice_dir().join("examples").join(name)).unwrap()
}

/// Our NO UBL with the attachment left out (the rules do not look at it).
fn no_ubl() -> String {
    made("no_b2b_zero_rate_decimal_qty").xml.clone()
}

/// `xml` with the first `from` replaced by `to`; panics when absent so a
/// mutation can never silently do nothing.
pub fn with(xml: &str, from: &str, to: &str) -> String {
    assert!(xml.contains(from), "{from:?} is not in the document");
    xml.replacen(from, to, 1)
}

/// The rule passes on every B2B UBL and fails on `bad`.
fn shown(rule: &str, bad: &str) {
    for m in b2b() {
        let b = broken(&m.xml);
        assert!(
            !b.contains(&rule),
            "{}: our UBL breaks {rule}: {b:?}",
            m.name
        );
    }
    let b = broken(bad);
    assert!(
        b.contains(&rule),
        "the broken document does not break {rule}: {b:?}"
    );
}

#[test]
fn every_b2b_ubl_keeps_every_rule() {
    for m in b2b() {
        assert_eq!(broken(&m.xml), Vec::<&str>::new(), "{}", m.name);
    }
}

#[test]
fn the_shared_examples_break_exactly_their_rule() {
    assert_eq!(broken(&example("minimal-no.xml")), Vec::<&str>::new());
    for (file, rules) in [
        ("bad-no-account.xml", vec!["BR-61"]),
        ("bad-no-buyerref.xml", vec!["PEPPOL-EN16931-R003"]),
        ("bad-no-endpoint.xml", vec!["PEPPOL-EN16931-R010"]),
        ("bad-bad-orgnr-checksum.xml", vec!["PEPPOL-COMMON-R041"]),
        ("bad-no-exemption-reason.xml", vec!["BR-E-10"]),
        ("bad-wrong-vat-sum.xml", vec!["BR-CO-14", "BR-CO-15"]),
        ("bad-no-foretaksregisteret.xml", vec!["NO-R-002"]),
    ] {
        assert_eq!(broken(&example(file)), rules, "{file}");
    }
}

#[test]
fn br_co_10_sum_of_line_net_amounts() {
    let x = no_ubl();
    let bad = with(
        &x,
        r#"<cbc:LineExtensionAmount currencyID="NOK">8806.95</cbc:LineExtensionAmount>"#,
        r#"<cbc:LineExtensionAmount currencyID="NOK">8806.96</cbc:LineExtensionAmount>"#,
    );
    shown("BR-CO-10", &bad);
}

#[test]
fn br_co_13_total_without_vat() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxExclusiveAmount currencyID="NOK">8806.95</cbc:TaxExclusiveAmount>"#,
        r#"<cbc:TaxExclusiveAmount currencyID="NOK">8806.00</cbc:TaxExclusiveAmount>"#,
    );
    shown("BR-CO-13", &bad);
}

#[test]
fn br_co_14_total_vat_is_the_sum_per_rate() {
    shown("BR-CO-14", &example("bad-wrong-vat-sum.xml"));
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxAmount currencyID="NOK">1759.80</cbc:TaxAmount>"#,
        r#"<cbc:TaxAmount currencyID="NOK">1759.81</cbc:TaxAmount>"#,
    );
    shown("BR-CO-14", &bad);
}

#[test]
fn br_co_15_total_with_vat() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxInclusiveAmount currencyID="NOK">10566.75</cbc:TaxInclusiveAmount>"#,
        r#"<cbc:TaxInclusiveAmount currencyID="NOK">10566.76</cbc:TaxInclusiveAmount>"#,
    );
    shown("BR-CO-15", &bad);
}

#[test]
fn br_co_16_amount_due_is_total_less_paid() {
    let fi = &made("fi_b2b_eur_partly_paid").xml;
    let bad = with(
        fi,
        r#"<cbc:PrepaidAmount currencyID="EUR">50.00</cbc:PrepaidAmount>"#,
        r#"<cbc:PrepaidAmount currencyID="EUR">49.00</cbc:PrepaidAmount>"#,
    );
    shown("BR-CO-16", &bad);
}

#[test]
fn br_co_25_amount_due_needs_a_due_date() {
    let x = no_ubl();
    let bad = with(&x, "  <cbc:DueDate>2026-06-14</cbc:DueDate>\n", "");
    shown("BR-CO-25", &bad);
}

#[test]
fn br_s_08_taxable_amount_per_rate() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxableAmount currencyID="NOK">117.39</cbc:TaxableAmount>"#,
        r#"<cbc:TaxableAmount currencyID="NOK">118.39</cbc:TaxableAmount>"#,
    );
    shown("BR-S-08", &bad);
}

#[test]
fn br_s_09_vat_per_rate_within_one_unit() {
    // 15 %: 117.39 × 15 % = 17.61; 18.61 is a full unit off.
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxAmount currencyID="NOK">17.61</cbc:TaxAmount>"#,
        r#"<cbc:TaxAmount currencyID="NOK">18.61</cbc:TaxAmount>"#,
    );
    shown("BR-S-09", &bad);
    let near = with(
        &no_ubl(),
        r#"<cbc:TaxAmount currencyID="NOK">17.61</cbc:TaxAmount>"#,
        r#"<cbc:TaxAmount currencyID="NOK">18.60</cbc:TaxAmount>"#,
    );
    assert!(!broken(&near).contains(&"BR-S-09"));
}

#[test]
fn br_z_08_and_09_zero_rated() {
    let x = no_ubl();
    let bad = with(
        &x,
        r#"<cbc:TaxableAmount currencyID="NOK">399.00</cbc:TaxableAmount>"#,
        r#"<cbc:TaxableAmount currencyID="NOK">398.00</cbc:TaxableAmount>"#,
    );
    shown("BR-Z-08", &bad);
    let bad = with(
        &x,
        r#"<cbc:TaxAmount currencyID="NOK">0.00</cbc:TaxAmount>"#,
        r#"<cbc:TaxAmount currencyID="NOK">0.01</cbc:TaxAmount>"#,
    );
    shown("BR-Z-09", &bad);
}

#[test]
fn br_e_10_exempt_needs_a_reason() {
    shown("BR-E-10", &example("bad-no-exemption-reason.xml"));
    assert!(!broken(&example("minimal-no.xml")).contains(&"BR-E-10"));
}

#[test]
fn br_61_credit_transfer_needs_an_account() {
    shown("BR-61", &example("bad-no-account.xml"));
    let bad = with(&no_ubl(), "<cbc:ID>15039966678</cbc:ID>", "");
    shown("BR-61", &bad);
}

#[test]
fn br_27_price_not_negative() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:PriceAmount currencyID="NOK">39.13</cbc:PriceAmount>"#,
        r#"<cbc:PriceAmount currencyID="NOK">-39.13</cbc:PriceAmount>"#,
    );
    shown("BR-27", &bad);
}

#[test]
fn peppol_en16931_r003_buyer_reference() {
    shown("PEPPOL-EN16931-R003", &example("bad-no-buyerref.xml"));
    let x = no_ubl();
    let bad = with(
        &x,
        "<cbc:BuyerReference>ORD-2026-61219</cbc:BuyerReference>",
        "",
    );
    let bad = with(&bad, "<cbc:ID>NA</cbc:ID>", "");
    shown("PEPPOL-EN16931-R003", &bad);
}

#[test]
fn peppol_en16931_r010_buyer_endpoint() {
    shown("PEPPOL-EN16931-R010", &example("bad-no-endpoint.xml"));
    let x = no_ubl();
    let bad = with(
        &x,
        r#"<cbc:EndpointID schemeID="0192">989645668</cbc:EndpointID>"#,
        "",
    );
    shown("PEPPOL-EN16931-R010", &bad);
}

#[test]
fn peppol_en16931_r020_seller_endpoint() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:EndpointID schemeID="0192">849749943</cbc:EndpointID>"#,
        "",
    );
    shown("PEPPOL-EN16931-R020", &bad);
}

#[test]
fn peppol_en16931_r120_line_net_is_quantity_times_price() {
    // 2.5 × 750.00 = 1875.00; 750.01 gives 1875.025, 0.025 off (> 0.02).
    let bad = with(
        &no_ubl(),
        r#"<cbc:PriceAmount currencyID="NOK">750.00</cbc:PriceAmount>"#,
        r#"<cbc:PriceAmount currencyID="NOK">750.01</cbc:PriceAmount>"#,
    );
    shown("PEPPOL-EN16931-R120", &bad);
    // The discounted line: 2 × 2232.00 − 669.60 = 3794.40.
    let bad = with(
        &no_ubl(),
        r#"<cbc:Amount currencyID="NOK">669.60</cbc:Amount>"#,
        r#"<cbc:Amount currencyID="NOK">669.50</cbc:Amount>"#,
    );
    shown("PEPPOL-EN16931-R120", &bad);
}

#[test]
fn peppol_en16931_r008_no_empty_elements() {
    let bad = with(
        &no_ubl(),
        "<cbc:CityName>Trondheim</cbc:CityName>",
        "<cbc:CityName></cbc:CityName>",
    );
    shown("PEPPOL-EN16931-R008", &bad);
}

#[test]
fn peppol_en16931_r051_one_currency() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxableAmount currencyID="NOK">117.39</cbc:TaxableAmount>"#,
        r#"<cbc:TaxableAmount currencyID="SEK">117.39</cbc:TaxableAmount>"#,
    );
    shown("PEPPOL-EN16931-R051", &bad);
}

#[test]
fn peppol_common_r041_norwegian_organisation_numbers() {
    shown("PEPPOL-COMMON-R041", &example("bad-bad-orgnr-checksum.xml"));
    let bad = with(
        &no_ubl(),
        r#"<cbc:CompanyID schemeID="0192">989645668</cbc:CompanyID>"#,
        r#"<cbc:CompanyID schemeID="0192">989645669</cbc:CompanyID>"#,
    );
    shown("PEPPOL-COMMON-R041", &bad);
}

#[test]
fn peppol_common_r049_swedish_organisation_numbers() {
    let se = &made("se_b2b_f_skatt").xml;
    let bad = with(
        se,
        r#"<cbc:EndpointID schemeID="0007">5593898199</cbc:EndpointID>"#,
        r#"<cbc:EndpointID schemeID="0007">5593898198</cbc:EndpointID>"#,
    );
    shown("PEPPOL-COMMON-R049", &bad);
    // The 12-digit form is not an 0007 identifier.
    let bad = with(
        se,
        r#"<cbc:EndpointID schemeID="0007">5593898199</cbc:EndpointID>"#,
        r#"<cbc:EndpointID schemeID="0007">165593898199</cbc:EndpointID>"#,
    );
    shown("PEPPOL-COMMON-R049", &bad);
}

#[test]
fn no_r_001_norwegian_vat_number() {
    let bad = with(&no_ubl(), "NO849749943MVA", "NO849749944MVA");
    shown("NO-R-001", &bad);
    let bad = with(&no_ubl(), "NO849749943MVA", "NO849749943");
    shown("NO-R-001", &bad);
}

#[test]
fn no_r_002_foretaksregisteret() {
    shown("NO-R-002", &example("bad-no-foretaksregisteret.xml"));
}

#[test]
fn br_dec_two_decimals() {
    let bad = with(
        &no_ubl(),
        r#"<cbc:TaxableAmount currencyID="NOK">117.39</cbc:TaxableAmount>"#,
        r#"<cbc:TaxableAmount currencyID="NOK">117.390</cbc:TaxableAmount>"#,
    );
    shown("BR-DEC", &bad);
}

#[test]
fn br_04_invoice_type_code() {
    let bad = with(
        &no_ubl(),
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        "",
    );
    shown("BR-04", &bad);
}
