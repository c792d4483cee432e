//! `kluis verify` and `kluis open` as the archivist runs them, on packages
//! sealed by the seal crate into a real folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kluis_seal::encrypt::Recipients;
use kluis_seal::package::{Meta, Sealed, package_id, seal_to};
use kluis_seal::sign::SigningKey;

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
        let id = package_id("gm0000", "WP01", &format!("2026-11-{:02}", 22 + seq), seq);
        let meta = Meta {
            id: id.clone(),
            organization: "Gemeente Voorbeeld".into(),
            group: "KLUIS-gm0000-WP01".into(),
            seq,
            period_start: format!("2026-11-{:02}T17:00:00+01:00", 21 + seq),
            period_end: format!("2026-11-{:02}T17:00:00+01:00", 22 + seq),
            previous: previous.map(|(s, id)| (id, s.digest)),
            audit_previous_head: "00".repeat(32),
            audit_head: "11".repeat(32),
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
                Ok(())
            },
        )
        .unwrap();
        (sealed, id)
    }
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

    // Without the archive's key: the signature only.
    let out = kluis(&a.dir, &["verify", &p(&one_id), "--pubkey", "kluis.pub"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("signature ok (kluis-seal v1 id="),
        "{}",
        stdout(&out)
    );

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
