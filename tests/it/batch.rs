//! `batch`: directory and NDJSON input, safe and unique names, broken inputs,
//! exit codes, `--skip-existing`, and the `--json` summary read back into types.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::cli::tempdir;
use crate::util::{fixtures_dir, run};

/// The `--json` summary, strictly typed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    rendered: usize,
    failed: usize,
    skipped: usize,
    interrupted: bool,
    results: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    input: String,
    invoice_number: Option<String>,
    ok: bool,
    #[serde(default)]
    output: Option<String>,
    #[serde(default)]
    errors: Option<Vec<ErrorOut>>,
    #[serde(default)]
    skipped: bool,
    #[serde(default)]
    warnings: Vec<ErrorOut>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorOut {
    code: String,
    path: String,
    message: String,
}

impl Entry {
    fn codes(&self) -> Vec<&str> {
        self.errors
            .iter()
            .flatten()
            .map(|e| e.code.as_str())
            .collect()
    }

    fn warning_codes(&self) -> Vec<&str> {
        self.warnings.iter().map(|e| e.code.as_str()).collect()
    }

    fn file_name(&self) -> String {
        let out = self.output.as_deref().unwrap_or_else(|| {
            panic!("{} has no output: {:?}", self.input, self.errors);
        });
        Path::new(out)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }
}

