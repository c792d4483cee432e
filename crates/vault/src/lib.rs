//! The vault: everything Kluis keeps about citizens, encrypted at rest, with
//! the keys only in memory while unlocked.
//!
//! One random data key encrypts everything; it is stored only wrapped, once
//! per passphrase, in [`keys::KeySlot`]s. The reference is
//! `../shared/DESIGN.md` ("The vault").
#![forbid(unsafe_code)]

pub mod keys;
pub mod recovery;

pub use keys::{DataKey, KdfParams, KeySlot, SlotOwner};

/// Why the vault refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The passphrase opens no slot it was tried on.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// A slot's stored fields are not what Kluis writes.
    #[error("the key slot of {0} is damaged")]
    DamagedSlot(String),
    /// Argon2id parameters below the floor or beyond what the crate accepts.
    #[error("key derivation parameters refused: {0:?} (at least 64 MiB, 3 passes, 4 lanes)")]
    BadKdfParams(KdfParams),
    /// The operating system gave no random bytes.
    #[error("the operating system's random source failed")]
    NoRandomness,
    /// An encryption primitive failed where it cannot for valid input.
    #[error("encryption failed")]
    Crypto,
}
