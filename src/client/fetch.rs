//! The whole flow in one call: read, capture when asked, wait for the payment
//! details, verify, render; async and blocking.

use std::time::Duration;

use crate::brand::Brand;
use crate::dintero::{Session, Transaction};
use crate::render::{RenderError, Renderer};
use crate::verify::{Code, Report, VerifiedInvoice, verify};

use super::DinteroClient;
use super::capture::{CaptureOutcome, has_collection_event};
use super::error::ClientError;
use super::transactions::missing_payment_details;

/// The default bound on waiting for the payment details (the CLI's `--wait`).
pub const DEFAULT_WAIT: Duration = Duration::from_secs(120);

/// Findings that only say collection has not started yet: tolerated when
/// checking an order before capturing it.
const NOT_YET_COLLECTED: [Code; 3] = [
    Code::CollectionNotStarted,
    Code::MissingPaymentDetails,
    Code::MissingInvoiceNumber,
];

/// What [`fetch_and_render`] does besides reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchOptions {
    /// Capture the transaction when it has no successful `INITIATE_CAPTURE` or
    /// `CAPTURE` event (never otherwise). Default `false`.
    pub capture: bool,
    /// How long to wait for the `kravia:payment_details:*` keys once
    /// collection has started. Default [`DEFAULT_WAIT`].
    pub wait: Duration,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            capture: false,
            wait: DEFAULT_WAIT,
        }
    }
}

/// A verified invoice with the documents it came from.
#[derive(Debug)]
pub struct Verified {
    /// The verified invoice.
    pub invoice: VerifiedInvoice,
    /// The transaction as last read.
    pub transaction: Transaction,
    /// The session (embedded or read separately).
    pub session: Session,
    /// Whether this call captured the transaction.
    pub captured: bool,
}

/// A rendered invoice with the documents it came from.
#[derive(Debug)]
pub struct Fetched {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The verified invoice.
    pub invoice: VerifiedInvoice,
    /// The transaction as last read.
    pub transaction: Transaction,
    /// The session (embedded or read separately).
    pub session: Session,
    /// Whether this call captured the transaction.
    pub captured: bool,
}

/// Why [`fetch_and_render`] produced no PDF: the documents were rejected
/// (the CLI's exit 2), or something else failed (exit 1).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The documents disagree or a payment detail is invalid.
    #[error("{0}")]
    Rejected(Report),
    /// Talking to Dintero failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// Rendering failed.
    #[error("rendering invoice {invoice_number}: {source}")]
    Render {
        /// The invoice.
        invoice_number: String,
        /// Why.
        source: RenderError,
    },
}

impl FetchError {
    /// The report, when the documents were rejected.
    pub fn report(&self) -> Option<&Report> {
        match self {
            FetchError::Rejected(r) => Some(r),
            _ => None,
        }
    }
}

/// Reads the transaction (with its session), captures it when
/// `options.capture` is set and collection has not started, waits for the
/// payment details, and verifies.
///
/// Before a capture the order is verified: a capture starts Kravia's
/// collection, so an order that could never be invoiced (any finding but
/// "collection not started", "missing payment details" or "missing invoice
/// number") is rejected and not captured. Without `options.capture`, a
/// transaction whose collection has not started is verified as it is (and
/// rejected with `collection_not_started`).
///
/// # Errors
///
/// [`FetchError::Rejected`] with the report; [`FetchError::Client`] for
/// credentials, network, HTTP, malformed documents, a failed capture, or
/// payment details still missing after `options.wait`.
pub async fn fetch_and_verify(
    client: &DinteroClient,
    transaction_id: &str,
    options: &FetchOptions,
    brand: &Brand,
) -> Result<Verified, FetchError> {
    let mut tx = client.get_transaction(transaction_id).await?;
    let session = match tx.session.as_deref() {
        Some(s) => s.clone(),
        None => {
            let sid = tx
                .session_id
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| ClientError::NoSession {
                    transaction_id: tx.id.clone(),
                })?;
            client.get_session(sid).await?
        }
    };
    let mut captured = false;
    if options.capture && !has_collection_event(&tx) {
        let separate = tx.session.is_none().then_some(&session);
        if let Err(report) = verify(&tx, separate, brand)
            && report
                .errors
                .iter()
                .any(|f| !NOT_YET_COLLECTED.contains(&f.code))
        {
            return Err(FetchError::Rejected(report));
        }
        let mut order = tx.clone();
        order
            .session
            .get_or_insert_with(|| Box::new(session.clone()));
        if let CaptureOutcome::Captured(after) =
            client.capture_for_merchant_delivery(&order).await?
        {
            tx = *after;
            captured = true;
        }
    }
    if has_collection_event(&tx) && !missing_payment_details(&tx).is_empty() {
        tx = client
            .wait_for_payment_details(&tx.id, options.wait)
            .await?;
    }
    let separate = tx.session.is_none().then_some(&session);
    let invoice = verify(&tx, separate, brand).map_err(FetchError::Rejected)?;
    Ok(Verified {
        invoice,
        transaction: tx,
        session,
        captured,
    })
}

