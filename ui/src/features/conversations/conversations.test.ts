import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../../App.svelte";
import type { ConversationSummary } from "../../lib/api/bindings";
import { freshPageEachTest, info, openInfo, summary, standard, withIpc } from "../../test/ipc";

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
    expect(calls).toContainEqual({ cmd: "open_conversation", args: { id: 2 } });
  });

  it("sends what is typed in the search box and shows the answer", async () => {
    const calls = withIpc(standard);
    render(App);
    await screen.findByText("2 gesprekken");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "bram" } });
    expect(await screen.findByText("1 gesprek")).toBeTruthy();
    const asked = calls.filter((c) => c.cmd === "list_conversations").map((c) => (c.args.query as { text: string }).text);
    expect(asked).toEqual(["", "bram"]);
  });

  it("shows only the answer to the latest query when answers arrive out of order", async () => {
    let releaseSlow: (v: ConversationSummary[]) => void = () => {};
    withIpc((cmd, args) => {
      if (cmd === "list_conversations" && (args.query as { text: string }).text === "a") {
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
