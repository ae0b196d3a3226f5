//! `batch`: render many invoices in parallel from a directory or an NDJSON
//! stream, never stopping at a bad one.
//!
//! ```text
//! reader ──(bounded channel)──► workers × --jobs ──(results)──► main thread
//!  lines / files in input order   parse → verify → claim a name      progress,
//!                                 (input order) → render → write     summary
//! ```
//!
//! * **Input**: a directory (`*.json` files of the `{"transaction": …,
//!   "session": …}` form, or folders with `transaction.json` and an optional
//!   `session.json`, in name order), or an NDJSON file (`-` for stdin) with one
//!   such object a line. NDJSON is streamed: the reader holds one line at a
//!   time and the channel to the workers is bounded, so memory stays flat in
//!   the number of invoices; no PDF outlives its worker.
//! * **Names**: `<invoice_number>.pdf` with every character outside
//!   `[A-Za-z0-9._-]` turned into `_`; a name already used in this run gets
//!   `-2`, `-3`, … in *input* order. A worker claims its name as soon as its
//!   invoice is verified and waits only for the inputs before it to be
//!   verified (the [`Namer`]), so names are deterministic with any number of
//!   workers. An invoice that fails after verification keeps its claim.
//! * **Once per run**: the brand (and its logo), the template and the locale
//!   are resolved before the first invoice; fonts are the library's shared
//!   statics. Per invoice there is only parse → verify → layout → read-back →
//!   PDF → atomic write.
//! * **Resume**: `--skip-existing` skips (without rendering) an invoice whose
//!   file already holds a complete PDF; temporary files left by a killed run
//!   are removed at the start.
//! * **Output**: progress on stderr only when stderr is a terminal (never
//!   with `--json` or `--quiet`): done, of the total when known (a folder's
//!   count; an NDJSON file's non-blank lines, counted in the background), the
//!   rate and the failures. The summary on stderr, or with `--json` one
//!   object on stdout:
//!
//! ```json
//! {"rendered": 2, "failed": 1, "skipped": 0, "interrupted": false,
//!  "results": [{"input": "in.ndjson:1", "invoice_number": "A", "ok": true, "output": "out/A.pdf"},
//!              {"input": "in.ndjson:2", "invoice_number": "B", "ok": false,
//!               "errors": [{"code": "vat_mismatch", "path": "session.order.items[0].vat_amount", "message": "…"}]},
//!              {"input": "in.ndjson:3", "invoice_number": "A", "ok": true, "output": "out/A-2.pdf",
//!               "warnings": [{"code": "duplicate_invoice_number", "path": "…", "message": "…"}]}]}
//! ```
//!
//! A result that is not about the documents (malformed JSON, swapped
//! documents, an unreadable file, a render or write error) has one error
//! with code `fatal`. Skipped results carry `"skipped": true`. A repeated
//! invoice number (or a safe file name another input took) is a warning.
//! * **Ctrl-C** (see [`interrupt`]): no more input is read, what was read is
//!   finished, the summary so far is printed, exit 130; no temporary file.
//!
//! Exit status (decided in `exit.rs`): 130 when interrupted, 2 when any
//! invoice failed, 1 when the run could not start (brand, template, locale,
//! input or output directory) or the input broke off, 0 otherwise.

mod credit;
mod interrupt;
mod names;
mod pipeline;
mod source;
mod summary;

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::cli::args::BatchArgs;
use crate::cli::exit::Outcome;
use crate::cli::json::to_line;
use crate::cli::output::Printer;

use names::Namer;
use pipeline::{Rendered, Setup, worker, writer, writers_for};
use source::{Job, Source, count_inputs};
use summary::{Entry, Status, Summary, print_human};

/// How many inputs may wait in the channel per worker.
const QUEUE_PER_JOB: usize = 4;

/// Runs `batch`.
pub fn run(args: &BatchArgs, out: &mut Printer) -> Outcome {
    let started = Instant::now();
    let setup = match Setup::new(args) {
        Ok(s) => s,
        Err(e) => return out.fatal(args.json, &e),
    };
    let source = match Source::open(&args.input) {
        Ok(s) => s,
        Err(e) => return out.fatal(args.json, &e),
    };
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        |n| usize::from(n).max(1),
    );
    interrupt::install();
    let mut progress = Progress::new(args, &source);

    let namer = Namer::default();
    let (job_tx, job_rx) = sync_channel::<Job>(jobs * QUEUE_PER_JOB);
    let job_rx = Mutex::new(job_rx);
    let writers = writers_for(jobs);
    let (pdf_tx, pdf_rx) = sync_channel::<Rendered>(writers * QUEUE_PER_JOB);
    let pdf_rx = Mutex::new(pdf_rx);
    let (res_tx, res_rx) = std::sync::mpsc::channel::<(usize, Entry)>();

    // Not scoped: after Ctrl-C the run does not wait for a reader blocked on
    // a silent stdin (it holds no file open for writing).
    let reader = std::thread::spawn(move || source.feed(&job_tx));
    let mut results: Vec<Option<Entry>> = Vec::new();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let (res_tx, pdf_tx) = (res_tx.clone(), pdf_tx.clone());
            let (job_rx, setup, namer) = (&job_rx, &setup, &namer);
            scope.spawn(move || worker(job_rx, &res_tx, &pdf_tx, setup, namer));
        }
        for _ in 0..writers {
            let res_tx = res_tx.clone();
            let pdf_rx = &pdf_rx;
            scope.spawn(move || writer(pdf_rx, &res_tx));
        }
        drop((res_tx, pdf_tx));
        let mut level = 0;
        loop {
            match res_rx.recv_timeout(Duration::from_millis(100)) {
                Ok((index, entry)) => {
                    progress.count(&entry);
                    if results.len() <= index {
                        results.resize_with(index + 1, || None);
                    }
                    results[index] = Some(entry);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if interrupt::level() != level {
                level = interrupt::level();
                progress.interrupted(level, out);
            }
        }
    });
    let interrupted = interrupt::level() > 0;
    progress.finish(interrupted);

    let read_error = if !interrupted || reader.is_finished() {
        reader
            .join()
            .unwrap_or_else(|_| Some("the input reader stopped unexpectedly".to_string()))
    } else {
        None
    };
    let results: Vec<Entry> = if interrupted {
        // What was finished; the rest was not started (or not written).
        results.into_iter().flatten().collect()
    } else {
        results
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                e.unwrap_or_else(|| Entry::fatal(format!("input #{}", i + 1), "", "not processed"))
            })
            .collect()
    };
    let mut summary = Summary::of(&results, interrupted);
    if interrupted {
        summary.left_behind = interrupt::temp_files_in(&args.out_dir);
    }
    if args.json {
        out.stdout_line(&to_line(&summary));
    } else if !args.quiet {
        print_human(out, &summary, &args.out_dir, started.elapsed());
    }
    if let Some(e) = read_error {
        // With --json the summary is already the one object on stdout.
        out.stderr_line(&format!("kravia-invoice: error: {e}"));
        return Outcome::Failed;
    }
    if interrupted {
        Outcome::Interrupted
    } else if summary.failed > 0 {
        Outcome::Rejected
    } else {
        Outcome::Done
    }
}

