//! What the webview sees: serializable counterparts of the domain types.
//!
//! Only this crate serializes (the domain crates have no serde). The
//! TypeScript declarations in `ui/src/lib/bindings.ts` are generated from
//! these types by `tests/bindings.rs`.

use kluis_core::{CaseStatus, Conversation, Message, Sender};
use serde::Serialize;
use ts_rs::TS;

use crate::state::{AppState, DataSource};

/// About the running app, for the title bar.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// Whether the console shows demo data or a vault.
    pub data_source: DataSourceDto,
    /// The business account's name as it appears in the conversations.
    pub municipality: String,
}

/// See [`DataSource`].
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DataSourceDto {
    /// Generated, fictional data.
    Demo,
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

/// Characters of the latest message shown in the list.
const PREVIEW_CHARS: usize = 80;

impl AppInfo {
    /// From the state.
    pub fn new(state: &AppState) -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_source: match state.source {
                DataSource::Demo => DataSourceDto::Demo,
            },
            municipality: kluis_core::demo::MUNICIPALITY.to_owned(),
        }
    }
}

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

impl From<&Conversation> for ConversationHeader {
    fn from(c: &Conversation) -> Self {
        Self {
            id: c.id.0,
            chat_name: c.chat_name.expose().to_owned(),
            status: c.status.into(),
            reference: c.reference.clone(),
            labels: c.labels.clone(),
        }
    }
}

impl From<&Conversation> for ConversationSummary {
    fn from(c: &Conversation) -> Self {
        let latest = c.messages.iter().max_by_key(|m| m.at);
        Self {
            header: c.into(),
            last_activity: latest.map(|m| m.at.to_string()),
            preview: latest.map(|m| preview(m.text.expose())).unwrap_or_default(),
            message_count: u32::try_from(c.messages.len()).unwrap_or(u32::MAX),
        }
    }
}

impl From<&Conversation> for ConversationView {
    fn from(c: &Conversation) -> Self {
        Self {
            header: c.into(),
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
