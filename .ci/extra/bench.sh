#!/usr/bin/env bash
# The speed targets (docs/performance.md), reported, never enforced: `dugnad bench --check` on
# the benchmark scenario prints ns per turn, parallel efficiency and whether each target is met.
# CI machines are shared and noisy, so a missed timing target is printed as a note and does not
# fail CI; anything else `dugnad bench` fails on (a crash, a bad scenario) does.
# More repeats: BENCH_REPEATS=7 bash .ci/extra/bench.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
target/release/dugnad bench scenarios/bench.toml --replicates 8 --threads 2 \
  --repeats "${BENCH_REPEATS:-3}" --check 2>"$out"
status=$?
cat "$out" >&2
if [ "$status" = 0 ]; then
  echo "bench: every speed target met"
elif grep -q "performance targets missed" "$out"; then
  echo "bench: NOTE — a speed target was missed on this run (timing only: not failing CI; see the table above and docs/performance.md)"
else
  echo "bench: dugnad bench failed (exit $status)" >&2
  exit "$status"
fi
# Where a turn's time goes: the week's fixed work against the turn loop's marginal cost
# (docs/performance.md, "The cost structure"); printed, never judged.
if command -v python3 >/dev/null; then
  python3 scripts/bench-decompose.py target/release/dugnad scenarios/bench.toml \
    --rounds 1 --replicates 4 --turns 30,120,480 || { echo "bench: bench-decompose failed" >&2; exit 1; }
fi
