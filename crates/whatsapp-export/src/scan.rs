//! The streaming engine: two passes over any reader, bounded memory.
//!
//! Pass 1 ([`survey`]) lets every header vote on the file's header shape and
//! day/month order. Pass 2 ([`read_messages`]) hands each message to a
//! callback as a [`RawMessage`] borrowed from one reusable buffer: no
//! allocation per message, and memory bounded by the longest message
//! ([`MAX_MESSAGE_BYTES`]) rather than the file.

use std::io::{self, Read};
use std::ops::ControlFlow;

use crate::header::{Frame, HeaderReader, RawHeader, Shape};
use crate::order::{Dates, Evidence};
use crate::{DateOrder, Timestamp};

/// The longest message accepted, in bytes. WhatsApp caps a message at 65,536
/// characters (at most 256 KiB of UTF-8); anything far longer is not an export.
pub const MAX_MESSAGE_BYTES: usize = 4 << 20;

/// How much is read at a time.
const CHUNK: usize = 256 << 10;

/// What pass 1 found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Survey {
    /// The header shape of the file, `None` when it has no header at all.
    pub shape: Option<Shape>,
    /// The day/month order used.
    pub date_order: DateOrder,
    /// Another order the file allows as well: a person must choose.
    pub ambiguous_with: Option<DateOrder>,
}

/// Why a file could not be read to the end.
#[derive(Debug)]
pub enum ScanError {
    /// Reading failed.
    Io(io::Error),
    /// One message (from its header to the next) is longer than
    /// [`MAX_MESSAGE_BYTES`]: this is not a WhatsApp export, or it is damaged.
    MessageTooLong {
        /// The 1-based line where that message starts.
        line: usize,
    },
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "read error: {e}"),
            Self::MessageTooLong { line } => write!(
                f,
                "the message starting at line {line} is longer than {} MiB; refused (a WhatsApp message is at most 64 K characters)",
                MAX_MESSAGE_BYTES >> 20
            ),
        }
    }
}

impl std::error::Error for ScanError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::MessageTooLong { .. } => None,
        }
    }
}

impl ScanError {
    /// Fills in the line for an over-long message the reader could only
    /// notice by its size.
    fn at_line(self, line: usize) -> Self {
        match self {
            Self::MessageTooLong { line: 0 } => Self::MessageTooLong { line },
            other => other,
        }
    }
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// One message as written: its header's time, where it starts, and its body
/// bytes (after the header, continuation lines included, line endings as in
/// the file, without the final one).
#[derive(Clone, Copy)]
pub struct RawMessage<'a> {
    /// Local time as written.
    pub timestamp: Timestamp,
    /// The 1-based line of the header.
    pub line: usize,
    /// The header's frame (Android, iOS, legacy iOS).
    pub frame: Frame,
    /// Everything after the header.
    pub body: &'a [u8],
    /// The length of the body's first line.
    pub(crate) first_len: usize,
    /// Whether a line break inside the body is `\r\n`.
    pub(crate) crlf: bool,
}

impl std::fmt::Debug for RawMessage<'_> {
    /// Without the body: it is citizen data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawMessage")
            .field("timestamp", &self.timestamp)
            .field("line", &self.line)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// Pass 1: reads `input` to the end and decides shape and date order.
pub fn survey(input: impl Read) -> Result<Survey, ScanError> {
    let mut by_shape: Vec<(Shape, Evidence)> = Vec::new();
    let mut headers = HeaderReader::default();
    for_each_line(input, |line| {
        if let Some(h) = header_candidate(&mut headers, line) {
            match by_shape.iter_mut().find(|(s, _)| *s == h.shape) {
                Some((_, e)) => e.add(&h),
                None => {
                    let mut e = Evidence::default();
                    e.add(&h);
                    by_shape.push((h.shape, e));
                }
            }
        }
        ControlFlow::Continue(())
    })?;
    let best = by_shape
        .iter()
        .max_by_key(|(s, e)| (e.headers, frame_rank(s.frame)));
    Ok(match best {
        None => Survey {
            shape: None,
            date_order: DateOrder::DayMonthYear,
            ambiguous_with: None,
        },
        Some((shape, evidence)) => {
            let (date_order, ambiguous_with) = evidence.decide(shape.separator);
            Survey {
                shape: Some(*shape),
                date_order,
                ambiguous_with,
            }
        }
    })
}

