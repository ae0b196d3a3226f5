//! Test support, in one place, for the unit tests (as `crate::testkit`), the
//! integration tests and the benchmarks (as `kravia_invoice::testkit`, with
//! the `testkit` feature that the dev-dependency on this crate turns on).
//! Not part of the library's API.
//!
//! - the shared fixture cases (copied under `tests/fixtures/`), verified;
//! - lines and totals for synthetic invoices;
//! - [`sample`]: a synthetic Nordic invoice built directly as a layout
//!   `Document`, for the PDF backend's tests and benchmarks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    dead_code
)]

use crate::brand::Brand;
use crate::color::Rgb;
use crate::font::FontFace;
use crate::layout::document::{
    Artifact, Document, Item, Line as RuleLine, Metadata, Page, Pt, Rect, Role, TextRole, TextRun,
};
use crate::money::{Money, Quantity, VatRate};
use crate::verify::invoice::{Line, LineKind, Totals, VatSummary, VerifiedInvoice};
use serde_json::{Value, json};

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

/// A credit case of `tests/fixtures/credit/`, verified with its brand and the
/// number its `expect.json` gives.
pub fn credit_fixture(case: &str) -> (crate::verify::VerifiedCreditNote, Brand) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/credit")
        .join(case);
    let read = |f: &str| std::fs::read_to_string(dir.join(f));
    let tx = crate::dintero::Transaction::from_json(&read("transaction.json").unwrap()).unwrap();
    let session = read("session.json")
        .ok()
        .map(|s| crate::dintero::Session::from_json(&s).unwrap());
    let expect: serde_json::Value = serde_json::from_str(&read("expect.json").unwrap()).unwrap();
    let brand = Brand::load(&dir.join("brand.toml")).unwrap();
    let note = crate::verify::verify_credit(
        &tx,
        session.as_ref(),
        &brand,
        expect["number"].as_str().unwrap(),
    )
    .unwrap_or_else(|r| panic!("{case}: {r:?}"));
    (note, brand)
}

/// The valid credit cases (under `tests/fixtures/credit/`).
pub const CREDIT_FIXTURES: [&str; 3] = [
    "credit_ok_full_void_no_b2b",
    "credit_ok_partial_void_items_fi_b2c",
    "credit_ok_partial_void_split_se_b2b",
];

/// A credit note for the whole of `inv` (as a full void gives), numbered `KN-1`.
pub fn whole_credit(inv: VerifiedInvoice) -> crate::verify::VerifiedCreditNote {
    use crate::verify::credit::{
        CreditBasis, CreditLine, CreditTotals, Credits, VerifiedCreditNote,
    };
    let lines = inv
        .lines
        .iter()
        .map(|l| CreditLine {
            credits: Credits::Line {
                line_id: l.line_id.clone(),
                line_kind: l.kind,
            },
            item_id: l.item_id.clone(),
            description: Some(l.description.clone()),
            quantity: l.quantity,
            vat_rate: l.vat_rate,
            amount: l.amount,
            vat_amount: l.vat_amount,
            net: l.net,
            unit_price_net: l.unit_price_net,
            unit_price_gross: l.unit_price_gross,
        })
        .collect();
    VerifiedCreditNote {
        credit_number: "KN-1".into(),
        issue_date: inv.issue_date,
        basis: CreditBasis::WholeInvoice,
        void_event: None,
        lines,
        vat: inv.vat.clone(),
        totals: CreditTotals {
            net: inv.totals.net,
            vat: inv.totals.vat,
            gross: inv.totals.gross,
        },
        locale: inv.locale,
        warnings: Vec::new(),
        invoice: inv,
    }
}

pub const A4: (f32, f32) = (595.28, 841.89);
pub const BLUE: Rgb = Rgb(26, 61, 115);
pub const GREY: Rgb = Rgb(235, 238, 242);

pub fn text(x: f32, y: f32, face: FontFace, size: f32, s: &str) -> Item {
    Item::Text(TextRun {
        x: Pt(x),
        y: Pt(y),
        face,
        size: Pt(size),
        color: Rgb::BLACK,
        text: s.to_owned(),
        role: TextRole::Plain,
    })
}

pub fn right(x: f32, y: f32, face: FontFace, size: f32, s: &str) -> Item {
    let w = crate::font::fonts().face(face).text_width(s, size);
    text(((x - w) * 100.0).round() / 100.0, y, face, size, s)
}

pub fn fill(x: f32, y: f32, w: f32, h: f32, c: Rgb) -> Item {
    Item::Rect(Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(w),
        height: Pt(h),
        fill: Some(c),
        stroke: None,
    })
}

pub fn hline(x1: f32, x2: f32, y: f32) -> Item {
    Item::Line(RuleLine {
        x1: Pt(x1),
        y1: Pt(y),
        x2: Pt(x2),
        y2: Pt(y),
        color: Rgb(200, 200, 200),
        width: Pt(0.5),
    })
}

