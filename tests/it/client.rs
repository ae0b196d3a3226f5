//! The Dintero client against a stand-in served on 127.0.0.1 inside each test
//! (wiremock): auth, retries, capture, waiting, errors, and `fetch` on the
//! command line. Nothing here touches the internet.
#![cfg(feature = "client")]
// Test code: helpers panic on a broken stand-in, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use kravia_invoice::Brand;
use kravia_invoice::client::{
    BlockingClient, CaptureOutcome, ClientError, Credentials, DinteroClient, FetchOptions,
    RetryPolicy, fetch_and_render, fetch_and_verify,
};
use kravia_invoice::dintero::{Session, Transaction};
use kravia_invoice::render::{RenderOptions, Renderer, render};
use kravia_invoice::verify::verify;
use serde_json::{Value, json};
use wiremock::matchers::{
    basic_auth, bearer_token, body_json, body_partial_json, method, path, query_param,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::cli::tempdir;
use crate::util::fixtures_dir;

const AID: &str = "T12345678";
const CLIENT_ID: &str = "cid-4711";
const SECRET: &str = "very-secret-s3cr3t";
const TOKEN: &str = "tok-eyJhbGciOi-abc";

const B2B: &str = "pub_ok_no_b2b_three_rates";
const B2C: &str = "pub_ok_no_b2c_captured_embedded";

fn read(case: &str, file: &str) -> String {
    std::fs::read_to_string(fixtures_dir().join(case).join(file)).unwrap()
}

fn json_of(case: &str, file: &str) -> Value {
    serde_json::from_str(&read(case, file)).unwrap()
}

fn brand(case: &str) -> Brand {
    Brand::load(&fixtures_dir().join(case).join("brand.toml")).unwrap()
}

/// The B2B fixture as it was before the capture: no INITIATE_CAPTURE event, no
/// payment details.
fn before_capture(after: &Value) -> Value {
    let mut v = after.clone();
    v["events"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["event"] != "INITIATE_CAPTURE");
    v["metadata"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| !k.starts_with("kravia:payment_details:"));
    v
}

/// The same transaction without the payment details (collection started).
fn without_payment_details(after: &Value) -> Value {
    let mut v = after.clone();
    v["metadata"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| !k.starts_with("kravia:payment_details:"));
    v
}

fn ok_json(v: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(v.to_string(), "application/json")
}

fn tx_path(id: &str) -> String {
    format!("/v1/transactions/{id}")
}

fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(150),
    }
}

fn client(server: &MockServer) -> DinteroClient {
    DinteroClient::builder(Credentials::new(AID, CLIENT_ID, SECRET))
        .base_url(format!("{}/v1", server.uri()))
        .timeout(Duration::from_secs(5))
        .retry(quick_policy())
        .poll_interval(Duration::from_millis(10))
        .capture_wait(Duration::from_secs(2))
        .build()
        .unwrap()
}

/// The token endpoint: basic auth with the client id and secret, Dintero's body.
async fn mount_token(server: &MockServer, times: u64) {
    Mock::given(method("POST"))
        .and(path(format!("/v1/accounts/{AID}/auth/token")))
        .and(basic_auth(CLIENT_ID, SECRET))
        .and(body_json(json!({
            "grant_type": "client_credentials",
            "audience": format!("https://api.dintero.com/v1/accounts/{AID}"),
        })))
        .respond_with(ok_json(&json!({
            "access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400
        })))
        .expect(times)
        .mount(server)
        .await;
}

async fn mount_transaction(server: &MockServer, tx: &Value, times: Option<u64>) {
    let id = tx["id"].as_str().unwrap();
    let mock = Mock::given(method("GET"))
        .and(path(tx_path(id)))
        .and(query_param("includes", "session"))
        .and(bearer_token(TOKEN))
        .respond_with(ok_json(tx));
    let mock = match times {
        Some(n) => mock.up_to_n_times(n).expect(n),
        None => mock,
    };
    mock.mount(server).await;
}

async fn mount_session(server: &MockServer, session: &Value) {
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/sessions/{}",
            session["id"].as_str().unwrap()
        )))
        .and(bearer_token(TOKEN))
        .respond_with(ok_json(session))
        .mount(server)
        .await;
}

