//! Readings of the laptop's clock, and the rule that keeps a clock set back
//! by hand from moving Kluis's time backwards.

use crate::time::LocalDateTime;

/// One reading of the clock: UTC seconds since 1970, and the offset of the
/// local time zone at that moment (seconds east of UTC; it changes with
/// daylight saving time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    pub utc: i64,
    pub offset: i32,
}

impl Now {
    /// The local wall-clock time of this reading.
    pub fn local(self) -> LocalDateTime {
        LocalDateTime::from_local_seconds(self.utc + i64::from(self.offset))
    }
}

/// The clock. The shell reads the system's; tests move their own.
pub trait Clock {
    fn now(&self) -> Now;

    /// Which boot of the laptop this is, and the seconds since it began:
    /// a clock nobody can set, so the wait after failed unlocks cannot be
    /// skipped by moving the time forward. `None` where there is none.
    fn since_boot(&self) -> Option<(String, u64)> {
        None
    }
}

/// A clock that is this far behind the latest time seen counts as set back
/// (a little slack for NTP-like corrections, which this offline laptop does
/// not get, and for the rounding of a suspend).
pub const SET_BACK_SLACK: i64 = 60;

/// The latest time Kluis has seen. Time as the rules see it never goes
/// below it, and after the clock is set back it runs on from there at the
/// clock's pace: a clock set back can neither reopen a closed day nor
/// lengthen a shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Watermark {
    seen: i64,
    /// Seconds added to a clock that was set back (0 while it is not).
    skew: i64,
}

/// What one reading amounts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The time the rules use.
    pub effective: Now,
    /// The clock was just found set back by this many seconds.
    pub set_back_by: Option<i64>,
}

impl Watermark {
    pub fn new(seen: i64) -> Self {
        Self { seen, skew: 0 }
    }

    pub fn seen(self) -> i64 {
        self.seen
    }

    /// Raises the latest time seen to `seen` if that is later.
    pub fn raise(&mut self, seen: i64) {
        self.seen = self.seen.max(seen);
    }

    /// Takes a reading: the watermark moves forward, never back.
    pub fn observe(&mut self, now: Now) -> Reading {
        let mut set_back_by = None;
        if now.utc + SET_BACK_SLACK >= self.seen {
            // The clock is sane (again): it leads.
            self.skew = 0;
            self.seen = self.seen.max(now.utc);
        } else {
            if self.skew == 0 || now.utc + self.skew + SET_BACK_SLACK < self.seen {
                // Set back (again): run on from the latest time seen.
                self.skew = self.seen - now.utc;
                set_back_by = Some(self.skew);
            }
            self.seen = self.seen.max(now.utc + self.skew);
        }
        Reading {
            effective: Now {
                utc: self.seen,
                offset: now.offset,
            },
            set_back_by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_set_back_runs_on_from_the_latest_time_seen() {
        let mut mark = Watermark::new(1000);
        let mut check = |utc: i64, effective: i64, set_back_by: Option<i64>| {
            let r = mark.observe(Now { utc, offset: 0 });
            assert_eq!(
                (r.effective.utc, r.set_back_by),
                (effective, set_back_by),
                "at {utc}"
            );
        };
        check(1100, 1100, None);
        check(1090, 1100, None); // within the slack
        check(500, 1100, Some(600)); // set back 10 minutes
        check(560, 1160, None); // a minute later, it runs on
        check(200, 1160, Some(960)); // set back again
        check(1200, 1200, None); // set right: the clock leads again
        check(5000, 5000, None); // a suspend: time jumps forward
    }
}
