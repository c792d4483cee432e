//! After the archive: its signed receipt for a package is checked against
//! the archive's key (pinned at installation) and recorded; once a package
//! is confirmed and older than the retention IT set, the records it
//! carried are purged here. Both audited.
//!
//! The receipt (archive.md §9), signed with the archive's own minisign key:
//!
//! ```text
//! kluis-ontvangst v1
//! pakket=<id> seq=<n> bag=sha256:<digest> age=sha256:<hash> ontvangen=<iso> resultaat=geverifieerd
//! ```

use kluis_seal::sign::{self, SignError};
use kluis_vault::audit::{AuditAction, NewEntry};
use kluis_vault::store::StoreError;
use kluis_vault::{Session, VaultError};

/// The archive's minisign public key, for its receipts.
pub const RECEIPT_KEY_SETTING: &str = "archive.receipt_key";
/// Days a confirmed package's records are kept here before the purge.
pub const RETENTION_SETTING: &str = "retention.days";

/// Days below which no retention may be set, whatever `retention.days`
/// says; only the recovery key lowers it.
pub const RETENTION_FLOOR_SETTING: &str = "retention.floor_days";
/// The floor where IT set none.
pub const DEFAULT_RETENTION_FLOOR: i64 = 30;

/// The retention floor in force.
pub fn floor_days(store: &kluis_vault::store::Store) -> i64 {
    store
        .setting(RETENTION_FLOOR_SETTING)
        .ok()
        .flatten()
        .and_then(|d| d.parse().ok())
        .unwrap_or(DEFAULT_RETENTION_FLOOR)
}

/// Why a receipt was not accepted or a purge not done.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("set {0} first: kluis --vault DIR set {0} VALUE")]
    Missing(&'static str),
    #[error("the receipt's signature does not hold: {0}")]
    Signature(SignError),
    #[error("this is not a Kluis receipt: {0}")]
    NotAReceipt(String),
    #[error("the receipt is for {0}, which this vault did not seal")]
    UnknownPackage(String),
    #[error("the receipt does not match package {id}: its {field} differs")]
    Mismatch { id: String, field: &'static str },
    #[error("the archive did not verify package {0}: {1}")]
    NotVerified(String, String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// A receipt's fields.
fn fields(receipt: &str) -> Result<Vec<(&str, &str)>, RetentionError> {
    let mut lines = receipt.lines().filter(|l| !l.trim().is_empty());
    if lines.next().map(str::trim) != Some("kluis-ontvangst v1") {
        return Err(RetentionError::NotAReceipt(
            "no \"kluis-ontvangst v1\" line".into(),
        ));
    }
    let line = lines
        .next()
        .ok_or_else(|| RetentionError::NotAReceipt("no line with the package".into()))?;
    line.split_whitespace()
        .map(|pair| {
            pair.split_once('=')
                .ok_or_else(|| RetentionError::NotAReceipt(format!("{pair:?} is not key=value")))
        })
        .collect()
}

/// Checks the receipt and its signature and records it for its package;
/// returns the package's id.
pub fn confirm(
    session: &mut Session,
    receipt: &str,
    signature: &str,
    now: i64,
) -> Result<String, RetentionError> {
    let key = session
        .store()
        .setting(RECEIPT_KEY_SETTING)?
        .ok_or(RetentionError::Missing(RECEIPT_KEY_SETTING))?;
    sign::verify(&key, std::io::Cursor::new(receipt.as_bytes()), signature)
        .map_err(RetentionError::Signature)?;
    let fields = fields(receipt)?;
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    let id = get("pakket").to_owned();
    if get("resultaat") != "geverifieerd" {
        return Err(RetentionError::NotVerified(id, get("resultaat").to_owned()));
    }
    let status = session
        .store()
        .packages()?
        .into_iter()
        .find(|p| p.record.id == id)
        .ok_or_else(|| RetentionError::UnknownPackage(id.clone()))?;
    let record = &status.record;
    let digest = kluis_seal::hex(&record.digest);
    for (field, stated, ours) in [
        ("seq", get("seq").to_owned(), record.seq.to_string()),
        ("bag", get("bag").to_owned(), format!("sha256:{digest}")),
        (
            "age",
            get("age").to_owned(),
            format!("sha256:{}", record.ciphertext_sha256),
        ),
    ] {
        if stated != ours {
            return Err(RetentionError::Mismatch { id, field });
        }
    }
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.record_receipt(record.seq, receipt, now)?;
    tx.audit(&NewEntry {
        at: now,
        operator: &who,
        action: AuditAction::Export,
        subject: &format!("package {id}"),
        detail: &format!("receipt from the archive: {}", get("ontvangen")),
    })?;
    tx.commit()?;
    Ok(id)
}

/// What a purge did, per package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeReport {
    pub id: String,
    pub messages: u64,
    pub files: u64,
    pub originals: u64,
    pub conversations: u64,
}

/// Purges the records of every package the archive confirmed that is
/// older than the retention; each package in its own transaction, with
/// its audit entry; blobs removed after the commit.
pub fn purge(session: &mut Session, now: i64) -> Result<Vec<PurgeReport>, RetentionError> {
    let days: i64 = session
        .store()
        .setting(RETENTION_SETTING)?
        .and_then(|d| d.parse().ok())
        .ok_or(RetentionError::Missing(RETENTION_SETTING))?;
    // A retention set before the floor was raised still meets it.
    let days = days.max(floor_days(session.store()));
    let due: Vec<(i64, String)> = session
        .store()
        .packages()?
        .into_iter()
        .filter(|p| p.receipt_at.is_some() && p.purged_at.is_none())
        .filter(|p| p.record.sealed_at + days * 86_400 <= now)
        .map(|p| (p.record.seq, p.record.id))
        .collect();
    let who = session.who().to_string();
    let mut reports = Vec::new();
    for (seq, id) in due {
        let mut tx = session.store_mut().write()?;
        let purged = tx.purge_package(seq, now)?;
        tx.audit(&NewEntry {
            at: now,
            operator: &who,
            action: AuditAction::Purge,
            subject: &format!("package {id}"),
            detail: &format!(
                "after {days} days, confirmed by the archive: {} messages, {} files, {} originals, {} conversations",
                purged.messages, purged.files, purged.originals, purged.conversations
            ),
        })?;
        tx.commit()?;
        let blobs = session.blobs()?;
        for blob in &purged.blobs {
            if let Err(e) = blobs.remove(*blob) {
                // The record is gone; an orphan blob is unreadable without it.
                tracing::warn!(error = %e, "a purged blob could not be removed");
            }
        }
        reports.push(PurgeReport {
            id,
            messages: purged.messages,
            files: purged.files,
            originals: purged.originals,
            conversations: purged.conversations,
        });
    }
    Ok(reports)
}
