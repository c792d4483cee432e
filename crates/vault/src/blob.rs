//! Encrypted files: media and the original exports (the authentic record).
//!
//! Each blob is AES-256-GCM in the STREAM construction (`aead::stream`,
//! big-endian 32-bit counter, last-chunk flag), 64 KiB of plaintext a
//! chunk, so a 2 GB video is written and read in constant memory and a
//! truncated or reordered file fails. Its key is derived from the data key
//! and the blob's random id with HKDF-SHA256; the id is also its file name,
//! so the name says nothing about the content and a file moved to another
//! name does not open. Written to a temporary file, fsynced, renamed.
//!
//! Layout: `MAGIC` (8) | id (16) | nonce prefix (7) | chunks of
//! ciphertext + 16-byte tag. The header is associated data of every chunk.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::KeyInit;
use aes_gcm::aead::stream::{DecryptorBE32, EncryptorBE32};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::atomic;
use crate::keys::DataKey;

const MAGIC: &[u8; 8] = b"KLUISBL1";
const ID_LEN: usize = 16;
const NONCE_PREFIX_LEN: usize = 7;
const HEADER_LEN: usize = MAGIC.len() + ID_LEN + NONCE_PREFIX_LEN;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;

/// A blob's random name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobId([u8; ID_LEN]);

impl BlobId {
    fn random() -> io::Result<Self> {
        let mut id = [0u8; ID_LEN];
        getrandom::fill(&mut id).map_err(io::Error::other)?;
        Ok(Self(id))
    }

    /// From its name (32 hex digits).
    pub fn parse(name: &str) -> Option<Self> {
        let bytes = crate::hex::decode(name)?;
        Some(Self(bytes.try_into().ok()?))
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::hex::encode(&self.0))
    }
}

impl fmt::Debug for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlobId({self})")
    }
}

/// Why a blob could not be written or read. Always names the blob.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob {0} is missing from the vault")]
    Missing(BlobId),
    #[error("blob {id} is damaged: chunk {chunk} fails authentication")]
    Damaged { id: BlobId, chunk: u64 },
    #[error("blob {id} is damaged: {what}")]
    Malformed { id: BlobId, what: &'static str },
    #[error("blob {id}: {source}")]
    Io { id: BlobId, source: io::Error },
    #[error("the blob folder {dir}: {source}")]
    Folder { dir: PathBuf, source: io::Error },
}

/// What a finished blob holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobInfo {
    pub id: BlobId,
    /// Plaintext bytes.
    pub size: u64,
    /// SHA-256 of the plaintext (for manifests; never part of the name).
    pub sha256: [u8; 32],
}

/// The blob folder of an unlocked vault.
pub struct Blobs<'k> {
    dir: PathBuf,
    key: &'k DataKey,
}

impl fmt::Debug for Blobs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blobs")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Blobs written for a transaction that has not committed: removed when
/// this is dropped (an error, a panic) unless [`Unclaimed::claim`]ed after
/// the commit, so a failed import leaves no file that no record refers to.
pub struct Unclaimed<'a, 'k> {
    blobs: &'a Blobs<'k>,
    ids: Vec<BlobId>,
}

impl<'a, 'k> Unclaimed<'a, 'k> {
    pub fn new(blobs: &'a Blobs<'k>) -> Self {
        Self {
            blobs,
            ids: Vec::new(),
        }
    }

    /// Notes a blob just written.
    pub fn add(&mut self, id: BlobId) {
        self.ids.push(id);
    }

    /// The records that refer to them have committed: keep them.
    pub fn claim(mut self) {
        self.ids.clear();
    }
}

impl Drop for Unclaimed<'_, '_> {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            if let Err(e) = self.blobs.remove(id) {
                // The next unlock removes what no record refers to.
                tracing::warn!(error = %e, "a file of a failed import could not be removed");
            }
        }
    }
}

impl fmt::Debug for Unclaimed<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unclaimed")
            .field("blobs", &self.ids.len())
            .finish()
    }
}

impl<'k> Blobs<'k> {
    /// Blobs under `dir` (no I/O; see [`Blobs::prepare`]).
    pub(crate) fn at(dir: &Path, key: &'k DataKey) -> Self {
        Self {
            dir: dir.to_owned(),
            key,
        }
    }

    /// Creates `dir` if missing and removes what interrupted writes left.
    /// Only when no blob is being written: at unlock.
    pub(crate) fn prepare(dir: &Path) -> Result<(), BlobError> {
        let create = |source| BlobError::Folder {
            dir: dir.to_owned(),
            source,
        };
        private_dir(dir).map_err(create)?;
        atomic::sweep_temp_files(dir).map_err(create)
    }

