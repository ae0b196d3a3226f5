//! The after-capture pipeline against stand-ins on 127.0.0.1: Dintero (counts
//! captures), an SMTP server that records every message, a webhook receiver.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::pipeline_support::{Dintero, Hooks, Smtp, TxState, env, invoice_number, tx_id};
use crate::serve_support::{DbKind, KEY, Options, Server, client, no_b2b, temp_dir};

async fn callback(s: &Server, n: u32, extra: &str) -> reqwest::Response {
    client()
        .post(s.url(&format!(
            "/v1/dintero/callback?transaction_id={}&session_id=S&merchant_reference=R&time=2026-05-04T09%3A15%3A40Z{extra}",
            tx_id(n)
        )))
        .body("{}")
        .send()
        .await
        .unwrap()
}

async fn job(s: &Server, n: u32) -> Option<serde_json::Value> {
    let r = client()
        .get(s.url(&format!("/v1/jobs/{}", tx_id(n))))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .ok()?;
    if r.status().as_u16() != 200 {
        return None;
    }
    r.json().await.ok()
}

async fn wait_state(s: &Server, n: u32, state: &str, timeout: Duration) -> serde_json::Value {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(j) = job(s, n).await
            && j["job"]["state"] == state
        {
            return j;
        }
        assert!(
            Instant::now() < deadline,
            "job {n} not {state}: {:?}\n{}",
            job(s, n).await,
            s.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.lines().find_map(|l| {
        l.strip_prefix(name)
            .and_then(|r| r.strip_prefix(':'))
            .map(str::trim)
    })
}

async fn happy_path_on(kind: DbKind) {
    let dintero = Dintero::start().await;
    let smtp = Smtp::start();
    let hooks = Hooks::start().await;
    let dir = temp_dir("pipe");
    let mut o = Options::new(&no_b2b().join("brand.toml"), &kind.fresh(&dir));
    o.env = env(&dintero, &smtp, &hooks);
    // Late payment details (three reads after the capture); one 503 and one
    // 429 on the capture first (the client re-reads before capturing again).
    dintero.add(
        1,
        TxState {
            details_after_reads: 3,
            ..TxState::default()
        },
    );
    dintero.add(2, TxState::default());
    dintero.fail_captures.lock().unwrap().extend([503, 429]);
    let server = Server::start(&o);
    for n in [1, 2] {
        let r = callback(&server, n, "").await;
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    }
    // The same callback again changes nothing.
    assert_eq!(callback(&server, 1, "").await.status().as_u16(), 200);
    for n in [1, 2] {
        let j = wait_state(&server, n, "done", Duration::from_secs(60)).await;
        assert_eq!(j["job"]["invoice_number"], invoice_number(n));
        assert_eq!(j["job"]["email_sent"], true);
        assert_eq!(j["job"]["webhook_sent"], true);
        let steps: Vec<&str> = j["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["step"].as_str().unwrap())
            .collect();
        assert!(
            steps.contains(&"capture") && steps.contains(&"deliver"),
            "{steps:?}"
        );
        assert_eq!(
            dintero.captures(n),
            1,
            "transaction {n} captured more than once"
        );
    }
    // E-mail: one per invoice, to the buyer, with the PDF and a derived Message-ID.
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2, "{messages:?}");
    for n in [1, 2] {
        let number = invoice_number(n);
        let m = messages
            .iter()
            .find(|m| {
                header(m, "Message-ID") == Some(&format!("<invoice.{number}@kravia-invoice>"))
            })
            .unwrap_or_else(|| panic!("no message for {number}"));
        assert!(header(m, "Subject").unwrap().contains(&number), "{m}");
        assert!(
            header(m, "To")
                .unwrap()
                .contains("faktura@trondelag-trykk.no"),
            "{m}"
        );
        assert!(m.contains(&format!("filename=\"{number}.pdf\"")), "{m}");
    }
    // Webhook: signed JSON naming the invoice and its archive URL.
    let got = hooks.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    for (sig, body) in &got {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"hook-secret").unwrap();
        mac.update(body);
        let want: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sig, &format!("sha256={want}"));
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        let number = v["invoice_number"].as_str().unwrap();
        let pdf = client()
            .get(v["pdf_url"].as_str().unwrap())
            .header("authorization", format!("Bearer {KEY}"))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status().as_u16(), 200, "{number}");
        let bytes = pdf.bytes().await.unwrap();
        assert_eq!(
            crate::serve_support::sha256_hex(&bytes),
            v["sha256"].as_str().unwrap()
        );
    }
    // Metrics by state; list by state.
    let m = client()
        .get(server.url("/metrics"))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("kravia_jobs{state=\"done\"} 2"), "{m}");

    // SMTP down for a while: the delivery waits and goes out when it returns.
    smtp.down.store(true, std::sync::atomic::Ordering::SeqCst);
    dintero.add(3, TxState::default());
    assert_eq!(callback(&server, 3, "").await.status().as_u16(), 200);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(j) = job(&server, 3).await
            && j["job"]["state"] == "deliver"
            && j["job"]["attempts"].as_i64().unwrap_or(0) >= 2
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "job 3 never retried its delivery"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(smtp.messages().len(), 2);
    smtp.down.store(false, std::sync::atomic::Ordering::SeqCst);
    wait_state(&server, 3, "done", Duration::from_secs(30)).await;
    assert_eq!(smtp.messages().len(), 3);
    assert_eq!(dintero.captures(3), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_captures_once_renders_archives_and_delivers() {
    for kind in DbKind::available("pipeline_captures_once_renders_archives_and_delivers") {
        happy_path_on(kind).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_refuses_bad_signatures_and_rejects_bad_orders() {
    let dintero = Dintero::start().await;
    let smtp = Smtp::start();
    let hooks = Hooks::start().await;
    let dir = temp_dir("sig");
    let db = format!("sqlite://{}", dir.join("archive.sqlite").display());
    let mut o = Options::new(&no_b2b().join("brand.toml"), &DbKind::Sqlite.fresh(&dir));
    o.env = env(&dintero, &smtp, &hooks);
    o.env
        .push(("DINTERO_CALLBACK_SECRET".into(), "cb-secret".into()));
    dintero.add(7, TxState::default());
    let server = Server::start(&o);
    // Unsigned and wrongly signed callbacks: 401, no job.
    assert_eq!(callback(&server, 7, "").await.status().as_u16(), 401);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let path = format!("/v1/dintero/callback?transaction_id={}&time=1", tx_id(7));
    let url = server.url(&path);
    let sign = |secret: &[u8], t: i64| {
        let payload =
            kravia_invoice::client::callback::signed_payload(t, "T12345678", "POST", &url).unwrap();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
        mac.update(payload.as_bytes());
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("t={t},v0-hmac-sha256={hex}")
    };
    for bad in [sign(b"wrong", now), sign(b"cb-secret", now - 600)] {
        let r = client()
            .post(&url)
            .header("dintero-signature", bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    assert!(
        job(&server, 7).await.is_none(),
        "a refused callback recorded a job"
    );
    assert_eq!(dintero.captures(7), 0);
    // Correctly signed: recorded and done.
    let r = client()
        .post(&url)
        .header("dintero-signature", sign(b"cb-secret", now))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    wait_state(&server, 7, "done", Duration::from_secs(60)).await;
    assert_eq!(dintero.captures(7), 1);
    // The jobs command reads the same database.
    let shown = crate::util::run(&["jobs", "show", &tx_id(7), "--db", &db]);
    assert!(shown.status.success());
    let v = crate::util::json(&shown);
    assert_eq!(v["job"]["state"], "done");
    let listed = crate::util::json(&crate::util::run(&[
        "jobs", "list", "--state", "done", "--db", &db,
    ]));
    assert_eq!(listed["jobs"].as_array().unwrap().len(), 1);
    let retry = crate::util::run(&["jobs", "retry", &tx_id(7), "--db", &db]);
    assert_eq!(retry.status.code(), Some(1), "a done job was retried");
}

/// 200 callbacks while the server is SIGKILLed at random moments and
/// restarted, five times: every transaction captured exactly once, archived
/// once, delivered at least once; duplicates carry the same Message-ID, at
/// most one per kill.
async fn crash_on(kind: DbKind, total: u32) {
    let dintero = Dintero::start().await;
    let smtp = Smtp::start();
    let hooks = Hooks::start().await;
    let dir = temp_dir("crash");
    let mut o = Options::new(&no_b2b().join("brand.toml"), &kind.fresh(&dir));
    o.env = env(&dintero, &smtp, &hooks);
    for n in 0..total {
        dintero.add(
            1000 + n,
            TxState {
                details_after_reads: n % 3,
                ..TxState::default()
            },
        );
    }
    let mut server = Server::start(&o);
    let mut sent = 0u32;
    let kills = 5;
    // Pseudo-random but reproducible pauses.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _round in 0..kills {
        let batch = total / kills;
        for _ in 0..batch {
            // A callback may hit the dying server: Dintero retries, so do we.
            loop {
                match client()
                    .post(server.url(&format!(
                        "/v1/dintero/callback?transaction_id={}",
                        tx_id(1000 + sent)
                    )))
                    .send()
                    .await
                {
                    Ok(r) if r.status().as_u16() == 200 => break,
                    _ => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
            sent += 1;
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(50 + seed % 700)).await;
        server.kill9();
        server = Server::start(&o);
    }
    // Everything finishes after the last restart.
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let r: serde_json::Value = client()
            .get(server.url("/v1/jobs?state=done"))
            .header("authorization", format!("Bearer {KEY}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if r["jobs"].as_array().unwrap().len() == total as usize {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not all done: {}",
            r["jobs"].as_array().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut per_id: HashMap<String, u32> = HashMap::new();
    for m in smtp.messages() {
        *per_id
            .entry(header(&m, "Message-ID").unwrap().to_string())
            .or_default() += 1;
    }
    let mut duplicates = 0;
    for n in 0..total {
        let tx = 1000 + n;
        assert_eq!(
            dintero.captures(tx),
            1,
            "transaction {tx} captured {} times",
            dintero.captures(tx)
        );
        let id = format!("<invoice.{}@kravia-invoice>", invoice_number(tx));
        let count = per_id.get(&id).copied().unwrap_or(0);
        assert!(count >= 1, "{id} never delivered");
        duplicates += count - 1;
        let rec = client()
            .get(server.url(&format!("/v1/invoices/{}", invoice_number(tx))))
            .header("authorization", format!("Bearer {KEY}"))
            .send()
            .await
            .unwrap();
        assert_eq!(rec.status().as_u16(), 200);
    }
    assert!(
        duplicates <= kills,
        "{duplicates} duplicate e-mails for {kills} kills"
    );
    eprintln!("crash test ({kind:?}): {total} jobs, {kills} kills, {duplicates} duplicate e-mails");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_survives_kill9_five_times() {
    for kind in DbKind::available("pipeline_survives_kill9_five_times") {
        crash_on(kind, 200).await;
    }
}
