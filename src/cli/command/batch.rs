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

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, IsTerminal};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender, sync_channel};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use serde::{Deserialize, Serialize};

use kravia_invoice::Brand;
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::locale::Locale;
use kravia_invoice::render::{RenderOptions, read_back, resolve_locale, resolve_template};
use kravia_invoice::template::{Template, TemplateSource};
use kravia_invoice::verify::{Finding, verify};

use crate::cli::args::BatchArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::json::to_line;
use crate::cli::output::{Printer, write_atomic};

/// How many inputs may wait in the channel per worker.
const QUEUE_PER_JOB: usize = 4;
/// Longest file name stem kept (bytes; the safe names are ASCII).
const MAX_STEM: usize = 200;

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

// ---------------------------------------------------------------------------
// Setup: everything resolved once per run.

/// What every worker shares, resolved once.
struct Setup {
    brand: Brand,
    template: Template,
    options: RenderOptions,
    out_dir: PathBuf,
    skip_existing: bool,
}

impl Setup {
    fn new(args: &BatchArgs) -> Result<Setup, String> {
        let brand = input::brand(&args.brand)?;
        let mut options = RenderOptions::default();
        if let Some(l) = &args.locale {
            options.locale = Some(l.parse::<Locale>().map_err(|e| format!("--locale: {e}"))?);
        }
        options.template = args.template.as_deref().map(TemplateSource::from_arg);
        let template = resolve_template(&brand, &options).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&args.out_dir)
            .map_err(|e| format!("--out-dir {}: {e}", args.out_dir.display()))?;
        if !args.out_dir.is_dir() {
            return Err(format!(
                "--out-dir {}: not a directory",
                args.out_dir.display()
            ));
        }
        // Prove the directory is writable before any invoice is rendered: an
        // exclusive temporary file (a planted link is never followed), removed
        // when dropped.
        tempfile::Builder::new()
            .prefix(".kravia-invoice-probe.")
            .tempfile_in(&args.out_dir)
            .map_err(|e| format!("--out-dir {}: not writable: {e}", args.out_dir.display()))?;
        // Temporary files left by a killed run.
        kravia_invoice::file::remove_stale_temp_files(
            &args.out_dir,
            kravia_invoice::file::STALE_TEMP_AGE,
        );
        Ok(Setup {
            brand,
            template,
            options,
            out_dir: args.out_dir.clone(),
            skip_existing: args.skip_existing,
        })
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

// ---------------------------------------------------------------------------
// Input: a directory or an NDJSON stream, read in input order.

/// One input.
struct Job {
    index: usize,
    /// The file path, or `FILE:LINE`.
    input: String,
    payload: Payload,
}

enum Payload {
    /// A `{"transaction": …, "session": …}` document (an NDJSON line).
    Text(String),
    /// A `*.json` file of that form.
    File(PathBuf),
    /// A folder with `transaction.json` (and `session.json`).
    Folder(PathBuf),
    /// The line could not be read.
    Unreadable(String),
}

enum Source {
    Dir(Vec<(PathBuf, bool)>),
    Ndjson {
        label: String,
        reader: Box<dyn BufRead + Send>,
    },
}

impl Source {
    fn open(path: &Path) -> Result<Source, String> {
        if path.as_os_str() == "-" {
            return Ok(Source::Ndjson {
                label: "stdin".to_string(),
                reader: Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())),
            });
        }
        let meta =
            std::fs::metadata(path).map_err(|e| format!("--input {}: {e}", path.display()))?;
        if meta.is_dir() {
            let mut entries = Vec::new();
            let dir =
                std::fs::read_dir(path).map_err(|e| format!("--input {}: {e}", path.display()))?;
            for entry in dir {
                let entry = entry.map_err(|e| format!("--input {}: {e}", path.display()))?;
                let p = entry.path();
                if p.is_dir() {
                    if p.join("transaction.json").is_file() {
                        entries.push((p, true));
                    }
                } else if p.extension().is_some_and(|e| e == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                {
                    entries.push((p, false));
                }
            }
            entries.sort();
            Ok(Source::Dir(entries))
        } else {
            let f = std::fs::File::open(path)
                .map_err(|e| format!("--input {}: {e}", path.display()))?;
            Ok(Source::Ndjson {
                label: path.display().to_string(),
                reader: Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            })
        }
    }

