import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../../App.svelte";
import type { ConversationView } from "../../lib/api/bindings";
import { freshPageEachTest, lockedInfo, openInfo, standard, view, withChannel } from "../../test/ipc";
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

  it("never shows one conversation's photo in another's, and lets it go when another opens", async () => {
    const asked: number[] = [];
    withChannel((cmd, args) => {
      if (cmd === "app_info") return openInfo;
      if (cmd === "open_conversation") {
        const v = withPhoto(Number(args.id), args.id === 1 ? "Anna Voorbeeld" : "Bram Testman");
        // Two conversations with a file at the same place: Anna's is file 7, Bram's 9.
        return { ...v, messages: v.messages.map((m) => (m.media ? { ...m, media: { ...m.media, id: args.id === 1 ? 7 : 9 } } : m)) };
      }
      if (cmd === "media") {
        asked.push(Number(args.media));
        return new Uint8Array([1, 2, 3]).buffer;
      }
      return standard(cmd, args);
    });
    render(App);
    await fireEvent.click(await screen.findByText("Anna Voorbeeld"));
    await waitFor(() => expect(screen.getByTestId("attachment-image").getAttribute("src")).toBe("blob:test/0"));
    await fireEvent.click(screen.getByText("Bram Testman"));
    await waitFor(() => expect(screen.getByTestId("attachment-image").getAttribute("src")).toBe("blob:test/1"));
    expect(asked).toEqual([7, 9]);
    expect(revoked).toEqual(["blob:test/0"]);
    expect(heldUrls()).toBe(1);
  });

  it("an answer still in flight when the conversation is left and reopened leaves no URL behind", async () => {
    const pending: (() => void)[] = [];
    let locked = false;
    const channel = withChannel((cmd, args) => {
      if (cmd === "app_info") return locked ? lockedInfo : openInfo;
      if (cmd === "open_conversation") return args.id === 1 ? withPhoto(1, "Anna Voorbeeld") : view(2, "Bram Testman");
      if (cmd === "media") return new Promise((resolve) => pending.push(() => resolve(new Uint8Array([1, 2, 3]).buffer)));
      return standard(cmd, args);
    });
    render(App);
    await fireEvent.click(await screen.findByText("Anna Voorbeeld"));
    await waitFor(() => expect(pending.length).toBe(1));
    await fireEvent.click(screen.getByText("Bram Testman"));
    await waitFor(() => expect(screen.getByTestId("conversation-title").textContent).toBe("Bram Testman"));
    await fireEvent.click(screen.getByText("Anna Voorbeeld"));
    await waitFor(() => expect(pending.length).toBe(2));
    pending.forEach((answer) => answer());
    await waitFor(() => expect(screen.getByTestId("attachment-image")).toBeTruthy());
    // The first answer came for a page that had moved on: no URL for it.
    expect(made).toHaveLength(1);
    locked = true;
    channel().onmessage({ kind: "locked", why: "idle" });
    await waitFor(() => expect(heldUrls()).toBe(0));
    expect(revoked).toEqual(made);
  });
});
