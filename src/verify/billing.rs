//! The buyer: required billing fields and the buyer's organisation number.

use crate::country::Country;
use crate::dintero::Address;
use crate::payment::OrgNumber;

use super::{Buyer, Code, CustomerKind, Findings, Input, clean, present};

const B2C_REQUIRED: [&str; 7] = [
    "first_name",
    "last_name",
    "address_line",
    "postal_code",
    "country",
    "phone_number",
    "email",
];
const B2B_EXTRA: [&str; 2] = ["business_name", "organization_number"];

pub(super) fn buyer(input: &Input<'_>, kind: Option<CustomerKind>, f: &mut Findings) -> Buyer {
    let empty = Address::default();
    let a = input.order.billing_address.as_ref().unwrap_or(&empty);
    let customer = input.session.customer.as_ref();
    let mut b = Buyer {
        business_name: clean(a.business_name.as_deref()),
        first_name: clean(a.first_name.as_deref()),
        last_name: clean(a.last_name.as_deref()),
        org_number: None,
        customer_reference: clean(a.customer_reference.as_deref()),
        cost_center: clean(a.cost_center.as_deref()),
        co_address: clean(a.co_address.as_deref()),
        address_line: clean(a.address_line.as_deref()),
        address_line_2: clean(a.address_line_2.as_deref()),
        postal_code: clean(a.postal_code.as_deref()),
        postal_place: clean(a.postal_place.as_deref()),
        country: None,
        email: clean(a.email.as_deref())
            .or_else(|| clean(customer.and_then(|c| c.email.as_deref()))),
        phone_number: clean(a.phone_number.as_deref())
            .or_else(|| clean(customer.and_then(|c| c.phone_number.as_deref()))),
    };
    let path = |field: &str| input.order_path(&format!("billing_address.{field}"));

    let country_text = clean(a.country.as_deref());
    b.country = country_text.as_deref().and_then(Country::parse);
    let present = |field: &str| -> bool {
        match field {
            "first_name" => b.first_name.is_some(),
            "last_name" => b.last_name.is_some(),
            "address_line" => b.address_line.is_some(),
            "postal_code" => b.postal_code.is_some(),
            "country" => country_text.is_some(),
            "phone_number" => b.phone_number.is_some(),
            "email" => b.email.is_some(),
            "business_name" => b.business_name.is_some(),
            "organization_number" => present(a.organization_number.as_deref()).is_some(),
            _ => true,
        }
    };
    let required: Vec<&str> = match kind {
        Some(CustomerKind::Business) => B2C_REQUIRED
            .iter()
            .chain(B2B_EXTRA.iter())
            .copied()
            .collect(),
        _ => B2C_REQUIRED.to_vec(),
    };
    let what = match kind {
        Some(CustomerKind::Business) => "a B2B invoice",
        _ => "an invoice",
    };
    for field in required {
        if !present(field) {
            let also = if matches!(field, "email" | "phone_number") {
                " (nor does the session's customer)"
            } else {
                ""
            };
            f.error(
                Code::MissingBillingField,
                path(field),
                format!("{what} needs the buyer's {field}; the billing address has none{also}"),
            );
        }
    }
    if let (Some(text), None) = (&country_text, b.country) {
        f.error(
            Code::MissingBillingField,
            path("country"),
            format!("{text:?} is not a two-letter country code"),
        );
    }
    if let Some(org) = clean(a.organization_number.as_deref()) {
        let country = b.country.unwrap_or(Country::No);
        match OrgNumber::parse(country, &org) {
            Ok(n) => b.org_number = Some(n),
            Err(e) => f.error(
                Code::InvalidOrganizationNumber,
                path("organization_number"),
                e.to_string(),
            ),
        }
    }
    b
}
