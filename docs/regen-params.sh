#!/bin/sh
# Regenerates the generated tables of the docs from the code: the parameter table of
# docs/model.md (src/scenario/params.rs; between <!-- params:begin --> and <!-- params:end -->,
# `dugnad params --markdown`), the mechanism switches of docs/model.md
# (src/scenario/mechanisms.rs; between <!-- mechanisms:begin --> and <!-- mechanisms:end -->,
# `dugnad params --mechanisms --markdown`) and the indicator reference of docs/indicators.md (the
# indicator table, src/metrics/indicators.rs; between <!-- indicators:begin --> and
# <!-- indicators:end -->, `dugnad indicators --markdown`). tests/docs.rs fails until this has
# been run after a parameter, a mechanism (name, default, range, meaning, where inactive) or an
# indicator changed.
#
# Usage: docs/regen-params.sh        (from anywhere inside the repository)
set -eu
cd "$(dirname "$0")/.."
table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT

# regen DOC MARKER COMMAND...: replaces the block between <!-- MARKER:begin --> and
# <!-- MARKER:end --> of DOC with the output of `dugnad COMMAND...`.
regen() {
    doc=$1 begin="<!-- $2:begin -->" end="<!-- $2:end -->"
    shift 2
    [ "$(grep -c -F -x "$begin" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$begin'" >&2; exit 1; }
    [ "$(grep -c -F -x "$end" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$end'" >&2; exit 1; }
    cargo run --release --quiet -- "$@" > "$table"
    awk -v table="$table" -v begin="$begin" -v end="$end" '
        $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
        $0 == end   { skip = 0 }
        !skip       { print }
    ' "$doc" > "$out"
    cat "$out" > "$doc"
    echo "$doc: $(grep -c '^| `' "$table") rows regenerated"
}

regen docs/model.md params params --markdown
regen docs/model.md mechanisms params --mechanisms --markdown
regen docs/indicators.md indicators indicators --markdown
