//! The result folder: how a command's output reaches the disk without ever leaving a
//! half-written result, a mixed one, or a lost file of the user's.
//!
//! - A result is written to a temporary folder beside the target (`.NAME.tmp-PID-N`, unique per
//!   process and result, marked with [`MARKER`]) and renamed into place when complete.
//! - An existing folder is replaced only when dugnad wrote it (its `manifest.json` or
//!   `sweep.json` says so, and it holds nothing else) and `--force` is given; an empty folder
//!   is written into; any other folder is refused, `--force` or not ([`OutputError::Foreign`]).
//! - A lock file beside the target (`.NAME.lock`, an OS file lock) admits one dugnad at a time;
//!   a second one is refused at once ([`OutputError::Busy`]) rather than mixing the folder.
//! - SIGINT, SIGTERM and SIGHUP remove the temporary folders and locks of the process and exit
//!   with 128 + the signal (130, 143, 129).
//! - Temporary folders of dugnad processes that died (`kill -9`, a crash, a power cut) are removed
//!   by the next dugnad that writes into the same parent folder: only folders carrying the
//!   marker, written on this host, by a process that no longer exists.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

/// A refused overwrite or an unusable output path: the user must choose (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0} already exists; pass --force to replace it, or -o DIR to write elsewhere")]
    Exists(PathBuf),
    #[error("{0} is not a folder dugnad can write a result to: {1}")]
    Unusable(PathBuf, String),
    #[error(
        "{dir} {what}: {}; dugnad writes only into an empty folder or replaces a result folder it \
         wrote itself, --force or not. Choose another folder with -o DIR, or move those files away",
        list(.entries)
    )]
    Foreign {
        dir: PathBuf,
        /// Why the folder is not dugnad's, in words.
        what: String,
        /// The entries dugnad did not write.
        entries: Vec<String>,
    },
    #[error(
        "another dugnad{} is writing to {dir}; wait for it to finish, or write elsewhere with -o DIR",
        .pid.map(|p| format!(" (process {p})")).unwrap_or_default()
    )]
    Busy { dir: PathBuf, pid: Option<u32> },
}

fn list(entries: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = entries
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if entries.len() > SHOWN {
        s.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    s
}

/// Name of the marker file inside a temporary folder: its process id and host, so that a later
/// run can tell a dead run's leftovers (see [`remove_stale`]).
pub const MARKER: &str = ".dugnad-temporary";

/// Entries an operating system's file browser leaves in folders; never a reason to refuse.
const OS_LITTER: &[&str] = &[".DS_Store", "Thumbs.db", "desktop.ini"];

/// Entries dugnad writes into result folders besides those its manifest lists (the marker
/// only if a replacement was interrupted).
const ALWAYS_OURS: &[&str] = &[
    MARKER,
    "manifest.json",
    "sweep.json",
    "cells",
    "charts",
    "report.html",
];

// ---------------------------------------------------------------------------------------------
// What a target holds
// ---------------------------------------------------------------------------------------------

/// What an output path holds now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    /// Nothing there.
    Nothing,
    /// An empty folder (or one with only OS litter).
    Empty,
    /// A folder dugnad wrote, holding only what dugnad writes.
    Dugnad,
    /// A folder with something dugnad did not write: why, and those entries.
    Foreign(String, Vec<String>),
}

/// The entries of a folder, sorted, without OS litter.
fn entries(dir: &Path) -> Result<Vec<String>> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let name = e?.file_name().to_string_lossy().to_string();
        if !OS_LITTER.contains(&name.as_str()) {
            v.push(name);
        }
    }
    v.sort();
    Ok(v)
}

/// The files a dugnad manifest lists (first path component), if `dir/manifest.json` is one.
fn manifest_files(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("dugnad_version")?.as_str()?;
    let files = v.get("files").and_then(|f| f.as_array());
    Some(
        files
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
            .filter_map(|f| f.split('/').next().map(str::to_string))
            .collect(),
    )
}

/// Whether `dir/sweep.json` is a dugnad sweep definition.
fn is_sweep(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("sweep.json")) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("format")?
                .as_str()
                .map(|f| f.starts_with("dugnad-sweep"))
        })
        .unwrap_or(false)
}

