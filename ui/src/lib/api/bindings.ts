// Generated from src-tauri/src/dto.rs by src-tauri/tests/bindings.rs; do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings

export type AppInfo = { 
/**
 * The app's version.
 */
version: string, 
/**
 * What the console shows: the demo, a lock screen, or the vault.
 */
console: ConsoleState, 
/**
 * The business account's name as it appears in the demo conversations.
 */
municipality: string | null, };

export type ConsoleState = { "state": "demo" } | { "state": "locked", whoCanUnlock: Array<UnlockAs>, failedUnlocks: number, waitSeconds: number, 
/**
 * The shift hours, as IT wrote them.
 */
shifts: string, 
/**
 * Now is outside them: only the admin or recovery key, with a reason.
 */
outsideShift: boolean, 
/**
 * Today is closed: operators wait until tomorrow.
 */
dayClosed: DateDto | null, 
/**
 * The admin or recovery key opens now only with a reason.
 */
reasonNeeded: boolean, } | { "state": "open", who: UnlockAs, closingAt: ClockTime | null, } | { "state": "unavailable", problem: Unavailable, };

export type UnlockAs = { "kind": "operator", "name": string } | { "kind": "admin" } | { "kind": "recovery" };

export type CaseStateDto = { "kind": "new" } | { "kind": "open", reopened: ReopenedDto | null, } | { "kind": "waitingOnCitizen" } | { "kind": "snoozed", until: Stamp | null, } | { "kind": "resolved" };

export type ReopenedDto = { "why": "citizenWrote", at: Stamp, } | { "why": "snoozeEnded", at: Stamp, };

export type StateKindDto = "new" | "open" | "waitingOnCitizen" | "snoozed" | "resolved";

export type OrderDto = "longestWaiting" | "newest" | "name";

export type ListQueryDto = { state: StateKindDto | null, label: string | null, handover: boolean, today: boolean, order: OrderDto, };

export type FindDto = { text: string, from: DateDto | null, to: DateDto | null, state: StateKindDto | null, label: string | null, };

export type PlaceDto = { "kind": "message", id: number, } | { "kind": "entry", id: number, } | { "kind": "handover" } | { "kind": "chatName" } | { "kind": "reference" } | { "kind": "label" } | { "kind": "participant" };

export type SnippetPart = { text: string, hit: boolean, };

export type FoundHitView = { place: PlaceDto, at: Stamp | null, author: string | null, snippet: Array<SnippetPart>, };

export type FoundConversationView = { hits: Array<FoundHitView>, 
/**
 * All its hits, shown or not.
 */
count: number, 
/**
 * The conversation's id.
 */
id: number, 
/**
 * The chat's name.
 */
chatName: string, 
/**
 * Where the case stands.
 */
state: CaseStateDto, 
/**
 * The case reference, if any.
 */
reference: string | null, 
/**
 * Case type labels.
 */
labels: Array<string>, };

export type FoundView = { conversations: Array<FoundConversationView>, 
/**
 * Every hit read.
 */
hits: number, 
/**
 * Older messages may match too: only the newest were read.
 */
cutOff: boolean, };

export type StatusDto = "open" | "waitingOnCitizen" | "resolved";

export type HandEntryDto = "call" | "visit" | "channel";

export type LocalStampDto = { year: number, month: number, day: number, hour: number, minute: number, };

export type CaseChangeDto = { "kind": "status", status: StatusDto, } | { "kind": "snooze", until: LocalStampDto | null, } | { "kind": "label", name: string, on: boolean, } | { "kind": "reference", reference: string | null, } | { "kind": "note", text: string, } | { "kind": "handover", text: string, } | { "kind": "entry", entry: HandEntryDto, at: LocalStampDto | null, text: string, };

export type CaseProblem = { "kind": "empty" } | { "kind": "tooLong", max: number, } | { "kind": "controlCharacter" } | { "kind": "referenceMismatch", pattern: string, } | { "kind": "referenceTaken" } | { "kind": "snoozeInPast" } | { "kind": "entryInFuture" } | { "kind": "entryTooOld", days: number, } | { "kind": "unknownLabel" } | { "kind": "removedLabel" } | { "kind": "unknownPlaceholder", name: string, } | { "kind": "unfilled", name: string, } | { "kind": "alreadySent" } | { "kind": "noneChosen" } | { "kind": "oneReferenceOneConversation" } | { "kind": "other" };

export type LabelView = { name: string, 
/**
 * A colour of the palette (blauw, groen, …).
 */
colour: string, 
/**
 * No longer offered; cases that have it keep it.
 */
removed: boolean, };

export type CatalogueView = { labels: Array<LabelView>, 
/**
 * The pattern a reference must match, shown as a hint.
 */
referencePattern: string | null, 
/**
 * How many canned replies there are.
 */
replies: number, };

export type SuggestionView = { shortcode: string, title: string, text: string, 
/**
 * Placeholders still to fill (`zaaknummer`, …).
 */
missing: Array<string>, };

