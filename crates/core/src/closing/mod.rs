//! The closing's seal: everything not sealed yet goes into one package for
//! the archive (`kluis_seal`), written to a folder (the USB stick), read
//! back and verified there, and only then recorded in the vault as sealed.
//! One conversation's part per folder `Gnnn`, with a text and an HTML
//! transcript, the original export files and the media byte-exact, and
//! MDTO sidecars; the audit log's excerpt as `kluis/audit.jsonl`.

pub mod retention;
pub mod transcript;

use std::io::Read;
use std::path::{Path, PathBuf};

use kluis_seal::encrypt::{self, Recipients};
use kluis_seal::mdto::{self, Event, File, Identification, InformationObject, Reference, Term};
use kluis_seal::package::{self, Meta, PackageWriter, SealError};
use kluis_seal::sign::{SignError, SigningKey};
use kluis_vault::audit::{self, AuditAction, NewEntry};
use kluis_vault::store::{ConversationId, PackageRecord, Store, StoreError};
use kluis_vault::{Session, VaultError};
use secrecy::{ExposeSecret, SecretString};

use crate::console::{ACCOUNT_SETTING, Sides};
use crate::lock::Now;
use transcript::{Heading, Line};

/// The package signing key's secret, inside the vault's encryption.
pub const SIGNING_KEY: &str = "package.signing_key";
/// The archive's age recipients, one per line.
pub const RECIPIENTS_SETTING: &str = "archive.recipients";
/// The archive passphrase, where a municipality has no age key yet.
pub const PASSPHRASE_SECRET: &str = "archive.passphrase";
/// The municipality's code in the TOOI register (`gm0363`).
pub const CODE_SETTING: &str = "municipality.code";
/// The municipality's name.
pub const NAME_SETTING: &str = "municipality.name";
/// This laptop's name among the municipality's Kluis workplaces (`WP01`).
pub const WORKPLACE_SETTING: &str = "workplace";
/// Where the evening's closing writes its package (the USB stick's folder).
pub const OUT_SETTING: &str = "archive.out";

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Why the day could not be sealed.
#[derive(Debug, thiserror::Error)]
pub enum ClosingError {
    #[error("set {0} first: kluis --vault DIR set {0} VALUE")]
    Missing(&'static str),
    #[error("this vault has no package signing key: make one with kluis --vault DIR seal-setup")]
    NoSigningKey,
    #[error("{0:?} is not an age recipient (age1…)")]
    BadRecipient(String),
    #[error("an archive passphrase cannot be combined with recipients (age allows it alone)")]
    PassphraseAndRecipients,
    #[error(
        "no archive to seal for: set archive.recipients, or give an archive passphrase with seal-setup"
    )]
    NoArchive,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Makes the package signing key (once) and keeps the archive's
/// recipients; returns the public key file for the archive, to hand over
/// at installation. Audited.
pub fn prepare(
    session: &mut Session,
    recipients: &[String],
    passphrase: Option<&SecretString>,
    now: i64,
) -> Result<String, ClosingError> {
    if passphrase.is_some() && !recipients.is_empty() {
        // age: a passphrase (scrypt) stanza must stand alone in a file.
        return Err(ClosingError::PassphraseAndRecipients);
    }
    for r in recipients {
        encrypt::recipient(r).map_err(|_| ClosingError::BadRecipient(r.clone()))?;
    }
    let key = match session.store().secret(SIGNING_KEY)? {
        Some(bytes) => SigningKey::from_bytes(&bytes)?,
        None => SigningKey::generate()?,
    };
    let who = session.who().to_string();
    let bytes = zeroize::Zeroizing::new(key.to_bytes());
    let mut tx = session.store_mut().write()?;
    tx.set_secret(SIGNING_KEY, &bytes)?;
    if !recipients.is_empty() {
        tx.set_setting(RECIPIENTS_SETTING, &recipients.join("\n"))?;
    }
    if let Some(passphrase) = passphrase {
        tx.set_secret(PASSPHRASE_SECRET, passphrase.expose_secret().as_bytes())?;
    }
    tx.audit(&NewEntry {
        at: now,
        operator: &who,
        action: AuditAction::KeyChange,
        subject: "package signing key",
        detail: &format!(
            "key {}, {} archive recipients{}",
            key.id(),
            recipients.len(),
            if passphrase.is_some() {
                ", an archive passphrase"
            } else {
                ""
            }
        ),
    })?;
    tx.commit()?;
    Ok(key.public_key_file())
}

