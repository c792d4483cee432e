//! What the webview sees: serializable counterparts of the domain types.
//!
//! Only this crate serializes (the domain crates have no serde). The
//! TypeScript declarations in `ui/src/lib/bindings.ts` are generated from
//! these types by `tests/bindings.rs`.

use std::path::Path;

use kluis_core::desk::SlotOwner;
use kluis_core::import::inbox::Outcome;
use kluis_core::import::{DateOrder, ImportError, ImportReport, Warning};
use kluis_core::{CaseStatus, Conversation, Message, Sender, Summary};
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
        /// Today is closed (`YYYY-MM-DD`): nobody unlocks until tomorrow.
        day_closed: Option<String>,
    },
    /// Unlocked by `who`; `closing_at` (`HH:MM`) once the warning before
    /// closing time was given.
    #[serde(rename_all = "camelCase")]
    Open {
        who: UnlockAs,
        closing_at: Option<String>,
    },
    /// A vault is there but cannot be used, for this reason.
    Unavailable { reason: String },
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

/// See [`CaseStatus`].
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CaseStatusDto {
    /// The municipality owes an answer.
    Open,
    /// Waiting for the citizen.
    WaitingOnCitizen,
    /// Done.
    Resolved,
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
    pub id: u32,
    /// The chat's name.
    pub chat_name: String,
    /// Where the case stands.
    pub status: CaseStatusDto,
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
    /// `YYYY-MM-DDTHH:MM:SS` of the latest message.
    pub last_activity: Option<String>,
    /// The start of the latest message's text.
    pub preview: String,
    /// How many messages the conversation has.
    pub message_count: u32,
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
}

/// One message in the reading pane.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    /// `YYYY-MM-DDTHH:MM:SS`, local time as written in the export.
    pub at: String,
    /// Who wrote it.
    pub sender: SenderDto,
    /// The author as shown in the export.
    pub author: Option<String>,
    /// The text.
    pub text: String,
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
    /// The inbox cannot be watched; nothing in it is imported until fixed.
    InboxProblem { message: String },
    /// The lock closed the vault (`why`, in Dutch): the page forgets every
    /// citizen's data and shows the lock screen.
    Locked { why: String },
    /// Closing time comes at `closing_at` (`HH:MM`).
    #[serde(rename_all = "camelCase")]
    ClosingSoon { closing_at: String },
    /// The laptop's clock was set back; Kluis's time runs on regardless.
    ClockSetBack { minutes: i64 },
    /// The lock changed state by itself while locked (the day closed, a
    /// new day began): the lock screen should ask again what it may offer.
    LockScreenChanged,
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
        conversation: u32,
        chat_name: String,
        new_conversation: bool,
        new_messages: u32,
        already: u32,
        media_stored: u32,
        media_missing: u32,
        /// Plain Dutch, one sentence each.
        warnings: Vec<String>,
        /// What stayed in the inbox although imported (it could not be
        /// removed), and why.
        left_behind: Option<String>,
    },
    /// The file is the problem; from the inbox it went to the quarantine.
    Refused { reason: String },
    /// The machine is the problem (a full disk, a file that vanished);
    /// from the inbox it is tried again.
    Failed { reason: String },
}

impl From<&ImportReport> for ExportOutcome {
    fn from(r: &ImportReport) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self::Imported {
            conversation: u32::try_from(r.conversation.0).unwrap_or(u32::MAX),
            chat_name: r.chat_name.clone(),
            new_conversation: r.new_conversation,
            new_messages: count(r.new_messages),
            already: count(r.already),
            media_stored: count(r.media_stored),
            media_missing: count(r.media_missing),
            warnings: r.warnings.iter().map(warning_text).collect(),
            left_behind: None,
        }
    }
}

