//! The one search box: messages, notes and hand-written entries, handover
//! notes, reference numbers, labels, chat names and the numbers and names
//! of those who wrote, grouped per conversation, newest first.
//!
//! What matches is the vault's rule ([`SearchQuery`]: words by their
//! beginning, phrases whole, numbers in any format, diacritics ignored),
//! so the index and the small fields read here agree.

use std::collections::HashMap;

use kluis_vault::LocalTime;
use kluis_vault::store::{self, ConversationId, SearchQuery, Store, StoreError, Within};

use crate::cases::{CaseState, StateKind};
use crate::console::local_date_time;
use crate::lock::Now;
use crate::personal::Personal;
use crate::time::{LocalDate, LocalDateTime};

/// At most this many matching messages are read; the newest come first,
/// so what is cut off is old (the result says so).
pub const MESSAGE_HITS: usize = 300;
/// At most this many hits are kept per conversation.
pub const HITS_PER_CONVERSATION: usize = 3;

/// What the search box asks.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Find {
    pub text: String,
    /// The period, both days included; messages and entries only.
    pub from: Option<LocalDate>,
    pub to: Option<LocalDate>,
    pub state: Option<StateKind>,
    pub label: Option<String>,
}

impl std::fmt::Debug for Find {
    // What was typed is citizen data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Find")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("state", &self.state)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// What was found.
#[derive(Debug, Default)]
pub struct Found {
    /// Newest hit first.
    pub conversations: Vec<FoundConversation>,
    /// Every hit read, shown or not.
    pub hits: usize,
    /// Older messages may match too: the newest [`MESSAGE_HITS`] were read.
    pub cut_off: bool,
}

/// One conversation with its hits.
#[derive(Debug)]
pub struct FoundConversation {
    pub id: ConversationId,
    pub chat_name: Personal,
    pub state: CaseState,
    pub reference: Option<String>,
    pub labels: Vec<String>,
    /// The first [`HITS_PER_CONVERSATION`], what the conversation itself
    /// is called first, then newest first.
    pub hits: Vec<FoundHit>,
    /// All its hits read.
    pub count: usize,
}

/// Where a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Message(store::MessageId),
    Entry(store::EntryId),
    Handover,
    ChatName,
    Reference,
    Label,
    /// A name or number among those who wrote.
    Participant,
}

/// One hit: where, when, and the text around it with the matches marked.
#[derive(Debug)]
pub struct FoundHit {
    pub place: Place,
    pub at: Option<LocalDateTime>,
    pub author: Option<Personal>,
    /// (text, is a match), in order.
    pub snippet: Vec<(Personal, bool)>,
}

/// A search typed on from the one before it (further, or back) within
/// this many seconds is the same search: one audit entry, not one a key.
pub const SAME_SEARCH_SECONDS: i64 = 60;

/// The search the operator is typing, held in memory for as long as the
/// session lasts, to tell a new search from the same one typed on.
#[derive(Debug)]
pub struct Trail {
    pub generation: u64,
    pub typed: Personal,
    pub at: i64,
}

impl Trail {
    /// Whether `typed` at `at` goes on from this search.
    pub fn goes_on(&self, generation: u64, typed: &str, at: i64) -> bool {
        let before = self.typed.expose().trim();
        let typed = typed.trim();
        self.generation == generation
            && (0..=SAME_SEARCH_SECONDS).contains(&(at - self.at))
            && !before.is_empty()
            && !typed.is_empty()
            && (typed.starts_with(before) || before.starts_with(typed))
    }
}

