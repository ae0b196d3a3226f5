//! Why a template cannot be used, and the helpers that turn a TOML parser's
//! byte offset into a line and a field name.

use std::path::PathBuf;

/// Why a template (or a label file) cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// No built-in template has this name.
    #[error(
        "unknown template {name:?} (built in: classic, compact; or give the path of a .toml file)"
    )]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The template file could not be read.
    #[error("reading template {path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The TOML is malformed, has an unknown or missing key, or a bad value.
    #[error("template {file}: {}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Invalid {
        /// The file (`compact.toml`, a user's path, `labels/nb.toml`).
        file: String,
        /// The 1-based line of the offending key or value, when known.
        line: Option<usize>,
        /// What is wrong, naming the field.
        message: String,
    },
}

/// `[table] zebra`: the table header and key of the line holding byte `at`.
pub(super) fn field_at(text: &str, at: usize) -> Option<(String, String)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| {
            !k.is_empty() && !k.starts_with('[') && !k.starts_with('#') && !k.contains('{')
        });
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_string());
    match (table, key) {
        (Some(t), Some(k)) => Some((format!("{t} {k}"), k)),
        (None, Some(k)) => Some((k.clone(), k)),
        _ => None,
    }
}

/// The 1-based line of `key` inside `[table]`.
pub(super) fn line_of_key(text: &str, table: &str, key: &str) -> Option<usize> {
    let header = format!("[{table}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.starts_with('[') {
            inside = l.split('#').next().map(str::trim) == Some(header.as_str());
            continue;
        }
        if inside && l.split_once('=').is_some_and(|(k, _)| k.trim() == key) {
            return Some(i + 1);
        }
    }
    None
}

/// Parses TOML into `T`, turning the parser's error into one line that names
/// the file, the line, the table and key, and what is wrong.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, TemplateError> {
    toml::from_str(text).map_err(|e| {
        let start = e.span().map(|s| s.start.min(text.len()));
        let line = start.map(|s| text[..s].matches('\n').count() + 1);
        let message = e.message().trim().replace('\n', " ");
        let field = start.and_then(|s| field_at(text, s));
        let message = match field {
            // "unknown field `colum`" names the field already.
            Some((_, key)) if message.contains(&format!("`{key}`")) => message,
            Some((f, _)) => format!("{f}: {message}"),
            _ => message,
        };
        TemplateError::Invalid {
            file: file.to_string(),
            line,
            message,
        }
    })
}
