//! When and where the goods or services were delivered (NO bokføringsforskriften
//! § 5-1-1 nr. 4, SE ML 17 kap. 24 § 7, FI AVL 209 e § 7).
//!
//! - The date is the caller's ([`VerifyOptions::delivery_date`](super::VerifyOptions),
//!   `--delivery-date`); without one, the invoice date is printed as the
//!   delivery date and an `assumed` warning says so.
//! - The place is the session's shipping address when it names a place (a
//!   street, a postal code or a postal place), else the billing address.

use chrono::NaiveDate;

use crate::country::Country;
use crate::dintero::Address;

use super::invoice::{Delivery, DeliveryPlace, PlaceSource};
use super::{Code, Findings, Input, clean};

/// The delivery date and place; `None` only when the issue date is unknown
/// (then another check has already failed).
pub(super) fn delivery(
    input: &Input<'_>,
    given: Option<NaiveDate>,
    issue: Option<NaiveDate>,
    warn: bool,
    f: &mut Findings,
) -> Option<Delivery> {
    let (date, date_assumed) = match given {
        Some(d) => (d, false),
        None => {
            let issue = issue?;
            if warn {
                f.warn(
                Code::Assumed,
                "delivery_date",
                format!(
                    "no delivery date was given (--delivery-date); the invoice date {issue} is printed as the delivery date"
                ),
            );
            }
            (issue, true)
        }
    };
    let shipping = input
        .order
        .shipping_address
        .as_ref()
        .map(|a| place(a, PlaceSource::ShippingAddress))
        .filter(DeliveryPlace::names_a_place);
    let place = shipping.unwrap_or_else(|| {
        let empty = Address::default();
        let billing = input.order.billing_address.as_ref().unwrap_or(&empty);
        place(billing, PlaceSource::BillingAddress)
    });
    Some(Delivery {
        date,
        date_assumed,
        place,
    })
}

fn place(a: &Address, source: PlaceSource) -> DeliveryPlace {
    DeliveryPlace {
        source,
        co_address: clean(a.co_address.as_deref()),
        address_line: clean(a.address_line.as_deref()),
        address_line_2: clean(a.address_line_2.as_deref()),
        postal_code: clean(a.postal_code.as_deref()),
        postal_place: clean(a.postal_place.as_deref()),
        country: a.country.as_deref().and_then(Country::parse),
    }
}
