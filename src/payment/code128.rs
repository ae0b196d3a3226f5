//! Code 128, character set C (pairs of digits), as used for the Finnish bank
//! barcode.
//!
//! A symbol is Start C (105), one symbol per digit pair (00–99), a check
//! symbol = (105 + Σ i·vᵢ) mod 103 over the pairs at positions i = 1, 2, …, and
//! Stop (106) with its final bar. Each symbol is 11 modules wide (3 bars and 3
//! spaces of 1–4 modules), the stop 13; so n digits give 11·(n/2 + 2) + 13
//! modules. Quiet zones (at least 10 modules on each side) are the drawer's
//! job.

use super::IdError;

const PAYLOAD: &str = "Code 128";
const START_C: u8 = 105;
const STOP: u8 = 106;

/// Bar and space widths (in modules) of the symbol values 0–105, bar first;
/// each adds up to 11.
const PATTERNS: [[u8; 6]; 106] = [
    [2, 1, 2, 2, 2, 2],
    [2, 2, 2, 1, 2, 2],
    [2, 2, 2, 2, 2, 1],
    [1, 2, 1, 2, 2, 3],
    [1, 2, 1, 3, 2, 2],
    [1, 3, 1, 2, 2, 2],
    [1, 2, 2, 2, 1, 3],
    [1, 2, 2, 3, 1, 2],
    [1, 3, 2, 2, 1, 2],
    [2, 2, 1, 2, 1, 3],
    [2, 2, 1, 3, 1, 2],
    [2, 3, 1, 2, 1, 2],
    [1, 1, 2, 2, 3, 2],
    [1, 2, 2, 1, 3, 2],
    [1, 2, 2, 2, 3, 1],
    [1, 1, 3, 2, 2, 2],
    [1, 2, 3, 1, 2, 2],
    [1, 2, 3, 2, 2, 1],
    [2, 2, 3, 2, 1, 1],
    [2, 2, 1, 1, 3, 2],
    [2, 2, 1, 2, 3, 1],
    [2, 1, 3, 2, 1, 2],
    [2, 2, 3, 1, 1, 2],
    [3, 1, 2, 1, 3, 1],
    [3, 1, 1, 2, 2, 2],
    [3, 2, 1, 1, 2, 2],
    [3, 2, 1, 2, 2, 1],
    [3, 1, 2, 2, 1, 2],
    [3, 2, 2, 1, 1, 2],
    [3, 2, 2, 2, 1, 1],
    [2, 1, 2, 1, 2, 3],
    [2, 1, 2, 3, 2, 1],
    [2, 3, 2, 1, 2, 1],
    [1, 1, 1, 3, 2, 3],
    [1, 3, 1, 1, 2, 3],
    [1, 3, 1, 3, 2, 1],
    [1, 1, 2, 3, 1, 3],
    [1, 3, 2, 1, 1, 3],
    [1, 3, 2, 3, 1, 1],
    [2, 1, 1, 3, 1, 3],
    [2, 3, 1, 1, 1, 3],
    [2, 3, 1, 3, 1, 1],
    [1, 1, 2, 1, 3, 3],
    [1, 1, 2, 3, 3, 1],
    [1, 3, 2, 1, 3, 1],
    [1, 1, 3, 1, 2, 3],
    [1, 1, 3, 3, 2, 1],
    [1, 3, 3, 1, 2, 1],
    [3, 1, 3, 1, 2, 1],
    [2, 1, 1, 3, 3, 1],
    [2, 3, 1, 1, 3, 1],
    [2, 1, 3, 1, 1, 3],
    [2, 1, 3, 3, 1, 1],
    [2, 1, 3, 1, 3, 1],
    [3, 1, 1, 1, 2, 3],
    [3, 1, 1, 3, 2, 1],
    [3, 3, 1, 1, 2, 1],
    [3, 1, 2, 1, 1, 3],
    [3, 1, 2, 3, 1, 1],
    [3, 3, 2, 1, 1, 1],
    [3, 1, 4, 1, 1, 1],
    [2, 2, 1, 4, 1, 1],
    [4, 3, 1, 1, 1, 1],
    [1, 1, 1, 2, 2, 4],
    [1, 1, 1, 4, 2, 2],
    [1, 2, 1, 1, 2, 4],
    [1, 2, 1, 4, 2, 1],
    [1, 4, 1, 1, 2, 2],
    [1, 4, 1, 2, 2, 1],
    [1, 1, 2, 2, 1, 4],
    [1, 1, 2, 4, 1, 2],
    [1, 2, 2, 1, 1, 4],
    [1, 2, 2, 4, 1, 1],
    [1, 4, 2, 1, 1, 2],
    [1, 4, 2, 2, 1, 1],
    [2, 4, 1, 2, 1, 1],
    [2, 2, 1, 1, 1, 4],
    [4, 1, 3, 1, 1, 1],
    [2, 4, 1, 1, 1, 2],
    [1, 3, 4, 1, 1, 1],
    [1, 1, 1, 2, 4, 2],
    [1, 2, 1, 1, 4, 2],
    [1, 2, 1, 2, 4, 1],
    [1, 1, 4, 2, 1, 2],
    [1, 2, 4, 1, 1, 2],
    [1, 2, 4, 2, 1, 1],
    [4, 1, 1, 2, 1, 2],
    [4, 2, 1, 1, 1, 2],
    [4, 2, 1, 2, 1, 1],
    [2, 1, 2, 1, 4, 1],
    [2, 1, 4, 1, 2, 1],
    [4, 1, 2, 1, 2, 1],
    [1, 1, 1, 1, 4, 3],
    [1, 1, 1, 3, 4, 1],
    [1, 3, 1, 1, 4, 1],
    [1, 1, 4, 1, 1, 3],
    [1, 1, 4, 3, 1, 1],
    [4, 1, 1, 1, 1, 3],
    [4, 1, 1, 3, 1, 1],
    [1, 1, 3, 1, 4, 1],
    [1, 1, 4, 1, 3, 1],
    [3, 1, 1, 1, 4, 1],
    [4, 1, 1, 1, 3, 1],
    [2, 1, 1, 4, 1, 2],
    [2, 1, 1, 2, 1, 4],
    [2, 1, 1, 2, 3, 2],
];

