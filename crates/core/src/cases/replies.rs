//! Canned replies as the employee uses them: placeholders filled from the
//! case, and the list ranked as one types `/` and a few letters.

use kluis_vault::store::{CannedReply, ConversationId, EntryId, EntryKind, NewTimelineEntry};
use kluis_vault::{LocalTime, Session};

use super::CaseError;
use crate::lock::Now;

/// What a reply's `{…}` may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// The citizen's name as the chat shows it.
    Naam,
    /// The case's reference number.
    Zaaknummer,
    /// The employee's name.
    Medewerker,
    /// Today's date, written out in Dutch.
    Datum,
}

impl Placeholder {
    pub const ALL: [Placeholder; 4] = [
        Placeholder::Naam,
        Placeholder::Zaaknummer,
        Placeholder::Medewerker,
        Placeholder::Datum,
    ];

    /// As written between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Self::Naam => "naam",
            Self::Zaaknummer => "zaaknummer",
            Self::Medewerker => "medewerker",
            Self::Datum => "datum",
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// `{word}`s in a text: (byte range, word). A brace not followed by
/// letters and a closing brace is plain text.
fn placeholders(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{').map(|i| i + rest) {
        let after = &text[open + 1..];
        let word_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if word_len > 0 && after[word_len..].starts_with('}') {
            found.push((open..open + word_len + 2, &after[..word_len]));
            rest = open + word_len + 2;
        } else {
            rest = open + 1;
        }
    }
    found
}

/// Every placeholder in `text` is known.
pub fn check(text: &str) -> Result<(), CaseError> {
    match placeholders(text)
        .into_iter()
        .find(|(_, word)| Placeholder::named(word).is_none())
    {
        Some((_, word)) => Err(CaseError::UnknownPlaceholder(word.to_owned())),
        None => Ok(()),
    }
}

/// The known placeholders still in `text` (an employee must fill them
/// before the reply is set out).
pub fn unfilled(text: &str) -> Vec<Placeholder> {
    placeholders(text)
        .into_iter()
        .filter_map(|(_, word)| Placeholder::named(word))
        .collect()
}

/// What the placeholders are filled with; `None` leaves it in the text.
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub naam: Option<String>,
    pub zaaknummer: Option<String>,
    pub medewerker: Option<String>,
    pub datum: Option<String>,
}

impl Values {
    fn get(&self, p: Placeholder) -> Option<&str> {
        match p {
            Placeholder::Naam => self.naam.as_deref(),
            Placeholder::Zaaknummer => self.zaaknummer.as_deref(),
            Placeholder::Medewerker => self.medewerker.as_deref(),
            Placeholder::Datum => self.datum.as_deref(),
        }
    }
}

/// `text` with every known placeholder that has a value filled in; the
/// others stay as written, and are returned.
pub fn fill(text: &str, values: &Values) -> (String, Vec<Placeholder>) {
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    let mut at = 0;
    for (range, word) in placeholders(text) {
        out.push_str(&text[at..range.start]);
        match Placeholder::named(word).map(|p| (p, values.get(p))) {
            Some((_, Some(value))) => out.push_str(value),
            Some((p, None)) => {
                missing.push(p);
                out.push_str(&text[range.clone()]);
            }
            None => out.push_str(&text[range.clone()]),
        }
        at = range.end;
    }
    out.push_str(&text[at..]);
    (out, missing)
}

/// A date in Dutch words: `4 december 2026`.
pub fn dutch_date(year: i32, month: u8, day: u8) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let name = MONTHS[usize::from(month.clamp(1, 12)) - 1];
    format!("{day} {name} {year}")
}

