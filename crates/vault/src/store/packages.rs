//! Sealed packages: which records each carried, the chain's last link, and
//! the secrets the sealing needs (kept inside the encryption only).

use std::fmt;

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use super::{ConversationId, MessageId, Original, Store, StoreError, StoredMessage, Writer};
use crate::blob::BlobId;

/// A package as recorded after it was written and verified.
#[derive(Clone, PartialEq, Eq)]
pub struct PackageRecord {
    pub seq: i64,
    pub id: String,
    pub digest: [u8; 32],
    pub ciphertext_sha256: String,
    /// ISO 8601 with offset.
    pub period_start: String,
    pub period_end: String,
    /// The last audit entry the package's excerpt holds, and the excerpt's
    /// head (the SHA-256 of its last line, hex).
    pub audit_seq: i64,
    pub audit_head: String,
    pub sealed_at: i64,
}

impl fmt::Debug for PackageRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackageRecord")
            .field("seq", &self.seq)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A package's state after the seal: the archive's receipt, the purge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageStatus {
    pub record: PackageRecord,
    /// When the archive's receipt was recorded (its text is kept).
    pub receipt_at: Option<i64>,
    pub purged_at: Option<i64>,
}

/// What a purge removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub messages: u64,
    pub files: u64,
    pub originals: u64,
    pub conversations: u64,
    /// The blobs to remove once the transaction is committed.
    pub blobs: Vec<BlobId>,
}

/// A file a message refers to, not yet sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub message: MessageId,
    pub file_name: String,
    /// `None`: the export lacked it (marked missing).
    pub blob: Option<BlobId>,
    pub size: Option<u64>,
    pub sha256: Option<[u8; 32]>,
}

