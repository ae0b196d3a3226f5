//! The one adapter between the HTTP service and the library's pipeline:
//! parse the `{"transaction", "session"}` envelope, `verify`, render.
//!
//! Everything the service knows about parsing, verifying and rendering goes
//! through this file. The brand is loaded and checked once, at start, and a
//! prepared [`Renderer`] is made for the brand's own template and for each
//! built-in one, so a broken brand or template stops `serve` instead of
//! failing every request, and no request re-reads a file.
//!
//! Synchronous and CPU-bound: the service calls it on tokio's blocking pool.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::brand::Brand;
use crate::dintero::{Session, Transaction};
use crate::locale::Locale;
use crate::render::{RenderOptions, Renderer};
use crate::template::{BUILTIN, TemplateSource};
use crate::verify::{
    CustomerKind, Finding, Report, VerifiedInvoice, VerifyOptions, verify, verify_credit,
    verify_with,
};

/// The request body of `/v1/check` and `/v1/render`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    transaction: Transaction,
    #[serde(default)]
    session: Option<Session>,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    delivery_date: Option<String>,
}

/// The brand and its renderers, prepared once.
#[derive(Debug)]
pub struct Engine {
    /// The brand's own template (or `classic`); `None` without a brand.
    default: Option<Renderer>,
    /// One per built-in template, for requests that name one.
    builtins: Vec<(&'static str, Renderer)>,
}

/// Why the engine could not be prepared.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EngineError(String);

/// The outcome of verifying one envelope.
#[derive(Debug)]
pub enum Checked {
    /// The documents agree (the report has warnings only).
    Verified(Report),
    /// They do not: every finding.
    Rejected(Report),
}

/// The outcome of rendering one envelope.
#[derive(Debug)]
pub enum Rendered {
    /// The PDF and what identifies it.
    Pdf(Box<Pdf>),
    /// The documents disagree.
    Rejected(Report),
}

/// A rendered PDF.
#[derive(Debug)]
pub struct Pdf {
    /// The invoice number.
    pub invoice_number: String,
    /// The transaction id.
    pub transaction_id: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Their SHA-256, lower-case hex.
    pub sha256: String,
    /// Warnings of the verification.
    pub warnings: Vec<Finding>,
    /// The verified invoice (for delivery).
    pub invoice: Box<VerifiedInvoice>,
    /// The UBL e-invoice (PEPPOL BIS 3 / EHF) of a business invoice, with the
    /// PDF embedded; `None` for a consumer. Only [`Engine::render_documents`]
    /// (the job pipeline) makes it.
    pub ubl: Option<Ubl>,
}

/// The UBL of a business invoice, or why it could not be made.
#[derive(Debug)]
pub enum Ubl {
    /// The XML.
    Xml(Vec<u8>),
    /// What the e-invoice would lack (the PDF is still valid and delivered).
    Refused(String),
}

/// A rendered credit note.
#[derive(Debug)]
pub struct CreditPdf {
    /// The credit note's own number.
    pub credit_number: String,
    /// The credited invoice's number.
    pub invoice_number: String,
    /// The transaction id.
    pub transaction_id: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Their SHA-256, lower-case hex.
    pub sha256: String,
    /// The language it was rendered in (`nb`, `sv`, `fi`, `en`).
    pub locale: String,
    /// The buyer's e-mail.
    pub buyer_email: Option<String>,
    /// The UBL credit note (PEPPOL BIS 3 `CreditNote`, the PDF embedded) of a
    /// business invoice's credit note; `None` for a consumer.
    pub ubl: Option<Ubl>,
}

/// The outcome of rendering a credit note.
#[derive(Debug)]
pub enum RenderedCredit {
    /// The PDF.
    Pdf(Box<CreditPdf>),
    /// The documents do not give a credit note (`not_voided`, …).
    Rejected(Report),
}

/// A request the service refuses before verifying (HTTP 400), or a failure
/// of the renderer (HTTP 500).
#[derive(Debug)]
pub enum Refused {
    /// Malformed JSON, a field of the wrong type, an unknown option.
    BadRequest(String),
    /// No brand was configured: nothing can be rendered.
    NoBrand,
    /// The renderer failed (not the documents).
    Internal(String),
}

impl Engine {
    /// Loads and checks the brand (its accent colour, locale and template) once.
    ///
    /// # Errors
    ///
    /// A brand file that cannot be read or used.
    pub fn new(brand: Option<&Path>) -> Result<Engine, EngineError> {
        let Some(path) = brand else {
            return Ok(Engine {
                default: None,
                builtins: Vec::new(),
            });
        };
        let brand = Brand::load(path).map_err(|e| EngineError(e.to_string()))?;
        let prepare = |options: RenderOptions| {
            Renderer::new(brand.clone(), options)
                .map_err(|e| EngineError(format!("{}: {e}", path.display())))
        };
        let default = prepare(RenderOptions::default())?;
        let mut builtins = Vec::new();
        for (name, _) in BUILTIN {
            let options = RenderOptions {
                template: Some(TemplateSource::Builtin(name.to_string())),
                ..RenderOptions::default()
            };
            builtins.push((name, prepare(options)?));
        }
        Ok(Engine {
            default: Some(default),
            builtins,
        })
    }

