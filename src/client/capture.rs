//! Capture for Kravia merchant delivery: `POST {base}/transactions/{id}/capture`.
//!
//! With merchant delivery the merchant captures before delivering the invoice;
//! Kravia then starts collection: the transaction stays `AUTHORIZED` and gets
//! a successful `INITIATE_CAPTURE` event, and the payment details are added.
//! Success is that event (or a successful `CAPTURE`), never just the status
//! code. A transaction that already has one is never captured again.
//!
//! The body is the order amount, every line (shipping included, by its
//! `line_id`) and `capture_reference` = the merchant reference:
//!
//! ```json
//! {"amount": 640720, "capture_reference": "ORD-2026-10442",
//!  "items": [{"line_id": "1", "amount": 449820, "quantity": 2, …},
//!            {"line_id": "shipping-1", "amount": 9900, "quantity": 1, …}]}
//! ```
//!
//! 200 carries the transaction; 202 means Dintero accepted the capture and
//! adds the event later, so the transaction is read until it appears. A
//! capture is sent again only when Dintero certainly did not act on it (401,
//! 429, no connection). After an ambiguous outcome (a timeout, a 5xx, a
//! connection lost after sending) it is never sent again in the same run: the
//! transaction is read for a bounded settle period, and when no event appears
//! the outcome is reported as unknown ([`ClientError::CaptureUnknown`]); a
//! re-run reads first and so never captures twice. All waiting, `Retry-After`
//! included, is bounded by the wait given.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::dintero::{Item, ShippingOption, Transaction};

use super::DinteroClient;
use super::error::ClientError;
use super::request::{AuthMode, Call, Failure, Verb};

const KINDS: [&str; 2] = ["INITIATE_CAPTURE", "CAPTURE"];

/// What [`DinteroClient::capture_for_merchant_delivery`] did.
#[derive(Debug)]
pub enum CaptureOutcome {
    /// Captured now: the transaction shows the successful `INITIATE_CAPTURE`
    /// or `CAPTURE` event.
    Captured(Box<Transaction>),
    /// The transaction already had a successful `INITIATE_CAPTURE` or
    /// `CAPTURE` event: nothing was sent.
    AlreadyStarted,
}

/// Whether collection has started: a successful `INITIATE_CAPTURE` or
/// `CAPTURE` event.
///
/// ```
/// use kravia_invoice::client::has_collection_event;
/// use kravia_invoice::dintero::Transaction;
/// let tx = Transaction::from_json(r#"{"id": "T1", "events": [{"event": "INITIATE_CAPTURE", "success": false}]}"#).unwrap();
/// assert!(!has_collection_event(&tx));
/// ```
pub fn has_collection_event(transaction: &Transaction) -> bool {
    transaction
        .events
        .iter()
        .any(|e| KINDS.iter().any(|k| e.is_successful(k)))
}

/// What a transaction says about the capture just sent.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Succeeded,
    Failed(String),
    Pending,
}

/// Compares `after` with `before` (the state the capture was sent from): a
/// successful capture event, a new failed one, or nothing yet.
fn verdict(before: &Transaction, after: &Transaction, body: &[u8]) -> Verdict {
    if has_collection_event(after) {
        return Verdict::Succeeded;
    }
    let known: HashSet<&str> = before
        .events
        .iter()
        .filter_map(|e| e.id.as_deref())
        .collect();
    let failed = after.events.iter().enumerate().rev().find(|(i, e)| {
        let kind = e.kind().unwrap_or_default();
        let new = match e.id.as_deref() {
            Some(id) => !known.contains(id),
            None => *i >= before.events.len(),
        };
        new && KINDS.contains(&kind.as_str()) && e.success == Some(false)
    });
    match failed {
        Some((i, e)) => {
            let kind = e.kind().unwrap_or_default();
            let reason = event_error(body, i).unwrap_or_else(|| "no message".into());
            Verdict::Failed(format!("the {kind} event says success: false: {reason}"))
        }
        None => Verdict::Pending,
    }
}

