//! The console's read side over a vault: the conversation list and one
//! conversation, as the same domain types the demo console uses.
//!
//! The rules that turn stored rows into what the operator reads live here:
//! who wrote a message (citizen, municipality, WhatsApp), how a file or a
//! deleted message reads, and how the search box matches while typing.

use std::collections::HashSet;

use kluis_vault::LocalTime;
use kluis_vault::store::{self, MessageKind, SearchQuery, Store, StoreError, StoredMessage};

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
                .map(|m| message(&m, &Sides::unknown(chat_name.expose()))),
            None => None,
        };
        found.push(Summary {
            id: row.id,
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
    let stored_id = id;
    let Some(name) = store.chat_name(stored_id)? else {
        return Ok(None);
    };
    let (status, reference, labels) = case_data(store, stored_id)?;
    let stored = store.messages(stored_id, i64::MIN, usize::MAX)?;
    let account = store.setting(ACCOUNT_SETTING)?;
    let sides = Sides::of(&stored, &name, account.as_deref());
    let messages = stored.iter().map(|m| message(m, &sides)).collect();
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
        Some(case) => (case.status, case.reference, case.labels),
        None => (CaseStatus::Open, None, Vec::new()),
    })
}

/// The vault setting with the municipality's own name as its exports show
/// it (the business account's profile name), set by IT.
pub const ACCOUNT_SETTING: &str = "municipality.account";

/// Who is who in one chat. It is exported from the municipality's phone and
/// named after the other party, so the author with the chat's name is the
/// citizen. The municipality is the author with the account's name, or in a
/// chat of two, the other one. In a group nobody else can be told apart:
/// all of them show as the citizen's side, with their names.
pub(crate) struct Sides<'a> {
    chat_name: &'a str,
    municipality: Option<&'a str>,
}

impl<'a> Sides<'a> {
    pub(crate) fn of(
        messages: &'a [StoredMessage],
        chat_name: &'a str,
        account: Option<&'a str>,
    ) -> Self {
        let authors: HashSet<&str> = messages
            .iter()
            .filter(|m| m.kind != MessageKind::System)
            .filter_map(|m| m.author.as_deref())
            .collect();
        let municipality = match account {
            Some(account) if authors.contains(account) => Some(account),
            _ if authors.len() == 2 && authors.contains(chat_name) => {
                authors.into_iter().find(|a| *a != chat_name)
            }
            _ => None,
        };
        Self {
            chat_name,
            municipality,
        }
    }

    /// For a message shown without its conversation (the list's preview).
    fn unknown(chat_name: &'a str) -> Self {
        Self {
            chat_name,
            municipality: None,
        }
    }

    pub(crate) fn sender(&self, kind: MessageKind, author: Option<&str>) -> Sender {
        match author {
            _ if kind == MessageKind::System => Sender::System,
            None => Sender::System,
            Some(author) if Some(author) == self.municipality && author != self.chat_name => {
                Sender::Municipality
            }
            Some(_) => Sender::Citizen,
        }
    }
}

fn message(stored: &StoredMessage, sides: &Sides<'_>) -> Message {
    let text = match (&stored.attachment, stored.text.is_empty()) {
        (Some(file), true) => format!("📎 {file}"),
        (Some(file), false) => format!("📎 {file}\n{}", stored.text),
        (None, _) => stored.text.clone(),
    };
    Message {
        at: local_date_time(stored.id.time()),
        sender: sides.sender(stored.kind, stored.author.as_deref()),
        author: stored.author.as_deref().map(Personal::new),
        text: Personal::new(text),
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
        let row = |author: Option<&str>, kind| StoredMessage {
            id: store::MessageId(0),
            conversation: store::ConversationId(1),
            seq: 0,
            author: author.map(str::to_owned),
            kind,
            text: String::new(),
            attachment: None,
        };
        let check = |authors: &[&str], account: Option<&str>, expect: &[(&str, Sender)]| {
            let rows: Vec<StoredMessage> = authors
                .iter()
                .map(|a| row(Some(a), MessageKind::Text))
                .collect();
            let sides = Sides::of(&rows, "Eva", account);
            for (author, sender) in expect {
                assert_eq!(
                    sides.sender(MessageKind::Text, Some(author)),
                    *sender,
                    "{authors:?} {account:?} {author}"
                );
            }
            assert_eq!(
                sides.sender(MessageKind::System, Some("Eva")),
                Sender::System
            );
            assert_eq!(sides.sender(MessageKind::Text, None), Sender::System);
        };
        use Sender::{Citizen, Municipality};
        // A chat of two: the other one is the municipality.
        check(
            &["Eva", "Gemeente"],
            None,
            &[("Eva", Citizen), ("Gemeente", Municipality)],
        );
        // Only the citizen wrote: nobody is the municipality.
        check(&["Eva"], None, &[("Eva", Citizen), ("Gemeente", Citizen)]);
        // A group: without the account's name nobody can be told apart.
        check(
            &["Eva", "Alice", "Bob"],
            None,
            &[("Alice", Citizen), ("Bob", Citizen)],
        );
        check(
            &["Eva", "Alice", "Gemeente"],
            Some("Gemeente"),
            &[("Alice", Citizen), ("Gemeente", Municipality)],
        );
        // An account name that is not in the chat changes nothing.
        check(
            &["Eva", "Gemeente"],
            Some("KCC"),
            &[("Gemeente", Municipality)],
        );
        // A chat named after the account itself: nobody is the citizen's opposite.
        check(&["Eva", "Bob"], Some("Eva"), &[("Eva", Citizen)]);
    }
}
