//! Where output goes: the product on stdout, messages on stderr; a closed pipe
//! ends quietly.

use std::io::Write;

use kravia_invoice::error::{Error, ErrorKind, ResultExt};

use super::exit::Outcome;
use super::json::{FatalDoc, to_line};

/// Writes to stdout and stderr; remembers a broken pipe.
#[derive(Debug, Default)]
pub struct Printer {
    /// JSON goes to stderr (the PDF is on stdout).
    pub json_to_stderr: bool,
}

impl Printer {
    /// A line of product on stdout (ignoring a closed pipe).
    pub fn stdout_line(&mut self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
    }

    /// Raw bytes on stdout.
    pub fn stdout_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    /// A JSON document: stdout, or stderr when stdout carries a PDF.
    pub fn json_line(&mut self, line: &str) {
        if self.json_to_stderr {
            self.stderr_line(line);
        } else {
            self.stdout_line(line);
        }
    }

    /// A message on stderr.
    pub fn stderr_line(&mut self, line: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    /// Reports a failure that is not about the documents (exit 1).
    pub fn fatal(&mut self, json: bool, error: &dyn std::fmt::Display) -> Outcome {
        let message = error.to_string();
        if json {
            self.json_line(&to_line(&FatalDoc::new(&message)));
        } else {
            self.stderr_line(&format!("kravia-invoice: error: {message}"));
        }
        Outcome::Failed
    }
}

/// Writes `bytes` to `path` so that no half-written file can exist: a temporary
/// file beside it, flushed to disk, then renamed into place (replacing an
/// existing file only now); the temporary file is removed on failure.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!("--output {}: not a file name", path.display()),
            )
        })?;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::wrap(ErrorKind::Output, e).context(format!("writing {}", path.display()))
    })
}

/// One finding as the CLI prints it everywhere (check, render, batch):
/// `  error   vat_mismatch  session.order.vat_amount` and the message indented
/// on the next line.
pub fn finding_text(severity: &str, code: &str, path: &str, message: &str) -> String {
    let head = if path.is_empty() {
        format!("  {severity:<7} {code}")
    } else {
        format!("  {severity:<7} {code}  {path}")
    };
    format!("{head}\n          {message}")
}

/// Every error, then every warning, as [`finding_text`].
pub fn findings_text(
    errors: &[kravia_invoice::verify::Finding],
    warnings: &[kravia_invoice::verify::Finding],
) -> Vec<String> {
    let text = |sev: &str, f: &kravia_invoice::verify::Finding| {
        finding_text(sev, f.code.as_str(), &f.path, &f.message)
    };
    errors
        .iter()
        .map(|f| text("error", f))
        .chain(warnings.iter().map(|f| text("warning", f)))
        .collect()
}

impl Printer {
    /// Reports a verification failure (exit 2): the JSON report, or the findings
    /// on stderr; nothing was written.
    pub fn rejected(&mut self, json: bool, report: &kravia_invoice::Report) -> Outcome {
        if json {
            self.json_line(&to_line(&super::json::CheckDoc {
                ok: false,
                invoice_number: report.invoice_number.as_deref(),
                errors: &report.errors,
                warnings: &report.warnings,
                output: None,
            }));
        } else {
            let n = report.errors.len();
            self.stderr_line(&format!(
                "kravia-invoice: invoice {} failed {n} check{}; no PDF was written",
                report.invoice_number.as_deref().unwrap_or("(no number)"),
                if n == 1 { "" } else { "s" }
            ));
            for line in findings_text(&report.errors, &report.warnings) {
                self.stderr_line(&line);
            }
        }
        Outcome::Rejected
    }

    /// Writes a rendered PDF to `output` (`-` for stdout, else atomically) and
    /// reports success: the JSON document, or warnings and a line on stderr.
    pub fn deliver(
        &mut self,
        json: bool,
        output: &std::path::Path,
        pdf: &[u8],
        invoice: &kravia_invoice::VerifiedInvoice,
    ) -> Outcome {
        let to_stdout = output.as_os_str() == "-";
        let written = if to_stdout {
            self.stdout_bytes(pdf)
                .context(ErrorKind::Output, "writing the PDF to stdout")
        } else {
            write_atomic(output, pdf)
        };
        if let Err(e) = written {
            return self.fatal(json, &e);
        }
        let shown = output.display().to_string();
        if json {
            self.json_line(&to_line(&super::json::CheckDoc {
                ok: true,
                invoice_number: Some(&invoice.invoice_number),
                errors: &[],
                warnings: &invoice.warnings,
                output: Some(&shown),
            }));
        } else {
            for line in findings_text(&[], &invoice.warnings) {
                self.stderr_line(&line);
            }
            if !to_stdout {
                self.stderr_line(&format!(
                    "wrote invoice {} to {shown} ({} bytes)",
                    invoice.invoice_number,
                    pdf.len()
                ));
            }
        }
        Outcome::Done
    }
}
