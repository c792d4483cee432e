//! The app's commands: each one adapts a core call to the webview.
//!
//! Every command must also be named in `src-tauri/commands.list` and granted
//! in `capabilities/main-window.json`; `tests/capabilities.rs` checks that.
//! Logging here follows the rule in [`crate::logging`]: names and counts only.

use kluis_core::ConversationId;
use kluis_core::closing::ClosingError;
use kluis_core::desk::{DeskError, SlotOwner, VaultError};
use kluis_core::lock::{Event, Refusal};
use secrecy::SecretString;
use serde::Serialize;
use tauri::ipc::{Channel, Response};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use kluis_core::cases::{CaseChange, CaseError};
use kluis_core::search::Find;

use crate::dto::{
    AppInfo, CaseChangeDto, CaseProblem, CatalogueView, ClosingOverview, ConsoleState,
    ConversationRef, ConversationSummary, ConversationView, DateDto, FindDto, FoundView,
    HandoverNoteView, ImportProblem, InboxView, LabelView, ListQueryDto, MediaProblem, PageEvent,
    QuarantinedFile, SealedDay, SuggestionView, Unavailable, UnlockAs,
};
use crate::state::{AppState, Console};
use crate::{imports, locking};

/// An error a command returns to the webview: a kind with its data, which
/// the page says in its own words (`ui/src/lib/i18n`). The texts here are
/// for the log; `detail` is technical and never holds citizen data.
#[derive(Debug, thiserror::Error, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CommandError {
    /// The conversation does not exist (any more).
    #[error("conversation {id} does not exist")]
    ConversationNotFound {
        #[ts(type = "number")]
        id: i64,
    },
    /// The vault is locked: unlock first.
    #[error("the vault is locked")]
    Locked,
    /// Only for a vault, not the demo.
    #[error("only with a vault, not in the demo")]
    NoVault,
    /// The passphrase (or recovery key) did not open the slot.
    #[error("wrong passphrase")]
    #[serde(rename_all = "camelCase")]
    WrongPassphrase {
        failures: u32,
        #[ts(type = "number")]
        wait_seconds: u64,
    },
    /// Too many failures: wait.
    #[error("too many attempts")]
    TooSoon {
        #[ts(type = "number")]
        seconds: u64,
    },
    /// Outside the shift hours: only the admin or recovery key, with a reason.
    #[error("outside the shift hours")]
    OutsideShift,
    /// The admin or recovery key outside the shift needs a reason.
    #[error("a reason is needed")]
    ReasonNeeded,
    /// Today is closed: operators wait until tomorrow.
    #[error("the day is closed")]
    DayClosed { day: DateDto },
    /// Too many failures: only the admin or recovery key opens now.
    #[error("only the admin opens now")]
    AdminNeeded { failures: u32 },
    /// A date in a filter that is no date (31 February).
    #[error("no such date")]
    NoSuchDate { day: DateDto },
    /// The session's role may not do this.
    #[error("not permitted")]
    NotPermitted,
    /// IT has not set this up yet (a setting's name).
    #[error("not set up: {setting}")]
    NotSetUp { setting: String },
    /// No folder for the package is set (`archive.out`).
    #[error("no target folder set")]
    NoTarget,
    /// The seal failed; nothing was recorded and the day is still open.
    #[error("the seal failed: {detail}")]
    Seal { detail: String },
    /// A change to a case was refused: the sentence beside the field.
    #[error("the case change was refused")]
    Case { problem: CaseProblem },
    /// A file was not handed to the page.
    #[error("the file was not handed out")]
    Media { problem: MediaProblem },
    /// The clipboard could not take the reply (no display server).
    #[error("the clipboard refused")]
    Clipboard,
    /// The vault cannot do it.
    #[error("{detail}")]
    Vault { detail: String },
}

