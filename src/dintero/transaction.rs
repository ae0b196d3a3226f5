//! The transaction (`GET /v1/transactions/{id}`), with its events.

use serde::Deserialize;

use super::lenient;
use super::metadata::Metadata;
use super::order::{Address, Customer, Item, ShippingOption};
use super::session::Session;

/// A Dintero transaction. Every field but `id` may be absent.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Transaction {
    /// Transaction id, `"P12345678.465UfBENeLpkBvwmqfTC4k"`.
    pub id: String,
    /// The session that created it.
    #[serde(default)]
    pub session_id: Option<String>,
    /// The session, when fetched with `?includes=session`.
    #[serde(default)]
    pub session: Option<Box<Session>>,
    /// `kravia`.
    #[serde(default)]
    pub payment_product: Option<String>,
    /// `kravia.invoice_b2b` or `kravia.invoice_b2c`.
    #[serde(default)]
    pub payment_product_type: Option<String>,
    /// Authorised amount in minor units.
    #[serde(default, deserialize_with = "lenient::amount")]
    pub amount: Option<i64>,
    /// ISO 4217.
    #[serde(default)]
    pub currency: Option<String>,
    /// `AUTHORIZED`, `CAPTURED`, …
    #[serde(default)]
    pub status: Option<String>,
    /// The merchant's order reference.
    #[serde(default)]
    pub merchant_reference: Option<String>,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// The customer.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// The transaction's copy of the billing address.
    #[serde(default)]
    pub billing_address: Option<Address>,
    /// Shipping address.
    #[serde(default)]
    pub shipping_address: Option<Address>,
    /// The shipping option (also present as a line in `items`).
    #[serde(default)]
    pub shipping_option: Option<ShippingOption>,
    /// The transaction's copy of the lines: the session's items plus shipping.
    #[serde(default)]
    pub items: Option<Vec<Item>>,
    /// Metadata, with the `kravia:*` keys.
    #[serde(default)]
    pub metadata: Metadata,
    /// Events, oldest first.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// A transaction event (`AUTHORIZE`, `INITIATE_CAPTURE`, `CAPTURE`, …).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Event {
    /// Event id.
    pub id: Option<String>,
    /// The event kind (Dintero's key).
    pub event: Option<String>,
    /// The event kind under `name` (seen in older docs).
    pub name: Option<String>,
    /// Whether the operation succeeded.
    pub success: Option<bool>,
    /// Amount captured (or refunded).
    #[serde(deserialize_with = "lenient::amount")]
    pub amount: Option<i64>,
    /// Captured lines (`{line_id, amount, quantity}`).
    pub items: Option<Vec<Item>>,
    /// RFC 3339 time.
    pub created_at: Option<String>,
    /// Status after the event.
    pub transaction_status: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Set on a CAPTURE that completes an INITIATE_CAPTURE.
    pub correlation_request_id: Option<String>,
    /// Event metadata, with Kravia's dates and ids.
    pub metadata: Metadata,
}

impl Event {
    /// The event kind from `event`, else `name`, upper-cased.
    pub fn kind(&self) -> Option<String> {
        self.event
            .as_deref()
            .or(self.name.as_deref())
            .map(|s| s.trim().to_ascii_uppercase())
    }

    /// Whether the event is of `kind` and did not fail (`success` absent counts as
    /// success: failed events always say `"success": false`).
    pub fn is_successful(&self, kind: &str) -> bool {
        self.kind().as_deref() == Some(kind) && self.success != Some(false)
    }
}
