// End-to-end, a conversation with media in the real window over a real
// vault: the photo shown (and large, zoomed by key), the voice note
// playable (the <audio> element reports its duration), the document
// listed, the missing video said so; after the lock no object URL
// answers any more; and no decrypted byte of the photo or the voice note
// is anywhere on disk: not in the vault, the temporary folder, or the
// webview's cache and data.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openWindow, setClock, waiting } from "./harness.mjs";
import { lookAt } from "./screen.mjs";

const app = process.env.KLUIS_E2E_APP;
const cli = process.env.KLUIS_E2E_CLI;
const base = process.env.KLUIS_E2E_OUT;
assert.ok(app && cli && base, "run through tests/e2e/run.sh");

const out = path.join(base, "media");
const vault = path.join(out, "vault");
const inbox = path.join(out, "inbox");
const ZIP = "tests/fixtures/whatsapp/kluis/WhatsApp-chat met Eva Jansen.zip";
const ADMIN = "beheerder wachtwoord";
const SANNE = "sanne wachtwoord";


/** A file's bytes from the fixture zip, as Python's zipfile reads them. */
function fromZip(name) {
  const script = "import sys,zipfile;sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))";
  return execFileSync("python3", ["-c", script, ZIP, name], { maxBuffer: 1 << 24 });
}

/** Every regular file under `dir` whose bytes contain `needle`. */
function holding(dir, needle) {
  const found = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < 200 * 1024 * 1024 && readFileSync(p).includes(needle)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/** The files any process holds open whose name is WebKit's media buffer's. */
function openMediaBuffers() {
  const found = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.includes("WebKit-Media")) found.push(`${pid}: ${target}`);
      } catch {
        // gone meanwhile
      }
    }
  }
  return found;
}

/** @type {import("webdriverio").Browser} */
let browser;
const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const text = async (testid) => ((await (await $(testid)).getProperty("textContent")) ?? "").trim();
const screenshot = (name) => lookAt(browser, base, name);

const waitFor = waiting(() => browser);

