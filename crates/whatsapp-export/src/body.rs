//! What follows a header: the author, the text, an attachment, and what
//! kind of message it is.

use crate::Kind;
use crate::header::Frame;
use std::borrow::Cow;

use crate::marks::{self, clean_author};
use crate::notices::{
    ANDROID_ATTACHMENTS, ANDROID_OMISSIONS, ANY_WORD, DELETIONS, IOS_OMISSIONS, MISSED, NOTICES,
};

/// An author longer than this is not an author but text with a colon in it.
const MAX_AUTHOR_CHARS: usize = 100;

const LRM: char = '\u{200E}';

const VIEW_ONCE: &str = "null";

#[derive(Debug, PartialEq)]
pub(crate) struct Body<'a> {
    pub author: Option<Cow<'a, str>>,
    pub text: Cow<'a, str>,
    pub attachment: Option<Cow<'a, str>>,
    pub kind: Kind,
}

/// Classifies a message body: everything after the header, continuation
/// lines joined with `\n`; its first line is `first_len` bytes long.
pub(crate) fn classify(body: &str, first_len: usize, frame: Frame) -> Body<'_> {
    let (first, more) = match body.split_at_checked(first_len) {
        Some((first, "")) => (first, None),
        Some((first, rest)) if rest.starts_with('\n') => (first, Some(&rest[1..])),
        // Not expected (the scanner measured it), but never worth a panic.
        _ => match memchr::memchr(b'\n', body.as_bytes()) {
            Some(at) => (&body[..at], Some(&body[at + 1..])),
            None => (body, None),
        },
    };
    // Both paths split at the same colon: searched once.
    let colon = first_colon_space(first.as_bytes());
    plain_message(body, first, colon, frame)
        .unwrap_or_else(|| general(body, first, more, colon, frame))
}

/// Any message: `first` is its first line, `more` the lines after it.
/// `colon` is [`first_colon_space`] of `first`.
fn general<'a>(
    body: &'a str,
    first: &'a str,
    more: Option<&'a str>,
    colon: Option<(usize, bool)>,
    frame: Frame,
) -> Body<'a> {
    let whole = marks::trim(first);
    if is_notice(whole) {
        return system(None, join(body, whole, more));
    }
    let Some((author, text)) = split_author_at(first, colon) else {
        // Android and iOS group events have no author.
        return system(None, join(body, whole, more));
    };
    let lead = marks::trim(text);
    // iOS writes the chat's name in front of its notices; its security code
    // notice starts with two LRMs in every language.
    let ios_notice = frame == Frame::Bracket && text.starts_with("\u{200E}\u{200E}");
    if ios_notice {
        return system(None, join(body, lead, more));
    }
    let caption = Cow::Borrowed(more.unwrap_or_default());
    let may_match = ANY_WORD.may_match(lead);
    if may_match {
        if is_notice(lead) {
            return system(None, join(body, lead, more));
        }
        if MISSED.contains(lead) {
            return system(Some(author), join(body, lead, more));
        }
        if DELETIONS.contains_without_trailing_dots(lead) {
            return with(author, Kind::Deleted, None, join(body, lead, more));
        }
        if let Some(file) = ANDROID_ATTACHMENTS.strip_suffix_of(lead) {
            let file = Cow::Borrowed(marks::trim(file));
            return with(author, Kind::Media, Some(file), caption);
        }
        if ANDROID_OMISSIONS.contains(lead) {
            return with(author, Kind::Media, None, caption);
        }
    }
    // Android writes a view-once photo or video as the word `null`.
    if lead == VIEW_ONCE && more.is_none() {
        return with(author, Kind::Media, None, caption);
    }
    if frame == Frame::Dash {
        let text = join(body, strip_leading_marks(text), more);
        return with(author, Kind::Message, None, text);
    }
    // iOS: the marker is the last thing on the line, after an LRM when there
    // is one: `Manifesto.pdf • ‎116 pagina's ‎<bijgevoegd: 00000017-Manifesto.pdf>`.
    if let Some((before_marker, file)) = attached_marker(lead) {
        let text = join_owned(tidy(before_marker), more);
        return with(author, Kind::Media, Some(Cow::Borrowed(file)), text);
    }
    // An omission marker ends `lead` (which is trimmed), so its last bytes
    // decide whether to look for one at all.
    if may_match && IOS_OMISSIONS.may_end(lead) {
        let (before, marker) = match last_lrm(lead) {
            Some(at) => (&lead[..at], marks::trim(&lead[at..])),
            None => ("", lead),
        };
        if IOS_OMISSIONS.contains(marker) {
            return with(author, Kind::Media, None, join_owned(tidy(before), more));
        }
        if let Some(before) = IOS_OMISSIONS.strip_suffix_of(lead) {
            return with(author, Kind::Media, None, join_owned(tidy(before), more));
        }
    }
    let text = join(body, strip_leading_marks(text), more);
    with(author, Kind::Message, None, text)
}

