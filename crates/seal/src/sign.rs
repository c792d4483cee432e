//! Signatures in minisign's format (Ed25519 over a BLAKE2b-512 prehash),
//! so that the archive checks them with `minisign -V` without Kluis.
//! Legacy (not prehashed) signatures are refused.

use std::fmt;
use std::io::{Read, Seek};

/// Why a signature could not be made or does not hold.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the public key is not a minisign public key: {0}")]
    BadPublicKey(String),
    #[error("the signature file is not a minisign signature: {0}")]
    BadSignature(String),
    #[error("signed with key {signed_with}, not with {expected}")]
    OtherKey {
        signed_with: String,
        expected: String,
    },
    #[error("the signature does not match the data (changed, or a swapped signature)")]
    Mismatch,
    #[error("signing failed: {0}")]
    Signing(String),
}

/// The workstation's signing key (its secret half stays in the vault).
pub struct SigningKey {
    public: minisign::PublicKey,
    secret: minisign::SecretKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("id", &key_id(self.public.keynum()))
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new key pair.
    pub fn generate() -> Result<Self, SignError> {
        let pair = minisign::KeyPair::generate_unencrypted_keypair()
            .map_err(|e| SignError::Signing(e.to_string()))?;
        Ok(Self {
            public: pair.pk,
            secret: pair.sk,
        })
    }

    /// The key from the bytes [`SigningKey::to_bytes`] gave (kept
    /// encrypted in the vault).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SignError> {
        let secret = minisign::SecretKey::from_bytes(bytes)
            .map_err(|e| SignError::Signing(e.to_string()))?;
        let public = minisign::PublicKey::from_secret_key(&secret)
            .map_err(|e| SignError::Signing(e.to_string()))?;
        Ok(Self { public, secret })
    }

    /// The secret key's bytes, unencrypted: for the vault to encrypt.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.secret.to_bytes()
    }

    /// The public key as a `.pub` file, for the archive.
    pub fn public_key_file(&self) -> String {
        self.public
            .to_box()
            .map(|b| b.into_string())
            .unwrap_or_default()
    }

    /// The key ID minisign prints (16 hex digits).
    pub fn id(&self) -> String {
        key_id(self.public.keynum())
    }

    /// Signs `data`; `trusted_comment` (one line) is signed with it.
    pub fn sign(&self, data: impl Read, trusted_comment: &str) -> Result<String, SignError> {
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            data,
            Some(trusted_comment),
            Some(&format!("signature from Kluis key {}", self.id())),
        )
        .map_err(|e| SignError::Signing(e.to_string()))?;
        Ok(signature.into_string())
    }
}

/// Checks `signature` (a `.minisig` file's text) over `data` with the public
/// key `public_key` (a `.pub` file's text, or its base64 line); returns the
/// trusted comment.
pub fn verify(public_key: &str, data: impl Read, signature: &str) -> Result<String, SignError> {
    let line = public_key
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
        .unwrap_or_default();
    let public = minisign::PublicKey::from_base64(line)
        .map_err(|e| SignError::BadPublicKey(e.to_string()))?;
    let signature = minisign::SignatureBox::from_string(signature)
        .map_err(|e| SignError::BadSignature(e.to_string()))?;
    if signature.keynum() != public.keynum() {
        return Err(SignError::OtherKey {
            signed_with: key_id(signature.keynum()),
            expected: key_id(public.keynum()),
        });
    }
    if !signature.is_prehashed() {
        return Err(SignError::BadSignature(
            "a legacy signature (not prehashed)".into(),
        ));
    }
    minisign::verify(&public, &signature, Straight(data), true, false, false)
        .map_err(|_| SignError::Mismatch)?;
    signature
        .trusted_comment()
        .map_err(|e| SignError::BadSignature(e.to_string()))
}

/// Minisign's check takes a seekable reader but, asked for no copy of the
/// data, reads it straight through once; so any reader will do, even one
/// that shares its bytes with another check as they pass.
struct Straight<R>(R);

impl<R: Read> Read for Straight<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R> Seek for Straight<R> {
    fn seek(&mut self, _: std::io::SeekFrom) -> std::io::Result<u64> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "a signature is checked in one pass",
        ))
    }
}

/// Minisign prints key IDs as the little-endian number, in hex.
fn key_id(keynum: &[u8]) -> String {
    keynum.iter().rev().map(|b| format!("{b:02X}")).collect()
}
