//! The after-capture pipeline: Dintero callback → capture once → wait for the
//! payment details → verify → render → archive → deliver, one durable job per
//! transaction, surviving crashes.
//!
//! ```text
//! callback ──► jobs row (state capture) ──► worker claims it (lease)
//!   capture : re-read; voided → voided; collection started → render;
//!             else verify the order (rejected when it can never be invoiced),
//!             record the capture intent, capture (never twice)
//!   render  : re-read until the payment details are there (backoff), verify
//!             (rejected with the report), render, archive → deliver
//!   deliver : e-mail, webhook (each recorded once sent; retried with capped
//!             exponential backoff; failed after the configured attempts)
//!   credit  : (a VOID on a delivered invoice) re-read; voided → the credit
//!             note: its number from the series, verify, render, archive,
//!             deliver like the invoice → done; not voided → done again
//!   done | rejected | failed (retry by hand) | voided
//! ```
//!
//! A VOID reaches a job by the callback (`event=VOID`, sent when the callback
//! URL has `report_event=VOID`) or by a re-read: any callback for a job that
//! is done re-reads the transaction (`credit`), and a job finishing its
//! delivery after a VOID was reported goes on to `credit`. A VOID before the
//! invoice was delivered stops the job in `voided` (nothing to credit).
//!
//! A business invoice's UBL e-invoice is made with the PDF (the PDF embedded),
//! archived beside it and attached to the e-mail; when it cannot be made (a
//! fact the e-invoice needs is missing) the PDF still goes out and the
//! history says why.
//!
//! Every step re-reads what it needs and records its outcome before the next
//! step starts, so a restart resumes each job where it stopped. A job is
//! claimed with a lease (`lease_owner`, `lease_until`): with PostgreSQL by
//! `FOR UPDATE SKIP LOCKED`, so any number of instances share the work; every
//! write of a step is fenced by the lease owner, and the lease is renewed while
//! a step runs, so no step runs on two instances at once; a killed instance's
//! jobs are taken over when its lease runs out.
//!
//! Capture: exactly once. The intent is recorded before the call; a job that
//! finds an intent but no capture event waits `capture_settle` (Dintero may
//! still be applying an accepted capture) and re-reads before it captures
//! again. E-mail: at least once; a resend after a crash carries the same
//! `Message-ID`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use tokio::sync::Notify;

use super::archive::{Archive, NewInvoice, Stored};
use super::db::{Backend, Db};
use super::delivery::{Delivery, Outgoing};
use super::documents::{self, CreditSeries, Side};
use super::engine::{Engine, Refused, Rendered, RenderedCredit, Ubl};
use super::http::{AppState, fatal};
use crate::client::{
    CaptureOutcome, ClientError, DinteroClient, has_collection_event, missing_payment_details,
};
use crate::verify::Code;

/// The callback signature secret variable.
pub const CALLBACK_SECRET_VAR: &str = "DINTERO_CALLBACK_SECRET";

/// The credit-note number prefix variable.
pub const CREDIT_PREFIX_VAR: &str = "KRAVIA_INVOICE_CREDIT_PREFIX";

const ACTIVE: [&str; 4] = ["capture", "render", "deliver", "credit"];
/// Every state a job can be in.
const STATES: [&str; 8] = [
    "capture", "render", "deliver", "credit", "done", "rejected", "failed", "voided",
];
const NOT_YET_COLLECTED: [Code; 3] = [
    Code::CollectionNotStarted,
    Code::MissingPaymentDetails,
    Code::MissingInvoiceNumber,
];

/// Timing and limits of the pipeline (environment, with defaults).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Worker tasks per instance (`KRAVIA_INVOICE_WORKERS`, 4).
    pub workers: usize,
    /// Attempts of a step before the job is `failed` (`KRAVIA_INVOICE_ATTEMPTS`, 10).
    pub attempts: i64,
    /// First retry pause (`KRAVIA_INVOICE_RETRY_BASE_MS`, 2000).
    pub retry_base: Duration,
    /// Longest retry pause (`KRAVIA_INVOICE_RETRY_MAX_MS`, 600000).
    pub retry_max: Duration,
    /// How long to wait for the payment details (`KRAVIA_INVOICE_PAYMENT_WAIT_SECS`, 3600).
    pub payment_wait: Duration,
    /// The lease (`KRAVIA_INVOICE_LEASE_SECS`, 30).
    pub lease: Duration,
    /// Wait after a recorded capture intent before capturing again
    /// (`KRAVIA_INVOICE_CAPTURE_SETTLE_SECS`, 60).
    pub capture_settle: Duration,
    /// The service's public URL, for archive links (`KRAVIA_INVOICE_PUBLIC_URL`).
    pub public_url: String,
    /// How often idle workers look for due jobs (`KRAVIA_INVOICE_POLL_MS`, 500).
    pub poll: Duration,
    /// The credit-note numbers (`KRAVIA_INVOICE_CREDIT_PREFIX`, `KN-`;
    /// `KRAVIA_INVOICE_CREDIT_START`, 1; `KRAVIA_INVOICE_CREDIT_DIGITS`, 6).
    pub credit_series: CreditSeries,
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