/// What the closing procedure checks before the seal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    /// Exports still in the inbox (settling, or failing).
    pub inbox_waiting: usize,
    /// Conversations whose case is open (or that have none yet).
    pub open_conversations: usize,
    /// Where the package goes (`archive.out`), if IT set it.
    pub target: Option<String>,
    /// That folder is there (the stick is in).
    pub target_ready: bool,
}

/// The closing's checks; `home` places the default inbox.
pub fn overview(store: &Store, home: &Path) -> Result<Overview, ClosingError> {
    let inbox =
        crate::import::inbox::Inbox::at(&crate::import::inbox::Inbox::configured_dir(store, home)?);
    // An inbox not made yet holds nothing.
    let inbox_waiting = inbox.entries().map_or(0, |e| e.len());
    let open_conversations = crate::console::list(store, "")?
        .iter()
        .filter(|c| c.status == crate::CaseStatus::Open)
        .count();
    let target = store.setting(OUT_SETTING)?;
    let target_ready = target.as_deref().is_some_and(|t| Path::new(t).is_dir());
    Ok(Overview {
        inbox_waiting,
        open_conversations,
        target,
        target_ready,
    })
}

/// What a seal wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealReport {
    pub id: String,
    pub seq: i64,
    pub package: PathBuf,
    pub signature: PathBuf,
    pub digest: String,
    pub conversations: usize,
    pub messages: usize,
    pub files: usize,
}

fn setting(store: &Store, key: &'static str) -> Result<String, ClosingError> {
    store
        .setting(key)?
        .filter(|v| !v.trim().is_empty())
        .ok_or(ClosingError::Missing(key))
}

