//! The invoice archive: every issued PDF with its hash and metadata, written
//! durably before the answer goes out, never changed, never deleted.
//!
//! One invoice number holds one document for ever: storing a different PDF
//! under a number already archived is refused ([`Stored::Conflict`]) with both
//! hashes; storing the same bytes again is a no-op ([`Stored::Existing`]).
//!
//! # Group commit
//!
//! All writes go through one writer task. It takes every invoice waiting in
//! its queue, inserts them in one transaction and commits once (one `fsync`
//! for the lot), then answers each waiting request. Under load the batches
//! grow by themselves (everything that arrived while the previous commit was
//! syncing), so durability is never weakened to go faster; when idle a batch
//! is one invoice and nothing waits for a timer.

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use super::db::Db;

/// The most invoices committed in one transaction.
const MAX_BATCH: usize = 256;

/// An archive record (without the bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The invoice number.
    pub invoice_number: String,
    /// The Dintero transaction id.
    pub transaction_id: String,
    /// SHA-256 of the PDF, lower-case hex.
    pub sha256: String,
    /// Size of the PDF in bytes.
    pub size: i64,
    /// When it was archived (RFC 3339, UTC).
    pub created: String,
    /// `issued`.
    pub status: String,
}

/// What storing an invoice did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// Newly archived (committed).
    Inserted(Record),
    /// The same bytes were already archived.
    Existing(Record),
    /// A different document is archived under this number.
    Conflict {
        /// The archived record.
        archived: Record,
        /// The hash of the refused document.
        refused_sha256: String,
    },
}

/// The archive failed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The database failed.
    #[error("archive: {0}")]
    Db(#[from] sqlx::Error),
    /// The writer has stopped (shutting down).
    #[error("archive: the writer has stopped")]
    Closed,
}

/// An invoice to store.
#[derive(Debug)]
pub struct NewInvoice {
    /// The invoice number.
    pub invoice_number: String,
    /// The Dintero transaction id.
    pub transaction_id: String,
    /// SHA-256 of `pdf`, lower-case hex.
    pub sha256: String,
    /// The PDF.
    pub pdf: axum::body::Bytes,
}

struct Pending {
    invoice: NewInvoice,
    reply: oneshot::Sender<Result<Stored, String>>,
}

/// The archive: reads on the pool, writes through the group-commit writer.
#[derive(Clone, Debug)]
pub struct Archive {
    db: Db,
    queue: mpsc::Sender<PendingBox>,
}

/// A queued write (opaque).
pub struct PendingBox(Pending);

impl std::fmt::Debug for PendingBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingBox")
            .field("invoice_number", &self.0.invoice.invoice_number)
            .finish()
    }
}

const COLUMNS: &str = "invoice_number, transaction_id, sha256, size, created_at, status";

fn record(row: &sqlx::any::AnyRow) -> Result<Record, sqlx::Error> {
    Ok(Record {
        invoice_number: row.try_get(0)?,
        transaction_id: row.try_get(1)?,
        sha256: row.try_get(2)?,
        size: row.try_get(3)?,
        created: row.try_get(4)?,
        status: row.try_get(5)?,
    })
}

impl Archive {
    /// The archive on `db`, with its writer task spawned on the current
    /// runtime. The writer ends when every [`Archive`] clone is dropped, after
    /// committing what is queued; await the returned handle to know it has.
    pub fn start(db: Db) -> (Archive, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel::<PendingBox>(4 * MAX_BATCH);
        let writer = tokio::spawn(writer(db.clone(), rx));
        (Archive { db, queue: tx }, writer)
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The record of `invoice_number`.
    ///
    /// # Errors
    ///
    /// [`ArchiveError::Db`].
    pub async fn get(&self, invoice_number: &str) -> Result<Option<Record>, ArchiveError> {
        let sql = format!("SELECT {COLUMNS} FROM invoices WHERE invoice_number = $1");
        let row = sqlx::query(&sql)
            .bind(invoice_number)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(|r| record(&r)).transpose()?)
    }

    /// The records of `transaction_id`.
    ///
    /// # Errors
    ///
    /// [`ArchiveError::Db`].
    pub async fn by_transaction(&self, transaction_id: &str) -> Result<Vec<Record>, ArchiveError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM invoices WHERE transaction_id = $1 ORDER BY invoice_number"
        );
        let rows = sqlx::query(&sql)
            .bind(transaction_id)
            .fetch_all(&self.db.pool)
            .await?;
        Ok(rows.iter().map(record).collect::<Result<_, _>>()?)
    }

    /// The archived bytes of `invoice_number`.
    ///
    /// # Errors
    ///
    /// [`ArchiveError::Db`].
    pub async fn pdf(
        &self,
        invoice_number: &str,
    ) -> Result<Option<(Record, Vec<u8>)>, ArchiveError> {
        let sql = format!("SELECT {COLUMNS}, pdf FROM invoices WHERE invoice_number = $1");
        let row = sqlx::query(&sql)
            .bind(invoice_number)
            .fetch_optional(&self.db.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let rec = record(&r)?;
                let pdf: Vec<u8> = r.try_get(6)?;
                Ok(Some((rec, pdf)))
            }
        }
    }

    /// How many invoices and how many bytes are archived.
    ///
    /// # Errors
    ///
    /// [`ArchiveError::Db`].
    pub async fn size(&self) -> Result<(i64, i64), ArchiveError> {
        let row =
            sqlx::query("SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM invoices")
                .fetch_one(&self.db.pool)
                .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// Stores `invoice` durably (committed when this returns `Ok`), or says
    /// that it already is, or that another document holds its number.
    ///
    /// # Errors
    ///
    /// [`ArchiveError`].
    pub async fn store(&self, invoice: NewInvoice) -> Result<Stored, ArchiveError> {
        // A repeat is judged by the writer too (its batch then writes nothing
        // and its commit syncs nothing): one path, no race between a read and
        // the insert.
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(PendingBox(Pending { invoice, reply }))
            .await
            .map_err(|_| ArchiveError::Closed)?;
        match answer.await {
            Ok(Ok(stored)) => Ok(stored),
            Ok(Err(message)) => Err(ArchiveError::Db(sqlx::Error::Protocol(message))),
            Err(_) => Err(ArchiveError::Closed),
        }
    }
}

