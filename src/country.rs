//! Countries, as far as invoices care: Norway, Sweden, Finland, and the rest.

use std::fmt;

/// An ISO 3166-1 alpha-2 country; the three Nordic countries this crate knows
/// the rules of get their own variant.
///
/// ```
/// use kravia_invoice::Country;
/// assert_eq!(Country::parse("no"), Some(Country::No));
/// assert_eq!(Country::parse("DK").unwrap().code(), "DK");
/// assert_eq!(Country::parse("Norway"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Country {
    /// Norway.
    No,
    /// Sweden.
    Se,
    /// Finland.
    Fi,
    /// Any other country, by its upper-case alpha-2 code.
    Other([u8; 2]),
}

impl Country {
    /// Parses a two-letter code, case-insensitively; `None` unless it is two ASCII letters.
    pub fn parse(s: &str) -> Option<Country> {
        let b = s.trim().as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let code = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
        Some(match &code {
            b"NO" => Country::No,
            b"SE" => Country::Se,
            b"FI" => Country::Fi,
            _ => Country::Other(code),
        })
    }

    /// The upper-case alpha-2 code.
    pub fn code(&self) -> &str {
        match self {
            Country::No => "NO",
            Country::Se => "SE",
            Country::Fi => "FI",
            // Other is only built from ASCII letters.
            Country::Other(c) => std::str::from_utf8(c).unwrap_or("??"),
        }
    }

    /// The IANA time zone of the country's capital, for the Nordic three.
    pub fn time_zone(&self) -> Option<chrono_tz::Tz> {
        match self {
            Country::No => Some(chrono_tz::Europe::Oslo),
            Country::Se => Some(chrono_tz::Europe::Stockholm),
            Country::Fi => Some(chrono_tz::Europe::Helsinki),
            Country::Other(_) => None,
        }
    }
}

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted.
pub const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Whether `code` (upper case) is an officially assigned ISO 3166-1 alpha-2
/// code: `GB` is, `UK` and `QQ` are not.
///
/// ```
/// use kravia_invoice::country::is_iso_3166_alpha2;
/// assert!(is_iso_3166_alpha2("GB"));
/// assert!(!is_iso_3166_alpha2("UK"));
/// ```
pub fn is_iso_3166_alpha2(code: &str) -> bool {
    ISO_3166_ALPHA2.binary_search(&code).is_ok()
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Serialised as its ISO 3166 alpha-2 code.
impl serde::Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}
