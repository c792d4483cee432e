//! The streaming engine: two passes over any reader, bounded memory.
//!
//! Pass 1 ([`survey`]) lets every header vote on the file's header shape and
//! day/month order. Pass 2 ([`read_messages`]) hands each message to a
//! callback as a [`RawMessage`] borrowed from one reusable buffer: no
//! allocation per message, and memory bounded by the longest message
//! ([`MAX_MESSAGE_BYTES`]) rather than the file.

use std::io::{self, Read};
use std::ops::{ControlFlow, Range};

use crate::header::{DateId, Frame, HeaderReader, RawHeader, Shape};
use crate::order::{Dates, Evidence};
use crate::{DateOrder, Timestamp};

mod pipeline;

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
    /// The body as text, when the scanner found it valid UTF-8.
    pub(crate) text: Option<&'a str>,
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
    let mut votes = Votes::default();
    let mut headers = HeaderReader::default();
    for_each_line(input, |line| {
        if let Some((h, id)) = header_candidate(&mut headers, line) {
            votes.add(&h, id);
        }
        ControlFlow::Continue(())
    })?;
    Ok(votes.decide())
}

impl Survey {
    /// The timestamp of `h` if it starts a message in this file: a header
    /// of the file's shape whose date exists under the file's order.
    #[inline]
    fn accepts(&self, h: &RawHeader, id: DateId, dates: &mut Dates) -> Option<Timestamp> {
        if Some(h.shape) != self.shape {
            return None;
        }
        dates.timestamp(h, id, self.date_order)
    }
}

/// Every header's vote, per shape.
#[derive(Debug, Default)]
struct Votes {
    by_shape: Vec<(Shape, Evidence)>,
    /// Where the last header's shape is in `by_shape`: almost always this one's.
    last: usize,
}

impl Votes {
    #[inline]
    fn add(&mut self, h: &RawHeader, id: DateId) {
        if let Some((shape, e)) = self.by_shape.get_mut(self.last)
            && *shape == h.shape
        {
            e.add(h, id);
            return;
        }
        match self.by_shape.iter().position(|(s, _)| *s == h.shape) {
            Some(i) => self.last = i,
            None => {
                self.last = self.by_shape.len();
                self.by_shape.push((h.shape, Evidence::default()));
            }
        }
        self.by_shape[self.last].1.add(h, id);
    }

    fn decide(&self) -> Survey {
        let best = self
            .by_shape
            .iter()
            .max_by_key(|(s, e)| (e.headers, frame_rank(s.frame)));
        match best {
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
        }
    }
}

/// Pass 2: calls `each` for every message in file order. Returns the number
/// of non-blank lines before the first message (which belong to none).
pub fn read_messages(
    input: impl Read,
    survey: &Survey,
    each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> Result<usize, ScanError> {
    read_messages_with(input, Plan::Known(survey), CHUNK, each).map(|(preamble, ..)| preamble)
}

/// What [`read_speculatively`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Speculation {
    /// The messages handed out are the file's: the survey of all headers
    /// chose the shape and order they were read with.
    Confirmed {
        /// The survey of all headers.
        survey: Survey,
        /// Non-blank lines before the first message.
        preamble: usize,
    },
    /// The survey of all headers chose otherwise: discard what was handed
    /// out and read again with [`read_messages`] and this survey.
    Refuted {
        /// The survey of all headers.
        survey: Survey,
    },
}

/// Both passes in one, for a caller that can take back what it was handed
/// (a count, a transaction): messages are read with the shape and order the
/// first 256 KiB suggest while every header of the file votes as in
/// [`survey`]. The vote of all headers decides, as ever; only when it
/// differs from the guess is a second reading needed.
pub fn read_speculatively(
    input: impl Read,
    mut each: impl FnMut(RawMessage<'_>),
) -> Result<Speculation, ScanError> {
    let every = |m: RawMessage<'_>| {
        each(m);
        ControlFlow::Continue(())
    };
    read_messages_with(input, Plan::Guess, CHUNK, every).map(Speculation::from_guess)
}