/// The stop pattern (value 106) including its final bar: 13 modules.
const STOP_PATTERN: [u8; 7] = [2, 3, 3, 1, 1, 1, 2];

/// One bar or space of a barcode: `modules` X-dimensions wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bar {
    /// `true` for a bar, `false` for a space.
    pub dark: bool,
    /// Width in modules (1–4).
    pub modules: u8,
}

/// The Code 128 symbol values for an even number of ASCII digits in
/// character set C: `[105, pair₁, …, pairₙ, check, 106]`.
///
/// ```
/// use kravia_invoice::payment::code128c_symbols;
/// assert_eq!(code128c_symbols("1234").unwrap(), vec![105, 12, 34, 82, 106]);
/// assert!(code128c_symbols("123").is_err());
/// ```
pub fn code128c_symbols(digits: &str) -> Result<Vec<u8>, IdError> {
    if digits.is_empty() {
        return Err(payload_error("no digits to encode".to_string()));
    }
    if let Some((i, c)) = digits
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_digit())
    {
        return Err(payload_error(format!(
            "{c:?} at position {} is not a digit",
            i + 1
        )));
    }
    if !digits.len().is_multiple_of(2) {
        return Err(payload_error(format!(
            "subset C needs an even number of digits, got {}",
            digits.len()
        )));
    }
    let b = digits.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 2 + 3);
    out.push(START_C);
    let mut sum = u64::from(START_C);
    for (i, pair) in b.chunks(2).enumerate() {
        let v = (pair[0] - b'0') * 10 + (pair[1] - b'0');
        out.push(v);
        sum = (sum + (i as u64 + 1) * u64::from(v)) % 103;
    }
    out.push((sum % 103) as u8);
    out.push(STOP);
    Ok(out)
}