impl From<VaultError> for CommandError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongPassphrase => Self::WrongPassphrase {
                failures: 0,
                wait_seconds: 0,
            },
            VaultError::Refused {
                failures,
                wait_seconds,
            } => Self::WrongPassphrase {
                failures,
                wait_seconds,
            },
            VaultError::BadRecoveryKey(_) => Self::WrongPassphrase {
                failures: 0,
                wait_seconds: 0,
            },
            VaultError::TooSoon { seconds } => Self::TooSoon { seconds },
            VaultError::AdminNeeded { failures } => Self::AdminNeeded { failures },
            other => Self::Vault {
                detail: other.to_string(),
            },
        }
    }
}

impl From<Refusal> for CommandError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::OutsideShift => Self::OutsideShift,
            Refusal::ReasonNeeded => Self::ReasonNeeded,
            Refusal::DayClosed { day } => Self::DayClosed { day: day.into() },
        }
    }
}

impl From<DeskError> for CommandError {
    fn from(e: DeskError) -> Self {
        match e {
            DeskError::Locked => Self::Locked,
            DeskError::Refused { refusal, .. } => refusal.into(),
            DeskError::NotPermitted { .. } => Self::NotPermitted,
            DeskError::Case(e) => Self::Case {
                problem: (&e).into(),
            },
            DeskError::Media(e) => Self::Media {
                problem: (&e).into(),
            },
            DeskError::Vault(e) => e.into(),
            other => Self::Vault {
                detail: other.to_string(),
            },
        }
    }
}

/// About the running app.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    tracing::debug!(command = "app_info");
    let console = state.console();
    let (console_state, municipality) = match &*console {
        Console::Demo(_) => (
            ConsoleState::Demo,
            Some(kluis_core::demo::MUNICIPALITY.to_owned()),
        ),
        Console::Desk(desk) => (desk_state(desk), None),
        Console::Unavailable(problem) => (
            ConsoleState::Unavailable {
                problem: problem.clone(),
            },
            None,
        ),
    };
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        console: console_state,
        municipality,
    }
}

/// The lock screen, or who has the vault open.
fn desk_state(desk: &kluis_core::desk::Desk) -> ConsoleState {
    if let Some(who) = desk.who() {
        return ConsoleState::Open {
            who: (&who).into(),
            closing_at: desk.closing_soon().map(Into::into),
        };
    }
    let outside = match desk.outside() {
        Ok(outside) => outside,
        Err(e) => {
            return ConsoleState::Unavailable {
                problem: Unavailable::Damaged {
                    detail: e.to_string(),
                },
            };
        }
    };
    let outlook = desk.outlook();
    // The operators first, as they are the ones who unlock daily.
    let mut who: Vec<UnlockAs> = outside.slots.iter().map(|(o, _)| o.into()).collect();
    who.sort_by_key(|w| !matches!(w, UnlockAs::Operator(_)));
    ConsoleState::Locked {
        who_can_unlock: who,
        failed_unlocks: outside.failed_unlocks,
        wait_seconds: outside.wait_seconds,
        shifts: outlook.shifts,
        outside_shift: outlook.outside_shift,
        day_closed: outlook.day_closed.map(Into::into),
        reason_needed: outlook.reason_needed,
    }
}

/// Opens the vault with `who`'s passphrase (or the recovery key), if the
/// lock allows it now (`reason`: why the admin or recovery key opens
/// outside the shift), and starts watching the inbox. Runs off the main
/// thread: Argon2id takes a second.
#[tauri::command(async)]
pub fn unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    who: UnlockAs,
    passphrase: SecretString,
    reason: Option<String>,
) -> Result<(), CommandError> {
    let owner = match &who {
        UnlockAs::Operator(name) => SlotOwner::operator(name)?,
        UnlockAs::Admin => SlotOwner::Admin,
        UnlockAs::Recovery => SlotOwner::Recovery,
    };
    let unlocked = state
        .with_desk(|desk| {
            let notices = desk.unlock(&owner, &passphrase, reason)?;
            Ok::<_, DeskError>((notices, desk.generation()))
        })
        .ok_or(CommandError::NoVault)?;
    match unlocked {
        Ok((notices, generation)) => {
            tracing::info!(command = "unlock", ok = true);
            locking::tell(&state, &notices);
            imports::watch_inbox(app, generation);
            Ok(())
        }
        Err(e) => {
            tracing::info!(command = "unlock", ok = false, "unlock refused");
            Err(e.into())
        }
    }
}

