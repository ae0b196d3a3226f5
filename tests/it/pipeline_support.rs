//! Stand-ins for the pipeline tests, all on 127.0.0.1: Dintero (counts
//! captures), an SMTP server that records every message, a webhook receiver.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::serve_support::no_b2b;

/// One transaction at the stand-in.
#[derive(Clone, Debug, Default)]
pub struct TxState {
    pub captures: u32,
    pub captured: bool,
    /// Reads after the capture before the payment details appear.
    pub details_after_reads: u32,
    pub reads_since_capture: u32,
    pub voided: bool,
    /// How the next captures of this transaction are answered, in order:
    /// 202 (applied, answered with the transaction as before it: the event
    /// shows on the next read), 429 (not applied, `Retry-After: 1`), 503 (not
    /// applied), 500 (applied, but answered 500: the ambiguous case).
    pub capture_answers: Vec<u16>,
    /// When each capture request arrived.
    pub capture_times: Vec<std::time::Instant>,
    /// After a 202: reads that still show the transaction as before the
    /// capture (the capture completes later).
    pub pending_reads: u32,
    /// How the next reads of this transaction are answered (429 with
    /// `Retry-After: 1`, or a 5xx), before they succeed.
    pub read_answers: Vec<u16>,
    /// A slow Dintero: captures are applied at once but answered this much
    /// later (a step that holds its lease for a while).
    pub capture_delay: Option<std::time::Duration>,
}

/// The Dintero stand-in.
#[derive(Clone, Default)]
pub struct Dintero {
    pub txs: Arc<Mutex<HashMap<String, TxState>>>,
    /// Answer the next N captures with this status (and do nothing).
    pub fail_captures: Arc<Mutex<Vec<u16>>>,
    /// Answer captures 202 (applied, event shown on the next read).
    pub accept_202: Arc<AtomicBool>,
    pub base: Arc<Mutex<String>>,
}

/// The transaction id of test transaction `n`.
pub fn tx_id(n: u32) -> String {
    format!("T12345678.test{n:06}")
}

/// The invoice number of test transaction `n`.
pub fn invoice_number(n: u32) -> String {
    format!("PL-{n:06}")
}

fn document(id: &str, st: &TxState) -> Value {
    let dir = no_b2b();
    let n: u32 = id.trim_start_matches("T12345678.test").parse().unwrap_or(0);
    let old_id = "P67210409.dbcxu9GQEZe7uEJvowVVX6";
    let tx = std::fs::read_to_string(dir.join("transaction.json"))
        .unwrap()
        .replace(old_id, id)
        .replace("KJ65C-190025", &invoice_number(n));
    let session = std::fs::read_to_string(dir.join("session.json"))
        .unwrap()
        .replace(old_id, id);
    let mut tx: Value = serde_json::from_str(&tx).unwrap();
    let session: Value = serde_json::from_str(&session).unwrap();
    if !st.captured {
        let events: Vec<Value> = tx["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] != "INITIATE_CAPTURE")
            .cloned()
            .collect();
        tx["events"] = Value::Array(events);
    }
    if !st.captured || st.reads_since_capture < st.details_after_reads {
        let m = tx["metadata"].as_object_mut().unwrap();
        m.retain(|k, _| !k.starts_with("kravia:payment_details"));
    }
    if st.voided {
        tx["status"] = "AUTHORIZATION_VOIDED".into();
        let amount = tx["amount"].clone();
        tx["events"].as_array_mut().unwrap().push(json!({
            "id": "6f0b8f7e-9a51-4c1e-8d0e-0c5d1a7e2b31",
            "event": "VOID",
            "transaction_status": "AUTHORIZATION_VOIDED",
            "success": true,
            "amount": amount,
            "created_at": "2026-06-03T08:12:40.120Z"
        }));
    }
    tx["session"] = session;
    tx
}

async fn token() -> impl IntoResponse {
    axum::Json(
        json!({"access_token": "stand-in-token", "token_type": "Bearer", "expires_in": 86400}),
    )
}

async fn get_tx(State(d): State<Dintero>, Path(id): Path<String>) -> axum::response::Response {
    let mut txs = d.txs.lock().unwrap();
    let Some(st) = txs.get_mut(&id) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": {"message": "not found"}})),
        )
            .into_response();
    };
    if !st.read_answers.is_empty() {
        let code = st.read_answers.remove(0);
        let mut r = (
            StatusCode::from_u16(code).unwrap(),
            axum::Json(json!({"error": {"message": "stand-in read failure"}})),
        )
            .into_response();
        if code == 429 {
            r.headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("1"));
        }
        return r;
    }
    if st.pending_reads > 0 {
        st.pending_reads -= 1;
        let before = TxState {
            captured: false,
            ..st.clone()
        };
        return axum::Json(document(&id, &before)).into_response();
    }
    if st.captured {
        st.reads_since_capture += 1;
    }
    axum::Json(document(&id, st)).into_response()
}

