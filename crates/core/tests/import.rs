//! Import as the employee meets it: real fixture exports in real folders,
//! a real vault (SQLCipher, blobs), the real inbox with its quarantine.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kluis_core::import::inbox::{Inbox, Outcome, Watch};
use kluis_core::import::{ImportError, Warning, import_file};
use kluis_vault::store::{ConversationId, VersionKind};
use kluis_vault::{KdfParams, Session, Vault};
use secrecy::SecretString;

const NOW: i64 = 1_795_000_000;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/whatsapp/public")
        .join(path)
}

/// A fresh folder for one test, with a vault in `vault/` and room beside it.
struct World {
    root: PathBuf,
    _vault: Vault,
    session: Session,
}

impl World {
    fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("kluis-import-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        let passphrase = SecretString::from("beheerder wachtwoord".to_owned());
        let (vault, session, _) =
            Vault::create(&root.join("vault"), &passphrase, KdfParams::FLOOR, NOW).unwrap();
        Self {
            root,
            _vault: vault,
            session,
        }
    }

    /// Writes `bytes` as `name` under `folder` (created) and returns its path.
    fn file(&self, folder: &str, name: &str, bytes: &[u8]) -> PathBuf {
        let dir = self.root.join(folder);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    fn import(&mut self, path: &Path) -> kluis_core::import::ImportReport {
        import_file(&mut self.session, path, NOW).unwrap()
    }

    /// A conversation as (time, author, text), in order.
    fn conversation(&self, id: ConversationId) -> Vec<(i64, Option<String>, String)> {
        self.session
            .store()
            .messages(id, i64::MIN, usize::MAX)
            .unwrap()
            .into_iter()
            .map(|m| (m.id.time().seconds(), m.author, m.text))
            .collect()
    }

    fn message_count(&self) -> i64 {
        self.session.store().counts().unwrap().1
    }

    /// Every file below the test's folder, outside the vault.
    fn files_outside_the_vault(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path == self.root.join("vault") {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                } else {
                    found.push(path.strip_prefix(&self.root).unwrap().to_owned());
                }
            }
        }
        found.sort();
        found
    }
}

/// What the parser reads from `bytes`, as [`World::conversation`] shows it.
fn parsed(bytes: &[u8]) -> Vec<(i64, Option<String>, String)> {
    whatsapp_export::parse(bytes)
        .unwrap()
        .messages
        .iter()
        .map(|m| {
            let new = kluis_core::import::new_message(m, None).unwrap();
            (
                new.at.seconds(),
                new.author.map(str::to_owned),
                new.text.to_owned(),
            )
        })
        .collect()
}

