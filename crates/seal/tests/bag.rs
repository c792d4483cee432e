//! A bag written into a tar, read back in one pass and checked; unpacked
//! with the real `tar` and checked as a folder; the same input twice gives
//! the same bytes; damage is named.

use std::io::Cursor;
use std::process::Command;

use kluis_seal::bag::{BagDigest, BagWriter};
use kluis_seal::bagit::{BagError, Folder, check};
use kluis_seal::tar::{StreamedBag, TarError};
use sha2::Digest;

const ROOT: &str = "KLUIS-gm0000-WP01-20261123-000001";
const SEALED_AT: u64 = 1_795_453_200;

fn write_bag(payload: &[(&str, &[u8])]) -> (Vec<u8>, BagDigest) {
    let mut bag = BagWriter::new(Vec::new(), ROOT, SEALED_AT).unwrap();
    for (path, bytes) in payload {
        bag.payload(path, bytes.len() as u64, *bytes).unwrap();
    }
    bag.tag("kluis/audit.jsonl", b"{\"n\":1}\n").unwrap();
    bag.finish(
        &[
            ("Source-Organization", "Gemeente Voorbeeld".into()),
            ("Bagging-Date", "2026-11-23".into()),
            ("Kluis-Sequence", "1".into()),
        ],
        |tag_manifest| {
            vec![(
                "tagmanifest-sha256.txt.minisig".into(),
                tag_manifest.to_vec(),
            )]
        },
    )
    .unwrap()
}

const DAY: &[(&str, &[u8])] = &[
    ("G001/G001.txt", b"transcript\n"),
    (
        "G001/G001-B01/G001-B01.jpg",
        b"\xff\xd8\xff\xe0 not really a jpeg",
    ),
    ("G002/G002.txt", b"tweede gesprek\n"),
];

