//! Hand-built verified invoices for the layout and render tests (the same
//! facts as the shared fixtures, built without the verifier).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::brand::Brand;
use crate::country::Country;
use crate::locale::Locale;
use crate::money::{Currency, Money, Quantity, VatRate};
use crate::payment::{Bic, Iban, NoAccount, OrgNumber, Reference};
use crate::verify::invoice::{
    Account, Buyer, CustomerKind, Discount, Line, LineKind, PaymentDetails, Seller, Totals,
    VatSummary, VerifiedInvoice,
};

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

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The NO B2B invoice of `pub_ok_no_b2b_three_rates`.
pub fn no_b2b() -> VerifiedInvoice {
    let mut rug = line(
        "1",
        LineKind::Item,
        "Åkle i ull 150x200",
        "2",
        474_300,
        94_860,
        "25",
    );
    rug.gross_before_discount = Some(Money::from_minor(558_000));
    rug.discounts.push(Discount {
        description: Some("Avtalerabatt 15 %".into()),
        amount: Money::from_minor(83_700),
        percentage: Some(Decimal::from(15)),
    });
    let mut ship = line(
        "shipping-1",
        LineKind::Shipping,
        "Bring Servicepakke",
        "1",
        9_900,
        1_980,
        "25",
    );
    ship.item_id = Some("bring-servicepakke".into());
    let mut inv = VerifiedInvoice {
        invoice_number: "KJ65C-190025".into(),
        kind: CustomerKind::Business,
        currency: Currency::Nok,
        issue_date: date("2026-05-31"),
        due_date: date("2026-06-14"),
        dates_derived: false,
        merchant_reference: Some("ORD-2026-61219".into()),
        case_number: Some("2026-027448".into()),
        seller: Some(Seller {
            name: "Lysverket Interiør AS".into(),
            org_number: OrgNumber::parse(Country::No, "849749943").unwrap(),
            country: Country::No,
            vat_registered: true,
            register: Some("Foretaksregisteret".into()),
            vat_number: None,
            f_skatt: false,
            address_line: Some("Kongens gate 14".into()),
            postal_code: Some("7011".into()),
            postal_place: Some("Trondheim".into()),
            email: Some("faktura@lysverket-interior.no".into()),
            phone: Some("+47 73 80 22 40".into()),
            website: Some("lysverket-interior.no".into()),
        }),
        buyer: Buyer {
            business_name: Some("Trøndelag Trykk AS".into()),
            first_name: Some("Kjersti".into()),
            last_name: Some("Ravnå".into()),
            org_number: Some(OrgNumber::parse(Country::No, "989645668").unwrap()),
            customer_reference: Some("PO-5160".into()),
            address_line: Some("Fossegrenda 30".into()),
            postal_code: Some("7038".into()),
            postal_place: Some("Trondheim".into()),
            country: Some(Country::No),
            email: Some("faktura@trondelag-trykk.no".into()),
            phone_number: Some("+4798877665".into()),
            ..Buyer::default()
        },
        lines: vec![
            rug,
            line(
                "2",
                LineKind::Item,
                "Økologisk eplemost 1 l",
                "3",
                13_500,
                1_761,
                "15",
            ),
            line(
                "3",
                LineKind::Item,
                "Togbillett Flåmsbana",
                "3",
                284_700,
                30_504,
                "12",
            ),
            ship,
        ],
        order_discounts: Vec::new(),
        vat: Vec::new(),
        totals: Totals {
            net: Money::ZERO,
            vat: Money::ZERO,
            gross: Money::ZERO,
            paid: Money::ZERO,
            to_pay: Money::ZERO,
        },
        payment: PaymentDetails {
            reference: Reference::parse(Currency::Nok, "003075434963").unwrap(),
            account: Some(Account::No(NoAccount::parse("15039966678").unwrap())),
            iban: Some(Iban::parse("NO7315039966678").unwrap()),
            bic: Some(Bic::parse("DNBANOKK").unwrap()),
            payee_name: "Kravia".into(),
        },
        locale: Locale::Nb,
        prices_incl_vat: false,
        warnings: Vec::new(),
    };
    finish(&mut inv);
    assert_eq!(inv.totals.gross, Money::from_minor(782_400));
    assert_eq!(inv.totals.vat, Money::from_minor(129_105));
    inv
}

