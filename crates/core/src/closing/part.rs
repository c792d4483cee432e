//! One conversation's part of a package: its attachments, the text and
//! HTML transcripts, the original exports, and an MDTO sidecar for each,
//! written into whatever takes the payload (the package, or memory in the
//! tests).

use std::io::Read;

use kluis_seal::mdto::{self, Event, File, Identification, InformationObject, Reference};
use kluis_seal::package::{PackageWriter, SealError};
use kluis_vault::VaultError;
use kluis_vault::store::{ConversationId, Store};

use super::transcript::{self, EntryLine, Heading, Line};
use super::{ClosingError, profile};
use crate::console::Sides;

/// Where a part's files go.
pub(super) trait Payload {
    /// Writes one payload file; returns its SHA-256 (hex).
    fn payload(
        &mut self,
        path: &str,
        size: u64,
        content: &mut dyn Read,
    ) -> Result<String, SealError>;
}

impl<W: std::io::Write> Payload for PackageWriter<'_, W> {
    fn payload(
        &mut self,
        path: &str,
        size: u64,
        content: &mut dyn Read,
    ) -> Result<String, SealError> {
        PackageWriter::payload(self, path, size, content)
    }
}

pub(super) struct PartContext<'a> {
    pub conversation: ConversationId,
    pub folder: &'a str,
    pub package_id: &'a str,
    pub organization: &'a str,
    pub account: Option<&'a str>,
    pub stamp: &'a str,
    pub ident: &'a dyn Fn(String) -> Identification,
    pub creator: &'a Reference,
    pub code: &'a str,
    pub workplace: &'a str,
    pub seq: i64,
}

