//! What the shell holds between commands: the console's data source, and
//! the channel on which the page hears of imports.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use kluis_core::lock::{Clock, Lock, persist};
use kluis_core::{Conversations, LocalDate};
use kluis_vault::{Session, Vault, VaultError};
use tauri::ipc::Channel;

use crate::dto::PageEvent;

/// Where the conversations on screen come from.
#[derive(Debug)]
pub enum Console {
    /// Generated, fictional data: no vault exists on this machine yet.
    Demo(Conversations),
    /// The vault is there, and no key is in memory.
    Locked(Vault),
    /// Unlocked: the session holds the data key and the open store.
    Open { vault: Vault, session: Session },
    /// A vault is configured but cannot be used (another process holds it,
    /// a file is damaged); the reason is for the operator and names no one.
    Unavailable(String),
}

/// The state behind every command.
///
/// Two mutexes: the console and the lock's state machine. Whoever needs
/// both takes the console first.
pub struct AppState {
    console: Mutex<Console>,
    /// The lock; `None` for the demo, which has nothing to lock.
    lock: Mutex<Option<Lock>>,
    /// The lock's clock.
    pub clock: Box<dyn Clock + Send + Sync>,
    /// Counts unlocks and locks, so that an inbox watcher started for one
    /// session stops when it ends, even if another begins meanwhile.
    generation: AtomicU64,
    /// Where the inbox is when the vault names none: the user's home.
    pub home: PathBuf,
    /// The page's channel for [`PageEvent`]s, once it has asked for them.
    events: Mutex<Option<Channel<PageEvent>>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The demo console, dated from `today`.
    pub fn demo(today: LocalDate) -> Self {
        Self::with(Console::Demo(kluis_core::demo::conversations(today)))
    }

    /// The vault in `dir`, locked; the demo if there is none there yet.
    /// The lock starts from the vault's notes (the store is closed).
    pub fn vault(dir: &Path, today: LocalDate, clock: Box<dyn Clock + Send + Sync>) -> Self {
        match Vault::open(dir) {
            Ok(vault) => {
                let notes = vault.notes().unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "the vault's notes are unreadable; default shift hours until unlock");
                    Default::default()
                });
                let lock = persist::lock_from(|k| notes.get(k).cloned(), clock.now().utc)
                    .unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "the noted shift hours are unreadable; defaults until unlock");
                        persist::lock_from(|_| None, clock.now().utc).expect("the default hours parse")
                    });
                let mut state = Self::with(Console::Locked(vault));
                state.lock = Mutex::new(Some(lock));
                state.clock = clock;
                state
            }
            Err(VaultError::NotAVault(_)) => Self::demo(today),
            Err(VaultError::InUse(_)) => Self::with(Console::Unavailable(
                "De kluis is al geopend door een ander Kluis-programma. Sluit dat eerst.".into(),
            )),
            Err(e) => {
                tracing::error!(error = %e, "the vault cannot be opened");
                Self::with(Console::Unavailable(format!(
                    "De kluis kan niet worden geopend: {e}"
                )))
            }
        }
    }

    fn with(console: Console) -> Self {
        Self {
            console: Mutex::new(console),
            lock: Mutex::new(None),
            clock: Box::new(crate::clock::SystemClock),
            generation: AtomicU64::new(0),
            home: std::env::var_os("HOME").map_or_else(|| PathBuf::from("/"), PathBuf::from),
            events: Mutex::new(None),
        }
    }

    /// The console, for one command. A command that panicked while holding
    /// it cannot have left a half-written transaction (SQLite rolls back),
    /// so the lock is taken over rather than poisoning the app for good.
    pub fn console(&self) -> MutexGuard<'_, Console> {
        self.console
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The lock's state machine (take [`AppState::console`] first).
    pub fn lock(&self) -> MutexGuard<'_, Option<Lock>> {
        self.lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current session's number; see [`AppState::next_generation`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Starts a new session's number (at unlock and at lock).
    pub fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
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
// The lock (issue 7) brings a clock that notices when it is set back.
pub fn now() -> i64 {
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
