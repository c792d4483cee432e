//! What the webview sees: serializable counterparts of the domain types.
//!
//! Only this crate serializes (the domain crates have no serde). The
//! TypeScript declarations in `ui/src/lib/bindings.ts` are generated from
//! these types by `tests/bindings.rs`.

use std::path::Path;

use kluis_core::cases::{
    CaseChange, CaseError, CaseState, EntryKindChoice, Reopened, Snooze, StateKind,
};
use kluis_core::console::{ListQuery, Order};
use kluis_core::conversations::VersionKind;
use kluis_core::desk::SlotOwner;
use kluis_core::import::inbox::{Outcome, Reason, Remains, STRAY};
use kluis_core::import::{DateOrder, ImportError, ImportReport, NotAnExport, Warning};
use kluis_core::media::MediaKind;
use kluis_core::search::{Find, Found, FoundHit, Place};
use kluis_core::{CaseStatus, Conversation, LocalDateTime, Message, Sender, Summary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[allow(unused_imports)] // for the docs
use crate::state::Console;

/// About the running app, for the title bar and the first screen.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// What the console shows: the demo, a lock screen, or the vault.
    pub console: ConsoleState,
    /// The business account's name as it appears in the demo conversations.
    pub municipality: Option<String>,
}

/// See [`Console`].
#[derive(Debug, Serialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ConsoleState {
    /// Generated, fictional data: there is no vault on this laptop.
    Demo,
    /// The vault is locked; these can open it.
    #[serde(rename_all = "camelCase")]
    Locked {
        who_can_unlock: Vec<UnlockAs>,
        failed_unlocks: u32,
        #[ts(type = "number")]
        wait_seconds: u64,
        /// The shift hours, as IT wrote them.
        shifts: String,
        /// Now is outside them: only the admin or recovery key, with a reason.
        outside_shift: bool,
        /// Today is closed: operators wait until tomorrow.
        day_closed: Option<DateDto>,
        /// The admin or recovery key opens now only with a reason.
        reason_needed: bool,
    },
    /// Unlocked by `who`; `closing_at` once the warning before closing
    /// time was given.
    #[serde(rename_all = "camelCase")]
    Open {
        who: UnlockAs,
        closing_at: Option<ClockTime>,
    },
    /// A vault is there but cannot be used.
    Unavailable { problem: Unavailable },
}

/// Why the vault cannot be used.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Unavailable {
    /// Another Kluis has it open.
    InUse,
    /// A file of the vault cannot be read; `detail` is technical.
    Damaged { detail: String },
}

/// A calendar date.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, TS)]
pub struct DateDto {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl From<kluis_core::LocalDate> for DateDto {
    fn from(d: kluis_core::LocalDate) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        }
    }
}

/// A time of day.
#[derive(Clone, Copy, Debug, Serialize, TS)]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
}

/// A local time as the export wrote it, in its parts.
#[derive(Clone, Copy, Debug, Serialize, TS)]
pub struct Stamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl From<LocalDateTime> for Stamp {
    fn from(t: LocalDateTime) -> Self {
        let d = t.date();
        Self {
            year: d.year(),
            month: d.month(),
            day: d.day(),
            hour: t.hour(),
            minute: t.minute(),
            second: t.second(),
        }
    }
}

impl From<LocalDateTime> for ClockTime {
    fn from(t: LocalDateTime) -> Self {
        Self {
            hour: t.hour(),
            minute: t.minute(),
        }
    }
}

/// Whose key slot: see [`SlotOwner`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "name", rename_all = "camelCase")]
pub enum UnlockAs {
    /// A customer-contact employee, by name.
    Operator(String),
    /// The municipality's administrator.
    Admin,
    /// The printed recovery key.
    Recovery,
}

impl From<&SlotOwner> for UnlockAs {
    fn from(owner: &SlotOwner) -> Self {
        match owner {
            SlotOwner::Operator(name) => Self::Operator(name.clone()),
            SlotOwner::Admin => Self::Admin,
            SlotOwner::Recovery => Self::Recovery,
        }
    }
}

/// See [`CaseState`].
#[derive(Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CaseStateDto {
    /// Nobody has worked it yet.
    New,
    /// The municipality owes an answer; `reopened` if it came back by itself.
    Open { reopened: Option<ReopenedDto> },
    /// Waiting for the citizen.
    WaitingOnCitizen,
    /// Put aside until a local time (`None`: until the citizen writes).
    Snoozed { until: Option<Stamp> },
    /// Done.
    Resolved,
}

/// Why a case opened again by itself.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "why", rename_all = "camelCase")]
pub enum ReopenedDto {
    CitizenWrote { at: Stamp },
    SnoozeEnded { at: Stamp },
}

