//! Metadata maps and typed access to the `kravia:*` keys.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient::value_text;

/// `kravia:invoice_number` (transaction and event metadata).
pub const INVOICE_NUMBER: &str = "kravia:invoice_number";
/// `kravia:invoice_url` (transaction metadata).
pub const INVOICE_URL: &str = "kravia:invoice_url";
/// `kravia:payment_details:bank_account:bban`.
pub const BBAN: &str = "kravia:payment_details:bank_account:bban";
/// `kravia:payment_details:bank_account:iban`.
pub const IBAN: &str = "kravia:payment_details:bank_account:iban";
/// `kravia:payment_details:bank_account:swift`.
pub const SWIFT: &str = "kravia:payment_details:bank_account:swift";
/// `kravia:payment_details:kid`.
pub const KID: &str = "kravia:payment_details:kid";
/// `kravia:invoice_date` (event metadata).
pub const INVOICE_DATE: &str = "kravia:invoice_date";
/// `kravia:invoice_due_date` (event metadata).
pub const INVOICE_DUE_DATE: &str = "kravia:invoice_due_date";
/// `kravia:creditor_id` (event metadata).
pub const CREDITOR_ID: &str = "kravia:creditor_id";
/// `kravia:debtor_id` (event metadata).
pub const DEBTOR_ID: &str = "kravia:debtor_id";
/// `kravia:invoice_id` (event metadata).
pub const INVOICE_ID: &str = "kravia:invoice_id";
/// `kravia:case_number` (event metadata).
pub const CASE_NUMBER: &str = "kravia:case_number";

/// A metadata object: values may be strings or numbers. A key given twice (at
/// any depth) is a parse error: the metadata carries the payment facts, and
/// "the last one wins" would pick one of two KIDs silently.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata(pub BTreeMap<String, serde_json::Value>);

impl<'de> Deserialize<'de> for Metadata {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Metadata, D::Error> {
        super::lenient::unique_map(d).map(Metadata)
    }
}

/// A metadata value that is present but not text or a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotText {
    /// The key.
    pub key: String,
    /// What was found instead, e.g. `"an object"`.
    pub found: &'static str,
}

impl Metadata {
    /// The value of `key` as text: `None` when absent, null or blank; numbers as
    /// their decimal text.
    ///
    /// # Errors
    ///
    /// [`NotText`] when the value is a boolean, array or object.
    pub fn text(&self, key: &str) -> Result<Option<String>, NotText> {
        match self.0.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => value_text(v)
                .map(|s| (!s.is_empty()).then_some(s))
                .map_err(|found| NotText {
                    key: key.to_string(),
                    found,
                }),
        }
    }

    /// Whether `key` is present with a non-blank value.
    pub fn has(&self, key: &str) -> bool {
        matches!(self.text(key), Ok(Some(_)))
    }

    /// The JSON path of `key` below `prefix`: `transaction.metadata["kravia:payment_details:kid"]`.
    pub fn path(prefix: &str, key: &str) -> String {
        format!("{prefix}[\"{key}\"]")
    }
}
