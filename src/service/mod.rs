//! `kravia-invoice serve` (cargo feature `serve`): the verified renderer as an
//! HTTP service with an archive of every issued invoice.
//!
//! ```text
//! POST /v1/check    {"transaction", "session"?}           → 200 / 422 report / 400 / 413
//! POST /v1/render   {… , "template"?, "locale"?}          → 200 application/pdf (archived) / 409 / 422
//! GET  /v1/invoices/{number}        the archive record    GET /v1/invoices/{number}/pdf  the bytes
//! GET  /healthz  GET /metrics  GET /openapi.json
//! ```
//!
//! One async HTTP stack (axum on tokio); parsing, verifying and rendering run
//! on tokio's blocking pool ([`http::blocking`]), at most one per
//! core at once, so the event loop never waits for a render. The archive
//! ([`archive`]) commits durably before a 200 goes out, grouping concurrent
//! commits ([`db`] explains the SQLite settings). SIGTERM or SIGINT stops
//! accepting connections, lets the requests in flight finish, commits what
//! the archive writer holds, and exits.
//!
//! Everything about the documents goes through [`engine`], the one adapter to
//! the library's pipeline.

pub mod archive;
pub mod db;
pub mod delivery;
pub mod documents;
pub mod engine;
pub mod http;
pub mod jobs;
pub mod metrics;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use archive::Archive;
use db::Db;
use engine::Engine;
use http::AppState;
use metrics::Metrics;

/// The environment variable holding the API key.
pub const API_KEY_VAR: &str = "KRAVIA_INVOICE_API_KEY";

/// The default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The default body limit: 2 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// How logs are written (to stderr).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// What `serve` runs with.
#[derive(Clone)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The brand file; without one, `/v1/render` answers 503.
    pub brand: Option<PathBuf>,
    /// The database: a `postgres://` URL, a `sqlite:` URL or a file path.
    pub db: String,
    /// The API key (from [`API_KEY_VAR`]); required unless listening on loopback.
    pub api_key: Option<String>,
    /// The log format.
    pub log_format: LogFormat,
    /// The largest request body in bytes.
    pub body_limit: usize,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("brand", &self.brand)
            .field("db", &db::redact(&self.db))
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("log_format", &self.log_format)
            .field("body_limit", &self.body_limit)
            .finish()
    }
}

/// Why `serve` could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// No API key while listening beyond loopback.
    #[error(
        "{API_KEY_VAR} is not set: refusing to listen on {0} without an API key (only a loopback address may run without one)"
    )]
    NoApiKey(SocketAddr),
    /// The brand or template cannot be used.
    #[error("brand: {0}")]
    Engine(#[from] engine::EngineError),
    /// The database cannot be opened or migrated.
    #[error(transparent)]
    Db(#[from] db::DbError),
    /// Binding or serving failed.
    #[error("{0}")]
    Io(String),
}

/// Starts logging to stderr in `format` (once per process; later calls do
/// nothing).
pub fn init_logging(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Runs the service until SIGTERM or SIGINT, on a runtime of its own.
///
/// # Errors
///
/// [`ServiceError`].
pub fn run(config: Config) -> Result<(), ServiceError> {
    init_logging(config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("kravia-serve")
        .build()
        .map_err(|e| ServiceError::Io(format!("starting the runtime: {e}")))?;
    runtime.block_on(serve(config, shutdown_signal()))
}

/// Resolves on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// Serves until `shutdown` resolves, then drains.
///
/// # Errors
///
/// [`ServiceError`].
pub async fn serve(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServiceError> {
    let key = config.api_key.as_deref().filter(|k| !k.trim().is_empty());
    let loopback = config.listen.ip().is_loopback();
    let key_hash: Option<[u8; 32]> = match key {
        Some(k) => Some(Sha256::digest(k.trim().as_bytes()).into()),
        None if loopback => {
            tracing::warn!(
                "{API_KEY_VAR} is not set: the API is open to anyone who can reach {} (loopback only)",
                config.listen
            );
            None
        }
        None => return Err(ServiceError::NoApiKey(config.listen)),
    };
    let engine = Engine::new(config.brand.as_deref())?;
    if !engine.has_brand() {
        tracing::warn!("no --brand: /v1/render answers 503 until serve is started with one");
    }
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let db = Db::open(&config.db, u32::try_from(cores * 4).unwrap_or(8)).await?;
    tracing::info!(database = %db::redact(&db::normalize(&config.db).1), backend = ?db.backend, "archive ready");
    // Small, frequent checkpoints: at 500 ms a checkpoint wrote ~10 MB under
    // load and its sync of the database file held a concurrent commit for up
    // to 160 ms (p99 at 1,000 renders/s: 163 ms); at 100 ms, 13 ms.
    db.spawn_checkpoints(std::time::Duration::from_millis(100));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServiceError::Io(format!("listening on {}: {e}", config.listen)))?;
    let local = listener
        .local_addr()
        .map_err(|e| ServiceError::Io(format!("listening on {}: {e}", config.listen)))?;
    let (archive, writer) = Archive::start(db.clone());
    let engine = Arc::new(engine);
    let pipeline = jobs::Pipeline::from_env(
        db.clone(),
        archive.clone(),
        engine.clone(),
        &local.to_string(),
    )
    .map_err(ServiceError::Io)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers = match &pipeline {
        Some(p) => p.spawn_workers(Arc::new(stop_rx)),
        None => Vec::new(),
    };
    let state = AppState {
        jobs: pipeline.clone(),
        engine,
        archive,
        metrics: Arc::new(Metrics::default()),
        key_hash,
        renders: Arc::new(tokio::sync::Semaphore::new(cores)),
        body_limit: config.body_limit,
    };
    let app = http::router(state);
    tracing::info!("listening on http://{local}");
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let shutdown = async move {
        shutdown.await;
        // The workers finish the step they are in and stop.
        let _ = stop_tx.send(true);
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| ServiceError::Io(format!("serving: {e}")));
    for w in workers {
        let _ = w.await;
    }
    drop(pipeline);
    // The router (and with it every Archive clone) is gone: the writer commits
    // what it holds and ends.
    let _ = writer.await;
    db.pool.close().await;
    tracing::info!("stopped");
    served
}
