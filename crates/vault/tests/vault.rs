//! The vault as a user of the library sees it: real files in a real
//! folder, real SQLCipher, real Argon2id (at the floor, to stay quick).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use kluis_vault::audit::AuditAction;
use kluis_vault::blob::BlobError;
use kluis_vault::store::{MessageKind, NewMessage, SearchQuery, StoreError, Within};
use kluis_vault::{KdfParams, LocalTime, Session, SlotOwner, Vault, VaultError};
use secrecy::SecretString;

const NOW: i64 = 1_795_000_000;

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kluis-vault-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn new_vault(name: &str) -> (PathBuf, Vault, Session, SecretString) {
    let dir = temp_dir(name);
    let (vault, session, recovery) =
        Vault::create(&dir, &secret("beheerder wachtwoord"), KdfParams::FLOOR, NOW).unwrap();
    (dir, vault, session, recovery)
}

fn at(day: u8, hour: u8, minute: u8) -> LocalTime {
    LocalTime::from_parts(2026, 11, day, hour, minute, 0).unwrap()
}

#[test]
fn wrong_key_fails_recovery_key_opens_and_passwd_retires_the_old_passphrase() {
    let (dir, vault, session, recovery) = new_vault("keys");
    session.lock(NOW).unwrap();

    let wrong = vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoorD"), NOW);
    assert!(
        matches!(wrong, Err(VaultError::Refused { failures: 1, .. })),
        "{wrong:?}"
    );

    // The recovery key as a person might type it: lower case, no dashes.
    let typed: String = {
        use secrecy::ExposeSecret;
        recovery.expose_secret().replace('-', "").to_lowercase()
    };
    let mut session = vault
        .unlock(&SlotOwner::Recovery, &secret(&typed), NOW)
        .unwrap();
    assert_eq!(session.who(), &SlotOwner::Recovery);
    // The recovery key resets the forgotten admin passphrase via a new slot.
    assert!(matches!(
        session.change_passphrase(&secret("x"), KdfParams::FLOOR, NOW),
        Err(VaultError::NotPermitted(_))
    ));
    session.lock(NOW).unwrap();

    let mut admin = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW)
        .unwrap();
    admin
        .change_passphrase(&secret("nieuw wachtwoord"), KdfParams::FLOOR, NOW)
        .unwrap();
    admin.lock(NOW).unwrap();
    assert!(matches!(
        vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW),
        Err(VaultError::Refused { .. })
    ));
    vault
        .unlock(&SlotOwner::Admin, &secret("nieuw wachtwoord"), NOW)
        .unwrap()
        .lock(NOW)
        .unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn notes_outside_and_entries_deferred_while_locked_join_the_audit_log_at_unlock() {
    let (dir, vault, session, _) = new_vault("outside");
    session.lock(NOW).unwrap();
    assert!(vault.notes().unwrap().is_empty());
    vault
        .set_notes(&[
            ("lock.seen", "1795000100".into()),
            ("lock.shifts", "ma 08:00-17:00".into()),
        ])
        .unwrap();
    vault
        .set_notes(&[("lock.seen", "1795000200".into())])
        .unwrap();
    let notes = vault.notes().unwrap();
    assert_eq!(notes["lock.seen"], "1795000200");
    assert_eq!(notes["lock.shifts"], "ma 08:00-17:00");
    for (at, action) in [
        (NOW + 1, AuditAction::DayClosed),
        (NOW + 2, AuditAction::NewDay),
    ] {
        vault
            .defer_audit(&kluis_vault::audit::NewEntry {
                at,
                operator: "kluis",
                action,
                subject: "day 2026-11-18",
                detail: "end of day",
            })
            .unwrap();
    }
    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 3)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 3).unwrap();
    let actions: Vec<(AuditAction, i64)> = log.iter().rev().map(|e| (e.action, e.at)).collect();
    assert_eq!(
        actions,
        [
            (AuditAction::DayClosed, NOW + 1),
            (AuditAction::NewDay, NOW + 2),
            (AuditAction::Unlock, NOW + 3)
        ]
    );
    session.lock(NOW + 4).unwrap();
    // Moved, not copied: the next unlock brings them no second time.
    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 5)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 3).unwrap();
    assert_eq!(log[1].action, AuditAction::Lock);
    session.lock(NOW + 6).unwrap();
    assert_eq!(vault.notes().unwrap()["lock.seen"], "1795000200");

    // A damaged file keeps nobody out: it is set aside, and that is logged.
    std::fs::write(dir.join("outside.json"), b"{ nonsense").unwrap();
    assert!(matches!(vault.notes(), Err(VaultError::DamagedFile(..))));
    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 7)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 2).unwrap();
    assert_eq!(log[1].action, AuditAction::Edit);
    assert!(
        log[1].detail.starts_with("damaged, set aside"),
        "{}",
        log[1].detail
    );
    assert!(dir.join("outside.json.damaged").is_file());
    assert!(vault.notes().unwrap().is_empty());
    session.lock(NOW + 8).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn after_ten_failures_only_the_admin_or_recovery_key_opens() {
    let (dir, vault, mut session, _) = new_vault("operator-limit");
    session
        .add_operator("Sanne", &secret("sanne wachtwoord"), KdfParams::FLOOR, NOW)
        .unwrap();
    session.lock(NOW).unwrap();
    let sanne = SlotOwner::operator("Sanne").unwrap();
    // Each try after the wait has run out.
    let mut now = NOW;
    for _ in 0..10 {
        now += 1000;
        let got = vault.unlock(&sanne, &secret("raden"), now);
        assert!(matches!(got, Err(VaultError::Refused { .. })), "{got:?}");
    }
    now += 1000;
    let right = vault.unlock(&sanne, &secret("sanne wachtwoord"), now);
    assert!(
        matches!(right, Err(VaultError::AdminNeeded { failures: 10 })),
        "{right:?}"
    );
    // A restart changes nothing; the admin's unlock resets the count.
    drop(vault);
    let vault = Vault::open(&dir).unwrap();
    let again = vault.unlock(&sanne, &secret("sanne wachtwoord"), now + 1);
    assert!(
        matches!(again, Err(VaultError::AdminNeeded { .. })),
        "{again:?}"
    );
    vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), now + 2)
        .unwrap()
        .lock(now + 2)
        .unwrap();
    vault
        .unlock(&sanne, &secret("sanne wachtwoord"), now + 3)
        .unwrap()
        .lock(now + 3)
        .unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn failed_attempts_survive_a_restart_wait_longer_and_reach_the_audit_log() {
    let (dir, vault, session, _) = new_vault("attempts");
    session.lock(NOW).unwrap();
    for n in 1..=4 {
        let got = vault.unlock(&SlotOwner::Admin, &secret("fout"), NOW + i64::from(n));
        assert!(
            matches!(got, Err(VaultError::Refused { failures, .. }) if failures == n),
            "{got:?}"
        );
    }
    // A restart: the process lets go of the vault and takes it again.
    drop(vault);
    let vault = Vault::open(&dir).unwrap();
    assert_eq!(vault.outside(NOW + 4).unwrap().failed_unlocks, 4);
    // The fourth failure costs 2 seconds, even with the right passphrase.
    let early = vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 5);
    assert!(
        matches!(early, Err(VaultError::TooSoon { seconds: 1 })),
        "{early:?}"
    );
    let fifth = vault.unlock(&SlotOwner::Admin, &secret("fout"), NOW + 6);
    assert!(
        matches!(
            fifth,
            Err(VaultError::Refused {
                failures: 5,
                wait_seconds: 4
            })
        ),
        "{fifth:?}"
    );

    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 10)
        .unwrap();
    assert_eq!(vault.outside(NOW + 10).unwrap().failed_unlocks, 0);
    let log = kluis_vault::audit::recent(session.store(), 10).unwrap();
    let actions: Vec<(AuditAction, i64)> = log.iter().rev().map(|e| (e.action, e.at)).collect();
    assert_eq!(
        &actions[actions.len() - 6..],
        [
            (AuditAction::FailedUnlock, NOW + 1),
            (AuditAction::FailedUnlock, NOW + 2),
            (AuditAction::FailedUnlock, NOW + 3),
            (AuditAction::FailedUnlock, NOW + 4),
            (AuditAction::FailedUnlock, NOW + 6),
            (AuditAction::Unlock, NOW + 10),
        ]
    );
    // Counted outside the encryption: in the lock's name, never the slot's.
    let failed = log
        .iter()
        .find(|e| e.action == AuditAction::FailedUnlock)
        .unwrap();
    assert_eq!(failed.operator, "kluis");
    assert!(failed.detail.contains("not verified"), "{}", failed.detail);
    session.lock(NOW).unwrap();

    // A garbage attempts file keeps nobody out: set aside, a short wait,
    // and the next unlock logs it.
    std::fs::write(dir.join("unlock-attempts.json"), b"\x00garbage").unwrap();
    assert!(matches!(
        vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 20),
        Err(VaultError::TooSoon { seconds: 2 })
    ));
    assert!(dir.join("unlock-attempts.json.damaged").is_file());
    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 22)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 2).unwrap();
    assert!(
        log[1].detail.contains("unlock-attempts.json (damaged"),
        "{}",
        log[1].detail
    );
    session.lock(NOW + 23).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_second_holder_is_refused_until_the_first_lets_go() {
    let (dir, vault, session, _) = new_vault("hold");
    assert!(matches!(Vault::open(&dir), Err(VaultError::InUse(_))));
    // Removing the lock file lets nobody in: the hold is on the folder.
    std::fs::remove_file(dir.join("kluis.lock")).unwrap();
    assert!(matches!(Vault::open(&dir), Err(VaultError::InUse(_))));
    drop(vault);
    // The unlocked session still holds the vault.
    assert!(matches!(Vault::open(&dir), Err(VaultError::InUse(_))));
    session.lock(NOW).unwrap();
    Vault::open(&dir).unwrap();
    assert!(matches!(
        Vault::create(&dir, &secret("x"), KdfParams::FLOOR, NOW),
        Err(VaultError::AlreadyAVault(_))
    ));
    assert!(matches!(
        Vault::open(&dir.join("nothing")),
        Err(VaultError::NotAVault(_))
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn operators_are_added_and_removed_by_the_admin_only() {
    let (dir, vault, mut admin, _) = new_vault("operators");
    admin
        .add_operator("Jansen", &secret("dienst"), KdfParams::FLOOR, NOW)
        .unwrap();
    assert!(matches!(
        admin.add_operator("Jansen", &secret("x"), KdfParams::FLOOR, NOW),
        Err(VaultError::SlotExists(_))
    ));
    for bad in ["", " Jansen", "admin", "Recovery", "a\u{7}b"] {
        assert!(
            matches!(
                admin.add_operator(bad, &secret("x"), KdfParams::FLOOR, NOW),
                Err(VaultError::BadOperatorName(_))
            ),
            "{bad:?}"
        );
    }
    admin.lock(NOW).unwrap();
    let jansen = SlotOwner::Operator("Jansen".into());
    let mut operator = vault.unlock(&jansen, &secret("dienst"), NOW).unwrap();
    assert!(matches!(
        operator.add_operator("Pietersen", &secret("x"), KdfParams::FLOOR, NOW),
        Err(VaultError::NotPermitted(_))
    ));
    operator.lock(NOW).unwrap();
    let mut admin = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW)
        .unwrap();
    admin.remove_operator("Jansen", NOW).unwrap();
    admin.lock(NOW).unwrap();
    assert!(matches!(
        vault.unlock(&jansen, &secret("dienst"), NOW),
        Err(VaultError::NoSuchSlot(_))
    ));
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Searches as people type them, each with what it finds (day of the
/// month and chat, newest first) over one small store.
#[test]
fn searches_find_what_people_type_as_they_type_it() {
    let (dir, vault, mut session, _) = new_vault("typed");
    let (jan, eva);
    {
        let mut writer = session.store_mut().write().unwrap();
        jan = writer.add_conversation("Jan", NOW).unwrap();
        eva = writer.add_conversation("Eva", NOW).unwrap();
        for (conversation, day, said) in [
            (jan, 2, "Ik zit in het café op de hoek"),
            (jan, 3, "Mijn nummer is +31 6 12345678"),
            (eva, 4, "Bel me op 06-87654321 of 0612345678"),
            (eva, 5, "Wanneer is mijn paspoort klaar?"),
            (jan, 6, "Het paspoort ligt klaar"),
        ] {
            writer
                .add_message(conversation, &text(day, 9, 0, "x", said))
                .unwrap();
        }
        writer.commit().unwrap();
    }
    let store = session.store();
    let check = |typed: &str, within: Within<'_>, expect: &[(u32, &str)]| {
        let query = SearchQuery::parse(typed).unwrap();
        let got: Vec<(u32, String)> = store
            .search_within(&query, within, 50)
            .unwrap()
            .into_iter()
            .map(|h| {
                let day = h.message.time().to_string()[8..10].parse().unwrap();
                (day, h.chat_name)
            })
            .collect();
        let expect: Vec<(u32, String)> = expect.iter().map(|(d, c)| (*d, c.to_string())).collect();
        assert_eq!(got, expect, "{typed}");
    };
    let all = Within::default();
    check("cafe", all, &[(2, "Jan")]);
    check("CAFÉ", all, &[(2, "Jan")]);
    check("paspo", all, &[(6, "Jan"), (5, "Eva")]);
    check("\"paspoort ligt\"", all, &[(6, "Jan")]);
    check("\"paspoort klaar\"", all, &[(5, "Eva")]);
    check("\"klaar paspoort\"", all, &[]);
    check("0612345678", all, &[(4, "Eva"), (3, "Jan")]);
    check("+31 6 1234 5678", all, &[(4, "Eva"), (3, "Jan")]);
    check("0031687654321", all, &[(4, "Eva")]);
    check("bel 061234", all, &[(4, "Eva")]);
    check(
        "klaar",
        Within {
            conversations: Some(&[eva]),
            ..all
        },
        &[(5, "Eva")],
    );
    let period = |from: Option<LocalTime>, to: Option<LocalTime>| Within {
        from,
        to,
        ..Within::default()
    };
    check(
        "klaar",
        period(Some(at(5, 0, 0)), Some(at(5, 23, 59))),
        &[(5, "Eva")],
    );
    check("klaar", period(Some(at(6, 0, 0)), None), &[(6, "Jan")]);
    check("klaar", period(None, Some(at(4, 23, 59))), &[]);
    // The end is the minute's last second too.
    check("klaar", period(None, Some(at(5, 9, 0))), &[(5, "Eva")]);
    session.lock(NOW).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn messages_are_stored_and_found_newest_first_across_conversations() {
    let (dir, vault, mut session, _) = new_vault("search");
    {
        let mut writer = session.store_mut().write().unwrap();
        let old = writer.add_conversation("Gemeente - Jan", NOW).unwrap();
        let new = writer.add_conversation("Gemeente - Fatima", NOW).unwrap();
        // The newer conversation is written first: order must come from time.
        writer
            .add_message(new, &text(20, 9, 0, "Fatima", "Mijn paspoort is verlopen"))
            .unwrap();
        writer
            .add_message(new, &text(20, 9, 0, "Fatima", "Paspoort of ID-kaart?"))
            .unwrap();
        writer
            .add_message(old, &text(3, 14, 5, "Jan", "Is mijn paspoort al klaar?"))
            .unwrap();
        writer
            .add_message(
                old,
                &text(3, 14, 6, "Gemeente", "Ja, het paspóórt ligt klaar"),
            )
            .unwrap();
        writer
            .add_message(old, &text(4, 8, 0, "Jan", "Dank u"))
            .unwrap();
        writer.commit().unwrap();
    }
    let store = session.store();
    assert_eq!(store.counts().unwrap(), (2, 5));
    let hits = store
        .search(&SearchQuery::parse("paspoort").unwrap(), 50)
        .unwrap();
    let order: Vec<(String, String)> = hits
        .iter()
        .map(|h| (h.message.time().to_string(), h.chat_name.clone()))
        .collect();
    assert_eq!(
        order,
        [
            (
                "2026-11-20 09:00".to_owned(),
                "Gemeente - Fatima".to_owned()
            ),
            (
                "2026-11-20 09:00".to_owned(),
                "Gemeente - Fatima".to_owned()
            ),
            ("2026-11-03 14:06".to_owned(), "Gemeente - Jan".to_owned()),
            ("2026-11-03 14:05".to_owned(), "Gemeente - Jan".to_owned()),
        ]
    );
    // Two messages in one minute keep their order (the later one first).
    assert_eq!(
        hits[0]
            .snippet
            .iter()
            .map(|p| p.0.as_str())
            .collect::<String>(),
        "Paspoort of ID-kaart?"
    );
    assert!(hits[2].snippet.contains(&("paspóórt".to_owned(), true)));
    let phrase = store
        .search(&SearchQuery::parse("\"ligt klaar\"").unwrap(), 50)
        .unwrap();
    assert_eq!(phrase.len(), 1);
    assert!(
        store
            .search(&SearchQuery::parse("\"klaar ligt\"").unwrap(), 50)
            .unwrap()
            .is_empty()
    );
    session.lock(NOW).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

fn text<'a>(day: u8, hour: u8, minute: u8, author: &'a str, body: &'a str) -> NewMessage<'a> {
    NewMessage {
        at: at(day, hour, minute),
        author: Some(author),
        kind: MessageKind::Text,
        text: body,
        attachment: None,
        original: None,
    }
}

#[test]
fn blobs_round_trip_at_every_chunk_boundary() {
    let (dir, vault, session, _) = new_vault("blobs");
    let blobs = session.blobs().unwrap();
    const CHUNK: usize = 64 * 1024;
    for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
        let data: Vec<u8> = (0..size).map(|i| (i * 7 + i / 251) as u8).collect();
        let mut writer = blobs.create().unwrap();
        // Written in odd pieces, as a copy from a file would.
        for piece in data.chunks(10_007) {
            writer.write_all(piece).unwrap();
        }
        let info = writer.finish().unwrap();
        assert_eq!(info.size, size as u64);
        let mut back = Vec::new();
        blobs
            .open_blob(info.id)
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert!(back == data, "size {size}");
        let on_disk = std::fs::read(blob_path(&dir, info.id)).unwrap();
        assert_eq!(
            on_disk.len(),
            31 + size + 16 * (size / CHUNK + usize::from(size % CHUNK != 0 || size == 0))
        );
    }
    // A writer dropped unfinished leaves nothing.
    let mut abandoned = blobs.create().unwrap();
    abandoned.write_all(b"half").unwrap();
    let id = abandoned.id();
    drop(abandoned);
    assert!(matches!(blobs.open_blob(id), Err(BlobError::Missing(_))));
    assert_eq!(
        std::fs::read_dir(dir.join("blobs"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".tmp")
            })
            .count(),
        0
    );
    drop(blobs);
    session.lock(NOW).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

fn blob_path(dir: &Path, id: kluis_vault::blob::BlobId) -> PathBuf {
    let name = id.to_string();
    dir.join("blobs").join(&name[..2]).join(name)
}

fn read_all(
    blobs: &kluis_vault::blob::Blobs<'_>,
    id: kluis_vault::blob::BlobId,
) -> Result<Vec<u8>, String> {
    let mut back = Vec::new();
    blobs
        .open_blob(id)
        .map_err(|e| e.to_string())?
        .read_to_end(&mut back)
        .map_err(|e| e.to_string())?;
    Ok(back)
}

#[test]
fn a_damaged_blob_is_named_and_the_others_stay_readable() {
    let (dir, vault, session, _) = new_vault("damage");
    let blobs = session.blobs().unwrap();
    let mut ids = Vec::new();
    for n in 0..4u8 {
        let mut writer = blobs.create().unwrap();
        writer.write_all(&vec![n; 200_000]).unwrap();
        ids.push(writer.finish().unwrap().id);
    }
    // One bit flipped in the second chunk of blob 0.
    let path = blob_path(&dir, ids[0]);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[31 + CHUNK_CT + 100] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    // Blob 1 cut off after its first chunk: a shorter file must not pass.
    let path = blob_path(&dir, ids[1]);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..31 + CHUNK_CT]).unwrap();
    // Blob 2 renamed to blob 3's name.
    std::fs::copy(blob_path(&dir, ids[2]), blob_path(&dir, ids[3])).unwrap();

    let first = ids[0].to_string();
    assert_eq!(
        read_all(&blobs, ids[0]).unwrap_err(),
        format!("blob {first} is damaged: chunk 1 fails authentication")
    );
    let second = read_all(&blobs, ids[1]).unwrap_err();
    assert!(
        second.contains(&ids[1].to_string()) && second.contains("damaged"),
        "{second}"
    );
    let third = read_all(&blobs, ids[3]).unwrap_err();
    assert!(third.contains("another blob's id"), "{third}");
    assert_eq!(read_all(&blobs, ids[2]).unwrap(), vec![2u8; 200_000]);
    drop(blobs);
    session.lock(NOW).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

const CHUNK_CT: usize = 64 * 1024 + 16;

#[test]
fn a_damaged_database_is_named_and_never_a_panic() {
    let (dir, vault, session, _) = new_vault("damaged-db");
    session.lock(NOW).unwrap();
    let db = dir.join("kluis.db");
    let mut bytes = std::fs::read(&db).unwrap();
    // Page 1's encrypted header: the key check fails.
    for b in &mut bytes[16..64] {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let got = vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW);
    match got {
        Err(VaultError::Store(StoreError::Unreadable { path })) => assert_eq!(path, db),
        other => panic!("expected Unreadable, got {other:?}"),
    }
    // The right passphrase with a broken database is not a failed attempt.
    assert_eq!(vault.outside(NOW).unwrap().failed_unlocks, 0);
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_damaged_page_inside_the_database_is_reported_as_damage() {
    let (dir, vault, mut session, _) = new_vault("damaged-page");
    {
        let mut writer = session.store_mut().write().unwrap();
        let conversation = writer.add_conversation("Gemeente - Jan", NOW).unwrap();
        let long = "paspoort ".repeat(400);
        for minute in 0..60 {
            writer
                .add_message(conversation, &text(5, 10, minute, "Jan", &long))
                .unwrap();
        }
        writer.commit().unwrap();
    }
    session.lock(NOW).unwrap();
    let db = dir.join("kluis.db");
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 4096 * 20, "{} bytes", bytes.len());
    // The second half of the pages (messages and index; the schema's pages
    // come first): whatever a query reads there is damaged.
    let pages = bytes.len() / 4096;
    for page in pages / 2..pages {
        bytes[page * 4096 + 200] ^= 0x55;
    }
    std::fs::write(&db, &bytes).unwrap();
    let session = vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW);
    let failure = match session {
        Err(e) => e.to_string(),
        Ok(session) => {
            let first = session.store().conversations().unwrap()[0].id;
            let read = session.store().messages(first, i64::MIN, usize::MAX);
            read.unwrap_err().to_string()
        }
    };
    assert!(
        failure.starts_with("the database (kluis.db) is damaged"),
        "{failure}"
    );
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn blobs_written_side_by_side_all_arrive() {
    let (dir, vault, session, _) = new_vault("side-by-side");
    // An import writes the export and its media; each may come from its
    // own view of the blob folder.
    let first_view = session.blobs().unwrap();
    let mut export = first_view.create().unwrap();
    export.write_all(b"the export").unwrap();
    let second_view = session.blobs().unwrap();
    let mut photo = second_view.create().unwrap();
    photo.write_all(b"a photo").unwrap();
    let photo = photo.finish().unwrap();
    let export = export.finish().unwrap();
    assert_eq!(read_all(&second_view, export.id).unwrap(), b"the export");
    assert_eq!(read_all(&first_view, photo.id).unwrap(), b"a photo");
    drop((first_view, second_view));
    session.lock(NOW).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn cases_media_and_settings_are_kept_across_a_lock() {
    use kluis_vault::store::CaseStatus;
    let (dir, vault, mut session, _) = new_vault("cases");
    let (conversation, case, photo) = {
        let blobs = session.blobs().unwrap();
        let mut writer = blobs.create().unwrap();
        writer.write_all(b"jpeg bytes").unwrap();
        let photo = writer.finish().unwrap();
        drop(blobs);
        let mut writer = session.store_mut().write().unwrap();
        let conversation = writer.add_conversation("Gemeente - Jan", NOW).unwrap();
        let with_photo = writer
            .add_message(conversation, &text(5, 10, 0, "Jan", "foto van de stoep"))
            .unwrap();
        let without = writer
            .add_message(conversation, &text(5, 10, 1, "Jan", "en nog een"))
            .unwrap();
        writer
            .add_media(with_photo, "IMG-20261105-WA0001.jpg", Some(&photo))
            .unwrap();
        writer
            .add_media(without, "IMG-20261105-WA0002.jpg", None)
            .unwrap();
        let case = writer.open_case(Some("Z-2026-0042"), NOW).unwrap();
        writer.assign(conversation, Some(case)).unwrap();
        writer.label_case(case, "openbare ruimte", true).unwrap();
        writer.label_case(case, "melding", true).unwrap();
        writer.label_case(case, "melding", true).unwrap();
        writer.label_case(case, "openbare ruimte", false).unwrap();
        writer
            .set_case_notes(case, "stoeptegel los", "terugbellen na 14:00")
            .unwrap();
        writer
            .set_case_status(case, CaseStatus::Resolved, NOW + 60)
            .unwrap();
        writer.set_setting("idle_minutes", "10").unwrap();
        writer.set_setting("idle_minutes", "5").unwrap();
        writer.commit().unwrap();
        (conversation, case, photo)
    };
    session.lock(NOW).unwrap();
    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW)
        .unwrap();
    let store = session.store();
    assert_eq!(store.case_of(conversation).unwrap(), Some(case));
    let stored = store.case(case).unwrap().unwrap();
    assert_eq!(stored.reference.as_deref(), Some("Z-2026-0042"));
    assert_eq!(stored.status, CaseStatus::Resolved);
    assert_eq!(stored.closed_at, Some(NOW + 60));
    assert_eq!(stored.labels, ["melding"]);
    assert_eq!(
        (stored.notes.as_str(), stored.handover_note.as_str()),
        ("stoeptegel los", "terugbellen na 14:00")
    );
    let media = store.media(conversation).unwrap();
    let files: Vec<(&str, bool)> = media
        .iter()
        .map(|(_, name, blob)| (name.as_str(), blob.is_some()))
        .collect();
    assert_eq!(
        files,
        [
            ("IMG-20261105-WA0001.jpg", true),
            ("IMG-20261105-WA0002.jpg", false)
        ]
    );
    assert_eq!(media[0].2, Some(photo.id));
    assert_eq!(store.setting("idle_minutes").unwrap().as_deref(), Some("5"));
    assert_eq!(store.setting("missing").unwrap(), None);
    session.lock(NOW).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A vault's database that is missing, emptied, a dangling link, or an
/// older copy is never opened as a new or complete vault: each is refused
/// with its own error, and nothing is created or changed.
/// The recovery key opens a database put back on purpose, logged.
fn unlock_accepting_the_copy(vault: &Vault, recovery: &SecretString) {
    let accept = Some("backup teruggezet");
    vault
        .unlock_with(&SlotOwner::Recovery, recovery, NOW + 6, None, accept)
        .unwrap()
        .lock(NOW + 7)
        .unwrap();
}

#[test]
fn a_missing_emptied_linked_or_older_database_is_refused_never_new() {
    let (dir, vault, mut session, recovery) = new_vault("never-new");
    session
        .audit(NOW, AuditAction::Import, "conversation 1", "")
        .unwrap();
    session.lock(NOW + 1).unwrap();
    let db = dir.join("kluis.db");
    let kept = dir.with_extension("db-kept");
    std::fs::copy(&db, &kept).unwrap();
    let unlock =
        |vault: &Vault| vault.unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 2);

    std::fs::remove_file(&db).unwrap();
    assert!(matches!(
        unlock(&vault),
        Err(VaultError::Store(StoreError::Missing(_)))
    ));
    assert!(!db.exists(), "a new database was made");

    std::fs::write(&db, b"").unwrap();
    assert!(matches!(
        unlock(&vault),
        Err(VaultError::Store(StoreError::Empty(_)))
    ));
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
    std::fs::remove_file(&db).unwrap();

    let target = dir.with_extension("nowhere");
    std::os::unix::fs::symlink(&target, &db).unwrap();
    assert!(matches!(
        unlock(&vault),
        Err(VaultError::Store(StoreError::Missing(_)))
    ));
    assert!(!target.exists(), "the link's target was made");
    std::fs::remove_file(&db).unwrap();

    // The copy is whole: it opens, and the session moves the head on.
    std::fs::copy(&kept, &db).unwrap();
    let session = unlock(&vault).unwrap();
    session.lock(NOW + 3).unwrap();
    // Now the copy is older than what was last committed.
    std::fs::copy(&kept, &db).unwrap();
    let refused = unlock(&vault);
    assert!(
        matches!(
            refused,
            Err(VaultError::RolledBack {
                recorded: 5,
                found: 3
            })
        ),
        "{refused:?}"
    );
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("restore kluis.db from the latest backup"),
        "{message}"
    );
    // Put back on purpose: only the recovery key, with a reason, accepts
    // it, and that is logged; from then on it is the vault's store.
    let admin = secret("beheerder wachtwoord");
    let accept = Some("backup van maandag teruggezet");
    assert!(matches!(
        vault.unlock_with(&SlotOwner::Admin, &admin, NOW + 2, None, accept),
        Err(VaultError::RolledBack { .. })
    ));
    assert!(matches!(
        vault.unlock_with(&SlotOwner::Recovery, &recovery, NOW + 2, None, None),
        Err(VaultError::RolledBack { .. })
    ));
    let session = vault
        .unlock_with(&SlotOwner::Recovery, &recovery, NOW + 2, None, accept)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 2).unwrap();
    assert_eq!(log[1].action, AuditAction::Override);
    assert!(
        log[1].detail.contains("gone back in time"),
        "{}",
        log[1].detail
    );
    session.lock(NOW + 3).unwrap();
    unlock(&vault).unwrap().lock(NOW + 4).unwrap();
    std::fs::copy(&kept, &db).unwrap();

    // The database put back together with its head file is still behind
    // the head's copy among the notes.
    unlock_accepting_the_copy(&vault, &recovery);
    let head = dir.join("audit-head.json");
    let kept_head = dir.with_extension("head-kept");
    std::fs::copy(&db, &kept).unwrap();
    std::fs::copy(&head, &kept_head).unwrap();
    unlock(&vault).unwrap().lock(NOW + 5).unwrap();
    std::fs::copy(&kept, &db).unwrap();
    std::fs::copy(&kept_head, &head).unwrap();
    let refused = unlock(&vault);
    assert!(
        matches!(refused, Err(VaultError::RolledBack { .. })),
        "{refused:?}"
    );
    std::fs::remove_file(&kept_head).unwrap();
    unlock_accepting_the_copy(&vault, &recovery);

    // The head kept outside cannot be removed or forged either: the file
    // and its copy among the notes gone, or either forged.
    let notes = dir.join("outside.json");
    let without_copy = |notes: &Path| {
        let mut json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(notes).unwrap()).unwrap();
        json.as_object_mut().unwrap().remove("audit_head");
        std::fs::write(notes, serde_json::to_vec(&json).unwrap()).unwrap();
    };
    std::fs::remove_file(&head).unwrap();
    without_copy(&notes);
    assert!(matches!(unlock(&vault), Err(VaultError::HeadMissing)));
    std::fs::write(
        &head,
        r#"{"format":"kluis-audit-head/1","vault":"x","seq":1,"hash":"00","mac":"00"}"#,
    )
    .unwrap();
    assert!(matches!(unlock(&vault), Err(VaultError::DamagedFile(..))));
    drop(vault);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&kept).unwrap();
}

