import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../../App.svelte";
import { freshPageEachTest, info, openInfo, lockedInfo, standard, withChannel } from "../../test/ipc";

freshPageEachTest();

describe("imports", () => {
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
            differed: { deletedLater: 0, restored: 0, edited: 0, captions: 0 },
            mediaStored: 1,
            mediaMissing: 2,
            warnings: [{ kind: "gapBefore" }],
            leftBehind: [],
          },
        },
        { fileName: "notities.txt", outcome: { kind: "refused", problem: { kind: "noMessages" } } },
      ],
    });
    const results = await screen.findAllByTestId("import-result");
    expect(results.map((r) => r.textContent)).toEqual([
      expect.stringContaining(
        "Eva (nieuw gesprek): 12 nieuw, 0 al aanwezig, 1 bestand opgeslagen, 2 bestanden ontbreken in de export",
      ),
      expect.stringContaining(
        "Niet ingelezen, in quarantaine gezet: Dit is geen WhatsApp-export: geen regel begint zoals een WhatsApp-bericht",
      ),
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
});
