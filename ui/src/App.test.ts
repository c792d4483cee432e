// The UI against a mocked IPC (the real Rust side is covered by the shell's
// tests and the end-to-end tests; here only the page's own logic is tested).
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { AppInfo, ConversationSummary, ConversationView } from "./lib/bindings";

const info: AppInfo = { version: "0.1.0", console: { state: "demo" }, municipality: "Gemeente Voorbeeld" };
const openInfo: AppInfo = {
  version: "0.1.0",
  console: { state: "open", who: { kind: "operator", name: "Sanne" }, closingAt: null },
  municipality: null,
};
const lockedInfo: AppInfo = {
  version: "0.1.0",
  console: {
    state: "locked",
    whoCanUnlock: [{ kind: "operator", name: "Sanne" }, { kind: "admin" }, { kind: "recovery" }],
    failedUnlocks: 0,
    waitSeconds: 0,
    shifts: "ma 08:00-17:00",
    outsideShift: false,
    dayClosed: null,
  },
  municipality: null,
};

const summary = (id: number, chatName: string): ConversationSummary => ({
  id,
  chatName,
  status: "open",
  reference: null,
  labels: ["afval"],
  lastActivity: "2026-11-23T09:00:00",
  preview: `bericht van ${chatName}`,
  messageCount: 1,
});

const view = (id: number, chatName: string): ConversationView => ({
  id,
  chatName,
  status: "waitingOnCitizen",
  reference: "M2026-000001",
  labels: [],
  messages: [
    { at: "2026-11-23T09:00:00", sender: "citizen", author: chatName, text: "Hallo\ntweede regel" },
    { at: "2026-11-23T09:05:00", sender: "municipality", author: "Gemeente Voorbeeld", text: "Dag!" },
  ],
});

type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

function withIpc(handler: Handler) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return handler(cmd, a);
  });
  return calls;
}

const standard: Handler = (cmd, args) => {
  if (cmd === "app_info") return info;
  if (cmd === "list_conversations") {
    const all = [summary(1, "Anna Voorbeeld"), summary(2, "Bram Testman")];
    const q = String(args.query).toLowerCase();
    return all.filter((s) => s.chatName.toLowerCase().includes(q));
  }
  if (cmd === "open_conversation") return view(Number(args.id), args.id === 1 ? "Anna Voorbeeld" : "Bram Testman");
  if (cmd === "page_events") return null;
  if (cmd === "inbox") return { dir: "/home/kcc/Kluis-inbox", quarantineDir: "/home/kcc/Kluis-quarantine", quarantined: [] };
  throw new Error(`unexpected command ${cmd}`);
};

type PageChannel = { onmessage: (e: unknown) => void };

