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
//!   file already exists.
//! * **Output**: progress on stderr only when stderr is a terminal (never
//!   with `--json` or `--quiet`); the summary on stderr, or with `--json` one
//!   object on stdout:
//!
//! ```json
//! {"rendered": 2, "failed": 1, "skipped": 0,
//!  "results": [{"input": "in.ndjson:1", "ok": true, "output": "out/A-1.pdf"},
//!              {"input": "in.ndjson:2", "ok": false,
//!               "errors": [{"code": "vat_mismatch", "path": "session.order.items[0].vat_amount", "message": "…"}]},
//!              {"input": "in.ndjson:3", "ok": true, "output": "out/A-2.pdf"}]}
//! ```
//!
//! A result that is not about the documents (malformed JSON, an unreadable
//! file, a render or write error) has one error with code `fatal`. Skipped
//! results carry `"skipped": true`. Exit status (decided in `exit.rs`): 2 when
//! any invoice failed, 1 when the run could not start (brand, template,
//! locale, input or output directory) or the input broke off, 0 otherwise.

mod credit;
mod names;
mod pipeline;
mod source;
mod summary;

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::cli::args::BatchArgs;
use crate::cli::exit::Outcome;
use crate::cli::json::to_line;
use crate::cli::output::Printer;

use names::Namer;
use pipeline::{Rendered, Setup, worker, writer, writers_for};
use source::{Job, Source};
use summary::{Entry, Summary, print_human};

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
    let progress = progress_bar(args, source.known_len());

    let namer = Namer::default();
    let (job_tx, job_rx) = sync_channel::<Job>(jobs * QUEUE_PER_JOB);
    let job_rx = Mutex::new(job_rx);
    let writers = writers_for(jobs);
    let (pdf_tx, pdf_rx) = sync_channel::<Rendered>(writers * QUEUE_PER_JOB);
    let pdf_rx = Mutex::new(pdf_rx);
    let (res_tx, res_rx) = std::sync::mpsc::channel::<(usize, Entry)>();

    let mut results: Vec<Option<Entry>> = Vec::new();
    let read_error = std::thread::scope(|scope| {
        let reader = scope.spawn(move || source.feed(&job_tx));
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
        for (index, entry) in res_rx {
            if results.len() <= index {
                results.resize_with(index + 1, || None);
            }
            results[index] = Some(entry);
            progress.inc(1);
        }
        reader
            .join()
            .unwrap_or_else(|_| Some("the input reader stopped unexpectedly".to_string()))
    });
    progress.finish_and_clear();

    let results: Vec<Entry> = results
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            e.unwrap_or_else(|| Entry::fatal(format!("input #{}", i + 1), "", "not processed"))
        })
        .collect();
    let summary = Summary::of(&results);
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
    if summary.failed > 0 {
        Outcome::Rejected
    } else {
        Outcome::Done
    }
}

fn progress_bar(args: &BatchArgs, len: Option<u64>) -> ProgressBar {
    if args.json || args.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match len {
        Some(n) => (
            ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
            "{elapsed_precise} [{bar:40}] {pos}/{len} invoices ({rate}, {eta} left)",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{spinner} {elapsed_precise} {pos} invoices ({rate})",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        let rate = |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}/s", state.per_sec());
        };
        bar.set_style(style.progress_chars("=> ").with_key("rate", rate));
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
