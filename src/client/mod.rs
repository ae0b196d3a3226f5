//! The Dintero API client (cargo feature `client`): from a transaction id to a
//! verified invoice PDF.
//!
//! A merchant backend calls this right after checkout. One call,
//! [`fetch_and_render`], does the whole flow:
//!
//! ```text
//! GET  {base}/transactions/{id}?includes=session   (GET {base}/sessions/{sid} when not embedded)
//! POST {base}/transactions/{id}/capture            (with FetchOptions::capture, only when no
//!                                                   successful INITIATE_CAPTURE/CAPTURE exists)
//! GET  {base}/transactions/{id}?includes=session   (until the kravia:payment_details:* keys are there)
//! verify → render → PDF bytes
//! ```
//!
//! [`BlockingClient`] does the same for callers without an async runtime.
//!
//! # Authentication
//!
//! Client credentials ([`Credentials`], usually from `DINTERO_ACCOUNT_ID`,
//! `DINTERO_CLIENT_ID` and `DINTERO_CLIENT_SECRET`) are exchanged for a bearer
//! token at `{base}/accounts/{aid}/auth/token`. The token is cached and renewed
//! before it expires (at `expires_in` minus ten minutes, or half of `expires_in`
//! when that is shorter), and once more when Dintero answers 401 to a read.
//!
//! # Failures and retries
//!
//! Every request has a timeout. Reads (the token, transactions, sessions, the
//! invoice file) are retried on 429 (waiting for `Retry-After`), on 5xx, on
//! timeouts and on connection errors, with capped exponential backoff
//! ([`RetryPolicy`]). A capture is sent again only when Dintero certainly did
//! not act on it (401, 429, no connection); after an ambiguous outcome (a
//! timeout, a 5xx, a connection lost after sending) it is never sent again in
//! the same run: the transaction is read for a bounded settle period, and
//! without an event the outcome is reported as unknown
//! ([`ClientError::CaptureUnknown`]; a re-run reads first, so it never
//! captures twice). All waiting of a fetch, `Retry-After` included, is bounded
//! by [`FetchOptions::wait`]. Every error
//! ([`ClientError`]) names the method and the URL, the HTTP status and
//! Dintero's own error message.
//!
//! # Secrets
//!
//! The client secret and the tokens are [`Secret`]s: their `Debug` says
//! `[redacted]`, they have no `Display`, they never appear in URLs, and no error
//! message contains them, even when a server echoes them back (an
//! `Authorization` header in an error body, a token in a field): every answer
//! is scrubbed of every form of them before it is read, and every error again
//! on its way out ([`DinteroClient::redact`] does the same for other text).
//! This module logs nothing.
//!
//! # Base URLs
//!
//! The base URL (default `https://checkout.dintero.com/v1`, or `DINTERO_BASE_URL`)
//! and the token URL must be `https`. Plain `http` is accepted only for a
//! loopback host (`127.0.0.0/8`, `::1`, `localhost`), so that tests can run a
//! Dintero stand-in on this machine; a client whose base URL is on loopback
//! also follows invoice URLs on loopback. Invoice files are otherwise fetched
//! only from `https` hosts under `dintero.com`.

mod auth;
pub mod callback;
mod capture;
mod credentials;
mod endpoint;
mod error;
mod fetch;
mod file;
mod redact;
mod request;
mod retry;
mod transactions;

use std::time::Duration;

pub use capture::{CaptureOutcome, has_collection_event};
pub use credentials::{
    ACCOUNT_ID_VAR, BASE_URL_VAR, CLIENT_ID_VAR, CLIENT_SECRET_VAR, Credentials, Secret,
};
pub use error::{ClientError, DinteroMessage, HttpStatus};
pub use fetch::{
    BlockingClient, DEFAULT_WAIT, FetchError, FetchOptions, Fetched, Verified, fetch_and_render,
    fetch_and_render_blocking, fetch_and_verify,
};
pub use retry::RetryPolicy;
pub use transactions::missing_payment_details;

use auth::CachedToken;
use endpoint::Endpoint;

