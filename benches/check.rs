//! `check` at scale (issue 11, point 15): parsing the two documents and every
//! cross-check, for invoices of 10,000 and 40,000 lines. `check` must be
//! linear in the number of lines (40,000 lines in at most 0.2 s).
//!
//! ```sh
//! cargo bench --bench check
//! ```
//!
//! The invoices are the NO B2B fixture with `n` generated items over 25 %,
//! 15 %, 12 % and 0 % (each `vat_amount` = `amount × r / (100 + r)` rounded
//! half away from zero), the transaction's items and the INITIATE_CAPTURE
//! event's lines matching, and every total consistent: `check` finds nothing,
//! which is asserted before timing.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::verify::{Report, check};

const FIXTURE: &str = "tests/fixtures/pub_ok_no_b2b_three_rates";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

/// The fixture's transaction and session (as JSON text) with `n` items.
fn many_lines(n: usize) -> (String, String) {
    let (tx, session) = kravia_invoice::testkit::many_line_documents(n);
    (tx.to_string(), session.to_string())
}

/// What `kravia-invoice check` does after reading the files: parse both
/// documents, run every check.
fn run_check(tx: &str, session: &str, brand: &Brand) -> Report {
    let tx = Transaction::from_json(tx).unwrap();
    let session = Session::from_json(session).unwrap();
    check(&tx, Some(&session), Some(brand))
}

fn bench(c: &mut Criterion) {
    let brand = Brand::load(&fixture_dir().join("brand.toml")).unwrap();
    let mut g = c.benchmark_group("check");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    for n in [10_000, 40_000] {
        let (tx, session) = many_lines(n);
        let report = run_check(&tx, &session, &brand);
        assert!(report.errors.is_empty(), "{report}");
        eprintln!(
            "lines_{n}: transaction {} bytes, session {} bytes",
            tx.len(),
            session.len()
        );
        g.bench_function(
            BenchmarkId::new("parse_and_check", format!("lines_{n}")),
            |b| b.iter(|| run_check(black_box(&tx), black_box(&session), &brand)),
        );
        // The two halves, to see where the time goes.
        g.bench_function(BenchmarkId::new("parse", format!("lines_{n}")), |b| {
            b.iter(|| {
                (
                    Transaction::from_json(black_box(&tx)).unwrap(),
                    Session::from_json(black_box(&session)).unwrap(),
                )
            })
        });
        let (t, s) = (
            Transaction::from_json(&tx).unwrap(),
            Session::from_json(&session).unwrap(),
        );
        g.bench_function(BenchmarkId::new("check", format!("lines_{n}")), |b| {
            b.iter(|| check(black_box(&t), Some(&s), Some(&brand)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
