import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import App from "../../App.svelte";
import { freshPageEachTest, info, openInfo, lockedInfo, standard, withIpc, withChannel } from "../../test/ipc";

freshPageEachTest();

describe("the lock screen and the lock", () => {
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

  it("on a closed day the operator waits, and the admin opens with a reason", async () => {
    const calls = withIpc((cmd, args) => {
      if (cmd === "app_info") return { ...lockedInfo, console: { ...lockedInfo.console, dayClosed: { year: 2026, month: 11, day: 23 }, reasonNeeded: true } };
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
      if (cmd === "app_info") return { ...lockedInfo, console: { ...lockedInfo.console, outsideShift: true, reasonNeeded: true } };
      if (cmd === "unlock") throw { kind: "dayClosed", day: { year: 2026, month: 11, day: 23 } };
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
    channel().onmessage({ kind: "closingSoon", closingAt: { hour: 17, minute: 0 } });
    expect((await screen.findByTestId("notice")).textContent).toContain("Om 17:00 sluit Kluis.");
    locked = true;
    channel().onmessage({ kind: "locked", why: "idle" });
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
      cmd === "app_info" ? { ...openInfo, console: { ...openInfo.console, closingAt: { hour: 17, minute: 0 } } } : standard(cmd, args),
    );
    render(App);
    expect((await screen.findByTestId("notice")).textContent).toContain("Om 17:00 sluit Kluis.");
  });
});
