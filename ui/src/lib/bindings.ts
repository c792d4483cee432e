// Generated from src-tauri/src/dto.rs by src-tauri/tests/bindings.rs; do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings

export type AppInfo = { 
/**
 * The app's version.
 */
version: string, 
/**
 * Whether the console shows demo data or a vault.
 */
dataSource: DataSourceDto, 
/**
 * The business account's name as it appears in the conversations.
 */
municipality: string, };

export type DataSourceDto = "demo";

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

export type CommandError = { "kind": "conversationNotFound", "id": number };
