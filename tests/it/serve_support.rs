//! Running the real `serve` binary on 127.0.0.1 for the service tests: a
//! temporary SQLite file, or a fresh database on the PostgreSQL that CI
//! starts (`KRAVIA_TEST_DATABASE_URL`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{Case, fixtures_dir};

/// The PostgreSQL server URL CI exports (a superuser on a throw-away cluster).
pub const PG_VAR: &str = "KRAVIA_TEST_DATABASE_URL";

/// The API key the tests start servers with.
pub const KEY: &str = "test-key-0123456789";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let d = std::env::temp_dir().join(format!(
        "kravia-it-{tag}-{}-{n}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    /// The kinds available here: SQLite always; PostgreSQL when
    /// `KRAVIA_TEST_DATABASE_URL` is set (CI), else a printed note.
    pub fn available(test: &str) -> Vec<DbKind> {
        let mut v = vec![DbKind::Sqlite];
        if std::env::var(PG_VAR).is_ok_and(|s| !s.is_empty()) {
            v.push(DbKind::Postgres);
        } else {
            eprintln!(
                "note: {test}: PostgreSQL part skipped ({PG_VAR} is not set; .ci/run sets it)"
            );
        }
        v
    }

    /// A new, empty database: a file in `dir`, or a new PostgreSQL database.
    pub fn fresh(&self, dir: &Path) -> String {
        match self {
            DbKind::Sqlite => format!("sqlite://{}", dir.join("archive.sqlite").display()),
            DbKind::Postgres => fresh_pg(),
        }
    }
}

/// Creates a new database on the CI PostgreSQL; its URL.
pub fn fresh_pg() -> String {
    let base = std::env::var(PG_VAR).expect("KRAVIA_TEST_DATABASE_URL");
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!("kravia_it_{}_{n}", std::process::id());
    let admin = base.clone();
    let name2 = name.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            use sqlx::Connection;
            let mut c = sqlx::postgres::PgConnection::connect(&admin).await.unwrap();
            sqlx::Executor::execute(&mut c, format!("CREATE DATABASE {name2}").as_str())
                .await
                .unwrap();
        });
    })
    .join()
    .unwrap();
    // Replace the database part of the URL.
    let (head, tail) = base.rsplit_once('/').unwrap();
    let query = tail
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{head}/{name}{query}")
}

/// A running `serve`.
pub struct Server {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its stderr so far.
    pub log: Arc<Mutex<String>>,
}

/// How to start a server.
#[derive(Clone, Debug)]
pub struct Options {
    pub brand: Option<PathBuf>,
    pub db: String,
    pub key: Option<String>,
    pub listen: String,
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
}

impl Options {
    pub fn new(brand: &Path, db: &str) -> Options {
        Options {
            brand: Some(brand.to_path_buf()),
            db: db.to_string(),
            key: Some(KEY.to_string()),
            listen: "127.0.0.1:0".into(),
            env: Vec::new(),
            args: Vec::new(),
        }
    }
}

impl Server {
    /// Starts `serve` and waits until it listens (at most 60 s).
    pub fn start(o: &Options) -> Server {
        match Server::try_start(o) {
            Ok(s) => s,
            Err((status, log)) => panic!("serve did not start ({status:?}):\n{log}"),
        }
    }

    /// Starts `serve`; the exit status and log when it stops before listening.
    pub fn try_start(o: &Options) -> Result<Server, (Option<ExitStatus>, String)> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kravia-invoice"));
        cmd.arg("serve")
            .arg("--listen")
            .arg(&o.listen)
            .arg("--db")
            .arg(&o.db);
        if let Some(b) = &o.brand {
            cmd.arg("--brand").arg(b);
        }
        cmd.args(&o.args);
        cmd.env_remove("KRAVIA_INVOICE_API_KEY");
        if let Some(k) = &o.key {
            cmd.env("KRAVIA_INVOICE_API_KEY", k);
        }
        for (k, v) in &o.env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let log2 = log.clone();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(i) = line.find("listening on http://")
                    && let Some(t) = tx.take()
                {
                    let addr: String = line[i + "listening on ".len()..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '"')
                        .collect();
                    let _ = t.send(addr);
                }
                let mut l = log2.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(base) = rx.recv_timeout(Duration::from_millis(50)) {
                return Ok(Server {
                    child: Some(child),
                    base,
                    log,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                return Err((Some(status), log.lock().unwrap().clone()));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err((None, log.lock().unwrap().clone()));
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGKILL, and wait for it to be gone.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Sends SIGTERM (does not wait).
    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to end (at most `timeout`).
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let c = self.child.as_mut().unwrap();
        loop {
            if let Some(s) = c.try_wait().unwrap() {
                self.child = None;
                return s;
            }
            assert!(Instant::now() < deadline, "serve did not stop in time");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// An HTTP client with the test key.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// `{"transaction", "session"}` of a case; with `number`, every occurrence
/// of the case's invoice number replaced (a new, still valid invoice).
pub fn envelope(case_dir: &Path, number: Option<&str>) -> Vec<u8> {
    let mut tx = std::fs::read_to_string(case_dir.join("transaction.json")).unwrap();
    if let Some(n) = number {
        let v: serde_json::Value = serde_json::from_str(&tx).unwrap();
        let old = v["metadata"]["kravia:invoice_number"]
            .as_str()
            .unwrap()
            .to_string();
        tx = tx.replace(&old, n);
    }
    let tx: serde_json::Value = serde_json::from_str(&tx).unwrap();
    let mut env = serde_json::json!({ "transaction": tx });
    let s = case_dir.join("session.json");
    if s.exists() {
        env["session"] = serde_json::from_str(&std::fs::read_to_string(s).unwrap()).unwrap();
    }
    serde_json::to_vec(&env).unwrap()
}

/// The NO B2B fixture (one page, three VAT rates).
pub fn no_b2b() -> PathBuf {
    fixtures_dir().join("pub_ok_no_b2b_three_rates")
}

/// What `render` writes for a case.
pub fn cli_pdf(case: &Case, dir: &Path) -> Vec<u8> {
    let out = dir.join(format!("{}.pdf", case.name));
    let mut args = vec!["render".to_string()];
    args.extend(case.doc_args());
    args.push("--output".into());
    args.push(out.display().to_string());
    let o = crate::util::run(&args);
    assert!(o.status.success(), "{}: render failed", case.name);
    std::fs::read(out).unwrap()
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
