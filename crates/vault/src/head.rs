//! The audit log's head, kept outside the database after every commit, so
//! that a database that went back in time (an older copy put in its place,
//! a write-ahead log deleted after a crash) is noticed at the next unlock
//! instead of being opened as if nothing were missing.
//!
//! ```text
//! DIR/audit-head.json   {"format":"kluis-audit-head/1","vault":…,"seq":…,"hash":…,"mac":…}
//! ```
//!
//! The MAC is HMAC-SHA256 under a key derived from the data key, so only
//! someone who can unlock can write a head that verifies. The store notes
//! (setting [`RECORDED_SETTING`]) that its head is kept outside, so the
//! file cannot simply be removed either. A copy goes into `outside.json`,
//! beside the lock's notes, at every unlock and lock (not at every commit:
//! imports commit once a file): a database put back together with
//! `audit-head.json` after a session is still behind that copy, and the
//! newer of the two is the one judged.

use std::io;
use std::path::{Path, PathBuf};

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::keys::DataKey;
use crate::{VaultError, atomic, hex, outside};

pub(crate) const HEAD_FILE: &str = "audit-head.json";
const FORMAT: &str = "kluis-audit-head/1";
/// Set inside the store once its head has been kept outside.
pub(crate) const RECORDED_SETTING: &str = "audit.head_outside";
/// The vault's identity, kept inside the store (and copied into
/// `keyslots.json`, which an older Kluis may rewrite without it).
pub(crate) const ID_SETTING: &str = "vault.id";

#[derive(Serialize, Deserialize)]
struct HeadJson {
    format: String,
    vault: String,
    seq: i64,
    hash: String,
    mac: String,
}

/// The last audit entry's number and hash.
pub(crate) type Head = (i64, [u8; 32]);

/// Where the head is kept, and the key that authenticates it.
pub(crate) struct HeadFile {
    path: PathBuf,
    vault: String,
    mac_key: Zeroizing<[u8; 32]>,
}

impl HeadFile {
    pub(crate) fn new(dir: &Path, vault: &str, key: &DataKey) -> Self {
        let mut mac_key = Zeroizing::new([0u8; 32]);
        // 32 bytes is within what HKDF-SHA256 can expand.
        let _ = Hkdf::<Sha256>::new(None, key.expose())
            .expand(b"kluis audit head v1", &mut mac_key[..]);
        Self {
            path: dir.join(HEAD_FILE),
            vault: vault.to_owned(),
            mac_key,
        }
    }

    /// The vault id the head file in `dir` names, if its MAC holds under
    /// `key` with that id: for a store from before ids were kept in it.
    pub(crate) fn named_id(dir: &Path, key: &DataKey) -> Option<String> {
        let bytes = std::fs::read(dir.join(HEAD_FILE)).ok()?;
        let file: HeadJson = serde_json::from_slice(&bytes).ok()?;
        let named = Self::new(dir, &file.vault, key);
        named.read().ok().flatten().map(|_| file.vault)
    }

    fn mac(&self, seq: i64, hash: &[u8; 32]) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key[..]).expect("any key length");
        mac.update(FORMAT.as_bytes());
        mac.update(&(self.vault.len() as u64).to_le_bytes());
        mac.update(self.vault.as_bytes());
        mac.update(&seq.to_le_bytes());
        mac.update(hash);
        mac
    }

    /// The recorded head: the newer of the file's and the note's, if
    /// either exists; one that does not verify (edited, another vault's,
    /// not Kluis's) is damage. Notes that cannot be read at all are passed
    /// over, as the lock passes them over.
    pub(crate) fn read(&self) -> Result<Option<Head>, VaultError> {
        let file = match std::fs::read(&self.path) {
            Ok(bytes) => Some(self.verified(&bytes, &self.path)?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(VaultError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let note = match self.dir().map(outside::read) {
            Some(Ok(outside)) => match outside.audit_head {
                Some(text) => Some(self.verified(text.as_bytes(), &self.notes_path())?),
                None => None,
            },
            _ => None,
        };
        Ok(match (file, note) {
            (Some(file), Some(note)) if note.0 > file.0 => Some(note),
            (Some(file), _) => Some(file),
            (None, note) => note,
        })
    }

    fn dir(&self) -> Option<&Path> {
        self.path.parent()
    }

    fn notes_path(&self) -> PathBuf {
        self.path.with_file_name(outside::OUTSIDE_FILE)
    }

    /// The head `bytes` (read from `path`) record, if they verify.
    fn verified(&self, bytes: &[u8], path: &Path) -> Result<Head, VaultError> {
        let damaged = |why: &str| VaultError::DamagedFile(path.to_owned(), why.to_owned());
        let file: HeadJson =
            serde_json::from_slice(bytes).map_err(|_| damaged("not Kluis's audit head"))?;
        let hash: [u8; 32] = hex::decode(&file.hash)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| damaged("its hash is not 32 bytes of hex"))?;
        let mac = hex::decode(&file.mac).ok_or_else(|| damaged("its MAC is not hex"))?;
        if file.format != FORMAT || file.vault != self.vault {
            return Err(damaged("it belongs to another vault or format"));
        }
        self.mac(file.seq, &hash)
            .verify_slice(&mac)
            .map_err(|_| damaged("it was not written by this vault (its MAC does not hold)"))?;
        Ok((file.seq, hash))
    }

    /// Records `head` in the file and its copy beside the notes.
    pub(crate) fn record(&self, head: Head) -> io::Result<()> {
        self.write(head)?;
        self.write_copy(head)
    }

    /// Records `head` in the file, atomically and durably (every commit).
    pub(crate) fn write(&self, head: Head) -> io::Result<()> {
        atomic::write(&self.path, &self.json(head)?)
    }

    /// Records `head` as the copy beside the notes (unlock and lock).
    pub(crate) fn write_copy(&self, head: Head) -> io::Result<()> {
        let text = String::from_utf8(self.json(head)?).map_err(io::Error::other)?;
        let dir = self.dir().unwrap_or(Path::new("."));
        outside::set_audit_head(dir, text).map_err(io::Error::other)
    }

    fn json(&self, (seq, hash): Head) -> io::Result<Vec<u8>> {
        let file = HeadJson {
            format: FORMAT.to_owned(),
            vault: self.vault.clone(),
            seq,
            hash: hex::encode(&hash),
            mac: hex::encode(&self.mac(seq, &hash).finalize().into_bytes()),
        };
        serde_json::to_vec(&file).map_err(io::Error::other)
    }
}

/// What the database's head says against the recorded one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Judgement {
    /// As recorded, or later (a crash between a commit and its record).
    Current,
    /// Never recorded yet: a vault from before the head was kept outside.
    FirstRecord,
}

