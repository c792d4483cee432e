//! Who may do what: one table for every way in (the window and the
//! command line ask the desk, and the desk asks this table).
//!
//! Operators do the day's work: read, import, the closing. The admin (and
//! the recovery key, which stands in for a lost admin passphrase) changes
//! what the day's work runs on: settings, keys, operators, the archive's
//! recipients and receipt key, retention, merges, receipts and the purge.

use crate::lock::Role;

/// Something a session asks the desk to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// The conversations, one conversation, search, the settings' values,
    /// the vault's counts and the audit chain's check.
    Read,
    /// Exports in: a drop, `kluis import`, the inbox.
    Import,
    /// The evening's closing: start it, seal the day.
    Close,
    /// A conversation's case: status, snooze, labels, reference, notes,
    /// handover, hand-written entries, replies set out.
    WorkCase,
    /// A new passphrase for the slot one unlocked with.
    ChangeOwnPassphrase,
    /// Any setting (`kluis set`, the admin screen).
    ChangeSetting,
    /// Lower `retention.floor_days`: less than the floor is kept.
    LowerRetentionFloor,
    /// Add or remove an operator's key slot.
    ManageOperators,
    /// The labels and canned replies the day's work offers.
    ManageCatalogue,
    /// A new recovery key.
    RenewRecoveryKey,
    /// The package signing key and the archive's recipients.
    SealSetup,
    /// One conversation merged into another.
    Merge,
    /// The archive's receipt recorded.
    Confirm,
    /// The records of confirmed packages removed.
    Purge,
}

impl Action {
    /// Every action, in the table's order.
    pub const ALL: [Action; 14] = [
        Action::Read,
        Action::Import,
        Action::Close,
        Action::WorkCase,
        Action::ChangeOwnPassphrase,
        Action::ChangeSetting,
        Action::LowerRetentionFloor,
        Action::ManageOperators,
        Action::ManageCatalogue,
        Action::RenewRecoveryKey,
        Action::SealSetup,
        Action::Merge,
        Action::Confirm,
        Action::Purge,
    ];

    /// The action's name, for refusals and the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Import => "import",
            Action::Close => "close the day",
            Action::WorkCase => "work a case",
            Action::ChangeOwnPassphrase => "change one's passphrase",
            Action::ChangeSetting => "change a setting",
            Action::LowerRetentionFloor => "lower the retention floor",
            Action::ManageOperators => "manage operators",
            Action::ManageCatalogue => "keep labels and replies",
            Action::RenewRecoveryKey => "renew the recovery key",
            Action::SealSetup => "set up sealing",
            Action::Merge => "merge conversations",
            Action::Confirm => "record the archive's receipt",
            Action::Purge => "purge",
        }
    }
}

use Role::{Admin, Operator, Recovery};

/// The table: each action with the roles that may do it.
const TABLE: [(Action, &[Role]); 14] = [
    (Action::Read, &[Operator, Admin, Recovery]),
    (Action::Import, &[Operator, Admin, Recovery]),
    (Action::Close, &[Operator, Admin, Recovery]),
    (Action::WorkCase, &[Operator, Admin, Recovery]),
    // The recovery key is made, not chosen: it is renewed instead.
    (Action::ChangeOwnPassphrase, &[Operator, Admin]),
    (Action::ChangeSetting, &[Admin, Recovery]),
    (Action::LowerRetentionFloor, &[Recovery]),
    (Action::ManageOperators, &[Admin, Recovery]),
    (Action::ManageCatalogue, &[Admin, Recovery]),
    (Action::RenewRecoveryKey, &[Admin, Recovery]),
    (Action::SealSetup, &[Admin, Recovery]),
    (Action::Merge, &[Admin, Recovery]),
    (Action::Confirm, &[Admin, Recovery]),
    (Action::Purge, &[Admin, Recovery]),
];

/// Whether `role` may do `action`.
pub fn may(role: Role, action: Action) -> bool {
    TABLE
        .iter()
        .find(|(a, _)| *a == action)
        .is_some_and(|(_, roles)| roles.contains(&role))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn every_action_is_in_the_table_once() {
        for action in Action::ALL {
            assert_eq!(TABLE.iter().filter(|(a, _)| *a == action).count(), 1);
        }
    }

    #[test]
    fn the_table() {
        let mut text = String::new();
        for action in Action::ALL {
            let roles: Vec<&str> = [Operator, Admin, Recovery]
                .into_iter()
                .filter(|r| may(*r, action))
                .map(|r| match r {
                    Operator => "operator",
                    Admin => "admin",
                    Recovery => "recovery",
                })
                .collect();
            text += &format!("{:<28}{}\n", action.name(), roles.join(", "));
        }
        expect![[r#"
            read                        operator, admin, recovery
            import                      operator, admin, recovery
            close the day               operator, admin, recovery
            work a case                 operator, admin, recovery
            change one's passphrase     operator, admin
            change a setting            admin, recovery
            lower the retention floor   recovery
            manage operators            admin, recovery
            keep labels and replies     admin, recovery
            renew the recovery key      admin, recovery
            set up sealing              admin, recovery
            merge conversations         admin, recovery
            record the archive's receiptadmin, recovery
            purge                       admin, recovery
        "#]]
        .assert_eq(&text);
    }
}
