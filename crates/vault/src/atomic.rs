//! Replacing a file so that a crash at any moment leaves either the old
//! file or the new one, complete: write a temporary file beside it, fsync
//! it, rename it over the old one, fsync the folder.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Files Kluis writes are for its own user only.
pub(crate) const PRIVATE_FILE: u32 = 0o600;

/// Writes `bytes` to `path`, replacing what was there, atomically.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_beside(path)?;
    let result = (|| {
        let mut file = create_private(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        sync_parent(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A new file that only its owner can read; fails if it exists.
pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE_FILE)
        .open(path)
}

/// Makes a rename or a new file in `path`'s folder durable.
pub(crate) fn sync_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => File::open(parent)?.sync_all(),
        _ => File::open(".")?.sync_all(),
    }
}

/// Temporary files start with this; whatever a crash left of them is
/// removed when the vault opens.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

fn temp_beside(path: &Path) -> io::Result<PathBuf> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(io::Error::other)?;
    let name = format!("{TEMP_PREFIX}{}", crate::hex::encode(&random));
    Ok(path.with_file_name(name))
}

/// Removes temporary files a crash left in `dir`.
pub(crate) fn sweep_temp_files(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