/// Writes one conversation's part; returns (messages, files, damaged
/// files). A file damaged in the vault is not carried (a package's stream
/// cannot take back half a file): its place in the transcripts says so,
/// and the rest of the day is sealed.
pub(super) fn write_part(
    p: &mut dyn Payload,
    store: &Store,
    blobs: &kluis_vault::blob::Blobs<'_>,
    c: &PartContext<'_>,
) -> Result<(usize, usize, usize), ClosingError> {
    let chat_name = store.chat_name(c.conversation)?.unwrap_or_default();
    let messages = store.unsealed_messages(c.conversation)?;
    let entries = store.unsealed_entries(c.conversation)?;
    let gaps: std::collections::HashSet<i64> = store.gaps(c.conversation)?.into_iter().collect();
    let media = store.unsealed_media(c.conversation)?;
    let originals = store.unsealed_originals(c.conversation)?;
    let part = store.sealed_parts(c.conversation)? + 1;
    let sides = Sides::of(&messages, &chat_name, c.account);
    let object_id = profile::part_id(c.code, c.workplace, c.conversation.0, c.seq);
    let times = messages
        .iter()
        .map(|m| m.id.time())
        .chain(entries.iter().map(|e| e.at));
    let first_day = times.clone().min().map(|t| t.parts());
    let last_day = times.max().map(|t| t.parts());
    let day = |p: (i32, u8, u8, u8, u8, u8)| format!("{:04}-{:02}-{:02}", p.0, p.1, p.2);
    let title = profile::title(first_day.map(|d| (d.0, d.1, d.2)), part);
    let part_ref = Reference {
        name: title.clone(),
        id: Some((c.ident)(object_id.clone())),
    };
    let mut files = 0;
    let mut representations = Vec::new();
    let mut parts = Vec::new();

    // Attachments first, so the transcripts can point at them.
    let mut attachment_paths = std::collections::HashMap::new();
    let mut damaged = std::collections::HashSet::new();
    for (n, file) in media.iter().enumerate() {
        let (Some(blob), Some(size)) = (file.blob, file.size) else {
            continue;
        };
        if !reads_whole(blobs, blob) {
            damaged.insert(file.message);
            continue;
        }
        let (attachment_id, name) = profile::attachment(&object_id, c.folder, n + 1);
        let path = format!("{}/{name}/{name}{}", c.folder, extension(&file.file_name));
        let attachment = Reference {
            name: file.file_name.clone(),
            id: Some((c.ident)(attachment_id.clone())),
        };
        file_with_sidecar(
            p,
            &path,
            size,
            &mut blobs.open_blob(blob).map_err(VaultError::from)?,
            (c.ident)(format!("{attachment_id}/{name}")),
            file.file_name.clone(),
            attachment.clone(),
            c.stamp,
        )?;
        let object = InformationObject {
            id: (c.ident)(attachment_id),
            name: file.file_name.chars().take(80).collect(),
            level: profile::LEVEL_ATTACHMENT.term(),
            description: None,
            consultation: None,
            period: None,
            language: None,
            events: Vec::new(),
            appraisal: profile::APPRAISAL.term(),
            retention: None,
            category: None,
            part_of: Some(part_ref.clone()),
            parts: Vec::new(),
            representations: vec![Reference {
                name: format!("{name}{}", extension(&file.file_name)),
                id: None,
            }],
            related: Vec::new(),
            creator: c.creator.clone(),
            involved: Vec::new(),
            activity: None,
            restriction: (
                profile::RESTRICTION.term(),
                Some(profile::RESTRICTION_NOTE.into()),
            ),
        };
        sidecar(
            p,
            &format!("{}/{name}/{name}.mdto.xml", c.folder),
            &object.to_xml(),
        )?;
        attachment_paths.insert(
            file.message,
            format!("{name}/{name}{}", extension(&file.file_name)),
        );
        parts.push(attachment);
        files += 1;
    }

    let case = match store.case_of(c.conversation)? {
        Some(case) => store.case(case)?,
        None => None,
    };
    let mut case_lines: Vec<(&'static str, String)> = Vec::new();
    if let Some(case) = &case {
        case_lines.push(("Status", case.status.name().to_owned()));
        if let Some(until) = case.snoozed_until {
            case_lines.push((
                "Gesnoozed tot",
                super::excerpt::iso(crate::desk::clock::dutch(until)),
            ));
        } else if case.snoozed_for_reply {
            case_lines.push(("Gesnoozed", "tot de burger weer schrijft".to_owned()));
        }
        if let Some(r) = &case.reference {
            case_lines.push(("Kenmerk", r.clone()));
        }
        if !case.labels.is_empty() {
            case_lines.push(("Labels", case.labels.join(", ")));
        }
        if !case.notes.is_empty() {
            case_lines.push(("Notities", case.notes.clone()));
        }
        if !case.handover_note.is_empty() {
            let by = case
                .handover
                .as_ref()
                .map(|(_, by)| format!(" (door {by})"))
                .unwrap_or_default();
            case_lines.push(("Overdracht", format!("{}{by}", case.handover_note)));
        }
    }
    let originals_whole: Vec<bool> = originals
        .iter()
        .map(|o| reads_whole(blobs, o.blob))
        .collect();
    let damaged_originals = originals_whole.iter().filter(|whole| !**whole).count();
    if damaged_originals > 0 {
        case_lines.push((
            "Beschadigd",
            format!(
                "{damaged_originals} originele export(s) beschadigd in de kluis, niet in dit pakket"
            ),
        ));
    }
    let heading = Heading {
        title: &title,
        chat_name: &chat_name,
        municipality: c.organization,
        package_id: c.package_id,
        part,
        case: case_lines,
    };
    let versions = store.versions(c.conversation)?;
    let lines: Vec<Line<'_>> = messages
        .iter()
        .map(|m| Line {
            versions: versions.iter().filter(|v| v.message == m.id).collect(),
            message: m,
            sender: sides.sender(m.kind, m.author.as_deref()),
            attachment_path: attachment_paths.get(&m.id).cloned(),
            attachment_damaged: damaged.contains(&m.id),
            gap_before: gaps.contains(&m.seq),
        })
        .collect();

    let mut representation = |p: &mut dyn Payload,
                              file_name: String,
                              label: String,
                              size: u64,
                              content: &mut dyn Read|
     -> Result<(), ClosingError> {
        file_with_sidecar(
            p,
            &format!("{}/{file_name}", c.folder),
            size,
            content,
            (c.ident)(format!("{object_id}/{file_name}")),
            label,
            part_ref.clone(),
            c.stamp,
        )?;
        representations.push(Reference {
            name: file_name,
            id: None,
        });
        files += 1;
        Ok(())
    };
    let entry_lines: Vec<EntryLine<'_>> = entries.iter().map(|entry| EntryLine { entry }).collect();
    let text = transcript::text(&heading, &lines, &entry_lines);
    representation(
        p,
        format!("{}.txt", c.folder),
        format!("transcript {title}.txt"),
        text.len() as u64,
        &mut text.as_bytes(),
    )?;
    let html = transcript::html(&heading, &lines, &entry_lines);
    representation(
        p,
        format!("{}.html", c.folder),
        format!("transcript {title}.html"),
        html.len() as u64,
        &mut html.as_bytes(),
    )?;
    for (n, original) in originals.iter().enumerate() {
        if !originals_whole[n] {
            continue;
        }
        let mut reader = blobs.open_blob(original.blob).map_err(VaultError::from)?;
        representation(
            p,
            format!(
                "{}-export{}{}",
                c.folder,
                n + 1,
                extension(&original.file_name)
            ),
            original.file_name.clone(),
            original.size,
            &mut reader,
        )?;
    }

    let mut events = Vec::new();
    if let Some(first) = messages.iter().find(|m| m.author.is_some()) {
        let kind = match sides.sender(first.kind, first.author.as_deref()) {
            crate::conversations::Sender::Municipality => profile::EVENT_SENT.term(),
            _ => profile::EVENT_RECEIVED.term(),
        };
        let t = first.id.time().parts();
        events.push(Event {
            kind,
            time: Some(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                t.0, t.1, t.2, t.3, t.4, t.5
            )),
            actor: None,
            result: None,
        });
    }
    events.push(Event {
        kind: profile::EVENT_FROZEN.term(),
        time: Some(c.stamp.to_owned()),
        actor: None,
        result: Some(c.package_id.to_owned()),
    });
    let object = InformationObject {
        id: (c.ident)(object_id),
        name: title.clone(),
        level: profile::LEVEL_PART.term(),
        description: case.as_ref().and_then(|c| c.reference.clone()),
        consultation: None,
        period: first_day
            .zip(last_day)
            .map(|(a, b)| (profile::PERIOD.term(), day(a), day(b))),
        language: Some(profile::LANGUAGE.into()),
        events,
        appraisal: profile::APPRAISAL.term(),
        retention: None,
        category: Some(profile::CATEGORY.term()),
        part_of: None,
        parts,
        representations,
        related: Vec::new(),
        creator: c.creator.clone(),
        involved: vec![(
            profile::SUBMITTER.term(),
            Reference {
                name: chat_name.clone(),
                id: None,
            },
        )],
        activity: Some(Reference {
            name: profile::ACTIVITY.into(),
            id: None,
        }),
        restriction: (
            profile::RESTRICTION.term(),
            Some(profile::RESTRICTION_NOTE.into()),
        ),
    };
    sidecar(p, &format!("{0}/{0}.mdto.xml", c.folder), &object.to_xml())?;
    Ok((messages.len(), files, damaged.len() + damaged_originals))
}