impl Settings {
    /// From the environment; `listen` gives the default public URL.
    pub fn from_env(listen: &str) -> Settings {
        Settings {
            workers: usize::try_from(env_u64("KRAVIA_INVOICE_WORKERS", 4).max(1)).unwrap_or(4),
            attempts: i64::try_from(env_u64("KRAVIA_INVOICE_ATTEMPTS", 10).max(1)).unwrap_or(10),
            retry_base: Duration::from_millis(env_u64("KRAVIA_INVOICE_RETRY_BASE_MS", 2000)),
            retry_max: Duration::from_millis(env_u64("KRAVIA_INVOICE_RETRY_MAX_MS", 600_000)),
            payment_wait: Duration::from_secs(env_u64("KRAVIA_INVOICE_PAYMENT_WAIT_SECS", 3600)),
            lease: Duration::from_secs(env_u64("KRAVIA_INVOICE_LEASE_SECS", 30).max(1)),
            capture_settle: Duration::from_secs(env_u64("KRAVIA_INVOICE_CAPTURE_SETTLE_SECS", 60)),
            public_url: std::env::var("KRAVIA_INVOICE_PUBLIC_URL")
                .ok()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| format!("http://{listen}"))
                .trim_end_matches('/')
                .to_string(),
            poll: Duration::from_millis(env_u64("KRAVIA_INVOICE_POLL_MS", 500).max(10)),
            credit_series: CreditSeries {
                prefix: std::env::var(CREDIT_PREFIX_VAR)
                    .ok()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "KN-".into()),
                start: i64::try_from(env_u64("KRAVIA_INVOICE_CREDIT_START", 1).max(1)).unwrap_or(1),
                width: usize::try_from(env_u64("KRAVIA_INVOICE_CREDIT_DIGITS", 6).clamp(1, 18))
                    .unwrap_or(6),
            },
        }
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// One job row.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Job {
    /// The Dintero transaction id.
    pub transaction_id: String,
    /// `capture`, `render`, `deliver`, `credit`, `done`, `rejected`,
    /// `failed`, `voided`.
    pub state: String,
    /// For a failed job: the step a retry resumes at.
    pub failed_step: Option<String>,
    /// Attempts of the current step.
    pub attempts: i64,
    /// When a capture was about to be sent (Unix ms), if ever.
    pub capture_intent: Option<i64>,
    /// Whether this service captured the transaction.
    pub captured: bool,
    /// The invoice number, once rendered.
    pub invoice_number: Option<String>,
    /// The buyer's e-mail.
    pub buyer_email: Option<String>,
    /// The invoice's language.
    pub locale: Option<String>,
    /// E-mail sent.
    pub email_sent: bool,
    /// Webhook delivered.
    pub webhook_sent: bool,
    /// A VOID was reported by a callback.
    pub void_requested: bool,
    /// The credit note's number, once taken from the series.
    pub credit_number: Option<String>,
    /// Credit note e-mail sent.
    pub credit_email_sent: bool,
    /// Credit note webhook delivered.
    pub credit_webhook_sent: bool,
    /// How often the job was taken over from a lease that ran out unreleased
    /// (its instance was killed or stalled).
    pub takeovers: i64,
    /// The last error.
    pub last_error: Option<String>,
    /// The verification report of a rejected job.
    pub report: Option<serde_json::Value>,
    /// When the job runs next (Unix ms).
    pub next_run_at: i64,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Updated (Unix ms).
    pub updated_at: i64,
}

/// One history entry.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryEntry {
    /// Unix ms.
    pub at: i64,
    /// The step.
    pub step: String,
    /// What happened.
    pub outcome: String,
    /// Details.
    pub detail: Option<String>,
}

const JOB_COLUMNS: &str = "transaction_id, state, failed_step, attempts, capture_intent, captured, invoice_number, buyer_email, locale, email_sent, webhook_sent, void_requested, last_error, report, next_run_at, created_at, updated_at, credit_number, credit_email_sent, credit_webhook_sent, takeovers";

fn job_row(r: &sqlx::any::AnyRow) -> Result<Job, sqlx::Error> {
    let report: Option<String> = r.try_get(13)?;
    Ok(Job {
        transaction_id: r.try_get(0)?,
        state: r.try_get(1)?,
        failed_step: r.try_get(2)?,
        attempts: r.try_get(3)?,
        capture_intent: r.try_get(4)?,
        captured: r.try_get::<i64, _>(5)? != 0,
        invoice_number: r.try_get(6)?,
        buyer_email: r.try_get(7)?,
        locale: r.try_get(8)?,
        email_sent: r.try_get::<i64, _>(9)? != 0,
        webhook_sent: r.try_get::<i64, _>(10)? != 0,
        void_requested: r.try_get::<i64, _>(11)? != 0,
        last_error: r.try_get(12)?,
        report: report.and_then(|s| serde_json::from_str(&s).ok()),
        next_run_at: r.try_get(14)?,
        created_at: r.try_get(15)?,
        updated_at: r.try_get(16)?,
        credit_number: r.try_get(17)?,
        credit_email_sent: r.try_get::<i64, _>(18)? != 0,
        credit_webhook_sent: r.try_get::<i64, _>(19)? != 0,
        takeovers: r.try_get(20)?,
    })
}

/// Reading and operating jobs: shared by the API and the `jobs` command.
#[derive(Clone, Debug)]
pub struct JobStore {
    db: Db,
}

impl JobStore {
    /// The jobs in `db`.
    pub fn new(db: Db) -> JobStore {
        JobStore { db }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Records a job for `transaction_id` unless there is one; whether it is new.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn record(&self, transaction_id: &str) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let done = sqlx::query(
            "INSERT INTO jobs (transaction_id, state, next_run_at, created_at, updated_at) \
             VALUES ($1, 'capture', $2, $2, $2) ON CONFLICT (transaction_id) DO NOTHING",
        )
        .bind(transaction_id)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        let new = done.rows_affected() == 1;
        if new {
            self.history(transaction_id, "callback", "recorded", None)
                .await?;
        }
        Ok(new)
    }