    fn known_len(&self) -> Option<u64> {
        match self {
            Source::Dir(e) => Some(e.len() as u64),
            Source::Ndjson { .. } => None,
        }
    }

    /// Sends every input, in order; returns an error that broke the input off.
    fn feed(self, jobs: &SyncSender<Job>) -> Option<String> {
        match self {
            Source::Dir(entries) => {
                for (index, (path, is_folder)) in entries.into_iter().enumerate() {
                    let job = Job {
                        index,
                        input: path.display().to_string(),
                        payload: if is_folder {
                            Payload::Folder(path)
                        } else {
                            Payload::File(path)
                        },
                    };
                    if jobs.send(job).is_err() {
                        return Some("the workers stopped unexpectedly".to_string());
                    }
                }
                None
            }
            Source::Ndjson { label, mut reader } => {
                let mut index = 0;
                let mut line_no = 0usize;
                loop {
                    let mut buf = Vec::new();
                    match reader.read_until(b'\n', &mut buf) {
                        Ok(0) => return None,
                        Ok(_) => {}
                        Err(e) => return Some(format!("reading {label}: {e}")),
                    }
                    line_no += 1;
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let payload = match String::from_utf8(buf) {
                        Ok(s) => Payload::Text(s),
                        Err(e) => Payload::Unreadable(format!(
                            "the line is not UTF-8 (byte {})",
                            e.utf8_error().valid_up_to() + 1
                        )),
                    };
                    let job = Job {
                        index,
                        input: format!("{label}:{line_no}"),
                        payload,
                    };
                    if jobs.send(job).is_err() {
                        return Some("the workers stopped unexpectedly".to_string());
                    }
                    index += 1;
                }
            }
        }
    }
}

/// The `{"transaction": …, "session": …}` form.
#[derive(Deserialize)]
struct Pair {
    transaction: Transaction,
    #[serde(default)]
    session: Option<Session>,
}

/// Parses one `{transaction, session}` document; errors name the field.
///
/// Plain serde_json first (about half the cost of tracking the path); only
/// a document that fails is parsed again to find the field.
fn parse_pair(text: &str) -> Result<Pair, (String, String)> {
    if let Ok(pair) = serde_json::from_str::<Pair>(text) {
        return Ok(pair);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let pair: Pair = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let path = if path == "." { String::new() } else { path };
        (path, json_message(&inner))
    })?;
    de.end().map_err(|e| (String::new(), json_message(&e)))?;
    Ok(pair)
}

fn json_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
    format!(
        "malformed input at line {} column {}: {msg}",
        e.line(),
        e.column()
    )
}

fn read_text(path: &Path) -> Result<String, (String, String)> {
    // Only a regular file, bounded: a FIFO in the folder must not hang the run.
    kravia_invoice::file::read_text(path, kravia_invoice::file::MAX_DOCUMENT_BYTES)
        .map_err(|e| (String::new(), e.to_string()))
}

/// Parses one input into its documents.
fn load(payload: Payload) -> Result<(Transaction, Option<Session>), (String, String)> {
    match payload {
        Payload::Text(text) => parse_pair(&text).map(|p| (p.transaction, p.session)),
        Payload::File(path) => parse_pair(&read_text(&path)?).map(|p| (p.transaction, p.session)),
        Payload::Folder(dir) => {
            let t = dir.join("transaction.json");
            let transaction = Transaction::from_json(&read_text(&t)?)
                .map_err(|e| (e.field.trim_end_matches(": ").to_string(), e.to_string()))?;
            let s = dir.join("session.json");
            let session = if s.is_file() {
                Some(
                    Session::from_json(&read_text(&s)?)
                        .map_err(|e| (e.field.trim_end_matches(": ").to_string(), e.to_string()))?,
                )
            } else {
                None
            };
            Ok((transaction, session))
        }
        Payload::Unreadable(message) => Err((String::new(), message)),
    }
}

