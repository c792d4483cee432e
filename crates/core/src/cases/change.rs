//! What the employee changes on a case, each change checked first and then
//! carried out on every chosen conversation in one transaction (nothing
//! half-saved), with one audit entry per conversation that names what
//! changed and never a note's, entry's or reply's words.

use kluis_vault::Session;
use kluis_vault::store::{
    CaseId, CaseStatus, ConversationId, EntryKind, NewTimelineEntry, Store, StoreError, Writer,
};

use super::CaseState;
use crate::lock::Now;
use crate::time::LocalDateTime;

/// The setting with the admin's pattern for reference numbers.
pub const REFERENCE_PATTERN_SETTING: &str = "case.reference_pattern";

/// How far back a hand-written entry may be dated: a year typed wrong
/// would otherwise open the part's period decades early.
pub const ENTRY_DAYS_BACK: i64 = 366;

/// The longest note, entry or handover note.
pub const TEXT_MAX: usize = 4_000;

/// One change to the cases of one or more conversations.
#[derive(Clone, PartialEq, Eq)]
pub enum CaseChange {
    /// Open, waiting on the citizen, or resolved.
    Status(CaseStatus),
    Snooze(Snooze),
    /// A label from the admin's list put on (`true`) or taken off.
    Label {
        name: String,
        on: bool,
    },
    /// The reference number (`None`: cleared), checked against the pattern.
    Reference(Option<String>),
    /// An internal note.
    Note(String),
    /// The handover note for the next shift (empty: cleared).
    Handover(String),
    /// A hand-written entry: what happened, when (`None`: now), and what.
    Entry {
        kind: EntryKindChoice,
        at: Option<LocalDateTime>,
        text: String,
    },
}

impl std::fmt::Debug for CaseChange {
    // Notes and entries are about citizens: only the kind of change.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Self::Status(s) => return write!(f, "Status({s:?})"),
            Self::Snooze(s) => return write!(f, "Snooze({s:?})"),
            Self::Label { on, .. } => return write!(f, "Label({on})"),
            Self::Reference(_) => "Reference",
            Self::Note(_) => "Note",
            Self::Handover(_) => "Handover",
            Self::Entry { .. } => "Entry",
        };
        f.write_str(kind)
    }
}

/// Until when a conversation is put aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snooze {
    /// A local date and time, which must be later than now.
    Until(LocalDateTime),
    /// Until the citizen writes again.
    UntilCitizenWrites,
}

/// What a hand-written entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKindChoice {
    Call,
    Visit,
    Channel,
}

impl EntryKindChoice {
    fn stored(self) -> EntryKind {
        match self {
            Self::Call => EntryKind::Call,
            Self::Visit => EntryKind::Visit,
            Self::Channel => EntryKind::Channel,
        }
    }
}

/// Why a change was refused; nothing was saved.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("the text is empty")]
    Empty,
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the text holds an invisible or control character")]
    ControlCharacter,
    #[error("the reference number does not match the pattern {pattern}")]
    ReferenceMismatch { pattern: String },
    #[error("another conversation has this reference number")]
    ReferenceTaken,
    #[error("the snooze's time has passed")]
    SnoozeInPast,
    #[error("an entry cannot be later than now")]
    EntryInFuture,
    #[error("an entry cannot be dated more than {days} days back")]
    EntryTooOld { days: i64 },
    #[error("there is no such label in the admin's list")]
    UnknownLabel,
    #[error("the admin removed this label from the list")]
    RemovedLabel,
    #[error("a label with this name exists in other capitals: {0}")]
    LabelExists(String),
    #[error("not a colour of the palette")]
    UnknownColour,
    #[error("a shortcode is letters, digits and '-', at most 30")]
    BadShortcode,
    #[error("unknown placeholder {{{0}}}")]
    UnknownPlaceholder(String),
    #[error("fill in {{{0}}} first")]
    Unfilled(&'static str),
    /// The clipboard (or whatever takes a reply) refused it; nothing recorded.
    #[error("the reply could not be handed over: {0}")]
    NotDelivered(String),
    #[error("no such canned reply")]
    NoSuchReply,
    #[error("no such reply set out in this conversation")]
    NoSuchEntry,
    #[error("this reply was seen in an export already")]
    AlreadySent,
    #[error("no conversation was chosen")]
    NoneChosen,
    #[error("a reference number belongs to one conversation: choose one")]
    OneReferenceOneConversation,
    #[error("there is no conversation {0}")]
    NoSuchConversation(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A text as kept: trimmed, not empty, at most `max` characters, no
/// control characters but line breaks and tabs, and no mark that reorders
/// what follows (U+202E would make the next shift read a note backwards);
/// the direction marks a Hebrew or Arabic name needs stay.
pub(crate) fn plain(text: &str, max: usize) -> Result<String, CaseError> {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(CaseError::Empty);
    }
    if text.chars().count() > max {
        return Err(CaseError::TooLong { max });
    }
    let refused = |c: char| {
        (c.is_control() && c != '\n' && c != '\t') || crate::personal::reorders_or_hides(c)
    };
    if text.chars().any(refused) {
        return Err(CaseError::ControlCharacter);
    }
    Ok(text.to_owned())
}

/// A text of one line as kept (a reference, a label, a title): [`plain`],
/// and no line break, tab or mark that reorders or hides what follows.
pub(crate) fn one_line(text: &str, max: usize) -> Result<String, CaseError> {
    let text = plain(text, max)?;
    if text
        .chars()
        .any(|c| c.is_control() || crate::personal::reorders_or_hides(c))
    {
        return Err(CaseError::ControlCharacter);
    }
    Ok(text)
}

/// The reference as kept, if the admin's pattern (if any) matches it whole.
pub fn check_reference(reference: &str, pattern: Option<&str>) -> Result<String, CaseError> {
    let reference = one_line(reference, 60)?;
    if reference.chars().any(crate::personal::invisible) {
        return Err(CaseError::ControlCharacter);
    }
    if let Some(pattern) = pattern.filter(|p| !p.trim().is_empty()) {
        let whole = regex::Regex::new(&format!("^(?:{pattern})$"));
        if !whole.is_ok_and(|re| re.is_match(&reference)) {
            return Err(CaseError::ReferenceMismatch {
                pattern: pattern.to_owned(),
            });
        }
    }
    Ok(reference)
}

/// Whether `pattern` may be the admin's reference pattern.
pub fn check_pattern(pattern: &str) -> Result<(), &'static str> {
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 16)
        .build()
        .map(|_| ())
        .map_err(|_| "a regular expression, like Z-\\d{4}-\\d{6}")
}

