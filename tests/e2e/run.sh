#!/usr/bin/env bash
# Runs the end-to-end tests against the real app binary: a virtual X display
# (Xvfb), a private D-Bus session bus (the single-instance plugin talks over
# it), tauri-driver in front of WebKitWebDriver, and node's test runner.
# Everything the app writes goes to a throw-away HOME under target/e2e.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/target/e2e"
app="$root/target/debug/kluis-app"
cli="$root/target/debug/kluis"
for bin in "$app" "$cli"; do
  [ -x "$bin" ] || { echo "no binary at $bin: run 'make test' (or cargo build -p kluis-app -p kluis-cli)" >&2; exit 1; }
done

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
rm -rf "$out"
mkdir -p "$out/home" "$out/logs" "$out/tmp"
# The app's temporary folder, searched by the tests for decrypted media.
export TMPDIR="$out/tmp"
export HOME="$out/home"
export XDG_DATA_HOME="$out/home/.local/share" XDG_CONFIG_HOME="$out/home/.config" \
       XDG_CACHE_HOME="$out/home/.cache" XDG_STATE_HOME="$out/home/.local/state"
export KLUIS_LOG_DIR="$out/logs" KLUIS_LOG=trace
export KLUIS_E2E_APP="$app" KLUIS_E2E_CLI="$cli" KLUIS_E2E_OUT="$out"
# The lock's clock, moved by the tests (read only by debug builds; without
# the file the app runs on the system clock).
export KLUIS_TEST_CLOCK="$out/clock"
# logind's suspend and lock signals, sent by the tests on the private session
# bus (this machine's system bus has no logind; debug builds only).
export KLUIS_TEST_LOGIND_ON_SESSION_BUS=1
# tauri-driver may live in cargo's bin directory, which a fresh shell may lack on PATH.
export PATH="$PATH:$cargo_bin"

cd "$root"
exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" dbus-run-session -- bash -c '
  tauri-driver --port 4444 > "$KLUIS_E2E_OUT/tauri-driver.log" 2>&1 & driver=$!
  trap "kill $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
  node --test --test-reporter=spec --test-concurrency=1 tests/e2e/'
