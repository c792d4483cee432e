//! A vault directory, locked (no key in memory) or unlocked (a [`Session`]).
//!
//! ```text
//! DIR/keyslots.json          the data key, wrapped once per passphrase
//! DIR/unlock-attempts.json   failed unlocks since the last success
//! DIR/kluis.db (+ -wal)      the SQLCipher store
//! DIR/blobs/ab/ab…           encrypted media and original exports
//! DIR/kluis.lock             held by the one process that has the vault open
//! DIR/outside.json           notes for while it is locked, and audit entries
//!                            waiting for the next unlock (nothing secret)
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::attempts::Attempts;
use crate::audit::{AuditAction, NewEntry};
use crate::blob::{BlobId, Blobs};
use crate::head::{self, HeadFile};
use crate::keys::{DataKey, KdfParams, KeySlot, SlotOwner};
use crate::store::{Keying, Store, Writer};
use crate::{VaultError, atomic, outside, recovery};

const SLOTS_FILE: &str = "keyslots.json";
const ATTEMPTS_FILE: &str = "unlock-attempts.json";
const DATABASE_FILE: &str = "kluis.db";
const BLOB_DIR: &str = "blobs";
const LOCK_FILE: &str = "kluis.lock";
const SLOTS_FORMAT: &str = "kluis-keyslots/1";

#[derive(Serialize, Deserialize)]
struct SlotsFile {
    format: String,
    /// The vault's identity, bound into its audit head (`head.rs`); given
    /// at `init`, or at the first unlock of a vault from before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vault: Option<String>,
    slots: Vec<KeySlot>,
}

impl SlotsFile {
    fn new(slots: Vec<KeySlot>) -> Result<Self, VaultError> {
        Ok(Self {
            format: SLOTS_FORMAT.to_owned(),
            vault: Some(new_vault_id()?),
            slots,
        })
    }
}

/// A new vault's identity: 128 random bits, in hex.
fn new_vault_id() -> Result<String, VaultError> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|_| VaultError::NoRandomness)?;
    Ok(crate::hex::encode(&id))
}

/// The exclusive hold on a vault directory: one process at a time. It
/// also keeps, while locked, the key this process vouches for its notes
/// with (only after it locked the vault itself).
struct Hold {
    _file: File,
    deferral: std::sync::Mutex<Option<Deferral>>,
}

/// What a process that locked the vault remembers of its notes: the key
/// it vouches with, how many it noted and the last one's MAC, so that
/// entries taken out of the file are noticed at its next unlock.
struct Deferral {
    key: outside::DeferralKey,
    noted: usize,
    last: Option<String>,
}

impl fmt::Debug for Hold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hold").finish_non_exhaustive()
    }
}

/// A vault directory this process holds, with no key in memory.
#[derive(Debug)]
pub struct Vault {
    dir: PathBuf,
    hold: Arc<Hold>,
    tightened: Vec<PathBuf>,
    still_open: Vec<PathBuf>,
}

/// What anyone can see of a vault without a passphrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outside {
    pub slots: Vec<(SlotOwner, KdfParams)>,
    pub failed_unlocks: u32,
    pub wait_seconds: u64,
}

/// Beside the vault while another process waits to close the day: the one
/// that holds the vault (an inbox watcher) gives way to it.
const CLOSING_REQUEST: &str = "closing.request";

/// Asks whoever holds the vault at `dir` to let go for a closing. The
/// request names this process; [`withdraw_closing_request`] takes it back.
pub fn request_closing(dir: &Path) -> io::Result<()> {
    atomic::write(
        &dir.join(CLOSING_REQUEST),
        format!("{}\n", std::process::id()).as_bytes(),
    )
}

/// Takes a closing request back (done, or given up).
pub fn withdraw_closing_request(dir: &Path) {
    let _ = fs::remove_file(dir.join(CLOSING_REQUEST));
}