/// A pseudo-random 41×41 module pattern drawn as horizontal runs (≈ 400 rects).
pub fn qr(items: &mut Vec<Item>, x0: f32, y0: f32) {
    let mut state: u32 = 0x1234_5678;
    let module = 2.0;
    for row in 0..41 {
        let mut col = 0;
        while col < 41 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let dark = state.is_multiple_of(2);
            let mut len = 1;
            if dark {
                while col + len < 41 && state.is_multiple_of(len as u32 + 2) {
                    len += 1;
                }
                items.push(fill(
                    x0 + col as f32 * module,
                    y0 + row as f32 * module,
                    len as f32 * module,
                    module,
                    Rgb::BLACK,
                ));
            }
            col += len;
        }
    }
}

/// A Nordic invoice with `lines` order lines, 35 per page, with structure:
/// the title a heading, the facts a section, the lines one table across the
/// pages (its header row repeated as an artifact), the QR code a figure, the
/// page numbers artifacts.
pub fn sample(lines: usize) -> Document {
    let per_page = 35;
    let pages = lines.div_ceil(per_page).max(1);
    let mut out = Vec::new();
    for p in 0..pages {
        let mut items = vec![fill(0.0, 0.0, A4.0, 80.0, BLUE)];
        items.push(Item::Begin(Role::Heading(1)));
        if let Item::Text(mut t) = text(40.0, 50.0, FontFace::Bold, 22.0, "Nordlys AS – FAKTURA")
        {
            t.color = Rgb::WHITE;
            items.push(Item::Text(t));
        }
        items.push(Item::End);
        items.push(Item::Begin(Role::Section));
        items.push(text(
            40.0,
            110.0,
            FontFace::Regular,
            10.0,
            "Fakturanummer æøå ÆØÅ äö €: 2024-0042",
        ));
        items.push(text(
            40.0,
            124.0,
            FontFace::Regular,
            10.0,
            "Kunde: Bjørn Ødegård, Åsveien 3, 0661 Oslo",
        ));
        items.push(text(
            40.0,
            138.0,
            FontFace::Regular,
            10.0,
            "Org.nr. 923\u{00A0}609\u{00A0}016 MVA · Foretaksregisteret",
        ));
        items.push(text(
            40.0,
            152.0,
            FontFace::Regular,
            10.0,
            "Köpare: Märta Öberg — “Snö & Is” ‘AB’ • Malmö…",
        ));
        items.push(text(
            360.0,
            110.0,
            FontFace::Regular,
            10.0,
            "Fakturadato: 1. juni 2024",
        ));
        items.push(text(
            360.0,
            124.0,
            FontFace::Regular,
            10.0,
            "Forfallsdato: 15. juni 2024",
        ));
        items.push(Item::End);
        items.push(fill(40.0, 170.0, 515.28, 18.0, GREY));
        if p == 0 {
            items.push(Item::Begin(Role::Table));
            items.push(Item::Begin(Role::TableHead));
        } else {
            items.push(Item::Begin(Role::Artifact(Artifact::Pagination)));
        }
        items.push(Item::Begin(Role::Row));
        for (x, h) in [
            (44.0, "Beskrivelse"),
            (300.0, "Antall"),
            (360.0, "Pris"),
            (430.0, "MVA"),
        ] {
            items.push(Item::Begin(Role::HeaderCell));
            items.push(text(x, 183.0, FontFace::Bold, 9.0, h));
            items.push(Item::End);
        }
        items.push(Item::Begin(Role::HeaderCell));
        items.push(right(551.0, 183.0, FontFace::Bold, 9.0, "Beløp"));
        items.push(Item::End);
        items.push(Item::End);
        items.push(Item::End);
        if p == 0 {
            items.push(Item::Begin(Role::TableBody));
        }
        let first = p * per_page;
        let last = (first + per_page).min(lines);
        let mut y = 202.0;
        for n in first..last {
            items.push(Item::Begin(Role::Row));
            items.push(Item::Begin(Role::Cell));
            items.push(text(
                44.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("Vare {n}: Ullgenser «Fjellrev» str. M, blå/grå"),
            ));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(
                330.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("{}", n % 7 + 1),
            ));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(
                420.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("1\u{202F}{:03},50", n * 37 % 1000),
            ));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(460.0, y, FontFace::Regular, 9.0, "25\u{2009}%"));
            items.push(Item::End);
            items.push(Item::Begin(Role::Cell));
            items.push(right(
                551.0,
                y,
                FontFace::Regular,
                9.0,
                &format!("{}\u{202F}{:03},00 kr", n % 9 + 1, n * 53 % 1000),
            ));
            items.push(Item::End);
            items.push(Item::End);
            if n % 4 == 3 {
                items.push(hline(40.0, 555.28, y + 4.0));
            }
            y += 14.0;
        }
        if p + 1 == pages {
            items.push(Item::End);
            items.push(Item::End);
            items.push(right(
                551.0,
                y + 16.0,
                FontFace::Bold,
                11.0,
                "Å betale: 12\u{202F}345,67 kr",
            ));
            items.push(text(
                40.0,
                750.0,
                FontFace::Mono,
                10.0,
                "KID: 0004 2024 0042 7",
            ));
            items.push(text(
                40.0,
                764.0,
                FontFace::Mono,
                10.0,
                "IBAN: NO93 8601 1117 947",
            ));
            items.push(text(
                40.0,
                778.0,
                FontFace::Regular,
                9.0,
                "Konto 8601.11.17947 · BIC DNBANOKKXXX",
            ));
            items.push(Item::Begin(Role::Figure(
                "QR: betal 12 345,67 kr til 8601.11.17947, KID 0004 2024 0042 7".into(),
            )));
            qr(&mut items, 470.0, 722.0);
            items.push(Item::End);
        }
        items.push(Item::Begin(Role::Artifact(Artifact::Pagination)));
        items.push(right(
            555.28,
            826.0,
            FontFace::Regular,
            8.0,
            &format!("Side {} av {}", p + 1, pages),
        ));
        items.push(Item::End);
        out.push(Page {
            width: Pt(A4.0),
            height: Pt(A4.1),
            items,
        });
    }
    Document {
        pages: out,
        images: Vec::new(),
        metadata: Metadata {
            title: "Faktura 2024-0042".into(),
            author: "Nordlys AS".into(),
            subject: "Faktura til Bjørn Ødegård".into(),
            created_unix: 1_717_200_000,
            ident: "923609016:2024-0042".into(),
            lang: "nb".into(),
        },
    }
}

