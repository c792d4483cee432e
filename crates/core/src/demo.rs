//! Generated, clearly fictional conversations for a first look at Kluis.
//!
//! A newcomer who starts the app on a machine without a vault sees these, so
//! every name says it is an example ("Voorbeeld", "Testman"), every phone
//! number is `+31 6 0000 ....` (not a number that can be issued) and every
//! address is in the non-existent postcode 9999 XX.

use crate::conversations::{
    CaseStatus, Conversation, ConversationId, Conversations, Message, Sender,
};
use crate::personal::Personal;
use crate::time::LocalDate;

/// The business account's name in the demo.
pub const MUNICIPALITY: &str = "Gemeente Voorbeeld";

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

/// The demo conversations, dated relative to `today` so that they always look
/// like this week's work.
pub fn conversations(today: LocalDate) -> Conversations {
    let conversations = SCRIPTS
        .iter()
        .zip(1..)
        .map(|(script, id)| conversation(ConversationId(id), script, today))
        .collect();
    Conversations::new(conversations)
}

fn conversation(id: ConversationId, script: &Script, today: LocalDate) -> Conversation {
    let messages = script
        .lines
        .iter()
        .map(|&(days_ago, hour, minute, sender, text)| Message {
            at: today
                .minus_days(days_ago)
                .at(hour, minute, 0)
                .expect("demo scripts hold valid times"),
            sender,
            author: match sender {
                Sender::Citizen => Some(Personal::new(script.chat_name)),
                Sender::Municipality => Some(Personal::new(MUNICIPALITY)),
                Sender::System => None,
            },
            text: Personal::new(text),
        })
        .collect();
    Conversation {
        id,
        chat_name: Personal::new(script.chat_name),
        status: script.status,
        reference: script.reference.map(str::to_owned),
        labels: script.labels.iter().map(|&l| l.to_owned()).collect(),
        messages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn demo_is_dated_from_today_and_ordered_by_recency() {
        let today = LocalDate::new(2026, 3, 2).unwrap();
        let summary: String = conversations(today)
            .all()
            .iter()
            .map(|c| {
                format!(
                    "#{:<2} {:<24} {:?} last={}\n",
                    c.id.0,
                    c.chat_name.expose(),
                    c.status,
                    c.last_activity().map(|t| t.to_string()).unwrap_or_default()
                )
            })
            .collect();
        expect![[r#"
            #7  +31 6 0000 0007          Open last=2026-03-02T11:02:00
            #5  Daan Fictief             Open last=2026-03-02T10:24:00
            #3  +31 6 0000 0003          Open last=2026-03-02T10:01:00
            #2  Bram Testman             WaitingOnCitizen last=2026-03-02T09:20:00
            #1  Anna Voorbeeld           Open last=2026-03-02T09:05:00
            #4  Carla Proefmans 🌷        Resolved last=2026-03-01T09:40:00
            #6  Eva Demo                 Resolved last=2026-02-24T14:21:00
        "#]]
        .assert_eq(&summary);
    }

    #[test]
    fn every_phone_number_is_in_the_unissued_range() {
        let all = conversations(LocalDate::new(2026, 11, 23).unwrap());
        for c in all.all() {
            let name = c.chat_name.expose();
            if name.starts_with('+') {
                assert!(name.starts_with("+31 6 0000 "), "{name}");
            }
        }
    }
}
