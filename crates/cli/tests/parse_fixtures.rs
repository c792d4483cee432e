//! `kluis parse --json` on every public export fixture, as snapshots.
//!
//! Each fixture's output (stderr warnings first, then stdout) is kept in
//! `tests/snapshots/parse/<fixture path>.json`. A change in output fails the
//! test; after checking the difference, `UPDATE_EXPECT=1 cargo test -p
//! kluis-cli --test parse_fixtures` rewrites the snapshots.

use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/whatsapp/public"
);
const SNAPSHOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/parse");

fn exports(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            exports(&path, found);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "zip") && !is_licence(&path) {
            found.push(path);
        }
    }
}

fn is_licence(path: &Path) -> bool {
    path.file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("LICENSE")
}

fn kluis_parse_json(path: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kluis"))
        .args(["parse", "--json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}: {output:?}", path.display());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Warnings name the file by the path given; keep snapshots independent of it.
    let stderr = stderr.replace(&path.display().to_string(), "FILE");
    let warnings: String = stderr.lines().map(|l| format!("# {l}\n")).collect();
    format!("{warnings}{stdout}")
}

#[test]
fn every_public_fixture_parses_as_recorded() {
    let mut found = Vec::new();
    exports(Path::new(FIXTURES), &mut found);
    assert!(found.len() >= 60, "fixtures missing: found {}", found.len());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for path in &found {
        let relative = path.strip_prefix(FIXTURES).unwrap();
        // `chat.txt` and `chat.zip` (same stem) get separate snapshots.
        let snapshot = Path::new(SNAPSHOTS).join(relative);
        let snapshot = match snapshot.extension().and_then(|e| e.to_str()) {
            Some("zip") => snapshot.with_extension("zip.json"),
            _ => snapshot.with_extension("json"),
        };
        let actual = kluis_parse_json(path);
        if update {
            std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
            std::fs::write(&snapshot, &actual).unwrap();
        } else if std::fs::read_to_string(&snapshot).ok().as_deref() != Some(actual.as_str()) {
            stale.push(relative.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "output differs from the snapshot for {} fixture(s): {stale:#?}\n\
         check with UPDATE_EXPECT=1 cargo test -p kluis-cli --test parse_fixtures && git diff",
        stale.len()
    );
}
