//! Taking WhatsApp exports into the vault.
//!
//! One export file is one import and one transaction: its original bytes and
//! its media are written as encrypted blobs first, then the messages, the
//! files' records and the audit entry are committed together, or nothing
//! is. A re-export is aligned with what is stored (see [`crate::merge`]), so
//! only what is new is added and importing a file twice adds nothing.
//!
//! The inbox ([`inbox`]), a drop on the window and `kluis import` all end
//! in [`import_file`].

pub mod chat_name;
pub mod inbox;
mod report;
mod same_message;
mod source;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::ops::Range;
use std::path::Path;

use kluis_vault::audit::{AuditAction, NewEntry};
use kluis_vault::blob::{BlobError, BlobInfo, Unclaimed};
use kluis_vault::store::{
    ConversationId, MessageId, MessageKind, MessageVersion, NewMessage, OriginalId, Store,
    StoreError, StoredMessage, VersionKind, Writer,
};
use kluis_vault::{LocalTime, Session, VaultError};
use whatsapp_export::container::ContainerError;
use whatsapp_export::{Kind, Message};

use crate::merge::{self, Alignment, Gap, Place};
use same_message::{Difference, Said};

pub use report::{Differed, ImportReport, Warning};
pub use source::{exports_at, is_export_name};
pub use whatsapp_export::DateOrder;

/// Why an export was not imported. [`ImportError::is_the_files_fault`]
/// tells a file to set aside from a failure to retry.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file went away while Kluis read it.
    #[error("the file disappeared while Kluis was reading it")]
    Vanished,
    /// The file could not be read.
    #[error("the file could not be read: {0}")]
    Unreadable(io::Error),
    /// A symbolic link: Kluis takes only real files.
    #[error("it is a symbolic link; Kluis takes only the export file itself")]
    Symlink,
    /// A folder without a `.txt` or `.zip` in it.
    #[error("it holds no WhatsApp export (no .txt or .zip file)")]
    NoExport,
    /// What is in it cannot be listed: names nested deeper or longer than
    /// the system reads, or no permission.
    #[error(
        "Kluis cannot read what is in it ({0}): names nested too deep or too long, or no permission"
    )]
    Unlistable(io::Error),
    /// Not a chat export.
    #[error("this is not a WhatsApp chat export: {0}")]
    NotAnExport(NotAnExport),
    /// The zip was refused (hostile or damaged).
    #[error("the zip file was refused: {0}")]
    Refused(ContainerError),
    /// The vault locked before this file was read; it is read after the
    /// next unlock.
    #[error("the vault locked before it was read; it is read after the next unlock")]
    Locked,
    /// The vault could not take it (a full disk, for instance).
    #[error("the vault could not store it: {0}")]
    Vault(#[from] VaultError),
}

/// Why a file is not a chat export: a kind the window says in its own
/// words (the text here is the command line's and the quarantine note's).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAnExport {
    #[error("it is not a file (a device, a socket or a pipe)")]
    NotAFile,
    #[error("no line in it starts like a WhatsApp message (a date, a time and a name)")]
    NoMessages,
    #[error("the message at line {line} has a date that does not exist")]
    ImpossibleDate { line: usize },
    #[error("the message at line {line} is longer than any WhatsApp writes")]
    MessageTooLong { line: usize },
    #[error("it holds more than 65,536 messages in one second, more than any chat can")]
    TooManyInOneSecond,
    #[error(
        "the chat text is larger than {limit_mib} MiB, more than any export (40,000 messages are about 4 MB)"
    )]
    ChatTooLarge { limit_mib: u64 },
    /// Damaged in a way the reader names (a zip entry larger than it says).
    #[error("{0}")]
    Damaged(String),
}

impl NotAnExport {
    /// The stable name of its kind (see [`ImportError::kind`]).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NotAFile => "not-a-file",
            Self::NoMessages => "no-messages",
            Self::ImpossibleDate { .. } => "impossible-date",
            Self::MessageTooLong { .. } => "message-too-long",
            Self::TooManyInOneSecond => "too-many-in-one-second",
            Self::ChatTooLarge { .. } => "chat-too-large",
            Self::Damaged(_) => "damaged",
        }
    }

    /// The line it is about, if one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::ImpossibleDate { line } | Self::MessageTooLong { line } => Some(*line),
            _ => None,
        }
    }
}

