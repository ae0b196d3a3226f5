//! The batch's input: a directory or an NDJSON stream, read in input order
//! and parsed into one invoice's documents at a time.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use kravia_invoice::dintero::{Envelope, Session, Transaction};
use kravia_invoice::error::{Error, ErrorKind, ResultExt};

/// One input.
pub(super) struct Job {
    pub(super) index: usize,
    /// The file path, or `FILE:LINE`.
    pub(super) input: String,
    pub(super) payload: Payload,
}

pub(super) enum Payload {
    /// A `{"transaction": …, "session": …}` document (an NDJSON line).
    Text(String),
    /// A `*.json` file of that form.
    File(PathBuf),
    /// A folder with `transaction.json` (and `session.json`).
    Folder(PathBuf),
    /// The line could not be read.
    Unreadable(String),
}

pub(super) enum Source {
    Dir(Vec<(PathBuf, bool)>),
    Ndjson {
        label: String,
        reader: Box<dyn BufRead + Send>,
    },
}

impl Source {
    pub(super) fn open(path: &Path) -> Result<Source, Error> {
        if path.as_os_str() == "-" {
            return Ok(Source::Ndjson {
                label: "stdin".to_string(),
                reader: Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())),
            });
        }
        let meta = std::fs::metadata(path)
            .with_context(ErrorKind::Input, || format!("--input {}", path.display()))?;
        if meta.is_dir() {
            let mut entries = Vec::new();
            let dir = std::fs::read_dir(path)
                .with_context(ErrorKind::Input, || format!("--input {}", path.display()))?;
            for entry in dir {
                let entry = entry
                    .with_context(ErrorKind::Input, || format!("--input {}", path.display()))?;
                let p = entry.path();
                if p.is_dir() {
                    if p.join("transaction.json").is_file() {
                        entries.push((p, true));
                    }
                } else if p.extension().is_some_and(|e| e == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                {
                    entries.push((p, false));
                }
            }
            entries.sort();
            Ok(Source::Dir(entries))
        } else {
            let f = std::fs::File::open(path)
                .with_context(ErrorKind::Input, || format!("--input {}", path.display()))?;
            Ok(Source::Ndjson {
                label: path.display().to_string(),
                reader: Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            })
        }
    }

    pub(super) fn known_len(&self) -> Option<u64> {
        match self {
            Source::Dir(e) => Some(e.len() as u64),
            Source::Ndjson { .. } => None,
        }
    }

    /// Sends every input, in order; returns an error that broke the input off.
    pub(super) fn feed(self, jobs: &SyncSender<Job>) -> Option<String> {
        match self {
            Source::Dir(entries) => {
                for (index, (path, is_folder)) in entries.into_iter().enumerate() {
                    let job = Job {
                        index,
                        input: path.display().to_string(),
                        payload: if is_folder {
                            Payload::Folder(path)
                        } else {
                            Payload::File(path)
                        },
                    };
                    if jobs.send(job).is_err() {
                        return Some("the workers stopped unexpectedly".to_string());
                    }
                }
                None
            }
            Source::Ndjson { label, mut reader } => {
                let mut index = 0;
                let mut line_no = 0usize;
                loop {
                    let mut buf = Vec::new();
                    match reader.read_until(b'\n', &mut buf) {
                        Ok(0) => return None,
                        Ok(_) => {}
                        Err(e) => return Some(format!("reading {label}: {e}")),
                    }
                    line_no += 1;
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let payload = match String::from_utf8(buf) {
                        Ok(s) => Payload::Text(s),
                        Err(e) => Payload::Unreadable(format!(
                            "the line is not UTF-8 (byte {})",
                            e.utf8_error().valid_up_to() + 1
                        )),
                    };
                    let job = Job {
                        index,
                        input: format!("{label}:{line_no}"),
                        payload,
                    };
                    if jobs.send(job).is_err() {
                        return Some("the workers stopped unexpectedly".to_string());
                    }
                    index += 1;
                }
            }
        }
    }
}

/// Parses one `{transaction, session}` document; errors name the field.
fn parse_envelope(text: &str) -> Result<Envelope, (String, String)> {
    Envelope::from_json(text).map_err(|e| {
        let message = format!(
            "malformed input at line {} column {}: {}",
            e.line, e.column, e.message
        );
        (e.field.trim_end_matches(": ").to_string(), message)
    })
}

fn read_text(path: &Path) -> Result<String, (String, String)> {
    std::fs::read_to_string(path).map_err(|e| (String::new(), format!("{}: {e}", path.display())))
}

/// Parses one input into its documents.
pub(super) fn load(payload: Payload) -> Result<(Transaction, Option<Session>), (String, String)> {
    match payload {
        Payload::Text(text) => parse_envelope(&text).map(|e| (e.transaction, e.session)),
        Payload::File(path) => {
            parse_envelope(&read_text(&path)?).map(|e| (e.transaction, e.session))
        }
        Payload::Folder(dir) => {
            let t = dir.join("transaction.json");
            let transaction = Transaction::from_json(&read_text(&t)?)
                .map_err(|e| (e.field.trim_end_matches(": ").to_string(), e.to_string()))?;
            let s = dir.join("session.json");
            let session = if s.is_file() {
                Some(
                    Session::from_json(&read_text(&s)?)
                        .map_err(|e| (e.field.trim_end_matches(": ").to_string(), e.to_string()))?,
                )
            } else {
                None
            };
            Ok((transaction, session))
        }
        Payload::Unreadable(message) => Err((String::new(), message)),
    }
}
