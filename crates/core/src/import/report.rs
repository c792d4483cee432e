//! What one import did, for the employee (on screen) and the audit log.

use std::fmt;
use std::path::PathBuf;

use kluis_vault::store::{ConversationId, OriginalId};
use whatsapp_export::{DateOrder, Export};

/// The outcome of importing one export file into one conversation.
#[derive(Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The export's file name (citizen data: it carries the chat's name).
    pub file_name: String,
    /// The chat's name (citizen data).
    pub chat_name: String,
    pub conversation: ConversationId,
    /// The kept original file.
    pub original: OriginalId,
    /// The conversation was created by this import.
    pub new_conversation: bool,
    /// Messages added.
    pub new_messages: usize,
    /// Messages of the export that were stored before.
    pub already: usize,
    /// Of those, the ones this export shows otherwise.
    pub differed: Differed,
    /// Files kept (new messages' files, and files a re-export supplied).
    pub media_stored: usize,
    /// Files the new messages name that the export does not hold: marked
    /// missing.
    pub media_missing: usize,
    pub warnings: Vec<Warning>,
    /// What the new messages did to the case: reopened it, replies seen.
    pub case: crate::cases::Arrivals,
    /// Every file name the export's messages refer to (citizen data).
    pub media_names: Vec<String>,
    /// The export file as it was read: its path, size and SHA-256, so the
    /// inbox wipes only those very bytes.
    pub source: (PathBuf, u64, [u8; 32]),
}

/// Messages an export holds that were stored before in another form: each
/// kept once, its richer version shown and the other kept beside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Differed {
    /// Deleted by the citizen since the stored export; the text is kept.
    pub deleted_later: usize,
    /// Stored as deleted; this older export brought the text back.
    pub restored: usize,
    /// Edited: the new text shown, the earlier kept (either import order).
    pub edited: usize,
    /// A photo's caption the stored version lacked.
    pub captions: usize,
}

impl Differed {
    pub(super) fn count(&mut self, difference: super::Difference) {
        use super::Difference::*;
        match difference {
            None => {}
            DeletedLater => self.deleted_later += 1,
            TextRestored => self.restored += 1,
            Edited | EarlierText => self.edited += 1,
            CaptionAdded => self.captions += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.deleted_later + self.restored + self.edited + self.captions
    }
}

impl fmt::Display for Differed {
    /// `1 deleted by the citizen since, 2 edited`: only what happened.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            (
                self.deleted_later,
                "deleted by the citizen since (text kept)",
            ),
            (self.restored, "whose deleted text this export still had"),
            (self.edited, "edited (earlier text kept)"),
            (self.captions, "with a caption added"),
        ];
        let said: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        f.write_str(&said.join(", "))
    }
}

/// Something the employee should look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The dates read one way could also be read another.
    AmbiguousDates {
        read_as: DateOrder,
        could_be: DateOrder,
    },
    /// Some messages held bytes that are not text; they show as �.
    InvalidBytes { messages: usize },
    /// Lines before the first message, kept only in the original file.
    Preamble { lines: usize },
    /// Exactly WhatsApp's cap: older messages were probably left out.
    PossiblyCut { messages: usize },
    /// The export does not meet the stored messages; it is newer: messages
    /// may be missing just before it.
    GapBefore,
    /// The export does not meet the stored messages; it is older: messages
    /// may be missing just after it.
    GapAfter,
    /// A conversation with this name but other participants exists; this
    /// one is kept apart (the employee can merge them).
    SameNameOtherParticipants,
}

/// WhatsApp exports at most this many messages (with media, without).
const CAPS: [usize; 2] = [10_000, 40_000];

impl ImportReport {
    pub(super) fn new(
        file_name: &str,
        chat_name: &str,
        export: &Export,
        source: (PathBuf, u64, [u8; 32]),
    ) -> Self {
        let mut warnings = Vec::new();
        if let Some(could_be) = export.ambiguous_with {
            warnings.push(Warning::AmbiguousDates {
                read_as: export.date_order,
                could_be,
            });
        }
        let invalid = export.messages.iter().filter(|m| m.invalid_utf8).count();
        if invalid > 0 {
            warnings.push(Warning::InvalidBytes { messages: invalid });
        }
        if export.preamble_lines > 0 {
            warnings.push(Warning::Preamble {
                lines: export.preamble_lines,
            });
        }
        if CAPS.contains(&export.messages.len()) {
            warnings.push(Warning::PossiblyCut {
                messages: export.messages.len(),
            });
        }
        Self {
            file_name: file_name.to_owned(),
            chat_name: chat_name.to_owned(),
            conversation: ConversationId(0),
            original: OriginalId(0),
            new_conversation: false,
            new_messages: 0,
            already: 0,
            differed: Differed::default(),
            media_stored: 0,
            media_missing: 0,
            warnings,
            case: crate::cases::Arrivals::default(),
            media_names: export
                .messages
                .iter()
                .filter_map(|m| m.attachment.as_deref().map(str::to_owned))
                .collect(),
            source,
        }
    }

    /// The audit entry's detail: counts and warnings, no citizen data.
    pub fn audit_detail(&self) -> String {
        let mut detail = format!(
            "original {}: {} new, {} already present, {} files stored, {} files missing",
            self.original.0, self.new_messages, self.already, self.media_stored, self.media_missing
        );
        if self.differed.total() > 0 {
            detail.push_str(&format!("; of those present, {}", self.differed));
        }
        if self.new_conversation {
            detail.push_str("; new conversation");
        }
        for warning in &self.warnings {
            detail.push_str("; ");
            detail.push_str(&warning.to_string());
        }
        detail
    }
}

impl fmt::Debug for ImportReport {
    // Without file and chat name: they name a citizen.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportReport")
            .field("conversation", &self.conversation)
            .field("original", &self.original)
            .field("new_conversation", &self.new_conversation)
            .field("new_messages", &self.new_messages)
            .field("already", &self.already)
            .field("differed", &self.differed)
            .field("media_stored", &self.media_stored)
            .field("media_missing", &self.media_missing)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

fn order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayMonthYear => "day-month-year",
        DateOrder::MonthDayYear => "month-day-year",
        DateOrder::YearMonthDay => "year-month-day",
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AmbiguousDates { read_as, could_be } => write!(
                f,
                "dates were read as {}, but could also be {}: check a few dates",
                order_name(*read_as),
                order_name(*could_be)
            ),
            Self::InvalidBytes { messages } => write!(
                f,
                "{messages} messages held characters that could not be read; they show as \u{fffd}"
            ),
            Self::Preamble { lines } => write!(
                f,
                "{lines} lines before the first message are kept only in the original file"
            ),
            Self::PossiblyCut { messages } => write!(
                f,
                "the export holds exactly {messages} messages, WhatsApp's limit: older messages \
                 were probably left out"
            ),
            Self::GapBefore => write!(
                f,
                "this export does not overlap the stored messages: messages may be missing \
                 before it"
            ),
            Self::GapAfter => write!(
                f,
                "this export does not overlap the stored messages: messages may be missing \
                 after it"
            ),
            Self::SameNameOtherParticipants => write!(
                f,
                "a conversation with this name but other participants exists; kept apart (merge \
                 them if they are one)"
            ),
        }
    }
}
