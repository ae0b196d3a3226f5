//! Credit notes (issue 15) through the built binary and the library.
//!
//! The cases in `tests/fixtures/credit/` (a full void after INITIATE_CAPTURE,
//! partial voids on PARTIALLY_CAPTURED with and without items, a transaction
//! that was never voided, a void larger than the open amount, a credit note
//! numbered like its invoice) each give their expected exit status and codes;
//! the text `pdftotext` reads back from every credit note names the invoice it
//! credits and, rate by rate, adds up to the voided amount (from the VAT
//! summary and, independently, from the table's lines); snapshots keep every
//! valid case × template × locale; a property test splits generated voids.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::layout::dump::dump;
use kravia_invoice::locale::Locale;
use kravia_invoice::render::{RenderOptions, Renderer};
use kravia_invoice::template::{BUILTIN, TemplateSource};
use kravia_invoice::verify::credit::{CreditBasis, Credits};
use kravia_invoice::verify::{Code, verify_credit};
use kravia_invoice::{Brand, Money};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::pdf_text::norm;
use crate::util::{fixtures_dir, run};

/// One case of `tests/fixtures/credit/`.
struct CreditCase {
    name: String,
    dir: PathBuf,
    expect: Value,
}

impl CreditCase {
    fn number(&self) -> &str {
        self.expect["number"].as_str().unwrap()
    }

    fn exit(&self) -> i32 {
        self.expect["exit"].as_i64().unwrap() as i32
    }

    fn invoice(&self) -> &str {
        self.expect["invoice"].as_str().unwrap()
    }

    /// `--transaction T [--session S] --brand B --number N`.
    fn doc_args(&self) -> Vec<String> {
        let mut v = vec![
            "--transaction".to_string(),
            self.dir.join("transaction.json").display().to_string(),
        ];
        let s = self.dir.join("session.json");
        if s.exists() {
            v.extend(["--session".to_string(), s.display().to_string()]);
        }
        v.extend([
            "--brand".to_string(),
            self.dir.join("brand.toml").display().to_string(),
            "--number".to_string(),
            self.number().to_string(),
        ]);
        v
    }

    /// `credit-note … --output OUT --json`.
    fn args(&self, output: &Path) -> Vec<String> {
        let mut v = vec!["credit-note".to_string()];
        v.extend(self.doc_args());
        v.extend([
            "--output".to_string(),
            output.display().to_string(),
            "--json".to_string(),
        ]);
        v
    }

