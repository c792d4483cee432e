//! Cases (status, reference number, labels, notes, handover note), media
//! rows and settings: the small records around the messages.

use std::fmt;

use rusqlite::{OptionalExtension, params};

use super::{ConversationId, MessageId, Store, StoreError, Writer};
use crate::blob::BlobInfo;

/// A case's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId(pub i64);

/// Where a case stands: the one case status, from the store to the
/// window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// The municipality owes the citizen an answer or an action.
    Open,
    /// The municipality asked something and waits for the citizen.
    WaitingOnCitizen,
    /// Nothing more to do.
    Resolved,
}

impl CaseStatus {
    /// The name in the database (kept from the first schema), and in the
    /// package's transcripts.
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::WaitingOnCitizen => "waiting",
            Self::Resolved => "closed",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Open, Self::WaitingOnCitizen, Self::Resolved]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// A case as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Case {
    pub id: CaseId,
    pub reference: Option<String>,
    pub status: CaseStatus,
    pub labels: Vec<String>,
    /// The first schema's one notes field; notes are entries now.
    pub notes: String,
    pub handover_note: String,
    /// When the handover note was written (UTC), and by whom.
    pub handover: Option<(i64, String)>,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// Snoozed until this UTC time.
    pub snoozed_until: Option<i64>,
    /// Snoozed until the citizen writes again.
    pub snoozed_for_reply: bool,
    /// Why and when (UTC) the case reopened by itself.
    pub reopened: Option<(String, i64)>,
}

impl fmt::Debug for Case {
    // Notes are about citizens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

const CASE_COLUMNS: &str = "id, reference, status, notes, handover_note, opened_at, closed_at,
     snoozed_until, snoozed_for_reply, reopened, reopened_at, handover_at, handover_by";

/// A case from a row of [`CASE_COLUMNS`], without its labels.
fn case_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Case, String)> {
    let handover_at: Option<i64> = row.get(11)?;
    let handover_by: Option<String> = row.get(12)?;
    let reopened: Option<String> = row.get(9)?;
    let reopened_at: Option<i64> = row.get(10)?;
    Ok((
        Case {
            id: CaseId(row.get(0)?),
            reference: row.get(1)?,
            status: CaseStatus::Open,
            labels: Vec::new(),
            notes: row.get(3)?,
            handover_note: row.get(4)?,
            handover: handover_at.zip(handover_by),
            opened_at: row.get(5)?,
            closed_at: row.get(6)?,
            snoozed_until: row.get(7)?,
            snoozed_for_reply: row.get::<_, i64>(8)? != 0,
            reopened: reopened.zip(reopened_at),
        },
        row.get(2)?,
    ))
}

fn with_status(case: Case, status: &str) -> Result<Case, StoreError> {
    let id = case.id.0;
    Ok(Case {
        status: CaseStatus::from_name(status)
            .ok_or(StoreError::DamagedRow { table: "cases", id })?,
        ..case
    })
}

/// A file a message refers to.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaRow {
    pub id: i64,
    pub message: MessageId,
    /// As the export names it (a document's name may name a citizen).
    pub file_name: String,
    /// `None`: the export did not contain the file.
    pub blob: Option<crate::blob::BlobId>,
    pub size: Option<u64>,
}

impl fmt::Debug for MediaRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaRow")
            .field("id", &self.id)
            .field("present", &self.blob.is_some())
            .finish_non_exhaustive()
    }
}

