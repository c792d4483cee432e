//! Recognises a message header by hand, without regex: the date, the time
//! and where the author or text begins.
//!
//! The shapes (whatsapp-format.md, section 3): Android `DATE[,] TIME[ AMPM] - `,
//! iOS `[DATE[,] TIME[ AMPM]] `, pre-2017 iOS `DATE TIME: `, time-first
//! `[TIME, DATE] ` (Vietnamese), Finnish `DATE klo TIME`, dates with `/ . -`
//! or `. ` separators, Arabic-Indic digits with RLM, eras (`2565 BE`, `R4`).
//! Which date component is the day is not decided here: see [`crate::order`].

/// How a file writes its headers; one file uses one shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// The three platforms' header frames.
    pub frame: Frame,
    /// The first date separator byte (`/`, `.`, `-`).
    pub separator: u8,
    /// Vietnamese iOS puts the time before the date.
    pub time_first: bool,
}

/// The frame around date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Frame {
    /// `DATE TIME - ` (Android).
    Dash,
    /// `[DATE TIME] ` (iOS).
    Bracket,
    /// `DATE TIME: ` (iOS before 2017, seconds required).
    Colon,
}

/// Era of the year field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Era {
    /// Gregorian years.
    Common,
    /// Thai Buddhist calendar (`2565 BE` = 2022).
    Buddhist,
    /// Japanese Reiwa era (`R4` = 2022).
    Reiwa,
}

/// A header as written, before the day/month order is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawHeader {
    /// The header's shape.
    pub shape: Shape,
    /// The three date components in written order.
    pub date: [u16; 3],
    /// How many digits each component had.
    pub widths: [u8; 3],
    /// The era of the year component.
    pub era: Era,
    /// Hour on a 24-hour clock (AM/PM applied).
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second; `None` where the export writes none (Android).
    pub second: Option<u8>,
    /// Byte offset in the line where the author or text starts.
    pub rest: usize,
}

/// Recognises the header at the start of `line` (a line without its line
/// ending). Leading invisible marks are skipped.
pub fn parse(line: &[u8]) -> Option<RawHeader> {
    fast(line).or_else(|| general(line))
}

/// Reads the headers of one file in order, remembering the last date.
///
/// Consecutive headers mostly share their date, so the bytes before the
/// time of the last fast-path header (`[13-05-2022, `) are kept; a line that
/// starts with the same bytes has the same date and only its time is read.
/// Results equal [`parse`]'s (`tests::the_reader_agrees_with_parse`).
#[derive(Clone, Debug, Default)]
pub(crate) struct HeaderReader {
    /// The remembered bytes, little-endian, and which of them count.
    date_bytes: u128,
    date_mask: u128,
    date_len: usize,
    date: FastDate,
    /// The id of the remembered date.
    date_id: DateId,
    /// The date of the last header handed out, and its id.
    last: Option<(DateFields, DateId)>,
    /// The last id made.
    made: u64,
}

/// A header's date as written: equal fields, equal dates.
type DateFields = ([u16; 3], [u8; 3], Era);

impl HeaderReader {
    /// The header at the start of `line`, as [`parse`] reads it, and an id
    /// of its date: headers with equal ids have equal dates, so a caller
    /// can skip reading a date it has just read.
    #[inline]
    pub fn parse(&mut self, line: &[u8]) -> Option<(RawHeader, DateId)> {
        // iOS puts an LRM in front of the headers of media and notices: one
        // line in twelve. Skipped here, such lines take the fast path too.
        const LRM: &[u8] = "\u{200E}".as_bytes();
        if let Some(after) = line.strip_prefix(LRM)
            && after.first() == Some(&b'[')
        {
            return self.parse_unmarked(after).map(|(mut h, id)| {
                h.rest += LRM.len();
                (h, id)
            });
        }
        self.parse_unmarked(line)
    }

