// The case work of the open conversation: the admin's labels, the one
// change in flight (a second key press waits for it), the problem to show
// beside a field, and what the reply box holds. Citizen data (a reply
// being written): forgotten on lock.
import type { CaseChangeDto, CaseProblem, CatalogueView, CommandError } from "../../lib/api/bindings";
import { caseCatalogue, changeCase, copyReply } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";
import { conversations, refreshList, reloadSelected } from "../conversations/store.svelte";

export const work = $state({
  catalogue: null as CatalogueView | null,
  busy: false,
  /** Which field the problem belongs to, and what it is. */
  problem: null as { field: string; problem: CaseProblem } | null,
  reply: "",
  /** The entry of the reply last copied, for the notice beside the box. */
  copied: null as number | null,
});

export async function loadCatalogue(): Promise<void> {
  work.catalogue = await caseCatalogue();
}

/** The colour a label is drawn in (a palette name), if the admin gave one. */
export function colourOf(label: string): string {
  return work.catalogue?.labels.find((l) => l.name === label)?.colour ?? "grijs";
}

function caseProblem(e: unknown): CaseProblem | null {
  const err = e as CommandError;
  return err && typeof err === "object" && err.kind === "case" ? err.problem : null;
}

/**
 * Carries out one change on `ids` (the open conversation unless given).
 * Returns whether it was made; a refusal is kept for the field. While one
 * change is in flight, another waits its turn rather than racing it.
 */
export async function change(field: string, what: CaseChangeDto, ids?: number[]): Promise<boolean> {
  const targets = ids ?? (conversations.selected ? [conversations.selected.id] : []);
  if (targets.length === 0 || work.busy) return false;
  work.busy = true;
  try {
    await changeCase(targets, what);
    work.problem = null;
    await Promise.all([reloadSelected(), refreshList()]);
    return true;
  } catch (e) {
    const problem = caseProblem(e);
    if (problem) {
      work.problem = { field, problem };
      return false;
    }
    throw e;
  } finally {
    work.busy = false;
  }
}

/** Copies the reply box's text for WhatsApp and records it as set out. */
export async function copy(): Promise<boolean> {
  const open = conversations.selected;
  if (!open || work.busy) return false;
  work.busy = true;
  try {
    work.copied = await copyReply(open.id, work.reply);
    work.problem = null;
    work.reply = "";
    await Promise.all([reloadSelected(), refreshList()]);
    return true;
  } catch (e) {
    const problem = caseProblem(e);
    if (problem) {
      work.problem = { field: "reply", problem };
      return false;
    }
    throw e;
  } finally {
    work.busy = false;
  }
}

registerForget("case", () => {
  work.reply = "";
  work.copied = null;
  work.problem = null;
});
