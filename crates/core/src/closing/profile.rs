//! The package profile as data: the MDTO terms Kluis writes, the lists
//! they come from, and the shape of its identifiers and titles, in one
//! place. `../shared/notes/archive.md` is the reasoning; where Kluis names
//! a list itself, `crates/seal/README.md` says so.

use kluis_seal::mdto::Term;

/// A term from a value list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermSpec {
    pub label: &'static str,
    pub code: Option<&'static str>,
    pub list: &'static str,
}

impl TermSpec {
    pub fn term(&self) -> Term {
        Term::new(self.label, self.code, self.list)
    }
}

const LEVELS: &str = "Begrippenlijst Aggregatieniveaus MDTO";

/// A conversation's part: one dossier per package.
pub const LEVEL_PART: TermSpec = TermSpec {
    label: "Dossier",
    code: None,
    list: LEVELS,
};

/// An attachment within a part.
pub const LEVEL_ATTACHMENT: TermSpec = TermSpec {
    label: "Archiefstuk",
    code: None,
    list: LEVELS,
};

/// Every record: kept for a time, then destroyed (V).
pub const APPRAISAL: TermSpec = TermSpec {
    label: "Tijdelijk te bewaren",
    code: Some("V"),
    list: "Begrippenlijst Waarderingen MDTO",
};

/// The selection list's category for a citizen's question answered.
pub const CATEGORY: TermSpec = TermSpec {
    label: "Ingewilligd - Informatieverzoek",
    code: Some("6.1.3"),
    list: "Selectielijst gemeenten en intergemeentelijke organen 2020",
};

/// The restriction on use every record carries, with its explanation.
pub const RESTRICTION: TermSpec = TermSpec {
    label: "Overig",
    code: Some("Overig"),
    list: "Begrippenlijst BeperkingGebruik Kluis",
};
pub const RESTRICTION_NOTE: &str = "Bevat persoonsgegevens (AVG)";

/// The citizen's role in a conversation.
pub const SUBMITTER: TermSpec = TermSpec {
    label: "Indiener",
    code: None,
    list: "Begrippenlijst Relatietypen (betrokkene) MDTO",
};

/// The activity a conversation belongs to.
pub const ACTIVITY: &str = "Klantcontact via WhatsApp (KCC)";

const EVENTS: &str = "Begrippenlijst EventTypeLijst MDTO";

/// The events of a part: its first message came in or went out, and the
/// package froze it.
pub const EVENT_RECEIVED: TermSpec = TermSpec {
    label: "Ontvangst",
    code: None,
    list: EVENTS,
};
pub const EVENT_SENT: TermSpec = TermSpec {
    label: "Verzending",
    code: None,
    list: EVENTS,
};
pub const EVENT_FROZEN: TermSpec = TermSpec {
    label: "Bevriezing",
    code: None,
    list: EVENTS,
};

/// What a part's period covers: from its first message to its last.
pub const PERIOD: TermSpec = TermSpec {
    label: "Periode van behandeling",
    code: None,
    list: "Begrippenlijst Kluis",
};

/// The language of the records.
pub const LANGUAGE: &str = "nl";

/// Where a municipality's code is registered.
pub const MUNICIPALITIES: &str = "TOOI register gemeenten compleet";

/// A part's folder in the package: `G001`, `G002`, …
pub fn folder(index: usize) -> String {
    format!("G{:03}", index + 1)
}

/// A part's identifier: the workplace, the conversation and the package.
pub fn part_id(code: &str, workplace: &str, conversation: i64, seq: i64) -> String {
    format!("WA-{code}-{workplace}-{conversation:012x}-{seq:06}")
}

/// The `n`-th attachment of a part (from 1): its identifier and its name.
pub fn attachment(part_id: &str, folder: &str, n: usize) -> (String, String) {
    (format!("{part_id}-B{n:02}"), format!("{folder}-B{n:02}"))
}

/// Who names the identifiers: this workplace's Kluis.
pub fn source(code: &str, workplace: &str) -> String {
    format!("Kluis {code}/{workplace}")
}

/// A part's title: the day its first message came, and its number.
pub fn title(first_day: Option<(i32, u8, u8)>, part: i64) -> String {
    let from = first_day
        .map(|(y, m, d)| format!("{d:02}-{m:02}-{y:04}"))
        .unwrap_or_default();
    let mut title = format!("WhatsApp-gesprek KCC {from} (deel {part})");
    // MDTO's naam: at most 80 characters; the title is ASCII.
    title.truncate(80);
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn identifiers_and_titles() {
        let part = part_id("gm0363", "WP01", 26, 3);
        let (attachment_id, name) = attachment(&part, &folder(1), 2);
        let shown = [
            folder(0),
            part,
            attachment_id,
            name,
            source("gm0363", "WP01"),
            title(Some((2026, 11, 3)), 2),
            title(None, 1),
        ]
        .join("\n");
        expect![[r#"
            G001
            WA-gm0363-WP01-00000000001a-000003
            WA-gm0363-WP01-00000000001a-000003-B02
            G002-B02
            Kluis gm0363/WP01
            WhatsApp-gesprek KCC 03-11-2026 (deel 2)
            WhatsApp-gesprek KCC  (deel 1)"#]]
        .assert_eq(&shown);
    }
}
