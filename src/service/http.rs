//! The HTTP API: routes, authentication, body limits, answers.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use super::archive::{Archive, NewInvoice, Stored};
use super::engine::{Checked, Engine, Refused, Rendered};
use super::metrics::Metrics;
use crate::verify::Finding;

/// The OpenAPI 3 description of the API.
pub const OPENAPI: &str = include_str!("openapi.json");

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Parse, verify, render.
    pub engine: Arc<Engine>,
    /// The archive.
    pub archive: Archive,
    /// Counters.
    pub metrics: Arc<Metrics>,
    /// SHA-256 of the API key; `None`: no key (loopback only).
    pub key_hash: Option<[u8; 32]>,
    /// Bounds the renders running at once on the blocking pool.
    pub renders: Arc<Semaphore>,
    /// The largest request body, bytes.
    pub body_limit: usize,
    /// The after-capture pipeline, when Dintero credentials are configured.
    pub jobs: Option<Arc<super::jobs::Pipeline>>,
}

/// The JSON of `/v1/check` and of a rejected `/v1/render`: the CLI's `--json`.
#[derive(Debug, Serialize)]
struct CheckDoc<'a> {
    ok: bool,
    invoice_number: Option<&'a str>,
    errors: &'a [Finding],
    warnings: &'a [Finding],
}

/// A JSON error: `{"ok": false, "fatal": …, "errors": [], "warnings": []}`.
pub fn fatal(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"ok": false, "fatal": message, "errors": [], "warnings": []})),
    )
        .into_response()
}

/// The router.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/v1/check", post(check))
        .route("/v1/render", post(render))
        .route("/v1/invoices/{invoice_number}", get(invoice))
        .route("/v1/invoices/{invoice_number}/pdf", get(invoice_pdf))
        .route("/metrics", get(metrics));
    let v1 = super::jobs::routes(v1);
    let v1 = v1.route_layer(middleware::from_fn_with_state(state.clone(), auth));
    let open = Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi));
    Router::new()
        .merge(v1)
        .merge(open)
        .merge(super::jobs::callback_routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Logs and counts every answer, by route (the pattern, never the values).
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    state.metrics.request(&route, status);
    let invoice = response
        .headers()
        .get("x-invoice-number")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info!(
        method = %method,
        route = %route,
        status,
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        invoice_number = invoice,
        "request"
    );
    response
}

/// `Authorization: Bearer <key>`, compared in constant time (as SHA-256
/// digests, so the length of the key does not show either).
async fn auth(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(want) = state.key_hash else {
        return next.run(req).await;
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let ok = given.is_some_and(|g| {
        let digest: [u8; 32] = Sha256::digest(g.as_bytes()).into();
        bool::from(digest.ct_eq(&want))
    });
    if ok {
        next.run(req).await
    } else {
        let mut r = fatal(
            StatusCode::UNAUTHORIZED,
            if given.is_some() {
                "wrong API key"
            } else {
                "missing API key: send Authorization: Bearer <key>"
            },
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        r
    }
}

/// Reads the body up to the limit: 413 past it.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Response> {
    let too_big = || {
        fatal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("request body over the limit of {limit} bytes"),
        )
    };
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > limit as u64
    {
        return Err(too_big());
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let chain = format!("{e} {:?}", std::error::Error::source(&e));
        if chain.contains("length limit") {
            too_big()
        } else {
            fatal(
                StatusCode::BAD_REQUEST,
                &format!("reading the request body: {e}"),
            )
        }
    })
}

fn refused(r: Refused) -> Response {
    match r {
        Refused::BadRequest(m) => fatal(StatusCode::BAD_REQUEST, &m),
        Refused::NoBrand => fatal(
            StatusCode::SERVICE_UNAVAILABLE,
            "no brand file: start serve with --brand B.toml to render",
        ),
        Refused::Internal(m) => {
            tracing::error!(error = %m, "render failed");
            fatal(StatusCode::INTERNAL_SERVER_ERROR, &m)
        }
    }
}

/// Runs `f` on the blocking pool, at most `renders` at once.
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Engine) -> T + Send + 'static,
) -> Result<T, Response> {
    let permit = state
        .renders
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| fatal(StatusCode::SERVICE_UNAVAILABLE, "shutting down"))?;
    let engine = state.engine.clone();
    let metrics = state.metrics.clone();
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let out = f(&engine);
        metrics.render(started.elapsed());
        drop(permit);
        out
    })
    .await
    .map_err(|e| {
        fatal(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("render task: {e}"),
        )
    })
}

