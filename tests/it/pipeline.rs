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
    // Every state has a series (an alert on rejected or failed sees 0 first).
    assert!(m.contains("kravia_jobs{state=\"rejected\"} 0"), "{m}");
    assert!(m.contains("kravia_jobs{state=\"failed\"} 0"), "{m}");

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
    // A VOID reported while the invoice is still being delivered: the callback
    // finds the job busy and only records it; once the invoice is delivered
    // the job goes on to the credit note (numbered from the default series).
    dintero.with(3, |t| t.voided = true);
    assert_eq!(
        callback(&server, 3, "&event=VOID").await.status().as_u16(),
        200
    );
    let j = job(&server, 3).await.unwrap();
    assert_eq!(j["job"]["state"], "deliver", "{j}");
    assert_eq!(j["job"]["void_requested"], true, "{j}");
    smtp.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(60);
    let j = loop {
        let j = job(&server, 3).await.unwrap();
        if j["job"]["state"] == "done" && j["job"]["credit_email_sent"] == true {
            break j;
        }
        assert!(Instant::now() < deadline, "{j}\n{}", server.log_text());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(j["job"]["email_sent"], true, "{j}");
    assert_eq!(j["job"]["credit_number"], "KN-000001", "{j}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 4, "the invoice, then its credit note");
    let ids: Vec<&str> = messages[2..]
        .iter()
        .map(|m| header(m, "Message-ID").unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            format!("<invoice.{}@kravia-invoice>", invoice_number(3)),
            "<credit.KN-000001@kravia-invoice>".to_string()
        ]
    );
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

/// The decoded attachment `name` of a raw message (base64, as lettre sends
/// attachments).
fn attachment(message: &str, name: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let at = message.find(&format!("filename=\"{name}\""))?;
    let rest = &message[at..];
    let body = &rest[rest.find("\r\n\r\n")? + 4..];
    let body = &body[..body.find("\r\n--").unwrap_or(body.len())];
    let b64: String = body.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = temp_dir("pdftext");
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8_lossy(&out.stdout).replace(['\u{a0}', '\u{202f}'], " ")
}

async fn get_json(s: &Server, path: &str) -> (u16, serde_json::Value) {
    let r = client()
        .get(s.url(path))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// The stand-in's answers to a capture (202 completing two reads later, 429
/// with Retry-After, 503, a 500 after applying it) and to reads (429, 5xx);
/// a VOID after delivery (by the callback's event and by a re-read) giving
/// one credit note, numbered from the series in the database; a VOID before
/// delivery; the UBL e-invoice of a business invoice attached and archived.
async fn scenarios_on(kind: DbKind) {
    let dintero = Dintero::start().await;
    let smtp = Smtp::start();
    let hooks = Hooks::start().await;
    let dir = temp_dir("scen");
    let mut o = Options::new(&no_b2b().join("brand.toml"), &kind.fresh(&dir));
    o.env = env(&dintero, &smtp, &hooks);
    o.env
        .push(("KRAVIA_INVOICE_CREDIT_PREFIX".into(), "KN-T".into()));
    o.env
        .push(("KRAVIA_INVOICE_CREDIT_START".into(), "41".into()));
    let answers: [(u32, Vec<u16>); 5] = [
        (21, vec![202]),
        (22, vec![429, 429]),
        (23, vec![503]),
        (24, vec![500]),
        (25, vec![]),
    ];
    for (n, a) in &answers {
        dintero.add(
            *n,
            TxState {
                capture_answers: a.clone(),
                ..TxState::default()
            },
        );
    }
    // Reads failing for a while (429 with Retry-After, 502, 503) are retried.
    dintero.with(25, |t| t.read_answers = vec![429, 502, 503]);
    dintero.add(
        26,
        TxState {
            voided: true,
            ..TxState::default()
        },
    );
    let mut server = Server::start(&o);
    for n in 21..=26 {
        assert_eq!(callback(&server, n, "").await.status().as_u16(), 200);
    }
    for (n, _) in &answers {
        let j = wait_state(&server, *n, "done", Duration::from_secs(90)).await;
        assert_eq!(dintero.captures(*n), 1, "transaction {n}: {j}");
    }
    // 429: the capture is sent again, each time after Retry-After (1 s).
    let times = dintero.capture_times(22);
    assert_eq!(times.len(), 3, "{times:?}");
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(950),
            "capture sent again {:?} after a 429 with Retry-After: 1",
            w[1] - w[0]
        );
    }
    // Voided before anything was delivered: not captured, nothing sent.
    let j = wait_state(&server, 26, "voided", Duration::from_secs(30)).await;
    assert_eq!(dintero.captures(26), 0, "{j}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 5, "one e-mail per delivered invoice");

    // B2B: the UBL e-invoice beside the PDF, in the e-mail and the archive.
    let number = invoice_number(21);
    let m = messages
        .iter()
        .find(|m| header(m, "Message-ID") == Some(&format!("<invoice.{number}@kravia-invoice>")))
        .unwrap();
    let pdf = attachment(m, &format!("{number}.pdf")).expect("the PDF attached");
    let xml = attachment(m, &format!("{number}.xml")).expect("the UBL attached");
    let xml_text = String::from_utf8(xml.clone()).unwrap();
    assert!(
        xml_text.contains(&format!("<cbc:ID>{number}</cbc:ID>")),
        "{xml_text}"
    );
    let r = client()
        .get(server.url(&format!("/v1/invoices/{number}/ubl")))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), xml.as_slice());
    let archived = client()
        .get(server.url(&format!("/v1/invoices/{number}/pdf")))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        archived.as_ref(),
        pdf.as_slice(),
        "the e-mail carries the archived PDF"
    );
    let (status, rec) = get_json(&server, &format!("/v1/invoices/{number}")).await;
    assert_eq!(status, 200);
    assert_eq!(rec["status"], "issued");

    // VOID on a delivered invoice, reported by the callback: one credit note.
    dintero.with(25, |t| t.voided = true);
    assert_eq!(
        callback(&server, 25, "&event=VOID&event_id=e1")
            .await
            .status()
            .as_u16(),
        200
    );
    let j = wait_until(&server, 25, |j| {
        j["job"]["credit_email_sent"] == true && j["job"]["state"] == "done"
    })
    .await;
    let credit = "KN-T000041";
    assert_eq!(j["job"]["credit_number"], credit, "{j}");
    assert_eq!(j["job"]["state"], "done");
    // The same VOID callback again (Dintero retries): nothing new.
    assert_eq!(
        callback(&server, 25, "&event=VOID&event_id=e1")
            .await
            .status()
            .as_u16(),
        200
    );
    // VOID seen on a re-read (a plain callback for a delivered invoice).
    dintero.with(24, |t| t.voided = true);
    assert_eq!(callback(&server, 24, "").await.status().as_u16(), 200);
    let j = wait_until(&server, 24, |j| {
        j["job"]["credit_email_sent"] == true && j["job"]["state"] == "done"
    })
    .await;
    assert_eq!(j["job"]["credit_number"], "KN-T000042", "{j}");
    // A plain callback for a delivered, not voided invoice: re-read, done again.
    assert_eq!(callback(&server, 23, "").await.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let j = wait_state(&server, 23, "done", Duration::from_secs(30)).await;
    assert!(j["job"]["credit_number"].is_null(), "{j}");
    let j = wait_state(&server, 25, "done", Duration::from_secs(30)).await;
    assert_eq!(j["job"]["credit_number"], credit);

    let messages = smtp.messages();
    assert_eq!(messages.len(), 7, "two credit notes, each sent once");
    let m = messages
        .iter()
        .find(|m| header(m, "Message-ID") == Some(&format!("<credit.{credit}@kravia-invoice>")))
        .expect("the credit note e-mail");
    let invoice25 = invoice_number(25);
    let subject = header(m, "Subject").unwrap();
    assert!(
        subject.contains(credit) && subject.contains(&invoice25),
        "{subject}"
    );
    let note = attachment(m, &format!("{credit}.pdf")).expect("the credit note attached");
    let text = pdf_text(&note);
    for want in ["Kreditnota", credit, invoice25.as_str(), "-7 824,00 NOK"] {
        assert!(
            text.contains(want),
            "{want:?} not in the credit note:\n{text}"
        );
    }
    // A business buyer's credit note carries its PEPPOL BIS 3 CreditNote,
    // referring to the invoice, in the e-mail and the archive.
    let xml = attachment(m, &format!("{credit}.xml")).expect("the UBL credit note attached");
    let xml_text = String::from_utf8(xml.clone()).unwrap();
    assert!(
        xml_text.contains("<CreditNote")
            && xml_text.contains(&format!("<cbc:ID>{credit}</cbc:ID>"))
            && xml_text.contains("<cac:BillingReference>")
            && xml_text.contains(&format!("<cbc:ID>{invoice25}</cbc:ID>")),
        "{xml_text}"
    );
    let r = client()
        .get(server.url(&format!("/v1/invoices/{credit}/ubl")))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), xml.as_slice());
    let (status, rec) = get_json(&server, &format!("/v1/invoices/{credit}")).await;
    assert_eq!(status, 200);
    assert_eq!(rec["status"], "credit_note");
    assert_eq!(rec["transaction_id"], tx_id(25));
    assert_eq!(rec["sha256"], crate::serve_support::sha256_hex(&note));
    let hooks_got = hooks.got.lock().unwrap().clone();
    let credits: Vec<serde_json::Value> = hooks_got
        .iter()
        .map(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).unwrap())
        .filter(|v| v["event"] == "credit_note.issued")
        .collect();
    assert_eq!(credits.len(), 2, "{credits:?}");
    assert!(
        credits
            .iter()
            .any(|v| v["credit_number"] == credit && v["invoice_number"] == invoice25.as_str())
    );

    // The series lives in the database: after a kill -9 and a restart the
    // next credit note takes the next number, none is reused.
    server.kill9();
    let server = Server::start(&o);
    dintero.with(23, |t| t.voided = true);
    assert_eq!(
        callback(&server, 23, "&event=VOID").await.status().as_u16(),
        200
    );
    let j = wait_until(&server, 23, |j| {
        j["job"]["credit_email_sent"] == true && j["job"]["state"] == "done"
    })
    .await;
    assert_eq!(j["job"]["credit_number"], "KN-T000043", "{j}");
    assert_eq!(smtp.messages().len(), 8);
}