/// A capture endpoint that must never be called.
async fn forbid_capture(server: &MockServer) {
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex(
            r"^/v1/transactions/.*/capture$",
        ))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn is_capture(r: &Request) -> bool {
    r.method.as_str() == "POST" && r.url.path().ends_with("/capture")
}

/// What `render` makes of the fixture documents.
fn rendered_locally(case: &str) -> Vec<u8> {
    let tx = Transaction::from_json(&read(case, "transaction.json")).unwrap();
    let dir = fixtures_dir().join(case);
    let session = dir
        .join("session.json")
        .exists()
        .then(|| Session::from_json(&read(case, "session.json")).unwrap());
    let brand = brand(case);
    let invoice = verify(&tx, session.as_ref(), &brand).unwrap();
    render(&invoice, &brand, &RenderOptions::default()).unwrap()
}

#[tokio::test]
async fn fetch_embedded_session_verifies_and_renders_like_render() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2C, "transaction.json");
    mount_transaction(&server, &tx, None).await;
    forbid_capture(&server).await;
    let c = client(&server);
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let v = fetch_and_verify(&c, tx["id"].as_str().unwrap(), &options, &brand(B2C))
        .await
        .unwrap();
    assert_eq!(v.invoice.invoice_number, "MUZ9E-858743");
    assert!(!v.captured);
    assert_eq!(v.session.id, tx["session"]["id"].as_str().unwrap());
    // The token is cached: the second call asks for none (mount_token expects 1).
    let f = fetch_and_render(
        &c,
        tx["id"].as_str().unwrap(),
        &options,
        &Renderer::new(brand(B2C), RenderOptions::default()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(f.pdf, rendered_locally(B2C));
    server.verify().await;
}

#[tokio::test]
async fn already_captured_transaction_is_never_captured_again() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2B, "transaction.json");
    let session = json_of(B2B, "session.json");
    mount_transaction(&server, &tx, None).await;
    mount_session(&server, &session).await;
    forbid_capture(&server).await;
    let c = client(&server);
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let v = fetch_and_verify(&c, tx["id"].as_str().unwrap(), &options, &brand(B2B))
        .await
        .unwrap();
    assert_eq!(v.invoice.invoice_number, "KJ65C-190025");
    assert!(!v.captured);
    let parsed = Transaction::from_json(&tx.to_string()).unwrap();
    assert!(matches!(
        c.capture_for_merchant_delivery(&parsed).await.unwrap(),
        CaptureOutcome::AlreadyStarted
    ));
    assert!(!requests(&server).await.iter().any(is_capture));
    server.verify().await;
}

#[tokio::test]
async fn capture_sends_amount_every_line_and_reference_once() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let after = json_of(B2B, "transaction.json");
    let before = before_capture(&after);
    let id = after["id"].as_str().unwrap();
    mount_transaction(&server, &before, Some(1)).await;
    mount_session(&server, &json_of(B2B, "session.json")).await;
    Mock::given(method("POST"))
        .and(path(format!("{}/capture", tx_path(id))))
        .and(bearer_token(TOKEN))
        .and(body_partial_json(json!({
            "amount": 782400,
            "capture_reference": "ORD-2026-61219",
            "items": [
                {"line_id": "1", "amount": 474300, "quantity": 2},
                {"line_id": "2", "amount": 13500, "quantity": 3},
                {"line_id": "3", "amount": 284700, "quantity": 3},
                {"line_id": "shipping-1", "amount": 9900, "quantity": 1},
            ],
        })))
        .respond_with(ok_json(&after))
        .expect(1)
        .mount(&server)
        .await;
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let v = fetch_and_verify(&client(&server), id, &options, &brand(B2B))
        .await
        .unwrap();
    assert!(v.captured);
    assert_eq!(v.invoice.invoice_number, "KJ65C-190025");
    server.verify().await;
}

