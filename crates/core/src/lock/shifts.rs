//! Shift hours as IT sets them: one shift per weekday, and exception days
//! (a holiday closed, a short day before Christmas) that replace the
//! weekday's hours. Times are the laptop's local wall-clock time.
//!
//! Written the way a Dutch IT person would type them:
//! `ma-vr 08:00-17:00, za 09:00-12:00` and
//! `2026-12-25 dicht, 2026-12-24 08:00-13:00`. A shift ends on the day it
//! starts: a customer-contact desk has no night shift.

use std::collections::BTreeMap;
use std::fmt;

use crate::time::{LocalDate, LocalDateTime, Weekday};

/// One day's opening hours, `start` inclusive, `end` exclusive, in minutes
/// since midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shift {
    start: u16,
    end: u16,
}

impl Shift {
    /// `None` unless `start` is before `end` and `end` is at most 24:00.
    pub fn new(start: u16, end: u16) -> Option<Self> {
        (start < end && end <= 24 * 60).then_some(Self { start, end })
    }

    pub fn start(self) -> u16 {
        self.start
    }

    pub fn end(self) -> u16 {
        self.end
    }

    fn contains(self, minute: u16) -> bool {
        (self.start..self.end).contains(&minute)
    }
}

impl fmt::Display for Shift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// The week's shifts and the exception days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shifts {
    week: [Option<Shift>; 7],
    exceptions: BTreeMap<LocalDate, Option<Shift>>,
}

/// Why shift hours were not accepted; the text is shown to IT as is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShiftError {
    #[error("{0:?} is not a day or a range of days (ma, di, wo, do, vr, za, zo; e.g. ma-vr)")]
    Days(String),
    #[error("{0:?} is not a time range like 08:00-17:00 (start before end, at most 24:00)")]
    Hours(String),
    #[error("{0:?} is not a date like 2026-12-25")]
    Date(String),
    #[error("{0:?} needs days and hours, like \"ma-vr 08:00-17:00\"")]
    Entry(String),
    #[error("{0} is given twice")]
    Twice(String),
}

const DAY_NAMES: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];

impl Shifts {
    /// Reads the weekly hours and the exception days (either may be empty:
    /// no shift at all is a vault nobody but IT can open).
    pub fn parse(week: &str, exceptions: &str) -> Result<Self, ShiftError> {
        let mut shifts = Self::default();
        let mut given = [false; 7];
        for entry in entries(week) {
            let (days, hours) = entry
                .split_once(char::is_whitespace)
                .ok_or_else(|| ShiftError::Entry(entry.to_owned()))?;
            let shift = parse_hours(hours.trim())?;
            for day in parse_days(days)? {
                if std::mem::replace(&mut given[day], true) {
                    return Err(ShiftError::Twice(DAY_NAMES[day].to_owned()));
                }
                shifts.week[day] = Some(shift);
            }
        }
        for entry in entries(exceptions) {
            let (date, hours) = entry
                .split_once(char::is_whitespace)
                .ok_or_else(|| ShiftError::Entry(entry.to_owned()))?;
            let date = LocalDate::parse(date).ok_or_else(|| ShiftError::Date(date.to_owned()))?;
            let hours = hours.trim();
            let shift = if hours.eq_ignore_ascii_case("dicht") {
                None
            } else {
                Some(parse_hours(hours)?)
            };
            if shifts.exceptions.insert(date, shift).is_some() {
                return Err(ShiftError::Twice(date.to_string()));
            }
        }
        Ok(shifts)
    }

    /// The shift on `date`, if the desk is open that day.
    pub fn on(&self, date: LocalDate) -> Option<Shift> {
        match self.exceptions.get(&date) {
            Some(exception) => *exception,
            None => self.week[date.weekday().index()],
        }
    }

    /// Whether `at` falls inside that day's shift.
    pub fn inside(&self, at: LocalDateTime) -> bool {
        self.on(at.date())
            .is_some_and(|shift| shift.contains(at.minute_of_day()))
    }

    /// The weekly hours as [`Shifts::parse`] reads them, a day per entry.
    pub fn week_text(&self) -> String {
        let mut parts = Vec::new();
        for day in Weekday::ALL {
            if let Some(shift) = self.week[day.index()] {
                parts.push(format!("{} {shift}", DAY_NAMES[day.index()]));
            }
        }
        parts.join(", ")
    }
}

fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
}

