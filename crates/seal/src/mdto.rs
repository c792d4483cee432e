//! MDTO 1.0.1 sidecars (the Nationaal Archief's metadata standard): one
//! `informatieobject` per conversation part or attachment, one `bestand`
//! per file. Elements in the XSD's sequence order, always the shape the
//! strictest receiving profile found wants (exactly one
//! `beperkingGebruik` with label and code, exactly one SHA-256 checksum),
//! so every sidecar validates with `xmllint --schema MDTO-XML1.0.1.xsd`.

use std::fmt::Write as _;

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<MDTO xmlns="https://www.nationaalarchief.nl/mdto" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://www.nationaalarchief.nl/mdto https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd">
"#;

/// An identification: a kenmerk and the source that issued it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identification {
    pub kenmerk: String,
    pub bron: String,
}

/// A reference to something by name, and by identification if known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    pub id: Option<Identification>,
}

/// A term from a vocabulary (begrippenlijst).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub label: String,
    pub code: Option<String>,
    pub list: String,
}

impl Term {
    pub fn new(label: &str, code: Option<&str>, list: &str) -> Self {
        Self {
            label: label.to_owned(),
            code: code.map(str::to_owned),
            list: list.to_owned(),
        }
    }
}

/// Something that happened to the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Usually from "Begrippenlijst EventTypeLijst MDTO": Ontvangst,
    /// Verzending, Import, Bevriezing, Export, …
    pub kind: Term,
    /// `YYYY-MM-DDTHH:MM:SS`.
    pub time: Option<String>,
    pub actor: Option<Reference>,
    pub result: Option<String>,
}

/// How long it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    pub trigger: Term,
    /// `YYYY-MM-DD`.
    pub start: String,
    /// An ISO 8601 duration, e.g. `P1Y`.
    pub period: String,
    pub end: String,
}

/// An informatieobject: a conversation part (Dossier) or an attachment
/// (Archiefstuk).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InformationObject {
    pub id: Identification,
    /// A title of at most 80 characters.
    pub name: String,
    pub level: Term,
    pub description: Option<String>,
    pub consultation: Option<Reference>,
    /// First and last date (`YYYY-MM-DD`) of the messages in this part.
    /// The period's type, and its first and last day (`YYYY-MM-DD`).
    pub period: Option<(Term, String, String)>,
    pub language: Option<String>,
    pub events: Vec<Event>,
    pub appraisal: Term,
    pub retention: Option<Retention>,
    pub category: Option<Term>,
    pub part_of: Option<Reference>,
    pub parts: Vec<Reference>,
    pub representations: Vec<Reference>,
    /// (the related object, the relation).
    pub related: Vec<(Reference, Term)>,
    pub creator: Reference,
    /// (the relation, the actor).
    pub involved: Vec<(Term, Reference)>,
    pub activity: Option<Reference>,
    pub restriction: (Term, Option<String>),
}

/// A bestand: one file and its checksum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub id: Identification,
    pub name: String,
    pub size: u64,
    /// A PRONOM format (see [`pronom`]).
    pub format: Term,
    pub sha256: String,
    /// `YYYY-MM-DDTHH:MM:SS`.
    pub checksum_date: String,
    pub represents: Reference,
}

