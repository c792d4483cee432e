// One look at a screen of the real window, shared by the e2e tests: a
// screenshot, and axe-core's WCAG 2.1 AA check of what is on it. The
// rules run inside the page (the axe-core npm package, injected over
// WebDriver); nothing is fetched.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Screenshots the window as `name` in `out` and checks it is accessible. */
export async function lookAt(browser, out, name) {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await browser.saveScreenshot(path.join(out, name));
  await browser.execute(axeSource);
  const violations = await browser.executeAsync((done) => {
    globalThis.axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      .then((result) =>
        done(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)),
      )
      .catch((e) => done([`axe failed: ${e}`]));
  });
  assert.deepEqual(violations, [], `${name} is not accessible`);
}