impl ImportError {
    /// Whether the file itself is the problem (it goes to quarantine), as
    /// opposed to the machine (it stays and is tried again).
    pub fn is_the_files_fault(&self) -> bool {
        match self {
            Self::Symlink | Self::NoExport | Self::Unlistable(_) | Self::NotAnExport(_) => true,
            Self::Refused(ContainerError::Io(_)) => false,
            Self::Refused(_) => true,
            Self::Vanished | Self::Unreadable(_) | Self::Locked | Self::Vault(_) => false,
        }
    }

    /// A stable name for the kind of failure: written into the
    /// quarantine's notes, so that the window can say it in its language.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Vanished => "vanished",
            Self::Unreadable(_) => "unreadable",
            Self::Symlink => "symlink",
            Self::NoExport => "no-export",
            Self::Unlistable(_) => "unlistable",
            Self::NotAnExport(why) => why.kind(),
            Self::Refused(_) => "zip-refused",
            Self::Locked => "locked",
            Self::Vault(_) => "vault",
        }
    }

    fn from_io(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::NotFound {
            Self::Vanished
        } else if error.kind() == io::ErrorKind::InvalidData {
            // A zip entry that inflates beyond its declared size.
            Self::NotAnExport(NotAnExport::Damaged(error.to_string()))
        } else {
            Self::Unreadable(error)
        }
    }

    /// An error met listing a folder: the folder's own fault when its
    /// names cannot be read at all, the machine's otherwise.
    pub(crate) fn from_listing(error: io::Error) -> Self {
        let theirs = [libc::ENAMETOOLONG, libc::ELOOP, libc::EACCES, libc::EPERM];
        match error.raw_os_error() {
            Some(code) if theirs.contains(&code) => Self::Unlistable(error),
            _ => Self::from_io(error),
        }
    }

    fn from_container(error: ContainerError) -> Self {
        match error {
            ContainerError::Io(e) => Self::from_io(e),
            other => Self::Refused(other),
        }
    }
}

impl From<StoreError> for ImportError {
    fn from(error: StoreError) -> Self {
        match error {
            // The file asks more of a second's ids than any chat could.
            StoreError::SecondFull(_) => Self::NotAnExport(NotAnExport::TooManyInOneSecond),
            other => Self::Vault(VaultError::Store(other)),
        }
    }
}

impl From<BlobError> for ImportError {
    fn from(error: BlobError) -> Self {
        Self::Vault(VaultError::Blob(error))
    }
}

/// A parsed message as the store takes it: the one place where the
/// parser's view becomes the vault's.
pub fn new_message<'m>(
    message: &'m Message<'_>,
    original: Option<OriginalId>,
) -> Result<NewMessage<'m>, ImportError> {
    let t = message.timestamp;
    let at = LocalTime::from_parts(
        i32::from(t.year),
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
    )
    .ok_or_else(|| ImportError::NotAnExport(NotAnExport::ImpossibleDate { line: message.line }))?;
    Ok(NewMessage {
        at,
        author: message.author.as_deref(),
        kind: match message.kind {
            Kind::System => MessageKind::System,
            Kind::Deleted => MessageKind::Deleted,
            Kind::Media => MessageKind::Media,
            Kind::Message => MessageKind::Text,
        },
        text: &message.text,
        attachment: message.attachment.as_deref(),
        original,
    })
}

/// How many consecutive messages a copy-numbered export must share with a
/// conversation to be taken for it (fewer when either has fewer).
const SHARED_STRETCH: usize = 3;

/// The conversation an export goes into, and where its messages go there.
struct Destination {
    conversation: Option<ConversationId>,
    stored: Vec<StoredMessage>,
    alignment: Alignment,
    other_with_same_name: bool,
}

