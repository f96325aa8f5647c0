#!/bin/sh
# Regenerates the generated tables of docs/model.md from the code: the parameter table
# (src/scenario/params.rs, `dugnad params --markdown`) between <!-- params:begin --> and
# <!-- params:end -->, and the mechanism switches (src/scenario/mechanisms.rs,
# `dugnad params --mechanisms --markdown`) between <!-- mechanisms:begin --> and
# <!-- mechanisms:end -->. tests/docs.rs fails until this has been run after a parameter or a
# mechanism (name, default, range, meaning, where inactive) changed.
#
# Usage: docs/regen-params.sh        (from anywhere inside the repository)
set -eu
cd "$(dirname "$0")/.."
doc=docs/model.md
cargo build --release --quiet
regen() { # regen MARKER ARGS...: replace the block between the MARKER lines by `dugnad ARGS`
    marker=$1
    shift
    begin="<!-- $marker:begin -->"
    end="<!-- $marker:end -->"
    [ "$(grep -c -F -x "$begin" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$begin'" >&2; exit 1; }
    [ "$(grep -c -F -x "$end" "$doc")" = 1 ] || { echo "$doc: need exactly one line '$end'" >&2; exit 1; }
    table=$(mktemp)
    out=$(mktemp)
    target/release/dugnad "$@" > "$table"
    awk -v table="$table" -v begin="$begin" -v end="$end" '
        $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
        $0 == end   { skip = 0 }
        !skip       { print }
    ' "$doc" > "$out"
    cat "$out" > "$doc"
    echo "$doc: $marker table regenerated ($(grep -c '^| `' "$table") rows)"
    rm -f "$table" "$out"
}
regen params params --markdown
regen mechanisms params --mechanisms --markdown
