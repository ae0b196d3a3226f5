//! Issue 11 against a hostile Dintero stand-in on 127.0.0.1 (wiremock): no
//! credential in any message whatever the server echoes (point 2), and a
//! capture whose outcome is ambiguous is never sent twice (point 4).
#![cfg(feature = "client")]

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kravia_invoice::Brand;
use kravia_invoice::client::{
    ClientError, Credentials, DinteroClient, FetchOptions, RetryPolicy, fetch_and_verify,
};
use kravia_invoice::dintero::Transaction;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::util::fixtures_dir;

const AID: &str = "T12345678";
const CLIENT_ID: &str = "cid-4711";
const SECRET: &str = "very-secret-s3cr3t";
const TOKEN: &str = "tok-eyJhbGciOi-abc";
const B2B: &str = "pub_ok_no_b2b_three_rates";

fn basic() -> String {
    STANDARD.encode(format!("{CLIENT_ID}:{SECRET}"))
}

fn json_of(case: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(fixtures_dir().join(case).join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn brand(case: &str) -> Brand {
    Brand::load(&fixtures_dir().join(case).join("brand.toml")).unwrap()
}

fn ok_json(v: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(v.to_string(), "application/json")
}

fn client_with(server: &MockServer, secret: &str, retry: RetryPolicy) -> DinteroClient {
    DinteroClient::builder(Credentials::new(AID, CLIENT_ID, secret))
        .base_url(format!("{}/v1", server.uri()))
        .timeout(Duration::from_secs(5))
        .retry(retry)
        .poll_interval(Duration::from_millis(10))
        .capture_wait(Duration::from_millis(300))
        .build()
        .unwrap()
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(100),
    }
}

fn client(server: &MockServer) -> DinteroClient {
    client_with(server, SECRET, quick())
}

async fn mount_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(format!("/v1/accounts/{AID}/auth/token")))
        .respond_with(ok_json(&json!({
            "access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400
        })))
        .mount(server)
        .await;
}

/// Fails when `text` shows a credential, whole or in part.
fn assert_no_credential(what: &str, text: &str) {
    let b = basic();
    for (name, needle) in [
        ("secret", SECRET),
        ("secret (start)", &SECRET[..8]),
        ("token", TOKEN),
        ("token (start)", &TOKEN[..6]),
        ("Basic credentials", b.as_str()),
        ("Basic credentials (start)", &b[..10]),
    ] {
        assert!(
            !text.contains(needle),
            "{what}: the {name} is shown in: {text}"
        );
    }
}

fn assert_error_clean(what: &str, e: &ClientError) {
    assert_no_credential(what, &e.to_string());
    assert_no_credential(what, &format!("{e:?}"));
}

/// The header a client sent, as the echoing server saw it.
fn echo_auth(r: &Request) -> String {
    r.headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

// ---- 2. credentials never in a message ----

#[tokio::test]
async fn token_endpoint_echoing_the_basic_header_is_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/accounts/{AID}/auth/token")))
        .respond_with(|r: &Request| {
            let body = json!({"error": {
                "code": echo_auth(r),
                "message": format!("bad credentials {} (client_secret={SECRET})", echo_auth(r)),
            }});
            ResponseTemplate::new(401).set_body_raw(body.to_string(), "application/json")
        })
        .mount(&server)
        .await;
    let err = client(&server).get_transaction("T1").await.unwrap_err();
    assert!(err.to_string().contains("401 Unauthorized"), "{err}");
    assert!(err.to_string().contains("[redacted]"), "{err}");
    assert_error_clean("token 401", &err);
}

#[tokio::test]
async fn html_error_page_echoing_the_request_is_redacted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|r: &Request| {
            let body = format!(
                "<html><body><pre>POST /auth/token\nAuthorization: {}\n{}</pre></body></html>",
                echo_auth(r),
                String::from_utf8_lossy(&r.body)
            );
            ResponseTemplate::new(400).set_body_raw(body, "text/html")
        })
        .mount(&server)
        .await;
    let err = client(&server).get_transaction("T1").await.unwrap_err();
    assert_error_clean("token 400 html", &err);
}

#[tokio::test]
async fn secret_echoed_json_escaped_or_percent_encoded_is_redacted() {
    let secret = "s3/cr\"et&more-xyz";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |_: &Request| {
            let escaped = serde_json::Value::String(secret.into())
                .to_string()
                .replace('/', "\\/");
            let body = format!(
                r#"{{"error":{{"message":"secret {escaped} or client_secret=s3%2Fcr%22et%26more-xyz"}}}}"#
            );
            ResponseTemplate::new(403).set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    let err = client_with(&server, secret, quick())
        .get_transaction("T1")
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("s3/cr") && !shown.contains("s3%2Fcr"),
        "{shown}"
    );
}

