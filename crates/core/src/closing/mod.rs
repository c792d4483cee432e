//! The closing's seal: everything not sealed yet goes into one package for
//! the archive (`kluis_seal`), written to a folder (the USB stick), read
//! back and verified there, and only then recorded in the vault as sealed.
//! One conversation's part per folder `Gnnn`, with a text and an HTML
//! transcript, the original export files and the media byte-exact, and
//! MDTO sidecars; the audit log's excerpt as `kluis/audit.jsonl`.

mod excerpt;
mod gather;
mod part;
pub mod profile;
pub mod retention;
pub mod transcript;

use std::path::{Path, PathBuf};

use kluis_seal::encrypt;
use kluis_seal::mdto::{Identification, Reference};
use kluis_seal::package::{self, SealError};
use kluis_seal::sign::{SignError, SigningKey};
use kluis_vault::audit::{AuditAction, NewEntry};
use kluis_vault::store::{ConversationId, PackageRecord, Store, StoreError};
use kluis_vault::{Session, VaultError};
use secrecy::{ExposeSecret, SecretString};

use crate::lock::Now;
use excerpt::iso;
use part::{PartContext, write_part};

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
    #[error(
        "the package folder already holds package {found} of this workplace ({file}), and this vault \
         would write package {ours}: the vault is behind the archive's chain (put back from an older \
         copy?). Nothing was written; ask IT before sealing"
    )]
    AlreadyOnStick { found: i64, ours: i64, file: String },
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
    /// Conversations that are work to do: new, or open.
    pub open_conversations: usize,
    /// Of those, the ones without a handover note for the next shift.
    pub without_handover: Vec<(ConversationId, crate::Personal)>,
    /// Conversations with replies set out that no export showed yet, and
    /// how many: export these again before the seal.
    pub replies_not_seen: Vec<(ConversationId, crate::Personal, usize)>,
    /// Replies wait, and `municipality.account` is not set: no export can
    /// show them sent until the admin names the municipality's account.
    pub account_missing: bool,
    /// Where the package goes (`archive.out`), if IT set it.
    pub target: Option<String>,
    /// That folder is there (the stick is in).
    pub target_ready: bool,
}

/// The closing's checks at `now`; `home` places the default inbox.
pub fn overview(store: &Store, home: &Path, now: Now) -> Result<Overview, ClosingError> {
    let inbox =
        crate::import::inbox::Inbox::at(&crate::import::inbox::Inbox::configured_dir(store, home)?);
    // An inbox not made yet holds nothing.
    let inbox_waiting = inbox.entries().map_or(0, |e| e.len());
    let viewer = crate::console::Viewer { who: "", now };
    let listed = crate::console::list(store, &crate::console::ListQuery::default(), viewer)?;
    let open: Vec<_> = listed.iter().filter(|c| c.state.is_open_work()).collect();
    let without_handover = open
        .iter()
        .filter(|c| !c.handover)
        .map(|c| (c.id, c.chat_name.clone()))
        .collect();
    let replies_not_seen = listed
        .iter()
        .filter(|c| c.pending_replies > 0)
        .map(|c| (c.id, c.chat_name.clone(), c.pending_replies))
        .collect();
    let target = store.setting(OUT_SETTING)?;
    let target_ready = target.as_deref().is_some_and(|t| Path::new(t).is_dir());
    let account_missing = !Vec::is_empty(&replies_not_seen)
        && store.setting(crate::console::ACCOUNT_SETTING)?.is_none();
    Ok(Overview {
        inbox_waiting,
        open_conversations: open.len(),
        without_handover,
        replies_not_seen,
        account_missing,
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

/// Seals everything not sealed yet into a package in `out`, and records it.
pub fn seal_day(session: &mut Session, out: &Path, now: Now) -> Result<SealReport, ClosingError> {
    let day = gather::gather(session.store(), now)?;
    refuse_a_sequence_taken(out, &package::group_id(&day.code, &day.workplace), day.seq)?;
    let (sealed, (messages, files, damaged)) = write_package(session, out, &day)?;
    let id = day.id;
    let seq = day.seq;
    let record = PackageRecord {
        seq,
        id: id.clone(),
        digest: sealed.digest.0,
        ciphertext_sha256: sealed.ciphertext_sha256.clone(),
        period_start: day.period_start,
        period_end: iso(now),
        audit_seq: day.audit_seq,
        audit_head: day.audit_head,
        sealed_at: now.utc,
    };
    let conversations = day.conversations.len();
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.record_package(&record)?;
    tx.audit(&NewEntry {
        at: now.utc,
        operator: &who,
        action: AuditAction::Export,
        subject: &format!("package {id}"),
        detail: &format!(
            "seq {seq}, {conversations} conversations, {messages} messages, {files} files{}, bag sha256:{}",
            if damaged > 0 {
                format!(" ({damaged} damaged in the vault: named in the transcripts, not carried)")
            } else {
                String::new()
            },
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
        conversations,
        messages,
        files,
    })
}

/// Refuses to write package `seq` of `group` into `out` when `out` holds
/// that one or a later one: a vault put back from an older copy would
/// otherwise write a second, different package under a number the archive
/// has (its chain would fork).
fn refuse_a_sequence_taken(out: &Path, group: &str, seq: i64) -> Result<(), ClosingError> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(()); // a missing folder is the seal's own error to give
    };
    let prefix = format!("{group}-");
    let taken = entries.filter_map(Result::ok).filter_map(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        let id = name
            .strip_suffix(".tar.age")?
            .strip_prefix(&prefix)?
            .to_owned();
        let (_date, number) = id.split_once('-')?;
        Some((number.parse::<i64>().ok()?, name))
    });
    match taken.max() {
        Some((found, file)) if found >= seq => Err(ClosingError::AlreadyOnStick {
            found,
            ours: seq,
            file,
        }),
        _ => Ok(()),
    }
}

/// Writes the day's package into `out`: one part per conversation and the
/// audit excerpt. Returns it with the (messages, files) it carries and the
/// files it could not carry because they are damaged in the vault.
fn write_package(
    session: &Session,
    out: &Path,
    day: &gather::Day,
) -> Result<(package::Sealed, (usize, usize, usize)), ClosingError> {
    let store = session.store();
    let blobs = session.blobs()?;
    let source = profile::source(&day.code, &day.workplace);
    let ident = |kenmerk: String| Identification {
        kenmerk,
        bron: source.clone(),
    };
    let creator = Reference {
        name: day.organization.clone(),
        id: Some(Identification {
            kenmerk: day.code.clone(),
            bron: profile::MUNICIPALITIES.into(),
        }),
    };
    let mut counts = (0usize, 0usize, 0usize);
    let sealed = package::seal_to(out, day.meta.clone(), &day.key, &day.recipients, |p| {
        for (index, conversation) in day.conversations.iter().enumerate() {
            let folder = profile::folder(index);
            let written = write_part(
                p,
                store,
                &blobs,
                &PartContext {
                    conversation: *conversation,
                    folder: &folder,
                    package_id: &day.id,
                    organization: &day.organization,
                    account: day.account.as_deref(),
                    stamp: &day.stamp,
                    ident: &ident,
                    creator: &creator,
                    code: &day.code,
                    workplace: &day.workplace,
                    seq: day.seq,
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
            counts.2 += written.2;
        }
        p.tag("kluis/audit.jsonl", day.excerpt.as_bytes())?;
        Ok(())
    })?;
    Ok((sealed, counts))
}
