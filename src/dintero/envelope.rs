//! The `{"transaction": …, "session": …}` envelope: one invoice's documents in
//! one JSON object, as `batch` lines, `render --transaction` and the HTTP API
//! take them.

use serde::Deserialize;

use super::{ParseError, Session, Transaction, parse_at};

/// One invoice's documents: the transaction and, unless the transaction embeds
/// it, the session.
///
/// ```
/// use kravia_invoice::dintero::Envelope;
/// let e = Envelope::from_json(r#"{"transaction": {"id": "T1"}, "session": {"id": "S1"}}"#).unwrap();
/// assert_eq!(e.transaction.id, "T1");
/// assert_eq!(e.session.unwrap().id, "S1");
/// let err = Envelope::from_json(r#"{"transaction": {"id": "T1", "amount": "x"}}"#).unwrap_err();
/// assert_eq!(err.field, "transaction.amount: ");
/// ```
#[derive(Clone, Debug, Deserialize)]
pub struct Envelope {
    /// The transaction (`GET /v1/transactions/{id}`).
    pub transaction: Transaction,
    /// The session (`GET /v1/sessions/{id}`), when not embedded.
    #[serde(default)]
    pub session: Option<Session>,
}

impl Envelope {
    /// Parses an envelope.
    ///
    /// # Errors
    ///
    /// [`ParseError`] naming the field (`transaction.amount`,
    /// `session.order.items[0].vat`) with line and column.
    pub fn from_json(json: &str) -> Result<Envelope, ParseError> {
        parse_at("document", "", json)
    }

    /// Whether `json` looks like an envelope rather than a bare transaction: a
    /// top-level object with a `transaction` key and no `id`. Cheap: it reads
    /// only the top-level keys' presence.
    pub fn is_envelope(json: &str) -> bool {
        #[derive(Deserialize)]
        struct Keys {
            transaction: Option<serde::de::IgnoredAny>,
            id: Option<serde::de::IgnoredAny>,
        }
        matches!(
            serde_json::from_str::<Keys>(json),
            Ok(Keys {
                transaction: Some(_),
                id: None
            })
        )
    }
}