/// The PRONOM format of a file Kluis writes or receives, by its first
/// bytes and, for text, its name. Unknown files get the IANA media type
/// `application/octet-stream`, which MDTO allows.
pub fn pronom(name: &str, head: &[u8]) -> Term {
    const PRONOM: &str = "PRONOM-register";
    let by = |label: &str, code: &str| Term::new(label, Some(code), PRONOM);
    let extension = name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match head {
        [0xFF, 0xD8, 0xFF, ..] => by("JPEG File Interchange Format", "fmt/43"),
        [0x89, b'P', b'N', b'G', ..] => by("Portable Network Graphics", "fmt/11"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => by("WebP", "fmt/566"),
        [b'O', b'g', b'g', b'S', ..] => by("Ogg Opus Codec Compressed Multimedia File", "fmt/946"),
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => by("MPEG-4 Media File", "fmt/199"),
        [b'%', b'P', b'D', b'F', ..] => by("Acrobat PDF - Portable Document Format", "fmt/276"),
        _ => match extension.as_str() {
            "xml" => by("Extensible Markup Language", "fmt/101"),
            "html" | "htm" => by("Hypertext Markup Language", "fmt/471"),
            "vcf" => by("vCard", "fmt/395"),
            "txt" => by("Plain Text File", "x-fmt/111"),
            _ => Term::new("application/octet-stream", None, "IANA Media types"),
        },
    }
}

impl InformationObject {
    /// The sidecar's XML.
    pub fn to_xml(&self) -> String {
        let mut x = Xml::new("informatieobject");
        x.identification("identificatie", &self.id);
        x.text("naam", &self.name);
        x.term("aggregatieniveau", &self.level);
        if let Some(d) = &self.description {
            x.text("omschrijving", d);
        }
        if let Some(place) = &self.consultation {
            x.open("raadpleeglocatie");
            x.reference("raadpleeglocatieFysiek", place);
            x.close("raadpleeglocatie");
        }
        if let Some((kind, from, to)) = &self.period {
            x.open("dekkingInTijd");
            x.term("dekkingInTijdType", kind);
            x.text("dekkingInTijdBegindatum", from);
            x.text("dekkingInTijdEinddatum", to);
            x.close("dekkingInTijd");
        }
        if let Some(language) = &self.language {
            x.text("taal", language);
        }
        for event in &self.events {
            x.open("event");
            x.term("eventType", &event.kind);
            if let Some(time) = &event.time {
                x.text("eventTijd", time);
            }
            if let Some(actor) = &event.actor {
                x.reference("eventVerantwoordelijkeActor", actor);
            }
            if let Some(result) = &event.result {
                x.text("eventResultaat", result);
            }
            x.close("event");
        }
        x.term("waardering", &self.appraisal);
        if let Some(r) = &self.retention {
            x.open("bewaartermijn");
            x.term("termijnTriggerStartLooptijd", &r.trigger);
            x.text("termijnStartdatumLooptijd", &r.start);
            x.text("termijnLooptijd", &r.period);
            x.text("termijnEinddatum", &r.end);
            x.close("bewaartermijn");
        }
        if let Some(c) = &self.category {
            x.term("informatiecategorie", c);
        }
        if let Some(parent) = &self.part_of {
            x.reference("isOnderdeelVan", parent);
        }
        for part in &self.parts {
            x.reference("bevatOnderdeel", part);
        }
        for representation in &self.representations {
            x.reference("heeftRepresentatie", representation);
        }
        for (object, relation) in &self.related {
            x.open("gerelateerdInformatieobject");
            x.reference("gerelateerdInformatieobjectVerwijzing", object);
            x.term("gerelateerdInformatieobjectTypeRelatie", relation);
            x.close("gerelateerdInformatieobject");
        }
        x.reference("archiefvormer", &self.creator);
        for (relation, actor) in &self.involved {
            x.open("betrokkene");
            x.term("betrokkeneTypeRelatie", relation);
            x.reference("betrokkeneActor", actor);
            x.close("betrokkene");
        }
        if let Some(activity) = &self.activity {
            x.reference("activiteit", activity);
        }
        x.open("beperkingGebruik");
        x.term("beperkingGebruikType", &self.restriction.0);
        if let Some(d) = &self.restriction.1 {
            x.text("beperkingGebruikNadereBeschrijving", d);
        }
        x.close("beperkingGebruik");
        x.finish()
    }
}

impl File {
    /// The sidecar's XML.
    pub fn to_xml(&self) -> String {
        let mut x = Xml::new("bestand");
        x.identification("identificatie", &self.id);
        x.text("naam", &self.name);
        x.text("omvang", &self.size.to_string());
        x.term("bestandsformaat", &self.format);
        x.open("checksum");
        x.term(
            "checksumAlgoritme",
            &Term::new("SHA-256", None, "Begrippenlijst ChecksumAlgoritme MDTO"),
        );
        x.text("checksumWaarde", &self.sha256);
        x.text("checksumDatum", &self.checksum_date);
        x.close("checksum");
        x.reference("isRepresentatieVan", &self.represents);
        x.finish()
    }
}

/// Indented XML, escaped; the document closes with `</MDTO>`.
struct Xml {
    out: String,
    depth: usize,
    root: &'static str,
}

impl Xml {
    fn new(root: &'static str) -> Self {
        let mut x = Self {
            out: HEADER.to_owned(),
            depth: 1,
            root,
        };
        x.open(root);
        x
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    fn text(&mut self, name: &str, value: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(value));
    }

    fn identification(&mut self, name: &str, id: &Identification) {
        self.open(name);
        self.text("identificatieKenmerk", &id.kenmerk);
        self.text("identificatieBron", &id.bron);
        self.close(name);
    }

    fn reference(&mut self, name: &str, reference: &Reference) {
        self.open(name);
        self.text("verwijzingNaam", &reference.name);
        if let Some(id) = &reference.id {
            self.identification("verwijzingIdentificatie", id);
        }
        self.close(name);
    }

    fn term(&mut self, name: &str, term: &Term) {
        self.open(name);
        self.text("begripLabel", &term.label);
        if let Some(code) = &term.code {
            self.text("begripCode", code);
        }
        self.open("begripBegrippenlijst");
        self.text("verwijzingNaam", &term.list);
        self.close("begripBegrippenlijst");
        self.close(name);
    }

    fn finish(mut self) -> String {
        self.close(self.root);
        self.out.push_str("</MDTO>\n");
        self.out
    }
}

/// XML text: the five special characters escaped, and characters XML 1.0
/// cannot carry at all (controls but tab and newlines) replaced.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_boundaries() {
        let check = |text: &str, expect: &str| assert_eq!(escape(text), expect, "{text:?}");
        check(
            "Jan & Piet <3 \"ja\" 'nee'",
            "Jan &amp; Piet &lt;3 &quot;ja&quot; &apos;nee&apos;",
        );
        check("regel\nregel\ttab", "regel\nregel\ttab");
        check("bel\u{7}", "bel\u{FFFD}");
        check("emoji 👍", "emoji 👍");
    }

    #[test]
    fn pronom_boundaries() {
        let check = |name: &str, head: &[u8], code: Option<&str>| {
            assert_eq!(pronom(name, head).code.as_deref(), code, "{name}");
        };
        check("IMG-1.jpg", b"\xff\xd8\xff\xe0", Some("fmt/43"));
        check("x.png", b"\x89PNG\r\n", Some("fmt/11"));
        check("STK.webp", b"RIFF\0\0\0\0WEBPVP8 ", Some("fmt/566"));
        check("PTT.opus", b"OggS\0", Some("fmt/946"));
        check("VID.mp4", b"\0\0\0\x18ftypmp42", Some("fmt/199"));
        check("a.pdf", b"%PDF-1.7", Some("fmt/276"));
        check("G001.txt", b"WhatsApp", Some("x-fmt/111"));
        check("G001.html", b"<!DOCTYPE html>", Some("fmt/471"));
        check("kaart.vcf", b"BEGIN:VCARD", Some("fmt/395"));
        check("G001.mdto.xml", b"<?xml", Some("fmt/101"));
        check("onbekend.bin", b"\0\0", None);
    }
}