export type EntryView = { id: number, 
/**
 * note, call, visit, channel or reply.
 */
kind: string, at: Stamp, operator: string, text: string, 
/**
 * A reply seen in an export: when it was sent.
 */
sentAt: Stamp | null, 
/**
 * A reply marked as not sent.
 */
withdrawn: boolean, };

export type HandoverView = { text: string, by: string, at: Stamp, };

export type HandoverNoteView = { id: number, chatName: string, note: HandoverView, };

export type ConversationRef = { id: number, chatName: string, 
/**
 * How many (replies not seen); 0 where nothing is counted.
 */
count: number, };

export type MediaKindDto = "image" | "sticker" | "audio" | "video" | "document";

export type MediaView = { id: number, fileName: string, kind: MediaKindDto, mime: string, size: number | null, 
/**
 * The export contained it.
 */
present: boolean, };

export type MediaProblem = { "kind": "notOpen" } | { "kind": "noSuchFile" } | { "kind": "missing" } | { "kind": "tooLarge" } | { "kind": "unreadable" };

export type SenderDto = "citizen" | "municipality" | "system";

export type ConversationHeader = { 
/**
 * The conversation's id.
 */
id: number, 
/**
 * The chat's name.
 */
chatName: string, 
/**
 * Where the case stands.
 */
state: CaseStateDto, 
/**
 * The case reference, if any.
 */
reference: string | null, 
/**
 * Case type labels.
 */
labels: Array<string>, };

export type ConversationSummary = { 
/**
 * The latest message's time.
 */
lastActivity: Stamp | null, 
/**
 * The start of the latest message's text.
 */
preview: string, 
/**
 * How many messages the conversation has.
 */
messageCount: number, 
/**
 * The citizen's first unanswered message, while the case is to do.
 */
waitingSince: Stamp | null, 
/**
 * How long since then, in minutes, by Kluis's clock (not the page's).
 */
waitingMinutes: number | null, 
/**
 * Messages new since this operator last opened it.
 */
unseen: number, 
/**
 * A handover note is there.
 */
handover: boolean, 
/**
 * Replies set out that no export showed yet.
 */
pendingReplies: number, 
/**
 * Still work to do (new or open), as core counts it: where
 * "resolved, next" goes.
 */
toDo: boolean, 
/**
 * The conversation's id.
 */
id: number, 
/**
 * The chat's name.
 */
chatName: string, 
/**
 * Where the case stands.
 */
state: CaseStateDto, 
/**
 * The case reference, if any.
 */
reference: string | null, 
/**
 * Case type labels.
 */
labels: Array<string>, };

export type ConversationView = { 
/**
 * In export order.
 */
messages: Array<MessageView>, 
/**
 * The operator's entries, in time order.
 */
entries: Array<EntryView>, handover: HandoverView | null, 
/**
 * The conversation's id.
 */
id: number, 
/**
 * The chat's name.
 */
chatName: string, 
/**
 * Where the case stands.
 */
state: CaseStateDto, 
/**
 * The case reference, if any.
 */
reference: string | null, 
/**
 * Case type labels.
 */
labels: Array<string>, };

export type MessageView = { 
/**
 * The store's id: stable, for the page's keys.
 */
id: number, 
/**
 * Local time as written in the export.
 */
at: Stamp, 
/**
 * Who wrote it.
 */
sender: SenderDto, 
/**
 * The author as shown in the export.
 */
author: string | null, 
/**
 * The text (a file's caption).
 */
text: string, 
/**
 * The file it carries.
 */
media: MediaView | null, 
/**
 * Deleted by its sender.
 */
deleted: boolean, 
/**
 * Edited by its sender (WhatsApp's mark is left out of `text`).
 */
edited: boolean, 
/**
 * What other exports showed of it.
 */
versions: Array<VersionView>, 
/**
 * Messages may be missing right before it.
 */
gapBefore: boolean, 
/**
 * The export file it came from.
 */
source: string | null, };

export type CommandError = { "kind": "conversationNotFound", id: number, } | { "kind": "locked" } | { "kind": "noVault" } | { "kind": "wrongPassphrase", failures: number, waitSeconds: number, } | { "kind": "tooSoon", seconds: number, } | { "kind": "outsideShift" } | { "kind": "reasonNeeded" } | { "kind": "dayClosed", day: DateDto, } | { "kind": "adminNeeded", failures: number, } | { "kind": "noSuchDate", day: DateDto, } | { "kind": "notPermitted" } | { "kind": "notSetUp", setting: string, } | { "kind": "noTarget" } | { "kind": "seal", detail: string, } | { "kind": "case", problem: CaseProblem, } | { "kind": "media", problem: MediaProblem, } | { "kind": "clipboard" } | { "kind": "vault", detail: string, };

