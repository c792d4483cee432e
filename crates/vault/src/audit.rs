//! The audit log: append-only, hash-chained, inside the encrypted store.
//!
//! Each entry's hash covers its fields and the previous entry's hash, so
//! an entry edited, removed or moved breaks the chain at that point. The
//! chain cannot show that entries were cut off at the end; the head's hash
//! goes into each day's sealed package (issue 8), which fixes it outside.

use std::fmt;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::store::{Store, StoreError};

/// What happened. Stored by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// The vault was created.
    Init,
    Unlock,
    /// A wrong passphrase; written at the next unlock, with its own time.
    FailedUnlock,
    Lock,
    Import,
    ViewConversation,
    Edit,
    Export,
    /// Unlocked outside the rules (shift hours) with the admin or recovery key.
    Override,
    Purge,
    /// A key slot was added, changed or removed.
    KeyChange,
    /// The closing procedure started.
    Closing,
    /// The day was closed (sealed, or the hard lock at the end of the day).
    DayClosed,
    /// A new day began after a closed one.
    NewDay,
    /// The laptop's clock read before the latest time seen.
    ClockSetBack,
}

impl AuditAction {
    const ALL: [Self; 15] = [
        Self::Init,
        Self::Unlock,
        Self::FailedUnlock,
        Self::Lock,
        Self::Import,
        Self::ViewConversation,
        Self::Edit,
        Self::Export,
        Self::Override,
        Self::Purge,
        Self::KeyChange,
        Self::Closing,
        Self::DayClosed,
        Self::NewDay,
        Self::ClockSetBack,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Init => "init",
            Self::Unlock => "unlock",
            Self::FailedUnlock => "failed_unlock",
            Self::Lock => "lock",
            Self::Import => "import",
            Self::ViewConversation => "view_conversation",
            Self::Edit => "edit",
            Self::Export => "export",
            Self::Override => "override",
            Self::Purge => "purge",
            Self::KeyChange => "key_change",
            Self::Closing => "closing",
            Self::DayClosed => "day_closed",
            Self::NewDay => "new_day",
            Self::ClockSetBack => "clock_set_back",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// One entry as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1, 2, 3, … without gaps.
    pub seq: i64,
    /// Unix seconds (UTC) by the laptop's clock.
    pub at: i64,
    /// Who was unlocked (`admin`, `recovery key`, `operator NAME`).
    pub operator: String,
    pub action: AuditAction,
    /// What it concerns, by id (`conversation 12`), never by content.
    pub subject: String,
    pub detail: String,
}

impl fmt::Debug for AuditEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditEntry")
            .field("seq", &self.seq)
            .field("at", &self.at)
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

/// What a new entry says.
#[derive(Clone, Copy, Debug)]
pub struct NewEntry<'a> {
    pub at: i64,
    pub operator: &'a str,
    pub action: AuditAction,
    pub subject: &'a str,
    pub detail: &'a str,
}

const GENESIS: [u8; 32] = [0; 32];

fn entry_hash(prev: &[u8], seq: i64, entry: &NewEntry<'_>) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"kluis audit v1\0");
    hash.update(prev);
    hash.update(seq.to_le_bytes());
    hash.update(entry.at.to_le_bytes());
    for field in [
        entry.operator,
        entry.action.name(),
        entry.subject,
        entry.detail,
    ] {
        // Length first, so no two field lists hash alike.
        hash.update((field.len() as u64).to_le_bytes());
        hash.update(field.as_bytes());
    }
    hash.finalize().into()
}

/// Appends an entry (inside the caller's transaction, so the action and
/// its entry are stored together or not at all). Returns its number.
pub(crate) fn append(conn: &Connection, entry: &NewEntry<'_>) -> Result<i64, StoreError> {
    let (seq, prev) = head(conn)?.unwrap_or((0, GENESIS));
    let seq = seq + 1;
    let hash = entry_hash(&prev, seq, entry);
    conn.prepare_cached(
        "INSERT INTO audit (seq, at, operator, action, subject, detail, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq,
        entry.at,
        entry.operator,
        entry.action.name(),
        entry.subject,
        entry.detail,
        &prev[..],
        &hash[..]
    ])?;
    Ok(seq)
}

