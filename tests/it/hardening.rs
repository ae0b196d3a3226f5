//! Issue 11, hardening: each test guards one fault found by trying to break the
//! tool (hostile file systems, servers and documents), and failed before its fix.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use crate::cli::tempdir;
use crate::util::{fixtures_dir, run};

const B2B: &str = "pub_ok_no_b2b_three_rates";

fn read_json(case: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(fixtures_dir().join(case).join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `{"transaction": …, "session": …}` of the B2B fixture.
fn b2b_pair() -> Value {
    json!({
        "transaction": read_json(B2B, "transaction.json"),
        "session": read_json(B2B, "session.json"),
    })
}

fn b2b_brand() -> PathBuf {
    fixtures_dir().join(B2B).join("brand.toml")
}

fn render_b2b(output: &Path) -> Output {
    let dir = fixtures_dir().join(B2B);
    run(&[
        "render".as_ref(),
        "--transaction".as_ref(),
        dir.join("transaction.json").as_os_str(),
        "--session".as_ref(),
        dir.join("session.json").as_os_str(),
        "--brand".as_ref(),
        b2b_brand().as_os_str(),
        "--output".as_ref(),
        output.as_os_str(),
    ])
}

fn batch(input: &Path, out_dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "batch".to_string(),
        "--input".into(),
        input.display().to_string(),
        "--brand".into(),
        b2b_brand().display().to_string(),
        "--out-dir".into(),
        out_dir.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn is_pdf_file(path: &Path) -> bool {
    let meta = std::fs::symlink_metadata(path).unwrap();
    meta.file_type().is_file() && std::fs::read(path).unwrap().starts_with(b"%PDF-")
}

// ---- 1. temporary files: exclusive, unpredictable, never through a link ----

/// The pids the next processes started on this machine will most likely get.
#[cfg(target_os = "linux")]
fn next_pids(n: u32) -> std::ops::RangeInclusive<u32> {
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    last + 1..=last + n
}

/// Plants, for each likely pid, a link named like the old temporary file
/// (`.<name>.<pid>.tmp`) that points at `victim`.
#[cfg(target_os = "linux")]
fn plant_links(dir: &Path, name: &str, victim: &Path) {
    for pid in next_pids(3000) {
        std::os::unix::fs::symlink(victim, dir.join(format!(".{name}.{pid}.tmp"))).unwrap();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn render_temp_file_never_follows_a_planted_link() {
    let dir = tempdir();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    plant_links(&dir, "out.pdf", &victim);
    let output = dir.join("out.pdf");
    let out = render_b2b(&output);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read(&victim).unwrap() == b"precious",
        "the file behind the planted link was overwritten"
    );
    assert!(is_pdf_file(&output), "the output is not a regular PDF file");
}

#[cfg(target_os = "linux")]
#[test]
fn batch_probe_and_temp_files_never_follow_a_planted_link() {
    let dir = tempdir();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    for pid in next_pids(3000) {
        std::os::unix::fs::symlink(
            &victim,
            out_dir.join(format!(".kravia-invoice-probe.{pid}")),
        )
        .unwrap();
    }
    plant_links(&out_dir, "KJ65C-190025.pdf", &victim);
    let input = dir.join("in.ndjson");
    std::fs::write(&input, format!("{}\n", b2b_pair())).unwrap();
    let out = batch(&input, &out_dir, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read(&victim).unwrap() == b"precious",
        "the file behind the planted link was overwritten"
    );
    assert!(is_pdf_file(&out_dir.join("KJ65C-190025.pdf")));
}

// ---- 3. only regular files are written and read; reads are bounded ----

/// Runs the binary; a run that takes longer than `secs` is killed and fails
/// the test (a hang).
fn run_bounded(args: &[&std::ffi::OsStr], secs: u64) -> Output {
    use std::time::{Duration, Instant};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kravia-invoice {args:?} hung for more than {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
fn file_kind(path: &Path) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = std::fs::symlink_metadata(path).unwrap().file_type();
    if t.is_fifo() {
        "fifo"
    } else if t.is_char_device() {
        "device"
    } else if t.is_file() {
        "file"
    } else {
        "other"
    }
}

#[cfg(unix)]
#[test]
fn output_that_is_a_fifo_or_device_is_refused_not_replaced() {
    let dir = tempdir();
    let fifo = dir.join("out.pdf");
    mkfifo(&fifo);
    let mut targets = vec![(fifo, "fifo")];
    // A node like /dev/null (char 1:3); only root may make one.
    let null = dir.join("null");
    let made = std::process::Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        targets.push((null, "device"));
    }
    for (target, kind) in targets {
        let out = run_bounded(
            &[
                "render".as_ref(),
                "--transaction".as_ref(),
                fixtures_dir()
                    .join(B2B)
                    .join("transaction.json")
                    .as_os_str(),
                "--session".as_ref(),
                fixtures_dir().join(B2B).join("session.json").as_os_str(),
                "--brand".as_ref(),
                b2b_brand().as_os_str(),
                "--output".as_ref(),
                target.as_os_str(),
            ],
            30,
        );
        assert_eq!(out.status.code(), Some(1), "{kind}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{kind}: {}",
            stderr(&out)
        );
        assert_eq!(file_kind(&target), kind, "the {kind} was replaced");
    }
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// A copy of the B2B brand file whose logo (or template) is `path`.
fn brand_with(dir: &Path, key: &str, path: &Path) -> PathBuf {
    let text = std::fs::read_to_string(b2b_brand()).unwrap();
    let logo = match key {
        "logo" => path.to_path_buf(),
        _ => fixtures_dir().join(B2B).join("logo.png"),
    };
    let mut text = text.replace("logo = \"logo.png\"", &format!("logo = {logo:?}"));
    if key == "template" {
        text = text.replace("[invoice]\n", &format!("[invoice]\ntemplate = {path:?}\n"));
    }
    let brand = dir.join(format!("brand-{key}.toml"));
    std::fs::write(&brand, text).unwrap();
    brand
}

fn check_with_brand(brand: &Path) -> Output {
    run_bounded(
        &[
            "render".as_ref(),
            "--transaction".as_ref(),
            fixtures_dir()
                .join(B2B)
                .join("transaction.json")
                .as_os_str(),
            "--session".as_ref(),
            fixtures_dir().join(B2B).join("session.json").as_os_str(),
            "--brand".as_ref(),
            brand.as_os_str(),
            "--output".as_ref(),
            brand.with_extension("pdf").as_os_str(),
        ],
        30,
    )
}

#[cfg(unix)]
#[test]
fn logo_and_template_that_are_fifos_are_refused_without_hanging() {
    let dir = tempdir();
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    for key in ["logo", "template"] {
        let brand = brand_with(&dir, key, &fifo);
        let out = check_with_brand(&brand);
        assert_eq!(out.status.code(), Some(1), "{key}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("not a regular file (a FIFO)"), "{key}: {err}");
        assert!(err.contains(&fifo.display().to_string()), "{key}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn logo_that_is_dev_zero_is_refused_not_read_without_bound() {
    let dir = tempdir();
    let brand = brand_with(&dir, "logo", Path::new("/dev/zero"));
    let out = check_with_brand(&brand);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("[style] logo /dev/zero"), "{err}");
    assert!(err.contains("not a regular file (a device)"), "{err}");
}

#[test]
fn logo_larger_than_the_cap_is_refused() {
    let dir = tempdir();
    let big = dir.join("big.png");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len((8 << 20) + 1).unwrap(); // file::MAX_LOGO_BYTES + 1
    let e = kravia_invoice::Brand::load(&brand_with(&dir, "logo", &big)).unwrap_err();
    assert!(e.to_string().contains("larger than"), "{e}");
}

#[cfg(unix)]
#[test]
fn fifo_in_a_batch_folder_fails_alone_and_does_not_hang() {
    let dir = tempdir();
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.json"), b2b_pair().to_string()).unwrap();
    mkfifo(&input.join("b.json"));
    let out_dir = dir.join("out");
    let out = run_bounded(
        &[
            "batch".as_ref(),
            "--input".as_ref(),
            input.as_os_str(),
            "--brand".as_ref(),
            b2b_brand().as_os_str(),
            "--out-dir".as_ref(),
            out_dir.as_os_str(),
            "--json".as_ref(),
        ],
        60,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["rendered"], 1, "{summary}");
    assert_eq!(summary["failed"], 1, "{summary}");
    let message = summary["results"][1]["errors"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("not a regular file (a FIFO)"), "{message}");
}

// ---- 9. --skip-existing trusts only a complete PDF; stale temp files go ----

fn looks_complete(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.len() > 10_000
        && bytes.starts_with(b"%PDF-")
        && bytes.trim_ascii_end().ends_with(b"%%EOF")
}

#[test]
fn skip_existing_trusts_only_a_complete_pdf() {
    let name = "KJ65C-190025.pdf";
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    std::fs::write(&input, format!("{}\n", b2b_pair())).unwrap();
    // A complete PDF of another invoice, to tell "left alone" from "rewritten".
    let other = dir.join("other.pdf");
    let out = run(&[
        "render".as_ref(),
        "--transaction".as_ref(),
        fixtures_dir()
            .join("pub_ok_no_b2c_captured_embedded/transaction.json")
            .as_os_str(),
        "--brand".as_ref(),
        fixtures_dir()
            .join("pub_ok_no_b2c_captured_embedded/brand.toml")
            .as_os_str(),
        "--output".as_ref(),
        other.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let complete = std::fs::read(&other).unwrap();
    let half = complete[..complete.len() / 2].to_vec();
    let mut cut_with_eof = half.clone();
    cut_with_eof.extend_from_slice(b"\n%%EOF\n");
    let cases: [(&str, Option<&[u8]>); 5] = [
        ("empty", Some(b"")),
        ("garbage", Some(b"kept")),
        ("cut short", Some(&half)),
        ("cut short, %%EOF appended", Some(&cut_with_eof)),
        ("a directory", None),
    ];
    for (what, content) in cases {
        let out_dir = dir.join(format!("out-{}", what.replace([' ', ',', '%'], "_")));
        std::fs::create_dir_all(&out_dir).unwrap();
        let target = out_dir.join(name);
        match content {
            Some(bytes) => std::fs::write(&target, bytes).unwrap(),
            None => std::fs::create_dir(&target).unwrap(),
        }
        let out = batch(&input, &out_dir, &["--json", "--skip-existing"]);
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["skipped"], 0, "{what}: {summary}");
        if content.is_some() {
            assert_eq!(out.status.code(), Some(0), "{what}: {summary}");
            assert_eq!(summary["rendered"], 1, "{what}: {summary}");
            assert!(looks_complete(&target), "{what}: not re-rendered");
        } else {
            assert_eq!(out.status.code(), Some(2), "{what}: {summary}");
            let message = summary["results"][0]["errors"][0]["message"]
                .as_str()
                .unwrap();
            assert!(message.contains("not a regular file"), "{what}: {message}");
        }
    }
    // A complete PDF is done: left alone.
    let out_dir = dir.join("out-complete");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join(name), &complete).unwrap();
    let out = batch(&input, &out_dir, &["--json", "--skip-existing"]);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["skipped"], 1, "{summary}");
    assert!(std::fs::read(out_dir.join(name)).unwrap() == complete);
}

/// Sets a file's modification time `secs` seconds into the past.
fn age(path: &Path, secs: u64) {
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(secs))
        .unwrap();
}

#[test]
fn stale_temp_files_of_a_killed_run_are_cleaned_and_nothing_else() {
    let dir = tempdir();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    // Left by killed runs: today's names and the older pid-named ones.
    let stale = [
        ".A-1.pdf.k3J9xQ0aPz.kravia-tmp",
        ".A-2.pdf.48213.tmp",
        ".KJ65C-190025.pdf.7Hq2mW9xRt.kravia-tmp",
    ];
    for n in stale {
        std::fs::write(out_dir.join(n), b"%PDF-1.7 half").unwrap();
        age(&out_dir.join(n), 3600);
    }
    // Not ours, or perhaps a run in progress: kept.
    let kept = [
        ".A-3.pdf.Zx8pQ2rT4u.kravia-tmp",
        ".notes.tmp",
        "keep.pdf.1.tmp",
    ];
    for n in kept {
        std::fs::write(out_dir.join(n), b"x").unwrap();
    }
    age(&out_dir.join(".notes.tmp"), 3600);
    age(&out_dir.join("keep.pdf.1.tmp"), 3600);
    let input = dir.join("in.ndjson");
    std::fs::write(&input, format!("{}\n", b2b_pair())).unwrap();
    let out = batch(&input, &out_dir, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for n in stale {
        assert!(!out_dir.join(n).exists(), "{n} left behind");
    }
    for n in kept {
        assert!(out_dir.join(n).exists(), "{n} removed");
    }
    // `render` cleans those of its own output name.
    let output = dir.join("single.pdf");
    let mine = dir.join(".single.pdf.Q1w2E3r4T5.kravia-tmp");
    let theirs = dir.join(".other.pdf.Q1w2E3r4T5.kravia-tmp");
    for p in [&mine, &theirs] {
        std::fs::write(p, b"x").unwrap();
        age(p, 3600);
    }
    let out = render_b2b(&output);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!mine.exists(), "render left its stale temporary file");
    assert!(theirs.exists(), "render removed another output's file");
}

// ---- 14. the Finnish barcode warning, a due date past 2099, the QR quiet zone ----

const FI: &str = "pub_ok_fi_b2c_eur_qr";

/// The FI fixture's documents with the first line's amount set so that the
/// invoice totals `total` cents (VAT and every total kept consistent).
fn fi_docs_totalling(total: i64) -> (Value, Value) {
    let mut tx = read_json(FI, "transaction.json");
    let mut s = read_json(FI, "session.json");
    let others = 489 + 690;
    let first = total - others;
    // 25.5 % VAT of a gross amount, rounded half up: gross × 255 / 1255.
    let vat = (first * 255 + 1255 / 2) / 1255;
    let order_vat = vat + 58 + 140;
    for item in [&mut tx["items"][0], &mut s["order"]["items"][0]] {
        item["amount"] = json!(first);
        item["vat_amount"] = json!(vat);
    }
    for ev in tx["events"].as_array_mut().unwrap() {
        if ev.get("amount").is_some() {
            ev["amount"] = json!(total);
        }
        if let Some(items) = ev.get_mut("items").and_then(Value::as_array_mut) {
            items[0]["amount"] = json!(first);
        }
    }
    tx["amount"] = json!(total);
    s["order"]["amount"] = json!(total);
    s["order"]["vat_amount"] = json!(order_vat);
    (tx, s)
}

fn verify_docs(tx: &Value, s: &Value) -> kravia_invoice::VerifiedInvoice {
    let tx = kravia_invoice::dintero::Transaction::from_json(&tx.to_string()).unwrap();
    let s = kravia_invoice::dintero::Session::from_json(&s.to_string()).unwrap();
    let brand = kravia_invoice::Brand::load(&fixtures_dir().join(FI).join("brand.toml")).unwrap();
    kravia_invoice::verify(&tx, Some(&s), &brand).unwrap_or_else(|r| panic!("{r}"))
}

fn barcode_warnings(inv: &kravia_invoice::VerifiedInvoice) -> Vec<String> {
    inv.warnings
        .iter()
        .map(|w| w.message.clone())
        .filter(|m| m.contains("barcode"))
        .collect()
}

#[test]
fn no_barcode_warning_shows_the_amount_in_euros_and_cents() {
    let (tx, s) = fi_docs_totalling(100_000_000);
    let inv = verify_docs(&tx, &s);
    assert_eq!(inv.totals.to_pay.minor(), 100_000_000);
    let w = barcode_warnings(&inv);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("1 000 000.00 EUR"), "{}", w[0]);
    assert!(!w[0].contains("100 000 000"), "{}", w[0]);
    // The path names the field the barcode was to pay to.
    let finding = inv.warnings.iter().find(|f| f.message.contains("barcode"));
    assert_eq!(
        finding.map(|f| f.path.as_str()),
        Some(r#"transaction.metadata["kravia:payment_details:bank_account:iban"]"#)
    );
    // 999 999.99 EUR still fits: no warning.
    let (tx, s) = fi_docs_totalling(99_999_999);
    assert!(barcode_warnings(&verify_docs(&tx, &s)).is_empty());
}

#[test]
fn due_date_past_2099_warns_that_the_barcode_is_left_out() {
    let mut tx = read_json(FI, "transaction.json");
    for ev in tx["events"].as_array_mut().unwrap() {
        if ev["metadata"].get("kravia:invoice_due_date").is_some() {
            // Issued at the end of 2099, due in 2100.
            ev["metadata"]["kravia:invoice_date"] = json!("2099-12-22");
            ev["metadata"]["kravia:invoice_due_date"] = json!("2100-01-05");
        }
    }
    let inv = verify_docs(&tx, &read_json(FI, "session.json"));
    assert_eq!(inv.due_date.to_string(), "2100-01-05");
    let w = barcode_warnings(&inv);
    assert_eq!(w.len(), 1, "{:?}", inv.warnings);
    assert!(w[0].contains("2100-01-05"), "{}", w[0]);
}

#[test]
fn qr_caption_leaves_a_four_module_quiet_zone() {
    use kravia_invoice::color::Rgb;
    use kravia_invoice::layout::Item;
    use kravia_invoice::locale::Locale;
    use kravia_invoice::render::{RenderOptions, Renderer};
    use kravia_invoice::template::{BUILTIN, TemplateSource};
    let mut checked = 0;
    for case in crate::util::cases()
        .into_iter()
        .filter(|c| c.expected_exit() == 0)
    {
        let (brand, inv) = case.verified();
        for (template, _) in BUILTIN {
            for locale in Locale::ALL {
                let options = RenderOptions {
                    template: Some(TemplateSource::Builtin(template.to_string())),
                    locale: Some(locale),
                    ..RenderOptions::default()
                };
                let doc = Renderer::new(brand.clone(), options)
                    .unwrap()
                    .layout(&inv)
                    .unwrap();
                for page in &doc.pages {
                    let rects: Vec<_> = page
                        .items
                        .iter()
                        .filter_map(|i| match i {
                            Item::Rect(r) => Some(r),
                            _ => None,
                        })
                        .collect();
                    // A QR code: a white square with dark modules inside.
                    for sq in rects.iter().filter(|r| {
                        r.fill == Some(Rgb::WHITE) && (r.width.0 - r.height.0).abs() < 0.05
                    }) {
                        let inside: Vec<_> = rects
                            .iter()
                            .filter(|r| {
                                r.fill == Some(Rgb::BLACK)
                                    && r.x.0 >= sq.x.0
                                    && r.x.0 + r.width.0 <= sq.x.0 + sq.width.0 + 0.05
                                    && r.y.0 >= sq.y.0
                                    && r.y.0 + r.height.0 <= sq.y.0 + sq.height.0 + 0.05
                            })
                            .collect();
                        if inside.len() < 20 {
                            continue;
                        }
                        let module = inside.iter().map(|r| r.height.0).fold(f32::MAX, f32::min);
                        let bottom = inside
                            .iter()
                            .map(|r| r.y.0 + r.height.0)
                            .fold(f32::MIN, f32::max);
                        // The caption: the nearest text under the symbol.
                        let caption = page
                            .items
                            .iter()
                            .filter_map(|i| match i {
                                Item::Text(t) => Some(t),
                                _ => None,
                            })
                            .filter(|t| {
                                t.y.0 > bottom && t.x.0 >= sq.x.0 && t.x.0 < sq.x.0 + sq.width.0
                            })
                            .min_by(|a, b| a.y.0.total_cmp(&b.y.0))
                            .unwrap_or_else(|| panic!("{}: no caption under the QR", case.name));
                        let ascender = kravia_invoice::font::fonts().face(caption.face).ascender();
                        let glyph_top = caption.y.0 - ascender * caption.size.0;
                        let gap = (glyph_top - bottom) / module;
                        assert!(
                            gap >= 4.0 - 0.02,
                            "{} {template} {locale}: the caption {:?} is {gap:.2} modules under the QR code",
                            case.name,
                            caption.text
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked >= 8, "only {checked} QR codes checked");
}

// ---- B: money, data, dates (points 5, 6, 7, 10) ----

/// The B2B fixture's documents, to perturb.
fn b2b_docs() -> (Value, Value) {
    (
        read_json(B2B, "transaction.json"),
        read_json(B2B, "session.json"),
    )
}

/// `check` of perturbed documents with the B2B brand: every finding.
fn check_docs(tx: &Value, s: &Value) -> kravia_invoice::Report {
    let tx = kravia_invoice::dintero::Transaction::from_json(&tx.to_string()).unwrap();
    let s = kravia_invoice::dintero::Session::from_json(&s.to_string()).unwrap();
    let brand = kravia_invoice::Brand::load(&b2b_brand()).unwrap();
    kravia_invoice::verify::check(&tx, Some(&s), Some(&brand))
}

/// `(code, path)` of every error.
fn errors(r: &kravia_invoice::Report) -> Vec<(String, String)> {
    r.errors
        .iter()
        .map(|f| (f.code.as_str().to_string(), f.path.clone()))
        .collect()
}

fn has_error(r: &kravia_invoice::Report, code: &str, path: &str) -> bool {
    r.errors
        .iter()
        .any(|f| f.code.as_str() == code && f.path == path)
}

/// A successful CAPTURE (a payment) after the INITIATE_CAPTURE of the fixture.
fn payment(amount: Value) -> Value {
    json!({"id": format!("pay-{amount}"), "event": "CAPTURE", "success": true,
           "amount": amount, "created_at": "2026-06-02T08:00:00.000Z"})
}

#[test]
fn negative_or_missing_capture_event_amounts_are_capture_mismatch() {
    for amount in [json!(-50_000), Value::Null] {
        let (mut tx, s) = b2b_docs();
        tx["events"]
            .as_array_mut()
            .unwrap()
            .push(payment(amount.clone()));
        let r = check_docs(&tx, &s);
        assert!(
            has_error(&r, "capture_mismatch", "transaction.events[2].amount"),
            "{amount}: {:?}",
            errors(&r)
        );
    }
    // Payments adding up to more than the order, even through an overflow.
    let (mut tx, s) = b2b_docs();
    for a in [json!(700_000), json!(100_000)] {
        tx["events"].as_array_mut().unwrap().push(payment(a));
    }
    let r = check_docs(&tx, &s);
    assert!(
        has_error(&r, "capture_mismatch", "transaction.events[3].amount"),
        "{:?}",
        errors(&r)
    );
    let (mut tx, s) = b2b_docs();
    for a in [json!(i64::MAX), json!(i64::MAX)] {
        tx["events"].as_array_mut().unwrap().push(payment(a));
    }
    assert!(!check_docs(&tx, &s).errors.is_empty());
    // A real partial payment still verifies, and the invoice says what is left.
    let (mut tx, s) = b2b_docs();
    tx["events"]
        .as_array_mut()
        .unwrap()
        .push(payment(json!(50_000)));
    let inv = verify_b2b(&tx, &s);
    assert_eq!(inv.totals.paid.minor(), 50_000);
    assert_eq!(inv.totals.to_pay.minor(), 782_400 - 50_000);
}

fn verify_b2b(tx: &Value, s: &Value) -> kravia_invoice::VerifiedInvoice {
    let tx = kravia_invoice::dintero::Transaction::from_json(&tx.to_string()).unwrap();
    let s = kravia_invoice::dintero::Session::from_json(&s.to_string()).unwrap();
    let brand = kravia_invoice::Brand::load(&b2b_brand()).unwrap();
    kravia_invoice::verify(&tx, Some(&s), &brand).unwrap_or_else(|r| panic!("{r}"))
}

#[test]
fn discount_lines_and_gross_amount_are_cross_checked() {
    // A discount only the session has: the transaction's line disagrees.
    let (tx, mut s) = b2b_docs();
    s["order"]["items"][0]["discount_lines"][0]["amount"] = json!(-4_294_967_296_i64);
    let r = check_docs(&tx, &s);
    assert!(
        has_error(
            &r,
            "session_mismatch",
            "transaction.items[0].discount_lines[0].amount"
        ),
        "{:?}",
        errors(&r)
    );
    assert!(
        has_error(
            &r,
            "discount_mismatch",
            "session.order.items[0].discount_lines[0].amount"
        ),
        "{:?}",
        errors(&r)
    );
    // gross_amount only in the session differs.
    let (tx, mut s) = b2b_docs();
    s["order"]["items"][0]["gross_amount"] = json!(600_000);
    let r = check_docs(&tx, &s);
    assert!(
        has_error(&r, "session_mismatch", "transaction.items[0].gross_amount"),
        "{:?}",
        errors(&r)
    );
    // Both documents agree, but gross − discounts ≠ amount.
    let (mut tx, mut s) = b2b_docs();
    for doc in [&mut tx["items"][0], &mut s["order"]["items"][0]] {
        doc["gross_amount"] = json!(600_000);
    }
    let r = check_docs(&tx, &s);
    assert!(
        has_error(
            &r,
            "discount_mismatch",
            "session.order.items[0].gross_amount"
        ),
        "{:?}",
        errors(&r)
    );
    // A discount line the transaction lacks.
    let (mut tx, s) = b2b_docs();
    tx["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("discount_lines");
    let r = check_docs(&tx, &s);
    assert!(
        has_error(
            &r,
            "session_mismatch",
            "transaction.items[0].discount_lines"
        ),
        "{:?}",
        errors(&r)
    );
    // Order-level discounts: only non-negative amounts within the order.
    for bad in [json!(-100), json!(782_401)] {
        let (tx, mut s) = b2b_docs();
        s["order"]["discount_lines"] = json!([{"amount": bad, "description": "Kampanje"}]);
        let r = check_docs(&tx, &s);
        assert!(
            has_error(
                &r,
                "discount_mismatch",
                "session.order.discount_lines[0].amount"
            ),
            "{bad}: {:?}",
            errors(&r)
        );
    }
    // The fixture itself (gross 5 580,00 − 837,00 = 4 743,00) verifies.
    let (tx, s) = b2b_docs();
    assert!(check_docs(&tx, &s).errors.is_empty());
}

#[test]
fn duplicate_keys_in_metadata_are_rejected() {
    let tx = std::fs::read_to_string(fixtures_dir().join(B2B).join("transaction.json")).unwrap();
    // Two different KIDs in the transaction's metadata; the last would win.
    let twice = tx.replacen(
        "\"kravia:payment_details:kid\":",
        "\"kravia:payment_details:kid\": \"000000000018\", \"kravia:payment_details:kid\":",
        1,
    );
    assert_ne!(twice, tx);
    let e = kravia_invoice::dintero::Transaction::from_json(&twice).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("transaction.metadata"), "{msg}");
    assert!(
        msg.contains("duplicate key \"kravia:payment_details:kid\""),
        "{msg}"
    );
    // In an event's metadata, and in the session's payment configuration.
    let twice = tx.replacen(
        "\"kravia:invoice_due_date\":",
        "\"kravia:invoice_due_date\": \"2026-12-31\", \"kravia:invoice_due_date\":",
        1,
    );
    let e = kravia_invoice::dintero::Transaction::from_json(&twice).unwrap_err();
    assert!(e.to_string().contains("duplicate key"), "{e}");
    let s = std::fs::read_to_string(fixtures_dir().join(B2B).join("session.json")).unwrap();
    let twice = s.replacen(
        "\"days_until_due\":",
        "\"days_until_due\": 300, \"days_until_due\":",
        1,
    );
    assert_ne!(twice, s);
    let e = kravia_invoice::dintero::Session::from_json(&twice).unwrap_err();
    assert!(e.to_string().contains("duplicate key"), "{e}");
    // On the command line: malformed input, exit 1, naming the file.
    let dir = tempdir();
    let t = dir.join("t.json");
    std::fs::write(
        &t,
        tx.replacen(
            "\"kravia:payment_details:kid\":",
            "\"kravia:payment_details:kid\": \"000000000018\", \"kravia:payment_details:kid\":",
            1,
        ),
    )
    .unwrap();
    let out = crate::util::check_against_fixture_session(&t);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("duplicate key"));
}

/// The fixture's INITIATE_CAPTURE event metadata.
fn initiate_meta(tx: &mut Value) -> &mut Value {
    &mut tx["events"][1]["metadata"]
}

#[test]
fn implausible_invoice_dates_are_invalid_dates() {
    for (key, value) in [
        ("kravia:invoice_date", "0000-01-01"),
        ("kravia:invoice_date", "1899-12-31"),
        ("kravia:invoice_due_date", "2029-06-14"),
    ] {
        let (mut tx, s) = b2b_docs();
        initiate_meta(&mut tx)[key] = json!(value);
        let r = check_docs(&tx, &s);
        let path = format!("transaction.events[1].metadata[\"{key}\"]");
        assert!(
            has_error(&r, "invalid_dates", &path),
            "{key} {value}: {:?}",
            errors(&r)
        );
    }
}

#[test]
fn days_until_due_outside_0_to_365_is_invalid_and_the_default_is_named() {
    let path = "session.configuration.kravia.invoice_b2b.days_until_due";
    for bad in [json!(400), json!(-1), json!("fourteen"), json!(14.5)] {
        let (mut tx, mut s) = b2b_docs();
        initiate_meta(&mut tx)
            .as_object_mut()
            .unwrap()
            .remove("kravia:invoice_due_date");
        s["configuration"]["kravia"]["invoice_b2b"]["days_until_due"] = bad.clone();
        let r = check_docs(&tx, &s);
        assert!(
            has_error(&r, "invalid_dates", path),
            "{bad}: {:?}",
            errors(&r)
        );
    }
    // 30 days from the configuration: said so.
    let (mut tx, mut s) = b2b_docs();
    initiate_meta(&mut tx)
        .as_object_mut()
        .unwrap()
        .remove("kravia:invoice_due_date");
    s["configuration"]["kravia"]["invoice_b2b"]["days_until_due"] = json!(30);
    let inv = verify_b2b(&tx, &s);
    assert_eq!(inv.due_date.to_string(), "2026-06-30");
    assert!(
        inv.warnings[0].message.contains("+ 30 days"),
        "{:?}",
        inv.warnings
    );
    assert!(inv.warnings[0].message.contains(path), "{:?}", inv.warnings);
    // No configuration: the default, and the warning says it is the default.
    s["configuration"]["kravia"]["invoice_b2b"]
        .as_object_mut()
        .unwrap()
        .remove("days_until_due");
    let inv = verify_b2b(&tx, &s);
    assert_eq!(inv.due_date.to_string(), "2026-06-14");
    let w = &inv.warnings[0].message;
    assert!(w.contains("default of 14 days"), "{w}");
    assert!(!w.contains("configuration"), "{w}");
}

#[test]
fn an_overflowing_line_sum_is_reported_as_an_overflow() {
    let (tx, mut s) = b2b_docs();
    s["order"]["items"][0]["amount"] = json!(i64::MAX);
    s["order"]["items"][1]["amount"] = json!(i64::MAX);
    let r = check_docs(&tx, &s);
    let total = r
        .errors
        .iter()
        .find(|f| f.code.as_str() == "order_total_mismatch")
        .unwrap_or_else(|| panic!("{:?}", errors(&r)));
    assert!(total.message.contains("overflow"), "{}", total.message);
    assert!(!total.message.contains("no amount"), "{}", total.message);
}

// ---- 8. long fields are refused with the field named; lost text is caught ----

/// The B2B invoice laid out, with its renderer.
fn b2b_layout() -> (
    kravia_invoice::VerifiedInvoice,
    kravia_invoice::layout::Document,
    kravia_invoice::locale::Locale,
) {
    use kravia_invoice::render::{RenderOptions, Renderer};
    let (tx, s) = b2b_docs();
    let inv = verify_b2b(&tx, &s);
    let r = Renderer::new(
        kravia_invoice::Brand::load(&b2b_brand()).unwrap(),
        RenderOptions::default(),
    )
    .unwrap();
    let doc = r.layout(&inv).unwrap();
    let locale = r.locale_for(&inv);
    (inv, doc, locale)
}

/// The index of the first text run on page 1 that reads `text`.
fn run_index(doc: &kravia_invoice::layout::Document, text: &str) -> usize {
    doc.pages[0]
        .items
        .iter()
        .position(|i| matches!(i, kravia_invoice::layout::Item::Text(t) if t.text == text))
        .unwrap_or_else(|| panic!("no run {text:?}"))
}

fn text_mut(
    doc: &mut kravia_invoice::layout::Document,
    i: usize,
) -> &mut kravia_invoice::layout::document::TextRun {
    match &mut doc.pages[0].items[i] {
        kravia_invoice::layout::Item::Text(t) => t,
        _ => unreachable!(),
    }
}

#[test]
fn read_back_catches_text_cut_off_moved_off_the_page_or_drawn_over() {
    use kravia_invoice::render::read_back;
    let (inv, doc, locale) = b2b_layout();
    read_back(&doc, &inv, locale).unwrap();
    let buyer = "Trøndelag Trykk AS";
    // A word cut off the buyer's name.
    let mut cut = doc.clone();
    let i = run_index(&cut, buyer);
    text_mut(&mut cut, i).text = "Trøndelag Trykk".into();
    let e = read_back(&cut, &inv, locale).expect_err("a cut name must be caught");
    assert!(e.to_string().contains("buyer business name"), "{e}");
    // The name pushed below the page (as a too long field would run).
    let mut off = doc.clone();
    text_mut(&mut off, i).y.0 += 900.0;
    let e = read_back(&off, &inv, locale).expect_err("text off the page must be caught");
    assert!(e.to_string().contains("runs off the page"), "{e}");
    // The name drawn over the seller's name (as a long field runs into the next).
    let mut over = doc.clone();
    let seller = run_index(&over, "Lysverket Interiør AS");
    let (x, y) = {
        let s = text_mut(&mut over, seller);
        (s.x, s.y)
    };
    let t = text_mut(&mut over, i);
    t.x = x;
    t.y = y;
    let e = read_back(&over, &inv, locale).expect_err("overlapping text must be caught");
    assert!(e.to_string().contains("is drawn over"), "{e}");
    // A line's description dropped from the table.
    let mut gone = doc.clone();
    let d = run_index(&gone, "Togbillett Flåmsbana");
    gone.pages[0].items.remove(d);
    let e = read_back(&gone, &inv, locale).expect_err("a lost line must be caught");
    assert!(e.to_string().contains("lines[2].description"), "{e}");
}

// ---- 11. check predicts render; 8. long fields refused ----

/// `check` and `render` (the binary) on perturbed documents: both exit codes
/// and the check's JSON.
fn check_and_render(case: &str, tx: &Value, s: &Value) -> (i32, Value, i32, String) {
    check_and_render_with(case, tx, s, &[])
}

/// [`check_and_render`] with `extra` arguments given to both commands.
fn check_and_render_with(
    case: &str,
    tx: &Value,
    s: &Value,
    extra: &[&str],
) -> (i32, Value, i32, String) {
    let dir = tempdir();
    let (t, sp) = (dir.join("t.json"), dir.join("s.json"));
    std::fs::write(&t, tx.to_string()).unwrap();
    std::fs::write(&sp, s.to_string()).unwrap();
    let brand = fixtures_dir().join(case).join("brand.toml");
    let args = |cmd: &str| -> Vec<std::ffi::OsString> {
        let mut v: Vec<std::ffi::OsString> = vec![
            cmd.into(),
            "--transaction".into(),
            t.clone().into(),
            "--session".into(),
            sp.clone().into(),
            "--brand".into(),
            brand.clone().into(),
            "--json".into(),
        ];
        if cmd == "render" {
            v.push("--output".into());
            v.push(dir.join("out.pdf").into());
        }
        v.extend(extra.iter().map(Into::into));
        v
    };
    let c = run(&args("check"));
    let r = run(&args("render"));
    (
        c.status.code().unwrap_or(-1),
        serde_json::from_slice(&c.stdout).unwrap_or(Value::Null),
        r.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&r.stdout).into_owned() + &String::from_utf8_lossy(&r.stderr),
    )
}

fn codes_at(doc: &Value) -> Vec<(String, String)> {
    doc["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["code"].as_str().unwrap_or("").to_string(),
                        e["path"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn warnings_at(doc: &Value) -> Vec<(String, String)> {
    codes_at(&json!({"errors": doc["warnings"]}))
}

#[test]
fn check_predicts_glyph_replacement_and_strict_glyphs_refusal() {
    // A private-use character no font has (the brand has no font_dir; the
    // system's fonts have none either) and characters the bundled fonts
    // draw: emoji, Greek, a tab (printed as a space).
    for (text, replaced) in [
        ("Skjerm \u{10FFFD}", true),
        ("Bolt 🦀 M8", false),
        ("Τυπογραφία", false),
        ("Tab\there", false),
    ] {
        let (mut tx, mut s) = b2b_docs();
        s["order"]["items"][0]["description"] = json!(text);
        tx["items"][0]["description"] = json!(text);
        let at = (
            "glyph_replaced".to_string(),
            "session.order.items[0].description".to_string(),
        );
        // Without --strict-glyphs: a warning in check, a PDF from render.
        let (check, doc, render, out) = check_and_render(B2B, &tx, &s);
        assert_eq!((check, render), (0, 0), "{text}: {doc} {out}");
        assert_eq!(warnings_at(&doc).contains(&at), replaced, "{text}: {doc}");
        // With it: an error in check (exit 2) exactly when render refuses.
        let (check, doc, render, out) = check_and_render_with(B2B, &tx, &s, &["--strict-glyphs"]);
        if replaced {
            assert_eq!(check, 2, "{text}: {doc}");
            assert!(codes_at(&doc).contains(&at), "{text}: {doc}");
            assert_eq!(doc["ok"], false, "{doc}");
            assert_ne!(render, 0, "{text}: render --strict-glyphs {out}");
            assert!(out.contains("U+10FFFD"), "{out}");
        } else {
            assert_eq!((check, render), (0, 0), "{text}: {doc} {out}");
        }
    }
}

#[test]
fn an_amount_beyond_what_the_invoice_prints_is_a_check_finding() {
    let (tx, s) = fi_docs_totalling(100_000_000_000); // 1 000 000 000,00 EUR
    let (check, doc, render, out) = check_and_render(FI, &tx, &s);
    assert_eq!(check, 2, "check {doc}");
    assert!(
        codes_at(&doc).contains(&("amount_too_large".into(), "session.order.amount".into())),
        "{doc}"
    );
    assert_eq!(render, 2, "render {out}");
    // 999 999 999,99 EUR is printed.
    let (tx, s) = fi_docs_totalling(99_999_999_999);
    let (check, doc, render, out) = check_and_render(FI, &tx, &s);
    assert_eq!((check, render), (0, 0), "{doc} {out}");
}

#[test]
fn a_long_buyer_name_is_refused_naming_the_field() {
    let name: String = (0..270)
        .map(|i| format!("Ordet{i:03}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(name.chars().count() > 2000);
    let (mut tx, mut s) = b2b_docs();
    for doc in [
        &mut tx["billing_address"],
        &mut s["order"]["billing_address"],
    ] {
        doc["business_name"] = json!(name);
    }
    let (check, doc, render, out) = check_and_render(B2B, &tx, &s);
    assert_eq!(check, 2, "{doc}");
    assert!(
        codes_at(&doc).contains(&(
            "text_too_long".into(),
            "session.order.billing_address.business_name".into()
        )),
        "{doc}"
    );
    assert_eq!(render, 2, "{out}");
}

/// A text of exactly `n` characters of wide letters, in words of `word`
/// letters (0: one unbroken word).
fn wide(n: usize, word: usize) -> String {
    let text: String = (0..n)
        .map(|i| {
            if word > 0 && i % (word + 1) == word {
                ' '
            } else {
                ['W', 'M', 'Ø', 'Å'][i % 4]
            }
        })
        .collect();
    // No space at the end, which would be trimmed.
    format!(
        "{}W",
        &text[..text
            .char_indices()
            .nth(n - 1)
            .map_or(text.len(), |(i, _)| i)]
    )
}

/// Every text field of the B2B documents and brand at its longest.
fn b2b_at_limits(word: usize) -> (Value, Value, kravia_invoice::Brand) {
    let (mut tx, mut s) = b2b_docs();
    let w = |n: usize| json!(wide(n, word));
    for a in [
        &mut tx["billing_address"],
        &mut s["order"]["billing_address"],
    ] {
        for (field, n) in [
            ("business_name", 80),
            ("first_name", 40),
            ("last_name", 40),
            ("customer_reference", 40),
            ("co_address", 60),
            ("address_line", 60),
            ("address_line_2", 60),
            ("postal_code", 12),
            ("postal_place", 40),
        ] {
            a[field] = w(n);
        }
    }
    // The delivery place printed beside the facts: the shipping address.
    s["order"]["shipping_address"] = json!({
        "co_address": wide(60, word),
        "address_line": wide(60, word),
        "address_line_2": wide(60, word),
        "postal_code": wide(12, word),
        "postal_place": wide(40, word),
        "country": "NO",
    });
    tx["merchant_reference"] = w(40);
    s["order"]["merchant_reference"] = w(40);
    for (i, item) in s["order"]["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        item["description"] = w(500);
        item["id"] = w(40);
        tx["items"][i]["description"] = w(500);
        tx["items"][i]["id"] = w(40);
    }
    for d in [
        &mut s["order"]["items"][0]["discount_lines"][0],
        &mut tx["items"][0]["discount_lines"][0],
    ] {
        d["description"] = w(100);
    }
    s["order"]["shipping_option"]["title"] = w(500);
    s["order"]["discount_lines"] = json!([{"amount": 100, "description": w(100)}]);
    let number = w(30);
    tx["metadata"]["kravia:invoice_number"] = number.clone();
    for ev in tx["events"].as_array_mut().unwrap() {
        if ev["metadata"].get("kravia:invoice_number").is_some() {
            ev["metadata"]["kravia:invoice_number"] = number.clone();
        }
        if ev["metadata"].get("kravia:case_number").is_some() {
            ev["metadata"]["kravia:case_number"] = w(30);
        }
    }
    let mut brand = kravia_invoice::Brand::load(&b2b_brand()).unwrap();
    let text = |n: usize| w(n).as_str().map(str::to_string);
    brand.seller.name = text(80);
    brand.seller.register = text(40);
    brand.seller.address_line = text(60);
    brand.seller.postal_code = text(12);
    brand.seller.postal_place = text(40);
    brand.seller.email = text(60);
    brand.seller.phone = text(60);
    brand.seller.website = text(60);
    brand.invoice.footer = text(200);
    brand.invoice.payee_name = text(70);
    brand.invoice.vat_exemption_reason = text(300);
    (tx, s, brand)
}

/// Renders `inv` with every built-in template and locale: the renders that
/// fail the read-back check (text lost), with why.
fn renders_everywhere(
    inv: &kravia_invoice::VerifiedInvoice,
    brand: &kravia_invoice::Brand,
) -> Vec<String> {
    use kravia_invoice::locale::Locale;
    use kravia_invoice::render::{RenderOptions, Renderer};
    use kravia_invoice::template::{BUILTIN, TemplateSource};
    let mut failed = Vec::new();
    for (template, _) in BUILTIN {
        for locale in Locale::ALL {
            let options = RenderOptions {
                template: Some(TemplateSource::Builtin(template.to_string())),
                locale: Some(locale),
                ..RenderOptions::default()
            };
            let r = Renderer::new(brand.clone(), options).unwrap();
            // KRAVIA_STORE=dir keeps the PDFs to look at.
            if let (Ok(dir), Ok(pdf)) = (std::env::var("KRAVIA_STORE"), r.render(inv)) {
                let name = format!("{}-{template}-{locale}.pdf", inv.invoice_number.len());
                let _ = std::fs::write(Path::new(&dir).join(name), pdf);
            }
            if let Err(e) = r.render(inv) {
                if let Ok(dir) = std::env::var("KRAVIA_DUMP") {
                    let dump = r.dump_layout(inv).unwrap_or_default();
                    let _ = std::fs::write(format!("{dir}/{template}-{locale}.txt"), dump);
                }
                failed.push(format!("{template} {locale}: {e}"));
            }
        }
    }
    failed
}

#[test]
fn every_field_at_its_longest_is_printed_whole() {
    let mut failed = Vec::new();
    for word in [8, 0] {
        let (tx, s, brand) = b2b_at_limits(word);
        let tx = kravia_invoice::dintero::Transaction::from_json(&tx.to_string()).unwrap();
        let s = kravia_invoice::dintero::Session::from_json(&s.to_string()).unwrap();
        let report = kravia_invoice::verify::check(&tx, Some(&s), Some(&brand));
        assert!(report.errors.is_empty(), "words of {word}: {report}");
        let inv = kravia_invoice::verify(&tx, Some(&s), &brand).unwrap();
        for f in renders_everywhere(&inv, &brand) {
            failed.push(format!("words of {word}: {f}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn the_largest_amounts_are_printed_whole() {
    let (tx, s) = fi_docs_totalling(99_999_999_999);
    let inv = verify_docs(&tx, &s);
    let brand = kravia_invoice::Brand::load(&fixtures_dir().join(FI).join("brand.toml")).unwrap();
    let failed = renders_everywhere(&inv, &brand);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The paths of every string in a JSON document.
fn string_paths(v: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                prefix.push(json!(k));
                string_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                prefix.push(json!(i));
                string_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::String(_) => out.push(prefix.clone()),
        _ => {}
    }
}

fn at_path<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |cur, step| match step {
        Value::Number(n) => cur.get_mut(n.as_u64()? as usize),
        Value::String(k) => cur.get_mut(k.as_str()),
        _ => None,
    })
}

/// Text as fuzzed documents carry it: words, long runs, any Unicode, emoji,
/// control characters.
fn fuzz_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        "[A-Za-zÆØÅæøå ]{0,30}",
        "[A-Za-z ]{80,700}",
        "[W ]{20,200}",
        "\\PC{0,40}",
        "[\\u{1F300}-\\u{1F6FF}a-z ]{1,10}",
        "[a-z\\t\\r\\n\\u{0}-\\u{1F}]{1,10}",
        "[\\u{0370}-\\u{03FF}\\u{0400}-\\u{04FF}\\u{0590}-\\u{05FF}\\u{4E00}-\\u{4E40}]{1,20}",
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever text a document carries, `check` finding nothing means
    /// `render` prints it (with any template and locale): what render would
    /// refuse, check reports.
    #[test]
    fn check_finding_nothing_means_render_prints_it(
        in_tx in proptest::bool::ANY,
        pick in proptest::prelude::any::<proptest::sample::Index>(),
        both in proptest::bool::ANY,
        text in fuzz_text(),
        template in 0usize..2,
        locale in 0usize..4,
        brand_field in proptest::option::weighted(0.2, 0usize..8),
        strict in proptest::bool::weighted(0.25),
    ) {
        use kravia_invoice::locale::Locale;
        use kravia_invoice::render::{RenderOptions, Renderer};
        use kravia_invoice::template::{BUILTIN, TemplateSource};
        let (mut tx, mut s) = b2b_docs();
        let mut paths = Vec::new();
        string_paths(if in_tx { &tx } else { &s }, &mut Vec::new(), &mut paths);
        let path = pick.get(&paths).clone();
        if let Some(v) = at_path(if in_tx { &mut tx } else { &mut s }, &path) {
            *v = json!(text);
        }
        // The same field in the other document's copy, so that the two agree.
        if both {
            let mirrored: Vec<Value> = match (in_tx, path.first().and_then(Value::as_str)) {
                (true, Some("items" | "billing_address" | "merchant_reference")) => {
                    std::iter::once(json!("order")).chain(path.iter().cloned()).collect()
                }
                (false, Some("order")) => path[1..].to_vec(),
                _ => Vec::new(),
            };
            let other = if in_tx { &mut s } else { &mut tx };
            if let Some(target) = at_path(other, &mirrored).filter(|t| t.is_string()) {
                *target = json!(text);
            }
        }
        let Ok(t) = kravia_invoice::dintero::Transaction::from_json(&tx.to_string()) else {
            return Ok(());
        };
        let Ok(se) = kravia_invoice::dintero::Session::from_json(&s.to_string()) else {
            return Ok(());
        };
        let mut brand = kravia_invoice::Brand::load(&b2b_brand()).unwrap();
        // Now and then the brand's text instead.
        if let Some(field) = brand_field {
            let b = &mut brand;
            let slot = match field {
                0 => &mut b.seller.name,
                1 => &mut b.seller.address_line,
                2 => &mut b.seller.postal_place,
                3 => &mut b.seller.email,
                4 => &mut b.seller.website,
                5 => &mut b.seller.register,
                6 => &mut b.invoice.footer,
                _ => &mut b.invoice.payee_name,
            };
            *slot = Some(text.clone());
        }
        let lenient = kravia_invoice::verify::check(&t, Some(&se), Some(&brand));
        // `check --strict-glyphs` and `render --strict-glyphs` alike.
        let report = if strict { lenient.clone().with_strict_glyphs() } else { lenient.clone() };
        if lenient.errors.is_empty() {
            let inv = kravia_invoice::verify(&t, Some(&se), &brand)
                .map_err(|r| proptest::test_runner::TestCaseError::fail(format!("check ok, verify: {r}")))?;
            let options = RenderOptions {
                template: Some(TemplateSource::Builtin(BUILTIN[template].0.to_string())),
                locale: Some(Locale::ALL[locale]),
                strict_glyphs: strict,
                ..RenderOptions::default()
            };
            let r = Renderer::new(brand, options).unwrap().render(&inv);
            // Render prints it exactly when check finds nothing.
            proptest::prop_assert_eq!(
                r.is_ok(),
                report.errors.is_empty(),
                "check (strict: {}) found {:?} at {:?} = {:?}, render: {}",
                strict,
                report.codes(),
                path,
                text,
                r.err().map(|e| e.to_string()).unwrap_or_default()
            );
        }
    }
}

// ---- 15. check stays linear: decimals compared by value, not normalised ----

#[test]
fn decimals_written_differently_compare_by_value() {
    let (mut tx, s) = b2b_docs();
    // 2 and 2.0, 25 and 25.0, 15 and 15.0: the same values.
    let item = &mut tx["items"][0];
    item["quantity"] = serde_json::from_str("2.0").unwrap();
    item["vat"] = serde_json::from_str("25.0").unwrap();
    item["discount_lines"][0]["percentage"] = serde_json::from_str("15.0").unwrap();
    let r = check_docs(&tx, &s);
    assert!(r.errors.is_empty(), "{r}");
    // A different value is still a difference.
    tx["items"][0]["quantity"] = serde_json::from_str("2.5").unwrap();
    let r = check_docs(&tx, &s);
    assert!(
        has_error(&r, "session_mismatch", "transaction.items[0].quantity"),
        "{:?}",
        errors(&r)
    );
}

// ---- 8. credit notes: lost text is caught as on an invoice ----

#[test]
fn read_back_of_a_credit_note_catches_text_cut_off_moved_off_the_page_or_dropped() {
    use kravia_invoice::layout::Item;
    use kravia_invoice::render::{RenderError, RenderOptions, Renderer, read_back_credit};
    let dir = fixtures_dir()
        .join("credit")
        .join("credit_ok_full_void_no_b2b");
    let expect: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expect.json")).unwrap()).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let tx = kravia_invoice::dintero::Transaction::from_json(&read("transaction.json")).unwrap();
    let s = kravia_invoice::dintero::Session::from_json(&read("session.json")).unwrap();
    let brand = kravia_invoice::Brand::load(&dir.join("brand.toml")).unwrap();
    let number = expect["number"].as_str().unwrap();
    let note = kravia_invoice::verify::verify_credit(&tx, Some(&s), &brand, number).unwrap();
    let r = Renderer::new(brand, RenderOptions::default()).unwrap();
    let doc = r.layout_credit(&note).unwrap();
    let locale = r.locale_for_credit(&note);
    read_back_credit(&doc, &note, locale).unwrap();
    let find = |doc: &kravia_invoice::layout::Document, text: &str| {
        doc.pages[0]
            .items
            .iter()
            .position(|i| matches!(i, Item::Text(t) if t.text == text))
            .unwrap_or_else(|| panic!("no run {text:?}"))
    };
    let lost = |doc: &kravia_invoice::layout::Document| match read_back_credit(doc, &note, locale) {
        Err(RenderError::Lost { what, .. }) => what,
        other => panic!("not caught as lost: {other:?}"),
    };
    let buyer = note.invoice.buyer.display_name();
    // A word cut off the buyer's name.
    let mut cut = doc.clone();
    let i = find(&cut, &buyer);
    if let Item::Text(t) = &mut cut.pages[0].items[i] {
        t.text = buyer.split_whitespace().next().unwrap().to_string();
    }
    assert!(lost(&cut).contains("buyer"), "{}", lost(&cut));
    // The name pushed below the page.
    let mut off = doc.clone();
    if let Item::Text(t) = &mut off.pages[0].items[i] {
        t.y.0 += 900.0;
    }
    assert!(lost(&off).contains("runs off the page"), "{}", lost(&off));
    // A credited line's description dropped.
    let desc = note.lines[0].description.clone().unwrap();
    let mut gone = doc.clone();
    let d = find(&gone, &desc);
    gone.pages[0].items.remove(d);
    assert!(
        lost(&gone).contains("lines[0].description"),
        "{}",
        lost(&gone)
    );
}