    /// Marks a VOID reported for the job; a job that is done (its invoice
    /// delivered, no credit note yet) goes to `credit`.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn void_reported(&self, transaction_id: &str) -> Result<(), sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "UPDATE jobs SET void_requested = 1, updated_at = $2, \
             next_run_at = CASE WHEN state = 'done' AND credit_number IS NULL THEN $2 ELSE next_run_at END, \
             state = CASE WHEN state = 'done' AND credit_number IS NULL THEN 'credit' ELSE state END \
             WHERE transaction_id = $1",
        )
        .bind(transaction_id)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        self.history(transaction_id, "callback", "void reported", None)
            .await
    }

    /// A job just done whose VOID was reported meanwhile goes to `credit`.
    /// (With [`JobStore::void_reported`], which moves a job that is done:
    /// whichever runs second sees the other's write, so no VOID is missed.)
    async fn credit_after_void(&self, transaction_id: &str) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE jobs SET state = 'credit', next_run_at = $2, updated_at = $2 \
             WHERE transaction_id = $1 AND state = 'done' AND void_requested = 1 AND credit_number IS NULL",
        )
        .bind(transaction_id)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A callback for a job that is done (and has no credit note): re-read
    /// the transaction (`credit`) in case it was voided. Whether it did.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn recheck(&self, transaction_id: &str) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE jobs SET state = 'credit', next_run_at = $2, updated_at = $2 \
             WHERE transaction_id = $1 AND state = 'done' AND credit_number IS NULL",
        )
        .bind(transaction_id)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        let again = done.rows_affected() == 1;
        if again {
            self.history(
                transaction_id,
                "callback",
                "re-read requested",
                Some("a callback for a delivered invoice: voided?"),
            )
            .await?;
        }
        Ok(again)
    }

    /// Appends to the history.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn history(
        &self,
        transaction_id: &str,
        step: &str,
        outcome: &str,
        detail: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO job_history (transaction_id, at, step, outcome, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(transaction_id)
        .bind(now_ms())
        .bind(step)
        .bind(outcome)
        .bind(detail)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// One job with its history.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn get(
        &self,
        transaction_id: &str,
    ) -> Result<Option<(Job, Vec<HistoryEntry>)>, sqlx::Error> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE transaction_id = $1");
        let Some(row) = sqlx::query(&sql)
            .bind(transaction_id)
            .fetch_optional(&self.db.pool)
            .await?
        else {
            return Ok(None);
        };
        let job = job_row(&row)?;
        let rows = sqlx::query(
            "SELECT at, step, outcome, detail FROM job_history WHERE transaction_id = $1 ORDER BY id",
        )
        .bind(transaction_id)
        .fetch_all(&self.db.pool)
        .await?;
        let history = rows
            .iter()
            .map(|r| {
                Ok(HistoryEntry {
                    at: r.try_get(0)?,
                    step: r.try_get(1)?,
                    outcome: r.try_get(2)?,
                    detail: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some((job, history)))
    }

    /// The jobs, optionally in one state, oldest first (at most 1,000).
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn list(&self, state: Option<&str>) -> Result<Vec<Job>, sqlx::Error> {
        let rows = match state {
            Some(s) => {
                let sql = format!(
                    "SELECT {JOB_COLUMNS} FROM jobs WHERE state = $1 ORDER BY created_at, transaction_id LIMIT 1000"
                );
                sqlx::query(&sql).bind(s).fetch_all(&self.db.pool).await?
            }
            None => {
                let sql = format!(
                    "SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at, transaction_id LIMIT 1000"
                );
                sqlx::query(&sql).fetch_all(&self.db.pool).await?
            }
        };
        rows.iter().map(job_row).collect()
    }

    /// Puts a `failed` or `rejected` job back to work at the step it stopped
    /// in (which re-reads and verifies again). `Ok(false)` when the job is in
    /// another state.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn retry(&self, transaction_id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE jobs SET state = COALESCE(failed_step, 'capture'), \
             failed_step = NULL, attempts = 0, last_error = NULL, next_run_at = $2, lease_until = 0, updated_at = $2 \
             WHERE transaction_id = $1 AND state IN ('failed', 'rejected')",
        )
        .bind(transaction_id)
        .bind(now_ms())
        .execute(&self.db.pool)
        .await?;
        let ok = done.rows_affected() == 1;
        if ok {
            self.history(transaction_id, "retry", "requested", None)
                .await?;
        }
        Ok(ok)
    }

    /// Jobs per state, every state listed (0 when none), so that an alert on
    /// `rejected` or `failed` has a series before the first one.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn counts(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state")
            .fetch_all(&self.db.pool)
            .await?;
        let mut counts: std::collections::BTreeMap<String, i64> =
            STATES.iter().map(|s| ((*s).to_string(), 0)).collect();
        for r in &rows {
            counts.insert(r.try_get(0)?, r.try_get(1)?);
        }
        Ok(counts.into_iter().collect())
    }
}

