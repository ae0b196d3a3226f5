//! Reading transactions and sessions, and waiting for Kravia's payment details.

use std::time::{Duration, Instant};

use crate::dintero::metadata::{BBAN, IBAN, KID};
use crate::dintero::{Session, Transaction};

use super::DinteroClient;
use super::error::ClientError;
use super::request::{AuthMode, Call, Verb};

/// The payment-detail keys that `transaction` still lacks: the KID, and a BBAN
/// or an IBAN. Empty when the invoice can be paid.
///
/// ```
/// use kravia_invoice::client::missing_payment_details;
/// use kravia_invoice::dintero::Transaction;
/// let tx = Transaction::from_json(r#"{"id": "T1", "metadata": {"kravia:payment_details:kid": 1230}}"#).unwrap();
/// assert_eq!(missing_payment_details(&tx), ["kravia:payment_details:bank_account:bban or :iban"]);
/// ```
pub fn missing_payment_details(transaction: &Transaction) -> Vec<&'static str> {
    let m = &transaction.metadata;
    let mut missing = Vec::new();
    if !m.has(KID) {
        missing.push(KID);
    }
    if !m.has(BBAN) && !m.has(IBAN) {
        missing.push("kravia:payment_details:bank_account:bban or :iban");
    }
    missing
}

impl DinteroClient {
    /// A read of `url` with the bearer token.
    fn get_call<'a>(&self, url: &'a reqwest::Url) -> Call<'a> {
        Call {
            verb: Verb::Get,
            url,
            auth: AuthMode::Bearer,
            body: None,
            timeout: self.settings.timeout,
            limit: self.settings.max_body,
            accept: "application/json",
        }
    }

    /// `GET {base}/transactions/{id}?includes=session`: the transaction with
    /// its session embedded (when Dintero has it).
    ///
    /// # Errors
    ///
    /// Authentication, HTTP and network errors (after the retries), and
    /// [`ClientError::Malformed`] naming the document when the JSON does not
    /// parse.
    pub async fn get_transaction(&self, id: &str) -> Result<Transaction, ClientError> {
        self.guard(self.get_transaction_with_body(id).await.map(|(tx, _)| tx))
    }

    /// [`get_transaction`](Self::get_transaction), with the JSON as read (for
    /// what the wire model leaves out, such as an event's `error`).
    pub(crate) async fn get_transaction_with_body(
        &self,
        id: &str,
    ) -> Result<(Transaction, Vec<u8>), ClientError> {
        let url = self
            .base
            .join(&["transactions", id])
            .with_query("includes", "session");
        let call = self.get_call(url.url());
        let reply = self.read(&call).await?;
        let tx = call.parse("transaction", &reply, Transaction::from_json)?;
        Ok((tx, reply.body))
    }

    /// `GET {base}/sessions/{id}`: the checkout session.
    ///
    /// # Errors
    ///
    /// As for [`get_transaction`](Self::get_transaction).
    pub async fn get_session(&self, id: &str) -> Result<Session, ClientError> {
        self.guard(self.get_session_unguarded(id).await)
    }

    async fn get_session_unguarded(&self, id: &str) -> Result<Session, ClientError> {
        let url = self.base.join(&["sessions", id]);
        let call = self.get_call(url.url());
        let reply = self.read(&call).await?;
        call.parse("session", &reply, Session::from_json)
    }

    /// Reads the transaction until its `kravia:payment_details:*` keys are
    /// there (see [`missing_payment_details`]), for at most `max_wait`; the
    /// pause between reads starts at the poll interval and doubles up to the
    /// retry policy's `max_delay`. With a zero `max_wait` it reads once.
    ///
    /// # Errors
    ///
    /// [`ClientError::PaymentDetailsMissing`] when they are still missing
    /// after `max_wait`; any error of [`get_transaction`](Self::get_transaction).
    pub async fn wait_for_payment_details(
        &self,
        id: &str,
        max_wait: Duration,
    ) -> Result<Transaction, ClientError> {
        self.guard(self.wait_for_payment_details_unguarded(id, max_wait).await)
    }

    async fn wait_for_payment_details_unguarded(
        &self,
        id: &str,
        max_wait: Duration,
    ) -> Result<Transaction, ClientError> {
        let started = Instant::now();
        let deadline = started + max_wait;
        let mut interval = self.settings.poll_interval.max(Duration::from_millis(1));
        let cap = self.settings.retry.max_delay.max(interval);
        loop {
            // Each read (its retries and Retry-After pauses included) is cut
            // at the deadline, with at least a second for the first.
            let left = deadline.saturating_duration_since(Instant::now());
            let read = tokio::time::timeout(
                left.max(Duration::from_secs(1)),
                self.get_transaction_with_body(id),
            )
            .await;
            let missing = match read {
                Ok(read) => {
                    let (tx, _) = read?;
                    let missing = missing_payment_details(&tx);
                    if missing.is_empty() {
                        return Ok(tx);
                    }
                    missing
                }
                Err(_) => vec![KID, "kravia:payment_details:bank_account:bban or :iban"],
            };
            let now = Instant::now();
            if now >= deadline {
                return Err(ClientError::PaymentDetailsMissing {
                    transaction_id: id.to_string(),
                    waited: now - started,
                    missing,
                });
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = (interval * 2).min(cap);
        }
    }
}
