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
            audit_head: "bb".repeat(32),
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
            p.tag("kluis/audit.jsonl", b"{\"n\":1}\n")?;
            Ok(())
        })
        .unwrap();
        (sealed, id)
    }

    fn expect(&self, previous: Option<(&Sealed, &str, u64)>) -> Expect {
        Expect {
            public_key: self.key.public_key_file(),
            previous: previous.map(|(s, id, seq)| (id.to_owned(), s.digest, seq)),
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