/// The progress line on a terminal: invoices done (of how many, when known),
/// the rate, and the failures so far.
struct Progress {
    bar: ProgressBar,
    /// Neither a progress line nor messages (`--quiet`).
    quiet: bool,
    rendered: usize,
    failed: usize,
    skipped: usize,
}

/// With a total: a bar and the time left.
const WITH_TOTAL: &str =
    "{elapsed_precise} [{bar:30}] {pos}/{len} invoices · {rate} · {msg} · {eta} left";
/// Without (stdin, or while an NDJSON file is still being counted).
const WITHOUT_TOTAL: &str = "{spinner} {elapsed_precise} {pos} invoices · {rate} · {msg}";

fn style(template: &str) -> Option<ProgressStyle> {
    let rate = |state: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0}/s", state.per_sec());
    };
    ProgressStyle::with_template(template)
        .ok()
        .map(|s| s.progress_chars("=> ").with_key("rate", rate))
}

impl Progress {
    fn new(args: &BatchArgs, source: &Source) -> Progress {
        let quiet = args.quiet;
        let mut p = Progress {
            bar: ProgressBar::hidden(),
            quiet,
            rendered: 0,
            failed: 0,
            skipped: 0,
        };
        if args.json || quiet || !std::io::stderr().is_terminal() {
            return p;
        }
        let len = source.known_len();
        p.bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
        let template = if len.is_some() {
            WITH_TOTAL
        } else {
            WITHOUT_TOTAL
        };
        if let Some(s) = style(template) {
            p.bar.set_style(s);
        }
        p.bar.set_message("0 failed");
        p.bar.enable_steady_tick(Duration::from_millis(100));
        // An NDJSON file's total: counted in the background, shown when known.
        if let Some(file) = source.ndjson_file() {
            let (bar, file) = (p.bar.clone(), file.to_path_buf());
            std::thread::spawn(move || {
                if let Ok(n) = count_inputs(&file) {
                    bar.set_length(n);
                    if let Some(s) = style(WITH_TOTAL) {
                        bar.set_style(s);
                    }
                }
            });
        }
        p
    }

    /// One more input finished.
    fn count(&mut self, entry: &Entry) {
        match entry.status {
            Status::Rendered { .. } => self.rendered += 1,
            Status::Failed { .. } => self.failed += 1,
            Status::Skipped { .. } => self.skipped += 1,
        }
        interrupt::RENDERED.store(self.rendered, Ordering::SeqCst);
        interrupt::FAILED.store(self.failed, Ordering::SeqCst);
        self.bar.inc(1);
        if !self.bar.is_hidden() && !matches!(entry.status, Status::Rendered { .. }) {
            self.bar.set_message(self.counts());
        }
    }

    fn counts(&self) -> String {
        if self.skipped > 0 {
            format!("{} failed · {} skipped", self.failed, self.skipped)
        } else {
            format!("{} failed", self.failed)
        }
    }

    /// Says that a Ctrl-C arrived and what happens now.
    fn interrupted(&mut self, level: usize, out: &mut Printer) {
        let what = if level >= interrupt::STOP_NOW {
            "stopping: finishing the files being written (Ctrl-C again: exit at once)"
        } else {
            "interrupted: finishing the invoices already read (Ctrl-C again: stop sooner)"
        };
        if !self.bar.is_hidden() {
            self.bar.set_message(format!("{} · {what}", self.counts()));
        } else if !self.quiet {
            out.stderr_line(&format!("kravia-invoice: batch {what}"));
        }
    }

    /// Clears the line; after Ctrl-C it stays, showing where the run stopped.
    fn finish(&self, interrupted: bool) {
        if interrupted {
            let template = if self.bar.length().is_some() {
                "{elapsed_precise} [{bar:30}] {pos}/{len} invoices · {rate} · {msg}"
            } else {
                "{elapsed_precise} {pos} invoices · {rate} · {msg}"
            };
            if let Some(s) = style(template) {
                self.bar.set_style(s);
            }
            self.bar
                .set_message(format!("{} · interrupted", self.counts()));
            self.bar.abandon();
        } else {
            self.bar.finish_and_clear();
        }
    }
}
