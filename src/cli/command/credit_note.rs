//! `credit-note`: verify the voided transaction's invoice and what was voided,
//! then draw the credit note and write it atomically: the same exit codes,
//! JSON and write path as `render`.

use kravia_invoice::Report;
use kravia_invoice::error::{Error, ErrorKind, ResultExt};
use kravia_invoice::render::RenderOptions;
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
    if !args.dump_layout
        && let Err(e) = crate::cli::output::check_output(&args.output)
    {
        return out.fatal(args.json, &e);
    }
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
    let renderer = match input::renderer(brand, options) {
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
    if let Some(ubl) = &args.ubl
        && let Err(e) = crate::cli::ubl::check_paths(&args.output, ubl)
    {
        return out.fatal(args.json, &e);
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
    let xml = match &args.ubl {
        Some(_) => {
            let locale = renderer.locale_for_credit(&note);
            match crate::cli::ubl::make_credit(&note, locale, &pdf) {
                Ok(x) => Some(x),
                Err(e) => return out.fatal(args.json, &e),
            }
        }
        None => None,
    };
    deliver(out, args, &pdf, xml.as_deref(), &note)
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

/// Writes the PDF to `--output` (`-` for stdout, else atomically), with the
/// UBL (`--ubl`) both or neither, and reports success.
fn deliver(
    out: &mut Printer,
    args: &CreditNoteArgs,
    pdf: &[u8],
    xml: Option<&[u8]>,
    note: &VerifiedCreditNote,
) -> Outcome {
    let output = &args.output;
    let to_stdout = output.as_os_str() == "-";
    let written = match (xml, &args.ubl) {
        (Some(xml), Some(ubl)) => crate::cli::ubl::write_both(out, output, pdf, ubl, xml)
            .map_err(|e| Error::new(ErrorKind::Output, e)),
        _ if to_stdout => out
            .stdout_bytes(pdf)
            .context(ErrorKind::Output, "writing the PDF to stdout"),
        _ => write_atomic(output, pdf),
    };
    if let Err(e) = written {
        return out.fatal(args.json, &e);
    }
    let shown = output.display().to_string();
    let ubl_shown = args.ubl.as_ref().map(|p| p.display().to_string());
    if args.json {
        let doc = CreditDoc {
            ok: true,
            invoice_number: Some(&note.invoice.invoice_number),
            credit_number: &note.credit_number,
            errors: &[],
            warnings: &note.warnings,
            output: Some(&shown),
        };
        let line = match (&ubl_shown, serde_json::to_value(&doc)) {
            (Some(u), Ok(serde_json::Value::Object(mut m))) => {
                m.insert("ubl".into(), serde_json::Value::String(u.clone()));
                to_line(&m)
            }
            _ => to_line(&doc),
        };
        out.json_line(&line);
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
        if let (Some(u), Some(xml)) = (&ubl_shown, xml) {
            out.stderr_line(&format!(
                "wrote its e-invoice credit note to {u} ({} bytes)",
                xml.len()
            ));
        }
    }
    Outcome::Done
}
