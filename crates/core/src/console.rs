//! The console's read side over a vault: the conversation list and one
//! conversation, as the same domain types the demo console uses.
//!
//! The rules that turn stored rows into what the operator reads live here:
//! who wrote a message (citizen, municipality, WhatsApp), how a file or a
//! deleted message reads, and how the search box matches while typing.

use std::collections::HashSet;

use kluis_vault::LocalTime;
use kluis_vault::store::{
    self, CaseStatus as StoredStatus, MessageKind, SearchQuery, Store, StoreError, StoredMessage,
};

use crate::conversations::{CaseStatus, Conversation, ConversationId, Message, Sender, Summary};
use crate::personal::Personal;
use crate::time::{LocalDate, LocalDateTime};

/// At most this many matching messages are read to find conversations; the
/// newest come first, so what is cut off is old.
const SEARCH_HITS: usize = 5_000;

/// The conversations, most recently active first; with a `query`, only those
/// whose name, case reference or labels contain it (ignoring case), or with
/// a message that has all its words (the last one also as a beginning, since
/// the operator may still be typing it).
pub fn list(store: &Store, query: &str) -> Result<Vec<Summary>, StoreError> {
    let needle = query.trim().to_lowercase();
    let in_messages: HashSet<store::ConversationId> = if needle.is_empty() {
        HashSet::new()
    } else {
        match SearchQuery::parse(&as_you_type(query)) {
            Ok(words) => store
                .search(&words, SEARCH_HITS)?
                .into_iter()
                .map(|hit| hit.conversation)
                .collect(),
            // Nothing to look for in the texts (only signs, say): names only.
            Err(_) => HashSet::new(),
        }
    };
    let mut found = Vec::new();
    for row in store.conversations()? {
        let Ok(id) = u32::try_from(row.id.0) else {
            continue; // beyond what the console numbers; never in practice
        };
        let (status, reference, labels) = case_data(store, row.id)?;
        let chat_name = Personal::new(row.chat_name);
        let matches = needle.is_empty()
            || in_messages.contains(&row.id)
            || chat_name.contains_ignoring_case(&needle)
            || reference
                .as_deref()
                .is_some_and(|r| r.to_lowercase().contains(&needle))
            || labels.iter().any(|l| l.to_lowercase().contains(&needle));
        if !matches {
            continue;
        }
        let latest = match row.last {
            Some(last) => store
                .message(last)?
                .map(|m| message(&m, chat_name.expose())),
            None => None,
        };
        found.push(Summary {
            id: ConversationId(id),
            chat_name,
            status,
            reference,
            labels,
            latest,
            message_count: usize::try_from(row.messages).unwrap_or(0),
        });
    }
    Ok(found)
}

/// One conversation with all its messages in their stored order; `None` if
/// there is no such conversation.
pub fn open(store: &Store, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
    let stored_id = store::ConversationId(i64::from(id.0));
    let Some(name) = store.chat_name(stored_id)? else {
        return Ok(None);
    };
    let (status, reference, labels) = case_data(store, stored_id)?;
    let messages = store
        .messages(stored_id, i64::MIN, usize::MAX)?
        .iter()
        .map(|m| message(m, &name))
        .collect();
    Ok(Some(Conversation {
        id,
        chat_name: Personal::new(name),
        status,
        reference,
        labels,
        messages,
    }))
}

/// A conversation without a case is open: nobody has answered it yet.
fn case_data(
    store: &Store,
    conversation: store::ConversationId,
) -> Result<(CaseStatus, Option<String>, Vec<String>), StoreError> {
    let case = match store.case_of(conversation)? {
        Some(id) => store.case(id)?,
        None => None,
    };
    Ok(match case {
        Some(case) => (
            match case.status {
                StoredStatus::Open => CaseStatus::Open,
                StoredStatus::Waiting => CaseStatus::WaitingOnCitizen,
                StoredStatus::Closed => CaseStatus::Resolved,
            },
            case.reference,
            case.labels,
        ),
        None => (CaseStatus::Open, None, Vec::new()),
    })
}

fn message(stored: &StoredMessage, chat_name: &str) -> Message {
    let text = match (&stored.attachment, stored.text.is_empty()) {
        (Some(file), true) => format!("📎 {file}"),
        (Some(file), false) => format!("📎 {file}\n{}", stored.text),
        (None, _) => stored.text.clone(),
    };
    Message {
        at: local_date_time(stored.id.time()),
        sender: sender(stored.kind, stored.author.as_deref(), chat_name),
        author: stored.author.as_deref().map(Personal::new),
        text: Personal::new(text),
    }
}

/// The chat is exported from the municipality's phone and named after the
/// other party, so an author with the chat's name is the citizen and any
/// other author is the municipality's own account.
fn sender(kind: MessageKind, author: Option<&str>, chat_name: &str) -> Sender {
    match author {
        _ if kind == MessageKind::System => Sender::System,
        None => Sender::System,
        Some(author) if author == chat_name => Sender::Citizen,
        Some(_) => Sender::Municipality,
    }
}

fn local_date_time(time: LocalTime) -> LocalDateTime {
    let (year, month, day, hour, minute, second) = time.parts();
    LocalDate::new(year, month, day)
        .and_then(|date| date.at(hour, minute, second))
        // The store only holds times the parser read as valid dates.
        .unwrap_or_else(|| LocalDate::from_unix_days(0).at(0, 0, 0).expect("midnight"))
}

/// The last word also as a beginning (`gemee` finds `gemeente`), unless it
/// is already one, is in a quoted phrase, or the operator typed a space.
fn as_you_type(query: &str) -> String {
    let trimmed = query.trim_start();
    let open_quote = trimmed.matches('"').count() % 2 == 1;
    let done = trimmed.ends_with(|c: char| c.is_whitespace() || c == '"' || c == '*');
    let last_letters = trimmed
        .rsplit(|c: char| c.is_whitespace() || c == '"')
        .next()
        .map_or(0, |w| w.chars().filter(|c| c.is_alphanumeric()).count());
    if open_quote || done || last_letters < 2 {
        trimmed.to_owned()
    } else {
        format!("{trimmed}*")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_you_type_boundaries() {
        let check = |typed: &str, expect: &str| assert_eq!(as_you_type(typed), expect, "{typed:?}");
        check("gemee", "gemee*");
        check("lantaarn paal", "lantaarn paal*");
        check("paal ", "paal ");
        check("gem*", "gem*");
        check("\"de paal\"", "\"de paal\"");
        check("\"de pa", "\"de pa");
        check("a", "a");
        check("06-1", "06-1*");
    }

    #[test]
    fn sender_boundaries() {
        let check = |kind, author, expect| assert_eq!(sender(kind, author, "Eva"), expect);
        check(MessageKind::Text, Some("Eva"), Sender::Citizen);
        check(
            MessageKind::Media,
            Some("Gemeente Voorbeeld"),
            Sender::Municipality,
        );
        check(MessageKind::Deleted, Some("Eva"), Sender::Citizen);
        check(MessageKind::System, Some("Eva"), Sender::System);
        check(MessageKind::Text, None, Sender::System);
    }
}
