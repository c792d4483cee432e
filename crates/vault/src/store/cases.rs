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

    fn from_name(name: &str) -> Option<Self> {
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
    pub notes: String,
    pub handover_note: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
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

    /// Sets the status; closing stamps the time, reopening clears it.
    pub fn set_case_status(
        &mut self,
        case: CaseId,
        status: CaseStatus,
        at: i64,
    ) -> Result<(), StoreError> {
        let closed_at = (status == CaseStatus::Resolved).then_some(at);
        self.tx
            .prepare_cached("UPDATE cases SET status = ?2, closed_at = ?3 WHERE id = ?1")?
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
            .prepare_cached("UPDATE cases SET notes = ?2, handover_note = ?3 WHERE id = ?1")?
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
            .prepare_cached(
                "SELECT reference, status, notes, handover_note, opened_at, closed_at
                 FROM cases WHERE id = ?1",
            )?
            .query_row([case.0], |row| {
                Ok((
                    row.get::<_, Option<String>>(0)?,
                    row.get::<_, String>(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            })
            .optional()?;
        let Some((reference, status, notes, handover_note, opened_at, closed_at)) = row else {
            return Ok(None);
        };
        let labels = conn
            .prepare_cached("SELECT label FROM case_labels WHERE case_id = ?1 ORDER BY label")?
            .query_map([case.0], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(Some(Case {
            id: case,
            reference,
            status: CaseStatus::from_name(&status).ok_or(StoreError::DamagedRow {
                table: "cases",
                id: case.0,
            })?,
            labels,
            notes,
            handover_note,
            opened_at,
            closed_at,
        }))
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

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?)
    }
}
