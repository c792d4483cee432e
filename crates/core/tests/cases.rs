//! The employee's working day on a real vault, through the desk: a case
//! worked, reopened by a new message, replies set out and seen in a later
//! export, the closing's checks, and every refusal leaving nothing half-saved.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use kluis_core::cases::{
    CaseChange, CaseError, CaseState, EntryKindChoice, Reopened, Snooze, StateKind,
};
use kluis_core::console::{ListQuery, Order};
use kluis_core::desk::{Desk, DeskError, SlotOwner};
use kluis_core::lock::{Clock, Now};
use kluis_core::{CaseStatus, ConversationId, LocalDate};
use kluis_vault::audit::{self, AuditAction};
use kluis_vault::{KdfParams, Vault};
use secrecy::SecretString;

const ADMIN: &str = "beheerder wachtwoord";
const SANNE: &str = "sanne wachtwoord";
/// Friday 4 December 2026, 10:00 CET.
const FRIDAY: Now = Now {
    utc: 1_796_374_800,
    offset: 3600,
};

#[derive(Clone, Debug)]
struct TestClock(Arc<Mutex<Now>>);

impl TestClock {
    fn advance(&self, minutes: i64) {
        self.0.lock().unwrap().utc += minutes * 60;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Now {
        *self.0.lock().unwrap()
    }
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

struct World {
    root: PathBuf,
    desk: Desk,
    clock: TestClock,
}

impl World {
    /// A vault with labels, a reference pattern and a canned reply; Sanne at work.
    fn new(name: &str) -> Self {
        Self::with_account(name, Some("Gemeente"))
    }

    /// [`World::new`] with `municipality.account` as given.
    fn with_account(name: &str, account: Option<&str>) -> Self {
        let root = std::env::temp_dir().join(format!("kluis-cases-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("home")).unwrap();
        let vault = root.join("vault");
        Desk::create(
            &vault,
            &secret(ADMIN),
            KdfParams::FLOOR,
            &[],
            None,
            FRIDAY.utc,
        )
        .unwrap();
        let clock = TestClock(Arc::new(Mutex::new(FRIDAY)));
        let desk = Desk::open(&vault, Box::new(clock.clone()), &root.join("home")).unwrap();
        desk.unlock(&SlotOwner::Admin, &secret(ADMIN), None)
            .unwrap();
        desk.add_operator("Sanne", &secret(SANNE), KdfParams::FLOOR)
            .unwrap();
        if let Some(account) = account {
            desk.set("municipality.account", account).unwrap();
        }
        desk.set("case.reference_pattern", r"Z-\d{4}-\d{6}")
            .unwrap();
        desk.put_label("afval", "groen").unwrap();
        desk.put_label("paspoort", "blauw").unwrap();
        desk.put_canned_reply(
            "grofvuil",
            "Grofvuil",
            "Beste {naam}, uw grofvuil wordt opgehaald ({zaaknummer}). Groet, {medewerker}",
            Some("afval"),
        )
        .unwrap();
        desk.put_canned_reply("dank", "Bedankt", "Dank voor uw bericht, {naam}.", None)
            .unwrap();
        desk.lock_now();
        desk.unlock(&SlotOwner::operator("Sanne").unwrap(), &secret(SANNE), None)
            .unwrap();
        Self { root, desk, clock }
    }

    /// Writes and imports an export of `chat` with `lines` of (hh:mm, from
    /// the citizen?, text) on 4 December 2026; returns its conversation.
    fn import(&self, chat: &str, lines: &[(&str, bool, &str)]) -> ConversationId {
        let mut text = String::new();
        for (time, citizen, line) in lines {
            let who = if *citizen { chat } else { "Gemeente" };
            text.push_str(&format!("04-12-2026 {time} - {who}: {line}\n"));
        }
        let path = self.root.join(format!("WhatsApp-chat met {chat}.txt"));
        std::fs::write(&path, text).unwrap();
        let results = self.desk.import_paths(&[path], |_, _| {}).unwrap();
        results.into_iter().next().unwrap().1.unwrap().conversation
    }

    fn state(&self, id: ConversationId) -> CaseState {
        self.desk.conversation(id).unwrap().unwrap().state
    }

    fn change(&self, id: ConversationId, change: CaseChange) -> Result<usize, DeskError> {
        self.desk.change_case(&[id], &change)
    }

    /// The audit log's Edit entries, read with the admin's key after the desk let go.
    fn edits(self) -> Vec<String> {
        drop(self.desk);
        let vault = Vault::open(&self.root.join("vault")).unwrap();
        let session = vault
            .unlock(&SlotOwner::Admin, &secret(ADMIN), FRIDAY.utc)
            .unwrap();
        let found = audit::after(session.store(), 0)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == AuditAction::Edit)
            .map(|e| format!("{} {}", e.subject, e.detail))
            .collect();
        drop(session);
        std::fs::remove_dir_all(&self.root).unwrap();
        found
    }
}

impl World {
    /// Imports `lines` of (dd-mm-yyyy hh:mm, author, text) as an export of `chat`.
    fn import_raw(&self, chat: &str, lines: &[(&str, &str, &str)]) -> ConversationId {
        let mut text = String::new();
        for (when, who, line) in lines {
            text.push_str(&format!("{when} - {who}: {line}\n"));
        }
        let path = self.root.join(format!("WhatsApp-chat met {chat}.txt"));
        std::fs::write(&path, text).unwrap();
        let results = self.desk.import_paths(&[path], |_, _| {}).unwrap();
        results.into_iter().next().unwrap().1.unwrap().conversation
    }

    fn as_admin(&self) {
        self.desk.lock_now();
        self.desk
            .unlock(&SlotOwner::Admin, &secret(ADMIN), None)
            .unwrap();
    }
}

fn local(day: u8, hour: u8, minute: u8) -> kluis_core::LocalDateTime {
    LocalDate::new(2026, 12, day)
        .unwrap()
        .at(hour, minute, 0)
        .unwrap()
}

#[test]
fn a_case_worked_and_reopened_by_the_citizen() {
    let w = World::new("worked");
    let eva = w.import("Eva", &[("09:00", true, "Mijn container is niet geleegd.")]);
    assert_eq!(w.state(eva), CaseState::New);
    w.change(
        eva,
        CaseChange::Label {
            name: "afval".into(),
            on: true,
        },
    )
    .unwrap();
    w.change(eva, CaseChange::Reference(Some(" Z-2026-000123 ".into())))
        .unwrap();
    w.change(
        eva,
        CaseChange::Note("Container staat aan de achterkant.".into()),
    )
    .unwrap();
    w.change(
        eva,
        CaseChange::Handover("Bel morgen de inzameldienst.".into()),
    )
    .unwrap();
    w.change(
        eva,
        CaseChange::Entry {
            kind: EntryKindChoice::Call,
            at: Some(local(4, 9, 30)),
            text: "Eva belde, zelfde vraag.".into(),
        },
    )
    .unwrap();
    assert_eq!(
        w.change(eva, CaseChange::Status(CaseStatus::Resolved))
            .unwrap(),
        1
    );
    // Resolving what is resolved changes nothing and is not audited again.
    assert_eq!(
        w.change(eva, CaseChange::Status(CaseStatus::Resolved))
            .unwrap(),
        0
    );
    let open = w.desk.conversation(eva).unwrap().unwrap();
    assert_eq!(open.state, CaseState::Resolved);
    assert_eq!(open.reference.as_deref(), Some("Z-2026-000123"));
    assert_eq!(open.labels, ["afval"]);
    assert_eq!(open.entries.len(), 2);
    assert_eq!(open.handover.as_ref().unwrap().by, "Sanne");

    // The citizen writes again: the case reopens by itself, saying why.
    w.clock.advance(60);
    w.import(
        "Eva",
        &[
            ("09:00", true, "Mijn container is niet geleegd."),
            ("10:55", true, "Nog steeds niet!"),
        ],
    );
    let reopened = w.state(eva);
    assert_eq!(
        reopened,
        CaseState::Open {
            reopened: Some(Reopened::CitizenWrote {
                at: FRIDAY.utc + 3600
            })
        }
    );

    // Snoozed until the citizen writes, then they do.
    w.change(eva, CaseChange::Snooze(Snooze::UntilCitizenWrites))
        .unwrap();
    assert_eq!(w.state(eva), CaseState::Snoozed { until: None });
    w.import(
        "Eva",
        &[
            ("10:55", true, "Nog steeds niet!"),
            ("11:01", true, "Hallo?"),
        ],
    );
    assert!(matches!(
        w.state(eva),
        CaseState::Open {
            reopened: Some(Reopened::CitizenWrote { .. })
        }
    ));

    // Snoozed until a time: open again once it comes.
    w.change(eva, CaseChange::Snooze(Snooze::Until(local(4, 12, 0))))
        .unwrap();
    assert_eq!(
        w.desk
            .list(&ListQuery {
                state: Some(StateKind::Snoozed),
                ..ListQuery::default()
            })
            .unwrap()
            .len(),
        1
    );
    w.clock.advance(60);
    assert!(matches!(
        w.state(eva),
        CaseState::Open {
            reopened: Some(Reopened::SnoozeEnded { .. })
        }
    ));

    let edits = w.edits();
    let expected = [
        "label \"afval\" added",
        "reference number set",
        "note added (34 characters)",
        "handover note written (28 characters)",
        "call entry written by hand (24 characters)",
        // The label opened the case.
        "status open → closed",
        "reopened, the citizen wrote",
        "snoozed until the citizen writes",
        "reopened, the citizen wrote",
        "snoozed until 1796382000 (UTC seconds)",
    ];
    let case_edits: Vec<&str> = edits
        .iter()
        .filter(|e| e.starts_with("conversation"))
        .map(|e| e.split_once("case: ").map_or(e.as_str(), |(_, d)| d))
        .collect();
    assert_eq!(case_edits, expected);
    // No citizen text, note or reference in the log.
    for edit in &edits {
        for word in ["container", "Container", "inzameldienst", "Z-2026", "belde"] {
            assert!(!edit.contains(word), "{edit}");
        }
    }
}

#[test]
fn bad_input_is_refused_and_nothing_is_half_saved() {
    let w = World::new("refused");
    let eva = w.import("Eva", &[("09:00", true, "Vraag over mijn paspoort.")]);
    let bram = w.import("Bram", &[("09:10", true, "Vraag over afval.")]);
    let check = |change: CaseChange, expect: &str| {
        let refused = w.change(eva, change).unwrap_err();
        let DeskError::Case(e) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(format!("{e:?}"), expect);
    };
    check(
        CaseChange::Reference(Some("Z-26-1".into())),
        r#"ReferenceMismatch { pattern: "Z-\\d{4}-\\d{6}" }"#,
    );
    check(CaseChange::Note("   \n ".into()), "Empty");
    check(
        CaseChange::Snooze(Snooze::Until(local(4, 9, 0))),
        "SnoozeInPast",
    );
    check(
        CaseChange::Label {
            name: "bestaat niet".into(),
            on: true,
        },
        "UnknownLabel",
    );
    check(
        CaseChange::Entry {
            kind: EntryKindChoice::Visit,
            at: Some(local(4, 11, 0)),
            text: "later".into(),
        },
        "EntryInFuture",
    );
    w.desk.lock_now();
    w.desk
        .unlock(&SlotOwner::Admin, &secret(ADMIN), None)
        .unwrap();
    w.desk.remove_label("paspoort").unwrap();
    check(
        CaseChange::Label {
            name: "paspoort".into(),
            on: true,
        },
        "RemovedLabel",
    );
    let Err(DeskError::Case(CaseError::UnknownPlaceholder(p))) =
        w.desk.put_canned_reply("x", "X", "Beste {voornaam}", None)
    else {
        panic!()
    };
    assert_eq!(p, "voornaam");
    // A reference belongs to one conversation.
    w.change(eva, CaseChange::Reference(Some("Z-2026-000001".into())))
        .unwrap();
    let taken = w.change(bram, CaseChange::Reference(Some("Z-2026-000001".into())));
    assert!(
        matches!(taken, Err(DeskError::Case(CaseError::ReferenceTaken))),
        "{taken:?}"
    );
    // Nothing of the refused changes was kept, and Bram's case was never opened.
    let open = w.desk.conversation(eva).unwrap().unwrap();
    assert!(open.entries.is_empty() && open.labels.is_empty());
    assert_eq!(w.state(bram), CaseState::New);
    // An operator may not keep the admin's lists.
    w.desk.lock_now();
    w.desk
        .unlock(&SlotOwner::operator("Sanne").unwrap(), &secret(SANNE), None)
        .unwrap();
    assert!(matches!(
        w.desk.put_label("x", "rood"),
        Err(DeskError::NotPermitted { .. })
    ));
    w.edits();
}

#[test]
fn replies_set_out_are_seen_in_a_later_export_and_the_closing_counts_the_rest() {
    let w = World::new("replies");
    let eva = w.import(
        "Eva",
        &[("09:00", true, "Wanneer wordt mijn grofvuil opgehaald?")],
    );
    let bram = w.import("Bram", &[("09:05", true, "Hallo")]);
    w.change(
        eva,
        CaseChange::Label {
            name: "afval".into(),
            on: true,
        },
    )
    .unwrap();
    // The reply box: `/gr` offers the afval reply, filled but for the reference.
    let offered = w.desk.suggest_replies(eva, "/gr").unwrap();
    assert_eq!(offered[0].shortcode, "grofvuil");
    assert_eq!(
        offered[0].text.expose(),
        "Beste Eva, uw grofvuil wordt opgehaald ({zaaknummer}). Groet, Sanne"
    );
    assert!(w.desk.suggest_replies(bram, "/gr").unwrap().is_empty());
    // A placeholder left in is refused; filled, the reply is set out.
    let unfilled = w
        .desk
        .set_out_reply(eva, offered[0].text.expose(), |_| Ok(()));
    assert!(
        matches!(
            unfilled,
            Err(DeskError::Case(CaseError::Unfilled("zaaknummer")))
        ),
        "{unfilled:?}"
    );
    let sent_text = "Beste Eva, uw grofvuil wordt dinsdag opgehaald. Groet, Sanne";
    let first = w.desk.set_out_reply(eva, sent_text, |_| Ok(())).unwrap();
    let twice = w
        .desk
        .set_out_reply(eva, "Graag gedaan.", |_| Ok(()))
        .unwrap();
    let _again = w
        .desk
        .set_out_reply(eva, "Graag gedaan.", |_| Ok(()))
        .unwrap();
    let edited = w
        .desk
        .set_out_reply(bram, "U kunt morgen langskomen.", |_| Ok(()))
        .unwrap();
    let overview = w.desk.closing_overview().unwrap();
    assert_eq!(
        overview
            .replies_not_seen
            .iter()
            .map(|r| (r.0, r.2))
            .collect::<Vec<_>>(),
        [(eva, 3), (bram, 1)]
    );
    assert_eq!(overview.open_conversations, 2);
    assert_eq!(overview.without_handover.len(), 2);

    // The phone sent the first as it was (WhatsApp changed its spaces),
    // "Graag gedaan." once, and Bram's reply edited before sending.
    w.import(
        "Eva",
        &[
            ("09:00", true, "Wanneer wordt mijn grofvuil opgehaald?"),
            (
                "10:02",
                false,
                "Beste Eva,  uw grofvuil wordt dinsdag opgehaald. Groet, Sanne ",
            ),
            ("10:03", false, "Graag gedaan."),
        ],
    );
    w.import(
        "Bram",
        &[
            ("09:05", true, "Hallo"),
            ("10:04", false, "U kunt morgen om 10 uur langskomen."),
        ],
    );
    let entries = w.desk.conversation(eva).unwrap().unwrap().entries;
    let sent: Vec<(i64, Option<String>)> = entries
        .iter()
        .map(|e| (e.id, e.sent_at.map(|t| t.to_string())))
        .collect();
    assert_eq!(
        sent,
        [
            (first, Some("2026-12-04T10:02:00".into())),
            (twice, Some("2026-12-04T10:03:00".into())),
            (_again, None),
        ]
    );
    let overview = w.desk.closing_overview().unwrap();
    let mut not_seen: Vec<_> = overview
        .replies_not_seen
        .iter()
        .map(|r| (r.0, r.2))
        .collect();
    not_seen.sort();
    assert_eq!(not_seen, [(eva, 1), (bram, 1)]);
    // Not sent after all: the closing stops asking.
    w.desk.withdraw_reply(eva, _again).unwrap();
    w.desk.withdraw_reply(bram, edited).unwrap();
    assert!(
        w.desk
            .closing_overview()
            .unwrap()
            .replies_not_seen
            .is_empty()
    );
    assert!(matches!(
        w.desk.withdraw_reply(eva, first),
        Err(DeskError::Case(CaseError::AlreadySent))
    ));
    // Waiting: the municipality answered both, so nobody waits now.
    let list = w
        .desk
        .list(&ListQuery {
            order: Order::LongestWaiting,
            ..ListQuery::default()
        })
        .unwrap();
    assert!(list.iter().all(|c| c.waiting_since.is_none()));
    let edits = w.edits();
    assert!(
        edits
            .iter()
            .any(|e| e.ends_with(&format!("reply {first} seen in an export"))),
        "{edits:?}"
    );
    let about_conversations = edits.iter().filter(|e| e.starts_with("conversation"));
    assert!(
        about_conversations
            .into_iter()
            .all(|e| !e.contains("grofvuil") && !e.contains("Graag"))
    );
}

#[test]
fn the_list_orders_and_filters_as_asked() {
    let w = World::new("list");
    let eva = w.import("Eva", &[("08:00", true, "Eerste vraag")]);
    let bram = w.import("Bram", &[("09:30", true, "Tweede vraag")]);
    let carla = w.import(
        "Carla",
        &[("07:00", true, "Vraag"), ("07:30", false, "Antwoord")],
    );
    w.change(
        bram,
        CaseChange::Label {
            name: "paspoort".into(),
            on: true,
        },
    )
    .unwrap();
    w.change(carla, CaseChange::Handover("Terugbellen".into()))
        .unwrap();
    let names = |query: ListQuery| -> Vec<String> {
        w.desk
            .list(&query)
            .unwrap()
            .iter()
            .map(|c| c.chat_name.expose().to_owned())
            .collect()
    };
    // Longest waiting first: Eva since 08:00, Bram since 09:30, then Carla (answered).
    assert_eq!(names(ListQuery::default()), ["Eva", "Bram", "Carla"]);
    assert_eq!(
        names(ListQuery {
            order: Order::Newest,
            ..ListQuery::default()
        }),
        ["Bram", "Eva", "Carla"]
    );
    assert_eq!(
        names(ListQuery {
            order: Order::Name,
            ..ListQuery::default()
        }),
        ["Bram", "Carla", "Eva"]
    );
    assert_eq!(
        names(ListQuery {
            label: Some("paspoort".into()),
            ..ListQuery::default()
        }),
        ["Bram"]
    );
    assert_eq!(
        names(ListQuery {
            handover: true,
            ..ListQuery::default()
        }),
        ["Carla"]
    );
    assert_eq!(
        names(ListQuery {
            state: Some(StateKind::New),
            ..ListQuery::default()
        }),
        ["Eva"]
    );
    assert_eq!(
        names(ListQuery {
            today: true,
            ..ListQuery::default()
        })
        .len(),
        3
    );
    // Waiting, by the desk's clock: Eva since 08:00, at 10:00; Carla was answered.
    let waited = |id| {
        w.desk
            .list(&ListQuery::default())
            .unwrap()
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .waiting_minutes
    };
    assert_eq!((waited(eva), waited(carla)), (Some(120), None));
    // New since the last look: Eva's one message, until she is opened.
    let unseen = |id| {
        w.desk
            .list(&ListQuery::default())
            .unwrap()
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .unseen
    };
    assert_eq!(unseen(eva), 1);
    w.desk.conversation(eva).unwrap();
    assert_eq!(unseen(eva), 0);
    // Bulk: two at once, audited per conversation.
    assert_eq!(
        w.desk
            .change_case(
                &[eva, bram],
                &CaseChange::Status(CaseStatus::WaitingOnCitizen)
            )
            .unwrap(),
        2
    );
    assert_eq!(
        names(ListQuery {
            state: Some(StateKind::WaitingOnCitizen),
            ..ListQuery::default()
        })
        .len(),
        2
    );
    let edits = w.edits();
    assert!(
        edits.contains(&"conversation 1 case: status new → waiting".to_owned()),
        "{edits:?}"
    );
    assert!(
        edits.contains(&"conversation 2 case: status open → waiting".to_owned()),
        "{edits:?}"
    );
    let _ = Path::new("");
}

#[test]
fn an_older_export_reopens_nothing_and_is_no_reply() {
    let w = World::new("older");
    let eva = w.import(
        "Eva",
        &[("10:00", true, "Vraag"), ("10:05", false, "Antwoord")],
    );
    let reply = w
        .desk
        .set_out_reply(eva, "Dank u wel!", |_| Ok(()))
        .unwrap();
    w.change(eva, CaseChange::Status(CaseStatus::Resolved))
        .unwrap();
    w.clock.advance(30);
    // The phone held last week's history: it goes in front of what is stored.
    w.import_raw(
        "Eva",
        &[
            ("27-11-2026 14:00", "Eva", "Oude vraag van vorige week"),
            ("04-12-2026 09:52", "Gemeente", "Dank u wel!"),
            ("04-12-2026 10:00", "Eva", "Vraag"),
            ("04-12-2026 10:05", "Gemeente", "Antwoord"),
        ],
    );
    let open = w.desk.conversation(eva).unwrap().unwrap();
    assert_eq!(open.messages.len(), 4, "the old messages went in front");
    assert_eq!(
        open.state,
        CaseState::Resolved,
        "reopened by a week-old message"
    );
    let entry = open.entries.iter().find(|e| e.id == reply).unwrap();
    assert_eq!(
        entry.sent_at, None,
        "matched to a message sent before the reply was set out"
    );
    w.edits();
}

/// A reply is "sent" only when the municipality's own account sends it: in
/// a hand-made export of a chat of two, anyone else writing the reply's
/// words marks nothing; without the account set, nothing is marked and the
/// closing says what is missing.
#[test]
fn a_reply_is_sent_only_by_the_municipalitys_account() {
    let w = World::with_account("impostor", None);
    let eva = w.import("Eva", &[("10:00", true, "Vraag")]);
    let reply = w
        .desk
        .set_out_reply(eva, "Uw container komt dinsdag.", |_| Ok(()))
        .unwrap();
    w.clock.advance(5);
    let sent_at = |w: &World| {
        let open = w.desk.conversation(eva).unwrap().unwrap();
        open.entries.iter().find(|e| e.id == reply).unwrap().sent_at
    };
    w.import_raw(
        "Eva",
        &[
            ("04-12-2026 10:00", "Eva", "Vraag"),
            ("04-12-2026 10:03", "Mallory", "Uw container komt dinsdag."),
        ],
    );
    assert_eq!(sent_at(&w), None, "Mallory marked the reply sent");
    let overview = w.desk.closing_overview().unwrap();
    assert!(overview.account_missing, "the closing says what is missing");
    w.as_admin();
    w.desk.set("municipality.account", "Gemeente").unwrap();
    w.import_raw(
        "Eva",
        &[
            ("04-12-2026 10:00", "Eva", "Vraag"),
            ("04-12-2026 10:03", "Mallory", "Uw container komt dinsdag."),
        ],
    );
    assert_eq!(sent_at(&w), None, "Mallory is not the account named");
    assert!(!w.desk.closing_overview().unwrap().account_missing);
    w.import_raw(
        "Eva",
        &[
            ("04-12-2026 10:00", "Eva", "Vraag"),
            ("04-12-2026 10:03", "Mallory", "Uw container komt dinsdag."),
            ("04-12-2026 10:04", "Gemeente", "Uw container komt dinsdag."),
        ],
    );
    assert!(sent_at(&w).is_some(), "the account's own message marks it");
    w.edits();
}

#[test]
fn without_the_municipalitys_name_a_group_reopens_nothing() {
    let w = World::new("group");
    w.as_admin();
    w.desk.set("municipality.account", "KCC").unwrap();
    let lines = [
        ("04-12-2026 09:00", "Eva", "Lantaarnpaal kapot"),
        ("04-12-2026 09:01", "Bram", "Ja, al een week"),
        ("04-12-2026 09:05", "Gemeente", "We kijken ernaar"),
    ];
    let group = w.import_raw("Buurt", &lines);
    w.change(group, CaseChange::Status(CaseStatus::Resolved))
        .unwrap();
    w.clock.advance(10);
    let mut more = lines.to_vec();
    more.push(("04-12-2026 10:05", "Gemeente", "Hij is gerepareerd."));
    w.import_raw("Buurt", &more);
    // Who is the municipality here cannot be told: no reopening on a guess.
    assert_eq!(w.state(group), CaseState::Resolved);
    w.edits();
}

#[test]
fn a_merge_joins_the_two_cases() {
    let w = World::new("merge");
    let eva = w.import("Eva", &[("09:00", true, "Vraag")]);
    let eva2 = w.import("Eva2", &[("09:10", true, "Nog een vraag")]);
    w.change(eva, CaseChange::Handover("Eerst bellen".into()))
        .unwrap();
    w.change(eva2, CaseChange::Reference(Some("Z-2026-000001".into())))
        .unwrap();
    w.change(eva2, CaseChange::Handover("Bel Eva terug".into()))
        .unwrap();
    w.change(
        eva2,
        CaseChange::Label {
            name: "afval".into(),
            on: true,
        },
    )
    .unwrap();
    w.change(eva2, CaseChange::Note("Over de container".into()))
        .unwrap();
    w.as_admin();
    w.desk.merge(eva, eva2).unwrap();
    let merged = w.desk.conversation(eva).unwrap().unwrap();
    assert_eq!(merged.reference.as_deref(), Some("Z-2026-000001"));
    assert_eq!(merged.labels, ["afval"]);
    assert_eq!(
        merged.handover.unwrap().text.expose(),
        "Eerst bellen\n\nBel Eva terug"
    );
    assert_eq!(merged.entries.len(), 1);
    // The reference is this conversation's, not an orphan's.
    assert_eq!(
        w.change(eva, CaseChange::Reference(Some("Z-2026-000001".into())))
            .unwrap(),
        1
    );
    w.edits();
}

#[test]
fn an_entry_dated_long_ago_or_a_doubled_choice_is_handled() {
    let w = World::new("bounds");
    let eva = w.import("Eva", &[("09:00", true, "Vraag")]);
    let long_ago = LocalDate::new(26, 12, 4).unwrap().at(9, 0, 0).unwrap();
    let refused = w.change(
        eva,
        CaseChange::Entry {
            kind: EntryKindChoice::Call,
            at: Some(long_ago),
            text: "belde".into(),
        },
    );
    assert!(
        matches!(
            refused,
            Err(DeskError::Case(CaseError::EntryTooOld { days: 366 }))
        ),
        "{refused:?}"
    );
    // The same conversation chosen twice is one case, changed once.
    let twice = w.desk.change_case(
        &[eva, eva],
        &CaseChange::Status(CaseStatus::WaitingOnCitizen),
    );
    assert_eq!(twice.unwrap(), 1);
    assert_eq!(w.state(eva), CaseState::WaitingOnCitizen);
    w.edits();
}
