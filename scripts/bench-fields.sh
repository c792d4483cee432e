#!/usr/bin/env bash
# The field check of issue 4: 20,000 generated messages of every format
# (and iOS with CRLF), parsed by `kluis parse --jsonl`, compared field by
# field with the generator's ground truth by ../shared/bench/check_fields.py.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
kluis="$root/target/release/kluis"
work="${WORK:-/tmp/peers/work}/fields"
mkdir -p "$work"
status=0
for variant in android-nl ios-nl en12 ios-nl:--crlf; do
  format="${variant%%:*}"
  extra=""
  [ "$variant" != "$format" ] && extra="${variant#*:}"
  name="$format${extra:+-crlf}"
  python3 "$bench/gen_export.py" --messages 20000 --format "$format" --seed 11 $extra \
    --out "$work/$name.txt" --truth "$work/$name.truth.jsonl" > /dev/null
  "$kluis" parse --jsonl "$work/$name.txt" > "$work/$name.kluis.jsonl"
  python3 "$bench/check_fields.py" "$work/$name.truth.jsonl" "$work/$name.kluis.jsonl" --name "kluis $name" | tail -1 || status=1
done
exit $status
