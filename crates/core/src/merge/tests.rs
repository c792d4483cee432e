use proptest::prelude::*;

use super::*;

/// A message as the tests see it: its minute and its text, where
/// "deleted" is WhatsApp's deletion marker and a trailing "*" its edit mark.
type Said = (u32, &'static str);

/// An export's message: a version of a stored one at the same minute whose
/// text is the same, a deletion marker, or an edit of it.
#[derive(Clone, Copy, Debug)]
struct Exported(Said);

impl PartialEq<Said> for Exported {
    fn eq(&self, stored: &Said) -> bool {
        let (a, b) = (self.0.1, stored.1);
        self.0.0 == stored.0
            && (a == b || a == "deleted" || b == "deleted" || a.ends_with('*') || b.ends_with('*'))
    }
}

/// The stored messages with the export's new ones put where `alignment`
/// says, as (time, text); a paired message shows the export's version.
fn merged(stored: &[Said], export: &[Said], alignment: &Alignment) -> Vec<Said> {
    let mut out = Vec::new();
    let mut shown: Vec<Said> = stored.to_vec();
    for (e, s) in alignment.pairs() {
        shown[s] = export[e];
    }
    for (s, said) in shown.iter().enumerate() {
        for (e, place) in alignment.places.iter().enumerate() {
            if *place == (Place::New { before: s }) {
                out.push(export[e]);
            }
        }
        out.push(*said);
    }
    for (e, place) in alignment.places.iter().enumerate() {
        if *place
            == (Place::New {
                before: stored.len(),
            })
        {
            out.push(export[e]);
        }
    }
    out
}

#[track_caller]
fn check(stored: &[Said], export: &[Said], expect: &[Said], gap: Gap) {
    let wrapped: Vec<Exported> = export.iter().copied().map(Exported).collect();
    let alignment = align(stored, &wrapped, |s| s.0, |e| e.0.0);
    assert_eq!(merged(stored, export, &alignment), expect);
    assert_eq!(alignment.gap, gap);
    assert_eq!(alignment.already() + alignment.new_count(), export.len());
}

#[test]
fn placements() {
    let a = (1, "hallo");
    let b = (2, "mijn paspoort");
    let c = (3, "is verlopen");
    let d = (4, "ok");
    let e = (4, "ok");
    let f = (5, "dank u");
    // A first import, and the same file twice.
    check(&[], &[a, b], &[a, b], Gap::None);
    check(&[a, b, c], &[a, b, c], &[a, b, c], Gap::None);
    // A re-export with more at the end.
    check(&[a, b], &[a, b, c, d], &[a, b, c, d], Gap::None);
    // It lost its oldest part: overlap only.
    check(&[a, b, c], &[b, c, d], &[a, b, c, d], Gap::None);
    // It lost its oldest part and adds nothing.
    check(&[a, b, c, d], &[c, d], &[a, b, c, d], Gap::None);
    // Two identical messages in one minute stay two; a third is new.
    check(&[a, d], &[a, d, e], &[a, d, e], Gap::None);
    check(&[a, d, e], &[d, e, f], &[a, d, e, f], Gap::None);
    // An older export imported later: its head is new at the front.
    check(&[c, d], &[a, b, c], &[a, b, c, d], Gap::None);
    // The stored part inside a longer export.
    check(&[b, c], &[a, b, c, d], &[a, b, c, d], Gap::None);
    // No overlap: placed by time, with the gap named.
    check(&[a, b], &[d, f], &[a, b, d, f], Gap::BeforeNew);
    check(&[d, f], &[a, b], &[a, b, d, f], Gap::AfterNew);
    // A repeated pair: the overlap that fits, not the first look-alike.
    check(&[a, d, a, d], &[a, d, f], &[a, d, a, d, f], Gap::None);
}

#[test]
fn versions_of_a_message_pair_with_it() {
    let a = (1, "hallo");
    let b = (2, "mijn paspoort");
    let b_deleted = (2, "deleted");
    let b_edited = (2, "mijn rijbewijs*");
    let c = (3, "is verlopen");
    let d = (4, "ok");
    // Deleted by the citizen between two exports: one message, the
    // export's version shown; the import keeps the text beside it.
    check(
        &[a, b, c],
        &[a, b_deleted, c, d],
        &[a, b_deleted, c, d],
        Gap::None,
    );
    // An older export with the text, imported after the deletion.
    check(&[b_deleted, c], &[a, b], &[a, b, c], Gap::None);
    // Edited between two exports.
    check(
        &[a, b, c],
        &[b_edited, c, d],
        &[a, b_edited, c, d],
        Gap::None,
    );
    // Deleted for the phone alone: the export lacks it and it stays.
    check(&[a, b, c], &[a, c, d], &[a, b, c, d], Gap::None);
    // Missing from the stored export, present in this one: it goes in
    // between, not at an end.
    check(&[a, c, d], &[a, b, c], &[a, b, c, d], Gap::None);
    // A deletion marker does not pair across minutes.
    check(
        &[a, b],
        &[(3, "deleted")],
        &[a, b, (3, "deleted")],
        Gap::BeforeNew,
    );
}

#[test]
fn new_messages_among_unpaired_stored_ones_go_by_time() {
    let a = (1, "hallo");
    let (b, c, d, e) = ((2, "b"), (3, "c"), (4, "d"), (5, "e"));
    let z = (9, "z");
    // Stored b and d were deleted for the phone before this export, which
    // brings c and e that the stored export lacked.
    check(&[a, b, d, z], &[a, c, e, z], &[a, b, c, d, e, z], Gap::None);
    // A tie keeps the stored message first.
    check(
        &[a, (3, "x"), z],
        &[a, (3, "y"), z],
        &[a, (3, "x"), (3, "y"), z],
        Gap::None,
    );
    // An export out of time order keeps its own order.
    check(&[a, z], &[a, e, b, z], &[a, e, b, z], Gap::None);
}

#[test]
fn only_the_stored_stretch_within_the_exports_times_is_compared() {
    // A year stored, one new day: the diff reads only the day's stretch
    // (counted by the relation's calls).
    use std::cell::Cell;
    thread_local!(static CALLS: Cell<usize> = const { Cell::new(0) });
    #[derive(Debug)]
    struct Counted(u32);
    impl PartialEq<u32> for Counted {
        fn eq(&self, stored: &u32) -> bool {
            CALLS.with(|c| c.set(c.get() + 1));
            self.0 == *stored
        }
    }
    let stored: Vec<u32> = (0..100_000).collect();
    let export: Vec<Counted> = (99_990..100_010).map(Counted).collect();
    let alignment = align(&stored, &export, |s| *s, |e| e.0);
    assert_eq!((alignment.already(), alignment.new_count()), (10, 10));
    assert!(CALLS.with(Cell::get) < 1_000, "{}", CALLS.with(Cell::get));
}

/// One message of a conversation, and what may happen to it on the phone.
#[derive(Clone, Debug)]
struct Message {
    /// Its minute; several messages may share one.
    minute: u32,
    text: u32,
    media: bool,
    /// At which export moment the citizen deleted it for everyone, edited
    /// it, or the phone deleted it for itself (beyond the last: never).
    deleted: u8,
    edited: u8,
    gone: u8,
}

/// An export: taken at `moment`, holding messages `from..to`, with or
/// without media.
#[derive(Clone, Debug)]
struct Export {
    moment: u8,
    from: usize,
    to: usize,
    media: bool,
}

/// A message as an export shows it: which message it is (for the check,
/// never for the merge) and what the export says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shown {
    id: usize,
    minute: u32,
    form: Form,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Text { text: u32, edited: bool },
    Media { text: u32, file: bool },
    Deleted,
}

