// The only place the UI talks to the Rust side: one typed function per
// command, with the types generated from Rust (bindings.ts).
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo, ConversationSummary, ConversationView } from "./bindings";

export const appInfo = (): Promise<AppInfo> => invoke("app_info");

export const listConversations = (query: string): Promise<ConversationSummary[]> =>
  invoke("list_conversations", { query });

export const openConversation = (id: number): Promise<ConversationView> =>
  invoke("open_conversation", { id });