fn read(case: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(fixtures_dir().join(case).join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `{"transaction": …, "session": …}` of a fixture case (no session key when
/// the case embeds it).
fn pair(case: &str) -> Value {
    let dir = fixtures_dir().join(case);
    let mut v = json!({ "transaction": read(case, "transaction.json") });
    if dir.join("session.json").exists() {
        v["session"] = read(case, "session.json");
    }
    v
}

/// The pair with every `kravia:invoice_number` (metadata and events) replaced.
fn renumbered(case: &str, number: &str) -> Value {
    let mut v = pair(case);
    let tx = &mut v["transaction"];
    tx["metadata"]["kravia:invoice_number"] = json!(number);
    for ev in tx["events"].as_array_mut().unwrap() {
        if ev["metadata"].get("kravia:invoice_number").is_some() {
            ev["metadata"]["kravia:invoice_number"] = json!(number);
        }
    }
    v
}

fn brand() -> PathBuf {
    fixtures_dir().join("pub_ok_no_b2b_three_rates/brand.toml")
}

fn batch(input: &Path, out_dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "batch".to_string(),
        "--input".into(),
        input.display().to_string(),
        "--brand".into(),
        brand().display().to_string(),
        "--out-dir".into(),
        out_dir.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

fn summary(out: &std::process::Output) -> Summary {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not the summary ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn assert_pdf(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        path.display()
    );
    assert!(
        bytes.trim_ascii_end().ends_with(b"%%EOF"),
        "{} is cut short",
        path.display()
    );
}

/// No temporary or probe files are left in `dir`.
fn assert_clean(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "left behind: {name}");
    }
}

fn write_ndjson(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn directory_of_pairs_and_folders_renders_in_name_order() {
    let dir = tempdir();
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("a.json"),
        pair("pub_ok_no_b2b_three_rates").to_string(),
    )
    .unwrap();
    // A folder with transaction.json and session.json.
    let folder = input.join("b-se");
    std::fs::create_dir_all(&folder).unwrap();
    for f in ["transaction.json", "session.json"] {
        std::fs::copy(
            fixtures_dir().join("pub_ok_se_b2b_sek").join(f),
            folder.join(f),
        )
        .unwrap();
    }
    // A folder whose transaction embeds its session.
    let folder = input.join("c-embedded");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        fixtures_dir().join("pub_ok_no_b2c_captured_embedded/transaction.json"),
        folder.join("transaction.json"),
    )
    .unwrap();
    // A pair file with the session embedded in the transaction.
    std::fs::write(
        input.join("d.json"),
        renumbered("pub_ok_no_b2c_captured_embedded", "EMB-2").to_string(),
    )
    .unwrap();
    // Not inputs: other files and folders without transaction.json.
    std::fs::write(input.join("notes.txt"), "not an invoice").unwrap();
    std::fs::create_dir_all(input.join("empty")).unwrap();

    let out_dir = dir.join("out");
    let out = batch(&input, &out_dir, &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = summary(&out);
    assert_eq!((s.rendered, s.failed, s.skipped), (4, 0, 0), "{s:?}");
    let inputs: Vec<String> = s
        .results
        .iter()
        .map(|r| {
            Path::new(&r.input)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(inputs, ["a.json", "b-se", "c-embedded", "d.json"]);
    let names: Vec<String> = s.results.iter().map(Entry::file_name).collect();
    assert_eq!(
        names,
        [
            "KJ65C-190025.pdf",
            "KR7D6-850213.pdf",
            "MUZ9E-858743.pdf",
            "EMB-2.pdf"
        ]
    );
    for r in &s.results {
        assert!(r.ok && !r.skipped && r.errors.is_none(), "{r:?}");
        assert_pdf(Path::new(r.output.as_deref().unwrap()));
    }
    assert_clean(&out_dir);
}

#[test]
fn ndjson_broken_lines_are_reported_and_the_rest_render() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    let ok = pair("pub_ok_no_b2b_three_rates").to_string();
    write_ndjson(
        &input,
        &[
            ok.clone(),                                                      // 1
            String::new(),                            // 2: blank, not an input
            ok[..ok.len() / 2].to_string(),           // 3: cut short
            ok.clone(),                               // 4: same number → -2
            pair("pub_err_vat_mismatch").to_string(), // 5: verify fails
            renumbered("pub_ok_se_b2b_sek", "2026/07 Å#1").to_string(), // 6: unsafe characters
            r#"{"transaction": {"id": "T", "amount": "lots"}}"#.to_string(), // 7: wrong type
            "[1, 2]".to_string(),                     // 8: not an object
            ok.clone(),                               // 9: → -3
            renumbered("pub_ok_se_b2b_sek", "KJ65C-190025-2").to_string(), // 10: taken by line 4
        ],
    );
    let out_dir = dir.join("out");
    // A delivery date given: no `assumed` warning beside the ones looked for.
    let out = batch(
        &input,
        &out_dir,
        &["--json", "--jobs", "3", "--delivery-date", "2026-05-31"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = summary(&out);
    assert_eq!((s.rendered, s.failed, s.skipped), (5, 4, 0), "{s:?}");
    let label = |n: usize| format!("{}:{n}", input.display());
    let inputs: Vec<String> = s.results.iter().map(|r| r.input.clone()).collect();
    let expected: Vec<String> = [1, 3, 4, 5, 6, 7, 8, 9, 10].map(label).to_vec();
    assert_eq!(
        inputs, expected,
        "results keep input order, blank lines skipped"
    );

    let by_line = |n: usize| s.results.iter().find(|r| r.input == label(n)).unwrap();
    assert_eq!(by_line(1).file_name(), "KJ65C-190025.pdf");
    assert_eq!(by_line(4).file_name(), "KJ65C-190025-2.pdf");
    assert_eq!(by_line(9).file_name(), "KJ65C-190025-3.pdf");
    assert_eq!(by_line(10).file_name(), "KJ65C-190025-2-2.pdf");
    assert_eq!(by_line(6).file_name(), "2026_07___1.pdf");

    // Each result names its invoice number; a failed one too when it has one.
    assert_eq!(by_line(1).invoice_number.as_deref(), Some("KJ65C-190025"));
    assert_eq!(by_line(6).invoice_number.as_deref(), Some("2026/07 Å#1"));
    assert_eq!(by_line(5).invoice_number.as_deref(), Some("VPH1K-592318"));
    assert_eq!(by_line(3).invoice_number, None, "malformed: no number");
    // The same invoice number again is a warning naming the first input, not
    // a silent -2; a number whose name a suffix took says whose it is.
    assert!(by_line(1).warnings.is_empty(), "{:?}", by_line(1));
    for n in [4, 9] {
        let r = by_line(n);
        assert_eq!(r.warning_codes(), ["duplicate_invoice_number"], "{r:?}");
        let w = &r.warnings[0];
        assert_eq!(w.path, "transaction.metadata[\"kravia:invoice_number\"]");
        assert!(
            w.message.contains("KJ65C-190025")
                && w.message.contains(&label(1))
                && w.message.contains(&r.file_name()),
            "{w:?}"
        );
    }
    let taken = by_line(10);
    assert_eq!(taken.warning_codes(), ["file_name_taken"], "{taken:?}");
    assert!(
        taken.warnings[0].message.contains(&label(4))
            && taken.warnings[0].message.contains("KJ65C-190025-2.pdf"),
        "{taken:?}"
    );
    assert!(!s.interrupted);

    for n in [3, 7, 8] {
        let r = by_line(n);
        assert!(!r.ok && r.output.is_none(), "{r:?}");
        assert_eq!(r.codes(), ["fatal"], "{r:?}");
    }
    let wrong_type = &by_line(7).errors.as_ref().unwrap()[0];
    assert_eq!(wrong_type.path, "transaction.amount", "{wrong_type:?}");
    assert!(wrong_type.message.contains("column"), "{wrong_type:?}");
    let vat = by_line(5);
    assert!(!vat.ok && vat.codes().contains(&"vat_mismatch"), "{vat:?}");
    assert!(
        vat.errors
            .iter()
            .flatten()
            .all(|e| !e.path.is_empty() && !e.message.is_empty())
    );

    for r in s.results.iter().filter(|r| r.ok) {
        assert_pdf(Path::new(r.output.as_deref().unwrap()));
    }
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    assert_clean(&out_dir);
}

#[test]
fn names_do_not_depend_on_the_number_of_jobs() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    let numbers = ["A", "B", "A", "A-2", "B", "A", "C/1", "C_1"];
    let lines: Vec<String> = numbers
        .iter()
        .map(|n| renumbered("pub_ok_no_b2b_three_rates", n).to_string())
        .collect();
    write_ndjson(&input, &lines);
    let names = |jobs: &str| {
        let out = batch(
            &input,
            &dir.join(format!("out-{jobs}")),
            &["--json", "--jobs", jobs],
        );
        assert_eq!(out.status.code(), Some(0));
        summary(&out)
            .results
            .iter()
            .map(Entry::file_name)
            .collect::<Vec<_>>()
    };
    let one = names("1");
    assert_eq!(
        one,
        [
            "A.pdf",
            "B.pdf",
            "A-2.pdf",
            "A-2-2.pdf",
            "B-2.pdf",
            "A-3.pdf",
            "C_1.pdf",
            "C_1-2.pdf"
        ]
    );
    assert_eq!(names("4"), one);
}

#[test]
fn skip_existing_resumes_without_rewriting() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    let lines: Vec<String> = ["R-1", "R-2", "R-3"]
        .iter()
        .map(|n| renumbered("pub_ok_no_b2b_three_rates", n).to_string())
        .collect();
    write_ndjson(&input, &lines[..2]);
    let out_dir = dir.join("out");
    let first = batch(&input, &out_dir, &["--json"]);
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(summary(&first).rendered, 2);

    // A complete PDF of another invoice in R-1.pdf shows that it is left alone.
    let marker = std::fs::read(out_dir.join("R-2.pdf")).unwrap();
    std::fs::write(out_dir.join("R-1.pdf"), &marker).unwrap();
    write_ndjson(&input, &lines);
    let second = batch(&input, &out_dir, &["--json", "--skip-existing"]);
    assert_eq!(second.status.code(), Some(0));
    let s = summary(&second);
    assert_eq!((s.rendered, s.failed, s.skipped), (1, 0, 2), "{s:?}");
    assert!(s.results[0].ok && s.results[0].skipped);
    assert_eq!(s.results[0].file_name(), "R-1.pdf");
    assert!(!s.results[2].skipped);
    assert!(std::fs::read(out_dir.join("R-1.pdf")).unwrap() == marker);
    assert_pdf(&out_dir.join("R-3.pdf"));

    // Without --skip-existing the file is replaced.
    let third = batch(&input, &out_dir, &["--json"]);
    assert_eq!(summary(&third).rendered, 3);
    assert_pdf(&out_dir.join("R-1.pdf"));
}

#[test]
fn human_output_keeps_stdout_empty_and_names_failures() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    let ok = pair("pub_ok_no_b2b_three_rates").to_string();
    write_ndjson(&input, &[ok.clone(), "{not json".to_string(), ok]);
    let out = batch(&input, &dir.join("out"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "stdout carries only the product");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:2", input.display())), "{err}");
    // The repeated invoice number is named on stderr, with the first input.
    assert!(
        err.contains(&format!("warning {}:3", input.display()))
            && err.contains("duplicate_invoice_number")
            && err.contains(&format!("also in {}:1", input.display())),
        "{err}"
    );
    assert!(
        err.contains("2 rendered, 1 failed"),
        "summary on stderr: {err}"
    );
    // Not a terminal: no progress bar drawing.
    assert!(!err.contains('\r') && !err.contains("\u{1b}["), "{err:?}");
}

#[test]
fn empty_input_is_done() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    std::fs::write(&input, "\n\n").unwrap();
    let out = batch(&input, &dir.join("out"), &["--json"]);
    assert_eq!(out.status.code(), Some(0));
    let s = summary(&out);
    assert_eq!((s.rendered, s.failed, s.skipped), (0, 0, 0));
    assert!(s.results.is_empty());
}

#[test]
fn setup_errors_exit_1() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    write_ndjson(&input, &[pair("pub_ok_no_b2b_three_rates").to_string()]);

    // Unreadable brand.
    let out = run(&[
        "batch",
        "--input",
        input.to_str().unwrap(),
        "--brand",
        "/nonexistent/brand.toml",
        "--out-dir",
        dir.join("out").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["fatal"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/brand.toml"),
        "{doc}"
    );

    // The output directory is a file.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = batch(&input, &file, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["fatal"].as_str().unwrap().contains("--out-dir"),
        "{doc}"
    );

    // A missing input.
    let out = batch(&dir.join("missing.ndjson"), &dir.join("out"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.ndjson"));

    // An unknown template or locale, before any invoice.
    let out = batch(&input, &dir.join("out"), &["--template", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    let out = batch(&input, &dir.join("out"), &["--locale", "de"]);
    assert_eq!(out.status.code(), Some(1));
    let out = batch(&input, &dir.join("out"), &["--jobs", "0"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn quiet_template_and_locale_apply_to_every_invoice() {
    let dir = tempdir();
    let input = dir.join("in.ndjson");
    let lines: Vec<String> = ["Q-1", "Q-2"]
        .iter()
        .map(|n| renumbered("pub_ok_no_b2b_three_rates", n).to_string())
        .collect();
    write_ndjson(&input, &lines);
    let out_dir = dir.join("out");
    let out = batch(
        &input,
        &out_dir,
        &["--quiet", "--template", "compact", "--locale", "en"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "--quiet");
    for n in ["Q-1", "Q-2"] {
        assert_pdf(&out_dir.join(format!("{n}.pdf")));
    }
    // The default (classic, Norwegian) gives a different file.
    let classic = batch(&input, &dir.join("classic"), &["-q"]);
    assert_eq!(classic.status.code(), Some(0));
    assert_ne!(
        std::fs::read(out_dir.join("Q-1.pdf")).unwrap(),
        std::fs::read(dir.join("classic/Q-1.pdf")).unwrap()
    );
}

#[test]
fn batch_writes_the_same_bytes_as_render() {
    let dir = tempdir();
    let case = fixtures_dir().join("pub_ok_no_b2b_three_rates");
    let single = dir.join("single.pdf");
    let out = run(&[
        "render",
        "--transaction",
        case.join("transaction.json").to_str().unwrap(),
        "--session",
        case.join("session.json").to_str().unwrap(),
        "--brand",
        brand().to_str().unwrap(),
        "--output",
        single.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let input = dir.join("in.ndjson");
    write_ndjson(&input, &[pair("pub_ok_no_b2b_three_rates").to_string()]);
    let out = batch(&input, &dir.join("out"), &["-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read(dir.join("out/KJ65C-190025.pdf")).unwrap(),
        std::fs::read(&single).unwrap()
    );
}

// ---- Ctrl-C and the progress line (issue 12) ----

/// `n` inputs, numbered `S-00000`…; every 10th line (10, 20, …) is broken.
fn long_input(dir: &Path, n: usize) -> PathBuf {
    let input = dir.join("long.ndjson");
    let lines: Vec<String> = (1..=n)
        .map(|i| {
            if i.is_multiple_of(10) {
                "{not json".to_string()
            } else {
                renumbered("pub_ok_no_b2b_three_rates", &format!("S-{i:05}")).to_string()
            }
        })
        .collect();
    write_ndjson(&input, &lines);
    input
}

fn pdfs_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
                .count()
        })
        .unwrap_or(0)
}

/// Every PDF in `dir` is complete and nothing else is there (no temporary
/// file, no probe).
fn assert_only_complete_pdfs(dir: &Path) {
    assert_clean(dir);
    for e in std::fs::read_dir(dir).unwrap() {
        assert_pdf(&e.unwrap().path());
    }
}

fn spawn_batch(
    input: &Path,
    out_dir: &Path,
    extra: &[&str],
    stderr: std::process::Stdio,
) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"));
    cmd.args(["batch", "--input"])
        .arg(input)
        .arg("--brand")
        .arg(brand())
        .arg("--out-dir")
        .arg(out_dir)
        .args(["--jobs", "1"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(stderr);
    cmd.spawn().unwrap()
}

#[test]
fn ctrl_c_stops_cleanly_with_the_summary_so_far_and_exit_130() {
    let dir = tempdir();
    let n = 1000;
    let input = long_input(&dir, n);
    let out_dir = dir.join("out");
    let child = spawn_batch(&input, &out_dir, &["--json"], std::process::Stdio::piped());
    crate::terminal::wait_until(Duration::from_secs(60), "the first PDFs", || {
        pdfs_in(&out_dir) >= 3
    });
    crate::terminal::interrupt(&child);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = summary(&out);
    assert!(s.interrupted, "{s:?}");
    assert!(
        s.rendered >= 3 && s.rendered + s.failed < n,
        "stopped early: {s:?}"
    );
    // The summary so far: what was finished, in input order, each with its
    // number; exactly the files on disk, each complete; no temporary file.
    assert_eq!(s.rendered, pdfs_in(&out_dir), "{s:?}");
    assert_only_complete_pdfs(&out_dir);
    let mut last = 0;
    for r in &s.results {
        let line: usize = r.input.rsplit(':').next().unwrap().parse().unwrap();
        assert!(line > last, "input order: {r:?}");
        last = line;
        if line.is_multiple_of(10) {
            assert_eq!(r.codes(), ["fatal"], "{r:?}");
        } else {
            assert!(r.ok, "{r:?}");
            assert_eq!(
                r.invoice_number.as_deref(),
                Some(format!("S-{line:05}").as_str())
            );
            assert_pdf(Path::new(r.output.as_deref().unwrap()));
        }
    }
    // --skip-existing resumes where it stopped.
    let resumed = batch(
        &input,
        &out_dir,
        &["--json", "--skip-existing", "--jobs", "2"],
    );
    let r = summary(&resumed);
    assert_eq!(
        r.skipped,
        s.rendered,
        "{:?}",
        (r.rendered, r.failed, r.skipped)
    );
    assert_eq!(r.rendered + r.skipped, n - n / 10);
    // Megabytes of input and PDFs: not left on the shared disk.
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn progress_on_a_terminal_then_ctrl_c() {
    let dir = tempdir();
    let n = 3000;
    let input = long_input(&dir, n);
    let out_dir = dir.join("out");
    let pty = crate::terminal::Pty::new();
    let child = spawn_batch(&input, &out_dir, &[], pty.slave());
    // The line shows invoices done of the counted total, the rate, and the
    // failures so far (every 10th line is broken).
    let total = format!("/{n} invoices · ");
    let mut seen = String::new();
    crate::terminal::wait_until(
        Duration::from_secs(60),
        "a progress line with failures",
        || {
            let text = pty.text();
            let line = text
                .split(['\r', '\n'])
                .rev()
                .find(|l| l.contains(&total) && l.contains("/s · ") && !l.contains(" 0 failed"))
                .map(str::to_string);
            if let Some(l) = line {
                seen = l;
                true
            } else {
                false
            }
        },
    );
    assert!(seen.contains(" failed"), "{seen}");
    crate::terminal::interrupt(&child);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(out.stdout.is_empty());
    let screen = pty.finish();
    let summary_line = screen
        .lines()
        .find(|l| l.starts_with("batch: interrupted after "))
        .unwrap_or_else(|| panic!("no summary on the terminal:\n{screen}"));
    assert!(
        summary_line.contains("no temporary file is left")
            && summary_line.contains("run again with --skip-existing"),
        "{summary_line}"
    );
    // "… in 1.23 s: 57 rendered, 6 failed, 0 skipped → …": the files on disk.
    let rendered: usize = summary_line
        .split(": ")
        .nth(2)
        .and_then(|c| c.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary_line}"));
    assert_eq!(rendered, pdfs_in(&out_dir), "{summary_line}");
    assert!(
        screen.contains(&format!("failed  {}:10", input.display())),
        "{screen}"
    );
    assert_only_complete_pdfs(&out_dir);
    // Megabytes of input and PDFs: not left on the shared disk.
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ctrl_c_again_never_leaves_a_temporary_file() {
    // Two or three signals in quick succession: whichever stop they reach
    // (finish what was read, stop sooner, or exit at once), the exit is 130
    // and every file in the folder is a complete PDF.
    for signals in [2, 3] {
        let dir = tempdir();
        let input = long_input(&dir, 1500);
        let out_dir = dir.join("out");
        let child = spawn_batch(&input, &out_dir, &["--json"], std::process::Stdio::piped());
        crate::terminal::wait_until(Duration::from_secs(60), "the first PDFs", || {
            pdfs_in(&out_dir) >= 3
        });
        for _ in 0..signals {
            // A process already gone cannot be signalled; that is fine.
            let _ = rustix::process::kill_process(
                rustix::process::Pid::from_child(&child),
                rustix::process::Signal::INT,
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{err}");
        assert_only_complete_pdfs(&out_dir);
        if out.stdout.is_empty() {
            assert!(err.contains("batch stopped at once"), "{err}");
        } else {
            assert!(summary(&out).interrupted);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn swapped_documents_in_a_batch_are_named() {
    let dir = tempdir();
    let case = "pub_ok_no_b2b_three_rates";
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    // A pair file whose members are swapped…
    let swapped = json!({
        "transaction": read(case, "session.json"),
        "session": read(case, "transaction.json"),
    });
    std::fs::write(input.join("a.json"), swapped.to_string()).unwrap();
    // …and a folder whose two files are.
    let folder = input.join("b");
    std::fs::create_dir_all(&folder).unwrap();
    let src = fixtures_dir().join(case);
    std::fs::copy(src.join("session.json"), folder.join("transaction.json")).unwrap();
    std::fs::copy(src.join("transaction.json"), folder.join("session.json")).unwrap();
    let out = batch(&input, &dir.join("out"), &["--json"]);
    assert_eq!(out.status.code(), Some(2));
    let s = summary(&out);
    assert_eq!((s.rendered, s.failed), (0, 2), "{s:?}");
    for r in &s.results {
        assert_eq!(r.codes(), ["fatal"], "{r:?}");
        let m = &r.errors.as_ref().unwrap()[0].message;
        assert!(
            m.contains("are swapped") && m.contains("(it has `order`)"),
            "{m}"
        );
    }
    assert!(
        s.results[0].errors.as_ref().unwrap()[0]
            .message
            .contains("swap the two members")
    );
    assert!(
        s.results[1].errors.as_ref().unwrap()[0]
            .message
            .starts_with("transaction.json and session.json are swapped")
    );
}