/// The relation the import uses, on the model: same minute, and the same
/// text unless one side is a deletion marker or an edit.
#[derive(Clone, Copy, Debug)]
struct Again(Shown);

impl PartialEq<Shown> for Again {
    fn eq(&self, stored: &Shown) -> bool {
        use Form::*;
        self.0.minute == stored.minute
            && match (self.0.form, stored.form) {
                (Deleted, _) | (_, Deleted) => true,
                (Text { text: a, edited: x }, Text { text: b, edited: y }) => a == b || x || y,
                (Media { text: a, .. }, Media { text: b, .. }) => a == b,
                _ => false,
            }
    }
}

/// A conversation in time order. A message drawn with step 0 shares the
/// previous one's minute as the other kind (a photo beside a text) and
/// neither is ever deleted: two such the relation could never confuse. Two
/// it could confuse (the same text in one minute, a deletion marker among
/// several) are the examples' business: which one a marker belongs to is
/// then a guess, and nothing is lost either way.
fn conversation() -> impl Strategy<Value = Vec<Message>> {
    let message = (0u32..3, 0u32..4, any::<bool>(), 0u8..8, 0u8..8, 0u8..10);
    prop::collection::vec(message, 1..30).prop_map(|drawn| {
        let mut messages: Vec<Message> = Vec::with_capacity(drawn.len());
        for (step, text, media, deleted, edited, gone) in drawn {
            let mut message = Message {
                minute: 0,
                text,
                media,
                deleted,
                edited,
                gone,
            };
            let len = messages.len();
            let twinned = len >= 2 && messages[len - 2].minute == messages[len - 1].minute;
            let step = if twinned { step.max(1) } else { step };
            match messages.last_mut() {
                Some(previous) if step == 0 => {
                    previous.deleted = NEVER;
                    message.deleted = NEVER;
                    message.media = !previous.media;
                    message.minute = previous.minute;
                }
                Some(previous) => message.minute = previous.minute + step,
                None => {}
            }
            messages.push(message);
        }
        messages
    })
}