/// Finds the conversation: the same chat name and at least one author in
/// common (or no authors yet on one side). A name that differs only by a
/// copy number (`Jan` and `Jan (2)`) is the same conversation only if
/// messages overlap: otherwise it is a namesake. Of several, the one the
/// export overlaps most, then the exact name, then the newest.
fn destination(
    store: &Store,
    chat_name: &str,
    participants: &BTreeSet<&str>,
    messages: &[NewMessage<'_>],
) -> Result<Destination, ImportError> {
    let export: Vec<Said<'_>> = messages.iter().map(Said::of_new).collect();
    let base = chat_name::base(chat_name);
    let mut best: Option<(Destination, bool)> = None;
    let mut other_with_same_name = false;
    for (candidate, name) in store.conversations_named_like(base)? {
        let exact = name == chat_name;
        if !exact && chat_name::base(&name) != base {
            continue; // `Jan (RU)` is not a copy of `Jan`
        }
        let known = store.participants(candidate)?;
        let shares = known.is_empty()
            || participants.is_empty()
            || known.iter().any(|k| participants.contains(k.as_str()));
        if !shares {
            other_with_same_name |= exact;
            continue;
        }
        let stored = store.messages(candidate, i64::MIN, usize::MAX)?;
        let keys: Vec<Said<'_>> = stored.iter().map(Said::of_stored).collect();
        let alignment = merge::align(&keys, &export, Said::at, Said::at);
        // A copy number (`Jan (2)`) may be a namesake: it joins only on a
        // stretch both exports share, never on one look-alike message.
        let stretch = SHARED_STRETCH.min(export.len()).min(keys.len());
        drop(keys);
        let already = alignment.already();
        if !exact && (already == 0 || alignment.longest_run() < stretch) {
            continue;
        }
        let better = best
            .as_ref()
            .is_none_or(|(b, b_exact)| (already, exact) >= (b.alignment.already(), *b_exact));
        if better {
            let found = Destination {
                conversation: Some(candidate),
                stored,
                alignment,
                other_with_same_name: false,
            };
            best = Some((found, exact));
        }
    }
    Ok(match best {
        Some((found, _)) => found,
        None => Destination {
            conversation: None,
            stored: Vec::new(),
            alignment: merge::align(&[], &export, Said::at, Said::at),
            other_with_same_name,
        },
    })
}

/// Imports the export file at `path` in one transaction, stamped `now`.
pub fn import_file(
    session: &mut Session,
    path: &Path,
    now: i64,
) -> Result<ImportReport, ImportError> {
    import_file_gated(session, path, &|| Ok(now))
}

/// [`import_file`], asking `gate` just before the transaction begins for
/// the time to stamp it with, or why it may not commit now (the lock
/// closed while the file was read): then nothing is kept, not even the
/// files already written, and the export is read again later.
pub fn import_file_gated(
    session: &mut Session,
    path: &Path,
    gate: &dyn Fn() -> Result<i64, ImportError>,
) -> Result<ImportReport, ImportError> {
    let mut opened = source::Opened::open(path)?;
    let export = whatsapp_export::parse(&opened.chat_text).map_err(|e| {
        ImportError::NotAnExport(match e {
            whatsapp_export::ScanError::MessageTooLong { line } => {
                NotAnExport::MessageTooLong { line }
            }
            other => NotAnExport::Damaged(other.to_string()),
        })
    })?;
    if export.messages.is_empty() {
        return Err(ImportError::NotAnExport(NotAnExport::NoMessages));
    }
    let mut messages = export
        .messages
        .iter()
        .map(|m| new_message(m, None))
        .collect::<Result<Vec<_>, _>>()?;
    let participants: BTreeSet<&str> = messages
        .iter()
        .filter(|m| m.kind != MessageKind::System)
        .filter_map(|m| m.author)
        .collect();

    let who = session.who().to_string();
    let (blobs, store) = session.blobs_and_store();
    let found = destination(store, &opened.chat_name, &participants, &messages)?;
    let alignment = &found.alignment;
    let mut report = ImportReport::new(
        &opened.file_name,
        &opened.chat_name,
        &export,
        (opened.path.clone(), opened.size, opened.sha256),
    );
    report.already = alignment.already();
    report.new_messages = alignment.new_count();
    report.new_conversation = found.conversation.is_none();
    if found.other_with_same_name {
        report.warnings.push(Warning::SameNameOtherParticipants);
    }
    match alignment.gap {
        Gap::None => {}
        Gap::BeforeNew => report.warnings.push(Warning::GapBefore),
        Gap::AfterNew => report.warnings.push(Warning::GapAfter),
    }
    let pairs: Vec<(usize, &StoredMessage, Difference)> = alignment
        .pairs()
        .map(|(e, s)| {
            let stored = &found.stored[s];
            let said = (Said::of_stored(stored), Said::of_new(&messages[e]));
            let difference = same_message::difference(&said.0, &said.1);
            (e, stored, difference.unwrap_or(Difference::None))
        })
        .collect();
    for (_, _, difference) in &pairs {
        report.differed.count(*difference);
    }

    // Blobs first: a crash after this leaves unused blobs, never a record
    // pointing at nothing.
    let mut written = Unclaimed::new(&blobs);
    let existing_original = store.original_with_sha256(&opened.sha256)?;
    let original_blob = match existing_original {
        Some(_) => None,
        None => {
            let mut writer = blobs.create()?;
            opened.write_original(&mut writer)?;
            let info = writer.finish()?;
            written.add(info.id);
            if info.sha256 != opened.sha256 || info.size != opened.size {
                // Changed between reading and keeping: try again when it is still.
                return Err(ImportError::Unreadable(io::Error::other(
                    "the file changed while Kluis was reading it",
                )));
            }
            Some(info)
        }
    };
    let mut new_media: HashMap<usize, Option<BlobInfo>> = HashMap::new();
    for (index, place) in alignment.places.iter().enumerate() {
        if let (Place::New { .. }, Some(name)) = (place, messages[index].attachment) {
            let info = keep_media(&blobs, &mut opened.media, name)?;
            if let Some(info) = &info {
                written.add(info.id);
            }
            new_media.insert(index, info);
        }
    }
    // Files a re-export brings for messages stored without them.
    let mut supplied: Vec<(MessageId, &str, BlobInfo)> = Vec::new();
    if let (Some(conversation), false) = (found.conversation, pairs.is_empty()) {
        let mut have: HashMap<MessageId, bool> = HashMap::new();
        for (message, _, blob) in store.media(conversation)? {
            *have.entry(message).or_default() |= blob.is_some();
        }
        for (index, stored, _) in &pairs {
            let Some(name) = messages[*index].attachment else {
                continue;
            };
            if have.get(&stored.id).copied().unwrap_or(false) {
                continue;
            }
            if let Some(info) = keep_media(&blobs, &mut opened.media, name)? {
                written.add(info.id);
                supplied.push((stored.id, name, info));
            }
        }
    }

    let now = gate()?;
    let case_before = match found.conversation {
        Some(c) => Some(crate::cases::Before::read(store, c)?),
        None => None,
    };
    let mut tx = store.write()?;
    let original = match (&original_blob, existing_original) {
        (_, Some(id)) => id,
        (Some(info), None) => tx.add_original(info, &opened.file_name, now)?,
        (None, None) => unreachable!("a blob is written when no original matches"),
    };
    for message in &mut messages {
        message.original = Some(original);
    }
    let conversation = match found.conversation {
        Some(id) => id,
        None => tx.add_conversation(&opened.chat_name, now)?,
    };
    for name in &participants {
        tx.add_participant(conversation, name)?;
    }
    let ids = add_new_messages(&mut tx, conversation, &found, &messages)?;
    for (index, stored, difference) in &pairs {
        keep_versions(
            &mut tx,
            stored,
            &messages[*index],
            *difference,
            original,
            now,
        )?;
    }
    if let Some(before) = &case_before {
        // Only what came after the stored messages is news for the case: an
        // older export's messages, placed in front or in between, were
        // written before anything the case was put aside for or any reply
        // set out.
        let last = Place::New {
            before: found.stored.len(),
        };
        let new: Vec<(MessageId, &NewMessage<'_>)> = ids
            .iter()
            .filter(|(index, _)| alignment.places[*index] == last)
            .map(|&(index, id)| (id, &messages[index]))
            .collect();
        report.case = crate::cases::arrived(&mut tx, before, conversation, &new, &who, now)?;
    }
    for (index, id) in ids {
        if let (Some(name), Some(blob)) = (messages[index].attachment, new_media.get(&index)) {
            tx.add_media(id, name, blob.as_ref())?;
            match blob {
                Some(_) => report.media_stored += 1,
                None => report.media_missing += 1,
            }
        }
    }
    for (message, name, info) in &supplied {
        tx.supply_media(*message, name, info)?;
        report.media_stored += 1;
    }
    report.conversation = conversation;
    report.original = original;
    tx.audit(&NewEntry {
        at: now,
        operator: &who,
        action: AuditAction::Import,
        subject: &format!("conversation {}", conversation.0),
        detail: &report.audit_detail(),
    })?;
    tx.commit()?;
    written.claim();
    tracing::info!(
        new = report.new_messages,
        already = report.already,
        media_stored = report.media_stored,
        media_missing = report.media_missing,
        warnings = report.warnings.len(),
        "imported an export"
    );
    Ok(report)
}

/// Writes the export's new messages where the alignment put them: runs in
/// between from the last one back (each moves only what follows it), then
/// those in front, then those at the end; marks the gap where the two did
/// not meet. Returns (export index, id) in the export's order.
fn add_new_messages(
    tx: &mut Writer<'_>,
    conversation: ConversationId,
    found: &Destination,
    messages: &[NewMessage<'_>],
) -> Result<Vec<(usize, MessageId)>, StoreError> {
    let stored = &found.stored;
    let mut runs: Vec<(usize, Range<usize>)> = Vec::new();
    for (index, place) in found.alignment.places.iter().enumerate() {
        let Place::New { before } = *place else {
            continue;
        };
        match runs.last_mut() {
            Some((at, run)) if *at == before && run.end == index => run.end = index + 1,
            _ => runs.push((before, index..index + 1)),
        }
    }
    let mut ids = Vec::new();
    let mut first_new_seq = None;
    // Into an empty conversation, messages go at the end (from place 0).
    let (end, rest): (Vec<_>, Vec<_>) = runs.into_iter().partition(|(at, _)| *at == stored.len());
    let (front, between): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(at, _)| *at == 0);
    for (at, run) in between.iter().rev() {
        let seq = stored[*at].seq;
        let added = tx.insert_messages_at(conversation, seq, &messages[run.clone()])?;
        ids.extend(run.clone().zip(added));
        first_new_seq = Some(seq);
    }
    for (_, run) in &front {
        let added = tx.add_messages_before(conversation, &messages[run.clone()])?;
        ids.extend(run.clone().zip(added));
    }
    for (_, run) in &end {
        for index in run.clone() {
            let id = tx.add_message(conversation, &messages[index])?;
            first_new_seq.get_or_insert(tx.place_of(id)?);
            ids.push((index, id));
        }
    }
    match found.alignment.gap {
        Gap::None => {}
        Gap::BeforeNew => {
            if let Some(seq) = first_new_seq {
                tx.mark_gap(conversation, seq)?;
            }
        }
        Gap::AfterNew => tx.mark_gap(conversation, stored[0].seq)?,
    }
    ids.sort_unstable_by_key(|(index, _)| *index);
    Ok(ids)
}

/// Keeps what a re-export showed of a stored message: its richer version
/// in the message, the other beside it.
fn keep_versions(
    tx: &mut Writer<'_>,
    stored: &StoredMessage,
    export: &NewMessage<'_>,
    difference: Difference,
    original: OriginalId,
    now: i64,
) -> Result<(), StoreError> {
    let beside = |why, text: &str| MessageVersion {
        message: stored.id,
        why,
        text: text.to_owned(),
        original: Some(original),
        noted_at: now,
    };
    match difference {
        Difference::None => Ok(()),
        Difference::DeletedLater => tx.add_version(&beside(VersionKind::DeletedLater, export.text)),
        Difference::EarlierText => tx.add_version(&beside(VersionKind::BeforeEdit, export.text)),
        Difference::TextRestored => {
            tx.revise_message(stored.id, export, Some(VersionKind::DeletedLater), now)
        }
        Difference::Edited => {
            tx.revise_message(stored.id, export, Some(VersionKind::BeforeEdit), now)
        }
        Difference::CaptionAdded => tx.revise_message(stored.id, export, None, now),
    }
}

/// Merges conversation `from` into `into` (by time; `from` is then gone),
/// with its audit entry in the same transaction.
pub fn merge_conversations(
    session: &mut Session,
    into: ConversationId,
    from: ConversationId,
    now: i64,
) -> Result<(), StoreError> {
    let who = session.who().to_string();
    let mut tx = session.store_mut().write()?;
    tx.merge_conversations(into, from)?;
    tx.audit(&NewEntry {
        at: now,
        operator: &who,
        action: AuditAction::Edit,
        subject: &format!("conversation {}", into.0),
        detail: &format!("merged conversation {} into it", from.0),
    })?;
    tx.commit()
}

/// Removes the encrypted files no record refers to (a failed import that
/// could not remove its own, a crash before a purge removed its files),
/// with one audit entry naming how many. Only at unlock, before this
/// session writes any blob.
pub fn remove_unreferenced(session: &mut Session, now: i64) -> Result<usize, VaultError> {
    let unreferenced = session.unreferenced_blobs()?;
    if unreferenced.is_empty() {
        return Ok(0);
    }
    let blobs = session.blobs()?;
    let mut removed = 0;
    for id in unreferenced {
        match blobs.remove(id) {
            Ok(()) => removed += 1,
            Err(e) => tracing::warn!(error = %e, "a file no record refers to could not be removed"),
        }
    }
    session.audit(
        now,
        AuditAction::Purge,
        "files",
        &format!("removed {removed} encrypted files that no record refers to"),
    )?;
    Ok(removed)
}

/// Stores the file `name` as a blob, or `None` when the export lacks it.
fn keep_media(
    blobs: &kluis_vault::blob::Blobs<'_>,
    media: &mut source::Media,
    name: &str,
) -> Result<Option<BlobInfo>, ImportError> {
    let Some(mut file) = media.open(name)? else {
        return Ok(None);
    };
    let mut writer = blobs.create()?;
    io::copy(&mut file, &mut writer).map_err(ImportError::from_io)?;
    Ok(Some(writer.finish()?))
}
