//! Colour: [`Rgb`], `#RRGGBB` parsing, tints and contrast.
//!
//! The one place colours are read and mixed: the brand's accent, a template's
//! colours, an SVG logo's fills and the layout dump all go through here.
//!
//! ```
//! use kravia_invoice::color::Rgb;
//! assert_eq!(Rgb::parse_hex("#1F4E79"), Some(Rgb(0x1F, 0x4E, 0x79)));
//! assert_eq!(Rgb::parse_hex("#fff"), Some(Rgb::WHITE));
//! assert_eq!(Rgb::parse_hex("1F4E79"), None); // the `#` is required
//! assert_eq!(Rgb(0x1F, 0x4E, 0x79).tint(20), Rgb(0xD2, 0xDC, 0xE4));
//! assert_eq!(Rgb(0x1F, 0x4E, 0x79).to_hex(), "#1F4E79");
//! ```

/// An sRGB colour, 0–255 per channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);
    /// The near-black used for text on light fills.
    pub const INK: Rgb = Rgb(0x1A, 0x1A, 0x1A);

    /// Parses `#RRGGBB` or `#RGB` (surrounding white space allowed); `None`
    /// for anything else.
    pub fn parse_hex(s: &str) -> Option<Rgb> {
        Rgb::from_hex_digits(s.trim().strip_prefix('#')?)
    }

    /// Parses six (`RRGGBB`) or three (`RGB`) hex digits without the `#`.
    pub fn from_hex_digits(hex: &str) -> Option<Rgb> {
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    /// `#RRGGBB`, upper case.
    pub fn to_hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// This colour mixed with white: `percent` of the colour (0–100).
    pub fn tint(self, percent: u8) -> Rgb {
        let p = u32::from(percent.min(100));
        let mix = |v: u8| -> u8 {
            let v = (u32::from(v) * p + 255 * (100 - p) + 50) / 100;
            u8::try_from(v).unwrap_or(255)
        };
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }

    /// White or near-black ([`Rgb::INK`]), whichever has the higher contrast
    /// on this colour as a fill (WCAG relative luminance).
    pub fn contrasting_text(self) -> Rgb {
        let lin = |v: u8| {
            let c = f32::from(v) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2);
        // contrast with white (1.05 / (l + 0.05)) vs with black ((l + 0.05) / 0.05)
        if 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 {
            Rgb::WHITE
        } else {
            Rgb::INK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rgb;

    #[test]
    fn hex_forms() {
        assert_eq!(Rgb::parse_hex(" #1a1A1a "), Some(Rgb::INK));
        assert_eq!(Rgb::parse_hex("#abc"), Some(Rgb(0xAA, 0xBB, 0xCC)));
        assert_eq!(Rgb::parse_hex("#12345"), None);
        assert_eq!(Rgb::parse_hex("#12345G"), None);
        assert_eq!(Rgb::parse_hex("#+1+2+3"), None);
        assert_eq!(Rgb::parse_hex(""), None);
    }

    #[test]
    fn tint_ends() {
        let c = Rgb(10, 200, 30);
        assert_eq!(c.tint(100), c);
        assert_eq!(c.tint(0), Rgb::WHITE);
    }

    #[test]
    fn contrast() {
        assert_eq!(Rgb(0x1F, 0x4E, 0x79).contrasting_text(), Rgb::WHITE);
        assert_eq!(Rgb(0xF0, 0xF0, 0xA0).contrasting_text(), Rgb::INK);
    }
}
