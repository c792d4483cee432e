//! The bag as a deterministic tar, written and read in one pass.
//!
//! Writing: entries in the order given (the caller sorts), one root folder,
//! mode 0644/0755, uid/gid 0, every mtime the seal time, no links, names
//! ASCII `[A-Za-z0-9._-/]` under 100 bytes (plain ustar, which every tar
//! reads). Each payload file is hashed as it is written, so the manifests
//! need no second read. Reading: the payload is hashed as it streams past
//! and only tag files are kept, so a package of any size is checked in
//! constant memory, without its plaintext on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use sha2::Digest;

use crate::bagit::{Algorithm, BagError, BagFiles};
use crate::hex;

/// The tar format's limit for a name without its prefix field.
pub const MAX_PATH: usize = 99;

/// Tag files kept in memory while reading, at most this many bytes in all.
const MAX_TAG_BYTES: u64 = 64 << 20;

/// Why a tar could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TarError {
    #[error("{0:?} is not a name Kluis writes (ASCII letters, digits, . _ - /, under 100 bytes)")]
    BadName(String),
    #[error("{path}: {expected} bytes were announced, {found} came")]
    SizeMismatch {
        path: String,
        expected: u64,
        found: u64,
    },
    #[error("the bag-info field {0} would hold a line break or a control character")]
    BadInfo(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes the entries of one bag.
pub struct TarWriter<W: Write> {
    out: tar::Builder<W>,
    root: String,
    mtime: u64,
    dirs: BTreeSet<String>,
}

impl<W: Write> std::fmt::Debug for TarWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TarWriter")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl<W: Write> TarWriter<W> {
    /// A tar whose every entry lies under `root/`, stamped `mtime`.
    pub fn new(out: W, root: &str, mtime: u64) -> Result<Self, TarError> {
        check_name(root)?;
        let mut out = tar::Builder::new(out);
        out.mode(tar::HeaderMode::Deterministic);
        let mut writer = Self {
            out,
            root: root.to_owned(),
            mtime,
            dirs: BTreeSet::new(),
        };
        writer.dir(root)?;
        Ok(writer)
    }

    /// Adds `path` (relative to the root) with `size` bytes from `content`,
    /// and returns their SHA-256 (hex).
    pub fn file(&mut self, path: &str, size: u64, content: impl Read) -> Result<String, TarError> {
        let full = format!("{}/{path}", self.root);
        check_name(&full)?;
        let mut parent = String::new();
        for part in full.split('/').take(full.split('/').count() - 1) {
            if !parent.is_empty() {
                parent.push('/');
            }
            parent.push_str(part);
            if !self.dirs.contains(&parent) {
                self.dir(&parent.clone())?;
            }
        }
        let mut header = self.header(tar::EntryType::Regular, 0o644);
        header.set_size(size);
        let mut counted = Counted::new(content.take(size));
        self.out.append_data(&mut header, &full, &mut counted)?;
        if counted.count != size {
            return Err(TarError::SizeMismatch {
                path: path.to_owned(),
                expected: size,
                found: counted.count,
            });
        }
        Ok(counted.sha256_hex())
    }

    /// Ends the tar and returns what it was written to.
    pub fn finish(self) -> Result<W, TarError> {
        Ok(self.out.into_inner()?)
    }

    fn dir(&mut self, path: &str) -> Result<(), TarError> {
        let mut header = self.header(tar::EntryType::Directory, 0o755);
        header.set_size(0);
        self.out
            .append_data(&mut header, format!("{path}/"), io::empty())?;
        self.dirs.insert(path.to_owned());
        Ok(())
    }

    fn header(&self, kind: tar::EntryType, mode: u32) -> tar::Header {
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(self.mtime);
        header
    }
}

fn check_name(path: &str) -> Result<(), TarError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
    let ok = !path.is_empty()
        && path.len() <= MAX_PATH
        && path.chars().all(allowed)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if ok {
        Ok(())
    } else {
        Err(TarError::BadName(path.to_owned()))
    }
}

/// Counts and hashes (SHA-256) what passes through, so a file is read
/// once for all that needs it.
pub(crate) struct Counted<R> {
    inner: R,
    hash: sha2::Sha256,
    count: u64,
}

