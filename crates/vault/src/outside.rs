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

use crate::audit::{AuditAction, NewEntry};
use crate::{VaultError, atomic};

pub(crate) const OUTSIDE_FILE: &str = "outside.json";
const OUTSIDE_FORMAT: &str = "kluis-outside/1";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct OutsideFile {
    format: String,
    pub(crate) notes: BTreeMap<String, String>,
    pub(crate) deferred: Vec<DeferredEntry>,
}

/// An audit entry waiting for the next unlock.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DeferredEntry {
    at: i64,
    operator: String,
    action: String,
    subject: String,
    detail: String,
}

impl DeferredEntry {
    pub(crate) fn new(entry: &NewEntry<'_>) -> Self {
        Self {
            at: entry.at,
            operator: entry.operator.to_owned(),
            action: entry.action.name().to_owned(),
            subject: entry.subject.to_owned(),
            detail: entry.detail.to_owned(),
        }
    }

    /// As an entry to append. The notes are outside the encryption, so
    /// anyone with the folder can edit them: only the lock's own events,
    /// in its own name, are taken as such; anything else is recorded as
    /// a refused note, in the lock's name, never in the name it claims.
    pub(crate) fn with_entry<T>(&self, f: impl FnOnce(&NewEntry<'_>) -> T) -> T {
        let action = AuditAction::from_name(&self.action).filter(|a| DEFERRED_ACTIONS.contains(a));
        match action {
            Some(action) if self.operator == LOCK_OPERATOR => f(&NewEntry {
                at: self.at,
                operator: LOCK_OPERATOR,
                action,
                subject: "vault",
                detail: &format!("noted while locked: {}", self.detail),
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

pub(crate) fn set_notes(dir: &Path, notes: &[(&str, String)]) -> Result<(), VaultError> {
    let mut file = read(dir)?;
    for (key, value) in notes {
        file.notes.insert((*key).to_owned(), value.clone());
    }
    write(dir, file)
}
