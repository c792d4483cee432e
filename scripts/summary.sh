#!/usr/bin/env bash
# Prints, at the end of `make test`, each test runner's own summary lines from
# the logs that the test steps teed into target/test-logs.
set -euo pipefail
dir="${1:-target/test-logs}"
echo
echo "==== make test: summary (the runners' own lines) ===="
if [ -f "$dir/rust.log" ]; then
  echo "-- cargo test"
  grep -E '^test result:' "$dir/rust.log" | awk '{p+=$4; f+=$6; i+=$8} END {printf "   %d test binaries: %d passed; %d failed; %d ignored\n", NR, p, f, i}'
fi
if [ -f "$dir/ui.log" ]; then
  echo "-- vitest (UI unit tests)"
  sed 's/\x1b\[[0-9;]*m//g' "$dir/ui.log" | grep -E '^ +(Test Files|Tests) ' || true
fi
if [ -f "$dir/e2e.log" ]; then
  echo "-- node --test (end-to-end, real app under Xvfb)"
  sed 's/\x1b\[[0-9;]*m//g' "$dir/e2e.log" | grep -E '^ℹ (tests|pass|fail|skipped|todo|cancelled) ' || true
  echo "   screenshots: target/e2e/first-screen.png target/e2e/conversation.png"
fi
