//! The inbox: a folder the employee copies exports into (default
//! `~/Kluis-inbox`), and its quarantine beside it.
//!
//! An entry (a file, or a folder dropped as a whole) is taken once it is
//! complete: nothing has touched it for the settle time (its change time,
//! which copy tools cannot set back, is that old, or its size and times did
//! not change while Kluis watched), and a `.zip` opens. After its import is
//! committed the plaintext is overwritten and removed. What cannot be
//! imported moves to the quarantine with a note saying why; what fails for
//! the machine's reasons (a full disk) stays and is tried again.
//!
//! Overwriting reaches the disk blocks only on file systems that write in
//! place (ext4 on a hard disk). An SSD remaps writes and a copy-on-write file
//! system (btrfs) writes elsewhere, so the old blocks stay until reused; the
//! inbox belongs on an encrypted disk (README.md, "Getting chats in").

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use kluis_vault::Session;
use kluis_vault::store::{Store, StoreError};
use notify::{RecursiveMode, Watcher};

use super::{ImportError, ImportReport, import_file, source};

/// What is watched and where refused files go.
#[derive(Clone, Debug)]
pub struct Inbox {
    dir: PathBuf,
    quarantine: PathBuf,
    /// How long an entry must be left alone before it is taken.
    settle: Duration,
    /// How long a `.zip` that does not open is waited for before it is
    /// imported anyway (and refused with the reason).
    zip_patience: Duration,
}

/// What happened to one entry of the inbox.
#[derive(Debug)]
pub enum Outcome {
    /// Imported. `left_behind` says what stayed in the inbox and why, when
    /// not all of it could be removed.
    Imported {
        entry: PathBuf,
        reports: Vec<ImportReport>,
        left_behind: Vec<Remains>,
    },
    /// Moved to the quarantine, with the reason written beside it.
    Quarantined {
        entry: PathBuf,
        moved_to: PathBuf,
        reason: Reason,
    },
    /// Not imported for the machine's reasons; stays and is tried again.
    Failed { entry: PathBuf, error: ImportError },
}

/// Why a file went to the quarantine: a stable kind (see
/// [`ImportError::kind`], or `stray`) and the reason in words, for IT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub kind: String,
    pub text: String,
    /// The export's line it is about, if one.
    pub line: Option<usize>,
}

impl Reason {
    fn of(error: &ImportError) -> Self {
        Self {
            kind: error.kind().to_owned(),
            text: error.to_string(),
            line: match error {
                ImportError::NotAnExport(why) => why.line(),
                _ => None,
            },
        }
    }

    fn stray() -> Self {
        Self {
            kind: STRAY.to_owned(),
            text: "no chat in the folder it came in refers to it".to_owned(),
            line: None,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The kind of a file no chat in its folder refers to.
pub const STRAY: &str = "stray";

/// What of an imported entry stayed behind, and why.
#[derive(Debug)]
pub enum Remains {
    /// It changed while it was imported: it is read again.
    Changed,
    /// It could not be removed from the inbox.
    NotRemoved(io::Error),
    /// A file of the folder was set aside in the quarantine.
    SetAside { file: String, reason: Reason },
    /// A file of the folder could not be set aside either.
    NotSetAside { file: String, error: io::Error },
    /// Removed from the inbox but not overwritten: the same file has
    /// another name (a hard link), which keeps its bytes.
    NotOverwritten { file: String },
}

impl std::fmt::Display for Remains {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Changed => f.write_str("it changed while it was imported; it will be read again"),
            Self::NotRemoved(e) => write!(f, "it could not be removed from the inbox: {e}"),
            Self::SetAside { file, reason } => write!(f, "{file} was set aside: {reason}"),
            Self::NotSetAside { file, error } => {
                write!(f, "{file} could not be set aside: {error}")
            }
            Self::NotOverwritten { file } => write!(
                f,
                "{file} was removed but not overwritten: it has another name (a hard link) \
                 elsewhere, which still holds its bytes"
            ),
        }
    }
}

/// A file in the quarantine and why it is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantined {
    pub path: PathBuf,
    /// As the note beside it says; `None` when the note is missing or was
    /// written by hand.
    pub reason: Option<Reason>,
}