/// The common message, decided without trimming or word tables: `Author:
/// text` with a plain author, a one-line text that starts and ends with a
/// visible ASCII byte, and nothing that could be one of WhatsApp's words.
/// `None` leaves it to the general path, which agrees on every message this
/// accepts (`tests::the_plain_path_agrees_with_the_general_one`).
#[inline]
fn plain_message<'a>(
    body: &'a str,
    first: &'a str,
    colon: Option<(usize, bool)>,
    frame: Frame,
) -> Option<Body<'a>> {
    let (at, true) = colon? else {
        return None;
    };
    let text = &first[at + 2..];
    let bytes = text.as_bytes();
    let (&head, &tail) = (bytes.first()?, bytes.last()?);
    // The author is plain and the text is trimmed already, so neither needs
    // trimming to be checked for WhatsApp's words.
    if !marks::is_trimmed(bytes) {
        return None;
    }
    let words = NOTICES.may_start(first) | ANY_WORD.may_match(text);
    // iOS media markers end in `>`; Android's view-once is `null`.
    let marker = frame != Frame::Dash && tail == b'>';
    if words || marker || (head == b'n' && text == VIEW_ONCE) {
        return None;
    }
    Some(Body {
        author: Some(Cow::Borrowed(&first[..at])),
        // The text and the continuation lines after it, as they stand.
        text: Cow::Borrowed(&body[at + 2..]),
        attachment: None,
        kind: Kind::Message,
    })
}

#[inline]
fn is_notice(text: &str) -> bool {
    // An empty text passes no gate.
    NOTICES.is_prefix_of(text)
}

/// An author as written, and whether it is shown as written.
#[derive(Clone, Copy)]
struct Author<'a> {
    written: &'a str,
    /// ASCII without blanks at either end: nothing to clean.
    plain: bool,
}

impl<'a> Author<'a> {
    fn shown(self) -> Cow<'a, str> {
        if self.plain {
            Cow::Borrowed(self.written)
        } else {
            clean_author(self.written)
        }
    }
}

/// `Author: text`, or `Author:` with an empty text (view-once on iOS).
fn split_author(line: &str) -> Option<(Author<'_>, &str)> {
    split_author_at(line, first_colon_space(line.as_bytes()))
}

/// [`split_author`] with `colon`, [`first_colon_space`] of `line`, known.
#[inline]
fn split_author_at(line: &str, colon: Option<(usize, bool)>) -> Option<(Author<'_>, &str)> {
    let (author, text, plain) = match colon {
        Some((at, plain)) => (&line[..at], &line[at + 2..], plain),
        None => (line.strip_suffix(':')?, "", false),
    };
    if plain {
        // Short, visible and ASCII: `trim` and the length check below pass.
        return Some((
            Author {
                written: author,
                plain,
            },
            text,
        ));
    }
    let shown = marks::trim(author);
    // Counting characters only when the bytes could exceed the limit.
    let short = shown.len() <= MAX_AUTHOR_CHARS || shown.chars().count() <= MAX_AUTHOR_CHARS;
    (!shown.is_empty() && short).then_some((
        Author {
            written: author,
            plain: false,
        },
        text,
    ))
}

