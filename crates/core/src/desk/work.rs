//! What a session does at the desk: the reads and writes the window and
//! the command line share. Each asks the role table first; the rules
//! themselves stay in their modules (import, closing, settings, console).

use std::path::{Path, PathBuf};

use kluis_vault::audit::{self, AuditAction, ChainReport};
use kluis_vault::store::{Hit, SearchQuery};
use kluis_vault::{KdfParams, SlotOwner, Vault, VaultError};
use secrecy::SecretString;

use super::{Action, Desk, DeskError, Notice};
use crate::cases::CaseChange;
use crate::cases::change::REFERENCE_PATTERN_SETTING;
use crate::cases::replies::Suggestion;
use crate::closing::retention::{self, PurgeReport, RETENTION_FLOOR_SETTING};
use crate::closing::{self, Overview, SealReport};
use crate::console::{ListQuery, Viewer};
use crate::conversations::{Conversation, ConversationId, Summary};
use crate::import::inbox::Inbox;
use crate::import::{ImportError, ImportReport, exports_at, merge_conversations};
use crate::lock::Event;
use crate::{console, settings};
use kluis_vault::store::{CannedReply, Label};

/// One conversation as `kluis conversations` lists it.
#[derive(Debug)]
pub struct ConversationLine {
    pub id: i64,
    pub messages: i64,
    /// The latest message's time (local, as the export wrote it).
    pub last: Option<String>,
    pub chat_name: crate::Personal,
    /// Places where messages may be missing between two exports.
    pub gaps: usize,
}

/// A setting with its value.
#[derive(Debug)]
pub struct SettingLine {
    pub key: &'static str,
    pub about: &'static str,
    pub value: Option<String>,
}

/// What the vault holds and whether its audit chain is whole.
#[derive(Debug)]
pub struct Status {
    pub conversations: i64,
    pub messages: i64,
    pub files: usize,
    pub audit: ChainReport,
}

/// What a full check found: the store's page problems (none: whole), and
/// each encrypted file that does not read, with the record it belongs to
/// (`None`: a file no record names) and why.
#[derive(Debug)]
pub struct FullCheck {
    pub pages: Vec<String>,
    pub files: usize,
    pub damaged_files: Vec<(String, Option<String>, String)>,
    /// Files no record refers to; the next unlock removes them.
    pub unreferenced: usize,
}

/// A handover note left on a conversation.
#[derive(Debug)]
pub struct HandoverNote {
    pub id: ConversationId,
    pub chat_name: crate::Personal,
    pub note: crate::conversations::Handover,
}

/// What the admin keeps for the day's work, as the window offers it.
#[derive(Debug)]
pub struct Catalogue {
    pub labels: Vec<Label>,
    pub reference_pattern: Option<String>,
    /// How many canned replies there are.
    pub replies: usize,
}

/// The inbox and what its quarantine holds, with the reasons.
#[derive(Debug)]
pub struct InboxView {
    pub dir: PathBuf,
    pub quarantine_dir: PathBuf,
    pub quarantined: Vec<crate::import::inbox::Quarantined>,
}

/// What `init` made: the recovery key (print it once) and the package
/// signing key's public half (for the archive).
#[derive(Debug)]
pub struct Created {
    pub recovery_key: SecretString,
    pub public_key: String,
}

/// The results of an import, one per export file found (or per path in
/// which none was found).
pub type ImportResults = Vec<(PathBuf, Result<ImportReport, ImportError>)>;

impl Desk {
    /// Makes a new vault in `dir` (missing or empty) with an admin slot, a
    /// recovery key and the package signing key; it is left locked.
    pub fn create(
        dir: &Path,
        admin: &SecretString,
        kdf: KdfParams,
        recipients: &[String],
        archive_passphrase: Option<&SecretString>,
        now: i64,
    ) -> Result<Created, DeskError> {
        crate::passphrase::check(admin, &[])?;
        let (_vault, mut session, recovery_key) = Vault::create(dir, admin, kdf, now)?;
        let public_key = closing::prepare(&mut session, recipients, archive_passphrase, now)?;
        session.lock(now)?;
        Ok(Created {
            recovery_key,
            public_key,
        })
    }

    // Reads.