/// `round(amount × r / (100 + r))`, half away from zero, in integers.
fn vat_of(amount: i64, rate: i64) -> i64 {
    let num = amount * rate;
    let den = 100 + rate;
    (2 * num + den) / (2 * den)
}

/// The NO B2B fixture's transaction and session (JSON) with `n` generated
/// items instead of three, every total and capture event made to agree: the
/// documents of the benchmarks at scale (140 lines for render, 10k and 40k
/// for check).
pub fn many_line_documents(n: usize) -> (Value, Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pub_ok_no_b2b_three_rates");
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap()
    };
    let mut tx = read("transaction.json");
    let mut session = read("session.json");
    let rates = [25, 15, 12, 0];
    let words = [
        "Åkle i ull",
        "Økologisk eplemost",
        "Togbillett Flåmsbana",
        "Kontorstol med nakkestøtte og justerbare armlener, svart stoff",
        "Skrivebordslampe",
        "Blåbærsyltetøy 450 g",
        "Kursavgift: «Regnskap for små bedrifter», to dager i Tromsø",
        "Bøker",
    ];
    let mut items = Vec::with_capacity(n);
    let mut captured = Vec::with_capacity(n + 1);
    let (mut total, mut vat_total) = (0i64, 0i64);
    for i in 0..n {
        let rate = rates[i % rates.len()];
        let quantity = 1 + (i % 5) as i64;
        let amount = quantity * (1990 + 137 * (i % 1000) as i64);
        let vat = vat_of(amount, rate);
        total += amount;
        vat_total += vat;
        let line_id = format!("{}", i + 1);
        items.push(json!({
            "id": format!("SKU-{:04}", i + 1),
            "line_id": line_id,
            "description": format!("{} nr. {}", words[i % words.len()], i + 1),
            "quantity": quantity,
            "amount": amount,
            "vat_amount": vat,
            "vat": rate,
            "type": "physical",
        }));
        captured.push(json!({"line_id": line_id, "amount": amount, "quantity": quantity}));
    }
    let shipping = session["order"]["shipping_option"].clone();
    let ship_amount = shipping["amount"].as_i64().unwrap();
    let ship_vat = shipping["vat_amount"].as_i64().unwrap();
    assert_eq!(
        ship_vat,
        vat_of(ship_amount, shipping["vat"].as_i64().unwrap())
    );
    total += ship_amount;
    vat_total += ship_vat;
    captured.push(json!({"line_id": shipping["line_id"], "amount": ship_amount, "quantity": 1}));

    let order = &mut session["order"];
    order["items"] = Value::Array(items.clone());
    order["amount"] = json!(total);
    order["vat_amount"] = json!(vat_total);

    let mut tx_items = items;
    tx_items.push(json!({
        "id": shipping["id"],
        "line_id": shipping["line_id"],
        "description": shipping["title"],
        "quantity": 1,
        "amount": ship_amount,
        "vat_amount": ship_vat,
        "vat": shipping["vat"],
        "type": "shipping",
    }));
    tx["items"] = Value::Array(tx_items);
    tx["amount"] = json!(total);
    for ev in tx["events"].as_array_mut().unwrap() {
        ev["amount"] = json!(total);
        if ev["event"] == "INITIATE_CAPTURE" {
            ev["items"] = Value::Array(captured.clone());
        }
    }
    (tx, session)
}