impl Vault {
    /// Makes a new vault in `dir` (missing or empty), with an admin slot
    /// and a recovery key, and unlocks it as admin. The recovery key is
    /// returned once and never stored in the clear: print it.
    pub fn create(
        dir: &Path,
        admin_passphrase: &SecretString,
        kdf: KdfParams,
        now: i64,
    ) -> Result<(Self, Session, SecretString), VaultError> {
        if !kdf.meets_floor() {
            return Err(VaultError::BadKdfParams(kdf));
        }
        match fs::read_dir(dir) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(if dir.join(SLOTS_FILE).exists() {
                        VaultError::AlreadyAVault(dir.to_owned())
                    } else {
                        VaultError::NotEmpty(dir.to_owned())
                    });
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(io_at(dir))?,
            Err(e) => return Err(io_at(dir)(e)),
        }
        let vault = Self::hold(dir)?;
        let key = DataKey::generate()?;
        let recovery_key = recovery::generate()?;
        let slots = SlotsFile::new(vec![
            KeySlot::seal(SlotOwner::Admin, admin_passphrase, &key, kdf)?,
            KeySlot::seal(SlotOwner::Recovery, &recovery_key, &key, kdf)?,
        ])?;
        // The store first: a crash before the slots file exists leaves a
        // directory that is not yet a vault, which create can be run on again
        // after emptying it.
        let store = Store::create(&dir.join(DATABASE_FILE), Keying::Encrypted(&key))?;
        let (mut session, _, _) = Session::start(
            &vault,
            store,
            key,
            SlotOwner::Admin,
            slots.vault.as_deref(),
            None,
        )?;
        write_slots(dir, &slots)?;
        session.audit(
            now,
            AuditAction::Init,
            "vault",
            "admin slot and recovery key",
        )?;
        Ok((vault, session, recovery_key))
    }

    /// Takes hold of the vault in `dir`; refused while another process has it.
    pub fn open(dir: &Path) -> Result<Self, VaultError> {
        if !dir.join(SLOTS_FILE).is_file() {
            return Err(VaultError::NotAVault(dir.to_owned()));
        }
        Self::hold(dir)
    }

    /// Takes the exclusive hold: a `flock` on the vault's folder itself,
    /// which nobody can remove while it is held (a lock file could be
    /// deleted, letting a second process in). `kluis.lock` stays, empty,
    /// for what an older Kluis would look for.
    fn hold(dir: &Path) -> Result<Self, VaultError> {
        let path = dir.join(LOCK_FILE);
        drop(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(atomic::PRIVATE_FILE)
                .open(&path)
                .map_err(io_at(&path))?,
        );
        let file = File::open(dir).map_err(io_at(dir))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(VaultError::InUse(dir.to_owned())),
            Err(fs::TryLockError::Error(e)) => return Err(io_at(&path)(e)),
        }
        let (tightened, still_open) = tighten(dir).map_err(io_at(dir))?;
        for path in &tightened {
            tracing::warn!(path = %path.display(), "others could read this; made private");
        }
        Ok(Self {
            dir: dir.to_owned(),
            tightened,
            still_open,
            hold: Arc::new(Hold {
                _file: file,
                deferral: std::sync::Mutex::new(None),
            }),
        })
    }

    /// The vault's directory.
    /// Whether another process waits to close the day
    /// ([`request_closing`]): the holder should let go.
    pub fn closing_requested(&self) -> bool {
        self.dir.join(CLOSING_REQUEST).exists()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What others could read (or write) when the vault was opened, and
    /// was made private to its owner then: the folder, its files, the blob
    /// folders. Worth a warning: something loosened them.
    pub fn tightened(&self) -> &[PathBuf] {
        &self.tightened
    }

    /// What others can still read because the system refused to make it
    /// private (another owner, a read-only disk, no Unix permissions).
    pub fn still_open(&self) -> &[PathBuf] {
        &self.still_open
    }

    /// The notes kept outside the encryption (see [`crate::outside`]).
    pub fn notes(&self) -> Result<BTreeMap<String, String>, VaultError> {
        Ok(outside::read(&self.dir)?.notes)
    }

    /// Sets notes outside the encryption; the others stay.
    pub fn set_notes(&self, notes: &[(&str, String)]) -> Result<(), VaultError> {
        outside::set_notes(&self.dir, notes)
    }

    /// Keeps an audit entry for something that happened while locked; it
    /// joins the audit log at the next unlock.
    pub fn defer_audit(&self, entry: &NewEntry<'_>) -> Result<(), VaultError> {
        // Held while the file is read and written, so two notes cannot lose
        // each other; the count moves only once the note is on disk.
        let mut held = self.hold.deferral.lock().unwrap_or_else(|p| p.into_inner());
        let mut file = outside::read(&self.dir)?;
        let deferred = match held.as_ref() {
            Some(d) => outside::DeferredEntry::new(entry, Some(&d.key), d.last.as_deref()),
            None => outside::DeferredEntry::new(entry, None, None),
        };
        let mac = deferred.mac().map(str::to_owned);
        file.deferred.push(deferred);
        outside::write(&self.dir, file)?;
        if let Some(d) = held.as_mut() {
            d.noted += 1;
            d.last = mac;
        }
        Ok(())
    }

    /// What can be seen without a passphrase.
    pub fn outside(&self, now: i64) -> Result<Outside, VaultError> {
        self.outside_since_boot(now, None)
    }

    /// [`Vault::outside`], its wait measured as the unlock measures it
    /// (on the boot's clock within one boot).
    pub fn outside_since_boot(
        &self,
        now: i64,
        boot: Option<&(String, u64)>,
    ) -> Result<Outside, VaultError> {
        let slots = read_slots(&self.dir)?.slots;
        let mut attempts = self.read_attempts(now)?;
        Ok(Outside {
            slots: slots.into_iter().map(|s| (s.owner, s.kdf)).collect(),
            failed_unlocks: attempts.count,
            wait_seconds: attempts.remaining_since_boot(now, boot).0,
        })
    }

    /// Opens `who`'s slot with `passphrase` and the store with the data key.
    ///
    /// Refused without trying while the wait after failed attempts runs; a
    /// wrong passphrase is counted on disk first.
    pub fn unlock(
        &self,
        who: &SlotOwner,
        passphrase: &SecretString,
        now: i64,
    ) -> Result<Session, VaultError> {
        self.unlock_since_boot(who, passphrase, now, None)
    }

    /// [`Vault::unlock`], with the boot clock's reading (which boot, and
    /// seconds since it began), by which the wait after failed attempts is
    /// measured while the laptop has not restarted.
    pub fn unlock_since_boot(
        &self,
        who: &SlotOwner,
        passphrase: &SecretString,
        now: i64,
        boot: Option<&(String, u64)>,
    ) -> Result<Session, VaultError> {
        self.unlock_with(who, passphrase, now, boot, None)
    }

    /// [`Vault::unlock_since_boot`]; with `accept_older` (a reason) the
    /// recovery key also opens a store that went back in time or is not
    /// the one last written (a backup restored on purpose), logging it.
    /// For anyone else it changes nothing.
    pub fn unlock_with(
        &self,
        who: &SlotOwner,
        passphrase: &SecretString,
        now: i64,
        boot: Option<&(String, u64)>,
        accept_older: Option<&str>,
    ) -> Result<Session, VaultError> {
        let mut attempts = self.read_attempts(now)?;
        let (wait, moved) = attempts.remaining_since_boot(now, boot);
        if moved {
            self.write_attempts(&attempts)?;
        }
        if wait > 0 {
            return Err(VaultError::TooSoon { seconds: wait });
        }
        if attempts.count >= crate::attempts::OPERATOR_LIMIT
            && matches!(who, SlotOwner::Operator(_))
        {
            return Err(VaultError::AdminNeeded {
                failures: attempts.count,
            });
        }
        let mut slots = read_slots(&self.dir)?;
        let slot = slots
            .slots
            .iter()
            .find(|s| &s.owner == who)
            .ok_or_else(|| VaultError::NoSuchSlot(who.clone()))?;
        let typed;
        let passphrase = if *who == SlotOwner::Recovery {
            typed = recovery::normalize(passphrase).map_err(VaultError::BadRecoveryKey)?;
            &typed
        } else {
            passphrase
        };
        let (key, sealed_unnormalised) = match slot.open_noting(passphrase) {
            Ok(opened) => opened,
            Err(VaultError::WrongPassphrase) => {
                attempts.record_since_boot(now, boot, who.to_string());
                self.write_attempts(&attempts)?;
                tracing::warn!(who = %who, failures = attempts.count, "wrong passphrase");
                return Err(VaultError::Refused {
                    failures: attempts.count,
                    wait_seconds: Attempts::wait_after(attempts.count),
                });
            }
            Err(other) => return Err(other),
        };
        if sealed_unnormalised {
            // Sealed again over the normalised passphrase, same parameters.
            let i = slots
                .slots
                .iter()
                .position(|s| &s.owner == who)
                .unwrap_or_default();
            let kdf = slots.slots[i].kdf;
            slots.slots[i] = KeySlot::seal(who.clone(), passphrase, &key, kdf)?;
            write_slots(&self.dir, &slots)?;
            tracing::info!(who = %who, "key slot sealed again over the normalised passphrase");
        }
        let store = Store::open(&self.dir.join(DATABASE_FILE), Keying::Encrypted(&key))?;
        let (mut session, vault_id, accepted) = Session::start(
            self,
            store,
            key,
            who.clone(),
            slots.vault.as_deref(),
            accept_older,
        )?;
        if slots.vault.as_deref() != Some(vault_id.as_str()) {
            // The store's id is the vault's; the slots file carries a copy.
            slots.vault = Some(vault_id);
            write_slots(&self.dir, &slots)?;
        }
        // A damaged notes file must not keep anyone out: it is set aside.
        let (mut outside, damaged) = match outside::read(&self.dir) {
            Ok(file) => (file, None),
            Err(VaultError::DamagedFile(_, why)) => (outside::OutsideFile::default(), Some(why)),
            Err(e) => return Err(e),
        };
        // What was noted while locked is vouched for by the key the app that
        // locked derived from the data key and the head it left.
        let verified = match crate::audit::head(session.store().connection())? {
            Some((_, hash)) => {
                let key = outside::DeferralKey::derive(&session.key, &hash);
                outside::DeferredEntry::verified(&outside.deferred, &key)
            }
            None => vec![false; outside.deferred.len()],
        };
        // This process noted some itself: as many must still verify.
        let taken_out = self
            .hold
            .deferral
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map_or(0, |d| {
                d.noted
                    .saturating_sub(verified.iter().filter(|ok| **ok).count())
            });
        // The failures and what happened while locked reach the audit log
        // in the same transaction as the unlock; both are cleared only once
        // that is committed.
        session.record(|tx| {
            if let (Some(what), Some(reason)) = (&accepted, accept_older) {
                tx.audit(&NewEntry {
                    at: now,
                    operator: &who.to_string(),
                    action: AuditAction::Override,
                    subject: "kluis.db",
                    detail: &format!(
                        "accepted an older or other database: {what}; reason: {reason}"
                    ),
                })?;
            }
            if let Some(why) = &damaged {
                tx.audit(&NewEntry {
                    at: now,
                    operator: &who.to_string(),
                    action: AuditAction::Edit,
                    subject: outside::OUTSIDE_FILE,
                    detail: &format!("damaged, set aside: {why}"),
                })?;
            }
            for (entry, verified) in outside.deferred.iter().zip(&verified) {
                entry.with_entry(*verified, |e| tx.audit(e))?;
            }
            if taken_out > 0 {
                tx.audit(&NewEntry {
                    at: now,
                    operator: outside::LOCK_OPERATOR,
                    action: AuditAction::Edit,
                    subject: outside::OUTSIDE_FILE,
                    detail: &format!(
                        "{taken_out} entries noted while locked were taken out of the file or changed"
                    ),
                })?;
            }
            // Counted outside the encryption by whichever process saw them:
            // in the lock's name, the slot tried named in the detail.
            for failure in &attempts.failures {
                tx.audit(&NewEntry {
                    at: failure.at,
                    operator: outside::LOCK_OPERATOR,
                    action: AuditAction::FailedUnlock,
                    subject: "vault",
                    detail: &format!(
                        "wrong passphrase for {}, counted while locked (not verified)",
                        failure.who
                    ),
                })?;
            }
            let unrecorded = (attempts.count as usize).saturating_sub(attempts.failures.len());
            let detail = if unrecorded > 0 {
                format!(
                    "after {} failed attempts ({unrecorded} not itemised)",
                    attempts.count
                )
            } else {
                String::new()
            };
            tx.audit(&NewEntry {
                at: now,
                operator: &who.to_string(),
                action: AuditAction::Unlock,
                subject: "vault",
                detail: &detail,
            })?;
            Ok(())
        })?;
        // Committed: the notes key of the lock before is done with.
        *self.hold.deferral.lock().unwrap_or_else(|p| p.into_inner()) = None;
        if attempts.count > 0 {
            self.write_attempts(&Attempts::default())?;
        }
        if damaged.is_some() {
            let path = self.dir.join(outside::OUTSIDE_FILE);
            let aside = self.dir.join(format!("{}.damaged", outside::OUTSIDE_FILE));
            fs::rename(&path, &aside).map_err(io_at(&path))?;
        } else if !outside.deferred.is_empty() {
            outside.deferred.clear();
            outside::write(&self.dir, outside)?;
        }
        tracing::info!(who = %who, "unlocked");
        Ok(session)
    }

    /// The failed attempts on disk. A file that is not Kluis's (damaged,
    /// or written by hand) keeps nobody out: it is set aside, and counts as
    /// one failure more than the free ones (a short wait), so rewriting it
    /// gains nothing over removing it. The next unlock logs it.
    fn read_attempts(&self, now: i64) -> Result<Attempts, VaultError> {
        let path = self.dir.join(ATTEMPTS_FILE);
        match fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(attempts) => Ok(attempts),
                Err(e) => {
                    let aside = self.dir.join(format!("{ATTEMPTS_FILE}.damaged"));
                    fs::rename(&path, &aside).map_err(io_at(&path))?;
                    tracing::warn!(error = %e, "unlock-attempts.json is damaged; set aside");
                    let attempts = Attempts::after_damage(now);
                    self.write_attempts(&attempts)?;
                    Ok(attempts)
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Attempts::default()),
            Err(e) => Err(io_at(&path)(e)),
        }
    }

    fn write_attempts(&self, attempts: &Attempts) -> Result<(), VaultError> {
        let path = self.dir.join(ATTEMPTS_FILE);
        let bytes = serde_json::to_vec_pretty(attempts).map_err(|_| VaultError::Crypto)?;
        atomic::write(&path, &bytes).map_err(io_at(&path))
    }
}

