// What the end-to-end files share: the app's test clock, the wait for a
// condition in the real window, and a window opened on a vault.
import assert from "node:assert/strict";
import { renameSync, writeFileSync } from "node:fs";
import { remote } from "webdriverio";

/** Sets the app's clock to `local` (YYYY-MM-DDTHH:MM[:SS], Amsterdam winter time). */
export function setClock(local) {
  const clockFile = process.env.KLUIS_TEST_CLOCK;
  assert.ok(clockFile, "run through tests/e2e/run.sh");
  const utc = Date.parse(`${local.length === 16 ? `${local}:00` : local}+01:00`) / 1000;
  // Written beside and renamed, so the app never reads a half-written file.
  writeFileSync(`${clockFile}.new`, `${utc} 3600\n`);
  renameSync(`${clockFile}.new`, clockFile);
}

/**
 * A `waitFor(what, check, timeout)` over the browser `current()` gives:
 * until `check` is truthy; a check that throws (an element not there yet)
 * is not yet, and its error is what the failure says was last seen.
 */
export function waiting(current) {
  return async (what, check, timeout = 20_000) => {
    let seen;
    await current()
      .waitUntil(
        async () => {
          try {
            return (seen = await check());
          } catch (e) {
            seen = `${e}`;
            return false;
          }
        },
        { timeout, interval: 200 },
      )
      .catch(() => assert.fail(`waited in vain for ${what} (last seen: ${JSON.stringify(seen)})`));
  };
}

/** The real app's window over WebDriver, opened on `vault`. */
export function openWindow(app, vault) {
  return remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: app, args: ["--vault", vault] },
    },
  });
}