/// The whole flow: [`fetch_and_verify`] with the renderer's brand, then
/// [`Renderer::render`].
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use kravia_invoice::Brand;
/// use kravia_invoice::client::{DinteroClient, FetchOptions, fetch_and_render};
/// use kravia_invoice::render::{RenderOptions, Renderer};
/// let client = DinteroClient::from_env()?;
/// let renderer = Renderer::new(Brand::load("brand.toml".as_ref())?, RenderOptions::default())?;
/// let options = FetchOptions { capture: true, ..FetchOptions::default() };
/// let fetched = fetch_and_render(&client, "P12345678.abc", &options, &renderer).await?;
/// std::fs::write(format!("{}.pdf", fetched.invoice.invoice_number), &fetched.pdf)?;
/// # Ok(()) }
/// ```
///
/// # Errors
///
/// As for [`fetch_and_verify`], and [`FetchError::Render`].
pub async fn fetch_and_render(
    client: &DinteroClient,
    transaction_id: &str,
    options: &FetchOptions,
    renderer: &Renderer,
) -> Result<Fetched, FetchError> {
    let v = fetch_and_verify(client, transaction_id, options, renderer.brand()).await?;
    let pdf = renderer
        .render(&v.invoice)
        .map_err(|source| FetchError::Render {
            invoice_number: v.invoice.invoice_number.clone(),
            source,
        })?;
    Ok(Fetched {
        pdf,
        invoice: v.invoice,
        transaction: v.transaction,
        session: v.session,
        captured: v.captured,
    })
}

/// A current-thread runtime, refused inside another runtime (where blocking
/// would panic).
fn runtime() -> Result<tokio::runtime::Runtime, ClientError> {
    not_in_runtime()?;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ClientError::Runtime {
            reason: format!("cannot start one: {e}"),
        })
}

fn not_in_runtime() -> Result<(), ClientError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(ClientError::Runtime {
            reason:
                "the blocking API was called from async code: await the async functions instead"
                    .into(),
        });
    }
    Ok(())
}

/// [`fetch_and_render`] for callers without an async runtime: runs it on a
/// current-thread runtime started for this call. To make several calls, a
/// [`BlockingClient`] keeps one runtime (and its connections).
///
/// # Errors
///
/// As for [`fetch_and_render`]; [`ClientError::Runtime`] when called from
/// async code.
pub fn fetch_and_render_blocking(
    client: &DinteroClient,
    transaction_id: &str,
    options: &FetchOptions,
    renderer: &Renderer,
) -> Result<Fetched, FetchError> {
    runtime()?.block_on(fetch_and_render(client, transaction_id, options, renderer))
}

/// A [`DinteroClient`] with its own current-thread runtime, for code without
/// one (a CLI, a synchronous backend). Do not use it from async code.
///
/// ```no_run
/// use kravia_invoice::Brand;
/// use kravia_invoice::client::{BlockingClient, FetchOptions};
/// use kravia_invoice::render::{RenderOptions, Renderer};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = BlockingClient::from_env()?;
/// let brand = Brand::load("brand.toml".as_ref())?;
/// let renderer = Renderer::new(brand, RenderOptions::default())?;
/// let fetched = client.fetch_and_render("P12345678.abc", &FetchOptions::default(), &renderer)?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BlockingClient {
    runtime: tokio::runtime::Runtime,
    client: DinteroClient,
}

impl TryFrom<DinteroClient> for BlockingClient {
    type Error = ClientError;

    fn try_from(client: DinteroClient) -> Result<BlockingClient, ClientError> {
        Ok(BlockingClient {
            runtime: runtime()?,
            client,
        })
    }
}

impl BlockingClient {
    /// [`DinteroClient::from_env`] with a runtime.
    ///
    /// # Errors
    ///
    /// As for [`DinteroClient::from_env`]; [`ClientError::Runtime`].
    pub fn from_env() -> Result<BlockingClient, ClientError> {
        BlockingClient::try_from(DinteroClient::from_env()?)
    }

    /// The async client inside.
    pub fn client(&self) -> &DinteroClient {
        &self.client
    }

    /// [`fetch_and_verify`], blocking.
    ///
    /// # Errors
    ///
    /// As for [`fetch_and_verify`]; [`ClientError::Runtime`] from async code.
    pub fn fetch_and_verify(
        &self,
        transaction_id: &str,
        options: &FetchOptions,
        brand: &Brand,
    ) -> Result<Verified, FetchError> {
        not_in_runtime()?;
        self.runtime.block_on(fetch_and_verify(
            &self.client,
            transaction_id,
            options,
            brand,
        ))
    }

    /// [`fetch_and_render`], blocking.
    ///
    /// # Errors
    ///
    /// As for [`fetch_and_render`]; [`ClientError::Runtime`] from async code.
    pub fn fetch_and_render(
        &self,
        transaction_id: &str,
        options: &FetchOptions,
        renderer: &Renderer,
    ) -> Result<Fetched, FetchError> {
        not_in_runtime()?;
        self.runtime.block_on(fetch_and_render(
            &self.client,
            transaction_id,
            options,
            renderer,
        ))
    }

    /// [`DinteroClient::download_invoice`], blocking.
    ///
    /// # Errors
    ///
    /// As for [`DinteroClient::download_invoice`].
    pub fn download_invoice(&self, url: &str) -> Result<Vec<u8>, ClientError> {
        not_in_runtime()?;
        self.runtime.block_on(self.client.download_invoice(url))
    }
}