fn read_slots(dir: &Path) -> Result<SlotsFile, VaultError> {
    let path = dir.join(SLOTS_FILE);
    let bytes = fs::read(&path).map_err(io_at(&path))?;
    let file: SlotsFile = serde_json::from_slice(&bytes)
        .map_err(|e| VaultError::DamagedFile(path.clone(), e.to_string()))?;
    if file.format != SLOTS_FORMAT {
        return Err(VaultError::DamagedFile(
            path,
            format!("format {:?}, expected {SLOTS_FORMAT:?}", file.format),
        ));
    }
    Ok(file)
}

fn write_slots(dir: &Path, file: &SlotsFile) -> Result<(), VaultError> {
    let path = dir.join(SLOTS_FILE);
    let bytes = serde_json::to_vec_pretty(file).map_err(|_| VaultError::Crypto)?;
    atomic::write(&path, &bytes).map_err(io_at(&path))
}

/// Makes the vault folder 0700, its files 0600 and its blob folders 0700
/// where others had any access; returns what it changed, and what it could
/// not change.
fn tighten(dir: &Path) -> io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut changed = Vec::new();
    let mut refused = Vec::new();
    let mut private = |path: &Path, meta: &fs::Metadata| -> io::Result<()> {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            let private = if meta.is_dir() { 0o700 } else { 0o600 };
            // Not ours to change (another owner, a read-only disk, no Unix
            // permissions): said, and the vault opens all the same.
            match fs::set_permissions(path, fs::Permissions::from_mode(private)) {
                Ok(()) => changed.push(path.to_owned()),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "others can read this");
                    refused.push(path.to_owned());
                }
            }
        }
        Ok(())
    };
    private(dir, &fs::metadata(dir)?)?;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let meta = fs::symlink_metadata(entry.path())?;
        if meta.is_file() || meta.is_dir() {
            private(&entry.path(), &meta)?;
        }
        if meta.is_dir() && entry.file_name() == BLOB_DIR {
            for inner in fs::read_dir(entry.path())? {
                let inner = inner?;
                let meta = fs::symlink_metadata(inner.path())?;
                if meta.is_dir() {
                    private(&inner.path(), &meta)?;
                }
            }
        }
    }
    Ok((changed, refused))
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> VaultError + '_ {
    move |source| VaultError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What [`Session::change_slot`] does to one slot.
