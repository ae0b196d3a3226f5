//! The seller, from the brand file: name and organisation number by the seller
//! country's rule, and the legal wording that follows from them.

use crate::country::Country;
use crate::payment::OrgNumber;

use super::invoice::LegalLine;
use super::{Code, Findings, Input, Seller, clean};

/// The seller's country: the brand's, else the session's merchant country, else NO.
pub(super) fn country(input: &Input<'_>) -> Country {
    input
        .brand
        .and_then(|b| b.seller.country.as_deref())
        .and_then(Country::parse)
        .or_else(|| {
            input
                .session
                .configuration
                .as_ref()
                .and_then(|c| c.merchant.as_ref())
                .and_then(|m| m.country.as_deref())
                .and_then(Country::parse)
        })
        .unwrap_or(Country::No)
}

/// The checked seller; `None` without a brand (checks skipped) or when invalid.
pub(super) fn seller(input: &Input<'_>, f: &mut Findings) -> Option<Seller> {
    let brand = input.brand?;
    let s = &brand.seller;
    let mut ok = true;
    if let Some(c) = s.country.as_deref()
        && Country::parse(c).is_none()
    {
        f.error(
            Code::InvalidSeller,
            "brand.seller.country",
            format!("{c:?} is not a two-letter country code"),
        );
        ok = false;
    }
    let country = country(input);
    let name = clean(s.name.as_deref());
    if name.is_none() {
        f.error(
            Code::InvalidSeller,
            "brand.seller.name",
            "the brand file's [seller] has no name",
        );
        ok = false;
    }
    let org = match clean(s.organization_number.as_deref()) {
        None => {
            f.error(
                Code::InvalidSeller,
                "brand.seller.organization_number",
                "the brand file's [seller] has no organization_number",
            );
            None
        }
        Some(text) => match OrgNumber::parse(country, &text) {
            Ok(n) => Some(n),
            Err(e) => {
                f.error(
                    Code::InvalidSeller,
                    "brand.seller.organization_number",
                    format!("{e} (checked as a {country} number)"),
                );
                None
            }
        },
    };
    let (Some(name), Some(org_number), true) = (name, org, ok) else {
        return None;
    };
    let vat_number = match country {
        Country::Se | Country::Fi => {
            clean(s.vat_number.as_deref()).or_else(|| org_number.vat_number())
        }
        _ => clean(s.vat_number.as_deref()),
    };
    let register = clean(s.register.as_deref());
    let legal = legal_lines(
        country,
        &org_number,
        s.vat_registered,
        vat_number.as_deref(),
        register.as_deref(),
        s.f_skatt,
    );
    Some(Seller {
        name,
        org_number,
        country,
        vat_registered: s.vat_registered,
        register,
        vat_number,
        f_skatt: s.f_skatt,
        legal,
        address_line: clean(s.address_line.as_deref()),
        postal_code: clean(s.postal_code.as_deref()),
        postal_place: clean(s.postal_place.as_deref()),
        email: clean(s.email.as_deref()),
        phone: clean(s.phone.as_deref()),
        website: clean(s.website.as_deref()),
    })
}

/// The seller's legal lines by the seller's country: NO `988 077 917 MVA` and
/// the register; SE the org number, VAT number, register and F-skatt; FI the
/// business id (Y-tunnus), VAT number (ALV-numero) and register.
fn legal_lines(
    country: Country,
    org: &OrgNumber,
    vat_registered: bool,
    vat_number: Option<&str>,
    register: Option<&str>,
    f_skatt: bool,
) -> Vec<LegalLine> {
    let mut out = Vec::new();
    match country {
        Country::No => {
            let mva = if vat_registered { " MVA" } else { "" };
            out.push(LegalLine::OrgNumber(format!("{org}{mva}")));
            out.extend(register.map(|r| LegalLine::Register(r.to_string())));
        }
        country => {
            out.push(match country {
                Country::Fi => LegalLine::BusinessId(org.to_string()),
                _ => LegalLine::OrgNumber(org.to_string()),
            });
            out.extend(vat_number.map(|v| LegalLine::VatNumber(v.to_string())));
            out.extend(register.map(|r| LegalLine::Register(r.to_string())));
            if f_skatt {
                out.push(LegalLine::FSkatt);
            }
        }
    }
    out
}
