// The open conversation's files as object URLs: made from bytes the vault
// hands over in memory (never a file on disk, never an asset: path), and
// revoked when another conversation opens and at the lock. Citizen data.
import type { MediaView } from "../../lib/api/bindings";
import { media } from "../../lib/api/commands";
import { registerForget } from "../../lib/forget";

const urls = new Map<number, string>();
let owner: number | null = null;
// Bumped at every forget, so an answer that arrives after the lock is dropped.
let generation = 0;

/** Revokes every URL the page holds. */
function revokeAll(): void {
  for (const url of urls.values()) URL.revokeObjectURL(url);
  urls.clear();
}

/** An object URL for `file` of conversation `conversation`, or null if the page moved on meanwhile. */
export async function urlFor(conversation: number, file: MediaView): Promise<string | null> {
  if (owner !== conversation) {
    revokeAll();
    owner = conversation;
  }
  const known = urls.get(file.id);
  if (known) return known;
  const asked = generation;
  const bytes = await media(conversation, file.id);
  if (asked !== generation || owner !== conversation) return null;
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  urls.set(file.id, url);
  return url;
}

/** How many object URLs the page holds now (for the tests). */
export const heldUrls = (): number => urls.size;

registerForget("media", () => {
  generation++;
  owner = null;
  revokeAll();
});
