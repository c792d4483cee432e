//! An export as it lies on disk: a chat text (`.txt`, media as files beside
//! it) or a `.zip` (chat text and media inside). Reads; never writes, never
//! extracts: media go from here straight into encrypted blobs.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use whatsapp_export::container::{self, Limits, ZipExport};

use super::ImportError;

/// Every export file at or below `path`, in name order: a file is taken as
/// it is; a folder gives its `.txt` and `.zip` files, at any depth, and is
/// refused when it holds none. Symbolic links are not followed.
pub fn exports_at(path: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let meta = fs::symlink_metadata(path).map_err(ImportError::from_io)?;
    if meta.file_type().is_symlink() {
        return Err(ImportError::Symlink);
    }
    if meta.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    if !meta.is_dir() {
        return Err(ImportError::NotAnExport(super::NotAnExport::NotAFile));
    }
    let mut found = files_below(path).map_err(ImportError::from_listing)?;
    found.retain(|file| is_export_name(file));
    if found.is_empty() {
        return Err(ImportError::NoExport);
    }
    Ok(found)
}

/// The regular files at any depth below `dir`, in name order; symbolic
/// links are neither followed nor listed.
pub(super) fn files_below(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fn collect(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                collect(&entry.path(), found)?;
            } else if kind.is_file() {
                found.push(entry.path());
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    collect(dir, &mut found)?;
    found.sort();
    Ok(found)
}

/// `.txt` or `.zip`, in any case.
pub fn is_export_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("zip"))
}

/// A chat text read whole, refused without reading when larger than any
/// export (and refused once read past `limit`, should it grow meanwhile).
fn read_capped(file: &mut File, limit: u64) -> Result<Vec<u8>, ImportError> {
    let too_large = || {
        ImportError::NotAnExport(super::NotAnExport::ChatTooLarge {
            limit_mib: limit >> 20,
        })
    };
    if file.metadata().map_err(ImportError::from_io)?.len() > limit {
        return Err(too_large());
    }
    let mut chat_text = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut chat_text)
        .map_err(ImportError::from_io)?;
    if chat_text.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(chat_text)
}

/// An export opened for import.
pub(super) struct Opened {
    pub path: PathBuf,
    /// The file's name as the employee sees it.
    pub file_name: String,
    pub size: u64,
    pub sha256: [u8; 32],
    /// The chat's name: from the file name, else from the folder's.
    pub chat_name: String,
    /// The chat text's bytes.
    pub chat_text: Vec<u8>,
    pub media: Media,
}

/// Where the files a chat text names are.
pub(super) enum Media {
    /// Beside the chat text, in this folder.
    Folder(PathBuf),
    /// Inside the zip.
    Zip(Box<ZipExport<File>>),
}

impl Opened {
    /// Reads and checks the export at `path`.
    pub fn open(path: &Path) -> Result<Self, ImportError> {
        let mut file = open_regular(path)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder_name = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned());
        let chat_name = super::chat_name::from_file_name(&file_name)
            .or_else(|| {
                folder_name
                    .as_deref()
                    .and_then(super::chat_name::from_file_name)
            })
            .unwrap_or_else(|| file_name.clone());
        let is_zip = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        if is_zip {
            let (size, sha256) = hash(&mut file).map_err(ImportError::from_io)?;
            file.seek(SeekFrom::Start(0))
                .map_err(ImportError::from_io)?;
            let mut zip = container::open_zip(file, Some(&file_name), Limits::default())
                .map_err(ImportError::from_container)?;
            let mut chat_text = Vec::new();
            zip.chat()
                .map_err(ImportError::from_container)?
                .read_to_end(&mut chat_text)
                .map_err(ImportError::from_io)?;
            Ok(Self {
                path: path.to_owned(),
                file_name,
                size,
                sha256,
                chat_name,
                chat_text,
                media: Media::Zip(Box::new(zip)),
            })
        } else {
            let chat_text = read_capped(&mut file, Limits::default().max_chat_bytes)?;
            let sha256 = Sha256::digest(&chat_text).into();
            Ok(Self {
                path: path.to_owned(),
                file_name,
                size: chat_text.len() as u64,
                sha256,
                chat_name,
                chat_text,
                media: Media::Folder(path.parent().unwrap_or(Path::new(".")).to_owned()),
            })
        }
    }

    /// Writes the original file, byte-exact, to `out`: a chat text from the
    /// bytes already read, a zip from the file (it is not held in memory).
    pub fn write_original(&self, out: &mut impl io::Write) -> Result<(), ImportError> {
        match self.media {
            Media::Folder(_) => out.write_all(&self.chat_text),
            Media::Zip(_) => {
                let mut file = open_regular(&self.path)?;
                io::copy(&mut file, out).map(drop)
            }
        }
        .map_err(ImportError::from_io)
    }
}

impl Media {
    /// The file the chat text calls `name`, or `None` when the export does
    /// not hold it. A name that is not a plain file name (`../x`, `/etc/x`,
    /// `.hidden`) is never looked up: the chat text is outside input like
    /// the rest.
    pub fn open(&mut self, name: &str) -> Result<Option<Box<dyn Read + '_>>, ImportError> {
        if !is_plain_file_name(name) {
            return Ok(None);
        }
        match self {
            Self::Folder(dir) => {
                // Only a regular file is media; a link, a pipe or a device
                // by that name is as good as missing.
                match open_regular(&dir.join(name)) {
                    Ok(file) => Ok(Some(Box::new(file))),
                    Err(ImportError::Vanished | ImportError::Symlink) => Ok(None),
                    Err(ImportError::NotAnExport(super::NotAnExport::NotAFile)) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Self::Zip(zip) => Ok(zip
                .open_media(name)
                .map_err(ImportError::from_container)?
                .map(|entry| Box::new(entry) as Box<dyn Read>)),
        }
    }
}

/// Opens `path` only if it is a regular file, without ever blocking: a
/// FIFO (or a link to one) would otherwise hold the import, and the vault
/// with it, until someone writes into it. Links are not followed; the type
/// is checked on the file opened, so it cannot be swapped in between.
pub(crate) fn open_regular(path: &Path) -> Result<File, ImportError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => ImportError::Symlink,
            // A socket, or a device without its driver.
            Some(libc::ENXIO | libc::ENODEV) => {
                ImportError::NotAnExport(super::NotAnExport::NotAFile)
            }
            _ => ImportError::from_io(e),
        })?;
    let meta = file.metadata().map_err(ImportError::from_io)?;
    if !meta.is_file() {
        return Err(ImportError::NotAnExport(super::NotAnExport::NotAFile));
    }
    Ok(file)
}

fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name().is_some_and(|n| n == name)
}

/// The size and SHA-256 of what `reader` holds, read once.
pub(crate) fn hash(reader: &mut impl Read) -> io::Result<(u64, [u8; 32])> {
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; 256 << 10];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok((size, sha.finalize().into()));
        }
        sha.update(&buf[..n]);
        size += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_looked_up() {
        for (name, plain) in [
            ("IMG-20240101-WA0001.jpg", true),
            ("00000012-PHOTO-2024-01-01-10-00-00.jpg", true),
            ("brief gemeente.pdf", true),
            ("../../etc/passwd", false),
            ("/etc/passwd", false),
            ("sub/IMG.jpg", false),
            (".bashrc", false),
            ("..", false),
            ("", false),
            ("a\\b.jpg", false),
        ] {
            assert_eq!(is_plain_file_name(name), plain, "{name}");
        }
    }
}