async fn capture(State(d): State<Dintero>, Path(id): Path<String>) -> axum::response::Response {
    let delay = d
        .txs
        .lock()
        .unwrap()
        .get(&id)
        .and_then(|st| st.capture_delay);
    let answer = capture_now(&d, &id);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    answer
}

fn capture_now(d: &Dintero, id: &str) -> axum::response::Response {
    if let Some(code) = {
        let mut f = d.fail_captures.lock().unwrap();
        if f.is_empty() {
            None
        } else {
            Some(f.remove(0))
        }
    } {
        return (
            StatusCode::from_u16(code).unwrap(),
            axum::Json(json!({"error": {"message": "stand-in failure"}})),
        )
            .into_response();
    }
    let mut txs = d.txs.lock().unwrap();
    let Some(st) = txs.get_mut(id) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": {"message": "not found"}})),
        )
            .into_response();
    };
    st.capture_times.push(std::time::Instant::now());
    let scripted = if st.capture_answers.is_empty() {
        None
    } else {
        Some(st.capture_answers.remove(0))
    };
    match scripted {
        Some(429) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "1")],
                axum::Json(json!({"error": {"message": "slow down"}})),
            )
                .into_response();
        }
        Some(code @ (502..=504)) => {
            return (
                StatusCode::from_u16(code).unwrap(),
                axum::Json(json!({"error": {"message": "stand-in unavailable"}})),
            )
                .into_response();
        }
        _ => {}
    }
    st.captures += 1;
    st.captured = true;
    if scripted == Some(500) {
        // Applied, but the answer says otherwise.
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"error": {"message": "stand-in lost the answer"}})),
        )
            .into_response();
    }
    if scripted == Some(202) || d.accept_202.load(Ordering::SeqCst) {
        if scripted == Some(202) {
            st.pending_reads = 2;
        }
        let before = TxState {
            captured: false,
            ..st.clone()
        };
        return (StatusCode::ACCEPTED, axum::Json(document(id, &before))).into_response();
    }
    axum::Json(document(id, st)).into_response()
}

impl Dintero {
    /// Starts the stand-in; its base URL (`…/v1`).
    pub async fn start() -> Dintero {
        let d = Dintero::default();
        let app = axum::Router::new()
            .route("/v1/accounts/{aid}/auth/token", post(token))
            .route("/v1/transactions/{id}", get(get_tx))
            .route("/v1/transactions/{id}/capture", post(capture))
            .with_state(d.clone());
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        *d.base.lock().unwrap() = format!("http://{}/v1", l.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(l, app).await.unwrap();
        });
        d
    }

    pub fn base(&self) -> String {
        self.base.lock().unwrap().clone()
    }

    pub fn add(&self, n: u32, st: TxState) {
        self.txs.lock().unwrap().insert(tx_id(n), st);
    }

    /// Changes transaction `n` at the stand-in.
    pub fn with(&self, n: u32, f: impl FnOnce(&mut TxState)) {
        f(self.txs.lock().unwrap().get_mut(&tx_id(n)).unwrap());
    }

    /// When the captures of `n` arrived.
    pub fn capture_times(&self, n: u32) -> Vec<std::time::Instant> {
        self.txs
            .lock()
            .unwrap()
            .get(&tx_id(n))
            .map(|s| s.capture_times.clone())
            .unwrap_or_default()
    }

    pub fn captures(&self, n: u32) -> u32 {
        self.txs
            .lock()
            .unwrap()
            .get(&tx_id(n))
            .map_or(0, |s| s.captures)
    }
}

