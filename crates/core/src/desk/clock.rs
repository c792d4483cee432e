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
/// A test may be rewriting the file just then: a reading that does not
/// parse is tried again, and meanwhile the last good one holds, so the
/// laptop's own clock never slips in between two test readings.
#[cfg(debug_assertions)]
fn test_clock() -> Option<Now> {
    static LAST: std::sync::Mutex<Option<Now>> = std::sync::Mutex::new(None);
    let path = std::env::var_os("KLUIS_TEST_CLOCK")?;
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for _ in 0..50 {
        if let Some(now) = std::fs::read_to_string(&path).ok().and_then(|t| parse(&t)) {
            *last = Some(now);
            return Some(now);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    *last
}

#[cfg(debug_assertions)]
fn parse(text: &str) -> Option<Now> {
    let mut parts = text.split_whitespace();
    Some(Now {
        utc: parts.next()?.parse().ok()?,
        offset: parts.next()?.parse().ok()?,
    })
}
