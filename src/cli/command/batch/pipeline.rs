//! The batch's pipeline: the [`Setup`] resolved once per run (the prepared
//! [`Renderer`] and the output folder), render workers and file writers.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use kravia_invoice::dintero::{Metadata, metadata};

use kravia_invoice::error::{Error, ErrorKind, ResultExt};
use kravia_invoice::locale::Locale;
use kravia_invoice::render::{RenderOptions, Renderer};
use kravia_invoice::template::TemplateSource;

use super::credit::{Credits, Verified};
use super::interrupt;
use super::names::{Claim, Clash, Namer, safe_stem};
use super::source::{Job, load};
use super::summary::{DUPLICATE_NUMBER, Entry, ErrorOut, NAME_TAKEN, Status};
use crate::cli::args::BatchArgs;
use crate::cli::input;
use crate::cli::output::write_atomic;

/// What every worker shares, resolved once.
pub(super) struct Setup {
    pub(super) renderer: Renderer,
    pub(super) out_dir: PathBuf,
    pub(super) skip_existing: bool,
    /// `--ubl`: write `<name>.xml` (the e-invoice) beside each PDF.
    pub(super) ubl: bool,
    /// `--credit-notes`: the credit series.
    pub(super) credits: Option<Credits>,
}

impl Setup {
    pub(super) fn new(args: &BatchArgs) -> Result<Setup, Error> {
        let brand = input::brand(&args.brand)?;
        let mut options = RenderOptions::default();
        if let Some(l) = &args.locale {
            options.locale = Some(l.parse::<Locale>().context(ErrorKind::Usage, "--locale")?);
        }
        options.template = args.template.as_deref().map(TemplateSource::from_arg);
        options.verify.delivery_date = args.delivery_date;
        options.strict_glyphs = args.strict_glyphs;
        options.pdf.pdfa = args.pdfa;
        let renderer = input::renderer(brand, options)?;
        let dir = args.out_dir.display().to_string();
        std::fs::create_dir_all(&args.out_dir).with_context(ErrorKind::Output, || {
            format!("--out-dir {dir}: cannot create the directory")
        })?;
        if !args.out_dir.is_dir() {
            return Err(Error::new(
                ErrorKind::Output,
                format!("--out-dir {dir}: not a directory"),
            ));
        }
        // Prove the directory is writable before any invoice is rendered: an
        // exclusive temporary file (a planted link is never followed), removed
        // when dropped.
        tempfile::Builder::new()
            .prefix(".kravia-invoice-probe.")
            .tempfile_in(&args.out_dir)
            .with_context(ErrorKind::Output, || {
                format!("--out-dir {dir}: not writable")
            })?;
        // Temporary files left by a killed run.
        kravia_invoice::file::remove_stale_temp_files(
            &args.out_dir,
            kravia_invoice::file::STALE_TEMP_AGE,
        );
        Ok(Setup {
            renderer,
            out_dir: args.out_dir.clone(),
            skip_existing: args.skip_existing,
            ubl: args.ubl,
            credits: Credits::new(
                args.credit_notes,
                args.credit_number_prefix.as_deref(),
                args.credit_number_start,
            ),
        })
    }
}

/// How often an idle worker looks whether the run was interrupted.
const POLL: Duration = Duration::from_millis(50);

