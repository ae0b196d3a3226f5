//! Dintero's wire models: the transaction, its events and the checkout session.
//!
//! Reading only, and tolerant exactly as real Dintero JSON needs: unknown fields
//! are ignored, every field but `id` may be absent, metadata values may be
//! strings or numbers, quantities and VAT rates may be decimals, and amounts may
//! be written `12345.0`. Anything else that does not fit is a [`ParseError`] that
//! names the field, with line and column. No checks happen here: see `verify`.

mod envelope;
mod lenient;
pub mod metadata;
pub mod order;
pub mod session;
pub mod transaction;

pub use envelope::Envelope;
pub use metadata::Metadata;
pub use order::{Address, Customer, DiscountLine, Item, ShippingOption};
pub use session::{Configuration, Order, Session};
pub use transaction::{Event, Transaction};

/// JSON that is malformed or has a field of the wrong type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {field}line {line} column {column}: {message}")]
pub struct ParseError {
    /// What was parsed, e.g. `"transaction"`.
    pub what: &'static str,
    /// The field path with a trailing `": "`, or empty at the top level.
    pub field: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What went wrong.
    pub message: String,
}

fn parse<T: serde::de::DeserializeOwned>(what: &'static str, json: &str) -> Result<T, ParseError> {
    parse_at(what, &format!("{what}."), json)
}

/// Parses `json` as a `T`; field paths in errors start with `prefix`.
///
/// Plain serde_json first (about half the cost of tracking the path); only a
/// document that fails is parsed again to find the field.
fn parse_at<T: serde::de::DeserializeOwned>(
    what: &'static str,
    prefix: &str,
    json: &str,
) -> Result<T, ParseError> {
    if let Ok(v) = serde_json::from_str::<T>(json) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Ok(v) => {
            // Trailing garbage after the document is malformed too.
            de.end().map_err(|e| ParseError {
                what,
                field: String::new(),
                line: e.line(),
                column: e.column(),
                message: strip_position(&e.to_string()),
            })?;
            Ok(v)
        }
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Err(ParseError {
                what,
                field: if path == "." || path.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}{path}: ")
                },
                line: inner.line(),
                column: inner.column(),
                message: strip_position(&inner.to_string()),
            })
        }
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

impl Transaction {
    /// Parses the JSON of `GET /v1/transactions/{id}`.
    ///
    /// ```
    /// use kravia_invoice::dintero::Transaction;
    /// let tx = Transaction::from_json(r#"{"id": "T1", "amount": 100.0, "extra": true}"#).unwrap();
    /// assert_eq!(tx.amount, Some(100));
    /// let err = Transaction::from_json(r#"{"id": "T1", "amount": "100"}"#).unwrap_err();
    /// assert!(err.to_string().contains("transaction.amount"));
    /// ```
    ///
    /// # Errors
    ///
    /// [`ParseError`] for malformed JSON, a missing `id` or a field of the wrong type.
    pub fn from_json(json: &str) -> Result<Transaction, ParseError> {
        parse("transaction", json)
    }
}

impl Session {
    /// Parses the JSON of `GET /v1/sessions/{id}`.
    ///
    /// # Errors
    ///
    /// [`ParseError`] for malformed JSON, a missing `id` or a field of the wrong type.
    pub fn from_json(json: &str) -> Result<Session, ParseError> {
        parse("session", json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_wrong_type_names_the_field() {
        let err =
            Transaction::from_json(r#"{"id":"T","events":[{"event":"CAPTURE"},{"amount":"x"}]}"#)
                .unwrap_err();
        assert_eq!(err.field, "transaction.events[1].amount: ");
        assert_eq!(err.line, 1);
    }

    #[test]
    fn missing_id_is_an_error() {
        let err = Session::from_json("{}").unwrap_err();
        assert!(err.message.contains("missing field `id`"), "{err}");
    }

    #[test]
    fn event_kind_accepts_name() {
        let tx = Transaction::from_json(r#"{"id":"T","events":[{"name":"capture"}]}"#).unwrap();
        assert_eq!(tx.events[0].kind().as_deref(), Some("CAPTURE"));
        assert!(tx.events[0].is_successful("CAPTURE"));
    }

    #[test]
    fn trailing_garbage_is_malformed() {
        assert!(Transaction::from_json(r#"{"id":"T"} x"#).is_err());
    }

    #[test]
    fn days_until_due_is_read_per_product() {
        let s = Session::from_json(
            r#"{"id":"S","configuration":{"kravia":{"type":"payment_type","invoice_b2c":{"days_until_due":10}}}}"#,
        )
        .unwrap();
        let c = s.configuration.unwrap();
        assert_eq!(c.days_until_due("invoice_b2c"), Some(10));
        assert_eq!(c.days_until_due("invoice_b2b"), None);
    }
}
