//! The database's schema, as numbered migrations. `PRAGMA user_version` is
//! the number of migrations applied; each runs in its own transaction, so a
//! crash leaves the database at one version or the next, never between.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Every migration, in order. Append only: a shipped migration never changes.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE cases (
        id            INTEGER PRIMARY KEY,
        reference     TEXT UNIQUE,
        status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting', 'closed')),
        notes         TEXT NOT NULL DEFAULT '',
        handover_note TEXT NOT NULL DEFAULT '',
        opened_at     INTEGER NOT NULL,
        closed_at     INTEGER
    );
    CREATE TABLE case_labels (
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        label   TEXT NOT NULL,
        PRIMARY KEY (case_id, label)
    ) WITHOUT ROWID;

    CREATE TABLE conversations (
        id         INTEGER PRIMARY KEY,
        chat_name  TEXT NOT NULL,
        case_id    INTEGER REFERENCES cases(id),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_by_case ON conversations(case_id);

    CREATE TABLE participants (
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        PRIMARY KEY (conversation_id, name)
    ) WITHOUT ROWID;

    -- The original export files: the authentic record, byte-exact in a blob.
    CREATE TABLE originals (
        id          INTEGER PRIMARY KEY,
        blob        TEXT NOT NULL UNIQUE,
        file_name   TEXT NOT NULL,
        size        INTEGER NOT NULL,
        sha256      BLOB NOT NULL,
        imported_at INTEGER NOT NULL
    );

    -- A message's id is its time key (local seconds * 65536 + n), so that
    -- id order is time order and a search can read the index newest first
    -- without sorting. seq is its place in its conversation.
    CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id),
        seq             INTEGER NOT NULL,
        author          TEXT,
        kind            INTEGER NOT NULL,
        text            TEXT NOT NULL,
        attachment      TEXT,
        original_id     INTEGER REFERENCES originals(id)
    );
    CREATE UNIQUE INDEX messages_by_conversation ON messages(conversation_id, seq);

    CREATE TABLE media (
        id          INTEGER PRIMARY KEY,
        message_id  INTEGER NOT NULL REFERENCES messages(id),
        file_name   TEXT NOT NULL,
        blob        TEXT UNIQUE,
        size        INTEGER,
        sha256      BLOB
    );
    CREATE INDEX media_by_message ON media(message_id);

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Append-only, hash-chained: see audit.rs.
    CREATE TABLE audit (
        seq      INTEGER PRIMARY KEY,
        at       INTEGER NOT NULL,
        operator TEXT NOT NULL,
        action   TEXT NOT NULL,
        subject  TEXT NOT NULL,
        detail   TEXT NOT NULL,
        prev     BLOB NOT NULL,
        hash     BLOB NOT NULL
    );

    -- The search index holds no text of its own (external content); the
    -- store keeps it in step with messages, without triggers.
    CREATE VIRTUAL TABLE message_index USING fts5(
        text, content = 'messages', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    -- SQLCipher leaves 4016 of 4096 bytes a page; FTS5's default 4050-byte
    -- leaves would overflow into a second page each.
    INSERT INTO message_index(message_index, rank) VALUES ('pgsz', 3900);
    "#,
    // 2: where messages may be missing in a conversation (two exports that
    // do not meet), and which conversation was merged into which.
    r#"
    CREATE TABLE gaps (
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        before_seq      INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, before_seq)
    ) WITHOUT ROWID;
    CREATE INDEX conversations_by_name ON conversations(chat_name);
    CREATE INDEX messages_by_original ON messages(original_id);
    "#,
    // 3: the sealed packages, which records each carried (NULL: not yet
    // sealed), and secrets that must never leave the encryption (the
    // package signing key).
    r#"
    CREATE TABLE packages (
        seq               INTEGER PRIMARY KEY,
        id                TEXT NOT NULL UNIQUE,
        digest            BLOB NOT NULL,
        ciphertext_sha256 TEXT NOT NULL,
        period_start      TEXT NOT NULL,
        period_end        TEXT NOT NULL,
        audit_seq         INTEGER NOT NULL,
        audit_head        TEXT NOT NULL,
        sealed_at         INTEGER NOT NULL
    );
    ALTER TABLE messages ADD COLUMN package INTEGER REFERENCES packages(seq);
    ALTER TABLE originals ADD COLUMN package INTEGER REFERENCES packages(seq);
    CREATE INDEX messages_unsealed ON messages(conversation_id) WHERE package IS NULL;
    CREATE TABLE secrets (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 4: the archive's receipt for a package, and when its records were
    // purged here.
    r#"
    ALTER TABLE packages ADD COLUMN receipt TEXT;
    ALTER TABLE packages ADD COLUMN receipt_at INTEGER;
    ALTER TABLE packages ADD COLUMN purged_at INTEGER;
    "#,
    // 5: the case worked in the window. A snooze (until a time, or until
    // the citizen writes), why a case reopened by itself, who wrote the
    // handover note and when, and whether the case changed since the last
    // seal (package NULL: every case once, the first time). The operator's entries in the timeline (notes,
    // calls, visits, other channels, replies set out); the labels and
    // canned replies the admin keeps; what each operator last looked at.
    r#"
    ALTER TABLE cases ADD COLUMN snoozed_until INTEGER;
    ALTER TABLE cases ADD COLUMN snoozed_for_reply INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cases ADD COLUMN reopened TEXT;
    ALTER TABLE cases ADD COLUMN reopened_at INTEGER;
    ALTER TABLE cases ADD COLUMN handover_at INTEGER;
    ALTER TABLE cases ADD COLUMN handover_by TEXT;
    -- Every case goes into the next package once, as it stands: a change
    -- since the last seal cannot be told apart from an older one.
    ALTER TABLE cases ADD COLUMN package INTEGER REFERENCES packages(seq);

    -- at_local is local seconds (as a message's time key / 65536), so an
    -- entry sorts among the messages; written_at is UTC. sent_as is the
    -- message a reply was seen as (no foreign key: a purge removes
    -- messages and their entries together).
    CREATE TABLE entries (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        kind            TEXT NOT NULL CHECK (kind IN ('note', 'call', 'visit', 'channel', 'reply')),
        at_local        INTEGER NOT NULL,
        written_at      INTEGER NOT NULL,
        operator        TEXT NOT NULL,
        text            TEXT NOT NULL,
        sent_as         INTEGER,
        withdrawn_at    INTEGER,
        package         INTEGER REFERENCES packages(seq)
    );
    CREATE INDEX entries_by_conversation ON entries(conversation_id, at_local);
    CREATE INDEX entries_pending ON entries(conversation_id)
        WHERE kind = 'reply' AND sent_as IS NULL AND withdrawn_at IS NULL;

    CREATE TABLE labels (
        name       TEXT PRIMARY KEY,
        colour     TEXT NOT NULL,
        removed_at INTEGER
    ) WITHOUT ROWID;

    CREATE TABLE canned_replies (
        shortcode TEXT PRIMARY KEY,
        title     TEXT NOT NULL,
        text      TEXT NOT NULL,
        label     TEXT
    ) WITHOUT ROWID;

    CREATE TABLE looks (
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        operator        TEXT NOT NULL,
        messages_seen   INTEGER NOT NULL,
        at              INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, operator)
    ) WITHOUT ROWID;
    "#,
    // 6: search as people type. The index also keeps every 2- and
    // 3-letter beginning, so a word typed so far (`de`, `pas`) is one
    // lookup read newest first rather than a merge of every word it
    // begins; phone numbers are kept in one format beside it (the index
    // splits them at spaces), filled for stored messages by
    // `fill_numbers`.
    r#"
    DROP TABLE message_index;
    CREATE VIRTUAL TABLE message_index USING fts5(
        text, content = 'messages', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    );
    INSERT INTO message_index(message_index, rank) VALUES ('pgsz', 3900);
    INSERT INTO message_index(rowid, text) SELECT id, text FROM messages WHERE text != '';

    CREATE TABLE message_numbers (
        number     TEXT NOT NULL,
        message_id INTEGER NOT NULL,
        PRIMARY KEY (number, message_id)
    ) WITHOUT ROWID;
    CREATE INDEX message_numbers_by_message ON message_numbers(message_id);
    "#,
    // 7: what a later export showed of a stored message (deleted by the
    // citizen since, its text before an edit), kept beside it with the
    // export that showed it (`versions.rs`).
    r#"
    CREATE TABLE message_versions (
        id          INTEGER PRIMARY KEY,
        message_id  INTEGER NOT NULL REFERENCES messages(id),
        why         INTEGER NOT NULL,
        text        TEXT NOT NULL,
        original_id INTEGER REFERENCES originals(id),
        noted_at    INTEGER NOT NULL
    );
    CREATE INDEX message_versions_by_message ON message_versions(message_id);
    "#,
];