#[tokio::test]
async fn capture_202_is_followed_by_reading_until_the_event() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let after = json_of(B2B, "transaction.json");
    let before = before_capture(&after);
    let id = after["id"].as_str().unwrap();
    // The first read, and the first read after the 202, still show no event.
    mount_transaction(&server, &before, Some(2)).await;
    mount_transaction(&server, &after, None).await;
    mount_session(&server, &json_of(B2B, "session.json")).await;
    Mock::given(method("POST"))
        .and(path(format!("{}/capture", tx_path(id))))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("Event-Request-Id", "r-1")
                .set_body_raw(before.to_string(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let v = fetch_and_verify(&client(&server), id, &options, &brand(B2B))
        .await
        .unwrap();
    assert!(v.captured);
    let reqs = requests(&server).await;
    let gets = reqs
        .iter()
        .filter(|r| r.method.as_str() == "GET" && r.url.path() == tx_path(id))
        .count();
    assert_eq!(
        gets, 3,
        "initial read, a read without the event, a read with it"
    );
    server.verify().await;
}

#[tokio::test]
async fn capture_500_reads_the_transaction_before_anything_else() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let after = json_of(B2B, "transaction.json");
    let before = before_capture(&after);
    let id = after["id"].as_str().unwrap();
    mount_transaction(&server, &before, Some(1)).await;
    // The capture did happen, though Dintero answered 500.
    mount_transaction(&server, &after, None).await;
    mount_session(&server, &json_of(B2B, "session.json")).await;
    Mock::given(method("POST"))
        .and(path(format!("{}/capture", tx_path(id))))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let v = fetch_and_verify(&client(&server), id, &options, &brand(B2B))
        .await
        .unwrap();
    assert!(v.captured);
    server.verify().await;
}

#[tokio::test]
async fn capture_500_without_an_event_is_sent_again_only_after_a_read() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let after = json_of(B2B, "transaction.json");
    let before = before_capture(&after);
    let id = after["id"].as_str().unwrap();
    mount_transaction(&server, &before, None).await;
    mount_session(&server, &json_of(B2B, "session.json")).await;
    let capture = format!("{}/capture", tx_path(id));
    Mock::given(method("POST"))
        .and(path(capture.clone()))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            r#"{"error":{"code":"UNAVAILABLE","message":"try later"}}"#,
            "application/json",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(capture))
        .respond_with(ok_json(&after))
        .expect(1)
        .mount(&server)
        .await;
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let v = fetch_and_verify(&client(&server), id, &options, &brand(B2B))
        .await
        .unwrap();
    assert!(v.captured);
    let kinds: Vec<String> = requests(&server)
        .await
        .iter()
        .filter(|r| r.url.path().starts_with(&tx_path(id)))
        .map(|r| format!("{} {}", r.method, r.url.path().rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            format!("GET {id}"),
            "POST capture".to_string(),
            format!("GET {id}"),
            "POST capture".to_string(),
        ]
    );
    server.verify().await;
}

#[tokio::test]
async fn refused_credentials_are_a_clear_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/accounts/{AID}/auth/token")))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"error":{"code":"UNAUTHORIZED","message":"Invalid client credentials"}}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.get_transaction("T12345678.abc").await.unwrap_err();
    assert!(matches!(err, ClientError::Unauthorized { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("401 Unauthorized"), "{msg}");
    assert!(msg.contains("Invalid client credentials"), "{msg}");
    assert!(msg.contains("/auth/token"), "{msg}");
    assert!(msg.contains("DINTERO_CLIENT_SECRET"), "{msg}");
    assert!(!msg.contains(SECRET) && !format!("{err:?}").contains(SECRET));
    assert!(!format!("{c:?}").contains(SECRET));
    server.verify().await;
}

#[tokio::test]
async fn a_401_on_a_read_renews_the_token_once() {
    let server = MockServer::start().await;
    mount_token(&server, 2).await;
    let tx = json_of(B2C, "transaction.json");
    let id = tx["id"].as_str().unwrap();
    Mock::given(method("GET"))
        .and(path(tx_path(id)))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_transaction(&server, &tx, None).await;
    let t = client(&server).get_transaction(id).await.unwrap();
    assert_eq!(t.id, id);
    server.verify().await;
}

#[tokio::test]
async fn read_429_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2C, "transaction.json");
    let id = tx["id"].as_str().unwrap();
    Mock::given(method("GET"))
        .and(path(tx_path(id)))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_transaction(&server, &tx, Some(1)).await;
    let c = client(&server);
    let started = Instant::now();
    c.get_transaction(id).await.unwrap();
    // Retry-After (1 s, capped to 150 ms for the test) and not the 5 ms backoff.
    assert!(started.elapsed() >= Duration::from_millis(150));
    server.verify().await;
}

