//! The lock's clock for the command-line tests: debug builds of `kluis`
//! read the time from the file `KLUIS_TEST_CLOCK` names (release builds
//! never do), so a test can run at 09:00 on a Monday, at 23:00, or after
//! setting the clock back, whatever the machine's clock says.

#![allow(dead_code)] // each test binary uses part of this module

use std::path::{Path, PathBuf};

use kluis_core::LocalDate;

/// Central European Time (winter), the offset of every time below.
pub const CET: i32 = 3600;

/// A clock file the test moves.
#[derive(Debug)]
pub struct TestClock(PathBuf);

impl TestClock {
    /// A clock in `dir` showing `local` (`YYYY-MM-DD HH:MM`, CET).
    pub fn at(dir: &Path, local: &str) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        let clock = Self(dir.join("test-clock"));
        clock.set(local);
        clock
    }

    /// Monday 23 November 2026, 09:00: inside the default shift.
    pub fn monday_morning(dir: &Path) -> Self {
        Self::at(dir, "2026-11-23 09:00")
    }

    /// Sets the clock to `local` (`YYYY-MM-DD HH:MM`, CET).
    pub fn set(&self, local: &str) {
        let (date, time) = local.split_once(' ').unwrap();
        let (h, m) = time.split_once(':').unwrap();
        let local = LocalDate::parse(date)
            .unwrap()
            .at(h.parse().unwrap(), m.parse().unwrap(), 0)
            .unwrap();
        let utc = local.local_seconds() - i64::from(CET);
        std::fs::write(&self.0, format!("{utc} {CET}")).unwrap();
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

/// A clock that stays at Monday 23 November 2026, 09:00 CET, for tests
/// that are not about time.
pub fn monday() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kluis-cli-monday-{}", std::process::id()));
    TestClock::monday_morning(&dir).path().to_owned()
}