#[tokio::test]
async fn read_errors_echoing_the_bearer_token_are_redacted() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    // A 404 with the header in the message; a 502 whose message puts the
    // token right at the 200-character cut; a 200 whose field quotes it.
    Mock::given(method("GET"))
        .and(path("/v1/transactions/T404"))
        .respond_with(|r: &Request| {
            let body =
                json!({"error": {"message": format!("no such transaction for {}", echo_auth(r))}});
            ResponseTemplate::new(404).set_body_raw(body.to_string(), "application/json")
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/T502"))
        .respond_with(|r: &Request| {
            let body =
                json!({"error": {"message": format!("{}{}", "x".repeat(188), echo_auth(r))}});
            ResponseTemplate::new(502).set_body_raw(body.to_string(), "application/json")
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/T200"))
        .respond_with(|r: &Request| {
            let body = json!({"id": "T200", "amount": echo_auth(r)});
            ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
        })
        .mount(&server)
        .await;
    let c = client(&server);
    for id in ["T404", "T502", "T200"] {
        let err = c.get_transaction(id).await.unwrap_err();
        assert_error_clean(id, &err);
    }
    let msg = c.get_transaction("T404").await.unwrap_err().to_string();
    assert!(msg.contains("Bearer [redacted]"), "{msg}");
}

#[tokio::test]
async fn capture_event_error_and_findings_echoing_the_token_are_redacted() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let after = json_of(B2B, "transaction.json");
    let mut before = after.clone();
    before["events"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["event"] != "INITIATE_CAPTURE");
    let id = after["id"].as_str().unwrap().to_string();
    let tx_path = format!("/v1/transactions/{id}");
    let mut failed = before.clone();
    failed["events"].as_array_mut().unwrap().push(json!({
        "id": "e-failed", "event": "INITIATE_CAPTURE", "success": false,
        "error": {"message": format!("refused for Bearer {TOKEN}"), "code": format!("Basic {}", basic())}
    }));
    Mock::given(method("GET"))
        .and(path(tx_path.clone()))
        .respond_with(ok_json(&before))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{tx_path}/capture")))
        .respond_with(ok_json(&failed))
        .expect(1)
        .mount(&server)
        .await;
    let parsed = Transaction::from_json(&json!(before).to_string()).unwrap();
    let err = client(&server)
        .capture_for_merchant_delivery(&parsed)
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::CaptureFailed { .. }), "{err:?}");
    assert_error_clean("capture event error", &err);

    // A document that quotes the token: the report's findings are redacted.
    let server = MockServer::start().await;
    mount_token(&server).await;
    let mut quoting = after.clone();
    quoting["metadata"]["kravia:invoice_number"] = json!(format!("Bearer {TOKEN}"));
    Mock::given(method("GET"))
        .and(path(tx_path))
        .respond_with(ok_json(&quoting))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/v1/sessions/"))
        .respond_with(ok_json(&json_of(B2B, "session.json")))
        .mount(&server)
        .await;
    let options = FetchOptions {
        capture: false,
        wait: Duration::ZERO,
    };
    let err = fetch_and_verify(&client(&server), &id, &options, &brand(B2B))
        .await
        .unwrap_err();
    let report = err.report().expect("a rejection");
    assert!(!report.errors.is_empty());
    assert_no_credential("report", &format!("{report} {report:?}"));
}

