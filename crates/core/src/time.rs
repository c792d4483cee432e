//! Local calendar dates and times as WhatsApp writes them: no time zone, no
//! clock reading of their own.

use std::fmt;

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

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Self::days_since_epoch`] (Hinnant's `civil_from_days`).
    fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
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

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
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