fn parse_days(text: &str) -> Result<Vec<usize>, ShiftError> {
    let day = |name: &str| {
        DAY_NAMES
            .iter()
            .position(|d| d.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| ShiftError::Days(text.to_owned()))
    };
    match text.split_once('-') {
        Some((first, last)) => {
            let (first, last) = (day(first)?, day(last)?);
            if first > last {
                return Err(ShiftError::Days(text.to_owned()));
            }
            Ok((first..=last).collect())
        }
        None => Ok(vec![day(text)?]),
    }
}

fn parse_hours(text: &str) -> Result<Shift, ShiftError> {
    let refused = || ShiftError::Hours(text.to_owned());
    let (start, end) = text.split_once('-').ok_or_else(refused)?;
    let minutes = |t: &str| -> Option<u16> {
        let (h, m) = t.trim().split_once(':')?;
        if m.len() != 2 {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && h <= 24).then_some(h * 60 + m)
    };
    let (start, end) = (
        minutes(start).ok_or_else(refused)?,
        minutes(end).ok_or_else(refused)?,
    );
    Shift::new(start, end).ok_or_else(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> LocalDateTime {
        let (date, time) = text.split_once(' ').unwrap();
        let (h, m) = time.split_once(':').unwrap();
        LocalDate::parse(date)
            .unwrap()
            .at(h.parse().unwrap(), m.parse().unwrap(), 0)
            .unwrap()
    }

    #[test]
    fn parse_boundaries() {
        let check = |week: &str, exceptions: &str, expect: Result<&str, ShiftError>| {
            let got = Shifts::parse(week, exceptions).map(|s| s.week_text());
            assert_eq!(got, expect.map(str::to_owned), "{week:?} {exceptions:?}");
        };
        check(
            "ma-vr 08:00-17:00, za 09:00-12:30",
            "",
            Ok(
                "ma 08:00-17:00, di 08:00-17:00, wo 08:00-17:00, do 08:00-17:00, vr 08:00-17:00, \
                za 09:00-12:30",
            ),
        );
        check("MA 8:00-24:00", "", Ok("ma 08:00-24:00"));
        check("", "", Ok(""));
        check("ma-vr", "", Err(ShiftError::Entry("ma-vr".into())));
        check(
            "vr-ma 08:00-17:00",
            "",
            Err(ShiftError::Days("vr-ma".into())),
        );
        check("mo 08:00-17:00", "", Err(ShiftError::Days("mo".into())));
        check(
            "ma 17:00-08:00",
            "",
            Err(ShiftError::Hours("17:00-08:00".into())),
        );
        check(
            "ma 08:00-24:01",
            "",
            Err(ShiftError::Hours("08:00-24:01".into())),
        );
        check(
            "ma 08:0-17:00",
            "",
            Err(ShiftError::Hours("08:0-17:00".into())),
        );
        check("ma 08:00", "", Err(ShiftError::Hours("08:00".into())));
        check(
            "ma-wo 08:00-17:00, di 09:00-12:00",
            "",
            Err(ShiftError::Twice("di".into())),
        );
        check(
            "",
            "2026-02-30 dicht",
            Err(ShiftError::Date("2026-02-30".into())),
        );
        check(
            "",
            "2026-12-25 dicht, 2026-12-25 08:00-12:00",
            Err(ShiftError::Twice("2026-12-25".into())),
        );
        check(
            "",
            "2026-12-25 gesloten",
            Err(ShiftError::Hours("gesloten".into())),
        );
    }

    #[test]
    fn inside_boundaries() {
        let shifts = Shifts::parse(
            "ma-vr 08:00-17:00, za 09:00-12:00",
            "2026-12-25 dicht, 2026-12-24 08:00-13:00, 2026-12-27 10:00-11:00",
        )
        .unwrap();
        let check = |time: &str, inside: bool| {
            assert_eq!(shifts.inside(at(time)), inside, "{time}");
        };
        check("2026-11-23 07:59", false); // Monday
        check("2026-11-23 08:00", true);
        check("2026-11-23 16:59", true);
        check("2026-11-23 17:00", false);
        check("2026-11-28 11:59", true); // Saturday
        check("2026-11-28 12:00", false);
        check("2026-11-29 10:00", false); // Sunday
        check("2026-12-24 12:59", true); // Thursday, short day
        check("2026-12-24 13:00", false);
        check("2026-12-25 10:00", false); // Friday, closed
        check("2026-12-27 10:30", true); // Sunday, opened once
    }
}
