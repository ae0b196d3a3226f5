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
//! capture is never retried blindly: after a timeout, a connection error, a
//! 429 or a 5xx the transaction is read first; it is sent again only when the
//! transaction shows no capture event at all.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Instant;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::dintero::{Item, ShippingOption, Transaction};

use super::DinteroClient;
use super::error::ClientError;
use super::request::{AuthMode, Call, Verb};

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

impl DinteroClient {
    /// Captures `transaction` for merchant delivery, once.
    ///
    /// Sends nothing when the transaction already has a successful
    /// `INITIATE_CAPTURE` or `CAPTURE` event ([`CaptureOutcome::AlreadyStarted`]).
    /// Otherwise posts the capture (see the module docs for the body), and
    /// returns the transaction that shows the successful event: from a 200,
    /// or read again after a 202 until the event appears (at most the
    /// client's capture wait). After a timeout, a connection error, a 429 or a
    /// 5xx the transaction is read before anything else, and the capture is
    /// sent again (within the retry policy's attempts) only when no capture
    /// event is there.
    ///
    /// # Errors
    ///
    /// [`ClientError::CaptureNotPossible`] (nothing sent) when the status is
    /// not `AUTHORIZED` or the lines do not add up to the amount;
    /// [`ClientError::Http`] for a 4xx; [`ClientError::CaptureFailed`] when
    /// Dintero records the capture as failed or no event appears after every
    /// attempt; [`ClientError::CapturePending`] when an accepted capture has
    /// not completed in time.
    pub async fn capture_for_merchant_delivery(
        &self,
        transaction: &Transaction,
    ) -> Result<CaptureOutcome, ClientError> {
        self.guard(self.capture_unguarded(transaction).await)
    }

    async fn capture_unguarded(
        &self,
        transaction: &Transaction,
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
        let url = self
            .base
            .join(&["transactions", &transaction.id, "capture"]);
        let call = Call {
            verb: Verb::Post,
            url: url.url(),
            auth: AuthMode::Bearer,
            body: Some(&body),
            timeout: self.settings.timeout,
            limit: self.settings.max_body,
            accept: "application/json",
        };
        let policy = &self.settings.retry;
        let attempts = policy.attempts();
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let token = self.bearer().await?;
            let (uncertain, retry_after) = match self.send(&call, Some(&token)).await {
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
                        _ => self.await_capture(transaction).await,
                    };
                }
                Ok(reply) if reply.status == 429 || reply.status >= 500 => {
                    (call.status_error(&reply), reply.retry_after)
                }
                Ok(reply) => return Err(call.status_error(&reply)),
                Err(failure) => (failure.into_error(&call, attempt), None),
            };
            // The outcome is unknown: read the transaction before deciding.
            tokio::time::sleep(policy.pause(attempt, retry_after)).await;
            let (after, raw) = self.get_transaction_with_body(&transaction.id).await?;
            match verdict(transaction, &after, &raw) {
                Verdict::Succeeded => return Ok(CaptureOutcome::Captured(Box::new(after))),
                Verdict::Failed(reason) => {
                    return Err(ClientError::CaptureFailed {
                        transaction_id: transaction.id.clone(),
                        reason,
                    });
                }
                Verdict::Pending => {}
            }
            if attempt >= attempts {
                return Err(ClientError::CaptureFailed {
                    transaction_id: transaction.id.clone(),
                    reason: format!(
                        "no INITIATE_CAPTURE or CAPTURE event after {attempt} attempt{}; the last: {uncertain}",
                        if attempt == 1 { "" } else { "s" }
                    ),
                });
            }
            attempt += 1;
        }
    }

    /// Reads the transaction until the capture's event appears.
    async fn await_capture(&self, before: &Transaction) -> Result<CaptureOutcome, ClientError> {
        let started = Instant::now();
        let deadline = started + self.settings.capture_wait;
        let mut interval = self
            .settings
            .poll_interval
            .max(std::time::Duration::from_millis(1));
        let cap = self.settings.retry.max_delay.max(interval);
        loop {
            let (after, raw) = self.get_transaction_with_body(&before.id).await?;
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
