#!/usr/bin/env bash
# The vault's figures of issue 5 (crates/core/examples/store_bench.rs): one
# generated export of VAULT_MESSAGES messages (default 1,000,000) stored by
# the straightforward store, by Kluis's store on SQLCipher and on plain
# SQLite, searched, then unlock and lock of a vault calibrated here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
work="${WORK:-/tmp/peers/work}/vault"
messages="${VAULT_MESSAGES:-1000000}"
# PROFILE=dev and VAULT_EXPORT=FILE: the smoke run (scripts/bench-smoke.sh).
profile="${PROFILE:-release}"
mkdir -p "$work"
export_file="${VAULT_EXPORT:-$work/android-nl-$messages.txt}"
if [ ! -s "$export_file" ]; then
  python3 "$bench/gen_export.py" --messages "$messages" --format android-nl --seed 1 \
    --out "$export_file" > /dev/null
fi
cargo build --profile "$profile" -q -p kluis-core --features bench-plain --example store_bench
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
"$root/target/$dir/examples/store_bench" "$export_file" "$work/stores" ${QUICK:+--quick}
rm -rf "$work/stores"