/// A change checked against the store and the time, ready to write.
enum Checked {
    Status(CaseStatus),
    Snooze(Option<i64>),
    Label(String, bool),
    Reference(Option<String>),
    Note(String),
    Handover(String),
    Entry(EntryKind, i64, String),
}

fn checked(store: &Store, change: &CaseChange, now: Now) -> Result<Checked, CaseError> {
    Ok(match change {
        CaseChange::Status(s) => Checked::Status(*s),
        CaseChange::Snooze(Snooze::UntilCitizenWrites) => Checked::Snooze(None),
        CaseChange::Snooze(Snooze::Until(at)) => {
            let until = crate::desk::clock::utc_of_dutch(at.local_seconds());
            if until <= now.utc {
                return Err(CaseError::SnoozeInPast);
            }
            Checked::Snooze(Some(until))
        }
        CaseChange::Label { name, on } => {
            let label = store.labels()?.into_iter().find(|l| l.name == *name);
            match label {
                None if *on => return Err(CaseError::UnknownLabel),
                Some(l) if *on && l.removed_at.is_some() => return Err(CaseError::RemovedLabel),
                _ => Checked::Label(name.clone(), *on),
            }
        }
        CaseChange::Reference(None) => Checked::Reference(None),
        CaseChange::Reference(Some(r)) => {
            let pattern = store.setting(REFERENCE_PATTERN_SETTING)?;
            Checked::Reference(Some(check_reference(r, pattern.as_deref())?))
        }
        CaseChange::Note(text) => Checked::Note(plain(text, TEXT_MAX)?),
        CaseChange::Handover(text) if text.trim().is_empty() => Checked::Handover(String::new()),
        CaseChange::Handover(text) => Checked::Handover(plain(text, TEXT_MAX)?),
        CaseChange::Entry { kind, at, text } => {
            let local_now = now.utc + i64::from(now.offset);
            let at = at.map_or(local_now, LocalDateTime::local_seconds);
            // A minute's grace: the form's clock shows minutes.
            if at > local_now + 60 {
                return Err(CaseError::EntryInFuture);
            }
            if at < local_now - ENTRY_DAYS_BACK * 86_400 {
                return Err(CaseError::EntryTooOld {
                    days: ENTRY_DAYS_BACK,
                });
            }
            Checked::Entry(kind.stored(), at, plain(text, TEXT_MAX)?)
        }
    })
}