/// A file or folder's state: equal fingerprints mean nothing was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Fingerprint {
    size: u64,
    files: u64,
    /// A regular file or a folder: what may be waited for and opened.
    regular: bool,
    /// The latest change time below it (nanoseconds since 1970).
    changed: i128,
}

impl Inbox {
    /// The inbox at `dir`, its quarantine beside it: `Kluis-inbox` gets
    /// `Kluis-quarantine`, any other name `<name>-quarantine`.
    pub fn at(dir: &Path) -> Self {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "inbox".into());
        let quarantine_name = match name.strip_suffix("-inbox") {
            Some(stem) => format!("{stem}-quarantine"),
            None => format!("{name}-quarantine"),
        };
        Self {
            quarantine: dir.with_file_name(quarantine_name),
            dir: dir.to_owned(),
            settle: Duration::from_secs(2),
            zip_patience: Duration::from_secs(60),
        }
    }

    /// The folder IT set in the vault ([`DIR_SETTING`]), else `~/Kluis-inbox`.
    pub fn configured_dir(store: &Store, home: &Path) -> Result<PathBuf, StoreError> {
        Ok(store
            .setting(DIR_SETTING)?
            .map_or_else(|| home.join("Kluis-inbox"), PathBuf::from))
    }

    /// How long an entry must be left alone before it is taken.
    pub fn settle_time(&self) -> Duration {
        self.settle
    }

    /// Sets the settle time.
    pub fn settle(mut self, settle: Duration) -> Self {
        self.settle = settle;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn quarantine(&self) -> &Path {
        &self.quarantine
    }

    /// Creates both folders (private to the user) if they are missing.
    pub fn prepare(&self) -> io::Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        for dir in [&self.dir, &self.quarantine] {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        Ok(())
    }

    /// What lies in the inbox to be taken, sorted: every entry but hidden
    /// ones (a file manager's or a copy tool's own).
    pub fn entries(&self) -> io::Result<Vec<PathBuf>> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let path = entry?.path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                entries.push(path);
            }
        }
        entries.sort();
        Ok(entries)
    }

    /// Files in the quarantine with their reasons, oldest first.
    pub fn quarantined(&self) -> io::Result<Vec<Quarantined>> {
        let mut found = Vec::new();
        for entry in fs::read_dir(&self.quarantine)? {
            let path = entry?.path();
            let name = path.to_string_lossy();
            if name.ends_with(REASON_SUFFIX) {
                continue;
            }
            let note = fs::read_to_string(reason_path(&path)).unwrap_or_default();
            found.push(Quarantined {
                path,
                reason: read_note(&note),
            });
        }
        found.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(found)
    }
}

/// The vault setting that names the inbox folder.
pub const DIR_SETTING: &str = "inbox.dir";

const REASON_SUFFIX: &str = ".why-not-imported.txt";
const REASON_LINE: &str = "Reason: ";
const KIND_LINE: &str = "Kind: ";
const LINE_LINE: &str = "Line: ";

/// The reason a quarantine note gives, if it is one Kluis wrote.
fn read_note(note: &str) -> Option<Reason> {
    let line = |prefix: &str| {
        note.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::to_owned)
    };
    Some(Reason {
        text: line(REASON_LINE)?,
        kind: line(KIND_LINE)?,
        line: line(LINE_LINE).and_then(|n| n.parse().ok()),
    })
}

fn reason_path(entry: &Path) -> PathBuf {
    let mut name = entry.as_os_str().to_owned();
    name.push(REASON_SUFFIX);
    PathBuf::from(name)
}

/// Watches an inbox and imports what becomes complete.
#[derive(Debug)]
pub struct Watch {
    inbox: Inbox,
    /// Per entry: its fingerprint and since when it has not changed.
    seen: HashMap<PathBuf, (Fingerprint, Instant)>,
    /// Entries imported but not removable (a read-only inbox): not again.
    done: HashSet<(PathBuf, Fingerprint)>,
    /// Looks at the folder so far: what an idle inbox must not raise.
    passes: u64,
}

