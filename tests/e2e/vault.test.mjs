// End-to-end over a real vault: the real app binary opens a vault made by
// the real `kluis` command line, shows its lock screen, unlocks, takes a
// WhatsApp export from the inbox folder, shows the report and the
// quarantine, and on lock removes every citizen's name from the page.
//
// Dropping files on the window is not driven here: WebDriver cannot start
// an operating-system drag (XDND) under Xvfb. The drop handler is the same
// import as the inbox's and is tested against a real vault in
// src-tauri/tests/vault.rs (import_dropped).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openWindow, setClock, waiting } from "./harness.mjs";
import { lookAt } from "./screen.mjs";

const app = process.env.KLUIS_E2E_APP;
const cli = process.env.KLUIS_E2E_CLI;
const out = process.env.KLUIS_E2E_OUT;
const logDir = process.env.KLUIS_LOG_DIR;
const home = process.env.HOME;
assert.ok(app && cli && out && logDir && home, "run through tests/e2e/run.sh");

const vault = path.join(out, "vault");
const stick = path.join(out, "stick");

const inbox = path.join(home, "Kluis-inbox");
const ADMIN = "beheerder wachtwoord";
const SANNE = "sanne wachtwoord";
const CAROL = "tests/fixtures/whatsapp/public/minvws-DSA-WhatsApp-merger/Carol Christmas/Export Carol/WhatsApp-chat met Test export.txt";

/** @type {import("webdriverio").Browser} */
let browser;

const text = async (testid) =>
  ((await (await browser.$(`[data-testid="${testid}"]`)).getProperty("textContent")) ?? "").trim();
// Read in the page in one call (webdriverio's element arrays map asynchronously).
const texts = (testid) =>
  browser.execute(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => (e.textContent ?? "").trim()),
    testid,
  );
const pageText = () => browser.execute(() => document.body.textContent ?? "");
const readLog = () => readFileSync(path.join(logDir, "kluis.log"), "utf8");

/** A screenshot of the screen, which must pass the accessibility check. */
const screenshot = (name) => lookAt(browser, out, name);

const waitFor = waiting(() => browser);

async function typePassphrase(value) {
  const box = await browser.$('[data-testid="unlock-passphrase"]');
  await box.click();
  await box.setValue(value);
}