/// Entries noted while locked are vouched for by the process that locked
/// (a key derived from the data key, held only in memory). One written into
/// `outside.json` by hand, one edited there, and one noted by a process
/// that never unlocked are each recorded as reported, not verified, in the
/// lock's name; only the genuine one without that mark.
#[test]
fn entries_noted_while_locked_count_only_when_the_locking_app_vouches_for_them() {
    let (dir, vault, session, _) = new_vault("vouched");
    session.lock(NOW).unwrap();
    let note = |vault: &Vault, at: i64, detail: &str| {
        vault
            .defer_audit(&kluis_vault::audit::NewEntry {
                at,
                operator: "kluis",
                action: AuditAction::DayClosed,
                subject: "vault",
                detail,
            })
            .unwrap();
    };
    note(&vault, NOW + 1, "genuine");
    note(&vault, NOW + 2, "edited later");
    // By hand: one entry edited, one added (a lock event in the lock's name).
    let path = dir.join("outside.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let deferred = json["deferred"].as_array_mut().unwrap();
    deferred[1]["detail"] = "the day was closed early".into();
    let mut added = deferred[0].clone();
    added["at"] = (NOW - 86_400).into();
    deferred.push(added);
    std::fs::write(&path, json.to_string()).unwrap();
    // A process that never unlocked notes one too.
    drop(vault);
    let vault = Vault::open(&dir).unwrap();
    note(&vault, NOW + 3, "from a fresh process");

    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 4)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 5).unwrap();
    let seen: Vec<(AuditAction, &str, bool)> = log
        .iter()
        .rev()
        .take(4)
        .map(|e| {
            (
                e.action,
                e.operator.as_str(),
                e.detail.contains("not verified"),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (AuditAction::DayClosed, "kluis", false),
            (AuditAction::DayClosed, "kluis", true),
            (AuditAction::DayClosed, "kluis", true),
            (AuditAction::DayClosed, "kluis", true),
        ],
        "{log:#?}"
    );
    session.lock(NOW + 5).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}

