//! The store: one SQLCipher database keyed with the raw data key, so every
//! name, number, time and the search index are encrypted on disk.
//!
//! The schema is in [`schema`]; searching in [`search`]. All writes go
//! through [`Writer`], one transaction each, which keeps the search index in
//! step with the messages (no triggers: a bulk import writes the index in
//! the same pass, which is what makes it fast).

mod cases;
mod catalogue;
mod conversations;
mod entries;
mod numbers;
mod packages;
mod schema;
mod search;
mod versions;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use crate::head::HeadFile;
use crate::keys::DataKey;
use crate::local_time::LocalTime;

pub use cases::{Case, CaseId, CaseStatus, MediaRow};
pub use catalogue::{CannedReply, Label};
pub use entries::{Entry, EntryId, EntryKind, NewTimelineEntry};
pub use packages::{MediaFile, PackageRecord, PackageStatus, Purged};
pub use schema::CURRENT as SCHEMA_VERSION;
pub use search::{Hit, SearchQuery, SearchQueryError, Within};
pub use versions::{MessageVersion, VersionKind};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file does not open with the vault's key: damaged, or not this vault's.
    #[error(
        "{path} cannot be read with this vault's key: it is damaged or belongs to another vault"
    )]
    Unreadable { path: PathBuf },
    /// Written by a newer Kluis.
    #[error(
        "the database has schema version {found}; this Kluis knows up to {known}: update Kluis"
    )]
    NewerSchema { found: u32, known: u32 },
    /// More than 65,536 messages stamped with the same second.
    #[error("more than 65536 messages at {0}")]
    SecondFull(LocalTime),
    /// No conversation with this id.
    #[error("there is no conversation {0}")]
    NoSuchConversation(i64),
    /// A conversation cannot be merged into itself.
    #[error("a conversation cannot be merged into itself")]
    MergeIntoItself,
    /// A row whose fields are not what Kluis writes.
    #[error("row {id} of {table} is damaged")]
    DamagedRow { table: &'static str, id: i64 },
    /// A search the index cannot run.
    #[error(transparent)]
    Query(#[from] SearchQueryError),
    /// The database file is not there, or not a regular file.
    #[error(
        "{0} is missing or not a file: the vault's database is gone. Nothing was created; restore \
         it from the latest backup (only `kluis init` makes a vault)"
    )]
    Missing(PathBuf),
    /// The database file is empty.
    #[error(
        "{0} is empty: the vault's database was emptied. Nothing was changed; restore it from the \
         latest backup"
    )]
    Empty(PathBuf),
    /// The database file could not be made or looked at.
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A page of the database fails SQLCipher's check, or its structure is broken.
    #[error(
        "the database (kluis.db) is damaged: a page fails its integrity check. The key slots and \
         the encrypted files are untouched; restore kluis.db from a backup"
    )]
    Damaged,
    /// SQLite refused for another reason: a full disk, a read-only folder, a bug.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match error.sqlite_error_code() {
            Some(DatabaseCorrupt | NotADatabase) => Self::Damaged,
            _ => Self::Sqlite(error),
        }
    }
}

/// A conversation's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationId(pub i64);

/// A message's row id: its time key (see [`MessageId::time`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub i64);

/// Places are renumbered in two steps through this offset (far beyond any
/// real place), so that no two rows of a conversation ever share one.
const ASIDE: i64 = 1 << 50;

/// Puts a message's text into the search index, with its phone numbers
/// beside it; an empty text is never indexed.
pub(crate) fn index_text(
    tx: &rusqlite::Connection,
    id: MessageId,
    text: &str,
) -> Result<(), rusqlite::Error> {
    if text.is_empty() {
        return Ok(());
    }
    tx.prepare_cached("INSERT INTO message_index (rowid, text) VALUES (?1, ?2)")?
        .execute(params![id.0, text])?;
    index_numbers(tx, id, text)
}

/// Keeps the phone numbers in `text` findable in any format.
pub(crate) fn index_numbers(
    tx: &rusqlite::Connection,
    id: MessageId,
    text: &str,
) -> Result<(), rusqlite::Error> {
    for found in numbers::numbers_in(text) {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO message_numbers (number, message_id) VALUES (?1, ?2)",
        )?
        .execute(params![found.canonical, id.0])?;
    }
    Ok(())
}