/// What `target` holds: nothing, an empty folder, a dugnad result folder, or something else.
/// A file or a symbolic link there is an [`OutputError::Unusable`].
pub fn inspect(target: &Path) -> Result<Holds> {
    let meta = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Holds::Nothing),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", target.display())),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::Unusable(
            target.to_path_buf(),
            "it is a symbolic link; pass the folder it points to".into(),
        )
        .into());
    }
    if !meta.is_dir() {
        return Err(OutputError::Unusable(target.to_path_buf(), "it is a file".into()).into());
    }
    let present = entries(target)?;
    if present.is_empty() {
        return Ok(Holds::Empty);
    }
    let listed = manifest_files(target);
    if listed.is_none() && !is_sweep(target) {
        return Ok(Holds::Foreign(
            "is not empty and not a result folder of dugnad (no manifest.json or sweep.json of dugnad's)"
                .into(),
            present,
        ));
    }
    let foreign: Vec<String> = present
        .into_iter()
        .filter(|e| !ALWAYS_OURS.contains(&e.as_str()) && !listed.iter().flatten().any(|l| l == e))
        .collect();
    if foreign.is_empty() {
        Ok(Holds::Dugnad)
    } else {
        Ok(Holds::Foreign(
            "is a dugnad result folder with files dugnad did not write".into(),
            foreign,
        ))
    }
}

/// Checks that a result may be written to `target`: it is absent or empty, or it is dugnad's
/// and `force` is given. Returns what it holds.
pub fn check_target(target: &Path, force: bool) -> Result<Holds> {
    let holds = inspect(target)?;
    match &holds {
        Holds::Nothing | Holds::Empty => {}
        Holds::Dugnad if force => {}
        Holds::Dugnad => return Err(OutputError::Exists(target.to_path_buf()).into()),
        Holds::Foreign(what, entries) => {
            return Err(OutputError::Foreign {
                dir: target.to_path_buf(),
                what: what.clone(),
                entries: entries.clone(),
            }
            .into())
        }
    }
    Ok(holds)
}

/// Removes a result folder dugnad wrote (for `--force` on a resumable folder): refuses any other
/// folder like [`check_target`]. The folder is first renamed to a marked temporary name, so an
/// interruption never leaves half of it at the target.
pub fn remove_result(target: &Path) -> Result<()> {
    if check_target(target, true)? == Holds::Nothing {
        return Ok(());
    }
    let (parent, name) = split(target)?;
    let doomed = temporary_name(&parent, &name);
    mark(target)?;
    std::fs::rename(target, &doomed)
        .with_context(|| format!("cannot move {} aside", target.display()))?;
    let _guard = Registered::folder(&doomed);
    remove_marked(&doomed).with_context(|| format!("cannot remove {}", doomed.display()))
}

// ---------------------------------------------------------------------------------------------
// Names, markers, stale folders
// ---------------------------------------------------------------------------------------------

/// Parent folder and file name of a target (`-o .` and the like are resolved first).
fn split(target: &Path) -> Result<(PathBuf, String)> {
    let resolved;
    let t = match target.file_name() {
        Some(_) => target,
        None => {
            resolved = std::fs::canonicalize(target)
                .with_context(|| format!("cannot resolve {}", target.display()))?;
            &resolved
        }
    };
    let name = t
        .file_name()
        .ok_or_else(|| OutputError::Unusable(target.to_path_buf(), "it has no folder name".into()))?
        .to_string_lossy()
        .to_string();
    let parent = match t.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// A fresh temporary name beside a target: `.NAME.tmp-PID-N`.
fn temporary_name(parent: &Path, name: &str) -> PathBuf {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    parent.join(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// This host's name (empty when unknown).
fn host() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; gethostname NUL-terminates on success.
        let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
        if ok {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).to_string();
        }
    }
    String::new()
}

/// Writes the marker into a folder: this process's id and host.
fn mark(dir: &Path) -> Result<()> {
    let text = format!(
        "A temporary folder of dugnad: it is removed by the next dugnad run into the folder around it once \
         this process has ended.\npid={}\nhost={}\n",
        std::process::id(),
        host()
    );
    let p = dir.join(MARKER);
    std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))
}

/// (pid, host) of a marker file.
fn read_marker(dir: &Path) -> Option<(u32, String)> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(str::to_string)
    };
    Some((field("pid=")?.trim().parse().ok()?, field("host=")?))
}

