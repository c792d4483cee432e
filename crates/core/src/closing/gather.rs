//! What a seal gathers before it writes: the municipality's names, the
//! archive's keys, the package's place in the chain, the audit excerpt and
//! the conversations with records no package carried yet.

use kluis_seal::encrypt::{self, Recipients};
use kluis_seal::package::{self, Meta};
use kluis_seal::sign::SigningKey;
use kluis_vault::audit;
use kluis_vault::store::{ConversationId, PackageRecord, Store};
use secrecy::SecretString;

use super::excerpt::{audit_excerpt, iso};
use super::{
    CODE_SETTING, ClosingError, GENESIS, NAME_SETTING, PASSPHRASE_SECRET, RECIPIENTS_SETTING,
    SIGNING_KEY, WORKPLACE_SETTING,
};
use crate::console::ACCOUNT_SETTING;
use crate::lock::Now;

/// Everything one seal needs, read from the store.
pub(super) struct Day {
    pub code: String,
    pub workplace: String,
    pub organization: String,
    pub recipients: Recipients,
    pub key: SigningKey,
    /// The municipality's own name in its exports.
    pub account: Option<String>,
    pub seq: i64,
    pub id: String,
    /// The seal's local time, as the sidecars stamp it.
    pub stamp: String,
    pub period_start: String,
    pub excerpt: String,
    pub audit_head: String,
    pub audit_seq: i64,
    pub conversations: Vec<ConversationId>,
    pub meta: Meta,
}

/// Gathers the day at `now`.
pub(super) fn gather(store: &Store, now: Now) -> Result<Day, ClosingError> {
    let code = setting(store, CODE_SETTING)?;
    let workplace = setting(store, WORKPLACE_SETTING)?;
    let organization = setting(store, NAME_SETTING)?;
    let recipients = recipients(store)?;
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
        group: package::group_id(&code, &workplace),
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
    Ok(Day {
        code,
        workplace,
        organization,
        recipients,
        key,
        account,
        seq,
        id,
        stamp,
        period_start,
        excerpt,
        audit_head,
        audit_seq,
        conversations,
        meta,
    })
}

/// The archive's recipients, or its passphrase.
fn recipients(store: &Store) -> Result<Recipients, ClosingError> {
    Ok(
        match store
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
        },
    )
}

fn setting(store: &Store, key: &'static str) -> Result<String, ClosingError> {
    store
        .setting(key)?
        .filter(|v| !v.trim().is_empty())
        .ok_or(ClosingError::Missing(key))
}
