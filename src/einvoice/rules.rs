//! Preflight: the CEN EN 16931 and PEPPOL BIS 3 rules that the facts of an
//! invoice can break, checked on the [`Document`] before a byte is written.
//!
//! The official schematron stays the judge (run during development, see the
//! README); these are the rules our data can get wrong, named by their
//! official ids, so `check` can say why an e-invoice would be rejected and
//! `ubl` never writes one that would be. Sums are exact in minor units.
//!
//! | rule | what |
//! |---|---|
//! | BR-CO-10, 13, 14, 15, 16 | totals: Σ line net, without VAT, VAT, with VAT, amount due |
//! | BR-S-08, BR-Z-08, BR-E-08, BR-O-08 | taxable amount per category (and rate) = Σ its lines' net |
//! | BR-S-09 | VAT per rate within 1.00 of taxable × rate (the official tolerance) |
//! | BR-Z-09, BR-E-09, BR-O-09 | no VAT in categories Z, E, O |
//! | BR-E-10 | an exempt category has its reason |
//! | BR-O-02, BR-O-11 | not subject to VAT: no VAT number, no other category |
//! | BR-S-02 | standard-rated lines need the seller's VAT number |
//! | BR-CO-09 | VAT numbers start with a country code |
//! | NO-R-001 | NO seller: `NO` + valid organisation number + `MVA` |
//! | SE-R-001, SE-R-002, SE-R-006 | SE seller: 14-character VAT number, rates 25/12/6 |
//! | PEPPOL-COMMON-R041, R049 | NO (0192) and SE (0007) identifiers |
//! | BR-27, PEPPOL-EN16931-R120, R040 | lines: price not negative; net = quantity × price − allowances; allowance = base × % |
//! | BR-61 | each payment instruction has an account |
//! | BR-CO-25 | an amount due needs a due date (an invoice) or payment terms (a credit note's "nothing to pay") |
//! | BR-55 | a credit note's preceding-invoice reference names the invoice |

use rust_decimal::{Decimal, RoundingStrategy};

use crate::country::Country;
use crate::money::Money;
use crate::payment::OrgNumber;
use crate::payment::check_digit::luhn_valid;

use super::model::{DocKind, Document, Party, SchemeId, TaxCode};
use super::{Finding, Severity};

const ORDER: &str = "session.order";

fn err(f: &mut Vec<Finding>, rule: &'static str, path: impl Into<String>, message: String) {
    f.push(Finding {
        rule,
        severity: Severity::Error,
        path: path.into(),
        message,
    });
}

/// Every rule of the module docs.
pub(crate) fn preflight(doc: &Document<'_>, f: &mut Vec<Finding>) {
    totals(doc, f);
    vat_breakdown(doc, f);
    lines(doc, f);
    payment(doc, f);
    seller(doc, f);
    endpoint_ids(
        &doc.buyer,
        "session.order.billing_address.organization_number",
        f,
    );
}

fn totals(doc: &Document<'_>, f: &mut Vec<Finding>) {
    let t = &doc.totals;
    let lines: Money = doc.lines.iter().map(|l| l.net).sum();
    if lines != t.line_extension {
        err(
            f,
            "BR-CO-10",
            ORDER,
            format!(
                "Σ line net amounts = {lines}, the invoice's total without VAT = {}",
                t.line_extension
            ),
        );
    }
    if t.tax_exclusive != t.line_extension {
        err(
            f,
            "BR-CO-13",
            ORDER,
            format!(
                "total without VAT = {}, Σ line net amounts = {} (no document allowances or charges)",
                t.tax_exclusive, t.line_extension
            ),
        );
    }
    let vat: Money = doc.tax.iter().map(|s| s.tax).sum();
    if vat != doc.tax_total {
        err(
            f,
            "BR-CO-14",
            format!("{ORDER}.vat_amount"),
            format!("Σ VAT per rate = {vat}, total VAT = {}", doc.tax_total),
        );
    }
    if t.tax_exclusive.checked_add(doc.tax_total) != Some(t.tax_inclusive) {
        err(
            f,
            "BR-CO-15",
            format!("{ORDER}.amount"),
            format!(
                "total without VAT {} + VAT {} ≠ total with VAT {}",
                t.tax_exclusive, doc.tax_total, t.tax_inclusive
            ),
        );
    }
    if t.tax_inclusive.checked_sub(t.prepaid) != Some(t.payable) {
        err(
            f,
            "BR-CO-16",
            "transaction.events",
            format!(
                "total {} − paid {} ≠ amount due {}",
                t.tax_inclusive, t.prepaid, t.payable
            ),
        );
    }
    if t.payable > Money::ZERO && doc.due_date.is_none() && doc.payment_terms.is_none() {
        err(
            f,
            "BR-CO-25",
            "transaction.events",
            "an amount is due but there is neither a due date nor payment terms".into(),
        );
    }
    if let DocKind::CreditNote { invoice_number, .. } = &doc.kind
        && invoice_number.trim().is_empty()
    {
        err(
            f,
            "BR-55",
            "transaction.metadata[\"kravia:invoice_number\"]",
            "a credit note must name the invoice it credits".into(),
        );
    }
}