/// A `dintero` parser such as [`Transaction::from_json`](crate::dintero::Transaction::from_json).
pub(crate) type ParseFn<T> = fn(&str) -> Result<T, crate::dintero::ParseError>;

/// Dintero's Checkout API.
pub const DEFAULT_BASE_URL: &str = "https://checkout.dintero.com/v1";

/// The audience of every token: always on `api.dintero.com`, whichever host
/// issues the token.
const AUDIENCE_BASE: &str = "https://api.dintero.com/v1/accounts/";

/// A client of Dintero's Checkout API for one account.
///
/// Build it with [`DinteroClient::builder`] or [`DinteroClient::from_env`]. It
/// is cheap to share (`&DinteroClient` across tasks); it caches one token.
///
/// ```
/// use kravia_invoice::client::{Credentials, DinteroClient};
/// let client = DinteroClient::builder(Credentials::new("T12345678", "client-id", "s3cret"))
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url(), "https://checkout.dintero.com/v1");
/// assert!(!format!("{client:?}").contains("s3cret"));
/// ```
pub struct DinteroClient {
    http: reqwest::Client,
    base: Endpoint,
    token_url: Endpoint,
    credentials: Credentials,
    settings: Settings,
    token: tokio::sync::Mutex<Option<CachedToken>>,
    /// Every token this client was issued (the latest few), to redact them.
    issued: std::sync::Mutex<Vec<Secret>>,
}

impl std::fmt::Debug for DinteroClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DinteroClient")
            .field("base", &self.base.as_str())
            .field("token_url", &self.token_url.as_str())
            .field("credentials", &self.credentials)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Timeouts, retries and limits of a client.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) timeout: Duration,
    pub(crate) download_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) poll_interval: Duration,
    pub(crate) capture_wait: Duration,
    pub(crate) max_body: usize,
}

/// Builds a [`DinteroClient`]; every setting has a default.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    token_url: Option<String>,
    connect_timeout: Duration,
    settings: Settings,
}

impl ClientBuilder {
    /// The Checkout API base URL (default [`DEFAULT_BASE_URL`]): `https`, or
    /// `http` on a loopback host.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = url.into();
        self
    }

    /// The token URL (default `{base}/accounts/{account_id}/auth/token`); the
    /// same rules as the base URL.
    pub fn token_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.token_url = Some(url.into());
        self
    }

    /// The time one request may take, answer included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.settings.timeout = timeout;
        self
    }

    /// The time one invoice file download may take (default 60 s).
    pub fn download_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.settings.download_timeout = timeout;
        self
    }

    /// The time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How reads are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.settings.retry = policy;
        self
    }

    /// The first pause between two reads while waiting for the payment details
    /// or for an accepted capture; it doubles up to the retry policy's
    /// `max_delay` (default 2 s).
    pub fn poll_interval(mut self, interval: Duration) -> ClientBuilder {
        self.settings.poll_interval = interval;
        self
    }

    /// How long to wait for the event of a capture that Dintero accepted (202)
    /// but has not completed (default 30 s).
    pub fn capture_wait(mut self, wait: Duration) -> ClientBuilder {
        self.settings.capture_wait = wait;
        self
    }

    /// The largest answer accepted, JSON or PDF (default 20 MiB).
    pub fn max_body_bytes(mut self, bytes: usize) -> ClientBuilder {
        self.settings.max_body = bytes;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`ClientError::InvalidCredentials`] for an empty or malformed account id,
    /// client id or secret; [`ClientError::InvalidUrl`] for a base or token URL
    /// that is not `https` (or `http` on loopback); [`ClientError::Transport`]
    /// when the HTTP client cannot be set up.
    pub fn build(self) -> Result<DinteroClient, ClientError> {
        self.credentials.check()?;
        let base = Endpoint::parse("base URL", &self.base_url)?;
        let token_url = match &self.token_url {
            Some(u) => Endpoint::parse("token URL", u)?,
            None => base.join(&["accounts", &self.credentials.account_id, "auth", "token"]),
        };
        let loopback = base.is_loopback();
        let http = reqwest::Client::builder()
            .user_agent(concat!("kravia-invoice/", env!("CARGO_PKG_VERSION")))
            .timeout(self.settings.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(endpoint::redirect_policy(loopback))
            .build()
            .map_err(|e| ClientError::Transport {
                method: "setup",
                url: String::new(),
                detail: error::chain(&e),
            })?;
        Ok(DinteroClient {
            http,
            base,
            token_url,
            credentials: self.credentials,
            settings: self.settings,
            token: tokio::sync::Mutex::new(None),
            issued: std::sync::Mutex::new(Vec::new()),
        })
    }
}

