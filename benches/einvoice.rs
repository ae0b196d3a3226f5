//! E-invoice benchmark: the PEPPOL BIS 3 / EHF UBL of the one-page NO B2B
//! fixture, without and with its rendered PDF embedded (base64); the
//! `CreditNote` of the full void of that invoice; and what the PDF/A-3 hybrid
//! invoice adds to writing the PDF of the laid-out invoice:
//!
//! * `hybrid/pdf`: the PDF as `render` writes it (tagged);
//! * `hybrid/pdf_pdfa`: as PDF/A-3 (XMP, sRGB output intent, CIDSet);
//! * `hybrid/pdf_pdfa_ubl`: as PDF/A-3 with the invoice's UBL attached (what
//!   `render --pdfa` writes for a B2B invoice, the UBL already built): the
//!   difference to `hybrid/pdf` is the cost of the PDF/A additions;
//!
//! Before criterion's runs it prints that difference measured in pairs (the
//! plain and the PDF/A write back to back, 2,000 pairs, the median of the
//! per-pair differences), which a changing load on the shared machine skews
//! less than the difference of two separate criterion runs.
//!
//! ```sh
//! cargo bench --bench einvoice
//! ```
//!
//! Before timing, the UBL and PDF sizes are printed to stderr.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::einvoice::{check, credit_note_ubl, ubl};
use kravia_invoice::locale::Locale;
use kravia_invoice::pdf::{self, PdfOptions};
use kravia_invoice::render::{RenderOptions, Renderer, hybrid_attachment, render};
use kravia_invoice::verify::{verify, verify_credit};

const FIXTURE: &str = "tests/fixtures/pub_ok_no_b2b_three_rates";

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let tx = Transaction::from_json(&read("transaction.json")).unwrap();
    let session = Session::from_json(&read("session.json")).unwrap();
    let brand = Brand::load(&dir.join("brand.toml")).unwrap();
    let invoice = verify(&tx, Some(&session), &brand).unwrap();
    let pdf = render(&invoice, &brand, &RenderOptions::default()).unwrap();
    let bare = ubl(&invoice, None).unwrap();
    let with_pdf = ubl(&invoice, Some(&pdf)).unwrap();
    eprintln!(
        "UBL: {} bytes without the PDF, {} bytes with the {}-byte PDF embedded",
        bare.len(),
        with_pdf.len(),
        pdf.len()
    );
    let mut g = c.benchmark_group("einvoice");
    g.bench_function("ubl", |b| {
        b.iter(|| ubl(black_box(&invoice), None).unwrap())
    });
    g.bench_function("ubl_with_pdf", |b| {
        b.iter(|| ubl(black_box(&invoice), Some(black_box(&pdf))).unwrap())
    });
    g.bench_function("check", |b| b.iter(|| check(black_box(&invoice))));
    // The full void of the same invoice: its CreditNote (4 lines, 3 rates).
    let mut voided = tx.clone();
    voided.status = Some("AUTHORIZATION_VOIDED".into());
    let note = verify_credit(&voided, Some(&session), &brand, "KN-2026-0001").unwrap();
    eprintln!(
        "CreditNote: {} bytes without the PDF",
        credit_note_ubl(&note, Locale::Nb, None).unwrap().len()
    );
    g.bench_function("credit_note_ubl", |b| {
        b.iter(|| credit_note_ubl(black_box(&note), Locale::Nb, None).unwrap())
    });
    g.finish();

    // What the PDF/A-3 hybrid adds to the PDF write of the laid-out invoice.
    let renderer = Renderer::new(brand.clone(), RenderOptions::default()).unwrap();
    let doc = renderer.layout(&invoice).unwrap();
    let plain = PdfOptions::default();
    let pdfa = PdfOptions {
        pdfa: true,
        ..PdfOptions::default()
    };
    let hybrid = PdfOptions {
        pdfa: true,
        attachments: vec![hybrid_attachment(&invoice.invoice_number, bare.clone())],
        ..PdfOptions::default()
    };
    for (name, o) in [
        ("pdf", &plain),
        ("pdf_pdfa", &pdfa),
        ("pdf_pdfa_ubl", &hybrid),
    ] {
        eprintln!("{name}: {} bytes", pdf::write(&doc, o).unwrap().len());
    }
    // The additions paired: the plain and the PDF/A write back to back
    // (alternating which goes first), 2,000 pairs; the median of the
    // per-pair differences weighs a load that changes during the run (the
    // machine is shared) on both alike. Printed before criterion's runs.
    for (name, with) in [("pdfa", &pdfa), ("pdfa_ubl", &hybrid)] {
        let mut diffs: Vec<i128> = Vec::with_capacity(2_000);
        for i in 0..2_000 {
            let one = |o: &PdfOptions| {
                let t = Instant::now();
                black_box(pdf::write(black_box(&doc), o).unwrap());
                t.elapsed().as_nanos() as i128
            };
            let (p, w) = if i % 2 == 0 {
                let p = one(&plain);
                (p, one(with))
            } else {
                let w = one(with);
                (one(&plain), w)
            };
            diffs.push(w - p);
        }
        diffs.sort_unstable();
        let q = |f: f64| diffs[((diffs.len() - 1) as f64 * f) as usize] as f64 / 1000.0;
        eprintln!(
            "additions {name}: paired median {:.1} µs (quartiles {:.1} / {:.1} µs, 2,000 pairs)",
            q(0.5),
            q(0.25),
            q(0.75)
        );
    }
    let mut g = c.benchmark_group("hybrid");
    g.bench_function("pdf", |b| {
        b.iter(|| pdf::write(black_box(&doc), &plain).unwrap())
    });
    g.bench_function("pdf_pdfa", |b| {
        b.iter(|| pdf::write(black_box(&doc), &pdfa).unwrap())
    });
    g.bench_function("pdf_pdfa_ubl", |b| {
        b.iter(|| pdf::write(black_box(&doc), &hybrid).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
