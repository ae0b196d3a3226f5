//! Render pipeline benchmarks: verify, layout, PDF, and all together, for the
//! one-page NO B2B fixture and a generated 140-line invoice.
//!
//! ```sh
//! cargo bench --bench render
//! ```
//!
//! Before timing, the PDF sizes are printed to stderr (with the fixture's logo
//! and without a logo), and every generated PDF is checked to start with
//! `%PDF-`. The 140-line invoice is built from the fixture's structure: 140
//! items over 25 %, 15 %, 12 % and 0 %, each `vat_amount` =
//! `amount × r / (100 + r)` rounded half away from zero, order and capture
//! sums consistent; KID and account are the fixture's (valid).
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::Value;

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::pdf::PdfOptions;
use kravia_invoice::render::{RenderOptions, Renderer, read_back, render};
use kravia_invoice::template::Template;
use kravia_invoice::verify::verify;

const FIXTURE: &str = "tests/fixtures/pub_ok_no_b2b_three_rates";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

fn read_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture_dir().join(name)).unwrap()).unwrap()
}

struct Case {
    name: &'static str,
    tx: Transaction,
    session: Session,
}

fn cases() -> Vec<Case> {
    let parse = |tx: &Value, s: &Value| {
        (
            Transaction::from_json(&tx.to_string()).unwrap(),
            Session::from_json(&s.to_string()).unwrap(),
        )
    };
    let (tx, session) = parse(&read_json("transaction.json"), &read_json("session.json"));
    let one = Case {
        name: "one_page",
        tx,
        session,
    };
    let (tx, session) = {
        let (t, s) = kravia_invoice::testkit::many_line_documents(140);
        parse(&t, &s)
    };
    let long = Case {
        name: "lines_140",
        tx,
        session,
    };
    vec![one, long]
}

fn brands() -> (Brand, Brand) {
    let with_logo = Brand::load(&fixture_dir().join("brand.toml")).unwrap();
    let mut without = with_logo.clone();
    without.style.logo = None;
    without.logo = None;
    (with_logo, without)
}

fn report_sizes(cases: &[Case], with_logo: &Brand, without: &Brand) {
    let opts = RenderOptions::default();
    for c in cases {
        let inv = verify(&c.tx, Some(&c.session), with_logo).unwrap();
        let a = render(&inv, with_logo, &opts).unwrap();
        let b = render(&inv, without, &opts).unwrap();
        assert!(a.starts_with(b"%PDF-") && b.starts_with(b"%PDF-"));
        let pages = Renderer::new(without.clone(), opts.clone())
            .unwrap()
            .layout(&inv)
            .unwrap()
            .pages
            .len();
        eprintln!(
            "{}: {} lines, {pages} page(s); PDF {} bytes with logo, {} bytes without",
            c.name,
            inv.lines.len(),
            a.len(),
            b.len()
        );
        if let Ok(dir) = std::env::var("KRAVIA_BENCH_OUT") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(Path::new(&dir).join(format!("{}.pdf", c.name)), &a);
            let _ = std::fs::write(Path::new(&dir).join(format!("{}-nologo.pdf", c.name)), &b);
        }
    }
}

fn bench(c: &mut Criterion) {
    let cases = cases();
    let (brand, no_logo) = brands();
    report_sizes(&cases, &brand, &no_logo);
    let opts = RenderOptions::default();

    let mut g = c.benchmark_group("render");
    for case in &cases {
        let inv = verify(&case.tx, Some(&case.session), &brand).unwrap();
        let renderer = Renderer::new(brand.clone(), opts.clone()).unwrap();
        let doc = renderer.layout(&inv).unwrap();
        let locale = renderer.locale_for(&inv);

        g.bench_function(BenchmarkId::new("verify", case.name), |b| {
            b.iter(|| verify(black_box(&case.tx), Some(&case.session), &brand).unwrap())
        });
        g.bench_function(BenchmarkId::new("layout", case.name), |b| {
            b.iter(|| renderer.layout(black_box(&inv)).unwrap())
        });
        g.bench_function(BenchmarkId::new("read_back", case.name), |b| {
            b.iter(|| read_back(black_box(&doc), &inv, locale).unwrap())
        });
        g.bench_function(BenchmarkId::new("pdf", case.name), |b| {
            b.iter(|| kravia_invoice::pdf::write(black_box(&doc), &opts.pdf).unwrap())
        });
        // The same PDF untagged (no structure tree, marked content or XMP):
        // the difference is what tagging costs.
        let untagged = PdfOptions {
            tagged: false,
            ..opts.pdf.clone()
        };
        g.bench_function(BenchmarkId::new("pdf_untagged", case.name), |b| {
            b.iter(|| kravia_invoice::pdf::write(black_box(&doc), &untagged).unwrap())
        });
        // As PDF/A-3 (XMP, output intent, CIDSet): the difference to `pdf` is
        // what the PDF/A additions cost.
        let pdfa = PdfOptions {
            pdfa: true,
            ..opts.pdf.clone()
        };
        g.bench_function(BenchmarkId::new("pdf_pdfa", case.name), |b| {
            b.iter(|| kravia_invoice::pdf::write(black_box(&doc), &pdfa).unwrap())
        });
        // verify + layout + read-back + PDF with a prepared renderer: what
        // `render`, `batch` and the service do per invoice after parsing.
        g.bench_function(BenchmarkId::new("all", case.name), |b| {
            b.iter(|| {
                let inv = verify(black_box(&case.tx), Some(&case.session), &brand).unwrap();
                renderer.render(&inv).unwrap()
            })
        });
    }
    // Per-render overhead that could be paid once.
    g.bench_function("template_builtin_classic", |b| {
        b.iter(|| Template::builtin(black_box("classic")).unwrap())
    });
    // The cold path: the PDF with the subset cache emptied each time.
    let inv = verify(&cases[0].tx, Some(&cases[0].session), &brand).unwrap();
    let doc = Renderer::new(brand.clone(), opts.clone())
        .unwrap()
        .layout(&inv)
        .unwrap();
    g.bench_function("pdf_cold_subset/one_page", |b| {
        b.iter(|| {
            kravia_invoice::pdf::clear_subset_cache();
            kravia_invoice::pdf::write(black_box(&doc), &opts.pdf).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
