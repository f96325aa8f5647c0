#!/bin/sh
# Regenerates the parameter table of docs/model.md from the code (src/scenario/params.rs):
# replaces everything between the markers <!-- params:begin --> and <!-- params:end --> with the
# output of `dugnad params --markdown`. tests/docs.rs fails until this has been run after a
# parameter (name, default, range or meaning) changed.
#
# Usage: docs/regen-params.sh        (from anywhere inside the repository)
set -eu
cd "$(dirname "$0")/.."
doc=docs/model.md
begin='<!-- params:begin -->'
end='<!-- params:end -->'
[ "$(grep -c -F -x "$begin" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$begin'" >&2; exit 1; }
[ "$(grep -c -F -x "$end" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$end'" >&2; exit 1; }
table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT
cargo run --release --quiet -- params --markdown > "$table"
awk -v table="$table" -v begin="$begin" -v end="$end" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end   { skip = 0 }
    !skip       { print }
' "$doc" > "$out"
cat "$out" > "$doc"
echo "$doc: parameter table regenerated ($(grep -c '^| `' "$table") parameters)"
