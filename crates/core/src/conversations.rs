//! Conversations with citizens and the case data the operator keeps on them.
//!
//! A vault's are read by [`crate::console`] into these types (the demo is
//! a vault too).

use crate::personal::Personal;
use crate::time::LocalDateTime;

pub use kluis_vault::store::CaseStatus;
/// Identifies a conversation within one vault: the store's row id, the
/// one id from the store to the window.
pub use kluis_vault::store::ConversationId;

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
    /// Local time as written in the export.
    pub at: LocalDateTime,
    /// Who wrote it.
    pub sender: Sender,
    /// The author's name or number as shown in the export; `None` for WhatsApp's notices.
    pub author: Option<Personal>,
    /// The text, continuation lines joined with `\n`.
    pub text: Personal,
}

/// One WhatsApp chat with a citizen, and the case data kept on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    /// Stable within the vault.
    pub id: ConversationId,
    /// The chat's name as WhatsApp exported it: usually the citizen's name or number.
    pub chat_name: Personal,
    /// Where the case stands.
    pub status: CaseStatus,
    /// The municipality's case reference, when one was registered.
    pub reference: Option<String>,
    /// Case type labels ("afval", "paspoort", ...).
    pub labels: Vec<String>,
    /// In export order, which is not always chronological.
    pub messages: Vec<Message>,
}

/// What the conversation list shows of a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: ConversationId,
    pub chat_name: Personal,
    pub status: CaseStatus,
    pub reference: Option<String>,
    pub labels: Vec<String>,
    /// The latest message, if there is one.
    pub latest: Option<Message>,
    pub message_count: usize,
}

impl Conversation {
    /// The time of the latest message, which orders the conversation list.
    pub fn last_activity(&self) -> Option<LocalDateTime> {
        self.messages.iter().map(|m| m.at).max()
    }

    /// Its line in the conversation list.
    pub fn summary(&self) -> Summary {
        Summary {
            id: self.id,
            chat_name: self.chat_name.clone(),
            status: self.status,
            reference: self.reference.clone(),
            labels: self.labels.clone(),
            latest: self.messages.iter().max_by_key(|m| m.at).cloned(),
            message_count: self.messages.len(),
        }
    }
}
