//! `kluis --vault DIR …` as IT runs it: set-up, keys, refusals, checks.
//! Argon2id at the floor (`--kdf-memory 64 --kdf-passes 3`) keeps it quick.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FLOOR: [&str; 4] = ["--kdf-memory", "64", "--kdf-passes", "3"];

fn kluis(dir: &Path, passphrase: Option<&str>, new: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kluis"));
    command
        .arg("--vault")
        .arg(dir)
        .args(args)
        .env_remove("KLUIS_PASSPHRASE")
        .env_remove("KLUIS_NEW_PASSPHRASE")
        .env("KLUIS_TEST_CLOCK", common::monday())
        .stdin(Stdio::null());
    if let Some(p) = passphrase {
        command.env("KLUIS_PASSPHRASE", p);
    }
    if let Some(p) = new {
        command.env("KLUIS_NEW_PASSPHRASE", p);
    }
    command.output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn check(out: &Output, code: i32, stdout_has: &str, stderr_has: &str) {
    assert_eq!(out.status.code(), Some(code), "{out:?}");
    assert!(stdout(out).contains(stdout_has), "stdout: {}", stdout(out));
    assert!(stderr(out).contains(stderr_has), "stderr: {}", stderr(out));
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kluis-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The recovery key from `init`'s output.
fn recovery_key(init: &Output) -> String {
    stdout(init)
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 41 && l.matches('-').count() == 8)
        .expect("a recovery key in the output")
        .to_owned()
}

#[test]
fn wrong_key_fails_recovery_key_opens_and_passwd_retires_the_old_passphrase() {
    let dir = fresh("keys");
    let init = kluis(
        &dir,
        Some("beheer-wachtwoord"),
        None,
        &[&["init"][..], &FLOOR].concat(),
    );
    check(&init, 0, "Recovery key", "");
    let recovery = recovery_key(&init);

    let ok = kluis(&dir, Some("beheer-wachtwoord"), None, &["unlock-check"]);
    check(&ok, 0, "The passphrase of admin opens the vault.", "");
    let wrong = kluis(&dir, Some("beheer-wachtwoorD"), None, &["unlock-check"]);
    check(&wrong, 3, "", "kluis: wrong passphrase (failed attempt 1)");

    let typed = recovery.to_lowercase().replace('-', " ");
    let rescue = kluis(
        &dir,
        Some(&typed),
        None,
        &["--as", "recovery", "unlock-check"],
    );
    check(
        &rescue,
        0,
        "The passphrase of recovery key opens the vault.",
        "",
    );
    let typo = kluis(
        &dir,
        Some("ABCD-EFGH"),
        None,
        &["--as", "recovery", "unlock-check"],
    );
    check(&typo, 3, "", "not a recovery key");

    let short = kluis(
        &dir,
        Some("beheer-wachtwoord"),
        Some("kort"),
        &[&["passwd"][..], &FLOOR].concat(),
    );
    check(&short, 2, "", "at least 8 characters; nothing was changed");
    let changed = kluis(
        &dir,
        Some("beheer-wachtwoord"),
        Some("nieuw-wachtwoord"),
        &[&["passwd"][..], &FLOOR].concat(),
    );
    check(&changed, 0, "the old one no longer opens the vault", "");
    let old = kluis(&dir, Some("beheer-wachtwoord"), None, &["unlock-check"]);
    check(&old, 3, "", "wrong passphrase");
    let new = kluis(&dir, Some("nieuw-wachtwoord"), None, &["unlock-check"]);
    check(&new, 0, "opens the vault", "");

    let status = kluis(&dir, Some("nieuw-wachtwoord"), None, &["status"]);
    check(
        &status,
        0,
        "key slot        admin (Argon2id 64 MiB, 3 passes, 4 lanes)",
        "",
    );
    assert!(
        stdout(&status).contains("chain intact"),
        "{}",
        stdout(&status)
    );
    let verify = kluis(&dir, Some("nieuw-wachtwoord"), None, &["audit", "verify"]);
    check(&verify, 0, "chain intact", "");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn operators_come_and_go_and_only_the_admin_manages_them() {
    let dir = fresh("operators");
    check(
        &kluis(
            &dir,
            Some("beheer-wachtwoord"),
            None,
            &[&["init"][..], &FLOOR].concat(),
        ),
        0,
        "",
        "",
    );
    let add = kluis(
        &dir,
        Some("beheer-wachtwoord"),
        Some("dienst-jansen"),
        &[&["operator", "add", "Jansen"][..], &FLOOR].concat(),
    );
    check(&add, 0, "Added operator Jansen.", "");
    let jansen = kluis(
        &dir,
        Some("dienst-jansen"),
        None,
        &["--as", "Jansen", "unlock-check"],
    );
    check(&jansen, 0, "operator Jansen opens the vault", "");
    let by_operator = kluis(
        &dir,
        Some("dienst-jansen"),
        None,
        &["--as", "Jansen", "operator", "remove", "Jansen"],
    );
    check(
        &by_operator,
        8,
        "",
        "not allowed: an operator may not manage operators",
    );
    let remove = kluis(
        &dir,
        Some("beheer-wachtwoord"),
        None,
        &["operator", "remove", "Jansen"],
    );
    check(&remove, 0, "Removed operator Jansen", "");
    let gone = kluis(
        &dir,
        Some("dienst-jansen"),
        None,
        &["--as", "Jansen", "unlock-check"],
    );
    check(
        &gone,
        2,
        "",
        "this vault has no key slot for operator Jansen",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn refusals_say_what_to_do() {
    let dir = fresh("refusals");
    let none = kluis(&dir, Some("beheer-wachtwoord"), None, &["status"]);
    check(
        &none,
        2,
        "",
        "is not a Kluis vault (no keyslots.json); create one with `kluis --vault DIR init`",
    );
    check(
        &kluis(
            &dir,
            Some("beheer-wachtwoord"),
            None,
            &[&["init"][..], &FLOOR].concat(),
        ),
        0,
        "",
        "",
    );
    let again = kluis(
        &dir,
        Some("beheer-wachtwoord"),
        None,
        &[&["init"][..], &FLOOR].concat(),
    );
    check(&again, 2, "", "is already a Kluis vault");
    let weak = kluis(
        &fresh("weak"),
        Some("beheer-wachtwoord"),
        None,
        &["init", "--kdf-memory", "19", "--kdf-passes", "2"],
    );
    check(
        &weak,
        2,
        "",
        "--kdf-memory must be at least 64 and --kdf-passes at least 3",
    );
    let no_passphrase = kluis(&dir, None, None, &["unlock-check"]);
    check(
        &no_passphrase,
        2,
        "",
        "no passphrase: run in a terminal, or set KLUIS_PASSPHRASE",
    );
    let empty_query = kluis(&dir, Some("beheer-wachtwoord"), None, &["search", "!!!"]);
    check(&empty_query, 2, "", "type a word to search for");

    // A second process: this test holds the vault, the command is refused.
    let held = kluis_vault::Vault::open(&dir).unwrap();
    let busy = kluis(&dir, Some("beheer-wachtwoord"), None, &["unlock-check"]);
    check(
        &busy,
        5,
        "",
        "is open in another Kluis process; close that one first",
    );
    drop(held);
    check(
        &kluis(&dir, Some("beheer-wachtwoord"), None, &["unlock-check"]),
        0,
        "",
        "",
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A vault whose database was removed, emptied or put back from an older
/// copy: `status` refuses, says what to do, and creates nothing.
#[test]
fn a_vault_never_starts_over() {
    let dir = fresh("never-over");
    let pass = Some("beheer-wachtwoord");
    let init = kluis(&dir, pass, None, &[&["init"][..], &FLOOR].concat());
    check(&init, 0, "", "");
    let db = dir.join("kluis.db");
    let kept = dir.with_extension("kept");
    std::fs::copy(&db, &kept).unwrap();
    check(&kluis(&dir, pass, None, &["status"]), 0, "chain intact", "");

    std::fs::remove_file(&db).unwrap();
    let out = kluis(&dir, pass, None, &["status"]);
    check(
        &out,
        2,
        "",
        "the vault's database is gone. Nothing was created",
    );
    assert!(!db.exists());
    std::fs::write(&db, b"").unwrap();
    check(
        &kluis(&dir, pass, None, &["status"]),
        2,
        "",
        "kluis.db is empty",
    );
    std::fs::copy(&kept, &db).unwrap();
    let out = kluis(&dir, pass, None, &["status"]);
    check(&out, 2, "", "has gone back in time");
    assert!(!stdout(&out).contains("conversations"), "{}", stdout(&out));
    // Put back on purpose: the recovery key accepts it, with a reason.
    let recovery = recovery_key(&init);
    let accept = [
        "--as",
        "recovery",
        "unlock-check",
        "--accept-older-database",
    ];
    check(
        &kluis(&dir, Some(&recovery), None, &accept),
        2,
        "",
        "needs --reason",
    );
    let admin = [
        "--reason",
        "backup",
        "unlock-check",
        "--accept-older-database",
    ];
    check(
        &kluis(&dir, pass, None, &admin),
        2,
        "",
        "has gone back in time",
    );
    let with_reason = [&["--reason", "backup van maandag"][..], &accept].concat();
    check(
        &kluis(&dir, Some(&recovery), None, &with_reason),
        0,
        "opens the vault",
        "",
    );
    check(&kluis(&dir, pass, None, &["status"]), 0, "chain intact", "");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&kept).unwrap();
}

/// A vault folder loosened by hand (0777, a 0666 file, a 0755 blob
/// folder) is made private again, and the command says so.
#[test]
fn loose_permissions_are_tightened_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh("loose");
    let pass = Some("beheer-wachtwoord");
    let init = kluis(&dir, pass, None, &[&["init"][..], &FLOOR].concat());
    check(&init, 0, "", "");
    let set = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let blobs = dir.join("blobs").join("ab");
    std::fs::create_dir_all(&blobs).unwrap();
    set(&dir, 0o777);
    set(&dir.join("keyslots.json"), 0o666);
    set(&blobs, 0o755);
    let out = kluis(&dir, pass, None, &["status"]);
    check(&out, 0, "", "others could read or change");
    assert!(stderr(&out).contains("keyslots.json"), "{}", stderr(&out));
    assert_eq!(
        (mode(&dir), mode(&dir.join("keyslots.json")), mode(&blobs)),
        (0o700, 0o600, 0o700)
    );
    // Once private, nothing more to say.
    let out = kluis(&dir, pass, None, &["status"]);
    check(&out, 0, "", "");
    assert!(
        !stderr(&out).contains("others could read"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Passphrases that the first guesses of an attacker find are refused,
/// with the reason, wherever one is chosen; nothing is made or changed.
#[test]
fn guessable_passphrases_are_refused_with_the_reason() {
    let dir = fresh("weak");
    for (weak, reason) in [
        ("12345678", "on the lists of passwords people use"),
        ("password", "on the lists of passwords people use"),
        ("        ", "at least 8 characters"),
        ("aaaaaaaaaaaa", "repeats characters"),
    ] {
        let out = kluis(&dir, Some(weak), None, &[&["init"][..], &FLOOR].concat());
        check(&out, 2, "", reason);
        assert!(
            stderr(&out).contains("nothing was changed"),
            "{}",
            stderr(&out)
        );
        assert!(!dir.join("keyslots.json").exists());
    }
    let pass = Some("beheer-wachtwoord");
    check(
        &kluis(&dir, pass, None, &[&["init"][..], &FLOOR].concat()),
        0,
        "",
        "",
    );
    let out = kluis(
        &dir,
        pass,
        Some("Sanne2026!"),
        &[&["operator", "add", "Sanne"][..], &FLOOR].concat(),
    );
    check(&out, 2, "", "a word that goes with this vault");
    let out = kluis(
        &dir,
        pass,
        Some("qwertyuiop"),
        &[&["passwd"][..], &FLOOR].concat(),
    );
    check(&out, 2, "", "easy to guess");
    check(&kluis(&dir, pass, None, &["unlock-check"]), 0, "", "");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The wait after failed unlocks cannot be skipped by moving the clock
/// forward (libfaketime, as an attacker at the keyboard would): while the
/// laptop has not restarted it runs on the boot's clock. Real clock, real
/// `faketime`; `make test` installs it.
#[test]
fn a_clock_moved_forward_skips_no_wait() {
    let dir = fresh("faketime");
    let real = |pass: &str, prefix: &[&str]| {
        let mut command = Command::new(
            prefix
                .first()
                .copied()
                .unwrap_or(env!("CARGO_BIN_EXE_kluis")),
        );
        if !prefix.is_empty() {
            command.args(&prefix[1..]).arg(env!("CARGO_BIN_EXE_kluis"));
        }
        command
            .arg("--vault")
            .arg(&dir)
            .arg("unlock-check")
            .env("KLUIS_PASSPHRASE", pass)
            .env_remove("KLUIS_TEST_CLOCK")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{prefix:?}: {e} (make test installs faketime)"))
    };
    check(
        &kluis(
            &dir,
            Some("beheer-wachtwoord"),
            None,
            &[&["init"][..], &FLOOR].concat(),
        ),
        0,
        "",
        "",
    );
    for _ in 0..6 {
        assert_eq!(real("fout", &[]).status.code(), Some(3));
    }
    // Six failures: an eight-second wait. An hour later, says the clock.
    let out = real("beheer-wachtwoord", &["faketime", "-f", "+1h"]);
    check(&out, 3, "", "too many failed attempts: try again in");
    // And what can be seen without a passphrase says the same.
    let mut status = Command::new("faketime");
    status
        .args(["-f", "+1h", env!("CARGO_BIN_EXE_kluis"), "--vault"])
        .arg(&dir)
        .args(["status", "--outside"])
        .env_remove("KLUIS_TEST_CLOCK");
    let out = status.output().unwrap();
    check(&out, 0, "; next attempt in", "");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--passphrase-file` reads the passphrase once from a file or a pipe,
/// so a long-running command need not keep it in its environment.
#[test]
fn the_passphrase_can_come_from_a_pipe() {
    let dir = fresh("pass-file");
    check(
        &kluis(
            &dir,
            Some("beheer-wachtwoord"),
            None,
            &[&["init"][..], &FLOOR].concat(),
        ),
        0,
        "",
        "",
    );
    let pipe = dir.with_extension("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::write(pipe, "beheer-wachtwoord\n").unwrap())
    };
    let out = kluis(
        &dir,
        None,
        None,
        &["--passphrase-file", pipe.to_str().unwrap(), "unlock-check"],
    );
    writer.join().unwrap();
    check(&out, 0, "opens the vault", "");
    std::fs::remove_file(&pipe).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
