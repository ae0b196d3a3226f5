//! `render`: verify, then draw the invoice and write it atomically.

use kravia_invoice::error::{Error, ErrorKind};
use kravia_invoice::render::RenderOptions;
use kravia_invoice::template::TemplateSource;
use kravia_invoice::verify::verify_with;

use crate::cli::args::RenderArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::output::{self, Printer};

/// Runs `render`.
pub fn run(args: &RenderArgs, out: &mut Printer) -> Outcome {
    out.json_to_stderr = args.output.as_os_str() == "-";
    if !args.dump_layout
        && let Err(e) = output::check_output(&args.output)
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
    options.verify.delivery_date = args.delivery_date;
    options.strict_glyphs = args.strict_glyphs;
    options.pdf.pdfa = args.pdfa;

    let invoice = match verify_with(
        &docs.transaction,
        docs.session.as_ref(),
        &brand,
        &options.verify,
    ) {
        Ok(inv) => inv,
        Err(report) => return out.rejected(args.json, &report),
    };
    let renderer = match input::renderer(brand, options) {
        Ok(r) => r,
        Err(e) => return out.fatal(args.json, &e),
    };
    if args.dump_layout {
        return match renderer.dump_layout(&invoice) {
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
    // With --pdfa, a B2B invoice carries its UBL (without the PDF inside).
    let pdf = match renderer.render_hybrid(&invoice) {
        Ok(b) => b,
        Err(e) => {
            return out.fatal(
                args.json,
                &format!("rendering invoice {}: {e}", invoice.invoice_number),
            );
        }
    };
    if let Some(ubl) = &args.ubl {
        return crate::cli::ubl::deliver(out, args.json, &args.output, &pdf, ubl, &invoice);
    }
    out.deliver(args.json, &args.output, &pdf, &invoice)
}
