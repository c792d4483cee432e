//! A chat export in a `.zip`: finds the chat text, lists the media, and
//! refuses what could hurt the machine or the archive.
//!
//! Reads from any `Read + Seek`; writes nothing. Extracting media is the
//! importer's job, which gets only names this module has accepted.

use std::fmt;
use std::io::{self, Read, Seek};

use zip::ZipArchive;

/// Bounds for an archive handed in from outside.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Entries in one archive.
    pub max_entries: usize,
    /// Uncompressed bytes of the chat text (a 40,000-message export is ~4 MB).
    pub max_chat_bytes: u64,
    /// Uncompressed bytes of all entries together (media included).
    pub max_total_bytes: u64,
    /// Uncompressed size over compressed size, for entries over 1 MiB.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_chat_bytes: 512 << 20,
            max_total_bytes: 16 << 30,
            max_ratio: 200,
        }
    }
}

/// Why an archive was refused. Every message names the entry and the reason.
#[derive(Debug)]
pub enum ContainerError {
    /// Not a zip archive, or a damaged one.
    NotAZip(String),
    /// No chat text (`_chat.txt` or one `.txt`) in the archive.
    NoChatText,
    /// Several `.txt` files and none is clearly the chat.
    SeveralChatTexts(Vec<String>),
    /// An entry name that could escape the folder it is extracted to.
    UnsafeName {
        /// The name as stored (non-UTF-8 bytes replaced).
        name: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A symbolic link inside the archive.
    Symlink(String),
    /// An encrypted entry.
    Encrypted(String),
    /// More entries than [`Limits::max_entries`].
    TooManyEntries(usize),
    /// An entry, or all of them, would inflate beyond the limits (a zip bomb).
    TooLarge {
        /// The entry.
        name: String,
        /// What limit it broke.
        why: String,
    },
    /// Reading the archive failed.
    Io(io::Error),
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAZip(why) => write!(f, "not a readable zip archive ({why})"),
            Self::NoChatText => write!(
                f,
                "the archive holds no chat text (_chat.txt or a .txt file)"
            ),
            Self::SeveralChatTexts(names) => {
                write!(
                    f,
                    "the archive holds several text files and none is clearly the chat: {}",
                    names.join(", ")
                )
            }
            Self::UnsafeName { name, why } => write!(f, "refused entry {name:?}: {why}"),
            Self::Symlink(name) => write!(f, "refused entry {name:?}: it is a symbolic link"),
            Self::Encrypted(name) => write!(f, "refused entry {name:?}: it is encrypted"),
            Self::TooManyEntries(n) => write!(f, "refused: the archive has {n} entries"),
            Self::TooLarge { name, why } => {
                write!(f, "refused entry {name:?}: {why} (a zip bomb?)")
            }
            Self::Io(e) => write!(f, "read error: {e}"),
        }
    }
}

impl std::error::Error for ContainerError {}

/// A media file in the archive, with a name that is safe to extract.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaEntry {
    /// The entry's name (a plain relative path).
    pub name: String,
    /// Its uncompressed size as declared.
    pub size: u64,
    index: usize,
}

impl fmt::Debug for MediaEntry {
    /// The name is left out: it can carry a citizen's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaEntry")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// An accepted archive: where the chat text is, and the media beside it.
pub struct ZipExport<R> {
    archive: ZipArchive<R>,
    chat_index: usize,
    chat_name: String,
    chat_size: u64,
    media: Vec<MediaEntry>,
    limits: Limits,
}

impl<R> fmt::Debug for ZipExport<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZipExport")
            .field("chat_size", &self.chat_size)
            .field("media", &self.media.len())
            .finish_non_exhaustive()
    }
}

/// Opens and checks a whole archive before anything is read from it.
/// `zip_name` (the archive's file name, if known) breaks a tie between
/// several `.txt` files.
pub fn open_zip<R: Read + Seek>(
    reader: R,
    zip_name: Option<&str>,
    limits: Limits,
) -> Result<ZipExport<R>, ContainerError> {
    let mut archive =
        ZipArchive::new(reader).map_err(|e| ContainerError::NotAZip(e.to_string()))?;
    if archive.len() > limits.max_entries {
        return Err(ContainerError::TooManyEntries(archive.len()));
    }
    let mut texts: Vec<(usize, String, u64)> = Vec::new();
    let mut media = Vec::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| ContainerError::NotAZip(e.to_string()))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        check_name(entry.name_raw(), &name)?;
        if entry.is_symlink() {
            return Err(ContainerError::Symlink(name));
        }
        if entry.encrypted() {
            return Err(ContainerError::Encrypted(name));
        }
        if entry.is_dir() {
            continue;
        }
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > 1 << 20 && size / packed > limits.max_ratio {
            let why = format!(
                "{size} bytes packed into {packed}: more than {}:1",
                limits.max_ratio
            );
            return Err(ContainerError::TooLarge { name, why });
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            let why = format!(
                "the archive would inflate to more than {} bytes",
                limits.max_total_bytes
            );
            return Err(ContainerError::TooLarge { name, why });
        }
        // macOS resource forks carry no chat data.
        if name.starts_with("__MACOSX/") {
            continue;
        }
        let is_text = name
            .rsplit('/')
            .next()
            .is_some_and(|f| f.to_ascii_lowercase().ends_with(".txt"));
        if is_text {
            texts.push((index, name, size));
        } else {
            media.push(MediaEntry { name, size, index });
        }
    }
    let (chat_index, chat_name, chat_size) = choose_chat(texts, zip_name, &mut media)?;
    if chat_size > limits.max_chat_bytes {
        let why = format!(
            "a chat text of {chat_size} bytes is more than {}",
            limits.max_chat_bytes
        );
        return Err(ContainerError::TooLarge {
            name: chat_name,
            why,
        });
    }
    Ok(ZipExport {
        archive,
        chat_index,
        chat_name,
        chat_size,
        media,
        limits,
    })
}

