//! When a message in a re-export is a message already stored, and how the
//! two versions differ. Between two exports of one chat WhatsApp changes a
//! message's form, never its time or author: the media may be left out
//! (`<Media weggelaten>`), the citizen may have deleted it (`Dit bericht is
//! verwijderd`) or edited it (`… <Dit bericht is bewerkt>`).

use kluis_vault::store::{MessageKind, NewMessage, StoredMessage};
use whatsapp_export::without_edit_mark;

/// What aligning looks at of a message. The file name is left out: an
/// export without media writes `<Media omitted>` where one with media names
/// the file, and both are the same message.
#[derive(Clone, Copy, Debug)]
pub(super) struct Said<'a> {
    at: i64,
    author: Option<&'a str>,
    kind: MessageKind,
    text: &'a str,
}

impl<'a> Said<'a> {
    pub(super) fn of_new(m: &NewMessage<'a>) -> Self {
        Self {
            at: m.at.seconds(),
            author: m.author,
            kind: m.kind,
            text: m.text,
        }
    }

    pub(super) fn of_stored(m: &'a StoredMessage) -> Self {
        Self {
            at: m.id.time().seconds(),
            author: m.author.as_deref(),
            kind: m.kind,
            text: &m.text,
        }
    }

    pub(super) fn at(&self) -> i64 {
        self.at
    }
}

/// How an export's version of a stored message differs from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Difference {
    /// Not at all, or only in its file (supplied separately).
    None,
    /// The export shows the deletion marker: the citizen deleted it since.
    DeletedLater,
    /// The stored one is the deletion marker; the export (an older one)
    /// has what was said.
    TextRestored,
    /// The export shows it edited: its text replaces the stored one, which
    /// is kept as the earlier text.
    Edited,
    /// The stored one is the edited text; the export (an older one) has
    /// the earlier text.
    EarlierText,
    /// A photo's caption the stored version lacked.
    CaptionAdded,
}

/// How `export` differs from `stored`, or `None` when it is another
/// message.
pub(super) fn difference(stored: &Said<'_>, export: &Said<'_>) -> Option<Difference> {
    use MessageKind::{Deleted, Media, System, Text};
    if stored.at != export.at || stored.author != export.author {
        return None;
    }
    if stored.kind == export.kind && stored.text == export.text {
        return Some(Difference::None);
    }
    match (stored.kind, export.kind) {
        (System, _) | (_, System) => None,
        (Deleted, Deleted) => Some(Difference::None),
        (_, Deleted) => Some(Difference::DeletedLater),
        (Deleted, _) => Some(Difference::TextRestored),
        (Media, Media) if stored.text.is_empty() => Some(Difference::CaptionAdded),
        (Media, Media) if export.text.is_empty() => Some(Difference::None),
        (Text, Text) => edited(stored.text, export.text),
        _ => None,
    }
}

/// Two texts of one message when one of them carries the edit mark.
fn edited(stored: &str, export: &str) -> Option<Difference> {
    match (without_edit_mark(stored), without_edit_mark(export)) {
        (_, Some(_)) => Some(Difference::Edited),
        (Some(_), None) => Some(Difference::EarlierText),
        (None, None) => None,
    }
}

impl PartialEq<Said<'_>> for Said<'_> {
    /// Whether `self`, from an export, is a version of `stored`. Not an
    /// equivalence (a deletion marker is a version of any message at its
    /// time and author): the alignment needs only a yes or no per pair.
    fn eq(&self, stored: &Said<'_>) -> bool {
        difference(stored, self).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(stored: (MessageKind, &str), export: (MessageKind, &str), expect: Option<Difference>) {
        let said = |(kind, text)| Said {
            at: 60,
            author: Some("Eva"),
            kind,
            text,
        };
        assert_eq!(difference(&said(stored), &said(export)), expect);
    }

    #[test]
    fn versions_of_one_message() {
        use Difference::*;
        use MessageKind::{Deleted, Media, System, Text};
        let gone = "Dit bericht is verwijderd";
        check((Text, "hallo"), (Text, "hallo"), Some(None));
        check((Text, "hallo"), (Deleted, gone), Some(DeletedLater));
        check((Media, "foto"), (Deleted, gone), Some(DeletedLater));
        check((Deleted, gone), (Text, "hallo"), Some(TextRestored));
        check(
            (Deleted, gone),
            (Deleted, "U hebt dit bericht verwijderd"),
            Some(None),
        );
        check(
            (Text, "om 10 uur"),
            (Text, "om 11 uur <Dit bericht is bewerkt>"),
            Some(Edited),
        );
        check(
            (Text, "om 11 uur <Dit bericht is bewerkt>"),
            (Text, "om 10 uur"),
            Some(EarlierText),
        );
        check((Media, ""), (Media, "Hier is een foto"), Some(CaptionAdded));
        check((Media, "Hier is een foto"), (Media, ""), Some(None));
        // Another message in the same minute.
        check((Text, "hallo"), (Text, "dag"), Option::None);
        check((Media, "foto"), (Media, "andere foto"), Option::None);
        check((Text, "hallo"), (Media, ""), Option::None);
        check((System, "x"), (Deleted, gone), Option::None);
    }

    #[test]
    fn another_time_or_author_is_another_message() {
        let a = Said {
            at: 60,
            author: Some("Eva"),
            kind: MessageKind::Text,
            text: "hallo",
        };
        assert!(a == a);
        assert!(Said { at: 120, ..a } != a);
        assert!(
            Said {
                author: Some("Gemeente"),
                ..a
            } != a
        );
    }
}