/** The IPC of `handler`, keeping the page's event channel when it asks for one. */
function withChannel(handler: Handler): () => PageChannel {
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

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("App", () => {
  it("marks demo data and lists the conversations", async () => {
    withIpc(standard);
    render(App);
    expect(await screen.findByText(/Demo · fictieve gegevens/)).toBeTruthy();
    expect(await screen.findByText("2 gesprekken")).toBeTruthy();
    expect(screen.getByText("Anna Voorbeeld")).toBeTruthy();
    expect(screen.getByText("Kies links een gesprek.")).toBeTruthy();
  });

  it("does not show the demo badge for a real vault", async () => {
    withIpc((cmd, args) => (cmd === "app_info" ? openInfo : standard(cmd, args)));
    render(App);
    await screen.findByText("2 gesprekken");
    expect(screen.queryByTestId("demo-badge")).toBeNull();
  });

  it("opens a conversation with its messages, keeping line breaks", async () => {
    const calls = withIpc(standard);
    render(App);
    await fireEvent.click(await screen.findByText("Bram Testman"));
    expect(await screen.findByTestId("conversation-title")).toHaveProperty("textContent", "Bram Testman");
    const messages = screen.getAllByTestId("message");
    expect(messages).toHaveLength(2);
    expect(messages[0]?.textContent).toContain("Hallo\ntweede regel");
    expect(screen.getByText("Wacht op inwoner")).toBeTruthy();
    expect(calls).toContainEqual({ cmd: "open_conversation", args: { id: 2 } });
  });

  it("sends what is typed in the search box and shows the answer", async () => {
    const calls = withIpc(standard);
    render(App);
    await screen.findByText("2 gesprekken");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "bram" } });
    expect(await screen.findByText("1 gesprek")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "list_conversations").map((c) => c.args.query)).toEqual(["", "bram"]);
  });

  it("shows only the answer to the latest query when answers arrive out of order", async () => {
    let releaseSlow: (v: ConversationSummary[]) => void = () => {};
    withIpc((cmd, args) => {
      if (cmd === "list_conversations" && args.query === "a") {
        return new Promise<ConversationSummary[]>((resolve) => (releaseSlow = resolve));
      }
      return standard(cmd, args);
    });
    render(App);
    await screen.findByText("2 gesprekken");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "a" } });
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "bram" } });
    await screen.findByText("1 gesprek");
    releaseSlow([summary(1, "Anna Voorbeeld"), summary(2, "Bram Testman"), summary(3, "Carla")]);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByText("1 gesprek")).toBeTruthy();
  });

  it("says so, without details, when the conversation cannot be opened", async () => {
    withIpc((cmd, args) => {
      if (cmd === "open_conversation") throw { kind: "conversationNotFound", id: 9 };
      return standard(cmd, args);
    });
    render(App);
    await fireEvent.click(await screen.findByText("Anna Voorbeeld"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Dit gesprek bestaat niet (meer)."));
  });
});

