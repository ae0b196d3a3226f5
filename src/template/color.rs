//! Colours as a template writes them: `"#1A1A1A"`, `"accent"`, `"accent 12%"`,
//! `"auto"`, and `"none"` for fills.

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::color::Rgb;

/// A colour in a template: `"#1A1A1A"`, `"accent"`, `"accent 12%"` (the accent
/// mixed with white) or `"auto"` (black or white, whichever reads on the fill
/// below it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// A fixed colour.
    Rgb(Rgb),
    /// The brand's accent (or the template's `accent_default`).
    Accent,
    /// The accent at this percentage over white (1–99).
    Tint(u8),
    /// Black or white, by contrast with the fill below.
    Auto,
}

impl Color {
    /// The colour to draw, given the accent and the fill below (for `auto`).
    pub fn resolve(self, accent: Rgb, below: Rgb) -> Rgb {
        match self {
            Color::Rgb(c) => c,
            Color::Accent => accent,
            Color::Tint(p) => accent.tint(p),
            Color::Auto => below.contrasting_text(),
        }
    }
}

/// An optional colour: a [`Color`] or `"none"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill(pub Option<Color>);

pub(super) fn parse_color(s: &str) -> Result<Color, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("accent") {
        return Ok(Color::Accent);
    }
    if t.eq_ignore_ascii_case("auto") {
        return Ok(Color::Auto);
    }
    if let Some(rest) = t
        .strip_prefix("accent")
        .or_else(|| t.strip_prefix("Accent"))
    {
        let pct = rest.trim().strip_suffix('%').map(str::trim);
        if let Some(p) = pct
            .and_then(|p| p.parse::<u8>().ok())
            .filter(|p| (1..=99).contains(p))
        {
            return Ok(Color::Tint(p));
        }
    }
    if let Some(c) = t
        .strip_prefix('#')
        .filter(|h| h.len() == 6)
        .and_then(Rgb::from_hex_digits)
    {
        return Ok(Color::Rgb(c));
    }
    Err(format!(
        "{s:?} is not a colour (expected \"#RRGGBB\", \"accent\", \"accent 12%\" or \"auto\")"
    ))
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
        let s = String::deserialize(d)?;
        parse_color(&s).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Fill {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fill, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().eq_ignore_ascii_case("none") {
            return Ok(Fill(None));
        }
        parse_color(&s)
            .map(|c| Fill(Some(c)))
            .map_err(|m| de::Error::custom(format!("{m} or \"none\"")))
    }
}
