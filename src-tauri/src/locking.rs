//! The lock as the window feels it: a ticker that hands the desk the time
//! every second, and the desk's notices turned into page events. The
//! rules and their effects (audit entries, the session closed) are the
//! desk's; this is the hands.

use std::time::{Duration, Instant};

use kluis_core::desk::Notice;
use kluis_core::lock::{Event, Why};
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::PageEvent;
use crate::state::AppState;

/// How often time is looked at: the idle lock and the end of the day come
/// within this of their moment.
const TICK: Duration = Duration::from_secs(1);

/// Ticks the lock until the app ends.
pub fn start_ticker<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new()
        .name("lock".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                let state = app.state::<AppState>();
                apply(&state, Event::Tick);
                if let Some(now) = state.with_reading_desk(|desk| desk.now().utc) {
                    state.clipboard.tick(now);
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "no thread for the lock: it cannot tick");
    }
}

/// Hands `event` to the desk's lock and tells the page what came of it.
pub fn apply(state: &AppState, event: Event) -> Vec<Notice> {
    let started = Instant::now();
    let notices = state
        .with_desk(|desk| desk.apply(event))
        .unwrap_or_default();
    if notices.iter().any(|n| matches!(n, Notice::Locked { .. })) {
        // The bound is 100 ms from the decision to the page told.
        tracing::info!(
            micros = started.elapsed().as_micros() as u64,
            "locked: key wiped, store closed, page told"
        );
    }
    tell(state, &notices);
    notices
}

/// Tells the page what the desk noticed.
pub fn tell(state: &AppState, notices: &[Notice]) {
    for notice in notices {
        if let Notice::RemovedUnreferenced { files } = notice {
            // Audited in the vault; nothing for the employee to do.
            tracing::info!(files, "removed files no record referred to");
            continue;
        }
        state.send(match notice {
            Notice::Locked { why } => {
                tracing::info!(why = why_name(why), "lock");
                state.clipboard.clear();
                PageEvent::Locked { why: why.into() }
            }
            Notice::LockScreenChanged => PageEvent::LockScreenChanged,
            Notice::ClosingSoon { closing_at } => PageEvent::ClosingSoon {
                closing_at: (*closing_at).into(),
            },
            Notice::ClockSetBack { by_seconds } => PageEvent::ClockSetBack {
                minutes: by_seconds / 60,
            },
            Notice::RemovedUnreferenced { .. } => continue,
        });
    }
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
