//! What follows a header: the author, the text, an attachment, and what
//! kind of message it is.

use crate::Kind;
use crate::header::Frame;
use crate::marks::{self, clean_author};
use crate::notices::{
    ANDROID_ATTACHED_SUFFIXES, ANDROID_OMITTED, DELETED, IOS_OMITTED, MISSED_CALLS, NOTICE_PREFIXES,
};

/// An author longer than this is not an author but text with a colon in it.
const MAX_AUTHOR_CHARS: usize = 100;

const LRM: char = '\u{200E}';

const VIEW_ONCE: &str = "null";

pub(crate) struct Body {
    pub author: Option<String>,
    pub text: String,
    pub attachment: Option<String>,
    pub kind: Kind,
}

/// Classifies a message body: everything after the header, continuation
/// lines joined with `\n`.
pub(crate) fn classify(body: &str, frame: Frame) -> Body {
    let (first, more) = match body.split_once('\n') {
        Some((first, more)) => (first, Some(more)),
        None => (body, None),
    };
    let whole = marks::trim(first);
    if is_notice(whole) {
        return system(None, join(whole, more));
    }
    let Some((author, text)) = split_author(first) else {
        // Android and iOS group events have no author.
        return system(None, join(whole, more));
    };
    let lead = marks::trim(text);
    // iOS writes the chat's name in front of its notices; its security code
    // notice starts with two LRMs in every language.
    let ios_notice = frame == Frame::Bracket && text.starts_with("\u{200E}\u{200E}");
    if is_notice(lead) || ios_notice {
        return system(None, join(lead, more));
    }
    if MISSED_CALLS.contains(&lead) {
        return system(Some(author), join(lead, more));
    }
    if DELETED.contains(&lead.trim_end_matches('.')) {
        return with(author, Kind::Deleted, None, join(lead, more));
    }
    if let Some(file) = ANDROID_ATTACHED_SUFFIXES
        .iter()
        .find_map(|s| lead.strip_suffix(s))
    {
        let caption = more.unwrap_or_default();
        return with(
            author,
            Kind::Media,
            Some(marks::trim(file).to_owned()),
            caption.to_owned(),
        );
    }
    // Android writes a view-once photo or video as the word `null`.
    if ANDROID_OMITTED.contains(&lead) || (lead == VIEW_ONCE && more.is_none()) {
        return with(
            author,
            Kind::Media,
            None,
            more.unwrap_or_default().to_owned(),
        );
    }
    // iOS: the marker is the last thing on the line, after an LRM when there
    // is one: `Manifesto.pdf • ‎116 pagina's ‎<bijgevoegd: 00000017-Manifesto.pdf>`.
    let (before, marker) = match lead.rfind(LRM) {
        Some(at) => (&lead[..at], marks::trim(&lead[at..])),
        None => ("", lead),
    };
    if let Some((before_marker, file)) = attached_marker(lead) {
        return with(
            author,
            Kind::Media,
            Some(file),
            join(&tidy(before_marker), more),
        );
    }
    if IOS_OMITTED.contains(&marker) {
        return with(author, Kind::Media, None, join(&tidy(before), more));
    }
    if let Some(before) = IOS_OMITTED.iter().find_map(|m| lead.strip_suffix(m)) {
        return with(author, Kind::Media, None, join(&tidy(before), more));
    }
    with(
        author,
        Kind::Message,
        None,
        join(strip_leading_marks(text), more),
    )
}

fn is_notice(text: &str) -> bool {
    NOTICE_PREFIXES.iter().any(|p| text.starts_with(p))
}

/// `Author: text`, or `Author:` with an empty text (view-once on iOS).
fn split_author(line: &str) -> Option<(&str, &str)> {
    let (author, text) = match line.find(": ") {
        Some(at) => (&line[..at], &line[at + 2..]),
        None => (line.strip_suffix(':')?, ""),
    };
    let shown = marks::trim(author);
    (!shown.is_empty() && shown.chars().count() <= MAX_AUTHOR_CHARS).then_some((author, text))
}

/// `<attached: FILE>` (or any language's `<word: FILE>`) at the end of `lead`:
/// the text before it and the file name.
fn attached_marker(lead: &str) -> Option<(&str, String)> {
    let inner = lead.strip_suffix('>')?;
    let open = inner.rfind('<')?;
    let (keyword, file) = inner[open + 1..].split_once(": ")?;
    let keyword = keyword.trim();
    let is_word = !keyword.is_empty() && keyword.chars().all(char::is_alphabetic);
    (is_word && !file.trim().is_empty()).then(|| (&lead[..open], file.trim().to_owned()))
}

/// Text around a media marker without its invisible marks and blanks.
fn tidy(text: &str) -> String {
    let without: String = text.chars().filter(|&c| c != LRM).collect();
    marks::trim(&without).to_owned()
}

fn strip_leading_marks(text: &str) -> &str {
    text.trim_start_matches(marks::is_mark)
}

fn join(first: &str, more: Option<&str>) -> String {
    match more {
        Some(more) if first.is_empty() => more.to_owned(),
        Some(more) => format!("{first}\n{more}"),
        None => first.to_owned(),
    }
}

fn system(author: Option<&str>, text: String) -> Body {
    Body {
        author: author.map(clean_author),
        text,
        attachment: None,
        kind: Kind::System,
    }
}

fn with(author: &str, kind: Kind, attachment: Option<String>, text: String) -> Body {
    Body {
        author: Some(clean_author(author)),
        text,
        attachment,
        kind,
    }
}
