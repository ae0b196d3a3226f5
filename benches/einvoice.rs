//! E-invoice benchmark: the PEPPOL BIS 3 / EHF UBL of the one-page NO B2B
//! fixture, without and with its rendered PDF embedded (base64).
//!
//! ```sh
//! cargo bench --bench einvoice
//! ```
//!
//! Before timing, the UBL sizes are printed to stderr.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::einvoice::{check, ubl};
use kravia_invoice::render::{RenderOptions, render};
use kravia_invoice::verify::verify;

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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