    /// Whether a brand is configured (needed to render).
    pub fn has_brand(&self) -> bool {
        self.default.is_some()
    }

    /// Parses the envelope and verifies it (the brand's seller checks when a
    /// brand is configured).
    ///
    /// # Errors
    ///
    /// [`Refused::BadRequest`] for malformed input.
    pub fn check(&self, body: &[u8]) -> Result<Checked, Refused> {
        let env = parse(body)?;
        let options = verify_options(&env)?;
        let report = crate::verify::check_with(
            &env.transaction,
            env.session.as_ref(),
            self.brand(),
            &options,
        );
        Ok(if report.is_ok() {
            Checked::Verified(report)
        } else {
            Checked::Rejected(report)
        })
    }

    /// Parses the envelope, verifies and renders it exactly as `render` does.
    ///
    /// # Errors
    ///
    /// [`Refused`].
    pub fn render(&self, body: &[u8]) -> Result<Rendered, Refused> {
        let env = parse(body)?;
        let mut renderer = self.default.as_ref().ok_or(Refused::NoBrand)?;
        if let Some(t) = env.template.as_deref() {
            // Only the built-in templates: a request never names a file on the server.
            let name = t.trim();
            renderer = self
                .builtins
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, r)| r)
                .ok_or_else(|| {
                    Refused::BadRequest(format!(
                        "template: {name:?} is not a built-in template (classic, compact)"
                    ))
                })?;
        }
        let locale = match env.locale.as_deref() {
            Some(l) => Some(
                l.parse::<Locale>()
                    .map_err(|e| Refused::BadRequest(format!("locale: {e}")))?,
            ),
            None => None,
        };
        let options = verify_options(&env)?;
        let invoice = match verify_with(
            &env.transaction,
            env.session.as_ref(),
            renderer.brand(),
            &options,
        ) {
            Ok(inv) => inv,
            Err(r) => return Ok(Rendered::Rejected(r)),
        };
        let bytes = renderer.render_in(&invoice, locale).map_err(|e| {
            Refused::Internal(format!("rendering invoice {}: {e}", invoice.invoice_number))
        })?;
        Ok(Rendered::Pdf(Box::new(Pdf {
            invoice_number: invoice.invoice_number.clone(),
            transaction_id: env.transaction.id.clone(),
            sha256: sha256_hex(&bytes),
            bytes,
            warnings: invoice.warnings.clone(),
            invoice: Box::new(invoice),
            ubl: None,
        })))
    }

    /// Verifies and renders documents already parsed (the job pipeline); a
    /// business invoice gets its UBL e-invoice too, made from the same
    /// verified invoice with the PDF embedded (as `render --ubl`).
    ///
    /// # Errors
    ///
    /// [`Refused`].
    pub fn render_documents(
        &self,
        transaction: &Transaction,
        session: Option<&Session>,
    ) -> Result<Rendered, Refused> {
        let renderer = self.default.as_ref().ok_or(Refused::NoBrand)?;
        let invoice = match verify(transaction, session, renderer.brand()) {
            Ok(inv) => inv,
            Err(r) => return Ok(Rendered::Rejected(r)),
        };
        let bytes = renderer.render(&invoice).map_err(|e| {
            Refused::Internal(format!("rendering invoice {}: {e}", invoice.invoice_number))
        })?;
        let ubl = match invoice.kind {
            CustomerKind::Consumer => None,
            CustomerKind::Business => Some(match crate::einvoice::ubl(&invoice, Some(&bytes)) {
                Ok(xml) => Ubl::Xml(xml),
                Err(e) => Ubl::Refused(e.to_string()),
            }),
        };
        Ok(Rendered::Pdf(Box::new(Pdf {
            invoice_number: invoice.invoice_number.clone(),
            transaction_id: transaction.id.clone(),
            sha256: sha256_hex(&bytes),
            bytes,
            warnings: invoice.warnings.clone(),
            invoice: Box::new(invoice),
            ubl,
        })))
    }

    /// Verifies a voided transaction's documents as the credit note numbered
    /// `credit_number` and renders it (the job pipeline, on a VOID).
    ///
    /// # Errors
    ///
    /// [`Refused`].
    pub fn render_credit_documents(
        &self,
        transaction: &Transaction,
        session: Option<&Session>,
        credit_number: &str,
    ) -> Result<RenderedCredit, Refused> {
        let renderer = self.default.as_ref().ok_or(Refused::NoBrand)?;
        let note = match verify_credit(transaction, session, renderer.brand(), credit_number) {
            Ok(n) => n,
            Err(r) => return Ok(RenderedCredit::Rejected(r)),
        };
        let bytes = renderer.render_credit(&note).map_err(|e| {
            Refused::Internal(format!("rendering credit note {credit_number}: {e}"))
        })?;
        let locale = renderer.locale_for_credit(&note);
        let ubl = match note.invoice.kind {
            CustomerKind::Consumer => None,
            CustomerKind::Business => Some(
                match crate::einvoice::credit_note_ubl(&note, locale, Some(&bytes)) {
                    Ok(xml) => Ubl::Xml(xml),
                    Err(e) => Ubl::Refused(e.to_string()),
                },
            ),
        };
        Ok(RenderedCredit::Pdf(Box::new(CreditPdf {
            ubl,
            credit_number: note.credit_number.clone(),
            invoice_number: note.invoice.invoice_number.clone(),
            transaction_id: transaction.id.clone(),
            sha256: sha256_hex(&bytes),
            bytes,
            locale: locale.to_string(),
            buyer_email: note.invoice.buyer.email.clone(),
        })))
    }

    /// The brand, when configured.
    pub fn brand(&self) -> Option<&Brand> {
        self.default.as_ref().map(Renderer::brand)
    }
}

