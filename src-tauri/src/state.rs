//! What the shell holds between commands: the console's data source, and
//! the channel on which the page hears of imports.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use kluis_core::LocalDate;
use kluis_core::demo::DemoVault;
use kluis_core::desk::{Desk, VaultError};
use kluis_core::lock::Clock;
use tauri::ipc::Channel;

use crate::dto::PageEvent;

/// Where the conversations on screen come from.
#[derive(Debug)]
pub enum Console {
    /// Generated, fictional data in a throw-away vault: no vault exists on
    /// this machine yet. Read like any vault; the lock does not tick it.
    Demo(Box<DemoVault>),
    /// The vault at the desk, which holds the lock and, while unlocked,
    /// the session.
    Desk(Box<Desk>),
    /// A vault is configured but cannot be used (another process holds it,
    /// a file is damaged).
    Unavailable(crate::dto::Unavailable),
}

/// The state behind every command. The desk keeps its own locks, so
/// commands, the ticker and the inbox watcher use it side by side (each
/// holds the console only for reading).
pub struct AppState {
    console: RwLock<Console>,
    /// The page's channel for [`PageEvent`]s, once it has asked for them.
    events: Mutex<Option<Channel<PageEvent>>>,
    /// The reply copied for WhatsApp, cleared after 30 s and at the lock.
    pub clipboard: crate::clipboard::Clipboard,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    /// The demo console, dated from `today`, in a throw-away vault in the
    /// temporary folder.
    pub fn demo(today: LocalDate) -> Self {
        static MADE: AtomicU32 = AtomicU32::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("kluis-demo-{}-{n}", std::process::id()));
        match DemoVault::open(&root, today, Box::new(kluis_core::desk::SystemClock)) {
            Ok(demo) => Self::with(Console::Demo(Box::new(demo))),
            Err(e) => {
                tracing::error!(error = %e, "the demo vault could not be made");
                Self::with(Console::Unavailable(crate::dto::Unavailable::Damaged {
                    detail: e.to_string(),
                }))
            }
        }
    }

    /// The vault in `dir` at the desk, locked; the demo if there is none
    /// there yet. `home` places the default inbox.
    pub fn vault(
        dir: &Path,
        today: LocalDate,
        clock: Box<dyn Clock + Send + Sync>,
        home: &Path,
    ) -> Self {
        match Desk::open(dir, clock, home) {
            Ok(desk) => Self::with(Console::Desk(Box::new(desk))),
            Err(VaultError::NotAVault(_)) => Self::demo(today),
            Err(VaultError::InUse(_)) => {
                Self::with(Console::Unavailable(crate::dto::Unavailable::InUse))
            }
            Err(e) => {
                tracing::error!(error = %e, "the vault cannot be opened");
                Self::with(Console::Unavailable(crate::dto::Unavailable::Damaged {
                    detail: e.to_string(),
                }))
            }
        }
    }

    fn with(console: Console) -> Self {
        Self {
            console: RwLock::new(console),
            events: Mutex::new(None),
            clipboard: crate::clipboard::Clipboard::default(),
        }
    }

    /// The console, to look at (the desk inside locks itself).
    pub fn console(&self) -> RwLockReadGuard<'_, Console> {
        self.console
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The console, to replace it (a test letting go of the vault).
    pub fn console_mut(&self) -> RwLockWriteGuard<'_, Console> {
        self.console
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` with the desk the console reads, the demo's included.
    pub fn with_reading_desk<T>(&self, f: impl FnOnce(&Desk) -> T) -> Option<T> {
        match &*self.console() {
            Console::Desk(desk) => Some(f(desk)),
            Console::Demo(demo) => Some(f(demo.desk())),
            Console::Unavailable(_) => None,
        }
    }

    /// Runs `f` with the desk, if there is one (not the demo).
    pub fn with_desk<T>(&self, f: impl FnOnce(&Desk) -> T) -> Option<T> {
        match &*self.console() {
            Console::Desk(desk) => Some(f(desk)),
            Console::Demo(_) | Console::Unavailable(_) => None,
        }
    }

    /// Keeps the page's channel (a reloaded page sends a new one).
    pub fn set_events(&self, channel: Channel<PageEvent>) {
        *self
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(channel);
    }

    /// Tells the page, if it listens.
    pub fn send(&self, event: PageEvent) {
        let events = self
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(channel) = events.as_ref()
            && let Err(e) = channel.send(event)
        {
            tracing::warn!(error = %e, "the page could not be told of an import");
        }
    }
}

/// The vault's folder: `--vault DIR` on the command line, else
/// `KLUIS_VAULT`, else `vault` in the app's data folder.
pub fn vault_dir(args: &[OsString], env: Option<OsString>, data_dir: Option<PathBuf>) -> PathBuf {
    let from_args = args
        .windows(2)
        .find(|pair| pair[0] == "--vault")
        .map(|pair| PathBuf::from(&pair[1]));
    from_args
        .or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| data_dir.map(|d| d.join("vault")))
        .unwrap_or_else(|| PathBuf::from("vault"))
}

/// Seconds since 1970 by the system clock.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Today's date by the system clock (UTC), for dating the demo data.
pub fn today_from_system_clock() -> LocalDate {
    LocalDate::from_unix_days(now() / 86_400)
}

#[cfg(test)]
mod tests {
    use super::vault_dir;
    use std::ffi::OsString;
    use std::path::PathBuf;

    #[test]
    fn vault_dir_boundaries() {
        let check = |args: &[&str], env: Option<&str>, expect: &str| {
            let args: Vec<OsString> = args.iter().map(OsString::from).collect();
            let got = vault_dir(&args, env.map(OsString::from), Some(PathBuf::from("/data")));
            assert_eq!(got, PathBuf::from(expect), "{args:?} {env:?}");
        };
        check(&["kluis-app"], None, "/data/vault");
        check(&["kluis-app", "--vault", "/v"], Some("/e"), "/v");
        check(&["kluis-app"], Some("/e"), "/e");
        check(&["kluis-app"], Some(""), "/data/vault");
        check(&["kluis-app", "--vault"], None, "/data/vault");
    }
}