impl<R> Counted<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            hash: sha2::Sha256::new(),
            count: 0,
        }
    }

    /// The SHA-256 of what passed, in hex.
    pub(crate) fn sha256_hex(self) -> String {
        hex(&self.hash.finalize())
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

/// A bag read from a tar stream in one pass: payload files hashed with
/// SHA-256 as they pass, tag files kept.
#[derive(Debug, Default)]
pub struct StreamedBag {
    /// The one folder at the top.
    pub root: String,
    sizes: BTreeMap<String, u64>,
    payload_sha256: BTreeMap<String, String>,
    tags: BTreeMap<String, Vec<u8>>,
}

impl StreamedBag {
    /// Reads the whole tar. Refuses links, devices, names outside the one
    /// root folder and tag files beyond what memory should hold.
    pub fn from_tar(input: impl Read) -> Result<Self, BagError> {
        Self::read(input, None)
    }

    /// Reads the whole tar as [`StreamedBag::from_tar`] does and writes each
    /// file into `into` (an empty folder) as it passes, so what is written
    /// is exactly what is checked. Only folders and regular files are
    /// written, each newly created; the caller keeps `into` out of sight
    /// until the checks have passed.
    pub fn unpack(input: impl Read, into: &Path) -> Result<Self, BagError> {
        Self::read(input, Some(into))
    }

    fn read(input: impl Read, into: Option<&Path>) -> Result<Self, BagError> {
        let mut archive = tar::Archive::new(input);
        let mut bag = Self::default();
        let mut tag_bytes = 0u64;
        let mut names = std::collections::HashSet::new();
        // Raw: a GNU long name or a pax header (read whole into memory by
        // the tar crate, before any signature is known) is an entry like
        // any other, and refused below; Kluis writes plain ustar.
        let entries = archive.entries().map_err(|e| tar_error("", e))?.raw(true);
        for entry in entries {
            let mut entry = entry.map_err(|e| tar_error("", e))?;
            let name = String::from_utf8(entry.path_bytes().into_owned())
                .map_err(|e| BagError::NameNotUtf8(String::from_utf8_lossy(e.as_bytes()).into()))?;
            let kind = entry.header().entry_type();
            let Some((root, rest)) = split_safe(&name) else {
                return Err(BagError::OutsideScope {
                    file: "the tar".into(),
                    path: name,
                });
            };
            if bag.root.is_empty() {
                bag.root = root.to_owned();
            }
            if root != bag.root {
                return Err(BagError::OutsideScope {
                    file: "the tar".into(),
                    path: name,
                });
            }
            // Case-insensitive file systems would merge these.
            if !names.insert(name.trim_end_matches('/').to_ascii_lowercase()) {
                return Err(BagError::Doubled(name));
            }
            let target = into.map(|dir| dir.join(name.trim_end_matches('/')));
            if kind.is_dir() {
                if let Some(target) = &target {
                    private_dirs(target).map_err(|e| tar_error(&name, e))?;
                }
                continue;
            }
            if !kind.is_file() || rest.is_empty() {
                return Err(BagError::NotAFile(name));
            }
            let mut file = match &target {
                Some(target) => Some(new_file(target).map_err(|e| tar_error(&name, e))?),
                None => None,
            };
            let path = rest.to_owned();
            if path.starts_with("data/") {
                let mut hash = sha2::Sha256::new();
                let mut sink = HashWriter {
                    hash: &mut hash,
                    copy: file.as_mut(),
                };
                let size = io::copy(&mut entry, &mut sink).map_err(|e| tar_error(&name, e))?;
                bag.payload_sha256
                    .insert(path.clone(), hex(&hash.finalize()));
                bag.sizes.insert(path, size);
            } else {
                let mut bytes = Vec::new();
                entry
                    .by_ref()
                    .take(MAX_TAG_BYTES - tag_bytes + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| tar_error(&name, e))?;
                tag_bytes += bytes.len() as u64;
                if tag_bytes > MAX_TAG_BYTES {
                    return Err(BagError::Io {
                        path: name,
                        source: io::Error::other("the tag files are larger than a bag's should be"),
                    });
                }
                if let Some(file) = file.as_mut() {
                    file.write_all(&bytes).map_err(|e| tar_error(&name, e))?;
                }
                bag.sizes.insert(path.clone(), bytes.len() as u64);
                bag.tags.insert(path, bytes);
            }
            if let Some(file) = file {
                file.sync_all().map_err(|e| tar_error(&name, e))?;
            }
        }
        Ok(bag)
    }
}

/// `root/rest` of a name as Kluis writes them (see `check_name`: ASCII
/// letters, digits, `._-/`, under 100 bytes), which every tar reader on
/// every system puts inside one folder: not absolute, no empty, `.` or `..`
/// part, no backslash (a folder's name may end in `/`).
fn split_safe(name: &str) -> Option<(&str, &str)> {
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    check_name(trimmed).ok()?;
    Some(trimmed.split_once('/').unwrap_or((trimmed, "")))
}

/// A file that did not exist (never one reached through a link), its
/// parent folders made as needed.
fn new_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(parent) = path.parent() {
        private_dirs(parent)?;
    }
    // An opened bag is decrypted citizen data: for its owner only.
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

fn private_dirs(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
}

/// Hashes what is written, and copies it into a file if there is one.
struct HashWriter<'h> {
    hash: &'h mut sha2::Sha256,
    copy: Option<&'h mut fs::File>,
}

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(file) = self.copy.as_mut() {
            file.write_all(buf)?;
        }
        self.hash.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn tar_error(path: &str, source: io::Error) -> BagError {
    BagError::Io {
        path: if path.is_empty() {
            "the tar".into()
        } else {
            path.into()
        },
        source,
    }
}

impl BagFiles for StreamedBag {
    fn files(&self) -> Result<Vec<String>, BagError> {
        Ok(self.sizes.keys().cloned().collect())
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, BagError> {
        self.tags.get(path).cloned().ok_or_else(|| BagError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::NotFound, "not a tag file of this bag"),
        })
    }

    fn digest(&self, path: &str, algorithm: Algorithm) -> Result<String, BagError> {
        if let Some(bytes) = self.tags.get(path) {
            let mut hasher = crate::bagit::Hasher::new(algorithm);
            hasher.write_all(bytes).map_err(|e| tar_error(path, e))?;
            return Ok(hasher.hex());
        }
        match (self.payload_sha256.get(path), algorithm) {
            (Some(hex), Algorithm::Sha256) => Ok(hex.clone()),
            (Some(_), other) => Err(BagError::UnknownAlgorithm {
                file: path.to_owned(),
                algorithm: format!("{} (a package is checked with sha256)", other.name()),
            }),
            (None, _) => Err(BagError::Io {
                path: path.to_owned(),
                source: io::Error::new(io::ErrorKind::NotFound, "not in this bag"),
            }),
        }
    }

    fn size(&self, path: &str) -> Result<u64, BagError> {
        self.sizes.get(path).copied().ok_or_else(|| BagError::Io {
            path: path.to_owned(),
            source: io::Error::new(io::ErrorKind::NotFound, "not in this bag"),
        })
    }
}