impl Writer<'_> {
    /// A new open case, optionally with the municipality's reference number.
    pub fn open_case(&mut self, reference: Option<&str>, at: i64) -> Result<CaseId, StoreError> {
        self.tx
            .prepare_cached("INSERT INTO cases (reference, opened_at) VALUES (?1, ?2)")?
            .execute(params![reference, at])?;
        Ok(CaseId(self.tx.last_insert_rowid()))
    }

    /// Moves a conversation into a case (or out of any, with `None`).
    pub fn assign(
        &mut self,
        conversation: ConversationId,
        case: Option<CaseId>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE conversations SET case_id = ?2 WHERE id = ?1")?
            .execute(params![conversation.0, case.map(|c| c.0)])?;
        Ok(())
    }

    /// Sets the status; closing stamps the time, reopening clears it. A
    /// snooze and a reason for reopening end with it.
    pub fn set_case_status(
        &mut self,
        case: CaseId,
        status: CaseStatus,
        at: i64,
    ) -> Result<(), StoreError> {
        let closed_at = (status == CaseStatus::Resolved).then_some(at);
        self.tx
            .prepare_cached(
                "UPDATE cases SET status = ?2, closed_at = ?3, snoozed_until = NULL,
                 snoozed_for_reply = 0, reopened = NULL, reopened_at = NULL, package = NULL
                 WHERE id = ?1",
            )?
            .execute(params![case.0, status.name(), closed_at])?;
        Ok(())
    }

    /// Replaces the notes and the handover note.
    pub fn set_case_notes(
        &mut self,
        case: CaseId,
        notes: &str,
        handover_note: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE cases SET notes = ?2, handover_note = ?3, package = NULL WHERE id = ?1",
            )?
            .execute(params![case.0, notes, handover_note])?;
        Ok(())
    }

    /// Adds a label (once) or removes it.
    pub fn label_case(&mut self, case: CaseId, label: &str, on: bool) -> Result<(), StoreError> {
        let sql = if on {
            "INSERT OR IGNORE INTO case_labels (case_id, label) VALUES (?1, ?2)"
        } else {
            "DELETE FROM case_labels WHERE case_id = ?1 AND label = ?2"
        };
        self.tx
            .prepare_cached(sql)?
            .execute(params![case.0, label])?;
        self.case_changed(case)
    }

    /// The case goes into the next package with what it is now.
    fn case_changed(&mut self, case: CaseId) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE cases SET package = NULL WHERE id = ?1")?
            .execute([case.0])?;
        Ok(())
    }

    /// Sets (or clears) the reference number.
    pub fn set_reference(
        &mut self,
        case: CaseId,
        reference: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE cases SET reference = ?2, package = NULL WHERE id = ?1")?
            .execute(params![case.0, reference])?;
        Ok(())
    }

    /// Snoozes an open case until `until` (UTC) or until the citizen
    /// writes (`None`).
    pub fn snooze_case(&mut self, case: CaseId, until: Option<i64>) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE cases SET status = 'open', closed_at = NULL, snoozed_until = ?2,
                 snoozed_for_reply = ?3, reopened = NULL, reopened_at = NULL, package = NULL
                 WHERE id = ?1",
            )?
            .execute(params![case.0, until, i64::from(until.is_none())])?;
        Ok(())
    }

    /// Reopens a case by itself, saying why (`citizen`: a new message).
    pub fn reopen_case(&mut self, case: CaseId, why: &str, at: i64) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE cases SET status = 'open', closed_at = NULL, snoozed_until = NULL,
                 snoozed_for_reply = 0, reopened = ?2, reopened_at = ?3, package = NULL
                 WHERE id = ?1",
            )?
            .execute(params![case.0, why, at])?;
        Ok(())
    }

    /// Replaces the handover note (empty: none), stamped with who and when.
    pub fn set_handover(
        &mut self,
        case: CaseId,
        note: &str,
        by: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let (at, by) = if note.is_empty() {
            (None, None)
        } else {
            (Some(at), Some(by))
        };
        self.tx
            .prepare_cached(
                "UPDATE cases SET handover_note = ?2, handover_at = ?3, handover_by = ?4,
                 package = NULL WHERE id = ?1",
            )?
            .execute(params![case.0, note, at, by])?;
        Ok(())
    }

    /// What `operator` saw of a conversation when they last opened it.
    pub fn record_look(
        &mut self,
        conversation: ConversationId,
        operator: &str,
        messages_seen: i64,
        at: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO looks (conversation_id, operator, messages_seen, at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (conversation_id, operator)
                 DO UPDATE SET messages_seen = excluded.messages_seen, at = excluded.at",
            )?
            .execute(params![conversation.0, operator, messages_seen, at])?;
        Ok(())
    }

    /// Records the file a message refers to: its blob, or `None` when the
    /// export did not contain it (marked missing, not dropped).
    pub fn add_media(
        &mut self,
        message: MessageId,
        file_name: &str,
        blob: Option<&BlobInfo>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO media (message_id, file_name, blob, size, sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                message.0,
                file_name,
                blob.map(|b| b.id.to_string()),
                blob.map(|b| b.size as i64),
                blob.map(|b| b.sha256.to_vec())
            ])?;
        Ok(())
    }

    /// Sets a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }
}

