//! The dependency direction of the crate, checked on the source: `layout` never
//! names `dintero`; `pdf` never names `verify` or `dintero`; `payment` uses only
//! `money`, `country` and itself; `dintero` knows nothing above it.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Lines of `module`'s production code (test-only files and everything after the
/// first `#[cfg(test)]` are skipped) that name a banned `crate::` path.
fn violations(module: &str, banned: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let dir = root.join(module);
    if dir.is_dir() {
        sources(&dir, &mut files);
    }
    let file = root.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    assert!(!files.is_empty(), "no sources for module {module}");
    let mut out = Vec::new();
    for f in files {
        // Test-only files and test modules may build their data from any layer.
        if f.file_name()
            .is_some_and(|n| n == "testdata.rs" || n == "tests.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let production = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in production.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for b in banned {
                if code.contains(&format!("crate::{b}"))
                    || code.contains(&format!("kravia_invoice::{b}"))
                {
                    out.push(format!(
                        "{}:{}: names {b}: {}",
                        f.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn layout_never_names_dintero() {
    assert_eq!(violations("layout", &["dintero"]), Vec::<String>::new());
}

#[test]
fn pdf_never_names_verify_or_dintero() {
    assert_eq!(
        violations("pdf", &["verify", "dintero", "template", "brand"]),
        Vec::<String>::new()
    );
}

#[test]
fn payment_is_pure() {
    assert_eq!(
        violations(
            "payment",
            &[
                "dintero", "verify", "layout", "pdf", "render", "template", "brand", "font",
                "locale"
            ]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn dintero_is_the_bottom() {
    assert_eq!(
        violations(
            "dintero",
            &[
                "verify", "layout", "pdf", "render", "template", "payment", "brand"
            ]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn verify_draws_nothing() {
    assert_eq!(
        violations("verify", &["layout", "pdf", "render", "template"]),
        Vec::<String>::new()
    );
}