describe("a vault", () => {
  it("is locked at first: no list, and a wrong passphrase says so", async () => {
    let opened = false;
    const calls = withIpc((cmd, args) => {
      if (cmd === "app_info") return opened ? openInfo : lockedInfo;
      if (cmd === "unlock") {
        if (args.passphrase !== "goed wachtwoord") throw { kind: "wrongPassphrase", failures: 1, waitSeconds: 0 };
        opened = true;
        return null;
      }
      return standard(cmd, args);
    });
    render(App);
    expect(await screen.findByTestId("unlock-screen")).toBeTruthy();
    expect(screen.queryByTestId("conversation-count")).toBeNull();
    const who = screen.getByTestId("unlock-who") as HTMLSelectElement;
    expect([...who.options].map((o) => o.textContent)).toEqual(["Sanne", "Beheerder", "Herstelsleutel"]);

    await fireEvent.input(screen.getByTestId("unlock-passphrase"), { target: { value: "fout" } });
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    expect((await screen.findByTestId("unlock-error")).textContent).toContain("Onjuist wachtwoord (poging 1).");
    expect((screen.getByTestId("unlock-passphrase") as HTMLInputElement).value).toBe("");

    await fireEvent.input(screen.getByTestId("unlock-passphrase"), { target: { value: "goed wachtwoord" } });
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    expect(await screen.findByText("2 gesprekken")).toBeTruthy();
    expect(screen.getByTestId("who").textContent).toBe("Sanne");
    expect(calls.filter((c) => c.cmd === "unlock").map((c) => c.args.reason)).toEqual([null, null]);
    expect(calls.filter((c) => c.cmd === "unlock").map((c) => c.args.who)).toEqual([
      { kind: "operator", name: "Sanne" },
      { kind: "operator", name: "Sanne" },
    ]);
  });

  it("says when only the admin can unlock after too many failures", async () => {
    withIpc((cmd, args) => {
      if (cmd === "app_info") return lockedInfo;
      if (cmd === "unlock") throw { kind: "adminNeeded", failures: 10 };
      return standard(cmd, args);
    });
    render(App);
    await fireEvent.input(await screen.findByTestId("unlock-passphrase"), { target: { value: "goed" } });
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    expect((await screen.findByTestId("unlock-error")).textContent).toContain(
      "10 mislukte pogingen achter elkaar: alleen de beheerder (of de herstelsleutel) kan nu ontgrendelen.",
    );
  });

  it("shows what an import did, and forgets it all on lock", async () => {
    let locked = false;
    const channel = withChannel((cmd, args) => {
      if (cmd === "app_info") return locked ? lockedInfo : openInfo;
      if (cmd === "lock") {
        locked = true;
        return null;
      }
      return standard(cmd, args);
    });
    render(App);
    await screen.findByText("2 gesprekken");
    await waitFor(() => expect(channel).not.toThrow());
    channel().onmessage({
      kind: "imported",
      via: "inbox",
      exports: [
        {
          fileName: "WhatsApp-chat met Eva.zip",
          outcome: {
            kind: "imported",
            conversation: 3,
            chatName: "Eva",
            newConversation: true,
            newMessages: 12,
            already: 0,
            mediaStored: 1,
            mediaMissing: 2,
            warnings: ["Deze export sluit niet aan op wat er al was."],
            leftBehind: null,
          },
        },
        { fileName: "notities.txt", outcome: { kind: "refused", reason: "Dit is geen WhatsApp-export." } },
      ],
    });
    const results = await screen.findAllByTestId("import-result");
    expect(results.map((r) => r.textContent)).toEqual([
      expect.stringContaining(
        "Eva (nieuw gesprek): 12 nieuw, 0 al aanwezig, 1 bestand opgeslagen, 2 bestanden ontbreken in de export",
      ),
      expect.stringContaining("Niet ingelezen, in quarantaine gezet: Dit is geen WhatsApp-export."),
    ]);
    expect(screen.getByTestId("import-warning").textContent).toContain("sluit niet aan");

    await fireEvent.click(screen.getByTestId("lock"));
    await screen.findByTestId("unlock-screen");
    for (const gone of ["Eva", "Anna Voorbeeld", "WhatsApp-chat met Eva.zip"]) {
      expect(document.body.textContent).not.toContain(gone);
    }
  });

  it("shows a drop target while files are dragged over the window", async () => {
    const channel = withChannel((cmd, args) => {
      if (cmd === "app_info") return openInfo;
      return standard(cmd, args);
    });
    render(App);
    await screen.findByText("2 gesprekken");
    await waitFor(() => expect(channel).not.toThrow());
    channel().onmessage({ kind: "dropHover", over: true });
    expect((await screen.findByTestId("drop-overlay")).textContent).toContain("Laat los om de export in te lezen");
    channel().onmessage({ kind: "dropHover", over: false });
    await waitFor(() => expect(screen.queryByTestId("drop-overlay")).toBeNull());
  });

  it("on a closed day the operator waits, and the admin opens with a reason", async () => {
    const calls = withIpc((cmd, args) => {
      if (cmd === "app_info") return { ...lockedInfo, console: { ...lockedInfo.console, dayClosed: "2026-11-23" } };
      if (cmd === "unlock") throw { kind: "notPermitted" };
      return standard(cmd, args);
    });
    render(App);
    expect((await screen.findByTestId("day-closed")).textContent).toContain("De dag is afgesloten.");
    await fireEvent.input(screen.getByTestId("unlock-passphrase"), { target: { value: "dienst" } });
    expect((screen.getByTestId("unlock-submit") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId("unlock-reason")).toBeNull();
    await fireEvent.change(screen.getByTestId("unlock-who"), { target: { value: "1" } });
    const reason = await screen.findByTestId("unlock-reason");
    expect((screen.getByTestId("unlock-submit") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(reason, { target: { value: "nazorg" } });
    expect((screen.getByTestId("unlock-submit") as HTMLButtonElement).disabled).toBe(false);
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    expect((await screen.findByTestId("unlock-error")).textContent).toContain("Dit mag alleen de beheerder.");
    expect(calls.find((c) => c.cmd === "unlock")?.args.reason).toBe("nazorg");
  });

  it("outside the shift asks the admin for a reason, and sends it", async () => {
    const calls = withIpc((cmd, args) => {
      if (cmd === "app_info") return { ...lockedInfo, console: { ...lockedInfo.console, outsideShift: true } };
      if (cmd === "unlock") throw { kind: "dayClosed", day: "2026-11-23" };
      return standard(cmd, args);
    });
    render(App);
    expect((await screen.findByTestId("outside-shift")).textContent).toContain("(ma 08:00-17:00)");
    expect(screen.queryByTestId("unlock-reason")).toBeNull();
    await fireEvent.change(screen.getByTestId("unlock-who"), { target: { value: "1" } });
    const reason = await screen.findByTestId("unlock-reason");
    await fireEvent.input(screen.getByTestId("unlock-passphrase"), { target: { value: "beheer" } });
    expect((screen.getByTestId("unlock-submit") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(reason, { target: { value: "storing" } });
    await fireEvent.click(screen.getByTestId("unlock-submit"));
    expect((await screen.findByTestId("unlock-error")).textContent).toContain("De dag is afgesloten.");
    expect(calls.find((c) => c.cmd === "unlock")?.args).toEqual({
      who: { kind: "admin" },
      passphrase: "beheer",
      reason: "storing",
    });
  });

  it("when the lock closes the vault, the page forgets everything and says why", async () => {
    let locked = false;
    const channel = withChannel((cmd, args) => {
      if (cmd === "app_info") return locked ? lockedInfo : openInfo;
      return standard(cmd, args);
    });
    render(App);
    await screen.findByText("Anna Voorbeeld");
    await waitFor(() => expect(channel).not.toThrow());
    channel().onmessage({ kind: "closingSoon", closingAt: "17:00" });
    expect((await screen.findByTestId("notice")).textContent).toContain("Om 17:00 sluit Kluis.");
    locked = true;
    channel().onmessage({ kind: "locked", why: "Vergrendeld: een tijd geen activiteit." });
    expect((await screen.findByTestId("lock-why")).textContent).toBe("Vergrendeld: een tijd geen activiteit.");
    expect(document.body.textContent).not.toContain("Anna Voorbeeld");
    expect(screen.queryByTestId("notice")).toBeNull();
  });

  it("tells the lock about activity, at most every 15 seconds", async () => {
    const calls = withIpc((cmd, args) => (cmd === "app_info" ? openInfo : standard(cmd, args)));
    render(App);
    await screen.findByText("Anna Voorbeeld");
    await fireEvent.keyDown(window, { key: "a" });
    await fireEvent.pointerDown(window);
    await fireEvent.wheel(window);
    expect(calls.filter((c) => c.cmd === "activity")).toHaveLength(1);
  });

  it("shows the closing warning from the app's state, so a warning given during the unlock is not lost", async () => {
    withIpc((cmd, args) =>
      cmd === "app_info" ? { ...openInfo, console: { ...openInfo.console, closingAt: "17:00" } } : standard(cmd, args),
    );
    render(App);
    expect((await screen.findByTestId("notice")).textContent).toContain("Om 17:00 sluit Kluis.");
  });

  it("closes the day: checks, seals to the stick, and shows the check code on the lock screen", async () => {
    let sealed = false;
    const calls = withIpc((cmd, args) => {
      if (cmd === "app_info") return sealed ? { ...lockedInfo, console: { ...lockedInfo.console, dayClosed: "2026-11-23" } } : openInfo;
      if (cmd === "start_closing") return null;
      if (cmd === "closing_overview") return { inboxWaiting: 1, openConversations: 2, target: "/media/kcc/KLUIS", targetReady: true };
      if (cmd === "seal_day") {
        sealed = true;
        return { id: "KLUIS-gm0000-WP01-20261123-000001", check: "ab12cd34", conversations: 2, messages: 40, files: 5 };
      }
      return standard(cmd, args);
    });
    render(App);
    await fireEvent.click(await screen.findByTestId("start-closing"));
    expect((await screen.findByTestId("step-inbox")).textContent).toContain("wacht nog 1 export");
    expect(screen.getByTestId("step-open").textContent).toContain("2 gesprekken staan nog open");
    expect(screen.getByTestId("step-target").textContent).toContain("/media/kcc/KLUIS");
    await fireEvent.click(screen.getByTestId("seal"));
    expect((await screen.findByTestId("sealed-note")).textContent).toContain("Controlecode voor het logboek: ab12cd34.");
    expect(await screen.findByTestId("day-closed")).toBeTruthy();
    expect(calls.map((c) => c.cmd)).toContain("start_closing");
  });
});
