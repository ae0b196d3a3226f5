//! What the pipeline archives besides an invoice's PDF: the UBL e-invoice of a
//! business invoice, and credit notes.
//!
//! * The UBL goes to `invoice_documents` (kind `ubl`) under the invoice's
//!   number, next to the PDF in `invoices`; `GET /v1/invoices/{number}/ubl`
//!   serves it. The PDF archive (`/v1/invoices/{number}`, `…/pdf`) is
//!   unchanged.
//! * A credit note is a sales document with its own number: it is archived in
//!   `invoices` like an invoice, under its credit number, with status
//!   `credit_note` (so `/v1/invoices/{credit number}/pdf` serves it).
//!
//! Both follow the archive's rule: one number (and kind) holds one document
//! for ever; the same bytes again are a no-op, different bytes are refused.
//! These writes are few (one per job), so they commit directly rather than
//! through the archive's group-commit writer.

use chrono::{SecondsFormat, Utc};
use sqlx::Row;

use super::archive::{Record, Stored};
use super::db::Db;
use super::engine::sha256_hex;

/// The kind of the UBL e-invoice in `invoice_documents`.
pub const UBL: &str = "ubl";

/// The archive status of a credit note.
pub const CREDIT_NOTE: &str = "credit_note";

fn now() -> String {
    chrono::DateTime::<Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether storing a side document did anything.
#[derive(Debug, PartialEq, Eq)]
pub enum Side {
    /// Stored now, or the same bytes were there.
    Stored,
    /// Other bytes are archived under this number and kind (their hash).
    Conflict(String),
}

/// Stores `content` as the `kind` document of `invoice_number`, durably.
///
/// # Errors
///
/// Database errors.
pub async fn store_side(
    db: &Db,
    invoice_number: &str,
    kind: &str,
    content: &[u8],
) -> Result<Side, sqlx::Error> {
    let sha = sha256_hex(content);
    let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO invoice_documents (invoice_number, kind, sha256, size, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (invoice_number, kind) DO NOTHING",
    )
    .bind(invoice_number)
    .bind(kind)
    .bind(&sha)
    .bind(size)
    .bind(content)
    .bind(now())
    .execute(&db.pool)
    .await?;
    let row =
        sqlx::query("SELECT sha256 FROM invoice_documents WHERE invoice_number = $1 AND kind = $2")
            .bind(invoice_number)
            .bind(kind)
            .fetch_one(&db.pool)
            .await?;
    let archived: String = row.try_get(0)?;
    Ok(if archived == sha {
        Side::Stored
    } else {
        Side::Conflict(archived)
    })
}

/// The `kind` document of `invoice_number` (SHA-256 and bytes).
///
/// # Errors
///
/// Database errors.
pub async fn side(
    db: &Db,
    invoice_number: &str,
    kind: &str,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT sha256, content FROM invoice_documents WHERE invoice_number = $1 AND kind = $2",
    )
    .bind(invoice_number)
    .bind(kind)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// Archives a credit note's PDF under its own number (status
/// [`CREDIT_NOTE`]), durably.
///
/// # Errors
///
/// Database errors.
pub async fn store_credit(
    db: &Db,
    credit_number: &str,
    transaction_id: &str,
    pdf: &[u8],
) -> Result<Stored, sqlx::Error> {
    let sha = sha256_hex(pdf);
    let size = i64::try_from(pdf.len()).unwrap_or(i64::MAX);
    let created = now();
    let done = sqlx::query(
        "INSERT INTO invoices (invoice_number, transaction_id, sha256, size, pdf, created_at, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (invoice_number) DO NOTHING",
    )
    .bind(credit_number)
    .bind(transaction_id)
    .bind(&sha)
    .bind(size)
    .bind(pdf)
    .bind(&created)
    .bind(CREDIT_NOTE)
    .execute(&db.pool)
    .await?;
    let row = sqlx::query(
        "SELECT invoice_number, transaction_id, sha256, size, created_at, status FROM invoices WHERE invoice_number = $1",
    )
    .bind(credit_number)
    .fetch_one(&db.pool)
    .await?;
    let record = Record {
        invoice_number: row.try_get(0)?,
        transaction_id: row.try_get(1)?,
        sha256: row.try_get(2)?,
        size: row.try_get(3)?,
        created: row.try_get(4)?,
        status: row.try_get(5)?,
    };
    Ok(if done.rows_affected() == 1 {
        Stored::Inserted(record)
    } else if record.sha256 == sha && record.transaction_id == transaction_id {
        Stored::Existing(record)
    } else {
        Stored::Conflict {
            archived: record,
            refused_sha256: sha,
        }
    })
}

/// The credit-note number series: `prefix` followed by a counter kept in the
/// database (`credit_series`, one counter per prefix, starting at `start`),
/// zero-padded to `width` digits: `KN-000001`.
#[derive(Clone, Debug)]
pub struct CreditSeries {
    /// The prefix (`KRAVIA_INVOICE_CREDIT_PREFIX`, `KN-`).
    pub prefix: String,
    /// The first number of a new series (`KRAVIA_INVOICE_CREDIT_START`, 1).
    pub start: i64,
    /// Digits of the counter (`KRAVIA_INVOICE_CREDIT_DIGITS`, 6).
    pub width: usize,
}

impl CreditSeries {
    /// The number for counter value `n`.
    pub fn format(&self, n: i64) -> String {
        format!("{}{:0width$}", self.prefix, n, width = self.width)
    }

    /// Gives the job of `transaction_id` (held by `owner`) the next number of
    /// the series, in one transaction with the counter: a number is either
    /// taken by this job or not taken at all, never skipped, never given
    /// twice. `None` when the job is not this owner's any more or already has
    /// a number (then nothing is taken).
    ///
    /// # Errors
    ///
    /// Database errors.
    pub async fn assign(
        &self,
        db: &Db,
        transaction_id: &str,
        owner: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let mut tx = db.pool.begin().await?;
        // Claims the counter row first (a write: SQLite takes its write lock,
        // PostgreSQL locks the row), so concurrent jobs queue here.
        sqlx::query(
            "INSERT INTO credit_series (prefix, next) VALUES ($1, $2) ON CONFLICT (prefix) DO NOTHING",
        )
        .bind(&self.prefix)
        .bind(self.start)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(
            "UPDATE credit_series SET next = next + 1 WHERE prefix = $1 RETURNING next - 1",
        )
        .bind(&self.prefix)
        .fetch_one(&mut *tx)
        .await?;
        let n: i64 = row.try_get(0)?;
        let number = self.format(n);
        let done = sqlx::query(
            "UPDATE jobs SET credit_number = $3 WHERE transaction_id = $1 AND lease_owner = $2 AND credit_number IS NULL",
        )
        .bind(transaction_id)
        .bind(owner)
        .bind(&number)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            tx.commit().await?;
            Ok(Some(number))
        } else {
            tx.rollback().await?;
            Ok(None)
        }
    }
}

/// `GET /v1/invoices/{invoice_number}/ubl`: the archived UBL e-invoice of a
/// business invoice (`application/xml`, `ETag` its SHA-256); 404 when there is
/// none.
pub async fn ubl_route(
    axum::extract::State(state): axum::extract::State<super::http::AppState>,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;
    match side(state.archive.db(), &number, UBL).await {
        Ok(Some((sha, xml))) => {
            let mut r = (StatusCode::OK, xml).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("\"{sha}\"")) {
                h.insert(header::ETAG, v);
            }
            if let Ok(v) = HeaderValue::from_str(&number) {
                h.insert("x-invoice-number", v);
            }
            r
        }
        Ok(None) => super::http::fatal(
            StatusCode::NOT_FOUND,
            &format!("no e-invoice for {number:?} in the archive"),
        ),
        Err(e) => super::http::fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_numbers_are_prefix_and_padded_counter() {
        let s = CreditSeries {
            prefix: "KN-".into(),
            start: 1,
            width: 6,
        };
        assert_eq!(s.format(1), "KN-000001");
        assert_eq!(s.format(1_234_567), "KN-1234567");
    }
}