/// Writes one MDTO sidecar.
fn sidecar(p: &mut dyn Payload, path: &str, xml: &str) -> Result<(), ClosingError> {
    p.payload(path, xml.len() as u64, &mut xml.as_bytes())?;
    Ok(())
}

/// Writes a file and its `bestand` sidecar beside it.
#[allow(clippy::too_many_arguments)]
fn file_with_sidecar(
    p: &mut dyn Payload,
    path: &str,
    size: u64,
    content: &mut dyn Read,
    id: Identification,
    name: String,
    represents: Reference,
    stamp: &str,
) -> Result<(), ClosingError> {
    let mut reader = Head {
        inner: content,
        head: Vec::new(),
    };
    let sha256 = p.payload(path, size, &mut reader)?;
    let bestand = File {
        id,
        name,
        size,
        format: mdto::pronom(path.rsplit('/').next().unwrap_or(path), &reader.head),
        sha256,
        checksum_date: stamp.to_owned(),
        represents,
    };
    self::sidecar(p, &format!("{path}.bestand.mdto.xml"), &bestand.to_xml())
}

/// Records the first bytes that pass, to name the file's format.
struct Head<R> {
    inner: R,
    head: Vec<u8>,
}

impl<R: Read> Read for Head<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = 16usize.saturating_sub(self.head.len());
        self.head.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