impl Watch {
    pub fn new(inbox: Inbox) -> Self {
        Self {
            inbox,
            seen: HashMap::new(),
            done: HashSet::new(),
            passes: 0,
        }
    }

    pub fn inbox(&self) -> &Inbox {
        &self.inbox
    }

    /// How many times the folder was looked at.
    pub fn passes(&self) -> u64 {
        self.passes
    }

    /// Looks at the inbox once and imports every entry that is complete.
    /// Returns what happened, and whether entries are still settling.
    pub fn pass(&mut self, session: &mut Session, now: i64) -> io::Result<(Vec<Outcome>, bool)> {
        self.pass_with(&mut |path| import_file(session, path, now), now)
    }

    /// [`Watch::pass`] with the import of one export file handed in, for a
    /// caller that holds the session one file at a time (the desk).
    pub fn pass_with(
        &mut self,
        import: &mut dyn FnMut(&Path) -> Result<ImportReport, ImportError>,
        now: i64,
    ) -> io::Result<(Vec<Outcome>, bool)> {
        self.passes += 1;
        let entries = self.inbox.entries()?;
        let mut outcomes = Vec::new();
        let mut waiting = false;
        let present: HashSet<PathBuf> = entries.iter().cloned().collect();
        self.seen.retain(|path, _| present.contains(path));
        for path in entries {
            let print = match fingerprint(&path) {
                Ok(print) => print,
                // Gone between listing and looking: next pass.
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                // Never passed over in silence: set aside, or reported.
                Err(e) => {
                    let error = ImportError::from_listing(e);
                    outcomes.push(self.not_imported(&path, error, now));
                    continue;
                }
            };
            if self.done.contains(&(path.clone(), print)) {
                continue;
            }
            if !print.regular {
                // A link, a pipe, a device: nothing to wait for, never opened.
                outcomes.push(self.take(import, &path, print, now));
                continue;
            }
            match self.readiness(&path, print) {
                Readiness::Settling => waiting = true,
                Readiness::Ready => outcomes.push(self.take(import, &path, print, now)),
            }
        }
        Ok((outcomes, waiting))
    }

