// The only place the UI talks to the Rust side: one typed function per
// command, with the types generated from Rust (bindings.ts).
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AppInfo,
  ClosingOverview,
  SealedDay,
  ConversationSummary,
  ConversationView,
  PageEvent,
  InboxView,
  UnlockAs,
} from "./bindings";

export const appInfo = (): Promise<AppInfo> => invoke("app_info");

export const unlock = (who: UnlockAs, passphrase: string, reason: string | null): Promise<void> =>
  invoke("unlock", { who, passphrase, reason });

export const lock = (): Promise<void> => invoke("lock");

/** The operator is at work: the idle lock waits. */
export const activity = (): Promise<void> => invoke("activity");

export const listConversations = (query: string): Promise<ConversationSummary[]> =>
  invoke("list_conversations", { query });

export const openConversation = (id: number): Promise<ConversationView> =>
  invoke("open_conversation", { id });

export const inbox = (): Promise<InboxView> => invoke("inbox");

export const startClosing = (): Promise<void> => invoke("start_closing");

export const closingOverview = (): Promise<ClosingOverview> => invoke("closing_overview");

export const sealDay = (): Promise<SealedDay> => invoke("seal_day");

/** Hands Rust a channel on which it reports drops and inbox imports. */
export function pageEvents(onEvent: (event: PageEvent) => void): Promise<void> {
  const channel = new Channel<PageEvent>();
  channel.onmessage = onEvent;
  return invoke("page_events", { channel });
}