/// Runs `find` over the store, as the case states stand at `now`.
pub fn find(store: &Store, find: &Find, now: Now) -> Result<Found, StoreError> {
    let Ok(query) = SearchQuery::parse(&find.text) else {
        return Ok(Found::default());
    };
    let cases = store.cases_by_conversation()?;
    let rows = store.conversations()?;
    let state_of = |id: &ConversationId| CaseState::of(cases.get(id), now.utc);
    let passes = |id: &ConversationId| {
        let labels = cases
            .get(id)
            .map(|c| c.labels.as_slice())
            .unwrap_or_default();
        find.state.is_none_or(|k| state_of(id).kind() == k)
            && find.label.as_ref().is_none_or(|l| labels.contains(l))
    };
    let filtered = find.state.is_some() || find.label.is_some();
    let allowed: Vec<ConversationId> = rows.iter().map(|r| r.id).filter(passes).collect();
    let within = Within {
        from: find.from.map(start_of),
        to: find.to.map(end_of),
        conversations: filtered.then_some(allowed.as_slice()),
    };
    let mut hits: HashMap<ConversationId, Vec<FoundHit>> = HashMap::new();
    let messages = store.search_within(&query, within, MESSAGE_HITS)?;
    let cut_off = messages.len() == MESSAGE_HITS;
    for hit in messages {
        hits.entry(hit.conversation).or_default().push(FoundHit {
            place: Place::Message(hit.message),
            at: Some(local_date_time(hit.message.time())),
            author: hit.author.map(Personal::new),
            snippet: personal(hit.snippet),
        });
    }
    for entry in store.all_entries()? {
        let in_period =
            within.from.is_none_or(|f| entry.at >= f) && within.to.is_none_or(|t| entry.at <= t);
        if !in_period || !passes(&entry.conversation) {
            continue;
        }
        if let Some(snippet) = query.find_in(&entry.text) {
            hits.entry(entry.conversation).or_default().push(FoundHit {
                place: Place::Entry(entry.id),
                at: Some(local_date_time(entry.at)),
                author: Some(Personal::new(entry.operator)),
                snippet: personal(snippet),
            });
        }
    }
    let participants = store.all_participants()?;
    for row in rows.iter().filter(|r| passes(&r.id)) {
        let case = cases.get(&row.id);
        let mut fields: Vec<(Place, &str)> = vec![(Place::ChatName, row.chat_name.as_str())];
        if let Some(case) = case {
            fields.extend(case.reference.as_deref().map(|r| (Place::Reference, r)));
            fields.extend(case.labels.iter().map(|l| (Place::Label, l.as_str())));
            if !case.handover_note.is_empty() {
                fields.push((Place::Handover, case.handover_note.as_str()));
            }
        }
        let who = participants
            .get(&row.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        fields.extend(who.iter().map(|p| (Place::Participant, p.as_str())));
        let at = row.last.map(|m| local_date_time(m.time()));
        for (place, text) in fields {
            if let Some(snippet) = query.find_in(text) {
                hits.entry(row.id).or_default().push(FoundHit {
                    place,
                    at,
                    author: None,
                    snippet: personal(snippet),
                });
            }
        }
    }
    let mut found = Found {
        cut_off,
        ..Found::default()
    };
    for row in rows {
        let Some(hits) = hits.remove(&row.id) else {
            continue;
        };
        let case = cases.get(&row.id);
        found.hits += hits.len();
        found.conversations.push(FoundConversation {
            id: row.id,
            chat_name: Personal::new(row.chat_name.clone()),
            state: state_of(&row.id),
            reference: case.and_then(|c| c.reference.clone()),
            labels: case.map(|c| c.labels.clone()).unwrap_or_default(),
            count: hits.len(),
            hits: first_hits(hits),
        });
    }
    let newest = |c: &FoundConversation| c.hits.iter().filter_map(|h| h.at).max();
    found
        .conversations
        .sort_by(|a, b| newest(b).cmp(&newest(a)).then(a.id.0.cmp(&b.id.0)));
    Ok(found)
}

/// The first [`HITS_PER_CONVERSATION`]: what the conversation itself is
/// called first, then newest first.
fn first_hits(mut hits: Vec<FoundHit>) -> Vec<FoundHit> {
    hits.sort_by_key(|h| {
        (
            matches!(h.place, Place::Message(_) | Place::Entry(_)),
            std::cmp::Reverse(h.at),
        )
    });
    hits.truncate(HITS_PER_CONVERSATION);
    hits
}

fn personal(parts: Vec<(String, bool)>) -> Vec<(Personal, bool)> {
    parts
        .into_iter()
        .map(|(t, hit)| (Personal::new(t), hit))
        .collect()
}

fn start_of(day: LocalDate) -> LocalTime {
    LocalTime::from_seconds(day.at(0, 0, 0).map_or(0, LocalDateTime::local_seconds))
}

fn end_of(day: LocalDate) -> LocalTime {
    LocalTime::from_seconds(
        day.at(23, 59, 59)
            .map_or(i64::MAX / 65_536, LocalDateTime::local_seconds),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_typed_on_is_the_same_search() {
        let trail = Trail {
            generation: 2,
            typed: Personal::new("pasp"),
            at: 1_000,
        };
        let check = |generation, typed: &str, at, expect: bool| {
            assert_eq!(
                trail.goes_on(generation, typed, at),
                expect,
                "{typed:?} {at}"
            );
        };
        check(2, "paspoort", 1_001, true);
        check(2, "pas", 1_001, true);
        check(2, " pasp ", 1_060, true);
        check(2, "paspoort", 1_061, false);
        check(2, "rijbewijs", 1_001, false);
        check(2, "", 1_001, false);
        check(3, "paspoort", 1_001, false);
        // A clock that went back is no continuation either.
        check(2, "paspoort", 999, false);
    }
}