/// Whether process `pid` exists (on this host). Unknown → yes, so nothing is removed.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 only checks that the process exists and may be signalled.
        if unsafe { libc::kill(p, 0) } == 0 {
            return true;
        }
        std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes a marked folder with its marker last, so that an interrupted removal leaves a folder
/// that is still recognised as dugnad's leftover. Retries while a writer is still adding files.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    let mut last = Ok(());
    for _ in 0..5 {
        last = (|| {
            for e in std::fs::read_dir(dir)? {
                let e = e?;
                if e.file_name() == MARKER {
                    continue;
                }
                if e.file_type()?.is_dir() {
                    std::fs::remove_dir_all(e.path())?;
                } else {
                    std::fs::remove_file(e.path())?;
                }
            }
            match std::fs::remove_file(dir.join(MARKER)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            std::fs::remove_dir(dir)
        })();
        match &last {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    last
}

/// Removes, from `parent`, the temporary folders of dugnad processes of this host that no longer
/// exist (those carrying [`MARKER`]) and their stale lock files. Returns the names removed.
/// Anything else is left alone; errors are ignored (another run may be removing the same).
pub fn remove_stale(parent: &Path) -> Vec<String> {
    let mut removed = Vec::new();
    let Ok(dir) = std::fs::read_dir(parent) else {
        return removed;
    };
    let me = host();
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !name.starts_with('.') {
            continue;
        }
        let path = e.path();
        if name.contains(".tmp-") && e.file_type().is_ok_and(|t| t.is_dir()) {
            if let Some((pid, h)) = read_marker(&path) {
                if h == me
                    && pid != std::process::id()
                    && !alive(pid)
                    && remove_marked(&path).is_ok()
                {
                    removed.push(name);
                }
            }
        } else if name.ends_with(".lock") && remove_stale_lock(&path) {
            removed.push(name);
        }
    }
    removed
}

// ---------------------------------------------------------------------------------------------
// Locks
// ---------------------------------------------------------------------------------------------

/// An OS lock on `.NAME.lock` beside a target: while it is held, no other dugnad writes to the
/// target. Released (and the file removed) when dropped, and by the OS when the process dies.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: File,
    _registered: Registered,
}

const LOCK_TAG: &str = "dugnad lock";

/// Whether `file` is still the file at `path` (not replaced or removed since it was opened).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Removes a dugnad lock file nobody holds. Holding its lock while unlinking it is what makes
/// this safe: a process that opened the same file retries after it gets the lock (see
/// [`lock`]).
fn remove_stale_lock(path: &Path) -> bool {
    let Ok(mut f) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    else {
        return false;
    };
    let mut text = String::new();
    if f.read_to_string(&mut text).is_err() || !text.starts_with(LOCK_TAG) {
        return false;
    }
    if f.try_lock().is_err() || !same_file(&f, path) {
        return false;
    }
    std::fs::remove_file(path).is_ok()
}

