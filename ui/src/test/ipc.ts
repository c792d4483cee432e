// The page against a mocked IPC, for the feature tests: the real Rust side
// is covered by the shell's tests and the end-to-end tests; here only the
// page's own logic is tested.
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { AppInfo, ConversationSummary, ConversationView, FoundView } from "../lib/api/bindings";
import { app } from "../lib/app.svelte";
import { forgetAll } from "../lib/forget";

// jsdom has no layout, so nothing to scroll to; the real window has.
Element.prototype.scrollIntoView ??= function () {};
// jsdom has no modal dialogs; the real window (WebKitGTK) does.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.open = true;
};
HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
  this.open = false;
  this.dispatchEvent(new Event("close"));
};

export const info: AppInfo = { version: "0.1.0", console: { state: "demo" }, municipality: "Gemeente Voorbeeld" };
export const openInfo: AppInfo = {
  version: "0.1.0",
  console: { state: "open", who: { kind: "operator", name: "Sanne" }, closingAt: null },
  municipality: null,
};
export const lockedInfo: AppInfo = {
  version: "0.1.0",
  console: {
    state: "locked",
    whoCanUnlock: [{ kind: "operator", name: "Sanne" }, { kind: "admin" }, { kind: "recovery" }],
    failedUnlocks: 0,
    waitSeconds: 0,
    shifts: "ma 08:00-17:00",
    outsideShift: false,
    dayClosed: null,
    reasonNeeded: false,
  },
  municipality: null,
};

export const summary = (id: number, chatName: string): ConversationSummary => ({
  id,
  chatName,
  state: { kind: "open", reopened: null },
  reference: null,
  labels: ["afval"],
  lastActivity: { year: 2026, month: 11, day: 23, hour: 9, minute: 0, second: 0 },
  preview: `bericht van ${chatName}`,
  messageCount: 1,
  waitingSince: null,
  waitingMinutes: null,
  unseen: 0,
  handover: false,
  pendingReplies: 0,
  toDo: true,
});

export const view = (id: number, chatName: string): ConversationView => ({
  id,
  chatName,
  state: { kind: "waitingOnCitizen" },
  reference: "M2026-000001",
  labels: [],
  entries: [],
  handover: null,
  messages: [
    { id: 1, at: { year: 2026, month: 11, day: 23, hour: 9, minute: 0, second: 0 }, sender: "citizen", author: chatName, text: "Hallo\ntweede regel", media: null, deleted: false, edited: true, versions: [{ why: "beforeEdit", text: "Hallo", noted: { year: 2026, month: 11, day: 24, hour: 10, minute: 0, second: 0 } }, { why: "deletedLater", text: "Dit bericht is verwijderd", noted: { year: 2026, month: 11, day: 25, hour: 10, minute: 0, second: 0 } }], gapBefore: false, source: "WhatsApp-chat met Bram.txt" },
    { id: 2, at: { year: 2026, month: 11, day: 23, hour: 9, minute: 5, second: 0 }, sender: "municipality", author: "Gemeente Voorbeeld", text: "Dag!", media: null, deleted: false, edited: false, versions: [], gapBefore: true, source: null },
  ],
});

/** What the search box finds in the standard list: names containing `text`, a message hit each. */
export const found = (text: string): FoundView => {
  const all = [summary(1, "Anna Voorbeeld"), summary(2, "Bram Testman")];
  const hits = all.filter((s) => s.chatName.toLowerCase().includes(text.toLowerCase()));
  return {
    conversations: hits.map((s) => ({
      id: s.id, chatName: s.chatName, state: s.state, reference: null, labels: s.labels, count: 1,
      hits: [{
        place: { kind: "message", id: 2 }, at: s.lastActivity, author: s.chatName,
        snippet: [{ text: "de ", hit: false }, { text: text, hit: true }, { text: " hier", hit: false }],
      }],
    })),
    hits: hits.length,
    cutOff: false,
  };
};

export type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

export function withIpc(handler: Handler) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return handler(cmd, a);
  });
  return calls;
}

export const standard: Handler = (cmd, args) => {
  if (cmd === "app_info") return info;
  if (cmd === "list_conversations") return [summary(1, "Anna Voorbeeld"), summary(2, "Bram Testman")];
  if (cmd === "search") return found(String((args.find as { text: string }).text));
  if (cmd === "open_conversation") return view(Number(args.id), args.id === 1 ? "Anna Voorbeeld" : "Bram Testman");
  if (cmd === "page_events") return null;
  if (cmd === "case_catalogue") return { labels: [{ name: "afval", colour: "groen", removed: false }], referencePattern: null, replies: 0 };
  if (cmd === "handovers") return [];
  if (cmd === "inbox") return { dir: "/home/kcc/Kluis-inbox", quarantineDir: "/home/kcc/Kluis-quarantine", quarantined: [] };
  throw new Error(`unexpected command ${cmd}`);
};

export type PageChannel = { onmessage: (e: unknown) => void };

/** The IPC of `handler`, keeping the page's event channel when it asks for one. */
export function withChannel(handler: Handler): () => PageChannel {
  let channel: PageChannel | null = null;
  withIpc((cmd, args) => {
    if (cmd === "page_events") {
      channel = args.channel as PageChannel;
      return null;
    }
    return handler(cmd, args);
  });
  return () => {
    if (!channel) throw new Error("the page asked for no channel yet");
    return channel;
  };
}

/** Each test starts from a fresh page: the stores are modules, so they are emptied too. */
export function freshPageEachTest(): void {
  afterEach(() => {
    cleanup();
    clearMocks();
    forgetAll();
    Object.assign(app, { info: null, error: null, notice: null, lockWhy: null, sealedNote: null, panel: null, dropping: false, shortcuts: false });
  });
}

