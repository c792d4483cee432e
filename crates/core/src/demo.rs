//! Generated, clearly fictional conversations for a first look at Kluis.
//!
//! A newcomer who starts the app on a machine without a vault sees these, so
//! every name says it is an example ("Voorbeeld", "Testman"), every phone
//! number is `+31 6 0000 ....` (not a number that can be issued) and every
//! address is in the non-existent postcode 9999 XX.
//!
//! The demo is a throw-away vault, not a second read path: the scripts are
//! written out as WhatsApp exports, imported through the same import as a
//! real one, and given their cases through the desk, so the demo shows
//! what the console shows for real, search and all.

use std::fmt::Write as _;
use std::path::Path;

use secrecy::SecretString;

use crate::cases::CaseChange;
use crate::conversations::{CaseStatus, Sender};
use crate::desk::{Desk, DeskError, KdfParams, SlotOwner};
use crate::lock::Clock;
use crate::time::LocalDate;

/// The business account's name in the demo.
pub const MUNICIPALITY: &str = "Gemeente Voorbeeld";

/// The demo's labels (case types) and their colours.
const LABELS: &[(&str, &str)] = &[
    ("afval", "groen"),
    ("openbare ruimte", "oranje"),
    ("openbare verlichting", "geel"),
    ("parkeren", "grijs"),
    ("paspoort", "blauw"),
    ("verhuizing", "paars"),
    ("WMO", "roze"),
];

/// The demo's canned replies: shortcode, title, text, label.
const REPLIES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "bedankt",
        "Bedankt voor uw bericht",
        "Beste {naam}, bedankt voor uw bericht. We nemen het in behandeling onder zaaknummer {zaaknummer}.\nMet vriendelijke groet, {medewerker}",
        None,
    ),
    (
        "grofvuil",
        "Grofvuil ophalen",
        "Beste {naam}, u kunt grofvuil gratis laten ophalen. Maak een afspraak via de afvalkalender of bel 14 0000.\nGroet, {medewerker}",
        Some("afval"),
    ),
    (
        "afspraak",
        "Afspraak aan de balie",
        "Beste {naam}, u kunt een afspraak maken aan de balie van het gemeentehuis. Neem uw identiteitsbewijs mee.\nGroet, {medewerker}",
        None,
    ),
];

/// One scripted line: days before today, hour, minute, who, text.
type Line = (i64, u8, u8, Sender, &'static str);

struct Script {
    chat_name: &'static str,
    status: CaseStatus,
    reference: Option<&'static str>,
    labels: &'static [&'static str],
    lines: &'static [Line],
}

use Sender::{Citizen as C, Municipality as M, System as S};

