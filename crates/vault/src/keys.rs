//! Key slots: the one data key, wrapped once per passphrase.
//!
//! A slot derives a wrapping key from its passphrase with Argon2id (its own
//! salt and parameters) and holds the data key sealed with AES-256-GCM. The
//! slot's name and parameters are the associated data, so neither can be
//! changed without the slot failing to open.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::VaultError;

/// What the associated data starts with: names the format, so a slot of
/// another format or purpose never opens as this one.
const CONTEXT: &[u8] = b"kluis key slot v1\0";

/// The random 256-bit key that encrypts everything in a vault. Never
/// written anywhere but wrapped in a slot; wiped when dropped.
pub struct DataKey(SecretBox<[u8; 32]>);

impl DataKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self, VaultError> {
        let mut key = Box::new([0u8; 32]);
        getrandom::fill(&mut key[..]).map_err(|_| VaultError::NoRandomness)?;
        Ok(Self(SecretBox::new(key)))
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// Argon2id's cost. Never below RFC 9106's second recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub lanes: u32,
}

impl KdfParams {
    /// RFC 9106, section 4, second recommended option: 64 MiB, t=3, p=4.
    pub const FLOOR: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        lanes: 4,
    };

    /// Whether each parameter is at least the floor's.
    pub fn meets_floor(&self) -> bool {
        self.memory_kib >= Self::FLOOR.memory_kib
            && self.iterations >= Self::FLOOR.iterations
            && self.lanes >= Self::FLOOR.lanes
    }

    fn argon2(&self) -> Result<Argon2<'static>, VaultError> {
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, Some(32))
            .map_err(|_| VaultError::BadKdfParams(*self))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// The wrapping key for `passphrase` and `salt`.
    pub(crate) fn derive(
        &self,
        passphrase: &SecretString,
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, VaultError> {
        let mut out = Zeroizing::new([0u8; 32]);
        self.argon2()?
            .hash_password_into(passphrase.expose_secret().as_bytes(), salt, &mut out[..])
            .map_err(|_| VaultError::BadKdfParams(*self))?;
        Ok(out)
    }
}

/// Who a slot belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum SlotOwner {
    /// One customer-contact employee.
    Operator(String),
    /// The municipality's administrator.
    Admin,
    /// The printed recovery key.
    Recovery,
}

impl SlotOwner {
    /// An operator's slot, if `name` can be one: printable, not a reserved word.
    pub fn operator(name: &str) -> Result<Self, VaultError> {
        let refused = |why| Err(VaultError::BadOperatorName(why));
        if name.trim().is_empty() {
            return refused("empty");
        }
        if name.chars().count() > 64 {
            return refused("longer than 64 characters");
        }
        if name.chars().any(char::is_control) || name.trim() != name {
            return refused("control characters or spaces at either end");
        }
        if ["admin", "recovery"].contains(&name.to_lowercase().as_str()) {
            return refused("`admin` and `recovery` name the other slots");
        }
        Ok(Self::Operator(name.to_owned()))
    }
}

impl fmt::Display for SlotOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Operator(name) => write!(f, "operator {name}"),
            Self::Admin => f.write_str("admin"),
            Self::Recovery => f.write_str("recovery key"),
        }
    }
}

/// The data key wrapped for one passphrase. Holds nothing secret in the clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySlot {
    /// Whose passphrase opens it.
    pub owner: SlotOwner,
    /// The cost of deriving its key.
    pub kdf: KdfParams,
    #[serde(with = "crate::hex::serde")]
    salt: Vec<u8>,
    #[serde(with = "crate::hex::serde")]
    nonce: Vec<u8>,
    /// The data key sealed with AES-256-GCM: 32 bytes and a 16-byte tag.
    #[serde(with = "crate::hex::serde")]
    wrapped: Vec<u8>,
}

impl KeySlot {
    /// Wraps `key` for `passphrase`.
    pub fn seal(
        owner: SlotOwner,
        passphrase: &SecretString,
        key: &DataKey,
        kdf: KdfParams,
    ) -> Result<Self, VaultError> {
        if !kdf.meets_floor() {
            return Err(VaultError::BadKdfParams(kdf));
        }
        let mut salt = vec![0u8; 16];
        let mut nonce = vec![0u8; 12];
        getrandom::fill(&mut salt).map_err(|_| VaultError::NoRandomness)?;
        getrandom::fill(&mut nonce).map_err(|_| VaultError::NoRandomness)?;
        let wrapping = kdf.derive(&nfc(passphrase), &salt)?;
        let aad = associated_data(&owner, &kdf);
        let wrapped = Aes256Gcm::new(wrapping.as_ref().into())
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: key.expose(),
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Crypto)?;
        Ok(Self {
            owner,
            kdf,
            salt,
            nonce,
            wrapped,
        })
    }

    /// The data key, if `passphrase` is this slot's.
    pub fn open(&self, passphrase: &SecretString) -> Result<DataKey, VaultError> {
        self.open_noting(passphrase).map(|(key, _)| key)
    }

    /// The data key, and whether the slot opened only with the passphrase
    /// exactly as typed rather than its NFC form: a slot sealed before
    /// passphrases were normalised (so that "café" typed with a combining
    /// accent opens what "café" made), to be sealed again.
    pub(crate) fn open_noting(
        &self,
        passphrase: &SecretString,
    ) -> Result<(DataKey, bool), VaultError> {
        let normal = nfc(passphrase);
        match self.open_exact(&normal) {
            Err(VaultError::WrongPassphrase)
                if normal.expose_secret() != passphrase.expose_secret() =>
            {
                self.open_exact(passphrase).map(|key| (key, true))
            }
            other => other.map(|key| (key, false)),
        }
    }

    fn open_exact(&self, passphrase: &SecretString) -> Result<DataKey, VaultError> {
        if !self.kdf.meets_floor() || self.salt.len() != 16 || self.nonce.len() != 12 {
            return Err(VaultError::DamagedSlot(self.owner.to_string()));
        }
        let wrapping = self.kdf.derive(passphrase, &self.salt)?;
        let aad = associated_data(&self.owner, &self.kdf);
        let plain = Zeroizing::new(
            Aes256Gcm::new(wrapping.as_ref().into())
                .decrypt(
                    Nonce::from_slice(&self.nonce),
                    Payload {
                        msg: &self.wrapped,
                        aad: &aad,
                    },
                )
                .map_err(|_| VaultError::WrongPassphrase)?,
        );
        let mut key = Box::new([0u8; 32]);
        if plain.len() != key.len() {
            return Err(VaultError::DamagedSlot(self.owner.to_string()));
        }
        key.copy_from_slice(&plain);
        Ok(DataKey(SecretBox::new(key)))
    }
}