    fn readiness(&mut self, path: &Path, print: Fingerprint) -> Readiness {
        let now = Instant::now();
        let since = match self.seen.get(path) {
            Some(&(seen, since)) if seen == print => since,
            _ => {
                self.seen.insert(path.to_owned(), (print, now));
                now
            }
        };
        let quiet_on_disk = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_nanos() as i128 - print.changed)
            .is_some_and(|age| age >= self.inbox.settle.as_nanos() as i128);
        let quiet_while_watched = now.duration_since(since) >= self.inbox.settle;
        if !(quiet_on_disk || quiet_while_watched) {
            return Readiness::Settling;
        }
        // A copy that stalled (a slow stick) is quiet but not done: no
        // process may still have it open for writing.
        if open_for_writing(path) {
            return Readiness::Settling;
        }
        // A zip is complete when it opens, or after long enough unchanged.
        if is_zip(path) && !zip_opens(path) && now.duration_since(since) < self.inbox.zip_patience {
            return Readiness::Settling;
        }
        Readiness::Ready
    }

    /// Imports one complete entry, then removes or quarantines it.
    fn take(
        &mut self,
        import: &mut dyn FnMut(&Path) -> Result<ImportReport, ImportError>,
        entry: &Path,
        print: Fingerprint,
        now: i64,
    ) -> Outcome {
        self.seen.remove(entry);
        let exports = match source::exports_at(entry) {
            Ok(found) => found,
            Err(error) => return self.not_imported(entry, error, now),
        };
        let is_folder = entry.is_dir();
        let mut reports = Vec::new();
        let mut notes = Vec::new();
        for export in &exports {
            match import(export) {
                Ok(report) => reports.push(report),
                Err(error) if error.is_the_files_fault() && is_folder => {
                    // One bad file of a folder goes aside; the rest is kept.
                    let reason = Reason::of(&error);
                    let file = display_name(export);
                    notes.push(
                        match move_aside(&self.inbox.quarantine, export, &reason, now) {
                            Ok(_) => Remains::SetAside { file, reason },
                            Err(error) => Remains::NotSetAside { file, error },
                        },
                    );
                }
                Err(error) => return self.not_imported(entry, error, now),
            }
        }
        let changed = !still_as_read(entry, print, &reports);
        // Files of a folder that no imported chat named are not thrown away.
        if is_folder && !changed {
            let named: HashSet<&str> = reports
                .iter()
                .flat_map(|r| r.media_names.iter().map(String::as_str))
                .collect();
            for stray in stray_files(entry, &exports, &named) {
                if let Err(error) =
                    move_aside(&self.inbox.quarantine, &stray, &Reason::stray(), now)
                {
                    notes.push(Remains::NotSetAside {
                        file: display_name(&stray),
                        error,
                    });
                }
            }
        }
        let mut left_behind = Vec::new();
        if changed {
            // Written to while it was imported: what was read is stored;
            // the newer version is read again and only its news added.
            left_behind.push(Remains::Changed);
        } else {
            let mut wiping = Wiping {
                imported_by: print.changed,
                linked: Vec::new(),
                spared: false,
            };
            if let Err(e) = wipe(entry, &mut wiping) {
                self.done.insert((entry.to_owned(), print));
                left_behind.push(Remains::NotRemoved(e));
            }
            if wiping.spared {
                left_behind.push(Remains::Changed);
            }
            left_behind.extend(
                wiping
                    .linked
                    .into_iter()
                    .map(|file| Remains::NotOverwritten { file }),
            );
        }
        left_behind.extend(notes);
        Outcome::Imported {
            entry: entry.to_owned(),
            reports,
            left_behind,
        }
    }

    /// The file's fault: aside with the reason; the machine's: tried again.
    fn not_imported(&mut self, entry: &Path, error: ImportError, now: i64) -> Outcome {
        if error.is_the_files_fault() {
            self.set_aside(entry, Reason::of(&error), now)
        } else {
            Outcome::Failed {
                entry: entry.to_owned(),
                error,
            }
        }
    }

    fn set_aside(&mut self, entry: &Path, reason: Reason, now: i64) -> Outcome {
        match move_aside(&self.inbox.quarantine, entry, &reason, now) {
            Ok(moved_to) => Outcome::Quarantined {
                entry: entry.to_owned(),
                moved_to,
                reason,
            },
            Err(e) => Outcome::Failed {
                entry: entry.to_owned(),
                error: ImportError::Unreadable(io::Error::new(
                    e.kind(),
                    format!("{reason}; and it could not be moved to the quarantine: {e}"),
                )),
            },
        }
    }

    /// What tells the caller's loop (the desk's) when the next pass is due.
    pub fn wakeups(&self) -> Result<Wakeups, WatchError> {
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            if changes_the_inbox(&event) {
                let _ = tx.send(event);
            }
        })?;
        watcher.watch(&self.inbox.dir, RecursiveMode::Recursive)?;
        Ok(Wakeups {
            _watcher: watcher,
            events: rx,
            tick: self.inbox.settle / 2,
        })
    }
}

/// Changes in the inbox, as `notify` reports them.
pub struct Wakeups {
    _watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    tick: Duration,
}

impl fmt::Debug for Wakeups {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wakeups")
            .field("tick", &self.tick)
            .finish_non_exhaustive()
    }
}

impl Wakeups {
    /// Waits for a change in the inbox or half the settle time (entries
    /// still settling need a look without a change), whichever is first,
    /// then takes every change queued meanwhile. Says whether anything
    /// changed.
    pub fn wait(&self) -> bool {
        let changed = self.events.recv_timeout(self.tick).is_ok();
        while self.events.try_recv().is_ok() {}
        changed
    }
}

/// Whether an event can change what a pass finds. Opening, reading and
/// closing without writing (which a pass itself does to every folder and
/// file it looks at) cannot, and must not wake the next pass.
fn changes_the_inbox(event: &notify::Result<notify::Event>) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    match event {
        Ok(event) => match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            _ => true,
        },
        Err(_) => true,
    }
}

