//! Ctrl-C (SIGINT, and SIGTERM or SIGHUP) during a batch: stop cleanly.
//!
//! 1. The first signal stops reading input; the invoices already read are
//!    rendered and written (milliseconds), the summary so far is printed and
//!    the run exits with 130.
//! 2. A second stops sooner: inputs not yet rendered and PDFs not yet being
//!    written are dropped; only the writes in progress finish.
//! 3. A third exits at once: the temporary files of the writes in progress
//!    are removed first (they are tracked here, by their output path, while
//!    `write_atomic` runs), so no temporary file is left either way.
//!
//! The handler is process-wide (one batch per process) and runs on its own
//! thread; the pipeline polls [`level`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// How many signals arrived.
static LEVEL: AtomicUsize = AtomicUsize::new(0);

/// Outputs being written right now (their temporary files exist).
static WRITING: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Counts for the one line printed when a third signal ends the run at once.
pub(super) static RENDERED: AtomicUsize = AtomicUsize::new(0);
/// See [`RENDERED`].
pub(super) static FAILED: AtomicUsize = AtomicUsize::new(0);

/// Stop reading input.
pub(super) const STOP_READING: usize = 1;
/// Also stop rendering and drop PDFs not yet being written.
pub(super) const STOP_NOW: usize = 2;
/// Exit at once.
const EXIT: usize = 3;

/// How many signals arrived: 0 none, [`STOP_READING`], [`STOP_NOW`].
pub(super) fn level() -> usize {
    LEVEL.load(Ordering::SeqCst)
}

/// Installs the handler; `false` when it cannot be (the run then simply has
/// no clean stop).
pub(super) fn install() -> bool {
    ctrlc::set_handler(|| {
        if LEVEL.fetch_add(1, Ordering::SeqCst) + 1 >= EXIT {
            exit_at_once();
        }
    })
    .is_ok()
}

/// Marks `path` as being written until the guard is dropped.
pub(super) fn writing(path: &Path) -> Writing {
    let mut set = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    set.get_or_insert_with(HashSet::new)
        .insert(path.to_path_buf());
    Writing(path.to_path_buf())
}

/// While alive, its output is in [`WRITING`].
pub(super) struct Writing(PathBuf);

impl Drop for Writing {
    fn drop(&mut self) {
        let mut set = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(set) = set.as_mut() {
            set.remove(&self.0);
        }
    }
}

/// The third signal: remove the temporary files of the outputs being
/// written, say what was done, exit 130. The lock is held to the end, so no
/// writer registers (and starts) another write meanwhile.
fn exit_at_once() {
    let set = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut removed = 0;
    for path in set.iter().flatten() {
        removed += remove_temp_files_of(path);
    }
    eprintln!(
        "\nkravia-invoice: batch stopped at once: {} rendered, {} failed so far; \
         {removed} temporary file{} of unfinished writes removed; \
         run again with --skip-existing to resume",
        RENDERED.load(Ordering::SeqCst),
        FAILED.load(Ordering::SeqCst),
        if removed == 1 { "" } else { "s" },
    );
    std::process::exit(130);
}

/// The temporary files (`.<name>.<…>tmp`) in `dir`, by name.
pub(super) fn temp_files_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.ends_with("tmp"))
        .collect();
    found.sort();
    found
}

/// Removes the temporary files of `output`: beside it, named
/// `.<file name>.<anything>tmp` (the atomic writer's `.<name>.<pid>.tmp`, or
/// `.<name>.<random>.kravia-tmp`). Returns how many were removed.
fn remove_temp_files_of(output: &Path) -> usize {
    let (Some(dir), Some(name)) = (output.parent(), output.file_name()) else {
        return 0;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with("tmp")
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files_of_an_output_are_found_by_name() {
        let dir = std::env::temp_dir().join(format!("kravia-interrupt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("A-1.pdf");
        for f in [
            ".A-1.pdf.4711.tmp",
            ".A-1.pdf.Xy3kQ9aZ0b.kravia-tmp",
            ".A-1.pdf.keep",
            ".A-10.pdf.4711.tmp",
            "A-1.pdf",
        ] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        assert_eq!(remove_temp_files_of(&out), 2);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".A-1.pdf.keep", ".A-10.pdf.4711.tmp", "A-1.pdf"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writing_guard_registers_until_dropped() {
        let p = Path::new("/nowhere/B-2.pdf");
        let is_in = || {
            WRITING
                .lock()
                .unwrap()
                .as_ref()
                .is_some_and(|s| s.contains(p))
        };
        let guard = writing(p);
        assert!(is_in());
        drop(guard);
        assert!(!is_in());
    }
}
