//! The desk over a real vault: the lock's sequence at unlock, the role
//! table, and long work that never holds the whole desk.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kluis_core::console::ListQuery;
use kluis_core::desk::{Desk, DeskError, Notice, SlotOwner};
use kluis_core::import::ImportError;
use kluis_core::lock::{Clock, Now, Refusal, Role, Why};
use kluis_vault::audit::{self, AuditAction};
use kluis_vault::{KdfParams, Vault};
use secrecy::SecretString;

const ADMIN: &str = "beheerder wachtwoord";
const SANNE: &str = "sanne wachtwoord";
/// Monday 23 November 2026, 09:00 CET: inside the default shift.
const MONDAY_MORNING: Now = Now {
    utc: 1_795_420_800,
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

fn carol() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../tests/fixtures/whatsapp/public/minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt",
    )
}

/// A vault with the operator Sanne, and a desk over it on a test clock.
fn desk(name: &str) -> (PathBuf, Desk, TestClock) {
    let root = std::env::temp_dir().join(format!("kluis-desk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("home")).unwrap();
    let vault = root.join("vault");
    Desk::create(
        &vault,
        &secret(ADMIN),
        KdfParams::FLOOR,
        &[],
        None,
        MONDAY_MORNING.utc,
    )
    .unwrap();
    let clock = TestClock(Arc::new(Mutex::new(MONDAY_MORNING)));
    let desk = Desk::open(&vault, Box::new(clock.clone()), &root.join("home")).unwrap();
    desk.unlock(&SlotOwner::Admin, &secret(ADMIN), None)
        .unwrap();
    desk.add_operator("Sanne", &secret(SANNE), KdfParams::FLOOR)
        .unwrap();
    desk.lock_now();
    (root, desk, clock)
}

fn sanne() -> SlotOwner {
    SlotOwner::operator("Sanne").unwrap()
}

/// The vault's audit log, read with the admin's key after the desk let go.
fn audit_log(root: &Path) -> Vec<(AuditAction, String)> {
    let vault = Vault::open(&root.join("vault")).unwrap();
    let session = vault
        .unlock(&SlotOwner::Admin, &secret(ADMIN), MONDAY_MORNING.utc)
        .unwrap();
    let entries = audit::after(session.store(), 0).unwrap();
    entries.into_iter().map(|e| (e.action, e.detail)).collect()
}

#[test]
fn a_refused_unlock_closes_again_and_is_audited_with_a_clock_set_back() {
    let (root, desk, clock) = desk("refused");
    clock.advance(14 * 60); // 23:00: the end of the day closed it
    let refused = desk.unlock(&sanne(), &secret(SANNE), None);
    assert!(matches!(
        refused,
        Err(DeskError::Refused {
            refusal: Refusal::DayClosed { .. },
            ..
        })
    ));
    assert!(
        desk.who().is_none(),
        "the store stayed open after a refusal"
    );
    assert!(matches!(
        desk.list(&ListQuery::default()),
        Err(DeskError::Locked)
    ));
    clock.advance(-12 * 60); // set back to 11:00
    match desk.unlock(&sanne(), &secret(SANNE), None) {
        Err(DeskError::Refused { set_back_by, .. }) => assert!(set_back_by.is_some()),
        other => panic!("{other:?}"),
    }
    // The admin opens the closed day with a reason; it stays closed.
    let notices = desk
        .unlock(&SlotOwner::Admin, &secret(ADMIN), Some("storing".into()))
        .unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(desk.lock_now(), vec![Notice::Locked { why: Why::ByHand }]);
    assert!(desk.unlock(&sanne(), &secret(SANNE), None).is_err());
    drop(desk);
    let log = audit_log(&root);
    let has = |action: AuditAction, detail: &str| {
        log.iter().any(|(a, d)| *a == action && d.contains(detail))
    };
    assert!(has(AuditAction::DayClosed, "closing time"), "{log:?}");
    assert!(
        has(
            AuditAction::Lock,
            "unlock refused: the day 2026-11-23 is closed"
        ),
        "{log:?}"
    );
    assert!(
        has(AuditAction::ClockSetBack, "before the latest time seen"),
        "{log:?}"
    );
    assert!(
        has(AuditAction::Override, "after the day's closing: storing"),
        "{log:?}"
    );
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn an_operator_may_not_do_the_admins_work() {
    let (root, desk, _clock) = desk("roles");
    desk.unlock(&sanne(), &secret(SANNE), None).unwrap();
    let refused = |r: Result<(), DeskError>| {
        assert!(
            matches!(
                r,
                Err(DeskError::NotPermitted {
                    role: Role::Operator,
                    ..
                })
            ),
            "{r:?}"
        );
    };
    refused(desk.set("retention.days", "0"));
    refused(desk.set("lock.shifts", "ma-zo 00:00-23:59"));
    refused(desk.purge().map(|_| ()));
    refused(desk.remove_operator("Sanne"));
    refused(desk.seal_setup(&[], None).map(|_| ()));
    // The day's work is hers.
    assert!(
        desk.import_paths(&[carol()], |_, _| {}).unwrap()[0]
            .1
            .is_ok()
    );
    assert_eq!(desk.list(&ListQuery::default()).unwrap().len(), 1);
    drop(desk);
    std::fs::remove_dir_all(root).unwrap();
}

/// An import of many files takes the session one file at a time: while it
/// is between two files, the page's reads and the ticker answer, and a lock
/// takes effect at once; the files not read yet stay unread.
#[test]
fn long_work_holds_the_desk_only_one_file_at_a_time() {
    let (root, desk, _clock) = desk("long");
    desk.unlock(&sanne(), &secret(SANNE), None).unwrap();
    let paths: Vec<PathBuf> = (0..20).map(|_| carol()).collect();
    let (paused, at_pause) = mpsc::channel();
    let (go_on, resume) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        let (desk, paths) = (&desk, &paths);
        let import = s.spawn(move || {
            let mut done = 0;
            desk.import_paths(paths, |_, _| {
                done += 1;
                if done == 1 {
                    paused.send(()).unwrap();
                    resume.recv().unwrap();
                }
            })
        });
        at_pause.recv().unwrap();
        // Another thread reads, ticks and locks while the import is paused;
        // were the desk held, this would not come back.
        let (answered, answer) = mpsc::channel();
        s.spawn(move || {
            let listed = desk.list(&ListQuery::default()).map(|l| l.len());
            let ticked = desk.tick();
            let locked = desk.lock_now();
            answered.send((listed, ticked, locked)).unwrap();
        });
        let (listed, ticked, locked) = answer
            .recv_timeout(Duration::from_secs(60))
            .expect("the desk was held by the import");
        assert_eq!(listed.unwrap(), 1);
        assert!(ticked.is_empty());
        assert_eq!(locked, vec![Notice::Locked { why: Why::ByHand }]);
        go_on.send(()).unwrap();
        let results = import.join().unwrap().unwrap();
        assert!(results[0].1.is_ok());
        assert_eq!(results.len(), 20);
        for (_, result) in &results[1..] {
            assert!(matches!(result, Err(ImportError::Locked)), "{result:?}");
        }
    });
    drop(desk);
    std::fs::remove_dir_all(root).unwrap();
}

/// An idle inbox costs nothing: over many wake-ups (each ticks the lock)
/// the folder is looked at once, not once per wake-up, and the pass's own
/// reading of the folder wakes nothing. A FIFO in the inbox is set aside at
/// that one look, and "lock" still ends the watch at once.
#[test]
fn an_idle_inbox_is_looked_at_once_and_a_fifo_never_holds_the_lock() {
    use kluis_core::import::inbox::{Inbox, Watch};
    let (root, desk, _clock) = desk("idle");
    desk.unlock(&sanne(), &secret(SANNE), None).unwrap();
    let settle = Duration::from_millis(40);
    let inbox = Inbox::at(&desk.inbox_dir().unwrap()).settle(settle);
    inbox.prepare().unwrap();
    let fifo = inbox.dir().join("WhatsApp Chat - Pijp.zip");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut watch = Watch::new(inbox.clone());
    let generation = desk.generation();
    let news = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let (desk, watch, news) = (&desk, &mut watch, &news);
        let watching = s.spawn(move || {
            desk.watch_inbox(watch, generation, |_| {
                news.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        });
        // Fifty wake-ups' worth of quiet (each waits settle / 2).
        std::thread::sleep(settle * 25);
        assert_eq!(desk.lock_now(), vec![Notice::Locked { why: Why::ByHand }]);
        watching.join().unwrap().unwrap();
    });
    assert!(
        watch.passes() <= 2,
        "{} looks at a quiet inbox",
        watch.passes()
    );
    assert_eq!(news.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(!fifo.exists(), "the FIFO was set aside");
    assert!(inbox.quarantine().join("WhatsApp Chat - Pijp.zip").exists());
    drop(desk);
    std::fs::remove_dir_all(root).unwrap();
}

/// An export that fails late (more messages in one minute than a minute's
/// ids hold) leaves none of the encrypted files it wrote; a file no record
/// refers to (a crash's) is named by the full check and removed at the next
/// unlock, audited by count.
#[test]
fn a_failed_import_leaves_no_files_and_strays_go_at_the_next_unlock() {
    let (root, desk, clock) = desk("strays");
    let blobs = || -> usize {
        let dir = root.join("vault/blobs");
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|fan| std::fs::read_dir(fan.unwrap().path()).unwrap().count())
            .sum()
    };
    let mut chat = String::from("13-05-2022 09:00 - Eva: IMG-1.jpg (bestand bijgevoegd)\n");
    for _ in 0..65_536 {
        chat.push_str("13-05-2022 09:00 - Eva: x\n");
    }
    let export = root.join("in");
    std::fs::create_dir_all(&export).unwrap();
    std::fs::write(export.join("WhatsApp-chat met Eva.txt"), chat).unwrap();
    std::fs::write(export.join("IMG-1.jpg"), b"photo").unwrap();
    desk.unlock(&sanne(), &secret(SANNE), None).unwrap();
    let results = desk
        .import_paths(&[export.join("WhatsApp-chat met Eva.txt")], |_, _| {})
        .unwrap();
    match &results[0].1 {
        Err(e) => {
            assert_eq!(e.kind(), "too-many-in-one-second", "{e}");
            assert!(
                e.is_the_files_fault(),
                "it goes to the quarantine, not tried again"
            );
        }
        Ok(report) => panic!("imported: {report:?}"),
    }
    assert_eq!(
        blobs(),
        0,
        "the failed import's original and photo are gone"
    );
    assert!(
        desk.import_paths(&[carol()], |_, _| {}).unwrap()[0]
            .1
            .is_ok()
    );
    assert_eq!(blobs(), 1);
    desk.lock_now();
    drop(desk);

    // A file written, then the process died before its record committed.
    {
        let vault = Vault::open(&root.join("vault")).unwrap();
        let session = vault
            .unlock(&SlotOwner::Admin, &secret(ADMIN), MONDAY_MORNING.utc)
            .unwrap();
        let mut writer = session.blobs().unwrap().create().unwrap();
        std::io::Write::write_all(&mut writer, b"a photo of a citizen").unwrap();
        writer.finish().unwrap();
        assert_eq!(session.unreferenced_blobs().unwrap().len(), 1);
    }
    assert_eq!(blobs(), 2);
    let desk = Desk::open(&root.join("vault"), Box::new(clock), &root.join("home")).unwrap();
    let notices = desk
        .unlock(&SlotOwner::Admin, &secret(ADMIN), None)
        .unwrap();
    assert_eq!(notices, [Notice::RemovedUnreferenced { files: 1 }]);
    assert_eq!(blobs(), 1, "the stray went at the unlock");
    assert_eq!(desk.full_check().unwrap().unreferenced, 0);
    desk.lock_now();
    drop(desk);
    let log = audit_log(&root);
    assert!(
        log.iter().any(|(a, d)| *a == AuditAction::Purge
            && d == "removed 1 encrypted files that no record refers to"),
        "{log:?}"
    );
    std::fs::remove_dir_all(root).unwrap();
}

/// An import that reaches its commit after the closing (17:00 and the
/// grace of 15 minutes) keeps nothing:
/// the lock is asked before each file commits, not once at the start, and
/// each file's audit entry carries the time it committed.
#[test]
fn an_import_running_into_the_closing_commits_nothing_after_it() {
    let (root, desk, clock) = desk("into-closing");
    desk.unlock(&SlotOwner::Admin, &secret(ADMIN), None)
        .unwrap();
    desk.set("lock.idle_minutes", "240").unwrap();
    desk.lock_now();
    clock.advance(7 * 60 + 58); // 16:58
    desk.unlock(&sanne(), &secret(SANNE), None).unwrap();
    let chat = |name: &str, minute: u8| {
        let path = root.join(format!("WhatsApp-chat met {name}.txt"));
        let line = format!("07-12-2026 10:{minute:02} - {name}: Vraag over de afvalpas\n");
        std::fs::write(&path, line).unwrap();
        path
    };
    let files = [chat("Eva", 1), chat("Bram", 2), chat("Anna", 3)];
    let mut step = 0;
    let results = desk
        .import_paths(&files, |_, _| {
            // Reading the next file takes a while: 16:59, then 17:16.
            step += 1;
            clock.advance(if step == 1 { 1 } else { 17 });
        })
        .unwrap();
    assert!(results[0].1.is_ok() && results[1].1.is_ok(), "{results:?}");
    assert!(
        matches!(results[2].1, Err(ImportError::Locked)),
        "committed after the closing: {:?}",
        results[2].1
    );
    drop(desk);
    let vault = Vault::open(&root.join("vault")).unwrap();
    let session = vault
        .unlock(&SlotOwner::Admin, &secret(ADMIN), MONDAY_MORNING.utc)
        .unwrap();
    let imports: Vec<i64> = audit::after(session.store(), 0)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::Import)
        .map(|e| e.at)
        .collect();
    let minute = |m: i64| MONDAY_MORNING.utc + (7 * 60 + m) * 60;
    assert_eq!(imports, [minute(58), minute(59)], "stamped when committed");
    assert_eq!(session.store().counts().unwrap().1, 2);
    std::fs::remove_dir_all(root).unwrap();
}
