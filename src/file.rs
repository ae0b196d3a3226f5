//! Files, safely: bounded reads of regular files only, and atomic writes
//! through exclusive temporary files with unpredictable names.
//!
//! * **Reading** ([`read_regular`], [`read_regular_text`]): the files a user
//!   names (brand, logo, template, input documents) are read only when they
//!   are regular files (after following links), and never beyond a given size.
//!   A FIFO, a device (`/dev/zero`), a socket or a directory is refused without
//!   waiting for a writer: the file is opened non-blocking (Unix) and checked
//!   again on the open handle, so it cannot be swapped between the check and
//!   the read.
//! * **Writing** ([`write_atomic`]): the bytes go to a new temporary file beside
//!   the target, created exclusively (`O_CREAT | O_EXCL`, which never follows a
//!   link) under a random name `.<name>.<random>.kravia-tmp`, flushed to disk,
//!   then renamed over the target. Only a regular file or a new path is
//!   replaced ([`check_output`]); a FIFO, a device or a directory is refused.
//!   The temporary file is removed on failure; one left behind by a killed
//!   process is recognised by its name and removed by
//!   [`remove_stale_temp_files`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use kravia_invoice::file::{ReadError, read_regular, write_atomic};
//! let err = read_regular("/dev/null".as_ref(), 1024).unwrap_err();
//! assert!(matches!(err, ReadError::NotRegular { .. }));
//! let dir = std::env::temp_dir().join(format!("kravia-file-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("a.txt");
//! write_atomic(&path, b"hello")?;
//! assert_eq!(read_regular(&path, 5)?, b"hello");
//! assert!(read_regular(&path, 4).is_err()); // over the cap
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The largest template file read (1 MiB).
pub const MAX_TEMPLATE_BYTES: u64 = 1 << 20;
/// The largest transaction, session or `{transaction, session}` document read
/// from a file (64 MiB).
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// The suffix of every temporary file this crate creates.
pub const TEMP_SUFFIX: &str = ".kravia-tmp";

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
    #[error("{} is not a regular file (a {kind})", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is: `directory`, `FIFO`, `device`, `socket`.
        kind: &'static str,
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

impl ReadError {
    /// What went wrong, without the path (for callers that name the file
    /// themselves).
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { source, .. } => source.to_string(),
            ReadError::NotRegular { kind, .. } => format!("not a regular file (a {kind})"),
            ReadError::TooLarge { limit, .. } => format!("larger than {limit} bytes"),
        }
    }
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The path names a directory, FIFO, socket or device: it is not replaced.
    #[error("writing {}: not a regular file (a {kind})", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is: `directory`, `FIFO`, `device`, `socket`.
        kind: &'static str,
    },
    /// The path has no file name.
    #[error("writing {}: not a file name", path.display())]
    NoFileName {
        /// The path.
        path: PathBuf,
    },
    /// Creating, writing, flushing or renaming failed.
    #[error("writing {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

fn read_io(path: &Path) -> impl FnOnce(std::io::Error) -> ReadError + '_ {
    move |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a file type is, in words.
fn kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if t.is_dir() {
        "directory"
    } else if t.is_symlink() {
        "link"
    } else {
        "special file"
    }
}

/// Opens `path` for reading without blocking on a FIFO (Unix).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads a regular file of at most `limit` bytes (links followed).
///
/// # Errors
///
/// [`ReadError::NotRegular`] for a FIFO, device, socket or directory (never
/// blocking on it); [`ReadError::TooLarge`] over `limit`; [`ReadError::Io`].
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let not_regular = |meta: &std::fs::Metadata| ReadError::NotRegular {
        path: path.to_path_buf(),
        kind: kind(meta.file_type()),
    };
    // Refuse before opening: opening a FIFO for reading blocks until a writer
    // appears, and opening some devices has side effects.
    let meta = std::fs::metadata(path).map_err(read_io(path))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let file = open_nonblocking(path).map_err(read_io(path))?;
    // Check the open handle too: the path may have been swapped meanwhile.
    let meta = file.metadata().map_err(read_io(path))?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte more than the limit tells a file that grew past it.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_io(path))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text.
///
/// # Errors
///
/// As [`read_regular`], and [`ReadError::Io`] with `InvalidData` naming the
/// first byte that is not UTF-8.
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_regular(path, limit)?).map_err(|e| ReadError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to() + 1),
        ),
    })
}

