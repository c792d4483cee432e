//! Which audit entry each of the lock's effects makes. An unlock inside the
//! shift needs none of its own: the vault logs every unlock.

use kluis_vault::audit::AuditAction;

use super::machine::{Effect, Why};

/// The audit entry for `effect` (action and detail), if it makes one.
pub fn entry(effect: &Effect) -> Option<(AuditAction, String)> {
    match effect {
        Effect::Transition { why, .. } => Some(match why {
            Why::InShift => return None,
            Why::Override { reason, day_closed } => (
                AuditAction::Override,
                if *day_closed {
                    format!("after the day's closing: {reason}")
                } else {
                    format!("outside the shift: {reason}")
                },
            ),
            Why::Idle => (AuditAction::Lock, "idle".into()),
            Why::OsLocked => (AuditAction::Lock, "the desktop session locked".into()),
            Why::Suspend => (AuditAction::Lock, "suspend".into()),
            Why::ByHand => (AuditAction::Lock, "by hand".into()),
            Why::ClosingStarted => (AuditAction::Closing, String::new()),
            Why::Sealed => (AuditAction::DayClosed, "sealed".into()),
            Why::EndOfDay => (
                AuditAction::DayClosed,
                "closing time and grace passed".into(),
            ),
            Why::NewDay => (AuditAction::NewDay, String::new()),
        }),
        Effect::ClockSetBack { by_seconds } => Some((
            AuditAction::ClockSetBack,
            format!("the clock read {by_seconds} s before the latest time seen"),
        )),
        Effect::Refused(refusal) => Some((AuditAction::Lock, format!("unlock refused: {refusal}"))),
        Effect::Warn { .. } => None,
    }
}
