//! Zip archives as phones write them, and as attackers would.

use std::io::{Cursor, Read, Write};

use whatsapp_export::container::{ContainerError, Limits, open_zip};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/whatsapp/public"
);

/// A zip with these (name, content) entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Renames an entry in the raw bytes (same length), for names the writer
/// itself would not produce.
fn renamed(mut zip: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut hits = 0;
    for i in 0..zip.len().saturating_sub(from.len()) {
        if &zip[i..i + from.len()] == from {
            zip[i..i + from.len()].copy_from_slice(to);
            hits += 1;
        }
    }
    assert_eq!(hits, 2, "local and central header");
    zip
}

fn open(
    zip: &[u8],
) -> Result<whatsapp_export::container::ZipExport<Cursor<&[u8]>>, ContainerError> {
    open_zip(
        Cursor::new(zip),
        Some("WhatsApp Chat with Anna.zip"),
        Limits::default(),
    )
}

fn refusal(zip: &[u8]) -> String {
    open(zip).map(|_| ()).unwrap_err().to_string()
}

const CHAT: &[u8] = b"13-05-2022 09:00 - Anna: hallo\n13-05-2022 09:01 - Anna: \xE2\x80\x8EIMG-20220513-WA0001.jpg (bestand bijgevoegd)\n";

#[test]
fn the_real_ios_zip_reads_as_an_export() {
    let zip = std::fs::read(format!(
        "{FIXTURES}/whats_json/ios/WhatsApp Chat - Elon Musk (RU).zip"
    ))
    .unwrap();
    let mut export = open_zip(Cursor::new(&zip[..]), None, Limits::default()).unwrap();
    assert_eq!(export.chat_name(), "_chat.txt");
    assert!(export.media().is_empty());
    let mut text = Vec::new();
    export.chat().unwrap().read_to_end(&mut text).unwrap();
    let parsed = whatsapp_export::parse(&text).unwrap();
    assert_eq!(parsed.messages.len(), 25);
    let venue = &parsed.messages[6];
    assert_eq!(venue.timestamp.to_string(), "2022-03-27T21:46:02");
    assert_eq!(venue.author.as_deref(), Some("Dmitry Starkov"));
    assert!(
        venue
            .text
            .starts_with("Çalış Plajı (Fethiye, Muğla): https://"),
        "{:?}",
        venue.text
    );
}

#[test]
fn ios_and_android_layouts() {
    let ios = zip_of(&[
        ("_chat.txt", CHAT),
        ("00000003-PHOTO-2022-05-13-09-01-00.jpg", b"jpeg"),
    ]);
    let export = open(&ios).unwrap();
    assert_eq!(export.chat_name(), "_chat.txt");
    assert_eq!(export.media().len(), 1);
    assert_eq!(
        export.media()[0].name,
        "00000003-PHOTO-2022-05-13-09-01-00.jpg"
    );

    let android = zip_of(&[
        ("WhatsApp Chat with Anna.txt", CHAT),
        ("IMG-20220513-WA0001.jpg", b"jpeg"),
        ("Brief aan de gemeente.txt", b"a document someone sent"),
        ("__MACOSX/._IMG-20220513-WA0001.jpg", b"fork"),
    ]);
    let mut export = open(&android).unwrap();
    assert_eq!(export.chat_name(), "WhatsApp Chat with Anna.txt");
    let names: Vec<&str> = export.media().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["IMG-20220513-WA0001.jpg", "Brief aan de gemeente.txt"]
    );
    // Two passes over the same entry give the same bytes.
    let mut first = Vec::new();
    let mut second = Vec::new();
    export.chat().unwrap().read_to_end(&mut first).unwrap();
    export.chat().unwrap().read_to_end(&mut second).unwrap();
    assert_eq!(first, CHAT);
    assert_eq!(second, CHAT);
}

#[test]
fn unclear_or_missing_chat_text_is_refused() {
    let two = zip_of(&[("a.txt", CHAT), ("b.txt", CHAT)]);
    assert_eq!(
        refusal(&two),
        "the archive holds several text files and none is clearly the chat: a.txt, b.txt"
    );
    let none = zip_of(&[("IMG-1.jpg", b"jpeg")]);
    assert_eq!(
        refusal(&none),
        "the archive holds no chat text (_chat.txt or a .txt file)"
    );
    assert!(refusal(b"PK\x03\x04 not really a zip").starts_with("not a readable zip archive"));
    assert!(refusal(b"").starts_with("not a readable zip archive"));
}