    #[inline]
    fn parse_unmarked(&mut self, line: &[u8]) -> Option<(RawHeader, DateId)> {
        if let Some(first) = line.first_chunk::<16>()
            && (u128::from_le_bytes(*first) ^ self.date_bytes) & self.date_mask == 0
            && self.date_mask != 0
            && let Some(h) = fast_time(line, self.date_len, &self.date)
        {
            self.last = Some(((h.date, h.widths, h.era), self.date_id));
            return Some((h, self.date_id));
        }
        let Some((date, time_at)) = fast_date(line) else {
            return general(line).map(|h| self.named(h));
        };
        let Some(h) = fast_time(line, time_at, &date) else {
            return general(line).map(|h| self.named(h));
        };
        let (h, id) = self.named(h);
        if let Some(first) = line.first_chunk::<16>()
            && time_at <= 16
        {
            self.date_bytes = u128::from_le_bytes(*first);
            self.date_mask = u128::MAX >> (8 * (16 - time_at));
            self.date_len = time_at;
            self.date = date;
            self.date_id = id;
        }
        Some((h, id))
    }

    /// `h` with the id of its date: the last header's if the date is the
    /// same, else a new one.
    fn named(&mut self, h: RawHeader) -> (RawHeader, DateId) {
        let fields = (h.date, h.widths, h.era);
        let id = match self.last {
            Some((last, id)) if last == fields => id,
            _ => {
                self.made += 1;
                DateId(self.made)
            }
        };
        self.last = Some((fields, id));
        (h, id)
    }
}

/// Names the date of a header read by one [`HeaderReader`]: equal ids,
/// equal dates. Consecutive headers with equal dates have equal ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct DateId(u64);

/// The date part of a fast-path header.
#[derive(Clone, Copy, Debug, Default)]
struct FastDate {
    bracket: bool,
    separator: u8,
    values: [u16; 3],
    widths: [u8; 3],
}

/// Up to `max` ASCII digits at `*at`; `None` for none or more than `max`.
#[inline]
fn digits(line: &[u8], at: &mut usize, max: usize) -> Option<(u16, u8)> {
    let mut value = 0u16;
    let mut n = 0usize;
    while let Some(&b) = line.get(*at + n) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if n == max {
            return None;
        }
        value = value * 10 + u16::from(d);
        n += 1;
    }
    if n == 0 {
        return None;
    }
    *at += n;
    Some((value, n as u8))
}

/// The common shapes in plain ASCII (`13-05-2022 09:00 - `,
/// `[13-05-22 09:00:00] `, `5/13/22, 9:00 - `), read at a fraction of the
/// general parser's cost. `None` means "ask the general parser", never "no
/// header"; `tests::fast_path_agrees_with_the_general_parser` holds them equal.
#[inline]
fn fast(line: &[u8]) -> Option<RawHeader> {
    let (date, time_at) = fast_date(line)?;
    fast_time(line, time_at, &date)
}

/// The date and the blank after it; returns where the time starts. Reads
/// nothing past that point, so equal bytes before it mean an equal date.
#[inline]
fn fast_date(line: &[u8]) -> Option<(FastDate, usize)> {
    let bracket = line.first() == Some(&b'[');
    let mut i = usize::from(bracket);
    let (a, wa) = digits(line, &mut i, 4)?;
    let separator = *line.get(i)?;
    if !matches!(separator, b'/' | b'.' | b'-') {
        return None;
    }
    i += 1;
    let (b, wb) = digits(line, &mut i, 4)?;
    if line.get(i) != Some(&separator) {
        return None;
    }
    i += 1;
    let (c, wc) = digits(line, &mut i, 4)?;
    // Stops at the first non-digit after the year, which is part of the
    // remembered bytes: so they decide the date alone.
    match line.get(i)? {
        b',' if line.get(i + 1) == Some(&b' ') => i += 2,
        b' ' => i += 1,
        _ => return None,
    }
    let date = FastDate {
        bracket,
        separator,
        values: [a, b, c],
        widths: [wa, wb, wc],
    };
    Some((date, i))
}

