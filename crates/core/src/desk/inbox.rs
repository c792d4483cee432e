//! The inbox through the desk: each export file is imported under the
//! session on its own, so the lock, the ticker and the page's reads never
//! wait for more than the file in progress.

use std::io;
use std::path::Path;
use std::time::Duration;

use super::{Action, Desk, DeskError};

use crate::import::inbox::{Inbox, Outcome, Watch};
use crate::import::{ImportError, ImportReport, import_file_gated};

/// What a look at the inbox brought.
#[derive(Debug)]
pub enum InboxNews {
    /// Entries imported, set aside or left to try again.
    Outcomes(Vec<Outcome>),
    /// The inbox could not be read; it is tried again (a remounted disk).
    Problem(io::Error),
    /// What the lock decided at one of the watcher's ticks.
    Lock(Vec<super::Notice>),
    /// Another process waits to close the day: the watcher locked (audited)
    /// and stops, so that its holder lets the vault go.
    GaveWay(Vec<super::Notice>),
}

impl Desk {
    /// The inbox the vault names (`inbox.dir`), else `~/Kluis-inbox`.
    pub fn inbox_dir(&self) -> Result<std::path::PathBuf, DeskError> {
        self.with_session(Action::Read, |s| {
            Ok(Inbox::configured_dir(s.store(), &self.home)?)
        })
    }

    /// One look at the inbox: every complete entry imported. Returns what
    /// happened and whether entries are still settling.
    pub fn inbox_pass(&self, watch: &mut Watch) -> Result<(Vec<Outcome>, bool), DeskError> {
        self.with_session(Action::Import, |_| Ok(()))?;
        let now = self.now().utc;
        let mut import = |path: &Path| self.import_one(path);
        Ok(watch
            .pass_with(&mut import, now)
            .map_err(crate::import::inbox::WatchError::Io)?)
    }

    /// Looks until nothing in the inbox is settling any more.
    pub fn inbox_until_settled(
        &self,
        watch: &mut Watch,
        mut each: impl FnMut(&Outcome),
    ) -> Result<(), DeskError> {
        let pause = (watch.inbox().settle_time() / 4).max(Duration::from_millis(20));
        loop {
            let (outcomes, settling) = self.inbox_pass(watch)?;
            outcomes.iter().for_each(&mut each);
            if !settling {
                return Ok(());
            }
            std::thread::sleep(pause);
        }
    }

    /// Watches the inbox until the session of `generation` ends (a lock,
    /// another unlock). A change in the folder, or an entry still
    /// settling, starts a look; a quiet inbox is not read at all. Every
    /// wake-up ticks the lock, so a watcher without a window still locks
    /// at the idle time and the end of the day.
    pub fn watch_inbox(
        &self,
        watch: &mut Watch,
        generation: u64,
        mut news: impl FnMut(InboxNews),
    ) -> Result<(), DeskError> {
        let wakeups = watch.wakeups()?;
        let mut look = true;
        loop {
            let notices = self.tick();
            if !notices.is_empty() {
                news(InboxNews::Lock(notices));
            }
            if self.generation() != generation {
                return Ok(());
            }
            if self.vault.closing_requested() {
                news(InboxNews::GaveWay(self.give_way()));
                return Ok(());
            }
            let mut settling = false;
            if look {
                match self.inbox_pass(watch) {
                    Ok((outcomes, still)) if self.generation() == generation => {
                        settling = still;
                        if !outcomes.is_empty() {
                            news(InboxNews::Outcomes(outcomes));
                        }
                    }
                    // Locked meanwhile: what was not read stays for the next unlock.
                    Ok(_) | Err(DeskError::Locked) => return Ok(()),
                    Err(DeskError::Watch(crate::import::inbox::WatchError::Io(e))) => {
                        // Tried again at the next wake-up (a remounted disk).
                        settling = true;
                        news(InboxNews::Problem(e));
                    }
                    Err(other) => return Err(other),
                }
            }
            look = wakeups.wait() || settling;
        }
    }

    /// Locks for a closing another process waits to carry out, with an
    /// audit entry that says so: a closing is never blocked by a watcher.
    fn give_way(&self) -> Vec<super::Notice> {
        let noted = self.with_session(Action::Read, |s| {
            let detail = "another Kluis waits to close the day: the inbox watcher gave way";
            Ok(s.audit(
                self.now().utc,
                kluis_vault::audit::AuditAction::Lock,
                "vault",
                detail,
            )?)
        });
        if let Err(e) = noted {
            tracing::warn!(error = %e, "giving way was not audited");
        }
        self.lock_now()
    }

    /// Imports one export file under the session, if it is still open.
    pub(super) fn import_one(&self, path: &Path) -> Result<ImportReport, ImportError> {
        let gate = || self.commit_time();
        match self.with_session(Action::Import, |s| Ok(import_file_gated(s, path, &gate))) {
            Ok(result) => result,
            Err(_) => Err(ImportError::Locked),
        }
    }

    /// The time an import commits at, asked just before it does: refused
    /// when the lock would close at this moment (the shift's or the day's
    /// end came while the file was read), so nothing enters the vault after
    /// the closing; the file is read again after the next unlock. An import
    /// under way is work, not idleness: only the rules' time is asked.
    fn commit_time(&self) -> Result<i64, ImportError> {
        let now = self.now();
        if self.lock().stays_open_by_the_day(now) {
            Ok(now.utc)
        } else {
            Err(ImportError::Locked)
        }
    }
}
