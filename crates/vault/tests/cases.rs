//! The case records against the purge and the merge: nothing a package
//! did not carry goes, and nothing of a purged conversation stays.

use std::path::PathBuf;

use kluis_vault::store::{
    CaseStatus, EntryKind, MessageKind, NewMessage, NewTimelineEntry, PackageRecord,
};
use kluis_vault::{KdfParams, LocalTime, Session, Vault};
use secrecy::SecretString;

const NOW: i64 = 1_795_000_000;

fn new_vault(name: &str) -> (PathBuf, Vault, Session) {
    let dir = std::env::temp_dir().join(format!("kluis-vault-cases-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (vault, session, _) = Vault::create(
        &dir,
        &SecretString::from("beheerder wachtwoord".to_owned()),
        KdfParams::FLOOR,
        NOW,
    )
    .unwrap();
    (dir, vault, session)
}

fn text<'a>(day: u8, author: &'a str, body: &'a str) -> NewMessage<'a> {
    NewMessage {
        at: LocalTime::from_parts(2026, 11, day, 9, 0, 0).unwrap(),
        author: Some(author),
        kind: MessageKind::Text,
        text: body,
        attachment: None,
        original: None,
    }
}

fn package(seq: i64) -> PackageRecord {
    PackageRecord {
        seq,
        id: format!("P{seq}"),
        digest: [seq as u8; 32],
        ciphertext_sha256: "00".into(),
        period_start: "2026-11-01T00:00:00+01:00".into(),
        period_end: "2026-11-02T00:00:00+01:00".into(),
        audit_seq: 1,
        audit_head: "00".into(),
        sealed_at: NOW,
    }
}

fn note(text: &str) -> NewTimelineEntry<'_> {
    NewTimelineEntry {
        kind: EntryKind::Note,
        at: LocalTime::from_parts(2026, 12, 1, 9, 0, 0).unwrap(),
        written_at: NOW,
        operator: "Sanne",
        text,
    }
}

#[test]
fn the_purge_keeps_what_no_package_carried_and_takes_the_case_with_its_conversation() {
    let (dir, _vault, mut session) = new_vault("purge");
    let store = session.store_mut();
    let mut tx = store.write().unwrap();
    let eva = tx.add_conversation("Eva", NOW).unwrap();
    let bram = tx.add_conversation("Bram", NOW).unwrap();
    tx.add_message(eva, &text(3, "Eva", "Mijn paspoort"))
        .unwrap();
    tx.add_message(bram, &text(3, "Bram", "Mijn container"))
        .unwrap();
    let eva_case = tx.open_case(None, NOW).unwrap();
    tx.assign(eva, Some(eva_case)).unwrap();
    let bram_case = tx.open_case(Some("Z-1"), NOW).unwrap();
    tx.assign(bram, Some(bram_case)).unwrap();
    tx.add_entry(bram, &note("Bram belde")).unwrap();
    tx.record_package(&package(1)).unwrap();
    tx.commit().unwrap();
    // Later, a note and a handover note on Eva's old conversation: no package has them.
    let mut tx = store.write().unwrap();
    tx.add_entry(eva, &note("Eva belde: nieuw adres")).unwrap();
    tx.set_handover(eva_case, "Bel Eva terug", "Sanne", NOW)
        .unwrap();
    tx.commit().unwrap();

    let mut tx = store.write().unwrap();
    let purged = tx.purge_package(1, NOW).unwrap();
    tx.commit().unwrap();
    // Bram's conversation went whole, with its entry and its case; Eva's stays
    // with what the next package will carry.
    assert_eq!(purged.conversations, 1);
    assert!(store.case(bram_case).unwrap().is_none());
    assert!(store.case_with_reference("Z-1").unwrap().is_none());
    assert!(store.entries(bram).unwrap().is_empty());
    assert_eq!(store.unsealed_conversations().unwrap(), [eva]);
    assert_eq!(store.unsealed_entries(eva).unwrap().len(), 1);
    assert_eq!(
        store.case(eva_case).unwrap().unwrap().handover_note,
        "Bel Eva terug"
    );
    drop(session);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_merge_carries_the_second_case_into_the_next_package() {
    let (dir, _vault, mut session) = new_vault("merge");
    let store = session.store_mut();
    let mut tx = store.write().unwrap();
    let a = tx.add_conversation("Eva", NOW).unwrap();
    let b = tx.add_conversation("Eva (2)", NOW).unwrap();
    tx.add_message(a, &text(3, "Eva", "Vraag")).unwrap();
    tx.add_message(b, &text(4, "Eva", "Vraag 2")).unwrap();
    let ca = tx.open_case(None, NOW).unwrap();
    tx.assign(a, Some(ca)).unwrap();
    let cb = tx.open_case(Some("Z-2026-000001"), NOW).unwrap();
    tx.assign(b, Some(cb)).unwrap();
    tx.record_package(&package(1)).unwrap();
    tx.commit().unwrap();
    let mut tx = store.write().unwrap();
    tx.set_case_status(cb, CaseStatus::Resolved, NOW).unwrap();
    tx.set_handover(cb, "Overdracht over Eva", "Sanne", NOW)
        .unwrap();
    tx.merge_conversations(a, b).unwrap();
    tx.commit().unwrap();
    assert_eq!(store.unsealed_conversations().unwrap(), [a]);
    let merged = store.case(ca).unwrap().unwrap();
    assert_eq!(merged.reference.as_deref(), Some("Z-2026-000001"));
    assert_eq!(merged.handover_note, "Overdracht over Eva");
    assert_eq!(merged.handover.map(|h| h.1).as_deref(), Some("Sanne"));
    assert!(
        store.case(cb).unwrap().is_none(),
        "the second case stays behind"
    );
    assert_eq!(
        store.case_with_reference("Z-2026-000001").unwrap(),
        Some(ca)
    );
    drop(session);
    let _ = std::fs::remove_dir_all(dir);
}
