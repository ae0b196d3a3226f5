//! Client credentials and the [`Secret`] type that keeps them out of sight.

use std::fmt;

use super::error::ClientError;

/// The environment variable with the account id (`T12345678` test, `P12345678` production).
pub const ACCOUNT_ID_VAR: &str = "DINTERO_ACCOUNT_ID";
/// The environment variable with the API client id.
pub const CLIENT_ID_VAR: &str = "DINTERO_CLIENT_ID";
/// The environment variable with the API client secret.
pub const CLIENT_SECRET_VAR: &str = "DINTERO_CLIENT_SECRET";
/// The environment variable with the base URL (default `https://checkout.dintero.com/v1`).
pub const BASE_URL_VAR: &str = "DINTERO_BASE_URL";

/// A secret (client secret, access token): `Debug` prints `[redacted]` and
/// there is no `Display`, so it cannot end up in a log line by accident.
///
/// ```
/// use kravia_invoice::client::Secret;
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?}"), "[redacted]");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty or blank.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

/// The API client credentials of one Dintero account.
///
/// ```
/// use kravia_invoice::client::Credentials;
/// let c = Credentials::new("T12345678", "4f1c…", "s3cret");
/// assert!(!format!("{c:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    /// The account id, `T` (test) or `P` (production) and eight digits.
    pub account_id: String,
    /// The API client id.
    pub client_id: String,
    /// The API client secret.
    pub client_secret: Secret,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account_id", &self.account_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

impl Credentials {
    /// Credentials from their three parts.
    pub fn new(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Credentials {
        Credentials {
            account_id: account_id.into().trim().to_string(),
            client_id: client_id.into().trim().to_string(),
            client_secret: client_secret.into(),
        }
    }

    /// Credentials from `DINTERO_ACCOUNT_ID`, `DINTERO_CLIENT_ID` and
    /// `DINTERO_CLIENT_SECRET`.
    ///
    /// # Errors
    ///
    /// [`ClientError::MissingCredential`] naming the first variable that is
    /// unset or blank.
    pub fn from_env() -> Result<Credentials, ClientError> {
        Credentials::from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Credentials, ClientError> {
        let get = |var: &'static str| {
            // Trimmed: a secret pasted with a trailing newline still works.
            lookup(var)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .ok_or(ClientError::MissingCredential { var })
        };
        Ok(Credentials::new(
            get(ACCOUNT_ID_VAR)?,
            get(CLIENT_ID_VAR)?,
            Secret::new(get(CLIENT_SECRET_VAR)?),
        ))
    }

    /// Checks the shape: an account id of letters and digits (it goes into
    /// URLs), a client id and a secret.
    pub(crate) fn check(&self) -> Result<(), ClientError> {
        let invalid = |reason: String| Err(ClientError::InvalidCredentials { reason });
        if self.account_id.is_empty() || !self.account_id.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return invalid(format!(
                "the account id {:?} is not like T12345678 (T test, P production)",
                self.account_id
            ));
        }
        if self.client_id.is_empty() {
            return invalid("the client id is empty".into());
        }
        if self.client_secret.is_blank() {
            return invalid("the client secret is empty".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lookup_names_the_missing_variable() {
        let err = Credentials::from_lookup(|v| (v == ACCOUNT_ID_VAR).then(|| "T12345678".into()))
            .unwrap_err();
        assert!(err.to_string().contains("DINTERO_CLIENT_ID"), "{err}");
    }

    #[test]
    fn from_lookup_reads_all_three() {
        let c = Credentials::from_lookup(|v| Some(format!("{v}-value").replace('_', ""))).unwrap();
        assert_eq!(c.client_id, "DINTEROCLIENTID-value");
        assert_eq!(c.client_secret.expose(), "DINTEROCLIENTSECRET-value");
    }

    #[test]
    fn account_id_with_a_slash_is_invalid() {
        let c = Credentials::new("T1/../x", "cid", "sec");
        assert!(c.check().is_err());
    }

    #[test]
    fn debug_redacts_the_secret() {
        let c = Credentials::new("T12345678", "cid", "hunter2");
        let s = format!("{c:?}");
        assert!(!s.contains("hunter2"));
        assert!(s.contains("cid"));
    }
}