    /// Starts a new blob; nothing is visible under its name until
    /// [`BlobWriter::finish`].
    pub fn create(&self) -> Result<BlobWriter, BlobError> {
        let create = |source| BlobError::Folder {
            dir: self.dir.clone(),
            source,
        };
        let id = BlobId::random().map_err(create)?;
        let mut prefix = [0u8; NONCE_PREFIX_LEN];
        getrandom::fill(&mut prefix).map_err(|e| create(io::Error::other(e)))?;
        let mut header = [0u8; HEADER_LEN];
        header[..8].copy_from_slice(MAGIC);
        header[8..8 + ID_LEN].copy_from_slice(&id.0);
        header[8 + ID_LEN..].copy_from_slice(&prefix);
        let temp = self.dir.join(format!("{}{id}", atomic::TEMP_PREFIX));
        let mut file = atomic::create_private(&temp).map_err(create)?;
        file.write_all(&header).map_err(create)?;
        let key = blob_key(self.key, &id);
        let encryptor = EncryptorBE32::from_aead(Aes256Gcm::new((&*key).into()), (&prefix).into());
        Ok(BlobWriter {
            id,
            file: Some(file),
            temp,
            target: self.path(&id),
            header,
            encryptor: Some(encryptor),
            buffer: Zeroizing::new(Vec::with_capacity(CHUNK + TAG)),
            size: 0,
            sha256: Sha256::new(),
        })
    }

