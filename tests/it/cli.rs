//! Command-line behaviour: exit codes for usage errors and unreadable input.

use crate::util::{fixtures_dir, json, run};

#[test]
fn usage_error_exits_1_and_json_says_fatal() {
    let out = run(&["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["ok"], false);
    assert!(
        doc["fatal"].as_str().unwrap().contains("--transaction"),
        "{doc}"
    );
    assert_eq!(doc["errors"], serde_json::json!([]));
}

#[test]
fn unknown_subcommand_exits_1() {
    let out = run(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn missing_file_exits_1_naming_the_file() {
    let out = run(&[
        "check",
        "--transaction",
        "/nonexistent/t.json",
        "--session",
        "x",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert!(
        doc["fatal"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/t.json"),
        "{doc}"
    );
}

#[test]
fn malformed_json_exits_1_with_line_and_field() {
    let dir = tempdir();
    let t = dir.join("t.json");
    std::fs::write(&t, "{\"id\": \"T\",\n \"amount\": \"lots\"}").unwrap();
    let out = crate::util::check_against_fixture_session(&t);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let msg = doc["fatal"].as_str().unwrap();
    assert!(
        msg.contains("transaction.amount") && msg.contains("line 2"),
        "{msg}"
    );
}

#[test]
fn human_check_output_lists_codes_and_paths() {
    let case = fixtures_dir().join("pub_err_vat_mismatch");
    let out = run(&[
        "check",
        "--transaction",
        case.join("transaction.json").to_str().unwrap(),
        "--session",
        case.join("session.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("vat_mismatch") && text.contains("session.order."),
        "{text}"
    );
}

/// A fresh temporary directory under target/.
pub fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "it-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---- Errors that say what, where and what to do (issue 12) ----

fn case(name: &str) -> std::path::PathBuf {
    fixtures_dir().join(name)
}

fn arg(p: &std::path::Path) -> String {
    p.display().to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn swapped_transaction_and_session_exit_1_and_say_how_to_run_it() {
    let c = case("pub_ok_no_b2b_three_rates");
    let (t, s) = (
        arg(&c.join("transaction.json")),
        arg(&c.join("session.json")),
    );
    // Both swapped: one message naming both files and the command that works.
    let out = run(&["check", "--transaction", &s, "--session", &t, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let msg = doc["fatal"].as_str().unwrap();
    assert!(
        msg.contains("are swapped")
            && msg.contains("checkout session (it has `order`)")
            && msg.contains("transaction (it has `payment_product_type`)")
            && msg.contains(&format!("run again with --transaction {t} --session {s}")),
        "{msg}"
    );
    assert_eq!(doc["errors"], serde_json::json!([]), "no 15 findings");
    // render says the same, before anything is drawn.
    let dir = tempdir();
    let out = run(&[
        "render",
        "--transaction",
        &s,
        "--session",
        &t,
        "--brand",
        &arg(&c.join("brand.toml")),
        "--output",
        &arg(&dir.join("x.pdf")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("are swapped"), "{}", stderr(&out));
    assert!(!dir.join("x.pdf").exists());

    // A session where the transaction belongs.
    let out = run(&["check", "--transaction", &s, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let msg = json(&out)["fatal"].as_str().unwrap().to_string();
    assert!(
        msg.starts_with(&format!("--transaction {s} is a checkout session"))
            && msg.contains("as the session"),
        "{msg}"
    );
    // A transaction where the session belongs.
    let out = run(&["check", "--transaction", &t, "--session", &t, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let msg = json(&out)["fatal"].as_str().unwrap().to_string();
    assert!(
        msg.starts_with(&format!("--session {t} is a transaction"))
            && msg.contains("GET /v1/sessions/"),
        "{msg}"
    );
    // Inside a {"transaction", "session"} document.
    let doc = format!(
        r#"{{"transaction": {}, "session": {}}}"#,
        std::fs::read_to_string(c.join("session.json")).unwrap(),
        std::fs::read_to_string(c.join("transaction.json")).unwrap()
    );
    let env = dir.join("envelope.json");
    std::fs::write(&env, doc).unwrap();
    let out = run(&["check", "--transaction", &arg(&env), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let msg = json(&out)["fatal"].as_str().unwrap().to_string();
    assert!(
        msg.contains("envelope.json")
            && msg.contains("swapped")
            && msg.contains("swap the two members"),
        "{msg}"
    );
}

#[test]
fn session_of_another_transaction_is_the_one_finding() {
    let t = arg(&case("pub_ok_no_b2b_three_rates").join("transaction.json"));
    let other = case("pub_ok_se_b2b_sek").join("session.json");
    let out = run(&[
        "check",
        "--transaction",
        &t,
        "--session",
        &arg(&other),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out);
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "not 31 follow-on differences: {doc:#}");
    assert_eq!(errors[0]["code"], "session_mismatch");
    assert_eq!(errors[0]["path"], "transaction.session_id");
    let msg = errors[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("session of another transaction")
            && msg.contains("P11961588.jpa3JPfSNraynWVgz3nxvC")
            && msg.contains("GET /v1/sessions/"),
        "{msg}"
    );
    // The human report is one finding too.
    let out = run(&["check", "--transaction", &t, "--session", &arg(&other)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 problem found"), "{text}");
}

#[test]
fn brand_key_typo_shows_the_line_and_suggests_the_key() {
    let c = case("pub_ok_no_b2b_three_rates");
    let dir = tempdir();
    let brand = dir.join("typo.toml");
    let text = std::fs::read_to_string(c.join("brand.toml"))
        .unwrap()
        .replace("organization_number", "organisation_number");
    std::fs::write(&brand, text).unwrap();
    let out = run(&[
        "render",
        "--transaction",
        &arg(&c.join("transaction.json")),
        "--session",
        &arg(&c.join("session.json")),
        "--brand",
        &arg(&brand),
        "--output",
        &arg(&dir.join("x.pdf")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    // What and where on the first line, the snippet on its own lines (not
    // squashed onto one), then what to do.
    assert_eq!(
        lines[0],
        format!(
            "kravia-invoice: error: brand file {}: line 3, column 1: unknown key `organisation_number` in [seller]",
            brand.display()
        ),
        "{err}"
    );
    assert_eq!(lines[2], "3 | organisation_number = \"849749943\"", "{err}");
    assert_eq!(lines[3], "  | ^^^^^^^^^^^^^^^^^^^", "{err}");
    assert!(
        lines[4].starts_with(
            "did you mean `organization_number`? [seller] takes: name, organization_number,"
        ),
        "{err}"
    );
    assert!(!dir.join("x.pdf").exists());
}

#[test]
fn unknown_template_lists_the_built_in_ones() {
    let c = case("pub_ok_no_b2b_three_rates");
    let dir = tempdir();
    let render = |extra: &[&str], brand: &std::path::Path| {
        let mut a: Vec<String> = [
            "render",
            "--transaction",
            &arg(&c.join("transaction.json")),
            "--session",
            &arg(&c.join("session.json")),
            "--brand",
            &arg(brand),
            "--output",
            &arg(&dir.join("x.pdf")),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        run(&a)
    };
    let out = render(&["--template", "fancy"], &c.join("brand.toml"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--template fancy: unknown template \"fancy\"")
            && err.contains("the built-in templates are classic, compact")
            && !err.contains("No such file"),
        "{err}"
    );
    let out = render(&["--template", "compakt"], &c.join("brand.toml"));
    assert!(
        stderr(&out).contains("did you mean \"compact\"?"),
        "{}",
        stderr(&out)
    );
    // From the brand file: the error names it and the key.
    let brand = dir.join("brand.toml");
    let text = std::fs::read_to_string(c.join("brand.toml")).unwrap();
    std::fs::write(
        &brand,
        text.replace("[invoice]", "[invoice]\ntemplate = \"fancy\""),
    )
    .unwrap();
    std::fs::copy(c.join("logo.png"), dir.join("logo.png")).unwrap();
    let out = render(&[], &brand);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "brand file {}: [invoice] template",
            brand.display()
        )) && err.contains("classic, compact"),
        "{err}"
    );
}

#[test]
fn missing_output_directory_is_named_before_any_work() {
    let c = case("pub_ok_no_b2b_three_rates");
    let dir = tempdir();
    let missing = dir.join("no/such/folder");
    let output = missing.join("invoice.pdf");
    let out = run(&[
        "render",
        "--transaction",
        &arg(&c.join("transaction.json")),
        "--session",
        &arg(&c.join("session.json")),
        "--brand",
        &arg(&c.join("brand.toml")),
        "--output",
        &arg(&output),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let msg = json(&out)["fatal"].as_str().unwrap().to_string();
    assert_eq!(
        msg,
        format!(
            "--output {}: the directory {m} does not exist: create it (mkdir -p {m}) or write somewhere else",
            output.display(),
            m = missing.display()
        )
    );
    assert!(!missing.exists());
}

#[test]
fn logo_error_names_the_brand_file_and_the_fix() {
    let c = case("pub_ok_no_b2b_three_rates");
    let dir = tempdir();
    let brand = dir.join("brand.toml");
    std::fs::write(
        &brand,
        std::fs::read_to_string(c.join("brand.toml"))
            .unwrap()
            .replace("logo.png", "missing-logo.png"),
    )
    .unwrap();
    let out = run(&[
        "check",
        "--transaction",
        &arg(&c.join("transaction.json")),
        "--session",
        &arg(&c.join("session.json")),
        "--brand",
        &arg(&brand),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let msg = json(&out)["fatal"].as_str().unwrap().to_string();
    assert!(
        msg.starts_with(&format!("brand file {}: [style] logo ", brand.display()))
            && msg.contains("missing-logo.png")
            && msg.contains("give a PNG or SVG file"),
        "{msg}"
    );
}

#[test]
fn output_dash_on_a_terminal_is_refused() {
    let c = case("pub_ok_no_b2b_three_rates");
    let pty = crate::terminal::Pty::new();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
        .args([
            "render",
            "--transaction",
            &arg(&c.join("transaction.json")),
            "--session",
            &arg(&c.join("session.json")),
            "--brand",
            &arg(&c.join("brand.toml")),
            "--output",
            "-",
        ])
        .stdout(pty.slave())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let screen = pty.finish();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--output -: standard output is a terminal")
            && err.contains("--output invoice.pdf"),
        "{err}"
    );
    assert!(!screen.contains("%PDF"), "no PDF bytes on the screen");
    // credit-note writes a PDF too: the same refusal.
    let credit = fixtures_dir().join("credit/credit_ok_full_void_no_b2b");
    let pty = crate::terminal::Pty::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
        .args([
            "credit-note",
            "--transaction",
            &arg(&credit.join("transaction.json")),
            "--session",
            &arg(&credit.join("session.json")),
            "--brand",
            &arg(&credit.join("brand.toml")),
            "--number",
            "KN-1",
            "--output",
            "-",
        ])
        .stdout(pty.slave())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let screen = pty.finish();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--output -: standard output is a terminal"),
        "{}",
        stderr(&out)
    );
    assert!(!screen.contains("%PDF"));
    // Piped, `--output -` still writes the PDF.
    let out = run(&[
        "render",
        "--transaction",
        &arg(&c.join("transaction.json")),
        "--session",
        &arg(&c.join("session.json")),
        "--brand",
        &arg(&c.join("brand.toml")),
        "--output",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"%PDF-"));
}

// ---- Completions, man pages, version ----

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _kravia__invoice"),
        ("zsh", "#compdef kravia-invoice"),
        ("fish", "complete -c kravia-invoice"),
    ] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        let long = |o: &str| {
            if shell == "fish" {
                format!("-l {o}")
            } else {
                format!("--{o}")
            }
        };
        for word in [
            "render".to_string(),
            "batch".to_string(),
            long("transaction"),
            long("skip-existing"),
        ] {
            assert!(script.contains(&word), "{shell} lacks {word}");
        }
    }
    // bash loads it and completes the subcommands.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            r#"source <("{bin}" completions bash) && COMP_WORDS=(kravia-invoice re) COMP_CWORD=1 && _kravia__invoice kravia-invoice re kravia-invoice && echo "${{COMPREPLY[@]}}""#,
            bin = env!("CARGO_BIN_EXE_kravia-invoice")
        ))
        .output();
    match out {
        Ok(out) => assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "render"),
        Err(e) => eprintln!("bash not available ({e}); skipped loading the script"),
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn man_pages_from_the_same_definitions() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH kravia-invoice 1"), "{page}");
    for s in [
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
        "kravia\\-invoice\\-batch(1)",
        ".SH \"EXIT STATUS\"",
        "130",
        "DINTERO_CLIENT_SECRET",
        "DINTERO_CALLBACK_SECRET",
        "KRAVIA_INVOICE_CREDIT_PREFIX",
    ] {
        assert!(page.contains(s), "main page lacks {s}");
    }
    let out = run(&["man", "batch"]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.contains(".TH kravia-invoice-batch 1") && page.contains("\\-\\-skip\\-existing"),
        "{page}"
    );
    let out = run(&["man", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the pages are: render, check, fetch, batch"),
        "{}",
        stderr(&out)
    );
    let dir = tempdir();
    let out = run(&["man", "--out-dir", &arg(&dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for f in [
        "kravia-invoice.1",
        "kravia-invoice-render.1",
        "kravia-invoice-check.1",
        "kravia-invoice-fetch.1",
        "kravia-invoice-batch.1",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // man(1) reads it, when installed.
    if let Ok(out) = std::process::Command::new("man")
        .args(["-l", &arg(&dir.join("kravia-invoice-render.1"))])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("--transaction"), "{text}");
    }
}

/// `git rev-parse --short HEAD` of this checkout, when there is one.
fn checkout_commit() -> Option<String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = std::process::Command::new("git")
        .args(["-C", dir, "rev-parse", "--show-toplevel", "--short", "HEAD"])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let top = lines.next()?;
    (out.status.success() && std::fs::canonicalize(top).ok()? == std::fs::canonicalize(dir).ok()?)
        .then(|| lines.next().map(str::to_string))
        .flatten()
}

#[test]
fn version_names_the_git_commit_of_the_checkout() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    match checkout_commit() {
        Some(c) => assert!(
            text.starts_with(&format!("kravia-invoice {version} (git {c} ")),
            "{text}"
        ),
        None => assert_eq!(text.trim(), format!("kravia-invoice {version}")),
    }
}

#[test]
fn version_falls_back_without_git() {
    // The build script itself, compiled here and run as cargo would: outside
    // a checkout (a source tarball) and without a git program at all.
    let dir = tempdir();
    let exe = dir.join("build-script");
    let built = std::process::Command::new("rustc")
        .args(["--edition", "2024", "-O", "-o"])
        .arg(&exe)
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs"))
        .output();
    let Ok(built) = built else {
        eprintln!("rustc not available; skipped");
        return;
    };
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let tarball = dir.join("kravia-invoice-0.1.0");
    std::fs::create_dir_all(&tarball).unwrap();
    let run_in = |manifest: &std::path::Path, path: Option<&str>, commit: Option<&str>| {
        let mut c = std::process::Command::new(&exe);
        c.env("CARGO_MANIFEST_DIR", manifest)
            .env("CARGO_PKG_VERSION", "0.1.0")
            .env_remove("KRAVIA_INVOICE_GIT_COMMIT");
        if let Some(p) = path {
            c.env("PATH", p);
        }
        if let Some(v) = commit {
            c.env("KRAVIA_INVOICE_GIT_COMMIT", v);
        }
        let out = c.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("cargo:rustc-env=KRAVIA_INVOICE_VERSION="))
            .unwrap()
            .to_string()
    };
    assert_eq!(run_in(&tarball, None, None), "0.1.0", "no .git");
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(run_in(checkout, Some(""), None), "0.1.0", "no git program");
    assert_eq!(
        run_in(&tarball, None, Some("abc1234")),
        "0.1.0 (git abc1234)"
    );
}

/// `render` reads the `{"transaction", "session"}` document that `batch` reads,
/// from standard input with `--transaction -`, and writes the same bytes as from
/// two files.
#[test]
fn render_takes_the_envelope_on_standard_input() {
    use std::io::Write;
    let case = fixtures_dir().join("pub_ok_no_b2b_three_rates");
    let tx = std::fs::read_to_string(case.join("transaction.json")).unwrap();
    let session = std::fs::read_to_string(case.join("session.json")).unwrap();
    let envelope = format!("{{\"transaction\": {tx}, \"session\": {session}}}");
    let dir = tempdir();
    let brand = case.join("brand.toml");
    let from_files = dir.join("files.pdf");
    let out = run(&[
        "render".as_ref(),
        "--transaction".as_ref(),
        case.join("transaction.json").as_os_str(),
        "--session".as_ref(),
        case.join("session.json").as_os_str(),
        "--brand".as_ref(),
        brand.as_os_str(),
        "--output".as_ref(),
        from_files.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let from_stdin = dir.join("stdin.pdf");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
        .args(["render", "--transaction", "-", "--brand"])
        .arg(&brand)
        .arg("--output")
        .arg(&from_stdin)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(envelope.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        std::fs::read(&from_files).unwrap(),
        std::fs::read(&from_stdin).unwrap()
    );
    // A bad field inside the envelope is named with its full path.
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        envelope.replacen("\"amount\"", "\"amount\": \"x\", \"_\"", 1),
    )
    .unwrap();
    let out = run(&[
        "check".as_ref(),
        "--transaction".as_ref(),
        bad.as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let fatal = json(&out)["fatal"].as_str().unwrap().to_string();
    assert!(fatal.contains("transaction.amount"), "{fatal}");
}
