//! [`Error`]: the crate's one operational error, with its cause chain.
//!
//! Findings about the documents are data ([`Report`](crate::Report)); an
//! `Error` is everything else that stops the work: unreadable or malformed
//! input, a bad brand file or template, a render or I/O failure. It keeps
//! what was being done (the context, outermost first: the file, the field)
//! and the cause, and prints them joined with `": "`:
//!
//! ```
//! use kravia_invoice::error::{Error, ErrorKind, ResultExt};
//! let read: Result<String, std::io::Error> =
//!     Err(std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory"));
//! let err = read.context(ErrorKind::Input, "reading session.json").unwrap_err();
//! assert_eq!(err.to_string(), "reading session.json: No such file or directory");
//! assert_eq!(err.kind(), ErrorKind::Input);
//! assert!(std::error::Error::source(&err).is_some());
//! ```

use std::fmt;

/// What kind of failure an [`Error`] is, for callers that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The invoice documents could not be read or parsed.
    Input,
    /// The brand file (or its logo) is unusable.
    Brand,
    /// The template is unknown, unreadable or invalid.
    Template,
    /// Laying out or writing the PDF failed.
    Render,
    /// Writing the output failed.
    Output,
    /// The Dintero API failed.
    Dintero,
    /// The command line is wrong.
    Usage,
}

/// An operational error: a kind, the context (outermost first) and the cause.
pub struct Error {
    kind: ErrorKind,
    context: Vec<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error with a message and no cause.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            context: vec![message.into()],
            source: None,
        }
    }

    /// Wraps a cause.
    pub fn wrap(kind: ErrorKind, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error {
            kind,
            context: Vec::new(),
            source: Some(Box::new(source)),
        }
    }

    /// Adds what was being done, printed before everything already said.
    #[must_use]
    pub fn context(mut self, what: impl Into<String>) -> Error {
        self.context.insert(0, what.into());
        self
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    /// The context, then the cause, joined with `": "`. The cause prints
    /// itself (our error types include their own sources in their message).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for c in &self.context {
            if !first {
                f.write_str(": ")?;
            }
            f.write_str(c)?;
            first = false;
        }
        if let Some(s) = &self.source {
            if !first {
                f.write_str(": ")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.to_string())
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Adds context to a `Result` (anyhow's shape, without anyhow).
pub trait ResultExt<T> {
    /// On error, wraps it as `kind` with `what` before it.
    ///
    /// # Errors
    ///
    /// The wrapped error.
    fn context(self, kind: ErrorKind, what: impl Into<String>) -> Result<T, Error>;

    /// [`ResultExt::context`] with the context computed only on error.
    ///
    /// # Errors
    ///
    /// The wrapped error.
    fn with_context<S: Into<String>>(
        self,
        kind: ErrorKind,
        what: impl FnOnce() -> S,
    ) -> Result<T, Error>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> ResultExt<T> for Result<T, E> {
    fn context(self, kind: ErrorKind, what: impl Into<String>) -> Result<T, Error> {
        self.map_err(|e| Error::wrap(kind, e).context(what))
    }

    fn with_context<S: Into<String>>(
        self,
        kind: ErrorKind,
        what: impl FnOnce() -> S,
    ) -> Result<T, Error> {
        self.map_err(|e| Error::wrap(kind, e).context(what()))
    }
}

macro_rules! from_error {
    ($($ty:ty => $kind:ident),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::wrap(ErrorKind::$kind, e)
            }
        }
    )*};
}

from_error! {
    crate::dintero::ParseError => Input,
    crate::file::ReadError => Input,
    crate::brand::BrandError => Brand,
    crate::template::TemplateError => Template,
    crate::render::RenderError => Render,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_prints_outermost_first() {
        let e = Error::new(ErrorKind::Output, "disk full")
            .context("writing out/A-1.pdf")
            .context("batch");
        assert_eq!(e.to_string(), "batch: writing out/A-1.pdf: disk full");
        let parse = crate::dintero::Transaction::from_json("{").unwrap_err();
        let e = Error::from(parse).context("t.json");
        assert!(e.to_string().starts_with("t.json: transaction: "), "{e}");
        assert_eq!(e.kind(), ErrorKind::Input);
    }
}