pub(super) fn worker(
    jobs: &Mutex<Receiver<Job>>,
    results: &Sender<(usize, Entry)>,
    pdfs: &SyncSender<Rendered>,
    setup: &Setup,
    namer: &Namer,
) {
    loop {
        let job = {
            let rx = jobs.lock().unwrap_or_else(PoisonError::into_inner);
            rx.recv_timeout(POLL)
        };
        let job = match job {
            Ok(job) => job,
            // Interrupted and nothing read is waiting: done (the reader may
            // be blocked on a silent stdin; it is not waited for).
            Err(RecvTimeoutError::Timeout) if interrupt::level() >= interrupt::STOP_READING => {
                return;
            }
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let index = job.index;
        if interrupt::level() >= interrupt::STOP_NOW {
            // Dropped unrendered; its (empty) name slot and place in the
            // credit series keep later inputs from waiting for it.
            if let Some(c) = &setup.credits {
                c.number(index, None);
            }
            namer.claim(index, None);
            continue;
        }
        let sent = match process(job, setup, namer) {
            Ok(rendered) => pdfs.send(rendered).map_err(drop),
            Err(entry) => results.send((index, *entry)).map_err(drop),
        };
        if sent.is_err() {
            return;
        }
    }
}

/// A rendered invoice on its way to a writer.
pub(super) struct Rendered {
    pub(super) index: usize,
    pub(super) input: String,
    pub(super) path: PathBuf,
    pub(super) pdf: Vec<u8>,
    /// The e-invoice (`--ubl`), written as `<name>.xml` with the PDF.
    pub(super) ubl: Option<Vec<u8>>,
    /// The credit note's number, when it is one.
    pub(super) credit_number: Option<String>,
    /// The invoice number (of the invoice credited, for a credit note).
    pub(super) invoice_number: String,
    pub(super) warnings: Vec<ErrorOut>,
}

/// How many threads write files. Each write waits for `fsync` (about 4 ms
/// alone on the reference machine's ext4); concurrent `fsync`s share journal
/// commits, so 8 writers keep 2 render threads busy (10,000 invoices: 11 s
/// with 2 writers, 7 s with 8).
pub(super) fn writers_for(jobs: usize) -> usize {
    (jobs * 4).clamp(8, 32)
}

/// Writes rendered invoices atomically (temporary file, `fsync`, rename).
pub(super) fn writer(pdfs: &Mutex<Receiver<Rendered>>, results: &Sender<(usize, Entry)>) {
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
            ubl,
            credit_number,
            invoice_number,
            warnings,
        }) = item
        else {
            return;
        };
        if interrupt::level() >= interrupt::STOP_NOW {
            // Stopping at once: only the writes already begun finish.
            continue;
        }
        // While the writes run, a third Ctrl-C knows their temporary files.
        let writing = interrupt::writing(&path);
        let writing_xml = ubl
            .as_ref()
            .map(|_| interrupt::writing(&path.with_extension("xml")));
        let written = match &ubl {
            Some(xml) => crate::cli::ubl::write_files(&path, &pdf, xml),
            None => write_atomic(&path, &pdf).map_err(|e| e.to_string()),
        };
        let entry = match written {
            Ok(()) => Entry::new(
                input,
                Status::Rendered {
                    output: path.display().to_string(),
                },
            ),
            Err(e) => Entry::fatal(input, "", &e),
        }
        .with_credit(credit_number)
        .numbered(Some(invoice_number));
        drop((writing, writing_xml));
        drop(pdf);
        let mut entry = entry;
        entry.warnings = warnings;
        if results.send((index, entry)).is_err() {
            return;
        }
    }
}

