import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../../App.svelte";
import type { CaseChangeDto } from "../../lib/api/bindings";
import { freshPageEachTest, openInfo, standard, withIpc, type Handler } from "../../test/ipc";

freshPageEachTest();

const open: Handler = (cmd, args) => (cmd === "app_info" ? openInfo : standard(cmd, args));

async function openBram() {
  render(App);
  await fireEvent.click(await screen.findByText("Bram Testman"));
  await screen.findByTestId("case-panel");
}

describe("the case beside the conversation", () => {
  it("says beside the field why a reference was refused, and keeps what was typed", async () => {
    withIpc((cmd, args) => {
      if (cmd === "change_case") {
        throw { kind: "case", problem: { kind: "referenceMismatch", pattern: "Z-\\d{4}-\\d{6}" } };
      }
      return open(cmd, args);
    });
    await openBram();
    const box = screen.getByTestId("reference-input") as HTMLInputElement;
    await fireEvent.input(box, { target: { value: "Z-26" } });
    await fireEvent.submit(box.form!);
    expect((await screen.findByTestId("reference-problem")).textContent).toBe(
      "Dit zaaknummer heeft niet de vorm die de beheerder heeft ingesteld (Z-\\d{4}-\\d{6}).",
    );
    expect(box.value).toBe("Z-26");
  });

  it("sends one change at a time, however fast the keys come", async () => {
    let release: () => void = () => {};
    const calls = withIpc((cmd, args) => {
      if (cmd === "change_case") return new Promise<number>((resolve) => (release = () => resolve(1)));
      return open(cmd, args);
    });
    await openBram();
    for (let i = 0; i < 5; i++) await fireEvent.keyDown(window, { key: "w", altKey: true });
    release();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "change_case")).toHaveLength(1));
    const change = calls.find((c) => c.cmd === "change_case")?.args as { ids: number[]; change: CaseChangeDto };
    expect(change).toEqual({ ids: [2], change: { kind: "status", status: "waitingOnCitizen" } });
  });

  it("resolves with Alt+E and opens the next conversation that waits", async () => {
    const calls = withIpc((cmd, args) => (cmd === "change_case" ? 1 : open(cmd, args)));
    render(App);
    await fireEvent.click(await screen.findByText("Anna Voorbeeld"));
    await screen.findByTestId("case-panel");
    await fireEvent.keyDown(window, { key: "e", altKey: true });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "open_conversation").map((c) => c.args.id)).toEqual([1, 1, 2]));
    expect(calls.find((c) => c.cmd === "change_case")?.args).toEqual({
      ids: [1],
      change: { kind: "status", status: "resolved" },
    });
  });

  it("offers the canned replies on / and copies the chosen one, filled", async () => {
    const calls = withIpc((cmd, args) => {
      if (cmd === "suggest_replies") {
        return [{ shortcode: "grofvuil", title: "Grofvuil", text: "Beste Bram, ... {zaaknummer}", missing: ["zaaknummer"] }];
      }
      if (cmd === "copy_reply") return 7;
      return open(cmd, args);
    });
    await openBram();
    const box = screen.getByTestId("reply-input") as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: "/gr" } });
    expect((await screen.findByTestId("reply-suggestions")).textContent).toContain("/grofvuil");
    expect(calls.find((c) => c.cmd === "suggest_replies")?.args).toEqual({ id: 2, typed: "/gr" });
    await fireEvent.keyDown(box, { key: "Enter" });
    expect(box.value).toBe("Beste Bram, ... {zaaknummer}");
    expect(screen.getByTestId("reply-missing").textContent).toBe("Nog in te vullen: {zaaknummer}");
    await fireEvent.input(box, { target: { value: "Beste Bram, ... Z-2026-000001" } });
    await fireEvent.click(screen.getByTestId("reply-copy"));
    expect((await screen.findByTestId("reply-copied")).textContent).toContain("het klembord wordt over 30 seconden gewist");
    expect(calls.find((c) => c.cmd === "copy_reply")?.args).toEqual({ id: 2, text: "Beste Bram, ... Z-2026-000001" });
    expect(box.value).toBe("");
  });

  it("shows every shortcut in a sheet on ?", async () => {
    withIpc(open);
    render(App);
    await screen.findByText("Anna Voorbeeld");
    await fireEvent.keyDown(document.body, { key: "?" });
    expect((await screen.findByTestId("shortcut-sheet")).textContent).toContain("Alt+E");
  });

  it("remembers the filters per operator, never the search text", async () => {
    const calls = withIpc(open);
    render(App);
    await screen.findByText("Anna Voorbeeld");
    const order = screen.getByTestId("filter-order") as HTMLSelectElement;
    await fireEvent.change(order, { target: { value: "name" } });
    await waitFor(() => expect(calls.some((c) => c.cmd === "list_conversations" && (c.args.query as { order: string }).order === "name")).toBe(true));
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "bram" } });
    await waitFor(() => expect(JSON.parse(localStorage.getItem("kluis.list.Sanne") ?? "{}").order).toBe("name"));
    expect(localStorage.getItem("kluis.list.Sanne")).not.toContain("bram");
  });
});