/// `events[i].error.message` (and code) from the raw JSON: the wire model
/// does not keep it.
fn event_error(body: &[u8], i: usize) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let error = v.get("events")?.get(i)?.get("error")?;
    let message = error.get("message").and_then(Value::as_str);
    let code = error.get("code").and_then(Value::as_str);
    match (message, code) {
        (Some(m), Some(c)) => Some(format!("{m} ({c})")),
        (Some(m), None) => Some(m.to_string()),
        (None, Some(c)) => Some(c.to_string()),
        (None, None) => None,
    }
}

fn number(d: Decimal) -> Value {
    serde_json::Number::from_str(&d.normalize().to_string())
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// One capture line; `None` fields are left out.
fn line(
    id: Option<&str>,
    line_id: Option<&str>,
    description: Option<&str>,
    quantity: Option<Decimal>,
    amount: Option<i64>,
    vat_amount: Option<i64>,
    vat: Option<Decimal>,
) -> Result<(Value, i64), String> {
    let line_id = line_id.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        format!(
            "the line {:?} has no line_id",
            description.or(id).unwrap_or("")
        )
    })?;
    let amount = amount.ok_or_else(|| format!("the line {line_id:?} has no amount"))?;
    let mut m = Map::new();
    if let Some(id) = id {
        m.insert("id".into(), json!(id));
    }
    m.insert("line_id".into(), json!(line_id));
    if let Some(d) = description {
        m.insert("description".into(), json!(d));
    }
    m.insert("quantity".into(), number(quantity.unwrap_or(Decimal::ONE)));
    m.insert("amount".into(), json!(amount));
    if let Some(v) = vat_amount {
        m.insert("vat_amount".into(), json!(v));
    }
    if let Some(v) = vat {
        m.insert("vat".into(), number(v));
    }
    Ok((Value::Object(m), amount))
}

fn item_line(i: &Item) -> Result<(Value, i64), String> {
    line(
        i.id.as_deref(),
        i.line_id.as_deref(),
        i.description.as_deref(),
        i.quantity,
        i.amount,
        i.vat_amount,
        i.vat,
    )
}

fn shipping_line(s: &ShippingOption) -> Result<(Value, i64), String> {
    line(
        s.id.as_deref(),
        s.line_id.as_deref(),
        s.title.as_deref().or(s.description.as_deref()),
        Some(Decimal::ONE),
        s.amount,
        s.vat_amount,
        s.vat,
    )
}

