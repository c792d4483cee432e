//! Full-text search, newest first.
//!
//! A person searching a chat archive wants the latest matching messages,
//! the way WhatsApp and mail clients show them; ranking every match by
//! relevance costs hundreds of milliseconds for a common word
//! (`../shared/notes/measurements.md`), reading the index newest first
//! costs under one. Message ids are time keys, so the index's own order is
//! time order and `ORDER BY rowid DESC LIMIT n` stops after n matches.

use std::fmt;

use rusqlite::types::Value;

use super::{ConversationId, MessageId, PER_SECOND, Store, StoreError, numbers};
use crate::LocalTime;

/// What the person typed, read as people type into a search box: every
/// word also as the beginning of a longer one (`paspo` finds `paspoort`;
/// a trailing `*` says the same), a "quoted phrase" as written, and a
/// phone number in any format. Case and diacritics do not count (`cafe`
/// finds `café`). Turned into an FTS5 query that cannot be a syntax error.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Term>,
}

/// One thing every match must hold.
#[derive(Clone, PartialEq, Eq)]
enum Term {
    /// A word, matched as the beginning of a word (one letter: whole).
    Word(String),
    /// Words in this order, whole.
    Phrase(String),
    /// A phone number's canonical digits, matched as the beginning of a
    /// number (see [`super::numbers`]).
    Number(String),
}

/// A search that has nothing to look for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    #[error("type a word to search for")]
    NoWords,
}

impl fmt::Debug for SearchQuery {
    // What was searched for is citizen data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SearchQuery(..)")
    }
}

impl fmt::Debug for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Term(..)")
    }
}