/// [`read_messages`] on two threads: a second one reads and scans while
/// `each` runs on this one. For large files where `each` does real work
/// (classifying, storing): each side takes about half the time.
pub fn read_messages_in_parallel(
    input: impl Read + Send,
    survey: &Survey,
    each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> Result<usize, ScanError> {
    pipeline::read(input, Plan::Known(survey), CHUNK, each).map(|(preamble, ..)| preamble)
}

/// [`read_speculatively`] on two threads, as [`read_messages_in_parallel`].
pub fn read_speculatively_in_parallel(
    input: impl Read + Send,
    mut each: impl FnMut(RawMessage<'_>),
) -> Result<Speculation, ScanError> {
    let every = |m: RawMessage<'_>| {
        each(m);
        ControlFlow::Continue(())
    };
    pipeline::read(input, Plan::Guess, CHUNK, every).map(Speculation::from_guess)
}

impl Speculation {
    /// Whether the guess a reading used is what the votes of all headers decide.
    fn from_guess((preamble, guess, votes): Outcome) -> Self {
        // A guess always comes back with the votes.
        let survey = votes.unwrap_or_default().decide();
        if survey.shape == guess.shape && survey.date_order == guess.date_order {
            Self::Confirmed { survey, preamble }
        } else {
            Self::Refuted { survey }
        }
    }
}

/// Where pass 2 gets its shape and order.
#[derive(Clone, Copy)]
enum Plan<'s> {
    /// From pass 1.
    Known(&'s Survey),
    /// From the first window, while every header votes.
    Guess,
}

/// What a reading returns besides its messages: the preamble, the shape
/// and order used and, with [`Plan::Guess`], the votes of all headers.
type Outcome = (usize, Survey, Option<Votes>);

/// [`read_messages`] with a given starting buffer size (tests use tiny ones).
fn read_messages_with(
    input: impl Read,
    plan: Plan<'_>,
    capacity: usize,
    each: impl FnMut(RawMessage<'_>) -> ControlFlow<()>,
) -> Result<Outcome, ScanError> {
    scan_into(input, plan, capacity, &mut Direct(each))
}

/// Where the scanner puts the messages it finds.
trait Sink {
    /// Whether the scanner checks each window's UTF-8 and hands the text
    /// to [`Sink::message`]; otherwise the sink does it where it likes.
    const CHECKS_UTF8: bool;

    /// One complete message in `buf`, with its text when checked.
    fn message(&mut self, buf: &[u8], found: Found, text: Option<&str>) -> ControlFlow<()>;

    /// Every message of the window was handed out; the reader is about to
    /// read more (or, after the last message, has nothing more).
    fn end_window<R: Read>(&mut self, reader: &mut Reader<R>) -> ControlFlow<()>;
}

/// Hands each message to a callback at once.
struct Direct<F>(F);

impl<F: FnMut(RawMessage<'_>) -> ControlFlow<()>> Sink for Direct<F> {
    const CHECKS_UTF8: bool = true;

    #[inline]
    fn message(&mut self, buf: &[u8], found: Found, text: Option<&str>) -> ControlFlow<()> {
        (self.0)(found.message(buf, text))
    }

    fn end_window<R: Read>(&mut self, _: &mut Reader<R>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// The scanner: every message of `input` into `sink`, in file order.
fn scan_into<R: Read, S: Sink>(
    input: R,
    plan: Plan<'_>,
    capacity: usize,
    sink: &mut S,
) -> Result<Outcome, ScanError> {
    let mut reader = Reader::new(input, capacity);
    let mut headers = HeaderReader::default();
    let mut dates = Dates::default();
    let mut votes = match plan {
        Plan::Known(_) => None,
        Plan::Guess => Some(Votes::default()),
    };
    let mut survey = match plan {
        Plan::Known(survey) => Some(survey.clone()),
        Plan::Guess => None,
    };
    let mut preamble = 0;
    // The message being collected. Its body starts at `reader.keep`, which
    // the reader moves when it compacts.
    let mut open: Option<Open> = None;
    let mut line_no = 0;
    // Whether the line before ended with `\r\n`.
    let mut after_crlf = false;
    let mut stopped = false;
    'windows: loop {
        let window_end = match reader.next_window() {
            Ok(Some(window_end)) => window_end,
            Ok(None) => break,
            Err(e) => {
                // An overlong line that starts a message is that message;
                // otherwise it continues the open one.
                let unfinished = &reader.buf[reader.pos..reader.len];
                let starts_message = survey.as_ref().is_some_and(|survey| {
                    header_candidate(&mut HeaderReader::default(), unfinished).is_some_and(
                        |(h, id)| survey.accepts(&h, id, &mut Dates::default()).is_some(),
                    )
                });
                let line = match open {
                    Some(open) if !starts_message => open.line,
                    _ => line_no + 1,
                };
                return Err(e.at_line(line));
            }
        };
        let buf = &reader.buf[..window_end];
        let survey = survey.get_or_insert_with(|| guess(&buf[reader.pos..]));
        // One UTF-8 check for the window instead of one per message; a
        // window with invalid bytes leaves each message to check itself.
        let text_start = reader.first_needed();
        let text = if S::CHECKS_UTF8 {
            simdutf8::basic::from_utf8(&buf[text_start..]).ok()
        } else {
            None
        };
        for (start, end, crlf) in lines(buf, reader.pos) {
            line_no += 1;
            let line = &buf[start..end];
            let candidate = header_candidate(&mut headers, line);
            if let (Some(votes), Some((h, id))) = (&mut votes, &candidate) {
                votes.add(h, *id);
            }
            let header =
                candidate.and_then(|(h, id)| survey.accepts(&h, id, &mut dates).map(|ts| (h, ts)));
            match (header, &mut open) {
                (Some((h, timestamp)), previous) => {
                    if let (Some(previous), Some(body_start)) = (previous, reader.keep) {
                        // The previous message ends before this line's line break.
                        let body_end = trim_line_end(&buf[..start]).max(body_start);
                        let body_text = text
                            .and_then(|t| t.get(body_start - text_start..body_end - text_start));
                        let found = previous.found(body_start..body_end);
                        if sink.message(buf, found, body_text).is_break() {
                            stopped = true;
                            break 'windows;
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
            after_crlf = crlf;
            if let (Some(open), Some(body_start)) = (open, reader.keep)
                && end.saturating_sub(body_start) > MAX_MESSAGE_BYTES
            {
                return Err(ScanError::MessageTooLong { line: open.line });
            }
        }
        reader.pos = window_end;
        if sink.end_window(&mut reader).is_break() {
            stopped = true;
            break;
        }
    }
    if let (false, Some(open), Some(body_start)) = (stopped, open, reader.keep) {
        let buf = &reader.buf[..reader.len];
        let body_end = trim_line_end(buf).max(body_start);
        let _ = sink.message(buf, open.found(body_start..body_end), None);
        let _ = sink.end_window(&mut reader);
    }
    let used = survey.unwrap_or_else(|| Votes::default().decide());
    Ok((preamble, used, votes))
}

/// The shape and order the complete lines in `window` vote for.
fn guess(window: &[u8]) -> Survey {
    let mut votes = Votes::default();
    let mut headers = HeaderReader::default();
    for (start, end, _) in lines(window, 0) {
        if let Some((h, id)) = header_candidate(&mut headers, &window[start..end]) {
            votes.add(&h, id);
        }
    }
    votes.decide()
}

/// The lines of a window of complete lines, from `pos`: `(start, end,
/// crlf)`, `end` before the line's `\n` or `\r\n`.
fn lines(buf: &[u8], pos: usize) -> Lines<'_> {
    Lines { buf, pos }
}

struct Lines<'b> {
    buf: &'b [u8],
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = (usize, usize, bool);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        if start >= self.buf.len() {
            return None;
        }
        let rest = &self.buf[start..];
        let line_end = memchr::memchr(b'\n', rest).map_or(self.buf.len(), |nl| start + nl);
        self.pos = line_end + 1;
        Some(if line_end > start && self.buf[line_end - 1] == b'\r' {
            (start, line_end - 1, true)
        } else {
            (start, line_end, false)
        })
    }
}

/// What is known of the message being collected before its end is found.
#[derive(Clone, Copy, Debug)]
struct Open {
    timestamp: Timestamp,
    frame: Frame,
    line: usize,
    first_len: usize,
    crlf: bool,
}

impl Open {
    fn found(self, body: Range<usize>) -> Found {
        Found { open: self, body }
    }
}

/// A complete message: what its header said and where its body is in the
/// buffer it was found in.
#[derive(Clone, Debug)]
struct Found {
    open: Open,
    body: Range<usize>,
}

impl Found {
    /// The message, with its body's text when `text` is that text.
    #[inline]
    fn message<'a>(&self, buf: &'a [u8], text: Option<&'a str>) -> RawMessage<'a> {
        let body = &buf[self.body.clone()];
        RawMessage {
            timestamp: self.open.timestamp,
            line: self.open.line,
            frame: self.open.frame,
            body,
            text,
            first_len: self.open.first_len.min(body.len()),
            crlf: self.open.crlf,
        }
    }
}

/// A header, cheaply rejected for lines that cannot start one.
#[inline]
fn header_candidate(headers: &mut HeaderReader, line: &[u8]) -> Option<(RawHeader, DateId)> {
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
    while let Some(window_end) = reader.next_window().map_err(|e| e.at_line(line_no + 1))? {
        let buf = &reader.buf[..window_end];
        for (start, end, _) in lines(buf, reader.pos) {
            line_no += 1;
            if each(&buf[start..end]).is_break() {
                return Ok(());
            }
        }
        reader.pos = window_end;
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

    /// Moves what is still needed (the open message, the unfinished line)
    /// into `fresh`, which becomes the buffer, and returns the old one.
    fn swap_buffer(&mut self, mut fresh: Vec<u8>) -> Vec<u8> {
        let from = self.first_needed();
        if fresh.len() < self.buf.len() {
            fresh.resize(self.buf.len(), 0);
        }
        fresh[..self.len - from].copy_from_slice(&self.buf[from..self.len]);
        self.moved_to_front(from);
        std::mem::replace(&mut self.buf, fresh)
    }

    /// Where what must stay begins: the open message or the unfinished line.
    fn first_needed(&self) -> usize {
        self.keep.unwrap_or(self.pos).min(self.pos)
    }

    /// Moves the offsets after `buf[from..len]` went to the front.
    fn moved_to_front(&mut self, from: usize) {
        self.len -= from;
        self.pos -= from;
        self.keep = self.keep.map(|k| k - from);
    }

    /// Reads until `buf[pos..]` holds a complete line, and returns where
    /// the last complete line ends (the input's end counts as a line end);
    /// `None` once everything has been handed out.
    fn next_window(&mut self) -> Result<Option<usize>, ScanError> {
        loop {
            let unread = &self.buf[self.pos..self.len];
            if let Some(last_nl) = memchr::memrchr(b'\n', unread) {
                return Ok(Some(self.pos + last_nl + 1));
            }
            if self.eof {
                return Ok((self.pos < self.len).then_some(self.len));
            }
            self.fill()?;
        }
    }

    /// Reads more, first moving the part still needed to the front, and
    /// growing the buffer only when one line or message fills it.
    fn fill(&mut self) -> Result<(), ScanError> {
        let from = self.first_needed();
        if from > 0 {
            self.buf.copy_within(from..self.len, 0);
            self.moved_to_front(from);
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

    /// The messages as `timestamp line body text`, and the preamble: read
    /// after a survey, and read speculatively (again if refuted), which must
    /// agree.
    fn collect(data: &[u8], capacity: usize, step: usize) -> (Vec<String>, usize) {
        fn show(m: RawMessage<'_>) -> String {
            let decoded = m.decode();
            format!(
                "{} L{} {:?} {:?}",
                m.timestamp,
                m.line,
                String::from_utf8_lossy(m.body),
                decoded.classify().text
            )
        }
        let survey = survey(data).unwrap();
        let mut seen = Vec::new();
        let (preamble, ..) = read_messages_with(
            Dribble { data, step },
            Plan::Known(&survey),
            capacity,
            |m| {
                seen.push(show(m));
                ControlFlow::Continue(())
            },
        )
        .unwrap();

        let mut guessed = Vec::new();
        let (guessed_preamble, guess, votes) =
            read_messages_with(Dribble { data, step }, Plan::Guess, capacity, |m| {
                guessed.push(show(m));
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(votes.unwrap().decide(), survey);
        if guess.shape == survey.shape && guess.date_order == survey.date_order {
            assert_eq!((&guessed, guessed_preamble), (&seen, preamble));
        }

        // On two threads, with a buffer handed over after every window.
        for plan in [Plan::Known(&survey), Plan::Guess] {
            let mut handed_out = Vec::new();
            let outcome = pipeline::read(Dribble { data, step }, plan, capacity, |m| {
                handed_out.push(show(m));
                ControlFlow::Continue(())
            })
            .unwrap();
            let expected = read_messages_with(Dribble { data, step }, plan, capacity, |_| {
                ControlFlow::Continue(())
            })
            .unwrap();
            assert_eq!(outcome.0, expected.0, "preamble");
            assert_eq!(outcome.1, expected.1, "survey used");
            if outcome.1 == survey {
                assert_eq!(handed_out, seen);
            }
        }
        (seen, preamble)
    }

    #[test]
    fn buffer_and_read_sizes_do_not_change_the_result() {
        let data = ["vooraf\r\n\r\n13-05-2022 09:00 - Eva: een\r\nregel twee\r\n\r\n14-05-2022 10:00 - Bob: \u{1F600} emoji\n14-05-2022 10:01 - Bob: lang ".as_bytes(),
            &b"x".repeat(300),
            b"\n14-05-2022 10:02 - Bob: kapot \xff byte\n15-05-2022 11:00 - Eva: laatste zonder regeleinde"].concat();
        let expected = collect(&data, CHUNK, usize::MAX);
        assert_eq!(expected.0.len(), 5);
        assert_eq!(expected.1, 1);
        assert_eq!(
            expected.0[0],
            "2022-05-13T09:00:00 L3 \"Eva: een\\r\\nregel twee\\r\\n\" \"een\\nregel twee\\n\""
        );
        assert_eq!(
            expected.0[3],
            "2022-05-14T10:02:00 L8 \"Bob: kapot \u{FFFD} byte\" \"kapot \u{FFFD} byte\""
        );
        for capacity in [1, 2, 3, 7, 16, 64, 1000] {
            for step in [1, 2, 3, 5, 13, 4096] {
                assert_eq!(
                    collect(&data, capacity, step),
                    expected,
                    "capacity {capacity}, step {step}"
                );
            }
        }
    }

    #[test]
    fn a_wrong_guess_is_refuted_and_the_vote_of_all_headers_decides() {
        // The first 256 KiB allow both readings (`M/d/yy` suggests month
        // first); the rest allows only day first.
        let mut data = Vec::new();
        while data.len() < CHUNK + 1000 {
            data.extend_from_slice(b"1/2/22, 09:00 - Eva: vroeg\n");
        }
        let early = data.len() / 27;
        for _ in 0..early + 1 {
            data.extend_from_slice(b"25/2/22, 10:00 - Bob: laat\n");
        }
        let mut count = 0;
        let outcome = read_speculatively(&data[..], |_| count += 1).unwrap();
        let survey = survey(&data[..]).unwrap();
        assert_eq!(survey.date_order, DateOrder::DayMonthYear);
        assert_eq!(outcome, Speculation::Refuted { survey });
        assert_eq!(count, early, "only the headers valid under the guess");

        // Where the start predicts the file, one reading is all it takes.
        let data = b"13-05-2022 09:00 - Eva: een\n14-05-2022 10:00 - Bob: twee\n";
        let mut count = 0;
        let outcome = read_speculatively(&data[..], |_| count += 1).unwrap();
        let survey = super::survey(&data[..]).unwrap();
        assert_eq!(
            outcome,
            Speculation::Confirmed {
                survey,
                preamble: 0
            }
        );
        assert_eq!(count, 2);
    }

    #[test]
    fn a_caller_that_stops_stops_both_threads() {
        let mut data = Vec::new();
        while data.len() < 20 * CHUNK {
            data.extend_from_slice(b"13-05-2022 09:00 - Eva: nog een bericht\n");
        }
        let survey = survey(&data[..]).unwrap();
        for stop_after in [1, 5_000, 40_000] {
            let mut handed_out = 0;
            let preamble = read_messages_in_parallel(&data[..], &survey, |_| {
                handed_out += 1;
                if handed_out == stop_after {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
            assert_eq!((handed_out, preamble), (stop_after, 0));
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
        // On two threads the error comes back the same, after the messages before it.
        let mut handed_out = 0;
        let err = read_messages_in_parallel(&data[..], &survey, |_| {
            handed_out += 1;
            ControlFlow::Continue(())
        })
        .unwrap_err();
        assert!(
            matches!(err, ScanError::MessageTooLong { line: 1 }),
            "{err}"
        );
        assert_eq!(handed_out, 0, "the open message is never handed out");
        // And the survey pass refuses a single endless line.
        let err = super::survey(&vec![b'z'; MAX_MESSAGE_BYTES + CHUNK + 1][..]).unwrap_err();
        assert!(
            matches!(err, ScanError::MessageTooLong { line: 1 }),
            "{err}"
        );
    }
}