    /// The search box: every hit of what was typed, grouped per
    /// conversation. Audited once per search with the number of results
    /// (never the words); typing on within a minute is the same search.
    pub fn find(&self, find: &crate::search::Find) -> Result<crate::search::Found, DeskError> {
        let now = self.now();
        let generation = self.generation();
        self.with_session(Action::Read, |s| {
            let found = crate::search::find(s.store(), find, now)?;
            let mut trail = self
                .searched
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let same = trail
                .as_ref()
                .is_some_and(|t| t.goes_on(generation, &find.text, now.utc));
            if !same && !find.text.trim().is_empty() {
                s.audit(
                    now.utc,
                    AuditAction::Export,
                    "search",
                    &format!(
                        "typed in the search box: {} results in {} conversations",
                        found.hits,
                        found.conversations.len()
                    ),
                )?;
            }
            *trail = Some(crate::search::Trail {
                generation,
                typed: crate::Personal::new(find.text.trim()),
                at: now.utc,
            });
            Ok(found)
        })
    }

    /// The conversation list as `query` asks for it, as the session's
    /// operator sees it (what is new to them).
    pub fn list(&self, query: &ListQuery) -> Result<Vec<Summary>, DeskError> {
        let now = self.now();
        self.with_session(Action::Read, |s| {
            let who = s.who().to_string();
            Ok(console::list(s.store(), query, Viewer { who: &who, now })?)
        })
    }

    /// One conversation with all its messages, its case and entries; what
    /// the operator has now seen of it is kept, for the list's "new".
    pub fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, DeskError> {
        let now = self.now();
        self.with_session(Action::Read, |s| {
            let Some(found) = console::open(s.store(), id, now)? else {
                return Ok(None);
            };
            let who = s.who().to_string();
            let opened = Some((self.generation(), id));
            // Read again while open (after a change to its case) is no new
            // opening: the look follows, the audit log does not repeat.
            let newly = *self.opened_slot() != opened;
            let mut tx = s.store_mut().write()?;
            tx.record_look(id, &who, found.messages.len() as i64, now.utc)?;
            if newly {
                // Who read which conversation when: how many messages, never which.
                tx.audit(&kluis_vault::audit::NewEntry {
                    at: now.utc,
                    operator: &who,
                    action: AuditAction::ViewConversation,
                    subject: &crate::cases::conversation_subject(id),
                    detail: &format!("opened, {} messages", found.messages.len()),
                })?;
            }
            tx.commit()?;
            *self.opened_slot() = opened;
            Ok(Some(found))
        })
    }

    /// The bytes of file `media` of `conversation`, in memory: only while
    /// unlocked, and only for the conversation this session opened last.
    pub fn media(
        &self,
        conversation: ConversationId,
        media: i64,
    ) -> Result<crate::media::MediaBytes, DeskError> {
        self.with_session(Action::Read, |s| {
            let open = *self.opened_slot() == Some((self.generation(), conversation));
            if !open {
                return Err(crate::media::MediaError::NotOpen.into());
            }
            Ok(crate::media::read(s, conversation, media)?)
        })
    }

    fn opened_slot(&self) -> std::sync::MutexGuard<'_, Option<(u64, ConversationId)>> {
        self.opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The handover notes, newest conversation first, for whoever unlocks next.
    pub fn handovers(&self) -> Result<Vec<HandoverNote>, DeskError> {
        let listed = self.list(&ListQuery {
            handover: true,
            order: console::Order::Newest,
            ..ListQuery::default()
        })?;
        self.with_session(Action::Read, |s| {
            let mut cases = s.store().cases_by_conversation()?;
            let mut notes = Vec::with_capacity(listed.len());
            for summary in listed {
                let case = cases.remove(&summary.id);
                let Some(case) = case.filter(|c| !c.handover_note.is_empty()) else {
                    continue;
                };
                let (at, by) = case.handover.unwrap_or_default();
                notes.push(HandoverNote {
                    id: summary.id,
                    chat_name: summary.chat_name,
                    note: crate::conversations::Handover {
                        text: crate::Personal::new(case.handover_note),
                        by,
                        at,
                    },
                });
            }
            Ok(notes)
        })
    }