async fn check(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let body = match read_body(&headers, body, state.body_limit).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let checked = match blocking(&state, move |e| e.check(&body)).await {
        Ok(Ok(c)) => c,
        Ok(Err(r)) => return refused(r),
        Err(r) => return r,
    };
    match checked {
        Checked::Verified(report) => (
            StatusCode::OK,
            axum::Json(CheckDoc {
                ok: true,
                invoice_number: report.invoice_number.as_deref(),
                errors: &[],
                warnings: &report.warnings,
            }),
        )
            .into_response(),
        Checked::Rejected(report) => rejected(&report),
    }
}

fn rejected(report: &crate::Report) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(CheckDoc {
            ok: false,
            invoice_number: report.invoice_number.as_deref(),
            errors: &report.errors,
            warnings: &report.warnings,
        }),
    )
        .into_response()
}

fn pdf_response(
    invoice_number: &str,
    sha256: &str,
    bytes: Bytes,
    extra: &[(&'static str, String)],
) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(invoice_number) {
        h.insert("x-invoice-number", v);
    }
    for (k, v) in extra {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(*k, v);
        }
    }
    r
}

async fn render(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let body = match read_body(&headers, body, state.body_limit).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let rendered = match blocking(&state, move |e| e.render(&body)).await {
        Ok(Ok(r)) => r,
        Ok(Err(r)) => return refused(r),
        Err(r) => return r,
    };
    let pdf = match rendered {
        Rendered::Rejected(report) => return rejected(&report),
        Rendered::Pdf(pdf) => pdf,
    };
    let bytes = Bytes::from(pdf.bytes);
    let stored = state
        .archive
        .store(NewInvoice {
            invoice_number: pdf.invoice_number.clone(),
            transaction_id: pdf.transaction_id.clone(),
            sha256: pdf.sha256.clone(),
            pdf: bytes.clone(),
        })
        .await;
    let warnings: Vec<&str> = pdf.warnings.iter().map(|w| w.code.as_str()).collect();
    let mut extra = Vec::new();
    if !warnings.is_empty() {
        extra.push(("x-invoice-warnings", warnings.join(",")));
    }
    match stored {
        Ok(Stored::Inserted(_)) => {
            extra.push(("x-archive", "stored".into()));
            pdf_response(&pdf.invoice_number, &pdf.sha256, bytes, &extra)
        }
        Ok(Stored::Existing(_)) => {
            // Same SHA-256 as archived: these are the archived bytes.
            extra.push(("x-archive", "existing".into()));
            pdf_response(&pdf.invoice_number, &pdf.sha256, bytes, &extra)
        }
        Ok(Stored::Conflict {
            archived,
            refused_sha256,
        }) => (
            StatusCode::CONFLICT,
            axum::Json(json!({
                "ok": false,
                "fatal": format!(
                    "invoice number {} is already archived with a different document",
                    archived.invoice_number
                ),
                "invoice_number": archived.invoice_number,
                "archived_sha256": archived.sha256,
                "refused_sha256": refused_sha256,
                "errors": [],
                "warnings": [],
            })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, invoice_number = %pdf.invoice_number, "archive failed");
            fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())
        }
    }
}

async fn invoice(State(state): State<AppState>, Path(number): Path<String>) -> Response {
    match state.archive.get(&number).await {
        Ok(Some(rec)) => axum::Json(rec).into_response(),
        Ok(None) => fatal(
            StatusCode::NOT_FOUND,
            &format!("no invoice {number:?} in the archive"),
        ),
        Err(e) => fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

async fn invoice_pdf(State(state): State<AppState>, Path(number): Path<String>) -> Response {
    match state.archive.pdf(&number).await {
        Ok(Some((rec, bytes))) => {
            pdf_response(&rec.invoice_number, &rec.sha256, Bytes::from(bytes), &[])
        }
        Ok(None) => fatal(
            StatusCode::NOT_FOUND,
            &format!("no invoice {number:?} in the archive"),
        ),
        Err(e) => fatal(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.archive.db().ping().await {
        axum::Json(json!({"ok": true})).into_response()
    } else {
        fatal(
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer",
        )
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let archive = state.archive.size().await.ok();
    let jobs = super::jobs::JobStore::new(state.archive.db().clone())
        .counts()
        .await
        .unwrap_or_default();
    let text = state.metrics.render_text(archive, &jobs);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn not_found() -> Response {
    fatal(StatusCode::NOT_FOUND, "no such route")
}

/// `{"ok": true, …}` as JSON.
pub fn ok_json(v: Value) -> Response {
    axum::Json(v).into_response()
}
