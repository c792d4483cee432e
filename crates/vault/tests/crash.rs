//! `kill -9` in the middle of writing, for real, many times, at random
//! moments: after each kill, everything that was committed is there and
//! nothing is half-written.
//!
//! The test runs itself a second time as the writer (same binary, one test
//! selected, an environment variable saying which role): the writer stores
//! batches (a conversation of 50 messages, an encrypted original file and an
//! audit entry, in one transaction) and appends each batch number to a
//! progress file after its commit (the test harness captures stdout); the
//! test kills it with SIGKILL at a random moment and checks.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kluis_vault::audit::{self, AuditAction, NewEntry};
use kluis_vault::store::{MessageKind, NewMessage};
use kluis_vault::{KdfParams, LocalTime, SlotOwner, Vault};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

const WRITER_ROLE: &str = "KLUIS_CRASH_TEST_WRITER";
const PASSPHRASE: &str = "crash test passphrase";
const MESSAGES_PER_BATCH: usize = 50;
const ROUNDS: u64 = 10;

fn secret() -> SecretString {
    SecretString::from(PASSPHRASE.to_owned())
}

/// A small deterministic generator: the seed is printed, so a failure can
/// be replayed with `KLUIS_CRASH_SEED`.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn kill_9_while_writing_loses_nothing_committed_and_leaves_nothing_half_written() {
    if let Some(dir) = std::env::var_os(WRITER_ROLE) {
        write_until_killed(Path::new(&dir));
    }
    let seed = std::env::var("KLUIS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("crash test seed: KLUIS_CRASH_SEED={seed}");
    let mut random = XorShift(seed);
    let dir = std::env::temp_dir().join(format!("kluis-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (vault, session, _) = Vault::create(&dir, &secret(), KdfParams::FLOOR, 0).unwrap();
    session.lock(0).unwrap();
    drop(vault);

    let progress = dir.with_extension("progress");
    let mut committed_total = 0;
    for round in 0..ROUNDS {
        std::fs::write(&progress, "").unwrap();
        let mut writer = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill_9_while_writing_loses_nothing_committed_and_leaves_nothing_half_written",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_ROLE, &dir)
            .env("KLUIS_CRASH_ROUND", round.to_string())
            .env("KLUIS_CRASH_PROGRESS", &progress)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until it has the vault, then let it write for 0 to 400 ms.
        while !std::fs::read_to_string(&progress)
            .unwrap()
            .starts_with("ready")
        {
            assert!(
                writer.try_wait().unwrap().is_none(),
                "the writer died before it was ready"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(random.next() % 400));
        writer.kill().unwrap(); // SIGKILL
        writer.wait().unwrap();
        let reported: Vec<u64> = std::fs::read_to_string(&progress)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("committed ")?.parse().ok())
            .collect();
        committed_total += reported.len();
        check_vault(&dir, round, reported.last().copied());
    }
    assert!(
        committed_total > 0,
        "the writer never got to commit anything"
    );
    eprintln!("{ROUNDS} kills, {committed_total} batches reported committed");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&progress).unwrap();
}

/// After a kill: every batch reported committed is whole; no batch is
/// partly there; every original file reads back to its hash; every blob
/// file reads to its end; the audit chain is whole.
fn check_vault(dir: &Path, round: u64, last_reported: Option<u64>) {
    let vault = Vault::open(dir).expect("the kill released the vault");
    let session = vault.unlock(&SlotOwner::Admin, &secret(), 0).unwrap();
    let store = session.store();
    let mut batches_this_round = Vec::new();
    for conversation in store.conversations().unwrap() {
        assert_eq!(
            conversation.messages, MESSAGES_PER_BATCH as i64,
            "{} is half-stored",
            conversation.chat_name
        );
        if let Some(n) = conversation
            .chat_name
            .strip_prefix(&format!("round {round} batch "))
        {
            batches_this_round.push(n.parse::<u64>().unwrap());
        }
    }
    batches_this_round.sort();
    if let Some(last) = last_reported {
        // Everything reported is there; at most one more (committed, killed
        // before it could say so).
        let expected: Vec<u64> = (0..=last).collect();
        assert!(
            batches_this_round == expected
                || batches_this_round == [expected.clone(), vec![last + 1]].concat(),
            "round {round}: reported up to {last}, found {batches_this_round:?}"
        );
    }
    let blobs = session.blobs().unwrap();
    for original in store.originals().unwrap() {
        let mut bytes = Vec::new();
        blobs
            .open_blob(original.blob)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        let hash: [u8; 32] = Sha256::digest(&bytes).into();
        assert_eq!(
            hash, original.sha256,
            "{} does not read back",
            original.file_name
        );
    }
    // Blobs finished but never committed may exist; none may be partial.
    for id in blobs.ids().unwrap() {
        let mut sink = Vec::new();
        blobs.open_blob(id).unwrap().read_to_end(&mut sink).unwrap();
    }
    let report = audit::verify(store).unwrap();
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    drop(blobs);
    session.lock(0).unwrap();
}

/// The writer's side: store batches until killed.
fn write_until_killed(dir: &Path) -> ! {
    let round: u64 = std::env::var("KLUIS_CRASH_ROUND").unwrap().parse().unwrap();
    let vault = Vault::open(dir).unwrap();
    let mut session = vault.unlock(&SlotOwner::Admin, &secret(), 0).unwrap();
    let mut out = std::fs::OpenOptions::new()
        .append(true)
        .open(std::env::var_os("KLUIS_CRASH_PROGRESS").unwrap())
        .unwrap();
    writeln!(out, "ready").unwrap();
    for batch in 0u64.. {
        let export: Vec<u8> = (0..(batch % 7 + 1) * 40_000u64)
            .map(|i| (i * 31 + batch) as u8)
            .collect();
        let blobs = session.blobs().unwrap();
        let mut blob = blobs.create().unwrap();
        blob.write_all(&export).unwrap();
        let info = blob.finish().unwrap();
        drop(blobs);
        let mut writer = session.store_mut().write().unwrap();
        let conversation = writer
            .add_conversation(&format!("round {round} batch {batch}"), 0)
            .unwrap();
        writer
            .add_original(&info, "WhatsApp-chat met test.txt", 0)
            .unwrap();
        for n in 0..MESSAGES_PER_BATCH {
            let at = LocalTime::from_parts(2026, 11, 23, 9, (n % 60) as u8, 0).unwrap();
            let text = format!("bericht {n} van ronde {round} in partij {batch}");
            writer
                .add_message(
                    conversation,
                    &NewMessage {
                        at,
                        author: Some("Burger"),
                        kind: MessageKind::Text,
                        text: &text,
                        attachment: None,
                        original: None,
                    },
                )
                .unwrap();
        }
        writer
            .audit(&NewEntry {
                at: 0,
                operator: "admin",
                action: AuditAction::Import,
                subject: &format!("conversation {}", conversation.0),
                detail: "",
            })
            .unwrap();
        writer.commit().unwrap();
        writeln!(out, "committed {batch}").unwrap();
    }
    unreachable!("the loop ends only when the process is killed")
}

const WAL_WRITER_ROLE: &str = "KLUIS_CRASH_TEST_WAL_WRITER";

/// A writer killed with SIGKILL right after its commits leaves them in the
/// write-ahead log (`kluis.db-wal`). If that file is then lost, the
/// database went back in time: the next unlock refuses it and names the
/// loss (instead of opening it as if nothing were missing); with the log
/// put back, everything is there.
#[test]
fn a_lost_write_ahead_log_after_kill_9_is_refused_not_opened() {
    if let Some(dir) = std::env::var_os(WAL_WRITER_ROLE) {
        commit_then_wait(Path::new(&dir));
    }
    let dir = std::env::temp_dir().join(format!("kluis-crash-wal-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (vault, session, _) = Vault::create(&dir, &secret(), KdfParams::FLOOR, 0).unwrap();
    session.lock(0).unwrap();
    drop(vault);
    let progress = dir.with_extension("progress");
    std::fs::write(&progress, "").unwrap();
    let mut writer = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_lost_write_ahead_log_after_kill_9_is_refused_not_opened",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WAL_WRITER_ROLE, &dir)
        .env("KLUIS_CRASH_PROGRESS", &progress)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !std::fs::read_to_string(&progress)
        .unwrap()
        .contains("committed")
    {
        assert!(writer.try_wait().unwrap().is_none(), "the writer died");
        std::thread::sleep(Duration::from_millis(5));
    }
    writer.kill().unwrap(); // SIGKILL
    writer.wait().unwrap();

    let wal = dir.join("kluis.db-wal");
    let aside = dir.with_extension("wal-aside");
    std::fs::rename(&wal, &aside).expect("the commits are in the log");
    let vault = Vault::open(&dir).unwrap();
    match vault.unlock(&SlotOwner::Admin, &secret(), 0) {
        Err(kluis_vault::VaultError::RolledBack { recorded, found }) => {
            assert!(recorded > found, "{recorded} {found}");
        }
        other => panic!("a database missing its last commits opened: {other:?}"),
    }
    drop(vault);
    std::fs::rename(&aside, &wal).unwrap();
    let vault = Vault::open(&dir).unwrap();
    let session = vault.unlock(&SlotOwner::Admin, &secret(), 0).unwrap();
    let imports = audit::recent(session.store(), 100)
        .unwrap()
        .iter()
        .filter(|e| e.action == AuditAction::Import)
        .count();
    assert_eq!(imports, 3);
    session.lock(0).unwrap();
    drop(vault);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&progress).unwrap();
}

/// The writer's side: three commits, then wait to be killed.
fn commit_then_wait(dir: &Path) -> ! {
    let vault = Vault::open(dir).unwrap();
    let mut session = vault.unlock(&SlotOwner::Admin, &secret(), 0).unwrap();
    for n in 0..3 {
        let mut writer = session.store_mut().write().unwrap();
        writer
            .audit(&NewEntry {
                at: n,
                operator: "admin",
                action: AuditAction::Import,
                subject: "conversation 1",
                detail: "",
            })
            .unwrap();
        writer.commit().unwrap();
    }
    let mut out = std::fs::OpenOptions::new()
        .append(true)
        .open(std::env::var_os("KLUIS_CRASH_PROGRESS").unwrap())
        .unwrap();
    writeln!(out, "committed").unwrap();
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}