/// Why watching stopped.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("the inbox cannot be watched: {0}")]
    Notify(#[from] notify::Error),
    #[error("the inbox cannot be read: {0}")]
    Io(#[from] io::Error),
}

enum Readiness {
    Settling,
    Ready,
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Whether the zip is whole (its directory at the end reads). One that is
/// whole but refused is complete: the import refuses it with the reason.
fn zip_opens(path: &Path) -> bool {
    use whatsapp_export::container::{ContainerError, open_zip};
    source::open_regular(path).is_ok_and(|file| {
        !matches!(
            open_zip(file, None, Default::default()),
            Err(ContainerError::NotAZip(_) | ContainerError::Io(_))
        )
    })
}

fn fingerprint(path: &Path) -> io::Result<Fingerprint> {
    let meta = fs::symlink_metadata(path)?;
    let changed = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
    let mut print = Fingerprint {
        size: meta.len(),
        files: 1,
        regular: meta.is_file() || meta.is_dir(),
        changed,
    };
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            let inner = fingerprint(&entry?.path())?;
            print.size += inner.size;
            print.files += inner.files;
            print.changed = print.changed.max(inner.changed);
        }
    }
    Ok(print)
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Files below `folder` that are neither an export nor named by one.
fn stray_files(folder: &Path, exports: &[PathBuf], named: &HashSet<&str>) -> Vec<PathBuf> {
    let mut all = source::files_below(folder).unwrap_or_default();
    all.retain(|path| {
        !exports.contains(path)
            && !path
                .file_name()
                .is_some_and(|n| named.contains(n.to_string_lossy().as_ref()))
    });
    all
}

/// Moves `entry` into `quarantine` (under a free name) and writes the
/// reason beside it.
fn move_aside(quarantine: &Path, entry: &Path, reason: &Reason, now: i64) -> io::Result<PathBuf> {
    fs::create_dir_all(quarantine)?;
    let name = display_name(entry);
    let mut target = quarantine.join(&name);
    let mut n = 2;
    while fs::symlink_metadata(&target).is_ok() {
        target = quarantine.join(format!("{name} ({n})"));
        n += 1;
    }
    fs::rename(entry, &target)?;
    let when = kluis_vault::LocalTime::from_seconds(now);
    let note = format!(
        "Kluis did not import \"{name}\" ({when} UTC).\n\n{REASON_LINE}{}\n{KIND_LINE}{}\n{}\n\
         The file is kept here unchanged. Export the chat again, or ask IT to look at it.\n\
         Remove this note and the file once they are dealt with.\n",
        reason.text,
        reason.kind,
        reason
            .line
            .map_or_else(String::new, |n| format!("{LINE_LINE}{n}\n")),
    );
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(reason_path(&target))?;
    file.write_all(note.as_bytes())?;
    file.sync_all()?;
    Ok(target)
}

/// What a wipe found along the way.
struct Wiping {
    /// The latest change time of the entry as it was imported: a file
    /// changed after it (a newer export copied over it just now) is not
    /// what was imported, and is spared.
    imported_by: i128,
    /// Files with another name (a hard link): removed, not zeroed.
    linked: Vec<String>,
    /// Files spared because they changed after the import.
    spared: bool,
}

/// Overwrites every file at or below `path` with zeros, then removes it.
/// A file with another name (a hard link) is only removed, and named: zeroing
/// it would destroy what that other name holds. A file changed since the
/// import is left alone, as is the folder that holds it.
fn wipe(path: &Path, w: &mut Wiping) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            wipe(&entry?.path(), w)?;
        }
        return if w.spared {
            Ok(())
        } else {
            fs::remove_dir(path)
        };
    }
    if meta.is_file() {
        use std::os::unix::fs::OpenOptionsExt;
        // A read-only file is removed without overwriting; a file swapped
        // for a link or a pipe meanwhile is not opened.
        let opened = OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path);
        let now = opened
            .as_ref()
            .ok()
            .and_then(|f| f.metadata().ok())
            .unwrap_or(meta);
        let changed = i128::from(now.ctime()) * 1_000_000_000 + i128::from(now.ctime_nsec());
        if !now.is_file() || changed > w.imported_by {
            w.spared = true;
            return Ok(());
        }
        if now.nlink() > 1 {
            w.linked.push(display_name(path));
        } else if let Ok(mut file) = opened {
            let zeros = vec![0u8; 1 << 20];
            let mut left = now.len();
            while left > 0 {
                let n = left.min(zeros.len() as u64) as usize;
                file.write_all(&zeros[..n])?;
                left -= n as u64;
            }
            file.sync_all()?;
        }
    }
    fs::remove_file(path)
}

