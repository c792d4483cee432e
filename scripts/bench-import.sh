#!/usr/bin/env bash
# Issue 6's figures: a busy municipality's month, 500 generated exports of
# 200 messages, dropped into the inbox at once and taken in by `kluis inbox`
# (settle time included), then the same 500 dropped again (0 new). Also
# `kluis import --count` on the folder, without the inbox. The vault's KDF
# is at the floor: unlocking is measured by bench-vault.sh, not here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
work="${WORK:-/tmp/peers/work}/import"
# KLUIS_BIN: another build to compare (make bench uses the release build).
kluis="${KLUIS_BIN:-$root/target/release/kluis}"
# MONTH=DIR: other exports (the smoke run takes a few fixtures).
month="${MONTH:-$work/month-android-nl-500x200}"
mkdir -p "$work"
if [ -z "${MONTH:-}" ] && { [ ! -d "$month" ] || [ "$(ls "$month" | wc -l)" -ne 500 ]; }; then
  rm -rf "$month"
  python3 "$bench/gen_export.py" --chats 500 --messages 200 --format android-nl --seed 1 \
    --out "$month" --quiet > /dev/null
fi
export KLUIS_PASSPHRASE="bench passphrase"
# The admin opens outside the shift hours only with a reason (the lock
# holds on the command line too); inside them the reason is not needed.
vault="$work/vault"
inbox="$work/Kluis-inbox"

seconds() { python3 -c 'import time; print(f"{time.monotonic():.3f}")'; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

fresh_vault() {
  rm -rf "$vault" "$inbox" "$work/Kluis-quarantine"
  "$kluis" --vault "$vault" init --kdf-memory 64 --kdf-passes 3 > /dev/null
}

# Drop the month into the inbox (a copy, as from a USB stick) and take it in.
drop_and_take() {
  local start end new
  start=$(seconds)
  mkdir -p "$inbox"
  cp "$month"/*.txt "$inbox"/
  new=$("$kluis" --vault "$vault" --reason benchmark inbox --dir "$inbox" --count)
  end=$(seconds)
  left=$(ls -A "$inbox" | wc -l)
  echo "$(elapsed "$start" "$end") s, $new new messages, $left files left in the inbox"
}

echo "## Import: $(ls "$month" | wc -l) exports ($(du -sh "$month" | cut -f1))"
echo
fresh_vault
echo "- inbox, first drop (copy + settle 2 s + import + index): $(drop_and_take)"
hits=$("$kluis" --vault "$vault" --reason benchmark search gemeente --limit 5 | wc -l)
echo "  searchable right after: 'gemeente' gives $hits of at most 5 hits"
"$kluis" --vault "$vault" --reason benchmark status | grep -E "^stored"
echo "- inbox, the same again: $(drop_and_take)"
fresh_vault
start=$(seconds)
new=$("$kluis" --vault "$vault" --reason benchmark import --count "$month")
end=$(seconds)
echo "- kluis import --count on the folder (no inbox, no settle): $(elapsed "$start" "$end") s, $new new"
start=$(seconds)
new=$("$kluis" --vault "$vault" --reason benchmark import --count "$month")
end=$(seconds)
echo "- the same again: $(elapsed "$start" "$end") s, $new new"
rm -rf "$vault" "$inbox" "$work/Kluis-quarantine"