impl From<CaseState> for CaseStateDto {
    fn from(state: CaseState) -> Self {
        let local = |utc: i64| Stamp::from(kluis_core::desk::dutch_local(utc));
        match state {
            CaseState::New => Self::New,
            CaseState::Open { reopened } => Self::Open {
                reopened: reopened.map(|r| match r {
                    Reopened::CitizenWrote { at } => ReopenedDto::CitizenWrote { at: local(at) },
                    Reopened::SnoozeEnded { at } => ReopenedDto::SnoozeEnded { at: local(at) },
                }),
            },
            CaseState::WaitingOnCitizen => Self::WaitingOnCitizen,
            CaseState::Snoozed { until } => Self::Snoozed {
                until: until.map(local),
            },
            CaseState::Resolved => Self::Resolved,
        }
    }
}

/// A state to filter the list by (see [`StateKind`]).
#[derive(Clone, Copy, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StateKindDto {
    New,
    Open,
    WaitingOnCitizen,
    Snoozed,
    Resolved,
}

/// The list's order (see [`Order`]).
#[derive(Clone, Copy, Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OrderDto {
    #[default]
    LongestWaiting,
    Newest,
    Name,
}

/// What the list shows: filters and order.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ListQueryDto {
    pub state: Option<StateKindDto>,
    pub label: Option<String>,
    pub handover: bool,
    pub today: bool,
    pub order: OrderDto,
}

impl From<ListQueryDto> for ListQuery {
    fn from(q: ListQueryDto) -> Self {
        Self {
            state: q.state.map(StateKind::from),
            label: q.label,
            handover: q.handover,
            today: q.today,
            order: match q.order {
                OrderDto::LongestWaiting => Order::LongestWaiting,
                OrderDto::Newest => Order::Newest,
                OrderDto::Name => Order::Name,
            },
        }
    }
}

impl From<StateKindDto> for StateKind {
    fn from(k: StateKindDto) -> Self {
        match k {
            StateKindDto::New => Self::New,
            StateKindDto::Open => Self::Open,
            StateKindDto::WaitingOnCitizen => Self::WaitingOnCitizen,
            StateKindDto::Snoozed => Self::Snoozed,
            StateKindDto::Resolved => Self::Resolved,
        }
    }
}

/// What the search box asks: what was typed, a period, a state, a label.
#[derive(Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct FindDto {
    pub text: String,
    pub from: Option<DateDto>,
    pub to: Option<DateDto>,
    pub state: Option<StateKindDto>,
    pub label: Option<String>,
}

impl std::fmt::Debug for FindDto {
    // What was typed is citizen data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FindDto")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl TryFrom<FindDto> for Find {
    /// The date that is no date.
    type Error = DateDto;

    fn try_from(f: FindDto) -> Result<Self, DateDto> {
        let date = |d: Option<DateDto>| {
            d.map(|d| kluis_core::LocalDate::new(d.year, d.month, d.day).ok_or(d))
                .transpose()
        };
        Ok(Self {
            text: f.text,
            from: date(f.from)?,
            to: date(f.to)?,
            state: f.state.map(StateKind::from),
            label: f.label,
        })
    }
}

/// What the search box found, per conversation, newest first.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundView {
    pub conversations: Vec<FoundConversationView>,
    /// Every hit read.
    pub hits: u32,
    /// Older messages may match too: only the newest were read.
    pub cut_off: bool,
}

/// One conversation with its first hits.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundConversationView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub header: ConversationHeader,
    pub hits: Vec<FoundHitView>,
    /// All its hits, shown or not.
    pub count: u32,
}

/// Where a hit is: a message (opened at it), an entry, or what the
/// conversation itself is called or holds.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PlaceDto {
    Message {
        #[ts(type = "number")]
        id: i64,
    },
    Entry {
        #[ts(type = "number")]
        id: i64,
    },
    Handover,
    ChatName,
    Reference,
    Label,
    Participant,
}

/// One hit, with the text around it.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundHitView {
    pub place: PlaceDto,
    pub at: Option<Stamp>,
    pub author: Option<String>,
    pub snippet: Vec<SnippetPart>,
}

/// A piece of a snippet; `hit` marks the words that matched.
#[derive(Debug, Serialize, TS)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

impl From<&Found> for FoundView {
    fn from(found: &Found) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            conversations: found
                .conversations
                .iter()
                .map(|c| FoundConversationView {
                    header: ConversationHeader::of(
                        c.id,
                        &c.chat_name,
                        c.state,
                        &c.reference,
                        &c.labels,
                    ),
                    hits: c.hits.iter().map(FoundHitView::from).collect(),
                    count: count(c.count),
                })
                .collect(),
            hits: count(found.hits),
            cut_off: found.cut_off,
        }
    }
}

impl From<&FoundHit> for FoundHitView {
    fn from(hit: &FoundHit) -> Self {
        Self {
            place: match hit.place {
                Place::Message(id) => PlaceDto::Message { id: id.0 },
                Place::Entry(id) => PlaceDto::Entry { id: id.0 },
                Place::Handover => PlaceDto::Handover,
                Place::ChatName => PlaceDto::ChatName,
                Place::Reference => PlaceDto::Reference,
                Place::Label => PlaceDto::Label,
                Place::Participant => PlaceDto::Participant,
            },
            at: hit.at.map(Into::into),
            author: hit.author.as_ref().map(|a| a.expose().to_owned()),
            snippet: hit
                .snippet
                .iter()
                .map(|(text, hit)| SnippetPart {
                    text: text.expose().to_owned(),
                    hit: *hit,
                })
                .collect(),
        }
    }
}

