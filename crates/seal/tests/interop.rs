//! What the archivist runs, on what Kluis writes: PyPI's `bagit.py
//! --validate` on a bag. (`make test` installs the tools and sets
//! `KLUIS_BAGIT_PY`; this target is built only with `--features interop`.)

use std::path::PathBuf;
use std::process::Command;

use kluis_seal::bag::BagWriter;

fn bagit_py() -> PathBuf {
    PathBuf::from(std::env::var_os("KLUIS_BAGIT_PY").expect(
        "KLUIS_BAGIT_PY names bagit.py: run `make test`, or scripts/ensure-bagit.sh and set it",
    ))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kluis-interop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn bagit_py_validates_a_bag_kluis_wrote_and_refuses_it_damaged() {
    let dir = temp("bagit");
    let root = "KLUIS-gm0000-WP01-20261123-000001";
    let mut bag = BagWriter::new(Vec::new(), root, 1_795_453_200).unwrap();
    bag.payload("G001/G001.txt", 11, &b"transcript\n"[..])
        .unwrap();
    bag.payload("G001/G001-B01/G001-B01.jpg", 4, &b"\xff\xd8\xff\xe0"[..])
        .unwrap();
    bag.tag("kluis/audit.jsonl", b"{\"n\":1}\n").unwrap();
    let (tar, _) = bag
        .finish(&[("Bagging-Date", "2026-11-23".into())], |m| {
            vec![("tagmanifest-sha256.txt.minisig".into(), m.to_vec())]
        })
        .unwrap();
    std::fs::write(dir.join("bag.tar"), tar).unwrap();
    assert!(
        Command::new("tar")
            .args(["-xf", "bag.tar"])
            .current_dir(&dir)
            .status()
            .unwrap()
            .success()
    );

    let validate = || {
        Command::new(bagit_py())
            .args(["--validate", "--quiet"])
            .arg(dir.join(root))
            .output()
            .unwrap()
    };
    let out = validate();
    assert!(
        out.status.success(),
        "bagit.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(dir.join(root).join("data/G001/G001.txt"), b"Transcript\n").unwrap();
    let out = validate();
    assert!(!out.status.success(), "bagit.py accepted a changed file");
    std::fs::remove_dir_all(dir).unwrap();
}

fn run(dir: &std::path::Path, program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn minisign_verifies_what_kluis_signs_and_refuses_it_changed() {
    use kluis_seal::sign::{SignError, SigningKey, verify};
    let dir = temp("minisign");
    let key = SigningKey::generate().unwrap();
    std::fs::write(dir.join("kluis.pub"), key.public_key_file()).unwrap();
    std::fs::write(dir.join("package"), b"the package's bytes").unwrap();
    let comment = "kluis-seal v1 id=KLUIS-gm0000-WP01-20261123-000001 seq=1";
    let signature = key.sign(&b"the package's bytes"[..], comment).unwrap();
    std::fs::write(dir.join("package.minisig"), &signature).unwrap();

    let out = run(
        &dir,
        "minisign",
        &["-V", "-H", "-p", "kluis.pub", "-m", "package"],
    );
    assert!(
        out.status.success(),
        "minisign: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(comment));
    // Ours agrees, and a key round-trips through its bytes.
    let again = SigningKey::from_bytes(&key.to_bytes()).unwrap();
    assert_eq!(again.id(), key.id());
    let trusted = verify(
        &again.public_key_file(),
        std::io::Cursor::new(b"the package's bytes"),
        &signature,
    )
    .unwrap();
    assert_eq!(trusted, comment);

    std::fs::write(dir.join("package"), b"the package's bytez").unwrap();
    assert!(
        !run(
            &dir,
            "minisign",
            &["-V", "-H", "-p", "kluis.pub", "-m", "package"]
        )
        .status
        .success()
    );
    assert!(matches!(
        verify(
            &key.public_key_file(),
            std::io::Cursor::new(b"the package's bytez"),
            &signature
        ),
        Err(SignError::Mismatch)
    ));
    let other = SigningKey::generate().unwrap();
    assert!(matches!(
        verify(
            &other.public_key_file(),
            std::io::Cursor::new(b"the package's bytes"),
            &signature
        ),
        Err(SignError::OtherKey { .. })
    ));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn age_decrypts_what_kluis_encrypts_and_kluis_decrypts_what_age_encrypts() {
    use kluis_seal::encrypt::{Opener, Recipients, decrypt, encrypt_to, identity, recipient};
    use std::io::{Read, Write};
    let dir = temp("age");
    assert!(
        run(&dir, "age-keygen", &["-o", "archive.key"])
            .status
            .success()
    );
    let key_file = std::fs::read_to_string(dir.join("archive.key")).unwrap();
    let public = key_file
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_owned();

    let mut writer = encrypt_to(
        &Recipients::Keys(vec![recipient(&public).unwrap()]),
        Vec::new(),
    )
    .unwrap();
    writer.write_all(b"a day of records").unwrap();
    std::fs::write(dir.join("package.age"), writer.finish().unwrap()).unwrap();
    let out = run(&dir, "age", &["-d", "-i", "archive.key", "package.age"]);
    assert!(
        out.status.success(),
        "age: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"a day of records");

    std::fs::write(dir.join("plain"), b"from the archive").unwrap();
    assert!(
        run(&dir, "age", &["-r", &public, "-o", "from-age.age", "plain"])
            .status
            .success()
    );
    let keys = [identity(&key_file).unwrap()];
    let mut plain = Vec::new();
    decrypt(
        std::fs::File::open(dir.join("from-age.age")).unwrap(),
        Opener::Keys(&keys),
    )
    .unwrap()
    .read_to_end(&mut plain)
    .unwrap();
    assert_eq!(plain, b"from the archive");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A conversation part's and a file's sidecars, as a seal would write them.
fn sample_sidecars() -> (String, String) {
    use kluis_seal::mdto::{
        Event, File, Identification, InformationObject, Reference, Retention, Term, pronom,
    };
    let source = "Kluis gm0000/WP01";
    let id = |k: &str| Identification {
        kenmerk: k.to_owned(),
        bron: source.to_owned(),
    };
    let part = "WA-gm0000-WP01-7f3c2a9e0b1c-000001";
    let object = InformationObject {
        id: id(part),
        name: "WhatsApp-gesprek KCC 23-11-2026 (deel 1) <met & zonder>".into(),
        level: Term::new("Dossier", None, "Begrippenlijst Aggregatieniveaus MDTO"),
        description: Some("Melding lantaarnpaal".into()),
        consultation: Some(Reference {
            name: "DMS Voorbeeld".into(),
            id: None,
        }),
        period: Some((
            Term::new("Periode van behandeling", None, "Begrippenlijst Kluis"),
            "2026-11-23".into(),
            "2026-11-23".into(),
        )),
        language: Some("nl".into()),
        events: vec![
            Event {
                kind: Term::new("Ontvangst", None, "Begrippenlijst EventTypeLijst MDTO"),
                time: Some("2026-11-23T09:12:00".into()),
                actor: None,
                result: None,
            },
            Event {
                kind: Term::new("Export", None, "Begrippenlijst EventTypeLijst MDTO"),
                time: Some("2026-11-23T17:02:11".into()),
                actor: Some(Reference {
                    name: "op03".into(),
                    id: None,
                }),
                result: Some("KLUIS-gm0000-WP01-20261123-000001".into()),
            },
        ],
        appraisal: Term::new(
            "Tijdelijk te bewaren",
            Some("V"),
            "Begrippenlijst Waarderingen MDTO",
        ),
        retention: Some(Retention {
            trigger: Term::new("Bevriezing", None, "Begrippenlijst EventTypeLijst MDTO"),
            start: "2026-11-23".into(),
            period: "P1Y".into(),
            end: "2027-11-23".into(),
        }),
        category: Some(Term::new(
            "Ingewilligd - Informatieverzoek",
            Some("6.1.3"),
            "Selectielijst gemeenten en intergemeentelijke organen 2020",
        )),
        part_of: Some(Reference {
            name: "WhatsApp KCC".into(),
            id: Some(id("DMS-serie-1")),
        }),
        parts: vec![Reference {
            name: "IMG-20261123-WA0001.jpg".into(),
            id: Some(id(&format!("{part}-B01"))),
        }],
        representations: vec![Reference {
            name: "G001.txt".into(),
            id: None,
        }],
        related: vec![(
            Reference {
                name: "deel 0".into(),
                id: Some(id("WA-gm0000-WP01-7f3c2a9e0b1c-000000")),
            },
            Term::new("Refereert aan", None, "Begrippenlijst Relatietypen MDTO"),
        )],
        creator: Reference {
            name: "Gemeente Voorbeeld".into(),
            id: Some(Identification {
                kenmerk: "gm0000".into(),
                bron: "TOOI register gemeenten compleet".into(),
            }),
        },
        involved: vec![(
            Term::new(
                "Indiener",
                None,
                "Begrippenlijst Relatietypen (betrokkene) MDTO",
            ),
            Reference {
                name: "Eva".into(),
                id: Some(Identification {
                    kenmerk: "+31600000001".into(),
                    bron: "WhatsApp-telefoonnummer".into(),
                }),
            },
        )],
        activity: Some(Reference {
            name: "Klantcontact via WhatsApp (KCC)".into(),
            id: None,
        }),
        restriction: (
            Term::new(
                "Overig",
                Some("Overig"),
                "Begrippenlijst BeperkingGebruik Kluis",
            ),
            Some("Bevat persoonsgegevens (AVG)".into()),
        ),
    };
    let file = File {
        id: id(&format!("{part}/G001.txt")),
        name: "transcript WhatsApp-gesprek 23-11-2026 (deel 1).txt".into(),
        size: 119,
        format: pronom("G001.txt", b"Gesprek"),
        sha256: "de6768".repeat(10) + "0609",
        checksum_date: "2026-11-23T17:02:11".into(),
        represents: Reference {
            name: "WhatsApp-gesprek KCC 23-11-2026 (deel 1)".into(),
            id: Some(id(part)),
        },
    };
    (object.to_xml(), file.to_xml())
}

#[test]
fn xmllint_validates_the_sidecars_against_the_mdto_schema() {
    let dir = temp("mdto");
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/archive/mdto/MDTO-XML1.0.1.xsd");
    let (object, file) = sample_sidecars();
    std::fs::write(dir.join("G001.mdto.xml"), &object).unwrap();
    std::fs::write(dir.join("G001.txt.bestand.mdto.xml"), &file).unwrap();
    for name in ["G001.mdto.xml", "G001.txt.bestand.mdto.xml"] {
        let out = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&schema)
            .arg(dir.join(name))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(object.contains(
        "<naam>WhatsApp-gesprek KCC 23-11-2026 (deel 1) &lt;met &amp; zonder&gt;</naam>"
    ));
    // An element out of order is refused: the check can fail.
    let broken = file.replace("<omvang>119</omvang>\n", "").replace(
        "</naam>",
        "</naam>\n    <omvang>119</omvang>\n    <omvang>1</omvang>",
    );
    std::fs::write(dir.join("broken.xml"), broken).unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(dir.join("broken.xml"))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "xmllint accepted two omvang elements"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The archivist's whole routine (archive.md §0), with Debian's and PyPI's
/// tools only, on a package Kluis sealed.
#[test]
fn the_archivist_checks_a_sealed_package_without_kluis() {
    use kluis_seal::encrypt::{Recipients, recipient};
    use kluis_seal::package::{Meta, package_id, seal_to};
    use kluis_seal::sign::SigningKey;
    let dir = temp("archivist");
    assert!(
        run(&dir, "age-keygen", &["-o", "archive.key"])
            .status
            .success()
    );
    let key_file = std::fs::read_to_string(dir.join("archive.key")).unwrap();
    let public = key_file
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap();
    let key = SigningKey::generate().unwrap();
    std::fs::write(dir.join("kluis.pub"), key.public_key_file()).unwrap();
    let stick = dir.join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let id = package_id("gm0000", "WP01", "2026-11-23", 1);
    // One audit entry following the genesis head, as a vault's first excerpt.
    let excerpt = format!("{{\"n\":1,\"prev\":\"sha256:{}\"}}\n", "00".repeat(32));
    let meta = Meta {
        id: id.clone(),
        organization: "Gemeente Voorbeeld".into(),
        group: "KLUIS-gm0000-WP01".into(),
        seq: 1,
        period_start: "2026-11-22T17:00:00+01:00".into(),
        period_end: "2026-11-23T17:00:00+01:00".into(),
        previous: None,
        audit_previous_head: "00".repeat(32),
        audit_head: kluis_seal::sha256_hex(excerpt.as_bytes()),
        conversations: 1,
        bagging_date: "2026-11-23".into(),
        sealed_at: 1_795_453_200,
    };
    let (object, file) = sample_sidecars();
    let sealed = seal_to(
        &stick,
        meta,
        &key,
        &Recipients::Keys(vec![recipient(public).unwrap()]),
        |p| {
            p.payload("G001/G001.mdto.xml", object.len() as u64, object.as_bytes())?;
            p.payload("G001/G001.txt", 8, &b"gesprek\n"[..])?;
            p.payload(
                "G001/G001.txt.bestand.mdto.xml",
                file.len() as u64,
                file.as_bytes(),
            )?;
            p.tag("kluis/audit.jsonl", excerpt.as_bytes())?;
            Ok(())
        },
    )
    .unwrap();
    let package = format!("stick/{id}.tar.age");

    let out = run(
        &dir,
        "minisign",
        &["-V", "-H", "-p", "kluis.pub", "-m", &package],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains(&format!(
            "kluis-seal v2 id={id} seq=1 bag=sha256:{}",
            sealed.digest.hex()
        )),
        "{said}"
    );

    // The packing slip: signed, well-formed XML, naming the package's hash.
    let slip = format!("stick/{id}.pakbon.xml");
    let out = run(
        &dir,
        "minisign",
        &["-V", "-H", "-p", "kluis.pub", "-m", &slip],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(run(&dir, "xmllint", &["--noout", &slip]).status.success());
    let sha = run(&dir, "sha256sum", &[&package]);
    let sha = String::from_utf8_lossy(&sha.stdout)[..64].to_owned();
    assert!(
        std::fs::read_to_string(dir.join(&slip))
            .unwrap()
            .contains(&sha)
    );

    let out = run(
        &dir,
        "age",
        &["-d", "-i", "archive.key", "-o", "package.tar", &package],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(run(&dir, "tar", &["-xf", "package.tar"]).status.success());
    let out = Command::new(bagit_py())
        .args(["--validate", "--quiet"])
        .arg(dir.join(&id))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bagit.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tag_manifest = format!("{id}/tagmanifest-sha256.txt");
    let out = run(
        &dir,
        "minisign",
        &[
            "-V",
            "-H",
            "-p",
            "kluis.pub",
            "-m",
            &tag_manifest,
            "-x",
            &format!("{tag_manifest}.minisig"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&dir, "sha256sum", &[&tag_manifest]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&sealed.digest.hex()));
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/archive/mdto/MDTO-XML1.0.1.xsd");
    for sidecar in ["G001.mdto.xml", "G001.txt.bestand.mdto.xml"] {
        let out = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&schema)
            .arg(dir.join(&id).join("data/G001").join(sidecar))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sidecar}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// The archive signs its receipts with its own minisign: Kluis checks them.
#[test]
fn kluis_verifies_what_the_real_minisign_signs() {
    let dir = temp("minisign-archive");
    let out = run(
        &dir,
        "minisign",
        &["-G", "-W", "-p", "archive.pub", "-s", "archive.sec"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        dir.join("ontvangst.txt"),
        "kluis-ontvangst v1\npakket=X seq=1\n",
    )
    .unwrap();
    let out = run(
        &dir,
        "minisign",
        &[
            "-S",
            "-s",
            "archive.sec",
            "-m",
            "ontvangst.txt",
            "-t",
            "ontvangst",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(dir.join("archive.pub")).unwrap();
    let signature = std::fs::read_to_string(dir.join("ontvangst.txt.minisig")).unwrap();
    let text = std::fs::read(dir.join("ontvangst.txt")).unwrap();
    let comment =
        kluis_seal::sign::verify(&public, std::io::Cursor::new(&text), &signature).unwrap();
    assert_eq!(comment, "ontvangst");
    let mut changed = text.clone();
    changed[0] ^= 1;
    assert!(kluis_seal::sign::verify(&public, std::io::Cursor::new(&changed), &signature).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}
