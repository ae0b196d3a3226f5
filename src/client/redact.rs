//! Keeping credentials out of every message, whatever the server sends back.
//!
//! A hostile or broken server may echo the request's `Authorization` header
//! (`Basic base64(client_id:secret)` or `Bearer <token>`) in an error body, a
//! header or a field of a document. The [`Redactor`] knows every form a
//! credential can take there (the secret and each token as they are, JSON- and
//! percent-escaped, and the Basic form in every base64 alphabet) and replaces
//! each with `[redacted]`. It is applied twice: to every answer before anything
//! reads it (so a message cut to 200 characters cannot keep half a secret), and
//! to every error on its way out of the client.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

use super::credentials::{Credentials, Secret};
use super::error::{ClientError, DinteroMessage};
use crate::verify::{Finding, Report};

/// What a credential is replaced with.
pub(crate) const REDACTED: &str = "[redacted]";

/// Every form of the credentials that must never be shown, longest first.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    needles: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} forms)", self.needles.len())
    }
}

/// `s` percent-encoded as in a URL query (RFC 3986 unreserved kept).
fn percent_encoded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `s` as it appears inside a JSON string.
fn json_escaped(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_string()).to_string();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .map(str::to_string)
        .unwrap_or(quoted)
}

impl Redactor {
    /// The forms of the client secret, the Basic credentials and `tokens`.
    pub(crate) fn new(credentials: &Credentials, tokens: &[Secret]) -> Redactor {
        let mut needles = Vec::new();
        let mut add = |value: &str| {
            if value.is_empty() {
                return;
            }
            needles.push(value.to_string());
            needles.push(json_escaped(value));
            needles.push(json_escaped(value).replace('/', "\\/"));
            needles.push(percent_encoded(value));
        };
        let secret = credentials.client_secret.expose();
        add(secret);
        let basic = format!("{}:{secret}", credentials.client_id);
        for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
            add(&engine.encode(basic.as_bytes()));
        }
        for t in tokens {
            add(t.expose());
        }
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Redactor { needles }
    }

    /// `text` with every credential replaced by `[redacted]`.
    pub(crate) fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.needles.iter().any(|n| text.contains(n.as_str())) {
            return Cow::Borrowed(text);
        }
        let mut out = text.to_string();
        for n in &self.needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), REDACTED);
            }
        }
        Cow::Owned(out)
    }

    /// [`scrub`](Self::scrub) in place.
    pub(crate) fn scrub_string(&self, text: &mut String) {
        if let Cow::Owned(s) = self.scrub(text) {
            *text = s;
        }
    }

    /// `bytes` with every credential replaced (text or not).
    pub(crate) fn scrub_bytes(&self, bytes: Vec<u8>) -> Vec<u8> {
        let mut out = bytes;
        for n in &self.needles {
            let finder = memchr::memmem::Finder::new(n.as_bytes());
            if finder.find(&out).is_none() {
                continue;
            }
            let mut replaced = Vec::with_capacity(out.len());
            let mut last = 0;
            for at in finder.find_iter(&out) {
                if at < last {
                    continue;
                }
                replaced.extend_from_slice(&out[last..at]);
                replaced.extend_from_slice(REDACTED.as_bytes());
                last = at + n.len();
            }
            replaced.extend_from_slice(&out[last..]);
            out = replaced;
        }
        out
    }

    fn message(&self, m: &mut Option<DinteroMessage>) {
        if let Some(m) = m {
            self.scrub_string(&mut m.message);
            if let Some(c) = &mut m.code {
                self.scrub_string(c);
            }
        }
    }

    /// Findings with every credential replaced in their paths and messages.
    pub(crate) fn findings(&self, findings: &mut [Finding]) {
        for f in findings {
            self.scrub_string(&mut f.path);
            self.scrub_string(&mut f.message);
        }
    }

    /// [`findings`](Self::findings) for a whole report.
    pub(crate) fn report(&self, report: &mut Report) {
        if let Some(n) = &mut report.invoice_number {
            self.scrub_string(n);
        }
        self.findings(&mut report.errors);
        self.findings(&mut report.warnings);
    }

    /// `error` with every credential replaced in every text it carries.
    pub(crate) fn error(&self, mut error: ClientError) -> ClientError {
        use ClientError as E;
        let s = |t: &mut String| self.scrub_string(t);
        match &mut error {
            E::MissingCredential { .. } => {}
            E::InvalidCredentials { reason } | E::Runtime { reason } => s(reason),
            E::InvalidUrl { url, .. }
            | E::Timeout { url, .. }
            | E::MalformedToken { url, .. }
            | E::TooLarge { url, .. } => s(url),
            E::Unauthorized { url, message, .. } | E::Http { url, message, .. } => {
                s(url);
                self.message(message);
            }
            E::Transport { url, detail, .. } => {
                s(url);
                s(detail);
            }
            E::Malformed { url, source, .. } => {
                s(url);
                s(&mut source.field);
                s(&mut source.message);
            }
            E::InvoiceUrl { url, reason } => {
                s(url);
                s(reason);
            }
            E::CaptureNotPossible {
                transaction_id,
                reason,
            }
            | E::CaptureFailed {
                transaction_id,
                reason,
            } => {
                s(transaction_id);
                s(reason);
            }
            E::CaptureUnknown {
                transaction_id,
                cause,
                ..
            } => {
                s(transaction_id);
                s(cause);
            }
            E::PaymentDetailsMissing { transaction_id, .. }
            | E::CapturePending { transaction_id, .. }
            | E::NoSession { transaction_id } => s(transaction_id),
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(
            &Credentials::new("T12345678", "cid", "s3cr/et\"x"),
            &[Secret::new("tok-123")],
        )
    }

    #[test]
    fn every_form_is_redacted() {
        let r = redactor();
        let basic = STANDARD.encode("cid:s3cr/et\"x");
        for shown in [
            "s3cr/et\"x".to_string(),
            "s3cr\\/et\\\"x".to_string(),
            "s3cr%2Fet%22x".to_string(),
            format!("Basic {basic}"),
            format!("Basic {}", URL_SAFE_NO_PAD.encode("cid:s3cr/et\"x")),
            "Bearer tok-123".to_string(),
        ] {
            let text = format!("echo: {shown}!");
            let out = r.scrub(&text);
            assert!(out.contains(REDACTED), "{shown} → {out}");
            assert!(!out.contains("s3cr") && !out.contains("tok-123"), "{out}");
            assert!(!out.contains(&basic[..basic.len() - 2]), "{out}");
            let bytes = r.scrub_bytes(text.clone().into_bytes());
            assert_eq!(String::from_utf8(bytes).unwrap(), out);
        }
        assert!(matches!(r.scrub("nothing here"), Cow::Borrowed(_)));
    }
}
