//! Check-digit arithmetic shared by the identifiers: Luhn (MOD10), the KID
//! MOD11, ISO 7064 MOD 97-10 and the Finnish 7-3-1 scheme.
//!
//! Every function takes text and returns `None` (or `false`) for anything but
//! the characters it is defined on, so no input can make it panic. The sums are
//! reduced as they go, so input length never overflows them.

/// The Luhn (MOD10) check digit for `payload`: weights 2, 1, 2, 1, … from the
/// rightmost payload digit, products above 9 reduced by 9, check =
/// (10 − sum mod 10) mod 10. `None` when `payload` is empty or not all ASCII
/// digits.
///
/// ```
/// use kravia_invoice::payment::check_digit::luhn_digit;
/// assert_eq!(luhn_digit("1234"), Some(4));
/// assert_eq!(luhn_digit("12a4"), None);
/// ```
pub fn luhn_digit(payload: &str) -> Option<u8> {
    if payload.is_empty() {
        return None;
    }
    let mut sum = 0u32;
    for (i, b) in payload.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u32::from(b - b'0');
        let p = if i % 2 == 0 { d * 2 } else { d };
        sum = (sum + if p > 9 { p - 9 } else { p }) % 10;
    }
    Some(((10 - sum) % 10) as u8)
}

/// Whether `number` (at least two ASCII digits) ends in its Luhn check digit.
///
/// ```
/// use kravia_invoice::payment::check_digit::luhn_valid;
/// assert!(luhn_valid("54029681"));
/// assert!(!luhn_valid("54029682"));
/// ```
pub fn luhn_valid(number: &str) -> bool {
    match split_last_digit(number) {
        Some((payload, check)) => luhn_digit(payload) == Some(check),
        None => false,
    }
}

/// The KID MOD11 check character for `payload`: weights 2, 3, 4, 5, 6, 7, 2, 3,
/// … from the rightmost payload digit, r = sum mod 11; `'0'` when r = 0, `'-'`
/// when r = 1 (11 − 1 = 10 is not one digit), else 11 − r. `None` when
/// `payload` is empty or not all ASCII digits.
///
/// ```
/// use kravia_invoice::payment::check_digit::mod11_kid_char;
/// assert_eq!(mod11_kid_char("1234"), Some('3'));
/// assert_eq!(mod11_kid_char("1000005"), Some('-'));
/// assert_eq!(mod11_kid_char(""), None);
/// ```
pub fn mod11_kid_char(payload: &str) -> Option<char> {
    let r = mod11_remainder(payload)?;
    Some(match r {
        0 => '0',
        1 => '-',
        r => char::from(b'0' + (11 - r)),
    })
}

/// Σ digitᵢ·weightᵢ mod 11 with the KID/account weights 2, 3, 4, 5, 6, 7, 2, …
/// from the rightmost digit. `None` when empty or not all ASCII digits.
pub(crate) fn mod11_remainder(payload: &str) -> Option<u8> {
    if payload.is_empty() {
        return None;
    }
    let mut sum = 0u32;
    for (i, b) in payload.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let w = 2 + (i % 6) as u32;
        sum = (sum + u32::from(b - b'0') * w) % 11;
    }
    Some(sum as u8)
}

/// Σ digitᵢ·weightᵢ mod 11 with explicit weights from the left; `None` unless
/// `digits` is ASCII digits and exactly as long as `weights`.
pub(crate) fn weighted_mod11(digits: &str, weights: &[u32]) -> Option<u32> {
    if digits.len() != weights.len() {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in digits.bytes().zip(weights) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    Some(sum % 11)
}

/// The classic MOD11 check digit from a remainder: 0 ⇒ 0, 1 ⇒ none exists,
/// else 11 − r.
pub(crate) fn mod11_digit_from_remainder(r: u32) -> Option<u8> {
    match r {
        0 => Some(0),
        1 => None,
        r => Some((11 - r) as u8),
    }
}

/// The value of `s` mod 97 (ISO 7064 MOD 97-10), reading letters as two-digit
/// numbers A = 10 … Z = 35 (either case). Computed digit by digit, so any
/// length works without big integers. `None` when `s` is empty or has a
/// character that is not an ASCII letter or digit.
///
/// An IBAN or RF reference is valid when its first four characters moved to the
/// end give 1.
///
/// ```
/// use kravia_invoice::payment::check_digit::mod97;
/// assert_eq!(mod97("86011117947NO93"), Some(1));
/// assert_eq!(mod97("RF-1"), None);
/// ```
pub fn mod97(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut r = 0u32;
    for b in s.bytes() {
        r = match b {
            b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(b - b'A') + 10) % 97,
            b'a'..=b'z' => (r * 100 + u32::from(b - b'a') + 10) % 97,
            _ => return None,
        };
    }
    Some(r)
}

/// The two ISO 7064 MOD 97-10 check digits that make `country` + check digits
/// + `body` valid (IBAN: country code; RF: `"RF"`), as `98 − (body ‖ country ‖
/// "00") mod 97`: always 2 to 98. `None` on a non-alphanumeric character.
pub(crate) fn mod97_check_digits(country: &str, body: &str) -> Option<u32> {
    let moved = format!("{body}{country}00");
    Some(98 - mod97(&moved)?)
}

