//! [`ClientError`]: what failed, where (method and URL, never a secret), the
//! HTTP status and Dintero's own message.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::dintero::ParseError;

/// Dintero's error body, `{"error": {"code": "…", "message": "…"}}`, or the
/// start of a body of another shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DinteroMessage {
    /// `error.code`, when given.
    pub code: Option<String>,
    /// `error.message`, or the first 200 characters of another body.
    pub message: String,
}

impl fmt::Display for DinteroMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) if !self.message.contains(code.as_str()) => {
                write!(f, "{} ({code})", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorObject,
}

#[derive(Deserialize)]
struct ErrorObject {
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<String>,
}

impl DinteroMessage {
    /// Reads an error body: Dintero's shape, else the body's first line(s).
    pub(crate) fn from_body(body: &[u8]) -> Option<DinteroMessage> {
        if let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) {
            let code = parsed.error.code.and_then(|c| match c {
                serde_json::Value::String(s) if !s.is_empty() => Some(s),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let message = parsed
                .error
                .message
                .filter(|m| !m.trim().is_empty())
                .or_else(|| code.clone())?;
            return Some(DinteroMessage {
                code,
                message: clean(&message),
            });
        }
        let text = String::from_utf8_lossy(body);
        let text = clean(&text);
        (!text.is_empty()).then_some(DinteroMessage {
            code: None,
            message: text,
        })
    }
}

/// One line, control characters removed, at most 200 characters.
fn clean(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let one_line = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 200 {
        let cut: String = one_line.chars().take(200).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// An HTTP status with its reason: `404 Not Found`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpStatus(pub u16);

impl fmt::Display for HttpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.0)
            .ok()
            .and_then(|s| s.canonical_reason());
        match reason {
            Some(r) => write!(f, "{} {r}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

fn suffix(message: &Option<DinteroMessage>) -> String {
    match message {
        Some(m) => format!(": {m}"),
        None => String::new(),
    }
}

fn seconds(d: &Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn plural(n: &u32) -> &'static str {
    if *n == 1 { "" } else { "s" }
}

/// Why a call to Dintero failed. Messages name the method and the URL (which
/// never carries a secret), the status and Dintero's message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// A credential variable is unset or blank.
    #[error(
        "{var} is not set (the Dintero API credentials come from DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID and DINTERO_CLIENT_SECRET)"
    )]
    MissingCredential {
        /// The variable, e.g. `DINTERO_CLIENT_SECRET`.
        var: &'static str,
    },
    /// A credential has the wrong shape.
    #[error("invalid Dintero credentials: {reason}")]
    InvalidCredentials {
        /// What is wrong (never the secret itself).
        reason: String,
    },
    /// A base or token URL that cannot be used.
    #[error("{what} {url}: {reason}")]
    InvalidUrl {
        /// `base URL` or `token URL`.
        what: &'static str,
        /// The URL as given.
        url: String,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// Dintero refused the credentials (400, 401 or 403 from the token endpoint).
    #[error(
        "authenticating at {url}: {status}{}: check DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID and DINTERO_CLIENT_SECRET",
        suffix(message)
    )]
    Unauthorized {
        /// The token URL.
        url: String,
        /// The HTTP status.
        status: HttpStatus,
        /// Dintero's message.
        message: Option<DinteroMessage>,
    },
    /// Dintero answered with an error status.
    #[error("{method} {url}: {status}{}", suffix(message))]
    Http {
        /// `GET` or `POST`.
        method: &'static str,
        /// The URL.
        url: String,
        /// The HTTP status.
        status: HttpStatus,
        /// Dintero's message.
        message: Option<DinteroMessage>,
    },
    /// No answer in time, after every attempt.
    #[error(
        "{method} {url}: no answer within {} ({attempts} attempt{})",
        seconds(timeout),
        plural(attempts)
    )]
    Timeout {
        /// `GET` or `POST`.
        method: &'static str,
        /// The URL.
        url: String,
        /// The time allowed per attempt.
        timeout: Duration,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The connection failed (DNS, refused, reset, TLS).
    #[error("{method} {url}: {detail}")]
    Transport {
        /// `GET` or `POST`.
        method: &'static str,
        /// The URL.
        url: String,
        /// What failed, with its causes.
        detail: String,
    },
    /// The answer is not the JSON document expected.
    #[error("{method} {url}: malformed {what}: {source}")]
    Malformed {
        /// `GET` or `POST`.
        method: &'static str,
        /// The URL.
        url: String,
        /// The document, e.g. `transaction`.
        what: &'static str,
        /// Where and how it is malformed.
        source: Box<ParseError>,
    },
    /// The token endpoint's answer is not `{access_token, expires_in, …}`.
    #[error("POST {url}: the token response is not the expected JSON ({reason})")]
    MalformedToken {
        /// The token URL.
        url: String,
        /// What is missing (never the token).
        reason: &'static str,
    },
    /// The answer is larger than the limit.
    #[error("{method} {url}: the answer is larger than {limit} bytes")]
    TooLarge {
        /// `GET` or `POST`.
        method: &'static str,
        /// The URL.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// `kravia:invoice_url` (or the URL inside its file wrapper) may not be fetched.
    #[error("invoice file {url}: {reason}")]
    InvoiceUrl {
        /// The URL.
        url: String,
        /// Why not.
        reason: String,
    },
    /// The Kravia payment details did not appear in time.
    #[error(
        "transaction {transaction_id}: the Kravia payment details are still missing after {} ({}); try again later or with a longer --wait",
        seconds(waited),
        missing.join(", ")
    )]
    PaymentDetailsMissing {
        /// The transaction.
        transaction_id: String,
        /// How long was waited.
        waited: Duration,
        /// The missing keys.
        missing: Vec<&'static str>,
    },
    /// The transaction cannot be captured as it is; nothing was sent.
    #[error("transaction {transaction_id}: not captured: {reason}")]
    CaptureNotPossible {
        /// The transaction.
        transaction_id: String,
        /// Why.
        reason: String,
    },
    /// Dintero recorded the capture as failed, or it never completed.
    #[error("transaction {transaction_id}: the capture failed: {reason}")]
    CaptureFailed {
        /// The transaction.
        transaction_id: String,
        /// Dintero's error, or what was seen.
        reason: String,
    },
    /// Dintero accepted the capture (202) but its event did not appear in time.
    #[error(
        "transaction {transaction_id}: Dintero accepted the capture but no INITIATE_CAPTURE or CAPTURE event appeared within {}; it may still complete: do not capture again, read the transaction later",
        seconds(waited)
    )]
    CapturePending {
        /// The transaction.
        transaction_id: String,
        /// How long was waited.
        waited: Duration,
    },
    /// A capture was sent but its outcome is unknown (a timeout, a 5xx, a
    /// connection lost), and no event appeared while the transaction was read
    /// again. No second capture was sent.
    #[error(
        "transaction {transaction_id}: capture outcome unknown: {cause}; no INITIATE_CAPTURE or CAPTURE event appeared within {}. No second capture was sent: re-run to continue (a re-run reads the transaction first and never captures twice)",
        seconds(waited)
    )]
    CaptureUnknown {
        /// The transaction.
        transaction_id: String,
        /// What made the outcome unknown.
        cause: String,
        /// How long was waited in all.
        waited: Duration,
    },
    /// The transaction has neither an embedded session nor a `session_id`.
    #[error("transaction {transaction_id} has no session_id, so its order cannot be read")]
    NoSession {
        /// The transaction.
        transaction_id: String,
    },
    /// The blocking API could not run.
    #[error("async runtime: {reason}")]
    Runtime {
        /// Why.
        reason: String,
    },
}

