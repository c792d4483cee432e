//! Writes a BagIt 1.0 bag into a deterministic tar: payload first, each
//! file hashed as it is written; then `bagit.txt`, `bag-info.txt` (with
//! the Payload-Oxum), the payload manifest, the tag files, the tag
//! manifest, and last what must not be listed (the signature over the tag
//! manifest, which cannot list itself). SHA-256 throughout.

use std::io::{Read, Write};

use sha2::Digest;

use crate::tar::{TarError, TarWriter};

/// The SHA-256 of a bag's `tagmanifest-sha256.txt`: it covers
/// `bag-info.txt`, the payload manifest and the tag files, so it names the
/// bag's whole content. Packages chain by it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BagDigest(pub [u8; 32]);

impl BagDigest {
    pub fn hex(&self) -> String {
        crate::hex(&self.0)
    }

    /// The digest from its 64 hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl std::fmt::Debug for BagDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BagDigest({})", self.hex())
    }
}

/// A bag being written.
#[derive(Debug)]
pub struct BagWriter<W: Write> {
    tar: TarWriter<W>,
    manifest: String,
    tags: Vec<(String, String)>,
    payload_bytes: u64,
    payload_files: u64,
}

impl<W: Write> BagWriter<W> {
    /// A bag in the folder `root` of a tar written to `out`, every entry
    /// stamped `mtime` (the seal time, so that the same day seals alike).
    pub fn new(out: W, root: &str, mtime: u64) -> Result<Self, TarError> {
        Ok(Self {
            tar: TarWriter::new(out, root, mtime)?,
            manifest: String::new(),
            tags: Vec::new(),
            payload_bytes: 0,
            payload_files: 0,
        })
    }

    /// Adds a payload file `data/<path>` of `size` bytes; returns its SHA-256.
    pub fn payload(
        &mut self,
        path: &str,
        size: u64,
        content: impl Read,
    ) -> Result<String, TarError> {
        let path = format!("data/{path}");
        let sha256 = self.tar.file(&path, size, content)?;
        self.manifest.push_str(&format!("{sha256}  {path}\n"));
        self.payload_bytes += size;
        self.payload_files += 1;
        Ok(sha256)
    }

    /// Adds a tag file (outside `data/`, listed in the tag manifest).
    pub fn tag(&mut self, path: &str, bytes: &[u8]) -> Result<(), TarError> {
        let sha256 = self.tar.file(path, bytes.len() as u64, bytes)?;
        self.tags.push((path.to_owned(), sha256));
        Ok(())
    }

    /// Writes the tag files with `info` in `bag-info.txt`, then whatever
    /// `unlisted` makes of the tag manifest's bytes (a signature), and ends
    /// the tar.
    pub fn finish(
        mut self,
        info: &[(&str, String)],
        unlisted: impl FnOnce(&[u8]) -> Vec<(String, Vec<u8>)>,
    ) -> Result<(W, BagDigest), TarError> {
        let mut bag_info = String::new();
        for (label, value) in info {
            // A line break (or any control character) in a value would
            // start a field of its own: a value is one line, or nothing.
            if value.chars().any(char::is_control) || label.chars().any(|c| !c.is_ascii_graphic()) {
                return Err(TarError::BadInfo((*label).to_owned()));
            }
            bag_info.push_str(&format!("{label}: {value}\n"));
        }
        bag_info.push_str(&format!(
            "Payload-Oxum: {}.{}\n",
            self.payload_bytes, self.payload_files
        ));
        let manifest = std::mem::take(&mut self.manifest);
        for (path, bytes) in [
            (
                "bagit.txt",
                "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_owned(),
            ),
            ("bag-info.txt", bag_info),
            ("manifest-sha256.txt", manifest),
        ] {
            self.tag(path, bytes.as_bytes())?;
        }
        let mut tags = std::mem::take(&mut self.tags);
        tags.sort();
        let tag_manifest: String = tags
            .iter()
            .map(|(path, sha256)| format!("{sha256}  {path}\n"))
            .collect();
        let digest = BagDigest(sha2::Sha256::digest(tag_manifest.as_bytes()).into());
        self.tar.file(
            "tagmanifest-sha256.txt",
            tag_manifest.len() as u64,
            tag_manifest.as_bytes(),
        )?;
        for (path, bytes) in unlisted(tag_manifest.as_bytes()) {
            self.tar.file(&path, bytes.len() as u64, bytes.as_slice())?;
        }
        Ok((self.tar.finish()?, digest))
    }
}
