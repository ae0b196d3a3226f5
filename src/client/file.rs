//! Downloading Kravia's own invoice PDF (`kravia:invoice_url`).
//!
//! The URL may answer with the PDF itself or with Dintero's Files API JSON,
//! `{"id": …, "name": "invoice_107.pdf", "mime_type": "application/pdf",
//! "url": "https://cdn.dintero.com/files/…"}`, whose `url` is a short-lived
//! link to the PDF. Only `https` URLs on `dintero.com` hosts are fetched
//! (redirects included); the bearer token goes only to the API hosts, never
//! to the CDN; answers over the client's size limit are refused.

use reqwest::Url;
use serde::Deserialize;

use super::DinteroClient;
use super::endpoint::may_follow;
use super::error::ClientError;
use super::request::{AuthMode, Call, Verb};

/// The Files API wrapper.
#[derive(Deserialize)]
struct FileWrapper {
    url: Option<String>,
}

impl DinteroClient {
    /// Whether the bearer token may be sent to `url`: the base URL's host, or
    /// Dintero's API hosts.
    fn is_api_host(&self, url: &Url) -> bool {
        let host = url.host_str().map(str::to_ascii_lowercase);
        match host.as_deref() {
            Some("api.dintero.com" | "checkout.dintero.com") => url.scheme() == "https",
            Some(h) => self.base.host().is_some_and(|b| b.eq_ignore_ascii_case(h)),
            None => false,
        }
    }

    fn check_invoice_url(&self, url: &str) -> Result<Url, ClientError> {
        let refuse = |reason: &str| ClientError::InvoiceUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        let parsed = Url::parse(url.trim()).map_err(|_| refuse("not a URL"))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(refuse("credentials in the URL are not allowed"));
        }
        if !may_follow(&parsed, self.base.is_loopback()) {
            return Err(refuse("only https URLs on dintero.com hosts are fetched"));
        }
        Ok(parsed)
    }

    async fn get_file(&self, url: &Url) -> Result<super::request::Reply, ClientError> {
        let call = Call {
            verb: Verb::Get,
            url,
            auth: if self.is_api_host(url) {
                AuthMode::Bearer
            } else {
                AuthMode::None
            },
            body: None,
            timeout: self.settings.download_timeout,
            limit: self.settings.max_body,
            accept: "application/pdf, application/json",
        };
        let reply = self.exchange(&call).await?;
        if (300..400).contains(&reply.status) {
            return Err(ClientError::InvoiceUrl {
                url: url.to_string(),
                reason: format!(
                    "redirect to {} refused: only https URLs on dintero.com hosts are followed",
                    reply.location.as_deref().unwrap_or("an unknown place")
                ),
            });
        }
        if !reply.is_success() {
            return Err(call.status_error(&reply));
        }
        Ok(reply)
    }

    /// Downloads Kravia's invoice PDF from `url` (the transaction's
    /// `kravia:invoice_url`): the PDF itself, or through the Files API JSON
    /// wrapper `{"url": …}`.
    ///
    /// # Errors
    ///
    /// [`ClientError::InvoiceUrl`] for a URL (or wrapped URL, or redirect)
    /// that is not `https` on a `dintero.com` host, or an answer that is
    /// neither a PDF nor the wrapper; [`ClientError::TooLarge`] over the size
    /// limit; HTTP and network errors after the retries.
    pub async fn download_invoice(&self, url: &str) -> Result<Vec<u8>, ClientError> {
        self.guard(self.download_invoice_unguarded(url).await)
    }

    async fn download_invoice_unguarded(&self, url: &str) -> Result<Vec<u8>, ClientError> {
        let first = self.check_invoice_url(url)?;
        let reply = self.get_file(&first).await?;
        if reply.body.starts_with(b"%PDF-") {
            return Ok(reply.body);
        }
        let wrapped = serde_json::from_slice::<FileWrapper>(&reply.body)
            .ok()
            .and_then(|w| w.url)
            .ok_or_else(|| ClientError::InvoiceUrl {
                url: url.to_string(),
                reason: format!(
                    "the answer ({}) is neither a PDF nor a Files API object with a url",
                    reply.content_type.as_deref().unwrap_or("no content type")
                ),
            })?;
        let second = self.check_invoice_url(&wrapped)?;
        let reply = self.get_file(&second).await?;
        if reply.body.starts_with(b"%PDF-") {
            Ok(reply.body)
        } else {
            Err(ClientError::InvoiceUrl {
                url: second.to_string(),
                reason: "the file is not a PDF".into(),
            })
        }
    }
}