/// An error with its causes, `a: b: c`, without repeating a cause that the
/// message already contains.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dintero_error_body_is_read() {
        let m = DinteroMessage::from_body(
            br#"{"error":{"code":"NOT_FOUND","message":"Transaction not found","errors":[]}}"#,
        )
        .unwrap();
        assert_eq!(m.to_string(), "Transaction not found (NOT_FOUND)");
    }

    #[test]
    fn other_bodies_are_cut_to_one_line() {
        let body = format!("<html>\n<body>{}</body>", "x".repeat(500));
        let m = DinteroMessage::from_body(body.as_bytes()).unwrap();
        assert!(!m.message.contains('\n'));
        assert!(m.message.chars().count() <= 201);
        assert!(DinteroMessage::from_body(b"  ").is_none());
    }

    #[test]
    fn http_error_names_method_url_status_and_message() {
        let e = ClientError::Http {
            method: "GET",
            url: "https://checkout.dintero.com/v1/transactions/T1".into(),
            status: HttpStatus(404),
            message: DinteroMessage::from_body(br#"{"error":{"message":"not found"}}"#),
        };
        assert_eq!(
            e.to_string(),
            "GET https://checkout.dintero.com/v1/transactions/T1: 404 Not Found: not found"
        );
    }

    #[test]
    fn timeout_says_how_long() {
        let e = ClientError::Timeout {
            method: "GET",
            url: "u".into(),
            timeout: Duration::from_millis(1500),
            attempts: 3,
        };
        assert_eq!(e.to_string(), "GET u: no answer within 1.5 s (3 attempts)");
    }
}
