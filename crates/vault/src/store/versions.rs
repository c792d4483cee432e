//! What a later export showed of a message already stored: deleted by the
//! citizen since, or edited. The message keeps its richest version (the
//! text rather than the deletion marker, the latest edit); every other
//! version is kept beside it with the export that showed it, so no text a
//! citizen once sent is lost. A message that changes this way is carried by
//! the next package again.
//!
//! A message missing from one export but present in another goes in
//! between the stored ones (`insert_messages_at`), never at an end.

use rusqlite::params;

use super::{
    ASIDE, ConversationId, MessageId, NewMessage, OriginalId, Store, StoreError, Writer, index_text,
};

/// Why a version was kept beside a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionKind {
    /// An export showed WhatsApp's deletion marker where the message was:
    /// the citizen deleted it after the export that has its text.
    DeletedLater,
    /// The message's text before an edit.
    BeforeEdit,
}

impl VersionKind {
    fn code(self) -> i64 {
        match self {
            Self::DeletedLater => 0,
            Self::BeforeEdit => 1,
        }
    }

    fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(Self::DeletedLater),
            1 => Some(Self::BeforeEdit),
            _ => None,
        }
    }
}

/// A version kept beside a message.
#[derive(Clone, PartialEq, Eq)]
pub struct MessageVersion {
    pub message: MessageId,
    pub why: VersionKind,
    /// The text as that export wrote it (the marker, or the earlier text).
    pub text: String,
    /// The export file that showed it.
    pub original: Option<OriginalId>,
    /// When Kluis noted it.
    pub noted_at: i64,
}

impl std::fmt::Debug for MessageVersion {
    // Without the text: it is the citizen's.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageVersion")
            .field("message", &self.message)
            .field("why", &self.why)
            .field("original", &self.original)
            .finish_non_exhaustive()
    }
}

impl Writer<'_> {
    /// Puts `messages`, in their order, just before place `before_seq` of
    /// `conversation`; the messages from there on (and their gaps) move up.
    pub fn insert_messages_at(
        &mut self,
        conversation: ConversationId,
        before_seq: i64,
        messages: &[NewMessage<'_>],
    ) -> Result<Vec<MessageId>, StoreError> {
        let by = messages.len() as i64;
        // In two steps, so no two rows ever share a place.
        for (table, column) in [("messages", "seq"), ("gaps", "before_seq")] {
            self.tx.execute(
                &format!(
                    "UPDATE {table} SET {column} = {column} + ?3
                     WHERE conversation_id = ?1 AND {column} >= ?2"
                ),
                params![conversation.0, before_seq, ASIDE + by],
            )?;
            self.tx.execute(
                &format!(
                    "UPDATE {table} SET {column} = {column} - ?2
                     WHERE conversation_id = ?1 AND {column} >= ?2"
                ),
                params![conversation.0, ASIDE],
            )?;
        }
        self.next_seq.remove(&conversation);
        let mut ids = Vec::with_capacity(messages.len());
        for (offset, message) in messages.iter().enumerate() {
            ids.push(self.insert_message(conversation, before_seq + offset as i64, message)?);
        }
        Ok(ids)
    }

    /// Gives a stored message the richer version a later export showed
    /// (its text where it had only the deletion marker, its edited text),
    /// reindexed, for the next package to carry again. The version it had
    /// is kept beside it as `keep_old_as` (nothing is kept of an empty
    /// caption).
    pub fn revise_message(
        &mut self,
        id: MessageId,
        richer: &NewMessage<'_>,
        keep_old_as: Option<VersionKind>,
        now: i64,
    ) -> Result<(), StoreError> {
        let (old, original): (String, Option<i64>) = self.tx.query_row(
            "SELECT text, original_id FROM messages WHERE id = ?1",
            [id.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if let Some(why) = keep_old_as {
            self.add_version(&MessageVersion {
                message: id,
                why,
                text: old.clone(),
                original: original.map(OriginalId),
                noted_at: now,
            })?;
        }
        if !old.is_empty() {
            // Only what was indexed: deleting what an external-content
            // index does not hold corrupts it.
            self.tx
                .prepare_cached(
                    "INSERT INTO message_index (message_index, rowid, text)
                     VALUES ('delete', ?1, ?2)",
                )?
                .execute(params![id.0, old])?;
        }
        self.tx
            .prepare_cached("DELETE FROM message_numbers WHERE message_id = ?1")?
            .execute([id.0])?;
        self.tx
            .prepare_cached(
                "UPDATE messages SET kind = ?2, text = ?3, original_id = ?4, package = NULL
                 WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                richer.kind.code(),
                richer.text,
                richer.original.map(|o| o.0).or(original)
            ])?;
        index_text(&self.tx, id, richer.text)?;
        Ok(())
    }

    /// A message's place in its conversation.
    pub fn place_of(&self, id: MessageId) -> Result<i64, StoreError> {
        Ok(self
            .tx
            .query_row("SELECT seq FROM messages WHERE id = ?1", [id.0], |row| {
                row.get(0)
            })?)
    }

    /// Keeps `version` beside its message, which the next package carries
    /// again.
    pub fn add_version(&mut self, version: &MessageVersion) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO message_versions (message_id, why, text, original_id, noted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                version.message.0,
                version.why.code(),
                version.text,
                version.original.map(|o| o.0),
                version.noted_at
            ])?;
        self.tx
            .prepare_cached("UPDATE messages SET package = NULL WHERE id = ?1")?
            .execute([version.message.0])?;
        Ok(())
    }
}

impl Store {
    /// The versions kept beside a conversation's messages, in the
    /// messages' order, then as noted.
    pub fn versions(
        &self,
        conversation: ConversationId,
    ) -> Result<Vec<MessageVersion>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT v.message_id, v.why, v.text, v.original_id, v.noted_at
             FROM message_versions v JOIN messages m ON m.id = v.message_id
             WHERE m.conversation_id = ?1 ORDER BY m.seq, v.id",
        )?;
        let rows = stmt.query_map([conversation.0], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (message, why, text, original, noted_at) = row?;
            Ok(MessageVersion {
                message: MessageId(message),
                why: VersionKind::from_code(why).ok_or(StoreError::DamagedRow {
                    table: "message_versions",
                    id: message,
                })?,
                text,
                original: original.map(OriginalId),
                noted_at,
            })
        })
        .collect()
    }
}
