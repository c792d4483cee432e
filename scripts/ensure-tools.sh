#!/usr/bin/env bash
# Checks the tools that Debian's packages cannot provide in a usable version:
# Rust (through rustup) and Node.js 20.19 or newer (Vite 8 needs it). Says
# exactly what is missing instead of failing later in the middle of a build.
set -euo pipefail
problems=0
if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is missing. Install it with rustup (https://rustup.rs), then open a new shell." >&2
  problems=1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are missing: install Node.js 20.19 or newer." >&2
  problems=1
elif ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js $(node --version) is too old: Vite 8 needs 20.19 or newer." >&2
  problems=1
fi
exit $problems
