//! `credit-note`: verify the voided transaction's invoice and what was voided,
//! then draw the credit note and write it atomically: the same exit codes,
//! JSON and write path as `render`.

use kravia_invoice::Report;
use kravia_invoice::error::{Error, ErrorKind, ResultExt};
use kravia_invoice::render::{RenderOptions, Renderer};
use kravia_invoice::template::TemplateSource;
use kravia_invoice::verify::{VerifiedCreditNote, verify_credit};

use crate::cli::args::CreditNoteArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::json::{CreditDoc, to_line};
use crate::cli::output::{Printer, findings_text, write_atomic};

/// Runs `credit-note`.
pub fn run(args: &CreditNoteArgs, out: &mut Printer) -> Outcome {
    out.json_to_stderr = args.output.as_os_str() == "-";
    let docs = match input::docs(&args.docs) {
        Ok(d) => d,
        Err(e) => return out.fatal(args.json, &e),
    };
    let brand = match input::brand(&args.brand) {
        Ok(b) => b,
        Err(e) => return out.fatal(args.json, &e),
    };
    let mut options = RenderOptions::default();
    if let Some(l) = &args.locale {
        match l.parse() {
            Ok(l) => options.locale = Some(l),
            Err(e) => {
                return out.fatal(
                    args.json,
                    &Error::wrap(ErrorKind::Usage, e).context("--locale"),
                );
            }
        }
    }
    options.template = args.template.as_deref().map(TemplateSource::from_arg);

    let note = match verify_credit(
        &docs.transaction,
        docs.session.as_ref(),
        &brand,
        &args.number,
    ) {
        Ok(n) => n,
        Err(report) => return rejected(out, args, &report),
    };
    let renderer = match Renderer::new(brand, options) {
        Ok(r) => r,
        Err(e) => return out.fatal(args.json, &e),
    };
    if args.dump_layout {
        return match renderer.dump_layout_credit(&note) {
            Ok(text) => {
                out.stdout_line(&text);
                Outcome::Done
            }
            Err(e) => out.fatal(args.json, &e),
        };
    }
    let pdf = match renderer.render_credit(&note) {
        Ok(b) => b,
        Err(e) => {
            return out.fatal(
                args.json,
                &format!("rendering credit note {}: {e}", note.credit_number),
            );
        }
    };
    deliver(out, args, &pdf, &note)
}

/// A verification failure (exit 2): the JSON report, or the findings on
/// stderr; nothing was written.
fn rejected(out: &mut Printer, args: &CreditNoteArgs, report: &Report) -> Outcome {
    if args.json {
        out.json_line(&to_line(&CreditDoc {
            ok: false,
            invoice_number: report.invoice_number.as_deref(),
            credit_number: &args.number,
            errors: &report.errors,
            warnings: &report.warnings,
            output: None,
        }));
    } else {
        let n = report.errors.len();
        out.stderr_line(&format!(
            "kravia-invoice: credit note {:?} for invoice {} failed {n} check{}; no PDF was written",
            args.number,
            report.invoice_number.as_deref().unwrap_or("(no number)"),
            if n == 1 { "" } else { "s" }
        ));
        for line in findings_text(&report.errors, &report.warnings) {
            out.stderr_line(&line);
        }
    }
    Outcome::Rejected
}

/// Writes the PDF to `--output` (`-` for stdout, else atomically) and reports
/// success.
fn deliver(
    out: &mut Printer,
    args: &CreditNoteArgs,
    pdf: &[u8],
    note: &VerifiedCreditNote,
) -> Outcome {
    let output = &args.output;
    let to_stdout = output.as_os_str() == "-";
    let written = if to_stdout {
        out.stdout_bytes(pdf)
            .context(ErrorKind::Output, "writing the PDF to stdout")
    } else {
        write_atomic(output, pdf)
    };
    if let Err(e) = written {
        return out.fatal(args.json, &e);
    }
    let shown = output.display().to_string();
    if args.json {
        out.json_line(&to_line(&CreditDoc {
            ok: true,
            invoice_number: Some(&note.invoice.invoice_number),
            credit_number: &note.credit_number,
            errors: &[],
            warnings: &note.warnings,
            output: Some(&shown),
        }));
    } else {
        for line in findings_text(&[], &note.warnings) {
            out.stderr_line(&line);
        }
        if !to_stdout {
            out.stderr_line(&format!(
                "wrote credit note {} (crediting invoice {}) to {shown} ({} bytes)",
                note.credit_number,
                note.invoice.invoice_number,
                pdf.len()
            ));
        }
    }
    Outcome::Done
}
