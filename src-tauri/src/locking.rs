//! Feeds the lock's state machine (`kluis_core::lock`) and carries out what
//! it decides: write the audit entry, close the session (the key wiped,
//! the store closed), tell the page to forget everything, keep the lock's
//! memory. The rules are the core's; this is the hands.

use std::time::{Duration, Instant};

use kluis_core::lock::{self, Effect, Event, Lock, Now, Refusal, State, Why, persist};
use kluis_vault::audit::NewEntry;
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::PageEvent;
use crate::state::{AppState, Console};

/// How often time is looked at: the idle lock and the end of the day come
/// within this of their moment.
const TICK: Duration = Duration::from_secs(1);

/// Who the audit log names for what the lock does on its own while locked.
const KLUIS: &str = "kluis";

/// Ticks the lock until the app ends.
pub fn start_ticker<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new()
        .name("lock".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                apply(&app.state::<AppState>(), Event::Tick);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "no thread for the lock: it cannot tick");
    }
}

/// Hands `event` to the lock and carries out its effects.
pub fn apply(state: &AppState, event: Event) -> Vec<Effect> {
    let mut console = state.console();
    let mut lock = state.lock();
    let Some(lock) = lock.as_mut() else {
        return Vec::new(); // the demo
    };
    let now = state.clock.now();
    let effects = lock.handle(now, event);
    carry_out(state, &mut console, lock, now, &effects);
    effects
}

/// Carries out `effects`: audit entries, closing the session, the page.
pub fn carry_out(
    state: &AppState,
    console: &mut Console,
    lock: &Lock,
    now: Now,
    effects: &[Effect],
) {
    let started = Instant::now();
    let mut changed = false;
    for effect in effects {
        if let Some((action, detail)) = lock::audit::entry(effect) {
            let written = match &mut *console {
                Console::Open { session, .. } => {
                    session.audit(now.utc, action, "vault", &detail).map(|_| ())
                }
                Console::Locked(vault) => vault.defer_audit(&NewEntry {
                    at: now.utc,
                    operator: KLUIS,
                    action,
                    subject: "vault",
                    detail: &detail,
                }),
                Console::Demo(_) | Console::Unavailable(_) => Ok(()),
            };
            if let Err(e) = written {
                tracing::error!(error = %e, action = action.name(), "the lock's audit entry was not written");
            }
        }
        match effect {
            Effect::Transition { to, why, .. } => {
                tracing::info!(to, why = ?why_name(why), "lock");
                changed = true;
            }
            Effect::Warn { closing_at } => state.send(PageEvent::ClosingSoon {
                closing_at: closing_at.to_string()[11..16].to_owned(),
            }),
            Effect::ClockSetBack { by_seconds } => {
                tracing::warn!(by_seconds, "the clock was set back");
                state.send(PageEvent::ClockSetBack {
                    minutes: by_seconds / 60,
                });
            }
            Effect::Refused(_) => {}
        }
    }
    if changed {
        keep(console, lock);
        if !matches!(console, Console::Open { .. }) {
            state.send(PageEvent::LockScreenChanged);
        }
    }
    if !lock.state().is_open()
        && let Console::Open { .. } = console
    {
        close(state, console, effects);
        // The bound is 100 ms from the decision to the page told.
        tracing::info!(
            micros = started.elapsed().as_micros() as u64,
            "locked: key wiped, store closed, page told"
        );
    }
}

/// Closes the open session: the key wiped and the store closed now; the
/// page told to forget.
fn close(state: &AppState, console: &mut Console, effects: &[Effect]) {
    let Console::Open { vault, session } =
        std::mem::replace(console, Console::Demo(Default::default()))
    else {
        return;
    };
    *console = Console::Locked(vault);
    state.next_generation();
    if let Err(e) = session.close() {
        tracing::error!(error = %e, "the store did not close cleanly");
    }
    let why = effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Transition { why, .. } => Some(why_text(why)),
            _ => None,
        })
        .unwrap_or("Vergrendeld.");
    state.send(PageEvent::Locked { why: why.into() });
}

