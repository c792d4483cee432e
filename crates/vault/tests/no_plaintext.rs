//! After storing a known set of real chats, no name, phone number or word
//! of theirs is anywhere in the vault folder, in the temporary directory or
//! in the log: every byte is searched.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use kluis_vault::store::{MessageKind, NewMessage};
use kluis_vault::{KdfParams, LocalTime, SlotOwner, Vault};
use secrecy::SecretString;
use whatsapp_export::Kind;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/whatsapp/public"
);

/// The log, as the app's file would get it: everything the vault traces.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn exports(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            exports(&path, found);
        } else if path.extension().is_some_and(|e| e == "txt") {
            found.push(path);
        }
    }
}

fn files_below(dir: &Path, since: SystemTime, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            files_below(&path, since, found);
        } else if meta.is_file() && meta.modified().is_ok_and(|m| m >= since) {
            found.push(path);
        }
    }
}

#[test]
fn stored_chats_leave_no_plaintext_in_the_vault_the_temp_dir_or_the_log() {
    let started = SystemTime::now();
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = std::env::temp_dir().join(format!("kluis-no-plaintext-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let passphrase = SecretString::from("geheim wachtwoord".to_owned());
    let (vault, session, _) = Vault::create(&dir, &passphrase, KdfParams::FLOOR, 0).unwrap();
    session.lock(0).unwrap();
    let mut session = vault.unlock(&SlotOwner::Admin, &passphrase, 0).unwrap();

    let mut paths = Vec::new();
    exports(Path::new(FIXTURES), &mut paths);
    paths.sort();
    let mut needles: BTreeSet<String> = BTreeSet::new();
    let mut stored = 0;
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let Ok(export) = whatsapp_export::parse(&bytes) else {
            continue;
        };
        let chat_name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let blobs = session.blobs().unwrap();
        let mut blob = blobs.create().unwrap();
        blob.write_all(&bytes).unwrap();
        let original = blob.finish().unwrap();
        drop(blobs);
        let mut writer = session.store_mut().write().unwrap();
        let conversation = writer.add_conversation(&chat_name, 0).unwrap();
        writer.add_original(&original, &chat_name, 0).unwrap();
        for message in &export.messages {
            let t = message.timestamp;
            let at = LocalTime::from_parts(
                i32::from(t.year),
                t.month,
                t.day,
                t.hour,
                t.minute,
                t.second,
            )
            .unwrap();
            if let Some(author) = &message.author {
                writer.add_participant(conversation, author).unwrap();
                needles.insert(author.to_string());
            }
            let kind = match message.kind {
                Kind::System => MessageKind::System,
                Kind::Deleted => MessageKind::Deleted,
                Kind::Media => MessageKind::Media,
                Kind::Message => MessageKind::Text,
            };
            writer
                .add_message(
                    conversation,
                    &NewMessage {
                        at,
                        author: message.author.as_deref(),
                        kind,
                        text: &message.text,
                        attachment: message.attachment.as_deref(),
                    },
                )
                .unwrap();
            stored += 1;
            for word in message.text.split(|c: char| !c.is_alphanumeric()) {
                let digits = word.chars().filter(char::is_ascii_digit).count();
                if word.chars().count() >= 7 || digits >= 8 {
                    needles.insert(word.to_owned());
                }
            }
        }
        needles.insert(chat_name);
        writer.commit().unwrap();
    }
    // Searching works (so the index holds the words), then lock.
    assert!(stored > 1000, "only {stored} messages stored");
    session.lock(0).unwrap();
    drop(vault);

    let needles: Vec<String> = needles.into_iter().filter(|n| n.len() >= 4).collect();
    assert!(needles.len() > 500, "only {} needles", needles.len());
    let mut files = Vec::new();
    files_below(&dir, started, &mut files);
    let vault_files = files.len();
    files_below(&std::env::temp_dir(), started, &mut files);
    let mut places: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|f| Some((f.display().to_string(), std::fs::read(f).ok()?)))
        .collect();
    places.push(("the log".to_owned(), log.0.lock().unwrap().clone()));
    assert!(
        vault_files >= paths.len(),
        "the vault holds {vault_files} files"
    );
    let log_text = String::from_utf8_lossy(&places.last().unwrap().1).into_owned();
    assert!(
        log_text.contains("unlocked") && log_text.contains("blob written"),
        "{log_text}"
    );

    let mut leaks = Vec::new();
    for (place, bytes) in &places {
        for needle in &needles {
            if memchr::memmem::find(bytes, needle.as_bytes()).is_some() {
                leaks.push(format!("{needle:?} in {place}"));
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
        "{stored} messages from {} exports; {} needles searched in {} files and the log",
        paths.len(),
        needles.len(),
        places.len() - 1
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
