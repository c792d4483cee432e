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
 * Today is closed (`YYYY-MM-DD`): nobody unlocks until tomorrow.
 */
dayClosed: string | null, } | { "state": "open", who: UnlockAs, closingAt: string | null, } | { "state": "unavailable", reason: string, };

export type UnlockAs = { "kind": "operator", "name": string } | { "kind": "admin" } | { "kind": "recovery" };

export type CaseStatusDto = "open" | "waitingOnCitizen" | "resolved";

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
status: CaseStatusDto, 
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
 * `YYYY-MM-DDTHH:MM:SS` of the latest message.
 */
lastActivity: string | null, 
/**
 * The start of the latest message's text.
 */
preview: string, 
/**
 * How many messages the conversation has.
 */
messageCount: number, 
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
status: CaseStatusDto, 
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
status: CaseStatusDto, 
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
 * `YYYY-MM-DDTHH:MM:SS`, local time as written in the export.
 */
at: string, 
/**
 * Who wrote it.
 */
sender: SenderDto, 
/**
 * The author as shown in the export.
 */
author: string | null, 
/**
 * The text.
 */
text: string, };

export type CommandError = { "kind": "conversationNotFound", id: number, } | { "kind": "locked" } | { "kind": "noVault" } | { "kind": "wrongPassphrase", failures: number, waitSeconds: number, } | { "kind": "tooSoon", seconds: number, } | { "kind": "outsideShift" } | { "kind": "reasonNeeded" } | { "kind": "dayClosed", day: string, } | { "kind": "adminNeeded", failures: number, } | { "kind": "notPermitted" } | { "kind": "seal", message: string, } | { "kind": "vault", message: string, };

export type PageEvent = { "kind": "dropHover", over: boolean, } | { "kind": "imported" } & ImportBatch | { "kind": "inboxProblem", message: string, } | { "kind": "locked", why: string, } | { "kind": "closingSoon", closingAt: string, } | { "kind": "clockSetBack", minutes: bigint, } | { "kind": "lockScreenChanged" };

export type ImportBatch = { via: ImportVia, exports: Array<ExportResult>, };

export type ImportVia = "drop" | "inbox";

export type ExportResult = { 
/**
 * The file's or folder's name (not its path).
 */
fileName: string, outcome: ExportOutcome, };

export type ExportOutcome = { "kind": "imported", conversation: number, chatName: string, newConversation: boolean, newMessages: number, already: number, mediaStored: number, mediaMissing: number, 
/**
 * Plain Dutch, one sentence each.
 */
warnings: Array<string>, 
/**
 * What stayed in the inbox although imported (it could not be
 * removed), and why.
 */
leftBehind: string | null, } | { "kind": "refused", reason: string, } | { "kind": "failed", reason: string, };

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
 * Conversations whose case is open (or that have none yet).
 */
openConversations: number, 
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
 * As written beside it.
 */
reason: string, };