/// Locks the vault: the data key leaves memory and the store closes.
#[tauri::command]
pub fn lock(state: State<'_, AppState>) {
    tracing::info!(command = "lock");
    locking::apply(&state, Event::Lock);
}

/// The operator is at work (typed, clicked, scrolled): the idle lock waits.
#[tauri::command]
pub fn activity(state: State<'_, AppState>) {
    locking::apply(&state, Event::Input);
}

/// The conversation list as `query` asks for it (search box, filters,
/// order).
#[tauri::command]
pub fn list_conversations(
    state: State<'_, AppState>,
    query: ListQueryDto,
) -> Result<Vec<ConversationSummary>, CommandError> {
    let query = query.into();
    let found: Vec<ConversationSummary> = state
        .with_reading_desk(|desk| desk.list(&query))
        .ok_or(CommandError::Locked)??
        .iter()
        .map(ConversationSummary::from)
        .collect();
    tracing::debug!(command = "list_conversations", results = found.len());
    Ok(found)
}

/// The search box: the hits of what was typed, grouped per conversation.
#[tauri::command]
pub fn search(state: State<'_, AppState>, find: FindDto) -> Result<FoundView, CommandError> {
    let query_chars = find.text.chars().count();
    let find = Find::try_from(find).map_err(|day| CommandError::NoSuchDate { day })?;
    let found = state
        .with_reading_desk(|desk| desk.find(&find))
        .ok_or(CommandError::Locked)??;
    tracing::debug!(command = "search", query_chars, hits = found.hits);
    Ok(FoundView::from(&found))
}

/// One change to the cases of the chosen conversations (one, or a
/// selection); returns how many changed.
#[tauri::command]
pub fn change_case(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    change: CaseChangeDto,
) -> Result<u32, CommandError> {
    let change = CaseChange::try_from(change).map_err(|e| CommandError::Case {
        problem: (&e).into(),
    })?;
    let ids: Vec<ConversationId> = ids.into_iter().map(ConversationId).collect();
    let changed = state
        .with_reading_desk(|desk| desk.change_case(&ids, &change))
        .ok_or(CommandError::Locked)??;
    tracing::info!(command = "change_case", change = ?change, conversations = ids.len(), changed);
    Ok(u32::try_from(changed).unwrap_or(u32::MAX))
}

/// The admin's labels and reference pattern, for the case panel.
#[tauri::command]
pub fn case_catalogue(state: State<'_, AppState>) -> Result<CatalogueView, CommandError> {
    let catalogue = state
        .with_reading_desk(|desk| desk.catalogue())
        .ok_or(CommandError::Locked)??;
    Ok(CatalogueView {
        labels: catalogue
            .labels
            .into_iter()
            .map(|l| LabelView {
                removed: l.removed_at.is_some(),
                name: l.name,
                colour: l.colour,
            })
            .collect(),
        reference_pattern: catalogue.reference_pattern,
        replies: u32::try_from(catalogue.replies).unwrap_or(u32::MAX),
    })
}

/// The canned replies for a conversation, ranked for what was typed.
#[tauri::command]
pub fn suggest_replies(
    state: State<'_, AppState>,
    id: i64,
    typed: String,
) -> Result<Vec<SuggestionView>, CommandError> {
    let found = state
        .with_reading_desk(|desk| desk.suggest_replies(ConversationId(id), &typed))
        .ok_or(CommandError::Locked)??;
    Ok(found
        .into_iter()
        .map(|s| SuggestionView {
            shortcode: s.shortcode,
            title: s.title,
            text: s.text.expose().to_owned(),
            missing: s.missing.iter().map(|p| p.name().to_owned()).collect(),
        })
        .collect())
}

