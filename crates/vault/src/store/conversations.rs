//! What import and the employee do to whole conversations: find one by its
//! chat name and participants, put an older export in front, mark where
//! messages may be missing, supply a file a re-export brought, and merge two
//! conversations into one.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{ASIDE, ConversationId, MessageId, NewMessage, OriginalId, Store, StoreError, Writer};
use crate::blob::BlobInfo;

impl Writer<'_> {
    /// Puts `messages`, in their order, before every stored message of
    /// `conversation`; their places go below the first one's.
    pub fn add_messages_before(
        &mut self,
        conversation: ConversationId,
        messages: &[NewMessage<'_>],
    ) -> Result<Vec<MessageId>, StoreError> {
        let first: Option<i64> = self.tx.query_row(
            "SELECT min(seq) FROM messages WHERE conversation_id = ?1",
            [conversation.0],
            |row| row.get(0),
        )?;
        let start = first.unwrap_or(0) - messages.len() as i64;
        let mut ids = Vec::with_capacity(messages.len());
        for (offset, message) in messages.iter().enumerate() {
            ids.push(self.insert_message(conversation, start + offset as i64, message)?);
        }
        Ok(ids)
    }

    /// Records that messages may be missing just before place `before_seq`.
    pub fn mark_gap(
        &mut self,
        conversation: ConversationId,
        before_seq: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO gaps (conversation_id, before_seq) VALUES (?1, ?2)",
            )?
            .execute(params![conversation.0, before_seq])?;
        Ok(())
    }

    /// Gives a stored message the file a later export brought: fills its
    /// row marked missing, or records the file when the earlier export had
    /// left media out altogether (`<Media omitted>`).
    pub fn supply_media(
        &mut self,
        message: MessageId,
        file_name: &str,
        blob: &BlobInfo,
    ) -> Result<(), StoreError> {
        let filled = self
            .tx
            .prepare_cached(
                "UPDATE media SET blob = ?3, size = ?4, sha256 = ?5
                 WHERE message_id = ?1 AND file_name = ?2 AND blob IS NULL",
            )?
            .execute(params![
                message.0,
                file_name,
                blob.id.to_string(),
                blob.size as i64,
                &blob.sha256[..]
            ])?;
        if filled == 0 {
            self.tx
                .prepare_cached(
                    "UPDATE messages SET attachment = ?2 WHERE id = ?1 AND attachment IS NULL",
                )?
                .execute(params![message.0, file_name])?;
            self.add_media(message, file_name, Some(blob))?;
        }
        Ok(())
    }

    /// Moves every message of `from` into `into`, interleaved by time (each
    /// side keeps its own order), with their files, gaps and participants;
    /// `into` keeps its case, or takes `from`'s if it has none. `from` is
    /// then gone.
    pub fn merge_conversations(
        &mut self,
        into: ConversationId,
        from: ConversationId,
    ) -> Result<(), StoreError> {
        if into == from {
            return Err(StoreError::MergeIntoItself);
        }
        let mut cases = [None, None];
        for (slot, conversation) in cases.iter_mut().zip([into, from]) {
            let case: Option<Option<i64>> = self
                .tx
                .query_row(
                    "SELECT case_id FROM conversations WHERE id = ?1",
                    [conversation.0],
                    |row| row.get(0),
                )
                .optional()?;
            *slot = case.ok_or(StoreError::NoSuchConversation(conversation.0))?;
        }
        let ours = self.places(into)?;
        let theirs = self.places(from)?;
        // Stable merge by time key: equal times keep `into`'s first.
        let mut merged = Vec::with_capacity(ours.len() + theirs.len());
        let (mut a, mut b) = (ours.iter().peekable(), theirs.iter().peekable());
        loop {
            let take_ours = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.1 <= y.1,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_ours { a.next() } else { b.next() };
            merged.extend(next.copied());
        }
        // Renumber in two steps, so no two rows ever share a place.
        let mut new_place = HashMap::with_capacity(merged.len());
        for (place, &(conversation, id, seq)) in merged.iter().enumerate() {
            let place = place as i64;
            self.tx
                .prepare_cached("UPDATE messages SET conversation_id = ?2, seq = ?3 WHERE id = ?1")?
                .execute(params![id, into.0, ASIDE + place])?;
            new_place.insert((conversation, seq), place);
        }
        self.tx.execute(
            "UPDATE messages SET seq = seq - ?2 WHERE conversation_id = ?1",
            params![into.0, ASIDE],
        )?;
        let mut gaps = Vec::new();
        for conversation in [into, from] {
            let mut stmt = self
                .tx
                .prepare_cached("SELECT before_seq FROM gaps WHERE conversation_id = ?1")?;
            for seq in stmt.query_map([conversation.0], |row| row.get::<_, i64>(0))? {
                if let Some(&place) = new_place.get(&(conversation.0, seq?)) {
                    gaps.push(place);
                }
            }
        }
        self.tx.execute(
            "DELETE FROM gaps WHERE conversation_id IN (?1, ?2)",
            params![into.0, from.0],
        )?;
        for place in gaps {
            self.mark_gap(into, place)?;
        }
        self.tx.execute(
            "INSERT OR IGNORE INTO participants (conversation_id, name)
             SELECT ?1, name FROM participants WHERE conversation_id = ?2",
            params![into.0, from.0],
        )?;
        for table in ["entries", "looks"] {
            self.tx.execute(
                &format!(
                    "UPDATE OR IGNORE {table} SET conversation_id = ?1 WHERE conversation_id = ?2"
                ),
                params![into.0, from.0],
            )?;
        }
        match cases {
            [None, Some(theirs)] => {
                self.tx.execute(
                    "UPDATE conversations SET case_id = ?2 WHERE id = ?1",
                    params![into.0, theirs],
                )?;
            }
            [Some(ours), Some(theirs)] if ours != theirs => self.merge_cases(ours, theirs)?,
            _ => {}
        }
        self.tx
            .execute("DELETE FROM conversations WHERE id = ?1", [from.0])?;
        if let [Some(ours), Some(theirs)] = cases
            && ours != theirs
        {
            self.tx.execute(
                "DELETE FROM cases WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM conversations WHERE case_id = ?1)",
                [theirs],
            )?;
        }
        self.next_seq.remove(&into);
        self.next_seq.remove(&from);
        Ok(())
    }

    /// Case `theirs` joins case `ours`: its labels, its reference where
    /// ours has none, its notes and handover note after ours. The joined
    /// case goes into the next package; `theirs` keeps nothing that a
    /// reference or a note could still be found by.
    fn merge_cases(&mut self, ours: i64, theirs: i64) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT OR IGNORE INTO case_labels (case_id, label)
             SELECT ?1, label FROM case_labels WHERE case_id = ?2",
            params![ours, theirs],
        )?;
        let (reference, notes, handover, by, at): (Option<String>, String, String, Option<String>, Option<i64>) =
            self.tx.query_row(
                "SELECT reference, notes, handover_note, handover_by, handover_at FROM cases WHERE id = ?1",
                [theirs],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )?;
        self.tx.execute(
            "UPDATE cases SET reference = NULL, notes = '', handover_note = '' WHERE id = ?1",
            [theirs],
        )?;
        self.tx.execute(
            "UPDATE cases SET
                reference = coalesce(reference, ?2),
                notes = CASE WHEN notes = '' THEN ?3 WHEN ?3 = '' THEN notes
                        ELSE notes || char(10) || char(10) || ?3 END,
                handover_note = CASE WHEN handover_note = '' THEN ?4 WHEN ?4 = '' THEN handover_note
                        ELSE handover_note || char(10) || char(10) || ?4 END,
                handover_by = coalesce(handover_by, ?5),
                handover_at = CASE WHEN ?6 IS NULL THEN handover_at WHEN handover_at IS NULL THEN ?6
                        ELSE max(handover_at, ?6) END,
                package = NULL
             WHERE id = ?1",
            params![ours, reference, notes, handover, by, at],
        )?;
        Ok(())
    }

    /// (conversation, message id, place) in place order.
    fn places(&self, conversation: ConversationId) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, seq FROM messages WHERE conversation_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([conversation.0], |row| {
            Ok((conversation.0, row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// The conversations named `base` or `base (…)` (a copy number, or
    /// anything else in brackets), oldest first, with their names.
    pub fn conversations_named_like(
        &self,
        base: &str,
    ) -> Result<Vec<(ConversationId, String)>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT id, chat_name FROM conversations
             WHERE chat_name = ?1
                OR (substr(chat_name, 1, length(?1) + 2) = ?1 || ' (' AND chat_name LIKE '%)')
             ORDER BY id",
        )?;
        let rows = stmt.query_map([base], |row| Ok((ConversationId(row.get(0)?), row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The names that wrote in a conversation, sorted.
    pub fn participants(&self, conversation: ConversationId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT name FROM participants WHERE conversation_id = ?1 ORDER BY name",
        )?;
        let rows = stmt.query_map([conversation.0], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The places before which messages may be missing, in order.
    pub fn gaps(&self, conversation: ConversationId) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT before_seq FROM gaps WHERE conversation_id = ?1 ORDER BY before_seq",
        )?;
        let rows = stmt.query_map([conversation.0], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Which export each message of a conversation came from: (message,
    /// the original's file name), for messages whose original is kept.
    pub fn sources(
        &self,
        conversation: ConversationId,
    ) -> Result<HashMap<MessageId, String>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT messages.id, originals.file_name FROM messages
             JOIN originals ON originals.id = messages.original_id
             WHERE messages.conversation_id = ?1",
        )?;
        let rows = stmt.query_map([conversation.0], |row| {
            Ok((MessageId(row.get(0)?), row.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The original export file with this SHA-256, if one was kept.
    pub fn original_with_sha256(
        &self,
        sha256: &[u8; 32],
    ) -> Result<Option<OriginalId>, StoreError> {
        Ok(self
            .connection()
            .prepare_cached("SELECT id FROM originals WHERE sha256 = ?1")?
            .query_row([&sha256[..]], |row| Ok(OriginalId(row.get(0)?)))
            .optional()?)
    }
}
