//! The batch's pipeline: the [`Setup`] resolved once per run (the prepared
//! [`Renderer`] and the output folder), render workers and file writers.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Mutex, PoisonError};

use kravia_invoice::error::{Error, ErrorKind, ResultExt};
use kravia_invoice::locale::Locale;
use kravia_invoice::render::{RenderOptions, Renderer};
use kravia_invoice::template::TemplateSource;

use super::credit::{Credits, Verified};
use super::names::{Namer, safe_stem};
use super::source::{Job, load};
use super::summary::{Entry, ErrorOut, Status};
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
        let renderer = Renderer::new(brand, options)?;
        let dir = args.out_dir.display().to_string();
        std::fs::create_dir_all(&args.out_dir)
            .with_context(ErrorKind::Output, || format!("--out-dir {dir}"))?;
        if !args.out_dir.is_dir() {
            return Err(Error::new(
                ErrorKind::Output,
                format!("--out-dir {dir}: not a directory"),
            ));
        }
        // Prove the directory is writable before any invoice is rendered.
        let probe = args
            .out_dir
            .join(format!(".kravia-invoice-probe.{}", std::process::id()));
        std::fs::write(&probe, b"").with_context(ErrorKind::Output, || {
            format!("--out-dir {dir}: not writable")
        })?;
        let _ = std::fs::remove_file(&probe);
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
pub(super) struct Rendered {
    pub(super) index: usize,
    pub(super) input: String,
    pub(super) path: PathBuf,
    pub(super) pdf: Vec<u8>,
    /// The e-invoice (`--ubl`), written as `<name>.xml` with the PDF.
    pub(super) ubl: Option<Vec<u8>>,
    /// The credit note's number, when it is one.
    pub(super) credit_number: Option<String>,
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
        }) = item
        else {
            return;
        };
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
            Err(e) => Entry::fatal(input, "", &e.to_string()),
        }
        .with_credit(credit_number);
        drop(pdf);
        if results.send((index, entry)).is_err() {
            return;
        }
    }
}

/// One input up to its PDF: `Ok` a PDF for the writers, `Err` the input's
/// final result (failed, or skipped). Claims exactly one name slot (possibly
/// empty) so that the inputs after it are never kept waiting, and with
/// `--credit-notes` exactly one place in the credit series.
fn process(job: Job, setup: &Setup, namer: &Namer) -> Result<Rendered, Entry> {
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
            Verified::verify(&setup.renderer, tx, session, credit_number.as_deref()).map_err(
                |report| Early::Rejected(report.errors.iter().map(ErrorOut::from).collect()),
            )
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
                Early::Rejected(errors) => Entry::failed(input, errors),
                Early::Fatal(path, message) => Entry::fatal(input, &path, &message),
            };
            return Err(entry.with_credit(credit_number));
        }
    };
    let name = namer
        .claim(index, Some(safe_stem(doc.number())))
        .unwrap_or_default();
    let path = setup.out_dir.join(&name);
    let xml_exists = || !setup.ubl || path.with_extension("xml").exists();
    if setup.skip_existing && path.exists() && xml_exists() {
        let output = path.display().to_string();
        return Err(Entry::new(input, Status::Skipped { output }).with_credit(credit_number));
    }
    let rendered = catch_unwind(AssertUnwindSafe(|| doc.render(&setup.renderer)));
    let message = match rendered {
        Ok(Ok(pdf)) => {
            // The e-invoice is for invoices; a credit note gets none (its
            // PEPPOL CreditNote is not written yet).
            let made = match (&doc, setup.ubl) {
                (super::credit::Verified::Invoice(invoice), true) => {
                    Some(crate::cli::ubl::make(invoice, &pdf))
                }
                _ => None,
            };
            let ubl = match made {
                Some(Err(e)) => return Err(Entry::fatal(input, "", &e)),
                made => made.and_then(Result::ok),
            };
            return Ok(Rendered {
                index,
                input,
                path,
                pdf,
                ubl,
                credit_number: doc.credit_number(),
            });
        }
        Ok(Err(e)) => format!("rendering {}: {e}", doc.what()),
        Err(_) => format!("rendering {}: internal error", doc.what()),
    };
    Err(Entry::fatal(input, "", &message).with_credit(credit_number))
}

/// Why an input ended before rendering.
enum Early {
    /// Malformed or unreadable: the field path (may be empty) and the message.
    Fatal(String, String),
    /// The verify report's errors.
    Rejected(Vec<ErrorOut>),
}
