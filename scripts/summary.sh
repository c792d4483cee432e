#!/usr/bin/env bash
# Prints, at the end of `make test`, each test runner's own summary lines from
# the logs that the test steps teed into target/test-logs.
set -euo pipefail
dir="${1:-target/test-logs}"
echo
echo "==== make test: summary (the runners' own lines) ===="
if [ -f "$dir/rust.log" ]; then
  echo "-- cargo test"
  # Each binary's own "test result:" line, after the name cargo ran it under.
  awk '/^ +Running / { crate = ""; if (match($0, /deps\/[A-Za-z0-9_]+-/)) crate = substr($0, RSTART + 5, RLENGTH - 6)
                       name = ($2 == "unittests") ? crate " " $3 : $2 }
       /^ +Doc-tests / { name = $2 " doc-tests" }
       /^test result:/ { printf "   %-40s %s\n", name, $0 }' "$dir/rust.log"
fi
if [ -f "$dir/ui.log" ]; then
  echo "-- vitest (UI unit tests)"
  sed 's/\x1b\[[0-9;]*m//g' "$dir/ui.log" | grep -E '^ +(Test Files|Tests) ' || true
fi
if [ -f "$dir/e2e.log" ]; then
  echo "-- node --test (end-to-end, real app under Xvfb)"
  sed 's/\x1b\[[0-9;]*m//g' "$dir/e2e.log" | grep -E '^ℹ (tests|pass|fail|skipped|todo|cancelled) ' || true
  echo "   screenshots: $(ls target/e2e/*.png 2>/dev/null | tr "\n" " ")"
fi
if [ -f "$dir/bench-smoke.log" ]; then
  echo "-- benchmarks, once each at a tiny size"
  grep -E '^bench smoke' "$dir/bench-smoke.log" || echo "   (did not finish)"
fi