/// Whether the entry is exactly what was imported, so it may be wiped:
/// nothing changed since it was taken, no process has any of it open for
/// writing, and each export file still has the length and hash it was
/// imported with.
fn still_as_read(entry: &Path, print: Fingerprint, reports: &[ImportReport]) -> bool {
    fingerprint(entry).ok() == Some(print)
        && !open_for_writing(entry)
        && reports.iter().all(|report| {
            let (path, size, sha256) = &report.source;
            source::open_regular(path)
                .ok()
                .and_then(|mut file| source::hash(&mut file).ok())
                .is_some_and(|found| found == (*size, *sha256))
        })
}

/// Whether any process this user can see has a file at or below `path`
/// open for writing (a copy still running, or stalled). Read from
/// `/proc`: every open file of every process, compared by device and inode.
fn open_for_writing(path: &Path) -> bool {
    let mut files = HashSet::new();
    let candidates = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => source::files_below(path).unwrap_or_default(),
        Ok(meta) if meta.is_file() => vec![path.to_owned()],
        _ => Vec::new(),
    };
    for file in candidates {
        if let Ok(real) = fs::canonicalize(&file) {
            files.insert(real);
        }
    }
    !files.is_empty() && writers_of(&files)
}

/// Whether a process this user can see holds one of `files` open for
/// writing. Each open file is compared by the path its link names, never
/// looked at itself: a file on a hung network mount would block the look.
fn writers_of(files: &HashSet<PathBuf>) -> bool {
    let Ok(processes) = fs::read_dir("/proc") else {
        return false;
    };
    for process in processes.flatten() {
        let pid = process.path();
        let Ok(fds) = fs::read_dir(pid.join("fd")) else {
            continue; // gone, or not ours to see
        };
        for fd in fds.flatten() {
            if !fs::read_link(fd.path()).is_ok_and(|to| files.contains(&to)) {
                continue;
            }
            let info = fs::read_to_string(pid.join("fdinfo").join(fd.file_name()));
            let flags = info.ok().and_then(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            });
            if flags.is_some_and(|f| f & libc::O_ACCMODE as u32 != libc::O_RDONLY as u32) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file replaced between the check and the wipe (a newer export
    /// copied over it) is not what was imported: it is spared, whole.
    #[test]
    fn a_file_changed_after_the_import_is_spared_by_the_wipe() {
        let dir = std::env::temp_dir().join(format!("kluis-wipe-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("chat.txt");
        fs::write(&path, "imported").unwrap();
        let print = fingerprint(&path).unwrap();
        // The file system's change times may be coarse: let one tick pass.
        std::thread::sleep(Duration::from_millis(30));
        fs::write(&path, "a newer export").unwrap();
        let mut wiping = Wiping {
            imported_by: print.changed,
            linked: Vec::new(),
            spared: false,
        };
        wipe(&path, &mut wiping).unwrap();
        assert!(wiping.spared);
        assert_eq!(fs::read_to_string(&path).unwrap(), "a newer export");
        // Unchanged since: wiped.
        let print = fingerprint(&path).unwrap();
        let mut wiping = Wiping {
            imported_by: print.changed,
            linked: Vec::new(),
            spared: false,
        };
        wipe(&path, &mut wiping).unwrap();
        assert!(!wiping.spared && !path.exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