#[derive(Clone, Copy)]
enum SlotChange<'p> {
    /// A new slot; refused if the owner has one.
    Add(&'p SecretString, KdfParams),
    /// A new passphrase for the owner's slot (made if missing).
    Replace(&'p SecretString, KdfParams),
    /// The owner's slot goes; refused if there is none.
    Remove,
}

/// An unlocked vault: the data key in memory and the store open. Dropping
/// it (or [`Session::lock`]) wipes the key and closes the store.
pub struct Session {
    dir: PathBuf,
    _hold: Arc<Hold>,
    key: DataKey,
    store: Store,
    who: SlotOwner,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("dir", &self.dir)
            .field("who", &self.who)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session on the opened `store`, once its audit head agrees with
    /// the one recorded outside (a database that went back in time is
    /// refused, and closed again). The vault is held and nothing is being
    /// written, so what a crash left half-written in the blob folder can go.
    fn start(
        vault: &Vault,
        mut store: Store,
        key: DataKey,
        who: SlotOwner,
        slots_id: Option<&str>,
        accept_older: Option<&str>,
    ) -> Result<(Self, String, Option<String>), VaultError> {
        // The id is the store's; for a store from before, the slots file's
        // copy, else the one a head file names (if its MAC holds), else new.
        // It is committed before any head is written with it.
        let kept_id = store.setting(head::ID_SETTING)?;
        let id = match (&kept_id, slots_id) {
            (Some(id), _) => id.clone(),
            (None, Some(id)) => id.to_owned(),
            (None, None) => match HeadFile::named_id(&vault.dir, &key) {
                Some(id) => id,
                None => new_vault_id()?,
            },
        };
        if kept_id.is_none() {
            let mut writer = store.write()?;
            writer.set_setting(head::ID_SETTING, &id)?;
            writer.commit()?;
        }
        let head = HeadFile::new(&vault.dir, &id, &key);
        let found = crate::audit::head(store.connection())?;
        let was_recorded = store.setting(head::RECORDED_SETTING)?.is_some();
        // A head file that does not verify is damage to judge; one that
        // cannot be read at all (permissions) is the machine's problem.
        let recorded = match head.read() {
            Err(VaultError::Io { path, source }) => return Err(VaultError::Io { path, source }),
            other => other,
        };
        // The log's entry at the recorded seq, looked up once (a store that
        // cannot read it is damaged, not another store).
        let at_recorded = match &recorded {
            Ok(Some((seq, _))) if *seq > 0 => crate::audit::hash_at(store.connection(), *seq)?,
            _ => None,
        };
        let recorded_head = recorded.as_ref().ok().copied().flatten();
        let judged =
            recorded.and_then(|recorded| head::judge(found, recorded, was_recorded, at_recorded));
        // Only the recovery key, with a reason, accepts a store that went
        // back in time (a backup restored on purpose); it is logged.
        let accepted = match judged {
            Ok(_) => None,
            Err(
                e @ (VaultError::RolledBack { .. }
                | VaultError::Substituted { .. }
                | VaultError::HeadMissing
                | VaultError::DamagedFile(..)),
            ) if who == SlotOwner::Recovery && accept_older.is_some() => Some(e.to_string()),
            Err(e) => return Err(e),
        };
        // The head first, then the store's mark: a crash between leaves a
        // head the next unlock judges, never a mark without one. An accepted
        // store's head is written by the commit that logs the acceptance.
        let current = found.unwrap_or((0, [0; 32]));
        if accepted.is_none() && recorded_head != Some(current) {
            head.record(current)
                .map_err(io_at(&vault.dir.join(head::HEAD_FILE)))?;
        }
        if !was_recorded {
            let mut writer = store.write()?;
            writer.set_setting(head::RECORDED_SETTING, "1")?;
            writer.commit()?;
        }
        store.keep_head_in(head);
        Blobs::prepare(&vault.dir.join(BLOB_DIR))?;
        let session = Self {
            dir: vault.dir.clone(),
            _hold: Arc::clone(&vault.hold),
            key,
            store,
            who,
        };
        Ok((session, id, accepted))
    }

    /// Whose slot unlocked it.
    pub fn who(&self) -> &SlotOwner {
        &self.who
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The encrypted files.
    pub fn blobs(&self) -> Result<Blobs<'_>, VaultError> {
        Ok(Blobs::at(&self.dir.join(BLOB_DIR), &self.key))
    }

    /// The encrypted files no record refers to: left by an import that
    /// could not remove them after failing, or by a crash between a
    /// purge's commit and its removals.
    pub fn unreferenced_blobs(&self) -> Result<Vec<BlobId>, VaultError> {
        let referenced = self.store.referenced_blobs()?;
        let all = self.blobs()?.ids()?;
        Ok(all
            .into_iter()
            .filter(|id| !referenced.contains(&id.to_string()))
            .collect())
    }

    /// The encrypted files and the store at once, for an action that
    /// writes blobs while it holds a transaction open.
    pub fn blobs_and_store(&mut self) -> (Blobs<'_>, &mut Store) {
        (
            Blobs::at(&self.dir.join(BLOB_DIR), &self.key),
            &mut self.store,
        )
    }

    /// Appends one audit entry in its own transaction.
    pub fn audit(
        &mut self,
        now: i64,
        action: AuditAction,
        subject: &str,
        detail: &str,
    ) -> Result<i64, VaultError> {
        let operator = self.who.to_string();
        let mut seq = 0;
        self.record(|tx| {
            seq = tx.audit(&NewEntry {
                at: now,
                operator: &operator,
                action,
                subject,
                detail,
            })?;
            Ok(())
        })?;
        Ok(seq)
    }

    fn record(
        &mut self,
        write: impl FnOnce(&mut Writer<'_>) -> Result<(), crate::store::StoreError>,
    ) -> Result<(), VaultError> {
        let mut writer = self.store.write()?;
        write(&mut writer)?;
        writer.commit()?;
        Ok(())
    }

    /// Replaces the passphrase of the slot this session was unlocked with.
    pub fn change_passphrase(
        &mut self,
        new: &SecretString,
        kdf: KdfParams,
        now: i64,
    ) -> Result<(), VaultError> {
        if self.who == SlotOwner::Recovery {
            return Err(VaultError::NotPermitted(
                "the recovery key is not chosen but made: renew it instead",
            ));
        }
        let who = self.who.clone();
        self.change_slot(
            &who,
            SlotChange::Replace(new, kdf),
            now,
            "passphrase changed",
        )
    }

    /// Adds an operator's slot (admin or recovery key only).
    pub fn add_operator(
        &mut self,
        name: &str,
        passphrase: &SecretString,
        kdf: KdfParams,
        now: i64,
    ) -> Result<(), VaultError> {
        self.require_admin()?;
        let owner = SlotOwner::operator(name)?;
        self.change_slot(
            &owner,
            SlotChange::Add(passphrase, kdf),
            now,
            "operator added",
        )
    }

    /// Removes an operator's slot (admin or recovery key only).
    pub fn remove_operator(&mut self, name: &str, now: i64) -> Result<(), VaultError> {
        self.require_admin()?;
        let owner = SlotOwner::Operator(name.to_owned());
        self.change_slot(&owner, SlotChange::Remove, now, "operator removed")
    }

    /// Replaces the recovery key (admin or recovery key only); the old one
    /// stops working. Returns the new one, to be printed.
    pub fn renew_recovery_key(
        &mut self,
        kdf: KdfParams,
        now: i64,
    ) -> Result<SecretString, VaultError> {
        self.require_admin()?;
        let key = recovery::generate()?;
        let change = SlotChange::Replace(&key, kdf);
        self.change_slot(&SlotOwner::Recovery, change, now, "recovery key renewed")?;
        Ok(key)
    }

    fn require_admin(&self) -> Result<(), VaultError> {
        match self.who {
            SlotOwner::Admin | SlotOwner::Recovery => Ok(()),
            SlotOwner::Operator(_) => Err(VaultError::NotPermitted(
                "only the admin passphrase or the recovery key manages key slots",
            )),
        }
    }

    /// Adds, rewrites or removes `owner`'s slot, leaving the others as
    /// they are, and logs it.
    fn change_slot(
        &mut self,
        owner: &SlotOwner,
        change: SlotChange<'_>,
        now: i64,
        detail: &str,
    ) -> Result<(), VaultError> {
        let mut file = read_slots(&self.dir)?;
        let slots = &mut file.slots;
        let at = slots.iter().position(|s| &s.owner == owner);
        match (change, at) {
            (SlotChange::Add(..), Some(_)) => return Err(VaultError::SlotExists(owner.clone())),
            (SlotChange::Remove, None) => return Err(VaultError::NoSuchSlot(owner.clone())),
            (SlotChange::Remove, Some(i)) => {
                slots.remove(i);
            }
            (SlotChange::Add(passphrase, kdf) | SlotChange::Replace(passphrase, kdf), at) => {
                let slot = KeySlot::seal(owner.clone(), passphrase, &self.key, kdf)?;
                match at {
                    Some(i) => slots[i] = slot,
                    None => slots.push(slot),
                }
            }
        }
        write_slots(&self.dir, &file)?;
        self.audit(now, AuditAction::KeyChange, &owner.to_string(), detail)?;
        Ok(())
    }

    /// Sets notes outside the encryption, as [`Vault::set_notes`] does.
    pub fn set_notes(&self, notes: &[(&str, String)]) -> Result<(), VaultError> {
        outside::set_notes(&self.dir, notes)
    }

    /// Logs the lock, closes the store and wipes the key.
    pub fn lock(mut self, now: i64) -> Result<(), VaultError> {
        self.audit(now, AuditAction::Lock, "vault", "")?;
        self.close()
    }

    /// Closes the store and wipes the key, without an audit entry (a
    /// session that could not write one is closed all the same).
    pub fn close(self) -> Result<(), VaultError> {
        let Self {
            store,
            key,
            who,
            _hold: hold,
            ..
        } = self;
        if let Err(e) = store.copy_head_outside() {
            tracing::warn!(error = %e, "the audit head's copy beside the notes was not kept");
        }
        // From here on this process vouches for what it notes while locked.
        if let Ok(Some((_, hash))) = crate::audit::head(store.connection()) {
            *hold.deferral.lock().unwrap_or_else(|p| p.into_inner()) = Some(Deferral {
                key: outside::DeferralKey::derive(&key, &hash),
                noted: 0,
                last: None,
            });
        }
        let closed = store.close();
        drop(key);
        tracing::info!(who = %who, "locked: store closed, key wiped");
        Ok(closed?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{self, ChainBreak};

    const NOW: i64 = 1_795_000_000;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    /// A vault with ten audit entries, edited with SQL the way an admin
    /// holding the key could, then verified.
    fn breaks_after(name: &str, tamper: &str) -> Vec<ChainBreak> {
        let dir = std::env::temp_dir().join(format!("kluis-audit-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (vault, mut session, recovery_key) =
            Vault::create(&dir, &secret("beheer"), KdfParams::FLOOR, NOW).unwrap();
        for n in 0..8 {
            let subject = format!("conversation {n}");
            session
                .audit(NOW + n, AuditAction::ViewConversation, &subject, "")
                .unwrap();
        }
        session.lock(NOW + 9).unwrap();
        let key = read_slots(&dir).unwrap().slots[0]
            .open(&secret("beheer"))
            .unwrap();
        let raw = Store::open(&dir.join(DATABASE_FILE), Keying::Encrypted(&key)).unwrap();
        raw.connection().execute_batch(tamper).unwrap();
        raw.close().unwrap();
        // An edit that reaches the head is also caught at unlock: the
        // recovery key opens the store as it is, to read its chain.
        let session = vault
            .unlock_with(
                &SlotOwner::Recovery,
                &recovery_key,
                NOW + 10,
                None,
                Some("reading the chain as it is"),
            )
            .unwrap();
        let report = audit::verify(session.store()).unwrap();
        session.close().unwrap();
        drop(vault);
        fs::remove_dir_all(&dir).unwrap();
        report.breaks
    }

    #[test]
    fn the_audit_chain_shows_edits_removals_and_moves() {
        assert_eq!(breaks_after("intact", "SELECT 1"), []);
        assert_eq!(
            breaks_after(
                "edited",
                "UPDATE audit SET subject = 'conversation 99' WHERE seq = 4"
            ),
            [ChainBreak::Edited { seq: 4 }]
        );
        assert_eq!(
            breaks_after(
                "edited-time",
                "UPDATE audit SET at = at - 3600 WHERE seq = 6"
            ),
            [ChainBreak::Edited { seq: 6 }]
        );
        assert_eq!(
            breaks_after("removed", "DELETE FROM audit WHERE seq IN (4, 5)"),
            [ChainBreak::Removed { from: 4, to: 5 }]
        );
        // Entries 4 and 5 swap places, each renumbered to fit.
        let swapped = breaks_after(
            "moved",
            "UPDATE audit SET seq = -4 WHERE seq = 4;
             UPDATE audit SET seq = 4 WHERE seq = 5;
             UPDATE audit SET seq = 5 WHERE seq = -4;",
        );
        assert_eq!(swapped[0], ChainBreak::OutOfPlace { seq: 4 });
        assert!(swapped.contains(&ChainBreak::Edited { seq: 4 }));
        // An entry put in, the later ones renumbered: each no longer hashes.
        let inserted = breaks_after(
            "inserted",
            "UPDATE audit SET seq = -seq WHERE seq >= 7;
             UPDATE audit SET seq = 1 - seq WHERE seq < 0;
             INSERT INTO audit SELECT 7, at, operator, action, subject, detail, hash, hash
             FROM audit WHERE seq = 6;",
        );
        let renumbered: Vec<ChainBreak> = (7..=11).map(|seq| ChainBreak::Edited { seq }).collect();
        assert_eq!(inserted, renumbered);
    }

    /// A vault from before the head was kept outside (no `audit-head.json`,
    /// no identity in its key slots, no mark in its store) opens, and is
    /// guarded from then on.
    #[test]
    fn a_vault_from_before_gets_its_head_and_identity_at_the_next_unlock() {
        let dir = std::env::temp_dir().join(format!("kluis-head-upgrade-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (vault, session, _) =
            Vault::create(&dir, &secret("beheer"), KdfParams::FLOOR, NOW).unwrap();
        session.lock(NOW).unwrap();
        let mut slots = read_slots(&dir).unwrap();
        let key = slots.slots[0].open(&secret("beheer")).unwrap();
        slots.vault = None;
        write_slots(&dir, &slots).unwrap();
        fs::remove_file(dir.join(head::HEAD_FILE)).unwrap();
        let raw = Store::open(&dir.join(DATABASE_FILE), Keying::Encrypted(&key)).unwrap();
        raw.connection()
            .execute(
                "DELETE FROM settings WHERE key = ?1",
                [head::RECORDED_SETTING],
            )
            .unwrap();
        raw.close().unwrap();

        let session = vault
            .unlock(&SlotOwner::Admin, &secret("beheer"), NOW + 1)
            .unwrap();
        session.lock(NOW + 2).unwrap();
        assert!(read_slots(&dir).unwrap().vault.is_some());
        assert!(dir.join(head::HEAD_FILE).is_file());

        // Both copies of the id lost (an older Kluis rewrote the slots file
        // before the store kept it): the head file's own id, whose MAC holds,
        // is taken; the vault opens.
        let mut slots = read_slots(&dir).unwrap();
        slots.vault = None;
        write_slots(&dir, &slots).unwrap();
        let raw = Store::open(&dir.join(DATABASE_FILE), Keying::Encrypted(&key)).unwrap();
        raw.connection()
            .execute("DELETE FROM settings WHERE key = ?1", [head::ID_SETTING])
            .unwrap();
        raw.close().unwrap();
        let session = vault
            .unlock(&SlotOwner::Admin, &secret("beheer"), NOW + 3)
            .unwrap();
        session.lock(NOW + 4).unwrap();

        // The head file and its copy beside the notes both gone.
        fs::remove_file(dir.join(head::HEAD_FILE)).unwrap();
        let mut outside = crate::outside::read(&dir).unwrap();
        outside.audit_head = None;
        crate::outside::write(&dir, outside).unwrap();
        assert!(matches!(
            vault.unlock(&SlotOwner::Admin, &secret("beheer"), NOW + 5),
            Err(VaultError::HeadMissing)
        ));
        drop(vault);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A commit is on disk when it returns (the inbox wipes an export's
    /// plaintext only after that): the store runs with `synchronous = FULL`.
    #[test]
    fn the_store_syncs_every_commit() {
        let dir = std::env::temp_dir().join(format!("kluis-sync-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (vault, session, _) =
            Vault::create(&dir, &secret("beheer"), KdfParams::FLOOR, NOW).unwrap();
        let (journal, synchronous): (String, i64) = session
            .store()
            .connection()
            .query_row(
                "SELECT * FROM pragma_journal_mode, pragma_synchronous",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((journal.as_str(), synchronous), ("wal", 2), "2 is FULL");
        session.lock(NOW).unwrap();
        drop(vault);
        fs::remove_dir_all(&dir).unwrap();
    }
}