impl From<&ImportError> for ExportOutcome {
    fn from(e: &ImportError) -> Self {
        let reason = error_text(e);
        if e.is_the_files_fault() {
            Self::Refused { reason }
        } else {
            Self::Failed { reason }
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
                            reason: error_text(&ImportError::NoExport),
                        },
                    ));
                }
                if let (Some(note), Some(last)) = (left_behind, results.last_mut())
                    && let ExportOutcome::Imported { left_behind, .. } = &mut last.outcome
                {
                    *left_behind = Some(note.clone());
                }
                results
            }
            Outcome::Quarantined { entry, reason, .. } => vec![Self::new(
                entry,
                ExportOutcome::Refused {
                    reason: reason.clone(),
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
    /// Conversations whose case is open (or that have none yet).
    pub open_conversations: u32,
    /// Where the package goes (`archive.out`), if IT set it.
    pub target: Option<String>,
    /// The folder is there (the stick is in).
    pub target_ready: bool,
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
    /// As written beside it.
    pub reason: String,
}

fn order_text(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayMonthYear => "dag-maand-jaar",
        DateOrder::MonthDayYear => "maand-dag-jaar",
        DateOrder::YearMonthDay => "jaar-maand-dag",
    }
}

/// A warning as the employee reads it.
pub fn warning_text(warning: &Warning) -> String {
    match warning {
        Warning::AmbiguousDates { read_as, could_be } => format!(
            "De datums zijn gelezen als {}, maar kunnen ook {} zijn: controleer een paar datums.",
            order_text(*read_as),
            order_text(*could_be)
        ),
        Warning::InvalidBytes { messages } => format!(
            "{messages} berichten bevatten tekens die niet te lezen waren; die staan er als \u{fffd}."
        ),
        Warning::Preamble { lines } => {
            format!("{lines} regels vóór het eerste bericht staan alleen in het originele bestand.")
        }
        Warning::PossiblyCut { messages } => format!(
            "De export heeft precies {messages} berichten, de grens van WhatsApp: oudere \
             berichten ontbreken waarschijnlijk."
        ),
        Warning::GapBefore => "Deze export sluit niet aan op wat er al was: er kunnen \
                               berichten ervóór ontbreken."
            .into(),
        Warning::GapAfter => "Deze export sluit niet aan op wat er al was: er kunnen \
                              berichten erna ontbreken."
            .into(),
        Warning::SameNameOtherParticipants => "Er is al een gesprek met deze naam maar met \
                                               andere deelnemers; dit gesprek staat apart."
            .into(),
    }
}

/// Why an export was not imported, as the employee reads it.
pub fn error_text(error: &ImportError) -> String {
    match error {
        ImportError::Vanished => "Het bestand verdween terwijl Kluis het las.".into(),
        ImportError::Unreadable(e) => format!("Het bestand kon niet worden gelezen ({e})."),
        ImportError::Symlink => {
            "Dit is een snelkoppeling; Kluis neemt alleen het exportbestand zelf.".into()
        }
        ImportError::NoExport => "Hierin staat geen WhatsApp-export (geen .txt of .zip).".into(),
        ImportError::NotAnExport(why) => format!("Dit is geen WhatsApp-export ({why})."),
        ImportError::Refused(why) => format!("Het zip-bestand is geweigerd ({why})."),
        ImportError::Locked => {
            "De kluis werd vergrendeld voordat dit bestand aan de beurt was; het wordt na het ontgrendelen ingelezen.".into()
        }
        ImportError::Vault(e) => format!("De kluis kon het niet opslaan ({e})."),
    }
}

/// Characters of the latest message shown in the list.
const PREVIEW_CHARS: usize = 80;

impl From<CaseStatus> for CaseStatusDto {
    fn from(status: CaseStatus) -> Self {
        match status {
            CaseStatus::Open => Self::Open,
            CaseStatus::WaitingOnCitizen => Self::WaitingOnCitizen,
            CaseStatus::Resolved => Self::Resolved,
        }
    }
}

impl From<Sender> for SenderDto {
    fn from(sender: Sender) -> Self {
        match sender {
            Sender::Citizen => Self::Citizen,
            Sender::Municipality => Self::Municipality,
            Sender::System => Self::System,
        }
    }
}

impl From<&Summary> for ConversationHeader {
    fn from(c: &Summary) -> Self {
        Self {
            id: c.id.0,
            chat_name: c.chat_name.expose().to_owned(),
            status: c.status.into(),
            reference: c.reference.clone(),
            labels: c.labels.clone(),
        }
    }
}

impl From<&Summary> for ConversationSummary {
    fn from(c: &Summary) -> Self {
        Self {
            header: c.into(),
            last_activity: c.latest.as_ref().map(|m| m.at.to_string()),
            preview: c
                .latest
                .as_ref()
                .map(|m| preview(m.text.expose()))
                .unwrap_or_default(),
            message_count: u32::try_from(c.message_count).unwrap_or(u32::MAX),
        }
    }
}

impl From<&Conversation> for ConversationView {
    fn from(c: &Conversation) -> Self {
        Self {
            header: (&c.summary()).into(),
            messages: c.messages.iter().map(MessageView::from).collect(),
        }
    }
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        Self {
            at: m.at.to_string(),
            sender: m.sender.into(),
            author: m.author.as_ref().map(|a| a.expose().to_owned()),
            text: m.text.expose().to_owned(),
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
