//! Conversations with citizens and the case data the operator keeps on them.
//!
//! The demo holds them in memory; a vault's are read by [`crate::console`]
//! into the same types, so the console shows both alike.

use crate::personal::Personal;
use crate::time::LocalDateTime;

/// Identifies a conversation within one vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConversationId(pub u32);

/// Where a case stands, from the operator's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// The municipality owes the citizen an answer or an action.
    Open,
    /// The municipality asked something and waits for the citizen.
    WaitingOnCitizen,
    /// Nothing more to do.
    Resolved,
}

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

    fn matches(&self, needle_lowercase: &str) -> bool {
        self.chat_name.contains_ignoring_case(needle_lowercase)
            || self
                .reference
                .as_deref()
                .is_some_and(|r| r.to_lowercase().contains(needle_lowercase))
            || self
                .labels
                .iter()
                .any(|l| l.to_lowercase().contains(needle_lowercase))
            || self.messages.iter().any(|m| {
                m.text.contains_ignoring_case(needle_lowercase)
                    || m.author
                        .as_ref()
                        .is_some_and(|a| a.contains_ignoring_case(needle_lowercase))
            })
    }
}

/// The conversations of one vault, most recently active first.
#[derive(Clone, Debug, Default)]
pub struct Conversations {
    by_recency: Vec<Conversation>,
}

impl Conversations {
    /// Takes the conversations in any order.
    pub fn new(mut conversations: Vec<Conversation>) -> Self {
        conversations.sort_by(|a, b| {
            b.last_activity()
                .cmp(&a.last_activity())
                .then(a.id.cmp(&b.id))
        });
        Self {
            by_recency: conversations,
        }
    }

    /// All conversations, most recently active first.
    pub fn all(&self) -> &[Conversation] {
        &self.by_recency
    }

    /// One conversation.
    pub fn get(&self, id: ConversationId) -> Option<&Conversation> {
        self.by_recency.iter().find(|c| c.id == id)
    }

    /// The conversations whose name, reference, labels, authors or messages
    /// contain `query`, ignoring case and surrounding blanks; all of them for
    /// an empty query. Most recently active first.
    pub fn search(&self, query: &str) -> Vec<&Conversation> {
        let needle = query.trim().to_lowercase();
        self.by_recency
            .iter()
            .filter(|c| needle.is_empty() || c.matches(&needle))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::LocalDate;

    fn conversation(id: u32, name: &str, day: u8, texts: &[&str]) -> Conversation {
        let date = LocalDate::new(2026, 11, day).unwrap();
        Conversation {
            id: ConversationId(id),
            chat_name: name.into(),
            status: CaseStatus::Open,
            reference: (id == 2).then(|| "M2026-000042".to_owned()),
            labels: vec!["afval".to_owned()],
            messages: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Message {
                    at: date.at(9, i as u8, 0).unwrap(),
                    sender: Sender::Citizen,
                    author: Some(name.into()),
                    text: (*t).into(),
                })
                .collect(),
        }
    }

    fn sample() -> Conversations {
        Conversations::new(vec![
            conversation(1, "Anna Voorbeeld", 20, &["De lantaarnpaal is kapot"]),
            conversation(2, "Bram Testman", 22, &["Mijn container is niet geleegd"]),
            conversation(
                3,
                "+31 6 0000 0003",
                21,
                &["Wanneer is het gemeentehuis open?"],
            ),
        ])
    }

    fn check(query: &str, expect: &[u32]) {
        let found: Vec<u32> = sample().search(query).iter().map(|c| c.id.0).collect();
        assert_eq!(found, expect, "query {query:?}");
    }

    #[test]
    fn search_boundaries() {
        check("", &[2, 3, 1]);
        check("   ", &[2, 3, 1]);
        check("LANTAARN", &[1]);
        check("  container ", &[2]);
        check("m2026-000042", &[2]);
        check("0000 0003", &[3]);
        check("bram", &[2]);
        check("afval", &[2, 3, 1]);
        check("zwembad", &[]);
    }

    #[test]
    fn most_recent_first_and_empty_conversations_last() {
        let mut list = sample().all().to_vec();
        list.push(conversation(9, "Leeg", 1, &[]));
        let ids: Vec<u32> = Conversations::new(list)
            .all()
            .iter()
            .map(|c| c.id.0)
            .collect();
        assert_eq!(ids, [2, 3, 1, 9]);
    }
}
