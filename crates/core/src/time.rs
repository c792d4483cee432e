//! Local calendar dates and times as WhatsApp writes them: no time zone, no
//! clock reading of their own.

use std::fmt;

use kluis_vault::local_time::{self, days_in_month};

/// A date in the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDate {
    year: i32,
    month: u8,
    day: u8,
}

impl LocalDate {
    /// The date, or `None` when it does not exist (30 February, month 13).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// The date `days` days after 1970-01-01, e.g. from a clock reading.
    pub fn from_unix_days(days: i64) -> Self {
        Self::from_days_since_epoch(days)
    }

    /// The date `days` days earlier (or later, for a negative number).
    pub fn minus_days(self, days: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() - days)
    }

    /// This date at the given time of day, or `None` for a time that does not
    /// exist on a 24-hour clock.
    pub fn at(self, hour: u8, minute: u8, second: u8) -> Option<LocalDateTime> {
        (hour < 24 && minute < 60 && second < 60).then_some(LocalDateTime {
            date: self,
            hour,
            minute,
            second,
        })
    }

    /// Days since 1970-01-01.
    fn days_since_epoch(self) -> i64 {
        local_time::days_from_civil(self.year, self.month, self.day)
    }

    /// The inverse of [`Self::days_since_epoch`].
    fn from_days_since_epoch(days: i64) -> Self {
        let (year, month, day) = local_time::civil_from_days(days);
        Self { year, month, day }
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A local date and time to the second, as written in an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    date: LocalDate,
    hour: u8,
    minute: u8,
    second: u8,
}

impl LocalDateTime {
    /// The calendar date.
    pub fn date(self) -> LocalDate {
        self.date
    }
}

impl fmt::Display for LocalDateTime {
    /// `YYYY-MM-DDTHH:MM:SS`, the form the CLI and the UI exchange.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_minus(date: (i32, u8, u8), days: i64, expect: &str) {
        let d = LocalDate::new(date.0, date.1, date.2).expect("valid test date");
        assert_eq!(d.minus_days(days).to_string(), expect, "{d} minus {days}");
    }

    #[test]
    fn date_arithmetic_across_boundaries() {
        check_minus((2026, 3, 1), 1, "2026-02-28");
        check_minus((2024, 3, 1), 1, "2024-02-29");
        check_minus((2000, 3, 1), 1, "2000-02-29");
        check_minus((1900, 3, 1), 1, "1900-02-28");
        check_minus((2027, 1, 1), 1, "2026-12-31");
        check_minus((1970, 1, 1), 1, "1969-12-31");
        check_minus((2026, 11, 23), 0, "2026-11-23");
        check_minus((2026, 11, 23), -40, "2027-01-02");
        check_minus((2026, 11, 23), 365 * 400 + 97, "1626-11-23");
    }

    #[test]
    fn impossible_dates_and_times_are_refused() {
        assert!(LocalDate::new(2026, 2, 29).is_none());
        assert!(LocalDate::new(2024, 2, 29).is_some());
        assert!(LocalDate::new(2026, 13, 1).is_none());
        assert!(LocalDate::new(2026, 4, 31).is_none());
        assert!(LocalDate::new(2026, 4, 0).is_none());
        let day = LocalDate::new(2026, 4, 30).unwrap();
        assert!(day.at(24, 0, 0).is_none());
        assert!(day.at(23, 60, 0).is_none());
        assert_eq!(
            day.at(23, 59, 59).unwrap().to_string(),
            "2026-04-30T23:59:59"
        );
    }

    #[test]
    fn order_is_chronological() {
        let a = LocalDate::new(2026, 1, 31).unwrap().at(23, 0, 0).unwrap();
        let b = LocalDate::new(2026, 2, 1).unwrap().at(8, 0, 0).unwrap();
        assert!(a < b);
    }
}