impl DinteroClient {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], 30 s per request,
    /// [`RetryPolicy::default`].
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: DEFAULT_BASE_URL.to_string(),
            token_url: None,
            connect_timeout: Duration::from_secs(10),
            settings: Settings {
                timeout: Duration::from_secs(30),
                download_timeout: Duration::from_secs(60),
                retry: RetryPolicy::default(),
                poll_interval: Duration::from_secs(2),
                capture_wait: Duration::from_secs(30),
                max_body: 20 * 1024 * 1024,
            },
        }
    }

    /// A client from the environment: [`Credentials::from_env`], and the base
    /// URL from `DINTERO_BASE_URL` when it is set.
    ///
    /// # Errors
    ///
    /// A missing or invalid credential, an invalid base URL.
    pub fn from_env() -> Result<DinteroClient, ClientError> {
        let mut builder = DinteroClient::builder(Credentials::from_env()?);
        if let Some(base) = std::env::var(BASE_URL_VAR)
            .ok()
            .filter(|s| !s.trim().is_empty())
        {
            builder = builder.base_url(base);
        }
        builder.build()
    }

    /// The base URL, e.g. `https://checkout.dintero.com/v1`.
    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// The token URL.
    pub fn token_url(&self) -> &str {
        self.token_url.as_str()
    }

    /// The account id, e.g. `T12345678`.
    pub fn account_id(&self) -> &str {
        &self.credentials.account_id
    }

    /// `text` with every credential of this client (the secret, its Basic
    /// form, every token issued) replaced by `[redacted]`: for any message
    /// that may carry what a server sent. The client's own errors are already
    /// redacted.
    ///
    /// ```
    /// use kravia_invoice::client::{Credentials, DinteroClient};
    /// let client = DinteroClient::builder(Credentials::new("T12345678", "cid", "s3cret"))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.redact("Basic Y2lkOnMzY3JldA=="), "Basic [redacted]");
    /// ```
    pub fn redact(&self, text: &str) -> String {
        self.redactor().scrub(text).into_owned()
    }

    /// The redactor for the credentials and tokens known now.
    pub(crate) fn redactor(&self) -> redact::Redactor {
        let issued = self
            .issued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        redact::Redactor::new(&self.credentials, &issued)
    }

    /// Remembers a token issued to this client, for redaction.
    pub(crate) fn remember_token(&self, token: &Secret) {
        let mut issued = self
            .issued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !issued.contains(token) {
            if issued.len() >= 16 {
                issued.remove(0);
            }
            issued.push(token.clone());
        }
    }

    /// `result` with every credential redacted from its error.
    pub(crate) fn guard<T>(&self, result: Result<T, ClientError>) -> Result<T, ClientError> {
        result.map_err(|e| self.redactor().error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("T12345678", "cid", "top-secret")
    }

    #[test]
    fn default_token_url_is_below_the_base() {
        let c = DinteroClient::builder(creds()).build().unwrap();
        assert_eq!(
            c.token_url(),
            "https://checkout.dintero.com/v1/accounts/T12345678/auth/token"
        );
    }

    #[test]
    fn base_url_with_trailing_slash_is_the_same() {
        let c = DinteroClient::builder(creds())
            .base_url("http://127.0.0.1:9/v1/")
            .build()
            .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:9/v1");
        assert_eq!(
            c.token_url(),
            "http://127.0.0.1:9/v1/accounts/T12345678/auth/token"
        );
    }

    #[test]
    fn plain_http_off_loopback_is_refused() {
        let err = DinteroClient::builder(creds())
            .base_url("http://checkout.dintero.com/v1")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("https"), "{err}");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let c = DinteroClient::builder(creds()).build().unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("top-secret"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
