//! The desk: the one owner of the held vault, the unlocked session and the
//! lock, for every way in. The window and the command line are adapters:
//! they hand the desk a passphrase, an event or a request, and turn what it
//! returns into pixels or lines. Who may do what ([`roles`]), when the
//! store may open (the lock), and what a closing does are decided here.
//!
//! Two mutexes, always taken in this order when both are needed: the
//! session (the open store), then the lock (the state machine). A tick
//! takes only the lock, so the ticker keeps answering while an import
//! runs; long work (an import of many files, the inbox) takes the session
//! one file at a time, so a lock or a read waits at most for the file in
//! progress, and the work stops before the next file once the lock closed.

pub(crate) mod clock;
mod error;
mod inbox;
pub mod roles;
mod work;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use kluis_vault::audit::NewEntry;
use secrecy::SecretString;

use crate::lock::{
    self, Access, Clock, Effect, Event, Lock, Now, Refusal, Role, State, Why, persist,
};
use crate::time::{LocalDate, LocalDateTime};

pub use clock::{SystemClock, dutch_local};
pub use error::DeskError;
pub use inbox::InboxNews;
pub use kluis_vault::store::Hit as SearchHit;
pub use roles::Action;
pub use work::{
    ConversationLine, Created, FullCheck, ImportResults, InboxView, SettingLine, Status, slot_owner,
};

// The vault's types the adapters show or hand in; they reach the vault
// only through the desk.
pub use kluis_vault::audit::{ChainBreak, ChainReport};
pub use kluis_vault::store::{SCHEMA_VERSION, SearchQuery};
pub use kluis_vault::{
    KdfParams, Outside, SlotOwner, VaultError, calibrate, request_closing, withdraw_closing_request,
};

/// Who the audit log names for what the lock does on its own while locked.
const KLUIS: &str = kluis_vault::LOCK_OPERATOR;

/// What an adapter must tell its user after an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The session closed (key wiped, store closed): forget everything
    /// shown, and say why.
    Locked { why: Why },
    /// While locked, what the lock screen says changed (the day closed, a
    /// new day began).
    LockScreenChanged,
    /// Closing time comes at this time.
    ClosingSoon { closing_at: LocalDateTime },
    /// The clock reads this many seconds before the latest time seen.
    ClockSetBack { by_seconds: i64 },
    /// The unlock removed encrypted files no record referred to (an import
    /// that did not finish), audited.
    RemovedUnreferenced { files: usize },
}

/// What the lock screen shows, read without a passphrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlook {
    /// The week's shift hours, as IT wrote them.
    pub shifts: String,
    /// An operator cannot unlock now (outside the shift or the day closed).
    pub outside_shift: bool,
    /// Today is closed: operators wait for tomorrow.
    pub day_closed: Option<LocalDate>,
    /// The admin or recovery key opens now only with a reason.
    pub reason_needed: bool,
}