/// Where the first `: ` is, and whether the bytes before it are a plain
/// author (1 to 31 ASCII bytes, not blank at either end). Most authors are
/// that short, so the first 32 bytes (padded with zeros when the line is
/// shorter: a third of all lines are) are searched as two words, without a
/// branch on which of them holds the colon.
#[inline]
fn first_colon_space(bytes: &[u8]) -> Option<(usize, bool)> {
    const HIGHS: u128 = u128::from_le_bytes([0x80; 16]);
    /// Bit 7 of each byte of `word` that is a colon; the lowest is exact,
    /// higher ones may be false.
    fn colons(word: u128) -> u128 {
        const ONES: u128 = u128::from_le_bytes([0x01; 16]);
        const COLONS: u128 = u128::from_le_bytes([b':'; 16]);
        let x = word ^ COLONS;
        x.wrapping_sub(ONES) & !x & HIGHS
    }
    let head = match bytes.first_chunk::<32>() {
        Some(head) => *head,
        None => {
            let mut head = [0; 32];
            head[..bytes.len()].copy_from_slice(bytes);
            head
        }
    };
    let searched = bytes.len().min(32);
    let lo = u128::from_le_bytes(head[..16].try_into().unwrap_or_default());
    let hi = u128::from_le_bytes(head[16..].try_into().unwrap_or_default());
    let (lo_colons, hi_colons) = (colons(lo), colons(hi));
    // `lo`'s count is 128 when it has no colon; then `hi`'s is added.
    // Arithmetic, not a branch: authors on either side of 16 bytes
    // alternate unpredictably.
    let lo_count = lo_colons.trailing_zeros();
    let at = ((lo_count + (lo_count >> 7) * hi_colons.trailing_zeros()) / 8) as usize;
    // Padding holds no colon, so `at < searched` whenever one was found.
    if at < searched && bytes.get(at + 1) == Some(&b' ') {
        // Bytes before the colon: all of `lo` up to it, or `lo` and `hi` up to it.
        let lo_before = if at >= 16 {
            lo
        } else {
            lo & ((1u128 << (8 * at)) - 1)
        };
        let hi_before = if at > 16 {
            hi & ((1u128 << (8 * (at - 16))) - 1)
        } else {
            0
        };
        let plain = at > 0
            && (lo_before | hi_before) & HIGHS == 0
            && !bytes[0].is_ascii_whitespace()
            && !bytes[at - 1].is_ascii_whitespace();
        return Some((at, plain));
    }
    let from = if at < searched { at + 1 } else { searched };
    memchr::memchr_iter(b':', &bytes[from..])
        .map(|i| from + i)
        .find(|&at| bytes.get(at + 1) == Some(&b' '))
        .map(|at| (at, false))
}

/// Where the last LRM in `text` starts. Searching for its first byte with
/// `memchr` is far quicker than `str::rfind` (which reads byte by byte), and
/// most texts have none of that byte.
#[inline]
fn last_lrm(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memrchr_iter(0xE2, bytes).find(|&at| bytes[at..].starts_with("\u{200E}".as_bytes()))
}

/// `<attached: FILE>` (or any language's `<word: FILE>`) at the end of `lead`:
/// the text before it and the file name.
fn attached_marker(lead: &str) -> Option<(&str, &str)> {
    let inner = lead.strip_suffix('>')?;
    let open = inner.rfind('<')?;
    let (keyword, file) = inner[open + 1..].split_once(": ")?;
    let keyword = keyword.trim();
    let is_word = !keyword.is_empty() && keyword.chars().all(char::is_alphabetic);
    (is_word && !file.trim().is_empty()).then(|| (&lead[..open], file.trim()))
}

/// Text around a media marker without its invisible marks and blanks.
fn tidy(text: &str) -> Cow<'_, str> {
    let text = marks::trim(text);
    if text.contains(LRM) {
        Cow::Owned(text.chars().filter(|&c| c != LRM).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn strip_leading_marks(text: &str) -> &str {
    // Every mark starts with 0xE2 or 0xEF.
    match text.as_bytes().first() {
        Some(0xE2 | 0xEF) => text.trim_start_matches(marks::is_mark),
        _ => text,
    }
}

/// `first` and the continuation lines `more`, joined with `\n`. Both are
/// slices of `body`; when nothing lies between them but the line break, the
/// result borrows `body` instead of copying.
fn join<'a>(body: &'a str, first: &'a str, more: Option<&'a str>) -> Cow<'a, str> {
    let Some(more) = more else {
        return Cow::Borrowed(first);
    };
    if first.is_empty() {
        return Cow::Borrowed(more);
    }
    let start = offset_in(body, first);
    let end = offset_in(body, more) + more.len();
    if body.get(start + first.len()..start + first.len() + 1) == Some("\n")
        && offset_in(body, more) == start + first.len() + 1
    {
        Cow::Borrowed(&body[start..end])
    } else {
        Cow::Owned(format!("{first}\n{more}"))
    }
}

fn join_owned<'a>(first: Cow<'a, str>, more: Option<&'a str>) -> Cow<'a, str> {
    match (first, more) {
        (first, None) => first,
        (first, Some(more)) if first.is_empty() => Cow::Borrowed(more),
        (first, Some(more)) => Cow::Owned(format!("{first}\n{more}")),
    }
}

/// Where `part` (a slice of `whole`) starts in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

fn system<'a>(author: Option<Author<'a>>, text: Cow<'a, str>) -> Body<'a> {
    Body {
        author: author.map(Author::shown),
        text,
        attachment: None,
        kind: Kind::System,
    }
}

