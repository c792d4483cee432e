//! The vault's settings that IT may set, each checked before it is kept,
//! and every change audited. The lock's shift hours join them (issue 7).

use kluis_vault::Session;
use kluis_vault::audit::{AuditAction, NewEntry};
use kluis_vault::store::StoreError;

use crate::console::ACCOUNT_SETTING;
use crate::import::inbox::DIR_SETTING;

/// A setting Kluis knows.
#[derive(Debug)]
pub struct Known {
    pub key: &'static str,
    /// What it is, for `kluis settings`.
    pub about: &'static str,
    check: fn(&str) -> Result<(), &'static str>,
}

/// Every setting, in the order `kluis settings` lists them.
pub const KNOWN: &[Known] = &[
    Known {
        key: DIR_SETTING,
        about: "the inbox folder (an absolute path); its quarantine is beside it",
        check: |value| {
            if value.starts_with('/') {
                Ok(())
            } else {
                Err("an absolute path, starting with /")
            }
        },
    },
    Known {
        key: ACCOUNT_SETTING,
        about: "the municipality's name as its own messages show it in exports",
        check: |value| {
            if value.trim().is_empty() || value.trim() != value {
                Err("a name, without spaces at either end")
            } else {
                Ok(())
            }
        },
    },
];

/// Why a setting was not changed.
#[derive(Debug, thiserror::Error)]
pub enum SettingError {
    #[error("there is no setting {0:?}; `kluis settings` lists them")]
    Unknown(String),
    #[error("{key} must be {expected}")]
    Invalid {
        key: &'static str,
        expected: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sets `key` to `value` after checking it, with an audit entry (which
/// names the setting, not the value: a name may be personal).
pub fn set(session: &mut Session, key: &str, value: &str, now: i64) -> Result<(), SettingError> {
    let known = KNOWN
        .iter()
        .find(|k| k.key == key)
        .ok_or_else(|| SettingError::Unknown(key.to_owned()))?;
    (known.check)(value).map_err(|expected| SettingError::Invalid {
        key: known.key,
        expected,
    })?;
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.set_setting(known.key, value)?;
    tx.audit(&NewEntry {
        at: now,
        operator: &who,
        action: AuditAction::Edit,
        subject: &format!("setting {}", known.key),
        detail: "changed",
    })?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        let check = |key: &str, value: &str, ok: bool| {
            let known = KNOWN.iter().find(|k| k.key == key).unwrap();
            assert_eq!((known.check)(value).is_ok(), ok, "{key}={value:?}");
        };
        check(DIR_SETTING, "/home/kcc/Kluis-inbox", true);
        check(DIR_SETTING, "Kluis-inbox", false);
        check(DIR_SETTING, "", false);
        check(ACCOUNT_SETTING, "Gemeente Voorbeeld", true);
        check(ACCOUNT_SETTING, " Gemeente", false);
        check(ACCOUNT_SETTING, "", false);
    }
}
