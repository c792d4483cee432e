//! The operator's entries in a conversation's timeline: internal notes,
//! hand-written records (a call, a visit, another channel) and replies
//! set out on the clipboard, which an export later shows as sent.

use std::fmt;

use rusqlite::{OptionalExtension, params};

use super::{ConversationId, MessageId, Store, StoreError, Writer};
use crate::local_time::LocalTime;

/// An entry's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub i64);

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// An internal note: never part of a reply.
    Note,
    /// A phone call with the citizen.
    Call,
    /// A visit at the desk.
    Visit,
    /// A reply given by another channel (mail, letter).
    Channel,
    /// A reply the operator copied to paste into WhatsApp.
    Reply,
}

impl EntryKind {
    /// Every kind, in the order the window offers them.
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Note,
        EntryKind::Call,
        EntryKind::Visit,
        EntryKind::Channel,
        EntryKind::Reply,
    ];

    /// The name in the database.
    pub fn name(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Call => "call",
            Self::Visit => "visit",
            Self::Channel => "channel",
            Self::Reply => "reply",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// An entry as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: EntryId,
    pub conversation: ConversationId,
    pub kind: EntryKind,
    /// When it happened, in local time (so it sorts among the messages).
    pub at: LocalTime,
    /// When it was written down (UTC).
    pub written_at: i64,
    pub operator: String,
    pub text: String,
    /// The exported message a reply was seen as.
    pub sent_as: Option<MessageId>,
    /// When the operator said a reply was not sent after all (UTC).
    pub withdrawn_at: Option<i64>,
    /// Carried by a package already.
    pub sealed: bool,
}

impl fmt::Debug for Entry {
    // The text is about citizens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("sent_as", &self.sent_as)
            .finish_non_exhaustive()
    }
}

/// A new entry.
#[derive(Clone, Copy)]
pub struct NewTimelineEntry<'a> {
    pub kind: EntryKind,
    pub at: LocalTime,
    pub written_at: i64,
    pub operator: &'a str,
    pub text: &'a str,
}

impl fmt::Debug for NewTimelineEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewTimelineEntry")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, conversation_id, kind, at_local, written_at, operator, text, sent_as, withdrawn_at, package";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Entry, StoreError>> {
    let id: i64 = row.get(0)?;
    let kind: String = row.get(2)?;
    let Some(kind) = EntryKind::from_name(&kind) else {
        return Ok(Err(StoreError::DamagedRow {
            table: "entries",
            id,
        }));
    };
    Ok(Ok(Entry {
        id: EntryId(id),
        conversation: ConversationId(row.get(1)?),
        kind,
        at: LocalTime::from_seconds(row.get(3)?),
        written_at: row.get(4)?,
        operator: row.get(5)?,
        text: row.get(6)?,
        sent_as: row.get::<_, Option<i64>>(7)?.map(MessageId),
        withdrawn_at: row.get(8)?,
        sealed: row.get::<_, Option<i64>>(9)?.is_some(),
    }))
}

impl Writer<'_> {
    /// Adds an entry to a conversation's timeline.
    pub fn add_entry(
        &mut self,
        conversation: ConversationId,
        entry: &NewTimelineEntry<'_>,
    ) -> Result<EntryId, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO entries (conversation_id, kind, at_local, written_at, operator, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                conversation.0,
                entry.kind.name(),
                entry.at.seconds(),
                entry.written_at,
                entry.operator,
                entry.text
            ])?;
        Ok(EntryId(self.tx.last_insert_rowid()))
    }

    /// A reply seen in an export as `message`; it goes into the next
    /// package again, now with the time it was sent.
    pub fn link_reply(&mut self, entry: EntryId, message: MessageId) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE entries SET sent_as = ?2, package = NULL WHERE id = ?1")?
            .execute(params![entry.0, message.0])?;
        Ok(())
    }

    /// A reply the operator did not send after all.
    pub fn withdraw_reply(&mut self, entry: EntryId, at: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE entries SET withdrawn_at = ?2, package = NULL WHERE id = ?1")?
            .execute(params![entry.0, at])?;
        Ok(())
    }
}

impl Store {
    /// A conversation's entries, in time order.
    pub fn entries(&self, conversation: ConversationId) -> Result<Vec<Entry>, StoreError> {
        self.entries_where("conversation_id = ?1 ORDER BY at_local, id", conversation.0)
    }

    /// A conversation's entries no package carried yet (or changed since).
    pub fn unsealed_entries(&self, conversation: ConversationId) -> Result<Vec<Entry>, StoreError> {
        self.entries_where(
            "conversation_id = ?1 AND package IS NULL ORDER BY at_local, id",
            conversation.0,
        )
    }

    /// Every entry, newest first (for the search box).
    pub fn all_entries(&self) -> Result<Vec<Entry>, StoreError> {
        self.entries_where("id > ?1 ORDER BY at_local DESC, id DESC", 0)
    }

    /// One entry.
    pub fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        Ok(self.entries_where("id = ?1", id.0)?.pop())
    }

    /// Replies set out and not yet seen in an export nor withdrawn, of one
    /// conversation (`Some`) or of all.
    pub fn pending_replies(
        &self,
        conversation: Option<ConversationId>,
    ) -> Result<Vec<Entry>, StoreError> {
        let pending = "kind = 'reply' AND sent_as IS NULL AND withdrawn_at IS NULL";
        match conversation {
            Some(c) => self.entries_where(
                &format!("conversation_id = ?1 AND {pending} ORDER BY at_local, id"),
                c.0,
            ),
            None => self.entries_where(
                &format!("?1 = ?1 AND {pending} ORDER BY conversation_id, at_local, id"),
                0,
            ),
        }
    }

    /// Whether a message is already the sent form of some reply.
    pub fn reply_sent_as(&self, message: MessageId) -> Result<Option<EntryId>, StoreError> {
        Ok(self
            .connection()
            .prepare_cached("SELECT id FROM entries WHERE sent_as = ?1")?
            .query_row([message.0], |row| row.get(0))
            .optional()?
            .map(EntryId))
    }

    fn entries_where(&self, condition: &str, value: i64) -> Result<Vec<Entry>, StoreError> {
        let mut stmt = self
            .connection()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM entries WHERE {condition}"))?;
        let rows = stmt.query_map([value], from_row)?;
        let mut found = Vec::new();
        for row in rows {
            found.push(row??);
        }
        Ok(found)
    }
}