#[tokio::test]
async fn invoice_download_redirect_and_content_type_echoes_are_redacted() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/files/redirect"))
        .respond_with(|r: &Request| {
            ResponseTemplate::new(302).insert_header(
                "Location",
                format!(
                    "https://evil.example/steal?h={}",
                    echo_auth(r).replace(' ', "+")
                )
                .as_str(),
            )
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/files/typed"))
        .respond_with(|r: &Request| {
            ResponseTemplate::new(200)
                .insert_header(
                    "Content-Type",
                    format!("text/plain; echo=\"{}\"", echo_auth(r)).as_str(),
                )
                .set_body_raw("not a pdf", "text/plain")
        })
        .mount(&server)
        .await;
    let c = client(&server);
    for file in ["redirect", "typed"] {
        let err = c
            .download_invoice(&format!("{}/v1/files/{file}", server.uri()))
            .await
            .unwrap_err();
        assert!(matches!(err, ClientError::InvoiceUrl { .. }), "{err:?}");
        assert_error_clean(file, &err);
    }
}

#[tokio::test]
async fn fetch_cli_never_prints_an_echoed_credential() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .respond_with(|r: &Request| {
            let body =
                json!({"error": {"message": format!("denied: Authorization: {}", echo_auth(r))}});
            ResponseTemplate::new(403).set_body_raw(body.to_string(), "application/json")
        })
        .mount(&server)
        .await;
    let dir = crate::cli::tempdir();
    let output = dir.join("never.pdf");
    let uri = server.uri();
    let brand_path = fixtures_dir().join(B2B).join("brand.toml");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
            .arg("fetch")
            .args(["--base-url", &format!("{uri}/v1")])
            .args(["--transaction-id", "T12345678.x", "--json"])
            .arg("--brand")
            .arg(brand_path)
            .arg("--output")
            .arg(output)
            .env("DINTERO_ACCOUNT_ID", AID)
            .env("DINTERO_CLIENT_ID", CLIENT_ID)
            .env("DINTERO_CLIENT_SECRET", SECRET)
            .env_remove("DINTERO_BASE_URL")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("403 Forbidden"), "{text}");
    assert_no_credential("fetch --json", &text);
}

// ---- 4. an ambiguous capture is never sent twice; all waiting within --wait ----

/// The B2B fixture before its capture (no INITIATE_CAPTURE event, no payment
/// details), and after it.
fn before_and_after() -> (Value, Value) {
    let after = json_of(B2B, "transaction.json");
    let mut before = after.clone();
    before["events"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["event"] != "INITIATE_CAPTURE");
    before["metadata"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| !k.starts_with("kravia:payment_details:"));
    (before, after)
}

async fn mount_session(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path_regex("^/v1/sessions/"))
        .respond_with(ok_json(&json_of(B2B, "session.json")))
        .mount(server)
        .await;
}

async fn captures(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path().ends_with("/capture"))
        .count()
}

fn capture_options(wait: Duration) -> FetchOptions {
    FetchOptions {
        capture: true,
        wait,
    }
}

#[tokio::test]
async fn capture_answered_502_that_commits_later_is_sent_once() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_session(&server).await;
    let (before, after) = before_and_after();
    let id = after["id"].as_str().unwrap().to_string();
    // The capture commits 300 ms after Dintero answered 502.
    let committed_at = std::sync::Arc::new(std::sync::Mutex::new(None::<Instant>));
    let at = committed_at.clone();
    Mock::given(method("POST"))
        .and(path(format!("/v1/transactions/{id}/capture")))
        .respond_with(move |_: &Request| {
            at.lock()
                .unwrap()
                .get_or_insert(Instant::now() + Duration::from_millis(300));
            ResponseTemplate::new(502)
        })
        .mount(&server)
        .await;
    let at = committed_at.clone();
    Mock::given(method("GET"))
        .and(path(format!("/v1/transactions/{id}")))
        .respond_with(move |_: &Request| {
            let done = at.lock().unwrap().is_some_and(|t| Instant::now() >= t);
            ok_json(if done { &after } else { &before })
        })
        .mount(&server)
        .await;
    let v = fetch_and_verify(
        &client(&server),
        &id,
        &capture_options(Duration::from_secs(5)),
        &brand(B2B),
    )
    .await
    .unwrap();
    assert!(v.captured);
    assert_eq!(captures(&server).await, 1, "a second capture was sent");
}

#[tokio::test]
async fn hanging_capture_respects_the_wait_and_reports_outcome_unknown() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_session(&server).await;
    let (before, _) = before_and_after();
    let id = before["id"].as_str().unwrap().to_string();
    Mock::given(method("GET"))
        .and(path(format!("/v1/transactions/{id}")))
        .respond_with(ok_json(&before))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/transactions/{id}/capture")))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = fetch_and_verify(
        &client(&server),
        &id,
        &capture_options(Duration::from_secs(1)),
        &brand(B2B),
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(3500),
        "took {took:?} with a 1 s wait"
    );
    assert!(err.to_string().contains("capture outcome unknown"), "{err}");
    assert!(err.to_string().contains("re-run"), "{err}");
    assert_eq!(captures(&server).await, 1, "a second capture was sent");
}

