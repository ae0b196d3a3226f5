//! Client-credentials authentication and the token cache.
//!
//! `POST {base}/accounts/{aid}/auth/token` with basic auth (client id and
//! secret) and `{"grant_type": "client_credentials", "audience":
//! "https://api.dintero.com/v1/accounts/{aid}"}` answers `{"access_token",
//! "token_type": "Bearer", "expires_in"}`. The token is renewed at
//! `expires_in` minus ten minutes, or at half of `expires_in` when that is
//! sooner.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::credentials::Secret;
use super::error::{ClientError, DinteroMessage, HttpStatus};
use super::request::{AuthMode, Call, Verb};
use super::{AUDIENCE_BASE, DinteroClient};

/// Lifetime assumed when the answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// A token answer is small.
const TOKEN_LIMIT: usize = 64 * 1024;

/// A token and when to renew it.
pub(crate) struct CachedToken {
    value: Secret,
    renew_at: Instant,
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedToken")
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenBody {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// When to renew a token that lives `lifetime`: ten minutes early, or halfway
/// for a short-lived one.
pub(crate) fn renew_after(lifetime: Duration) -> Duration {
    lifetime - (lifetime / 2).min(Duration::from_secs(600))
}

impl DinteroClient {
    /// A valid token: the cached one, or a new one.
    pub(crate) async fn bearer(&self) -> Result<Secret, ClientError> {
        let mut slot = self.token.lock().await;
        if let Some(t) = slot.as_ref()
            && Instant::now() < t.renew_at
        {
            return Ok(t.value.clone());
        }
        // Boxed: the token request goes through `exchange`, which calls back
        // here for bearer requests (never for this basic-auth one).
        let fresh = Box::pin(self.request_token()).await?;
        let value = fresh.value.clone();
        self.remember_token(&value);
        *slot = Some(fresh);
        Ok(value)
    }

    /// Drops the cached token (after a 401).
    pub(crate) async fn forget_token(&self) {
        *self.token.lock().await = None;
    }

    async fn request_token(&self) -> Result<CachedToken, ClientError> {
        let started = Instant::now();
        let body = serde_json::json!({
            "grant_type": "client_credentials",
            "audience": format!("{AUDIENCE_BASE}{}", self.credentials.account_id),
        });
        let call = Call {
            verb: Verb::Post,
            url: self.token_url.url(),
            auth: AuthMode::Basic,
            body: Some(&body),
            timeout: self.settings.timeout,
            limit: TOKEN_LIMIT,
            accept: "application/json",
        };
        let url = self.token_url.as_str().to_string();
        let reply = self.exchange(&call).await?;
        match reply.status {
            200..=299 => {}
            400 | 401 | 403 => {
                return Err(ClientError::Unauthorized {
                    url,
                    status: HttpStatus(reply.status),
                    message: DinteroMessage::from_body(&reply.body),
                });
            }
            _ => return Err(call.status_error(&reply)),
        }
        // Never show serde's message here: it could quote the token.
        let malformed = |reason| ClientError::MalformedToken {
            url: url.clone(),
            reason,
        };
        let parsed: TokenBody =
            serde_json::from_slice(&reply.body).map_err(|_| malformed("not a JSON object"))?;
        let token = parsed
            .access_token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| malformed("no access_token"))?;
        if let Some(kind) = parsed.token_type.as_deref()
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(malformed("token_type is not Bearer"));
        }
        let lifetime = match parsed.expires_in {
            None | Some(serde_json::Value::Null) => DEFAULT_LIFETIME,
            Some(v) => v
                .as_u64()
                .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                .map(Duration::from_secs)
                .ok_or_else(|| malformed("expires_in is not a number of seconds"))?,
        };
        Ok(CachedToken {
            value: Secret::new(token),
            renew_at: started + renew_after(lifetime),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tokens_renew_ten_minutes_early() {
        assert_eq!(
            renew_after(Duration::from_secs(86_400)),
            Duration::from_secs(85_800)
        );
    }

    #[test]
    fn short_tokens_renew_halfway() {
        assert_eq!(
            renew_after(Duration::from_secs(60)),
            Duration::from_secs(30)
        );
        assert_eq!(renew_after(Duration::ZERO), Duration::ZERO);
    }
}
