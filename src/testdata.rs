//! Test support for the unit tests: the shared fixture cases verified, and
//! helpers that build lines and totals for synthetic invoices.

use crate::brand::Brand;
use crate::money::{Money, Quantity, VatRate};
use crate::verify::invoice::{Line, LineKind, Totals, VatSummary, VerifiedInvoice};

/// A line from its description, quantity, amount, VAT amount and rate.
pub fn line(
    id: &str,
    kind: LineKind,
    desc: &str,
    qty: &str,
    amount: i64,
    vat: i64,
    rate: &str,
) -> Line {
    let quantity: Quantity = qty.parse().unwrap();
    let amount = Money::from_minor(amount);
    let vat_amount = Money::from_minor(vat);
    let net = amount - vat_amount;
    Line {
        line_id: id.into(),
        kind,
        item_id: Some(format!("SKU-{id}")),
        description: desc.into(),
        quantity,
        vat_rate: rate.parse::<VatRate>().unwrap(),
        amount,
        vat_amount,
        net,
        unit_price_net: quantity.unit_price(net).unwrap(),
        unit_price_gross: quantity.unit_price(amount).unwrap(),
        gross_before_discount: None,
        discounts: Vec::new(),
    }
}

/// VAT per rate and totals from the lines, highest rate first.
pub fn finish(inv: &mut VerifiedInvoice) {
    let mut vat: Vec<VatSummary> = Vec::new();
    for l in &inv.lines {
        match vat.iter_mut().find(|v| v.rate == l.vat_rate) {
            Some(v) => {
                v.net += l.net;
                v.vat += l.vat_amount;
                v.gross += l.amount;
            }
            None => vat.push(VatSummary {
                rate: l.vat_rate,
                net: l.net,
                vat: l.vat_amount,
                gross: l.amount,
            }),
        }
    }
    vat.sort_by_key(|v| std::cmp::Reverse(v.rate));
    let gross: Money = inv.lines.iter().map(|l| l.amount).sum();
    let v: Money = inv.lines.iter().map(|l| l.vat_amount).sum();
    inv.totals = Totals {
        net: gross - v,
        vat: v,
        gross,
        paid: inv.totals.paid,
        to_pay: gross - inv.totals.paid,
    };
    inv.vat = vat;
}

/// The NO B2B invoice of `pub_ok_no_b2b_three_rates`, verified.
pub fn no_b2b() -> VerifiedInvoice {
    fixture("pub_ok_no_b2b_three_rates").0
}

/// The FI B2C EUR invoice of `pub_ok_fi_b2c_eur_qr`, verified.
pub fn fi_b2c() -> VerifiedInvoice {
    fixture("pub_ok_fi_b2c_eur_qr").0
}

/// The SE B2B SEK invoice of `pub_ok_se_b2b_sek`, verified.
pub fn se_b2b() -> VerifiedInvoice {
    fixture("pub_ok_se_b2b_sek").0
}

/// The NO invoice with `n` lines (long descriptions every seventh).
pub fn no_many_lines(n: usize) -> VerifiedInvoice {
    let mut inv = no_b2b();
    inv.lines = (0..n)
        .map(|i| {
            let desc = if i % 7 == 3 {
                format!("Vare nr. {i}: kontorstol med justerbar nakkestøtte, armlener i aluminium og ekstra bred sittepute i grå ull")
            } else {
                format!("Vare nr. {i}: skrivebordslampe")
            };
            line(&i.to_string(), LineKind::Item, &desc, "2", 25_000 + i as i64 * 100, 5_000 + i as i64 * 20, "25")
        })
        .collect();
    finish(&mut inv);
    inv
}

/// A brand with the seller of `inv`, an accent and a footer, no logo.
pub fn brand() -> Brand {
    Brand::parse(
        "[seller]\nname = \"x\"\norganization_number = \"849749943\"\n\
         [style]\naccent = \"#8A5A00\"\n[invoice]\nfooter = \"Takk for at du handlet hos oss!\"\n",
    )
    .unwrap()
}

/// The valid shared fixture cases (copied under `tests/fixtures/`).
pub const FIXTURES: [&str; 4] = [
    "pub_ok_no_b2b_three_rates",
    "pub_ok_no_b2c_captured_embedded",
    "pub_ok_se_b2b_sek",
    "pub_ok_fi_b2c_eur_qr",
];

/// A fixture case verified with its brand (logo loaded).
pub fn fixture(case: &str) -> (VerifiedInvoice, Brand) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let read = |f: &str| std::fs::read_to_string(dir.join(f));
    let tx = crate::dintero::Transaction::from_json(&read("transaction.json").unwrap()).unwrap();
    let session = read("session.json")
        .ok()
        .map(|s| crate::dintero::Session::from_json(&s).unwrap());
    let brand = Brand::load(&dir.join("brand.toml")).unwrap();
    let inv = crate::verify::verify(&tx, session.as_ref(), &brand)
        .unwrap_or_else(|r| panic!("{case}: {r:?}"));
    (inv, brand)
}
