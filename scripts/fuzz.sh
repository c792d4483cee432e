#!/usr/bin/env bash
# Fuzzes the export parser and the zip reader with libFuzzer (cargo fuzz),
# SECONDS_PER_TARGET each (default 300: ten minutes for both). Seeds come
# from tests/fixtures; what libFuzzer finds stays in fuzz/corpus and
# fuzz/artifacts (not tracked). Runs on stable Rust: RUSTC_BOOTSTRAP lets
# stable accept the sanitizer flags cargo-fuzz passes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-300}"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/parse corpus/container
find "$root/tests/fixtures/whatsapp" -name '*.txt' ! -name 'LICENSE*' -print0 |
  while IFS= read -r -d '' f; do cp "$f" "corpus/parse/seed-$(cksum < "$f" | cut -d' ' -f1).txt"; done
find "$root/tests/fixtures/whatsapp" -name '*.zip' -print0 |
  while IFS= read -r -d '' f; do cp "$f" "corpus/container/seed-$(cksum < "$f" | cut -d' ' -f1).zip"; done
for target in parse container; do
  echo "== fuzzing $target for $seconds s"
  cargo fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 2>&1 |
    grep -E '^(#[0-9]+.*DONE|Done|==|stat::number_of_executed_units|SUMMARY|panicked|ERROR)' || true
  if ls artifacts/"$target"/crash-* >/dev/null 2>&1; then
    echo "fuzz: $target found a crash: $(ls artifacts/"$target"/crash-*)" >&2
    exit 1
  fi
done
echo "fuzz: no crash in ${seconds} s per target"
