// The conversations on screen: the list as the search box asks for it, and
// the one open. Citizen data: forgotten on lock.
import type { ConversationSummary, ConversationView } from "../../lib/api/bindings";
import { listConversations, openConversation } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";

export const conversations = $state({
  query: "",
  summaries: [] as ConversationSummary[],
  selected: null as ConversationView | null,
});

// Answers can come back out of order while the operator types; only the
// answer to the latest query is kept.
let listRequest = 0;

/** Asks for the list that matches the search box. */
export async function refreshList(): Promise<void> {
  const request = ++listRequest;
  const result = await listConversations(conversations.query);
  if (request === listRequest) conversations.summaries = result;
}

/** Opens conversation `id` in the reading pane. */
export async function select(id: number): Promise<void> {
  conversations.selected = await openConversation(id);
}

/** The conversation `delta` rows below (or above) the open one. */
export function neighbour(delta: number): number | null {
  const { summaries, selected } = conversations;
  if (summaries.length === 0) return null;
  const at = summaries.findIndex((s) => s.id === selected?.id);
  const next = at < 0 ? 0 : Math.min(summaries.length - 1, Math.max(0, at + delta));
  return summaries[next]?.id ?? null;
}

registerForget("conversations", () => {
  listRequest++;
  conversations.query = "";
  conversations.summaries = [];
  conversations.selected = null;
});
