//! Sealed packages, written to a real folder, read back, verified; and the
//! tamper matrix: each kind of damage fails with its own kind of error
//! (and so its own exit code in `kluis verify`).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use kluis_seal::bag::BagDigest;
use kluis_seal::encrypt::{Opener, Recipients, decrypt, encrypt_to};
use kluis_seal::package::{
    Expect, Meta, Sealed, Verified, VerifyError, package_id, seal_to, verify,
};
use kluis_seal::sign::SigningKey;
use kluis_seal::tar::TarError;

/// An audit excerpt of one entry, following `aa…` (as `Meta` says).
const EXCERPT: &str = "{\"n\":1,\"prev\":\"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n";

struct World {
    dir: PathBuf,
    key: SigningKey,
    archive: age::x25519::Identity,
}

impl World {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("kluis-package-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            dir,
            key: SigningKey::generate().unwrap(),
            archive: age::x25519::Identity::generate(),
        }
    }

    fn recipients(&self) -> Recipients {
        Recipients::Keys(vec![self.archive.to_public()])
    }

    fn meta(&self, seq: u64, previous: Option<&Sealed>, previous_id: Option<String>) -> Meta {
        Meta {
            id: package_id("gm0000", "WP01", &format!("2026-11-{:02}", 22 + seq), seq),
            organization: "Gemeente Voorbeeld".into(),
            group: "KLUIS-gm0000-WP01".into(),
            seq,
            period_start: format!("2026-11-{:02}T17:00:00+01:00", 21 + seq),
            period_end: format!("2026-11-{:02}T17:00:00+01:00", 22 + seq),
            previous: previous.map(|p| (previous_id.unwrap(), p.digest)),
            audit_previous_head: "aa".repeat(32),
            audit_head: kluis_seal::sha256_hex(EXCERPT.as_bytes()),
            conversations: 1,
            bagging_date: format!("2026-11-{:02}", 22 + seq),
            sealed_at: 1_795_453_200 + seq * 86_400,
        }
    }

    fn seal(&self, seq: u64, previous: Option<(&Sealed, String)>, text: &[u8]) -> (Sealed, String) {
        let meta = self.meta(seq, previous.as_ref().map(|p| p.0), previous.map(|p| p.1));
        let id = meta.id.clone();
        let sealed = seal_to(&self.dir, meta, &self.key, &self.recipients(), |p| {
            p.payload("G001/G001.txt", text.len() as u64, text)?;
            p.tag("kluis/audit.jsonl", EXCERPT.as_bytes())?;
            Ok(())
        })
        .unwrap();
        (sealed, id)
    }

    fn expect(&self, previous: Option<(&Sealed, &str, u64)>) -> Expect {
        Expect {
            public_key: self.key.public_key_file(),
            previous: previous.map(|(s, id, seq)| (id.to_owned(), s.digest, seq)),
            group: None,
            previous_audit: None,
        }
    }

    fn verify(&self, sealed: &Sealed, expect: &Expect) -> Result<Verified, VerifyError> {
        let keys = [self.archive.clone()];
        verify(
            &sealed.package,
            &sealed.signature,
            Opener::Keys(&keys),
            expect,
        )
    }
}

