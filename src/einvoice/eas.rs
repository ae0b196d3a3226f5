//! Electronic address schemes (EAS, ISO 6523 ICD) for the organisation
//! numbers of the countries this crate knows.
//!
//! | country | electronic address (EAS) | legal registration (ICD) | checked by |
//! |---|---|---|---|
//! | NO | `0192` Enhetsregisteret, 9 digits | the same | PEPPOL-COMMON-R041 (MOD11) |
//! | SE | `0007` Organisationsnummer, 10 digits (the last ten of a 12-digit number) | the same | PEPPOL-COMMON-R049, SE-R-003/004/013 (Luhn) |
//! | FI | `0216` OVT code: `0037` + the 8 Y-tunnus digits | `0037` LY-tunnus, 8 digits | (no schematron rule; `OrgNumber` checks the Y-tunnus) |
//!
//! `0037` left the EAS code list (the 2026 PEPPOL rules reject it as an
//! `EndpointID` scheme, PEPPOL-EN16931-CL008) but stays an ICD for the legal
//! registration; Finnish e-invoice addresses are OVT codes.

use std::borrow::Cow;

use crate::country::Country;
use crate::payment::OrgNumber;

use super::model::SchemeId;

/// The organisation number as registered: NO 9 digits, SE the last ten, FI 8.
fn registered(org: &OrgNumber) -> &str {
    let d = org.digits();
    match org.country() {
        // A 12-digit Swedish number (16 + org number, or a sole trader's
        // century + personnummer) is registered under its last ten digits.
        Country::Se if d.len() == 12 => &d[2..],
        _ => d,
    }
}

/// The organisation number as an electronic address (`EndpointID`); `None`
/// where this crate knows no scheme.
pub(crate) fn endpoint(org: &OrgNumber) -> Option<SchemeId<'_>> {
    let id = registered(org);
    Some(match org.country() {
        Country::No => SchemeId {
            scheme: "0192",
            id: Cow::Borrowed(id),
        },
        Country::Se => SchemeId {
            scheme: "0007",
            id: Cow::Borrowed(id),
        },
        Country::Fi => SchemeId {
            scheme: "0216",
            id: Cow::Owned(format!("0037{id}")),
        },
        Country::Other(_) => return None,
    })
}

/// The organisation number as the legal registration (`PartyLegalEntity/CompanyID`).
pub(crate) fn legal_id(org: &OrgNumber) -> Option<SchemeId<'_>> {
    let scheme = match org.country() {
        Country::No => "0192",
        Country::Se => "0007",
        Country::Fi => "0037",
        Country::Other(_) => return None,
    };
    Some(SchemeId {
        scheme,
        id: Cow::Borrowed(registered(org)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_per_country() {
        let pair = |o: &OrgNumber| {
            let (e, l) = (endpoint(o).unwrap(), legal_id(o).unwrap());
            (e.scheme, e.id.into_owned(), l.scheme, l.id.into_owned())
        };
        let no = OrgNumber::parse(Country::No, "988 077 917").unwrap();
        assert_eq!(
            pair(&no),
            ("0192", "988077917".into(), "0192", "988077917".into())
        );
        let se = OrgNumber::parse(Country::Se, "165560360793").unwrap();
        assert_eq!(
            pair(&se),
            ("0007", "5560360793".into(), "0007", "5560360793".into())
        );
        let fi = OrgNumber::parse(Country::Fi, "2077474-0").unwrap();
        assert_eq!(
            pair(&fi),
            ("0216", "003720774740".into(), "0037", "20774740".into())
        );
        let dk = OrgNumber::parse(Country::parse("DK").unwrap(), "12345678").unwrap();
        assert!(endpoint(&dk).is_none() && legal_id(&dk).is_none());
    }
}
