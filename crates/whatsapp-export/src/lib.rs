//! Reads WhatsApp's own "Export chat" text exactly: bytes in, messages out.
//!
//! No file system, network or crypto. The caller opens files and folders and
//! keeps the original bytes; [`container`] reads a `.zip` handed to it as
//! bytes and refuses hostile ones. The format
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
pub mod container;
mod header;
mod marks;
mod notices;
mod order;
mod scan;

use std::borrow::Cow;
use std::fmt;

pub use header::{Era, Frame, RawHeader, Shape};
pub use notices::without_edit_mark;
pub use scan::{
    MAX_MESSAGE_BYTES, RawMessage, ScanError, Speculation, Survey, read_messages,
    read_messages_in_parallel, read_speculatively, read_speculatively_in_parallel, survey,
};

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

impl Kind {
    /// The kind's name as `kluis parse --json` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Deleted => "deleted",
            Self::Media => "media",
            Self::Message => "message",
        }
    }
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

/// One message, classified, in file order. Borrows from the export's
/// bytes where it can; [`Message::into_owned`] detaches it.
#[derive(Clone, PartialEq, Eq)]
pub struct Message<'a> {
    /// Local time as written.
    pub timestamp: Timestamp,
    /// The author as shown (invisible marks removed), `None` for WhatsApp's notices.
    pub author: Option<Cow<'a, str>>,
    /// The text; continuation lines joined with `\n`; without a media marker.
    pub text: Cow<'a, str>,
    /// The file the message refers to, as written, when the export names one.
    pub attachment: Option<Cow<'a, str>>,
    /// What the message is.
    pub kind: Kind,
    /// The message held bytes that are not UTF-8; they became U+FFFD here.
    pub invalid_utf8: bool,
    /// The 1-based line of the header in the file.
    pub line: usize,
}

impl Message<'_> {
    /// The same message, owning its text.
    pub fn into_owned(self) -> Message<'static> {
        Message {
            timestamp: self.timestamp,
            author: self.author.map(|a| Cow::Owned(a.into_owned())),
            text: Cow::Owned(self.text.into_owned()),
            attachment: self.attachment.map(|a| Cow::Owned(a.into_owned())),
            kind: self.kind,
            invalid_utf8: self.invalid_utf8,
            line: self.line,
        }
    }
}

impl fmt::Debug for Message<'_> {
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

/// A message's body as text: invalid UTF-8 replaced by U+FFFD, `\r\n` by `\n`.
#[derive(Clone)]
pub struct Decoded<'a> {
    raw: RawMessage<'a>,
    text: Cow<'a, str>,
    /// The length of the text's first line.
    first_len: usize,
    invalid_utf8: bool,
}

impl<'a> RawMessage<'a> {
    /// The body as text; borrows unless bytes had to be replaced.
    pub fn decode(&self) -> Decoded<'a> {
        // Validating is much faster than the lossy decoder; most bodies are valid.
        let checked = self
            .text
            .map(Ok)
            .unwrap_or_else(|| std::str::from_utf8(self.body));
        let (text, invalid_utf8) = match checked {
            Ok(text) => (Cow::Borrowed(text), false),
            Err(_) => (
                Cow::Owned(String::from_utf8_lossy(self.body).into_owned()),
                true,
            ),
        };
        let text = if self.crlf {
            Cow::Owned(text.replace("\r\n", "\n"))
        } else {
            text
        };
        // The scanner's count stays right when only `\r\n` was replaced: the
        // first line ends at the first of them.
        let first_len = if invalid_utf8 {
            memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len())
        } else {
            self.first_len
        };
        debug_assert_eq!(
            Some(first_len),
            memchr::memchr(b'\n', text.as_bytes()).or(Some(text.len())),
            "the scanner measured the first line"
        );
        Decoded {
            raw: *self,
            text,
            first_len,
            invalid_utf8,
        }
    }
}

impl Decoded<'_> {
    /// Author, text, attachment and kind.
    pub fn classify(&self) -> Message<'_> {
        let body = body::classify(&self.text, self.first_len, self.raw.frame);
        Message {
            timestamp: self.raw.timestamp,
            author: body.author,
            text: body.text,
            attachment: body.attachment,
            kind: body.kind,
            invalid_utf8: self.invalid_utf8,
            line: self.raw.line,
        }
    }

    /// The author and text exactly as written, before any classification:
    /// `Author: text` split at the first `: `.
    pub fn as_written(&self) -> (Option<Cow<'_, str>>, &str) {
        body::as_written(&self.text)
    }
}

impl fmt::Debug for Decoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("raw", &self.raw)
            .finish_non_exhaustive()
    }
}

/// A parsed export, owned.
#[derive(Clone, Debug)]
pub struct Export {
    /// In file order.
    pub messages: Vec<Message<'static>>,
    /// The reading used for dates.
    pub date_order: DateOrder,
    /// When the file allows another reading too: that one. The caller must
    /// ask a person; the timestamps above follow `date_order`.
    pub ambiguous_with: Option<DateOrder>,
    /// Lines before the first header (not part of any message), blank ones excluded.
    pub preamble_lines: usize,
}

/// Parses a whole export held in memory. For files, [`survey`] and
/// [`read_messages`] stream with bounded memory instead.
pub fn parse(input: &[u8]) -> Result<Export, ScanError> {
    let survey = scan::survey(input)?;
    let mut messages = Vec::new();
    let preamble_lines = scan::read_messages(input, &survey, |raw| {
        messages.push(raw.decode().classify().into_owned());
        std::ops::ControlFlow::Continue(())
    })?;
    Ok(Export {
        messages,
        date_order: survey.date_order,
        ambiguous_with: survey.ambiguous_with,
        preamble_lines,
    })
}
