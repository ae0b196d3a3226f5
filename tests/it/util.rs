//! Helpers: the fixture cases and running the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled fixture cases (copied from the shared acceptance cases).
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One case folder.
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
    pub expect: serde_json::Value,
}

impl Case {
    /// The case's brand and its documents verified against it (a valid case).
    pub fn verified(&self) -> (kravia_invoice::Brand, kravia_invoice::VerifiedInvoice) {
        use kravia_invoice::dintero::{Session, Transaction};
        let tx = Transaction::from_json(
            &std::fs::read_to_string(self.dir.join("transaction.json")).unwrap(),
        )
        .unwrap();
        let session = std::fs::read_to_string(self.dir.join("session.json"))
            .ok()
            .map(|t| Session::from_json(&t).unwrap());
        let brand = kravia_invoice::Brand::load(&self.dir.join("brand.toml")).unwrap();
        let invoice = kravia_invoice::verify(&tx, session.as_ref(), &brand).unwrap();
        (brand, invoice)
    }

    /// `--transaction T [--session S] --brand B`.
    pub fn doc_args(&self) -> Vec<String> {
        let mut v = vec![
            "--transaction".to_string(),
            self.dir.join("transaction.json").display().to_string(),
        ];
        let s = self.dir.join("session.json");
        if s.exists() {
            v.push("--session".into());
            v.push(s.display().to_string());
        }
        v.push("--brand".into());
        v.push(self.dir.join("brand.toml").display().to_string());
        v
    }

    pub fn expected_exit(&self) -> i32 {
        self.expect["exit"].as_i64().unwrap_or(-1) as i32
    }

    pub fn expected_codes(&self) -> Vec<String> {
        self.expect["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Every case with an expect.json, in name order.
pub fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("expect.json").is_file())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            expect: serde_json::from_str(
                &std::fs::read_to_string(dir.join("expect.json")).unwrap(),
            )
            .unwrap(),
            dir,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() >= 10, "expected the bundled fixture cases");
    out
}

/// Runs the built binary.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
        .args(args)
        .output()
        .unwrap()
}

/// Parses stdout as one JSON object.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `check --json` of a transaction file against the NO B2B fixture's session.
pub fn check_against_fixture_session(transaction: &Path) -> Output {
    run(&[
        "check",
        "--transaction",
        transaction.to_str().unwrap(),
        "--session",
        fixtures_dir()
            .join("pub_ok_no_b2b_three_rates/session.json")
            .to_str()
            .unwrap(),
        "--json",
    ])
}
