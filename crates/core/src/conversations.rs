//! Conversations with citizens and the case data the operator keeps on them.
//!
//! A vault's are read by [`crate::console`] into these types (the demo is
//! a vault too).

use crate::cases::CaseState;
use crate::personal::Personal;
use crate::time::LocalDateTime;

pub use kluis_vault::store::CaseStatus;
/// Identifies a conversation within one vault: the store's row id, the
/// one id from the store to the window.
pub use kluis_vault::store::ConversationId;
pub use kluis_vault::store::EntryKind;
pub use kluis_vault::store::VersionKind;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sender {
    /// The citizen (or anyone else in the chat who is not the municipality).
    Citizen,
    /// The municipality's business account.
    Municipality,
    /// WhatsApp itself: encryption notices, group events, missed calls.
    System,
}

/// One message of a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The store's id (its time key): stable, so the page keys by it.
    pub id: i64,
    /// Local time as written in the export.
    pub at: LocalDateTime,
    /// Who wrote it.
    pub sender: Sender,
    /// The author's name or number as shown in the export; `None` for WhatsApp's notices.
    pub author: Option<Personal>,
    /// The text, continuation lines joined with `\n` (a file's caption).
    pub text: Personal,
    /// The file it carries, if any.
    pub media: Option<MediaRef>,
    /// Deleted by its sender (the text is WhatsApp's notice).
    pub deleted: bool,
    /// Edited by its sender: WhatsApp's edit mark, left out of `text`.
    pub edited: bool,
    /// What other exports showed of it: deleted later, an earlier text.
    pub versions: Vec<Version>,
    /// Messages may be missing right before this one: two exports that
    /// did not meet.
    pub gap_before: bool,
    /// The export file it came from.
    pub source: Option<Personal>,
}

/// Another form of a message that an export showed (see
/// `kluis_vault::store::MessageVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub why: VersionKind,
    /// The deletion marker, or the text before an edit.
    pub text: Personal,
    /// When the import that saw it ran, Dutch time.
    pub noted: LocalDateTime,
}

/// A file a message carries, as the reading pane lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaRef {
    /// The file's row, for `Desk::media`.
    pub id: i64,
    /// As the export names it (a document's name may name a citizen).
    pub file_name: Personal,
    pub kind: crate::media::MediaKind,
    pub mime: &'static str,
    pub size: Option<u64>,
    /// The export contained it.
    pub present: bool,
}

/// An entry the operator wrote in the timeline: a note, a call, a visit,
/// a reply by another channel, or a reply set out for WhatsApp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub id: i64,
    pub kind: EntryKind,
    /// When it happened, local time.
    pub at: LocalDateTime,
    /// Who wrote it (an operator's name, `admin` or `recovery`).
    pub operator: String,
    pub text: Personal,
    /// A reply seen in an export: the time the export gives it.
    pub sent_at: Option<LocalDateTime>,
    /// A reply the operator said was not sent.
    pub withdrawn: bool,
}

/// The note for the next shift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handover {
    pub text: Personal,
    pub by: String,
    /// When it was written (UTC).
    pub at: i64,
}

/// One WhatsApp chat with a citizen, and the case data kept on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// Stable within the vault.
    pub id: ConversationId,
    /// The chat's name as WhatsApp exported it: usually the citizen's name or number.
    pub chat_name: Personal,
    /// Where the case stands.
    pub state: CaseState,
    /// The municipality's case reference, when one was registered.
    pub reference: Option<String>,
    /// Case type labels ("afval", "paspoort", ...).
    pub labels: Vec<String>,
    /// In export order, which is not always chronological.
    pub messages: Vec<Message>,
    /// The operator's entries, in time order.
    pub entries: Vec<TimelineEntry>,
    pub handover: Option<Handover>,
}

/// What the conversation list shows of a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: ConversationId,
    pub chat_name: Personal,
    pub state: CaseState,
    pub reference: Option<String>,
    pub labels: Vec<String>,
    /// The latest message, if there is one.
    pub latest: Option<Message>,
    pub message_count: usize,
    /// The citizen's first message after the municipality's last, while
    /// the case is work to do: how long they have waited, by the export's
    /// own times.
    pub waiting_since: Option<LocalDateTime>,
    /// Minutes from `waiting_since` to now, by the desk's clock.
    pub waiting_minutes: Option<i64>,
    /// Messages that came in since this operator last opened it (all, if
    /// they never did).
    pub unseen: usize,
    /// A handover note is there.
    pub handover: bool,
    /// Replies set out and not yet seen in an export.
    pub pending_replies: usize,
    /// The citizen's latest message is from today.
    pub citizen_today: bool,
}