impl fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaFile")
            .field("message", &self.message)
            .field("present", &self.blob.is_some())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The conversations with records no package carried yet: messages,
    /// entries, or a case changed since the last seal.
    pub fn unsealed_conversations(&self) -> Result<Vec<ConversationId>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT conversation_id FROM messages WHERE package IS NULL
             UNION SELECT conversation_id FROM entries WHERE package IS NULL
             UNION SELECT conversations.id FROM conversations
                   JOIN cases ON cases.id = conversations.case_id WHERE cases.package IS NULL
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([], |row| Ok(ConversationId(row.get(0)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A conversation's messages no package carried yet, in order.
    pub fn unsealed_messages(
        &self,
        conversation: ConversationId,
    ) -> Result<Vec<StoredMessage>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT id, conversation_id, seq, author, kind, text, attachment FROM messages
             WHERE conversation_id = ?1 AND package IS NULL ORDER BY seq",
        )?;
        let rows = stmt.query_map([conversation.0], StoredMessage::from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The files of those messages.
    pub fn unsealed_media(
        &self,
        conversation: ConversationId,
    ) -> Result<Vec<MediaFile>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT media.message_id, media.file_name, media.blob, media.size, media.sha256
             FROM media JOIN messages ON messages.id = media.message_id
             WHERE messages.conversation_id = ?1 AND messages.package IS NULL
             ORDER BY messages.seq, media.id",
        )?;
        let rows = stmt.query_map([conversation.0], |row| {
            let blob: Option<String> = row.get(2)?;
            let size: Option<i64> = row.get(3)?;
            let sha256: Option<Vec<u8>> = row.get(4)?;
            Ok((MessageId(row.get(0)?), row.get(1)?, blob, size, sha256))
        })?;
        rows.map(|row| {
            let (message, file_name, blob, size, sha256) = row?;
            let damaged = || StoreError::DamagedRow {
                table: "media",
                id: message.0,
            };
            Ok(MediaFile {
                message,
                file_name,
                blob: blob
                    .map(|b| BlobId::parse(&b).ok_or_else(damaged))
                    .transpose()?,
                size: size
                    .map(|s| u64::try_from(s).map_err(|_| damaged()))
                    .transpose()?,
                sha256: sha256
                    .map(|h| h.try_into().map_err(|_| damaged()))
                    .transpose()?,
            })
        })
        .collect()
    }

    /// The original export files that brought those messages, not sealed yet.
    pub fn unsealed_originals(
        &self,
        conversation: ConversationId,
    ) -> Result<Vec<Original>, StoreError> {
        let ids: Vec<i64> = {
            let mut stmt = self.connection().prepare_cached(
                // A re-export that only showed stored messages otherwise
                // is kept for the versions it brought.
                "SELECT originals.id FROM originals
                 JOIN messages ON messages.original_id = originals.id
                 WHERE messages.conversation_id = ?1 AND originals.package IS NULL
                 UNION
                 SELECT originals.id FROM originals
                 JOIN message_versions v ON v.original_id = originals.id
                 JOIN messages ON messages.id = v.message_id
                 WHERE messages.conversation_id = ?1 AND originals.package IS NULL
                 ORDER BY 1",
            )?;
            let rows = stmt.query_map([conversation.0], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        Ok(self
            .originals()?
            .into_iter()
            .filter(|o| ids.contains(&o.id.0))
            .collect())
    }

    /// How many earlier packages carried part of this conversation.
    pub fn sealed_parts(&self, conversation: ConversationId) -> Result<i64, StoreError> {
        Ok(self.connection().query_row(
            "SELECT count(DISTINCT package) FROM messages
             WHERE conversation_id = ?1 AND package IS NOT NULL",
            [conversation.0],
            |row| row.get(0),
        )?)
    }

    /// Every package, oldest first, with its receipt and purge.
    pub fn packages(&self) -> Result<Vec<PackageStatus>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT seq, id, digest, ciphertext_sha256, period_start, period_end,
                    audit_seq, audit_head, sealed_at, receipt_at, purged_at
             FROM packages ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                Self::package_from_row(row)?,
                row.get::<_, Option<i64>>(9)?,
                row.get::<_, Option<i64>>(10)?,
            ))
        })?;
        rows.map(|row| {
            let (record, receipt_at, purged_at) = row?;
            Ok(PackageStatus {
                record: record?,
                receipt_at,
                purged_at,
            })
        })
        .collect()
    }

    #[allow(clippy::type_complexity)]
    fn package_from_row(
        row: &rusqlite::Row<'_>,
    ) -> rusqlite::Result<Result<PackageRecord, StoreError>> {
        let seq: i64 = row.get(0)?;
        let digest: Vec<u8> = row.get(2)?;
        Ok(digest
            .try_into()
            .map_err(|_| StoreError::DamagedRow {
                table: "packages",
                id: seq,
            })
            .and_then(|digest| {
                Ok(PackageRecord {
                    seq,
                    id: row.get(1)?,
                    digest,
                    ciphertext_sha256: row.get(3)?,
                    period_start: row.get(4)?,
                    period_end: row.get(5)?,
                    audit_seq: row.get(6)?,
                    audit_head: row.get(7)?,
                    sealed_at: row.get(8)?,
                })
            }))
    }

    /// The last package written, the chain's last link.
    pub fn last_package(&self) -> Result<Option<PackageRecord>, StoreError> {
        self.connection()
            .query_row(
                "SELECT seq, id, digest, ciphertext_sha256, period_start, period_end,
                        audit_seq, audit_head, sealed_at
                 FROM packages ORDER BY seq DESC LIMIT 1",
                [],
                Self::package_from_row,
            )
            .optional()?
            .transpose()
    }

    /// A secret kept inside the encryption, wiped from memory when dropped.
    pub fn secret(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        Ok(self
            .connection()
            .query_row("SELECT value FROM secrets WHERE name = ?1", [name], |row| {
                row.get::<_, Vec<u8>>(0)
            })
            .optional()?
            .map(Zeroizing::new))
    }
}

