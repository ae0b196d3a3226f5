//! Which document a JSON text is, by its top-level keys: a transaction or a
//! checkout session. Both parse as either (every field but `id` is optional),
//! so a swapped `--transaction` and `--session` would otherwise be reported as
//! a dozen unrelated disagreements instead of the one mistake it is.

use serde::Deserialize;
use serde::de::IgnoredAny;

/// What a document looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A transaction (`GET /v1/transactions/{id}`): it has
    /// `payment_product_type`, `payment_product`, `session_id` or
    /// `settlement_status`, and no `order`.
    Transaction,
    /// A checkout session (`GET /v1/sessions/{id}`): it has `order`,
    /// `configuration`, `transaction_id` or `expires_at`, and none of the
    /// transaction's keys.
    Session,
    /// Neither clearly (or not a JSON object).
    Unknown,
}

/// The top-level keys that tell the two apart.
#[derive(Deserialize)]
struct Keys {
    payment_product_type: Option<IgnoredAny>,
    payment_product: Option<IgnoredAny>,
    session_id: Option<IgnoredAny>,
    settlement_status: Option<IgnoredAny>,
    order: Option<IgnoredAny>,
    configuration: Option<IgnoredAny>,
    transaction_id: Option<IgnoredAny>,
    expires_at: Option<IgnoredAny>,
}

impl Keys {
    fn shape(&self) -> Shape {
        let transaction = self.payment_product_type.is_some()
            || self.payment_product.is_some()
            || self.session_id.is_some()
            || self.settlement_status.is_some();
        let session = self.order.is_some()
            || self.configuration.is_some()
            || self.transaction_id.is_some()
            || self.expires_at.is_some();
        match (transaction, session) {
            (true, false) => Shape::Transaction,
            (false, true) => Shape::Session,
            _ => Shape::Unknown,
        }
    }

    /// The key that gave the shape away, for messages.
    fn telltale(&self) -> &'static str {
        [
            (self.order.is_some(), "order"),
            (self.configuration.is_some(), "configuration"),
            (self.transaction_id.is_some(), "transaction_id"),
            (self.expires_at.is_some(), "expires_at"),
            (self.payment_product_type.is_some(), "payment_product_type"),
            (self.session_id.is_some(), "session_id"),
            (self.payment_product.is_some(), "payment_product"),
            (self.settlement_status.is_some(), "settlement_status"),
        ]
        .into_iter()
        .find_map(|(present, key)| present.then_some(key))
        .unwrap_or("")
    }
}

impl Shape {
    /// The shape of a JSON document, reading only its top-level keys.
    ///
    /// ```
    /// use kravia_invoice::dintero::Shape;
    /// assert_eq!(Shape::of(r#"{"id": "T1", "payment_product_type": "kravia.invoice_b2b", "events": []}"#), Shape::Transaction);
    /// assert_eq!(Shape::of(r#"{"id": "S1", "order": {"amount": 100}, "url": {}}"#), Shape::Session);
    /// assert_eq!(Shape::of(r#"{"id": "X"}"#), Shape::Unknown);
    /// assert_eq!(Shape::of("not json"), Shape::Unknown);
    /// ```
    pub fn of(json: &str) -> Shape {
        Shape::with_telltale(json).0
    }

    /// [`Shape::of`] and the key that decided it (`"order"`,
    /// `"payment_product_type"`; empty when unknown).
    pub fn with_telltale(json: &str) -> (Shape, &'static str) {
        match serde_json::from_str::<Keys>(json) {
            Ok(k) => match k.shape() {
                Shape::Unknown => (Shape::Unknown, ""),
                s => (s, k.telltale()),
            },
            Err(_) => (Shape::Unknown, ""),
        }
    }

    /// The shapes of the `transaction` and `session` members of a
    /// `{"transaction": …, "session": …}` envelope, with their telltale keys.
    ///
    /// ```
    /// use kravia_invoice::dintero::Shape;
    /// let swapped = r#"{"transaction": {"id": "S1", "order": {}}, "session": {"id": "T1", "session_id": "S1"}}"#;
    /// let (t, s) = Shape::of_envelope(swapped);
    /// assert_eq!((t.0, s.0), (Shape::Session, Shape::Transaction));
    /// assert_eq!((t.1, s.1), ("order", "session_id"));
    /// ```
    pub fn of_envelope(json: &str) -> ((Shape, &'static str), (Shape, &'static str)) {
        #[derive(Deserialize)]
        struct Members {
            transaction: Option<Keys>,
            session: Option<Keys>,
        }
        let of = |k: Option<Keys>| match k {
            Some(k) => match k.shape() {
                Shape::Unknown => (Shape::Unknown, ""),
                s => (s, k.telltale()),
            },
            None => (Shape::Unknown, ""),
        };
        match serde_json::from_str::<Members>(json) {
            Ok(m) => (of(m.transaction), of(m.session)),
            Err(_) => ((Shape::Unknown, ""), (Shape::Unknown, "")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TX: &str =
        include_str!("../../tests/fixtures/pub_ok_no_b2b_three_rates/transaction.json");
    const SESSION: &str =
        include_str!("../../tests/fixtures/pub_ok_no_b2b_three_rates/session.json");
    const EMBEDDED: &str =
        include_str!("../../tests/fixtures/pub_ok_no_b2c_captured_embedded/transaction.json");

    #[test]
    fn fixtures_have_their_shapes() {
        assert_eq!(
            Shape::with_telltale(TX),
            (Shape::Transaction, "payment_product_type")
        );
        assert_eq!(Shape::with_telltale(SESSION), (Shape::Session, "order"));
        // A transaction that embeds its session is still a transaction.
        assert_eq!(Shape::of(EMBEDDED), Shape::Transaction);
    }

    #[test]
    fn mixed_or_bare_documents_are_unknown() {
        assert_eq!(
            Shape::of(r#"{"id": "X", "order": {}, "session_id": "S"}"#),
            Shape::Unknown
        );
        assert_eq!(
            Shape::of(r#"{"id": "X", "events": [], "metadata": {}}"#),
            Shape::Unknown
        );
        assert_eq!(Shape::of("[1, 2]"), Shape::Unknown);
    }

    #[test]
    fn envelope_members() {
        let ok = format!(r#"{{"transaction": {TX}, "session": {SESSION}}}"#);
        let ((t, _), (s, _)) = Shape::of_envelope(&ok);
        assert_eq!((t, s), (Shape::Transaction, Shape::Session));
        let swapped = format!(r#"{{"transaction": {SESSION}, "session": {TX}}}"#);
        let ((t, _), (s, _)) = Shape::of_envelope(&swapped);
        assert_eq!((t, s), (Shape::Session, Shape::Transaction));
    }
}
