//! A conversation part as the archive reads it: plain text (the
//! preservation form: UTF-8, LF, a stable layout) and static HTML (the
//! human form: inline CSS, no scripts, nothing remote, links to the
//! attachments beside it).

use std::fmt::Write as _;

use kluis_vault::store::{
    Entry, EntryKind, MessageKind, MessageVersion, StoredMessage, VersionKind,
};

use crate::conversations::Sender;

/// One message as it goes into a transcript.
#[derive(Clone, Debug)]
pub struct Line<'m> {
    pub message: &'m StoredMessage,
    pub sender: Sender,
    /// The attachment's file in the package (`G001-B01/G001-B01.jpg`), or
    /// `None` when the export lacked it.
    pub attachment_path: Option<String>,
    /// The file is in the vault but damaged, so the package lacks it.
    pub attachment_damaged: bool,
    /// Messages may be missing right before it (two exports that did not meet).
    pub gap_before: bool,
    /// What later exports showed otherwise: deleted since, an earlier text.
    pub versions: Vec<&'m MessageVersion>,
}

/// The note where messages may be missing, between the day of the message
/// before (if any) and this one's.
fn gap_note(previous: Option<&StoredMessage>, this: &StoredMessage) -> String {
    let day = |m: &StoredMessage| {
        let (y, mo, d, ..) = m.id.time().parts();
        format!("{y:04}-{mo:02}-{d:02}")
    };
    match previous {
        Some(p) => format!(
            "[hier kunnen berichten ontbreken: tussen {} en {} is niet geëxporteerd]",
            day(p),
            day(this)
        ),
        None => format!(
            "[hier kunnen berichten ontbreken: wat vóór {} kwam, is niet geëxporteerd]",
            day(this)
        ),
    }
}

/// An operator's entry as it goes into a transcript, among the messages
/// by its time, marked as the operator's and not from an export.
#[derive(Clone, Debug)]
pub struct EntryLine<'e> {
    pub entry: &'e Entry,
}

impl EntryLine<'_> {
    fn what(&self) -> String {
        let e = self.entry;
        let kind = match e.kind {
            EntryKind::Note => "interne notitie",
            EntryKind::Call => "telefoongesprek",
            EntryKind::Visit => "bezoek aan de balie",
            EntryKind::Channel => "antwoord via een ander kanaal",
            EntryKind::Reply => "antwoord klaargezet voor WhatsApp",
        };
        let fate = match (e.kind, e.sent_as, e.withdrawn_at) {
            (EntryKind::Reply, Some(m), _) => {
                let (y, mo, d, h, mi, s) = m.time().parts();
                format!(
                    ", verzonden om {y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} volgens de export"
                )
            }
            (EntryKind::Reply, None, Some(_)) => ", niet verzonden".to_owned(),
            (EntryKind::Reply, None, None) => ", nog in geen export teruggezien".to_owned(),
            _ => String::new(),
        };
        format!(
            "{kind}{fate}; door {} vastgelegd, niet uit een export",
            e.operator
        )
    }
}

fn entry_time(entry: &Entry) -> String {
    let (y, mo, d, h, mi, s) = entry.at.parts();
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// Messages in their order, each operator's entry placed before the first
/// message that is later than it.
enum Item<'a, 'm> {
    Message(&'a Line<'m>),
    Entry(&'a EntryLine<'m>),
}

fn interleave<'a, 'm>(lines: &'a [Line<'m>], entries: &'a [EntryLine<'m>]) -> Vec<Item<'a, 'm>> {
    let mut items = Vec::with_capacity(lines.len() + entries.len());
    let mut next = entries.iter().peekable();
    for line in lines {
        while let Some(e) = next.next_if(|e| e.entry.at < line.message.id.time()) {
            items.push(Item::Entry(e));
        }
        items.push(Item::Message(line));
    }
    items.extend(next.map(Item::Entry));
    items
}

/// What heads a transcript.
#[derive(Clone, Debug)]
pub struct Heading<'a> {
    pub title: &'a str,
    pub chat_name: &'a str,
    pub municipality: &'a str,
    pub package_id: &'a str,
    pub part: i64,
    /// (label, value) lines of the case: status, reference, labels, notes.
    pub case: Vec<(&'static str, String)>,
}

fn local_time(message: &StoredMessage) -> String {
    let (y, mo, d, h, mi, s) = message.id.time().parts();
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

fn direction(sender: Sender) -> &'static str {
    match sender {
        Sender::Citizen => "burger",
        Sender::Municipality => "gemeente",
        Sender::System => "WhatsApp",
    }
}