/// Takes the lock of `target` (after removing stale leftovers in its parent folder), or fails
/// at once with [`OutputError::Busy`] when another dugnad holds it. Creates the parent folder.
pub fn lock(target: &Path) -> Result<FolderLock> {
    on_interrupt_clean_up();
    let (parent, name) = split(target)?;
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    remove_stale(&parent);
    let path = parent.join(format!(".{name}.lock"));
    loop {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot create the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let pid = text
                    .lines()
                    .find_map(|l| l.strip_prefix("pid="))
                    .and_then(|p| p.trim().parse().ok());
                return Err(OutputError::Busy {
                    dir: target.to_path_buf(),
                    pid,
                }
                .into());
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
        // Another process may have removed (and someone re-created) the file between our open
        // and our lock: then this lock guards nothing, so start over.
        if !same_file(&file, &path) {
            continue;
        }
        file.set_len(0)?;
        write!(file, "{LOCK_TAG}\npid={}\n", std::process::id())?;
        return Ok(FolderLock {
            _registered: Registered::file(&path),
            path,
            file,
        });
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Unlink while still holding the lock (see remove_stale_lock), then release.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

// ---------------------------------------------------------------------------------------------
// Interrupts
// ---------------------------------------------------------------------------------------------

/// What an interrupt must remove: temporary folders, temporary files, lock files.
#[derive(Default)]
struct Cleanup {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

static CLEANUP: Mutex<Cleanup> = Mutex::new(Cleanup {
    folders: Vec::new(),
    files: Vec::new(),
});

fn cleanup() -> std::sync::MutexGuard<'static, Cleanup> {
    CLEANUP.lock().unwrap_or_else(|e| e.into_inner())
}

/// A path on the interrupt's list while this lives.
#[derive(Debug)]
struct Registered {
    path: PathBuf,
    folder: bool,
}

impl Registered {
    fn folder(p: &Path) -> Registered {
        cleanup().folders.push(p.to_path_buf());
        Registered {
            path: p.to_path_buf(),
            folder: true,
        }
    }
    fn file(p: &Path) -> Registered {
        cleanup().files.push(p.to_path_buf());
        Registered {
            path: p.to_path_buf(),
            folder: false,
        }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut c = cleanup();
        let list = if self.folder {
            &mut c.folders
        } else {
            &mut c.files
        };
        if let Some(i) = list.iter().rposition(|p| *p == self.path) {
            list.swap_remove(i);
        }
    }
}

/// Whether this process's interrupt handling is settled: the handler installed, or left to a
/// host program.
static INTERRUPTS: Once = Once::new();

/// Leaves SIGINT, SIGTERM and SIGHUP to the program dugnad runs inside (the Python package: an
/// interrupt there is the host's `KeyboardInterrupt`, not the end of the process), so that
/// [`on_interrupt_clean_up`] installs nothing. Temporary folders, files and locks are still
/// removed when the values owning them are dropped. Call it before any result is written.
pub fn leave_interrupts_to_host() {
    INTERRUPTS.call_once(|| {});
}

/// Installs (once per process, unless [`leave_interrupts_to_host`] was called first) the handler
/// of SIGINT, SIGTERM and SIGHUP: it removes every registered temporary folder, temporary file
/// and lock file, and exits with 128 + the signal number. Called by [`ResultDir::create`],
/// [`lock`] and [`write_file_atomic`].
pub fn on_interrupt_clean_up() {
    INTERRUPTS.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("dugnad-interrupt".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        // Held until exit, so that no result is committed half-way meanwhile.
                        let c = cleanup();
                        for f in &c.folders {
                            let _ = remove_marked(f);
                        }
                        for f in &c.files {
                            let _ = std::fs::remove_file(f);
                        }
                        let _ = std::io::stderr().flush();
                        std::process::exit(128 + sig);
                    }
                });
        }
    });
}

// ---------------------------------------------------------------------------------------------
// The result folder
// ---------------------------------------------------------------------------------------------

/// A result folder being written: a marked temporary folder beside the target, the target's
/// lock, and whether an existing dugnad result may be replaced.
#[derive(Debug)]
pub struct ResultDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    _registered: Registered,
    _lock: FolderLock,
}

impl ResultDir {
    /// Starts writing a result that will end up at `target`: takes its lock, removes stale
    /// leftovers beside it, and refuses at once when the target cannot be replaced (see
    /// [`check_target`]), before any work is spent.
    pub fn create(target: &Path, force: bool) -> Result<ResultDir> {
        on_interrupt_clean_up();
        let lock = lock(target)?;
        check_target(target, force)?;
        let (parent, name) = split(target)?;
        let tmp = temporary_name(&parent, &name);
        let registered = Registered::folder(&tmp);
        std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        mark(&tmp)?;
        Ok(ResultDir {
            target: target.to_path_buf(),
            tmp,
            force,
            _registered: registered,
            _lock: lock,
        })
    }