    /// The expected credited gross per rate (`"25"` → minor units).
    fn per_rate(&self) -> BTreeMap<String, i64> {
        self.expect["credited"]["per_rate"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
            .collect()
    }

    fn documents(&self) -> (Transaction, Option<Session>, Brand) {
        let tx = Transaction::from_json(
            &std::fs::read_to_string(self.dir.join("transaction.json")).unwrap(),
        )
        .unwrap();
        let session = std::fs::read_to_string(self.dir.join("session.json"))
            .ok()
            .map(|t| Session::from_json(&t).unwrap());
        (
            tx,
            session,
            Brand::load(&self.dir.join("brand.toml")).unwrap(),
        )
    }
}

fn credit_cases() -> Vec<CreditCase> {
    let root = fixtures_dir().join("credit");
    let mut out: Vec<CreditCase> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("expect.json").is_file())
        .map(|dir| CreditCase {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            expect: serde_json::from_str(
                &std::fs::read_to_string(dir.join("expect.json")).unwrap(),
            )
            .unwrap(),
            dir,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() >= 6, "expected the credit fixture cases");
    out
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `-3 873,60`, `-3,873.60`, `-0,58` → minor units (every amount printed has
/// two decimals); `None` for anything else.
fn amount_minor(token: &str) -> Option<i64> {
    let t = token
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c.is_whitespace());
    let t = t.trim_end_matches(['\u{a0}', ' ']);
    let negative = t.starts_with('-') || t.starts_with('\u{2212}');
    let body = t.trim_start_matches(['-', '\u{2212}']);
    let n = body.chars().count();
    if n < 4 || !body.chars().next()?.is_ascii_digit() {
        return None;
    }
    let chars: Vec<char> = body.chars().collect();
    if !matches!(chars[n - 3], ',' | '.') || !chars[n - 1].is_ascii_digit() {
        return None;
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}'))
    {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let v: i64 = digits.parse().ok()?;
    Some(if negative { -v } else { v })
}

/// `25 %`, `25,5 %`, `25.5%` → `"25"`, `"25.5"`.
fn rate_key(token: &str) -> Option<String> {
    let t = token.trim().strip_suffix('%')?;
    let t = t.trim_end_matches(['\u{a0}', ' ']).replace(',', ".");
    t.parse::<f64>().ok()?;
    Some(t)
}

/// A `pdftotext -layout` line cut at runs of two or more spaces.
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// From the VAT summary rows (`rate  basis  VAT …`): rate → −(basis + VAT),
/// the gross credited at that rate, in minor units.
fn summary_per_rate(text: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let c = cells(line);
        if c.len() < 3 {
            continue;
        }
        if let (Some(rate), Some(basis), Some(vat)) =
            (rate_key(c[0]), amount_minor(c[1]), amount_minor(c[2]))
        {
            assert!(
                out.insert(rate, -(basis + vat)).is_none(),
                "a rate twice in {text}"
            );
        }
    }
    out
}

/// From the table rows (`description … rate  amount`): rate → −Σ amounts.
fn table_per_rate(text: &str) -> BTreeMap<String, i64> {
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for line in text.lines() {
        let c = cells(line);
        let Some(ri) = (1..c.len()).find(|&i| rate_key(c[i]).is_some()) else {
            continue;
        };
        if rate_key(c[0]).is_some() {
            continue; // a VAT summary row
        }
        if let (Some(rate), Some(amount)) =
            (rate_key(c[ri]), c.get(ri + 1).and_then(|t| amount_minor(t)))
        {
            *out.entry(rate).or_default() -= amount;
        }
    }
    out
}

#[test]
fn amounts_and_rates_parse_in_every_locale_form() {
    assert_eq!(amount_minor("-3\u{202f}873,60"), Some(-387_360));
    assert_eq!(amount_minor("-3,873.60"), Some(-387_360));
    assert_eq!(amount_minor("-7 824,00 NOK"), Some(-782_400));
    assert_eq!(amount_minor("-0,58"), Some(-58));
    assert_eq!(amount_minor("2026-05-31"), None);
    assert_eq!(amount_minor("KJ65C-190025"), None);
    assert_eq!(rate_key("25,5\u{a0}%").as_deref(), Some("25.5"));
    assert_eq!(rate_key("12%").as_deref(), Some("12"));
    assert_eq!(rate_key("ALV %"), None);
    let text = "25 %     -3 873,60      -968,40     Sum eks. MVA   -6 532,95 NOK\n\
                Åkle i ull     2     -1 897,20      25 %      -4 743,00\n";
    assert_eq!(
        summary_per_rate(text),
        BTreeMap::from([("25".into(), 484_200)])
    );
    assert_eq!(
        table_per_rate(text),
        BTreeMap::from([("25".into(), 474_300)])
    );
}

/// Checks the text of one rendered credit note against its case.
fn check_text(case: &CreditCase, text: &str, what: &str) {
    let want = case.per_rate();
    let total: i64 = case.expect["credited"]["total"].as_i64().unwrap();
    assert_eq!(want.values().sum::<i64>(), total, "{what}: expect.json");
    assert_eq!(summary_per_rate(text), want, "{what}: VAT summary\n{text}");
    assert_eq!(table_per_rate(text), want, "{what}: the lines\n{text}");
    let n = norm(&text.replace('\n', " "));
    assert!(
        n.contains(&norm(case.invoice())),
        "{what}: does not name invoice {}",
        case.invoice()
    );
    assert!(n.contains(&norm(case.number())), "{what}: no credit number");
    let total_text = format!("-{},{:02}", total / 100, total % 100);
    assert!(
        n.contains(&norm(&total_text)),
        "{what}: no total {total_text}"
    );
}

#[test]
fn every_credit_fixture_gives_its_exit_codes_and_text() {
    let tools = have("pdftotext") && have("pdffonts");
    if !tools {
        eprintln!(
            "note: poppler-utils missing (apt-get install poppler-utils); text checks skipped"
        );
    }
    for case in credit_cases() {
        let dir = crate::cli::tempdir();
        let pdf = dir.join("credit.pdf");
        let out = run(&case.args(&pdf));
        let doc = crate::util::json(&out);
        assert_eq!(
            out.status.code(),
            Some(case.exit()),
            "{}: exit; output {doc}",
            case.name
        );
        assert_eq!(doc["ok"], case.exit() == 0, "{}", case.name);
        assert_eq!(doc["invoice_number"], case.invoice(), "{}", case.name);
        assert_eq!(doc["credit_number"], case.number(), "{}", case.name);
        let codes: Vec<&str> = doc["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = case.expect["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for w in &want {
            assert!(
                codes.contains(w),
                "{}: {w} missing from {codes:?}",
                case.name
            );
        }
        for e in doc["errors"].as_array().unwrap() {
            assert!(!e["path"].as_str().unwrap().is_empty(), "{}", case.name);
            assert!(!e["message"].as_str().unwrap().is_empty(), "{}", case.name);
        }
        if case.exit() != 0 {
            assert!(
                std::fs::read_dir(&dir).unwrap().next().is_none(),
                "{}: files left behind",
                case.name
            );
            continue;
        }
        assert!(codes.is_empty(), "{}: {codes:?}", case.name);
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{}", case.name);
        // same input, same bytes
        assert!(run(&case.args(&pdf)).status.success());
        assert_eq!(
            std::fs::read(&pdf).unwrap(),
            bytes,
            "{}: renders differ",
            case.name
        );
        if !tools {
            continue;
        }
        let text = pdftotext(&pdf);
        check_text(&case, &text, &case.name);
        // one line for the normalisation (a date must stand between spaces)
        let n = norm(&text.replace('\n', " "));
        for want in case.expect["text"].as_array().unwrap() {
            let want = want.as_str().unwrap();
            assert!(
                n.contains(&norm(want)),
                "{}: {want:?} not in\n{text}",
                case.name
            );
        }
        for absent in case.expect["absent"].as_array().unwrap() {
            let absent = absent.as_str().unwrap();
            assert!(
                !n.contains(&norm(absent)),
                "{}: {absent:?} (a payment detail) is printed",
                case.name
            );
        }
        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        for row in String::from_utf8_lossy(&fonts.stdout).lines().skip(2) {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(
                cols.len() >= 6 && cols[cols.len() - 5] == "yes",
                "{}: font not embedded: {row}",
                case.name
            );
        }
        if Command::new("qpdf").arg("--version").output().is_ok() {
            let st = Command::new("qpdf")
                .arg("--check")
                .arg(&pdf)
                .output()
                .unwrap();
            assert!(st.status.success(), "{}: qpdf --check", case.name);
        }
    }
}

fn case(name: &str) -> CreditCase {
    credit_cases().into_iter().find(|c| c.name == name).unwrap()
}

#[test]
fn a_failed_credit_note_keeps_an_existing_output_file() {
    let case = case("credit_err_void_exceeds_open");
    let dir = crate::cli::tempdir();
    let pdf = dir.join("credit.pdf");
    std::fs::write(&pdf, b"previous").unwrap();
    let out = run(&case.args(&pdf));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&pdf).unwrap(), b"previous");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn credit_note_to_stdout_puts_the_json_on_stderr() {
    let case = case("credit_ok_partial_void_items_fi_b2c");
    let out = run(&case.args(Path::new("-")));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"%PDF-"));
    let doc: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["output"], "-");
}

