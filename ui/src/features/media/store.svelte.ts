// The open conversation's files as object URLs: made from bytes the vault
// hands over in memory (never a file on disk, never an asset: path), and
// revoked when another conversation opens and at the lock. Citizen data.
import type { MediaView } from "../../lib/api/bindings";
import { media } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";

const urls = new Map<number, string>();
// One request per file at a time: a second ask waits for the first, so no
// URL is made twice and left unrevoked.
const pending = new Map<number, Promise<string | null>>();
let owner: number | null = null;
// Bumped whenever the page lets go (another conversation, the lock), so an
// answer that arrives after that is dropped, never shown.
let generation = 0;

/** Revokes every URL the page holds. */
function revokeAll(): void {
  generation++;
  for (const url of urls.values()) URL.revokeObjectURL(url);
  urls.clear();
  pending.clear();
}

/** The pane shows `conversation` now: another's URLs go at once. */
export function showing(conversation: number | null): void {
  if (owner === conversation) return;
  revokeAll();
  owner = conversation;
}

/** An object URL for `file` of conversation `conversation`, or null if the page moved on meanwhile. */
export function urlFor(conversation: number, file: MediaView): Promise<string | null> {
  showing(conversation);
  const known = urls.get(file.id);
  if (known) return Promise.resolve(known);
  const inFlight = pending.get(file.id);
  if (inFlight) return inFlight;
  const asked = generation;
  const request = media(conversation, file.id).then((bytes) => {
    if (asked !== generation) return null;
    pending.delete(file.id);
    const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
    urls.set(file.id, url);
    return url;
  });
  pending.set(file.id, request);
  return request.catch((e: unknown) => {
    if (asked === generation) pending.delete(file.id);
    throw e;
  });
}

/** How many object URLs the page holds now (for the tests). */
export const heldUrls = (): number => urls.size;

registerForget("media", () => {
  owner = null;
  revokeAll();
});