/// The replies that fit a case with `labels`, ranked for `typed` (with or
/// without its `/`) as Chatwoot ranks them: shortcode begins with it,
/// then shortcode contains it, then title or text contains it; ties by
/// shortcode. A reply kept for a label is offered only with that label.
pub fn rank<'r>(
    replies: &'r [CannedReply],
    typed: &str,
    labels: &[String],
) -> Vec<&'r CannedReply> {
    let needle = typed.trim().trim_start_matches('/').to_lowercase();
    let mut ranked: Vec<(u8, &CannedReply)> = replies
        .iter()
        .filter(|r| r.label.as_ref().is_none_or(|l| labels.contains(l)))
        .filter_map(|r| {
            let code = r.shortcode.to_lowercase();
            let tier = if code.starts_with(&needle) {
                0
            } else if code.contains(&needle) {
                1
            } else if r.title.to_lowercase().contains(&needle)
                || r.text.to_lowercase().contains(&needle)
            {
                2
            } else {
                return None;
            };
            Some((tier, r))
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.shortcode.cmp(&b.1.shortcode))
    });
    ranked.into_iter().map(|(_, r)| r).collect()
}

/// How long a reply copied for WhatsApp stays on the clipboard.
pub const CLIPBOARD_SECONDS: i64 = 30;

/// Whether a reply copied at `copied_at` must leave the clipboard at `now`
/// (UTC). A clock set back does not keep it there longer.
pub fn clipboard_due(copied_at: i64, now: i64) -> bool {
    now >= copied_at + CLIPBOARD_SECONDS || now < copied_at
}

/// A canned reply as the reply box offers it: filled from the case.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub shortcode: String,
    pub title: String,
    pub text: crate::Personal,
    /// The placeholders the case cannot fill yet (no reference, say).
    pub missing: Vec<Placeholder>,
}

/// The most the reply box shows at once.
const SUGGESTIONS: usize = 8;

/// The replies for `conversation`, ranked for `typed`, filled.
pub(crate) fn suggest(
    session: &Session,
    conversation: ConversationId,
    typed: &str,
    now: Now,
) -> Result<Vec<Suggestion>, CaseError> {
    let store = session.store();
    let name = store
        .chat_name(conversation)?
        .ok_or(CaseError::NoSuchConversation(conversation.0))?;
    let case = match store.case_of(conversation)? {
        Some(id) => store.case(id)?,
        None => None,
    };
    let labels = case.as_ref().map(|c| c.labels.clone()).unwrap_or_default();
    let date = now.local().date();
    let values = Values {
        naam: Some(name),
        zaaknummer: case.and_then(|c| c.reference),
        medewerker: Some(super::person(session.who())),
        datum: Some(dutch_date(date.year(), date.month(), date.day())),
    };
    let replies = store.canned_replies()?;
    Ok(rank(&replies, typed, &labels)
        .into_iter()
        .take(SUGGESTIONS)
        .map(|r| {
            let (text, missing) = fill(&r.text, &values);
            Suggestion {
                shortcode: r.shortcode.clone(),
                title: r.title.clone(),
                text: crate::Personal::new(text),
                missing,
            }
        })
        .collect())
}

/// Records a reply set out: an entry "antwoord klaargezet" with its text,
/// audited without it, committed only once `deliver` (the clipboard) took
/// the text, so a reply is recorded exactly when it was handed over. A
/// placeholder still in it must be filled first.
pub(crate) fn set_out(
    session: &mut Session,
    conversation: ConversationId,
    text: &str,
    now: Now,
    deliver: impl FnOnce(&str) -> Result<(), String>,
) -> Result<i64, CaseError> {
    let text = super::change::plain(text, super::change::TEXT_MAX)?;
    if let Some(p) = unfilled(&text).first() {
        return Err(CaseError::Unfilled(p.name()));
    }
    if session.store().chat_name(conversation)?.is_none() {
        return Err(CaseError::NoSuchConversation(conversation.0));
    }
    let who = session.who().to_string();
    let person = super::person(session.who());
    let mut tx = session.store_mut().write()?;
    let id = tx.add_entry(
        conversation,
        &NewTimelineEntry {
            kind: EntryKind::Reply,
            at: LocalTime::from_seconds(now.utc + i64::from(now.offset)),
            written_at: now.utc,
            operator: &person,
            text: &text,
        },
    )?;
    let detail = format!(
        "reply {} set out on the clipboard ({} characters)",
        id.0,
        text.chars().count()
    );
    super::audit_edit(
        &mut tx,
        &who,
        now.utc,
        &super::conversation_subject(conversation),
        &detail,
    )?;
    deliver(&text).map_err(CaseError::NotDelivered)?;
    tx.commit()?;
    Ok(id.0)
}