before(async () => {
  // Monday 23 November 2026, in the default shift (ma-vr 08:00-17:00).
  setClock("2026-11-23T09:00");
  const kdf = ["--kdf-memory", "64", "--kdf-passes", "3"];
  const run = (args, env) => execFileSync(cli, ["--vault", vault, ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
  // The archive's key, made as the archive makes it (Debian's age-keygen).
  execFileSync("age-keygen", ["-o", path.join(out, "archive.key")], { stdio: "pipe" });
  const archiveKey = readFileSync(path.join(out, "archive.key"), "utf8");
  const recipient = archiveKey.match(/# public key: (age1\S+)/)[1];
  run(["init", ...kdf, "--archive-recipient", recipient, "--pubkey-out", path.join(out, "kluis.pub")], {
    KLUIS_NEW_PASSPHRASE: ADMIN,
  });
  run(["operator", "add", "Sanne", ...kdf], { KLUIS_PASSPHRASE: ADMIN, KLUIS_NEW_PASSPHRASE: SANNE });
  for (const [key, value] of [
    ["municipality.code", "gm0000"],
    ["municipality.name", "Gemeente Voorbeeld"],
    ["workplace", "WP01"],
    ["archive.out", stick],
  ]) {
    run(["set", key, value], { KLUIS_PASSPHRASE: ADMIN });
  }
  mkdirSync(stick, { recursive: true });

  browser = await openWindow(app, vault);
});

after(async () => {
  await browser?.deleteSession();
});

describe("a vault on the laptop", () => {
  it("opens on the lock screen, with no demo and no conversations", async () => {
    await waitFor("the lock screen", async () => (await browser.$('[data-testid="unlock-screen"]')).isExisting());
    const options = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="unlock-who"] option')].map((o) => o.textContent),
    );
    assert.deepEqual(options, ["Sanne", "Beheerder", "Herstelsleutel"]);
    assert.equal(await (await browser.$('[data-testid="demo-badge"]')).isExisting(), false);
    assert.equal(await (await browser.$('[data-testid="conversation-count"]')).isExisting(), false);
    await screenshot("vault-locked.png");
  });

  it("refuses a wrong passphrase and opens with the right one", async () => {
    await typePassphrase("geraden");
    await (await browser.$('[data-testid="unlock-submit"]')).click();
    await waitFor("the refusal", async () => (await text("unlock-error").catch(() => "")).includes("Onjuist wachtwoord"));

    await typePassphrase(SANNE);
    await (await browser.$('[data-testid="unlock-submit"]')).click();
    await waitFor("the empty console", async () => (await text("conversation-count").catch(() => "")) === "0 gesprekken");
    assert.equal(await text("who"), "Sanne");
  });

  it("imports an export put in the inbox, wipes it there, and reports it", async () => {
    const dropped = path.join(inbox, "WhatsApp-chat met Test export.txt");
    copyFileSync(CAROL, dropped);
    await waitFor("the import report", async () =>
      (await texts("import-result")).some((t) => t.includes("Test export (nieuw gesprek):")),
    );
    const [line] = await texts("import-result");
    assert.match(line, /Test export \(nieuw gesprek\): \d+ nieuw, 0 al aanwezig/);
    await waitFor("the list to show it", async () => (await text("conversation-count")) === "1 gesprek");
    assert.equal(existsSync(dropped), false, "the plaintext is still in the inbox");

    await (await browser.$('[data-testid="conversation-row"]')).click();
    await waitFor("the conversation", async () => (await text("conversation-title").catch(() => "")) === "Test export");
    const messages = await texts("message");
    assert.ok(messages.some((m) => m.includes("Hoi, ik heb de chat gemaakt")));
    await screenshot("vault-imported.png");
  });

  it("sets a file that is no export aside, and shows it with its reason", async () => {
    writeFileSync(path.join(inbox, "notities.txt"), "boodschappen: melk, brood\n");
    await waitFor("the quarantine list", async () => (await texts("quarantined")).length === 1);
    const [entry] = await texts("quarantined");
    assert.match(entry, /^notities\.txt/);
    // In Dutch, from the note's kind: no English reaches the window.
    assert.match(entry, /Dit is geen WhatsApp-export: geen regel begint zoals een WhatsApp-bericht/);
    assert.equal(await text("quarantine-count"), "1");
    assert.ok((await texts("import-result")).some((t) => t.startsWith("notities.txt") && t.includes("in quarantaine")));
    await screenshot("vault-quarantine.png");
  });

  it("on lock, removes every citizen's name from the page, and logs none", async () => {
    await (await browser.$('[data-testid="lock"]')).click();
    await waitFor("the lock screen", async () => (await browser.$('[data-testid="unlock-screen"]')).isExisting());
    const page = await pageText();
    for (const gone of ["Test export", "Alice", "Hoi, ik heb", "notities.txt"]) {
      assert.ok(!page.includes(gone), `the locked page still holds "${gone}"`);
    }
    const log = readLog();
    assert.match(log, /via="inbox"/);
    for (const secret of ["Test export", "Alice", "Carol", "notities", SANNE]) {
      assert.ok(!log.includes(secret), `the log contains "${secret}"`);
    }
  });

  it("locks by itself after ten minutes without input, on the clock the test moves", async () => {
    await typePassphrase(SANNE);
    await (await browser.$('[data-testid="unlock-submit"]')).click();
    await waitFor("the console", async () => (await text("conversation-count").catch(() => "")) === "1 gesprek");
    setClock("2026-11-23T09:11");
    await waitFor("the idle lock", async () => (await text("lock-why").catch(() => "")).includes("geen activiteit"));
    assert.ok(!(await pageText()).includes("Test export"), "the locked page still holds a name");
  });

  it("locks when the screen saver locks the session, and when the laptop goes to sleep", async () => {
    const signal = (path, member, ...args) => execFileSync("dbus-send", ["--session", "--type=signal", path, member, ...args]);
    for (const [send, why] of [
      [() => signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"), "scherm"],
      [() => signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", "boolean:true"), "slaapstand"],
      [() => signal("/org/freedesktop/login1/session/auto", "org.freedesktop.login1.Session.Lock"), "scherm"],
    ]) {
      await typePassphrase(SANNE);
      await (await browser.$('[data-testid="unlock-submit"]')).click();
      await waitFor("the console", async () => (await text("conversation-count").catch(() => "")) === "1 gesprek");
      send();
      await waitFor(`the lock (${why})`, async () => (await text("lock-why").catch(() => "")).includes(why));
    }
    assert.match(readLog(), /OS lock signal meaning=Sleep event=Suspend/);
  });

  it("warns before closing time, then closes the day, and nobody reopens it", async () => {
    setClock("2026-11-23T16:46");
    await typePassphrase(SANNE);
    await (await browser.$('[data-testid="unlock-submit"]')).click();
    await waitFor("the warning", async () => (await text("notice").catch(() => "")).includes("Om 17:00 sluit Kluis"));
    await screenshot("lock-closing-soon.png");
    setClock("2026-11-23T17:15");
    await waitFor("the end of the day", async () => (await text("day-closed").catch(() => "")).includes("De dag is afgesloten"));
    assert.ok(!(await pageText()).includes("Test export"), "the locked page still holds a name");
    // The clock set back to the morning changes nothing.
    setClock("2026-11-23T10:00");
    await browser.pause(2000);
    await browser.refresh();
    await waitFor("the lock screen after a reload", async () => (await text("day-closed").catch(() => "")).length > 0);
    const submit = await browser.$('[data-testid="unlock-submit"]');
    await typePassphrase(SANNE);
    assert.equal(await submit.isEnabled(), false, "the day closed, yet unlocking is offered");
    await screenshot("lock-day-closed.png");
    assert.match(readLog(), /clock was set back/);
  });

  it("the next day, the closing seals the day onto the stick, and the archive verifies it", async () => {
    setClock("2026-11-24T16:50");
    await waitFor("the new day on the lock screen", async () => !(await browser.$('[data-testid="day-closed"]').isExisting()));
    await typePassphrase(SANNE);
    await (await browser.$('[data-testid="unlock-submit"]')).click();
    await waitFor("the console", async () => (await text("conversation-count").catch(() => "")) === "1 gesprek");
    await (await browser.$('[data-testid="start-closing"]')).click();
    await waitFor("the closing's checks", async () => (await text("step-target").catch(() => "")).includes(stick));
    assert.match(await text("step-inbox"), /De inbox is leeg/);
    await screenshot("closing.png");
    await (await browser.$('[data-testid="seal"]')).click();
    await waitFor("the sealed day", async () => (await text("sealed-note").catch(() => "")).includes("Controlecode"), 60_000);
    assert.match(await text("day-closed"), /De dag is afgesloten/);
    assert.ok(!(await pageText()).includes("Test export"), "the locked page still holds a name");
    await screenshot("sealed.png");

    const packages = readdirSync(stick).filter((n) => n.endsWith(".tar.age"));
    assert.deepEqual(packages, ["KLUIS-gm0000-WP01-20261124-000001.tar.age"]);
    const report = execFileSync(
      cli,
      ["verify", path.join(stick, packages[0]), "--pubkey", path.join(out, "kluis.pub"), "--identity", path.join(out, "archive.key")],
      { encoding: "utf8" },
    );
    assert.match(report, /: ok: KLUIS-gm0000-WP01-20261124-000001 seq 1 /);
    const code = (await text("sealed-note")).match(/Controlecode voor het logboek: ([0-9a-f]{8})/)[1];
    assert.match(report, new RegExp(`bag sha256:${code}`));
  });
});
