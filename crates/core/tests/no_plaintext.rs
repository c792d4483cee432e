//! After importing a known set of real chats, no name, phone number or word
//! of theirs is anywhere in the vault folder, in the temporary directory or
//! in the log: every byte is searched. The import is the real one
//! (`kluis_core::import`), so the path from export file to vault is covered.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kluis_vault::{KdfParams, SlotOwner, Vault};
use secrecy::SecretString;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/whatsapp/public"
);

fn exports(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            exports(&path, found);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "zip") {
            found.push(path);
        }
    }
}

fn files_below(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            files_below(&path, found);
        } else if meta.is_file() {
            found.push(path);
        }
    }
}

const CHILD_ROLE: &str = "KLUIS_NO_PLAINTEXT_STORE";

/// The test runs itself a second time to do the storing, with a temporary
/// directory of its own (TMPDIR) and its log in a file, so that every byte
/// it could have left anywhere is in three places this test can read whole.
#[test]
fn stored_chats_leave_no_plaintext_in_the_vault_the_temp_dir_or_the_log() {
    if let Some(work) = std::env::var_os(CHILD_ROLE) {
        store_the_fixtures(Path::new(&work));
        return;
    }
    let work = std::env::temp_dir().join(format!("kluis-no-plaintext-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let temp = work.join("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "stored_chats_leave_no_plaintext_in_the_vault_the_temp_dir_or_the_log",
            "--test-threads=1",
        ])
        .env(CHILD_ROLE, &work)
        .env("TMPDIR", &temp)
        .status()
        .unwrap();
    assert!(status.success(), "the storing process failed");

    let mut paths = Vec::new();
    exports(Path::new(FIXTURES), &mut paths);
    let mut needles: BTreeSet<String> = BTreeSet::new();
    for path in &paths {
        let Ok(export) = whatsapp_export::parse(&std::fs::read(path).unwrap()) else {
            continue;
        };
        needles.insert(path.file_stem().unwrap().to_string_lossy().into_owned());
        for message in &export.messages {
            needles.extend(message.author.iter().map(|a| a.to_string()));
            for word in message.text.split(|c: char| !c.is_alphanumeric()) {
                let digits = word.chars().filter(char::is_ascii_digit).count();
                if word.chars().count() >= 7 || digits >= 8 {
                    needles.insert(word.to_owned());
                }
            }
        }
    }
    // Words of Kluis's own file formats (`kluis-outside/1`), not a citizen's.
    let own = ["outside"];
    let needles: Vec<String> = needles
        .into_iter()
        .filter(|n| n.len() >= 4 && !own.contains(&n.as_str()))
        .collect();
    assert!(needles.len() > 500, "only {} needles", needles.len());

    let mut files = Vec::new();
    files_below(&work, &mut files);
    let log = work.join("kluis.log");
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("unlocked")
            && log_text.contains("blob written")
            && log_text.contains("imported an export"),
        "{log_text}"
    );
    let blobs = files
        .iter()
        .filter(|f| f.starts_with(work.join("vault/blobs")))
        .count();
    assert!(blobs >= 60, "the vault holds {blobs} blobs");
    let mut leaks = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for needle in &needles {
            if memchr::memmem::find(&bytes, needle.as_bytes()).is_some() {
                leaks.push(format!("{needle:?} in {}", file.display()));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks, first: {:?}",
        leaks.len(),
        &leaks[..leaks.len().min(10)]
    );
    eprintln!(
        "{} exports; {} needles searched in {} files (vault, TMPDIR, log)",
        paths.len(),
        needles.len(),
        files.len()
    );
    std::fs::remove_dir_all(&work).unwrap();
}

/// The storing process: every fixture export as a conversation and its
/// original file, with everything the vault traces going to `kluis.log`.
fn store_the_fixtures(work: &Path) {
    assert_eq!(
        std::env::temp_dir(),
        work.join("tmp"),
        "TMPDIR is not in effect"
    );
    let log = std::fs::File::create(work.join("kluis.log")).unwrap();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(Mutex::new(log))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = work.join("vault");
    let passphrase = SecretString::from("geheim wachtwoord".to_owned());
    let (vault, session, _) = Vault::create(&dir, &passphrase, KdfParams::FLOOR, 0).unwrap();
    session.lock(0).unwrap();
    let mut session = vault.unlock(&SlotOwner::Admin, &passphrase, 0).unwrap();
    let mut paths = Vec::new();
    exports(Path::new(FIXTURES), &mut paths);
    paths.sort();
    let mut stored = 0;
    for path in &paths {
        match kluis_core::import::import_file(&mut session, path, 0) {
            Ok(report) => stored += report.new_messages,
            Err(error) => assert!(error.is_the_files_fault(), "{error}"),
        }
    }
    assert!(stored > 1000, "only {stored} messages stored");
    session.lock(0).unwrap();
}
