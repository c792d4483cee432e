//! The case beside a conversation, as the employee works it: where it
//! stands (`state`), what may change and how (`change`), the canned
//! replies and their placeholders (`replies`), the replies set out matched
//! with what a later export shows was sent (`reconcile`), and the admin's
//! labels with their colours (`catalogue`).
//!
//! Stored rows are the vault's; the rules that read and change them live
//! here, once, for the window and the command line.

mod arrivals;
pub mod catalogue;
pub mod change;
pub mod reconcile;
pub mod replies;

use kluis_vault::store::{Case, CaseStatus};

pub use arrivals::Arrivals;
pub(crate) use arrivals::{Before, arrived};
pub use change::{CaseChange, CaseError, EntryKindChoice, Snooze};

/// Where a conversation's case stands now, as the list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseState {
    /// Nobody has worked it yet: no case.
    New,
    /// The municipality owes an answer; `reopened` when it came back by itself.
    Open { reopened: Option<Reopened> },
    /// The municipality asked something and waits for the citizen.
    WaitingOnCitizen,
    /// Put aside until a time (UTC) or until the citizen writes.
    Snoozed { until: Option<i64> },
    /// Nothing more to do.
    Resolved,
}

/// Why a case is open again without anyone opening it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reopened {
    /// An import brought a new message from the citizen (at: UTC).
    CitizenWrote { at: i64 },
    /// The snooze's time came (at: UTC).
    SnoozeEnded { at: i64 },
}

/// How the timeline and a reply name whoever wrote: the operator's name,
/// or `beheerder` / `herstelsleutel`.
pub fn person(owner: &kluis_vault::SlotOwner) -> String {
    match owner {
        kluis_vault::SlotOwner::Operator(name) => name.clone(),
        kluis_vault::SlotOwner::Admin => "beheerder".to_owned(),
        kluis_vault::SlotOwner::Recovery => "herstelsleutel".to_owned(),
    }
}

/// The audit entry of one case action: an Edit on `subject` (a
/// conversation, the labels, the canned replies), in the action's own
/// transaction. `detail` names what changed, never citizen words.
pub(crate) fn audit_edit(
    tx: &mut kluis_vault::store::Writer<'_>,
    who: &str,
    now: i64,
    subject: &str,
    detail: &str,
) -> Result<(), kluis_vault::store::StoreError> {
    tx.audit(&kluis_vault::audit::NewEntry {
        at: now,
        operator: who,
        action: kluis_vault::audit::AuditAction::Edit,
        subject,
        detail,
    })
    .map(|_| ())
}

/// The audit subject of a conversation.
pub(crate) fn conversation_subject(conversation: kluis_vault::store::ConversationId) -> String {
    format!("conversation {}", conversation.0)
}

/// The name the database gives a reopening by a new message.
pub(crate) const REOPENED_BY_CITIZEN: &str = "citizen";

impl CaseState {
    /// A case's state at `now` (UTC); `None` is a conversation without one.
    pub fn of(case: Option<&Case>, now: i64) -> Self {
        let Some(case) = case else {
            return Self::New;
        };
        match case.status {
            CaseStatus::Resolved => Self::Resolved,
            CaseStatus::WaitingOnCitizen => Self::WaitingOnCitizen,
            CaseStatus::Open => match (case.snoozed_until, case.snoozed_for_reply) {
                (Some(until), _) if until > now => Self::Snoozed { until: Some(until) },
                (Some(until), _) => Self::Open {
                    reopened: Some(Reopened::SnoozeEnded { at: until }),
                },
                (None, true) => Self::Snoozed { until: None },
                (None, false) => Self::Open {
                    reopened: case.reopened.as_ref().and_then(|(why, at)| {
                        (why == REOPENED_BY_CITIZEN).then_some(Reopened::CitizenWrote { at: *at })
                    }),
                },
            },
        }
    }

    /// Its kind, which the list filters by.
    pub fn kind(self) -> StateKind {
        match self {
            Self::New => StateKind::New,
            Self::Open { .. } => StateKind::Open,
            Self::WaitingOnCitizen => StateKind::WaitingOnCitizen,
            Self::Snoozed { .. } => StateKind::Snoozed,
            Self::Resolved => StateKind::Resolved,
        }
    }

    /// Whether a new message from the citizen opens the case again: it
    /// was put aside (resolved, waiting, snoozed) and now they wrote.
    pub fn reopens_when_citizen_writes(self) -> bool {
        matches!(
            self,
            Self::Resolved | Self::WaitingOnCitizen | Self::Snoozed { .. }
        )
    }

    /// Whether the closing counts it as still to do.
    pub fn is_open_work(self) -> bool {
        matches!(self, Self::New | Self::Open { .. })
    }
}

/// The kinds of [`CaseState`], for filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateKind {
    New,
    Open,
    WaitingOnCitizen,
    Snoozed,
    Resolved,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_vault::store::CaseId;

    fn case(status: CaseStatus) -> Case {
        Case {
            id: CaseId(1),
            reference: None,
            status,
            labels: Vec::new(),
            notes: String::new(),
            handover_note: String::new(),
            handover: None,
            opened_at: 0,
            closed_at: None,
            snoozed_until: None,
            snoozed_for_reply: false,
            reopened: None,
        }
    }

    #[test]
    fn states_and_what_reopens_them() {
        let now = 1_000;
        let check = |case: Option<Case>, state: CaseState, reopens: bool| {
            let found = CaseState::of(case.as_ref(), now);
            assert_eq!(found, state);
            assert_eq!(found.reopens_when_citizen_writes(), reopens, "{state:?}");
        };
        use CaseStatus::*;
        check(None, CaseState::New, false);
        check(Some(case(Open)), CaseState::Open { reopened: None }, false);
        check(
            Some(case(WaitingOnCitizen)),
            CaseState::WaitingOnCitizen,
            true,
        );
        check(Some(case(Resolved)), CaseState::Resolved, true);
        let snoozed = |until, for_reply| Case {
            snoozed_until: until,
            snoozed_for_reply: for_reply,
            ..case(Open)
        };
        check(
            Some(snoozed(Some(now + 1), false)),
            CaseState::Snoozed {
                until: Some(now + 1),
            },
            true,
        );
        // The snooze's time came: open again, saying why.
        check(
            Some(snoozed(Some(now), false)),
            CaseState::Open {
                reopened: Some(Reopened::SnoozeEnded { at: now }),
            },
            false,
        );
        check(
            Some(snoozed(None, true)),
            CaseState::Snoozed { until: None },
            true,
        );
        let reopened = Case {
            reopened: Some((REOPENED_BY_CITIZEN.into(), 7)),
            ..case(Open)
        };
        check(
            Some(reopened),
            CaseState::Open {
                reopened: Some(Reopened::CitizenWrote { at: 7 }),
            },
            false,
        );
    }
}