impl Store {
    /// A case with its labels.
    pub fn case(&self, case: CaseId) -> Result<Option<Case>, StoreError> {
        let conn = self.connection();
        let row = conn
            .prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"))?
            .query_row([case.0], case_from_row)
            .optional()?;
        let Some((found, status)) = row else {
            return Ok(None);
        };
        let labels = conn
            .prepare_cached("SELECT label FROM case_labels WHERE case_id = ?1 ORDER BY label")?
            .query_map([case.0], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(Some(Case {
            labels,
            ..with_status(found, &status)?
        }))
    }

    /// Every conversation's case, by conversation, with its labels: the
    /// list reads them in two queries, not two per row.
    pub fn cases_by_conversation(
        &self,
    ) -> Result<std::collections::HashMap<ConversationId, Case>, StoreError> {
        let conn = self.connection();
        let mut by_case = std::collections::HashMap::new();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE id IN (SELECT case_id FROM conversations)"
        ))?;
        for row in stmt.query_map([], case_from_row)? {
            let (case, status) = row?;
            by_case.insert(case.id, with_status(case, &status)?);
        }
        let mut stmt =
            conn.prepare_cached("SELECT case_id, label FROM case_labels ORDER BY label")?;
        for row in stmt.query_map([], |row| Ok((CaseId(row.get(0)?), row.get(1)?)))? {
            let (case, label) = row?;
            if let Some(found) = by_case.get_mut(&case) {
                found.labels.push(label);
            }
        }
        let mut stmt =
            conn.prepare_cached("SELECT id, case_id FROM conversations WHERE case_id IS NOT NULL")?;
        let pairs = stmt.query_map([], |row| {
            Ok((ConversationId(row.get(0)?), CaseId(row.get(1)?)))
        })?;
        let mut found = std::collections::HashMap::new();
        for pair in pairs {
            let (conversation, case) = pair?;
            if let Some(case) = by_case.get(&case) {
                found.insert(conversation, case.clone());
            }
        }
        Ok(found)
    }

    /// How many messages `operator` had seen of each conversation at their
    /// last look.
    pub fn looks(
        &self,
        operator: &str,
    ) -> Result<std::collections::HashMap<ConversationId, i64>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT conversation_id, messages_seen FROM looks WHERE operator = ?1",
        )?;
        let rows = stmt.query_map([operator], |row| {
            Ok((ConversationId(row.get(0)?), row.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The case with this reference number.
    pub fn case_with_reference(&self, reference: &str) -> Result<Option<CaseId>, StoreError> {
        Ok(self
            .connection()
            .prepare_cached("SELECT id FROM cases WHERE reference = ?1")?
            .query_row([reference], |row| row.get(0))
            .optional()?
            .map(CaseId))
    }

    /// The case a conversation is in.
    pub fn case_of(&self, conversation: ConversationId) -> Result<Option<CaseId>, StoreError> {
        let case: Option<Option<i64>> = self
            .connection()
            .prepare_cached("SELECT case_id FROM conversations WHERE id = ?1")?
            .query_row([conversation.0], |row| row.get(0))
            .optional()?;
        Ok(case.flatten().map(CaseId))
    }

    /// A conversation's files: (message, file name, blob if present).
    pub fn media(
        &self,
        conversation: ConversationId,
    ) -> Result<Vec<(MessageId, String, Option<crate::blob::BlobId>)>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT media.message_id, media.file_name, media.blob FROM media
             JOIN messages ON messages.id = media.message_id
             WHERE messages.conversation_id = ?1 ORDER BY messages.seq, media.id",
        )?;
        let rows = stmt.query_map([conversation.0], |row| {
            let blob: Option<String> = row.get(2)?;
            Ok((MessageId(row.get(0)?), row.get(1)?, blob))
        })?;
        rows.map(|row| {
            let (message, name, blob) = row?;
            let blob = match blob {
                None => None,
                Some(text) => Some(crate::blob::BlobId::parse(&text).ok_or(
                    StoreError::DamagedRow {
                        table: "media",
                        id: message.0,
                    },
                )?),
            };
            Ok((message, name, blob))
        })
        .collect()
    }

    /// A conversation's files as rows: (row id, message, file name, blob
    /// if the export had it, size), in message order.
    pub fn media_rows(&self, conversation: ConversationId) -> Result<Vec<MediaRow>, StoreError> {
        self.media_where(
            "messages.conversation_id = ?1 ORDER BY messages.seq, media.id",
            conversation.0,
        )
    }

    /// One file's row, with the conversation its message is in.
    pub fn media_row(&self, id: i64) -> Result<Option<(ConversationId, MediaRow)>, StoreError> {
        let conversation: Option<i64> = self
            .connection()
            .prepare_cached(
                "SELECT messages.conversation_id FROM media
                 JOIN messages ON messages.id = media.message_id WHERE media.id = ?1",
            )?
            .query_row([id], |row| row.get(0))
            .optional()?;
        let Some(conversation) = conversation else {
            return Ok(None);
        };
        Ok(self
            .media_where("media.id = ?1", id)?
            .pop()
            .map(|row| (ConversationId(conversation), row)))
    }

    fn media_where(&self, condition: &str, value: i64) -> Result<Vec<MediaRow>, StoreError> {
        let mut stmt = self.connection().prepare_cached(&format!(
            "SELECT media.id, media.message_id, media.file_name, media.blob, media.size FROM media
             JOIN messages ON messages.id = media.message_id WHERE {condition}"
        ))?;
        let rows = stmt.query_map([value], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                MessageId(row.get(1)?),
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (id, message, file_name, blob, size) = row?;
            let blob = match blob {
                None => None,
                Some(text) => Some(
                    crate::blob::BlobId::parse(&text)
                        .ok_or(StoreError::DamagedRow { table: "media", id })?,
                ),
            };
            Ok(MediaRow {
                id,
                message,
                file_name,
                blob,
                size: size.and_then(|s| u64::try_from(s).ok()),
            })
        })
        .collect()
    }

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?)
    }
}
