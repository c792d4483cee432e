// The page's channel for what Rust reports on its own (imports, the lock):
// made here, handed over with the generated pageEvents command.
import { Channel } from "@tauri-apps/api/core";
import type { PageEvent } from "./bindings";
import { pageEvents } from "./commands";

export function listen(onEvent: (event: PageEvent) => void): Promise<void> {
  const channel = new Channel<PageEvent>();
  channel.onmessage = onEvent;
  return pageEvents(channel);
}