#[test]
fn names_that_escape_are_refused() {
    let cases = [
        (
            "xx/evil.sh",
            "../evil.sh",
            "refused entry \"../evil.sh\": its name climbs out of the folder (..)",
        ),
        (
            "a/b/xx/c.jpg",
            "a/b/../c.jpg",
            "refused entry \"a/b/../c.jpg\": its name climbs out of the folder (..)",
        ),
        (
            "xetc/passwd",
            "/etc/passwd",
            "refused entry \"/etc/passwd\": its name is an absolute path",
        ),
        (
            "xx\\evil.jpg",
            "..\\evil.jpg",
            "refused entry \"..\\\\evil.jpg\": its name holds a backslash (a Windows path)",
        ),
        (
            "Cx/evil.jpg",
            "C:/evil.jpg",
            "refused entry \"C:/evil.jpg\": its name starts with a drive letter",
        ),
        (
            "evilxjpg",
            "evil\0jpg",
            "refused entry \"evil\\0jpg\": its name holds a NUL byte",
        ),
    ];
    for (written, hostile, expected) in cases {
        let zip = renamed(
            zip_of(&[("_chat.txt", CHAT), (written, b"payload")]),
            written,
            hostile,
        );
        assert_eq!(refusal(&zip), expected, "{hostile}");
    }
}

#[test]
fn symlinks_are_refused() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    writer.start_file("_chat.txt", options).unwrap();
    writer.write_all(CHAT).unwrap();
    writer
        .add_symlink("IMG-1.jpg", "/etc/shadow", options)
        .unwrap();
    let zip = writer.finish().unwrap().into_inner();
    assert_eq!(
        refusal(&zip),
        "refused entry \"IMG-1.jpg\": it is a symbolic link"
    );
}

#[test]
fn zip_bombs_are_refused_before_inflating() {
    let zeros = vec![0u8; 4 << 20];
    let bomb = zip_of(&[("_chat.txt", CHAT), ("VID-1.mp4", &zeros)]);
    assert!(bomb.len() < 64 << 10, "a small file: {} bytes", bomb.len());
    let err = refusal(&bomb);
    assert!(
        err.starts_with("refused entry \"VID-1.mp4\": 4194304 bytes packed into"),
        "{err}"
    );
    assert!(err.ends_with("more than 200:1 (a zip bomb?)"), "{err}");

    let limits = Limits {
        max_total_bytes: 1000,
        ..Limits::default()
    };
    let big = zip_of(&[("_chat.txt", CHAT), ("IMG-1.jpg", &[7u8; 2000])]);
    let err = open_zip(Cursor::new(&big[..]), None, limits)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "refused entry \"IMG-1.jpg\": the archive would inflate to more than 1000 bytes (a zip bomb?)"
    );

    let limits = Limits {
        max_entries: 2,
        ..Limits::default()
    };
    let many = zip_of(&[("_chat.txt", CHAT), ("1.jpg", b"1"), ("2.jpg", b"2")]);
    let err = open_zip(Cursor::new(&many[..]), None, limits)
        .unwrap_err()
        .to_string();
    assert_eq!(err, "refused: the archive has 3 entries");
}

#[test]
fn a_chat_entry_that_lies_about_its_size_fails_to_read() {
    // Stored (not deflated), so the declared size can be patched in place.
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    writer.start_file("_chat.txt", options).unwrap();
    writer.write_all(CHAT).unwrap();
    let mut zip = writer.finish().unwrap().into_inner();
    // Both headers carry the uncompressed size as a little-endian u32.
    let real = (CHAT.len() as u32).to_le_bytes();
    let smaller = ((CHAT.len() - 10) as u32).to_le_bytes();
    let mut patched = 0;
    for i in 0..zip.len() - 8 {
        // compressed size followed by uncompressed size, both equal when stored
        if zip[i..i + 4] == real && zip[i + 4..i + 8] == real {
            zip[i + 4..i + 8].copy_from_slice(&smaller);
            patched += 1;
        }
    }
    assert_eq!(patched, 2);
    let mut export = open(&zip).unwrap();
    let mut text = Vec::new();
    let err = export.chat().unwrap().read_to_end(&mut text);
    let err = err
        .expect_err("a short size must not pass quietly")
        .to_string();
    // The zip crate notices first; our own bound is the second line of defence.
    assert!(
        err.contains("larger than its declared uncompressed size")
            || err.contains("inflates beyond its declared size"),
        "{err}"
    );
}
