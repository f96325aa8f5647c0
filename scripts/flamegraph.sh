#!/usr/bin/env bash
# Flame graph of one single-thread run of the benchmark scenario (docs/performance.md):
#   scripts/flamegraph.sh [BINARY] [OUT.svg] [extra run flags…]
# Samples the CPU clock with `perf record` (hardware counters are not available in this VM) and
# DWARF call graphs, resolves inlined frames (`perf script --inline`, so each mechanism inlined
# into `GroupRun::step` shows under its own name) and draws the SVG with inferno
# (`cargo install inferno`). Prints the shares of the mechanisms (inclusive) and of the leaves.
# Needs `perf` (Debian: linux-perf) and inferno-collapse-perf / inferno-flamegraph on PATH.
set -euo pipefail
bin=$(realpath "${1:-target/release/dugnad}")
svg=${2:-docs/flamegraph.svg}
shift $(($# < 2 ? $# : 2))
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
perf record -q -e cpu-clock -F 2000 --call-graph dwarf,16384 -o "$tmp/perf.data" \
  "$bin" run scenarios/bench.toml --threads 1 -q --no-charts -o "$tmp/run" "$@" >/dev/null 2>&1
perf script -i "$tmp/perf.data" --inline 2>/dev/null | inferno-collapse-perf >"$tmp/folded"
inferno-flamegraph --title "dugnad run scenarios/bench.toml --threads 1 $*" --width 1400 --minwidth 0.5 \
  <"$tmp/folded" >"$svg"
python3 "$here/flamegraph-top.py" "$tmp/folded"
echo "wrote $svg"