    /// Reads a blob back, chunk by chunk.
    pub fn open_blob(&self, id: BlobId) -> Result<BlobReader, BlobError> {
        let file = File::open(self.path(&id)).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => BlobError::Missing(id),
            _ => BlobError::Io { id, source },
        })?;
        let mut file = BufReader::with_capacity(CHUNK + TAG, file);
        let mut header = [0u8; HEADER_LEN];
        file.read_exact(&mut header)
            .map_err(|_| BlobError::Malformed {
                id,
                what: "shorter than its header",
            })?;
        if &header[..8] != MAGIC {
            return Err(BlobError::Malformed {
                id,
                what: "not a Kluis blob",
            });
        }
        if header[8..8 + ID_LEN] != id.0 {
            return Err(BlobError::Malformed {
                id,
                what: "it carries another blob's id",
            });
        }
        let mut prefix = [0u8; NONCE_PREFIX_LEN];
        prefix.copy_from_slice(&header[8 + ID_LEN..]);
        let key = blob_key(self.key, &id);
        Ok(BlobReader {
            id,
            file,
            header,
            decryptor: Some(DecryptorBE32::from_aead(
                Aes256Gcm::new((&*key).into()),
                (&prefix).into(),
            )),
            plain: Zeroizing::new(Vec::with_capacity(CHUNK + TAG)),
            at: 0,
            chunk: 0,
        })
    }

    /// Removes a blob (a purge).
    pub fn remove(&self, id: BlobId) -> Result<(), BlobError> {
        fs::remove_file(self.path(&id)).map_err(|source| BlobError::Io { id, source })
    }

    /// Every blob's file, for a check of the whole vault.
    /// Reads blob `id` to its end, which checks each chunk's tag and the
    /// last chunk's mark; says why it does not read, in words.
    pub fn read_through(&self, id: BlobId) -> Result<(), String> {
        let mut reader = self.open_blob(id).map_err(|e| e.to_string())?;
        io::copy(&mut reader, &mut io::sink())
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// [`Blobs::read_through`] for every blob; returns those that do not
    /// read, with why.
    pub fn check_all(&self) -> Result<Vec<(BlobId, String)>, BlobError> {
        Ok(self
            .ids()?
            .into_iter()
            .filter_map(|id| self.read_through(id).err().map(|why| (id, why)))
            .collect())
    }

    pub fn ids(&self) -> Result<Vec<BlobId>, BlobError> {
        let mut ids = Vec::new();
        let list = |source| BlobError::Folder {
            dir: self.dir.clone(),
            source,
        };
        for fan in fs::read_dir(&self.dir).map_err(list)? {
            let fan = fan.map_err(list)?;
            if !fan.file_type().map_err(list)?.is_dir() {
                continue;
            }
            for entry in fs::read_dir(fan.path()).map_err(list)? {
                let name = entry.map_err(list)?.file_name();
                if let Some(id) = name.to_str().and_then(BlobId::parse) {
                    ids.push(id);
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// `blobs/ab/abcdef…`: 256 folders keep any one of them small.
    fn path(&self, id: &BlobId) -> PathBuf {
        let name = id.to_string();
        self.dir.join(&name[..2]).join(name)
    }
}

fn blob_key(key: &DataKey, id: &BlobId) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    let mut info = b"kluis blob v1\0".to_vec();
    info.extend_from_slice(&id.0);
    // 32 bytes is far below HKDF-SHA256's limit, so expand cannot fail.
    let _ = Hkdf::<Sha256>::new(None, key.expose()).expand(&info, &mut out[..]);
    out
}

/// A blob being written. Dropped without [`BlobWriter::finish`], it leaves
/// nothing behind.
pub struct BlobWriter {
    id: BlobId,
    file: Option<File>,
    temp: PathBuf,
    target: PathBuf,
    header: [u8; HEADER_LEN],
    encryptor: Option<EncryptorBE32<Aes256Gcm>>,
    buffer: Zeroizing<Vec<u8>>,
    size: u64,
    sha256: Sha256,
}

impl fmt::Debug for BlobWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobWriter")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl BlobWriter {
    /// The name it will have.
    pub fn id(&self) -> BlobId {
        self.id
    }

    /// Encrypts the last chunk, makes the file durable and gives it its name.
    pub fn finish(mut self) -> Result<BlobInfo, BlobError> {
        let id = self.id;
        let io = |source| BlobError::Io { id, source };
        let encryptor = self.encryptor.take().ok_or_else(|| io(closed()))?;
        encryptor
            .encrypt_last_in_place(&self.header, &mut *self.buffer)
            .map_err(|_| io(io::Error::other("encryption failed")))?;
        let mut file = self.file.take().ok_or_else(|| io(closed()))?;
        let durable = file
            .write_all(&self.buffer)
            .and_then(|()| file.sync_all())
            .and_then(|()| {
                drop(file);
                let fan = self.target.parent().map(Path::to_owned).unwrap_or_default();
                private_dir(&fan)?;
                fs::rename(&self.temp, &self.target)
            });
        if let Err(error) = durable {
            // A full disk, say: the partial file goes now, not at the next unlock.
            let _ = fs::remove_file(&self.temp);
            return Err(io(error));
        }
        atomic::sync_parent(&self.target).map_err(io)?;
        tracing::debug!(blob = %id, bytes = self.size, "blob written");
        Ok(BlobInfo {
            id,
            size: self.size,
            sha256: std::mem::take(&mut self.sha256).finalize().into(),
        })
    }

    fn seal_full_chunk(&mut self) -> io::Result<()> {
        let encryptor = self.encryptor.as_mut().ok_or_else(closed)?;
        encryptor
            .encrypt_next_in_place(&self.header, &mut *self.buffer)
            .map_err(|_| io::Error::other("encryption failed"))?;
        self.file
            .as_mut()
            .ok_or_else(closed)?
            .write_all(&self.buffer)?;
        self.buffer.clear();
        Ok(())
    }
}

fn closed() -> io::Error {
    io::Error::other("the blob is already finished")
}

impl Write for BlobWriter {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let written = data.len();
        self.sha256.update(data);
        self.size += data.len() as u64;
        while !data.is_empty() {
            // A full chunk is sealed only once more data follows: the last
            // chunk, full or not, is sealed by finish with the last flag.
            if self.buffer.len() == CHUNK {
                self.seal_full_chunk()?;
            }
            let take = (CHUNK - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A blob being read: plaintext comes out one authenticated chunk at a time.
pub struct BlobReader {
    id: BlobId,
    file: BufReader<File>,
    header: [u8; HEADER_LEN],
    decryptor: Option<DecryptorBE32<Aes256Gcm>>,
    plain: Zeroizing<Vec<u8>>,
    at: usize,
    chunk: u64,
}

impl fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobReader")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl BlobReader {
    /// Decrypts the next chunk into `plain`; false at the end.
    fn next_chunk(&mut self) -> Result<bool, BlobError> {
        let id = self.id;
        let Some(mut decryptor) = self.decryptor.take() else {
            return Ok(false);
        };
        self.plain.clear();
        self.plain.resize(CHUNK + TAG, 0);
        let mut filled = 0;
        while filled < self.plain.len() {
            match self.file.read(&mut self.plain[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Err(BlobError::Io { id, source }),
            }
        }
        self.plain.truncate(filled);
        let at_end = filled < CHUNK + TAG
            || self
                .file
                .fill_buf()
                .map_err(|source| BlobError::Io { id, source })?
                .is_empty();
        if filled < TAG {
            return Err(BlobError::Malformed {
                id,
                what: "it ends inside a chunk (truncated)",
            });
        }
        let damaged = BlobError::Damaged {
            id,
            chunk: self.chunk,
        };
        if at_end {
            decryptor
                .decrypt_last_in_place(&self.header, &mut *self.plain)
                .map_err(|_| damaged)?;
        } else {
            decryptor
                .decrypt_next_in_place(&self.header, &mut *self.plain)
                .map_err(|_| damaged)?;
            self.decryptor = Some(decryptor);
        }
        self.chunk += 1;
        self.at = 0;
        Ok(true)
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.plain.len() {
            let more = self
                .next_chunk()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            if !more {
                return Ok(0);
            }
        }
        let n = out.len().min(self.plain.len() - self.at);
        out[..n].copy_from_slice(&self.plain[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A folder (and its parents) only its owner can enter.
fn private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}
