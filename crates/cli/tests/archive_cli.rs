//! `kluis verify` and `kluis open` as the archivist runs them, on packages
//! sealed by the seal crate into a real folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kluis_seal::encrypt::Recipients;
use kluis_seal::package::{Meta, Sealed, package_id, seal_to};
use kluis_seal::sign::SigningKey;

mod common;

fn kluis(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args(args)
        .current_dir(dir)
        .env_remove("KLUIS_ARCHIVE_PASSPHRASE")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `kluis --vault DIR/vault ARGS` as the admin, run in `dir` with `env`.
fn in_vault(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kluis"))
        .arg("--vault")
        .arg(dir.join("vault"))
        .args(args)
        .current_dir(dir)
        .env("KLUIS_PASSPHRASE", "beheerder wachtwoord")
        .env_remove("KLUIS_ARCHIVE_PASSPHRASE")
        .env("KLUIS_TEST_CLOCK", common::monday())
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Its standard output; the command must have succeeded.
fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

struct Archive {
    dir: PathBuf,
    key: SigningKey,
    archive: age::x25519::Identity,
}

impl Archive {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("kluis-cli-archive-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let key = SigningKey::generate().unwrap();
        let archive = age::x25519::Identity::generate();
        std::fs::write(dir.join("kluis.pub"), key.public_key_file()).unwrap();
        use age::secrecy::ExposeSecret;
        std::fs::write(
            dir.join("archive.key"),
            format!("{}\n", archive.to_string().expose_secret()),
        )
        .unwrap();
        Self { dir, key, archive }
    }

    fn seal(&self, seq: u64, previous: Option<(&Sealed, String)>) -> (Sealed, String) {
        self.seal_as("gm0000", seq, previous)
    }

    /// A package whose audit excerpt starts at entry `first` after `after`
    /// (a vault that continues the chain: `excerpt(seq)`).
    fn seal_with_excerpt(
        &self,
        seq: u64,
        previous: Option<(&Sealed, String)>,
        (after, first): (&str, u64),
    ) -> (Sealed, String) {
        let (text, head) = excerpt_lines(after, first, 2);
        self.seal_full("gm0000", seq, previous, (after.to_owned(), head, text))
    }

    /// A package of the municipality `code`'s workplace WP01.
    fn seal_as(
        &self,
        code: &str,
        seq: u64,
        previous: Option<(&Sealed, String)>,
    ) -> (Sealed, String) {
        self.seal_full(code, seq, previous, excerpt(seq))
    }

    fn seal_full(
        &self,
        code: &str,
        seq: u64,
        previous: Option<(&Sealed, String)>,
        (audit_previous_head, audit_head, audit): (String, String, String),
    ) -> (Sealed, String) {
        let id = package_id(code, "WP01", &format!("2026-11-{:02}", 22 + seq), seq);
        let meta = Meta {
            id: id.clone(),
            organization: "Gemeente Voorbeeld".into(),
            group: format!("KLUIS-{code}-WP01"),
            seq,
            period_start: format!("2026-11-{:02}T17:00:00+01:00", 21 + seq),
            period_end: format!("2026-11-{:02}T17:00:00+01:00", 22 + seq),
            previous: previous.map(|(s, id)| (id, s.digest)),
            audit_previous_head,
            audit_head,
            conversations: 1,
            bagging_date: format!("2026-11-{:02}", 22 + seq),
            sealed_at: 1_795_453_200 + seq * 86_400,
        };
        let text = format!("dag {seq}\n");
        let sealed = seal_to(
            &self.dir,
            meta,
            &self.key,
            &Recipients::Keys(vec![self.archive.to_public()]),
            |p| {
                p.payload("G001/G001.txt", text.len() as u64, text.as_bytes())?;
                p.tag("kluis/audit.jsonl", audit.as_bytes())?;
                Ok(())
            },
        )
        .unwrap();
        (sealed, id)
    }
}

/// `count` audit lines from entry `first` on, chained from `after` as a
/// vault's excerpt is; with the SHA-256 of the last line (the head).
fn excerpt_lines(after: &str, first: u64, count: u64) -> (String, String) {
    let mut text = String::new();
    let mut prev = after.to_owned();
    for n in first..first + count {
        let line = format!(
            "{{\"n\":{n},\"t\":\"2026-11-23T10:00:00+01:00\",\"op\":\"op-12345678\",\"ev\":\"import\",\"obj\":\"conversation 1\",\"info\":\"\",\"prev\":\"sha256:{prev}\"}}\n"
        );
        prev = kluis_seal::sha256_hex(line.as_bytes());
        text.push_str(&line);
    }
    (text, prev)
}

/// Package `seq`'s excerpt in an unbroken row: entries 2·seq−1 and 2·seq,
/// chained from the one before; (previous head, head, text).
fn excerpt(seq: u64) -> (String, String, String) {
    let mut after = "00".repeat(32);
    let mut made = (String::new(), String::new());
    for k in 1..=seq {
        made = excerpt_lines(&after, 2 * k - 1, 2);
        if k < seq {
            after = made.1.clone();
        }
    }
    (after, made.1, made.0)
}

#[test]
fn verify_checks_a_row_of_packages_and_names_what_is_wrong_by_exit_code() {
    let a = Archive::new("verify");
    let (one, one_id) = a.seal(1, None);
    let (two, two_id) = a.seal(2, Some((&one, one_id.clone())));
    let (_three, three_id) = a.seal(3, Some((&two, two_id.clone())));
    let p = |id: &str| format!("{id}.tar.age");

    let out = kluis(
        &a.dir,
        &[
            "verify",
            &p(&one_id),
            &p(&two_id),
            &p(&three_id),
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).matches(": ok: ").count(),
        3,
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains(&format!("{two_id} seq 2 bag sha256:{}", two.digest.hex())));

    // Without the archive's key: the signature, and the chain from the
    // signed comments.
    let out = kluis(
        &a.dir,
        &["verify", &p(&one_id), &p(&two_id), "--pubkey", "kluis.pub"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!(
            "signature ok: {two_id} seq 2 bag sha256:{}",
            two.digest.hex()
        )),
        "{}",
        stdout(&out)
    );
    let out = kluis(
        &a.dir,
        &[
            "verify",
            &p(&one_id),
            &p(&three_id),
            "--pubkey",
            "kluis.pub",
        ],
    );
    assert_eq!(out.status.code(), Some(15), "{}", stdout(&out));
    assert!(stdout(&out).contains("packages are missing in between"));

    // A day left out of the row.
    let out = kluis(
        &a.dir,
        &[
            "verify",
            &p(&one_id),
            &p(&three_id),
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
        ],
    );
    assert_eq!(out.status.code(), Some(15), "{}", stdout(&out));
    assert!(stdout(&out).contains("packages are missing in between"));

    // A changed byte.
    let mut bytes = std::fs::read(a.dir.join(p(&two_id))).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 0x40;
    std::fs::write(a.dir.join(p(&two_id)), bytes).unwrap();
    let out = kluis(
        &a.dir,
        &[
            "verify",
            &p(&two_id),
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
        ],
    );
    assert_eq!(out.status.code(), Some(10), "{}", stdout(&out));
    assert!(stdout(&out).contains("FAILED: the outer signature does not hold"));

    // Another archive's key.
    let stranger = age::x25519::Identity::generate();
    use age::secrecy::ExposeSecret;
    std::fs::write(
        a.dir.join("other.key"),
        stranger.to_string().expose_secret(),
    )
    .unwrap();
    let out = kluis(
        &a.dir,
        &[
            "verify",
            &p(&one_id),
            "--pubkey",
            "kluis.pub",
            "--identity",
            "other.key",
        ],
    );
    assert_eq!(out.status.code(), Some(11), "{}", stdout(&out));
    std::fs::remove_dir_all(&a.dir).unwrap();
}

/// A package whose audit excerpt does not continue the previous one's (the
/// vault's log cut or rewritten between the two) fails the row with exit
/// 15: one that starts after another head, and one that skips entries;
/// with the archive's key and, from the signed comment, without it.
#[test]
fn verify_refuses_an_audit_excerpt_that_does_not_continue() {
    let a = Archive::new("audit-row");
    let (one, one_id) = a.seal(1, None);
    let (two, two_id) = a.seal(2, Some((&one, one_id.clone())));
    let (_, head_two, _) = excerpt(2);
    let p = |id: &str| format!("{id}.tar.age");
    let row_as = |third: &str, identity: &[&str]| {
        let (one, two, three) = (p(&one_id), p(&two_id), p(third));
        let args = ["verify", &one, &two, &three, "--pubkey", "kluis.pub"];
        kluis(&a.dir, &[&args[..], identity].concat())
    };
    // Each row is judged alike with the key and without it.
    let row = |third: &str| {
        let without = row_as(third, &[]);
        let with = row_as(third, &["--identity", "archive.key"]);
        let failure = |out: &Output| {
            let said = stdout(out);
            said.lines()
                .find_map(|l| l.split("FAILED: ").nth(1).map(str::to_owned))
        };
        assert_eq!(
            without.status.code(),
            with.status.code(),
            "{}",
            stdout(&without)
        );
        assert_eq!(failure(&without), failure(&with));
        with
    };
    // Unbroken: entries 5 and 6 after package 2's head.
    let (_, three_id) = a.seal_with_excerpt(3, Some((&two, two_id.clone())), (&head_two, 5));
    let out = row(&three_id);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A package sealed before the excerpt was signed outside (a v1
    // comment, without it) still verifies in the row, with and without
    // the key: its excerpt is checked inside only.
    let signature = a.dir.join(format!("{}.minisig", p(&two_id)));
    let v2 = std::fs::read_to_string(&signature).unwrap();
    let comment = v2
        .lines()
        .find_map(|l| l.strip_prefix("trusted comment: "))
        .unwrap();
    let v1 = comment
        .split(" audit-prev=")
        .next()
        .unwrap()
        .replace("kluis-seal v2 ", "kluis-seal v1 ");
    let bytes = std::fs::read(a.dir.join(p(&two_id))).unwrap();
    std::fs::write(&signature, a.key.sign(&bytes[..], &v1).unwrap()).unwrap();
    let out = row(&three_id);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    std::fs::write(&signature, v2).unwrap();
    std::fs::remove_file(a.dir.join(p(&three_id))).unwrap();
    // Entries 5 to 8 gone, the rest renumbered on: starts at 9.
    let (_, three_id) = a.seal_with_excerpt(3, Some((&two, two_id.clone())), (&head_two, 9));
    let out = row(&three_id);
    assert_eq!(out.status.code(), Some(15), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("starts at entry 9, but the previous one ended at entry 4"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_file(a.dir.join(p(&three_id))).unwrap();
    // The log rewritten: it starts after another head.
    let other = "ab".repeat(32);
    let (_, three_id) = a.seal_with_excerpt(3, Some((&two, two_id.clone())), (&other, 5));
    let out = row(&three_id);
    assert_eq!(out.status.code(), Some(15), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("audit excerpt does not continue the previous package's"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_dir_all(&a.dir).unwrap();
}

/// The archive binds a package to its municipality and workplace: a
/// package from another one (`--expect`), a chain that switches to another
/// one, and a file renamed to another package's id are each refused, with
/// the archive's key and without it.
#[test]
fn verify_binds_packages_to_their_workplace_and_their_names() {
    let a = Archive::new("bind");
    let (one, one_id) = a.seal(1, None);
    let (_two, two_id) = a.seal_as("gm0999", 2, Some((&one, one_id.clone())));
    let p = |id: &str| format!("{id}.tar.age");
    for keys in [
        &["--pubkey", "kluis.pub"][..],
        &["--pubkey", "kluis.pub", "--identity", "archive.key"],
    ] {
        let run = |args: &[&str]| kluis(&a.dir, &[&["verify"][..], args, keys].concat());
        let out = run(&[&p(&one_id), "--expect", "gm0363/WP01"]);
        assert_eq!(out.status.code(), Some(15), "{}", stdout(&out));
        assert!(
            stdout(&out).contains("is not from KLUIS-gm0363-WP01"),
            "{}",
            stdout(&out)
        );
        let out = run(&[&p(&one_id), "--expect", "gm0000/WP01"]);
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        // gm0000's chain goes on as gm0999: refused.
        let out = run(&[&p(&one_id), &p(&two_id)]);
        assert_eq!(out.status.code(), Some(15), "{}", stdout(&out));
        assert!(
            stdout(&out).contains("switches to another municipality"),
            "{}",
            stdout(&out)
        );
    }
    // Renamed: the file's name must be the signed id.
    let renamed = "KLUIS-gm0000-WP01-20261124-000002.tar.age";
    std::fs::copy(a.dir.join(p(&one_id)), a.dir.join(renamed)).unwrap();
    std::fs::copy(
        a.dir.join(format!("{}.minisig", p(&one_id))),
        a.dir.join(format!("{renamed}.minisig")),
    )
    .unwrap();
    for keys in [
        &["--pubkey", "kluis.pub"][..],
        &["--pubkey", "kluis.pub", "--identity", "archive.key"],
    ] {
        let out = kluis(&a.dir, &[&["verify", renamed][..], keys].concat());
        assert_eq!(out.status.code(), Some(14), "{}", stdout(&out));
        assert!(stdout(&out).contains("(renamed?)"), "{}", stdout(&out));
    }
    // A package that is not there is a failure, not a pass.
    let out = kluis(
        &a.dir,
        &[
            "verify",
            "KLUIS-gm0000-WP01-20261125-000003.tar.age",
            "--pubkey",
            "kluis.pub",
        ],
    );
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = kluis(
        &a.dir,
        &[
            "verify",
            &p(&one_id),
            "--pubkey",
            "kluis.pub",
            "--expect",
            "0363",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("like gm0363/WP01"));
    std::fs::remove_dir_all(&a.dir).unwrap();
}

#[test]
fn open_unpacks_only_a_verified_package() {
    let a = Archive::new("open");
    let (_one, one_id) = a.seal(1, None);
    let package = format!("{one_id}.tar.age");
    let out = kluis(
        &a.dir,
        &[
            "open",
            &package,
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
            "--out",
            "uit",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(a.dir.join("uit").join(&one_id).join("data/G001/G001.txt"))
        .unwrap();
    assert_eq!(text, "dag 1\n");
    // Not into a folder with something in it; not without the key.
    let out = kluis(
        &a.dir,
        &[
            "open",
            &package,
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
            "--out",
            "uit",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = kluis(
        &a.dir,
        &["open", &package, "--pubkey", "kluis.pub", "--out", "uit2"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --identity FILE"));
    // A damaged package is not unpacked.
    std::fs::remove_file(a.dir.join(format!("{package}.minisig"))).unwrap();
    let out = kluis(
        &a.dir,
        &[
            "open",
            &package,
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
            "--out",
            "uit3",
        ],
    );
    assert_eq!(out.status.code(), Some(10));
    assert!(!a.dir.join("uit3").exists());
    std::fs::remove_dir_all(&a.dir).unwrap();
}

/// Runs `kluis ARGS` in `dir` while serving `passes` through the FIFO at
/// `fifo`, one per opening (the last again for any later one), as a medium
/// that returns other bytes on a later read would. Returns the output and
/// how many times the package was opened.
fn kluis_reading_fifo(
    dir: &Path,
    args: &[&str],
    fifo: &Path,
    passes: &[Vec<u8>],
) -> (Output, usize) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    assert!(Command::new("mkfifo").arg(fifo).status().unwrap().success());
    let child = Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args(args)
        .current_dir(dir)
        .env_remove("KLUIS_ARCHIVE_PASSPHRASE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "))
    };
    let reading = || {
        std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
            fds.flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|to| to == fifo))
        })
    };
    let mut opened = 0;
    while alive() {
        // Opening for writing without blocking fails until a reader opens.
        let Ok(mut pipe) = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(fifo)
        else {
            std::thread::sleep(std::time::Duration::from_millis(2));
            continue;
        };
        // A reader blocked in its open already counts; wait for its file
        // descriptor, so that this pass is not mistaken for the next.
        while alive() && !reading() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let mut rest = &passes[opened.min(passes.len() - 1)][..];
        opened += 1;
        while !rest.is_empty() {
            match pipe.write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                // The reader stopped early and closed its end.
                Err(_) => break,
            }
        }
        drop(pipe);
        // The next opening is another reading once this one is closed.
        while alive() && reading() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
    (child.wait_with_output().unwrap(), opened)
}

/// A package whose bag has another transcript and a link to /etc/passwd,
/// encrypted to the archive (whose key is public): what a hostile stick
/// would hand out on a second read.
fn forged(root: &str, archive: &age::x25519::Identity) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let text = b"vervalst\n";
    let mut header = tar::Header::new_ustar();
    header.set_size(text.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, format!("{root}/data/G001/G001.txt"), &text[..])
        .unwrap();
    let mut link = tar::Header::new_ustar();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    tar.append_link(&mut link, format!("{root}/data/passwd"), "/etc/passwd")
        .unwrap();
    let plain = tar.into_inner().unwrap();
    let recipient = archive.to_public();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).unwrap();
    std::io::Write::write_all(&mut writer, &plain).unwrap();
    writer.finish().unwrap();
    out
}

/// `open` and `verify` read a package once: on a medium that hands out a
/// forged package from its second opening on, `open` unpacks exactly what
/// it verified (no forged transcript, no link) and `verify` judges what it
/// read.
#[test]
fn open_and_verify_read_the_package_once() {
    let a = Archive::new("once");
    let (_one, one_id) = a.seal(1, None);
    let package = a.dir.join(format!("{one_id}.tar.age"));
    let genuine = std::fs::read(&package).unwrap();
    std::fs::remove_file(&package).unwrap();
    let forged = forged(&one_id, &a.archive);
    let keys = ["--pubkey", "kluis.pub", "--identity", "archive.key"];
    let name = format!("{one_id}.tar.age");

    for command in ["open", "verify"] {
        let mut args = vec![command, name.as_str()];
        args.extend(keys);
        if command == "open" {
            args.extend(["--out", "uit"]);
        }
        let passes = [genuine.clone(), genuine.clone(), forged.clone()];
        let (out, opened) = kluis_reading_fifo(&a.dir, &args, &package, &passes);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command} (opened {opened} times): {}{}",
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(opened, 1, "{command} opened the package again");
        std::fs::remove_file(&package).unwrap();
    }
    let bag = a.dir.join("uit").join(&one_id);
    assert_eq!(
        std::fs::read_to_string(bag.join("data/G001/G001.txt")).unwrap(),
        "dag 1\n"
    );
    assert!(std::fs::symlink_metadata(bag.join("data/passwd")).is_err());
    // Nothing but the bag was left beside it.
    assert_eq!(std::fs::read_dir(a.dir.join("uit")).unwrap().count(), 1);
    std::fs::remove_dir_all(&a.dir).unwrap();
}

/// A bag with a link, or a name outside its folder, is never unpacked,
/// and nothing is left where it would have gone.
#[test]
fn open_refuses_links_and_escaping_names_and_leaves_nothing() {
    let a = Archive::new("hostile");
    let (_one, one_id) = a.seal(1, None);
    let package = a.dir.join(format!("{one_id}.tar.age"));
    // The forged package in place of the genuine one: the outer signature
    // fails first, and nothing is written.
    std::fs::write(&package, forged(&one_id, &a.archive)).unwrap();
    let out = kluis(
        &a.dir,
        &[
            "open",
            &format!("{one_id}.tar.age"),
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
            "--out",
            "uit",
        ],
    );
    assert_eq!(out.status.code(), Some(10), "{}", stdout(&out));
    assert!(!a.dir.join("uit").exists());
    let left: Vec<_> = std::fs::read_dir(&a.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kluis-open"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // What an open killed midway left in the target (decrypted, never
    // verified) is removed by the next one, which then opens as if it
    // were not there.
    let stale = a.dir.join("uit").join(".kluis-open-stale");
    std::fs::create_dir_all(stale.join("KLUIS-x/data")).unwrap();
    std::fs::write(stale.join("KLUIS-x/data/half.txt"), "half").unwrap();
    let (_again, again_id) = a.seal(1, None);
    let out = kluis(
        &a.dir,
        &[
            "open",
            &format!("{again_id}.tar.age"),
            "--pubkey",
            "kluis.pub",
            "--identity",
            "archive.key",
            "--out",
            "uit",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stale.exists());
    assert!(
        a.dir
            .join("uit")
            .join(&again_id)
            .join("bagit.txt")
            .is_file()
    );
    std::fs::remove_dir_all(&a.dir).unwrap();
}

/// The whole way, from a shell: a vault made with an archive recipient,
/// an export imported, the day sealed to a stick, then an empty day; the
/// archive's `kluis verify` accepts both as a chain; the package holds the
/// transcript and the original, and its audit excerpt no citizen's name.
/// A vault made by `kluis init` that seals to an archive key of its own,
/// on the clock the test moves (Monday 23 November 2026, 09:00): the vault
/// in `dir/vault`, the packages go to `dir/stick`, the archive's key is
/// `dir/archive.key`, the package key `dir/kluis.pub`.
struct SealingVault {
    dir: PathBuf,
    clock: common::TestClock,
    /// What `init` printed (the recovery key among it).
    initialised: String,
}

impl SealingVault {
    fn new(name: &str) -> Self {
        use age::secrecy::ExposeSecret;
        let dir = std::env::temp_dir().join(format!("kluis-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("stick")).unwrap();
        let archive = age::x25519::Identity::generate();
        std::fs::write(dir.join("archive.key"), archive.to_string().expose_secret()).unwrap();
        let recipient = archive.to_public().to_string();
        let clock = common::TestClock::monday_morning(&dir);
        let mut made = Self {
            dir,
            clock,
            initialised: String::new(),
        };
        let init = ["init", "--kdf-memory", "64", "--kdf-passes", "3"];
        let keys = [
            "--archive-recipient",
            &recipient,
            "--pubkey-out",
            "kluis.pub",
        ];
        made.initialised = ok(made.run(&[&init[..], &keys[..]].concat()));
        made
    }

    /// `kluis --vault vault ARGS` as the admin, on the test's clock.
    fn run(&self, args: &[&str]) -> Output {
        let clock = self.clock.path().to_str().unwrap().to_owned();
        in_vault(&self.dir, &[("KLUIS_TEST_CLOCK", &clock)], args)
    }

    fn name_the_municipality(&self) {
        for (key, value) in [
            ("municipality.code", "gm0000"),
            ("municipality.name", "Gemeente Voorbeeld"),
            ("workplace", "WP01"),
        ] {
            ok(self.run(&["set", key, value]));
        }
    }

    /// The packages on the stick, oldest first, as `stick/NAME`.
    fn packages(&self) -> Vec<String> {
        let mut packages: Vec<String> = std::fs::read_dir(self.dir.join("stick"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tar.age"))
            .map(|n| format!("stick/{n}"))
            .collect();
        packages.sort();
        packages
    }

    /// Opens `package` with the archive's key into `open/`; its bag.
    fn open(&self, package: &str) -> PathBuf {
        let keys = ["--pubkey", "kluis.pub", "--identity", "archive.key"];
        let args = [&["open", package][..], &keys[..], &["--out", "open"][..]].concat();
        ok(kluis(&self.dir, &args));
        let mut opened = std::fs::read_dir(self.dir.join("open")).unwrap();
        opened.next().unwrap().unwrap().path()
    }

    fn recovery_key(&self) -> String {
        self.initialised
            .lines()
            .map(str::trim)
            .find(|l| l.len() == 41 && l.matches('-').count() == 8)
            .expect("a recovery key in the output")
            .to_owned()
    }
}

/// Carol's export (a real Android export in Dutch, 78 messages).
fn carol() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../tests/fixtures/whatsapp/public/minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt",
    )
}

#[test]
fn a_vault_seals_its_days_and_the_archive_verifies_them() {
    let v = SealingVault::new("seal");
    let (dir, clock) = (&v.dir, &v.clock);
    let vault = |args: &[&str]| v.run(args);
    // Sealing before the municipality is named says what to set.
    let out = vault(&["seal", "--out", "stick"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("set municipality.code first"));
    v.name_the_municipality();
    let fixture = carol();
    ok(vault(&["import", fixture.to_str().unwrap()]));

    let first = ok(vault(&["seal", "--out", "stick"]));
    assert!(
        first.contains("(seq 1): 1 conversations, 78 messages, 3 files"),
        "{first}"
    );
    // The day is closed: the admin opens it only with a reason.
    let out = vault(&["status"]);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no reason given"));
    clock.set("2026-11-24 09:00");
    let second = ok(vault(&["seal", "--out", "stick"]));
    assert!(
        second.contains("(seq 2): 0 conversations, 0 messages, 0 files"),
        "{second}"
    );

    let packages = v.packages();
    assert_eq!(packages.len(), 2);
    let mut args = vec!["verify"];
    args.extend(packages.iter().map(String::as_str));
    args.extend(["--pubkey", "kluis.pub", "--identity", "archive.key"]);
    let verified = ok(kluis(dir, &args));
    assert_eq!(verified.matches(": ok: ").count(), 2, "{verified}");

    let bag = v.open(&packages[0]);
    let transcript = std::fs::read_to_string(bag.join("data/G001/G001.txt")).unwrap();
    assert!(
        transcript.contains("Hoi, ik heb de chat gemaakt"),
        "{transcript}"
    );
    let original = std::fs::read(bag.join("data/G001/G001-export1.txt")).unwrap();
    assert_eq!(
        original,
        std::fs::read(&fixture).unwrap(),
        "the original is not byte-exact"
    );
    assert!(bag.join("data/G001/G001.mdto.xml").is_file());
    assert!(bag.join("data/G001/G001.html.bestand.mdto.xml").is_file());
    let audit = std::fs::read_to_string(bag.join("kluis/audit.jsonl")).unwrap();
    assert!(audit.contains("\"ev\":\"import\""), "{audit}");
    assert!(
        audit.contains("\"op\":\"op-"),
        "operators by pseudonym: {audit}"
    );
    #[cfg(feature = "interop")]
    archivists_tools_accept(&bag);

    // The archive confirms the first package with its own key; once older
    // than the retention, its records are purged here.
    let archive_key = SigningKey::generate().unwrap();
    let archive_pub = archive_key.public_key_file();
    let key_line = archive_pub.lines().nth(1).unwrap();
    clock.set("2026-11-25 09:00");
    ok(vault(&["set", "archive.receipt_key", key_line]));
    let first_package = dir.join(&packages[0]);
    let id = first_package
        .file_name()
        .unwrap()
        .to_string_lossy()
        .trim_end_matches(".tar.age")
        .to_owned();
    let digest = verified
        .lines()
        .next()
        .unwrap()
        .split("bag sha256:")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    let ciphertext = {
        use sha2::Digest;
        sha2::Sha256::digest(std::fs::read(&first_package).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let receipt = format!(
        "kluis-ontvangst v1\npakket={id} seq=1 bag=sha256:{digest} age=sha256:{ciphertext} ontvangen=2026-11-25T10:00:00+01:00 resultaat=geverifieerd\n"
    );
    let write_receipt = |text: &str, signed_by: &SigningKey| {
        std::fs::write(dir.join("ontvangst.txt"), text).unwrap();
        std::fs::write(
            dir.join("ontvangst.txt.minisig"),
            signed_by.sign(text.as_bytes(), "kluis-ontvangst").unwrap(),
        )
        .unwrap();
    };
    // A receipt signed by someone else, or for another bag, is refused.
    write_receipt(&receipt, &SigningKey::generate().unwrap());
    let out = vault(&["confirm", "ontvangst.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature does not hold"));
    write_receipt(
        &receipt.replace("bag=sha256:", "bag=sha256:0"),
        &archive_key,
    );
    let out = vault(&["confirm", "ontvangst.txt"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("its bag differs"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    write_receipt(&receipt, &archive_key);
    assert!(ok(vault(&["confirm", "ontvangst.txt"])).contains("confirmed by the archive"));

    // Not before the retention has passed, which is never less than the
    // floor (30 days unless the recovery key lowers it).
    let out = vault(&["set", "retention.days", "10"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at least retention.floor_days, 30 days")
    );
    let out = vault(&["set", "retention.floor_days", "0"]);
    assert_eq!(out.status.code(), Some(8), "{out:?}");
    ok(vault(&["set", "retention.days", "30"]));
    assert_eq!(ok(vault(&["purge"])).trim(), "nothing to purge");
    clock.set("2026-12-22 09:00");
    assert_eq!(ok(vault(&["purge"])).trim(), "nothing to purge");
    clock.set("2026-12-23 09:00");
    let purged = ok(vault(&["purge"]));
    assert!(
        purged.contains(": purged 78 messages, 4 files, 1 originals, 1 conversations"),
        "{purged}"
    );
    assert_eq!(ok(vault(&["search", "gemaakt"])).trim(), "");
    // The encrypted original went with its records.
    let blobs: Vec<_> = std::fs::read_dir(dir.join("vault/blobs"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .collect();
    assert!(blobs.is_empty(), "{blobs:?}");
    assert_eq!(ok(vault(&["purge"])).trim(), "nothing to purge");
    // The chain of the audit log holds, with the purge in it.
    assert!(ok(vault(&["audit", "verify"])).ends_with("chain intact\n"));
    for name in ["Test export", "Alice", "Carol", "Dave"] {
        assert!(
            !audit.contains(name),
            "the audit excerpt names {name:?}: {audit}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// A message the citizen deleted after it was sealed goes to the archive
/// again, its text kept and the deletion said, with the export that
/// showed it; the archive verifies both days. A database then put back with
/// its head file is refused, and once accepted cannot fork the chain.
#[test]
fn a_message_deleted_after_its_seal_is_sealed_again_with_the_deletion_and_a_rollback_is_seen() {
    let v = SealingVault::new("reseal");
    let (dir, clock) = (&v.dir, &v.clock);
    let clock_path = clock.path().to_str().unwrap().to_owned();
    let vault = |args: &[&str]| v.run(args);
    let recovery = v.recovery_key();
    v.name_the_municipality();
    let fixture = carol();
    ok(vault(&["import", fixture.to_str().unwrap()]));
    ok(vault(&["seal", "--out", "stick"]));

    clock.set("2026-11-24 09:00");
    let said = "Alice: De taal is ingesteld op: Nederlands";
    let chat = std::fs::read_to_string(&fixture).unwrap();
    assert!(chat.contains(said));
    std::fs::create_dir_all(dir.join("later")).unwrap();
    let later = dir.join("later/WhatsApp-chat met Test export.txt");
    std::fs::write(
        &later,
        chat.replacen(said, "Alice: Dit bericht is verwijderd", 1),
    )
    .unwrap();
    let imported = ok(vault(&["import", later.to_str().unwrap()]));
    assert!(
        imported.contains("0 new, 78 already present")
            && imported.contains(
                "already present but different: 1 deleted by the citizen since (text kept)"
            ),
        "{imported}"
    );
    let second = ok(vault(&["seal", "--out", "stick"]));
    assert!(
        second.contains("(seq 2): 1 conversations, 1 messages"),
        "{second}"
    );

    let packages = v.packages();
    let archivist = ["--pubkey", "kluis.pub", "--identity", "archive.key"];
    let verify = [
        &["verify"],
        &packages.iter().map(String::as_str).collect::<Vec<_>>()[..],
        &archivist[..],
    ]
    .concat();
    assert_eq!(ok(kluis(dir, &verify)).matches(": ok: ").count(), 2);
    let bag = v.open(&packages[1]);
    let transcript = std::fs::read_to_string(bag.join("data/G001/G001.txt")).unwrap();
    assert!(
        transcript.contains(
            "De taal is ingesteld op: Nederlands\n[later door de burger verwijderd: een export die op 2026-11-24 is ingelezen toont \"Dit bericht is verwijderd\"]"
        ),
        "{transcript}"
    );
    // The re-export that showed the deletion goes with it, byte-exact.
    let original = std::fs::read(bag.join("data/G001/G001-export1.txt")).unwrap();
    assert_eq!(original, std::fs::read(&later).unwrap());

    // kluis.db and audit-head.json put back from before the second seal:
    // refused as an older database, though the head file agrees with it;
    // the recovery key accepts it, and the seal then refuses to write a
    // number the stick holds already.
    let kept = |name: &str| dir.join(format!("{name}.kept"));
    for name in ["kluis.db", "audit-head.json"] {
        std::fs::copy(dir.join("vault").join(name), kept(name)).unwrap();
    }
    clock.set("2026-11-25 09:00");
    ok(vault(&["seal", "--out", "stick"]));
    for name in ["kluis.db", "audit-head.json"] {
        std::fs::copy(kept(name), dir.join("vault").join(name)).unwrap();
    }
    clock.set("2026-11-26 09:00");
    let refused = vault(&["status"]);
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        said.contains("went back in time") || said.contains("older"),
        "{said}"
    );
    let accepted = Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args([
            "--vault",
            "vault",
            "--as",
            "recovery",
            "--reason",
            "backup teruggezet",
        ])
        .args(["unlock-check", "--accept-older-database"])
        .current_dir(dir)
        .env("KLUIS_PASSPHRASE", &recovery)
        .env("KLUIS_TEST_CLOCK", &clock_path)
        .output()
        .unwrap();
    ok(accepted);
    let out = vault(&["seal", "--out", "stick"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_ne!(
        out.status.code(),
        Some(0),
        "sealed a number the stick holds"
    );
    assert!(
        said.contains("already holds package 3 of this workplace")
            && said.contains("would write package 3"),
        "{said}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// While an inbox watcher holds the vault, the admin's seal in another
/// process asks it to give way and seals; the watcher locks and stops.
#[test]
fn a_closing_is_never_blocked_by_an_inbox_watcher() {
    let v = SealingVault::new("give-way");
    v.name_the_municipality();
    ok(v.run(&["import", carol().to_str().unwrap()]));
    std::fs::create_dir_all(v.dir.join("inbox")).unwrap();
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_kluis"))
        .arg("--vault")
        .arg(v.dir.join("vault"))
        .args(["inbox", "--watch", "--dir", "inbox"])
        .current_dir(&v.dir)
        .env("KLUIS_PASSPHRASE", "beheerder wachtwoord")
        .env_remove("KLUIS_ARCHIVE_PASSPHRASE")
        .env("KLUIS_TEST_CLOCK", v.clock.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It holds the vault once it says it watches (asking with another
    // command would take the vault from it at its start).
    let mut said = std::io::BufRead::lines(std::io::BufReader::new(watcher.stdout.take().unwrap()));
    let first = said.next().expect("the watcher stopped").unwrap();
    assert!(first.starts_with("Watching"), "{first}");
    let sealed = v.run(&["seal", "--out", "stick"]);
    let said = String::from_utf8_lossy(&sealed.stderr).into_owned();
    assert_eq!(sealed.status.code(), Some(0), "{said}");
    assert!(said.contains("asking it to give way"), "{said}");
    assert!(
        stdout(&sealed).contains("(seq 1): 1 conversations"),
        "{}",
        stdout(&sealed)
    );
    // The watcher stopped by itself, saying why; the request is gone.
    let watched = watcher.wait_with_output().unwrap();
    drop(said);
    let its = String::from_utf8_lossy(&watched.stderr).into_owned();
    assert!(
        its.contains("another Kluis waits to close the day; giving way"),
        "{its}"
    );
    assert!(!v.dir.join("vault/closing.request").exists());
    std::fs::remove_dir_all(&v.dir).unwrap();
}

/// The archivist's own tools on a bag a vault sealed from a real export:
/// `bagit.py --validate`, and `xmllint --schema` on every MDTO sidecar.
/// (Built with `--features interop`, as `make test` does.)
#[cfg(feature = "interop")]
fn archivists_tools_accept(bag: &Path) {
    let bagit_py = std::env::var_os("KLUIS_BAGIT_PY").expect("KLUIS_BAGIT_PY (make test sets it)");
    let out = Command::new(bagit_py)
        .args(["--validate", "--quiet"])
        .arg(bag)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bagit.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/archive/mdto/MDTO-XML1.0.1.xsd");
    let mut sidecars = Vec::new();
    let mut stack = vec![bag.join("data")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".mdto.xml") {
                sidecars.push(path);
            }
        }
    }
    assert!(sidecars.len() >= 4, "{sidecars:?}");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .args(&sidecars)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Where the archive has no age key yet: an archive passphrase (scrypt).
#[test]
fn a_day_sealed_to_an_archive_passphrase_opens_with_it() {
    let dir = std::env::temp_dir().join(format!("kluis-cli-seal-pass-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("stick")).unwrap();
    let vault = |args: &[&str]| {
        in_vault(
            &dir,
            &[("KLUIS_ARCHIVE_PASSPHRASE", "archief wachtwoord")],
            args,
        )
    };
    // Not both: age allows a passphrase only alone.
    let both = vault(&[
        "init",
        "--kdf-memory",
        "64",
        "--kdf-passes",
        "3",
        "--archive-passphrase",
        "--archive-recipient",
        "age1x",
    ]);
    assert_eq!(both.status.code(), Some(2));
    ok(vault(&[
        "init",
        "--kdf-memory",
        "64",
        "--kdf-passes",
        "3",
        "--archive-passphrase",
        "--pubkey-out",
        "kluis.pub",
    ]));
    for (key, value) in [
        ("municipality.code", "gm0000"),
        ("municipality.name", "Gemeente Voorbeeld"),
        ("workplace", "WP01"),
    ] {
        ok(vault(&["set", key, value]));
    }
    let lorem = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/whatsapp/public/whatstk/lorem.txt");
    ok(vault(&["import", lorem.to_str().unwrap()]));
    let sealed = ok(vault(&["seal", "--out", "stick"]));
    assert!(
        sealed.contains("(seq 1): 1 conversations, 500 messages"),
        "{sealed}"
    );
    let package = std::fs::read_dir(dir.join("stick"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".tar.age"))
        .unwrap();
    let verify = |passphrase: &str| {
        Command::new(env!("CARGO_BIN_EXE_kluis"))
            .args([
                "verify",
                &format!("stick/{package}"),
                "--pubkey",
                "kluis.pub",
            ])
            .current_dir(&dir)
            .env("KLUIS_ARCHIVE_PASSPHRASE", passphrase)
            .output()
            .unwrap()
    };
    let right = verify("archief wachtwoord");
    assert_eq!(right.status.code(), Some(0), "{}", stdout(&right));
    assert!(stdout(&right).contains(": ok: "));
    let wrong = verify("geraden");
    assert_eq!(wrong.status.code(), Some(11), "{}", stdout(&wrong));
    std::fs::remove_dir_all(&dir).unwrap();
}