/// A file name's extension as the package may carry it (ASCII letters and
/// digits, at most 8), or none.
/// Whether a blob reads to its end (every chunk's tag holds), read once
/// before it is streamed into the package.
fn reads_whole(blobs: &kluis_vault::blob::Blobs<'_>, blob: kluis_vault::blob::BlobId) -> bool {
    let whole = blobs.read_through(blob).is_ok();
    if !whole {
        tracing::warn!(blob = %blob, "a file is damaged in the vault; the package names it, without it");
    }
    whole
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map_or_else(String::new, |e| format!(".{e}"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use expect_test::expect_file;
    use kluis_vault::{KdfParams, Vault};
    use secrecy::SecretString;

    use super::*;

    /// A part's files, kept in memory.
    #[derive(Default)]
    struct Memory(BTreeMap<String, Vec<u8>>);

    impl Payload for Memory {
        fn payload(
            &mut self,
            path: &str,
            _size: u64,
            content: &mut dyn Read,
        ) -> Result<String, SealError> {
            let mut bytes = Vec::new();
            content.read_to_end(&mut bytes).unwrap();
            let sha256 = kluis_seal::sha256_hex(&bytes);
            self.0.insert(path.to_owned(), bytes);
            Ok(sha256)
        }
    }

    /// One conversation's part as the archive unpacks it: the files, the
    /// text transcript and the sidecars, from a real export.
    #[test]
    fn one_part_as_the_archive_reads_it() {
        let dir = std::env::temp_dir().join(format!("kluis-part-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let now = 1_795_420_800;
        let passphrase = SecretString::from("beheerder wachtwoord".to_owned());
        let (_vault, mut session, _) =
            Vault::create(&dir, &passphrase, KdfParams::FLOOR, now).unwrap();
        let carol = Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../tests/fixtures/whatsapp/public/minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt",
        );
        crate::import::import_file(&mut session, &carol, now).unwrap();
        let store = session.store();
        let conversation = store.unsealed_conversations().unwrap()[0];
        let source = profile::source("gm0000", "WP01");
        let ident = |kenmerk: String| Identification {
            kenmerk,
            bron: source.clone(),
        };
        let creator = Reference {
            name: "Gemeente Voorbeeld".into(),
            id: None,
        };
        let folder = profile::folder(0);
        let context = PartContext {
            conversation,
            folder: &folder,
            package_id: "KLUIS-gm0000-WP01-2026-11-23-000001",
            organization: "Gemeente Voorbeeld",
            account: None,
            stamp: "2026-11-23T17:00:00",
            ident: &ident,
            creator: &creator,
            code: "gm0000",
            workplace: "WP01",
            seq: 1,
        };
        let mut memory = Memory::default();
        let (messages, files, damaged) =
            write_part(&mut memory, store, &session.blobs().unwrap(), &context).unwrap();
        assert_eq!((messages, files, damaged), (78, 3, 0));
        let listing: String = memory
            .0
            .iter()
            .map(|(path, bytes)| format!("{path} {}\n", bytes.len()))
            .collect();
        let text = |path: &str| String::from_utf8(memory.0[path].clone()).unwrap();
        expect_file!["../../tests/snapshots/part/files.txt"].assert_eq(&listing);
        expect_file!["../../tests/snapshots/part/G001.txt"].assert_eq(&text("G001/G001.txt"));
        expect_file!["../../tests/snapshots/part/G001.mdto.xml"]
            .assert_eq(&text("G001/G001.mdto.xml"));
        expect_file!["../../tests/snapshots/part/G001.txt.bestand.mdto.xml"]
            .assert_eq(&text("G001/G001.txt.bestand.mdto.xml"));

        // The original damaged in the vault: the part is written without
        // it, and the transcript says why.
        let blob = store.unsealed_originals(conversation).unwrap()[0].blob;
        let path = std::fs::read_dir(dir.join("blobs"))
            .unwrap()
            .flatten()
            .map(|fan| fan.path().join(blob.to_string()))
            .find(|p| p.exists())
            .unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let mut memory = Memory::default();
        let (_, files, damaged) =
            write_part(&mut memory, store, &session.blobs().unwrap(), &context).unwrap();
        assert_eq!((files, damaged), (2, 1));
        let transcript = String::from_utf8(memory.0["G001/G001.txt"].clone()).unwrap();
        assert!(
            transcript.contains("beschadigd in de kluis, niet in dit pakket"),
            "{transcript}"
        );
        drop(session);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