#[tokio::test]
async fn read_500_then_ok_is_retried() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2C, "transaction.json");
    let id = tx["id"].as_str().unwrap();
    Mock::given(method("GET"))
        .and(path(tx_path(id)))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_transaction(&server, &tx, Some(1)).await;
    client(&server).get_transaction(id).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn read_500_every_time_gives_up_with_dinteros_message() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    Mock::given(method("GET"))
        .and(path(tx_path("T1")))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            r#"{"error":{"message":"upstream unavailable"}}"#,
            "application/json",
        ))
        .expect(3)
        .mount(&server)
        .await;
    let err = client(&server).get_transaction("T1").await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("GET http://127.0.0.1:"), "{msg}");
    assert!(
        msg.contains("/v1/transactions/T1?includes=session: 502 Bad Gateway: upstream unavailable"),
        "{msg}"
    );
    server.verify().await;
}

#[tokio::test]
async fn payment_details_arriving_late_are_waited_for() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2C, "transaction.json");
    let id = tx["id"].as_str().unwrap();
    mount_transaction(&server, &without_payment_details(&tx), Some(2)).await;
    mount_transaction(&server, &tx, Some(1)).await;
    let options = FetchOptions {
        capture: false,
        wait: Duration::from_secs(5),
    };
    let v = fetch_and_verify(&client(&server), id, &options, &brand(B2C))
        .await
        .unwrap();
    assert_eq!(v.invoice.invoice_number, "MUZ9E-858743");
    server.verify().await;
}

#[tokio::test]
async fn payment_details_that_never_arrive_fail_after_the_wait() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2C, "transaction.json");
    let id = tx["id"].as_str().unwrap();
    mount_transaction(&server, &without_payment_details(&tx), None).await;
    let options = FetchOptions {
        capture: false,
        wait: Duration::from_millis(100),
    };
    let started = Instant::now();
    let err = fetch_and_verify(&client(&server), id, &options, &brand(B2C))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.report().is_none(), "not a rejection: exit 1");
    let msg = err.to_string();
    assert!(msg.contains("payment details are still missing"), "{msg}");
    assert!(msg.contains("kravia:payment_details:kid"), "{msg}");
}

