//! The clipboard a reply is copied to for pasting into WhatsApp on the
//! phone: cleared 30 seconds later if it still holds that text, and at
//! once at the lock. The rule's time is core's; this is the hands (X11's
//! clipboard through `arboard`, served by its own thread while held).

use std::sync::Mutex;

use arboard::SetExtLinux;
use sha2::{Digest, Sha256};

/// What was put on the clipboard: its hash (never the text) and when.
struct Held {
    digest: [u8; 32],
    at: i64,
}

/// The app's one clipboard.
#[derive(Default)]
pub struct Clipboard {
    inner: Mutex<Option<arboard::Clipboard>>,
    held: Mutex<Option<Held>>,
}

impl std::fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clipboard").finish_non_exhaustive()
    }
}

impl Drop for Clipboard {
    /// An app that ends leaves no reply behind on the clipboard.
    fn drop(&mut self) {
        self.clear();
    }
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl Clipboard {
    /// Puts `text` on the clipboard at `now` (UTC, the desk's clock).
    pub fn put(&self, text: &str, now: i64) -> Result<(), String> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if inner.is_none() {
            *inner = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let Some(clipboard) = inner.as_mut() else {
            return Err("no clipboard".into());
        };
        // Marked for the desktop's clipboard managers (Klipper, GNOME's,
        // xfce's) as not to be kept in their history, which lies on disk,
        // nor handed over to them when Kluis lets go of the clipboard.
        clipboard
            .set()
            .exclude_from_history()
            .text(text.to_owned())
            .map_err(|e| e.to_string())?;
        *self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Held {
            digest: digest(text),
            at: now,
        });
        Ok(())
    }

    /// Clears it once its time is up (`now`, UTC), if it still holds our text.
    pub fn tick(&self, now: i64) {
        let due = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .is_some_and(|h| kluis_core::cases::replies::clipboard_due(h.at, now));
        if due {
            self.clear();
        }
    }

    /// Clears it now if it still holds our text (at the lock).
    pub fn clear(&self) {
        let Some(held) = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        else {
            return;
        };
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(clipboard) = inner.as_mut() else {
            return;
        };
        let ours = clipboard
            .get_text()
            .is_ok_and(|text| digest(&text) == held.digest);
        if ours {
            if let Err(e) = clipboard.clear() {
                tracing::warn!(error = %e, "the clipboard could not be cleared");
            } else {
                tracing::info!("the reply was cleared from the clipboard");
            }
        }
    }
}