export type PageEvent = { "kind": "dropHover", over: boolean, } | { "kind": "imported" } & ImportBatch | { "kind": "inboxProblem", problem: InboxProblem, } | { "kind": "locked", why: LockReason, } | { "kind": "closingSoon", closingAt: ClockTime, } | { "kind": "clockSetBack", minutes: number, } | { "kind": "lockScreenChanged" };

export type ImportBatch = { via: ImportVia, exports: Array<ExportResult>, };

export type ImportVia = "drop" | "inbox";

export type ExportResult = { 
/**
 * The file's or folder's name (not its path).
 */
fileName: string, outcome: ExportOutcome, };

export type DifferedDto = { deletedLater: number, restored: number, edited: number, captions: number, };

export type VersionWhy = "deletedLater" | "beforeEdit";

export type VersionView = { why: VersionWhy, 
/**
 * The deletion marker, or the text before the edit.
 */
text: string, 
/**
 * When the import that saw it ran.
 */
noted: Stamp, };

export type ExportOutcome = { "kind": "imported", conversation: number, chatName: string, newConversation: boolean, newMessages: number, already: number, 
/**
 * Of those, stored before in another form (each kept once, the
 * richer version shown, the other kept beside it).
 */
differed: DifferedDto, mediaStored: number, mediaMissing: number, warnings: Array<WarningDto>, 
/**
 * What stayed in the inbox although imported, and why.
 */
leftBehind: Array<LeftBehind>, } | { "kind": "refused", problem: ImportProblem, } | { "kind": "failed", problem: ImportProblem, };

export type InboxView = { 
/**
 * The folder watched.
 */
dir: string, 
/**
 * Where refused files go.
 */
quarantineDir: string, 
/**
 * Oldest first.
 */
quarantined: Array<QuarantinedFile>, };

export type ClosingOverview = { 
/**
 * Exports still in the inbox (waiting to settle, or failing).
 */
inboxWaiting: number, 
/**
 * Conversations still to do: new, or open.
 */
openConversations: number, 
/**
 * Of those, the ones without a handover note.
 */
withoutHandover: Array<ConversationRef>, 
/**
 * Conversations with replies set out that no export showed yet.
 */
repliesNotSeen: Array<ConversationRef>, 
/**
 * Replies wait but the municipality's account is not set: the admin
 * must set `municipality.account` before an export can show one sent.
 */
accountMissing: boolean, 
/**
 * Where the package goes (`archive.out`), if IT set it.
 */
target: string | null, 
/**
 * The folder is there (the stick is in).
 */
targetReady: boolean, };

export type SealedDay = { id: string, 
/**
 * The first 8 hex digits of the bag digest, for the paper log.
 */
check: string, conversations: number, messages: number, files: number, };

export type QuarantinedFile = { name: string, 
/**
 * Why, as the note beside it says.
 */
problem: ImportProblem, };

export type Stamp = { year: number, month: number, day: number, hour: number, minute: number, second: number, };

export type ClockTime = { hour: number, minute: number, };

export type DateDto = { year: number, month: number, day: number, };

export type Unavailable = { "kind": "inUse" } | { "kind": "damaged", detail: string, };

export type LockReason = "idle" | "osLocked" | "suspend" | "byHand" | "dayClosed";

export type InboxProblem = { "kind": "setting", detail: string, } | { "kind": "create", dir: string, detail: string, } | { "kind": "watch", dir: string, detail: string, } | { "kind": "read", detail: string, };

export type ImportProblem = { "kind": "vanished" } | { "kind": "unreadable", detail: string, } | { "kind": "symlink" } | { "kind": "noExport" } | { "kind": "notAFile" } | { "kind": "noMessages" } | { "kind": "impossibleDate", line: number | null, } | { "kind": "messageTooLong", line: number | null, } | { "kind": "tooManyInOneSecond" } | { "kind": "chatTooLarge", limitMib: number, } | { "kind": "unlistable", detail: string, } | { "kind": "damaged", detail: string, } | { "kind": "zipRefused", detail: string, } | { "kind": "locked" } | { "kind": "notOpen" } | { "kind": "demo" } | { "kind": "vault", detail: string, } | { "kind": "stray" } | { "kind": "noted", detail: string, } | { "kind": "unexplained" };

export type WarningDto = { "kind": "ambiguousDates", readAs: DateOrderDto, couldBe: DateOrderDto, } | { "kind": "invalidBytes", messages: number, } | { "kind": "preamble", lines: number, } | { "kind": "possiblyCut", messages: number, } | { "kind": "gapBefore" } | { "kind": "gapAfter" } | { "kind": "sameNameOtherParticipants" };

export type DateOrderDto = "dayMonthYear" | "monthDayYear" | "yearMonthDay";

export type LeftBehind = { "kind": "changed" } | { "kind": "notRemoved", detail: string, } | { "kind": "setAside", file: string, problem: ImportProblem, } | { "kind": "notSetAside", file: string, detail: string, } | { "kind": "notOverwritten", file: string, };
