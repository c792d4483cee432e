import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { locale, t } from "./lib/i18n";

document.documentElement.lang = locale;

// Tauri's isolation pattern adds an invisible frame of its own; every
// frame needs a name for screen readers (WCAG 4.1.2).
function nameIsolationFrame(): boolean {
  const frame = document.getElementById("__tauri_isolation__");
  frame?.setAttribute("title", t.app.isolationFrame);
  return frame !== null;
}
if (!nameIsolationFrame()) {
  const watcher = new MutationObserver(() => nameIsolationFrame() && watcher.disconnect());
  watcher.observe(document.documentElement, { childList: true, subtree: true });
}

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
export default mount(App, { target });