#[test]
fn a_bag_reads_back_in_one_pass_and_from_a_folder_the_real_tar_unpacked() {
    let (tar, digest) = write_bag(DAY);
    let streamed = StreamedBag::from_tar(Cursor::new(&tar)).unwrap();
    assert_eq!(streamed.root, ROOT);
    let checked = check(&streamed).unwrap();
    assert_eq!(
        (checked.payload_files, checked.payload_bytes),
        (3, 11 + 22 + 15)
    );
    assert_eq!(checked.info("Kluis-Sequence"), Some("1"));
    assert_eq!(checked.info("Payload-Oxum"), Some("48.3"));
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);

    let dir = std::env::temp_dir().join(format!("kluis-bag-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bag.tar"), &tar).unwrap();
    let untar = Command::new("tar")
        .arg("-xf")
        .arg("bag.tar")
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(untar.success());
    let bag = dir.join(ROOT);
    check(&Folder(bag.clone())).unwrap();
    // The bag digest is the tag manifest's SHA-256, as `sha256sum` gives it.
    let tag_manifest = std::fs::read(bag.join("tagmanifest-sha256.txt")).unwrap();
    assert_eq!(
        digest.0,
        <[u8; 32]>::from(sha2::Sha256::digest(&tag_manifest))
    );
    let listing = Command::new("tar")
        .args(["-tvf", "bag.tar"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    for line in listing.lines() {
        assert!(line.contains(" 0/0 "), "not owned by 0/0: {line}");
        assert!(
            line.starts_with("-rw-r--r--") || line.starts_with("drwxr-xr-x"),
            "{line}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_same_day_seals_to_the_same_bytes() {
    let (first, first_digest) = write_bag(DAY);
    let (second, second_digest) = write_bag(DAY);
    assert_eq!(first_digest, second_digest);
    assert!(first == second, "the tar bytes differ");
    let (other, other_digest) = write_bag(&DAY[..2]);
    assert_ne!(first_digest, other_digest);
    assert_ne!(first, other);
}

#[test]
fn a_changed_byte_or_a_bad_name_is_named() {
    let (mut tar, _) = write_bag(DAY);
    let at = tar.windows(10).position(|w| w == b"transcript").unwrap();
    tar[at] = b'T';
    let streamed = StreamedBag::from_tar(Cursor::new(&tar)).unwrap();
    match check(&streamed) {
        Err(BagError::ChecksumMismatch { path, .. }) => assert_eq!(path, "data/G001/G001.txt"),
        other => panic!("{other:?}"),
    }

    let mut bag = BagWriter::new(Vec::new(), ROOT, SEALED_AT).unwrap();
    for bad in [
        "G001/naam met spatie.txt",
        "G001/../../etc/passwd",
        "G001/é.txt",
        &"x".repeat(80),
    ] {
        assert!(
            matches!(bag.payload(bad, 1, &b"x"[..]), Err(TarError::BadName(_))),
            "{bad}"
        );
    }
    match bag.payload("G001/kort.txt", 10, &b"vijf."[..]) {
        Err(TarError::SizeMismatch {
            expected, found, ..
        }) => assert_eq!((expected, found), (10, 5)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_tar_that_leaves_its_folder_is_refused() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_ustar();
    header.set_size(1);
    header.set_entry_type(tar::EntryType::Regular);
    builder
        .append_data(&mut header, "BAG/bagit.txt", &b"x"[..])
        .unwrap();
    builder
        .append_data(&mut header, "OTHER/data/x", &b"x"[..])
        .unwrap();
    let bytes = builder.into_inner().unwrap();
    assert!(matches!(
        StreamedBag::from_tar(Cursor::new(bytes)),
        Err(BagError::OutsideScope { .. })
    ));
}

/// One tar entry with its name written as given (the `tar` crate would
/// refuse to write most of these).
fn raw_entry(builder: &mut tar::Builder<Vec<u8>>, name: &str, kind: tar::EntryType, body: &[u8]) {
    let mut header = tar::Header::new_ustar();
    header.as_mut_bytes()[..name.len()].copy_from_slice(name.as_bytes());
    header.set_entry_type(kind);
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    if kind == tar::EntryType::Symlink || kind == tar::EntryType::Link {
        header.set_link_name("/etc/passwd").unwrap();
    }
    header.set_cksum();
    builder.append(&header, body).unwrap();
}

/// What a hostile bag could hold: each is refused by the check and by the
/// unpacking, which writes nothing outside the folder it was given.
#[test]
fn links_devices_and_escaping_names_are_refused_and_never_unpacked() {
    use tar::EntryType as E;
    type Expected = fn(&BagError) -> bool;
    let cases: &[(&str, E, Expected)] = &[
        ("BAG/data/link", E::Symlink, |e| {
            matches!(e, BagError::NotAFile(_))
        }),
        ("BAG/data/hard", E::Link, |e| {
            matches!(e, BagError::NotAFile(_))
        }),
        ("BAG/data/tty", E::Char, |e| {
            matches!(e, BagError::NotAFile(_))
        }),
        ("BAG/data/disk", E::Block, |e| {
            matches!(e, BagError::NotAFile(_))
        }),
        ("BAG/data/pipe", E::Fifo, |e| {
            matches!(e, BagError::NotAFile(_))
        }),
        ("/BAG/data/x", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG/../x", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG/data/../../x", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG/./x", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG//x", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG", E::Regular, |e| matches!(e, BagError::NotAFile(_))),
        ("BAG/..\\..\\x", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG/data/caf\u{e9}", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG/data/x\u{1b}", E::Regular, |e| {
            matches!(e, BagError::OutsideScope { .. })
        }),
        ("BAG/BAGIT.TXT", E::Regular, |e| {
            matches!(e, BagError::Doubled(_))
        }),
        ("BAG/bagit.txt", E::Regular, |e| {
            matches!(e, BagError::Doubled(_))
        }),
        ("././@LongLink", E::GNULongName, |e| {
            matches!(e, BagError::NotAFile(_) | BagError::OutsideScope { .. })
        }),
        ("BAG/data/pax", E::XHeader, |e| {
            matches!(e, BagError::NotAFile(_))
        }),
    ];
    let base = std::env::temp_dir().join(format!("kluis-unpack-{}", std::process::id()));
    for (name, kind, expected) in cases {
        let mut builder = tar::Builder::new(Vec::new());
        raw_entry(&mut builder, "BAG/bagit.txt", E::Regular, b"x");
        raw_entry(&mut builder, name, *kind, b"");
        let bytes = builder.into_inner().unwrap();
        match StreamedBag::from_tar(Cursor::new(&bytes)) {
            Err(e) => assert!(expected(&e), "{name}: {e}"),
            Ok(_) => panic!("{name} was accepted"),
        }
        let _ = std::fs::remove_dir_all(&base);
        let into = base.join("in");
        std::fs::create_dir_all(&into).unwrap();
        match StreamedBag::unpack(Cursor::new(&bytes), &into) {
            Err(e) => assert!(expected(&e), "{name}: {e}"),
            Ok(_) => panic!("{name} was unpacked"),
        }
        let mut written: Vec<String> = Vec::new();
        let mut stack = vec![base.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let meta = std::fs::symlink_metadata(entry.path()).unwrap();
                assert!(
                    meta.is_dir() || meta.is_file(),
                    "{name}: {:?}",
                    entry.path()
                );
                if meta.is_dir() {
                    stack.push(entry.path());
                }
                written.push(
                    entry
                        .path()
                        .strip_prefix(&base)
                        .unwrap()
                        .display()
                        .to_string(),
                );
            }
        }
        written.sort();
        assert_eq!(written, ["in", "in/BAG", "in/BAG/bagit.txt"], "{name}");
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// Unpacking writes exactly the bytes it hashes.
#[test]
fn an_unpacked_bag_is_the_bag_that_was_checked() {
    let (tar, _) = write_bag(&[("G001/G001.txt", b"hallo\n"), ("G001/leeg.txt", b"")]);
    let into = std::env::temp_dir().join(format!("kluis-unpack-ok-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&into);
    std::fs::create_dir_all(&into).unwrap();
    let streamed = StreamedBag::unpack(Cursor::new(&tar), &into).unwrap();
    // Decrypted citizen data: for its owner only.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&into.join(ROOT).join("data/G001/G001.txt")), 0o600);
    assert_eq!(mode(&into.join(ROOT).join("data/G001")), 0o700);
    let checked = check(&streamed).unwrap();
    let folder = check(&Folder(into.join(ROOT))).unwrap();
    assert_eq!(checked.payload_bytes, folder.payload_bytes);
    assert_eq!(
        std::fs::read(into.join(ROOT).join("data/G001/G001.txt")).unwrap(),
        b"hallo\n"
    );
    std::fs::remove_dir_all(&into).unwrap();
}