/// Messages that share a second are numbered below it.
const PER_SECOND: i64 = 1 << 16;

impl MessageId {
    /// The local time the message was stamped with.
    pub fn time(self) -> LocalTime {
        LocalTime::from_seconds(self.0.div_euclid(PER_SECOND))
    }
}

/// An original export file's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OriginalId(pub i64);

/// An original export file kept in the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Original {
    pub id: OriginalId,
    pub blob: crate::blob::BlobId,
    pub file_name: String,
    pub size: u64,
    pub sha256: [u8; 32],
}

/// A conversation as a list shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub chat_name: String,
    pub messages: i64,
    /// The newest message, whose id is its time.
    pub last: Option<MessageId>,
}

impl fmt::Debug for ConversationSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConversationSummary")
            .field("id", &self.id)
            .field("messages", &self.messages)
            .finish_non_exhaustive()
    }
}

/// What a message is (as the parser classifies it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// Written by WhatsApp.
    System,
    /// Deleted by its sender.
    Deleted,
    /// A file, with or without a caption.
    Media,
    /// Text.
    Text,
}

impl MessageKind {
    fn code(self) -> i64 {
        match self {
            Self::System => 0,
            Self::Deleted => 1,
            Self::Media => 2,
            Self::Text => 3,
        }
    }

    fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            0 => Self::System,
            1 => Self::Deleted,
            2 => Self::Media,
            3 => Self::Text,
            _ => return None,
        })
    }
}

/// A message to store.
#[derive(Clone, Copy)]
pub struct NewMessage<'a> {
    /// Local time as the export wrote it.
    pub at: LocalTime,
    /// `None` for WhatsApp's notices.
    pub author: Option<&'a str>,
    /// What it is.
    pub kind: MessageKind,
    /// The text, or a media message's caption.
    pub text: &'a str,
    /// The file it refers to, as the export names it.
    pub attachment: Option<&'a str>,
    /// The export file it came from.
    pub original: Option<OriginalId>,
}

impl fmt::Debug for NewMessage<'_> {
    // Citizen data never reaches a log through Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMessage")
            .field("kind", &self.kind)
            .field("text_bytes", &self.text.len())
            .finish_non_exhaustive()
    }
}

/// A stored message, as read back.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub id: MessageId,
    pub conversation: ConversationId,
    pub seq: i64,
    pub author: Option<String>,
    pub kind: MessageKind,
    pub text: String,
    pub attachment: Option<String>,
}

impl fmt::Debug for StoredMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredMessage")
            .field("id", &self.id)
            .field("conversation", &self.conversation)
            .field("seq", &self.seq)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl StoredMessage {
    /// From `id, conversation_id, seq, author, kind, text, attachment`.
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: MessageId(row.get(0)?),
            conversation: ConversationId(row.get(1)?),
            seq: row.get(2)?,
            author: row.get(3)?,
            kind: MessageKind::from_code(row.get(4)?).unwrap_or(MessageKind::Text),
            text: row.get(5)?,
            attachment: row.get(6)?,
        })
    }
}

