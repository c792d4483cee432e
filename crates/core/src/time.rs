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
    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

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

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.days_since_epoch() + 3).rem_euclid(7) as usize]
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        if text.len() != 10 {
            return None;
        }
        Self::new(year, month, day)
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

    pub fn hour(self) -> u8 {
        self.hour
    }

    pub fn minute(self) -> u8 {
        self.minute
    }

    pub fn second(self) -> u8 {
        self.second
    }

    /// Minutes since midnight.
    pub fn minute_of_day(self) -> u16 {
        u16::from(self.hour) * 60 + u16::from(self.minute)
    }

    /// Seconds since 1970-01-01T00:00:00 local: the inverse of
    /// [`LocalDateTime::from_local_seconds`].
    pub fn local_seconds(self) -> i64 {
        self.date.days_since_epoch() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The local time `seconds` after 1970-01-01T00:00:00 local (a UTC
    /// reading plus the offset in force).
    pub fn from_local_seconds(seconds: i64) -> Self {
        let date = LocalDate::from_days_since_epoch(seconds.div_euclid(86_400));
        let rest = seconds.rem_euclid(86_400);
        Self {
            date,
            hour: (rest / 3600) as u8,
            minute: (rest % 3600 / 60) as u8,
            second: (rest % 60) as u8,
        }
    }
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// Monday first, as in the Netherlands.
    pub const ALL: [Self; 7] = [
        Self::Monday,
        Self::Tuesday,
        Self::Wednesday,
        Self::Thursday,
        Self::Friday,
        Self::Saturday,
        Self::Sunday,
    ];

    /// 0 for Monday to 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
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
    fn weekdays_and_local_seconds() {
        let check = |date: &str, weekday: Weekday| {
            assert_eq!(LocalDate::parse(date).unwrap().weekday(), weekday, "{date}");
        };
        check("1970-01-01", Weekday::Thursday);
        check("2026-11-23", Weekday::Monday);
        check("2026-11-29", Weekday::Sunday);
        check("2024-02-29", Weekday::Thursday);
        check("1969-12-31", Weekday::Wednesday);
        assert_eq!(LocalDate::parse("2026-02-30"), None);
        assert_eq!(LocalDate::parse("2026-1-05"), None);
        assert_eq!(LocalDate::parse("2026-01-05x"), None);
        let t = LocalDateTime::from_local_seconds(1_795_000_000);
        assert_eq!(t.to_string(), "2026-11-18T11:06:40"); // date -u -d @1795000000
        assert_eq!(t.minute_of_day(), 11 * 60 + 6);
        assert_eq!(
            LocalDateTime::from_local_seconds(-1).to_string(),
            "1969-12-31T23:59:59"
        );
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