/// The capture body for `transaction`: the order amount (the embedded
/// session's, which must equal the transaction's), every line (the
/// transaction's `items`, which hold the shipping line; else the session's
/// items and shipping option), `capture_reference` = the merchant reference.
pub(crate) fn capture_body(transaction: &Transaction) -> Result<Value, ClientError> {
    let refuse = |reason: String| ClientError::CaptureNotPossible {
        transaction_id: transaction.id.clone(),
        reason,
    };
    let order = transaction
        .session
        .as_deref()
        .and_then(|s| s.order.as_ref());
    let amount = match (order.and_then(|o| o.amount), transaction.amount) {
        (Some(o), Some(t)) if o != t => {
            return Err(refuse(format!(
                "the order amount {o} differs from the transaction amount {t}"
            )));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(refuse("it has no amount".into())),
    };
    let mut lines = Vec::new();
    match (transaction.items.as_deref(), order) {
        (Some(items), _) if !items.is_empty() => {
            for i in items {
                lines.push(item_line(i).map_err(refuse)?);
            }
        }
        (_, Some(o)) => {
            for i in o.items.as_deref().unwrap_or_default() {
                lines.push(item_line(i).map_err(refuse)?);
            }
            if let Some(s) = &o.shipping_option {
                lines.push(shipping_line(s).map_err(refuse)?);
            }
        }
        _ => {}
    }
    if lines.is_empty() {
        return Err(refuse("it has no lines (items)".into()));
    }
    let sum: i64 = lines.iter().map(|(_, a)| a).sum();
    if sum != amount {
        return Err(refuse(format!(
            "the lines add up to {sum}, the amount is {amount}"
        )));
    }
    let mut body = Map::new();
    body.insert("amount".into(), json!(amount));
    let reference = transaction
        .merchant_reference
        .as_deref()
        .or(order.and_then(|o| o.merchant_reference.as_deref()))
        .filter(|r| !r.trim().is_empty());
    if let Some(r) = reference {
        body.insert("capture_reference".into(), json!(r));
    }
    body.insert(
        "items".into(),
        Value::Array(lines.into_iter().map(|(v, _)| v).collect()),
    );
    Ok(Value::Object(body))
}

/// The least time given to one request, even when the wait is (nearly) over:
/// a capture must be able to go out, and its outcome to be read once.
const MIN_REQUEST: Duration = Duration::from_secs(1);

/// Why the outcome of a sent capture is not known.
enum Ambiguous {
    /// An answer that does not say (a 5xx).
    Status(ClientError),
    /// No answer: a timeout or a connection lost after sending.
    NoAnswer(ClientError),
}

impl Ambiguous {
    fn into_cause(self) -> String {
        match self {
            Ambiguous::Status(e) | Ambiguous::NoAnswer(e) => e.to_string(),
        }
    }
}

impl DinteroClient {
    /// Captures `transaction` for merchant delivery, once; all waiting (the
    /// request itself, `Retry-After`, an accepted or ambiguous capture
    /// settling) is bounded by the client's capture wait (see
    /// [`capture_for_merchant_delivery_within`](Self::capture_for_merchant_delivery_within)).
    ///
    /// # Errors
    ///
    /// As for [`capture_for_merchant_delivery_within`](Self::capture_for_merchant_delivery_within).
    pub async fn capture_for_merchant_delivery(
        &self,
        transaction: &Transaction,
    ) -> Result<CaptureOutcome, ClientError> {
        let wait = self.settings.capture_wait;
        self.guard(self.capture_within(transaction, wait).await)
    }

    /// Captures `transaction` for merchant delivery, once, waiting at most
    /// `wait` in all (at least one request and one read are always made).
    ///
    /// Sends nothing when the transaction already has a successful
    /// `INITIATE_CAPTURE` or `CAPTURE` event ([`CaptureOutcome::AlreadyStarted`]).
    /// Otherwise posts the capture (see the module docs for the body), and
    /// returns the transaction that shows the successful event: from a 200,
    /// or read again after a 202 until the event appears.
    ///
    /// A capture is sent again only when Dintero certainly did not act on it:
    /// a 401 (once, with a new token), a 429 (after `Retry-After`, when that
    /// fits in `wait`) or a connection that could not be made. After an
    /// ambiguous outcome (a timeout, a 5xx, a connection lost after sending)
    /// it is **never** sent again in this call: the transaction is read until
    /// the event appears or `wait` is over.
    ///
    /// # Errors
    ///
    /// [`ClientError::CaptureNotPossible`] (nothing sent) when the status is
    /// not `AUTHORIZED` or the lines do not add up to the amount;
    /// [`ClientError::Http`] for a 4xx (a 429 whose `Retry-After` does not fit
    /// in `wait`); [`ClientError::CaptureFailed`] when Dintero records the
    /// capture as failed; [`ClientError::CaptureUnknown`] when the outcome was
    /// ambiguous and no event appeared in time (re-run to continue: a re-run
    /// reads first and never captures twice); [`ClientError::CapturePending`]
    /// when an accepted capture has not completed in time.
    pub async fn capture_for_merchant_delivery_within(
        &self,
        transaction: &Transaction,
        wait: Duration,
    ) -> Result<CaptureOutcome, ClientError> {
        self.guard(self.capture_within(transaction, wait).await)
    }

    async fn capture_within(
        &self,
        transaction: &Transaction,
        wait: Duration,
    ) -> Result<CaptureOutcome, ClientError> {
        if has_collection_event(transaction) {
            return Ok(CaptureOutcome::AlreadyStarted);
        }
        let status = transaction
            .status
            .as_deref()
            .map(|s| s.trim().to_ascii_uppercase())
            .unwrap_or_default();
        if status != "AUTHORIZED" {
            return Err(ClientError::CaptureNotPossible {
                transaction_id: transaction.id.clone(),
                reason: format!(
                    "its status is {}, not AUTHORIZED",
                    if status.is_empty() {
                        "unknown"
                    } else {
                        &status
                    }
                ),
            });
        }
        let body = capture_body(transaction)?;
        let started = Instant::now();
        let deadline = started + wait;
        let url = self
            .base
            .join(&["transactions", &transaction.id, "capture"]);
        let policy = &self.settings.retry;
        let attempts = policy.attempts();
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let timeout = self.settings.timeout.min(left(deadline).max(MIN_REQUEST));
            let call = Call {
                verb: Verb::Post,
                url: url.url(),
                auth: AuthMode::Bearer,
                body: Some(&body),
                timeout,
                limit: self.settings.max_body,
                accept: "application/json",
            };
            let token = match tokio::time::timeout(timeout, self.bearer()).await {
                Ok(t) => t?,
                // Nothing was sent yet.
                Err(_) => return Err(Failure::Timeout.into_error(&call, 1)),
            };
            let outcome = match self.send(&call, Some(&token)).await {
                Ok(reply) if reply.status == 401 && !renewed => {
                    // Refused before anything happened: once more with a new token.
                    self.forget_token().await;
                    renewed = true;
                    continue;
                }
                Ok(reply) if reply.is_success() => {
                    let after = call
                        .parse("transaction", &reply, Transaction::from_json)
                        .ok();
                    return match after.map(|a| (verdict(transaction, &a, &reply.body), a)) {
                        Some((Verdict::Succeeded, a)) => Ok(CaptureOutcome::Captured(Box::new(a))),
                        Some((Verdict::Failed(reason), _)) => Err(ClientError::CaptureFailed {
                            transaction_id: transaction.id.clone(),
                            reason,
                        }),
                        // Accepted (202), or an answer that does not say yet.
                        _ => self.await_capture(transaction, deadline).await,
                    };
                }
                Ok(reply) if reply.status == 429 => {
                    // Refused unprocessed: sent again after Retry-After, if
                    // that fits in the wait.
                    let pause = policy.pause_within(attempt, reply.retry_after, left(deadline));
                    match pause {
                        Some(p) if attempt < attempts => {
                            tokio::time::sleep(p).await;
                            attempt += 1;
                            continue;
                        }
                        _ => return Err(call.status_error(&reply)),
                    }
                }
                Ok(reply) if reply.status >= 500 => Ambiguous::Status(call.status_error(&reply)),
                Ok(reply) => return Err(call.status_error(&reply)),
                Err(failure) if failure.is_unsent() => {
                    // No connection: the capture never left.
                    match policy.pause_within(attempt, None, left(deadline)) {
                        Some(p) if attempt < attempts => {
                            tokio::time::sleep(p).await;
                            attempt += 1;
                            continue;
                        }
                        _ => return Err(failure.into_error(&call, attempt)),
                    }
                }
                Err(failure) => Ambiguous::NoAnswer(failure.into_error(&call, attempt)),
            };
            return self.settle(transaction, started, deadline, outcome).await;
        }
    }

    /// After an ambiguous capture: reads the transaction (never captures)
    /// until its event appears or the deadline passes; at least once.
    async fn settle(
        &self,
        before: &Transaction,
        started: Instant,
        deadline: Instant,
        cause: Ambiguous,
    ) -> Result<CaptureOutcome, ClientError> {
        let mut interval = self.settings.poll_interval.max(Duration::from_millis(1));
        let cap = self.settings.retry.max_delay.max(interval);
        let mut last_read_error = None;
        loop {
            let read = tokio::time::timeout(
                left(deadline).max(MIN_REQUEST),
                self.get_transaction_with_body(&before.id),
            )
            .await;
            match read {
                Ok(Ok((after, raw))) => match verdict(before, &after, &raw) {
                    Verdict::Succeeded => return Ok(CaptureOutcome::Captured(Box::new(after))),
                    Verdict::Failed(reason) => {
                        return Err(ClientError::CaptureFailed {
                            transaction_id: before.id.clone(),
                            reason,
                        });
                    }
                    Verdict::Pending => {}
                },
                Ok(Err(e)) => last_read_error = Some(e.to_string()),
                Err(_) => break,
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = (interval * 2).min(cap);
        }
        let mut cause = cause.into_cause();
        if let Some(e) = last_read_error {
            cause.push_str(&format!("; reading it back: {e}"));
        }
        Err(ClientError::CaptureUnknown {
            transaction_id: before.id.clone(),
            cause,
            waited: started.elapsed(),
        })
    }

    /// Reads the transaction until the capture's event appears (after a 202).
    async fn await_capture(
        &self,
        before: &Transaction,
        deadline: Instant,
    ) -> Result<CaptureOutcome, ClientError> {
        let started = Instant::now();
        let mut interval = self.settings.poll_interval.max(Duration::from_millis(1));
        let cap = self.settings.retry.max_delay.max(interval);
        loop {
            let read = tokio::time::timeout(
                left(deadline).max(MIN_REQUEST),
                self.get_transaction_with_body(&before.id),
            )
            .await;
            if let Ok(read) = read {
                let (after, raw) = read?;
                match verdict(before, &after, &raw) {
                    Verdict::Succeeded => return Ok(CaptureOutcome::Captured(Box::new(after))),
                    Verdict::Failed(reason) => {
                        return Err(ClientError::CaptureFailed {
                            transaction_id: before.id.clone(),
                            reason,
                        });
                    }
                    Verdict::Pending => {}
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(ClientError::CapturePending {
                    transaction_id: before.id.clone(),
                    waited: now - started,
                });
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = (interval * 2).min(cap);
        }
    }
}

/// The time left until `deadline` (zero once it has passed).
fn left(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(json: &str) -> Transaction {
        Transaction::from_json(json).unwrap()
    }

    #[test]
    fn body_has_amount_reference_and_every_line() {
        let t = tx(
            r#"{"id": "T1", "amount": 12500, "merchant_reference": "ORD-1",
            "items": [{"id": "A", "line_id": "1", "description": "Thing", "quantity": 2.5,
                       "amount": 10000, "vat_amount": 2000, "vat": 25},
                      {"id": "ship", "line_id": "shipping-1", "quantity": 1, "amount": 2500}]}"#,
        );
        let body = capture_body(&t).unwrap();
        assert_eq!(
            body,
            json!({"amount": 12500, "capture_reference": "ORD-1", "items": [
                {"id": "A", "line_id": "1", "description": "Thing", "quantity": 2.5,
                 "amount": 10000, "vat_amount": 2000, "vat": 25},
                {"id": "ship", "line_id": "shipping-1", "quantity": 1, "amount": 2500}]})
        );
    }

    #[test]
    fn body_from_the_session_adds_the_shipping_line() {
        let t = tx(
            r#"{"id": "T1", "amount": 600, "session": {"id": "S", "order": {
            "amount": 600, "merchant_reference": "R",
            "items": [{"line_id": "1", "amount": 500, "quantity": 1}],
            "shipping_option": {"id": "s", "line_id": "ship", "amount": 100, "title": "Post"}}}}"#,
        );
        let body = capture_body(&t).unwrap();
        assert_eq!(body["items"][1]["line_id"], "ship");
        assert_eq!(body["items"][1]["quantity"], 1);
        assert_eq!(body["capture_reference"], "R");
    }

    #[test]
    fn lines_that_do_not_add_up_are_refused() {
        let t = tx(r#"{"id": "T1", "amount": 700, "items": [{"line_id": "1", "amount": 500}]}"#);
        let err = capture_body(&t).unwrap_err();
        assert!(err.to_string().contains("add up to 500"), "{err}");
        let t = tx(r#"{"id": "T1", "amount": 500, "items": [{"amount": 500}]}"#);
        assert!(
            capture_body(&t)
                .unwrap_err()
                .to_string()
                .contains("line_id")
        );
    }

    #[test]
    fn verdict_sees_success_new_failure_or_nothing() {
        let before =
            tx(r#"{"id": "T", "events": [{"id": "e0", "event": "CAPTURE", "success": false}]}"#);
        assert_eq!(verdict(&before, &before, b"{}"), Verdict::Pending);
        let body = br#"{"id": "T", "events": [{"id": "e0", "event": "CAPTURE", "success": false},
            {"id": "e1", "event": "INITIATE_CAPTURE", "success": false, "error": {"message": "declined by Kravia"}}]}"#;
        let after = tx(std::str::from_utf8(body).unwrap());
        match verdict(&before, &after, body) {
            Verdict::Failed(m) => assert!(m.contains("declined by Kravia"), "{m}"),
            v => panic!("{v:?}"),
        }
        let ok = tx(
            r#"{"id": "T", "events": [{"id": "e1", "event": "INITIATE_CAPTURE", "success": true}]}"#,
        );
        assert_eq!(verdict(&before, &ok, b"{}"), Verdict::Succeeded);
    }
}