/// Records the reply as set out ("antwoord klaargezet") and puts it on the
/// clipboard, which is cleared 30 seconds later and at the lock.
#[tauri::command]
pub fn copy_reply(state: State<'_, AppState>, id: i64, text: String) -> Result<i64, CommandError> {
    let entry = state
        .with_reading_desk(|desk| {
            let now = desk.now().utc;
            desk.set_out_reply(ConversationId(id), &text, |text| {
                state.clipboard.put(text, now)
            })
        })
        .ok_or(CommandError::Locked)?;
    let entry = entry.map_err(|e| {
        if let DeskError::Case(CaseError::NotDelivered(detail)) = &e {
            tracing::error!(command = "copy_reply", error = %detail, "the clipboard refused the reply");
            return CommandError::Clipboard;
        }
        // What reached the clipboard before a refusal leaves it.
        state.clipboard.clear();
        tracing::info!(command = "copy_reply", "refused");
        e.into()
    })?;
    tracing::info!(command = "copy_reply", entry, chars = text.chars().count());
    Ok(entry)
}

/// A reply set out and not sent after all.
#[tauri::command]
pub fn withdraw_reply(state: State<'_, AppState>, id: i64, entry: i64) -> Result<(), CommandError> {
    state
        .with_reading_desk(|desk| desk.withdraw_reply(ConversationId(id), entry))
        .ok_or(CommandError::Locked)??;
    tracing::info!(command = "withdraw_reply", entry);
    Ok(())
}

/// The handover notes, for whoever unlocks next.
#[tauri::command]
pub fn handovers(state: State<'_, AppState>) -> Result<Vec<HandoverNoteView>, CommandError> {
    let found = state
        .with_reading_desk(|desk| desk.handovers())
        .ok_or(CommandError::Locked)??;
    tracing::debug!(command = "handovers", notes = found.len());
    Ok(found
        .iter()
        .map(|h| HandoverNoteView {
            id: h.id.0,
            chat_name: h.chat_name.expose().to_owned(),
            note: (&h.note).into(),
        })
        .collect())
}

/// One conversation with all its messages.
#[tauri::command]
pub fn open_conversation(
    state: State<'_, AppState>,
    id: i64,
) -> Result<ConversationView, CommandError> {
    let found = state
        .with_reading_desk(|desk| desk.conversation(ConversationId(id)))
        .ok_or(CommandError::Locked)??
        .map(|c| ConversationView::from(&c));
    tracing::debug!(command = "open_conversation", id, found = found.is_some());
    found.ok_or(CommandError::ConversationNotFound { id })
}

/// The bytes of a file of the open conversation, from memory: the page
/// makes an object URL of them and revokes it at the lock. Nothing is
/// written to disk on the way; refused while locked and for any other
/// conversation.
/// Off the main thread: a large file takes a moment to decrypt.
#[tauri::command(async)]
pub fn media(state: State<'_, AppState>, id: i64, media: i64) -> Result<Response, CommandError> {
    let mut found = state
        .with_reading_desk(|desk| desk.media(ConversationId(id), media))
        .ok_or(CommandError::Locked)??;
    tracing::debug!(command = "media", media, bytes = found.bytes.len());
    // Handed to the webview as they are (no copy): from here they are the
    // page's, which drops them at the lock; they cannot be wiped there.
    Ok(Response::new(std::mem::take(&mut *found.bytes)))
}

