//! `check`: verify without rendering.

use kravia_invoice::verify::{Finding, verify};

use crate::cli::args::CheckArgs;
use crate::cli::exit::Outcome;
use crate::cli::input;
use crate::cli::json::{CheckDoc, to_line};
use crate::cli::output::Printer;

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
    let result = verify(&docs.transaction, docs.session.as_ref(), brand.as_ref());
    let (number, errors, warnings): (Option<String>, Vec<Finding>, Vec<Finding>) = match &result {
        Ok(inv) => (
            Some(inv.invoice_number.clone()),
            vec![],
            inv.warnings.clone(),
        ),
        Err(r) => (
            r.invoice_number.clone(),
            r.errors.clone(),
            r.warnings.clone(),
        ),
    };
    let einvoice = result
        .as_ref()
        .ok()
        .and_then(crate::cli::ubl::check_findings);
    if args.json {
        let doc = CheckDoc {
            ok: errors.is_empty(),
            invoice_number: number.as_deref(),
            errors: &errors,
            warnings: &warnings,
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
        let number = number.as_deref().unwrap_or("(no invoice number)");
        match &result {
            Ok(inv) => out.stdout_line(&format!(
                "ok: invoice {number} agrees with its session: {} {} due {}",
                inv.currency, inv.totals.gross, inv.due_date
            )),
            Err(_) => out.stdout_line(&format!(
                "invoice {number}: {} problem{} found",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            )),
        }
        for e in &errors {
            out.stdout_line(&format!(
                "  error   {}  {}\n          {}",
                e.code, e.path, e.message
            ));
        }
        for w in &warnings {
            out.stdout_line(&format!(
                "  warning {}  {}\n          {}",
                w.code, w.path, w.message
            ));
        }
        for line in einvoice
            .iter()
            .flat_map(|f| crate::cli::ubl::findings_lines(f))
        {
            out.stdout_line(&line);
        }
    }
    if result.is_ok() {
        Outcome::Done
    } else {
        Outcome::Rejected
    }
}