const SCRIPTS: &[Script] = &[
    Script {
        chat_name: "Anna Voorbeeld",
        status: CaseStatus::Open,
        reference: Some("M2026-000101"),
        labels: &["openbare verlichting"],
        lines: &[
            (
                0,
                8,
                41,
                S,
                "Berichten en oproepen worden end-to-end versleuteld.",
            ),
            (
                0,
                8,
                41,
                C,
                "Goedemorgen, de lantaarnpaal voor Voorbeeldstraat 12 brandt al een week niet.",
            ),
            (
                0,
                8,
                52,
                M,
                "Goedemorgen Anna, dank voor uw melding. Weet u het nummer op de paal?",
            ),
            (0, 9, 3, C, "Ja, er staat VB-0412 op."),
            (
                0,
                9,
                5,
                M,
                "Dank u. De melding staat onder nummer M2026-000101. De monteur komt binnen vijf werkdagen.\nGroet, Sanne",
            ),
        ],
    },
    Script {
        chat_name: "Bram Testman",
        status: CaseStatus::WaitingOnCitizen,
        reference: None,
        labels: &["afval"],
        lines: &[
            (
                0,
                9,
                12,
                C,
                "Mijn groene container is vandaag niet geleegd. Proefplein 3, 9999 XX Voorbeeld.",
            ),
            (
                0,
                9,
                20,
                M,
                "Dat spijt ons. Stond de container voor 7.30 uur aan de straat?",
            ),
        ],
    },
    Script {
        chat_name: "+31 6 0000 0003",
        status: CaseStatus::Open,
        reference: None,
        labels: &["paspoort"],
        lines: &[
            (1, 15, 2, C, "Hoe lang is een paspoort geldig?"),
            (
                1,
                15,
                9,
                M,
                "Voor volwassenen 10 jaar, voor kinderen 5 jaar.",
            ),
            (0, 10, 1, C, "En kan ik zonder afspraak langskomen?"),
        ],
    },
    Script {
        chat_name: "Carla Proefmans 🌷",
        status: CaseStatus::Resolved,
        reference: Some("M2026-000087"),
        labels: &["openbare ruimte"],
        lines: &[
            (
                2,
                11,
                30,
                C,
                "Er ligt een losse stoeptegel bij Fictiefweg 8. Mijn moeder is er bijna over gestruikeld.",
            ),
            (2, 11, 31, C, "IMG-DEMO-0001.jpg (bestand bijgevoegd)"),
            (
                2,
                11,
                45,
                M,
                "Dank voor de foto. We hebben het doorgegeven onder M2026-000087.",
            ),
            (1, 9, 15, M, "De tegel is vanochtend vastgelegd. Fijne dag!"),
            (1, 9, 40, C, "Top, dank jullie wel 👍"),
        ],
    },
    Script {
        chat_name: "Daan Fictief",
        status: CaseStatus::Open,
        reference: None,
        labels: &["verhuizing"],
        lines: &[
            (
                0,
                10,
                22,
                C,
                "Ik ga verhuizen naar Voorbeeldlaan 40.\nMoet ik dat zelf doorgeven?\nEn wanneer?",
            ),
            (0, 10, 24, C, "Dit bericht is verwijderd"),
        ],
    },
    Script {
        chat_name: "Eva Demo",
        status: CaseStatus::Resolved,
        reference: None,
        labels: &["parkeren"],
        lines: &[
            (
                6,
                14,
                5,
                C,
                "Kan ik een parkeervergunning voor bezoek aanvragen?",
            ),
            (
                6,
                14,
                20,
                M,
                "Ja, dat kan via het digitale loket op de website. U heeft DigiD nodig.",
            ),
            (6, 14, 21, M, "Groet, Joost"),
        ],
    },
    Script {
        chat_name: "+31 6 0000 0007",
        status: CaseStatus::Open,
        reference: None,
        labels: &[],
        lines: &[(0, 11, 2, S, "Gemiste spraakoproep")],
    },
];

/// Makes the demo vault in `root` (emptied first; the caller removes it
/// when done) with the scripts dated relative to `today`, so that they
/// always look like this week's work, and returns it open at the desk.
/// Its passphrase is random and never leaves memory.
pub fn desk(
    root: &Path,
    today: LocalDate,
    clock: Box<dyn Clock + Send + Sync>,
) -> Result<Desk, DeskError> {
    let _ = std::fs::remove_dir_all(root);
    let exports = root.join("exports");
    std::fs::create_dir_all(&exports).map_err(crate::import::ImportError::Unreadable)?;
    let vault = root.join("vault");
    let passphrase: SecretString = kluis_vault::recovery::generate()?;
    let now = clock.now().utc;
    Desk::create(&vault, &passphrase, KdfParams::FLOOR, &[], None, now)?;
    let desk = Desk::open(&vault, clock, root)?;
    desk.unlock(&SlotOwner::Admin, &passphrase, Some("demo".into()))?;
    desk.set(crate::console::ACCOUNT_SETTING, MUNICIPALITY)?;
    desk.set(
        crate::cases::change::REFERENCE_PATTERN_SETTING,
        r"M\d{4}-\d{6}",
    )?;
    for (label, colour) in LABELS {
        desk.put_label(label, colour)?;
    }
    for (shortcode, title, text, label) in REPLIES {
        desk.put_canned_reply(shortcode, title, text, *label)?;
    }
    for script in SCRIPTS {
        let path = exports.join(format!("WhatsApp-chat met {}.txt", script.chat_name));
        std::fs::write(&path, export_text(script, today))
            .map_err(crate::import::ImportError::Unreadable)?;
        let results = desk.import_paths(&[path], |_, _| {})?;
        for (_, result) in results {
            let report = result?;
            let here = [report.conversation];
            for label in script.labels {
                desk.change_case(
                    &here,
                    &CaseChange::Label {
                        name: (*label).into(),
                        on: true,
                    },
                )?;
            }
            if let Some(reference) = script.reference {
                desk.change_case(&here, &CaseChange::Reference(Some(reference.into())))?;
            }
            if script.status != CaseStatus::Open || !script.labels.is_empty() {
                desk.change_case(&here, &CaseChange::Status(script.status))?;
            }
        }
    }
    Ok(desk)
}