/// A status the employee sets.
#[derive(Clone, Copy, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StatusDto {
    Open,
    WaitingOnCitizen,
    Resolved,
}

/// What a hand-written entry records.
#[derive(Clone, Copy, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum HandEntryDto {
    Call,
    Visit,
    Channel,
}

/// A local date and time the page sends (a snooze, an entry's time).
#[derive(Clone, Copy, Debug, Deserialize, TS)]
pub struct LocalStampDto {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

impl LocalStampDto {
    fn local(self) -> Option<kluis_core::LocalDateTime> {
        kluis_core::LocalDate::new(self.year, self.month, self.day)?.at(self.hour, self.minute, 0)
    }
}

/// One change to the cases of the chosen conversations.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CaseChangeDto {
    Status {
        status: StatusDto,
    },
    /// `until: null` snoozes until the citizen writes.
    Snooze {
        until: Option<LocalStampDto>,
    },
    Label {
        name: String,
        on: bool,
    },
    Reference {
        reference: Option<String>,
    },
    Note {
        text: String,
    },
    Handover {
        text: String,
    },
    #[serde(rename_all = "camelCase")]
    Entry {
        entry: HandEntryDto,
        at: Option<LocalStampDto>,
        text: String,
    },
}

impl TryFrom<CaseChangeDto> for CaseChange {
    type Error = CaseError;

    fn try_from(c: CaseChangeDto) -> Result<Self, CaseError> {
        let local = |s: LocalStampDto| s.local().ok_or(CaseError::SnoozeInPast);
        Ok(match c {
            CaseChangeDto::Status { status } => CaseChange::Status(match status {
                StatusDto::Open => CaseStatus::Open,
                StatusDto::WaitingOnCitizen => CaseStatus::WaitingOnCitizen,
                StatusDto::Resolved => CaseStatus::Resolved,
            }),
            CaseChangeDto::Snooze { until: None } => CaseChange::Snooze(Snooze::UntilCitizenWrites),
            CaseChangeDto::Snooze { until: Some(at) } => {
                CaseChange::Snooze(Snooze::Until(local(at)?))
            }
            CaseChangeDto::Label { name, on } => CaseChange::Label { name, on },
            CaseChangeDto::Reference { reference } => {
                CaseChange::Reference(reference.filter(|r| !r.trim().is_empty()))
            }
            CaseChangeDto::Note { text } => CaseChange::Note(text),
            CaseChangeDto::Handover { text } => CaseChange::Handover(text),
            CaseChangeDto::Entry { entry, at, text } => CaseChange::Entry {
                kind: match entry {
                    HandEntryDto::Call => EntryKindChoice::Call,
                    HandEntryDto::Visit => EntryKindChoice::Visit,
                    HandEntryDto::Channel => EntryKindChoice::Channel,
                },
                at: at
                    .map(|a| a.local().ok_or(CaseError::EntryInFuture))
                    .transpose()?,
                text,
            },
        })
    }
}

/// Why a change to a case was refused, for the sentence beside the field.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CaseProblem {
    Empty,
    TooLong {
        max: u32,
    },
    ControlCharacter,
    ReferenceMismatch {
        pattern: String,
    },
    ReferenceTaken,
    SnoozeInPast,
    EntryInFuture,
    EntryTooOld {
        days: u32,
    },
    UnknownLabel,
    RemovedLabel,
    UnknownPlaceholder {
        name: String,
    },
    Unfilled {
        name: String,
    },
    AlreadySent,
    NoneChosen,
    OneReferenceOneConversation,
    /// Something else (a stale conversation, the store).
    Other,
}

impl From<&CaseError> for CaseProblem {
    fn from(e: &CaseError) -> Self {
        match e {
            CaseError::Empty => Self::Empty,
            CaseError::TooLong { max } => Self::TooLong {
                max: u32::try_from(*max).unwrap_or(u32::MAX),
            },
            CaseError::ControlCharacter => Self::ControlCharacter,
            CaseError::ReferenceMismatch { pattern } => Self::ReferenceMismatch {
                pattern: pattern.clone(),
            },
            CaseError::ReferenceTaken => Self::ReferenceTaken,
            CaseError::SnoozeInPast => Self::SnoozeInPast,
            CaseError::EntryInFuture => Self::EntryInFuture,
            CaseError::EntryTooOld { days } => Self::EntryTooOld {
                days: u32::try_from(*days).unwrap_or(u32::MAX),
            },
            CaseError::UnknownLabel => Self::UnknownLabel,
            CaseError::RemovedLabel => Self::RemovedLabel,
            CaseError::UnknownPlaceholder(name) => Self::UnknownPlaceholder { name: name.clone() },
            CaseError::Unfilled(name) => Self::Unfilled {
                name: (*name).to_owned(),
            },
            CaseError::AlreadySent => Self::AlreadySent,
            CaseError::NoneChosen => Self::NoneChosen,
            CaseError::OneReferenceOneConversation => Self::OneReferenceOneConversation,
            _ => Self::Other,
        }
    }
}

