//! Atomic file writing: a temporary file in the same folder, flushed, then renamed.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` atomically: a temporary file in the same folder
/// (`.corridor-{pid}-XXXXXX.tmp`), flushed, then renamed over the target, so a failed or killed
/// run never leaves a half-written or clobbered file. The file keeps the permissions of the file
/// it replaces (a new file gets the usual 0666 less the umask, not the temporary file's 0600).
/// A run killed while writing leaves its temporary file behind; the next successful write to the
/// same folder removes such leftovers of processes that are no longer running.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let prefix = format!("{TMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(0o666));
        mode
    };
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        // Best effort: the write itself matters more than the mode.
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot move the output into place at {}", path.display()))?;
    remove_stale_temporaries(dir);
    Ok(())
}

const TMP_PREFIX: &str = ".corridor-";
const TMP_SUFFIX: &str = ".tmp";

/// Removes `.corridor-{pid}-*.tmp` files in `dir` left by killed runs: those of processes that no
/// longer exist (Linux, via /proc), elsewhere those older than a day. Errors are ignored.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    let procfs = Path::new("/proc/self").exists();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(TMP_PREFIX)
            .and_then(|r| r.strip_suffix(TMP_SUFFIX))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(p) if p == me => false,
            Some(p) if procfs => !Path::new("/proc").join(p.to_string()).exists(),
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600),
        };
        if stale && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes files with [`write_atomic`] on a thread of its own, in the order they are handed in,
/// so the caller computes on while each file is flushed to disk (`corridor report` writes some
/// sixty files, each synced). After the first error nothing more is written;
/// [`Background::finish`] waits for the last file and returns that error.
pub struct Background {
    tx: Option<std::sync::mpsc::Sender<(PathBuf, Vec<u8>)>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Background {
    pub fn new() -> Background {
        let (tx, rx) = std::sync::mpsc::channel::<(PathBuf, Vec<u8>)>();
        let thread = std::thread::spawn(move || -> Result<()> {
            for (path, bytes) in rx {
                write_atomic(&path, &bytes)?;
            }
            Ok(())
        });
        Background {
            tx: Some(tx),
            thread: Some(thread),
        }
    }

    /// Queues `contents` for `path`.
    pub fn write(&self, path: PathBuf, contents: Vec<u8>) {
        if let Some(tx) = &self.tx {
            // A closed channel means the writer stopped at an error, which `finish` returns.
            let _ = tx.send((path, contents));
        }
    }

    /// Waits until every queued file is written; the first error, if any.
    pub fn finish(mut self) -> Result<()> {
        self.tx = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Ok(()),
        }
    }
}

impl Default for Background {
    fn default() -> Self {
        Background::new()
    }
}

impl Drop for Background {
    /// Dropped without [`Background::finish`] (the caller failed): the files queued are still
    /// written before the process goes on.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Sends output to `out` (atomically) or to standard output.
pub fn emit(out: Option<&Path>, contents: &str) -> Result<()> {
    match out {
        Some(p) => write_atomic(p, contents.as_bytes()),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match lock
                .write_all(contents.as_bytes())
                .and_then(|_| lock.flush())
            {
                Ok(()) => Ok(()),
                // A closed pipe (`corridor routes | head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(e).context("cannot write to standard output"),
            }
        }
    }
}
