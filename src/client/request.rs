//! Sending one request, and the loop that retries reads.

use std::time::{Duration, SystemTime};

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};

use super::credentials::Secret;
use super::error::{ClientError, DinteroMessage, HttpStatus, chain};
use super::retry::parse_retry_after;
use super::{DinteroClient, ParseFn};

/// The HTTP methods the client uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
}

impl Verb {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
        }
    }
}

/// How a request authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthMode {
    /// Nothing (a CDN link).
    None,
    /// Basic auth with the client id and secret (the token endpoint).
    Basic,
    /// The cached bearer token.
    Bearer,
}

/// One request to make.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call<'a> {
    pub(crate) verb: Verb,
    pub(crate) url: &'a Url,
    pub(crate) auth: AuthMode,
    pub(crate) body: Option<&'a serde_json::Value>,
    pub(crate) timeout: Duration,
    pub(crate) limit: usize,
    pub(crate) accept: &'static str,
}

impl Call<'_> {
    /// An error status as a [`ClientError::Http`].
    pub(crate) fn status_error(&self, reply: &Reply) -> ClientError {
        ClientError::Http {
            method: self.verb.as_str(),
            url: self.url.to_string(),
            status: HttpStatus(reply.status),
            message: DinteroMessage::from_body(&reply.body),
        }
    }

    /// Parses a 2xx reply's body with a `dintero` parser; `what` names the document.
    pub(crate) fn parse<T>(
        &self,
        what: &'static str,
        reply: &Reply,
        parse: ParseFn<T>,
    ) -> Result<T, ClientError> {
        let text = String::from_utf8_lossy(&reply.body);
        parse(&text).map_err(|source| ClientError::Malformed {
            method: self.verb.as_str(),
            url: self.url.to_string(),
            what,
            source: Box::new(source),
        })
    }
}

/// An answer, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) content_type: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why one attempt got no answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The request timed out.
    Timeout,
    /// The connection failed; `retryable` for connect, send and body errors.
    Transport {
        retryable: bool,
        /// The connection could not be made: nothing was sent.
        unsent: bool,
        detail: String,
    },
    /// The answer is over the limit.
    TooLarge,
}

impl Failure {
    fn from_reqwest(e: reqwest::Error) -> Failure {
        if e.is_timeout() {
            Failure::Timeout
        } else {
            let retryable = e.is_connect() || e.is_request() || e.is_body();
            Failure::Transport {
                retryable,
                unsent: e.is_connect(),
                detail: chain(&e.without_url()),
            }
        }
    }

    pub(crate) fn into_error(self, call: &Call<'_>, attempts: u32) -> ClientError {
        let method = call.verb.as_str();
        let url = call.url.to_string();
        match self {
            Failure::Timeout => ClientError::Timeout {
                method,
                url,
                timeout: call.timeout,
                attempts,
            },
            Failure::Transport { detail, .. } => ClientError::Transport {
                method,
                url,
                detail,
            },
            Failure::TooLarge => ClientError::TooLarge {
                method,
                url,
                limit: call.limit,
            },
        }
    }

    /// Whether the request certainly never reached the server: the
    /// connection could not be made.
    pub(crate) fn is_unsent(&self) -> bool {
        matches!(self, Failure::Transport { unsent: true, .. })
    }

    fn is_retryable(&self) -> bool {
        match self {
            Failure::Timeout => true,
            Failure::Transport { retryable, .. } => *retryable,
            Failure::TooLarge => false,
        }
    }
}

impl DinteroClient {
    /// One attempt, with `token` for [`AuthMode::Bearer`].
    pub(crate) async fn send(
        &self,
        call: &Call<'_>,
        token: Option<&Secret>,
    ) -> Result<Reply, Failure> {
        let method = match call.verb {
            Verb::Get => reqwest::Method::GET,
            Verb::Post => reqwest::Method::POST,
        };
        let mut request = self
            .http
            .request(method, call.url.clone())
            .timeout(call.timeout)
            .header(ACCEPT, call.accept)
            .header("Dintero-System-Name", "kravia-invoice")
            .header("Dintero-System-Version", env!("CARGO_PKG_VERSION"));
        request = match (call.auth, token) {
            (AuthMode::Basic, _) => request.basic_auth(
                &self.credentials.client_id,
                Some(self.credentials.client_secret.expose()),
            ),
            (AuthMode::Bearer, Some(t)) => request.bearer_auth(t.expose()),
            _ => request,
        };
        if let Some(body) = call.body {
            request = request.json(body);
        }
        let mut response = request.send().await.map_err(Failure::from_reqwest)?;
        let headers = response.headers();
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let retry_after =
            header(RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let content_type = header(CONTENT_TYPE);
        let location = header(LOCATION);
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|n| n > call.limit as u64)
        {
            return Err(Failure::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(Failure::from_reqwest)? {
            if body.len() + chunk.len() > call.limit {
                return Err(Failure::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        // Whatever the server echoes (an Authorization header, a token), no
        // credential goes further than here. Left as sent: a PDF (the document
        // itself) and a token answer (it may re-issue a known token; its body
        // is never shown).
        let redactor = self.redactor();
        let scrub = |v: Option<String>| v.map(|s| redactor.scrub(&s).into_owned());
        let token_answer = call.auth == AuthMode::Basic && (200..300).contains(&status);
        let body = if token_answer || body.starts_with(b"%PDF-") {
            body
        } else {
            redactor.scrub_bytes(body)
        };
        Ok(Reply {
            status,
            retry_after,
            content_type: scrub(content_type),
            location: scrub(location),
            body,
        })
    }

    /// Sends `call`, retrying on 429 (after `Retry-After`), 5xx, timeouts and
    /// connection errors as the retry policy allows, and once with a new token
    /// after a 401. Returns the last answer whatever its status; fails only
    /// when no answer came.
    ///
    /// Only for requests that are safe to repeat: never a capture.
    pub(crate) async fn exchange(&self, call: &Call<'_>) -> Result<Reply, ClientError> {
        let policy = &self.settings.retry;
        let attempts = policy.attempts();
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let token = match call.auth {
                AuthMode::Bearer => Some(self.bearer().await?),
                _ => None,
            };
            let pause = match self.send(call, token.as_ref()).await {
                Ok(reply) => {
                    if reply.status == 401 && call.auth == AuthMode::Bearer && !renewed {
                        // The token may have been revoked: one more try with a new one.
                        self.forget_token().await;
                        renewed = true;
                        continue;
                    }
                    let transient = reply.status == 429 || (500..600).contains(&reply.status);
                    if !transient || attempt >= attempts {
                        return Ok(reply);
                    }
                    policy.pause(attempt, reply.retry_after)
                }
                Err(f) if f.is_retryable() && attempt < attempts => policy.delay(attempt),
                Err(f) => return Err(f.into_error(call, attempt)),
            };
            tokio::time::sleep(pause).await;
            attempt += 1;
        }
    }

    /// [`exchange`](Self::exchange), then any status but 2xx is an error.
    pub(crate) async fn read(&self, call: &Call<'_>) -> Result<Reply, ClientError> {
        let reply = self.exchange(call).await?;
        if reply.is_success() {
            Ok(reply)
        } else {
            Err(call.status_error(&reply))
        }
    }
}