#[test]
fn three_days_seal_verify_and_chain() {
    let w = World::new("chain");
    let (one, one_id) = w.seal(1, None, b"dag een\n");
    let (two, two_id) = w.seal(2, Some((&one, one_id.clone())), b"dag twee\n");
    let (three, _) = w.seal(3, Some((&two, two_id.clone())), b"");

    let v1 = w.verify(&one, &w.expect(None)).unwrap();
    assert_eq!((v1.seq, v1.previous_id.clone()), (1, None));
    assert_eq!(v1.bag.payload_files, 1);
    let v2 = w.verify(&two, &w.expect(Some((&one, &one_id, 1)))).unwrap();
    assert_eq!(v2.previous_id.as_deref(), Some(one_id.as_str()));
    assert_eq!(v2.previous_digest, one.digest.hex());
    // An empty day still makes a package, so the chain has no hole.
    let v3 = w
        .verify(&three, &w.expect(Some((&two, &two_id, 2))))
        .unwrap();
    assert_eq!(v3.bag.payload_bytes, 0);
    // Nothing else is left in the folder: no .partial.
    let mut names: Vec<String> = std::fs::read_dir(&w.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 12, "{names:?}");
    let ends = [
        ".tar.age",
        ".tar.age.minisig",
        ".pakbon.xml",
        ".pakbon.xml.minisig",
    ];
    assert!(
        names
            .iter()
            .all(|n| ends.iter().any(|end| n.ends_with(end)))
    );
    let slip = std::fs::read_to_string(one.package.with_file_name(format!("{one_id}.pakbon.xml")))
        .unwrap();
    assert!(
        slip.contains(&format!(
            "<hashSIP algoritme=\"SHA-256\">{}</hashSIP>",
            one.ciphertext_sha256
        )),
        "{slip}"
    );
    assert!(slip.contains("inhoudsbestanden=\"1\""), "{slip}");

    // The chain: a day dropped, doubled or out of order is named. (With no
    // predecessor known, a package is checked on its own.) (With no
    // predecessor known, a package is checked on its own.)
    for (sealed, previous, what) in [
        (
            &three,
            Some((&one, one_id.as_str(), 1)),
            "missing in between",
        ),
        (
            &two,
            Some((&two, two_id.as_str(), 2)),
            "doubled or out of order",
        ),
        (
            &one,
            Some((&two, two_id.as_str(), 2)),
            "doubled or out of order",
        ),
    ] {
        match w.verify(sealed, &w.expect(previous)) {
            Err(e @ VerifyError::Chain(_)) => {
                assert!(e.to_string().contains(what), "{e}");
                assert_eq!(e.exit_code(), 15);
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    // A predecessor with the right number but another digest.
    let wrong = (two_id.as_str(), BagDigest([7; 32]), 2u64);
    let expect = Expect {
        public_key: w.key.public_key_file(),
        previous: Some((wrong.0.to_owned(), wrong.1, wrong.2)),
        group: None,
        previous_audit: None,
    };
    assert!(matches!(
        w.verify(&three, &expect),
        Err(VerifyError::Chain(_))
    ));
}

#[test]
fn the_same_period_seals_to_the_same_bag_digest() {
    let w = World::new("same");
    let (first, _) = w.seal(1, None, b"dag een\n");
    std::fs::remove_file(&first.package).unwrap();
    std::fs::remove_file(&first.signature).unwrap();
    let (second, _) = w.seal(1, None, b"dag een\n");
    assert_eq!(first.digest, second.digest);
    // age output is randomised: the ciphertext differs, the bag does not.
    assert_ne!(first.ciphertext_sha256, second.ciphertext_sha256);
}

fn code(result: Result<Verified, VerifyError>) -> u8 {
    match result {
        Ok(v) => panic!("accepted {}", v.id),
        Err(e) => e.exit_code(),
    }
}

/// Decrypts a package, lets `change` rewrite its tar, encrypts and signs
/// it again with the real keys: what only someone holding both could do,
/// so the checks inside the bag are the ones left to catch it.
fn tamper_inside(
    w: &World,
    sealed: &Sealed,
    out: &Path,
    change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: Option<(&str, &[u8])>,
) -> Sealed {
    let keys = [w.archive.clone()];
    let mut tar = Vec::new();
    decrypt(
        std::fs::File::open(&sealed.package).unwrap(),
        Opener::Keys(&keys),
    )
    .unwrap()
    .read_to_end(&mut tar)
    .unwrap();
    let mut archive = tar::Archive::new(Cursor::new(tar));
    let mut builder = tar::Builder::new(Vec::new());
    let mut root = String::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        if root.is_empty() {
            root = path.trim_end_matches('/').to_owned();
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let mut header = entry.header().clone();
        let bytes = if header.entry_type().is_dir() {
            bytes
        } else {
            let Some(new) = change(
                path.strip_prefix(&format!("{root}/")).unwrap_or(&path),
                bytes,
            ) else {
                continue;
            };
            new
        };
        header.set_size(bytes.len() as u64);
        header.set_cksum();
        builder.append_data(&mut header, &path, &bytes[..]).unwrap();
    }
    if let Some((path, bytes)) = extra {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{root}/{path}"), bytes)
            .unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut writer = encrypt_to(&w.recipients(), Vec::new()).unwrap();
    writer.write_all(&tar).unwrap();
    let encrypted = writer.finish().unwrap();
    std::fs::write(out, &encrypted).unwrap();
    let comment = std::fs::read_to_string(&sealed.signature)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("trusted comment: ").map(str::to_owned))
        .unwrap();
    let signature = out.with_extension("age.minisig");
    std::fs::write(&signature, w.key.sign(&encrypted[..], &comment).unwrap()).unwrap();
    Sealed {
        package: out.to_owned(),
        signature,
        digest: sealed.digest,
        ciphertext_sha256: String::new(),
    }
}

#[test]
fn each_kind_of_damage_has_its_own_exit_code() {
    let w = World::new("tamper");
    let (sealed, _) = w.seal(1, None, b"dag een\n");
    let expect = w.expect(None);
    let bytes = std::fs::read(&sealed.package).unwrap();
    let copy = |name: &str, content: &[u8]| {
        let package = w.dir.join(format!("{name}.tar.age"));
        std::fs::write(&package, content).unwrap();
        let signature = w.dir.join(format!("{name}.tar.age.minisig"));
        std::fs::copy(&sealed.signature, &signature).unwrap();
        Sealed {
            package,
            signature,
            ..sealed.clone()
        }
    };

    // Outside: checked before anything is decrypted.
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    assert_eq!(code(w.verify(&copy("flipped", &flipped), &expect)), 10);
    assert_eq!(
        code(w.verify(&copy("truncated", &bytes[..bytes.len() - 100]), &expect)),
        10
    );
    let missing = copy("missing", &bytes);
    std::fs::remove_file(&missing.signature).unwrap();
    assert_eq!(code(w.verify(&missing, &expect)), 10);
    let (other_day, _) = w.seal(2, Some((&sealed, "x".into())), b"dag twee\n");
    let swapped = Sealed {
        signature: other_day.signature.clone(),
        ..sealed.clone()
    };
    assert_eq!(code(w.verify(&swapped, &expect)), 10);
    let stranger = SigningKey::generate().unwrap();
    let wrong_key = Expect {
        public_key: stranger.public_key_file(),
        previous: None,
        group: None,
        previous_audit: None,
    };
    assert_eq!(code(w.verify(&sealed, &wrong_key)), 10);

    // A packing slip that is not this package's, or unsigned.
    let slip = sealed.package.with_file_name(format!(
        "{}.pakbon.xml",
        sealed
            .package
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".tar.age")
    ));
    let original = std::fs::read_to_string(&slip).unwrap();
    std::fs::write(
        &slip,
        original.replace("<volgnummer>1</volgnummer>", "<volgnummer>7</volgnummer>"),
    )
    .unwrap();
    assert_eq!(code(w.verify(&sealed, &expect)), 16);
    std::fs::write(&slip, &original).unwrap();
    w.verify(&sealed, &expect).unwrap();

    // Not for this archive's key.
    let other = [age::x25519::Identity::generate()];
    let result = verify(
        &sealed.package,
        &sealed.signature,
        Opener::Keys(&other),
        &expect,
    );
    assert_eq!(code(result), 11);

    // Inside, re-encrypted and re-signed with the real keys.
    let changed = tamper_inside(
        &w,
        &sealed,
        &w.dir.join("changed.tar.age"),
        |p, b| {
            Some(if p == "data/G001/G001.txt" {
                b"dag 1!!\n".to_vec()
            } else {
                b
            })
        },
        None,
    );
    assert_eq!(code(w.verify(&changed, &expect)), 12);
    let removed = tamper_inside(
        &w,
        &sealed,
        &w.dir.join("removed.tar.age"),
        |p, b| (p != "data/G001/G001.txt").then_some(b),
        None,
    );
    assert_eq!(code(w.verify(&removed, &expect)), 12);
    let added = tamper_inside(
        &w,
        &sealed,
        &w.dir.join("added.tar.age"),
        |_, b| Some(b),
        Some(("data/G001/extra.txt", b"erbij\n")),
    );
    assert_eq!(code(w.verify(&added, &expect)), 12);
    // bag-info edited and the tag manifest made to fit: the inner signature catches it.
    let edited = tamper_inside(
        &w,
        &sealed,
        &w.dir.join("edited.tar.age"),
        |p, b| {
            if p == "bag-info.txt" {
                Some(
                    String::from_utf8(b)
                        .unwrap()
                        .replace("Gemeente Voorbeeld", "Gemeente Anders")
                        .into_bytes(),
                )
            } else if p == "tagmanifest-sha256.txt" {
                let text = String::from_utf8(b).unwrap();
                Some(
                    text.lines()
                        .map(|line| {
                            if line.ends_with("  bag-info.txt") {
                                format!(
                                    "{}  bag-info.txt\n",
                                    sha256_hex(&bag_info_edited(&w, &sealed))
                                )
                            } else {
                                format!("{line}\n")
                            }
                        })
                        .collect::<String>()
                        .into_bytes(),
                )
            } else {
                Some(b)
            }
        },
        None,
    );
    assert_eq!(code(w.verify(&edited, &expect)), 13);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn bag_info_edited(w: &World, sealed: &Sealed) -> Vec<u8> {
    let keys = [w.archive.clone()];
    let mut tar = Vec::new();
    decrypt(
        std::fs::File::open(&sealed.package).unwrap(),
        Opener::Keys(&keys),
    )
    .unwrap()
    .read_to_end(&mut tar)
    .unwrap();
    let mut archive = tar::Archive::new(Cursor::new(tar));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().ends_with("bag-info.txt") {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            return text
                .replace("Gemeente Voorbeeld", "Gemeente Anders")
                .into_bytes();
        }
    }
    unreachable!()
}

/// A package's file that claims another id, another workplace, or another
/// municipality's place in the chain: each refused.
#[test]
fn a_package_is_bound_to_its_name_its_workplace_and_its_chain() {
    let w = World::new("bound");
    let (one, one_id) = w.seal(1, None, b"dag een\n");
    // Renamed to pass for another day's package.
    let renamed = w.dir.join("KLUIS-gm0000-WP01-20261130-000009.tar.age");
    std::fs::copy(&one.package, &renamed).unwrap();
    let renamed = Sealed {
        signature: renamed.with_extension("age.minisig"),
        package: renamed,
        ..one.clone()
    };
    std::fs::copy(&one.signature, &renamed.signature).unwrap();
    assert!(matches!(
        w.verify(&renamed, &w.expect(None)),
        Err(VerifyError::BagInfo(why)) if why.contains("renamed")
    ));
    // From another workplace than the archive expects.
    let elsewhere = Expect {
        group: Some("KLUIS-gm0363-WP01".into()),
        previous_audit: None,
        ..w.expect(None)
    };
    assert_eq!(code(w.verify(&one, &elsewhere)), 15);
    // The chain switches municipality: gm0999's package 2 after gm0000's 1.
    let mut meta = w.meta(2, Some(&one), Some(one_id.clone()));
    meta.id = package_id("gm0999", "WP01", "2026-11-24", 2);
    meta.group = "KLUIS-gm0999-WP01".into();
    let switched = seal_to(&w.dir, meta, &w.key, &w.recipients(), |p| {
        p.payload("G001/G001.txt", 4, &b"dag\n"[..])?;
        Ok(())
    })
    .unwrap();
    let following = Expect {
        group: Some("KLUIS-gm0000-WP01".into()),
        previous_audit: None,
        ..w.expect(Some((&one, &one_id, 1)))
    };
    assert!(matches!(
        w.verify(&switched, &following),
        Err(VerifyError::Chain(why)) if why.contains("switches")
    ));
    // Its own group's next package passes the same expectation's group.
    let (two, _) = w.seal(2, Some((&one, one_id.clone())), b"dag twee\n");
    w.verify(&two, &following).unwrap();
}

/// A value with a line break would write a field of its own into
/// bag-info.txt (a forged `Kluis-Audit-Head` first, read before the real
/// one): the seal refuses it, and a bag that has a field twice (made by
/// hand, with the real keys) does not verify.
#[test]
fn an_injected_bag_info_line_is_refused_and_a_doubled_field_fails() {
    let w = World::new("inject");
    let mut meta = w.meta(1, None, None);
    meta.organization = format!("X\nKluis-Audit-Head: sha256:{}", "0".repeat(64));
    let refused = seal_to(&w.dir, meta, &w.key, &w.recipients(), |_| Ok(()));
    assert!(
        matches!(&refused, Err(kluis_seal::package::SealError::Tar(TarError::BadInfo(label))) if label == "Source-Organization"),
        "{refused:?}"
    );
    let names: Vec<_> = std::fs::read_dir(&w.dir).unwrap().collect();
    assert!(names.is_empty(), "{names:?}");

    // The same forgery, signed by hand with the workstation's own key.
    let meta = w.meta(1, None, None);
    let forged_head = format!("sha256:{}", "0".repeat(64));
    let info: Vec<(&str, String)> = vec![
        ("Source-Organization", meta.organization.clone()),
        ("Kluis-Audit-Head", forged_head),
        ("External-Identifier", meta.id.clone()),
        ("Bagging-Date", meta.bagging_date.clone()),
        ("Bag-Group-Identifier", meta.group.clone()),
        ("Kluis-Sequence", "1".into()),
        ("Kluis-Period-Start", meta.period_start.clone()),
        ("Kluis-Period-End", meta.period_end.clone()),
        ("Kluis-Previous-Package", "-".into()),
        (
            "Kluis-Previous-Bag-Digest",
            format!("sha256:{}", "0".repeat(64)),
        ),
        (
            "Kluis-Audit-Previous-Head",
            format!("sha256:{}", meta.audit_previous_head),
        ),
        ("Kluis-Audit-Head", format!("sha256:{}", meta.audit_head)),
        ("Kluis-Signing-Key-Id", w.key.id()),
        ("Kluis-Conversations", "1".into()),
    ];
    let sealed = hand_sealed(&w, &meta.id, &info, &meta);
    assert!(matches!(
        w.verify(&sealed, &w.expect(None)),
        Err(VerifyError::BagInfo(why)) if why.contains("Kluis-Audit-Head appears twice")
    ));
}

/// A package written with the real keys from a bag-info given field by
/// field: what only the workstation could make.
fn hand_sealed(w: &World, id: &str, info: &[(&str, String)], meta: &Meta) -> Sealed {
    use kluis_seal::bag::BagWriter;
    let mut bag = BagWriter::new(
        encrypt_to(&w.recipients(), Vec::new()).unwrap(),
        id,
        meta.sealed_at,
    )
    .unwrap();
    bag.payload("G001/G001.txt", 4, &b"dag\n"[..]).unwrap();
    let inner = format!("kluis-bag v1 id={id} seq=1 prev=sha256:{}", "0".repeat(64));
    let (encrypted, digest) = bag
        .finish(info, |manifest| {
            vec![(
                "tagmanifest-sha256.txt.minisig".into(),
                w.key.sign(manifest, &inner).unwrap().into_bytes(),
            )]
        })
        .unwrap();
    let bytes = encrypted.finish().unwrap();
    let package = w.dir.join(format!("{id}.tar.age"));
    std::fs::write(&package, &bytes).unwrap();
    let outer = format!(
        "kluis-seal v1 id={id} seq=1 bag=sha256:{} prev=sha256:{} start={} end={}",
        digest.hex(),
        "0".repeat(64),
        meta.period_start,
        meta.period_end
    );
    let signature = package.with_extension("age.minisig");
    std::fs::write(&signature, w.key.sign(&bytes[..], &outer).unwrap()).unwrap();
    Sealed {
        package,
        signature,
        digest,
        ciphertext_sha256: String::new(),
    }
}

/// Whether this process has `fifo` open for reading.
fn reading(fifo: &Path) -> bool {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .any(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|to| to == fifo)
                && std::fs::read_to_string(format!(
                    "/proc/self/fdinfo/{}",
                    fd.file_name().to_string_lossy()
                ))
                .is_ok_and(|info| {
                    info.lines()
                        .find_map(|l| l.strip_prefix("flags:"))
                        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                        .is_some_and(|flags| flags & 3 == 0)
                })
        })
}