/// Pass 2: calls `each` for every message in file order. Returns the number
/// of non-blank lines before the first message (which belong to none).
pub fn read_messages(
    input: impl Read,
    survey: &Survey,
    each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> Result<usize, ScanError> {
    read_messages_with(input, survey, CHUNK, each)
}

/// [`read_messages`] with a given starting buffer size (tests use tiny ones).
fn read_messages_with(
    input: impl Read,
    survey: &Survey,
    capacity: usize,
    mut each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> Result<usize, ScanError> {
    let Some(shape) = survey.shape else {
        let mut preamble = 0;
        for_each_line(input, |line| {
            preamble += usize::from(!is_blank(line));
            ControlFlow::Continue(())
        })?;
        return Ok(preamble);
    };
    let mut reader = Reader::new(input, capacity);
    let mut headers = HeaderReader::default();
    let mut dates = Dates::default();
    let mut preamble = 0;
    // The message being collected. Its body starts at `reader.keep`, which
    // the reader moves when it compacts.
    let mut open: Option<Open> = None;
    let mut line_no = 0;
    // Whether the line before ended with `\r\n`.
    let mut after_crlf = false;
    loop {
        let next = reader.next_line();
        let Some((start, end)) =
            next.map_err(|e| e.at_line(open.map_or(line_no + 1, |o| o.line)))?
        else {
            break;
        };
        line_no += 1;
        let line = &reader.buf[start..end];
        let header = header_candidate(&mut headers, line)
            .filter(|h| h.shape == shape)
            .and_then(|h| dates.timestamp(&h, survey.date_order).map(|ts| (h, ts)));
        match (header, &mut open) {
            (Some((h, timestamp)), previous) => {
                if let (Some(previous), Some(body_start)) = (previous, reader.keep) {
                    // The previous message ends before this line's line break.
                    let body_end = trim_line_end(&reader.buf[..start]).max(body_start);
                    let body = &reader.buf[body_start..body_end];
                    if each(previous.message(body)).is_break() {
                        return Ok(preamble);
                    }
                }
                open = Some(Open {
                    timestamp,
                    frame: h.shape.frame,
                    line: line_no,
                    first_len: line.len() - h.rest,
                    crlf: false,
                });
                reader.keep = Some(start + h.rest);
            }
            (None, Some(open)) => open.crlf |= after_crlf,
            (None, None) => preamble += usize::from(!is_blank(line)),
        }
        after_crlf = reader.buf.get(end) == Some(&b'\r');
        if let (Some(open), Some(body_start)) = (open, reader.keep)
            && end.saturating_sub(body_start) > MAX_MESSAGE_BYTES
        {
            return Err(ScanError::MessageTooLong { line: open.line });
        }
    }
    if let (Some(open), Some(body_start)) = (open, reader.keep) {
        let body_end = trim_line_end(&reader.buf[..reader.len]).max(body_start);
        let _ = each(open.message(&reader.buf[body_start..body_end]));
    }
    Ok(preamble)
}

/// What is known of the message being collected before its end is found.
#[derive(Clone, Copy)]
struct Open {
    timestamp: Timestamp,
    frame: Frame,
    line: usize,
    first_len: usize,
    crlf: bool,
}

impl Open {
    fn message(self, body: &[u8]) -> RawMessage<'_> {
        RawMessage {
            timestamp: self.timestamp,
            line: self.line,
            frame: self.frame,
            body,
            first_len: self.first_len.min(body.len()),
            crlf: self.crlf,
        }
    }
}

/// A header, cheaply rejected for lines that cannot start one.
#[inline]
fn header_candidate(headers: &mut HeaderReader, line: &[u8]) -> Option<RawHeader> {
    match line.first()? {
        b'0'..=b'9' | b'[' | 0xD9 | 0xDB | 0xE2 | 0xEF => headers.parse(line),
        _ => None,
    }
}

fn frame_rank(frame: Frame) -> u8 {
    match frame {
        Frame::Bracket | Frame::Dash => 1,
        Frame::Colon => 0,
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// The end of `before` without its final `\n` or `\r\n`.
fn trim_line_end(before: &[u8]) -> usize {
    let mut end = before.len();
    if end > 0 && before[end - 1] == b'\n' {
        end -= 1;
        if end > 0 && before[end - 1] == b'\r' {
            end -= 1;
        }
    }
    end
}

/// Calls `each` with every line, without `\n`/`\r\n`. A line longer than
/// the reader's largest buffer is refused.
fn for_each_line(
    input: impl Read,
    mut each: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> Result<(), ScanError> {
    let mut reader = Reader::new(input, CHUNK);
    let mut line_no = 0;
    while let Some((start, end)) = reader.next_line().map_err(|e| e.at_line(line_no + 1))? {
        line_no += 1;
        if each(&reader.buf[start..end]).is_break() {
            break;
        }
    }
    Ok(())
}

/// A growable window over the input that yields whole lines.
struct Reader<R> {
    input: R,
    buf: Vec<u8>,
    /// Valid bytes in `buf`.
    len: usize,
    /// Where the next line starts.
    pos: usize,
    /// The first byte that must stay in the buffer (an open message's body);
    /// moved along when the buffer is compacted.
    keep: Option<usize>,
    eof: bool,
}

impl<R: Read> Reader<R> {
    fn new(input: R, capacity: usize) -> Self {
        Self {
            input,
            buf: vec![0; capacity.max(1)],
            len: 0,
            pos: 0,
            keep: None,
            eof: false,
        }
    }

    /// The next line as `(start, end)` in `buf`, without its line ending.
    fn next_line(&mut self) -> Result<Option<(usize, usize)>, ScanError> {
        loop {
            let found =
                memchr::memchr(b'\n', &self.buf[self.pos..self.len]).map(|nl| self.pos + nl);
            let line_end = match found {
                Some(nl) => nl,
                None if self.eof && self.pos < self.len => self.len,
                None if self.eof => return Ok(None),
                None => {
                    self.fill()?;
                    continue;
                }
            };
            let start = self.pos;
            self.pos = (line_end + 1).min(self.len);
            let end = if line_end > start && self.buf[line_end - 1] == b'\r' {
                line_end - 1
            } else {
                line_end
            };
            return Ok(Some((start, end)));
        }
    }

    /// Reads more, first moving the part still needed to the front, and
    /// growing the buffer only when one line or message fills it.
    fn fill(&mut self) -> Result<(), ScanError> {
        let from = self.keep.unwrap_or(self.pos).min(self.pos);
        if from > 0 {
            self.buf.copy_within(from..self.len, 0);
            self.len -= from;
            self.pos -= from;
            self.keep = self.keep.map(|k| k - from);
        }
        if self.len == self.buf.len() {
            if self.buf.len() >= MAX_MESSAGE_BYTES + CHUNK {
                // The caller reports which message; here we only stop growing.
                return Err(ScanError::MessageTooLong { line: 0 });
            }
            let grown = (self.buf.len() * 2).min(MAX_MESSAGE_BYTES + CHUNK);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.input.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call.
    struct Dribble<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn collect(data: &[u8], capacity: usize, step: usize) -> (Vec<String>, usize) {
        let survey = survey(data).unwrap();
        let mut seen = Vec::new();
        let preamble = read_messages_with(Dribble { data, step }, &survey, capacity, |m| {
            seen.push(format!(
                "{} L{} {:?}",
                m.timestamp,
                m.line,
                String::from_utf8_lossy(m.body)
            ));
            ControlFlow::Continue(())
        })
        .unwrap();
        (seen, preamble)
    }

    #[test]
    fn buffer_and_read_sizes_do_not_change_the_result() {
        let data = "vooraf\r\n\r\n13-05-2022 09:00 - Eva: een\r\nregel twee\r\n\r\n14-05-2022 10:00 - Bob: \u{1F600} emoji\n14-05-2022 10:01 - Bob: lang ".to_owned()
            + &"x".repeat(300)
            + "\n15-05-2022 11:00 - Eva: laatste zonder regeleinde";
        let expected = collect(data.as_bytes(), CHUNK, usize::MAX);
        assert_eq!(expected.0.len(), 4);
        assert_eq!(expected.1, 1);
        assert_eq!(
            expected.0[0],
            "2022-05-13T09:00:00 L3 \"Eva: een\\r\\nregel twee\\r\\n\""
        );
        for capacity in [1, 2, 3, 7, 16, 64, 1000] {
            for step in [1, 2, 3, 5, 13, 4096] {
                assert_eq!(
                    collect(data.as_bytes(), capacity, step),
                    expected,
                    "capacity {capacity}, step {step}"
                );
            }
        }
    }

    #[test]
    fn an_endless_message_is_refused_with_its_line() {
        let mut data = b"13-05-2022 09:00 - Eva: kort\n13-05-2022 09:01 - Eva: ".to_vec();
        data.extend(std::iter::repeat_n(b'a', MAX_MESSAGE_BYTES + 10));
        let survey = survey(&data[..64]).unwrap();
        let err = read_messages(&data[..], &survey, |_| ControlFlow::Continue(())).unwrap_err();
        assert!(
            matches!(err, ScanError::MessageTooLong { line: 2 }),
            "{err}"
        );

        // Spread over many lines it is refused too.
        let mut data = b"13-05-2022 09:00 - Eva: begin\n".to_vec();
        for _ in 0..(MAX_MESSAGE_BYTES / 1000 + 2) {
            data.extend(std::iter::repeat_n(b'b', 999));
            data.push(b'\n');
        }
        let err = read_messages(&data[..], &survey, |_| ControlFlow::Continue(())).unwrap_err();
        assert!(
            matches!(err, ScanError::MessageTooLong { line: 1 }),
            "{err}"
        );
        // And the survey pass refuses a single endless line.
        let err = super::survey(&vec![b'z'; MAX_MESSAGE_BYTES + CHUNK + 1][..]).unwrap_err();
        assert!(
            matches!(err, ScanError::MessageTooLong { line: 1 }),
            "{err}"
        );
    }
}