    /// The admin's labels (removed ones too, marked) and reference pattern.
    pub fn catalogue(&self) -> Result<Catalogue, DeskError> {
        self.with_session(Action::Read, |s| {
            Ok(Catalogue {
                labels: s.store().labels()?,
                reference_pattern: s.store().setting(REFERENCE_PATTERN_SETTING)?,
                replies: s.store().canned_replies()?.len(),
            })
        })
    }

    /// Every stored message matching `query`, newest first; audited with
    /// the number of results (never the words).
    pub fn search(&self, query: &SearchQuery, limit: usize) -> Result<Vec<Hit>, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::Read, |s| {
            let hits = s.store().search(query, limit)?;
            s.audit(
                now,
                AuditAction::Export,
                "search",
                &format!("{} results shown on the command line", hits.len()),
            )?;
            Ok(hits)
        })
    }

    /// The conversations with their sizes and gaps.
    pub fn conversation_lines(&self) -> Result<Vec<ConversationLine>, DeskError> {
        self.with_session(Action::Read, |s| {
            let store = s.store();
            let mut lines = Vec::new();
            for summary in store.conversations()? {
                lines.push(ConversationLine {
                    id: summary.id.0,
                    messages: summary.messages,
                    last: summary.last.map(|m| m.time().to_string()),
                    gaps: store.gaps(summary.id)?.len(),
                    chat_name: crate::Personal::new(summary.chat_name),
                });
            }
            Ok(lines)
        })
    }

    /// Every setting IT may change, with its value.
    pub fn settings(&self) -> Result<Vec<SettingLine>, DeskError> {
        self.with_session(Action::Read, |s| {
            settings::KNOWN
                .iter()
                .map(|known| {
                    Ok(SettingLine {
                        key: known.key,
                        about: known.about,
                        value: s.store().setting(known.key)?,
                    })
                })
                .collect()
        })
    }

    /// What the vault holds, and the audit chain's check.
    pub fn status(&self) -> Result<Status, DeskError> {
        self.with_session(Action::Read, |s| {
            let (conversations, messages) = s.store().counts()?;
            Ok(Status {
                conversations,
                messages,
                files: s.blobs()?.ids().map_err(VaultError::from)?.len(),
                audit: audit::verify(s.store())?,
            })
        })
    }

    /// Every page of the store and every encrypted file read and checked
    /// (`status --full`): what is damaged, and which record it belongs to.
    pub fn full_check(&self) -> Result<FullCheck, DeskError> {
        self.with_session(Action::Read, |s| {
            let pages = s.store().check_pages()?;
            let blobs = s.blobs()?;
            let files = blobs.ids().map_err(VaultError::from)?.len();
            let mut damaged_files = Vec::new();
            for (id, why) in blobs.check_all().map_err(VaultError::from)? {
                let owner = s.store().blob_owner(&id.to_string())?;
                damaged_files.push((id.to_string(), owner, why));
            }
            Ok(FullCheck {
                pages,
                files,
                damaged_files,
                unreferenced: s.unreferenced_blobs()?.len(),
            })
        })
    }

    /// The audit chain recomputed.
    pub fn audit_verify(&self) -> Result<ChainReport, DeskError> {
        self.with_session(Action::Read, |s| Ok(audit::verify(s.store())?))
    }

    /// The inbox folder and its quarantine's files.
    pub fn inbox_view(&self) -> Result<InboxView, DeskError> {
        let inbox = Inbox::at(&self.inbox_dir()?);
        Ok(InboxView {
            dir: inbox.dir().to_owned(),
            quarantine_dir: inbox.quarantine().to_owned(),
            // A quarantine not made yet holds nothing.
            quarantined: inbox.quarantined().unwrap_or_default(),
        })
    }

    /// What the closing checks: the inbox emptied, open cases and their
    /// handover notes, replies not seen in an export yet, the stick.
    pub fn closing_overview(&self) -> Result<Overview, DeskError> {
        let now = self.now();
        self.with_session(Action::Read, |s| {
            Ok(closing::overview(s.store(), &self.home, now)?)
        })
    }

    // The day's work.

    /// Imports every export at `paths` (files, or folders of them), each in
    /// its own transaction, leaving the files where they are; `each` hears
    /// of every file as it is done. Once the lock closes, the files not
    /// read yet are reported as such.
    pub fn import_paths(
        &self,
        paths: &[PathBuf],
        mut each: impl FnMut(&Path, &Result<ImportReport, ImportError>),
    ) -> Result<ImportResults, DeskError> {
        self.with_session(Action::Import, |_| Ok(()))?;
        let mut results = Vec::new();
        for path in paths {
            match exports_at(path) {
                Ok(exports) => {
                    for export in exports {
                        let result = self.import_one(&export);
                        each(&export, &result);
                        results.push((export, result));
                    }
                }
                Err(e) => results.push((path.clone(), Err(e))),
            }
        }
        Ok(results)
    }

    /// Starts the evening's closing.
    pub fn start_closing(&self) -> Result<Vec<Notice>, DeskError> {
        self.with_session(Action::Close, |_| Ok(()))?;
        Ok(self.apply(Event::StartClosing))
    }

    /// Seals the day into `out` (else the folder `archive.out` names): the
    /// package written, read back, verified and recorded; then the lock
    /// closes the day and the session. A failed seal records nothing and
    /// leaves the day open. The window's closing and `kluis seal` alike.
    pub fn seal_day(&self, out: Option<&Path>) -> Result<(SealReport, Vec<Notice>), DeskError> {
        let mut notices = self.start_closing()?;
        let report = self.with_session(Action::Close, |s| {
            let target = match out {
                Some(out) => out.to_owned(),
                None => s
                    .store()
                    .setting(closing::OUT_SETTING)?
                    .map(PathBuf::from)
                    .ok_or(closing::ClosingError::Missing(closing::OUT_SETTING))?,
            };
            Ok(closing::seal_day(s, &target, self.now())?)
        })?;
        tracing::info!(seq = report.seq, "sealed");
        notices.extend(self.apply(Event::Sealed));
        Ok((report, notices))
    }

    /// Carries out one change on the cases of `conversations` (one, or a
    /// selection): checked once, written in one transaction, audited per
    /// conversation. Returns how many changed.
    pub fn change_case(
        &self,
        conversations: &[ConversationId],
        change: &CaseChange,
    ) -> Result<usize, DeskError> {
        let now = self.now();
        self.with_session(Action::WorkCase, |s| {
            Ok(crate::cases::change::apply(s, conversations, change, now)?)
        })
    }

    /// The canned replies for a conversation, ranked for what was typed
    /// after `/`, with the placeholders filled from its case.
    pub fn suggest_replies(
        &self,
        conversation: ConversationId,
        typed: &str,
    ) -> Result<Vec<Suggestion>, DeskError> {
        let now = self.now();
        self.with_session(Action::WorkCase, |s| {
            Ok(crate::cases::replies::suggest(s, conversation, typed, now)?)
        })
    }

    /// Records a reply the operator copies to paste into WhatsApp ("antwoord
    /// klaargezet"), audited without its words, once `deliver` (the
    /// clipboard) took it; a later export shows whether it was sent.
    /// Returns the entry's id.
    pub fn set_out_reply(
        &self,
        conversation: ConversationId,
        text: &str,
        deliver: impl FnOnce(&str) -> Result<(), String>,
    ) -> Result<i64, DeskError> {
        let now = self.now();
        self.with_session(Action::WorkCase, |s| {
            Ok(crate::cases::replies::set_out(
                s,
                conversation,
                text,
                now,
                deliver,
            )?)
        })
    }

    /// A reply set out and not sent after all, so the closing stops
    /// asking for it; audited.
    pub fn withdraw_reply(
        &self,
        conversation: ConversationId,
        entry: i64,
    ) -> Result<(), DeskError> {
        let now = self.now();
        self.with_session(Action::WorkCase, |s| {
            Ok(crate::cases::replies::withdraw(
                s,
                conversation,
                entry,
                now,
            )?)
        })
    }

    // The admin's work.

    /// Sets `key` to `value`, checked and audited. Lowering the retention
    /// floor takes the recovery key.
    pub fn set(&self, key: &str, value: &str) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ChangeSetting, |s| {
            if key == RETENTION_FLOOR_SETTING
                && value
                    .parse::<i64>()
                    .is_ok_and(|v| v < retention::floor_days(s.store()))
                && !super::roles::may(super::role_of(s.who()), Action::LowerRetentionFloor)
            {
                return Err(DeskError::NotPermitted {
                    role: super::role_of(s.who()),
                    action: Action::LowerRetentionFloor,
                });
            }
            Ok(settings::set(s, key, value, now)?)
        })
    }

    /// Adds a label (a case type) with its colour, or changes its colour.
    pub fn put_label(&self, name: &str, colour: &str) -> Result<String, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ManageCatalogue, |s| {
            Ok(crate::cases::catalogue::put_label(s, name, colour, now)?)
        })
    }

    /// Stops offering a label; cases that have it keep it.
    pub fn remove_label(&self, name: &str) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ManageCatalogue, |s| {
            Ok(crate::cases::catalogue::remove_label(s, name, now)?)
        })
    }

    /// Every canned reply.
    pub fn canned_replies(&self) -> Result<Vec<CannedReply>, DeskError> {
        self.with_session(Action::Read, |s| Ok(s.store().canned_replies()?))
    }

    /// Adds a canned reply, or replaces the one with its shortcode.
    pub fn put_canned_reply(
        &self,
        shortcode: &str,
        title: &str,
        text: &str,
        label: Option<&str>,
    ) -> Result<String, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ManageCatalogue, |s| {
            Ok(crate::cases::catalogue::put_reply(
                s, shortcode, title, text, label, now,
            )?)
        })
    }

    /// Removes a canned reply.
    pub fn remove_canned_reply(&self, shortcode: &str) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ManageCatalogue, |s| {
            Ok(crate::cases::catalogue::remove_reply(s, shortcode, now)?)
        })
    }

    /// Makes the package signing key (if none) and keeps the archive's
    /// recipients or passphrase; returns the public key for the archive.
    pub fn seal_setup(
        &self,
        recipients: &[String],
        archive_passphrase: Option<&SecretString>,
    ) -> Result<String, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::SealSetup, |s| {
            Ok(closing::prepare(s, recipients, archive_passphrase, now)?)
        })
    }

    /// Merges conversation `from` into `into`, audited.
    pub fn merge(&self, into: ConversationId, from: ConversationId) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::Merge, |s| {
            Ok(merge_conversations(s, into, from, now)?)
        })
    }

    /// Records the archive's signed receipt; returns the package's id.
    pub fn confirm(&self, receipt: &str, signature: &str) -> Result<String, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::Confirm, |s| {
            Ok(retention::confirm(s, receipt, signature, now)?)
        })
    }

    /// Purges what the retention allows.
    pub fn purge(&self) -> Result<Vec<PurgeReport>, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::Purge, |s| Ok(retention::purge(s, now)?))
    }

    /// A new passphrase for the slot this session opened.
    pub fn change_passphrase(&self, new: &SecretString, kdf: KdfParams) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ChangeOwnPassphrase, |s| {
            let name = match s.who() {
                SlotOwner::Operator(name) => name.clone(),
                _ => String::new(),
            };
            crate::passphrase::check(new, &[&name])?;
            Ok(s.change_passphrase(new, kdf, now)?)
        })
    }

    /// A new operator's key slot.
    pub fn add_operator(
        &self,
        name: &str,
        passphrase: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ManageOperators, |s| {
            crate::passphrase::check(passphrase, &[name])?;
            Ok(s.add_operator(name, passphrase, kdf, now)?)
        })
    }

    /// An operator's key slot removed.
    pub fn remove_operator(&self, name: &str) -> Result<(), DeskError> {
        let now = self.now().utc;
        self.with_session(Action::ManageOperators, |s| {
            Ok(s.remove_operator(name, now)?)
        })
    }

    /// A new recovery key, returned once to be printed.
    pub fn renew_recovery_key(&self, kdf: KdfParams) -> Result<SecretString, DeskError> {
        let now = self.now().utc;
        self.with_session(Action::RenewRecoveryKey, |s| {
            Ok(s.renew_recovery_key(kdf, now)?)
        })
    }
}

/// An operator's slot by name, or the admin's, or the recovery key's.
pub fn slot_owner(who: &str) -> Result<SlotOwner, DeskError> {
    Ok(match who {
        "admin" => SlotOwner::Admin,
        "recovery" => SlotOwner::Recovery,
        name => SlotOwner::operator(name)?,
    })
}
