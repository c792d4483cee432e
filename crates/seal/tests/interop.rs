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
