//! The vault's settings that IT may set, each checked before it is kept,
//! and every change audited. The lock's shift hours join them (issue 7).

use kluis_vault::Session;
use kluis_vault::audit::{AuditAction, NewEntry};
use kluis_vault::store::StoreError;

use crate::closing::retention::{
    self, RECEIPT_KEY_SETTING, RETENTION_FLOOR_SETTING, RETENTION_SETTING,
};
use crate::closing::{
    CODE_SETTING, NAME_SETTING, OUT_SETTING, RECIPIENTS_SETTING, WORKPLACE_SETTING,
};
use crate::console::ACCOUNT_SETTING;
use crate::import::inbox::DIR_SETTING;
use crate::lock::persist::{
    EXCEPTIONS, GRACE_MINUTES, GRACE_RANGE, IDLE_MINUTES, IDLE_RANGE, SHIFTS,
};
use crate::lock::shifts::Shifts;

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
        check: absolute,
    },
    Known {
        key: SHIFTS,
        about: "shift hours per weekday, e.g. \"ma-vr 08:00-17:00, za 09:00-12:00\" \
                (default ma-vr 08:00-17:00); operators unlock only inside them",
        check: |value| {
            Shifts::parse(value, "")
                .map(|_| ())
                .map_err(|_| "days and hours like \"ma-vr 08:00-17:00, za 09:00-12:00\"")
        },
    },
    Known {
        key: EXCEPTIONS,
        about: "days that differ, e.g. \"2026-12-25 dicht, 2026-12-24 08:00-13:00\"",
        check: |value| {
            Shifts::parse("", value)
                .map(|_| ())
                .map_err(|_| "dates with hours or \"dicht\", like \"2026-12-25 dicht\"")
        },
    },
    Known {
        key: crate::cases::change::REFERENCE_PATTERN_SETTING,
        about: "the pattern a case's reference number must match whole, a regular expression \
                such as Z-\\d{4}-\\d{6} (empty: any)",
        check: crate::cases::change::check_pattern,
    },
    Known {
        key: IDLE_MINUTES,
        about: "minutes without input before Kluis locks (default 10)",
        check: |value| number_in(value, IDLE_RANGE, "a number of minutes from 1 to 240"),
    },
    Known {
        key: GRACE_MINUTES,
        about: "minutes after closing time before the hard lock closes the day (default 15)",
        check: |value| number_in(value, GRACE_RANGE, "a number of minutes from 0 to 120"),
    },
    Known {
        key: NAME_SETTING,
        about: "the municipality's name, as the archive's packages name their source",
        check: a_name,
    },
    Known {
        key: CODE_SETTING,
        about: "the municipality's code in the TOOI register, e.g. gm0363 (in package names)",
        check: |value| {
            if kluis_seal::package::is_municipality_code(value) {
                Ok(())
            } else {
                Err("gm and four digits, like gm0363")
            }
        },
    },
    Known {
        key: WORKPLACE_SETTING,
        about: "this laptop's name among the municipality's Kluis workplaces, e.g. WP01",
        check: |value| {
            if kluis_seal::package::is_workplace(value) {
                Ok(())
            } else {
                Err("1 to 8 letters and digits, like WP01")
            }
        },
    },
    Known {
        key: RECIPIENTS_SETTING,
        about: "the archive's age recipients (age1…), one per line; packages are encrypted to them",
        check: |value| {
            let lines: Vec<&str> = value.lines().filter(|l| !l.trim().is_empty()).collect();
            if !lines.is_empty()
                && lines
                    .iter()
                    .all(|l| kluis_seal::encrypt::recipient(l).is_ok())
            {
                Ok(())
            } else {
                Err("one or more age recipients (age1…), one per line")
            }
        },
    },
    Known {
        key: OUT_SETTING,
        about: "the folder the evening's closing writes its package to (the USB stick's, an absolute path)",
        check: absolute,
    },
    Known {
        key: RECEIPT_KEY_SETTING,
        about: "the archive's minisign public key (the RWQ… line), for its receipts",
        check: |value| {
            let line = value
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with("RW"))
                .unwrap_or_default();
            if line.len() == 56 {
                Ok(())
            } else {
                Err("a minisign public key: the line starting with RW")
            }
        },
    },
    Known {
        key: RETENTION_SETTING,
        about: "days a package's records stay here after the archive confirmed it (then purged)",
        check: |value| number_in(value, 0..=3650, "a number of days from 0 to 3650"),
    },
    Known {
        key: RETENTION_FLOOR_SETTING,
        about: "days below which retention.days cannot be set (default 30); only the recovery key lowers it",
        check: |value| number_in(value, 0..=3650, "a number of days from 0 to 3650"),
    },
    Known {
        key: ACCOUNT_SETTING,
        about: "the municipality's name as its own messages show it in exports",
        check: a_name,
    },
];

/// Settings that hold several lines (keys, one per line).
const MULTI_LINE: &[&str] = &[RECIPIENTS_SETTING, RECEIPT_KEY_SETTING];