/// How the database file is keyed.
#[derive(Clone, Copy, Debug)]
pub enum Keying<'k> {
    /// The vault's data key: SQLCipher encrypts every page.
    Encrypted(&'k DataKey),
    /// No encryption at all. Only for measuring what encryption costs
    /// (`make bench`); the vault never opens a store this way.
    #[cfg(feature = "bench-plain")]
    PlainForComparison,
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Where the audit head is recorded after each commit (see `head.rs`).
    head: Option<HeadFile>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Makes a new database at `path`, which must not exist: only a new
    /// vault makes one.
    pub fn create(path: &Path, keying: Keying<'_>) -> Result<Self, StoreError> {
        // SQLite would create the file readable by all (0644); the empty
        // file made here first is an empty database, and the WAL and shared
        // memory files take its mode.
        drop(
            crate::atomic::create_private(path).map_err(|source| StoreError::File {
                path: path.to_owned(),
                source,
            })?,
        );
        Self::connect(path, keying)
    }

    /// Opens the database at `path` and brings its schema up to date. It
    /// must be there, a file and not empty: a missing or emptied database
    /// is never taken for a new one.
    pub fn open(path: &Path, keying: Keying<'_>) -> Result<Self, StoreError> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if !meta.file_type().is_file() => {
                return Err(StoreError::Missing(path.to_owned()));
            }
            Ok(meta) if meta.len() == 0 => return Err(StoreError::Empty(path.to_owned())),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::Missing(path.to_owned()));
            }
            Err(source) => {
                return Err(StoreError::File {
                    path: path.to_owned(),
                    source,
                });
            }
        }
        Self::connect(path, keying)
    }

    fn connect(path: &Path, keying: Keying<'_>) -> Result<Self, StoreError> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Our errors name the file; SQLCipher's own lines on stderr would
        // only repeat them where no one reads them.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        match keying {
            Keying::Encrypted(key) => {
                // The raw key, so SQLCipher runs no key derivation of its own
                // (the slots did that). rusqlite copies this string into a
                // C string it frees without wiping: the one copy we cannot
                // reach. SQLCipher wipes its own copy on close.
                let hex = Zeroizing::new(crate::hex::encode(key.expose()));
                let pragma = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex.as_str()));
                conn.execute_batch(&pragma)?;
            }
            #[cfg(feature = "bench-plain")]
            Keying::PlainForComparison => {}
        }
        // The first read decrypts page 1: a wrong key or a damaged header shows here.
        let readable: Result<i64, _> =
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0));
        if readable.is_err() {
            return Err(StoreError::Unreadable {
                path: path.to_owned(),
            });
        }
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA secure_delete = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;",
        )?;
        schema::migrate(&mut conn)?;
        tracing::debug!(path = %path.display(), schema = schema::CURRENT, "store open");
        Ok(Self {
            conn,
            path: path.to_owned(),
            head: None,
        })
    }

    /// From now on, records the audit head in `head` after every commit
    /// that added an audit entry.
    pub(crate) fn keep_head_in(&mut self, head: HeadFile) {
        self.head = Some(head);
    }

    /// Copies the audit head beside the notes outside (at the lock; each
    /// commit records it in its own file only).
    pub(crate) fn copy_head_outside(&self) -> std::io::Result<()> {
        let head = crate::audit::head(&self.conn).map_err(std::io::Error::other)?;
        match (&self.head, head) {
            (Some(file), Some(head)) => file.write_copy(head),
            _ => Ok(()),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts one write transaction; nothing is stored until [`Writer::commit`].
    pub fn write(&mut self) -> Result<Writer<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Writer {
            tx,
            next_seq: HashMap::new(),
            last_second: None,
            head: self.head.as_ref(),
            audited: false,
        })
    }

    /// Every page checked: SQLCipher's HMAC of each page, then SQLite's
    /// structure. Returns what is wrong (empty: all is well).
    pub fn check_pages(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        for pragma in ["PRAGMA cipher_integrity_check", "PRAGMA integrity_check"] {
            let mut stmt = self.conn.prepare(pragma)?;
            let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
            for row in rows {
                let row = row?;
                if row != "ok" {
                    problems.push(row);
                }
            }
        }
        Ok(problems)
    }

    /// What a blob holds, in words without citizen data (`original 3`,
    /// `file of message 12 in conversation 4`), or `None` if no record
    /// names it.
    pub fn blob_owner(&self, blob: &str) -> Result<Option<String>, StoreError> {
        let original: Option<i64> = self
            .conn
            .query_row("SELECT id FROM originals WHERE blob = ?1", [blob], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = original {
            return Ok(Some(format!("the original export {id}")));
        }
        let media: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT media.id, messages.conversation_id FROM media
                 JOIN messages ON messages.id = media.message_id WHERE media.blob = ?1",
                [blob],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(media.map(|(id, conversation)| format!("file {id} of conversation {conversation}")))
    }

    /// The blob names every record refers to: originals and files.
    pub fn referenced_blobs(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT blob FROM originals UNION SELECT blob FROM media WHERE blob IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many conversations and messages are stored.
    pub fn counts(&self) -> Result<(i64, i64), StoreError> {
        let conversations = self
            .conn
            .query_row("SELECT count(*) FROM conversations", [], |r| r.get(0))?;
        let messages = self
            .conn
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
        Ok((conversations, messages))
    }

    /// A conversation's messages from place `from_seq` on, in order. Places
    /// start at 0 and go below it when an older export is imported later:
    /// `i64::MIN` reads from the first.
    pub fn messages(
        &self,
        conversation: ConversationId,
        from_seq: i64,
        limit: usize,
    ) -> Result<Vec<StoredMessage>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, conversation_id, seq, author, kind, text, attachment FROM messages
             WHERE conversation_id = ?1 AND seq >= ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![conversation.0, from_seq, limit as i64],
            StoredMessage::from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Up to `limit` messages before place `before_seq`, newest first.
    pub fn messages_back(
        &self,
        conversation: ConversationId,
        before_seq: i64,
        limit: usize,
    ) -> Result<Vec<StoredMessage>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, conversation_id, seq, author, kind, text, attachment FROM messages
             WHERE conversation_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![conversation.0, before_seq, limit as i64],
            StoredMessage::from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every conversation's participants, in one read.
    pub fn all_participants(&self) -> Result<HashMap<ConversationId, Vec<String>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT conversation_id, name FROM participants")?;
        let mut found: HashMap<ConversationId, Vec<String>> = HashMap::new();
        for row in stmt.query_map([], |row| Ok((ConversationId(row.get(0)?), row.get(1)?)))? {
            let (conversation, name) = row?;
            found.entry(conversation).or_default().push(name);
        }
        Ok(found)
    }

    /// One message by its id.
    pub fn message(&self, id: MessageId) -> Result<Option<StoredMessage>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, conversation_id, seq, author, kind, text, attachment FROM messages
                 WHERE id = ?1",
            )?
            .query_row([id.0], StoredMessage::from_row)
            .optional()?)
    }

    /// Every conversation, the most recently active first.
    pub fn conversations(&self) -> Result<Vec<ConversationSummary>, StoreError> {
        // A subquery per conversation reads one index entry each; a GROUP BY
        // over all messages costs 100+ ms at a million (measurements.md).
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.chat_name,
                    (SELECT count(*) FROM messages WHERE conversation_id = c.id),
                    (SELECT max(id) FROM messages WHERE conversation_id = c.id) AS last
             FROM conversations AS c ORDER BY last DESC NULLS LAST, c.id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(ConversationSummary {
                id: ConversationId(row.get(0)?),
                chat_name: row.get(1)?,
                messages: row.get(2)?,
                last: row.get::<_, Option<i64>>(3)?.map(MessageId),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every original export file.
    pub fn originals(&self) -> Result<Vec<Original>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, blob, file_name, size, sha256 FROM originals ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| {
            let blob: String = row.get(1)?;
            let sha256: Vec<u8> = row.get(4)?;
            Ok((
                row.get(0)?,
                blob,
                row.get(2)?,
                row.get::<_, i64>(3)?,
                sha256,
            ))
        })?;
        let mut originals = Vec::new();
        for row in rows {
            let (id, blob, file_name, size, sha256) = row?;
            let damaged = || StoreError::DamagedRow {
                table: "originals",
                id,
            };
            originals.push(Original {
                id: OriginalId(id),
                blob: crate::blob::BlobId::parse(&blob).ok_or_else(damaged)?,
                file_name,
                size: u64::try_from(size).map_err(|_| damaged())?,
                sha256: sha256.try_into().map_err(|_| damaged())?,
            });
        }
        Ok(originals)
    }

    /// The chat name of a conversation.
    pub fn chat_name(&self, conversation: ConversationId) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT chat_name FROM conversations WHERE id = ?1",
                [conversation.0],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Closes the database (checkpointing the WAL).
    pub fn close(self) -> Result<(), StoreError> {
        self.conn.close().map_err(|(_, e)| StoreError::from(e))
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// One write transaction. Dropped without [`Writer::commit`], it rolls back.
pub struct Writer<'s> {
    tx: rusqlite::Transaction<'s>,
    /// Next place per conversation touched in this transaction.
    next_seq: HashMap<ConversationId, i64>,
    /// The last second a message was stamped with, and its next number:
    /// messages mostly arrive in time order, so this spares a lookup each.
    last_second: Option<(i64, i64)>,
    head: Option<&'s HeadFile>,
    /// Whether an audit entry was added, so the head moves.
    audited: bool,
}

impl fmt::Debug for Writer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl Writer<'_> {
    /// A new, empty conversation.
    pub fn add_conversation(
        &mut self,
        chat_name: &str,
        created_at: i64,
    ) -> Result<ConversationId, StoreError> {
        self.tx
            .prepare_cached("INSERT INTO conversations (chat_name, created_at) VALUES (?1, ?2)")?
            .execute(params![chat_name, created_at])?;
        Ok(ConversationId(self.tx.last_insert_rowid()))
    }

    /// Records `name` as taking part in `conversation` (once).
    pub fn add_participant(
        &mut self,
        conversation: ConversationId,
        name: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO participants (conversation_id, name) VALUES (?1, ?2)",
            )?
            .execute(params![conversation.0, name])?;
        Ok(())
    }

    /// Appends a message to `conversation` and indexes its text.
    pub fn add_message(
        &mut self,
        conversation: ConversationId,
        message: &NewMessage<'_>,
    ) -> Result<MessageId, StoreError> {
        let seq = self.next_seq(conversation)?;
        self.insert_message(conversation, seq, message)
    }

    fn insert_message(
        &mut self,
        conversation: ConversationId,
        seq: i64,
        message: &NewMessage<'_>,
    ) -> Result<MessageId, StoreError> {
        let id = self.time_key(message.at)?;
        self.tx
            .prepare_cached(
                "INSERT INTO messages
                 (id, conversation_id, seq, author, kind, text, attachment, original_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id.0,
                conversation.0,
                seq,
                message.author,
                message.kind.code(),
                message.text,
                message.attachment,
                message.original.map(|o| o.0)
            ])?;
        index_text(&self.tx, id, message.text)?;
        Ok(id)
    }

    /// Records an original export file kept in a blob. Finish the blob
    /// before committing this: a crash between the two leaves an unused
    /// blob, never a record pointing at nothing.
    pub fn add_original(
        &mut self,
        blob: &crate::blob::BlobInfo,
        file_name: &str,
        imported_at: i64,
    ) -> Result<OriginalId, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO originals (blob, file_name, size, sha256, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                blob.id.to_string(),
                file_name,
                blob.size as i64,
                &blob.sha256[..],
                imported_at
            ])?;
        Ok(OriginalId(self.tx.last_insert_rowid()))
    }

    /// Appends an audit entry in this transaction: the action and its entry
    /// are stored together or not at all.
    pub fn audit(&mut self, entry: &crate::audit::NewEntry<'_>) -> Result<i64, StoreError> {
        self.audited = true;
        crate::audit::append(&self.tx, entry)
    }

    /// Makes everything written durable, or nothing (`synchronous = FULL`:
    /// the log is on disk when this returns), then records the audit head
    /// outside. A head left unrecorded by a crash or a full disk is behind,
    /// which the next unlock accepts; only a database behind it is refused.
    pub fn commit(self) -> Result<(), StoreError> {
        let head = match (self.head, self.audited) {
            (Some(file), true) => crate::audit::head(&self.tx)?.map(|head| (file, head)),
            _ => None,
        };
        self.tx.commit()?;
        if let Some((file, head)) = head
            && let Err(e) = file.write(head)
        {
            tracing::warn!(error = %e, "the audit head could not be recorded outside the database");
        }
        Ok(())
    }

    fn next_seq(&mut self, conversation: ConversationId) -> Result<i64, StoreError> {
        let next = match self.next_seq.get(&conversation) {
            Some(&next) => next,
            None => self.tx.query_row(
                "SELECT coalesce(max(seq) + 1, 0) FROM messages WHERE conversation_id = ?1",
                [conversation.0],
                |row| row.get(0),
            )?,
        };
        self.next_seq.insert(conversation, next + 1);
        Ok(next)
    }

    fn time_key(&mut self, at: LocalTime) -> Result<MessageId, StoreError> {
        let second = at.seconds();
        let number = match self.last_second {
            Some((last, next)) if last == second => next,
            _ => {
                let base = second * PER_SECOND;
                let top: Option<i64> = self.tx.query_row(
                    "SELECT max(id) FROM messages WHERE id >= ?1 AND id < ?2",
                    [base, base + PER_SECOND],
                    |row| row.get(0),
                )?;
                top.map_or(0, |top| top - base + 1)
            }
        };
        if number >= PER_SECOND {
            return Err(StoreError::SecondFull(at));
        }
        self.last_second = Some((second, number + 1));
        Ok(MessageId(second * PER_SECOND + number))
    }
}
