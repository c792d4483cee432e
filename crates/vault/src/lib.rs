//! The vault: everything Kluis keeps about citizens, encrypted at rest, with
//! the keys only in memory while unlocked.
//!
//! One random data key encrypts everything; it is stored only wrapped, once
//! per passphrase, in [`keys::KeySlot`]s. The reference is
//! `../shared/DESIGN.md` ("The vault").
#![forbid(unsafe_code)]

mod atomic;
mod attempts;
pub mod audit;
pub mod blob;
pub mod calibrate;
mod head;
mod hex;
pub mod keys;
pub mod local_time;
mod outside;
pub mod recovery;
pub mod store;
mod vault;

pub use keys::{DataKey, KdfParams, KeySlot, SlotOwner};
pub use local_time::LocalTime;
pub use outside::LOCK_OPERATOR;
pub use vault::{Outside, Session, Vault, request_closing, withdraw_closing_request};

use std::path::PathBuf;

/// Why the vault refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The passphrase does not open the slot (before it is counted).
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// A wrong passphrase, counted.
    #[error("wrong passphrase (failed attempt {failures}{})", wait_note(*wait_seconds))]
    Refused { failures: u32, wait_seconds: u64 },
    /// Too many failures: the next try is allowed later.
    #[error("too many failed attempts: try again in {seconds} s")]
    TooSoon { seconds: u64 },
    /// Too many failures in a row: only the admin or recovery key opens now.
    #[error("{failures} failed attempts in a row: only the admin or the recovery key opens now")]
    AdminNeeded { failures: u32 },
    /// What was typed is not a recovery key.
    #[error("not a recovery key: {0}")]
    BadRecoveryKey(recovery::RecoveryKeyError),
    /// No slot for whom.
    #[error("this vault has no key slot for {0}")]
    NoSuchSlot(SlotOwner),
    /// A slot for whom exists already.
    #[error("this vault already has a key slot for {0}")]
    SlotExists(SlotOwner),
    /// An operator name Kluis cannot use.
    #[error("operator name refused: {0}")]
    BadOperatorName(&'static str),
    /// The session's slot may not do this.
    #[error("not allowed: {0}")]
    NotPermitted(&'static str),
    /// A slot's stored fields are not what Kluis writes.
    #[error("the key slot of {0} is damaged")]
    DamagedSlot(String),
    /// A file of the vault is not what Kluis writes.
    #[error("{0} is damaged: {1}")]
    DamagedFile(PathBuf, String),
    /// Argon2id parameters below the floor or beyond what the crate accepts.
    #[error("key derivation parameters refused: {0:?} (at least 64 MiB, 3 passes, 4 lanes)")]
    BadKdfParams(KdfParams),
    /// No vault here.
    #[error(
        "{0} is not a Kluis vault (no keyslots.json); create one with `kluis --vault DIR init`"
    )]
    NotAVault(PathBuf),
    /// `init` on an existing vault.
    #[error("{0} is already a Kluis vault")]
    AlreadyAVault(PathBuf),
    /// `init` on a folder with other files in it.
    #[error("{0} is not empty: a new vault needs an empty or new folder")]
    NotEmpty(PathBuf),
    /// The database is older than the audit head recorded after its last
    /// commit: a copy from before put in its place, or its write-ahead log
    /// (`kluis.db-wal`) lost after a crash.
    #[error(
        "the database (kluis.db) has gone back in time: the audit log ends at entry {found}, but \
         entry {recorded} was recorded after the last commit, so what came after is missing. \
         Nothing was changed. If kluis.db-wal was moved or deleted, put it back. If an older copy \
         was put back on purpose (restore kluis.db from the latest backup and tell the privacy \
         officer), the recovery key accepts it, logged: kluis --vault DIR --as recovery --reason \
         TEXT unlock-check --accept-older-database"
    )]
    RolledBack { recorded: i64, found: i64 },
    /// Another database with the same key in place of the vault's own.
    #[error(
        "the database (kluis.db) is not the one last written: its audit entry {seq} differs from \
         the one recorded. Nothing was changed; restore kluis.db from the latest backup and tell \
         the privacy officer. The recovery key accepts it, logged: kluis --vault DIR --as \
         recovery --reason TEXT unlock-check --accept-older-database"
    )]
    Substituted { seq: i64 },
    /// The audit head kept outside the database is gone.
    #[error(
        "audit-head.json is missing from the vault folder, so the database cannot be checked for \
         missing entries. Nothing was changed; restore the file from the latest backup, or accept \
         the database as it is with the recovery key, logged: kluis --vault DIR --as recovery \
         --reason TEXT unlock-check --accept-older-database"
    )]
    HeadMissing,
    /// Another process holds the vault.
    #[error("{0} is open in another Kluis process; close that one first")]
    InUse(PathBuf),
    /// A file of the vault could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Blob(#[from] blob::BlobError),
    /// The operating system gave no random bytes.
    #[error("the operating system's random source failed")]
    NoRandomness,
    /// An encryption primitive failed where it cannot for valid input.
    #[error("encryption failed")]
    Crypto,
}

fn wait_note(seconds: u64) -> String {
    if seconds == 0 {
        String::new()
    } else {
        format!("; the next attempt is possible in {seconds} s")
    }
}
