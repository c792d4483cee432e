// End-to-end, the employee's working day in the real window over a real
// vault: three exports in, a case labelled, numbered and noted, a canned
// reply copied via /shortcode (on the real X clipboard, empty again 30 s
// later on the test clock), resolve-and-next by keyboard, a snoozed
// conversation reopened by a new message, the handover note at the next
// unlock, a reply not yet seen in the closing and then seen in a
// re-export, and the sealed package carrying the case and the entries.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openWindow, setClock, waiting } from "./harness.mjs";
import { lookAt } from "./screen.mjs";

const app = process.env.KLUIS_E2E_APP;
const cli = process.env.KLUIS_E2E_CLI;
const base = process.env.KLUIS_E2E_OUT;
assert.ok(app && cli && base, "run through tests/e2e/run.sh");

const out = path.join(base, "cases");
const vault = path.join(out, "vault");
const stick = path.join(out, "stick");
const inbox = path.join(out, "inbox");
const ADMIN = "beheerder wachtwoord";
const SANNE = "sanne wachtwoord";
const REPLY = "Beste Eva Jansen, uw grofvuil wordt dinsdag opgehaald (zaak {zaaknummer}). Groet, {medewerker}";
const SENT = "Beste Eva Jansen, uw grofvuil wordt dinsdag opgehaald (zaak Z-2026-000123). Groet, Sanne";


/** An export of `chat` into the inbox: lines of [hh:mm, author, text] on 23 November 2026. */
function exportChat(chat, lines) {
  const body = lines.map(([time, who, text]) => `23-11-2026 ${time} - ${who}: ${text}\n`).join("");
  const file = path.join(inbox, `WhatsApp-chat met ${chat}.txt`);
  writeFileSync(`${file}.partial`, body);
  renameSync(`${file}.partial`, file);
}

/** What the X clipboard holds (xclip, as another program would read it). */
function clipboard() {
  const read = spawnSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 });
  return read.status === 0 ? read.stdout : "";
}

/** @type {import("webdriverio").Browser} */
let browser;
const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const text = async (testid) => ((await (await $(testid)).getProperty("textContent")) ?? "").trim();
const texts = (testid) =>
  browser.execute(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => (e.textContent ?? "").trim()),
    testid,
  );
const screenshot = (name) => lookAt(browser, base, name);

const waitFor = waiting(() => browser);

async function fill(testid, value) {
  const box = await $(testid);
  await box.click();
  await box.setValue(value);
}

async function unlock() {
  await waitFor("the lock screen", async () => (await $("unlock-screen")).isExisting());
  await fill("unlock-passphrase", SANNE);
  await (await $("unlock-submit")).click();
  await waitFor("the console", async () => (await $("conversation-count")).isExisting());
}

async function openRow(name) {
  const found = await browser.execute((wanted) => {
    const row = [...document.querySelectorAll('[data-testid="conversation-row"]')].find((r) =>
      (r.textContent ?? "").trim().startsWith(wanted),
    );
    row?.click();
    return Boolean(row);
  }, name);
  assert.ok(found, `no row for ${name}`);
  await waitFor(`${name} open`, async () => (await text("conversation-title")) === name);
}

/** Closes the side panel an import opened, for a screenshot of the work itself. */
async function closeImports() {
  if (await (await $("import-panel")).isExisting()) await (await $("toggle-imports")).click();
  await waitFor("the panel closed", async () => !(await (await $("import-panel")).isExisting()));
}