/// A medium that returns other bytes on a later read: a FIFO serving the
/// genuine package at its first opening and a forged one (another day's,
/// validly signed) at every later one. Verification and opening read once,
/// so they judge, and unpack, the genuine bytes.
#[test]
fn a_reader_that_changes_its_bytes_between_passes_is_read_once() {
    use std::os::unix::fs::OpenOptionsExt;
    use std::sync::atomic::{AtomicBool, Ordering};
    let w = World::new("changing");
    let (one, one_id) = w.seal(1, None, b"dag een\n");
    let (two, _) = w.seal(2, Some((&one, one_id.clone())), b"vervalst\n");
    let genuine = std::fs::read(&one.package).unwrap();
    let other = std::fs::read(&two.package).unwrap();
    std::fs::remove_file(&one.package).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&one.package)
            .status()
            .unwrap()
            .success()
    );
    let keys = [w.archive.clone()];
    for unpack in [false, true] {
        let done = AtomicBool::new(false);
        let (opened, result) = std::thread::scope(|s| {
            let serving = s.spawn(|| {
                let mut opened = 0;
                while !done.load(Ordering::SeqCst) {
                    let Ok(mut pipe) = std::fs::OpenOptions::new()
                        .write(true)
                        .custom_flags(0o4000)
                        .open(&one.package)
                    else {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                        continue;
                    };
                    while !reading(&one.package) {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    let bytes = if opened == 0 { &genuine } else { &other };
                    opened += 1;
                    let mut rest = &bytes[..];
                    while !rest.is_empty() {
                        match pipe.write(rest) {
                            Ok(n) => rest = &rest[n..],
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                                std::thread::sleep(std::time::Duration::from_millis(1));
                            }
                            Err(_) => break,
                        }
                    }
                    drop(pipe);
                    while reading(&one.package) {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                }
                opened
            });
            let result = if unpack {
                kluis_seal::package::open(
                    &one.package,
                    &one.signature,
                    Opener::Keys(&keys),
                    &w.expect(None),
                    &w.dir.join("uit"),
                )
                .map(|(verified, _)| verified)
            } else {
                w.verify(&one, &w.expect(None)).map_err(Into::into)
            };
            done.store(true, Ordering::SeqCst);
            (serving.join().unwrap(), result)
        });
        let verified = result.unwrap();
        assert_eq!((opened, verified.seq), (1, 1), "unpack {unpack}");
    }
    let text = std::fs::read_to_string(w.dir.join("uit").join(&one_id).join("data/G001/G001.txt"));
    assert_eq!(text.unwrap(), "dag een\n");
}

