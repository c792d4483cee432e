//! The console's read side over a vault: the conversation list and one
//! conversation, as the same domain types the demo console uses.
//!
//! The rules that turn stored rows into what the operator reads live here:
//! who wrote a message (citizen, municipality, WhatsApp), how a file or a
//! deleted message reads (`search.rs` is the search box).

use std::collections::{HashMap, HashSet};

use kluis_vault::LocalTime;
use kluis_vault::store::{self, MessageKind, Store, StoreError, StoredMessage};

use crate::cases::{CaseState, StateKind};
use crate::conversations::{
    Conversation, ConversationId, Handover, MediaRef, Message, Sender, Summary, TimelineEntry,
    Version,
};
use crate::lock::Now;
use crate::personal::Personal;
use crate::time::{LocalDate, LocalDateTime};

/// Which conversations the list shows, and in which order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub state: Option<StateKind>,
    pub label: Option<String>,
    /// Only those with a handover note.
    pub handover: bool,
    /// Only those the citizen wrote to today.
    pub today: bool,
    pub order: Order,
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Those whose citizen waits first, longest waiting at the top; then
    /// the rest, most recently active first.
    #[default]
    LongestWaiting,
    /// Most recently active first.
    Newest,
    /// By chat name.
    Name,
}

/// Who is looking, and when: what is new to them, and what today is.
#[derive(Clone, Copy, Debug)]
pub struct Viewer<'a> {
    pub who: &'a str,
    pub now: Now,
}

/// The conversations `query` asks for, as `viewer` sees them.
pub fn list(
    store: &Store,
    query: &ListQuery,
    viewer: Viewer<'_>,
) -> Result<Vec<Summary>, StoreError> {
    let cases = store.cases_by_conversation()?;
    let looks = store.looks(viewer.who)?;
    let participants = store.all_participants()?;
    let account = store.setting(ACCOUNT_SETTING)?;
    let mut pending: std::collections::HashMap<store::ConversationId, usize> = Default::default();
    for entry in store.pending_replies(None)? {
        *pending.entry(entry.conversation).or_default() += 1;
    }
    let today = viewer.now.local().date();
    let local_now = viewer.now.utc + i64::from(viewer.now.offset);
    let mut found = Vec::new();
    for row in store.conversations()? {
        let case = cases.get(&row.id);
        let state = CaseState::of(case, viewer.now.utc);
        let chat_name = Personal::new(row.chat_name);
        let reference = case.and_then(|c| c.reference.clone());
        let labels = case.map(|c| c.labels.clone()).unwrap_or_default();
        let handover = case.is_some_and(|c| !c.handover_note.is_empty());
        if query.state.is_some_and(|k| k != state.kind())
            || query.label.as_ref().is_some_and(|l| !labels.contains(l))
            || (query.handover && !handover)
        {
            continue;
        }
        let authors = participants
            .get(&row.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let sides = Sides::of_authors(
            authors.iter().map(String::as_str).collect(),
            chat_name.expose(),
            account.as_deref(),
        );
        let turn = last_turn(store, row.id, &sides)?;
        let citizen_today = turn.citizen_latest.is_some_and(|t| t.date() == today);
        if query.today && !citizen_today {
            continue;
        }
        let latest = match row.last {
            Some(last) => store.message(last)?.map(|m| message(&m, &sides, None)),
            None => None,
        };
        let count = usize::try_from(row.messages).unwrap_or(0);
        // Only work still to do makes the citizen wait.
        let waiting_since = turn.waiting_since.filter(|_| state.is_open_work());
        let seen = looks
            .get(&row.id)
            .map_or(0, |&n| usize::try_from(n).unwrap_or(0));
        found.push(Summary {
            id: row.id,
            chat_name,
            state,
            reference,
            labels,
            latest,
            message_count: count,
            waiting_minutes: waiting_since
                .map(|since| ((local_now - since.local_seconds()) / 60).max(0)),
            waiting_since,
            unseen: count.saturating_sub(seen),
            handover,
            pending_replies: pending.get(&row.id).copied().unwrap_or(0),
            citizen_today,
        });
    }
    sort(&mut found, query.order);
    Ok(found)
}

fn sort(found: &mut [Summary], order: Order) {
    let latest = |s: &Summary| s.latest.as_ref().map(|m| m.at);
    match order {
        Order::Newest => found.sort_by_key(|s| std::cmp::Reverse(latest(s))),
        Order::Name => found.sort_by_cached_key(|s| s.chat_name.expose().to_lowercase()),
        Order::LongestWaiting => found.sort_by(|a, b| match (a.waiting_since, b.waiting_since) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => latest(b).cmp(&latest(a)),
        }),
    }
}

/// Whose turn it is in a conversation, by the export's times.
#[derive(Debug, Default)]
struct Turn {
    /// The citizen's first message after the municipality's last.
    waiting_since: Option<LocalDateTime>,
    /// The citizen's latest message.
    citizen_latest: Option<LocalDateTime>,
}

