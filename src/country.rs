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