    /// The temporary folder files go to.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file into the temporary folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let p = self.tmp.join(name);
        std::fs::write(&p, bytes)
            .with_context(|| format!("cannot write {} (is the disk full?)", p.display()))
    }

    /// Renames the finished folder into place, replacing an old dugnad result only with force.
    /// The target is checked again (it may have changed while the result was computed).
    pub fn commit(self) -> Result<PathBuf> {
        let holds = check_target(&self.target, self.force)?;
        std::fs::remove_file(self.tmp.join(MARKER))
            .with_context(|| format!("cannot finish {}", self.tmp.display()))?;
        let placed = match holds {
            Holds::Nothing | Holds::Empty => {
                std::fs::rename(&self.tmp, &self.target).with_context(|| {
                    format!(
                        "cannot rename {} into place (did something write into {} meanwhile?)",
                        self.tmp.display(),
                        self.target.display()
                    )
                })
            }
            _ => self.replace(),
        };
        if let Err(e) = placed {
            let _ = mark(&self.tmp);
            return Err(e);
        }
        Ok(self.target.clone())
    }

    /// Swaps the finished folder with the old result and removes the old one.
    fn replace(&self) -> Result<()> {
        // The old result carries the marker from here on, so that if this process dies while
        // removing it, the next run removes the rest.
        mark(&self.target)?;
        if exchange(&self.tmp, &self.target).is_ok() {
            return remove_marked(&self.tmp)
                .with_context(|| format!("cannot remove the old result {}", self.tmp.display()));
        }
        // No atomic exchange on this system: move the old aside, then the new in.
        let moved = self.move_aside_and_in();
        if moved.is_err() {
            // The old result is (back) in place: it is not a leftover.
            let _ = std::fs::remove_file(self.target.join(MARKER));
        }
        moved
    }

    fn move_aside_and_in(&self) -> Result<()> {
        let (parent, name) = split(&self.target)?;
        let old = temporary_name(&parent, &name);
        let _guard = Registered::folder(&old);
        std::fs::rename(&self.target, &old)
            .with_context(|| format!("cannot move the old {} aside", self.target.display()))?;
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(e)
                .with_context(|| format!("cannot rename {} into place", self.tmp.display()));
        }
        remove_marked(&old).with_context(|| format!("cannot remove {}", old.display()))
    }
}

/// Atomically swaps two folders (Linux `renameat2(RENAME_EXCHANGE)`); an error where the system
/// or the file system cannot.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both paths are valid NUL-terminated strings for the duration of the call.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

impl Drop for ResultDir {
    fn drop(&mut self) {
        // An abandoned result (error before commit) leaves nothing behind.
        if self.tmp.exists() {
            let _ = remove_marked(&self.tmp);
        }
    }
}

