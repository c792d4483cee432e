//! The files citizens send, as the reading pane shows them: what kind a
//! file is (by its name, as WhatsApp names them), and its bytes read from
//! the vault into memory for the window, never to disk. (Once handed to
//! the webview the bytes are its own: the page's copies cannot be wiped,
//! only dropped, which the page does at the lock.) They are handed
//! out only while the vault is unlocked and only for the conversation the
//! session has open (`desk::Desk::media`).

use std::io::Read;

use kluis_vault::Session;
use kluis_vault::store::ConversationId;
use zeroize::Zeroizing;

/// The largest file handed to the window (WhatsApp sends documents up to
/// 2 GB; the window shows what a phone shows in a chat).
pub const MEDIA_MAX: u64 = 100 * 1024 * 1024;

/// What a file is, for how the window shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    /// WhatsApp's stickers (`STK-….webp`), shown small.
    Sticker,
    /// Voice notes (`PTT-….opus`) and other audio.
    Audio,
    Video,
    /// Anything else: listed with its name, type and size.
    Document,
}

/// The kind and MIME type of a file by its name.
pub fn kind_of(file_name: &str) -> (MediaKind, &'static str) {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let sticker = file_name.starts_with("STK-");
    match extension.as_str() {
        "webp" if sticker => (MediaKind::Sticker, "image/webp"),
        "jpg" | "jpeg" => (MediaKind::Image, "image/jpeg"),
        "png" => (MediaKind::Image, "image/png"),
        "webp" => (MediaKind::Image, "image/webp"),
        "gif" => (MediaKind::Image, "image/gif"),
        "opus" | "ogg" | "oga" => (MediaKind::Audio, "audio/ogg"),
        "mp3" => (MediaKind::Audio, "audio/mpeg"),
        "m4a" | "aac" => (MediaKind::Audio, "audio/mp4"),
        "wav" => (MediaKind::Audio, "audio/wav"),
        "mp4" | "m4v" => (MediaKind::Video, "video/mp4"),
        "3gp" => (MediaKind::Video, "video/3gpp"),
        "webm" => (MediaKind::Video, "video/webm"),
        "pdf" => (MediaKind::Document, "application/pdf"),
        "doc" => (MediaKind::Document, "application/msword"),
        "docx" => (
            MediaKind::Document,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            MediaKind::Document,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "vcf" => (MediaKind::Document, "text/vcard"),
        _ => (MediaKind::Document, "application/octet-stream"),
    }
}

/// Why a file was not handed out.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("files are shown only for the conversation that is open")]
    NotOpen,
    #[error("there is no such file in this conversation")]
    NoSuchFile,
    #[error("the export did not contain this file")]
    Missing,
    #[error("the file is larger than the window shows ({size} bytes)")]
    TooLarge { size: u64 },
    #[error("the file cannot be read from the vault: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] kluis_vault::store::StoreError),
}

/// A file's bytes in memory (wiped when dropped) and its MIME type.
pub struct MediaBytes {
    pub mime: &'static str,
    pub bytes: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for MediaBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaBytes")
            .field("mime", &self.mime)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// File `id` of `conversation`, read whole from its encrypted blob.
pub(crate) fn read(
    session: &Session,
    conversation: ConversationId,
    id: i64,
) -> Result<MediaBytes, MediaError> {
    let (owner, row) = session
        .store()
        .media_row(id)?
        .ok_or(MediaError::NoSuchFile)?;
    if owner != conversation {
        return Err(MediaError::NoSuchFile);
    }
    let blob = row.blob.ok_or(MediaError::Missing)?;
    let size = row.size.unwrap_or(0);
    if size > MEDIA_MAX {
        return Err(MediaError::TooLarge { size });
    }
    let unreadable = |e: &dyn std::fmt::Display| MediaError::Unreadable(e.to_string());
    let blobs = session.blobs().map_err(|e| unreadable(&e))?;
    let mut reader = blobs.open_blob(blob).map_err(|e| unreadable(&e))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(usize::try_from(size).unwrap_or(0)));
    (&mut reader)
        .take(MEDIA_MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    // The row's size is what import wrote; the blob decides.
    if bytes.len() as u64 > MEDIA_MAX {
        return Err(MediaError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(MediaBytes {
        mime: kind_of(&row.file_name).1,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        let check = |name: &str, kind: MediaKind, mime: &str| {
            assert_eq!(kind_of(name), (kind, mime), "{name}");
        };
        check("IMG-20261123-WA0002.jpg", MediaKind::Image, "image/jpeg");
        check("foto.JPEG", MediaKind::Image, "image/jpeg");
        check("PTT-20261123-WA0001.opus", MediaKind::Audio, "audio/ogg");
        check("STK-20261123-WA0003.webp", MediaKind::Sticker, "image/webp");
        check("plaatje.webp", MediaKind::Image, "image/webp");
        check("VID-20261123-WA0004.mp4", MediaKind::Video, "video/mp4");
        check("melding.pdf", MediaKind::Document, "application/pdf");
        check("contact.vcf", MediaKind::Document, "text/vcard");
        check(
            "zonder-extensie",
            MediaKind::Document,
            "application/octet-stream",
        );
    }
}