fn judge(archived: Record, sha256: String) -> Stored {
    if archived.sha256 == sha256 {
        Stored::Existing(archived)
    } else {
        Stored::Conflict {
            archived,
            refused_sha256: sha256,
        }
    }
}

fn now() -> String {
    chrono::DateTime::<Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn writer(db: Db, mut rx: mpsc::Receiver<PendingBox>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while let Some(PendingBox(first)) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(PendingBox(p)) => batch.push(p),
                Err(_) => break,
            }
        }
        match write_batch(&db, &batch).await {
            Ok(outcomes) => {
                for (p, o) in batch.drain(..).zip(outcomes) {
                    let _ = p.reply.send(Ok(o));
                }
            }
            Err(e) => {
                let message = e.to_string();
                tracing::error!(error = %message, invoices = batch.len(), "archive commit failed");
                for p in batch.drain(..) {
                    let _ = p.reply.send(Err(message.clone()));
                }
            }
        }
    }
}

/// The most rows one `INSERT` carries (7 parameters each, far below every
/// backend's limit on bound parameters).
const ROWS_PER_INSERT: usize = 64;

/// One transaction for the whole batch; the outcomes in batch order.
///
/// The rows go in as multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING
/// invoice_number` statements (one round trip per 64 invoices instead of one
/// each, which is what a networked PostgreSQL pays for); an invoice whose
/// number was not returned was already archived (or came twice in this
/// batch), and is judged against the archived record.
async fn write_batch(db: &Db, batch: &[Pending]) -> Result<Vec<Stored>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let created = now();
    let mut inserted: std::collections::HashSet<String> = std::collections::HashSet::new();
    for chunk in batch.chunks(ROWS_PER_INSERT) {
        // A number twice in one statement would make PostgreSQL refuse the
        // whole statement ("cannot affect row a second time"): later
        // occurrences wait for the judging pass below.
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let rows: Vec<&NewInvoice> = chunk
            .iter()
            .map(|p| &p.invoice)
            .filter(|inv| {
                !inserted.contains(&inv.invoice_number) && seen.insert(&inv.invoice_number)
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut sql = String::from(
            "INSERT INTO invoices (invoice_number, transaction_id, sha256, size, pdf, created_at, status) VALUES ",
        );
        for i in 0..rows.len() {
            let b = i * 6;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, 'issued')",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        sql.push_str(" ON CONFLICT (invoice_number) DO NOTHING RETURNING invoice_number");
        let mut q = sqlx::query(&sql);
        for inv in &rows {
            q = q
                .bind(&inv.invoice_number)
                .bind(&inv.transaction_id)
                .bind(&inv.sha256)
                .bind(pdf_size(inv))
                .bind(inv.pdf.as_ref())
                .bind(&created);
        }
        for row in q.fetch_all(&mut *tx).await? {
            inserted.insert(row.try_get::<String, _>(0)?);
        }
    }
    let mut out = Vec::with_capacity(batch.len());
    let mut claimed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for p in batch {
        let inv = &p.invoice;
        // The first of the batch to carry a newly inserted number is the one
        // inserted; any other is judged against the archived record.
        if inserted.contains(&inv.invoice_number) && claimed.insert(&inv.invoice_number) {
            out.push(Stored::Inserted(Record {
                invoice_number: inv.invoice_number.clone(),
                transaction_id: inv.transaction_id.clone(),
                sha256: inv.sha256.clone(),
                size: pdf_size(inv),
                created: created.clone(),
                status: "issued".into(),
            }));
        } else {
            let sql = format!("SELECT {COLUMNS} FROM invoices WHERE invoice_number = $1");
            let row = sqlx::query(&sql)
                .bind(&inv.invoice_number)
                .fetch_one(&mut *tx)
                .await?;
            out.push(judge(record(&row)?, inv.sha256.clone()));
        }
    }
    tx.commit().await?;
    Ok(out)
}

fn pdf_size(inv: &NewInvoice) -> i64 {
    i64::try_from(inv.pdf.len()).unwrap_or(i64::MAX)
}