/// The running pipeline of one instance.
pub struct Pipeline {
    store: JobStore,
    archive: Archive,
    engine: Arc<Engine>,
    client: DinteroClient,
    delivery: Delivery,
    settings: Settings,
    owner: String,
    wake: Notify,
    callback_secret: Option<Vec<u8>>,
    /// One e-mail in flight per instance: a crash can then leave at most one
    /// sent-but-unrecorded message (one duplicate per crash).
    mail: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("owner", &self.owner)
            .field("delivery", &self.delivery)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// What a step decided.
enum Next {
    /// Go on to `state` now.
    Advance(&'static str),
    /// Run this step again later (not an attempt: waiting).
    Later(Duration, String),
    /// The step failed: retry with backoff, `failed` after the attempts.
    Retry(String),
    /// Stop for good in `state` (`rejected`, `failed`, `voided`, `done`).
    Stop(&'static str, Option<String>),
}

/// The step's end when verification refused the documents: the report is
/// kept on the job, the state is `rejected` (an alert, not a silent drop).
fn rejected(job: &mut Job, report: &crate::Report, what: &str) -> Next {
    job.report = serde_json::to_value(report).ok();
    let codes: Vec<&str> = report.codes().iter().map(|c| c.as_str()).collect();
    Next::Stop("rejected", Some(format!("{what}: {}", codes.join(", "))))
}

/// The step's answer when the engine refused to render.
fn refused(r: Refused) -> Next {
    match r {
        Refused::NoBrand => Next::Stop("failed", Some("no brand: start serve with --brand".into())),
        Refused::BadRequest(m) | Refused::Internal(m) => Next::Retry(m),
    }
}

impl Pipeline {
    /// The pipeline when Dintero credentials are in the environment; `None`
    /// (with the reason logged) otherwise.
    ///
    /// # Errors
    ///
    /// A delivery configuration that does not parse.
    pub fn from_env(
        db: Db,
        archive: Archive,
        engine: Arc<Engine>,
        listen: &str,
    ) -> Result<Option<Arc<Pipeline>>, String> {
        let client = match DinteroClient::from_env() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(reason = %e, "the Dintero callback pipeline is off");
                return Ok(None);
            }
        };
        let delivery = Delivery::from_env()?;
        let settings = Settings::from_env(listen);
        let callback_secret = std::env::var(CALLBACK_SECRET_VAR)
            .ok()
            .filter(|s| !s.is_empty())
            .map(String::into_bytes);
        if callback_secret.is_none() {
            tracing::warn!(
                "{CALLBACK_SECRET_VAR} is not set: callbacks are accepted unsigned (the transaction is always re-read from Dintero)"
            );
        }
        let owner = format!(
            "{}-{}-{}",
            std::process::id(),
            now_ms(),
            listen.replace([':', '.'], "_")
        );
        Ok(Some(Arc::new(Pipeline {
            store: JobStore::new(db),
            archive,
            engine,
            client,
            delivery,
            settings,
            owner,
            wake: Notify::new(),
            callback_secret,
            mail: tokio::sync::Mutex::new(()),
        })))
    }

    /// The job store.
    pub fn store(&self) -> &JobStore {
        &self.store
    }

    /// Jobs per state.
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn counts(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        self.store.counts().await
    }

    /// Starts the workers; they stop when `stop` is notified (after their step).
    pub fn spawn_workers(
        self: &Arc<Self>,
        stop: Arc<tokio::sync::watch::Receiver<bool>>,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        (0..self.settings.workers)
            .map(|_| {
                let p = self.clone();
                let mut stop = (*stop).clone();
                tokio::spawn(async move {
                    loop {
                        if *stop.borrow() {
                            break;
                        }
                        match p.claim().await {
                            Ok(Some(job)) => p.run(job).await,
                            Ok(None) => {
                                tokio::select! {
                                    () = p.wake.notified() => {},
                                    () = tokio::time::sleep(p.settings.poll) => {},
                                    _ = stop.changed() => {},
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "claiming a job failed");
                                tokio::time::sleep(p.settings.poll).await;
                            }
                        }
                    }
                })
            })
            .collect()
    }

    /// Claims one due job (a lease for this instance).
    async fn claim(&self) -> Result<Option<Job>, sqlx::Error> {
        let now = now_ms();
        let lock = match self.store.db.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2, \
             takeovers = takeovers + CASE WHEN lease_until > 0 THEN 1 ELSE 0 END WHERE transaction_id = (\
             SELECT transaction_id FROM jobs WHERE state IN ('capture', 'render', 'deliver', 'credit') \
             AND next_run_at <= $3 AND lease_until < $3 ORDER BY next_run_at LIMIT 1{lock}) \
             AND lease_until < $3 RETURNING {JOB_COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(&self.owner)
            .bind(now + ms(self.settings.lease))
            .bind(now)
            .fetch_optional(&self.store.db.pool)
            .await?;
        row.map(|r| job_row(&r)).transpose()
    }

    /// Writes the job's mutable fields, fenced by the lease; false when the
    /// lease was lost (another instance has the job now).
    async fn save(&self, job: &Job, release: bool) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let lease_until = if release {
            0
        } else {
            now + ms(self.settings.lease)
        };
        let report = job.report.as_ref().map(ToString::to_string);
        let done = sqlx::query(
            "UPDATE jobs SET state = $3, failed_step = $4, attempts = $5, capture_intent = $6, captured = $7, \
             invoice_number = $8, buyer_email = $9, locale = $10, email_sent = $11, webhook_sent = $12, \
             last_error = $13, report = $14, next_run_at = $15, lease_until = $16, updated_at = $17, \
             credit_email_sent = $18, credit_webhook_sent = $19 \
             WHERE transaction_id = $1 AND lease_owner = $2",
        )
        .bind(&job.transaction_id)
        .bind(&self.owner)
        .bind(&job.state)
        .bind(&job.failed_step)
        .bind(job.attempts)
        .bind(job.capture_intent)
        .bind(i64::from(job.captured))
        .bind(&job.invoice_number)
        .bind(&job.buyer_email)
        .bind(&job.locale)
        .bind(i64::from(job.email_sent))
        .bind(i64::from(job.webhook_sent))
        .bind(&job.last_error)
        .bind(report)
        .bind(job.next_run_at)
        .bind(lease_until)
        .bind(now)
        .bind(i64::from(job.credit_email_sent))
        .bind(i64::from(job.credit_webhook_sent))
        .execute(&self.store.db.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Renews the lease while a step runs.
    fn heartbeat(&self, transaction_id: &str) -> tokio::task::JoinHandle<()> {
        let pool = self.store.db.pool.clone();
        let (owner, id, lease) = (
            self.owner.clone(),
            transaction_id.to_string(),
            self.settings.lease,
        );
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                let _ = sqlx::query(
                    "UPDATE jobs SET lease_until = $3 WHERE transaction_id = $1 AND lease_owner = $2 AND lease_until > 0",
                )
                .bind(&id)
                .bind(&owner)
                .bind(now_ms() + ms(lease))
                .execute(&pool)
                .await;
            }
        })
    }

