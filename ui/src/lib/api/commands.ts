// Generated from src-tauri/src/commands.rs by src-tauri/tests/bindings.rs; do not edit.
// The only module that calls invoke. A command fails with a CommandError.
// Regenerate: UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings
import { invoke, type Channel } from "@tauri-apps/api/core";
import type { AppInfo, CaseChangeDto, CatalogueView, ClosingOverview, ConversationSummary, ConversationView, FindDto, FoundView, HandoverNoteView, InboxView, ListQueryDto, PageEvent, SealedDay, SuggestionView, UnlockAs } from "./bindings";

/** About the running app. */
export const appInfo = (): Promise<AppInfo> =>
  invoke("app_info");

/** Opens the vault with `who`'s passphrase (or the recovery key), if the lock allows it now (`reason`: why the admin or recovery key opens outside the shift), and starts watching the inbox. Runs off the main thread: Argon2id takes a second. */
export const unlock = (who: UnlockAs, passphrase: string, reason: string | null): Promise<void> =>
  invoke("unlock", { who, passphrase, reason });

/** Locks the vault: the data key leaves memory and the store closes. */
export const lock = (): Promise<void> =>
  invoke("lock");

/** The operator is at work (typed, clicked, scrolled): the idle lock waits. */
export const activity = (): Promise<void> =>
  invoke("activity");

/** Starts the closing procedure (the lock counts it as closing). */
export const startClosing = (): Promise<void> =>
  invoke("start_closing");

/** What the closing procedure checks: the inbox emptied, open cases, the stick in place. */
export const closingOverview = (): Promise<ClosingOverview> =>
  invoke("closing_overview");

/** Seals the day to the stick (`archive.out`): written, read back, verified, recorded; then the day is closed and the vault locks. Off the main thread: a day's media take seconds. */
export const sealDay = (): Promise<SealedDay> =>
  invoke("seal_day");

/** The conversation list as `query` asks for it (search box, filters, order). */
export const listConversations = (query: ListQueryDto): Promise<ConversationSummary[]> =>
  invoke("list_conversations", { query });

/** The search box: the hits of what was typed, grouped per conversation. */
export const search = (find: FindDto): Promise<FoundView> =>
  invoke("search", { find });

/** One conversation with all its messages. */
export const openConversation = (id: number): Promise<ConversationView> =>
  invoke("open_conversation", { id });

/** The bytes of a file of the open conversation, from memory: the page makes an object URL of them and revokes it at the lock. Nothing is written to disk on the way; refused while locked and for any other conversation. Off the main thread: a large file takes a moment to decrypt. */
export const media = (id: number, media: number): Promise<ArrayBuffer> =>
  invoke("media", { id, media });

/** One change to the cases of the chosen conversations (one, or a selection); returns how many changed. */
export const changeCase = (ids: number[], change: CaseChangeDto): Promise<number> =>
  invoke("change_case", { ids, change });

/** The admin's labels and reference pattern, for the case panel. */
export const caseCatalogue = (): Promise<CatalogueView> =>
  invoke("case_catalogue");

/** The canned replies for a conversation, ranked for what was typed. */
export const suggestReplies = (id: number, typed: string): Promise<SuggestionView[]> =>
  invoke("suggest_replies", { id, typed });

/** Records the reply as set out ("antwoord klaargezet") and puts it on the clipboard, which is cleared 30 seconds later and at the lock. */
export const copyReply = (id: number, text: string): Promise<number> =>
  invoke("copy_reply", { id, text });

/** A reply set out and not sent after all. */
export const withdrawReply = (id: number, entry: number): Promise<void> =>
  invoke("withdraw_reply", { id, entry });

/** The handover notes, for whoever unlocks next. */
export const handovers = (): Promise<HandoverNoteView[]> =>
  invoke("handovers");

/** The inbox folder and the files its quarantine holds. */
export const inbox = (): Promise<InboxView> =>
  invoke("inbox");

/** The page's channel for what happens to imports (a drop, the inbox). */
export const pageEvents = (channel: Channel<PageEvent>): Promise<void> =>
  invoke("page_events", { channel });