/// The FI B2C EUR invoice of `pub_ok_fi_b2c_eur_qr`.
pub fn fi_b2c() -> VerifiedInvoice {
    let mut inv = no_b2b();
    inv.invoice_number = "ZQ72S-401997".into();
    inv.kind = CustomerKind::Consumer;
    inv.currency = Currency::Eur;
    inv.issue_date = date("2026-06-12");
    inv.due_date = date("2026-06-26");
    inv.case_number = Some("2026-055568".into());
    inv.merchant_reference = Some("ORD-2026-60429".into());
    inv.seller = Some(Seller {
        name: "Pohjolan Puutarha Oy".into(),
        org_number: OrgNumber::parse(Country::Fi, "2392340-6").unwrap(),
        country: Country::Fi,
        vat_registered: true,
        register: None,
        vat_number: Some("FI23923406".into()),
        f_skatt: false,
        address_line: Some("Kauppakatu 15".into()),
        postal_code: Some("40100".into()),
        postal_place: Some("Jyväskylä".into()),
        email: Some("laskut@pohjolanpuutarha.fi".into()),
        phone: Some("+358 14 620 300".into()),
        website: Some("pohjolanpuutarha.fi".into()),
    });
    inv.buyer = Buyer {
        first_name: Some("Eeva".into()),
        last_name: Some("Hyvärinen".into()),
        address_line: Some("Rautatienkatu 21 A 4".into()),
        postal_code: Some("15110".into()),
        postal_place: Some("Lahti".into()),
        country: Some(Country::Fi),
        email: Some("eeva.hyvarinen@example.fi".into()),
        ..Buyer::default()
    };
    inv.lines = vec![
        line(
            "1",
            LineKind::Item,
            "Pyyhe Äkäslompolo",
            "3",
            11_970,
            2_432,
            "25.5",
        ),
        line(
            "2",
            LineKind::Item,
            "Leipäjuusto 200 g",
            "1",
            489,
            58,
            "13.5",
        ),
        line(
            "shipping-1",
            LineKind::Shipping,
            "Posti pakettiautomaatti",
            "1",
            690,
            140,
            "25.5",
        ),
    ];
    inv.payment = PaymentDetails {
        reference: Reference::parse(Currency::Eur, "6039527574").unwrap(),
        account: Some(Account::Other("12367300207619".into())),
        iban: Some(Iban::parse("FI2912367300207619").unwrap()),
        bic: Some(Bic::parse("NDEAFIHH").unwrap()),
        payee_name: "Kravia".into(),
    };
    inv.locale = Locale::Fi;
    inv.prices_incl_vat = true;
    finish(&mut inv);
    inv
}

/// The SE B2B SEK invoice of `pub_ok_se_b2b_sek`.
pub fn se_b2b() -> VerifiedInvoice {
    let mut inv = no_b2b();
    inv.invoice_number = "KR7D6-850213".into();
    inv.currency = Currency::Sek;
    inv.issue_date = date("2026-06-25");
    inv.due_date = date("2026-07-09");
    inv.seller = Some(Seller {
        name: "Mälardalens Trädgård AB".into(),
        org_number: OrgNumber::parse(Country::Se, "557273-6329").unwrap(),
        country: Country::Se,
        vat_registered: true,
        register: None,
        vat_number: Some("SE557273632901".into()),
        f_skatt: true,
        address_line: Some("Kungsgatan 7".into()),
        postal_code: Some("72211".into()),
        postal_place: Some("Västerås".into()),
        email: Some("ekonomi@malardalens-tradgard.se".into()),
        phone: Some("+46 21 41 00 70".into()),
        website: Some("malardalens-tradgard.se".into()),
    });
    inv.buyer = Buyer {
        business_name: Some("Öresunds Kafferosteri AB".into()),
        first_name: Some("Märta".into()),
        last_name: Some("Öberg".into()),
        org_number: Some(OrgNumber::parse(Country::Se, "5593898199").unwrap()),
        customer_reference: Some("PO-1950".into()),
        address_line: Some("Södra Förstadsgatan 30".into()),
        postal_code: Some("21143".into()),
        postal_place: Some("Malmö".into()),
        country: Some(Country::Se),
        ..Buyer::default()
    };
    inv.lines = vec![
        line(
            "1",
            LineKind::Item,
            "Blomkruka Ödeshög",
            "2",
            39_800,
            7_960,
            "25",
        ),
        line(
            "2",
            LineKind::Item,
            "Hotellnatt Malmö",
            "4",
            556_000,
            59_571,
            "12",
        ),
        line(
            "3",
            LineKind::Item,
            "Knäckebröd råg 520 g",
            "3",
            11_700,
            662,
            "6",
        ),
    ];
    inv.payment = PaymentDetails {
        reference: Reference::parse(Currency::Sek, "7889456690").unwrap(),
        account: Some(Account::Other("50000000054910000003".into())),
        iban: Some(Iban::parse("SE3550000000054910000003").unwrap()),
        bic: Some(Bic::parse("ESSESESS").unwrap()),
        payee_name: "Kravia".into(),
    };
    inv.locale = Locale::Sv;
    finish(&mut inv);
    inv
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
    let inv = crate::verify::verify(&tx, session.as_ref(), Some(&brand))
        .unwrap_or_else(|r| panic!("{case}: {r:?}"));
    (inv, brand)
}