fn iso(now: Now) -> String {
    let local = now.local().to_string();
    let offset = now.offset;
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.unsigned_abs() / 60;
    format!("{local}{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The audit excerpt since the previous package: one JSON object per line,
/// each naming the SHA-256 of the line before (the first, the previous
/// package's head). Operators appear by pseudonym; nothing about citizens
/// is in the audit log to begin with.
fn audit_excerpt(
    store: &Store,
    after: i64,
    previous_head: &str,
    offset: i32,
) -> Result<(String, String, i64), ClosingError> {
    let mut out = String::new();
    let mut prev = previous_head.to_owned();
    let mut last = after;
    for entry in audit::after(store, after)? {
        let at = iso(Now {
            utc: entry.at,
            offset,
        });
        let pseudonym = format!(
            "op-{}",
            &kluis_seal::sha256_hex(entry.operator.as_bytes())[..8]
        );
        let line = serde_json::json!({
            "n": entry.seq,
            "t": at,
            "op": pseudonym,
            "ev": entry.action.name(),
            "obj": entry.subject,
            "info": entry.detail,
            "prev": format!("sha256:{prev}"),
        })
        .to_string()
            + "\n";
        prev = kluis_seal::sha256_hex(line.as_bytes());
        out.push_str(&line);
        last = entry.seq;
    }
    Ok((out, prev, last))
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
fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map_or_else(String::new, |e| format!(".{e}"))
}

/// Seals everything not sealed yet into a package in `out`, and records it.
pub fn seal_day(session: &mut Session, out: &Path, now: Now) -> Result<SealReport, ClosingError> {
    let store = session.store();
    let code = setting(store, CODE_SETTING)?;
    let workplace = setting(store, WORKPLACE_SETTING)?;
    let organization = setting(store, NAME_SETTING)?;
    let recipients = match store
        .setting(RECIPIENTS_SETTING)?
        .filter(|r| !r.trim().is_empty())
    {
        Some(lines) => Recipients::Keys(
            lines
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    encrypt::recipient(l).map_err(|_| ClosingError::BadRecipient(l.to_owned()))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => match store.secret(PASSPHRASE_SECRET)? {
            Some(bytes) => Recipients::Passphrase(SecretString::from(
                String::from_utf8(bytes.to_vec()).map_err(|_| ClosingError::NoArchive)?,
            )),
            None => return Err(ClosingError::NoArchive),
        },
    };
    let key = SigningKey::from_bytes(
        &store
            .secret(SIGNING_KEY)?
            .ok_or(ClosingError::NoSigningKey)?,
    )?;
    let account = store.setting(ACCOUNT_SETTING)?;
    let previous: Option<PackageRecord> = store.last_package()?;
    let seq = previous.as_ref().map_or(1, |p| p.seq + 1);
    let local = now.local();
    let date = local.date().to_string();
    let id = package::package_id(&code, &workplace, &date, u64::try_from(seq).unwrap_or(1));
    let source = format!("Kluis {code}/{workplace}");
    let ident = |kenmerk: String| Identification {
        kenmerk,
        bron: source.clone(),
    };
    let stamp = local.to_string();
    let period_start = match &previous {
        Some(p) => p.period_end.clone(),
        None => {
            let first = audit::after(store, 0)?.first().map_or(now.utc, |e| e.at);
            iso(Now {
                utc: first,
                offset: now.offset,
            })
        }
    };
    let previous_head = previous
        .as_ref()
        .map_or_else(|| GENESIS.to_owned(), |p| p.audit_head.clone());
    let (excerpt, audit_head, audit_seq) = audit_excerpt(
        store,
        previous.as_ref().map_or(0, |p| p.audit_seq),
        &previous_head,
        now.offset,
    )?;
    let conversations = store.unsealed_conversations()?;
    let meta = Meta {
        id: id.clone(),
        organization: organization.clone(),
        group: format!("KLUIS-{code}-{workplace}"),
        seq: u64::try_from(seq).unwrap_or(1),
        period_start: period_start.clone(),
        period_end: iso(now),
        previous: previous
            .as_ref()
            .map(|p| (p.id.clone(), kluis_seal::bag::BagDigest(p.digest))),
        audit_previous_head: previous_head,
        audit_head: audit_head.clone(),
        conversations: conversations.len() as u64,
        bagging_date: date.clone(),
        sealed_at: u64::try_from(now.utc).unwrap_or(0),
    };
    let blobs = session.blobs()?;
    let mut counts = (0usize, 0usize);
    let creator = Reference {
        name: organization.clone(),
        id: Some(Identification {
            kenmerk: code.clone(),
            bron: "TOOI register gemeenten compleet".into(),
        }),
    };
    let sealed = package::seal_to(out, meta, &key, &recipients, |p| {
        for (index, conversation) in conversations.iter().enumerate() {
            let folder = format!("G{:03}", index + 1);
            let written = write_part(
                p,
                store,
                &blobs,
                &PartContext {
                    conversation: *conversation,
                    folder: &folder,
                    package_id: &id,
                    organization: &organization,
                    account: account.as_deref(),
                    stamp: &stamp,
                    ident: &ident,
                    creator: &creator,
                    code: &code,
                    workplace: &workplace,
                    seq,
                },
            )
            .map_err(|e| match e {
                ClosingError::Seal(e) => e,
                other => SealError::Io {
                    path: PathBuf::from(&folder),
                    source: std::io::Error::other(other.to_string()),
                },
            })?;
            counts.0 += written.0;
            counts.1 += written.1;
        }
        p.tag("kluis/audit.jsonl", excerpt.as_bytes())?;
        Ok(())
    })?;
    let record = PackageRecord {
        seq,
        id: id.clone(),
        digest: sealed.digest.0,
        ciphertext_sha256: sealed.ciphertext_sha256.clone(),
        period_start,
        period_end: iso(now),
        audit_seq,
        audit_head,
        sealed_at: now.utc,
    };
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.record_package(&record)?;
    tx.audit(&NewEntry {
        at: now.utc,
        operator: &who,
        action: AuditAction::Export,
        subject: &format!("package {id}"),
        detail: &format!(
            "seq {seq}, {} conversations, {} messages, {} files, bag sha256:{}",
            conversations.len(),
            counts.0,
            counts.1,
            sealed.digest.hex()
        ),
    })?;
    tx.commit()?;
    Ok(SealReport {
        id,
        seq,
        package: sealed.package,
        signature: sealed.signature,
        digest: sealed.digest.hex(),
        conversations: conversations.len(),
        messages: counts.0,
        files: counts.1,
    })
}

struct PartContext<'a> {
    conversation: ConversationId,
    folder: &'a str,
    package_id: &'a str,
    organization: &'a str,
    account: Option<&'a str>,
    stamp: &'a str,
    ident: &'a dyn Fn(String) -> Identification,
    creator: &'a Reference,
    code: &'a str,
    workplace: &'a str,
    seq: i64,
}

/// Writes one conversation's part; returns (messages, files).
fn write_part<W: std::io::Write>(
    p: &mut PackageWriter<'_, W>,
    store: &Store,
    blobs: &kluis_vault::blob::Blobs<'_>,
    c: &PartContext<'_>,
) -> Result<(usize, usize), ClosingError> {
    let chat_name = store.chat_name(c.conversation)?.unwrap_or_default();
    let messages = store.unsealed_messages(c.conversation)?;
    let media = store.unsealed_media(c.conversation)?;
    let originals = store.unsealed_originals(c.conversation)?;
    let part = store.sealed_parts(c.conversation)? + 1;
    let sides = Sides::of(&messages, &chat_name, c.account);
    let object_id = format!(
        "WA-{}-{}-{:012x}-{:06}",
        c.code, c.workplace, c.conversation.0, c.seq
    );
    let first_day = messages.first().map(|m| m.id.time().parts());
    let last_day = messages.last().map(|m| m.id.time().parts());
    let day = |p: (i32, u8, u8, u8, u8, u8)| format!("{:04}-{:02}-{:02}", p.0, p.1, p.2);
    let title = {
        let from = first_day
            .map(|d| format!("{:02}-{:02}-{:04}", d.2, d.1, d.0))
            .unwrap_or_default();
        let mut t = format!("WhatsApp-gesprek KCC {from} (deel {part})");
        t.truncate(80);
        t
    };
    let part_ref = Reference {
        name: title.clone(),
        id: Some((c.ident)(object_id.clone())),
    };
    let mut files = 0;
    let mut representations = Vec::new();
    let mut parts = Vec::new();

    // Attachments first, so the transcripts can point at them.
    let mut attachment_paths = std::collections::HashMap::new();
    for (n, file) in media.iter().enumerate() {
        let (Some(blob), Some(size)) = (file.blob, file.size) else {
            continue;
        };
        let name = format!("{}-B{:02}", c.folder, n + 1);
        let path = format!("{}/{name}/{name}{}", c.folder, extension(&file.file_name));
        let attachment_id = format!("{object_id}-B{:02}", n + 1);
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
            level: Term::new("Archiefstuk", None, "Begrippenlijst Aggregatieniveaus MDTO"),
            description: None,
            consultation: None,
            period: None,
            language: None,
            events: Vec::new(),
            appraisal: appraisal(),
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
            restriction: restriction(),
        };
        let xml = object.to_xml();
        p.payload(
            &format!("{}/{name}/{name}.mdto.xml", c.folder),
            xml.len() as u64,
            xml.as_bytes(),
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
        case_lines.push(("Status", format!("{:?}", case.status).to_lowercase()));
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
            case_lines.push(("Overdracht", case.handover_note.clone()));
        }
    }
    let heading = Heading {
        title: &title,
        chat_name: &chat_name,
        municipality: c.organization,
        package_id: c.package_id,
        part,
        case: case_lines,
    };
    let lines: Vec<Line<'_>> = messages
        .iter()
        .map(|m| Line {
            message: m,
            sender: sides.sender(m.kind, m.author.as_deref()),
            attachment_path: attachment_paths.get(&m.id).cloned(),
        })
        .collect();

    let mut representation = |p: &mut PackageWriter<'_, W>,
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
    let text = transcript::text(&heading, &lines);
    representation(
        p,
        format!("{}.txt", c.folder),
        format!("transcript {title}.txt"),
        text.len() as u64,
        &mut text.as_bytes(),
    )?;
    let html = transcript::html(&heading, &lines);
    representation(
        p,
        format!("{}.html", c.folder),
        format!("transcript {title}.html"),
        html.len() as u64,
        &mut html.as_bytes(),
    )?;
    for (n, original) in originals.iter().enumerate() {
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
            crate::conversations::Sender::Municipality => "Verzending",
            _ => "Ontvangst",
        };
        let t = first.id.time().parts();
        events.push(Event {
            kind: kind.into(),
            time: Some(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                t.0, t.1, t.2, t.3, t.4, t.5
            )),
            actor: None,
            result: None,
        });
    }
    events.push(Event {
        kind: "Bevriezing".into(),
        time: Some(c.stamp.to_owned()),
        actor: None,
        result: Some(c.package_id.to_owned()),
    });
    let object = InformationObject {
        id: (c.ident)(object_id),
        name: title.clone(),
        level: Term::new("Dossier", None, "Begrippenlijst Aggregatieniveaus MDTO"),
        description: case.as_ref().and_then(|c| c.reference.clone()),
        consultation: None,
        period: first_day.zip(last_day).map(|(a, b)| (day(a), day(b))),
        language: Some("nl".into()),
        events,
        appraisal: appraisal(),
        retention: None,
        category: Some(Term::new(
            "Ingewilligd - Informatieverzoek",
            Some("6.1.3"),
            "Selectielijst gemeenten en intergemeentelijke organen 2020",
        )),
        part_of: None,
        parts,
        representations,
        related: Vec::new(),
        creator: c.creator.clone(),
        involved: vec![(
            Term::new(
                "Indiener",
                None,
                "Begrippenlijst Relatietypen (betrokkene) MDTO",
            ),
            Reference {
                name: chat_name.clone(),
                id: None,
            },
        )],
        activity: Some(Reference {
            name: "Klantcontact via WhatsApp (KCC)".into(),
            id: None,
        }),
        restriction: restriction(),
    };
    let xml = object.to_xml();
    p.payload(
        &format!("{0}/{0}.mdto.xml", c.folder),
        xml.len() as u64,
        xml.as_bytes(),
    )?;
    Ok((messages.len(), files))
}

/// Writes a file and its `bestand` sidecar beside it.
#[allow(clippy::too_many_arguments)]
fn file_with_sidecar<W: std::io::Write>(
    p: &mut PackageWriter<'_, W>,
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
    let sidecar = File {
        id,
        name,
        size,
        format: mdto::pronom(path.rsplit('/').next().unwrap_or(path), &reader.head),
        sha256,
        checksum_date: stamp.to_owned(),
        represents,
    };
    let xml = sidecar.to_xml();
    p.payload(
        &format!("{path}.bestand.mdto.xml"),
        xml.len() as u64,
        xml.as_bytes(),
    )?;
    Ok(())
}

fn appraisal() -> Term {
    Term::new(
        "Tijdelijk te bewaren",
        Some("V"),
        "Begrippenlijst Waarderingen MDTO",
    )
}

fn restriction() -> (Term, Option<String>) {
    (
        Term::new(
            "Overig",
            Some("Overig"),
            "Begrippenlijst BeperkingGebruik Kluis",
        ),
        Some("Bevat persoonsgegevens (AVG)".into()),
    )
}
