//! Reads WhatsApp's own "Export chat" text exactly: bytes in, messages out.
//!
//! No file system, network or crypto: containers (`.txt`, `.zip`, folders)
//! are opened by the caller, who also keeps the original bytes. The format
//! reference is `../shared/notes/whatsapp-format.md`.
//!
//! Rules kept here:
//! - messages stay in file order (exports are not chronological);
//! - every line ends up in a message, or is counted as preamble;
//! - the day/month order comes from all headers of the file, and an
//!   ambiguous file says so;
//! - invalid UTF-8 becomes U+FFFD and the message is flagged.
#![forbid(unsafe_code)]

mod body;
mod header;
mod marks;
mod notices;
mod order;

use std::collections::HashMap;
use std::fmt;

pub use header::{Era, Frame, RawHeader, Shape};

/// Recognises a header line; exposed for tests and tools.
pub fn parse_header(line: &[u8]) -> Option<RawHeader> {
    header::parse(line)
}

/// A local date and time as the export writes it (no time zone); seconds
/// are 0 where the export has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Year, four digits.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59.
    pub second: u8,
}

impl fmt::Display for Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// What a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Written by WhatsApp: encryption and business notices, group events,
    /// security codes, missed calls.
    System,
    /// A message its sender deleted; the sender is kept.
    Deleted,
    /// A message that is or carries a file, with or without the file.
    Media,
    /// Everything else, locations, polls and edited messages included.
    Message,
}

/// The order of day, month and year in a file's dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `31-12-2024`
    DayMonthYear,
    /// `12/31/24`
    MonthDayYear,
    /// `2024/12/31`
    YearMonthDay,
}

/// One message, in file order.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    /// Local time as written.
    pub timestamp: Timestamp,
    /// The author as shown (invisible marks removed), `None` for WhatsApp's notices.
    pub author: Option<String>,
    /// The text; continuation lines joined with `\n`; without a media marker.
    pub text: String,
    /// The file the message refers to, as written, when the export names one.
    pub attachment: Option<String>,
    /// What the message is.
    pub kind: Kind,
    /// The message held bytes that are not UTF-8; they became U+FFFD here.
    pub invalid_utf8: bool,
    /// The 1-based line of the header in the file.
    pub line: usize,
}

impl fmt::Debug for Message {
    /// Without author, text or file name: they are citizen data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("timestamp", &self.timestamp)
            .field("kind", &self.kind)
            .field("line", &self.line)
            .field("text_chars", &self.text.chars().count())
            .field("invalid_utf8", &self.invalid_utf8)
            .finish_non_exhaustive()
    }
}

/// A parsed export.
#[derive(Clone, Debug)]
pub struct Export {
    /// In file order.
    pub messages: Vec<Message>,
    /// The reading used for dates.
    pub date_order: DateOrder,
    /// When the file allows another reading too: that one. The caller must
    /// ask a person; the timestamps above follow `date_order`.
    pub ambiguous_with: Option<DateOrder>,
    /// Lines before the first header (not part of any message), blank ones excluded.
    pub preamble_lines: usize,
}

/// Parses a whole export's text.
pub fn parse(input: &[u8]) -> Export {
    // Pass 1: every header votes on shape and date order.
    let mut by_shape: HashMap<Shape, order::Evidence> = HashMap::new();
    for line in lines(input) {
        if let Some(h) = header::parse(line) {
            by_shape.entry(h.shape).or_default().add(&h);
        }
    }
    let Some((&shape, evidence)) = by_shape
        .iter()
        .max_by_key(|(s, e)| (e.headers, shape_rank(s)))
    else {
        return Export {
            messages: Vec::new(),
            date_order: DateOrder::DayMonthYear,
            ambiguous_with: None,
            preamble_lines: lines(input)
                .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                .count(),
        };
    };
    let (date_order, ambiguous_with) = evidence.decide(shape.separator);

    // Pass 2: headers of that shape and reading start messages; every other
    // line continues the message before it.
    let mut messages = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut preamble_lines = 0;
    for (index, line) in lines(input).enumerate() {
        let start = header::parse(line)
            .filter(|h| h.shape == shape)
            .and_then(|h| order::timestamp(&h, date_order).map(|ts| (h, ts)));
        match (start, &mut pending) {
            (Some((h, timestamp)), _) => {
                if let Some(done) = pending.take() {
                    messages.push(done.finish());
                }
                pending = Some(Pending {
                    frame: h.shape.frame,
                    timestamp,
                    line: index + 1,
                    body: line[h.rest..].to_vec(),
                });
            }
            (None, Some(p)) => {
                p.body.push(b'\n');
                p.body.extend_from_slice(line);
            }
            (None, None) => {
                if !line.iter().all(u8::is_ascii_whitespace) {
                    preamble_lines += 1;
                }
            }
        }
    }
    if let Some(done) = pending {
        messages.push(done.finish());
    }
    Export {
        messages,
        date_order,
        ambiguous_with,
        preamble_lines,
    }
}

/// Prefers the common shapes when two tie (a file of one header each).
fn shape_rank(shape: &Shape) -> u8 {
    match shape.frame {
        Frame::Bracket | Frame::Dash => 1,
        Frame::Colon => 0,
    }
}

struct Pending {
    frame: Frame,
    timestamp: Timestamp,
    line: usize,
    body: Vec<u8>,
}

impl Pending {
    fn finish(self) -> Message {
        let decoded = String::from_utf8_lossy(&self.body);
        let invalid_utf8 = matches!(decoded, std::borrow::Cow::Owned(_));
        let body = body::classify(&decoded, self.frame);
        Message {
            timestamp: self.timestamp,
            author: body.author,
            text: body.text,
            attachment: body.attachment,
            kind: body.kind,
            invalid_utf8,
            line: self.line,
        }
    }
}

/// Lines without their `\n` or `\r\n`; a final line ending adds no empty line.
fn lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    let input = input.strip_suffix(b"\n").unwrap_or(input);
    let empty = input.is_empty();
    input
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(move |_| !empty)
}
