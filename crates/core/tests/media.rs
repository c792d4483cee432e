//! The files of a real export with media, through the desk: each message
//! knows its file, and the bytes come out of the vault into memory only
//! for the conversation the session has open, and never while locked.

use std::path::{Path, PathBuf};

use kluis_core::desk::{Desk, DeskError, SlotOwner};
use kluis_core::lock::{Clock, Now};
use kluis_core::media::{MediaError, MediaKind};
use kluis_vault::KdfParams;
use secrecy::SecretString;

const ADMIN: &str = "beheerder wachtwoord";
/// Monday 23 November 2026, 10:00 CET.
const MONDAY: Now = Now {
    utc: 1_795_424_400,
    offset: 3600,
};

#[derive(Debug)]
struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> Now {
        MONDAY
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/whatsapp/kluis")
        .join(name)
}

#[test]
fn files_come_from_memory_only_for_the_open_conversation() {
    let root = std::env::temp_dir().join(format!("kluis-media-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("home")).unwrap();
    let secret = SecretString::from(ADMIN.to_owned());
    Desk::create(
        &root.join("vault"),
        &secret,
        KdfParams::FLOOR,
        &[],
        None,
        MONDAY.utc,
    )
    .unwrap();
    let desk = Desk::open(&root.join("vault"), Box::new(Fixed), &root.join("home")).unwrap();
    desk.unlock(&SlotOwner::Admin, &secret, None).unwrap();
    desk.set("municipality.account", "Gemeente Voorbeeld")
        .unwrap();
    let zip = fixture("WhatsApp-chat met Eva Jansen.zip");
    let reports = desk
        .import_paths(std::slice::from_ref(&zip), |_, _| {})
        .unwrap();
    let eva = reports[0].1.as_ref().unwrap().conversation;
    let other = root.join("WhatsApp-chat met Bram.txt");
    std::fs::write(&other, "23-11-2026 09:00 - Bram: Hallo\n").unwrap();
    let bram = desk.import_paths(&[other], |_, _| {}).unwrap()[0]
        .1
        .as_ref()
        .unwrap()
        .conversation;

    // Before it is opened, nothing of Eva's is handed out.
    assert!(matches!(
        desk.media(eva, 1),
        Err(DeskError::Media(MediaError::NotOpen))
    ));
    let open = desk.conversation(eva).unwrap().unwrap();
    let files: Vec<(String, MediaKind, bool, String)> = open
        .messages
        .iter()
        .filter_map(|m| {
            m.media.as_ref().map(|f| {
                (
                    f.file_name.expose().to_owned(),
                    f.kind,
                    f.present,
                    m.text.expose().to_owned(),
                )
            })
        })
        .collect();
    assert_eq!(
        files,
        [
            (
                "IMG-20261123-WA0002.jpg".into(),
                MediaKind::Image,
                true,
                "Hier is een foto".into()
            ),
            (
                "PTT-20261123-WA0001.opus".into(),
                MediaKind::Audio,
                true,
                String::new()
            ),
            (
                "melding.pdf".into(),
                MediaKind::Document,
                true,
                String::new()
            ),
            (
                "VID-20261123-WA0003.mp4".into(),
                MediaKind::Video,
                false,
                String::new()
            ),
        ]
    );
    let photo = open
        .messages
        .iter()
        .find_map(|m| m.media.as_ref().filter(|f| f.kind == MediaKind::Image))
        .unwrap();
    let bytes = desk.media(eva, photo.id).unwrap();
    assert_eq!(bytes.mime, "image/jpeg");
    let original = {
        let file = std::fs::File::open(&zip).unwrap();
        let mut archive = zip::ZipArchive::new(file).unwrap();
        let mut entry = archive.by_name("IMG-20261123-WA0002.jpg").unwrap();
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut out).unwrap();
        out
    };
    assert_eq!(bytes.bytes.as_slice(), original.as_slice());
    let missing = open
        .messages
        .iter()
        .find_map(|m| m.media.as_ref().filter(|f| !f.present))
        .unwrap();
    assert!(matches!(
        desk.media(eva, missing.id),
        Err(DeskError::Media(MediaError::Missing))
    ));

    // Another conversation opened: Eva's files are no longer handed out,
    // nor Eva's file asked for as Bram's.
    desk.conversation(bram).unwrap();
    assert!(matches!(
        desk.media(eva, photo.id),
        Err(DeskError::Media(MediaError::NotOpen))
    ));
    assert!(matches!(
        desk.media(bram, photo.id),
        Err(DeskError::Media(MediaError::NoSuchFile))
    ));
    // Locked, and unlocked again: nothing until it is opened anew.
    desk.conversation(eva).unwrap();
    desk.lock_now();
    assert!(matches!(desk.media(eva, photo.id), Err(DeskError::Locked)));
    desk.unlock(&SlotOwner::Admin, &secret, None).unwrap();
    assert!(matches!(
        desk.media(eva, photo.id),
        Err(DeskError::Media(MediaError::NotOpen))
    ));
    drop(desk);
    // Who read which conversation is in the audit log, with a count only.
    let vault = kluis_vault::Vault::open(&root.join("vault")).unwrap();
    let session = vault
        .unlock(&SlotOwner::Admin, &secret, MONDAY.utc)
        .unwrap();
    let views: Vec<String> = kluis_vault::audit::after(session.store(), 0)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == kluis_vault::audit::AuditAction::ViewConversation)
        .map(|e| format!("{} {}", e.subject, e.detail))
        .collect();
    assert_eq!(
        views[0],
        format!("conversation {} opened, 7 messages", eva.0)
    );
    assert_eq!(views.len(), 3);
    drop(session);
    std::fs::remove_dir_all(root).unwrap();
}
