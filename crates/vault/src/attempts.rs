//! Failed unlocks: counted on disk, so a restart does not reset them, with
//! a delay that doubles from the fourth failure on. The failures are moved
//! into the audit log (which they cannot reach while the vault is locked)
//! at the next successful unlock.

use serde::{Deserialize, Serialize};

/// Failures that cost nothing: a typo or two is normal.
const FREE_FAILURES: u32 = 3;
/// After this many failures in a row only the admin or recovery key opens:
/// an operator's passphrase being guessed is a matter for IT.
pub const OPERATOR_LIMIT: u32 = 10;
/// The longest wait, in seconds.
const MAX_WAIT: u64 = 15 * 60;
/// Failures kept for the audit log; beyond this only the count grows.
const KEPT: usize = 1000;

/// One failed unlock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// Unix seconds.
    pub at: i64,
    /// The slot that was tried.
    pub who: String,
}

/// The failed unlocks since the last successful one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    pub count: u32,
    pub last_at: Option<i64>,
    pub failures: Vec<Failure>,
    /// The boot the last failure happened in and the seconds since it
    /// began: while the laptop has not restarted, the wait is measured on
    /// that clock, which nobody can set (a clock moved forward skips no
    /// wait).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_boot: Option<(String, u64)>,
}

impl Attempts {
    /// Seconds to wait after `count` failures.
    pub fn wait_after(count: u32) -> u64 {
        match count.checked_sub(FREE_FAILURES) {
            None | Some(0) => 0,
            Some(n) => 1u64.checked_shl(n).unwrap_or(MAX_WAIT).min(MAX_WAIT),
        }
    }

    /// Seconds left before another try is allowed at `now`. A clock set
    /// back before the last failure restarts the wait from `now` rather
    /// than stretching it (true in the second value: save the change).
    /// Within one boot (`boot`, as the last failure's), measured on the
    /// boot's clock instead.
    pub fn remaining_since_boot(&mut self, now: i64, boot: Option<&(String, u64)>) -> (u64, bool) {
        let Some(last) = self.last_at else {
            return (0, false);
        };
        if let (Some((id, at)), Some((last_id, last_at))) = (boot, &self.last_boot)
            && id == last_id
        {
            let elapsed = at.saturating_sub(*last_at);
            return (Self::wait_after(self.count).saturating_sub(elapsed), false);
        }
        let mut moved = false;
        if now < last {
            self.last_at = Some(now);
            moved = true;
        }
        let elapsed = (now - self.last_at.unwrap_or(now)).max(0) as u64;
        (Self::wait_after(self.count).saturating_sub(elapsed), moved)
    }

    /// What a damaged attempts file counts as: one failure beyond the
    /// free ones, just now, with a failure in the log saying why.
    pub fn after_damage(now: i64) -> Self {
        Self {
            count: FREE_FAILURES + 1,
            last_at: Some(now),
            failures: vec![Failure {
                at: now,
                who: "unlock-attempts.json (damaged, set aside)".into(),
            }],
            last_boot: None,
        }
    }

    /// Counts a failure, with the boot clock's reading if there is one.
    pub fn record_since_boot(&mut self, now: i64, boot: Option<&(String, u64)>, who: String) {
        self.count = self.count.saturating_add(1);
        self.last_at = Some(now);
        self.last_boot = boot.cloned();
        if self.failures.len() < KEPT {
            self.failures.push(Failure { at: now, who });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_three_free_failures_and_is_capped() {
        let waits: Vec<u64> = (0..8).map(Attempts::wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 0, 2, 4, 8, 16]);
        assert_eq!(Attempts::wait_after(13), 900);
        assert_eq!(Attempts::wait_after(u32::MAX), 900);
    }

    #[test]
    fn a_clock_set_back_restarts_the_wait_instead_of_stretching_it() {
        let mut attempts = Attempts::default();
        for _ in 0..5 {
            attempts.record_since_boot(1_000, None, "admin".into());
        }
        assert_eq!(attempts.remaining_since_boot(1_001, None), (3, false));
        assert_eq!(attempts.remaining_since_boot(1_004, None), (0, false));
        // Clock set back a day: wait 4 s from now, not a day.
        assert_eq!(
            attempts.remaining_since_boot(1_000 - 86_400, None),
            (4, true)
        );
        assert_eq!(
            attempts.remaining_since_boot(1_000 - 86_400 + 4, None),
            (0, false)
        );
    }

    #[test]
    fn a_crafted_file_costs_at_most_the_longest_wait() {
        // A last failure far in the future, a count at the top.
        let mut attempts = Attempts {
            count: u32::MAX,
            last_at: Some(i64::MAX / 2),
            failures: Vec::new(),
            last_boot: None,
        };
        assert_eq!(attempts.remaining_since_boot(1_000, None), (MAX_WAIT, true));
        assert_eq!(
            attempts.remaining_since_boot(1_000 + MAX_WAIT as i64, None),
            (0, false)
        );
        let mut damaged = Attempts::after_damage(1_000);
        assert_eq!(damaged.remaining_since_boot(1_000, None), (2, false));
        // In the same boot, the wait runs on the boot's clock: a wall clock
        // moved an hour forward skips nothing; after a restart it counts.
        let boot = |s| ("boot-1".to_owned(), s);
        let mut timed = Attempts::default();
        for _ in 0..6 {
            timed.record_since_boot(1_000, Some(&boot(50)), "admin".into());
        }
        assert_eq!(
            timed.remaining_since_boot(1_000 + 3600, Some(&boot(51))).0,
            7
        );
        assert_eq!(timed.remaining_since_boot(1_000, Some(&boot(58))).0, 0);
        let other = ("boot-2".to_owned(), 5);
        assert_eq!(timed.remaining_since_boot(1_004, Some(&other)).0, 4);
        assert_eq!(damaged.remaining_since_boot(1_000, None), (2, false));
        assert_eq!(damaged.remaining_since_boot(1_002, None), (0, false));
    }
}