/// A label the admin keeps.
#[derive(Debug, Serialize, TS)]
pub struct LabelView {
    pub name: String,
    /// A colour of the palette (blauw, groen, …).
    pub colour: String,
    /// No longer offered; cases that have it keep it.
    pub removed: bool,
}

/// The admin's lists, as the case panel offers them.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueView {
    pub labels: Vec<LabelView>,
    /// The pattern a reference must match, shown as a hint.
    pub reference_pattern: Option<String>,
    /// How many canned replies there are.
    pub replies: u32,
}

/// A canned reply as the reply box offers it, filled from the case.
#[derive(Debug, Serialize, TS)]
pub struct SuggestionView {
    pub shortcode: String,
    pub title: String,
    pub text: String,
    /// Placeholders still to fill (`zaaknummer`, …).
    pub missing: Vec<String>,
}

/// An entry the operator wrote in the timeline.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    #[ts(type = "number")]
    pub id: i64,
    /// note, call, visit, channel or reply.
    pub kind: String,
    pub at: Stamp,
    pub operator: String,
    pub text: String,
    /// A reply seen in an export: when it was sent.
    pub sent_at: Option<Stamp>,
    /// A reply marked as not sent.
    pub withdrawn: bool,
}

/// The note for the next shift.
#[derive(Debug, Serialize, TS)]
pub struct HandoverView {
    pub text: String,
    pub by: String,
    pub at: Stamp,
}

impl From<&kluis_core::conversations::Handover> for HandoverView {
    fn from(h: &kluis_core::conversations::Handover) -> Self {
        Self {
            text: h.text.expose().to_owned(),
            by: h.by.clone(),
            at: kluis_core::desk::dutch_local(h.at).into(),
        }
    }
}

/// A handover note with its conversation, as the next shift first sees it.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HandoverNoteView {
    #[ts(type = "number")]
    pub id: i64,
    pub chat_name: String,
    pub note: HandoverView,
}

/// See [`Sender`].
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SenderDto {
    /// The citizen.
    Citizen,
    /// The municipality.
    Municipality,
    /// WhatsApp's own notices.
    System,
}

/// What the list and the reading pane both show about a conversation.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationHeader {
    /// The conversation's id.
    #[ts(type = "number")]
    pub id: i64,
    /// The chat's name.
    pub chat_name: String,
    /// Where the case stands.
    pub state: CaseStateDto,
    /// The case reference, if any.
    pub reference: Option<String>,
    /// Case type labels.
    pub labels: Vec<String>,
}

/// One row of the conversation list.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    /// Name, status and case data.
    #[serde(flatten)]
    #[ts(flatten)]
    pub header: ConversationHeader,
    /// The latest message's time.
    pub last_activity: Option<Stamp>,
    /// The start of the latest message's text.
    pub preview: String,
    /// How many messages the conversation has.
    pub message_count: u32,
    /// The citizen's first unanswered message, while the case is to do.
    pub waiting_since: Option<Stamp>,
    /// How long since then, in minutes, by Kluis's clock (not the page's).
    pub waiting_minutes: Option<u32>,
    /// Messages new since this operator last opened it.
    pub unseen: u32,
    /// A handover note is there.
    pub handover: bool,
    /// Replies set out that no export showed yet.
    pub pending_replies: u32,
    /// Still work to do (new or open), as core counts it: where
    /// "resolved, next" goes.
    pub to_do: bool,
}

/// A whole conversation, for the reading pane.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    /// Name, status and case data.
    #[serde(flatten)]
    #[ts(flatten)]
    pub header: ConversationHeader,
    /// In export order.
    pub messages: Vec<MessageView>,
    /// The operator's entries, in time order.
    pub entries: Vec<EntryView>,
    pub handover: Option<HandoverView>,
}

/// One message in the reading pane.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    /// The store's id: stable, for the page's keys.
    #[ts(type = "number")]
    pub id: i64,
    /// Local time as written in the export.
    pub at: Stamp,
    /// Who wrote it.
    pub sender: SenderDto,
    /// The author as shown in the export.
    pub author: Option<String>,
    /// The text (a file's caption).
    pub text: String,
    /// The file it carries.
    pub media: Option<MediaView>,
    /// Deleted by its sender.
    pub deleted: bool,
    /// Edited by its sender (WhatsApp's mark is left out of `text`).
    pub edited: bool,
    /// What other exports showed of it.
    pub versions: Vec<VersionView>,
    /// Messages may be missing right before it.
    pub gap_before: bool,
    /// The export file it came from.
    pub source: Option<String>,
}

/// Another form of a message an export showed.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    pub why: VersionWhy,
    /// The deletion marker, or the text before the edit.
    pub text: String,
    /// When the import that saw it ran.
    pub noted: Stamp,
}

/// See `kluis_core::conversations::VersionKind`.
#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VersionWhy {
    /// The citizen deleted it after an export that has its text.
    DeletedLater,
    /// Its text before an edit.
    BeforeEdit,
}