// ---------------------------------------------------------------------------
// Workers.

fn worker(
    jobs: &Mutex<Receiver<Job>>,
    results: &Sender<(usize, Entry)>,
    pdfs: &SyncSender<Rendered>,
    setup: &Setup,
    namer: &Namer,
) {
    loop {
        let job = {
            let rx = jobs.lock().unwrap_or_else(PoisonError::into_inner);
            rx.recv()
        };
        let Ok(job) = job else { return };
        let index = job.index;
        let sent = match process(job, setup, namer) {
            Ok(rendered) => pdfs.send(rendered).map_err(drop),
            Err(entry) => results.send((index, entry)).map_err(drop),
        };
        if sent.is_err() {
            return;
        }
    }
}

/// A rendered invoice on its way to a writer.
struct Rendered {
    index: usize,
    input: String,
    path: PathBuf,
    pdf: Vec<u8>,
}

/// How many threads write files. Each write waits for `fsync` (about 4 ms
/// alone on the reference machine's ext4); concurrent `fsync`s share journal
/// commits, so 8 writers keep 2 render threads busy (10,000 invoices: 11 s
/// with 2 writers, 7 s with 8).
fn writers_for(jobs: usize) -> usize {
    (jobs * 4).clamp(8, 32)
}

/// Writes rendered invoices atomically (temporary file, `fsync`, rename).
fn writer(pdfs: &Mutex<Receiver<Rendered>>, results: &Sender<(usize, Entry)>) {
    loop {
        let item = {
            let rx = pdfs.lock().unwrap_or_else(PoisonError::into_inner);
            rx.recv()
        };
        let Ok(Rendered {
            index,
            input,
            path,
            pdf,
        }) = item
        else {
            return;
        };
        let entry = match write_atomic(&path, &pdf) {
            Ok(()) => Entry::new(
                input,
                Status::Rendered {
                    output: path.display().to_string(),
                },
            ),
            Err(e) => Entry::fatal(input, "", &e),
        };
        drop(pdf);
        if results.send((index, entry)).is_err() {
            return;
        }
    }
}

/// One input up to its PDF: `Ok` a PDF for the writers, `Err` the input's
/// final result (failed, or skipped). Claims exactly one name slot (possibly
/// empty) so that the inputs after it are never kept waiting.
fn process(job: Job, setup: &Setup, namer: &Namer) -> Result<Rendered, Entry> {
    let Job {
        index,
        input,
        payload,
    } = job;
    let verified = catch_unwind(AssertUnwindSafe(|| {
        let (tx, session) = load(payload).map_err(|(path, message)| Early::Fatal(path, message))?;
        verify(&tx, session.as_ref(), Some(&setup.brand))
            .map_err(|report| Early::Rejected(report.errors.iter().map(ErrorOut::from).collect()))
    }));
    let invoice = match verified {
        Ok(Ok(inv)) => inv,
        Ok(Err(early)) => {
            namer.claim(index, None);
            return Err(match early {
                Early::Rejected(errors) => Entry::failed(input, errors),
                Early::Fatal(path, message) => Entry::fatal(input, &path, &message),
            });
        }
        Err(_) => {
            namer.claim(index, None);
            return Err(Entry::fatal(
                input,
                "",
                "internal error while reading the input",
            ));
        }
    };
    let name = namer
        .claim(index, Some(safe_stem(&invoice.invoice_number)))
        .unwrap_or_default();
    let path = setup.out_dir.join(&name);
    // Only a complete PDF counts as done: not an empty or cut-short file,
    // garbage, or a directory of that name.
    if setup.skip_existing && kravia_invoice::file::is_complete_pdf(&path) {
        let output = path.display().to_string();
        return Err(Entry::new(input, Status::Skipped { output }));
    }
    let rendered = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<u8>, String> {
        let locale =
            resolve_locale(&invoice, &setup.brand, &setup.options).map_err(|e| e.to_string())?;
        let doc = kravia_invoice::layout::layout(&invoice, &setup.brand, &setup.template, locale)
            .map_err(|e| format!("layout: {e}"))?;
        read_back(&doc, &invoice, locale).map_err(|e| e.to_string())?;
        kravia_invoice::pdf::write(&doc, &setup.options.pdf).map_err(|e| e.to_string())
    }));
    let message = match rendered {
        Ok(Ok(pdf)) => {
            return Ok(Rendered {
                index,
                input,
                path,
                pdf,
            });
        }
        Ok(Err(e)) => format!("rendering invoice {}: {e}", invoice.invoice_number),
        Err(_) => format!(
            "rendering invoice {}: internal error",
            invoice.invoice_number
        ),
    };
    Err(Entry::fatal(input, "", &message))
}

