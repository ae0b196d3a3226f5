//! `serve`: the real binary on 127.0.0.1 with a temporary SQLite file and,
//! when `KRAVIA_TEST_DATABASE_URL` is set (CI), a fresh PostgreSQL database.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::serve_support::{
    DbKind, KEY, Options, Server, cli_pdf, client, envelope, no_b2b, temp_dir,
};
use crate::util::cases;

fn bearer() -> String {
    format!("Bearer {KEY}")
}

async fn post(s: &Server, path: &str, body: Vec<u8>) -> reqwest::Response {
    client()
        .post(s.url(path))
        .header("authorization", bearer())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn get(s: &Server, path: &str) -> reqwest::Response {
    client()
        .get(s.url(path))
        .header("authorization", bearer())
        .send()
        .await
        .unwrap()
}

fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every fixture: the PDF from /v1/render is byte-identical to `render`'s;
/// every error fixture gives 422 with its expect.json codes (render and check).
async fn fixtures_on(kind: DbKind) {
    let dir = temp_dir("fixtures");
    for case in cases() {
        let db = kind.fresh(&dir.join(&case.name));
        std::fs::create_dir_all(dir.join(&case.name)).unwrap();
        let server = Server::start(&Options::new(&case.dir.join("brand.toml"), &db));
        let body = envelope(&case.dir, None);
        let check = post(&server, "/v1/check", body.clone()).await;
        let check_status = check.status().as_u16();
        let check_doc: serde_json::Value = check.json().await.unwrap();
        let r = post(&server, "/v1/render", body).await;
        let status = r.status().as_u16();
        if case.expected_exit() == 0 {
            assert_eq!(check_status, 200, "{}: check {check_doc}", case.name);
            assert_eq!(check_doc["ok"], true);
            assert_eq!(status, 200, "{}: render", case.name);
            let number = r.headers()["x-invoice-number"]
                .to_str()
                .unwrap()
                .to_string();
            let etag = r.headers()["etag"].to_str().unwrap().to_string();
            assert_eq!(r.headers()["content-type"], "application/pdf");
            let bytes = r.bytes().await.unwrap().to_vec();
            let want = cli_pdf(&case, &dir);
            assert!(
                bytes == want,
                "{}: /v1/render differs from render",
                case.name
            );
            assert_eq!(
                etag,
                format!("\"{}\"", crate::serve_support::sha256_hex(&bytes))
            );
            // The archive serves the same bytes.
            let a = get(&server, &format!("/v1/invoices/{number}/pdf")).await;
            assert_eq!(a.status().as_u16(), 200);
            assert!(
                a.bytes().await.unwrap().to_vec() == want,
                "{}: archive",
                case.name
            );
            let rec: serde_json::Value = get(&server, &format!("/v1/invoices/{number}"))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(rec["size"], want.len());
            assert_eq!(rec["status"], "issued");
            assert_eq!(format!("\"{}\"", rec["sha256"].as_str().unwrap()), etag);
            assert!(!rec["transaction_id"].as_str().unwrap().is_empty());
        } else {
            assert_eq!(check_status, 422, "{}: check {check_doc}", case.name);
            assert_eq!(status, 422, "{}: render", case.name);
            let doc: serde_json::Value = r.json().await.unwrap();
            assert_eq!(doc["ok"], false);
            for (what, d) in [("check", &check_doc), ("render", &doc)] {
                let got = codes(d);
                for want in case.expected_codes() {
                    assert!(
                        got.contains(&want),
                        "{} ({what}): {want} missing from {got:?}",
                        case.name
                    );
                }
                for e in d["errors"].as_array().unwrap() {
                    assert!(!e["path"].as_str().unwrap().is_empty());
                    assert!(!e["message"].as_str().unwrap().is_empty());
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_every_fixture_matches_render_and_expect() {
    for kind in DbKind::available("serve_every_fixture_matches_render_and_expect") {
        fixtures_on(kind).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_bad_requests_keys_and_routes() {
    let dir = temp_dir("bad");
    let db = DbKind::Sqlite.fresh(&dir);
    let server = Server::start(&Options::new(&no_b2b().join("brand.toml"), &db));
    let c = client();

    // Malformed JSON and wrong types: 400 with the fatal message.
    for (body, needle) in [
        ("{", "malformed"),
        (
            r#"{"transaction": {"id": "T", "amount": "x"}, "session": {"id": "S"}}"#,
            "transaction.amount",
        ),
        (r#"{"transaction": {"id": "T"}, "sesion": {}}"#, "sesion"),
        (r#"{"transaction": {"id": "T"}}"#, "session"),
    ] {
        for path in ["/v1/check", "/v1/render"] {
            let r = post(&server, path, body.as_bytes().to_vec()).await;
            assert_eq!(r.status().as_u16(), 400, "{path} {body}");
            let doc: serde_json::Value = r.json().await.unwrap();
            assert_eq!(doc["ok"], false);
            assert!(doc["fatal"].as_str().unwrap().contains(needle), "{doc}");
        }
    }
    // Unknown template, bad locale: 400.
    let mut env: serde_json::Value = serde_json::from_slice(&envelope(&no_b2b(), None)).unwrap();
    env["template"] = "/etc/passwd".into();
    let r = post(&server, "/v1/render", serde_json::to_vec(&env).unwrap()).await;
    assert_eq!(r.status().as_u16(), 400);
    env["template"] = "classic".into();
    env["locale"] = "de".into();
    let r = post(&server, "/v1/render", serde_json::to_vec(&env).unwrap()).await;
    assert_eq!(r.status().as_u16(), 400);

    // Over the body limit (2 MiB): 413, with and without a Content-Length.
    // With a Content-Length the server answers from the header alone, as a
    // client sending `Expect: 100-continue` would see it: the request is sent
    // without its body, so the answer cannot race a half-written body.
    let big = vec![b' '; 2 * 1024 * 1024 + 1];
    let base = server.base.clone();
    let (code, body) = tokio::task::spawn_blocking(move || {
        announced_post(&base, "/v1/render", 2 * 1024 * 1024 + 1)
    })
    .await
    .unwrap();
    assert_eq!(code, 413);
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["ok"], false);
    let base = server.base.clone();
    let code = tokio::task::spawn_blocking(move || chunked_post(&base, "/v1/check", &big))
        .await
        .unwrap();
    assert_eq!(code, 413);

    // Keys: missing and wrong are 401 on every /v1 route and /metrics.
    for path in ["/v1/check", "/v1/render"] {
        let r = c.post(server.url(path)).body("{}").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
        let r = c
            .post(server.url(path))
            .header("authorization", "Bearer wrong")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
        let r = c
            .post(server.url(path))
            .header("authorization", format!("Bearer {KEY}x"))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    for path in ["/v1/invoices/X", "/v1/invoices/X/pdf", "/metrics"] {
        let r = c.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{path}");
    }
    // Unknown routes and invoices: 404.
    assert_eq!(get(&server, "/v2/nothing").await.status().as_u16(), 404);
    assert_eq!(
        get(&server, "/v1/invoices/NOPE-1").await.status().as_u16(),
        404
    );
    assert_eq!(
        get(&server, "/v1/invoices/NOPE-1/pdf")
            .await
            .status()
            .as_u16(),
        404
    );
    // Open routes.
    let h = c.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(h.status().as_u16(), 200);
    let spec: serde_json::Value = c
        .get(server.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/v1/check",
        "/v1/render",
        "/v1/invoices/{invoice_number}",
        "/v1/invoices/{invoice_number}/pdf",
        "/v1/invoices/{invoice_number}/ubl",
        "/v1/dintero/callback",
        "/v1/jobs",
        "/v1/jobs/{transaction_id}",
        "/v1/jobs/{transaction_id}/retry",
        "/healthz",
        "/metrics",
    ] {
        assert!(
            spec["paths"][p].is_object(),
            "{p} missing from openapi.json"
        );
    }
    // Metrics count by route and status; the key never shows in the log.
    let m = get(&server, "/metrics").await.text().await.unwrap();
    assert!(
        m.contains("kravia_http_requests_total{route=\"/v1/render\",status=\"400\"}"),
        "{m}"
    );
    assert!(m.contains("route=\"/v1/check\",status=\"401\""), "{m}");
    assert!(m.contains("kravia_render_seconds_count"), "{m}");
    assert!(m.contains("kravia_archive_invoices 0"), "{m}");
    assert!(!server.log_text().contains(KEY), "the key is in the log");
}

/// A request over a raw socket that announces `len` body bytes and sends
/// none: the status code and the answer's body.
fn announced_post(base: &str, path: &str, len: usize) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(answer.len(), |i| i + 4);
    let code = String::from_utf8_lossy(&answer[..split])
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, answer[split..].to_vec())
}

/// A chunked request (no Content-Length) over a raw socket: the status code.
fn chunked_post(base: &str, path: &str, body: &[u8]) -> u16 {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    for chunk in body.chunks(64 * 1024) {
        // The server may answer 413 and close before the whole body is sent.
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .is_err()
            || s.write_all(chunk).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

async fn idempotent_and_conflict_on(kind: DbKind) {
    let dir = temp_dir("idem");
    let db = kind.fresh(&dir);
    let server = Server::start(&Options::new(&no_b2b().join("brand.toml"), &db));
    let body = envelope(&no_b2b(), None);
    let first = post(&server, "/v1/render", body.clone()).await;
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(first.headers()["x-archive"], "stored");
    let etag = first.headers()["etag"].clone();
    let bytes = first.bytes().await.unwrap();
    let again = post(&server, "/v1/render", body.clone()).await;
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(again.headers()["x-archive"], "existing");
    assert_eq!(again.headers()["etag"], etag);
    assert_eq!(again.bytes().await.unwrap(), bytes);
    // The same invoice number with a different document: 409 with both hashes.
    let mut env: serde_json::Value = serde_json::from_slice(&body).unwrap();
    env["template"] = "compact".into();
    let r = post(&server, "/v1/render", serde_json::to_vec(&env).unwrap()).await;
    assert_eq!(r.status().as_u16(), 409);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert_eq!(doc["invoice_number"], "KJ65C-190025");
    assert_eq!(
        format!("\"{}\"", doc["archived_sha256"].as_str().unwrap()),
        etag.to_str().unwrap()
    );
    let refused = doc["refused_sha256"].as_str().unwrap();
    assert_eq!(refused.len(), 64);
    assert_ne!(refused, doc["archived_sha256"].as_str().unwrap());
    // The archive still holds the first document.
    let a = get(&server, "/v1/invoices/KJ65C-190025/pdf").await;
    assert_eq!(a.bytes().await.unwrap(), bytes);
    // Concurrent first posts of one new number: one document, every answer 200 with it.
    let env = envelope(&no_b2b(), Some("KJ65C-777777"));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (url, env) = (server.url("/v1/render"), env.clone());
        tasks.push(tokio::spawn(async move {
            let r = client()
                .post(url)
                .header("authorization", bearer())
                .body(env)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.headers()["etag"].to_str().unwrap().to_string(),
            )
        }));
    }
    let mut etags = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, etag) = t.await.unwrap();
        assert_eq!(status, 200);
        etags.insert(etag);
    }
    assert_eq!(etags.len(), 1);
    // Concurrent first posts of one new number with two different documents
    // (the two templates), so that they meet in one group commit: one
    // document wins, its posts get 200, every other post 409 naming it.
    let mut env: serde_json::Value =
        serde_json::from_slice(&envelope(&no_b2b(), Some("KJ65C-888888"))).unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        env["template"] = if i % 2 == 0 { "classic" } else { "compact" }.into();
        let (url, body) = (server.url("/v1/render"), serde_json::to_vec(&env).unwrap());
        tasks.push(tokio::spawn(async move {
            let r = client()
                .post(url)
                .header("authorization", bearer())
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let hash = if status == 200 {
                r.headers()["etag"]
                    .to_str()
                    .unwrap()
                    .trim_matches('"')
                    .to_string()
            } else {
                let doc: serde_json::Value = r.json().await.unwrap();
                doc["archived_sha256"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            };
            (status, hash)
        }));
    }
    let mut winners = std::collections::BTreeSet::new();
    let mut named = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, hash) = t.await.unwrap();
        assert!(status == 200 || status == 409, "{status}");
        if status == 200 {
            winners.insert(hash);
        } else {
            named.insert(hash);
        }
    }
    assert_eq!(winners.len(), 1, "one document under one number");
    assert!(named.is_subset(&winners), "{named:?} vs {winners:?}");
    let archived = get(&server, "/v1/invoices/KJ65C-888888/pdf").await;
    let archived = crate::serve_support::sha256_hex(&archived.bytes().await.unwrap());
    assert!(winners.contains(&archived));
    let m = get(&server, "/metrics").await.text().await.unwrap();
    assert!(m.contains("kravia_archive_invoices 3"), "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_repeat_is_idempotent_and_a_different_pdf_is_409() {
    for kind in DbKind::available("serve_repeat_is_idempotent_and_a_different_pdf_is_409") {
        idempotent_and_conflict_on(kind).await;
    }
}

async fn kill9_on(kind: DbKind) {
    let dir = temp_dir("kill9");
    let db = kind.fresh(&dir);
    let brand = no_b2b().join("brand.toml");
    let mut answered = Vec::new();
    for round in 0..3 {
        let mut server = Server::start(&Options::new(&brand, &db));
        let number = format!("KJ65C-8{round:05}");
        let r = post(&server, "/v1/render", envelope(&no_b2b(), Some(&number))).await;
        assert_eq!(r.status().as_u16(), 200);
        let bytes = r.bytes().await.unwrap();
        // SIGKILL right after the 200.
        server.kill9();
        answered.push((number, bytes));
    }
    let server = Server::start(&Options::new(&brand, &db));
    for (number, bytes) in &answered {
        let a = get(&server, &format!("/v1/invoices/{number}/pdf")).await;
        assert_eq!(a.status().as_u16(), 200, "{number} lost after kill -9");
        assert_eq!(&a.bytes().await.unwrap(), bytes);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_kill9_after_200_keeps_the_invoice() {
    for kind in DbKind::available("serve_kill9_after_200_keeps_the_invoice") {
        kill9_on(kind).await;
    }
}

async fn sigterm_on(kind: DbKind) {
    let dir = temp_dir("term");
    let db = kind.fresh(&dir);
    let brand = no_b2b().join("brand.toml");
    let mut server = Server::start(&Options::new(&brand, &db));
    let url = server.url("/v1/render");
    let answered = Arc::new(std::sync::Mutex::new(BTreeMap::<String, String>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for worker in 0..16u32 {
        let (url, answered, stop) = (url.clone(), answered.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let c = client();
            let mut i = 0u32;
            // Bounded: at most 2,000 requests per worker, and it stops at the first refusal.
            while i < 2000 && !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let number = format!("T{worker:02}-{i:06}");
                i += 1;
                let r = c
                    .post(&url)
                    .header("authorization", bearer())
                    .body(envelope(&no_b2b(), Some(&number)))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 200 => {
                        let etag = r.headers()["etag"]
                            .to_str()
                            .unwrap()
                            .trim_matches('"')
                            .to_string();
                        // Only a complete answer counts as answered.
                        if r.bytes().await.is_ok() {
                            answered.lock().unwrap().insert(number, etag);
                        }
                    }
                    Ok(r) => panic!("unexpected status {}", r.status()),
                    Err(_) => break,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.sigterm();
    let status = server.wait(Duration::from_secs(30));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for t in tasks {
        t.await.unwrap();
    }
    assert!(
        status.success(),
        "serve exited with {status:?}\n{}",
        server.log_text()
    );
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() > 20,
        "too few answers before SIGTERM: {}",
        answered.len()
    );
    let server = Server::start(&Options::new(&brand, &db));
    for (number, sha) in &answered {
        let rec: serde_json::Value = get(&server, &format!("/v1/invoices/{number}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            rec["sha256"].as_str(),
            Some(sha.as_str()),
            "{number} lost after SIGTERM"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sigterm_under_load_loses_no_answered_invoice() {
    for kind in DbKind::available("serve_sigterm_under_load_loses_no_answered_invoice") {
        sigterm_on(kind).await;
    }
}

/// `delivery_date` in the envelope is printed: the PDF is the one `render
/// --delivery-date` makes, `/v1/check` has no `assumed` warning for it, and a
/// value that is not a date is 400 naming the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_the_delivery_date_it_is_given() {
    let dir = temp_dir("delivery");
    let db = DbKind::Sqlite.fresh(&dir);
    let server = Server::start(&Options::new(&no_b2b().join("brand.toml"), &db));
    let mut env: serde_json::Value = serde_json::from_slice(&envelope(&no_b2b(), None)).unwrap();
    env["delivery_date"] = "2026-05-20".into();
    let body = serde_json::to_vec(&env).unwrap();

    // Without it, /v1/check warns that the invoice date is assumed; with it, not.
    let warns_delivery = |doc: &serde_json::Value| {
        doc["warnings"]
            .as_array()
            .unwrap_or_else(|| panic!("no warnings array: {doc}"))
            .iter()
            .any(|w| w["path"] == "delivery_date")
    };
    let without: serde_json::Value = post(&server, "/v1/check", envelope(&no_b2b(), None))
        .await
        .json()
        .await
        .unwrap();
    assert!(warns_delivery(&without), "{without}");
    let check: serde_json::Value = post(&server, "/v1/check", body.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(check["ok"], true, "{check}");
    assert!(!warns_delivery(&check), "{check}");

    let r = post(&server, "/v1/render", body).await;
    assert_eq!(r.status().as_u16(), 200);
    let got = r.bytes().await.unwrap().to_vec();
    let out = dir.join("cli.pdf");
    let mut args = vec!["render".to_string()];
    let case = cases()
        .into_iter()
        .find(|c| c.name == "pub_ok_no_b2b_three_rates")
        .unwrap();
    args.extend(case.doc_args());
    args.extend(["--delivery-date", "2026-05-20", "--output"].map(String::from));
    args.push(out.display().to_string());
    let o = crate::util::run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        got == std::fs::read(&out).unwrap(),
        "differs from render --delivery-date"
    );

    env["delivery_date"] = "20 May".into();
    let r = post(&server, "/v1/render", serde_json::to_vec(&env).unwrap()).await;
    assert_eq!(r.status().as_u16(), 400);
    let doc: serde_json::Value = r.json().await.unwrap();
    assert!(
        doc["fatal"].as_str().unwrap().contains("delivery_date"),
        "{doc}"
    );
}

#[test]
fn serve_refuses_to_start_without_a_key_beyond_loopback() {
    let dir = temp_dir("nokey");
    let mut o = Options::new(&no_b2b().join("brand.toml"), &DbKind::Sqlite.fresh(&dir));
    o.key = None;
    o.listen = "0.0.0.0:0".into();
    match Server::try_start(&o) {
        Ok(_) => panic!("serve started without a key on 0.0.0.0"),
        Err((status, log)) => {
            assert_eq!(status.and_then(|s| s.code()), Some(1), "{log}");
            assert!(log.contains("KRAVIA_INVOICE_API_KEY"), "{log}");
        }
    }
    // On loopback it starts, with a warning.
    o.listen = "127.0.0.1:0".into();
    let s = Server::start(&o);
    assert!(
        s.log_text().contains("KRAVIA_INVOICE_API_KEY is not set"),
        "{}",
        s.log_text()
    );
}