/// The migration after which the stored messages' numbers are filled.
const NUMBERS_MIGRATION: usize = 6;

/// Every stored message's phone numbers, for a vault made before they were
/// kept.
fn fill_numbers(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let mut stmt = tx.prepare("SELECT id, text FROM messages WHERE text != ''")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let text: String = row.get(1)?;
        super::index_numbers(tx, super::MessageId(row.get(0)?), &text)?;
    }
    Ok(())
}

/// The version a database of this build has.
pub const CURRENT: u32 = MIGRATIONS.len() as u32;

/// Brings the database to [`CURRENT`], refusing one from a newer build.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, CURRENT)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > CURRENT {
        return Err(StoreError::NewerSchema {
            found,
            known: CURRENT,
        });
    }
    let due = MIGRATIONS.iter().enumerate().take(target as usize);
    for (index, sql) in due.skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        if index + 1 == NUMBERS_MIGRATION {
            fill_numbers(&tx)?;
        }
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vault_from_before_search_as_typed_finds_its_numbers_and_prefixes() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, NUMBERS_MIGRATION as u32 - 1).unwrap();
        conn.execute_batch(
            "INSERT INTO conversations (id, chat_name, created_at) VALUES (1, 'Jan', 0);
             INSERT INTO messages (id, conversation_id, seq, kind, text)
                 VALUES (65536, 1, 1, 0, 'bel 06-12345678'), (131072, 1, 2, 0, '');
             INSERT INTO message_index (rowid, text) VALUES (65536, 'bel 06-12345678');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count("SELECT message_id FROM message_numbers WHERE number = '31612345678'"),
            65536
        );
        assert_eq!(
            count("SELECT rowid FROM message_index WHERE message_index MATCH 'be*'"),
            65536
        );
        assert_eq!(count("SELECT count(*) FROM message_index_docsize"), 1);
    }
}
