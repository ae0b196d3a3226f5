//! Running the binary with a pseudo-terminal as stdout or stderr (what only a
//! terminal shows, or refuses), and sending it signals.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::fs::OFlags;
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};

/// A pseudo-terminal: give [`Pty::slave`] to the child, read what it wrote
/// with [`Pty::text`].
pub struct Pty {
    slave: PathBuf,
    written: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    /// A new terminal, 200 columns wide.
    pub fn new() -> Pty {
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).expect("openpt");
        grantpt(&master).expect("grantpt");
        unlockpt(&master).expect("unlockpt");
        let slave = PathBuf::from(
            ptsname(&master, Vec::new())
                .expect("ptsname")
                .to_string_lossy()
                .into_owned(),
        );
        tcsetwinsize(
            &master,
            Winsize {
                ws_row: 24,
                ws_col: 200,
                ws_xpixel: 0,
                ws_ypixel: 0,
            },
        )
        .expect("window size");
        let written = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&written);
        let mut master = File::from(master);
        // Reads until every handle on the slave is closed (EIO on Linux).
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = master.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            slave,
            written,
            reader: Some(reader),
        }
    }

    /// A handle on the terminal for a child's stdin, stdout or stderr.
    pub fn slave(&self) -> Stdio {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(OFlags::NOCTTY.bits() as i32)
            .open(&self.slave)
            .expect("open the pty slave")
            .into()
    }

    /// What was written to the terminal so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.written.lock().unwrap()).into_owned()
    }

    /// Everything written, once the child (the last holder of the slave) has
    /// exited.
    pub fn finish(mut self) -> String {
        if let Some(r) = self.reader.take() {
            // The child is gone; the reader sees EIO soon. Bounded anyway.
            let deadline = Instant::now() + Duration::from_secs(10);
            while !r.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        self.text()
    }
}

/// Sends SIGINT, as Ctrl-C on a terminal does.
pub fn interrupt(child: &Child) {
    rustix::process::kill_process(
        rustix::process::Pid::from_child(child),
        rustix::process::Signal::INT,
    )
    .expect("kill -INT");
}

/// Waits until `ready()` holds (or fails after `limit`).
pub fn wait_until(limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}