/// `round(taxable × rate / 100)` to the minor unit, half away from zero.
fn vat_of_net(taxable: Money, rate: Decimal) -> Option<Decimal> {
    Some(
        Decimal::from(taxable.minor().checked_abs()?)
            .checked_mul(rate)?
            .checked_div(Decimal::ONE_HUNDRED)?
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
    )
}

fn vat_breakdown(doc: &Document<'_>, f: &mut Vec<Finding>) {
    let codes: Vec<TaxCode> = doc.tax.iter().map(|s| s.category.code).collect();
    for s in &doc.tax {
        let c = &s.category;
        let same = |l: &&super::model::DocLine<'_>| {
            l.category.code == c.code && (c.code != TaxCode::S || l.category.rate == c.rate)
        };
        let net: Money = doc.lines.iter().filter(same).map(|l| l.net).sum();
        let rule = match c.code {
            TaxCode::S => "BR-S-08",
            TaxCode::Z => "BR-Z-08",
            TaxCode::E => "BR-E-08",
            TaxCode::O => "BR-O-08",
        };
        if net != s.taxable {
            err(
                f,
                rule,
                format!("{ORDER}.items"),
                format!(
                    "VAT category {} {} %: taxable amount {} ≠ Σ its lines' net {net}",
                    c.code.as_str(),
                    c.rate,
                    s.taxable
                ),
            );
        }
        match c.code {
            TaxCode::S => {
                // BR-S-09: |VAT| − 1 < round(|taxable| × rate / 100, 2) < |VAT| + 1.
                let expected = vat_of_net(s.taxable, c.rate.percent());
                let found = Decimal::from(s.tax.minor().saturating_abs());
                let ok = expected.is_some_and(|e| (found - e).abs() < Decimal::ONE_HUNDRED);
                if !ok {
                    err(
                        f,
                        "BR-S-09",
                        format!("{ORDER}.vat_amount"),
                        format!(
                            "VAT at {} % is {} but the taxable amount {} × {} % = {}: the \
                             lines' rounded VAT drifts more than 1.00 from the rate",
                            c.rate,
                            s.tax,
                            s.taxable,
                            c.rate,
                            expected
                                .and_then(|e| i64::try_from(e).ok())
                                .map(|e| Money::from_minor(e).to_string())
                                .unwrap_or_else(|| "(overflow)".into())
                        ),
                    );
                }
            }
            other => {
                if s.tax != Money::ZERO {
                    let rule = match other {
                        TaxCode::Z => "BR-Z-09",
                        TaxCode::E => "BR-E-09",
                        _ => "BR-O-09",
                    };
                    err(
                        f,
                        rule,
                        format!("{ORDER}.items"),
                        format!(
                            "lines at 0 % carry VAT {}: category {} has none",
                            s.tax,
                            other.as_str()
                        ),
                    );
                }
            }
        }
        if c.code == TaxCode::E && c.exemption_reason.is_none() && c.exemption_code.is_none() {
            err(
                f,
                "BR-E-10",
                format!("{ORDER}.items"),
                "an exempt VAT category (E) needs an exemption reason".into(),
            );
        }
    }
    if codes.contains(&TaxCode::O) && codes.iter().any(|c| *c != TaxCode::O) {
        err(
            f,
            "BR-O-11",
            "brand.seller.vat_registered",
            "a seller not registered for VAT (category O) cannot charge VAT on other lines".into(),
        );
    }
}

fn lines(doc: &Document<'_>, f: &mut Vec<Finding>) {
    for l in &doc.lines {
        let path = || format!("{ORDER}.lines[{}]", l.id - 1);
        if l.price < Decimal::ZERO {
            err(
                f,
                "BR-27",
                path(),
                format!("the item net price {} is negative", l.price),
            );
        }
        let allowed: Money = l.allowances.iter().map(|a| a.amount).sum();
        let computed = l.quantity.checked_mul(l.price).and_then(|x| {
            x.checked_sub(allowed.to_major_decimal())
                .map(|x| x.round_dp(2))
        });
        let ok =
            computed.is_some_and(|c| (c - l.net.to_major_decimal()).abs() <= Decimal::new(2, 2));
        if !ok {
            err(
                f,
                "PEPPOL-EN16931-R120",
                path(),
                format!(
                    "line net {} ≠ quantity {} × price {} − allowances {allowed}",
                    l.net, l.quantity, l.price
                ),
            );
        }
        for a in &l.allowances {
            if let Some((p, base)) = a.percent_of {
                let v = base.to_major_decimal() * p / Decimal::ONE_HUNDRED;
                if (v - a.amount.to_major_decimal()).abs() > Decimal::new(2, 2) {
                    err(
                        f,
                        "PEPPOL-EN16931-R040",
                        path(),
                        format!("allowance {} ≠ {base} × {p} %", a.amount),
                    );
                }
            }
        }
    }
}