/// What a kill left under a package's final names (renamed, never recorded
/// by the vault) is never overwritten by the next seal of that day: it is
/// set aside, byte for byte, and the new package takes the names.
#[test]
fn a_leftover_under_the_final_name_is_set_aside_never_overwritten() {
    let w = World::new("leftover");
    let (first, _) = w.seal(1, None, b"dag een\n");
    let old = std::fs::read(&first.package).unwrap();
    let old_signature = std::fs::read(&first.signature).unwrap();
    let (again, _) = w.seal(1, None, b"dag een, opnieuw\n");
    assert_eq!(again.package, first.package);
    w.verify(&again, &w.expect(None)).unwrap();
    let aside = |end: &str| {
        let mut name = first.package.as_os_str().to_owned();
        name.push(end);
        std::fs::read(PathBuf::from(name)).unwrap()
    };
    assert_eq!(aside(".left-over-1"), old);
    let mut signature = first.signature.as_os_str().to_owned();
    signature.push(".left-over-1");
    assert_eq!(
        std::fs::read(PathBuf::from(signature)).unwrap(),
        old_signature
    );
    // A third time: the first leftover stays, the second gets its own number.
    let (_third, _) = w.seal(1, None, b"dag een, nog eens\n");
    assert_eq!(aside(".left-over-1"), old);
    assert!(!aside(".left-over-2").is_empty());
}
