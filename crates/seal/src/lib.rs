//! The sealed daily package for the archive, and its verification.
//!
//! This crate needs no vault: the archivist's tools (`kluis verify`,
//! `kluis open`) link only this. It grows by issue 8: the BagIt check
//! ([`bagit`]), the bag writer ([`bag`]) and its deterministic tar
//! ([`tar`], read back in one pass) come first; MDTO, the signatures, age
//! and the chain follow.
#![forbid(unsafe_code)]

pub mod bag;
pub mod bagit;
pub mod encrypt;
pub mod mdto;
mod once;
pub mod package;
pub mod sign;
pub mod tar;
pub mod verify;

/// Lowercase hex, as manifests, MDTO and the chain write checksums.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}
