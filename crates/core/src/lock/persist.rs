//! Where the lock's settings and memory live. IT sets the policy in the
//! vault's settings (checked by [`crate::settings`]); the latest time seen
//! and the last closed day are kept there too. A copy of all of it sits in
//! the vault's notes outside the encryption, so that the lock screen and
//! the hard lock work while the store is closed; after an unlock the
//! store's values decide.

use kluis_vault::Session;
use kluis_vault::store::{Store, StoreError};

use super::machine::{Lock, Policy};
use super::shifts::{ShiftError, Shifts};
use crate::time::LocalDate;

pub const SHIFTS: &str = "lock.shifts";
pub const EXCEPTIONS: &str = "lock.exceptions";
pub const IDLE_MINUTES: &str = "lock.idle_minutes";
pub const GRACE_MINUTES: &str = "lock.grace_minutes";
const SEEN: &str = "lock.seen";
const CLOSED_DAY: &str = "lock.closed_day";

/// The shift hours of a vault where IT set none: office hours.
pub const DEFAULT_SHIFTS: &str = "ma-vr 08:00-17:00";

/// The idle minutes IT may choose.
pub const IDLE_RANGE: std::ops::RangeInclusive<u32> = 1..=240;
/// The grace minutes IT may choose.
pub const GRACE_RANGE: std::ops::RangeInclusive<u32> = 0..=120;

/// The policy from a source of settings (the store's, or the notes).
pub fn policy(get: impl Fn(&str) -> Option<String>) -> Result<Policy, ShiftError> {
    let shifts = Shifts::parse(
        get(SHIFTS).as_deref().unwrap_or(DEFAULT_SHIFTS),
        get(EXCEPTIONS).as_deref().unwrap_or(""),
    )?;
    let minutes = |key, range: std::ops::RangeInclusive<u32>, default| {
        get(key)
            .and_then(|v| v.parse().ok())
            .filter(|m| range.contains(m))
            .unwrap_or(default)
    };
    Ok(Policy {
        shifts,
        idle_minutes: minutes(IDLE_MINUTES, IDLE_RANGE, Policy::DEFAULT_IDLE_MINUTES),
        warn_minutes: Policy::DEFAULT_WARN_MINUTES,
        grace_minutes: minutes(GRACE_MINUTES, GRACE_RANGE, Policy::DEFAULT_GRACE_MINUTES),
    })
}

/// The latest time seen and the last closed day, as kept.
pub fn remembered(get: impl Fn(&str) -> Option<String>) -> (Option<i64>, Option<LocalDate>) {
    (
        get(SEEN).and_then(|v| v.parse().ok()),
        get(CLOSED_DAY).and_then(|v| LocalDate::parse(&v)),
    )
}

/// A lock from the notes outside the encryption, before an unlock. The
/// notes are anyone's to edit, so a latest time seen in them is believed
/// only up to the clock's own reading `now_utc` (a later one would move the
/// lock's time into some other shift); with nothing noted, that reading.
/// After the unlock the store's memory is adopted and a set-back caught.
pub fn lock_from(get: impl Fn(&str) -> Option<String>, now_utc: i64) -> Result<Lock, ShiftError> {
    let policy = policy(&get)?;
    let (seen, closed_day) = remembered(&get);
    Ok(Lock::new(
        policy,
        seen.map_or(now_utc, |s| s.min(now_utc)),
        closed_day,
    ))
}

/// Everything to keep, as (key, value) pairs: the policy as read, and the
/// lock's memory.
pub fn to_keep(lock: &Lock, get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, String)> {
    let mut keep = vec![(SEEN, lock.seen().to_string())];
    if let Some(day) = lock.closed_day() {
        keep.push((CLOSED_DAY, day.to_string()));
    }
    for key in [SHIFTS, EXCEPTIONS, IDLE_MINUTES, GRACE_MINUTES] {
        if let Some(value) = get(key) {
            keep.push((key, value));
        }
    }
    keep
}

/// After an unlock: the store's policy and memory replace what the notes
/// said (they may be stale, or edited by hand). Unreadable hours in the
/// store leave the noted ones in force.
pub fn adopt(lock: &mut Lock, store: &Store) -> Result<(), ShiftError> {
    let get = from_store(store);
    let policy = policy(&get)?;
    let (seen, closed_day) = remembered(&get);
    lock.adopt(policy, seen, closed_day);
    Ok(())
}

/// Reads a setting from the store, as the functions above want it.
pub fn from_store(store: &Store) -> impl Fn(&str) -> Option<String> + '_ {
    |key| store.setting(key).ok().flatten()
}

/// Keeps the lock's memory in the store (the notes are the shell's to
/// write, as they are the vault's, not the session's).
pub fn save(session: &mut Session, lock: &Lock) -> Result<(), StoreError> {
    let mut tx = session.store_mut().write()?;
    tx.set_setting(SEEN, &lock.seen().to_string())?;
    if let Some(day) = lock.closed_day() {
        tx.set_setting(CLOSED_DAY, &day.to_string())?;
    }
    tx.commit()
}
