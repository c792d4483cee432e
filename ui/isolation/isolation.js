// The isolation hook (Tauri's isolation pattern): every IPC message from the
// page passes through this sandboxed iframe and is then AES-GCM encrypted
// with a key made fresh at each start, so script injected into the page
// cannot forge IPC messages of its own. What each command may do is decided
// in one place only, the capability files in src-tauri/capabilities/, so
// this hook passes messages on unchanged.
window.__TAURI_ISOLATION_HOOK__ = (payload) => payload;