/// Judges the database's head `found` against the `recorded` one, given
/// whether the store says a head was ever recorded and the hash the log
/// holds at the recorded seq (`at_recorded`), so a longer log must still
/// hold the recorded entry.
pub(crate) fn judge(
    found: Option<Head>,
    recorded: Option<Head>,
    was_recorded: bool,
    at_recorded: Option<[u8; 32]>,
) -> Result<Judgement, VaultError> {
    let found_seq = found.map_or(0, |(seq, _)| seq);
    match recorded {
        None if was_recorded => Err(VaultError::HeadMissing),
        None => Ok(Judgement::FirstRecord),
        Some((seq, _)) if found_seq < seq => Err(VaultError::RolledBack {
            recorded: seq,
            found: found_seq,
        }),
        // Seq 0: recorded before the first entry; any log continues it.
        Some((0, _)) => Ok(Judgement::Current),
        Some((seq, hash)) if at_recorded != Some(hash) => Err(VaultError::Substituted { seq }),
        Some(_) => Ok(Judgement::Current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements() {
        let h = |seq, b| Some((seq, [b; 32]));
        // The log's entries 1..=7 all hash to [1; 32] here.
        let hash_at = |seq: i64| (1..=7).contains(&seq).then_some([1u8; 32]);
        let check = |found, recorded: Option<Head>, was, expect: &str| {
            let at = recorded.and_then(|(seq, _)| hash_at(seq));
            let got = match judge(found, recorded, was, at) {
                Ok(j) => format!("{j:?}"),
                Err(e) => format!("{e:?}"),
            };
            assert!(got.starts_with(expect), "{got}");
        };
        check(h(5, 1), h(5, 1), true, "Current");
        check(h(7, 1), h(5, 1), true, "Current");
        check(h(5, 1), None, false, "FirstRecord");
        check(h(5, 1), None, true, "HeadMissing");
        check(
            h(4, 1),
            h(5, 1),
            true,
            "RolledBack { recorded: 5, found: 4 }",
        );
        check(None, h(5, 1), true, "RolledBack { recorded: 5, found: 0 }");
        check(h(5, 1), h(5, 2), true, "Substituted { seq: 5 }");
        // Longer, but the recorded entry is not the one there now.
        check(h(7, 1), h(5, 2), true, "Substituted { seq: 5 }");
        // Recorded before the first entry.
        check(h(3, 1), h(0, 0), true, "Current");
        check(None, h(0, 0), true, "Current");
    }

    #[test]
    fn a_head_verifies_only_under_its_own_key_and_vault() {
        let dir = std::env::temp_dir().join(format!("kluis-head-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let key = DataKey::generate().unwrap();
        let file = HeadFile::new(&dir, "v1", &key);
        assert_eq!(file.read().unwrap(), None);
        file.write((3, [9; 32])).unwrap();
        assert_eq!(file.read().unwrap(), Some((3, [9; 32])));
        let other_key = HeadFile::new(&dir, "v1", &DataKey::generate().unwrap());
        assert!(matches!(other_key.read(), Err(VaultError::DamagedFile(..))));
        let other_vault = HeadFile::new(&dir, "v2", &key);
        assert!(matches!(
            other_vault.read(),
            Err(VaultError::DamagedFile(..))
        ));
        // A seq raised by hand no longer verifies.
        let text = std::fs::read_to_string(dir.join(HEAD_FILE)).unwrap();
        std::fs::write(dir.join(HEAD_FILE), text.replace("\"seq\":3", "\"seq\":30")).unwrap();
        assert!(matches!(file.read(), Err(VaultError::DamagedFile(..))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
