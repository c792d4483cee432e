//! Why the desk did not do what it was asked. A kind plus data, so each
//! adapter says it in its user's language; the texts here are the command
//! line's (English) and never carry citizen data.

use kluis_vault::VaultError;
use kluis_vault::store::StoreError;

use super::roles::Action;
use crate::closing::ClosingError;
use crate::closing::retention::RetentionError;
use crate::import::ImportError;
use crate::import::inbox::WatchError;
use crate::lock::{Refusal, Role};
use crate::settings::SettingError;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// No session is open, or the lock closed it.
    #[error("the vault is locked")]
    Locked,
    /// The passphrase was right, and the lock refuses it now.
    #[error("the lock refuses: {refusal}{}", set_back_note(*set_back_by))]
    Refused {
        refusal: Refusal,
        /// The clock was found set back by this many seconds on the way.
        set_back_by: Option<i64>,
    },
    /// The session's role may not do this.
    #[error("not allowed: {} may not {}", role_name(*role), action.name())]
    NotPermitted { role: Role, action: Action },
    /// A passphrase being chosen is too weak.
    #[error("{0}; nothing was changed")]
    WeakPassphrase(#[from] crate::passphrase::Weakness),
    /// A change to a case, a reply or the admin's lists was refused.
    #[error("refused")]
    Case(#[from] crate::cases::CaseError),
    /// A file was not handed to the window.
    #[error(transparent)]
    Media(#[from] crate::media::MediaError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Setting(#[from] SettingError),
    #[error(transparent)]
    Closing(#[from] ClosingError),
    #[error(transparent)]
    Retention(#[from] RetentionError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Watch(#[from] WatchError),
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Operator => "an operator",
        Role::Admin => "the admin",
        Role::Recovery => "the recovery key",
    }
}

fn set_back_note(by: Option<i64>) -> String {
    by.map_or_else(String::new, |s| {
        format!(
            " (the clock reads {} min before the latest time Kluis saw: it was set back; Kluis keeps its own time)",
            s / 60
        )
    })
}
