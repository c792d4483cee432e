import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import App from "../../App.svelte";
import type { FoundView } from "../../lib/api/bindings";
import { found, freshPageEachTest, info, openInfo, standard, withIpc } from "../../test/ipc";

freshPageEachTest();

describe("the conversations", () => {
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
    expect(screen.getByTestId("pane-state").textContent).toBe("Wacht op burger");
    // Where two exports did not meet, and which export a message came from.
    expect(screen.getByTestId("gap").textContent).toBe(
      "Hier kunnen berichten ontbreken: tussen 09:00 en 09:05 is niet geëxporteerd.",
    );
    expect(messages[0]?.getAttribute("title")).toBe("Uit de export WhatsApp-chat met Bram.txt");
    // What other exports showed of a message: edited, and deleted since.
    expect(within(messages[0]!).getByTestId("edited").textContent).toBe(" · bewerkt");
    expect(within(messages[0]!).getAllByTestId("message-version").map((v) => v.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Eerdere tekst, uit een export ingelezen op 24-11-2026: Hallo",
      "Later door de burger verwijderd (zo getoond in een export ingelezen op 25-11-2026); de tekst is bewaard.",
    ]);
    expect(within(messages[1]!).queryByTestId("message-version")).toBeNull();
    expect(calls).toContainEqual({ cmd: "open_conversation", args: { id: 2 } });
  });

  it("shows what the search box finds, grouped, and opens a hit at its message", async () => {
    const calls = withIpc(standard);
    render(App);
    await screen.findByText("2 gesprekken");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "bram" } });
    expect((await screen.findByTestId("search-count")).textContent).toBe("1 treffer in 1 gesprek");
    const hit = screen.getByTestId("search-hit");
    expect(hit.querySelector("mark")?.textContent).toBe("bram");
    expect(hit.textContent).toContain("Bericht");
    const asked = calls.filter((c) => c.cmd === "search").map((c) => c.args.find);
    expect(asked).toEqual([{ text: "bram", from: null, to: null, state: null, label: null }]);
    // Enter in the box opens the first hit, at its message, highlighted.
    await fireEvent.keyDown(screen.getByTestId("search"), { key: "Enter" });
    expect(await screen.findByTestId("conversation-title")).toHaveProperty("textContent", "Bram Testman");
    await waitFor(() => expect(document.querySelector(".message.hit")?.textContent).toContain("Dag!"));
    // The period goes with the query.
    await fireEvent.input(screen.getByTestId("search-from"), { target: { value: "2026-11-01" } });
    await waitFor(() => expect(calls.at(-1)?.args.find).toMatchObject({ from: { year: 2026, month: 11, day: 1 } }));
    // An emptied box shows the list again.
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "" } });
    expect(await screen.findByText("2 gesprekken")).toBeTruthy();
  });

  it("says when nothing is found", async () => {
    withIpc(standard);
    render(App);
    await screen.findByText("2 gesprekken");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "zwembad" } });
    expect((await screen.findByTestId("search-none")).textContent).toContain("Niets gevonden");
  });

  it("shows only the answer to the latest query when answers arrive out of order", async () => {
    let releaseSlow: (v: FoundView) => void = () => {};
    withIpc((cmd, args) => {
      if (cmd === "search" && (args.find as { text: string }).text === "a") {
        return new Promise<FoundView>((resolve) => (releaseSlow = resolve));
      }
      return standard(cmd, args);
    });
    render(App);
    await screen.findByText("2 gesprekken");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "a" } });
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "bram" } });
    await screen.findByText("1 treffer in 1 gesprek");
    releaseSlow(found("a"));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByText("1 treffer in 1 gesprek")).toBeTruthy();
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