/// The time at `i` (`9:05`, `09:05`, `09:05:30`) and the frame after it.
#[inline]
fn fast_time(line: &[u8], i: usize, date: &FastDate) -> Option<RawHeader> {
    let digit = |b: u8| Some(b.wrapping_sub(b'0')).filter(|d| *d <= 9);
    let time = line.get(i..)?;
    let (hour, at) = match *time {
        [h, b':', ..] => (digit(h)?, 2),
        [h1, h2, b':', ..] => (digit(h1)? * 10 + digit(h2)?, 3),
        _ => return None,
    };
    let (minute, at) = match *time.get(at..)? {
        [m1, m2, ..] => (digit(m1)? * 10 + digit(m2)?, at + 2),
        _ => return None,
    };
    // A third digit after minutes or seconds fails the frame check below.
    let (second, at) = match *time.get(at..)? {
        [b':', s1, s2, ..] => (Some(digit(s1)? * 10 + digit(s2)?), at + 3),
        _ => (None, at),
    };
    if hour > 23 || minute > 59 || second.is_some_and(|s| s > 59) {
        return None;
    }
    let (frame, rest) = match (date.bracket, time.get(at..)?) {
        (true, [b']', b' ', ..]) => (Frame::Bracket, at + 2),
        (true, [b']']) => (Frame::Bracket, at + 1),
        (false, [b' ', b'-', b' ', ..]) => (Frame::Dash, at + 3),
        _ => return None,
    };
    Some(RawHeader {
        shape: Shape {
            frame,
            separator: date.separator,
            time_first: false,
        },
        date: date.values,
        widths: date.widths,
        era: Era::Common,
        hour,
        minute,
        second,
        rest: i + rest,
    })
}

/// Every shape the format reference knows.
fn general(line: &[u8]) -> Option<RawHeader> {
    let mut c = Cursor {
        bytes: line,
        pos: 0,
    };
    c.skip_marks();
    let bracket = c.eat(b'[');
    // Arabic iOS writes RLM, and hand-edited files a BOM, inside the bracket.
    c.skip_marks();
    let (date, mut time, time_first) = match c.clone().time_first() {
        Some((date, time, after)) => {
            c = after;
            (date, time, true)
        }
        None => {
            let date = c.date()?;
            c.date_time_separator()?;
            let time = c.time()?;
            (date, time, false)
        }
    };
    if let Some(pm) = c.am_pm() {
        time.hour = twelve_to_24(time.hour, pm);
    }
    let frame = if bracket {
        c.skip_marks();
        if !c.eat(b']') || !(c.eat(b' ') || c.at_end()) {
            return None;
        }
        Frame::Bracket
    } else if c.eat_str(b" - ") || (c.eat_str(b" -") && c.at_end()) {
        Frame::Dash
    } else if time.second.is_some() && (c.eat_str(b": ") || (c.eat(b':') && c.at_end())) {
        Frame::Colon
    } else {
        return None;
    };
    if time.hour > 23 || time.minute > 59 || time.second.is_some_and(|s| s > 59) {
        return None;
    }
    Some(RawHeader {
        shape: Shape {
            frame,
            separator: date.separator,
            time_first,
        },
        date: date.values,
        widths: date.widths,
        era: date.era,
        hour: time.hour,
        minute: time.minute,
        second: time.second,
        rest: c.pos,
    })
}

/// `12:xx AM` is 00:xx, `12:xx PM` is 12:xx; an hour above 12 with a marker
/// (hand-edited files say `23:59 PM`) is taken as written.
fn twelve_to_24(hour: u8, pm: bool) -> u8 {
    match (hour, pm) {
        (12, false) => 0,
        (h @ 1..=11, true) => h + 12,
        (h, _) => h,
    }
}

struct Date {
    values: [u16; 3],
    widths: [u8; 3],
    separator: u8,
    era: Era,
}

struct Time {
    hour: u8,
    minute: u8,
    second: Option<u8>,
}