/// Carries out `change` on each of `conversations`: checked once, written
/// in one transaction with an audit entry per conversation it changed.
/// Returns how many it changed (one already so is left alone, unaudited).
pub fn apply(
    session: &mut Session,
    conversations: &[ConversationId],
    change: &CaseChange,
    now: Now,
) -> Result<usize, CaseError> {
    if conversations.is_empty() {
        return Err(CaseError::NoneChosen);
    }
    if matches!(change, CaseChange::Reference(Some(_))) && conversations.len() > 1 {
        return Err(CaseError::OneReferenceOneConversation);
    }
    let store = session.store();
    let checked = checked(store, change, now)?;
    let mut chosen = conversations.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let mut cases = Vec::with_capacity(chosen.len());
    for c in chosen {
        if store.chat_name(c)?.is_none() {
            return Err(CaseError::NoSuchConversation(c.0));
        }
        let case = match store.case_of(c)? {
            Some(id) => store.case(id)?,
            None => None,
        };
        cases.push((c, case));
    }
    if let Checked::Reference(Some(r)) = &checked
        && store
            .case_with_reference(r)?
            .is_some_and(|found| cases[0].1.as_ref().is_none_or(|own| own.id != found))
    {
        return Err(CaseError::ReferenceTaken);
    }
    let who = session.who().to_string();
    let person = super::person(session.who());
    let mut tx = session.store_mut().write()?;
    let mut changed = 0;
    for (conversation, case) in &cases {
        let state = CaseState::of(case.as_ref(), now.utc);
        let Some(detail) = describe(&checked, case.as_ref(), state) else {
            continue;
        };
        let id = match case {
            Some(case) => case.id,
            None => {
                let id = tx.open_case(None, now.utc)?;
                tx.assign(*conversation, Some(id))?;
                id
            }
        };
        write(&mut tx, &checked, *conversation, id, &person, now)?;
        super::audit_edit(
            &mut tx,
            &who,
            now.utc,
            &super::conversation_subject(*conversation),
            &detail,
        )?;
        changed += 1;
    }
    tx.commit()?;
    Ok(changed)
}

/// What the audit says of the change, or `None` when there is nothing to
/// change (the status it has already, a label it has or lacks).
fn describe(
    checked: &Checked,
    case: Option<&kluis_vault::store::Case>,
    state: CaseState,
) -> Option<String> {
    let labels = case.map(|c| c.labels.as_slice()).unwrap_or_default();
    Some(match checked {
        Checked::Status(s) => {
            let unchanged = matches!(
                (state, s),
                (CaseState::Open { reopened: None }, CaseStatus::Open)
                    | (CaseState::WaitingOnCitizen, CaseStatus::WaitingOnCitizen)
                    | (CaseState::Resolved, CaseStatus::Resolved)
            );
            if unchanged {
                return None;
            }
            format!("case: status {} → {}", state_name(state), s.name())
        }
        Checked::Snooze(Some(until)) => format!("case: snoozed until {until} (UTC seconds)"),
        Checked::Snooze(None) => "case: snoozed until the citizen writes".to_owned(),
        Checked::Label(name, on) => {
            if labels.contains(name) == *on {
                return None;
            }
            let verb = if *on { "added" } else { "removed" };
            format!("case: label {name:?} {verb}")
        }
        Checked::Reference(Some(_)) => "case: reference number set".to_owned(),
        Checked::Reference(None) => "case: reference number cleared".to_owned(),
        Checked::Note(text) => format!("case: note added ({} characters)", text.chars().count()),
        Checked::Handover(text) if text.is_empty() => "case: handover note cleared".to_owned(),
        Checked::Handover(text) => {
            format!(
                "case: handover note written ({} characters)",
                text.chars().count()
            )
        }
        Checked::Entry(kind, _, text) => format!(
            "case: {} entry written by hand ({} characters)",
            kind.name(),
            text.chars().count()
        ),
    })
}

fn state_name(state: CaseState) -> &'static str {
    match state {
        CaseState::New => "new",
        CaseState::Open { .. } => "open",
        CaseState::WaitingOnCitizen => "waiting",
        CaseState::Snoozed { .. } => "snoozed",
        CaseState::Resolved => "closed",
    }
}

