//! The batch's input: a directory or an NDJSON stream, read in input order
//! and parsed into one invoice's documents at a time.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use kravia_invoice::dintero::{Envelope, Session, Shape, Transaction};
use kravia_invoice::error::{Error, ErrorKind, ResultExt};

use super::interrupt;
use crate::cli::input;

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
        /// The file (not stdin), whose lines can be counted for the progress.
        file: Option<PathBuf>,
    },
}

impl Source {
    pub(super) fn open(path: &Path) -> Result<Source, Error> {
        if path.as_os_str() == "-" {
            return Ok(Source::Ndjson {
                label: "stdin".to_string(),
                reader: Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())),
                file: None,
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
                file: Some(path.to_path_buf()),
            })
        }
    }

    pub(super) fn known_len(&self) -> Option<u64> {
        match self {
            Source::Dir(e) => Some(e.len() as u64),
            Source::Ndjson { .. } => None,
        }
    }

    /// The NDJSON file read (not stdin, not a directory).
    pub(super) fn ndjson_file(&self) -> Option<&Path> {
        match self {
            Source::Ndjson { file, .. } => file.as_deref(),
            Source::Dir(_) => None,
        }
    }

    /// Sends every input, in order; returns an error that broke the input off.
    pub(super) fn feed(self, jobs: &SyncSender<Job>) -> Option<String> {
        match self {
            Source::Dir(entries) => {
                for (index, (path, is_folder)) in entries.into_iter().enumerate() {
                    if interrupt::level() >= interrupt::STOP_READING {
                        return None;
                    }
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
            Source::Ndjson {
                label, mut reader, ..
            } => {
                let mut index = 0;
                let mut line_no = 0usize;
                loop {
                    if interrupt::level() >= interrupt::STOP_READING {
                        return None;
                    }
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

/// Parses one `{transaction, session}` document; errors name the field, or
/// say that the two documents are swapped.
fn parse_envelope(text: &str) -> Result<Envelope, (String, String)> {
    if let Some(message) = input::envelope_swap_message(text, "the document") {
        return Err(("transaction".to_string(), message));
    }
    Envelope::from_json(text).map_err(|e| {
        let message = format!(
            "malformed input at line {} column {}: {}",
            e.line, e.column, e.message
        );
        (e.field.trim_end_matches(": ").to_string(), message)
    })
}

fn read_text(path: &Path) -> Result<String, (String, String)> {
    // Only a regular file, bounded: a FIFO in the folder must not hang the run.
    kravia_invoice::file::read_regular_text(path, kravia_invoice::file::MAX_DOCUMENT_BYTES)
        .map_err(|e| (String::new(), e.to_string()))
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
            let t_text = read_text(&t)?;
            let s = dir.join("session.json");
            let s_text = if s.is_file() {
                Some(read_text(&s)?)
            } else {
                None
            };
            let s_shape = s_text
                .as_deref()
                .map_or((Shape::Unknown, ""), Shape::with_telltale);
            if let Some(message) = input::swap_message(
                Shape::with_telltale(&t_text),
                s_shape,
                "transaction.json",
                "session.json",
            ) {
                return Err(("transaction".to_string(), message));
            }
            let transaction = Transaction::from_json(&t_text)
                .map_err(|e| (e.field.trim_end_matches(": ").to_string(), e.to_string()))?;
            let session = match s_text {
                Some(text) => Some(
                    Session::from_json(&text)
                        .map_err(|e| (e.field.trim_end_matches(": ").to_string(), e.to_string()))?,
                ),
                None => None,
            };
            Ok((transaction, session))
        }
        Payload::Unreadable(message) => Err((String::new(), message)),
    }
}

/// How many inputs an NDJSON file holds (its lines that are not blank),
/// counted in one pass over the bytes (the 63 MB of 10,000 invoices: 0.13 s
/// from the page cache), so the progress line can show a total.
pub(super) fn count_inputs(path: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let (mut count, mut content) = (0u64, false);
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for &b in &buf[..n] {
            if b == b'\n' {
                count += u64::from(content);
                content = false;
            } else if !b.is_ascii_whitespace() {
                content = true;
            }
        }
    }
    Ok(count + u64::from(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_lines_that_are_inputs() {
        let p = std::env::temp_dir().join(format!("kravia-count-{}.ndjson", std::process::id()));
        std::fs::write(&p, "{\"a\":1}\n\n  \n{\"b\":2}\r\n{\"c\":3}").unwrap();
        assert_eq!(count_inputs(&p).unwrap(), 3);
        std::fs::write(&p, "").unwrap();
        assert_eq!(count_inputs(&p).unwrap(), 0);
        std::fs::remove_file(&p).unwrap();
    }
}