before(async () => {
  setClock("2026-11-23T08:50");
  mkdirSync(stick, { recursive: true });
  mkdirSync(inbox, { recursive: true });
  const kdf = ["--kdf-memory", "64", "--kdf-passes", "3"];
  const run = (args, env = { KLUIS_PASSPHRASE: ADMIN }) =>
    execFileSync(cli, ["--vault", vault, ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
  execFileSync("age-keygen", ["-o", path.join(out, "archive.key")], { stdio: "pipe" });
  const recipient = readFileSync(path.join(out, "archive.key"), "utf8").match(/# public key: (age1\S+)/)[1];
  run(["init", ...kdf, "--archive-recipient", recipient, "--pubkey-out", path.join(out, "kluis.pub")], {
    KLUIS_NEW_PASSPHRASE: ADMIN,
  });
  run(["operator", "add", "Sanne", ...kdf], { KLUIS_PASSPHRASE: ADMIN, KLUIS_NEW_PASSPHRASE: SANNE });
  for (const [key, value] of [
    ["municipality.code", "gm0000"],
    ["municipality.name", "Gemeente Voorbeeld"],
    ["municipality.account", "Gemeente Voorbeeld"],
    ["workplace", "WP02"],
    ["archive.out", stick],
    ["inbox.dir", inbox],
    ["case.reference_pattern", "Z-\\d{4}-\\d{6}"],
  ]) {
    run(["set", key, value]);
  }
  run(["label", "add", "afval", "--colour", "groen"]);
  run(["label", "add", "paspoort", "--colour", "blauw"]);
  run(["reply", "add", "grofvuil", "--title", "Grofvuil ophalen", "--text", REPLY, "--label", "afval"]);
  run(["reply", "add", "bedankt", "--title", "Bedankt", "--text", "Dank voor uw bericht, {naam}."]);

  browser = await openWindow(app, vault);
});

after(async () => {
  await browser?.deleteSession();
});

describe("the employee's working day", () => {
  it("takes three exports and lists the longest waiting first", async () => {
    setClock("2026-11-23T09:00");
    await unlock();
    exportChat("Eva Jansen", [["08:30", "Eva Jansen", "Mijn grofvuil is niet opgehaald."]]);
    exportChat("Bram de Vries", [["08:40", "Bram de Vries", "Wanneer kan ik mijn paspoort ophalen?"]]);
    exportChat("Carla Smit", [
      ["08:45", "Carla Smit", "De lantaarnpaal voor mijn huis is kapot."],
      ["08:46", "Gemeente Voorbeeld", "Dank u, we kijken ernaar."],
    ]);
    await waitFor("three conversations", async () => (await text("conversation-count")) === "3 gesprekken");
    const rows = await texts("conversation-row");
    assert.ok(rows[0].startsWith("Eva Jansen") && rows[1].startsWith("Bram de Vries"), rows.join(" | "));
    assert.match(rows[0], /Nieuw/);
    assert.match(rows[0], /wacht 30 min/);
    await screenshot("cases-list.png");
  });

  it("labels, numbers and notes a case, each refusal said beside its field", async () => {
    await openRow("Eva Jansen");
    await fill("label-input", "afval");
    await (await $("label-add")).click();
    await waitFor("the label", async () => (await text("case-panel")).includes("afval"));
    await fill("reference-input", "Z-26");
    await browser.keys("Enter");
    await waitFor("the refusal", async () => (await text("reference-problem")).includes("heeft niet de vorm"));
    await fill("reference-input", "Z-2026-000123");
    await browser.keys("Enter");
    await waitFor("the reference", async () => (await texts("conversation-row"))[0].includes("Z-2026-000123"));
    await (await $("note-add")).click();
    await waitFor("an empty note refused", async () => (await text("note-problem")) === "Vul eerst iets in.");
    await fill("note-input", "Container staat achter het huis.");
    await (await $("note-add")).click();
    await waitFor("the note in the timeline", async () => (await texts("entry")).some((e) => e.includes("Container staat achter het huis.")));
    assert.equal(await text("pane-state"), "Open");
    await closeImports();
    await screenshot("cases-case-panel.png");
  });

  it("copies a canned reply via /shortcode, and the clipboard is empty 30 s later", async () => {
    await fill("reply-input", "/gro");
    await waitFor("the suggestions", async () => (await text("reply-suggestions")).includes("/grofvuil"));
    await screenshot("cases-reply-box.png");
    await browser.keys("Enter");
    const filled = await (await $("reply-input")).getValue();
    assert.equal(filled, SENT);
    await (await $("reply-copy")).click();
    await waitFor("the copy", async () => (await text("reply-copied")).includes("Klaargezet"));
    assert.equal(await browser.execute(() => document.activeElement?.id ?? ""), "reply", "the focus is lost after copying");
    assert.equal(clipboard(), SENT);
    assert.ok((await texts("entry")).some((e) => e.includes("Antwoord klaargezet") && e.includes("nog in geen export teruggezien")));
    setClock("2026-11-23T09:00:31");
    await waitFor("the clipboard cleared", async () => clipboard() === "");
  });

  it("resolves and goes to the next waiting conversation by keyboard", async () => {
    await (await $("messages")).click();
    await browser.keys(["Alt", "e"]);
    await waitFor("Bram open", async () => (await text("conversation-title")) === "Bram de Vries");
    const eva = (await texts("conversation-row")).find((r) => r.startsWith("Eva Jansen"));
    assert.match(eva, /Afgehandeld/);
    const focused = await browser.execute(() => document.activeElement?.id ?? "");
    assert.equal(focused, "reply", "the focus is lost after resolving");
  });

  it("reopens a snoozed conversation when the citizen writes again, saying why", async () => {
    await (await $("snooze-reply")).click();
    await waitFor("snoozed", async () => (await text("pane-state")) === "Gesnoozed");
    exportChat("Bram de Vries", [
      ["08:40", "Bram de Vries", "Wanneer kan ik mijn paspoort ophalen?"],
      ["09:05", "Bram de Vries", "Hallo? Nog nieuws?"],
    ]);
    await waitFor("the reopening", async () =>
      (await texts("conversation-row")).some((r) => r.startsWith("Bram de Vries") && r.includes("Heropend: de burger schreef opnieuw")),
    );
  });

  it("records a call by hand and leaves a handover note", async () => {
    await openRow("Carla Smit");
    await fill("entry-text", "Mevrouw Smit belde over de paal.");
    await (await $("entry-add")).click();
    await waitFor("the call in the timeline", async () =>
      (await texts("entry")).some((e) => e.includes("Telefoongesprek") && e.includes("niet uit een export")),
    );
    await fill("handover-input", "Bel mevrouw Smit terug over de paal.");
    await (await $("handover-save")).click();
    await waitFor("the handover mark", async () =>
      (await texts("conversation-row")).some((r) => r.startsWith("Carla Smit") && r.includes("Overdracht")),
    );
  });

  it("shows every shortcut in a sheet", async () => {
    await (await $("messages")).click();
    await browser.keys("?");
    await waitFor("the sheet", async () => (await $("shortcut-sheet")).isDisplayed());
    assert.match(await text("shortcut-sheet"), /Alt\+E/);
    await screenshot("cases-shortcuts.png");
    await browser.keys("Escape");
    await waitFor("the sheet closed", async () => !(await (await $("shortcut-sheet")).isExisting()));
  });

  it("shows the handover note first at the next unlock", async () => {
    await (await $("lock")).click();
    await unlock();
    await waitFor("the handover sheet", async () => (await text("handover-sheet")).includes("Carla Smit"));
    assert.match(await text("handover-note"), /Bel mevrouw Smit terug over de paal\.[\s\S]*Geschreven door Sanne|Geschreven door Sanne[\s\S]*Bel mevrouw Smit terug over de paal\./);
    await screenshot("cases-handover.png");
    await (await $("handover-close")).click();
  });

  it("lists a reply not yet seen at the closing, and marks it sent once an export shows it", async () => {
    await (await $("start-closing")).click();
    await waitFor("the replies step", async () => (await text("step-replies")).includes("1 antwoord nog niet teruggezien"));
    // Bram (reopened) and Carla are open; Carla has her handover note.
    const open = await text("step-open");
    assert.match(open, /2 gesprekken staan nog open\. Zonder overdrachtsnotitie: Bram de Vries/);
    assert.ok(!open.includes("Carla Smit"), open);
    await screenshot("cases-closing.png");
    exportChat("Eva Jansen", [
      ["08:30", "Eva Jansen", "Mijn grofvuil is niet opgehaald."],
      ["09:02", "Gemeente Voorbeeld", `${SENT} `],
    ]);
    await waitFor("the re-export", async () => {
      const eva = (await texts("conversation-row")).find((r) => r.startsWith("Eva Jansen")) ?? "";
      return eva !== "" && !eva.includes("nog niet teruggezien");
    });
    assert.ok((await texts("import-result")).some((r) => r.includes("1 nieuw, 1 al aanwezig")), (await texts("import-result")).join(" | "));
    await (await $("start-closing")).click();
    await waitFor("all replies seen", async () => (await text("step-replies")).includes("Alle klaargezette antwoorden"));
    await openRow("Eva Jansen");
    await waitFor("sent", async () => (await text("reply-sent")).includes("verzonden om"));
  });

  it("seals the day, and the package carries the case data and the entries", async () => {
    await (await $("start-closing")).click();
    await (await $("seal")).click();
    await waitFor("the sealed day", async () => (await text("sealed-note")).includes("Controlecode"), 60_000);
    const [pkg] = readdirSync(stick).filter((n) => n.endsWith(".tar.age"));
    const keys = ["--pubkey", path.join(out, "kluis.pub"), "--identity", path.join(out, "archive.key")];
    const report = execFileSync(cli, ["verify", path.join(stick, pkg), ...keys], { encoding: "utf8" });
    assert.match(report, /: ok: /);
    const opened = path.join(out, "opened");
    execFileSync(cli, ["open", path.join(stick, pkg), ...keys, "--out", opened], { stdio: "pipe" });
    const bag = path.join(opened, readdirSync(opened)[0]);
    const transcripts = execFileSync("sh", ["-c", `cat "${bag}"/data/*/G*.txt`], { encoding: "utf8" });
    for (const expected of [
      "Kenmerk: Z-2026-000123",
      "Labels: afval",
      "[interne notitie; door Sanne vastgelegd, niet uit een export]",
      "Container staat achter het huis.",
      "antwoord klaargezet voor WhatsApp, verzonden om 2026-11-23 09:02:00 volgens de export",
      "[telefoongesprek; door Sanne vastgelegd, niet uit een export]",
      "Mevrouw Smit belde over de paal.",
      "Overdracht: Bel mevrouw Smit terug over de paal. (door Sanne)",
    ]) {
      assert.ok(transcripts.includes(expected), `the transcripts lack "${expected}"`);
    }
  });
});