/// An SMTP server that records every message (raw DATA); `down` answers 421.
#[derive(Clone, Default)]
pub struct Smtp {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<String>>>,
    pub down: Arc<AtomicBool>,
}

impl Smtp {
    pub fn start() -> Smtp {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let s = Smtp {
            port: l.local_addr().unwrap().port(),
            ..Smtp::default()
        };
        let (messages, down) = (s.messages.clone(), s.down.clone());
        std::thread::spawn(move || {
            for conn in l.incoming() {
                let Ok(conn) = conn else { continue };
                let (messages, down) = (messages.clone(), down.clone());
                std::thread::spawn(move || {
                    let mut w = conn.try_clone().unwrap();
                    if down.load(Ordering::SeqCst) {
                        let _ = w.write_all(b"421 stand-in is down\r\n");
                        return;
                    }
                    let _ = w.write_all(b"220 stand-in ESMTP\r\n");
                    let mut r = BufReader::new(conn);
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let cmd = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-stand-in\r\n250 8BITMIME\r\n"
                        } else if cmd.starts_with("HELO")
                            || cmd.starts_with("MAIL")
                            || cmd.starts_with("RCPT")
                            || cmd.starts_with("RSET")
                            || cmd.starts_with("NOOP")
                        {
                            b"250 ok\r\n"
                        } else if cmd == "DATA" {
                            let _ = w.write_all(b"354 go on\r\n");
                            let mut data = String::new();
                            loop {
                                line.clear();
                                if r.read_line(&mut line).unwrap_or(0) == 0 {
                                    return;
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                data.push_str(&line);
                            }
                            messages.lock().unwrap().push(data);
                            b"250 queued\r\n"
                        } else if cmd == "QUIT" {
                            let _ = w.write_all(b"221 bye\r\n");
                            return;
                        } else {
                            b"502 not implemented\r\n"
                        };
                        if w.write_all(reply).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        s
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}

/// A received webhook: its signature header and body.
pub type Delivered = (String, Vec<u8>);

/// A webhook receiver: every (signature header, body).
#[derive(Clone, Default)]
pub struct Hooks {
    pub got: Arc<Mutex<Vec<Delivered>>>,
    pub url: String,
}

async fn hook(State(h): State<Hooks>, headers: HeaderMap, body: axum::body::Bytes) -> StatusCode {
    let sig = headers
        .get("kravia-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    h.got.lock().unwrap().push((sig, body.to_vec()));
    StatusCode::NO_CONTENT
}

impl Hooks {
    pub async fn start() -> Hooks {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let h = Hooks {
            url: format!("http://{}/hook", l.local_addr().unwrap()),
            ..Hooks::default()
        };
        let app = axum::Router::new()
            .route("/hook", post(hook))
            .with_state(h.clone());
        tokio::spawn(async move {
            axum::serve(l, app).await.unwrap();
        });
        h
    }
}

/// The server environment pointing at the stand-ins.
pub fn env(d: &Dintero, smtp: &Smtp, hooks: &Hooks) -> Vec<(String, String)> {
    [
        ("DINTERO_ACCOUNT_ID", "T12345678".to_string()),
        ("DINTERO_CLIENT_ID", "stand-in-client".into()),
        ("DINTERO_CLIENT_SECRET", "stand-in-secret".into()),
        ("DINTERO_BASE_URL", d.base()),
        (
            "KRAVIA_INVOICE_SMTP_URL",
            format!("smtp://127.0.0.1:{}", smtp.port),
        ),
        (
            "KRAVIA_INVOICE_MAIL_FROM",
            "Faktura <faktura@example.no>".into(),
        ),
        ("KRAVIA_INVOICE_WEBHOOK_URL", hooks.url.clone()),
        ("KRAVIA_INVOICE_WEBHOOK_SECRET", "hook-secret".into()),
        ("KRAVIA_INVOICE_RETRY_BASE_MS", "100".into()),
        ("KRAVIA_INVOICE_RETRY_MAX_MS", "1000".into()),
        ("KRAVIA_INVOICE_ATTEMPTS", "50".into()),
        ("KRAVIA_INVOICE_POLL_MS", "50".into()),
        ("KRAVIA_INVOICE_LEASE_SECS", "3".into()),
        ("KRAVIA_INVOICE_CAPTURE_SETTLE_SECS", "2".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