fn write(
    tx: &mut Writer<'_>,
    checked: &Checked,
    conversation: ConversationId,
    case: CaseId,
    who: &str,
    now: Now,
) -> Result<(), StoreError> {
    let local_now = kluis_vault::LocalTime::from_seconds(now.utc + i64::from(now.offset));
    fn entry<'t>(
        kind: EntryKind,
        at: kluis_vault::LocalTime,
        text: &'t str,
        who: &'t str,
        utc: i64,
    ) -> NewTimelineEntry<'t> {
        NewTimelineEntry {
            kind,
            at,
            written_at: utc,
            operator: who,
            text,
        }
    }
    match checked {
        Checked::Status(s) => tx.set_case_status(case, *s, now.utc),
        Checked::Snooze(until) => tx.snooze_case(case, *until),
        Checked::Label(name, on) => tx.label_case(case, name, *on),
        Checked::Reference(r) => tx.set_reference(case, r.as_deref()),
        Checked::Note(text) => tx
            .add_entry(
                conversation,
                &entry(EntryKind::Note, local_now, text, who, now.utc),
            )
            .map(|_| ()),
        Checked::Handover(text) => tx.set_handover(case, text, who, now.utc),
        Checked::Entry(kind, at, text) => tx
            .add_entry(
                conversation,
                &entry(
                    *kind,
                    kluis_vault::LocalTime::from_seconds(*at),
                    text,
                    who,
                    now.utc,
                ),
            )
            .map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_patterns() {
        let pattern = Some(r"Z-\d{4}-\d{6}");
        let check = |typed: &str, pattern: Option<&str>, expect: Result<&str, &str>| {
            let found = check_reference(typed, pattern).map_err(|e| format!("{e:?}"));
            assert_eq!(
                found.as_deref().map_err(String::as_str),
                expect,
                "{typed:?} {pattern:?}"
            );
        };
        check("Z-2026-000123", pattern, Ok("Z-2026-000123"));
        check(" Z-2026-000123 ", pattern, Ok("Z-2026-000123"));
        check(
            "Z-2026-00012",
            pattern,
            Err(r#"ReferenceMismatch { pattern: "Z-\\d{4}-\\d{6}" }"#),
        );
        // The pattern must match the whole reference, not a part.
        check(
            "xZ-2026-000123",
            pattern,
            Err(r#"ReferenceMismatch { pattern: "Z-\\d{4}-\\d{6}" }"#),
        );
        check(
            "Z-2026-000123-9",
            pattern,
            Err(r#"ReferenceMismatch { pattern: "Z-\\d{4}-\\d{6}" }"#),
        );
        // An alternation is one whole: `^(?:a|b)$`, not `^a|b$`.
        check(
            "ab",
            Some("a|b"),
            Err(r#"ReferenceMismatch { pattern: "a|b" }"#),
        );
        check("b", Some("a|b"), Ok("b"));
        check("vrij 12", None, Ok("vrij 12"));
        check("  ", pattern, Err("Empty"));
        // One line, nothing that reorders the transcript's heading.
        check("Z-1\nStatus: closed", None, Err("ControlCharacter"));
        check("Z-1\t2", None, Err("ControlCharacter"));
        check("Z-\u{202e}1", None, Err("ControlCharacter"));
        // Nothing invisible: each of these would look like Z-7 beside it
        // (one at an end that is white space is trimmed away).
        for hidden in [
            "\u{200b}",
            "\u{200c}",
            "\u{200d}",
            "\u{2060}",
            "\u{feff}",
            "\u{00ad}",
            "\u{200e}",
            "\u{3164}",
            "\u{fe0f}",
            "\u{00a0}",
            "\u{2009}",
            "\u{e000}",
            "\u{e0041}",
        ] {
            check(&format!("Z{hidden}-7"), None, Err("ControlCharacter"));
            let at_the_end = check_reference(&format!("Z-7{hidden}"), None);
            assert!(
                matches!(
                    at_the_end.as_deref(),
                    Err(CaseError::ControlCharacter) | Ok("Z-7")
                ),
                "{hidden:?}: {at_the_end:?}"
            );
        }
        check("Z-7", None, Ok("Z-7"));
        check("Zaak Müller-Çelik 7", None, Ok("Zaak Müller-Çelik 7"));
        assert!(check_pattern(r"Z-\d{4}-\d{6}").is_ok());
        assert!(check_pattern(r"Z-(\d{4}").is_err());
        assert!(check_pattern(r"\w{1000}{1000}").is_err());
    }

    #[test]
    fn texts() {
        assert_eq!(plain(" a\r\nb ", 10).unwrap(), "a\nb");
        assert!(matches!(plain("\n \t", 10), Err(CaseError::Empty)));
        assert!(matches!(
            plain("abc", 2),
            Err(CaseError::TooLong { max: 2 })
        ));
        assert!(matches!(
            plain("a\u{1b}[31m", 20),
            Err(CaseError::ControlCharacter)
        ));
        // A note the next shift would read backwards, or cut in two.
        for reorders in [
            "\u{202e}", "\u{202a}", "\u{2066}", "\u{2069}", "\u{2028}", "\u{2029}",
        ] {
            assert!(
                matches!(
                    plain(&format!("bel {reorders}terug"), 40),
                    Err(CaseError::ControlCharacter)
                ),
                "{reorders:?}"
            );
        }
        // A Hebrew or Arabic name keeps the marks it needs.
        assert_eq!(
            plain("\u{200f}שלום\u{200e} belt terug", 40).unwrap(),
            "\u{200f}שלום\u{200e} belt terug"
        );
    }
}