/// What a file is, for how the page shows it.
#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MediaKindDto {
    Image,
    Sticker,
    Audio,
    Video,
    Document,
}

/// A file a message carries; its bytes come from the `media` command.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MediaView {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub kind: MediaKindDto,
    pub mime: String,
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    /// The export contained it.
    pub present: bool,
}

/// Why a file was not handed to the page.
#[derive(Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum MediaProblem {
    NotOpen,
    NoSuchFile,
    Missing,
    TooLarge,
    Unreadable,
}

impl From<&kluis_core::media::MediaError> for MediaProblem {
    fn from(e: &kluis_core::media::MediaError) -> Self {
        use kluis_core::media::MediaError as E;
        match e {
            E::NotOpen => Self::NotOpen,
            E::NoSuchFile => Self::NoSuchFile,
            E::Missing => Self::Missing,
            E::TooLarge { .. } => Self::TooLarge,
            E::Unreadable(_) | E::Store(_) => Self::Unreadable,
        }
    }
}

/// What the page hears of imports, as they happen.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PageEvent {
    /// Files are being dragged over the window (`over`), or no longer.
    DropHover { over: bool },
    /// Exports were taken in (or refused): dropped on the window, or found
    /// in the inbox.
    Imported(ImportBatch),
    /// The inbox cannot be watched or read; nothing in it is imported
    /// until that is fixed.
    InboxProblem { problem: InboxProblem },
    /// The lock closed the vault: the page forgets every citizen's data
    /// and shows the lock screen, saying why.
    Locked { why: LockReason },
    /// Closing time comes at `closing_at`.
    #[serde(rename_all = "camelCase")]
    ClosingSoon { closing_at: ClockTime },
    /// The laptop's clock was set back; Kluis's time runs on regardless.
    ClockSetBack {
        #[ts(type = "number")]
        minutes: i64,
    },
    /// The lock changed state by itself while locked (the day closed, a
    /// new day began): the lock screen should ask again what it may offer.
    LockScreenChanged,
}

/// Why the lock closed the vault.
#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    /// No input for the idle time.
    Idle,
    /// The desktop session was locked.
    OsLocked,
    /// The laptop went to sleep.
    Suspend,
    /// By hand.
    ByHand,
    /// The day is closed (sealed, or closing time passed).
    DayClosed,
}

impl From<&kluis_core::lock::Why> for LockReason {
    fn from(why: &kluis_core::lock::Why) -> Self {
        use kluis_core::lock::Why;
        match why {
            Why::Idle => Self::Idle,
            Why::OsLocked => Self::OsLocked,
            Why::Suspend => Self::Suspend,
            Why::Sealed | Why::EndOfDay => Self::DayClosed,
            Why::ByHand
            | Why::InShift
            | Why::Override { .. }
            | Why::ClosingStarted
            | Why::NewDay => Self::ByHand,
        }
    }
}

/// What is wrong with the inbox; `detail` is technical (an OS error).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum InboxProblem {
    /// The setting that names it cannot be read.
    Setting { detail: String },
    /// The folder (`dir`) cannot be made.
    Create { dir: String, detail: String },
    /// The folder cannot be watched.
    Watch { dir: String, detail: String },
    /// The folder cannot be read (it may come back: a remounted disk).
    Read { detail: String },
}

/// The exports of one drop, or of one look at the inbox.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportBatch {
    pub via: ImportVia,
    pub exports: Vec<ExportResult>,
}

/// How the files came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ImportVia {
    /// Dropped on the window: the files stay where they were.
    Drop,
    /// Found in the inbox: imported files are wiped from it.
    Inbox,
}

/// What became of one export file (or of a dropped path with none in it).
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// The file's or folder's name (not its path).
    pub file_name: String,
    pub outcome: ExportOutcome,
}

/// See [`ExportResult`].
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ExportOutcome {
    /// In the vault.
    #[serde(rename_all = "camelCase")]
    Imported {
        #[ts(type = "number")]
        conversation: i64,
        chat_name: String,
        new_conversation: bool,
        new_messages: u32,
        already: u32,
        /// Of those, stored before in another form (each kept once, the
        /// richer version shown, the other kept beside it).
        differed: DifferedDto,
        media_stored: u32,
        media_missing: u32,
        warnings: Vec<WarningDto>,
        /// What stayed in the inbox although imported, and why.
        left_behind: Vec<LeftBehind>,
    },
    /// The file is the problem; from the inbox it went to the quarantine.
    Refused { problem: ImportProblem },
    /// The machine is the problem (a full disk, a file that vanished);
    /// from the inbox it is tried again.
    Failed { problem: ImportProblem },
}

/// See [`kluis_core::import::Differed`].
#[derive(Clone, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DifferedDto {
    pub deleted_later: u32,
    pub restored: u32,
    pub edited: u32,
    pub captions: u32,
}

