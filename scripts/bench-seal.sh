#!/usr/bin/env bash
# Issue 8's figure: sealing a day of 2,000 messages and 500 MB of media,
# written to disk (target/, not a tmpfs), fsynced, read back and verified,
# with the peak memory (crates/seal/examples/seal_bench.rs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${SEAL_OUT:-$root/target/bench-seal}"
profile="${PROFILE:-release}"
cargo build --profile "$profile" -q -p kluis-seal --example seal_bench
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
for run in $(seq "${SEAL_RUNS:-2}"); do
  echo "-- run $run"
  "$root/target/$dir/examples/seal_bench" "$out" "${SEAL_MEDIA_MB:-500}"
done
rm -rf "$out"
