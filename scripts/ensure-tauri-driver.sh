#!/usr/bin/env bash
# Installs tauri-driver (WebDriver for Tauri apps; crates.io only, no npm or
# Debian package) at the version the e2e tests were written against.
set -euo pipefail
version="2.1.0"
bin="${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver"
if [ -x "$bin" ] && cargo install --list | grep -qx "tauri-driver v$version:"; then
  exit 0
fi
echo "Installing tauri-driver $version (cargo install, about 30 s)"
cargo install tauri-driver --locked --version "$version" --quiet
