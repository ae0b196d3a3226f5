//! The database: an embedded SQLite file by default, PostgreSQL for several
//! instances; one schema, migrations embedded in the binary and run on start.
//!
//! The SQL is written once, with `$1` placeholders that both SQLite and
//! PostgreSQL understand, through sqlx's `Any` driver.
//!
//! # Durability
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: every commit syncs the
//! write-ahead log before it returns, so a committed invoice survives a crash
//! of the process *and* of the machine. (`NORMAL` would survive a killed
//! process but could lose the last commits on power loss: not good enough for
//! an archive that answers 200 after the commit.) The cost of one `fsync` per
//! commit is shared by grouping: the archive's single writer commits every
//! invoice that arrived while the previous commit was syncing in one
//! transaction (see `archive`). PostgreSQL keeps its default
//! `synchronous_commit = on`, grouped the same way.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (single instance).
    Sqlite,
    /// PostgreSQL (any number of instances).
    Postgres,
}

/// A connection pool and its backend.
#[derive(Clone, Debug)]
pub struct Db {
    /// The pool.
    pub pool: AnyPool,
    /// Which database it is.
    pub backend: Backend,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// Connecting failed.
    #[error("database {url}: {source}")]
    Connect {
        /// The URL, without a password.
        url: String,
        /// Why.
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("database {url}: migrating the schema: {source}")]
    Migrate {
        /// The URL, without a password.
        url: String,
        /// Why.
        source: sqlx::migrate::MigrateError,
    },
}

/// The default database: `kravia-invoice.sqlite` in the working directory.
pub const DEFAULT_DB: &str = "sqlite://kravia-invoice.sqlite";

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((auth, host)) = rest.split_once('@')
        && let Some((user, _)) = auth.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// The sqlx URL for `--db`: a `postgres://` / `postgresql://` URL, a
/// `sqlite:` URL, or a plain file path (SQLite; created when missing).
pub fn normalize(db: &str) -> (Backend, String) {
    let t = db.trim();
    if t.starts_with("postgres://") || t.starts_with("postgresql://") {
        return (Backend::Postgres, t.to_string());
    }
    let path = t
        .strip_prefix("sqlite://")
        .or_else(|| t.strip_prefix("sqlite:"))
        .unwrap_or(t);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut url = format!("sqlite://{path}");
    if query.is_empty() {
        url.push_str("?mode=rwc");
    } else {
        url.push('?');
        url.push_str(query);
    }
    (Backend::Sqlite, url)
}

impl Db {
    /// Opens (creating an SQLite file when missing) and migrates.
    ///
    /// # Errors
    ///
    /// [`DbError`].
    pub async fn open(db: &str, max_connections: u32) -> Result<Db, DbError> {
        install_default_drivers();
        let (backend, url) = normalize(db);
        let shown = redact(&url);
        let connect = |source| DbError::Connect {
            url: shown.clone(),
            source,
        };
        let options = AnyConnectOptions::from_str(&url).map_err(connect)?;
        let mut pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30));
        if backend == Backend::Sqlite {
            pool = pool.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    // Checkpoints run from a background task (`checkpoints`),
                    // not inside the commits that answer requests.
                    conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect_with(options).await.map_err(connect)?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|source| DbError::Migrate {
                url: shown.clone(),
                source,
            })?;
        Ok(Db { pool, backend })
    }

    /// SQLite: copies the write-ahead log into the database file every
    /// `every`, from a connection of its own (PASSIVE: never blocks the writer
    /// or readers), so that commits never pay for a checkpoint. Ends when the
    /// pool closes. PostgreSQL: nothing to do.
    pub fn spawn_checkpoints(&self, every: Duration) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if pool.is_closed() {
                    break;
                }
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    if pool.is_closed() {
                        break;
                    }
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
        });
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// `sql` for this backend (the same text today; the hook for a dialect).
    pub fn sql<'a>(&self, sql: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths() {
        assert_eq!(
            normalize("x.sqlite"),
            (Backend::Sqlite, "sqlite://x.sqlite?mode=rwc".into())
        );
        assert_eq!(
            normalize("sqlite:///tmp/a.db"),
            (Backend::Sqlite, "sqlite:///tmp/a.db?mode=rwc".into())
        );
        assert_eq!(
            normalize("postgres://u:p@127.0.0.1/db").0,
            Backend::Postgres
        );
        assert_eq!(
            redact("postgres://u:secret@127.0.0.1:5432/db"),
            "postgres://u:***@127.0.0.1:5432/db"
        );
        assert_eq!(redact("sqlite://a"), "sqlite://a");
    }
}
