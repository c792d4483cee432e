// The search box: what was typed, the period, and what was found, grouped
// per conversation. Citizen data: forgotten on lock. The state and label
// filters are the list's own (one set of filters for both).
import { tick } from "svelte";
import type { FindDto, FoundView } from "../../lib/api/bindings";
import { search as runSearch } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";
import { conversations } from "../conversations/store.svelte";

export const searching = $state({
  text: "",
  /** `YYYY-MM-DD` from the date fields, or "". */
  from: "",
  to: "",
  found: null as FoundView | null,
  /** The message to show, highlighted, in the conversation opened from a hit. */
  hit: null as number | null,
});

/** Whether the list column shows search results rather than the list. */
export const isSearching = () => searching.text.trim() !== "";

const day = (value: string) => {
  const [year, month, date] = value.split("-").map(Number);
  return value && year && month && date ? { year, month, day: date } : null;
};

/** What the search box asks, with the list's state and label filters. */
export function findQuery(): FindDto {
  return {
    text: searching.text,
    from: day(searching.from),
    to: day(searching.to),
    state: conversations.query.state,
    label: conversations.query.label,
  };
}

// Answers can come back out of order while the operator types; only the
// answer to the latest query is kept.
let request = 0;

/** Asks for what the search box finds; the marks say how long it took. */
export async function refreshSearch(): Promise<void> {
  const mine = ++request;
  if (!isSearching()) {
    searching.found = null;
    return;
  }
  performance.mark("kluis-search-start");
  const found = await runSearch(findQuery());
  if (mine !== request) return;
  searching.found = found;
  // Marked once the page shows it, not when the answer arrived.
  await tick();
  performance.mark("kluis-search-shown");
}

registerForget("search", () => {
  request++;
  searching.text = "";
  searching.found = null;
  searching.hit = null;
});
