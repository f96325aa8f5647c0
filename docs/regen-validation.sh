#!/bin/sh
# Regenerates the ablation matrix in docs/calibration.md from a full-size run of
# `dugnad validate --markdown` (src/experiment/validation): replaces everything between the lines
# <!-- validation:begin --> and <!-- validation:end -->. tests/validation.rs fails until this has
# been run after a clause or an ablation was added, removed or renamed. Takes about a minute on
# two cores; the run is written to output/validation/.
#
# Usage: docs/regen-validation.sh        (from anywhere inside the repository)
set -eu
cd "$(dirname "$0")/.."
doc=docs/calibration.md
begin='<!-- validation:begin -->'
end='<!-- validation:end -->'
[ "$(grep -c -F -x "$begin" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$begin'" >&2; exit 1; }
[ "$(grep -c -F -x "$end" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$end'" >&2; exit 1; }
cargo build --release --quiet
table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT
target/release/dugnad validate --markdown --quiet --force -o output/validation > "$table"
awk -v table="$table" -v begin="$begin" -v end="$end" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end   { skip = 0 }
    !skip       { print }
' "$doc" > "$out"
cat "$out" > "$doc"
echo "$doc: ablation matrix regenerated ($(grep -c '^| [0-9C]' "$table") rows)"