before(async () => {
  setClock("2026-11-23T10:00");
  mkdirSync(inbox, { recursive: true });
  const kdf = ["--kdf-memory", "64", "--kdf-passes", "3"];
  const run = (args, env = { KLUIS_PASSPHRASE: ADMIN }) =>
    execFileSync(cli, ["--vault", vault, ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
  run(["init", ...kdf], { KLUIS_NEW_PASSPHRASE: ADMIN });
  run(["operator", "add", "Sanne", ...kdf], { KLUIS_PASSPHRASE: ADMIN, KLUIS_NEW_PASSPHRASE: SANNE });
  run(["set", "inbox.dir", inbox]);
  run(["set", "municipality.account", "Gemeente Voorbeeld"]);
  browser = await openWindow(app, vault);
});

after(async () => {
  await browser?.deleteSession();
});

describe("a conversation with photos and voice notes", () => {
  let photoUrl = "";

  it("shows the photo, plays the voice note, lists the document and says what is missing", async () => {
    await waitFor("the lock screen", async () => (await $("unlock-screen")).isExisting());
    const box = await $("unlock-passphrase");
    await box.click();
    await box.setValue(SANNE);
    await (await $("unlock-submit")).click();
    await waitFor("the console", async () => (await $("conversation-count")).isExisting());
    copyFileSync(ZIP, path.join(inbox, path.basename(ZIP)));
    await waitFor("the conversation", async () => (await text("conversation-count")) === "1 gesprek");
    await (await $("conversation-row")).click();
    await waitFor("the photo", async () =>
      browser.execute(() => {
        const img = document.querySelector('[data-testid="attachment-image"]');
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 120;
      }),
    );
    photoUrl = await (await $("attachment-image")).getAttribute("src");
    // On hover, each message says which export it came from.
    const sources = await browser.execute(() => [...document.querySelectorAll('[data-testid="message"]')].map((m) => m.getAttribute("title")));
    assert.ok(sources.every((s) => s === "Uit de export WhatsApp-chat met Eva Jansen.zip"), JSON.stringify(sources));
    assert.match(photoUrl, /^blob:/);
    assert.equal(await (await $("attachment-image")).getAttribute("alt"), "Hier is een foto");
    let heard = "";
    await waitFor("the voice note's duration", async () => {
      heard = await browser.execute(() => {
        const audio = document.querySelector('[data-testid="attachment-audio"]');
        if (!(audio instanceof HTMLAudioElement)) return "no audio element yet";
        if (audio.readyState === 0 && audio.networkState !== 2) audio.load();
        // GStreamer learns an Ogg file's length from its last page, which it
        // does not always read before playing: played (muted), it knows.
        const known = audio.duration > 1.5 && audio.duration < 2.5;
        if (!known && audio.readyState >= 2 && audio.paused && !audio.ended) {
          audio.muted = true;
          void audio.play().catch(() => {});
        }
        return `readyState ${audio.readyState}, error ${audio.error?.code ?? "none"}, played ${audio.currentTime.toFixed(2)} s, duration ${audio.duration}`;
      });
      const duration = Number(heard.split("duration ")[1]);
      const played = Number(heard.split("played ")[1]?.split(" ")[0]);
      return (duration > 1.5 && duration < 2.5) || played > 1;
    }).catch((e) => assert.fail(`${e.message}; the audio element said: ${heard}`));
    // WebKit's player buffers a download in /var/tmp/WebKit-Media-* (made and
    // unlinked at once, so only an open file shows it); for a blob: URL it
    // must not, and no process may hold one while the voice note plays.
    assert.deepEqual(openMediaBuffers(), [], "a media buffer on disk while the voice note plays");
    assert.match(await text("attachment-document"), /melding\.pdf\s*application\/pdf, 193 B/);
    assert.equal(await text("attachment-missing"), "VID-20261123-WA0003.mp4 zat niet in de export.");
    if (await (await $("import-panel")).isExisting()) await (await $("toggle-imports")).click();
    await waitFor("the panel closed", async () => !(await (await $("import-panel")).isExisting()));
    await screenshot("media-conversation.png");
  });

  it("takes a re-export without media that shows a message deleted since, keeping its text", async () => {
    const later = [
      "23-11-2026 09:00 - Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.",
      "23-11-2026 09:05 - Eva Jansen: Dit bericht is verwijderd",
      "23-11-2026 09:06 - Eva Jansen: <Media weggelaten>",
      "Hier is een foto",
      "23-11-2026 09:07 - Eva Jansen: <Media weggelaten>",
      "23-11-2026 09:08 - Eva Jansen: <Media weggelaten>",
      "23-11-2026 09:09 - Eva Jansen: <Media weggelaten>",
      "23-11-2026 09:15 - Gemeente Voorbeeld: Dank u, we sturen iemand langs.",
      "23-11-2026 09:58 - Eva Jansen: Hij ligt er nog steeds. <Dit bericht is bewerkt>",
      "",
    ].join("\n");
    writeFileSync(path.join(inbox, "WhatsApp-chat met Eva Jansen.txt"), later);
    await waitFor("the re-export", async () => (await browser.$$('[data-testid="message"]')).length === 8);
    const messages = await browser.$$('[data-testid="message"]');
    const said = async (m) => ((await m.getProperty("textContent")) ?? "").replace(/\s+/g, " ").trim();
    const stone = await said(messages[1]);
    assert.ok(stone.includes("Er ligt een losse stoeptegel voor Dorpsstraat 4."), stone);
    assert.ok(stone.includes("Later door de burger verwijderd (zo getoond in een export ingelezen op 23-11-2026); de tekst is bewaard."), stone);
    const newest = await said(messages[7]);
    assert.equal(newest, "Eva Jansen Hij ligt er nog steeds. 09:58 · bewerkt");
    // The photo the first export brought stays.
    assert.equal(await (await $("attachment-image")).getAttribute("alt"), "Hier is een foto");
    if (await (await $("import-panel")).isExisting()) await (await $("toggle-imports")).click();
    await screenshot("media-re-export.png");
  });

  it("shows the photo large, zoomed by key", async () => {
    await (await $("attachment-open")).click();
    await waitFor("the viewer", async () => (await $("image-viewer")).isDisplayed());
    await browser.keys("+");
    await waitFor("the zoom", async () => (await text("image-viewer")).includes("125%"));
    await screenshot("media-viewer.png");
    await browser.keys("Escape");
    await waitFor("the viewer closed", async () => !(await (await $("image-viewer")).isExisting()));
  });

  it("after the lock, the page holds no object URL and nothing of the files is on disk", async () => {
    // An image may load a blob: URL (img-src), so it asks as the page would;
    // fetch() may not (connect-src), and would be refused either way.
    const probe = (url) =>
      browser.executeAsync((src, done) => {
        const img = new Image();
        img.onload = () => done("loaded");
        img.onerror = () => done("refused");
        img.src = src;
      }, url);
    assert.equal(await probe(photoUrl), "loaded", "the probe cannot tell a live URL");
    await (await $("lock")).click();
    await waitFor("the lock screen", async () => (await $("unlock-screen")).isExisting());
    assert.equal(await probe(photoUrl), "refused", "the photo's object URL still answers after the lock");
    for (const name of ["IMG-20261123-WA0002.jpg", "PTT-20261123-WA0001.opus"]) {
      const bytes = fromZip(name);
      const needle = bytes.subarray(Math.floor(bytes.length / 3), Math.floor(bytes.length / 3) + 64);
      for (const dir of [vault, inbox, process.env.TMPDIR, process.env.HOME, "/var/tmp", "/dev/shm"]) {
        assert.deepEqual(holding(dir, needle), [], `decrypted ${name} found under ${dir}`);
      }
    }
  });
});