/// Why an export was not imported; `detail` is technical (an OS error,
/// the parser's or the zip reader's finding), shown beside the sentence.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImportProblem {
    Vanished,
    Unreadable {
        detail: String,
    },
    Symlink,
    NoExport,
    /// A device, a socket or a pipe.
    NotAFile,
    /// No line starts like a WhatsApp message.
    NoMessages,
    /// The message at `line` has a date that does not exist.
    #[serde(rename_all = "camelCase")]
    ImpossibleDate {
        #[ts(type = "number | null")]
        line: Option<usize>,
    },
    /// The message at `line` is longer than any WhatsApp writes.
    #[serde(rename_all = "camelCase")]
    MessageTooLong {
        #[ts(type = "number | null")]
        line: Option<usize>,
    },
    /// More messages in one second than any chat holds.
    TooManyInOneSecond,
    /// A chat text larger than any export.
    #[serde(rename_all = "camelCase")]
    ChatTooLarge {
        #[ts(type = "number")]
        limit_mib: u64,
    },
    /// What is in it cannot be listed (nested too deep, no permission).
    Unlistable {
        detail: String,
    },
    /// Damaged in a way the reader names.
    Damaged {
        detail: String,
    },
    ZipRefused {
        detail: String,
    },
    /// The vault locked before it was read; it is read after the unlock.
    Locked,
    /// Locked, or the demo: nothing was read.
    NotOpen,
    /// Only in the demo: there is no vault to keep it in.
    Demo,
    Vault {
        detail: String,
    },
    /// In a folder, but no chat in it refers to it.
    Stray,
    /// As the quarantine's note says it (a kind this version does not know).
    Noted {
        detail: String,
    },
    /// The quarantine holds no note from Kluis beside it.
    Unexplained,
}

impl From<&Reason> for ImportProblem {
    fn from(reason: &Reason) -> Self {
        let detail = || reason.text.clone();
        match reason.kind.as_str() {
            "vanished" => Self::Vanished,
            "unreadable" => Self::Unreadable { detail: detail() },
            "symlink" => Self::Symlink,
            "no-export" => Self::NoExport,
            "not-a-file" => Self::NotAFile,
            "no-messages" => Self::NoMessages,
            "impossible-date" => Self::ImpossibleDate { line: reason.line },
            "message-too-long" => Self::MessageTooLong { line: reason.line },
            "too-many-in-one-second" => Self::TooManyInOneSecond,
            "chat-too-large" => Self::ChatTooLarge { limit_mib: 512 },
            "unlistable" => Self::Unlistable { detail: detail() },
            "damaged" => Self::Damaged { detail: detail() },
            "zip-refused" => Self::ZipRefused { detail: detail() },
            "locked" => Self::Locked,
            "vault" => Self::Vault { detail: detail() },
            STRAY => Self::Stray,
            _ => Self::Noted { detail: detail() },
        }
    }
}

/// What of an imported entry stayed behind; `detail` is technical.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LeftBehind {
    /// It changed while it was imported: it is read again.
    Changed,
    /// It could not be removed from the inbox.
    NotRemoved { detail: String },
    /// A file of its folder went to the quarantine.
    SetAside {
        file: String,
        problem: ImportProblem,
    },
    /// A file of its folder could not be set aside either.
    NotSetAside { file: String, detail: String },
    /// Removed but not overwritten: another name (a hard link) keeps it.
    NotOverwritten { file: String },
}

impl From<&Remains> for LeftBehind {
    fn from(remains: &Remains) -> Self {
        match remains {
            Remains::Changed => Self::Changed,
            Remains::NotRemoved(e) => Self::NotRemoved {
                detail: e.to_string(),
            },
            Remains::SetAside { file, reason } => Self::SetAside {
                file: file.clone(),
                problem: reason.into(),
            },
            Remains::NotSetAside { file, error } => Self::NotSetAside {
                file: file.clone(),
                detail: error.to_string(),
            },
            Remains::NotOverwritten { file } => Self::NotOverwritten { file: file.clone() },
        }
    }
}

impl From<&ImportError> for ImportProblem {
    fn from(e: &ImportError) -> Self {
        match e {
            ImportError::Vanished => Self::Vanished,
            ImportError::Unreadable(e) => Self::Unreadable {
                detail: e.to_string(),
            },
            ImportError::Symlink => Self::Symlink,
            ImportError::NoExport => Self::NoExport,
            ImportError::Unlistable(e) => Self::Unlistable {
                detail: e.to_string(),
            },
            ImportError::NotAnExport(why) => match why {
                NotAnExport::NotAFile => Self::NotAFile,
                NotAnExport::NoMessages => Self::NoMessages,
                NotAnExport::ImpossibleDate { line } => Self::ImpossibleDate { line: Some(*line) },
                NotAnExport::MessageTooLong { line } => Self::MessageTooLong { line: Some(*line) },
                NotAnExport::TooManyInOneSecond => Self::TooManyInOneSecond,
                NotAnExport::ChatTooLarge { limit_mib } => Self::ChatTooLarge {
                    limit_mib: *limit_mib,
                },
                NotAnExport::Damaged(detail) => Self::Damaged {
                    detail: detail.clone(),
                },
            },
            ImportError::Refused(why) => Self::ZipRefused {
                detail: why.to_string(),
            },
            ImportError::Locked => Self::Locked,
            ImportError::Vault(e) => Self::Vault {
                detail: e.to_string(),
            },
        }
    }
}