impl SearchQuery {
    /// Reads what was typed.
    pub fn parse(typed: &str) -> Result<Self, SearchQueryError> {
        // A number typed with spaces (`06 1234 5678`) is one number.
        if let Some(number) = numbers::typed_number(typed) {
            return Ok(Self {
                terms: vec![Term::Number(number)],
            });
        }
        let mut terms: Vec<Term> = Vec::new();
        let mut rest = typed;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix('"') {
                // A phrase runs to the next quote, or to the end when unclosed.
                let end = after.find('"').unwrap_or(after.len());
                push_term(&mut terms, &after[..end], true);
                rest = after.get(end + 1..).unwrap_or("");
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .unwrap_or(rest.len());
                push_term(&mut terms, &rest[..end], false);
                rest = &rest[end..];
            }
        }
        if terms.is_empty() {
            return Err(SearchQueryError::NoWords);
        }
        Ok(Self { terms })
    }

    /// The words and phrases as an FTS5 query; `None` when only numbers
    /// were typed.
    pub(crate) fn fts(&self) -> Option<String> {
        let parts: Vec<String> = self
            .terms
            .iter()
            .filter_map(|term| match term {
                Term::Word(word) => {
                    let quoted = quote(word);
                    Some(if word.chars().count() > 1 {
                        format!("{quoted} *")
                    } else {
                        quoted
                    })
                }
                Term::Phrase(phrase) => Some(quote(phrase)),
                Term::Number(_) => None,
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Whether `text` (a name, a reference, a note) holds every term, by
    /// the index's own rules; if so, the text around the first match with
    /// every match marked.
    pub fn find_in(&self, text: &str) -> Option<Vec<(String, bool)>> {
        let (folded, origin) = fold(text);
        let char_starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let byte_of = |char_at: usize| char_starts.get(char_at).copied().unwrap_or(text.len());
        let mut marks: Vec<(usize, usize)> = Vec::new();
        for term in &self.terms {
            let found: Vec<(usize, usize)> = match term {
                Term::Word(word) => word_starts(&folded, &fold(word).0, word.chars().count() > 1),
                Term::Phrase(phrase) => word_starts(&folded, &fold(phrase).0, false),
                Term::Number(number) => {
                    let found: Vec<(usize, usize)> = numbers::numbers_in(text)
                        .into_iter()
                        .filter(|n| n.canonical.starts_with(number.as_str()))
                        .map(|n| (n.start, n.end))
                        .collect();
                    marks.extend(found.iter().copied());
                    if found.is_empty() {
                        return None;
                    }
                    continue;
                }
            };
            if found.is_empty() {
                return None;
            }
            // Folded chars back to the original's bytes.
            marks.extend(
                found
                    .into_iter()
                    .map(|(from, to)| (byte_of(origin[from]), byte_of(origin[to - 1] + 1))),
            );
        }
        Some(around(text, marks))
    }

    fn numbers(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().filter_map(|term| match term {
            Term::Number(n) => Some(n.as_str()),
            _ => None,
        })
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn push_term(terms: &mut Vec<Term>, text: &str, phrase: bool) {
    let text = text.strip_suffix('*').unwrap_or(text);
    if !text.chars().any(char::is_alphanumeric) {
        return;
    }
    if let Some(number) = numbers::typed_number(text) {
        terms.push(Term::Number(number));
    } else if phrase && text.split_whitespace().nth(1).is_some() {
        terms.push(Term::Phrase(text.to_owned()));
    } else {
        // A word with signs inside (`06-123`, `a.b`) is several words to
        // the index; the index's own tokenizer splits them.
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() {
                terms.push(Term::Word(word.to_owned()));
            }
        }
    }
}

/// `text` as the index compares it: lower case, without diacritics (the
/// `unicode61 remove_diacritics 2` tokenizer's folding), char by char, with
/// the index of the char each folded char came from.
fn fold(text: &str) -> (Vec<char>, Vec<usize>) {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut folded = Vec::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (at, c) in text.chars().enumerate() {
        for d in std::iter::once(c).nfd().filter(|d| !is_combining_mark(*d)) {
            for l in d.to_lowercase() {
                folded.push(l);
                origin.push(at);
            }
        }
    }
    (folded, origin)
}

/// Where a search looks: a period (local time, both ends included) and a
/// set of conversations.
#[derive(Clone, Copy, Debug, Default)]
pub struct Within<'a> {
    pub from: Option<LocalTime>,
    pub to: Option<LocalTime>,
    pub conversations: Option<&'a [ConversationId]>,
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
        self.search_within(query, Within::default(), limit)
    }

    /// The newest `limit` messages that match within a period and a set
    /// of conversations, newest first. The index is read newest first and
    /// stops at `limit`, so a common word costs no more than a rare one.
    pub fn search_within(
        &self,
        query: &SearchQuery,
        within: Within<'_>,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let mut values: Vec<Value> = Vec::new();
        let mut bind = |v: Value| {
            values.push(v);
            format!("?{}", values.len())
        };
        let fts = query.fts();
        let (id, mut sql) = match &fts {
            Some(fts) => (
                "message_index.rowid",
                format!(
                    "SELECT message_index.rowid, m.conversation_id, c.chat_name, m.author,
                            snippet(message_index, 0, char(2), char(3), '…', 16)
                     FROM message_index
                     JOIN messages AS m ON m.id = message_index.rowid
                     JOIN conversations AS c ON c.id = m.conversation_id
                     WHERE message_index MATCH {}",
                    bind(Value::Text(fts.clone()))
                ),
            ),
            None => (
                "m.id",
                "SELECT m.id, m.conversation_id, c.chat_name, m.author, m.text
                 FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
                 WHERE 1"
                    .to_owned(),
            ),
        };
        let low = within.from.map_or(i64::MIN, |t| t.seconds() * PER_SECOND);
        let high = within
            .to
            .map_or(i64::MAX, |t| (t.seconds() + 1) * PER_SECOND - 1);
        sql += &format!(
            " AND {id} BETWEEN {} AND {}",
            bind(Value::Integer(low)),
            bind(Value::Integer(high))
        );
        if let Some(only) = within.conversations {
            let ids: Vec<String> = only.iter().map(|c| c.0.to_string()).collect();
            sql += &format!(
                " AND m.conversation_id IN (SELECT value FROM json_each({}))",
                bind(Value::Text(format!("[{}]", ids.join(","))))
            );
        }
        for number in query.numbers() {
            sql += &format!(
                " AND EXISTS (SELECT 1 FROM message_numbers AS n WHERE n.message_id = {id}
                   AND n.number >= {} AND n.number < {})",
                bind(Value::Text(number.to_owned())),
                bind(Value::Text(format!("{number}:")))
            );
        }
        sql += &format!(
            " ORDER BY {id} DESC LIMIT {}",
            bind(Value::Integer(limit as i64))
        );
        let mut stmt = self.connection().prepare_cached(&sql)?;
        let hits = stmt.query_map(rusqlite::params_from_iter(values), |row| {
            let shown: String = row.get(4)?;
            Ok(Hit {
                message: MessageId(row.get(0)?),
                conversation: ConversationId(row.get(1)?),
                chat_name: row.get(2)?,
                author: row.get(3)?,
                snippet: match fts {
                    Some(_) => split_snippet(&shown),
                    None => number_snippet(&shown, query),
                },
            })
        })?;
        Ok(hits.collect::<Result<_, _>>()?)
    }
}

/// Where `needle` starts a word of `hay` (and, unless `prefix`, ends one).
fn word_starts(hay: &[char], needle: &[char], prefix: bool) -> Vec<(usize, usize)> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&at| at == 0 || !hay[at - 1].is_alphanumeric())
        .filter(|&at| hay[at..at + needle.len()] == *needle)
        .filter(|&at| {
            prefix
                || hay
                    .get(at + needle.len())
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|at| (at, at + needle.len()))
        .collect()
}

/// Bytes either side of the matches that are shown with them.
const CONTEXT: usize = 40;

/// The text around the numbers `query` asked for, those marked.
fn number_snippet(text: &str, query: &SearchQuery) -> Vec<(String, bool)> {
    let wanted: Vec<&str> = query.numbers().collect();
    let found = numbers::numbers_in(text)
        .into_iter()
        .filter(|n| wanted.iter().any(|w| n.canonical.starts_with(w)))
        .map(|n| (n.start, n.end))
        .collect();
    around(text, found)
}