/// One input up to its PDF: `Ok` a PDF for the writers, `Err` the input's
/// final result (failed, or skipped; boxed, it is the larger). Claims exactly one name slot (possibly
/// empty) so that the inputs after it are never kept waiting, and with
/// `--credit-notes` exactly one place in the credit series.
fn process(job: Job, setup: &Setup, namer: &Namer) -> Result<Rendered, Box<Entry>> {
    let Job {
        index,
        input,
        payload,
    } = job;
    let loaded = match catch_unwind(AssertUnwindSafe(|| load(payload))) {
        Ok(Ok(docs)) => Ok(docs),
        Ok(Err((path, message))) => Err(Early::Fatal(path, message)),
        Err(_) => Err(Early::Fatal(
            String::new(),
            "internal error while reading the input".to_string(),
        )),
    };
    let credit_number = setup
        .credits
        .as_ref()
        .and_then(|c| c.number(index, loaded.as_ref().ok().map(|(tx, _)| tx)));
    let verified = loaded.and_then(|(tx, session)| {
        catch_unwind(AssertUnwindSafe(|| {
            Verified::verify(&setup.renderer, tx, session, credit_number.as_deref())
                .map_err(Early::Rejected)
        }))
        .unwrap_or_else(|_| {
            Err(Early::Fatal(
                String::new(),
                "internal error while verifying the input".to_string(),
            ))
        })
    });
    let doc = match verified {
        Ok(doc) => doc,
        Err(early) => {
            namer.claim(index, None);
            let entry = match early {
                Early::Rejected(report) => {
                    let mut e =
                        Entry::failed(input, report.errors.iter().map(ErrorOut::from).collect())
                            .numbered(report.invoice_number);
                    e.warnings = report.warnings.iter().map(ErrorOut::from).collect();
                    e
                }
                Early::Fatal(path, message) => Entry::fatal(input, &path, &message),
            };
            return Err(Box::new(entry.with_credit(credit_number)));
        }
    };
    let (invoice_number, doc_warnings) = match &doc {
        Verified::Invoice(i) => (i.invoice_number.clone(), &i.warnings),
        Verified::Credit(c) => (c.invoice.invoice_number.clone(), &c.warnings),
    };
    let mut warnings: Vec<ErrorOut> = doc_warnings.iter().map(ErrorOut::from).collect();
    let named = namer
        .claim(
            index,
            Some(Claim {
                stem: safe_stem(doc.number()),
                number: doc.number().to_string(),
                input: input.clone(),
            }),
        )
        .unwrap_or_default();
    if let Some(clash) = &named.clash {
        warnings.push(name_warning(&doc, &named.file, clash));
    }
    let name = named.file;
    let path = setup.out_dir.join(&name);
    let xml_exists = || !setup.ubl || path.with_extension("xml").exists();
    // Only a complete PDF counts as done: not an empty or cut-short file,
    // garbage, or a directory of that name.
    if setup.skip_existing && kravia_invoice::file::is_complete_pdf(&path) && xml_exists() {
        let output = path.display().to_string();
        let mut e = Entry::new(input, Status::Skipped { output })
            .with_credit(credit_number)
            .numbered(Some(invoice_number));
        e.warnings = warnings;
        return Err(Box::new(e));
    }
    let rendered = catch_unwind(AssertUnwindSafe(|| doc.render(&setup.renderer)));
    let message = match rendered {
        Ok(Ok(pdf)) => {
            // The e-invoice: an invoice's `Invoice`, a credit note's `CreditNote`.
            let made = match (&doc, setup.ubl) {
                (Verified::Invoice(invoice), true) => Some(crate::cli::ubl::make(invoice, &pdf)),
                (Verified::Credit(note), true) => Some(crate::cli::ubl::make_credit(
                    note,
                    setup.renderer.locale_for_credit(note),
                    &pdf,
                )),
                _ => None,
            };
            let ubl = match made {
                Some(Err(e)) => {
                    let e = Entry::fatal(input, "", &e).numbered(Some(invoice_number));
                    return Err(Box::new(e));
                }
                made => made.and_then(Result::ok),
            };
            return Ok(Rendered {
                index,
                input,
                path,
                pdf,
                ubl,
                credit_number: doc.credit_number(),
                invoice_number,
                warnings,
            });
        }
        Ok(Err(e)) => format!("rendering {}: {e}", doc.what()),
        Err(_) => format!("rendering {}: internal error", doc.what()),
    };
    Err(Box::new(
        Entry::fatal(input, "", &message)
            .with_credit(credit_number)
            .numbered(Some(invoice_number)),
    ))
}

/// The warning for an input whose file name an earlier input holds: the same
/// number twice, or two numbers with the same safe file name.
fn name_warning(doc: &Verified, file: &str, clash: &Clash) -> ErrorOut {
    let path = Metadata::path("transaction.metadata", metadata::INVOICE_NUMBER);
    let (number, kind) = match doc {
        Verified::Invoice(i) => (i.invoice_number.as_str(), "invoice number"),
        Verified::Credit(c) => (c.credit_number.as_str(), "credit note number"),
    };
    if clash.number == number {
        ErrorOut {
            code: Cow::Borrowed(DUPLICATE_NUMBER),
            path,
            message: format!(
                "{kind} {number} is also in {} (file {}); this one is written to {file}: \
                 one number should be one document",
                clash.input, clash.wanted
            ),
        }
    } else {
        ErrorOut {
            code: Cow::Borrowed(NAME_TAKEN),
            path,
            message: format!(
                "{} is already the file of {} (number {}); {kind} {number} is written to {file}",
                clash.wanted, clash.input, clash.number
            ),
        }
    }
}

/// Why an input ended before rendering.
enum Early {
    /// Malformed or unreadable: the field path (may be empty) and the message.
    Fatal(String, String),
    /// The verify report.
    Rejected(kravia_invoice::Report),
}
