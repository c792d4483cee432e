// The window's own state (which screen, what it says at the top) and the
// dispatch of what Rust reports on its own. No citizen data lives here;
// the feature stores that hold it forget it on lock (lib/forget.ts).
import type { AppInfo, LockReason, PageEvent, SealedDay } from "./api/bindings";
import { activity, appInfo, lock } from "./api/commands";
import { listen } from "./api/events";
import { describeError } from "./errors";
import { forgetAll } from "./forget";
import { clockTime } from "./format";
import { t } from "./i18n";
import { conversations, refreshList, select } from "../features/conversations/store.svelte";
import { imports, refreshInbox, shown } from "../features/imports/store.svelte";

export const app = $state({
  info: null as AppInfo | null,
  error: null as string | null,
  notice: null as string | null,
  lockWhy: null as LockReason | null,
  sealedNote: null as string | null,
  /** Which side panel is open. */
  panel: null as "imports" | "closing" | null,
  dropping: false,
  /** The sheet of keyboard shortcuts is open. */
  shortcuts: false,
});

export const consoleState = () => app.info?.console.state ?? "loading";

export async function refreshInfo(): Promise<void> {
  try {
    app.info = await appInfo();
    const c = app.info.console;
    // A page loaded (or unlocked) after the warning still shows it.
    if (c.state === "open" && c.closingAt) app.notice = t.console.closingSoon(clockTime(c.closingAt));
  } catch (e) {
    app.error = describeError(e);
  }
}

/** Runs `work`, showing its error at the top. */
export async function attempt(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
    app.error = null;
  } catch (e) {
    app.error = describeError(e);
  }
}

/** Everything about citizens leaves the page, not just the screen. */
function forget(why: LockReason | null): void {
  forgetAll();
  app.panel = null;
  app.notice = null;
  app.lockWhy = why;
}

export async function lockNow(): Promise<void> {
  forget(null);
  await attempt(lock);
  await refreshInfo();
}

export async function unlocked(): Promise<void> {
  app.error = null;
  app.lockWhy = null;
  app.sealedNote = null;
  await refreshInfo();
  await Promise.all([attempt(refreshList), refreshInbox()]);
}

export function sealed(day: SealedDay): void {
  app.panel = null;
  app.sealedNote = t.lock.sealed(day.id, day.conversations, day.messages, day.check);
  void refreshInfo();
}

// Input tells the lock the operator is at work; at most every 15 s.
let lastActivity = 0;
export function onActivity(): void {
  if (consoleState() !== "open") return;
  const now = Date.now();
  if (now - lastActivity < 15_000) return;
  lastActivity = now;
  void activity().catch(() => {});
}

function onPageEvent(event: PageEvent): void {
  switch (event.kind) {
    case "dropHover":
      app.dropping = event.over;
      break;
    case "imported":
      shown({ via: event.via, exports: event.exports });
      app.panel = "imports";
      if (consoleState() === "open") {
        void attempt(refreshList);
        void refreshInbox();
        const open = conversations.selected;
        if (open) void attempt(() => select(open.id));
      }
      break;
    case "inboxProblem":
      imports.problem = event.problem;
      app.panel = "imports";
      break;
    case "locked":
      forget(event.why);
      void refreshInfo();
      break;
    case "closingSoon":
      app.notice = t.console.closingSoon(clockTime(event.closingAt));
      break;
    case "lockScreenChanged":
      void refreshInfo();
      break;
    case "clockSetBack":
      app.notice = t.console.clockSetBack(event.minutes);
      break;
  }
}

export async function start(): Promise<void> {
  await listen(onPageEvent).catch(() => {});
  await refreshInfo();
}
