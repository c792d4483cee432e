// End-to-end: the real Kluis binary (UI embedded), in a real WebKitGTK
// window under Xvfb, driven over WebDriver through tauri-driver.
// Started by tests/e2e/run.sh, which sets the environment used below.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { remote } from "webdriverio";
import { lookAt } from "./screen.mjs";

const app = process.env.KLUIS_E2E_APP;
const out = process.env.KLUIS_E2E_OUT;
const logDir = process.env.KLUIS_LOG_DIR;
assert.ok(app && out && logDir, "run through tests/e2e/run.sh");

/** @type {import("webdriverio").Browser} */
let browser;

const rows = () => browser.$$('[data-testid="conversation-row"]');
// textContent, not getText(): the latter returns text as CSS transforms it.
const text = async (testid) =>
  ((await (await browser.$(`[data-testid="${testid}"]`)).getProperty("textContent")) ?? "").trim();
const readLog = () => readFileSync(path.join(logDir, "kluis.log"), "utf8");

// Types as a person does: select what is there, delete it, type anew.
// (WebDriver's clearValue fires no input event, so the page would not notice.)
async function search(query) {
  const box = await browser.$('[data-testid="search"]');
  await box.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Backspace"]);
  if (query) await box.addValue(query);
}

async function waitForCount(expected) {
  let seen = "";
  await browser
    .waitUntil(async () => (seen = await text("conversation-count")) === expected, { timeout: 10_000 })
    .catch(() => assert.fail(`the list said ${JSON.stringify(seen)}, not "${expected}"`));
}

// WebKit's screenshot can show the last painted frame, not the current DOM:
// wait two animation frames so that what the test saw is what is captured.
/** A screenshot of the screen, which must pass the accessibility check. */
const screenshot = (name) => lookAt(browser, out, name);

before(async () => {
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "wdio:enforceWebDriverClassic": true, "tauri:options": { application: app } },
  });
});

after(async () => {
  await browser?.deleteSession();
});

describe("the first screen", () => {
  it("opens on the demo console, clearly marked as fictional", async () => {
    await waitForCount("7 gesprekken");
    assert.equal(await text("brand"), "Kluis");
    assert.match(await text("demo-badge"), /Demo · fictieve gegevens/i);
    assert.equal(await text("municipality"), "Gemeente Voorbeeld");
    assert.equal((await rows()).length, 7);
    assert.match(await text("placeholder"), /Kies links een gesprek/);
    await screenshot("first-screen.png");
  });

  it("shows a conversation with all its messages when it is clicked", async () => {
    const anna = await browser.$('[data-testid="conversation-row"]*=Anna Voorbeeld');
    await anna.click();
    await browser.waitUntil(async () => (await text("conversation-title").catch(() => "")) === "Anna Voorbeeld", {
      timeout: 10_000,
    });
    const messages = await browser.$$('[data-testid="message"]');
    assert.equal(messages.length, 5);
    assert.match(await messages[4].getText(), /Groet, Sanne/);
    await screenshot("conversation.png");
  });

  it("moves to the next conversation with Alt+J", async () => {
    const before = await text("conversation-title");
    await browser.keys(["Alt", "j"]);
    await browser.waitUntil(async () => (await text("conversation-title")) !== before, { timeout: 10_000 });
  });
});

describe("search", () => {
  it("finds as people type, and what was typed never reaches the log", async () => {
    const canary = "Kanarievogel 0612345678";
    await search(canary);
    await browser.waitUntil(async () => (await text("search-none")).startsWith("Niets gevonden"), { timeout: 10_000 });
    await search("lantaa");
    await browser.waitUntil(async () => (await text("search-count")) === "1 treffer in 1 gesprek", { timeout: 10_000 });
    await screenshot("search-results.png");
    // Enter opens the conversation at the hit, highlighted.
    await browser.keys(["Enter"]);
    await browser.waitUntil(async () => (await text("conversation-title")) === "Anna Voorbeeld", { timeout: 10_000 });
    const hit = await browser.$(".message.hit");
    await hit.waitForExist({ timeout: 10_000 });
    assert.match(await hit.getProperty("textContent"), /lantaarnpaal/);
    await screenshot("search-hit.png");
    await search("");
    await waitForCount("7 gesprekken");

    const log = readLog();
    assert.match(log, /command="search"|command=search/, "the searches were logged as events");
    assert.match(log, /query_chars=23/);
    for (const secret of ["Kanarievogel", "0612345678", "lantaa", "Anna Voorbeeld", "Voorbeeldstraat"]) {
      assert.ok(!log.includes(secret), `the log contains "${secret}"`);
    }
  });
});

describe("the webview is closed to the outside", () => {
  it("refuses to navigate away from the app", async () => {
    const start = await browser.getUrl();
    assert.match(start, /^tauri:\/\/localhost\/?$/);
    await browser.execute(() => {
      window.location.href = "https://example.org/";
    });
    await browser.pause(1500);
    assert.equal(await browser.getUrl(), start);
    assert.equal(await text("brand"), "Kluis");
    assert.match(readLog(), /navigation away from the app refused scheme="https"/);
  });

  it("blocks remote content by its Content-Security-Policy", async () => {
    const directive = await browser.executeAsync((done) => {
      document.addEventListener("securitypolicyviolation", (e) => done(e.effectiveDirective), { once: true });
      const img = document.createElement("img");
      img.src = "https://example.org/pixel.png";
      document.body.append(img);
      setTimeout(() => done("no violation reported"), 5000);
    });
    assert.equal(directive, "img-src");
  });

  it("has no global Tauri object and a frozen Object prototype", async () => {
    const probe = await browser.execute(() => ({
      globalTauri: "__TAURI__" in window,
      frozen: Object.isFrozen(Object.prototype),
    }));
    assert.deepEqual(probe, { globalTauri: false, frozen: true });
  });
});

describe("a second start", () => {
  it("hands over to the running app and exits instead of opening twice", async () => {
    const second = spawn(app, [], { stdio: "ignore" });
    const code = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        second.kill("SIGKILL");
        reject(new Error("the second instance kept running"));
      }, 20_000);
      second.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0);
    // The first window is still there and still answers.
    await waitForCount("7 gesprekken");
    assert.match(readLog(), /second start: focusing the running window/);
  });
});
