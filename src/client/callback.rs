//! Checking that a callback came from Dintero: the `Dintero-Signature` header.
//!
//! With a signature secret (`POST /v1/admin/signature`), Dintero signs every
//! callback: `Dintero-Signature: t=<unix time>,v0-hmac-sha256=<hex>`, the
//! HMAC-SHA256 with the secret of
//!
//! ```text
//! {t}\n{account_id}\n{METHOD}\n{hostname}\n{pathname}\n{query, parameters sorted by name}
//! ```
//!
//! where the query is form-encoded (a space is `+`). Dintero recommends five
//! minutes of tolerance between `t` and now.
//!
//! A valid signature proves who sent the callback, not what the transaction
//! says: read the transaction with
//! [`DinteroClient::get_transaction`](crate::client::DinteroClient::get_transaction)
//! before acting on it.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use reqwest::Url;
use sha2::Sha256;

/// Why a callback signature was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header is not `t=<unix>,v0-hmac-sha256=<hex>`.
    #[error("Dintero-Signature header is malformed: {0}")]
    Malformed(&'static str),
    /// The callback URL does not parse.
    #[error("callback URL does not parse")]
    InvalidUrl,
    /// `t` is further from now than the tolerance.
    #[error("Dintero-Signature is {age_secs} s away from now (tolerance {tolerance_secs} s)")]
    Expired {
        /// |now − t| in seconds.
        age_secs: u64,
        /// The tolerance in seconds.
        tolerance_secs: u64,
    },
    /// No signature in the header matches.
    #[error("Dintero-Signature does not match")]
    Mismatch,
}

/// The payload Dintero signs, for `url` as the callback was received
/// (`https://shop.example/cb?transaction_id=…`).
///
/// # Errors
///
/// [`SignatureError::InvalidUrl`].
pub fn signed_payload(
    timestamp: i64,
    account_id: &str,
    method: &str,
    url: &str,
) -> Result<String, SignatureError> {
    let url = Url::parse(url).map_err(|_| SignatureError::InvalidUrl)?;
    let host = url.host_str().ok_or(SignatureError::InvalidUrl)?;
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    // Stable by name, as URLSearchParams.sort().
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut scratch = Url::parse("http://x/").map_err(|_| SignatureError::InvalidUrl)?;
    if !pairs.is_empty() {
        scratch.query_pairs_mut().extend_pairs(pairs);
    }
    let query = scratch.query().unwrap_or("");
    Ok(format!(
        "{timestamp}\n{account_id}\n{}\n{host}\n{}\n{query}",
        method.to_ascii_uppercase(),
        url.path()
    ))
}

fn hex_decode(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Checks a `Dintero-Signature` header against the callback as received:
/// `method` and the full `url` (scheme, host, path and query), the account
/// id, the signature secret, the current Unix time and the tolerance (five
/// minutes is Dintero's advice). Any `v0-hmac-sha256` entry may match (for a
/// secret being rotated); the comparison takes constant time.
///
/// ```
/// use std::time::Duration;
/// use kravia_invoice::client::callback::verify_signature;
/// // Dintero's documented example.
/// let header = "t=1582236537,v0-hmac-sha256=6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a";
/// verify_signature(header, b"123", "P00000000", "GET",
///     "https://example.com/callback?B=123&A=992", 1582236537, Duration::from_secs(300)).unwrap();
/// ```
///
/// # Errors
///
/// [`SignatureError`]: malformed header or URL, too old (or too far in the
/// future), or no match.
pub fn verify_signature(
    header: &str,
    secret: &[u8],
    account_id: &str,
    method: &str,
    url: &str,
    now_unix: i64,
    tolerance: Duration,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (key, value) = part
            .trim()
            .split_once('=')
            .ok_or(SignatureError::Malformed("a part without '='"))?;
        match key.trim() {
            "t" => {
                timestamp = Some(
                    value
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed("t is not a number"))?,
                );
            }
            "v0-hmac-sha256" => signatures.push(
                hex_decode(value.trim())
                    .ok_or(SignatureError::Malformed("the signature is not hex"))?,
            ),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed("no t="))?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed("no v0-hmac-sha256="));
    }
    let age = now_unix.abs_diff(timestamp);
    if age > tolerance.as_secs() {
        return Err(SignatureError::Expired {
            age_secs: age,
            tolerance_secs: tolerance.as_secs(),
        });
    }
    let payload = signed_payload(timestamp, account_id, method, url)?;
    let matches = signatures.iter().any(|sig| {
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
            .map(|mut mac| {
                mac.update(payload.as_bytes());
                mac.verify_slice(sig).is_ok()
            })
            .unwrap_or(false)
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "t=1582236537,v0-hmac-sha256=6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a";
    const URL: &str = "https://example.com/callback?B=123&A=992";
    const FIVE_MIN: Duration = Duration::from_secs(300);

    #[test]
    fn dintero_documented_vector_passes() {
        assert_eq!(
            verify_signature(
                HEADER,
                b"123",
                "P00000000",
                "GET",
                URL,
                1582236537 + 299,
                FIVE_MIN
            ),
            Ok(())
        );
    }

    #[test]
    fn payload_sorts_the_query_and_encodes_spaces_as_plus() {
        let p = signed_payload(1, "T1", "post", "https://h.example/cb?b=x%20y&a=1&b=0").unwrap();
        assert_eq!(p, "1\nT1\nPOST\nh.example\n/cb\na=1&b=x+y&b=0");
    }

    #[test]
    fn wrong_secret_account_or_url_is_a_mismatch() {
        let t = 1582236537;
        for (secret, account, url) in [
            (&b"124"[..], "P00000000", URL),
            (b"123", "P00000001", URL),
            (
                b"123",
                "P00000000",
                "https://example.com/callback?B=123&A=993",
            ),
        ] {
            assert_eq!(
                verify_signature(HEADER, secret, account, "GET", url, t, FIVE_MIN),
                Err(SignatureError::Mismatch)
            );
        }
    }

    #[test]
    fn stale_or_malformed_headers_are_refused() {
        assert!(matches!(
            verify_signature(
                HEADER,
                b"123",
                "P00000000",
                "GET",
                URL,
                1582236537 + 301,
                FIVE_MIN
            ),
            Err(SignatureError::Expired { .. })
        ));
        for h in [
            "",
            "t=abc,v0-hmac-sha256=00",
            "t=1",
            "t=1,v0-hmac-sha256=zz",
        ] {
            assert!(matches!(
                verify_signature(h, b"1", "P", "GET", URL, 1, FIVE_MIN),
                Err(SignatureError::Malformed(_))
            ));
        }
    }
}