/// The held vault, its session while unlocked, and its lock.
pub struct Desk {
    vault: kluis_vault::Vault,
    clock: Box<dyn Clock + Send + Sync>,
    /// Where the inbox is when the vault names none: the user's home.
    home: PathBuf,
    session: Mutex<Option<kluis_vault::Session>>,
    lock: Mutex<Lock>,
    /// Counts unlocks and locks, so that work begun for one session ends
    /// with it, even if another begins meanwhile.
    generation: AtomicU64,
    /// The conversation this session has open (with the generation it was
    /// opened in): the only one whose files are handed out.
    opened: Mutex<Option<(u64, crate::ConversationId)>>,
    /// The search being typed, to audit a search once.
    searched: Mutex<Option<crate::search::Trail>>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("dir", &self.vault.dir())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// The role a key slot carries.
pub fn role_of(owner: &SlotOwner) -> Role {
    match owner {
        SlotOwner::Operator(_) => Role::Operator,
        SlotOwner::Admin => Role::Admin,
        SlotOwner::Recovery => Role::Recovery,
    }
}

impl Desk {
    /// Takes hold of the vault in `dir`, locked. The lock starts from the
    /// vault's notes (the store is closed); after an unlock the store's
    /// policy and memory decide.
    pub fn open(
        dir: &Path,
        clock: Box<dyn Clock + Send + Sync>,
        home: &Path,
    ) -> Result<Self, VaultError> {
        let vault = kluis_vault::Vault::open(dir)?;
        let notes = vault.notes().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the vault's notes are unreadable; default shift hours until unlock");
            Default::default()
        });
        let now = clock.now().utc;
        let lock = persist::lock_from(|k| notes.get(k).cloned(), now).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the noted shift hours are unreadable; defaults until unlock");
            persist::lock_from(|_| None, now).expect("the default hours parse")
        });
        Ok(Self {
            vault,
            clock,
            home: home.to_owned(),
            session: Mutex::new(None),
            lock: Mutex::new(lock),
            generation: AtomicU64::new(0),
            opened: Mutex::new(None),
            searched: Mutex::new(None),
        })
    }

    /// The vault's folder.
    pub fn dir(&self) -> &Path {
        self.vault.dir()
    }

    /// The desk's clock, read now.
    pub fn now(&self) -> Now {
        self.clock.now()
    }

    /// What others could read in the vault's folder when it was opened,
    /// made private then (see `kluis_vault::Vault::tightened`).
    pub fn tightened(&self) -> &[std::path::PathBuf] {
        self.vault.tightened()
    }

    /// What others can still read in the vault's folder (the system
    /// refused to make it private).
    pub fn still_open(&self) -> &[std::path::PathBuf] {
        self.vault.still_open()
    }

    /// The current session's number: it changes at every unlock and lock.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Whose slot is open, if one is.
    pub fn who(&self) -> Option<SlotOwner> {
        self.session().as_ref().map(|s| s.who().clone())
    }

    /// What anyone can see without a passphrase: the slots and the waits.
    pub fn outside(&self) -> Result<Outside, VaultError> {
        let (at, boot) = self.attempts_clock();
        self.vault.outside_since_boot(at, boot.as_ref())
    }

    /// The time the wait after failed attempts runs on: the lock's (never
    /// back) and, within one boot, the boot's clock (never forward).
    fn attempts_clock(&self) -> (i64, Option<(String, u64)>) {
        (
            self.lock().time_for(self.now()).utc,
            self.clock.since_boot(),
        )
    }

    /// Opens `who`'s slot with `passphrase` and lets the lock decide on
    /// the store's own policy and memory (the notes outside may be stale or
    /// edited). Refused, the store closes again at once; the refusal and
    /// what the lock noticed on the way (a clock set back) are audited.
    pub fn unlock(
        &self,
        who: &SlotOwner,
        passphrase: &SecretString,
        reason: Option<String>,
    ) -> Result<Vec<Notice>, DeskError> {
        self.unlock_accepting(who, passphrase, reason, false)
    }

    /// [`Desk::unlock`]; with `accept_older`, the recovery key (with a
    /// reason) also opens a store that went back in time or is not the one
    /// last written, a backup put back on purpose, and the vault logs it.
    pub fn unlock_accepting(
        &self,
        who: &SlotOwner,
        passphrase: &SecretString,
        reason: Option<String>,
        accept_older: bool,
    ) -> Result<Vec<Notice>, DeskError> {
        let mut slot = self.session();
        if slot.is_some() {
            return Ok(Vec::new());
        }
        let (at, boot) = self.attempts_clock();
        let accept = reason.as_deref().filter(|_| accept_older);
        *slot = Some(
            self.vault
                .unlock_with(who, passphrase, at, boot.as_ref(), accept)?,
        );
        let mut lock = self.lock();
        if let Some(session) = slot.as_ref()
            && let Err(e) = persist::adopt(&mut lock, session.store())
        {
            tracing::error!(error = %e, "the vault's shift hours are unreadable; the noted ones apply");
        }
        let now = self.now();
        let role = role_of(who);
        let effects = lock.handle(now, Event::Unlock { role, reason });
        let notices = self.carry_out(&mut slot, &lock, now, &effects);
        // The adopted policy and memory reach the notes; a transition has
        // kept them already.
        if !effects
            .iter()
            .any(|e| matches!(e, Effect::Transition { .. }))
        {
            self.keep(&mut slot, &lock);
        }
        let refusal = effects.iter().find_map(|e| match e {
            Effect::Refused(r) => Some(r.clone()),
            _ => None,
        });
        if let Some(refusal) = refusal {
            self.close(&mut slot);
            let set_back_by = notices.iter().find_map(|n| match n {
                Notice::ClockSetBack { by_seconds } => Some(*by_seconds),
                _ => None,
            });
            tracing::info!(role = ?role, "unlock refused by the lock");
            return Err(DeskError::Refused {
                refusal,
                set_back_by,
            });
        }
        let mut notices = notices;
        if let Some(session) = slot.as_mut() {
            match crate::import::remove_unreferenced(session, now.utc) {
                Ok(0) => {}
                Ok(files) => notices.push(Notice::RemovedUnreferenced { files }),
                Err(e) => tracing::error!(error = %e, "files no record refers to stay"),
            }
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(notices)
    }

    /// Time passes: the idle lock, the warning, the end of the day.
    pub fn tick(&self) -> Vec<Notice> {
        self.apply(Event::Tick)
    }

    /// Hands `event` to the lock and carries out its effects: the audit
    /// entries first (in the store, or kept for the next unlock), then the
    /// session closed when the lock is no longer open.
    /// An unlock comes only through [`Desk::unlock`], after the passphrase.
    pub fn apply(&self, event: Event) -> Vec<Notice> {
        if matches!(event, Event::Unlock { .. }) {
            return Vec::new();
        }
        let (now, effects) = {
            let mut lock = self.lock();
            let now = self.now();
            (now, lock.handle(now, event))
        };
        if effects.is_empty() {
            return Vec::new();
        }
        // The session may be busy with one file of an import: wait for it.
        let mut slot = self.session();
        let lock = self.lock();
        self.carry_out(&mut slot, &lock, now, &effects)
    }

    /// Locks by hand (the window's button, the end of a command).
    pub fn lock_now(&self) -> Vec<Notice> {
        self.apply(Event::Lock)
    }

    /// What the lock screen says about the lock.
    pub fn outlook(&self) -> Outlook {
        let lock = self.lock();
        let now = self.now();
        let operator = lock.may_unlock(now, Role::Operator);
        let day_closed = match (lock.state(), &operator) {
            (State::DayClosed { day }, _) | (_, Err(Refusal::DayClosed { day })) => Some(*day),
            _ => None,
        };
        Outlook {
            shifts: lock.policy().shifts.week_text(),
            outside_shift: operator.is_err(),
            day_closed,
            reason_needed: lock.may_unlock(now, Role::Admin) == Ok(Access::WithReason),
        }
    }

    /// Today's closing time, once the warning before it was given.
    pub fn closing_soon(&self) -> Option<LocalDateTime> {
        self.lock().closing_soon()
    }

    fn carry_out(
        &self,
        slot: &mut Option<kluis_vault::Session>,
        lock: &Lock,
        now: Now,
        effects: &[Effect],
    ) -> Vec<Notice> {
        let mut notices = Vec::new();
        let mut changed = false;
        for effect in effects {
            if let Some((action, detail)) = lock::audit::entry(effect) {
                self.write_audit(slot, now, action, &detail);
            }
            match effect {
                Effect::Transition { .. } => changed = true,
                Effect::Warn { closing_at } => notices.push(Notice::ClosingSoon {
                    closing_at: *closing_at,
                }),
                Effect::ClockSetBack { by_seconds } => {
                    tracing::warn!(by_seconds, "the clock was set back");
                    notices.push(Notice::ClockSetBack {
                        by_seconds: *by_seconds,
                    });
                }
                Effect::Refused(_) => {}
            }
        }
        if changed {
            self.keep(slot, lock);
        }
        if !lock.state().is_open() && slot.is_some() {
            self.close(slot);
            let why = effects.iter().rev().find_map(|e| match e {
                Effect::Transition { why, .. } => Some(why.clone()),
                _ => None,
            });
            notices.push(Notice::Locked {
                why: why.unwrap_or(Why::ByHand),
            });
        } else if changed && slot.is_none() {
            notices.push(Notice::LockScreenChanged);
        }
        notices
    }

    fn write_audit(
        &self,
        slot: &mut Option<kluis_vault::Session>,
        now: Now,
        action: kluis_vault::audit::AuditAction,
        detail: &str,
    ) {
        let written = match slot {
            Some(session) => session.audit(now.utc, action, "vault", detail).map(|_| ()),
            None => self.vault.defer_audit(&NewEntry {
                at: now.utc,
                operator: KLUIS,
                action,
                subject: "vault",
                detail,
            }),
        };
        if let Err(e) = written {
            tracing::error!(error = %e, action = action.name(), "the lock's audit entry was not written");
        }
    }

    /// Keeps the lock's memory: in the store while open, in the notes always.
    fn keep(&self, slot: &mut Option<kluis_vault::Session>, lock: &Lock) {
        let result = match slot {
            Some(session) => {
                let keep = persist::to_keep(lock, persist::from_store(session.store()));
                persist::save(session, lock)
                    .map_err(VaultError::from)
                    .and_then(|()| self.vault.set_notes(&keep))
            }
            None => {
                let notes = self.vault.notes().unwrap_or_default();
                self.vault
                    .set_notes(&persist::to_keep(lock, |k| notes.get(k).cloned()))
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "the lock's memory was not kept");
        }
    }

    /// Closes the open session: the key wiped, the store closed.
    fn close(&self, slot: &mut Option<kluis_vault::Session>) {
        if let Some(session) = slot.take() {
            self.generation.fetch_add(1, Ordering::SeqCst);
            // What was typed in the search box goes with the session.
            *self
                .searched
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            if let Err(e) = session.close() {
                tracing::error!(error = %e, "the store did not close cleanly");
            }
        }
    }

    /// The open session for one step of work, if the lock is open and the
    /// session's role may do `action`.
    fn with_session<T>(
        &self,
        action: Action,
        work: impl FnOnce(&mut kluis_vault::Session) -> Result<T, DeskError>,
    ) -> Result<T, DeskError> {
        let mut slot = self.session();
        let session = slot.as_mut().ok_or(DeskError::Locked)?;
        if !self.lock().state().is_open() {
            return Err(DeskError::Locked);
        }
        let role = role_of(session.who());
        if !roles::may(role, action) {
            return Err(DeskError::NotPermitted { role, action });
        }
        work(session)
    }

    fn session(&self) -> MutexGuard<'_, Option<kluis_vault::Session>> {
        // A step that panicked cannot have left a half-written transaction
        // (SQLite rolls back), so the guard is taken over.
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock(&self) -> MutexGuard<'_, Lock> {
        self.lock.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Desk {
    /// A desk let go while open locks as by hand, with its audit entry.
    fn drop(&mut self) {
        if self.session().is_some() {
            self.lock_now();
        }
    }
}