/// A moment after every export's.
const NEVER: u8 = 8;

fn exports(len: usize) -> impl Strategy<Value = Vec<Export>> {
    let export = (0u8..6, 0..=len, 0..=len, any::<bool>());
    prop::collection::vec(export, 1..6).prop_map(|drawn| {
        drawn
            .into_iter()
            .map(|(moment, a, b, media)| Export {
                moment,
                from: a.min(b),
                to: a.max(b),
                media,
            })
            .collect()
    })
}

/// What `export` holds of `conversation`.
fn shown(conversation: &[Message], export: &Export) -> Vec<Shown> {
    let moment = export.moment;
    (export.from..export.to)
        .filter(|&id| conversation[id].gone > moment)
        .map(|id| {
            let m = &conversation[id];
            let form = if m.deleted <= moment {
                Form::Deleted
            } else if m.media {
                Form::Media {
                    text: m.text,
                    file: export.media,
                }
            } else {
                Form::Text {
                    text: m.text + if m.edited <= moment { 100 } else { 0 },
                    edited: m.edited <= moment,
                }
            };
            Shown {
                id,
                minute: m.minute,
                form,
            }
        })
        .collect()
}

/// Two versions of one message: the one worth keeping on screen (the
/// import keeps the other beside it).
fn richer(stored: Shown, export: Shown) -> Shown {
    match (stored.form, export.form) {
        (_, Form::Deleted) => stored,
        (Form::Deleted, _) => export,
        (Form::Media { file: true, .. }, _) => stored,
        (Form::Text { edited: true, .. }, _) => stored,
        _ => export,
    }
}

/// The conversation kept after importing `exports` in their order.
fn import_all(conversation: &[Message], exports: &[Export]) -> Vec<Shown> {
    let mut stored: Vec<Shown> = Vec::new();
    for export in exports {
        let export = shown(conversation, export);
        let again: Vec<Again> = export.iter().copied().map(Again).collect();
        let alignment = align(&stored, &again, |s| s.minute, |e| e.0.minute);
        for (e, s) in alignment.pairs() {
            stored[s] = richer(stored[s], export[e]);
        }
        let mut next = Vec::with_capacity(stored.len() + export.len());
        for (s, kept) in stored.iter().enumerate() {
            next.extend(new_before(&alignment, &export, s));
            next.push(*kept);
        }
        next.extend(new_before(&alignment, &export, stored.len()));
        stored = next;
    }
    stored
}

fn new_before(alignment: &Alignment, export: &[Shown], s: usize) -> Vec<Shown> {
    let at = Place::New { before: s };
    let placed = alignment.places.iter().zip(export);
    placed.filter(|(p, _)| **p == at).map(|(_, m)| *m).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Any sequence of exports of one conversation (overlapping windows,
    /// with and without media, taken before and after deletions, edits and
    /// messages deleted for the phone, imported in any order) merges to
    /// exactly the messages any of them showed, each once, in order, each
    /// in its richest version: never a deletion marker where an export
    /// showed the text, never without the file an export brought.
    #[test]
    fn any_exports_merge_to_the_conversation(
        (conversation, exports) in conversation().prop_flat_map(|c| {
            let len = c.len();
            (Just(c), exports(len))
        })
    ) {
        let kept = import_all(&conversation, &exports);
        // In order: by minute. Two messages of one minute that no export
        // shows together may go either way round: nothing tells their order.
        let minutes: Vec<u32> = kept.iter().map(|m| m.minute).collect();
        prop_assert!(minutes.is_sorted(), "{:?}", minutes);
        let mut ids: Vec<usize> = kept.iter().map(|m| m.id).collect();
        ids.sort();
        let mut expected: Vec<usize> = exports
            .iter()
            .flat_map(|e| shown(&conversation, e))
            .map(|m| m.id)
            .collect();
        expected.sort();
        expected.dedup();
        prop_assert_eq!(ids, expected);
        for message in &kept {
            let seen = exports.iter().flat_map(|e| shown(&conversation, e));
            let versions: Vec<Shown> = seen.filter(|m| m.id == message.id).collect();
            let deleted_everywhere = versions.iter().all(|m| m.form == Form::Deleted);
            prop_assert_eq!(message.form == Form::Deleted, deleted_everywhere);
            let with_file = versions.iter().any(|m| matches!(m.form, Form::Media { file: true, .. }));
            if with_file {
                let kept_file = matches!(message.form, Form::Media { file: true, .. });
                prop_assert!(kept_file, "the file an export brought is kept");
            }
        }
    }
}