/// Reads back from the newest message until the municipality's last
/// (and on to the citizen's latest, if they wrote before it).
fn last_turn(
    store: &Store,
    conversation: store::ConversationId,
    sides: &Sides<'_>,
) -> Result<Turn, StoreError> {
    const PAGE: usize = 100;
    let mut turn = Turn::default();
    let mut answered = false;
    let mut before = i64::MAX;
    loop {
        let page = store.messages_back(conversation, before, PAGE)?;
        for m in &page {
            match sides.sender(m.kind, m.author.as_deref()) {
                Sender::Municipality => answered = true,
                Sender::Citizen if m.kind != MessageKind::Deleted => {
                    let at = local_date_time(m.id.time());
                    turn.citizen_latest.get_or_insert(at);
                    if !answered {
                        turn.waiting_since = Some(at);
                    }
                }
                _ => {}
            }
            if answered && turn.citizen_latest.is_some() {
                return Ok(turn);
            }
        }
        match page.last() {
            Some(last) if page.len() == PAGE => before = last.seq,
            _ => return Ok(turn),
        }
    }
}

/// One conversation with all its messages in their stored order, its
/// case and the operator's entries; `None` if there is no such
/// conversation.
pub fn open(
    store: &Store,
    id: ConversationId,
    now: Now,
) -> Result<Option<Conversation>, StoreError> {
    let Some(name) = store.chat_name(id)? else {
        return Ok(None);
    };
    let case = match store.case_of(id)? {
        Some(case) => store.case(case)?,
        None => None,
    };
    let stored = store.messages(id, i64::MIN, usize::MAX)?;
    let account = store.setting(ACCOUNT_SETTING)?;
    let sides = Sides::of(&stored, &name, account.as_deref());
    let mut files: std::collections::HashMap<store::MessageId, MediaRef> = store
        .media_rows(id)?
        .into_iter()
        .map(|row| {
            let (kind, mime) = crate::media::kind_of(&row.file_name);
            let media = MediaRef {
                id: row.id,
                kind,
                mime,
                size: row.size,
                present: row.blob.is_some(),
                file_name: Personal::new(row.file_name),
            };
            (row.message, media)
        })
        .collect();
    let gaps: HashSet<i64> = store.gaps(id)?.into_iter().collect();
    let mut sources = store.sources(id)?;
    let mut versions: HashMap<store::MessageId, Vec<Version>> = HashMap::new();
    for v in store.versions(id)? {
        versions.entry(v.message).or_default().push(Version {
            why: v.why,
            text: Personal::new(v.text),
            noted: crate::desk::clock::dutch_local(v.noted_at),
        });
    }
    let messages = stored
        .iter()
        .map(|m| Message {
            gap_before: gaps.contains(&m.seq),
            source: sources.remove(&m.id).map(Personal::new),
            versions: versions.remove(&m.id).unwrap_or_default(),
            ..message(m, &sides, files.remove(&m.id))
        })
        .collect();
    let mut entries = Vec::new();
    for e in store.entries(id)? {
        let sent_at = e.sent_as.map(|m| local_date_time(m.time()));
        entries.push(TimelineEntry {
            id: e.id.0,
            kind: e.kind,
            at: local_date_time(e.at),
            operator: e.operator,
            text: Personal::new(e.text),
            sent_at,
            withdrawn: e.withdrawn_at.is_some(),
        });
    }
    let handover = case.as_ref().and_then(|c| {
        let (at, by) = c.handover.clone()?;
        (!c.handover_note.is_empty()).then(|| Handover {
            text: Personal::new(c.handover_note.clone()),
            by,
            at,
        })
    });
    Ok(Some(Conversation {
        id,
        chat_name: Personal::new(name),
        state: CaseState::of(case.as_ref(), now.utc),
        reference: case.as_ref().and_then(|c| c.reference.clone()),
        labels: case.map(|c| c.labels).unwrap_or_default(),
        messages,
        entries,
        handover,
    }))
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
        Self::of_authors(authors, chat_name, account)
    }

    /// The same, from the names that wrote in the chat (its participants).
    pub(crate) fn of_authors(
        authors: HashSet<&'a str>,
        chat_name: &'a str,
        account: Option<&'a str>,
    ) -> Self {
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

    /// Whether the municipality's author is known in this chat.
    pub(crate) fn knows_municipality(&self) -> bool {
        self.municipality.is_some_and(|m| m != self.chat_name)
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

/// A stored message as shown. With its file (`media`) the text is the
/// caption; without it (the list's preview) a file is named in the text.
fn message(stored: &StoredMessage, sides: &Sides<'_>, media: Option<MediaRef>) -> Message {
    let edit_mark = whatsapp_export::without_edit_mark(&stored.text)
        .filter(|_| stored.kind == MessageKind::Text);
    let said = edit_mark.unwrap_or(&stored.text);
    let text = match (&stored.attachment, said.is_empty()) {
        (Some(_), _) if media.is_some() => said.to_owned(),
        (Some(file), true) => format!("📎 {file}"),
        (Some(file), false) => format!("📎 {file}\n{said}"),
        (None, _) => said.to_owned(),
    };
    Message {
        id: stored.id.0,
        at: local_date_time(stored.id.time()),
        sender: sides.sender(stored.kind, stored.author.as_deref()),
        author: stored.author.as_deref().map(Personal::new),
        text: Personal::new(text),
        media,
        deleted: stored.kind == MessageKind::Deleted,
        edited: edit_mark.is_some(),
        versions: Vec::new(),
        gap_before: false,
        source: None,
    }
}

pub(crate) fn local_date_time(time: LocalTime) -> LocalDateTime {
    let (year, month, day, hour, minute, second) = time.parts();
    LocalDate::new(year, month, day)
        .and_then(|date| date.at(hour, minute, second))
        // The store only holds times the parser read as valid dates.
        .unwrap_or_else(|| LocalDate::from_unix_days(0).at(0, 0, 0).expect("midnight"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