/// No setting holds control characters (a line break would start a field
/// of its own in a package's bag-info, an escape code would rewrite a
/// terminal), nor the characters that turn text around or break it
/// invisibly; only the key lists hold line breaks.
fn plain_text(key: &str, value: &str) -> Result<(), &'static str> {
    let allowed = |c: char| {
        !(c.is_control() || crate::personal::reorders_or_hides(c))
            || (c == '\n' && MULTI_LINE.contains(&key))
    };
    if value.chars().all(allowed) {
        Ok(())
    } else {
        Err("text without line breaks, tabs, escape codes or direction marks")
    }
}

fn a_name(value: &str) -> Result<(), &'static str> {
    if value.trim().is_empty() || value.trim() != value {
        Err("a name, without spaces at either end")
    } else {
        Ok(())
    }
}

fn absolute(value: &str) -> Result<(), &'static str> {
    if value.starts_with('/') {
        Ok(())
    } else {
        Err("an absolute path, starting with /")
    }
}

fn number_in(
    value: &str,
    range: std::ops::RangeInclusive<u32>,
    expected: &'static str,
) -> Result<(), &'static str> {
    match value.parse::<u32>() {
        Ok(minutes) if range.contains(&minutes) => Ok(()),
        _ => Err(expected),
    }
}

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
    #[error("{RETENTION_SETTING} must be at least {RETENTION_FLOOR_SETTING}, {floor} days")]
    BelowFloor { floor: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] kluis_vault::VaultError),
}

/// The settings that decide where records go, who opens the vault when,
/// and how long records stay (besides the lock's): only the admin changes
/// them, and each change is named in the next package's audit excerpt.
pub const SECURITY_RELEVANT: &[&str] = &[
    RECIPIENTS_SETTING,
    RECEIPT_KEY_SETTING,
    RETENTION_SETTING,
    RETENTION_FLOOR_SETTING,
];

/// Sets `key` to `value` after checking it, with an audit entry (which
/// names the setting, not the value: a name may be personal).
pub fn set(session: &mut Session, key: &str, value: &str, now: i64) -> Result<(), SettingError> {
    let known = KNOWN
        .iter()
        .find(|k| k.key == key)
        .ok_or_else(|| SettingError::Unknown(key.to_owned()))?;
    plain_text(known.key, value)
        .and_then(|()| (known.check)(value))
        .map_err(|expected| SettingError::Invalid {
            key: known.key,
            expected,
        })?;
    if known.key == RETENTION_SETTING {
        let floor = retention::floor_days(session.store());
        if value.parse::<i64>().is_ok_and(|days| days < floor) {
            return Err(SettingError::BelowFloor { floor });
        }
    }
    let who = session.who().to_string();
    let detail = if SECURITY_RELEVANT.contains(&known.key) || known.key.starts_with("lock.") {
        "changed (security-relevant: named in the next package)"
    } else {
        "changed"
    };
    let mut tx = session.store_mut().write()?;
    tx.set_setting(known.key, value)?;
    tx.audit(&NewEntry {
        at: now,
        operator: &who,
        action: AuditAction::Edit,
        subject: &format!("setting {}", known.key),
        detail,
    })?;
    tx.commit()?;
    // The lock screen reads the lock's settings while the store is closed.
    if known.key.starts_with("lock.") {
        session.set_notes(&[(known.key, value.to_owned())])?;
    }
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
        check(SHIFTS, "ma-vr 08:00-17:00, za 09:00-12:00", true);
        check(SHIFTS, "maandag 08:00-17:00", false);
        check(EXCEPTIONS, "2026-12-25 dicht", true);
        check(EXCEPTIONS, "25-12-2026 dicht", false);
        check(IDLE_MINUTES, "10", true);
        check(IDLE_MINUTES, "0", false);
        check(IDLE_MINUTES, "tien", false);
        check(GRACE_MINUTES, "0", true);
        check(GRACE_MINUTES, "121", false);
        check(CODE_SETTING, "gm0363", true);
        check(CODE_SETTING, "0363", false);
        check(CODE_SETTING, "gm363", false);
        check(WORKPLACE_SETTING, "WP01", true);
        check(WORKPLACE_SETTING, "WP 01", false);
        check(RECIPIENTS_SETTING, "age1nx5...", false);
        check(NAME_SETTING, "Gemeente Voorbeeld", true);
    }

    #[test]
    fn no_setting_holds_control_characters() {
        let check = |key: &str, value: &str, ok: bool| {
            assert_eq!(plain_text(key, value).is_ok(), ok, "{key}={value:?}");
        };
        check(NAME_SETTING, "Gemeente ’s-Hertogenbosch", true);
        check(NAME_SETTING, "X\nKluis-Audit-Head: sha256:000", false);
        check(NAME_SETTING, "X\r", false);
        check(NAME_SETTING, "X\tY", false);
        check(NAME_SETTING, "X\u{1b}]52;c;aGk=\u{7}", false);
        check(NAME_SETTING, "X\u{85}", false);
        check(NAME_SETTING, "X\u{202e}gnp.exe", false);
        check(NAME_SETTING, "X\u{2028}Y", false);
        check(DIR_SETTING, "/home/kcc/in\nbox", false);
        check(RECIPIENTS_SETTING, "age1a\nage1b\n", true);
        check(RECIPIENTS_SETTING, "age1a\r\nage1b", false);
        check(RECEIPT_KEY_SETTING, "untrusted comment: x\nRWQ…", true);
    }
}
