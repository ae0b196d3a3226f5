//! Reading the files a user names (brand, logo, template, input documents):
//! only regular files, never more than a given size.
//!
//! A FIFO or device named as a logo would otherwise hang the program or be
//! read without bound (`/dev/zero`); [`read_regular`] refuses anything but a
//! regular file and stops at the limit.
//!
//! ```
//! use kravia_invoice::file::{read_regular, ReadError};
//! let err = read_regular("/dev/null".as_ref(), 1024).unwrap_err();
//! assert!(matches!(err, ReadError::NotRegular { .. }));
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Opening or reading failed.
    #[error("reading {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The path names a directory, FIFO, socket or device.
    #[error("{} is not a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than the limit.
    #[error("{} is larger than {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
}

/// Reads a regular file of at most `limit` bytes.
///
/// The file is opened first and its metadata checked on the open handle, so a
/// path swapped for a FIFO between a check and the read cannot hang the call.
///
/// # Errors
///
/// [`ReadError`] when the path is not a regular file, cannot be read, or holds
/// more than `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Refuse special files before opening them: opening a FIFO for reading
    // blocks until a writer appears.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    let mut out = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(io)?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(out)
}

/// [`read_regular`] as UTF-8 text.
///
/// # Errors
///
/// As [`read_regular`], and [`ReadError::Io`] with `InvalidData` when the
/// bytes are not UTF-8.
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|_| ReadError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_directories_and_devices_and_oversize() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            read_regular(&dir, 10),
            Err(ReadError::NotRegular { .. })
        ));
        assert!(matches!(
            read_regular("/dev/zero".as_ref(), 10),
            Err(ReadError::NotRegular { .. })
        ));
        let f = dir.join(format!("kravia-file-test-{}", std::process::id()));
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_regular(&f, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_regular(&f, 9),
            Err(ReadError::TooLarge { limit: 9, .. })
        ));
        std::fs::remove_file(&f).unwrap();
    }
}