/// A warning about an import, as a kind with its numbers.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WarningDto {
    #[serde(rename_all = "camelCase")]
    AmbiguousDates {
        read_as: DateOrderDto,
        could_be: DateOrderDto,
    },
    InvalidBytes {
        messages: u32,
    },
    Preamble {
        lines: u32,
    },
    PossiblyCut {
        messages: u32,
    },
    GapBefore,
    GapAfter,
    SameNameOtherParticipants,
}

/// How an export's dates were read.
#[derive(Clone, Copy, Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DateOrderDto {
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

impl From<DateOrder> for DateOrderDto {
    fn from(order: DateOrder) -> Self {
        match order {
            DateOrder::DayMonthYear => Self::DayMonthYear,
            DateOrder::MonthDayYear => Self::MonthDayYear,
            DateOrder::YearMonthDay => Self::YearMonthDay,
        }
    }
}

impl From<&Warning> for WarningDto {
    fn from(warning: &Warning) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        match warning {
            Warning::AmbiguousDates { read_as, could_be } => Self::AmbiguousDates {
                read_as: (*read_as).into(),
                could_be: (*could_be).into(),
            },
            Warning::InvalidBytes { messages } => Self::InvalidBytes {
                messages: count(*messages),
            },
            Warning::Preamble { lines } => Self::Preamble {
                lines: count(*lines),
            },
            Warning::PossiblyCut { messages } => Self::PossiblyCut {
                messages: count(*messages),
            },
            Warning::GapBefore => Self::GapBefore,
            Warning::GapAfter => Self::GapAfter,
            Warning::SameNameOtherParticipants => Self::SameNameOtherParticipants,
        }
    }
}

impl From<&ImportReport> for ExportOutcome {
    fn from(r: &ImportReport) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self::Imported {
            conversation: r.conversation.0,
            chat_name: r.chat_name.clone(),
            new_conversation: r.new_conversation,
            new_messages: count(r.new_messages),
            already: count(r.already),
            differed: DifferedDto {
                deleted_later: count(r.differed.deleted_later),
                restored: count(r.differed.restored),
                edited: count(r.differed.edited),
                captions: count(r.differed.captions),
            },
            media_stored: count(r.media_stored),
            media_missing: count(r.media_missing),
            warnings: r.warnings.iter().map(WarningDto::from).collect(),
            left_behind: Vec::new(),
        }
    }
}

impl From<&ImportError> for ExportOutcome {
    fn from(e: &ImportError) -> Self {
        let problem = e.into();
        if e.is_the_files_fault() {
            Self::Refused { problem }
        } else {
            Self::Failed { problem }
        }
    }
}

impl ExportResult {
    /// One export's outcome, named by the last part of its path.
    pub fn new(path: &Path, outcome: ExportOutcome) -> Self {
        Self {
            file_name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            outcome,
        }
    }

    /// What one inbox entry came to.
    pub fn from_inbox(outcome: &Outcome) -> Vec<Self> {
        match outcome {
            Outcome::Imported {
                entry,
                reports,
                left_behind,
            } => {
                let mut results: Vec<Self> = reports
                    .iter()
                    .map(|r| Self {
                        file_name: r.file_name.clone(),
                        outcome: r.into(),
                    })
                    .collect();
                if results.is_empty() {
                    results.push(Self::new(
                        entry,
                        ExportOutcome::Refused {
                            problem: ImportProblem::NoExport,
                        },
                    ));
                }
                if let Some(last) = results.last_mut()
                    && let ExportOutcome::Imported {
                        left_behind: kept, ..
                    } = &mut last.outcome
                {
                    *kept = left_behind.iter().map(LeftBehind::from).collect();
                }
                results
            }
            Outcome::Quarantined { entry, reason, .. } => vec![Self::new(
                entry,
                ExportOutcome::Refused {
                    problem: reason.into(),
                },
            )],
            Outcome::Failed { entry, error } => vec![Self::new(entry, error.into())],
        }
    }
}

/// What the closing procedure checks before the seal.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClosingOverview {
    /// Exports still in the inbox (waiting to settle, or failing).
    pub inbox_waiting: u32,
    /// Conversations still to do: new, or open.
    pub open_conversations: u32,
    /// Of those, the ones without a handover note.
    pub without_handover: Vec<ConversationRef>,
    /// Conversations with replies set out that no export showed yet.
    pub replies_not_seen: Vec<ConversationRef>,
    /// Replies wait but the municipality's account is not set: the admin
    /// must set `municipality.account` before an export can show one sent.
    pub account_missing: bool,
    /// Where the package goes (`archive.out`), if IT set it.
    pub target: Option<String>,
    /// The folder is there (the stick is in).
    pub target_ready: bool,
}