fn with<'a>(
    author: Author<'a>,
    kind: Kind,
    attachment: Option<Cow<'a, str>>,
    text: Cow<'a, str>,
) -> Body<'a> {
    Body {
        author: Some(author.shown()),
        text,
        attachment,
        kind,
    }
}

/// `Author: text` split as written, for comparing with a ground truth.
pub(crate) fn as_written(body: &str) -> (Option<Cow<'_, str>>, &str) {
    let first = body.split('\n').next().unwrap_or_default();
    match split_author(first) {
        Some((author, _)) => {
            let text_start = (author.written.len() + 2).min(body.len());
            (
                Some(author.shown()),
                body.get(text_start..).unwrap_or_default(),
            )
        }
        None => (None, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain reading: the first `: `, anywhere.
    fn naive(bytes: &[u8]) -> Option<usize> {
        (0..bytes.len()).find(|&i| bytes[i..].starts_with(b": "))
    }

    #[test]
    fn the_plain_path_agrees_with_the_general_one() {
        let mut bodies: Vec<String> = Vec::new();
        for line in crate::header::tests::fixture_lines_and_variants() {
            let Some(h) = crate::header::parse(&line) else {
                continue;
            };
            if let Ok(body) = std::str::from_utf8(&line[h.rest..]) {
                bodies.push(body.to_owned());
                bodies.push(format!("{body}\nen een regel meer"));
            }
        }
        for text in [
            "null",
            "x>",
            "<bijgevoegd: a.jpg>",
            "Dit bericht is verwijderd",
            "Oké",
            "a ",
            "a\u{200E}",
            "\u{200E}a",
            "…",
            "Gemiste spraakoproep",
            "IMG-1.jpg (bestand bijgevoegd)",
        ] {
            bodies.push(format!("Eva: {text}"));
            bodies.push(format!("Eva: {text}\nmeer"));
        }
        let mut plain = 0;
        for body in &bodies {
            let first = body.split('\n').next().unwrap_or_default();
            let more = body.get(first.len() + 1..);
            let colon = first_colon_space(first.as_bytes());
            for frame in [Frame::Dash, Frame::Bracket, Frame::Colon] {
                if let Some(fast) = plain_message(body, first, colon, frame) {
                    assert_eq!(fast, general(body, first, more, colon, frame), "{body:?}");
                    plain += 1;
                }
            }
        }
        assert!(plain > 10_000, "only {plain} messages took the plain path");
    }

    #[test]
    fn the_last_lrm_is_found_as_str_rfind_finds_it() {
        for text in [
            "",
            "geen",
            "\u{200E}",
            "a\u{200E}b\u{200E}c",
            "€ … ☔ \u{200E}<bijgevoegd: x.jpg>",
            "\u{200E}€\u{200F}…",
            "\u{202A}+31\u{202C}",
        ] {
            assert_eq!(last_lrm(text), text.rfind(LRM), "{text:?}");
        }
    }

    #[test]
    fn the_word_search_finds_the_first_colon_space() {
        let mut lines: Vec<String> = vec![
            "Eva: hoi".into(),
            ": leeg".into(),
            " Eva: spatie vooraf".into(),
            "Eva : spatie achteraf".into(),
            "\u{202A}+31\u{00A0}6\u{202C}: iOS".into(),
            "Zoë: niet ASCII".into(),
            "10:30 a: b".into(),
            "a:b:c: d".into(),
            "geen dubbelepunt".into(),
            "eindigt op:".into(),
            "x:".into(),
            String::new(),
        ];
        for at in 0..40 {
            lines.push(format!("{}: tekst", "a".repeat(at)));
            lines.push(format!(
                "{}:x {}: tekst",
                "b".repeat(at),
                "c".repeat(at / 2)
            ));
        }
        for line in &lines {
            let bytes = line.as_bytes();
            let found = first_colon_space(bytes);
            assert_eq!(found.map(|(at, _)| at), naive(bytes), "{line:?}");
            if let Some((at, plain)) = found {
                let author = &line[..at];
                let expect_plain = at > 0 && author.is_ascii() && author.trim_ascii() == author;
                // Plain is a promise; the search may fail to see it.
                assert!(!plain || expect_plain, "{line:?}");
                if expect_plain && at < 32 && !author.contains(':') {
                    assert!(plain, "{line:?}");
                }
                if plain {
                    assert_eq!(clean_author(author), author);
                    assert_eq!(marks::trim(author), author);
                }
            }
        }
    }
}
