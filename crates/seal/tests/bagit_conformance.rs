//! The Library of Congress's BagIt conformance suite, run as data: every
//! bag under `valid/` and `warning/` is accepted (the latter with the
//! number of warnings recorded), every bag under
//! `invalid/` and `linux-only/` refused (this is a POSIX system; the
//! `windows-only/` bags test paths only Windows would follow).

use std::path::{Path, PathBuf};

use kluis_seal::bagit::{BagError, Folder, check};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/archive/bagit-conformance")
}

fn bags(kind: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for version in ["v0.97", "v1.0"] {
        let dir = suite().join(version).join(kind);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(
        !found.is_empty(),
        "no {kind} bags found under {}",
        suite().display()
    );
    found
}

fn name(bag: &Path) -> String {
    let version = bag.parent().unwrap().parent().unwrap().file_name().unwrap();
    format!(
        "{}/{}",
        version.to_string_lossy(),
        bag.file_name().unwrap().to_string_lossy()
    )
}

#[test]
fn every_valid_bag_is_accepted() {
    for bag in bags("valid") {
        let checked = check(&Folder(bag.clone()));
        assert!(checked.is_ok(), "{}: {}", name(&bag), checked.unwrap_err());
        let checked = checked.unwrap();
        assert!(
            checked.warnings.is_empty(),
            "{}: {:?}",
            name(&bag),
            checked.warnings
        );
    }
}

#[test]
fn every_warning_bag_is_accepted_and_its_oddity_named() {
    let mut seen = Vec::new();
    for bag in bags("warning") {
        let checked = check(&Folder(bag.clone()));
        assert!(checked.is_ok(), "{}: {}", name(&bag), checked.unwrap_err());
        seen.push(format!(
            "{}: {}",
            name(&bag),
            checked.unwrap().warnings.len()
        ));
    }
    // A path starting with ./ is how the 0.97 draft's own examples wrote
    // them (a valid bag does so too): no warning for relative-path.
    expect_test::expect![[r#"
        v0.97/duplicate-file-with-different-case: 1
        v0.97/made-with-md5sum-tools: 4
        v0.97/relative-path: 0
        v0.97/same-filename-listed-twice-with-different-normalization: 1
        v0.97/same-filename-listed-twice-with-the-same-hash: 1
        v0.97/special-system-files: 2
    "#]]
    .assert_eq(&(seen.join("\n") + "\n"));
}

#[test]
fn every_invalid_bag_is_refused_for_its_own_reason() {
    let mut seen = Vec::new();
    for bag in bags("invalid").into_iter().chain(bags("linux-only")) {
        match check(&Folder(bag.clone())) {
            Ok(_) => panic!("{} was accepted", name(&bag)),
            Err(e) => seen.push(format!("{}: {}", name(&bag), reason(&e))),
        }
    }
    expect_test::expect![[r#"
        v0.97/baginfo-missing-encoding: BadBagitTxt
        v0.97/bom-in-bagit.txt: BomInBagitTxt
        v0.97/corrupt-data-file: ChecksumMismatch
        v0.97/corrupt-tag-file: ChecksumMismatch
        v0.97/extra-file-in-bag: NotListed
        v0.97/invalid-version-number: UnsupportedVersion
        v0.97/missing-baginfo: Missing
        v0.97/missing-bagit.txt: NoBagitTxt
        v0.97/out-of-scope-file-paths-using-dot-notation: OutsideScope
        v0.97/out-of-scope-file-paths-using-dot-notation-for-fetch: OutsideScope
        v0.97/same-filename-listed-twice-with-different-hashes: ListedTwice
        v1.0/bagit-with-invalid-whitespace: BadBagitTxt
        v1.0/notAllManifestsListAllFiles: NotListed
        v1.0/same-filename-listed-twice-with-different-hashes: ListedTwice
        v1.0/same-filename-listed-twice-with-the-same-hash: ListedTwice
        v0.97/out-of-scope-file-paths-using-absolute-path: OutsideScope
        v0.97/out-of-scope-file-paths-using-absolute-path-for-fetch: OutsideScope
        v0.97/out-of-scope-file-paths-using-shortcut: OutsideScope
        v0.97/out-of-scope-file-paths-using-shortcut-for-fetch: OutsideScope
        v0.97/out-of-scope-file-paths-using-shortcut-username: OutsideScope
        v0.97/out-of-scope-file-paths-using-shortcut-username-for-fetch: OutsideScope
    "#]]
    .assert_eq(&(seen.join("\n") + "\n"));
}

/// The kind of refusal, without the details that name fixture files.
fn reason(error: &BagError) -> String {
    let text = format!("{error:?}");
    text.split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// What the suite does not cover: a Payload-Oxum that does not add up,
/// and a bag with no payload manifest.
#[test]
fn a_wrong_oxum_and_a_missing_manifest_are_named() {
    let dir = std::env::temp_dir().join(format!("kluis-bag-oxum-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .unwrap();
    std::fs::write(dir.join("data/a.txt"), "hallo\n").unwrap();
    assert!(matches!(
        check(&Folder(dir.clone())),
        Err(BagError::NoPayloadManifest)
    ));
    std::fs::write(
        dir.join("manifest-sha256.txt"),
        "5f5cb6bd6d7e5a1fe3b7bd3d2e4e0f3a8b9a6c2d2c2b1b7d1e9a4b3c2d1e0f9a  data/a.txt\n",
    )
    .unwrap();
    assert!(matches!(
        check(&Folder(dir.clone())),
        Err(BagError::ChecksumMismatch { .. })
    ));
    // The real sha256sum, as the archivist's own tool computes it.
    let hallo = {
        use std::process::Command;
        let out = Command::new("sha256sum")
            .arg(dir.join("data/a.txt"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()[..64].to_owned()
    };
    std::fs::write(
        dir.join("manifest-sha256.txt"),
        format!("{hallo}  data/a.txt\n"),
    )
    .unwrap();
    std::fs::write(dir.join("bag-info.txt"), "Payload-Oxum: 7.1\n").unwrap();
    match check(&Folder(dir.clone())) {
        Err(BagError::OxumMismatch { stated, found }) => {
            assert_eq!((stated.as_str(), found.as_str()), ("7.1", "6.1"))
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(dir.join("bag-info.txt"), "Payload-Oxum: 6.1\n").unwrap();
    let checked = check(&Folder(dir.clone())).unwrap();
    assert_eq!((checked.payload_files, checked.payload_bytes), (1, 6));
    assert_eq!(checked.info("payload-oxum"), Some("6.1"));
    std::fs::remove_dir_all(dir).unwrap();
}