/// The locking process remembers what it noted: entries taken out of
/// `outside.json` are logged at its next unlock, and an entry added by hand
/// between two genuine ones spoils neither.
#[test]
fn notes_taken_out_while_locked_are_noticed() {
    let (dir, vault, session, _) = new_vault("taken-out");
    session.lock(NOW).unwrap();
    let note = |at: i64, detail: &str| {
        vault
            .defer_audit(&kluis_vault::audit::NewEntry {
                at,
                operator: "kluis",
                action: AuditAction::ClockSetBack,
                subject: "vault",
                detail,
            })
            .unwrap();
    };
    note(NOW + 1, "first");
    let path = dir.join("outside.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut forged = json["deferred"][0].clone();
    forged["detail"] = "by hand".into();
    forged.as_object_mut().unwrap().remove("mac");
    json["deferred"].as_array_mut().unwrap().push(forged);
    std::fs::write(&path, json.to_string()).unwrap();
    note(NOW + 2, "second");
    note(NOW + 3, "third, taken out");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json["deferred"].as_array_mut().unwrap().pop();
    std::fs::write(&path, json.to_string()).unwrap();

    let session = vault
        .unlock(&SlotOwner::Admin, &secret("beheerder wachtwoord"), NOW + 4)
        .unwrap();
    let log = kluis_vault::audit::recent(session.store(), 5).unwrap();
    let details: Vec<&str> = log
        .iter()
        .rev()
        .take(4)
        .map(|e| e.detail.as_str())
        .collect();
    assert!(details[0].ends_with("first"), "{details:?}");
    assert!(
        details[1].contains("not verified") && details[1].ends_with("by hand"),
        "{details:?}"
    );
    assert!(
        details[2].ends_with("second") && !details[2].contains("not verified"),
        "{details:?}"
    );
    assert!(
        details[3].contains("1 entries noted while locked were taken out"),
        "{details:?}"
    );
    session.lock(NOW + 5).unwrap();
    drop(vault);
    std::fs::remove_dir_all(dir).unwrap();
}