/// The inbox folder and the files its quarantine holds.
#[tauri::command]
pub fn inbox(state: State<'_, AppState>) -> Result<InboxView, CommandError> {
    let view = state
        .with_desk(|desk| desk.inbox_view())
        .ok_or(CommandError::NoVault)??;
    tracing::debug!(command = "inbox", quarantined = view.quarantined.len());
    Ok(InboxView {
        dir: view.dir.display().to_string(),
        quarantine_dir: view.quarantine_dir.display().to_string(),
        quarantined: view
            .quarantined
            .into_iter()
            .map(|q| QuarantinedFile {
                name: q
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                problem: q
                    .reason
                    .as_ref()
                    .map_or(ImportProblem::Unexplained, Into::into),
            })
            .collect(),
    })
}

/// Starts the closing procedure (the lock counts it as closing).
#[tauri::command]
pub fn start_closing(state: State<'_, AppState>) -> Result<(), CommandError> {
    tracing::info!(command = "start_closing");
    let notices = state
        .with_desk(|desk| desk.start_closing())
        .ok_or(CommandError::NoVault)??;
    locking::tell(&state, &notices);
    Ok(())
}

/// What the closing procedure checks: the inbox emptied, open cases, the
/// stick in place.
#[tauri::command]
pub fn closing_overview(state: State<'_, AppState>) -> Result<ClosingOverview, CommandError> {
    let overview = state
        .with_desk(|desk| desk.closing_overview())
        .ok_or(CommandError::Locked)??;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(ClosingOverview {
        inbox_waiting: count(overview.inbox_waiting),
        open_conversations: count(overview.open_conversations),
        without_handover: overview
            .without_handover
            .iter()
            .map(|(id, name)| ConversationRef {
                id: id.0,
                chat_name: name.expose().to_owned(),
                count: 0,
            })
            .collect(),
        replies_not_seen: overview
            .replies_not_seen
            .iter()
            .map(|(id, name, n)| ConversationRef {
                id: id.0,
                chat_name: name.expose().to_owned(),
                count: count(*n),
            })
            .collect(),
        target: overview.target,
        target_ready: overview.target_ready,
        account_missing: overview.account_missing,
    })
}

/// Seals the day to the stick (`archive.out`): written, read back,
/// verified, recorded; then the day is closed and the vault locks.
/// Off the main thread: a day's media take seconds.
#[tauri::command(async)]
pub fn seal_day(state: State<'_, AppState>) -> Result<SealedDay, CommandError> {
    let sealed = state
        .with_desk(|desk| desk.seal_day(None))
        .ok_or(CommandError::Locked)?;
    let (report, notices) = sealed.map_err(|e| match e {
        DeskError::Closing(ClosingError::Missing(kluis_core::closing::OUT_SETTING)) => {
            CommandError::NoTarget
        }
        // What IT has not set up yet: the setting's name, never CLI syntax.
        DeskError::Closing(ClosingError::Missing(setting)) => CommandError::NotSetUp {
            setting: setting.to_owned(),
        },
        DeskError::Closing(ClosingError::NoSigningKey | ClosingError::NoArchive) => {
            CommandError::NotSetUp {
                setting: kluis_core::closing::RECIPIENTS_SETTING.to_owned(),
            }
        }
        DeskError::Closing(e) => {
            tracing::error!(error = %e, "the seal failed");
            CommandError::Seal {
                detail: e.to_string(),
            }
        }
        other => other.into(),
    })?;
    tracing::info!(command = "seal_day", seq = report.seq, "sealed");
    // Sealed: the desk closed the day and the session; the page hears it.
    locking::tell(&state, &notices);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(SealedDay {
        id: report.id,
        check: report.digest[..8].to_owned(),
        conversations: count(report.conversations),
        messages: count(report.messages),
        files: count(report.files),
    })
}

/// The page's channel for what happens to imports (a drop, the inbox).
#[tauri::command]
pub fn page_events(state: State<'_, AppState>, channel: Channel<PageEvent>) {
    tracing::debug!(command = "page_events");
    state.set_events(channel);
}