#[tokio::test]
async fn retry_after_of_an_hour_respects_the_wait() {
    for status in [429, 503] {
        let server = MockServer::start().await;
        mount_token(&server).await;
        mount_session(&server).await;
        let (before, _) = before_and_after();
        let id = before["id"].as_str().unwrap().to_string();
        Mock::given(method("GET"))
            .and(path(format!("/v1/transactions/{id}")))
            .respond_with(ok_json(&before))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/v1/transactions/{id}/capture")))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "3600"))
            .mount(&server)
            .await;
        // The default policy: Retry-After is honoured up to 60 s.
        let c = client_with(&server, SECRET, RetryPolicy::default());
        let (options, b) = (capture_options(Duration::from_secs(1)), brand(B2B));
        let started = Instant::now();
        let run = fetch_and_verify(&c, &id, &options, &b);
        let err = tokio::time::timeout(Duration::from_secs(15), run)
            .await
            .unwrap_or_else(|_| panic!("{status}: still waiting after 15 s with a 1 s wait"))
            .unwrap_err();
        let took = started.elapsed();
        assert!(
            took < Duration::from_millis(3500),
            "{status}: took {took:?}"
        );
        assert_eq!(captures(&server).await, 1, "{status}: captures sent");
        let msg = err.to_string();
        if status == 503 {
            assert!(msg.contains("capture outcome unknown"), "{msg}");
        } else {
            assert!(msg.contains("429 Too Many Requests"), "{msg}");
        }
    }
}

/// A stand-in that answers token, transaction and session requests and drops
/// the connection of every capture without answering (one request per
/// connection). Returns its base URI and the number of captures received.
async fn dropping_server(
    before: Value,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let session = json_of(B2B, "session.json");
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (before, session, counter) = (before.clone(), session.clone(), counter.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Headers, then the body by Content-Length.
                let head_end = loop {
                    let n = socket.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    let n = socket.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let line = head.lines().next().unwrap_or("").to_string();
                let body = if line.starts_with("post") && line.contains("/capture") {
                    counter.fetch_add(1, Ordering::SeqCst);
                    return; // dropped, unanswered
                } else if line.contains("/auth/token") {
                    json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400})
                } else if line.contains("/sessions/") {
                    session
                } else {
                    before
                };
                let body = body.to_string();
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (uri, count)
}

#[tokio::test]
async fn capture_whose_connection_drops_is_sent_once() {
    let (before, _) = before_and_after();
    let id = before["id"].as_str().unwrap().to_string();
    let (uri, count) = dropping_server(before).await;
    let c = DinteroClient::builder(Credentials::new(AID, CLIENT_ID, SECRET))
        .base_url(format!("{uri}/v1"))
        .timeout(Duration::from_secs(5))
        .retry(quick())
        .poll_interval(Duration::from_millis(20))
        .build()
        .unwrap();
    let err = fetch_and_verify(
        &c,
        &id,
        &capture_options(Duration::from_secs(1)),
        &brand(B2B),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("capture outcome unknown"), "{err}");
    assert_eq!(
        count.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "a second capture was sent"
    );
}

#[tokio::test]
async fn fetch_cli_reports_capture_outcome_unknown_with_exit_1() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_session(&server).await;
    let (before, _) = before_and_after();
    let id = before["id"].as_str().unwrap().to_string();
    Mock::given(method("GET"))
        .and(path(format!("/v1/transactions/{id}")))
        .respond_with(ok_json(&before))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/transactions/{id}/capture")))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let dir = crate::cli::tempdir();
    let output = dir.join("never.pdf");
    let uri = server.uri();
    let brand_path = fixtures_dir().join(B2B).join("brand.toml");
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
            .arg("fetch")
            .args(["--base-url", &format!("{uri}/v1")])
            .args([
                "--transaction-id",
                &id,
                "--capture",
                "--wait",
                "2",
                "--json",
            ])
            .arg("--brand")
            .arg(brand_path)
            .arg("--output")
            .arg(output)
            .env("DINTERO_ACCOUNT_ID", AID)
            .env("DINTERO_CLIENT_ID", CLIENT_ID)
            .env("DINTERO_CLIENT_SECRET", SECRET)
            .env_remove("DINTERO_BASE_URL")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fatal = doc["fatal"].as_str().unwrap();
    assert!(fatal.contains("capture outcome unknown"), "{fatal}");
    assert_eq!(captures(&server).await, 1, "a second capture was sent");
    assert!(!dir.join("never.pdf").exists());
}
