//! Each input's result and the run's summary (JSON or human).

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use kravia_invoice::verify::Finding;

use crate::cli::output::Printer;

/// One finding of a failed input.
#[derive(Debug, Serialize)]
pub(super) struct ErrorOut {
    pub(super) code: Cow<'static, str>,
    pub(super) path: String,
    pub(super) message: String,
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
pub(super) enum Status {
    Rendered { output: String },
    Skipped { output: String },
    Failed { errors: Vec<ErrorOut> },
}

/// One input's result, in the summary's `results`.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) input: String,
    pub(super) status: Status,
    /// `--credit-notes`: the number of the input's credit note.
    pub(super) credit_number: Option<String>,
}

impl Entry {
    pub(super) fn new(input: String, status: Status) -> Entry {
        Entry {
            input,
            status,
            credit_number: None,
        }
    }

    /// The entry of a credit note numbered `number` (`None`: an invoice).
    pub(super) fn with_credit(mut self, number: Option<String>) -> Entry {
        self.credit_number = number;
        self
    }

    pub(super) fn failed(input: String, errors: Vec<ErrorOut>) -> Entry {
        Entry::new(input, Status::Failed { errors })
    }

    pub(super) fn fatal(input: String, path: &str, message: &str) -> Entry {
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
        if let Some(n) = &self.credit_number {
            m.serialize_entry("credit_number", n)?;
        }
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
pub(super) struct Summary<'a> {
    pub(super) rendered: usize,
    pub(super) failed: usize,
    pub(super) skipped: usize,
    pub(super) results: &'a [Entry],
}

impl Summary<'_> {
    pub(super) fn of(results: &[Entry]) -> Summary<'_> {
        let count = |f: fn(&Status) -> bool| results.iter().filter(|e| f(&e.status)).count();
        Summary {
            rendered: count(|s| matches!(s, Status::Rendered { .. })),
            failed: count(|s| matches!(s, Status::Failed { .. })),
            skipped: count(|s| matches!(s, Status::Skipped { .. })),
            results,
        }
    }
}

pub(super) fn print_human(
    out: &mut Printer,
    summary: &Summary<'_>,
    out_dir: &Path,
    took: Duration,
) {
    for e in summary.results {
        if let Status::Failed { errors } = &e.status {
            out.stderr_line(&format!("failed  {}", e.input));
            for f in errors {
                out.stderr_line(&crate::cli::output::finding_text(
                    "error", &f.code, &f.path, &f.message,
                ));
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