/// A conversation the closing names, a click away.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationRef {
    #[ts(type = "number")]
    pub id: i64,
    pub chat_name: String,
    /// How many (replies not seen); 0 where nothing is counted.
    pub count: u32,
}

/// A sealed day, for the paper log: no citizen data.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SealedDay {
    pub id: String,
    /// The first 8 hex digits of the bag digest, for the paper log.
    pub check: String,
    pub conversations: u32,
    pub messages: u32,
    pub files: u32,
}

/// The inbox and what lies in its quarantine.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxView {
    /// The folder watched.
    pub dir: String,
    /// Where refused files go.
    pub quarantine_dir: String,
    /// Oldest first.
    pub quarantined: Vec<QuarantinedFile>,
}

/// A file the inbox set aside.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuarantinedFile {
    pub name: String,
    /// Why, as the note beside it says.
    pub problem: ImportProblem,
}

/// Characters of the latest message shown in the list.
const PREVIEW_CHARS: usize = 80;

impl From<Sender> for SenderDto {
    fn from(sender: Sender) -> Self {
        match sender {
            Sender::Citizen => Self::Citizen,
            Sender::Municipality => Self::Municipality,
            Sender::System => Self::System,
        }
    }
}

impl ConversationHeader {
    fn of(
        id: kluis_core::ConversationId,
        chat_name: &kluis_core::Personal,
        state: CaseState,
        reference: &Option<String>,
        labels: &[String],
    ) -> Self {
        Self {
            id: id.0,
            chat_name: chat_name.expose().to_owned(),
            state: state.into(),
            reference: reference.clone(),
            labels: labels.to_vec(),
        }
    }
}

impl From<&Summary> for ConversationSummary {
    fn from(c: &Summary) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            header: ConversationHeader::of(c.id, &c.chat_name, c.state, &c.reference, &c.labels),
            last_activity: c.latest.as_ref().map(|m| m.at.into()),
            preview: c
                .latest
                .as_ref()
                .map(|m| preview(m.text.expose()))
                .unwrap_or_default(),
            message_count: count(c.message_count),
            waiting_since: c.waiting_since.map(Into::into),
            waiting_minutes: c
                .waiting_minutes
                .map(|m| u32::try_from(m).unwrap_or(u32::MAX)),
            unseen: count(c.unseen),
            handover: c.handover,
            pending_replies: count(c.pending_replies),
            to_do: c.state.is_open_work(),
        }
    }
}

impl From<&Conversation> for ConversationView {
    fn from(c: &Conversation) -> Self {
        Self {
            header: ConversationHeader::of(c.id, &c.chat_name, c.state, &c.reference, &c.labels),
            messages: c.messages.iter().map(MessageView::from).collect(),
            entries: c
                .entries
                .iter()
                .map(|e| EntryView {
                    id: e.id,
                    kind: e.kind.name().to_owned(),
                    at: e.at.into(),
                    operator: e.operator.clone(),
                    text: e.text.expose().to_owned(),
                    sent_at: e.sent_at.map(Into::into),
                    withdrawn: e.withdrawn,
                })
                .collect(),
            handover: c.handover.as_ref().map(HandoverView::from),
        }
    }
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        Self {
            id: m.id,
            at: m.at.into(),
            sender: m.sender.into(),
            author: m.author.as_ref().map(|a| a.expose().to_owned()),
            text: m.text.expose().to_owned(),
            media: m.media.as_ref().map(|f| MediaView {
                id: f.id,
                file_name: f.file_name.expose().to_owned(),
                kind: match f.kind {
                    MediaKind::Image => MediaKindDto::Image,
                    MediaKind::Sticker => MediaKindDto::Sticker,
                    MediaKind::Audio => MediaKindDto::Audio,
                    MediaKind::Video => MediaKindDto::Video,
                    MediaKind::Document => MediaKindDto::Document,
                },
                mime: f.mime.to_owned(),
                size: f.size,
                present: f.present,
            }),
            deleted: m.deleted,
            edited: m.edited,
            versions: m
                .versions
                .iter()
                .map(|v| VersionView {
                    why: match v.why {
                        VersionKind::DeletedLater => VersionWhy::DeletedLater,
                        VersionKind::BeforeEdit => VersionWhy::BeforeEdit,
                    },
                    text: v.text.expose().to_owned(),
                    noted: v.noted.into(),
                })
                .collect(),
            gap_before: m.gap_before,
            source: m.source.as_ref().map(|s| s.expose().to_owned()),
        }
    }
}

/// The first line, cut to [`PREVIEW_CHARS`] characters with an ellipsis.
fn preview(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    let mut chars = first_line.chars();
    let mut out: String = chars.by_ref().take(PREVIEW_CHARS).collect();
    if chars.next().is_some() || text.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::preview;

    #[test]
    fn preview_cuts_at_characters_not_bytes() {
        assert_eq!(preview("kort"), "kort");
        assert_eq!(preview("regel een\nregel twee"), "regel een…");
        let long = "é".repeat(100);
        assert_eq!(preview(&long), format!("{}…", "é".repeat(80)));
        assert_eq!(preview(""), "");
    }
}