#[derive(Clone)]
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    #[inline]
    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    fn eat(&mut self, b: u8) -> bool {
        if self.rest().first() == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    #[inline]
    fn eat_str(&mut self, s: &[u8]) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    #[inline]
    fn skip_marks(&mut self) {
        loop {
            match crate::marks::mark_len(self.rest()) {
                0 => return,
                n => self.pos += n,
            }
        }
    }

    /// A space: ASCII, U+00A0 or U+202F.
    #[inline]
    fn eat_space(&mut self) -> bool {
        self.eat(b' ') || self.eat_str("\u{00A0}".as_bytes()) || self.eat_str("\u{202F}".as_bytes())
    }

    /// 1 to 4 digits, ASCII or Arabic-Indic (U+0660..) or Eastern
    /// Arabic-Indic (U+06F0..).
    #[inline]
    fn number(&mut self) -> Option<(u16, u8)> {
        // ASCII digits: the common case, without the per-byte match below.
        let rest = self.rest();
        let mut value: u16 = 0;
        let mut ascii = 0;
        while let Some(&b) = rest.get(ascii) {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            if ascii == 4 {
                return None;
            }
            value = value * 10 + u16::from(digit);
            ascii += 1;
        }
        if ascii > 0 {
            self.pos += ascii;
            return Some((value, ascii as u8));
        }
        let mut value: u16 = 0;
        let mut width = 0u8;
        loop {
            let digit = match self.rest() {
                [d @ b'0'..=b'9', ..] => {
                    self.pos += 1;
                    d - b'0'
                }
                [0xD9, d @ 0xA0..=0xA9, ..] => {
                    self.pos += 2;
                    d - 0xA0
                }
                [0xDB, d @ 0xB0..=0xB9, ..] => {
                    self.pos += 2;
                    d - 0xB0
                }
                _ => break,
            };
            if width == 4 {
                return None;
            }
            value = value * 10 + u16::from(digit);
            width += 1;
        }
        (width > 0).then_some((value, width))
    }

    #[inline]
    fn date(&mut self) -> Option<Date> {
        let (a, wa) = self.number()?;
        self.skip_marks();
        let separator = *self.rest().first()?;
        if !matches!(separator, b'/' | b'.' | b'-') {
            return None;
        }
        self.pos += 1;
        let spaced = self.eat(b' ');
        self.skip_marks();
        let (b, wb) = self.number()?;
        self.skip_marks();
        if !self.eat(separator) {
            return None;
        }
        if spaced && !self.eat(b' ') {
            return None;
        }
        self.skip_marks();
        // Japanese era years are written `R4`.
        let mut era = if self.eat(b'R') {
            Era::Reiwa
        } else {
            Era::Common
        };
        let (c, wc) = self.number()?;
        // `2024. 03. 04.` ends with the separator too.
        if spaced {
            self.eat(separator);
        }
        if era == Era::Common && self.eat_str(b" BE") {
            era = Era::Buddhist;
        }
        Some(Date {
            values: [a, b, c],
            widths: [wa, wb, wc],
            separator,
            era,
        })
    }

    /// `TIME, DATE` (Vietnamese iOS): only when the line starts with `H:` or
    /// `HH:`, so that `13.06.18 21.25.15` stays a date followed by a time.
    fn time_first(mut self) -> Option<(Date, Time, Self)> {
        let rest = self.rest();
        let digits = rest
            .iter()
            .take(3)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=2).contains(&digits) || rest.get(digits) != Some(&b':') {
            return None;
        }
        let time = self.time()?;
        if !(self.eat_str(b", ") || self.eat(b' ')) {
            return None;
        }
        let date = self.date()?;
        Some((date, time, self))
    }

    /// Between date and time: `, `, ` `, `، ` (Arabic comma), ` klo `.
    #[inline]
    fn date_time_separator(&mut self) -> Option<()> {
        if self.eat_str(b", ")
            || self.eat_str("\u{060C} ".as_bytes())
            || self.eat_str(b" klo ")
            || self.eat(b' ')
        {
            Some(())
        } else {
            None
        }
    }

    #[inline]
    fn time(&mut self) -> Option<Time> {
        let (hour, wh) = self.number()?;
        let separator = match self.rest().first() {
            Some(&s @ (b':' | b'.')) => s,
            _ => return None,
        };
        self.pos += 1;
        let (minute, wm) = self.number()?;
        if wh > 2 || wm != 2 {
            return None;
        }
        let mut second = None;
        let mut probe = self.clone();
        if probe.eat(separator)
            && let Some((s, 2)) = probe.number()
        {
            *self = probe;
            second = u8::try_from(s).ok();
        }
        Some(Time {
            hour: u8::try_from(hour).ok()?,
            minute: u8::try_from(minute).ok()?,
            second,
        })
    }

    /// An AM/PM marker after the time: `true` for PM.
    #[inline]
    fn am_pm(&mut self) -> Option<bool> {
        let mut probe = self.clone();
        if !probe.eat_space() {
            return None;
        }
        let pm = match probe.rest() {
            [a, b'.', ..] | [a, b'm' | b'M', ..] if matches!(a, b'a' | b'A' | b'p' | b'P') => {
                let pm = matches!(a, b'p' | b'P');
                probe.pos += 1;
                if probe.eat(b'.') {
                    probe.eat_space();
                    if !(probe.eat(b'm') || probe.eat(b'M')) {
                        return None;
                    }
                    probe.eat(b'.');
                } else if !(probe.eat(b'm') || probe.eat(b'M')) {
                    return None;
                }
                pm
            }
            // Arabic: ص (AM), م (PM).
            [0xD8, 0xB5, ..] => {
                probe.pos += 2;
                false
            }
            [0xD9, 0x85, ..] => {
                probe.pos += 2;
                true
            }
            _ => return None,
        };
        // The marker must end here: `- `, `]`, `,` or the line's end follow.
        match probe.rest().first() {
            None | Some(b' ' | b']' | b',') => {
                *self = probe;
                Some(pm)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Renders a recognised header compactly, or `-` for none.
    fn check(line: &str, expect: &str) {
        let got = match parse(line.as_bytes()) {
            None => "-".to_owned(),
            Some(h) => format!(
                "{:?} {}{} {:?}{} {:?} {:02}:{:02}{} rest={:?}",
                h.shape.frame,
                if h.shape.time_first {
                    "time-first "
                } else {
                    ""
                },
                h.shape.separator as char,
                h.date,
                if h.era == Era::Common {
                    String::new()
                } else {
                    format!(" {:?}", h.era)
                },
                h.widths,
                h.hour,
                h.minute,
                h.second.map(|s| format!(":{s:02}")).unwrap_or_default(),
                &line[h.rest..],
            ),
        };
        assert_eq!(got, expect, "line {line:?}");
    }

    #[test]
    fn android_headers() {
        check(
            "02-05-2022 16:08 - Alice: Hoi",
            "Dash - [2, 5, 2022] [2, 2, 4] 16:08 rest=\"Alice: Hoi\"",
        );
        check(
            "5/2/22, 16:08 - Alice: Hoi",
            "Dash / [5, 2, 22] [1, 1, 2] 16:08 rest=\"Alice: Hoi\"",
        );
        check(
            "2/4/23, 10:35\u{202F}PM - P: x",
            "Dash / [2, 4, 23] [1, 1, 2] 22:35 rest=\"P: x\"",
        );
        check(
            "7/19/22, 11:26\u{202F}pm - U: m",
            "Dash / [7, 19, 22] [1, 2, 2] 23:26 rest=\"U: m\"",
        );
        check(
            "20/6/2017 8:28 p.\u{00A0}m. - M: t",
            "Dash / [20, 6, 2017] [2, 1, 4] 20:28 rest=\"M: t\"",
        );
        check(
            "01/20/2019, 11:23 a. m. - J:.",
            "Dash / [1, 20, 2019] [2, 2, 4] 11:23 rest=\"J:.\"",
        );
        check(
            "12/12/2019, 12:05 a. m. - J: x",
            "Dash / [12, 12, 2019] [2, 2, 4] 00:05 rest=\"J: x\"",
        );
        check(
            "31.5.2019 klo 16.58 - A: m",
            "Dash . [31, 5, 2019] [2, 1, 4] 16:58 rest=\"A: m\"",
        );
        check(
            "30/08/25 18.00 - A: m",
            "Dash / [30, 8, 25] [2, 2, 2] 18:00 rest=\"A: m\"",
        );
        check(
            "2019/01/01, 11:25 - J: x",
            "Dash / [2019, 1, 1] [4, 2, 2] 11:25 rest=\"J: x\"",
        );
        check(
            "29.01.18, 12:24 PM - N",
            "Dash . [29, 1, 18] [2, 2, 2] 12:24 rest=\"N\"",
        );
        check(
            "\u{FEFF}29.01.18, 12:24 PM - Du",
            "Dash . [29, 1, 18] [2, 2, 2] 12:24 rest=\"Du\"",
        );
        check(
            "23/01/26, 11:30 am - ",
            "Dash / [23, 1, 26] [2, 2, 2] 11:30 rest=\"\"",
        );
    }

    #[test]
    fn ios_headers() {
        check(
            "[02-05-2022 16:12:20] Dave: Ik",
            "Bracket - [2, 5, 2022] [2, 2, 4] 16:12:20 rest=\"Dave: Ik\"",
        );
        check(
            "\u{200E}[3/27/22, 21:41:55] D: x",
            "Bracket / [3, 27, 22] [1, 2, 2] 21:41:55 rest=\"D: x\"",
        );
        check(
            "[1/29/18, 12:24:03 PM] M: Hey",
            "Bracket / [1, 29, 18] [1, 2, 2] 12:24:03 rest=\"M: Hey\"",
        );
        check(
            "[13/11/2025, 9:09:43\u{202F}AM] A: x",
            "Bracket / [13, 11, 2025] [2, 2, 4] 09:09:43 rest=\"A: x\"",
        );
        check(
            "[21:41:35, 3/27/22] D: H",
            "Bracket time-first / [3, 27, 22] [1, 2, 2] 21:41:35 rest=\"D: H\"",
        );
        check(
            "[3/27/22 21.41.35] D: H",
            "Bracket / [3, 27, 22] [1, 2, 2] 21:41:35 rest=\"D: H\"",
        );
        check(
            "[3/27/2565 BE, 21:41:35] D: H",
            "Bracket / [3, 27, 2565] Buddhist [1, 2, 4] 21:41:35 rest=\"D: H\"",
        );
        check(
            "[3/27/R4, 21:41:35] D: H",
            "Bracket / [3, 27, 4] Reiwa [1, 2, 1] 21:41:35 rest=\"D: H\"",
        );
        check(
            "[01/01/19 11:25] J: L",
            "Bracket / [1, 1, 19] [2, 2, 2] 11:25 rest=\"J: L\"",
        );
        check(
            "[2018/06/13, 21:25:15] a: m",
            "Bracket / [2018, 6, 13] [4, 2, 2] 21:25:15 rest=\"a: m\"",
        );
        check(
            "[25/09/20 10:27:18 a.m.] n : m",
            "Bracket / [25, 9, 20] [2, 2, 2] 10:27:18 rest=\"n : m\"",
        );
        check(
            "[13/11/2025, 12:25:55 PM] Amazon EG:",
            "Bracket / [13, 11, 2025] [2, 2, 4] 12:25:55 rest=\"Amazon EG:\"",
        );
    }

    #[test]
    fn arabic_and_other_scripts() {
        check(
            "[٢٧\u{200F}/٣\u{200F}/٢٠٢٢، ٩:٤١:٣٥\u{00A0}م] D: x",
            "Bracket / [27, 3, 2022] [2, 1, 4] 21:41:35 rest=\"D: x\"",
        );
        check(
            "[\u{200F}18\u{200F}/3\u{200F}/2022\u{060C} 14:56:01] E: x",
            "Bracket / [18, 3, 2022] [2, 1, 4] 14:56:01 rest=\"E: x\"",
        );
        check(
            "[\u{FEFF}29.01.18, 12:24:03] N",
            "Bracket . [29, 1, 18] [2, 2, 2] 12:24:03 rest=\"N\"",
        );
        check("13. 6. 2018. 21:25:15 a: m", "-");
        check(
            "[2024. 03. 04. 21:05:00] a: m",
            "Bracket . [2024, 3, 4] [4, 2, 2] 21:05:00 rest=\"a: m\"",
        );
    }

    #[test]
    fn legacy_ios_headers() {
        check(
            "09/12/2012 17:03:48: Sender Name: Message",
            "Colon / [9, 12, 2012] [2, 2, 4] 17:03:48 rest=\"Sender Name: Message\"",
        );
        check(
            "13.06.18 21.25.15: a: m",
            "Colon . [13, 6, 18] [2, 2, 2] 21:25:15 rest=\"a: m\"",
        );
    }

    /// Every line of every public fixture, in file order, each followed by
    /// variants cut short or extended.
    pub(crate) fn fixture_lines_and_variants() -> Vec<Vec<u8>> {
        let root = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/whatsapp/public"
        );
        let mut files = vec![std::path::PathBuf::from(root)];
        let mut out = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            for line in bytes.split(|&b| b == b'\n') {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                out.push(line.to_vec());
                for cut in [8, 12, 16, 19, 21, 24] {
                    out.push(line[..cut.min(line.len())].to_vec());
                }
                out.push([line, b" PM - x: y"].concat());
            }
        }
        out
    }

    #[test]
    fn fast_path_agrees_with_the_general_parser() {
        let lines = fixture_lines_and_variants();
        let mut fast_hits = 0;
        for v in &lines {
            if let Some(quick) = fast(v) {
                fast_hits += 1;
                assert_eq!(Some(quick), general(v), "{:?}", String::from_utf8_lossy(v));
            }
        }
        assert!(
            lines.len() > 20_000 && fast_hits > 1_000,
            "{} lines, {fast_hits} fast",
            lines.len()
        );
    }

    #[test]
    fn the_reader_agrees_with_parse() {
        let mut lines = fixture_lines_and_variants();
        // Same date bytes, then something that is not a valid time or frame.
        for tail in [
            "25:00 - A: x",
            "09:7 - A: x",
            "09:00 A: x",
            "09:00:00] A",
            "09:00:61] A",
            "9:00 - A: x",
            "",
        ] {
            for head in ["13-05-2022 ", "[13-05-22 ", "5/13/22, ", "[2022.05.13. "] {
                lines.push(format!("{head}09:00 - A: x").into_bytes());
                lines.push(format!("{head}09:00:00] A: x").into_bytes());
                lines.push(format!("{head}{tail}").into_bytes());
            }
        }
        let mut reader = HeaderReader::default();
        let mut remembered = 0;
        let mut dates = std::collections::HashMap::new();
        for v in &lines {
            let before = reader.date_mask != 0
                && v.starts_with(&reader.date_bytes.to_le_bytes()[..reader.date_len]);
            let read = reader.parse(v);
            assert_eq!(
                read.map(|(h, _)| h),
                parse(v),
                "{:?}",
                String::from_utf8_lossy(v)
            );
            if let Some((h, id)) = read {
                let date = (h.date, h.widths, h.era);
                assert_eq!(*dates.entry(id).or_insert(date), date, "one id, one date");
            }
            remembered += usize::from(before);
        }
        assert!(
            remembered > 5_000,
            "{remembered} lines met a remembered date"
        );
    }

    #[test]
    fn look_alikes_are_not_headers() {
        check("[5/2, 16:08] Alice: Hoi, ik heb de chat gemaakt", "-");
        check("20.15.21.15 h Stock Donnerstag", "-");
        check("2016-04-29 10:30:00", "-");
        check("12:30 - lunch", "-");
        check("02-05-2022 16:08 Alice: geen streepje", "-");
        check("02-05-2022 25:08 - A: x", "-");
        check("02-05-2022 16:8 - A: x", "-");
        check("02-05-20222 16:08 - A: x", "-");
        check("[02-05-2022 16:12:20 Dave: geen haak", "-");
        check("", "-");
        check("[", "-");
        check("1", "-");
        check("1/", "-");
        check("\u{200E}", "-");
    }
}
