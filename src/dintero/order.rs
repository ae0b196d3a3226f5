//! Order pieces shared by the session and the transaction: items, discounts,
//! shipping options and addresses.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::lenient;

/// An order line (`OrderItem`): amounts are line totals incl. VAT, after discounts.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Item {
    /// Product id / SKU.
    pub id: Option<String>,
    /// Line id, unique in the order; matches capture lines.
    pub line_id: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Quantity; may be a decimal.
    #[serde(deserialize_with = "lenient::decimal")]
    pub quantity: Option<Decimal>,
    /// Line total incl. VAT, after discounts, in minor units.
    #[serde(deserialize_with = "lenient::amount")]
    pub amount: Option<i64>,
    /// The VAT in `amount`.
    #[serde(deserialize_with = "lenient::amount")]
    pub vat_amount: Option<i64>,
    /// VAT percentage (25, 25.5).
    #[serde(deserialize_with = "lenient::decimal")]
    pub vat: Option<Decimal>,
    /// `physical`, `service`, `shipping`, …
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Amount before discounts.
    #[serde(deserialize_with = "lenient::amount")]
    pub gross_amount: Option<i64>,
    /// Discounts applied to this line.
    pub discount_lines: Option<Vec<DiscountLine>>,
}

/// A discount (`DiscountItem`); amounts are positive.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct DiscountLine {
    /// The discount amount.
    #[serde(deserialize_with = "lenient::amount")]
    pub amount: Option<i64>,
    /// The percentage.
    #[serde(deserialize_with = "lenient::decimal")]
    pub percentage: Option<Decimal>,
    /// Description.
    pub description: Option<String>,
    /// Kind of discount.
    pub discount_type: Option<String>,
    /// Discount id.
    pub discount_id: Option<String>,
}

/// A shipping option; on the transaction it also appears as a line in `items`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct ShippingOption {
    /// Option id.
    pub id: Option<String>,
    /// Line id.
    pub line_id: Option<String>,
    /// Amount incl. VAT.
    #[serde(deserialize_with = "lenient::amount")]
    pub amount: Option<i64>,
    /// VAT in `amount`.
    #[serde(deserialize_with = "lenient::amount")]
    pub vat_amount: Option<i64>,
    /// VAT percentage.
    #[serde(deserialize_with = "lenient::decimal")]
    pub vat: Option<Decimal>,
    /// Title, e.g. "Bring Servicepakke".
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Operator, e.g. "Bring".
    pub operator: Option<String>,
}

/// An address (`OrderAddress`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Address {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Company name.
    pub business_name: Option<String>,
    /// Company's organisation number.
    pub organization_number: Option<String>,
    /// The customer's reference.
    pub customer_reference: Option<String>,
    /// Cost centre.
    pub cost_center: Option<String>,
    /// c/o.
    pub co_address: Option<String>,
    /// Street address.
    pub address_line: Option<String>,
    /// Second line.
    pub address_line_2: Option<String>,
    /// Postal code (a string: leading zeros matter).
    pub postal_code: Option<String>,
    /// Postal place.
    pub postal_place: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone (E.123).
    pub phone_number: Option<String>,
}

impl Address {
    /// The address's fields by their JSON names, in a fixed order, for comparison.
    pub fn fields(&self) -> [(&'static str, Option<&str>); 14] {
        [
            ("first_name", self.first_name.as_deref()),
            ("last_name", self.last_name.as_deref()),
            ("business_name", self.business_name.as_deref()),
            ("organization_number", self.organization_number.as_deref()),
            ("customer_reference", self.customer_reference.as_deref()),
            ("cost_center", self.cost_center.as_deref()),
            ("co_address", self.co_address.as_deref()),
            ("address_line", self.address_line.as_deref()),
            ("address_line_2", self.address_line_2.as_deref()),
            ("postal_code", self.postal_code.as_deref()),
            ("postal_place", self.postal_place.as_deref()),
            ("country", self.country.as_deref()),
            ("email", self.email.as_deref()),
            ("phone_number", self.phone_number.as_deref()),
        ]
    }
}

/// The customer block (`{email, phone_number}`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Customer {
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone_number: Option<String>,
}
