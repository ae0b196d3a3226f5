//! `--ubl`: the e-invoice (PEPPOL BIS Billing 3.0 / EHF UBL `Invoice`, or the
//! `CreditNote` of a credit note) beside the PDF, both files or neither, and
//! the e-invoice findings of `check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use kravia_invoice::VerifiedInvoice;
use kravia_invoice::einvoice::{self, Finding, Severity};
use kravia_invoice::locale::Locale;
use kravia_invoice::verify::{CustomerKind, VerifiedCreditNote};

use super::exit::Outcome;
use super::json::{CheckDoc, to_line};
use super::output::{Printer, findings_text, write_atomic};

/// The UBL of a rendered invoice with its PDF embedded; the error names the
/// invoice and what is missing (e.g. the buyer's organisation number).
pub fn make(invoice: &VerifiedInvoice, pdf: &[u8]) -> Result<Vec<u8>, String> {
    einvoice::ubl(invoice, Some(pdf)).map_err(|e| format!("--ubl: {e}"))
}

/// The UBL `CreditNote` of a rendered credit note with its PDF embedded, its
/// notes in `locale`; the error names the credit note and what is missing.
pub fn make_credit(
    note: &VerifiedCreditNote,
    locale: Locale,
    pdf: &[u8],
) -> Result<Vec<u8>, String> {
    einvoice::credit_note_ubl(note, locale, Some(pdf)).map_err(|e| format!("--ubl: {e}"))
}

/// Refuses `--ubl -` and `--ubl` naming the `--output` file.
pub fn check_paths(output: &Path, ubl_path: &Path) -> Result<(), &'static str> {
    if ubl_path.as_os_str() == "-" {
        return Err("--ubl needs a file name (stdout can carry only the PDF)");
    }
    if output.as_os_str() != "-" && output == ubl_path {
        return Err("--ubl and --output name the same file");
    }
    Ok(())
}

/// Writes the PDF to `output` (`-`: stdout) and the UBL to `ubl_path`, both
/// or neither.
pub fn write_both(
    out: &mut Printer,
    output: &Path,
    pdf: &[u8],
    ubl_path: &Path,
    xml: &[u8],
) -> Result<(), String> {
    if output.as_os_str() == "-" {
        write_pair(ubl_path, xml, None, || {
            out.stdout_bytes(pdf)
                .map_err(|e| format!("writing the PDF to stdout: {e}"))
        })
    } else {
        write_pair(ubl_path, xml, Some(output), || {
            write_atomic(output, pdf).map_err(|e| e.to_string())
        })
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushed to disk; returns
/// its path.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf, String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("--ubl {}: not a file name", path.display()))?;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(format!("writing {}: {e}", path.display()))
        }
    }
}

/// Writes the PDF to `pdf_path` and the UBL to `xml_path`, both or neither:
/// the UBL goes to a temporary file first, then the PDF is written atomically
/// (`write_pdf`), then the UBL is renamed into place. A failure at any step
/// removes what this call wrote.
pub fn write_pair(
    xml_path: &Path,
    xml: &[u8],
    pdf_path: Option<&Path>,
    write_pdf: impl FnOnce() -> Result<(), String>,
) -> Result<(), String> {
    let tmp = write_temp(xml_path, xml)?;
    if let Err(e) = write_pdf() {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, xml_path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        if let Some(p) = pdf_path {
            let _ = std::fs::remove_file(p);
        }
        format!(
            "writing {}: {e} (the PDF was removed again)",
            xml_path.display()
        )
    })
}

/// The PDF and the UBL file for batch: `<name>.xml` beside `<name>.pdf`.
pub fn write_files(pdf_path: &Path, pdf: &[u8], xml: &[u8]) -> Result<(), String> {
    let xml_path = pdf_path.with_extension("xml");
    write_pair(&xml_path, xml, Some(pdf_path), || {
        write_atomic(pdf_path, pdf).map_err(|e| e.to_string())
    })
}

/// `render --ubl`: writes both files (the PDF may go to stdout) and reports
/// like [`Printer::deliver`], naming the UBL file too.
pub fn deliver(
    out: &mut Printer,
    json: bool,
    output: &Path,
    pdf: &[u8],
    ubl_path: &Path,
    invoice: &VerifiedInvoice,
) -> Outcome {
    let to_stdout = output.as_os_str() == "-";
    if let Err(e) = check_paths(output, ubl_path) {
        return out.fatal(json, &e);
    }
    let xml = match make(invoice, pdf) {
        Ok(x) => x,
        Err(e) => return out.fatal(json, &e),
    };
    if let Err(e) = write_both(out, output, pdf, ubl_path, &xml) {
        return out.fatal(json, &e);
    }
    let shown = output.display().to_string();
    let ubl_shown = ubl_path.display().to_string();
    if json {
        let doc = CheckDoc {
            ok: true,
            invoice_number: Some(&invoice.invoice_number),
            errors: &[],
            warnings: &invoice.warnings,
            output: Some(&shown),
        };
        let line = match serde_json::to_value(&doc) {
            Ok(serde_json::Value::Object(mut m)) => {
                m.insert("ubl".into(), serde_json::Value::String(ubl_shown));
                to_line(&m)
            }
            _ => to_line(&doc),
        };
        out.json_line(&line);
    } else {
        for line in findings_text(&[], &invoice.warnings) {
            out.stderr_line(&line);
        }
        if !to_stdout {
            out.stderr_line(&format!(
                "wrote invoice {} to {shown} ({} bytes)",
                invoice.invoice_number,
                pdf.len()
            ));
        }
        out.stderr_line(&format!(
            "wrote its e-invoice to {ubl_shown} ({} bytes)",
            xml.len()
        ));
    }
    Outcome::Done
}

/// The e-invoice findings `check` reports: for B2B invoices only (a consumer
/// invoice is not sent as an e-invoice).
pub fn check_findings(invoice: &VerifiedInvoice) -> Option<Vec<Finding>> {
    (invoice.kind == CustomerKind::Business).then(|| einvoice::check(invoice))
}

/// `{"errors": [...], "warnings": [...]}` of the findings.
pub fn findings_json(findings: &[Finding]) -> serde_json::Value {
    let pick = |s: Severity| -> Vec<serde_json::Value> {
        findings
            .iter()
            .filter(|f| f.severity == s)
            .map(|f| serde_json::json!({"rule": f.rule, "path": f.path, "message": f.message}))
            .collect()
    };
    serde_json::json!({"errors": pick(Severity::Error), "warnings": pick(Severity::Warning)})
}

/// The findings as `check` prints them for people.
pub fn findings_lines(findings: &[Finding]) -> Vec<String> {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut out = vec![if errors == 0 {
        "e-invoice (PEPPOL BIS 3 / EHF): would pass the checked rules".to_string()
    } else {
        format!(
            "e-invoice (PEPPOL BIS 3 / EHF): {errors} problem{} (render --ubl would fail)",
            if errors == 1 { "" } else { "s" }
        )
    }];
    for f in findings {
        let what = match f.severity {
            Severity::Error => "error  ",
            Severity::Warning => "warning",
        };
        out.push(format!(
            "  {what} {}  {}\n          {}",
            f.rule, f.path, f.message
        ));
    }
    out
}