/// The passphrase in Unicode's composed form (NFC): the same text typed on
/// another keyboard or system gives the same key.
fn nfc(passphrase: &SecretString) -> SecretString {
    use unicode_normalization::UnicodeNormalization;
    SecretString::from(passphrase.expose_secret().nfc().collect::<String>())
}

fn associated_data(owner: &SlotOwner, kdf: &KdfParams) -> Vec<u8> {
    let mut aad = CONTEXT.to_vec();
    // serde_json of these two types cannot fail: no maps with odd keys, no floats.
    aad.extend(serde_json::to_vec(&(owner, kdf)).unwrap_or_default());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn a_passphrase_opens_in_either_unicode_form_and_an_old_slot_is_noted() {
        let key = DataKey::generate().unwrap();
        let composed = secret("caf\u{e9} op de gracht");
        let decomposed = secret("cafe\u{301} op de gracht");
        let slot = KeySlot::seal(SlotOwner::Admin, &decomposed, &key, KdfParams::FLOOR).unwrap();
        assert!(!slot.open_noting(&composed).unwrap().1);
        assert!(!slot.open_noting(&decomposed).unwrap().1);
        // A slot from before: sealed over the passphrase as typed (NFD).
        let wrapping = KdfParams::FLOOR.derive(&decomposed, &slot.salt).unwrap();
        let old = KeySlot {
            wrapped: Aes256Gcm::new(wrapping.as_ref().into())
                .encrypt(
                    Nonce::from_slice(&slot.nonce),
                    Payload {
                        msg: key.expose(),
                        aad: &associated_data(&slot.owner, &slot.kdf),
                    },
                )
                .unwrap(),
            ..slot.clone()
        };
        assert!(old.open_noting(&decomposed).unwrap().1);
        assert!(matches!(
            old.open_noting(&composed),
            Err(VaultError::WrongPassphrase)
        ));
    }

    #[test]
    fn a_slot_opens_with_its_passphrase_only() {
        let key = DataKey::generate().unwrap();
        let slot = KeySlot::seal(
            SlotOwner::Operator("jansen".into()),
            &secret("correct horse"),
            &key,
            KdfParams::FLOOR,
        )
        .unwrap();
        let opened = slot.open(&secret("correct horse")).unwrap();
        assert_eq!(opened.expose(), key.expose());
        assert!(matches!(
            slot.open(&secret("correct hors")),
            Err(VaultError::WrongPassphrase)
        ));
    }

    #[test]
    fn a_slot_whose_owner_or_cost_was_edited_does_not_open() {
        let key = DataKey::generate().unwrap();
        let slot =
            KeySlot::seal(SlotOwner::Admin, &secret("beheer"), &key, KdfParams::FLOOR).unwrap();
        let mut renamed = slot.clone();
        renamed.owner = SlotOwner::Operator("mallory".into());
        assert!(renamed.open(&secret("beheer")).is_err());
        let mut cheaper = slot.clone();
        cheaper.kdf.memory_kib -= 1024;
        assert!(matches!(
            cheaper.open(&secret("beheer")),
            Err(VaultError::DamagedSlot(_))
        ));
        let mut costlier = slot;
        costlier.kdf.iterations += 1;
        assert!(matches!(
            costlier.open(&secret("beheer")),
            Err(VaultError::WrongPassphrase)
        ));
    }

    #[test]
    fn parameters_below_the_floor_are_refused() {
        let key = DataKey::generate().unwrap();
        let weak = KdfParams {
            memory_kib: 19 * 1024,
            ..KdfParams::FLOOR
        };
        assert!(matches!(
            KeySlot::seal(SlotOwner::Admin, &secret("x"), &key, weak),
            Err(VaultError::BadKdfParams(_))
        ));
    }

    #[test]
    fn nothing_secret_is_printed() {
        let key = DataKey::generate().unwrap();
        let slot =
            KeySlot::seal(SlotOwner::Admin, &secret("geheim"), &key, KdfParams::FLOOR).unwrap();
        assert_eq!(format!("{key:?}"), "DataKey(..)");
        let shown = format!("{slot:?}");
        let key_hex = crate::hex::encode(key.expose());
        assert!(!shown.contains("geheim") && !shown.contains(&key_hex));
    }
}
