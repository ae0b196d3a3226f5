//! QR code matrices for payment payloads (EPC QR, UsingQR), via the `qrcode`
//! crate.
//!
//! The matrix holds only the symbol: the quiet zone (4 light modules on every
//! side, ISO/IEC 18004) is the drawer's job.

use super::IdError;

/// The QR error-correction level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ec {
    /// Low: about 7 % of codewords can be restored.
    L,
    /// Medium: about 15 % (required by EPC069-12 for the EPC QR code).
    M,
    /// Quartile: about 25 %.
    Q,
    /// High: about 30 %.
    H,
}

impl From<Ec> for qrcode::EcLevel {
    fn from(ec: Ec) -> qrcode::EcLevel {
        match ec {
            Ec::L => qrcode::EcLevel::L,
            Ec::M => qrcode::EcLevel::M,
            Ec::Q => qrcode::EcLevel::Q,
            Ec::H => qrcode::EcLevel::H,
        }
    }
}

/// A QR code symbol as a square of modules, row by row from the top left;
/// `true` is dark. No quiet zone is included: leave 4 light modules on every
/// side when drawing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QrMatrix {
    /// Modules per side (21 for version 1, 4 more per version).
    pub size: usize,
    /// `size × size` modules, row-major; `true` = dark.
    pub modules: Vec<bool>,
}

impl QrMatrix {
    /// Whether the module in column `x`, row `y` is dark; `false` outside the
    /// symbol.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.modules.get(y * self.size + x) == Some(&true)
    }

    /// The QR version (1–40) implied by the size.
    pub fn version(&self) -> usize {
        self.size.saturating_sub(17) / 4
    }
}

/// Encodes `payload` (as UTF-8 bytes; the encoder picks the most compact
/// mode) at error-correction level `ec`, in the smallest version that fits.
///
/// ```
/// use kravia_invoice::payment::qr::{encode, Ec};
/// let m = encode("BCD\n002\n1\nSCT", Ec::M).unwrap();
/// assert_eq!(m.modules.len(), m.size * m.size);
/// assert!(encode(&"x".repeat(5000), Ec::H).is_err());
/// ```
pub fn encode(payload: &str, ec: Ec) -> Result<QrMatrix, IdError> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), ec.into()).map_err(
        |e| IdError::Payload {
            payload: "QR code",
            reason: format!("cannot encode {} bytes at level {ec:?}: {e}", payload.len()),
        },
    )?;
    let size = code.width();
    Ok(QrMatrix {
        size,
        modules: code
            .into_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_small_payload_is_version_1() {
        let m = encode("HELLO", Ec::M).unwrap();
        assert_eq!(m.size, 21);
        assert_eq!(m.version(), 1);
        assert_eq!(m.modules.len(), 21 * 21);
        // Finder pattern corners are dark, the separator next to them light.
        assert!(m.is_dark(0, 0));
        assert!(m.is_dark(20, 0));
        assert!(m.is_dark(0, 20));
        assert!(!m.is_dark(7, 0));
        assert!(!m.is_dark(21, 0));
    }

    #[test]
    fn encode_levels_grow_with_correction() {
        let p = "BCD\n001\n1\nSCT\nNDEAFIHH\nKravia Oy\nFI2112345600000785\nEUR1234.56\n\nRF4520260040\n\nReqdExctnDt/2026-03-15";
        let l = encode(p, Ec::L).unwrap();
        let h = encode(p, Ec::H).unwrap();
        assert!(l.size <= h.size);
        // The notes (§10.5) found version 6 at level M for this payload.
        assert_eq!(encode(p, Ec::M).unwrap().version(), 6);
    }

    #[test]
    fn encode_unicode_and_empty() {
        assert!(encode("Kravia Oy – Åbo ÆØÅ", Ec::M).is_ok());
        assert!(encode("", Ec::M).is_ok());
    }

    #[test]
    fn encode_too_long_is_an_error() {
        let e = encode(&"x".repeat(3000), Ec::H).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("QR code: cannot encode 3000 bytes"),
            "{e}"
        );
    }
}
