//! What follows a header: the author, the text, an attachment, and what
//! kind of message it is.

use crate::Kind;
use crate::header::Frame;
use std::borrow::Cow;

use crate::marks::{self, clean_author};
use crate::notices::{
    ANDROID_ATTACHMENTS, ANDROID_OMISSIONS, DELETIONS, IOS_OMISSIONS, MISSED, NOTICES,
};

/// An author longer than this is not an author but text with a colon in it.
const MAX_AUTHOR_CHARS: usize = 100;

const LRM: char = '\u{200E}';

const VIEW_ONCE: &str = "null";

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
    let whole = marks::trim(first);
    if is_notice(whole) {
        return system(None, join(body, whole, more));
    }
    let Some((author, text)) = split_author(first) else {
        // Android and iOS group events have no author.
        return system(None, join(body, whole, more));
    };
    let lead = marks::trim(text);
    // iOS writes the chat's name in front of its notices; its security code
    // notice starts with two LRMs in every language.
    let ios_notice = frame == Frame::Bracket && text.starts_with("\u{200E}\u{200E}");
    if is_notice(lead) || ios_notice {
        return system(None, join(body, lead, more));
    }
    if MISSED.contains(lead) {
        return system(Some(author), join(body, lead, more));
    }
    if DELETIONS.contains(lead.trim_end_matches('.')) {
        return with(author, Kind::Deleted, None, join(body, lead, more));
    }
    let caption = Cow::Borrowed(more.unwrap_or_default());
    if let Some(file) = ANDROID_ATTACHMENTS.strip_suffix_of(lead) {
        let file = Cow::Borrowed(marks::trim(file));
        return with(author, Kind::Media, Some(file), caption);
    }
    // Android writes a view-once photo or video as the word `null`.
    if ANDROID_OMISSIONS.contains(lead) || (lead == VIEW_ONCE && more.is_none()) {
        return with(author, Kind::Media, None, caption);
    }
    if frame == Frame::Dash {
        let text = join(body, strip_leading_marks(text), more);
        return with(author, Kind::Message, None, text);
    }
    // iOS: the marker is the last thing on the line, after an LRM when there
    // is one: `Manifesto.pdf • ‎116 pagina's ‎<bijgevoegd: 00000017-Manifesto.pdf>`.
    let (before, marker) = match lead.rfind(LRM) {
        Some(at) => (&lead[..at], marks::trim(&lead[at..])),
        None => ("", lead),
    };
    if let Some((before_marker, file)) = attached_marker(lead) {
        let text = join_owned(tidy(before_marker), more);
        return with(author, Kind::Media, Some(Cow::Borrowed(file)), text);
    }
    if IOS_OMISSIONS.contains(marker) {
        return with(author, Kind::Media, None, join_owned(tidy(before), more));
    }
    if let Some(before) = IOS_OMISSIONS.strip_suffix_of(lead) {
        return with(author, Kind::Media, None, join_owned(tidy(before), more));
    }
    let text = join(body, strip_leading_marks(text), more);
    with(author, Kind::Message, None, text)
}

#[inline]
fn is_notice(text: &str) -> bool {
    !text.is_empty() && NOTICES.is_prefix_of(text)
}

/// `Author: text`, or `Author:` with an empty text (view-once on iOS).
#[inline]
fn split_author(line: &str) -> Option<(&str, &str)> {
    let colon_space = memchr::memchr_iter(b':', line.as_bytes())
        .find(|&at| line.as_bytes().get(at + 1) == Some(&b' '));
    let (author, text) = match colon_space {
        Some(at) => (&line[..at], &line[at + 2..]),
        None => (line.strip_suffix(':')?, ""),
    };
    let shown = marks::trim(author);
    // Counting characters only when the bytes could exceed the limit.
    let short = shown.len() <= MAX_AUTHOR_CHARS || shown.chars().count() <= MAX_AUTHOR_CHARS;
    (!shown.is_empty() && short).then_some((author, text))
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

fn system<'a>(author: Option<&'a str>, text: Cow<'a, str>) -> Body<'a> {
    Body {
        author: author.map(clean_author),
        text,
        attachment: None,
        kind: Kind::System,
    }
}

fn with<'a>(
    author: &'a str,
    kind: Kind,
    attachment: Option<Cow<'a, str>>,
    text: Cow<'a, str>,
) -> Body<'a> {
    Body {
        author: Some(clean_author(author)),
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
            let text_start = (author.len() + 2).min(body.len());
            (
                Some(clean_author(author)),
                body.get(text_start..).unwrap_or_default(),
            )
        }
        None => (None, body),
    }
}
