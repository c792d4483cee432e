//! The laptop's clock, with the local zone's offset (which changes with
//! daylight saving time): the one place Kluis reads the system clock for
//! the lock. Adapters hand it to the desk; tests hand their own.
//!
//! Debug builds read `KLUIS_TEST_CLOCK` instead when it names a file, so
//! the end-to-end and command-line tests can move time; release builds
//! have no such door.

use crate::lock::{Clock, Now};

/// The system clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Now {
        #[cfg(debug_assertions)]
        if let Some(now) = test_clock() {
            return now;
        }
        let now = chrono::Local::now();
        Now {
            utc: now.timestamp(),
            offset: now.offset().local_minus_utc(),
        }
    }
}

/// `UTC_SECONDS OFFSET_SECONDS` from the file `KLUIS_TEST_CLOCK` names.
#[cfg(debug_assertions)]
fn test_clock() -> Option<Now> {
    let path = std::env::var_os("KLUIS_TEST_CLOCK")?;
    let text = std::fs::read_to_string(path).ok()?;
    let mut parts = text.split_whitespace();
    Some(Now {
        utc: parts.next()?.parse().ok()?,
        offset: parts.next()?.parse().ok()?,
    })
}
