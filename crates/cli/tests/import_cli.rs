//! `kluis --vault DIR import|inbox|conversations|merge` as a script or IT
//! runs them, on real fixture exports.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSPHRASE: &str = "beheerder wachtwoord";

fn kluis(vault: &Path, args: &[&str]) -> Output {
    kluis_fed(vault, args, b"")
}

/// `kluis` with `stdin` on its standard input.
fn kluis_fed(vault: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kluis"))
        .arg("--vault")
        .arg(vault)
        .args(args)
        .env("KLUIS_PASSPHRASE", PASSPHRASE)
        .env_remove("KLUIS_NEW_PASSPHRASE")
        .env("KLUIS_TEST_CLOCK", common::monday())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A command that reads nothing may be gone before the write.
    let _ = std::io::Write::write_all(&mut input, stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

#[track_caller]
fn check(out: &Output, code: i32, stdout_is: &str, stderr_has: &str) {
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(code), "{stdout}\n{stderr}");
    assert_eq!(stdout.trim_end(), stdout_is, "stderr: {stderr}");
    assert!(stderr.contains(stderr_has), "stderr: {stderr}");
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/whatsapp/public")
        .join(path)
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kluis-cli-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let init = kluis(
        &dir.join("vault"),
        &["init", "--kdf-memory", "64", "--kdf-passes", "3"],
    );
    assert!(init.status.success(), "{init:?}");
    dir
}

#[test]
fn import_counts_new_messages_and_a_second_run_adds_none() {
    let dir = fresh("count");
    let vault = dir.join("vault");
    let lorem = fixture("whatstk/lorem.txt");
    let lorem = lorem.to_str().unwrap();
    check(&kluis(&vault, &["import", "--count", lorem]), 0, "500", "");
    check(&kluis(&vault, &["import", "--count", lorem]), 0, "0", "");
    // A report per file without --count; a file that is no export fails
    // with its reason, and exit 6, while the others are still imported.
    let json = fixture("chat-miner/target.json");
    let part1 = fixture("whatstk/lorem-merge-part1.txt");
    let out = kluis(
        &vault,
        &["import", json.to_str().unwrap(), part1.to_str().unwrap()],
    );
    check(
        &out,
        6,
        "lorem-merge-part1.txt -> conversation 2 \"lorem-merge-part1\" (new): 300 new, 0 already \
         present, 0 files stored, 0 files missing",
        "target.json: not imported: this is not a WhatsApp chat export",
    );
    // The two conversations, merged into one.
    let list = kluis(&vault, &["conversations"]);
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 2);
    check(
        &kluis(&vault, &["merge", "1", "2"]),
        0,
        "Merged conversation 2 into 1.",
        "",
    );
    let list = String::from_utf8_lossy(&kluis(&vault, &["conversations"]).stdout).into_owned();
    assert!(list.contains("    1      800 messages"), "{list}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_inbox_takes_what_it_can_and_sets_the_rest_aside_with_a_reason() {
    let dir = fresh("inbox");
    let vault = dir.join("vault");
    let inbox = dir.join("Kluis-inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let carol =
        "minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt";
    std::fs::copy(
        fixture(carol),
        inbox.join("WhatsApp-chat met Test export.txt"),
    )
    .unwrap();
    std::fs::write(inbox.join("boodschappen.txt"), "melk, brood\n").unwrap();
    let args = [
        "inbox",
        "--dir",
        inbox.to_str().unwrap(),
        "--settle-ms",
        "100",
    ];
    let mut with_count = args.to_vec();
    with_count.push("--count");
    let out = kluis(&vault, &with_count);
    check(
        &out,
        6,
        "78",
        "boodschappen.txt: not imported: this is not a WhatsApp chat export",
    );
    assert_eq!(std::fs::read_dir(&inbox).unwrap().count(), 0);
    let reason =
        std::fs::read_to_string(dir.join("Kluis-quarantine/boodschappen.txt.why-not-imported.txt"))
            .unwrap();
    assert!(reason.contains("not a WhatsApp chat export"), "{reason}");
    assert_eq!(
        std::fs::read(dir.join("Kluis-quarantine/boodschappen.txt")).unwrap(),
        b"melk, brood\n"
    );
    // The same export dropped again: nothing new, and it leaves the inbox.
    std::fs::copy(
        fixture(carol),
        inbox.join("WhatsApp-chat met Test export.txt"),
    )
    .unwrap();
    check(&kluis(&vault, &with_count), 0, "0", "");
    assert_eq!(std::fs::read_dir(&inbox).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A full disk, as near as a test can come without one: the import runs
/// with a file size limit (`ulimit -f`) its blob write runs into.
#[test]
fn a_full_disk_fails_clearly_stores_nothing_and_leaves_no_partial_file() {
    let dir = fresh("full");
    let vault = dir.join("vault");
    let lorem = fixture("whatstk/lorem.txt");
    let limited = Command::new("bash")
        .arg("-c")
        // SIGXFSZ ignored: a write past the limit fails with EFBIG instead
        // of killing the process, as ENOSPC would fail it.
        .arg("trap '' XFSZ; ulimit -f 32; exec \"$0\" --vault \"$1\" import \"$2\"")
        .arg(env!("CARGO_BIN_EXE_kluis"))
        .arg(&vault)
        .arg(&lorem)
        .env("KLUIS_PASSPHRASE", PASSPHRASE)
        .env("KLUIS_TEST_CLOCK", common::monday())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    check(
        &limited,
        6,
        "",
        "not imported: the vault could not store it",
    );
    let partial: Vec<_> = std::fs::read_dir(vault.join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(partial.is_empty(), "left in the blob folder: {partial:?}");
    // With room again, the same file goes in whole.
    check(
        &kluis(&vault, &["import", "--count", lorem.to_str().unwrap()]),
        0,
        "500",
        "",
    );
    let status = kluis(&vault, &["status"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("1 conversations, 500 messages, 1 files"),
        "{status}"
    );
    assert!(status.contains("chain intact"), "{status}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn settings_are_checked_listed_and_audited() {
    let dir = fresh("settings");
    let vault = dir.join("vault");
    check(
        &kluis(&vault, &["set", "inbox.map", "/tmp"]),
        2,
        "",
        "there is no setting \"inbox.map\"; `kluis settings` lists them",
    );
    check(
        &kluis(&vault, &["set", "inbox.dir", "Kluis-inbox"]),
        2,
        "",
        "inbox.dir must be an absolute path, starting with /",
    );
    check(
        &kluis(
            &vault,
            &["set", "municipality.account", "Gemeente Voorbeeld"],
        ),
        0,
        "",
        "",
    );
    check(
        &kluis(
            &vault,
            &["set", "lock.shifts", "ma-do 08:00-17:00, vr 08:00-12:00"],
        ),
        0,
        "",
        "",
    );
    check(
        &kluis(&vault, &["set", "lock.shifts", "ma-vr 8-17"]),
        2,
        "",
        "lock.shifts must be days and hours like \"ma-vr 08:00-17:00, za 09:00-12:00\"",
    );
    let listing = kluis(&vault, &["settings"]);
    let listing = String::from_utf8_lossy(&listing.stdout);
    for line in [
        "inbox.dir = (not set)\n    the inbox folder (an absolute path); its quarantine is beside it\n",
        "municipality.account = Gemeente Voorbeeld\n",
        "lock.shifts = ma-do 08:00-17:00, vr 08:00-12:00\n",
        "lock.idle_minutes = (not set)\n    minutes without input before Kluis locks (default 10)\n",
    ] {
        assert!(listing.contains(line), "{line:?} not in:\n{listing}");
    }
    // The lock's settings are also where the lock screen can read them.
    let outside = std::fs::read_to_string(vault.join("outside.json")).unwrap();
    assert!(
        outside.contains("\"lock.shifts\": \"ma-do 08:00-17:00, vr 08:00-12:00\""),
        "{outside}"
    );
    assert!(!outside.contains("Gemeente Voorbeeld"), "{outside}");
    // The chain still verifies with the change's entry in it.
    let verify = kluis(&vault, &["audit", "verify"]);
    assert!(
        String::from_utf8_lossy(&verify.stdout).ends_with("chain intact\n"),
        "{verify:?}"
    );
}

/// Escape sequences in a file name and in messages (OSC 52 would write the
/// terminal's clipboard) are shown escaped by `import`, `conversations`
/// and `search`, never passed to the terminal.
#[test]
fn escape_sequences_from_exports_never_reach_the_terminal() {
    let dir = fresh("escapes");
    let vault = dir.join("vault");
    let osc52 = "\u{1b}]52;c;aGFsbG8=\u{7}";
    let name = format!("WhatsApp Chat with Jan{osc52}.txt");
    let export = dir.join(&name);
    std::fs::write(
        &export,
        format!("[15-01-20 02:22:56] Jan{osc52}: paspoort {osc52} kwijt\u{9b}2J\n"),
    )
    .unwrap();
    for args in [
        vec!["import", export.to_str().unwrap()],
        vec!["conversations"],
        vec!["search", "paspoort"],
    ] {
        let out = kluis(&vault, &args);
        assert!(out.status.success(), "{out:?}");
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?}: {text:?}"
            );
        }
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("\\u{1b}]52;c;aGFsbG8=\\u{7}"),
            "{args:?}: {out:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One damaged encrypted file: `status` alone does not read every file,
/// `status --full` does, names the record the file belongs to, and exits 9.
#[test]
fn status_full_reads_every_file_and_names_the_damaged_one() {
    let dir = fresh("status-full");
    let vault = dir.join("vault");
    let lorem = fixture("whatstk/lorem.txt");
    check(
        &kluis(&vault, &["import", "--count", lorem.to_str().unwrap()]),
        0,
        "500",
        "",
    );
    let out = kluis(&vault, &["status", "--full"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("every page verifies"), "{text}");
    assert!(text.contains("1 of 1 read to their end"), "{text}");

    let mut blob = None;
    for fan in std::fs::read_dir(vault.join("blobs")).unwrap().flatten() {
        for file in std::fs::read_dir(fan.path()).unwrap().flatten() {
            blob = Some(file.path());
        }
    }
    let blob = blob.expect("the original is kept as a blob");
    let mut bytes = std::fs::read(&blob).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    assert_eq!(kluis(&vault, &["status"]).status.code(), Some(0));
    let out = kluis(&vault, &["status", "--full"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(9), "{text}");
    assert!(text.contains("0 of 1 read to their end"), "{text}");
    assert!(
        text.contains("DAMAGED") && text.contains("the original export 1"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_case_from_the_command_line_takes_notes_from_stdin_and_says_what_was_made() {
    let dir = fresh("case");
    let vault = dir.join("vault");
    let lorem = fixture("whatstk/lorem.txt");
    check(
        &kluis(&vault, &["import", "--count", lorem.to_str().unwrap()]),
        0,
        "500",
        "",
    );
    check(
        &kluis(&vault, &["set", "case.reference_pattern", r"Z-\d{4}-\d{6}"]),
        0,
        "",
        "",
    );
    check(
        &kluis(&vault, &["label", "add", "afval", "--colour", "groen"]),
        0,
        "Kept label afval.",
        "",
    );
    // The note comes from standard input, never from the command line.
    check(
        &kluis_fed(
            &vault,
            &["case", "1", "--note"],
            b"Container staat achter het huis\n",
        ),
        0,
        "Conversation 1: 1 change(s) made.",
        "",
    );
    // A refusal after a change that was made says both.
    check(
        &kluis(
            &vault,
            &["case", "1", "--label", "afval", "--reference", "Z-26"],
        ),
        2,
        "",
        "1 change(s) were made before this one was refused",
    );
    let status = kluis(&vault, &["case", "1", "--label", "bestaat-niet"]);
    check(
        &status,
        2,
        "",
        "kluis: refused: there is no such label in the admin's list\n",
    );
    // A flood piped in by mistake is refused after a note's length, not
    // held whole; a note that would read backwards is refused too.
    let flood = vec![b'a'; 64 << 20];
    check(
        &kluis_fed(&vault, &["case", "1", "--note"], &flood),
        2,
        "",
        "longer than a note may be (4000 characters); nothing was changed",
    );
    check(
        &kluis_fed(
            &vault,
            &["case", "1", "--handover"],
            "bel \u{202e}terug".as_bytes(),
        ),
        2,
        "",
        "invisible or control character",
    );
    std::fs::remove_dir_all(dir).unwrap();
}
