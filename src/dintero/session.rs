//! The checkout session (`GET /v1/sessions/{id}`): the order is Kravia's source of truth.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient;
use super::metadata::Metadata;
use super::order::{Address, Customer, DiscountLine, Item, ShippingOption};

/// A Dintero checkout session. Every field but `id` may be absent.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Session {
    /// Session id.
    pub id: String,
    /// The order.
    #[serde(default)]
    pub order: Option<Order>,
    /// The customer.
    #[serde(default)]
    pub customer: Option<Customer>,
    /// Payment configuration.
    #[serde(default)]
    pub configuration: Option<Configuration>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// The transaction created from it.
    #[serde(default)]
    pub transaction_id: Option<String>,
}

/// The order of a session.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Order {
    /// Total incl. VAT, after discounts.
    #[serde(deserialize_with = "lenient::amount")]
    pub amount: Option<i64>,
    /// ISO 4217.
    pub currency: Option<String>,
    /// Total VAT.
    #[serde(deserialize_with = "lenient::amount")]
    pub vat_amount: Option<i64>,
    /// The merchant's reference.
    pub merchant_reference: Option<String>,
    /// Items (shipping is separate).
    pub items: Option<Vec<Item>>,
    /// The chosen shipping option.
    pub shipping_option: Option<ShippingOption>,
    /// Billing address: the invoice's buyer.
    pub billing_address: Option<Address>,
    /// Shipping address.
    pub shipping_address: Option<Address>,
    /// Order-level discounts, information already reflected in the items.
    pub discount_lines: Option<Vec<DiscountLine>>,
    /// Whether partial payment is allowed.
    pub partial_payment: Option<bool>,
}

/// The session's payment configuration (only what invoices need).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Configuration {
    /// `b2c` or `b2b`.
    pub default_customer_type: Option<String>,
    /// The `kravia` block: `{type, invoice_b2b: {days_until_due, …}, invoice_b2c: …}`
    /// (a key given twice is a parse error).
    #[serde(deserialize_with = "super::lenient::unique_map_opt")]
    pub kravia: Option<BTreeMap<String, serde_json::Value>>,
    /// `{name, country}` of the merchant.
    pub merchant: Option<Merchant>,
}

/// `configuration.merchant`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Merchant {
    /// Merchant name.
    pub name: Option<String>,
    /// Merchant country.
    pub country: Option<String>,
}

impl Configuration {
    /// `configuration.kravia.<product>.days_until_due` (`product` as in
    /// `invoice_b2b`), when it is a whole number.
    pub fn days_until_due(&self, product: &str) -> Option<i64> {
        let v = self.days_until_due_value(product)?;
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    }

    /// `configuration.kravia.<product>.days_until_due` as written (any JSON
    /// value), when present and not null.
    pub fn days_until_due_value(&self, product: &str) -> Option<&serde_json::Value> {
        let block = self.kravia.as_ref()?.get(product)?;
        block.get("days_until_due").filter(|v| !v.is_null())
    }
}
