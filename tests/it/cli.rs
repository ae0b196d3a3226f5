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
