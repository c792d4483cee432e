//! What a new export does to a case, in the import's own transaction: a
//! new message from the citizen opens a case that was put aside (saying
//! why), and the municipality's messages are matched with the replies set
//! out, which then show as sent.

use std::collections::HashSet;

use kluis_vault::store::{
    Case, ConversationId, Entry, MessageId, MessageKind, NewMessage, Store, StoreError, Writer,
};

use super::reconcile::{self, Candidate};
use super::{CaseState, REOPENED_BY_CITIZEN};
use crate::console::{ACCOUNT_SETTING, Sides};
use crate::conversations::Sender;

/// What the import read of a conversation before it writes.
pub(crate) struct Before {
    chat_name: String,
    participants: Vec<String>,
    account: Option<String>,
    case: Option<Case>,
    pending: Vec<Entry>,
}

impl Before {
    pub(crate) fn read(store: &Store, conversation: ConversationId) -> Result<Self, StoreError> {
        let case = match store.case_of(conversation)? {
            Some(id) => store.case(id)?,
            None => None,
        };
        Ok(Self {
            chat_name: store.chat_name(conversation)?.unwrap_or_default(),
            participants: store.participants(conversation)?,
            account: store.setting(ACCOUNT_SETTING)?,
            case,
            pending: store.pending_replies(Some(conversation))?,
        })
    }
}

/// What arrived did to the case: reopened it, and how many replies it
/// showed as sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrivals {
    pub reopened: bool,
    pub replies_seen: usize,
}

/// Carries out what the new messages mean for the case, audited.
pub(crate) fn arrived(
    tx: &mut Writer<'_>,
    before: &Before,
    conversation: ConversationId,
    new: &[(MessageId, &NewMessage<'_>)],
    who: &str,
    now: i64,
) -> Result<Arrivals, StoreError> {
    let mut authors: HashSet<&str> = before.participants.iter().map(String::as_str).collect();
    authors.extend(
        new.iter()
            .filter(|(_, m)| m.kind != MessageKind::System)
            .filter_map(|(_, m)| m.author),
    );
    let sides = Sides::of_authors(authors, &before.chat_name, before.account.as_deref());
    let subject = super::conversation_subject(conversation);
    let mut arrivals = Arrivals::default();
    let sender = |m: &NewMessage<'_>| sides.sender(m.kind, m.author);
    // The chat's own name is the citizen for certain. Anyone else is, only
    // when the municipality's side is known: in a group without a matching
    // `municipality.account`, its own messages would read as the citizen's,
    // and nothing is reopened on a guess.
    let from_citizen = |m: &NewMessage<'_>| {
        m.author == Some(before.chat_name.as_str())
            || (sides.knows_municipality() && sender(m) == Sender::Citizen)
    };
    let state = CaseState::of(before.case.as_ref(), now);
    let citizen_wrote = new
        .iter()
        .any(|(_, m)| from_citizen(m) && matches!(m.kind, MessageKind::Text | MessageKind::Media));
    if let (Some(case), true) = (
        &before.case,
        citizen_wrote && state.reopens_when_citizen_writes(),
    ) {
        tx.reopen_case(case.id, REOPENED_BY_CITIZEN, now)?;
        super::audit_edit(tx, who, now, &subject, "case: reopened, the citizen wrote")?;
        arrivals.reopened = true;
    }
    let replies: Vec<Candidate<'_, _>> = before
        .pending
        .iter()
        .map(|e| Candidate {
            id: e.id,
            at: e.at.seconds(),
            text: &e.text,
        })
        .collect();
    // Sent means sent by the municipality's own account: never by whoever
    // else is in a chat of two (a hand-made export could name anyone).
    let account = before.account.as_deref();
    let sent: Vec<Candidate<'_, MessageId>> = new
        .iter()
        .filter(|(_, m)| account.is_some() && m.author == account && m.kind == MessageKind::Text)
        .map(|(id, m)| Candidate {
            id: *id,
            at: m.at.seconds(),
            text: m.text,
        })
        .collect();
    for (entry, message) in reconcile::pair(&replies, &sent) {
        tx.link_reply(entry, message)?;
        super::audit_edit(
            tx,
            who,
            now,
            &subject,
            &format!("reply {} seen in an export", entry.0),
        )?;
        arrivals.replies_seen += 1;
    }
    Ok(arrivals)
}