/// A reply set out and not sent after all.
pub(crate) fn withdraw(
    session: &mut Session,
    conversation: ConversationId,
    entry: i64,
    now: Now,
) -> Result<(), CaseError> {
    let found = session
        .store()
        .entry(EntryId(entry))?
        .filter(|e| e.conversation == conversation && e.kind == EntryKind::Reply)
        .ok_or(CaseError::NoSuchEntry)?;
    if found.sent_as.is_some() {
        return Err(CaseError::AlreadySent);
    }
    if found.withdrawn_at.is_some() {
        return Ok(());
    }
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.withdraw_reply(found.id, now.utc)?;
    let detail = format!("reply {entry} marked as not sent");
    super::audit_edit(
        &mut tx,
        &who,
        now.utc,
        &super::conversation_subject(conversation),
        &detail,
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_and_stay_when_empty() {
        let values = Values {
            naam: Some("Eva".into()),
            zaaknummer: None,
            medewerker: Some("Anna".into()),
            datum: Some(dutch_date(2026, 12, 4)),
        };
        let check = |text: &str, expect: &str, missing: &[Placeholder]| {
            let (filled, found) = fill(text, &values);
            assert_eq!(filled, expect, "{text}");
            assert_eq!(found, missing, "{text}");
        };
        check("Beste {naam},", "Beste Eva,", &[]);
        check(
            "Zaak {zaaknummer}, {datum}. {medewerker}",
            "Zaak {zaaknummer}, 4 december 2026. Anna",
            &[Placeholder::Zaaknummer],
        );
        check("{ naam } {} {{naam}} {naam", "{ naam } {} {Eva} {naam", &[]);
        check("{onbekend} blijft", "{onbekend} blijft", &[]);
        assert!(check_ok("Beste {naam} en {datum}"));
        assert!(!check_ok("Beste {Naam}"));
        assert!(!check_ok("{naam}{zaak_nummer}"));
        assert_eq!(
            unfilled("x {zaaknummer} {naam}"),
            [Placeholder::Zaaknummer, Placeholder::Naam]
        );
    }

    fn check_ok(text: &str) -> bool {
        check(text).is_ok()
    }

    #[test]
    fn ranking_as_chatwoot_ranks() {
        let reply = |code: &str, title: &str, text: &str, label: Option<&str>| CannedReply {
            shortcode: code.into(),
            title: title.into(),
            text: text.into(),
            label: label.map(Into::into),
        };
        let replies = [
            reply("afval", "Afvalkalender", "Kijk op de afvalkalender.", None),
            reply(
                "grofvuil",
                "Grofvuil",
                "U kunt grofvuil aanmelden.",
                Some("afval"),
            ),
            reply(
                "paspoort",
                "Paspoort",
                "Maak een afspraak voor uw paspoort.",
                None,
            ),
            reply(
                "bedankt",
                "Bedankt",
                "Dank voor uw bericht over afval.",
                None,
            ),
            reply("vuil-straat", "Zwerfvuil", "We ruimen het op.", None),
        ];
        let check = |typed: &str, labels: &[&str], expect: &[&str]| {
            let labels: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
            let found: Vec<&str> = rank(&replies, typed, &labels)
                .iter()
                .map(|r| r.shortcode.as_str())
                .collect();
            assert_eq!(found, expect, "{typed:?} {labels:?}");
        };
        check("/", &[], &["afval", "bedankt", "paspoort", "vuil-straat"]);
        check(
            "/",
            &["afval"],
            &["afval", "bedankt", "grofvuil", "paspoort", "vuil-straat"],
        );
        check("/vuil", &["afval"], &["vuil-straat", "grofvuil"]);
        check("/afv", &[], &["afval", "bedankt"]);
        check("PAS", &[], &["paspoort"]);
        check("/xyz", &[], &[]);
    }
}
