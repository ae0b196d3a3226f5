//! Findings and the report that lists them all.

use std::fmt;

use serde::Serialize;

use super::code::Code;

/// One failed check (or warning): what, where, and the values involved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The contract code.
    pub code: Code,
    /// The offending field as written in the input, e.g.
    /// `session.order.items[1].vat_amount` or
    /// `transaction.metadata["kravia:payment_details:kid"]`.
    pub path: String,
    /// A message with the expected and the found values.
    pub message: String,
}

impl Finding {
    /// A finding.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.path, self.message)
    }
}

/// Every failed check of one invoice, with the warnings; has at least one error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The invoice number, when there is one.
    pub invoice_number: Option<String>,
    /// Failed checks, in check order.
    pub errors: Vec<Finding>,
    /// Warnings.
    pub warnings: Vec<Finding>,
}

impl Report {
    /// Whether the report has no error (warnings may remain).
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The report as `--strict-glyphs` sees it: every `glyph_replaced`
    /// warning (a character no font can draw) is an error, as the renderer's
    /// `strict_glyphs` option refuses such an invoice.
    ///
    /// ```
    /// use kravia_invoice::verify::{Code, Finding, Report};
    /// let report = Report {
    ///     invoice_number: None,
    ///     errors: Vec::new(),
    ///     warnings: vec![Finding::new(Code::GlyphReplaced, "brand.seller.name", "U+10FFFD")],
    /// };
    /// let strict = report.with_strict_glyphs();
    /// assert!(!strict.is_ok());
    /// assert_eq!(strict.codes(), [Code::GlyphReplaced]);
    /// assert!(strict.warnings.is_empty());
    /// ```
    #[must_use]
    pub fn with_strict_glyphs(mut self) -> Report {
        let (glyphs, rest): (Vec<Finding>, Vec<Finding>) = self
            .warnings
            .into_iter()
            .partition(|w| w.code == Code::GlyphReplaced);
        self.errors.extend(glyphs);
        self.warnings = rest;
        self
    }

    /// The distinct error codes, in first-seen order.
    pub fn codes(&self) -> Vec<Code> {
        let mut out: Vec<Code> = Vec::new();
        for f in &self.errors {
            if !out.contains(&f.code) {
                out.push(f.code);
            }
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "invoice {} failed {n} check{}",
            self.invoice_number.as_deref().unwrap_or("(no number)"),
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}
