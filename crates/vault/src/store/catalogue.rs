//! What the admin keeps for the day's work: the labels (case types, each
//! with a colour) and the canned replies.

use std::fmt;

use rusqlite::params;

use super::{Store, StoreError, Writer};

/// A label as the admin keeps it. A removed label stays on the cases that
/// have it, and is no longer offered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub name: String,
    /// A colour's name from the window's palette.
    pub colour: String,
    pub removed_at: Option<i64>,
}

/// A canned reply: a title, a `/shortcode` and a text with placeholders,
/// for every conversation or only those with `label`.
#[derive(Clone, PartialEq, Eq)]
pub struct CannedReply {
    pub shortcode: String,
    pub title: String,
    pub text: String,
    pub label: Option<String>,
}

impl fmt::Debug for CannedReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CannedReply")
            .field("shortcode", &self.shortcode)
            .finish_non_exhaustive()
    }
}

impl Writer<'_> {
    /// Adds a label, or changes its colour (and takes a removed one back).
    pub fn put_label(&mut self, name: &str, colour: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO labels (name, colour) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET colour = excluded.colour, removed_at = NULL",
            )?
            .execute(params![name, colour])?;
        Ok(())
    }

    /// Stops offering a label; whether there was one to remove.
    pub fn remove_label(&mut self, name: &str, at: i64) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "UPDATE labels SET removed_at = ?2 WHERE name = ?1 AND removed_at IS NULL",
            )?
            .execute(params![name, at])?
            > 0)
    }

    /// Adds a canned reply, or replaces the one with its shortcode.
    pub fn put_canned_reply(&mut self, reply: &CannedReply) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO canned_replies (shortcode, title, text, label) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (shortcode) DO UPDATE SET title = excluded.title,
                 text = excluded.text, label = excluded.label",
            )?
            .execute(params![
                reply.shortcode,
                reply.title,
                reply.text,
                reply.label
            ])?;
        Ok(())
    }

    /// Removes a canned reply; whether there was one.
    pub fn remove_canned_reply(&mut self, shortcode: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("DELETE FROM canned_replies WHERE shortcode = ?1")?
            .execute([shortcode])?
            > 0)
    }
}

impl Store {
    /// Every label ever kept, by name.
    pub fn labels(&self) -> Result<Vec<Label>, StoreError> {
        let mut stmt = self
            .connection()
            .prepare_cached("SELECT name, colour, removed_at FROM labels ORDER BY name")?;
        let rows = stmt.query_map([], |row| {
            Ok(Label {
                name: row.get(0)?,
                colour: row.get(1)?,
                removed_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every canned reply, by shortcode.
    pub fn canned_replies(&self) -> Result<Vec<CannedReply>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT shortcode, title, text, label FROM canned_replies ORDER BY shortcode",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(CannedReply {
                shortcode: row.get(0)?,
                title: row.get(1)?,
                text: row.get(2)?,
                label: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