/// The demo vault at its desk; its folder goes when it does.
#[derive(Debug)]
pub struct DemoVault {
    desk: Option<Desk>,
    root: std::path::PathBuf,
}

impl DemoVault {
    /// Makes the demo vault in `root`: see [`desk`].
    pub fn open(
        root: &Path,
        today: LocalDate,
        clock: Box<dyn Clock + Send + Sync>,
    ) -> Result<Self, DeskError> {
        Ok(Self {
            desk: Some(desk(root, today, clock)?),
            root: root.to_owned(),
        })
    }

    pub fn desk(&self) -> &Desk {
        self.desk.as_ref().expect("held until dropped")
    }
}

impl Drop for DemoVault {
    fn drop(&mut self) {
        drop(self.desk.take());
        if let Err(e) = std::fs::remove_dir_all(&self.root) {
            tracing::warn!(error = %e, "the demo vault's folder was not removed");
        }
    }
}

/// A script as WhatsApp's Android export writes a chat, in Dutch.
fn export_text(script: &Script, today: LocalDate) -> String {
    let mut text = String::new();
    for &(days_ago, hour, minute, sender, line) in script.lines {
        let day = today.minus_days(days_ago);
        let _ = write!(
            text,
            "{:02}-{:02}-{:04} {hour:02}:{minute:02} - ",
            day.day(),
            day.month(),
            day.year()
        );
        match sender {
            Sender::Citizen => text.push_str(&format!("{}: ", script.chat_name)),
            Sender::Municipality => text.push_str(&format!("{MUNICIPALITY}: ")),
            Sender::System => {}
        }
        text.push_str(line);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::Now;
    use expect_test::expect;

    #[derive(Debug)]
    struct Fixed(Now);

    impl Clock for Fixed {
        fn now(&self) -> Now {
            self.0
        }
    }

    /// The demo vault, made for Monday 2 March 2026 on a Saturday night's
    /// clock (the demo opens whatever the hour).
    fn demo(name: &str) -> (std::path::PathBuf, Desk) {
        let root =
            std::env::temp_dir().join(format!("kluis-demo-test-{name}-{}", std::process::id()));
        let clock = Fixed(Now {
            utc: 1_772_312_400,
            offset: 3600,
        });
        let desk = desk(&root, LocalDate::new(2026, 3, 2).unwrap(), Box::new(clock)).unwrap();
        (root, desk)
    }

    /// What the search box shows for what was typed: each conversation
    /// with its hits, where each is, and the marked words.
    #[test]
    fn the_search_box_finds_as_people_type() {
        let (root, desk) = demo("search");
        let check = |typed: &str, expect: expect_test::Expect| {
            let found = desk
                .find(&crate::search::Find {
                    text: typed.into(),
                    ..Default::default()
                })
                .unwrap();
            let mut shown = String::new();
            for c in &found.conversations {
                shown += &format!("{} ({})\n", c.chat_name.expose(), c.count);
                for hit in &c.hits {
                    let marked: String = hit
                        .snippet
                        .iter()
                        .map(|(t, m)| {
                            if *m {
                                format!("[{}]", t.expose())
                            } else {
                                t.expose().to_owned()
                            }
                        })
                        .collect();
                    let place = match hit.place {
                        crate::search::Place::Message(_) => "message".to_owned(),
                        other => format!("{other:?}"),
                    };
                    shown += &format!("  {place}: {}\n", marked.replace('\n', " "));
                }
            }
            expect.assert_eq(&shown);
        };
        check(
            "stoeptegel",
            expect![[r#"
            Carla Proefmans 🌷 (1)
              message: Er ligt een losse [stoeptegel] bij Fictiefweg 8. Mijn moeder is er bijna over gestruikeld.
        "#]],
        );
        check(
            "lantaa",
            expect![[r#"
            Anna Voorbeeld (1)
              message: Goedemorgen, de [lantaarnpaal] voor Voorbeeldstraat 12 brandt al een week niet.
        "#]],
        );
        check(
            "\"losse stoeptegel\"",
            expect![[r#"
            Carla Proefmans 🌷 (1)
              message: Er ligt een [losse stoeptegel] bij Fictiefweg 8. Mijn moeder is er bijna over gestruikeld.
        "#]],
        );
        check("\"stoeptegel losse\"", expect![[""]]);
        check(
            "06 0000 0007",
            expect![[r#"
            +31 6 0000 0007 (1)
              ChatName: [+31 6 0000 0007]
        "#]],
        );
        check(
            "m2026-0001",
            expect![[r#"
            Anna Voorbeeld (2)
              Reference: [M2026]-[0001]01
              message: …De melding staat onder nummer [M2026]-[000101]. De monteur komt binnen vijf werkdagen. Groet, Sanne
        "#]],
        );
        check(
            "afval",
            expect![[r#"
            Bram Testman (1)
              Label: [afval]
        "#]],
        );
        check("zzzz", expect![[""]]);
        drop(desk);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn the_demo_is_a_vault_read_as_any_other() {
        let (root, desk) = demo("list");
        let summary: String = desk
            .list(&crate::console::ListQuery {
                order: crate::console::Order::Newest,
                ..Default::default()
            })
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "#{:<2} {:<24} {:?} {:?} {:?} last={}\n",
                    c.id.0,
                    c.chat_name.expose(),
                    c.state,
                    c.reference,
                    c.labels,
                    c.latest
                        .as_ref()
                        .map(|m| m.at.to_string())
                        .unwrap_or_default()
                )
            })
            .collect();
        expect![[r##"
            #7  +31 6 0000 0007          New None [] last=2026-03-02T11:02:00
            #5  Daan Fictief             Open { reopened: None } None ["verhuizing"] last=2026-03-02T10:24:00
            #3  +31 6 0000 0003          Open { reopened: None } None ["paspoort"] last=2026-03-02T10:01:00
            #2  Bram Testman             WaitingOnCitizen None ["afval"] last=2026-03-02T09:20:00
            #1  Anna Voorbeeld           Open { reopened: None } Some("M2026-000101") ["openbare verlichting"] last=2026-03-02T09:05:00
            #4  Carla Proefmans 🌷        Resolved Some("M2026-000087") ["openbare ruimte"] last=2026-03-01T09:40:00
            #6  Eva Demo                 Resolved None ["parkeren"] last=2026-02-24T14:21:00
        "##]].assert_eq(&summary);
        // Search finds words in the messages, as in a real vault.
        let found = desk
            .find(&crate::search::Find {
                text: "stoeptegel".into(),
                ..Default::default()
            })
            .unwrap();
        let names: Vec<&str> = found
            .conversations
            .iter()
            .map(|c| c.chat_name.expose())
            .collect();
        assert_eq!(names, ["Carla Proefmans 🌷"]);
        // Who wrote what reads as in the scripts.
        let anna = desk
            .conversation(crate::ConversationId(1))
            .unwrap()
            .unwrap();
        let senders: Vec<Sender> = anna.messages.iter().map(|m| m.sender).collect();
        use Sender::{Citizen as C, Municipality as M, System as S};
        assert_eq!(senders, [S, C, M, C, M]);
        assert!(
            anna.messages[4]
                .text
                .expose()
                .ends_with("werkdagen.\nGroet, Sanne")
        );
        drop(desk);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn every_phone_number_is_in_the_unissued_range() {
        for script in SCRIPTS {
            if script.chat_name.starts_with('+') {
                assert!(
                    script.chat_name.starts_with("+31 6 0000 "),
                    "{}",
                    script.chat_name
                );
            }
        }
    }
}