/// The envelope's `delivery_date` (`YYYY-MM-DD`) as verify options.
fn verify_options(env: &Envelope) -> Result<VerifyOptions, Refused> {
    let delivery_date = match env.delivery_date.as_deref() {
        Some(d) => Some(
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                Refused::BadRequest(format!("delivery_date: {d:?} is not a date (YYYY-MM-DD)"))
            })?,
        ),
        None => None,
    };
    Ok(VerifyOptions { delivery_date })
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn parse(body: &[u8]) -> Result<Envelope, Refused> {
    if let Ok(env) = serde_json::from_slice::<Envelope>(body) {
        return check_session(env);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let env: Envelope = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
        let at = if path == "." || path == "?" || path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        Refused::BadRequest(format!(
            "malformed request body: {at}line {} column {}: {msg}",
            inner.line(),
            inner.column()
        ))
    })?;
    de.end()
        .map_err(|e| Refused::BadRequest(format!("malformed request body: {e}")))?;
    check_session(env)
}

fn check_session(env: Envelope) -> Result<Envelope, Refused> {
    if env.session.is_none() && env.transaction.session.is_none() {
        return Err(Refused::BadRequest(
            "the transaction does not embed its session: send \"session\" too (or read the transaction with ?includes=session)".into(),
        ));
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn malformed_and_unknown_fields_are_bad_requests() {
        let e = Engine::new(None).unwrap();
        for body in [
            &b"{"[..],
            b"[]",
            br#"{"transaction": {"id": "T"}, "sesion": {}}"#,
            br#"{"transaction": {"id": "T", "amount": "x"}, "session": {"id": "S"}}"#,
            br#"{"transaction": {"id": "T"}}"#,
        ] {
            assert!(
                matches!(e.check(body), Err(Refused::BadRequest(_))),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        match e.check(br#"{"transaction": {"id": "T", "amount": "x"}, "session": {"id": "S"}}"#) {
            Err(Refused::BadRequest(m)) => assert!(m.contains("transaction.amount"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
