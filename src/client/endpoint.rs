//! URLs: which ones the client talks to, and how paths are built (ids are
//! percent-encoded as path segments, never pasted into strings).

use std::net::IpAddr;

use reqwest::Url;

use super::error::ClientError;

/// A checked base or token URL: `https`, or `http` on a loopback host.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint(Url);

impl Endpoint {
    /// Parses and checks `url`; `what` names it in errors (`base URL`).
    pub(crate) fn parse(what: &'static str, url: &str) -> Result<Endpoint, ClientError> {
        let invalid = |reason: &'static str| ClientError::InvalidUrl {
            what,
            url: url.to_string(),
            reason,
        };
        let parsed = Url::parse(url.trim()).map_err(|_| invalid("not a URL"))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid(
                "credentials in the URL are not allowed (use DINTERO_CLIENT_ID/SECRET)",
            ));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("a query or fragment is not allowed"));
        }
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(&parsed) => {}
            "http" => {
                return Err(invalid(
                    "must be https (plain http only on 127.0.0.1/localhost)",
                ));
            }
            _ => return Err(invalid("must be an https URL")),
        }
        if parsed.host_str().is_none() {
            return Err(invalid("has no host"));
        }
        Ok(Endpoint(parsed))
    }

    /// The URL as text.
    pub(crate) fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the host is loopback.
    pub(crate) fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }

    /// The host.
    pub(crate) fn host(&self) -> Option<&str> {
        self.0.host_str()
    }

    /// This URL with `segments` appended as path segments (each percent-encoded).
    pub(crate) fn join(&self, segments: &[&str]) -> Endpoint {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            for s in segments {
                path.push(s);
            }
        }
        Endpoint(url)
    }

    /// This URL with a query pair.
    pub(crate) fn with_query(&self, key: &str, value: &str) -> Endpoint {
        let mut url = self.0.clone();
        url.query_pairs_mut().append_pair(key, value);
        Endpoint(url)
    }

    /// The URL for reqwest.
    pub(crate) fn url(&self) -> &Url {
        &self.0
    }
}

/// Whether the URL's host is `localhost` or a loopback address.
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Whether the host is `dintero.com` or below it.
pub(crate) fn is_dintero_host(url: &Url) -> bool {
    match url.host_str() {
        Some(host) => {
            let d = host.trim_end_matches('.').to_ascii_lowercase();
            d == "dintero.com" || d.ends_with(".dintero.com")
        }
        None => false,
    }
}

/// Whether an invoice file (or a redirect) may be fetched from `url`: `https`
/// on a Dintero host, or — only for a client whose base URL is on loopback —
/// `http`/`https` on loopback.
pub(crate) fn may_follow(url: &Url, loopback_allowed: bool) -> bool {
    match url.scheme() {
        "https" => is_dintero_host(url) || (loopback_allowed && is_loopback(url)),
        "http" => loopback_allowed && is_loopback(url),
        _ => false,
    }
}

/// Redirects are followed only to hosts that [`may_follow`] allows, at most five.
pub(crate) fn redirect_policy(loopback_allowed: bool) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 5 {
            attempt.error("more than five redirects")
        } else if may_follow(attempt.url(), loopback_allowed) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback(&url("http://127.0.0.1:8080/v1")));
        assert!(is_loopback(&url("http://127.1.2.3/")));
        assert!(is_loopback(&url("http://[::1]:80/")));
        assert!(is_loopback(&url("http://LOCALHOST/")));
        assert!(!is_loopback(&url("http://10.0.0.1/")));
        assert!(!is_loopback(&url("http://localhost.evil.com/")));
    }

    #[test]
    fn dintero_hosts() {
        assert!(is_dintero_host(&url("https://api.dintero.com/v1/files/f")));
        assert!(is_dintero_host(&url("https://cdn.dintero.com/x")));
        assert!(is_dintero_host(&url("https://dintero.com/")));
        assert!(!is_dintero_host(&url("https://evildintero.com/")));
        assert!(!is_dintero_host(&url("https://dintero.com.evil.net/")));
    }

    #[test]
    fn follow_rules() {
        assert!(may_follow(&url("https://cdn.dintero.com/f.pdf"), false));
        assert!(!may_follow(&url("http://cdn.dintero.com/f.pdf"), false));
        assert!(!may_follow(&url("http://127.0.0.1/f.pdf"), false));
        assert!(may_follow(&url("http://127.0.0.1/f.pdf"), true));
        assert!(!may_follow(&url("https://example.com/f.pdf"), true));
    }

    #[test]
    fn ids_are_path_segments() {
        let e = Endpoint::parse("base URL", "https://checkout.dintero.com/v1").unwrap();
        let j = e.join(&["transactions", "T1/../../x?y"]);
        assert_eq!(
            j.as_str(),
            "https://checkout.dintero.com/v1/transactions/T1%2F..%2F..%2Fx%3Fy"
        );
    }

    #[test]
    fn userinfo_is_refused() {
        assert!(Endpoint::parse("base URL", "https://a:b@checkout.dintero.com/v1").is_err());
        assert!(Endpoint::parse("base URL", "ftp://checkout.dintero.com/v1").is_err());
        assert!(Endpoint::parse("base URL", "nonsense").is_err());
    }
}