/// Keeps the lock's memory: in the store while open, in the notes always.
fn keep(console: &mut Console, lock: &Lock) {
    let result = match console {
        Console::Open { vault, session } => {
            let keep = persist::to_keep(lock, persist::from_store(session.store()));
            persist::save(session, lock)
                .map_err(kluis_vault::VaultError::from)
                .and_then(|()| vault.set_notes(&keep))
        }
        Console::Locked(vault) => {
            let notes = vault.notes().unwrap_or_default();
            vault.set_notes(&persist::to_keep(lock, |k| notes.get(k).cloned()))
        }
        Console::Demo(_) | Console::Unavailable(_) => Ok(()),
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "the lock's memory was not kept");
    }
}

/// After the passphrase opened the store: take the store's policy and
/// memory (the notes may be stale or edited), then let the lock decide.
/// Refused, the session is closed again at once and the refusal returned.
pub fn admit(
    state: &AppState,
    console: &mut Console,
    role: lock::Role,
    reason: Option<String>,
) -> Result<(), Refusal> {
    let mut guard = state.lock();
    let Some(lock) = guard.as_mut() else {
        return Ok(());
    };
    if let Console::Open { session, .. } = &*console
        && let Err(e) = persist::adopt(lock, session.store())
    {
        tracing::error!(error = %e, "the vault's shift hours are unreadable; the noted ones apply");
    }
    let now = state.clock.now();
    let effects = lock.handle(now, Event::Unlock { role, reason });
    carry_out(state, console, lock, now, &effects);
    // The adopted settings and memory reach the notes; a transition has
    // kept them already.
    if !effects
        .iter()
        .any(|e| matches!(e, Effect::Transition { .. }))
    {
        keep(console, lock);
    }
    let refusal = effects.iter().find_map(|e| match e {
        Effect::Refused(r) => Some(r.clone()),
        _ => None,
    });
    match refusal {
        Some(refusal) => {
            if let Console::Open { .. } = console {
                close(state, console, &[]);
            }
            Err(refusal)
        }
        None => Ok(()),
    }
}

/// Today's closing time (`HH:MM`) once the warning was given.
pub fn closing_soon(state: &AppState) -> Option<String> {
    state
        .lock()
        .as_ref()
        .and_then(Lock::closing_soon)
        .map(|at| at.to_string()[11..16].to_owned())
}

/// What the lock screen says about the lock, read without a passphrase.
pub fn outlook(state: &AppState) -> (String, bool, Option<String>) {
    let guard = state.lock();
    let Some(lock) = guard.as_ref() else {
        return (String::new(), false, None);
    };
    let now = state.clock.now();
    let shifts = lock.policy().shifts.week_text();
    let closed = match lock.state() {
        State::DayClosed { day } => Some(day.to_string()),
        _ => None,
    };
    let outside = lock.may_unlock(now, lock::Role::Operator).is_err();
    let closed = closed.or_else(|| match lock.may_unlock(now, lock::Role::Admin) {
        Err(Refusal::DayClosed { day }) => Some(day.to_string()),
        _ => None,
    });
    (shifts, outside, closed)
}

fn why_name(why: &Why) -> &'static str {
    match why {
        Why::InShift => "in shift",
        Why::Override { .. } => "override",
        Why::Idle => "idle",
        Why::OsLocked => "OS locked",
        Why::Suspend => "suspend",
        Why::ByHand => "by hand",
        Why::ClosingStarted => "closing started",
        Why::Sealed => "sealed",
        Why::EndOfDay => "end of day",
        Why::NewDay => "new day",
    }
}

/// Why Kluis locked, as the lock screen says it.
fn why_text(why: &Why) -> &'static str {
    match why {
        Why::Idle => "Vergrendeld: een tijd geen activiteit.",
        Why::OsLocked => "Vergrendeld: het scherm van de laptop werd vergrendeld.",
        Why::Suspend => "Vergrendeld: de laptop ging in slaapstand.",
        Why::ByHand => "Vergrendeld.",
        Why::Sealed | Why::EndOfDay => "De dag is afgesloten. Morgen kunt u weer ontgrendelen.",
        Why::InShift | Why::Override { .. } | Why::ClosingStarted | Why::NewDay => "Vergrendeld.",
    }
}
