//! Locks when the laptop does: logind's `PrepareForSleep` (suspend) and
//! `Session.Lock` on the system bus, and the desktop's screen saver
//! (`ActiveChanged` on the session bus). Each signal becomes an event for
//! the lock (`kluis_core::lock::Event`); no signal ever unlocks.
//!
//! A bus that is not there (a minimal desktop, CI) is logged once; the idle
//! lock still works, on wall-clock time. Debug builds listen for logind's
//! signals on the session bus when `KLUIS_TEST_LOGIND_ON_SESSION_BUS` is
//! set, so the end-to-end tests can send them (the test machine's system
//! bus has no logind).

use kluis_core::lock::Event;
use tauri::{AppHandle, Manager, Runtime};

use crate::locking::apply;
use crate::state::AppState;

/// Which bus a rule listens on.
#[derive(Clone, Copy, Debug)]
enum Bus {
    System,
    Session,
}

/// What a matching signal means.
#[derive(Clone, Copy, Debug)]
enum Meaning {
    /// `PrepareForSleep(true)`: going to sleep. (`false` is the wake-up: a
    /// tick, so the idle lock sees the time slept at once.)
    Sleep,
    /// `Lock()`: the session was locked.
    SessionLocked,
    /// `ActiveChanged(true)`: the screen saver (and its lock) came on.
    ScreenSaver,
}

const RULES: [(Bus, &str, Meaning); 4] = [
    (
        Bus::System,
        "type='signal',interface='org.freedesktop.login1.Manager',member='PrepareForSleep'",
        Meaning::Sleep,
    ),
    (
        Bus::System,
        "type='signal',interface='org.freedesktop.login1.Session',member='Lock'",
        Meaning::SessionLocked,
    ),
    (
        Bus::Session,
        "type='signal',interface='org.freedesktop.ScreenSaver',member='ActiveChanged'",
        Meaning::ScreenSaver,
    ),
    (
        Bus::Session,
        "type='signal',interface='org.gnome.ScreenSaver',member='ActiveChanged'",
        Meaning::ScreenSaver,
    ),
];

/// Listens on a thread per rule for as long as the app runs.
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    for (bus, rule, meaning) in RULES {
        let app = app.clone();
        let spawned = std::thread::Builder::new()
            .name("os-lock".into())
            .spawn(move || listen(&app, bus_for(bus), rule, meaning));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "no thread for the OS lock signals");
        }
    }
}

fn bus_for(bus: Bus) -> Bus {
    #[cfg(feature = "test-hooks")]
    if std::env::var_os("KLUIS_TEST_LOGIND_ON_SESSION_BUS").is_some() {
        return Bus::Session;
    }
    bus
}

fn listen<R: Runtime>(app: &AppHandle<R>, bus: Bus, rule: &'static str, meaning: Meaning) {
    let connection = match bus {
        Bus::System => zbus::blocking::Connection::system(),
        Bus::Session => zbus::blocking::Connection::session(),
    };
    let signals = connection
        .and_then(|c| zbus::blocking::MessageIterator::for_match_rule(rule, &c, Some(16)));
    let signals = match signals {
        Ok(signals) => signals,
        Err(e) => {
            tracing::info!(?bus, ?meaning, error = %e, "not listening for this OS lock signal");
            return;
        }
    };
    tracing::info!(?bus, ?meaning, "listening for the OS lock signal");
    for message in signals {
        let Ok(message) = message else { continue };
        let event = match meaning {
            Meaning::SessionLocked => Event::OsLocked,
            Meaning::Sleep | Meaning::ScreenSaver => match message.body().deserialize::<bool>() {
                Ok(true) if matches!(meaning, Meaning::Sleep) => Event::Suspend,
                Ok(true) => Event::OsLocked,
                Ok(false) => Event::Tick,
                Err(_) => continue,
            },
        };
        tracing::info!(?meaning, ?event, "OS lock signal");
        apply(&app.state::<AppState>(), event);
    }
}
