import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../../App.svelte";
import type { ConversationView } from "../../lib/api/bindings";
import { freshPageEachTest, openInfo, standard, view, withChannel } from "../../test/ipc";
import { heldUrls } from "./store.svelte";

freshPageEachTest();

// jsdom has no object URLs; the real window does. Count what is made and revoked.
const made: string[] = [];
const revoked: string[] = [];
beforeEach(() => {
  made.length = 0;
  revoked.length = 0;
  URL.createObjectURL = vi.fn(() => {
    const url = `blob:test/${made.length}`;
    made.push(url);
    return url;
  });
  URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
});
afterEach(() => vi.restoreAllMocks());

const withPhoto = (id: number, name: string): ConversationView => {
  const v = view(id, name);
  return {
    ...v,
    messages: [
      {
        ...v.messages[0]!,
        text: "Hier is een foto",
        media: { id: 7, fileName: "IMG-1.jpg", kind: "image", mime: "image/jpeg", size: 1416, present: true },
      },
      {
        ...v.messages[1]!,
        text: "",
        media: { id: 8, fileName: "VID-1.mp4", kind: "video", mime: "video/mp4", size: null, present: false },
      },
    ],
  };
};

describe("a conversation's files", () => {
  it("are shown from memory and their URLs revoked at the lock", async () => {
    let locked = false;
    const channel = withChannel((cmd, args) => {
      if (cmd === "app_info") return locked ? { ...openInfo, console: { state: "locked", whoCanUnlock: [], failedUnlocks: 0, waitSeconds: 0, shifts: "", outsideShift: false, dayClosed: null, reasonNeeded: false } } : openInfo;
      if (cmd === "open_conversation") return withPhoto(Number(args.id), "Bram Testman");
      if (cmd === "media") return new Uint8Array([0xff, 0xd8, 0xff]).buffer;
      return standard(cmd, args);
    });
    render(App);
    await fireEvent.click(await screen.findByText("Bram Testman"));
    const image = (await screen.findByTestId("attachment-image")) as HTMLImageElement;
    expect(image.getAttribute("src")).toBe("blob:test/0");
    expect(image.alt).toBe("Hier is een foto");
    expect(screen.getByTestId("attachment-missing").textContent).toBe("VID-1.mp4 zat niet in de export.");
    expect(heldUrls()).toBe(1);
    locked = true;
    channel().onmessage({ kind: "locked", why: "idle" });
    await waitFor(() => expect(revoked).toEqual(["blob:test/0"]));
    expect(heldUrls()).toBe(0);
    expect(document.querySelector('[src^="blob:"]')).toBeNull();
  });
});
