//! Local time as an export writes it: no time zone, so it is kept as the
//! seconds a UTC clock would show at that reading. Ordering and arithmetic
//! are exact; what it means in absolute time is the municipality's zone.

use std::fmt;

/// A local date and time to the second, as seconds since 1970-01-01T00:00:00
/// read as if it were UTC.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(i64);

impl LocalTime {
    /// From calendar fields; `None` for a date that does not exist.
    pub fn from_parts(
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Self(
            days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second),
        ))
    }

    /// As stored.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// From what [`Self::seconds`] gave.
    pub fn from_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Year, month, day, hour, minute, second.
    pub fn parts(self) -> (i32, u8, u8, u8, u8, u8) {
        let days = self.0.div_euclid(86_400);
        let rest = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        // rest < 86_400, so the casts cannot truncate.
        (
            y,
            m,
            d,
            (rest / 3600) as u8,
            (rest / 60 % 60) as u8,
            (rest % 60) as u8,
        )
    }
}

impl fmt::Display for LocalTime {
    /// `YYYY-MM-DD HH:MM`, with `:SS` when the seconds are not zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.parts();
        write!(f, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")?;
        if s != 0 {
            write!(f, ":{s:02}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LocalTime({self})")
    }
}

/// Days in `month` of `year` (proleptic Gregorian).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    let is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if is_leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil and civil_from_days: exact for every
// proleptic Gregorian date. The one calendar of Kluis (kluis-core uses it).

/// Days since 1970-01-01 of a valid date.
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` days after 1970-01-01: year, month, day.
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(parts: (i32, u8, u8, u8, u8, u8), expect: Option<i64>) {
        let (y, mo, d, h, mi, s) = parts;
        let got = LocalTime::from_parts(y, mo, d, h, mi, s);
        assert_eq!(got.map(LocalTime::seconds), expect);
        if let Some(t) = got {
            assert_eq!(t.parts(), parts);
        }
    }

    #[test]
    fn calendar_boundaries() {
        check((1970, 1, 1, 0, 0, 0), Some(0));
        check((2000, 2, 29, 12, 0, 0), Some(951_825_600));
        check((2024, 12, 31, 23, 59, 59), Some(1_735_689_599));
        check((1969, 12, 31, 23, 59, 59), Some(-1));
        check((2023, 2, 29, 0, 0, 0), None);
        check((1900, 2, 29, 0, 0, 0), None);
        check((2024, 4, 31, 0, 0, 0), None);
        check((2024, 13, 1, 0, 0, 0), None);
        check((2024, 1, 1, 24, 0, 0), None);
        assert_eq!(
            LocalTime::from_seconds(951_825_600).to_string(),
            "2000-02-29 12:00"
        );
        assert_eq!(
            LocalTime::from_seconds(1_735_689_599).to_string(),
            "2024-12-31 23:59:59"
        );
    }
}