/// The Finnish reference number check digit for `payload`: weights 7, 3, 1, 7,
/// 3, 1, … from the rightmost payload digit, check = (10 − sum mod 10) mod 10.
/// `None` when `payload` is empty or not all ASCII digits.
///
/// ```
/// use kravia_invoice::payment::check_digit::fi_731_digit;
/// assert_eq!(fi_731_digit("1234561"), Some(4));
/// assert_eq!(fi_731_digit("١٢٣"), None);
/// ```
pub fn fi_731_digit(payload: &str) -> Option<u8> {
    if payload.is_empty() {
        return None;
    }
    const W: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, b) in payload.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        sum = (sum + u32::from(b - b'0') * W[i % 3]) % 10;
    }
    Some(((10 - sum) % 10) as u8)
}

/// Splits an all-ASCII-digit string of at least two digits into payload and
/// last digit.
pub(crate) fn split_last_digit(number: &str) -> Option<(&str, u8)> {
    let last = *number.as_bytes().last()?;
    if number.len() < 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((&number[..number.len() - 1], last - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_digit_published_vectors() {
        assert_eq!(luhn_digit("1234"), Some(4)); // KID 12344
        assert_eq!(luhn_digit("2345678"), Some(3)); // kid-util 23456783
        assert_eq!(luhn_digit("123"), Some(0)); // banktools-se OCR 1230
        assert_eq!(luhn_digit("1235"), Some(1)); // OCR 12351 with length digit
        assert_eq!(luhn_digit("00012320260042"), Some(5));
        assert_eq!(luhn_digit("00012320260043"), Some(3));
    }

    #[test]
    fn luhn_digit_rejects_non_digits_and_empty() {
        assert_eq!(luhn_digit(""), None);
        assert_eq!(luhn_digit("12 3"), None);
        assert_eq!(luhn_digit("١٢٣"), None);
        assert_eq!(luhn_digit("12-"), None);
    }

    #[test]
    fn luhn_valid_vectors() {
        assert!(luhn_valid("2345676"));
        assert!(luhn_valid("5560360793"));
        assert!(!luhn_valid("2345674"));
        assert!(!luhn_valid("5"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("١٢٣"));
    }

    #[test]
    fn luhn_handles_very_long_input() {
        let long = "9".repeat(100_000);
        assert!(luhn_digit(&long).is_some());
    }

    #[test]
    fn mod11_kid_char_published_vectors() {
        assert_eq!(mod11_kid_char("1234"), Some('3'));
        assert_eq!(mod11_kid_char("2345678"), Some('8'));
        assert_eq!(mod11_kid_char("1234567890"), Some('3'));
        assert_eq!(mod11_kid_char("1000005"), Some('-'));
        assert_eq!(mod11_kid_char("00012320260042"), Some('-'));
        assert_eq!(mod11_kid_char("00012320260043"), Some('8'));
        assert_eq!(mod11_kid_char(""), None);
        assert_eq!(mod11_kid_char("12a"), None);
    }

    #[test]
    fn mod97_vectors() {
        assert_eq!(mod97("86011117947NO93"), Some(1));
        assert_eq!(mod97("12345600000785FI21"), Some(1));
        assert_eq!(mod97("12345600000786FI21"), Some(28));
        assert_eq!(mod97("2348236RF33"), Some(1));
        assert_eq!(mod97("2348236rf33"), Some(1));
        assert_eq!(mod97(""), None);
        assert_eq!(mod97("RF 33"), None);
        assert_eq!(mod97("Ø"), None);
    }

    #[test]
    fn mod97_check_digits_vectors() {
        assert_eq!(mod97_check_digits("NO", "86011117947"), Some(93));
        assert_eq!(mod97_check_digits("RF", "2348236"), Some(33));
        assert_eq!(mod97_check_digits("RF", "20260040"), Some(45));
        assert_eq!(mod97_check_digits("RF", "11112"), Some(98));
    }

    #[test]
    fn fi_731_digit_vectors() {
        assert_eq!(fi_731_digit("1234561"), Some(4));
        assert_eq!(fi_731_digit("2026004"), Some(0));
        assert_eq!(fi_731_digit("234823"), Some(6));
        assert_eq!(fi_731_digit("1111"), Some(2));
        assert_eq!(fi_731_digit("123456790"), Some(7));
        assert_eq!(fi_731_digit("86851625961989"), Some(7));
        assert_eq!(fi_731_digit(""), None);
    }

    #[test]
    fn weighted_mod11_checks_length_and_digits() {
        assert_eq!(weighted_mod11("12", &[1, 1]), Some(3));
        assert_eq!(weighted_mod11("12", &[1]), None);
        assert_eq!(weighted_mod11("1a", &[1, 1]), None);
    }

    #[test]
    fn split_last_digit_cases() {
        assert_eq!(split_last_digit("123"), Some(("12", 3)));
        assert_eq!(split_last_digit("1"), None);
        assert_eq!(split_last_digit(""), None);
        assert_eq!(split_last_digit("1٣"), None);
    }
}