/// `text` from a little before its first mark to a little after its last,
/// the marks (byte ranges, in any order, may overlap) marked.
fn around(text: &str, mut marks: Vec<(usize, usize)>) -> Vec<(String, bool)> {
    marks.sort_unstable();
    let Some(&(first, _)) = marks.first() else {
        return vec![(text.to_owned(), false)];
    };
    let last_end = marks.iter().map(|m| m.1).max().unwrap_or(first);
    let start = text.floor_char_boundary(first.saturating_sub(CONTEXT));
    let end = text.ceil_char_boundary(last_end + CONTEXT);
    let mut parts = Vec::new();
    let mut at = start;
    if start > 0 {
        parts.push(("…".to_owned(), false));
    }
    for (from, to) in marks {
        let from = from.max(at);
        if to <= from {
            continue;
        }
        if from > at {
            parts.push((text[at..from].to_owned(), false));
        }
        parts.push((text[from..to].to_owned(), true));
        at = to;
    }
    if end > at {
        parts.push((text[at..end].to_owned(), false));
    }
    if end < text.len() {
        parts.push(("…".to_owned(), false));
    }
    parts
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
        let got = SearchQuery::parse(typed).map(|q| {
            let numbers: Vec<String> = q.numbers().map(|n| format!(" #{n}")).collect();
            format!("{}{}", q.fts().unwrap_or_default(), numbers.concat())
        });
        assert_eq!(got.as_deref(), expect.as_ref().map(|s| *s));
    }

    #[test]
    fn typed_queries_become_quoted_terms() {
        check("paspoort", Ok(r#""paspoort" *"#));
        check("  paspo   aanvragen ", Ok(r#""paspo" * "aanvragen" *"#));
        check(
            r#""rijbewijs verlopen" gemeente"#,
            Ok(r#""rijbewijs verlopen" "gemeente" *"#),
        );
        check(r#""niet gesloten"#, Ok(r#""niet gesloten""#));
        check(r#""klaar""#, Ok(r#""klaar" *"#));
        check("afval*", Ok(r#""afval" *"#));
        check("a", Ok(r#""a""#));
        check("NEAR(a b) OR c", Ok(r#""NEAR" * "a" "b" "OR" * "c""#));
        check(r#"he"llo"#, Ok(r#""he" * "llo" *"#));
        check("!!! ...", Err(SearchQueryError::NoWords));
        check("", Err(SearchQueryError::NoWords));
        check("café", Ok(r#""café" *"#));
        check("06-12345678", Ok(" #31612345678"));
        check("+31 6 1234 5678", Ok(" #31612345678"));
        check("bel 0612345678", Ok(r#""bel" * #31612345678"#));
        check("06-1234", Ok(" #3161234"));
        check("06-123", Ok(r#""06" * "123" *"#));
        check("1234 AB", Ok(r#""1234" * "AB" *"#));
    }

    #[test]
    fn folding_drops_case_and_diacritics() {
        let (folded, origin) = fold("Café Ĳssel");
        assert_eq!(folded.iter().collect::<String>(), "cafe ĳssel");
        assert_eq!(origin[3], 3);
        assert_eq!(origin.len(), folded.len());
    }

    #[track_caller]
    fn check_field(typed: &str, text: &str, expect: Option<&str>) {
        let got = SearchQuery::parse(typed)
            .unwrap()
            .find_in(text)
            .map(|parts| {
                parts
                    .into_iter()
                    .map(|(t, hit)| if hit { format!("[{t}]") } else { t })
                    .collect::<String>()
            });
        assert_eq!(got.as_deref(), expect, "{typed}");
    }

    #[test]
    fn fields_match_by_the_index_rules() {
        check_field("jan", "Jan de Vries", Some("[Jan] de Vries"));
        check_field("vri jan", "Jan de Vries", Some("[Jan] de [Vri]es"));
        check_field("ries", "Jan de Vries", None);
        check_field("cafe", "Café Ĳsbrand", Some("[Café] Ĳsbrand"));
        check_field("ijsb", "Café Ĳsbrand", None);
        check_field("\"de vries\"", "Jan de Vries", Some("Jan [de Vries]"));
        check_field("\"de vr\"", "Jan de Vries", None);
        check_field("0612345678", "+31 6 12345678", Some("[+31 6 12345678]"));
        check_field(
            "06 1234",
            "\u{202a}+31\u{a0}6\u{a0}12345678\u{202c}",
            Some("\u{202a}[+31\u{a0}6\u{a0}12345678]\u{202c}"),
        );
        check_field("z", "Zaak Z-2026-0001", Some("Zaak [Z]-2026-0001"));
        // Eight digits typed are a number, and a reference with eight is one too.
        check_field("2026 0001", "Z-2026-0001", Some("Z-[2026-0001]"));
        check_field("2026 01", "Z-2026-0001", None);
    }

    #[test]
    fn a_number_snippet_marks_the_number() {
        let query = SearchQuery::parse("0612345678").unwrap();
        assert_eq!(
            number_snippet("mijn nummer is +31 6 12345678, bel gerust", &query),
            vec![
                ("mijn nummer is ".to_owned(), false),
                ("+31 6 12345678".to_owned(), true),
                (", bel gerust".to_owned(), false),
            ]
        );
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
