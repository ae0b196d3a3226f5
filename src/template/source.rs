//! Where a template comes from: a built-in name or a file.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{BUILTIN, Template, TemplateError};

/// Where a template comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateSource {
    /// A built-in template by name (`classic`, `compact`).
    Builtin(String),
    /// A template file.
    File(PathBuf),
}

impl TemplateSource {
    /// Reads a `--template` value or a brand's `[invoice] template`: a built-in
    /// name (with or without `.toml`), else a file path.
    ///
    /// ```
    /// use kravia_invoice::template::TemplateSource;
    /// assert_eq!(TemplateSource::from_arg("compact"), TemplateSource::Builtin("compact".into()));
    /// assert!(matches!(TemplateSource::from_arg("my/own.toml"), TemplateSource::File(_)));
    /// ```
    pub fn from_arg(value: &str) -> TemplateSource {
        let name = value.trim();
        let bare = name.strip_suffix(".toml").unwrap_or(name);
        if BUILTIN.iter().any(|(n, _)| *n == bare) && !Path::new(name).exists() {
            TemplateSource::Builtin(bare.to_string())
        } else {
            TemplateSource::File(PathBuf::from(name))
        }
    }

    /// Loads the template.
    ///
    /// # Errors
    ///
    /// An unknown built-in name, an unreadable file, or an invalid template.
    pub fn load(&self) -> Result<Template, TemplateError> {
        match self {
            TemplateSource::Builtin(name) => Template::builtin(name),
            TemplateSource::File(path) => Template::load(path),
        }
    }
}

impl fmt::Display for TemplateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateSource::Builtin(name) => f.write_str(name),
            TemplateSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}
