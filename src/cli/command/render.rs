//! `render`: verify, then draw the invoice and write it atomically.

use kravia_invoice::render::{RenderOptions, layout_document, render};
use kravia_invoice::template::TemplateSource;
use kravia_invoice::verify::verify;

use crate::cli::args::RenderArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::json::{CheckDoc, to_line};
use crate::cli::output::{Printer, write_atomic};

/// Runs `render`.
pub fn run(args: &RenderArgs, out: &mut Printer) -> Outcome {
    let to_stdout = args.output.as_os_str() == "-";
    out.json_to_stderr = to_stdout;
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
            Err(e) => return out.fatal(args.json, &format!("--locale: {e}")),
        }
    }
    options.template = args.template.as_deref().map(TemplateSource::from_arg);

    let invoice = match verify(&docs.transaction, docs.session.as_ref(), Some(&brand)) {
        Ok(inv) => inv,
        Err(report) => {
            if args.json {
                out.json_line(&to_line(&CheckDoc {
                    ok: false,
                    invoice_number: report.invoice_number.as_deref(),
                    errors: &report.errors,
                    warnings: &report.warnings,
                    output: None,
                }));
            } else {
                out.stderr_line(&format!("kravia-invoice: {report}"));
                out.stderr_line("no PDF was written");
            }
            return Outcome::Rejected;
        }
    };
    if args.dump_layout {
        return match layout_document(&invoice, &brand, &options) {
            Ok(doc) => {
                out.stdout_line(&kravia_invoice::layout::dump::dump(&doc));
                Outcome::Done
            }
            Err(e) => out.fatal(args.json, &e.to_string()),
        };
    }
    let pdf = match render(&invoice, &brand, &options) {
        Ok(b) => b,
        Err(e) => {
            return out.fatal(
                args.json,
                &format!("rendering invoice {}: {e}", invoice.invoice_number),
            );
        }
    };
    let written = if to_stdout {
        out.stdout_bytes(&pdf)
            .map_err(|e| format!("writing the PDF to stdout: {e}"))
    } else {
        write_atomic(&args.output, &pdf)
    };
    if let Err(e) = written {
        return out.fatal(args.json, &e);
    }
    let shown = args.output.display().to_string();
    if args.json {
        out.json_line(&to_line(&CheckDoc {
            ok: true,
            invoice_number: Some(&invoice.invoice_number),
            errors: &[],
            warnings: &invoice.warnings,
            output: Some(&shown),
        }));
    } else {
        for w in &invoice.warnings {
            out.stderr_line(&format!("warning: {w}"));
        }
        if !to_stdout {
            out.stderr_line(&format!(
                "wrote invoice {} to {shown} ({} bytes)",
                invoice.invoice_number,
                pdf.len()
            ));
        }
    }
    Outcome::Done
}