/// Why an input ended before rendering.
enum Early {
    /// Malformed or unreadable: the field path (may be empty) and the message.
    Fatal(String, String),
    /// The verify report's errors.
    Rejected(Vec<ErrorOut>),
}

/// The file name stem for an invoice number: `[A-Za-z0-9._-]` kept, every
/// other character `_`; never empty.
pub fn safe_stem(invoice_number: &str) -> String {
    let mut s: String = invoice_number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.truncate(MAX_STEM);
    if s.is_empty() {
        s.push('_');
    }
    s
}

/// Hands out unique file names in input order, whatever order the workers
/// finish verifying in.
#[derive(Default)]
struct Namer {
    state: Mutex<NamerState>,
    ready: Condvar,
}

#[derive(Default)]
struct NamerState {
    /// The next input index to be named.
    next: usize,
    /// Claims that arrived before their turn: index → stem.
    waiting: BTreeMap<usize, Option<String>>,
    /// Names given but not yet collected by their worker.
    given: HashMap<usize, Option<String>>,
    /// Every file name used in this run.
    used: HashSet<String>,
    /// Per stem, the next suffix to try.
    suffix: HashMap<String, u32>,
}

impl NamerState {
    fn name(&mut self, stem: &str) -> String {
        let first = format!("{stem}.pdf");
        if self.used.insert(first.clone()) {
            return first;
        }
        let n = self.suffix.entry(stem.to_string()).or_insert(2);
        loop {
            let candidate = format!("{stem}-{n}.pdf");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

impl Namer {
    /// Records input `index`'s stem (`None`: it produces no file) and waits
    /// until every earlier input has been named; returns the file name.
    fn claim(&self, index: usize, stem: Option<String>) -> Option<String> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.waiting.insert(index, stem);
        let mut advanced = false;
        loop {
            let next = st.next;
            let Some(stem) = st.waiting.remove(&next) else {
                break;
            };
            let name = stem.map(|s| st.name(&s));
            st.given.insert(next, name);
            st.next += 1;
            advanced = true;
        }
        if advanced {
            self.ready.notify_all();
        }
        loop {
            if let Some(name) = st.given.remove(&index) {
                return name;
            }
            st = self.ready.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

// ---------------------------------------------------------------------------
// Results and the summary.

/// One finding of a failed input.
#[derive(Debug, Serialize)]
struct ErrorOut {
    code: Cow<'static, str>,
    path: String,
    message: String,
}

impl From<&Finding> for ErrorOut {
    fn from(f: &Finding) -> ErrorOut {
        ErrorOut {
            code: Cow::Borrowed(f.code.as_str()),
            path: f.path.clone(),
            message: f.message.clone(),
        }
    }
}

/// How one input ended.
#[derive(Debug)]
enum Status {
    Rendered { output: String },
    Skipped { output: String },
    Failed { errors: Vec<ErrorOut> },
}

/// One input's result, in the summary's `results`.
#[derive(Debug)]
struct Entry {
    input: String,
    status: Status,
}

impl Entry {
    fn new(input: String, status: Status) -> Entry {
        Entry { input, status }
    }

    fn failed(input: String, errors: Vec<ErrorOut>) -> Entry {
        Entry::new(input, Status::Failed { errors })
    }

    fn fatal(input: String, path: &str, message: &str) -> Entry {
        Entry::failed(
            input,
            vec![ErrorOut {
                code: Cow::Borrowed("fatal"),
                path: path.to_string(),
                message: message.to_string(),
            }],
        )
    }
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("input", &self.input)?;
        match &self.status {
            Status::Rendered { output } => {
                m.serialize_entry("ok", &true)?;
                m.serialize_entry("output", output)?;
            }
            Status::Skipped { output } => {
                m.serialize_entry("ok", &true)?;
                m.serialize_entry("output", output)?;
                m.serialize_entry("skipped", &true)?;
            }
            Status::Failed { errors } => {
                m.serialize_entry("ok", &false)?;
                m.serialize_entry("errors", errors)?;
            }
        }
        m.end()
    }
}

/// The `--json` summary.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    rendered: usize,
    failed: usize,
    skipped: usize,
    results: &'a [Entry],
}

impl Summary<'_> {
    fn of(results: &[Entry]) -> Summary<'_> {
        let count = |f: fn(&Status) -> bool| results.iter().filter(|e| f(&e.status)).count();
        Summary {
            rendered: count(|s| matches!(s, Status::Rendered { .. })),
            failed: count(|s| matches!(s, Status::Failed { .. })),
            skipped: count(|s| matches!(s, Status::Skipped { .. })),
            results,
        }
    }
}

fn print_human(out: &mut Printer, summary: &Summary<'_>, out_dir: &Path, took: Duration) {
    for e in summary.results {
        if let Status::Failed { errors } = &e.status {
            out.stderr_line(&format!("failed  {}", e.input));
            for f in errors {
                if f.path.is_empty() {
                    out.stderr_line(&format!("        {}  {}", f.code, f.message));
                } else {
                    out.stderr_line(&format!("        {}  {}  {}", f.code, f.path, f.message));
                }
            }
        }
    }
    let secs = took.as_secs_f64();
    let total = summary.results.len();
    out.stderr_line(&format!(
        "batch: {} rendered, {} failed, {} skipped of {total} in {secs:.2} s ({:.0} invoices/s) → {}",
        summary.rendered,
        summary.failed,
        summary.skipped,
        if secs > 0.0 { total as f64 / secs } else { 0.0 },
        out_dir.display()
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_stems() {
        assert_eq!(safe_stem("KJ65C-190025"), "KJ65C-190025");
        assert_eq!(safe_stem("2026/05 #1"), "2026_05__1");
        assert_eq!(safe_stem("Åkle"), "_kle");
        assert_eq!(safe_stem(""), "_");
        assert_eq!(safe_stem("a.b_c-d"), "a.b_c-d");
    }

    #[test]
    fn names_are_unique_in_input_order() {
        let namer = Namer::default();
        std::thread::scope(|s| {
            let h3 = s.spawn(|| namer.claim(3, Some("A-2".into())));
            let h2 = s.spawn(|| namer.claim(2, Some("A".into())));
            let h1 = s.spawn(|| namer.claim(1, None));
            let h0 = namer.claim(0, Some("A".into()));
            assert_eq!(h0.as_deref(), Some("A.pdf"));
            assert_eq!(h1.join().ok().flatten(), None);
            assert_eq!(h2.join().ok().flatten().as_deref(), Some("A-2.pdf"));
            assert_eq!(h3.join().ok().flatten().as_deref(), Some("A-2-2.pdf"));
        });
    }
}