async fn wait_until(
    s: &Server,
    n: u32,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(j) = job(s, n).await
            && done(&j)
        {
            return j;
        }
        assert!(
            Instant::now() < deadline,
            "job {n}: {:?}\n{}",
            job(s, n).await,
            s.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_stand_in_answers_void_credit_note_and_ubl() {
    for kind in DbKind::available("pipeline_stand_in_answers_void_credit_note_and_ubl") {
        scenarios_on(kind).await;
    }
}

/// Two instances on one PostgreSQL database share the work (leases, `FOR
/// UPDATE SKIP LOCKED`); one of them is SIGKILLed at random moments and
/// restarted, five times, while 200 callbacks arrive at both: every
/// transaction captured exactly once (counted at the stand-in), archived
/// exactly once (counted in the database), delivered at least once; duplicate
/// e-mails carry the same Message-ID, at most one per kill; the killed
/// instance's jobs are finished by the other one once their leases run out.
async fn two_instances_on_postgres(total: u32) {
    let dintero = Dintero::start().await;
    let smtp = Smtp::start();
    let hooks = Hooks::start().await;
    let dir = temp_dir("crash2");
    let db = DbKind::Postgres.fresh(&dir);
    let mut o = Options::new(&no_b2b().join("brand.toml"), &db);
    o.env = env(&dintero, &smtp, &hooks);
    // Every fifth capture is slow (applied at once, answered 2 s later), so an
    // instance is often inside a step that holds its lease.
    let slow = |n: u32| n % 5 == 1;
    let mut slow_ids = Vec::new();
    for n in 0..total {
        dintero.add(
            3000 + n,
            TxState {
                details_after_reads: n % 3,
                capture_delay: slow(n).then_some(Duration::from_secs(2)),
                ..TxState::default()
            },
        );
        if slow(n) {
            slow_ids.push(tx_id(3000 + n));
        }
    }
    let mut pg = {
        use sqlx::Connection;
        sqlx::postgres::PgConnection::connect(&db).await.unwrap()
    };
    let mut kills_holding = 0;
    let steady = Server::start(&o);
    let mut victim = Server::start(&o);
    let mut victim_logs = String::new();
    let kills = 5;
    let mut sent = 0u32;
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _round in 0..kills {
        for _ in 0..total / kills {
            let n = 3000 + sent;
            // Half to each instance; when one does not answer, the other
            // (Dintero retries, a load balancer picks another instance).
            let mut first = n.is_multiple_of(2);
            loop {
                let target = if first { &steady } else { &victim };
                match client()
                    .post(target.url(&format!("/v1/dintero/callback?transaction_id={}", tx_id(n))))
                    .send()
                    .await
                {
                    Ok(r) if r.status().as_u16() == 200 => break,
                    _ => {
                        first = !first;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
            sent += 1;
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(100 + seed % 400)).await;
        // Kill while the victim holds a lease on a slow capture (waiting up
        // to 10 s for one), so the survivor has a job to take over.
        let owner = format!("{}-%", victim.pid());
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            let now_ms = i64::try_from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_millis(),
            )
            .unwrap();
            let (held,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM jobs WHERE lease_owner LIKE $1 AND lease_until > $2 \
                 AND transaction_id = ANY($3)",
            )
            .bind(&owner)
            .bind(now_ms)
            .bind(&slow_ids)
            .fetch_one(&mut pg)
            .await
            .unwrap();
            if held > 0 {
                kills_holding += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        victim_logs.push_str(&victim.log_text());
        victim.kill9();
        victim = Server::start(&o);
    }
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let (_, r) = get_json(&steady, "/v1/jobs?state=done").await;
        let done = r["jobs"].as_array().map_or(0, Vec::len);
        if done == total as usize {
            break;
        }
        assert!(Instant::now() < deadline, "not all done: {done}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    victim_logs.push_str(&victim.log_text());
    let mut per_id: HashMap<String, u32> = HashMap::new();
    for m in smtp.messages() {
        *per_id
            .entry(header(&m, "Message-ID").unwrap().to_string())
            .or_default() += 1;
    }
    let mut duplicates = 0;
    for n in 0..total {
        let tx = 3000 + n;
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
    }
    assert!(
        duplicates <= kills,
        "{duplicates} duplicate e-mails for {kills} kills"
    );
    // Archived exactly once: one row per transaction, counted in PostgreSQL.
    let (rows, takeovers): (Vec<(String, i64)>, i64) = {
        use sqlx::Connection;
        let mut c = sqlx::postgres::PgConnection::connect(&db).await.unwrap();
        let rows =
            sqlx::query_as("SELECT transaction_id, COUNT(*) FROM invoices GROUP BY transaction_id")
                .fetch_all(&mut c)
                .await
                .unwrap();
        let (t,): (i64,) =
            sqlx::query_as("SELECT CAST(COALESCE(SUM(takeovers), 0) AS BIGINT) FROM jobs")
                .fetch_one(&mut c)
                .await
                .unwrap();
        (rows, t)
    };
    assert_eq!(rows.len(), total as usize);
    assert!(rows.iter().all(|(_, c)| *c == 1), "{rows:?}");
    // Both instances worked, and the survivor finished what the killed one held.
    let steps = |log: &str| log.lines().filter(|l| l.contains("outcome=")).count();
    let (a, b) = (steps(&steady.log_text()), steps(&victim_logs));
    assert!(a > 0 && b > 0, "steps: steady {a}, killed {b}");
    // Jobs held by a killed instance were claimed again once their leases ran out.
    assert!(
        kills_holding >= 1,
        "the victim never held a slow capture's lease when it was killed"
    );
    assert!(
        takeovers >= 1,
        "no job was taken over after {kills_holding} kills of an instance holding a lease"
    );
    eprintln!(
        "two instances on PostgreSQL: {total} jobs, {kills} kills of one, {duplicates} duplicate e-mails, {kills_holding} kills while holding a slow capture, {takeovers} jobs taken over after a lease ran out; job steps logged: steady {a}, killed {b}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipeline_two_instances_on_postgres_one_killed() {
    if !DbKind::available("pipeline_two_instances_on_postgres_one_killed")
        .iter()
        .any(|k| matches!(k, DbKind::Postgres))
    {
        return;
    }
    two_instances_on_postgres(200).await;
}
