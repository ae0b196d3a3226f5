//! Build script: the version that `kravia-invoice --version` prints, in
//! `KRAVIA_INVOICE_VERSION`.
//!
//! Built from a git checkout: `0.1.0 (git 5cf360f 2026-05-31)`, the commit
//! checked out and its date. Without git, or outside a checkout (a source
//! tarball, the crates.io package): `0.1.0`. `KRAVIA_INVOICE_GIT_COMMIT` set at
//! build time wins (a packager building from a tarball knows the commit).
//!
//! Cargo runs this again only when this file, that variable or the checked-out
//! commit changes (HEAD, the branch's ref, packed refs), not on every edit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=KRAVIA_INVOICE_GIT_COMMIT");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("KRAVIA_INVOICE_GIT_COMMIT")
        .ok()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .or_else(|| from_git(&dir));
    let full = match commit {
        Some(c) => format!("{version} (git {c})"),
        None => version,
    };
    println!("cargo:rustc-env=KRAVIA_INVOICE_VERSION={full}");
}

/// `5cf360f 2026-05-31` of the checkout at `dir`, when `dir` is the top of a
/// git work tree (not a folder inside someone else's repository) and git runs.
fn from_git(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    let commit = git(dir, &["rev-parse", "--short", "HEAD"])?;
    // Run again when another commit is checked out or the branch moves.
    if let Some(git_dir) = git(dir, &["rev-parse", "--absolute-git-dir"]) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
    }
    if let (Some(common), Some(head_ref)) = (
        git(dir, &["rev-parse", "--git-common-dir"]),
        git(dir, &["symbolic-ref", "-q", "HEAD"]),
    ) {
        let common = dir.join(common);
        for f in [common.join(head_ref), common.join("packed-refs")] {
            if f.exists() {
                println!("cargo:rerun-if-changed={}", f.display());
            }
        }
    }
    let date = git(dir, &["log", "-1", "--date=short", "--format=%cd"]);
    Some(match date {
        Some(d) => format!("{commit} {d}"),
        None => commit,
    })
}

/// One line of git's output, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let line = text.trim();
    (!line.is_empty()).then(|| line.to_string())
}