/// Lines `from..to` of a fixture (each lorem message is one line).
fn lines(bytes: &[u8], from: usize, to: usize) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let mut out = String::new();
    for line in text.lines().skip(from).take(to - from) {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

const CHAT: &str = "WhatsApp Chat with Lorem.txt";

#[test]
fn overlapping_exports_give_the_union_once_and_a_cut_export_adds_nothing() {
    let mut world = World::new("overlap");
    let full = fs::read(fixture("whatstk/lorem.txt")).unwrap();
    let first = world.file("phone-monday", CHAT, &lines(&full, 0, 300));
    let second = world.file("phone-tuesday", CHAT, &lines(&full, 200, 500));
    // WhatsApp cut the oldest part: the newest 150 only.
    let third = world.file("phone-friday", CHAT, &lines(&full, 350, 500));

    let one = world.import(&first);
    assert_eq!(
        (one.new_messages, one.already, one.new_conversation),
        (300, 0, true)
    );
    let two = world.import(&second);
    assert_eq!(
        (two.new_messages, two.already, two.new_conversation),
        (200, 100, false)
    );
    assert_eq!(two.conversation, one.conversation);
    let three = world.import(&third);
    assert_eq!((three.new_messages, three.already), (0, 150));
    assert!(three.warnings.is_empty(), "{:?}", three.warnings);

    assert_eq!(world.conversation(one.conversation), parsed(&full));
    assert_eq!(world.message_count(), 500);
    // Each distinct file is kept once, byte-exact.
    assert_eq!(world.session.store().originals().unwrap().len(), 3);
}

#[test]
fn an_older_export_imported_later_goes_in_front() {
    let mut world = World::new("older-later");
    let full = fs::read(fixture("whatstk/lorem.txt")).unwrap();
    let newer = world.file("a", CHAT, &lines(&full, 200, 500));
    let older = world.file("b", CHAT, &lines(&full, 0, 300));
    let first = world.import(&newer);
    let second = world.import(&older);
    assert_eq!((second.new_messages, second.already), (200, 100));
    assert_eq!(world.conversation(first.conversation), parsed(&full));
    let stored = world
        .session
        .store()
        .messages(first.conversation, i64::MIN, 1)
        .unwrap();
    assert_eq!(stored[0].seq, -200, "the older part takes places below 0");
}

#[test]
fn the_same_file_twice_gives_0_new_and_keeps_one_original() {
    let mut world = World::new("twice");
    let path = fixture(
        "minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt",
    );
    let first = world.import(&path);
    assert!(first.new_messages > 0);
    assert_eq!(first.chat_name, "Test export");
    let audit_before = kluis_vault::audit::recent(world.session.store(), 1000)
        .unwrap()
        .len();
    let again = world.import(&path);
    assert_eq!((again.new_messages, again.already), (0, first.new_messages));
    assert_eq!(again.original, first.original);
    assert_eq!(world.session.store().originals().unwrap().len(), 1);
    // The second import is still on record.
    let audit = kluis_vault::audit::recent(world.session.store(), 1000).unwrap();
    assert_eq!(audit.len(), audit_before + 1);
    assert!(audit[0].detail.contains("0 new"), "{:?}", audit[0].detail);
}

#[test]
fn identical_messages_in_the_same_minute_are_kept() {
    let mut world = World::new("identical");
    let chat =
        "13-05-2022 09:00 - Eva: ok\n13-05-2022 09:00 - Eva: ok\n13-05-2022 09:00 - Eva: ok\n";
    let longer = format!("{chat}13-05-2022 09:01 - Gemeente: Dank u\n");
    let first = world.file("a", CHAT, chat.as_bytes());
    let second = world.file("b", CHAT, longer.as_bytes());
    world.import(&first);
    let report = world.import(&second);
    assert_eq!((report.new_messages, report.already), (1, 3));
    assert_eq!(world.message_count(), 4);
}

#[test]
fn exports_that_do_not_meet_leave_a_visible_gap() {
    let mut world = World::new("gap");
    let part1 = fs::read(fixture("whatstk/lorem-merge-part1.txt")).unwrap();
    let part2 = fs::read(fixture("whatstk/lorem-merge-part2.txt")).unwrap();
    let later = world.file("a", CHAT, &part2);
    let earlier = world.file("b", CHAT, &part1);
    let first = world.import(&later);
    let second = world.import(&earlier);
    assert_eq!(second.warnings, vec![Warning::GapAfter]);
    let id = first.conversation;
    // The gap sits before the first message of the later part.
    let gaps = world.session.store().gaps(id).unwrap();
    let messages = world
        .session
        .store()
        .messages(id, i64::MIN, usize::MAX)
        .unwrap();
    assert_eq!(gaps.len(), 1);
    let at = messages.iter().position(|m| m.seq == gaps[0]).unwrap();
    assert_eq!(at, 300);
    let mut whole = parsed(&part1);
    whole.extend(parsed(&part2));
    assert_eq!(world.conversation(id), whole);
}

#[test]
fn the_same_name_with_other_participants_stays_apart_until_merged() {
    let mut world = World::new("same-name");
    let a = world.file("a", CHAT, b"13-05-2022 09:00 - Eva: hallo\n");
    let b = world.file("b", CHAT, b"14-05-2022 10:00 - Piet: goedemorgen\n");
    let first = world.import(&a);
    let second = world.import(&b);
    assert_ne!(first.conversation, second.conversation);
    assert_eq!(second.warnings, vec![Warning::SameNameOtherParticipants]);
    kluis_core::import::merge_conversations(
        &mut world.session,
        first.conversation,
        second.conversation,
        NOW,
    )
    .unwrap();
    let merged = world.conversation(first.conversation);
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[1].2, "goedemorgen");
    assert_eq!(world.session.store().conversations().unwrap().len(), 1);
    let mut names = world
        .session
        .store()
        .participants(first.conversation)
        .unwrap();
    names.sort();
    assert_eq!(names, ["Eva", "Piet"]);
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn read_blob(session: &Session, id: kluis_vault::blob::BlobId) -> Vec<u8> {
    let mut bytes = Vec::new();
    session
        .blobs()
        .unwrap()
        .open_blob(id)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

#[test]
fn a_zip_is_kept_byte_exact_with_its_media_and_a_missing_file_is_marked() {
    let mut world = World::new("zip-media");
    let photo = b"\xff\xd8\xff\xe0 not really a jpeg".as_slice();
    let chat = "13-05-2022 09:00 - Eva: IMG-20220513-WA0001.jpg (bestand bijgevoegd)\n\
                13-05-2022 09:01 - Eva: IMG-20220513-WA0002.jpg (bestand bijgevoegd)\n\
                13-05-2022 09:02 - Gemeente: Dank u, we kijken ernaar\n";
    let bytes = zip(&[
        ("WhatsApp-chat met Eva.txt", chat.as_bytes()),
        ("IMG-20220513-WA0001.jpg", photo),
    ]);
    let path = world.file("in", "WhatsApp-chat met Eva.zip", &bytes);
    let report = world.import(&path);
    assert_eq!(report.chat_name, "Eva");
    assert_eq!(
        (
            report.new_messages,
            report.media_stored,
            report.media_missing
        ),
        (3, 1, 1)
    );
    let original = &world.session.store().originals().unwrap()[0];
    assert_eq!(read_blob(&world.session, original.blob), bytes);
    let media = world.session.store().media(report.conversation).unwrap();
    assert_eq!(media.len(), 2);
    assert_eq!(media[0].1, "IMG-20220513-WA0001.jpg");
    assert_eq!(read_blob(&world.session, media[0].2.unwrap()), photo);
    assert_eq!(media[1].1, "IMG-20220513-WA0002.jpg");
    assert_eq!(
        media[1].2, None,
        "the file the export lacks is marked missing"
    );
}

#[test]
fn a_re_export_with_media_supplies_the_files_an_export_without_them_lacked() {
    let mut world = World::new("supply");
    let without =
        "13-05-2022 09:00 - Eva: <Media weggelaten>\n13-05-2022 09:02 - Gemeente: Dank u\n";
    let with = "13-05-2022 09:00 - Eva: IMG-1.jpg (bestand bijgevoegd)\n13-05-2022 09:02 - Gemeente: Dank u\n";
    let first = world.file("a", CHAT, without.as_bytes());
    let dir = world.root.join("b");
    let second = world.file("b", CHAT, with.as_bytes());
    fs::write(dir.join("IMG-1.jpg"), b"photo").unwrap();
    world.import(&first);
    let report = world.import(&second);
    assert_eq!(
        (report.new_messages, report.already, report.media_stored),
        (0, 2, 1)
    );
    let media = world.session.store().media(report.conversation).unwrap();
    assert_eq!(media.len(), 1);
    assert_eq!(read_blob(&world.session, media[0].2.unwrap()), b"photo");
}

#[test]
fn a_chat_text_cannot_reach_files_outside_its_folder() {
    let mut world = World::new("reach");
    world.file("", "secret.jpg", b"not for the vault");
    let chat = "13-05-2022 09:00 - Eva: ../secret.jpg (bestand bijgevoegd)\n";
    let path = world.file("in", CHAT, chat.as_bytes());
    let report = world.import(&path);
    assert_eq!((report.media_stored, report.media_missing), (0, 1));
}

#[test]
fn hostile_and_foreign_files_are_refused_as_the_files_fault_and_store_nothing() {
    let mut world = World::new("hostile");
    let mut slip = zip(&[
        ("_chat.txt", b"13-05-2022 09:00 - Eva: hallo\n".as_slice()),
        ("xx/evil.sh", b"rm -rf ~".as_slice()),
    ]);
    // The zip writer will not write `..`; patch both copies of the name.
    for i in 0..slip.len() - 2 {
        if &slip[i..i + 3] == b"xx/" {
            slip[i..i + 2].copy_from_slice(b"..");
        }
    }
    let slip = world.file("in", "WhatsApp Chat - Eva.zip", &slip);
    let not_a_zip = world.file("in", "WhatsApp Chat - Piet.zip", b"PK\x03\x04 half a zip");
    let not_a_chat = world.file("in", "notes.txt", b"boodschappen: melk, brood\n");
    let files_before = world.files_outside_the_vault();
    for (path, expect) in [
        (&slip, "climbs out of the folder"),
        (&not_a_zip, "not a readable zip"),
        (&not_a_chat, "not a WhatsApp chat export"),
    ] {
        let error = import_file(&mut world.session, path, NOW).unwrap_err();
        assert!(error.is_the_files_fault(), "{error}");
        assert!(error.to_string().contains(expect), "{error}");
    }
    assert_eq!(world.message_count(), 0);
    assert!(world.session.store().originals().unwrap().is_empty());
    assert!(world.session.blobs().unwrap().ids().unwrap().is_empty());
    assert_eq!(world.files_outside_the_vault(), files_before);
    let gone = import_file(&mut world.session, &world.root.join("in/gone.txt"), NOW).unwrap_err();
    assert!(matches!(gone, ImportError::Vanished));
    assert!(
        !gone.is_the_files_fault(),
        "a vanished file is retried, not set aside"
    );
}

/// Passes over the inbox until nothing is settling, as `kluis inbox` does.
fn drain(watch: &mut Watch, session: &mut Session) -> Vec<Outcome> {
    let mut all = Vec::new();
    for _ in 0..400 {
        let (outcomes, settling) = watch.pass(session, NOW).unwrap();
        all.extend(outcomes);
        if !settling {
            return all;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("the inbox never settled");
}

#[test]
fn the_inbox_waits_for_a_slowly_written_file_and_imports_it_once_complete() {
    let mut world = World::new("slow");
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(Duration::from_millis(600));
    inbox.prepare().unwrap();
    assert_eq!(inbox.quarantine(), world.root.join("Kluis-quarantine"));
    let full = fs::read(fixture("whatstk/lorem.txt")).unwrap();
    let path = inbox.dir().join(CHAT);
    let writer = {
        let full = full.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            let mut file = fs::File::create(&path).unwrap();
            for piece in full.chunks(full.len() / 10 + 1) {
                file.write_all(piece).unwrap();
                file.flush().unwrap();
                std::thread::sleep(Duration::from_millis(150));
            }
        })
    };
    let mut watch = Watch::new(inbox.clone());
    let mut outcomes = Vec::new();
    while !writer.is_finished() {
        outcomes.extend(watch.pass(&mut world.session, NOW).unwrap().0);
        std::thread::sleep(Duration::from_millis(20));
    }
    writer.join().unwrap();
    outcomes.extend(drain(&mut watch, &mut world.session));
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    let Outcome::Imported {
        reports,
        left_behind,
        ..
    } = &outcomes[0]
    else {
        panic!("{outcomes:?}");
    };
    assert!(left_behind.is_empty(), "{left_behind:?}");
    assert_eq!(reports[0].new_messages, 500);
    assert_eq!(world.conversation(reports[0].conversation), parsed(&full));
    assert!(!path.exists(), "the plaintext left the inbox");
    assert!(fs::read_dir(inbox.dir()).unwrap().next().is_none());
}

#[test]
fn the_inbox_sets_refused_files_aside_with_a_reason_and_keeps_a_folders_strays() {
    let mut world = World::new("quarantine");
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(Duration::from_millis(100));
    inbox.prepare().unwrap();
    let hostile = {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        writer.start_file("_chat.txt", options).unwrap();
        writer
            .write_all(b"13-05-2022 09:00 - Eva: hallo\n")
            .unwrap();
        writer
            .add_symlink("IMG.jpg", "/etc/passwd", options)
            .unwrap();
        writer.finish().unwrap().into_inner()
    };
    fs::write(inbox.dir().join("WhatsApp Chat - Eva.zip"), &hostile).unwrap();
    let folder = inbox.dir().join("Export Piet");
    fs::create_dir(&folder).unwrap();
    fs::write(
        folder.join("WhatsApp-chat met Piet.txt"),
        "14-05-2022 10:00 - Piet: zie foto\n14-05-2022 10:01 - Piet: IMG-1.jpg (bestand bijgevoegd)\n",
    )
    .unwrap();
    fs::write(folder.join("IMG-1.jpg"), b"photo").unwrap();
    fs::write(folder.join("vakantie.mov"), b"not named by the chat").unwrap();

    let mut watch = Watch::new(inbox.clone());
    let outcomes = drain(&mut watch, &mut world.session);
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert!(
        matches!(&outcomes[0], Outcome::Imported { reports, left_behind, .. }
            if reports[0].media_stored == 1 && left_behind.is_empty()),
        "{outcomes:?}"
    );
    let Outcome::Quarantined {
        reason, moved_to, ..
    } = &outcomes[1]
    else {
        panic!("{outcomes:?}");
    };
    assert!(reason.text.contains("symbolic link"), "{reason}");
    assert_eq!(reason.kind, "zip-refused");
    assert_eq!(fs::read(moved_to).unwrap(), hostile, "set aside unchanged");
    // The inbox is empty; the quarantine holds the zip and the stray, each
    // with its reason.
    assert!(fs::read_dir(inbox.dir()).unwrap().next().is_none());
    let aside = inbox.quarantined().unwrap();
    let names: Vec<String> = aside
        .iter()
        .map(|q| q.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["WhatsApp Chat - Eva.zip", "vakantie.mov"]);
    // The notes say why in words for IT, and by kind for the window.
    let reason = |i: usize| aside[i].reason.clone().unwrap();
    assert!(reason(0).text.contains("symbolic link"), "{:?}", aside[0]);
    assert_eq!(reason(0).kind, "zip-refused");
    assert!(reason(1).text.contains("no chat"), "{:?}", aside[1]);
    assert_eq!(reason(1).kind, "stray");
    // Nothing anywhere else.
    let mut outside = world.files_outside_the_vault();
    outside.retain(|p| !p.starts_with("Kluis-quarantine"));
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn a_half_written_zip_is_waited_for() {
    let mut world = World::new("half-zip");
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(Duration::from_millis(50));
    inbox.prepare().unwrap();
    let whole = zip(&[("_chat.txt", b"13-05-2022 09:00 - Eva: hallo\n".as_slice())]);
    let path = inbox.dir().join("WhatsApp Chat - Eva.zip");
    fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let mut watch = Watch::new(inbox.clone());
    std::thread::sleep(Duration::from_millis(100));
    let (outcomes, settling) = watch.pass(&mut world.session, NOW).unwrap();
    assert!(outcomes.is_empty() && settling, "{outcomes:?}");
    fs::write(&path, &whole).unwrap();
    let outcomes = drain(&mut watch, &mut world.session);
    assert!(
        matches!(&outcomes[..], [Outcome::Imported { reports, .. }] if reports[0].new_messages == 1),
        "{outcomes:?}"
    );
}

#[test]
fn a_copy_number_joins_only_when_the_messages_overlap() {
    let mut world = World::new("copy-number");
    let full = fs::read(fixture("whatstk/lorem.txt")).unwrap();
    let first = world.file("a", CHAT, &lines(&full, 0, 300));
    // Saved beside the first export, so the phone added a number.
    let copy = world.file(
        "a",
        "WhatsApp Chat with Lorem (1).txt",
        &lines(&full, 200, 500),
    );
    // Another citizen whose contact has the same name (the generator's
    // namesakes): the same participants, but nothing in common.
    let namesake = world.file(
        "a",
        "WhatsApp Chat with Lorem (2).txt",
        b"13-05-2022 09:00 - John: Is de milieustraat open?\n",
    );
    let one = world.import(&first);
    let two = world.import(&copy);
    assert_eq!(
        (two.conversation, two.new_messages),
        (one.conversation, 200)
    );
    let three = world.import(&namesake);
    assert_ne!(three.conversation, one.conversation);
    assert!(three.new_conversation);
    assert_eq!(three.chat_name, "Lorem (2)");
    assert!(three.warnings.is_empty(), "{:?}", three.warnings);
    // A namesake with one look-alike message (the same words by the same
    // name in the same minute) among its own is still another citizen.
    let text = std::str::from_utf8(&full).unwrap();
    let look_alike = text.lines().nth(250).unwrap();
    let (day, _) = look_alike.split_once(' ').unwrap();
    let own = |time: &str, words: &str| format!("{day} {time}] John: {words}\n");
    let namesake = format!(
        "{}{look_alike}\n{}",
        own("00:00:01", "Is de milieustraat open?"),
        own("23:59:59", "Dank u wel.")
    );
    let namesake = world.file("a", "WhatsApp Chat with Lorem (3).txt", namesake.as_bytes());
    let four = world.import(&namesake);
    assert!(four.new_conversation, "a namesake joined on one look-alike");
    assert_eq!(four.new_messages, 3);
}

/// A copy that stalls halfway (a slow USB stick: here a real `sh` whose
/// `cat` of the second half waits for a line on its input) is quiet for
/// far longer than the settle time, yet its writer still has it open: it
/// is not taken until the writer closed it, then imported whole.
#[test]
fn a_stalled_copy_is_not_taken_while_its_writer_holds_it_open() {
    let mut world = World::new("stalled");
    let settle = Duration::from_millis(50);
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(settle);
    inbox.prepare().unwrap();
    let full = fs::read(fixture("whatstk/lorem.txt")).unwrap();
    let half = full.len() / 2;
    let first = world.file("parts", "first", &full[..half]);
    let second = world.file("parts", "second", &full[half..]);
    let path = inbox.dir().join(CHAT);
    let mut writer = std::process::Command::new("sh")
        .arg("-c")
        .arg("cat \"$0\"; read go; cat \"$1\"")
        .arg(&first)
        .arg(&second)
        .stdin(std::process::Stdio::piped())
        .stdout(fs::File::create(&path).unwrap())
        .spawn()
        .unwrap();
    while fs::metadata(&path).unwrap().len() < half as u64 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut watch = Watch::new(inbox.clone());
    // Ten settle times of quiet: a file with a writer is never taken.
    for _ in 0..20 {
        let (outcomes, settling) = watch.pass(&mut world.session, NOW).unwrap();
        assert!(
            outcomes.is_empty(),
            "taken while being written: {outcomes:?}"
        );
        assert!(settling);
        std::thread::sleep(settle / 2);
    }
    writer.stdin.take().unwrap().write_all(b"\n").unwrap();
    assert!(writer.wait().unwrap().success());
    let outcomes = drain(&mut watch, &mut world.session);
    let [
        Outcome::Imported {
            reports,
            left_behind,
            ..
        },
    ] = &outcomes[..]
    else {
        panic!("{outcomes:?}");
    };
    assert!(left_behind.is_empty(), "{left_behind:?}");
    assert_eq!(reports[0].new_messages, 500);
    assert!(!path.exists());
}

/// A FIFO named like an export, and a link to one, are set aside without
/// being opened (an open would wait for a writer, holding the vault). The
/// test holds the FIFO's other end: a reader opening it would show.
#[test]
fn a_fifo_or_a_link_to_one_is_set_aside_without_being_opened() {
    let mut world = World::new("fifo");
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(Duration::from_millis(50));
    inbox.prepare().unwrap();
    let fifo = inbox.dir().join("WhatsApp Chat - Pijp.zip");
    let outside = world.root.join("pijp");
    for path in [&fifo, &outside] {
        assert!(
            std::process::Command::new("mkfifo")
                .arg(path)
                .status()
                .unwrap()
                .success()
        );
    }
    std::os::unix::fs::symlink(&outside, inbox.dir().join("WhatsApp Chat - Link.zip")).unwrap();
    let mut watch = Watch::new(inbox.clone());
    let opened = std::thread::scope(|scope| {
        let pass = scope.spawn(|| drain(&mut watch, &mut world.session));
        let mut opened = false;
        while !pass.is_finished() {
            for path in [&fifo, &outside] {
                use std::os::unix::fs::OpenOptionsExt;
                // Opening the writing end without blocking succeeds only
                // while someone has it open for reading; closing it at
                // once lets a blocked reader go on.
                opened |= fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(0o4000)
                    .open(path)
                    .is_ok();
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        (opened, pass.join().unwrap())
    });
    let (opened, outcomes) = opened;
    assert!(!opened, "the inbox opened a FIFO");
    let kinds: Vec<&str> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Quarantined { reason, .. } => reason.kind.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["symlink", "not-a-file"]);
    assert!(fs::read_dir(inbox.dir()).unwrap().next().is_none());
    assert!(
        world
            .root
            .join("Kluis-quarantine/WhatsApp Chat - Pijp.zip")
            .exists()
    );
}

/// An export with a second name (a hard link) elsewhere: the inbox's name
/// is removed, the file is not zeroed (that would destroy the other name's
/// bytes), and the import says so.
#[test]
fn a_hard_linked_export_is_removed_but_not_overwritten() {
    let mut world = World::new("hardlink");
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(Duration::from_millis(10));
    inbox.prepare().unwrap();
    let full = fs::read(fixture("whatstk/lorem.txt")).unwrap();
    let kept = world.file("elders", "bewaard.txt", &full);
    fs::hard_link(&kept, inbox.dir().join(CHAT)).unwrap();
    let mut watch = Watch::new(inbox.clone());
    let outcomes = drain(&mut watch, &mut world.session);
    let [Outcome::Imported { left_behind, .. }] = &outcomes[..] else {
        panic!("{outcomes:?}");
    };
    assert!(
        matches!(
            &left_behind[..],
            [kluis_core::import::inbox::Remains::NotOverwritten { .. }]
        ),
        "{left_behind:?}"
    );
    assert!(!inbox.dir().join(CHAT).exists());
    assert_eq!(fs::read(&kept).unwrap(), full, "the other name was zeroed");
}

/// Eva Jansen's chat (`tests/fixtures/whatsapp/kluis`) as the phone
/// exports it later, without media: `<Media weggelaten>` for each file,
/// the photo's caption kept, and what `changes` makes of the lines.
fn eva_without_media(changes: &[(&str, &str)], more: &str) -> Vec<u8> {
    let mut text = String::from(
        "23-11-2026 09:00 - Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.\n\
         23-11-2026 09:05 - Eva Jansen: Er ligt een losse stoeptegel voor Dorpsstraat 4.\n\
         23-11-2026 09:06 - Eva Jansen: <Media weggelaten>\nHier is een foto\n\
         23-11-2026 09:07 - Eva Jansen: <Media weggelaten>\n\
         23-11-2026 09:08 - Eva Jansen: <Media weggelaten>\n\
         23-11-2026 09:09 - Eva Jansen: <Media weggelaten>\n\
         23-11-2026 09:15 - Gemeente Voorbeeld: Dank u, we sturen iemand langs.\n",
    );
    for (from, to) in changes {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    text.push_str(more);
    text.into_bytes()
}

/// Eva Jansen's chat exported with its media, copied into the world.
fn eva_with_media(world: &World) -> PathBuf {
    const ZIP: &str = "WhatsApp-chat met Eva Jansen.zip";
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/whatsapp/kluis");
    world.file("mon", ZIP, &fs::read(fixture.join(ZIP)).unwrap())
}

const EVA: &str = "WhatsApp-chat met Eva Jansen.txt";
const LATER: &str = "08-12-2026 10:00 - Eva Jansen: Hij ligt er nog steeds.\n";
const STONE: &str = "Er ligt een losse stoeptegel voor Dorpsstraat 4.";

#[test]
fn re_exports_without_media_with_deletions_and_edits_keep_each_message_once() {
    let mut world = World::new("re-exports");
    let zip = eva_with_media(&world);
    let first = world.import(&zip);
    assert_eq!((first.new_messages, first.media_stored), (7, 3));
    let id = first.conversation;
    let texts = |world: &World| -> Vec<String> {
        world.conversation(id).into_iter().map(|m| m.2).collect()
    };

    // The same chat without media, one message later.
    let without = world.file("tue", EVA, &eva_without_media(&[], LATER));
    let report = world.import(&without);
    assert_eq!((report.new_messages, report.already), (1, 7));
    assert_eq!(report.differed.total(), 0);
    assert_eq!(texts(&world).len(), 8);
    assert_eq!(
        texts(&world)[7],
        "Hij ligt er nog steeds.",
        "the newest message is last"
    );

    // The citizen deleted a message, the phone deleted the file for itself,
    // and the citizen edited the newest.
    let changed = eva_without_media(
        &[
            (STONE, "Dit bericht is verwijderd"),
            ("23-11-2026 09:08 - Eva Jansen: <Media weggelaten>\n", ""),
        ],
        "08-12-2026 10:00 - Eva Jansen: Hij ligt er nog steeds, bij nummer 4. <Dit bericht is bewerkt>\n",
    );
    let report = world.import(&world.file("wed", EVA, &changed));
    assert_eq!((report.new_messages, report.already), (0, 7));
    assert_eq!(
        (report.differed.deleted_later, report.differed.edited),
        (1, 1)
    );
    assert!(
        report
            .audit_detail()
            .contains("1 deleted by the citizen since (text kept)"),
        "{}",
        report.audit_detail()
    );
    let now = texts(&world);
    assert_eq!(now.len(), 8, "each message once");
    assert_eq!(now[1], STONE, "the deleted message keeps its text");
    assert_eq!(
        now[7],
        "Hij ligt er nog steeds, bij nummer 4. <Dit bericht is bewerkt>"
    );
    let versions = world.session.store().versions(id).unwrap();
    let kept: Vec<(VersionKind, &str)> =
        versions.iter().map(|v| (v.why, v.text.as_str())).collect();
    assert_eq!(
        kept,
        [
            (VersionKind::DeletedLater, "Dit bericht is verwijderd"),
            (VersionKind::BeforeEdit, "Hij ligt er nog steeds."),
        ]
    );

    // The reading pane shows the kept text with what became of it.
    let reading = kluis_core::lock::Now {
        utc: NOW,
        offset: 3600,
    };
    let shown = kluis_core::console::open(world.session.store(), id, reading)
        .unwrap()
        .unwrap();
    let stone = &shown.messages[1];
    assert_eq!(stone.text.expose(), STONE);
    assert!(!stone.deleted && !stone.edited);
    let whys: Vec<VersionKind> = stone.versions.iter().map(|v| v.why).collect();
    assert_eq!(whys, [VersionKind::DeletedLater]);
    let newest = &shown.messages[7];
    assert_eq!(
        newest.text.expose(),
        "Hij ligt er nog steeds, bij nummer 4."
    );
    assert!(newest.edited, "the edit mark is said, not shown as text");
    assert_eq!(newest.versions[0].text.expose(), "Hij ligt er nog steeds.");

    // The first export again: nothing new, nothing lost, the files kept.
    let report = world.import(&zip);
    assert_eq!((report.new_messages, report.already), (0, 7));
    assert_eq!(texts(&world), now);
    let media = world.session.store().media(id).unwrap();
    assert_eq!(media.iter().filter(|m| m.2.is_some()).count(), 3);
    // The search still finds the deleted message's words, once.
    assert_eq!(world.message_count(), 8);
}

#[test]
fn an_older_export_brings_back_a_deleted_text_and_a_message_the_phone_lost() {
    let mut world = World::new("older-richer");
    let later = eva_without_media(
        &[
            (STONE, "Dit bericht is verwijderd"),
            ("23-11-2026 09:08 - Eva Jansen: <Media weggelaten>\n", ""),
        ],
        LATER,
    );
    let first = world.import(&world.file("wed", EVA, &later));
    assert_eq!(first.new_messages, 7);
    let zip = eva_with_media(&world);
    let report = world.import(&zip);
    assert_eq!((report.new_messages, report.already), (1, 6));
    assert_eq!(report.differed.restored, 1);
    let messages = world.conversation(first.conversation);
    let texts: Vec<&str> = messages.iter().map(|m| m.2.as_str()).collect();
    assert_eq!(texts.len(), 8);
    assert_eq!(texts[1], STONE, "the text, not the marker");
    let times: Vec<i64> = messages.iter().map(|m| m.0).collect();
    assert!(
        times.is_sorted(),
        "the lost message goes in between: {times:?}"
    );
    let versions = world.session.store().versions(first.conversation).unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(
        (versions[0].why, versions[0].text.as_str()),
        (VersionKind::DeletedLater, "Dit bericht is verwijderd")
    );
    // The lost message came with its file.
    let media = world.session.store().media(first.conversation).unwrap();
    assert!(media.iter().any(|m| m.1 == "melding.pdf" && m.2.is_some()));
}

/// Nothing in the inbox is passed over in silence: a folder whose chat is
/// nested deeper than the system reads a path, and a chat text larger than
/// any export (a sparse file: refused by its size, never read), are set
/// aside with their reasons.
#[test]
fn an_entry_too_deep_or_too_large_to_read_is_set_aside_with_the_reason() {
    let mut world = World::new("unreadable");
    let inbox = Inbox::at(&world.root.join("Kluis-inbox")).settle(Duration::from_millis(50));
    inbox.prepare().unwrap();
    // 24 folders of 200 letters: 4,800 bytes below the inbox, beyond
    // PATH_MAX (4,096); made as a shell does, one `cd` at a time.
    let made = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            "set -e; mkdir deep; cd deep; d=$(printf 'a%.0s' $(seq 200)); \
             for i in $(seq 24); do mkdir $d; cd $d; done; \
             echo '13-05-2022 09:00 - Eva: hallo' > 'WhatsApp-chat met Eva.txt'",
        )
        .current_dir(inbox.dir())
        .status()
        .unwrap();
    assert!(made.success());
    let large = fs::File::create(inbox.dir().join("WhatsApp-chat met Jan.txt")).unwrap();
    large.set_len(600 << 20).unwrap();
    drop(large);

    let mut watch = Watch::new(inbox.clone());
    let outcomes = drain(&mut watch, &mut world.session);
    let mut kinds: Vec<(String, String)> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Outcome::Quarantined { entry, reason, .. } => (
                entry.file_name().unwrap().to_string_lossy().into_owned(),
                reason.kind.clone(),
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            (
                "WhatsApp-chat met Jan.txt".to_owned(),
                "chat-too-large".to_owned()
            ),
            ("deep".to_owned(), "unlistable".to_owned()),
        ]
    );
    assert!(fs::read_dir(inbox.dir()).unwrap().next().is_none());
    let quarantined = inbox.quarantined().unwrap();
    assert_eq!(quarantined.len(), 2);
    assert_eq!(world.message_count(), 0);
    assert!(
        drain(&mut watch, &mut world.session).is_empty(),
        "said once"
    );
}
