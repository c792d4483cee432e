// The lock empties every store that holds citizen data by construction:
// each feature store registers its forget() under its feature's name.
import { describe, expect, it } from "vitest";
import { forgetAll, registered } from "./forget";

const stores = import.meta.glob("../features/*/store.svelte.ts", { eager: true });

describe("the stores forget on lock", () => {
  it("every feature store registers", () => {
    const features = Object.keys(stores)
      .map((path) => path.split("/")[2])
      .sort();
    expect(features.length).toBeGreaterThan(0);
    expect(registered()).toEqual(features);
  });

  it("forgetAll empties them", async () => {
    const { conversations } = await import("../features/conversations/store.svelte");
    const { imports } = await import("../features/imports/store.svelte");
    const { searching } = await import("../features/search/store.svelte");
    searching.text = "anna";
    searching.found = { conversations: [], hits: 0, cutOff: false };
    searching.hit = 7;
    conversations.summaries = [
      {
        id: 1, chatName: "Anna", state: { kind: "new" }, reference: null, labels: [], lastActivity: null, preview: "",
        messageCount: 0, waitingSince: null, waitingMinutes: null, unseen: 0, handover: false, pendingReplies: 0, toDo: true,
      },
    ];
    imports.batches = [{ at: "09:00", batch: { via: "drop", exports: [] } }];
    forgetAll();
    expect([searching.text, searching.found, searching.hit]).toEqual(["", null, null]);
    expect([conversations.summaries, conversations.selected]).toEqual([[], null]);
    expect([imports.batches, imports.inbox, imports.problem]).toEqual([[], null, null]);
  });
});
