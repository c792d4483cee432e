import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import App from "../../App.svelte";
import { freshPageEachTest, info, openInfo, lockedInfo, view, standard, withIpc } from "../../test/ipc";

freshPageEachTest();

describe("the closing", () => {
  it("closes the day: checks, seals to the stick, and shows the check code on the lock screen", async () => {
    let sealed = false;
    const calls = withIpc((cmd, args) => {
      if (cmd === "app_info") return sealed ? { ...lockedInfo, console: { ...lockedInfo.console, dayClosed: { year: 2026, month: 11, day: 23 }, reasonNeeded: true } } : openInfo;
      if (cmd === "start_closing") return null;
      if (cmd === "closing_overview") return {
          inboxWaiting: 1, openConversations: 2, target: "/media/kcc/KLUIS", targetReady: true,
          withoutHandover: [{ id: 1, chatName: "Anna Voorbeeld", count: 0 }],
          repliesNotSeen: [{ id: 2, chatName: "Bram Testman", count: 3 }],
          accountMissing: true,
        };
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
    expect(screen.getByTestId("step-open").textContent).toContain("Anna Voorbeeld");
    expect(screen.getByTestId("step-replies").textContent).toContain(
      "3 antwoorden nog niet teruggezien: exporteer deze gesprekken opnieuw.",
    );
    // Without the municipality's account no export can show a reply sent.
    expect(screen.getByTestId("account-missing").textContent).toContain("municipality.account");
    expect(screen.getByTestId("step-target").textContent).toContain("/media/kcc/KLUIS");
    await fireEvent.click(screen.getByTestId("seal"));
    expect((await screen.findByTestId("sealed-note")).textContent).toContain("Controlecode voor het logboek: ab12cd34.");
    expect(await screen.findByTestId("day-closed")).toBeTruthy();
    expect(calls.map((c) => c.cmd)).toContain("start_closing");
  });
});
