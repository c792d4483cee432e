// What the imports did since the unlock, and the inbox with its
// quarantine. Citizen data (chat and file names): forgotten on lock.
import type { ImportBatch, InboxProblem, InboxView } from "../../lib/api/bindings";
import { inbox } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";
import { clockTime } from "../../lib/format";

export interface ShownBatch {
  at: string;
  batch: ImportBatch;
}

export const imports = $state({
  batches: [] as ShownBatch[],
  inbox: null as InboxView | null,
  problem: null as InboxProblem | null,
});

/** Keeps a batch at the top (at most 50). */
export function shown(batch: ImportBatch, now: Date = new Date()): void {
  const at = clockTime({ hour: now.getHours(), minute: now.getMinutes() });
  imports.batches = [{ at, batch }, ...imports.batches].slice(0, 50);
}

export async function refreshInbox(): Promise<void> {
  try {
    imports.inbox = await inbox();
  } catch {
    imports.inbox = null;
  }
}

registerForget("imports", () => {
  imports.batches = [];
  imports.inbox = null;
  imports.problem = null;
});