/// Whether `path` may be written by [`write_atomic`]: nothing there yet (or a
/// dangling link), or a regular file (links followed).
///
/// # Errors
///
/// [`WriteError::NotRegular`] for a FIFO, device, socket or directory.
pub fn check_output(path: &Path) -> Result<(), WriteError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) => Err(WriteError::NotRegular {
            path: path.to_path_buf(),
            kind: kind(m.file_type()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// The folder a path lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `bytes` to `path` so that no half-written file can exist: a new
/// temporary file beside it (exclusive, random name, links never followed),
/// flushed to disk, then renamed into place. An existing regular file is
/// replaced only at the rename; anything else at `path` (a FIFO, a device, a
/// directory) is refused. The temporary file is removed on failure.
///
/// # Errors
///
/// [`WriteError::NotRegular`] when `path` is not a regular file or a new path;
/// [`WriteError::NoFileName`]; [`WriteError::Io`] naming `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    check_output(path)?;
    let name = path
        .file_name()
        .ok_or_else(|| WriteError::NoFileName {
            path: path.to_path_buf(),
        })?
        .to_string_lossy()
        .into_owned();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX).rand_bytes(10);
    #[cfg(unix)]
    {
        // The usual mode of a new file (the umask applies), not tempfile's 0600.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(parent_dir(path))
        .map_err(write_io(path))?;
    tmp.write_all(bytes).map_err(write_io(path))?;
    tmp.as_file().sync_all().map_err(write_io(path))?;
    // Checked again just before the rename, which would replace anything.
    check_output(path)?;
    // On failure the temporary file is dropped, which removes it.
    tmp.persist(path).map_err(|e| WriteError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// How old a temporary file must be before [`remove_stale_temp_files`] takes it
/// for one left by a killed process (a write takes milliseconds).
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(600);

/// Whether `name` is one of our temporary files: `.<name>.<random>.kravia-tmp`,
/// or `.<name>.pdf.<pid>.tmp` as written by versions before 0.2.
fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    if rest.ends_with(TEMP_SUFFIX) {
        return true;
    }
    rest.strip_suffix(".tmp")
        .and_then(|r| r.rsplit_once('.'))
        .is_some_and(|(stem, pid)| {
            stem.ends_with(".pdf") && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Removes the temporary files of [`write_atomic`] in `dir` that were last
/// modified more than `older_than` ago (left by a killed process); returns how
/// many. Only regular files with our names are touched (see the module docs),
/// never a link; younger ones may belong to a run in progress.
pub fn remove_stale_temp_files(dir: &Path, older_than: Duration) -> usize {
    remove_stale(dir, None, older_than)
}

/// [`remove_stale_temp_files`] for the temporary files of one target `path`
/// only (`.<its name>.…`).
pub fn remove_stale_temp_files_of(path: &Path, older_than: Duration) -> usize {
    match path.file_name() {
        Some(name) => {
            let prefix = format!(".{}.", name.to_string_lossy());
            remove_stale(&parent_dir(path), Some(&prefix), older_than)
        }
        None => 0,
    }
}

fn remove_stale(dir: &Path, prefix: Option<&str>, older_than: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !is_temp_name(&name) || prefix.is_some_and(|p| !name.starts_with(p)) {
            continue;
        }
        // `DirEntry::metadata` does not follow links.
        let Ok(meta) = entry.metadata() else { continue };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > older_than);
        if meta.is_file() && stale && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `path` holds a complete PDF: a regular file that starts with
/// `%PDF-`, ends with `%%EOF` and parses. A file cut short by a kill, an empty
/// file, garbage or a directory is not.
pub fn is_complete_pdf(path: &Path) -> bool {
    let Ok(bytes) = read_regular(path, MAX_DOCUMENT_BYTES) else {
        return false;
    };
    bytes.starts_with(b"%PDF-")
        && bytes.trim_ascii_end().ends_with(b"%%EOF")
        && lopdf::Document::load_mem(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn read_regular_caps_the_size() {
        let d = tempdir();
        let p = d.path().join("x");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_regular(&p, 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&p, 4),
            Err(ReadError::TooLarge { limit: 4, .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn read_regular_refuses_devices_and_directories() {
        let e = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(
            e.to_string().contains("not a regular file (a device)"),
            "{e}"
        );
        let d = tempdir();
        let e = read_regular(d.path(), 10).unwrap_err();
        assert!(matches!(
            e,
            ReadError::NotRegular {
                kind: "directory",
                ..
            }
        ));
    }

    #[test]
    fn read_text_names_the_bad_byte() {
        let d = tempdir();
        let p = d.path().join("x");
        std::fs::write(&p, b"ab\xffc").unwrap();
        let e = read_regular_text(&p, 100).unwrap_err();
        assert!(e.to_string().ends_with("not UTF-8 text (byte 3)"), "{e}");
    }

    #[test]
    fn write_atomic_leaves_no_temporary_file() {
        let d = tempdir();
        let p = d.path().join("out.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.pdf"]);
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp_name(".A-1.pdf.Xy3kQ9aZ0b.kravia-tmp"));
        assert!(is_temp_name(".A-1.pdf.4711.tmp"));
        assert!(!is_temp_name("A-1.pdf"));
        assert!(!is_temp_name(".A-1.pdf"));
        assert!(!is_temp_name(".bashrc.tmp"));
        assert!(!is_temp_name(".A-1.pdf.x1.tmp"));
    }

    #[test]
    fn write_atomic_refuses_a_directory() {
        let d = tempdir();
        let e = write_atomic(d.path(), b"x").unwrap_err();
        assert!(matches!(e, WriteError::NotRegular { .. }), "{e}");
    }

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
    }
}
