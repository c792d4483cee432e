//! The sealed daily package for the archive, and its verification.
//!
//! This crate needs no vault: the archivist's tools (`kluis verify`,
//! `kluis open`) link only this. It grows by issue 8: the BagIt check
//! ([`bagit`]) comes first, then the writer, MDTO, the signatures, age and
//! the chain.
#![forbid(unsafe_code)]

pub mod bagit;