    /// Runs the claimed job's steps until it waits, stops or loses its lease.
    async fn run(&self, mut job: Job) {
        let beat = self.heartbeat(&job.transaction_id);
        loop {
            let step = job.state.clone();
            let next = match step.as_str() {
                "capture" => self.capture(&mut job).await,
                "render" => self.render(&mut job).await,
                "deliver" => self.deliver(&mut job).await,
                "credit" => self.credit(&mut job).await,
                _ => break,
            };
            let (outcome, detail, release) = match next {
                Next::Advance(state) => {
                    job.state = state.into();
                    job.attempts = 0;
                    job.last_error = None;
                    job.next_run_at = now_ms();
                    (format!("→ {state}"), None, !ACTIVE.contains(&state))
                }
                Next::Later(after, why) => {
                    job.next_run_at = now_ms() + ms(after);
                    (String::from("waiting"), Some(why), true)
                }
                Next::Retry(error) => {
                    job.attempts += 1;
                    if job.attempts >= self.settings.attempts {
                        job.failed_step = Some(step.clone());
                        job.state = "failed".into();
                        job.last_error = Some(error.clone());
                        ("failed".into(), Some(error), true)
                    } else {
                        let pause = backoff(&self.settings, job.attempts);
                        job.last_error = Some(error.clone());
                        job.next_run_at = now_ms() + ms(pause);
                        (
                            format!("retry {} in {:?}", job.attempts, pause),
                            Some(error),
                            true,
                        )
                    }
                }
                Next::Stop(state, detail) => {
                    if state == "failed" || state == "rejected" {
                        // A retry by hand resumes here.
                        job.failed_step = Some(step.clone());
                        job.last_error.clone_from(&detail);
                    }
                    job.state = state.into();
                    (format!("→ {state}"), detail, true)
                }
            };
            match self.save(&job, release).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(transaction_id = %job.transaction_id, "lease lost: another instance has the job");
                    break;
                }
                Err(e) => {
                    tracing::warn!(transaction_id = %job.transaction_id, error = %e, "saving the job failed");
                    break;
                }
            }
            if outcome != "waiting" || job.attempts == 0 {
                let _ = self
                    .store
                    .history(&job.transaction_id, &step, &outcome, detail.as_deref())
                    .await;
            }
            tracing::info!(transaction_id = %job.transaction_id, step = %step, outcome = %outcome, detail = detail.as_deref().unwrap_or(""), "job");
            if job.state == "done" {
                // A VOID reported while the invoice was being delivered (the
                // callback saw the job active and only set the flag): credit.
                match self.store.credit_after_void(&job.transaction_id).await {
                    Ok(true) => self.wake.notify_one(),
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(transaction_id = %job.transaction_id, error = %e, "checking for a reported VOID failed");
                    }
                }
            }
            if release {
                break;
            }
        }
        beat.abort();
    }

    async fn read(&self, id: &str) -> Result<crate::dintero::Transaction, ClientError> {
        self.client.get_transaction(id).await
    }

    async fn session_of(
        &self,
        tx: &crate::dintero::Transaction,
    ) -> Result<Option<crate::dintero::Session>, ClientError> {
        if tx.session.is_some() {
            return Ok(None);
        }
        match tx.session_id.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(sid) => Ok(Some(self.client.get_session(sid).await?)),
            None => Err(ClientError::NoSession {
                transaction_id: tx.id.clone(),
            }),
        }
    }

    async fn capture(&self, job: &mut Job) -> Next {
        let tx = match self.read(&job.transaction_id).await {
            Ok(t) => t,
            Err(e) => return Next::Retry(e.to_string()),
        };
        if is_voided(&tx) {
            return Next::Stop("voided", Some("the authorization was voided".into()));
        }
        if has_collection_event(&tx) {
            return Next::Advance("render");
        }
        if let Some(intent) = job.capture_intent {
            let waited = now_ms() - intent;
            if waited < ms(self.settings.capture_settle) {
                return Next::Later(
                    Duration::from_millis(500),
                    "a capture was sent before a restart: waiting for Dintero to show it before capturing again".into(),
                );
            }
        }
        let session = match self.session_of(&tx).await {
            Ok(s) => s,
            Err(e) => return Next::Retry(e.to_string()),
        };
        let report = crate::verify::check(&tx, session.as_ref(), self.engine.brand());
        if !report.is_ok()
            && report
                .errors
                .iter()
                .any(|f| !NOT_YET_COLLECTED.contains(&f.code))
        {
            job.report = serde_json::to_value(&report).ok();
            return Next::Stop(
                "rejected",
                Some(format!(
                    "not captured: {}",
                    report
                        .codes()
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        // The intent, durably, before the call.
        job.capture_intent = Some(now_ms());
        match self.save(job, false).await {
            Ok(true) => {}
            Ok(false) => return Next::Retry("lease lost before the capture".into()),
            Err(e) => return Next::Retry(format!("recording the capture intent: {e}")),
        }
        let mut order = tx.clone();
        if let Some(s) = session {
            order.session = Some(Box::new(s));
        }
        match self.client.capture_for_merchant_delivery(&order).await {
            Ok(CaptureOutcome::Captured(_)) => {
                job.captured = true;
                Next::Advance("render")
            }
            Ok(CaptureOutcome::AlreadyStarted) => Next::Advance("render"),
            Err(e @ ClientError::CaptureNotPossible { .. }) => {
                Next::Stop("failed", Some(e.to_string()))
            }
            Err(e) => Next::Retry(e.to_string()),
        }
    }

    async fn render(&self, job: &mut Job) -> Next {
        let tx = match self.read(&job.transaction_id).await {
            Ok(t) => t,
            Err(e) => return Next::Retry(e.to_string()),
        };
        if is_voided(&tx) {
            return Next::Stop("voided", Some("the authorization was voided".into()));
        }
        let missing = missing_payment_details(&tx);
        if !missing.is_empty() {
            let waited = now_ms() - job.created_at;
            if waited > ms(self.settings.payment_wait) {
                return Next::Stop(
                    "failed",
                    Some(format!(
                        "payment details still missing: {}",
                        missing.join(", ")
                    )),
                );
            }
            // Capped exponential backoff, counted separately from failures.
            job.attempts += 1;
            let pause = backoff(&self.settings, job.attempts);
            return Next::Later(pause, format!("waiting for {}", missing.join(", ")));
        }
        let session = match self.session_of(&tx).await {
            Ok(s) => s,
            Err(e) => return Next::Retry(e.to_string()),
        };
        let engine = self.engine.clone();
        let rendered =
            tokio::task::spawn_blocking(move || engine.render_documents(&tx, session.as_ref()))
                .await;
        let pdf = match rendered {
            Ok(Ok(Rendered::Pdf(p))) => p,
            Ok(Ok(Rendered::Rejected(report))) => {
                return rejected(job, &report, "verification failed");
            }
            Ok(Err(r)) => return refused(r),
            Err(e) => return Next::Retry(format!("render task: {e}")),
        };
        let stored = self
            .archive
            .store(NewInvoice {
                invoice_number: pdf.invoice_number.clone(),
                transaction_id: pdf.transaction_id.clone(),
                sha256: pdf.sha256.clone(),
                pdf: axum::body::Bytes::from(pdf.bytes),
            })
            .await;
        match stored {
            Ok(Stored::Inserted(_) | Stored::Existing(_)) => {
                if let Err(next) = self
                    .archive_ubl(
                        &job.transaction_id,
                        &pdf.invoice_number,
                        pdf.ubl.as_ref(),
                        "render",
                    )
                    .await
                {
                    return next;
                }
                job.invoice_number = Some(pdf.invoice_number.clone());
                job.buyer_email.clone_from(&pdf.invoice.buyer.email);
                let locale = self
                    .engine
                    .brand()
                    .and_then(|b| b.invoice.locale)
                    .unwrap_or(pdf.invoice.locale);
                job.locale = Some(locale.to_string());
                Next::Advance("deliver")
            }
            Ok(Stored::Conflict {
                archived,
                refused_sha256,
            }) => Next::Stop(
                "failed",
                Some(format!(
                    "invoice number {} is archived with another document ({} ≠ {refused_sha256})",
                    archived.invoice_number, archived.sha256
                )),
            ),
            Err(e) => Next::Retry(e.to_string()),
        }
    }

    /// Archives the UBL made beside the PDF numbered `number` (invoice or
    /// credit note), or records in the job's history (`step`) why there is
    /// none; `Err` is the step's answer when archiving failed.
    async fn archive_ubl(
        &self,
        transaction_id: &str,
        number: &str,
        ubl: Option<&Ubl>,
        step: &'static str,
    ) -> Result<(), Next> {
        match ubl {
            Some(Ubl::Xml(xml)) => {
                match documents::store_side(self.store.db(), number, documents::UBL, xml).await {
                    Ok(Side::Stored) => Ok(()),
                    Ok(Side::Conflict(archived)) => Err(Next::Stop(
                        "failed",
                        Some(format!(
                            "number {number} has another UBL document archived ({archived})"
                        )),
                    )),
                    Err(e) => Err(Next::Retry(format!("archiving the UBL of {number}: {e}"))),
                }
            }
            Some(Ubl::Refused(why)) => {
                let _ = self
                    .store
                    .history(
                        transaction_id,
                        step,
                        "no e-invoice: the PDF goes alone",
                        Some(why),
                    )
                    .await;
                Ok(())
            }
            None => Ok(()),
        }
    }

    async fn deliver(&self, job: &mut Job) -> Next {
        let Some(number) = job.invoice_number.clone() else {
            return Next::Advance("render");
        };
        let (record, pdf) = match self.archive.pdf(&number).await {
            Ok(Some(p)) => p,
            Ok(None) => return Next::Advance("render"),
            Err(e) => return Next::Retry(e.to_string()),
        };
        let ubl = match documents::side(self.store.db(), &number, documents::UBL).await {
            Ok(u) => u.map(|(_, xml)| xml),
            Err(e) => return Next::Retry(e.to_string()),
        };
        let seller = self.seller();
        let out = Outgoing {
            invoice_number: &number,
            credit_number: None,
            ubl: ubl.as_deref(),
            transaction_id: &job.transaction_id,
            sha256: &record.sha256,
            pdf: &pdf,
            to: job.buyer_email.as_deref(),
            locale: job.locale.as_deref().unwrap_or("en"),
            seller: &seller,
            pdf_url: format!("{}/v1/invoices/{number}/pdf", self.settings.public_url),
        };
        if self.delivery.email_on() && !job.email_sent {
            let one = self.mail.lock().await;
            if let Err(e) = self.delivery.email(&out).await {
                return Next::Retry(e);
            }
            job.email_sent = true;
            // Recorded at once: a crash from here on does not resend.
            let _ = self.save(job, false).await;
            drop(one);
            let _ = self
                .store
                .history(
                    &job.transaction_id,
                    "deliver",
                    "e-mail sent",
                    job.buyer_email.as_deref(),
                )
                .await;
        }
        if self.delivery.webhook_on() && !job.webhook_sent {
            if let Err(e) = self.delivery.webhook(&out).await {
                return Next::Retry(e);
            }
            job.webhook_sent = true;
            let _ = self.save(job, false).await;
            let _ = self
                .store
                .history(&job.transaction_id, "deliver", "webhook delivered", None)
                .await;
        }
        Next::Stop("done", None)
    }
}

impl Pipeline {
    fn seller(&self) -> String {
        self.engine
            .brand()
            .and_then(|b| b.seller.name.clone())
            .unwrap_or_default()
    }

    /// A VOID on a delivered invoice: the credit note, made, archived and
    /// delivered once (its number taken once, its e-mail and webhook recorded
    /// once sent, like the invoice's).
    async fn credit(&self, job: &mut Job) -> Next {
        let tx = match self.read(&job.transaction_id).await {
            Ok(t) => t,
            Err(e) => return Next::Retry(e.to_string()),
        };
        if !crate::verify::credit::is_voided(&tx) {
            if job.void_requested && job.credit_number.is_none() {
                return Next::Retry(
                    "a VOID was reported but the transaction does not show it (yet)".into(),
                );
            }
            return Next::Stop("done", Some("re-read: not voided".into()));
        }
        let Some(invoice_number) = job.invoice_number.clone() else {
            return Next::Stop(
                "voided",
                Some("voided before an invoice was issued: nothing to credit".into()),
            );
        };
        let number = match job.credit_number.clone() {
            Some(n) => n,
            None => match self
                .settings
                .credit_series
                .assign(self.store.db(), &job.transaction_id, &self.owner)
                .await
            {
                Ok(Some(n)) => {
                    job.credit_number = Some(n.clone());
                    let _ = self
                        .store
                        .history(
                            &job.transaction_id,
                            "credit",
                            "credit number taken",
                            Some(&n),
                        )
                        .await;
                    n
                }
                Ok(None) => return Next::Retry("lease lost before taking a credit number".into()),
                Err(e) => return Next::Retry(format!("taking a credit number: {e}")),
            },
        };
        // Rendered and archived once: a resumed step finds it archived.
        let archived = match self.archive.pdf(&number).await {
            Ok(a) => a,
            Err(e) => return Next::Retry(e.to_string()),
        };
        let (sha256, pdf, locale, email) = match archived {
            Some((record, bytes)) => (
                record.sha256,
                bytes,
                job.locale.clone().unwrap_or_else(|| "en".into()),
                job.buyer_email.clone(),
            ),
            None => {
                let session = match self.session_of(&tx).await {
                    Ok(s) => s,
                    Err(e) => return Next::Retry(e.to_string()),
                };
                let engine = self.engine.clone();
                let n = number.clone();
                let rendered = tokio::task::spawn_blocking(move || {
                    engine.render_credit_documents(&tx, session.as_ref(), &n)
                })
                .await;
                let note = match rendered {
                    Ok(Ok(RenderedCredit::Pdf(p))) => p,
                    Ok(Ok(RenderedCredit::Rejected(report))) => {
                        let what = format!(
                            "credit note {number} for invoice {invoice_number} failed verification"
                        );
                        return rejected(job, &report, &what);
                    }
                    Ok(Err(r)) => return refused(r),
                    Err(e) => return Next::Retry(format!("render task: {e}")),
                };
                if note.invoice_number != invoice_number {
                    return Next::Stop(
                        "failed",
                        Some(format!(
                            "the voided transaction now names invoice {}, not {invoice_number}",
                            note.invoice_number
                        )),
                    );
                }
                match documents::store_credit(
                    self.store.db(),
                    &number,
                    &job.transaction_id,
                    &note.bytes,
                )
                .await
                {
                    Ok(Stored::Inserted(_) | Stored::Existing(_)) => {}
                    Ok(Stored::Conflict {
                        archived,
                        refused_sha256,
                    }) => {
                        return Next::Stop(
                            "failed",
                            Some(format!(
                                "credit number {number} is archived with another document ({} ≠ {refused_sha256}, transaction {})",
                                archived.sha256, archived.transaction_id
                            )),
                        );
                    }
                    Err(e) => return Next::Retry(format!("archiving the credit note: {e}")),
                }
                if let Err(next) = self
                    .archive_ubl(&job.transaction_id, &number, note.ubl.as_ref(), "credit")
                    .await
                {
                    return next;
                }
                let _ = self
                    .store
                    .history(
                        &job.transaction_id,
                        "credit",
                        "credit note archived",
                        Some(&number),
                    )
                    .await;
                let locale = job.locale.clone().unwrap_or(note.locale);
                (note.sha256, note.bytes, locale, note.buyer_email)
            }
        };
        // The UBL credit note archived beside it (business buyers).
        let ubl = match documents::side(self.store.db(), &number, documents::UBL).await {
            Ok(u) => u.map(|(_, xml)| xml),
            Err(e) => return Next::Retry(e.to_string()),
        };
        let seller = self.seller();
        let out = Outgoing {
            invoice_number: &invoice_number,
            credit_number: Some(&number),
            ubl: ubl.as_deref(),
            transaction_id: &job.transaction_id,
            sha256: &sha256,
            pdf: &pdf,
            to: email.as_deref().or(job.buyer_email.as_deref()),
            locale: &locale,
            seller: &seller,
            pdf_url: format!("{}/v1/invoices/{number}/pdf", self.settings.public_url),
        };
        if self.delivery.email_on() && !job.credit_email_sent {
            let one = self.mail.lock().await;
            if let Err(e) = self.delivery.email(&out).await {
                return Next::Retry(e);
            }
            job.credit_email_sent = true;
            let _ = self.save(job, false).await;
            drop(one);
            let _ = self
                .store
                .history(
                    &job.transaction_id,
                    "credit",
                    "credit note e-mail sent",
                    out.to,
                )
                .await;
        }
        if self.delivery.webhook_on() && !job.credit_webhook_sent {
            if let Err(e) = self.delivery.webhook(&out).await {
                return Next::Retry(e);
            }
            job.credit_webhook_sent = true;
            let _ = self.save(job, false).await;
            let _ = self
                .store
                .history(
                    &job.transaction_id,
                    "credit",
                    "credit note webhook delivered",
                    None,
                )
                .await;
        }
        Next::Stop("done", Some(format!("credit note {number} delivered")))
    }
}

fn is_voided(tx: &crate::dintero::Transaction) -> bool {
    tx.status
        .as_deref()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("AUTHORIZATION_VOIDED"))
}

/// `base × 2^(attempt−1)`, at most `max`.
fn backoff(s: &Settings, attempt: i64) -> Duration {
    let exp = u32::try_from(attempt.clamp(1, 30) - 1).unwrap_or(0);
    s.retry_base
        .saturating_mul(2u32.saturating_pow(exp))
        .min(s.retry_max)
}

// ---- HTTP ----

/// The job routes (and the archived UBL of an invoice) behind the API key.
pub fn routes(r: Router<AppState>) -> Router<AppState> {
    r.route("/v1/jobs", get(list_jobs))
        .route("/v1/jobs/{transaction_id}", get(show_job))
        .route("/v1/jobs/{transaction_id}/retry", post(retry_job))
        .route(
            "/v1/invoices/{invoice_number}/ubl",
            get(documents::ubl_route),
        )
}

/// The callback route (signed by Dintero, not by the API key).
pub fn callback_routes() -> Router<AppState> {
    Router::new().route("/v1/dintero/callback", get(callback).post(callback))
}

fn no_pipeline() -> Response {
    fatal(
        StatusCode::SERVICE_UNAVAILABLE,
        "the pipeline is off: set DINTERO_ACCOUNT_ID, DINTERO_CLIENT_ID and DINTERO_CLIENT_SECRET",
    )
}

#[derive(Deserialize)]
struct ListQuery {
    state: Option<String>,
}

async fn list_jobs(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    let store = JobStore::new(state.archive.db().clone());
    match store.list(q.state.as_deref()).await {
        Ok(jobs) => axum::Json(json!({ "jobs": jobs })).into_response(),
        Err(e) => fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

async fn show_job(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let store = JobStore::new(state.archive.db().clone());
    match store.get(&id).await {
        Ok(Some((job, history))) => {
            axum::Json(json!({ "job": job, "history": history })).into_response()
        }
        Ok(None) => fatal(
            StatusCode::NOT_FOUND,
            &format!("no job for transaction {id:?}"),
        ),
        Err(e) => fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

async fn retry_job(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let store = JobStore::new(state.archive.db().clone());
    match store.retry(&id).await {
        Ok(true) => {
            if let Some(p) = &state.jobs {
                p.wake.notify_waiters();
            }
            match store.get(&id).await {
                Ok(Some((job, history))) => {
                    axum::Json(json!({ "job": job, "history": history })).into_response()
                }
                _ => fatal(StatusCode::NOT_FOUND, "no such job"),
            }
        }
        Ok(false) => match store.get(&id).await {
            Ok(Some((job, _))) => fatal(
                StatusCode::CONFLICT,
                &format!("job {id:?} is {}, not failed or rejected", job.state),
            ),
            Ok(None) => fatal(
                StatusCode::NOT_FOUND,
                &format!("no job for transaction {id:?}"),
            ),
            Err(e) => fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
        },
        Err(e) => fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

async fn callback(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    _body: Body,
) -> Response {
    let Some(p) = state.jobs.clone() else {
        return no_pipeline();
    };
    if let Some(secret) = &p.callback_secret {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        let url = format!(
            "http://{host}{}",
            uri.path_and_query().map_or("", |pq| pq.as_str())
        );
        let Some(sig) = headers
            .get("dintero-signature")
            .and_then(|v| v.to_str().ok())
        else {
            return fatal(StatusCode::UNAUTHORIZED, "missing Dintero-Signature");
        };
        let now = now_ms() / 1000;
        if let Err(e) = crate::client::callback::verify_signature(
            sig,
            secret,
            p.client.account_id(),
            method.as_str(),
            &url,
            now,
            Duration::from_secs(300),
        ) {
            tracing::warn!(error = %e, "callback refused");
            return fatal(StatusCode::UNAUTHORIZED, &e.to_string());
        }
    }
    let query: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            q.split('&')
                .filter_map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    Some((decode(k)?, decode(v)?))
                })
                .collect()
        })
        .unwrap_or_default();
    let find = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let Some(id) = find("transaction_id").filter(|s| !s.trim().is_empty()) else {
        return fatal(
            StatusCode::BAD_REQUEST,
            "the callback has no transaction_id",
        );
    };
    let id = id.trim().to_string();
    let new = match p.store.record(&id).await {
        Ok(new) => new,
        Err(e) => return fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    // `event` is what Dintero applied (sent with `report_event=…` on the URL).
    let void = find("event").is_some_and(|e| e.trim().eq_ignore_ascii_case("VOID"));
    let marked = if void {
        p.store.void_reported(&id).await
    } else if new {
        Ok(())
    } else {
        // Any other callback for a delivered invoice: re-read it (voided?).
        p.store.recheck(&id).await.map(|_| ())
    };
    if let Err(e) = marked {
        return fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string());
    }
    p.wake.notify_one();
    axum::Json(json!({"ok": true, "transaction_id": id})).into_response()
}

fn decode(s: &str) -> Option<String> {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let h = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let mut s = Settings::from_env("127.0.0.1:1");
        s.retry_base = Duration::from_millis(100);
        s.retry_max = Duration::from_millis(500);
        assert_eq!(backoff(&s, 1), Duration::from_millis(100));
        assert_eq!(backoff(&s, 2), Duration::from_millis(200));
        assert_eq!(backoff(&s, 3), Duration::from_millis(400));
        assert_eq!(backoff(&s, 4), Duration::from_millis(500));
        assert_eq!(backoff(&s, 60), Duration::from_millis(500));
    }

    #[test]
    fn query_decoding() {
        assert_eq!(decode("a%20b+c").as_deref(), Some("a b c"));
        assert_eq!(decode("%zz"), None);
    }
}
