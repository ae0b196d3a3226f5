//! Electronic address schemes (EAS, ISO 6523 ICD) for the organisation
//! numbers of the countries this crate knows.
//!
//! | country | EAS | identifier | checked by |
//! |---|---|---|---|
//! | NO | `0192` Enhetsregisteret | 9 digits | PEPPOL-COMMON-R041 (MOD11) |
//! | SE | `0007` Organisationsnummer | 10 digits (the last ten of a 12-digit number) | PEPPOL-COMMON-R049, SE-R-003/004/013 (Luhn) |
//! | FI | `0037` LY-tunnus (Y-tunnus) | 8 digits, no hyphen | (no schematron rule; 7-3-1 checked by `OrgNumber`) |

use std::borrow::Cow;

use crate::country::Country;
use crate::payment::OrgNumber;

use super::model::SchemeId;

/// The EAS code for an organisation number of `country`; `None` where this
/// crate knows no scheme.
pub(crate) fn scheme(country: Country) -> Option<&'static str> {
    match country {
        Country::No => Some("0192"),
        Country::Se => Some("0007"),
        Country::Fi => Some("0037"),
        Country::Other(_) => None,
    }
}

/// The organisation number as an identifier in its country's EAS.
pub(crate) fn org_id(org: &OrgNumber) -> Option<SchemeId<'_>> {
    let scheme = scheme(org.country())?;
    let d = org.digits();
    let id = match org.country() {
        // A 12-digit Swedish number (16 + org number, or a sole trader's
        // century + personnummer) is registered under its last ten digits.
        Country::Se if d.len() == 12 => &d[2..],
        _ => d,
    };
    Some(SchemeId {
        scheme,
        id: Cow::Borrowed(id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_per_country() {
        let no = OrgNumber::parse(Country::No, "988 077 917").unwrap();
        let id = org_id(&no).unwrap();
        assert_eq!((id.scheme, id.id.as_ref()), ("0192", "988077917"));
        let se = OrgNumber::parse(Country::Se, "165560360793").unwrap();
        let id = org_id(&se).unwrap();
        assert_eq!((id.scheme, id.id.as_ref()), ("0007", "5560360793"));
        let fi = OrgNumber::parse(Country::Fi, "2077474-0").unwrap();
        let id = org_id(&fi).unwrap();
        assert_eq!((id.scheme, id.id.as_ref()), ("0037", "20774740"));
        let dk = OrgNumber::parse(Country::parse("DK").unwrap(), "12345678").unwrap();
        assert!(org_id(&dk).is_none());
    }
}