fn payment(doc: &Document<'_>, f: &mut Vec<Finding>) {
    for p in &doc.payment {
        if p.account.trim().is_empty() {
            err(
                f,
                "BR-61",
                "transaction.metadata[\"kravia:payment_details:bank_account:bban\"]",
                "a credit transfer needs the payee's account".into(),
            );
        }
    }
}

fn seller(doc: &Document<'_>, f: &mut Vec<Finding>) {
    let s = &doc.seller;
    let country = s.address.country;
    let vat_path = "brand.seller.vat_number";
    let has = |code: TaxCode| doc.tax.iter().any(|t| t.category.code == code);
    if has(TaxCode::S) && s.vat_id.is_none() {
        err(
            f,
            "BR-S-02",
            "brand.seller.vat_registered",
            "the invoice charges VAT, so the seller must be VAT registered (vat_registered = true)"
                .into(),
        );
    }
    if has(TaxCode::O) && s.vat_id.is_some() {
        err(
            f,
            "BR-O-02",
            "brand.seller.vat_registered",
            "a seller not subject to VAT gives no VAT number".into(),
        );
    }
    if let Some(v) = s.vat_id.as_deref() {
        let b = v.as_bytes();
        if b.len() < 3 || !b[..2].iter().all(u8::is_ascii_uppercase) {
            err(
                f,
                "BR-CO-09",
                vat_path,
                format!("VAT number {v:?} does not start with a country code"),
            );
        }
        match country {
            Some(Country::No) if v.starts_with("NO") => {
                let ok = v.len() == 14
                    && v.ends_with("MVA")
                    && OrgNumber::parse(Country::No, &v[2..11]).is_ok();
                if !ok {
                    err(
                        f,
                        "NO-R-001",
                        "brand.seller.organization_number",
                        format!("VAT number {v:?} is not NO + a valid organisation number + MVA"),
                    );
                }
            }
            Some(Country::Se) if v.starts_with("SE") => {
                if v.chars().count() != 14 {
                    err(
                        f,
                        "SE-R-001",
                        vat_path,
                        format!("Swedish VAT number {v:?} is not 14 characters"),
                    );
                } else if !v[2..].bytes().all(|c| c.is_ascii_digit()) {
                    err(
                        f,
                        "SE-R-002",
                        vat_path,
                        format!("Swedish VAT number {v:?}: the last 12 characters are not digits"),
                    );
                }
            }
            _ => {}
        }
    }
    if country == Some(Country::Se) && s.vat_id.as_deref().is_some_and(|v| v.starts_with("SE")) {
        let allowed = [25, 12, 6].map(Decimal::from);
        for t in doc.tax.iter().filter(|t| t.category.code == TaxCode::S) {
            if !allowed.contains(&t.category.rate.percent()) {
                err(
                    f,
                    "SE-R-006",
                    format!("{ORDER}.items"),
                    format!(
                        "a Swedish seller charges VAT at 25, 12 or 6 %, not {} %",
                        t.category.rate
                    ),
                );
            }
        }
    }
    endpoint_ids(s, "brand.seller.organization_number", f);
}

/// PEPPOL-COMMON-R041 (0192) and R049 (0007) on a party's identifiers.
fn endpoint_ids(p: &Party<'_>, path: &str, f: &mut Vec<Finding>) {
    for id in [&p.endpoint, &p.legal_id].into_iter().flatten() {
        if let Some((rule, message)) = bad_id(id) {
            err(f, rule, path, message);
            return;
        }
    }
}

fn bad_id(id: &SchemeId<'_>) -> Option<(&'static str, String)> {
    let v = id.id.as_ref();
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    match id.scheme {
        "0192" if !(digits && v.len() == 9 && OrgNumber::parse(Country::No, v).is_ok()) => Some((
            "PEPPOL-COMMON-R041",
            format!("{v:?} is not a valid Norwegian organisation number (9 digits, MOD11)"),
        )),
        "0007" if !(digits && v.len() == 10 && luhn_valid(v)) => Some((
            "PEPPOL-COMMON-R049",
            format!("{v:?} is not a valid Swedish organisation number (10 digits, Luhn)"),
        )),
        _ => None,
    }
}
