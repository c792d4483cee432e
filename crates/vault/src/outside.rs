//! What the vault keeps outside its encryption, for while it is locked:
//! short notes (the lock's shift hours, the latest time seen; never anything
//! about citizens) and audit entries of things that happened while locked,
//! which move into the audit log at the next unlock, as failed unlocks do.
//!
//! Anyone with the folder can read and change this file. It serves the lock
//! screen; what it says is checked against the store after an unlock.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::audit::{AuditAction, NewEntry};
use crate::keys::DataKey;
use crate::{VaultError, atomic};

pub(crate) const OUTSIDE_FILE: &str = "outside.json";
const OUTSIDE_FORMAT: &str = "kluis-outside/1";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct OutsideFile {
    format: String,
    pub(crate) notes: BTreeMap<String, String>,
    pub(crate) deferred: Vec<DeferredEntry>,
    /// A copy of the audit head (see `head.rs`), beside the lock's notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) audit_head: Option<String>,
}

/// An audit entry waiting for the next unlock.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DeferredEntry {
    at: i64,
    operator: String,
    action: String,
    subject: String,
    detail: String,
    /// HMAC-SHA256 under the key the running app derived from the data key
    /// when it locked (see [`DeferralKey`]), chained to the entry before;
    /// missing when the app that noted it never held the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
}

/// The key a process that locked the vault holds, and only in memory, to
/// vouch for what it notes while locked: derived from the data key and
/// the audit log's head at the lock, so the next unlock derives it again.
/// An entry written by hand (or by a process that never unlocked) has no
/// valid MAC and is recorded as not verified.
pub(crate) struct DeferralKey(Zeroizing<[u8; 32]>);

impl DeferralKey {
    pub(crate) fn derive(key: &DataKey, head_hash: &[u8; 32]) -> Self {
        let mut out = Zeroizing::new([0u8; 32]);
        // 32 bytes is within what HKDF-SHA256 can expand.
        let _ = Hkdf::<Sha256>::new(Some(head_hash), key.expose())
            .expand(b"kluis deferred audit v1", &mut out[..]);
        Self(out)
    }

    fn mac(&self, entry: &DeferredEntry, previous: Option<&str>) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0[..]).expect("any key length");
        mac.update(&entry.at.to_le_bytes());
        for field in [
            previous.unwrap_or(""),
            &entry.operator,
            &entry.action,
            &entry.subject,
            &entry.detail,
        ] {
            mac.update(&(field.len() as u64).to_le_bytes());
            mac.update(field.as_bytes());
        }
        mac
    }
}

impl DeferredEntry {
    /// The entry, with a MAC chained to `previous` (the MAC of the last
    /// entry this process noted) if the key is held.
    pub(crate) fn new(
        entry: &NewEntry<'_>,
        key: Option<&DeferralKey>,
        previous: Option<&str>,
    ) -> Self {
        let mut deferred = Self {
            at: entry.at,
            operator: entry.operator.to_owned(),
            action: entry.action.name().to_owned(),
            subject: entry.subject.to_owned(),
            detail: entry.detail.to_owned(),
            mac: None,
        };
        if let Some(key) = key {
            let mac = key.mac(&deferred, previous).finalize().into_bytes();
            deferred.mac = Some(crate::hex::encode(&mac));
        }
        deferred
    }

    pub(crate) fn mac(&self) -> Option<&str> {
        self.mac.as_deref()
    }

    /// Whether each entry's MAC holds under `key`, chained to the last one
    /// that held: an entry added by hand fails alone, one edited or moved
    /// fails, and so does the genuine one after an entry taken out.
    pub(crate) fn verified(entries: &[Self], key: &DeferralKey) -> Vec<bool> {
        let mut previous: Option<&str> = None;
        entries
            .iter()
            .map(|entry| {
                let ok = entry
                    .mac
                    .as_deref()
                    .and_then(crate::hex::decode)
                    .is_some_and(|mac| key.mac(entry, previous).verify_slice(&mac).is_ok());
                if ok {
                    previous = entry.mac.as_deref();
                }
                ok
            })
            .collect()
    }

    /// As an entry to append. The notes are outside the encryption, so
    /// anyone with the folder can edit them: only the lock's own events,
    /// in its own name, are taken; one not vouched for by the app that
    /// locked (`verified`: written by hand, or by a process that never
    /// unlocked) says so in its detail; anything else is a refused note.
    /// Always in the lock's name, never in the name it claims.
    pub(crate) fn with_entry<T>(&self, verified: bool, f: impl FnOnce(&NewEntry<'_>) -> T) -> T {
        let action = AuditAction::from_name(&self.action).filter(|a| DEFERRED_ACTIONS.contains(a));
        match action {
            Some(action) if self.operator == LOCK_OPERATOR && verified => f(&NewEntry {
                at: self.at,
                operator: LOCK_OPERATOR,
                action,
                subject: "vault",
                detail: &format!("noted while locked: {}", self.detail),
            }),
            Some(action) if self.operator == LOCK_OPERATOR => f(&NewEntry {
                at: self.at,
                operator: LOCK_OPERATOR,
                action,
                subject: "vault",
                detail: &format!(
                    "reported while locked, not verified (gemeld terwijl vergrendeld, niet \
                     geverifieerd): {}",
                    self.detail
                ),
            }),
            _ => f(&NewEntry {
                at: self.at,
                operator: LOCK_OPERATOR,
                action: AuditAction::Edit,
                subject: OUTSIDE_FILE,
                detail: &format!(
                    "refused a note that is no lock event (action {:?} in the name of {:?}): the file was edited",
                    self.action, self.operator
                ),
            }),
        }
    }
}

/// Who the audit log names for what the lock does on its own while locked.
pub const LOCK_OPERATOR: &str = "kluis";

/// What the lock notes while locked; nothing else may come from the notes.
const DEFERRED_ACTIONS: [AuditAction; 5] = [
    AuditAction::Lock,
    AuditAction::DayClosed,
    AuditAction::NewDay,
    AuditAction::ClockSetBack,
    AuditAction::Closing,
];

pub(crate) fn read(dir: &Path) -> Result<OutsideFile, VaultError> {
    let path = dir.join(OUTSIDE_FILE);
    match fs::read(&path) {
        Ok(bytes) => {
            let file: OutsideFile = serde_json::from_slice(&bytes)
                .map_err(|e| VaultError::DamagedFile(path.clone(), e.to_string()))?;
            if file.format != OUTSIDE_FORMAT {
                return Err(VaultError::DamagedFile(
                    path,
                    format!("unknown format {:?}", file.format),
                ));
            }
            Ok(file)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(OutsideFile::default()),
        Err(source) => Err(VaultError::Io { path, source }),
    }
}

pub(crate) fn write(dir: &Path, mut file: OutsideFile) -> Result<(), VaultError> {
    let path = dir.join(OUTSIDE_FILE);
    file.format = OUTSIDE_FORMAT.to_owned();
    let bytes = serde_json::to_vec_pretty(&file).map_err(|_| VaultError::Crypto)?;
    atomic::write(&path, &bytes).map_err(|source| VaultError::Io { path, source })
}

/// Keeps the audit head's copy (see `head.rs`).
pub(crate) fn set_audit_head(dir: &Path, head: String) -> Result<(), VaultError> {
    let mut file = read(dir)?;
    file.audit_head = Some(head);
    write(dir, file)
}

pub(crate) fn set_notes(dir: &Path, notes: &[(&str, String)]) -> Result<(), VaultError> {
    let mut file = read(dir)?;
    for (key, value) in notes {
        file.notes.insert((*key).to_owned(), value.clone());
    }
    write(dir, file)
}