#[tokio::test]
async fn malformed_json_names_the_document_and_field() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    Mock::given(method("GET"))
        .and(path(tx_path("T1")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "{\"id\": \"T1\",\n \"amount\": \"lots\"}",
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/sessions/S1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"id\": ", "application/json"))
        .mount(&server)
        .await;
    let c = client(&server);
    let msg = c.get_transaction("T1").await.unwrap_err().to_string();
    assert!(msg.contains("malformed transaction"), "{msg}");
    assert!(msg.contains("transaction.amount"), "{msg}");
    assert!(msg.contains("line 2"), "{msg}");
    let msg = c.get_session("S1").await.unwrap_err().to_string();
    assert!(msg.contains("/v1/sessions/S1: malformed session"), "{msg}");
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_fails_after_the_attempts() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = json_of(B2C, "transaction.json");
    Mock::given(method("GET"))
        .and(path(tx_path("T1")))
        .respond_with(ok_json(&tx).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    let c = DinteroClient::builder(Credentials::new(AID, CLIENT_ID, SECRET))
        .base_url(format!("{}/v1", server.uri()))
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy {
            attempts: 2,
            ..quick_policy()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.get_transaction("T1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(700));
    assert!(
        matches!(err, ClientError::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("no answer within 100 ms (2 attempts)"),
        "{err}"
    );
}

#[tokio::test]
async fn invoice_file_is_read_through_the_files_wrapper() {
    let server = MockServer::start().await;
    // Two clients below, one token each (the stand-in's "CDN" shares the API host).
    mount_token(&server, 2).await;
    let pdf = b"%PDF-1.7\n% Kravia\n".to_vec();
    Mock::given(method("GET"))
        .and(path("/v1/files/f-zopiosa0"))
        .and(bearer_token(TOKEN))
        .respond_with(ok_json(&json!({
            "id": "PQ1.2.f", "name": "invoice.pdf", "mime_type": "application/pdf",
            "url": format!("{}/cdn/files/f-zopiosa0.pdf", server.uri()),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/cdn/files/f-zopiosa0.pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"))
        .mount(&server)
        .await;
    let c = client(&server);
    let got = c
        .download_invoice(&format!("{}/v1/files/f-zopiosa0", server.uri()))
        .await
        .unwrap();
    assert_eq!(got, pdf);
    for url in [
        "https://example.com/invoice.pdf",
        "http://api.dintero.com/v1/files/f",
        "file:///etc/passwd",
    ] {
        let err = c.download_invoice(url).await.unwrap_err();
        assert!(
            matches!(err, ClientError::InvoiceUrl { .. }),
            "{url}: {err}"
        );
    }
    let small = DinteroClient::builder(Credentials::new(AID, CLIENT_ID, SECRET))
        .base_url(format!("{}/v1", server.uri()))
        .max_body_bytes(8)
        .build()
        .unwrap();
    let err = small
        .download_invoice(&format!("{}/cdn/files/f-zopiosa0.pdf", server.uri()))
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::TooLarge { .. }), "{err}");
}

#[tokio::test]
async fn blocking_api_inside_a_runtime_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let err = kravia_invoice::client::fetch_and_render_blocking(
        &client(&server),
        "T1",
        &FetchOptions::default(),
        &Renderer::new(brand(B2C), RenderOptions::default()).unwrap(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("async code"), "{err}");
}

#[test]
fn blocking_client_runs_the_flow_without_a_runtime() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tx = json_of(B2C, "transaction.json");
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        mount_token(&server, 1).await;
        mount_transaction(&server, &tx, None).await;
        server
    });
    let blocking = BlockingClient::try_from(client(&server)).unwrap();
    let v = blocking
        .fetch_and_verify(
            tx["id"].as_str().unwrap(),
            &FetchOptions::default(),
            &brand(B2C),
        )
        .unwrap();
    assert_eq!(v.invoice.invoice_number, "MUZ9E-858743");
    let again = blocking
        .fetch_and_verify(
            tx["id"].as_str().unwrap(),
            &FetchOptions::default(),
            &brand(B2C),
        )
        .unwrap();
    assert_eq!(again.transaction.id, v.transaction.id);
    rt.block_on(server.verify());
}

#[tokio::test]
async fn rejected_documents_are_not_captured() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let mut before = before_capture(&json_of(B2B, "transaction.json"));
    before["amount"] = json!(782500);
    mount_transaction(&server, &before, None).await;
    mount_session(&server, &json_of(B2B, "session.json")).await;
    forbid_capture(&server).await;
    let options = FetchOptions {
        capture: true,
        wait: Duration::from_secs(1),
    };
    let err = fetch_and_verify(
        &client(&server),
        before["id"].as_str().unwrap(),
        &options,
        &brand(B2B),
    )
    .await
    .unwrap_err();
    let report = err.report().expect("a rejection");
    assert!(
        report
            .codes()
            .iter()
            .any(|c| c.to_string() == "amount_mismatch"),
        "{report}"
    );
    server.verify().await;
}

#[test]
fn callback_signature_matches_an_hmac_computed_here() {
    use hmac::{Hmac, KeyInit, Mac};
    let payload = "1767225600\nT12345678\nGET\nshop.example.no\n/api/dintero/callback\nmerchant_reference=ORD+1&session_id=S1&transaction_id=T1";
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"sig-secret").unwrap();
    mac.update(payload.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let header = format!("t=1767225600,v0-hmac-sha256={hex}");
    let url = "https://shop.example.no/api/dintero/callback?transaction_id=T1&session_id=S1&merchant_reference=ORD%201";
    kravia_invoice::client::callback::verify_signature(
        &header,
        b"sig-secret",
        AID,
        "GET",
        url,
        1767225600 + 60,
        Duration::from_secs(300),
    )
    .unwrap();
}

// ---- the command line ----

fn fetch_cli(server_uri: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kravia-invoice"))
        .arg("fetch")
        .args(["--base-url", &format!("{server_uri}/v1")])
        .args(extra)
        .env("DINTERO_ACCOUNT_ID", AID)
        .env("DINTERO_CLIENT_ID", CLIENT_ID)
        .env("DINTERO_CLIENT_SECRET", SECRET)
        .env_remove("DINTERO_BASE_URL")
        .output()
        .unwrap()
}

fn render_cli(case: &str, out: &PathBuf) -> Output {
    let dir = fixtures_dir().join(case);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kravia-invoice"));
    cmd.arg("render")
        .arg("--transaction")
        .arg(dir.join("transaction.json"));
    if dir.join("session.json").exists() {
        cmd.arg("--session").arg(dir.join("session.json"));
    }
    cmd.arg("--brand")
        .arg(dir.join("brand.toml"))
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

fn no_secret_in(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn fetch_cli_writes_the_same_pdf_as_render() {
    for case in [B2B, B2C] {
        let server = MockServer::start().await;
        mount_token(&server, 1).await;
        let tx = json_of(case, "transaction.json");
        mount_transaction(&server, &tx, None).await;
        if fixtures_dir().join(case).join("session.json").exists() {
            mount_session(&server, &json_of(case, "session.json")).await;
        }
        forbid_capture(&server).await;
        let dir = tempdir();
        let fetched = dir.join("fetched.pdf");
        let rendered = dir.join("rendered.pdf");
        let uri = server.uri();
        let id = tx["id"].as_str().unwrap().to_string();
        let brand_path = fixtures_dir().join(case).join("brand.toml");
        let args = [
            "--transaction-id".to_string(),
            id,
            "--capture".into(),
            "--brand".into(),
            brand_path.display().to_string(),
            "--output".into(),
            fetched.display().to_string(),
            "--json".into(),
        ];
        let out = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            fetch_cli(&uri, &args)
        })
        .await
        .unwrap();
        no_secret_in(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{case}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["ok"], true, "{doc}");
        let r = render_cli(case, &rendered);
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        assert!(
            std::fs::read(&fetched).unwrap() == std::fs::read(&rendered).unwrap(),
            "{case}: fetch and render differ"
        );
        server.verify().await;
    }
}

#[tokio::test]
async fn fetch_cli_refused_credentials_exit_1_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/accounts/{AID}/auth/token")))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"error":{"message":"Invalid client credentials"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let dir = tempdir();
    let output = dir.join("never.pdf");
    let uri = server.uri();
    let brand_path = fixtures_dir().join(B2C).join("brand.toml");
    let out = tokio::task::spawn_blocking(move || {
        fetch_cli(
            &uri,
            &[
                "--transaction-id",
                "T12345678.x",
                "--brand",
                brand_path.to_str().unwrap(),
                "--output",
                output.to_str().unwrap(),
                "--json",
            ],
        )
    })
    .await
    .unwrap();
    no_secret_in(&out);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fatal = doc["fatal"].as_str().unwrap();
    assert!(
        fatal.contains("401 Unauthorized") && fatal.contains("Invalid client credentials"),
        "{fatal}"
    );
    assert!(!dir.join("never.pdf").exists());
}