impl Writer<'_> {
    /// Records the package and marks every record not sealed before as
    /// carried by it.
    pub fn record_package(&mut self, package: &PackageRecord) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO packages (seq, id, digest, ciphertext_sha256, period_start, period_end,
                                   audit_seq, audit_head, sealed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                package.seq,
                package.id,
                package.digest.as_slice(),
                package.ciphertext_sha256,
                package.period_start,
                package.period_end,
                package.audit_seq,
                package.audit_head,
                package.sealed_at
            ],
        )?;
        self.tx.execute(
            "UPDATE messages SET package = ?1 WHERE package IS NULL",
            [package.seq],
        )?;
        for table in ["originals", "entries", "cases"] {
            self.tx.execute(
                &format!("UPDATE {table} SET package = ?1 WHERE package IS NULL"),
                [package.seq],
            )?;
        }
        Ok(())
    }

    /// Keeps the archive's receipt for package `seq`.
    pub fn record_receipt(&mut self, seq: i64, receipt: &str, at: i64) -> Result<(), StoreError> {
        let changed = self.tx.execute(
            "UPDATE packages SET receipt = ?2, receipt_at = ?3 WHERE seq = ?1",
            params![seq, receipt, at],
        )?;
        if changed == 0 {
            return Err(StoreError::DamagedRow {
                table: "packages",
                id: seq,
            });
        }
        Ok(())
    }

    /// Removes the records package `seq` carried: its messages (and their
    /// entries in the search index), their files, the originals no other
    /// message needs, and conversations left empty. The blobs are for the
    /// caller to remove after the commit.
    pub fn purge_package(&mut self, seq: i64, at: i64) -> Result<Purged, StoreError> {
        let mut purged = Purged {
            blobs: self.blob_ids(
                "SELECT media.blob FROM media JOIN messages ON messages.id = media.message_id
             WHERE messages.package = ?1 AND media.blob IS NOT NULL",
                seq,
                "media",
            )?,
            ..Purged::default()
        };
        purged.files = self.tx.execute(
            "DELETE FROM media WHERE message_id IN (SELECT id FROM messages WHERE package = ?1)",
            [seq],
        )? as u64;
        self.tx.execute(
            "DELETE FROM message_numbers
             WHERE message_id IN (SELECT id FROM messages WHERE package = ?1)",
            [seq],
        )?;
        self.tx.execute(
            // Only what was indexed: an empty text never was, and deleting
            // what an external-content index does not hold corrupts it.
            "INSERT INTO message_index (message_index, rowid, text)
             SELECT 'delete', id, text FROM messages WHERE package = ?1 AND text != ''",
            [seq],
        )?;
        self.tx.execute(
            "DELETE FROM message_versions
             WHERE message_id IN (SELECT id FROM messages WHERE package = ?1)",
            [seq],
        )?;
        self.tx.execute(
            "UPDATE messages SET original_id = NULL WHERE package = ?1",
            [seq],
        )?;
        let empty_before: Vec<i64> = {
            let mut stmt = self
                .tx
                .prepare("SELECT DISTINCT conversation_id FROM messages WHERE package = ?1")?;
            let rows = stmt.query_map([seq], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        purged.messages =
            self.tx
                .execute("DELETE FROM messages WHERE package = ?1", [seq])? as u64;
        // The operator's entries are records of the same package.
        self.tx
            .execute("DELETE FROM entries WHERE package = ?1", [seq])?;
        let originals = self.blob_ids(
            "SELECT blob FROM originals WHERE package = ?1
             AND NOT EXISTS (SELECT 1 FROM messages WHERE original_id = originals.id)
             AND NOT EXISTS (SELECT 1 FROM message_versions WHERE original_id = originals.id)",
            seq,
            "originals",
        )?;
        purged.blobs.extend(originals);
        purged.originals = self.tx.execute(
            "DELETE FROM originals WHERE package = ?1
             AND NOT EXISTS (SELECT 1 FROM messages WHERE original_id = originals.id)
             AND NOT EXISTS (SELECT 1 FROM message_versions WHERE original_id = originals.id)",
            [seq],
        )? as u64;
        for conversation in empty_before {
            // A conversation goes only with every record it holds: no
            // message left, no entry of another package or of none yet, and
            // a case no later change left unsealed. Its case goes with it.
            let case: Option<i64> = self
                .tx
                .query_row(
                    "SELECT case_id FROM conversations WHERE id = ?1",
                    [conversation],
                    |row| row.get(0),
                )
                .optional()?
                .flatten();
            let gone = self.tx.execute(
                "DELETE FROM conversations WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?1)
                 AND NOT EXISTS (SELECT 1 FROM entries WHERE conversation_id = ?1)
                 AND NOT EXISTS (SELECT 1 FROM cases WHERE cases.id = conversations.case_id
                                 AND cases.package IS NULL)",
                [conversation],
            )? as u64;
            if let (1, Some(case)) = (gone, case) {
                self.tx.execute(
                    "DELETE FROM cases WHERE id = ?1
                     AND NOT EXISTS (SELECT 1 FROM conversations WHERE case_id = ?1)",
                    [case],
                )?;
            }
            purged.conversations += gone;
        }
        self.tx.execute(
            "UPDATE packages SET purged_at = ?2 WHERE seq = ?1",
            params![seq, at],
        )?;
        Ok(purged)
    }

    /// The blob ids `sql` selects for package `seq`.
    fn blob_ids(
        &self,
        sql: &str,
        seq: i64,
        table: &'static str,
    ) -> Result<Vec<BlobId>, StoreError> {
        let mut stmt = self.tx.prepare(sql)?;
        let rows = stmt.query_map([seq], |row| row.get::<_, String>(0))?;
        rows.map(|blob| BlobId::parse(&blob?).ok_or(StoreError::DamagedRow { table, id: seq }))
            .collect()
    }

    /// Keeps a secret (replacing one of the same name).
    pub fn set_secret(&mut self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO secrets (name, value) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            params![name, value],
        )?;
        Ok(())
    }
}
