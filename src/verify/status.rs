//! Product, status and whether collection has started.

use super::{Code, CustomerKind, Findings, Input};

/// `payment_product_type` → business or consumer; `unsupported_payment_product` otherwise.
pub(super) fn product(input: &Input<'_>, f: &mut Findings) -> Option<CustomerKind> {
    match input.tx.payment_product_type.as_deref().map(str::trim) {
        Some("kravia.invoice_b2b") => Some(CustomerKind::Business),
        Some("kravia.invoice_b2c") => Some(CustomerKind::Consumer),
        other => {
            f.error(
                Code::UnsupportedPaymentProduct,
                "transaction.payment_product_type",
                format!(
                    "expected kravia.invoice_b2b or kravia.invoice_b2c, found {}",
                    shown(other)
                ),
            );
            None
        }
    }
}

/// The status must be one an invoice can be sent for.
pub(super) fn status(input: &Input<'_>, f: &mut Findings) {
    let status = input.tx.status.as_deref().map(str::trim);
    if !matches!(
        status,
        Some("AUTHORIZED" | "PARTIALLY_CAPTURED" | "CAPTURED")
    ) {
        f.error(
            Code::NotInvoiceable,
            "transaction.status",
            format!(
                "expected AUTHORIZED, PARTIALLY_CAPTURED or CAPTURED, found {}",
                shown(status)
            ),
        );
    }
}

/// AUTHORIZED needs a successful INITIATE_CAPTURE or CAPTURE: without it Kravia
/// has not started collection and the invoice must not be sent.
pub(super) fn collection_started(input: &Input<'_>, collection: Option<usize>, f: &mut Findings) {
    if input.tx.status.as_deref().map(str::trim) == Some("AUTHORIZED") && collection.is_none() {
        f.error(
            Code::CollectionNotStarted,
            "transaction.events",
            "the transaction is AUTHORIZED but has no successful INITIATE_CAPTURE or CAPTURE event: capture it (POST /v1/transactions/{id}/capture) before delivering the invoice",
        );
    }
}

/// A field value for a message: `"x"` or `nothing`.
pub(super) fn shown(v: Option<&str>) -> String {
    match v {
        Some(s) => format!("{s:?}"),
        None => "nothing".to_string(),
    }
}
