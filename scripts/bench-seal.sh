#!/usr/bin/env bash
# Issue 8's figure: sealing a day of 2,000 messages and 500 MB of media,
# written to disk (target/, not a tmpfs), fsynced, read back and verified,
# with the peak memory (crates/seal/examples/seal_bench.rs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/target/bench-seal"
cargo build --release -q -p kluis-seal --example seal_bench
for run in 1 2; do
  echo "-- run $run"
  "$root/target/release/examples/seal_bench" "$out" "${SEAL_MEDIA_MB:-500}"
done
rm -rf "$out"
