//! Full-text search, newest first.
//!
//! A person searching a chat archive wants the latest matching messages,
//! the way WhatsApp and mail clients show them; ranking every match by
//! relevance costs hundreds of milliseconds for a common word
//! (`../shared/notes/measurements.md`), reading the index newest first
//! costs under one. Message ids are time keys, so the index's own order is
//! time order and `ORDER BY rowid DESC LIMIT n` stops after n matches.

use std::fmt;

use rusqlite::params;

use super::{ConversationId, MessageId, Store, StoreError};

/// What the person typed, turned into an FTS5 query that cannot be a
/// syntax error: every word and every "quoted phrase" becomes a quoted
/// FTS5 string, all of them required; a word ending in `*` matches as a
/// prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchQuery {
    fts: String,
}

/// A search that has nothing to look for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    #[error("type a word to search for")]
    NoWords,
    #[error("a word searched for by its beginning needs at least two letters before the *")]
    PrefixTooShort,
}

impl fmt::Debug for SearchQuery {
    // What was searched for is citizen data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SearchQuery(..)")
    }
}

impl SearchQuery {
    /// Reads what was typed.
    pub fn parse(typed: &str) -> Result<Self, SearchQueryError> {
        let mut terms: Vec<String> = Vec::new();
        let mut rest = typed;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix('"') {
                // A phrase runs to the next quote, or to the end when unclosed.
                let end = after.find('"').unwrap_or(after.len());
                push_term(&mut terms, &after[..end], false)?;
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                match word.strip_suffix('*') {
                    Some(stem) => push_term(&mut terms, stem, true)?,
                    None => push_term(&mut terms, word, false)?,
                }
                rest = &rest[end..];
            }
        }
        if terms.is_empty() {
            return Err(SearchQueryError::NoWords);
        }
        Ok(Self {
            fts: terms.join(" "),
        })
    }

    #[cfg(test)]
    pub(crate) fn fts(&self) -> &str {
        &self.fts
    }
}

fn push_term(terms: &mut Vec<String>, text: &str, prefix: bool) -> Result<(), SearchQueryError> {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters == 0 {
        return Ok(());
    }
    if prefix && letters < 2 {
        return Err(SearchQueryError::PrefixTooShort);
    }
    let mut term = String::with_capacity(text.len() + 4);
    term.push('"');
    term.push_str(&text.replace('"', "\"\""));
    term.push('"');
    if prefix {
        term.push_str(" *");
    }
    terms.push(term);
    Ok(())
}

/// Where a snippet's matched words start and end.
const MATCH_START: char = '\u{2}';
const MATCH_END: char = '\u{3}';

/// One matching message.
#[derive(Clone, PartialEq, Eq)]
pub struct Hit {
    pub message: MessageId,
    pub conversation: ConversationId,
    pub chat_name: String,
    pub author: Option<String>,
    /// A piece of the text around the match: (text, is a match) in order.
    pub snippet: Vec<(String, bool)>,
}

impl fmt::Debug for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hit")
            .field("message", &self.message)
            .field("conversation", &self.conversation)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The newest `limit` messages that match, newest first.
    pub fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<Hit>, StoreError> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT h.id, m.conversation_id, c.chat_name, m.author, h.snippet
             FROM (SELECT rowid AS id,
                          snippet(message_index, 0, char(2), char(3), '…', 16) AS snippet
                   FROM message_index WHERE message_index MATCH ?1
                   ORDER BY rowid DESC LIMIT ?2) AS h
             JOIN messages AS m ON m.id = h.id
             JOIN conversations AS c ON c.id = m.conversation_id
             ORDER BY h.id DESC",
        )?;
        let hits = stmt.query_map(params![query.fts, limit as i64], |row| {
            let snippet: String = row.get(4)?;
            Ok(Hit {
                message: MessageId(row.get(0)?),
                conversation: ConversationId(row.get(1)?),
                chat_name: row.get(2)?,
                author: row.get(3)?,
                snippet: split_snippet(&snippet),
            })
        })?;
        Ok(hits.collect::<Result<_, _>>()?)
    }
}

fn split_snippet(marked: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut in_match = false;
    for piece in marked.split([MATCH_START, MATCH_END]) {
        if !piece.is_empty() {
            parts.push((piece.to_owned(), in_match));
        }
        in_match = !in_match;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(typed: &str, expect: Result<&str, SearchQueryError>) {
        let got = SearchQuery::parse(typed);
        assert_eq!(
            got.as_ref().map(SearchQuery::fts),
            expect.as_ref().map(|s| *s)
        );
    }

    #[test]
    fn typed_queries_become_quoted_terms() {
        check("paspoort", Ok(r#""paspoort""#));
        check("  paspoort   aanvragen ", Ok(r#""paspoort" "aanvragen""#));
        check(
            r#""rijbewijs verlopen" gemeente"#,
            Ok(r#""rijbewijs verlopen" "gemeente""#),
        );
        check(r#""niet gesloten"#, Ok(r#""niet gesloten""#));
        check("afval*", Ok(r#""afval" *"#));
        check("a*", Err(SearchQueryError::PrefixTooShort));
        check("NEAR(a b) OR c", Ok(r#""NEAR(a" "b)" "OR" "c""#));
        check(r#"he"llo"#, Ok(r#""he" "llo""#));
        check("!!! ...", Err(SearchQueryError::NoWords));
        check("", Err(SearchQueryError::NoWords));
        check("06-12345678", Ok(r#""06-12345678""#));
    }

    #[test]
    fn snippets_split_at_their_marks() {
        assert_eq!(
            split_snippet("…de \u{2}paspoort\u{3} is \u{2}klaar\u{3}"),
            vec![
                ("…de ".to_owned(), false),
                ("paspoort".to_owned(), true),
                (" is ".to_owned(), false),
                ("klaar".to_owned(), true),
            ]
        );
    }
}
