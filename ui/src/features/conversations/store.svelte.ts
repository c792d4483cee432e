// The conversations on screen: the list as the filters ask for it, the one open, and the rows chosen for a bulk change. Citizen
// data: forgotten on lock. The filters are remembered per operator.
import type { ConversationSummary, ConversationView, ListQueryDto } from "../../lib/api/bindings";
import { listConversations, openConversation } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";
import { showing } from "../media/store.svelte";

const EMPTY: ListQueryDto = { state: null, label: null, handover: false, today: false, order: "longestWaiting" };

export const conversations = $state({
  query: { ...EMPTY } as ListQueryDto,
  summaries: [] as ConversationSummary[],
  selected: null as ConversationView | null,
  /** Rows ticked for a bulk change. */
  chosen: [] as number[],
  /** Whose filters these are (the key they are remembered under). */
  owner: null as string | null,
});

const storageKey = (owner: string) => `kluis.list.${owner}`;

/** The filters `owner` left last time. */
export function restoreFilters(owner: string): void {
  conversations.owner = owner;
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(owner)) ?? "null");
    if (saved && typeof saved === "object") {
      conversations.query = { ...EMPTY, ...saved };
    }
  } catch {
    conversations.query = { ...EMPTY };
  }
}

/** Keeps the filters for this operator (no citizen data: states, a label, an order). */
export function saveFilters(): void {
  const { owner, query } = conversations;
  if (!owner) return;
  try {
    localStorage.setItem(storageKey(owner), JSON.stringify(query));
  } catch {
    // A full or refused storage only loses the preference.
  }
}

// Answers can come back out of order while the operator types; only the
// answer to the latest query is kept.
let listRequest = 0;

/** Asks for the list that matches the filters. */
export async function refreshList(): Promise<void> {
  const request = ++listRequest;
  const result = await listConversations({ ...conversations.query });
  if (request !== listRequest) return;
  conversations.summaries = result;
  const shown = new Set(result.map((s) => s.id));
  conversations.chosen = conversations.chosen.filter((id) => shown.has(id));
}

// An answer that arrives after the lock (or after another conversation
// was opened) is dropped, never shown.
let openRequest = 0;

/** Opens conversation `id` in the reading pane. */
export async function select(id: number): Promise<void> {
  const request = ++openRequest;
  const found = await openConversation(id);
  if (request !== openRequest) return;
  showing(found.id);
  conversations.selected = found;
  // Opened is seen: its row says so without reading the list again.
  const row = conversations.summaries.find((s) => s.id === found.id);
  if (row) row.unseen = 0;
}

/** Reads the open conversation again (after a change to its case). */
export async function reloadSelected(): Promise<void> {
  const open = conversations.selected;
  if (open) await select(open.id);
}

/** The conversation `delta` rows below (or above) the open one. */
export function neighbour(delta: number): number | null {
  const { summaries, selected } = conversations;
  if (summaries.length === 0) return null;
  const at = summaries.findIndex((s) => s.id === selected?.id);
  const next = at < 0 ? 0 : Math.min(summaries.length - 1, Math.max(0, at + delta));
  return summaries[next]?.id ?? null;
}

/** The next conversation that still waits for an answer after `id`, if any. */
export function nextWaiting(id: number): number | null {
  const { summaries } = conversations;
  const at = summaries.findIndex((s) => s.id === id);
  const after = [...summaries.slice(at + 1), ...summaries.slice(0, Math.max(at, 0))];
  const todo = after.find((s) => s.id !== id && s.toDo);
  return todo?.id ?? null;
}

export function toggleChosen(id: number): void {
  const { chosen } = conversations;
  conversations.chosen = chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id];
}

registerForget("conversations", () => {
  listRequest++;
  openRequest++;
  conversations.summaries = [];
  conversations.selected = null;
  conversations.chosen = [];
});