/// The bars and spaces of the Code 128 subset C symbol for `digits` (even
/// count, ASCII), left to right, starting and ending with a bar: start,
/// data, check, stop with its final bar. The total width is
/// 11 · (symbols without stop) + 13 modules (332 for the 54-digit Finnish
/// bank barcode). No quiet zone is included.
///
/// ```
/// use kravia_invoice::payment::code128c_bars;
/// let bars = code128c_bars("1234").unwrap();
/// let width: u32 = bars.iter().map(|b| u32::from(b.modules)).sum();
/// assert_eq!(width, 11 * 4 + 13);
/// assert!(code128c_bars("12a4").is_err());
/// ```
pub fn code128c_bars(digits: &str) -> Result<Vec<Bar>, IdError> {
    let symbols = code128c_symbols(digits)?;
    let mut bars = Vec::with_capacity(symbols.len() * 6 + 1);
    for &s in &symbols {
        let pattern: &[u8] = if s == STOP {
            &STOP_PATTERN
        } else {
            PATTERNS
                .get(usize::from(s))
                .ok_or_else(|| payload_error(format!("no pattern for symbol {s}")))?
        };
        for (i, &w) in pattern.iter().enumerate() {
            bars.push(Bar {
                dark: i % 2 == 0,
                modules: w,
            });
        }
    }
    Ok(bars)
}

fn payload_error(reason: String) -> IdError {
    IdError::Payload {
        payload: PAYLOAD,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const V4_EX1: &str = "479440520200360820048831500000000868516259619897100612";
    const OWN_V4: &str = "421123456000007850012345600000000000000020260040260315";

    #[test]
    fn patterns_are_eleven_modules_with_even_bar_width() {
        for (v, p) in PATTERNS.iter().enumerate() {
            assert_eq!(p.iter().map(|&w| u32::from(w)).sum::<u32>(), 11, "{v}");
            // Code 128 parity: the bars of every symbol add up to an even width.
            assert_eq!((p[0] + p[2] + p[4]) % 2, 0, "{v}");
        }
        assert_eq!(STOP_PATTERN.iter().map(|&w| u32::from(w)).sum::<u32>(), 13);
        let mut seen = std::collections::HashSet::new();
        assert!(PATTERNS.iter().all(|p| seen.insert(*p)));
    }

    #[test]
    fn symbols_for_guide_v4_example_1() {
        assert_eq!(
            code128c_symbols(V4_EX1).unwrap(),
            vec![
                105, 47, 94, 40, 52, 2, 0, 36, 8, 20, 4, 88, 31, 50, 0, 0, 0, 8, 68, 51, 62, 59,
                61, 98, 97, 10, 6, 12, 40, 106
            ]
        );
    }

    #[test]
    fn check_symbol_for_own_v4_is_74() {
        let s = code128c_symbols(OWN_V4).unwrap();
        assert_eq!(s.len(), 30);
        assert_eq!(s[28], 74);
    }

    #[test]
    fn bars_for_54_digits_are_332_modules() {
        let bars = code128c_bars(V4_EX1).unwrap();
        let total: u32 = bars.iter().map(|b| u32::from(b.modules)).sum();
        assert_eq!(total, 332);
        assert!(bars.first().unwrap().dark);
        assert!(bars.last().unwrap().dark);
        assert!(bars.windows(2).all(|w| w[0].dark != w[1].dark));
    }

    #[test]
    fn bars_match_python_barcode_run_lengths() {
        // Run lengths of python-barcode 0.15's Code128 rendering of V4_EX1.
        let expected = "2112321331211311412311132133112222212122221123131322122212311213224212112123212311312122222122222122221322121412212131134311113321112214114113114111132213121222131122322311132331112";
        let got: String = code128c_bars(V4_EX1)
            .unwrap()
            .iter()
            .map(|b| char::from(b'0' + b.modules))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn bad_input_is_rejected() {
        assert!(code128c_symbols("").is_err());
        assert!(code128c_symbols("123").is_err());
        assert!(code128c_symbols("12 4").is_err());
        assert!(code128c_symbols("١٢").is_err());
        assert!(code128c_bars("1").is_err());
        let e = code128c_symbols("12a4").unwrap_err();
        assert_eq!(e.to_string(), "Code 128: 'a' at position 3 is not a digit");
    }

    proptest! {
        #[test]
        fn width_is_eleven_per_symbol_plus_thirteen(d in "([0-9]{2}){1,40}") {
            let bars = code128c_bars(&d).unwrap();
            let total: usize = bars.iter().map(|b| usize::from(b.modules)).sum();
            prop_assert_eq!(total, 11 * (d.len() / 2 + 2) + 13);
        }

        #[test]
        fn code128_never_panics(s in any::<String>()) {
            let _ = code128c_bars(&s);
        }
    }
}
