//! What the shell holds between commands.

use std::time::{SystemTime, UNIX_EPOCH};

use kluis_core::{Conversations, LocalDate};

/// Where the conversations on screen come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataSource {
    /// Generated, fictional data: no vault exists on this machine yet.
    Demo,
}

/// The state behind every command.
#[derive(Debug)]
pub struct AppState {
    /// The conversations the console shows.
    pub conversations: Conversations,
    /// Where they come from.
    pub source: DataSource,
}

impl AppState {
    /// The demo console, dated from `today`.
    pub fn demo(today: LocalDate) -> Self {
        Self {
            conversations: kluis_core::demo::conversations(today),
            source: DataSource::Demo,
        }
    }
}

/// Today's date by the system clock (UTC), for dating the demo data.
// The lock (issue 7) brings a proper clock with local time and jump detection.
pub fn today_from_system_clock() -> LocalDate {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    LocalDate::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
}
