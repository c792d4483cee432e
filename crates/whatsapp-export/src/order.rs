//! Which date component is the day: decided from all headers of a file.
//!
//! Every header votes for each reading under which its date exists (a
//! valid month and day, a year from 2009 on). The reading most headers
//! allow wins. When day-first and month-first tie, the file is ambiguous:
//! the reading its separator suggests is used, and both are reported.

use crate::header::{DateId, Era, RawHeader};
use crate::{DateOrder, Timestamp};

/// Years before WhatsApp existed (2009) are implausible.
const FIRST_YEAR: u16 = 2009;
const LAST_YEAR: u16 = 2099;

const ORDERS: [DateOrder; 3] = [
    DateOrder::DayMonthYear,
    DateOrder::MonthDayYear,
    DateOrder::YearMonthDay,
];

/// Tallies the headers of one shape.
#[derive(Clone, Debug, Default)]
pub(crate) struct Evidence {
    pub headers: usize,
    /// Per reading, how many headers (before the current run) are valid under it.
    valid: [usize; 3],
    /// The date of the latest headers and how many in a row had it: most
    /// headers repeat the one before, so dates are read once per run.
    run: Option<(DateKey, DateId, usize)>,
    unpadded_first: bool,
}

impl Evidence {
    #[inline]
    pub fn add(&mut self, header: &RawHeader, id: DateId) {
        self.headers += 1;
        self.unpadded_first |= header.widths[0] == 1;
        match &mut self.run {
            Some((_, run_id, n)) if *run_id == id => *n += 1,
            _ => {
                self.valid = self.tally();
                self.run = Some((DateKey::of(header), id, 1));
            }
        }
    }

    /// `valid` with the current run counted in.
    fn tally(&self) -> [usize; 3] {
        let mut valid = self.valid;
        if let Some((key, _, n)) = &self.run {
            for (valid, order) in valid.iter_mut().zip(ORDERS) {
                *valid += n * usize::from(date(key, order).is_some());
            }
        }
        valid
    }

    /// The chosen reading and, when the file allows another one as well, that one.
    pub fn decide(&self, separator: u8) -> (DateOrder, Option<DateOrder>) {
        let valid = self.tally();
        let best = *valid.iter().max().unwrap_or(&0);
        let candidates: Vec<DateOrder> = ORDERS
            .iter()
            .zip(valid)
            .filter(|(_, v)| *v == best)
            .map(|(o, _)| *o)
            .collect();
        let day_first = candidates.contains(&DateOrder::DayMonthYear);
        let month_first = candidates.contains(&DateOrder::MonthDayYear);
        match (day_first, month_first) {
            (true, true) => {
                // CLDR: `.` and `-` dates are day-first everywhere; unpadded
                // `M/d/yy` is en_US. Only a tie-breaker, and reported as such.
                let hinted = if separator == b'/' && self.unpadded_first {
                    DateOrder::MonthDayYear
                } else {
                    DateOrder::DayMonthYear
                };
                let other = if hinted == DateOrder::DayMonthYear {
                    DateOrder::MonthDayYear
                } else {
                    DateOrder::DayMonthYear
                };
                (hinted, (best > 0).then_some(other))
            }
            (true, false) => (DateOrder::DayMonthYear, None),
            (false, true) => (DateOrder::MonthDayYear, None),
            (false, false) => (
                candidates
                    .first()
                    .copied()
                    .unwrap_or(DateOrder::DayMonthYear),
                None,
            ),
        }
    }
}

/// A date as one reading gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ymd {
    year: u16,
    month: u8,
    day: u8,
}

/// A header's date fields as written: equal keys, equal dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DateKey {
    date: [u16; 3],
    widths: [u8; 3],
    era: Era,
}

impl DateKey {
    #[inline]
    fn of(h: &RawHeader) -> Self {
        Self {
            date: h.date,
            widths: h.widths,
            era: h.era,
        }
    }
}

/// Reads the dates of one file's headers, remembering the last one:
/// consecutive headers mostly share their date.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dates {
    last: Option<(DateId, DateOrder, Option<Ymd>)>,
}

impl Dates {
    /// The header's timestamp under `order`, or `None` if that date does not exist.
    #[inline]
    pub fn timestamp(&mut self, h: &RawHeader, id: DateId, order: DateOrder) -> Option<Timestamp> {
        let ymd = match self.last {
            Some((last, last_order, ymd)) if last == id && last_order == order => ymd,
            _ => {
                let ymd = date(&DateKey::of(h), order);
                self.last = Some((id, order, ymd));
                ymd
            }
        };
        let Ymd { year, month, day } = ymd?;
        Some(Timestamp {
            year,
            month,
            day,
            hour: h.hour,
            minute: h.minute,
            second: h.second.unwrap_or(0),
        })
    }
}

/// The date under `order`, or `None` if that date does not exist.
fn date(h: &DateKey, order: DateOrder) -> Option<Ymd> {
    let [a, b, c] = h.date;
    let (year_i, month, day) = match order {
        DateOrder::DayMonthYear => (2, b, a),
        DateOrder::MonthDayYear => (2, a, b),
        DateOrder::YearMonthDay => (0, b, c),
    };
    let raw_year = h.date[year_i];
    let year = match h.era {
        Era::Buddhist => raw_year.checked_sub(543)?,
        Era::Reiwa => 2018 + raw_year,
        Era::Common if h.widths[year_i] <= 2 => 2000 + raw_year,
        Era::Common => raw_year,
    };
    // A four-digit year may only stand where the reading puts the year.
    let year_widths_ok = (0..3).all(|i| i == year_i || h.widths[i] <= 2);
    let valid = year_widths_ok
        && (FIRST_YEAR..=LAST_YEAR).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= u16::from(days_in_month(year, month));
    valid.then_some(Ymd {
        year,
        month: month as u8,
        day: day as u8,
    })
}

fn days_in_month(year: u16, month: u16) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