#[tokio::test]
async fn fetch_cli_missing_payment_details_after_wait_exit_1() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let tx = without_payment_details(&json_of(B2C, "transaction.json"));
    mount_transaction(&server, &tx, None).await;
    let dir = tempdir();
    let output = dir.join("never.pdf");
    let uri = server.uri();
    let id = tx["id"].as_str().unwrap().to_string();
    let brand_path = fixtures_dir().join(B2C).join("brand.toml");
    let out = tokio::task::spawn_blocking(move || {
        fetch_cli(
            &uri,
            &[
                "--transaction-id",
                &id,
                "--wait",
                "0",
                "--brand",
                brand_path.to_str().unwrap(),
                "--output",
                output.to_str().unwrap(),
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("payment details are still missing"), "{err}");
    assert!(!dir.join("never.pdf").exists());
}

#[tokio::test]
async fn fetch_cli_not_captured_without_capture_flag_exits_2() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    let before = before_capture(&json_of(B2B, "transaction.json"));
    mount_transaction(&server, &before, None).await;
    mount_session(&server, &json_of(B2B, "session.json")).await;
    forbid_capture(&server).await;
    let dir = tempdir();
    let output = dir.join("never.pdf");
    let uri = server.uri();
    let id = before["id"].as_str().unwrap().to_string();
    let brand_path = fixtures_dir().join(B2B).join("brand.toml");
    let out = tokio::task::spawn_blocking(move || {
        fetch_cli(
            &uri,
            &[
                "--transaction-id",
                &id,
                "--brand",
                brand_path.to_str().unwrap(),
                "--output",
                output.to_str().unwrap(),
                "--json",
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"collection_not_started"), "{doc}");
    assert!(!dir.join("never.pdf").exists());
    server.verify().await;
}