/// The last entry's number and hash.
pub(crate) fn head(conn: &Connection) -> Result<Option<(i64, [u8; 32])>, StoreError> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(seq, hash)| (seq, hash.try_into().unwrap_or([0xff; 32]))))
}

/// The hash of entry `seq`, if there is one.
pub(crate) fn hash_at(conn: &Connection, seq: i64) -> Result<Option<[u8; 32]>, StoreError> {
    let hash: Option<Vec<u8>> = conn
        .query_row("SELECT hash FROM audit WHERE seq = ?1", [seq], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(hash.map(|h| h.try_into().unwrap_or([0xff; 32])))
}

/// The entries after `seq`, oldest first (a package's audit excerpt).
pub fn after(store: &Store, seq: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = store.connection().prepare_cached(
        "SELECT seq, at, operator, action, subject, detail FROM audit
         WHERE seq > ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([seq], entry_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let action: String = row.get(3)?;
    Ok(AuditEntry {
        seq: row.get(0)?,
        at: row.get(1)?,
        operator: row.get(2)?,
        // An unknown name fails verification; here it shows as an edit.
        action: AuditAction::from_name(&action).unwrap_or(AuditAction::Edit),
        subject: row.get(4)?,
        detail: row.get(5)?,
    })
}

/// The newest `limit` entries, newest first.
pub fn recent(store: &Store, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = store.connection().prepare_cached(
        "SELECT seq, at, operator, action, subject, detail FROM audit
         ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], entry_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's fields no longer give its hash.
    Edited { seq: i64 },
    /// Numbers are missing before this entry.
    Removed { from: i64, to: i64 },
    /// The entry does not follow the one before it: moved, or put in.
    OutOfPlace { seq: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Edited { seq } => write!(f, "entry {seq} was changed after it was written"),
            Self::Removed { from, to } if from == to => write!(f, "entry {from} was removed"),
            Self::Removed { from, to } => write!(f, "entries {from} to {to} were removed"),
            Self::OutOfPlace { seq } => {
                write!(
                    f,
                    "entry {seq} does not follow the entry before it (moved or inserted)"
                )
            }
        }
    }
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    /// Every break, in order; empty when the chain is whole.
    pub breaks: Vec<ChainBreak>,
}

/// Recomputes the whole chain.
pub fn verify(store: &Store) -> Result<ChainReport, StoreError> {
    let mut stmt = store.connection().prepare(
        "SELECT seq, at, operator, action, subject, detail, prev, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut report = ChainReport {
        entries: 0,
        breaks: Vec::new(),
    };
    let mut last_seq = 0;
    let mut last_hash = GENESIS.to_vec();
    while let Some(row) = rows.next()? {
        report.entries += 1;
        let seq: i64 = row.get(0)?;
        let action: String = row.get(3)?;
        let operator: String = row.get(2)?;
        let subject: String = row.get(4)?;
        let detail: String = row.get(5)?;
        let prev: Vec<u8> = row.get(6)?;
        let hash: Vec<u8> = row.get(7)?;
        if seq != last_seq + 1 {
            report.breaks.push(ChainBreak::Removed {
                from: last_seq + 1,
                to: seq - 1,
            });
        } else if prev != last_hash {
            report.breaks.push(ChainBreak::OutOfPlace { seq });
        }
        let recomputed = AuditAction::from_name(&action).map(|action| {
            entry_hash(
                &prev,
                seq,
                &NewEntry {
                    at: row.get(1).unwrap_or_default(),
                    operator: &operator,
                    action,
                    subject: &subject,
                    detail: &detail,
                },
            )
        });
        if recomputed.as_ref().map(|h| &h[..]) != Some(&hash[..]) {
            report.breaks.push(ChainBreak::Edited { seq });
        }
        last_seq = seq;
        last_hash = hash;
    }
    Ok(report)
}
