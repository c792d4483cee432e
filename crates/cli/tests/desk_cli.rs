//! The lock and the roles on the command line: the same desk as the
//! window's, on a clock the test moves (debug builds only read it).
//! Exit 7: the lock refuses; exit 8: the role may not.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::TestClock;

const ADMIN: &str = "beheer-wachtwoord";
const SANNE: &str = "dienst-sanne";
const FLOOR: [&str; 4] = ["--kdf-memory", "64", "--kdf-passes", "3"];

struct World {
    root: PathBuf,
    clock: TestClock,
    recovery: String,
}

impl World {
    /// A vault with the operator Sanne, on Monday 23 November 2026, 09:00.
    fn new(name: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("kluis-cli-desk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("stick")).unwrap();
        let clock = TestClock::monday_morning(&root);
        let mut world = Self {
            root,
            clock,
            recovery: String::new(),
        };
        let init = world.run("admin", &[&["init"][..], &FLOOR].concat());
        assert_eq!(init.status.code(), Some(0), "{init:?}");
        world.recovery = String::from_utf8_lossy(&init.stdout)
            .lines()
            .map(str::trim)
            .find(|l| l.len() == 41 && l.matches('-').count() == 8)
            .unwrap()
            .to_owned();
        let add = world.run_with(
            "admin",
            &[("KLUIS_NEW_PASSPHRASE", SANNE)],
            &[&["operator", "add", "Sanne"][..], &FLOOR].concat(),
        );
        assert_eq!(add.status.code(), Some(0), "{add:?}");
        world
    }

    fn vault(&self) -> PathBuf {
        self.root.join("vault")
    }

    fn passphrase(&self, who: &str) -> String {
        match who {
            "admin" => ADMIN.to_owned(),
            "recovery" => self.recovery.clone(),
            _ => SANNE.to_owned(),
        }
    }

    fn run(&self, who: &str, args: &[&str]) -> Output {
        self.run_with(who, &[], args)
    }

    fn run_with(&self, who: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
        let who_arg = if who == "Sanne" { "Sanne" } else { who };
        Command::new(env!("CARGO_BIN_EXE_kluis"))
            .arg("--vault")
            .arg(self.vault())
            .args(["--as", who_arg])
            .args(args)
            .current_dir(&self.root)
            .env("KLUIS_PASSPHRASE", self.passphrase(who))
            .env_remove("KLUIS_NEW_PASSPHRASE")
            .env("KLUIS_TEST_CLOCK", self.clock.path())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn check(out: &Output, code: i32, stderr_has: &str) {
    assert_eq!(out.status.code(), Some(code), "{out:?}");
    assert!(stderr(out).contains(stderr_has), "stderr: {}", stderr(out));
}

fn carol() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../tests/fixtures/whatsapp/public/minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt",
    )
}

#[test]
fn the_lock_holds_on_the_command_line() {
    let w = World::new("lock");
    let search = ["search", "chat"];
    check(&w.run("Sanne", &search), 0, "");

    // A Saturday: outside the shift; the admin opens with a reason only.
    w.clock.set("2026-11-28 10:00");
    check(
        &w.run("Sanne", &search),
        7,
        "the lock refuses: outside the shift hours",
    );
    check(&w.run("admin", &search), 7, "no reason given");
    check(
        &w.run("admin", &["--reason", "storing verhelpen", "status"]),
        0,
        "",
    );
    check(&w.run("Sanne", &search), 7, "outside the shift hours");

    // Monday 23:00: the end of the day has closed it.
    w.clock.set("2026-11-30 23:00");
    check(&w.run("Sanne", &search), 7, "the day 2026-11-30 is closed");
    // The clock set back to the afternoon reopens nothing, and is noticed.
    w.clock.set("2026-11-30 14:00");
    let set_back = w.run("Sanne", &search);
    check(&set_back, 7, "the day 2026-11-30 is closed");
    assert!(
        stderr(&set_back).contains("set back"),
        "{}",
        stderr(&set_back)
    );
    // The admin with a reason opens the closed day; it stays closed.
    check(
        &w.run("admin", &["--reason", "nazorg", "conversations"]),
        0,
        "",
    );
    check(&w.run("Sanne", &search), 7, "is closed");
    // The next morning opens again for the operator.
    w.clock.set("2026-12-01 09:00");
    check(&w.run("Sanne", &search), 0, "");
    std::fs::remove_dir_all(&w.root).unwrap();
}

#[test]
fn kluis_seal_closes_the_day_as_the_window_does() {
    let w = World::new("seal");
    for (key, value) in [
        ("municipality.code", "gm0000"),
        ("municipality.name", "Gemeente Voorbeeld"),
        ("workplace", "WP01"),
    ] {
        check(&w.run("admin", &["set", key, value]), 0, "");
    }
    use age::secrecy::ExposeSecret;
    let archive = age::x25519::Identity::generate();
    std::fs::write(
        w.root.join("archive.key"),
        archive.to_string().expose_secret(),
    )
    .unwrap();
    let recipient = archive.to_public().to_string();
    check(
        &w.run(
            "admin",
            &[
                "seal-setup",
                "--archive-recipient",
                &recipient,
                "--pubkey-out",
                "kluis.pub",
            ],
        ),
        0,
        "",
    );
    check(&w.run("admin", &["set", "retention.days", "40"]), 0, "");
    check(
        &w.run("admin", &["set", "archive.recipients", &recipient]),
        0,
        "",
    );
    check(
        &w.run("Sanne", &["import", carol().to_str().unwrap()]),
        0,
        "",
    );
    let sealed = w.run("Sanne", &["seal", "--out", "stick"]);
    check(&sealed, 0, "");
    assert!(String::from_utf8_lossy(&sealed.stdout).contains("The day is closed."));
    check(
        &w.run("Sanne", &["conversations"]),
        7,
        "the day 2026-11-23 is closed",
    );
    // The package's audit excerpt names the security settings changed.
    let package = std::fs::read_dir(w.root.join("stick"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".tar.age"))
        .unwrap();
    let opened = Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args(["open", package.to_str().unwrap(), "--pubkey", "kluis.pub"])
        .args(["--identity", "archive.key", "--out", "open"])
        .current_dir(&w.root)
        .output()
        .unwrap();
    check(&opened, 0, "");
    let bag = std::fs::read_dir(w.root.join("open"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let excerpt = std::fs::read_to_string(bag.join("kluis/audit.jsonl")).unwrap();
    for setting in ["archive.recipients", "retention.days"] {
        let line = excerpt
            .lines()
            .find(|l| l.contains(&format!("setting {setting}")))
            .unwrap_or_else(|| panic!("{setting} is not named: {excerpt}"));
        assert!(line.contains("security-relevant"), "{line}");
    }
    std::fs::remove_dir_all(&w.root).unwrap();
}

/// Whether each role may do each thing, walked through the command line:
/// `true` means the desk lets the role through (whatever the command then
/// makes of its arguments), `false` that it refuses with exit 8.
#[test]
fn the_role_table_holds_on_the_command_line() {
    let w = World::new("roles");
    let stick = w.root.join("stick");
    std::fs::write(w.root.join("receipt.txt"), "not a receipt").unwrap();
    std::fs::write(w.root.join("receipt.txt.minisig"), "not a signature").unwrap();
    let carol = carol();
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let age_recipient = recipient.as_str();
    // (arguments, operator, admin, recovery)
    let table: Vec<(Vec<&str>, [bool; 3])> = vec![
        (vec!["unlock-check"], [true, true, true]),
        (vec!["import", carol.to_str().unwrap()], [true, true, true]),
        (vec!["conversations"], [true, true, true]),
        (vec!["search", "chat"], [true, true, true]),
        (vec!["status"], [true, true, true]),
        (vec!["audit", "verify"], [true, true, true]),
        (vec!["settings"], [true, true, true]),
        (vec!["passwd"], [true, true, false]),
        (
            vec!["set", "inbox.dir", "/tmp/kluis-inbox"],
            [false, true, true],
        ),
        (
            vec!["set", "lock.shifts", "ma-vr 08:00-17:00"],
            [false, true, true],
        ),
        (
            vec!["set", "archive.receipt_key", "RWQ"],
            [false, true, true],
        ),
        (vec!["set", "retention.days", "60"], [false, true, true]),
        (
            vec!["set", "retention.floor_days", "20"],
            [false, false, true],
        ),
        (
            vec!["set", "retention.floor_days", "40"],
            [false, true, true],
        ),
        (
            vec!["set", "archive.recipients", age_recipient],
            [false, true, true],
        ),
        (
            vec!["seal-setup", "--archive-recipient", age_recipient],
            [false, true, true],
        ),
        (vec!["operator", "add", "Piet"], [false, true, true]),
        (vec!["operator", "remove", "Piet"], [false, true, true]),
        (vec!["merge", "1", "1"], [false, true, true]),
        (
            vec!["label", "add", "afval", "--colour", "groen"],
            [false, true, true],
        ),
        (vec!["label", "list"], [true, true, true]),
        (
            vec![
                "reply",
                "add",
                "dank",
                "--title",
                "Dank",
                "--text",
                "Dank, {naam}.",
            ],
            [false, true, true],
        ),
        (vec!["reply", "list"], [true, true, true]),
        (vec!["reply", "remove", "dank"], [false, true, true]),
        (vec!["label", "remove", "afval"], [false, true, true]),
        (
            vec!["case", "1", "--status", "resolved"],
            [true, true, true],
        ),
        (vec!["confirm", "receipt.txt"], [false, true, true]),
        (vec!["purge"], [false, true, true]),
        (vec!["recovery-key", "renew"], [false, true, true]),
        (
            vec!["seal", "--out", stick.to_str().unwrap()],
            [true, true, true],
        ),
    ];
    let mut recovery = w.recovery.clone();
    let mut seen = String::new();
    for (args, allowed) in &table {
        for (who, allowed) in ["Sanne", "admin", "recovery"].into_iter().zip(allowed) {
            // After the seal the day is closed: the admin and the recovery
            // key open it with a reason; the operator does not get that far.
            let mut full: Vec<&str> = vec!["--reason", "test van de rollen"];
            full.extend(args.iter().copied());
            full.extend(
                if matches!(args[0], "passwd" | "recovery-key")
                    || args.starts_with(&["operator", "add"])
                {
                    &FLOOR[..]
                } else {
                    &[][..]
                },
            );
            let env = [
                ("KLUIS_NEW_PASSPHRASE", w.passphrase(who)),
                (
                    "KLUIS_PASSPHRASE",
                    if who == "recovery" {
                        recovery.clone()
                    } else {
                        w.passphrase(who)
                    },
                ),
            ];
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let out = w.run_with(who, &env, &full);
            let refused = out.status.code() == Some(8);
            assert!(
                out.status.code() != Some(7) && out.status.code() != Some(3),
                "{who} {args:?}: {out:?}"
            );
            if refused == *allowed {
                seen += &format!(
                    "{who} {args:?}: exit {:?}: {}\n",
                    out.status.code(),
                    stderr(&out)
                );
            }
            // A renewed recovery key is the one that opens from now on.
            if let Some(key) = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::trim)
                .find(|l| args[0] == "recovery-key" && l.len() == 41)
            {
                recovery = key.to_owned();
            }
        }
    }
    assert!(
        seen.is_empty(),
        "the table and the command line differ:\n{seen}"
    );
    std::fs::remove_dir_all(&w.root).unwrap();
}

/// The vault's notes outside the encryption (`outside.json`) are anyone's
/// to edit: a latest time seen moved into another day's shift opens
/// nothing, and an audit entry written there in the admin's name is
/// recorded as a refused note in the lock's name.
#[test]
fn the_notes_outside_the_encryption_open_nothing_and_forge_nothing() {
    let w = World::new("notes");
    let search = ["search", "chat"];
    check(&w.run("Sanne", &search), 0, "");
    w.clock.set("2026-11-28 23:00"); // a Saturday
    check(&w.run("Sanne", &search), 7, "outside the shift hours");
    let path = w.vault().join("outside.json");
    let mut notes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // Wednesday 2 December 2026, 10:00 CET: inside the shift.
    notes["notes"]["lock.seen"] = "1796202000".into();
    notes["deferred"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "at": 1_795_420_800, "operator": "admin", "action": "override",
            "subject": "vault", "detail": "forged by an operator"
        }));
    std::fs::write(&path, notes.to_string()).unwrap();
    check(&w.run("Sanne", &search), 7, "outside the shift hours");
    check(&w.run("Sanne", &search), 7, "outside the shift hours");

    let vault = kluis_vault::Vault::open(&w.vault()).unwrap();
    let session = vault
        .unlock(
            &kluis_vault::SlotOwner::Admin,
            &secrecy::SecretString::from(ADMIN.to_owned()),
            1_795_420_800,
        )
        .unwrap();
    let log = kluis_vault::audit::after(session.store(), 0).unwrap();
    assert!(
        !log.iter()
            .any(|e| e.detail.contains("forged") && e.operator == "admin"),
        "a forged entry in the admin's name: {log:?}"
    );
    assert!(
        log.iter().any(|e| e.operator == "kluis"
            && e.detail.starts_with("refused a note that is no lock event"))
    );
    drop(session);
    std::fs::remove_dir_all(&w.root).unwrap();
}
