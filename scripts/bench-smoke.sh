#!/usr/bin/env bash
# Every benchmark of `make bench` whose parts are in this repository, once,
# at a tiny size, on the repository's fixtures and a debug build (seconds,
# no release build): a benchmark that breaks fails `make test` the day it
# breaks. No figure is checked here; `make bench` prints them. The parser
# against its peers and the field check need ../shared/bench (the peers and
# the generator), which only `make bench` uses.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kluis-bench-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
lorem="$root/tests/fixtures/whatsapp/public/whatstk/lorem.txt"
# The debug command line as the tests left it (or built now).
[ -x "$root/target/debug/kluis" ] || (cd "$root" && cargo build -q -p kluis-cli)

echo "== the vault's store and unlock (bench-vault.sh)"
PROFILE=dev QUICK=1 VAULT_EXPORT="$lorem" WORK="$work" "$root/scripts/bench-vault.sh"

echo "== a month's import (bench-import.sh), three exports"
mkdir -p "$work/month"
for n in 1 2 3; do
  sed "s/Mary:/Mary $n:/" "$lorem" > "$work/month/WhatsApp Chat with Lorem $n.txt"
done
MONTH="$work/month" WORK="$work" KLUIS_BIN="$root/target/debug/kluis" "$root/scripts/bench-import.sh"

echo "== sealing a day (bench-seal.sh), 1 MB of media"
PROFILE=dev SEAL_RUNS=1 SEAL_MEDIA_MB=1 SEAL_OUT="$work/seal" "$root/scripts/bench-seal.sh"
echo "bench smoke: every benchmark ran"