fn body(line: &Line<'_>) -> String {
    let m = line.message;
    let mut text = match m.kind {
        MessageKind::Deleted => format!("[verwijderd] {}", m.text),
        _ => m.text.clone(),
    };
    if let Some(file) = &m.attachment {
        let note = match &line.attachment_path {
            Some(path) => format!("[bijlage {file}: {path}]"),
            None if line.attachment_damaged => {
                format!("[bijlage {file}: beschadigd in de kluis, niet in dit pakket]")
            }
            None => format!("[bijlage {file}: ontbreekt in de export]"),
        };
        text = if text.is_empty() {
            note
        } else {
            format!("{note}\n{text}")
        };
    }
    for version in &line.versions {
        let day = crate::desk::clock::dutch_local(version.noted_at).date();
        let note = match version.why {
            VersionKind::DeletedLater => format!(
                "[later door de burger verwijderd: een export die op {day} is ingelezen toont \"{}\"]",
                version.text
            ),
            VersionKind::BeforeEdit => format!(
                "[bewerkt; een export die op {day} is ingelezen toont de tekst ook als:]\n{}",
                version.text
            ),
        };
        text = format!("{text}\n{note}");
    }
    text
}

/// The plain-text transcript.
pub fn text(heading: &Heading<'_>, lines: &[Line<'_>], entries: &[EntryLine<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", heading.title);
    let _ = writeln!(out, "Gesprek: {}", heading.chat_name);
    let _ = writeln!(out, "Gemeente: {}", heading.municipality);
    let _ = writeln!(
        out,
        "Pakket: {} (deel {})",
        heading.package_id, heading.part
    );
    for (label, value) in &heading.case {
        let _ = writeln!(out, "{label}: {}", value.replace('\n', "\n  "));
    }
    let _ = writeln!(out, "Tijden: lokale tijd zoals in de WhatsApp-export.");
    let _ = writeln!(out, "Berichten: {}", lines.len());
    if !entries.is_empty() {
        let _ = writeln!(out, "Vastgelegd door de gemeente: {}", entries.len());
    }
    let mut previous: Option<&StoredMessage> = None;
    for item in interleave(lines, entries) {
        let line = match item {
            Item::Message(line) => line,
            Item::Entry(e) => {
                let _ = writeln!(out);
                let _ = writeln!(out, "{} gemeente [{}]", entry_time(e.entry), e.what());
                let _ = writeln!(out, "{}", e.entry.text);
                continue;
            }
        };
        if line.gap_before {
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", gap_note(previous, line.message));
        }
        previous = Some(line.message);
        let _ = writeln!(out);
        let author = line.message.author.as_deref().unwrap_or("WhatsApp");
        let _ = writeln!(
            out,
            "{} {} {}",
            local_time(line.message),
            direction(line.sender),
            author
        );
        let _ = writeln!(out, "{}", body(line));
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The static HTML transcript.
pub fn html(heading: &Heading<'_>, lines: &[Line<'_>], entries: &[EntryLine<'_>]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;color:#1c2530}}\
         .m{{margin:.6em 0;padding:.4em .7em;border-radius:6px;white-space:pre-wrap}}\
         .burger{{background:#f1f3f6}}.gemeente{{background:#dcebfa;margin-left:4em}}\
         .WhatsApp{{color:#5d6b7a;font-size:.9em}}.t{{font-size:.8em;color:#5d6b7a}}\
         .handmatig{{border:1px dashed #5d6b7a;background:#fffbea}}</style>\n</head>\n<body>\n",
        escape(heading.title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(heading.title));
    let _ = writeln!(out, "<dl>");
    let mut facts: Vec<(&str, String)> = vec![
        ("Gesprek", heading.chat_name.to_owned()),
        ("Gemeente", heading.municipality.to_owned()),
        (
            "Pakket",
            format!("{} (deel {})", heading.package_id, heading.part),
        ),
    ];
    facts.extend(heading.case.iter().map(|(l, v)| (*l, v.clone())));
    for (label, value) in facts {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(&value));
    }
    let _ = writeln!(
        out,
        "</dl>\n<p class=\"t\">Tijden: lokale tijd zoals in de WhatsApp-export.</p>"
    );
    let mut previous: Option<&StoredMessage> = None;
    for item in interleave(lines, entries) {
        let line = match item {
            Item::Message(line) => line,
            Item::Entry(e) => {
                let _ = writeln!(
                    out,
                    "<div class=\"m handmatig\"><span class=\"t\">{} · {}</span>\n{}</div>",
                    escape(&entry_time(e.entry)),
                    escape(&e.what()),
                    escape(&e.entry.text)
                );
                continue;
            }
        };
        if line.gap_before {
            let _ = writeln!(
                out,
                "<p class=\"t gat\">{}</p>",
                escape(&gap_note(previous, line.message))
            );
        }
        previous = Some(line.message);
        let class = direction(line.sender);
        let author = line.message.author.as_deref().unwrap_or("WhatsApp");
        let mut text = escape(&body(line));
        if let (Some(file), Some(path)) = (&line.message.attachment, &line.attachment_path) {
            let note = escape(&format!("[bijlage {file}: {path}]"));
            text = text.replacen(
                &note,
                &format!("<a href=\"{}\">{}</a>", escape(path), escape(file)),
                1,
            );
        }
        let _ = writeln!(
            out,
            "<div class=\"m {class}\"><span class=\"t\">{} · {}</span>\n{text}</div>",
            escape(&local_time(line.message)),
            escape(author)
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_vault::store::{ConversationId, MessageId};

    /// An attachment's place in the transcript: in the package, missing
    /// from the export, or damaged in the vault, each said differently.
    #[test]
    fn an_attachment_says_where_it_is_or_why_it_is_not() {
        let message = StoredMessage {
            id: MessageId(1_795_420_800 << 16),
            conversation: ConversationId(1),
            seq: 0,
            author: Some("Jan".into()),
            kind: MessageKind::Media,
            text: String::new(),
            attachment: Some("IMG-1.jpg".into()),
        };
        let line = |path: Option<&str>, damaged: bool| {
            body(&Line {
                message: &message,
                sender: Sender::Citizen,
                attachment_path: path.map(str::to_owned),
                attachment_damaged: damaged,
                gap_before: false,
                versions: Vec::new(),
            })
        };
        assert_eq!(
            line(Some("G001-B01/G001-B01.jpg"), false),
            "[bijlage IMG-1.jpg: G001-B01/G001-B01.jpg]"
        );
        assert_eq!(
            line(None, false),
            "[bijlage IMG-1.jpg: ontbreekt in de export]"
        );
        assert_eq!(
            line(None, true),
            "[bijlage IMG-1.jpg: beschadigd in de kluis, niet in dit pakket]"
        );
    }

    /// What a later export showed otherwise follows the message, with the
    /// day it was read in.
    #[test]
    fn a_message_says_what_later_exports_showed_of_it() {
        let message = StoredMessage {
            id: MessageId(1_795_420_800 << 16),
            conversation: ConversationId(1),
            seq: 0,
            author: Some("Eva".into()),
            kind: MessageKind::Text,
            text: "Om 11 uur <Dit bericht is bewerkt>".into(),
            attachment: None,
        };
        let version = |why, text: &str| MessageVersion {
            message: message.id,
            why,
            text: text.into(),
            original: None,
            noted_at: 1_796_000_000,
        };
        let (edit, deletion) = (
            version(VersionKind::BeforeEdit, "Om 10 uur"),
            version(VersionKind::DeletedLater, "Dit bericht is verwijderd"),
        );
        let line = Line {
            message: &message,
            sender: Sender::Citizen,
            attachment_path: None,
            attachment_damaged: false,
            gap_before: false,
            versions: vec![&edit, &deletion],
        };
        assert_eq!(
            body(&line),
            "Om 11 uur <Dit bericht is bewerkt>\n\
             [bewerkt; een export die op 2026-11-30 is ingelezen toont de tekst ook als:]\n\
             Om 10 uur\n\
             [later door de burger verwijderd: een export die op 2026-11-30 is ingelezen toont \
             \"Dit bericht is verwijderd\"]"
        );
    }

    #[test]
    fn a_gap_between_two_exports_is_said_where_it_is() {
        let at = |day: i64, seq: i64| StoredMessage {
            id: MessageId((1_795_420_800 + day * 86_400) << 16),
            conversation: ConversationId(1),
            seq,
            author: Some("Jan".into()),
            kind: MessageKind::Text,
            text: format!("dag {day}"),
            attachment: None,
        };
        let (first, later) = (at(0, 0), at(2, 1));
        let line = |m, gap_before| Line {
            message: m,
            sender: Sender::Citizen,
            attachment_path: None,
            attachment_damaged: false,
            gap_before,
            versions: Vec::new(),
        };
        let heading = Heading {
            title: "t",
            chat_name: "Jan",
            municipality: "Gemeente",
            package_id: "P",
            part: 1,
            case: Vec::new(),
        };
        let text = text(&heading, &[line(&first, true), line(&later, true)], &[]);
        assert!(text.contains("[hier kunnen berichten ontbreken: wat vóór 2026-11-23 kwam, is niet geëxporteerd]\n\n2026-11-23"), "{text}");
        assert!(text.contains("dag 0\n\n[hier kunnen berichten ontbreken: tussen 2026-11-23 en 2026-11-25 is niet geëxporteerd]"), "{text}");
        let html = html(&heading, &[line(&first, false), line(&later, true)], &[]);
        assert!(html.contains("<p class=\"t gat\">[hier kunnen berichten ontbreken: tussen 2026-11-23 en 2026-11-25"), "{html}");
    }
}