/// `_chat.txt` (iOS), else the only `.txt`, else the one named like the zip.
/// The other `.txt` files are media (documents someone sent).
fn choose_chat(
    mut texts: Vec<(usize, String, u64)>,
    zip_name: Option<&str>,
    media: &mut Vec<MediaEntry>,
) -> Result<(usize, String, u64), ContainerError> {
    let pick = if let Some(i) = texts.iter().position(|(_, n, _)| n == "_chat.txt") {
        i
    } else if texts.len() == 1 {
        0
    } else {
        let stem = zip_name.map(|z| z.trim_end_matches(".zip").trim_end_matches(".ZIP"));
        let matching: Vec<usize> = texts
            .iter()
            .enumerate()
            .filter(|(_, (_, n, _))| stem.is_some_and(|s| n.trim_end_matches(".txt") == s))
            .map(|(i, _)| i)
            .collect();
        match (texts.len(), matching.as_slice()) {
            (0, _) => return Err(ContainerError::NoChatText),
            (_, [one]) => *one,
            _ => {
                return Err(ContainerError::SeveralChatTexts(
                    texts.into_iter().map(|t| t.1).collect(),
                ));
            }
        }
    };
    let chosen = texts.remove(pick);
    media.extend(
        texts
            .into_iter()
            .map(|(index, name, size)| MediaEntry { name, size, index }),
    );
    Ok(chosen)
}

/// A name that stays inside the folder it is extracted to, written the same
/// on every system.
fn check_name(raw: &[u8], name: &str) -> Result<(), ContainerError> {
    let refuse = |why| {
        Err(ContainerError::UnsafeName {
            name: name.to_owned(),
            why,
        })
    };
    if raw.is_empty() {
        return refuse("it has no name");
    }
    if raw.contains(&0) {
        return refuse("its name holds a NUL byte");
    }
    if raw.contains(&b'\\') {
        return refuse("its name holds a backslash (a Windows path)");
    }
    if raw[0] == b'/' {
        return refuse("its name is an absolute path");
    }
    if raw.len() >= 2 && raw[1] == b':' && raw[0].is_ascii_alphabetic() {
        return refuse("its name starts with a drive letter");
    }
    if raw.split(|&b| b == b'/').any(|part| part == b"..") {
        return refuse("its name climbs out of the folder (..)");
    }
    Ok(())
}

impl<R: Read + Seek> ZipExport<R> {
    /// The chat text's entry name.
    pub fn chat_name(&self) -> &str {
        &self.chat_name
    }

    /// The other files, in archive order.
    pub fn media(&self) -> &[MediaEntry] {
        &self.media
    }

    /// A media file's bytes, found by its entry name or, failing that, by
    /// its last path part (how a chat text names it); `None` when the
    /// archive has no such file. Reading fails if the entry inflates beyond
    /// its declared size.
    pub fn open_media(&mut self, name: &str) -> Result<Option<impl Read + '_>, ContainerError> {
        let found = self
            .media
            .iter()
            .find(|m| m.name == name)
            .or_else(|| {
                self.media
                    .iter()
                    .find(|m| m.name.rsplit('/').next() == Some(name))
            })
            .cloned();
        let Some(entry) = found else {
            return Ok(None);
        };
        let file = self
            .archive
            .by_index(entry.index)
            .map_err(|e| ContainerError::NotAZip(e.to_string()))?;
        Ok(Some(Bounded {
            inner: file,
            left: entry.size,
            name: entry.name,
        }))
    }

    /// The chat text, from its start; can be called again for a second pass.
    /// Reading fails if the entry inflates beyond its declared size.
    pub fn chat(&mut self) -> Result<impl Read + '_, ContainerError> {
        let limit = self.chat_size.min(self.limits.max_chat_bytes);
        let name = self.chat_name.clone();
        let entry = self
            .archive
            .by_index(self.chat_index)
            .map_err(|e| ContainerError::NotAZip(e.to_string()))?;
        Ok(Bounded {
            inner: entry,
            left: limit,
            name,
        })
    }
}

/// Reads at most `left` bytes and fails, rather than stopping quietly, if
/// there is more: a lying size field must not pass unnoticed.
struct Bounded<R> {
    inner: R,
    left: u64,
    name: String,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "entry {:?} inflates beyond its declared size (a zip bomb?)",
                        self.name
                    ),
                )),
            };
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(data: &[u8], declared: u64) -> (Vec<u8>, io::Result<usize>) {
        let mut bounded = Bounded {
            inner: data,
            left: declared,
            name: "_chat.txt".to_owned(),
        };
        let mut out = Vec::new();
        let result = bounded.read_to_end(&mut out);
        (out, result)
    }

    #[test]
    fn the_bound_passes_exact_sizes_and_fails_on_more() {
        let (out, result) = read(b"0123456789", 10);
        assert_eq!((out.as_slice(), result.unwrap()), (&b"0123456789"[..], 10));
        let (out, result) = read(b"0123456789abc", 10);
        assert_eq!(out, b"0123456789");
        let err = result.unwrap_err();
        assert_eq!(
            err.to_string(),
            "entry \"_chat.txt\" inflates beyond its declared size (a zip bomb?)"
        );
        let (out, result) = read(b"", 0);
        assert!(out.is_empty() && result.is_ok());
    }
}
