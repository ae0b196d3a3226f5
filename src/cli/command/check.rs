//! `check`: verify without rendering.

use kravia_invoice::verify::{Report, check, verify};

use crate::cli::args::CheckArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::json::{CheckDoc, to_line};
use crate::cli::output::{Printer, findings_text};

/// Runs `check`.
pub fn run(args: &CheckArgs, out: &mut Printer) -> Outcome {
    let docs = match input::docs(&args.docs) {
        Ok(d) => d,
        Err(e) => return out.fatal(args.json, &e),
    };
    let brand = match args.brand.as_deref().map(input::brand) {
        Some(Ok(b)) => Some(b),
        Some(Err(e)) => return out.fatal(args.json, &e),
        None => None,
    };
    // With a brand the whole invoice is built (its totals are shown); without
    // one every check but the seller's runs.
    let (report, invoice) = match &brand {
        Some(b) => match verify(&docs.transaction, docs.session.as_ref(), b) {
            Ok(inv) => (
                Report {
                    invoice_number: Some(inv.invoice_number.clone()),
                    errors: Vec::new(),
                    warnings: inv.warnings.clone(),
                },
                Some(inv),
            ),
            Err(r) => (r, None),
        },
        None => (check(&docs.transaction, docs.session.as_ref(), None), None),
    };
    // --strict-glyphs: what render --strict-glyphs refuses is an error here.
    let (report, invoice) = if args.strict_glyphs {
        let strict = report.with_strict_glyphs();
        let invoice = invoice.filter(|_| strict.is_ok());
        (strict, invoice)
    } else {
        (report, invoice)
    };
    // B2B with a brand: what would make the e-invoice (render --ubl) invalid.
    let einvoice = invoice.as_ref().and_then(crate::cli::ubl::check_findings);
    if args.json {
        let doc = CheckDoc {
            ok: report.is_ok(),
            invoice_number: report.invoice_number.as_deref(),
            errors: &report.errors,
            warnings: &report.warnings,
            output: None,
        };
        match (&einvoice, serde_json::to_value(&doc)) {
            (Some(f), Ok(serde_json::Value::Object(mut m))) => {
                m.insert("einvoice".into(), crate::cli::ubl::findings_json(f));
                out.stdout_line(&to_line(&m));
            }
            _ => out.stdout_line(&to_line(&doc)),
        }
    } else {
        let number = report
            .invoice_number
            .as_deref()
            .unwrap_or("(no invoice number)");
        let n = report.errors.len();
        out.stdout_line(&match (&invoice, report.is_ok()) {
            (Some(inv), _) => format!(
                "ok: invoice {number} agrees with its session: {} {} due {}",
                inv.currency, inv.totals.gross, inv.due_date
            ),
            (None, true) => format!(
                "ok: invoice {number} agrees with its session (seller not checked: no --brand)"
            ),
            (None, false) => format!(
                "invoice {number}: {n} problem{} found",
                if n == 1 { "" } else { "s" }
            ),
        });
        for line in findings_text(&report.errors, &report.warnings) {
            out.stdout_line(&line);
        }
        for line in einvoice
            .iter()
            .flat_map(|f| crate::cli::ubl::findings_lines(f))
        {
            out.stdout_line(&line);
        }
    }
    if report.is_ok() {
        Outcome::Done
    } else {
        Outcome::Rejected
    }
}
