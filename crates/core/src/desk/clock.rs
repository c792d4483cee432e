//! The laptop's clock: the one place Kluis reads the system clock for the
//! lock. Adapters hand it to the desk; tests hand their own.
//!
//! The local time is the Netherlands' (Europe/Amsterdam, with its daylight
//! saving time from the IANA database), not the zone of the process: `TZ`
//! is the user's to set, so an operator could otherwise choose an hour
//! inside the shift. The UTC reading is the system's, which only root sets.
//!
//! Builds with the `test-hooks` feature (the end-to-end and command-line
//! tests' builds, never `make run`'s or a release) read `KLUIS_TEST_CLOCK`
//! instead when it names a file, so those tests can move time; other
//! builds have no such door.

use chrono::{Offset, TimeZone};

use crate::lock::{Clock, Now};

/// The system clock, in the Dutch time zone.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Now {
        #[cfg(feature = "test-hooks")]
        if let Some(now) = test_clock() {
            return now;
        }
        dutch(chrono::Utc::now().timestamp())
    }

    fn since_boot(&self) -> Option<(String, u64)> {
        #[cfg(feature = "test-hooks")]
        if std::env::var_os("KLUIS_TEST_CLOCK").is_some() {
            return None; // the tests' time is the wall clock they move
        }
        // The kernel's, not the C library's: no faked time reaches these.
        let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
        let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
        let seconds = uptime.split(['.', ' ']).next()?.parse().ok()?;
        Some((id.trim().to_owned(), seconds))
    }
}

/// The UTC time of a Dutch local time (seconds as [`kluis_vault::LocalTime`]
/// counts them). An hour skipped in spring is read as the hour after; an
/// hour repeated in autumn as its first reading.
pub fn utc_of_dutch(local_seconds: i64) -> i64 {
    let naive = chrono::DateTime::from_timestamp(local_seconds, 0).map(|t| t.naive_utc());
    let found = naive.and_then(|naive| {
        chrono_tz::Europe::Amsterdam
            .from_local_datetime(&naive)
            .earliest()
            .or_else(|| {
                chrono_tz::Europe::Amsterdam
                    .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                    .earliest()
            })
    });
    found.map_or(local_seconds - 3600, |t| t.timestamp())
}

/// The Dutch local time of a UTC time.
pub fn dutch_local(utc: i64) -> crate::LocalDateTime {
    dutch(utc).local()
}

/// A UTC reading with the Netherlands' offset at that moment.
pub(crate) fn dutch(utc: i64) -> Now {
    let offset = chrono::DateTime::from_timestamp(utc, 0).map_or(3600, |at| {
        chrono_tz::Europe::Amsterdam
            .offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
    });
    Now { utc, offset }
}

/// `UTC_SECONDS OFFSET_SECONDS` from the file `KLUIS_TEST_CLOCK` names.
/// A test may be rewriting the file just then: a reading that does not
/// parse is tried again, and meanwhile the last good one holds, so the
/// laptop's own clock never slips in between two test readings.
#[cfg(feature = "test-hooks")]
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

#[cfg(feature = "test-hooks")]
fn parse(text: &str) -> Option<Now> {
    let mut parts = text.split_whitespace();
    Some(Now {
        utc: parts.next()?.parse().ok()?,
        offset: parts.next()?.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::dutch;

    #[test]
    fn dutch_local_times_in_utc() {
        let check = |local: i64, utc: i64| assert_eq!(super::utc_of_dutch(local), utc, "{local}");
        let spring = 1_774_746_000; // 2026-03-29 01:00 UTC, 02:00 local becomes 03:00
        check(spring - 3600 + 3600, spring - 3600); // 01:00 local, winter
        check(spring + 3600 + 1800, spring + 1800); // 02:30 local: skipped, read as 03:30
        check(spring + 7200 + 1800, spring + 1800); // 03:30 local, summer
        let autumn = 1_792_890_000; // 2026-10-25 01:00 UTC, 03:00 local becomes 02:00
        check(autumn + 7200 - 1800, autumn - 1800); // 02:30 local: its first reading
        check(1_795_420_800 + 3600, 1_795_420_800); // 23 November 2026 01:00 local
    }

    #[test]
    fn the_dutch_offset_follows_daylight_saving_time() {
        let check = |utc: i64, offset: i32| assert_eq!(dutch(utc).offset, offset, "{utc}");
        // 2026-03-29 01:00 UTC: summer time begins; 2026-10-25 01:00 UTC: it ends.
        let spring = 1_774_746_000;
        let autumn = 1_792_890_000;
        check(spring - 1, 3600);
        check(spring, 7200);
        check(autumn - 1, 7200);
        check(autumn, 3600);
        check(1_795_420_800, 3600); // 23 November 2026
    }
}