#[test]
fn human_output_names_every_code_and_path() {
    // never voided, and numbered like the invoice: both codes, one run
    let case = case("credit_err_not_voided");
    let mut args = vec!["credit-note".to_string()];
    args.extend(case.doc_args().into_iter().map(|a| {
        if a == case.number() {
            case.invoice().to_string()
        } else {
            a
        }
    }));
    let pdf = crate::cli::tempdir().join("x.pdf");
    args.extend(["--output".into(), pdf.display().to_string()]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(!pdf.exists());
    let text = String::from_utf8_lossy(&out.stderr);
    for s in [
        "not_voided",
        "transaction.status",
        "invalid_credit_number",
        "credit_number",
    ] {
        assert!(text.contains(s), "{s} missing from {text}");
    }
}

#[test]
fn a_missing_number_is_a_usage_error() {
    let case = case("credit_ok_full_void_no_b2b");
    let mut args = vec!["credit-note".to_string()];
    args.extend(case.doc_args().into_iter().take_while(|a| a != "--number"));
    args.extend(["--output".into(), "x.pdf".into(), "--json".into()]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    let doc = crate::util::json(&out);
    assert!(doc["fatal"].as_str().unwrap().contains("--number"), "{doc}");
}

/// 64-bit FNV-1a of the PDF bytes.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One snapshot per valid credit case × template × locale: size and hash of
/// the PDF, its `pdftotext -layout` text and the layout dump. Before accepting
/// a change, look at the pages (`KRAVIA_STORE=1` keeps the PDFs in
/// `target/store/credit/`; `pdftoppm -png -r 80`). Each text also passes the
/// per-rate check.
#[test]
fn credit_snapshots_every_template_and_locale() {
    if !have("pdftotext") {
        eprintln!("note: pdftotext missing (apt-get install poppler-utils); skipping snapshots");
        return;
    }
    let store = std::env::var_os("KRAVIA_STORE").is_some();
    let store_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/store/credit");
    for case in credit_cases().into_iter().filter(|c| c.exit() == 0) {
        let (tx, session, brand) = case.documents();
        let note = verify_credit(&tx, session.as_ref(), &brand, case.number()).unwrap();
        for (template, _) in BUILTIN {
            for locale in Locale::ALL {
                let options = RenderOptions {
                    template: Some(TemplateSource::Builtin(template.to_string())),
                    locale: Some(locale),
                    ..RenderOptions::default()
                };
                let renderer = Renderer::new(brand.clone(), options).unwrap();
                let doc = renderer.layout_credit(&note).unwrap();
                let pdf = renderer.render_credit(&note).unwrap();
                assert_eq!(renderer.render_credit(&note).unwrap(), pdf, "deterministic");
                let name = format!("{}-{template}-{locale}", case.name);
                let file = crate::cli::tempdir().join(format!("{name}.pdf"));
                std::fs::write(&file, &pdf).unwrap();
                if store {
                    std::fs::create_dir_all(&store_dir).unwrap();
                    std::fs::copy(&file, store_dir.join(format!("{name}.pdf"))).unwrap();
                }
                let raw = pdftotext(&file);
                check_text(&case, &raw, &name);
                let text = raw
                    .split('\u{c}')
                    .filter(|p| !p.trim().is_empty())
                    .map(|page| {
                        page.lines()
                            .map(str::trim_end)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .collect::<Vec<_>>()
                    .join("\n---- next page ----\n");
                let snapshot = format!(
                    "{} · credit note {} · template {template} · locale {locale}\npages {} · {} bytes · fnv64 {:016x}\n\n---- pdftotext -layout ----\n{}\n\n---- layout ----\n{}",
                    case.name,
                    note.credit_number,
                    doc.pages.len(),
                    pdf.len(),
                    fnv64(&pdf),
                    text.trim_matches('\n'),
                    dump(&doc)
                );
                insta::assert_snapshot!(name, snapshot);
            }
        }
    }
}

/// The generated order of `properties.rs`, PARTIALLY_CAPTURED after `paid`
/// and voided by a VOID event without items for `voided`.
fn voided_documents(
    o: &crate::properties::Order,
    paid: i64,
    voided: Option<i64>,
) -> Option<(Transaction, Session)> {
    let (mut tx, s) = crate::properties::documents(o)?;
    let total = s["order"]["amount"].as_i64().unwrap();
    assert!(paid < total);
    let events = tx["events"].as_array_mut().unwrap();
    if paid > 0 {
        events.push(json!({"event": "CAPTURE", "success": true, "amount": paid,
            "created_at": "2026-05-10T10:00:00Z"}));
    }
    let mut void = json!({"name": "VOID", "success": true, "created_at": "2026-05-12T10:00:00Z"});
    if let Some(v) = voided {
        void["amount"] = v.into();
    }
    events.push(void);
    tx["status"] = if paid > 0 {
        "PARTIALLY_CAPTURED"
    } else {
        "AUTHORIZED"
    }
    .into();
    Some((
        Transaction::from_json(&tx.to_string()).unwrap(),
        Session::from_json(&s.to_string()).unwrap(),
    ))
}

fn seller() -> Brand {
    Brand::parse("[seller]\nname = \"Fjordvarer AS\"\norganization_number = \"849749943\"\n")
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// For generated invoices and voided amounts, the per-rate split sums
    /// exactly to the voided amount and never credits a rate more than it
    /// invoiced (gross or VAT); each rate's share is within one minor unit of
    /// its exact proportional share.
    #[test]
    fn the_split_adds_up_and_never_credits_a_rate_more_than_it_invoiced(
        o in crate::properties::order(),
        paid_part in 0u32..1000,
        void_part in 1u32..=1000,
        named in any::<bool>(),
    ) {
        let total: i64 = o.lines.iter().map(|l| l.0).sum::<i64>() + o.shipping.unwrap_or(0);
        let paid = total * i64::from(paid_part) / 1000;
        let open = total - paid;
        let voided = (open * i64::from(void_part) / 1000).max(1);
        // an absent amount voids the unpaid remainder
        let amount = named.then_some(voided);
        let Some((tx, s)) = voided_documents(&o, paid, amount) else { return Ok(()) };
        let note = verify_credit(&tx, Some(&s), &seller(), "KN-1").unwrap();
        let want = if named { voided } else { open };
        prop_assert_eq!(note.basis, CreditBasis::VoidSplit);
        prop_assert_eq!(note.totals.gross, Money::from_minor(want));
        prop_assert_eq!(note.lines.iter().map(|l| l.amount.minor()).sum::<i64>(), want);
        prop_assert!(note.lines.iter().all(|l| l.credits == Credits::RateShare));
        let invoiced = &note.invoice.vat;
        let gross_total: i64 = invoiced.iter().map(|v| v.gross.minor()).sum();
        for c in &note.vat {
            let inv = invoiced.iter().find(|v| v.rate == c.rate).unwrap();
            prop_assert!(c.gross > Money::ZERO && c.gross <= inv.gross, "{:?} > {:?}", c, inv);
            prop_assert!(c.vat.minor().abs() <= inv.vat.minor().abs(), "{:?} > {:?}", c, inv);
            prop_assert_eq!(c.net + c.vat, c.gross);
            let exact = i128::from(want) * i128::from(inv.gross.minor());
            let share = i128::from(c.gross.minor()) * i128::from(gross_total);
            prop_assert!((share - exact).abs() < i128::from(gross_total), "not the largest-remainder share");
        }
        // the whole open amount credits every rate exactly what is unpaid of it
        if paid == 0 && want == total {
            prop_assert_eq!(&note.vat, invoiced);
        }
    }

    /// A void larger than the unpaid amount is refused with void_mismatch.
    #[test]
    fn a_void_larger_than_what_is_unpaid_is_refused(
        o in crate::properties::order(),
        paid_part in 0u32..1000,
        over in 1i64..100_000,
    ) {
        let total: i64 = o.lines.iter().map(|l| l.0).sum::<i64>() + o.shipping.unwrap_or(0);
        let paid = total * i64::from(paid_part) / 1000;
        let Some((tx, s)) = voided_documents(&o, paid, Some(total - paid + over)) else { return Ok(()) };
        let report = verify_credit(&tx, Some(&s), &seller(), "KN-1").unwrap_err();
        prop_assert_eq!(report.codes(), vec![Code::VoidMismatch]);
    }
}

/// `{"transaction": …, "session": …}` of a case folder under `tests/fixtures/`.
fn envelope(dir: &Path) -> Value {
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap()
    };
    let mut v = json!({ "transaction": read("transaction.json") });
    if dir.join("session.json").exists() {
        v["session"] = read("session.json");
    }
    v
}

#[test]
fn batch_credit_notes_number_voided_inputs_in_input_order() {
    let root = fixtures_dir();
    let inputs = [
        root.join("credit/credit_ok_full_void_no_b2b"),
        root.join("pub_ok_no_b2b_three_rates"), // not voided: an invoice
        root.join("credit/credit_ok_partial_void_items_fi_b2c"),
        root.join("credit/credit_err_void_exceeds_open"), // voided, fails: keeps KN-12
        root.join("credit/credit_ok_partial_void_split_se_b2b"),
    ];
    let dir = crate::cli::tempdir();
    let ndjson = dir.join("in.ndjson");
    let lines: Vec<String> = inputs.iter().map(|d| envelope(d).to_string()).collect();
    std::fs::write(&ndjson, lines.join("\n") + "\n").unwrap();
    let brand = root.join("pub_ok_no_b2b_three_rates/brand.toml");
    let batch = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "batch".to_string(),
            "--input".into(),
            ndjson.display().to_string(),
            "--brand".into(),
            brand.display().to_string(),
            "--out-dir".into(),
            out.display().to_string(),
            "--json".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        run(&args)
    };
    let credit_args = [
        "--credit-notes",
        "--credit-number-prefix",
        "KN-",
        "--credit-number-start",
        "10",
        "--jobs",
        "3",
    ];
    let out_dir = dir.join("out");
    let out = batch(&out_dir, &credit_args);
    assert_eq!(out.status.code(), Some(2), "one input failed");
    let doc = crate::util::json(&out);
    assert_eq!(doc["rendered"], 4);
    assert_eq!(doc["failed"], 1);
    let results = doc["results"].as_array().unwrap();
    let numbers: Vec<Option<&str>> = results
        .iter()
        .map(|r| r["credit_number"].as_str())
        .collect();
    assert_eq!(
        numbers,
        [
            Some("KN-10"),
            None,
            Some("KN-11"),
            Some("KN-12"),
            Some("KN-13")
        ]
    );
    let file = |i: usize| {
        Path::new(results[i]["output"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    assert_eq!(file(0), "KN-10.pdf");
    assert_eq!(file(1), "KJ65C-190025.pdf");
    assert_eq!(file(2), "KN-11.pdf");
    assert_eq!(file(4), "KN-13.pdf");
    let codes: Vec<&str> = results[3]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["void_mismatch"]);
    assert!(!out_dir.join("KN-12.pdf").exists());
    // the credit note is the one `credit-note` writes with that number (the
    // case's brand is the batch's)
    let case = case("credit_ok_full_void_no_b2b");
    let single = dir.join("single.pdf");
    let mut args = vec!["credit-note".to_string()];
    args.extend(case.doc_args().into_iter().map(|a| {
        if a == case.number() {
            "KN-10".to_string()
        } else {
            a
        }
    }));
    args.extend(["--output".into(), single.display().to_string()]);
    assert!(run(&args).status.success());
    assert_eq!(
        std::fs::read(&single).unwrap(),
        std::fs::read(out_dir.join("KN-10.pdf")).unwrap()
    );
    // the same input again: the same numbers
    let again = crate::util::json(&batch(&dir.join("again"), &credit_args));
    let again: Vec<Option<&str>> = again["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["credit_number"].as_str())
        .collect();
    assert_eq!(again, numbers);
    // without --credit-notes a voided input is not invoiceable
    let plain = batch(&dir.join("plain"), &[]);
    assert_eq!(plain.status.code(), Some(2));
    let doc = crate::util::json(&plain);
    let first: Vec<&str> = doc["results"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(first, ["not_invoiceable"]);
    assert!(doc["results"][0].get("credit_number").is_none());
    // a prefix without --credit-notes is a usage error
    assert_eq!(
        batch(&dir.join("bad"), &["--credit-number-prefix", "KN-"])
            .status
            .code(),
        Some(1)
    );
}