/// Writes a single file atomically: a temporary file beside it (unique per process and call),
/// then a rename. An interrupt removes the temporary file.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    on_interrupt_clean_up();
    let tmp = path.with_extension(format!(
        "{}{}-{}.tmp",
        path.extension()
            .map(|e| format!("{}.", e.to_string_lossy()))
            .unwrap_or_default(),
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let _registered = Registered::file(&tmp);
    let written = std::fs::write(&tmp, bytes)
        .with_context(|| format!("cannot write {} (is the disk full?)", tmp.display()))
        .and_then(|()| {
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    fn manifest(files: &[&str]) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "dugnad_version": "0", "files": files })).unwrap()
    }

    #[test]
    fn refuses_to_overwrite_without_force_and_cleans_up_abandoned_results() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        let r = ResultDir::create(&target, false).unwrap();
        r.write("a.csv", b"x").unwrap();
        r.write("manifest.json", &manifest(&["a.csv"])).unwrap();
        r.commit().unwrap();
        assert!(ResultDir::create(&target, false).is_err());
        {
            let r = ResultDir::create(&target, true).unwrap();
            r.write("b.csv", b"y").unwrap();
            // dropped without commit
        }
        assert!(target.join("a.csv").exists());
        assert_eq!(
            names(dir.path()),
            ["run"],
            "only the committed result remains"
        );
        assert_eq!(
            names(&target),
            ["a.csv", "manifest.json"],
            "no marker in a result"
        );
    }

    #[test]
    fn force_replaces_a_dugnad_folder_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(
            target.join("manifest.json"),
            manifest(&["a.csv", "charts/x.png"]),
        )
        .unwrap();
        std::fs::write(target.join("a.csv"), "old").unwrap();
        std::fs::create_dir(target.join("charts")).unwrap();
        std::fs::write(target.join(".DS_Store"), "").unwrap();
        assert_eq!(inspect(&target).unwrap(), Holds::Dugnad);
        let r = ResultDir::create(&target, true).unwrap();
        r.write("a.csv", b"new").unwrap();
        r.write("manifest.json", &manifest(&["a.csv"])).unwrap();
        r.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a.csv")).unwrap(),
            "new"
        );
        assert_eq!(names(dir.path()), ["r"]);

        std::fs::write(target.join("thesis.txt"), "mine").unwrap();
        let e = ResultDir::create(&target, true).unwrap_err();
        assert!(
            matches!(e.downcast_ref(), Some(OutputError::Foreign { entries, .. }) if entries == &["thesis.txt"]),
            "{e}"
        );
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("manifest.json"), "{\"name\": \"not dugnad\"}").unwrap();
        assert!(matches!(inspect(&other).unwrap(), Holds::Foreign(..)));
        assert!(remove_result(&other).is_err() && other.join("manifest.json").exists());
        remove_result(&dir.path().join("absent")).unwrap();
        std::fs::remove_file(target.join("thesis.txt")).unwrap();
        remove_result(&target).unwrap();
        assert_eq!(names(dir.path()), ["other"]);
    }

    #[test]
    fn without_an_atomic_exchange_the_old_result_is_moved_aside_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r");
        for (i, how) in ["exchange", "aside"].iter().enumerate() {
            let r = ResultDir::create(&target, true).unwrap();
            r.write("a.csv", i.to_string().as_bytes()).unwrap();
            r.write("manifest.json", &manifest(&["a.csv"])).unwrap();
            if i == 0 {
                r.commit().unwrap();
                continue;
            }
            std::fs::remove_file(r.tmp.join(MARKER)).unwrap();
            mark(&target).unwrap();
            r.move_aside_and_in().unwrap();
            drop(r);
            assert_eq!(
                std::fs::read_to_string(target.join("a.csv")).unwrap(),
                "1",
                "{how}"
            );
        }
        assert_eq!(names(dir.path()), ["r"]);
        assert_eq!(names(&target), ["a.csv", "manifest.json"]);
    }

    #[test]
    fn a_held_lock_refuses_a_second_writer_and_is_gone_after() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x");
        let a = ResultDir::create(&target, false).unwrap();
        let e = ResultDir::create(&target, false).unwrap_err();
        assert!(
            matches!(e.downcast_ref(), Some(OutputError::Busy { pid: Some(p), .. }) if *p == std::process::id()),
            "{e}"
        );
        drop(a);
        assert_eq!(names(dir.path()), Vec::<String>::new());
        // A lock file left by a dead process is taken over.
        std::fs::write(dir.path().join(".x.lock"), format!("{LOCK_TAG}\npid=1\n")).unwrap();
        let b = ResultDir::create(&target, false).unwrap();
        b.commit().unwrap();
        assert_eq!(names(dir.path()), ["x"]);
    }

    #[test]
    fn stale_folders_need_the_marker_a_dead_process_and_this_host() {
        let dir = tempfile::tempdir().unwrap();
        let make = |name: &str, marker: Option<String>| {
            let p = dir.path().join(name);
            std::fs::create_dir(&p).unwrap();
            std::fs::write(p.join("x.csv"), "1").unwrap();
            if let Some(m) = marker {
                std::fs::write(p.join(MARKER), m).unwrap();
            }
        };
        // A process id that is surely gone: a child that has exited.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let h = host();
        make(".a.tmp-1-0", Some(format!("x\npid={dead}\nhost={h}\n")));
        make(".b.tmp-1-0", None);
        make(
            ".c.tmp-1-0",
            Some(format!("x\npid={}\nhost={h}\n", std::process::id())),
        );
        make(
            ".d.tmp-1-0",
            Some(format!("x\npid={dead}\nhost=elsewhere-{h}\n")),
        );
        make("e.tmp-1-0", Some(format!("x\npid={dead}\nhost={h}\n")));
        assert_eq!(remove_stale(dir.path()), [".a.tmp-1-0"]);
        assert_eq!(
            names(dir.path()),
            [".b.tmp-1-0", ".c.tmp-1-0", ".d.tmp-1-0", "e.tmp-1-0"]
        );
    }

    #[test]
    fn atomic_files_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_file_atomic(&p, b"1").unwrap();
        write_file_atomic(&p, b"2").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "2");
        assert_eq!(names(dir.path()), ["a.csv"]);
        assert!(write_file_atomic(&dir.path().join("no/such/b.csv"), b"x").is_err());
    }
}
